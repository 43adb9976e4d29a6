//! Emoji codes as Slack users type them (`:tada:`, `:thumbsup::skin-tone-3:`) turned into the
//! emoji themselves, for readers outside Slack: the public catalogue shows what a team's
//! description looks like in Slack, not its codes. Slack's names are mostly the GitHub ones
//! (gemoji) the `emojis` crate knows; where Slack's differ (its flags, `flag-wales`; a hyphen
//! for GitHub's underscore, `man-shrugging`; `thinking_face`; a few more in [`SLACK_NAMES`])
//! they are read as Slack means them. A name neither knows (a workspace's own emoji,
//! `:council-logo:`) stays as typed, which is what it says; so does a code inside code
//! (`` `:tada:` ``) or inside a web address (`https://x.sharepoint.com/:x:/s/a`), as Slack
//! shows them.

use std::borrow::Cow;

use emojis::SkinTone;

/// `text` with every emoji code that names a known emoji replaced by the emoji.
pub fn with_emoji(text: &str) -> Cow<'_, str> {
    // Most text holds no code at all: a code needs two colons.
    if text.bytes().filter(|&b| b == b':').take(2).count() < 2 {
        return Cow::Borrowed(text);
    }
    // Code is shown as typed, as Slack shows it: where it is, as the page reads it.
    // (Read only once an emoji is found, and only where there can be code.)
    let mut as_typed = None;
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
        // Nor is a code inside a web address an emoji: Slack links the address as it is, and
        // SharePoint's links hold `/:x:/` (Excel), `/:b:/` (PDF), `/:o:/` and `/:v:/`.
        let as_typed = as_typed.get_or_insert_with(|| {
            let mut spans = super::styled::code_spans(text);
            spans.extend(super::styled::addresses(text));
            spans
        });
        if let Some(span) = as_typed
            .iter()
            .find(|span| span.start < end && start < span.end)
        {
            at = span.end;
            continue;
        }
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
    let emoji = named(name)?;
    let end = name_end + 1;
    // Slack writes a skin tone as a second code straight after: `:wave::skin-tone-2:`.
    if let Some((tone, tone_end)) = skin_tone_at(text, end)
        && let Some(toned) = emoji.with_skin_tone(tone)
    {
        return Some((toned.as_str(), tone_end));
    }
    Some((emoji.as_str(), end))
}

/// Slack's names for emoji that GitHub names otherwise, and that the rules in [`named`] do not
/// find: the ones council staff are likely to type.
const SLACK_NAMES: &[(&str, &str)] = &[
    ("simple_smile", "slightly_smiling_face"),
    ("hugging_face", "hugs"),
    ("face_with_rolling_eyes", "roll_eyes"),
    ("white_frowning_face", "frowning_face"),
    ("face_palm", "facepalm"),
    (
        "hand_with_index_and_middle_fingers_crossed",
        "crossed_fingers",
    ),
    ("lower_left_fountain_pen", "fountain_pen"),
    ("spiral_calendar_pad", "spiral_calendar"),
    ("admission_tickets", "tickets"),
    ("male-technologist", "man_technologist"),
    ("female-technologist", "woman_technologist"),
    ("party_popper", "tada"),
];

/// The emoji a Slack name means: GitHub's of that name, or of the name Slack's stands for.
fn named(name: &str) -> Option<&'static emojis::Emoji> {
    if let Some(emoji) = emojis::get_by_shortcode(name) {
        return Some(emoji);
    }
    if let Some((_, github)) = SLACK_NAMES.iter().find(|(slack, _)| *slack == name) {
        return emojis::get_by_shortcode(github);
    }
    // `flag-wales`, `flag-gb`: GitHub's `wales`, `gb`.
    if let Some(place) = name.strip_prefix("flag-") {
        return emojis::get_by_shortcode(place);
    }
    // `man-shrugging`, `star-struck`: GitHub's `man_shrugging`, `star_struck`.
    if name.contains('-') {
        return emojis::get_by_shortcode(&name.replace('-', "_"));
    }
    // `thinking_face`, `robot_face`: GitHub's `thinking`, `robot`.
    emojis::get_by_shortcode(name.strip_suffix("_face")?)
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
            // Slack's own names.
            (
                ":flag-wales: :flag-scotland: :flag-gb:",
                "🏴\u{e0067}\u{e0062}\u{e0077}\u{e006c}\u{e0073}\u{e007f} 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} 🇬🇧",
            ),
            (
                ":thinking_face: :man-shrugging: :simple_smile:",
                "🤔 🤷\u{200d}♂\u{fe0f} 🙂",
            ),
            (":star-struck: :robot_face:", "🤩 🤖"),
            // Inside code, as typed; after it, an emoji again.
            ("Type `:tada:` to cheer :tada:", "Type `:tada:` to cheer 🎉"),
            ("```\n:tada:\n``` :tada:", "```\n:tada:\n``` 🎉"),
            // A backtick that opens nothing (not at a word's start, as Slack reads code)
            // leaves the rest as text; one that does keeps its code.
            ("it`s :tada:\n`", "it`s 🎉\n`"),
            ("Don`t panic :tada: run `make`", "Don`t panic 🎉 run `make`"),
            ("a`b `:tada:` c", "a`b `:tada:` c"),
            // Inside a web address, as typed (SharePoint's `/:x:/` is an Excel file's link);
            // after it, an emoji again.
            (
                "see https://x.sharepoint.com/:x:/s/a :tada:",
                "see https://x.sharepoint.com/:x:/s/a 🎉",
            ),
            (
                "HTTPS://X.EXAMPLE/:b:/p?q=:o:#:v: and :v:",
                "HTTPS://X.EXAMPLE/:b:/p?q=:o:#:v: and ✌\u{fe0f}",
            ),
            // A code just before an address.
            (":tada:https://x.example/:v:/", "🎉https://x.example/:v:/"),
            // Not an address (no host, or not at a word's start): codes as ever.
            (
                "https:///:x:/ xhttps://y.example/:o:",
                "https:///❌/ xhttps://y.example/⭕",
            ),
            (
                "slack's own https://x.slack.com/:x:/",
                "slack's own https://x.slack.com/:x:/",
            ),
        ] {
            assert_eq!(with_emoji(typed), shown, "{typed}");
        }
    }
}
