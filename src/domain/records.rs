//! Records: what the store reads back about projects and teams, as plain validated data.
//! Handlers put them into replies and digests; the store builds them and nothing else.

use serde::{Deserialize, Serialize};

use super::{
    ChannelId, Description, MessageTs, Phase, ProjectLink, ProjectNumber, Skill, Slug, Title,
    UserId,
};

/// One line of a project list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub number: ProjectNumber,
    pub title: Title,
    pub phase: Phase,
    pub members: u32,
    /// No update for the quiet period.
    pub quiet: bool,
    /// In a council's list (`list council`): what that council does in it. (Absent in
    /// lines queued before it existed, and in every other list.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council_part: Option<CouncilPart>,
    /// Retired by a merge into this open project (`merge`), where its work carries on: said in
    /// a search's and a list's line. (Absent in lines queued before merges.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_on_in: Option<ProjectNumber>,
}

/// What a council does in a project: leads it (its lead council), works on it (someone in
/// the team said they work there), re-uses it; any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilPart {
    pub leads: bool,
    pub works_on: bool,
    pub reuses: bool,
}

/// One status update, for `show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    pub author: UserId,
    pub text: String,
    /// Unix seconds.
    pub at: i64,
    /// Its author corrected its words (`/makers correct`). Absent in answers queued before it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// One phase change, for `show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseChangeView {
    pub from: Phase,
    pub to: Phase,
    pub note: String,
    pub by: UserId,
    /// Unix seconds.
    pub at: i64,
}

/// A team member and the council they said they work for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user: UserId,
    pub council: Option<String>,
}

/// How many people a team has, from how many councils.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Makeup {
    pub people: u32,
    pub councils: u32,
}

impl Makeup {
    /// What a join's line says of the team (`self`, as it was when they joined) when it is
    /// posted at `now`: as it was, unless people have left since (the line waited for Slack,
    /// or for the bot to be invited): then as it is, rather than more people than there are.
    pub fn when_posted(self, now: Makeup) -> Makeup {
        match now.people < self.people {
            true => now,
            false => self,
        }
    }

    pub fn of(members: &[TeamMember]) -> Makeup {
        let mut councils: Vec<&str> = members
            .iter()
            .filter_map(|m| m.council.as_deref())
            .collect();
        councils.sort_unstable();
        councils.dedup();
        Makeup {
            people: members.len() as u32,
            councils: councils.len() as u32,
        }
    }
}

/// What a change to a project (an update, a phase, publishing, skills wanted, a join, an
/// edit, a re-use) needs of it, and whether the one changing it is in its team: no members
/// list (read in the same row as the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectHead {
    pub number: ProjectNumber,
    pub title: Title,
    pub description: Description,
    pub phase: Phase,
    /// Whoever leads it: who pitched it, until they hand it over.
    pub pitcher: UserId,
    /// Who pitched it, once it has been handed over to someone else.
    pub pitched_by: Option<UserId>,
    /// The council that leads it, by name: recorded with the pitch, or set since
    /// (`lead-council`).
    pub pitcher_council: Option<String>,
    pub channel: ChannelId,
    /// Set once the announcement has been posted.
    pub announcement_ts: Option<MessageTs>,
    /// The announcement failed for good (see `0020_announcement_refused.sql`): no thread.
    pub announcement_refused: bool,
    /// Its slug while it is in the public catalogue.
    pub published: Option<Slug>,
    /// Whether the person asking is a member of its team.
    pub asker_is_member: bool,
}

impl ProjectHead {
    /// Whether `asker` (the person this head was read for) leads it or is in its team.
    pub fn asker_in_team(&self, asker: &UserId) -> bool {
        self.pitcher == *asker || self.asker_is_member
    }

    /// Who pitched it: its lead, unless they have handed it over.
    pub fn who_pitched(&self) -> &UserId {
        self.pitched_by.as_ref().unwrap_or(&self.pitcher)
    }
}

