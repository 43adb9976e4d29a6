//! `report`: a span's figures for the asker's workspace, worked out at the asking.

use rusqlite::Connection;

use super::{Ctx, problem};
use crate::domain::{ReportSpan, UserError};
use crate::message::{Reply, Report};
use crate::store;

/// The figures of `span` as placed at the request's time, in the bot's time zone. Not in a
/// channel shared with another organisation by mention: the figures count every project of
/// the workspace, and such a channel is shown only its own and the catalogue's.
pub fn report(conn: &Connection, ctx: &Ctx, span: ReportSpan) -> anyhow::Result<Reply> {
    if ctx.shared_channel {
        return Ok(problem(UserError::ReportInSharedChannel));
    }
    let first = store::first_pitched_at(conn, Some(&ctx.team))?;
    let placed = match span.place(ctx.at, ctx.rules.tz, first) {
        Ok(placed) => placed,
        Err(refused) => return Ok(problem(refused)),
    };
    let figures = store::report_figures(conn, Some(&ctx.team), placed.period)?;
    Ok(Reply::Report(Box::new(Report::new(
        &placed, figures, false,
    ))))
}
