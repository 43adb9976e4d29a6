//! makers-bench: a load benchmark for the makers-bot release binary, driven from outside over
//! HTTP on 127.0.0.1.
//!
//! `cargo build --release -p makers-bot && cargo run --release -p makers-bench --
//! [--seconds N] [--bot PATH] [--only SCENARIO,...]`
//!
//! It starts a fake Slack Web API (in this process), the bot (`makers-bot serve`, a child) and
//! a "ceiling" server (this binary with `--ceiling-server ADDR SECRET`, another child: bare
//! hyper that only checks the signature), seeds and publishes 50 pitches, then runs each
//! scenario at 16 and 64 keep-alive connections (the two pitch scenarios at 1 as well) and
//! prints a markdown table with the comparisons issue 9 sets goals for. Children are killed
//! at the end.

mod ceiling;
mod client;
mod forms;
mod load;
mod payloads;
mod procs;
mod report;
mod seed;
mod signing;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use fake_slack::FakeSlack;
use hyper::header::HeaderValue;
use load::{Plan, Source};
use payloads::{FORM, JSON};
use report::Row;

const CONNECTIONS: [usize; 2] = [16, 64];
/// The pitches also run on one connection: a look for similar projects is a latency goal
/// (issue 9: under 1 ms more at p50), and at 16 connections queueing multiplies any cost.
const PITCH_CONNECTIONS: [usize; 3] = [1, 16, 64];
/// In this order: `catalogue_304` before any pitch (a write makes the catalogue render
/// afresh, and the pitches' announcements keep the outbox writing for a while).
/// `pitch_form` before the pitches too: it writes nothing, and its figure is a latency that
/// the pitches' announcements (the outbox at work) would only blur.
const SCENARIOS: [&str; 9] = [
    "list",
    "catalogue_304",
    "pitch_form",
    "pitch",
    "pitch_similar",
    "reaction_added",
    "reaction_join",
    "update",
    "ceiling",
];
const PITCH_POOL: usize = 1000;
/// The row under `pitch_form`: command sent to `views.open` received, per command.
const VIEWS_OPEN_ROW: &str = "pitch_form → views.open";
const CATALOGUE: &str = "/catalogue";
const USAGE: &str = "usage: makers-bench [--seconds N] [--bot PATH] [--only SCENARIO,...]";

