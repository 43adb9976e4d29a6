//! `/makers help`: what the bot can do, in the words users see.

use slack_morphism::prelude::*;

use super::{escape, plain};

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
    ("/makers list", "open projects, by phase"),
    (
        "/makers list <phase> | mine | quiet",
        "projects in one phase, the ones you are in, or the ones gone quiet",
    ),
    (
        "/makers update <id> <text>",
        "post a status update in the project's thread (team only; or mention me in the thread)",
    ),
    (
        "/makers edit <id> <title> | <description>",
        "correct a pitch's title, and its description if you give one (team only)",
    ),
    (
        "/makers phase <id> <phase> | <note>",
        "move a project to discovery, alpha, beta, live or retired (the note is optional)",
    ),
    ("/makers show <id>", "one project: description, phase, team"),
    (
        "/makers search <words>",
        "projects matching the words, best first: is someone already doing this?",
    ),
    (
        "/makers join <id>",
        "join a project's team (or react with :{join}: to its announcement)",
    ),
    ("/makers leave <id>", "leave a project's team"),
    (
        "/makers digest",
        "a weekly digest in this channel (Monday 09:00; `digest friday 16:30` to change, `digest off` to stop, `digest preview` to see it now)",
    ),
    (
        "/makers reuse <id> | <how we use it>",
        "say your council re-uses a project (the note is optional)",
    ),
    ("/makers unreuse <id>", "your council no longer re-uses it"),
    (
        "/makers publish <id>",
        "put a project in the public catalogue, so anyone can find and re-use it (team only)",
    ),
    (
        "/makers unpublish <id>",
        "take it out of the public catalogue (team only)",
    ),
    (
        "/makers link <id> <code | service | docs> <url>",
        "where the project's code, live service or documentation are (team only; `none` removes one)",
    ),
    (
        "/makers council <name>",
        "say which council you work for (`/makers council` alone shows it)",
    ),
    (
        "/makers councils",
        "give and take per council: projects led, people in teams, re-use both ways",
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
        "/makers forget me",
        "leave every team and have your council and skills forgotten; your pitches and updates stay, naming nobody",
    ),
    ("/makers help", "this help"),
];

/// A word typed, to echo: at most [`ECHOED`] characters, without control or invisible ones.
fn echo(word: &str) -> String {
    let word = crate::domain::strip_invisible(word, false);
    match word.char_indices().nth(ECHOED) {
        Some((i, _)) => format!("{}…", &word[..i]),
        None => word,
    }
}

const ECHOED: usize = 40;

/// The help message; `unknown` is a word we did not understand, if that is why it is shown.
pub fn help(unknown: Option<&str>, join_emoji: &str) -> SlackMessageContent {
    let mut text = match unknown {
        // Echoed short, so the help itself always fits in the message.
        Some(word) => format!(
            "I don't know `{}`. Here is what I can do:\n",
            escape(&echo(word))
        ),
        None => "Makers helps councils build things once, together. Here is what I can do:\n"
            .to_string(),
    };
    for (usage, what) in USAGE {
        let what = what.replace("{join}", join_emoji);
        text.push_str(&format!("• `{}`: {}\n", escape(usage), escape(&what)));
    }
    text.push_str("You can also mention me with the same words, e.g. `@makers list`.");
    plain(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::SUBCOMMANDS;

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
    fn help_names_the_configured_join_emoji() {
        let text = help(None, "hand").text.unwrap();
        assert!(text.contains(":hand:"), "{text}");
        assert!(!text.contains(":raised_hand:"), "{text}");
    }
}
