//! Idempotency for Slack's retried deliveries: an event id is recorded in the same
//! transaction as its effect, under a primary key, so the second delivery finds it.

use rusqlite::{Connection, params};

use super::doing;

use crate::domain::TeamId;

/// How long an event id (and a message that mentioned the bot) is remembered: Slack stops
/// retrying after hours, not days.
pub const EVENT_IDS_KEPT_SECS: i64 =
    crate::domain::retention::secs(crate::domain::retention::EVENT_IDS_DAYS) as i64;

/// Whether `event_id` was recorded already (see [`record_event`]).
pub fn seen_event(conn: &Connection, event_id: &str) -> anyhow::Result<bool> {
    doing("cannot read the event ids", || {
        conn.prepare_cached("SELECT 1 FROM processed_events WHERE event_id = ?1")?
            .exists(params![event_id])
    })
}

/// Records `event_id`; false when it was already recorded (a retry: apply nothing).
pub fn record_event(
    conn: &Connection,
    event_id: &str,
    team: &TeamId,
    now: i64,
) -> anyhow::Result<bool> {
    doing("cannot record the event id", || {
        let inserted = conn.prepare_cached("INSERT OR IGNORE INTO processed_events (event_id, team_id, received_at) VALUES (?1, ?2, ?3)")?
.execute(
            params![event_id, team.as_str(), now],
        )?;
        Ok(inserted == 1)
    })
}

/// Forgets event ids received before `before` (Slack stops retrying after hours, not days).
pub fn prune_events(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune old event ids", || {
        conn.prepare_cached("DELETE FROM processed_events WHERE received_at < ?1")?
            .execute(params![before])
    })
}

/// Forgets outbox rows settled before `before` (unix seconds): delivered, or failed for good;
/// and rows parked until the bot is invited to their channel since before `parked_before`:
/// an invitation posts them until then, and after it would post news that old as new (not a
/// correction of a post in Slack already, kept until the invitation puts it right). A
/// parked announcement that goes is one never to be posted: its project is noted so at `now`
/// (as `outbox::mark_failed` notes a refused one), so that lines for its thread are not told
/// they wait for it.
pub fn prune_outbox(
    conn: &Connection,
    before: i64,
    parked_before: i64,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot prune old outbox rows", || {
        let (kind, project) = (
            super::outbox::notice_field("kind"),
            super::outbox::notice_field("project_id"),
        );
        conn.prepare_cached(&format!(
            "UPDATE projects SET announcement_refused_at = ?3
             WHERE id IN (SELECT {project} FROM outbox
                          WHERE failed_at < ?1 AND last_error IS ?2 AND {kind} = 'announcement')
               AND announcement_ts IS NULL AND announcement_refused_at IS NULL"
        ))?
        .execute(params![parked_before, super::WAITING_FOR_CHANNEL, now])?;
        // Not a correction of a post Slack shows already (an announcement retired, an
        // update's words taken back): news of no age, it is what the invitation puts right,
        // and it holds nothing the record does not. (One waits per post: a newer replaces it.)
        // One of an announcement never posted corrects nothing, and goes with it.
        conn.prepare_cached(&format!(
            "DELETE FROM outbox WHERE delivered_at < ?1
                OR (failed_at < ?1 AND last_error IS NOT ?2)
                OR (failed_at < ?3 AND last_error IS ?2
                    AND NOT ({kind} = 'update_corrected'
                             OR ({kind} = 'announcement_corrected'
                                 AND (SELECT announcement_ts FROM projects
                                       WHERE id = {project}) IS NOT NULL)))"
        ))?
        .execute(params![before, super::WAITING_FOR_CHANNEL, parked_before])
    })
}

/// Posts waiting to be delivered, and when the oldest of them was queued (unix seconds).
pub fn outbox_backlog(conn: &Connection) -> anyhow::Result<(i64, Option<i64>)> {
    doing("cannot read the outbox's depth", || {
        conn.prepare_cached(
            "SELECT COUNT(*), MIN(created_at) FROM outbox
             WHERE delivered_at IS NULL AND failed_at IS NULL",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
    })
}

/// The database's size on disk: its pages, and its write-ahead log.
pub fn database_bytes(conn: &Connection) -> anyhow::Result<i64> {
    let pages: i64 = doing("cannot read the database's size", || {
        conn.prepare_cached(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        )?
        .query_row([], |r| r.get(0))
    })?;
    let wal = conn
        .path()
        .and_then(|p| std::fs::metadata(format!("{p}-wal")).ok())
        .map_or(0, |m| m.len() as i64);
    Ok(pages + wal)
}
