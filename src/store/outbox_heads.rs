//! Which undelivered posts go next: the oldest undelivered row of each channel's lane (its
//! "head"), lane after lane and channel after channel, starting after a key the caller keeps
//! (where the last walk ended, or just before a head it passed over:
//! [`ChannelKey::just_before`]). So posts to one channel go out in the order they were queued
//! (an announcement before its thread lines, also when the announcement has to be retried),
//! one flooded channel takes one turn per pass like any other, and each step is a seek or two
//! on the `outbox_heads` index: what a walk costs does not grow with how many rows wait behind
//! the heads.
//!
//! A channel has two lanes ([`Lane`]): its posts, and corrections of its messages already in
//! Slack. A forget of someone with 2,000 posted lines queues 2,000 corrections; in the one
//! lane they went before every later post there, the channel's announcements and private
//! answers 33 minutes behind at one post a second. The pacing is the channel's, shared by
//! both lanes, so they take turns.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use super::outbox::{BadRow, Lane, StoredPost, typed};

/// A channel's lane with undelivered rows, as stored (a row whose address does not parse
/// still has one, so it takes its turn and is failed alone). Ordered by workspace, channel,
/// then lane, as the `outbox_heads` index is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChannelKey {
    team: String,
    channel: String,
    lane: i64,
}

/// The last lane a channel has ([`Lane::Corrections`]): after it comes the next channel.
const LAST_LANE: i64 = Lane::Corrections.stored();

impl ChannelKey {
    /// After every channel of `team` (channel ids are ASCII; `char::MAX` sorts after any).
    fn end_of(team: &str) -> ChannelKey {
        ChannelKey {
            team: team.to_string(),
            channel: char::MAX.to_string(),
            lane: i64::MAX,
        }
    }

    /// Just before this head's key, so that a walk starting after it begins with it. A
    /// later lane: the lane before it, in the same channel. The first: the channel's last
    /// character one less, then `char::MAX`, after all its lanes (channel ids are ASCII, so no
    /// other channel sorts between). Without a character one less (a malformed id), the id
    /// cut short: still before it, the walk then begins a little earlier.
    pub fn just_before(&self) -> ChannelKey {
        if self.lane > 0 {
            return ChannelKey {
                lane: self.lane - 1,
                ..self.clone()
            };
        }
        let mut before = self.channel.clone();
        let last = before.pop();
        if let Some(less) = last.and_then(|c| char::from_u32((c as u32).checked_sub(1)?)) {
            before.push(less);
            before.push(char::MAX);
        }
        ChannelKey {
            team: self.team.clone(),
            channel: before,
            lane: i64::MAX,
        }
    }
}

/// What one walk found.
#[derive(Debug, Default)]
pub struct Heads {
    /// Heads that are due and whose channel is not busy, in the order walked, each with its
    /// key (to start a later walk just before it).
    pub due: Vec<(ChannelKey, Result<StoredPost, BadRow>)>,
    /// The earliest time (unix seconds) at which a head seen but not yet due falls due.
    pub next_at: Option<i64>,
    /// The channel the walk ended on, for the next walk to start after (unless the worker
    /// starts it before a head it passed over).
    pub last: Option<ChannelKey>,
    /// How many heads the walk read (each one seek).
    pub looked: usize,
}

/// What may not have a post now, as stored (ids): channels posted to too recently, and
/// workspaces Slack has asked to wait (a 429: its limits are per workspace).
#[derive(Debug, Default, Clone)]
pub struct Busy {
    pub channels: HashSet<String>,
    pub teams: HashSet<String>,
}

impl Busy {
    /// Whether `key`'s channel is busy (a held workspace is passed over before this asks).
    fn holds(&self, key: &ChannelKey) -> bool {
        self.channels.contains(&key.channel)
    }
}

/// One head and when it is due.
struct Head {
    key: ChannelKey,
    due_at: i64,
    post: Result<StoredPost, BadRow>,
}

