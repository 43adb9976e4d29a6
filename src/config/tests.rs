//! Settings read from a lookup: defaults, names in errors, secrets never shown.

use super::*;
use std::collections::HashMap;

/// Settings as given, for `Config::from_lookup`.
pub(super) fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

/// The two credentials `serve` needs without OAuth or Socket Mode.
pub(super) const BOTH: &[(&str, &str)] = &[
    ("SLACK_SIGNING_SECRET", "s3cret"),
    ("SLACK_BOT_TOKEN", "xoxb-1"),
];

#[test]
fn defaults_follow_the_contract() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    assert_eq!(c.api_url, "https://slack.com/api");
    assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
    assert_eq!(c.db_path, PathBuf::from("makers.db"));
    assert_eq!(c.join_emoji, "raised_hand");
    assert_eq!(c.tz, chrono_tz::Europe::London);
    assert_eq!((c.nudge_after_days, c.quiet_after_days), (21, 56));
}

#[test]
fn public_url_is_kept_without_its_trailing_slash() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    assert_eq!(c.public_url, None, "the bound address is used");
    let mut pairs = BOTH.to_vec();
    pairs.push(("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk/bot/"));
    let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
    assert_eq!(
        c.public_url.as_deref(),
        Some("https://makers.example.gov.uk/bot")
    );
}

#[test]
fn api_url_loses_its_trailing_slash() {
    let mut pairs = BOTH.to_vec();
    pairs.push(("SLACK_API_URL", "http://127.0.0.1:9/api/"));
    let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
    assert_eq!(c.api_url, "http://127.0.0.1:9/api");
}

#[test]
fn missing_secret_is_named() {
    let err = Config::from_lookup(Needs::Serve, lookup(&[("SLACK_BOT_TOKEN", "x")]));
    assert_eq!(
        err.unwrap_err().to_string(),
        "missing required setting SLACK_SIGNING_SECRET"
    );
    let err = Config::from_lookup(Needs::PostOnly, lookup(&[])).unwrap_err();
    assert_eq!(err, ConfigError::Missing("SLACK_BOT_TOKEN"));
    assert!(Config::from_lookup(Needs::Nothing, lookup(&[])).is_ok());
}

#[test]
fn bad_values_are_named_with_the_value() {
    for (name, value) in [
        ("MAKERS_ADDR", "nowhere"),
        ("MAKERS_TZ", "Europe/Atlantis"),
        ("SLACK_API_URL", "slack.com"),
        ("SLACK_API_URL", "http://"),
        ("SLACK_API_URL", "http://exa mple.com/api"),
        ("MAKERS_JOIN_EMOJI", "raised hand"),
        ("MAKERS_NUDGE_AFTER_DAYS", "three weeks"),
        ("MAKERS_QUIET_AFTER_DAYS", "0"),
        ("MAKERS_CHECKPOINTS", "sometimes"),
        ("MAKERS_WRITES_PER_MINUTE", "lots"),
        ("MAKERS_PUBLIC_URL", "makers.example.gov.uk"),
        ("MAKERS_PUBLIC_URL", "ftp://makers.example.gov.uk"),
        ("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk/?x=1"),
        ("MAKERS_ACCESSIBILITY_URL", "accessibility"),
        ("MAKERS_ACCESSIBILITY_URL", "javascript:alert(1)"),
        ("MAKERS_JOIN_URL", "makers.example.gov.uk/join"),
        ("MAKERS_CONTACT_URL", "makers@example.gov.uk"),
        ("MAKERS_CONTACT_URL", "mailto:"),
        ("MAKERS_CONTACT_URL", "mailto:makers"),
        ("MAKERS_CONTACT_URL", "mailto:makers@localhost"),
        ("MAKERS_CONTACT_URL", "mailto:a@b.gov.uk,c@d.gov.uk"),
        (
            "MAKERS_CONTACT_URL",
            "mailto:makers@example.gov.uk?subject=hi&bcc=x@y.z",
        ),
        ("MAKERS_CONTACT_URL", "mailto:a@b@example.gov.uk"),
        ("MAKERS_CONTACT_URL", "mailto:<!channel>@example.gov.uk"),
        ("MAKERS_CONTACT_URL", "mailto:makers%2Cx@example.gov.uk"),
        ("MAKERS_CONTACT_URL", "mailto:makers@example.gov.uk#top"),
        ("MAKERS_CONTACT_URL", "tel:01483505050"),
    ] {
        let mut pairs = BOTH.to_vec();
        pairs.push((name, value));
        let err = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap_err();
        let line = err.to_string();
        assert!(line.contains(name) && line.contains(value), "{line}");
    }
}

