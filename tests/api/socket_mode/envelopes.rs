//! Each kind of envelope, from Slack's samples, handled as over HTTP and acknowledged with
//! its `envelope_id` (and the reply as `payload` where Slack takes one).

use serde_json::{Value, json};

use crate::helpers::socket::*;
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, is_member, joined, member_count, reaction};

/// Pitches `title` over the socket and waits for its announcement; returns its ts.
async fn pitched_over_socket(app: &TestApp, socket: &FakeSocket, title: &str) -> String {
    let frame = command_envelope(
        "env-pitch",
        TEAM,
        PITCHER,
        CHANNEL,
        &format!("pitch {title}"),
    );
    let ack = acked(socket, 0, "env-pitch", &frame).await;
    assert!(
        message_text(&ack["payload"]).contains(title),
        "the ack's payload is the pitch's reply: {ack}"
    );
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let ts = posts[0].ts().unwrap().to_string();
    let recorded = format!("SELECT COUNT(*) FROM projects WHERE announcement_ts = '{ts}'");
    eventually("announcement recorded", SHORT, || {
        (app.count(&recorded) == 1).then_some(())
    })
    .await;
    ts
}

#[tokio::test]
async fn a_slash_command_is_acked_with_its_ephemeral_reply_as_over_http() {
    let (app, socket) = spawn_socket_app(true).await;
    health_is(&app, 200, "ok").await;
    let ack = acked(
        &socket,
        0,
        "env-help",
        &command_envelope("env-help", TEAM, "U0ALICE", CHANNEL, "help"),
    )
    .await;
    assert_eq!(ack["envelope_id"], "env-help");
    let over_http = app.slash("U0ALICE", CHANNEL, "help").await;
    assert_eq!(ack["payload"], over_http.json(), "the same reply both ways");
    assert_eq!(ack["payload"]["response_type"], "ephemeral");
    assert_eq!(socket.acks_of("env-help").len(), 1);
}

#[tokio::test]
async fn a_mention_is_recorded_and_answered_through_the_outbox() {
    let (app, socket) = spawn_socket_app(false).await;
    let callback = mention(
        "EvM1",
        PITCHER,
        CHANNEL,
        "1700000100.000100",
        "pitch Pothole map",
    );
    let ack = acked(
        &socket,
        0,
        "env-m1",
        &events_envelope("env-m1", callback, 0),
    )
    .await;
    assert_eq!(
        ack,
        json!({"envelope_id": "env-m1"}),
        "events take no payload"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert!(message_text(&posts[0].body).contains("Pothole map"));
}

#[tokio::test]
async fn a_reaction_joins_and_a_redelivered_envelope_is_applied_once() {
    let (app, socket) = spawn_socket_app(false).await;
    let ts = pitched_over_socket(&app, &socket, "Bin day finder").await;
    let join = reaction("EvR1", "U0ALICE", "raised_hand", &ts, true);
    acked(
        &socket,
        0,
        "env-r1",
        &events_envelope("env-r1", join.clone(), 0),
    )
    .await;
    // A reaction joins once Slack has said the reactor is a person (issue 12 item 6).
    joined(&app, "U0ALICE").await;
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage").len();
    // Slack did not see the ack in time: the same event comes again in a new envelope.
    acked(
        &socket,
        0,
        "env-r1-again",
        &events_envelope("env-r1-again", join, 1),
    )
    .await;
    assert_eq!(member_count(&app), 2, "the pitcher and Alice, once");
    app.outbox_settled().await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        posts,
        "nothing said twice"
    );
    // A join again changes nothing either way; a pitch again would be a second project.
    let pitch = mention(
        "EvR2",
        PITCHER,
        CHANNEL,
        "1700000100.000900",
        "pitch Pothole map",
    );
    for (n, id) in ["env-p", "env-p-again"].into_iter().enumerate() {
        acked(
            &socket,
            0,
            id,
            &events_envelope(id, pitch.clone(), n as u64),
        )
        .await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE title = 'Pothole map'"),
        1,
        "a redelivered pitch is applied once"
    );
}

/// An envelope Slack sends again is logged with Slack's reason, as a retried HTTP request
/// is (README: the two transports log alike).
#[tokio::test]
async fn a_redelivered_envelope_is_logged_with_slacks_reason() {
    use crate::helpers::logs::{capture_logs, logged_with};
    capture_logs();
    let (_app, socket) = spawn_socket_app(false).await;
    let help = mention("EvLog1", PITCHER, CHANNEL, "1700000100.000300", "help");
    acked(
        &socket,
        0,
        "env-logged-again",
        &events_envelope("env-logged-again", help, 1),
    )
    .await;
    let said = logged_with(&["envelope delivered again", "env-logged-again"]);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("reason=\"timeout\""), "{said:#?}");
}

