//! makers-bot: a Slack bot that coordinates Makers Project Teams across UK councils.
//!
//! Dependencies point one way. At the edge, `slack` (HTTP in, signatures, wire formats,
//! rendering, and `slack::delivery`, the worker that posts the outbox) and `scheduler` call
//! `handlers` (what a command, event or post's outcome does), which queue posts through
//! `outbox` and read and write through `store` (SQLite). `commands` parses the `/makers`
//! grammar; `message` is what the bot says; `domain` (validated types) is at the bottom and
//! imports nothing of the crate. `web`, also at the edge, serves the public catalogue on the
//! same listener.

pub mod app;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db_lock;
pub mod domain;
pub mod handlers;
pub mod maintenance;
pub mod message;
pub mod metrics;
pub mod operator;
pub mod outbox;
pub mod scheduler;
pub mod slack;
pub mod store;
pub mod telemetry;
pub mod web;
