//! Slack's `<…>` tokens in text people typed: where they are, and what kind each is. Text
//! arrives with Slack's entities decoded, so a mention is `<@U0BOB>` (or `<@U0BOB|bob>`), a
//! channel `<#C0MAKERS|bins>`, a link `<https://x.example|the docs>`, a special mention
//! `<!here>` or `<!subteam^S1|@devs>`. This module only finds and sorts them; what is done
//! with each is decided by the reader: `slack::render::user_text` for Slack, [`public_text`]
//! for the public web.
//!
//! A token runs from a `<` to the first `>` after it, holds no other `<`, and starts as
//! Slack's tokens do: with `@`, `#`, `!` or an address's scheme (`https:`, `mailto:`). Any
//! other `<` or `>` is just a character the user typed (`a < b | c > d`, `<b>`, `<<@U1>>`,
//! `<https://x|<!here>>`, where only `<@U1>` and `<!here>` are tokens).
//!
//! [`public_text`]: super::public_text

/// One stretch of typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text outside tokens, as typed (it may hold `<`, `>` and `&`).
    Text(&'a str),
    /// A token; `raw` is the whole of it, brackets included.
    Token { token: Token<'a>, raw: &'a str },
}

impl<'a> Piece<'a> {
    /// The typed text this piece covers.
    pub fn raw(&self) -> &'a str {
        match self {
            Piece::Text(t) => t,
            Piece::Token { raw, .. } => raw,
        }
    }
}

/// What a token is, by its first character; `label` is what follows the first `|`, if any.
/// Nothing here is checked: an id or an address may be anything but `<`, `>` or `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<@U…>`: a person.
    User { id: &'a str, label: Option<&'a str> },
    /// `<#C…>`: a channel.
    Channel { id: &'a str, label: Option<&'a str> },
    /// `<!…>`: `name` is what follows the `!`: `here`, `channel`, `everyone`, `subteam^S1`,
    /// `date^1392734382^{date}`, …
    Special {
        name: &'a str,
        label: Option<&'a str>,
    },
    /// `<scheme:…>`: a link, if the reader accepts its address (`javascript:` is a scheme).
    Link {
        target: &'a str,
        label: Option<&'a str>,
    },
}

impl<'a> Token<'a> {
    /// Sorts the inside of `<…>`.
    fn of(inside: &'a str) -> Token<'a> {
        let (target, label) = match inside.split_once('|') {
            Some((t, l)) => (t, Some(l)),
            None => (inside, None),
        };
        if let Some(id) = target.strip_prefix('@') {
            Token::User { id, label }
        } else if let Some(id) = target.strip_prefix('#') {
            Token::Channel { id, label }
        } else if let Some(name) = target.strip_prefix('!') {
            Token::Special { name, label }
        } else {
            Token::Link { target, label }
        }
    }
}

/// The pieces of `typed`, in order; their raw texts put together give `typed` back.
pub fn pieces(typed: &str) -> Pieces<'_> {
    Pieces { rest: typed }
}

/// `text`'s length in UTF-16 units. A value Slack limits (a field's `max_length`,
/// `private_metadata`) may be counted in those units or in characters; which is not
/// documented, and a browser counts units (two for an emoji), never fewer than characters,
/// so a value measured so fits either way.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` held to `units` UTF-16 units, ending in "…" where it was cut, so that it is never
/// taken for whole when it is not (an option's text, a button's spoken label).
pub fn cut_utf16_with_ellipsis(text: &str, units: usize) -> String {
    if utf16_len(text) <= units {
        return text.to_string();
    }
    let kept = chars_within_utf16(text, units.saturating_sub(1));
    text.chars().take(kept).chain(['…']).collect()
}

/// How many of `text`'s first characters fit in `units` UTF-16 units (an emoji takes two).
/// A value Slack limits (`max_length`, an option's text) may be counted in those units, or
/// in characters; which is not documented, and a count in units is never the smaller.
pub fn chars_within_utf16(text: &str, units: usize) -> usize {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= units
        })
        .count()
}