/// Slack's reaction names are lower case, so a name in capitals is lowered (it never matched
/// a reaction); anything else no emoji name holds (the emoji itself, `:` inside) is refused.
#[test]
fn the_join_emoji_is_a_name_slack_can_send() {
    let join_emoji = |value: &str| {
        let mut pairs = BOTH.to_vec();
        pairs.push(("MAKERS_JOIN_EMOJI", value));
        Config::from_lookup(Needs::Serve, lookup(&pairs)).map(|c| c.join_emoji)
    };
    for (given, used) in [
        ("Raised_Hand", "raised_hand"),
        (":Thumbs_Up:", "thumbs_up"),
        ("+1", "+1"),
        ("man-raising-hand", "man-raising-hand"),
        ("we'll_do_it", "we'll_do_it"),
        ("raised_hand::skin-tone-2", "raised_hand"),
        (":Raised_Hand::skin-tone-6:", "raised_hand"),
        ("ymuno_ŵ", "ymuno_ŵ"),
    ] {
        assert_eq!(join_emoji(given).as_deref(), Ok(used), "{given}");
    }
    for refused in [
        "✋",
        "raised hand",
        "raised_hand::skin-tone-7",
        "a::b",
        "Ŵyn",
        "🙋",
    ] {
        let line = join_emoji(refused).unwrap_err().to_string();
        assert!(
            line.contains("MAKERS_JOIN_EMOJI") && line.contains("e.g. raised_hand"),
            "{line}"
        );
    }
}

#[test]
fn a_host_name_is_resolved_at_start() {
    let mut pairs = BOTH.to_vec();
    pairs.push(("MAKERS_ADDR", "localhost:3001"));
    let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
    assert!(c.addr.ip().is_loopback(), "{}", c.addr);
    assert_eq!(c.addr.port(), 3001);
    // Links name the host as written (the contract's `http://<MAKERS_ADDR>`), not where it
    // resolved to; an address as written is itself.
    assert_eq!(c.public_url_or(c.addr), "http://localhost:3001");
    let mut ip = BOTH.to_vec();
    ip.push(("MAKERS_ADDR", "127.0.0.1:3002"));
    let c = Config::from_lookup(Needs::Serve, lookup(&ip)).unwrap();
    assert_eq!(c.public_url_or(c.addr), "http://127.0.0.1:3002");
    // An IPv6 address written without brackets is served, and linked with them.
    let mut v6 = BOTH.to_vec();
    v6.push(("MAKERS_ADDR", "::1:3003"));
    let c = Config::from_lookup(Needs::Serve, lookup(&v6)).unwrap();
    assert_eq!(c.public_url_or(c.addr), "http://[::1]:3003");
    for value in [
        "localhost",
        "localhost:99999",
        ":3000",
        "no-such-host.invalid:3000",
    ] {
        let mut pairs = BOTH.to_vec();
        pairs.push(("MAKERS_ADDR", value));
        let err = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap_err();
        let line = err.to_string();
        assert!(
            line.contains("MAKERS_ADDR") && line.contains(value),
            "{line}"
        );
    }
}

