//! Workspaces the bot is installed in through OAuth, the key check, and the OAuth `state`
//! values handed out. Tokens arrive here already sealed (`domain::SealingKey`): this file
//! stores bytes and never sees a token.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{ChannelId, ProjectNumber, TeamId, UserId};

/// An installation as Slack's `oauth.v2.access` described it, its token sealed.
#[derive(Debug, Clone)]
pub struct NewInstallation<'a> {
    pub team: &'a TeamId,
    pub team_name: &'a str,
    pub enterprise_id: Option<&'a str>,
    pub app_id: &'a str,
    pub bot_user: &'a UserId,
    pub sealed_token: &'a [u8],
    pub scopes: &'a str,
    pub installed_by: &'a UserId,
    pub now: i64,
}

/// Records an installation; installing again replaces everything but the first install's time.
pub fn save_installation(conn: &Connection, i: &NewInstallation<'_>) -> anyhow::Result<()> {
    doing("cannot record the installation", || {
        conn.prepare_cached(
            "INSERT INTO installations (team_id, team_name, enterprise_id, app_id, bot_user_id,
                                        bot_token, scopes, installed_by, installed_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT (team_id) DO UPDATE SET
                team_name = ?2, enterprise_id = ?3, app_id = ?4, bot_user_id = ?5,
                bot_token = ?6, scopes = ?7, installed_by = ?8, updated_at = ?9",
        )?
        .execute(params![
            i.team.as_str(),
            i.team_name,
            i.enterprise_id,
            i.app_id,
            i.bot_user.as_str(),
            i.sealed_token,
            i.scopes,
            i.installed_by.as_str(),
            i.now
        ])?;
        conn.prepare_cached("DELETE FROM removed_workspaces WHERE team_id = ?1")?
            .execute([i.team.as_str()])?;
        super::channels::ask_again_about_team(conn, i.team, i.now)?;
        Ok(())
    })
}

/// The workspace whose installation's bot user `user` is, if any: in a channel shared by
/// two workspaces with the bot, Slack delivers an event for either, and a mention or a join
/// names the bot it concerns.
pub fn workspace_of_bot(conn: &Connection, user: &UserId) -> anyhow::Result<Option<TeamId>> {
    let team: Option<String> = doing("cannot read the installations", || {
        conn.prepare_cached("SELECT team_id FROM installations WHERE bot_user_id = ?1 LIMIT 1")?
            .query_row(params![user.as_str()], |r| r.get(0))
            .optional()
    })?;
    Ok(team.as_deref().and_then(TeamId::parse))
}

/// The sealed bot token of `team`'s installation, or that it removed the app or never
/// installed it (one read: the token path asks on every call it has not cached).
pub fn standing(conn: &Connection, team: &TeamId) -> anyhow::Result<Standing> {
    doing("cannot read the installation", || {
        conn.prepare_cached(
            "SELECT (SELECT bot_token FROM installations WHERE team_id = ?1),
                    EXISTS (SELECT 1 FROM removed_workspaces WHERE team_id = ?1)",
        )?
        .query_row([team.as_str()], |r| {
            Ok(
                match (r.get::<_, Option<Vec<u8>>>(0)?, r.get::<_, bool>(1)?) {
                    (Some(sealed), _) => Standing::Installed(sealed),
                    (None, true) => Standing::Removed,
                    (None, false) => Standing::Never,
                },
            )
        })
    })
}

/// Where a workspace stands with the app, as far as its token goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Installed through OAuth: its bot token, sealed.
    Installed(Vec<u8>),
    /// Installed through OAuth once, then removed the app, and not installed again.
    Removed,
    /// Never installed through OAuth (served by `SLACK_BOT_TOKEN`, if set).
    Never,
}

/// How many workspaces are installed through OAuth.
pub fn installation_count(conn: &Connection) -> anyhow::Result<i64> {
    doing("cannot count the installations", || {
        conn.query_row("SELECT COUNT(*) FROM installations", [], |r| r.get(0))
    })
}

/// Whether the bot serves a workspace besides `team`: one installed through OAuth, or one
/// with people or projects that has not removed the app (a workspace served by
/// `SLACK_BOT_TOKEN` leaves no installation; one that removed the app keeps its projects in
/// the catalogue, but nobody there reads the bot).
pub fn serves_others_than(conn: &Connection, team: &TeamId) -> anyhow::Result<bool> {
    doing("cannot look for other workspaces", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM installations WHERE team_id <> ?1)
                 OR EXISTS (SELECT 1 FROM people WHERE team_id <> ?1
                               AND team_id NOT IN (SELECT team_id FROM removed_workspaces))
                 OR EXISTS (SELECT 1 FROM projects WHERE team_id <> ?1
                               AND team_id NOT IN (SELECT team_id FROM removed_workspaces))",
        )?
        .query_row([team.as_str()], |r| r.get(0))
    })
}

