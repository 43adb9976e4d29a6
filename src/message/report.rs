//! A report as the bot tells it: the period placed, as days, and its figures (councils most
//! giving first), or one council's part in it. Stored in the outbox as any reply.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{CouncilInPeriod, ReportFigures, ReportPeriod, SpanKind, TeamId};

/// Whose figures a report tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportOf {
    /// The asker's workspace, in Slack.
    ThisWorkspace,
    /// One workspace, named for an operator.
    Workspace(TeamId),
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
}

impl Report {
    pub fn new(placed: &ReportPeriod, mut figures: ReportFigures, of: ReportOf) -> Report {
        figures.by_council.sort_by(super::digest::most_giving_first);
        Report {
            days: placed.into(),
            of,
            figures,
        }
    }
}

/// What `/makers report … for <council>` answers: that council's part in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilReport {
    pub days: ReportDays,
    pub part: CouncilInPeriod,
}
