//! What the public catalogue may show: published projects as records holding nothing
//! personal, and [`public_text`], which takes people out of the free text teams typed in Slack.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::emoji::with_emoji;
use super::styled::unmarked_styles;
use super::tokens::{Piece, Token, pieces};
use super::{Phase, ProjectLink, Slug};

/// One published project as the catalogue lists it. Councils are named; people never are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub slug: Slug,
    /// Its title, through [`public_text`].
    pub name: String,
    /// Its description, through [`public_text`].
    pub description: String,
    pub phase: Phase,
    /// The pitcher's council, if they said it.
    pub lead_council: Option<String>,
    /// The councils of the team's members, by name.
    pub councils: Vec<String>,
    /// The councils that said they re-use it, by name.
    pub used_by: Vec<String>,
    pub links: Vec<ProjectLink>,
    /// Unix seconds.
    pub pitched: i64,
    /// When it last had news (pitch, update or phase change), unix seconds.
    pub last_news: i64,
    /// When it was put in the catalogue (last, if it was taken out and put back), unix
    /// seconds: the feed's order.
    pub published: i64,
    /// Merged into another project (`merge`): where its work carries on.
    pub carried_on: Option<CarriedOn>,
    /// When it was merged, or its merge last moved on (the project it was merged into merged
    /// in turn), unix seconds: its feed entry changed then.
    pub merged_at: Option<i64>,
    /// When its phase last changed (retired, say), unix seconds: its feed entry's category
    /// and summary changed then.
    pub phase_changed: Option<i64>,
}

/// A council's re-use as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicReuse {
    pub council: String,
    /// Through [`public_text`].
    pub note: String,
    pub since: i64,
}

/// A phase change as its page shows it (no one is named as having made it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPhaseChange {
    pub to: Phase,
    /// Through [`public_text`].
    pub note: String,
    pub at: i64,
}

/// One project's page: its entry, who re-uses it and how, and its phases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CataloguePage {
    pub entry: CatalogueEntry,
    pub reuses: Vec<PublicReuse>,
    /// Oldest first.
    pub history: Vec<PublicPhaseChange>,
}

/// Where a merged service's work carries on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CarriedOn {
    /// A service in the catalogue.
    As(MergedService),
    /// A project not in the catalogue (yet), whose name is not public.
    Unlisted,
}

/// A published service another was merged into: its address and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedService {
    pub slug: Slug,
    /// Through [`public_name`].
    pub name: String,
}

/// A project's name as the catalogue shows it everywhere (pages, JSON, CSV): its title as
/// [`public_text`] shows it, without the markers of Slack's styles (a name stands alone, in
/// a heading or a link), or "Untitled service" when that shows nothing (a title of only
/// `<!here>`), never an empty name or link.
pub fn public_name(title: &str) -> String {
    let text = public_text(title);
    let name = unmarked_styles(&text);
    // Trimmed: a title that began with `<!here> ` would sort, and read, with a space first.
    match name.trim() {
        "" => "Untitled service".to_string(),
        shown => shown.to_string(),
    }
}

/// Text typed in Slack, fit for the public: Slack's tokens become what a reader would see
/// without naming anyone (`<@U123>` "someone", `<#C123|general>` "a channel", a link its
/// label or address, `<!here>` nothing), emoji codes the emoji Slack shows (`:tada:` 🎉),
/// and e-mail addresses are taken out. Councils type descriptions and notes for their
/// colleagues; the catalogue is for everyone.
pub fn public_text(typed: &str) -> String {
    shown(typed, true)
}

/// [`public_text`] with emoji codes left as codes: what a catalogue address is made from, as
/// before emoji were shown (an address made anew from `:recycle: Bins` at start would move
/// a published page: see `store::publishing::repair_slugs`).
pub(super) fn public_text_with_codes(typed: &str) -> String {
    shown(typed, false)
}

fn shown(typed: &str, emoji: bool) -> String {
    let mut out = String::with_capacity(typed.len());
    for piece in pieces(typed) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Token { token, raw } => match token_text(token) {
                Some(shown) => out.push_str(&shown),
                None => out.push_str(raw),
            },
        }
    }
    // Over the whole text as shown, so that code a token sits in is read as the page reads
    // it (emoji codes in code stay codes).
    if emoji && let Cow::Owned(with) = with_emoji(&out) {
        out = with;
    }
    without_emails(without_slack_addresses(out))
}

