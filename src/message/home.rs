//! A person's Home tab, before it is rendered: what they are in and what could use them.

use crate::domain::{GiveAndTake, HomeProject, ProjectSummary, SkillMatch};

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
}
