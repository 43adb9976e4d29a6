//! Weekly channel digests: what happened in a period, composed purely from a snapshot of the
//! store ([`compose`]), scheduled per channel in its time zone ([`schedule`]).

pub mod compose;
pub mod schedule;

use serde::{Deserialize, Serialize};

use crate::domain::{ChannelId, MessageTs, Phase, ProjectNumber, Title, UserId};

pub use compose::{DigestSnapshot, compose};
pub use schedule::WeeklyTime;

/// A project as a digest mentions it, with where its announcement is (for a link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRef {
    pub number: ProjectNumber,
    pub title: Title,
    pub channel: ChannelId,
    pub announcement_ts: Option<MessageTs>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PitchItem {
    pub project: ProjectRef,
    /// Shortened for the digest.
    pub description: String,
    pub pitcher: UserId,
    pub council: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinItem {
    pub project: ProjectRef,
    pub user: UserId,
    pub council: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateItem {
    pub project: ProjectRef,
    pub author: UserId,
    /// Shortened for the digest.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseItem {
    pub project: ProjectRef,
    pub from: Phase,
    pub to: Phase,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedItem {
    pub project: ProjectRef,
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietItem {
    pub project: ProjectRef,
    pub quiet_days: i64,
}

/// The first few of a list, and how many more there were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub more: u32,
}

impl<T> Listed<T> {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One line that sums the period up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// Projects with any news in the period.
    pub active_projects: u32,
    /// People in the teams of open projects.
    pub people: u32,
    /// Councils those people come from.
    pub councils: u32,
    pub open_projects: u32,
}

/// A channel's digest for `[from, to)` (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub from: i64,
    pub to: i64,
    pub headline: Headline,
    pub new_pitches: Listed<PitchItem>,
    pub joins: Listed<JoinItem>,
    pub updates: Listed<UpdateItem>,
    pub phase_changes: Listed<PhaseItem>,
    pub need_people: Listed<NeedItem>,
    pub quiet: Listed<QuietItem>,
}

impl Digest {
    /// Nothing happened in the period (projects needing people or gone quiet are not news).
    pub fn is_quiet_week(&self) -> bool {
        self.new_pitches.is_empty()
            && self.joins.is_empty()
            && self.updates.is_empty()
            && self.phase_changes.is_empty()
    }
}
