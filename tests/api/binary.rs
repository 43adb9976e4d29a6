//! The `makers-bot` binary as an operator meets it: settings, start, SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{SECRET, TOKEN};

/// The binary, run in `dir` with nothing from the caller's environment (but a faked clock's).
pub fn bot(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_makers-bot"));
    // A clean environment in an empty directory, so neither the caller's variables nor a
    // stray .env file take part.
    cmd.env_clear()
        .envs(crate::helpers::process::faked_clock())
        .current_dir(dir)
        .stdin(Stdio::null());
    // Hang-ups as from a terminal: a test run started with them ignored (`nohup`, a CI
    // runner) hands the ignore on, and the bot rightly keeps an inherited one, so the tests
    // of a hang-up stopping it failed there.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: `signal` is async-signal-safe, as a `pre_exec` closure must be.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGHUP, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    cmd
}

/// An operator's command (`args`) run beside the test's bot, on its database, as an operator
/// runs `forget` or `takedown` beside `serve`.
pub fn beside(app: &crate::helpers::TestApp, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    bot(dir.path())
        .env("MAKERS_DB", &app.db_path)
        .args(args)
        .output()
        .unwrap()
}

/// [`beside`], which must succeed (else its stderr is the failure): its stdout.
pub fn beside_ok(app: &crate::helpers::TestApp, args: &[&str]) -> String {
    let out = beside(app, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub use crate::helpers::free_port;

/// `serve` in `dir` listening on `addr`, with credentials, a Slack that answers nothing and
/// `extra` settings; its stderr piped.
pub fn spawn_serve(
    dir: &std::path::Path,
    addr: &str,
    extra: &[(&str, &str)],
) -> std::process::Child {
    serve_command(dir, addr, extra).spawn().unwrap()
}

/// The command [`spawn_serve`] runs.
fn serve_command(dir: &std::path::Path, addr: &str, extra: &[(&str, &str)]) -> Command {
    let mut cmd = bot(dir);
    cmd.arg("serve")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_API_URL", "http://127.0.0.1:9/api/")
        .env("MAKERS_ADDR", addr)
        .stderr(Stdio::piped());
    for (name, value) in extra {
        cmd.env(name, value);
    }
    cmd
}

/// Waits until 127.0.0.1:`port` answers HTTP (the bot answers only once it has started:
/// what it logs at start is written by then, where a bare connect is taken as soon as it
/// binds); false if `child` exits or 20 s pass.
pub fn listening(child: &mut std::process::Child, port: u16) -> bool {
    use std::io::{Read, Write};
    let deadline = Instant::now() + Duration::from_secs(20);
    let answers = || -> std::io::Result<bool> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n")?;
        let mut head = [0u8; 8];
        stream.read_exact(&mut head)?;
        Ok(&head == b"HTTP/1.1")
    };
    loop {
        if answers().unwrap_or(false) {
            return true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_missing_setting_stops_the_bot_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path()).arg("serve").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("SLACK_SIGNING_SECRET"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let out = bot(dir.path())
        .arg("serve")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("SLACK_BOT_TOKEN"));
}

#[test]
fn a_bad_value_is_named_with_the_value() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("MAKERS_TZ", "Mars/Olympus"),
        ("MAKERS_ADDR", "not-an-address"),
    ] {
        let out = bot(dir.path())
            .arg("serve")
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_BOT_TOKEN", TOKEN)
            .env(name, value)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(name) && err.contains(value), "{err}");
    }
}

#[test]
fn a_bot_token_of_the_wrong_kind_is_named_by_serve_and_check() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["serve", "check"] {
        let out = bot(dir.path())
            .arg(command)
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_BOT_TOKEN", "xapp-1-A1-1-pasted-in-the-wrong-place")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("SLACK_BOT_TOKEN") && err.contains("xoxb-"),
            "{err}"
        );
        assert!(!err.contains("wrong-place"), "not echoed: {err}");
    }
}

