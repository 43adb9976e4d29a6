//! The connection: hello, what `/healthz` says, Slack's disconnects, a dropped socket, a
//! refused token, and Socket Mode alone (no HTTP routes for Slack).

use std::time::Duration;

use crate::helpers::socket::*;
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER};

fn help(id: &str) -> String {
    command_envelope(id, TEAM, "U0ALICE", CHANNEL, "help")
}

#[tokio::test]
async fn the_socket_is_live_once_slack_says_hello_and_healthz_says_so() {
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    socket.hello_with(None);
    let app = spawn_socket_app_with(slack.clone(), false).await;
    eventually("a socket", SHORT, || {
        (socket.connections() == 1).then_some(())
    })
    .await;
    let opened = slack.calls("apps.connections.open");
    assert_eq!(
        opened[0].authorization.as_deref(),
        Some(format!("Bearer {APP_TOKEN}").as_str()),
        "the app-level token opens the connection"
    );
    health_is(&app, 503, "socket mode not connected: connecting").await;
    // A bare hello (as Slack's Node SDK tests send) is enough.
    assert!(socket.send(0, r#"{"type":"hello"}"#));
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
}

#[tokio::test]
async fn a_refresh_opens_the_new_socket_before_the_old_one_closes_and_loses_nothing() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    for (i, name) in [
        "socket-mode-disconnect-refresh-requested.json",
        "socket-mode-disconnect-warning.json",
        "socket-mode-disconnect-too-many-websockets.python-slack-sdk.json",
    ]
    .into_iter()
    .enumerate()
    {
        assert!(socket.send(i, &fixture(name)));
        // Slack still delivers on the old socket until it closes it: that is acked.
        let id = format!("env-old-{i}");
        acked(&socket, i, &id, &help(&id)).await;
        eventually("a new socket", SHORT, || {
            (socket.connections() == i + 2).then_some(())
        })
        .await;
        eventually("the old one closed by the bot", SHORT, || {
            (socket.open_connections() == vec![i + 1]).then_some(())
        })
        .await;
        let lives = socket.lifetimes();
        assert!(
            lives[i].1.unwrap() > lives[i + 1].0,
            "the old socket outlived the new one's opening"
        );
        let id = format!("env-new-{i}");
        acked(&socket, i + 1, &id, &help(&id)).await;
        assert_eq!(app.slack.calls("apps.connections.open").len(), i + 2);
    }
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
}

/// The bot on one socket, sent a shortcut whose form Slack takes `ms` to open (envelope
/// `env-slow`) and then asked for a new socket; returns once the new one is open.
async fn slow_form_then_refresh(ms: u64) -> (TestApp, FakeSocket) {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    app.slack.script("views.open", Script::Slow(ms));
    let mut slow: serde_json::Value = serde_json::from_str(&fixture(
        "socket-mode-interactive-shortcut.python-slack-sdk.envelope.json",
    ))
    .unwrap();
    slow["payload"]["callback_id"] = "pitch".into();
    slow["envelope_id"] = "env-slow".into();
    assert!(socket.send(0, &slow.to_string()));
    assert!(socket.send(0, &fixture("socket-mode-disconnect-refresh-requested.json")));
    eventually("a new socket", SHORT, || {
        (socket.connections() == 2).then_some(())
    })
    .await;
    (app, socket)
}

#[tokio::test]
async fn the_old_socket_is_read_until_its_envelopes_are_acked() {
    let (_app, socket) = slow_form_then_refresh(1500).await;
    // The bot is closing the old socket but waits for the slow envelope: what Slack sends
    // there meanwhile is still handled and acked on it.
    acked(&socket, 0, "env-late", &help("env-late")).await;
    assert_eq!(ack_of(&socket, "env-slow").await["envelope_id"], "env-slow");
    assert!(socket.acks_of("env-slow").iter().all(|r| r.connection == 0));
    eventually("the old socket closed", SHORT, || {
        (socket.open_connections() == vec![1]).then_some(())
    })
    .await;
}

/// A replaced socket is closed when its drain (5 s) runs out, though an envelope that came
/// on it is still being handled: it stayed open and unread until that was done, and what
/// Slack sent there meanwhile was never handled. That envelope's ack, when it comes, goes
/// over the new socket.
#[tokio::test]
async fn a_replaced_socket_is_closed_when_its_drain_runs_out() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    // Past the drain: the bot's write gives up at its busy timeout (5 s), and so does the
    // one sending its late answer to the DM (10 s).
    let hold = app.hold_writes_for(Duration::from_secs(11));
    let council = command_envelope("env-held", TEAM, PITCHER, CHANNEL, "council guildford bc");
    assert!(socket.send(0, &council));
    assert!(socket.send(0, &fixture("socket-mode-disconnect-refresh-requested.json")));
    eventually("a new socket", SHORT, || {
        (socket.connections() == 2).then_some(())
    })
    .await;
    eventually("the old socket closed", SHORT, || {
        (socket.open_connections() == vec![1]).then_some(())
    })
    .await;
    assert!(
        socket.acks_of("env-held").is_empty(),
        "closed while its envelope was still being handled"
    );
    let ack = eventually("the held command acked", SHORT, || {
        socket.acks_of("env-held").into_iter().next()
    })
    .await;
    assert_eq!(ack.connection, 1, "over the new socket");
    hold.join().unwrap();
}

