//! Watch makers-bot work end to end without a Slack workspace: `cargo run --example demo`.
//!
//! The demo starts a local stand-in for Slack's Web API (the `fake-slack` crate the tests use
//! too), then the real bot (the same
//! `App` that `makers-bot serve` runs) on a loopback port with a throwaway SQLite file, and
//! plays Slack's part for each of the [`STEPS`]: it sends the bot signed requests over HTTP,
//! built from Slack's own payload samples, exactly as Slack would.
//!
//! Each step prints what was sent, the bot's HTTP answer, and what Slack would show because of
//! it. The bot posts through an outbox paced to about one message a second per channel, so after
//! each step the demo waits (at most [`SETTLE_WITHIN`]) until the outbox table in the temp
//! database has nothing left to deliver, and only then prints the Web API calls the stand-in
//! received. `RUST_LOG=info cargo run --example demo` shows the bot's own log on stderr too.

mod player;
mod requests;
mod show;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use fake_slack::{Call, FakeSlack};
use makers_bot::app::App;
use makers_bot::config::{Config, Needs};
use tokio_util::sync::CancellationToken;

use crate::player::Demo;

const SECRET: &str = "demo-signing-secret-not-a-real-one";
const TEAM: &str = "T0COUNCILS";
const BOT_USER: &str = "U0MAKERSBOT";
const CHANNEL: &str = "C0MAKERS";
const ALICE: &str = "U0ALICE";
const BOB: &str = "U0BOB";
const CAROL: &str = "U0CAROL";
const MALLORY: &str = "U0MALLORY";
/// The longest the demo waits for one step's posts. Posts to one channel are paced to one a
/// second and no step here causes more than three, so this is generous.
const SETTLE_WITHIN: Duration = Duration::from_secs(15);
/// Outbox rows the bot has yet to post (neither delivered nor given up on).
const UNDELIVERED: &str =
    "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL";

