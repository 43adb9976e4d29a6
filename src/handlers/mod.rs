//! What each command and event does, in terms of the store. Handlers are synchronous, take a
//! connection (inside a transaction when they write) and return a [`Reply`]; they never touch
//! HTTP. Messages the bot must post are queued in the outbox in the same transaction.

mod browse;
mod digest;
mod events;
mod nudge;
mod pitch;
mod progress;
mod team;

use std::sync::Arc;

use rusqlite::Connection;

use crate::commands::{Command, ParseError};
use crate::domain::{ChannelId, Reply, TeamId, UserId};

pub use digest::{digests_now, dry_run_digest, send_due_digests};
pub use events::{Envelope, Event, EventOutcome, handle_event};
pub use nudge::send_due_nudges;
pub use progress::UpdateSource;
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
    pub rules: Arc<Rules>,
}

/// The workspace's rules, from configuration.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The reaction name that joins a team (`MAKERS_JOIN_EMOJI`).
    pub join_emoji: String,
    /// A project with no update for this long gets a nudge (seconds).
    pub nudge_after: i64,
    /// ... and after this long it is shown as quiet (seconds).
    pub quiet_after: i64,
    /// `MAKERS_TZ`: digests are scheduled, and dates shown, in it.
    pub tz: chrono_tz::Tz,
}

impl Rules {
    /// The instant before which a project's last activity makes it quiet.
    pub fn quiet_since(&self, now: i64) -> i64 {
        now - self.quiet_after
    }
}

/// Runs one command. A mistake of the user's becomes [`Reply::Problem`]; an `Err` is internal.
pub fn run_command(conn: &Connection, ctx: &Ctx, command: Command) -> anyhow::Result<Reply> {
    match command {
        Command::Help { unknown } => Ok(Reply::Help { unknown }),
        Command::Pitch { title, description } => pitch::pitch(conn, ctx, title, description),
        Command::List(filter) => browse::list(conn, ctx, filter),
        Command::Show(number) => browse::show(conn, ctx, number),
        Command::Join(number) => team::by_command(conn, ctx, number, true),
        Command::Leave(number) => team::by_command(conn, ctx, number, false),
        Command::Council(name) => team::council(conn, ctx, name),
        Command::Digest(d) => digest::command(conn, ctx, d),
        Command::Update { project, text } => {
            progress::update(conn, ctx, (project, text), UpdateSource::Command)
        }
        Command::Phase {
            project,
            phase,
            note,
        } => progress::phase(conn, ctx, project, phase, note),
    }
}

/// The reply to a text that did not parse.
pub fn parse_problem(e: &ParseError) -> Reply {
    Reply::Problem {
        text: e.to_string(),
    }
}