#[test]
fn an_app_token_of_the_wrong_kind_is_named_and_one_makes_the_secret_optional() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path())
        .arg("serve")
        .env("SLACK_APP_TOKEN", "xoxb-pasted-in-the-wrong-place")
        .env("SLACK_BOT_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("SLACK_APP_TOKEN") && err.contains("xapp-"),
        "{err}"
    );
    assert!(
        !err.contains("wrong-place"),
        "the token is not echoed: {err}"
    );
    // Socket Mode alone: no signing secret needed; the next missing setting is named.
    let out = bot(dir.path())
        .arg("serve")
        .env("SLACK_APP_TOKEN", "xapp-1-A1-1-abc")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SLACK_BOT_TOKEN") && !err.contains("SIGNING"),
        "{err}"
    );
}

#[test]
fn settings_can_come_from_a_dot_env_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "SLACK_SIGNING_SECRET=from-file\nMAKERS_TZ=Nowhere/Special\n",
    )
    .unwrap();
    let out = bot(dir.path())
        .arg("serve")
        .env("SLACK_BOT_TOKEN", TOKEN)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // The secret was found in .env, so the first complaint is the bad zone from the same file.
    assert!(
        err.contains("MAKERS_TZ") && err.contains("Nowhere/Special"),
        "{err}"
    );
}

#[test]
fn help_is_there_for_the_binary_and_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("serve"));
    let out = bot(dir.path()).args(["serve", "--help"]).output().unwrap();
    assert!(out.status.success());
    // check changes one thing, which its help says rather than "changing nothing".
    let out = bot(dir.path()).args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("forgets again") && !help.contains("changing nothing;"),
        "{help}"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    stops_the_server_cleanly("TERM", 15);
}

/// `serve` run by hand from a terminal whose session drops (SIGHUP) drains as for SIGTERM:
/// it was killed outright, its requests in flight cut off.
#[test]
fn a_hang_up_stops_the_server_cleanly() {
    stops_the_server_cleanly("HUP", 1);
}

/// `serve` started to outlive its terminal (`nohup makers-bot serve &`, hang-ups ignored)
/// goes on at a hang-up: a handler of its own over the ignore stopped it at the operator's
/// logout, and a backup so started was stopped half way, with no copy kept.
#[cfg(target_os = "linux")]
#[test]
fn a_server_started_with_hang_ups_ignored_goes_on_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let serve = serve_command(dir.path(), &format!("127.0.0.1:{port}"), &[]);
    // As `nohup` starts it: a shell that ignores the signal, which `exec` keeps.
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", "trap '' HUP; exec \"$0\" serve"])
        .arg(serve.get_program())
        .env_clear()
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in serve.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    let mut child = cmd.spawn().unwrap();
    assert!(listening(&mut child, port), "bot did not start listening");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !catches(child.id(), 15) {
        assert!(Instant::now() < deadline, "bot did not handle SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Its handlers are in place, and none for a hang-up: it stays ignored.
    assert!(
        !catches(child.id(), 1),
        "a hang-up handler over nohup's ignore"
    );
    let hung_up = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hung_up.success());
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "stopped by a hang-up");
    assert!(listening(&mut child, port), "still answering");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// `serve` sent signal `name` (number `number`) once it listens and handles it: it stops,
/// exit 0, no longer listening.
fn stops_the_server_cleanly(name: &str, number: u32) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = spawn_serve(dir.path(), &format!("127.0.0.1:{port}"), &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    assert!(listening(&mut child, port), "bot did not start listening");
    assert!(
        dir.path().join("makers.db").exists(),
        "database created on start"
    );
    // The bot listens before its SIGTERM handler is in place; a SIGTERM in between kills it
    // outright (seen under load). Wait for the handler, as an orchestrator cannot.
    while !catches(child.id(), number) {
        assert!(Instant::now() < deadline, "bot did not handle SIG{name}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "bot did not stop after SIG{name}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no longer listening"
    );
}

/// Whether process `pid` has a handler for signal `number` (SIGTERM 15): its bit in `SigCgt`
/// in `/proc/PID/status`.
#[cfg(target_os = "linux")]
fn catches(pid: u32, number: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (number - 1)) != 0)
}

