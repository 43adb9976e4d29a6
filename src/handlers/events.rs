//! Events API callbacks, each applied once: the event id is recorded in the same transaction
//! as the effect, so a delivery Slack retries finds it and changes nothing.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::progress::{self, NewUpdate, UpdateSource};
use super::team::{self, Found};
use super::{Ctx, problem, tell_privately, with_similar_or_as_is};
use crate::commands::{self, Command, InThread};
use crate::domain::{
    ChannelId, CouncilName, ListFilter, MessageTs, Phase, Rules, TeamId, UpdateText, UserError,
    UserId,
};
use crate::message::Reply;
use crate::outbox::To;
use crate::store;

/// A pitch by mention is answered in a thread everyone can read; what is for the pitcher
/// alone (as with the slash command) goes privately: the projects that look like it, here or
/// in the catalogue, and, pitched with no council, how to give it a lead council.
fn pitchers_own_told_privately(
    conn: &Connection,
    ctx: &Ctx,
    thread: Option<&MessageTs>,
    reply: Reply,
) -> anyhow::Result<Reply> {
    let mut reply = with_similar_or_as_is(conn, ctx, reply);
    if let Reply::Pitched {
        similar,
        yours,
        elsewhere,
        unled,
        ..
    } = &reply
        && !(similar.is_empty() && yours.is_empty() && elsewhere.is_empty() && !unled)
    {
        privately(conn, ctx, thread, reply.clone())?;
        if let Reply::Pitched {
            similar,
            yours,
            elsewhere,
            unled,
            ..
        } = &mut reply
        {
            similar.clear();
            yours.clear();
            elsewhere.clear();
            *unled = false;
        }
    }
    Ok(reply)
}

/// An event we act on, already decoded from Slack's wire format: who, where, and what.
#[derive(Debug, Clone)]
pub struct Event {
    pub user: crate::domain::UserId,
    pub channel: crate::domain::ChannelId,
    pub kind: EventKind,
}

#[derive(Debug, Clone)]
pub enum EventKind {
    /// `@makers <text>`: run the text as a command, reply in the message's thread.
    Mention {
        ts: MessageTs,
        thread_ts: Option<MessageTs>,
        text: String,
        /// The bot's user id, if the envelope says it (`authorizations`): the mention that
        /// addresses the bot is told from others by it (see `commands::mention_body`).
        bot: Option<UserId>,
        /// The message was edited: Slack sends `app_mention` again, with a new event id.
        edited: bool,
        /// When, per Slack (`edited.ts`): a retry of an older edit may come after a newer one.
        edit_ts: Option<MessageTs>,
        /// Whom the message mentions, in order, as Slack wrote it: real mentions only (a
        /// typed `<@U…>` comes escaped, `&lt;@U…&gt;`, and would read as one in `text`).
        mentioned: Vec<UserId>,
        /// How many of `mentioned` the message starts with.
        leading: usize,
        /// In a channel shared with another organisation (Slack Connect): whoever reads the
        /// answer there may be from outside the workspace.
        shared: bool,
    },
    /// The bot itself (the event's user) was added to the channel: deliver what was waiting.
    BotJoinedChannel,
    /// Someone (not the bot) added or removed a reaction on a message.
    Reaction {
        /// The emoji name, e.g. `raised_hand` or `raised_hand::skin-tone-3`.
        reaction: String,
        message_ts: MessageTs,
        /// When it happened, per Slack; orders it against other membership changes.
        event_ts: MessageTs,
        added: bool,
    },
}

impl EventKind {
    /// The message the event is about, if it may be a pitch announcement: a reaction's
    /// message, a mention's thread.
    pub fn points_at(&self) -> Option<&MessageTs> {
        match self {
            EventKind::Reaction { message_ts, .. } => Some(message_ts),
            EventKind::Mention { thread_ts, .. } => thread_ts.as_ref(),
            EventKind::BotJoinedChannel => None,
        }
    }
}

impl Event {
    /// Whether the event can change anything at all; checked before touching the store, so
    /// the many reactions that are not the join emoji cost nothing.
    pub fn concerns_us(&self, rules: &Rules) -> bool {
        match &self.kind {
            EventKind::Reaction { reaction, .. } => rules.is_join_emoji(reaction),
            EventKind::Mention { .. } | EventKind::BotJoinedChannel => true,
        }
    }
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    Applied,
    /// Applied, and it was `forget me` by mention: the asker's Home is out of date, and so
    /// is theirs in `homes_elsewhere` (`Reply::Forgotten`).
    Forgot {
        homes_elsewhere: Vec<TeamId>,
    },
    /// Seen before (Slack retried it); nothing changed.
    Duplicate,
}

/// A mention's answer worked out before its transaction, on a read connection
/// ([`look_ahead`]): a report, whose working out (a year's: a tenth of a second on 10,000
/// projects) would otherwise keep every other write waiting on the one writer. The
/// transaction answers with it only for the event it was worked out for, read as the same
/// command.
#[derive(Debug, Clone)]
pub struct Looked {
    event_id: String,
    command: Command,
    reply: Reply,
}

/// The command `kind` asks to be worked out ahead ([`Looked`]), if it asks one: a report
/// or a search by mention. Only those: they are the looks slow enough to hold other writes
/// (a search's cost grows with how common its words are, whatever it finds), and they name
/// nobody, so a write their snapshot missed (made while it waited) changes a count or a
/// ranking at most. A quick look (`show`, `list`) is worked out in the transaction, after
/// every write before it: a `forget me` or a join just made is in its answer. No I/O: said
/// of every mention before anything is read.
pub fn asks_ahead(kind: &EventKind) -> Option<Command> {
    let EventKind::Mention {
        text, bot, edited, ..
    } = kind
    else {
        return None;
    };
    // An edit is most often of a message already answered: the transaction tells.
    if *edited {
        return None;
    }
    commands::parse_mention(text, bot.as_ref().map(UserId::as_str))
        .ok()
        .filter(|command| matches!(command, Command::Report { .. } | Command::Search(_)))
}

