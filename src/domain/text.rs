//! Text people type, cleaned of what they cannot see. A title of zero-width spaces or a NUL
//! would be stored and posted as an empty-looking line (or cut short by C tools); a
//! right-to-left override would reorder the rest of a message. So control characters and
//! the invisible marks that carry no meaning are removed, and text with nothing visible left
//! is refused. Joiners and variation selectors stay (emoji sequences and some scripts need
//! them), but do not count as visible; nor do tag characters (flag sequences need them).

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

use super::tokens::{Piece, pieces};

/// Removes control characters (a tab becomes a space; newlines stay only when `lines`) and
/// the invisible format characters listed in [`is_dropped`], and composes what is left
/// ([`composed`]), so that the same letters are stored, compared and searched alike.
pub fn strip(s: &str, lines: bool) -> String {
    let kept: String = s
        .chars()
        .filter_map(|c| match c {
            '\n' if lines => Some('\n'),
            '\t' | '\n' | '\r' => Some(' '),
            c if is_removed(c) => None,
            c => Some(c),
        })
        .collect();
    match composed(&kept) {
        Cow::Borrowed(_) => kept,
        Cow::Owned(composed) => composed,
    }
}

/// What [`strip`] takes out: control characters and the format characters of [`is_dropped`].
fn is_removed(c: char) -> bool {
    c.is_control() || is_dropped(c)
}

/// What the bot prints for an operator (`makers-bot report`, `council list`), without what
/// [`strip`] takes out of typed text: a build before that cleaning (802ea38b) stored text
/// as typed, and a terminal acts on an escape sequence in it (OSC 52 sets the clipboard,
/// `ESC[8m` hides what follows, a lone carriage return writes over the line). The layout the
/// bot writes itself stays: line breaks, tabs, CRLF line ends and the byte-order mark that
/// starts a CSV for Excel. Borrowed when nothing goes, as for everything stored since.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let goes = |at: usize, c: char| match c {
        '\n' | '\t' => false,
        '\r' => !text[at + 1..].starts_with('\n'),
        '\u{FEFF}' => at != 0,
        c => is_removed(c),
    };
    if !text.char_indices().any(|(at, c)| goes(at, c)) {
        return Cow::Borrowed(text);
    }
    text.char_indices()
        .filter(|&(at, c)| !goes(at, c))
        .map(|(_, c)| c)
        .collect::<String>()
        .into()
}

/// `s` in Unicode's composed form (NFC): "ô" typed as one letter, or pasted as "o" and a
/// combining circumflex (macOS file names, some PDFs), is the one letter. It looks the same
/// either way, so nothing a reader sees changes.
pub(super) fn composed(s: &str) -> Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfc().normalize(s)
}

/// `s` composed with its compatibility forms folded too (NFKC): full-width "Ｇｕｉｌｄｆｏｒｄ" is
/// "Guildford", the ligature "ﬁ" is "fi". For what the bot matches (council keys, search
/// words), not for what it keeps: "²" would be "2".
pub(super) fn folded(s: &str) -> Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfkc().normalize(s)
}

/// `word` without the marks nobody sees (zero-width spaces, a byte-order mark, joiners),
/// for a word the bot reads rather than keeps: a command's name, a number. Control
/// characters stay, so a NUL inside a number still makes it no number.
pub fn unmarked(word: &str) -> std::borrow::Cow<'_, str> {
    match word.chars().any(|c| is_dropped(c) || is_invisible(c)) {
        true => word
            .chars()
            .filter(|&c| !is_dropped(c) && !is_invisible(c))
            .collect(),
        false => word.into(),
    }
}

/// Whether any character would show: not whitespace and not an invisible mark.
pub fn has_visible(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_whitespace() && !c.is_control() && !is_dropped(c) && !is_invisible(c))
}

/// Format characters with no use in a title or a message: zero-width space, word joiner and
/// invisible operators, byte-order mark, soft hyphen, bidirectional marks, overrides and
/// isolates, interlinear annotation marks, Mongolian vowel separator, and the other Unicode
/// `Cf` characters that only make sense inside their own scripts' number signs.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{600}'..='\u{605}'
            | '\u{61C}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{890}'..='\u{891}'
            | '\u{8E2}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
    )
}

/// Kept because sequences need them, but nothing on their own: joiners, variation
/// selectors, the combining grapheme joiner, tag characters, Hangul fillers and the blank
/// characters that are not Unicode whitespace.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{34F}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180D}'
            | '\u{180F}'
            | '\u{200C}'..='\u{200D}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Edit distance by characters, a swap of two neighbours counting as one edit (optimal
/// string alignment): "joni" is one slip from "join", as a reader would count it.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows: two back (for a swap), the last, and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}

