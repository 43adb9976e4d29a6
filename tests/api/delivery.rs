//! The outbox: what happens when Slack says no, or says "later", or the bot restarts.

use std::time::Duration;

use crate::helpers::*;

fn posts_in(app: &TestApp, channel: &str) -> usize {
    let calls = app.slack.calls("chat.postMessage");
    calls
        .iter()
        .filter(|c| c.body["channel"] == channel)
        .count()
}

fn announced(app: &TestApp) -> bool {
    app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL") == 1
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::RateLimited(1));
    let a = app.slash("U1", "C1", "pitch Rate limited").await;
    assert!(a.text().contains("#1"), "the pitcher is answered at once");
    let calls = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    let waited = calls[1].at - calls[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
}

/// Slack's rate limits are per workspace: a 429 in one holds that workspace's posts, and
/// the others' go out as usual.
#[tokio::test]
async fn a_429_in_one_workspace_does_not_hold_up_another() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::RateLimited(30));
    app.slash_in("T0ONE", "U1", "C0ONE", "pitch Limited here")
        .await;
    let first = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    assert_eq!(first[0].body["channel"], "C0ONE");
    app.slash_in("T0ONE", "U1", "C0ONEB", "pitch Also limited")
        .await;
    app.slash_in("T0TWO", "U2", "C0TWO", "pitch Free there")
        .await;
    let calls = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(
        calls[1].body["channel"], "C0TWO",
        "the other workspace's post"
    );
    let waited = calls[1].at - calls[0].at;
    assert!(waited < Duration::from_secs(10), "it waited {waited:?}");
    // The limited workspace's posts wait their 30 seconds, in another channel too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        posts_in(&app, "C0ONE"),
        1,
        "not posted again before Retry-After"
    );
    assert_eq!(
        posts_in(&app, "C0ONEB"),
        0,
        "the workspace's other post waits too"
    );
}

/// A workspace whose Slack does not answer (an incident on its shard: each post given up
/// after the call's 10 s) is held after the first post that got no answer, as a 429 holds
/// it: another workspace's post goes next, not after each of its channels' 10 s in turn.
#[tokio::test]
async fn a_workspace_slack_does_not_answer_does_not_hold_up_another() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::Held);
    app.slash_in("T0ONE", "U1", "C0ONE", "pitch Hung here")
        .await;
    eventually("the first post at Slack, unanswered", SHORT, || {
        (app.slack.held("chat.postMessage") == 1).then_some(())
    })
    .await;
    app.slash_in("T0ONE", "U1", "C0ONEB", "pitch Also hung")
        .await;
    app.slash_in("T0ONE", "U1", "C0ONEC", "pitch And this")
        .await;
    app.slash_in("T0TWO", "U2", "C0TWO", "pitch Free there")
        .await;
    let before = eventually(
        "the other workspace's announcement",
        Duration::from_secs(40),
        || {
            let calls = app.slack.calls("chat.postMessage");
            let two = calls.iter().position(|c| c.body["channel"] == "C0TWO")?;
            Some(calls[..two].to_vec())
        },
    )
    .await;
    let hung_workspace: Vec<&serde_json::Value> = before
        .iter()
        .map(|c| &c.body["channel"])
        .filter(|c| *c == "C0ONEB" || *c == "C0ONEC")
        .collect();
    assert!(
        hung_workspace.is_empty(),
        "the unanswered workspace's other channels went first: {hung_workspace:?}"
    );
    // Its posts go out once Slack answers there again.
    eventually("the held workspace's posts", SHORT, || {
        (posts_in(&app, "C0ONEB") >= 1 && posts_in(&app, "C0ONEC") >= 1).then_some(())
    })
    .await;
    app.slack.release("chat.postMessage");
}

/// A 429 whose `Retry-After` is past all reason (something standing in for Slack) holds the
/// workspace an hour at most, and the worker goes on posting for another: one past what an
/// instant can hold stopped it for good.
#[tokio::test]
async fn a_retry_after_past_reason_holds_an_hour_at_most() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::RateLimited(u64::MAX));
    app.slash_in("T0ONE", "U1", "C0ONE", "pitch Limited here")
        .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let now = app.clock.now().timestamp();
    let next: i64 = eventually("the post rescheduled", SHORT, || {
        app.db()
            .query_row(
                "SELECT next_attempt_at FROM outbox WHERE attempts = 1",
                [],
                |r| r.get(0),
            )
            .ok()
    })
    .await;
    assert!(
        (now + 3000..=now + 3700).contains(&next),
        "held {} s",
        next - now
    );
    app.slash_in("T0TWO", "U2", "C0TWO", "pitch Free there")
        .await;
    let calls = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(calls[1].body["channel"], "C0TWO", "the worker goes on");
}

/// An HTTP 4xx (other than 429) is not Slack's way of refusing (it says so in JSON, with
/// 200): it comes from a proxy or gateway between, and the post waits for it, as for a 5xx,
/// rather than being given up. So is a redirect (a gateway sending the bot to log in, an
/// `http://` `SLACK_API_URL`), counted with them: it was tried for ever.
#[tokio::test]
async fn a_4xx_from_something_between_is_tried_again_not_given_up() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::Status(403));
    app.slack.script("chat.postMessage", Script::Status(407));
    app.slack.script("chat.postMessage", Script::Status(302));
    app.slash("U1", "C1", "pitch Behind a proxy").await;
    eventually("the announcement posted on the fourth try", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL");
        (n == 1).then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NULL"),
        1
    );
    // Counted apart from its other tries, which bound how long a 4xx is tried for (an hour
    // of 5xx before left a first 4xx no tries).
    assert_eq!(
        app.count(
            "SELECT json_extract(notice, '$.http_refusals') FROM outbox
              WHERE delivered_at IS NOT NULL"
        ),
        3
    );
}

/// The backoff is read from the schedule the bot records (`next_attempt_at`, on the clock it
/// is given), not from wall-clock gaps: after each failure the test moves the clock to the
/// retry time and wakes the worker, so the test checks the exact delays without waiting
/// them out.
#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::Status(500));
    app.slack.script("chat.postMessage", Script::Status(503));
    app.slack
        .script("chat.postMessage", Script::Error("internal_error"));
    app.slack.script("chat.postMessage", Script::Status(502));
    let mut before = app.clock.now().timestamp();
    app.slash("U1", "C1", "pitch Flaky Slack").await;
    for (failures, delay) in [(1, 1), (2, 2), (3, 4), (4, 8)] {
        let pending = format!(
            "SELECT next_attempt_at FROM outbox WHERE attempts = {failures}
             AND delivered_at IS NULL AND failed_at IS NULL"
        );
        let next: i64 = eventually(&format!("failure {failures} rescheduled"), SHORT, || {
            app.db().query_row(&pending, [], |r| r.get(0)).ok()
        })
        .await;
        let after = app.clock.now().timestamp();
        // Recorded at some instant between `before` and `after`, `delay` seconds ahead.
        assert!(
            (next - after..=next - before).contains(&delay),
            "after failure {failures}: due at {next}, recorded between {before} and {after}"
        );
        app.clock.set_timestamp(next);
        before = app.clock.now().timestamp();
        // Any write wakes the worker; this one posts nothing.
        app.slash("U1", "C0WAKE", "digest off").await;
    }
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 5);
}

