//! The binary meeting a machine it cannot use: a database it cannot open or must not touch,
//! an address it cannot have. Each is exit status 2 (the systemd unit's
//! `RestartPreventExitStatus`) and one line naming the setting.

use crate::binary::{bot, free_port, listening, spawn_serve};
use crate::helpers::{SECRET, TOKEN};

/// `serve` in `dir` with credentials and a free port, plus `extra` settings; its output.
fn serve_with(dir: &std::path::Path, extra: &[(&str, &str)]) -> std::process::Output {
    run_with(dir, "serve", extra)
}

/// The same for any subcommand that reads serve's settings.
pub fn run_with(
    dir: &std::path::Path,
    command: &str,
    extra: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = bot(dir);
    cmd.arg(command)
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", "http://127.0.0.1:9/api/")
        .env("MAKERS_ADDR", "127.0.0.1:0");
    for (name, value) in extra {
        cmd.env(name, value);
    }
    cmd.output().unwrap()
}

/// Exit status 2 (the systemd unit's RestartPreventExitStatus) and one line naming `name`.
fn assert_refused_naming(out: &std::process::Output, name: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Log lines (migrations applied) may come first; the complaint is one line of its own.
    let said: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("makers-bot: "))
        .collect();
    assert_eq!(said.len(), 1, "{err}");
    assert!(said[0].contains(name), "{err}");
    said[0].to_string()
}

#[test]
fn a_database_in_a_missing_directory_exits_2_naming_makers_db() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("makers.db");
    let out = serve_with(dir.path(), &[("MAKERS_DB", path.to_str().unwrap())]);
    let err = assert_refused_naming(&out, "MAKERS_DB");
    assert!(err.contains("does not exist"), "{err}");
}

/// The emoji itself as `MAKERS_JOIN_EMOJI` (no reaction Slack sends is named so): refused at
/// start, not announced as "React with :✋:" with no reaction ever joining anyone.
#[test]
fn a_join_emoji_that_is_no_name_exits_2_naming_makers_join_emoji() {
    let dir = tempfile::tempdir().unwrap();
    // `check` first: accepted, it ends at once, where `serve` would serve on.
    for command in ["check", "serve"] {
        let out = run_with(dir.path(), command, &[("MAKERS_JOIN_EMOJI", "✋")]);
        let err = assert_refused_naming(&out, "MAKERS_JOIN_EMOJI");
        assert!(err.contains("raised_hand"), "{command}: {err}");
    }
}

