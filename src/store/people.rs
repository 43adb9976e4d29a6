//! People and their councils. A council is one row per match key across every workspace, so
//! "Guildford BC" and "guildford borough council" land on the same entry, whichever
//! workspace each was typed in (people stay per workspace).
//!
//! A person's council is read through [`said_council!`]: the one said in the workspace asked
//! about, else the one said most recently in another workspace the bot serves. A Slack user
//! id is one person everywhere (a guest in a shared channel keeps the id of their own
//! workspace), so a guest who told the bot their council at home is not asked again, and
//! counts for it, in the host's teams.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use super::members::JoinsKept;

use crate::domain::{CouncilName, TeamId, UserId};

/// Finds the council with `name`'s key (or the one that took the place of a former council
/// of that name), or records it (as first named in `team`); returns its id and the name in
/// use (the first spelling recorded wins, so everyone sees one name).
pub fn find_or_add_council(
    conn: &Connection,
    team: &TeamId,
    name: &CouncilName,
    now: i64,
) -> anyhow::Result<(i64, CouncilName)> {
    if let Some(found) = council_by_key(conn, name.key())? {
        return Ok(found);
    }
    doing("cannot record the council", || {
        conn.prepare_cached("INSERT OR IGNORE INTO councils (team_id, match_key, name, created_at) VALUES (?1, ?2, ?3, ?4)")?
.execute(
            params![team.as_str(), name.key(), name.display(), now],
        )
    })?;
    council_by_key(conn, name.key())?
        .ok_or_else(|| anyhow::anyhow!("council {:?} vanished after being recorded", name.key()))
}

/// Makes every council's match key again from its name, as [`CouncilName::parse`] makes keys
/// now, and merges councils whose keys become one into the oldest, which keeps its spelling
/// (as migration 0012 merged workspaces' copies). Run at open, so a change to how councils
/// are told apart reaches the councils already recorded: a council's name is all its key is
/// made from. A name that no longer makes a key (or names two councils) keeps the key it has.
/// Former councils' names are keyed again too, and one now a council's own key goes.
/// Returns how many councils and former names changed, merged or went.
pub fn rekey_councils(conn: &Connection) -> anyhow::Result<usize> {
    doing("cannot remake the councils' match keys", || {
        let found: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, name, match_key FROM councils ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // The oldest council with each new key, which the others with it merge into.
        let mut kept: HashMap<String, i64> = HashMap::new();
        let mut merged = Vec::new();
        let mut rekeyed = Vec::new();
        for (id, name, old) in found {
            let parsed = CouncilName::parse(&name);
            if let Err(crate::domain::UserError::CouncilAmbiguous { .. }) = parsed {
                // Kept as it is (its people may mean either), but nobody can name it now: the
                // operator may want to ask them which. Council names are not personal.
                tracing::warn!(
                    council = name,
                    "a council is recorded under a name two councils share; its people can say which they mean with /makers council"
                );
            }
            let new = parsed.map_or(old.clone(), |n| n.key().to_string());
            match kept.get(&new) {
                Some(&into) => merged.push((id, into)),
                None => {
                    kept.insert(new.clone(), id);
                    if new != old {
                        rekeyed.push((id, new));
                    }
                }
            }
        }
        for &(id, into) in &merged {
            super::council_merge::repoint_council(conn, id, into)?;
            conn.execute(
                "UPDATE council_former_names SET council_id = ?2 WHERE council_id = ?1",
                params![id, into],
            )?;
            // A project re-used by both is one re-use: the older council's stays. The other is
            // kept as ended until the one kept was said (if it was said first), so that a past
            // period's report still counts it as it stood.
            conn.execute(
                "INSERT INTO reuses_ended (project_id, council_id, said_in, created_at, ended_at)
                 SELECT r.project_id, ?2, r.said_in, r.created_at, k.created_at
                   FROM reuses r JOIN reuses k ON k.project_id = r.project_id AND k.council_id = ?2
                  WHERE r.council_id = ?1 AND r.created_at < k.created_at",
                params![id, into],
            )?;
            // A re-use by one spelling of the work the other leads was the council's own all
            // along (a re-keying says they were always one): no re-use, then or now, and
            // none is kept as ended. (`council merge` of two councils ends it at its time.)
            conn.execute(
                "DELETE FROM reuses WHERE council_id IN (?1, ?2)
                    AND project_id IN (SELECT id FROM projects WHERE pitcher_council_id = ?2)",
                params![id, into],
            )?;
            conn.execute(
                "UPDATE OR IGNORE reuses SET council_id = ?2 WHERE council_id = ?1",
                params![id, into],
            )?;
            conn.execute("DELETE FROM reuses WHERE council_id = ?1", params![id])?;
            conn.execute("DELETE FROM councils WHERE id = ?1", params![id])?;
        }
        // Keys are unique: each moves aside first, so two that swap never meet.
        for (id, _) in &rekeyed {
            conn.execute(
                "UPDATE councils SET match_key = char(0) || id WHERE id = ?1",
                params![id],
            )?;
        }
        for (id, key) in &rekeyed {
            conn.execute(
                "UPDATE councils SET match_key = ?2 WHERE id = ?1",
                params![id, key],
            )?;
        }
        // Former councils' names too (one whose new key another has already is left under
        // its old key: a council's own key is looked up first either way).
        let former: Vec<(String, String)> = conn
            .prepare("SELECT match_key, name FROM council_former_names")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut rekeyed_former = 0;
        for (old, name) in former {
            let Ok(new) = CouncilName::parse(&name) else {
                continue;
            };
            if new.key() != old {
                rekeyed_former += conn.execute(
                    "UPDATE OR IGNORE council_former_names SET match_key = ?2 WHERE match_key = ?1",
                    params![old, new.key()],
                )?;
            }
        }
        // A council's own key is its own: a former name keyed as it now is (the rules for
        // keys changed) no longer leads elsewhere.
        rekeyed_former += conn.execute(
            "DELETE FROM council_former_names WHERE match_key IN (SELECT match_key FROM councils)",
            [],
        )?;
        Ok(merged.len() + rekeyed.len() + rekeyed_former)
    })
}

