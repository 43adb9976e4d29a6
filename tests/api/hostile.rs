//! Hostile and broken input: text nobody can see, floods of writes, many idle connections,
//! a handler that panics, clients that hang up.

use crate::helpers::*;

#[tokio::test]
async fn a_title_of_invisible_characters_is_refused_and_nothing_is_posted() {
    let app = spawn_app().await;
    for title in ["\u{200B}\u{FEFF}\u{200D}", "\u{0}\u{1}", "\u{2060} | desc"] {
        let a = app.slash("U1", "C1", &format!("pitch {title}")).await;
        assert_eq!(a.status, 200);
        assert!(
            a.text().contains("no characters anyone could see"),
            "{}",
            a.body
        );
    }
    // A title with invisible characters among visible ones is kept without them.
    let a = app
        .slash("U1", "C1", "pitch Bin\u{200B} day\u{0} finder")
        .await;
    assert!(a.text().contains("#1: Bin day finder"), "{}", a.body);
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(posts.len(), 1, "only the visible pitch was announced");
    let title: String = app
        .db()
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Bin day finder");
}

#[tokio::test]
async fn a_digest_time_with_a_sign_is_refused() {
    let app = spawn_app().await;
    let a = app.slash("U1", "C1", "digest mon +9:00").await;
    assert_eq!(a.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions"),
        0,
        "{}",
        a.body
    );
}

#[tokio::test]
async fn a_flood_of_updates_from_one_person_is_paused_kindly_losing_nothing_recorded() {
    let app = spawn_app().await;
    assert!(
        app.slash("U1", "C1", "pitch Flood")
            .await
            .text()
            .contains("#1")
    );
    let mut recorded = 0;
    let mut refusal = None;
    for i in 0..1000 {
        let a = app.slash("U1", "C1", &format!("update 1 news {i}")).await;
        assert_eq!(a.status, 200);
        if a.text().contains("pausing yours") {
            refusal = Some(a.text());
            break;
        }
        recorded += 1;
    }
    let refusal = refusal.expect("a flood is paused");
    // The pitch spent one change; a burst's worth of updates went through (and a few more as
    // the allowance refilled while they were sent).
    let burst = makers_bot::domain::WriteBudget::BURST;
    assert!(recorded >= burst - 1, "paused after {recorded}");
    assert!(
        refusal.contains("This one was not recorded; everything before it was")
            && refusal.contains("try again in 1 second"),
        "{refusal}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), recorded);
    // Reading is not a change, and other people are not held up.
    assert!(
        app.slash("U1", "C1", "show 1")
            .await
            .text()
            .contains("Flood")
    );
    assert!(
        app.slash("U2", "C1", "pitch Other")
            .await
            .text()
            .contains("#2")
    );
    // A minute on, the allowance is back.
    app.clock.set_timestamp(now() + 120);
    let a = app.slash("U1", "C1", "update 1 back again").await;
    assert!(!a.text().contains("pausing"), "{}", a.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), recorded + 1);
}

/// The machine's clock set back an hour (a time server putting a wrong start right) holds
/// nobody for the hour: someone who changed something at the later time may go on.
#[tokio::test]
async fn a_clock_set_back_holds_nobody_for_the_time_it_went_back() {
    let app = spawn_app().await;
    app.clock.set("2026-11-20T12:00:00Z");
    app.clock.stop();
    assert!(
        app.slash("U1", "C1", "pitch Bins")
            .await
            .text()
            .contains("#1")
    );
    app.clock.set("2026-11-20T11:00:00Z");
    app.clock.stop();
    let a = app.slash("U1", "C1", "pitch Parking permits").await;
    assert!(a.text().contains("#2"), "{}", a.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 2);
}