/// The answer to `kind`, if it asks a report or a search ([`asks_ahead`]) not yet answered (neither
/// `event_id` nor its message seen), outside a pitch's thread, that the asker's allowance
/// has room for, worked out on `conn` (a read connection). The allowance spent here is not
/// spent again by the transaction, which runs with a copy of `ctx` (`Ctx::spent`).
pub fn look_ahead(
    conn: &Connection,
    ctx: &Ctx,
    event_id: &str,
    kind: &EventKind,
) -> anyhow::Result<Option<Looked>> {
    let Some(command) = asks_ahead(kind) else {
        return Ok(None);
    };
    let EventKind::Mention {
        ts,
        thread_ts,
        shared,
        ..
    } = kind
    else {
        return Ok(None);
    };
    if store::seen_event(conn, event_id)? || store::seen_event(conn, &message_key(ctx, ts))? {
        return Ok(None);
    }
    // In a pitch's thread what is said may be an update: the transaction reads it.
    if let Some(thread) = thread_ts
        && store::head_by_announcement(conn, &ctx.team, &ctx.channel, thread, &ctx.user)?.is_some()
    {
        return Ok(None);
    }
    if super::spend_on_mention(ctx, &command).is_err() {
        return Ok(None); // refused by the transaction, which tells
    }
    let ctx = &Ctx {
        shared_channel: *shared,
        ..ctx.clone()
    };
    let reply = super::apply_command(conn, &asked(ctx, false, &command), command.clone())?;
    Ok(Some(Looked {
        event_id: event_id.to_string(),
        command,
        reply,
    }))
}

/// How a mention's `command` is worked out: outside a pitch's thread the answer may be
/// posted for the channel, and is then worked out for the channel, not for the asker.
fn asked(ctx: &Ctx, in_pitch_thread: bool, command: &Command) -> Ctx {
    Ctx {
        in_public: !in_pitch_thread && !answered_privately(command) && !ctx.channel.is_dm(),
        ..ctx.clone()
    }
}

/// A private channel shared with another organisation got a new id (`channel_id_changed`):
/// what the bot keeps of the old one follows it (see [`store::channel_moved`]), and, as when
/// the bot is invited, posts parked there and a digest stopped there go again: refused at the
/// old id (`channel_not_found`) before this change was delivered, they were taken for a
/// channel the bot had lost, which it has not. At `at`, under `rules`. Idempotent, so not
/// recorded by event id: delivered again, nothing changes. Whether anything did (the outbox
/// worker then looks again at what is owed there).
pub fn channel_id_changed(
    conn: &Connection,
    old: &ChannelId,
    new: &ChannelId,
    at: DateTime<Utc>,
    rules: &Arc<Rules>,
) -> anyhow::Result<bool> {
    let changed = store::channel_moved(conn, old, new, at.timestamp())?;
    if changed == 0 {
        return Ok(false);
    }
    let (from, to) = (old.clone(), new.clone());
    store::log_once_committed(
        move || tracing::info!(old = %from, new = %to, rows = changed, "a channel's id changed; what is kept of it follows"),
    );
    for team in store::workspaces_posting_in(conn, new)? {
        // Nobody asked: the context names no one (requeueing posts and starting a digest
        // again read no asker; whoever turned the digest on stays).
        let ctx = Ctx::new(team, UserId::forgotten(), new.clone(), at, rules.clone());
        // First: a digest owed so is not started again as by an invitation.
        digest_at_new_id(conn, &ctx)?;
        bot_joined(conn, &ctx)?;
        nudge_at_new_id(conn, &ctx)?;
        // The notes, to a lead or a digest's subscriber, that either was refused as to a
        // channel gone: untrue now, not sent.
        store::drop_channel_gone_notes(conn, &ctx.team, &ctx.channel)?;
    }
    Ok(true)
}

/// A digest refused at a channel's old id (`channel_not_found`) before its change of id was
/// recorded stopped the subscription, as for a channel the bot lost, which it has not: it
/// runs on, the refused digest owed and posted at the new id at the scheduler's next tick
/// (started again as by an invitation, its week counted as sent, and the channel went
/// without), and a note still to be sent to its subscriber that the bot was taken out of the
/// channel is not sent. A note already sent stays sent.
fn digest_at_new_id(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    if store::digest_refused_at_old_id(conn, &ctx.team, &ctx.channel)? {
        let channel = ctx.channel.clone();
        store::log_once_committed(
            move || tracing::info!(%channel, "a digest refused at the channel's old id is owed at its new one"),
        );
    }
    Ok(())
}

/// Nudges refused at a channel's old id (`channel_not_found`) before its change of id was
/// recorded are not kept, as for a channel the bot lost (`delivered::not_kept`), which it
/// has not: those of the project's quiet spell now, with no nudge delivered since its news
/// (see `store::nudges_refused_at_old_id`), are owed again, posted at the new id at the
/// scheduler's next look in working hours, and a note still to be sent to its lead that the bot was taken out of the
/// channel is not sent. A note already sent stays sent.
fn nudge_at_new_id(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    for number in store::nudges_refused_at_old_id(conn, &ctx.team, &ctx.channel)? {
        store::nudge_again(conn, &ctx.team, number)?;
    }
    Ok(())
}