/// Slack's block_actions sample as a press of our Join button on the announcement.
fn press(user: &str, number: &str, message_ts: &str) -> Value {
    crate::buttons_and_councils::press_payload(user, "join_project", number, message_ts)
}

#[tokio::test]
async fn a_button_press_is_acked_bare_and_answered_privately() {
    let (app, socket) = spawn_socket_app(false).await;
    let ts = pitched_over_socket(&app, &socket, "Parking").await;
    // block_actions comes with accepts_response_payload false in Slack's SDK samples.
    let frame = envelope("interactive", "env-b1", press("U0BOB", "1", &ts), false);
    let ack = acked(&socket, 0, "env-b1", &frame).await;
    assert_eq!(ack, json!({"envelope_id": "env-b1"}));
    assert!(is_member(&app, "U0BOB"));
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert!(message_text(&said[0].body).contains("You're in the team for *#1: Parking*"));
}

#[tokio::test]
async fn the_shortcut_opens_the_form_with_its_trigger() {
    let (app, socket) = spawn_socket_app(false).await;
    let mut e: Value = serde_json::from_str(&fixture(
        "socket-mode-interactive-shortcut.python-slack-sdk.envelope.json",
    ))
    .unwrap();
    e["payload"]["callback_id"] = "pitch".into();
    let id = e["envelope_id"].as_str().unwrap().to_string();
    let ack = acked(&socket, 0, &id, &e.to_string()).await;
    assert_eq!(ack, json!({"envelope_id": id}));
    let opened = app.slack.wait_for("views.open", 1, SHORT).await;
    assert_eq!(opened[0].body["trigger_id"], "111.222.xxx");
    assert_eq!(opened[0].body["view"]["callback_id"], "pitch");
}

/// A shortcut from a workspace the bot cannot tell it serves (with OAuth, Slack does not
/// answer whose `SLACK_BOT_TOKEN` is) goes unacked, and the log says what follows: Slack
/// sends interactions once, so the person was shown Slack's error and nothing was done. It
/// said "Slack will retry", true only of events.
#[tokio::test]
async fn an_interaction_left_unacked_is_not_logged_as_retried() {
    use crate::helpers::logs::{capture_logs, logged_with};
    use crate::oauth::{CLIENT_ID, CLIENT_SECRET, KEY};
    capture_logs();
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    slack.always("auth.test", Script::Status(500));
    let _app = spawn_app_talking_to(
        slack,
        &[
            ("SLACK_APP_TOKEN", APP_TOKEN),
            ("SLACK_SIGNING_SECRET", ""),
            ("SLACK_CLIENT_ID", CLIENT_ID),
            ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
            ("MAKERS_SECRET_KEY", KEY),
        ],
    )
    .await;
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() == 1).then_some(())
    })
    .await;
    let mut e: Value = serde_json::from_str(&fixture(
        "socket-mode-interactive-shortcut.python-slack-sdk.envelope.json",
    ))
    .unwrap();
    e["payload"]["callback_id"] = "pitch".into();
    e["envelope_id"] = "env-untold".into();
    assert!(socket.send(0, &e.to_string()));
    let said = eventually("the envelope left unacked is logged", SHORT, || {
        let said = logged_with(&["not acked", "env-untold"]);
        (!said.is_empty()).then_some(said)
    })
    .await;
    assert!(socket.acks_of("env-untold").is_empty());
    assert!(!said[0].contains("will retry"), "{said:#?}");
    assert!(said[0].contains("nothing was done"), "{said:#?}");
}

/// Slack's view_submission sample as our pitch form with an empty title.
fn pitch_without_a_title() -> Value {
    let mut p: Value = serde_json::from_str(&fixture("view-submission.payload.json")).unwrap();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = PITCHER.into();
    p["view"]["app_installed_team_id"] = TEAM.into();
    p["view"]["callback_id"] = "pitch".into();
    p["view"]["private_metadata"] = CHANNEL.into();
    p["view"]["state"]["values"] = json!({
        "title": {"title": {"type": "plain_text_input", "value": ""}},
        "description": {"description": {"type": "plain_text_input", "value": "x"}},
    });
    p
}

