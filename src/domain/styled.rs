//! Slack's own formatting in text people typed (`*bold*`, `_italic_`, `~struck~`,
//! `` `code` `` and ```` ```code``` ````), read as Slack's apps show it, for readers outside
//! Slack: the catalogue's pages show the styles, and its data and previews the words without
//! their markers, rather than the markers a description was typed with.
//!
//! Slack takes a marker as one only at a word's edge: it opens after anything but a letter
//! or digit (a space, a line's start, punctuation) and before anything but a space, and
//! closes after anything but a space and before anything but a letter or digit, on the same
//! line. So `5* rated` and `snake_case_name` are text,
//! as in Slack. A style does not nest inside itself; code holds no styles; nor does a web
//! address (`https://x.example/a_b_c`), which Slack links as it is.

use std::borrow::Cow;
use std::ops::Range;

/// One stretch of styled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Styled<'a> {
    Text(&'a str),
    /// `*…*`, `_…_` or `~…~` around what it styles.
    Span(Style, Vec<Styled<'a>>),
    /// `` `…` `` or ```` ```…``` ````: shown as typed, in a code font.
    Code(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Bold,
    Italic,
    Strike,
}

impl Style {
    fn of(marker: u8) -> Option<Style> {
        match marker {
            b'*' => Some(Style::Bold),
            b'_' => Some(Style::Italic),
            b'~' => Some(Style::Strike),
            _ => None,
        }
    }
}

/// `text` as Slack would style it.
pub fn styled(text: &str) -> Vec<Styled<'_>> {
    within(text, &[])
}

/// Where in `text` (byte ranges of what they hold) its code is, as [`styled`] reads it: for
/// what is shown as typed inside code (emoji codes).
pub(super) fn code_spans(text: &str) -> Vec<Range<usize>> {
    fn walk(parts: &[Styled<'_>], base: usize, out: &mut Vec<Range<usize>>) {
        for part in parts {
            match part {
                // Borrowed from `text`: its place is its address's offset.
                Styled::Code(code) => {
                    let at = code.as_ptr() as usize - base;
                    out.push(at..at + code.len());
                }
                Styled::Span(_, inner) => walk(inner, base, out),
                Styled::Text(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    if text.contains('`') {
        walk(&styled(text), text.as_ptr() as usize, &mut out);
    }
    out
}

/// `text` without the markers Slack would not show (its words, and code as typed); borrowed
/// when it has none.
pub fn unmarked_styles(text: &str) -> Cow<'_, str> {
    // Most text holds no marker (the catalogue's data reads every description).
    if !text.bytes().any(|b| matches!(b, b'*' | b'_' | b'~' | b'`')) {
        return Cow::Borrowed(text);
    }
    let parts = styled(text);
    match parts.as_slice() {
        [] => Cow::Borrowed(""),
        [Styled::Text(t)] => Cow::Borrowed(t),
        _ => {
            let mut out = String::with_capacity(text.len());
            words(&parts, &mut out);
            Cow::Owned(out)
        }
    }
}

fn words(parts: &[Styled<'_>], out: &mut String) {
    for part in parts {
        match part {
            Styled::Text(t) | Styled::Code(t) => out.push_str(t),
            Styled::Span(_, inner) => words(inner, out),
        }
    }
}

/// `text` styled, inside the styles `open` (which cannot open again).
fn within<'a>(text: &'a str, open: &[Style]) -> Vec<Styled<'a>> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Only a marker or an address's `h` (or `H`) can start anything: straight to the next.
        let Some(next) = text[at..].find(['*', '_', '~', '`', 'h', 'H']) else {
            break;
        };
        at += next;
        if let Some(end) = address_end(text, at) {
            at = end;
            continue;
        }
        let Some((part, end)) = styled_at(text, at, open) else {
            at += 1;
            continue;
        };
        if copied < at {
            parts.push(Styled::Text(&text[copied..at]));
        }
        parts.push(part);
        copied = end;
        at = end;
    }
    if copied < text.len() {
        parts.push(Styled::Text(&text[copied..]));
    }
    parts
}

/// The styled stretch that opens at `at`, if one does, and where it ends.
fn styled_at<'a>(text: &'a str, at: usize, open: &[Style]) -> Option<(Styled<'a>, usize)> {
    let marker = text.as_bytes()[at];
    if !matches!(marker, b'*' | b'_' | b'~' | b'`') || !opens(text, at) {
        return None;
    }
    if text[at..].starts_with("```") {
        // A block of code, over several lines or one.
        let inside = at + 3;
        let end = inside + text[inside..].find("```")?;
        // The line breaks just inside its fences are the fences' own, as Slack shows it.
        let code = &text[inside..end];
        let code = code.strip_prefix('\n').unwrap_or(code);
        let code = code.strip_suffix('\n').unwrap_or(code);
        return (end > inside).then(|| (Styled::Code(code), end + 3));
    }
    let close = closing(text, at, marker)?;
    let inside = &text[at + 1..close];
    let part = match Style::of(marker) {
        None => Styled::Code(inside),
        Some(style) if open.contains(&style) => return None,
        Some(style) => {
            let mut now_open = open.to_vec();
            now_open.push(style);
            Styled::Span(style, within(inside, &now_open))
        }
    };
    Some((part, close + 1))
}

/// Whether the marker at `at` can open: at a word's start, before something to style.
fn opens(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_some_and(|c| !c.is_whitespace())
}

/// Where the marker opened at `at` closes, on its line: a marker after something styled and
/// at a word's end.
fn closing(text: &str, at: usize, marker: u8) -> Option<usize> {
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let bytes = text.as_bytes();
    // From just after the marker: an address that starts there is skipped whole, as one
    // later is (`_https://…/Bin_(waste)_`); a marker there closes nothing (`__`).
    let mut i = at + 1;
    while i < line_end {
        if let Some(end) = address_end(text, i) {
            i = end;
            continue;
        }
        if i >= at + 2
            && bytes[i] == marker
            && text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace())
            && text[i + 1..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The web addresses in `text` (at a word's start, as [`super::text::address_at`] reads
/// one), as byte ranges: for a page to link them, as Slack links them. Not Slack's own (a
/// workspace's, which open only for its members and hold its ids: the catalogue says "a
/// link in Slack" for those it is given).
pub fn web_addresses(text: &str) -> Vec<Range<usize>> {
    let mut out = addresses(text);
    out.retain(|at| !super::public::is_slack_address(&text[at.clone()]));
    out
}

/// Every web address in `text`, Slack's own too, as [`web_addresses`] reads them: for what
/// is shown as typed inside one (emoji codes: `/:x:/` in a SharePoint link), as Slack shows
/// an address.
pub(super) fn addresses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(next) = text[at..].find(['h', 'H']) {
        at += next;
        let Some(end) = address_end(text, at) else {
            at += 1;
            continue;
        };
        out.push(at..end);
        at = end;
    }
    out
}

/// Where the web address starting at `at` ends, if one starts there, at a word's start
/// (after anything but a letter or digit, so that a style's marker may open before it):
/// less the punctuation that ends a sentence after it (a closing `*` there closes a style
/// around it).
fn address_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
    {
        return None;
    }
    super::text::address_at(rest, |_| false).map(|address| at + address.len())
}

#[cfg(test)]
mod tests {
    use super::Style::*;
    use super::Styled::*;
    use super::{code_spans, styled, unmarked_styles};

    #[test]
    fn web_addresses_are_found_without_the_sentence_around_them() {
        let text = "See https://x.example/a_b. Or (https://y.example/c), \
                    https://en.wikipedia.org/wiki/Bin_(waste) and https:// alone; xhttps://z.example \
                    (see https://en.wikipedia.org/wiki/Kerb_(road)) “https://q.example/a” \
                    *https://b.example/x* https://acme.slack.com/archives/C0SECRET/p1 é https://é.example/ü";
        let found: Vec<&str> = super::web_addresses(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            found,
            [
                "https://x.example/a_b",
                "https://y.example/c",
                "https://en.wikipedia.org/wiki/Bin_(waste)",
                "https://en.wikipedia.org/wiki/Kerb_(road)",
                "https://q.example/a",
                "https://b.example/x",
                "https://é.example/ü",
            ]
        );
    }

    #[test]
    fn an_address_just_inside_a_marker_is_not_split_by_its_underscores() {
        let text = "_https://en.wikipedia.org/wiki/Bin_(waste)_";
        assert_eq!(
            styled(text),
            vec![Span(
                Italic,
                vec![Text("https://en.wikipedia.org/wiki/Bin_(waste)")]
            )]
        );
        assert_eq!(
            super::web_addresses(text)
                .into_iter()
                .map(|r| &text[r])
                .collect::<Vec<_>>(),
            ["https://en.wikipedia.org/wiki/Bin_(waste)"]
        );
    }

    #[test]
    fn code_is_found_where_the_page_shows_it() {
        let text = "Run `make` or *`test`*, not it`s\n```\nfmt\n```";
        let found: Vec<&str> = code_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["make", "test", "fmt"]);
        assert!(code_spans("no code here").is_empty());
    }

    #[test]
    fn markers_at_words_edges_style_what_they_hold() {
        assert_eq!(
            styled("*Now live* in _three_ councils, ~two~"),
            vec![
                Span(Bold, vec![Text("Now live")]),
                Text(" in "),
                Span(Italic, vec![Text("three")]),
                Text(" councils, "),
                Span(Strike, vec![Text("two")]),
            ]
        );
        assert_eq!(
            styled("Run `make test` (*_both_*)."),
            vec![
                Text("Run "),
                Code("make test"),
                Text(" ("),
                Span(Bold, vec![Span(Italic, vec![Text("both")])]),
                Text(")."),
            ]
        );
        assert_eq!(
            styled("Config:\n```a = 1\nb = *2*```"),
            vec![Text("Config:\n"), Code("a = 1\nb = *2*")]
        );
        assert_eq!(
            styled("```\n  make\n\n  test\n```"),
            vec![Code("  make\n\n  test")]
        );
    }

    #[test]
    fn markers_slack_shows_as_typed_stay_text() {
        for typed in [
            "5* rated cafés, 4* too",
            "snake_case_name and file_name.txt",
            // Addresses are linked as they are.
            "Guide: https://docs.example/d/1A-_xY_-Bz/edit and https://x.example/__data__/",
            "(https://x.example/~a~b~)",
            "* a bullet\n* another",
            "a * b * c",
            "*not closed",
            "*two\nlines*",
            "**",
            "_ _",
            "``",
            "``````",
            "~",
            "x*y*z",
            "*a*b",
            "",
        ] {
            assert_eq!(unmarked_styles(typed), typed, "{typed:?}");
        }
    }

    #[test]
    fn without_markers_the_words_and_code_are_left() {
        for (typed, words) in [
            (
                "*Now live* in _three_ ~two~ councils",
                "Now live in three two councils",
            ),
            ("*_bold italic_* `a*b*c`", "bold italic a*b*c"),
            ("```\nmake\n```", "make"),
            ("Ynys Môn *café*", "Ynys Môn café"),
            ("*nested *bold* inside*", "nested *bold inside*"),
            ("(*a*)", "(a)"),
            // A style around an address keeps the address whole.
            (
                "_see https://x.example/a_b_c_",
                "see https://x.example/a_b_c",
            ),
            ("*see https://x.example/a*", "see https://x.example/a"),
            (
                "_see https://x.example/a_b_c now_",
                "see https://x.example/a_b_c now",
            ),
            (
                "*docs:* https://x.example/a_b_",
                "docs: https://x.example/a_b_",
            ),
        ] {
            assert_eq!(unmarked_styles(typed), words, "{typed:?}");
        }
    }
}