/// Text typed into a form, as Slack would have sent it typed in a message: a bare `http(s)`
/// address becomes a link token (`<https://…>`). Slack makes those tokens in messages and
/// commands, not in a form's plain text, and the bot's posts are `verbatim` (so that the
/// words `@channel` stay words), which leaves a bare address unlinked. An address starts a
/// word; punctuation that ends a sentence after it is not part of it; text already inside
/// `<…>`, or inside a code span, is left as it is.
pub fn link_bare_addresses(typed: &str) -> String {
    let mut out = String::with_capacity(typed.len() + 8);
    let mut at_word_start = true;
    // Inside a code span (between backticks) an address stays as typed, as in Slack.
    let mut in_code = false;
    // Where the piece being read ends in `typed`, so that the text after any point of it is
    // `typed[end - rest.len()..]`.
    let mut end = 0;
    for piece in pieces(typed) {
        end += piece.raw().len();
        let Piece::Text(text) = piece else {
            // A token already: copied whole. A lone `<` or `>` is text, read below.
            out.push_str(piece.raw());
            at_word_start = false;
            continue;
        };
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            // A `|` would split the token into an address and a label; a backtick closes the
            // code span the address sits in.
            let address = (at_word_start && !in_code)
                .then(|| address_at(rest, |c| matches!(c, '<' | '>' | '|' | '`')))
                .flatten();
            if let Some(address) = address {
                out.push('<');
                out.push_str(address);
                out.push('>');
                rest = &rest[address.len()..];
                at_word_start = false;
                continue;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
            // A backtick opens a code span only when another closes it on the same line, as
            // in Slack; a lone one ("the ` key") is a character.
            if c == '`' {
                in_code = !in_code
                    && typed[end - rest.len()..]
                        .split('\n')
                        .next()
                        .is_some_and(|line| line.contains('`'));
            }
            // Bold, italics and strike marks start a word only where they start one
            // themselves.
            at_word_start = c.is_whitespace()
                || matches!(c, '(' | '[' | '"' | '\'' | '“' | '‘')
                || (at_word_start && matches!(c, '*' | '_' | '~'));
        }
    }
    out
}

/// The web address `rest` starts with, if it starts with one: an `http://` or `https://`
/// scheme (in any case) and a host (`https:///p` is text), up to a space or a character
/// `ends` says ends it, less the punctuation that ends a sentence after it.
pub(super) fn address_at(rest: &str, ends: impl Fn(char) -> bool) -> Option<&str> {
    let scheme = scheme_len(rest)?;
    let len = rest
        .find(|c: char| c.is_whitespace() || ends(c))
        .unwrap_or(rest.len());
    let address = trim_sentence_end(&rest[..len]);
    let host = address[scheme.min(address.len())..]
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    (!host.is_empty()).then_some(address)
}

/// The length of the `https://` or `http://` (in any case) `text` starts with, if it does.
fn scheme_len(text: &str) -> Option<usize> {
    let starts = |scheme: &str| {
        text.as_bytes()
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme.as_bytes()))
    };
    ["https://", "http://"]
        .into_iter()
        .find(|s| starts(s))
        .map(str::len)
}