#[tokio::test]
async fn a_permanent_error_is_recorded_and_not_retried_forever() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::Error("invalid_blocks"));
    let a = app.slash("U1", "C1", "pitch Bad blocks").await;
    assert!(a.text().contains("#1"));
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    eventually("the post recorded as failed", SHORT, || {
        (app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'invalid_blocks' AND failed_at IS NOT NULL") == 1)
            .then_some(())
    })
    .await;
    // Failed is final; a later post going out shows the worker has moved past it.
    app.marker_posted().await;
    app.outbox_settled().await;
    assert_eq!(posts_in(&app, "C1"), 1, "not retried");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        1,
        "the project stays"
    );
}

#[tokio::test]
async fn not_in_a_public_channel_the_bot_joins_and_posts() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.slash("U1", "C0PUBLIC", "pitch Joined up").await;
    let joins = app.slack.wait_for("conversations.join", 1, SHORT).await;
    assert_eq!(joins[0].body["channel"], "C0PUBLIC");
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(posts[1].body["channel"], "C0PUBLIC");
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
}

#[tokio::test]
async fn not_in_a_private_channel_the_pitcher_is_told_and_the_post_waits_for_an_invite() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    let a = app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    assert!(a.text().contains("#1"));

    // The pitcher gets a DM saying how to invite the bot.
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(posts[1].body["channel"], "U0PITCHER");
    let dm = message_text(&posts[1].body);
    assert!(
        dm.starts_with("Project #1: I could not post its announcement")
            && dm.contains("The project is recorded.")
            && dm.contains("/invite"),
        "{dm}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
    assert!(!announced(&app));

    // An update meanwhile has no thread yet: it waits with the announcement, tried nowhere.
    let a = app
        .slash("U0PITCHER", "C0PRIVATE", "update 1 Quietly going")
        .await;
    assert!(
        a.said()
            .contains("goes in its thread once the pitch is announced"),
        "{}",
        a.said()
    );
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 2);

    // Once invited, the waiting announcement goes out, and the update in its thread.
    assert_eq!(
        app.event(&bot_joined("EvJoin1", "C0PRIVATE")).await.status,
        200
    );
    let posts = app.slack.wait_for("chat.postMessage", 4, SHORT).await;
    assert_eq!(posts[2].body["channel"], "C0PRIVATE");
    assert!(message_text(&posts[2].body).contains("#1: Hush hush"));
    let announcement = posts[2].ts().unwrap();
    assert_eq!(posts[3].body["channel"], "C0PRIVATE");
    assert_eq!(
        posts[3].body["thread_ts"], announcement,
        "in the pitch's thread"
    );
    assert!(message_text(&posts[3].body).contains("Quietly going"));
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
}

/// Once Slack has said the bot is not in a private channel, a pitch there is not answered "I'm
/// announcing it now": it says the announcement waits, and how to invite the bot. Invited,
/// the next pitch is announced as any other.
#[tokio::test]
async fn a_pitch_where_posts_wait_for_an_invitation_says_so() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    let first = app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    assert!(
        first.text().contains("I'm announcing it"),
        "{}",
        first.text()
    );
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;

    next_post_is_in_a_private_channel(&app);
    let second = app.slash("U0ANN", "C0PRIVATE", "pitch Quiet please").await;
    let said = second.text();
    assert!(
        said.contains("#2: Quiet please")
            && said.contains("I am not a member of <#C0PRIVATE>")
            && said.contains("if it does not appear there")
            && said.contains("`/invite @Makers`")
            && said.contains("`/makers join 2`")
            && !said.contains("announcing it"),
        "{said}"
    );
    // Elsewhere, as ever.
    let other = app.slash("U0ANN", "C0OPEN", "pitch Loud and clear").await;
    assert!(
        other.text().contains("I'm announcing it"),
        "{}",
        other.text()
    );
    app.outbox_settled().await;

    app.event(&bot_joined("EvJoin1", "C0PRIVATE")).await;
    app.outbox_settled().await;
    let third = app.slash("U0ANN", "C0PRIVATE", "pitch Now we talk").await;
    assert!(
        third.text().contains("I'm announcing it"),
        "{}",
        third.text()
    );
}

/// The bot invited back without Slack's event of it reaching the bot (or a public channel it
/// joined itself): a post that goes through in the channel brings back what waited there.
#[tokio::test]
async fn a_post_that_goes_through_brings_back_what_waited_in_its_channel() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;
    // Invited meanwhile (the fake takes posts there now); no event came.
    app.slash("U0ANN", "C0PRIVATE", "pitch Quiet please").await;
    app.outbox_settled().await;
    let announced = posted_to(&app.slack, "C0PRIVATE");
    assert_eq!(announced.len(), 2, "{announced:?}");
    assert!(announced[0].contains("#2: Quiet please"), "{announced:?}");
    assert!(announced[1].contains("#1: Hush hush"), "{announced:?}");
    let waiting =
        "SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel' AND failed_at IS NOT NULL";
    assert_eq!(app.count(waiting), 0);
}

/// An announcement brought back by a post that went through in its channel, and refused
/// again, does not tell its pitcher a second time.
#[tokio::test]
async fn an_announcement_parked_again_is_told_to_its_pitcher_once() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;
    // Another pitch there goes through; the first, brought back by it, is refused again.
    app.slack.script("chat.postMessage", Script::OkBare);
    next_post_is_in_a_private_channel(&app);
    app.slash("U0ANN", "C0PRIVATE", "pitch Quiet please").await;
    app.outbox_settled().await;
    let dms = dms_to(&app, "U0PITCHER");
    assert_eq!(dms.len(), 1, "{dms:?}");
    let waiting =
        "SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel' AND failed_at IS NOT NULL";
    assert_eq!(app.count(waiting), 1, "it waits on");
}

/// A second pitch in a channel whose posts wait for the bot to be invited is answered so at
/// once; its announcement, parked behind the first's, does not tell its pitcher again by DM.
#[tokio::test]
async fn a_second_pitch_where_the_bot_waits_to_be_invited_is_told_once() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;
    next_post_is_in_a_private_channel(&app);
    let a = app.slash("U0ANN", "C0PRIVATE", "pitch Quiet please").await;
    assert!(a.said().contains("invite"), "{}", a.said());
    app.outbox_settled().await;
    app.marker_posted().await;
    let dms = dms_to(&app, "U0ANN");
    assert!(dms.is_empty(), "told again: {dms:?}");
}

/// A join while the announcement waits for an invitation that may never come: the pitcher
/// hears of it at once, and not a second time when the invitation comes and the line goes
/// in the thread.
#[tokio::test]
async fn a_join_waiting_with_a_parked_announcement_is_told_to_the_pitcher_once() {
    let app = spawn_app().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.outbox_settled().await;
    let a = app.slash("U0ALICE", "C0OTHER", "join 1").await;
    assert!(a.said().contains("in the team"), "{}", a.said());
    app.outbox_settled().await;
    eventually("the pitcher told of the join", SHORT, || {
        dms_to(&app, "U0PITCHER")
            .iter()
            .any(|t| t.contains("<@U0ALICE>"))
            .then_some(())
    })
    .await;
    assert_eq!(
        posts_in(&app, "C0PRIVATE"),
        1,
        "only the announcement tried"
    );

    assert_eq!(
        app.event(&bot_joined("EvJoin1", "C0PRIVATE")).await.status,
        200
    );
    let posts = app.slack.wait_for("chat.postMessage", 5, SHORT).await;
    let announcement = posts[3].ts().unwrap();
    assert!(message_text(&posts[3].body).contains("#1: Hush hush"));
    assert_eq!(
        posts[4].body["thread_ts"], announcement,
        "in the pitch's thread"
    );
    assert!(message_text(&posts[4].body).contains("<@U0ALICE>"));
    app.outbox_settled().await;
    let told: Vec<String> = dms_to(&app, "U0PITCHER")
        .into_iter()
        .filter(|t| t.contains("<@U0ALICE>"))
        .collect();
    assert_eq!(told.len(), 1, "told once: {told:?}");
}

