//! The child processes: the bot under test and the ceiling server. Each is killed when its
//! handle drops, so nothing outlives the bench, on error paths too. Also: picking a free port,
//! waiting until a child answers HTTP, and reading its memory from `/proc/<pid>/status`.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use tokio::time::Instant;

use crate::client;

/// A running child, killed on drop. Its stdout and stderr go to `log`.
pub struct Child {
    name: &'static str,
    inner: std::process::Child,
    log: PathBuf,
}

/// Kernel figures for a process, in KiB.
#[derive(Clone, Copy)]
pub struct Memory {
    pub rss_kib: u64,
    pub hwm_kib: u64,
    /// The part of VmRSS that is the bot's own memory (heap, stacks), not pages of the
    /// database file it maps (RssFile, which the kernel can drop at will).
    pub anon_kib: u64,
}

impl Child {
    fn spawn(name: &'static str, mut cmd: Command, log: PathBuf) -> Result<Child, String> {
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let inner = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name} ({:?}): {e}", cmd.get_program()))?;
        Ok(Child { name, inner, log })
    }

    /// `Some(why)` if the child has exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.inner.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited ({status})", self.name)),
            Ok(None) => None,
            Err(e) => Some(format!("{}: {e}", self.name)),
        }
    }

    /// Everything the child wrote to stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// VmRSS (now), VmHWM (peak so far) and RssAnon (now).
    pub fn memory(&self) -> Result<Memory, String> {
        let path = format!("/proc/{}/status", self.inner.id());
        let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let field = |name: &str| -> Result<u64, String> {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("{path}: no {name}"))
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            hwm_kib: field("VmHWM:")?,
            anon_kib: field("RssAnon:")?,
        })
    }

    /// CPU time (user and system, all threads) the child has used so far, in seconds: fields
    /// 14 and 15 of `/proc/<pid>/stat`, in clock ticks of 1/100 s (Linux's USER_HZ).
    pub fn cpu_seconds(&self) -> Result<f64, String> {
        cpu_seconds_of(&format!("/proc/{}/stat", self.inner.id()))
    }

    /// Polls `GET path` until `ready(status)` holds, the child dies, or `timeout` passes.
    pub async fn wait_http(
        &mut self,
        addr: SocketAddr,
        path: &str,
        ready: impl Fn(u16) -> bool,
        timeout: Duration,
    ) -> Result<(), String> {
        let until = Instant::now() + timeout;
        let mut last = String::from("no answer yet");
        while Instant::now() < until {
            if let Some(why) = self.exited() {
                return Err(format!(
                    "{why} before it was ready; its output:\n{}",
                    self.log()
                ));
            }
            match client::get(addr, path).await {
                Ok(status) if ready(status) => return Ok(()),
                Ok(status) => last = format!("GET {path} answered {status}"),
                Err(e) => last = e,
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "{} not ready at {addr} after {timeout:?} ({last}); its output:\n{}",
            self.name,
            self.log()
        ))
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.inner.kill();
        let _ = self.inner.wait();
    }
}

/// A loopback address with a port that was free a moment ago (bound to port 0, then released).
pub fn free_port() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("local_addr: {e}"))
}

/// `makers-bot serve`, configured only through its environment, in `dir` (so no stray `.env`
/// is picked up), with its output in `dir/bot.log`; with `app_token`, Socket Mode on too.
pub fn spawn_bot(
    bot: &Path,
    dir: &Path,
    secret: &str,
    slack_api_url: &str,
    addr: SocketAddr,
    app_token: Option<&str>,
) -> Result<Child, String> {
    let mut cmd = Command::new(bot);
    match app_token {
        Some(token) => cmd.env("SLACK_APP_TOKEN", token),
        None => cmd.env_remove("SLACK_APP_TOKEN"),
    };
    cmd.arg("serve")
        .current_dir(dir)
        .env("SLACK_SIGNING_SECRET", secret)
        .env("SLACK_BOT_TOKEN", "xoxb-bench")
        .env("SLACK_API_URL", slack_api_url)
        .env("MAKERS_DB", dir.join("bench.db"))
        .env("MAKERS_ADDR", addr.to_string())
        .env("RUST_LOG", "warn")
        // Every request comes from the fixture's one person: no per-person limit.
        .env("MAKERS_WRITES_PER_MINUTE", "0")
        .env_remove("MAKERS_JOIN_EMOJI")
        .env_remove("MAKERS_TZ");
    Child::spawn("makers-bot", cmd, dir.join("bot.log"))
}

/// This same executable in `--ceiling-server` mode.
pub fn spawn_ceiling(dir: &Path, addr: SocketAddr, secret: &str) -> Result<Child, String> {
    let me = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut cmd = Command::new(me);
    cmd.arg("--ceiling-server")
        .arg(addr.to_string())
        .arg(secret)
        .arg(dir.join("ceiling.db"))
        .current_dir(dir);
    Child::spawn("ceiling server", cmd, dir.join("ceiling.log"))
}

/// CPU time (user and system, all threads) this process (the load generator and the fake
/// Slack) has used so far, in seconds.
pub fn own_cpu_seconds() -> Result<f64, String> {
    cpu_seconds_of("/proc/self/stat")
}

/// Fields 14 and 15 of the `/proc/<pid>/stat` at `path`, in seconds (clock ticks of 1/100 s,
/// Linux's USER_HZ).
fn cpu_seconds_of(path: &str) -> Result<f64, String> {
    let stat = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| -> Result<u64, String> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("{path}: no field {}", i + 3))
    };
    // Field 3 (state) is at index 0, so utime (14) at 11 and stime (15) at 12.
    Ok((ticks(11)? + ticks(12)?) as f64 / 100.0)
}