/// Walks the channels' lanes with undelivered rows, starting after `after` and wrapping round
/// once, until `want` heads are due at `now` in channels `busy` does not hold, or every lane
/// has been seen.
pub fn due_heads(
    conn: &Connection,
    now: i64,
    after: Option<&ChannelKey>,
    want: usize,
    busy: &Busy,
) -> anyhow::Result<Heads> {
    let mut heads = Heads::default();
    // From the start, one sweep sees every channel; from a channel, a second sweep from the
    // start sees those up to and including it.
    let mut wrapped = after.is_none();
    let mut cursor = after.cloned();
    while heads.due.len() < want {
        heads.looked += 1;
        let Some(head) = next_head(conn, cursor.as_ref())? else {
            if wrapped {
                break;
            }
            (wrapped, cursor) = (true, None);
            continue;
        };
        if wrapped && after.is_some_and(|start| head.key > *start) {
            break; // all the way round
        }
        cursor = Some(head.key.clone());
        if busy.teams.contains(&head.key.team) {
            // A workspace Slack asked to wait: none of its channels may post, so the walk goes
            // on from the next workspace, one seek however many channels it has waiting.
            cursor = Some(ChannelKey::end_of(&head.key.team));
            continue;
        }
        if head.due_at > now {
            heads.next_at = Some(heads.next_at.map_or(head.due_at, |t| t.min(head.due_at)));
        } else if !busy.holds(&head.key) {
            heads.due.push((head.key, head.post));
        }
    }
    heads.last = cursor;
    Ok(heads)
}

/// The oldest undelivered row of a channel's first lane after a lane. (Each of these is a
/// seek on `outbox_heads`, `(team_id, channel_id, lane, id)`; not written with row values
/// such as `(team_id, channel_id) > (?1, ?2)`: SQLite seeks that on `team_id` alone and steps
/// through every row of the team's earlier channels, 9 ms behind 100,000 rows instead of
/// 9 µs.)
const SAME_CHANNEL_LATER_LANE: &str =
    "SELECT id, team_id, channel_id, lane, thread_ts, notice, attempts, next_attempt_at
     FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL
       AND team_id = ?1 AND channel_id = ?2 AND lane > ?3
     ORDER BY lane, id LIMIT 1";
/// The same for the first lane of the team's first channel after a channel.
const SAME_TEAM_AFTER: &str =
    "SELECT id, team_id, channel_id, lane, thread_ts, notice, attempts, next_attempt_at
     FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL
       AND team_id = ?1 AND channel_id > ?2
     ORDER BY channel_id, lane, id LIMIT 1";
/// The same for the first channel of the next team after a team.
const NEXT_TEAM: &str =
    "SELECT id, team_id, channel_id, lane, thread_ts, notice, attempts, next_attempt_at
     FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND team_id > ?1
     ORDER BY team_id, channel_id, lane, id LIMIT 1";
/// The same for the first channel of all.
const FIRST_HEAD: &str =
    "SELECT id, team_id, channel_id, lane, thread_ts, notice, attempts, next_attempt_at
     FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL
     ORDER BY team_id, channel_id, lane, id LIMIT 1";

