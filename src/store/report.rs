//! The figures of `/makers report` and `makers-bot report`: counts over a period for one
//! workspace, or every workspace the bot serves, where things stood at the period's end and
//! where they stand now. Read-only, but for the day's tally (`record_tallies`).

use anyhow::Context;
use rusqlite::{Connection, params};

use super::doing;
use super::people::{join_council, own_person, said_council};
use super::projects::{stored_number, stored_phase, stored_title};
use chrono::NaiveDate;
use std::collections::HashSet;

use crate::domain::{
    CouncilInPeriod, CouncilMoves, Happened, Makeup, Period, Phase, ProjectInPeriod, ProjectNumber,
    ReportFigures, Standing, TeamId, Title,
};

/// Whose projects a report counts.
#[derive(Debug, Clone, Copy)]
pub enum ReportScope<'a> {
    /// One workspace's.
    Workspace(&'a TeamId),
    /// Every workspace's but those that removed the app (kept until erased, nobody there
    /// reads the bot).
    Every,
    /// Every workspace's, one that removed the app included: a council's part, whose other
    /// figures (`council_moves_of`, the "today" line) count them, so that all its parts
    /// count the same projects.
    EveryIncludingRemoved,
}

impl ReportScope<'_> {
    /// SQL: project `p` is counted; `param` binds the workspace (NULL for every one).
    pub(super) fn projects(self, param: &str) -> String {
        self.rows_of("p.team_id", param)
    }

    /// SQL: a row whose workspace is `column` is counted.
    fn rows_of(self, column: &str, param: &str) -> String {
        match self {
            // `+`: as the digest's make-up reads it, the planner walking from the period's
            // rows rather than every project of the workspace.
            ReportScope::Workspace(_) => format!("{column} = +{param}"),
            ReportScope::Every => format!(
                "{param} IS NULL AND {column} NOT IN (SELECT team_id FROM removed_workspaces)"
            ),
            ReportScope::EveryIncludingRemoved => format!("{param} IS NULL"),
        }
    }

    /// The workspace's id to bind, or NULL.
    pub(super) fn bound(&self) -> Option<&str> {
        match self {
            ReportScope::Workspace(team) => Some(team.as_str()),
            ReportScope::Every | ReportScope::EveryIncludingRemoved => None,
        }
    }
}

/// A project `p`'s phase at instant `{at}`: the last it was moved to before then, or, if it
/// was not moved before then, the first it was moved from after (else the one it has).
macro_rules! phase_at {
    ($at:literal) => {
        concat!(
            "COALESCE(
               (SELECT c.to_phase FROM phase_changes c WHERE c.project_id = p.id
                  AND c.changed_at < ",
            $at,
            " ORDER BY c.changed_at DESC, c.id DESC LIMIT 1),
               (SELECT c.from_phase FROM phase_changes c WHERE c.project_id = p.id
                  AND c.changed_at >= ",
            $at,
            " ORDER BY c.changed_at, c.id LIMIT 1),
               p.phase)"
        )
    };
}

/// The council that led project `p` at instant `$at` (an SQL expression): the one it has,
/// unless that was set at or after `$at` and another led it then, kept in
/// `lead_councils_ended` (migration 0055) until the first change at or after `$at`. A lead
/// council first set where there was none is read back to the pitch, as nothing is kept for
/// it. Only a project whose lead council changed after `$at` reads the kept rows.
macro_rules! lead_at {
    ($at:literal) => {
        concat!(
            "(CASE WHEN p.lead_council_at IS NULL OR p.lead_council_at < ",
            $at,
            " THEN p.pitcher_council_id ELSE COALESCE(
                (SELECT l.council_id FROM lead_councils_ended l WHERE l.project_id = p.id
                   AND l.until_at >= ",
            $at,
            " ORDER BY l.until_at LIMIT 1), p.pitcher_council_id) END)"
        )
    };
}
pub(super) use lead_at;

/// Whether project `p` is one the council bound to `$council` leads or led before: read by
/// their indexes, so that a council's part reads its own projects, not every one. What
/// [`led_by_at`] narrows first.
macro_rules! led_ever_by {
    ($council:literal) => {
        concat!(
            "p.id IN (SELECT id FROM projects WHERE pitcher_council_id = ",
            $council,
            " UNION ALL SELECT project_id FROM lead_councils_ended WHERE council_id = ",
            $council,
            ")"
        )
    };
}

/// Whether project `p` was led at instant `$at` by the council bound to `$council`
/// ([`lead_at`]), among those [`led_ever_by`] reads.
macro_rules! led_by_at {
    ($council:literal, $at:literal) => {
        concat!(
            led_ever_by!($council),
            " AND ",
            lead_at!($at),
            " = ",
            $council
        )
    };
}

/// Membership `m` of project `p` is not the one its pitch made (the pitcher's first, dated as
/// the project): that is no join. Whoever pitched it leaving and joining again later is, as
/// anyone's, and the thread says they joined. Not every membership of theirs: that dropped
/// such a join again from every count while the thread announced it.
macro_rules! not_pitchs_own {
    () => {
        "NOT (m.user_id = COALESCE(p.pitched_by, p.pitcher) AND m.joined_at = p.created_at)"
    };
}
pub(super) use not_pitchs_own;

/// A join in the period from parameter `$from` to `$to`, as [`JOIN_COUNTED`] words it, with
/// the period bound where a query binds it (`council_moves`).
macro_rules! join_counted {
    ($from:literal, $to:literal) => {
        concat!(
            "m.joined_at >= ",
            $from,
            " AND m.joined_at < ",
            $to,
            " AND (m.left_at IS NULL OR m.left_at >= ",
            $to,
            ") AND ",
            $crate::store::report::not_pitchs_own!()
        )
    };
}
pub(super) use join_counted;

/// A re-use in the period from parameter `$from` to `$to`, as [`REUSE_COUNTED`] words it.
macro_rules! reuse_counted {
    ($from:literal, $to:literal) => {
        concat!(
            "r.created_at >= ",
            $from,
            " AND r.created_at < ",
            $to,
            " AND (r.ended_at IS NULL OR r.ended_at >= ",
            $to,
            ")"
        )
    };
}
pub(super) use reuse_counted;

/// What a report counts as happening in the period `?2`..`?3`, one rule each, shared by its
/// figures (`happened`) and its project list (`projects_in`), so that the two agree. `m`,
/// `u`, `c`: a membership, an update, a phase change of project `p`.
///
/// A join: a membership `m` of [`MEMBERSHIPS`] that stood at the period's end (a past
/// period's joins do not fall as people leave later), and not the pitcher's own first
/// membership, as the digest's "Who joined".
const JOIN_COUNTED: &str = join_counted!("?2", "?3");
/// An update: not withdrawn.
const UPDATE_COUNTED: &str = "u.created_at >= ?2 AND u.created_at < ?3 AND u.withdrawn_at IS NULL";
/// A re-use `r` of [`REUSES`] said, that stood at the period's end (a council that stops
/// later does not take it out of a past period's report).
const REUSE_COUNTED: &str = reuse_counted!("?2", "?3");
/// The phase a phase change `c` moved from, a retirement seen through: from retired, the
/// phase its latest retirement before `c` was from, as bringing a project back undoes its
/// retirement. Retired still if no retirement was kept, which every one is.
macro_rules! moved_from {
    () => {
        "(CASE WHEN c.from_phase <> 'retired' THEN c.from_phase
           ELSE COALESCE(
             (SELECT r.from_phase FROM phase_changes r
               WHERE r.project_id = c.project_id AND r.to_phase = 'retired'
                 AND (r.changed_at < c.changed_at OR (r.changed_at = c.changed_at AND r.id < c.id))
               ORDER BY r.changed_at DESC, r.id DESC LIMIT 1),
             'retired') END)"
    };
}

/// Gone live: moved to live, not back from retired from live (it was live before that),
/// and live or retired at the period's end (not put back to beta in it).
const WENT_LIVE: &str = concat!(
    "c.changed_at >= ?2 AND c.changed_at < ?3 AND c.to_phase = 'live'
     AND ",
    moved_from!(),
    " NOT IN ('live', 'retired') AND ",
    phase_at!("?3"),
    " IN ('live', 'retired')"
);

/// Every membership, standing (`left_at` NULL) and ended (migration 0052), to be read as a
/// table. Filters on its columns alone are pushed into both halves, each with its indexes.
pub(super) const MEMBERSHIPS: &str =
    "(SELECT project_id, user_id, joined_at, NULL AS left_at, council_id FROM members
      UNION ALL SELECT project_id, user_id, joined_at, left_at, council_id FROM memberships_ended)";