/// A person says which council they work for in `team`, where they counted for council
/// `was` (another, or none): their joins so far keep the council they counted for where
/// this changes it ([`super::members::keep_join_councils`]), then it is recorded here, then,
/// for a change of job from council `moved_from`, the change holds in the other workspaces
/// where they had said it ([`move_council_elsewhere`]), changed when it changed here. Returns how many workspaces
/// changed elsewhere, and what became of their joins that counted for `was`.
pub fn say_council(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    council_id: i64,
    was: Option<i64>,
    moved_from: Option<i64>,
    now: i64,
) -> anyhow::Result<(usize, JoinsKept)> {
    let joins = doing("cannot keep the councils of the person's joins", || {
        super::members::keep_join_councils(conn, team, user, moved_from, was, now)
    })?;
    set_council(conn, team, user, council_id, now)?;
    let elsewhere = match moved_from {
        Some(from) => move_council_elsewhere(conn, team, user, from, council_id, now)?,
        None => 0,
    };
    Ok((elsewhere, joins))
}

/// Records which council a person works for, as it is: a person saying it is
/// [`say_council`], which keeps their joins' councils first.
pub(super) fn set_council(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    council_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot record the person's council", || {
        // A first saying here of the council said elsewhere changes no council: it changed
        // when it changed there (or long ago, NULL, before migration 0054).
        let first = concat!(
            "CASE WHEN ",
            said_elsewhere!("?2"),
            " IS ?3 THEN ",
            said_elsewhere!("?2", "council_changed_at"),
            " ELSE ?4 END"
        );
        conn.prepare_cached(&format!(
            "INSERT INTO people (team_id, user_id, council_id, updated_at, council_said_at,
                                 council_first_said_at, council_changed_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4, {first})
             ON CONFLICT (team_id, user_id)
             DO UPDATE SET council_id = ?3, council_offer = NULL, updated_at = ?4,
                           council_said_at = ?4,
                           council_first_said_at = COALESCE(council_first_said_at, ?4),
                           council_changed_at = CASE WHEN council_id IS ?3
                                                     THEN council_changed_at
                                                     WHEN council_id IS NULL THEN {first}
                                                     WHEN council_changed_at > ?5
                                                     THEN council_changed_at
                                                     ELSE ?4 END"
        ))?
        .execute(params![
            team.as_str(),
            user.as_str(),
            council_id,
            now,
            super::members::slip_since(now)
        ])?;
        Ok(())
    })
}

/// A change of council said in workspace `team` made where `user` had said the council
/// before (`from`) in other workspaces too: a change of job is everywhere, changed when it
/// changed in `team` (recorded there first), so the rows stay in step for the next change. A third council
/// said elsewhere (someone who works for two) stays, and so does a workspace that removed
/// the bot (nobody there is told). Returns how many workspaces changed.
fn move_council_elsewhere(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    from: i64,
    to: i64,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot record the person's council elsewhere", || {
        conn.prepare_cached(
            "UPDATE people SET council_id = ?4, council_offer = NULL, updated_at = ?5,
                               council_said_at = ?5,
                               council_changed_at = (SELECT here.council_changed_at
                                                       FROM people here
                                                      WHERE here.team_id = ?1
                                                        AND here.user_id = ?2)
              WHERE user_id = ?2 AND team_id != ?1 AND council_id = ?3
                AND team_id NOT IN (SELECT team_id FROM removed_workspaces)",
        )?
        .execute(params![team.as_str(), user.as_str(), from, to, now])
    })
}

/// SQL for the id of the council person `$user` (an SQL expression, e.g. `"m.user_id"`)
/// said most recently in any workspace, NULL if none: one step of the `people_said` index.
/// With a `people` column, that column of the same row.
macro_rules! said_elsewhere {
    ($user:literal) => {
        $crate::store::people::said_elsewhere!($user, "council_id")
    };
    ($user:literal, $column:literal) => {
        concat!(
            "(SELECT other.",
            $column,
            " FROM people other WHERE other.user_id = ",
            $user,
            " AND other.council_id IS NOT NULL",
            " ORDER BY other.council_said_at DESC, other.team_id LIMIT 1)"
        )
    };
}
pub(super) use said_elsewhere;

/// SQL joining member `m` of project `p` to their own `people` row in the project's workspace
/// (by its primary key), as `own`, for [`said_council!`]. A LEFT JOIN keeps the planner's
/// order (projects, members, then this look-up).
macro_rules! own_person {
    () => {
        "LEFT JOIN people own ON own.team_id = p.team_id AND own.user_id = m.user_id"
    };
}
pub(super) use own_person;

/// SQL for the id of the council member `m` of project `p` said, as seen from the project's
/// workspace, in a query that has joined [`own_person!`]: their own row's council there,
/// else the one they said most recently elsewhere. NULL when they said none anywhere.
macro_rules! said_council {
    () => {
        concat!(
            "COALESCE(own.council_id, ",
            $crate::store::people::said_elsewhere!("m.user_id"),
            ")"
        )
    };
}
pub(super) use said_council;

/// SQL for `$column` of the `people` row [`said_council!`] reads member `m`'s council from
/// (their own in the project's workspace, else the one said most recently elsewhere), e.g.
/// its workspace (`team_id`) or when its council last changed (`council_changed_at`).
macro_rules! said_council_row {
    ($column:literal) => {
        concat!(
            "CASE WHEN own.council_id IS NOT NULL THEN own.",
            $column,
            " ELSE ",
            $crate::store::people::said_elsewhere!("m.user_id", $column),
            " END"
        )
    };
}
pub(super) use said_council_row;

/// SQL for the id of the council membership `m` (of `members`, `memberships_ended` or
/// `report::MEMBERSHIPS`) of project `p` counts for, in a query that has joined
/// [`own_person!`]: the one kept with it once its person said another (migration 0054),
/// else the one they say now ([`said_council!`]). So a join stays with the council its
/// person worked for when it was recorded; NULL when they have said none.
macro_rules! join_council {
    () => {
        concat!(
            "COALESCE(m.council_id, ",
            $crate::store::people::said_council!(),
            ")"
        )
    };
}
pub(super) use join_council;