/// Every installation's team and sealed token (to check them all at start).
pub fn sealed_tokens(conn: &Connection) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    doing("cannot read the installations", || {
        let mut stmt = conn.prepare("SELECT team_id, bot_token FROM installations")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    })
}

/// Forgets `team`'s installation (its token; the workspace's data stays), remembers that a
/// workspace installed through OAuth removed the app (so that `SLACK_BOT_TOKEN`, another
/// workspace's token, is not used for it), and drops the reactions still waiting to be
/// asked about there (and the announcements whose reactions were to be read again). Whether
/// an installation was there.
pub fn remove_installation(conn: &Connection, team: &TeamId, now: i64) -> anyhow::Result<bool> {
    super::drop_pending_joins(conn, team)?;
    super::drop_reactions_to_read(conn, team)?;
    let removed = doing("cannot remove the installation", || {
        let n = conn
            .prepare_cached("DELETE FROM installations WHERE team_id = ?1")?
            .execute([team.as_str()])?;
        conn.prepare_cached("DELETE FROM token_refusals WHERE team_id = ?1")?
            .execute([team.as_str()])?;
        Ok(n > 0)
    })?;
    // Here only a workspace installed through OAuth: `SLACK_BOT_TOKEN`'s own is marked by
    // `handlers::remove_workspace`, which knows it.
    if removed {
        mark_removed(conn, team, now)?;
    }
    Ok(removed)
}

/// Remembers that `team` removed the app: nothing more is queued for it, nor is
/// `SLACK_BOT_TOKEN` used for it, until it installs again through OAuth or (its own
/// workspace) that token works for it, as Slack says at a start or when asked at a request
/// from it ([`installed_again`]).
pub fn mark_removed(conn: &Connection, team: &TeamId, now: i64) -> anyhow::Result<()> {
    doing("cannot remember the workspace removed the app", || {
        conn.prepare_cached(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, ?2)
             ON CONFLICT (team_id) DO UPDATE SET removed_at = excluded.removed_at",
        )?
        .execute(params![team.as_str(), now])
        .map(drop)
    })
}

/// `SLACK_BOT_TOKEN` works for `team` (Slack's `auth.test`, at start or asked at a request
/// from it): the app is installed
/// there, so a mark that it removed the app goes. Whether there was one.
pub fn installed_again(conn: &Connection, team: &TeamId) -> anyhow::Result<bool> {
    doing("cannot forget the workspace removed the app", || {
        conn.prepare_cached("DELETE FROM removed_workspaces WHERE team_id = ?1")?
            .execute([team.as_str()])
            .map(|n| n > 0)
    })
}

/// A refusal more than this long after the last one starts a new run (see
/// `0022_token_refusals.sql`).
const REFUSALS_APART_SECS: i64 = 3600;

/// Notes that Slack refused `team`'s bot token at `now`, and returns since when it has been
/// refused: the first refusal of this run, which a post going through ends
/// (`0022_token_refusals.sql`).
pub fn note_token_refused(conn: &Connection, team: &TeamId, now: i64) -> anyhow::Result<i64> {
    doing("cannot note the refused token", || {
        conn.prepare_cached(
            "INSERT INTO token_refusals (team_id, since, last_at) VALUES (?1, ?2, ?2)
             ON CONFLICT (team_id) DO UPDATE
                SET since = CASE WHEN last_at < ?2 - ?3 THEN ?2 ELSE since END, last_at = ?2
             RETURNING since",
        )?
        .query_row(params![team.as_str(), now, REFUSALS_APART_SECS], |r| {
            r.get(0)
        })
    })
}

/// How many workspaces' tokens Slack is refusing at `now`: a run of refusals not yet ended,
/// its latest refusal within the hour (an older one is over, see `REFUSALS_APART_SECS`).
pub fn token_refused_workspaces(conn: &Connection, now: i64) -> anyhow::Result<i64> {
    doing("cannot count the refused tokens", || {
        conn.prepare_cached("SELECT COUNT(*) FROM token_refusals WHERE last_at >= ?1 - ?2")?
            .query_row(params![now, REFUSALS_APART_SECS], |r| r.get(0))
    })
}

/// A post to `team` went through: its token works (again).
pub fn token_works(conn: &Connection, team: &TeamId) -> anyhow::Result<()> {
    doing("cannot note the working token", || {
        conn.prepare_cached("DELETE FROM token_refusals WHERE team_id = ?1")?
            .execute([team.as_str()])?;
        Ok(())
    })
}

