//! mrkdwn as plain text, for a terminal (`makers-bot digest --dry-run`): links as their label
//! and address, mentions and channels as names, entities as the characters they stand for.
//! Bold and italic markers stay: `*New pitches*` reads as emphasis in plain text too.

/// `mrkdwn` (as the renderer builds it: every `<` starts a token) as plain text.
pub fn plain_text(mrkdwn: &str) -> String {
    let mut out = String::with_capacity(mrkdwn.len());
    let mut rest = mrkdwn;
    while let Some(start) = rest.find('<') {
        out.push_str(&unescape(&rest[..start]));
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            // Not a token after all: the rest as it is.
            out.push_str(&unescape(&rest[start..]));
            return out;
        };
        out.push_str(&token(&after[..end]));
        rest = &after[end + 1..];
    }
    out.push_str(&unescape(rest));
    out
}

/// One token's inside: `https://x|label` is "label (https://x)", `@U1|bob` "@bob", `#C1` "#C1".
fn token(inside: &str) -> String {
    let (target, label) = match inside.split_once('|') {
        Some((t, l)) => (
            unescape(t),
            Some(unescape(l)).filter(|l| !l.trim().is_empty()),
        ),
        None => (unescape(inside), None),
    };
    match (target.chars().next(), label) {
        (Some('@'), Some(l)) => format!("@{}", l.trim_start_matches('@')),
        (Some('#'), Some(l)) => format!("#{}", l.trim_start_matches('#')),
        (Some('!'), Some(l)) => l,
        (Some('@' | '#' | '!'), None) => target,
        (_, Some(l)) if l != target => {
            let address = target.strip_prefix("mailto:").unwrap_or(&target);
            format!("{l} ({address})")
        }
        _ => target
            .strip_prefix("mailto:")
            .unwrap_or(&target)
            .to_string(),
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn tokens_and_entities_read_as_plain_text() {
        for (mrkdwn, plain) in [
            ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
            ("&amp;lt;", "&lt;"),
            (
                "<https://x.example/p/1|#1 Bins &amp; more>",
                "#1 Bins & more (https://x.example/p/1)",
            ),
            (
                "<https://x.example/a?b=1&amp;c=2>",
                "https://x.example/a?b=1&c=2",
            ),
            ("<https://x.example|https://x.example>", "https://x.example"),
            ("<mailto:a@b.example|Ann>", "Ann (a@b.example)"),
            ("<@U0BOB> and <@U0ANN|ann>", "@U0BOB and @ann"),
            ("<#C0MAKERS|makers> <#C1>", "#makers #C1"),
            ("*New pitches*: 2", "*New pitches*: 2"),
            ("dangling < sign", "dangling < sign"),
        ] {
            assert_eq!(plain_text(mrkdwn), plain, "{mrkdwn}");
        }
    }
}
