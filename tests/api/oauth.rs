//! OAuth v2 install against the fake Slack: the install redirect, the callback and each way it
//! can fail (storing nothing), two workspaces each served with its own token, re-installs,
//! tokens never in the clear on disk, and workspaces removing the bot.

use std::collections::HashMap;

use serde_json::Value;

use crate::helpers::*;

pub const KEY: &str = "4f1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";
pub const CLIENT_ID: &str = "1111.2222";
pub const CLIENT_SECRET: &str = "client-secret-1234";

pub const TEAM_A: &str = "T0ALPHA";
pub const TEAM_B: &str = "T0BRAVO";
pub const TOKEN_A: &str = "xoxb-alpha-0000-secret-token-a";
pub const TOKEN_B: &str = "xoxb-bravo-0000-secret-token-b";

/// The bot with OAuth on and no `SLACK_BOT_TOKEN`.
pub async fn oauth_app() -> TestApp {
    spawn_app_settings(&[
        ("SLACK_BOT_TOKEN", ""),
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
        (
            "SLACK_OAUTH_AUTHORIZE_URL",
            "https://slack.example/oauth/v2/authorize",
        ),
    ])
    .await
}

pub fn grant(team: &str, name: &str, token: &str) -> Grant {
    Grant {
        team_id: team.into(),
        team_name: name.into(),
        token: token.into(),
        bot_user: format!("UBOT{team}"),
        installer: "U0INSTALLER".into(),
        org_wide: None,
        enterprise: None,
    }
}

/// The query pairs of a URL.
fn query_of(url: &str) -> HashMap<String, String> {
    let url = url::Url::parse(url).unwrap();
    url.query_pairs().into_owned().collect()
}

/// `GET /slack/install`; returns the state it handed out.
async fn start_install(app: &TestApp) -> String {
    let a = app.request("GET", "/slack/install", &[], "").await;
    assert_eq!(a.status, 302, "{}", a.body);
    query_of(a.header("location").unwrap())["state"].clone()
}

async fn callback(app: &TestApp, query: &str) -> Answer {
    app.request("GET", &format!("/slack/oauth/callback?{query}"), &[], "")
        .await
}

/// The whole install: redirect, Slack's approval (the fake's grant), callback.
pub async fn install(app: &TestApp, code: &str, g: Grant) -> Answer {
    let state = start_install(app).await;
    app.slack.grant(code, g);
    callback(app, &format!("code={code}&state={state}")).await
}

fn installations(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM installations")
}

