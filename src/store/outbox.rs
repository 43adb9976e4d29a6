//! The outbox: messages waiting to be posted to Slack, written in the same transaction as the
//! change that caused them and delivered (with retries) by `delivery::Worker`.

use anyhow::Context;
use rusqlite::{Connection, params};

use crate::domain::{ChannelId, MessageTs, Notice, TeamId};

/// A message waiting for delivery.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub team: TeamId,
    pub channel: ChannelId,
    pub thread_ts: Option<MessageTs>,
    pub notice: Notice,
    pub attempts: u32,
}

/// Why a row was parked as failed when the bot was not in its channel; a later
/// `member_joined_channel` for the bot requeues such rows.
pub const WAITING_FOR_CHANNEL: &str = "not_in_channel";

/// Queues `notice` for `channel` (in `thread_ts`'s thread if given), due at once.
pub fn enqueue(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    thread_ts: Option<&MessageTs>,
    notice: &Notice,
    now: i64,
) -> anyhow::Result<i64> {
    let json = serde_json::to_string(notice).context("cannot encode notice")?;
    conn.execute(
        "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            team.as_str(),
            channel.as_str(),
            thread_ts.map(MessageTs::as_str),
            json,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Queues `notice` for delivery by this process only: due an hour from `now`, so a running
/// server's worker leaves it alone unless this process dies before posting it.
pub fn enqueue_for_self(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    notice: &Notice,
    now: i64,
) -> anyhow::Result<i64> {
    let id = enqueue(conn, team, channel, None, notice, now)?;
    conn.execute(
        "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1",
        params![id, now + 3600],
    )?;
    Ok(id)
}

/// Undelivered rows among `ids`, whenever they are due.
pub fn undelivered(conn: &Connection, ids: &[i64]) -> anyhow::Result<Vec<OutboxRow>> {
    let mut out = Vec::new();
    for id in ids {
        let mut rows = rows_where(
            conn,
            "id = ?1 AND delivered_at IS NULL AND failed_at IS NULL",
            params![id],
        )?;
        out.append(&mut rows);
    }
    Ok(out)
}

/// Undelivered rows due at `now`, oldest first.
pub fn due_messages(conn: &Connection, now: i64, limit: u32) -> anyhow::Result<Vec<OutboxRow>> {
    rows_where(
        conn,
        "delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2",
        params![now, limit],
    )
}

fn rows_where(
    conn: &Connection,
    condition: &str,
    args: impl rusqlite::Params,
) -> anyhow::Result<Vec<OutboxRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, team_id, channel_id, thread_ts, notice, attempts FROM outbox WHERE {condition}"
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, u32>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (id, team, channel, thread_ts, json, attempts) = row?;
        Ok(OutboxRow {
            id,
            team: TeamId::parse(&team).context("stored team id")?,
            channel: ChannelId::parse(&channel).context("stored channel id")?,
            thread_ts: thread_ts.as_deref().and_then(MessageTs::parse),
            notice: serde_json::from_str(&json)
                .with_context(|| format!("cannot decode outbox row {id}"))?,
            attempts,
        })
    })
    .collect()
}

/// When the next undelivered row falls due, if any.
pub fn next_due_at(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL",
        [],
        |r| r.get(0),
    )
}

pub fn mark_delivered(
    conn: &Connection,
    id: i64,
    ts: &MessageTs,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET delivered_at = ?2, message_ts = ?3, attempts = attempts + 1,
                           last_error = NULL
         WHERE id = ?1",
        params![id, now, ts.as_str()],
    )?;
    Ok(())
}

/// Tries again at `at` after a transient failure.
pub fn reschedule(conn: &Connection, id: i64, at: i64, error: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET next_attempt_at = ?2, attempts = attempts + 1, last_error = ?3
         WHERE id = ?1",
        params![id, at, error],
    )?;
    Ok(())
}

/// Gives up on a row after a permanent failure; the row stays for the record.
pub fn mark_failed(conn: &Connection, id: i64, error: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET failed_at = ?2, attempts = attempts + 1, last_error = ?3 WHERE id = ?1",
        params![id, now, error],
    )?;
    Ok(())
}

/// Puts rows that failed because the bot was not in `channel` back in the queue (the bot has
/// just been invited). Returns how many.
pub fn requeue_waiting_for_channel(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    now: i64,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE outbox SET failed_at = NULL, next_attempt_at = ?3
         WHERE team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL
           AND failed_at IS NOT NULL AND last_error = ?4",
        params![team.as_str(), channel.as_str(), now, WAITING_FOR_CHANNEL],
    )
}
