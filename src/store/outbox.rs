//! The outbox table: posts waiting to go to Slack, written in the same transaction as the
//! change that caused them. What a row means (its JSON) is `outbox`'s business; this file
//! only stores and finds rows.

use anyhow::Context;
use rusqlite::{Connection, params};

use super::doing;

use crate::domain::{ChannelId, MessageTs, TeamId};

/// A row as stored: the address is typed, the notice is still the JSON it was written as
/// (`outbox::decode` reads it, so one bad row can be failed alone).
#[derive(Debug, Clone)]
pub struct StoredPost {
    pub id: i64,
    pub team: TeamId,
    pub channel: ChannelId,
    pub thread_ts: Option<MessageTs>,
    pub json: String,
    pub attempts: u32,
}

/// A row whose address does not parse: there is nowhere to post it.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub id: i64,
    pub why: String,
}

/// Why a row was parked as failed when the bot was not in its channel; a later
/// `member_joined_channel` for the bot requeues such rows.
pub const WAITING_FOR_CHANNEL: &str = "not_in_channel";

/// Whether project `project_id`'s announcement is parked in `channel`, waiting for the bot to
/// be invited there. It reads through the outbox (no index holds failed rows), which is
/// rare: only for a thread line whose announcement has not been posted.
pub fn announcement_is_parked(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
) -> anyhow::Result<bool> {
    doing("cannot look for a parked announcement", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox
               WHERE team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL
                 AND last_error = ?4 AND json_valid(notice)
                 AND json_extract(notice, '$.notice.kind') = 'announcement'
                 AND json_extract(notice, '$.notice.project_id') = ?3)",
        )?
        .query_row(
            params![
                team.as_str(),
                channel.as_str(),
                project_id,
                WAITING_FOR_CHANNEL
            ],
            |r| r.get(0),
        )
    })
}

/// Where a new row goes and when it falls due.
pub struct NewRow<'a> {
    pub team: &'a TeamId,
    pub channel: &'a ChannelId,
    pub thread_ts: Option<&'a MessageTs>,
    pub json: &'a str,
    /// Unix seconds.
    pub now: i64,
    /// Unix seconds; `now` for "at once".
    pub due_at: i64,
}

/// Inserts a row; returns its id.
pub fn insert_post(conn: &Connection, row: &NewRow<'_>) -> anyhow::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        row.team.as_str(),
        row.channel.as_str(),
        row.thread_ts.map(MessageTs::as_str),
        row.json,
        row.due_at,
        row.now
    ])
    .context("cannot queue a post")?;
    Ok(conn.last_insert_rowid())
}

/// Undelivered rows among `ids`, whenever they are due.
pub fn undelivered(
    conn: &Connection,
    ids: &[i64],
) -> anyhow::Result<Vec<Result<StoredPost, BadRow>>> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(rows_where(
            conn,
            "id = ?1 AND delivered_at IS NULL AND failed_at IS NULL",
            params![id],
        )?);
    }
    Ok(out)
}

/// Rows as stored; one whose address does not parse comes back as a [`BadRow`] so the others
/// are not held up by it.
fn rows_where(
    conn: &Connection,
    condition: &str,
    args: impl rusqlite::Params,
) -> anyhow::Result<Vec<Result<StoredPost, BadRow>>> {
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
    let mut out = Vec::new();
    for row in rows {
        let (id, team, channel, thread_ts, json, attempts) =
            row.context("cannot read the outbox")?;
        out.push(typed(id, &team, &channel, thread_ts, json, attempts));
    }
    Ok(out)
}

/// A row's columns as a [`StoredPost`], or a [`BadRow`] if its address does not parse.
pub(super) fn typed(
    id: i64,
    team: &str,
    channel: &str,
    thread_ts: Option<String>,
    json: String,
    attempts: u32,
) -> Result<StoredPost, BadRow> {
    let bad = |what: &str, value: &str| BadRow {
        id,
        why: format!("stored {what} {value:?} is not valid"),
    };
    match (TeamId::parse(team), ChannelId::parse(channel)) {
        (Some(team), Some(channel)) => Ok(StoredPost {
            id,
            team,
            channel,
            thread_ts: thread_ts.as_deref().and_then(MessageTs::parse),
            json,
            attempts,
        }),
        (None, _) => Err(bad("team id", team)),
        (_, None) => Err(bad("channel id", channel)),
    }
}

pub fn mark_delivered(conn: &Connection, id: i64, ts: &MessageTs, now: i64) -> anyhow::Result<()> {
    doing("cannot mark the post delivered", || {
        conn.prepare_cached(
            "UPDATE outbox SET delivered_at = ?2, message_ts = ?3, attempts = attempts + 1,
                               last_error = NULL
             WHERE id = ?1",
        )?
        .execute(params![id, now, ts.as_str()])?;
        Ok(())
    })
}

/// Deletes a settled row: one that must not be kept once it has gone out (see
/// `handlers::delivered`).
pub fn delete_post(conn: &Connection, id: i64) -> anyhow::Result<()> {
    doing("cannot delete the post", || {
        conn.prepare_cached("DELETE FROM outbox WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    })
}

/// Tries again at `at` after a transient failure.
pub fn reschedule(conn: &Connection, id: i64, at: i64, error: &str) -> anyhow::Result<()> {
    doing("cannot reschedule the post", || {
        conn.prepare_cached(
            "UPDATE outbox SET next_attempt_at = ?2, attempts = attempts + 1, last_error = ?3
             WHERE id = ?1",
        )?
        .execute(params![id, at, error])?;
        Ok(())
    })
}

/// Gives up on a row after a permanent failure; the row stays for the record.
pub fn mark_failed(conn: &Connection, id: i64, error: &str, now: i64) -> anyhow::Result<()> {
    doing("cannot mark the post failed", || {
        conn.prepare_cached("UPDATE outbox SET failed_at = ?2, attempts = attempts + 1, last_error = ?3 WHERE id = ?1")?
.execute(
            params![id, now, error],
        )?;
        Ok(())
    })
}

/// Puts rows that failed because the bot was not in `channel` back in the queue (the bot has
/// just been invited). Returns how many.
pub fn requeue_waiting_for_channel(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot requeue the posts waiting for the channel", || {
        conn.prepare_cached(
            "UPDATE outbox SET failed_at = NULL, next_attempt_at = ?3
             WHERE team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL
               AND failed_at IS NOT NULL AND last_error = ?4",
        )?
        .execute(params![
            team.as_str(),
            channel.as_str(),
            now,
            WAITING_FOR_CHANNEL
        ])
    })
}
