//! The edge: the only place that knows HTTP, Slack JSON or Slack headers.

pub mod client;
pub mod delivery;
mod forms;
mod home;
mod interactions;
pub mod payload;
mod post_update;
#[cfg(test)]
mod properties;
pub mod render;
pub mod reply_cache;
pub mod routes;
pub mod server;
pub mod verify;
