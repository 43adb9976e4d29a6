//! A person whose Slack account is deactivated (`user_change` with `deleted`): out of the
//! workspace's teams, quietly; a team whose lead it was is told it may choose another,
//! where before nobody could (`handover` was the departed lead's alone).

use serde_json::Value;

use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, is_member, pitched, thread_lines};

/// Slack's `user_change` sample for `user` in our workspace, deactivated or not.
pub(crate) fn user_change(event_id: &str, user: &str, deleted: bool) -> Value {
    let mut env = our_event("user-change-deactivated.event_callback.json", event_id);
    env["event_time"] = now().into();
    let u = &mut env["event"]["user"];
    u["id"] = user.into();
    u["team_id"] = TEAM.into();
    u["deleted"] = deleted.into();
    env
}

/// `user` hands project #1 to themselves (as anyone in a team whose lead has left may): the
/// answer.
async fn take_the_lead(app: &TestApp, user: &str) -> String {
    app.slash(user, CHANNEL, &format!("handover 1 <@{user}>"))
        .await
        .text()
}

fn in_team(app: &TestApp, number: u32, user: &str) -> bool {
    app.count(&format!(
        "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
          WHERE p.number = {number} AND m.user_id = '{user}'"
    )) == 1
}

#[tokio::test]
async fn a_lead_who_leaves_slack_leaves_the_teams_and_their_team_may_choose_another() {
    let app = spawn_app().await;
    let led = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let bobs = pitch_and_wait(&app, "U0BOB", CHANNEL, "Bob's bins").await;
    app.slash(PITCHER, CHANNEL, "join 2").await;
    pitched(&app, "Old thing").await;
    app.slash(PITCHER, CHANNEL, "phase 3 retired").await;
    app.outbox_settled().await;
    let before = thread_lines(&app, &led).len();

    // A profile change (a status) changes nothing.
    let a = app.event(&user_change("EvUc1", PITCHER, false)).await;
    assert_eq!(a.status, 200);
    assert!(in_team(&app, 1, PITCHER) && in_team(&app, 2, PITCHER));

    let a = app.event(&user_change("EvUc2", PITCHER, true)).await;
    assert_eq!(a.status, 200);
    assert!(!in_team(&app, 1, PITCHER), "out of the team they led");
    assert!(!in_team(&app, 2, PITCHER), "and of the team they were in");
    assert!(
        in_team(&app, 3, PITCHER),
        "a retired project's team is its history"
    );
    assert!(in_team(&app, 1, "U0BOB"));
    app.outbox_settled().await;
    let lines = thread_lines(&app, &led);
    assert_eq!(lines.len(), before + 1, "{lines:?}");
    let told = lines.last().unwrap();
    assert!(
        told.contains(
            "<@U0PITCHER> has left Slack, so is no longer in the team of *#1: Parking permits*."
        ) && told
            .contains("Anyone in the team can take the lead now: `@makers handover 1 @person`"),
        "{told}"
    );
    assert!(
        thread_lines(&app, &bobs)
            .iter()
            .all(|l| !l.contains("left Slack")),
        "a member's leaving is quiet, as a leave is"
    );

    // Redelivered: nothing more.
    app.event(&user_change("EvUc2", PITCHER, true)).await;
    app.outbox_settled().await;
    assert_eq!(thread_lines(&app, &led).len(), before + 1);

    // Bob takes the lead: before, only the departed lead could hand it over.
    let took = take_the_lead(&app, "U0BOB").await;
    assert!(!took.contains("Only whoever leads"), "{took}");
    let lead: String = app
        .db()
        .query_row("SELECT pitcher FROM projects WHERE number = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(lead, "U0BOB");
}

#[tokio::test]
async fn a_lead_alone_in_their_team_leaves_it_open_to_whoever_joins() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.event(&user_change("EvUc3", PITCHER, true)).await;
    app.outbox_settled().await;
    assert!(!is_member(&app, PITCHER));
    let told = thread_lines(&app, &ts).pop().unwrap_or_default();
    assert!(
        told.contains(
            "Nobody else is in its team: whoever joins (`@makers join 1`) can then take the lead with `@makers handover 1 @person`, naming themselves."
        ),
        "{told}"
    );
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    let took = take_the_lead(&app, "U0CAROL").await;
    assert!(!took.contains("Only whoever leads"), "{took}");
}

