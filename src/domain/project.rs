//! What a project is made of: its number within a workspace, title, description and phase.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Skill, UserError, text};

/// A project's number within its workspace (`#12`), counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProjectNumber(u32);

impl ProjectNumber {
    /// Reads `12` or `#12`. `None` for anything else, including 0.
    pub fn parse(s: &str) -> Option<Self> {
        let digits = s.strip_prefix('#').unwrap_or(s);
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().filter(|&n| n > 0).map(ProjectNumber)
    }
    pub fn new(n: u32) -> Option<Self> {
        (n > 0).then_some(ProjectNumber(n))
    }
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ProjectNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A project title: trimmed, one line, 1 to [`Title::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Title(String);

impl Title {
    /// Long enough for a real name, short enough to sit on one line of a list.
    pub const MAX_CHARS: usize = 120;

    pub fn parse(s: &str) -> Result<Title, UserError> {
        let t = collapse_whitespace(&text::strip(s, false));
        // What it shows: Slack's markup around a name or a link is no part of it.
        let n = super::shown_len(&t);
        if n == 0 {
            Err(if s.trim().is_empty() {
                UserError::EmptyTitle
            } else {
                UserError::NothingVisible
            })
        } else if !text::has_visible(&t) {
            Err(UserError::NothingVisible)
        } else if n > Self::MAX_CHARS {
            Err(UserError::TitleTooLong {
                max: Self::MAX_CHARS,
                got: n,
            })
        } else if let Some(typed) = past_markup_room(&t, Self::MAX_CHARS) {
            Err(UserError::TitleMarkupTooLong {
                max: MARKUP_ROOM * Self::MAX_CHARS,
                got: typed,
            })
        } else if names_someone_unnamed(&t) {
            Err(UserError::TitleNamesSomeone)
        } else {
            Ok(Title(t))
        }
    }
    /// A title read back from the store, where only [`Title::parse`]d titles are written.
    pub fn from_stored(s: String) -> Title {
        Title(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many times a limit of what is shown the text may be as Slack sends it: its markup
/// (`<@U04ABCDEFGH|sam>` shows `@sam`) is not counted against the limit, but the text kept
/// is bounded all the same (a title of a hundred long links, each labelled with a letter).
const MARKUP_ROOM: usize = 4;

/// The length of `typed`, as Slack sent it, if past [`MARKUP_ROOM`] times `max`.
fn past_markup_room(typed: &str, max: usize) -> Option<usize> {
    let n = typed.chars().count();
    (n > MARKUP_ROOM * max).then_some(n)
}

/// Whether `title` mentions a person, or a channel, as Slack sends a mention typed in a
/// command or a message: by id alone (`<@U0SAM>`). A title is shown in every list and
/// digest without working mentions (they would notify the person each time), and Slack
/// gave no name to show instead: it would read "someone".
fn names_someone_unnamed(title: &str) -> bool {
    use super::tokens::{Piece, Token, is_id};
    // No name: none given, or an empty one (`<#C…|>`), which is shown the same.
    let unnamed = |label: Option<&str>| {
        label.is_none_or(|l| l.trim().trim_start_matches(['@', '#']).trim().is_empty())
    };
    super::tokens::pieces(title).any(|piece| match piece {
        Piece::Token {
            token: Token::User { id: who, label },
            ..
        } => is_id(who, &['U', 'W']) && unnamed(label),
        Piece::Token {
            token: Token::Channel { id: which, label },
            ..
        } => is_id(which, &['C', 'G']) && unnamed(label),
        _ => false,
    })
}

/// A project description: trimmed, may be empty, at most [`Description::MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Description(String);

impl Description {
    /// Fits in one Block Kit section (3,000 characters) with room for escaping.
    pub const MAX_CHARS: usize = 2000;

