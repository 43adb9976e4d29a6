//! Idempotency for Slack's retried deliveries: an event id is recorded in the same
//! transaction as its effect, under a primary key, so the second delivery finds it.

use rusqlite::{Connection, params};

use super::doing;

use crate::domain::TeamId;

/// Records `event_id`; false when it was already recorded (a retry: apply nothing).
pub fn record_event(
    conn: &Connection,
    event_id: &str,
    team: &TeamId,
    now: i64,
) -> anyhow::Result<bool> {
    doing("cannot record the event id", || {
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO processed_events (event_id, team_id, received_at) VALUES (?1, ?2, ?3)",
            params![event_id, team.as_str(), now],
        )?;
        Ok(inserted == 1)
    })
}

/// Forgets event ids received before `before` (Slack stops retrying after hours, not days).
pub fn prune_events(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune old event ids", || {
        conn.execute(
            "DELETE FROM processed_events WHERE received_at < ?1",
            params![before],
        )
    })
}

/// Forgets outbox rows settled before `before` (unix seconds): delivered, or failed for good.
/// Rows parked until the bot is invited stay, however old: an invitation still posts them.
pub fn prune_outbox(conn: &Connection, before: i64) -> anyhow::Result<usize> {
    doing("cannot prune old outbox rows", || {
        conn.execute(
            "DELETE FROM outbox WHERE delivered_at < ?1
                OR (failed_at < ?1 AND last_error IS NOT ?2)",
            params![before, super::WAITING_FOR_CHANNEL],
        )
    })
}
