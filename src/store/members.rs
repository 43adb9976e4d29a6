//! Team membership. Every change carries the instant it happened (microseconds); a change
//! older than the last one applied for that person and project is ignored, so a reaction
//! Slack delivers late cannot undo a newer leave.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;

use crate::domain::{ProjectNumber, TeamId, UserId};

/// What a membership change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Done,
    /// Already so (already a member; already not one).
    Unchanged,
    /// Older than the last change applied: ignored.
    Stale,
}

/// Makes `user` a member of `project_id` as of `at_us` (the order of their joins and
/// leaves), listed as joined at `now` (Unix seconds): when it is recorded, so that a join
/// recorded after a digest went out (a reaction settled once Slack said they are a person,
/// an event Slack sent again late) is in the next digest, not in none.
pub fn add_member(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    at_us: i64,
    now: i64,
) -> anyhow::Result<Change> {
    doing("cannot add the team member", || {
        in_order(conn, project_id, user, at_us, || {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO members (project_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![project_id, user.as_str(), now])
        })
    })
}

/// Runs `change` (returning rows affected) unless a later change is already recorded.
pub(super) fn in_order(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    at_us: i64,
    change: impl FnOnce() -> rusqlite::Result<usize>,
) -> rusqlite::Result<Change> {
    if !advance_clock(conn, project_id, user, at_us)? {
        return Ok(Change::Stale);
    }
    // A withdrawal may remove two rows (a member who also has a reaction waiting on Slack).
    Ok(match change()? {
        0 => Change::Unchanged,
        _ => Change::Done,
    })
}

/// The instant to order a change `user` asks for now (a command typed, a button pressed) at:
/// `at_us`, or just after the last change recorded for them in `project_id`'s team if that
/// is later. What someone asks for now follows whatever they did before, though the clock
/// was set back or Slack's (which times reactions) runs ahead of this machine's: ordered at
/// `at_us` alone, a `leave` was ignored as older than their join and answered "You're not
/// in the team". Only Slack's deliveries, which can come late, are ordered by their time.
pub fn asked_now(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    at_us: i64,
) -> anyhow::Result<i64> {
    doing("cannot read when the team last changed", || {
        let last: Option<i64> = conn
            .prepare_cached(
                "SELECT changed_us FROM membership_changes WHERE project_id = ?1 AND user_id = ?2",
            )?
            .query_row(params![project_id, user.as_str()], |r| r.get(0))
            .optional()?;
        Ok(last.map_or(at_us, |last| at_us.max(last.saturating_add(1))))
    })
}

/// Undoes a join found afterwards to be a bot's, whatever the clock says; rows removed. Not
/// kept as ended (see [`end_member`]): it was never a person's membership.
pub fn drop_member(conn: &Connection, project_id: i64, user: &UserId) -> anyhow::Result<usize> {
    doing("cannot drop the team member", || {
        // Nor a join of theirs taken back before Slack said it was a bot's.
        conn.prepare_cached(
            "DELETE FROM memberships_ended WHERE project_id = ?1 AND user_id = ?2",
        )?
        .execute(params![project_id, user.as_str()])?;
        delete_member(conn, project_id, user)
    })
}

fn delete_member(conn: &Connection, project_id: i64, user: &UserId) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM members WHERE project_id = ?1 AND user_id = ?2")?
        .execute(params![project_id, user.as_str()])
}

/// Ends `user`'s membership of `project_id` as of `left_at` (unix seconds), kept as the
/// team's history (migration 0052) so that a past period's report still counts it as it
/// stood then; rows removed from the team. Not kept if it ended by the time it was recorded
/// (a reaction's time can precede the join Slack's answer about the person settled
/// afterwards): it stood at no instant a report reads.
pub(super) fn end_member(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    left_at: i64,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at, council_id)
         SELECT project_id, user_id, joined_at, ?3, council_id FROM members
          WHERE project_id = ?1 AND user_id = ?2 AND joined_at < ?3",
    )?
    .execute(params![project_id, user.as_str(), left_at])?;
    delete_member(conn, project_id, user)
}

