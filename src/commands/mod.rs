//! The `/makers` grammar, parsed purely: text in, [`Command`] or [`ParseError`] out; no I/O.
//!
//! ```text
//! /makers pitch <title>                  record a project and announce it here
//! /makers pitch <title> | <description>
//! /makers list                           open projects (not retired)
//! /makers show <id>                      one project; <id> is 12 or #12
//! /makers join <id>                      join the project's team
//! /makers leave <id>                     leave it
//! /makers council <name>                 say which council you work for
//! /makers council                        what is recorded for you
//! /makers help                           usage (also: empty text, anything unknown)
//! @makers <same grammar>                 the same, answered in the mention's thread
//! ```
//! Subcommand words are case-insensitive. The text has already had Slack's `&amp;`, `&lt;`,
//! `&gt;` entities decoded at the edge, so it is what the user typed.

use std::fmt;

use crate::domain::{CouncilName, Description, ProjectNumber, Title};
use crate::error::UserError;

#[cfg(test)]
mod tests;

/// One thing a user can ask the bot to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Record a project and announce it in the channel.
    Pitch {
        title: Title,
        description: Description,
    },
    /// Open projects of this workspace.
    List,
    /// One project in full.
    Show(ProjectNumber),
    /// Join a project's team.
    Join(ProjectNumber),
    /// Leave a project's team.
    Leave(ProjectNumber),
    /// Record the council the user works for (`Some`), or say what is recorded (`None`).
    Council(Option<CouncilName>),
    /// Usage. `unknown` holds the word we did not understand, if any, so the reply can say so.
    Help { unknown: Option<String> },
}

impl Command {
    /// Whether running this command only reads the store (it may then use a read connection).
    pub fn is_read_only(&self) -> bool {
        match self {
            Command::Pitch { .. } | Command::Join(_) | Command::Leave(_) => false,
            Command::Council(name) => name.is_none(),
            Command::List | Command::Show(_) | Command::Help { .. } => true,
        }
    }
}

/// Usage lines, kept beside the enum so they change together: `(syntax, what it does)`.
pub const USAGE: &[(&str, &str)] = &[
    (
        "/makers pitch <title> | <description>",
        "pitch a project; people join by reacting with :raised_hand: or pressing Join",
    ),
    ("/makers list", "open projects"),
    ("/makers show <id>", "one project: description, phase, team"),
    (
        "/makers join <id>",
        "join a project's team (or react with :raised_hand: to its announcement)",
    ),
    ("/makers leave <id>", "leave a project's team"),
    (
        "/makers council <name>",
        "say which council you work for (`/makers council` alone shows it)",
    ),
    ("/makers help", "this help"),
];

/// Why a text could not become a command. `Display` is the friendly text shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// `show` without a project.
    MissingProject { sub: &'static str },
    /// `show banana`.
    BadProjectRef { sub: &'static str, got: String },
    /// Words after a subcommand that takes none.
    UnexpectedWords { sub: &'static str, got: String },
    /// A value that failed its domain rule (empty title, too long, …).
    Invalid(UserError),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::MissingProject { sub } => write!(
                f,
                "Which project? Try `/makers {sub} 12` (or `#12`); `/makers list` shows the numbers."
            ),
            ParseError::BadProjectRef { sub, got } => write!(
                f,
                "`{got}` is not a project number. Try `/makers {sub} 12` (or `#12`)."
            ),
            ParseError::UnexpectedWords { sub, got } => {
                write!(f, "`/makers {sub}` takes nothing after it (I got `{got}`).")
            }
            ParseError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ParseError {}

impl From<UserError> for ParseError {
    fn from(e: UserError) -> Self {
        ParseError::Invalid(e)
    }
}

/// Parses the text of a slash command (everything after `/makers`).
pub fn parse(text: &str) -> Result<Command, ParseError> {
    let text = text.trim();
    let (word, rest) = match text.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (text, ""),
    };
    match word.to_ascii_lowercase().as_str() {
        "" | "help" | "?" => Ok(Command::Help { unknown: None }),
        "pitch" => parse_pitch(rest),
        "list" => no_more("list", rest).map(|()| Command::List),
        "show" => project_ref("show", rest).map(Command::Show),
        "join" => project_ref("join", rest).map(Command::Join),
        "leave" => project_ref("leave", rest).map(Command::Leave),
        "council" if rest.is_empty() => Ok(Command::Council(None)),
        "council" => Ok(Command::Council(Some(CouncilName::parse(rest)?))),
        _ => Ok(Command::Help {
            unknown: Some(word.chars().take(40).collect()),
        }),
    }
}

/// Parses the text of an `app_mention`: the bot's own `<@U…>` mention(s) at the start are
/// dropped, the rest is the slash-command grammar.
pub fn parse_mention(text: &str) -> Result<Command, ParseError> {
    parse(strip_leading_mentions(text))
}

/// Drops leading `<@U…>` tokens (with or without a `|name` label) and the space after them.
pub fn strip_leading_mentions(text: &str) -> &str {
    let mut rest = text.trim_start();
    while let Some(after) = rest.strip_prefix("<@") {
        match after.find('>') {
            Some(end) => rest = after[end + 1..].trim_start(),
            None => break,
        }
    }
    rest
}

fn parse_pitch(rest: &str) -> Result<Command, ParseError> {
    let (title, description) = match rest.split_once('|') {
        Some((t, d)) => (t, d),
        None => (rest, ""),
    };
    Ok(Command::Pitch {
        title: Title::parse(title)?,
        description: Description::parse(description)?,
    })
}

fn no_more(sub: &'static str, rest: &str) -> Result<(), ParseError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(ParseError::UnexpectedWords {
            sub,
            got: rest.chars().take(40).collect(),
        })
    }
}

fn project_ref(sub: &'static str, rest: &str) -> Result<ProjectNumber, ParseError> {
    let mut words = rest.split_whitespace();
    let Some(first) = words.next() else {
        return Err(ParseError::MissingProject { sub });
    };
    let number = ProjectNumber::parse(first).ok_or_else(|| ParseError::BadProjectRef {
        sub,
        got: first.chars().take(40).collect(),
    })?;
    match words.next() {
        None => Ok(number),
        Some(_) => Err(ParseError::UnexpectedWords {
            sub,
            got: rest.chars().take(40).collect(),
        }),
    }
}