/// Elsewhere there is no cheap way to look; the race stays possible there.
#[cfg(not(target_os = "linux"))]
fn catches(_pid: u32, _number: u32) -> bool {
    true
}

#[test]
fn a_wrong_secret_key_stops_the_bot_naming_it() {
    use makers_bot::domain::SealingKey;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    // A database whose tokens were sealed with one key…
    let store = makers_bot::store::Store::open(&db).unwrap();
    let check = SealingKey::new(&[0x11; 32]).check_value();
    store
        .write(|tx| makers_bot::store::set_key_check(tx, &check, 0))
        .unwrap();
    drop(store);
    installed_under(&db, &SealingKey::new(&[0x11; 32]));
    // … started with another: `check` says so first, exit 2, as `serve` does.
    let with_other_key = |command: &str| {
        let mut cmd = bot(dir.path());
        cmd.arg(command)
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_CLIENT_ID", "1111.2222")
            .env("SLACK_CLIENT_SECRET", "client-secret")
            .env("MAKERS_SECRET_KEY", "22".repeat(32))
            .env("MAKERS_DB", &db)
            .env("MAKERS_ADDR", "127.0.0.1:0");
        cmd
    };
    let checked = with_other_key("check").output().unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(2), "{said}");
    assert!(
        said.contains("MAKERS_SECRET_KEY") && !said.contains("2222"),
        "{said}"
    );
    let mut child = with_other_key("serve")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the bot started with the wrong key");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2), "a setting that cannot be used");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("MAKERS_SECRET_KEY"), "{err}");
    assert!(
        !err.contains("22222222") && !err.contains("panicked"),
        "{err}"
    );
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("makers-bot:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    // Given the key it had as the previous one (the key being changed), `check` says `serve`
    // could start: it would seal the tokens again under the new key.
    let checked = with_other_key("check")
        .env("MAKERS_PREVIOUS_SECRET_KEY", "11".repeat(32))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{said}");
    let told = String::from_utf8_lossy(&checked.stdout);
    assert!(
        told.contains("the stored bot tokens open under MAKERS_PREVIOUS_SECRET_KEY: serve's start will seal them again under MAKERS_SECRET_KEY"),
        "{told}"
    );
    // The pair the wrong way round passes too, as the old key opens them: `check` says that
    // it is MAKERS_SECRET_KEY that does, so that nothing will be sealed again.
    let checked = with_other_key("check")
        .env("MAKERS_SECRET_KEY", "11".repeat(32))
        .env("MAKERS_PREVIOUS_SECRET_KEY", "22".repeat(32))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{said}");
    let told = String::from_utf8_lossy(&checked.stdout);
    assert!(
        told.contains("the stored bot tokens open under MAKERS_SECRET_KEY: nothing will be sealed again, and MAKERS_PREVIOUS_SECRET_KEY is not needed"),
        "{told}"
    );
    assert!(!told.contains("seal them again"), "{told}");
    // Beside a running `serve`, as the key-rotation recipe checks, the refusal says it too.
    let _serving = makers_bot::db_lock::hold(&db).unwrap();
    let checked = with_other_key("check")
        .env("MAKERS_SECRET_KEY", "11".repeat(32))
        .env("MAKERS_PREVIOUS_SECRET_KEY", "22".repeat(32))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(2), "{said}");
    assert!(
        said.contains("its tokens' key, is fine; the stored bot tokens open under MAKERS_SECRET_KEY: nothing will be sealed again"),
        "{said}"
    );
}

