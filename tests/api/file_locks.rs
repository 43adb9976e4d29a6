//! The bot must keep SQLite's locks on its file for as long as it runs: POSIX drops every
//! lock a process holds on a file when any descriptor of that file is closed, so opening and
//! closing the database file by hand (as `/healthz` once did to read its header) silently
//! left another process, such as an operator's `sqlite3` or Litestream, free to take itself
//! for the file's only user, checkpoint and delete the WAL the bot was still writing. (A
//! reviewer saw Debian's SQLite 3.40 do that to the running bot; the SQLite bundled here is
//! more careful at close, so the test looks at the locks themselves.)

use crate::helpers::process::*;
use crate::helpers::*;

/// The POSIX locks process `pid` holds on the file with inode `ino` (from `/proc/locks`).
fn locks_of(pid: u32, ino: u64) -> Vec<String> {
    let held = std::fs::read_to_string("/proc/locks").unwrap();
    held.lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 5 && f[4] == pid.to_string() && f[5].ends_with(&format!(":{ino}"))
        })
        .map(String::from)
        .collect()
}

#[tokio::test]
async fn health_checks_leave_sqlites_locks_on_the_database_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let slack = FakeSlack::start().await;
    // Starting waits on `/healthz`; ask a few more times, and write.
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    for _ in 0..3 {
        assert_eq!(bot.health().await, 200);
    }
    bot.slash("U0PITCHER", "C0MAKERS", "pitch Grit bin sensors")
        .await
        .unwrap();
    assert_eq!(bot.health().await, 200);
    let ino = std::fs::metadata(&db).unwrap().ino();
    let locks = locks_of(bot.pid(), ino);
    assert!(
        !locks.is_empty(),
        "the bot holds SQLite's shared lock on its database file"
    );
}

/// Two `serve`s of one database would each run an outbox worker, and each posts a due row
/// before recording it: everything twice. The second is refused, exit 2 naming `MAKERS_DB`
/// and the process that holds it; once that one is gone, however it went, a new one starts.
#[tokio::test]
async fn a_second_serve_of_one_database_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let slack = FakeSlack::start().await;
    let first = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let mut second = crate::binary::bot(dir.path())
        .arg("serve")
        .env("MAKERS_DB", &db)
        .env("MAKERS_ADDR", "127.0.0.1:0")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", &slack.url)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Had it started, it would serve until killed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while second.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second serve of the database ran beside the first");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let second = second.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains("MAKERS_DB")
            && err.contains(&format!(
                "another makers-bot serve is using it (process {} on ",
                first.pid()
            )),
        "{err}"
    );
    // `check`, which the unit and the container run before Litestream starts `serve` (and
    // which turns serve's 2 into 1), says so too, exit 2, creating nothing.
    let check = crate::binary::bot(dir.path())
        .arg("check")
        .env("MAKERS_DB", &db)
        .env("MAKERS_ADDR", "127.0.0.1:0")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{err}");
    assert!(
        err.contains("MAKERS_DB")
            && err.contains("another makers-bot serve is using it")
            && err.contains("(what is checked before it, the settings and the database, is fine)"),
        "{err}"
    );
    // The first serves on, alone.
    assert_eq!(first.health().await, 200);
    first.kill();
    let again = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    assert_eq!(again.health().await, 200);
}

/// A request in flight when the bot is told to stop is still answered, and once the bot has
/// stopped its database is closed: SQLite's last connection to close deletes the WAL by its
/// name, so a store still closing would delete the WAL of a backup put back at that path
/// (`TestApp::stop` checks that nothing still has the file open).
#[tokio::test]
async fn a_request_in_flight_at_a_stop_is_answered_and_then_the_database_is_closed() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C0MAKERS", "council Guildford BC")
        .await;
    app.slack.script("views.open", Script::Slow(1000));
    let body = slash_body(TEAM, "U0PITCHER", "C0MAKERS", "pitch");
    let mut headers = signed_headers(&body, now());
    headers.push((
        "content-type",
        "application/x-www-form-urlencoded".to_string(),
    ));
    let addr = app.addr;
    let asked = tokio::spawn(async move {
        send(
            &client(),
            addr,
            "POST",
            "/slack/commands",
            &headers,
            body.into(),
        )
        .await
    });
    eventually("the form on its way to Slack", SHORT, || {
        (app.slack.scripts_left("views.open") == 0).then_some(())
    })
    .await;
    assert!(!asked.is_finished(), "the request is in flight at the stop");
    let (db, slack, _dir) = app.stop().await;
    assert_eq!(slack.calls("views.open").len(), 1);
    let answer = asked.await.unwrap().expect("answered while stopping");
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.body);
    // What it recorded before is there for whoever opens the file next.
    let council: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT c.name FROM people p JOIN councils c ON c.id = p.council_id \
             WHERE p.user_id = 'U0PITCHER'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(council.contains("Guildford"), "{council}");
}
