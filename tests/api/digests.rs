//! Weekly digests: subscribing, the schedule across restarts and downtime, content, limits,
//! channels that went away, and the command line.

use crate::helpers::*;

const CHANNEL: &str = "C0DIGEST";

fn digests(app: &TestApp) -> Vec<String> {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == CHANNEL)
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains("Makers digest"))
        .collect()
}

/// Waits until `n` digests have been posted in the channel.
async fn digests_reach(app: &TestApp, n: usize) {
    eventually(&format!("{n} digests in {CHANNEL}"), SHORT, || {
        (digests(app).len() == n).then_some(())
    })
    .await;
}

/// Days from the test clock's now to just past the next Monday 09:00 in London.
pub(crate) fn days_to_next_monday(app: &TestApp) -> i64 {
    use chrono::{Datelike, Timelike};
    let local = app.clock.now().with_timezone(&chrono_tz::Europe::London);
    let ahead = (7 - local.weekday().num_days_from_monday()) % 7;
    // Landing past the next Monday's 09:00 and before the one after: from a Monday before
    // 09:00 that is a day on (a week on passed this Monday's and landed before the next
    // one's, which the test's next days then passed too: a second digest, on Monday
    // mornings only); past 09:00 on a Monday, a week; from any other day, its Tuesday.
    match ahead {
        0 if local.hour() < 9 => 1,
        0 => 7,
        ahead => i64::from(ahead) + 1,
    }
}

/// Slack refusing every post, the next Monday's digest made: it waits in the outbox, its
/// first try refused and recorded, and the test clock stopped, so that no retry comes due
/// until the test moves the clock (one read before the test's next change and reaching the
/// fake Slack after the test heals it would post the words from before that change).
pub(crate) async fn hold_the_next_digest(app: &TestApp) {
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(days_to_next_monday(app));
    app.clock.stop();
    digest_queued(app).await;
    eventually("the digest tried and refused", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL
             AND json_extract(notice, '$.notice.kind') = 'digest'",
        ) == 1)
            .then_some(())
    })
    .await;
}

/// The one digest waiting in the outbox, as stored.
pub(crate) fn queued_digest(app: &TestApp) -> String {
    app.db()
        .query_row(
            "SELECT notice FROM outbox WHERE json_extract(notice, '$.notice.kind') = 'digest'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Waits until one digest is queued in the outbox (Slack down, it waits there).
pub(crate) async fn digest_queued(app: &TestApp) {
    eventually("the digest queued", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM outbox WHERE json_extract(notice, '$.notice.kind') = 'digest'",
        ) == 1)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn digest_subscribes_the_channel_for_monday_nine_by_default() {
    let app = spawn_app().await;
    let a = app.slash("U1", CHANNEL, "digest").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let text = a.text();
    assert!(
        text.contains("every *Monday 09:00* (Europe/London)"),
        "{text}"
    );
    assert!(text.contains("The next one: Monday"), "{text}");
    let (day, minute): (i64, i64) = app
        .db()
        .query_row(
            "SELECT weekday, minute_of_day FROM digest_subscriptions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((day, minute), (1, 540));
}

#[tokio::test]
async fn digest_time_can_change_and_it_can_stop() {
    let app = spawn_app().await;
    let a = app.slash("U1", CHANNEL, "digest fri 16:30").await.text();
    assert!(a.contains("every *Friday 16:30*"), "{a}");
    let a = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(
        a.contains("every *Friday 16:30*"),
        "keeps the time set: {a}"
    );
    for bad in [
        "digest someday 09:00",
        "digest monday 25:00",
        "digest monday",
        "digest monday 9",
    ] {
        let a = app.slash("U1", CHANNEL, bad).await.text();
        assert!(a.contains("as a day and time"), "{bad}: {a}");
    }
    let a = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(a.contains("won't get the weekly digest"), "{a}");
    let a = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(a.contains("wasn't getting the digest"), "{a}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL"),
        0
    );
    let a = app.slash("U1", "D0DM", "digest").await.text();
    assert!(a.contains("Digests are for channels"), "{a}");
}

#[tokio::test]
async fn the_digest_goes_out_when_due_once_even_across_a_restart() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash(
        "U0PITCHER",
        "C0MAKERS",
        "pitch Bin day finder | <!channel> one lookup for all",
    )
    .await;
    app.slash("U0BOB", "C1", "council Guildford BC").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.slash("U0PITCHER", "C1", "update 1 Prototype is up")
        .await;
    app.slash("U0PITCHER", "C1", "phase 1 alpha | research done")
        .await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert!(digests(&app).is_empty(), "not due yet");

    app.clock.advance_days(days_to_next_monday(&app));
    digests_reach(&app, 1).await;
    let text = &digests(&app)[0];
    assert!(
        text.contains("*New pitches*") && text.contains("#1 Bin day finder"),
        "{text}"
    );
    assert!(
        text.contains("https://slack.com/archives/C0MAKERS/p"),
        "links to the pitch: {text}"
    );
    assert!(
        text.contains("@channel one lookup") && !text.contains("<!"),
        "{text}"
    );
    assert!(
        text.contains("Someone from Guildford Borough Council joined"),
        "{text}"
    );
    assert!(
        text.contains("#1 Bin day finder>: Prototype is up"),
        "{text}"
    );
    assert!(!text.contains("<@"), "the digest mentions nobody: {text}");
    assert!(
        text.contains("moved from discovery to *alpha*, research done"),
        "{text}"
    );
    assert!(
        !text.contains("*Projects that need people*"),
        "a team of 2, but new this week: listed once, under the new pitches, with how to join: {text}"
    );

    let app = app.restart().await;
    app.clock.advance_days(2);
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(
        digests(&app).len(),
        1,
        "the same week is never posted twice"
    );

    // The next week has nothing new: a short line, not an empty shell.
    app.clock.advance_days(6);
    digests_reach(&app, 2).await;
    assert!(
        digests(&app)[1].contains("A quiet week"),
        "{:?}",
        digests(&app)
    );
}

#[tokio::test]
async fn a_digest_missed_while_down_is_posted_once_on_return() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch Libraries").await;
    let clock = app.clock.clone();
    let (db, slack, dir) = app.stop().await;
    clock.advance_days(22); // three Mondays go by with the bot down
    let app = spawn_app_with(&db, slack, clock).await;
    digests_reach(&app, 1).await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 1, "catch-up, not a flood");
    assert!(digests(&app)[0].contains("#1 Libraries"));
    drop(dir);
}

#[tokio::test]
async fn a_digest_queued_before_a_crash_is_delivered_once_after_it() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(days_to_next_monday(&app));
    digest_queued(&app).await;
    let clock = app.clock.clone();
    let (db, _, dir) = app.stop().await;
    let app = spawn_app_with(&db, FakeSlack::start().await, clock).await;
    digests_reach(&app, 1).await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE channel_id = '{CHANNEL}'
             AND json_extract(notice, '$.notice.kind') = 'digest'"
        )),
        1,
        "the queued digest was posted, not queued again"
    );
    drop(dir);
}

