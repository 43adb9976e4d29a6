//! Text people typed, as mrkdwn: the one place that decides which of Slack's tokens keep
//! working in what the bot posts. Links (`<https://…|label>`, `<mailto:…>`), channels
//! (`<#C…>`) and, where [`Tokens::Working`], mentions of people (`<@U…>`) stay tokens;
//! `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^…>` and every other `<!…>` are shown as
//! words and never notify anyone; anything else is escaped, so `a < b` reads as typed.
//!
//! Slack turns plain `@here` in a text object back into a mention unless the text object is
//! `verbatim` (<https://api.slack.com/reference/surfaces/formatting#automatic-parsing>), so
//! every mrkdwn text object the bot builds is (`fit::mrkdwn`): the words shown for a
//! neutralised token stay words.

use crate::domain::{Piece, Token, is_address, is_id, pieces};

use super::escape;

/// What becomes of tokens in one piece of typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokens {
    /// Links, channels and mentions of people work (a mention notifies that person once, as
    /// it did when they were named in the typed message): descriptions, updates and notes.
    Working,
    /// Links and channels work; people are named without a mention (`@bob`, or "someone"),
    /// so nobody is notified: the weekly digest, which names many people every week.
    Quiet,
    /// No tokens at all, only what a reader would see: titles, which sit inside bold, inside
    /// the label of a link, and in places where a token cannot work.
    AsText,
}

/// `typed` (with Slack's entities decoded, as commands see it) as mrkdwn.
pub fn user_text(typed: &str, tokens: Tokens) -> String {
    let mut out = String::with_capacity(typed.len() + 16);
    for piece in pieces(typed) {
        match piece {
            Piece::Text(text) => out.push_str(&escape(text)),
            Piece::Token { token, raw } => out.push_str(&token_mrkdwn(token, raw, tokens)),
        }
    }
    out
}

/// The decision for one token; `raw` is the token as typed.
fn token_mrkdwn(token: Token<'_>, raw: &str, tokens: Tokens) -> String {
    match token {
        Token::Special { name, label } => neutralised(name, label, raw),
        Token::User { id, label } if is_id(id, &['U', 'W']) => match tokens {
            Tokens::Working => format!("<@{id}>"),
            Tokens::Quiet | Tokens::AsText => named(label),
        },
        Token::Channel { id, label } if is_id(id, &['C', 'G']) => match tokens {
            Tokens::Working | Tokens::Quiet => format!("<#{id}>"),
            Tokens::AsText => match label.map(|l| l.trim().trim_start_matches('#')) {
                Some(l) if !l.is_empty() => format!("#{}", escape(l)),
                _ => "a channel".into(),
            },
        },
        Token::Link { target, label } if is_address(target) => {
            let label = label.map(str::trim).filter(|l| !l.is_empty());
            match (tokens, label) {
                (Tokens::AsText, Some(l)) => escape(l),
                (Tokens::AsText, None) => escape(target),
                (_, Some(l)) => format!("<{}|{}>", escape(target), escape(l)),
                (_, None) => format!("<{}>", escape(target)),
            }
        }
        // `<@bob>`, `<#general>`, `<javascript:…>`, `<https://a b>`, `<b>`: typed characters.
        Token::User { .. } | Token::Channel { .. } | Token::Link { .. } => escape(raw),
    }
}

/// A special mention as words: `@here`, `@channel`, `@everyone`, a group's handle
/// (`<!subteam^S1|@devs>` shows `@devs`), a date's fallback text; with no words to show, the
/// token as typed, escaped.
fn neutralised(name: &str, label: Option<&str>, raw: &str) -> String {
    match name {
        "here" | "channel" | "everyone" => format!("@{name}"),
        _ => match label.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => escape(l),
            None => escape(raw),
        },
    }
}