/// A stop while a replaced socket still has an envelope being handled waits for its ack too,
/// as it does for the current socket's. (Its keeper waits for it; so, for up to 2 s, does
/// the wait for the database to close, as the handler holds the store.)
#[tokio::test]
async fn a_stop_waits_for_the_acks_of_a_replaced_socket() {
    let (app, socket) = slow_form_then_refresh(1000).await;
    assert!(socket.acks_of("env-slow").is_empty(), "still being handled");
    app.stop().await;
    let acks = socket.acks_of("env-slow");
    assert_eq!(acks.len(), 1, "acked before the stop ended");
    assert_eq!(acks[0].connection, 0);
}

#[tokio::test]
async fn a_dropped_socket_is_reconnected() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    socket.close(0);
    eventually("a new socket", SHORT, || {
        (socket.connections() == 2).then_some(())
    })
    .await;
    acked(&socket, 1, "env-1", &help("env-1")).await;
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
    assert_eq!(app.slack.calls("apps.connections.open").len(), 2);
}

/// The bot (Socket Mode alone) keeping two sockets, as it does by default; returns once both
/// are open.
async fn with_a_spare() -> (TestApp, FakeSocket) {
    let (app, socket) = spawn_socket_only(&[(SOCKETS, "2")]).await;
    eventually("two sockets", SHORT, || {
        (socket.open_connections() == vec![0, 1]).then_some(())
    })
    .await;
    (app, socket)
}

/// Slack's rate limit on `apps.connections.open` is the app's: a 429 met by one keeper holds
/// the other too. The spare, dropped, meets a 429; the first socket, dropped while it holds,
/// is not asked for before Slack's wait is over (it was asked for at once, and met a second).
#[tokio::test]
async fn a_429_met_by_one_socket_holds_the_other_too() {
    let (app, socket) = with_a_spare().await;
    app.slack
        .script("apps.connections.open", Script::RateLimited(2));
    socket.close(1);
    let limited = app.slack.wait_for("apps.connections.open", 3, SHORT).await;
    socket.close(0);
    let opened = app.slack.wait_for("apps.connections.open", 4, SHORT).await;
    assert!(
        opened[3].received - limited[2].at >= Duration::from_millis(1900),
        "the first socket's keeper waited for the spare's Retry-After: {:?}",
        opened[3].received - limited[2].at
    );
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
    acked(&socket, 2, "env-0", &help("env-0")).await;
}