/// A Slack user id is one person in every workspace: a deactivation delivered for one
/// takes them out of another's teams too (a guest in a shared channel joins the pitching
/// workspace's projects). Their join by reaction still waiting on Slack goes, as a leave,
/// so a reaction delivered late, from before, does not bring them back.
#[tokio::test]
async fn a_deactivation_reaches_every_workspace_and_the_joins_still_waiting() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash_in("T0OTHER", "U0OLA", "C0THEIRS", "pitch Their bins")
        .await;
    app.slash_in("T0OTHER", "U0DAN", "C0THEIRS", "join 1").await;
    app.slack
        .always("users.info", fake_slack::Script::Status(503));
    app.event(&crate::teams::reaction(
        "EvUcR1",
        "U0DAN",
        "raised_hand",
        &ts,
        true,
    ))
    .await;
    let pending = || app.count("SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0DAN'");
    assert_eq!(pending(), 1);
    assert!(is_member(&app, "U0DAN"), "in the other workspace's team");

    app.event(&user_change("EvUc4", "U0DAN", true)).await;
    assert!(
        !is_member(&app, "U0DAN"),
        "out of the other workspace's team"
    );
    assert_eq!(pending(), 0, "the join waiting on Slack gone");

    // The reaction's delivery retried late (its first failed): from before, so nothing.
    app.slack.heal("users.info");
    let mut late = crate::teams::reaction("EvUcR2", "U0DAN", "raised_hand", &ts, true);
    late["event"]["event_ts"] = format!("{}.000001", now() - 60).into();
    app.event(&late).await;
    app.outbox_settled().await;
    assert_eq!(pending(), 0);
    assert!(!is_member(&app, "U0DAN"));
}

/// A lead leaving their own team (by command or the Leave button) is told that anyone
/// still in it may take the lead, and so is the pitch's thread: nobody else knew.
#[tokio::test]
async fn a_lead_leaving_their_team_tells_its_thread_who_may_take_the_lead() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let left = app.slash(PITCHER, CHANNEL, "leave 1").await.text();
    assert!(
        left.contains("You led it, so anyone still in it can take the lead now (to choose who, `/makers handover 1 @person`)"),
        "{left}"
    );
    app.outbox_settled().await;
    let told = thread_lines(&app, &ts).pop().unwrap_or_default();
    assert!(
        told.contains("<@U0PITCHER> has left the team of *#1: Parking permits*, which they led. Anyone in the team can take the lead now"),
        "{told}"
    );
    // Stepped back: someone joining later is the team's news, not a message to them.
    let dms_to_lead = || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["channel"] == PITCHER)
            .count()
    };
    let before = dms_to_lead();
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    assert!(
        thread_lines(&app, &ts)
            .iter()
            .any(|l| l.contains("<@U0CAROL>")),
        "the join's line is posted"
    );
    assert_eq!(dms_to_lead(), before, "the lead who left is not told");
    // Anyone else's leave is quiet, as ever.
    let before = thread_lines(&app, &ts).len();
    app.slash("U0BOB", CHANNEL, "leave 1").await;
    app.outbox_settled().await;
    assert_eq!(thread_lines(&app, &ts).len(), before);
}

/// A lead who presses Leave by mistake and joins again: while the thread has not yet been
/// told that anyone may take the lead, it is told nothing at all; once told, it hears they
/// are back and lead it again (the lead's rights came back with them).
#[tokio::test]
async fn a_lead_back_in_their_team_leaves_no_line_saying_anyone_may_take_the_lead() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let before = thread_lines(&app, &ts);
    // Slack down while they leave and join again: both lines wait, and the leave's is taken
    // back with the join's.
    app.slack.always("chat.postMessage", Script::Status(503));
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    let back = app.slash(PITCHER, CHANNEL, "join 1").await.text();
    assert!(back.contains("in the team"), "{back}");
    // Still down: an attempt at the leave's line read before the join took it back (the bot
    // runs on this test's thread) has been refused by the time the marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    app.slash("U1", "C0WAKE", "digest off").await;
    app.outbox_settled().await;
    assert_eq!(
        thread_lines(&app, &ts),
        before,
        "nothing the thread would show happened"
    );
    let refused = take_the_lead(&app, "U0BOB").await;
    assert!(refused.contains("Only whoever leads"), "{refused}");

    // Told this time, and then back: the thread hears it.
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    app.outbox_settled().await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let lines = thread_lines(&app, &ts);
    let said = lines.last().cloned().unwrap_or_default();
    assert!(
        lines[lines.len() - 2].contains("Anyone in the team can take the lead now")
            && said.contains("<@U0PITCHER> is back in the team, and leads it again. 2 people"),
        "{lines:?}"
    );
}