/// A join's line that cannot be posted for good (its channel archived since the pitch) still
/// tells the pitcher.
#[tokio::test]
async fn a_join_line_refused_for_good_is_still_told_to_the_pitcher() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C0GONE", "pitch Old news").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
    app.slack
        .script("chat.postMessage", Script::Error("is_archived"));
    app.slash("U0ALICE", "C0OTHER", "join 1").await;
    app.outbox_settled().await;
    let posts = app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    assert_eq!(posts[1].body["channel"], "C0GONE", "the join line, refused");
    assert_eq!(posts[2].body["channel"], "U0PITCHER");
    assert!(message_text(&posts[2].body).contains("<@U0ALICE>"));
}

/// What was posted in channels since the `before`th post, not in DMs: a command's answer
/// goes to its asker's DM when it was worked out after Slack stopped waiting (on a loaded
/// machine).
fn channel_posts(app: &TestApp, before: usize) -> Vec<String> {
    app.slack.calls("chat.postMessage")[before..]
        .iter()
        .filter(|c| {
            c.body["channel"]
                .as_str()
                .is_some_and(|to| to.starts_with('C'))
        })
        .map(|c| message_text(&c.body))
        .collect()
}

/// Someone who joins and leaves again before their join's line is posted is not said to have
/// joined: neither while Slack is down (the line owed), nor in a private channel the bot is
/// not yet in (the line parked with its announcement).
#[tokio::test]
async fn a_join_taken_back_before_its_line_is_posted_is_not_posted() {
    let app = spawn_app().await;
    // Slack slow to take the announcement, held until she has joined and left: the join's
    // line waits behind it. (Held 3 s, as it was, a join and leave slower than that on a
    // loaded machine came after the announcement, and her line went out before her leave,
    // rightly.)
    app.slack.script("chat.postMessage", Script::Held);
    app.slash("U0PITCHER", "C0SLOW", "pitch Slack is slow")
        .await;
    app.slash("U0ALICE", "C0OTHER", "join 1").await;
    let a = app.slash("U0ALICE", "C0OTHER", "leave 1").await;
    assert!(a.said().contains("left"), "{}", a.said());
    app.slack.release("chat.postMessage");
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.outbox_settled().await;
    let posts = channel_posts(&app, 0);
    assert_eq!(posts.len(), 1, "the announcement alone: {posts:?}");

    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.slash("U0BOB", "C0OTHER", "join 2").await;
    app.outbox_settled().await;
    app.slash("U0BOB", "C0OTHER", "leave 2").await;
    let before = app.slack.calls("chat.postMessage").len();
    assert_eq!(
        app.event(&bot_joined("EvJoin1", "C0PRIVATE")).await.status,
        200
    );
    let first = eventually("a post in a channel", SHORT, || {
        channel_posts(&app, before).into_iter().next()
    })
    .await;
    assert!(first.contains("#2: Hush hush"), "{first}");
    app.outbox_settled().await;
    let after = channel_posts(&app, before);
    assert_eq!(after.len(), 1, "the announcement alone: {after:?}");

    // The bot removed from a channel after the announcement: the line parks, and is taken
    // back all the same.
    app.slash("U0PITCHER", "C0LATER", "pitch Out of sight")
        .await;
    eventually("announced", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM projects WHERE number = 3 AND announcement_ts IS NOT NULL",
        ) == 1)
            .then_some(())
    })
    .await;
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.slack.script(
        "conversations.join",
        Script::Error("method_not_supported_for_channel_type"),
    );
    app.slash("U0CAROL", "C0OTHER", "join 3").await;
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel'"),
        1,
        "the join's line parked"
    );
    app.slash("U0CAROL", "C0OTHER", "leave 3").await;
    let before = app.slack.calls("chat.postMessage").len();
    assert_eq!(
        app.event(&bot_joined("EvJoin2", "C0LATER")).await.status,
        200
    );
    app.outbox_settled().await;
    let later = channel_posts(&app, before);
    assert!(later.is_empty(), "nothing after the invitation: {later:?}");
}

/// A join taken back while the worker is busy with another channel's post in the same pass:
/// the pass read the join's line before the leave, and posted it anyway ("Alice joined the
/// team" in a thread she had left). It reads each row again just before posting it.
#[tokio::test]
async fn a_join_taken_back_while_the_pass_posts_elsewhere_is_not_posted() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0PITCHER", "C0AAA", "Bins").await;
    pitch_and_wait(&app, "U0PITCHER", "C0BBB", "Parking").await;
    pitch_and_wait(&app, "U0PITCHER", "C0CCC", "Libraries").await;
    app.outbox_settled().await;
    // A 429 holds the workspace for 2 s, so the next two lines are in one pass, walked from
    // the channel after the one that met it: C0AAA's first, held at Slack until she has
    // left, then C0BBB's. (Held 3 s, as it was, a leave slower than that on a loaded machine
    // came after the pass had posted her line, rightly.)
    app.slack.script("chat.postMessage", Script::RateLimited(2));
    app.slack.script("chat.postMessage", Script::Held);
    let before = app.slack.calls("chat.postMessage").len();
    app.slash("U0PITCHER", "C0CCC", "update 3 Opening hours")
        .await;
    app.slack
        .wait_for("chat.postMessage", before + 1, SHORT)
        .await;
    app.slash("U0PITCHER", "C0AAA", "update 1 Prototype is up")
        .await;
    app.slash("U0ALICE", "C0BBB", "join 2").await;
    eventually("a post held at Slack", SHORT, || {
        (app.slack.held("chat.postMessage") == 1).then_some(())
    })
    .await;
    let a = app.slash("U0ALICE", "C0BBB", "leave 2").await;
    assert!(a.said().contains("left"), "{}", a.said());
    app.slack.release("chat.postMessage");
    app.outbox_settled().await;
    let posted: Vec<String> = app.slack.calls("chat.postMessage")[before..]
        .iter()
        .map(|c| message_text(&c.body))
        .collect();
    assert!(
        posted.iter().any(|p| p.contains("Prototype is up")),
        "the slow post went out: {posted:?}"
    );
    assert!(
        !posted.iter().any(|p| p.contains("joined")),
        "the join taken back was posted: {posted:?}"
    );
}

/// The thread's lines in `channel` posted since the `before`th post.
fn thread_lines(app: &TestApp, channel: &str, before: usize) -> Vec<String> {
    app.slack.calls("chat.postMessage")[before..]
        .iter()
        .filter(|c| c.body["channel"] == channel && c.body["thread_ts"].is_string())
        .map(|c| message_text(&c.body))
        .collect()
}

/// The lead's notes of joins (a DM, by their id) posted since the `before`th post. Not the
/// answers to their own commands, which go to the same DM when they were worked out after
/// Slack stopped waiting (on a loaded machine).
fn notes_to(app: &TestApp, lead: &str, before: usize) -> Vec<String> {
    app.slack.calls("chat.postMessage")[before..]
        .iter()
        .filter(|c| c.body["channel"] == lead)
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains("joined your project"))
        .collect()
}