/// Every re-use, standing (`ended_at` NULL) and ended (migration 0053), as [`MEMBERSHIPS`].
pub(super) const REUSES: &str =
    "(SELECT project_id, council_id, said_in, created_at, NULL AS ended_at FROM reuses
      UNION ALL SELECT project_id, council_id, said_in, created_at, ended_at FROM reuses_ended)";

/// Ranks phases in order, for "moved to a later phase".
const RANKED: &str = "WITH ranked (phase, rank) AS (VALUES
    ('discovery', 0), ('alpha', 1), ('beta', 2), ('live', 3), ('retired', 4)) ";
/// Moved to a later phase: a phase change `c` (of project `p`, with `MOVED_ON_RANKS` and
/// under `RANKED`) to a later phase, not retired, in the period, that stood at its end:
/// the project there or further on then (retired counting as further on).
const MOVED_ON: &str = "c.changed_at >= ?2 AND c.changed_at < ?3
    AND c.to_phase <> 'retired' AND t.rank > f.rank AND n.rank >= t.rank";
/// The ranks `MOVED_ON` compares: from (through a retirement, so that a project brought
/// back has moved on only if later than before it), to, and at the period's end.
const MOVED_ON_RANKS: &str = concat!(
    "JOIN ranked f ON f.phase = ",
    moved_from!(),
    " JOIN ranked t ON t.phase = c.to_phase
     JOIN ranked n ON n.phase = ",
    phase_at!("?3")
);

/// The figures for `scope` over `period` (private channels' projects named or counted as
/// `titles` says).
pub fn report_figures(
    conn: &Connection,
    scope: ReportScope<'_>,
    period: Period,
    titles: PrivateTitles,
) -> anyhow::Result<ReportFigures> {
    let t = scope.bound();
    let s = scope.projects("?1");
    let moved = super::reuses::council_moves(conn, period, Some(scope))?;
    Ok(ReportFigures {
        happened: happened(conn, scope, period, titles)?,
        open: open_by_phase(conn, &s, t)?,
        open_at_end: None,
        standing: standing(conn, scope, None)?,
        standing_at_end: None,
        by_council: moved.by_council,
        no_council_joiners: moved.no_council_joiners,
    })
}

