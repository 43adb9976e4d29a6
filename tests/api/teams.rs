//! Teams: joining by reaction or command; leaving; retried deliveries. The Join button and
//! councils are in `buttons_and_councils`.

use serde_json::Value;

use crate::helpers::*;

pub(crate) const PITCHER: &str = "U0PITCHER";
pub(crate) const CHANNEL: &str = "C0MAKERS";

/// Pitches a project as the pitcher in the pitch channel and waits for its announcement.
pub(crate) async fn pitched(app: &TestApp, title: &str) -> String {
    pitch_and_wait(app, PITCHER, CHANNEL, title).await
}

/// Slack's reaction_added sample, aimed at `message_ts` in our channel.
pub(crate) fn reaction(
    event_id: &str,
    user: &str,
    emoji: &str,
    message_ts: &str,
    added: bool,
) -> Value {
    let name = if added {
        "reaction-added.event_callback.json"
    } else {
        "reaction-removed.event_callback.json"
    };
    let mut env = our_event(name, event_id);
    let e = &mut env["event"];
    e["user"] = user.into();
    e["reaction"] = emoji.into();
    e["item"]["channel"] = CHANNEL.into();
    e["item"]["ts"] = message_ts.into();
    e["event_ts"] = format!("{}.000100", now()).into();
    env
}

pub(crate) fn member_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM members")
}

/// Waits until `user` is a member: a reaction joins once Slack has said who reacted.
pub(crate) async fn joined(app: &TestApp, user: &str) {
    eventually(&format!("{user} joined"), SHORT, || {
        is_member(app, user).then_some(())
    })
    .await;
}

pub(crate) fn is_member(app: &TestApp, user: &str) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) FROM members WHERE user_id = '{user}'"
    )) == 1
}

/// The lines the thread shows: posts Slack took (an attempt refused while it was down is
/// not one).
pub(crate) fn thread_lines(app: &TestApp, ts: &str) -> Vec<String> {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["thread_ts"] == ts && c.body["_answered_ok"] == true)
        .map(|c| message_text(&c.body))
        .collect()
}

#[tokio::test]
async fn reacting_with_the_join_emoji_joins_and_says_so_in_the_thread_and_to_the_pitcher() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    assert!(is_member(&app, PITCHER), "the pitcher is the first member");
    app.slash("U0ALICE", "C0X", "council guildford bc").await;

    let a = app
        .event(&reaction("EvR1", "U0ALICE", "raised_hand", &ts, true))
        .await;
    assert_eq!(a.status, 200);
    joined(&app, "U0ALICE").await;

    let posts = app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    let line = posts
        .iter()
        .find(|p| p.body["thread_ts"] == ts.as_str())
        .unwrap();
    let text = message_text(&line.body);
    assert!(
        text.contains("<@U0ALICE> from Guildford Borough Council joined the team"),
        "{text}"
    );
    assert!(text.contains("2 people from 1 council"), "{text}");
    let dm = posts.iter().find(|p| p.body["channel"] == PITCHER).unwrap();
    let text = message_text(&dm.body);
    assert!(
        text.contains("joined your project *#1: Bin day finder*"),
        "{text}"
    );
    // No new top-level channel message: only the announcement.
    let top_level = posts
        .iter()
        .filter(|p| p.body["channel"] == CHANNEL && p.body.get("thread_ts").is_none())
        .count();
    assert_eq!(top_level, 1);
}

#[tokio::test]
async fn skin_tone_variants_join_too() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction(
        "EvS1",
        "U0BOB",
        "raised_hand::skin-tone-3",
        &ts,
        true,
    ))
    .await;
    joined(&app, "U0BOB").await;
}

#[tokio::test]
async fn other_emoji_other_messages_and_thread_replies_change_nothing() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let answers = [
        app.event(&reaction("EvO1", "U0BOB", "thumbsup", &ts, true))
            .await,
        app.event(&reaction(
            "EvO2",
            "U0BOB",
            "raised_hand",
            "1600000000.000001",
            true,
        ))
        .await,
        // A reply in the pitch's thread has its own ts.
        app.event(&reaction(
            "EvO3",
            "U0BOB",
            "raised_hand",
            "1700000999.000001",
            true,
        ))
        .await,
    ];
    assert!(answers.iter().all(|a| a.status == 200), "each taken");
    // A reaction from someone not yet asked about is first a pending join (a member once
    // Slack says they are a person): none was made.
    assert_eq!(pending_joins(&app), 0);
    assert_eq!(member_count(&app), 1, "only the pitcher");
    // The join emoji on the pitch itself, sent the same way, does start one.
    app.event(&reaction("EvO4", "U0BOB", "raised_hand", &ts, true))
        .await;
    assert_eq!(waiting_or_in(&app), 2, "Bob's join");
}

/// Joins waiting for Slack to say whether their reactor is a person.
pub(crate) fn pending_joins(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM pending_joins")
}

/// Joins waiting for Slack's word and members, counted in one read: the worker may settle a
/// join between two reads, which would count it twice.
fn waiting_or_in(app: &TestApp) -> i64 {
    app.count("SELECT (SELECT COUNT(*) FROM pending_joins) + (SELECT COUNT(*) FROM members)")
}

#[tokio::test]
async fn the_bots_own_reaction_changes_nothing() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let a = app
        .event(&reaction("EvB1", BOT_USER, "raised_hand", &ts, true))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(pending_joins(&app), 0);
    assert_eq!(member_count(&app), 1);
    // Someone else's, sent the same way, starts a join.
    app.event(&reaction("EvB1b", "U0BOB", "raised_hand", &ts, true))
        .await;
    assert_eq!(waiting_or_in(&app), 2, "Bob's join");
}