/// A lead who left their team has told its thread already; deactivated later (or a second
/// `user_change` for the deactivated profile), the thread is not told again.
#[tokio::test]
async fn a_lead_who_left_and_then_leaves_slack_is_told_about_once() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    app.outbox_settled().await;
    let told = |app: &TestApp| {
        thread_lines(app, &ts)
            .iter()
            .filter(|l| l.contains("<@U0PITCHER> has left"))
            .count()
    };
    assert_eq!(told(&app), 1);
    // Coming back by a reaction Slack has not yet said is a person's: a join waiting, no
    // membership. The deactivation takes it back, and the thread is not told again.
    app.slack
        .always("users.info", fake_slack::Script::Status(503));
    app.event(&crate::teams::reaction(
        "EvBack",
        PITCHER,
        "raised_hand",
        &ts,
        true,
    ))
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0PITCHER'"),
        1,
        "waiting on Slack"
    );
    app.event(&user_change("EvGone1", PITCHER, true)).await;
    app.event(&user_change("EvGone2", PITCHER, true)).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    app.slack.heal("users.info");
    app.outbox_settled().await;
    assert_eq!(told(&app), 1, "{:?}", thread_lines(&app, &ts));
}

/// A lead who left, coming back by a reaction Slack has not yet said is a person's, and
/// taking it off again: only a join waiting was taken back. They are told they left (as
/// anyone is), but not that they led it, and the thread is not told again.
#[tokio::test]
async fn a_lead_whose_join_back_was_still_waiting_is_not_said_to_leave_twice() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    app.outbox_settled().await;
    let told = |app: &TestApp| {
        thread_lines(app, &ts)
            .iter()
            .filter(|l| l.contains("<@U0PITCHER> has left"))
            .count()
    };
    assert_eq!(told(&app), 1);
    app.slack
        .always("users.info", fake_slack::Script::Status(503));
    app.event(&crate::teams::reaction(
        "EvBack",
        PITCHER,
        "raised_hand",
        &ts,
        true,
    ))
    .await;
    let a = app.slash(PITCHER, CHANNEL, "leave 1").await.text();
    assert!(
        a.contains("You've left the team") && !a.contains("You led it"),
        "{a}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    app.slack.heal("users.info");
    app.outbox_settled().await;
    assert_eq!(told(&app), 1, "{:?}", thread_lines(&app, &ts));
}

/// A retired project's team is its history, so a deactivation leaves its lead in it; brought
/// back, the project takes them out then, and its thread hears that anyone in the team may
/// take the lead, as at the deactivation, rather than stay led by someone nobody can replace.
/// The deactivation is noted only while it is needed: for someone in a retired team, until
/// they are taken out of it (or Slack says the account is active again, below).
#[tokio::test]
async fn a_retired_project_brought_back_leaves_out_a_lead_who_left_slack() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    pitch_and_wait(&app, "U0CAROL", CHANNEL, "Carol's open one").await;
    app.outbox_settled().await;
    let noted =
        |app: &TestApp| app.count("SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL");

    app.event(&user_change("EvUc1", PITCHER, true)).await;
    app.event(&user_change("EvUc2", "U0CAROL", true)).await;
    assert!(in_team(&app, 1, PITCHER), "a retired team is its history");
    assert_eq!(
        noted(&app),
        2,
        "both, while Slack may retry a reaction of theirs"
    );
    let before = thread_lines(&app, &ts).len();

    let moved = app.slash("U0BOB", CHANNEL, "phase 1 alpha").await.text();
    assert!(moved.contains("alpha"), "{moved}");
    assert!(!in_team(&app, 1, PITCHER), "out of the team brought back");
    assert!(in_team(&app, 1, "U0BOB"));
    app.outbox_settled().await;
    let lines = thread_lines(&app, &ts);
    assert_eq!(
        lines.len(),
        before + 2,
        "the phase, then the lead: {lines:?}"
    );
    let told = lines.last().unwrap();
    assert!(
        told.contains(
            "<@U0PITCHER> has left Slack, so is no longer in the team of *#1: Parking permits*."
        ) && told
            .contains("Anyone in the team can take the lead now: `@makers handover 1 @person`"),
        "{told}"
    );
    let took = take_the_lead(&app, "U0BOB").await;
    assert!(!took.contains("Only whoever leads"), "{took}");
}

