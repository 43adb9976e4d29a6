//! A workspace removing the bot (`app_uninstalled`, `tokens_revoked`, Slack's own samples):
//! its installation goes, its queued posts are parked with the reason instead of retried
//! forever, its data stays, and other workspaces carry on. A workspace never installed has
//! its posts parked too.

use crate::helpers::*;
use crate::oauth::*;

fn parked(app: &TestApp, channel: &str) -> Vec<(Option<i64>, Option<String>)> {
    let db = app.db();
    let mut stmt = db
        .prepare("SELECT failed_at, last_error FROM outbox WHERE channel_id = ?1 AND delivered_at IS NULL")
        .unwrap();
    stmt.query_map([channel], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// `team` removes the app: Slack's own `app_uninstalled`, taken.
async fn removes_the_app(app: &TestApp, team: &str) {
    let removal = removal_event(app, "app-uninstalled.event_callback.json", team, "EvGone");
    assert_eq!(app.event(&removal).await.status, 200);
}

/// Two workspaces installed, a pitch queued in each while Slack fails every post.
async fn two_with_posts_queued() -> TestApp {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    app.slack.always("chat.postMessage", Script::Status(500));
    for (team, channel) in [(TEAM_A, "C0ALPHA"), (TEAM_B, "C0BRAVO")] {
        app.slash_in(team, "U0P", channel, "pitch Bins | Count them")
            .await;
    }
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    // A row an old build left that is not JSON (due long after the test): whatever reads
    // the notices while parking must not fail on it.
    app.db()
        .execute(
            &format!(
                "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at)
                 VALUES ('{TEAM_A}', 'C0ALPHA9', 'not json at all', 4102444800, 1)"
            ),
            [],
        )
        .unwrap();
    app
}

async fn removed_by(first: &str, second: &str) {
    let app = two_with_posts_queued().await;
    for (i, name) in [first, second, first].iter().enumerate() {
        let a = app
            .event(&removal_event(&app, name, TEAM_A, &format!("EvRemove{i}")))
            .await;
        assert_eq!(a.status, 200, "{name}");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM installations WHERE team_id = '{TEAM_A}'"
        )),
        0
    );
    let alpha = parked(&app, "C0ALPHA");
    assert!(!alpha.is_empty());
    for (failed_at, why) in &alpha {
        assert!(failed_at.is_some(), "{alpha:?}");
        let why = why.as_deref().unwrap_or("");
        assert!(
            why.contains("uninstalled") || why.contains("revoked"),
            "{why}"
        );
    }
    // Its pitch will have no thread (an install does not resend the announcement); the other
    // workspace's still may.
    let refused = |team: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM projects
             WHERE team_id = '{team}' AND announcement_refused_at IS NOT NULL"
        ))
    };
    assert_eq!((refused(TEAM_A), refused(TEAM_B)), (1, 0));
    // The other workspace's posts are still queued, and go out once Slack is back (the
    // clock moved past their backoff; the next pitch wakes the worker).
    let bravo = parked(&app, "C0BRAVO");
    assert!(
        !bravo.is_empty() && bravo.iter().all(|(f, _)| f.is_none()),
        "{bravo:?}"
    );
    app.slack.heal("chat.postMessage");
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 3600);
    // New work in the removed workspace is not taken: it has no token, so nothing of it
    // could be posted.
    let refused = app
        .slash_in(TEAM_A, "U0P", "C0ALPHA3", "pitch Parks | Mow them")
        .await
        .text();
    assert!(
        refused.contains("not set up for this workspace"),
        "{refused}"
    );
    app.slash_in(TEAM_B, "U0P", "C0BRAVO", "list").await;
    app.outbox_settled().await;
    let delivered = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["_answered_ok"] == true)
        .collect::<Vec<_>>();
    assert!(delivered.iter().any(|c| c.body["channel"] == "C0BRAVO"));
    assert!(!delivered.iter().any(|c| {
        c.body["channel"]
            .as_str()
            .unwrap_or("")
            .starts_with("C0ALPHA")
    }));
    assert!(parked(&app, "C0ALPHA3").is_empty());
    // Its data stays.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM_A}'"
        )),
        1
    );
}

#[tokio::test]
async fn app_uninstalled_then_tokens_revoked_parks_that_workspaces_posts() {
    removed_by(
        "app-uninstalled.event_callback.json",
        "tokens-revoked.event_callback.json",
    )
    .await;
}

#[tokio::test]
async fn tokens_revoked_then_app_uninstalled_ends_the_same() {
    removed_by(
        "tokens-revoked.event_callback.json",
        "app-uninstalled.event_callback.json",
    )
    .await;
}

