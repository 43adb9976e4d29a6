//! How long composing one channel's digest takes on a big workspace: 10,000 projects and
//! 100,000 updates (plus joins, phase changes, 40 councils and 4,000 re-uses) over a year,
//! digest for the last week.
//! `cargo bench --bench digest`. Target: under 50 ms on a 2-core machine.

use std::time::{Duration, Instant};

use makers_bot::domain::Rules;
use makers_bot::store::{Store, Subscription};

const PROJECTS: i64 = 10_000;
const UPDATES: i64 = 100_000;
const YEAR: i64 = 365 * 86_400;
const NOW: i64 = 1_795_424_400; // Monday 23 November 2026, 09:00 London

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let path = std::env::var_os("KEEP_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or(path);
    let store = Store::open(&path)?;
    let started = Instant::now();
    seed(&store)?;
    println!(
        "seeded {PROJECTS} projects, {UPDATES} updates in {:.1?}",
        started.elapsed()
    );
    // For a before/after figure: the same run without the indexes 0004_digests.sql adds.
    if std::env::var_os("WITHOUT_DIGEST_INDEXES").is_some() {
        store.write(|tx| {
            tx.execute_batch(
                "DROP INDEX projects_by_creation; DROP INDEX updates_by_time;
                 DROP INDEX members_by_time; DROP INDEX phase_changes_by_time;",
            )?;
            Ok(())
        })?;
        println!("(without the digest indexes)");
    }

    let rules = Rules::default();
    let mut times: Vec<Duration> = Vec::new();
    let mut size = (0, 0);
    for _ in 0..30 {
        let t = Instant::now();
        let digest = store.read(|c| {
            let channel = makers_bot::domain::ChannelId::parse("C0DIGEST").unwrap();
            makers_bot::handlers::dry_run_digest(c, &channel, None, NOW, &rules)
        })?;
        times.push(t.elapsed());
        let makers_bot::handlers::DryRun::Digest(d) = digest else {
            panic!("subscribed: {digest:?}");
        };
        size = (
            d.updates.items.len() + d.updates.more as usize,
            d.headline.open_projects as usize,
        );
    }
    times.sort();
    println!(
        "compose one channel's digest (week with {} updates, {} open projects): median {:.2?}, max {:.2?} over {} runs",
        size.0,
        size.1,
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );

    // `/makers councils` reads the same data: give and take for every council.
    let mut times: Vec<Duration> = Vec::new();
    let mut councils = 0;
    for _ in 0..10 {
        let t = Instant::now();
        councils = store.read(makers_bot::store::give_and_take)?.len();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "give and take for {councils} councils (/makers councils): median {:.2?}, max {:.2?} over {} runs",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );

    // `/makers report`: a quarter's and the year's figures for the workspace, and for every
    // workspace (the operator's `makers-bot report`), on a read connection.
    let now = chrono::DateTime::from_timestamp(NOW, 0).unwrap();
    let team = makers_bot::domain::TeamId::parse("T1").unwrap();
    let here = makers_bot::store::ReportScope::Workspace(&team);
    let every = makers_bot::store::ReportScope::Every;
    // The whole report: the period's figures and the period before's, set against them.
    let of = makers_bot::message::ReportOf::ThisWorkspace;
    for (span, whose) in [("last quarter", here), ("year", here), ("year", every)] {
        let span_read = makers_bot::domain::ReportSpan::parse(span).unwrap();
        let mut times: Vec<Duration> = Vec::new();
        let (mut pitched, mut before) = (0, 0);
        for _ in 0..10 {
            let t = Instant::now();
            let report = store
                .read(|c| {
                    makers_bot::handlers::report_of(
                        c,
                        whose,
                        of.clone(),
                        span_read,
                        now,
                        rules.tz,
                        makers_bot::store::PrivateTitles::Named,
                    )
                })?
                .unwrap();
            times.push(t.elapsed());
            pitched = report.figures.happened.pitched;
            before = report.before.map_or(0, |b| b.happened.pitched);
        }
        times.sort();
        println!(
            "report of {span} ({pitched} pitched, {before} the period before), {}: median {:.2?}, max {:.2?} over {} runs",
            match whose {
                makers_bot::store::ReportScope::Workspace(_) => "one workspace",
                makers_bot::store::ReportScope::Every => "every workspace",
                makers_bot::store::ReportScope::EveryIncludingRemoved => {
                    "every workspace, removed ones too"
                }
            },
            times[times.len() / 2],
            times[times.len() - 1],
            times.len()
        );
    }

    // `/makers report last quarter for <council>`: one council's part, and what it led at the
    // quarter's end, across every workspace.
    let placed = makers_bot::domain::ReportSpan::parse("last quarter")
        .unwrap()
        .place(now, rules.tz, None)
        .unwrap();
    let mut times: Vec<Duration> = Vec::new();
    let mut pitched = 0;
    for _ in 0..10 {
        let t = Instant::now();
        pitched = store.read(|c| {
            let part = makers_bot::store::council_part(
                c,
                &team,
                1,
                "Council 1 Borough Council",
                placed.period,
            )?;
            let every = makers_bot::store::ReportScope::EveryIncludingRemoved;
            makers_bot::store::open_led_at(c, every, placed.period.to, Some(1))?;
            Ok(part.pitched.len())
        })?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "a council's part in last quarter ({pitched} of its pitches named): median {:.2?}, max {:.2?} over {} runs",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );

    // `makers-bot report --projects`: every project active in the period, a row each.
    for span in ["last quarter", "year"] {
        let placed = makers_bot::domain::ReportSpan::parse(span)
            .unwrap()
            .place(now, rules.tz, None)
            .unwrap();
        let mut times: Vec<Duration> = Vec::new();
        let mut rows = 0;
        for _ in 0..10 {
            let t = Instant::now();
            rows = store
                .read(|c| makers_bot::store::projects_in(c, here, placed.period, None))?
                .len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "projects of {span} ({rows} rows), one workspace: median {:.2?}, max {:.2?} over {} runs",
            times[times.len() / 2],
            times[times.len() - 1],
            times.len()
        );
    }

    // The day's tally after midnight (each workspace and every one together): worked out on
    // a reader (`store::tallies_due`), then recorded in a write of its own, which is all
    // the one writer is held for. Each run a day earlier, as a day is tallied once.
    let (mut read, mut held): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    let mut tallies = 0;
    for back in 0..10 {
        let end = NOW - 9 * 3600 - back * 86_400;
        let day = chrono::DateTime::from_timestamp(end - 1, 0)
            .unwrap()
            .with_timezone(&rules.tz)
            .date_naive();
        let t = Instant::now();
        let due = store.read(|c| makers_bot::store::tallies_due(c, (day, end)))?;
        read.push(t.elapsed());
        let t = Instant::now();
        tallies = store.write(|tx| makers_bot::store::record_tallies(tx, &due, end + 600))?;
        held.push(t.elapsed());
    }
    read.sort();
    held.sort();
    println!(
        "a day's tally ({tallies} tallies: each workspace, every one): worked out in {:.2?} on a read connection, the writer held {:.2?}, medians of {}",
        read[read.len() / 2],
        held[held.len() / 2],
        held.len()
    );

    // A report by mention: how long the one writer is held, answered in the transaction
    // (as before `handlers::look_ahead`) or worked out ahead on a read connection.
    let rules = std::sync::Arc::new(Rules {
        budget: makers_bot::domain::WriteBudget::per_minute(0),
        ..Rules::default()
    });
    let ctx = || {
        makers_bot::handlers::Ctx::new(
            team.clone(),
            makers_bot::domain::UserId::parse("U1").unwrap(),
            makers_bot::domain::ChannelId::parse("C0MAKERS").unwrap(),
            now,
            rules.clone(),
        )
    };
    for (which, words) in ["report last quarter", "report year"]
        .into_iter()
        .enumerate()
    {
        let (mut held, mut ahead, mut looking) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..10 {
            let mention = |n: usize| makers_bot::handlers::EventKind::Mention {
                ts: makers_bot::domain::MessageTs::parse(&format!("{NOW}.{n:06}")).unwrap(),
                thread_ts: None,
                text: format!("<@UBOT> {words}"),
                bot: makers_bot::domain::UserId::parse("UBOT"),
                edited: false,
                edit_ts: None,
                mentioned: vec![makers_bot::domain::UserId::parse("UBOT").unwrap()],
                leading: 1,
                shared: false,
            };
            // Each a message of its own: one already answered is not looked at again.
            let n = 100 * which + 2 * run;
            let (id, kind) = (format!("Ev{words}{run}"), mention(n));
            let t = Instant::now();
            store.write(|tx| {
                makers_bot::handlers::handle_event(tx, &ctx(), &id, kind.clone(), None)
            })?;
            held.push(t.elapsed());
            let (id, kind, asked) = (format!("Ev{words}{run}a"), mention(n + 1), ctx());
            let t = Instant::now();
            let looked = store.read(|c| makers_bot::handlers::look_ahead(c, &asked, &id, &kind))?;
            looking.push(t.elapsed());
            assert!(looked.is_some(), "a report is a look");
            let t = Instant::now();
            store.write(|tx| {
                makers_bot::handlers::handle_event(tx, &asked, &id, kind.clone(), looked.as_ref())
            })?;
            ahead.push(t.elapsed());
        }
        for times in [&mut held, &mut ahead, &mut looking] {
            times.sort();
        }
        println!(
            "@makers {words}: the writer held {:.2?} answered in the transaction, {:.2?} worked out ahead (the look {:.2?} on a read connection), medians of {}",
            held[held.len() / 2],
            ahead[ahead.len() / 2],
            looking[looking.len() / 2],
            held.len()
        );
    }
    Ok(())
}

