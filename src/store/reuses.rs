//! Re-use, as councils say it: one entry per project and council (`reuses`).

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use super::people::{council_in_use, join_council, own_person, said_council};

use super::digests::stored_team;
use super::projects::{stored_number, stored_phase, stored_title};
use crate::domain::{
    CouncilMoves, GiveAndTake, MergedService, Period, Phase, ProjectNumber, ReuseView, Slug,
    TeamId, Title, UserId,
};

/// What recording a re-use did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The council did not re-use the project before.
    New,
    /// It did; the note is now the one given.
    NoteUpdated,
    /// It did, and no new note was given: nothing changed.
    AlreadyRecorded,
}

/// A council saying it re-uses a project.
pub struct NewReuse<'a> {
    pub project_id: i64,
    pub council_id: i64,
    pub note: &'a str,
    pub said_by: &'a UserId,
    /// The workspace it was said in (another than the project's, by catalogue address).
    pub said_in: &'a TeamId,
    pub at: i64,
}

/// Records that a council re-uses a project, or updates its note. Whoever gave the note is
/// who said it from then on: a person's data request finds the notes they wrote. Where it
/// was said stays: the sayer may change the note from another workspace they are in, and
/// the re-use stays their colleagues' to change where it was said (and is not erased with
/// the other workspace).
pub fn record_reuse(conn: &Connection, r: &NewReuse<'_>) -> anyhow::Result<Recorded> {
    let known = reuses_project(conn, r.project_id, r.council_id)?;
    doing("cannot record the re-use", || {
        conn.prepare_cached(
            "INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at,
                                 said_in)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
             ON CONFLICT (project_id, council_id)
             DO UPDATE SET note = ?3, said_by = ?4, updated_at = ?5
                 WHERE ?3 != ''",
        )?
        .execute(params![
            r.project_id,
            r.council_id,
            r.note,
            r.said_by.as_str(),
            r.at,
            r.said_in.as_str()
        ])?;
        Ok(match (known, r.note.is_empty()) {
            (false, _) => Recorded::New,
            (true, false) => Recorded::NoteUpdated,
            (true, true) => Recorded::AlreadyRecorded,
        })
    })
}

/// Withdraws a council's re-use of a project at `now`, kept as ended (see [`end_reuse`]);
/// false if it had none.
pub fn withdraw_reuse(
    conn: &Connection,
    project_id: i64,
    council_id: i64,
    now: i64,
) -> anyhow::Result<bool> {
    doing("cannot withdraw the re-use", || {
        Ok(end_reuse(conn, project_id, council_id, now)? > 0)
    })
}

/// Ends council `council_id`'s re-use of project `project_id` at `now` (unix seconds), kept
/// (migration 0053) so that a past period's report still counts it as it stood then, without
/// who said it (not one ended the instant it was said: it stood at no instant a report
/// reads); rows removed from the re-uses.
pub(super) fn end_reuse(
    conn: &Connection,
    project_id: i64,
    council_id: i64,
    now: i64,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO reuses_ended (project_id, council_id, said_in, created_at, ended_at)
         SELECT project_id, council_id, said_in, created_at, ?3 FROM reuses
          WHERE project_id = ?1 AND council_id = ?2 AND created_at < ?3",
    )?
    .execute(params![project_id, council_id, now])?;
    conn.prepare_cached("DELETE FROM reuses WHERE project_id = ?1 AND council_id = ?2")?
        .execute(params![project_id, council_id])
}