#[tokio::test]
async fn org_wide_removals_without_a_team_are_acknowledged_and_change_nothing() {
    let app = two_with_posts_queued().await;
    for name in [
        "app-uninstalled.bolt-python.event_callback.json",
        "tokens-revoked.bolt-python.event_callback.json",
    ] {
        let body = fixture(name);
        let a = app
            .post_signed("/slack/events", "application/json", &body)
            .await;
        assert_eq!(a.status, 200);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM installations"), 2);
    let alpha = parked(&app, "C0ALPHA");
    assert!(
        !alpha.is_empty() && alpha.iter().all(|(f, _)| f.is_none()),
        "{alpha:?}"
    );
}

/// Slack installs the app in a workspace when someone there approves it, before the bot's
/// callback checks the install (its `state`, `MAKERS_ALLOWED_WORKSPACES`): a workspace whose
/// install was refused, or never finished, still sends signed commands and events. The bot
/// does not act for it: a command is answered so, and nothing of it, or of an event or a
/// button from it, is recorded or posted.
#[tokio::test]
async fn a_workspace_never_installed_is_not_served() {
    let app = oauth_app().await;
    let a = app
        .slash_in("T0NEVER", "U0P", "C0NEVER", "pitch Bins | Count them")
        .await;
    assert_eq!(a.status, 200);
    let said = a.text();
    assert!(said.contains("not set up for this workspace"), "{said}");
    assert!(said.contains("nothing was recorded"), "{said}");
    let mut pitch = mention(
        "EvNever",
        "U0P",
        "C0NEVER",
        "1700000000.000100",
        "pitch Parks",
    );
    pitch["team_id"] = "T0NEVER".into();
    pitch["authorizations"][0]["team_id"] = "T0NEVER".into();
    assert_eq!(app.event(&pitch).await.status, 200);
    let mut press =
        crate::buttons_and_councils::press_payload("U0P", "join_project", "1", "1700000000.000100");
    press["team"]["id"] = "T0NEVER".into();
    let press = serde_urlencoded::to_string([("payload", press.to_string())]).unwrap();
    assert_eq!(app.interact(&press).await.status, 200);
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM processed_events"), 0);
    assert!(app.slack.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn in_single_token_mode_app_uninstalled_parks_the_posts_too() {
    let app = spawn_app().await;
    // Slack is asked whose SLACK_BOT_TOKEN is at every start, in this mode too.
    app.slack.wait_for("auth.test", 1, SHORT).await;
    app.slack.always("chat.postMessage", Script::Status(500));
    app.slash("U0P", "C0ONE", "pitch Bins | Count them").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let a = app
        .event(&removal_event(
            &app,
            "app-uninstalled.event_callback.json",
            TEAM,
            "EvU1",
        ))
        .await;
    assert_eq!(a.status, 200);
    let rows = parked(&app, "C0ONE");
    assert!(
        !rows.is_empty() && rows.iter().all(|(f, _)| f.is_some()),
        "{rows:?}"
    );
    // Remembered as removed, as beside OAuth: nothing more is queued for it (nudges owed
    // again would be queued and refused for a week, then lost), whatever else is marked.
    assert_eq!(app.count("SELECT COUNT(*) FROM removed_workspaces"), 1);
}

/// With OAuth on and `SLACK_BOT_TOKEN` still set, a workspace with no installation is served
/// with that token (the workspace a single-token deployment already served); installed ones
/// with their own.
#[tokio::test]
async fn with_oauth_the_bot_token_serves_workspaces_not_installed() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    for (team, channel) in [(TEAM, "C0OLD"), (TEAM_A, "C0ALPHA")] {
        app.slash_in(team, "U0P", channel, "pitch Bins | Count them")
            .await;
    }
    app.outbox_settled().await;
    let auth_in = |channel: &str| {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == channel)
            .and_then(|c| c.authorization)
    };
    assert_eq!(auth_in("C0OLD"), Some(format!("Bearer {TOKEN}")));
    assert_eq!(auth_in("C0ALPHA"), Some(format!("Bearer {TOKEN_A}")));
    // Slack was asked once whose that token is.
    assert_eq!(app.slack.calls("auth.test").len(), 1);
    // It is TEAM's alone: another workspace with no installation (one whose install the
    // callback refused, say) is not served with it, nor at all.
    let other = app
        .slash_in("T0OTHER", "U0P", "C0OTHER", "pitch Parks | Mow them")
        .await
        .text();
    assert!(other.contains("not set up for this workspace"), "{other}");
    app.outbox_settled().await;
    assert_eq!(auth_in("C0OTHER"), None);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE team_id = 'T0OTHER'"),
        0
    );
}

/// OAuth on beside `SLACK_BOT_TOKEN` (the test's default), talking to `slack`.
async fn with_oauth_talking_to(slack: FakeSlack) -> TestApp {
    spawn_app_talking_to(
        slack,
        &[
            ("SLACK_CLIENT_ID", "1111.2222"),
            ("SLACK_CLIENT_SECRET", "client-secret"),
            ("MAKERS_SECRET_KEY", KEY),
        ],
    )
    .await
}

/// With OAuth on, `SLACK_BOT_TOKEN` kept and Slack not answering `auth.test`, people of the
/// token's workspace (no installation) asking at once are each answered within Slack's 3 s:
/// they waited one behind another's asking, then asked again themselves, 2 s each, so the
/// third was answered after about 6 s, once Slack had shown its own error.
#[tokio::test]
async fn with_slack_silent_on_whose_the_bot_token_is_everyone_is_answered_in_time() {
    let slack = FakeSlack::start().await;
    slack.always("auth.test", Script::Held);
    let app = with_oauth_talking_to(slack).await;
    let started = std::time::Instant::now();
    let (a, b, c) = tokio::join!(
        app.slash("U0ANN", "C0OLD", "list"),
        app.slash("U0BOB", "C0OLD", "list"),
        app.slash("U0CAT", "C0OLD", "list"),
    );
    // The mend answers all three at about 2 s, the fault the last at about 6 s: the bound
    // between leaves a slow machine room either way.
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(4), "{took:?}");
    for answer in [a, b, c] {
        assert!(answer.text().contains("Sorry"), "{}", answer.text());
    }
}

