//! The floor under issue 12's item 7: what the bot's own store spends on one write, with no
//! HTTP in front of it. 64 tasks (the load bench's 64 connections) each make writes one after
//! another through the bot's `AsyncStore` (its writer thread, group commit of up to 64, the
//! WAL synced at each commit), on a fresh database per kind, two runtime threads as the bot
//! has:
//! - `ceiling row`: the write ceiling's work (`bench/src/ceiling_db.rs`): one request's body
//!   inserted in an unindexed table;
//! - `pitch`, `update`, `join`: what a slash command's write runs in the writer
//!   (`handlers::run_command` on the parsed command, as `slack::dispatch` does), the load
//!   bench's bodies (`pitch Load N | desc`; `update N Progress K` by the pitcher of one of
//!   50 projects; `join N` by someone new each time).
//!
//! Prints, per kind, writes a second and the process's CPU per write (user + system, all
//! threads, from `/proc/self/stat`), and that CPU against the ceiling row's. The load bench
//! adds what HTTP costs (its `ceiling_write` row's server CPU per answer); a server that did
//! a pitch's writes behind the ceiling's bare HTTP would spend at least the ceiling's CPU
//! plus the difference printed here. `cargo bench --bench write_floor`; with
//! `FLOOR_ONLY=pitch,update` (names as printed) the ceiling row and those kinds alone.

use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use makers_bot::commands;
use makers_bot::domain::{ChannelId, Rules, TeamId, UserId, WriteBudget};
use makers_bot::handlers::{self, Ctx};
use makers_bot::store::{AsyncStore, Store};

/// Tasks writing at once (the load bench's connection count).
const TASKS: usize = 64;
/// Writes per task, per kind.
const PER_TASK: usize = 400;
/// Times each kind runs.
const ROUNDS: usize = 3;
/// Projects the updates and joins go to.
const PROJECTS: usize = 50;
/// A request's body as the ceiling stores it: a signed slash command is about this long.
const BODY_BYTES: usize = 600;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    CeilingRow,
    Pitch,
    /// A pitch on a schema with a part taken out (`sql` run first), to see what that part
    /// costs: a measurement only, never what the bot runs.
    PitchVariant {
        part: &'static str,
        sql: &'static str,
    },
    Update,
    Join,
}

/// The search index: a new project's note for it is ignored (`INSERT OR IGNORE` meets a
/// failing CHECK), so nothing is indexed at commit.
const NO_SEARCH: &str = "DROP TABLE search_pending;
     CREATE TABLE search_pending (project_id INTEGER PRIMARY KEY, fresh INTEGER, CHECK (0))";
/// The indexes that are neither unique nor partial on a pitch's rows' NULLs: what digests,
/// nudges, `list mine` and the outbox's walk read by.
const NO_SECONDARY: &str = "DROP INDEX projects_by_activity; DROP INDEX projects_by_creation;
     DROP INDEX members_by_time; DROP INDEX members_by_user;
     DROP INDEX outbox_pending; DROP INDEX outbox_heads; DROP INDEX outbox_by_channel";
/// Both of the above.
const NO_EITHER: &str = "DROP TABLE search_pending;
     CREATE TABLE search_pending (project_id INTEGER PRIMARY KEY, fresh INTEGER, CHECK (0));
     DROP INDEX projects_by_activity; DROP INDEX projects_by_creation;
     DROP INDEX members_by_time; DROP INDEX members_by_user;
     DROP INDEX outbox_pending; DROP INDEX outbox_heads; DROP INDEX outbox_by_channel";

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::CeilingRow => "ceiling row",
            Kind::Pitch => "pitch",
            Kind::PitchVariant { part, .. } => part,
            Kind::Update => "update",
            Kind::Join => "join (by command)",
        }
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // Each kind runs ROUNDS times, the kinds taking turns, so a slower spell of a shared
    // machine weighs on all alike; the median is printed with the lowest and highest.
    let without = |part, sql| Kind::PitchVariant { part, sql };
    let kinds = [
        Kind::CeilingRow,
        Kind::Pitch,
        without("pitch without the search index", NO_SEARCH),
        without("pitch without secondary indexes", NO_SECONDARY),
        without("pitch without either", NO_EITHER),
        Kind::Update,
        Kind::Join,
    ];
    // `FLOOR_ONLY=pitch,update` runs the ceiling row and the kinds so named alone.
    let only = std::env::var("FLOOR_ONLY").ok();
    let kinds: Vec<Kind> = kinds
        .into_iter()
        .filter(|k| {
            *k == Kind::CeilingRow
                || only
                    .as_deref()
                    .is_none_or(|o| o.split(',').any(|name| k.name() == name))
        })
        .collect();
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); kinds.len()];
    for _ in 0..ROUNDS {
        for (k, kind) in kinds.iter().enumerate() {
            let (_, per_s, us) = runtime.block_on(run(*kind))?;
            runs[k].push((per_s, us));
        }
    }
    println!(
        "| write ({} writes, {ROUNDS} rounds) | writes/s | CPU µs per write (lowest–highest) | CPU against the ceiling row |",
        TASKS * PER_TASK
    );
    println!("|---|--:|--:|--:|");
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    let ceiling_us = median(runs[0].iter().map(|r| r.1).collect()).0;
    for (kind, runs) in kinds.iter().zip(runs) {
        let (per_s, _, _) = median(runs.iter().map(|r| r.0).collect());
        let (us, low, high) = median(runs.iter().map(|r| r.1).collect());
        println!(
            "| {} | {per_s:.0} | {us:.1} ({low:.1}–{high:.1}) | {:.2} |",
            kind.name(),
            us / ceiling_us
        );
    }
    Ok(())
}