#[tokio::test]
async fn another_bots_reaction_is_undone_before_anyone_is_told() {
    let app = spawn_app().await;
    app.slack.add_bot("U0OTHERBOT");
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction("EvB2", "U0OTHERBOT", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    eventually("Slack's answer handled", SHORT, || {
        (pending_joins(&app) == 0).then_some(())
    })
    .await;
    assert!(!is_member(&app, "U0OTHERBOT"), "never a member");
    app.outbox_settled().await;
    assert!(
        thread_lines(&app, &ts).is_empty(),
        "nothing said about a bot"
    );
    // Next time it is known, so it never gets in at all.
    app.event(&reaction("EvB3", "U0OTHERBOT", "raised_hand", &ts, false))
        .await;
    app.event(&reaction("EvB4", "U0OTHERBOT", "raised_hand", &ts, true))
        .await;
    assert_eq!(pending_joins(&app), 0, "known as a bot: not even pending");
    assert!(!is_member(&app, "U0OTHERBOT"));
    assert_eq!(app.slack.calls("users.info").len(), 1, "asked once");
}

#[tokio::test]
async fn a_project_is_not_handed_to_an_app() {
    let app = spawn_app().await;
    app.slack.add_bot("U0OTHERBOT");
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction("EvH1", "U0OTHERBOT", "raised_hand", &ts, true))
        .await;
    eventually("Slack's answer handled", SHORT, || {
        (pending_joins(&app) == 0 && app.slack.calls("users.info").len() == 1).then_some(())
    })
    .await;
    let text = app
        .slash(PITCHER, CHANNEL, "handover 1 <@U0OTHERBOT>")
        .await
        .text();
    assert!(
        text.contains("<@U0OTHERBOT> is an app, not a person, and only people join a team, so it can't lead *#1: Parking*."),
        "{text}"
    );
    assert!(!text.contains("once they join"), "{text}");
}

#[tokio::test]
async fn reacting_twice_or_unreacting_a_stranger_is_harmless() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction("EvT1", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.event(&reaction(
        "EvT2",
        "U0BOB",
        "raised_hand::skin-tone-2",
        &ts,
        true,
    ))
    .await;
    joined(&app, "U0BOB").await;
    assert_eq!(member_count(&app), 2);
    app.event(&reaction("EvT3", "U0NEVER", "raised_hand", &ts, false))
        .await;
    assert_eq!(member_count(&app), 2);
    app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    app.outbox_settled().await;
    assert_eq!(thread_lines(&app, &ts).len(), 1, "one join, one line");
}

#[tokio::test]
async fn removing_the_reaction_leaves_the_team() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction("EvL1", "U0BOB", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0BOB").await;
    app.event(&reaction("EvL2", "U0BOB", "raised_hand", &ts, false))
        .await;
    assert!(!is_member(&app, "U0BOB"));
}

#[tokio::test]
async fn a_retried_delivery_changes_nothing_even_after_an_unreact() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let add = reaction("EvX1", "U0BOB", "raised_hand", &ts, true).to_string();
    let mut remove = reaction("EvX2", "U0BOB", "raised_hand", &ts, false);
    remove["event"]["event_ts"] = format!("{}.000200", now() + 1).into();
    app.post_signed("/slack/events", "application/json", &add)
        .await;
    app.event(&remove).await;
    assert!(!is_member(&app, "U0BOB"));
    for n in 1..=3 {
        let retry = [
            ("x-slack-retry-num", n.to_string()),
            ("x-slack-retry-reason", "http_timeout".to_string()),
        ];
        let a = app
            .post_signed_with("/slack/events", "application/json", &add, &retry)
            .await;
        assert_eq!(a.status, 200);
    }
    assert_eq!(
        pending_joins(&app),
        0,
        "the late retry did not start a join"
    );
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0BOB"), "the late retry did not re-join");
}

#[tokio::test]
async fn an_older_reaction_arriving_after_a_newer_leave_is_ignored() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    // Bob joined by command, then left by command; a reaction from before that arrives now
    // (first delivery lost, a new event id) must not bring him back.
    let joined = app.slash("U0BOB", "C1", "join 1").await;
    assert!(is_member(&app, "U0BOB"), "{}", joined.body);
    let left = app.slash("U0BOB", "C1", "leave 1").await;
    assert!(!is_member(&app, "U0BOB"), "{}", left.body);
    let mut late = reaction("EvLate", "U0BOB", "raised_hand", &ts, true);
    late["event"]["event_ts"] = format!("{}.000001", now() - 60).into();
    app.event(&late).await;
    assert_eq!(pending_joins(&app), 0, "no join started");
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0BOB"));
}

#[tokio::test]
async fn fifty_simultaneous_reactions_give_fifty_members() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Popular").await;
    let sends = (0..50).map(|i| {
        let e = reaction(
            &format!("EvMany{i}"),
            &format!("U0PERSON{i:02}"),
            "raised_hand",
            &ts,
            true,
        );
        let app = &app;
        async move { app.event(&e).await.status }
    });
    let statuses = futures::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    eventually("fifty members", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM members WHERE user_id LIKE 'U0PERSON%'");
        (n == 50).then_some(())
    })
    .await;
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(shown.contains("*Team:* 51 people"), "{shown}");
}