/// How soon after a person's council changed a change again puts a slip right rather than
/// changing jobs: the joins made meanwhile then count for the council put right. So too for
/// a project's lead council (`projects::set_lead_council`).
const PUT_RIGHT_WITHIN_SECS: i64 = 86_400;

/// A council (a person's, or a project's lead) changed after this, before `now`, is a slip
/// being put right by a change now ([`PUT_RIGHT_WITHIN_SECS`]). The slip's change time then
/// stays as it was, so that the day's grace runs from the last change kept, and a run of
/// quick changes reaches back a day at most.
pub(super) fn slip_since(now: i64) -> i64 {
    now.saturating_sub(PUT_RIGHT_WITHIN_SECS)
}

/// What a saying did to its person's joins so far ([`keep_join_councils`]), in teams: how
/// many keep the council they counted for, and how many were left to the council put right
/// because the one they counted for was a slip (changed less than a day before).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JoinsKept {
    pub kept: usize,
    pub put_right: usize,
}

/// SQL: the people who said a council in workspace `?1` (an erase keeps their joins' councils
/// first, and its dry run counts what that keeps).
macro_rules! said_a_council_in {
    () => {
        "(SELECT user_id FROM people WHERE team_id = ?1 AND council_id IS NOT NULL)"
    };
}
pub(super) use said_a_council_in;

/// Keeps with each of `user`'s memberships, standing and ended, in every workspace, the
/// council it counts for now (as `said_council!` reads it from the project's workspace)
/// where none is kept yet, if this saying would change it: called just before they say a
/// council in `team` (and, for a change of job, in the other workspaces where they had said
/// council `moved_from`), so that their joins so far stay with the council they worked for
/// then (migration 0054). Not kept:
/// - one read from their own row in a workspace this saying leaves alone: it still counts
///   as it did, and a later saying there decides;
/// - one they joined before saying any council: it counts for the first they say;
/// - one read from a row this saying changes whose council changed less than
///   [`PUT_RIGHT_WITHIN_SECS`] before `now`: a slip being put right ("Guildford" for
///   Waverley), whose joins since were Waverley's all along.
///
/// Returns, of the teams they joined that counted for council `was` (theirs in `team`
/// before), how many keep it and how many were a slip's.
pub(super) fn keep_join_councils(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    moved_from: Option<i64>,
    was: Option<i64>,
    now: i64,
) -> rusqlite::Result<JoinsKept> {
    let changed_by = slip_since(now);
    // The rows this saying changes: theirs in `team`, and, for a change of job, those
    // elsewhere that said `moved_from` (`?4`, NULL for none, which matches no council).
    let own_untouched = "own.team_id != ?3 AND own.council_id IS NOT ?4";
    let changing = concat!(
        "(",
        super::people::said_council_row!("team_id"),
        " = ?3 OR ",
        super::people::said_council!(),
        " = ?4)"
    );
    // What becomes of each membership, read from the row its council comes from (`own`, or
    // the one said last elsewhere): 0, untouched; 1, a slip being put right; 2, kept.
    let fate = format!(
        "CASE WHEN own.council_id IS NOT NULL AND {own_untouched} THEN 0
              WHEN {changing} AND COALESCE({changed_at}, 0) > ?2 THEN 1
              ELSE 2 END",
        changed_at = super::people::said_council_row!("council_changed_at"),
    );
    // Counted before any is kept, by team (a team joined, left and joined again is one), as
    // reports count joins: not the membership a pitch made.
    let (put_right, kept): (i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT COUNT(DISTINCT CASE WHEN fate = 1 THEN project_id END),
                    COUNT(DISTINCT CASE WHEN fate = 2 THEN project_id END)
             FROM (SELECT {fate} AS fate, m.project_id
                   FROM {memberships} m JOIN projects p ON p.id = m.project_id {own}
                   WHERE m.council_id IS NULL AND m.user_id = ?1 AND {council} = ?5
                     AND {not_pitchs_own})",
            memberships = super::report::MEMBERSHIPS,
            council = super::people::said_council!(),
            own = super::people::own_person!(),
            not_pitchs_own = super::report::not_pitchs_own!(),
        ))?
        .query_row(
            params![user.as_str(), changed_by, team.as_str(), moved_from, was],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
    keep_join_councils_where(
        conn,
        "m.user_id = ?1",
        &format!("{fate} = 2"),
        params![user.as_str(), changed_by, team.as_str(), moved_from],
    )?;
    let n = |count: i64| usize::try_from(count).unwrap_or(0);
    Ok(JoinsKept {
        kept: n(kept),
        put_right: n(put_right),
    })
}

