//! The bot under test, running for real: [`TestApp`] starts it on a loopback port with a temp
//! SQLite file, sends it requests, reads its database and waits for its posts and scheduler.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use makers_bot::app::App;
use makers_bot::config::{Config, Needs, SocketTiming};
use rusqlite::Connection;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::{Answer, FakeSlack, SECRET, SHORT, TEAM, TOKEN, TestClock, eventually};
use super::{mention, now, signed_headers, slash_body, slash_body_as_sent};

/// The bot, running for real.
pub struct TestApp {
    pub addr: SocketAddr,
    pub clock: TestClock,
    pub db_path: PathBuf,
    pub slack: FakeSlack,
    stop: CancellationToken,
    task: Option<tokio::task::JoinHandle<makers_bot::app::Stopped>>,
    _dir: Option<Arc<tempfile::TempDir>>,
    client: Client<HttpConnector, Full<Bytes>>,
    /// Settings beyond the defaults, kept for [`TestApp::restart`].
    settings: Vec<(&'static str, String)>,
}

pub async fn spawn_app() -> TestApp {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let db = dir.path().join("makers.db");
    let mut app = spawn_app_on(&db, FakeSlack::start().await).await;
    app._dir = Some(dir);
    app
}

/// Starts the bot on an existing database file (for restart tests).
pub async fn spawn_app_on(db: &Path, slack: FakeSlack) -> TestApp {
    spawn_app_with(db, slack, TestClock::default()).await
}

/// Starts the bot with one more setting, e.g. `("MAKERS_JOIN_EMOJI", "hand")`.
pub async fn spawn_app_setting(name: &'static str, value: &str) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let db = dir.path().join("makers.db");
    let slack = FakeSlack::start().await;
    let mut app = start(&db, slack, TestClock::default(), &[(name, value)]).await;
    app._dir = Some(dir);
    app
}

/// Starts the bot with more settings; an empty value unsets a default (`SLACK_BOT_TOKEN`).
pub async fn spawn_app_settings(settings: &[(&'static str, &str)]) -> TestApp {
    spawn_app_talking_to(FakeSlack::start().await, settings).await
}

/// Starts the bot on a fresh database with this fake Slack and these settings (a blank value
/// leaves a setting out).
pub async fn spawn_app_talking_to(slack: FakeSlack, settings: &[(&'static str, &str)]) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let db = dir.path().join("makers.db");
    let mut app = start(&db, slack, TestClock::default(), settings).await;
    app._dir = Some(dir);
    app
}

/// Starts the bot on an existing database file with a given clock.
pub async fn spawn_app_with(db: &Path, slack: FakeSlack, clock: TestClock) -> TestApp {
    start(db, slack, clock, &[]).await
}

/// Starts the bot on an existing database file with these settings (a blank value leaves a
/// setting out), or says why it would not start.
pub async fn try_spawn_app_on(
    db: &Path,
    slack: FakeSlack,
    settings: &[(&'static str, &str)],
) -> anyhow::Result<TestApp> {
    try_start(db, slack, TestClock::default(), settings).await
}

/// Test-only setting: the socket timing's `stable_after`, in milliseconds.
pub const STABLE_AFTER_MS: &str = "TEST_SOCKET_STABLE_AFTER_MS";
pub const RETRY_WAIT_MS: &str = "TEST_SOCKET_RETRY_WAIT_MS";
/// How many sockets the bot keeps (the tests' default is one).
pub const SOCKETS: &str = "TEST_SOCKETS";
/// How long a spare waits after another socket is live, in milliseconds (the tests' default
/// is none).
pub const SPARE_AFTER_MS: &str = "TEST_SOCKET_SPARE_AFTER_MS";

/// Test-only setting: how often the scheduler looks, in milliseconds (the tests' default is
/// 50; a deployment's is a minute). It looks once at start, then once a tick.
pub const SCHEDULER_TICK_MS: &str = "TEST_SCHEDULER_TICK_MS";

async fn start(
    db: &Path,
    slack: FakeSlack,
    clock: TestClock,
    settings: &[(&'static str, &str)],
) -> TestApp {
    try_start(db, slack, clock, settings)
        .await
        .expect("app builds")
}

async fn try_start(
    db: &Path,
    slack: FakeSlack,
    clock: TestClock,
    settings: &[(&'static str, &str)],
) -> anyhow::Result<TestApp> {
    let mut vars: HashMap<&str, String> = HashMap::from([
        ("SLACK_SIGNING_SECRET", SECRET.to_string()),
        ("SLACK_BOT_TOKEN", TOKEN.to_string()),
        ("SLACK_API_URL", slack.url.clone()),
        ("MAKERS_DB", db.display().to_string()),
        ("MAKERS_ADDR", "127.0.0.1:0".to_string()),
    ]);
    vars.extend(settings.iter().map(|(k, v)| (*k, v.to_string())));
    // The tests' SLACK_BOT_TOKEN is TEAM's, as `auth.test` says.
    slack.token_is_for(TOKEN, TEAM);
    let mut config = Config::from_lookup(Needs::Serve, |k| vars.get(k).cloned()).unwrap();
    // Look for due nudges often, so moving the clock shows its effect at once.
    config.scheduler_tick = Duration::from_millis(50);
    if let Some(ms) = vars.get(SCHEDULER_TICK_MS) {
        config.scheduler_tick = Duration::from_millis(ms.parse().unwrap());
    }
    // And the outbox worker, with nothing due, looks again as often: a row that falls due
    // by the test clock moved forward (a retry, a channel asked about again the next day)
    // is taken within a quarter second, where it waited up to the worker's 30 s (the test
    // gave up at 15) when no write woke the worker after the move.
    config.outbox_idle_poll = Duration::from_millis(250);
    // Socket Mode (when on) reconnects at once; a refused token or link_disabled waits long.
    config.socket_timing = SocketTiming {
        ping_every: Duration::from_millis(200),
        silent_after: Duration::from_secs(2),
        hello_within: Duration::from_secs(2),
        retry_first: Duration::from_millis(50),
        retry_max: Duration::from_millis(400),
        stable_after: Duration::from_secs(60),
        replace_within: Duration::from_millis(100),
        hopeless_retry: Duration::from_secs(60),
        // One, so a test says which socket Slack sends on; a test of the spare asks for two.
        sockets: 1,
        spare_after: Duration::ZERO,
    };
    if let Some(n) = vars.get(SOCKETS) {
        config.socket_timing.sockets = n.parse().unwrap();
    }
    // A test's own setting (not the bot's): how long a socket must live to count as stable.
    if let Some(ms) = vars.get(STABLE_AFTER_MS) {
        config.socket_timing.stable_after = Duration::from_millis(ms.parse().unwrap());
    }
    if let Some(ms) = vars.get(SPARE_AFTER_MS) {
        config.socket_timing.spare_after = Duration::from_millis(ms.parse().unwrap());
    }
    // And how long reconnect waits are, from the first (a test of a grown wait).
    if let Some(ms) = vars.get(RETRY_WAIT_MS) {
        let wait = Duration::from_millis(ms.parse().unwrap());
        config.socket_timing.retry_first = wait;
        config.socket_timing.retry_max = wait;
    }
    let app = App::build_with_clock(&config, Arc::new(clock.clone())).await?;
    let addr = app.addr();
    let stop = CancellationToken::new();
    let task = tokio::spawn(app.run(stop.clone()));
    Ok(TestApp {
        addr,
        clock,
        db_path: db.to_path_buf(),
        slack,
        stop,
        task: Some(task),
        _dir: None,
        client: super::requests::client(),
        settings: settings.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    })
}

impl TestApp {
    /// Stops the bot as SIGTERM would and waits until it has finished.
    /// Stops the bot; once this returns, the bot has closed the database, and a test may put
    /// another file at its path. (A store still closing would delete by name the WAL of the
    /// file put there next.) A test holding its own connection must close it first.
    pub async fn stop(mut self) -> (PathBuf, FakeSlack, Option<Arc<tempfile::TempDir>>) {
        // Seen open while the bot runs, so that "not open" below means something.
        assert!(!open_here(&self.db_path).is_empty(), "the database is open");
        let stopped = self.stop_keeping_clock().await;
        let open = open_here(&self.db_path);
        assert!(open.is_empty(), "still open once stopped: {open:?}");
        stopped
    }

    async fn stop_keeping_clock(&mut self) -> (PathBuf, FakeSlack, Option<Arc<tempfile::TempDir>>) {
        self.stop.cancel();
        if let Some(task) = self.task.take() {
            let stopped = tokio::time::timeout(Duration::from_secs(15), task)
                .await
                .expect("bot stops within 15 s")
                .unwrap();
            // Else a restart on this path could be raced by the old store's close.
            assert!(stopped.database_closed, "the bot closed its database");
        }
        (self.db_path.clone(), self.slack.clone(), self._dir.take())
    }

    /// Stops the bot and starts it again on the same database, clock and fake Slack.
    /// Restarts on the same database with `changed` settings in place of those of the same
    /// names (an operator editing the environment file).
    pub async fn restart_with(mut self, changed: &[(&'static str, &str)]) -> TestApp {
        self.settings
            .retain(|(k, _)| !changed.iter().any(|(c, _)| c == k));
        self.settings
            .extend(changed.iter().map(|(k, v)| (*k, v.to_string())));
        self.restart().await
    }

    pub async fn restart(mut self) -> TestApp {
        let clock = self.clock.clone();
        let settings = std::mem::take(&mut self.settings);
        let (db, slack, dir) = self.stop_keeping_clock().await;
        let settings: Vec<(&'static str, &str)> =
            settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut app = start(&db, slack, clock, &settings).await;
        app._dir = dir;
        app
    }

    /// Sends any request; headers as given.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: impl Into<Bytes>,
    ) -> Answer {
        super::send(&self.client, self.addr, method, path, headers, body.into())
            .await
            .expect("bot answers")
    }

    /// An interaction (`payload=…` form) as Slack posts it, signed now.
    pub async fn interact(&self, body: &str) -> Answer {
        self.post_signed(
            "/slack/interactions",
            "application/x-www-form-urlencoded",
            body,
        )
        .await
    }

    /// POSTs `body` signed with the app's secret at the current time.
    pub async fn post_signed(&self, path: &str, content_type: &str, body: &str) -> Answer {
        self.post_signed_with(path, content_type, body, &[]).await
    }

    pub async fn post_signed_with(
        &self,
        path: &str,
        content_type: &str,
        body: &str,
        extra: &[(&str, String)],
    ) -> Answer {
        let mut headers = signed_headers(body, now());
        headers.push(("content-type", content_type.to_string()));
        headers.extend(extra.iter().cloned());
        self.request("POST", path, &headers, body.to_string()).await
    }

    /// `/makers <text>` typed by `user` in `channel` of the test workspace.
    pub async fn slash(&self, user: &str, channel: &str, text: &str) -> Answer {
        self.slash_in(TEAM, user, channel, text).await
    }

    pub async fn slash_in(&self, team: &str, user: &str, channel: &str, text: &str) -> Answer {
        let body = slash_body(team, user, channel, text);
        self.post_signed(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            &body,
        )
        .await
    }

    /// `/makers <text>` with `text` as Slack sends it, tokens and all (see
    /// [`slash_body_as_sent`]).
    pub async fn slash_as_sent(&self, user: &str, channel: &str, text: &str) -> Answer {
        self.slash_as_sent_in(TEAM, user, channel, text).await
    }

    /// [`TestApp::slash_as_sent`] in workspace `team`.
    pub async fn slash_as_sent_in(
        &self,
        team: &str,
        user: &str,
        channel: &str,
        text: &str,
    ) -> Answer {
        let body = slash_body_as_sent(team, user, channel, text);
        self.post_signed(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            &body,
        )
        .await
    }

    /// POSTs an Events API envelope.
    pub async fn event(&self, envelope: &Value) -> Answer {
        self.post_signed("/slack/events", "application/json", &envelope.to_string())
            .await
    }

    /// A connection to the bot's database, for checking what was recorded (and, rarely,
    /// setting up what no command can). It waits for the bot's writer rather than fail.
    pub fn db(&self) -> Connection {
        let conn = Connection::open(&self.db_path).unwrap();
        conn.busy_timeout(SHORT).unwrap();
        conn
    }

    /// Holds the database's write lock for 3.2 s, as another writer would (an operator's
    /// `sqlite3`, a `makers-bot` command beside `serve`): what is asked meanwhile is answered
    /// after Slack stopped waiting. Join the handle to wait for the release.
    pub fn hold_writes(&self) -> std::thread::JoinHandle<()> {
        self.hold_writes_for(std::time::Duration::from_millis(3_200))
    }

    /// [`TestApp::hold_writes`] for `hold`: past 5 s, the bot's own writes give up waiting
    /// (its busy timeout) and fail.
    pub fn hold_writes_for(&self, hold: std::time::Duration) -> std::thread::JoinHandle<()> {
        let lock = self.db();
        lock.execute_batch("BEGIN IMMEDIATE").unwrap();
        std::thread::spawn(move || {
            std::thread::sleep(hold);
            lock.execute_batch("ROLLBACK").unwrap();
        })
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Waits until every outbox row is delivered or failed. Commands, events and button
    /// presses queue their posts before they answer, so once this returns, the fake has
    /// recorded every post they will ever make: a check for "nothing else was posted" made
    /// after it cannot pass merely because the post has not gone out yet.
    pub async fn outbox_settled(&self) {
        eventually("every outbox row delivered or failed", SHORT, || {
            let pending = self.count(
                "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL",
            );
            (pending == 0).then_some(())
        })
        .await;
    }

    /// Waits until the scheduler has looked at what is due at the test clock's current time
    /// (each tick reads the clock once, queues the nudges due then in one write, then the
    /// digests one a write, in the order of their workspace and channel).
    ///
    /// A marker subscription, written here, is due a minute before the clock's now (in the
    /// app's `MAKERS_TZ`) and handled up to a day before that: only a tick that read the
    /// clock at or after that minute handles it (one that read it before the test last
    /// moved the clock forward finds its last week's time already handled), and it does so
    /// as covered, posting nothing (its last digest said to end in 2100, none is ever made
    /// for it). Of a workspace whose id sorts after every other, it is the tick's last
    /// digest: every other digest due then has been queued when it is handled. (A marker due
    /// at any time, as it was, was handled by a tick that had read the clock before the test
    /// moved it, with its nudges and digests still those of the time before.) Not covered: a
    /// tick still running from before the test moved the clock back, or forward by under two
    /// minutes.
    pub async fn scheduler_has_run(&self) {
        use chrono::{Datelike, Timelike};
        let channel = format!("C0TICK{}", marker_number());
        let due = self.clock.now() - chrono::Duration::seconds(60);
        let tz: chrono_tz::Tz = self
            .settings
            .iter()
            .find(|(k, _)| *k == "MAKERS_TZ")
            .map_or(chrono_tz::Europe::London, |(_, v)| v.parse().unwrap());
        let local = due.with_timezone(&tz);
        let handled_until = due.timestamp() - 86_400;
        // 1 January 2100: any due time is "covered" by a digest said to end then.
        const NEVER_MADE: i64 = 4_102_444_800;
        self.db()
            .execute(
                "INSERT INTO digest_subscriptions
                   (team_id, channel_id, weekday, minute_of_day, created_at, last_due_at, sent_until)
                 VALUES ('TZZZZTICK', ?1, ?2, ?3, ?4, ?4, ?5)",
                rusqlite::params![
                    channel,
                    local.weekday().number_from_monday(),
                    local.hour() * 60 + local.minute(),
                    handled_until,
                    NEVER_MADE
                ],
            )
            .unwrap();
        let handled = format!(
            "SELECT COUNT(*) FROM digest_subscriptions
              WHERE channel_id = '{channel}' AND last_due_at > {handled_until}"
        );
        eventually(
            "the scheduler to run at the test clock's time",
            SHORT,
            || (self.count(&handled) == 1).then_some(()),
        )
        .await;
        self.db()
            .execute(
                "DELETE FROM digest_subscriptions WHERE channel_id = ?1",
                [&channel],
            )
            .unwrap();
    }

    /// Mentions the bot in a channel `C0MARK…` of its own and waits until the reply is
    /// attempted (posted, or refused while Slack is scripted down). The worker posts due rows
    /// oldest first, one at a time, so every row due before the marker has been attempted,
    /// and answered, by then. (`list`, whose answer is posted for the channel; help's is the
    /// asker's alone.)
    pub async fn marker_posted(&self) {
        let n = marker_number();
        let channel = format!("C0MARK{n}");
        let ts = format!("1700009999.{n:06}");
        let a = self
            .event(&mention(
                &format!("EvMark{n}"),
                "U0MARKER",
                &channel,
                &ts,
                "list",
            ))
            .await;
        assert_eq!(a.status, 200);
        eventually(&format!("the marker reply in {channel}"), SHORT, || {
            let calls = self.slack.calls("chat.postMessage");
            calls
                .iter()
                .any(|c| c.body["channel"] == channel)
                .then_some(())
        })
        .await;
    }
}

/// A number no other marker of this test binary has used.
fn marker_number() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The files of the database at `db` (itself, its WAL, its shared memory) that this process
/// has open.
fn open_here(db: &Path) -> Vec<PathBuf> {
    // As the kernel names it (a temp directory may be reached through a link).
    let db = &db.canonicalize().unwrap_or_else(|_| db.to_path_buf());
    let ours = |p: &Path| {
        p.to_str().zip(db.to_str()).is_some_and(|(p, db)| {
            p.strip_prefix(db)
                .is_some_and(|rest| ["", "-wal", "-shm"].contains(&rest))
        })
    };
    std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|p| ours(p))
        .collect()
}