/// Holds Slack's next post at Slack, unanswered until [`release_post`], and waits until the
/// worker has sent it: what the test does next happens while it is there, however slowly the
/// machine runs it. (Held for 3 s, as it was, a command that took longer on a loaded machine
/// came after the post, and the test saw another story, told rightly.)
async fn next_post_held_at_slack(app: &TestApp, send: impl std::future::Future) {
    app.slack.script("chat.postMessage", Script::Held);
    send.await;
    eventually("the line at Slack", SHORT, || {
        (app.slack.held("chat.postMessage") == 1).then_some(())
    })
    .await;
}

/// Lets the post [`next_post_held_at_slack`] holds be answered.
fn release_post(app: &TestApp) {
    app.slack.release("chat.postMessage");
}

/// A join's line already at Slack when its person leaves (a reaction taken off) is posted
/// all the same, and stands: joining again soon after is not said a second time, nor the
/// lead told twice. Joined again while it was still at Slack, the line queued for that is
/// not posted too.
#[tokio::test]
async fn a_join_line_at_slack_when_its_person_leaves_stands() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0PITCHER", "C0AAA", "Bins").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postMessage").len();
    next_post_held_at_slack(&app, app.slash("U0ALICE", "C0AAA", "join 1")).await;
    let a = app.slash("U0ALICE", "C0AAA", "leave 1").await;
    assert!(a.said().contains("left"), "{}", a.said());
    release_post(&app);
    app.slack
        .wait_for("chat.postMessage", before + 1, SHORT)
        .await;
    app.outbox_settled().await;
    let a = app.slash("U0ALICE", "C0AAA", "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    app.outbox_settled().await;
    app.marker_posted().await;
    let lines = thread_lines(&app, "C0AAA", before);
    assert_eq!(lines.len(), 1, "said once that she joined: {lines:?}");
    assert!(lines[0].contains("U0ALICE"), "{lines:?}");
    let told = notes_to(&app, "U0PITCHER", before);
    assert_eq!(told.len(), 1, "the lead told of her join, once: {told:?}");

    // Bob joins, leaves and joins again, all while his line is at Slack.
    let before = app.slack.calls("chat.postMessage").len();
    next_post_held_at_slack(&app, app.slash("U0BOB", "C0AAA", "join 1")).await;
    app.slash("U0BOB", "C0AAA", "leave 1").await;
    let a = app.slash("U0BOB", "C0AAA", "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    release_post(&app);
    app.slack
        .wait_for("chat.postMessage", before + 1, SHORT)
        .await;
    app.outbox_settled().await;
    app.marker_posted().await;
    let lines = thread_lines(&app, "C0AAA", before);
    assert_eq!(lines.len(), 1, "said once that he joined: {lines:?}");
    let told = notes_to(&app, "U0PITCHER", before);
    assert_eq!(told.len(), 1, "the lead told once: {told:?}");
    assert!(told[0].contains("U0BOB"), "{told:?}");
}

/// A lead who takes someone off the team while the line saying they joined is at Slack
/// hears of it should they join again, and the thread is told: the line that went out was
/// not the member's own quiet leave's to keep.
#[tokio::test]
async fn a_join_line_at_slack_when_the_lead_removes_its_person_does_not_stand() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0PITCHER", "C0AAA", "Bins").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postMessage").len();
    next_post_held_at_slack(&app, app.slash("U0ALICE", "C0AAA", "join 1")).await;
    let a = app.slash("U0PITCHER", "C0AAA", "remove 1 <@U0ALICE>").await;
    assert!(a.said().contains("U0ALICE"), "{}", a.said());
    release_post(&app);
    app.slack
        .wait_for("chat.postMessage", before + 1, SHORT)
        .await;
    app.outbox_settled().await;
    let a = app.slash("U0ALICE", "C0AAA", "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    app.outbox_settled().await;
    app.marker_posted().await;
    let lines = thread_lines(&app, "C0AAA", before);
    assert_eq!(lines.len(), 2, "her join again is news: {lines:?}");
    let told = notes_to(&app, "U0PITCHER", before);
    assert_eq!(told.len(), 1, "the lead told of her join again: {told:?}");
}

/// A lead who leaves and comes back while the line saying they left is at Slack: the line
/// went out, so the thread is told they lead it again (it said anyone could take the lead).
#[tokio::test]
async fn a_lead_back_while_their_leaving_line_is_at_slack_is_said_to_be_back() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0PITCHER", "C0AAA", "Bins").await;
    app.slash("U0ALICE", "C0AAA", "join 1").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postMessage").len();
    next_post_held_at_slack(&app, app.slash("U0PITCHER", "C0AAA", "leave 1")).await;
    let a = app.slash("U0PITCHER", "C0AAA", "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    release_post(&app);
    // The line saying they are back is queued only when the worker records Slack's answer to
    // the leaving line, whose row the join took back: until then nothing is owed, so
    // `outbox_settled` does not wait for it, nor does the marker (queued first, or its
    // channel first in the worker's next walk, it can go out before the line). Waited for
    // at the fake instead; then nothing more.
    eventually("the thread told they lead it again", SHORT, || {
        (thread_lines(&app, "C0AAA", before).len() >= 2).then_some(())
    })
    .await;
    app.outbox_settled().await;
    app.marker_posted().await;
    let lines = thread_lines(&app, "C0AAA", before);
    assert_eq!(lines.len(), 2, "left, then back: {lines:?}");
    assert!(lines[0].contains("take the lead"), "{lines:?}");
    assert!(lines[1].contains("leads it again"), "{lines:?}");
}

/// Join lines that waited for Slack say the team as it is once someone has left since: Bob
/// and Carol join while Slack is down, Bob leaves, and Carol's line does not say "3 people"
/// of a team of 2 (nor does the lead's note of her join).
#[tokio::test]
async fn a_join_line_that_waited_does_not_count_people_who_have_left() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0PITCHER", "C0WAIT", "Bins").await;
    app.outbox_settled().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.slash("U0BOB", "C0WAIT", "join 1").await;
    app.slash("U0CAROL", "C0WAIT", "join 1").await;
    app.slash("U0BOB", "C0WAIT", "leave 1").await;
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    app.slash("U1", "C0WAKE", "digest off").await;
    app.outbox_settled().await;
    let posted: Vec<(String, String)> = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["_answered_ok"] == true)
        .map(|c| {
            (
                c.body["channel"].as_str().unwrap_or_default().to_string(),
                message_text(&c.body),
            )
        })
        .collect();
    let line = posted
        .iter()
        .find(|(_, t)| t.contains("<@U0CAROL> joined the team"))
        .map(|(_, t)| t.clone())
        .expect("Carol's line");
    assert!(line.contains("2 people"), "{line}");
    let note = posted
        .iter()
        .find(|(to, t)| to == "U0PITCHER" && t.contains("U0CAROL"))
        .map(|(_, t)| t.clone())
        .expect("the lead's note");
    assert!(note.contains("The team is now 2 people"), "{note}");
}