/// Everything `show` tells about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub number: ProjectNumber,
    pub title: Title,
    pub description: Description,
    pub phase: Phase,
    /// Whoever leads it: who pitched it, until they hand it over.
    pub pitcher: UserId,
    /// Who pitched it, once it has been handed over to someone else. (Absent in replies
    /// queued before handovers, and left out when none.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitched_by: Option<UserId>,
    pub pitcher_council: Option<String>,
    /// The council that led it before the one now, once another took the lead
    /// (`lead-council`, migration 0055). (Absent in replies queued before, and left out
    /// when none.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub led_before: Option<LedBefore>,
    pub channel: ChannelId,
    /// Set once the announcement has been posted.
    pub announcement_ts: Option<MessageTs>,
    /// The announcement failed for good: there will be no thread. (Absent in
    /// replies queued before it was known, and left out when false.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub announcement_refused: bool,
    pub members: Vec<TeamMember>,
    /// Unix seconds.
    pub created_at: i64,
    /// Its slug while it is in the public catalogue. (Absent in replies queued before the
    /// catalogue existed.)
    #[serde(default)]
    pub published: Option<Slug>,
}

/// The council that led a project before another took the lead, and when that was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedBefore {
    pub council: String,
    /// Unix seconds: when the council now leading took over.
    pub until: i64,
}

impl ProjectDetail {
    /// Who pitched it: its lead, unless they have handed it over.
    pub fn who_pitched(&self) -> &UserId {
        self.pitched_by.as_ref().unwrap_or(&self.pitcher)
    }
}

/// What one council gives and takes: projects its people pitched, its people in teams of open
/// projects, projects it re-uses, and re-uses of its projects by other councils.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiveAndTake {
    pub council: String,
    pub led: u32,
    pub people: u32,
    pub reuses: u32,
    pub reused_by_others: u32,
}

/// What moved for one council in a digest's period: projects its people pitched (the council
/// recorded with each pitch), times its people joined a team, projects it started re-using,
/// and other councils starting to re-use its projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilMoves {
    pub council: String,
    pub pitched: u32,
    pub joined: u32,
    /// How many people those joins were by (one in two teams is one). (Defaulted: a digest
    /// or report queued before it was counted reads 0.)
    #[serde(default)]
    pub joiners: u32,
    pub reuses: u32,
    pub reused_by_others: u32,
}

/// A council that says it re-uses a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReuseView {
    pub council: String,
    /// How they use it, in their words ("" when they gave none).
    pub note: String,
    /// When they first said so (unix seconds).
    pub since: i64,
}

/// How a project has been going, which only `show` needs (so lookups for joins, updates and
/// reactions do not read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Oldest first.
    pub history: Vec<PhaseChangeView>,
    /// The latest few, newest first.
    pub updates: Vec<UpdateView>,
    /// No news for the quiet period.
    pub quiet: bool,
    /// The councils that re-use it. (Absent in replies queued before re-use existed.)
    #[serde(default)]
    pub reused_by: Vec<ReuseView>,
    /// Where its code, service and docs are. (Absent in replies queued before links existed.)
    #[serde(default)]
    pub links: Vec<ProjectLink>,
    /// The skills its team is looking for, in the order they gave. (Absent in replies queued
    /// before skills existed.)
    #[serde(default)]
    pub wanted: Vec<Skill>,
    /// The project it was merged into (`merge`), where its team carries on, if it was and
    /// that one may be shown where it is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_on_as: Option<CarriedOnAs>,
}

/// The project another was merged into, as `show` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedOnAs {
    pub number: ProjectNumber,
    pub title: Title,
}

/// An open project wanting some of a person's skills (for their Home tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillMatch {
    pub project: ProjectSummary,
    /// Which of the person's skills it wants, in [`Skill::ALL`]'s order.
    pub skills: Vec<Skill>,
}

