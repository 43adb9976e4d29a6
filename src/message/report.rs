//! A report as the bot tells it: the span placed, as days, and its figures, councils most
//! giving first. Stored in the outbox as any reply, so its days are ISO text.

use serde::{Deserialize, Serialize};

use crate::domain::{ReportFigures, ReportPeriod, SpanKind};

/// What `/makers report` or `makers-bot report` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The span's first and last local days (ISO: `2026-10-01`).
    pub first: String,
    pub last: String,
    pub span: SpanKind,
    /// "Q3 of 2026/27", "2026/27": a quarter's or a year's financial name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub financial: Option<String>,
    /// Every workspace the bot serves (the operator's report), not the asker's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub everywhere: bool,
    pub figures: ReportFigures,
}

impl Report {
    pub fn new(placed: &ReportPeriod, mut figures: ReportFigures, everywhere: bool) -> Report {
        figures.by_council.sort_by(super::digest::most_giving_first);
        Report {
            first: placed.first.to_string(),
            last: placed.last.to_string(),
            span: placed.kind,
            financial: placed.financial_name(),
            everywhere,
            figures,
        }
    }
}