fn seed(store: &Store) -> anyhow::Result<()> {
    store.write(|tx| {
        let mut project = tx.prepare(
            "INSERT INTO projects (team_id, number, title, description, phase, pitcher, channel_id,
                                   announcement_ts, created_at, updated_at, last_activity_at)
             VALUES ('T1', ?1, ?2, 'A description long enough to be realistic for a pitch.',
                     ?3, ?4, 'C0MAKERS', ?5, ?6, ?6, ?6)",
        )?;
        let mut member = tx.prepare(
            "INSERT OR IGNORE INTO members (project_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
        )?;
        let mut ended = tx.prepare(
            "INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let phases = ["discovery", "alpha", "beta", "live", "retired"];
        for n in 1..=PROJECTS {
            let created = NOW - YEAR + n * YEAR / PROJECTS;
            project.execute(rusqlite::params![
                n,
                format!("Project {n}"),
                phases[(n % 5) as usize],
                format!("U{}", n % 500),
                format!("{created}.000100"),
                created
            ])?;
            for k in 0..(n % 6) {
                member.execute(rusqlite::params![n, format!("U{}", (n + k * 37) % 2000), created + k * 3600])?;
            }
            // And one or two people in three projects of four who joined and left a month
            // on (migration 0052 keeps them), whom reports of past periods read too.
            for k in 0..(n % 4).min(2) {
                let joined = created + 7200 + k * 3600;
                ended.execute(rusqlite::params![n, format!("U{}", (n + 1000 + k * 53) % 2000), joined, joined + 30 * 86_400])?;
            }
        }
        let mut update = tx.prepare(
            "INSERT INTO updates (project_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for i in 0..UPDATES {
            let at = NOW - YEAR + i * YEAR / UPDATES;
            update.execute(rusqlite::params![1 + (i * 7919) % PROJECTS, format!("U{}", i % 500), format!("Progress note {i}: things moved on"), at])?;
        }
        seed_councils(tx)?;
        tx.execute_batch(
            "UPDATE projects SET last_activity_at = MAX(last_activity_at,
                 COALESCE((SELECT MAX(created_at) FROM updates u WHERE u.project_id = projects.id), 0));",
        )?;
        makers_bot::store::subscribe(
            tx,
            &Subscription {
                team: makers_bot::domain::TeamId::parse("T1").unwrap(),
                channel: makers_bot::domain::ChannelId::parse("C0DIGEST").unwrap(),
                when: makers_bot::domain::WeeklyTime::DEFAULT,
                last_due_at: NOW - 7 * 86_400,
                sent_until: NOW - 7 * 86_400,
            },
            Some(&makers_bot::domain::UserId::parse("U0SUBSCRIBER").unwrap()),
            NOW,
        )?;
        Ok(())
    })
}