/// A join, then the clock set back an hour: a `leave` typed after it is done, not ignored
/// as older than the join (it was answered "You're not in the team", while `show` listed
/// them, until the clock caught up); and a join typed after that is done too.
#[tokio::test]
async fn a_clock_set_back_does_not_undo_what_people_ask_for_next() {
    let app = spawn_app().await;
    app.clock.set("2026-11-20T12:00:00Z");
    app.clock.stop();
    app.slash("U1", "C1", "pitch Bins").await;
    let joined = app.slash("U0BOB", "C1", "join 1").await.text();
    assert!(joined.contains("You're in the team"), "{joined}");
    app.clock.set("2026-11-20T11:00:00Z");
    app.clock.stop();
    let left = app.slash("U0BOB", "C1", "leave 1").await.text();
    assert!(left.contains("You've left the team"), "{left}");
    let in_team = "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
                    WHERE p.number = 1 AND m.user_id = 'U0BOB'";
    assert_eq!(app.count(in_team), 0);
    let back = app.slash("U0BOB", "C1", "join 1").await.text();
    assert!(back.contains("You're in the team"), "{back}");
    assert_eq!(app.count(in_team), 1);
    // The lead's `remove` too.
    let removed = app.slash("U1", "C1", "remove 1 <@U0BOB>").await.text();
    assert!(removed.contains("is no longer in the team"), "{removed}");
    assert_eq!(app.count(in_team), 0);
}

#[tokio::test]
async fn a_flood_of_button_presses_is_answered_once_not_once_a_press() {
    let app = spawn_app().await;
    let ts = crate::teams::pitched(&app, "Parking").await;
    // Private answers: the presser's ephemerals (a join also tells the thread, a leave not).
    let queued = || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%\"reply\"%'");
    let before = queued();
    let presses = makers_bot::domain::WriteBudget::BURST + 50;
    app.clock.stop(); // no allowance back mid-flood, however slow the machine
    for i in 0..presses {
        let action = if i % 2 == 0 {
            "join_project"
        } else {
            "leave_project"
        };
        let body = crate::buttons_and_councils::press("U0BOB", action, "1", &ts);
        let a = app.interact(&body).await;
        assert_eq!(a.status, 200);
    }
    // Every accepted press queued its private answer; the refused ones queued one between
    // them.
    let paused = app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_changes%'");
    assert_eq!(paused, 1, "one notice for the whole run of refusals");
    let accepted = queued() - before - paused;
    let burst = makers_bot::domain::WriteBudget::BURST;
    assert!(
        (burst..presses).contains(&accepted),
        "{accepted} of {presses} accepted"
    );
}

/// By @-mention too, a flood is refused with one word, not a post per refusal (a mention's
/// answer is a post in its thread; an update in a pitch's thread is answered privately).
#[tokio::test]
async fn a_flood_of_mentions_is_refused_once_not_once_a_mention() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, "U1", "C1", "Flood").await;
    let refusals =
        || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_changes%'");
    let burst = makers_bot::domain::WriteBudget::BURST;
    // No allowance comes back while the flood goes on, however slowly the machine runs it
    // (one a second would, and a change let through ends the run of refusals).
    app.clock.stop();
    for i in 0..burst + 20 {
        let at = format!("1700000100.{i:06}");
        let a = app
            .event(&mention(
                &format!("EvF{i}"),
                "U1",
                "C1",
                &at,
                &format!("update 1 news {i}"),
            ))
            .await;
        assert_eq!(a.status, 200);
    }
    for i in 0..20 {
        let mut e = mention(
            &format!("EvT{i}"),
            "U1",
            "C1",
            &format!("1700000200.{i:06}"),
            "more news",
        );
        e["event"]["thread_ts"] = ts.as_str().into();
        assert_eq!(app.event(&e).await.status, 200);
    }
    assert_eq!(refusals(), 1, "one word for the whole run of refusals");
    let recorded = app.count("SELECT COUNT(*) FROM updates");
    assert!(
        (burst - 1..burst + 20).contains(&recorded),
        "{recorded} recorded"
    );
}