/// The name Slack gave `team` when it installed the app through OAuth, if it did (one
/// Slack sent without a name is recorded under its id, which names nothing more).
pub fn installation_name(conn: &Connection, team: &TeamId) -> anyhow::Result<Option<String>> {
    doing("cannot read the installation", || {
        conn.prepare_cached(
            "SELECT team_name FROM installations WHERE team_id = ?1 AND team_name <> team_id",
        )?
        .query_row([team.as_str()], |r| r.get(0))
        .optional()
    })
}

/// The other workspaces installed through OAuth in `team`'s Enterprise Grid org, in id order:
/// where one person's Slack id is theirs too. None outside an org (a user id is then one
/// workspace's alone).
pub fn installed_in_org_of(conn: &Connection, team: &TeamId) -> anyhow::Result<Vec<TeamId>> {
    super::team_ids(
        conn,
        "SELECT team_id FROM installations
          WHERE enterprise_id IS NOT NULL AND team_id <> ?1
            AND enterprise_id = (SELECT enterprise_id FROM installations WHERE team_id = ?1)
          ORDER BY team_id",
        [team.as_str()],
    )
    .map_err(|e| e.context("cannot read the installations"))
}

/// `team`, installed, was moved into the Enterprise Grid organisation `org` (Slack keeps
/// the workspace's id and token): recorded as its organisation, as an install there
/// records it (nothing where not installed, or recorded already).
pub fn installation_moved_into_org(
    conn: &Connection,
    team: &TeamId,
    org: &str,
) -> anyhow::Result<()> {
    doing("cannot record the installation's organisation", || {
        conn.prepare_cached(
            "UPDATE installations SET enterprise_id = ?2
              WHERE team_id = ?1 AND enterprise_id IS NOT ?2",
        )?
        .execute(params![team.as_str(), org])
        .map(drop)
    })
}

/// The Enterprise Grid organisation `team` installed the app in, as Slack said then; `None`
/// outside one, or where `team` is not installed through OAuth.
pub fn installed_org(conn: &Connection, team: &TeamId) -> anyhow::Result<Option<String>> {
    doing("cannot read the installation", || {
        conn.prepare_cached("SELECT enterprise_id FROM installations WHERE team_id = ?1")?
            .query_row([team.as_str()], |r| r.get::<_, Option<String>>(0))
            .optional()
            .map(Option::flatten)
    })
}

/// When `team` last installed the app, if it is installed.
pub fn installed_at(conn: &Connection, team: &TeamId) -> anyhow::Result<Option<i64>> {
    doing("cannot read the installation", || {
        conn.prepare_cached("SELECT updated_at FROM installations WHERE team_id = ?1")?
            .query_row([team.as_str()], |r| r.get(0))
            .optional()
    })
}

/// Deletes the answers to a `forget me` still queued for `team` (owed, or parked), private
/// or to the person's DM: given up with the workspace's posts, they will never be posted,
/// and each names the person forgotten, so nothing of it is kept, as once one is posted
/// (`handlers::delivered`). Parked (a DM's), one kept their id for 30 days. How many went:
/// the caller has the log emptied after, if any did.
pub fn drop_forget_answers(conn: &Connection, team: &TeamId) -> anyhow::Result<usize> {
    doing("cannot drop the answers to a forget", || {
        let (kind, reply) = (
            super::outbox::notice_field("kind"),
            super::outbox::notice_field("reply.kind"),
        );
        let mut dropped = 0;
        for rows in super::outbox::owed_then_parked() {
            dropped += conn
                .prepare_cached(&format!(
                    "DELETE FROM outbox WHERE team_id = ?1 AND {rows}
                       AND {kind} = 'reply' AND {reply} = 'forgotten'"
                ))?
                .execute(params![team.as_str()])?;
        }
        Ok(dropped)
    })
}