/// [`keep_join_councils`] for everyone who said a council in workspace `team` (`?1`),
/// before it is erased, however recently, for their joins in other workspaces' teams: those
/// would otherwise count, in past periods too, for the council they said elsewhere or none.
/// Not one read from their own row in another workspace, which the erase leaves alone.
pub(super) fn keep_join_councils_said_in(conn: &Connection, team: &TeamId) -> rusqlite::Result<()> {
    keep_join_councils_where(
        conn,
        concat!(
            "m.user_id IN ",
            said_a_council_in!(),
            " AND m.project_id NOT IN (SELECT id FROM projects WHERE team_id = ?1)"
        ),
        "NOT (own.council_id IS NOT NULL AND own.team_id != ?1)",
        params![team.as_str()],
    )
}

/// Keeps the council of the memberships `whose` picks (SQL on membership `m`) where `kept`
/// holds (SQL on `m`, its project `p` and its person's row there, `own`), in both membership
/// tables; `bound` binds both.
fn keep_join_councils_where(
    conn: &Connection,
    whose: &str,
    kept: &str,
    bound: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<()> {
    let (council, own) = (super::people::said_council!(), super::people::own_person!());
    for table in ["members", "memberships_ended"] {
        conn.prepare_cached(&format!(
            "UPDATE {table} AS m SET council_id = (
                 SELECT CASE WHEN {kept} THEN {council} END
                 FROM projects p {own} WHERE p.id = m.project_id)
              WHERE m.council_id IS NULL AND {whose}"
        ))?
        .execute(bound)?;
    }
    Ok(())
}

/// Forgets when each person's membership of each team last changed, for changes before
/// `before` (unix seconds) of people no longer in it. The row puts Slack's deliveries in
/// order (a late reaction must not undo a newer leave), and nothing is delivered that late;
/// kept once they left, it would name someone who left, or who asked to be forgotten and
/// then took their reaction away. A member's is kept: it says whether the thread says they
/// joined, so that a *Leave* pressed by mistake and a join again is not announced twice
/// however long ago they joined.
pub fn prune_membership_changes(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune old membership changes", || {
        conn.prepare_cached(
            "DELETE FROM membership_changes
              WHERE changed_us < ?1
                AND NOT EXISTS (SELECT 1 FROM members m
                                 WHERE m.project_id = membership_changes.project_id
                                   AND m.user_id = membership_changes.user_id)",
        )?
        .execute(params![before.saturating_mul(1_000_000)])
    })
}

/// What the pitch's thread says of a person's join, as far as the bot knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinLine {
    /// Nothing standing: never posted, taken back unposted by someone else (a lead's
    /// `remove`), or said otherwise since (a lead's leaving, a deactivation).
    Unsaid,
    /// Posted, with nothing after it saying otherwise (a member's own leave is quiet).
    Stands,
    /// Taken back unposted by the member's own quiet leave; should it have been at Slack
    /// already, it goes out all the same, and then stands.
    TakenBackQuietly,
    /// Posted so, after its member had left: it stands, but the lead, told of a join once
    /// its line is posted, was not told of one by someone no longer in the team. Told when
    /// they join again.
    StandsLeadUntold,
}