/// Why the bot stops is always said. A blank `RUST_LOG` (a compose file's `RUST_LOG=`) is
/// unset, so the log keeps its lines, this one in JSON when asked; `RUST_LOG=off` still gets
/// it, in plain text. The README's example secret refused by `check` is a JSON line too.
#[test]
fn why_the_bot_stops_is_said_whatever_rust_log_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("makers.db");
    let db = path.to_str().unwrap();
    for (rust_log, json) in [("", true), ("  ", true), ("off", false)] {
        let out = serve_with(
            dir.path(),
            &[
                ("MAKERS_DB", db),
                ("MAKERS_LOG_FORMAT", "json"),
                ("RUST_LOG", rust_log),
            ],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let said: Vec<&str> = err.lines().filter(|l| l.contains("MAKERS_DB")).collect();
        assert_eq!(said.len(), 1, "RUST_LOG={rust_log:?}: {err}");
        let as_json = serde_json::from_str::<serde_json::Value>(said[0]);
        assert_eq!(as_json.is_ok(), json, "RUST_LOG={rust_log:?}: {err}");
    }
    let out = run_with(
        dir.path(),
        "check",
        &[
            ("MAKERS_LOG_FORMAT", "json"),
            ("SLACK_SIGNING_SECRET", "your-signing-secret"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let said: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("SLACK_SIGNING_SECRET"))
        .collect();
    assert_eq!(said.len(), 1, "{err}");
    let line: serde_json::Value = serde_json::from_str(said[0]).expect("a JSON line");
    assert_eq!(line["level"], "ERROR", "{err}");
}

#[test]
fn a_database_in_a_read_only_directory_exits_2_naming_makers_db() {
    let dir = tempfile::tempdir().unwrap();
    // Root writes through permission bits; /proc is read-only even for root.
    let is_root = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let path = if is_root {
        std::path::PathBuf::from("/proc/makers-bot-test.db")
    } else {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        ro.join("makers.db")
    };
    let out = serve_with(dir.path(), &[("MAKERS_DB", path.to_str().unwrap())]);
    assert_refused_naming(&out, "MAKERS_DB");
}

#[test]
fn an_address_in_use_exits_2_naming_makers_addr() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = serve_with(dir.path(), &[("MAKERS_ADDR", &addr)]);
    let err = assert_refused_naming(&out, "MAKERS_ADDR");
    assert!(err.contains(&addr), "{err}");
    assert!(err.contains("already listening there?"), "{err}");
    // With the log in JSON, that line is JSON too, for a log shipper to read.
    let out = serve_with(
        dir.path(),
        &[("MAKERS_ADDR", &addr), ("MAKERS_LOG_FORMAT", "json")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let last: serde_json::Value = serde_json::from_str(err.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {err}"));
    let said = last["fields"]["message"].as_str().unwrap_or_default();
    assert!(
        said.contains("MAKERS_ADDR") && said.contains(&addr),
        "{err}"
    );
    assert_eq!(last["level"], "ERROR", "{err}");
}

#[test]
fn a_host_name_address_is_resolved_and_served() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = spawn_serve(dir.path(), &format!("localhost:{port}"), &[]);
    let listening = listening(&mut child, port);
    let _ = child.kill();
    let _ = child.wait();
    assert!(listening, "localhost:{port} was not served");
}

/// An SQLite file at `path` made by "another application": a table of its own, and
/// `application_id` if given.
fn foreign_database(path: &std::path::Path, application_id: Option<i32>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
        .unwrap();
    if let Some(id) = application_id {
        conn.pragma_update(None, "application_id", id).unwrap();
    }
    // Its own schema's version, past ours: not a newer build of this bot's.
    conn.pragma_update(None, "user_version", 100).unwrap();
}

#[test]
fn another_applications_database_is_refused_and_left_as_it_was() {
    for application_id in [None, Some(0x1234), Some(0x4D4B_5253 + 1)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("theirs.db");
        foreign_database(&path, application_id);
        let before = std::fs::read(&path).unwrap();
        let out = serve_with(dir.path(), &[("MAKERS_DB", path.to_str().unwrap())]);
        let err = assert_refused_naming(&out, "MAKERS_DB");
        assert!(err.contains("another application"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "file untouched");
    }
}

#[test]
fn a_new_database_is_marked_as_makers_bots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let store = makers_bot::store::Store::open(&path).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, makers_bot::store::APPLICATION_ID);
    // The mark is in the header, where tools outside SQLite see it (offset 68, big-endian).
    let header = std::fs::read(&path).unwrap();
    assert_eq!(&header[68..72], b"MKRS");
}

#[test]
fn an_unmarked_database_of_ours_from_before_the_mark_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    makers_bot::store::migrate_to(&mut conn, 3).unwrap();
    conn.execute_batch(
        "INSERT INTO projects (team_id, number, title, pitcher, channel_id, created_at, updated_at)
         VALUES ('T1', 1, 'Kept', 'U1', 'C1', 0, 0)",
    )
    .unwrap();
    drop(conn);
    makers_bot::store::Store::open(&path).expect("adopted");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, makers_bot::store::APPLICATION_ID);
    assert_eq!(
        makers_bot::store::schema_version(&conn).unwrap(),
        makers_bot::store::MIGRATIONS.len()
    );
    let title: String = conn
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Kept");
}

/// A dry run (`erase`, `council merge` without `--yes`) changes nothing, as its answer says:
/// on a database an older build wrote it refuses as `export` does, where it migrated the
/// file (under a `serve` of that build, which then refused it at its next start).
#[test]
fn a_dry_run_leaves_an_older_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let older = makers_bot::store::MIGRATIONS.len() - 1;
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    makers_bot::store::migrate_to(&mut conn, older).unwrap();
    drop(conn);
    for args in [
        &["erase", "--team", "T0ALPHA"][..],
        &[
            "council",
            "merge",
            "Waverley BC",
            "--into",
            "West Surrey Council",
        ][..],
    ] {
        let out = bot(dir.path())
            .env("MAKERS_DB", &path)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("older than this build"), "{args:?}: {err}");
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(
            makers_bot::store::schema_version(&conn).unwrap(),
            older,
            "{args:?} left the schema as it was"
        );
    }
}