/// `parse` of `typed` with its bare addresses linked ([`link_bare_addresses`]), or, if that
/// takes it past a limit (a form's own `max_length` counts an address alone), of `typed`
/// as it is.
pub fn linked_or_typed<T, E>(typed: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<T, E> {
    parse(&link_bare_addresses(typed)).or_else(|_| parse(typed))
}

/// An address without the punctuation that ends the sentence it sits in: `.`, `,`, `;`,
/// `:`, `!`, `?`, quotes, the marks that close mrkdwn's bold, italics and strike (`*`, `_`,
/// `~`), and a `)` or `]` it does not open itself.
fn trim_sentence_end(address: &str) -> &str {
    let mut a = address;
    loop {
        let trimmed = a.trim_end_matches([
            '.', ',', ';', ':', '!', '?', '\'', '"', '”', '’', '*', '_', '~',
        ]);
        let trimmed = match trimmed.chars().last() {
            Some(')') if trimmed.matches('(').count() < trimmed.matches(')').count() => {
                &trimmed[..trimmed.len() - 1]
            }
            Some(']') if trimmed.matches('[').count() < trimmed.matches(']').count() => {
                &trimmed[..trimmed.len() - 1]
            }
            _ => trimmed,
        };
        if trimmed.len() == a.len() {
            return a;
        }
        a = trimmed;
    }
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) gets a leading `'`, which spreadsheets show as text (OWASP's advice).
pub fn spreadsheet_inert(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_go() {
        assert_eq!(strip("Bin\u{200B} day\u{0}\u{7}", false), "Bin day");
        assert_eq!(strip("a\tb\r\nc", false), "a b  c");
        assert_eq!(strip("a\tb\nc", true), "a b\nc");
        assert_eq!(strip("\u{202E}txt.exe", false), "txt.exe");
        assert_eq!(strip("\u{FEFF}Title\u{2060}", false), "Title");
        // Composed: a letter and its combining mark pasted apart are the one letter.
        assert_eq!(strip("Ynys Mo\u{302}n", false), "Ynys Môn");
        assert_eq!(strip("Mo\u{200B}\u{302}n", false), "Môn");
    }

    #[test]
    fn a_terminal_gets_no_control_character_but_the_layout() {
        assert_eq!(
            for_terminal("Bins\u{1b}]52;c;aGk=\u{7} \u{9b}2K\u{202E}x\r y"),
            "Bins]52;c;aGk= 2Kx y"
        );
        let excel = "\u{FEFF}a,b\r\n\"c\td\",\u{1F3F4}\u{E0067}\u{E007F}\r\n";
        assert!(matches!(for_terminal(excel), Cow::Borrowed(_)));
        assert_eq!(for_terminal("a\u{FEFF}b\r"), "ab");
    }

    #[test]
    fn sequences_keep_their_joiners() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(strip(family, false), family);
        let heart = "\u{2764}\u{FE0F}";
        assert_eq!(strip(heart, false), heart);
        // Scotland's flag: a black flag and tag characters.
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(strip(scotland, false), scotland);
        assert!(has_visible(family) && has_visible(heart) && has_visible(scotland));
    }

    #[test]
    fn nothing_visible_is_seen_as_nothing() {
        for s in [
            "",
            " \u{200B}\u{FEFF}",
            "\u{200D}\u{200C}",
            "\u{FE0F}",
            "\u{3164}\u{2800}",
            "\u{E0067}",
            "\u{0}\u{1}\u{1F}",
            "\u{A0}\u{2003}",
        ] {
            assert!(!has_visible(&strip(s, true)), "{s:?}");
        }
        assert!(has_visible("\u{200B}x"));
    }

    #[test]
    fn a_bare_address_typed_in_a_form_becomes_a_link() {
        let cases = [
            (
                "see https://bins.example/alpha",
                "see <https://bins.example/alpha>",
            ),
            ("https://x.example.", "<https://x.example>."),
            (
                "(docs: https://x.example/a_(b)), then http://y.example/?a=1&b=2!",
                "(docs: <https://x.example/a_(b)>), then <http://y.example/?a=1&b=2>!",
            ),
            ("HTTPS://X.EXAMPLE/Up", "<HTTPS://X.EXAMPLE/Up>"),
            ("“https://q.example/”", "“<https://q.example/>”"),
            // Already a token, a token's label, not at a word's start, a scheme alone.
            (
                "<https://x.example|the site>",
                "<https://x.example|the site>",
            ),
            ("<@U0BOB> and <#C0DOCS>", "<@U0BOB> and <#C0DOCS>"),
            ("xhttps://x.example", "xhttps://x.example"),
            ("https:// and http://", "https:// and http://"),
            ("https:///p https://?q", "https:///p https://?q"),
            // A `|` or a backtick ends it; bold, italics and strike marks are not part of it.
            ("https://x.example/?f=a|b", "<https://x.example/?f=a>|b"),
            ("`curl https://x.example/a`", "`curl https://x.example/a`"),
            ("`a` https://x.example/`b`", "`a` <https://x.example/>`b`"),
            (
                "the ` key; see https://x.example",
                "the ` key; see <https://x.example>",
            ),
            ("`a\nb` https://x.example", "`a\nb` <https://x.example>"),
            ("snake_https://x.example", "snake_https://x.example"),
            (
                "*https://x.example/b* and _https://y.example_",
                "*<https://x.example/b>* and _<https://y.example>_",
            ),
            (
                "ftp://x.example mailto:a@b.example",
                "ftp://x.example mailto:a@b.example",
            ),
            ("a < b > c", "a < b > c"),
            // A lone `<` is text, and what follows it is still read.
            (
                "costs < £5k, see https://x.example/a",
                "costs < £5k, see <https://x.example/a>",
            ),
            ("<b> https://x.example", "<b> <https://x.example>"),
            ("<https://x.example", "<https://x.example"),
            ("<@U0BOB> https://x.example", "<@U0BOB> <https://x.example>"),
            ("", ""),
            ("é https://é.example/ü", "é <https://é.example/ü>"),
        ];
        for (typed, linked) in cases {
            assert_eq!(link_bare_addresses(typed), linked, "{typed}");
        }
    }
}
