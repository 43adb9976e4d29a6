//! `makers-bot report`: what `/makers report` answers, for one workspace or every one, as
//! text for a terminal or each council's part as CSV for a spreadsheet; or (`--projects`)
//! every project of the period, a row each.

use anyhow::bail;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use crate::domain::{ParseError, ReportSpan, TeamId, UserError, spreadsheet_inert};
use crate::handlers;
use crate::message::{Report, ReportOf};
use crate::slack::render;
use crate::store::{self, PrivateTitles, ReportScope};

/// The report of `span` (in `/makers report`'s words) for workspace `team` (every workspace
/// without one), placed at `now` in `tz`. A private channel's project is counted without
/// its title unless `private_titles`, as in [`projects_csv`]: what is printed may go further
/// than its channel.
pub fn report(
    conn: &Connection,
    team: Option<&str>,
    span: &str,
    now: DateTime<Utc>,
    tz: Tz,
    private_titles: bool,
) -> anyhow::Result<Report> {
    let team = team.map(super::parse_team).transpose()?;
    let span = read_span(span)?;
    let scope = scope_of(team.as_ref());
    let of = match &team {
        Some(team) => ReportOf::Workspace(team.clone(), store::installation_name(conn, team)?),
        None => ReportOf::Every,
    };
    let titles = match private_titles {
        true => PrivateTitles::Named,
        false => PrivateTitles::Counted,
    };
    not_begun(handlers::report_of(conn, scope, of, span, now, tz, titles)?)
}

/// How a CSV is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvFor {
    /// For Excel: UTF-8's byte order mark first and CRLF line ends. Excel reads a file
    /// without the mark in the PC's legacy code page ("Ynys Môn" shows as "Ynys MÃ´n"), while
    /// another program would take the mark for part of the first column's name: so it is
    /// asked for, as the catalogue's `?excel=1` is.
    pub excel: bool,
    /// `--projects`: the titles of private channels' projects, left out unless asked for.
    pub private_titles: bool,
}

fn writer(to: CsvFor) -> csv::Writer<Vec<u8>> {
    match to.excel {
        true => csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer("\u{feff}".as_bytes().to_vec()),
        false => csv::Writer::from_writer(Vec::new()),
    }
}

/// What a private channel's project is called in a list that may go further than its
/// channel.
const PRIVATE_TITLE: &str = "(pitched in a private channel)";

/// Every project of workspace `team` (every workspace without one) active at some time in
/// `span` (pitched before it ended, not retired all through it unless something the report
/// counts happened to it), a project a row, as CSV
/// with a header row: a return's or a funder's project list. Titles and councils are
/// people's words, made inert for a spreadsheet. A private channel's project is listed
/// (the counts include it) without its title unless `to.private_titles`: the list may go
/// further than its channel. With `council`, only the projects that council led at the
/// period's end, for its own return.
pub fn projects_csv(
    conn: &Connection,
    team: Option<&str>,
    council: Option<&str>,
    span: &str,
    now: DateTime<Utc>,
    tz: Tz,
    to: CsvFor,
) -> anyhow::Result<ProjectList> {
    let team = team.map(super::parse_team).transpose()?;
    let span = read_span(span)?;
    let mut notes = Vec::new();
    let led_by = council
        .map(|typed| reported_council(conn, typed, &mut notes))
        .transpose()?;
    let scope = scope_of(team.as_ref());
    let placed = not_begun(handlers::place_report(conn, scope, span, now, tz)?)?;
    let day = |at: i64| {
        DateTime::from_timestamp(at, 0)
            .map(|at| at.with_timezone(&tz).date_naive().to_string())
            .unwrap_or_default()
    };
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut out = writer(to);
    out.write_record([
        "workspace_id",
        "project_number",
        "title",
        "lead_council",
        "phase_at_period_end",
        "phase_now",
        "pitched_on",
        "went_live_in_period_on",
        "joins_in_period",
        "updates_in_period",
        "reuses_said_in_period",
        "team_size_now",
        "reusing_councils_now",
        "in_catalogue_now",
        "private_channel",
        "period_first_day",
        "period_last_day",
        "now_is",
        // Added after the rest, so that a sheet reading the columns above by place still
        // reads them.
        "phase_at_period_start",
        "moved_on_in_period",
    ])?;
    let (first, last) = (placed.first.to_string(), placed.last.to_string());
    let today = placed.today.to_string();
    let mut hidden = 0;
    let led_by_id = led_by.as_ref().map(|c| c.id);
    let projects = store::projects_in(conn, scope, placed.period, led_by_id)?;
    if let (Some(c), true) = (&led_by, projects.is_empty()) {
        notes.push(format!(
            "{} led no project active in that period at its end",
            c.name
        ));
    }
    for p in projects {
        let lead = p.lead_council.as_deref().unwrap_or_default();
        let title = match p.private && !to.private_titles {
            true => {
                hidden += 1;
                PRIVATE_TITLE.to_string()
            }
            // As a reader sees it (no Slack ids), then made inert: "@sam …" starts with `@`.
            false => spreadsheet_inert(&render::typed_as_plain(p.title.as_str())).into_owned(),
        };
        out.write_record([
            p.team.as_str(),
            &p.number.get().to_string(),
            &title,
            &spreadsheet_inert(lead),
            p.phase_at_end.as_str(),
            p.phase.as_str(),
            &day(p.pitched_at),
            &p.went_live_at.map(day).unwrap_or_default(),
            &p.joins.to_string(),
            &p.updates.to_string(),
            &p.reuses.to_string(),
            &p.team_size.to_string(),
            &p.reusing_councils.to_string(),
            yes(p.published),
            yes(p.private),
            &first,
            &last,
            &today,
            p.phase_at_start.as_str(),
            yes(p.moved_on),
        ])?;
    }
    Ok(ProjectList {
        csv: String::from_utf8(out.into_inner()?)?,
        hidden,
        notes,
    })
}

