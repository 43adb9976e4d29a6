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

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use fake_slack::{Call, FakeSlack};
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use makers_bot::app::App;
use makers_bot::config::{Config, Needs, Secret};
use makers_bot::slack::verify::sign;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

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

/// One of Slack's own samples, as kept for the tests in `tests/fixtures/`.
macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}

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
        Ok(Ok(())) => {}
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

/// A request to the bot, as Slack would make it.
#[derive(Clone)]
struct Delivery {
    path: &'static str,
    body: String,
    /// Signed with the app's signing secret, as only Slack can.
    signed: bool,
    /// Set when Slack delivers the same request again (`X-Slack-Retry-Num`).
    retry: Option<u32>,
    /// Who sees a private answer given in the HTTP response.
    who: &'static str,
    /// What the request carries, in a line.
    what: String,
}

fn signed(path: &'static str, body: String, who: &'static str, what: String) -> Delivery {
    let (signed, retry) = (true, None);
    Delivery {
        path,
        body,
        signed,
        retry,
        who,
        what,
    }
}

/// Plays Slack: sends requests to the bot and shows what came of them.
struct Demo {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
    fake: FakeSlack,
    /// The bot's database, opened read-only, to see when its outbox is empty.
    db: Connection,
    /// How many of the stand-in's calls are already printed.
    shown: usize,
    step: usize,
    /// The last Events API delivery, for Slack to retry.
    last_event: Option<Delivery>,
}

impl Demo {
    fn new(app: &App, fake: FakeSlack, db_path: &Path) -> anyhow::Result<Demo> {
        let db = Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .context("cannot open the bot's database to watch its outbox")?;
        db.busy_timeout(Duration::from_secs(5))?;
        let base = format!("http://{}", app.addr());
        let client = Client::builder(TokioExecutor::new()).build_http();
        let (shown, step, last_event) = (0, 0, None);
        Ok(Demo {
            base,
            client,
            fake,
            db,
            shown,
            step,
            last_event,
        })
    }

    /// Sends what `act` makes Slack send, prints the answer, waits for the posts it causes and
    /// prints them.
    async fn play(&mut self, act: Act) -> anyhow::Result<()> {
        let d = self.delivery(act)?;
        let signing = if d.signed { "signed" } else { "NOT signed" };
        let retry = d.retry.map(|n| format!(", X-Slack-Retry-Num: {n}"));
        println!(
            "   sent:   POST {} ({signing}{})",
            d.path,
            retry.unwrap_or_default()
        );
        println!("           {}", d.what);
        let (status, body) = self.post(&d).await?;
        print_answer(status, &body, d.who);
        self.settle().await?;
        if matches!(act, Act::Slash(_, text) if text.contains("<!channel>")) {
            self.explain_escaped_ping();
        }
        Ok(())
    }

    fn delivery(&mut self, act: Act) -> anyhow::Result<Delivery> {
        let id = format!("EvDEMO{:04}", self.step);
        Ok(match act {
            Act::Handshake => self.event(serde_json::from_str(fixture!("url-verification.json"))?),
            Act::Slash(user, text) => slash(user, text)?,
            Act::Unsigned(user, text) => Delivery {
                signed: false,
                ..slash(user, text)?
            },
            Act::React(user) => self.event(reaction(&id, user, &self.announcement()?)),
            Act::PressJoin(user) => press_join(user, &self.announcement()?)?,
            Act::Mention(user, text) => self.event(mention(&id, user, &self.announcement()?, text)),
            Act::Retry => {
                let last = self
                    .last_event
                    .clone()
                    .context("no event to deliver again")?;
                Delivery {
                    retry: Some(1),
                    ..last
                }
            }
        })
    }

    /// An Events API delivery of `envelope`, remembered for [`Act::Retry`].
    fn event(&mut self, envelope: Value) -> Delivery {
        // Shown as sent: the event itself (or the whole body, for the handshake).
        let what = match envelope.get("event") {
            Some(event) => format!("event_callback with event {event}"),
            None => envelope.to_string(),
        };
        let d = signed("/slack/events", envelope.to_string(), "", what);
        self.last_event = Some(d.clone());
        d
    }

