//! `report`: a period's figures for the asker's workspace, or one council's part in it,
//! worked out at the asking; and the same steps for the operator's `makers-bot report`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use super::{Ctx, problem};
use crate::commands::ReportFor;
use crate::domain::{CouncilName, Formerly, ReportPeriod, ReportSpan, UserError, open_total};
use crate::message::{Before, CouncilBefore, CouncilReport, Reply, Report, ReportDays, ReportOf};
use crate::store::{self, PrivateTitles, ReportScope};

/// Where `span` falls at `now` in `tz` for `scope` (`all` starts at its first pitch); a
/// period that has not begun refused.
pub fn place(
    conn: &Connection,
    scope: ReportScope<'_>,
    span: ReportSpan,
    now: DateTime<Utc>,
    tz: Tz,
) -> anyhow::Result<Result<ReportPeriod, UserError>> {
    let first_pitch = match span.needs_first_pitch() {
        true => store::first_pitched_at(conn, scope)?,
        false => None,
    };
    Ok(span.place(now, tz, first_pitch))
}

/// The report of `span` for `scope` (told as `of`), placed at `now` in `tz`, with the period
/// before it to set its figures against; a period that has not begun refused.
pub fn report_of(
    conn: &Connection,
    scope: ReportScope<'_>,
    of: ReportOf,
    span: ReportSpan,
    now: DateTime<Utc>,
    tz: Tz,
    titles: PrivateTitles,
) -> anyhow::Result<Result<Report, UserError>> {
    // Every figure from the same moment, so that the parts add up to the whole.
    store::one_snapshot(conn, || {
        // Read once: where `all` starts, and whether the period's end and the one before's had
        // begun.
        let first = store::first_pitched_at(conn, scope)?;
        let placed = match span.place(now, tz, first) {
            Ok(placed) => placed,
            Err(refused) => return Ok(Err(refused)),
        };
        let mut figures = store::report_figures(conn, scope, placed.period, titles)?;
        // Where things stood at the end of a period already over, once anything was pitched:
        // phases from their changes, the rest as tallied at the end of its last day.
        let end = placed.period.to;
        if !placed.so_far && begun_by(first, end) {
            figures.open_at_end = Some(store::open_at(conn, scope, end)?);
            let day = (placed.last, end);
            figures.standing_at_end = store::tally_or_to_come(conn, scope, day, now.timestamp())?;
        }
        let before = match period_before(first, &placed, tz) {
            Some(before) => {
                let mut then = store::happened(conn, scope, before.period, titles)?;
                // Only counted: nothing of it named is kept with the answer (in the outbox, and
                // so in an export), where a private channel's title would be.
                then.went_live_unnamed = u32::try_from(then.went_live_count()).unwrap_or(u32::MAX);
                then.went_live.clear();
                let open = open_total(&store::open_at(conn, scope, before.period.to)?);
                let open = u32::try_from(open).unwrap_or(u32::MAX);
                let tallied = store::tally_of(conn, scope, before.last)?;
                Some(Before {
                    first: before.first,
                    last: before.last,
                    happened: then,
                    open_at_end: Some(open),
                    people_at_end: tallied.map(|t| t.makeup.people),
                })
            }
            None => None,
        };
        Ok(Ok(Report::new(&placed, figures, of, before)))
    })
}

/// The period before `placed`, to set its figures against; `None` where there is none, or
/// where nothing had been pitched by its end (`first`, the first pitch): a programme not
/// begun has nothing to set against.
fn period_before(first: Option<i64>, placed: &ReportPeriod, tz: Tz) -> Option<ReportPeriod> {
    placed
        .before(tz)
        .filter(|before| begun_by(first, before.period.to))
}

/// Whether anything had been pitched before instant `at`, the first pitch being `first`.
fn begun_by(first: Option<i64>, at: i64) -> bool {
    first.is_some_and(|first| first < at)
}

/// The asker's report, of the workspace or of a council. Not by mention in a channel shared
/// with another organisation: its figures count every project of the workspace, and such a
/// channel is shown only its own and the catalogue's. Projects are named only where the
/// asker may be shown them (a private channel's is counted).
pub fn report(
    conn: &Connection,
    ctx: &Ctx,
    span: ReportSpan,
    council: Option<ReportFor>,
) -> anyhow::Result<Reply> {
    if ctx.shared_channel {
        return Ok(problem(UserError::ReportInSharedChannel));
    }
    if let Some(council) = council {
        // Its figures from one moment too.
        return store::one_snapshot(conn, || council_report(conn, ctx, span, council));
    }
    let scope = ReportScope::Workspace(&ctx.team);
    let of = ReportOf::ThisWorkspace;
    let (at, tz) = (ctx.at, ctx.rules.tz);
    let mut report = match report_of(conn, scope, of, span, at, tz, PrivateTitles::Named)? {
        Ok(report) => report,
        Err(refused) => return Ok(problem(refused)),
    };
    let hidden = super::hidden_here(conn, ctx)?;
    let happened = &mut report.figures.happened;
    happened.went_live_unnamed += leave_out(&mut happened.went_live, &hidden);
    report.asked = Some(asked_again(span, &report.days, None));
    Ok(Reply::Report(Box::new(report)))
}