/// A retired team keeps whoever left Slack (its history), but a project is not handed to
/// them: nobody else could manage it until it was brought back.
#[tokio::test]
async fn a_retired_project_is_not_handed_to_someone_who_left_slack() {
    let app = spawn_app().await;
    pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.event(&user_change("EvUc1", "U0BOB", true)).await;
    assert!(in_team(&app, 1, "U0BOB"), "a retired team is its history");

    let refused = app
        .slash(PITCHER, CHANNEL, "handover 1 <@U0BOB>")
        .await
        .text();
    assert!(refused.contains("has left Slack"), "{refused}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE number = 1 AND pitcher = 'U0PITCHER'"),
        1,
        "still the lead"
    );
}

/// Slack saying the account is active again (any change to it, a reactivation among them)
/// undoes the deactivation noted: the project brought back keeps its lead. A change made
/// before the deactivation and delivered after it (a retry) undoes nothing.
#[tokio::test]
async fn a_lead_back_in_slack_still_leads_the_project_brought_back() {
    let app = spawn_app().await;
    pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.event(&user_change("EvUc1", PITCHER, true)).await;
    let mut before = user_change("EvUc0", PITCHER, false);
    before["event_time"] = (now() - 60).into();
    app.event(&before).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL"),
        1,
        "a change from before the deactivation"
    );
    let a = app.event(&user_change("EvUc2", PITCHER, false)).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL"),
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE user_id = 'U0PITCHER'"),
        0,
        "his row, noted for the deactivation alone, goes with it"
    );
    app.slash("U0BOB", CHANNEL, "phase 1 alpha").await;
    assert!(in_team(&app, 1, PITCHER));
    let refused = take_the_lead(&app, "U0BOB").await;
    assert!(refused.contains("Only whoever leads"), "{refused}");
}

/// A deactivation noted for a retired team is kept for nothing once they are out of it
/// whichever way (here, taken off it by its lead): the hourly housekeeping forgets it (at
/// start too, which the test uses).
#[tokio::test]
async fn a_deactivation_no_longer_needed_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.event(&user_change("EvUc1", "U0BOB", true)).await;
    let noted = "SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL";
    assert_eq!(app.count(noted), 1);
    app.slash(PITCHER, CHANNEL, "remove 1 <@U0BOB|bob>").await;
    assert!(!in_team(&app, 1, "U0BOB"));
    let (db, slack, _) = app.stop().await;
    // Kept while Slack may still retry a reaction he made before it (three days).
    let spawn = |db: std::path::PathBuf, slack| async move { spawn_app_on(&db, slack).await };
    let app = spawn(db, slack).await;
    assert_eq!(app.count(noted), 1, "kept for Slack's retries");
    let (db, slack, _) = app.stop().await;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE people SET left_slack_at = ?1 WHERE left_slack_at IS NOT NULL",
            [now() - 4 * 24 * 3600],
        )
        .unwrap();
    let app = spawn(db, slack).await;
    eventually("the deactivation forgotten", SHORT, || {
        (app.count(noted) == 0).then_some(())
    })
    .await;
}

/// A reaction made before a deactivation and delivered after it (Slack retrying a delivery
/// that failed) puts nobody back in a team, whether the bot knew them (Alice, a member of
/// another team) or not (Bob, of whom it knew nothing): they left every team then. Slack
/// saying the account is active again, a reaction made since joins.
#[tokio::test]
async fn a_reaction_from_before_a_deactivation_delivered_after_it_joins_nobody() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    let other = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.event(&crate::teams::reaction(
        "EvDR1",
        "U0ALICE",
        "raised_hand",
        &other,
        true,
    ))
    .await;
    crate::teams::joined(&app, "U0ALICE").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE user_id = 'U0ALICE' AND is_bot = 0"),
        1,
        "known as a person"
    );
    app.event(&user_change("EvDUc1", "U0ALICE", true)).await;
    app.event(&user_change("EvDUc2", "U0BOB", true)).await;
    assert!(!in_team(&app, 2, "U0ALICE"), "out of the team she was in");
    let asked = app.slack.calls("users.info").len();

    for (id, user) in [("EvDR2", "U0ALICE"), ("EvDR3", "U0BOB")] {
        let mut late = crate::teams::reaction(id, user, "raised_hand", &ts, true);
        late["event"]["event_ts"] = format!("{}.000001", now() - 60).into();
        assert_eq!(app.event(&late).await.status, 200);
    }
    app.outbox_settled().await;
    assert!(!in_team(&app, 1, "U0ALICE"), "Alice put back in a team");
    assert!(!in_team(&app, 1, "U0BOB"), "Bob put in a team");
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert_eq!(
        app.slack.calls("users.info").len(),
        asked,
        "nobody asked about"
    );

    // Active again (Slack's `user_change` says so), and a reaction made since.
    app.event(&user_change("EvDUc3", "U0ALICE", false)).await;
    let mut since = crate::teams::reaction("EvDR4", "U0ALICE", "raised_hand", &ts, true);
    since["event"]["event_ts"] = format!("{}.000001", now() + 2).into();
    assert_eq!(app.event(&since).await.status, 200);
    eventually("back in a team", SHORT, || {
        in_team(&app, 1, "U0ALICE").then_some(())
    })
    .await;
}

