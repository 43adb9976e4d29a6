//! How much memory `makers-bot export --team T…` takes as the workspace grows: a big
//! workspace (3,000 projects, 50,000 people each in a team with a skill, ten threads of 5,000
//! updates and five updates on every other project, the announcements in the outbox: about
//! 65 MiB of JSON) and fractions of it, each exported by the binary as an operator runs it, a child
//! process whose output this one reads.
//! `cargo bench --bench export`. Goal: the export's peak resident memory does not grow with
//! the workspace (`serve`'s unit caps it at 256 MB on a small VM, and an export runs beside
//! it). `EXPORT_SCALES=0.125,1` picks the sizes (fractions of the big workspace; default
//! `0.125,0.25,0.5,1`); `EXPORT_BOT=/abs/path/makers-bot` measures another build, e.g. one
//! from a `git worktree` of an older commit (the database is this build's; it must accept it).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use makers_bot::store::Store;

/// The big workspace; each size is a fraction of it.
const PROJECTS: f64 = 3_000.0;
const PEOPLE: f64 = 50_000.0;
/// Threads of [`THREAD_UPDATES`] updates each; every other project has [`FEW_UPDATES`].
const LONG_THREADS: f64 = 10.0;
const THREAD_UPDATES: i64 = 5_000;
const FEW_UPDATES: i64 = 5;
const NOW: i64 = 1_795_424_400; // Monday 23 November 2026, 09:00 London

fn main() -> anyhow::Result<()> {
    let scales: Vec<f64> = std::env::var("EXPORT_SCALES")
        .unwrap_or_else(|_| "0.125,0.25,0.5,1".into())
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let bot: std::path::PathBuf = std::env::var_os("EXPORT_BOT")
        .map_or_else(|| env!("CARGO_BIN_EXE_makers-bot").into(), Into::into);
    println!("makers-bot: {}", bot.display());
    for scale in scales {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("bench.db");
        let seeded = seed(&db, scale)?;
        let export = export_peak(&bot, &db, &["export", "--team", "T1"])?;
        println!(
            "{seeded}: export --team T1 wrote {:.1} MiB of JSON in {:.1?}, peak resident {:.1} MiB, of it its own (anonymous) {:.1} MiB",
            export.bytes as f64 / 1_048_576.0,
            export.took,
            export.peak_kib as f64 / 1024.0,
            export.anon_kib as f64 / 1024.0,
        );
    }
    Ok(())
}