/// Notes what the pitch's thread says of `user`'s join to project `project_id` (see
/// [`JoinLine`]). A member's own leave that takes nothing back leaves it as it was. Kept
/// with the membership's clock (see [`prune_membership_changes`]), whose row the join or
/// leave before it wrote (none left: nothing noted).
pub fn set_join_line(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    line: JoinLine,
) -> anyhow::Result<()> {
    let (stands, quietly) = match line {
        JoinLine::Unsaid => (false, false),
        JoinLine::Stands => (true, false),
        JoinLine::TakenBackQuietly => (false, true),
        JoinLine::StandsLeadUntold => (true, true),
    };
    doing("cannot note the join's line", || {
        conn.prepare_cached(
            "UPDATE membership_changes
                SET join_line_stands = ?3, join_line_taken_back_quietly = ?4
              WHERE project_id = ?1 AND user_id = ?2",
        )?
        .execute(params![project_id, user.as_str(), stands, quietly])?;
        Ok(())
    })
}

/// What the thread says of `user`'s join to project `project_id` (see [`JoinLine`]), as far
/// as the membership changes kept go.
pub fn join_line(conn: &Connection, project_id: i64, user: &UserId) -> anyhow::Result<JoinLine> {
    doing("cannot read the join's line", || {
        let noted: Option<(bool, bool)> = conn
            .prepare_cached(
                "SELECT join_line_stands, join_line_taken_back_quietly FROM membership_changes
                  WHERE project_id = ?1 AND user_id = ?2",
            )?
            .query_row(params![project_id, user.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok(match noted {
            Some((true, false)) => JoinLine::Stands,
            Some((true, true)) => JoinLine::StandsLeadUntold,
            Some((false, true)) => JoinLine::TakenBackQuietly,
            Some((false, false)) | None => JoinLine::Unsaid,
        })
    })
}

/// Records `at_us` as the latest change unless a later one is already recorded.
fn advance_clock(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
    at_us: i64,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO membership_changes (project_id, user_id, changed_us) VALUES (?1, ?2, ?3)
         ON CONFLICT (project_id, user_id) DO UPDATE SET changed_us = ?3
         WHERE membership_changes.changed_us <= ?3",
        )?
        .execute(params![project_id, user.as_str(), at_us])?;
    Ok(n == 1)
}

/// Whether `user` has any history in project `project_id`'s team that is kept: a membership
/// ended, a change of membership recorded (a join, a leave, a removal, a join by reaction
/// settled or dropped; kept a while after they left), or a join waiting on Slack.
pub fn has_membership_history(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
) -> anyhow::Result<bool> {
    doing("cannot read the team's history", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM memberships_ended WHERE project_id = ?1 AND user_id = ?2)
                 OR EXISTS (SELECT 1 FROM membership_changes
                             WHERE project_id = ?1 AND user_id = ?2)
                 OR EXISTS (SELECT 1 FROM pending_joins WHERE project_id = ?1 AND user_id = ?2)",
        )?
        .query_row(params![project_id, user.as_str()], |r| r.get(0))
    })
}

/// Whether `user`, not in project `project_id`'s team, left it while it was retired: their
/// membership ended after its latest retirement, as the team's history keeps it. (In the
/// second of the retirement: taken as before it.) Not their last change of membership: a
/// `leave` or `remove` that found them out of the team already moves it too, and the
/// thread, told of a lead who left while it was open, was told again. A membership the
/// history does not keep (one ended by the second it was recorded) began before the
/// retirement, as nobody joins a retired project, so it ended by then too.
pub fn left_while_retired(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
) -> anyhow::Result<bool> {
    doing("cannot read when they left the team", || {
        conn.prepare_cached(
            "WITH retired (at) AS (SELECT MAX(changed_at) FROM phase_changes
                                    WHERE project_id = ?1 AND to_phase = 'retired')
             SELECT EXISTS (SELECT 1 FROM memberships_ended e, retired
                             WHERE e.project_id = ?1 AND e.user_id = ?2 AND e.left_at > retired.at)",
        )?
        .query_row(params![project_id, user.as_str()], |r| r.get(0))
    })
}

