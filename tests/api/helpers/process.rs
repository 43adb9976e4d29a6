//! The `makers-bot` binary as a process that can be killed outright (SIGKILL), alone or under
//! `litestream replicate -exec`, and the write load the crash tests put on it: pitches, joins
//! and updates through signed HTTP requests, each acknowledgement noted with its time.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

use super::{Answer, Call, SECRET, TEAM, TOKEN, message_text, signed_headers, slash_body};

/// How the binary is started: alone, or as Litestream's child.
pub enum Launch {
    Alone,
    /// `litestream replicate -config <config> -exec "makers-bot serve"`.
    UnderLitestream {
        litestream: PathBuf,
        config: PathBuf,
    },
}

/// A running `makers-bot serve` (and its Litestream, if any), in a process group of its own
/// so that one SIGKILL takes all of it at once, as losing the machine would.
pub struct BotProcess {
    pub addr: SocketAddr,
    child: std::sync::Mutex<Child>,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl BotProcess {
    /// Starts the bot on `db`, posting to the fake Slack at `slack_url`, with `env` added, and
    /// waits until it answers `/healthz`, on the port it chose and said in its log. One that
    /// exits at start (a test beside this one holding its database's lock, say) is started
    /// again, up to three times.
    pub async fn start(
        launch: &Launch,
        db: &Path,
        slack_url: &str,
        env: &[(&str, String)],
    ) -> BotProcess {
        for _ in 0..3 {
            if let Some(bot) = Self::try_start(launch, db, slack_url, env).await {
                return bot;
            }
        }
        panic!("the bot exited at start three times (see process.log beside the database)");
    }

    /// [`BotProcess::start`] on one port; `None` if the process exited before it answered.
    async fn try_start(
        launch: &Launch,
        db: &Path,
        slack_url: &str,
        env: &[(&str, String)],
    ) -> Option<BotProcess> {
        let bot = env!("CARGO_BIN_EXE_makers-bot");
        let mut cmd = match launch {
            Launch::Alone => {
                let mut cmd = Command::new(bot);
                cmd.arg("serve");
                cmd
            }
            Launch::UnderLitestream { litestream, config } => {
                let mut cmd = Command::new(litestream);
                cmd.arg("replicate")
                    .arg("-config")
                    .arg(config)
                    .arg("-exec")
                    .arg(format!("{bot} serve"));
                cmd
            }
        };
        let vars: HashMap<&str, String> = HashMap::from([
            ("SLACK_SIGNING_SECRET", SECRET.to_string()),
            ("SLACK_BOT_TOKEN", TOKEN.to_string()),
            ("SLACK_API_URL", slack_url.to_string()),
            ("MAKERS_DB", db.display().to_string()),
            // A port of its own choosing, said in its log: one found free beforehand may
            // be taken by a test beside this one, whose server would answer for it.
            ("MAKERS_ADDR", "127.0.0.1:0".to_string()),
            ("RUST_LOG", "warn,makers_bot::app=info".to_string()),
        ]);
        // The bot's and Litestream's logs go to a file beside the database (a child's output
        // would bypass the test harness's capture), shown if it never comes up.
        let log_path = process_log(db);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        // The log is kept across starts: this start's lines are those after here.
        let log_start = log.metadata().unwrap().len() as usize;
        cmd.env_clear()
            .envs(faked_clock())
            .envs(vars)
            .envs(env.iter().map(|(k, v)| (*k, v)))
            .current_dir(db.parent().unwrap())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0);
        let mut child = cmd.spawn().expect("the bot (or litestream) starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        let addr = loop {
            let log = std::fs::read(&log_path).unwrap_or_default();
            let said = String::from_utf8_lossy(log.get(log_start..).unwrap_or_default());
            // Whole lines only: one being written may hold half its port.
            let whole = &said[..said.rfind('\n').map_or(0, |at| at + 1)];
            let listening = whole.lines().find_map(|l| {
                l.split_once("makers-bot listening addr=")?
                    .1
                    .split_whitespace()
                    .next()?
                    .parse::<SocketAddr>()
                    .ok()
            });
            if let Some(addr) = listening {
                break addr;
            }
            if child.try_wait().unwrap().is_some() {
                return None;
            }
            assert!(
                Instant::now() < deadline,
                "the bot did not say where it listens (see {})",
                log_path.display()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let bot = BotProcess {
            addr,
            child: std::sync::Mutex::new(child),
            client: super::requests::client(),
        };
        loop {
            // Bounded: whatever else holds the port may never answer.
            let health = bot.request("GET", "/healthz", &[], String::new());
            if let Ok(Ok(a)) = tokio::time::timeout(Duration::from_secs(2), health).await
                && a.status == 200
            {
                return Some(bot);
            }
            if bot.child.lock().unwrap().try_wait().unwrap().is_some() {
                return None;
            }
            assert!(
                Instant::now() < deadline,
                "the bot did not come up on {addr}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL to the whole process group (the bot and its Litestream): nothing is flushed,
    /// nothing finishes. Returns when they are gone.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        let group = format!("-{}", child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .unwrap();
        assert!(killed.success(), "kill -KILL {group}");
        child.wait().unwrap();
        // The group is empty once its last member is reaped; the bot may outlive Litestream's
        // reaping by a moment.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Command::new("kill")
            .args(["-0", "--", &group])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
        {
            assert!(
                Instant::now() < deadline,
                "process group {group} still alive"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The bot's process id (under Litestream, Litestream's).
    pub fn pid(&self) -> u32 {
        self.child.lock().unwrap().id()
    }

    /// The status `GET /healthz` answers (0 if none).
    pub async fn health(&self) -> u16 {
        self.request("GET", "/healthz", &[], String::new())
            .await
            .map_or(0, |a| a.status.as_u16())
    }

    /// The body `GET path` answers (empty if none).
    pub async fn get(&self, path: &str) -> String {
        self.request("GET", path, &[], String::new())
            .await
            .map_or(String::new(), |a| a.body)
    }

    /// `method path` with `headers` and `body`, as sent; `Err` if the bot did not answer.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: String,
    ) -> Result<Answer, String> {
        super::send(&self.client, self.addr, method, path, headers, body.into()).await
    }

    /// `/makers <text>` as `user` in `channel`; `Err` if the bot did not answer.
    pub async fn slash(&self, user: &str, channel: &str, text: &str) -> Result<Answer, String> {
        let body = slash_body(TEAM, user, channel, text);
        let mut headers = signed_headers(&body, super::now());
        headers.push((
            "content-type",
            "application/x-www-form-urlencoded".to_string(),
        ));
        self.request("POST", "/slack/commands", &headers, body)
            .await
    }
}

/// A test that fails part-way leaves no bot (or Litestream) behind.
impl Drop for BotProcess {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(child.try_wait(), Ok(None)) {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
        }
    }
}

/// A write the bot acknowledged, and when.
#[derive(Debug, Clone)]
pub struct Acked {
    pub write: Write,
    pub at: Instant,
}

/// A write the load makes, and how to find it in the database afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Pitch {
        title: String,
    },
    Join {
        project: i64,
        user: String,
    },
    Update {
        body: String,
    },
    /// A person's skills: a write that posts nothing.
    Skills {
        user: String,
    },
}

impl Write {
    /// Whether the database at `db` holds this write.
    pub fn is_in(&self, db: &rusqlite::Connection) -> bool {
        let count = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> i64 {
            db.query_row(sql, args, |r| r.get(0)).unwrap()
        };
        1 == match self {
            Write::Pitch { title } => {
                count("SELECT COUNT(*) FROM projects WHERE title = ?1", &[title])
            }
            Write::Join { project, user } => count(
                "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
                 WHERE p.number = ?1 AND m.user_id = ?2",
                &[project, user],
            ),
            Write::Update { body } => {
                count("SELECT COUNT(*) FROM updates WHERE body = ?1", &[body])
            }
            Write::Skills { user } => count(
                "SELECT COUNT(*) FROM person_skills WHERE user_id = ?1",
                &[user],
            ),
        }
    }
}

/// Projects pitched before the load, one channel each, which the load's joins and updates
/// go to in turn (so the outbox's per-channel pacing spreads their thread lines).
pub const SETUP_PROJECTS: i64 = 100;

pub fn setup_pitcher(n: i64) -> String {
    format!("U0SETUP{n}")
}

/// Pitches [`SETUP_PROJECTS`] projects, numbered 1.. in order, and waits until every one is
/// announced, so that the load starts from the same place on a fast machine or a slow one
/// (its lines then go straight into threads, none waiting for an announcement).
pub async fn pitch_setup_projects(bot: &BotProcess, db: &Path) {
    for n in 1..=SETUP_PROJECTS {
        let a = bot
            .slash(
                &setup_pitcher(n),
                &format!("C0SETUP{n}"),
                &format!("pitch Setup project {n} | for the crash tests"),
            )
            .await
            .unwrap();
        assert!(a.text().contains(&format!("#{n}:")), "{}", a.body);
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let announced = "SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL";
    super::eventually(
        "the setup projects announced",
        Duration::from_secs(60),
        || {
            let n: i64 = conn.query_row(announced, [], |r| r.get(0)).unwrap();
            (n == SETUP_PROJECTS).then_some(())
        },
    )
    .await;
}

/// The file beside the database `db` where the bot (and its Litestream) started by
/// [`BotProcess::start`] write their logs.
pub fn process_log(db: &Path) -> std::path::PathBuf {
    db.with_file_name("process.log")
}

/// The write load's switch and its progress, shared with the test driving it.
#[derive(Default)]
pub struct Load {
    stop: AtomicBool,
    acked: AtomicUsize,
}

impl Load {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Waits at least `at_least`, then until `writes` are acknowledged or `at_most` has
    /// passed: a slow machine gets the same amount of work done before a kill, not the same
    /// time.
    pub async fn progressed(&self, writes: usize, at_least: Duration, at_most: Duration) {
        let started = Instant::now();
        tokio::time::sleep(at_least).await;
        while self.acked.load(Ordering::Relaxed) < writes && started.elapsed() < at_most {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Sends writes from `clients` concurrent clients until `load` is stopped or the bot stops
/// answering; returns every write it acknowledged. Write k is a pitch in a channel of its
/// own, a join of a setup project (by someone new) or an update on another (by its
/// pitcher), in turn.
pub async fn write_load(bot: Arc<BotProcess>, clients: usize, load: Arc<Load>) -> Vec<Acked> {
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (bot, load, next) = (bot.clone(), load.clone(), next.clone());
            tokio::spawn(async move {
                let mut acked = Vec::new();
                while !load.stop.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    // A join and an update on projects half the list apart, so that the rows
                    // in a row rarely go to the same channel.
                    let turn = k as i64 / 3;
                    let project = match k % 3 {
                        1 => turn % SETUP_PROJECTS + 1,
                        _ => (turn + SETUP_PROJECTS / 2) % SETUP_PROJECTS + 1,
                    };
                    let (write, user, channel, text, ok) = match k % 3 {
                        0 => {
                            let title = format!("Crash test {k} now");
                            let text = format!("pitch {title} | under load");
                            let user = format!("U0LOAD{}", k % 50);
                            let w = Write::Pitch { title };
                            (w, user, format!("C0LOAD{k}"), text, "Recorded as")
                        }
                        1 => {
                            let user = format!("U0JOIN{k}");
                            let w = Write::Join {
                                project,
                                user: user.clone(),
                            };
                            let text = format!("join {project}");
                            (w, user, "C0ANY".into(), text, "You're in the team")
                        }
                        _ => {
                            let body = format!("Progress {k} made");
                            let text = format!("update {project} {body}");
                            let w = Write::Update { body };
                            let user = setup_pitcher(project);
                            (w, user, "C0ANY".into(), text, "is recorded")
                        }
                    };
                    match bot.slash(&user, &channel, &text).await {
                        Ok(a) if a.status == 200 && a.text().contains(ok) => {
                            acked.push(Acked {
                                write,
                                at: Instant::now(),
                            });
                            load.acked.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(a) => panic!("{text}: unexpected answer {} {}", a.status, a.body),
                        Err(_) => break,
                    }
                }
                acked
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

/// The posts the fake Slack accepted, each named by where it went and what it said.
pub fn posts(calls: &[Call]) -> Vec<(String, Instant)> {
    calls
        .iter()
        .filter(|c| c.method == "chat.postMessage" || c.method == "chat.postEphemeral")
        .filter(|c| c.error().is_none())
        .map(|c| {
            let b = &c.body;
            let key = format!(
                "{} {} {} {}: {}",
                c.method,
                b["channel"],
                b["thread_ts"],
                b["user"],
                message_text(b)
            );
            (key, c.at)
        })
        .collect()
}

/// Posts made more than once: (what, when the first copy was answered).
pub fn posted_twice(calls: &[Call]) -> Vec<(String, Instant)> {
    let mut first: HashMap<String, Instant> = HashMap::new();
    let mut twice = Vec::new();
    for (key, at) in posts(calls) {
        match first.get(&key) {
            Some(earlier) => twice.push((key, *earlier)),
            None => {
                first.insert(key, at);
            }
        }
    }
    twice
}

/// The variables of a faked clock (`faketime`, an `LD_PRELOAD` library), when the tests run
/// under one, so that a process a test starts with a cleared environment runs on the same
/// faked day as the test: dates a test reads from the bot's output are then checked on the
/// day faked, not only the real one. Nothing when the tests run on the real clock; and of
/// `LD_PRELOAD` only libfaketime, so that nothing else preloaded (a sanitiser's runtime)
/// reaches the bot and adds to the output tests read.
pub fn faked_clock() -> Vec<(&'static str, String)> {
    let Some(faked) = std::env::var("FAKETIME").ok() else {
        return Vec::new();
    };
    let faketime: Vec<String> = std::env::var("LD_PRELOAD")
        .unwrap_or_default()
        .split([' ', ':'])
        .filter(|lib| lib.contains("libfaketime"))
        .map(str::to_string)
        .collect();
    let mut vars = vec![("FAKETIME", faked), ("LD_PRELOAD", faketime.join(":"))];
    if let Ok(monotonic) = std::env::var("FAKETIME_DONT_FAKE_MONOTONIC") {
        vars.push(("FAKETIME_DONT_FAKE_MONOTONIC", monotonic));
    }
    vars
}