/// A channel the bot can no longer post in stops getting the digest (rather than the digest
/// being tried for ever), until the bot is invited back.
#[tokio::test]
async fn a_channel_the_bot_can_no_longer_post_in_stops_getting_the_digest() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slack
        .always("chat.postMessage", Script::Error("is_archived"));
    app.clock.advance_days(days_to_next_monday(&app));
    eventually("the channel's digest stopped", SHORT, || {
        (app.count(LOST) == 1).then_some(())
    })
    .await;
    // Stopped and failed in one transaction: the row is final, with Slack's reason.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE channel_id = '{CHANNEL}'
             AND failed_at IS NOT NULL AND delivered_at IS NULL AND last_error LIKE 'is_archived; the digest stops%'"
        )),
        1
    );
    // Once Slack takes posts again, a later post goes out and the digest is not repeated.
    app.slack.heal("chat.postMessage");
    app.marker_posted().await;
    let to_channel = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == CHANNEL)
        .count();
    assert_eq!(to_channel, 1, "not retried");
}

/// Subscribed in a public channel the bot was never added to (a slash command works
/// anywhere), the digest joins it, as an announcement does, rather than being dropped with
/// the subscription.
#[tokio::test]
async fn a_digest_joins_the_public_channel_it_was_subscribed_in() {
    let app = spawn_app().await;
    let a = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(a.contains("In a private channel, invite me first"), "{a}");
    next_digest_meets_not_in_channel(&app, days_to_next_monday(&app)).await;
    digests_delivered(&app, 1).await;
    let joined = app.slack.calls("conversations.join");
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].body["channel"], CHANNEL);
    assert_eq!(app.count("SELECT COUNT(*) FROM digest_subscriptions"), 1);

    // Taken out of the channel after its digests went out there: that is respected. The
    // next digest does not join again, and the channel stops getting it.
    next_digest_meets_not_in_channel(&app, 7).await;
    eventually("the channel's digest stopped", SHORT, || {
        (app.count(LOST) == 1).then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("conversations.join").len(), 1);
    // The digest that could not go is not kept for the invitation (it would come weeks
    // late): its period is owed, so the next digest starts where it did.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM digest_subscriptions s JOIN outbox o
                 ON o.channel_id = s.channel_id AND o.failed_at IS NOT NULL
              WHERE s.sent_until = json_extract(o.notice, '$.notice.digest.from')"
        ),
        1
    );
    // Invited back, the bot starts it again at its time (it had been deleted, and came
    // back only if someone knew to type `digest` again). Taken out again before its next
    // digest, that removal is respected too: the digest does not join the channel.
    assert_eq!(
        app.event(&bot_joined("EvBackDigest0", CHANNEL))
            .await
            .status,
        200
    );
    next_digest_meets_not_in_channel(&app, 7).await;
    eventually("the channel's digest stopped again", SHORT, || {
        (app.count(LOST) == 1).then_some(())
    })
    .await;
    assert_eq!(app.slack.calls("conversations.join").len(), 1);
    // Invited back again, and left in: the next Monday's goes out.
    assert_eq!(
        app.event(&bot_joined("EvBackDigest", CHANNEL)).await.status,
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL"),
        1
    );
    assert_eq!(app.count(LOST), 0);
    app.clock.advance_days(7);
    digests_delivered(&app, 2).await;
    assert_eq!(
        app.slack.calls("conversations.join").len(),
        1,
        "invited: no join"
    );

    // Lost again, then turned off meanwhile (`digest off` from a channel the bot is not
    // in: a slash command works anywhere): an invitation then brings nothing back.
    next_digest_meets_not_in_channel(&app, 7).await;
    eventually("the channel's digest stopped", SHORT, || {
        (app.count(LOST) == 1).then_some(())
    })
    .await;
    let off = app.slash("U1", CHANNEL, "digest off").await;
    assert!(
        off.text().contains("won't get the weekly digest"),
        "{}",
        off.text()
    );
    assert_eq!(
        app.event(&bot_joined("EvBackDigest2", CHANNEL))
            .await
            .status,
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL"),
        0
    );

    // Subscribed again (someone wants it back), its first digest joins again.
    app.slash("U1", CHANNEL, "digest").await;
    next_digest_meets_not_in_channel(&app, 7).await;
    digests_delivered(&app, 3).await;
    assert_eq!(app.slack.calls("conversations.join").len(), 2);

    // Turned off and on again, it starts afresh too: the bot may have been taken out
    // meanwhile, and whoever turned it on wants it there.
    app.slash("U1", CHANNEL, "digest off").await;
    app.slash("U1", CHANNEL, "digest").await;
    next_digest_meets_not_in_channel(&app, 7).await;
    digests_delivered(&app, 4).await;
    assert_eq!(app.slack.calls("conversations.join").len(), 3);
}

/// A subscription stopped because the bot lost its channel.
const LOST: &str = "SELECT COUNT(*) FROM digest_subscriptions
                    WHERE stopped_at IS NOT NULL AND lost_at IS NOT NULL";

/// A hiccup at Slack when the first digest joins its channel is tried again, as any hiccup
/// is: before, every refusal to join was taken for "cannot join", and the channel was
/// unsubscribed for good, with only a log line.
#[tokio::test]
async fn a_hiccup_joining_the_digests_channel_is_tried_again() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slack
        .script("conversations.join", Script::Error("internal_error"));
    next_digest_meets_not_in_channel(&app, days_to_next_monday(&app)).await;
    app.slack.wait_for("conversations.join", 1, SHORT).await;
    // The retry meets not_in_channel again, and joins.
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    digests_delivered(&app, 1).await;
    assert_eq!(app.slack.calls("conversations.join").len(), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM digest_subscriptions"), 1);
}

/// A first digest that waited out a long Slack outage still joins its channel when Slack is
/// back: a row tried a dozen times (about 25 minutes of outage) was taken for one too old to
/// count its joins, the bot never joined, and the channel was unsubscribed with only a log
/// line.
#[tokio::test]
async fn a_digest_that_waited_out_an_outage_still_joins_its_channel() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(days_to_next_monday(&app));
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    // As if tried through 25 minutes of outage.
    app.db()
        .execute(
            "UPDATE outbox SET attempts = 12 WHERE channel_id = ?1 AND delivered_at IS NULL",
            [CHANNEL],
        )
        .unwrap();
    app.slack.heal("chat.postMessage");
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.clock
        .set_timestamp(app.clock.now().timestamp() + 30 * 60);
    digests_delivered(&app, 1).await;
    assert_eq!(app.slack.calls("conversations.join").len(), 1);
    let active = "SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL";
    assert_eq!(app.count(active), 1, "still subscribed");
}

/// The clock moved `days` on, to the next digest, which Slack first answers `not_in_channel`.
async fn next_digest_meets_not_in_channel(app: &TestApp, days: i64) {
    // The script is for the next post: not a note still on its way (the subscriber's, told
    // that an earlier digest stopped).
    app.outbox_settled().await;
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.clock.advance_days(days);
}

/// Waits until `n` digests are delivered and recorded as such (not counting the notes to
/// whoever turned the digest on that one was refused).
async fn digests_delivered(app: &TestApp, n: i64) {
    eventually(&format!("{n} digests posted"), SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL
                AND json_extract(notice, '$.notice.kind') = 'digest'",
        ) == n)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn digest_preview_shows_the_digest_to_the_asker_only() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch Parking permits")
        .await;
    let a = app.slash("U1", CHANNEL, "digest preview").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert!(
        a.text().contains("Makers digest") && a.text().contains("#1 Parking permits"),
        "{}",
        a.body
    );
    assert!(
        a.blocks()
            .starts_with("_A preview, only you see it: the digest is posted in this channel"),
        "{}",
        a.blocks()
    );
    let queued = format!("SELECT COUNT(*) FROM outbox WHERE channel_id = '{CHANNEL}'");
    assert_eq!(app.count(&queued), 0, "nothing queued for the channel");
    app.outbox_settled().await;
    assert!(digests(&app).is_empty(), "nothing posted in the channel");

    // Where the channel is not getting it, the preview says so (it read like one posted).
    app.slash("U1", CHANNEL, "digest off").await;
    let a = app.slash("U1", CHANNEL, "digest preview").await;
    assert!(
        a.blocks().starts_with(
            "_A preview, only you see it. This channel isn't getting the digest: `/makers digest` turns it on._"
        ),
        "{}",
        a.blocks()
    );
    let a = app.slash("U1", "C0ELSEWHERE", "digest preview").await;
    assert!(
        a.blocks().contains("isn't getting the digest"),
        "{}",
        a.blocks()
    );
}

