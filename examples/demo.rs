//! Watch makers-bot work end to end without a Slack workspace: `cargo run --example demo`.
//!
//! The demo starts a small local stand-in for Slack's Web API, then the real bot (the same
//! `App` that `makers-bot serve` runs) on a loopback port with a throwaway SQLite file. It then
//! plays Slack's part: it sends signed requests over HTTP, exactly as Slack would, for
//! - the `url_verification` handshake Slack makes when you set the app's Request URL;
//! - `/makers help`, two pitches (one trying to `<!channel>` everybody), `list` and `show 1`;
//! - an `@makers list` mention in the thread of the first announcement, then the same event
//!   delivered again as a Slack retry, which the bot applies only once;
//! - a request without a signature, which is refused with 401 and changes nothing.
//!
//! For each step it prints the HTTP status and the private (ephemeral) reply the typing user
//! would see, then what the bot posted in the channel, with Block Kit rendered as plain lines.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use makers_bot::app::App;
use makers_bot::config::{Config, Needs, Secret};
use makers_bot::domain::TeamId;
use makers_bot::domain::{ListFilter, UserId};
use makers_bot::slack::verify::sign;
use makers_bot::store::{Store, list_projects};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

const SECRET: &str = "demo-signing-secret-not-a-real-one";
const TEAM: &str = "T0COUNCILS";
const BOT_USER: &str = "U0MAKERSBOT";
const CHANNEL: &str = "C0MAKERS";
const ALICE: &str = "U0ALICE";
const BOB: &str = "U0BOB";

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
    if std::env::var_os("RUST_LOG").is_none() {
        // SAFETY: no other thread exists yet; the runtime is built below.
        unsafe { std::env::set_var("RUST_LOG", "warn") };
    }
    makers_bot::telemetry::init();
    tokio::runtime::Runtime::new()
        .context("cannot start the tokio runtime")?
        .block_on(demo())
}

/// A message the bot posted to the stand-in, as a person would read it.
struct Post {
    channel: String,
    thread: Option<String>,
    ts: String,
    lines: Vec<String>,
}

type Posts = Arc<Mutex<Vec<Post>>>;

async fn demo() -> anyhow::Result<()> {
    let posts: Posts = Arc::default();
    let slack_url = start_fake_slack(posts.clone()).await?;
    let dir = tempfile::tempdir().context("cannot create a temp directory")?;
    let db_path = dir.path().join("makers.db");
    let settings = HashMap::from([
        ("SLACK_SIGNING_SECRET", SECRET.to_string()),
        ("SLACK_BOT_TOKEN", "xoxb-demo-token".to_string()),
        ("SLACK_API_URL", slack_url.clone()),
        ("MAKERS_DB", db_path.display().to_string()),
        ("MAKERS_ADDR", "127.0.0.1:0".to_string()),
    ]);
    let config = Config::from_lookup(Needs::Serve, |name| settings.get(name).cloned())?;
    let app = App::build(&config).await.context("the bot did not start")?;
    let mut demo = Demo {
        base: format!("http://{}", app.addr()),
        client: Client::builder(TokioExecutor::new()).build_http(),
        posts: posts.clone(),
        shown: 0,
    };
    let stop = CancellationToken::new();
    let running = tokio::spawn(app.run(stop.clone()));
    println!("makers-bot is listening on {}", demo.base);
    println!("Slack's Web API is played by a stand-in on {slack_url}");

    step("Slack checks the Request URL (url_verification handshake)");
    demo.event(fixture!("url-verification.json"), &[]).await?;
    for text in [
        "help",
        "pitch Bin day finder | One bin-day lookup every council can re-use",
        "pitch <!channel> free pizza",
        "list",
        "show 1",
    ] {
        let hint = if text.contains("<!channel>") {
            "   (a title that tries to notify everyone)"
        } else {
            ""
        };
        step(&format!("you type: /makers {text}{hint}"));
        demo.slash(ALICE, text, true).await?;
    }

    // Bob asks in the thread under the first announcement.
    let first = posts
        .lock()
        .expect("stand-in lock")
        .first()
        .map(|p| p.ts.clone());
    let thread = first.unwrap_or_else(|| "1700000000.000001".to_string());
    let envelope = mention("EvDEMO0001", BOB, &thread, "list").to_string();
    step("Bob writes in the announcement's thread: @makers list");
    demo.event(&envelope, &[]).await?;
    step("Slack delivers that event again (X-Slack-Retry-Num: 1); the bot applies it once");
    let retry = [
        ("x-slack-retry-num", "1"),
        ("x-slack-retry-reason", "http_timeout"),
    ];
    demo.event(&envelope, &retry).await?;
    step("someone who is not Slack posts /makers pitch Totally legit, unsigned");
    demo.slash("U0MALLORY", "pitch Totally legit", false)
        .await?;

    stop.cancel();
    match tokio::time::timeout(Duration::from_secs(10), running).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => anyhow::bail!("the bot's task failed: {e}"),
        Err(_) => anyhow::bail!("the bot did not stop within 10 s"),
    }
    let team = TeamId::parse(TEAM).context("demo team id")?;
    let projects = Store::open(&db_path)?
        .read(|c| {
            let anyone = UserId::parse("U0DEMO").context("demo user id")?;
            list_projects(
                c,
                &team,
                ListFilter::Open,
                makers_bot::store::Viewer {
                    user: &anyone,
                    quiet_since: 0,
                },
            )
        })?
        .len();
    let posted = posts.lock().expect("stand-in lock").len();
    println!(
        "\n── done: the bot stopped cleanly; {projects} projects recorded, {posted} messages posted."
    );
    Ok(())
}

