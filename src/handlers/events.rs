//! Events API callbacks, each applied once: the event id is recorded in the same transaction
//! as the effect, so a delivery Slack retries finds it and changes nothing.

use anyhow::Context;
use rusqlite::Connection;

use super::{Ctx, parse_problem, run_command};
use crate::commands;
use crate::domain::{ChannelId, MessageTs, Notice, TeamId, UserId};
use crate::store;

/// An event we act on, already decoded from Slack's wire format.
#[derive(Debug, Clone)]
pub enum Event {
    /// `@makers <text>`: run the text as a command, reply in the message's thread.
    Mention {
        user: UserId,
        channel: ChannelId,
        ts: MessageTs,
        thread_ts: Option<MessageTs>,
        text: String,
    },
    /// The bot itself was added to a channel: deliver what was waiting for that.
    BotJoinedChannel { channel: ChannelId },
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    Applied,
    /// Seen before (Slack retried it); nothing changed.
    Duplicate,
}

/// Where an event came from and when.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub team: TeamId,
    pub event_id: String,
    /// Unix seconds.
    pub now: i64,
    pub join_emoji: String,
}

/// Applies `event` once. Call inside a write transaction.
pub fn handle_event(
    conn: &Connection,
    env: &Envelope,
    event: Event,
) -> anyhow::Result<EventOutcome> {
    let (team, now) = (&env.team, env.now);
    if !store::record_event(conn, &env.event_id, team, now).context("cannot record event id")? {
        return Ok(EventOutcome::Duplicate);
    }
    match event {
        Event::Mention {
            user,
            channel,
            ts,
            thread_ts,
            text,
        } => {
            let ctx = Ctx {
                team: team.clone(),
                user,
                channel: channel.clone(),
                now,
                join_emoji: env.join_emoji.clone(),
            };
            let reply = match commands::parse_mention(&text) {
                Ok(command) => run_command(conn, &ctx, command)?,
                Err(e) => parse_problem(&e),
            };
            let thread = thread_ts.unwrap_or(ts);
            store::enqueue(
                conn,
                team,
                &channel,
                Some(&thread),
                &Notice::Reply { reply },
                now,
            )
            .context("cannot queue mention reply")?;
        }
        Event::BotJoinedChannel { channel } => {
            let n = store::requeue_waiting_for_channel(conn, team, &channel, now)?;
            if n > 0 {
                tracing::info!(%channel, messages = n, "bot invited: retrying waiting posts");
            }
        }
    }
    Ok(EventOutcome::Applied)
}
