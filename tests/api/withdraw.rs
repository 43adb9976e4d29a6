//! `/makers withdraw <id>`: an author takes back their latest update on a project (posted on
//! the wrong one, say). Its words go from the record, search and the bot's posts; nothing
//! that shows updates shows it; the bot's line in the thread says it was withdrawn.

use crate::helpers::*;
use crate::home::open_home;
use crate::progress::{announced_once_healed, latest_line_ts, thread, update_on_its_way};

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";
/// A word only the update withdrawn holds.
const WORDS: &str = "Zanzibar ferry timetable is live <!channel>";
/// The line in the thread, once withdrawn.
const WITHDRAWN_LINE: &str = ":memo: *Update on #1* from <@U0PITCHER>: _withdrawn by its author._";

/// The update `id` as stored: its words and whether it is withdrawn.
fn stored(app: &TestApp, id: i64) -> (String, bool) {
    app.db()
        .query_row(
            "SELECT body, withdrawn_at IS NOT NULL FROM updates WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// Rows of the outbox or of the updates that still hold the withdrawn words.
fn words_kept(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM outbox WHERE instr(lower(notice), 'zanzibar')")
        + app.count("SELECT COUNT(*) FROM updates WHERE instr(lower(body), 'zanzibar')")
}

#[tokio::test]
async fn an_author_withdraws_their_latest_update_and_its_line_says_so() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U1", CHANNEL, "digest").await;
    let activity = "SELECT last_activity_at FROM projects WHERE number = 1";
    app.clock.set_timestamp(app.clock.now().timestamp() + 100);
    app.slash(PITCHER, CHANNEL, "update 1 Kick-off done").await;
    let kick_off = app.count(activity);
    app.clock.set_timestamp(app.clock.now().timestamp() + 100);
    app.slash(PITCHER, CHANNEL, &format!("update 1 {WORDS}"))
        .await;
    // The test clock runs on from where it is set, so the second is later by about 100 s.
    assert!(app.count(activity) >= kick_off + 100, "the update is news");
    thread(&app, &ts, 2).await;
    app.outbox_settled().await;
    let line_ts = latest_line_ts(&app, &ts);
    app.clock.set_timestamp(app.clock.now().timestamp() + 60);

    let a = app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert!(
        a.text().starts_with(
            "Withdrawn: your latest update on *#1: Bin day finder* is gone from `show`, search and the digest"
        ) && a.text().contains("Its line in the thread now says it was withdrawn."),
        "{}",
        a.text()
    );
    // The line is replaced in place, without the words.
    let fixed = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert_eq!(fixed[0].body["ts"], line_ts.as_str(), "the latest line");
    assert_eq!(fixed[0].body["channel"], CHANNEL);
    let text = message_text(&fixed[0].body);
    assert!(text.starts_with(WITHDRAWN_LINE), "{text}");
    assert!(!text.to_lowercase().contains("zanzibar"), "{text}");
    // The record: the latest only, its words gone; the earlier one stands.
    assert_eq!(stored(&app, 2), (String::new(), true));
    assert_eq!(stored(&app, 1), ("Kick-off done".to_string(), false));
    app.outbox_settled().await;
    assert_eq!(words_kept(&app), 0, "the words are not kept");
    // The project's last news is what it was before the update withdrawn.
    assert_eq!(app.count(activity), kick_off, "the last news goes back");

    // Nothing that shows updates shows it.
    let show = app.slash("U0ANYONE", CHANNEL, "show 1").await.blocks();
    assert!(show.contains("Kick-off done"), "{show}");
    assert!(!show.to_lowercase().contains("zanzibar"), "{show}");
    assert!(!show.contains("withdrawn"), "{show}");
    assert_eq!(
        show.matches("<@U0PITCHER>: ").count(),
        1,
        "one update: {show}"
    );
    let found = app.slash("U0ANYONE", CHANNEL, "search zanzibar").await;
    assert!(
        !found.blocks().contains("Bin day finder"),
        "{}",
        found.blocks()
    );
    let found = app.slash("U0ANYONE", CHANNEL, "search kick-off").await;
    assert!(
        found.blocks().contains("Bin day finder"),
        "{}",
        found.blocks()
    );
    let digest = app.slash("U1", CHANNEL, "digest preview").await.text();
    assert!(digest.contains("Kick-off done"), "{digest}");
    assert!(
        digest.contains(": 1 new pitch, 0 joins, 1 update\n"),
        "{digest}"
    );
    assert!(!digest.to_lowercase().contains("zanzibar"), "{digest}");
    let home = open_home(&app, PITCHER, 1).await.to_string();
    assert!(home.contains("Kick-off done"), "{home}");
    assert!(!home.to_lowercase().contains("zanzibar"), "{home}");

    // Again: nothing more to do, and only the latest can be withdrawn.
    let a = app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    assert!(a.said().contains("is withdrawn already"), "{}", a.said());
    assert_eq!(stored(&app, 1), ("Kick-off done".to_string(), false));
    // A withdrawn update is not corrected back.
    let a = app.slash(PITCHER, CHANNEL, "correct 1 Ferry times").await;
    assert!(
        a.said().starts_with(
            "Your latest update on project #1 is withdrawn, so there is nothing to correct"
        ),
        "{}",
        a.said()
    );
    assert_eq!(stored(&app, 2), (String::new(), true));
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.update").len(), 1);

    // Someone else's update is theirs: a member with none has nothing to withdraw.
    app.slash("U0JOINER", CHANNEL, "join 1").await;
    let a = app.slash("U0JOINER", CHANNEL, "withdraw 1").await;
    assert!(
        a.said().starts_with(
            "You haven't posted an update on project #1, so there is nothing of yours to withdraw."
        ),
        "{}",
        a.said()
    );
    assert_eq!(stored(&app, 1), ("Kick-off done".to_string(), false));
    let a = app.slash(PITCHER, CHANNEL, "withdraw 9").await;
    assert!(a.said().contains("There is no project #9"), "{}", a.said());
}

/// A project announced long after it was pitched (the bot invited to its channel weeks
/// later) had its news go back to the pitch when an update was withdrawn, as if quiet since
/// then: marked quiet, and nudged. Its announcement is news too.
#[tokio::test]
async fn a_withdrawal_leaves_a_late_announcement_as_the_last_news() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    // Pitched nine weeks before it was announced; the announcement's ts, as Slack's are, the
    // moment it was posted (the fake Slack's count from 2023).
    app.db()
        .execute(
            "UPDATE projects SET created_at = created_at - 63 * 86400,
                                 announcement_ts = ?1 WHERE number = 1",
            [format!("{}.000100", now())],
        )
        .unwrap();
    let activity = "SELECT last_activity_at FROM projects WHERE number = 1";
    let announced = app.count(activity);
    app.slash(PITCHER, CHANNEL, "update 1 Wrong project, sorry")
        .await;
    app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    assert!(
        app.count(activity) >= announced - 1,
        "{} against {announced}",
        app.count(activity)
    );
    let show = app.slash("U1", CHANNEL, "show 1").await.text();
    assert!(!show.contains("quiet"), "{show}");
}