/// Before `user` is forgotten (at `now`, unix seconds): each retired project they lead whose
/// thread would be told, brought back, that its lead has left (they are in its team, or
/// left it while it was retired: see [`left_while_retired`]) keeps that as a membership of
/// the forgotten id ended after the retirement, which [`left_while_retired`] finds for a
/// forgotten lead; the forget deletes their own rows. It names nobody, and begins as it ends,
/// so it stands at no instant a report reads. A lead forgotten while the project was open
/// leaves none: its thread was told then (`handlers::team::tell_forgotten_lead_left`).
pub(super) fn keep_lead_gone_while_retired(
    conn: &Connection,
    user: &UserId,
    now: i64,
) -> anyhow::Result<usize> {
    doing(
        "cannot keep that a retired project's lead was forgotten",
        || {
            // After the retirement even in its second, which `left_while_retired` takes as
            // before it: the project was retired when they were forgotten.
            conn.prepare_cached(
                "WITH led (id, retired_at) AS (
                 SELECT p.id, (SELECT MAX(c.changed_at) FROM phase_changes c
                                WHERE c.project_id = p.id AND c.to_phase = 'retired')
                   FROM projects p WHERE p.pitcher = ?1 AND p.phase = 'retired')
             INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at)
             SELECT id, ?2, MAX(?3, COALESCE(retired_at + 1, ?3)),
                    MAX(?3, COALESCE(retired_at + 1, ?3))
               FROM led
              WHERE EXISTS (SELECT 1 FROM members m WHERE m.project_id = led.id AND m.user_id = ?1)
                 OR EXISTS (SELECT 1 FROM memberships_ended e
                             WHERE e.project_id = led.id AND e.user_id = ?1
                               AND e.left_at > led.retired_at)",
            )?
            .execute(params![user.as_str(), UserId::FORGOTTEN, now])
        },
    )
}

/// Whether `user` is in project `project_id`'s team.
pub fn is_member(conn: &Connection, project_id: i64, user: &UserId) -> anyhow::Result<bool> {
    doing("cannot read the team", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM members WHERE project_id = ?1 AND user_id = ?2)",
        )?
        .query_row(params![project_id, user.as_str()], |r| r.get(0))
    })
}

/// Whether `user` is in project `project_id`'s team since its pitch made them a member (their
/// membership's time is the project's own), rather than by a join since.
pub fn member_since_pitch(
    conn: &Connection,
    project_id: i64,
    user: &UserId,
) -> anyhow::Result<bool> {
    doing("cannot read the team", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM members m JOIN projects p ON p.id = m.project_id
                             WHERE m.project_id = ?1 AND m.user_id = ?2
                               AND m.joined_at = p.created_at)",
        )?
        .query_row(params![project_id, user.as_str()], |r| r.get(0))
    })
}

/// Which of projects `numbers` of `team` `user` leads or is in the team of: one query
/// (the numbers passed as a JSON array).
pub fn led_or_in_among(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    numbers: &[ProjectNumber],
) -> anyhow::Result<std::collections::HashSet<ProjectNumber>> {
    if numbers.is_empty() {
        return Ok(Default::default());
    }
    let list = serde_json::to_string(&numbers.iter().map(|n| n.get()).collect::<Vec<_>>())?;
    let found: Vec<u32> = doing("cannot read the teams", || {
        conn.prepare_cached(
            "SELECT p.number FROM json_each(?3) n
               JOIN projects p ON p.team_id = ?1 AND p.number = n.value
              WHERE p.pitcher = ?2
                 OR EXISTS (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?2)",
        )?
        .query_map(params![team.as_str(), user.as_str(), list], |r| r.get(0))?
        .collect()
    })?;
    Ok(found.into_iter().filter_map(ProjectNumber::new).collect())
}

