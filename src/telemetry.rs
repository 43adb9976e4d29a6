//! Logging: one line per event on stderr, level from `RUST_LOG` (default `info`), as text or,
//! with `MAKERS_LOG_FORMAT=json`, one JSON object a line for log shippers. A request's lines
//! carry its `request` span (`id`, `route`). Secrets never reach it: they live in
//! `config::Secret`, which prints as `***`.

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
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,rustls=warn,slack_morphism=warn"));
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
}