#[tokio::test]
async fn join_by_reaction_then_leave_by_command_and_the_reverse() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    app.event(&reaction("EvJ1", "U0BOB", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0BOB").await;
    let a = app.slash("U0BOB", "C1", "leave #1").await.text();
    assert!(a.contains("You've left the team for *#1: Parking*"), "{a}");
    assert!(!is_member(&app, "U0BOB"));

    let a = app.slash("U0BOB", "C1", "join 1").await.text();
    assert!(a.contains("You're in the team for *#1: Parking*"), "{a}");
    let mut remove = reaction("EvJ2", "U0BOB", "raised_hand", &ts, false);
    remove["event"]["event_ts"] = format!("{}.000900", now() + 1).into();
    app.event(&remove).await;
    assert!(!is_member(&app, "U0BOB"));
    let a = app.slash("U0BOB", "C1", "leave 1").await.text();
    assert!(
        a.contains("You're not in the team for *#1: Parking*"),
        "{a}"
    );
}

/// The lead reacting to their own announcement (as people do) and taking it off again does
/// not take them out of the team they lead: they were silently gone from it, and anyone in
/// the team could then hand the project to themselves.
#[tokio::test]
async fn the_lead_taking_a_reaction_off_stays_in_the_team_they_lead() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.event(&reaction("EvLead1", PITCHER, "raised_hand", &ts, true))
        .await;
    let mut off = reaction("EvLead2", PITCHER, "raised_hand", &ts, false);
    off["event"]["event_ts"] = format!("{}.000900", now() + 1).into();
    app.event(&off).await;
    app.outbox_settled().await;
    assert!(is_member(&app, PITCHER), "the lead is still in the team");
    assert_eq!(member_count(&app), 2);
    let taken = app
        .slash("U0BOB", "C1", "handover 1 <@U0BOB|bob>")
        .await
        .text();
    assert!(
        taken.contains("Only whoever leads project #1"),
        "Bob cannot take the project over: {taken}"
    );
    // Anyone else taking their reaction off still leaves, as before.
    app.event(&reaction("EvBob1", "U0BOB", "raised_hand", &ts, true))
        .await;
    let mut bob_off = reaction("EvBob2", "U0BOB", "raised_hand", &ts, false);
    bob_off["event"]["event_ts"] = format!("{}.000950", now() + 2).into();
    app.event(&bob_off).await;
    assert!(!is_member(&app, "U0BOB"));
}

#[tokio::test]
async fn joining_a_retired_project_is_refused_kindly() {
    let app = spawn_app().await;
    pitched(&app, "Old thing").await;
    rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .execute("UPDATE projects SET phase = 'retired'", [])
        .unwrap();
    let a = app.slash("U0BOB", "C1", "join 1").await.text();
    assert!(
        a.contains("#1 is retired, so it is not taking new members"),
        "{a}"
    );
    assert!(!is_member(&app, "U0BOB"));
    let a = app.slash("U0BOB", "C1", "join 9").await.text();
    assert!(a.contains("There is no project #9"), "{a}");
    // Nor told to join it first, to post on it.
    let a = app.slash("U0BOB", "C1", "update 1 Still here").await.text();
    assert!(
        a.contains("Only the team can post on or change project #1, and it is retired"),
        "{a}"
    );
    assert!(!a.contains("join"), "{a}");
}

/// When someone last joined or left a team orders Slack's deliveries, which come within
/// hours: a few days after they left it is forgotten. A member's is kept, however long ago
/// they joined: it says the thread said so, and a *Leave* pressed by mistake and a join again
/// is not announced a second time, nor the lead told again (it was, for a member of more
/// than three days).
#[tokio::test]
async fn when_memberships_changed_is_forgotten_a_few_days_after_leaving() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    app.slash("U0LEFT", CHANNEL, "join 1").await;
    app.slash("U0LEFT", CHANNEL, "leave 1").await;
    app.slash("U0STAYS", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let (db, slack, _) = app.stop().await;
    let old_us = (now() - 4 * 24 * 3600) * 1_000_000;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "UPDATE membership_changes SET changed_us = {old_us};
             INSERT INTO membership_changes (project_id, user_id, changed_us)
             VALUES (1, 'U0GONE', {old_us})"
        ))
        .unwrap();
    let app = spawn_app_on(&db, slack).await;
    eventually("old membership changes pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM membership_changes WHERE user_id IN ('U0LEFT', 'U0GONE')")
            == 0)
            .then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM membership_changes WHERE user_id = 'U0STAYS'"),
        1,
        "a member's stays"
    );
    assert_eq!(member_count(&app), 2, "the team itself is untouched");

    let said = |app: &TestApp| {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| message_text(&c.body).contains("<@U0STAYS>"))
            .count()
    };
    let before = said(&app);
    assert_eq!(before, 2, "his join's line, and the lead told");
    app.slash("U0STAYS", CHANNEL, "leave 1").await;
    let a = app.slash("U0STAYS", CHANNEL, "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    app.outbox_settled().await;
    app.marker_posted().await;
    assert_eq!(said(&app), before, "nothing said again");
}

#[tokio::test]
async fn old_event_ids_are_pruned_after_a_few_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let (db, _, _) = app.stop().await;
    let old = now() - 4 * 24 * 3600;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "INSERT INTO processed_events VALUES ('EvOld', 'T1', {old}), ('EvNew', 'T1', {})",
            now()
        ))
        .unwrap();
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    eventually("the old event id pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM processed_events WHERE event_id = 'EvOld'") == 0)
            .then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM processed_events WHERE event_id = 'EvNew'"),
        1
    );
}

#[tokio::test]
async fn a_join_stands_when_slack_will_not_say_who_is_a_bot() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    // An install made before users:read was in the manifest.
    app.slack
        .always("users.info", Script::Error("missing_scope"));
    app.event(&reaction("EvM1", "U0BOB", "raised_hand", &ts, true))
        .await;
    let lines = thread_lines_eventually(&app, &ts).await;
    assert!(lines[0].contains("<@U0BOB> joined the team"), "{lines:?}");
    assert!(is_member(&app, "U0BOB"));
}

async fn thread_lines_eventually(app: &TestApp, ts: &str) -> Vec<String> {
    eventually(&format!("a post in the thread of {ts}"), SHORT, || {
        Some(thread_lines(app, ts)).filter(|lines| !lines.is_empty())
    })
    .await
}

/// `MAKERS_JOIN_EMOJI` is the word everywhere joining is explained, not only on the
/// announcement: help, the "only the team can post" answer, the join line and the digest.
#[tokio::test]
async fn the_configured_join_emoji_is_named_wherever_joining_is_explained() {
    let app = spawn_app_setting("MAKERS_JOIN_EMOJI", "wave").await;
    let ts = pitched(&app, "Bin day finder").await;
    let said = |text: &str| {
        assert!(
            text.contains(":wave:") && !text.contains(":raised_hand:"),
            "{text}"
        )
    };
    said(&message_text(&app.slack.calls("chat.postMessage")[0].body));
    said(&app.slash("U0OTHER", CHANNEL, "help").await.text());
    said(&app.slash("U0OTHER", CHANNEL, "update 1 news").await.text());
    app.event(&reaction("Ev0WAVE", "U0JOINER", "wave", &ts, true))
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    said(&message_text(&posts[1].body));
    app.slash("U0OTHER", CHANNEL, "digest").await;
    said(&app.slash("U0OTHER", CHANNEL, "digest preview").await.text());
}

