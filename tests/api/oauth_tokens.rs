//! Bot tokens at rest and in use: never in the clear in the database file or its WAL (before
//! and after a checkpoint), and each workspace's Home, forms and digests with its own token.

use std::collections::HashMap;

use serde_json::Value;

use crate::helpers::*;
use crate::oauth::*;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn tokens_are_never_in_the_clear_in_the_database_or_its_log() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let wal = app.db_path.with_extension("db-wal");
    let wal_bytes = std::fs::read(&wal).unwrap();
    assert!(
        !wal_bytes.is_empty(),
        "the installs are in the WAL before a checkpoint"
    );
    for token in [TOKEN_A, TOKEN_B] {
        // The secret part, which no other row could hold.
        let secret = token.trim_start_matches("xoxb-").as_bytes();
        assert!(!contains(&std::fs::read(&app.db_path).unwrap(), secret));
        assert!(!contains(&wal_bytes, secret), "{token} in the WAL");
    }
    app.db()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let file = std::fs::read(&app.db_path).unwrap();
    assert!(contains(&file, b"Alpha"), "the checkpoint reached the file");
    for token in [TOKEN_A, TOKEN_B] {
        let secret = token.trim_start_matches("xoxb-").as_bytes();
        assert!(!contains(&file, secret), "{token} in the database file");
    }
    // And the sealed token is not a token, yet works: proven by the posts in the tests above.
    let sealed: Vec<u8> = app
        .db()
        .query_row("SELECT bot_token FROM installations LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(sealed.len() > 24 + 16 && !sealed.starts_with(b"xoxb"));
}

#[tokio::test]
async fn each_workspaces_home_is_published_with_its_own_token() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    for (i, (team, user)) in [(TEAM_B, "U0BRAVO"), (TEAM_A, "U0ALPHA")]
        .iter()
        .enumerate()
    {
        let mut e: Value = serde_json::from_str(&fixture(
            "app-home-opened-home-tab.bolt-python.event_callback.json",
        ))
        .unwrap();
        e["team_id"] = (*team).into();
        e["event_id"] = format!("EvHome{i}").into();
        e["event"]["user"] = (*user).into();
        e["authorizations"][0]["team_id"] = (*team).into();
        assert_eq!(app.event(&e).await.status, 200);
        app.slack.wait_for("views.publish", i + 1, SHORT).await;
    }
    let published = app.slack.calls("views.publish");
    let by_user: HashMap<String, String> = published
        .iter()
        .map(|c| {
            let user = c.body["user_id"].as_str().unwrap_or("").to_string();
            (user, c.authorization.clone().unwrap_or_default())
        })
        .collect();
    assert_eq!(by_user["U0BRAVO"], format!("Bearer {TOKEN_B}"));
    assert_eq!(by_user["U0ALPHA"], format!("Bearer {TOKEN_A}"));
}

#[tokio::test]
async fn a_shortcut_opens_its_form_with_its_workspaces_token() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let mut p: Value = serde_json::from_str(&fixture("shortcut-global.payload.json")).unwrap();
    p["team"]["id"] = TEAM_B.into();
    p["user"]["id"] = "U0BRAVO".into();
    p["user"]["team_id"] = TEAM_B.into();
    p["callback_id"] = "pitch".into();
    let body = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    let a = app.interact(&body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let opened = app.slack.wait_for("views.open", 1, SHORT).await;
    assert_eq!(
        opened[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );
}

#[tokio::test]
async fn the_schedulers_digest_goes_out_with_its_workspaces_token() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let a = app.slash_in(TEAM_B, "U0BRAVO", "C0DIGEST", "digest").await;
    assert!(a.text().contains("every *"), "{}", a.body);
    // Due now: the scheduler queues it on its next tick.
    app.db()
        .execute(
            "UPDATE digest_subscriptions SET last_due_at = 0 WHERE channel_id = 'C0DIGEST'",
            [],
        )
        .unwrap();
    let post = eventually("the digest posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == "C0DIGEST")
    })
    .await;
    assert_eq!(
        post.authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );
}
