//! A report as the bot tells it: the period placed, as days, and its figures (councils most
//! giving first), or one council's part in it. Stored in the outbox as any reply.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{
    CouncilInPeriod, CouncilMoves, Formerly, Happened, ReportFigures, ReportPeriod, SpanKind,
    TeamId,
};

/// Whose figures a report tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportOf {
    /// The asker's workspace, in Slack.
    ThisWorkspace,
    /// One workspace, for an operator: its id, and the name Slack gave it at install, if
    /// it was installed through OAuth ("workspace" alone is Slack's word, and an id is
    /// nobody's name for it).
    Workspace(TeamId, Option<String>),
    /// Every workspace the bot serves, for an operator.
    Every,
}

/// The days a report covers, as it names them. (`span`, not `kind`: a reply's own tag is
/// `kind`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDays {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The day it was asked: where things stand "today".
    pub today: NaiveDate,
    pub span: SpanKind,
    /// Still going: today is its last day.
    pub so_far: bool,
}

impl From<&ReportPeriod> for ReportDays {
    fn from(placed: &ReportPeriod) -> ReportDays {
        ReportDays {
            first: placed.first,
            last: placed.last,
            today: placed.today,
            span: placed.kind,
            so_far: placed.so_far,
        }
    }
}

/// What `/makers report` or `makers-bot report` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub days: ReportDays,
    pub of: ReportOf,
    pub figures: ReportFigures,
    /// The period before (`ReportPeriod::before`: the one before, or as far into it as this
    /// is into its own), and what happened in it; `None` where there is none (everything
    /// since the first pitch), or nothing was pitched before it ended.
    /// (Defaulted: a report queued in the outbox before it was added still reads.)
    #[serde(default)]
    pub before: Option<Before>,
    /// The command that asks for it again (`report last quarter`), for a *Send me a copy*
    /// button; `None` for a copy, and for an operator. (Defaulted, as `before`.)
    #[serde(default)]
    pub asked: Option<String>,
}

/// The period a report's figures are set against: its days, and what happened in it. It is
/// named from the report's own days (`Q2 of 2026/27`; "the same point in" one still going).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub happened: Happened,
    /// Projects open at its end. (Defaulted, as `Report::before`: none then.)
    #[serde(default)]
    pub open_at_end: Option<u32>,
    /// People in open projects' teams at its end, as tallied then (`None` where no tally
    /// was taken). (Defaulted, as `open_at_end`.)
    #[serde(default)]
    pub people_at_end: Option<u32>,
}

impl Report {
    pub fn new(
        placed: &ReportPeriod,
        mut figures: ReportFigures,
        of: ReportOf,
        before: Option<Before>,
    ) -> Report {
        figures.by_council.sort_by(super::digest::most_giving_first);
        Report {
            days: placed.into(),
            of,
            figures,
            before,
            asked: None,
        }
    }

    /// Projects open at the period's end: now, for one still going.
    pub fn open_at_end(&self) -> u64 {
        let f = &self.figures;
        crate::domain::open_total(f.open_at_end.as_ref().unwrap_or(&f.open))
    }

    /// People in open projects' teams at the period's end: now, for one still going; `None`
    /// for one over whose end was not tallied.
    pub fn people_at_end(&self) -> Option<u32> {
        let f = &self.figures;
        match self.days.so_far {
            true => Some(f.standing.makeup.people),
            false => f.standing_at_end.map(|s| s.makeup.people),
        }
    }
}

/// What `/makers report … for <council>` answers: that council's part in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilReport {
    pub days: ReportDays,
    pub part: CouncilInPeriod,
    /// The period before, as for the workspace's report (`Report::before`), and the
    /// council's figures that moved in it. (Defaulted, as there.)
    #[serde(default)]
    pub before: Option<CouncilBefore>,
    /// As `Report::asked`.
    #[serde(default)]
    pub asked: Option<String>,
    /// The former council it was asked for by (merged or renamed), said under the heading
    /// since the name asked for is not the one answered. (Defaulted: a report queued before
    /// it was added reads as one asked for by the council's own name.)
    #[serde(default)]
    pub formerly: Option<Formerly>,
}

/// The period a council's part is set against, and its figures that moved in it (`None`
/// when none did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilBefore {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub moves: Option<CouncilMoves>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report queued in the outbox before it was set against the period before (its
    /// figures flat, no `before`) reads as one with no period before.
    #[test]
    fn a_report_queued_before_the_period_before_was_added_still_reads() {
        let queued = serde_json::json!({
            "days": {
                "first": "2026-10-01", "last": "2026-12-05", "today": "2026-12-05",
                "span": "quarter", "so_far": true
            },
            "of": "this_workspace",
            "figures": {
                "pitched": 3, "moved_on": 2, "went_live": [[1, "Bins"]], "went_live_unnamed": 1,
                "retired": 1, "joins": 1, "join_councils": 1, "updates": 1, "published": 1,
                "reuses": 1, "reuse_councils": 1, "reused_projects": 1,
                "new_councils": ["Woking Borough Council"],
                "open": [["beta", 1], ["live", 2]], "in_catalogue": 1,
                "makeup": {"people": 2, "councils": 2},
                "reuses_standing": 1, "reusing_councils": 1, "by_council": []
            }
        });
        let report: Report = serde_json::from_value(queued.clone()).unwrap();
        assert_eq!(report.before, None);
        assert_eq!(report.figures.happened.pitched, 3);
        assert_eq!(report.figures.happened.went_live_count(), 2);
        assert_eq!(report.figures.standing.in_catalogue, 1);
        assert_eq!(report.asked, None);
        // And is written the same way again, less the new fields.
        let mut again = serde_json::to_value(&report).unwrap();
        again.as_object_mut().unwrap().remove("before");
        again.as_object_mut().unwrap().remove("asked");
        let figures = again["figures"].as_object_mut().unwrap();
        assert_eq!(figures.remove("open_at_end"), Some(serde_json::Value::Null));
        assert_eq!(
            figures.remove("standing_at_end"),
            Some(serde_json::Value::Null)
        );
        assert_eq!(figures.remove("retired_merged"), Some(0.into()));
        assert_eq!(figures.remove("joiners"), Some(0.into()));
        assert_eq!(figures.remove("no_council_joiners"), Some(0.into()));
        assert_eq!(again, queued);
        // Queued with a period before but not its ends: no line for them.
        let mut with_before = queued.clone();
        with_before["before"] = serde_json::json!({
            "first": "2026-07-01", "last": "2026-09-05", "happened": queued["figures"]
        });
        let report: Report = serde_json::from_value(with_before).unwrap();
        let before = report.before.unwrap();
        assert_eq!((before.open_at_end, before.people_at_end), (None, None));
        assert_eq!(before.happened.pitched, 3);
        let council: CouncilReport = serde_json::from_value(serde_json::json!({
            "days": queued["days"],
            "part": {
                "council": "Waverley", "moves": null, "went_live": [], "went_live_unnamed": 0,
                "started_reusing": [], "started_reusing_unnamed": 0, "reused_by": [],
                "today": null
            }
        }))
        .unwrap();
        assert_eq!(
            (council.before, council.asked, council.part.pitched.len()),
            (None, None, 0)
        );
    }
}
