//! Idempotency for Slack's retried deliveries: an event id is recorded in the same
//! transaction as its effect, under a primary key, so the second delivery finds it.

use anyhow::Context;
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
        let [first_since, refused, settled, parked] = prune_outbox_sql();
        // The rows to read for those settled: ids rise as posts are queued (AUTOINCREMENT),
        // and a post settled before `before` was queued before it, so below the first post
        // queued since, found walking from the oldest: not the month of newer posts (read
        // whole before, twice, on the writer: 83 and 177 ms at 200,000 rows), and with no
        // index on when a post settled, which every post's insert would pay. A clock set back
        // can only leave a row to a later prune: its times are still compared.
        let below: i64 = conn
            .prepare_cached(&first_since)?
            .query_row([before], |r| r.get(0))?;
        conn.prepare_cached(&refused)?
            .execute(params![parked_before, now])?;
        let settled = conn.prepare_cached(&settled)?.execute(params![
            before,
            super::WAITING_FOR_CHANNEL,
            below
        ])?;
        Ok(settled + conn.prepare_cached(&parked)?.execute([parked_before])?)
    })
}

/// [`prune_outbox`]'s statements. Parked rows are read through `outbox_parked`, whose
/// condition ([`super::outbox::parked`]) theirs must state as written; a delivered row never
/// has `not_in_channel` as its error (`mark_delivered` clears it), so they are the same rows.
fn prune_outbox_sql() -> [String; 4] {
    let (kind, project, parked) = (
        super::outbox::notice_field("kind"),
        super::outbox::notice_field("project_id"),
        super::outbox::parked(),
    );
    [
        "SELECT COALESCE((SELECT id FROM outbox WHERE created_at >= ?1 ORDER BY id LIMIT 1),
                         9223372036854775807)"
            .to_string(),
        format!(
            "UPDATE projects SET announcement_refused_at = ?2
             WHERE id IN (SELECT {project} FROM outbox
                          WHERE {parked} AND failed_at < ?1 AND {kind} = 'announcement')
               AND announcement_ts IS NULL AND announcement_refused_at IS NULL"
        ),
        "DELETE FROM outbox
          WHERE id < ?3 AND (delivered_at < ?1 OR (failed_at < ?1 AND last_error IS NOT ?2))"
            .to_string(),
        // Not a correction of a post Slack shows already (an announcement retired, an
        // update's words taken back): news of no age, it is what the invitation puts right,
        // and it holds nothing the record does not. (One waits per post: a newer replaces it.)
        // One of an announcement never posted corrects nothing, and goes with it.
        format!(
            "DELETE FROM outbox
              WHERE {parked} AND failed_at < ?1
                AND NOT ({kind} = 'update_corrected'
                         OR ({kind} = 'announcement_corrected'
                             AND (SELECT announcement_ts FROM projects
                                   WHERE id = {project}) IS NOT NULL))"
        ),
    ]
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

/// The database's size on disk: its file and its write-ahead log, as the filesystem has
/// them (as `du` counts). Not `page_count`: a reader sees pages still only in the log,
/// which were then counted twice, the growth since the last checkpoint.
pub fn database_bytes(conn: &Connection) -> anyhow::Result<i64> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()) else {
        return Ok(0);
    };
    let file = std::fs::metadata(path)
        .with_context(|| format!("cannot read the database's size ({path})"))?
        .len();
    // No log is a log of none (it is made at the first write).
    let wal = std::fs::metadata(format!("{path}-wal")).map_or(0, |m| m.len());
    Ok(i64::try_from(file + wal).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// What `du` counts: the file and its log, each page once. Pages not yet checkpointed
    /// (left in the log for Litestream) were counted twice, in `page_count` and the log.
    #[test]
    fn database_bytes_are_the_file_and_its_log_as_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open_with(&path, crate::store::Checkpoints::Litestream).unwrap();
        store
            .write(|c| {
                c.execute_batch(
                    "CREATE TABLE ballast (x); INSERT INTO ballast VALUES (zeroblob(400000))",
                )?;
                Ok(())
            })
            .unwrap();
        let on_disk = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().len();
        let (file, wal) = (on_disk("s.db"), on_disk("s.db-wal"));
        assert!(wal > 400_000, "left in the log: {wal}");
        let bytes = store.read(database_bytes).unwrap();
        assert_eq!(bytes as u64, file + wal);
    }

    /// The hourly prune holds the writer: it reads the rows it may delete (and the few kept
    /// past their month, parked ones), not the month of newer posts (it read the whole
    /// outbox twice: 83 and 177 ms at 200,000 rows, found by a review). Counted in SQLite's
    /// VM steps, the same with 2,000 newer rows as with 20,000.
    #[test]
    fn pruning_settled_posts_reads_only_the_old_rows() {
        let steps = |newer: usize| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("s.db")).unwrap();
            store
                .write(|c| {
                    let row = |created: i64,
                               delivered: Option<i64>,
                               failed: Option<i64>,
                               why: Option<&str>| {
                        c.execute(
                            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at,
                                                 created_at, delivered_at, failed_at, last_error)
                             VALUES ('T1', 'C1', '{\"v\":2,\"notice\":{\"kind\":\"announcement\",
                                     \"project_id\":1}}', 0, ?1, ?2, ?3, ?4)",
                            params![created, delivered, failed, why],
                        )
                    };
                    // Old: one delivered, one failed, one parked a season (all go), one
                    // parked a month (stays).
                    row(10, Some(11), None, None)?;
                    row(10, None, Some(11), Some("is_archived"))?;
                    row(10, None, Some(11), Some(super::super::WAITING_FOR_CHANNEL))?;
                    row(
                        500,
                        None,
                        Some(501),
                        Some(super::super::WAITING_FOR_CHANNEL),
                    )?;
                    for _ in 0..newer {
                        row(2_000, Some(2_001), None, None)?;
                    }
                    assert_eq!(prune_outbox(c, 1_000, 100, 3_000)?, 3);
                    Ok(prune_outbox_sql().map(|sql| {
                        c.prepare_cached(&sql)
                            .unwrap()
                            .get_status(rusqlite::StatementStatus::VmStep)
                    }))
                })
                .unwrap()
        };
        assert_eq!(steps(2_000), steps(20_000));
    }
}