#[tokio::test]
async fn a_bad_submission_is_acked_with_its_errors_and_nothing_is_recorded() {
    let (app, socket) = spawn_socket_app(false).await;
    let frame = envelope("interactive", "env-v1", pitch_without_a_title(), true);
    let ack = acked(&socket, 0, "env-v1", &frame).await;
    assert_eq!(
        ack,
        json!({"envelope_id": "env-v1", "payload": {
            "response_action": "errors",
            "errors": {"title": "Please give the project a title."},
        }})
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
}

#[tokio::test]
async fn what_cannot_be_read_is_acked_all_the_same() {
    let (app, socket) = spawn_socket_app(false).await;
    // Slack's own block_suggestion sample: its abbreviated view does not decode.
    let suggestion = fixture("socket-mode-interactive-block-suggestion.envelope.json");
    let id = "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545";
    assert_eq!(
        acked(&socket, 0, id, &suggestion).await,
        json!({"envelope_id": id})
    );
    let odd = envelope("some_new_kind", "env-odd", json!({}), false);
    assert_eq!(
        acked(&socket, 0, "env-odd", &odd).await,
        json!({"envelope_id": "env-odd"})
    );
    let broken = envelope("slash_commands", "env-broken", json!({"text": 1}), true);
    let ack = acked(&socket, 0, "env-broken", &broken).await;
    assert!(
        message_text(&ack["payload"]).contains("went wrong"),
        "as the 400 does over HTTP, the typist hears something went wrong: {ack}"
    );
    assert!(socket.send(0, "not json at all"), "the socket stays open");
    let help = command_envelope("env-after", TEAM, "U0ALICE", CHANNEL, "help");
    acked(&socket, 0, "env-after", &help).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
}

/// A form's submission we cannot read keeps the form open, with what was typed in it, and
/// says so under its first field (acking it bare would close the form and lose the text).
#[tokio::test]
async fn a_submission_that_cannot_be_read_keeps_the_form_open() {
    let (app, socket) = spawn_socket_app(false).await;
    let mut p = pitch_without_a_title();
    p["user"]["id"] = json!(["not", "an", "id"]);
    let frame = envelope("interactive", "env-v2", p, true);
    let ack = acked(&socket, 0, "env-v2", &frame).await;
    assert_eq!(ack["payload"]["response_action"], "errors", "{ack}");
    let said = ack["payload"]["errors"]["hspI"]
        .as_str()
        .unwrap_or_default();
    assert!(said.contains("could not read this form"), "{ack}");
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
}

#[tokio::test]
async fn a_slow_envelope_does_not_hold_up_the_next() {
    let (app, socket) = spawn_socket_app(false).await;
    app.slack.script("views.open", Script::Slow(1000));
    let mut e: Value = serde_json::from_str(&fixture(
        "socket-mode-interactive-shortcut.python-slack-sdk.envelope.json",
    ))
    .unwrap();
    e["payload"]["callback_id"] = "pitch".into();
    e["envelope_id"] = "env-slow".into();
    // Back to back on one socket: the slow one is read first.
    assert!(socket.send(0, &e.to_string()));
    let quick = command_envelope("env-quick", TEAM, "U0A", CHANNEL, "help");
    acked(&socket, 0, "env-quick", &quick).await;
    ack_of(&socket, "env-slow").await;
    let order: Vec<String> = socket
        .received()
        .iter()
        .map(|r| r.frame["envelope_id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        order,
        ["env-quick", "env-slow"],
        "each envelope in its own task"
    );
}

#[tokio::test]
async fn an_event_that_cannot_be_recorded_is_not_acked_so_slack_delivers_it_again() {
    let (app, socket) = spawn_socket_app(false).await;
    let ts = pitched_over_socket(&app, &socket, "Grit bins").await;
    app.db()
        .execute_batch(
            "CREATE TRIGGER broken_join BEFORE INSERT ON pending_joins WHEN NEW.user_id = 'U0ALICE'
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
        )
        .unwrap();
    let join = reaction("EvR9", "U0ALICE", "raised_hand", &ts, true);
    assert!(socket.send(0, &events_envelope("env-fail", join.clone(), 0)));
    // A write sent after it queues behind it on the one writer: once that is acked, the
    // failed one has been handled.
    let council = command_envelope("env-next", TEAM, "U0BOB", CHANNEL, "council guildford bc");
    acked(&socket, 0, "env-next", &council).await;
    assert!(
        socket.acks_of("env-fail").is_empty(),
        "no ack: Slack retries"
    );
    assert!(!is_member(&app, "U0ALICE"));
    app.db().execute_batch("DROP TRIGGER broken_join").unwrap();
    acked(
        &socket,
        0,
        "env-retry",
        &events_envelope("env-retry", join, 1),
    )
    .await;
    // Applied on the redelivery: a pending join, made once Slack says Alice is a person.
    eventually("applied on the redelivery", SHORT, || {
        is_member(&app, "U0ALICE").then_some(())
    })
    .await;
}