/// The project list of `makers-bot report --projects`, and what the operator is told beside
/// it (on standard error).
pub struct ProjectList {
    pub csv: String,
    /// How many titles were left out (a private channel's).
    pub hidden: usize,
    /// Which council a former name led to; that the council led none in the period.
    pub notes: Vec<String>,
}

/// The council a report is asked for (`super::find_council`): by its recorded name or any
/// spelling of it, or a former name (a council merged into another, or renamed, is now the
/// one it became, which `notes` tells); else refused, with a near one named.
fn reported_council(
    conn: &Connection,
    typed: &str,
    notes: &mut Vec<String>,
) -> anyhow::Result<store::RecordedCouncil> {
    match super::find_council(conn, typed)? {
        super::CouncilFound::Recorded(found) => Ok(found),
        super::CouncilFound::Former {
            former,
            now,
            renamed,
        } => {
            let to = &now.name;
            match renamed {
                true => notes.push(format!("{former} is now called {to}: its projects follow")),
                false => notes.push(format!(
                    "{former} was merged into {to}: {to}'s projects follow, those {former} led among them"
                )),
            }
            Ok(now)
        }
        super::CouncilFound::Unknown { near: Some(near) } => bail!(
            "no council is recorded as {typed:?}: did you mean {near:?}? (`makers-bot council list` lists them)"
        ),
        super::CouncilFound::Unknown { near: None } => {
            bail!("no council is recorded as {typed:?} (`makers-bot council list` lists them)")
        }
    }
}

/// Workspace `team`'s, or every workspace's.
fn scope_of(team: Option<&TeamId>) -> ReportScope<'_> {
    match team {
        Some(team) => ReportScope::Workspace(team),
        None => ReportScope::Every,
    }
}

/// A period in `/makers report`'s words.
fn read_span(span: &str) -> anyhow::Result<ReportSpan> {
    // As `/makers report for last quarter` takes it.
    let span = span.trim();
    let span = span
        .strip_prefix("for ")
        .or_else(|| span.strip_prefix("FOR "))
        .unwrap_or(span);
    match ReportSpan::parse(span) {
        Ok(span) => Ok(span),
        Err(ParseError::BadReportSpan { got }) => bail!(
            "cannot tell which days {got:?} means: say a period as /makers report takes it: \
             none (this quarter so far), `last quarter`, `Q2`, `April`, `year` (the financial \
             year, from 1 April), `2026/27`, `last 30 days`, `all`, `since 2026-04-01` or \
             `2026-04-01 to 2026-06-30`"
        ),
        Err(other) => bail!("cannot read the period: {other:?}"),
    }
}

/// What was found, or why there is nothing to count.
fn not_begun<T>(found: Result<T, UserError>) -> anyhow::Result<T> {
    match found {
        Ok(found) => Ok(found),
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

/// The councils CSV's last row: the period's new projects with no lead council, and joins
/// by people who have not said their council. (In brackets: it names no council.)
const NO_COUNCIL: &str = "(no council said)";

/// Each council's part in the report's period, most giving first, as CSV with a header
/// row. A council's name is a cell a spreadsheet could run as a formula: made inert.
pub fn councils_csv(report: &Report, to: CsvFor) -> anyhow::Result<String> {
    let mut out = writer(to);
    out.write_record([
        "council",
        "from",
        "to",
        "new_projects_led",
        "joins",
        "reuses_started",
        "reused_by_other_councils",
        // Added after the rest, so that a sheet reading the columns above by place still
        // reads them: how many people the joins were by (one in two teams is one).
        "people_joined",
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
            &c.joiners.to_string(),
        ])?;
    }
    // What no council is counted for, so that the column sums are the report's figures.
    let (pitched, joins) = report.figures.no_council();
    if (pitched, joins) != (0, 0) {
        out.write_record([
            NO_COUNCIL,
            &first,
            &last,
            &pitched.to_string(),
            &joins.to_string(),
            "0",
            "0",
            &report.figures.no_council_joiners.to_string(),
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
            joiners: 1,
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
            asked: None,
        };
        assert_eq!(
            councils_csv(&report, CsvFor::default()).unwrap(),
            "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils,people_joined\n\
             \"'=HYPERLINK(\"\"x\"\")\",2026-07-01,2026-09-30,1,2,3,4,1\n\
             \"Bath, \"\"North\"\" East\",2026-07-01,2026-09-30,1,2,3,4,1\n"
        );
    }
}