/// `check` refuses what `serve` would, before Litestream starts it (under `-exec` the bot's
/// exit status 2 becomes Litestream's 1), and changes nothing.
#[test]
fn check_refuses_what_serve_would_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let db = [("MAKERS_DB", path.to_str().unwrap())];
    let out = run_with(dir.path(), "check", &db);
    assert!(out.status.success(), "{out:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no database made, no probe left: {left:?}");

    drop(makers_bot::store::Store::open(&path).unwrap());
    let ours = std::fs::read(&path).unwrap();
    let out = run_with(dir.path(), "check", &db);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        ours,
        "a database of ours, untouched"
    );

    let theirs = dir.path().join("theirs.db");
    foreign_database(&theirs, None);
    let out = run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", theirs.to_str().unwrap())],
    );
    assert!(assert_refused_naming(&out, "MAKERS_DB").contains("another application"));

    let missing = dir.path().join("no-such-dir").join("makers.db");
    let out = run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", missing.to_str().unwrap())],
    );
    assert_refused_naming(&out, "MAKERS_DB");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run_with(dir.path(), "check", &[db[0], ("MAKERS_ADDR", &addr)]);
    let said = assert_refused_naming(&out, "MAKERS_ADDR");
    assert!(
        said.contains("already serving there") && said.contains("MAKERS_ADDR=127.0.0.1:0"),
        "says how to check beside a running service: {said}"
    );
    let any_port = [db[0], ("MAKERS_ADDR", "127.0.0.1:0")];
    assert!(run_with(dir.path(), "check", &any_port).status.success());

    let out = run_with(dir.path(), "check", &[db[0], ("MAKERS_TZ", "Mars/Olympus")]);
    assert_refused_naming(&out, "MAKERS_TZ");
}

/// CA certificates `serve` cannot load for its TLS client (`SSL_CERT_FILE` mistyped, or
/// hidden by the unit's `ProtectHome=yes`) are refused by `check`, naming the setting: else
/// `check` passed and `serve` failed, exit 1, restarted until systemd gave up.
#[test]
fn check_refuses_an_ssl_cert_file_serve_could_not_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let out = run_with(
        dir.path(),
        "check",
        &[
            ("MAKERS_DB", path.to_str().unwrap()),
            ("SSL_CERT_FILE", "/nonexistent"),
        ],
    );
    let said = assert_refused_naming(&out, "SSL_CERT_FILE");
    assert!(said.contains("/nonexistent"), "{said}");
    // Not set, the system's store failing: said so, not as if an empty value had been set.
    let out = run_with(
        dir.path(),
        "check",
        &[
            ("MAKERS_DB", path.to_str().unwrap()),
            ("SSL_CERT_DIR", "/nonexistent"),
        ],
    );
    let said = assert_refused_naming(&out, "SSL_CERT_FILE");
    assert!(said.contains("it is not set"), "{said}");
}

/// A damaged database, as a restore can be (Litestream 0.3.13 makes one now and then), is
/// refused by `check`, which the unit and the container run before the bot starts, with
/// what SQLite found and what to do; and left as it was.
#[test]
fn check_refuses_a_damaged_database_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let file = damaged_database(&path);

    let out = run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", path.to_str().unwrap())],
    );
    let said = assert_refused_naming(&out, "MAKERS_DB");
    assert!(
        said.contains("damaged") && said.contains("integrity_check") && said.contains("restore"),
        "{said}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), file, "left as it was");
}

