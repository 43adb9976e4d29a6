//! Properties of the parser over generated text: it never panics, and components written
//! into command text parse back to exactly those components. Case counts are bounded so
//! `cargo test` stays fast; `fuzz/` runs the same parser without bounds.

use proptest::prelude::*;

use super::*;
use crate::domain::{LinkKind, LinkUrl, Phase, UpdateText, WeeklyTime};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A word as people type them: letters of several scripts, digits, emoji, punctuation,
/// mrkdwn's specials. No whitespace, no `|` and no `<` (a `<` could open a Slack token that
/// swallows the `|` after it, which is the grammar working, not a round trip).
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9éßøŁ漢字😀.,!?'&>@#:;()*_~-]{1,12}"
}

/// Text in the form the parser keeps it (trimmed, single spaces; newlines where `lines`).
fn text(max_words: usize, lines: bool) -> impl Strategy<Value = String> {
    let sep = if lines {
        prop_oneof![Just(" "), Just("\n")].boxed()
    } else {
        Just(" ").boxed()
    };
    prop::collection::vec((word(), sep), 1..max_words).prop_map(|words| {
        let mut out = String::new();
        for (i, (w, sep)) in words.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(w);
        }
        out
    })
}

/// Free text after the project: anything a person might type, `|` and `<` included.
fn free_text() -> impl Strategy<Value = String> {
    (text(12, true), "[|<@!#a-z ]{0,6}", text(4, false))
        .prop_map(|(a, middle, b)| format!("{a}{}{b}", middle.trim()))
}

fn number() -> impl Strategy<Value = u32> {
    1..=999_999_999u32
}

/// `12` or `#12`.
fn reference(n: u32, hash: bool) -> String {
    if hash { format!("#{n}") } else { n.to_string() }
}

