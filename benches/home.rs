//! How long building one person's Home takes (the handler's reads and the view, serialised;
//! not the `views.publish` call): someone in 60 projects of a 10,000-project workspace with
//! 100,000 updates, 2,000 people in 40 councils, and skills offered and wanted.
//! `cargo bench --bench home`. Target: under 5 ms on a 2-core machine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use makers_bot::domain::{Rules, TeamId, UserId};
use makers_bot::handlers::{self, Ctx};
use makers_bot::slack::render::{self, JoinSeal, Look};
use makers_bot::store::Store;

const PROJECTS: i64 = 10_000;
const UPDATES: i64 = 100_000;
const MINE: i64 = 60;
const YEAR: i64 = 365 * 86_400;
const NOW: i64 = 1_795_424_400; // Monday 23 November 2026, 09:00 London
const PERSON: &str = "UHOME";

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db"))?;
    let started = Instant::now();
    seed(&store)?;
    println!(
        "seeded {PROJECTS} projects, {UPDATES} updates, {PERSON} in {MINE} teams in {:.1?}",
        started.elapsed()
    );
    let rules = Arc::new(Rules::default());
    let look = Look::of(
        &rules,
        "https://makers.example",
        JoinSeal::from_secret(b"bench"),
    );
    let user = UserId::parse(PERSON).unwrap();
    let channel = user.dm_channel();
    let at = DateTime::<Utc>::from_timestamp(NOW, 0).unwrap();
    let ctx = Ctx::new(TeamId::parse("T1").unwrap(), user, channel, at, rules);
    let mut times: Vec<Duration> = Vec::new();
    let mut size = (0, 0, 0);
    for _ in 0..50 {
        let t = Instant::now();
        let home = store.read(|c| handlers::home(c, &ctx))?;
        let view = render::home_view(&home, &look);
        let json = serde_json::to_string(&view)?;
        times.push(t.elapsed());
        let blocks = serde_json::to_value(&view)?["blocks"]
            .as_array()
            .map_or(0, Vec::len);
        size = (home.mine.len(), blocks, json.len());
    }
    breakdown(&store, &ctx)?;
    times.sort();
    println!(
        "build the Home of someone in {} projects ({} blocks, {} bytes): median {:.2?}, max {:.2?} over {} runs",
        size.0,
        size.1,
        size.2,
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
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
        let phases = ["discovery", "alpha", "beta", "live", "retired"];
        for n in 1..=PROJECTS {
            let created = NOW - YEAR + n * YEAR / PROJECTS;
            // Spread over the year; none of theirs retired (the Home leaves those off).
            let theirs = n % (PROJECTS / MINE) == 0 && n / (PROJECTS / MINE) <= MINE;
            let phase = if theirs { "alpha" } else { phases[(n % 5) as usize] };
            project.execute(rusqlite::params![
                n,
                format!("Project {n} with a title of a usual length"),
                phase,
                format!("U{}", n % 500),
                format!("{created}.000100"),
                created
            ])?;
            // Most teams have three or more people; one in six has one or two.
            for k in 0..(1 + n % 6) {
                let who = format!("U{}", (n + k * 37) % 2000);
                member.execute(rusqlite::params![n, who, created + k * 3600])?;
            }
            if theirs {
                member.execute(rusqlite::params![n, PERSON, created + 60])?;
            }
        }
        let mut update = tx.prepare(
            "INSERT INTO updates (project_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for i in 0..UPDATES {
            let at = NOW - YEAR + i * YEAR / UPDATES;
            let body = format!("Progress note {i}: things moved on, and here is a little more about how.");
            update.execute(rusqlite::params![1 + (i * 7919) % PROJECTS, format!("U{}", i % 500), body, at])?;
        }
        tx.execute_batch(
            "UPDATE projects SET last_activity_at = MAX(last_activity_at,
                 COALESCE((SELECT MAX(created_at) FROM updates u WHERE u.project_id = projects.id), 0));
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
             INSERT INTO councils (id, team_id, match_key, name, created_at)
                 SELECT i, 'T1', 'council' || i, 'Council ' || i || ' Borough Council', 0 FROM n;
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
             INSERT INTO people (team_id, user_id, council_id, updated_at)
                 SELECT 'T1', 'U' || i, 1 + i % 40, 0 FROM n WHERE i % 4 != 3;
             INSERT INTO people (team_id, user_id, council_id, updated_at)
                 VALUES ('T1', 'UHOME', 7, 0);
             UPDATE projects SET pitcher_council_id =
                 (SELECT council_id FROM people pe WHERE pe.team_id = 'T1' AND pe.user_id = pitcher);
             INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
                 SELECT p.id, 1 + p.number % 40, '', 'U1', p.created_at, p.created_at
                 FROM projects p WHERE p.number % 5 = 0;
             INSERT INTO person_skills (team_id, user_id, skill, position)
                 VALUES ('T1', 'UHOME', 'designer', 0), ('T1', 'UHOME', 'data', 1);
             INSERT INTO project_skills (project_id, skill, position)
                 SELECT id, CASE number % 3 WHEN 0 THEN 'developer' WHEN 1 THEN 'designer'
                                            ELSE 'data' END, 0
                 FROM projects WHERE number % 7 = 0;",
        )?;
        Ok(())
    })
}

/// One read of the Home, returning a count to keep it from being optimised away.
type Read<'a> = dyn Fn(&rusqlite::Connection) -> anyhow::Result<usize> + 'a;

/// Each read of the Home on its own (median of 20), to see where the time goes.
fn breakdown(store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
    use makers_bot::store as s;
    let q = ctx.rules.quiet_since(ctx.now());
    let (t, u) = (&ctx.team, &ctx.user);
    // One council's own query counts as the whole list (`/makers councils`) does.
    let all = store.read(s::give_and_take)?;
    for id in 1..=40 {
        let one = store.read(|c| s::council_give_and_take(c, id))?;
        let listed = one
            .as_ref()
            .and_then(|o| all.iter().find(|a| a.council == o.council));
        assert_eq!(one.as_ref(), listed, "council {id}");
    }
    let parts: [(&str, &Read); 6] = [
        ("their projects", &|c| {
            Ok(s::home_projects(c, t, u, q)?.len())
        }),
        ("need people", &|c| {
            Ok(s::projects_needing_people(c, t, u, 3, q, 10)?.len())
        }),
        ("wanting skills", &|c| {
            Ok(s::projects_wanting_skills_of(c, t, u, q, 5)?.len())
        }),
        ("council", &|c| {
            Ok(s::council_of(c, t, u)?.map_or(0, |(id, _)| id as usize))
        }),
        ("give and take, all councils' way", &|c| {
            Ok(s::give_and_take(c)?.len())
        }),
        ("give and take, the Home's way", &|c| {
            Ok(s::council_give_and_take(c, 7)?.map_or(0, |g| g.led as usize))
        }),
    ];
    for (name, f) in parts {
        let mut times: Vec<Duration> = (0..20)
            .map(|_| {
                let at = Instant::now();
                store.read(|c| f(c)).map(|_| at.elapsed())
            })
            .collect::<anyhow::Result<_>>()?;
        times.sort();
        println!("  {name}: median {:.2?}", times[times.len() / 2]);
    }
    Ok(())
}