#[tokio::test]
async fn a_busy_week_stays_within_slacks_limits() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    for i in 0..30 {
        let long = "word ".repeat(200);
        app.slash(
            "U0PITCHER",
            &format!("C0P{i:02}"),
            &format!("pitch Project {i} {} | {long}", "&".repeat(80)),
        )
        .await;
        app.slash("U0PITCHER", "C1", &format!("update {} {long}", i + 1))
            .await;
    }
    let a = app.slash("U1", CHANNEL, "digest preview").await.json();
    let blocks = a["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50);
    let mut total = 0;
    for b in blocks {
        let n = b["text"]["text"].as_str().unwrap().chars().count();
        assert!(n <= 3000, "section of {n}");
        total += n;
    }
    assert!(total <= 12_000, "{total}");
    // How many pitch lines fit depends on whether their announcements are out yet (a line
    // with a link is longer), so the check is that every pitch is shown or counted.
    let pitches = blocks
        .iter()
        .filter_map(|b| b["text"]["text"].as_str())
        .find(|t| t.starts_with("*New pitches*"))
        .expect("a new pitches section");
    let shown = pitches.lines().filter(|l| l.starts_with("• ")).count();
    // Counted, with where to read the rest (the count had nowhere to go).
    let more: usize = pitches
        .lines()
        .find_map(|l| {
            l.strip_prefix("…and ")?
                .strip_suffix(" more: `/makers list` lists every open project")?
                .parse()
                .ok()
        })
        .expect("the rest counted");
    assert_eq!(
        shown + more,
        30,
        "summarised, and every item left out counted: {pitches}"
    );
}