/// A `SLACK_BOT_TOKEN` beside OAuth that Slack refuses (`auth.test`) serves no workspace:
/// the installed ones carry on with their own tokens.
#[tokio::test]
async fn with_oauth_a_refused_bot_token_serves_no_workspace() {
    let app = spawn_app_settings(&[
        ("SLACK_BOT_TOKEN", "xoxb-not-one-slack-knows"),
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let refused = app
        .slash_in(TEAM, "U0P", "C0OLD", "pitch Bins | Count them")
        .await
        .text();
    assert!(
        refused.contains("not set up for this workspace"),
        "{refused}"
    );
    let taken = app
        .slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await
        .text();
    assert!(taken.contains("Recorded as"), "{taken}");
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

/// `SLACK_BOT_TOKEN` beside OAuth, serving its own workspace, set wrong (a restart with a
/// rotated token): its workspace's waiting posts wait, as for any refused token, and go out
/// once it is put right. They were failed at once as "workspace not installed", for good.
#[tokio::test]
async fn with_oauth_a_bot_token_set_wrong_keeps_its_workspaces_posts_waiting() {
    let slack = FakeSlack::start().await;
    slack.token_is_for(TOKEN, TEAM);
    let app = with_oauth_talking_to(slack).await;
    app.slack.always("chat.postMessage", Script::Status(503));
    let taken = app
        .slash_in(TEAM, "U0P", "C0OWN", "pitch Bins | Count them")
        .await
        .text();
    assert!(taken.contains("Recorded as"), "{taken}");
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let app = app
        .restart_with(&[("SLACK_BOT_TOKEN", "xoxb-not-one-slack-knows")])
        .await;
    eventually("the announcement held for the refused token", SHORT, || {
        parked(&app, "C0OWN")
            .into_iter()
            .any(|(_, why)| why.as_deref() == Some("invalid_auth"))
            .then_some(())
    })
    .await;
    assert_eq!(
        parked(&app, "C0OWN"),
        [(None, Some("invalid_auth".to_string()))],
        "waiting, not failed"
    );
    app.slack.heal("chat.postMessage");
    let app = app.restart_with(&[("SLACK_BOT_TOKEN", TOKEN)]).await;
    // Past whatever wait the refusals built up.
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    eventually("the announcement posted", SHORT, || {
        parked(&app, "C0OWN").is_empty().then_some(())
    })
    .await;
}

/// Workspace A pitches and publishes "Bin day finder", then removes the app.
async fn published_then_removed(app: &TestApp) {
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bin day finder")
        .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "publish 1").await;
    app.outbox_settled().await;
    removes_the_app(app, TEAM_A).await;
}

/// A service stays in the catalogue after its workspace removed the app; a council in
/// another workspace that re-uses it is told its team cannot be told (it was told "I've told
/// the team in its thread", and the line waited for ever), and nothing is queued there.
#[tokio::test]
async fn a_reuse_of_a_service_whose_workspace_removed_the_app_says_nobody_was_told() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    published_then_removed(&app).await;
    let queued = || app.count("SELECT COUNT(*) FROM outbox WHERE team_id = 'T0ALPHA'");
    let before = queued();
    app.slash_in(TEAM_B, "U0WAV", "C0BRAVO", "council Waverley BC")
        .await;
    let a = app
        .slash_in(TEAM_B, "U0WAV", "C0BRAVO", "reuse bin-day-finder")
        .await;
    assert!(
        a.said().contains(
            "Its team's Slack workspace no longer uses the bot, so its thread can't be told."
        ),
        "{}",
        a.said()
    );
    assert!(!a.said().contains("I've told the team"), "{}", a.said());
    let a = app
        .slash_in(TEAM_B, "U0WAV", "C0BRAVO", "unreuse bin-day-finder")
        .await;
    assert!(
        a.said()
            .contains("no longer uses the bot, so its thread can't be told"),
        "{}",
        a.said()
    );
    assert_eq!(
        queued(),
        before,
        "nothing queued in the workspace that left"
    );
}

/// An operator's takedown of a service whose workspace removed the app (the likely case:
/// nobody is left to unpublish it) says its thread cannot be told, and queues nothing there
/// (it said "They are told in the pitch's thread", and the line waited for ever).
#[tokio::test]
async fn a_takedown_in_a_workspace_that_removed_the_app_says_nobody_was_told() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    published_then_removed(&app).await;
    let queued = || app.count("SELECT COUNT(*) FROM outbox WHERE team_id = 'T0ALPHA'");
    let before = queued();
    for args in [
        &["takedown", "--team", TEAM_A, "--project", "1"][..],
        &["takedown", "--team", TEAM_A, "--project", "1", "--lift"][..],
    ] {
        let said = crate::binary::beside_ok(&app, args);
        assert!(
            said.contains(
                "Its workspace no longer uses the bot, so there is no thread to tell them in."
            ),
            "{args:?}: {said}"
        );
    }
    assert_eq!(
        queued(),
        before,
        "nothing queued in the workspace that left"
    );
}

