//! Socket Mode with OAuth, as a council with no public URL runs it for many workspaces: one
//! app-level socket carries every workspace's traffic, and each workspace's work is done with
//! its own bot token. Only the installer's browser reaches `/slack/install`.

use crate::helpers::socket::{acked, command_envelope, spawn_socket_only};
use crate::helpers::*;
use crate::oauth::{
    CLIENT_ID, CLIENT_SECRET, KEY, TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, grant, install,
};

#[tokio::test]
async fn one_socket_serves_two_installed_workspaces_each_with_its_own_token() {
    let (app, socket) = spawn_socket_only(&[
        ("SLACK_BOT_TOKEN", ""),
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    // No Slack HTTP routes without a signing secret, but the install routes are served.
    let a = app.request("POST", "/slack/commands", &[], "").await;
    assert_eq!(a.status, 404);
    for (code, team, token) in [("code-a", TEAM_A, TOKEN_A), ("code-b", TEAM_B, TOKEN_B)] {
        let a = install(&app, code, grant(team, team, token)).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() == 1).then_some(())
    })
    .await;
    for (i, (team, channel)) in [(TEAM_A, "C0ALPHA"), (TEAM_B, "C0BRAVO")]
        .iter()
        .enumerate()
    {
        let id = format!("env-pitch-{i}");
        let frame = command_envelope(&id, team, "U0PITCHER", channel, "pitch Grit bins | Sensors");
        let ack = acked(&socket, 0, &id, &frame).await;
        assert!(ack["payload"].to_string().contains("Grit bins"), "{ack}");
    }
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage");
    for (channel, token) in [("C0ALPHA", TOKEN_A), ("C0BRAVO", TOKEN_B)] {
        let used: Vec<String> = posts
            .iter()
            .filter(|c| c.body["channel"] == channel)
            .map(|c| c.authorization.clone().unwrap_or_default())
            .collect();
        assert_eq!(used, [format!("Bearer {token}")], "{channel}");
    }
}