/// A backup of a damaged database is no backup: `backup` says so and keeps no file (nor its
/// partial copy), rather than leave one to be found damaged the day it is put back.
#[test]
fn backup_keeps_no_damaged_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    damaged_database(&path);
    let copy = dir.path().join("copy.db");
    let out = bot(dir.path())
        .args(["backup", copy.to_str().unwrap()])
        .env("MAKERS_DB", &path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("the copy is damaged")
            && said.contains("integrity_check")
            && said.contains("makers-bot check"),
        "{said}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("copy"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A setting that is not UTF-8 (a database path in another encoding) is refused, exit 2,
/// naming it: read as text it was taken for unset, and `MAKERS_DB` for `makers.db` in the
/// working directory, which `check` passed and `serve` would create and serve, empty. A
/// secret's value is not shown.
#[test]
fn a_setting_that_is_not_utf8_is_refused_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    // A `.env` naming another: the environment's setting, not text, is not replaced by it.
    std::fs::write(dir.path().join(".env"), "MAKERS_DB=other.db\n").unwrap();
    let path = std::ffi::OsStr::from_bytes(b"/tmp/d\xe9p\xf4t/makers.db");
    let out = bot(dir.path())
        .arg("check")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("MAKERS_ADDR", "127.0.0.1:0")
        .env("MAKERS_DB", path)
        .output()
        .unwrap();
    let said = assert_refused_naming(&out, "MAKERS_DB");
    assert!(said.contains("UTF-8"), "{said}");
    assert!(!dir.path().join("makers.db").exists(), "no database made");
    assert!(!dir.path().join("other.db").exists(), "no database made");
    let secret = std::ffi::OsStr::from_bytes(b"xoxb-s\xffcret");
    let out = bot(dir.path())
        .arg("check")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", secret)
        .env("MAKERS_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    let said = assert_refused_naming(&out, "SLACK_BOT_TOKEN");
    assert!(!said.contains("cret"), "{said}");
}

/// A backup stopped half way (Ctrl-C, or SIGTERM from a cron job's time limit) keeps no
/// half-made copy: it holds everything, and was left beside the target, under a name no
/// later run looks for, where nobody knew of it.
#[test]
fn a_backup_stopped_half_way_leaves_no_copy() {
    backup_stopped_by("-TERM");
}

/// The same where the operator's ssh session drops, or the terminal is closed, as it copies:
/// the hang-up (SIGHUP) is a stop like Ctrl-C. It ended the backup outright, its half-made
/// copy left behind.
#[test]
fn a_backup_whose_terminal_hangs_up_leaves_no_copy() {
    backup_stopped_by("-HUP");
}

/// A backup sent `signal` (as `kill` names it) while it waits to copy.
fn backup_stopped_by(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    drop(makers_bot::store::Store::open(&path).unwrap());
    // Held by another connection, so that the copy waits to read, as it would a moment on a
    // large database.
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let copy = dir.path().join("copy.db");
    let child = bot(dir.path())
        .args(["backup", copy.to_str().unwrap()])
        .env("MAKERS_DB", &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let copies = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with("copy"))
            .collect()
    };
    let started = std::time::Instant::now();
    while !copies()
        .iter()
        .any(|name| name.starts_with("copy.partial-"))
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no copy begun: {:?}",
            copies()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{said}");
    assert!(said.contains("no copy was kept"), "{said}");
    assert!(copies().is_empty(), "{:?}", copies());
    drop(lock);
}