/// 40 councils; three people in four say theirs, pitchers' councils go with their pitches, and
/// every fifth project is re-used by one to three other councils in the weeks after its pitch
/// (the give-and-take line reads these), every tenth also by one that stopped a month on;
/// every seventh is handed to another council two months on.
fn seed_councils(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
         INSERT INTO councils (id, team_id, match_key, name, created_at)
             SELECT i, 'T1', 'council' || i, 'Council ' || i || ' Borough Council', 0 FROM n;
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
         INSERT INTO people (team_id, user_id, council_id, updated_at)
             SELECT 'T1', 'U' || i, 1 + i % 40, 0 FROM n WHERE i % 4 != 3;
         UPDATE projects SET pitcher_council_id =
             (SELECT council_id FROM people pe WHERE pe.team_id = 'T1' AND pe.user_id = pitcher);
         WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
         INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
             SELECT p.id, 1 + (p.number + j * 7) % 40, '', 'U1',
                    p.created_at + j * 5 * 86400, p.created_at + j * 5 * 86400
             FROM projects p, k WHERE p.number % 5 = 0 AND j <= 1 + p.number % 3;
         -- And one ended a month on, of every other project re-used (migration 0053).
         INSERT INTO reuses_ended (project_id, council_id, said_in, created_at, ended_at)
             SELECT p.id, 1 + (p.number + 29) % 40, 'T1', p.created_at + 86400,
                    p.created_at + 31 * 86400
             FROM projects p WHERE p.number % 10 = 0;
         -- Every seventh project handed to another council two months after its pitch
         -- (migration 0055): a report reads the council that led it then.
         INSERT INTO lead_councils_ended (project_id, council_id, until_at)
             SELECT id, pitcher_council_id, created_at + 60 * 86400 FROM projects
             WHERE number % 7 = 0 AND pitcher_council_id IS NOT NULL;
         UPDATE projects SET pitcher_council_id = 1 + (pitcher_council_id + 10) % 40,
                             lead_council_at = created_at + 60 * 86400
             WHERE number % 7 = 0 AND pitcher_council_id IS NOT NULL;",
    )
}