    async fn post(&self, d: &Delivery) -> anyhow::Result<(StatusCode, String)> {
        let kind = match d.path {
            "/slack/events" => "application/json",
            _ => "application/x-www-form-urlencoded",
        };
        let url = format!("{}{}", self.base, d.path);
        let mut req = Request::post(url).header("content-type", kind);
        if d.signed {
            let ts = chrono::Utc::now().timestamp().to_string();
            let signature = sign(&Secret::new(SECRET), &ts, d.body.as_bytes());
            req = req.header("x-slack-signature", signature);
            req = req.header("x-slack-request-timestamp", ts);
        }
        if let Some(n) = d.retry {
            req = req.header("x-slack-retry-num", n.to_string());
            req = req.header("x-slack-retry-reason", "http_timeout");
        }
        let req = req.body(Full::new(Bytes::from(d.body.clone())))?;
        let resp = self
            .client
            .request(req)
            .await
            .context("the bot did not answer")?;
        let status = resp.status();
        let bytes = resp.into_body().collect().await?.to_bytes();
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Waits until the bot's outbox has nothing left to post (at most [`SETTLE_WITHIN`]), then
    /// prints every call the stand-in received since the step before.
    async fn settle(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + SETTLE_WITHIN;
        let undelivered = || {
            self.db
                .query_row(UNDELIVERED, [], |row| row.get::<_, i64>(0))
        };
        let mut owed = undelivered().context("cannot read the bot's outbox")?;
        while owed > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            owed = undelivered().context("cannot read the bot's outbox")?;
        }
        let calls = self.fake.all_calls();
        let new = &calls[self.shown..];
        let nothing = if new.is_empty() { " nothing new." } else { "" };
        println!("   Slack would show:{nothing}");
        new.iter().for_each(|call| print_call(call, &calls));
        self.shown = calls.len();
        if owed > 0 {
            let secs = SETTLE_WITHIN.as_secs();
            println!(
                "   ({owed} more still queued after {secs} s: they will show under a later step.)"
            );
        }
        Ok(())
    }

    /// The ts of #1's announcement: the first message posted in #makers itself.
    fn announcement(&self) -> anyhow::Result<String> {
        let top_level = |c: &&Call| {
            c.method == "chat.postMessage"
                && c.body["channel"] == CHANNEL
                && c.body["thread_ts"].is_null()
        };
        let calls = self.fake.all_calls();
        let first = calls
            .iter()
            .filter(top_level)
            .find_map(|c| c.ts().map(String::from));
        first.context("#1's announcement never reached the stand-in")
    }

    /// Shows the newest announcement's title exactly as the bot sent it, and what Slack makes
    /// of it.
    fn explain_escaped_ping(&self) {
        let calls = self.fake.all_calls();
        let posted = calls.iter().rev().filter(|c| c.ts().is_some());
        let blocks = posted.flat_map(|c| c.body["blocks"].as_array().cloned().unwrap_or_default());
        let mut texts = blocks.filter_map(|b| b["text"]["text"].as_str().map(String::from));
        let Some(raw) = texts.find(|t| t.contains("!channel")) else {
            println!("   (The announcement never reached the stand-in: nothing to check.)");
            return;
        };
        let verdict = match raw.contains("<!channel>") {
            true => "That is a real <!channel>: Slack would notify everyone in the channel!",
            false => {
                "Slack shows &lt;!channel&gt; literally, as the text \"<!channel>\": it is not \
                      a mention,\n   and it notifies nobody."
            }
        };
        println!(
            "   Note: Slack sent alice's text escaped, and the bot escapes it again on the way out."
        );
        println!("   The announcement's title, exactly as the bot sent it to Slack:\n       {raw}");
        println!("   {verdict}");
    }
}

/// Slack's slash-command sample, as `user` typing `/makers <text>` in #makers.
fn slash(user: &'static str, text: &str) -> anyhow::Result<Delivery> {
    let mut fields: Vec<(String, String)> =
        serde_urlencoded::from_str(fixture!("slash-command.form.txt"))?;
    for (k, v) in fields.iter_mut() {
        *v = match k.as_str() {
            "team_id" => TEAM.into(),
            "user_id" => user.into(),
            "channel_id" => CHANNEL.into(),
            "channel_name" => "makers".into(),
            "command" => "/makers".into(),
            "text" => slack_escape(text),
            _ => continue,
        };
    }
    let body = serde_urlencoded::to_string(&fields)?;
    let what = format!(
        "command=/makers text=\"{}\" user_id={user}",
        slack_escape(text)
    );
    Ok(signed("/slack/commands", body, user, what))
}