/// A mention that only looks (`@makers list`) is answered with a post for the channel, so a
/// script mentioning the bot in a loop would fill it: past the person's allowance their
/// mentions are answered once, saying so, then not at all until it comes back; a slash
/// command's answer (a reply to the request, no post) is never held.
#[tokio::test]
async fn a_flood_of_mentions_that_only_look_is_held_to_the_allowance() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U1", "C1", "Flood").await;
    let lists = || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%project_list%'");
    let paused = || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_asks%'");
    let burst = makers_bot::domain::WriteBudget::BURST;
    app.clock.stop();
    for i in 0..burst + 20 {
        let at = format!("1700000300.{i:06}");
        let a = app
            .event(&mention(&format!("EvL{i}"), "U2", "C1", &at, "list"))
            .await;
        assert_eq!(a.status, 200);
    }
    assert_eq!(paused(), 1, "told once");
    let answered = lists();
    assert!(
        (burst - 1..=burst).contains(&answered),
        "{answered} lists posted for {} mentions",
        burst + 20
    );
    // Someone else's mention is answered; so is the same person's slash command.
    let at = "1700000400.000001";
    app.event(&mention("EvOther", "U3", "C1", at, "list")).await;
    assert_eq!(lists(), answered + 1);
    assert!(app.slash("U2", "C1", "list").await.text().contains("Flood"));
}