/// With a spare, as the bot keeps by default, a socket gone silent (or dropped without a
/// word) leaves the other to take Slack's traffic at once, while it is given up and replaced
/// on its own; stopping closes them all.
#[tokio::test]
async fn a_spare_socket_serves_while_a_silent_one_is_replaced() {
    let (app, socket) = with_a_spare().await;
    health_is(&app, 200, "ok").await;
    acked(&socket, 0, "env-0", &help("env-0")).await;
    acked(&socket, 1, "env-1", &help("env-1")).await;
    // Silent from now: given up after 2 s here (30 s in service). The spare answers meanwhile.
    socket.freeze(0);
    acked(&socket, 1, "env-2", &help("env-2")).await;
    assert_eq!(
        socket.connections(),
        2,
        "answered before the silent one was replaced"
    );
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
    // (The fake, frozen, does not see the bot close it.)
    eventually("the silent socket replaced, the spare kept", SHORT, || {
        (socket.connections() == 3 && socket.open_connections().ends_with(&[1, 2])).then_some(())
    })
    .await;
    acked(&socket, 2, "env-3", &help("env-3")).await;
    assert_eq!(app.slack.calls("apps.connections.open").len(), 3);
    // Slack dropping the spare without a word: the other serves; the spare comes back.
    socket.close(1);
    acked(&socket, 2, "env-4", &help("env-4")).await;
    eventually("the spare back", SHORT, || {
        (socket.connections() == 4 && socket.open_connections().ends_with(&[2, 3])).then_some(())
    })
    .await;
    acked(&socket, 3, "env-5", &help("env-5")).await;
    app.stop().await;
    eventually("every socket closed", SHORT, || {
        socket
            .open_connections()
            .iter()
            .all(|&c| c == 0)
            .then_some(())
    })
    .await;
}

/// A pitch over `socket`'s connection 0, held behind another writer for a second, whose
/// socket Slack drops (without a word, as it recycles its servers) while it is recorded.
/// Returns once it is recorded.
async fn pitch_whose_socket_drops(app: &TestApp, socket: &FakeSocket, id: &str) {
    let hold = app.hold_writes_for(Duration::from_millis(1_000));
    let text = "pitch Grit bins | Sensors on the gritters";
    assert!(socket.send(0, &command_envelope(id, TEAM, PITCHER, CHANNEL, text)));
    // Sent after the envelope, on the same connection: read after it, while it waits.
    socket.close(0);
    hold.join().unwrap();
    eventually("the pitch recorded", SHORT, || {
        (app.count("SELECT COUNT(*) FROM projects") == 1).then_some(())
    })
    .await;
}

