//! A person's Home tab, before it is rendered: what they are in and what could use them.

use serde::{Deserialize, Serialize};

use super::ProjectNamed;
use crate::domain::{GiveAndTake, HomeProject, Phase, ProjectNumber, ProjectSummary, SkillMatch};

/// Everything the Home tab shows for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// Their open projects, newest first (all of them: the view says how many it leaves out).
    pub mine: Vec<HomeProject>,
    /// Open projects with a small team they are not in, newest first (a few).
    pub need_people: Vec<ProjectSummary>,
    /// Open projects wanting skills they offer (a few), and whether they offer any.
    pub wanting_skills: Vec<SkillMatch>,
    pub offers_skills: bool,
    /// Their council, and its give and take; `None` if they have not said.
    pub council: Option<(String, Option<GiveAndTake>)>,
    /// What their council re-uses that they may be shown, retired ones first, then the
    /// latest said (a few), and how many more.
    pub reused: Vec<Reused>,
    pub reused_more: u32,
    /// In the first weeks of a quarter, the one just ended ("Q2 of 2026/27"), which the
    /// council line's report is of; `None` for this quarter so far.
    pub report_of_last_quarter: Option<String>,
}

/// The command the Home's *Send me its report* asks, at `now`: the quarter just ended in
/// the first weeks of the next (`domain::quarter_just_ended`), else this one so far.
pub fn home_report_asked(now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> &'static str {
    match crate::domain::quarter_just_ended(now, tz) {
        Some(_) => HOME_LAST_QUARTER,
        None => HOME_THIS_QUARTER,
    }
}

/// The two commands the Home's *Send me its report* asks.
pub const HOME_THIS_QUARTER: &str = "report for my council";
pub const HOME_LAST_QUARTER: &str = "report last quarter for my council";

/// A project their council re-uses, and where it stands: a council that runs it sees at a
/// glance that its team retired it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reused {
    pub project: ProjectNamed,
    pub phase: Phase,
    /// Merged into this project (of the reader's workspace, shown to them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_on_in: Option<ProjectNumber>,
}