/// A channel shared between organisations has one id in both, and each workspace may
/// subscribe it: the dry run asks which, and prints the one named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dry_run_of_a_channel_two_workspaces_subscribe_asks_which() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash_in("T0OTHERORG", "U2", CHANNEL, "digest friday 16:30")
        .await;
    let (db, slack, dir) = app.stop().await;
    let bot = |args: &[&str]| {
        crate::binary::bot(dir.as_ref().unwrap().path())
            .args(args)
            .env("MAKERS_DB", &db)
            .env("SLACK_API_URL", &slack.url)
            .output()
            .unwrap()
    };
    let out = bot(&["digest", "--dry-run", "--channel", CHANNEL]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!("in 2 workspaces (T0OTHERORG, {TEAM})"))
            && said.contains("name one with --team"),
        "{said}"
    );
    for team in ["T0OTHERORG", TEAM] {
        let out = bot(&["digest", "--dry-run", "--channel", CHANNEL, "--team", team]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Makers digest"));
    }
    let out = bot(&[
        "digest",
        "--dry-run",
        "--channel",
        CHANNEL,
        "--team",
        "T0NONE",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("not subscribed to the digest in workspace T0NONE"),
        "{said}"
    );
    assert!(
        slack.calls("chat.postMessage").is_empty(),
        "a dry run calls nobody"
    );
}

// Multi-threaded: the fake Slack must answer while this test waits for the child process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_prints_or_posts_the_digest() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    let pitch = "pitch Street lights & <lamps> | see <https://docs.example/lights|the docs> & more";
    app.slash("U0PITCHER", "C0MAKERS", pitch).await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let (db, slack, dir) = app.stop().await;
    let bot = |args: &[&str]| {
        crate::binary::bot(dir.as_ref().unwrap().path())
            .args(args)
            .env("MAKERS_DB", &db)
            .env("SLACK_BOT_TOKEN", TOKEN)
            .env("SLACK_API_URL", &slack.url)
            .output()
            .unwrap()
    };
    let out = bot(&["digest", "--dry-run", "--channel", CHANNEL]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // Plain text for a terminal: no entities, links as their label and address.
    let plain = [
        "Makers digest",
        "#1 Street lights & <lamps>",
        "the docs (https://docs.example/lights) & more",
    ];
    assert!(plain.iter().all(|p| text.contains(p)), "{text}");
    let markup = ["&amp;", "&lt;", "<http"];
    assert!(!markup.iter().any(|m| text.contains(m)), "{text}");
    assert_eq!(
        slack.calls("chat.postMessage").len(),
        1,
        "dry run calls nobody"
    );
    let out = bot(&["digest", "--dry-run", "--channel", "C0NOPE"]);
    assert!(!out.status.success());

    let out = bot(&["digest", "--now"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let posted: Vec<_> = slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == CHANNEL)
        .collect();
    assert_eq!(posted.len(), 1);
    assert!(message_text(&posted[0].body).contains("#1 Street lights"));
    // The period sent is recorded: a second run has nothing new.
    bot(&["digest", "--now"]);
    let texts: Vec<String> = slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body["channel"] == CHANNEL)
        .map(|c| message_text(&c.body))
        .collect();
    assert!(texts[1].contains("A quiet week"), "{texts:?}");

    // A channel whose digest cannot be composed is skipped, and the command says so and
    // fails, for whoever runs it from a timer (here every query of re-uses fails).
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("ALTER TABLE reuses RENAME TO reuses_gone")
        .unwrap();
    let out = bot(&["digest", "--now"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("1 channel(s) skipped"), "{said}");
    let to_channel = |c: &&Call| c.body["channel"] == CHANNEL;
    let posts = slack.calls("chat.postMessage");
    assert_eq!(
        posts.iter().filter(to_channel).count(),
        texts.len(),
        "nothing posted"
    );

    // A digest Slack refuses for good (the channel archived) is not counted as posted: the
    // command fails and says so, and the channel is unsubscribed.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("ALTER TABLE reuses_gone RENAME TO reuses")
        .unwrap();
    slack.script("chat.postMessage", Script::Error("is_archived"));
    let out = bot(&["digest", "--now"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("1 digest(s) refused by Slack"), "{said}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("posted 0 digest(s)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bot(&["digest", "--dry-run", "--channel", CHANNEL]);
    assert!(!out.status.success(), "unsubscribed");
}

/// `digest --now` run with `SLACK_BOT_TOKEN` alone on a database that has workspaces
/// installed through OAuth refuses (naming the settings) rather than post their digests
/// with the wrong token, which Slack would refuse for good, unsubscribing them; a workspace
/// that removed the app is left out, so the command can still succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_digest_leaves_other_workspaces_alone() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    let (db, slack, dir) = app.stop().await;
    let bot = || {
        crate::binary::bot(dir.as_ref().unwrap().path())
            .args(["digest", "--now"])
            .env("MAKERS_DB", &db)
            .env("SLACK_BOT_TOKEN", TOKEN)
            .env("SLACK_API_URL", &slack.url)
            .output()
            .unwrap()
    };
    let conn = rusqlite::Connection::open(&db).unwrap();
    let subscribe = |team: &str| {
        conn.execute(
            "INSERT INTO digest_subscriptions (team_id, channel_id, created_at) VALUES (?1, 'C0THEIRS', 0)",
            [team],
        )
        .unwrap();
    };
    subscribe("T0OAUTH");
    conn.execute(
        "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token, scopes, installed_by, installed_at, updated_at)
         VALUES ('T0OAUTH', 'Elsewhere', 'A1', 'U0B', x'00', 'chat:write', 'U0I', 0, 0)",
        [],
    )
    .unwrap();
    let out = bot();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("SLACK_BOT_TOKEN") && said.contains("SLACK_CLIENT_ID"),
        "{said}"
    );
    assert!(slack.calls("chat.postMessage").is_empty(), "nothing posted");
    let subscribed = "SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL";
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count(subscribed), 2);

    // That workspace removes the app: its digest is left out, and ours goes out.
    conn.execute("DELETE FROM installations", []).unwrap();
    conn.execute(
        "INSERT INTO removed_workspaces (team_id, removed_at) VALUES ('T0OAUTH', 0)",
        [],
    )
    .unwrap();
    let out = bot();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let channels: Vec<String> = slack
        .calls("chat.postMessage")
        .iter()
        .map(|c| c.body["channel"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(channels, vec![CHANNEL.to_string()]);
    assert_eq!(count(subscribed), 2, "kept for when it installs again");
}

#[tokio::test]
async fn across_the_spring_clock_change_monday_nine_is_nine_local() {
    let app = spawn_app().await;
    // Sunday 29 March 2026, after the clocks went forward: Monday 09:00 BST is 08:00Z.
    app.clock.set("2026-03-29T12:00:00Z");
    app.slash("U1", CHANNEL, "digest").await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch Spring project")
        .await;
    app.clock.set("2026-03-30T07:59:00Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert!(digests(&app).is_empty(), "not before 09:00 BST");
    app.clock.set("2026-03-30T08:00:30Z");
    digests_reach(&app, 1).await;
    // And in autumn, back on GMT: 09:00Z, not an hour early.
    app.clock.set("2026-10-26T08:30:00Z");
    // One catch-up digest for the weeks in between (posts to a channel are a second apart).
    digests_reach(&app, 2).await;
    app.clock.set("2026-10-26T08:59:00Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(
        digests(&app).len(),
        2,
        "26 October 08:59Z is 08:59 GMT: not yet"
    );
    app.clock.set("2026-10-26T09:00:30Z");
    digests_reach(&app, 3).await;
}

/// The lines under `header` in a digest, up to the next section.
fn section<'a>(digest: &'a str, header: &str) -> &'a str {
    let Some(start) = digest.find(header) else {
        return "";
    };
    let rest = &digest[start + header.len()..];
    rest.find("\n*").map_or(rest, |end| &rest[..end])
}

#[tokio::test]
async fn turning_the_digest_off_and_on_again_lists_nothing_twice() {
    let app = spawn_app().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    app.slash("U1", CHANNEL, "digest").await;
    app.clock.set("2026-03-14T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    app.clock.set("2026-03-16T09:00:30Z");
    digests_reach(&app, 1).await;
    assert!(
        section(&digests(&app)[0], "*New pitches*").contains("Bin day finder"),
        "{:?}",
        digests(&app)
    );

    app.clock.set("2026-03-17T12:00:00Z");
    let off = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(off.contains("won't get the weekly digest"), "{off}");
    app.clock.set("2026-03-18T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Rubbish route planner")
        .await;
    // Previewed while off: what turning it on again would list, not the week back.
    let preview = app.slash("U1", CHANNEL, "digest preview").await.text();
    let pitches = section(&preview, "*New pitches*");
    assert!(
        pitches.contains("Rubbish route planner") && !pitches.contains("Bin day finder"),
        "{preview}"
    );
    let on = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(on.contains("every *Monday 09:00*"), "{on}");

    app.clock.set("2026-03-23T09:00:30Z"); // still GMT: British Summer Time starts on the 29th
    digests_reach(&app, 2).await;
    let second = &digests(&app)[1];
    let pitches = section(second, "*New pitches*");
    assert!(pitches.contains("Rubbish route planner"), "{second}");
    assert!(
        !pitches.contains("Bin day finder"),
        "the first digest listed it already: {second}"
    );
}

/// A digest Slack refuses for good (posting restricted in the channel) is owed: the next
/// week's starts where it did, so once Slack takes it the refused week's news is there.
#[tokio::test]
async fn a_digest_slack_refuses_is_owed_to_the_next_one() {
    let app = spawn_app().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    app.slash("U1", CHANNEL, "digest").await;
    app.clock.set("2026-03-12T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    app.outbox_settled().await;
    app.slack
        .script("chat.postMessage", Script::Error("restricted_action"));
    app.clock.set("2026-03-16T09:00:30Z");
    eventually("the digest refused", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.error() == Some("restricted_action"))
            .then_some(())
    })
    .await;
    app.outbox_settled().await;
    app.clock.set("2026-03-18T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Parking permits")
        .await;
    app.clock.set("2026-03-23T09:00:30Z");
    let posted = eventually("the next digest posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.body["channel"] == CHANNEL && c.error().is_none())
            .map(|c| message_text(&c.body))
            .find(|t| t.contains("Makers digest"))
    })
    .await;
    let pitches = section(&posted, "*New pitches*");
    assert!(
        pitches.contains("Bin day finder") && pitches.contains("Parking permits"),
        "{posted}"
    );
}

/// `digest off` while the week's digest waits for Slack (down at its time) is not followed
/// by that digest once Slack is back: the answer says it won't get the digest any more. Its
/// week is owed, should the digest be turned on again.
#[tokio::test]
async fn a_digest_turned_off_while_it_waits_for_slack_is_not_posted() {
    let app = spawn_app().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    app.slash("U1", CHANNEL, "digest").await;
    app.clock.set("2026-03-12T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    app.outbox_settled().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.set("2026-03-16T09:00:30Z");
    // Stopped, the clock brings no retry due (a retry read before `digest off` and reaching
    // the fake Slack after the heal would be posted, as the bot cannot recall it).
    app.clock.stop();
    eventually("the digest tried", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["channel"] == CHANNEL)
            .then_some(())
    })
    .await;
    let off = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(off.contains("won't get the weekly digest"), "{off}");
    app.slack.heal("chat.postMessage");
    app.clock.set("2026-03-16T10:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Parking permits")
        .await;
    app.outbox_settled().await;
    let digests = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == CHANNEL && c.body["_answered_ok"] == true)
        .count();
    assert_eq!(digests, 0, "no digest after it was turned off");
    // Turned on again, the week it gave up is in the next.
    let on = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(on.contains("every *"), "{on}");
    let preview = app.slash("U1", CHANNEL, "digest preview").await.text();
    assert!(preview.contains("Bin day finder"), "{preview}");
}

