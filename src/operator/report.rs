//! `makers-bot report`: what `/makers report` answers, for one workspace or every one, as
//! text for a terminal or each council's part as CSV for a spreadsheet.

use anyhow::bail;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::domain::{Problem, ReportSpan};
use crate::message::Report;
use crate::slack::render;
use crate::store;

/// The report of `span` (in `/makers report`'s words) for `team` (every workspace with
/// `None`), placed at `now` in the deployment's time zone.
pub fn report(
    conn: &Connection,
    team: Option<&str>,
    span: &str,
    now: DateTime<Utc>,
    look: &render::Look,
) -> anyhow::Result<Report> {
    let team = team.map(super::parse_team).transpose()?;
    let refused = |problem: Problem| {
        let said = render::problem_text(&problem, look);
        // Its examples are the slash command's: the same words follow `makers-bot report`.
        render::plain_text(&said).replace("/makers report", "makers-bot report")
    };
    let span = match ReportSpan::parse(span) {
        Ok(span) => span,
        Err(error) => bail!("{}", refused(Problem::Parse { error })),
    };
    let first = store::first_pitched_at(conn, team.as_ref())?;
    let placed = match span.place(now, look.tz, first) {
        Ok(placed) => placed,
        Err(error) => bail!("{}", refused(Problem::Refused { error })),
    };
    let figures = store::report_figures(conn, team.as_ref(), placed.period)?;
    Ok(Report::new(&placed, figures, team.is_none()))
}

/// Whether no project was ever pitched in workspace `team`.
pub fn nothing_pitched(conn: &Connection, team: &str) -> anyhow::Result<bool> {
    let team = super::parse_team(team)?;
    Ok(store::first_pitched_at(conn, Some(&team))?.is_none())
}

/// Each council's part in the report's span, most giving first, as CSV with a header row.
/// A council's name is a cell a spreadsheet could run as a formula, so it is made inert.
pub fn councils_csv(report: &Report) -> anyhow::Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "council",
        "from",
        "to",
        "projects_led_pitched",
        "joins",
        "reuses_started",
        "reused_by_other_councils",
    ])?;
    for c in &report.figures.by_council {
        out.write_record([
            crate::web::inert(&c.council).as_ref(),
            &report.first,
            &report.last,
            &c.pitched.to_string(),
            &c.joined.to_string(),
            &c.reuses.to_string(),
            &c.reused_by_others.to_string(),
        ])?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}
