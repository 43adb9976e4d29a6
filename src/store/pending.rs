//! Pending joins: reactions by people not yet known to be people (see migration 0011).

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use super::members::{Change, end_member, in_order};
use crate::domain::{ProjectNumber, TeamId, UserId};

/// Records that `user` reacted to join `project_id` at `at_us`, unless a later change to
/// their membership is recorded; Slack is to be asked about them from `now`.
pub fn pend_join(
    conn: &Connection,
    project_id: i64,
    team: &TeamId,
    user: &UserId,
    at_us: i64,
    now: i64,
) -> anyhow::Result<Change> {
    doing("cannot record the pending join", || {
        in_order(conn, project_id, user, at_us, || {
            conn.prepare_cached(
                "INSERT INTO pending_joins (project_id, team_id, user_id, at_us, check_after)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (project_id, user_id) DO UPDATE SET at_us = ?4",
            )?
            .execute(params![
                project_id,
                team.as_str(),
                user.as_str(),
                at_us,
                now
            ])
        })
    })
}

/// Takes back a join as of `at_us` (a reaction removed, a leave), pending or made, unless a
/// later change is recorded. A membership made is kept as ended (see `end_member`).
pub fn withdraw_join(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    at_us: i64,
) -> anyhow::Result<Change> {
    doing("cannot withdraw the join", || {
        in_order(conn, project_id, user, at_us, || {
            let pending = conn
                .prepare_cached("DELETE FROM pending_joins WHERE project_id = ?1 AND user_id = ?2")?
                .execute(params![project_id, user.as_str()])?;
            Ok(pending + end_member(conn, project_id, user, at_us.div_euclid(1_000_000))?)
        })
    })
}

/// The next person with a pending join whom Slack is due to be asked about.
pub fn next_unknown_reactor(
    conn: &Connection,
    now: i64,
) -> anyhow::Result<Option<(TeamId, UserId)>> {
    doing("cannot read the pending joins", || {
        let row: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT team_id, user_id FROM pending_joins WHERE check_after <= ?1
                 ORDER BY check_after LIMIT 1",
            )?
            .query_row([now], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(t, u)| Some((TeamId::parse(&t)?, UserId::parse(&u)?))))
    })
}

/// When the next person with a pending join is due to be asked about (clock seconds), if
/// anyone is waiting.
pub fn next_reactor_at(conn: &Connection) -> anyhow::Result<Option<i64>> {
    doing("cannot read the pending joins", || {
        conn.prepare_cached("SELECT MIN(check_after) FROM pending_joins")?
            .query_row([], |r| r.get(0))
    })
}

/// Takes every pending join of one person: (project number, reaction time in microseconds).
pub fn take_pending_joins(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Vec<(ProjectNumber, i64)>> {
    doing("cannot take the pending joins", || {
        let mut stmt = conn.prepare_cached(
            "SELECT p.number, j.at_us FROM pending_joins j JOIN projects p ON p.id = j.project_id
             WHERE j.team_id = ?1 AND j.user_id = ?2 ORDER BY j.at_us",
        )?;
        let rows = stmt.query_map(params![team.as_str(), user.as_str()], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut taken = Vec::new();
        for row in rows {
            let (number, at_us) = row?;
            // Numbers start at 1 (a 0 could not have been stored).
            if let Some(number) = ProjectNumber::new(number) {
                taken.push((number, at_us));
            }
        }
        conn.prepare_cached("DELETE FROM pending_joins WHERE team_id = ?1 AND user_id = ?2")?
            .execute(params![team.as_str(), user.as_str()])?;
        Ok(taken)
    })
}

/// Drops the joins by reaction in `team` still waiting for Slack to say who reacted (the
/// workspace removed the app: nobody there can be asked).
pub fn drop_pending_joins(conn: &Connection, team: &TeamId) -> anyhow::Result<usize> {
    doing("cannot drop the pending joins", || {
        conn.prepare_cached("DELETE FROM pending_joins WHERE team_id = ?1")?
            .execute([team.as_str()])
    })
}

/// Forgets the reactions made before `before_us` (microseconds) that Slack never said were a
/// person's: asked about every 30 s for a week, it will not answer now.
pub fn prune_pending_joins(conn: &Connection, before_us: i64) -> anyhow::Result<usize> {
    doing("cannot prune the pending joins", || {
        conn.prepare_cached("DELETE FROM pending_joins WHERE at_us < ?1")?
            .execute([before_us])
    })
}

/// Asks about `user` again no sooner than `at` (Slack did not answer).
pub fn ask_again_at(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    at: i64,
) -> anyhow::Result<()> {
    doing("cannot reschedule the pending joins", || {
        conn.prepare_cached(
            "UPDATE pending_joins SET check_after = ?3 WHERE team_id = ?1 AND user_id = ?2",
        )?
        .execute(params![team.as_str(), user.as_str(), at])?;
        Ok(())
    })
}