/// Taking the join emoji back before the join's line is posted takes the line back too, as a
/// leave by command or button does: the thread never says they joined. So a join again is
/// news: its line is posted.
#[tokio::test]
async fn a_reaction_taken_back_before_its_line_is_posted_takes_the_line_back() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let alice = |app: &TestApp| {
        thread_lines(app, &ts)
            .iter()
            .filter(|l| l.contains("<@U0ALICE>"))
            .count()
    };
    // Slack down for posts (not for `users.info`): the join's line is owed when the
    // reaction is taken back.
    app.slack.always("chat.postMessage", Script::Status(503));
    app.event(&reaction("EvR1", "U0ALICE", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0ALICE").await;
    app.event(&reaction("EvR2", "U0ALICE", "raised_hand", &ts, false))
        .await;
    assert!(!is_member(&app, "U0ALICE"));
    // Still down: an attempt at the line read before it was taken back (the bot runs on
    // this test's thread) has been refused by the time the marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.marker_posted().await;
    app.outbox_settled().await;
    assert_eq!(alice(&app), 0, "{:?}", thread_lines(&app, &ts));

    app.event(&reaction("EvR3", "U0ALICE", "raised_hand", &ts, true))
        .await;
    eventually("the join's line, this time", SHORT, || {
        (alice(&app) == 1).then_some(())
    })
    .await;
}

/// A reaction taken off and put back (a slip, or a change of mind) is not news: the thread
/// said they joined and never that they left, so it is not said again, nor the lead told
/// twice. Taken off the team by the lead, or back after the three days the membership's
/// clock is kept, a join is said again.
#[tokio::test]
async fn a_reaction_taken_off_and_put_back_is_not_announced_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let ts = pitched(&app, "Bin day finder").await;
    let lines = |app: &TestApp| {
        thread_lines(app, &ts)
            .iter()
            .filter(|l| l.contains("<@U0ALICE>") && l.contains("joined the team"))
            .count()
    };
    let lead_told = |app: &TestApp| {
        dms_to(app, PITCHER)
            .iter()
            .filter(|t| t.contains("<@U0ALICE>") && t.contains("joined your project"))
            .count()
    };
    app.event(&reaction("EvR1", "U0ALICE", "raised_hand", &ts, true))
        .await;
    eventually("the join's line and the lead told", SHORT, || {
        (lines(&app) == 1 && lead_told(&app) == 1).then_some(())
    })
    .await;

    app.event(&reaction("EvR2", "U0ALICE", "raised_hand", &ts, false))
        .await;
    assert!(!is_member(&app, "U0ALICE"));
    app.event(&reaction("EvR3", "U0ALICE", "raised_hand", &ts, true))
        .await;
    assert!(is_member(&app, "U0ALICE"), "back in the team");
    app.marker_posted().await;
    app.outbox_settled().await;
    assert_eq!((lines(&app), lead_told(&app)), (1, 1), "said once");
    let show = app.slash("U0BOB", CHANNEL, "show 1").await.text();
    assert!(show.contains("U0ALICE"), "{show}");

    // Taken off by the lead, who then hears that she joined again.
    app.slash(PITCHER, CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await;
    // (By command: the fixture's reaction is stamped at the start of this second, before
    // the removal.)
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    eventually("the join after a removal said", SHORT, || {
        (lines(&app) == 2 && lead_told(&app) == 2).then_some(())
    })
    .await;

    // Out again, quietly, and back after the membership's clock is forgotten (three days).
    app.slash("U0ALICE", CHANNEL, "leave 1").await;
    assert!(!is_member(&app, "U0ALICE"));
    let (db, slack, _) = app.stop().await;
    let old_us = (now() - 4 * 24 * 3600) * 1_000_000;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE membership_changes SET changed_us = ?1 WHERE user_id = 'U0ALICE'",
            [old_us],
        )
        .unwrap();
    let app = spawn_app_on(&db, slack).await;
    eventually("old membership changes pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM membership_changes WHERE user_id = 'U0ALICE'") == 0)
            .then_some(())
    })
    .await;
    app.event(&reaction("EvR6", "U0ALICE", "raised_hand", &ts, true))
        .await;
    eventually("a join after days said again", SHORT, || {
        (lines(&app) == 3).then_some(())
    })
    .await;
}

