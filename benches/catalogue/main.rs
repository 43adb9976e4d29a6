//! How long the public catalogue takes to render afresh (a cache miss: the store read, the
//! HTML, JSON or CSV, and the ETag's hash) on a big catalogue: 10,000 published projects and
//! 100,000 updates, with councils, team members, re-uses, links and phase histories. Also, on
//! the same database, the look for similar projects a pitch makes, for realistic titles.
//! `cargo bench --bench catalogue`. Targets (issue 9): the HTML page, the JSON and the CSV each
//! under 50 ms; the similar-project look-up under 1 ms at the median. (A 304 costs a cache
//! look-up; the load bench, in `bench/`, measures it against `/makers list`.)

mod seed;

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::StatusCode;
use makers_bot::domain::{SearchWords, TeamId};
use makers_bot::handlers;
use makers_bot::store::{AsyncStore, Elsewhere, Store, published_elsewhere, search_projects};
use makers_bot::web::{Catalogue, CataloguePath};
use seed::{PROJECTS, Rng, UPDATES};

const RUNS: usize = 30;
const RENDER_TARGET: Duration = Duration::from_millis(50);
const SIMILAR_TARGET: Duration = Duration::from_millis(1);
/// Titles the similar-project look-up is timed with.
const TITLES: usize = 200;

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db"))?;
    let started = Instant::now();
    let page_slug = store.write(seed::seed)?;
    println!(
        "seeded {PROJECTS} published projects, {UPDATES} updates in {:.1?}",
        started.elapsed()
    );
    let db = AsyncStore::new(store);
    let catalogue = Catalogue::new(
        db.clone(),
        chrono_tz::Europe::London,
        "https://makers.example.gov.uk",
        Default::default(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let mut met = true;
    let whole = [
        ("GET /catalogue (HTML)", CataloguePath::Page, None),
        ("GET /catalogue.json", CataloguePath::Json, None),
        ("GET /catalogue.csv", CataloguePath::Csv, None),
    ];
    // Cold: the first request after a write reads the published projects afresh. Warm: the
    // next ones (other formats, other filters) pick from the snapshot that read left.
    for cold in [true, false] {
        for (what, path, query) in whole.clone() {
            let what = format!("{what}, {}", if cold { "cold" } else { "warm" });
            let times = time_render(&runtime, &catalogue, &what, path, query, cold)?;
            met &= median(&times) < RENDER_TARGET;
        }
    }
    // The feed, from the snapshot the others left (its 50 newest of every service).
    time_render(
        &runtime,
        &catalogue,
        "GET /catalogue.atom, warm",
        CataloguePath::Atom,
        None,
        false,
    )?;
    time_render(
        &runtime,
        &catalogue,
        "GET /catalogue?q=bin, warm",
        CataloguePath::Page,
        Some("q=bin"),
        false,
    )?;
    let page = format!("GET /catalogue/{page_slug}");
    time_render(
        &runtime,
        &catalogue,
        &page,
        CataloguePath::Project(Some(page_slug)),
        None,
        true,
    )?;
    // The store's share of the page: every published project with its councils, re-users
    // and links, sorted, public_text applied (what HTML, JSON and CSV all start from).
    // Read as the web edge reads it: the two parts at once on two read connections.
    let (times, n) = time(&runtime, || async {
        let (entries, councils) = tokio::join!(
            db.read(handlers::published_entries),
            db.read(handlers::published_member_councils)
        );
        Ok(handlers::published_from(entries?, councils?).entries.len())
    })?;
    report(
        "the store read the three start from (two parts at once, handlers::published_from)",
        &times,
        &format!(", {n} projects"),
    );
    println!(
        "target (HTML, JSON and CSV each under {RENDER_TARGET:?} at the median, cold and warm): {}",
        verdict(met)
    );

    let here = TeamId::parse("T1").ok_or_else(|| anyhow::anyhow!("team id"))?;
    let (times, found) = similar(
        &db,
        &runtime,
        move |c, w| Ok(search_projects(c, &here, w, 0, 10, None)?.len()),
        Made::Pitch,
    )?;
    report(
        &format!("similar-project look-up at pitch, {TITLES} titles"),
        &times,
        &format!(", {found} found in all (at most 10 each)"),
    );
    println!(
        "target (the look-up under {SIMILAR_TARGET:?} at the median): {}",
        verdict(median(&times) < SIMILAR_TARGET)
    );
    // The same titles asked from another workspace, for which every seeded service is
    // another's: what a pitch there adds to name those in the catalogue (`with_similar`),
    // and a search there (any phase, one more than it lists).
    for (what, which, limit, made) in [
        ("at pitch", Elsewhere::Open, 2, Made::Pitch),
        ("by search", Elsewhere::Any, 4, Made::Search),
    ] {
        let there = TeamId::parse("T2").ok_or_else(|| anyhow::anyhow!("team id"))?;
        let (times, found) = similar(
            &db,
            &runtime,
            move |c, w| Ok(published_elsewhere(c, &there, w, which, limit)?.len()),
            made,
        )?;
        report(
            &format!("other workspaces' services look-up {what}, {TITLES} titles"),
            &times,
            &format!(", {found} found in all (at most {limit} each)"),
        );
    }
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// How the timed words are made from a title.
#[derive(Clone, Copy)]
enum Made {
    /// As a pitch looks for similar projects (every word, whole).
    Pitch,
    /// As `/makers search <title>` reads it (any word, as prefixes; the catalogue's look-up
    /// wants every word).
    Search,
}

/// Times a look-up a pitch adds with the title's words (`look`: as `handlers::with_similar`
/// asks), once for each of [`TITLES`] titles made as the seeded ones are (after one untimed
/// round); `look` says how many it found.
fn similar(
    db: &AsyncStore,
    runtime: &tokio::runtime::Runtime,
    look: impl Fn(&rusqlite::Connection, &SearchWords) -> anyhow::Result<usize> + Clone + Send + 'static,
    made: Made,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut rng = Rng(0x0dd_ba11);
    let words: Vec<SearchWords> = (0..TITLES)
        .filter_map(|_| {
            let title = seed::title(&mut rng);
            match made {
                Made::Pitch => SearchWords::for_similarity(&title),
                Made::Search => SearchWords::parse(&title).ok(),
            }
        })
        .collect();
    let mut times = Vec::with_capacity(words.len());
    let mut found = 0;
    for timed in [false, true] {
        let cpu = cpu_time();
        for w in &words {
            let (look, w) = (look.clone(), w.clone());
            let t = Instant::now();
            let n = runtime.block_on(db.read(move |c| look(c, &w)))?;
            if timed {
                times.push(t.elapsed());
                found += n;
            }
        }
        CPU_PER_RUN.set(cpu_time().saturating_sub(cpu) / words.len() as u32);
    }
    times.sort();
    Ok((times, found))
}

/// Times `path` rendered afresh `RUNS` times (with the snapshot of published projects read
/// afresh too, when `cold`) and prints the figures.
fn time_render(
    runtime: &tokio::runtime::Runtime,
    catalogue: &Catalogue,
    what: &str,
    path: CataloguePath,
    query: Option<&str>,
    cold: bool,
) -> anyhow::Result<Vec<Duration>> {
    let (times, size) = time(runtime, || async {
        if cold {
            catalogue.forget_snapshot();
        }
        let (status, body): (StatusCode, Bytes) =
            catalogue.render_uncached(path.clone(), query).await;
        anyhow::ensure!(status == StatusCode::OK, "{what}: {status}");
        Ok(body.len())
    })?;
    report(what, &times, &format!(", {:.0} KiB", size as f64 / 1024.0));
    Ok(times)
}

/// Runs `f` twice to warm up, then `RUNS` times, timing each; the times sorted, and what `f`
/// gave the last time.
fn time<T, F, Fut>(
    runtime: &tokio::runtime::Runtime,
    mut f: F,
) -> anyhow::Result<(Vec<Duration>, T)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let mut last = runtime.block_on(f())?;
    runtime.block_on(f())?;
    let mut times = Vec::with_capacity(RUNS);
    let cpu = cpu_time();
    for _ in 0..RUNS {
        let t = Instant::now();
        last = runtime.block_on(f())?;
        times.push(t.elapsed());
    }
    CPU_PER_RUN.set(cpu_time().saturating_sub(cpu) / RUNS as u32);
    times.sort();
    Ok((times, last))
}

thread_local! {
    /// The process's CPU time per run in the last [`time`]: steadier than the wall clock on a
    /// machine that is busy with something else.
    static CPU_PER_RUN: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

/// User and system CPU time of the whole process so far (Linux; zero elsewhere), to 10 ms.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn median(sorted: &[Duration]) -> Duration {
    sorted[sorted.len() / 2]
}

fn report(what: &str, sorted: &[Duration], extra: &str) {
    println!(
        "{what}: median {:.2?}, p90 {:.2?} over {} runs{extra} (cpu {:.1?} a run)",
        median(sorted),
        sorted[sorted.len() * 9 / 10],
        sorted.len(),
        CPU_PER_RUN.get(),
    );
}