/// The head of the first lane after `after` (of the first lane of all without one), in
/// (team, channel, lane) order.
fn next_head(conn: &Connection, after: Option<&ChannelKey>) -> anyhow::Result<Option<Head>> {
    doing("cannot read the outbox", || {
        let read = |r: &rusqlite::Row<'_>| {
            let (id, team, channel): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let post = typed(id, &team, &channel, r.get(4)?, r.get(5)?, r.get(6)?);
            Ok(Head {
                key: ChannelKey {
                    team,
                    channel,
                    lane: r.get(3)?,
                },
                due_at: r.get(7)?,
                post,
            })
        };
        let Some(key) = after else {
            return conn
                .prepare_cached(FIRST_HEAD)?
                .query_row([], read)
                .optional();
        };
        if key.lane < LAST_LANE {
            let later_lane = conn
                .prepare_cached(SAME_CHANNEL_LATER_LANE)?
                .query_row(params![key.team, key.channel, key.lane], read)
                .optional()?;
            if later_lane.is_some() {
                return Ok(later_lane);
            }
        }
        let same_team = conn
            .prepare_cached(SAME_TEAM_AFTER)?
            .query_row(params![key.team, key.channel], read)
            .optional()?;
        match same_team {
            Some(head) => Ok(Some(head)),
            None => conn
                .prepare_cached(NEXT_TEAM)?
                .query_row(params![key.team], read)
                .optional(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn queue(conn: &Connection, team: &str, channel: &str, due_at: i64) -> i64 {
        queue_in(conn, team, channel, Lane::Posts, due_at)
    }

    fn queue_in(conn: &Connection, team: &str, channel: &str, lane: Lane, due_at: i64) -> i64 {
        conn.execute(
            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at, lane)
             VALUES (?1, ?2, '{}', ?3, 0, ?4)",
            params![team, channel, due_at, lane.stored()],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn ids(heads: &Heads) -> Vec<i64> {
        let id = |(_, p): &(ChannelKey, Result<StoredPost, BadRow>)| {
            p.as_ref().map_or_else(|b| b.id, |p| p.id)
        };
        heads.due.iter().map(id).collect()
    }

    fn key(team: &str, channel: &str, lane: Lane) -> ChannelKey {
        ChannelKey {
            team: team.into(),
            channel: channel.into(),
            lane: lane.stored(),
        }
    }

    fn with_store(f: impl FnOnce(&Connection)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .write(|tx| {
                f(tx);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn each_channel_gives_its_oldest_row_in_turn_and_a_flood_takes_one_turn() {
        with_store(|c| {
            let flood: Vec<i64> = (0..50).map(|_| queue(c, "T1", "CFLOOD", 0)).collect();
            let quiet = queue(c, "T1", "CQUIET", 0);
            let other_team = queue(c, "T2", "CFLOOD", 0);
            let none = Busy::default();
            let first = due_heads(c, 10, None, 20, &none).unwrap();
            assert_eq!(ids(&first), [flood[0], quiet, other_team]);
            assert_eq!(first.next_at, None);

            // Two at a time, the walk goes on where it stopped and wraps round.
            let a = due_heads(c, 10, None, 2, &none).unwrap();
            assert_eq!(ids(&a), [flood[0], quiet]);
            let b = due_heads(c, 10, a.last.as_ref(), 2, &none).unwrap();
            assert_eq!(ids(&b), [other_team, flood[0]]);
        });
    }

    /// A walk from just before a channel begins with it, and goes all the way round once.
    #[test]
    fn a_walk_from_just_before_a_channel_begins_with_it() {
        with_store(|c| {
            let a = queue(c, "T0A", "C0SHARED", 0);
            let b = queue(c, "T0B", "C0SHARED", 0);
            let near = queue(c, "T0B", "C0SHARE", 0);
            let after = queue(c, "T0B", "C0SHAREDX", 0);
            let from = key("T0B", "C0SHARED", Lane::Posts).just_before();
            let heads = due_heads(c, 10, Some(&from), 20, &Busy::default()).unwrap();
            assert_eq!(ids(&heads), [b, after, a, near]);
        });
    }

    #[test]
    fn a_head_not_yet_due_holds_its_channel_and_says_when() {
        with_store(|c| {
            let retrying = queue(c, "T1", "C1", 500);
            queue(c, "T1", "C1", 0); // behind it: waits, in order
            let ready = queue(c, "T1", "C2", 0);
            let heads = due_heads(c, 10, None, 20, &Busy::default()).unwrap();
            assert_eq!(ids(&heads), [ready]);
            assert_eq!(heads.next_at, Some(500));
            let later = due_heads(c, 500, None, 20, &Busy::default()).unwrap();
            assert_eq!(ids(&later), [retrying, ready]);
        });
    }

    #[test]
    fn busy_channels_are_passed_over_and_delivered_rows_are_not_heads() {
        with_store(|c| {
            let first = queue(c, "T1", "C1", 0);
            let second = queue(c, "T1", "C1", 0);
            let other = queue(c, "T1", "C2", 0);
            let busy = Busy {
                channels: HashSet::from(["C1".to_string()]),
                ..Busy::default()
            };
            assert_eq!(ids(&due_heads(c, 10, None, 20, &busy).unwrap()), [other]);
            c.execute("UPDATE outbox SET delivered_at = 1 WHERE id = ?1", [first])
                .unwrap();
            c.execute("UPDATE outbox SET failed_at = 1 WHERE id = ?1", [other])
                .unwrap();
            let heads = due_heads(c, 10, None, 20, &Busy::default()).unwrap();
            assert_eq!(ids(&heads), [second]);
        });
    }

    #[test]
    fn a_held_workspace_is_passed_over_and_the_others_are_not() {
        with_store(|c| {
            queue(c, "T1", "C1", 0);
            queue(c, "T1", "C2", 0);
            let free = queue(c, "T2", "C3", 0);
            let busy = Busy {
                teams: HashSet::from(["T1".to_string()]),
                ..Busy::default()
            };
            assert_eq!(ids(&due_heads(c, 10, None, 20, &busy).unwrap()), [free]);
        });
    }

    /// A held workspace's channels are passed over in one step, however many have rows
    /// waiting (a 429 in a workspace with 500 DMs owed read every one of them, each pass).
    #[test]
    fn a_held_workspace_is_passed_over_in_one_step() {
        with_store(|c| {
            for i in 0..500 {
                queue(c, "T1", &format!("D{i:04}"), 0);
            }
            let free = queue(c, "T2", "C3", 0);
            let busy = Busy {
                teams: HashSet::from(["T1".to_string()]),
                ..Busy::default()
            };
            let heads = due_heads(c, 10, None, 20, &busy).unwrap();
            assert_eq!(ids(&heads), [free]);
            assert!(heads.looked <= 3, "{} heads read", heads.looked);
        });
    }

    #[test]
    fn a_row_with_a_bad_address_takes_its_turn_as_a_bad_row() {
        with_store(|c| {
            let bad = queue(c, "T1", "not a channel", 0);
            let heads = due_heads(c, 10, None, 20, &Busy::default()).unwrap();
            assert!(matches!(&heads.due[..], [(_, Err(BadRow { id, .. }))] if *id == bad));
        });
    }

    /// A channel's corrections of messages already posted wait in a lane of their own: its
    /// posts queued after a flood of them do not wait behind it, each lane keeps its order,
    /// and a walk from just before either lane begins with it.
    #[test]
    fn corrections_wait_in_their_own_lane_of_the_channel() {
        with_store(|c| {
            let corrections: Vec<i64> = (0..50)
                .map(|_| queue_in(c, "T1", "C1", Lane::Corrections, 0))
                .collect();
            let posts = [queue(c, "T1", "C1", 0), queue(c, "T1", "C1", 0)];
            let other = queue(c, "T1", "C2", 0);
            let none = Busy::default();
            let heads = due_heads(c, 10, None, 20, &none).unwrap();
            assert_eq!(ids(&heads), [posts[0], corrections[0], other]);

            let before_corrections = key("T1", "C1", Lane::Corrections).just_before();
            let heads = due_heads(c, 10, Some(&before_corrections), 20, &none).unwrap();
            assert_eq!(ids(&heads), [corrections[0], other, posts[0]]);
            let before_posts = key("T1", "C1", Lane::Posts).just_before();
            let heads = due_heads(c, 10, Some(&before_posts), 20, &none).unwrap();
            assert_eq!(ids(&heads), [posts[0], corrections[0], other]);

            // A busy channel holds both its lanes.
            let busy = Busy {
                channels: HashSet::from(["C1".to_string()]),
                ..Busy::default()
            };
            assert_eq!(ids(&due_heads(c, 10, None, 20, &busy).unwrap()), [other]);
        });
    }

    /// Each step is a seek on the index: what it reads does not grow with the rows waiting
    /// behind a channel's head (SQLite's count of virtual machine steps, with 1 and with
    /// 2,000 rows queued in the channel before the one sought).
    #[test]
    fn each_step_reads_the_same_however_many_rows_wait() {
        let steps = |rows: usize| {
            let mut counts = Vec::new();
            with_store(|c| {
                for _ in 0..rows {
                    queue(c, "T1", "C1", 0);
                }
                queue_in(c, "T1", "C1", Lane::Corrections, 0);
                queue(c, "T1", "C2", 0);
                queue(c, "T2", "C1", 0);
                for (sql, args) in [
                    (SAME_CHANNEL_LATER_LANE, &["T1", "C1", "0"][..]),
                    (SAME_TEAM_AFTER, &["T1", "C1"][..]),
                    (NEXT_TEAM, &["T1"][..]),
                    (FIRST_HEAD, &[][..]),
                ] {
                    let mut stmt = c.prepare(sql).unwrap();
                    let found = stmt
                        .query_row(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))
                        .optional()
                        .unwrap();
                    assert!(found.is_some(), "{sql}");
                    counts.push(stmt.get_status(rusqlite::StatementStatus::VmStep));
                }
            });
            counts
        };
        assert_eq!(steps(1), steps(2000));
    }
}