/// An announcement Slack refuses for good (posting in the channel restricted to admins):
/// the pitcher, who was answered "pitched", hears that it has no thread, and what still
/// works.
#[tokio::test]
async fn an_announcement_refused_for_good_is_told_to_the_pitcher() {
    let app = spawn_app().await;
    app.slack
        .script("chat.postMessage", Script::Error("restricted_action"));
    let a = app.slash("U0PITCHER", "C0ADMINS", "pitch Locked out").await;
    assert!(a.text().contains("#1"), "{}", a.text());
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(posts[1].body["channel"], "U0PITCHER");
    let dm = message_text(&posts[1].body);
    assert!(
        dm.contains("could not post its announcement in <#C0ADMINS>")
            && dm.contains("posting there is restricted")
            && dm.contains("`/makers join 1`"),
        "{dm}"
    );
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 2, "told once");

    // Not when the token is refused: that is no refusal of the announcement, which waits
    // for the token to work (here, at the next try) and goes out.
    app.slack
        .script("chat.postMessage", Script::Error("token_revoked"));
    app.slash("U0PITCHER", "C0ADMINS", "pitch Locked out again")
        .await;
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 4, "no note");
    assert_eq!(posts[3].body["channel"], "C0ADMINS");
    assert_eq!(posts[3].body["_answered_ok"], true);

    // Nor when Slack refuses every post to the workspace (an install without `chat:write`,
    // admins suspending posting): the announcement waits as for a refused token, and goes
    // out once the workspace takes posts again. (It was failed, and its pitcher sent a note
    // that was refused too.)
    for code in ["missing_scope", "ekm_access_denied"] {
        let before = app.slack.calls("chat.postMessage").len();
        app.slack.script("chat.postMessage", Script::Error(code));
        app.slash("U0PITCHER", "C0ADMINS", &format!("pitch Held by {code}"))
            .await;
        app.outbox_settled().await;
        let posts = app.slack.calls("chat.postMessage");
        assert_eq!(
            posts.len(),
            before + 2,
            "{code}: tried, then posted, no note"
        );
        assert_eq!(posts[before].body["channel"], "C0ADMINS");
        assert_eq!(posts[before + 1].body["channel"], "C0ADMINS");
        assert_eq!(posts[before + 1].body["_answered_ok"], true, "{code}");
    }
}

/// An install without `channels:join` (`missing_scope` from `conversations.join`) leaves an
/// announcement in a public channel the bot is not in to wait for an invitation, its pitcher
/// told how; it does not hold the workspace's other posts as a refusal of every post would.
#[tokio::test]
async fn a_join_refused_for_a_missing_scope_waits_for_an_invitation() {
    let app = spawn_app().await;
    app.slack.bot_in_no_channel();
    app.slack
        .always("conversations.join", Script::Error("missing_scope"));
    app.slash("U0PITCHER", "C0PUBLIC", "pitch Bin day finder")
        .await;
    let told = eventually("the pitcher told", SHORT, || {
        posted_to(&app.slack, "U0PITCHER").into_iter().next()
    })
    .await;
    assert!(
        told.contains(
            "could not post its announcement in <#C0PUBLIC> because I am not a member there"
        ),
        "{told}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel' AND failed_at IS NOT NULL"),
        1,
        "set aside for an invitation"
    );
}

/// An announcement row that no longer reads (one a newer build stored, after a rollback) is
/// failed alone and never posted: its project is noted like any whose announcement failed
/// for good, and the answer to a change says there is no thread to tell.
#[tokio::test]
async fn an_unreadable_announcement_leaves_its_project_no_thread_to_promise() {
    let app = spawn_app().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.slash("U0PITCHER", "C0LOST", "pitch Lost in time").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.db()
        .execute(
            r#"UPDATE outbox SET notice = '{"v":9,"notice":{"kind":"announcement","project_id":1}}'"#,
            [],
        )
        .unwrap();
    app.slack.heal("chat.postMessage");
    // Past the retry's backoff; a write wakes the worker, which fails the row as unreadable.
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 3600);
    app.slash("U0PITCHER", "C0LOST", "council Kent County Council")
        .await;
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'stored by a newer build%'"),
        1
    );
    let a = app
        .slash("U0PITCHER", "C0LOST", "update 1 Still here")
        .await;
    assert!(
        a.said().contains("it has no thread to tell"),
        "{}",
        a.said()
    );
}

/// An announcement that can never be posted (its channel archived) takes no thread lines
/// with it into a wait that never ends: they fail at once, posting nothing, and the pitcher
/// still hears of a join. A re-use made meanwhile is such a line too. The answers say there
/// is no thread to tell, rather than promise one.
#[tokio::test]
async fn lines_for_an_announcement_that_failed_for_good_end_and_the_pitcher_hears_of_the_join() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("is_archived"));
    app.slash("U0PITCHER", "C0GONE", "pitch Old news").await;
    app.outbox_settled().await;
    app.slack.heal("chat.postMessage");
    let a = app
        .slash("U0PITCHER", "C0GONE", "update 1 Still going")
        .await;
    assert!(
        a.said().contains(
            "is recorded. Its announcement could not be posted, so it has no thread to tell."
        ),
        "{}",
        a.said()
    );
    app.slash("U0ALICE", "C0OTHER", "join 1").await;
    app.slash("U0BOB", "C0OTHER", "council Kent County Council")
        .await;
    let a = app.slash("U0BOB", "C0OTHER", "reuse 1").await;
    assert!(
        a.said().contains("Recorded: Kent County Council re-uses"),
        "{}",
        a.said()
    );
    assert!(
        a.said().contains("it has no thread to tell"),
        "{}",
        a.said()
    );
    app.outbox_settled().await;

    let never = app.count(
        "SELECT COUNT(*) FROM outbox
         WHERE failed_at IS NOT NULL AND last_error = 'its announcement was never posted'",
    );
    // Only the join's line is queued (its pitcher is told of the join): the update's and
    // the re-use's answers said there is no thread, and nothing more is to be done with them.
    assert_eq!(never, 1, "the join's line");
    assert_eq!(
        posts_in(&app, "C0GONE"),
        1,
        "only the announcement was tried there"
    );
    let dms: Vec<String> = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == "U0PITCHER")
        .map(|c| message_text(&c.body))
        .collect();
    assert!(
        dms.iter().any(|t| t.contains("<@U0ALICE>")),
        "the pitcher hears of the join: {dms:?}"
    );
    // Not told again, in their messages, that their update could not be posted in a thread
    // its answer said there is not (it was).
    assert!(
        !dms.iter().any(|t| t.contains("could not post your update")),
        "{dms:?}"
    );
}

#[tokio::test]
async fn an_announcement_not_yet_delivered_survives_a_restart() {
    let app = spawn_app().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.slash("U1", "C1", "pitch Survivor").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let (db, _old_slack, dir) = app.stop().await;
    assert_eq!(
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        1
    );

    // A new process on the same database, and Slack is back.
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let posts = app
        .slack
        .wait_for("chat.postMessage", 1, Duration::from_secs(10))
        .await;
    assert!(message_text(&posts[0].body).contains("#1: Survivor"));
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
    drop(dir);
}

#[tokio::test]
async fn a_post_whose_effects_cannot_be_recorded_is_never_posted_twice() {
    let app = spawn_app().await;
    // Two announcements in one channel given the same ts: the second cannot be recorded as
    // that project's announcement (the first owns it). It is in Slack all the same.
    app.slack
        .script("chat.postMessage", Script::OkWithTs("1700000000.999999"));
    app.slack
        .script("chat.postMessage", Script::OkWithTs("1700000000.999999"));
    app.slash("U1", "C1", "pitch One").await;
    app.slash("U1", "C1", "pitch Two").await;
    app.slash("U1", "C1", "pitch Three").await;
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"),
        0,
        "every post recorded as delivered, none left to retry"
    );
    app.marker_posted().await;
    assert_eq!(posts_in(&app, "C1"), 3, "no post repeated, none held up");
}

