//! The log's lines captured in memory, for unit tests that check what is logged (a line for
//! work rolled back, say). One subscriber for the whole test binary, set by the first test
//! that asks: tests run side by side, so each picks out its lines by what only it uses (a
//! workspace id of its own). Tests only.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

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

/// Starts capturing lines at INFO and above, if not already.
pub fn capture_logs() {
    static SET: OnceLock<()> = OnceLock::new();
    SET.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(|| Captured)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the unit tests");
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
