//! Durable when acknowledged (issue 12): the server is killed with SIGKILL under concurrent
//! pitches, joins and updates, and started again on the same file. Every acknowledged write
//! is there, and every announcement and thread line is posted exactly once across the two
//! runs, but for the one post that may be in flight at the kill (Slack has answered, the
//! bot has not yet committed that it did): the outbox worker posts one row at a time, so at
//! most one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::process::*;
use crate::helpers::*;

/// Posts answered by the fake Slack, oldest first: (answered, the next post's arrival).
fn gaps_between_posts(calls: &[Call]) -> Vec<Duration> {
    let mut posts: Vec<&Call> = calls
        .iter()
        .filter(|c| c.method.starts_with("chat.post"))
        .collect();
    posts.sort_by_key(|c| c.at);
    posts
        .windows(2)
        .map(|w| w[1].received.saturating_duration_since(w[0].at))
        .collect()
}

pub fn undelivered(db: &rusqlite::Connection) -> i64 {
    db.query_row(
        "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_write_load_loses_no_acknowledged_write_and_posts_nothing_settled_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let slack = FakeSlack::start().await;
    let bot = Arc::new(BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await);
    pitch_setup_projects(&bot, &db).await;

    let load = Arc::new(Load::default());
    let writing = tokio::spawn(write_load(bot.clone(), 4, load.clone()));
    // Hundreds of writes, with the outbox part-way through them; on a slow machine, as many
    // as it takes 20 s to make.
    load.progressed(300, Duration::from_secs(1), Duration::from_secs(20))
        .await;
    let killed_at = Instant::now();
    bot.kill();
    let acked = writing.await.unwrap();
    load.stop();
    // The post in flight at the kill may already be in the fake Slack's socket: it records
    // the call only once it has answered, on its own thread, which a busy machine can hold
    // back. Counted once the count has stood still for a second.
    let mut posted_before = slack.all_calls().len();
    let mut still = 0;
    while still < 5 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = slack.all_calls().len();
        still = if now == posted_before { still + 1 } else { 0 };
        posted_before = now;
    }
    assert!(acked.len() > 20, "only {} writes acknowledged", acked.len());

    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(SHORT).unwrap();
    eprintln!(
        "{} writes acknowledged; {} posts owed at the restart",
        acked.len(),
        undelivered(&conn)
    );
    let missing: Vec<_> = acked.iter().filter(|a| !a.write.is_in(&conn)).collect();
    assert!(missing.is_empty(), "acknowledged, then lost: {missing:?}");

    // The second run posts what the first owed.
    eventually("the outbox drained", Duration::from_secs(90), || {
        (undelivered(&conn) == 0).then_some(())
    })
    .await;
    let calls = slack.all_calls();
    let texts: Vec<String> = posts(&calls).into_iter().map(|(k, _)| k).collect();
    for a in &acked {
        let needle = match &a.write {
            Write::Pitch { title } => title.clone(),
            Write::Join { user, .. } => format!("<@{user}>"),
            Write::Update { body } => body.clone(),
            Write::Skills { .. } => continue,
        };
        assert!(
            texts.iter().any(|t| t.contains(&needle)),
            "never posted: {:?}",
            a.write
        );
    }
    let twice = posted_twice(&calls);
    assert!(twice.len() <= 1, "posted twice: {twice:#?}");
    // The one post that may go again is the one in flight at the kill: the last Slack
    // answered before it (the worker records each post before it makes the next). Told by
    // order, not by time, which a slow disk stretches.
    let last_before_kill = posts(&calls[..posted_before])
        .into_iter()
        .max_by_key(|(_, at)| *at)
        .map(|(key, _)| key);
    for (what, first) in &twice {
        let before_kill = killed_at.saturating_duration_since(*first);
        eprintln!(
            "in flight at the kill, posted again: {what} (first answered {before_kill:?} before the kill)"
        );
        assert_eq!(
            Some(what),
            last_before_kill.as_ref(),
            "posted again, and not the post in flight at the kill"
        );
    }
    let mut gaps = gaps_between_posts(&calls[..posted_before]);
    gaps.sort();
    let pct = |p: usize| gaps.get(gaps.len().saturating_sub(1) * p / 100);
    eprintln!(
        "{} writes acknowledged before the kill, none lost; {} posts in all, {} posted twice; \
         from Slack's answer to the worker's next post (which follows the commit recording \
         it): p50 {:?}, p99 {:?}",
        acked.len(),
        texts.len(),
        twice.len(),
        pct(50),
        pct(99)
    );
    bot.kill();
}