/// Applies `kind` once; `ctx` holds the event's who, where and when (of receipt); `looked`,
/// a mention's answer worked out ahead (`look_ahead`). Call inside a write transaction.
pub fn handle_event(
    conn: &Connection,
    ctx: &Ctx,
    event_id: &str,
    kind: EventKind,
    looked: Option<&Looked>,
) -> anyhow::Result<EventOutcome> {
    if !store::record_event(conn, event_id, &ctx.team, ctx.now())
        .context("cannot record event id")?
    {
        return Ok(EventOutcome::Duplicate);
    }
    let looked = looked.filter(|looked| looked.event_id == event_id);
    match kind {
        EventKind::Mention {
            ts,
            thread_ts,
            text,
            bot,
            edited,
            edit_ts,
            mentioned: _,
            leading: _,
            shared,
        } => {
            // Answered for a channel people from another organisation are in: what it shows
            // is what is already theirs to see (see `Ctx::shared_channel`).
            let ctx = &Ctx {
                shared_channel: shared,
                ..ctx.clone()
            };
            // A message is acted on once, however often it is edited or delivered (an edit
            // may come before a retry of the original); an edit that mentions the bot for the
            // first time is acted on then. An edit of a message older than the messages kept
            // was acted on when it was sent.
            let first = store::record_event(conn, &message_key(ctx, &ts), &ctx.team, ctx.now())
                .context("cannot record the mentioning message")?;
            let forgotten = ts
                .as_micros()
                .is_some_and(|us| ctx.now() - us / 1_000_000 >= store::EVENT_IDS_KEPT_SECS);
            let said = Said {
                ts,
                thread_ts,
                edit_ts,
                text: &text,
                bot: bot.as_ref(),
            };
            if !first || (edited && forgotten) {
                // One recorded in time was acted on; one older than those kept may have been or
                // not (recorded since by an earlier edit of it, it still may not have been).
                // One that made its author's update is theirs to edit (`correct` says so).
                // An own update is found by its ts however old (`line_ts` is kept), so it is
                // tried first: `correct` tells its author to edit it whenever it was sent.
                let answer = match edited {
                    false => None,
                    true => match edited_own(conn, ctx, &said)? {
                        OwnEdit::NotOne if forgotten => {
                            super::spent_answer(ctx, problem(UserError::EditedOldMessage))
                        }
                        OwnEdit::NotOne => {
                            super::spent_answer(ctx, problem(UserError::EditedMention))
                        }
                        OwnEdit::Quiet => None,
                        OwnEdit::Answer(reply) => Some(reply),
                    },
                };
                if let Some(answer) = answer {
                    privately(conn, ctx, said.thread_ts.as_ref(), answer)
                        .context("cannot queue the answer to an edit")?;
                }
                return Ok(EventOutcome::Applied);
            }
            if let Some(homes_elsewhere) = mention(conn, ctx, said, looked)? {
                return Ok(EventOutcome::Forgot { homes_elsewhere });
            }
        }
        EventKind::Reaction {
            reaction,
            message_ts,
            event_ts,
            added,
        } if ctx.rules.is_join_emoji(&reaction) => react(
            conn,
            ctx,
            &message_ts,
            micros(&event_ts, ctx.at),
            added,
            false,
        )?,
        EventKind::Reaction { .. } => {}
        EventKind::BotJoinedChannel => {
            bot_joined(conn, ctx)?;
            reactions_missed(conn, ctx)?;
        }
    }
    Ok(EventOutcome::Applied)
}

/// Whether a mention's answer to `command` is always its asker's alone (every reply it can
/// give is one `Reply::is_for_the_asker_alone` names, or a problem), so it is worked out for
/// them: a team member's `@makers list mine` or `show` anywhere shows their private
/// channel's project, as by `/makers`. Any command not named here is taken as answered for
/// the channel, the side that shows nobody too much.
fn answered_privately(command: &Command) -> bool {
    matches!(
        command,
        Command::Show(_)
            | Command::Listed { .. }
            | Command::List(ListFilter::Mine, _)
            | Command::ListReused(_)
            | Command::Report { .. }
            | Command::Skills(_)
            | Command::Join(_)
            | Command::Leave(_)
            | Command::Update { .. }
            | Command::Correct { .. }
            | Command::Withdraw(_)
            | Command::Edit { .. }
            | Command::LeadCouncil { .. }
            | Command::Handover { .. }
            | Command::Remove { .. }
    )
}

/// A private answer to a mention: in the thread it was written in, if it was written in one
/// (Slack shows an ephemeral in a thread only when the thread is open, as the asker's is);
/// else at the foot of the channel.
fn privately(
    conn: &Connection,
    ctx: &Ctx,
    thread: Option<&MessageTs>,
    reply: Reply,
) -> anyhow::Result<i64> {
    match thread {
        Some(thread) => {
            let to = To::EphemeralInThread(ctx.channel.clone(), thread.clone(), ctx.user.clone());
            super::reply_to(conn, ctx, to, reply)
        }
        None => tell_privately(conn, ctx, reply),
    }
}

/// The key a mentioning message is recorded under, with the event ids: acted on once.
fn message_key(ctx: &Ctx, ts: &MessageTs) -> String {
    format!("mention {} {} {ts}", ctx.team, ctx.channel)
}

/// What a mention said, where.
struct Said<'a> {
    ts: MessageTs,
    thread_ts: Option<MessageTs>,
    /// Slack's `edited.ts`, if it was edited.
    edit_ts: Option<MessageTs>,
    text: &'a str,
    bot: Option<&'a UserId>,
}

