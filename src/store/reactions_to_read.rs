//! Announcements whose join reactions are to be read from Slack again: those of a channel the
//! bot was invited back to, where reactions made while it was out never reached it (Slack
//! sends reaction events only from channels the bot is in). The outbox worker reads them.

use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{ChannelId, MessageTs, TeamId};

/// An announcement whose reactions are to be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToRead {
    pub project_id: i64,
    pub team: TeamId,
    pub channel: ChannelId,
    pub ts: MessageTs,
    /// When the bot was invited back (microseconds): the latest a reaction read then can have
    /// been made.
    pub invited_us: i64,
    /// When the project was pitched (unix seconds, our clock): the earliest a reaction on its
    /// announcement can have been made.
    pub pitched_at: i64,
}

/// Moves each time a marking commits (see [`reactions_marked`]).
static MARKED: AtomicU64 = AtomicU64::new(0);

/// How many markings ([`read_reactions_again`]) this process has committed: the outbox worker
/// keeps when the next announcement is due in memory, and reads it again only when this
/// moves, rather than reading the table twice a pass (a pass per request under load). Only
/// this process marks (an invitation reaches the server), and only moving it more often
/// than needed is possible: a count shared by servers in one process (tests) costs reads.
pub fn reactions_marked() -> u64 {
    MARKED.load(Ordering::Acquire)
}

/// Marks the open announcements of `team` in `channel` (not retired: a merged project is) to
/// have their reactions read again, as of the invitation at `invited_us`, from `now` (unix
/// seconds). Only those of projects pitched since `0060_reactions_to_read.sql`: an earlier
/// one's leaves from before 0052 were not kept, and its old reactions could undo them. One already waiting keeps its earlier invitation: a reaction read then may be
/// older than a leave recorded between the two. How many are marked.
pub fn read_reactions_again(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    invited_us: i64,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot mark the announcements to read again", || {
        conn.prepare_cached(
            "INSERT INTO reactions_to_read (project_id, team_id, invited_us, read_after)
             SELECT id, team_id, ?3, ?4 FROM projects
              WHERE team_id = ?1 AND channel_id = ?2 AND announcement_ts IS NOT NULL
                AND phase != 'retired'
                AND id > (SELECT COALESCE(MAX(after_project_id), 0) FROM reactions_read_from)
             ON CONFLICT (project_id) DO NOTHING",
        )?
        .execute(params![team.as_str(), channel.as_str(), invited_us, now])
    })
    .inspect(|&n| {
        if n > 0 {
            super::log_once_committed(|| {
                MARKED.fetch_add(1, Ordering::Release);
            });
        }
    })
}

/// The next announcement due to have its reactions read at `now`, if any: `Err` with its
/// project's id if that no longer reads as one (its ids edited by hand), to be dropped.
pub fn next_reactions_to_read(
    conn: &Connection,
    now: i64,
) -> anyhow::Result<Option<Result<ToRead, i64>>> {
    type Row = (i64, String, String, Option<String>, i64, i64);
    let row: Option<Row> = doing("cannot read the announcements to read again", || {
        conn.prepare_cached(
            "SELECT r.project_id, r.team_id, p.channel_id, p.announcement_ts, r.invited_us,
                    p.created_at
               FROM reactions_to_read r JOIN projects p ON p.id = r.project_id
              WHERE r.read_after <= ?1
              ORDER BY r.read_after LIMIT 1",
        )?
        .query_row([now], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()
    })?;
    Ok(
        row.map(|(project_id, team, channel, ts, invited_us, pitched_at)| {
            Ok(ToRead {
                project_id,
                team: TeamId::parse(&team).ok_or(project_id)?,
                channel: ChannelId::parse(&channel).ok_or(project_id)?,
                ts: ts.as_deref().and_then(MessageTs::parse).ok_or(project_id)?,
                invited_us,
                pitched_at,
            })
        }),
    )
}

/// When the next announcement is due to have its reactions read (unix seconds), if any is.
pub fn next_reactions_read_at(conn: &Connection) -> anyhow::Result<Option<i64>> {
    doing("cannot read the announcements to read again", || {
        conn.prepare_cached("SELECT MIN(read_after) FROM reactions_to_read")?
            .query_row([], |r| r.get(0))
    })
}

/// Reads project `project_id`'s reactions again no sooner than `at` (unix seconds).
pub fn read_reactions_at(conn: &Connection, project_id: i64, at: i64) -> anyhow::Result<()> {
    doing("cannot put off reading the reactions", || {
        conn.prepare_cached("UPDATE reactions_to_read SET read_after = ?2 WHERE project_id = ?1")?
            .execute(params![project_id, at])
            .map(|_| ())
    })
}

/// Project `project_id`'s reactions are read (or will never be): not to be read again.
pub fn reactions_read(conn: &Connection, project_id: i64) -> anyhow::Result<()> {
    doing("cannot note the reactions read", || {
        conn.prepare_cached("DELETE FROM reactions_to_read WHERE project_id = ?1")?
            .execute([project_id])
            .map(|_| ())
    })
}

/// Drops every announcement of `team` waiting to be read (the workspace removed the app).
pub fn drop_reactions_to_read(conn: &Connection, team: &TeamId) -> anyhow::Result<usize> {
    doing("cannot drop the announcements to read again", || {
        conn.prepare_cached("DELETE FROM reactions_to_read WHERE team_id = ?1")?
            .execute([team.as_str()])
    })
}
