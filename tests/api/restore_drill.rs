//! The restore drill (issue 12): the bot runs under `litestream replicate -exec` with the
//! shipped `deploy/litestream.yml`, replicating to an S3-compatible server on 127.0.0.1
//! (moto), under write load. Then the machine is lost (SIGKILL to the bot and Litestream,
//! the database, its WAL and Litestream's own files deleted), the database comes back with
//! `litestream restore`, and the bot starts again on it. Every write acknowledged more than
//! the loss window before the loss is there, nothing is posted twice, and the drill prints
//! the loss window it measured.
//!
//! Litestream (npm `@flydotio/litestream-linux-x64`, Litestream 0.3.13) and moto (PyPI
//! `moto[server]`) are installed under `target/` by `.ci/setup`; without them the drill
//! fails, naming what is missing. It is never skipped.

use std::io::{Read, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::crash::undelivered;
use crate::helpers::process::*;
use crate::helpers::*;

/// `sync-interval` in deploy/litestream.yml.
const SYNC_INTERVAL: Duration = Duration::from_secs(1);
/// Litestream 0.3 looks at the WAL once a second (its monitor interval) and uploads what it
/// copied at the next sync: a write can wait up to both before it is in the bucket.
const MONITOR_INTERVAL: Duration = Duration::from_secs(1);
/// Room for the upload itself on a busy machine.
const UPLOAD_ALLOWANCE: Duration = Duration::from_millis(500);

/// A tool `.ci/setup` installs under `target/`.
fn installed(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    assert!(
        path.exists(),
        "{} is missing: run `bash .ci/setup`, which installs Litestream and moto under target/",
        path.display()
    );
    path
}

/// moto's S3 on a loopback port, stopped when dropped.
struct S3 {
    endpoint: String,
    server: Child,
}

impl S3 {
    fn start(bucket: &str) -> S3 {
        let moto = installed("target/moto/bin/moto_server");
        let port = crate::helpers::free_port();
        // Its words kept, for the failure's message: a moto that cannot start says why.
        let log = tempfile::NamedTempFile::new().expect("a file for moto's log");
        let server = Command::new(moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.reopen().expect("moto's log"))
            .stderr(log.reopen().expect("moto's log"))
            .spawn()
            .expect("moto_server starts");
        let mut s3 = S3 {
            endpoint: format!("http://127.0.0.1:{port}"),
            server,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let ended = s3.server.try_wait().ok().flatten();
            if ended.is_some() || Instant::now() >= deadline {
                let said = std::fs::read_to_string(log.path()).unwrap_or_default();
                panic!("moto did not start listening on {port} ({ended:?}): {said}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // moto takes an unsigned request; path style: PUT /bucket creates it.
        let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            conn,
            "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "cannot create the bucket: {answer}"
        );
        s3
    }
}

impl S3 {
    /// What the bot and Litestream are given to replicate to this server's `drill` bucket
    /// with the shipped `litestream.yml`.
    fn replica_env(&self) -> [(&'static str, String); 7] {
        [
            ("LITESTREAM_BUCKET", "drill".to_string()),
            ("LITESTREAM_ENDPOINT", self.endpoint.clone()),
            ("LITESTREAM_REGION", "us-east-1".to_string()),
            ("LITESTREAM_FORCE_PATH_STYLE", "true".to_string()),
            ("LITESTREAM_ACCESS_KEY_ID", "drill".to_string()),
            ("LITESTREAM_SECRET_ACCESS_KEY", "drill".to_string()),
            ("MAKERS_CHECKPOINTS", "litestream".to_string()),
        ]
    }
}

/// `litestream restore -config litestream.yml <options> <db>`, as deploy/README.md section 5
/// runs it, which must succeed.
fn restore(launch: &Launch, env: &[(&str, String)], db: &Path, options: &[&std::ffi::OsStr]) {
    let out = try_restore(launch, env, db, options);
    assert!(
        out.status.success(),
        "litestream restore {options:?}: {out:?}"
    );
}

/// `litestream restore`, as [`restore`] runs it, which may fail (nothing in the bucket yet).
fn try_restore(
    launch: &Launch,
    env: &[(&str, String)],
    db: &Path,
    options: &[&std::ffi::OsStr],
) -> std::process::Output {
    let Launch::UnderLitestream { litestream, config } = launch else {
        unreachable!("the drills run the bot under Litestream")
    };
    Command::new(litestream)
        .arg("restore")
        .arg("-config")
        .arg(config)
        .args(options)
        .arg(db)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .env("MAKERS_DB", db)
        .output()
        .unwrap()
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// What each drill starts from: moto's S3 with its bucket, a directory for the database, the
/// settings that replicate it there, the bot's launch under Litestream and a fake Slack.
struct Setup {
    s3: S3,
    dir: tempfile::TempDir,
    db: PathBuf,
    env: [(&'static str, String); 7],
    launch: Launch,
    slack: FakeSlack,
}

impl Setup {
    async fn start() -> Setup {
        let litestream =
            installed("target/litestream/node_modules/@flydotio/litestream-linux-x64/litestream");
        let config = installed("deploy/litestream.yml");
        let s3 = S3::start("drill");
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("makers.db");
        let env = s3.replica_env();
        Setup {
            s3,
            db,
            dir,
            env,
            launch: Launch::UnderLitestream { litestream, config },
            slack: FakeSlack::start().await,
        }
    }
}

/// Sends `skills developer` as a new person every 10 ms until the bot stops answering: writes
/// that post nothing, so the loss they measure costs no post.
async fn trickle(bot: Arc<BotProcess>) -> Vec<Acked> {
    let mut acked = Vec::new();
    for n in 0.. {
        let user = format!("U0TRICKLE{n}");
        match bot.slash(&user, "C0ANY", "skills developer").await {
            Ok(a) if a.said().starts_with("Recorded: you offer") => acked.push(Acked {
                write: Write::Skills { user },
                at: Instant::now(),
            }),
            Ok(a) => panic!("skills: unexpected answer {} {}", a.status, a.body),
            Err(_) => break,
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restore_drill_loses_only_the_last_moments_and_posts_nothing_twice() {
    let Setup {
        s3: _s3,
        dir,
        db,
        env,
        launch,
        slack,
    } = Setup::start().await;
    let bot = Arc::new(BotProcess::start(&launch, &db, &slack.url, &env).await);

    // Load: pitches, joins and updates, then their posts go out.
    pitch_setup_projects(&bot, &db).await;
    let load = Arc::new(Load::default());
    let writing = tokio::spawn(write_load(bot.clone(), 2, load.clone()));
    load.progressed(200, Duration::from_millis(1500), Duration::from_secs(20))
        .await;
    load.stop();
    let mut acked = writing.await.unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(SHORT).unwrap();
    drained(&conn, Duration::from_secs(60)).await;
    // Every acknowledged write is in the bot's own database before anything is lost: a
    // write missing from the restore is then Litestream's to answer for, not the bot's.
    let missing: Vec<_> = acked.iter().filter(|a| !a.write.is_in(&conn)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged, yet not in the live database: {missing:?}"
    );
    assert_whole(&conn, "the live database", &db);
    drop(conn);
    let posts_first_run = calls_to_slack(&slack);

    // Past the replica's sync interval, with writes that post nothing still coming in; then
    // the machine is lost.
    let trickling = tokio::spawn(trickle(bot.clone()));
    tokio::time::sleep(SYNC_INTERVAL + MONITOR_INTERVAL + Duration::from_millis(1500)).await;
    let lost_at = Instant::now();
    bot.kill();
    acked.extend(trickling.await.unwrap());
    // The database as the machine left it, WAL and all, is whole: damage in the restored
    // copy alone is then Litestream's. (Read only: closing it must not checkpoint the WAL.)
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    assert_whole(&conn, "the live database at the loss", &db);
    drop(conn);
    for file in [
        "makers.db",
        "makers.db-wal",
        "makers.db-shm",
        "makers.db.lock",
    ] {
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    // Litestream's own copy of the WAL (its "shadow WAL") goes with the machine too.
    std::fs::remove_dir_all(dir.path().join(".makers.db-litestream")).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["process.log"], "only the processes' log is left");

    let restoring = Instant::now();
    restore(&launch, &env, &db, &[]);
    let restore_took = restoring.elapsed();

    let conn = rusqlite::Connection::open(&db).unwrap();
    // A restored file that SQLite finds damaged (an index missing rows reads as rows lost)
    // is said as such (Litestream 0.3.13's issue 582; see deploy/litestream.yml).
    assert_whole(&conn, "the restored database", &db);
    let (kept, lost): (Vec<&Acked>, Vec<&Acked>) = acked.iter().partition(|a| a.write.is_in(&conn));
    drop(conn);
    let bound = SYNC_INTERVAL + MONITOR_INTERVAL + UPLOAD_ALLOWANCE;
    let lost_too_early: Vec<_> = lost
        .iter()
        .filter(|a| lost_at.duration_since(a.at) > bound)
        .collect();
    assert!(
        lost_too_early.is_empty(),
        "acknowledged more than {bound:?} before the loss, yet lost: {lost_too_early:?}"
    );
    let window = lost
        .iter()
        .map(|a| lost_at.duration_since(a.at))
        .max()
        .unwrap_or_default();
    let newest_kept = kept
        .iter()
        .map(|a| lost_at.duration_since(a.at))
        .min()
        .unwrap_or_default();

    // The bot again, still under Litestream, on the restored file: it owes no post, and
    // posts nothing it had posted.
    let bot = BotProcess::start(&launch, &db, &slack.url, &env).await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(SHORT).unwrap();
    drained(&conn, Duration::from_secs(30)).await;
    // A post would have gone out at once; give it a moment to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let twice = posted_twice(&slack.all_calls());
    assert!(
        twice.is_empty(),
        "posted twice after the restore: {twice:#?}"
    );
    assert_eq!(
        calls_to_slack(&slack),
        posts_first_run,
        "the restored bot called Slack again"
    );
    bot.kill();
    eprintln!(
        "restore drill: {} writes acknowledged, {} lost; loss window {window:?} (the oldest \
         lost write was acknowledged that long before the loss; the newest kept {newest_kept:?} \
         before it); restore took {restore_took:?}",
        acked.len(),
        lost.len(),
    );
}

/// A moment of the last days, restored as deploy/README.md section 5 says: here to undo an
/// operator's `forget` of the wrong person (its line taken out of the forget ledger). The
/// bucket's copy as it was at that moment is
/// restored into a file beside the running bot's database; with the bot stopped, the database
/// is moved aside and that file put in its place. The bot starts on it, shows what was there
/// at that moment and nothing written after, posts nothing again, and Litestream replicates
/// it from there: the bucket's latest copy afterwards has the restored rows and a write made
/// since.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restore_to_a_moment_undoes_what_came_after_and_replication_goes_on() {
    let Setup {
        s3: _s3,
        dir,
        db,
        env,
        launch,
        slack,
    } = Setup::start().await;
    let bot = BotProcess::start(&launch, &db, &slack.url, &env).await;
    let ann = bot
        .slash(
            "U0ANN",
            "C0BINS",
            "pitch Bin day finder | one finder for every council",
        )
        .await
        .unwrap();
    assert!(ann.text().contains("#1:"), "{}", ann.body);
    let bob = bot.slash("U0BOB", "C0BINS", "join 1").await.unwrap();
    assert_eq!(bob.status, 200, "{}", bob.body);
    let bob_in_team = Write::Join {
        project: 1,
        user: "U0BOB".to_string(),
    };
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(SHORT).unwrap();
    assert!(bob_in_team.is_in(&conn), "{}", bob.body);
    drained(&conn, Duration::from_secs(30)).await;
    let calls_before = calls_to_slack(&slack);

    // Everything so far is in the bucket; then the moment. Litestream dates each upload by
    // the bucket's clock, to the second: the moment is a second clear of the last upload
    // before it, and what comes after it is written two seconds later.
    until_in_bucket(&launch, &env, &db, "join", |c| bob_in_team.is_in(c)).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let moment = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // As deploy/README.md runs an operator's command beside the service: with its settings
    // (`MAKERS_CHECKPOINTS=litestream`, so the forget leaves the WAL to Litestream).
    let forget = crate::binary::bot(dir.path())
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .env("MAKERS_DB", &db)
        .args(["forget", "--team", TEAM, "--user", "U0BOB"])
        .output()
        .unwrap();
    assert!(forget.status.success(), "{forget:?}");
    let cat = offers_skills(&bot, "U0CAT").await;
    assert!(!bob_in_team.is_in(&conn) && cat.is_in(&conn));
    drop(conn);
    until_in_bucket(&launch, &env, &db, "after", |c| {
        !bob_in_team.is_in(c) && cat.is_in(c)
    })
    .await;

    // The moment, restored beside the running bot; then swapped in with the bot stopped.
    let then = dir.path().join("then.db");
    restore(
        &launch,
        &env,
        &db,
        &[
            "-timestamp".as_ref(),
            moment.as_ref(),
            "-o".as_ref(),
            then.as_ref(),
        ],
    );
    let restored = rusqlite::Connection::open(&then).unwrap();
    assert!(
        bob_in_team.is_in(&restored),
        "Bob, forgotten after {moment}, is back in the team"
    );
    assert!(
        !cat.is_in(&restored),
        "what came after {moment} is not there"
    );
    drop(restored);
    bot.kill();
    let aside = dir.path().join("broken");
    std::fs::create_dir(&aside).unwrap();
    for file in ["makers.db", "makers.db-wal", "makers.db-shm"] {
        if dir.path().join(file).exists() {
            std::fs::rename(dir.path().join(file), aside.join(file)).unwrap();
        }
    }
    std::fs::rename(&then, &db).unwrap();
    // The forget ledger beside the database lists the forget; kept, it would forget Bob
    // again at start (a backup put back must not bring a forgotten person back). Undoing a
    // forget of the wrong person takes its line out, as deploy/README.md says.
    let ledger = dir.path().join("makers.db.forgotten");
    let lines = std::fs::read_to_string(&ledger).unwrap();
    assert!(lines.trim_end().ends_with(" U0BOB"), "{lines}");
    let kept: String = lines
        .lines()
        .filter(|l| !l.ends_with(" U0BOB"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&ledger, kept).unwrap();

    let bot = BotProcess::start(&launch, &db, &slack.url, &env).await;
    let show = bot.slash("U0ANN", "C0BINS", "show 1").await.unwrap();
    assert!(
        show.text().contains("U0BOB"),
        "Bob is in the team: {}",
        show.body
    );
    let dan = offers_skills(&bot, "U0DAN").await;
    // Litestream went on from the restored file: the bucket's latest copy is it, and Dan.
    until_in_bucket(&launch, &env, &db, "since", |c| {
        bob_in_team.is_in(c) && dan.is_in(c) && !cat.is_in(c)
    })
    .await;
    let twice = posted_twice(&slack.all_calls());
    assert!(
        twice.is_empty(),
        "posted twice after the restore: {twice:#?}"
    );
    assert_eq!(
        calls_to_slack(&slack),
        calls_before,
        "the restored bot called Slack again"
    );
    bot.kill();
}

/// SQLite's `integrity_check` finds nothing wrong in `what`, open at `conn`; if it does, the
/// failure shows what it found and the last of the bot's and Litestream's log beside `db`
/// (the directory goes when the test ends).
fn assert_whole(conn: &rusqlite::Connection, what: &str, db: &Path) {
    let found: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    if found != ["ok"] {
        let log = std::fs::read_to_string(process_log(db)).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let last = &lines[lines.len().saturating_sub(60)..];
        panic!(
            "{what} is damaged: {found:?}\nthe processes' log, last lines:\n{}",
            last.join("\n")
        );
    }
}

/// Waits up to `within` until every post the bot queued in the database at `conn` is out.
async fn drained(conn: &rusqlite::Connection, within: Duration) {
    eventually("the outbox drained", within, || {
        (undelivered(conn) == 0).then_some(())
    })
    .await;
}

/// `user` says their skills: a write that posts nothing, acknowledged.
async fn offers_skills(bot: &BotProcess, user: &str) -> Write {
    let said = bot.slash(user, "C0ANY", "skills developer").await.unwrap();
    assert!(
        said.said().starts_with("Recorded: you offer"),
        "{}",
        said.body
    );
    Write::Skills {
        user: user.to_string(),
    }
}

/// Waits until the bucket's latest copy (restored into a new file beside `db` each time)
/// passes `check`: what was written has been uploaded, however slow the machine.
async fn until_in_bucket(
    launch: &Launch,
    env: &[(&str, String)],
    db: &Path,
    what: &str,
    check: impl Fn(&rusqlite::Connection) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    for n in 0.. {
        let probe = db.with_file_name(format!("probe-{what}-{n}.db"));
        restore(launch, env, db, &["-o".as_ref(), probe.as_ref()]);
        if check(&rusqlite::Connection::open(&probe).unwrap()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the bucket's copy never had what was written ({what})"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The calls made to Slack but `auth.test`, which every start asks (whose `SLACK_BOT_TOKEN`
/// is): what the bot did, not that it started.
fn calls_to_slack(slack: &FakeSlack) -> usize {
    slack
        .all_calls()
        .iter()
        .filter(|c| c.method != "auth.test")
        .count()
}

/// Under Litestream the `-wal` file is not emptied after a forget (Litestream checkpoints),
/// and SQLite keeps it at the largest size it reached: a log that once ran past Litestream's
/// 1000 pages (here a reader of Litestream's own held off, as a `backup` holds its checkpoint
/// off) left Bob's rows in frames past every later log's end, until the service restarted.
/// Once a restarted log is Litestream's, the bot cuts the file back to that log's end: after
/// the forget and the next checkpoint neither the file nor its log holds Bob, and the
/// bucket's copy is whole, in the one generation, with what was written since.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn under_litestream_a_forget_leaves_no_older_copy_of_the_person_in_the_log() {
    let Setup {
        s3: _s3,
        dir: _dir,
        db,
        env,
        launch,
        slack,
    } = Setup::start().await;
    let bot = BotProcess::start(&launch, &db, &slack.url, &env).await;
    let ann = bot
        .slash(
            "U0ANN",
            "C0BINS",
            "pitch Bin day finder | one finder for every council",
        )
        .await
        .unwrap();
    assert!(ann.text().contains("#1:"), "{}", ann.body);
    let other = rusqlite::Connection::open(&db).unwrap();
    other.busy_timeout(SHORT).unwrap();
    other
        .execute_batch("PRAGMA wal_autocheckpoint = 0; CREATE TABLE ballast (x)")
        .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.busy_timeout(SHORT).unwrap();
    drained(&conn, Duration::from_secs(30)).await;

    // Litestream's first copy is in the bucket.
    let probe = db.with_file_name("probe-first.db");
    eventually("Litestream's first copy", Duration::from_secs(60), || {
        let _ = std::fs::remove_file(&probe);
        let out = try_restore(&launch, &env, &db, &["-o".as_ref(), probe.as_ref()]);
        out.status.success().then_some(())
    })
    .await;

    // Litestream held still while the log runs past its 1000 pages (about 1220), and Bob's
    // rows go in after them.
    let litestream = bot.pid().to_string();
    signal("-STOP", &litestream);
    other
        .execute("INSERT INTO ballast VALUES (zeroblob(5000000))", [])
        .unwrap();
    let joined = bot.slash("U0BOB", "C0BINS", "join 1").await.unwrap();
    assert_eq!(joined.status, 200, "{}", joined.body);
    let bob_in_team = Write::Join {
        project: 1,
        user: "U0BOB".to_string(),
    };
    let bob_skills = offers_skills(&bot, "U0BOB").await;
    assert!(bob_in_team.is_in(&conn) && bob_skills.is_in(&conn));
    drained(&conn, Duration::from_secs(30)).await;
    let wal = db.with_extension("db-wal");
    assert!(crate::data_requests::file_holds(&wal, "U0BOB"));
    signal("-CONT", &litestream);
    until_in_bucket(&launch, &env, &db, "bob", |c| bob_in_team.is_in(c)).await;

    let forgot = bot.slash("U0BOB", "C0BINS", "forget me").await.unwrap();
    assert_eq!(forgot.status, 200, "{}", forgot.body);
    assert!(!bob_in_team.is_in(&conn) && !bob_skills.is_in(&conn));
    // A burst of about 1030 pages: Litestream checkpoints the forget into the file and the
    // log starts again, shorter than the one that holds Bob.
    other
        .execute("INSERT INTO ballast VALUES (zeroblob(4200000))", [])
        .unwrap();
    let cat = offers_skills(&bot, "U0CAT").await;
    eventually(
        "Litestream's checkpoint of the forget: the file holds nothing of Bob",
        Duration::from_secs(60),
        || (!crate::data_requests::file_holds(&db, "U0BOB")).then_some(()),
    )
    .await;
    eventually(
        "the log holds nothing of Bob",
        Duration::from_secs(30),
        || (!crate::data_requests::file_holds(&wal, "U0BOB")).then_some(()),
    )
    .await;

    // The bucket's copy: whole, Bob forgotten, Cat there, and Litestream never started
    // another generation (a `-wal` cut below its position would have made it).
    until_in_bucket(&launch, &env, &db, "after", |c| {
        !bob_in_team.is_in(c) && !bob_skills.is_in(c) && cat.is_in(c)
    })
    .await;
    let restored = db.with_file_name("restored.db");
    restore(&launch, &env, &db, &["-o".as_ref(), restored.as_ref()]);
    let copy = rusqlite::Connection::open(&restored).unwrap();
    assert_whole(&copy, "the bucket's copy", &db);
    assert!(cat.is_in(&copy) && !bob_in_team.is_in(&copy));
    let projects: i64 = copy
        .query_row("SELECT COUNT(*) FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(projects, 1);
    let log = std::fs::read_to_string(process_log(&db)).unwrap();
    assert_eq!(
        log.matches("new generation").count(),
        1,
        "Litestream started another generation:\n{log}"
    );
    bot.kill();
}

/// Sends `signal` (`-STOP`, `-CONT`) to the process `pid`.
fn signal(signal: &str, pid: &str) {
    let sent = Command::new("kill").args([signal, pid]).status().unwrap();
    assert!(sent.success(), "kill {signal} {pid}");
}