/// `digest off` while Slack is posting the week's digest: it goes out all the same, so its
/// week is not owed; turned on again, the next digest does not list that week a second time.
#[tokio::test]
async fn a_digest_turned_off_while_slack_posts_it_is_not_owed() {
    let app = spawn_app().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    app.slash("U1", CHANNEL, "digest").await;
    app.clock.set("2026-03-12T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    app.outbox_settled().await;
    // 3 s: time to turn it off on a loaded machine while it is at Slack.
    app.slack.script("chat.postMessage", Script::Slow(3000));
    app.clock.set("2026-03-16T09:00:30Z");
    eventually("the digest at Slack", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
    let off = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(off.contains("won't get the weekly digest"), "{off}");
    let posted = eventually("the digest posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == CHANNEL && c.ts().is_some())
    })
    .await;
    assert!(message_text(&posted.body).contains("Bin day finder"));
    // Slack's answer recorded (its row gone, the outbox has nothing to wait for): the week
    // it covered is no longer owed.
    let sent_until = |app: &TestApp| {
        app.count(&format!(
            "SELECT sent_until FROM digest_subscriptions WHERE channel_id = '{CHANNEL}'"
        ))
    };
    let week_start = chrono::DateTime::parse_from_rfc3339("2026-03-16T09:00:00Z")
        .unwrap()
        .timestamp();
    eventually("its week marked sent", SHORT, || {
        (sent_until(&app) >= week_start).then_some(())
    })
    .await;
    app.outbox_settled().await;
    let on = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(on.contains("every *"), "{on}");
    let preview = app.slash("U1", CHANNEL, "digest preview").await.text();
    // (Its team still needs people: it may be named for that, not as a new pitch.)
    assert!(
        preview.contains("16 Mar to 16 Mar: 0 new pitches"),
        "listed again: {preview}"
    );
}

/// A pitch retired the same week (a duplicate, say) is not among the digest's new pitches,
/// which invite people to join them; its retirement is among the phase changes.
#[tokio::test]
async fn a_pitch_retired_the_same_week_is_not_a_new_pitch_to_join() {
    let app = spawn_app().await;
    app.clock.set("2026-03-10T12:00:00Z");
    app.slash("U0PITCHER", "C0MAKERS", "pitch Bin day finder")
        .await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch Parking permits")
        .await;
    app.slash(
        "U0PITCHER",
        "C0MAKERS",
        "phase 1 retired | a duplicate of #2",
    )
    .await;
    let preview = app.slash("U1", CHANNEL, "digest preview").await.text();
    let pitches = section(&preview, "*New pitches*");
    assert!(pitches.contains("Parking permits"), "{preview}");
    assert!(!pitches.contains("Bin day finder"), "{preview}");
    assert!(preview.contains("retired"), "{preview}");
}

/// A digest queued while Slack is down, then a project it lists as needing people (pitched
/// the week before, so not among its new pitches) retired: it goes out counting that
/// project no more among the open projects, as it no longer lists it among those that need
/// people (the headline said "0 of 2 open projects" above a list of one).
#[tokio::test]
async fn a_digest_still_to_be_posted_no_longer_counts_a_project_retired_since_as_open() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Bin day finder").await;
    pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Pothole reporter").await;
    app.clock.advance_days(days_to_next_monday(&app));
    digests_reach(&app, 1).await;
    app.outbox_settled().await;
    // The next week's, with no news: both projects need people.
    hold_the_next_digest(&app).await;
    let row = queued_digest(&app);
    assert!(
        row.contains("Bin day finder") && row.contains("\"open_projects\":2"),
        "{row}"
    );

    app.slash("U0PITCHER", "C0MAKERS", "phase 1 retired").await;

    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    let posted = eventually("the second digest", SHORT, || {
        let posted = posted_to(&app.slack, CHANNEL).into_iter();
        posted.filter(|t| t.contains("Makers digest")).nth(1)
    })
    .await;
    assert!(
        posted.contains("#2 Pothole reporter") && posted.contains("`/makers join 2`"),
        "{posted}"
    );
    assert!(
        !posted.contains("Bin day finder"),
        "retired since: {posted}"
    );
    assert!(
        posted.contains("0 of 1 open project had news"),
        "counted as open: {posted}"
    );
}