/// A mention: in a pitch's thread, free text is an update; otherwise (or for a command) the
/// answer goes in the mention's thread. If its author was forgotten (`forget me`), the other
/// workspaces whose Home of theirs is out of date.
fn mention(
    conn: &Connection,
    ctx: &Ctx,
    said: Said<'_>,
    looked: Option<&Looked>,
) -> anyhow::Result<Option<Vec<TeamId>>> {
    let Said {
        ts,
        thread_ts,
        edit_ts,
        text,
        bot,
    } = said;
    let bot = bot.map(UserId::as_str);
    let mut in_pitch_thread = false;
    let at = (&ts, thread_ts.as_ref());
    let parsed = match thread_update(conn, ctx, at, edit_ts.as_ref(), text, bot)? {
        // The mention itself is the thread post; the author is answered privately.
        ThreadUpdate::Answered(reply) => {
            privately(conn, ctx, thread_ts.as_ref(), reply)
                .context("cannot queue update confirmation")?;
            return Ok(None);
        }
        ThreadUpdate::Refused => return Ok(None),
        ThreadUpdate::Command(command) => {
            in_pitch_thread = true;
            Ok(command)
        }
        ThreadUpdate::NotOne => commands::parse_mention(text, bot),
    };
    let reply = match parsed {
        Ok(command) => match super::spend_on_mention(ctx, &command) {
            // A mention's answer is queued in this transaction, so its look-up is made here
            // too.
            Ok(()) => {
                let reply = match looked {
                    Some(looked) if !in_pitch_thread && looked.command == command => {
                        looked.reply.clone()
                    }
                    _ => {
                        // A search made here would otherwise miss a pitch or update made
                        // earlier in this batch: the index is brought up to date only at
                        // its commit.
                        if matches!(command, Command::Search(_)) {
                            store::sync_search(conn)?;
                        }
                        let asked = asked(ctx, in_pitch_thread, &command);
                        super::apply_command(conn, &asked, command)?
                    }
                };
                pitchers_own_told_privately(conn, ctx, thread_ts.as_ref(), reply)?
            }
            // Said once a minute: each saying is a post in the thread.
            Err(over) if over.tell => *over.reply,
            Err(_) => return Ok(None),
        },
        Err(e) => match super::spent_answer(ctx, problem(e)) {
            Some(answer) => answer,
            None => return Ok(None),
        },
    };
    let forgot = match &reply {
        Reply::Forgotten {
            homes_elsewhere, ..
        } => Some(homes_elsewhere.clone()),
        _ => None,
    };
    // In a pitch's thread every answer is the asker's alone: the thread is the project's
    // record, and a change made there (`@makers phase beta`) has its own line in it, which
    // the answer ("… I've said so in its thread") would only repeat.
    if in_pitch_thread || reply.is_for_the_asker_alone() {
        privately(conn, ctx, thread_ts.as_ref(), reply)
            .context("cannot queue private mention reply")?;
    } else {
        let to = To::Thread(ctx.channel.clone(), thread_ts.unwrap_or(ts));
        super::reply_to(conn, ctx, to, reply).context("cannot queue mention reply")?;
    }
    Ok(forgot)
}

/// How long after it was made a reaction's delivery counts as late (microseconds): a retry
/// of one Slack could not deliver comes a minute or more after it; a first delivery, within a
/// second or two. Nobody reacts, asks to be forgotten and is known again so soon.
const LATE_REACTION_US: i64 = 2_000_000;

/// The join emoji on a pitch announcement joins (or, removed, leaves) its team.
/// `ask_slack`: a reaction read again at an invitation, made who knows when: Slack is asked
/// again whether its reactor is a person, as for a stranger, even one it said was (a
/// deactivation the bot heard of is forgotten after 3 days; Slack's `deleted` is not).
fn react(
    conn: &Connection,
    ctx: &Ctx,
    message_ts: &MessageTs,
    at_us: i64,
    added: bool,
    ask_slack: bool,
) -> anyhow::Result<()> {
    let Some((id, project)) =
        store::head_by_announcement(conn, &ctx.team, &ctx.channel, message_ts, &ctx.user)?
    else {
        return Ok(()); // not a pitch announcement
    };
    let found = Found { id, project };
    // A retired project's team is its history: a reaction neither joins it (its announcement
    // says it is retired and has no buttons) nor, taken off, takes anyone out of it.
    if found.project.phase == Phase::Retired {
        return Ok(());
    }
    if !added {
        // The lead's reaction never made them a member (the pitch did, or the handover): a
        // lead taking theirs off is not leaving the team they lead (which would let anyone
        // in it manage it), and leaves only by saying so. Nor did the pitcher's, once they
        // have handed the lead on, while they are in the team since the pitch (one who left
        // and joined again by reacting leaves by taking it off, as anyone does).
        if found.project.pitcher == ctx.user {
            return Ok(());
        }
        if *found.project.who_pitched() == ctx.user
            && store::member_since_pitch(conn, id, &ctx.user)?
        {
            return Ok(());
        }
        // Pending or made, the join is taken back, with its line if not yet posted, as any
        // leave; nobody needs telling (the reactor sees their reaction gone).
        team::leave(conn, ctx, &found, at_us)?;
        return Ok(());
    }
    // Already in the team (by command, say): the reaction spends none of their changes
    // (over the allowance, they would be told to take it off and add it again, which would
    // take them out), and changes nothing but the membership's clock, so that a removal
    // older than this add, arriving late (a retried delivery), is stale.
    if found.project.asker_is_member {
        store::add_member(conn, id, &ctx.user, at_us, ctx.now())?;
        return Ok(());
    }
    let reactor = store::reactor(conn, &ctx.team, &ctx.user)?;
    if reactor.is_bot == Some(true) {
        return Ok(());
    }
    // Deactivated since they reacted (the reaction's delivery retried after Slack said so):
    // they left every team then, and must not be put back in one.
    if reactor
        .left_slack_at
        .is_some_and(|at| at_us < at.saturating_add(1).saturating_mul(1_000_000))
    {
        return Ok(());
    }
    // Forgotten since they reacted (the delivery retried after their `forget me`), who must
    // not be put back in a team either. Read for anyone the bot does not know (a forget
    // leaves nothing), and for anyone whose reaction comes late, whom it may know again
    // since (a reaction elsewhere after the forget); the ledger is a file, not read for
    // every reaction.
    let late = ctx.at.timestamp_micros().saturating_sub(at_us) > LATE_REACTION_US;
    if (reactor.is_bot.is_none() || late) && store::forgotten_after(conn, &ctx.user, at_us)? {
        return Ok(());
    }
    let known_person = reactor.is_bot == Some(false) && !ask_slack;
    // A join is a thread line and a DM: it spends one of the reactor's changes like any
    // other, so a script toggling the emoji cannot flood the thread.
    // Their reaction stays on the announcement, so they are told it did not join them, and
    // how to join once the pause is over.
    if let Err(over) = super::spend(ctx) {
        let reply = problem(UserError::ReactionNotCounted {
            number: found.project.number,
            wait_secs: over.wait_secs,
        });
        super::refuse(
            conn,
            ctx,
            super::Privately::InChannel,
            super::Refused {
                reply: Box::new(reply),
                ..over
            },
        )?;
        return Ok(());
    }
    // The reactor sees their own reaction; no private reply is needed.
    if known_person {
        team::join(conn, ctx, &found, at_us)?;
    } else {
        // Not a member until Slack says they are a person (the outbox worker asks): another
        // app's bot reacting must never show in a team, even for a moment.
        store::pend_join(conn, id, &ctx.team, &ctx.user, at_us, ctx.now())?;
    }
    Ok(())
}

