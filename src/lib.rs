//! makers-bot: a Slack bot that coordinates Makers Project Teams across UK councils.
//!
//! Dependencies point one way: `slack` (HTTP, Slack wire formats) -> `handlers` (what a
//! command does) -> `store` (SQLite) -> `domain` (validated types); `commands` is the pure
//! parser of the `/makers` grammar.

pub mod app;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod delivery;
pub mod digest;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod maintenance;
pub mod scheduler;
pub mod slack;
pub mod store;
pub mod telemetry;