/// Slack escapes these three in what people type before sending it to an app.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Copies `patch` into `target`, object by object (anything else is replaced).
fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => p
            .into_iter()
            .for_each(|(k, v)| merge(t.entry(k).or_insert(Value::Null), v)),
        (t, p) => *t = p,
    }
}

/// A Slack message ts for now.
fn fresh_ts() -> String {
    let now = chrono::Utc::now();
    format!("{}.{:06}", now.timestamp(), now.timestamp_subsec_micros())
}

/// One of Slack's Events API samples with `event` patched in, delivered to our workspace's
/// install of the bot.
fn envelope(sample: &str, event_id: &str, event: Value) -> Value {
    let mut env: Value = serde_json::from_str(sample).expect("Slack's sample is JSON");
    merge(
        &mut env,
        json!({
            "team_id": TEAM, "event_id": event_id, "event_time": chrono::Utc::now().timestamp(),
            "authorizations": [{ "team_id": TEAM, "user_id": BOT_USER, "is_bot": true }],
            "event": event,
        }),
    );
    env
}

/// Slack's app_mention sample: `user` writes `@makers <text>` in the thread of `thread`.
fn mention(event_id: &str, user: &str, thread: &str, text: &str) -> Value {
    let (ts, text) = (fresh_ts(), format!("<@{BOT_USER}> {}", slack_escape(text)));
    let event = json!({ "user": user, "channel": CHANNEL, "ts": ts, "event_ts": ts,
        "thread_ts": thread, "text": text });
    envelope(fixture!("app-mention.event_callback.json"), event_id, event)
}

/// Slack's reaction_added sample: `user` reacts :raised_hand: to the bot's `message_ts`.
fn reaction(event_id: &str, user: &str, message_ts: &str) -> Value {
    let event = json!({ "user": user, "reaction": "raised_hand", "item_user": BOT_USER,
        "item": { "channel": CHANNEL, "ts": message_ts }, "event_ts": fresh_ts() });
    envelope(
        fixture!("reaction-added.event_callback.json"),
        event_id,
        event,
    )
}

/// Slack's block_actions sample: `user` presses Join (project 1) on the bot's `message_ts`.
fn press_join(user: &'static str, message_ts: &str) -> anyhow::Result<Delivery> {
    let mut p: Value = serde_json::from_str(fixture!("block-actions.payload.json"))?;
    merge(
        &mut p,
        json!({
            "user": { "id": user, "username": name(user), "name": name(user), "team_id": TEAM },
            "team": { "id": TEAM, "domain": "councils" },
            "channel": { "id": CHANNEL, "name": "makers" },
            "container": { "message_ts": message_ts, "channel_id": CHANNEL, "is_ephemeral": false },
        }),
    );
    merge(
        &mut p["actions"][0],
        json!({ "action_id": "join_project", "value": "1",
        "text": { "text": "Join" }, "action_ts": fresh_ts() }),
    );
    let body = serde_urlencoded::to_string([("payload", p.to_string())])?;
    let what = format!(
        "payload={{\"type\":\"block_actions\",…}}: {user} pressed action_id=join_project \
         value=1 on message {message_ts} in {CHANNEL}"
    );
    Ok(signed("/slack/interactions", body, user, what))
}

/// The bot's HTTP answer: status, then its reply (seen by `who` alone when ephemeral).
fn print_answer(status: StatusCode, body: &str, who: &str) {
    match serde_json::from_str::<Value>(body) {
        Ok(m) if m.get("blocks").is_some() || m.get("text").is_some() => {
            let audience = match m["response_type"].as_str() {
                Some("ephemeral") => format!("only {} sees", name(who)),
                _ => "everyone in the channel sees".to_string(),
            };
            println!("   answer: HTTP {status}; {audience}:");
            print_lines(5, &message_lines(&m));
        }
        _ if body.is_empty() => {
            println!("   answer: HTTP {status}, empty (Slack only needs to know it arrived)")
        }
        _ => println!("   answer: HTTP {status}: {body}"),
    }
}