struct Options {
    seconds: u64,
    bot: Option<PathBuf>,
    /// Scenarios to run (all when empty).
    only: Vec<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("--ceiling-server") {
        ceiling::main(&args[1..])
    } else {
        parse(&args).and_then(|opts| {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("runtime: {e}"))?;
            runtime.block_on(bench(opts))
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("makers-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        seconds: 8,
        bot: None,
        only: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--seconds" => {
                let v = value()?;
                opts.seconds = v
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or(format!("bad --seconds {v:?}"))?;
            }
            "--bot" => opts.bot = Some(PathBuf::from(value()?)),
            "--only" => {
                let v = value()?;
                opts.only = v.split(',').map(String::from).collect();
                if let Some(bad) = opts.only.iter().find(|s| !SCENARIOS.contains(&s.as_str())) {
                    return Err(format!("no scenario {bad:?}; there are {SCENARIOS:?}"));
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(opts)
}

/// The release bot next to this executable (both live in target/release).
fn default_bot() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    Ok(me.with_file_name("makers-bot"))
}

async fn bench(opts: Options) -> Result<(), String> {
    let bot_path = match opts.bot {
        Some(p) => p,
        None => default_bot()?,
    };
    if !bot_path.is_file() {
        return Err(format!(
            "no bot binary at {}: run `cargo build --release` first (or pass --bot PATH)",
            bot_path.display()
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let secret: Arc<str> = format!("bench-{:x}-{}", signing::unix_now(), std::process::id()).into();

    let fake = FakeSlack::start().await;
    let bot_addr = procs::free_port()?;
    let mut bot = procs::spawn_bot(&bot_path, dir.path(), &secret, &fake.url, bot_addr)?;
    bot.wait_http(bot_addr, "/healthz", |s| s == 200, Duration::from_secs(30))
        .await?;
    let ceiling_addr = procs::free_port()?;
    let mut ceiling = procs::spawn_ceiling(dir.path(), ceiling_addr, &secret)?;
    // Any HTTP answer will do (an unsigned GET gets 401).
    ceiling
        .wait_http(ceiling_addr, "/", |_| true, Duration::from_secs(10))
        .await?;
    eprintln!(
        "bot {} at {bot_addr}, ceiling at {ceiling_addr}, fake Slack at {}",
        bot_path.display(),
        fake.url
    );

    seed::seed(bot_addr, &secret, &fake).await?;
    let seeded_calls = seed::answered(&fake);
    let idle = bot.memory()?;

    let duration = Duration::from_secs(opts.seconds);
    let mut rows = Vec::new();
    let mut run_no = 0;
    let targets = Targets {
        bot: bot_addr,
        ceiling: ceiling_addr,
        join: seed::first_post_in(&fake, &payloads::seed_channel(0))
            .ok_or("the first seed pitch was not announced")?,
        etag: seed::catalogue_etag(bot_addr, CATALOGUE).await?,
    };
    for scenario in SCENARIOS {
        if !opts.only.is_empty() && !opts.only.iter().any(|s| s == scenario) {
            continue;
        }
        if scenario == "pitch_similar" {
            seed::check_similar(targets.bot, &secret).await?;
        }
        let connections: &[usize] = match scenario {
            "pitch" | "pitch_similar" => &PITCH_CONNECTIONS,
            _ => &CONNECTIONS,
        };
        for &conns in connections {
            run_no += 1;
            let (addr, path, content_type, source) = parts(scenario, run_no, &targets)?;
            eprintln!(
                "running {scenario} with {conns} connections for {}s",
                opts.seconds
            );
            let plan = Plan {
                addr,
                path,
                content_type,
                conns,
                duration,
                source,
                secret: secret.clone(),
            };
            let mut outcome = load::run(plan).await?;
            let target = if addr == targets.bot {
                "bot"
            } else {
                "ceiling"
            };
            let sent = std::mem::take(&mut outcome.sent);
            let delays = (scenario == "pitch_form")
                .then(|| forms::views_open_delays(&fake, &sent, &outcome));
            rows.push(Row::new(scenario, target, conns, outcome));
            if let Some(delays) = delays {
                rows.push(Row::new(VIEWS_OPEN_ROW, "fake", conns, delays));
            }
            for child in [&mut bot, &mut ceiling] {
                if let Some(why) = child.exited() {
                    return Err(format!(
                        "{why} during {scenario} x{conns}; its output:\n{}",
                        child.log()
                    ));
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    let end = bot.memory()?;

    let db_bytes = dir_bytes(dir.path(), "bench.db");
    let mut notes = notes(opts.seconds, seeded_calls, seed::answered(&fake), db_bytes);
    let log = bot.log();
    let condensed = report::condense_log(&log, 5);
    notes.push(format!(
        "bot log (RUST_LOG=warn): {} lines, {} distinct (most frequent below)",
        log.lines().count(),
        condensed.len()
    ));
    notes.extend(condensed.into_iter().map(|l| format!("bot log: {l}")));
    let title = format!(
        "makers-bench: makers-bot release binary vs bare-hyper ceiling, {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    print!(
        "{}",
        report::render(&title, &rows, &report::Memories { idle, end }, &notes)
    );
    Ok(())
}

/// How the figures were made, for the notes under the table.
fn notes(seconds: u64, seeded_calls: u64, calls: u64, db_bytes: u64) -> Vec<String> {
    vec![
        format!(
            "{seconds} s per run, at most {} requests; latency: request sent to answer read, \
             per keep-alive connection; bench, bot and ceiling share the CPUs",
            load::MAX_REQUESTS
        ),
        format!(
            "seed: {n} signed `pitch Bench project N | <service> for <place>`, one channel \
             each, then `publish N` for each once announced; `list` runs before `pitch`, so it \
             lists those {n} projects, and the catalogue page shows them",
            n = seed::SEED_PITCHES
        ),
        format!(
            "list and ceiling: one `/makers list` body signed once; pitch: a pool of \
             {PITCH_POOL} pre-signed `pitch Load N | desc` bodies, all from one channel (a \
             title too short to look for similar projects); pitch_similar: the same with \
             `pitch <service> <place> | desc` (1,000 pairs, e.g. \"Garden waste Kent\": the bot \
             looks for similar projects, finding seeded ones and earlier pitches of the pair)"
        ),
        format!(
            "catalogue_304: unsigned `GET {CATALOGUE}` with If-None-Match set to the ETag the \
             bot gave for it; runs before any pitch, so the page stays as it was (304 expected)"
        ),
        "reaction_added: the fixture with a unique event_id per request, built and signed \
         on the fly in the client task (no pre-signed pool)"
            .into(),
        format!(
            "pitch_form: `/makers pitch` with no text and a fresh trigger_id per request, \
             signed on the fly; the bot opens the form with `views.open` to the fake Slack \
             before it answers. `{VIEWS_OPEN_ROW}`: from the command sent to the fake \
             receiving the `views.open` with its trigger_id (issue 10: p99 under 100,000 µs \
             at 64 connections); its errors are commands without exactly one"
        ),
        format!(
            "fake Slack answered {seeded_calls} calls after the seed, {calls} by the end; \
             bot database (with -wal, -shm) at the end: {:.1} MiB",
            db_bytes as f64 / 1_048_576.0
        ),
    ]
}

/// Where the scenarios send their requests, and what some of them need to know.
struct Targets {
    bot: SocketAddr,
    ceiling: SocketAddr,
    /// The announcement `reaction_join` reacts to.
    join: String,
    /// The catalogue page's ETag, for `catalogue_304`.
    etag: HeaderValue,
}

/// A scenario's (address, path, content type, bodies).
fn parts(
    scenario: &str,
    run_no: u32,
    to: &Targets,
) -> Result<(SocketAddr, &'static str, &'static str, Source), String> {
    let command = |source| (to.bot, "/slack/commands", FORM, source);
    Ok(match scenario {
        "list" => command(Source::Pool(vec![payloads::list()])),
        "catalogue_304" => (
            to.bot,
            CATALOGUE,
            "",
            Source::Revalidate {
                etag: to.etag.clone(),
            },
        ),
        "pitch_form" => command(Source::UniqueTriggers { run: run_no }),
        "pitch" => command(Source::Pool(payloads::pitches(PITCH_POOL))),
        "pitch_similar" => command(Source::Pool(payloads::similar_pitches(PITCH_POOL))),
        "update" => command(Source::Pool(payloads::updates(PITCH_POOL))),
        "reaction_added" | "reaction_join" => {
            let template = if scenario == "reaction_added" {
                payloads::EventTemplate::reaction_added()?
            } else {
                payloads::EventTemplate::join(&payloads::seed_channel(0), &to.join)?
            };
            let source = Source::UniqueEvents {
                template,
                run: run_no,
            };
            (to.bot, "/slack/events", JSON, source)
        }
        "ceiling" => (
            to.ceiling,
            "/slack/commands",
            FORM,
            Source::Pool(vec![payloads::list()]),
        ),
        other => return Err(format!("no scenario {other:?}")),
    })
}

/// Total size of the files in `dir` whose names start with `prefix`.
fn dir_bytes(dir: &std::path::Path, prefix: &str) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
