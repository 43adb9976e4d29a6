//! Playing Slack's part: [`Demo`] sends the bot each step's delivery over HTTP, prints its
//! answer, then waits for the outbox to empty and prints what the stand-in received.

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
use makers_bot::config::Secret;
use makers_bot::slack::verify::sign;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use crate::requests::{Delivery, fixture, mention, press_join, reaction, signed, slash};
use crate::show::{print_answer, print_call};
use crate::{Act, CHANNEL, SECRET, SETTLE_WITHIN, UNDELIVERED};

/// Plays Slack: sends requests to the bot and shows what came of them.
pub(crate) struct Demo {
    pub(crate) base: String,
    client: Client<HttpConnector, Full<Bytes>>,
    pub(crate) fake: FakeSlack,
    /// The bot's database, opened read-only, to see when its outbox is empty.
    db: Connection,
    /// How many of the stand-in's calls are already printed.
    shown: usize,
    pub(crate) step: usize,
    /// The last Events API delivery, for Slack to retry.
    last_event: Option<Delivery>,
}

impl Demo {
    pub(crate) fn new(app: &App, fake: FakeSlack, db_path: &Path) -> anyhow::Result<Demo> {
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
    pub(crate) async fn play(&mut self, act: Act) -> anyhow::Result<()> {
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
        let Some(raw) = texts.find(|t| t.contains("free pizza")) else {
            println!("   (The announcement never reached the stand-in: nothing to check.)");
            return;
        };
        let verdict = match raw.contains("<!") {
            true => "That is a real special mention: Slack would notify everyone in the channel!",
            false => {
                "Slack shows the words \"@channel\": the bot turned the token into words, in a \
                      verbatim section\n   (so Slack does not parse them back), and it notifies nobody."
            }
        };
        println!(
            "   Note: links and mentions people type keep working; <!channel>, <!here> and the like never do."
        );
        println!("   The announcement's title, exactly as the bot sent it to Slack:\n       {raw}");
        println!("   {verdict}");
    }
}
