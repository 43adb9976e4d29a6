//! The bot in Socket Mode against the fake's Socket Mode server: starting it, and envelopes
//! as Slack sends them (shaped on Slack's samples in `tests/fixtures/socket-mode-*`).

use serde_json::{Value, json};

use super::{FakeSlack, FakeSocket, SHORT, TestApp, eventually, fixture, spawn_app_talking_to};

pub const APP_TOKEN: &str = "xapp-1-A111-1-0123456789abcdef";

/// The bot with Socket Mode alone (no Slack HTTP routes) and `more` settings, with its fake
/// socket; returns at once (not waiting for a socket).
pub async fn spawn_socket_only(more: &[(&'static str, &str)]) -> (TestApp, FakeSocket) {
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    let mut settings = vec![("SLACK_APP_TOKEN", APP_TOKEN), ("SLACK_SIGNING_SECRET", "")];
    settings.extend_from_slice(more);
    (spawn_app_talking_to(slack, &settings).await, socket)
}

/// The bot with Socket Mode on and, if `http_too`, its HTTP routes as well; returns once it
/// has its first socket (not waiting for the hello).
pub async fn spawn_socket_app(http_too: bool) -> (TestApp, FakeSocket) {
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    let app = spawn_socket_app_with(slack, http_too).await;
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() == 1).then_some(())
    })
    .await;
    (app, socket)
}

/// The same with a fake Slack prepared beforehand (scripts, no hello, …).
pub async fn spawn_socket_app_with(slack: FakeSlack, http_too: bool) -> TestApp {
    let secret = if http_too { super::SECRET } else { "" };
    spawn_app_talking_to(
        slack,
        &[
            ("SLACK_APP_TOKEN", APP_TOKEN),
            ("SLACK_SIGNING_SECRET", secret),
        ],
    )
    .await
}

/// An envelope of `kind` around `payload`, as in Slack's samples.
pub fn envelope(kind: &str, id: &str, payload: Value, accepts_response_payload: bool) -> String {
    json!({
        "envelope_id": id,
        "type": kind,
        "payload": payload,
        "accepts_response_payload": accepts_response_payload,
    })
    .to_string()
}

/// An `events_api` envelope (as Slack's sample: no payload accepted) around an event
/// callback, delivered for the `retry_attempt`th time.
pub fn events_envelope(id: &str, callback: Value, retry_attempt: u64) -> String {
    let mut e: Value = serde_json::from_str(&fixture(
        "socket-mode-events-api.python-slack-sdk.envelope.json",
    ))
    .unwrap();
    e["envelope_id"] = id.into();
    e["payload"] = callback;
    e["retry_attempt"] = retry_attempt.into();
    e["retry_reason"] = if retry_attempt > 0 { "timeout" } else { "" }.into();
    e.to_string()
}

/// A `slash_commands` envelope: Slack's sample with our own fields.
pub fn command_envelope(id: &str, team: &str, user: &str, channel: &str, text: &str) -> String {
    let mut e: Value =
        serde_json::from_str(&fixture("socket-mode-slash-command.envelope.json")).unwrap();
    e["envelope_id"] = id.into();
    let p = &mut e["payload"];
    p["team_id"] = team.into();
    p["user_id"] = user.into();
    p["channel_id"] = channel.into();
    p["command"] = "/makers".into();
    p["text"] = text.into();
    e.to_string()
}

/// Sends `frame` down `connection` and waits for its ack.
pub async fn acked(socket: &FakeSocket, connection: usize, id: &str, frame: &str) -> Value {
    assert!(
        socket.send(connection, frame),
        "connection {connection} is open"
    );
    ack_of(socket, id).await
}

/// Waits for the ack of envelope `id`.
pub async fn ack_of(socket: &FakeSocket, id: &str) -> Value {
    eventually(&format!("the ack of {id}"), SHORT, || {
        socket.acks_of(id).first().map(|r| r.frame.clone())
    })
    .await
}

/// Waits until `/healthz` answers `status` with a body containing `says`; returns the body.
pub async fn health_is(app: &TestApp, status: u16, says: &str) -> String {
    let deadline = std::time::Instant::now() + SHORT;
    loop {
        let a = app.request("GET", "/healthz", &[], "").await;
        if a.status.as_u16() == status && a.body.contains(says) {
            return a.body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/healthz still {} {:?}, not {status} {says:?}",
            a.status,
            a.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
