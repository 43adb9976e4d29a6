//! Who reacted: a reaction joins only once Slack's `users.info` says the reactor is a
//! person. Until then nothing shows (not in `show`, not in the team's make-up), so another
//! app's bot is never a member, even for a moment.

use fake_slack::Script;

use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, is_member, member_count, pitched, reaction};

fn pending(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM pending_joins")
}

fn thread_lines(app: &TestApp, ts: &str) -> usize {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["thread_ts"] == ts)
        .count()
}

/// Slack answers `users.info` again; the worker asks about Bob once his retry is due (a
/// command wakes it), and his pending join becomes a membership.
async fn slack_answers_again_and_bob_joins(app: &TestApp) {
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    eventually("Bob joined", SHORT, || {
        is_member(app, "U0BOB").then_some(())
    })
    .await;
}

#[tokio::test]
async fn another_apps_bot_is_never_a_member_not_even_for_a_moment() {
    let app = spawn_app().await;
    app.slack.add_bot("U0OTHERBOT");
    let ts = pitched(&app, "Parking permits").await;
    app.event(&reaction("EvP1", "U0OTHERBOT", "raised_hand", &ts, true))
        .await;
    // Straight after the event is acknowledged, before Slack has been asked.
    assert!(!is_member(&app, "U0OTHERBOT"));
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(!shown.contains("U0OTHERBOT"), "{shown}");
    app.slack.wait_for("users.info", 1, SHORT).await;
    eventually("the pending join dropped", SHORT, || {
        (pending(&app) == 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0OTHERBOT"));
    assert_eq!(member_count(&app), 1, "only the pitcher");
    assert_eq!(thread_lines(&app, &ts), 0, "nothing said about a bot");
}

#[tokio::test]
async fn a_person_joins_once_slack_says_so_and_not_before() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    // Slack cannot answer for now: the reaction waits, visible to nobody.
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvP2", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    assert_eq!(pending(&app), 1);
    assert!(!is_member(&app, "U0BOB"));
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(!shown.contains("U0BOB"), "{shown}");

    // Slack answers again; the worker asks once the retry is due.
    slack_answers_again_and_bob_joins(&app).await;
    assert_eq!(pending(&app), 0);
    app.outbox_settled().await;
    let line = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["thread_ts"] == ts.as_str() && message_text(&c.body).contains("joined"))
        .expect("the join is said in the thread");
    assert!(message_text(&line.body).contains("<@U0BOB>"));
}

#[tokio::test]
async fn a_reaction_taken_back_while_waiting_joins_nobody() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvP3", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.event(&reaction("EvP4", "U0BOB", "raised_hand", &ts, false))
        .await;
    assert_eq!(pending(&app), 0, "the removal takes the pending join back");
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0BOB"));
    assert_eq!(member_count(&app), 1);
}

/// Slack's `Retry-After` on `users.info` holds for the workspace: the other reactors waiting
/// there are not asked about until it is over (one call, not one per reactor per pass).
#[tokio::test]
async fn a_rate_limited_users_info_is_not_called_again_for_the_next_reactor() {
    next_reactor_waits_out(Script::RateLimited(30)).await;
}

/// So too a rate limit said in the answer's body (HTTP 200, `ratelimited`), with no
/// `Retry-After` to go by: it was taken for a hiccup of that reactor alone, and the next was
/// asked about at the next pass.
#[tokio::test]
async fn a_rate_limit_said_in_users_infos_body_holds_the_next_reactor_too() {
    next_reactor_waits_out(Script::Error("ratelimited")).await;
}

async fn next_reactor_waits_out(limited: Script) {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", limited);
    for (i, user) in ["U0BOB", "U0CAROL", "U0DAN"].iter().enumerate() {
        app.event(&reaction(
            &format!("EvRl{i}"),
            user,
            "raised_hand",
            &ts,
            true,
        ))
        .await;
    }
    app.slack.wait_for("users.info", 1, SHORT).await;
    // More passes of the worker: each update queues a post and wakes it.
    for i in 0..3 {
        app.slash(PITCHER, CHANNEL, &format!("update 1 Step {i}"))
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("users.info").len(), 1);
    assert_eq!(pending(&app), 3, "still waiting, visible to nobody");
}

