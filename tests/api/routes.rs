//! The contract's routes, and the gate in front of them: signatures and body limits.

use serde_json::Value;

use crate::helpers::*;

type Headers = Vec<(&'static str, String)>;

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let app = spawn_app().await;
    assert_eq!(app.request("GET", "/nope", &[], "").await.status, 404);
    assert_eq!(app.request("POST", "/slack", &[], "").await.status, 404);
    for path in ["/slack/events", "/slack/commands", "/slack/interactions"] {
        assert_eq!(
            app.request("GET", path, &[], "").await.status,
            405,
            "{path}"
        );
        assert_eq!(
            app.request("PUT", path, &[], "").await.status,
            405,
            "{path}"
        );
    }
    assert_eq!(app.request("POST", "/healthz", &[], "").await.status, 405);
}

#[tokio::test]
async fn url_verification_echoes_the_challenge() {
    let app = spawn_app().await;
    let a = app
        .post_signed(
            "/slack/events",
            "application/json",
            &fixture("url-verification.json"),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.json()["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
}

/// Every way a request can fail the signature check, on every Slack route: 401 and nothing
/// recorded.
#[tokio::test]
async fn badly_signed_requests_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let pitch = slash_body(TEAM, "U1", "C1", "pitch Sneaky | should never be recorded");
    let event = mention("EvBAD", "U1", "C1", "1700000001.000001", "pitch Sneaky").to_string();
    let bodies = [
        ("/slack/commands", pitch.as_str()),
        ("/slack/events", event.as_str()),
        (
            "/slack/interactions",
            fixture("block-actions.form.txt").leak() as &str,
        ),
    ];
    for (path, body) in bodies {
        let good = signed_headers(body, now());
        let cases: Vec<(&str, Headers, String)> = vec![
            ("no headers", vec![], body.into()),
            ("no timestamp", vec![good[0].clone()], body.into()),
            ("no signature", vec![good[1].clone()], body.into()),
            (
                "wrong secret",
                {
                    let mut h = good.clone();
                    h[0].1 = makers_bot::slack::verify::sign(
                        &makers_bot::config::Secret::new("other"),
                        &h[1].1,
                        body.as_bytes(),
                    );
                    h
                },
                body.into(),
            ),
            ("stale", signed_headers(body, now() - 301), body.into()),
            (
                "from the future",
                signed_headers(body, now() + 301),
                body.into(),
            ),
            ("tampered body", good.clone(), format!("{body}&extra=1")),
            (
                "garbage signature",
                vec![("x-slack-signature", "v0=xyz".into()), good[1].clone()],
                body.into(),
            ),
        ];
        for (what, headers, sent) in cases {
            let a = app.request("POST", path, &headers, sent).await;
            assert_eq!(a.status, 401, "{path}: {what}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM processed_events"), 0);
    // Every post goes through the outbox, and it is empty: nothing can reach Slack later.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), 0);
    assert!(app.slack.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn an_oversized_body_is_413_even_when_signed() {
    let app = spawn_app().await;
    let body = format!(
        "text={}",
        "a".repeat(makers_bot::slack::routes::MAX_BODY_BYTES + 1)
    );
    let a = app.post_signed("/slack/commands", FORM, &body).await;
    assert_eq!(a.status, 413);
    let just_under = slash_body(TEAM, "U1", "C1", &format!("help {}", "a".repeat(1000)));
    assert_eq!(
        app.post_signed("/slack/commands", FORM, &just_under)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn interactions_are_acknowledged_at_once() {
    let app = spawn_app().await;
    for name in ["block-actions.form.txt", "view-submission.form.txt"] {
        let a = app
            .post_signed("/slack/interactions", FORM, &fixture(name))
            .await;
        assert_eq!(a.status, 200, "{name}");
    }
}

#[tokio::test]
async fn events_we_do_not_act_on_are_acknowledged() {
    let app = spawn_app().await;
    for name in [
        "message-channels.event_callback.json",
        "app-home-opened.event_callback.json",
        "app-rate-limited.json",
        "member-joined-channel.event_callback.json",
    ] {
        let a = app
            .post_signed("/slack/events", "application/json", &fixture(name))
            .await;
        assert_eq!(a.status, 200, "{name}");
    }
    let v: Value = serde_json::from_str(&fixture("reaction-added.event_callback.json")).unwrap();
    assert_eq!(app.event(&v).await.status, 200);
}

#[tokio::test]
async fn a_signed_but_malformed_body_gets_an_answer_not_a_crash() {
    let app = spawn_app().await;
    assert_eq!(
        app.post_signed("/slack/events", "application/json", "{not json")
            .await
            .status,
        200
    );
    let a = app.post_signed("/slack/commands", FORM, "team_id=T1").await;
    assert_eq!(a.status, 200);
    assert!(a.text().contains("went wrong"), "{}", a.body);
    assert_eq!(
        app.post_signed("/slack/interactions", FORM, "payload=%7B")
            .await
            .status,
        200
    );
    assert_eq!(app.request("GET", "/healthz", &[], "").await.status, 200);
}