/// A person without a mention: the name Slack put in the token (`<@U0BOB|bob>` is `@bob`),
/// or "someone".
fn named(label: Option<&str>) -> String {
    match label.map(|l| l.trim().trim_start_matches('@')) {
        Some(l) if !l.is_empty() => format!("@{}", escape(l)),
        _ => "someone".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// typed, then as posted with [`Tokens::Working`], [`Tokens::Quiet`], [`Tokens::AsText`].
    const CASES: &[(&str, &str, &str, &str)] = &[
        // Characters that are not tokens are escaped.
        ("a < b", "a &lt; b", "a &lt; b", "a &lt; b"),
        (
            "a > b & c",
            "a &gt; b &amp; c",
            "a &gt; b &amp; c",
            "a &gt; b &amp; c",
        ),
        ("&amp;", "&amp;amp;", "&amp;amp;", "&amp;amp;"),
        (
            "<b>bold</b>",
            "&lt;b&gt;bold&lt;/b&gt;",
            "&lt;b&gt;bold&lt;/b&gt;",
            "&lt;b&gt;bold&lt;/b&gt;",
        ),
        // Special mentions are words; sections are verbatim, so the words stay words.
        (
            "<!channel> pizza",
            "@channel pizza",
            "@channel pizza",
            "@channel pizza",
        ),
        ("<!here>", "@here", "@here", "@here"),
        ("<!here|@here>", "@here", "@here", "@here"),
        ("<!everyone>", "@everyone", "@everyone", "@everyone"),
        ("<!subteam^S1|@devs>", "@devs", "@devs", "@devs"),
        (
            "<!subteam^S1>",
            "&lt;!subteam^S1&gt;",
            "&lt;!subteam^S1&gt;",
            "&lt;!subteam^S1&gt;",
        ),
        (
            "<!date^1392734382^{date}|18 Feb>",
            "18 Feb",
            "18 Feb",
            "18 Feb",
        ),
        ("<!foo>", "&lt;!foo&gt;", "&lt;!foo&gt;", "&lt;!foo&gt;"),
        (
            "@here as typed",
            "@here as typed",
            "@here as typed",
            "@here as typed",
        ),
        // People: a mention where it works, a name in the digest and in titles.
        ("<@U0BOB|bob>", "<@U0BOB>", "@bob", "@bob"),
        ("<@U0BOB>", "<@U0BOB>", "someone", "someone"),
        ("<@W0ANN|@ann>", "<@W0ANN>", "@ann", "@ann"),
        (
            "<@U0BOB|<b>>",
            "&lt;@U0BOB|&lt;b&gt;&gt;",
            "&lt;@U0BOB|&lt;b&gt;&gt;",
            "&lt;@U0BOB|&lt;b&gt;&gt;",
        ),
        ("<@bob>", "&lt;@bob&gt;", "&lt;@bob&gt;", "&lt;@bob&gt;"),
        (
            "<@U0BOB extra>",
            "&lt;@U0BOB extra&gt;",
            "&lt;@U0BOB extra&gt;",
            "&lt;@U0BOB extra&gt;",
        ),
        // Channels.
        ("<#C1|general>", "<#C1>", "<#C1>", "#general"),
        ("<#C1>", "<#C1>", "<#C1>", "a channel"),
        (
            "<#general>",
            "&lt;#general&gt;",
            "&lt;#general&gt;",
            "&lt;#general&gt;",
        ),
        // Links: address checked and escaped, label escaped.
        (
            "<https://x.example/a|the docs>",
            "<https://x.example/a|the docs>",
            "<https://x.example/a|the docs>",
            "the docs",
        ),
        (
            "<https://x.example>",
            "<https://x.example>",
            "<https://x.example>",
            "https://x.example",
        ),
        (
            "<http://x.example/?a=1&b=2|a & b>",
            "<http://x.example/?a=1&amp;b=2|a &amp; b>",
            "<http://x.example/?a=1&amp;b=2|a &amp; b>",
            "a &amp; b",
        ),
        (
            "<https://x.example| >",
            "<https://x.example>",
            "<https://x.example>",
            "https://x.example",
        ),
        (
            "<mailto:bob@example.com|Email Bob>",
            "<mailto:bob@example.com|Email Bob>",
            "<mailto:bob@example.com|Email Bob>",
            "Email Bob",
        ),
        (
            "<mailto:|x>",
            "&lt;mailto:|x&gt;",
            "&lt;mailto:|x&gt;",
            "&lt;mailto:|x&gt;",
        ),
        (
            "<javascript:alert(1)|x>",
            "&lt;javascript:alert(1)|x&gt;",
            "&lt;javascript:alert(1)|x&gt;",
            "&lt;javascript:alert(1)|x&gt;",
        ),
        (
            "<https://|x>",
            "&lt;https://|x&gt;",
            "&lt;https://|x&gt;",
            "&lt;https://|x&gt;",
        ),
        (
            "<https://a b|x>",
            "&lt;https://a b|x&gt;",
            "&lt;https://a b|x&gt;",
            "&lt;https://a b|x&gt;",
        ),
        // Nested and malformed: only the innermost well-formed token counts.
        (
            "<https://x|<!here>>",
            "&lt;https://x|@here&gt;",
            "&lt;https://x|@here&gt;",
            "&lt;https://x|@here&gt;",
        ),
        (
            "<https://x|<@U1>>",
            "&lt;https://x|<@U1>&gt;",
            "&lt;https://x|someone&gt;",
            "&lt;https://x|someone&gt;",
        ),
        (
            "<<@U1>>",
            "&lt;<@U1>&gt;",
            "&lt;someone&gt;",
            "&lt;someone&gt;",
        ),
        (
            "<https://x",
            "&lt;https://x",
            "&lt;https://x",
            "&lt;https://x",
        ),
        (
            "<https://x|docs",
            "&lt;https://x|docs",
            "&lt;https://x|docs",
            "&lt;https://x|docs",
        ),
        ("x> <@U1", "x&gt; &lt;@U1", "x&gt; &lt;@U1", "x&gt; &lt;@U1"),
        // All together, as a description might be.
        (
            "Ask <@U0BOB|bob> in <#C1|bins>: <https://x.example|demo> <!channel>",
            "Ask <@U0BOB> in <#C1>: <https://x.example|demo> @channel",
            "Ask @bob in <#C1>: <https://x.example|demo> @channel",
            "Ask @bob in #bins: demo @channel",
        ),
    ];

    #[test]
    fn one_function_decides_what_each_token_becomes() {
        for &(typed, working, quiet, as_text) in CASES {
            assert_eq!(
                user_text(typed, Tokens::Working),
                working,
                "working: {typed}"
            );
            assert_eq!(user_text(typed, Tokens::Quiet), quiet, "quiet: {typed}");
            assert_eq!(
                user_text(typed, Tokens::AsText),
                as_text,
                "as text: {typed}"
            );
        }
    }

    #[test]
    fn nothing_posted_can_notify_a_crowd() {
        for &(typed, working, quiet, as_text) in CASES {
            for posted in [working, quiet, as_text] {
                assert!(!posted.contains("<!"), "{typed} -> {posted}");
            }
            assert!(!quiet.contains("<@"), "{typed} -> {quiet}");
            assert!(!as_text.contains('<'), "{typed} -> {as_text}");
        }
    }
}