#[tokio::test]
async fn a_busy_channel_does_not_hold_up_another() {
    let app = spawn_app().await;
    // Four pitches in one channel, then one in another, all queued at once.
    for i in 0..4 {
        app.slash("U0PITCHER", "C0BUSY", &format!("pitch Busy project {i}"))
            .await;
    }
    app.slash("U0PITCHER", "C0QUIET", "pitch Quiet project")
        .await;
    // From when the quiet post is queued: the commands before it take their time on a
    // loaded machine, while the busy channel's first posts go out.
    let queued = std::time::Instant::now();
    app.slack
        .wait_for("chat.postMessage", 5, Duration::from_secs(15))
        .await;
    let posts = app.slack.calls("chat.postMessage");
    let busy: Vec<_> = posts
        .iter()
        .filter(|c| c.body["channel"] == "C0BUSY")
        .collect();
    let quiet = posts
        .iter()
        .find(|c| c.body["channel"] == "C0QUIET")
        .expect("the quiet channel's post");
    // Busy is paced a post a second; the quiet channel's post does not wait behind it: at
    // most the busy channel's next turn comes first.
    let ahead = busy
        .iter()
        .filter(|c| c.received > queued && c.received < quiet.received)
        .count();
    assert!(
        ahead <= 1,
        "the quiet channel waited behind {ahead} of the busy one's posts"
    );
    // And the busy channel is still paced.
    let gap = busy[3].received.duration_since(busy[2].received);
    assert!(gap >= Duration::from_millis(900), "{gap:?}");
}

/// One channel id with posts owed by two workspaces (a Slack Connect channel both have the
/// bot in; a Grid person's DMs from both) is one channel to pace: its second post waits its
/// second, passed over, while the pass goes on to the other channels. It was waited for in
/// the pass, and every channel after it in the pass waited with it.
#[tokio::test]
async fn a_channel_owed_posts_by_two_workspaces_does_not_hold_up_the_others() {
    let app = spawn_app().await;
    let (db, slack, dir) = app.stop().await;
    // Walked in (team, channel) order: both of the shared channel's heads, then the other.
    let update = r#"{"kind":"update","number":3,"author":"U7","text":"Prototype is up"}"#;
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (team, channel) in [("T0A", "C0SHARED"), ("T0B", "C0SHARED"), ("T0C", "C0OTHER")] {
        conn.execute(
            "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at,
                                 created_at)
             VALUES (?1, ?2, '1700000000.000100', ?3, 0, 0)",
            [team, channel, update],
        )
        .unwrap();
    }
    drop(conn);
    let app = spawn_app_on(&db, slack).await;
    let posts = app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    let shared: Vec<_> = posts
        .iter()
        .filter(|c| c.body["channel"] == "C0SHARED")
        .collect();
    let other = posts
        .iter()
        .find(|c| c.body["channel"] == "C0OTHER")
        .expect("the other channel's post");
    assert_eq!(shared.len(), 2);
    let after_first = other.received.duration_since(shared[0].received);
    assert!(
        other.received < shared[1].received && after_first < Duration::from_millis(900),
        "the other channel waited {after_first:?} for the shared one's second"
    );
    // The shared channel is still paced, and its second post comes when its second is up.
    let gap = shared[1].received.duration_since(shared[0].received);
    assert!(
        (Duration::from_millis(900)..Duration::from_secs(3)).contains(&gap),
        "{gap:?}"
    );
    drop(dir);
}

/// A channel id owed posts by two workspaces takes the two in turn: the head passed over
/// for its second goes first once the channel is free. Each pass began at the same place, so
/// the one passed over was passed over again, and waited for the other's whole backlog.
#[tokio::test]
async fn a_channel_owed_posts_by_two_workspaces_serves_them_in_turn() {
    let app = spawn_app().await;
    let (db, slack, dir) = app.stop().await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows = std::iter::repeat_n("T0A", 5).chain(["T0B"]);
    for (i, team) in rows.enumerate() {
        let update =
            format!(r#"{{"kind":"update","number":3,"author":"U7","text":"Line {i} of {team}"}}"#);
        conn.execute(
            "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at,
                                 created_at)
             VALUES (?1, 'C0SHARED', '1700000000.000100', ?2, 0, 0)",
            [team, &update],
        )
        .unwrap();
    }
    drop(conn);
    let app = spawn_app_on(&db, slack).await;
    let posts = app
        .slack
        .wait_for("chat.postMessage", 6, Duration::from_secs(15))
        .await;
    let texts: Vec<String> = posts.iter().map(|c| message_text(&c.body)).collect();
    let b = texts
        .iter()
        .position(|t| t.contains("of T0B"))
        .expect("T0B's post");
    let after_first = posts[b].received.duration_since(posts[0].received);
    assert!(
        b < 2 && after_first < Duration::from_millis(2500),
        "T0B's post was number {} of 6, {after_first:?} after the first",
        b + 1
    );
    // T0A's own posts keep their order.
    let a: Vec<&String> = texts.iter().filter(|t| t.contains("of T0A")).collect();
    for (i, text) in a.iter().enumerate() {
        assert!(text.contains(&format!("Line {i} of T0A")), "{a:?}");
    }
    drop(dir);
}

/// More posts queued in one channel than a pass takes (20) do not starve another channel, and
/// a channel's posts still go out in the order they were queued.
#[tokio::test]
async fn a_flood_past_one_pass_does_not_starve_another_channel() {
    let app = spawn_app().await;
    for i in 0..30 {
        app.slash("U0PITCHER", "C0FLOOD", &format!("pitch Flood project {i}"))
            .await;
    }
    app.slash("U0PITCHER", "C0QUIET", "pitch Quiet project")
        .await;
    // From when the quiet post is queued (its command's own time is not the worker's).
    let queued = std::time::Instant::now();
    let quiet_posted = || posts_in(&app, "C0QUIET") == 1;
    eventually("the quiet channel's post", SHORT, || {
        quiet_posted().then_some(())
    })
    .await;
    let posts = app.slack.calls("chat.postMessage");
    let quiet = posts
        .iter()
        .find(|c| c.body["channel"] == "C0QUIET")
        .unwrap();
    let flood: Vec<_> = posts
        .iter()
        .filter(|c| c.body["channel"] == "C0FLOOD")
        .collect();
    // The flood posts a post a second: at most its next turn comes before the quiet post.
    let ahead = flood
        .iter()
        .filter(|c| c.received > queued && c.received < quiet.received)
        .count();
    assert!(
        ahead <= 1,
        "the quiet channel waited for {ahead} of the flood's posts"
    );
    for (i, call) in flood.iter().enumerate() {
        let text = message_text(&call.body);
        assert!(
            text.contains(&format!("Flood project {i}")),
            "post {i} in order: {text}"
        );
    }
}

/// Slack's answer to a post is read for `ok` and the new message's `ts` alone: an answer
/// without the fields the bot does not use (`channel`, `message`) is a post made, recorded
/// once. Read strictly, it was taken for a transient failure and the announcement was posted
/// again and again, its ts never recorded, so reacting to it joined nobody.
#[tokio::test]
async fn a_post_slack_answers_briefly_is_made_once_and_its_ts_kept() {
    let app = spawn_app().await;
    app.slack.always("chat.postMessage", Script::OkBare);
    app.slack.always("chat.postEphemeral", Script::OkBare);
    app.slash("U0PITCHER", "C0MAKERS", "pitch Grit bin sensors")
        .await;
    app.outbox_settled().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 1, "{posts:?}");
    let ts: String = app
        .db()
        .query_row("SELECT announcement_ts FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(posts[0].body["_ts"], ts.as_str());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL"),
        1
    );
}