/// A backup killed outright (SIGKILL from `timeout -s KILL`, the OOM killer, a power cut: no
/// handler runs) leaves its half-made copy, which holds everything, beside the target. The
/// next backup into that directory removes it and says so; it was left for good, under a
/// name no later run looked for. A copy another backup is still making is left alone.
#[test]
fn a_half_made_copy_left_by_a_killed_backup_is_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    drop(makers_bot::store::Store::open(&path).unwrap());
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let names = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    let backup_of = |name: &str| {
        bot(dir.path())
            .args(["backup", dir.path().join(name).to_str().unwrap()])
            .env("MAKERS_DB", &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let begun = |prefix: &str| {
        let started = std::time::Instant::now();
        while !names().iter().any(|name| name.starts_with(prefix)) {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "no copy begun: {:?}",
                names()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    // Killed outright while it waits to copy: its half-made copy stays.
    let mut killed = backup_of("killed.db");
    begun("killed.partial-");
    killed.kill().unwrap();
    killed.wait().unwrap();
    std::fs::write(
        dir.path().join(format!("killed.partial-{}", killed.id())),
        b"SQLite format 3\0and every page copied so far",
    )
    .unwrap();
    assert!(names().iter().any(|n| n.starts_with("killed.partial-")));
    // One still being made (it waits on the same lock) ...
    let running = backup_of("running.db");
    begun("running.partial-");
    let beside = backup_of("beside.db");
    begun("beside.partial-");
    drop(lock);
    let running = running.wait_with_output().unwrap();
    let beside = beside.wait_with_output().unwrap();
    assert!(running.status.success(), "{running:?}");
    assert!(beside.status.success(), "{beside:?}");
    // ... is kept by the next one, and what the killed one left is removed, said once.
    let said = String::from_utf8_lossy(&running.stderr).into_owned()
        + &String::from_utf8_lossy(&beside.stderr);
    let left = names();
    assert!(
        left.iter().all(|n| !n.contains(".partial-")),
        "{left:?} {said}"
    );
    assert!(
        left.contains(&"running.db".to_string()) && left.contains(&"beside.db".to_string()),
        "{left:?} {said}"
    );
    assert_eq!(
        said.matches("a half-made copy left by a backup that was killed")
            .count(),
        1,
        "{said}"
    );
    assert!(said.contains("killed.partial-"), "{said}");
}

/// Makes a database at `path` and writes one of its index pages over, as a page from the
/// wrong moment in a restore would be; the file's bytes.
fn damaged_database(path: &std::path::Path) -> Vec<u8> {
    drop(makers_bot::store::Store::open(path).unwrap());
    let conn = rusqlite::Connection::open(path).unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'members_by_user'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let page: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    drop(conn);
    let mut file = std::fs::read(path).unwrap();
    let (root, page) = (root as usize, page as usize);
    file[(root - 1) * page..root * page].fill(0xA5);
    std::fs::write(path, &file).unwrap();
    file
}

/// `digest --now` posts to every subscribed channel: a channel named with it (meant for one)
/// is refused by the argument parser, not ignored while every channel gets the digest. With
/// `MAKERS_DB` pointing where there is no database, it makes one (as the contract has it) but
/// says so, rather than report "posted 0" as if all were well.
#[test]
fn digest_now_refuses_a_channel_and_says_when_it_made_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let digest_now = |extra: &[&str]| {
        bot(dir.path())
            .args(["digest", "--now"])
            .args(extra)
            .env("MAKERS_DB", &path)
            .env("SLACK_BOT_TOKEN", TOKEN)
            .env("SLACK_API_URL", "http://127.0.0.1:9/api/")
            .output()
            .unwrap()
    };
    for extra in [["--channel", "C0MAKERS"], ["--team", "T123ABC456"]] {
        let out = digest_now(&extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("cannot be used with"), "{extra:?}: {err}");
    }
    let out = digest_now(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("there was no database here") && err.contains("MAKERS_DB"),
        "{err}"
    );
    assert!(path.exists(), "made, as MAKERS_DB is on start");
    // A database that cannot be looked for (here a file where a directory should be; on a
    // VM, the service's directory, closed to others) is said to be so, not "not there".
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = bot(dir.path())
        .args(["export"])
        .env("MAKERS_DB", file.join("makers.db"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot look for the database at") && !err.contains("no database at"),
        "{err}"
    );
}

/// The signing secret the README's first command and `deploy/env.example` show is one anyone
/// can sign with: `check`, which the service and the container run before `serve`, refuses
/// it naming the setting, and so does `serve` on an address others can reach; `serve` on a
/// loopback address (the README's command, on one's own machine) runs and warns. (A deployment on Socket Mode that kept env.example's line served the /slack/*
/// routes checked against it.)
#[test]
fn the_example_signing_secret_is_refused_by_check_and_warned_of_by_serve() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let example = [
        ("MAKERS_DB", db.to_str().unwrap()),
        ("SLACK_SIGNING_SECRET", "your-signing-secret"),
    ];
    let out = run_with(dir.path(), "check", &example);
    let said = assert_refused_naming(&out, "SLACK_SIGNING_SECRET");
    assert!(said.contains("anyone can sign"), "{said}");
    let ours = [("MAKERS_DB", db.to_str().unwrap())];
    assert!(run_with(dir.path(), "check", &ours).status.success());

    // Where others can reach it, `serve` refuses it too.
    let mut open = example.to_vec();
    open.push(("MAKERS_ADDR", "0.0.0.0:0"));
    let out = run_with(dir.path(), "serve", &open);
    assert_refused_naming(&out, "SLACK_SIGNING_SECRET");
    // Other commands neither refuse it nor warn of it.
    let out = run_with(dir.path(), "export", &example);
    assert_ne!(out.status.code(), Some(2));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("README's example"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = free_port();
    let mut child = spawn_serve(dir.path(), &format!("127.0.0.1:{port}"), &example);
    assert!(listening(&mut child, port), "it starts");
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SLACK_SIGNING_SECRET is the README's example"),
        "{err}"
    );
}

/// A rotating bot token (`xoxe.`) is taken, but the log says it expires in 12 hours and is
/// not renewed: the bot would stop posting by the next day.
#[test]
fn a_rotating_bot_token_is_said_to_expire() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    drop(makers_bot::store::Store::open(&path).unwrap());
    let out = bot(dir.path())
        .args(["digest", "--now"])
        .env("MAKERS_DB", &path)
        .env("SLACK_BOT_TOKEN", "xoxe.xoxb-1-rotating")
        .env("SLACK_API_URL", "http://127.0.0.1:9/api/")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "nothing to post: {err}");
    assert!(
        err.contains("rotating token (xoxe.): it expires 12 hours after it was issued"),
        "{err}"
    );
    assert!(
        !err.contains("xoxb-1-rotating"),
        "the token itself is never logged: {err}"
    );
}