/// Where `scope`'s teams, catalogue and re-uses stand now, or (`at`) as they stood at that
/// instant as far as what is kept can say: what was pitched, joined, published and said
/// before it, and open then by its phase changes, with the memberships and re-uses ended
/// since ([`MEMBERSHIPS`], [`REUSES`]). Unpublishing since is not undone (it is not kept),
/// so a tally is taken soon after the instant it is of.
fn standing(
    conn: &Connection,
    scope: ReportScope<'_>,
    at: Option<i64>,
) -> anyhow::Result<Standing> {
    let s = scope.projects("?1");
    // At an instant, those said before it: still standing, or ended since (as `makeup_at`,
    // each half read from the projects).
    let standing_reuses = match at {
        Some(_) => format!(
            "SELECT COUNT(*), COUNT(DISTINCT c) FROM (
                 SELECT r.council_id AS c FROM reuses r JOIN projects p ON p.id = r.project_id
                 WHERE {s} AND r.created_at < ?2
                 UNION ALL
                 SELECT r.council_id FROM reuses_ended r JOIN projects p ON p.id = r.project_id
                 WHERE {s} AND r.created_at < ?2 AND r.ended_at >= ?2)"
        ),
        None => format!(
            "SELECT COUNT(*), COUNT(DISTINCT r.council_id)
             FROM reuses r JOIN projects p ON p.id = r.project_id WHERE {s}"
        ),
    };
    let (reuses_standing, reusing_councils) = doing("cannot read the re-uses standing", || {
        bound_at(conn, &standing_reuses, scope, at, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
    })?;
    let published = match at {
        Some(_) => "p.published_at < ?2",
        None => "p.published_at IS NOT NULL",
    };
    let in_catalogue = doing("cannot read how many are in the catalogue", || {
        let sql = format!("SELECT COUNT(*) FROM projects p WHERE {s} AND {published}");
        bound_at(conn, &sql, scope, at, |r| r.get(0))
    })?;
    Ok(Standing {
        makeup: makeup_at(conn, scope, at)?,
        in_catalogue,
        reuses_standing,
        reusing_councils,
    })
}

/// Runs one row of `sql`, binding `scope`'s workspace to `?1` and `at`, if any, to `?2`.
fn bound_at<T>(
    conn: &Connection,
    sql: &str,
    scope: ReportScope<'_>,
    at: Option<i64>,
    row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let mut stmt = conn.prepare_cached(sql)?;
    match at {
        Some(at) => stmt.query_row(params![scope.bound(), at], row),
        None => stmt.query_row(params![scope.bound()], row),
    }
}

/// The key of `scope`'s tallies: its workspace's id, or '' for every workspace's.
fn tally_key(scope: ReportScope<'_>) -> &str {
    match scope {
        ReportScope::Workspace(team) => team.as_str(),
        // Every workspace's tally counts those that since removed the app too.
        ReportScope::Every | ReportScope::EveryIncludingRemoved => "",
    }
}

/// A day's tallies worked out (`tallies_due`), to be recorded (`record_tallies`).
#[derive(Debug, Clone)]
pub struct DayTallies {
    /// The local day, as its rows key it.
    day: String,
    /// Each workspace's ('' every one's) where things stood at its end.
    rows: Vec<(String, Standing)>,
}

impl DayTallies {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Where things stood (`standing`) at the end of local `day`, instant `end`, for each
/// workspace with a project (not one that removed the app) and for every workspace together,
/// where not tallied already. Read-only, so worked out on a reader: on a 10,000-project
/// workspace it takes tens of milliseconds, which the writer would hold every other write
/// for. The scheduler asks in the first hour after the day ends (`domain::day_to_tally`),
/// while unpublishing since, which `standing` cannot undo, is unlikely.
pub fn tallies_due(conn: &Connection, (day, end): (NaiveDate, i64)) -> anyhow::Result<DayTallies> {
    let day = day.to_string();
    let untallied: Vec<String> = doing("cannot read which workspaces to tally", || {
        let mut stmt = conn.prepare_cached(
            "SELECT w.team_id FROM (
                 SELECT DISTINCT team_id FROM projects
                 WHERE team_id NOT IN (SELECT team_id FROM removed_workspaces)
                 UNION SELECT '') w
             WHERE NOT EXISTS (SELECT 1 FROM day_tallies d
                               WHERE d.team_id = w.team_id AND d.day = ?1)
             ORDER BY w.team_id",
        )?;
        let rows = stmt.query_map(params![day], |r| r.get(0))?;
        rows.collect()
    })?;
    let mut rows = Vec::with_capacity(untallied.len());
    for team in untallied {
        let parsed;
        let scope = match team.as_str() {
            "" => ReportScope::Every,
            team => {
                parsed = TeamId::parse(team).context("stored workspace id is malformed")?;
                ReportScope::Workspace(&parsed)
            }
        };
        let then = standing(conn, scope, Some(end))?;
        rows.push((team, then));
    }
    Ok(DayTallies { day, rows })
}

/// Records `tallies`, taken at `now`; how many it recorded (one already there, say from a
/// tick before, is left as it is). A workspace's only while it still has a project and has
/// not removed the app: an erase between working them out and recording them stands.
pub fn record_tallies(conn: &Connection, tallies: &DayTallies, now: i64) -> anyhow::Result<usize> {
    let mut recorded = 0;
    for (team, then) in &tallies.rows {
        recorded += doing("cannot record a day's tally", || {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO day_tallies (team_id, day, taken_at, people, councils,
                     in_catalogue, reuses_standing, reusing_councils)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
                 WHERE ?1 = '' OR (EXISTS (SELECT 1 FROM projects WHERE team_id = ?1)
                     AND ?1 NOT IN (SELECT team_id FROM removed_workspaces))",
            )?
            .execute(params![
                team,
                tallies.day,
                now,
                then.makeup.people,
                then.makeup.councils,
                then.in_catalogue,
                then.reuses_standing,
                then.reusing_councils,
            ])
        })?;
    }
    Ok(recorded)
}

/// [`tally_of`] `day`, which ended at `end`, or, its tally still to be taken at `now` (a
/// report asked in the first minutes after midnight), where things stood then worked out as
/// the tally will be: such a report otherwise said the night was not counted.
pub fn tally_or_to_come(
    conn: &Connection,
    scope: ReportScope<'_>,
    (day, end): (NaiveDate, i64),
    now: i64,
) -> anyhow::Result<Option<Standing>> {
    if let Some(tallied) = tally_of(conn, scope, day)? {
        return Ok(Some(tallied));
    }
    match crate::domain::tally_to_come(now, end) {
        true => Ok(Some(standing(conn, scope, Some(end))?)),
        false => Ok(None),
    }
}

