//! `/makers help`: what the bot can do, in the words users see.

use slack_morphism::prelude::*;

use super::fit::Packer;
use super::{code, escape, plain};

/// Usage lines: `(syntax, what it does)`. `{join}` stands for the join emoji's name.
pub const USAGE: &[(&str, &str)] = &[
    (
        "/makers pitch <title> | <description>",
        "pitch a project; people join by reacting with :{join}: or pressing Join",
    ),
    (
        "/makers pitch",
        "a form to pitch a project (the Pitch a project shortcut opens it too)",
    ),
    (
        "/makers list",
        "open projects, by phase; a long list a page at a time (`page 2`)",
    ),
    (
        "/makers list <phase>, list mine, list quiet, list reused",
        "projects in one phase, the ones you are in, the ones gone quiet, or what your council re-uses",
    ),
    (
        "/makers update <id> <text>",
        "post a status update in the project's thread (team only; or mention me in the thread)",
    ),
    (
        "/makers correct <id> <text>",
        "replace the words of your latest update on a project (its line in the thread too)",
    ),
    (
        "/makers withdraw <id>",
        "withdraw your latest update on a project (posted on the wrong one, say): gone from `show`, search and digests, and from my line in the thread",
    ),
    (
        "/makers edit <id> <title> | <description>",
        "correct a pitch's title, and its description if you give one (team only)",
    ),
    (
        "/makers phase <id> <phase> | <note>",
        "move a project to discovery, alpha, beta, live or retired (the note is optional)",
    ),
    (
        "/makers show <id>",
        "one project: description, phase, team (`/makers 4` too; or any workspace's service by its catalogue address, `show bin-day-finder`)",
    ),
    (
        "/makers search <words>",
        "projects matching the words, best first, then services other workspaces have published: is someone already doing this?",
    ),
    (
        "/makers join <id>",
        "join a project's team (or react with :{join}: to its announcement); one of this workspace by its catalogue address too",
    ),
    ("/makers leave <id>", "leave a project's team"),
    (
        "/makers remove <id> @person",
        "take someone off a project's team (its lead, or its team once the lead has left; they are told)",
    ),
    (
        "/makers lead-council <id> <council>",
        "the council that leads a project, as its catalogue page shows (its lead, or its team once the lead has left)",
    ),
    (
        "/makers handover <id> @person",
        "hand the lead of a project to someone in its team (its lead, or its team once the lead has left)",
    ),
    (
        "/makers merge <id> into <id>",
        "retire a project that does what another does, pointing its team to the other (team only)",
    ),
    (
        "/makers digest",
        "a weekly digest in this channel (Monday 09:00; `digest friday 16:30` to change, `digest off` to stop, `digest preview` to see it now)",
    ),
    (
        "/makers reuse <id> | <how we use it>",
        "say your council re-uses a project, or any workspace's service by its catalogue address (`reuse bin-day-finder`); the note is optional",
    ),
    (
        "/makers unreuse <id>",
        "your council no longer re-uses it (a service by its catalogue address too, `unreuse bin-day-finder`)",
    ),
    (
        "/makers publish <id>",
        "put a project in the public catalogue, so anyone can find and re-use it (team only)",
    ),
    (
        "/makers unpublish <id>",
        "take it out of the public catalogue (team only)",
    ),
    (
        "/makers link <id> <code, service or docs> <url>",
        "where the project's code, live service or documentation are (team only; `none` removes one)",
    ),
    (
        "/makers council <name>",
        "say which council you work for (`/makers council` alone shows it)",
    ),
    (
        "/makers councils",
        "give and take per council: projects led, people in teams, re-use both ways (`councils Waverley`: one council's projects)",
    ),
    (
        "/makers report",
        "this quarter's figures for the workspace: pitched, moved on, gone live, joined, published, re-used, and each council's part (`report last quarter`, `report Q2`, `report year`, `report 2026-04-01 to 2026-06-30`)",
    ),
    (
        "/makers report <period> for <council>",
        "one council's part: what it led, joined and re-used, and who re-uses its work (`report last quarter for Waverley`, `report for my council`)",
    ),
    (
        "/makers list council <name>",
        "open projects a council leads, works on or re-uses",
    ),
    (
        "/makers skills <skill>, <skill>, …",
        "the skills you offer, e.g. `developer, user research` (`/makers skills` alone shows them and projects looking for them; `none` clears them)",
    ),
    (
        "/makers wants <id> <skill>, …",
        "the skills a project's team is looking for (team only; `none` clears them)",
    ),
    (
        "/makers list needs <skill>",
        "open projects looking for that skill",
    ),
    (
        "/makers privacy",
        "what I record about you, for how long, who sees it, and your rights",
    ),
    (
        "/makers forget me",
        "leave every team and have your council and skills forgotten; your pitches and updates stay, naming nobody",
    ),
    (
        "/makers help",
        "this help (`/makers help join`: one command's lines)",
    ),
];