/// Message lines drawn as a quote, `indent` spaces in.
fn print_lines(indent: usize, lines: &[String]) {
    lines.iter().for_each(|l| println!("{:indent$}│ {l}", ""));
}

/// One call the bot made to the stand-in: a post as Slack shows it, anything else as a note.
fn print_call(call: &Call, all: &[Call]) {
    let arg = |key: &str| name(call.body[key].as_str().unwrap_or("?"));
    let (user, channel) = (arg("user"), arg("channel"));
    let note = match (call.method.as_str(), call.error()) {
        ("chat.postMessage" | "chat.postEphemeral", None) => {
            println!("     {}:", where_posted(call, all));
            print_lines(7, &message_lines(&call.body));
            return;
        }
        ("users.info", None) => {
            format!("users.info: the bot asks if @{user} is a bot; no, a person")
        }
        ("conversations.join", None) => {
            format!("conversations.join: the bot joins #{channel}, a public channel")
        }
        (method, error) => {
            let answer = error.unwrap_or("ok");
            format!("{method} in #{channel}: Slack answers {answer}")
        }
    };
    println!("     (behind the scenes, {note})");
}

/// Where a post appears, and for whom: "in #makers, in the thread under …, only bob sees".
fn where_posted(call: &Call, all: &[Call]) -> String {
    let channel = call.body["channel"].as_str().unwrap_or("?");
    let mut place = match channel.starts_with(['U', 'W']) {
        true => format!("in a direct message to {}", name(channel)),
        false => format!("in #{}", name(channel)),
    };
    if let Some(thread) = call.body["thread_ts"].as_str() {
        let parent = all.iter().find(|c| c.ts() == Some(thread));
        match parent.and_then(|p| message_lines(&p.body).into_iter().next()) {
            Some(first) => place.push_str(&format!(", in the thread under “{first}”")),
            None => place.push_str(&format!(", in the thread of message {thread}")),
        }
    }
    if call.method == "chat.postEphemeral" {
        place.push_str(&format!(
            ", only {} sees",
            name(call.body["user"].as_str().unwrap_or("?"))
        ));
    }
    place
}

/// A demo Slack id as the name a person would see: U0ALICE is alice, C0MAKERS is makers.
fn name(id: &str) -> String {
    let short = id.strip_prefix("U0").or_else(|| id.strip_prefix("C0"));
    short.map_or_else(|| id.to_string(), str::to_lowercase)
}

/// A message's blocks as the lines Slack would show (its `text` if it has no blocks).
fn message_lines(message: &Value) -> Vec<String> {
    let text_of = |v: &Value| v["text"].as_str().map(as_seen);
    let mut lines = Vec::new();
    for block in message["blocks"].as_array().into_iter().flatten() {
        let elements = block["elements"].as_array().into_iter().flatten();
        let shown = match block["type"].as_str().unwrap_or("?") {
            "section" => text_of(&block["text"]).unwrap_or_default(),
            "context" => elements.filter_map(text_of).collect::<Vec<_>>().join("  "),
            "actions" => {
                let buttons = elements.filter_map(|b| text_of(&b["text"]));
                buttons
                    .map(|t| format!("[ {t} ]"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "divider" => "────────".to_string(),
            other => format!("({other} block)"),
        };
        lines.extend(shown.lines().map(String::from));
    }
    if lines.is_empty() {
        let text = message["text"].as_str().map(as_seen).unwrap_or_default();
        lines.extend(text.lines().map(String::from));
    }
    lines
}

/// mrkdwn as a person sees it: `<@U1>` as `@name`, `<#C1>` as `#name`, links by their label,
/// a real `<!channel>` as a ping, and `&lt;` `&gt;` `&amp;` as the characters they stand for.
fn as_seen(mrkdwn: &str) -> String {
    let mut out = String::new();
    let mut rest = mrkdwn;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            rest = &rest[start..];
            break;
        };
        let token = &after[..end];
        let (target, label) = token
            .split_once('|')
            .map_or((token, None), |(t, l)| (t, Some(l)));
        let shown = match target.split_at_checked(1) {
            Some((sigil @ ("@" | "#"), id)) => {
                format!("{sigil}{}", label.map_or(name(id), String::from))
            }
            Some(("!", who)) => format!("@{who} (a real ping: this notifies everyone!)"),
            _ => label.unwrap_or(target).to_string(),
        };
        out.push_str(&shown);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