/// A lead who leaves is said to in the thread: joining again after someone else took the
/// lead, they are a new member, announced as any, and the new lead is told.
#[tokio::test]
async fn a_lead_who_left_and_joins_again_under_a_new_lead_is_announced() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    app.slash("U0BOB", CHANNEL, "handover 1 <@U0BOB|bob>").await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    eventually(
        "the old lead's join said, and the new lead told",
        SHORT,
        || {
            let said = thread_lines(&app, &ts)
                .iter()
                .any(|l| l.contains("<@U0PITCHER>") && l.contains("joined the team"));
            let told = dms_to(&app, "U0BOB")
                .iter()
                .any(|t| t.contains("<@U0PITCHER>") && t.contains("joined your project"));
            (said && told).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_pitcher_takes_someone_off_the_team_and_they_are_told_how_to_join_again() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    assert!(is_member(&app, "U0ALICE") && is_member(&app, "U0BOB"));

    // Someone else on the team may not; nothing changes.
    let refused = app
        .slash("U0BOB", CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await;
    assert!(
        refused.text().contains("Only whoever leads project #1"),
        "{}",
        refused.text()
    );
    assert!(is_member(&app, "U0ALICE"));

    // The pitcher may, naming the person as Slack sends a mention.
    let removed = app
        .slash(PITCHER, CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await;
    let said = removed.text();
    assert_eq!(removed.json()["response_type"], "ephemeral", "{said}");
    assert!(
        said.contains("<@U0ALICE> is no longer in the team for *#1: Bin day finder*"),
        "{said}"
    );
    assert!(!is_member(&app, "U0ALICE") && is_member(&app, "U0BOB"));
    let show = app.slash("U0BOB", CHANNEL, "show 1").await.text();
    assert!(!show.contains("U0ALICE"), "{show}");
    let told = eventually("alice told in her DM", SHORT, || {
        dms_to(&app, "U0ALICE")
            .into_iter()
            .find(|t| t.contains("took you off the team"))
    })
    .await;
    assert!(
        told.contains("<@U0PITCHER> took you off the team for *#1: Bin day finder*")
            && told.contains("`/makers join 1` puts you back"),
        "{told}"
    );

    // Someone not in the team: nobody to take off, nobody told.
    let again = app
        .slash(PITCHER, CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await
        .text();
    assert!(
        again.contains("<@U0ALICE> isn't in the team for *#1: Bin day finder*"),
        "{again}"
    );
    // A leave is quiet in the channel: no line in the pitch's thread says who was removed
    // (looked for once everything queued is out: lines to one channel are paced).
    app.outbox_settled().await;
    assert!(
        thread_lines(&app, &ts)
            .iter()
            .all(|l| !l.contains("no longer") && !l.contains("took")),
        "{:?}",
        thread_lines(&app, &ts)
    );

    // Anyone may take themselves off: a leave.
    let own = app
        .slash("U0BOB", CHANNEL, "remove 1 <@U0BOB>")
        .await
        .text();
    assert!(own.contains("You've left the team"), "{own}");
    assert!(!is_member(&app, "U0BOB"));
    // From a retired project, which takes nobody back, without the way back.
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.slash(PITCHER, CHANNEL, "remove 1 <@U0CAROL|carol>")
        .await;
    let told = eventually("carol told in her DM", SHORT, || {
        dms_to(&app, "U0CAROL")
            .into_iter()
            .find(|t| t.contains("took you off the team"))
    })
    .await;
    assert!(!told.contains("/makers join"), "{told}");
    // A person named other than by a mention gets told how.
    let unnamed = app.slash(PITCHER, CHANNEL, "remove 1 alice").await.text();
    assert!(unnamed.contains("as an @-mention"), "{unnamed}");
    assert_eq!(
        dms_to(&app, "U0ALICE")
            .iter()
            .filter(|t| t.contains("took you off"))
            .count(),
        1,
        "told once"
    );
}

/// A project whose pitcher asked to be forgotten has no pitcher: anyone still in its team may
/// take someone off; someone outside it still may not.
#[tokio::test]
async fn once_the_pitcher_is_forgotten_the_team_takes_people_off_itself() {
    let app = spawn_app().await;
    pitched(&app, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let forgot = app.slash(PITCHER, CHANNEL, "forget me").await;
    assert_eq!(forgot.status, 200);
    assert!(!is_member(&app, PITCHER));

    let outsider = app
        .slash("U0CAROL", CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await
        .text();
    assert!(
        outsider.contains("Only whoever leads project #1"),
        "{outsider}"
    );
    assert!(is_member(&app, "U0ALICE"));

    let removed = app
        .slash("U0BOB", CHANNEL, "remove 1 <@U0ALICE|alice>")
        .await
        .text();
    assert!(
        removed.contains("<@U0ALICE> is no longer in the team for *#1: Bin day finder*"),
        "{removed}"
    );
    assert!(!is_member(&app, "U0ALICE") && is_member(&app, "U0BOB"));
    let told = eventually("alice told in her DM", SHORT, || {
        dms_to(&app, "U0ALICE")
            .into_iter()
            .find(|t| t.contains("took you off the team"))
    })
    .await;
    assert!(told.contains("<@U0BOB> took you off the team"), "{told}");
}

/// The lead hands a project to someone in its team: the thread hears of it, `show` says who
/// pitched it and who leads it, and from then on joins are told to the new lead, who alone
/// manages the team. Handed back, it reads as before.
#[tokio::test]
async fn the_lead_hands_a_project_over_and_the_new_lead_manages_its_team() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let lead_of = |app: &TestApp| {
        let db = app.db();
        db.query_row(
            "SELECT pitcher || '/' || COALESCE(pitched_by, '-') FROM projects WHERE number = 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    };

    // Nobody else in the team may; nobody outside it may lead; the lead leads already.
    let said = |user: &'static str, text: &'static str| {
        let app = &app;
        async move { app.slash(user, CHANNEL, text).await.text() }
    };
    let refused = said("U0BOB", "handover 1 <@U0BOB|bob>").await;
    assert!(
        refused
            .contains("Only whoever leads project #1 (`/makers show 1` says who) can hand it over"),
        "{refused}"
    );
    let outsider = said(PITCHER, "handover 1 <@U0CAROL|carol>").await;
    assert!(
        outsider.contains(
            "<@U0CAROL> isn't in the team for *#1: Bin day finder*, so can't lead it yet"
        ),
        "{outsider}"
    );
    let same = said(PITCHER, "handover 1 <@U0PITCHER>").await;
    assert!(
        same.contains("leads *#1: Bin day finder* already"),
        "{same}"
    );
    let unnamed = said(PITCHER, "handover 1 alice").await;
    assert!(unnamed.contains("as an @-mention"), "{unnamed}");
    assert_eq!(lead_of(&app), "U0PITCHER/-");

    // Handed over, privately answered, said in the thread.
    let handed = app
        .slash(PITCHER, CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await;
    assert_eq!(handed.json()["response_type"], "ephemeral");
    assert!(
        handed.text().contains(
            "<@U0ALICE> leads *#1: Bin day finder* now. I've told them. I've said so in the pitch's thread."
        ),
        "{}",
        handed.text()
    );
    assert_eq!(lead_of(&app), "U0ALICE/U0PITCHER");
    let line = eventually("the handover in the thread", SHORT, || {
        thread_lines(&app, &ts)
            .into_iter()
            .find(|l| l.contains("now leads"))
    })
    .await;
    assert!(
        line.contains("<@U0ALICE> now leads *#1: Bin day finder*, handed over by <@U0PITCHER>"),
        "{line}"
    );
    let dm = eventually("alice told what leading means", SHORT, || {
        dms_to(&app, "U0ALICE")
            .into_iter()
            .find(|t| t.contains("over to you"))
    })
    .await;
    assert!(
        dm.contains("<@U0PITCHER> handed *#1: Bin day finder* over to you: you lead it now.")
            && dm.contains("`/makers handover 1 @person`"),
        "{dm}"
    );
    let show = said("U0BOB", "show 1").await;
    assert!(show.contains("*Pitched by:* <@U0PITCHER>"), "{show}");
    assert!(show.contains("*Led by:* <@U0ALICE>"), "{show}");

    // A join is told to the new lead, not the old one.
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    eventually("alice told of carol's join", SHORT, || {
        dms_to(&app, "U0ALICE")
            .into_iter()
            .find(|t| t.contains("<@U0CAROL> joined your project"))
    })
    .await;
    app.outbox_settled().await;
    assert!(
        !dms_to(&app, PITCHER)
            .iter()
            .any(|t| t.contains("<@U0CAROL> joined")),
        "{:?}",
        dms_to(&app, PITCHER)
    );
    // The new lead manages the team; the old one no longer does.
    let old = said(PITCHER, "remove 1 <@U0BOB|bob>").await;
    assert!(old.contains("Only whoever leads project #1"), "{old}");
    assert!(is_member(&app, "U0BOB"));
    let new = said("U0ALICE", "remove 1 <@U0BOB|bob>").await;
    assert!(new.contains("<@U0BOB> is no longer in the team"), "{new}");

    // Handed back to whoever pitched it: it reads as if never handed over.
    let back = said("U0ALICE", "handover 1 <@U0PITCHER>").await;
    assert!(
        back.contains("<@U0PITCHER> leads *#1: Bin day finder* now"),
        "{back}"
    );
    assert_eq!(lead_of(&app), "U0PITCHER/-");
    let show = said("U0CAROL", "show 1").await;
    assert!(
        show.contains("*Pitched by:* <@U0PITCHER>") && !show.contains("Led by"),
        "{show}"
    );
    // A retired project takes nobody new, so cannot be handed to someone outside its team.
    said(PITCHER, "phase 1 retired").await;
    let retired = said(PITCHER, "handover 1 <@U0DAVE|dave>").await;
    assert!(
        retired.contains("a retired project takes nobody new") && !retired.contains("join"),
        "{retired}"
    );
}

/// `show` names no lead who has left the team of an open project (they would be asked, and
/// cannot act for it): it says nobody leads it and how to take the lead, also when it was
/// never handed over. Someone outside the team, refused a lead's command, is told to join
/// first, not sent to `show` for a lead it does not name.
#[tokio::test]
async fn show_does_not_name_a_lead_who_has_left_the_team() {
    let app = spawn_app().await;
    pitched(&app, "Bin day finder").await;
    pitched(&app, "Parking permits").await;
    for n in [1, 2] {
        app.slash("U0ALICE", CHANNEL, &format!("join {n}")).await;
        app.slash("U0BOB", CHANNEL, &format!("join {n}")).await;
    }
    app.slash(PITCHER, CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await;
    app.slash("U0ALICE", CHANNEL, "leave 1").await;
    app.slash(PITCHER, CHANNEL, "leave 2").await;

    let show = app.slash("U0BOB", CHANNEL, "show 1").await.text();
    assert!(!show.contains("*Led by:* <@U0ALICE>"), "{show}");
    assert!(
        show.contains("*Led by:* nobody now: <@U0ALICE> has left the team.")
            && show.contains("`/makers handover 1 @person`")
            && show.contains("`/makers join 1`"),
        "{show}"
    );
    let never_handed = app.slash("U0BOB", CHANNEL, "show 2").await.text();
    assert!(
        never_handed.contains("*Pitched by:* <@U0PITCHER>")
            && never_handed.contains("*Led by:* nobody now: <@U0PITCHER> has left the team.")
            && never_handed.contains("`/makers handover 2 @person`"),
        "{never_handed}"
    );

    for text in [
        "handover 1 <@U0CAROL|carol>",
        "remove 1 <@U0BOB|bob>",
        "lead-council 1 Waverley",
    ] {
        let refused = app.slash("U0CAROL", CHANNEL, text).await.text();
        assert!(
            refused.contains("its lead has left its team. Join it (`/makers join 1`)")
                && !refused.contains("says who"),
            "{text}: {refused}"
        );
    }
    let bob_in_1 = "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
                    WHERE p.number = 1 AND m.user_id = 'U0BOB'";
    assert_eq!(app.count(bob_in_1), 1, "not taken off by someone outside");
    // Still led: `show` names the lead, and a refusal sends people there.
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0ALICE", CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await;
    let show = app.slash("U0BOB", CHANNEL, "show 1").await.text();
    assert!(
        show.contains("*Led by:* <@U0ALICE>") && !show.contains("nobody now"),
        "{show}"
    );
    let refused = app
        .slash("U0CAROL", CHANNEL, "handover 1 <@U0CAROL|carol>")
        .await
        .text();
    assert!(refused.contains("(`/makers show 1` says who)"), "{refused}");
}

/// Once the lead has left the team, anyone still in it may hand the project over (themselves
/// included; the lead who left still may too) and take someone off; someone outside it still
/// may not. Forgetting whoever pitched it takes them out of `show`.
#[tokio::test]
async fn once_the_lead_has_left_the_team_hands_the_project_over_itself() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash("U0DAN", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    assert!(!is_member(&app, PITCHER));
    // The team manages itself: anyone in it may take someone off, as hand it over.
    let removed = app
        .slash("U0ALICE", CHANNEL, "remove 1 <@U0DAN|dan>")
        .await
        .text();
    assert!(
        removed.contains("<@U0DAN> is no longer in the team"),
        "{removed}"
    );

    let outsider = app
        .slash("U0CAROL", CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await
        .text();
    assert!(
        outsider.contains("Only whoever leads project #1"),
        "{outsider}"
    );
    // Bob takes it on himself: the thread is told, nobody is sent a message.
    let took = app
        .slash("U0BOB", CHANNEL, "handover 1 <@U0BOB|bob>")
        .await
        .text();
    assert!(
        took.contains("<@U0BOB> leads *#1: Bin day finder* now. I've said so"),
        "{took}"
    );
    let line = eventually("the thread told", SHORT, || {
        thread_lines(&app, &ts)
            .into_iter()
            .find(|l| l.contains("taken on the lead"))
    })
    .await;
    assert!(
        line.contains(
            "<@U0BOB> has taken on the lead of *#1: Bin day finder*, as its lead had left the team."
        ),
        "{line}"
    );
    // ... and, leading it now, hands it to Alice.
    let handed = app
        .slash("U0BOB", CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await
        .text();
    app.outbox_settled().await;
    assert!(
        !dms_to(&app, "U0BOB")
            .iter()
            .any(|t| t.contains("over to you")),
        "{:?}",
        dms_to(&app, "U0BOB")
    );
    assert!(
        handed.contains("<@U0ALICE> leads *#1: Bin day finder* now"),
        "{handed}"
    );

    // Whoever pitched it asks to be forgotten: named nowhere, the new lead kept.
    app.slash(PITCHER, CHANNEL, "forget me").await;
    let show = app.slash("U0BOB", CHANNEL, "show 1").await.text();
    assert!(!show.contains(PITCHER), "{show}");
    assert!(
        show.contains("*Pitched by:* someone who has since left"),
        "{show}"
    );
    assert!(show.contains("*Led by:* <@U0ALICE>"), "{show}");
}

/// A join made while the announcement waits (Slack down) is told to whoever leads the
/// project when its line goes out, not to whoever led it when the join was made.
#[tokio::test]
async fn a_join_waiting_for_its_announcement_is_told_to_whoever_leads_when_it_goes_out() {
    let app = spawn_app().await;
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let handed = app
        .slash(PITCHER, CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await
        .text();
    assert!(
        handed.contains("Its announcement isn't posted yet"),
        "{handed}"
    );
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 5);
    eventually("bob's join told to alice", SHORT, || {
        dms_to(&app, "U0ALICE")
            .into_iter()
            .find(|t| t.contains("<@U0BOB> joined your project"))
    })
    .await;
    app.outbox_settled().await;
    assert!(
        !dms_to(&app, PITCHER)
            .iter()
            .any(|t| t.contains("joined your project")),
        "{:?}",
        dms_to(&app, PITCHER)
    );
}

/// The digest's give and take skips whoever pitched a project, not whoever leads it: after
/// a handover, the new lead's join is their council's, and the pitcher's own membership is
/// no join.
#[tokio::test]
async fn after_a_handover_the_digest_counts_the_new_leads_join_for_their_council() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash("U0ALICE", CHANNEL, "council Waverley Borough Council")
        .await;
    pitched(&app, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await;
    let preview = message_text(&app.slash("U1", CHANNEL, "digest preview").await.json());
    assert!(
        preview.contains("*Guildford Borough Council* took the lead on 1 new project ·")
            || preview.contains("*Guildford Borough Council* took the lead on 1 new project\n"),
        "{preview}"
    );
    assert!(
        preview.contains("*Waverley Borough Council* joined a team"),
        "{preview}"
    );
}

/// A handover's line still to be posted (Slack down) is about the new lead: if they ask to
/// be forgotten, it goes with their other posts rather than naming "someone who has since
/// left".
#[tokio::test]
async fn a_queued_handover_line_goes_when_the_new_lead_is_forgotten() {
    let app = spawn_app().await;
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "handover 1 <@U0ALICE|alice>")
        .await;
    let lines = || {
        app.count(
            "SELECT COUNT(*) FROM outbox
             WHERE json_extract(notice, '$.notice.kind') = 'handed_over' AND delivered_at IS NULL",
        )
    };
    assert_eq!(lines(), 1);
    app.slash("U0ALICE", CHANNEL, "forget me").await;
    assert_eq!(lines(), 0);
}

/// Whoever manages the team sets the council that leads the project: its catalogue page and
/// `show` say so, and the thread is told; the same council again changes nothing, and
/// anyone else is refused.
#[tokio::test]
async fn the_lead_sets_the_lead_council_the_catalogue_shows() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford Borough Council")
        .await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash("U0ALICE", CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash("U0ALICE", CHANNEL, "join 1").await;
    let page = || async { app.request("GET", "/catalogue.json", &[], "").await.json() };
    assert_eq!(
        page().await["projects"][0]["leadCouncil"],
        "Guildford Borough Council"
    );

    let refused = app
        .slash(
            "U0ALICE",
            CHANNEL,
            "lead-council 1 Waverley Borough Council",
        )
        .await
        .text();
    assert!(
        refused.contains(
            "Only whoever leads project #1 (`/makers show 1` says who) can change its lead council"
        ),
        "{refused}"
    );
    // Only a council already recorded: a slip is not made a council every workspace sees.
    let councils = app.count("SELECT COUNT(*) FROM councils");
    let slip = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Waverly Borough Council")
        .await
        .text();
    assert!(
        slip.contains("No council is recorded as *Waverly Borough Council*")
            && slip.contains(
                "Did you mean *Waverley Borough Council*? If so, `/makers lead-council 1 Waverley Borough Council`."
            ),
        "{slip}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), councils);
    // Offered, not taken: the same slip again is answered the same.
    let again = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Waverly Borough Council")
        .await
        .text();
    assert_eq!(again, slip);
    // Nothing near: only the way to find the names.
    let far = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Nowhere Town")
        .await
        .text();
    assert!(
        far.contains("No council is recorded as *Nowhere Town*")
            && far.contains("`/makers councils` lists them")
            && !far.contains("Did you mean"),
        "{far}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), councils);
    // A council that re-uses the project cannot also lead it.
    let reuses = app.slash("U0ALICE", CHANNEL, "reuse 1").await.said();
    assert!(reuses.starts_with("Recorded:"), "{reuses}");
    let both = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Waverley Borough Council")
        .await
        .text();
    assert!(
        both.contains(
            "*Waverley Borough Council* re-uses *#1: Bin day finder*, so it can't also lead it"
        ),
        "{both}"
    );
    app.slash("U0ALICE", CHANNEL, "unreuse 1").await;
    let set = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Waverley Borough Council")
        .await;
    assert_eq!(set.json()["response_type"], "ephemeral");
    assert!(
        set.text().contains(
            "*Waverley Borough Council* leads *#1: Bin day finder* now, as its catalogue page shows. I've said so in the pitch's thread."
        ),
        "{}",
        set.text()
    );
    let line = eventually("the thread told", SHORT, || {
        thread_lines(&app, &ts)
            .into_iter()
            .find(|l| l.contains("lead council"))
    })
    .await;
    assert!(
        line.contains("<@U0PITCHER> set the lead council of *#1: Bin day finder* to *Waverley Borough Council*."),
        "{line}"
    );
    let show = app.slash("U0ALICE", CHANNEL, "show 1").await.text();
    assert!(
        show.contains("*Lead council:* Waverley Borough Council"),
        "{show}"
    );
    let again = app
        .slash(PITCHER, CHANNEL, "lead-council 1 waverley BC")
        .await
        .text();
    assert!(
        again.contains("*Waverley Borough Council* leads *#1: Bin day finder* already"),
        "{again}"
    );
    assert_eq!(
        page().await["projects"][0]["leadCouncil"],
        "Waverley Borough Council"
    );
}

/// A retired project's team is its history: a reaction taken off its announcement takes
/// nobody out of it, and one added joins nobody (nor asks Slack who reacted).
#[tokio::test]
async fn a_reaction_on_a_retired_pitch_changes_no_team() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired | replaced")
        .await;
    let emoji = "raised_hand";
    app.event(&reaction("EvRet1", "U0BOB", emoji, &ts, false))
        .await;
    app.event(&reaction("EvRet2", "U0CAROL", emoji, &ts, true))
        .await;
    app.outbox_settled().await;
    assert!(is_member(&app, "U0BOB"), "still in the team's history");
    assert!(!is_member(&app, "U0CAROL"));
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert!(app.slack.calls("users.info").is_empty());
}

/// Whoever pitched it, having handed the lead on, stays in the team when they take their
/// reaction off: the pitch made them a member, not the reaction. Someone already in the team
/// who reacts changes nothing, and Slack is not asked who they are.
#[tokio::test]
async fn a_reaction_by_the_pitcher_or_a_member_changes_nothing() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let a = app.slash(PITCHER, CHANNEL, "handover 1 <@U0BOB|bob>").await;
    assert!(a.text().contains("U0BOB"), "{}", a.text());
    let emoji = "raised_hand";
    app.event(&reaction("EvPit1", PITCHER, emoji, &ts, false))
        .await;
    app.event(&reaction("EvBob1", "U0BOB", emoji, &ts, true))
        .await;
    app.outbox_settled().await;
    assert!(is_member(&app, PITCHER), "the pitcher is still in the team");
    assert!(is_member(&app, "U0BOB"));
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert!(app.slack.calls("users.info").is_empty());
}

/// Bob, in the team by reaction, took it off and put it back; the removal's first delivery
/// was lost and Slack's retry arrives after the add. The add changed nothing (he was in),
/// but its time still counts: the older removal does not take him out.
#[tokio::test]
async fn a_removal_arriving_after_a_newer_add_by_a_member_is_ignored() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let at = |secs_ago: i64| format!("{}.000001", now() - secs_ago);
    let mut joined_by_reaction = reaction("EvJoin", "U0BOB", "raised_hand", &ts, true);
    joined_by_reaction["event"]["event_ts"] = at(30).into();
    app.event(&joined_by_reaction).await;
    joined(&app, "U0BOB").await;
    let mut added_again = reaction("EvAgain", "U0BOB", "raised_hand", &ts, true);
    added_again["event"]["event_ts"] = at(10).into();
    app.event(&added_again).await;
    let mut late_removal = reaction("EvOff", "U0BOB", "raised_hand", &ts, false);
    late_removal["event"]["event_ts"] = at(20).into();
    app.event(&late_removal).await;
    app.outbox_settled().await;
    assert!(is_member(&app, "U0BOB"), "his reaction is on: he is in");
}

/// Whoever pitched it, having handed the lead on, left and joined again by reacting: taking
/// that reaction off takes them out, as it would anyone.
#[tokio::test]
async fn a_pitcher_who_rejoined_by_reacting_leaves_by_taking_it_off() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.clock.advance_days(1);
    app.slash(PITCHER, CHANNEL, "handover 1 <@U0BOB|bob>").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    assert!(!is_member(&app, PITCHER));
    // Reactions a second or two after the leave, by the bot's clock (moved on a day).
    let later = |secs: i64| format!("{}.000001", app.clock.now().timestamp() + secs);
    let mut back = reaction("EvBack", PITCHER, "raised_hand", &ts, true);
    back["event"]["event_ts"] = later(1).into();
    app.event(&back).await;
    joined(&app, PITCHER).await;
    let mut goes = reaction("EvGoes", PITCHER, "raised_hand", &ts, false);
    goes["event"]["event_ts"] = later(2).into();
    app.event(&goes).await;
    app.outbox_settled().await;
    assert!(!is_member(&app, PITCHER));
}