/// One council's part: the asker's (said first), or one named (as `list council` finds it,
/// by a spelling or a former name, a near one offered).
fn council_report(
    conn: &Connection,
    ctx: &Ctx,
    span: ReportSpan,
    council: ReportFor,
) -> anyhow::Result<Reply> {
    let Whose { id, name, formerly } = match whose(conn, ctx, span, council)? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    // Its figures span every workspace, one that removed the app included, so `all` starts
    // at the first pitch in any. Read once, as in `report_of`.
    let every = ReportScope::EveryIncludingRemoved;
    let first = store::first_pitched_at(conn, every)?;
    let placed = match span.place(ctx.at, ctx.rules.tz, first) {
        Ok(placed) => placed,
        Err(refused) => return Ok(problem(refused)),
    };
    let mut part = store::council_part(conn, &ctx.team, id, name.display(), placed.period)?;
    // Where it stood at the end of a period already over, once anything was pitched.
    let end = placed.period.to;
    if !placed.so_far && begun_by(first, end) {
        part.led_open_at_end = Some(store::open_led_at(conn, every, end, Some(id))?);
    }
    let hidden = super::hidden_here(conn, ctx)?;
    part.pitched_unnamed += leave_out(&mut part.pitched, &hidden);
    part.went_live_unnamed += leave_out(&mut part.went_live, &hidden);
    part.started_reusing_unnamed += leave_out(&mut part.started_reusing, &hidden);
    let before = match period_before(first, &placed, ctx.rules.tz) {
        Some(before) => Some(CouncilBefore {
            first: before.first,
            last: before.last,
            moves: store::council_moves_of(conn, name.display(), before.period)?,
        }),
        None => None,
    };
    // Its own days, and by its recorded name: `my council` would be whoever presses the
    // copy button's.
    let days = ReportDays::from(&placed);
    let asked = Some(asked_again(span, &days, Some(name.display())));
    Ok(Reply::CouncilReport(Box::new(CouncilReport {
        days,
        part,
        before,
        asked,
        formerly,
    })))
}

/// The council a report is of.
struct Whose {
    id: i64,
    name: CouncilName,
    /// The former council it was named by (merged or renamed), to say so as `list council`
    /// does: its figures are the new council's, another's folded in.
    formerly: Option<Formerly>,
}

/// The asker's council, or the one named; or the problem to answer with.
fn whose(
    conn: &Connection,
    ctx: &Ctx,
    span: ReportSpan,
    council: ReportFor,
) -> anyhow::Result<Result<Whose, Reply>> {
    match council {
        ReportFor::Mine => Ok(match store::council_of(conn, &ctx.team, &ctx.user)? {
            Some((id, name)) => Ok(Whose {
                id,
                name,
                formerly: None,
            }),
            None => Err(problem(UserError::ReportCouncilFirst)),
        }),
        ReportFor::Named(typed) => match super::team::recorded_council(conn, &typed)? {
            Ok((id, name)) => {
                let formerly = super::team::formerly(conn, &typed, &name)?;
                Ok(Ok(Whose { id, name, formerly }))
            }
            Err(near) => {
                let period = (span != ReportSpan::ThisQuarter).then(|| span.words());
                Ok(Err(problem(UserError::ReportNoSuchCouncil {
                    typed: typed.display().to_string(),
                    near,
                    period,
                })))
            }
        },
    }
}

/// The command that asks for a report again later (`report_copy` reads it back), its
/// period pinned to its days (see `ReportPeriod::pinned`): a copy asked after midnight on
/// the quarter's last day is of that quarter still. `since D` stays so, running on to the
/// press. A council's by its recorded name.
fn asked_again(span: ReportSpan, d: &ReportDays, council: Option<&str>) -> String {
    let pinned = match span {
        ReportSpan::Since(_) => span,
        _ => crate::domain::pinned(d.span, d.first, d.last),
    };
    match council {
        Some(council) => format!("report {} for {council}", pinned.words()),
        None => format!("report {}", pinned.words()),
    }
}

/// A copy of the report `asked` (a *Send me a copy* button's value) for the presser, to be
/// sent to their messages with the bot, where it stays: worked out afresh, as for their
/// messages (a private channel's project named only to its team), with no button of its
/// own. A value that is not a report: the button is out of date.
pub fn report_copy(conn: &Connection, ctx: &Ctx, asked: &str) -> anyhow::Result<Reply> {
    let Ok(crate::commands::Command::Report { span, council }) = crate::commands::parse(asked)
    else {
        return Ok(problem(UserError::StaleButton));
    };
    let mut reply = report(conn, &ctx.in_dm(), span, council)?;
    reply.without_copy_button();
    Ok(reply)
}

/// Leaves out of `named` the projects in `hidden`; how many it left out.
fn leave_out<T>(
    named: &mut Vec<(crate::domain::ProjectNumber, T)>,
    hidden: &std::collections::HashSet<crate::domain::ProjectNumber>,
) -> u32 {
    let before = named.len();
    named.retain(|(n, _)| !hidden.contains(n));
    (before - named.len()) as u32
}