/// `SLACK_BOT_TOKEN` beside OAuth is one workspace's token: a workspace that removed the app
/// is not served with it (its posts would go out under another workspace's token), until
/// it installs again.
#[tokio::test]
async fn a_workspace_that_removed_the_app_is_not_served_with_the_bot_token() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    removes_the_app(&app, TEAM_A).await;
    let refused = app
        .slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await
        .text();
    assert!(
        refused.contains("not set up for this workspace"),
        "{refused}"
    );
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.postMessage").is_empty(),
        "nothing posted with another workspace's token"
    );
    assert!(parked(&app, "C0ALPHA").is_empty(), "nothing recorded");
    // Installed again: its own token.
    install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA2", "pitch Parks | Mow them")
        .await;
    app.outbox_settled().await;
    let auth: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .map(|c| c.authorization)
        .collect();
    assert_eq!(auth, [Some(format!("Bearer {TOKEN_A}"))]);
}

/// Slack retries an event for minutes: an uninstall raised before the workspace installed
/// again, arriving after, leaves the new installation alone.
#[tokio::test]
async fn an_uninstall_raised_before_a_reinstall_does_not_undo_it() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let raised = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_A,
        "EvLate",
    );
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 60);
    install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(app.event(&raised).await.status, 200);
    let installed = format!("SELECT COUNT(*) FROM installations WHERE team_id = '{TEAM_A}'");
    assert_eq!(app.count(&installed), 1);
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await;
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 1);
}

/// Slack's clock and the bot's may differ a little: an uninstall that Slack dates a few
/// seconds before the install the bot recorded is a real one (nobody installs again within
/// seconds), and it is applied.
#[tokio::test]
async fn an_uninstall_dated_seconds_before_the_install_is_still_applied() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let mut removal = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_A,
        "EvSkew",
    );
    removal["event_time"] = (app.clock.now().timestamp() - 5).into();
    assert_eq!(app.event(&removal).await.status, 200);
    let installed = format!("SELECT COUNT(*) FROM installations WHERE team_id = '{TEAM_A}'");
    assert_eq!(app.count(&installed), 0);
}

/// Private answers still queued when the workspace removes the app are dropped, not parked:
/// none could ever be posted, and each names the person it is for (here the answer to a
/// `forget me`, which must leave nothing of them). Posts for everyone are parked as before.
#[tokio::test]
async fn an_uninstall_drops_the_private_answers_still_queued() {
    let app = spawn_app().await;
    app.slack.always("chat.postEphemeral", Script::Status(500));
    app.slack.always("chat.postMessage", Script::Status(500));
    app.slash("U0P", "C0ONE", "pitch Bins | Count them").await;
    app.event(&mention(
        "EvForgetMe",
        "U0FORGOTTEN",
        "C0TWO",
        "1700000100.000200",
        "forget me",
    ))
    .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let a = app
        .event(&removal_event(
            &app,
            "app-uninstalled.event_callback.json",
            TEAM,
            "EvU2",
        ))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE instr(notice, 'U0FORGOTTEN')"),
        0,
        "the answer naming them is gone"
    );
    let rows = parked(&app, "C0ONE");
    assert!(
        !rows.is_empty() && rows.iter().all(|(f, _)| f.is_some()),
        "{rows:?}"
    );
}

/// The answer to a `forget me` that went to the person's DM (answered after Slack stopped
/// waiting) and is still owed when the workspace removes the app goes with the removal, as
/// once it is posted: it names them, and parked it kept their id in the file for 30 days.
/// The log is emptied after, as after the forget: a later write (a pitch's post queued
/// beside it) copied the answer's row into it again.
#[tokio::test]
async fn an_uninstall_drops_the_dm_answer_to_a_forget_me_and_empties_the_log() {
    use crate::data_requests::{assert_neither_file_holds, file_holds};
    const FORGOTTEN: &str = "U0FORGOTDM";
    let app = spawn_app().await;
    // Refused for ten minutes at its first try: owed, and not tried again during the test.
    app.slack
        .always("chat.postMessage", Script::RateLimited(600));
    let held = app.hold_writes();
    let a = app.slash(FORGOTTEN, "C0ONE", "forget me").await;
    assert_eq!(a.status, 200);
    held.join().unwrap();
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let wal = app.db_path.with_extension("db-wal");
    eventually("the WAL emptied after the answer's try", SHORT, || {
        (!file_holds(&wal, FORGOTTEN)).then_some(())
    })
    .await;
    app.slash("U0P", "C0ONE", "pitch Bins | Count them").await;
    assert!(
        file_holds(&wal, FORGOTTEN),
        "the pitch's write copied the answer's page into the log"
    );
    removes_the_app(&app, TEAM).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox
             WHERE channel_id = '{FORGOTTEN}' OR instr(notice, '{FORGOTTEN}')"
        )),
        0,
        "the answer naming them is gone"
    );
    eventually("the WAL emptied after the removal", SHORT, || {
        (!file_holds(&wal, FORGOTTEN)).then_some(())
    })
    .await;
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[FORGOTTEN]);
}

/// Refusals of the token recorded on posts still waiting (not given up).
fn refusals(app: &TestApp, code: &str) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(SUM(attempts), 0) FROM outbox
         WHERE last_error = '{code}' AND failed_at IS NULL"
    ))
}

