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
    homes_are_published_with_their_own_tokens(&app, "first").await;
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
    // Due now: the scheduler queues it on its next tick. (Its first period, a week back from
    // now, must not reach within half a week of the due it posts, or that due counts as
    // covered: on a Thursday evening, for a Monday 09:00 digest, it did.)
    app.db()
        .execute(
            "UPDATE digest_subscriptions SET last_due_at = 0, sent_until = 0
             WHERE channel_id = 'C0DIGEST'",
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

/// Opens the Home of a person in each workspace (events named `round`) and checks that each
/// is published with its own workspace's token.
async fn homes_are_published_with_their_own_tokens(app: &TestApp, round: &str) {
    let before = app.slack.calls("views.publish").len();
    for (i, (team, user)) in [(TEAM_B, "U0BRAVO"), (TEAM_A, "U0ALPHA")]
        .iter()
        .enumerate()
    {
        let mut e: Value = serde_json::from_str(&fixture(
            "app-home-opened-home-tab.bolt-python.event_callback.json",
        ))
        .unwrap();
        e["team_id"] = (*team).into();
        e["event_id"] = format!("EvHome{round}{i}").into();
        e["event"]["user"] = (*user).into();
        e["authorizations"][0]["team_id"] = (*team).into();
        assert_eq!(app.event(&e).await.status, 200);
        app.slack
            .wait_for("views.publish", before + i + 1, SHORT)
            .await;
    }
    let published = app.slack.calls("views.publish");
    let by_user: HashMap<String, String> = published[before..]
        .iter()
        .map(|c| {
            let user = c.body["user_id"].as_str().unwrap_or("").to_string();
            (user, c.authorization.clone().unwrap_or_default())
        })
        .collect();
    assert_eq!(by_user["U0BRAVO"], format!("Bearer {TOKEN_B}"), "{round}");
    assert_eq!(by_user["U0ALPHA"], format!("Bearer {TOKEN_A}"), "{round}");
}

/// Changing `MAKERS_SECRET_KEY`: started with the new key and the old one as
/// `MAKERS_PREVIOUS_SECRET_KEY`, the bot seals every stored token again under the new key,
/// and each workspace is still served with its own token. From then on the new key alone
/// starts it, and the old one alone no longer does.
#[tokio::test]
async fn the_secret_key_can_be_changed_keeping_every_workspaces_token() {
    use makers_bot::domain::SealingKey;
    use makers_bot::slack::tokens::{KeyCheck, key_opens};
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let (db, slack, _dir) = app.stop().await;
    let sealed = || -> Vec<Vec<u8>> {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn
            .prepare("SELECT bot_token FROM installations ORDER BY team_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = sealed();
    let new_key = "ab".repeat(32);
    let settings = |key: &'static str, previous: &'static str| {
        vec![
            ("SLACK_BOT_TOKEN", ""),
            ("SLACK_CLIENT_ID", CLIENT_ID),
            ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
            ("MAKERS_SECRET_KEY", key),
            ("MAKERS_PREVIOUS_SECRET_KEY", previous),
        ]
    };
    let new_key: &'static str = new_key.leak();

    let app = try_spawn_app_on(&db, slack.clone(), &settings(new_key, KEY))
        .await
        .unwrap();
    let after = sealed();
    assert_eq!(after.len(), 2);
    assert!(
        before.iter().all(|b| !after.contains(b)),
        "every token sealed again"
    );
    let found = key_opens(
        &rusqlite::Connection::open(&db).unwrap(),
        &SealingKey::new(&[0xab; 32]),
        None,
    )
    .unwrap();
    assert_eq!(found, KeyCheck::Stored, "the key check is the new key's");
    homes_are_published_with_their_own_tokens(&app, "rekeyed").await;
    app.stop().await;

    // Started again with both, what is sealed under the new key is left as it is; but a
    // token a process still running with the old key sealed meanwhile (an install it
    // handled) is sealed again.
    let mut old_key = [0u8; 32];
    hex::decode_to_slice(KEY, &mut old_key).unwrap();
    let team_b = makers_bot::domain::TeamId::parse(TEAM_B).unwrap();
    let token_b = makers_bot::domain::BotToken::parse(TOKEN_B).unwrap();
    let straggler = SealingKey::new(&old_key).seal(&team_b, &token_b);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE installations SET bot_token = ?1 WHERE team_id = ?2",
            rusqlite::params![straggler, TEAM_B],
        )
        .unwrap();
    let app = try_spawn_app_on(&db, slack.clone(), &settings(new_key, KEY))
        .await
        .unwrap();
    let again = sealed();
    assert_eq!(again[0], after[0], "the new key's token left as it is");
    assert_ne!(again[1], straggler, "the straggler sealed again");
    homes_are_published_with_their_own_tokens(&app, "straggler").await;
    app.stop().await;
    // With the old key alone, it is refused.
    let refused = try_spawn_app_on(&db, slack.clone(), &settings(KEY, ""))
        .await
        .err()
        .expect("the old key alone no longer starts the bot");
    let said = format!("{refused:#}");
    assert!(
        said.contains("MAKERS_SECRET_KEY") && !said.contains(KEY),
        "{said}"
    );
    let app = try_spawn_app_on(&db, slack, &settings(new_key, ""))
        .await
        .unwrap();
    homes_are_published_with_their_own_tokens(&app, "new key alone").await;
}

/// `digest --now` run during a key change (the new key in `MAKERS_SECRET_KEY`, the old in
/// `MAKERS_PREVIOUS_SECRET_KEY`, as the recipe has them before the restart) posts with the
/// stored token, opened with the old key, and changes nothing: only `serve`'s start seals
/// the tokens again. (It sealed every token and the key check again under the new key,
/// which the running `serve`, still on the old key, could then not open: the workspaces
/// whose token it had not kept since its start got "something went wrong" until the restart.)
#[tokio::test]
async fn digest_now_during_a_key_change_opens_the_tokens_and_seals_nothing_again() {
    use makers_bot::domain::SealingKey;
    use makers_bot::slack::tokens::{KeyCheck, key_opens};
    let app = oauth_app().await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    app.slash_in(TEAM_B, "U0BRAVO", "C0DIGEST", "digest").await;
    let (db, slack, _dir) = app.stop().await;
    let sealed = || -> Vec<u8> {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT bot_token FROM installations", [], |r| r.get(0))
            .unwrap()
    };
    let before = sealed();
    let dir = tempfile::tempdir().unwrap();
    let out = crate::binary::bot(dir.path())
        .args(["digest", "--now"])
        .env("MAKERS_DB", &db)
        .env("SLACK_API_URL", &slack.url)
        .env("SLACK_BOT_TOKEN", "")
        .env("SLACK_CLIENT_ID", CLIENT_ID)
        .env("SLACK_CLIENT_SECRET", CLIENT_SECRET)
        .env("MAKERS_SECRET_KEY", "ab".repeat(32))
        .env("MAKERS_PREVIOUS_SECRET_KEY", KEY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let post = slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["channel"] == "C0DIGEST")
        .expect("the digest posted");
    assert_eq!(
        post.authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );
    assert!(sealed() == before, "the token is sealed again");
    let mut old_key = [0u8; 32];
    hex::decode_to_slice(KEY, &mut old_key).unwrap();
    let found = key_opens(
        &rusqlite::Connection::open(&db).unwrap(),
        &SealingKey::new(&old_key),
        None,
    )
    .unwrap();
    assert_eq!(
        found,
        KeyCheck::Stored,
        "the key check is still the old key's"
    );
}

/// A previous key that does not open the stored tokens either is refused, naming the key,
/// and nothing is sealed again.
#[tokio::test]
async fn a_previous_key_that_opens_nothing_is_refused() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let (db, slack, _dir) = app.stop().await;
    let refused = try_spawn_app_on(
        &db,
        slack,
        &[
            ("SLACK_BOT_TOKEN", ""),
            ("SLACK_CLIENT_ID", CLIENT_ID),
            ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
            ("MAKERS_SECRET_KEY", &"ab".repeat(32)),
            ("MAKERS_PREVIOUS_SECRET_KEY", &"cd".repeat(32)),
        ],
    )
    .await
    .err()
    .expect("neither key opens the tokens");
    let said = format!("{refused:#}");
    assert!(said.contains("MAKERS_PREVIOUS_SECRET_KEY"), "{said}");
}

/// `forget me` asked in one workspace publishes the person's Home afresh there and in the
/// other installed workspace that held them, each with its own token (which workspaces are
/// chosen: `handlers::tests::forget_me_names_the_other_installed_workspaces_that_held_them`).
#[tokio::test]
async fn forget_me_publishes_their_home_in_each_installed_workspace_that_held_them() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    const BOTH: &str = "U0BOTH";
    for team in [TEAM_A, TEAM_B] {
        let a = app
            .slash_in(team, BOTH, "C0MAKERS", "pitch Bin day finder")
            .await;
        assert!(a.said().contains("#1"), "{}", a.said());
    }
    let before = app.slack.calls("views.publish").len();
    let a = app.slash_in(TEAM_A, BOTH, "C0MAKERS", "forget me").await;
    assert!(a.said().contains("(2 in all)"), "{}", a.said());
    let published = app.slack.wait_for("views.publish", before + 2, SHORT).await;
    let mut tokens: Vec<String> = published[before..]
        .iter()
        .map(|c| {
            assert_eq!(c.body["user_id"], BOTH);
            c.authorization.clone().unwrap_or_default()
        })
        .collect();
    tokens.sort();
    assert_eq!(
        tokens,
        [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")]
    );
}

/// A council said in one workspace is named on the person's Home in every other (where they
/// said none), so `forget me` publishes their Home afresh in each other installed workspace
/// of their Enterprise Grid org (where their id is theirs), not only in those that held rows
/// of theirs: else it named the council until next opened.
#[tokio::test]
async fn forget_me_publishes_afresh_a_home_elsewhere_that_named_their_council() {
    let app = oauth_app().await;
    // Two workspaces of one Enterprise Grid org: one person's id is theirs in both.
    for (code, team, name, token) in [
        ("a", TEAM_A, "Alpha", TOKEN_A),
        ("b", TEAM_B, "Bravo", TOKEN_B),
    ] {
        let mut g = grant(team, name, token);
        g.enterprise = Some("E0GRID".into());
        install(&app, code, g).await;
    }
    const GRID: &str = "U0GRID";
    let a = app.slash_in(TEAM_A, GRID, "C0MAKERS", "council Adur").await;
    assert_eq!(a.status, 200);
    // Their Home in Bravo, where they said nothing, names the council said in Alpha.
    let before = app.slack.calls("views.publish").len();
    let mut e: Value = serde_json::from_str(&fixture(
        "app-home-opened-home-tab.bolt-python.event_callback.json",
    ))
    .unwrap();
    e["team_id"] = TEAM_B.into();
    e["event_id"] = "EvHomeGrid".into();
    e["event"]["user"] = GRID.into();
    e["authorizations"][0]["team_id"] = TEAM_B.into();
    assert_eq!(app.event(&e).await.status, 200);
    let opened = app.slack.wait_for("views.publish", before + 1, SHORT).await;
    assert!(
        opened[before].body.to_string().contains("Adur"),
        "{}",
        opened[before].body
    );
    let before = app.slack.calls("views.publish").len();
    let a = app.slash_in(TEAM_A, GRID, "C0MAKERS", "forget me").await;
    assert_eq!(a.status, 200);
    let published = app.slack.wait_for("views.publish", before + 2, SHORT).await;
    let bravo: Vec<_> = published[before..]
        .iter()
        .filter(|c| c.authorization.as_deref() == Some(&format!("Bearer {TOKEN_B}")))
        .collect();
    assert_eq!(bravo.len(), 1, "{published:?}");
    assert_eq!(bravo[0].body["user_id"], GRID);
    assert!(
        !bravo[0].body.to_string().contains("Adur"),
        "{}",
        bravo[0].body
    );
}