#[test]
fn secrets_never_print() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("xoxb-1"),
        "{shown}"
    );
}

/// An address refused for holding a user and password is named without them: the refusal
/// goes to the terminal and the journal.
#[test]
fn a_refused_address_is_shown_without_its_password() {
    for name in [
        "MAKERS_PUBLIC_URL",
        "MAKERS_ACCESSIBILITY_URL",
        "MAKERS_PRIVACY_URL",
        "MAKERS_JOIN_URL",
        "MAKERS_CONTACT_URL",
    ] {
        let mut pairs = BOTH.to_vec();
        pairs.push((name, "https://ops:hunter2@makers.example.gov.uk/page"));
        let e = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(shown.contains(name), "{shown}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("ops:"),
            "{shown}"
        );
        assert!(
            shown.contains("https://…@makers.example.gov.uk/page"),
            "{shown}"
        );
    }
    assert_eq!(without_password("not a url: a@b"), "not a url: a@b");
    assert_eq!(
        without_password("https://h.example/a@b"),
        "https://h.example/a@b"
    );
}

#[test]
fn an_accessibility_statement_is_linked_only_when_given() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    assert_eq!(c.accessibility_url, None);
    let mut pairs = BOTH.to_vec();
    let at = "https://www.waverley.gov.uk/accessibility?site=makers";
    pairs.push(("MAKERS_ACCESSIBILITY_URL", at));
    let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
    assert_eq!(c.accessibility_url.as_deref(), Some(at));
}

#[test]
fn a_privacy_notice_is_linked_only_when_given_and_must_be_a_web_page() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    assert_eq!(c.rules().privacy_url, None);
    let mut pairs = BOTH.to_vec();
    let at = "https://www.waverley.gov.uk/privacy/makers";
    pairs.push(("MAKERS_PRIVACY_URL", at));
    let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
    assert_eq!(c.rules().privacy_url.as_deref(), Some(at));
    let mut pairs = BOTH.to_vec();
    pairs.push(("MAKERS_PRIVACY_URL", "dpo@waverley.gov.uk"));
    let e = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap_err();
    assert!(e.to_string().contains("MAKERS_PRIVACY_URL"), "{e}");
}

#[test]
fn the_join_page_and_the_contact_are_linked_only_when_given() {
    let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
    assert_eq!((c.join_url, c.contact_url), (None, None));
    // As written, or as the parser writes it: a space would end a link in Slack's markup.
    for (given, contact) in [
        (
            "mailto:makers@waverley.gov.uk",
            "mailto:makers@waverley.gov.uk",
        ),
        (
            "MAILTO:makers@waverley.gov.uk",
            "mailto:makers@waverley.gov.uk",
        ),
        (
            "https://www.waverley.gov.uk/contact-makers",
            "https://www.waverley.gov.uk/contact-makers",
        ),
        (
            "https://www.waverley.gov.uk/contact us",
            "https://www.waverley.gov.uk/contact%20us",
        ),
    ] {
        let mut pairs = BOTH.to_vec();
        pairs.push(("MAKERS_JOIN_URL", "https://makers.example.org/join"));
        pairs.push(("MAKERS_CONTACT_URL", given));
        let c = Config::from_lookup(Needs::Serve, lookup(&pairs)).unwrap();
        assert_eq!(
            c.join_url.as_deref(),
            Some("https://makers.example.org/join")
        );
        assert_eq!(c.contact_url.as_deref(), Some(contact));
        assert_eq!(c.rules().contact_url.as_deref(), Some(contact));
    }
    // It goes into the bot's messages: at most 300 characters.
    let long = format!("https://www.waverley.gov.uk/{}", "a".repeat(301 - 28));
    for (contact, ok) in [(&long[..300], true), (&long[..], false)] {
        assert_eq!(contact.chars().count(), if ok { 300 } else { 301 });
        let mut pairs = BOTH.to_vec();
        pairs.push(("MAKERS_CONTACT_URL", contact));
        let c = Config::from_lookup(Needs::Serve, lookup(&pairs));
        assert_eq!(c.is_ok(), ok, "{}", contact.len());
    }
}

