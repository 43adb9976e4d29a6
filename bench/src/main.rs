//! makers-bench: a load benchmark for the makers-bot release binary, driven from outside over
//! HTTP on 127.0.0.1.
//!
//! `cargo build --release -p makers-bot && cargo run --release -p makers-bench --
//! [--seconds N] [--bot PATH] [--only SCENARIO,...]`
//!
//! It starts a fake Slack Web API (in this process), the bot (`makers-bot serve`, a child) and
//! a "ceiling" server (this binary with `--ceiling-server ADDR SECRET DB`, another child: bare
//! hyper that only checks the signature, and on one path also commits the body to SQLite as
//! the bot would, durably and in groups), seeds and publishes 50 pitches, then runs each
//! scenario at 16 and 64 keep-alive connections (the two pitch scenarios at 1 as well) and
//! prints a markdown table with the comparisons issue 9 sets goals for. With `--socket` the
//! bot also has Socket Mode on (the bench plays Slack's socket server) and each Slack
//! scenario runs again as envelopes, right after its HTTP run, with the bot's CPU seconds per
//! run to compare the two (issue 11). Children are killed at the end.

mod ceiling;
mod ceiling_db;
mod client;
mod forms;
mod load;
mod notes;
mod payloads;
mod procs;
mod report;
mod seed;
mod signing;
mod socket;
mod socket_load;

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
const SCENARIOS: [&str; 10] = [
    "list",
    "catalogue_304",
    "pitch_form",
    "pitch",
    "pitch_similar",
    "reaction_added",
    "reaction_join",
    "update",
    "ceiling",
    "ceiling_write",
];
const PITCH_POOL: usize = 1000;
/// The row under `pitch_form`: command sent to `views.open` received, per command.
const VIEWS_OPEN_ROW: &str = "pitch_form → views.open";
const CATALOGUE: &str = "/catalogue";
const USAGE: &str =
    "usage: makers-bench [--seconds N] [--bot PATH] [--only SCENARIO,...] [--socket]";

struct Options {
    seconds: u64,
    bot: Option<PathBuf>,
    /// Scenarios to run (all when empty).
    only: Vec<String>,
    /// Also run the Slack scenarios over Socket Mode.
    socket: bool,
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
        socket: false,
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
            "--socket" => opts.socket = true,
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
    let socket = match opts.socket {
        true => Some(socket::SocketServer::start().await?),
        false => None,
    };
    if let Some(server) = &socket {
        fake.socket_mode_at(&server.url);
    }
    let bot_addr = procs::free_port()?;
    let app_token = socket.as_ref().map(|_| "xapp-1-A111-1-bench");
    let mut bot = procs::spawn_bot(
        &bot_path,
        dir.path(),
        &secret,
        &fake.url,
        bot_addr,
        app_token,
    )?;
    // With Socket Mode on, /healthz is 200 only once the socket is connected.
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
    let mut notes_extra = Vec::new();
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
            // With Socket Mode on, the HTTP run is split in two halves around the socket
            // run (A B A), so what drifts through a run (a growing database) weighs on both.
            let mut envelopes = match &socket {
                Some(_) => socket_load::envelopes(scenario, &targets.join, PITCH_POOL)?,
                None => None,
            };
            let halves = if envelopes.is_some() { 2 } else { 1 };
            let mut http = load::Outcome::default();
            let (mut http_cpu, mut target, mut socket_row) = (0.0, "bot", None);
            let mut bench_cpu = 0.0;
            for _ in 0..halves {
                run_no += 1;
                let (addr, path, content_type, source) = parts(scenario, run_no, &targets)?;
                eprintln!("running {scenario} with {conns} connections");
                let plan = Plan {
                    addr,
                    path,
                    content_type,
                    conns,
                    duration: duration / halves,
                    source,
                    secret: secret.clone(),
                };
                // The CPU of the server under load: the bot, or the ceiling.
                let server = if addr == targets.bot { &bot } else { &ceiling };
                let (cpu, own) = (server.cpu_seconds()?, procs::own_cpu_seconds()?);
                let outcome = load::run(plan).await?;
                http_cpu += server.cpu_seconds()? - cpu;
                bench_cpu += procs::own_cpu_seconds()? - own;
                (http.elapsed, http.expected) =
                    (http.elapsed + outcome.elapsed, outcome.expected.clone());
                http.merge(outcome);
                if addr != targets.bot {
                    target = "ceiling";
                }
                check(&mut bot, &mut ceiling, scenario, conns)?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                let (Some(server), Some(envelopes)) = (&socket, envelopes.take()) else {
                    continue;
                };
                run_no += 1;
                eprintln!("running {scenario} over Socket Mode with {conns} in flight");
                let cpu = bot.cpu_seconds()?;
                let plan = socket_load::SocketPlan {
                    server: server.clone(),
                    conns,
                    duration,
                    envelopes,
                    run: run_no,
                };
                let outcome = socket_load::run(plan).await?;
                let cpu = bot.cpu_seconds()? - cpu;
                socket_row = Some(Row::new(scenario, "socket", conns, outcome).with_cpu(cpu));
                check(&mut bot, &mut ceiling, scenario, conns)?;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            let sent = std::mem::take(&mut http.sent);
            let delays =
                (scenario == "pitch_form").then(|| forms::views_open_delays(&fake, &sent, &http));
            rows.push(
                Row::new(scenario, target, conns, http)
                    .with_cpu(http_cpu)
                    .with_bench_cpu(bench_cpu),
            );
            if let Some(delays) = delays {
                rows.push(Row::new(VIEWS_OPEN_ROW, "fake", conns, delays));
            }
            rows.extend(socket_row);
        }
    }
    if let Some(server) = &socket {
        notes_extra.push(format!(
            "Socket Mode: the bench plays Slack's socket server (ws:// on 127.0.0.1, which the \
             fake's apps.connections.open names); each Slack scenario runs again as envelopes (slash_commands with the command's fields as JSON \
             strings, events_api with the same event callback), C tasks with one envelope in \
             flight each, timed from sending to its ack, for N s between the two N/2 s halves \
             of its HTTP run (A B A: drift through the run, such as the growing database \
             under the pitches, weighs on both alike); the bot opened {} socket(s). \
             req per bot CPU-s: answers over the bot's user+system CPU seconds during the \
             run (/proc/<pid>/stat), so the bench's own work does not count",
            server.connections()
        ));
    }
    let end = bot.memory()?;

    let db_bytes = notes::dir_bytes(dir.path(), "bench.db");
    let mut notes = notes::notes(opts.seconds, seeded_calls, seed::answered(&fake), db_bytes);
    notes.extend(notes_extra);
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

/// An error if the bot or the ceiling has exited, with its output.
fn check(
    bot: &mut procs::Child,
    ceiling: &mut procs::Child,
    scenario: &str,
    conns: usize,
) -> Result<(), String> {
    for child in [bot, ceiling] {
        if let Some(why) = child.exited() {
            return Err(format!(
                "{why} during {scenario} x{conns}; its output:\n{}",
                child.log()
            ));
        }
    }
    Ok(())
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
        // The pitches' bodies, each written to the ceiling's database before its answer.
        "ceiling_write" => (
            to.ceiling,
            ceiling::WRITE_PATH,
            FORM,
            Source::Pool(payloads::pitches(PITCH_POOL)),
        ),
        other => return Err(format!("no scenario {other:?}")),
    })
}