/// A project as a digest mentions it, with where its announcement is (for a link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRef {
    pub number: ProjectNumber,
    pub title: Title,
    pub channel: ChannelId,
    pub announcement_ts: Option<MessageTs>,
    /// Its catalogue slug, if it is published. (Absent in digests stored before that.)
    #[serde(default)]
    pub published: Option<Slug>,
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
    /// The update's row, so that a digest still to be posted when its author corrects or
    /// withdraws it goes out without the old words. Absent in digests queued before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseItem {
    pub project: ProjectRef,
    pub from: Phase,
    pub to: Phase,
    pub note: String,
    /// Retired by a merge (`merge`): the open project its work carries on in. (Absent in
    /// digests queued before merges.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_on_in: Option<ProjectNumber>,
}

/// A council that started re-using a project in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReuseItem {
    pub project: ProjectRef,
    pub council: String,
    /// How they use it ("" when they gave no note); shortened for the digest.
    pub note: String,
}

/// An open project, as the snapshot sees it at the end of the period.
#[derive(Debug, Clone)]
pub struct OpenProject {
    pub project: ProjectRef,
    pub members: u32,
    pub last_activity_at: i64,
}

/// What the store holds for one workspace and period, newest first within each list.
#[derive(Debug, Clone, Default)]
pub struct DigestSnapshot {
    pub new_pitches: Vec<PitchItem>,
    pub joins: Vec<JoinItem>,
    pub updates: Vec<UpdateItem>,
    pub phase_changes: Vec<PhaseItem>,
    pub reuses: Vec<ReuseItem>,
    /// Councils with anything in [`CouncilMoves`] in the period, in no particular order.
    pub council_moves: Vec<CouncilMoves>,
    pub open_projects: Vec<OpenProject>,
    /// Distinct people in open projects' teams, and the councils they said.
    pub people: u32,
    pub councils: u32,
    /// Services other workspaces put in the public catalogue in the period, not retired,
    /// newest first: public, so every channel's digest may name them.
    pub published_elsewhere: Vec<super::ServiceElsewhere>,
}

impl DigestSnapshot {
    /// Leaves out everything about projects `hidden` (a private channel's, in another
    /// channel's digest), also as where a merged project's work carries on. The councils' counts stay: they name no project. The team make-up
    /// is read without them (`store::digest_snapshot`): the headline sets it beside the open
    /// projects counted.
    pub fn leave_out(&mut self, hidden: &std::collections::HashSet<super::ProjectNumber>) {
        if hidden.is_empty() {
            return;
        }
        let shown = |p: &ProjectRef| !hidden.contains(&p.number);
        self.new_pitches.retain(|i| shown(&i.project));
        self.joins.retain(|i| shown(&i.project));
        self.updates.retain(|i| shown(&i.project));
        self.phase_changes.retain(|i| shown(&i.project));
        // A merge into a hidden project says it was merged, not where (as `list` does).
        for change in self.phase_changes.iter_mut() {
            if change.carries_on_in.is_some_and(|n| hidden.contains(&n)) {
                change.carries_on_in = None;
            }
        }
        self.reuses.retain(|i| shown(&i.project));
        self.open_projects.retain(|i| shown(&i.project));
    }
}

/// A span of time `[from, to)`, in unix seconds: what a digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
}

/// One of a person's projects on their Home tab, with its latest update if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeProject {
    pub project: ProjectSummary,
    /// The latest update's text (as typed) and when it came (unix seconds).
    pub last_news: Option<(String, i64)>,
    /// The person whose Home it is leads the project (joins are told to them, and they may
    /// take someone off the team or hand it over).
    #[serde(default)]
    pub leads: bool,
}

#[cfg(test)]
mod tests {
    use super::Makeup;

    #[test]
    fn a_line_posted_late_counts_only_people_still_there() {
        let joined = Makeup {
            people: 3,
            councils: 2,
        };
        let grown = Makeup {
            people: 5,
            councils: 3,
        };
        let shrunk = Makeup {
            people: 2,
            councils: 2,
        };
        // Others joined since: their own lines say so; this one says the team it joined.
        assert_eq!(joined.when_posted(grown), joined);
        assert_eq!(joined.when_posted(joined), joined);
        // Someone left since: never more people than there are.
        assert_eq!(joined.when_posted(shrunk), shrunk);
    }
}