/// Waits until one more refusal than `before` is recorded on a waiting post. (The worker
/// tries one post of a refused workspace per wait, its first channel's.)
async fn refused_again(app: &TestApp, code: &str, before: i64) -> i64 {
    eventually("one more refusal recorded", SHORT, || {
        let now = refusals(app, code);
        (now > before).then_some(now)
    })
    .await
}

/// Slack refusing the bot token (a wrong or rotated `SLACK_BOT_TOKEN`, or a removal whose
/// event was missed) is the workspace's trouble, not its posts': they wait, and once the
/// token works again they all go out, each announcement's thread with it. The wait is timed
/// from the first refusal: a post queued long before (parked for an invitation, say) is not
/// given up for its age.
#[tokio::test]
async fn posts_wait_out_a_refused_token_and_go_once_it_works() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("invalid_auth"));
    app.slash("U0P", "C0ONE", "pitch Bins | Count them").await;
    let seen = refused_again(&app, "invalid_auth", 0).await;
    // Queued a month ago, as if parked for an invitation all that time: refused again.
    app.db()
        .execute("UPDATE outbox SET created_at = created_at - 30 * 86400", [])
        .unwrap();
    refused_again(&app, "invalid_auth", seen).await;
    app.slash("U0P", "C0TWO", "pitch Bags").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"),
        0,
        "nothing given up, however old"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL"),
        0,
        "both projects still to be announced"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM token_refusals"), 1);
    let metrics = app.request("GET", "/metrics", &[], "").await.body;
    assert!(
        metrics.contains("makers_token_refused_workspaces 1"),
        "an operator can alert on it: {metrics}"
    );

    app.slack.heal("chat.postMessage");
    eventually("both announcements posted", SHORT, || {
        (app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL") == 2)
            .then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM token_refusals"),
        0,
        "the token works again"
    );
    let metrics = app.request("GET", "/metrics", &[], "").await.body;
    assert!(metrics.contains("makers_token_refused_workspaces 0"));
    let ts: String = app
        .db()
        .query_row(
            "SELECT announcement_ts FROM projects WHERE channel_id = 'C0ONE'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    app.slash("U0P", "C0ONE", "update 1 Counted them").await;
    let lines = crate::progress::thread(&app, &ts, 1).await;
    assert!(lines[0].contains("Counted them"), "{lines:?}");
}

/// A week of refusals with no post going through: the workspace's posts are given up as a
/// removal of the app gives them up (its announcements noted as never to come), and so is a
/// later one refused in the same run; once a post goes through, a refused post waits again.
/// (The run's start is moved back in the database: the worker refuses at least every five
/// minutes, which a test cannot wait out for a week.)
#[tokio::test]
async fn a_token_refused_for_a_week_gives_the_workspaces_posts_up() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("token_revoked"));
    app.slash("U0P", "C0ONE", "pitch Bins").await;
    let seen = refused_again(&app, "token_revoked", 0).await;
    let back = |days: i64| {
        app.db()
            .execute(
                &format!("UPDATE token_refusals SET since = since - {days} * 86400"),
                [],
            )
            .unwrap()
    };
    back(6);
    app.slash("U0P", "C0TWO", "pitch Bags").await;
    refused_again(&app, "token_revoked", seen).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"),
        0,
        "six days: still waiting"
    );
    back(2);
    // Restarted: the worker's wait, grown with the refusals in a row, begins afresh; the
    // run is the database's, kept across restarts.
    let app = app.restart().await;
    let given_up = "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL
                      AND last_error = 'token_revoked; no working token for a week'";
    eventually("both posts given up", SHORT, || {
        (app.count(given_up) == 2).then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL"),
        2
    );
    app.slash("U0P", "C0THREE", "pitch Boxes").await;
    eventually("a later post given up at its refusal", SHORT, || {
        (app.count(given_up) == 3).then_some(())
    })
    .await;

    app.slack.heal("chat.postMessage");
    app.slash("U0P", "C0FOUR", "pitch Crates").await;
    eventually("posted once the token works", SHORT, || {
        (app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL") == 1)
            .then_some(())
    })
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM token_refusals"), 0);

    // Refused again: a new run, so the post waits.
    app.slack
        .always("chat.postMessage", Script::Error("token_revoked"));
    app.slash("U0P", "C0FIVE", "pitch Drums").await;
    refused_again(&app, "token_revoked", 0).await;
    assert_eq!(app.count(given_up), 3);
}

/// A week of token refusals gives up the answer to a `forget me` in the person's DM as a
/// removal of the app does: deleted, not kept as failed for 30 days naming them.
#[tokio::test]
async fn a_token_refused_for_a_week_drops_the_dm_answer_to_a_forget_me() {
    use crate::data_requests::{assert_neither_file_holds, file_holds};
    const FORGOTTEN: &str = "U0FORGOTTK";
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("token_revoked"));
    let held = app.hold_writes();
    let a = app.slash(FORGOTTEN, "C0ONE", "forget me").await;
    assert_eq!(a.status, 200);
    held.join().unwrap();
    refused_again(&app, "token_revoked", 0).await;
    app.db()
        .execute("UPDATE token_refusals SET since = since - 8 * 86400", [])
        .unwrap();
    let app = app.restart().await;
    let naming = format!(
        "SELECT COUNT(*) FROM outbox WHERE channel_id = '{FORGOTTEN}' OR instr(notice, '{FORGOTTEN}')"
    );
    eventually("the answer given up, and gone", SHORT, || {
        (app.count(&naming) == 0).then_some(())
    })
    .await;
    let wal = app.db_path.with_extension("db-wal");
    eventually("the WAL emptied", SHORT, || {
        (!file_holds(&wal, FORGOTTEN)).then_some(())
    })
    .await;
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[FORGOTTEN]);
}