/// A command's answer ready after the socket it came on was dropped is acked over a socket
/// still live (Slack takes an ack by its `envelope_id` on any of the app's sockets, as
/// python-slack-sdk's client relies on): it was lost, and the person, shown Slack's error,
/// typed it again and pitched twice.
#[tokio::test]
async fn a_commands_answer_goes_over_another_socket_when_its_own_is_dropped_mid_work() {
    let (app, socket) = with_a_spare().await;
    pitch_whose_socket_drops(&app, &socket, "env-cut").await;
    let ack = eventually("the pitch acked over a live socket", SHORT, || {
        socket.acks_of("env-cut").into_iter().next()
    })
    .await;
    assert_ne!(ack.connection, 0, "not over the dropped socket");
    assert!(
        message_text(&ack.frame["payload"]).contains("Grit bins"),
        "with its answer: {}",
        ack.frame
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

/// With no socket live to carry it, such an answer goes to the person's DM with the bot, as
/// one worked out after Slack stopped waiting does.
#[tokio::test]
async fn a_commands_answer_goes_to_the_dm_when_no_socket_is_left_to_carry_it() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    // No new socket comes while the pitch is recorded.
    app.slack
        .always("apps.connections.open", Script::Error("invalid_auth"));
    pitch_whose_socket_drops(&app, &socket, "env-cut").await;
    let dm = dm_saying(&app, PITCHER, "Grit bins").await;
    assert!(dm.contains("#1"), "{dm}");
    assert!(socket.acks_of("env-cut").is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

/// Both sockets lost (an outage), only the first keeper tries again until a socket is live:
/// `apps.connections.open` is not asked twice as often, a refused token is tried once a
/// while, not once a keeper, and `/healthz` says that keeper's reason, not a spare's.
#[tokio::test]
async fn with_no_socket_live_the_spare_waits_for_the_first() {
    let (app, socket) = with_a_spare().await;
    app.slack
        .always("apps.connections.open", Script::Error("invalid_auth"));
    socket.close(0);
    let body = health_is(&app, 200, "ok").await;
    assert_eq!(body, "ok", "the spare still serves");
    socket.close(1);
    let body = health_is(&app, 503, "invalid_auth").await;
    assert_eq!(
        body,
        "socket mode not connected: app token refused: invalid_auth"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.slack.calls("apps.connections.open").len(),
        3,
        "two sockets, then the first keeper's one try"
    );
    assert!(
        health_is(&app, 503, "invalid_auth")
            .await
            .ends_with("invalid_auth")
    );
}

/// An outage that starts while the spare waits to open (10 s after the first socket is
/// live, here 2 s) keeps it waiting: it opened anyway once its wait was over, asking
/// `apps.connections.open` beside the first keeper's tries.
#[tokio::test]
async fn an_outage_during_the_spares_wait_keeps_it_waiting() {
    let (app, socket) = spawn_socket_only(&[(SOCKETS, "2"), (SPARE_AFTER_MS, "2000")]).await;
    health_is(&app, 200, "ok").await;
    assert_eq!(socket.connections(), 1, "the spare is still waiting");
    // A refused token: the first keeper then tries once a minute (in service, five).
    app.slack
        .always("apps.connections.open", Script::Error("invalid_auth"));
    socket.close(0);
    health_is(&app, 503, "invalid_auth").await;
    // Past the spare's wait (1.5 s to 2 s from the hello).
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        app.slack.calls("apps.connections.open").len(),
        2,
        "the first socket, then the first keeper's one try; none by the spare"
    );
}

/// The same when the spare still holds a socket it was replacing: an outage in the middle
/// of a refresh leaves the spare with its old socket, dead, and no new one; it waits too.
#[tokio::test]
async fn a_spare_caught_mid_refresh_by_an_outage_waits_for_the_first() {
    let (app, socket) = with_a_spare().await;
    // Slack asks the spare for a new socket, then will not give one (a second a try).
    app.slack
        .always("apps.connections.open", Script::RateLimited(1));
    assert!(socket.send(1, &fixture("socket-mode-disconnect-refresh-requested.json")));
    eventually("the spare asking for its new socket", SHORT, || {
        (app.slack.calls("apps.connections.open").len() == 3).then_some(())
    })
    .await;
    // Then both sockets go.
    socket.close(0);
    socket.close(1);
    health_is(&app, 503, "socket mode not connected").await;
    let before = app.slack.calls("apps.connections.open").len();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let tries = app.slack.calls("apps.connections.open").len() - before;
    // The first keeper's, one a second: three or four. Both keepers' would be twice that.
    assert!(tries <= 4, "{tries} tries in 3.5 s");
}

#[tokio::test]
async fn a_silent_socket_is_given_up_and_replaced() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    // No pong to the bot's pings (every 200 ms here), no frames: after 2 s it gives up.
    socket.freeze(0);
    eventually("a new socket", SHORT, || {
        (socket.connections() == 2).then_some(())
    })
    .await;
    acked(&socket, 1, "env-1", &help("env-1")).await;
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
}

#[tokio::test]
async fn link_disabled_is_an_error_and_not_hammered() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    assert!(socket.send(0, &fixture("socket-mode-disconnect-link-disabled.json")));
    health_is(&app, 503, "link_disabled").await;
    eventually("the socket closed", SHORT, || {
        socket.open_connections().is_empty().then_some(())
    })
    .await;
    // Reconnecting at once would be pointless: the bot waits (minutes in production).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.slack.calls("apps.connections.open").len(), 1);
    assert_eq!(socket.connections(), 1);
}

/// A replacement Slack asks for (`warning`: the old socket closes in about 10 s) on a young
/// socket is opened soon, however far the reconnect wait has grown (to a minute after an
/// outage): it waited out that whole wait, leaving no socket once the old one closed.
#[tokio::test]
async fn a_replacement_slack_asks_for_is_not_held_by_a_grown_reconnect_wait() {
    // Every reconnect wait is a minute here, as one grown after an outage: a replacement
    // held by it would not open within the test's wait (a loaded machine's few seconds).
    let (app, socket) = spawn_socket_only(&[(RETRY_WAIT_MS, "60000")]).await;
    health_is(&app, 200, "ok").await;
    assert!(socket.send(0, &fixture("socket-mode-disconnect-warning.json")));
    eventually("the replacement opened", SHORT, || {
        (socket.connections() == 2).then_some(())
    })
    .await;
}