/// SQL: council `c` is in use: someone says it, or a project or a re-use names it. One
/// nobody says any more, with nothing to its name (a slip insisted on and then put right, a
/// council renamed), is neither offered for a slip ([`councils`]) nor listed in the give
/// and take.
macro_rules! council_in_use {
    () => {
        "(EXISTS (SELECT 1 FROM people WHERE council_id = c.id)
          OR EXISTS (SELECT 1 FROM projects WHERE pitcher_council_id = c.id)
          OR EXISTS (SELECT 1 FROM reuses WHERE council_id = c.id))"
    };
}
pub(super) use council_in_use;

/// The council a person said they work for: (id, name).
const COUNCIL_OF: &str = concat!(
    "SELECT c.id, c.name, c.match_key FROM councils c WHERE c.id = COALESCE(
         (SELECT own.council_id FROM people own WHERE own.team_id = ?1 AND own.user_id = ?2), ",
    said_elsewhere!("?2"),
    ")"
);

pub fn council_of(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Option<(i64, CouncilName)>> {
    doing("cannot read the person's council", || {
        conn.prepare_cached(COUNCIL_OF)?
            .query_row(params![team.as_str(), user.as_str()], |r| {
                Ok((r.get(0)?, CouncilName::from_stored(r.get(1)?, r.get(2)?)))
            })
            .optional()
    })
}

/// Where a person has said a council, seen from one workspace: what decides whether the
/// first council they say there leads the projects they pitched without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouncilSaid {
    /// In this workspace.
    Here,
    /// Only in other workspaces, the first at `first_at` (the earliest first saying there;
    /// a change of council since does not move it): a pitch here after that took it as its
    /// lead council.
    Elsewhere { first_at: i64 },
    /// Nowhere.
    Nowhere,
}

/// Where `user` has said a council, seen from `team`.
pub fn council_said(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<CouncilSaid> {
    doing("cannot read where the person said their council", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM people WHERE team_id = ?1 AND user_id = ?2
                                                 AND council_id IS NOT NULL),
                    (SELECT MIN(COALESCE(council_first_said_at, council_said_at)) FROM people
                      WHERE user_id = ?2 AND team_id != ?1 AND council_id IS NOT NULL)",
        )?
        .query_row(params![team.as_str(), user.as_str()], |r| {
            Ok(match (r.get::<_, bool>(0)?, r.get::<_, Option<i64>>(1)?) {
                (true, _) => CouncilSaid::Here,
                (false, Some(first_at)) => CouncilSaid::Elsewhere { first_at },
                (false, None) => CouncilSaid::Nowhere,
            })
        })
    })
}

/// Whether Slack told us this user is a bot; `None` when we have not asked yet.
pub fn is_bot(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<Option<bool>> {
    Ok(reactor(conn, team, user)?.is_bot)
}

/// Whether anything is recorded about `user` in `team`: a profile, a pending join or a
/// membership. Nothing is, after they were forgotten.
pub fn is_recorded(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<bool> {
    doing("cannot read whether the person is recorded", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM people WHERE team_id = ?1 AND user_id = ?2)
                 OR EXISTS (SELECT 1 FROM pending_joins WHERE team_id = ?1 AND user_id = ?2)
                 OR EXISTS (SELECT 1 FROM members m JOIN projects p ON p.id = m.project_id
                            WHERE m.user_id = ?2 AND p.team_id = ?1)",
        )?
        .query_row(params![team.as_str(), user.as_str()], |r| r.get(0))
    })
}

/// Notes that Slack said `user`'s account was deactivated (at `at`, unix seconds: Slack's
/// time of it where it says, as a reactivation's is, see [`back_in_slack`]): on each of their
/// profiles, and on one in `unknown_in` (the workspace that said so) should the bot know
/// nothing of them there (a reaction still to be delivered is all it may yet hear of them).
/// A reaction made before it and delivered after (a retry) must not bring them back into a
/// team they left then; the note is kept as long as Slack may retry (see
/// [`prune_left_slack`]). Kept longer where they are still in a retired project's team in
/// any workspace, the only place a deactivation leaves them (see `0042_left_slack_at.sql`):
/// noted for each workspace whose retired team they are in, since the project's own
/// workspace is where it is read. Slack's deliveries may come out of order: a note keeps
/// the latest deactivation's time.
pub fn note_left_slack(
    conn: &Connection,
    unknown_in: Option<&TeamId>,
    user: &UserId,
    at: i64,
) -> anyhow::Result<()> {
    doing("cannot note the deactivation", || {
        conn.prepare_cached(
            "INSERT INTO people (team_id, user_id, updated_at, left_slack_at)
             SELECT DISTINCT p.team_id, ?1, ?2, ?2
               FROM members m JOIN projects p ON p.id = m.project_id
              WHERE m.user_id = ?1 AND p.phase = 'retired'
             ON CONFLICT (team_id, user_id) DO NOTHING",
        )?
        .execute(params![user.as_str(), at])?;
        conn.prepare_cached(
            "UPDATE people SET left_slack_at = MAX(COALESCE(left_slack_at, ?2), ?2)
              WHERE user_id = ?1",
        )?
        .execute(params![user.as_str(), at])?;
        if let Some(team) = unknown_in {
            conn.prepare_cached(
                "INSERT INTO people (team_id, user_id, updated_at, left_slack_at)
                 VALUES (?3, ?1, ?2, ?2)
                 ON CONFLICT (team_id, user_id)
                 DO UPDATE SET left_slack_at = MAX(COALESCE(left_slack_at, ?2), ?2)",
            )?
            .execute(params![user.as_str(), at, team.as_str()])?;
        }
        Ok(())
    })
}

/// What the bot knows of someone who reacted in `team`: whether Slack said they are a bot
/// (or an app's user), and when it said their account was deactivated (see
/// [`note_left_slack`]), unless it has said since that it is active. Nothing known: both
/// `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reactor {
    pub is_bot: Option<bool>,
    /// Unix seconds.
    pub left_slack_at: Option<i64>,
}

/// What [`reactor`] reads. `IS NOT NULL` changes no maximum: it lets SQLite seek
/// `people_left_slack`.
const REACTOR: &str = "SELECT (SELECT is_bot FROM people WHERE team_id = ?1 AND user_id = ?2),
                               (SELECT MAX(left_slack_at) FROM people
                                 WHERE user_id = ?2 AND left_slack_at IS NOT NULL)";