#[tokio::test]
async fn an_update_withdrawn_before_its_line_is_posted_goes_out_without_its_words() {
    let app = spawn_app().await;
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, &format!("update 1 {WORDS}"))
        .await;
    let a = app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    assert!(
        a.text().contains(
            "Its line isn't in the thread yet: it will say only that an update was withdrawn (if it was already on its way, it is replaced as soon as it is posted)."
        ),
        "{}",
        a.text()
    );
    assert_eq!(words_kept(&app), 0, "the words are not kept");
    let ts = announced_once_healed(&app).await;
    let lines = thread(&app, &ts, 1).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(WITHDRAWN_LINE), "{lines:?}");
    assert!(!lines[0].to_lowercase().contains("zanzibar"), "{lines:?}");
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.update").is_empty(),
        "nothing to correct"
    );
}

/// The line is on its way (Slack has the request, its answer is not back) when the update is
/// withdrawn: it goes out with the words, then is replaced in place.
#[tokio::test]
async fn an_update_withdrawn_while_its_line_is_on_its_way_is_replaced_once_posted() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    update_on_its_way(&app, WORDS).await;
    app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    let line = thread(&app, &ts, 1).await;
    assert!(line[0].contains("Zanzibar"), "sent before: {line:?}");
    let fixed = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert_eq!(
        fixed[0].body["ts"],
        latest_line_ts(&app, &ts).as_str(),
        "the line is replaced"
    );
    let text = message_text(&fixed[0].body);
    assert!(text.starts_with(WITHDRAWN_LINE), "{text}");
    assert!(!text.to_lowercase().contains("zanzibar"), "{text}");
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.update").len(), 1);
    assert_eq!(words_kept(&app), 0, "the words are not kept");
}