/// Seeds a workspace `scale` times the big one in a new database at `path`; says what it
/// holds.
fn seed(path: &Path, scale: f64) -> anyhow::Result<String> {
    let projects = (PROJECTS * scale).round() as i64;
    let people = (PEOPLE * scale).round() as i64;
    let threads = ((LONG_THREADS * scale).round() as i64).max(1);
    let store = Store::open(path)?;
    store.write(|tx| {
        tx.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
             INSERT INTO councils (id, team_id, match_key, name, created_at)
                 SELECT i, 'T1', 'council' || i, 'Council ' || i || ' Borough Council', 0 FROM n;",
        )?;
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO projects (team_id, number, title, description, phase, pitcher,
                                   pitcher_council_id, channel_id, announcement_ts, created_at,
                                   updated_at, last_activity_at)
                 SELECT 'T1', i, 'Project ' || i || ' for the borough',
                        'A description long enough to be realistic for a pitch, about ' || i,
                        'alpha', 'U' || (i % ?2), 1 + i % 40, 'C0MAKERS',
                        (?3 + i) || '.000100', ?3 + i, ?3 + i, ?3 + i FROM n",
            rusqlite::params![projects, people, NOW - 86_400 * 365],
        )?;
        // Everyone in a team, with a skill.
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
             INSERT INTO people (team_id, user_id, council_id, council_said_at,
                                 council_first_said_at, is_bot, updated_at)
                 SELECT 'T1', 'U' || i, 1 + i % 40, ?2, ?2, 0, ?2 FROM n",
            rusqlite::params![people, NOW - 86_400],
        )?;
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
             INSERT OR IGNORE INTO members (project_id, user_id, joined_at, council_id)
                 SELECT 1 + (i * 7) % ?2, 'U' || i, ?3, 1 + i % 40 FROM n",
            rusqlite::params![people, projects, NOW - 86_400],
        )?;
        tx.execute_batch(
            "INSERT OR IGNORE INTO membership_changes (project_id, user_id, changed_us)
                 SELECT project_id, user_id, joined_at * 1000000 FROM members;
             INSERT INTO person_skills (team_id, user_id, skill, position)
                 SELECT team_id, user_id, 'developer', 1 FROM people;",
        )?;
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
             INSERT INTO updates (project_id, author, body, created_at, line, line_ts)
                 SELECT CASE WHEN i < ?2 * ?3 THEN 1 + i / ?3 ELSE 1 + (i - ?2 * ?3) / ?4 END,
                        'U' || (i % ?5),
                        'Progress note ' || i || ': user research done, the next sprint starts Monday',
                        ?6 + i, 'bot', (?6 + i) || '.000200' FROM n",
            rusqlite::params![
                threads * THREAD_UPDATES + (projects - threads) * FEW_UPDATES,
                threads,
                THREAD_UPDATES,
                FEW_UPDATES,
                people,
                NOW - 86_400 * 300
            ],
        )?;
        // The announcements, posted.
        tx.execute_batch(
            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at,
                                 delivered_at, message_ts, attempts)
                 SELECT 'T1', 'C0MAKERS',
                        json_object('kind', 'announcement', 'number', number, 'title', title,
                                    'pitcher', pitcher),
                        created_at, created_at, created_at, announcement_ts, 1 FROM projects;",
        )?;
        Ok(())
    })?;
    let count = |table: &str| -> anyhow::Result<i64> {
        store.read(|c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?))
    };
    Ok(format!(
        "scale {scale}: {projects} projects, {people} people, {} members, {} updates, {} posts",
        count("members")?,
        count("updates")?,
        count("outbox")?
    ))
}

/// What one export came to.
struct Export {
    bytes: u64,
    /// The child's peak resident memory (`VmHWM`): its own, and the pages of the database
    /// file it maps (SQLite's `mmap_size`), which are the OS's page cache, shared.
    peak_kib: u64,
    /// The most of its resident memory that was its own (`RssAnon`) at any reading.
    anon_kib: u64,
    took: Duration,
}

/// Runs `bot args` on the database `db` and reads its output, 64 KiB at a time; its memory
/// is read from `/proc/<pid>/status` before each read. The child blocks once the pipe is
/// full, so each reading is where it stands (an export built whole first holds all of it at
/// its first write); what it does after the last (the end of its output, its exit) adds
/// nothing to a peak that grows with what it holds.
fn export_peak(bot: &Path, db: &Path, args: &[&str]) -> anyhow::Result<Export> {
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let mut child = Command::new(bot)
        .env_clear()
        .env("MAKERS_DB", db)
        .current_dir(dir.path())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let status = format!("/proc/{}/status", child.id());
    let mut out = child.stdout.take().expect("piped");
    let mut buf = vec![0u8; 64 * 1024];
    let (mut bytes, mut peak_kib, mut anon_kib, mut last) = (0u64, 0u64, 0u64, 0u8);
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            peak_kib = peak_kib.max(kib(&text, "VmHWM:").unwrap_or(0));
            anon_kib = anon_kib.max(kib(&text, "RssAnon:").unwrap_or(0));
        }
        let n = out.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        last = buf[n - 1];
    }
    let output = child.wait_with_output()?;
    let took = started.elapsed();
    anyhow::ensure!(
        output.status.success() && last == b'\n',
        "export failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(Export {
        bytes,
        peak_kib,
        anon_kib,
        took,
    })
}

/// The figure in KiB on the line of a `/proc/<pid>/status` `text` that starts with `field`
/// (none once the process has exited and its memory is gone).
fn kib(text: &str, field: &str) -> Option<u64> {
    let line = text.lines().find_map(|l| l.strip_prefix(field))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}
