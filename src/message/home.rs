//! A person's Home tab, before it is rendered: what they are in and what could use them.

use serde::{Deserialize, Serialize};

use super::ProjectNamed;
use crate::domain::{
    GiveAndTake, HomeProject, MergedService, Phase, ProjectNumber, ProjectSummary, Skill,
    SkillMatch,
};

/// Everything the Home tab shows for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// Their open projects, newest first (all of them: the view says how many it leaves out).
    pub mine: Vec<HomeProject>,
    /// Open projects with a small team they are not in, newest first (a few), and whether
    /// there are more than those.
    pub need_people: Vec<ProjectSummary>,
    pub need_people_more: bool,
    /// Open projects wanting skills they offer (a few), and whether they offer any.
    pub wanting_skills: Vec<SkillMatch>,
    pub offers_skills: bool,
    /// Where more projects want their skills than are listed: a skill the first left out
    /// wants, whose `list needs` the Home points to.
    pub wanting_skills_more: Option<Skill>,
    /// The workspace has no open project they may be shown (so none of theirs or listed
    /// either): the Home says to pitch one.
    pub none_open: bool,
    /// Their council, and its give and take; `None` if they have not said.
    pub council: Option<(String, Option<GiveAndTake>)>,
    /// What their council re-uses that they may be shown, retired ones first, then the
    /// latest said (a few), and how many more.
    pub reused: Vec<Reused>,
    pub reused_more: u32,
    /// The council line's report.
    pub report: HomeReport,
    /// When it was drawn (unix seconds): news of another local year is dated with its year.
    pub drawn_at: i64,
    /// When the workspace's newest project was pitched (unix seconds), read after all the
    /// Home lists: the Home is marked as drawn no earlier, so that a *Join* on a project it
    /// shows is not out of date where the clock has stepped back since the pitch.
    pub newest_pitch_at: Option<i64>,
}

/// The council line's report on the Home, at a time: of the quarter just ended in its next
/// quarter's first weeks (`domain::quarter_just_ended`: the new one has hardly begun, and a
/// lead briefs on the last), else of this one so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeReport {
    /// The quarter just ended ("Q2 of 2026/27"); `None`: this quarter so far.
    pub just_ended: Option<String>,
    /// What its *Send me its report* asks: that quarter by name ("report Q3 2026/27 for my
    /// council"), as a report's *Send me a copy* is pinned, so that a Home drawn on a
    /// quarter's last day and pressed the next morning sends the quarter it said.
    pub asked: String,
}

impl HomeReport {
    pub fn at(now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> HomeReport {
        let ended = crate::domain::quarter_just_ended(now, tz);
        // Any day of a quarter pins it.
        let day = ended.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
        let quarter = crate::domain::pinned(crate::domain::SpanKind::Quarter, day, day);
        HomeReport {
            just_ended: ended.map(crate::domain::quarter_name),
            asked: format!("report {} {MY_COUNCIL}", quarter.words()),
        }
    }
}

/// Whether `value` is what a Home's *Send me its report* asks: one quarter by name, as
/// [`HomeReport::at`] writes it, or (drawn before those) this quarter or the last. Any other
/// value is not the Home's, and is asked as the Home would now.
pub fn is_home_report(value: &str) -> bool {
    if value == HOME_THIS_QUARTER || value == HOME_LAST_QUARTER {
        return true;
    }
    let quarter = value
        .strip_prefix("report ")
        .and_then(|v| v.strip_suffix(&format!(" {MY_COUNCIL}")))
        .map(crate::domain::ReportSpan::parse);
    match quarter {
        Some(Ok(span @ crate::domain::ReportSpan::Quarter { year: Some(_), .. })) => {
            value == format!("report {} {MY_COUNCIL}", span.words())
        }
        _ => false,
    }
}

const MY_COUNCIL: &str = "for my council";

/// The two commands the Home's council line shows to type: this quarter so far, or the one
/// just ended.
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
    /// Another workspace's, merged into this service of its own: named by its catalogue
    /// address, as its page names it, while that one is published and open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carries_on_as: Option<MergedService>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_homes_report_is_of_one_quarter_pinned() {
        let tz = chrono_tz::Europe::London;
        let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        // A quarter's last evening (London's 31 December), then its fourteen days after.
        let cases = [
            ("2026-12-31T23:30:00Z", "report Q3 2026/27 for my council"),
            ("2027-01-01T00:30:00Z", "report Q3 2026/27 for my council"),
            ("2027-01-14T23:30:00Z", "report Q3 2026/27 for my council"),
            ("2027-01-15T00:30:00Z", "report Q4 2026/27 for my council"),
            ("2027-03-31T22:30:00Z", "report Q4 2026/27 for my council"),
            // 00:30 in London (BST), 1 April's first minutes: Q4 just ended.
            ("2027-03-31T23:30:00Z", "report Q4 2026/27 for my council"),
            // 00:30 on 15 April in London, while still 14 April by UTC: Q1 so far.
            ("2027-04-14T23:30:00Z", "report Q1 2027/28 for my council"),
            ("2027-04-15T09:00:00Z", "report Q1 2027/28 for my council"),
        ];
        for (now, asked) in cases {
            assert_eq!(HomeReport::at(at(now), tz).asked, asked, "{now}");
            assert!(is_home_report(asked), "{asked}");
        }
        // Homes drawn before values were pinned.
        assert!(is_home_report(HOME_THIS_QUARTER) && is_home_report(HOME_LAST_QUARTER));
        for not in [
            "report Q3 for my council",
            "report all for my council",
            "report Q3 2026/27 for Waverley",
            "report Q3 2026/27",
            // Read as a quarter, but not as the Home writes one.
            "report Q3 of 2026/27 for my council",
            "report q3 2026/27 for my council",
            "list",
            "",
        ] {
            assert!(!is_home_report(not), "{not}");
        }
    }
}
