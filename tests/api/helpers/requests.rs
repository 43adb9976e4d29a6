//! Requests as Slack would send them: the signature headers, and Slack's own samples from
//! `tests/fixtures/` (slash command, app_mention, member_joined_channel) with our own fields.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use makers_bot::config::Secret;
use makers_bot::slack::verify::sign;
use serde_json::Value;

use super::{Answer, BOT_USER, SECRET, TEAM};

/// Reads a file of `tests/fixtures/` (copies of Slack's own samples; see SOURCES.md there).
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A loopback port free when asked (whoever is started next binds it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The tests' HTTP client. Its pool lets go of a connection idle for 4 s, before the bot's
/// header-read timeout (5 s) closes it: a test that blocks its thread for longer (an operator
/// command run beside the bot) would otherwise be handed a connection the bot has just
/// closed, and see its next request fail.
pub fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_idle_timeout(std::time::Duration::from_secs(4))
        .build_http()
}

/// Sends one HTTP request to `addr` and reads the whole answer; `Err` if nothing answered.
pub async fn send(
    client: &Client<HttpConnector, Full<Bytes>>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Bytes,
) -> Result<Answer, String> {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let resp = client
        .request(req.body(Full::new(body)).unwrap())
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The two headers Slack signs a request with.
pub fn signed_headers(body: &str, ts: i64) -> Vec<(&'static str, String)> {
    let ts = ts.to_string();
    vec![
        (
            "x-slack-signature",
            sign(&Secret::new(SECRET), &ts, body.as_bytes()),
        ),
        ("x-slack-request-timestamp", ts),
    ]
}

/// A real slash-command body (Slack's documented sample) with our own fields; `text` is what
/// the user typed, which Slack sends with `&`, `<` and `>` escaped.
pub fn slash_body(team: &str, user: &str, channel: &str, text: &str) -> String {
    let sent = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    slash_body_as_sent(team, user, channel, &sent)
}

/// The same with `text` exactly as Slack sends it: typed `&`, `<`, `>` escaped, and the
/// tokens it made of mentions, channels and links (`<@U0BOB|bob>`) not.
pub fn slash_body_as_sent(team: &str, user: &str, channel: &str, text: &str) -> String {
    let mut fields: Vec<(String, String)> =
        serde_urlencoded::from_str(&fixture("slash-command.form.txt")).unwrap();
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "team_id" => *v = team.into(),
            "user_id" => *v = user.into(),
            "channel_id" => *v = channel.into(),
            "command" => *v = "/makers".into(),
            "text" => *v = text.into(),
            _ => {}
        }
    }
    // Fields Slack sends with every command today that the signing sample predates (as the
    // documented sample in slash-command.docs-display.txt shows `api_app_id`).
    fields.extend([
        ("api_app_id".to_string(), "A123ABC456".to_string()),
        ("is_enterprise_install".to_string(), "false".to_string()),
    ]);
    serde_urlencoded::to_string(&fields).unwrap()
}

/// Slack's app_mention sample with our own user, channel, ts, text and event id.
pub fn mention(event_id: &str, user: &str, channel: &str, ts: &str, text: &str) -> Value {
    let mut env: Value = serde_json::from_str(&fixture("app-mention.event_callback.json")).unwrap();
    env["event_id"] = event_id.into();
    env["authorizations"][0]["user_id"] = BOT_USER.into();
    env["authorizations"][0]["is_bot"] = true.into();
    let e = &mut env["event"];
    e["user"] = user.into();
    e["channel"] = channel.into();
    e["ts"] = ts.into();
    e["event_ts"] = ts.into();
    e["text"] = format!("<@{BOT_USER}> {text}").into();
    env
}

/// Slack's sample event `fixture_name`, delivered to our workspace's bot as `event_id`.
pub fn our_event(fixture_name: &str, event_id: &str) -> Value {
    let mut env: Value = serde_json::from_str(&fixture(fixture_name)).unwrap();
    env["team_id"] = TEAM.into();
    env["event_id"] = event_id.into();
    env["authorizations"] =
        serde_json::json!([{"team_id": TEAM, "user_id": BOT_USER, "is_bot": true}]);
    env
}

/// Slack's member_joined_channel sample for the bot joining `channel`.
pub fn bot_joined(event_id: &str, channel: &str) -> Value {
    let mut env = our_event("member-joined-channel.event_callback.json", event_id);
    env["event"]["user"] = BOT_USER.into();
    env["event"]["channel"] = channel.into();
    env
}

/// An interaction's JSON as Slack posts it over HTTP: a form with one field, `payload`.
pub fn payload_body(payload: &Value) -> String {
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

/// A view id no other submission in this test run has: Slack gives each opened view its own,
/// and the bot takes a view submitted twice as one.
pub fn fresh_view_id() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("VTEST{n:08}")
}