/// Moved to later the same day, after that day's digest went out, the digest waits for the
/// next week's time, as the answer says: one a week, not a second hours after the first.
#[tokio::test]
async fn moving_the_digest_later_the_same_day_posts_no_second_one() {
    let app = spawn_app().await;
    app.clock.set("2026-12-06T12:00:00Z"); // a Sunday; GMT
    app.slash("U1", CHANNEL, "digest").await;
    app.clock.set("2026-12-07T09:00:30Z");
    digests_reach(&app, 1).await;
    app.clock.set("2026-12-07T10:00:00Z");
    let moved = app.slash("U1", CHANNEL, "digest monday 11:00").await.text();
    assert!(moved.contains("every *Monday 11:00*"), "{moved}");
    assert!(
        moved.contains("The next one: Monday 14 December at 11:00"),
        "{moved}"
    );
    app.clock.set("2026-12-07T11:00:30Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 1, "{:?}", digests(&app));
    app.clock.set("2026-12-14T11:00:30Z");
    digests_reach(&app, 2).await;
    // The same by way of `digest off`: stopped and moved later that day, no second one.
    app.clock.set("2026-12-14T12:00:00Z");
    app.slash("U1", CHANNEL, "digest off").await;
    let moved = app.slash("U1", CHANNEL, "digest monday 13:00").await.text();
    assert!(
        moved.contains("The next one: Monday 21 December at 13:00"),
        "{moved}"
    );
    app.clock.set("2026-12-14T13:00:30Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 2, "{:?}", digests(&app));
    // Moved to later in the week, it comes that week.
    app.clock.set("2026-12-15T12:00:00Z");
    let moved = app.slash("U1", CHANNEL, "digest friday 16:00").await.text();
    assert!(
        moved.contains("The next one: Friday 18 December at 16:00"),
        "{moved}"
    );
}

/// Moved to a time already past, before this week's digest went out at its old time, the
/// digest still comes this week: straight away, as the answer says, and then at the new
/// time. (It skipped the week, two weeks between digests.)
#[tokio::test]
async fn moving_the_digest_to_a_time_past_before_it_went_out_keeps_this_weeks() {
    let app = spawn_app().await;
    app.clock.set("2026-12-06T12:00:00Z"); // a Sunday; GMT
    app.slash("U1", CHANNEL, "digest monday 17:00").await;
    app.clock.set("2026-12-07T17:00:30Z");
    digests_reach(&app, 1).await;
    // A week on, at noon, before 17:00: moved to 09:00, which has passed.
    app.clock.set("2026-12-14T12:00:00Z");
    let moved = app.slash("U1", CHANNEL, "digest monday 9:00").await.text();
    assert!(
        moved.contains(
            "The next one: straight away, as Monday 09:00 has passed without one; then Monday 21 December at 09:00."
        ),
        "{moved}"
    );
    app.clock.set("2026-12-14T12:01:00Z");
    digests_reach(&app, 2).await;
    // Not again at 17:00, the old time, nor twice.
    app.clock.set("2026-12-14T17:00:30Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 2, "{:?}", digests(&app));
    app.clock.set("2026-12-21T09:00:30Z");
    digests_reach(&app, 3).await;
    // Typed again with the same time after this week's went out: nothing owed.
    app.clock.set("2026-12-21T12:00:00Z");
    let again = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(
        again.contains("The next one: Monday 28 December at 09:00."),
        "{again}"
    );
    // The same by way of `digest off`, stopped after the new time came round: owed too.
    app.clock.set("2026-12-28T09:00:30Z");
    digests_reach(&app, 4).await;
    app.clock.set("2026-12-28T12:00:00Z");
    app.slash("U1", CHANNEL, "digest monday 17:00").await;
    app.clock.set("2027-01-04T12:00:00Z");
    app.slash("U1", CHANNEL, "digest off").await;
    let moved = app.slash("U1", CHANNEL, "digest monday 9:00").await.text();
    assert!(moved.contains("straight away"), "{moved}");
    app.clock.set("2027-01-04T12:01:00Z");
    digests_reach(&app, 5).await;
}

/// Turned off after this week's new time had passed (the old one to come), and on again
/// days later at that time: the answer's "straight away" holds, and that digest lists the
/// week up to the time passed. Before, the answer said "straight away", but the subscription
/// was stored as starting a week before it was turned on again, so the scheduler took the
/// passed time as covered and posted nothing until the next week (DIGEST-LIFE 1).
#[tokio::test]
async fn turned_on_again_days_after_its_time_passed_posts_the_owed_one_straight_away() {
    let app = spawn_app().await;
    app.clock.set("2026-12-27T12:00:00Z"); // a Sunday; GMT
    app.slash("U1", CHANNEL, "digest monday 17:00").await;
    app.clock.set("2026-12-28T17:00:30Z");
    digests_reach(&app, 1).await;
    // News in the week after that digest, more than a week before it is turned on again.
    app.clock.set("2026-12-30T12:00:00Z");
    pitch_and_wait(
        &app,
        "U1",
        CHANNEL,
        "Bin day finder | Which day each bin goes",
    )
    .await;
    // Off at noon on Monday, after 09:00 and before 17:00; on again on Friday, at 09:00.
    app.clock.set("2027-01-04T12:00:00Z");
    app.slash("U1", CHANNEL, "digest off").await;
    app.clock.set("2027-01-08T12:00:00Z");
    let on = app.slash("U1", CHANNEL, "digest monday 9:00").await.text();
    assert!(on.contains("straight away"), "{on}");
    app.clock.set("2027-01-08T12:01:00Z");
    digests_reach(&app, 2).await;
    let owed = &digests(&app)[1];
    assert!(owed.contains("Bin day finder"), "{owed}");
    // Then at its time, not again before.
    app.clock.set("2027-01-10T12:00:00Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 2, "not again before its time");
    app.clock.set("2027-01-11T09:00:30Z");
    digests_reach(&app, 3).await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(digests(&app).len(), 3, "once at its time");
}

/// Turned on again days after its time passed, as above, `digest preview` (which the answer
/// offers) shows the digest owed straight away as it will be posted: up to the time passed.
/// Before, it ran up to now, with news that digest leaves for the next, until the scheduler
/// next looked (a deployment's looks once a minute, as here, from its start).
#[tokio::test]
async fn a_preview_right_after_turning_on_again_shows_the_owed_digest() {
    let app = spawn_app_setting(SCHEDULER_TICK_MS, "600000").await;
    app.clock.set("2026-12-22T12:00:00Z"); // a Tuesday; GMT
    pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Bin day finder").await;
    app.clock.set("2026-12-27T12:00:00Z");
    app.slash("U1", CHANNEL, "digest monday 17:00").await;
    // Off at noon on Monday, after 09:00 and before 17:00; news after 09:00; on again on
    // Friday, at 09:00.
    app.clock.set("2026-12-28T12:00:00Z");
    app.slash("U1", CHANNEL, "digest off").await;
    app.clock.set("2026-12-30T12:00:00Z");
    pitch_and_wait(&app, "U0PITCHER", "C0MAKERS", "Parking permits").await;
    app.clock.set("2027-01-01T12:00:00Z");
    let on = app.slash("U1", CHANNEL, "digest monday 9:00").await.text();
    assert!(on.contains("straight away"), "{on}");
    let preview = app.slash("U1", CHANNEL, "digest preview").await.text();

    // The scheduler looks at its start: the owed digest goes out.
    let app = app.restart_with(&[(SCHEDULER_TICK_MS, "50")]).await;
    digests_reach(&app, 1).await;
    let owed = &digests(&app)[0];
    assert!(
        owed.contains("*Makers digest, 21 Dec to 28 Dec*")
            && owed.contains("Bin day finder")
            && !owed.contains("Parking permits"),
        "{owed}"
    );
    assert!(
        preview.contains("*Makers digest, 21 Dec to 28 Dec*"),
        "{preview}"
    );
    let pitches = section(&preview, "*New pitches*");
    assert!(pitches.contains("Bin day finder"), "{preview}");
    assert!(!preview.contains("Parking permits"), "{preview}");
}

#[tokio::test]
async fn digest_alone_after_off_brings_back_the_time_it_had() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest fri 16:30").await;
    let off = app.slash("U1", CHANNEL, "digest off").await.text();
    assert!(off.contains("`/makers digest` brings it back"), "{off}");
    let active = "SELECT COUNT(*) FROM digest_subscriptions WHERE stopped_at IS NULL";
    assert_eq!(app.count(active), 0);
    app.clock.advance_days(40);
    let app = app.restart().await;
    let on = app.slash("U1", CHANNEL, "digest").await.text();
    assert!(on.contains("every *Friday 16:30*"), "{on}");
    assert_eq!(app.count(active), 1);
}

/// `digest --now` whose digest went out while the database could not record it (another
/// process holding its write lock past the busy timeout) records it once it can, and posts
/// it once. It read what was owed before recording, so posted the digest a second time.
#[tokio::test]
async fn digest_now_posts_once_a_digest_it_could_not_record_at_first() {
    use std::io::BufRead;
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    let (db, slack, dir) = app.stop().await;
    let outbox_rows = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .unwrap()
    };
    let lock = rusqlite::Connection::open(&db).unwrap();
    let before = outbox_rows(&lock);
    // Slow enough to take the write lock while the digest is at Slack, on a busy machine too.
    slack.script("chat.postMessage", Script::Slow(5_000));
    let mut child = crate::binary::bot(dir.as_ref().unwrap().path())
        .args(["digest", "--now"])
        .env("MAKERS_DB", &db)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", &slack.url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    eventually("the digest queued", SHORT, || {
        (outbox_rows(&lock) > before).then_some(())
    })
    .await;
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Held until the post is said to be unrecorded, then let go.
    let stderr = child.stderr.take().unwrap();
    let (said, told) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("the database cannot record it") {
                let _ = said.send(());
            }
            lines.push(line);
        }
        lines
    });
    // Waited for off the runtime, which runs the bot.
    let heard =
        tokio::task::spawn_blocking(move || told.recv_timeout(std::time::Duration::from_secs(30)))
            .await
            .unwrap();
    if heard.is_err() {
        panic!("never said to be unrecorded: {:?}", reader.join());
    }
    lock.execute_batch("COMMIT").unwrap();
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["channel"] == CHANNEL)
            .count(),
        1,
        "posted once"
    );
}

/// `digest --now` stopped by Ctrl-C finishes the post at Slack, records it, and hands what
/// is still owed back to a running server, due at once, instead of an hour on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_digest_stopped_by_ctrl_c_hands_back_what_is_owed() {
    digest_now_stopped_by("-INT").await;
}

/// The same where the terminal hangs up (an ssh session dropped): SIGHUP is a stop like
/// Ctrl-C. It ended the run outright, nothing handed back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_digest_stopped_by_a_hang_up_hands_back_what_is_owed() {
    digest_now_stopped_by("-HUP").await;
}