#[test]
fn join_buttons_are_sealed_with_the_signing_secret_else_the_app_token_else_the_bot_token() {
    let secret = |pairs: &[(&str, &str)], needs| {
        let c = Config::from_lookup(needs, lookup(pairs)).unwrap();
        c.join_secret().map(|s| s.expose().to_string())
    };
    let said = |s: &str| Some(s.to_string());
    assert_eq!(secret(BOTH, Needs::Serve), said("s3cret"));
    let app = ("SLACK_APP_TOKEN", "xapp-1-A1-1-ab");
    assert_eq!(
        secret(&[BOTH[0], BOTH[1], app], Needs::Serve),
        said("s3cret")
    );
    assert_eq!(
        secret(&[BOTH[1], app], Needs::Serve),
        said("xapp-1-A1-1-ab")
    );
    assert_eq!(secret(&[BOTH[1]], Needs::PostOnly), said("xoxb-1"));
    // Not the README's example secret, which anyone can read: the next there is.
    let example = ("SLACK_SIGNING_SECRET", EXAMPLE_SIGNING_SECRET);
    assert_eq!(
        secret(&[example, BOTH[1], app], Needs::Serve),
        said("xapp-1-A1-1-ab")
    );
    assert_eq!(secret(&[example, BOTH[1]], Needs::Serve), said("xoxb-1"));
    let example_token = ("SLACK_BOT_TOKEN", EXAMPLE_BOT_TOKEN);
    assert_eq!(secret(&[example, example_token], Needs::Serve), None);
    assert_eq!(secret(&[], Needs::Nothing), None);
    // With OAuth, its key, which no Slack secret's rotation changes.
    let key = "ab".repeat(32);
    let oauth = [
        ("SLACK_CLIENT_ID", "1.2"),
        ("SLACK_CLIENT_SECRET", "c"),
        ("MAKERS_SECRET_KEY", key.as_str()),
    ];
    assert_eq!(
        secret(&[&oauth[..], BOTH].concat(), Needs::Serve),
        said(&key)
    );
    // While it is being changed, the one before still opens what it sealed; without OAuth
    // there is no previous secret to be told.
    let previous = |pairs: &[(&str, &str)]| {
        let c = Config::from_lookup(Needs::Serve, lookup(pairs)).unwrap();
        c.join_previous_secret().map(|s| s.expose().to_string())
    };
    let before = "cd".repeat(32);
    let changing = [
        &oauth[..],
        BOTH,
        &[("MAKERS_PREVIOUS_SECRET_KEY", before.as_str())],
    ]
    .concat();
    assert_eq!(previous(&changing), said(&before));
    assert_eq!(secret(&changing, Needs::Serve), said(&key));
    assert_eq!(previous(&[&oauth[..], BOTH].concat()), None);
    let without_oauth = [BOTH, &[("MAKERS_PREVIOUS_SECRET_KEY", before.as_str())]].concat();
    assert_eq!(previous(&without_oauth), None);
}

/// A `$` dotenvy would read as a variable, and only such a one: not escaped, not in single
/// quotes, not in the value's comment.
#[test]
fn a_dollar_is_refused_where_dotenvy_reads_a_variable() {
    for value in [
        "pa$word",
        "\"pa$word\"",
        "'pa'$word",
        "\"it's $HOME\"",
        "a\\\\$b",
    ] {
        assert!(super::reads_a_variable(value), "{value}");
    }
    for value in [
        "'pa$word'",
        "pa\\$word",
        "\"pa\\$word\"",
        "bar # costs $5",
        "\"a # b\" # $c",
        "plain",
    ] {
        assert!(!super::reads_a_variable(value), "{value}");
    }
}
