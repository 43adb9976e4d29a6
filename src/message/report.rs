//! A report as the bot tells it: the period placed, as days, and its figures, councils most
//! giving first. Stored in the outbox as any reply.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{ReportFigures, ReportPeriod, SpanKind, TeamId};

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

/// What `/makers report` or `makers-bot report` answers. (`span`, not `kind`: a reply's
/// own tag is `kind`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The day it was asked: where things stand "today".
    pub today: NaiveDate,
    pub span: SpanKind,
    /// Still going: today is its last day.
    pub so_far: bool,
    pub of: ReportOf,
    pub figures: ReportFigures,
}

impl Report {
    pub fn new(placed: &ReportPeriod, mut figures: ReportFigures, of: ReportOf) -> Report {
        figures.by_council.sort_by(super::digest::most_giving_first);
        Report {
            first: placed.first,
            last: placed.last,
            today: placed.today,
            span: placed.kind,
            so_far: placed.so_far,
            of,
            figures,
        }
    }
}
