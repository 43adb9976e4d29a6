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