/// `typed` within `room` characters: whole if it fits, else cut by [`cut_typed`] and ended
/// with "…".
pub fn cut_with_ellipsis(typed: &str, room: usize) -> String {
    if typed.chars().count() <= room {
        return typed.to_string();
    }
    format!("{}…", cut_typed(typed, room.saturating_sub(1)).trim_end())
}

/// The first `chars` characters of `typed` (text as people typed it, Slack's entities
/// decoded), never ending inside a token: one that does not fit is left out whole. Any other
/// `<`, `>` or `&` is a character like the rest.
pub fn cut_typed(typed: &str, chars: usize) -> &str {
    let mut left = chars;
    let mut end = 0;
    for piece in pieces(typed) {
        let raw = piece.raw();
        let len = raw.chars().count();
        if len <= left {
            left -= len;
            end += raw.len();
            continue;
        }
        if let Piece::Text(text) = piece {
            end += text
                .char_indices()
                .nth(left)
                .map_or(text.len(), |(at, _)| at);
        }
        break;
    }
    &typed[..end]
}

/// Iterator of [`pieces`].
#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let Some((open, close)) = next_token(self.rest) else {
            return Some(Piece::Text(std::mem::take(&mut self.rest)));
        };
        if open > 0 {
            let (text, rest) = self.rest.split_at(open);
            self.rest = rest;
            return Some(Piece::Text(text));
        }
        let (raw, rest) = self.rest.split_at(close + 1);
        self.rest = rest;
        Some(Piece::Token {
            token: Token::of(&raw[1..close]),
            raw,
        })
    }
}

/// Byte offsets of the `<` and `>` of the first token in `s`.
fn next_token(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let open = from + s[from..].find('<')?;
        // No `>` after this `<` means none after any later `<` either.
        let close = open + 1 + s[open + 1..].find('>')?;
        // Only the last `<` before that `>` can open a token that it closes.
        match s[open + 1..close].rfind('<') {
            None if looks_like_a_token(&s[open + 1..close]) => return Some((open, close)),
            None => from = close + 1,
            Some(inner) => from = open + 1 + inner,
        }
    }
}

