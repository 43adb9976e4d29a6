//! `makers-bot report`: what `/makers report` answers, for one workspace or every one, as
//! text for a terminal or each council's part as CSV for a spreadsheet.

use anyhow::bail;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use crate::domain::{ParseError, ReportSpan, UserError, spreadsheet_inert};
use crate::handlers;
use crate::message::{Report, ReportOf};
use crate::store::{self, ReportScope};

/// The report of `span` (in `/makers report`'s words) for workspace `team` (every workspace
/// without one), placed at `now` in `tz`.
pub fn report(
    conn: &Connection,
    team: Option<&str>,
    span: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> anyhow::Result<Report> {
    let team = team.map(super::parse_team).transpose()?;
    // As `/makers report for last quarter` takes it.
    let span = span.trim();
    let span = span
        .strip_prefix("for ")
        .or_else(|| span.strip_prefix("FOR "))
        .unwrap_or(span);
    let span = match ReportSpan::parse(span) {
        Ok(span) => span,
        Err(ParseError::BadReportSpan { got }) => bail!(
            "cannot tell which days {got:?} means: say a period as /makers report takes it: \
             none (this quarter so far), `last quarter`, `Q2`, `April`, `year` (the financial \
             year, from 1 April), `2026/27`, `last 30 days`, `all`, `since 2026-04-01` or \
             `2026-04-01 to 2026-06-30`"
        ),
        Err(other) => bail!("cannot read the period: {other:?}"),
    };
    let scope = match &team {
        Some(team) => ReportScope::Workspace(team),
        None => ReportScope::Every,
    };
    let of = match &team {
        Some(team) => ReportOf::Workspace(team.clone()),
        None => ReportOf::Every,
    };
    match handlers::report_of(conn, scope, of, span, now, tz)? {
        Ok(report) => Ok(report),
        Err(UserError::ReportInFuture { from }) => {
            bail!("the period starts on {from}, which has not come yet: nothing is counted")
        }
        Err(other) => bail!("cannot report: {other:?}"),
    }
}

/// Whether no project was ever pitched in workspace `team`.
pub fn nothing_pitched(conn: &Connection, team: &str) -> anyhow::Result<bool> {
    let team = super::parse_team(team)?;
    Ok(store::first_pitched_at(conn, ReportScope::Workspace(&team))?.is_none())
}

/// Each council's part in the report's period, most giving first, as CSV with a header
/// row. A council's name is a cell a spreadsheet could run as a formula: made inert.
pub fn councils_csv(report: &Report) -> anyhow::Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "council",
        "from",
        "to",
        "new_projects_led",
        "joins",
        "reuses_started",
        "reused_by_other_councils",
    ])?;
    let (first, last) = (report.days.first.to_string(), report.days.last.to_string());
    for c in &report.figures.by_council {
        out.write_record([
            spreadsheet_inert(&c.council).as_ref(),
            &first,
            &last,
            &c.pitched.to_string(),
            &c.joined.to_string(),
            &c.reuses.to_string(),
            &c.reused_by_others.to_string(),
        ])?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CouncilMoves, ReportFigures, SpanKind};

    /// A council's name a spreadsheet would run is made inert; commas and quotes are CSV's.
    #[test]
    fn the_csv_makes_formulas_inert_and_quotes_what_needs_it() {
        let moves = |council: &str| CouncilMoves {
            council: council.into(),
            pitched: 1,
            joined: 2,
            reuses: 3,
            reused_by_others: 4,
        };
        let report = Report {
            days: crate::message::ReportDays {
                first: "2026-07-01".parse().unwrap(),
                last: "2026-09-30".parse().unwrap(),
                today: "2026-12-05".parse().unwrap(),
                span: SpanKind::Quarter,
                so_far: false,
            },
            of: ReportOf::Every,
            figures: ReportFigures {
                by_council: vec![moves("=HYPERLINK(\"x\")"), moves("Bath, \"North\" East")],
                ..ReportFigures::default()
            },
            before: None,
        };
        assert_eq!(
            councils_csv(&report).unwrap(),
            "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils\n\
             \"'=HYPERLINK(\"\"x\"\")\",2026-07-01,2026-09-30,1,2,3,4\n\
             \"Bath, \"\"North\"\" East\",2026-07-01,2026-09-30,1,2,3,4\n"
        );
    }
}
