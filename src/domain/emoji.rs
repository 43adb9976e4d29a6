//! Emoji codes as Slack users type them (`:tada:`, `:thumbsup::skin-tone-3:`) turned into the
//! emoji themselves, for readers outside Slack: the public catalogue shows what a team's
//! description looks like in Slack, not its codes. Slack's names are mostly the GitHub ones
//! (gemoji) the `emojis` crate knows; a name it does not know (a workspace's own emoji,
//! `:council-logo:`) stays as typed, which is what it says.

use std::borrow::Cow;

use emojis::SkinTone;

/// `text` with every emoji code that names a known emoji replaced by the emoji.
pub fn with_emoji(text: &str) -> Cow<'_, str> {
    // Most text holds no code at all: a code needs two colons.
    if text.bytes().filter(|&b| b == b':').take(2).count() < 2 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find(':') {
        let start = at + found;
        let Some((emoji, end)) = code_at(text, start) else {
            // This colon may end a word ("Note:"); the next may start a code.
            at = start + 1;
            continue;
        };
        out.push_str(&text[copied..start]);
        out.push_str(emoji);
        copied = end;
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The emoji whose code starts at `start` (a `:`), and where the code (with its skin tone,
/// if any) ends.
fn code_at(text: &str, start: usize) -> Option<(&'static str, usize)> {
    let name_end = start + 1 + text[start + 1..].find(':')?;
    let name = &text[start + 1..name_end];
    if name.is_empty() || !name.bytes().all(is_name_byte) {
        return None;
    }
    let emoji = emojis::get_by_shortcode(name)?;
    let end = name_end + 1;
    // Slack writes a skin tone as a second code straight after: `:wave::skin-tone-2:`.
    if let Some((tone, tone_end)) = skin_tone_at(text, end)
        && let Some(toned) = emoji.with_skin_tone(tone)
    {
        return Some((toned.as_str(), tone_end));
    }
    Some((emoji.as_str(), end))
}

/// A Slack skin-tone code (`:skin-tone-2:` to `:skin-tone-6:`, lightest to darkest) at `at`.
fn skin_tone_at(text: &str, at: usize) -> Option<(SkinTone, usize)> {
    let rest = text.get(at..)?.strip_prefix(":skin-tone-")?;
    let tone = match rest.as_bytes() {
        [b'2', b':', ..] => SkinTone::Light,
        [b'3', b':', ..] => SkinTone::MediumLight,
        [b'4', b':', ..] => SkinTone::Medium,
        [b'5', b':', ..] => SkinTone::MediumDark,
        [b'6', b':', ..] => SkinTone::Dark,
        _ => return None,
    };
    Some((tone, at + ":skin-tone-N:".len()))
}

/// What an emoji's name is made of in Slack: lower-case letters, digits, `_`, `-`, `+`, `'`.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'+' | b'\'')
}

#[cfg(test)]
mod tests {
    use super::with_emoji;

    #[test]
    fn codes_become_emoji_and_the_rest_stays_as_typed() {
        for (typed, shown) in [
            (":tada: Live in three councils", "🎉 Live in three councils"),
            ("Done :white_check_mark::rocket:", "Done ✅🚀"),
            ("Thanks :+1: and :thumbsup:", "Thanks 👍 and 👍"),
            (":wave::skin-tone-2: hello", "👋🏻 hello"),
            (":wave::skin-tone-6:", "👋🏿"),
            // A tone for an emoji that takes none, or no tone at all: the emoji, the rest as typed.
            (":rocket::skin-tone-3:", "🚀:skin-tone-3:"),
            (":wave::skin-tone-9:", "👋:skin-tone-9:"),
            // A workspace's own emoji: its name says what it is.
            (":council-logo: Bins", ":council-logo: Bins"),
            // Colons that are not codes.
            (
                "Note: meet at 10:30: bring tea",
                "Note: meet at 10:30: bring tea",
            ),
            ("Ratio 3:2", "Ratio 3:2"),
            ("::", "::"),
            (":Tada:", ":Tada:"),
            (":ta da:", ":ta da:"),
            // A colon that ends a word, then a code.
            ("Status: :tada:", "Status: 🎉"),
            ("ratio:1:tada:", "ratio:1🎉"),
            ("no codes here", "no codes here"),
            ("Ynys Môn: :tada: ü", "Ynys Môn: 🎉 ü"),
        ] {
            assert_eq!(with_emoji(typed), shown, "{typed}");
        }
    }
}