/// Whether the inside of `<…>` starts as one of Slack's tokens: `@`, `#`, `!`, or a scheme
/// (a letter, then letters, digits, `+`, `-` or `.`, then `:`).
fn looks_like_a_token(inside: &str) -> bool {
    if inside.starts_with(['@', '#', '!']) {
        return true;
    }
    let Some((scheme, _)) = inside.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// How many characters `typed` shows: each token as a title shows it (a person or a channel
/// by the name Slack put in it, with `@` or `#`; a link by its label, or else its address;
/// `<!here>` as `@here`), so that a limit is of what people typed and see, not of Slack's
/// markup (`@sam` typed is sent as `<@U04ABCDEFGH|sam>`, 14 more). As
/// `slack::render::typed` shows it with `Tokens::AsText`.
pub fn shown_len(typed: &str) -> usize {
    pieces(typed)
        .map(|piece| match piece {
            Piece::Text(text) => text.chars().count(),
            Piece::Token { token, raw } => {
                token_shown_len(token).unwrap_or_else(|| raw.chars().count())
            }
        })
        .sum()
}

/// What one token shows, in characters; `None` for one shown as typed (`<@bob>`,
/// `<javascript:…>`).
fn token_shown_len(token: Token<'_>) -> Option<usize> {
    let len = |s: &str| s.chars().count();
    let named = |label: Option<&str>, mark: char| {
        label
            .map(|l| l.trim().trim_start_matches(mark))
            .filter(|l| !l.is_empty())
            .map(|l| 1 + len(l))
    };
    match token {
        Token::User { id, label: l } if is_id(id, &['U', 'W']) => {
            Some(named(l, '@').unwrap_or(len("someone")))
        }
        Token::Channel { id, label: l } if is_id(id, &['C', 'G']) => {
            Some(named(l, '#').unwrap_or(len("a channel")))
        }
        Token::Special {
            name: name @ ("here" | "channel" | "everyone"),
            ..
        } => Some(1 + len(name)),
        Token::Special { label: l, .. } => labelled(l).map(len),
        Token::Link { target, label: l } if is_address(target) => {
            Some(len(labelled(l).unwrap_or(target)))
        }
        Token::User { .. } | Token::Channel { .. } | Token::Link { .. } => None,
    }
}

/// A token's label, if it has one with something in it.
fn labelled(label: Option<&str>) -> Option<&str> {
    label.map(str::trim).filter(|l| !l.is_empty())
}

/// An address a link may go to: `http(s)://` with a host, or `mailto:` with an address; no
/// spaces or control characters (Slack would cut the link there).
pub fn is_address(target: &str) -> bool {
    if target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let after = |scheme: &str| super::after_scheme(target, scheme);
    if let Some(rest) = after("https://").or_else(|| after("http://")) {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        return !host.is_empty();
    }
    after("mailto:").is_some_and(|address| address.contains('@'))
}

/// A Slack id: one of `prefixes`, then capital letters and digits (`<@bob>` holds typed
/// text, not an id).
pub fn is_id(id: &str, prefixes: &[char]) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| prefixes.contains(&c))
        && id.len() > 1
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_keeps_typed_characters_and_never_splits_a_token() {
        let typed = "Budget for R&D < 5k: see <https://x.example/d?a=1&b=2|the plan> now";
        assert_eq!(cut_typed(typed, 14), "Budget for R&D");
        assert_eq!(cut_typed(typed, 18), "Budget for R&D < 5");
        // Inside the link: it is left out whole, and nothing after it is taken.
        assert_eq!(cut_typed(typed, 40), "Budget for R&D < 5k: see ");
        assert_eq!(cut_typed(typed, 1000), typed);
        assert_eq!(cut_typed("héllo", 2), "hé");
        assert_eq!(cut_typed("", 3), "");
    }

    fn raw_pieces(typed: &str) -> Vec<&str> {
        pieces(typed).map(|p| p.raw()).collect()
    }

    #[test]
    fn tokens_are_found_where_slack_would_find_them() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("plain", &["plain"]),
            ("hi <@U1> there", &["hi ", "<@U1>", " there"]),
            ("a < b | c > d", &["a < b | c > d"]),
            ("<b>bold</b> <@U1>", &["<b>bold</b> ", "<@U1>"]),
            ("<x:y> <a b:c>", &["<x:y>", " <a b:c>"]),
            ("<<@U1>>", &["<", "<@U1>", ">"]),
            ("<https://x|<!here>>", &["<https://x|", "<!here>", ">"]),
            ("<https://x", &["<https://x"]),
            ("1 <2 <@U1>", &["1 <2 ", "<@U1>"]),
            ("<a><!here>", &["<a>", "<!here>"]),
            (">>", &[">>"]),
        ];
        for (typed, want) in cases {
            assert_eq!(raw_pieces(typed), *want, "{typed}");
            assert_eq!(raw_pieces(typed).concat(), *typed);
        }
    }

    #[test]
    fn tokens_are_sorted_by_their_first_character() {
        fn token(typed: &str) -> Token<'_> {
            match pieces(typed).next() {
                Some(Piece::Token { token, .. }) => token,
                other => panic!("{typed}: {other:?}"),
            }
        }
        assert_eq!(
            token("<@U0BOB|bob>"),
            Token::User {
                id: "U0BOB",
                label: Some("bob")
            }
        );
        assert_eq!(
            token("<#C1>"),
            Token::Channel {
                id: "C1",
                label: None
            }
        );
        assert_eq!(
            token("<!subteam^S1|@devs>"),
            Token::Special {
                name: "subteam^S1",
                label: Some("@devs")
            }
        );
        assert_eq!(
            token("<https://x|a|b>"),
            Token::Link {
                target: "https://x",
                label: Some("a|b")
            }
        );
    }
}
