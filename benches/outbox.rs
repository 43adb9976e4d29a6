//! The outbox worker's pick of the next rows, and queueing a post, as the outbox deepens: with
//! no backlog, 1,000 and 100,000 undelivered rows (Slack down for an hour). Most of a backlog
//! is one flooded channel, the rest spread over 99 others, as when one busy project's thread
//! fills up while Slack is away. Times `store::due_heads` (one pass: the oldest row of up to
//! 20 channels, going on where the last pass stopped) and one write that queues a post (its
//! commit synced, as every request's). `cargo bench --bench outbox`. Goal (issue 12): neither
//! grows with the depth. Last, a pick beside a workspace held by a 429 with 10,000 channels
//! owed: the held workspace is passed over in one step.

use std::time::Instant;

#[path = "shared/timing.rs"]
mod timing;
use timing::report;

use makers_bot::domain::{ChannelId, TeamId};
use makers_bot::store::{Busy, Lane, NewRow, Store, due_heads, insert_post};

const DEPTHS: [usize; 3] = [0, 1_000, 100_000];
const CHANNELS: usize = 100;
const RUNS: usize = 500;
/// The worker's batch: channels served per pass.
const BATCH: usize = 20;
const NOW: i64 = 1_700_000_000;

fn main() -> anyhow::Result<()> {
    let team = TeamId::parse("T1").expect("an id");
    let channels: Vec<ChannelId> = (0..CHANNELS)
        .map(|i| ChannelId::parse(&format!("C{i:04}")).expect("an id"))
        .collect();
    for depth in DEPTHS {
        let dir = tempfile::tempdir()?;
        let store = Store::open(&dir.path().join("bench.db"))?;
        store.write(|tx| {
            for i in 0..depth {
                // Nine rows in ten in the flooded channel C0000.
                let channel = &channels[if i % 10 == 0 { i / 10 % CHANNELS } else { 0 }];
                queue(tx, &team, channel)?;
            }
            Ok(())
        })?;

        let busy = Busy::default();
        let mut after = None;
        let mut picks = Vec::with_capacity(RUNS);
        let mut found = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let heads = store.read(|c| due_heads(c, NOW, after.as_ref(), BATCH, &busy))?;
            picks.push(t.elapsed());
            found = heads.due.len();
            after = heads.last;
        }
        // For comparison, the pick before issue 12: the 20 oldest due rows of all, which
        // SQLite finds by reading every due row (the `outbox_pending` index is by due time)
        // and sorting them by id.
        let mut oldest_due = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            store.read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id, team_id, channel_id, thread_ts, notice, attempts FROM outbox
                     WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1
                     ORDER BY id LIMIT 20",
                )?;
                let rows = stmt.query_map([NOW], |r| r.get::<_, i64>(0))?;
                Ok(rows.count())
            })?;
            oldest_due.push(t.elapsed());
        }
        let mut queues = Vec::with_capacity(RUNS);
        for i in 0..RUNS {
            let channel = &channels[i % CHANNELS];
            let t = Instant::now();
            store.write(|tx| queue(tx, &team, channel).map(|_| ()))?;
            queues.push(t.elapsed());
        }
        println!("{depth} undelivered rows:");
        report(
            &format!("  pick the next rows ({found} channels' heads)"),
            picks,
        );
        report("  the old pick, 20 oldest due rows of all", oldest_due);
        report("  queue a post (one write, synced)", queues);
    }
    held_workspace()
}

/// A workspace held by a 429 with 10,000 channels owed a post each (DMs, say), beside one of
/// 20 channels: the pick passes the held one over (one seek, not one per channel).
fn held_workspace() -> anyhow::Result<()> {
    let (held, free) = (
        TeamId::parse("T1").expect("an id"),
        TeamId::parse("T2").expect("an id"),
    );
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db"))?;
    store.write(|tx| {
        for i in 0..10_000 {
            let channel = ChannelId::parse(&format!("D{i:05}")).expect("an id");
            queue(tx, &held, &channel)?;
        }
        for i in 0..20 {
            let channel = ChannelId::parse(&format!("C{i:04}")).expect("an id");
            queue(tx, &free, &channel)?;
        }
        Ok(())
    })?;
    let busy = Busy {
        teams: std::collections::HashSet::from([held.as_str().to_string()]),
        ..Busy::default()
    };
    let mut picks = Vec::with_capacity(RUNS);
    let mut found = (0, 0);
    for _ in 0..RUNS {
        let t = Instant::now();
        let heads = store.read(|c| due_heads(c, NOW, None, BATCH, &busy))?;
        picks.push(t.elapsed());
        found = (heads.due.len(), heads.looked);
    }
    println!("a workspace held by a 429 with 10,000 channels owed, beside one of 20:");
    report(
        &format!("  pick the next rows ({} heads, {} read)", found.0, found.1),
        picks,
    );
    Ok(())
}

fn queue(tx: &rusqlite::Transaction, team: &TeamId, channel: &ChannelId) -> anyhow::Result<i64> {
    insert_post(
        tx,
        &NewRow {
            team,
            channel,
            thread_ts: None,
            lane: Lane::Posts,
            json: r#"{"kind":"reply","reply":{"kind":"help","unknown":null}}"#,
            now: NOW,
            due_at: NOW,
        },
    )
}
