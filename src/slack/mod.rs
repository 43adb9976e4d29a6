//! The edge: the only place that knows HTTP, Slack JSON or Slack headers.

pub mod answer;
pub mod client;
pub mod delivery;
mod dispatch;
mod forms;
mod home;
mod interactions;
pub mod oauth;
mod observe;
pub mod payload;
mod post_update;
#[cfg(test)]
mod properties;
mod removal;
pub mod render;
pub mod reply_cache;
pub mod routes;
pub mod server;
pub mod socket;
pub mod tokens;
pub mod verify;