/// A workspace that removed the app is not nudged meanwhile (the nudge could not be posted,
/// and would use up the quiet spell): installed again, its quiet projects are nudged then.
#[tokio::test]
async fn a_removed_workspaces_quiet_projects_are_nudged_once_it_installs_again() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    app.clock.set_weekday_morning();
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.outbox_settled().await;
    removes_the_app(&app, TEAM_A).await;
    app.clock.advance_days(22);
    app.scheduler_has_run().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE nudged_for_activity_at IS NOT NULL"),
        0,
        "not nudged while removed"
    );
    install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.scheduler_has_run().await;
    let nudge = eventually("the nudge in the pitch's thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| message_text(&c.body).contains("How's it going?"))
    })
    .await;
    assert_eq!(nudge.body["channel"], "C0ALPHA");
}

/// A nudge and a digest still queued when the app is removed (Slack down at their time) are
/// owed, as a refused one is: installed again, the quiet project is nudged, and the
/// channel's next digest starts where the one given up did. Before, the project was taken
/// as nudged for that quiet spell and the week's news was in no digest.
#[tokio::test]
async fn a_nudge_and_a_digest_given_up_at_a_removal_are_owed() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", CLIENT_ID),
        ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    app.clock.set_weekday_morning();
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.outbox_settled().await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "digest").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    app.scheduler_has_run().await;
    let queued = |kind: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_A}' AND delivered_at IS NULL
               AND failed_at IS NULL AND json_extract(notice, '$.notice.kind') = '{kind}'"
        ))
    };
    assert_eq!((queued("nudge"), queued("digest")), (1, 1));
    let from = app.count(&format!(
        "SELECT json_extract(notice, '$.notice.digest.from') FROM outbox
          WHERE team_id = '{TEAM_A}' AND json_extract(notice, '$.notice.kind') = 'digest'"
    ));
    removes_the_app(&app, TEAM_A).await;
    assert_eq!((queued("nudge"), queued("digest")), (0, 0), "given up");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE nudged_for_activity_at IS NOT NULL"),
        0,
        "the nudge is owed"
    );
    assert_eq!(
        app.count("SELECT sent_until FROM digest_subscriptions WHERE channel_id = 'C0ALPHA'"),
        from,
        "the next digest starts where the one given up did"
    );
    app.slack.heal("chat.postMessage");
    install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.scheduler_has_run().await;
    let nudge = eventually("the nudge in the pitch's thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.body["_answered_ok"] == true)
            .find(|c| message_text(&c.body).contains("How's it going?"))
    })
    .await;
    assert_eq!(nudge.body["channel"], "C0ALPHA");
}

/// The daily look at whether a pitch's channel is private (or shared) that falls due while
/// the app is removed stops asking; installed again, the channels are asked about again
/// (before, only a new pitch in a channel did, and one made private meanwhile kept showing
/// its projects everywhere).
#[tokio::test]
async fn installed_again_its_channels_are_asked_about_again() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await;
    app.slack.wait_for("conversations.info", 1, SHORT).await;
    app.outbox_settled().await;
    removes_the_app(&app, TEAM_A).await;
    let asked = app.slack.calls("conversations.info").len();
    app.clock.advance_days(2);
    let stopped = "SELECT COUNT(*) FROM channels WHERE channel_id = 'C0ALPHA' AND ask_at IS NULL";
    eventually("the look stopped", SHORT, || {
        (app.count(stopped) == 1).then_some(())
    })
    .await;
    assert_eq!(
        app.slack.calls("conversations.info").len(),
        asked,
        "nobody to ask"
    );
    install(&app, "a2", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    assert_eq!(app.count(stopped), 0, "asked about again");
    // The worker looks within its idle poll; a post elsewhere wakes it at once.
    app.slash_in(TEAM_A, "U0P", "C0BETA", "pitch Parking | Permits")
        .await;
    let alpha = || {
        app.slack
            .calls("conversations.info")
            .iter()
            .filter(|c| c.body.to_string().contains("C0ALPHA"))
            .count()
    };
    // Once at its pitch, and again now.
    eventually("C0ALPHA asked about again", SHORT, || {
        (alpha() == 2).then_some(())
    })
    .await;
}