/// Workspace T0ALPHA ("Alpha") installed, its token sealed under `key`.
fn installed_under(db: &std::path::Path, key: &makers_bot::domain::SealingKey) {
    use makers_bot::domain::{BotToken, TeamId};
    let team = TeamId::parse("T0ALPHA").unwrap();
    let sealed = key.seal(&team, &BotToken::parse("xoxb-alpha-1").unwrap());
    rusqlite::Connection::open(db)
        .unwrap()
        .execute(
            "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token,
                                        scopes, installed_by, installed_at, updated_at)
             VALUES ('T0ALPHA', 'Alpha', 'A0MAKERS', 'UBOT', ?1, 'commands', 'U0I', 1, 1)",
            [&sealed],
        )
        .unwrap();
}

/// A lost `MAKERS_SECRET_KEY`: with no bot token stored, another key simply takes the
/// check's place; with tokens stored, the refusal names `forget-tokens`, which forgets the
/// stored installations (their tokens), keeps every workspace's projects and people, marks
/// the workspaces removed, and records the new key; each workspace installs again.
#[test]
fn a_lost_secret_key_is_replaced_by_forgetting_the_stored_tokens() {
    use makers_bot::domain::SealingKey;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let store = makers_bot::store::Store::open(&db).unwrap();
    let lost = SealingKey::new(&[0x11; 32]);
    store
        .write(|tx| makers_bot::store::set_key_check(tx, &lost.check_value(), 0))
        .unwrap();
    drop(store);
    let with_new_key = |args: &[&str]| {
        let mut cmd = bot(dir.path());
        cmd.args(args)
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_CLIENT_ID", "1111.2222")
            .env("SLACK_CLIENT_SECRET", "client-secret")
            .env("MAKERS_SECRET_KEY", "22".repeat(32))
            .env("MAKERS_DB", &db)
            .env("MAKERS_ADDR", "127.0.0.1:0");
        cmd.output().unwrap()
    };
    // No token stored: nothing is lost with the key, and `check` says the new one will do.
    let checked = with_new_key(&["check"]);
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{said}");
    let told = String::from_utf8_lossy(&checked.stdout);
    assert!(told.contains("no bot token is stored"), "{told}");

    // A workspace installed under the lost key, with a project.
    installed_under(&db, &lost);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "INSERT INTO projects (team_id, number, title, description, phase, pitcher, channel_id,
                               created_at, updated_at, last_activity_at)
         VALUES ('T0ALPHA', 1, 'Bins', 'Count them', 'alpha', 'U1', 'C1', 1, 1, 1);",
    )
    .unwrap();
    let checked = with_new_key(&["check"]);
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(2), "{said}");
    assert!(said.contains("makers-bot forget-tokens"), "{said}");

    // Without --yes: which workspaces would install again; nothing changes.
    let dry = with_new_key(&["forget-tokens"]);
    let told = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(
        dry.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(told.contains("T0ALPHA (Alpha)"), "{told}");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM installations"), 1);
    // Beside a running `serve`: refused.
    let serving = makers_bot::db_lock::hold(&db).unwrap();
    let refused = with_new_key(&["forget-tokens", "--yes"]);
    assert_ne!(refused.status.code(), Some(0));
    assert_eq!(count("SELECT COUNT(*) FROM installations"), 1);
    drop(serving);

    // A database of the build before (its last migration not yet made), as after an upgrade
    // whose `check` refused for the key: `forget-tokens` holds the lock itself, and is not
    // taken for a command beside an older `serve` (it was refused as one, leaving no way out).
    // (Migrations 0065 and 0064 undone: their columns and the heads' index as before them.)
    let latest = makers_bot::store::MIGRATIONS.len();
    conn.execute_batch(&format!(
        "ALTER TABLE forget_ledger DROP COLUMN applied_at;
         DROP INDEX outbox_heads;
         ALTER TABLE outbox DROP COLUMN lane;
         CREATE INDEX outbox_heads ON outbox (team_id, channel_id, id)
             WHERE delivered_at IS NULL AND failed_at IS NULL;
         PRAGMA user_version = {};",
        latest - 2
    ))
    .unwrap();
    let done = with_new_key(&["forget-tokens", "--yes"]);
    let said = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{said}");
    assert_eq!(
        count("PRAGMA user_version"),
        latest as i64,
        "brought up to date"
    );
    assert_eq!(count("SELECT COUNT(*) FROM installations"), 0);
    // Marked as having removed the app: nothing is queued for it until it installs again.
    assert_eq!(count("SELECT COUNT(*) FROM removed_workspaces"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM projects"), 1);
    let checked = with_new_key(&["check"]);
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{said}");
}

/// A new build's first `check`, on a database its `serve` is still to migrate, checks the
/// tokens' key too: before `serve` migrates the file (and Litestream copies it) under a key
/// that can never serve it.
#[test]
fn an_upgrades_first_check_refuses_a_wrong_key_before_anything_is_migrated() {
    use makers_bot::domain::SealingKey;
    use makers_bot::store::{MIGRATIONS, migrate_to, schema_version, set_key_check};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let before = MIGRATIONS.len() - 1;
    let mut conn = rusqlite::Connection::open(&db).unwrap();
    migrate_to(&mut conn, before).unwrap();
    set_key_check(&conn, &SealingKey::new(&[0x11; 32]).check_value(), 0).unwrap();
    drop(conn);
    installed_under(&db, &SealingKey::new(&[0x11; 32]));
    let check_with = |key: &str| {
        bot(dir.path())
            .arg("check")
            .env("SLACK_SIGNING_SECRET", SECRET)
            .env("SLACK_CLIENT_ID", "1111.2222")
            .env("SLACK_CLIENT_SECRET", "client-secret")
            .env("MAKERS_SECRET_KEY", key.repeat(32))
            .env("MAKERS_DB", &db)
            .env("MAKERS_ADDR", "127.0.0.1:0")
            .output()
            .unwrap()
    };
    let checked = check_with("22");
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(2), "{said}");
    assert!(said.contains("MAKERS_SECRET_KEY"), "{said}");
    let checked = check_with("11");
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(0), "{said}");
    assert!(String::from_utf8_lossy(&checked.stdout).contains("usable"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), before, "nothing migrated");
}

