//! Test harness: the real server on a loopback port with a temp SQLite file, talking to a fake
//! Slack Web API that is itself a real local HTTP server recording every call (the
//! `fake-slack` crate, which the demo uses too).
//!
//! This module holds the shared constants, waiting ([`eventually`], [`WaitFor`]) and reading
//! the bot's answers; `app` starts and drives the bot, `clock` is the movable [`TestClock`],
//! and `requests` builds the signed requests and Slack payloads the tests send.

mod app;
pub mod browser;
mod clock;
pub mod logs;
pub mod process;
pub mod proxy;
mod requests;
pub mod socket;

use std::time::{Duration, Instant};

use hyper::StatusCode;
use serde_json::Value;

pub use app::{
    RETRY_WAIT_MS, SCHEDULER_TICK_MS, SOCKETS, SPARE_AFTER_MS, STABLE_AFTER_MS, TestApp, spawn_app,
    spawn_app_on, spawn_app_setting, spawn_app_settings, spawn_app_talking_to, spawn_app_with,
    try_spawn_app_on,
};
pub use clock::TestClock;
pub use requests::{
    bot_joined, client, fixture, free_port, fresh_view_id, mention, now, our_event, payload_body,
    send, signed_headers, slash_body, slash_body_as_sent,
};

pub const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
pub const TOKEN: &str = "xoxb-test-token";
pub const TEAM: &str = "T123ABC456";
pub const BOT_USER: &str = "UBOT0001";

pub use fake_slack::{Call, FakeSlack, FakeSocket, Grant, Script};

/// Waiting on the fake Slack, with the suite's one polling loop.
pub trait WaitFor {
    /// Waits until at least `n` calls of `method` were made (fails the test after `within`).
    async fn wait_for(&self, method: &str, n: usize, within: Duration) -> Vec<Call>;
}

impl WaitFor for FakeSlack {
    async fn wait_for(&self, method: &str, n: usize, within: Duration) -> Vec<Call> {
        eventually(
            &format!("{n} {method} calls at the fake Slack"),
            within,
            || {
                let calls = self.calls(method);
                (calls.len() >= n).then_some(calls)
            },
        )
        .await
    }
}

/// An HTTP answer from the bot.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The value of header `name`, if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The mrkdwn/plain text of a slash-command reply, blocks included.
    pub fn text(&self) -> String {
        message_text(&self.json())
    }
    /// The reply's notification line (`text`): all of a one-section reply, said once.
    pub fn said(&self) -> String {
        fallback_text(&self.json())
    }
    /// The text of the reply's blocks only, a line each.
    pub fn blocks(&self) -> String {
        blocks_text(&self.json())
    }
}

/// A message's notification line, its `text` field.
pub fn fallback_text(message: &Value) -> String {
    message["text"].as_str().unwrap_or_default().to_string()
}

/// The text inside a message's blocks, without its notification line.
pub fn blocks_text(message: &Value) -> String {
    message_text(&serde_json::json!({ "blocks": message["blocks"] }))
}

/// What the messages Slack took (`ok: true`) show, oldest first; those it refused are left out.
pub fn posted_texts(slack: &FakeSlack) -> Vec<String> {
    slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.answer["ok"] == true)
        .map(|c| message_text(&c.body))
        .collect()
}

/// What the messages Slack took (`ok: true`) in `channel` (a user's id: their DM) show,
/// oldest first; those it refused are left out.
pub fn posted_to(slack: &FakeSlack, channel: &str) -> Vec<String> {
    slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == channel && c.answer["ok"] == true)
        .map(|c| message_text(&c.body))
        .collect()
}