/// A reaction delivered for a workspace after it removed the app (Slack retrying a late
/// event) makes a join waiting to ask who reacted. Nobody can be asked there: it is dropped,
/// as the removal dropped those before it, not asked about again every 30 s for ever.
#[tokio::test]
async fn a_reaction_arriving_after_the_removal_is_not_asked_about_for_ever() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "pitch Bins | Count them")
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let ts = posts[0].body["_ts"].as_str().unwrap().to_string();
    app.outbox_settled().await;
    removes_the_app(&app, TEAM_A).await;
    let mut late = crate::teams::reaction("EvLate", "U0NEW", "raised_hand", &ts, true);
    late["team_id"] = TEAM_A.into();
    late["authorizations"][0]["team_id"] = TEAM_A.into();
    late["event"]["item"]["channel"] = "C0ALPHA".into();
    assert_eq!(app.event(&late).await.status, 200);
    eventually("the pending join dropped", SHORT, || {
        (app.count("SELECT COUNT(*) FROM pending_joins") == 0).then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0NEW'"),
        0
    );
    assert!(app.slack.calls("users.info").is_empty());
}

/// A pitch waiting for the bot to be invited to its private channel when the workspace
/// removes the app is failed with the removal, its project left with no thread to promise:
/// an invitation after a reinstall must not post it, months late.
#[tokio::test]
async fn posts_waiting_for_an_invitation_go_with_the_removal() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0P", "C0PRIVATE", "pitch Hush hush").await;
    eventually("the announcement parked", SHORT, || {
        let n = app.count(
            "SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel' AND channel_id = 'C0PRIVATE'",
        );
        (n == 1).then_some(())
    })
    .await;
    removes_the_app(&app, TEAM).await;
    let rows = parked(&app, "C0PRIVATE");
    assert!(
        !rows.is_empty()
            && rows
                .iter()
                .all(|(f, e)| f.is_some() && e.as_deref() != Some("not_in_channel")),
        "{rows:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL"),
        1,
        "no thread to promise"
    );
    // What the removal itself queued (a word to the pitcher) is out before the invitation;
    // then the invitation posts nothing in the channel.
    app.outbox_settled().await;
    let to_channel = || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["channel"] == "C0PRIVATE")
            .count()
    };
    let posted = to_channel();
    app.event(&bot_joined("EvLater", "C0PRIVATE")).await;
    app.outbox_settled().await;
    assert_eq!(to_channel(), posted, "nothing posted months late");
}

/// Single-token mode on a database where its workspace once removed the app (marked in
/// OAuth days, the app added again by hand since): `SLACK_BOT_TOKEN` works for that
/// workspace at start, so the app is installed there, and the mark goes: its digests are
/// queued again. They were never queued, and nothing said why.
#[tokio::test]
async fn a_bot_token_that_works_at_start_clears_its_workspaces_removed_mark() {
    let app = spawn_app().await;
    let subscribed = app.slash("U0P", "C0DIG", "digest").await.text();
    assert!(subscribed.contains("every *"), "{subscribed}");
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 1)",
            [TEAM],
        )
        .unwrap();
    let app = app.restart().await;
    eventually("the removed mark cleared", SHORT, || {
        (app.count("SELECT COUNT(*) FROM removed_workspaces") == 0).then_some(())
    })
    .await;
    app.db()
        .execute(
            "UPDATE digest_subscriptions SET last_due_at = 0 WHERE channel_id = 'C0DIG'",
            [],
        )
        .unwrap();
    app.scheduler_has_run().await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM digest_subscriptions WHERE channel_id = 'C0DIG' AND last_due_at > 0"
        ),
        1,
        "its digest was queued"
    );
}

/// With OAuth on, the workspace `SLACK_BOT_TOKEN` serves (never installed through OAuth)
/// removes the app: it is remembered as removed, as an installed one is, so nothing more is
/// queued for it with the revoked token (its digests and quiet projects' nudges were, and
/// each was refused for a week). A restart whose token Slack refuses keeps the mark.
#[tokio::test]
async fn the_bot_tokens_own_workspace_removing_the_app_is_remembered_as_removed() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    for (team, channel) in [(TEAM, "C0DIG"), (TEAM_A, "C0ALPHA")] {
        let said = app.slash_in(team, "U0P", channel, "digest").await.text();
        assert!(said.contains("every *"), "{said}");
    }
    app.slash_in(TEAM, "U0P", "C0ONE", "pitch Bins | Count them")
        .await;
    app.outbox_settled().await;
    removes_the_app(&app, TEAM).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM removed_workspaces WHERE team_id = '{TEAM}'"
        )),
        1
    );
    // The digests due, the project quiet; the Alpha channel's digest marks the tick.
    app.db()
        .execute_batch(
            "UPDATE digest_subscriptions SET last_due_at = 0;
             UPDATE projects SET last_activity_at = 0;",
        )
        .unwrap();
    eventually("the scheduler to run", SHORT, || {
        let alpha = "SELECT COUNT(*) FROM digest_subscriptions
                     WHERE channel_id = 'C0ALPHA' AND last_due_at > 0";
        (app.count(alpha) == 1).then_some(())
    })
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM}'
               AND delivered_at IS NULL AND failed_at IS NULL"
        )),
        0,
        "nothing owed to the workspace that removed the app"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE nudged_for_activity_at IS NOT NULL"),
        0
    );
    let app = app
        .restart_with(&[("SLACK_BOT_TOKEN", "xoxb-revoked-by-the-removal")])
        .await;
    app.slash_in(TEAM_A, "U0P", "C0ALPHA", "digest").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM removed_workspaces WHERE team_id = '{TEAM}'"
        )),
        1
    );
}