/// A malformed `.env` is refused naming the file and the line, never what it holds: its
/// lines are secrets as often as not (dotenvy's own message quotes the rest of the file).
#[test]
fn a_malformed_dotenv_is_refused_without_showing_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "MAKERS_JOIN_EMOJI=raised_hand\nSLACK_SIGNING_SECRET=\"unclosed\nSLACK_BOT_TOKEN=xoxb-very-secret-42\n",
    )
    .unwrap();
    let out = bot(dir.path()).arg("serve").output().unwrap();
    let said = assert_refused_naming(&out, ".env");
    assert!(said.contains("line 2"), "{said}");
    let all = String::from_utf8_lossy(&out.stderr);
    assert!(
        !all.contains("very-secret") && !all.contains("unclosed"),
        "{all}"
    );
    // A line without its `=`, in the middle of the file: its number, not its words.
    std::fs::write(
        dir.path().join(".env"),
        "MAKERS_JOIN_EMOJI=raised_hand\nSLACK_BOT_TOKEN xoxb-very-secret-42\nMAKERS_TZ=Europe/London\n",
    )
    .unwrap();
    let out = bot(dir.path()).arg("serve").output().unwrap();
    let said = assert_refused_naming(&out, ".env");
    assert!(said.contains("line 2"), "{said}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("very-secret"));
}

/// A `$` in a `.env` value would be read as a variable there (`pa$word` becoming `pa`, a
/// proxy's password that then fails every call), where the same file as a systemd
/// `EnvironmentFile` keeps it: refused naming the line, not its words; in single quotes, kept.
#[test]
fn a_dollar_in_a_dotenv_value_is_refused_unless_single_quoted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "# a $ in a comment is fine\nMAKERS_JOIN_EMOJI=raised_hand\nHTTPS_PROXY=http://sam:s3cr$t@proxy.example:3128\n",
    )
    .unwrap();
    let out = run_with(dir.path(), "check", &[]);
    let said = assert_refused_naming(&out, ".env");
    assert!(
        said.contains("line 3") && said.contains("single quotes"),
        "{said}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("s3cr$t"));
    // In single quotes the value is read as written (here a time zone named back).
    std::fs::write(dir.path().join(".env"), "MAKERS_TZ='Europe/Lon$don'\n").unwrap();
    let out = run_with(dir.path(), "check", &[]);
    let said = assert_refused_naming(&out, "MAKERS_TZ");
    assert!(said.contains("Europe/Lon$don"), "read as written: {said}");
}

/// Only the working directory's `.env` is read, as the contract says: not one in a
/// directory above it, which someone else may write (its `SLACK_API_URL` would receive the
/// bot token).
#[test]
fn a_dotenv_in_a_directory_above_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "MAKERS_LOG_FORMAT=neither\n").unwrap();
    let below = dir.path().join("work");
    std::fs::create_dir(&below).unwrap();
    let port = free_port();
    let mut child = spawn_serve(&below, &format!("127.0.0.1:{port}"), &[]);
    let up = listening(&mut child, port);
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    assert!(up, "{}", String::from_utf8_lossy(&out.stderr));
}

