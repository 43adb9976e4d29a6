//! Socket Mode: the bot opens a WebSocket to the fake's Socket Mode server (which
//! `apps.connections.open` points at) and takes Slack's traffic there. `envelopes`: each
//! kind, handled by the same dispatch as HTTP and acked; `connection`: hello, health,
//! refresh, drops, refusals and configuration.

mod connection;
mod envelopes;
mod workspaces;