#[tokio::test]
async fn install_redirects_to_slack_with_the_manifest_scopes_and_a_fresh_state() {
    let app = oauth_app().await;
    let a = app.request("GET", "/slack/install", &[], "").await;
    assert_eq!(a.status, 302);
    assert_eq!(a.header("cache-control"), Some("no-store"));
    let location = a.header("location").unwrap();
    assert!(
        location.starts_with("https://slack.example/oauth/v2/authorize?"),
        "{location}"
    );
    let q = query_of(location);
    assert_eq!(q["client_id"], CLIENT_ID);
    let scopes: Vec<&str> = q["scope"].split(',').collect();
    assert_eq!(scopes, makers_bot::slack::oauth::BOT_SCOPES);
    assert_eq!(
        q["redirect_uri"],
        format!("http://{}/slack/oauth/callback", app.addr)
    );
    let again = start_install(&app).await;
    assert_ne!(q["state"], again, "each install gets its own state");
    // Handing out links writes nothing (anyone may ask for one, as often as they like).
    for _ in 0..20 {
        start_install(&app).await;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM oauth_states"), 0);
}

#[tokio::test]
async fn two_workspaces_install_and_each_is_served_with_its_own_token() {
    let app = oauth_app().await;
    let a = install(&app, "code-a", grant(TEAM_A, "Alpha <Council>", TOKEN_A)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body.contains("Installed in Alpha &lt;Council&gt;"),
        "{}",
        a.body
    );
    let state = start_install(&app).await;
    app.slack.grant("code-b", grant(TEAM_B, "Bravo", TOKEN_B));
    let b = callback(&app, &format!("code=code-b&state={state}")).await;
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(installations(&app), 2);
    // The page loaded again (refreshed): not told the install failed.
    let again = callback(&app, &format!("code=code-b&state={state}")).await;
    assert!(
        again
            .body
            .contains("that installation worked: it is installed"),
        "{}",
        again.body
    );
    // Counted with the Web API's calls (at least these two: the registry is the test
    // process's, shared with other tests' installs).
    let metrics = app.request("GET", "/metrics", &[], "").await.body;
    let ok = "makers_slack_api_calls_total{method=\"oauth.v2.access\",outcome=\"ok\"}";
    assert!(
        crate::metrics::sample(&metrics, ok) >= Some(2.0),
        "{metrics}"
    );

    let access = app.slack.calls("oauth.v2.access");
    assert_eq!(access.len(), 2);
    assert_eq!(access[0].body["client_id"], CLIENT_ID);
    assert_eq!(access[0].body["client_secret"], CLIENT_SECRET);
    assert_eq!(access[0].body["code"], "code-a");
    let redirect = format!("http://{}/slack/oauth/callback", app.addr);
    assert_eq!(access[0].body["redirect_uri"], redirect.as_str());

    let row: (String, String, String, String) = app
        .db()
        .query_row(
            "SELECT team_name, bot_user_id, installed_by, scopes FROM installations WHERE team_id = ?1",
            [TEAM_A],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(row.0, "Alpha <Council>");
    assert_eq!(row.1, format!("UBOT{TEAM_A}"));
    assert_eq!(row.2, "U0INSTALLER");
    assert!(row.3.contains("chat:write"));

    // A pitcher of each workspace, so that every call names the workspace it is for.
    let people = [
        (TEAM_A, "C0ALPHA", "U0PITCHA"),
        (TEAM_B, "C0BRAVO", "U0PITCHB"),
    ];
    for (team, channel, pitcher) in people {
        let a = app
            .slash_in(team, pitcher, channel, "pitch Bin sensors | Count the bins")
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage");
    let token_of = |channel: &str| -> Vec<String> {
        posts
            .iter()
            .filter(|c| c.body["channel"] == channel)
            .map(|c| c.authorization.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(token_of("C0ALPHA"), [format!("Bearer {TOKEN_A}")]);
    assert_eq!(token_of("C0BRAVO"), [format!("Bearer {TOKEN_B}")]);
    // Every other call (the channels looked up, the pitchers' DMs, users.info, …) used its
    // workspace's token too: the one of the workspace its channel or person is in (the fake
    // takes either token for any call, so only this says a call went with the wrong one).
    for call in app.slack.all_calls() {
        if call.method == "oauth.v2.access" {
            continue;
        }
        let body = call.body.to_string();
        let of = |(_, channel, pitcher): (&str, &str, &str)| {
            body.contains(channel) || body.contains(pitcher)
        };
        let token = match (of(people[0]), of(people[1])) {
            (true, false) => TOKEN_A,
            (false, true) => TOKEN_B,
            _ => panic!("{} names no one workspace: {body}", call.method),
        };
        assert_eq!(
            call.authorization.as_deref(),
            Some(format!("Bearer {token}").as_str()),
            "{} {body}",
            call.method
        );
    }
}

#[tokio::test]
async fn every_failed_callback_answers_a_page_and_stores_nothing() {
    let app = oauth_app().await;
    app.slack.grant("good", grant(TEAM_A, "Alpha", TOKEN_A));

    let denied = callback(&app, "error=access_denied&state=whatever").await;
    assert_eq!(denied.status, 403);
    assert!(denied.body.contains("cancelled"), "{}", denied.body);
    // The same guard as the catalogue's pages: no script, no sniffing.
    assert_eq!(denied.header("x-content-type-options"), Some("nosniff"));
    assert!(
        denied
            .header("content-security-policy")
            .is_some_and(|p| p.contains("default-src 'none'") && p.contains("base-uri 'none'"))
    );

    let no_state = callback(&app, "code=good").await;
    assert_eq!(no_state.status, 400);
    assert!(no_state.body.contains("no state"), "{}", no_state.body);
    // Back to the install page relatively, so a path prefix in front of the bot is kept.
    assert!(
        no_state.body.contains(r#"href="../install""#),
        "{}",
        no_state.body
    );

    let state = start_install(&app).await;
    let mut forged = state.clone();
    forged.replace_range(..2, if state.starts_with("00") { "11" } else { "00" });
    let a = callback(&app, &format!("code=good&state={forged}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("not made by this server"), "{}", a.body);
    let made_up = callback(&app, "code=good&state=abc.123.def").await;
    assert_eq!(made_up.status, 400);

    // Expired: ten minutes after it was handed out.
    let expiring = start_install(&app).await;
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 600);
    let a = callback(&app, &format!("code=good&state={expiring}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("expired"), "{}", a.body);
    app.clock.set_timestamp(now);

    // A link without its code is refused before the state is used up (a write each), so
    // the state still serves the real link.
    let state = start_install(&app).await;
    let a = callback(&app, &format!("state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("no authorisation code"), "{}", a.body);
    let a = callback(&app, &format!("code=unknown&state={state}")).await;
    assert!(a.body.contains("invalid_code"), "not used up: {}", a.body);

    // Slack refuses the code.
    let state = start_install(&app).await;
    let a = callback(&app, &format!("code=unknown&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("invalid_code"), "{}", a.body);
    // … and the state it came with is used up.
    let a = callback(&app, &format!("code=good&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("used already"), "{}", a.body);

    // An org-wide install has no workspace: refused kindly.
    let state = start_install(&app).await;
    let mut org = grant(TEAM_B, "Bravo", TOKEN_B);
    org.org_wide = Some("E0ORG".into());
    app.slack.grant("org", org);
    let a = callback(&app, &format!("code=org&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("one workspace at a time"), "{}", a.body);
    // Slack installed it when the admin approved: the token is given back, so "Nothing was
    // changed" holds at Slack too.
    let revoked = app.slack.calls("auth.revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        revoked[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );

    // The app has token rotation on (Slack's own sample answer): its token would expire in
    // 12 hours, and the bot does not renew tokens. Refused, and the token given back.
    let state = start_install(&app).await;
    let rotating: serde_json::Value = serde_json::from_str(&fixture(
        "oauth-v2-access-token-rotation.python-slack-sdk.response.json",
    ))
    .unwrap();
    app.slack.grant_answer("rotating", rotating);
    let a = callback(&app, &format!("code=rotating&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("token rotation turned on"), "{}", a.body);
    let revoked = app.slack.calls("auth.revoke");
    assert_eq!(revoked.len(), 2);
    assert_eq!(
        revoked[1].authorization.as_deref(),
        Some("Bearer xoxe.xoxb-1-yyy")
    );

    // Slack's answer holds no bot token (a user token only).
    let state = start_install(&app).await;
    app.slack
        .grant("user", grant(TEAM_B, "Bravo", "xoxp-a-user-token"));
    let a = callback(&app, &format!("code=user&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("did not send a bot token"), "{}", a.body);

    // Slack down.
    let state = start_install(&app).await;
    app.slack.script("oauth.v2.access", Script::Status(503));
    let a = callback(&app, &format!("code=good&state={state}")).await;
    assert_eq!(a.status, 502);

    assert_eq!(installations(&app), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM secret_key_check"), 1);
    // The forged, made-up and expired states never reached Slack (the one code refused,
    // sent twice with its state, did).
    assert_eq!(app.slack.calls("oauth.v2.access").len(), 6);
    for a in [denied, no_state] {
        assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    }

    // A state is good once: the first use installs, the second is refused.
    let state = start_install(&app).await;
    let ok = callback(&app, &format!("code=good&state={state}")).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    app.slack.grant("again", grant(TEAM_B, "Bravo", TOKEN_B));
    let reused = callback(&app, &format!("code=again&state={state}")).await;
    assert_eq!(reused.status, 400);
    // Nor is it good again spelt another way (its signature in capitals).
    let (signed, tag) = state.rsplit_once('.').unwrap();
    let shouted = format!("{signed}.{}", tag.to_ascii_uppercase());
    app.slack.grant("again", grant(TEAM_B, "Bravo", TOKEN_B));
    let reused = callback(&app, &format!("code=again&state={shouted}")).await;
    assert_eq!(reused.status, 400);
    assert_eq!(installations(&app), 1);
}

#[tokio::test]
async fn reinstalling_updates_the_workspace_and_its_token() {
    let app = oauth_app().await;
    install(&app, "first", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let installed_at = app.count("SELECT installed_at FROM installations");
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 3600);
    let new_token = "xoxb-alpha-0000-the-new-token";
    let mut again = grant(TEAM_A, "Alpha Renamed", new_token);
    again.installer = "U0SECOND".into();
    let a = install(&app, "second", again).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Installed in Alpha Renamed"));
    assert_eq!(installations(&app), 1);
    let (name, by, at, updated): (String, String, i64, i64) = app
        .db()
        .query_row(
            "SELECT team_name, installed_by, installed_at, updated_at FROM installations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), by.as_str()), ("Alpha Renamed", "U0SECOND"));
    assert_eq!(at, installed_at);
    // The test clock keeps ticking after it is set: a busy machine may cross a second.
    assert!(
        (now + 3600..now + 3603).contains(&updated),
        "updated at {updated}, set to {}",
        now + 3600
    );

    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Potholes | Report them")
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(
        posts[0].authorization.as_deref(),
        Some(format!("Bearer {new_token}").as_str())
    );
    // After a restart the token is read back from the database (and opens with the key).
    let app = app.restart().await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA2", "pitch Gritting | Salt the roads")
        .await;
    app.outbox_settled().await;
    let later: Vec<Call> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == "C0ALPHA2")
        .collect();
    assert_eq!(
        later[0].authorization.as_deref(),
        Some(format!("Bearer {new_token}").as_str())
    );

    // Installed again after someone turned token rotation on: refused, but the token it was
    // granted is not given back, since a workspace installed already may be granted the
    // very token the bot has stored; the install that works stays as it is.
    let state = start_install(&app).await;
    let mut rotating: serde_json::Value = serde_json::from_str(&fixture(
        "oauth-v2-access-token-rotation.python-slack-sdk.response.json",
    ))
    .unwrap();
    rotating["team"]["id"] = TEAM_A.into();
    app.slack.grant_answer("rotating", rotating);
    let a = callback(&app, &format!("code=rotating&state={state}")).await;
    assert_eq!(a.status, 400);
    assert!(app.slack.calls("auth.revoke").is_empty());
    assert_eq!(installations(&app), 1);
}

#[tokio::test]
async fn without_oauth_the_install_routes_are_not_there() {
    let app = spawn_app().await;
    assert_eq!(
        app.request("GET", "/slack/install", &[], "").await.status,
        404
    );
    let a = app
        .request("GET", "/slack/oauth/callback?code=x&state=y", &[], "")
        .await;
    assert_eq!(a.status, 404);
}

/// A real fixture event for `team`, with its own event id.
/// Slack's sample of a removal, for `team`, raised now (as Slack raises it: the samples'
/// `event_time` is from the day they were written).
pub fn removal_event(app: &TestApp, fixture_name: &str, team: &str, id: &str) -> Value {
    let mut v: Value = serde_json::from_str(&fixture(fixture_name)).unwrap();
    v["team_id"] = team.into();
    v["event_id"] = id.into();
    v["event_time"] = app.clock.now().timestamp().into();
    v
}

/// Slack's answer to the code exchange has one deadline for its headers and its body: one
/// whose body never finishes gives the installer the "could not reach Slack" page, within
/// the call's 10 s, rather than holding the page open for ever.
#[tokio::test]
async fn an_answer_whose_body_never_ends_is_given_up() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stall = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/", stall.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = stall.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"ok\":";
                let _ = conn.write_all(head.as_bytes()).await;
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            });
        }
    });
    let app = spawn_app_settings(&[
        ("SLACK_BOT_TOKEN", ""),
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
        ("SLACK_API_URL", &url),
    ])
    .await;
    let state = start_install(&app).await;
    // Well past the call's 10 s: the body's 60 s stall is what would be waited for.
    let a = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        callback(&app, &format!("code=c&state={state}")),
    )
    .await
    .expect("the callback answers");
    assert_eq!(a.status, 502, "{}", a.body);
    assert_eq!(installations(&app), 0);
}

/// An install the bot cannot record (the database refusing it) has its token given back, as
/// Slack installed the app on approval, unless the workspace is installed already: then the
/// token granted may be the very one stored, and the install that works keeps it.
#[tokio::test]
async fn an_install_that_cannot_be_recorded_gives_its_token_back_unless_installed() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.db()
        .execute_batch(
            "CREATE TRIGGER refuse_installs BEFORE INSERT ON installations
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let b = install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    assert_eq!(b.status, 500, "{}", b.body);
    let revoked = app.slack.calls("auth.revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        revoked[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );
    let a = install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(app.slack.calls("auth.revoke").len(), 1, "A keeps its token");
    assert_eq!(installations(&app), 1);
}

/// An answer that grants a token but lacks an id the install needs (the app's, the
/// installer's) cannot be recorded: Slack installed the app on approval, so its token is
/// given back, as "Nothing was changed" says.
#[tokio::test]
async fn an_answer_missing_an_id_gives_its_token_back() {
    let app = oauth_app().await;
    let mut no_app = grant(TEAM_A, "Alpha", TOKEN_A).answer();
    no_app["app_id"] = "".into();
    let mut no_installer = grant(TEAM_B, "Bravo", TOKEN_B).answer();
    no_installer.as_object_mut().unwrap().remove("authed_user");
    for (code, answer, token) in [
        ("no-app", no_app, TOKEN_A),
        ("no-user", no_installer, TOKEN_B),
    ] {
        let state = start_install(&app).await;
        app.slack.grant_answer(code, answer);
        let a = callback(&app, &format!("code={code}&state={state}")).await;
        assert_eq!(a.status, 400, "{}", a.body);
        assert!(a.body.contains("Nothing was changed"), "{}", a.body);
        let revoked = app.slack.calls("auth.revoke");
        assert_eq!(
            revoked.last().and_then(|c| c.authorization.as_deref()),
            Some(format!("Bearer {token}").as_str())
        );
    }
    assert_eq!(app.slack.calls("auth.revoke").len(), 2);
    assert_eq!(installations(&app), 0);
}

/// An answer that is `ok` but grants no bot token (nor bot user) installs nothing: a refused
/// install, answered 4xx like Slack's `ok:false`, not the 502 of a Slack that cannot be reached.
#[tokio::test]
async fn an_ok_answer_without_a_bot_token_is_a_refused_install() {
    let app = oauth_app().await;
    let state = start_install(&app).await;
    app.slack.grant_answer(
        "bare",
        serde_json::json!({"ok": true, "team": {"id": TEAM_A, "name": "Alpha"}}),
    );
    let a = callback(&app, &format!("code=bare&state={state}")).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.body.contains("did not send a bot token"), "{}", a.body);
    assert_eq!(installations(&app), 0);
}

/// The callback's page loaded again (reload, back button) says the workspace is installed
/// only when that link's install worked: after a Slack that could not be reached, or an
/// install that could not be recorded, it says the install did not finish.
#[tokio::test]
async fn a_callback_loaded_again_says_installed_only_if_it_installed() {
    let app = oauth_app().await;
    let state = start_install(&app).await;
    app.slack.grant("down", grant(TEAM_A, "Alpha", TOKEN_A));
    app.slack.script("oauth.v2.access", Script::Status(500));
    let url = format!("code=down&state={state}");
    assert_eq!(callback(&app, &url).await.status, 502);
    let again = callback(&app, &url).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(!again.body.contains("it is installed"), "{}", again.body);
    assert!(again.body.contains("did not finish"), "{}", again.body);
    assert!(
        again.body.contains(r#"href="../install""#),
        "{}",
        again.body
    );

    // Not recorded (the database refusing it): the same.
    app.db()
        .execute_batch(
            "CREATE TRIGGER refuse_installs BEFORE INSERT ON installations
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let state = start_install(&app).await;
    app.slack.grant("full", grant(TEAM_A, "Alpha", TOKEN_A));
    let url = format!("code=full&state={state}");
    assert_eq!(callback(&app, &url).await.status, 500);
    let again = callback(&app, &url).await;
    assert!(!again.body.contains("it is installed"), "{}", again.body);
    assert!(again.body.contains("did not finish"), "{}", again.body);

    // Installed: loaded again, it says so.
    app.db()
        .execute_batch("DROP TRIGGER refuse_installs")
        .unwrap();
    let state = start_install(&app).await;
    app.slack.grant("good", grant(TEAM_A, "Alpha", TOKEN_A));
    let url = format!("code=good&state={state}");
    assert_eq!(callback(&app, &url).await.status, 200);
    let again = callback(&app, &url).await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert!(again.body.contains("it is installed"), "{}", again.body);
    assert_eq!(installations(&app), 1);
}

/// Nor is `SLACK_BOT_TOKEN` given back: a workspace it serves, installing through OAuth, may
/// be granted that very token, which the bot goes on using for it.
#[tokio::test]
async fn an_install_that_cannot_be_recorded_keeps_the_configured_token() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    app.db()
        .execute_batch(
            "CREATE TRIGGER refuse_installs BEFORE INSERT ON installations
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let a = install(&app, "t", grant(TEAM, "Served", TOKEN)).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert!(app.slack.calls("auth.revoke").is_empty());
}

/// With `MAKERS_ALLOWED_WORKSPACES`, a workspace not listed that reaches `/slack/install`
/// (Slack's public distribution lets any) is refused at the callback with a page that says
/// so, nothing is stored and its token is given back; a listed one installs.
#[tokio::test]
async fn only_the_allowed_workspaces_may_install() {
    let app = spawn_app_settings(&[
        ("SLACK_BOT_TOKEN", ""),
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
        ("MAKERS_ALLOWED_WORKSPACES", &format!("{TEAM_A}, T0OTHER")),
    ])
    .await;
    let b = install(&app, "code-b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    assert_eq!(b.status, 403, "{}", b.body);
    assert!(
        b.body.contains("Not a workspace this Makers serves") && b.body.contains(TEAM_B),
        "{}",
        b.body
    );
    assert_eq!(installations(&app), 0);
    let revoked = app.slack.calls("auth.revoke");
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        revoked[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN_B}").as_str())
    );
    let a = install(&app, "code-a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(installations(&app), 1);
}

/// A workspace installed before `MAKERS_ALLOWED_WORKSPACES` left it out stays installed (the
/// list keeps out new installs): the bot says so in its log at start, naming it, so the
/// operator can remove the app there or erase it.
#[tokio::test]
async fn a_workspace_installed_but_not_allowed_is_named_at_start() {
    use crate::helpers::process::{BotProcess, Launch, process_log};
    let app = oauth_app().await;
    let a = install(&app, "code-a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let (db, slack, _dir) = app.stop().await;
    let env = [
        ("SLACK_CLIENT_ID", CLIENT_ID.to_string()),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET.to_string()),
        ("MAKERS_SECRET_KEY", KEY.to_string()),
        ("MAKERS_ALLOWED_WORKSPACES", TEAM_B.to_string()),
    ];
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &env).await;
    assert_eq!(bot.health().await, 200);
    let log = std::fs::read_to_string(process_log(&db)).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("not in MAKERS_ALLOWED_WORKSPACES") && l.contains(TEAM_A)),
        "{log}"
    );
}

/// A workspace whose install was refused here still has the app, as Slack sees it, and Slack
/// sends a `user_change` for every status or profile change of its members (thousands a
/// day): the bot says once a minute that it does not serve it, with how many went unlogged,
/// not a line each, which would flood the journal.
#[tokio::test]
async fn an_unserved_workspaces_profile_changes_are_logged_once_a_minute() {
    use crate::helpers::logs::{capture_logs, logged_with};
    const UNSERVED: &str = "T0UNSERVED9";
    capture_logs();
    let app = oauth_app().await;
    for i in 0..50 {
        let mut env = crate::left_slack::user_change(&format!("EvUnserved{i}"), "U0DAN", false);
        env["team_id"] = UNSERVED.into();
        env["authorizations"][0]["team_id"] = UNSERVED.into();
        env["event"]["user"]["team_id"] = UNSERVED.into();
        assert_eq!(app.event(&env).await.status, 200);
    }
    let warned = logged_with(&["WARN", "does not serve", UNSERVED]);
    assert_eq!(warned.len(), 1, "{warned:#?}");
}

/// A loop of made-up codes through the callback (install links are free to ask for) is
/// answered 429 once Slack has refused 20 codes in a minute, without a write or a call to
/// Slack, so it cannot use up the app's limit on `oauth.v2.access` while a council installs;
/// a minute later a real install goes through.
#[tokio::test]
async fn a_loop_of_refused_codes_is_held_off_for_a_minute() {
    let app = oauth_app().await;
    for i in 0..20 {
        let state = start_install(&app).await;
        let a = callback(&app, &format!("code=made-up-{i}&state={state}")).await;
        assert_eq!(a.status, 400, "{}", a.body);
    }
    let state = start_install(&app).await;
    let a = callback(&app, &format!("code=made-up-20&state={state}")).await;
    assert_eq!(a.status, 429, "{}", a.body);
    assert_eq!(a.header("retry-after"), Some("60"));
    assert!(
        a.body.contains("please start again in a minute"),
        "{}",
        a.body
    );
    assert_eq!(app.slack.calls("oauth.v2.access").len(), 20);
    // Its state was not used up: with a real code a minute later, it installs.
    app.clock.set_timestamp(app.clock.now().timestamp() + 61);
    app.slack.grant("real", grant(TEAM_A, "Alpha", TOKEN_A));
    let a = callback(&app, &format!("code=real&state={state}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(installations(&app), 1);
}

/// The install's pages are pages of the council's site too: each links the operator's
/// accessibility statement (and the rest set), and the page after an install says what the
/// workspace's people do first and where other councils' services are.
#[tokio::test]
async fn the_install_pages_link_the_operators_pages_and_say_what_comes_first() {
    let statement = "https://www.example.gov.uk/accessibility";
    let contact = "mailto:makers@example.gov.uk";
    let app = oauth_app()
        .await
        .restart_with(&[
            ("MAKERS_ACCESSIBILITY_URL", statement),
            ("MAKERS_CONTACT_URL", contact),
        ])
        .await;
    let links = [
        format!("<footer><p><a href=\"{statement}\">Accessibility statement</a></p>"),
        format!("<p><a href=\"{contact}\">Contact whoever runs Makers</a></p></footer>"),
    ];
    let done = install(&app, "code-a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let refused = callback(&app, "state=x").await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let to_slack = app.request("GET", "/slack/install", &[], "").await;
    for page in [&done, &refused, &to_slack] {
        for link in &links {
            assert!(page.body.contains(link.as_str()), "{link}: {}", page.body);
        }
    }
    for said in [
        "say which council they work for first, with <code>/makers council &lt;name&gt;</code>",
        "<a href=\"../../catalogue\">the public catalogue</a>",
    ] {
        assert!(done.body.contains(said), "{said}: {}", done.body);
    }
    // Resolved from the callback's address, the catalogue's link leads to the catalogue.
    let base = url::Url::parse(&format!("http://{}/slack/oauth/callback", app.addr)).unwrap();
    let catalogue = base.join("../../catalogue").unwrap();
    assert_eq!(catalogue.path(), "/catalogue");
    assert_eq!(
        app.request("GET", catalogue.path(), &[], "").await.status,
        200
    );
}

/// The bot killed outright while it asks Slack for the token (`oauth.v2.access`): Slack
/// installed the app at the admin's approval, and no token is stored here. The page loaded
/// again says the installation did not finish and to start again; it said to look for
/// Makers in Slack in a moment, where the app is listed but never answers. While the
/// exchange runs, a page loaded again still says to wait.
#[tokio::test]
async fn a_page_loaded_again_after_a_kill_mid_install_says_to_start_again() {
    use crate::helpers::process::{BotProcess, Launch};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let slack = FakeSlack::start().await;
    let env = [
        ("SLACK_BOT_TOKEN", String::new()),
        ("SLACK_CLIENT_ID", CLIENT_ID.to_string()),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET.to_string()),
        ("MAKERS_SECRET_KEY", KEY.to_string()),
    ];
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &env).await;
    let to_slack = bot
        .request("GET", "/slack/install", &[], String::new())
        .await
        .unwrap();
    let state = query_of(to_slack.header("location").unwrap())["state"].clone();
    slack.grant("code-a", grant(TEAM_A, "Alpha", TOKEN_A));
    slack.script("oauth.v2.access", Script::Held);
    let callback = format!("/slack/oauth/callback?code=code-a&state={state}");
    let (addr, path) = (bot.addr, callback.clone());
    let first =
        tokio::spawn(
            async move { send(&client(), addr, "GET", &path, &[], Default::default()).await },
        );
    eventually("the code at Slack", SHORT, || {
        (slack.held("oauth.v2.access") == 1).then_some(())
    })
    .await;
    let meanwhile = bot.get(&callback).await;
    assert!(
        meanwhile.contains("Look for Makers in Slack in a moment"),
        "{meanwhile}"
    );

    bot.kill();
    let _ = first.await;
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &env).await;
    let again = bot.get(&callback).await;
    assert!(
        again.contains("did not finish") && again.contains("start the installation again"),
        "{again}"
    );
    assert!(!again.contains("Look for Makers in Slack"), "{again}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let installed: i64 = conn
        .query_row("SELECT COUNT(*) FROM installations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(installed, 0, "no token here");
    bot.kill();
}