/// How the help was asked for: its last lines tell of the other ways in, and someone who
/// mentioned the bot need not be told they can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Typed,
    ByMention,
}

/// The last lines of the whole help: the other ways in, and the public catalogue, where
/// other councils' services are (when people can reach it).
pub fn elsewhere(asked: Asked, look: &super::Look) -> String {
    let mention = match asked {
        Asked::Typed => {
            "You can also mention me with the same words, e.g. `@makers list`; in a pitch's thread, what you write is an update"
        }
        Asked::ByMention => "In a pitch's thread, what you write to me is an update",
    };
    let catalogue = look
        .catalogue_if_reachable()
        .map(|url| format!(" Services councils have built are in <{url}|the public catalogue>."))
        .unwrap_or_default();
    format!(
        "{mention}, and a command about that project needs no number (`@makers leave`), but `edit` and `correct` take it (`@makers edit 4 …`), so an update can start with those words. My *Home* tab (click my name) shows your projects; the *Pitch a project* shortcut, and *Pitch as a project* or *Post as project update* in a message's menu, open forms.{catalogue}"
    )
}

/// A word typed, to echo: at most [`ECHOED`] characters, without control or invisible ones.
fn echo(word: &str) -> String {
    let word = crate::domain::strip_invisible(word, false);
    match word.char_indices().nth(ECHOED) {
        Some((i, _)) => format!("{}…", &word[..i]),
        None => word,
    }
}

const ECHOED: usize = 40;

/// The usage lines of subcommand `sub` (`council`'s, not `councils`').
fn lines_about(sub: &str) -> impl Iterator<Item = &'static (&'static str, &'static str)> + '_ {
    USAGE.iter().filter(move |(usage, _)| {
        usage
            .strip_prefix("/makers ")
            .and_then(|rest| rest.strip_prefix(sub))
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    })
}

fn usage_line((usage, what): &(&str, &str), join_emoji: &str) -> String {
    let what = what.replace("{join}", join_emoji);
    format!("• `{}`: {}", escape(usage), escape(&what))
}

