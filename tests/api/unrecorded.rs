//! A post that went out but cannot be recorded (a full disk; here a trigger refuses the write
//! the way a full disk does) is never posted again: delivery pauses, `/healthz` says why, and
//! once the database takes writes again the post is recorded and delivery goes on.

use std::time::Duration;

use makers_bot::store::{AsyncStore, Store};

use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER};

const REFUSE: &str = "CREATE TRIGGER disk_full BEFORE UPDATE OF delivered_at ON outbox
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";

#[tokio::test]
async fn a_post_that_cannot_be_recorded_is_never_posted_again() {
    let app = spawn_app().await;
    app.db().execute_batch(REFUSE).unwrap();
    app.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    // The worker retries its recording every second: over 4 s the post is not made again.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 1, "posted once: {posts:?}");
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(a.status, 503);
    assert!(
        a.body.contains("cannot be recorded; delivery paused"),
        "{}",
        a.body
    );
    // While paused, nothing new is posted.
    app.slash(PITCHER, CHANNEL, "pitch Salt bins").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), 1);

    app.db().execute_batch("DROP TRIGGER disk_full").unwrap();
    app.outbox_settled().await;
    let texts: Vec<String> = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .map(|c| message_text(&c.body))
        .collect();
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("Grit bin sensors"))
            .count(),
        1,
        "{texts:?}"
    );
    assert_eq!(texts.iter().filter(|t| t.contains("Salt bins")).count(), 1);
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL"),
        0
    );
}

/// Another process holds the write lock past the bot's 5 s busy timeout just as Slack takes
/// an announcement (an operator's `sqlite3` left in a transaction, an `erase` beside
/// `serve`): the post waits, remembered, and all that follows from it is recorded once the
/// lock is let go. Before, the post alone was marked sent by a second, smaller write: the
/// announcement's ts was never kept, so a join's line was refused as "never announced".
#[tokio::test]
async fn an_announcement_recorded_while_another_process_holds_the_lock_keeps_its_thread() {
    let app = spawn_app().await;
    app.slack.script("chat.postMessage", Script::Held);
    app.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    eventually("the announcement at Slack", SHORT, || {
        (app.slack.held("chat.postMessage") == 1).then_some(())
    })
    .await;
    // Let go 7.5 s after the lock is taken: after the recording's 5 s wait gave up, before a
    // second write's would. (A machine that took over 2.5 s to begin recording after Slack's
    // answer would see the first write succeed, and the test pass without the mend; it
    // cannot fail wrongly.)
    let lock = app.hold_writes_for(Duration::from_millis(7_500));
    app.slack.release("chat.postMessage");
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let ts = posts[0]
        .ts()
        .expect("Slack took the announcement")
        .to_string();
    lock.join().unwrap();
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL"),
        1,
        "the announcement's ts is kept"
    );

    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let lines = crate::teams::thread_lines(&app, &ts);
    assert!(
        lines.iter().any(|l| l.contains("U0BOB")),
        "Bob's join said in the announcement's thread: {lines:?}"
    );
    let posts = app.slack.calls("chat.postMessage");
    let never = posts
        .iter()
        .filter(|c| c.body["channel"] == PITCHER)
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains("never"))
        .collect::<Vec<_>>();
    assert!(
        never.is_empty(),
        "the pitcher not told it was never posted: {never:?}"
    );
}

/// A trigger that refuses every change to the outbox, as a full disk would.
const REFUSE_ANY_CHANGE: &str = "CREATE TRIGGER disk_full BEFORE UPDATE ON outbox
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";

/// The posts still owed.
const OWED: &str = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL";

/// A post Slack answers with a 429 whose outcome cannot be recorded (a full disk; here a
/// trigger refuses every change to the outbox) still waits out Slack's `Retry-After`: it is
/// sent once in the wait (before, about once a second), and the row stays owed.
#[tokio::test]
async fn a_rate_limit_is_waited_out_when_its_outcome_cannot_be_recorded() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::RateLimited(30));
    app.db().execute_batch(REFUSE_ANY_CHANGE).unwrap();
    app.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    // The worker tries again a second after a failed pass: over 4 s Slack is not asked again.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        1,
        "asked once in the wait"
    );
    assert_eq!(app.count(OWED), 1, "still owed");
}

/// A post Slack refuses for its token (`invalid_auth`) whose outcome cannot be recorded
/// still holds the workspace's posts for the refusal's wait, which grows with each refusal
/// in a row (1 s, 2 s, 4 s…): before, it was sent again about once a second, the worker
/// trying a failed pass again a second later.
#[tokio::test]
async fn a_refused_token_is_waited_out_when_its_outcome_cannot_be_recorded() {
    let app = spawn_app().await;
    app.slack
        .always("chat.postMessage", Script::Error("invalid_auth"));
    app.db().execute_batch(REFUSE_ANY_CHANGE).unwrap();
    app.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    let calls = app.slack.wait_for("chat.postMessage", 3, SHORT).await;
    // Each wait is held from Slack's answer, so the time between two calls is at least the
    // wait (more on a loaded machine, never less).
    let second_wait = calls[2].received - calls[1].received;
    assert!(
        second_wait >= Duration::from_secs(2),
        "asked again after {second_wait:?}, not the 2 s of a second refusal"
    );
    assert_eq!(app.count(OWED), 1, "still owed");
}