/// A reactor asked about after Slack's `Retry-After` is asked when it ends, with nothing
/// else to wake the worker: it used to sleep until its next look at the outbox (30 s), the
/// person's join unseen all that while.
#[tokio::test]
async fn a_reactor_is_asked_again_when_slacks_wait_ends() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.outbox_settled().await;
    app.slack.script("users.info", Script::RateLimited(1));
    app.event(&reaction("EvWait", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    // Within SHORT (15 s), well before the worker's own next look.
    eventually("Bob joined", SHORT, || {
        is_member(&app, "U0BOB").then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("users.info").len(), 2);
}

/// A join by reaction waits for `users.info` (is the reactor a person?); a 429 there is
/// that method's limit: the join waits it out, and the workspace's other posts go on.
#[tokio::test]
async fn a_rate_limited_users_info_holds_the_join_not_the_workspace() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", Script::RateLimited(30));
    app.event(&reaction("EvRl", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    the_workspace_still_posts(&app, PITCHER).await;
    assert_eq!(pending(&app), 1, "still waiting for Slack's answer");
}

/// A join by command or button is a person's (bots use neither): its line goes out without
/// asking Slack who joined, so an answer Slack keeps refusing cannot hold the channel.
#[tokio::test]
async fn a_join_by_command_is_posted_without_asking_who_joined() {
    let app = spawn_app().await;
    pitched(&app, "Parking permits").await;
    app.slack
        .always("users.info", Script::Error("team_access_not_granted"));
    app.slash("U0BOB", CHANNEL, "join 1").await;
    eventually("the join line posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| message_text(&c.body).contains("<@U0BOB>"))
    })
    .await;
    assert!(app.slack.calls("users.info").is_empty());
}

/// Slack failing on its side (`internal_error`) says nothing about who reacted: the join
/// stays pending, visible to nobody, and is asked about again, never taken for a person.
#[tokio::test]
async fn a_slack_hiccup_on_users_info_does_not_make_the_reactor_a_person() {
    let app = spawn_app().await;
    app.slack.add_bot("U0OTHERBOT");
    let ts = pitched(&app, "Parking permits").await;
    app.slack
        .always("users.info", Script::Error("internal_error"));
    app.event(&reaction("EvHic", "U0OTHERBOT", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    // Asked again once its retry is due (an update wakes the worker).
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    app.slack.wait_for("users.info", 2, SHORT).await;
    assert!(!is_member(&app, "U0OTHERBOT"));
    assert_eq!(pending(&app), 1, "still waiting for Slack's answer");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE is_bot IS NOT NULL"),
        0,
        "nothing remembered about them"
    );
}

/// A join settled after a digest went out (Slack could not say at once that the reactor is a
/// person) is in the next digest: it is listed as of when it was recorded, not of the
/// reaction, which the digest already sent had passed over.
#[tokio::test]
async fn a_join_settled_after_a_digest_is_in_the_next_one() {
    let app = spawn_app().await;
    // Sunday 29 March 2026; the digest is Monday 09:00 BST (08:00Z).
    app.clock.set("2026-03-29T12:00:00Z");
    app.slash(PITCHER, CHANNEL, "digest").await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", Script::Status(503));
    let mut e = reaction("EvP9", "U0BOB", "raised_hand", &ts, true);
    // Ten seconds before the digest.
    e["event"]["event_ts"] = "1774857590.000100".into();
    app.event(&e).await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    let digests = |app: &TestApp| -> Vec<String> {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .map(|c| message_text(&c.body))
            .filter(|t| t.contains("Makers digest"))
            .collect()
    };
    app.clock.set("2026-03-30T08:00:30Z");
    eventually("the first digest", SHORT, || {
        (digests(&app).len() == 1).then_some(())
    })
    .await;
    assert!(!digests(&app)[0].contains("Who joined"), "not yet a member");

    slack_answers_again_and_bob_joins(&app).await;
    app.clock.set("2026-04-06T08:00:30Z");
    eventually("the second digest", SHORT, || {
        (digests(&app).len() == 2).then_some(())
    })
    .await;
    let second = &digests(&app)[1];
    assert!(
        second.contains("Who joined") && second.contains("1 join"),
        "{second}"
    );
}

/// Someone whose reaction waits on Slack and who also joins by command is one member: taking
/// them off (a leave, or the pitcher's `remove`) says they left and tells them, where it said
/// there was nobody to take off while it took both rows away.
#[tokio::test]
async fn a_member_with_a_reaction_still_waiting_is_taken_off_and_told_so() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvP5", "U0BOB", "raised_hand", &ts, true))
        .await;
    assert_eq!(pending(&app), 1);
    app.slash("U0BOB", CHANNEL, "join 1").await;
    assert!(is_member(&app, "U0BOB"));
    let removed = app
        .slash(PITCHER, CHANNEL, "remove 1 <@U0BOB|bob>")
        .await
        .text();
    assert!(removed.contains("is no longer in the team"), "{removed}");
    assert!(!is_member(&app, "U0BOB"));
    assert_eq!(pending(&app), 0);
}

/// Moves the start of the workspace's run of token refusals back `days` (the worker asks
/// at least every five minutes, which a test cannot wait out for a week).
fn refused_for_days(app: &TestApp, days: i64) {
    let moved = app
        .db()
        .execute(
            &format!("UPDATE token_refusals SET since = since - {days} * 86400"),
            [],
        )
        .unwrap();
    assert_eq!(moved, 1, "the refusal was noted");
}

/// Slack refusing the workspace's token when asked who reacted: the question waits with the
/// workspace's posts (it was asked again every 30 s, for ever), and after a week of
/// refusals the joins waiting on it go, as the workspace's posts do.
#[tokio::test]
async fn a_refused_token_stops_asking_who_reacted_after_a_week() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.outbox_settled().await;
    app.slack
        .always("users.info", Script::Error("token_revoked"));
    app.event(&reaction("EvTr1", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    eventually("the refusal noted for the workspace", SHORT, || {
        (app.count("SELECT COUNT(*) FROM token_refusals") == 1).then_some(())
    })
    .await;
    assert_eq!(pending(&app), 1, "six days or one: it waits");

    refused_for_days(&app, 8);
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    let app = app.restart().await;
    app.slack.wait_for("users.info", 2, SHORT).await;
    eventually("the join given up", SHORT, || {
        (pending(&app) == 0).then_some(())
    })
    .await;
    assert!(!is_member(&app, "U0BOB"));
    assert_eq!(member_count(&app), 1);
}

/// A workspace whose token Slack refuses: its posts wait, the wait growing with the
/// refusals, and the question of who reacted waits with them rather than being asked again
/// every 30 s; after a week the posts are given up, and the joins waiting with them go.
#[tokio::test]
async fn who_reacted_waits_with_the_posts_of_a_workspace_whose_token_is_refused() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.outbox_settled().await;
    for method in ["users.info", "chat.postMessage"] {
        app.slack.always(method, Script::Error("invalid_auth"));
    }
    app.event(&reaction("EvTr2", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    // Past the 30 s a failed question waits; an update wakes the worker, which holds both.
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        app.slack.calls("users.info").len(),
        1,
        "not asked again while the workspace's token is refused"
    );
    assert_eq!(pending(&app), 1);

    // A week on, the update's post is refused again (the question not yet due): it is
    // given up, and the join waiting with it goes.
    refused_for_days(&app, 8);
    let app = app.restart().await;
    eventually("the update given up", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL
               AND last_error = 'invalid_auth; no working token for a week'",
        ) >= 1)
            .then_some(())
    })
    .await;
    assert_eq!(pending(&app), 0, "nobody can ask who reacted");
    assert_eq!(app.slack.calls("users.info").len(), 1);
    assert!(!is_member(&app, "U0BOB"));
}