/// Where `scope` stood at the end of local `day`, as tallied then; `None` if no tally was
/// taken.
pub fn tally_of(
    conn: &Connection,
    scope: ReportScope<'_>,
    day: NaiveDate,
) -> anyhow::Result<Option<Standing>> {
    use rusqlite::OptionalExtension;
    doing("cannot read a day's tally", || {
        conn.prepare_cached(
            "SELECT people, councils, in_catalogue, reuses_standing, reusing_councils
             FROM day_tallies WHERE team_id = ?1 AND day = ?2",
        )?
        .query_row(params![tally_key(scope), day.to_string()], |r| {
            Ok(Standing {
                makeup: Makeup {
                    people: r.get(0)?,
                    councils: r.get(1)?,
                },
                in_catalogue: r.get(2)?,
                reuses_standing: r.get(3)?,
                reusing_councils: r.get(4)?,
            })
        })
        .optional()
    })
}

/// Whether a report names the projects of private channels it lists, or only counts them:
/// read in Slack, it names them, and each reader is shown those they may see
/// (`handlers::hidden_here`); printed for the operator, it may go further than those
/// channels (a return, a funding bid), and counts them unnamed unless asked otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateTitles {
    Named,
    Counted,
}

/// What happened in `period` in `scope`, and still stands (phases, joins and re-uses: at
/// the period's end); private channels' projects named or counted as `titles` says.
pub fn happened(
    conn: &Connection,
    scope: ReportScope<'_>,
    period: Period,
    titles: PrivateTitles,
) -> anyhow::Result<Happened> {
    let t = scope.bound();
    let s = scope.projects("?1");
    let Period { from, to } = period;
    let count = |sql: String| -> anyhow::Result<u32> {
        doing("cannot read a report's figure", || {
            conn.prepare_cached(&sql)?
                .query_row(params![t, from, to], |r| r.get(0))
        })
    };
    let pitched = count(format!(
        "SELECT COUNT(*) FROM projects p WHERE {s} AND p.created_at >= ?2 AND p.created_at < ?3"
    ))?;
    // A move to a later phase that stood at the period's end: the project was there or
    // further on then (a project moved on and then retired counts; one moved back in the
    // period does not). At the end, not now: a past period's report says the same later.
    let moved_on = count(format!(
        "{RANKED} SELECT COUNT(DISTINCT p.id)
         FROM phase_changes c JOIN projects p ON p.id = c.project_id {MOVED_ON_RANKS}
         WHERE {s} AND {MOVED_ON}"
    ))?;
    // Merged as its latest retirement in the period says, as the digest reads it: bringing
    // a project back ends its merge, so an earlier one there was undone.
    let (retired, retired_merged) = doing("cannot read a report's retired projects", || {
        conn.prepare_cached(&format!(
            "SELECT COUNT(DISTINCT p.id), COUNT(DISTINCT CASE WHEN c.merge = 1
                   AND c.id = (SELECT l.id FROM phase_changes l
                                WHERE l.project_id = p.id AND l.to_phase = 'retired'
                                  AND l.changed_at >= ?2 AND l.changed_at < ?3
                                ORDER BY l.changed_at DESC, l.id DESC LIMIT 1)
                   THEN p.id END)
             FROM phase_changes c JOIN projects p ON p.id = c.project_id
             WHERE {s} AND c.changed_at >= ?2 AND c.changed_at < ?3
               AND c.to_phase = 'retired' AND {at_end} = 'retired'",
            at_end = phase_at!("?3"),
        ))?
        .query_row(params![t, from, to], |r| Ok((r.get(0)?, r.get(1)?)))
    })?;
    let (mut named, mut went_live_unnamed) = (Vec::new(), 0u32);
    for (number, title, private) in went_live(conn, &s, t, None, period)? {
        match private && titles == PrivateTitles::Counted {
            true => went_live_unnamed = went_live_unnamed.saturating_add(1),
            false => named.push((number, title)),
        }
    }
    // As the digest's "Who joined": the pitcher's own first membership is no join. Each join
    // for the council its person worked for when it was recorded (`join_council!`).
    let (joins, join_councils, joiners) = doing("cannot read a report's joins", || {
        conn.prepare_cached(&format!(
            "SELECT COUNT(*), COUNT(DISTINCT {council}), COUNT(DISTINCT m.user_id)
             FROM {MEMBERSHIPS} m CROSS JOIN projects p ON p.id = m.project_id {own}
             WHERE {s} AND {JOIN_COUNTED}",
            council = join_council!(),
            own = own_person!(),
        ))?
        .query_row(params![t, from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
    })?;
    let updates = count(format!(
        "SELECT COUNT(*) FROM updates u JOIN projects p ON p.id = u.project_id
         WHERE {s} AND {UPDATE_COUNTED}"
    ))?;
    let published = count(format!(
        "SELECT COUNT(*) FROM projects p
         WHERE {s} AND p.published_at >= ?2 AND p.published_at < ?3"
    ))?;
    let (reuses, reuse_councils, reused_projects) =
        doing("cannot read a report's re-uses", || {
            conn.prepare_cached(&format!(
                "SELECT COUNT(*), COUNT(DISTINCT r.council_id), COUNT(DISTINCT r.project_id)
             FROM {REUSES} r CROSS JOIN projects p ON p.id = r.project_id
             WHERE {s} AND {REUSE_COUNTED}"
            ))?
            .query_row(params![t, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
        })?;
    Ok(Happened {
        pitched,
        moved_on,
        went_live: named,
        went_live_unnamed,
        retired,
        retired_merged,
        joins,
        join_councils,
        joiners,
        updates,
        published,
        reuses,
        reuse_councils,
        reused_projects,
        new_councils: new_councils(conn, scope, period)?,
    })
}

/// Projects that went live in the period and were live or retired at its end (`WENT_LIVE`),
/// latest first; not one brought back from retired from live, which was live before.
fn went_live(
    conn: &Connection,
    s: &str,
    t: Option<&str>,
    led_by: Option<i64>,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<(ProjectNumber, Title, bool)>> {
    // Chosen here, as in `open_led_at`, so that a council's list reads its own projects.
    let led = match led_by {
        Some(_) => led_by_at!("?4", "c.changed_at"),
        None => "?4 IS NULL",
    };
    let rows = doing("cannot read which projects went live", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.number, p.title,
                    EXISTS (SELECT 1 FROM channels ch
                             WHERE ch.team_id = p.team_id AND ch.channel_id = p.channel_id
                               AND ch.private = 1),
                    MAX(c.changed_at) AS went
             FROM phase_changes c JOIN projects p ON p.id = c.project_id
             WHERE {s} AND {WENT_LIVE} AND {led}
             GROUP BY p.id ORDER BY went DESC, p.number DESC"
        ))?;
        let rows = stmt.query_map(params![t, from, to, led_by], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.into_iter()
        .map(|(n, title, private)| Ok((stored_number(n)?, stored_title(title), private)))
        .collect()
}

/// Councils first said in the period and in use in the scope: new to Makers, as a council
/// is one record for every workspace (`find_or_add_council`), kept with the workspace it
/// was first said in. In a workspace's report, those first said there; in every
/// workspace's, not those only a workspace that removed the app still names.
fn new_councils(
    conn: &Connection,
    scope: ReportScope<'_>,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<String>> {
    let first_said = match scope {
        ReportScope::Workspace(_) => "c.team_id = ?1",
        ReportScope::Every | ReportScope::EveryIncludingRemoved => "?1 IS NULL",
    };
    let s = scope.projects("?1");
    let people = scope.rows_of("pe.team_id", "?1");
    doing("cannot read the councils new in the period", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.name FROM councils c
             WHERE {first_said} AND c.created_at >= ?2 AND c.created_at < ?3
               AND (EXISTS (SELECT 1 FROM people pe WHERE pe.council_id = c.id AND {people})
                 OR EXISTS (SELECT 1 FROM projects p WHERE p.pitcher_council_id = c.id AND {s})
                 OR EXISTS (SELECT 1 FROM lead_councils_ended l JOIN projects p
                             ON p.id = l.project_id WHERE l.council_id = c.id AND {s})
                 OR EXISTS (SELECT 1 FROM reuses r JOIN projects p ON p.id = r.project_id
                             WHERE r.council_id = c.id AND {s})
                 OR EXISTS (SELECT 1 FROM reuses_ended r JOIN projects p ON p.id = r.project_id
                             WHERE r.council_id = c.id AND {s})
                 OR EXISTS (SELECT 1 FROM {MEMBERSHIPS} m JOIN projects p ON p.id = m.project_id
                             WHERE m.council_id = c.id AND {s}))
             ORDER BY c.created_at, c.name"
        ))?;
        let rows = stmt.query_map(params![scope.bound(), from, to], |r| r.get(0))?;
        rows.collect()
    })
}

/// Open projects by phase, in phase order.
fn open_by_phase(conn: &Connection, s: &str, t: Option<&str>) -> anyhow::Result<Vec<(Phase, u32)>> {
    let rows = doing("cannot read the open projects by phase", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.phase, COUNT(*) FROM projects p
             WHERE {s} AND p.phase <> 'retired' GROUP BY p.phase"
        ))?;
        let rows = stmt.query_map(params![t], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<(String, u32)>>>()
    })?;
    in_phase_order(rows)
}