/// A Slack user id is one person in every workspace: a deactivation delivered for another
/// workspace (where Sam works; he reacted in a channel shared with ours) stops a reaction he
/// made before it, delivered after it, here too, where the bot knew nothing of him.
#[tokio::test]
async fn a_deactivation_said_in_another_workspace_stops_a_late_reaction_here() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash_in("T0OTHER", "U0OLA", "C0THEIRS", "pitch Their bins")
        .await;
    let mut change = user_change("EvXUc1", "U0SAM", true);
    change["team_id"] = "T0OTHER".into();
    change["authorizations"][0]["team_id"] = "T0OTHER".into();
    change["event"]["user"]["team_id"] = "T0OTHER".into();
    assert_eq!(app.event(&change).await.status, 200);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM people WHERE user_id = 'U0SAM' AND left_slack_at IS NOT NULL"
        ),
        1,
        "noted where it was said"
    );
    let asked = app.slack.calls("users.info").len();
    let mut late = crate::teams::reaction("EvXR1", "U0SAM", "raised_hand", &ts, true);
    late["event"]["event_ts"] = format!("{}.000001", now() - 60).into();
    assert_eq!(app.event(&late).await.status, 200);
    app.outbox_settled().await;
    assert!(!in_team(&app, 1, "U0SAM"), "Sam put in a team");
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert_eq!(
        app.slack.calls("users.info").len(),
        asked,
        "nobody asked about"
    );
}

/// A lead who leaves their team while the project is retired is answered as anyone leaving
/// (nobody manages a retired project); brought back, its thread is told that anyone in the
/// team may take the lead, as at any lead's leaving: else nobody could. One who left while
/// it was open was told of then, and is not told of again.
#[tokio::test]
async fn a_lead_who_left_a_retired_team_is_said_to_have_left_when_it_is_brought_back() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    let later = |app: &TestApp| app.clock.set_timestamp(app.clock.now().timestamp() + 60);
    later(&app);
    let a = app.slash(PITCHER, CHANNEL, "leave 1").await.text();
    assert!(a.contains("You've left the team"), "{a}");
    app.outbox_settled().await;
    let told = |app: &TestApp, ts: &str| {
        thread_lines(app, ts)
            .iter()
            .filter(|l| l.contains("<@U0PITCHER> has left"))
            .count()
    };
    assert_eq!(told(&app, &ts), 0);
    let moved = app.slash("U0BOB", CHANNEL, "phase 1 beta").await.text();
    assert!(moved.contains("beta"), "{moved}");
    app.outbox_settled().await;
    assert_eq!(told(&app, &ts), 1, "{:?}", thread_lines(&app, &ts));
    let took = take_the_lead(&app, "U0BOB").await;
    assert!(!took.contains("Only whoever leads"), "{took}");

    let second = pitch_and_wait(&app, PITCHER, CHANNEL, "Garden waste").await;
    app.slash("U0BOB", CHANNEL, "join 2").await;
    app.slash(PITCHER, CHANNEL, "leave 2").await;
    later(&app);
    app.slash("U0BOB", CHANNEL, "phase 2 retired").await;
    // Leaving again while it is retired, and being removed, change nothing: the thread was
    // told of the lead's leaving when it was open, and is not told again.
    later(&app);
    app.slash(PITCHER, CHANNEL, "leave 2").await;
    app.slash("U0BOB", CHANNEL, "remove 2 <@U0PITCHER>").await;
    app.slash("U0BOB", CHANNEL, "phase 2 beta").await;
    app.outbox_settled().await;
    assert_eq!(told(&app, &second), 1, "{:?}", thread_lines(&app, &second));

    // Its only other member deactivated while it was retired: brought back, the team is
    // empty, and the line says so (not that anyone in it may take the lead).
    let third = pitch_and_wait(&app, PITCHER, CHANNEL, "Street lights").await;
    app.slash("U0CAROL", CHANNEL, "join 3").await;
    app.slash(PITCHER, CHANNEL, "phase 3 retired").await;
    app.event(&user_change("EvCarolGone", "U0CAROL", true))
        .await;
    later(&app);
    app.slash(PITCHER, CHANNEL, "leave 3").await;
    app.slash(PITCHER, CHANNEL, "phase 3 beta").await;
    app.outbox_settled().await;
    let lines = thread_lines(&app, &third);
    assert!(
        lines.iter().any(
            |l| l.contains("<@U0PITCHER> has left") && l.contains("Nobody else is in its team")
        ),
        "{lines:?}"
    );
}