/// `digest --now` sent `signal` (as `kill` names it) while its first digest is at Slack:
/// that one finished and recorded, the other handed back due now.
async fn digest_now_stopped_by(signal: &str) {
    let app = spawn_app().await;
    app.slash("U1", "C0DIGONE", "digest").await;
    app.slash("U1", "C0DIGTWO", "digest").await;
    let (db, slack, dir) = app.stop().await;
    slack.script("chat.postMessage", Script::Slow(3000));
    let child = digest_now(dir.as_ref().unwrap().path(), &db, &slack);
    eventually("the first digest at Slack", SHORT, || {
        (slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
    let out = stopped(child, signal).await;
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "not every digest posted: {said}"
    );
    assert_eq!(slack.calls("chat.postMessage").len(), 1, "the one at Slack");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL AND notice LIKE '%digest%'"
        ),
        1,
        "the post at Slack recorded"
    );
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL
               AND notice LIKE '%digest%' AND next_attempt_at <= {now}"
        )),
        1,
        "the other due now, for a running server"
    );
}

/// The same stopped by SIGTERM (a timer's stop) while Slack is down: the digest it tried and
/// Slack failed (its retry held an hour) is said to be owed, handed back due within the
/// minute, and posted once by a server started after Slack is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_now_stopped_while_slack_is_down_leaves_the_digest_to_the_server() {
    let app = spawn_app().await;
    app.slash("U1", "C0DIGSTOP", "digest").await;
    let (db, slack, dir) = app.stop().await;
    slack.always("chat.postMessage", Script::Status(500));
    let child = digest_now(dir.as_ref().unwrap().path(), &db, &slack);
    slack.wait_for("chat.postMessage", 1, SHORT).await;
    let out = stopped(child, "-TERM").await;
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("posted 0 digest(s); 1 could not be posted yet"),
        "{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let owed = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE channel_id = 'C0DIGSTOP'
                 AND delivered_at IS NULL AND failed_at IS NULL
                 AND next_attempt_at <= unixepoch() + 60",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(owed(&db), 1, "handed back, due soon rather than in an hour");
    slack.heal("chat.postMessage");
    let app = spawn_app_with(&db, slack, TestClock::default()).await;
    let posted = || {
        let posts = app.slack.calls("chat.postMessage");
        posts
            .iter()
            .filter(|c| c.body["channel"] == "C0DIGSTOP" && c.ts().is_some())
            .count()
    };
    eventually("the server posts the digest", SHORT, || {
        (posted() > 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
    assert_eq!(posted(), 1, "posted once");
}

/// `digest --now` killed outright (SIGKILL, the OOM killer, a container restarted) hands
/// nothing back: its digest, whose retry it held, holds its channel's other posts for the
/// command's own bound (its deadline and a margin), not for an hour. A pitch made in the
/// channel meanwhile is announced once that has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_now_killed_outright_holds_its_channel_minutes_not_an_hour() {
    let app = spawn_app().await;
    app.slash("U1", "C0DIGKILL", "digest").await;
    let (db, slack, dir) = app.stop().await;
    slack.always("chat.postMessage", Script::Status(500));
    let child = digest_now(dir.as_ref().unwrap().path(), &db, &slack);
    slack.wait_for("chat.postMessage", 1, SHORT).await;
    let out = stopped(child, "-KILL").await;
    assert!(!out.status.success(), "{out:?}");
    slack.heal("chat.postMessage");
    let app = spawn_app_with(&db, slack, TestClock::default()).await;
    app.slash("U1", "C0DIGKILL", "pitch Kiwi finder").await;
    let announced = || {
        posted_to(&app.slack, "C0DIGKILL")
            .iter()
            .any(|t| t.contains("Kiwi finder"))
    };
    // Three minutes on: the command would have handed its digest back by then.
    app.clock
        .set_timestamp(chrono::Utc::now().timestamp() + 180);
    // A post elsewhere wakes the worker at once.
    app.slash("U1", "C0ELSEWHERE", "pitch Wake up").await;
    eventually("the pitch announced in the digest's channel", SHORT, || {
        announced().then_some(())
    })
    .await;
}

/// `digest --now` queues one channel's digest a write, as the scheduler does: each is tens
/// of milliseconds on a large workspace, and a running server's commands, presses and
/// events wait for the writer meanwhile. (It composed every channel's in one write, holding
/// them all past Slack's 3 seconds with some tens of channels.) Each channel still gets its
/// digest once, and is marked sent up to now.
#[tokio::test]
async fn digest_now_queues_one_channel_a_write_so_the_server_writes_between_them() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = spawn_app().await;
    let channels = ["C0DIGONE", "C0DIGTWO", "C0DIGTHREE"];
    for channel in channels {
        app.slash("U1", channel, "digest").await;
    }
    let (path, _slack, _dir) = app.stop().await;
    let db = makers_bot::store::AsyncStore::new(makers_bot::store::Store::open(&path).unwrap());
    let commits = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = commits.clone();
    db.observe_batches(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    let now = chrono::Utc::now().timestamp();
    let rules = makers_bot::domain::Rules::default();
    let (queued, unqueued) = makers_bot::app::queue_digests_now(&db, now, rules)
        .await
        .unwrap();
    assert!(unqueued.is_none());
    assert_eq!((queued.ids.len(), queued.skipped), (3, 0));
    assert_eq!(commits.load(Ordering::SeqCst), 3, "one write a channel");
    let conn = rusqlite::Connection::open(&path).unwrap();
    for channel in channels {
        let (posts, sent_until): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM outbox WHERE channel_id = ?1
                          AND json_extract(notice, '$.notice.kind') = 'digest'),
                        (SELECT sent_until FROM digest_subscriptions WHERE channel_id = ?1)",
                [channel],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((posts, sent_until), (1, now + 1), "{channel}");
    }
}