/// The bot was invited: posts parked for want of that go out now, and a digest stopped when
/// the bot lost the channel starts again at its time.
fn bot_joined(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    let n = store::requeue_waiting_for_channel(conn, &ctx.team, &ctx.channel, ctx.now())?;
    if n > 0 {
        let channel = ctx.channel.clone();
        store::log_once_committed(
            move || tracing::info!(%channel, messages = n, "bot invited: retrying waiting posts"),
        );
    }
    if store::lost_subscription(conn, &ctx.team, &ctx.channel)? {
        super::digest::start_again(conn, ctx)?;
        let channel = ctx.channel.clone();
        store::log_once_committed(
            move || tracing::info!(%channel, "bot invited: the channel's digest starts again"),
        );
    }
    Ok(())
}

/// The bot was invited: reactions made on the channel's open announcements while it was out
/// never reached it (Slack sends them only from channels the bot is in), so the outbox worker
/// reads them from Slack ([`reactions_read_again`]), as of this invitation.
fn reactions_missed(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    let at_us = ctx.at.timestamp_micros();
    let n = store::read_reactions_again(conn, &ctx.team, &ctx.channel, at_us, ctx.now())?;
    if n > 0 {
        let channel = ctx.channel.clone();
        store::log_once_committed(
            move || tracing::info!(%channel, announcements = n, "bot invited: reading join reactions again"),
        );
    }
    Ok(())
}

/// The join reactions Slack shows on an announcement the bot was invited back to, as
/// [`reactions_read_again`] takes them: each reactor's request, its allowance decided once
/// however often the write runs (see `Ctx::spent`).
pub struct ReadAgain {
    read: store::ToRead,
    reactors: Vec<Ctx>,
}

/// The reactors with the join emoji (any skin tone) among `reactions` (each emoji name on
/// `read`'s announcement with who reacted with it), read at `at`. No I/O.
pub fn join_reactors(
    read: store::ToRead,
    reactions: Vec<(String, Vec<UserId>)>,
    at: DateTime<Utc>,
    rules: &Arc<Rules>,
) -> ReadAgain {
    // Two variants (a skin tone and the plain one) are one person's one join.
    let people: std::collections::BTreeSet<UserId> = reactions
        .into_iter()
        .filter(|(name, _)| rules.is_join_emoji(name))
        .flat_map(|(_, users)| users)
        .collect();
    let reactors = people
        .into_iter()
        .map(|user| {
            Ctx::new(
                read.team.clone(),
                user,
                read.channel.clone(),
                at,
                rules.clone(),
            )
        })
        .collect();
    ReadAgain { read, reactors }
}

/// Each reactor of `read` who is new to the team goes as a delivered reaction would
/// ([`react`]: a pending join until Slack says they are a person, the thread's line and the
/// lead's DM), made at the invitation at the latest, so a deactivation recorded after it
/// stands. Nobody is let in who was ever forgotten, or who has any history in the team kept
/// (a membership ended, a leave, a removal, a join settled or dropped), however old: a
/// reaction read again cannot say whether it was made before or after what they did, so
/// only a reactor with nothing to weigh it against counts. Those people can press *Join* or
/// react again. A reaction taken off while the bot was out is not seen, and takes nobody
/// out. Nobody at all on an announcement older than the forget ledger kept beside the
/// database ([`ledger_names_them`]). How many reactors went so.
pub fn reactions_read_again(conn: &Connection, read: &ReadAgain) -> anyhow::Result<usize> {
    let ReadAgain { read, reactors } = read;
    store::reactions_read(conn, read.project_id)?;
    if reactors.is_empty() || !ledger_names_them(conn, read)? {
        return Ok(0);
    }
    let mut went = 0;
    for ctx in reactors {
        // In the team already (their reaction was heard, or they joined otherwise): nothing
        // to change, not even their membership's clock.
        let id = match store::head_by_announcement(
            conn,
            &ctx.team,
            &ctx.channel,
            &read.ts,
            &ctx.user,
        )? {
            Some((id, project)) if !project.asker_is_member => id,
            _ => continue,
        };
        // Left, removed or forgotten, at any time: their old reaction must not undo it. Nor
        // a deactivation noted whenever (`react` weighs it against the invitation, which
        // comes after it: the reaction may well be older).
        if store::has_membership_history(conn, id, &ctx.user)?
            || store::forgotten_after(conn, &ctx.user, 0)?
            || store::has_left_slack(conn, &ctx.user)?
        {
            continue;
        }
        react(conn, ctx, &read.ts, read.invited_us, true, true)?;
        went += 1;
    }
    Ok(went)
}