/// Counts by stored phase, in phase order.
fn in_phase_order(rows: Vec<(String, u32)>) -> anyhow::Result<Vec<(Phase, u32)>> {
    let mut open = rows
        .into_iter()
        .map(|(phase, n)| Ok((stored_phase(&phase)?, n)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    open.sort();
    Ok(open)
}

/// People in the teams of workspace `team`'s open projects pitched before `before` (by id:
/// one person in every workspace), and the councils they said; not those of projects
/// `hidden`, which a digest leaves out for its channel: its headline's people are those of
/// the projects it counts (a private channel's team counted in another channel's gave its
/// size away), and it counts those pitched by its period's end (one pitched between then
/// and its making is next week's news; its team was counted here without it).
pub(super) fn makeup_shown(
    conn: &Connection,
    team: &TeamId,
    hidden: &HashSet<ProjectNumber>,
    before: i64,
) -> anyhow::Result<Makeup> {
    let scope = ReportScope::Workspace(team);
    // None hidden, `NOT IN` an empty list leaves every project: one query for both.
    let numbers = serde_json::to_string(&hidden.iter().map(|n| n.get()).collect::<Vec<_>>())?;
    let shown = format!(
        "{} AND p.number NOT IN (SELECT value FROM json_each(?2)) AND p.created_at < ?3",
        scope.projects("?1")
    );
    let (people, councils) = makeup_now(&shown);
    doing("cannot read the teams' make-up", || {
        let count = |sql: &str| {
            conn.prepare_cached(sql)?
                .query_row(params![team.as_str(), numbers, before], |r| r.get(0))
        };
        Ok(Makeup {
            people: count(&people)?,
            councils: count(&councils)?,
        })
    })
}

/// The queries of `makeup_at` now, for the projects `s` picks: people, then councils.
fn makeup_now(s: &str) -> (String, String) {
    (
        format!(
            "SELECT COUNT(DISTINCT m.user_id) FROM members m
             JOIN projects p ON p.id = m.project_id WHERE {s} AND p.phase != 'retired'"
        ),
        // CROSS and LEFT JOINs keep the order: each member's person looked up by its
        // whole key. Left to itself the planner (no ANALYZE) probed every person of the
        // workspace for every open project: once the digest bench's people said their
        // councils, that took 1.9 s.
        format!(
            "SELECT COUNT(DISTINCT {council}) FROM projects p
             CROSS JOIN members m ON m.project_id = p.id {own}
             WHERE {s} AND p.phase != 'retired'",
            council = said_council!(),
            own = own_person!(),
        ),
    )
}

/// `makeup` now, or (`at`) of the projects open at that instant and those in their teams
/// then (joined before it and not left by it: see [`MEMBERSHIPS`]), by the councils they say
/// now: who is in the teams and where they work, not the council a join counts for
/// (`join_council!`), which is what a period's joins are counted by.
fn makeup_at(conn: &Connection, scope: ReportScope<'_>, at: Option<i64>) -> anyhow::Result<Makeup> {
    let s = scope.projects("?1");
    // How many distinct `what` among the members of the projects open at the instant: those
    // still in the team and those who left since, each half read from the projects (each
    // project's phase then worked out once, its members found by its key). Read as one
    // table first, every workspace's tally read every membership there ever was.
    let at_instant = |what: &str, own: &str| {
        let open = concat!(
            "p.created_at < ?2 AND m.joined_at < ?2 AND ",
            phase_at!("?2"),
            " != 'retired'"
        );
        format!(
            "SELECT COUNT(DISTINCT x) FROM (
                 SELECT {what} AS x FROM projects p CROSS JOIN members m ON m.project_id = p.id
                 {own} WHERE {s} AND {open}
                 UNION ALL
                 SELECT {what} FROM projects p CROSS JOIN memberships_ended m
                 ON m.project_id = p.id {own} WHERE {s} AND {open} AND m.left_at >= ?2)"
        )
    };
    let (people, councils) = match at {
        Some(_) => (
            at_instant("m.user_id", ""),
            at_instant(said_council!(), own_person!()),
        ),
        None => makeup_now(&s),
    };
    doing("cannot read the teams' make-up", || {
        Ok(Makeup {
            people: bound_at(conn, &people, scope, at, |r| r.get(0))?,
            councils: bound_at(conn, &councils, scope, at, |r| r.get(0))?,
        })
    })
}

/// Council `name` (as recorded)'s figures that moved in `period` across every workspace, as
/// the digest's give and take counts them (a workspace that removed the app too: its services
/// stay in the catalogue and may still be re-used, and the council's "today" counts them;
/// only the operator's report of every workspace leaves it out); `None` when none did.
pub fn council_moves_of(
    conn: &Connection,
    name: &str,
    period: Period,
) -> anyhow::Result<Option<CouncilMoves>> {
    // By name, which a council's key is made from: two councils never share one.
    let moved = super::reuses::council_moves(conn, period, None)?;
    Ok(moved.by_council.into_iter().find(|m| m.council == name))
}

/// `scope`'s projects open at instant `at` (pitched before it, and not retired then), by
/// their phase then, in phase order: from their phase changes, which are kept.
pub fn open_at(
    conn: &Connection,
    scope: ReportScope<'_>,
    at: i64,
) -> anyhow::Result<Vec<(Phase, u32)>> {
    open_led_at(conn, scope, at, None)
}

/// `open_at`, of the projects council `led_by` led then (`lead_at`), if one is given.
pub fn open_led_at(
    conn: &Connection,
    scope: ReportScope<'_>,
    at: i64,
    led_by: Option<i64>,
) -> anyhow::Result<Vec<(Phase, u32)>> {
    let s = scope.projects("?1");
    // Chosen here, not `?3 IS NULL OR …` in the SQL: that kept SQLite from the index on the
    // lead council, and a council's report read every project of every workspace.
    let led = match led_by {
        Some(_) => led_by_at!("?3", "?2"),
        None => "?3 IS NULL",
    };
    let rows = doing("cannot read the open projects by phase then", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT phase, COUNT(*) FROM (
                SELECT {then} AS phase FROM projects p WHERE {s} AND p.created_at < ?2 AND {led})
             WHERE phase <> 'retired' GROUP BY phase",
            then = phase_at!("?2"),
        ))?;
        let rows = stmt.query_map(params![scope.bound(), at, led_by], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<Vec<(String, u32)>>>()
    })?;
    in_phase_order(rows)
}

