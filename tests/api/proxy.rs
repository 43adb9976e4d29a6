//! Slack reached through an outbound web proxy (`HTTP_PROXY`, `HTTPS_PROXY`), as a council's
//! network often requires: the Web API and Socket Mode's WebSocket alike go through it, by
//! `CONNECT`. Slack's fake is given the name `slack.test`, which resolves nowhere: only
//! through the proxy (which takes any name for this machine) can the bot reach it.

use crate::helpers::proxy::ConnectProxy;
use crate::helpers::socket::{APP_TOKEN, acked, command_envelope};
use crate::helpers::*;

/// `url` (the fake's, on 127.0.0.1) under the name only the proxy knows.
fn behind_the_proxy(url: &str) -> String {
    url.replace("127.0.0.1", "slack.test")
}

/// A Socket Mode bot (no signing secret) reaching `slack`, under the name only the proxy
/// knows, through the proxy at `proxy`.
async fn socket_mode_app_through(slack: FakeSlack, proxy: &str) -> TestApp {
    let api = behind_the_proxy(&slack.url);
    spawn_app_talking_to(
        slack,
        &[
            ("SLACK_APP_TOKEN", APP_TOKEN),
            ("SLACK_SIGNING_SECRET", ""),
            ("SLACK_API_URL", api.as_str()),
            ("HTTP_PROXY", proxy),
        ],
    )
    .await
}

#[tokio::test]
async fn the_web_api_is_reached_through_the_proxy() {
    let proxy = ConnectProxy::start().await;
    let slack = FakeSlack::start().await;
    let api = behind_the_proxy(&slack.url);
    // A proxy that wants a user and password, given in its address (the password's `@`
    // percent-encoded, as in any URL).
    let with_login = proxy.url.replace("http://", "http://sam:s%40cret@");
    let app = spawn_app_talking_to(
        slack,
        &[
            ("SLACK_API_URL", api.as_str()),
            ("HTTP_PROXY", with_login.as_str()),
        ],
    )
    .await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert!(message_text(&posts[0].body).contains("Bin day finder"));
    let port = api.split(':').nth(2).unwrap().split('/').next().unwrap();
    assert!(
        proxy.targets().contains(&format!("slack.test:{port}")),
        "{:?}",
        proxy.targets()
    );
    // Basic sam:s@cret, decoded from the address.
    assert!(
        proxy
            .heads()
            .iter()
            .all(|h| h.contains("Proxy-Authorization: Basic c2FtOnNAY3JldA==")),
        "{:?}",
        proxy.heads()
    );
}

#[tokio::test]
async fn socket_mode_connects_through_the_proxy() {
    let proxy = ConnectProxy::start().await;
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    slack.socket_mode_at(&behind_the_proxy(&socket.url));
    let app = socket_mode_app_through(slack, &proxy.url).await;
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() == 1).then_some(())
    })
    .await;
    let frame = command_envelope("env-proxy", TEAM, "U0ALICE", "C0MAKERS", "help");
    let ack = acked(&socket, 0, "env-proxy", &frame).await;
    assert_eq!(ack["payload"]["response_type"], "ephemeral");
    let socket_port = socket
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .split(['/', '?'])
        .next()
        .unwrap();
    assert!(
        proxy
            .targets()
            .contains(&format!("slack.test:{socket_port}")),
        "{:?}",
        proxy.targets()
    );
    drop(app);
}

/// A proxy that cannot be reached is named as the cause, not only as hyper's "client error
/// (Connect)", which a refused `CONNECT`, a proxy that fails its name look-up and an
/// untrusted certificate all said alike.
#[tokio::test]
async fn a_proxy_that_cannot_be_reached_is_said_in_healthz() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let slack = FakeSlack::start().await;
    slack.socket_mode().await;
    let app = socket_mode_app_through(slack, &proxy).await;
    let said = crate::helpers::socket::health_is(&app, 503, "apps.connections.open").await;
    assert!(said.contains("Connection refused"), "{said}");
}

/// A proxy the bot cannot speak to (SOCKS, or one spoken to over TLS) stops it at start,
/// naming the setting and not the password that may be in its address.
#[test]
fn a_proxy_it_cannot_use_is_refused_at_start_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let out = crate::binary_startup::run_with(
        dir.path(),
        "check",
        &[
            ("MAKERS_DB", db.to_str().unwrap()),
            (
                "HTTPS_PROXY",
                "socks5://sam:hunter2@proxy.council.example:1080",
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("HTTPS_PROXY") && said.contains("http:// proxy"),
        "{said}"
    );
    assert!(!said.contains("hunter2"), "{said}");
}