/// Parks every post still queued for `team` as failed, with `why`, but for private answers
/// (`only_for`), which go: no invitation or install brings a private answer back to life
/// (weeks later it would answer nothing), and each names the person it is for, the answer to
/// a `forget me` included. Returns how many posts were parked or dropped.
pub fn park_team_posts(
    conn: &Connection,
    team: &TeamId,
    why: &str,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot park the workspace's posts", || {
        // `CASE` first: a row whose text is not JSON (an old build's) is parked, not an error.
        let dropped = conn
            .prepare_cached(
                "DELETE FROM outbox
                 WHERE team_id = ?1 AND delivered_at IS NULL AND failed_at IS NULL
                   AND CASE WHEN json_valid(notice) THEN json_extract(notice, '$.only_for') END
                       IS NOT NULL",
            )?
            .execute(params![team.as_str()])?;
        // An announcement failed here is never resent, even once the app is installed again:
        // its project will have no thread (see `0020_announcement_refused.sql`). Noted first,
        // from exactly the rows about to fail: those owed, and those parked until the bot is
        // invited (an invitation after a reinstall would post them months late).
        let (kind, project) = (
            super::outbox::notice_field("kind"),
            super::outbox::notice_field("project_id"),
        );
        let kinds = super::outbox::owed_then_parked();
        for rows in &kinds {
            conn.prepare_cached(&format!(
                "UPDATE projects SET announcement_refused_at = ?2
                 WHERE team_id = ?1 AND announcement_ts IS NULL AND announcement_refused_at IS NULL
                   AND id IN (SELECT {project} FROM outbox
                              WHERE team_id = ?1 AND {rows} AND {kind} = 'announcement')"
            ))?
            .execute(params![team.as_str(), now])?;
        }
        let mut parked = 0;
        for rows in &kinds {
            parked += conn
                .prepare_cached(&format!(
                    "UPDATE outbox SET failed_at = ?2, last_error = ?3 WHERE team_id = ?1 AND {rows}"
                ))?
                .execute(params![team.as_str(), now, why])?;
        }
        Ok(dropped + parked)
    })
}

/// What of a workspace's posts still queued (owed, or parked for an invitation)
/// [`park_team_posts`] would give up that may be owed again after.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct QueuedTimed {
    /// Each channel's digests, by where the earliest began.
    pub digests: Vec<(ChannelId, i64)>,
    /// The projects whose nudges are queued.
    pub nudges: Vec<ProjectNumber>,
}

/// [`QueuedTimed`] for `team`.
pub fn queued_digests_and_nudges(conn: &Connection, team: &TeamId) -> anyhow::Result<QueuedTimed> {
    doing(
        "cannot read the workspace's queued digests and nudges",
        || {
            let kind = super::outbox::notice_field("kind");
            let (from, number) = (
                super::outbox::notice_field("digest.from"),
                super::outbox::notice_field("number"),
            );
            let mut earliest: std::collections::BTreeMap<String, i64> = Default::default();
            let mut numbers = std::collections::BTreeSet::new();
            for rows in super::outbox::owed_then_parked() {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT channel_id, {kind}, {from}, {number} FROM outbox
                  WHERE team_id = ?1 AND {rows} AND {kind} IN ('digest', 'nudge')"
                ))?;
                let rows = stmt.query_map([team.as_str()], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                    ))
                })?;
                for row in rows {
                    match row? {
                        (channel, kind, Some(from), _) if kind == "digest" => {
                            let at = earliest.entry(channel).or_insert(from);
                            *at = (*at).min(from);
                        }
                        (_, kind, _, Some(n)) if kind == "nudge" => {
                            numbers.insert(n);
                        }
                        _ => {}
                    }
                }
            }
            // A row whose channel or number does not read is posted nowhere and owed nowhere.
            let digests = earliest
                .into_iter()
                .filter_map(|(channel, from)| Some((ChannelId::parse(&channel)?, from)))
                .collect();
            let nudges = numbers
                .into_iter()
                .filter_map(|n| ProjectNumber::new(u32::try_from(n).ok()?))
                .collect();
            Ok(QueuedTimed { digests, nudges })
        },
    )
}

/// The stored key check, if a key has been recorded.
pub fn key_check(conn: &Connection) -> anyhow::Result<Option<Vec<u8>>> {
    doing("cannot read the key check", || {
        conn.prepare_cached("SELECT sealed FROM secret_key_check WHERE id = 1")?
            .query_row([], |r| r.get(0))
            .optional()
    })
}

/// Records the key check unless one is there already.
pub fn set_key_check(conn: &Connection, sealed: &[u8], now: i64) -> anyhow::Result<()> {
    doing("cannot record the key check", || {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO secret_key_check (id, sealed, created_at) VALUES (1, ?1, ?2)",
        )?
        .execute(params![sealed, now])?;
        Ok(())
    })
}

/// Stores each workspace's token as `resealed` gives it (sealed again under a new key by the
/// caller, in the same transaction as its read of them).
pub fn replace_sealed(conn: &Connection, resealed: &[(TeamId, Vec<u8>)]) -> anyhow::Result<()> {
    doing("cannot store the tokens sealed under the new key", || {
        let mut update =
            conn.prepare_cached("UPDATE installations SET bot_token = ?2 WHERE team_id = ?1")?;
        for (team, sealed) in resealed {
            update.execute(params![team.as_str(), sealed])?;
        }
        Ok(())
    })
}