/// [`Reactor`] for `user` in `team`: whether they are a bot as Slack said in `team`, and
/// their deactivation wherever it was noted (a user id is one person in every workspace: a
/// deactivation delivered for theirs stops a late reaction in a channel shared with another).
pub fn reactor(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<Reactor> {
    doing("cannot read what is known of the reactor", || {
        // Two scalar subqueries: always one row, NULLs where nothing is known.
        conn.prepare_cached(REACTOR)?
            .query_row(params![team.as_str(), user.as_str()], |r| {
                Ok(Reactor {
                    is_bot: r.get(0)?,
                    left_slack_at: r.get(1)?,
                })
            })
    })
}

/// Slack says `user`'s account is active as of `at` (unix seconds; `None` when it does not
/// say when): a deactivation noted by then goes (see [`note_left_slack`]). How many rows
/// changed (none, mostly: every profile change, a status say, comes here).
pub fn back_in_slack(conn: &Connection, user: &UserId, at: Option<i64>) -> anyhow::Result<usize> {
    doing("cannot note the account active", || {
        let back = conn
            .prepare_cached(
                "UPDATE people SET left_slack_at = NULL
                  WHERE user_id = ?1 AND left_slack_at IS NOT NULL
                    AND (?2 IS NULL OR left_slack_at <= ?2)",
            )?
            .execute(params![user.as_str(), at])?;
        if back > 0 {
            drop_empty(conn, Some(user))?;
        }
        Ok(back)
    })
}

/// Deletes `user`'s `people` rows (everyone's, with `None`) that hold nothing: a row noted
/// only for a deactivation (see [`note_left_slack`]) once that is settled would otherwise
/// keep when Slack said they left, which the retention table says goes.
fn drop_empty(conn: &Connection, user: Option<&UserId>) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM people
          WHERE (?1 IS NULL OR user_id = ?1)
            AND left_slack_at IS NULL AND council_id IS NULL AND is_bot IS NULL
            AND council_offer IS NULL AND council_said_at IS NULL
            AND council_first_said_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM person_skills s
                             WHERE s.team_id = people.team_id AND s.user_id = people.user_id)",
    )?
    .execute([user.map(UserId::as_str)])
}

/// Forgets `user`'s deactivation, noted before `before` (unix seconds: as long as Slack may
/// retry a reaction made before it), in each workspace where they are in no retired team any
/// more (see [`note_left_slack`]): it is kept for nothing else.
pub fn settle_left_slack(conn: &Connection, user: &UserId, before: i64) -> anyhow::Result<()> {
    doing("cannot settle the deactivation", || {
        conn.prepare_cached(&format!(
            "UPDATE people SET left_slack_at = NULL
              WHERE user_id = ?1 AND left_slack_at < ?2 AND {NOT_IN_A_RETIRED_TEAM}"
        ))?
        .execute(params![user.as_str(), before])?;
        drop_empty(conn, Some(user))?;
        Ok(())
    })
}

/// [`settle_left_slack`] for everyone: each deactivation noted before `before` of someone in
/// no retired team any more, whichever way they left it (taken off it, a project deleted);
/// how many went.
pub fn prune_left_slack(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune deactivations", || {
        conn.prepare_cached(&format!(
            "UPDATE people SET left_slack_at = NULL
              WHERE left_slack_at < ?1 AND {NOT_IN_A_RETIRED_TEAM}"
        ))?
        .execute([before])
        .and_then(|settled| Ok(settled + drop_empty(conn, None)?))
    })
}

/// Forgets the "did you mean…?" offers (see [`set_council_offer`]) nobody answered, made
/// before `before` (unix seconds), and then the rows that hold nothing else: an offer lasts
/// minutes, and kept a person's id and what they typed for as long as the database. A row's
/// `updated_at` is when its offer was made or later, so none goes sooner. Returns how many.
pub fn prune_council_offers(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune unanswered council offers", || {
        let forgotten = conn
            .prepare_cached(
                "UPDATE people SET council_offer = NULL
                  WHERE council_offer IS NOT NULL AND updated_at < ?1",
            )?
            .execute([before])?;
        if forgotten > 0 {
            drop_empty(conn, None)?;
        }
        Ok(forgotten)
    })
}

/// Of a `people` row: its person is in no retired project's team in its workspace.
const NOT_IN_A_RETIRED_TEAM: &str = "NOT EXISTS (SELECT 1 FROM members m
                    JOIN projects p ON p.id = m.project_id
                   WHERE m.user_id = people.user_id AND p.team_id = people.team_id
                     AND p.phase = 'retired')";

/// What [`has_left_slack`] reads.
const HAS_LEFT_SLACK: &str =
    "SELECT EXISTS (SELECT 1 FROM people WHERE user_id = ?1 AND left_slack_at IS NOT NULL)";

/// Whether any of `user`'s profiles has a deactivation noted (see [`note_left_slack`]).
pub fn has_left_slack(conn: &Connection, user: &UserId) -> anyhow::Result<bool> {
    doing("cannot read the deactivation", || {
        conn.prepare_cached(HAS_LEFT_SLACK)?
            .query_row([user.as_str()], |r| r.get(0))
    })
}

/// The members of project `project_id`'s team whose accounts Slack said were deactivated
/// (see [`note_left_slack`]).
pub fn members_left_slack(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<UserId>> {
    let ids: Vec<String> = doing("cannot read the team's deactivations", || {
        conn.prepare_cached(
            "SELECT m.user_id FROM members m
              WHERE m.project_id = ?1
                AND EXISTS (SELECT 1 FROM people pe
                             WHERE pe.user_id = m.user_id AND pe.left_slack_at IS NOT NULL)
              ORDER BY m.user_id",
        )?
        .query_map([project_id], |r| r.get(0))?
        .collect()
    })?;
    Ok(ids.iter().filter_map(|id| UserId::parse(id)).collect())
}

/// Remembers Slack's answer to "is this user a bot?".
pub fn set_is_bot(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    bot: bool,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot record whether the person is a bot", || {
        conn.prepare_cached(
            "INSERT INTO people (team_id, user_id, is_bot, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (team_id, user_id) DO UPDATE SET is_bot = ?3",
        )?
        .execute(params![team.as_str(), user.as_str(), bot, now])?;
        Ok(())
    })
}

