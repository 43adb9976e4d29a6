//! The edge: the only place that knows HTTP, Slack JSON or Slack headers.

pub mod answer;
pub mod client;
pub mod delivery;
mod dispatch;
mod forms;
mod home;
mod in_slack;
mod interactions;
mod message_ref;
pub mod oauth;
mod observe;
pub mod payload;
mod post_update;
#[cfg(test)]
mod properties;
pub mod proxy;
pub(crate) mod refusal_log;
mod removal;
pub mod render;
pub mod reply_cache;
pub mod routes;
pub mod server;
pub mod socket;
pub mod tokens;
pub mod verify;

pub use home::HomePublisher;
pub use observe::observed;

/// A file of `tests/fixtures/` (Slack's own samples; see SOURCES.md there), for unit tests.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
