//! What each command and event does, in terms of the store. Handlers are synchronous, take a
//! connection (inside a transaction when they write) and return a [`Reply`]; they never touch
//! HTTP. Messages the bot must post are queued in the outbox in the same transaction.

mod browse;
mod events;
mod pitch;
mod team;

use rusqlite::Connection;

use crate::commands::{Command, ParseError};
use crate::domain::{ChannelId, Reply, TeamId, UserId};

pub use events::{Envelope, Event, EventOutcome, handle_event};
pub use team::{ButtonAction, ButtonPress, Move, dm, press_button};

/// Who asked, where, and when.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub team: TeamId,
    pub user: UserId,
    pub channel: ChannelId,
    /// Unix seconds.
    pub now: i64,
    /// The same instant in microseconds: orders membership changes against Slack's event_ts.
    pub now_us: i64,
    /// The reaction name that joins a team (`MAKERS_JOIN_EMOJI`).
    pub join_emoji: String,
}

/// Runs one command. A mistake of the user's becomes [`Reply::Problem`]; an `Err` is internal.
pub fn run_command(conn: &Connection, ctx: &Ctx, command: Command) -> anyhow::Result<Reply> {
    match command {
        Command::Help { unknown } => Ok(Reply::Help { unknown }),
        Command::Pitch { title, description } => pitch::pitch(conn, ctx, title, description),
        Command::List => browse::list(conn, ctx),
        Command::Show(number) => browse::show(conn, ctx, number),
        Command::Join(number) => team::by_command(conn, ctx, number, true),
        Command::Leave(number) => team::by_command(conn, ctx, number, false),
        Command::Council(name) => team::council(conn, ctx, name),
    }
}

/// The reply to a text that did not parse.
pub fn parse_problem(e: &ParseError) -> Reply {
    Reply::Problem {
        text: e.to_string(),
    }
}