/// The council recorded under `key` (in any workspace), if any: (id, name); or else the one
/// that took the place of a former council recorded under it (`makers-bot council merge`).
pub fn council_by_key(conn: &Connection, key: &str) -> anyhow::Result<Option<(i64, CouncilName)>> {
    doing("cannot read the council", || {
        conn.prepare_cached(
            "SELECT id, name, match_key, 0 AS rank FROM councils WHERE match_key = ?1
             UNION ALL
             SELECT c.id, c.name, c.match_key, 1 FROM council_former_names f
               JOIN councils c ON c.id = f.council_id WHERE f.match_key = ?1
             ORDER BY rank LIMIT 1",
        )?
        .query_row(params![key], |r| {
            Ok((r.get(0)?, CouncilName::from_stored(r.get(1)?, r.get(2)?)))
        })
        .optional()
    })
}

/// Every council recorded and in use ([`council_in_use!`]), in any workspace, by name.
pub fn councils(conn: &Connection) -> anyhow::Result<Vec<CouncilName>> {
    doing("cannot read the councils", || {
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT name, match_key FROM councils c WHERE ",
            council_in_use!(),
            " ORDER BY name"
        ))?;
        let rows = stmt.query_map([], |r| Ok(CouncilName::from_stored(r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}

/// Whether council `id` is in use: someone says they work for it, or it leads or re-uses a
/// project (see `council_in_use!`).
pub fn council_is_in_use(conn: &Connection, id: i64) -> anyhow::Result<bool> {
    doing("cannot read whether a council is in use", || {
        conn.prepare_cached(concat!(
            "SELECT EXISTS (SELECT 1 FROM councils c WHERE c.id = ?1 AND ",
            council_in_use!(),
            ")"
        ))?
        .query_row([id], |r| r.get(0))
    })
}

/// What is kept of the name this person was last asked "did you mean…?" about: its match
/// key, marked with where they were asked (the handlers' `Asked`).
pub fn council_offer(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Option<String>> {
    doing("cannot read the council offered", || {
        Ok(conn
            .query_row(
                "SELECT council_offer FROM people WHERE team_id = ?1 AND user_id = ?2",
                params![team.as_str(), user.as_str()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    })
}

/// Forgets that this person was asked "did you mean…?" (see [`set_council_offer`]).
pub fn clear_council_offer(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<()> {
    doing("cannot forget the council offered", || {
        conn.prepare_cached(
            "UPDATE people SET council_offer = NULL WHERE team_id = ?1 AND user_id = ?2",
        )?
        .execute(params![team.as_str(), user.as_str()])?;
        Ok(())
    })
}

/// Remembers that this person was asked "did you mean…?", as `offer` (see [`council_offer`]).
pub fn set_council_offer(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    offer: &str,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot record the council offered", || {
        conn.prepare_cached("INSERT INTO people (team_id, user_id, council_offer, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (team_id, user_id) DO UPDATE SET council_offer = ?3, updated_at = ?4")?
.execute(
            params![team.as_str(), user.as_str(), offer, now],
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// A join with bound parameters is compiled once per connection, not at every run (see
    /// `store::connect`): a person's council is read at every pitch and join.
    #[test]
    fn a_join_with_parameters_is_not_compiled_again_at_each_run() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let team = TeamId::parse("T1").unwrap();
        let runs = 20;
        store
            .write(|tx| {
                for n in 0..runs {
                    let user = UserId::parse(&format!("U{n}")).unwrap();
                    council_of(tx, &team, &user)?;
                }
                Ok(())
            })
            .unwrap();
        let (ran, compiled_again) = store
            .write(|tx| {
                let stmt = tx.prepare_cached(COUNCIL_OF)?;
                Ok((
                    stmt.get_status(rusqlite::StatementStatus::Run),
                    stmt.get_status(rusqlite::StatementStatus::RePrepare),
                ))
            })
            .unwrap();
        assert_eq!((ran, compiled_again), (runs, 0));
    }

    /// Whether someone left Slack is read at every status change (`user_change`) and every
    /// join by reaction, this on the writer: it seeks their rows, not every person of every
    /// workspace (4.5 ms a read at 100,000 people, found by a review). Counted in SQLite's VM
    /// steps, the same with 100 people as with 10,000.
    #[test]
    fn whether_someone_left_slack_is_read_from_their_rows_alone() {
        let steps = |people: usize| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("s.db")).unwrap();
            let team = TeamId::parse("T1").unwrap();
            store
                .write(|tx| {
                    // Every tenth has left, in one of five workspaces.
                    for n in 0..people {
                        tx.execute(
                            "INSERT INTO people (team_id, user_id, is_bot, updated_at,
                                                 left_slack_at)
                             VALUES (?1, ?2, 0, 1, ?3)",
                            params![
                                format!("T{}", n % 5),
                                format!("U{n:05}"),
                                (n % 10 == 0).then_some(5)
                            ],
                        )?;
                    }
                    tx.execute(
                        "INSERT INTO people (team_id, user_id, is_bot, updated_at, left_slack_at)
                         VALUES ('T1', 'U0STAYS', 0, 1, NULL), ('T1', 'U0LEFT', 0, 1, 7),
                                ('T2', 'U0LEFT', NULL, 1, 9)",
                        [],
                    )?;
                    for (user, left) in [("U0STAYS", None), ("U0LEFT", Some(9))] {
                        let user = UserId::parse(user).unwrap();
                        assert_eq!(has_left_slack(tx, &user)?, left.is_some());
                        let known = reactor(tx, &team, &user)?;
                        assert_eq!((known.is_bot, known.left_slack_at), (Some(false), left));
                    }
                    Ok([HAS_LEFT_SLACK, REACTOR].map(|sql| {
                        tx.prepare_cached(sql)
                            .unwrap()
                            .get_status(rusqlite::StatementStatus::VmStep)
                    }))
                })
                .unwrap()
        };
        assert_eq!(steps(100), steps(10_000));
    }

    /// Councils recorded under an earlier build's keys are keyed again at open: one council
    /// kept under two keys becomes one (the older, with its spelling and both councils'
    /// people and pitches), and a name two councils share keys as the one it names.
    #[test]
    fn councils_are_keyed_again_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        let team = TeamId::parse("T1").unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
                         (1, 'T1', 'st albans and', 'St Albans City and District Council', 1),
                         (2, 'T1', 'st albans', 'St Albans Council', 2),
                         (3, 'T1', 'chichester', 'Chichester District Council', 3),
                         (4, 'T1', 'guildford', 'Guildford Borough Council', 4),
                         (5, 'T1', 'x', '<not a name>', 5);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T1', 1, 'Bin day finder', '', 'live', 'U4', 'C1', 1, 1, 1);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at, pitcher_council_id)
                     VALUES (2, 'T1', 2, 'Recycling', '', 'live', 'U2', 'C1', 1, 1, 1, 2);
                     INSERT INTO reuses (project_id, council_id, note, said_by, created_at,
                                         updated_at, said_in)
                     VALUES (1, 1, '', 'U1', 8, 8, 'T1'), (1, 2, '', 'U2', 5, 5, 'T1'),
                            (2, 1, '', 'U1', 6, 6, 'T1');
                     INSERT INTO reuses_ended (project_id, council_id, said_in, created_at,
                                               ended_at)
                     VALUES (1, 2, 'T1', 2, 3);
                     INSERT INTO members (project_id, user_id, joined_at, council_id)
                     VALUES (1, 'U8', 1, 2);
                     INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at,
                                                    council_id)
                     VALUES (1, 'U9', 1, 2, 2);",
                )?;
                for (user, council) in [("U1", 1), ("U2", 2), ("U3", 3), ("U4", 4)] {
                    set_council(tx, &team, &UserId::parse(user).unwrap(), council, 10)?;
                }
                Ok(())
            })
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let rows: Vec<(i64, String)> = store
            .write(|tx| {
                Ok(tx
                    .prepare("SELECT id, match_key FROM councils ORDER BY id")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        let rows: Vec<(i64, &str)> = rows.iter().map(|(id, k)| (*id, k.as_str())).collect();
        assert_eq!(
            rows,
            [
                (1, "st albans"),
                (3, "chichester district"),
                (4, "guildford"),
                (5, "x")
            ]
        );
        let council = |user: &str| {
            store
                .write(|tx| council_of(tx, &team, &UserId::parse(user).unwrap()))
                .unwrap()
                .map(|(id, c)| (id, c.display().to_string()))
        };
        assert_eq!(
            council("U2"),
            Some((1, "St Albans City and District Council".into()))
        );
        assert_eq!(
            council("U3"),
            Some((3, "Chichester District Council".into()))
        );
        // Both re-used the project: one re-use, the kept council's; the other's, said
        // first, stands as ended until the kept one was said, and its ended one moves too.
        // One's re-use of the other's work (#2) was its own work all along: gone, not kept.
        let reuses = |sql: &str| -> Vec<(i64, i64, i64)> {
            store
                .read(|c| {
                    Ok(c.prepare(sql)?
                        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<rusqlite::Result<_>>()?)
                })
                .unwrap()
        };
        assert_eq!(
            reuses("SELECT council_id, created_at, 0 FROM reuses"),
            [(1, 8, 0)]
        );
        assert_eq!(
            reuses("SELECT council_id, created_at, ended_at FROM reuses_ended ORDER BY 2"),
            [(1, 2, 3), (1, 5, 8)]
        );
        // Joins kept for the council merged away count for the one kept.
        assert_eq!(
            reuses(
                "SELECT council_id, joined_at, 0 FROM members
                 UNION ALL SELECT council_id, joined_at, left_at FROM memberships_ended
                 ORDER BY 3"
            ),
            [(1, 1, 0), (1, 1, 2)]
        );
        // Once keyed, opening again changes nothing.
        assert_eq!(store.write(|tx| rekey_councils(tx)).unwrap(), 0);
    }

    /// Seen from a workspace where they said none, a person's council is the one they said
    /// most recently elsewhere; one said in the workspace itself comes first there; a "did you
    /// mean" offer later is not a saying.
    #[test]
    fn a_council_said_elsewhere_counts_where_none_was_said() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let [t1, t2, t3] = ["T1", "T2", "T3"].map(|t| TeamId::parse(t).unwrap());
        let user = UserId::parse("U1").unwrap();
        let named = |team: &TeamId| {
            store
                .write(|tx| council_of(tx, team, &user))
                .unwrap()
                .map(|(_, c)| c.display().to_string())
        };
        assert_eq!(named(&t3), None);
        store
            .write(|tx| {
                let (a, _) = find_or_add_council(tx, &t1, &CouncilName::parse("Adur").unwrap(), 1)?;
                let (b, _) =
                    find_or_add_council(tx, &t2, &CouncilName::parse("Brent").unwrap(), 1)?;
                set_council(tx, &t1, &user, a, 10)?;
                set_council(tx, &t2, &user, b, 20)?;
                set_council_offer(tx, &t1, &user, "adurr", 30)
            })
            .unwrap();
        assert_eq!(named(&t1).as_deref(), Some("Adur"));
        assert_eq!(named(&t2).as_deref(), Some("Brent"));
        assert_eq!(named(&t3).as_deref(), Some("Brent"), "said last, in T2");
    }

    /// `user` says `council` in `team` at `now`, as by `/makers council`, with no other
    /// workspace to move.
    fn say(
        tx: &Connection,
        team: &TeamId,
        user: &UserId,
        council: i64,
        now: i64,
    ) -> anyhow::Result<JoinsKept> {
        let was = council_of(tx, team, user)?
            .map(|(id, _)| id)
            .filter(|&was| was != council);
        Ok(say_council(tx, team, user, council, was, None, now)?.1)
    }

    /// "person:project:council" for each membership `which` picks (SQL on `m`), standing and
    /// ended, by the council its join counts for (`join_council!`), "-" for none.
    fn counted_for(store: &Store, which: &str) -> Vec<String> {
        crate::store::column_of(
            store,
            &format!(
                "SELECT m.user_id || ':' || m.project_id || ':' || COALESCE({council}, '-')
                 FROM {memberships} m JOIN projects p ON p.id = m.project_id {own}
                 WHERE {which} ORDER BY 1",
                council = join_council!(),
                memberships = crate::store::report::MEMBERSHIPS,
                own = own_person!(),
            ),
        )
    }

    /// What a saying did to the joins: `kept` teams kept, `put_right` a slip's.
    fn joins(kept: usize, put_right: usize) -> JoinsKept {
        JoinsKept { kept, put_right }
    }

    /// Projects #1 and #2 in T1 (ids 1 and 3) and #1 in T2 (id 2); Adur, Brent and Camden
    /// recorded: their ids.
    fn two_workspaces_and_three_councils(tx: &Connection) -> anyhow::Result<[i64; 3]> {
        tx.execute_batch(
            "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                                   channel_id, created_at, updated_at, last_activity_at)
             VALUES (1, 'T1', 1, 'Bins', '', 'alpha', 'U1', 'C1', 1, 1, 1),
                    (2, 'T2', 1, 'Parking', '', 'alpha', 'U1', 'C2', 1, 1, 1),
                    (3, 'T1', 2, 'Rota', '', 'alpha', 'U1', 'C1', 1, 1, 1);",
        )?;
        let t1 = TeamId::parse("T1").unwrap();
        let mut ids = [0; 3];
        for (id, name) in ids.iter_mut().zip(["Adur", "Brent", "Camden"]) {
            *id = find_or_add_council(tx, &t1, &CouncilName::parse(name).unwrap(), 1)?.0;
        }
        Ok(ids)
    }

    /// A person's memberships keep the council they counted for just before the person says
    /// another, in every workspace, standing or ended (migration 0054): as their own
    /// workspace's, or as said elsewhere. One joined before any council was said keeps none,
    /// so counts for the first said; saying the same council again keeps what it was; a
    /// council put right within a day of saying it keeps nothing (a slip put right).
    #[test]
    fn memberships_keep_the_council_they_counted_for_once_another_is_said() {
        const DAY: i64 = 86_400;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let [t1, t2] = ["T1", "T2"].map(|t| TeamId::parse(t).unwrap());
        let [sam, ann] = ["U0SAM", "U0ANN"].map(|u| UserId::parse(u).unwrap());
        let kept = || counted_for(&store, "1 = 1");
        let [adur, brent, camden] = store
            .write(|tx| {
                let ids = two_workspaces_and_three_councils(tx)?;
                tx.execute_batch(
                    "INSERT INTO members (project_id, user_id, joined_at)
                     VALUES (1, 'U0ANN', 2), (1, 'U0SAM', 2), (2, 'U0SAM', 2);
                     INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at)
                     VALUES (3, 'U0SAM', 2, 3);",
                )?;
                // Sam says Adur in T1: first said, nothing kept (none counted before).
                say(tx, &t1, &sam, ids[0], DAY)?;
                Ok(ids)
            })
            .unwrap();
        let a = adur.to_string();
        assert_eq!(
            kept(),
            [
                "U0ANN:1:-".to_string(),
                format!("U0SAM:1:{a}"),
                format!("U0SAM:2:{a}"),
                format!("U0SAM:3:{a}")
            ]
        );
        store
            .write(|tx| {
                // Sam says Brent in T2 days later: every membership counted for Adur until
                // now (T2's as said elsewhere), the one ended too. Again Brent: nothing more.
                say(tx, &t2, &sam, brent, 3 * DAY)?;
                say(tx, &t2, &sam, brent, 5 * DAY)?;
                // Ann, joined with no council, says Camden, then moves to Adur.
                say(tx, &t1, &ann, camden, 3 * DAY)?;
                say(tx, &t1, &ann, adur, 5 * DAY)?;
                // She joins #2, and puts her council right an hour later: Brent, not Adur.
                tx.execute(
                    "INSERT INTO members (project_id, user_id, joined_at) VALUES (3, 'U0ANN', ?1)",
                    [5 * DAY + 60],
                )?;
                say(tx, &t1, &ann, brent, 5 * DAY + 3_600)
            })
            .unwrap();
        // Sam's T2 join stays Adur's; Ann's first join Camden's, her second Brent's.
        let (b, c) = (brent.to_string(), camden.to_string());
        assert_eq!(
            kept(),
            [
                format!("U0ANN:1:{c}"),
                format!("U0ANN:3:{b}"),
                format!("U0SAM:1:{a}"),
                format!("U0SAM:2:{a}"),
                format!("U0SAM:3:{a}")
            ]
        );
    }

    /// The day's grace is judged for each membership by the row its council is read from,
    /// only when that row is the one changing, and from when its council last changed, not
    /// when it was last said: a slip in one workspace is not kept by a change of job in
    /// another, a recent saying elsewhere does not stop a join being kept, and saying a
    /// council again unchanged does not make a change of job the same day look like a slip.
    #[test]
    fn a_slip_is_judged_where_it_was_made_and_from_its_change() {
        const DAY: i64 = 86_400;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let [t1, t2] = ["T1", "T2"].map(|t| TeamId::parse(t).unwrap());
        let [kim, lee] = ["U0KIM", "U0LEE"].map(|u| UserId::parse(u).unwrap());
        let join = |project: i64, user: &str, at: i64| {
            store
                .write(|tx| {
                    tx.execute(
                        "INSERT INTO members (project_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
                        params![project, user, at],
                    )?;
                    Ok(())
                })
                .unwrap()
        };
        let kept = |user: &str| counted_for(&store, &format!("m.user_id = '{user}'"));
        let [adur, brent, camden] = store
            .write(|tx| {
                let ids = two_workspaces_and_three_councils(tx)?;
                // Kim: Adur in T1 long ago, Camden (a slip) in T2 today.
                say(tx, &t1, &kim, ids[0], DAY)?;
                say(tx, &t2, &kim, ids[2], 20 * DAY)?;
                // Lee: Adur in T1 long ago, said again unchanged today.
                say(tx, &t1, &lee, ids[0], DAY)?;
                say(tx, &t1, &lee, ids[0], 20 * DAY)?;
                Ok(ids)
            })
            .unwrap();
        join(1, "U0KIM", 20 * DAY + 60);
        join(2, "U0KIM", 20 * DAY + 60);
        join(1, "U0LEE", 20 * DAY + 60);
        let lee_moved = store
            .write(|tx| {
                // Lee had been in #1 before, and left: one team, twice joined.
                tx.execute(
                    "INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at)
                     VALUES (1, 'U0LEE', 2, 3)",
                    [],
                )?;
                // Kim changes jobs in T1: the T1 join stays Adur's; the T2 one, read from
                // the slip made there today, is not kept. Lee changes jobs: kept.
                say(tx, &t1, &kim, brent, 20 * DAY + 1_800)?;
                say(tx, &t1, &lee, brent, 20 * DAY + 1_800)
            })
            .unwrap();
        assert_eq!(lee_moved, joins(1, 0), "one team");
        let (a, c) = (adur.to_string(), camden.to_string());
        assert_eq!(
            kept("U0KIM"),
            [format!("U0KIM:1:{a}"), format!("U0KIM:2:{c}")]
        );
        assert_eq!(
            kept("U0LEE"),
            [format!("U0LEE:1:{a}"), format!("U0LEE:1:{a}")]
        );
        // Kim puts T2 right: its join follows (Camden was never kept for it).
        let put_right = store
            .write(|tx| say(tx, &t2, &kim, adur, 20 * DAY + 3_600))
            .unwrap();
        assert_eq!(put_right, joins(0, 1));
        assert_eq!(
            kept("U0KIM"),
            [format!("U0KIM:1:{a}"), format!("U0KIM:2:{a}")]
        );

        // Max said Adur in T2 long ago and Camden in T1 today (a first saying there, not a
        // slip), then joined #1 of T3, where he has said none: Camden's, read from T1. A
        // change in T2 makes T2's the latest: the T3 join is kept as Camden, as T1's row is
        // not the one changing.
        let max = UserId::parse("U0MAX").unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (4, 'T3', 1, 'Grit', '', 'alpha', 'U1', 'C3', 1, 1, 1)",
                    [],
                )?;
                say(tx, &t2, &max, adur, DAY)?;
                say(tx, &t1, &max, camden, 20 * DAY)
            })
            .unwrap();
        join(4, "U0MAX", 20 * DAY + 60);
        let done = store
            .write(|tx| say(tx, &t2, &max, brent, 20 * DAY + 1_800))
            .unwrap();
        // Kept, but for Camden: not a join of Adur's, the council the answer names.
        assert_eq!(done, JoinsKept::default());
        assert_eq!(kept("U0MAX"), [format!("U0MAX:4:{c}")]);
    }

    /// A first saying in a workspace of the council said in another changes no council: it
    /// takes the time the council changed there, so a change of job an hour later keeps the
    /// joins made meanwhile (before, it was taken for a slip). A change of job carried to
    /// the other workspace takes the time it changed here, so the two stay in step.
    #[test]
    fn a_first_saying_of_the_council_said_elsewhere_is_no_change() {
        const DAY: i64 = 86_400;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let [t1, t2] = ["T1", "T2"].map(|t| TeamId::parse(t).unwrap());
        let kim = UserId::parse("U0KIM").unwrap();
        let [adur, brent, _] = store
            .write(|tx| {
                let ids = two_workspaces_and_three_councils(tx)?;
                say(tx, &t1, &kim, ids[0], DAY)?;
                say(tx, &t2, &kim, ids[0], 20 * DAY)?;
                tx.execute(
                    "INSERT INTO members (project_id, user_id, joined_at)
                     VALUES (2, 'U0KIM', 20 * 86400 + 60)",
                    [],
                )?;
                Ok(ids)
            })
            .unwrap();
        let changed = |team: &str| {
            crate::store::column_of(
                &store,
                &format!(
                    "SELECT council_id || ':' || council_changed_at FROM people
                      WHERE team_id = '{team}' AND user_id = 'U0KIM'"
                ),
            )
        };
        assert_eq!(changed("T2"), [format!("{adur}:{DAY}")]);
        let moved = store
            .write(|tx| {
                say_council(
                    tx,
                    &t2,
                    &kim,
                    brent,
                    Some(adur),
                    Some(adur),
                    20 * DAY + 3_600,
                )
            })
            .unwrap();
        assert_eq!(moved, (1, joins(1, 0)));
        let a = adur.to_string();
        assert_eq!(
            counted_for(&store, "m.user_id = 'U0KIM'"),
            [format!("U0KIM:2:{a}")]
        );
        let now = format!("{brent}:{}", 20 * DAY + 3_600);
        assert_eq!(
            (changed("T1"), changed("T2")),
            (vec![now.clone()], vec![now])
        );
    }

    /// A slip put right keeps the time its council was chosen: the day's grace runs from the
    /// last change kept, so changes made each less than a day after the one before reach
    /// back a day at most, and a change a day after the first is a change of job.
    #[test]
    fn a_run_of_quick_changes_reaches_back_a_day_at_most() {
        const HOUR: i64 = 3_600;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let t1 = TeamId::parse("T1").unwrap();
        let nia = UserId::parse("U0NIA").unwrap();
        let [_, brent, camden] = store
            .write(|tx| {
                let ids = two_workspaces_and_three_councils(tx)?;
                say(tx, &t1, &nia, ids[0], 100 * HOUR)?;
                tx.execute(
                    "INSERT INTO members (project_id, user_id, joined_at)
                     VALUES (1, 'U0NIA', 100 * 3600 + 60)",
                    [],
                )?;
                Ok(ids)
            })
            .unwrap();
        let changes = store
            .write(|tx| {
                Ok([
                    // Put right after 20 hours, and again 20 hours after that: the first is a
                    // slip of Adur's; the second, 40 hours after Adur was chosen, a change of
                    // job from Brent (before, each slip restarted the day, and the join went
                    // to Camden).
                    say(tx, &t1, &nia, brent, 120 * HOUR)?,
                    say(tx, &t1, &nia, camden, 140 * HOUR)?,
                ])
            })
            .unwrap();
        assert_eq!(changes, [joins(0, 1), joins(1, 0)]);
        let b = brent.to_string();
        assert_eq!(
            counted_for(&store, "m.user_id = 'U0NIA'"),
            [format!("U0NIA:1:{b}")]
        );
    }
}
