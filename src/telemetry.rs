//! Logging: one line per event on stderr, level from `RUST_LOG` (default `info`, with hyper, rustls and slack-morphism at `warn`), as text or,
//! with `MAKERS_LOG_FORMAT=json`, one JSON object a line for log shippers. A request's lines
//! carry its `request` span (`id`, `route`). Secrets never reach it: they live in
//! `config::Secret`, which prints as `***`.

use std::any::Any;
use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How log lines are written (`MAKERS_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(()),
        }
    }
}

pub fn init(format: LogFormat) {
    // A blank RUST_LOG is unset, as every blank setting is (a compose file's `RUST_LOG=`):
    // read as a filter it has no directives, which turns every line off, an exit's reason too.
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new("info,hyper=warn,rustls=warn,slack_morphism=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        // The span a line was written in (the request's id and route) goes with it.
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    log_panics();
}

/// Says why the bot stops (`makers-bot: …`) as the log writes its lines, so a log shipper
/// reading JSON gets this one too, the most important; in plain text where JSON is not asked
/// for or the log would not print it (`RUST_LOG=off`).
pub fn say_why_stopped(format: LogFormat, line: &str) {
    match format {
        LogFormat::Json if tracing::enabled!(tracing::Level::ERROR) => tracing::error!("{line}"),
        _ => eprintln!("{line}"),
    }
}

/// Rust prints a panic's message as plain text on stderr, outside any span. Instead it goes
/// through the log: one JSON line under `MAKERS_LOG_FORMAT=json`, and, for a panic on a
/// request's own task, carrying that request's id (the hook runs on the panicking thread,
/// inside the request's span; a panic on the database's threads has no request's span).
/// With `RUST_BACKTRACE` set the line carries the backtrace; with error lines filtered out
/// (`RUST_LOG`), Rust's own message is printed as before, so no panic goes unsaid.
fn log_panics() {
    let rusts = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !tracing::enabled!(tracing::Level::ERROR) {
            return rusts(info);
        }
        let place = info.location().map_or_else(
            || "unknown".to_string(),
            |at| format!("{}:{}", at.file(), at.line()),
        );
        let backtrace = std::backtrace::Backtrace::capture();
        let captured = backtrace.status() == std::backtrace::BacktraceStatus::Captured;
        // A field that is `None` is left out of the line.
        let backtrace = captured.then_some(tracing::field::display(backtrace));
        let panic = panic_text(info.payload());
        tracing::error!(panic, place, backtrace, "panicked");
    }));
}

/// A panic's message, when it is text (as `panic!` and `unwrap` make it).
fn panic_text(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not text)")
}

/// What the test `name` (its whole path) writes to standard error, run alone in a child
/// process of this test binary with `marker` set, and `RUST_LOG` as given (unset: the
/// default level): a panic hook is global to a process, so a test of one panics there.
#[cfg(test)]
pub(crate) fn stderr_of_child_test(name: &str, marker: &str, rust_log: Option<&str>) -> String {
    let me = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(me);
    child
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(marker, "1");
    match rust_log {
        Some(level) => child.env("RUST_LOG", level),
        None => child.env_remove("RUST_LOG"),
    };
    let out = child.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child process `a_panic_is_one_json_line_in_its_requests_span` starts.
    const CHILD: &str = "MAKERS_TELEMETRY_PANIC_CHILD";

    /// The hook is global to a process, so the panic happens in a child: this test binary,
    /// run again for this test alone.
    #[test]
    fn a_panic_is_one_json_line_in_its_requests_span() {
        if std::env::var_os(CHILD).is_some() {
            init(LogFormat::Json);
            let span = tracing::info_span!("request", id = 4242u64, route = "/slack/events");
            let _in = span.enter();
            let _ = std::panic::catch_unwind(|| panic!("a handler bug"));
            return;
        }
        let stderr = stderr_of_child_test(
            "telemetry::tests::a_panic_is_one_json_line_in_its_requests_span",
            CHILD,
            None,
        );
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("a handler bug"))
            .collect();
        assert_eq!(lines.len(), 1, "one line names the panic:\n{stderr}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON line");
        assert_eq!(line["level"], "ERROR", "{line}");
        assert_eq!(line["fields"]["panic"], "a handler bug", "{line}");
        assert!(
            line["fields"]["place"]
                .as_str()
                .unwrap()
                .contains("telemetry.rs:"),
            "{line}"
        );
        assert_eq!(line["span"]["id"], 4242, "{line}");
        assert_eq!(line["span"]["route"], "/slack/events", "{line}");
    }
}