    /// Control and invisible characters are removed; a description with nothing visible left
    /// is empty.
    pub fn parse(s: &str) -> Result<Description, UserError> {
        let cleaned = text::strip(s, true);
        let d = if text::has_visible(&cleaned) {
            cleaned.trim()
        } else {
            ""
        };
        // What it shows, as a title's (see `Title::parse`).
        let n = super::shown_len(d);
        if n > Self::MAX_CHARS {
            return Err(UserError::DescriptionTooLong {
                max: Self::MAX_CHARS,
                got: n,
            });
        }
        if let Some(typed) = past_markup_room(d, Self::MAX_CHARS) {
            return Err(UserError::DescriptionMarkupTooLong {
                max: MARKUP_ROOM * Self::MAX_CHARS,
                got: typed,
            });
        }
        Ok(Description(d.to_string()))
    }
    /// A description read back from the store, where only [`Description::parse`]d ones are
    /// written (not checked again: rules that changed since must not make an old one fail).
    pub fn from_stored(s: String) -> Description {
        Description(s)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A status update: trimmed, 1 to [`UpdateText::MAX_CHARS`] characters, newlines kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdateText(String);

impl UpdateText {
    /// One Block Kit section, with room for escaping.
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(s: &str) -> Result<UpdateText, UserError> {
        let cleaned = text::strip(s, true);
        let t = cleaned.trim();
        let n = t.chars().count();
        if s.trim().is_empty() {
            Err(UserError::EmptyUpdate)
        } else if !text::has_visible(t) {
            Err(UserError::NothingVisible)
        } else if n > Self::MAX_CHARS {
            Err(UserError::UpdateTooLong {
                max: Self::MAX_CHARS,
                got: n,
            })
        } else {
            Ok(UpdateText(t.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which projects `list` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListFilter {
    /// Everything not retired, grouped by phase.
    Open,
    /// One phase (`list retired` is the way to see retired projects).
    Phase(Phase),
    /// Projects the asker is in.
    Mine,
    /// Open projects with no update for the quiet period.
    Quiet,
    /// Open projects whose team wants this skill.
    Needs(Skill),
    /// Open projects a recorded council leads, works on (someone in the team said they work
    /// there) or re-uses, as the catalogue's council filter has it (`name` as recorded).
    Council {
        id: i64,
        name: String,
        /// The former council's name it was asked by (merged into it or renamed), said
        /// with the list: the name typed is not the one in its heading.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        formerly: Option<super::Formerly>,
    },
}

/// Which page of a long list: the first unless `page N` was typed. A page is what fits in one
/// of Slack's messages, so the list goes on where the one before stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Page(u16);

impl Page {
    pub const FIRST: Page = Page(1);
    /// More than any list holds (a page holds 20 or more lines of most titles, five of the
    /// longest; a workspace, hundreds).
    pub const MAX: u16 = 99;

    pub fn new(n: u16) -> Option<Page> {
        (1..=Self::MAX).contains(&n).then_some(Page(n))
    }
    pub fn get(self) -> u16 {
        self.0
    }
    /// The page after this one (none past [`Page::MAX`]).
    pub fn next(self) -> Option<Page> {
        Page::new(self.0 + 1)
    }
}

impl Default for Page {
    fn default() -> Page {
        Page::FIRST
    }
}

impl TryFrom<u16> for Page {
    type Error = String;
    fn try_from(n: u16) -> Result<Page, String> {
        Page::new(n).ok_or_else(|| format!("no page {n}"))
    }
}

impl From<Page> for u16 {
    fn from(page: Page) -> u16 {
        page.0
    }
}

impl ListFilter {
    /// The `list` command that shows this list, as someone would type it after `/makers`.
    pub fn typed(&self) -> String {
        match self {
            ListFilter::Open => "list".into(),
            ListFilter::Phase(phase) => format!("list {phase}"),
            ListFilter::Mine => "list mine".into(),
            ListFilter::Quiet => "list quiet".into(),
            ListFilter::Needs(skill) => format!("list needs {skill}"),
            ListFilter::Council { name, .. } => format!("list council {name}"),
        }
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A GOV.UK service phase. A pitch starts in discovery (the default).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    #[default]
    Discovery,
    Alpha,
    Beta,
    Live,
    Retired,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Discovery,
        Phase::Alpha,
        Phase::Beta,
        Phase::Live,
        Phase::Retired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Discovery => "discovery",
            Phase::Alpha => "alpha",
            Phase::Beta => "beta",
            Phase::Live => "live",
            Phase::Retired => "retired",
        }
    }

    /// Where every pitch starts.
    pub fn is_discovery(&self) -> bool {
        *self == Phase::Discovery
    }

    /// As a heading or a label: "Discovery".
    pub fn heading(self) -> &'static str {
        match self {
            Phase::Discovery => "Discovery",
            Phase::Alpha => "Alpha",
            Phase::Beta => "Beta",
            Phase::Live => "Live",
            Phase::Retired => "Retired",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Phase {
    type Err = ();
    fn from_str(s: &str) -> Result<Phase, ()> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_numbers_accept_hash_or_plain() {
        assert_eq!(ProjectNumber::parse("12").map(ProjectNumber::get), Some(12));
        assert_eq!(ProjectNumber::parse("#7").map(ProjectNumber::get), Some(7));
        for bad in ["", "#", "0", "#0", "-1", "1.5", "12a", "9999999999", "##1"] {
            assert_eq!(ProjectNumber::parse(bad), None, "{bad}");
        }
        assert_eq!(ProjectNumber::parse("3").unwrap().to_string(), "#3");
    }

    /// The limits are of what people see: Slack's markup around a mention, a channel or a
    /// link (`<@U04ABCDEFGH|sam>` shows `@sam`) is not counted, and a refusal counts as shown.
    #[test]
    fn title_and_description_limits_count_what_is_shown_not_slacks_markup() {
        let a = |n: usize| "a".repeat(n);
        // 110 + 5 shown ("␣@sam"), 130 typed.
        assert!(Title::parse(&format!("{} <@U04ABCDEFGH|sam>", a(110))).is_ok());
        assert!(Title::parse(&format!("{} <#C04ABCDEFGH|bins>", a(110))).is_ok());
        // A bare domain, as Slack sends `gov.uk` typed: its label is what shows.
        assert!(Title::parse(&format!("{} <http://gov.uk|gov.uk>", a(110))).is_ok());
        assert!(Title::parse(&format!("{} <https://x.example/plan|plan>", a(110))).is_ok());
        // Shown 121: refused, saying 121 (it is 146 as Slack sends it).
        assert_eq!(
            Title::parse(&format!("{} <@U04ABCDEFGH|samantha>", a(111))),
            Err(UserError::TitleTooLong { max: 120, got: 121 })
        );
        // A link with no label shows its address, counted whole.
        assert_eq!(
            Title::parse(&format!("{}<https://x.example>", a(104))),
            Err(UserError::TitleTooLong { max: 120, got: 121 })
        );
        assert!(Description::parse(&format!("{} <@U04ABCDEFGH|sam> <!here>", a(1989))).is_ok());
        assert_eq!(
            Description::parse(&format!("{} <@U04ABCDEFGH|sam>", a(1996))),
            Err(UserError::DescriptionTooLong {
                max: 2000,
                got: 2001
            })
        );
    }

    /// Markup is not counted, but the text kept is bounded: links labelled with a letter
    /// each, a title showing 60 characters, are refused past four times the limit as sent.
    #[test]
    fn text_as_slack_sends_it_is_bounded_however_little_it_shows() {
        let link = |i: usize| format!("<https://x.example/{}|a>", "p".repeat(i));
        let title: String = (0..20).map(|_| link(20)).collect::<Vec<_>>().join(" ");
        assert!(super::super::shown_len(&title) <= Title::MAX_CHARS);
        let typed = title.chars().count();
        assert!(typed > 4 * Title::MAX_CHARS);
        assert_eq!(
            Title::parse(&title),
            Err(UserError::TitleMarkupTooLong {
                max: 480,
                got: typed
            })
        );
        let just: String = (0..10).map(|_| link(20)).collect::<Vec<_>>().join(" ");
        assert!(Title::parse(&just).is_ok());
        let description: String = (0..300).map(|_| link(20)).collect::<Vec<_>>().join(" ");
        let typed = description.chars().count();
        assert!(typed > 8000);
        assert_eq!(
            Description::parse(&description),
            Err(UserError::DescriptionMarkupTooLong {
                max: 8000,
                got: typed
            })
        );
    }

    #[test]
    fn a_title_naming_someone_slack_gave_no_name_for_is_refused() {
        for title in [
            "Bins with <@U0SAM>",
            "<@W0SAM> bins",
            "Bins for <#C0BINS>",
            "Bins for <#C0BINS|>",
            "Bins with <@U0SAM| >",
        ] {
            assert_eq!(
                Title::parse(title),
                Err(UserError::TitleNamesSomeone),
                "{title}"
            );
        }
        // With the name Slack gave, or typed text that only looks like a mention: taken.
        for title in [
            "Bins with <@U0SAM|sam>",
            "Bins in <#C0BINS|bins>",
            "<@bob> bins",
        ] {
            assert!(Title::parse(title).is_ok(), "{title}");
        }
    }

    #[test]
    fn titles_are_trimmed_single_lines_of_bounded_length() {
        assert_eq!(
            Title::parse("  Bin  day\nfinder ").unwrap().as_str(),
            "Bin day finder"
        );
        assert_eq!(Title::parse(" \t").unwrap_err(), UserError::EmptyTitle);
        let long = "x".repeat(Title::MAX_CHARS + 1);
        assert!(matches!(
            Title::parse(&long),
            Err(UserError::TitleTooLong { .. })
        ));
        assert!(Title::parse(&"é".repeat(Title::MAX_CHARS)).is_ok());
    }

    #[test]
    fn descriptions_may_be_empty_but_not_huge() {
        assert!(Description::parse("").unwrap().is_empty());
        let long = "y".repeat(Description::MAX_CHARS + 1);
        assert!(matches!(
            Description::parse(&long),
            Err(UserError::DescriptionTooLong { .. })
        ));
    }

    #[test]
    fn phases_round_trip_and_ignore_case() {
        for p in Phase::ALL {
            assert_eq!(p.as_str().parse::<Phase>(), Ok(p));
        }
        assert_eq!("BETA".parse::<Phase>(), Ok(Phase::Beta));
        assert!("gamma".parse::<Phase>().is_err());
    }
}