/// Stopping while a post that went out is not recorded: the worker tries a few more times
/// before the process goes (the memory of it goes with the process, and the next start
/// would post it again).
#[tokio::test]
async fn a_post_not_yet_recorded_is_recorded_while_stopping_if_it_can_be() {
    let app = spawn_app().await;
    let db = app.db();
    db.execute_batch(REFUSE).unwrap();
    app.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let restarting = tokio::spawn(app.restart());
    // Space is freed while the server is stopping.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    db.execute_batch("DROP TRIGGER disk_full").unwrap();
    let app = restarting.await.unwrap();
    app.outbox_settled().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(posts.len(), 1, "posted once across the restart: {posts:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL"),
        1
    );
}

/// Every subscribed channel's digest queued as `makers-bot digest --now` queues them.
async fn digests_queued_now(db: &AsyncStore, now: i64) -> Vec<i64> {
    let rules = makers_bot::domain::Rules::default();
    makers_bot::app::queue_digests_now(db, now, rules)
        .await
        .unwrap()
        .0
        .ids
}

/// The worker `makers-bot digest --now` drives, against `slack`.
fn command_worker(
    db: AsyncStore,
    slack: &FakeSlack,
    clock: makers_bot::clock::SharedClock,
) -> makers_bot::slack::delivery::Worker {
    use makers_bot::slack::{client::SlackApi, render::Look, tokens::TokenSource};
    let tokens = TokenSource::single(&makers_bot::config::Secret::new(TOKEN));
    // As the configuration gives it: without its trailing `/`.
    let api = SlackApi::new(slack.url.trim_end_matches('/'), tokens, &Default::default()).unwrap();
    let look = Look::of(
        &makers_bot::domain::Rules::default(),
        "http://127.0.0.1:3000",
        makers_bot::slack::render::JoinSeal::from_secret(b"test"),
    );
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    makers_bot::slack::delivery::Worker::new(db, clock, api, look, wake)
        .holding_retries(Duration::from_secs(3600))
}

/// `makers-bot digest --now` (its worker, driven here as the command drives it): once a
/// post it made cannot be recorded, it posts nothing new until it can, and gives up at its
/// deadline with both still owed (the first to be recorded by whoever can, never posted
/// twice by it).
#[tokio::test]
async fn digest_now_posts_nothing_new_while_a_post_it_made_is_unrecorded() {
    let app = spawn_app().await;
    for channel in ["C0DIGONE", "C0DIGTWO"] {
        app.slash("U1", channel, "digest").await;
    }
    let (path, slack, _dir) = app.stop().await;
    let db = AsyncStore::new(Store::open(&path).unwrap());
    let ids = digests_queued_now(&db, chrono::Utc::now().timestamp()).await;
    assert_eq!(ids.len(), 2);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(REFUSE)
        .unwrap();
    let mut worker = command_worker(db, &slack, makers_bot::clock::system());
    let owed = worker
        .deliver_now(&ids, Duration::from_secs(3), &Default::default())
        .await
        .unwrap();
    assert_eq!(owed, 2);
    let posts = slack.calls("chat.postMessage");
    assert_eq!(
        posts.len(),
        1,
        "nothing new while one is unrecorded: {posts:?}"
    );
}

/// `makers-bot digest --now` (its worker, driven as the command drives it) giving up on a
/// digest Slack would not take leaves it to the running server, due at once: queued for the
/// command alone an hour ahead, it would hold up its channel's other posts for that hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_now_leaves_what_it_could_not_post_to_the_server() {
    let app = spawn_app().await;
    app.slash("U1", "C0DIGONE", "digest").await;
    let db = AsyncStore::new(Store::open(&app.db_path).unwrap());
    let ids = digests_queued_now(&db, app.clock.now().timestamp()).await;
    app.slack.always("chat.postMessage", Script::Status(500));
    let mut worker = command_worker(db, &app.slack, std::sync::Arc::new(app.clock.clone()));
    let owed = worker
        .deliver_now(&ids, Duration::from_secs(2), &Default::default())
        .await
        .unwrap();
    assert_eq!(owed, 1);

    // Slack is back: a pitch in that channel wakes the server, which posts the digest
    // first, then the announcement, now rather than an hour later.
    app.slack.heal("chat.postMessage");
    app.slash("U0PITCHER", "C0DIGONE", "pitch Bin day finder")
        .await;
    let posted = eventually("the digest and the announcement", SHORT, || {
        let texts = posted_texts(&app.slack);
        (texts.len() >= 2).then_some(texts)
    })
    .await;
    assert!(posted[0].contains("Makers digest"), "{posted:?}");
    assert!(posted[1].contains("Bin day finder"), "{posted:?}");
}