/// Runs one kind on a fresh database: (writes, writes a second, CPU µs per write).
async fn run(kind: Kind) -> anyhow::Result<(usize, f64, f64)> {
    let dir = tempfile::tempdir()?;
    let db = AsyncStore::new(Store::open(&dir.path().join("floor.db"))?);
    let rules = Arc::new(Rules {
        // No per-person limit: a few people make every write here.
        budget: WriteBudget::per_minute(0),
        ..Rules::default()
    });
    let team = TeamId::parse("T0BENCH").expect("an id");
    let channel = ChannelId::parse("C0BENCH").expect("an id");
    let pitcher = |p: usize| UserId::parse(&format!("U0P{p:04}")).expect("an id");
    let ctx = {
        let (rules, team, channel) = (rules.clone(), team.clone(), channel.clone());
        move |user: UserId| {
            let now = Utc
                .timestamp_opt(1_700_000_000, 0)
                .single()
                .expect("a time");
            Ctx::new(team.clone(), user, channel.clone(), now, rules.clone())
        }
    };
    let taken_out = match kind {
        Kind::PitchVariant { sql, .. } => sql,
        _ => "",
    };
    db.write(move |tx| {
        tx.execute_batch(
            "CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body BLOB NOT NULL)",
        )?;
        tx.execute_batch(taken_out)?;
        Ok(())
    })
    .await?;
    if matches!(kind, Kind::Update | Kind::Join) {
        for p in 0..PROJECTS {
            let command = parse(&format!("pitch Bench project {p} | seeded"))?;
            let ctx = ctx(pitcher(p));
            db.write(move |tx| handlers::run_command(tx, &ctx, command.clone()))
                .await?;
        }
    }

    let cpu = cpu_seconds()?;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(TASKS);
    for t in 0..TASKS {
        let (db, ctx) = (db.clone(), ctx.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..PER_TASK {
                let n = t * PER_TASK + i;
                if kind == Kind::CeilingRow {
                    let body = vec![b'x'; BODY_BYTES];
                    db.write(move |tx| {
                        tx.prepare_cached(
                            "INSERT INTO bench_rows (at, body) VALUES (unixepoch('subsec') * 1000, ?1)",
                        )?
                        .execute([&body])?;
                        Ok(())
                    })
                    .await?;
                    continue;
                }
                let (text, user) = match kind {
                    Kind::Pitch | Kind::PitchVariant { .. } => {
                        (format!("pitch Load {n} | desc"), pitcher(n % PROJECTS))
                    }
                    Kind::Update => (
                        format!("update {} Progress {n}", n % PROJECTS + 1),
                        pitcher(n % PROJECTS),
                    ),
                    _ => (
                        format!("join {}", n % PROJECTS + 1),
                        UserId::parse(&format!("U0J{n:06}")).expect("an id"),
                    ),
                };
                let command = parse(&text)?;
                let ctx = ctx(user);
                db.write(move |tx| handlers::run_command(tx, &ctx, command.clone()))
                    .await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let (elapsed, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds()? - cpu);
    let writes = TASKS * PER_TASK;
    // Every write made what it should (a refusal is an answer too, and would count).
    let (table, seeded) = match kind {
        Kind::CeilingRow => ("bench_rows", 0),
        Kind::Pitch | Kind::PitchVariant { .. } => ("projects", 0),
        Kind::Update => ("updates", 0),
        Kind::Join => ("members", PROJECTS),
    };
    let made: i64 = db
        .read(move |c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?))
        .await?;
    anyhow::ensure!(
        made as usize == writes + seeded,
        "{}: {made} rows in {table}, {} expected",
        kind.name(),
        writes + seeded
    );
    Ok((writes, writes as f64 / elapsed, cpu * 1e6 / writes as f64))
}

fn parse(text: &str) -> anyhow::Result<commands::Command> {
    commands::parse(text).map_err(|e| anyhow::anyhow!("{text}: {e:?}"))
}

/// CPU time (user and system, all threads) this process has used, in seconds: fields 14 and
/// 15 of `/proc/self/stat`, in clock ticks of 1/100 s (Linux's USER_HZ).
fn cpu_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| -> anyhow::Result<u64> {
        Ok(fields
            .get(i)
            .ok_or_else(|| anyhow::anyhow!("no field {}", i + 3))?
            .parse()?)
    };
    Ok((ticks(11)? + ticks(12)?) as f64 / 100.0)
}