/// Whether the forget ledger can still name everyone forgotten who may have reacted on
/// `read`'s announcement. A forget leaves nothing of the person in the tables, so only the
/// ledger's line says they asked; the operator may delete its oldest lines, and a machine
/// rebuilt from the replica may have lost the file. A forget on a missing line was asked at
/// or before [`store::LedgerKept::MissingTo`]'s time, and a reaction it undid was older
/// still: on an announcement pitched after that time every reaction is newer than any such
/// forget (the reactor's own, since), and counts. On an older one nobody is let in (logged
/// once, as the reactors see nothing): a false join of someone forgotten is worse than
/// asking the others to press *Join*.
fn ledger_names_them(conn: &Connection, read: &store::ToRead) -> anyhow::Result<bool> {
    let missing_to = match store::ledger_kept(conn)? {
        store::LedgerKept::Whole => return Ok(true),
        store::LedgerKept::MissingTo(at) if read.pitched_at > at => return Ok(true),
        store::LedgerKept::MissingTo(at) => Some(at),
        store::LedgerKept::MissingSinceUnknown => None,
    };
    let project_id = read.project_id;
    store::log_once_committed(move || {
        tracing::warn!(
            project_id,
            ?missing_to,
            "join reactions not read again: the forget ledger's lines from before the project \
             was pitched are deleted or lost, so who asked to be forgotten cannot be told"
        )
    });
    Ok(false)
}

/// Slack's ts for when a reaction happened, in microseconds; our clock if it is unreadable.
fn micros(event_ts: &MessageTs, received: DateTime<Utc>) -> i64 {
    event_ts.as_micros().unwrap_or(received.timestamp_micros())
}

/// What a mention in a thread came to.
enum ThreadUpdate {
    /// Not in a pitch's thread: to be read as a command.
    NotOne,
    /// In a pitch's thread, a command (its number perhaps the thread's project's).
    Command(Command),
    /// An update (or why it is not one), to tell its author.
    Answered(Reply),
    /// An update over its author's allowance, which they were told of this minute already.
    Refused,
}

/// Free text mentioning the bot inside a pitch's thread is an update on that project. A
/// well-formed command (`@makers show 3`, `@makers join 3`, or `@makers leave`, the number
/// the thread's) is still a command, but a sentence that only starts like one ("pitch deck
/// is uploaded", "join us Thursday", "council approved the beta") is an update
/// ([`commands::parse_in_thread`]); `council <name>` is a command only for a recorded
/// council.
fn thread_update(
    conn: &Connection,
    ctx: &Ctx,
    (ts, thread_ts): (&MessageTs, Option<&MessageTs>),
    edit_ts: Option<&MessageTs>,
    text: &str,
    bot: Option<&str>,
) -> anyhow::Result<ThreadUpdate> {
    let Some(thread) = thread_ts else {
        return Ok(ThreadUpdate::NotOne);
    };
    let Some((_, project)) =
        store::head_by_announcement(conn, &ctx.team, &ctx.channel, thread, &ctx.user)?
    else {
        return Ok(ThreadUpdate::NotOne);
    };
    let body = match commands::parse_in_thread(text, bot, project.number) {
        InThread::Command(command) => return Ok(ThreadUpdate::Command(command)),
        InThread::IfCouncil {
            command,
            name,
            text,
        } => {
            if council_meant(conn, &command, &name)? {
                return Ok(ThreadUpdate::Command(command));
            }
            text
        }
        InThread::Update(text) => text,
        InThread::Unparsed => return Ok(ThreadUpdate::NotOne),
        InThread::Mistake(e) => return Ok(mistake_answered(ctx, e)),
        InThread::UpdateOr { text, mistake } => match project.asker_in_team(&ctx.user) {
            true => text,
            false => return Ok(mistake_answered(ctx, mistake)),
        },
    };
    Ok(ThreadUpdate::Answered(match UpdateText::parse(body) {
        // An update like any other: it spends one of the author's changes.
        Ok(_) if let Err(over) = super::spend(ctx) => match over.tell {
            true => *over.reply,
            false => return Ok(ThreadUpdate::Refused),
        },
        Ok(text) => {
            let update = NewUpdate {
                number: project.number,
                text,
                source: UpdateSource::ThreadMention {
                    ts: ts.clone(),
                    edit_ts: edit_ts.cloned(),
                },
            };
            progress::update(conn, ctx, update)?
        }
        Err(e) => return Ok(mistake_answered(ctx, e)),
    }))
}

/// Whether `name`, read in a pitch's thread as `command`'s council, means a council: a
/// recorded one, or (not for a report, whose "report for the board is done" is news) one
/// near a recorded council's name, `council Guildfrod`, which the command offers back
/// privately (it was posted as the team's news).
fn council_meant(conn: &Connection, command: &Command, name: &CouncilName) -> anyhow::Result<bool> {
    if store::council_by_key(conn, name.key())?.is_some() {
        return Ok(true);
    }
    Ok(!matches!(command, Command::Report { .. }) && team::close_council(conn, name)?.is_some())
}

/// What an edit of a mention that was its author's update in a pitch's thread comes to.
enum OwnEdit {
    /// The message made no update of its author's (kept since migration 0061).
    NotOne,
    /// Nothing to say: the record has its words (as corrected, or now), or it was withdrawn.
    Quiet,
    Answer(Reply),
}