/// Who said council `council_id`'s re-use of project `project_id`, and in which workspace,
/// if it re-uses it.
fn reuse_said(
    conn: &Connection,
    project_id: i64,
    council_id: i64,
) -> rusqlite::Result<Option<(String, String)>> {
    conn.prepare_cached(
        // Before 0033 every re-use was said in its project's workspace (as `erase` reads it).
        "SELECT r.said_by, COALESCE(r.said_in, p.team_id)
           FROM reuses r JOIN projects p ON p.id = r.project_id
          WHERE r.project_id = ?1 AND r.council_id = ?2",
    )?
    .query_row(params![project_id, council_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

/// The workspace council `council_id`'s re-use of project `project_id` was said in, if it
/// re-uses it.
pub fn reuse_said_in(
    conn: &Connection,
    project_id: i64,
    council_id: i64,
) -> anyhow::Result<Option<TeamId>> {
    doing("cannot read where the re-use was said", || {
        reuse_said(conn, project_id, council_id)
    })
    .map(|said| said.and_then(|(_, said_in)| TeamId::parse(&said_in)))
}

/// Whether `user`, speaking for council `council_id` in workspace `team`, may change or
/// withdraw that council's re-use of project `project_id`: who said it may, and so may
/// anyone of the council in the workspace it was said in. Councils are as people say them,
/// so someone elsewhere who says they are of the council may add its re-use, not undo one.
/// True when the council does not re-use the project.
pub fn may_change_reuse(
    conn: &Connection,
    project_id: i64,
    council_id: i64,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<bool> {
    let said = doing("cannot read who said the re-use", || {
        reuse_said(conn, project_id, council_id)
    })?;
    Ok(said.is_none_or(|(by, said_in)| by == user.as_str() || said_in == team.as_str()))
}

/// The council (id and name) of the re-use of project `project_id` that `user` said last
/// for a council they no longer say they work for in any workspace that uses the bot: their
/// council before (someone who works for two keeps each one's re-uses for that one; a
/// workspace that removed the bot, which a change of council leaves as it was, says nothing).
pub fn reuse_said_by(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
) -> anyhow::Result<Option<(i64, String)>> {
    doing("cannot read who said the re-use", || {
        conn.prepare_cached(
            "SELECT c.id, c.name FROM reuses r JOIN councils c ON c.id = r.council_id
              WHERE r.project_id = ?1 AND r.said_by = ?2
                AND NOT EXISTS (SELECT 1 FROM people
                                 WHERE user_id = ?2 AND council_id = r.council_id
                                   AND team_id NOT IN (SELECT team_id FROM removed_workspaces))
              ORDER BY r.updated_at DESC LIMIT 1",
        )?
        .query_row(params![project_id, user.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
    })
}

/// The re-uses `user` said in workspace `team`, of its projects, for `council` (theirs there)
/// since they chose it, if that was less than a day before `now`: a slip being put right,
/// whose re-uses stay said (someone at that council may mean them) but are theirs to take
/// back. None for a council chosen longer ago, a change of job; nor of a project
/// `now_council`, the one put right, re-uses already: `unreuse` there would take back its
/// re-use, not the slip's.
pub fn reuses_said_in_slip(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    council: i64,
    now_council: i64,
    now: i64,
) -> anyhow::Result<Vec<(ProjectNumber, Title)>> {
    let rows = doing(
        "cannot read the re-uses said since the council was chosen",
        || {
            conn.prepare_cached(
                "SELECT p.number, p.title FROM people pe
               JOIN reuses r ON r.said_by = pe.user_id AND r.council_id = pe.council_id
                            AND r.said_in = pe.team_id AND r.created_at >= pe.council_changed_at
               JOIN projects p ON p.id = r.project_id AND p.team_id = pe.team_id
              WHERE pe.team_id = ?1 AND pe.user_id = ?2 AND pe.council_id = ?3
                AND pe.council_changed_at > ?4
                AND NOT EXISTS (SELECT 1 FROM reuses now_said
                                 WHERE now_said.project_id = r.project_id
                                   AND now_said.council_id = ?5)
              ORDER BY p.number",
            )?
            .query_map(
                params![
                    team.as_str(),
                    user.as_str(),
                    council,
                    super::members::slip_since(now),
                    now_council
                ],
                |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()
        },
    )?;
    rows.into_iter()
        .map(|(n, title)| Ok((stored_number(n)?, stored_title(title))))
        .collect()
}

/// Whether council `council_id` re-uses project `project_id`.
pub fn reuses_project(conn: &Connection, project_id: i64, council_id: i64) -> anyhow::Result<bool> {
    doing(
        "cannot read whether the council re-uses the project",
        || {
            conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM reuses WHERE project_id = ?1 AND council_id = ?2)",
            )?
            .query_row(params![project_id, council_id], |r| r.get(0))
        },
    )
}

/// How many councils re-use a project.
pub fn reuse_count(conn: &Connection, project_id: i64) -> anyhow::Result<u32> {
    doing("cannot count the project's re-uses", || {
        conn.prepare_cached("SELECT COUNT(*) FROM reuses WHERE project_id = ?1")?
            .query_row(params![project_id], |r| r.get(0))
    })
}

/// The councils that re-use a project, first to say so first.
pub fn reuses_of(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<ReuseView>> {
    doing("cannot read the project's re-uses", || {
        let mut stmt = conn.prepare_cached(
            "SELECT c.name, r.note, r.created_at FROM reuses r JOIN councils c ON c.id = r.council_id
             WHERE r.project_id = ?1 ORDER BY r.created_at, c.name",
        )?;
        let rows = stmt.query_map(params![project_id], |row| {
            Ok(ReuseView {
                council: row.get(0)?,
                note: row.get(1)?,
                since: row.get(2)?,
            })
        })?;
        rows.collect()
    })
}

/// Give and take for every council, across every workspace, most giving first: re-uses of
/// its work by others, then projects led, then people in teams. (One council's alone:
/// [`super::council_give_and_take`].)
pub fn give_and_take(conn: &Connection) -> anyhow::Result<Vec<GiveAndTake>> {
    doing("cannot read give and take per council", || {
        // People are counted by user id alone: Slack's ids are unique across workspaces (an
        // Enterprise Grid member has one W… id everywhere, and is one person).
        // Each figure counted once for all workspaces, grouped by council, then joined
        // to the councils: one pass over the members, not one per council (0.4 s at 10,000
        // projects and 40 councils). CROSS JOIN fixes the order (projects, their members,
        // each member's own row in `people` by its key, then `said_council!`): without
        // statistics SQLite otherwise probed every person for every project (1.5 s).
        let mut stmt = conn.prepare_cached(concat!(
            "WITH led AS (
                 SELECT pitcher_council_id AS id, COUNT(*) AS n FROM projects
                  WHERE pitcher_council_id IS NOT NULL GROUP BY 1),
             people_in AS (
                 SELECT said AS id, COUNT(DISTINCT user_id) AS n FROM (
                     SELECT m.user_id, ",
            said_council!(),
            " AS said FROM projects p CROSS JOIN members m ON m.project_id = p.id ",
            own_person!(),
            " WHERE p.phase != 'retired')
                  WHERE said IS NOT NULL GROUP BY 1),
             taken AS (
                 SELECT council_id AS id, COUNT(*) AS n FROM reuses GROUP BY 1),
             given AS (
                 SELECT p.pitcher_council_id AS id, COUNT(*) AS n
                   FROM reuses r JOIN projects p ON p.id = r.project_id
                  WHERE r.council_id != p.pitcher_council_id GROUP BY 1)
             SELECT c.name, COALESCE(led.n, 0), COALESCE(people_in.n, 0),
                    COALESCE(taken.n, 0), COALESCE(given.n, 0) AS given_n
               FROM councils c
               LEFT JOIN led ON led.id = c.id
               LEFT JOIN people_in ON people_in.id = c.id
               LEFT JOIN taken ON taken.id = c.id
               LEFT JOIN given ON given.id = c.id
              WHERE ",
            council_in_use!(),
            " ORDER BY given_n DESC, 2 DESC, 3 DESC, c.name"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(GiveAndTake {
                council: r.get(0)?,
                led: r.get(1)?,
                people: r.get(2)?,
                reuses: r.get(3)?,
                reused_by_others: r.get(4)?,
            })
        })?;
        rows.collect()
    })
}

/// What moved for each council in `[from, to)`, across every workspace (the digest's give and
/// take spans them all, as `/makers councils` does), or in a report's `scope`: only councils
/// something moved for, by name. The same four figures as [`give_and_take`], counted as events
/// in the period: projects it led when pitched in the period (`lead_at`: the council recorded
/// with the pitch, or first set since, or put right within a day), its people's joins that stood at the period's end (the membership
/// a pitch made aside, as in the digest's "Who joined"; the report's `JOIN_COUNTED`), re-uses it
/// recorded and re-uses by other councils of projects it led when they were said, that stood
/// at its end (the report's `REUSE_COUNTED`); and how many people the joins were by.
pub(super) fn council_moves(
    conn: &Connection,
    Period { from, to }: Period,
    scope: Option<super::report::ReportScope<'_>>,
) -> anyhow::Result<CouncilsMoved> {
    // Without a scope (the digest's), every project; with one, `?3` binds its workspace.
    let counted = scope.map_or(String::new(), |s| format!(" AND {}", s.projects("?3")));
    doing("cannot read what moved per council", || {
        // The period's events, one row each, then one row per council. CROSS JOIN keeps the
        // planner reading joins and re-uses from the period, not probing them for every project
        // of the workspace, and the period's re-uses are read once for both their counts: on
        // the digest bench's data (bundled SQLite 3.54), 1.2 ms against 5.4 ms (measured before
        // each council's people were counted too, which moved the report's time within the
        // bench's noise).
        let mut stmt = conn.prepare_cached(&format!(
            "WITH period_reuses AS MATERIALIZED (
                SELECT r.council_id, {lead_said} AS lead
                FROM {reuses} r CROSS JOIN projects p ON p.id = r.project_id
                WHERE {said}{counted}
             )
             SELECT c.name, SUM(e.kind = 0), SUM(e.kind = 1), SUM(e.kind = 2), SUM(e.kind = 3),
                    COUNT(DISTINCT e.joiner)
             FROM (
                SELECT {lead_pitched} AS council_id, 0 AS kind, NULL AS joiner
                  FROM projects p
                 WHERE p.created_at >= ?1 AND p.created_at < ?2{counted}
                UNION ALL
                SELECT {council}, 1, m.user_id
                  FROM {memberships} m CROSS JOIN projects p ON p.id = m.project_id {own}
                 WHERE {joined}{counted}
                UNION ALL
                SELECT council_id, 2, NULL FROM period_reuses
                UNION ALL
                SELECT lead, 3, NULL FROM period_reuses WHERE council_id != lead
             ) e LEFT JOIN councils c ON c.id = e.council_id
             GROUP BY c.id ORDER BY c.name",
            council = join_council!(),
            own = own_person!(),
            memberships = super::report::MEMBERSHIPS,
            reuses = super::report::REUSES,
            joined = super::report::join_counted!("?1", "?2"),
            said = super::report::reuse_counted!("?1", "?2"),
            lead_said = super::report::lead_at!("r.created_at"),
            lead_pitched = super::report::lead_at!("p.created_at"),
        ))?;
        // Each council's row, and one with no name for the events no council is counted for.
        let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(Option<String>, [u32; 5])> {
            Ok((
                r.get(0)?,
                [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
            ))
        };
        let rows = match scope {
            None => stmt
                .query_map(params![from, to], row)?
                .collect::<Result<Vec<_>, _>>(),
            Some(s) => stmt
                .query_map(params![from, to, s.bound()], row)?
                .collect::<Result<Vec<_>, _>>(),
        }?;
        let mut moved = CouncilsMoved::default();
        for (council, [pitched, joined, reuses, reused_by_others, joiners]) in rows {
            match council {
                Some(council) => moved.by_council.push(CouncilMoves {
                    council,
                    pitched,
                    joined,
                    joiners,
                    reuses,
                    reused_by_others,
                }),
                None => moved.no_council_joiners = joiners,
            }
        }
        Ok(moved)
    })
}

/// What moved per council in a period ([`council_moves`]).
#[derive(Debug, Default)]
pub(super) struct CouncilsMoved {
    /// Each council something moved for, by name.
    pub by_council: Vec<CouncilMoves>,
    /// How many people joined with a join counted for no council (they have said none).
    pub no_council_joiners: u32,
}

/// Someone who said a council re-uses a project, to be told what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuser {
    pub council_id: i64,
    pub council: String,
    pub user: UserId,
    /// The workspace they said it in (another than the project's, by catalogue address).
    pub said_in: TeamId,
}

/// Who to tell, for each council that re-uses project `project_id`, when its team retires,
/// merges or brings it back: whoever said the re-use, while they still say they work for
/// that council where they said it (said there, or in another workspace and so there too),
/// and are not in its team or its lead (the thread tells them; by id, which is one person's
/// in every workspace). Nobody for a re-use said by someone forgotten since, or by someone
/// who moved council (their old council's re-use is no longer their word).
pub fn reusers_to_tell(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<Reuser>> {
    let rows = doing("cannot read who said the project's re-uses", || {
        // Their council where they said it: said there, or else where they said one last
        // (as `council_of` reads it: a council said in one workspace holds in the others).
        let mut stmt = conn.prepare_cached(concat!(
            // Before 0033 every re-use was said in its project's workspace.
            "SELECT c.id, c.name, r.said_by, COALESCE(r.said_in, p.team_id) AS said_in
               FROM reuses r JOIN councils c ON c.id = r.council_id
               JOIN projects p ON p.id = r.project_id
              WHERE r.project_id = ?1
                AND COALESCE((SELECT own.council_id FROM people own
                               WHERE own.team_id = COALESCE(r.said_in, p.team_id)
                                 AND own.user_id = r.said_by), ",
            super::people::said_elsewhere!("r.said_by"),
            ") = r.council_id
                AND NOT EXISTS (SELECT 1 FROM people gone
                                 WHERE gone.user_id = r.said_by AND gone.left_slack_at IS NOT NULL)
                AND r.said_by <> p.pitcher
                AND NOT EXISTS (SELECT 1 FROM members m
                                 WHERE m.project_id = p.id AND m.user_id = r.said_by)
              ORDER BY r.created_at, c.name",
        ))?;
        let rows = stmt.query_map([project_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.into_iter()
        .map(|(council_id, council, user, said_in)| {
            Ok(Reuser {
                council_id,
                council,
                user: UserId::parse(&user)
                    .ok_or_else(|| anyhow::anyhow!("stored re-user id {user:?} is malformed"))?,
                said_in: TeamId::parse(&said_in)
                    .ok_or_else(|| anyhow::anyhow!("stored workspace {said_in:?} is malformed"))?,
            })
        })
        .collect()
}

/// A project a council re-uses, as its people's Home shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilReuse {
    /// The project's workspace.
    pub team: TeamId,
    pub number: ProjectNumber,
    pub title: Title,
    pub phase: Phase,
    /// Its catalogue address, while it is published.
    pub published: Option<Slug>,
    /// The project of its workspace it was merged into, while that is open.
    pub carries_on_in: Option<ProjectNumber>,
    /// That project as the catalogue names it, while it is published too.
    pub carries_on_as: Option<MergedService>,
}

/// Every project council `council_id` re-uses, in any workspace, the latest said first (the
/// newest project first among those said at once). (A council re-uses tens of projects:
/// read whole, and left out by the caller as each reader may be shown them.)
pub fn council_reuses(conn: &Connection, council_id: i64) -> anyhow::Result<Vec<CouncilReuse>> {
    let rows = doing("cannot read what the council re-uses", || {
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT p.team_id, p.number, p.title, p.phase,
                    CASE WHEN p.published_at IS NOT NULL THEN p.slug END, ",
            carries_on_in!(),
            ", li.slug, li.title
               FROM reuses r JOIN projects p ON p.id = r.project_id",
            listed_into_join!(),
            "WHERE r.council_id = ?1
              ORDER BY r.created_at DESC, p.id DESC"
        ))?;
        let rows = stmt.query_map([council_id], |r| {
            Ok((
                stored_team(r.get(0)?)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<u32>>(5)?,
                super::catalogue::listed_into(r, 6)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.into_iter()
        .map(|(team, number, title, phase, slug, into, listed)| {
            Ok(CouncilReuse {
                team,
                number: stored_number(number)?,
                title: stored_title(title),
                phase: stored_phase(&phase)?,
                published: slug.map(Slug::from_stored),
                carries_on_in: into.map(stored_number).transpose()?,
                carries_on_as: listed,
            })
        })
        .collect()
}