/// Joining by reaction is a change like any other: each join writes a membership and queues
/// a thread line (taken back with the reaction if not yet posted), so a script toggling the
/// join emoji is held to the same allowance, and told once: past it, the emoji no longer
/// joins (taking it back is never refused).
#[tokio::test]
async fn a_flood_of_join_reactions_is_held_to_the_allowance() {
    use crate::teams::{is_member, joined, pitched, reaction};
    let app = spawn_app().await;
    let ts = pitched(&app, "Flood").await;
    app.event(&reaction("EvR0", "U0BOB", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0BOB").await;
    let refusals =
        || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%reaction_not_counted%'");
    let burst = makers_bot::domain::WriteBudget::BURST;
    let base = now() + 1;
    app.clock.stop(); // no allowance back mid-flood, however slow the machine
    for i in 0..burst + 20 {
        for (n, added) in [(2 * i, false), (2 * i + 1, true)] {
            let mut e = reaction(
                &format!("EvR{i}-{added}"),
                "U0BOB",
                "raised_hand",
                &ts,
                added,
            );
            e["event"]["event_ts"] = format!("{base}.{n:06}").into();
            assert_eq!(app.event(&e).await.status, 200);
        }
        if i + 3 < burst {
            assert!(
                is_member(&app, "U0BOB"),
                "within the allowance, join {i} joins"
            );
        }
    }
    assert!(
        !is_member(&app, "U0BOB"),
        "past the allowance, the emoji no longer joins"
    );
    assert_eq!(refusals(), 1, "told once, privately");
    // The reaction stays on the announcement: they are told it did not join them, and how
    // to join once the pause is over.
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let text = message_text(&said[0].body);
    assert!(
        text.contains("Your reaction did not join you to project #1")
            && text.contains("take the reaction off and add it again"),
        "{text}"
    );
}

/// Sends each of `requests` on a connection of its own, gives the bot a moment to take them
/// in (their bodies read), then hangs up on them all. A hundred at a time, under the bot's
/// cap on open connections.
async fn hang_up(addr: std::net::SocketAddr, requests: impl IntoIterator<Item = String>) {
    use tokio::io::AsyncWriteExt;
    let mut requests = requests.into_iter().peekable();
    while requests.peek().is_some() {
        let mut open = Vec::new();
        for request in requests.by_ref().take(100) {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.write_all(request.as_bytes()).await.unwrap();
            open.push(stream);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Tasks alive on the runtime the bot and the test share.
fn tasks_alive() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// An anonymous request whose client hangs up goes with it: hung-up connections free their
/// slot at once, so requests left running would have no limit (here each `/healthz` waits
/// for a database whose writes are held). However many waited, one probe is written.
#[tokio::test]
async fn anonymous_requests_whose_clients_hang_up_are_not_left_running() {
    let app = spawn_app().await;
    crate::routes::count_probes(&app);
    let lock = app.db();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = tasks_alive();
    let health = "GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n";
    hang_up(app.addr, (0..300).map(|_| health.to_string())).await;
    // Within the check's 2 s wait for the database.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let left = tasks_alive().saturating_sub(before);
    lock.execute_batch("ROLLBACK").unwrap();
    assert!(left < 20, "{left} tasks left running for clients gone");
    // The one probe's commit waits for a sync, which on a busy machine can take seconds:
    // wait for it, then give any other a moment to show.
    eventually("the probe written", SHORT, || {
        (app.count("SELECT COUNT(*) FROM probes_seen") >= 1).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM probes_seen"), 1);
}

/// A Slack request runs to its end when Slack hangs up (see `pitch.rs`), but only so many
/// at once: past them a request is handled as any other, and goes with its client.
#[tokio::test]
async fn slack_requests_left_running_after_a_hang_up_are_bounded() {
    // 512 in `slack::observe`.
    const LEFT_RUNNING_AT_MOST: usize = 512;
    let app = spawn_app_setting("MAKERS_WRITES_PER_MINUTE", "0").await;
    let lock = app.db();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = tasks_alive();
    let pitch = |i| {
        let body = slash_body(TEAM, "U0PITCHER", "C0MAKERS", &format!("pitch Idea {i}"));
        let mut request = format!(
            "POST /slack/commands HTTP/1.1\r\nHost: bot\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in signed_headers(&body, now()) {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request + "\r\n" + &body
    };
    hang_up(app.addr, (0..LEFT_RUNNING_AT_MOST + 200).map(pitch)).await;
    // Within the writer's 5 s wait for the lock.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let left = tasks_alive().saturating_sub(before);
    lock.execute_batch("ROLLBACK").unwrap();
    assert!(
        left <= LEFT_RUNNING_AT_MOST + 20,
        "{left} tasks left running for clients gone"
    );
}

/// An edit of one's own earlier update is answered privately in its thread, a post like any
/// other answer to a mention, so it spends from the allowance as they do: a script editing
/// it in a loop is answered within the allowance, told once, then answered nothing (every
/// edit was answered, each a post queued for the channel).
#[tokio::test]
async fn a_flood_of_edits_of_ones_own_earlier_update_is_answered_within_the_allowance() {
    let app = spawn_app().await;
    let thread = pitch_and_wait(&app, "U1", "C1", "Flood").await;
    let in_thread = |id: &str, ts: &str, text: &str| {
        let mut e = mention(id, "U1", "C1", ts, text);
        e["event"]["thread_ts"] = thread.clone().into();
        e
    };
    let first = format!("{}.000100", now() - 60);
    app.event(&in_thread("EvU1", &first, "ran the research"))
        .await;
    let second = format!("{}.000200", now() - 50);
    app.event(&in_thread("EvU2", &second, "alpha done")).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 2);
    let answered =
        || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%edited_own_update%'");
    let paused = || app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_asks%'");
    let burst = makers_bot::domain::WriteBudget::BURST;
    let base = now();
    app.clock.stop(); // no allowance back mid-flood, however slow the machine
    for i in 0..burst + 50 {
        let mut e = in_thread(&format!("EvE{i}"), &first, &format!("ran the research {i}"));
        e["event"]["edited"] = serde_json::json!({"user": "U1", "ts": format!("{base}.{i:06}")});
        assert_eq!(app.event(&e).await.status, 200);
    }
    assert_eq!(paused(), 1, "told once");
    // The pitch and the two updates spent three of the burst.
    assert!(
        (burst - 3..=burst).contains(&answered()),
        "{} edits answered of {}",
        answered(),
        burst + 50
    );
}

/// A refusal answered in a slash command's reply costs no post, so it is not the minute's
/// telling: a join by reaction refused right after it is still told that it did not join
/// them (its emoji stays on the announcement, and they would take themselves to be in).
#[tokio::test]
async fn a_join_reaction_refused_after_a_slash_commands_refusal_is_still_told() {
    use crate::teams::{is_member, pitched, reaction};
    let app = spawn_app().await;
    let ts = pitched(&app, "Flood").await;
    let burst = makers_bot::domain::WriteBudget::BURST;
    app.clock.stop(); // no allowance back mid-flood, however slow the machine
    // `leave` of a team they are not in: a change asked for, spent, and nothing posted.
    for _ in 0..burst {
        let a = app.slash("U0BOB", "C1", "leave 1").await;
        assert!(!a.text().contains("pausing"), "{}", a.body);
    }
    let refused = app.slash("U0BOB", "C1", "leave 1").await;
    assert!(refused.text().contains("pausing"), "{}", refused.body);
    let mut e = reaction("EvJ", "U0BOB", "raised_hand", &ts, true);
    e["event"]["event_ts"] = format!("{}.000100", app.clock.now().timestamp()).into();
    assert_eq!(app.event(&e).await.status, 200);
    assert!(!is_member(&app, "U0BOB"));
    let told = app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%reaction_not_counted%'");
    assert_eq!(told, 1, "the refused join is told");
}

/// An event whose write fails (a full disk) is answered 500 and retried by Slack: nothing
/// was recorded, so its spend is given back, and the retry spends it once, not again.
#[tokio::test]
async fn an_event_whose_write_failed_spends_once_across_slacks_retry() {
    let app = spawn_app().await;
    let burst = makers_bot::domain::WriteBudget::BURST;
    app.clock.stop(); // no allowance back meanwhile, however slow the machine
    // `leave` of a project there is not: a change asked for, spent, and nothing posted.
    for _ in 0..burst - 1 {
        let a = app.slash("U1", "C1", "leave 1").await;
        assert!(!a.text().contains("pausing"), "{}", a.body);
    }
    // The mention's answer cannot be queued: its transaction fails after the spend.
    app.db()
        .execute_batch(
            "CREATE TRIGGER disk_full BEFORE INSERT ON outbox
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let asked = mention("EvRetried", "U1", "C1", "1700000500.000100", "leave 1");
    assert_eq!(app.event(&asked).await.status, 500);
    app.db().execute_batch("DROP TRIGGER disk_full").unwrap();
    assert_eq!(app.event(&asked).await.status, 200);
    let refusals = app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_changes%'");
    assert_eq!(refusals, 0, "the retry is within the allowance");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), 1, "answered once");
    // It spent the last of the burst, once.
    let a = app.slash("U1", "C1", "leave 1").await;
    assert!(a.text().contains("pausing"), "{}", a.body);
}

/// A refusal told by a post in an event whose write fails: the telling was never stored, so
/// it is not counted as told, and Slack's retry tells it. It was, and the retry was refused
/// in silence: nobody heard the change was not made.
#[tokio::test]
async fn a_refusal_whose_write_failed_is_told_on_slacks_retry() {
    let app = spawn_app().await;
    let burst = makers_bot::domain::WriteBudget::BURST;
    app.clock.stop(); // no allowance back meanwhile, however slow the machine
    // Slash refusals are answered in their reply and do not count as told.
    for _ in 0..burst {
        app.slash("U1", "C1", "leave 1").await;
    }
    app.db()
        .execute_batch(
            "CREATE TRIGGER disk_full BEFORE INSERT ON outbox
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let asked = mention(
        "EvRefusedRetried",
        "U1",
        "C1",
        "1700000500.000100",
        "leave 1",
    );
    assert_eq!(app.event(&asked).await.status, 500);
    app.db().execute_batch("DROP TRIGGER disk_full").unwrap();
    assert_eq!(app.event(&asked).await.status, 200);
    let refusals = app.count("SELECT COUNT(*) FROM outbox WHERE notice LIKE '%too_many_changes%'");
    assert_eq!(refusals, 1, "the refusal is told on the retry");
}