/// An edit of `said`, a mention acted on already: if it made its author's update (its words
/// their own message in the thread), the record follows the edit where `correct` would
/// correct it (their latest update; not a withdrawn one), else they are told why not. Not
/// "your edit changed nothing", which `correct` itself asked them to make.
fn edited_own(conn: &Connection, ctx: &Ctx, said: &Said<'_>) -> anyhow::Result<OwnEdit> {
    let Some(thread) = said.thread_ts.as_ref() else {
        return Ok(OwnEdit::NotOne);
    };
    let Some((project_id, project)) =
        store::head_by_announcement(conn, &ctx.team, &ctx.channel, thread, &ctx.user)?
    else {
        return Ok(OwnEdit::NotOne);
    };
    let Some((id, now)) = store::update_by_own_message(conn, project_id, &ctx.user, &said.ts)?
    else {
        return Ok(OwnEdit::NotOne);
    };
    // An edit older than one taken already (Slack retried it late) is what the message no
    // longer says: the record stays with the newer.
    if let Some(at) = &said.edit_ts
        && !store::newer_own_edit(conn, id, at)?
    {
        return Ok(OwnEdit::Quiet);
    }
    let number = project.number;
    let bot = said.bot.map(UserId::as_str);
    let words = match commands::parse_in_thread(said.text, bot, number) {
        InThread::Update(text) | InThread::UpdateOr { text, .. } => UpdateText::parse(text).ok(),
        // A recorded council's name makes it the command it would be sent new (as
        // `thread_update` reads it), which is no update's words.
        InThread::IfCouncil {
            command,
            name,
            text,
        } => match council_meant(conn, &command, &name)? {
            true => None,
            false => UpdateText::parse(text).ok(),
        },
        _ => None,
    };
    let latest = store::latest_update_by(conn, project_id, &ctx.user)?.is_some_and(|l| l.id == id);
    Ok(match (now, words) {
        // Its words are gone from everything: the message is theirs to delete.
        (store::UpdateNow::Withdrawn, _) => OwnEdit::Quiet,
        (store::UpdateNow::Says(body), Some(words)) if body == words.as_str() => OwnEdit::Quiet,
        // As `correct` does it (the message says the new words already), spending as it does.
        (store::UpdateNow::Says(_), Some(words)) if latest => match super::spend(ctx) {
            Ok(()) => match progress::correct(conn, ctx, number, words)? {
                refused @ Reply::Problem { .. } => OwnEdit::Answer(refused),
                _ => OwnEdit::Quiet,
            },
            Err(over) if over.tell => OwnEdit::Answer(*over.reply),
            Err(_) => OwnEdit::Quiet,
        },
        // A post for them like any answer to an edit, so spent as those are (a script
        // editing it in a loop would fill the channel's queue).
        _ => {
            let unchanged = problem(UserError::EditedOwnUpdate { number, latest });
            match super::spent_answer(ctx, unchanged) {
                Some(reply) => OwnEdit::Answer(reply),
                None => OwnEdit::Quiet,
            }
        }
    })
}