/// Asking who reacted in a workspace whose token Slack refuses (or while Slack fails) is
/// logged naming the workspace: the line was often the only one about it, and said nothing
/// of which.
#[tokio::test]
async fn a_failure_asking_who_reacted_names_the_workspace() {
    use crate::helpers::logs::{capture_logs, logged_with};
    const T1: &str = "T0REACTLOGS";
    capture_logs();
    let app = spawn_app().await;
    let a = app
        .slash_in(T1, PITCHER, CHANNEL, "pitch Parking permits")
        .await;
    assert_eq!(a.status, 200);
    let announced = format!("SELECT announcement_ts FROM projects WHERE team_id = '{T1}'");
    let ts: String = eventually("the announcement", SHORT, || {
        app.db().query_row(&announced, [], |r| r.get(0)).ok()
    })
    .await;
    app.outbox_settled().await;
    let in_t1 = |event_id: &str| {
        let mut env = reaction(event_id, "U0BOB", "raised_hand", &ts, true);
        env["team_id"] = T1.into();
        env["authorizations"][0]["team_id"] = T1.into();
        env
    };
    app.slack
        .always("users.info", Script::Error("internal_error"));
    app.event(&in_t1("EvLogs1")).await;
    let team = format!("team={T1}");
    eventually("the failure logged", SHORT, || {
        let lines = logged_with(&["cannot ask who reacted", "U0BOB"]);
        lines.iter().any(|l| l.contains(&team)).then_some(())
    })
    .await;
    app.slack
        .always("users.info", Script::Error("invalid_auth"));
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash_in(T1, PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    eventually("the refusal logged naming the workspace", SHORT, || {
        let lines = logged_with(&["token refused asking who reacted", "invalid_auth"]);
        lines.iter().any(|l| l.contains(&team)).then_some(())
    })
    .await;
}

/// Slack failing `users.info` in one workspace (an incident on its shard) holds the asking
/// there, as a failed `conversations.info` or `reactions.get` does: another workspace's
/// reactor is asked next, not after each of the failing workspace's reactors in turn, a
/// pass (and, were Slack hanging, 10 s) each.
#[tokio::test]
async fn a_workspace_whose_users_info_fails_does_not_hold_up_another_workspaces_joins() {
    const A: &str = "T0AAA";
    const B: &str = "T0BBB";
    let app = spawn_app().await;
    app.slash_in(A, PITCHER, "C0AAA", "pitch Bins").await;
    app.slash_in(B, PITCHER, "C0BBB", "pitch Parking").await;
    let announced = |team: &str| {
        let sql = format!("SELECT announcement_ts FROM projects WHERE team_id = '{team}'");
        let app = &app;
        move || app.db().query_row(&sql, [], |r| r.get::<_, String>(0)).ok()
    };
    let ts_a = eventually("A's announcement", SHORT, announced(A)).await;
    let ts_b = eventually("B's announcement", SHORT, announced(B)).await;
    app.outbox_settled().await;
    let in_team = |team: &str, channel: &str, ts: &str, event_id: &str, user: &str| {
        let mut env = reaction(event_id, user, "raised_hand", ts, true);
        env["team_id"] = team.into();
        env["authorizations"][0]["team_id"] = team.into();
        env["event"]["item"]["channel"] = channel.into();
        env
    };
    app.slack
        .always("users.info", Script::Error("internal_error"));
    for n in 0..10 {
        let envelope = in_team(
            A,
            "C0AAA",
            &ts_a,
            &format!("EvManyA{n}"),
            &format!("U0A{n}"),
        );
        app.event(&envelope).await;
    }
    app.slack.wait_for("users.info", 1, SHORT).await;
    app.event(&in_team(B, "C0BBB", &ts_b, "EvManyB", "U0BOB"))
        .await;
    let asked = eventually("Bob asked about", SHORT, || {
        let calls = app.slack.calls("users.info");
        let bob = calls.iter().position(|c| c.body["user"] == "U0BOB")?;
        Some(calls[..bob].to_vec())
    })
    .await;
    let of_a: Vec<&str> = asked
        .iter()
        .filter_map(|c| c.body["user"].as_str())
        .filter(|u| u.starts_with("U0A"))
        .collect();
    assert!(
        of_a.len() <= 2,
        "asked about A's reactors one after another first: {of_a:?}"
    );
}

/// Slack slow to say who Bob is (he has never used the bot): his reaction waits while the
/// project is merged into another. It reached the bot before the merge, so it counts as it
/// would have then: he is in the merged project's team (its history), and is told where the
/// work carries on, with the merge's *Join*, as the team was. It used to be dropped, his
/// reaction still on the announcement and nobody telling him anything.
#[tokio::test]
async fn a_reaction_waiting_on_slack_when_its_project_is_merged_is_told_where_the_work_goes() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    pitched(&app, "Permit checker").await;
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvPM1", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    let merged = app.slash(PITCHER, CHANNEL, "merge 1 into 2").await.text();
    assert!(merged.contains("carries on"), "{merged}");
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 2 Drafted the form")
        .await;
    eventually("Bob's pending join settled", SHORT, || {
        (pending(&app) == 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
    let dms = dms_to(&app, "U0BOB");
    assert!(
        dms.iter().any(|d| d.contains(&format!(
            "<@{PITCHER}> merged *#1: Parking permits*, a team you are in, into *#2: Permit checker*"
        ))),
        "told where the work carries on, as #1's team was: {dms:?}"
    );
    let in_team = |number: u32| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
             WHERE p.number = {number} AND m.user_id = 'U0BOB'"
        ))
    };
    assert_eq!(in_team(1), 1, "in the merged team, as of his reaction");
    assert_eq!(in_team(2), 0, "not put in a team he did not join");
    let said_of_him = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .any(|c| c.body["thread_ts"] == ts.as_str() && message_text(&c.body).contains("U0BOB"));
    assert!(
        !said_of_him,
        "nothing said of him in the retired project's thread"
    );
}

