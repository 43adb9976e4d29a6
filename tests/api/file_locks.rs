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