/// Every project of `scope` active at some time in `period` (pitched before it ended, and
/// not retired all through it, or something counted happened to it in it: a retired
/// project's team may still post), by workspace and number, with its phase at the period's
/// start and end, whether it counts as moved on, what happened to it in the period and
/// where it stands now: `makers-bot report --projects`; only those council `led_by` leads,
/// if given.
pub fn projects_in(
    conn: &Connection,
    scope: ReportScope<'_>,
    period: Period,
    led_by: Option<i64>,
) -> anyhow::Result<Vec<ProjectInPeriod>> {
    let s = scope.projects("?1");
    let Period { from, to } = period;
    // Chosen here, as in `open_led_at`, so that a council's list reads its own projects; the
    // council that led each at the period's end is `lc`, worked out once for the column.
    let led = match led_by {
        Some(_) => concat!(led_ever_by!("?4"), " AND lc.id = ?4"),
        None => "?4 IS NULL",
    };
    // Each figure counted as the report counts it (`happened`: the same rules), one project
    // at a time.
    let rows = doing("cannot read the projects of the period", || {
        let mut stmt = conn.prepare_cached(&format!(
            "{RANKED} SELECT p.team_id, p.number, p.title, lc.name, p.phase, {at_end}, p.created_at,
                (SELECT MAX(c.changed_at) FROM phase_changes c
                 WHERE c.project_id = p.id AND {WENT_LIVE}),
                (SELECT COUNT(*) FROM {MEMBERSHIPS} m
                 WHERE m.project_id = p.id AND {JOIN_COUNTED}),
                (SELECT COUNT(*) FROM updates u WHERE u.project_id = p.id AND {UPDATE_COUNTED}),
                (SELECT COUNT(*) FROM {REUSES} r
                 WHERE r.project_id = p.id AND {REUSE_COUNTED}),
                (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id),
                (SELECT COUNT(DISTINCT r.council_id) FROM reuses r WHERE r.project_id = p.id),
                p.published_at IS NOT NULL,
                EXISTS (SELECT 1 FROM channels ch WHERE ch.team_id = p.team_id
                          AND ch.channel_id = p.channel_id AND ch.private = 1),
                {at_start},
                EXISTS (SELECT 1 FROM phase_changes c {MOVED_ON_RANKS}
                        WHERE c.project_id = p.id AND {MOVED_ON})
             FROM projects p LEFT JOIN councils lc ON lc.id = {lead_then}
             WHERE {s} AND p.created_at < ?3 AND {led}
               AND (NOT ({at_start} = 'retired'
                         AND NOT EXISTS (SELECT 1 FROM phase_changes c WHERE c.project_id = p.id
                                           AND c.changed_at >= ?2 AND c.changed_at < ?3))
                    -- Retired all through, but its team posted or published it, or someone
                    -- joined or said a re-use: counted in the report, so listed beside it.
                    OR EXISTS (SELECT 1 FROM updates u
                               WHERE u.project_id = p.id AND {UPDATE_COUNTED})
                    OR EXISTS (SELECT 1 FROM {MEMBERSHIPS} m
                               WHERE m.project_id = p.id AND {JOIN_COUNTED})
                    OR EXISTS (SELECT 1 FROM {REUSES} r WHERE r.project_id = p.id
                                 AND {REUSE_COUNTED})
                    OR (p.published_at >= ?2 AND p.published_at < ?3))
             ORDER BY p.team_id, p.number",
            at_end = phase_at!("?3"),
            at_start = phase_at!("?2"),
            lead_then = lead_at!("?3"),
        ))?;
        let rows = stmt.query_map(params![scope.bound(), from, to, led_by], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    (r.get::<_, String>(4)?, r.get::<_, String>(5)?),
                    r.get::<_, i64>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                ),
                (
                    r.get::<_, u32>(8)?,
                    r.get::<_, u32>(9)?,
                    r.get::<_, u32>(10)?,
                    r.get::<_, u32>(11)?,
                    r.get::<_, u32>(12)?,
                    r.get::<_, bool>(13)?,
                    r.get::<_, bool>(14)?,
                ),
                (r.get::<_, String>(15)?, r.get::<_, bool>(16)?),
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.into_iter()
        .map(|(head, figures, (at_start, moved_on))| {
            let (team, number, title, lead_council, (phase, at_end), pitched_at, went_live_at) =
                head;
            let (joins, updates, reuses, team_size, reusing_councils, published, private) = figures;
            Ok(ProjectInPeriod {
                team: TeamId::parse(&team).context("stored workspace id is malformed")?,
                number: stored_number(number)?,
                title: stored_title(title),
                lead_council,
                phase: stored_phase(&phase)?,
                phase_at_start: stored_phase(&at_start)?,
                phase_at_end: stored_phase(&at_end)?,
                moved_on,
                pitched_at,
                went_live_at,
                joins,
                updates,
                reuses,
                team_size,
                reusing_councils,
                published,
                private,
            })
        })
        .collect()
}

/// When the first project of `scope` was pitched: where a report of everything starts.
/// `None` when nothing was.
pub fn first_pitched_at(conn: &Connection, scope: ReportScope<'_>) -> anyhow::Result<Option<i64>> {
    let s = scope.projects("?1");
    doing("cannot read when the first project was pitched", || {
        conn.prepare_cached(&format!(
            "SELECT MIN(p.created_at) FROM projects p WHERE {s}"
        ))?
        .query_row(params![scope.bound()], |r| r.get(0))
    })
}

/// Council `council` (`name`, as recorded)'s part in `period`: its figures that moved across
/// every workspace (`council_moves_of`), this workspace's projects it led when pitched in the
/// period and when they went live in it, the projects it started re-using (this workspace's
/// by number, the others only counted: `team`'s number would not name them), and the
/// councils that started re-using work it led then. Every workspace's, one that removed the
/// app included, as `council_moves_of`.
/// The handler leaves out what its reader may not be shown.
pub fn council_part(
    conn: &Connection,
    team: &TeamId,
    council: i64,
    name: &str,
    period: Period,
) -> anyhow::Result<CouncilInPeriod> {
    let Period { from, to } = period;
    let moves = council_moves_of(conn, name, period)?;
    let workspace = ReportScope::Workspace(team);
    // Read in Slack alone, where each reader is shown those they may see.
    let went_live = went_live(
        conn,
        &workspace.projects("?1"),
        workspace.bound(),
        Some(council),
        period,
    )?
    .into_iter()
    .map(|(number, title, _)| (number, title))
    .collect();
    let pitched = doing("cannot read the council's new projects", || {
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT p.number, p.title FROM projects p
             WHERE p.team_id = ?1 AND ",
            led_by_at!("?2", "p.created_at"),
            " AND p.created_at >= ?3 AND p.created_at < ?4
             ORDER BY p.created_at DESC, p.number DESC"
        ))?;
        let rows = stmt.query_map(params![team.as_str(), council, from, to], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?
    .into_iter()
    .map(|(number, title)| Ok((stored_number(number)?, stored_title(title))))
    .collect::<anyhow::Result<Vec<_>>>()?;
    let reused = doing("cannot read what the council started re-using", || {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.team_id = ?1, p.number, p.title
             FROM {REUSES} r CROSS JOIN projects p ON p.id = r.project_id
             WHERE r.council_id = ?2 AND {said}
             ORDER BY r.created_at DESC, p.number DESC",
            said = reuse_counted!("?3", "?4"),
        ))?;
        let rows = stmt.query_map(params![team.as_str(), council, from, to], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    let mut started_reusing = Vec::new();
    let mut started_reusing_unnamed = 0;
    for (here, number, title) in reused {
        if here {
            started_reusing.push((stored_number(number)?, stored_title(title)));
        } else {
            started_reusing_unnamed += 1;
        }
    }
    let reused_by = doing(
        "cannot read who started re-using the council's work",
        || {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT DISTINCT c.name
               FROM {REUSES} r CROSS JOIN projects p ON p.id = r.project_id
               JOIN councils c ON c.id = r.council_id
             WHERE {led} = ?1 AND r.council_id <> ?1 AND {said}
             ORDER BY c.name",
                said = reuse_counted!("?2", "?3"),
                led = lead_at!("r.created_at"),
            ))?;
            let rows = stmt.query_map(params![council, from, to], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        },
    )?;
    Ok(CouncilInPeriod {
        moves,
        went_live,
        pitched,
        started_reusing,
        started_reusing_unnamed,
        reused_by,
        today: super::council_give_and_take(conn, council)?,
        ..CouncilInPeriod::nothing(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project's lead council at an instant (`lead_at`): a council first set where there
    /// was none read back to the pitch; one handed over kept until the change (a change at
    /// the instant asked about is after it, as for phases); a slip put right within a day
    /// standing in for the slip from when it was set. A report's projects name the lead
    /// council at the period's end, and a council's are those it led then.
    #[test]
    fn a_lead_council_is_read_as_it_stood_at_an_instant() {
        use crate::store::LeadKept;
        const DAY: i64 = 86_400;
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        let done = store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
                         (1, 'T1', 'adur', 'Adur District Council', 1),
                         (2, 'T1', 'brent', 'Brent Council', 1),
                         (3, 'T1', 'camden', 'Camden Council', 1),
                         (4, 'T1', 'dover', 'Dover District Council', 1);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           pitcher_council_id, last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', '', 'alpha', 'U1', 'C1', 1000, 1000, NULL, 1000),
                            (2, 'T1', 2, 'Rota', '', 'alpha', 'U1', 'C1', 1000, 1000, 1, 1000),
                            (3, 'T1', 3, 'Pay', '', 'alpha', 'U1', 'C1', 1000, 1000, 1, 1000);",
                )?;
                Ok([
                    crate::store::set_lead_council(tx, 1, 1, 5_000)?,
                    crate::store::set_lead_council(tx, 2, 2, 1_000 + DAY)?,
                    crate::store::set_lead_council(tx, 2, 3, 1_000 + DAY + 60)?,
                    crate::store::set_lead_council(tx, 2, 4, 1_000 + 3 * DAY)?,
                    // The pitch's council put right twice within its day, then handed over
                    // a day after the pitch: the grace runs from the pitch, not each slip.
                    crate::store::set_lead_council(tx, 3, 2, 2_000)?,
                    crate::store::set_lead_council(tx, 3, 3, 3_000)?,
                    crate::store::set_lead_council(tx, 3, 4, 1_000 + DAY)?,
                ])
            })
            .unwrap();
        assert_eq!(
            done,
            [
                LeadKept::None,
                LeadKept::Kept,
                LeadKept::PutRight { pitched: false },
                LeadKept::Kept,
                LeadKept::PutRight { pitched: true },
                LeadKept::PutRight { pitched: false },
                LeadKept::Kept,
            ]
        );

        let led = |project: i64, at: i64| -> Option<i64> {
            store
                .read(|c| {
                    Ok(c.query_row(
                        concat!(
                            "SELECT ",
                            lead_at!("?2"),
                            " FROM projects p WHERE p.id = ?1"
                        ),
                        params![project, at],
                        |r| r.get(0),
                    )?)
                })
                .unwrap()
        };
        assert_eq!(led(1, 1_000), Some(1));
        assert_eq!(
            [1_000, 1_500, 1_000 + DAY, 1_000 + DAY + 1].map(|at| led(3, at)),
            [Some(3), Some(3), Some(3), Some(4)]
        );
        assert_eq!(
            [
                1_000,
                1_000 + DAY,
                1_000 + DAY + 1,
                1_000 + 3 * DAY,
                1_000 + 3 * DAY + 1
            ]
            .map(|at| led(2, at)),
            [Some(1), Some(1), Some(3), Some(3), Some(4)]
        );
        let listed = |led_by: i64, to: i64| -> Vec<(u32, Option<String>)> {
            store
                .read(|c| projects_in(c, ReportScope::Every, Period { from: 0, to }, Some(led_by)))
                .unwrap()
                .into_iter()
                .map(|p| (p.number.get(), p.lead_council))
                .collect()
        };
        assert_eq!(
            listed(1, 1_000 + DAY),
            [
                (1, Some("Adur District Council".to_string())),
                (2, Some("Adur District Council".to_string()))
            ]
        );
        assert_eq!(
            listed(3, 1_000 + DAY),
            [(3, Some("Camden Council".to_string()))]
        );
        assert_eq!(
            listed(3, 2_000 + DAY),
            [(2, Some("Camden Council".to_string()))]
        );
        assert_eq!(listed(2, 2_000 + DAY), []);
    }

    /// A day's tallies worked out, and the app removed from the workspace before they are
    /// recorded (as before its erase, which the record also checks for: the workspace with
    /// no project left): its tally is not written (every workspace's still is).
    #[test]
    fn a_tally_is_not_recorded_for_a_workspace_erased_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (team_id, number, title, description, phase, pitcher,
                         channel_id, created_at, updated_at, last_activity_at)
                     VALUES ('T1', 1, 'Bin day finder', '', 'beta', 'U8', 'C8', 1, 1, 1);
                     INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U8', 1);",
                )?;
                Ok(())
            })
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let due = store.read(|c| tallies_due(c, (day, 1_000))).unwrap();
        assert_eq!(due.rows.len(), 2);
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO removed_workspaces (team_id, removed_at) VALUES ('T1', 1);",
                )?;
                Ok(())
            })
            .unwrap();
        let recorded = store.write(|tx| record_tallies(tx, &due, 2_000)).unwrap();
        assert_eq!(recorded, 1);
        let kept: Vec<(String, u32)> = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT team_id, people FROM day_tallies")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert_eq!(kept, [(String::new(), 1)]);
        // Recorded again (a tick after), nothing more.
        assert_eq!(
            store.write(|tx| record_tallies(tx, &due, 3_000)).unwrap(),
            0
        );
    }
}