/// `forget-tokens` (a lost `MAKERS_SECRET_KEY`) marks the workspaces it forgot as having
/// removed the app: until each installs again nothing is queued for it, and its quiet
/// projects are nudged once it does (a nudge queued meanwhile failed and was used up).
#[tokio::test]
async fn workspaces_whose_tokens_were_forgotten_have_nothing_queued() {
    let settings = [
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ];
    let app = spawn_app_settings(&settings).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    app.slash_in(TEAM_B, "U0P", "C0BRAVO", "pitch Bins | Count them")
        .await;
    app.outbox_settled().await;
    let queued_before = app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_B}'"
    ));
    let (db, slack, _dir) = app.stop().await;
    let vars: std::collections::HashMap<&str, String> = [
        ("MAKERS_DB", db.display().to_string()),
        ("SLACK_CLIENT_ID", "1111.2222".into()),
        ("SLACK_CLIENT_SECRET", "client-secret".into()),
        ("MAKERS_SECRET_KEY", KEY.into()),
    ]
    .into();
    let config = makers_bot::config::Config::from_lookup(makers_bot::config::Needs::Nothing, |k| {
        vars.get(k).cloned()
    })
    .unwrap();
    let said = makers_bot::app::forget_tokens(&config, true).unwrap();
    assert!(said.contains(TEAM_B), "{said}");
    let app = try_spawn_app_on(&db, slack, &settings).await.unwrap();
    app.clock.set_weekday_morning();
    app.db()
        .execute("UPDATE projects SET last_activity_at = 0", [])
        .unwrap();
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE nudged_for_activity_at IS NOT NULL"),
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_B}'"
        )),
        queued_before,
        "nothing queued for the forgotten workspace"
    );
}

/// OAuth on beside `SLACK_BOT_TOKEN`, whose own workspace is then marked, by hand, as having
/// removed the app (as a removal Slack sent would), the start's `auth.test` answered.
async fn bot_token_workspace_marked_removed() -> TestApp {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    app.slack.wait_for("auth.test", 1, SHORT).await;
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 1)",
            [TEAM],
        )
        .unwrap();
    app
}

/// OAuth on, `SLACK_BOT_TOKEN`'s own workspace marked as having removed the app (added back
/// by hand since), and Slack not answering the first questions whose the token is: the
/// mark does not outlive the working token. A command from the workspace (Slack sends none
/// from one the app is not in) asks again, and the start's question is asked again until
/// Slack answers: the mark goes and the workspace is served.
#[tokio::test]
async fn a_marked_bot_token_workspace_is_served_again_once_slack_answers_auth_test() {
    let app = bot_token_workspace_marked_removed().await;
    // The start's question, then the command's, find Slack failing (for as long as it
    // takes: the start asks again after 5 s, which a slow machine may reach before the
    // command asks).
    app.slack.always("auth.test", Script::Status(500));
    let app = app.restart().await;
    app.slack.wait_for("auth.test", 2, SHORT).await;
    let asked = app.slack.calls("auth.test").len();
    let first = app.slash("U0P", "C0ONE", "list").await.text();
    assert!(first.contains("not set up"), "{first}");
    assert!(
        app.slack.calls("auth.test").len() > asked,
        "the command asked"
    );
    app.slack.heal("auth.test");
    eventually(
        "the removed mark cleared",
        std::time::Duration::from_secs(20),
        || (app.count("SELECT COUNT(*) FROM removed_workspaces") == 0).then_some(()),
    )
    .await;
    let listed = app.slash("U0P", "C0ONE", "list").await.text();
    assert!(!listed.contains("not set up"), "{listed}");
}

/// The same, Slack failing only the start's question: the first command from the workspace
/// asks, finds the token works there, and is answered.
#[tokio::test]
async fn a_command_from_a_marked_bot_token_workspace_asks_slack_and_is_answered() {
    let app = bot_token_workspace_marked_removed().await;
    app.slack.script("auth.test", Script::Status(500));
    let app = app.restart().await;
    app.slack.wait_for("auth.test", 2, SHORT).await;
    let listed = app.slash("U0P", "C0ONE", "list").await.text();
    assert!(!listed.contains("not set up"), "{listed}");
    assert_eq!(app.count("SELECT COUNT(*) FROM removed_workspaces"), 0);
}

/// Slack retries a removal for minutes: one raised before this start, which found
/// `SLACK_BOT_TOKEN` working for its own workspace (the app added back by hand, the new
/// token set), is stale and marks nothing: no start is left to clear the mark.
#[tokio::test]
async fn a_late_removal_raised_before_the_bot_token_was_found_working_is_ignored() {
    let app = spawn_app_settings(&[
        ("SLACK_CLIENT_ID", "1111.2222"),
        ("SLACK_CLIENT_SECRET", "client-secret"),
        ("MAKERS_SECRET_KEY", KEY),
    ])
    .await;
    // Served: the start's question has been answered.
    let listed = app.slash("U0P", "C0ONE", "list").await.text();
    assert!(!listed.contains("not set up"), "{listed}");
    let mut removal = removal_event(&app, "app-uninstalled.event_callback.json", TEAM, "EvOld");
    removal["event_time"] = (app.clock.now().timestamp() - 120).into();
    assert_eq!(app.event(&removal).await.status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM removed_workspaces"), 0);
    let listed = app.slash("U0P", "C0ONE", "list").await.text();
    assert!(!listed.contains("not set up"), "{listed}");
}