/// Replaces the key check (the secret key has changed).
pub fn replace_key_check(conn: &Connection, check: &[u8], now: i64) -> anyhow::Result<()> {
    doing("cannot record the key check", || {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO secret_key_check (id, sealed, created_at) VALUES (1, ?1, ?2)",
        )?
        .execute(params![check, now])?;
        Ok(())
    })
}

/// Every installation's workspace id and name, by id (the workspaces `forget-tokens` would
/// have install again).
pub fn installed_workspaces(conn: &Connection) -> anyhow::Result<Vec<(String, String)>> {
    doing("cannot read the installations", || {
        let mut stmt =
            conn.prepare("SELECT team_id, team_name FROM installations ORDER BY team_id")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    })
}

/// Forgets every installation (its sealed token) and marks each workspace as having removed
/// the app, as a removal does: nothing is queued for it until it installs again (nudges
/// queued meanwhile failed and were used up, a digest was queued and failed every week),
/// and then its quiet projects are nudged. Their projects, people and history stay. For a
/// lost `MAKERS_SECRET_KEY`, with [`replace_key_check`] in the same transaction.
pub fn forget_installations(conn: &Connection, now: i64) -> anyhow::Result<usize> {
    doing("cannot forget the installations", || {
        conn.prepare_cached(
            "INSERT INTO removed_workspaces (team_id, removed_at)
             SELECT team_id, ?1 FROM installations WHERE true
             ON CONFLICT (team_id) DO UPDATE SET removed_at = excluded.removed_at",
        )?
        .execute([now])?;
        conn.prepare_cached("DELETE FROM installations")?
            .execute([])
    })
}

/// Forgets used install-link states that have expired (their signature refuses them anyway);
/// at each callback and with the hourly housekeeping. How many.
pub fn prune_states(conn: &Connection, now: i64) -> anyhow::Result<usize> {
    doing("cannot prune expired OAuth states", || {
        conn.prepare_cached("DELETE FROM oauth_states WHERE expires_at <= ?1")?
            .execute([now])
    })
}

/// What [`take_state`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateUse {
    /// Not used before: used up now.
    First,
    /// Used before; whether its install worked, once that is known ([`state_installed`]).
    Again(Option<bool>),
}

/// Uses up `state` (its signature and expiry already checked). Kept until it expires, after
/// which its signature refuses it anyway; expired ones are forgotten here (by the index on
/// `expires_at`). Nothing is written when a link is handed out, so asking for links, which
/// anyone may, costs the database nothing.
pub fn take_state(
    conn: &Connection,
    state: &str,
    expires_at: i64,
    now: i64,
) -> anyhow::Result<StateUse> {
    prune_states(conn, now)?;
    doing("cannot check the OAuth state", || {
        let n = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO oauth_states (state, expires_at) VALUES (?1, ?2)",
            )?
            .execute(params![state, expires_at])?;
        if n == 1 {
            return Ok(StateUse::First);
        }
        let installed = conn
            .prepare_cached("SELECT installed FROM oauth_states WHERE state = ?1")?
            .query_row([state], |r| r.get::<_, Option<bool>>(0))?;
        Ok(StateUse::Again(installed))
    })
}

/// Records whether the install `state` was used for worked, so the page loaded again says so.
pub fn state_installed(conn: &Connection, state: &str, installed: bool) -> anyhow::Result<()> {
    doing("cannot record how the OAuth install ended", || {
        conn.prepare_cached("UPDATE oauth_states SET installed = ?2 WHERE state = ?1")?
            .execute(params![state, installed])
            .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_run_of_refusals_keeps_its_start_until_an_hour_passes_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let (a, b) = (TeamId::parse("T1").unwrap(), TeamId::parse("T2").unwrap());
        let since = |team: &TeamId, at: i64| {
            let team = team.clone();
            store
                .write(move |tx| note_token_refused(tx, &team, at))
                .unwrap()
        };
        assert_eq!(since(&a, 1_000), 1_000);
        assert_eq!(since(&a, 1_300), 1_000, "five minutes on: the same run");
        assert_eq!(since(&a, 1_300 + 3_600), 1_000, "an hour on, no more");
        assert_eq!(
            since(&b, 2_000),
            2_000,
            "another workspace's run is its own"
        );
        let left_behind = 1_300 + 3_600 + 3_601;
        assert_eq!(
            since(&a, left_behind),
            left_behind,
            "over an hour: a new run"
        );
        store.write(|tx| token_works(tx, &a)).unwrap();
        assert_eq!(since(&a, left_behind + 10), left_behind + 10);
    }
}
