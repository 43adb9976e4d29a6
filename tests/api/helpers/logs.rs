//! The bot's log lines, as an operator reads them, captured in memory for tests that check
//! what is logged (a flood, a line naming its workspace). One subscriber for the whole test
//! binary, set by the first test that asks: tests run side by side, so each picks out its
//! own lines by something only it uses (a workspace id of its own).

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::EnvFilter;

/// Every line logged since the first [`capture_logs`], by every test.
static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Captured;

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LINES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts capturing the bot's lines (INFO and above), if not already: call it before the
/// bot does what is to be logged.
pub fn capture_logs() {
    static SET: OnceLock<()> = OnceLock::new();
    SET.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("makers_bot=info"))
            .with_ansi(false)
            .with_writer(|| Captured)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the tests");
    });
}

/// The captured lines that contain every one of `parts`.
pub fn logged_with(parts: &[&str]) -> Vec<String> {
    let all = LINES.lock().unwrap_or_else(|p| p.into_inner());
    String::from_utf8_lossy(&all)
        .lines()
        .filter(|l| parts.iter().all(|p| l.contains(p)))
        .map(str::to_string)
        .collect()
}