/// The help message; `unknown` is a word we did not understand, if that is why it is shown,
/// and `about` the one subcommand to show (asked for, or the one `unknown` looks like a slip
/// for), with a pointer to the whole help.
pub fn help(
    unknown: Option<&str>,
    about: Option<&str>,
    look: &super::Look,
    asked: Asked,
) -> SlackMessageContent {
    let join_emoji = look.join_emoji.as_str();
    if let Some(sub) = about {
        let mut text = match unknown {
            Some(word) => format!(
                "I don't know {}. Did you mean `{sub}`?\n",
                code(&escape(&echo(word)))
            ),
            None => format!("How to use `/makers {sub}`:\n"),
        };
        for line in lines_about(sub) {
            text.push_str(&usage_line(line, join_emoji));
            text.push('\n');
        }
        text.push_str("`/makers help` shows everything I can do.");
        return plain(text);
    }
    let opening = match unknown {
        // Echoed short, so the help itself always fits in the message.
        Some(word) => format!(
            "I don't know {}. Here is what I can do:",
            code(&escape(&echo(word)))
        ),
        None => {
            "Makers helps councils build things once, together. Say which council you work for first (`/makers council &lt;name&gt;`): re-use and teams are counted by council. Here is what I can do:".to_string()
        }
    };
    // More than one section's worth: packed into as many as it takes, so nothing is cut.
    let lines: Vec<String> = std::iter::once(opening)
        .chain(USAGE.iter().map(|line| usage_line(line, join_emoji)))
        .chain(std::iter::once(elsewhere(asked, look)))
        .collect();
    let mut packer = Packer::new();
    for line in &lines {
        packer.add(line);
    }
    // The notification line, then every command as typed, a line each, for a screen reader,
    // which reads `text` and not the blocks: the whole help there would be near Slack's
    // 4,000 characters, past which a post by mention fails (`msg_too_long`).
    let mut text = format!("{} pitch, list, show, join, update and more.", lines[0]);
    for (usage, _) in USAGE {
        text.push('\n');
        text.push_str(&code(&escape(usage)));
    }
    SlackMessageContent::new()
        .with_text(text)
        .with_blocks(packer.into_blocks(None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::SUBCOMMANDS;

    fn hand() -> super::super::Look {
        super::super::Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "hand".into(),
            public_url: "https://makers.example.gov.uk".into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
        }
    }

    /// Every usage line, its placeholders filled in as a person would, is a command the
    /// parser takes: the help never teaches words the bot then says it does not know.
    #[test]
    fn every_usage_line_filled_in_parses() {
        let filled = [
            ("<title>", "Bin day finder"),
            ("<description>", "One lookup"),
            ("<text>", "Prototype is up"),
            ("<id>", "4"),
            ("<phase>", "beta"),
            ("<note>", "passed"),
            ("<words>", "bins"),
            ("@person", "<@U0SAM>"),
            ("<council>", "Waverley"),
            ("<name>", "Waverley"),
            ("<how we use it>", "on our site"),
            ("<code, service or docs>", "code"),
            ("<url>", "https://x.example"),
            ("<skill>, <skill>, …", "developer, data"),
            ("<skill>, …", "developer, data"),
            ("<skill>", "developer"),
            ("<period>", "last quarter"),
        ];
        for (usage, _) in USAGE {
            let mut line = usage.to_string();
            for (placeholder, value) in filled {
                line = line.replace(placeholder, value);
            }
            assert!(!line.contains('<') || line.contains("<@U0SAM>"), "{line}");
            // "list <phase>, list mine, list quiet": alternatives, each a command.
            let mut alternatives: Vec<String> = Vec::new();
            for piece in line.split(", ") {
                let word = piece.split_whitespace().next().unwrap_or("");
                match alternatives.last_mut() {
                    Some(last) if !SUBCOMMANDS.contains(&word) => {
                        last.push_str(", ");
                        last.push_str(piece);
                    }
                    _ => alternatives.push(piece.to_string()),
                }
            }
            for alternative in alternatives {
                let text = alternative.trim_start_matches("/makers").trim();
                // `pitch` alone opens the form (the dispatcher's, before any parse).
                if text == "pitch" {
                    continue;
                }
                let parsed = crate::commands::parse(text);
                assert!(
                    matches!(&parsed, Ok(c) if !matches!(c, crate::commands::Command::Help { unknown: Some(_), .. })),
                    "{usage}: `{text}` gives {parsed:?}"
                );
            }
        }
    }

    #[test]
    fn help_has_a_line_for_every_subcommand() {
        for sub in SUBCOMMANDS {
            let prefix = format!("/makers {sub}");
            assert!(
                USAGE.iter().any(|(usage, _)| usage.starts_with(&prefix)),
                "no help line for {sub}"
            );
        }
    }

    #[test]
    fn every_subcommand_has_lines_of_its_own() {
        for sub in SUBCOMMANDS {
            let text = help(None, Some(sub), &hand(), Asked::Typed).text.unwrap();
            assert!(
                text.starts_with(&format!("How to use `/makers {sub}`:\n• `/makers {sub}")),
                "{text}"
            );
            assert!(
                text.ends_with("`/makers help` shows everything I can do."),
                "{text}"
            );
        }
        let council = help(None, Some("council"), &hand(), Asked::Typed)
            .text
            .unwrap();
        assert!(!council.contains("/makers councils"), "{council}");
        let list = help(None, Some("list"), &hand(), Asked::Typed)
            .text
            .unwrap();
        assert_eq!(list.matches("• `/makers list").count(), 4, "{list}");
    }

    #[test]
    fn a_slip_is_named_and_its_lines_shown() {
        let text = help(Some("joni"), Some("join"), &hand(), Asked::Typed)
            .text
            .unwrap();
        assert!(
            text.starts_with(
                "I don't know `joni`. Did you mean `join`?\n• `/makers join &lt;id&gt;`"
            ),
            "{text}"
        );
        assert!(!text.contains("/makers pitch"), "{text}");
    }

    #[test]
    fn help_names_the_configured_join_emoji() {
        let text = serde_json::to_string(&help(None, None, &hand(), Asked::Typed)).unwrap();
        assert!(text.contains(":hand:"), "{text}");
        assert!(!text.contains(":raised_hand:"), "{text}");
    }

    /// Someone new reads first to say their council (re-use and teams are counted by it), and
    /// last where other councils' services are.
    #[test]
    fn the_whole_help_says_council_first_and_links_the_catalogue() {
        let text = serde_json::to_string(&help(None, None, &hand(), Asked::Typed)).unwrap();
        assert!(
            text.contains("Say which council you work for first (`/makers council &lt;name&gt;`)"),
            "{text}"
        );
        assert!(
            text.contains("<https://makers.example.gov.uk/catalogue|the public catalogue>."),
            "{text}"
        );
    }

    /// A catalogue nobody can reach (no public address, the bot on a loopback one) is not
    /// offered; one on a host name of the council's own network is.
    #[test]
    fn the_catalogue_is_linked_only_where_people_can_reach_it() {
        let mut look = hand();
        for (public_url, linked) in [
            ("https://makers.example.gov.uk", true),
            ("http://makers.intranet.example:3000", true),
            ("http://10.1.2.3:3000", true),
            ("http://127.0.0.1:3000", false),
            ("http://localhost:3000", false),
            ("http://[::1]:3000", false),
            ("http://0.0.0.0:3000", false),
        ] {
            look.public_url = public_url.into();
            assert_eq!(
                look.catalogue_if_reachable().is_some(),
                linked,
                "{public_url}"
            );
            let text = serde_json::to_string(&help(None, None, &look, Asked::Typed)).unwrap();
            assert_eq!(
                text.contains("|the public catalogue>"),
                linked,
                "{public_url}: {text}"
            );
        }
    }
}