#[test]
fn digest_without_an_option_names_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let out = bot(dir.path()).arg("digest").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--now") && err.contains("--dry-run"), "{err}");
    let out = bot(dir.path())
        .args(["digest", "--now", "--dry-run", "--channel", "C1"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "the two forms exclude each other"
    );
}

/// A writing command that meets the write lock held past the busy timeout (by a long
/// `erase --yes`, `council merge --yes` or `digest --now`; here an open `BEGIN IMMEDIATE`)
/// says the database is busy, that nothing was changed and to try again, and exits 1: a
/// setting that cannot be used exits 2, which `check` under the systemd unit makes 78, a start
/// not retried. (It said "cannot use MAKERS_DB=…: database is locked", exit 2.) Run again
/// once the lock is let go, it is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writing_command_meeting_a_held_write_lock_says_the_database_is_busy() {
    use crate::helpers::{TEAM, spawn_app};
    use crate::teams::{CHANNEL, PITCHER};
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    let takedown = [
        "takedown",
        "--team",
        TEAM,
        "--project",
        "1",
        "--reason",
        "x",
    ];
    let lock = app.db();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = tokio::task::block_in_place(|| beside(&app, &takedown));
    lock.execute_batch("ROLLBACK").unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(!said.contains("cannot use MAKERS_DB"), "{said}");
    assert!(
        said.contains("the database is busy") && said.contains("nothing was changed"),
        "{said}"
    );
    tokio::task::block_in_place(|| beside_ok(&app, &takedown));
}