/// Slack's own addresses left as typed rather than in a token (in code, where the bot does
/// not link them, or where linking would have made a text too long) shown as words, as a
/// token's are: they hold a workspace's name and a channel's or a person's id.
fn without_slack_addresses(s: String) -> String {
    if !s
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"slack"))
    {
        return s;
    }
    let apart = |c: char| c.is_whitespace() || "`<>\"'()[]{}|".contains(c);
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while !rest.is_empty() {
        let start = rest.find(|c: char| !apart(c)).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(apart).unwrap_or(rest.len());
        let word = &rest[..end];
        // A sentence's last mark is not the address's.
        let address = word.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let lower = address.to_ascii_lowercase();
        let an_address = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("slack:")
            || address.contains('/');
        match an_address && is_slack_address(address) {
            true => {
                out.push_str("a link in Slack");
                out.push_str(&word[address.len()..]);
            }
            false => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out
}

/// `typed` with `user` taken out: their mentions (`<@U123>`, `<@U123|bob>`) and any bare
/// copy of their id become "someone"; everything else is left as typed. For forgetting a
/// person in the texts that stay as the team's work.
pub fn without_person(typed: &str, user: &super::UserId) -> String {
    let mut out = String::with_capacity(typed.len());
    for piece in pieces(typed) {
        match piece {
            Piece::Token {
                token: Token::User { id, .. },
                ..
            } if id == user.as_str() => out.push_str("someone"),
            Piece::Token { raw, .. } => out.push_str(raw),
            Piece::Text(text) => out.push_str(text),
        }
    }
    replace_whole_id(&out, user.as_str(), "someone")
}

/// Whether `text` holds the Slack id `id` standing alone (not part of a longer id or word:
/// `U0BOB` is not in `U0BOBBY`).
pub fn names_id(text: &str, id: &str) -> bool {
    whole_ids(text, id).next().is_some()
}

/// Where the copies of `id` that stand alone start in `text`. A percent-escape just before
/// one is not part of it: in a link's address, `%40U0BOB` is `@U0BOB`.
fn whole_ids<'a>(text: &'a str, id: &'a str) -> impl Iterator<Item = usize> + 'a {
    let part_of_id = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let after_escape = |before: &[u8]| matches!(before, [.., b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit());
    text.match_indices(id).filter_map(move |(at, _)| {
        let end = at + id.len();
        let before = &text[..at];
        let starts_alone =
            !part_of_id(before.chars().next_back()) || after_escape(before.as_bytes());
        (starts_alone && !part_of_id(text[end..].chars().next())).then_some(at)
    })
}

/// `text` with every copy of the Slack id `id` that stands alone replaced by `with`.
fn replace_whole_id(text: &str, id: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in whole_ids(text, id) {
        let end = at + id.len();
        if at >= copied {
            out.push_str(&text[copied..at]);
            out.push_str(with);
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// What a reader sees for one Slack token; `None` for a link to somewhere other than a web
/// page or an address (`<javascript:…>`), which is shown as typed.
fn token_text(token: Token<'_>) -> Option<String> {
    let shown = match token {
        Token::User { .. } => "someone".to_string(),
        Token::Special { .. } => String::new(), // <!here>, <!channel>, <!subteam^…>, <!date^…>
        // Its id is internal, and its name may be a private channel's ("#hr-restructure"):
        // which kind it is, the text does not say.
        Token::Channel { .. } => "a channel".to_string(),
        Token::Link { target, .. } if has_scheme(target, "mailto:") => String::new(),
        Token::Link { target, label }
            if has_scheme(target, "http://")
                || has_scheme(target, "https://")
                || has_scheme(target, "slack:") =>
        {
            // A Slack address holds ids (a message's channel, a profile's person, a file's
            // workspace) and opens only for the workspace's members anyway: shown as words,
            // unless its label says something else (Slack labels an address typed without
            // its scheme with the address itself).
            let label = label.map(str::trim).filter(|l| !l.is_empty());
            match label {
                _ if is_slack_address(target) && label.is_none_or(is_slack_address) => {
                    "a link in Slack".to_string()
                }
                Some(l) => l.to_string(),
                None => target.to_string(),
            }
        }
        Token::Link { .. } => return None,
    };
    Some(shown)
}

/// What follows `scheme` (`https://`, `mailto:`) at the start of `target`, in any case: a
/// scheme is (a phone capitalises `Https://`), and Slack makes such an address a link all
/// the same. `None` when `target` does not start with it.
pub fn after_scheme<'a>(target: &'a str, scheme: &str) -> Option<&'a str> {
    target
        .get(..scheme.len())
        .filter(|head| head.eq_ignore_ascii_case(scheme))
        .map(|_| &target[scheme.len()..])
}

fn has_scheme(target: &str, scheme: &str) -> bool {
    after_scheme(target, scheme).is_some()
}

/// Whether `address` (`http(s)://…`, or without its scheme as Slack labels a link typed so)
/// is Slack's own: `slack.com`, a workspace's `<name>.slack.com`, Slack's file host, its
/// image host (`ca.slack-edge.com/T…-U…-…`, a person's picture), or one of its desktop deep
/// links (`slack://channel?team=T…&id=C…`): each holds a workspace's, channel's or person's id.
pub(super) fn is_slack_address(address: &str) -> bool {
    if has_scheme(address, "slack:") {
        return true;
    }
    let after_scheme = address.split_once("://").map_or(address, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    ["slack.com", "slack-files.com", "slack-edge.com"]
        .iter()
        .any(|own| host == *own || host.ends_with(&format!(".{own}")))
}

/// Replaces each word that looks like an e-mail address (`x@y.z`, or `x%40y.z` as a web
/// address carries one) with "(e-mail removed)".
fn without_emails(s: String) -> String {
    if !s.contains('@') && !s.contains("%40") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if looks_like_email(word) {
            out.push_str("(e-mail removed)");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in s.chars() {
        if c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\'' | '<' | '>') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A council's name as the public catalogue shows it: an e-mail address in it (typed as a
/// council's name by a build from before those were refused) removed.
pub fn public_council(name: String) -> String {
    without_emails(name)
}

/// Whether `text` holds something that looks like an e-mail address (`x@y.z`), among
/// characters an address is not made of (a link's path or query: `?owner=sam@x.gov.uk`).
pub fn holds_email(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '@' | '_' | '-' | '+' | '%')))
        .any(looks_like_email)
}

fn looks_like_email(word: &str) -> bool {
    let word = word.trim_end_matches(['.', '!', '?', ':']);
    // `%40` is `@` in a web address: `?owner=sam%40council.gov.uk` names Sam as much. Such a
    // one must end in a real domain (`council.gov.uk`, letters last), so that the `%40` in
    // a Teams meeting's address (`19%3ameeting_X%40thread.v2/0?context=…`) is not taken
    // for one and the link lost.
    let escaped = !word.contains('@') && word.contains("%40");
    let word = word.replace("%40", "@");
    match word.split_once('@') {
        Some((local, domain)) if escaped => {
            // (A further escape ends the host too: `%26` is the `&` of the next field.)
            let host = domain
                .split(['/', '?', '#', '&', '=', '%'])
                .next()
                .unwrap_or_default();
            let last = host.rsplit('.').next().unwrap_or_default();
            !local.is_empty()
                && host.contains('.')
                && !host.starts_with(['.', '-'])
                && !host.to_ascii_lowercase().starts_with("thread.")
                && last.len() >= 2
                && last.chars().all(|c| c.is_ascii_alphabetic())
        }
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{names_id, public_text, without_person};
    use crate::domain::UserId;

    #[test]
    fn an_id_is_named_only_where_it_stands_alone() {
        assert!(names_id("U0BOB", "U0BOB"));
        assert!(names_id("{\"text\":\"thanks <@U0BOB>\"}", "U0BOB"));
        assert!(names_id("ask <@U0BOBBY>, then U0BOB", "U0BOB"));
        assert!(!names_id("{\"text\":\"thanks <@U0BOBBY>\"}", "U0BOB"));
        assert!(!names_id("XU0BOB", "U0BOB"));
        assert!(names_id("?who=%40U0BOB", "U0BOB"));
        assert!(!names_id("?who=%4U0BOB", "U0BOB"));
        assert!(!names_id("", "U0BOB"));
    }

    #[test]
    fn forgetting_a_person_leaves_longer_ids_that_begin_with_theirs() {
        let bob = UserId::parse("U0BOB").unwrap();
        let cases = [
            (
                "thanks <@U0BOB> and <@U0BOBBY>",
                "thanks someone and <@U0BOBBY>",
            ),
            (
                "ask <@U0BOBBY|bobby>, not <@U0BOB|bob>",
                "ask <@U0BOBBY|bobby>, not someone",
            ),
            (
                "U0BOB said; XU0BOB and U0BOB2 did not",
                "someone said; XU0BOB and U0BOB2 did not",
            ),
            ("U0BOBU0BOB", "U0BOBU0BOB"),
            // In a link's address, after a percent-escape (`%40` is `@`).
            (
                "https://forms.example/f?who=%40U0BOB&x=%3DU0BOBBY",
                "https://forms.example/f?who=%40someone&x=%3DU0BOBBY",
            ),
        ];
        for (typed, left) in cases {
            assert_eq!(without_person(typed, &bob), left, "{typed}");
        }
    }

    #[test]
    fn e_mail_addresses_are_found_in_links_and_taken_out_of_council_names() {
        use super::{holds_email, public_council};
        assert!(holds_email(
            "https://forms.example/f?owner=sam.jones@council.gov.uk"
        ));
        assert!(holds_email("https://x.example/a/sam@council.gov.uk/b"));
        assert!(!holds_email("https://x.example/@team/page"));
        assert!(!holds_email("https://x.example/a?b=c&d=e"));
        assert_eq!(
            public_council("sam.jones@guildford.gov.uk".into()),
            "(e-mail removed)"
        );
        assert_eq!(public_council("Guildford".into()), "Guildford");
    }

    #[test]
    fn people_channels_ids_and_addresses_are_taken_out_of_public_text() {
        let cases = [
            ("Ask <@U0PITCHER> for access", "Ask someone for access"),
            ("Ask <@U0PITCHER|sam> for access", "Ask someone for access"),
            // A channel's name may be a private channel's.
            ("Talk in <#C0MAKERS|hr-restructure>", "Talk in a channel"),
            ("Talk in <#C0MAKERS>", "Talk in a channel"),
            ("<!here> we are live", " we are live"),
            ("<!subteam^S123|@devs> look", " look"),
            ("See <https://x.example/a|the docs>", "See the docs"),
            ("See <https://x.example/a>", "See https://x.example/a"),
            // A scheme in any case is a scheme.
            ("See <Https://x.example/a>.", "See Https://x.example/a."),
            ("Mail <MAILTO:sam@council.gov.uk>", "Mail "),
            // Slack's own addresses hold ids: shown as words, unless labelled.
            (
                "From <https://councils.slack.com/archives/C0MAKERS/p1516229207000133>",
                "From a link in Slack",
            ),
            (
                "<https://app.slack.com/client/T0001/C0MAKERS> and <https://Slack.com/team/U0BOB>",
                "a link in Slack and a link in Slack",
            ),
            (
                "<https://files.slack.com/files-pri/T0001-F0002/plan.pdf|the plan>",
                "the plan",
            ),
            (
                "<https://x.slack-files.com/T0001-F0002-abc>",
                "a link in Slack",
            ),
            (
                "<http://councils.slack.com/archives/C0MAKERS|councils.slack.com/archives/C0MAKERS>",
                "a link in Slack",
            ),
            // Left as typed (in code, or where a link would have been too long): the same.
            (
                "See `https://acme.slack.com/archives/C0SECRET/p1` and https://ACME.Slack.com/archives/C0SECRET/p2.",
                "See `a link in Slack` and a link in Slack.",
            ),
            (
                "(acme.slack.com/team/U0BOB) or slack.com, notslack.com/a and https://x.example/slack.com",
                "(a link in Slack) or slack.com, notslack.com/a and https://x.example/slack.com",
            ),
            // Slack's desktop deep links and its avatar host hold ids too (they were kept).
            (
                "Ask in slack://channel?team=T0123ABC&id=C0SECRET. Or SLACK://user?team=T0123ABC&id=U0BOB",
                "Ask in a link in Slack. Or a link in Slack",
            ),
            (
                "<slack://channel?team=T0123ABC&id=C0SECRET> or <slack://open|the app>",
                "a link in Slack or the app",
            ),
            (
                "https://ca.slack-edge.com/T0123ABC-U0456DEF-abc-512 or <https://a.slack-edge.com/x.png>",
                "a link in Slack or a link in Slack",
            ),
            (
                "https://slack-edge.com.example/a",
                "https://slack-edge.com.example/a",
            ),
            ("<https://notslack.com/a>", "https://notslack.com/a"),
            (
                "<https://slack.com.example/a>",
                "https://slack.com.example/a",
            ),
            (
                "Mail <mailto:sam@council.gov.uk|sam@council.gov.uk>",
                "Mail ",
            ),
            ("Mail sam.jones@council.gov.uk.", "Mail (e-mail removed)"),
            ("(sam@council.gov.uk)", "((e-mail removed))"),
            (
                "Form: https://forms.example/f?owner=sam%40council.gov.uk here",
                "Form: (e-mail removed) here",
            ),
            (
                "Form: https://f.example/f?owner=sam%40council.gov.uk%26x=1 here",
                "Form: (e-mail removed) here",
            ),
            ("Spend 100%40 on it", "Spend 100%40 on it"),
            (
                "Join https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=x",
                "Join https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=x",
            ),
            (
                "Chat https://teams.microsoft.com/l/chat/19%3aabc%40thread.skype/x",
                "Chat https://teams.microsoft.com/l/chat/19%3aabc%40thread.skype/x",
            ),
            ("a < b and c > d", "a < b and c > d"),
            ("1 <2 <@U1>", "1 <2 someone"),
            (
                "@channel and user@ and @home.",
                "@channel and user@ and @home.",
            ),
            ("<script>alert(1)</script>", "<script>alert(1)</script>"),
            ("<b>bold</b> <@U1>", "<b>bold</b> someone"),
        ];
        for (typed, shown) in cases {
            assert_eq!(public_text(typed), shown, "{typed}");
        }
    }
}