/// A DM (or a private answer) Slack refuses as `channel_not_found` is not parked for an
/// invitation that will never come for it: failed with the reason, while the announcement
/// in a channel still waits for its invite.
#[tokio::test]
async fn a_dm_that_cannot_be_posted_is_not_parked_for_an_invitation() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("channel_not_found"));
    app.slack.script(
        "conversations.join",
        Script::Error("method_not_supported_for_channel_type"),
    );
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    // The announcement, then the DM telling the pitcher how to invite the bot: both refused.
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    app.outbox_settled().await;
    let waiting = "SELECT channel_id FROM outbox WHERE last_error = 'not_in_channel' AND failed_at IS NOT NULL";
    let db = app.db();
    let parked: Vec<String> = db
        .prepare(waiting)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(parked, ["C0PRIVATE"], "only the channel's post waits");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE channel_id = 'U0PITCHER'
             AND last_error = 'channel_not_found; not kept for an invitation'"
        ),
        1
    );
}

/// A 200 that is not Slack's JSON (a proxy's page) is no sign Slack took the post: it is
/// tried again, and posted once Slack answers.
#[tokio::test]
async fn a_page_that_is_not_slacks_answer_is_not_taken_for_a_post() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::NotJson);
    app.slash("U0PITCHER", "C0MAKERS", "pitch Grit bin sensors")
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert_eq!(posts[1].body["channel"], "C0MAKERS");
    eventually("the announcement recorded", SHORT, || {
        let ts: Option<String> = app
            .db()
            .query_row("SELECT announcement_ts FROM projects", [], |r| r.get(0))
            .unwrap();
        (ts.as_deref() == posts[1].body["_ts"].as_str()).then_some(())
    })
    .await;
}

/// The same for a private answer (`chat.postEphemeral`, read for `ok` alone).
#[tokio::test]
async fn a_private_answer_met_by_a_page_not_slacks_is_tried_again() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Parking").await;
    app.slack.script("chat.postEphemeral", Script::NotJson);
    app.interact(&crate::buttons_and_councils::press(
        "U0BOB",
        "join_project",
        "1",
        &ts,
    ))
    .await;
    app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    eventually("the answer recorded as delivered", SHORT, || {
        let owed = app
            .count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL");
        (owed == 0).then_some(())
    })
    .await;
}

/// `makers-bot digest --now` run as an operator would, on `db` beside a stopped bot.
fn digest_now(
    dir: &std::path::Path,
    db: &std::path::Path,
    slack_url: &str,
) -> std::process::Output {
    crate::binary::bot(dir)
        .args(["digest", "--now"])
        .env("MAKERS_DB", db)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", slack_url)
        .output()
        .unwrap()
}

/// `makers-bot digest --now` honours a 429 for the whole workspace, as the server does: the
/// other channels' digests wait Slack's `Retry-After` too, not only the one refused.
// Multi-threaded: the fake Slack must answer while this test waits for the child process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_now_holds_the_whole_workspace_after_a_429() {
    let app = spawn_app().await;
    for channel in ["C0DIGONE", "C0DIGTWO", "C0DIGTRI"] {
        app.slash("U1", channel, "digest").await;
    }
    let (db, slack, dir) = app.stop().await;
    slack.script("chat.postMessage", Script::RateLimited(2));
    let out = digest_now(dir.as_ref().unwrap().path(), &db, &slack.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let posts = slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 4, "one refused, then three: {posts:?}");
    let refused = posts[0].at;
    for post in &posts[1..] {
        assert!(
            post.received.duration_since(refused) >= Duration::from_millis(1900),
            "posted {:?} after the 429",
            post.received.duration_since(refused)
        );
    }
}

/// `makers-bot digest --now` queues a channel's digest a write: one failing part way (a
/// lock held past the busy timeout, a full disk: here a trigger refusing the last channel's
/// row) leaves those queued before it to this process, which posts them, and says which
/// were not queued, exiting 1. (They were left held for it unposted, and with no server
/// running, until one started.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_now_stopped_part_way_posts_those_it_queued_and_says_so() {
    let app = spawn_app().await;
    for channel in ["C0DIGONE", "C0DIGTWO", "C0DIGZZZ"] {
        app.slash("U1", channel, "digest").await;
    }
    let (db, slack, dir) = app.stop().await;
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse_last BEFORE INSERT ON outbox
               WHEN NEW.channel_id = 'C0DIGZZZ'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let out = digest_now(dir.as_ref().unwrap().path(), &db, &slack.url);
    let (said, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{said}{err}");
    assert!(
        said.contains("posted 2 digest(s); 0 could not be posted yet"),
        "{said}{err}"
    );
    assert!(
        err.contains("the other channels' digests could not be queued")
            && err.contains("database or disk is full"),
        "{err}"
    );
    let mut posted: Vec<String> = slack
        .calls("chat.postMessage")
        .iter()
        .map(|c| c.body["channel"].as_str().unwrap_or_default().to_string())
        .collect();
    posted.sort();
    assert_eq!(posted, ["C0DIGONE", "C0DIGTWO"]);
}

/// An update whose line Slack will not post in the pitch's thread was answered "posted in its
/// thread": its author is told privately, once, what became of it. Refused for good (the
/// channel archived since the pitch), and waiting for the bot to be invited back (removed
/// from a private channel), when the invitation posts it and tells them nothing more.
#[tokio::test]
async fn an_update_slack_will_not_post_in_the_thread_is_told_to_its_author() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C0GONE", "pitch Old news").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    eventually("the announcement recorded", SHORT, || {
        announced(&app).then_some(())
    })
    .await;
    app.slack
        .script("chat.postMessage", Script::Error("is_archived"));
    let a = app
        .slash("U0PITCHER", "C0OTHER", "update 1 Prototype is up")
        .await;
    assert!(a.said().contains("recorded"), "{}", a.said());
    app.outbox_settled().await;
    let posts = app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    assert_eq!(
        posts[1].body["channel"], "C0GONE",
        "the update's line, refused"
    );
    assert_eq!(posts[2].body["channel"], "U0PITCHER");
    assert_eq!(
        fallback_text(&posts[2].body),
        "Project #1: I could not post your update in its thread (the channel is archived). It is recorded, and `/makers show 1`, search and the digest show it."
    );

    // The bot taken out of a private channel: the line waits, its author told how to post it.
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Hush hush").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postMessage").len();
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0OTHER", "update 2 Research booked")
        .await;
    app.outbox_settled().await;
    let posts = app
        .slack
        .wait_for("chat.postMessage", before + 2, SHORT)
        .await;
    assert_eq!(posts[before + 1].body["channel"], "U0PITCHER");
    assert_eq!(
        fallback_text(&posts[before + 1].body),
        "Project #2: your update waits, as I am no longer a member of <#C0PRIVATE>, where its thread is. Invite me (type `/invite @Makers` in that channel) and I will post it there. It is recorded, and `/makers show 2`, search and the digest show it."
    );
    // Invited, and out again before the line went: it waits again, its author not told twice.
    next_post_is_in_a_private_channel(&app);
    assert_eq!(
        app.event(&bot_joined("EvBack1", "C0PRIVATE")).await.status,
        200
    );
    app.outbox_settled().await;
    let parked = "SELECT COUNT(*) FROM outbox WHERE channel_id = 'C0PRIVATE'
                  AND last_error = 'not_in_channel' AND failed_at IS NOT NULL";
    eventually("parked again", SHORT, || {
        (app.count(parked) == 1).then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), before + 3);
    assert_eq!(
        app.event(&bot_joined("EvBack2", "C0PRIVATE")).await.status,
        200
    );
    let posts = app
        .slack
        .wait_for("chat.postMessage", before + 4, SHORT)
        .await;
    assert!(
        message_text(&posts[before + 3].body).contains("Research booked"),
        "posted on the invitation"
    );
    app.outbox_settled().await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        before + 4,
        "nothing more told"
    );
}