/// Plays Slack: sends requests to the bot and shows what came of them.
struct Demo {
    base: String,
    client: Client<HttpConnector, Full<Bytes>>,
    posts: Posts,
    /// How many of `posts` are already printed.
    shown: usize,
}

impl Demo {
    /// POSTs `body` (signed as Slack signs it, now, when `signed`), prints the answer, waits
    /// for the bot's outbox worker and prints what it posted meanwhile.
    async fn send(
        &mut self,
        path: &str,
        body: &str,
        signed: bool,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<()> {
        let kind = match path {
            "/slack/commands" => "application/x-www-form-urlencoded",
            _ => "application/json",
        };
        let mut req = Request::post(format!("{}{path}", self.base)).header("content-type", kind);
        if signed {
            let ts = chrono::Utc::now().timestamp().to_string();
            let signature = sign(&Secret::new(SECRET), &ts, body.as_bytes());
            req = req
                .header("x-slack-signature", signature)
                .header("x-slack-request-timestamp", ts);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body.to_string())))?;
        let resp = self
            .client
            .request(req)
            .await
            .context("the bot did not answer")?;
        let status = resp.status();
        let bytes = resp.into_body().collect().await?.to_bytes();
        print_reply(status, &String::from_utf8_lossy(&bytes));
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.print_posts();
        Ok(())
    }

    /// An Events API delivery.
    async fn event(&mut self, body: &str, extra: &[(&str, &str)]) -> anyhow::Result<()> {
        self.send("/slack/events", body, true, extra).await
    }

    /// `/makers <text>` typed by `user` in the channel, in Slack's own form encoding.
    async fn slash(&mut self, user: &str, text: &str, signed: bool) -> anyhow::Result<()> {
        let mut fields: Vec<(String, String)> =
            serde_urlencoded::from_str(fixture!("slash-command.form.txt"))?;
        for (k, v) in fields.iter_mut() {
            *v = match k.as_str() {
                "team_id" => TEAM.into(),
                "user_id" => user.into(),
                "channel_id" => CHANNEL.into(),
                "command" => "/makers".into(),
                // Slack escapes these three in the text it sends.
                "text" => text
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
                _ => continue,
            };
        }
        let body = serde_urlencoded::to_string(&fields)?;
        self.send("/slack/commands", &body, signed, &[]).await
    }

    /// The posts made since last time, each under the channel (and thread) it went to.
    fn print_posts(&mut self) {
        let posts = self.posts.lock().expect("stand-in lock");
        if posts.len() == self.shown {
            println!("   (nothing posted to Slack)");
        }
        for post in &posts[self.shown..] {
            let parent = |ts| {
                posts
                    .iter()
                    .find(|p| &p.ts == ts)
                    .and_then(|p| p.lines.first())
            };
            let place = match &post.thread {
                None => String::new(),
                Some(ts) => match parent(ts) {
                    Some(first) => format!(", in the thread under “{first}”"),
                    None => format!(", in the thread of message {ts}"),
                },
            };
            println!("── Slack would show in #{}{place}:", post.channel);
            post.lines.iter().for_each(|l| println!("   │ {l}"));
        }
        self.shown = posts.len();
    }
}