/// `makers-bot digest --now` started on `db` against `slack`, its output kept.
fn digest_now(
    dir: &std::path::Path,
    db: &std::path::Path,
    slack: &FakeSlack,
) -> std::process::Child {
    crate::binary::bot(dir)
        .args(["digest", "--now"])
        .env("MAKERS_DB", db)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", &slack.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// `child` sent `signal` (`-INT`, `-TERM`), and what it said as it ended.
async fn stopped(child: std::process::Child, signal: &str) -> std::process::Output {
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

/// The notes to whoever turned the channel's digest on that Slack would not take it there.
fn digest_notes(app: &TestApp, user: &str) -> Vec<String> {
    posted_to(&app.slack, user)
        .into_iter()
        .filter(|t| t.starts_with("The weekly digest could not be posted"))
        .collect()
}

/// A digest Slack will not take because its channel is archived is told to whoever turned it
/// on, in their messages with the bot: nobody in the channel can be told, and a weekly post
/// that stops is noticed weeks late. (It stopped in silence, the log alone saying so.)
#[tokio::test]
async fn a_digest_stopped_in_an_archived_channel_is_told_to_whoever_turned_it_on() {
    let app = spawn_app().await;
    app.slash("U0SUBS", CHANNEL, "digest").await;
    app.slack.archived_channel(CHANNEL);
    app.clock.advance_days(days_to_next_monday(&app));
    let told = eventually("the subscriber told", SHORT, || {
        digest_notes(&app, "U0SUBS").pop()
    })
    .await;
    assert!(
        told.starts_with("The weekly digest could not be posted in <#C0DIGEST> (the channel is archived), so it has stopped there. Once I can post there again, `/makers digest` in that channel turns it back on, starting where it stopped (or a week back, if that is longer ago).\n"),
        "{told}"
    );
    assert_eq!(app.count(LOST), 1);
}

/// Refused week after week (the channel made read-only for the bot), the digest is owed each
/// time and its subscriber told once for the run; once one goes out, a later refusal is told
/// again. Someone who asked to be forgotten is not.
#[tokio::test]
async fn a_digest_refused_week_after_week_is_told_once_a_run_to_whoever_turned_it_on() {
    let app = spawn_app().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    app.slash("U0SUBS", CHANNEL, "digest").await;
    app.slack
        .restricted_channel(CHANNEL, "restricted_action_read_only_channel");
    let refused = || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["channel"] == CHANNEL && c.error().is_some())
            .count()
    };
    app.clock.set("2026-03-16T09:00:30Z");
    let told = eventually("the subscriber told", SHORT, || {
        digest_notes(&app, "U0SUBS").pop()
    })
    .await;
    assert!(
        told.starts_with("The weekly digest could not be posted in <#C0DIGEST> (the channel is read-only for me: only some people may post there). It is kept: the next one starts where this one did, so no week's news is lost once I can post there. If it should not come there any more, `/makers digest off` in that channel turns it off.\n"),
        "{told}"
    );
    app.clock.set("2026-03-23T09:00:30Z");
    eventually("the second refused", SHORT, || {
        (refused() == 2).then_some(())
    })
    .await;
    app.outbox_settled().await;
    assert_eq!(digest_notes(&app, "U0SUBS").len(), 1, "once for the run");

    app.slack.unrestrict(CHANNEL);
    app.clock.set("2026-03-30T09:00:30Z");
    eventually("a digest posted", SHORT, || {
        posted_to(&app.slack, CHANNEL)
            .into_iter()
            .find(|t| t.contains("Makers digest"))
    })
    .await;
    app.outbox_settled().await;
    app.slack
        .restricted_channel(CHANNEL, "restricted_action_read_only_channel");
    app.clock.set("2026-04-06T09:00:30Z");
    eventually("told of the new run", SHORT, || {
        (digest_notes(&app, "U0SUBS").len() == 2).then_some(())
    })
    .await;

    // Forgotten, they are not told again (nor named by the subscription).
    app.slash("U0SUBS", CHANNEL, "forget me").await;
    app.slack.unrestrict(CHANNEL);
    app.clock.set("2026-04-13T09:00:30Z");
    eventually("a digest posted again", SHORT, || {
        (posted_to(&app.slack, CHANNEL).len() == 2).then_some(())
    })
    .await;
    app.outbox_settled().await;
    app.slack
        .restricted_channel(CHANNEL, "restricted_action_read_only_channel");
    app.clock.set("2026-04-20T09:00:30Z");
    eventually("refused again", SHORT, || (refused() == 4).then_some(())).await;
    app.outbox_settled().await;
    assert_eq!(digest_notes(&app, "U0SUBS").len(), 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions WHERE subscribed_by = 'U0SUBS'"),
        0
    );
}

/// A first digest in a private channel the bot was never invited to: its subscriber is told
/// to invite it, not that it is "no longer" a member, to be invited "back" (DIGEST-LIFE 3).
#[tokio::test]
async fn a_first_digest_refused_in_a_private_channel_does_not_say_the_bot_left() {
    let app = spawn_app().await;
    app.slack.private_channel(CHANNEL);
    app.slash("U0SUBS", CHANNEL, "digest").await;
    app.outbox_settled().await;
    // As Slack answers for a private channel the bot is not in: not found, and not joinable.
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.slack.script(
        "conversations.join",
        Script::Error("method_not_supported_for_channel_type"),
    );
    app.clock.advance_days(days_to_next_monday(&app));
    let told = eventually("told it stopped", SHORT, || {
        digest_notes(&app, "U0SUBS").pop()
    })
    .await;
    assert!(
        !told.contains("no longer") && !told.contains("me back"),
        "{told}"
    );
    assert!(told.contains("/invite @Makers"), "{told}");
}

/// The bot taken out of the channel: its subscriber is told that inviting it back starts the
/// digest again. Invited back, whoever turned it on is still the one told (not the bot,
/// whose invitation restarted it), of a refusal that keeps it and then of one that stops it.
#[tokio::test]
async fn a_digest_s_subscriber_is_told_of_each_change_of_its_fate_after_an_invitation_too() {
    let app = spawn_app().await;
    app.slash("U0SUBS", CHANNEL, "digest").await;
    app.outbox_settled().await;
    // Its first digest went out there, so the bot's removal is respected.
    app.clock.advance_days(days_to_next_monday(&app));
    digests_delivered(&app, 1).await;
    next_digest_meets_not_in_channel(&app, 7).await;
    let told = eventually("told it stopped", SHORT, || {
        digest_notes(&app, "U0SUBS").pop()
    })
    .await;
    assert!(
        told.starts_with("The weekly digest could not be posted in <#C0DIGEST>, as I am no longer a member of it, so it has stopped there. Inviting me back (type `/invite @Makers` in that channel) starts it again, from where it stopped (or a week back, if that is longer ago)."),
        "{told}"
    );
    assert_eq!(
        app.event(&bot_joined("EvBackSubs", CHANNEL)).await.status,
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM digest_subscriptions WHERE subscribed_by = 'U0SUBS' AND stopped_at IS NULL"),
        1,
        "still theirs, running"
    );
    app.slack
        .restricted_channel(CHANNEL, "restricted_action_read_only_channel");
    app.clock.advance_days(7);
    eventually("told it is kept", SHORT, || {
        (digest_notes(&app, "U0SUBS").len() == 2).then_some(())
    })
    .await;
    assert!(digest_notes(&app, "U0SUBS")[1].contains("It is kept"));
    app.slack.unrestrict(CHANNEL);
    app.slack.archived_channel(CHANNEL);
    app.clock.advance_days(7);
    let told = eventually("told it stopped after all", SHORT, || {
        digest_notes(&app, "U0SUBS").get(2).cloned()
    })
    .await;
    assert!(
        told.contains("(the channel is archived), so it has stopped there"),
        "{told}"
    );
}

/// A row edited by hand is left out of the digest, and the line saying so names the
/// workspace, the digest's section and the project, so that it can be found and mended (it
/// said only "stored user is malformed", outside any request).
#[tokio::test]
async fn a_row_left_out_of_the_digest_is_named_in_the_log() {
    use crate::helpers::logs::{capture_logs, logged_with};
    const T: &str = "T0DIGESTLOGS";
    capture_logs();
    let app = spawn_app().await;
    app.slash_in(T, "U1", CHANNEL, "digest").await;
    app.slash_in(T, "U0PITCHER", CHANNEL, "pitch Parking permits")
        .await;
    app.slash_in(T, "U0BOB", CHANNEL, "join 1").await;
    app.db()
        .execute_batch(&format!(
            "UPDATE members SET user_id = 'not a user' WHERE user_id = 'U0BOB'
               AND project_id = (SELECT id FROM projects WHERE team_id = '{T}')"
        ))
        .unwrap();
    let a = app.slash_in(T, "U1", CHANNEL, "digest preview").await;
    assert!(a.text().contains("#1 Parking permits"), "{}", a.body);
    let left_out = logged_with(&["left out of the digest", &format!("team={T}")]);
    assert_eq!(left_out.len(), 1, "{left_out:#?}");
    assert!(left_out[0].contains("project=1"), "{}", left_out[0]);
}