#[tokio::test]
async fn a_withdrawal_slack_refuses_is_told_and_an_update_by_mention_is_its_authors_to_delete() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, &format!("update 1 {WORDS}"))
        .await;
    app.outbox_settled().await;
    app.slack
        .script("chat.update", Script::Error("is_archived"));
    app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    let dm = eventually("the note to the author", SHORT, || {
        dms_to(&app, PITCHER)
            .into_iter()
            .find(|t| t.contains("withdrawn"))
    })
    .await;
    assert!(
        dm.starts_with("Project #1: I could not mark your update's line in the thread withdrawn")
            && dm.contains("Your update is withdrawn"),
        "{dm}"
    );
    assert_eq!(stored(&app, 1), (String::new(), true), "it stands");

    // An update made by mentioning the bot in the thread is the author's own message there.
    let mut e = mention(
        "EvW1",
        PITCHER,
        CHANNEL,
        "1700000500.000100",
        "zanzibar again",
    );
    e["event"]["thread_ts"] = ts.clone().into();
    app.event(&e).await;
    eventually("the mention's update", SHORT, || {
        (app.count("SELECT COUNT(*) FROM updates") == 2).then_some(())
    })
    .await;
    let a = app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    assert!(
        a.text()
            .contains("it is your own message, which only you can delete"),
        "{}",
        a.text()
    );
    assert_eq!(stored(&app, 2), (String::new(), true));
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.update").len(), 1, "only the first");
}

/// A digest queued while Slack is down, then the update in it corrected and withdrawn: it
/// goes out without the words taken back.
#[tokio::test]
async fn a_digest_still_to_be_posted_goes_out_without_the_words_taken_back() {
    const DIGEST: &str = "C0DIGEST";
    let app = spawn_app().await;
    app.slash("U1", DIGEST, "digest").await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "update 1 Kick-off done").await;
    app.slash(
        PITCHER,
        CHANNEL,
        "update 1 Zanzibar ferry timetable is lvie",
    )
    .await;
    thread(&app, &ts, 2).await;
    app.outbox_settled().await;
    crate::digests::hold_the_next_digest(&app).await;
    let digest_row = || crate::digests::queued_digest(&app);
    assert!(digest_row().contains("lvie"), "{}", digest_row());

    app.slash(
        PITCHER,
        CHANNEL,
        "correct 1 Zanzibar ferry timetable is live",
    )
    .await;
    let row = digest_row();
    assert!(
        row.contains("Zanzibar ferry timetable is live") && !row.contains("lvie"),
        "{row}"
    );
    app.slash(PITCHER, CHANNEL, "withdraw 1").await;
    let row = digest_row();
    assert!(
        row.contains("(withdrawn by its author)") && row.contains("Kick-off done"),
        "{row}"
    );
    assert_eq!(words_kept(&app), 0, "the words are not kept");

    // Slack still down, an attempt refused with the words withdrawn: the worker read the row
    // after the withdrawal, and none read before it is still on its way (the bot runs on
    // this test's thread, so a post it read before the withdrawal may be sent only once the
    // test next waits: after the heal, had the test healed at once).
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    eventually("an attempt with the update withdrawn", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| {
                c.body["channel"] == DIGEST
                    && c.body["_answered_ok"] != true
                    && message_text(&c.body).contains("(withdrawn by its author)")
            })
            .then_some(())
    })
    .await;
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    let posted = eventually("the digest posted", SHORT, || {
        posted_to(&app.slack, DIGEST)
            .into_iter()
            .find(|t| t.contains("Makers digest"))
    })
    .await;
    assert!(
        posted.contains("#1 Bin day finder>: (withdrawn by its author)")
            && posted.contains("#1 Bin day finder>: Kick-off done")
            && !posted.to_lowercase().contains("zanzibar"),
        "{posted}"
    );
}

/// By mention, the answers to someone's own update, correction and withdrawal are theirs
/// alone, as by command: the thread gets the update's line and its replacement, and nobody
/// is told who took words back.
#[tokio::test]
async fn by_mention_the_answers_to_ones_own_update_are_shown_to_them_alone() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let ask = |id: &str, ts: &str, text: &str| mention(id, PITCHER, CHANNEL, ts, text);
    app.event(&ask("EvU1", "1700000600.000100", "update 1 Survey sent"))
        .await;
    app.event(&ask(
        "EvU2",
        "1700000700.000100",
        "correct 1 Survey sent to all wards",
    ))
    .await;
    app.event(&ask("EvU3", "1700000800.000100", "withdraw 1"))
        .await;
    let private = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    let said: Vec<String> = private.iter().map(|c| message_text(&c.body)).collect();
    assert!(said[0].starts_with("Thanks! Your update on"), "{said:?}");
    assert!(
        said[1].starts_with("Corrected: your latest update"),
        "{said:?}"
    );
    assert!(
        said[2].starts_with("Withdrawn: your latest update"),
        "{said:?}"
    );
    assert!(
        private.iter().all(|c| c.body["user"] == PITCHER),
        "{private:?}"
    );
    app.outbox_settled().await;
    for mention_ts in [
        "1700000600.000100",
        "1700000700.000100",
        "1700000800.000100",
    ] {
        assert!(
            app.slack
                .calls("chat.postMessage")
                .iter()
                .all(|c| c.body["thread_ts"] != mention_ts),
            "nothing posted for everyone in the thread of {mention_ts}"
        );
    }
    assert_eq!(stored(&app, 1), (String::new(), true));
}