/// The projects, in every workspace, that `user` is in the team of or leads (not retired
/// ones: their teams are their history), or has a join by reaction waiting on (any): by
/// workspace and number. A Slack user id is one person everywhere (a guest in a shared
/// channel joins the pitching workspace's projects).
pub fn projects_of_person(
    conn: &Connection,
    user: &UserId,
) -> anyhow::Result<Vec<(TeamId, ProjectNumber)>> {
    let rows: Vec<(String, u32)> = doing("cannot read the person's projects", || {
        conn.prepare_cached(
            "SELECT p.team_id, p.number FROM projects p
              WHERE (p.phase != 'retired'
                     AND (p.pitcher = ?1
                          OR EXISTS (SELECT 1 FROM members m
                                      WHERE m.project_id = p.id AND m.user_id = ?1)))
                 OR EXISTS (SELECT 1 FROM pending_joins j
                             WHERE j.project_id = p.id AND j.user_id = ?1)
              ORDER BY p.team_id, p.number",
        )?
        .query_map(params![user.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
    })?;
    rows.into_iter()
        .map(|(team, n)| {
            let team =
                TeamId::parse(&team).ok_or_else(|| anyhow::anyhow!("stored team {team:?}"))?;
            let number =
                ProjectNumber::new(n).ok_or_else(|| anyhow::anyhow!("stored project number 0"))?;
            Ok((team, number))
        })
        .collect()
}

/// Who leads project `project_id` now (its pitcher, until handed over); `None` if there is
/// no such project.
pub fn lead_of(conn: &Connection, project_id: i64) -> anyhow::Result<Option<UserId>> {
    let lead: Option<String> = doing("cannot read the project's lead", || {
        conn.prepare_cached("SELECT pitcher FROM projects WHERE id = ?1")?
            .query_row(params![project_id], |r| r.get(0))
            .optional()
    })?;
    Ok(lead.as_deref().and_then(UserId::parse))
}

/// Makes `to` the lead of project `project_id` (see `0026_handover.sql`): who pitched it is
/// kept, unless the lead goes back to them.
pub fn hand_over(conn: &Connection, project_id: i64, to: &UserId, now: i64) -> anyhow::Result<()> {
    doing("cannot hand the project over", || {
        conn.prepare_cached(
            "UPDATE projects
             SET pitched_by = NULLIF(COALESCE(pitched_by, pitcher), ?2), pitcher = ?2,
                 updated_at = ?3
             WHERE id = ?1",
        )?
        .execute(params![project_id, to.as_str(), now])
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ended(conn: &Connection) -> Vec<(String, i64, i64)> {
        let mut stmt = conn
            .prepare("SELECT user_id, joined_at, left_at FROM memberships_ended ORDER BY rowid")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap()))
            })
            .unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// A leave keeps the membership as ended, from when its join was recorded to the leave;
    /// not one that ended by the time its join was recorded (a reaction's time can precede
    /// the join its person's answer from Slack settled), nor a bot's join undone, as it was
    /// never a person's membership.
    #[test]
    fn a_leave_is_kept_as_ended_and_a_bots_join_undone_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        let (amy, bot) = (
            UserId::parse("U0AMY").unwrap(),
            UserId::parse("U0BOT").unwrap(),
        );
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (team_id, number, title, description, phase, pitcher,
                         channel_id, created_at, updated_at, last_activity_at)
                     VALUES ('T1', 1, 'Bin day finder', '', 'beta', 'U8', 'C8', 1, 1, 1);",
                )?;
                add_member(tx, 1, &amy, 100_000_000, 100)?;
                crate::store::withdraw_join(tx, 1, &amy, 200_000_000)?;
                // Joined again by a reaction at 300 s, settled at 310 s; the reaction taken
                // away at 305 s, delivered after.
                add_member(tx, 1, &amy, 300_000_000, 310)?;
                crate::store::withdraw_join(tx, 1, &amy, 305_000_000)?;
                // Another app's bot, in and out (a reaction put on and taken away) before
                // Slack said it was one, and back: nothing of it is kept.
                add_member(tx, 1, &bot, 400_000_000, 400)?;
                crate::store::withdraw_join(tx, 1, &bot, 401_000_000)?;
                add_member(tx, 1, &bot, 402_000_000, 402)?;
                drop_member(tx, 1, &bot)?;
                Ok(())
            })
            .unwrap();
        let kept = store.read(|c| Ok(ended(c))).unwrap();
        assert_eq!(kept, [("U0AMY".to_string(), 100, 200)]);
    }
}