/// With the HTTP routes served too, Socket Mode turned off in the app's settings is not an
/// outage: Slack sends over HTTP then. `/healthz` stays 200 and says so, rather than 503 for
/// good (which a monitor or a proxy would take the bot out of service for).
#[tokio::test]
async fn socket_mode_turned_off_is_healthy_when_http_is_served_too() {
    let (app, socket) = spawn_socket_app(true).await;
    health_is(&app, 200, "ok").await;
    assert!(socket.send(0, &fixture("socket-mode-disconnect-link-disabled.json")));
    let said = health_is(&app, 200, "over HTTP").await;
    assert!(said.contains("link_disabled"), "{said}");
    let a = app.slash("U0ANN", "C0BINS", "help").await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn a_refused_app_token_shows_in_healthz_and_is_not_hammered() {
    let slack = FakeSlack::start().await;
    slack.socket_mode().await;
    slack.always("apps.connections.open", Script::Error("invalid_auth"));
    let app = spawn_socket_app_with(slack.clone(), false).await;
    let body = health_is(&app, 503, "invalid_auth").await;
    assert_eq!(
        body,
        "socket mode not connected: app token refused: invalid_auth"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(slack.calls("apps.connections.open").len(), 1);
}

#[tokio::test]
async fn a_rate_limited_open_waits_as_slack_says_then_connects() {
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    slack.script("apps.connections.open", Script::RateLimited(1));
    let app = spawn_socket_app_with(slack.clone(), false).await;
    health_is(&app, 503, "rate limited").await;
    let opened = slack.wait_for("apps.connections.open", 2, SHORT).await;
    assert!(
        opened[1].received - opened[0].at >= Duration::from_millis(900),
        "the second try waited for Retry-After"
    );
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
    assert_eq!(socket.connections(), 1);
}

#[tokio::test]
async fn socket_mode_alone_serves_no_slack_http_routes_but_the_rest() {
    let (app, socket) = spawn_socket_app(false).await;
    health_is(&app, 200, "ok").await;
    for path in ["/slack/events", "/slack/commands", "/slack/interactions"] {
        let a = app
            .post_signed(path, "application/x-www-form-urlencoded", "x=1")
            .await;
        assert_eq!(a.status, 404, "{path}");
        let a = app.request("GET", path, &[], "").await;
        assert_eq!(
            a.status, 404,
            "GET {path}: not served at all, as the contract says"
        );
    }
    assert_eq!(app.request("GET", "/catalogue", &[], "").await.status, 200);
    assert_eq!(
        app.request("GET", "/catalogue.json", &[], "").await.status,
        200
    );
    acked(&socket, 0, "env-1", &help("env-1")).await;
}

#[tokio::test]
async fn stopping_closes_the_socket() {
    let (app, socket) = spawn_socket_app(true).await;
    health_is(&app, 200, "ok").await;
    app.stop().await;
    eventually("the socket closed", SHORT, || {
        socket.open_connections().is_empty().then_some(())
    })
    .await;
}

/// New sockets Slack turns away before their hello, while an old socket that has lived long
/// still serves, are tried again with a growing backoff, not one after another: the old
/// socket's age used to reset the backoff at every try (40 sockets in 26 ms, seen by a
/// reviewer against a fake Slack).
#[tokio::test]
async fn replacements_turned_away_back_off_while_the_old_socket_serves() {
    let (app, socket) = spawn_socket_only(&[(STABLE_AFTER_MS, "300")]).await;
    health_is(&app, 200, "ok").await;
    tokio::time::sleep(Duration::from_millis(500)).await; // the first socket is stable now
    socket.hello_with(Some(&fixture(
        "socket-mode-disconnect-too-many-websockets.python-slack-sdk.json",
    )));
    assert!(socket.send(0, &fixture("socket-mode-disconnect-refresh-requested.json")));
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Backoff 50, 100, 200, 400, 400… ms here: a handful in 2 s, not hundreds.
    let opened = socket.connections();
    assert!((2..=12).contains(&opened), "{opened} sockets in 2 s");
    // The old socket still serves meanwhile.
    acked(&socket, 0, "env-old", &help("env-old")).await;
    assert_eq!(health_is(&app, 200, "ok").await, "ok");
}