/// How many deactivations are noted.
fn noted(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL")
}

/// Brings #1 (retired, led by `PITCHER`) back, as Bob: its lead still leads it, and its
/// thread hears nothing of anyone leaving Slack.
async fn brought_back_with_its_lead(app: &TestApp, ts: &str) {
    app.slash("U0BOB", CHANNEL, "phase 1 alpha").await;
    app.outbox_settled().await;
    assert!(
        in_team(app, 1, PITCHER),
        "the lead stays in the team brought back"
    );
    let lines = thread_lines(app, ts);
    assert!(
        lines.iter().all(|l| !l.contains("has left Slack")),
        "{lines:?}"
    );
}

/// A deactivation is noted at Slack's time of it, which a reactivation's is weighed
/// against, not at the bot's when it handled it: delivered a minute late (the writer held by
/// another process, a delivery retried), it is still undone by a reactivation Slack raised
/// after it, though that was raised before the bot handled it.
#[tokio::test]
async fn a_deactivation_handled_late_is_undone_by_a_reactivation_raised_after_it() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.outbox_settled().await;
    let mut left = user_change("EvUcD", PITCHER, true);
    left["event_time"] = (now() - 60).into();
    assert_eq!(app.event(&left).await.status, 200);
    assert_eq!(noted(&app), 1);
    let mut back = user_change("EvUcR", PITCHER, false);
    back["event_time"] = (now() - 30).into();
    assert_eq!(app.event(&back).await.status, 200);
    assert_eq!(noted(&app), 0, "active again, said after the deactivation");
    brought_back_with_its_lead(&app, &ts).await;
}

/// A reactivation read on a reader while the deactivation Slack raised before it still
/// waits for the writer (another process holding it: an operator's `forget`, `sqlite3`)
/// finds nothing noted, and writes nothing; it still counts once the deactivation is in.
/// (The pause only makes it likely that the reactivation is read while the deactivation
/// waits: read before or after, it counts too, below and above.)
#[tokio::test]
async fn a_reactivation_heard_while_the_deactivation_waits_for_the_writer_still_counts() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.outbox_settled().await;
    let left = user_change("EvUcD", PITCHER, true);
    let mut back = user_change("EvUcR", PITCHER, false);
    back["event_time"] = (now() + 1).into();
    let held = app.hold_writes();
    let gone = app.event(&left);
    let active = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.event(&back).await
    };
    let (gone, active) = tokio::join!(gone, active);
    held.join().unwrap();
    assert_eq!(gone.status, 200);
    assert_eq!(active.status, 200);
    assert_eq!(noted(&app), 0, "active again, said after the deactivation");
    brought_back_with_its_lead(&app, &ts).await;
}

/// Slack's deliveries need not come in the order it raised them (a deactivation's delivery
/// that failed is retried a minute on; two are sent at once): a reactivation heard first
/// counts all the same once the deactivation raised before it comes. The deactivation still
/// takes them out of the open teams, as when heard first.
#[tokio::test]
async fn a_reactivation_heard_before_the_deactivation_raised_before_it_still_counts() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    pitch_and_wait(&app, "U0CAROL", CHANNEL, "Carol's open one").await;
    app.slash(PITCHER, CHANNEL, "join 2").await;
    app.outbox_settled().await;
    let mut left = user_change("EvUcD", PITCHER, true);
    left["event_time"] = (now() - 60).into();
    let back = user_change("EvUcR", PITCHER, false);
    assert_eq!(app.event(&back).await.status, 200);
    assert_eq!(app.event(&left).await.status, 200);
    assert!(
        !in_team(&app, 2, PITCHER),
        "out of the open team, as any deactivation"
    );
    assert_eq!(noted(&app), 0, "active again, said after the deactivation");
    brought_back_with_its_lead(&app, &ts).await;
}