/// An author told their line waits for the bot to be invited back is told again if, once
/// invited, Slack refuses it for good; and a line that waited for its announcement, which
/// Slack then refused, is told to its author too (their answer said it would go in the
/// thread once the pitch was announced).
#[tokio::test]
async fn an_update_that_waited_and_then_was_refused_is_told_to_its_author() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C0PRIV", "pitch Hush hush").await;
    app.outbox_settled().await;
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0OTHER", "update 1 Research booked")
        .await;
    app.outbox_settled().await;
    let told = |n: u32| {
        dms_to(&app, "U0PITCHER")
            .into_iter()
            .filter(|t| t.starts_with(&format!("Project #{n}: ")) && t.contains("your update"))
            .collect::<Vec<_>>()
    };
    eventually("told it waits", SHORT, || {
        (told(1).len() == 1).then_some(())
    })
    .await;
    app.slack
        .script("chat.postMessage", Script::Error("is_archived"));
    app.event(&bot_joined("EvBackA", "C0PRIV")).await;
    app.outbox_settled().await;
    let t = eventually("told it was refused", SHORT, || {
        (told(1).len() == 2).then(|| told(1)[1].clone())
    })
    .await;
    assert!(t.contains("(the channel is archived)"), "{t}");

    // Pitched where the bot is not yet invited; an update waits with the announcement; the
    // invitation comes, and Slack refuses the announcement.
    next_post_is_in_a_private_channel(&app);
    app.slash("U0PITCHER", "C0LATER", "pitch Later on").await;
    app.outbox_settled().await;
    let a = app
        .slash("U0PITCHER", "C0OTHER", "update 2 Kick-off booked")
        .await;
    assert!(
        a.said()
            .contains("goes in its thread once the pitch is announced"),
        "{}",
        a.said()
    );
    app.slack
        .script("chat.postMessage", Script::Error("restricted_action"));
    app.event(&bot_joined("EvBackB", "C0LATER")).await;
    app.outbox_settled().await;
    let t = eventually("the author told", SHORT, || told(2).pop()).await;
    assert!(
        t.contains("(its announcement was never posted, so it has no thread)"),
        "{t}"
    );
}

/// A public channel Slack lets the bot join but still says it is not in (or not yet): the
/// announcement is tried again after a while, not at once (which looped as fast as Slack
/// answered, holding the channel's posts behind it), and after three joins it waits for an
/// invitation like one in a private channel. Tries that waited out Slack being down first
/// do not count as joins.
#[tokio::test]
async fn a_channel_joined_that_still_refuses_the_post_is_not_joined_again_and_again() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::Status(503));
    app.slack.script("chat.postMessage", Script::Status(503));
    app.slack
        .always("chat.postMessage", Script::Error("not_in_channel"));
    app.slash("U0PITCHER", "C0ODD", "pitch Joined up").await;
    let parked = "SELECT COUNT(*) FROM outbox WHERE channel_id = 'C0ODD'
                  AND failed_at IS NOT NULL AND last_error = 'not_in_channel'";
    eventually(
        "the announcement waits for an invitation",
        Duration::from_secs(30),
        || (app.count(parked) == 1).then_some(()),
    )
    .await;
    let joins = app.slack.calls("conversations.join");
    assert_eq!(joins.len(), 3, "{joins:?}");
    let posts: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == "C0ODD")
        .collect();
    assert_eq!(
        posts.len(),
        6,
        "two while Slack was down, the first refusal and one after each join"
    );
}

/// A stop while Slack's API hangs does not wait out the worker's round of asking (a new
/// channel's `conversations.info`, then an unknown reactor's `users.info`, each up to 10 s):
/// the call in flight ends, nothing more is asked, and what was not asked about is asked at
/// the next start. It finished the round, past the unit's TimeoutStopSec with a few
/// workspaces, and the bot and Litestream were killed.
#[tokio::test]
async fn a_stop_while_slack_hangs_does_not_wait_out_the_asking() {
    use crate::teams::{CHANNEL, PITCHER, pitched, reaction};
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    eventually("its channel asked about", SHORT, || {
        (app.count(&format!(
            "SELECT COUNT(*) FROM channels WHERE channel_id = '{CHANNEL}' AND private = 0"
        )) == 1)
            .then_some(())
    })
    .await;
    // Slack hangs: the next channel's question is seen to arrive (its script taken), and
    // every question after it hangs as well.
    app.slack.script("conversations.info", Script::Slow(30_000));
    app.slack.always("conversations.info", Script::Slow(30_000));
    app.slack.always("users.info", Script::Slow(30_000));
    app.slash(PITCHER, "C0OTHER01", "pitch Parking permits")
        .await;
    eventually("the new channel asked about", SHORT, || {
        (app.slack.scripts_left("conversations.info") == 0).then_some(())
    })
    .await;
    // The Slack client gives up a call after 10 s: what is left of this one when the stop
    // comes is all a stop may wait for, beside the database's close.
    let asked_at = std::time::Instant::now();
    // Someone not yet known reacts meanwhile: their join waits for `users.info`.
    let joined = app
        .event(&reaction(
            "EvHang1",
            "U0NEWPERSON",
            "raised_hand",
            &ts,
            true,
        ))
        .await;
    assert_eq!(joined.status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 1);

    let clock = app.clock.clone();
    let started = std::time::Instant::now();
    let left_of_the_call = Duration::from_secs(10).saturating_sub(asked_at.elapsed());
    let (db, slack, dir) = app.stop().await;
    let took = started.elapsed();
    // What is left of the call in flight, and the database's close: no new call, each of
    // which would add its 10 s (the reactor's `users.info` did, before). Timed against the
    // call's own end rather than a fixed 12 s, so a slow machine's late stop still passes.
    assert!(
        took < left_of_the_call + Duration::from_secs(5),
        "the stop took {took:?}, {left_of_the_call:?} left of the call in flight"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0NEWPERSON'"),
        1,
        "the reactor not asked about is still to be asked"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM channels WHERE channel_id = 'C0OTHER01'
               AND private IS NULL AND ask_at IS NOT NULL"
        ),
        1,
        "the channel is still to be asked about"
    );
    drop(conn);

    // Slack back, and the bot started again once the channel's wait after the failed call
    // (30 s) is over: both are asked about.
    slack.heal("conversations.info");
    slack.heal("users.info");
    clock.set_timestamp(clock.now().timestamp() + 31);
    let app = spawn_app_with(&db, slack, clock).await;
    let _dir = dir;
    eventually("the reactor asked about and joined", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE m.user_id = 'U0NEWPERSON' AND p.number = 1",
        ) == 1)
            .then_some(())
    })
    .await;
    eventually("the channel asked about", SHORT, || {
        (app.count("SELECT COUNT(*) FROM channels WHERE channel_id = 'C0OTHER01' AND private = 0")
            == 1)
            .then_some(())
    })
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert_eq!(
        app.slack.calls("users.info").len(),
        1,
        "asked once, after the start"
    );
}