/// The subcommand word in any mix of cases.
fn cased(word: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<bool>(), word.len()).prop_map(move |upper| {
        word.chars()
            .zip(upper)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

fn phase() -> impl Strategy<Value = Phase> {
    prop_oneof![
        Just(Phase::Discovery),
        Just(Phase::Alpha),
        Just(Phase::Beta),
        Just(Phase::Live),
        Just(Phase::Retired)
    ]
}

fn weekday() -> impl Strategy<Value = (chrono::Weekday, String)> {
    use chrono::Weekday::*;
    let days = [
        (Mon, "monday"),
        (Tue, "tuesday"),
        (Wed, "wednesday"),
        (Thu, "thursday"),
        (Fri, "friday"),
        (Sat, "saturday"),
        (Sun, "sunday"),
    ];
    (0..7usize, 3..=9usize).prop_map(move |(i, len)| {
        let (day, name) = days[i];
        (day, name[..len.min(name.len())].to_string())
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsing_never_panics(text in any::<String>()) {
        let _ = parse(&text);
        let _ = parse_mention(&text, None);
        let _ = parse_mention(&text, Some("U0BOT"));
    }

    #[test]
    fn parsing_command_shaped_junk_never_panics(
        sub in prop::sample::select(SUBCOMMANDS),
        rest in "[ -~\u{0}-\u{1f}\u{80}-\u{10ffff}]{0,40}",
    ) {
        let _ = parse(&format!("{sub} {rest}"));
        let _ = parse_mention(&format!("<@U0BOT> {sub} {rest}"), Some("U0BOT"));
    }

    #[test]
    fn pitch_round_trips(
        sub in cased("pitch"),
        title in text(8, false),
        description in prop::option::of(free_text()),
    ) {
        let typed = match &description {
            Some(d) => format!("{sub} {title} | {d}"),
            None => format!("{sub} {title}"),
        };
        let parsed = parse(&typed);
        let Ok(Command::Pitch { title: t, description: d }) = parsed else {
            return Err(TestCaseError::fail(format!("{typed:?} -> {parsed:?}")));
        };
        prop_assert_eq!(t.as_str(), title.as_str());
        prop_assert_eq!(d.as_str(), description.as_deref().unwrap_or(""));
    }

    #[test]
    fn update_round_trips(n in number(), hash in any::<bool>(), body in free_text()) {
        let typed = format!("update {} {body}", reference(n, hash));
        let expected = Command::Update {
            project: ProjectNumber::new(n).unwrap(),
            text: UpdateText::parse(&body).unwrap(),
        };
        let kept = UpdateText::parse(&body).unwrap();
        prop_assert_eq!(kept.as_str(), body.as_str());
        prop_assert_eq!(parse(&typed), Ok(expected));
    }

    #[test]
    fn phase_round_trips(n in number(), phase in phase(), note in prop::option::of(free_text())) {
        let typed = match &note {
            Some(note) => format!("phase {n} {phase} | {note}"),
            None => format!("phase {n} {phase}"),
        };
        let expected = Command::Phase {
            project: ProjectNumber::new(n).unwrap(),
            phase,
            note: note.as_deref().map(|s| UpdateText::parse(s).unwrap()),
        };
        prop_assert_eq!(parse(&typed), Ok(expected));
    }

    #[test]
    fn reuse_round_trips(n in number(), note in prop::option::of(free_text())) {
        let typed = match &note {
            Some(note) => format!("reuse {n} | {note}"),
            None => format!("reuse {n}"),
        };
        let expected = Command::Reuse {
            project: ProjectNumber::new(n).unwrap(),
            note: note.as_deref().map(|s| UpdateText::parse(s).unwrap()),
        };
        prop_assert_eq!(parse(&typed), Ok(expected));
    }

    #[test]
    fn link_round_trips(
        n in number(),
        kind in prop_oneof![Just(LinkKind::Code), Just(LinkKind::Service), Just(LinkKind::Docs)],
        url in "https://[a-z]{1,12}\\.example(/[a-z0-9_-]{1,8}){0,3}",
        as_token in any::<bool>(),
    ) {
        let typed_url = if as_token { format!("<{url}>") } else { url.clone() };
        let typed = format!("link {n} {} {typed_url}", kind.as_str());
        let Ok(Command::Link { project, kind: k, url: Some(u) }) = parse(&typed) else {
            return Err(TestCaseError::fail(format!("{typed:?} -> {:?}", parse(&typed))));
        };
        prop_assert_eq!(project.get(), n);
        prop_assert_eq!(k, kind);
        let alone = LinkUrl::parse(&url).unwrap();
        prop_assert_eq!(u.as_str(), alone.as_str());
        prop_assert_eq!(u.as_str().trim_end_matches('/'), url.as_str());
    }

    #[test]
    fn digest_times_round_trip(
        (day, name) in weekday(),
        h in 0u16..24,
        m in 0u16..60,
        padded in any::<bool>(),
    ) {
        let hour = if padded { format!("{h:02}") } else { h.to_string() };
        let typed = format!("digest {name} {hour}:{m:02}");
        let expected = WeeklyTime::new(day, h * 60 + m).unwrap();
        prop_assert_eq!(
            parse(&typed),
            Ok(Command::Digest(DigestCommand::Subscribe(Some(expected))))
        );
    }

    #[test]
    fn project_commands_round_trip(
        sub in prop::sample::select(&["show", "join", "leave", "unreuse", "publish", "unpublish"][..]),
        n in number(),
        hash in any::<bool>(),
    ) {
        let project = ProjectNumber::new(n).unwrap();
        let expected = match sub {
            "show" => Command::Show(project),
            "join" => Command::Join(project),
            "leave" => Command::Leave(project),
            "unreuse" => Command::Unreuse(project),
            "publish" => Command::Publish(project),
            _ => Command::Unpublish(project),
        };
        prop_assert_eq!(parse(&format!("{sub} {}", reference(n, hash))), Ok(expected));
    }

    #[test]
    fn a_mention_parses_as_the_command_after_it(
        bot in "U[A-Z0-9]{2,10}",
        label in prop::option::of("[a-z]{1,8}"),
        n in number(),
        body in free_text(),
        after in prop::sample::select(vec!["", ":", ","]),
    ) {
        let command = format!("update {n} {body}");
        let mention = match label {
            Some(l) => format!("<@{bot}|{l}>{after} {command}"),
            None => format!("<@{bot}>{after}  {command}"),
        };
        prop_assert!(parse(&command).is_ok(), "{command}");
        prop_assert_eq!(parse_mention(&mention, Some(&bot)), parse(&command));
        prop_assert_eq!(parse_mention(&mention, None), parse(&command));
    }
}
