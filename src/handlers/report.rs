//! `report`: a period's figures for the asker's workspace, worked out at the asking; and the
//! same steps for the operator's `makers-bot report`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use super::{Ctx, audience, problem};
use crate::domain::{ReportFigures, ReportPeriod, ReportSpan, UserError};
use crate::message::{Reply, Report, ReportOf};
use crate::store::{self, ReportScope};

/// The figures of `span` for `scope`, placed at `now` in `tz`; a period that has not begun
/// refused.
pub fn figures_for(
    conn: &Connection,
    scope: ReportScope<'_>,
    span: ReportSpan,
    now: DateTime<Utc>,
    tz: Tz,
) -> anyhow::Result<Result<(ReportPeriod, ReportFigures), UserError>> {
    let first_pitch = match span.needs_first_pitch() {
        true => store::first_pitched_at(conn, scope)?,
        false => None,
    };
    let placed = match span.place(now, tz, first_pitch) {
        Ok(placed) => placed,
        Err(refused) => return Ok(Err(refused)),
    };
    let figures = store::report_figures(conn, scope, placed.period)?;
    Ok(Ok((placed, figures)))
}

/// The asker's report. Not by mention in a channel shared with another organisation: its
/// figures count every project of the workspace, and such a channel is shown only its own
/// and the catalogue's. Projects that went live are named only where the asker may be
/// shown them (a private channel's is counted).
pub fn report(conn: &Connection, ctx: &Ctx, span: ReportSpan) -> anyhow::Result<Reply> {
    if ctx.shared_channel {
        return Ok(problem(UserError::ReportInSharedChannel));
    }
    let scope = ReportScope::Workspace(&ctx.team);
    let (placed, mut figures) = match figures_for(conn, scope, span, ctx.at, ctx.rules.tz)? {
        Ok(found) => found,
        Err(refused) => return Ok(problem(refused)),
    };
    let hidden = store::hidden_from(conn, &ctx.team, audience(ctx))?;
    let before = figures.went_live.len();
    figures.went_live.retain(|(n, _)| !hidden.contains(n));
    figures.went_live_unnamed += (before - figures.went_live.len()) as u32;
    let report = Report::new(&placed, figures, ReportOf::ThisWorkspace);
    Ok(Reply::Report(Box::new(report)))
}