/// An operator's command run as the service's user from a directory that user may not enter
/// (`sudo -u makers makers-bot export` from an admin's home) reads no `.env` and carries on;
/// a `.env` there that it may not read is still an error. Needs root, to drop to nobody.
#[test]
fn a_working_directory_the_user_may_not_enter_has_no_dotenv() {
    if !nix_is_root() {
        eprintln!("skipped: needs root to run the binary as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // root's, 0700: nobody may not enter it.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let run = |cwd: &std::path::Path| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_makers-bot"))
            .args(["export", "--team", "T0123ABCD"])
            .env_clear()
            .env("MAKERS_DB", "/nonexistent/makers.db")
            .current_dir(cwd)
            .output()
            .unwrap()
    };
    let out = run(dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no database"), "{err}");
    assert!(!err.contains(".env"), "{err}");
    // A directory `nobody` may enter (0755), holding a `.env` they may not read (0600):
    // said, exit 2.
    let open = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        open.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(open.path().join(".env"), "MAKERS_LOG_FORMAT=json\n").unwrap();
    std::fs::set_permissions(
        open.path().join(".env"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let out = run(open.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(".env"), "{err}");
}

/// Whether the tests run as root.
fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
}

/// `serve` without the OAuth settings on a database holding workspaces installed through
/// OAuth starts (a deployment may turn OAuth off on purpose), and says at start that their
/// posts will go with `SLACK_BOT_TOKEN`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_without_oauth_on_an_oauth_database_warns_at_start() {
    let app = crate::helpers::spawn_app().await;
    app.db()
        .execute(
            "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token, scopes,
                                        installed_by, installed_at, updated_at)
             VALUES ('T0OAUTH', 'Elsewhere', 'A1', 'U0B', x'00', 'chat:write', 'U0I', 0, 0)",
            [],
        )
        .unwrap();
    let (db, _slack, _dir) = app.stop().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let db = db.to_string_lossy().to_string();
    let mut child = spawn_serve(
        dir.path(),
        &format!("127.0.0.1:{port}"),
        &[("MAKERS_DB", db.as_str())],
    );
    assert!(listening(&mut child, port), "it starts");
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("OAuth is off") && err.contains("installed through OAuth"),
        "{err}"
    );
}

/// The README's and env.example's bot token, with which Slack refuses every post: a
/// deployment that kept it would answer /healthz and post nothing. `check` refuses it naming
/// the setting, and so does `serve` where others can reach it; on a loopback address (the
/// README's first command) `serve` runs and warns.
#[test]
fn the_example_bot_token_is_refused_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let example = [
        ("MAKERS_DB", db.to_str().unwrap()),
        ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
    ];
    let out = run_with(dir.path(), "check", &example);
    let said = assert_refused_naming(&out, "SLACK_BOT_TOKEN");
    assert!(said.contains("Slack refuses every post"), "{said}");
    let mut open = example.to_vec();
    open.push(("MAKERS_ADDR", "0.0.0.0:0"));
    assert_refused_naming(&run_with(dir.path(), "serve", &open), "SLACK_BOT_TOKEN");
    let ours = [("MAKERS_DB", db.to_str().unwrap())];
    assert!(run_with(dir.path(), "check", &ours).status.success());
    // With OAuth on the token is for workspaces installed without it: env.example's line
    // kept there is no reason to stop the service.
    let mut oauth = example.to_vec();
    oauth.extend([
        ("SLACK_CLIENT_ID", crate::oauth::CLIENT_ID),
        ("SLACK_CLIENT_SECRET", crate::oauth::CLIENT_SECRET),
        ("MAKERS_SECRET_KEY", crate::oauth::KEY),
    ]);
    let out = run_with(dir.path(), "check", &oauth);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    // OAuth open to every workspace (Slack's public distribution lets any reach the install
    // page) is warned of; naming the workspaces served quietens it.
    assert!(
        said.contains("MAKERS_ALLOWED_WORKSPACES is not set"),
        "{said}"
    );
    oauth.push(("MAKERS_ALLOWED_WORKSPACES", "T0123ABCD"));
    let out = run_with(dir.path(), "check", &oauth);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("MAKERS_ALLOWED_WORKSPACES"), "{said}");
}
