//! Events API callbacks, each applied once: the event id is recorded in the same transaction
//! as the effect, so a delivery Slack retries finds it and changes nothing.

use std::sync::Arc;

use anyhow::Context;
use rusqlite::Connection;

use super::progress::{self, UpdateSource};
use super::team::{Move, join, leave};
use super::{Ctx, Rules, parse_problem, run_command};
use crate::commands::{self, Command};
use crate::domain::{ChannelId, MessageTs, Notice, TeamId, UpdateText, UserId};
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
    /// Someone (not the bot) added or removed a reaction on a message.
    Reaction {
        user: UserId,
        /// The emoji name, e.g. `raised_hand` or `raised_hand::skin-tone-3`.
        reaction: String,
        channel: ChannelId,
        message_ts: MessageTs,
        /// When it happened, per Slack; orders it against other membership changes.
        event_ts: MessageTs,
        added: bool,
    },
}

impl Event {
    /// Whether the event can change anything at all; checked before touching the store, so
    /// the many reactions that are not the join emoji cost nothing.
    pub fn concerns_us(&self, rules: &Rules) -> bool {
        match self {
            Event::Reaction { reaction, .. } => is_join_emoji(reaction, &rules.join_emoji),
            Event::Mention { .. } | Event::BotJoinedChannel { .. } => true,
        }
    }
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
    pub rules: Arc<Rules>,
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
                now_us: now.saturating_mul(1_000_000),
                rules: env.rules.clone(),
            };
            if let Some(reply) = thread_update(conn, &ctx, thread_ts.as_ref(), &text)? {
                // The mention itself is the thread post; the author is answered privately.
                let notice = Notice::Private {
                    user: ctx.user.clone(),
                    reply,
                };
                store::enqueue(conn, team, &channel, None, &notice, now)
                    .context("cannot queue update confirmation")?;
                return Ok(EventOutcome::Applied);
            }
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
        Event::Reaction {
            user,
            reaction,
            channel,
            message_ts,
            event_ts,
            added,
        } => {
            if !is_join_emoji(&reaction, &env.rules.join_emoji) {
                return Ok(EventOutcome::Applied);
            }
            let Some((project_id, project)) =
                store::project_by_announcement(conn, team, &channel, &message_ts)?
            else {
                return Ok(EventOutcome::Applied); // not a pitch announcement
            };
            if store::is_bot(conn, team, &user)? == Some(true) {
                return Ok(EventOutcome::Applied);
            }
            let m = Move {
                team,
                user: &user,
                project_id,
                project: &project,
                at_us: event_ts
                    .as_micros()
                    .unwrap_or(now.saturating_mul(1_000_000)),
                now,
            };
            // The reactor sees their own reaction; no private reply is needed.
            let _ = if added {
                join(conn, &m)?
            } else {
                leave(conn, &m)?
            };
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

/// Free text mentioning the bot inside a pitch's thread is an update on that project. A
/// well-formed command (`@makers show 3`, `@makers join 3`) is still a command, but a
/// sentence that only starts like one ("pitch deck is uploaded", "join us Thursday") is an
/// update: nobody pitches a new project from inside another's thread. `None` when the text
/// is not an update.
fn thread_update(
    conn: &Connection,
    ctx: &Ctx,
    thread_ts: Option<&MessageTs>,
    text: &str,
) -> anyhow::Result<Option<crate::domain::Reply>> {
    let Some(thread) = thread_ts else {
        return Ok(None);
    };
    match commands::parse_mention(text) {
        Ok(Command::Help { unknown: Some(_) } | Command::Pitch { .. }) | Err(_) => {}
        Ok(_) => return Ok(None),
    }
    let Some((_, project)) = store::project_by_announcement(conn, &ctx.team, &ctx.channel, thread)?
    else {
        return Ok(None);
    };
    let body = commands::strip_leading_mentions(text);
    Ok(Some(match UpdateText::parse(body) {
        Ok(update) => progress::update(
            conn,
            ctx,
            (project.number, update),
            UpdateSource::ThreadMention,
        )?,
        Err(e) => crate::domain::Reply::Problem {
            text: e.to_string(),
        },
    }))
}

/// The join emoji, with or without a skin tone (`raised_hand::skin-tone-3`).
pub fn is_join_emoji(reaction: &str, join_emoji: &str) -> bool {
    match reaction.strip_prefix(join_emoji) {
        Some("") => true,
        Some(rest) => rest.starts_with("::skin-tone-"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_join_emoji;

    #[test]
    fn skin_tones_count_as_the_join_emoji() {
        assert!(is_join_emoji("raised_hand", "raised_hand"));
        assert!(is_join_emoji("raised_hand::skin-tone-3", "raised_hand"));
        assert!(!is_join_emoji("raised_hands", "raised_hand"));
        assert!(!is_join_emoji("hand", "raised_hand"));
        assert!(!is_join_emoji("thumbsup", "raised_hand"));
    }
}
