//! What looking for similar projects adds to a pitch, on a big workspace: 10,000 projects with
//! realistic council titles and descriptions. Times the full-text look-up the pitch makes
//! (`store::search_projects` with the title's words, all required) and the cost of keeping the
//! index in step (inserting a project in a transaction of its own, which indexes it before
//! committing, with and without the triggers that note it for indexing).
//! `cargo bench --bench similar`. Target: under 1 ms added to a pitch at the median. Also
//! times `/makers search` with rare and with common words (its cost grows with how many
//! projects its words match, whatever it shows).
//!
//! The bot's checkpointer copies the WAL back into the database file every half second; a
//! bare `Store` has none, so the seed does the same here. (Without it the WAL of 10,000
//! transactions grew to 660 MB, and every read went through its index: look-ups of 2 to 3 ms
//! that the bot never sees.)

use std::time::{Duration, Instant};

#[path = "shared/timing.rs"]
mod timing;
use timing::report;

use makers_bot::domain::{ChannelId, Description, SearchWords, TeamId, Title, UserId};
use makers_bot::store::{NewProject, Store, insert_project, search_projects};

const SERVICES: &[&str] = &[
    "Bin collection",
    "Parking permit",
    "Council tax",
    "Library",
    "Planning application",
    "Housing repair",
    "School admission",
    "Pothole",
    "Street light",
    "Noise complaint",
    "Blue badge",
    "Garden waste",
    "Electoral register",
    "FOI request",
    "Business rates",
    "Licensing",
    "Social care",
    "Adult learning",
    "Leisure centre",
    "Missed bin",
];
const KINDS: &[&str] = &[
    "finder",
    "tracker",
    "booking",
    "renewals",
    "reporting",
    "payments",
    "checker",
    "dashboard",
    "chatbot",
    "API",
    "form",
    "portal",
];
const PLACES: &[&str] = &[
    "Surrey",
    "Kent",
    "Devon",
    "Leeds",
    "Bristol",
    "Norfolk",
    "Essex",
    "Cumbria",
    "Hackney",
    "Camden",
    "Derby",
    "York",
    "Bath",
    "Hull",
    "Wirral",
    "Sefton",
    "Dorset",
    "Wiltshire",
    "Somerset",
    "Cornwall",
    "Suffolk",
    "Durham",
    "Rutland",
    "Halton",
    "Slough",
    "Luton",
    "Medway",
    "Torbay",
    "Swindon",
    "Reading",
    "Oxford",
    "Ipswich",
    "Exeter",
    "Lincoln",
    "Preston",
    "Bolton",
    "Wigan",
    "Bury",
    "Oldham",
    "Salford",
    "Trafford",
    "Stockport",
];
const PROJECTS: usize = 10_000;

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db"))?;
    let team = TeamId::parse("T1").expect("an id");
    let started = Instant::now();
    let inserts = seed(&store, &team)?;
    println!("seeded {PROJECTS} projects in {:.1?}", started.elapsed());
    report("insert one project (indexed before commit)", inserts);

    for title in [
        "Bin collection finder",
        "Council tax payments",
        "Garden waste renewals Kent",
    ] {
        let words = SearchWords::for_similarity(title).expect("two words or more");
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..50 {
            let t = Instant::now();
            found = store
                .read(|c| search_projects(c, &team, &words, 0, 10, None))?
                .len();
            times.push(t.elapsed());
        }
        report(&format!("similar to {title:?} ({found} found)"), times);
    }

    // `/makers search`: any word, each a prefix, the best ten. Common words take the
    // longest (every match is ranked); two-letter ones are matched whole since this stop.
    for typed in [
        "bin finder",
        "co re pr de st wh wi ha ma pa fo th",
        "council service online",
    ] {
        let words = SearchWords::parse(typed).expect("words to search");
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..20 {
            let t = Instant::now();
            found = store
                .read(|c| search_projects(c, &team, &words, 0, 10, None))?
                .len();
            times.push(t.elapsed());
        }
        report(&format!("search {typed:?} ({found} shown)"), times);
    }

    store.write(|tx| {
        tx.execute_batch(
            // New rows note themselves (migration 0023): the note meets a failing CHECK.
            "DROP TABLE search_pending;
             CREATE TABLE search_pending (project_id INTEGER PRIMARY KEY, fresh INTEGER, CHECK (0));
             DROP TRIGGER search_on_edit; DROP TRIGGER update_search_on_edit;",
        )?;
        Ok(())
    })?;
    let mut without = Vec::new();
    for i in 0..200 {
        without.push(insert(&store, &team, PROJECTS + i)?);
    }
    report(
        "insert one project (no search triggers, for comparison)",
        without,
    );
    Ok(())
}

fn seed(store: &Store, team: &TeamId) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(PROJECTS);
    let mut checkpointed = Instant::now();
    for i in 0..PROJECTS {
        times.push(insert(store, team, i)?);
        if checkpointed.elapsed() >= CHECKPOINT_EVERY {
            checkpoint(store)?;
            checkpointed = Instant::now();
        }
    }
    checkpoint(store)?;
    Ok(times)
}

/// How often the bot's checkpointer runs (`store::async_store`).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Copies the WAL back as the bot's checkpointer does, between writes (untimed: the bot's runs
/// on a thread of its own).
fn checkpoint(store: &Store) -> anyhow::Result<()> {
    anyhow::ensure!(store.clear_log_now()?, "the checkpoint was kept waiting");
    Ok(())
}

/// Inserts project `i` in a transaction of its own, as a pitch does; returns how long it took.
fn insert(store: &Store, team: &TeamId, i: usize) -> anyhow::Result<Duration> {
    let service = SERVICES[i % SERVICES.len()];
    let kind = KINDS[(i / SERVICES.len()) % KINDS.len()];
    let place = PLACES[(i / (SERVICES.len() * KINDS.len())) % PLACES.len()];
    let invalid = |e| anyhow::anyhow!("bench data refused: {e:?}");
    let title = Title::parse(&format!("{service} {kind} for {place}")).map_err(invalid)?;
    let description = Description::parse(&format!(
        "A {} {kind} that residents of {place} use to get {} done online, built once and shared.",
        service.to_lowercase(),
        service.to_lowercase()
    ))
    .map_err(invalid)?;
    let (pitcher, channel) = (
        UserId::parse("U1").expect("an id"),
        ChannelId::parse("C1").expect("an id"),
    );
    let t = Instant::now();
    store.write(|tx| {
        let new = NewProject {
            team,
            title: &title,
            description: &description,
            pitcher: &pitcher,
            channel: &channel,
            pitcher_council: None,
            now: 1_700_000_000,
        };
        insert_project(tx, &new)?;
        Ok(())
    })?;
    Ok(t.elapsed())
}