/// The same wait, while the project is retired and then merged: told where the work carries
/// on all the same, without naming who merged it (not kept for a project already retired).
#[tokio::test]
async fn a_reaction_waiting_on_slack_through_a_retirement_and_a_merge_is_told_where_the_work_goes()
{
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    pitched(&app, "Permit checker").await;
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvPM2", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.slash(PITCHER, CHANNEL, "merge 1 into 2").await;
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash(PITCHER, CHANNEL, "update 2 Drafted the form")
        .await;
    eventually("Bob's pending join settled", SHORT, || {
        (pending(&app) == 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
    let dms = dms_to(&app, "U0BOB");
    assert!(
        dms.iter().any(|d| d.starts_with(
            ":twisted_rightwards_arrows: *#1: Parking permits*, a team you are in, was merged into *#2: Permit checker*, which does the same thing"
        )),
        "{dms:?}"
    );
}

/// The same wait, while the project is retired and then brought back: Bob's reaction, made
/// while it was open, makes him one of its team, which the project brought back has; a
/// reactor the bot already knew would have been. It used to be dropped.
#[tokio::test]
async fn a_reaction_waiting_on_slack_when_its_project_is_retired_is_in_the_team_brought_back() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking permits").await;
    app.slack.always("users.info", Script::Status(503));
    app.event(&reaction("EvPR1", "U0BOB", "raised_hand", &ts, true))
        .await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    // A pitch's announcement wakes the worker.
    app.slash(PITCHER, CHANNEL, "pitch Bus passes").await;
    eventually("Bob's pending join settled", SHORT, || {
        (pending(&app) == 0).then_some(())
    })
    .await;
    app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    app.outbox_settled().await;
    assert!(is_member(&app, "U0BOB"), "in the team brought back");
    assert!(
        dms_to(&app, "U0BOB").is_empty(),
        "nothing to tell him: the work carries on nowhere else"
    );
}

/// A reaction Slack dates after the project's retirement (its clock ahead of ours) is refused
/// as a reaction on a retired project is, and the log line that settles it says no team was
/// joined: it counted the refusal as a join.
#[tokio::test]
async fn a_pending_join_refused_is_not_logged_as_joined() {
    use crate::helpers::logs::{capture_logs, logged_with};
    const T1: &str = "T0JOINEDLOG";
    capture_logs();
    let app = spawn_app().await;
    app.slash_in(T1, PITCHER, CHANNEL, "pitch Parking permits")
        .await;
    let announced = format!("SELECT announcement_ts FROM projects WHERE team_id = '{T1}'");
    let ts: String = eventually("the announcement", SHORT, || {
        app.db().query_row(&announced, [], |r| r.get(0)).ok()
    })
    .await;
    app.outbox_settled().await;
    app.slack.always("users.info", Script::Status(503));
    let mut env = reaction("EvJL1", "U0BOB", "raised_hand", &ts, true);
    env["team_id"] = T1.into();
    env["authorizations"][0]["team_id"] = T1.into();
    // Two minutes on by Slack's clock: after the retirement below.
    env["event"]["event_ts"] = format!("{}.000100", now() + 120).into();
    app.event(&env).await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    app.slash_in(T1, PITCHER, CHANNEL, "phase 1 retired").await;
    app.slack.heal("users.info");
    app.clock.set_timestamp(app.clock.now().timestamp() + 31);
    app.slash_in(T1, PITCHER, CHANNEL, "pitch Bus passes").await;
    let team = format!("team={T1}");
    let settled = eventually("the settling logged", SHORT, || {
        logged_with(&["reactor's pending joins settled", &team])
            .into_iter()
            .next()
    })
    .await;
    assert!(settled.contains("joined=0"), "{settled}");
    assert!(!is_member(&app, "U0BOB"));
}