/// A mistake in a pitch's thread (news that is not one), answered as spent from its
/// author's allowance as an update is: past it, told once a minute that it was not
/// recorded, as an update would be.
fn mistake_answered(ctx: &Ctx, mistake: impl Into<crate::domain::Problem>) -> ThreadUpdate {
    match super::spend(ctx) {
        Ok(()) => ThreadUpdate::Answered(problem(mistake)),
        Err(over) if over.tell => ThreadUpdate::Answered(*over.reply),
        Err(_) => ThreadUpdate::Refused,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::{ChannelId, Rules};

    fn ctx() -> Ctx {
        Ctx::new(
            TeamId::parse("T1").unwrap(),
            UserId::parse("U1").unwrap(),
            ChannelId::parse("C1").unwrap(),
            DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            Arc::new(Rules::default()),
        )
    }

    fn said(ts: &str, text: &str) -> EventKind {
        EventKind::Mention {
            ts: MessageTs::parse(ts).unwrap(),
            thread_ts: None,
            text: format!("<@UBOT> {text}"),
            bot: UserId::parse("UBOT"),
            edited: false,
            edit_ts: None,
            mentioned: vec![UserId::parse("UBOT").unwrap()],
            leading: 1,
            shared: false,
        }
    }

    /// The answers queued, oldest first, as stored.
    fn queued(store: &store::Store) -> Vec<String> {
        store
            .read(|c| {
                let mut stmt = c.prepare("SELECT notice FROM outbox ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .unwrap()
    }

    /// In a pitch's thread, `report for <name> <period>` is that period's report when the
    /// name is a recorded council's, and news otherwise, even news that ends in words for a
    /// period ("thanks all" reads as `all`): it ran as a report, and the news was lost.
    #[test]
    fn a_report_for_a_recorded_council_in_a_thread_keeps_its_period_and_news_stays_news() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        let ctx = ctx();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (id, team_id, number, title, pitcher, channel_id,
                                           announcement_ts, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', 'U1', 'C1', '1700000000.000100', 0, 0, 0);
                     INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 0);",
                )?;
                let guildford = crate::domain::CouncilName::parse("Guildford Borough Council");
                store::find_or_add_council(tx, &ctx.team, &guildford.unwrap(), 0)?;
                Ok(())
            })
            .unwrap();
        let thread = MessageTs::parse("1700000000.000100").unwrap();
        let said_at = MessageTs::parse("1700000000.000200").unwrap();
        let read = |text: &str| {
            let text = format!("<@UBOT> {text}");
            let at = (&said_at, Some(&thread));
            store
                .write(|tx| thread_update(tx, &ctx, at, None, &text, Some("UBOT")))
                .unwrap()
        };
        let asked = "report for Guildford Borough Council last quarter";
        let ThreadUpdate::Command(command) = read(asked) else {
            panic!("{asked}: not a command");
        };
        let report = commands::parse("report last quarter for Guildford Borough Council");
        assert_eq!(command, report.unwrap());
        let news = "report for the board is done, thanks all";
        assert!(matches!(read(news), ThreadUpdate::Answered(_)), "{news}");
        assert_eq!(
            store::column_of(&store, "SELECT body FROM updates"),
            [news],
            "recorded as an update"
        );
    }

    /// A mistaken mention spends from its asker's allowance as any mention does: each answer
    /// is a post made for them, and a script mentioning the bot wrongly in a loop would fill
    /// the channel's queue. Past it they are told once, then answered nothing.
    #[test]
    fn mistaken_mentions_in_a_loop_are_answered_within_the_allowance() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        let rules = Arc::new(Rules::default());
        let burst = crate::domain::WriteBudget::BURST as usize;
        for i in 0..burst + 50 {
            let ctx = Ctx {
                rules: rules.clone(),
                ..ctx()
            };
            let kind = said(&format!("1700000000.{i:06}"), "show bins");
            store
                .write(|tx| handle_event(tx, &ctx, &format!("Ev{i}"), kind.clone(), None))
                .unwrap();
        }
        let answers = queued(&store);
        assert_eq!(answers.len(), burst + 1, "the allowance, then told once");
        assert!(
            answers[burst].contains("too_many_asks"),
            "{}",
            answers[burst]
        );
    }

    /// Past the asker's allowance, no report is worked out ahead: the transaction refuses it,
    /// with the refusal the look met (kept in the request's allowance), and says so once.
    #[test]
    fn a_report_past_the_allowance_is_not_worked_out_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        let rules = Arc::new(Rules::default());
        let request = || Ctx {
            rules: rules.clone(),
            ..ctx()
        };
        for _ in 0..crate::domain::WriteBudget::BURST {
            assert!(super::super::spend(&request()).is_ok());
        }
        let ctx = request();
        let report = said("1700000000.000100", "report");
        let looked = store.read(|c| look_ahead(c, &ctx, "Ev1", &report)).unwrap();
        assert!(looked.is_none());
        store
            .write(|tx| handle_event(tx, &ctx, "Ev1", report.clone(), looked.as_ref()))
            .unwrap();
        let answers = queued(&store);
        assert_eq!(answers.len(), 1, "{answers:?}");
        assert!(answers[0].contains("too_many_asks"), "{}", answers[0]);
    }

    /// A report asked by mention is worked out ahead, on a read connection, and the
    /// transaction answers with it (here, from before a project was pitched), for its own
    /// event and command only; no other look, nor a change, a retry, an edit or a mention
    /// in a pitch's thread, is worked out ahead.
    #[test]
    fn a_report_by_mention_is_worked_out_ahead_and_answered_with() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        let ctx = ctx();
        let report = said("1700000000.000100", "report");
        let looked = store
            .read(|c| look_ahead(c, &ctx, "Ev1", &report))
            .unwrap()
            .expect("a report is worked out ahead");
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', 'Bin days', 'discovery', 'U2', 'C1',
                             ?1, ?1, ?1)",
                    [ctx.now()],
                )?;
                handle_event(tx, &ctx, "Ev1", report.clone(), Some(&looked))
            })
            .unwrap();
        // The same look handed to another event, or to a message read as another command:
        // worked out in the transaction.
        let again = said("1700000000.000200", "report");
        store
            .write(|tx| handle_event(tx, &ctx, "Ev2", again.clone(), Some(&looked)))
            .unwrap();
        let help = said("1700000000.000300", "help");
        let mut for_help = looked.clone();
        for_help.event_id = "Ev3".into();
        store
            .write(|tx| handle_event(tx, &ctx, "Ev3", help.clone(), Some(&for_help)))
            .unwrap();
        let answers = queued(&store);
        assert_eq!(answers.len(), 3, "{answers:?}");
        assert!(answers[0].contains("\"pitched\":0,"), "{}", answers[0]);
        assert!(answers[1].contains("\"pitched\":1,"), "{}", answers[1]);
        assert!(answers[2].contains("\"kind\":\"help\""), "{}", answers[2]);
        // Not ahead: a retry, the same message again, an edit, another look, a change.
        let read = |id: &str, kind: &EventKind| {
            store
                .read(|c| look_ahead(c, &ctx, id, kind))
                .unwrap()
                .is_some()
        };
        assert!(!read("Ev1", &said("1700000000.000400", "report")));
        assert!(!read("Ev4", &report));
        let mut edited = said("1700000000.000500", "report");
        if let EventKind::Mention { edited, .. } = &mut edited {
            *edited = true;
        }
        assert!(!read("Ev5", &edited));
        assert!(!read("Ev6", &said("1700000000.000600", "list")));
        // A search too: its cost grows with its words, and by mention it held the writer.
        assert!(read("Ev6", &said("1700000000.000600", "search bins")));
        assert!(!read("Ev6", &said("1700000000.000600", "pitch Parking")));
        assert!(read("Ev7", &said("1700000000.000700", "report last month")));
        // In a pitch's thread, where what is said may be an update: the transaction reads it.
        store
            .write(|tx| {
                Ok(tx.execute(
                    "UPDATE projects SET announcement_ts = '1700000000.000800' WHERE id = 1",
                    [],
                )?)
            })
            .unwrap();
        let mut in_thread = said("1700000000.000900", "report");
        if let EventKind::Mention { thread_ts, .. } = &mut in_thread {
            *thread_ts = MessageTs::parse("1700000000.000800");
        }
        assert!(!read("Ev8", &in_thread));
        if let EventKind::Mention { thread_ts, .. } = &mut in_thread {
            *thread_ts = MessageTs::parse("1700000000.000999");
        }
        assert!(read("Ev9", &in_thread), "a thread that is no pitch's");
        // In a channel shared with another organisation, worked out as the transaction
        // would: refused, to be told privately.
        let mut shared = said("1700000000.001000", "report");
        if let EventKind::Mention { shared, .. } = &mut shared {
            *shared = true;
        }
        let looked = store
            .read(|c| look_ahead(c, &ctx, "Ev10", &shared))
            .unwrap()
            .unwrap();
        assert_eq!(looked.reply, problem(UserError::ReportInSharedChannel));
    }
}