/// All the text a message shows: `text` plus every text inside its blocks.
pub fn message_text(message: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(t)) = m.get("text") {
                    out.push_str(t);
                    out.push('\n');
                }
                for (k, v) in m {
                    if k != "text" || !v.is_string() {
                        walk(v, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(message, &mut out);
    out
}

/// The DMs the fake Slack was asked to post to `user`, as text.
pub fn dms_to(app: &TestApp, user: &str) -> Vec<String> {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == user)
        .map(|c| message_text(&c.body))
        .collect()
}

/// The first DM the fake Slack was asked to post to `user`, once there is one.
pub async fn first_dm(app: &TestApp, user: &str) -> String {
    eventually(&format!("a DM to {user}"), SHORT, || {
        dms_to(app, user).into_iter().next()
    })
    .await
}

/// The first DM to `user` holding `words`, once there is one: where an earlier DM may come
/// first (a pitch answered after Slack stopped waiting, on a busy machine, has its answer
/// sent to the DM).
pub async fn dm_saying(app: &TestApp, user: &str, words: &str) -> String {
    eventually(&format!("a DM to {user} saying {words:?}"), SHORT, || {
        dms_to(app, user).into_iter().find(|dm| dm.contains(words))
    })
    .await
}

/// How long a test waits for an effect before failing. Generous: the suite runs its tests at
/// once on two cores beside the crash test and the restore drill, where one fsync can take
/// seconds; a passing wait ends as soon as the effect is seen, so only a failure waits this
/// long.
pub const SHORT: Duration = Duration::from_secs(15);

/// How often [`eventually`] looks again.
const POLL: Duration = Duration::from_millis(20);

/// Polls `f` until it returns `Some`, and returns what it held; fails the test, naming `what`,
/// once `within` has passed. The suite's one waiting loop: wait for an effect, never sleep
/// for one.
pub async fn eventually<T>(what: &str, within: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = f() {
            return found;
        }
        assert!(Instant::now() < deadline, "not within {within:?}: {what}");
        tokio::time::sleep(POLL).await;
    }
}

/// Pitches `title` as `user` in `channel`, waits until its announcement is posted and its ts
/// recorded, and returns that ts.
pub async fn pitch_and_wait(app: &TestApp, user: &str, channel: &str, title: &str) -> String {
    let before = app.count("SELECT COALESCE(MAX(id), 0) FROM projects");
    let a = app.slash(user, channel, &format!("pitch {title}")).await;
    assert_eq!(a.status, 200);
    // Not simply the next post: a post to another channel may go first while this channel
    // waits its second (posts to one channel are paced, not the others). The project made
    // by this pitch: its announcement's ts, once recorded.
    let newest = format!(
        "SELECT announcement_ts FROM projects WHERE channel_id = '{channel}' AND id > {before}
         AND announcement_ts IS NOT NULL ORDER BY id LIMIT 1"
    );
    let ts: String = eventually(&format!("the announcement of {title}"), SHORT, || {
        app.db().query_row(&newest, [], |r| r.get(0)).ok()
    })
    .await;
    assert!(
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["_ts"] == ts.as_str()),
        "{ts} was posted"
    );
    ts
}

/// Pitches in another channel and waits for its announcement to be posted: the workspace's
/// posts are not held (a rate limit on another method holds only its own row).
pub async fn the_workspace_still_posts(app: &TestApp, pitcher: &str) {
    app.slash(pitcher, "C0ELSEWHERE", "pitch Street lights")
        .await;
    eventually("the other channel's announcement", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["channel"] == "C0ELSEWHERE")
            .then_some(())
    })
    .await;
}

/// Pitches `title` while Slack answers every post with a 503, the clock stopped so the
/// announcement's retry is not due until [`heal_and_announce`]: a change made next finds the
/// announcement waiting, not on its way.
pub async fn pitch_while_slack_is_down(app: &TestApp, user: &str, channel: &str, title: &str) {
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.stop();
    app.slash(user, channel, &format!("pitch {title}")).await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
}

/// Heals Slack after [`pitch_while_slack_is_down`] and moves the clock past the retry; once
/// the announcement and the correction queued behind it are made, returns both calls.
pub async fn heal_and_announce(app: &TestApp) -> (Call, Call) {
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 5);
    let corrected = app.slack.wait_for("chat.update", 1, SHORT).await;
    let announcement = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["_answered_ok"] == true)
        .expect("the announcement");
    (announcement, corrected[0].clone())
}

/// Slack's answers when the bot's next post is in a private channel it is not in: the post
/// refused as `channel_not_found`, and joining refused for the channel's type.
pub fn next_post_is_in_a_private_channel(app: &TestApp) {
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.slack.script(
        "conversations.join",
        Script::Error("method_not_supported_for_channel_type"),
    );
}
