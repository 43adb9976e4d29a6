//! The requests Slack would send the bot, built from Slack's own payload samples in
//! `tests/fixtures/`: slash commands, Events API envelopes and button presses, each a
//! [`Delivery`] signed with the app's signing secret.

use serde_json::{Value, json};

use crate::show::name;
use crate::{BOT_USER, CHANNEL, TEAM};

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
pub(crate) use fixture;

/// A request to the bot, as Slack would make it.
#[derive(Clone)]
pub(crate) struct Delivery {
    pub(crate) path: &'static str,
    pub(crate) body: String,
    /// Signed with the app's signing secret, as only Slack can.
    pub(crate) signed: bool,
    /// Set when Slack delivers the same request again (`X-Slack-Retry-Num`).
    pub(crate) retry: Option<u32>,
    /// Who sees a private answer given in the HTTP response.
    pub(crate) who: &'static str,
    /// What the request carries, in a line.
    pub(crate) what: String,
}

pub(crate) fn signed(
    path: &'static str,
    body: String,
    who: &'static str,
    what: String,
) -> Delivery {
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

/// Slack's slash-command sample, as `user` typing `/makers <text>` in #makers.
pub(crate) fn slash(user: &'static str, text: &str) -> anyhow::Result<Delivery> {
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
pub(crate) fn mention(event_id: &str, user: &str, thread: &str, text: &str) -> Value {
    let (ts, text) = (fresh_ts(), format!("<@{BOT_USER}> {}", slack_escape(text)));
    let event = json!({ "user": user, "channel": CHANNEL, "ts": ts, "event_ts": ts,
        "thread_ts": thread, "text": text });
    envelope(fixture!("app-mention.event_callback.json"), event_id, event)
}

/// Slack's reaction_added sample: `user` reacts :raised_hand: to the bot's `message_ts`.
pub(crate) fn reaction(event_id: &str, user: &str, message_ts: &str) -> Value {
    let event = json!({ "user": user, "reaction": "raised_hand", "item_user": BOT_USER,
        "item": { "channel": CHANNEL, "ts": message_ts }, "event_ts": fresh_ts() });
    envelope(
        fixture!("reaction-added.event_callback.json"),
        event_id,
        event,
    )
}

/// Slack's block_actions sample: `user` presses Join (project 1) on the bot's `message_ts`.
pub(crate) fn press_join(user: &'static str, message_ts: &str) -> anyhow::Result<Delivery> {
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
