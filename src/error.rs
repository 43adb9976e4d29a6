//! Two kinds of error. A [`UserError`] is the user's to fix and is shown to them, privately, as
//! friendly text. Anything else is an internal `anyhow::Error`: logged with its cause chain,
//! while the user sees only [`INTERNAL_ERROR_TEXT`].

use std::fmt;

use crate::domain::{Phase, ProjectNumber};

/// What the user sees when something went wrong on our side.
pub const INTERNAL_ERROR_TEXT: &str = "Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.";

/// A problem with what the user asked for. `Display` is the text they see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserError {
    EmptyTitle,
    TitleTooLong {
        max: usize,
        got: usize,
    },
    DescriptionTooLong {
        max: usize,
        got: usize,
    },
    NoSuchProject(ProjectNumber),
    /// A pitch can be made only where the bot can post, i.e. not in a DM with someone else.
    CannotPitchHere,
    ProjectRetired(ProjectNumber, Phase),
    EmptyCouncil,
    EmptyUpdate,
    UpdateTooLong {
        max: usize,
        got: usize,
    },
    /// Only the team (and the pitcher) may post updates or move the phase.
    NotInTeam(ProjectNumber),
    AlreadyInPhase(ProjectNumber, Phase),
    CouncilTooLong {
        max: usize,
    },
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserError::EmptyTitle => f.write_str(
                "A pitch needs a title, for example `/makers pitch Bin day finder | One app for every council`.",
            ),
            UserError::TitleTooLong { max, got } => write!(
                f,
                "That title is {got} characters long; please keep it to {max} and put the rest in the description after `|`."
            ),
            UserError::DescriptionTooLong { max, got } => write!(
                f,
                "That description is {got} characters long; please keep it to {max}. You can post more later as updates."
            ),
            UserError::NoSuchProject(n) => write!(
                f,
                "There is no project {n} in this workspace. `/makers list` shows the open ones."
            ),
            UserError::CannotPitchHere => f.write_str(
                "Please pitch in a channel, so people from other councils can see it and join.",
            ),
            UserError::ProjectRetired(n, phase) => write!(
                f,
                "Project {n} is {phase}, so it is not taking new members. `/makers list` shows the open ones."
            ),
            UserError::EmptyCouncil => f.write_str(
                "Which council? For example `/makers council Guildford Borough Council`.",
            ),
            UserError::EmptyUpdate => f.write_str(
                "What's the news? For example `/makers update 12 Prototype is up, feedback welcome`.",
            ),
            UserError::UpdateTooLong { max, got } => write!(
                f,
                "That update is {got} characters long; please keep it to {max} (or post it in two)."
            ),
            UserError::NotInTeam(n) => write!(
                f,
                "Only the team can post on project {n}. Join it first with `/makers join {}` (or react with :raised_hand: to its announcement).",
                n.get()
            ),
            UserError::AlreadyInPhase(n, phase) => write!(f, "Project {n} is already in {phase}."),
            UserError::CouncilTooLong { max } => {
                write!(f, "Please keep the council's name to {max} characters.")
            }
        }
    }
}

impl std::error::Error for UserError {}