/// Slack's app_mention sample, as `user` writing `@makers <text>` in the thread `thread`.
fn mention(event_id: &str, user: &str, thread: &str, text: &str) -> Value {
    let mut env: Value = serde_json::from_str(fixture!("app-mention.event_callback.json"))
        .expect("the mention fixture is JSON");
    let ts = format!("{}.000100", chrono::Utc::now().timestamp());
    env["team_id"] = TEAM.into();
    env["event_id"] = event_id.into();
    env["authorizations"] = json!([{ "team_id": TEAM, "user_id": BOT_USER, "is_bot": true }]);
    let e = &mut env["event"];
    e["user"] = user.into();
    e["channel"] = CHANNEL.into();
    e["ts"] = ts.clone().into();
    e["event_ts"] = ts.into();
    e["thread_ts"] = thread.into();
    e["text"] = format!("<@{BOT_USER}> {text}").into();
    env
}

/// Starts the stand-in for `https://slack.com/api`; returns its base URL.
async fn start_fake_slack(posts: Posts) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let posts = posts.clone();
            let service = service_fn(move |req| fake_slack(posts.clone(), req));
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    Ok(format!("http://{addr}/api/"))
}

/// Answers a Web API call: `chat.postMessage` is recorded, `conversations.join` succeeds.
async fn fake_slack(posts: Posts, req: Request<Incoming>) -> anyhow::Result<Response<Full<Bytes>>> {
    let method = req.uri().path().trim_start_matches("/api/").to_string();
    let raw = req.into_body().collect().await?.to_bytes();
    let body: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    let channel = body["channel"].as_str().unwrap_or("").to_string();
    let reply = match method.as_str() {
        "chat.postMessage" => {
            let mut posts = posts.lock().expect("stand-in lock");
            let ts = format!("{}.{:06}", chrono::Utc::now().timestamp(), posts.len() + 1);
            posts.push(Post {
                channel: channel.clone(),
                thread: body["thread_ts"].as_str().map(String::from),
                ts: ts.clone(),
                lines: message_lines(&body),
            });
            json!({ "ok": true, "channel": channel, "ts": ts, "message": { "ts": ts } })
        }
        "conversations.join" => {
            json!({ "ok": true, "channel": { "id": channel, "name": "makers" } })
        }
        _ => json!({ "ok": false, "error": "unknown_method" }),
    };
    let resp = Response::builder().header("content-type", "application/json");
    Ok(resp.body(Full::new(Bytes::from(reply.to_string())))?)
}

/// A message's blocks as the lines Slack would show (its `text` if it has no blocks).
fn message_lines(message: &Value) -> Vec<String> {
    let text_of = |v: &Value| v["text"].as_str().map(as_seen);
    let mut lines = Vec::new();
    for block in message["blocks"].as_array().into_iter().flatten() {
        let shown = match block["type"].as_str() {
            Some("section") => text_of(&block["text"]),
            Some("context") => {
                let parts: Vec<_> = block["elements"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(text_of)
                    .collect();
                Some(parts.join("  "))
            }
            Some("actions") => {
                let elements = block["elements"].as_array().into_iter().flatten();
                let buttons: Vec<_> = elements
                    .filter_map(|b| text_of(&b["text"]))
                    .map(|t| format!("[ {t} ]"))
                    .collect();
                Some(buttons.join(" "))
            }
            _ => None,
        };
        lines.extend(shown.iter().flat_map(|s| s.lines().map(String::from)));
    }
    if lines.is_empty() {
        let text = message["text"].as_str().map(as_seen).unwrap_or_default();
        lines.extend(text.lines().map(String::from));
    }
    lines
}

/// mrkdwn as a person sees it: `<@U1>` as `@U1`, `<#C1>` as `#C1`, links by their label, a
/// real `<!channel>` as a ping, and `&lt;` `&gt;` `&amp;` as the characters they stand for.
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
            Some(("@" | "#", id)) => format!("{}{}", &target[..1], label.unwrap_or(id)),
            Some(("!", who)) => format!("@{who} (this would ping everyone!)"),
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

fn step(title: &str) {
    println!("\n── {title}");
}

/// The bot's HTTP answer: status, then the ephemeral reply (or the raw body) as text.
fn print_reply(status: StatusCode, body: &str) {
    match serde_json::from_str::<Value>(body) {
        Ok(message) if message.get("blocks").is_some() || message.get("text").is_some() => {
            let who = match message["response_type"].as_str() {
                Some("ephemeral") => "only you can see this",
                _ => "everyone in the channel sees this",
            };
            println!("   HTTP {status} · {who}:");
            message_lines(&message)
                .iter()
                .for_each(|l| println!("   │ {l}"));
        }
        _ if body.is_empty() => println!("   HTTP {status} · (empty body)"),
        _ => println!("   HTTP {status} · body: {body}"),
    }
}