/// What someone does in Slack, as one numbered step of the demo.
#[derive(Clone, Copy)]
enum Act {
    /// Slack checks the app's Request URL (`url_verification`).
    Handshake,
    /// `user` types `/makers <text>` in #makers.
    Slash(&'static str, &'static str),
    /// `user` reacts with :raised_hand: (the bot's default join emoji) to #1's announcement.
    React(&'static str),
    /// `user` presses the Join button on #1's announcement.
    PressJoin(&'static str),
    /// `user` writes `@makers <text>` in #1's thread.
    Mention(&'static str, &'static str),
    /// Slack delivers the previous event again, with `X-Slack-Retry-Num: 1`.
    Retry,
    /// Someone who is not Slack posts `/makers <text>` as `user`, with no signature.
    Unsigned(&'static str, &'static str),
}

#[rustfmt::skip]
const STEPS: &[(&str, Act)] = &[
    ("Slack checks the app's Request URL (the url_verification handshake)", Act::Handshake),
    ("alice asks for help", Act::Slash(ALICE, "help")),
    ("alice says which council she works for", Act::Slash(ALICE, "council Guildford BC")),
    ("bob asks which council is recorded for him (he has not said)", Act::Slash(BOB, "council")),
    ("carol says which council she works for", Act::Slash(CAROL, "council Mole Valley DC")),
    ("alice pitches a project in #makers (the bot starts out in no channel, as a new app does)",
        Act::Slash(ALICE, "pitch Bin day finder | One bin-day lookup every council can re-use")),
    ("alice pitches a project whose title tries to notify the whole channel",
        Act::Slash(ALICE, "pitch <!channel> free pizza")),
    ("bob joins #1 by reacting :raised_hand: to its announcement", Act::React(BOB)),
    ("carol joins #1 by pressing the Join button on its announcement", Act::PressJoin(CAROL)),
    ("bob writes `@makers list` in #1's thread: a command, answered in the thread",
        Act::Mention(BOB, "list")),
    ("Slack delivers that same event again, as it does when an answer is slow: the bot must not \
      answer twice", Act::Retry),
    ("bob writes a sentence to @makers in #1's thread: it is recorded as #1's status update\n   \
      (his message already is the thread post, so the bot only thanks him, privately)",
        Act::Mention(BOB, "the prototype now finds bin days for Guildford and Mole Valley")),
    ("alice moves #1 to alpha, with a note",
        Act::Slash(ALICE, "phase 1 alpha | tested with residents of two councils")),
    ("alice looks at #1: phases, team and its make-up, updates", Act::Slash(ALICE, "show 1")),
    ("alice subscribes #makers to the weekly digest", Act::Slash(ALICE, "digest")),
    ("alice previews this week's digest", Act::Slash(ALICE, "digest preview")),
    ("someone who is not Slack posts /makers pitch Totally legit, without a signature",
        Act::Unsigned(MALLORY, "pitch Totally legit")),
    ("alice lists the open projects: was the unsigned pitch recorded?", Act::Slash(ALICE, "list")),
];

fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env();
    let filter = filter.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    tokio::runtime::Runtime::new()
        .context("cannot start the tokio runtime")?
        .block_on(demo())
}

async fn demo() -> anyhow::Result<()> {
    let slack = FakeSlack::start().await;
    // As a freshly installed app, the bot is in no channel yet.
    slack.bot_in_no_channel();
    let slack_url = slack.url.clone();
    let dir = tempfile::tempdir().context("cannot create a temp directory")?;
    let db_path = dir.path().join("makers.db");
    let app = start_bot(&slack_url, &db_path).await?;
    let mut demo = Demo::new(&app, slack, &db_path)?;
    let stop = CancellationToken::new();
    let running = tokio::spawn(app.run(stop.clone()));
    println!("makers-bot is listening on {}", demo.base);
    println!("Slack's Web API is played by a stand-in on {slack_url}");
    println!("People: alice (U0ALICE), bob (U0BOB) and carol (U0CAROL), in #makers (C0MAKERS).");
    println!("Each step: what was sent to the bot, its HTTP answer, then what Slack would show.");
    for (title, act) in STEPS {
        demo.step += 1;
        println!("\n{}. {title}", demo.step);
        demo.play(*act).await?;
    }
    stop.cancel();
    match tokio::time::timeout(Duration::from_secs(10), running).await {
        Ok(Ok(_stopped)) => {}
        Ok(Err(e)) => anyhow::bail!("the bot's task failed: {e}"),
        Err(_) => anyhow::bail!("the bot did not stop within 10 s"),
    }
    let calls = demo.fake.all_calls();
    let is_post = |c: &&Call| c.method.starts_with("chat.post") && c.ts().is_some();
    let posted: Vec<_> = calls.iter().filter(is_post).collect();
    let private = posted.iter().filter(|c| c.method == "chat.postEphemeral");
    println!(
        "\nDone: the bot stopped cleanly, having posted {} messages to Slack ({} of them private).",
        posted.len(),
        private.count()
    );
    Ok(())
}

/// Starts the real bot on a loopback port, talking to the stand-in at `slack_url`.
async fn start_bot(slack_url: &str, db_path: &Path) -> anyhow::Result<App> {
    let settings = [
        ("SLACK_SIGNING_SECRET", SECRET.to_string()),
        ("SLACK_BOT_TOKEN", "xoxb-demo-token".to_string()),
        ("SLACK_API_URL", slack_url.to_string()),
        ("MAKERS_DB", db_path.display().to_string()),
        ("MAKERS_ADDR", "127.0.0.1:0".to_string()),
    ];
    let find = |name: &str| settings.iter().find(|(k, _)| *k == name);
    let config = Config::from_lookup(Needs::Serve, |name| find(name).map(|(_, v)| v.clone()))?;
    App::build(&config).await.context("the bot did not start")
}
