//! What follows a post, once Slack has answered: the delivery worker finds out the
//! [`Outcome`]; this decides, in one exhaustive match, what the bot does about it. Called
//! inside a write transaction, the way routes call `run_command`.

use std::time::Duration;

use rusqlite::Connection;

use crate::domain::{ChannelId, ProjectNumber, UpdateText};
use crate::message::{NEVER_ANNOUNCED, Notice, Reply};
use crate::outbox::{self, Item, Outcome, Post, To};
use crate::store::{self, AnnouncementFate, UpdateNow, WAITING_FOR_CHANNEL};

/// When the attempt was recorded, and how far to hold a retry back (seconds; see
/// `Worker::holding_retries`).
#[derive(Debug, Clone, Copy)]
pub struct Attempted {
    pub now: i64,
    pub retry_hold: i64,
}

/// Records the outcome of one attempt at `item`, and whatever it sets off. Whether it gave
/// up answers to a `forget me` with the workspace's posts, deleting them: the caller
/// empties the log after, as after one is posted.
pub fn record_outcome(
    conn: &Connection,
    item: &Item,
    outcome: Outcome,
    at: Attempted,
) -> anyhow::Result<bool> {
    // A forget may have deleted the row, or taken its person out of it, while it was in
    // flight: what follows the post goes by the row as it is now, and a row gone stays gone
    // (nothing it would set off, a note to the lead naming the joiner, is queued). Only
    // an update's line is also compared with the row as it was sent (`after_delivery`).
    let posted = item;
    let Some(now_stored) = as_stored_now(conn, item)? else {
        if let Outcome::Delivered(_) = outcome {
            posted_though_taken_back(conn, item, at.now)?;
        }
        return Ok(false);
    };
    let item = &now_stored;
    let (id, now) = (item.id, at.now);
    // Sent to a channel's old id, its row moved to the new one meanwhile
    // (`channel_id_changed` recorded while the post was at Slack): Slack refuses the old id
    // as a channel gone, but the bot is in the channel still, and no invitation will come.
    // Tried again at once at the new id, not stopped, parked or failed.
    let moved_meanwhile = posted.channel != item.channel
        && matches!(outcome, Outcome::NotInChannel(_) | Outcome::ChannelArchived);
    let settled = !outcome.tries_again() && !moved_meanwhile;
    if outcome.shows_the_token_works() {
        store::token_works(conn, &item.team)?;
    }
    let mut forget_answers_given_up = false;
    let retry_at = |after: Duration| {
        let after = i64::try_from(after.as_secs()).unwrap_or(i64::MAX);
        now.saturating_add(at.retry_hold).saturating_add(after)
    };
    match outcome {
        _ if moved_meanwhile => {
            store::reschedule(conn, id, retry_at(Duration::ZERO), "channel id changed")?
        }
        Outcome::Delivered(ts) => {
            after_delivery(conn, item, posted, &ts, now)?;
            store::mark_delivered(conn, id, &ts, now)?;
            // The bot can post there again (invited back, its event missed; or a public
            // channel it joined itself for an announcement): what waited for that goes too.
            if waits_for_an_invitation(item) {
                let n = store::requeue_waiting_for_channel(conn, &item.team, &item.channel, now)?;
                if n > 0 {
                    let channel = item.channel.clone();
                    store::log_once_committed(
                        move || tracing::info!(%channel, messages = n, "posted in the channel again: retrying waiting posts"),
                    );
                }
            }
        }
        Outcome::JoinerIsBot => {
            // Bots are not team members: undo the join it was about, quietly.
            if let Notice::Joined {
                project_id, user, ..
            } = &item.notice
            {
                store::drop_member(conn, *project_id, user)?;
            }
            store::mark_failed(conn, id, "joiner is a bot", now)?;
        }
        Outcome::Retry { after, why } => store::reschedule(conn, id, retry_at(after), &why)?,
        Outcome::HttpRefused { after, code } => {
            store::reschedule(conn, id, retry_at(after), &format!("HTTP {code}"))?;
            store::note_http_refused(conn, id)?;
        }
        Outcome::Joined { after, code } => {
            let why = format!("{code}; joined the channel");
            store::reschedule(conn, id, retry_at(after), &why)?;
            store::note_joined(conn, id)?;
        }
        Outcome::RateLimited(after) => {
            store::reschedule(conn, id, retry_at(after), "rate limited")?
        }
        // A run of refusals a week long (see `0022_token_refusals.sql`: its removal's event
        // missed, or the token never put right): the workspace's posts are given up as a
        // removal of the app gives them up, and so is a later one refused in the same run.
        // Until then this post, and the rest behind it, wait.
        Outcome::TokenRefused { code, after } => {
            let since = store::note_token_refused(conn, &item.team, now)?;
            if since <= now - outbox::TOKEN_PATIENCE_SECS {
                let why = format!("{code}; no working token for a week");
                let owed = super::installation::Owed::Digests;
                let given_up =
                    super::installation::give_up_posts(conn, &item.team, &why, owed, now)?;
                forget_answers_given_up = given_up.forget_answers;
                // Joins by reaction waiting for Slack to say who reacted: nobody can ask.
                store::drop_pending_joins(conn, &item.team)?;
            } else {
                store::reschedule(conn, id, retry_at(after), &code)?;
            }
        }
        Outcome::NotInChannel(code) if is_digest(item) => channel_gone(conn, item, &code, now)?,
        // Not parked (not `WAITING_FOR_CHANNEL`, which an invitation requeues): see
        // `not_kept`.
        Outcome::NotInChannel(code) if let Some(why) = not_kept(item) => {
            store::mark_failed(conn, id, &format!("{code}; {why}"), now)?;
            answer_in_dm_instead(conn, item, now)?;
            tell_lead_of_nudge(conn, item, posted, &code, now)?;
        }
        Outcome::NotInChannel(_) => {
            park(conn, item, now)?;
            // Its thread was posted, so the bot was in the channel: taken out since. (A line
            // parked with its announcement was answered so when it was made.) A correction's
            // maker was told it was made, and the announcement still shows what it changed.
            if tell_author_of_update(conn, item, None, now)?
                || tell_corrector_it_waits(conn, item, now)?
            {
                store::set_pitcher_told(conn, item.id)?;
            }
        }
        Outcome::ChannelArchived if is_digest(item) => {
            channel_gone(conn, item, "is_archived", now)?
        }
        Outcome::ChannelArchived => refused(conn, item, posted, "is_archived", now)?,
        Outcome::NotAnnounced { project_id } => {
            // Read again here, in the write: an invitation may have requeued the announcement
            // (or it may have gone out) since the worker looked.
            match store::announcement_fate(conn, &item.team, &item.channel, project_id)? {
                // Its turn comes first: this line is tried again right after it.
                AnnouncementFate::Posted | AnnouncementFate::Owed => {
                    store::reschedule(conn, id, now, "waiting for its announcement")?
                }
                // Parked, the bot not in the channel: this waits with it, and an invitation
                // requeues both, in order.
                AnnouncementFate::Parked => park(conn, item, now)?,
                // There will be no thread; a joiner's lead is told all the same.
                AnnouncementFate::Never => {
                    store::mark_failed(conn, id, "its announcement was never posted", now)?;
                    tell_lead_of_join(conn, item, now)?;
                    tell_author_of_update(conn, item, Some(NEVER_ANNOUNCED), now)?;
                }
            }
        }
        Outcome::NoLongerWanted => {
            store::mark_failed(conn, id, "no longer wanted: news since, or retired", now)?;
            // Its spell was marked nudged when it was queued, and it was not posted: the
            // news since may be withdrawn, leaving that spell as it was, never nudged. The
            // scheduler's next look decides afresh (not due while the news stands).
            if let Notice::Nudge { number, .. } = &item.notice {
                store::nudge_again(conn, &item.team, *number)?;
            }
        }
        Outcome::OutOfHours => {
            store::mark_failed(conn, id, "out of working hours: nudged again in them", now)?;
            if let Notice::Nudge { number, .. } = &item.notice {
                store::nudge_again(conn, &item.team, *number)?;
            }
        }
        Outcome::Failed(why) => refused(conn, item, posted, &why, now)?,
    }
    if settled && answers_a_forget(item) {
        // It is for the person just forgotten, so it names them: once it has gone out (or
        // never will), nothing of it is kept.
        store::delete_post(conn, id)?;
    }
    Ok(forget_answers_given_up)
}

/// A private answer Slack would not show in its channel (a private channel the bot is not
/// in: a button on the similar projects a pitch there was answered with) goes to the
/// person's messages with the bot instead, rather than nowhere: they pressed and would see
/// nothing, and press again.
fn answer_in_dm_instead(conn: &Connection, item: &Item, now: i64) -> anyhow::Result<()> {
    let (Some(user), Notice::Reply { .. }) = (&item.only_for, &item.notice) else {
        return Ok(());
    };
    if user.is_forgotten() {
        return Ok(());
    }
    // Already in their messages, a report needs no button to send it there (a press on a
    // message that is not private is ignored).
    let mut notice = item.notice.clone();
    if let Notice::Reply { reply } = &mut notice {
        reply.without_copy_button();
    }
    let post = Post::new(&item.team, To::Dm(user.clone()), notice);
    outbox::queue(conn, &post, now)?;
    Ok(())
}

/// Parks `item` until the bot is invited to its channel (`member_joined_channel` requeues
/// it). Its pitcher hears now what waits: how to invite the bot, for an announcement; who
/// joined, for a join line, which then tells them nothing more when it is posted (an
/// invitation may never come).
///
/// A join line is parked before the worker asks Slack whether its joiner is a bot (it asks
/// when posting). No bot reaches one today: a bot joins only by reacting to an announcement
/// already posted, and reactions are taken as joins once `users.info` has answered.
fn park(conn: &Connection, item: &Item, now: i64) -> anyhow::Result<()> {
    store::mark_failed(conn, item.id, WAITING_FOR_CHANNEL, now)?;
    // Once: an announcement parked again (brought back by a post that went through in its
    // channel, and refused again) is not told a second time.
    if matches!(item.notice, Notice::Announcement(_)) && !item.pitcher_told {
        tell_pitcher_of_announcement(conn, item, now, |number, channel| Notice::CannotAnnounce {
            number,
            channel,
        })?;
        store::set_pitcher_told(conn, item.id)?;
    }
    if tell_lead_of_join(conn, item, now)? {
        store::set_pitcher_told(conn, item.id)?;
    }
    Ok(())
}

/// Gives `item` up for good, Slack having refused it (`why`). Its pitcher hears what will
/// not be posted: an announcement (no thread will come; the project stands), or who joined.
/// `posted`: the worker's copy, as it was sent.
fn refused(
    conn: &Connection,
    item: &Item,
    posted: &Item,
    why: &str,
    now: i64,
) -> anyhow::Result<()> {
    // An announcement's project is noted as having no thread to come (`mark_failed`).
    store::mark_failed(conn, item.id, why, now)?;
    // A digest refused (posting restricted there, say) is owed: the next one starts where it
    // did, so once Slack takes them again no week's news is lost. Nobody in the channel can
    // be told (the bot cannot post there): whoever turned it on is, privately, and it is
    // logged.
    if let Notice::Digest { digest, .. } = &item.notice {
        let (channel, said) = (item.channel.clone(), why.to_string());
        store::log_once_committed(
            move || tracing::warn!(%channel, why = said, "the digest was refused: the next one starts where it did"),
        );
        store::owe_digest_from(conn, &item.team, &item.channel, digest.from)?;
        tell_subscriber_of_digest(conn, item, why, false, now)?;
    }
    // Not where the bot has no working token: a note to the pitcher could not go either.
    if why == outbox::NOT_INSTALLED {
        return Ok(());
    }
    tell_lead_of_join(conn, item, now)?;
    tell_lead_of_nudge(conn, item, posted, why, now)?;
    tell_author_of_update(conn, item, Some(why), now)?;
    tell_whoever_corrected(conn, item, now, why)?;
    tell_pitcher_of_announcement(conn, item, now, |number, channel| {
        Notice::AnnouncementRefused {
            number,
            channel,
            why: why.to_string(),
        }
    })
}

/// Queues, for an update's line Slack would not post (`why`; `None`: parked until the bot is
/// invited back), a private note to its author, whose answer said it would be posted;
/// whether it did. Not for a line withdrawn meanwhile, nor a forgotten author, nor a line
/// parked again after an invitation whose author was told it waits (`pitcher_told` is "the
/// person concerned was told" for any row); a refusal after waiting is told all the same.
fn tell_author_of_update(
    conn: &Connection,
    item: &Item,
    why: Option<&str>,
    now: i64,
) -> anyhow::Result<bool> {
    let Notice::Update {
        number,
        author,
        text: Some(_),
        ..
    } = &item.notice
    else {
        return Ok(false);
    };
    if (why.is_none() && item.pitcher_told) || author.is_forgotten() {
        return Ok(false);
    }
    let note = Notice::UpdateNotPosted {
        number: *number,
        channel: item.channel.clone(),
        why: why.map(String::from),
    };
    outbox::queue(
        conn,
        &Post::new(&item.team, To::Dm(author.clone()), note),
        now,
    )?;
    Ok(true)
}

/// Queues, for a correction Slack refused (`why`: the message deleted, the channel archived),
/// a private note to whoever made the change: their answer said it was being made. An
/// announcement's correction tells whoever edited the pitch (or moved its phase, or changed
/// its skills wanted); an update's, its author.
fn tell_whoever_corrected(
    conn: &Connection,
    item: &Item,
    now: i64,
    why: &str,
) -> anyhow::Result<()> {
    let (number, who, of_update, withdrawn) = match &item.notice {
        Notice::AnnouncementCorrected { body, by } => (body.number, by, false, false),
        Notice::UpdateCorrected {
            number,
            author,
            text,
            ..
        } => (*number, author, true, text.is_none()),
        _ => return Ok(()),
    };
    if who.is_forgotten() {
        return Ok(());
    }
    let note = Notice::CorrectionRefused {
        number,
        why: why.to_string(),
        of_update,
        withdrawn,
    };
    outbox::queue(conn, &Post::new(&item.team, To::Dm(who.clone()), note), now)?;
    Ok(())
}

/// For a correction set aside until the bot is invited back, whoever made it is told (once),
/// as [`tell_whoever_corrected`] tells of a refusal; whether they were.
fn tell_corrector_it_waits(conn: &Connection, item: &Item, now: i64) -> anyhow::Result<bool> {
    let correction = matches!(
        item.notice,
        Notice::AnnouncementCorrected { .. } | Notice::UpdateCorrected { .. }
    );
    if !correction || item.pitcher_told {
        return Ok(false);
    }
    tell_whoever_corrected(conn, item, now, WAITING_FOR_CHANNEL)?;
    Ok(true)
}

/// `item` as its row holds it now, or `None` if the row is no longer waiting to be posted.
/// (A row that no longer decodes is taken as it was.)
fn as_stored_now(conn: &Connection, item: &Item) -> anyhow::Result<Option<Item>> {
    Ok(match store::undelivered(conn, &[item.id])?.pop() {
        Some(Ok(stored)) => Some(outbox::decode(stored).unwrap_or_else(|_| item.clone())),
        Some(Err(_)) => Some(item.clone()),
        None => None,
    })
}

/// A line taken back while Slack was already posting it, posted all the same: the thread
/// says what it says. A join's line its person's own quiet leave took back stands, so a join
/// again soon after is not said twice (the lead is told then, as a posted line tells them);
/// joined again already, the line queued for that is not posted too, and the lead hears of
/// the join from this one. A lead's leaving line their return took back: the thread is told
/// they are back. A digest `digest off` took back: its week is not owed. Anything else taken
/// back (by a forget, a lead's `remove`, a deactivation) is left as that left it.
fn posted_though_taken_back(conn: &Connection, item: &Item, now: i64) -> anyhow::Result<()> {
    match &item.notice {
        Notice::Joined {
            project_id, user, ..
        } => {
            if store::join_line(conn, *project_id, user)? != store::JoinLine::TakenBackQuietly {
                return Ok(());
            }
            // Out of the team still: the lead hears of a join if they join again.
            if !store::is_member(conn, *project_id, user)? {
                let line = store::JoinLine::StandsLeadUntold;
                return store::set_join_line(conn, *project_id, user, line);
            }
            store::set_join_line(conn, *project_id, user, store::JoinLine::Stands)?;
            if store::withdraw_join_line(conn, &item.team, &item.channel, *project_id, user)? > 0 {
                tell_lead_of_join(conn, item, now)?;
            }
        }
        Notice::LeadLeft { number, lead, .. } => {
            super::team::lead_back_after_all(conn, &item.team, *number, lead, now)?;
        }
        // `digest off` took it back, owing its week: the week went out after all.
        Notice::Digest { digest, .. } => {
            let week = (digest.from, digest.to);
            store::digest_went_out_after_all(conn, &item.team, &item.channel, week)?;
            store::note_digest_posted(conn, &item.team, &item.channel)?;
        }
        _ => {}
    }
    Ok(())
}

/// Whether `item` is the private answer to `forget me` (by mention; a slash command's is
/// its HTTP answer).
pub fn answers_a_forget(item: &Item) -> bool {
    matches!(
        &item.notice,
        Notice::Reply {
            reply: Reply::Forgotten { .. }
        }
    )
}

/// Why a post the bot cannot make in its channel is not kept for an invitation, if it is not:
/// a nudge is about a quiet spell now (weeks later, when the bot is invited back, the spell
/// is long over, or the project retired); a private answer or a DM has no invitation coming
/// (and a private answer posted weeks later would answer nothing).
fn not_kept(item: &Item) -> Option<&'static str> {
    if matches!(item.notice, Notice::Nudge { .. }) {
        Some("a nudge is not kept")
    } else if !waits_for_an_invitation(item) {
        Some("not kept for an invitation")
    } else {
        None
    }
}

/// A post in a channel (`C…`, `G…`) for everyone, which inviting the bot makes postable.
fn waits_for_an_invitation(item: &Item) -> bool {
    item.only_for.is_none() && item.channel.as_str().starts_with(['C', 'G'])
}

fn is_digest(item: &Item) -> bool {
    matches!(item.notice, Notice::Digest { .. })
}

/// A digest channel the bot can no longer post in stops getting the digest until the bot is
/// invited back, rather than the digest being retried forever. The digest is failed, not
/// parked for the invitation (it would come weeks late); its period is owed instead, so the
/// first digest after the invitation starts where this one did (or a week back).
fn channel_gone(conn: &Connection, item: &Item, why: &str, now: i64) -> anyhow::Result<()> {
    let (channel, said) = (item.channel.clone(), why.to_string());
    store::log_once_committed(move || {
        tracing::warn!(
            %channel,
            why = said,
            "cannot post the digest there any more: stopped until the bot is invited back"
        )
    });
    let from = match &item.notice {
        Notice::Digest { digest, .. } => Some(digest.from),
        _ => None,
    };
    // Told only if this stopped it: not one turned off meanwhile (`digest off`).
    if store::lose_subscription(conn, &item.team, &item.channel, from, now)? {
        tell_subscriber_of_digest(conn, item, why, true, now)?;
    }
    let why = format!("{why}; the digest stops until the bot is invited back");
    store::mark_failed(conn, item.id, &why, now)?;
    Ok(())
}

/// Queues, for a digest Slack would not take in its channel (`why`), a private note to
/// whoever turned it on there: nobody in the channel can be told, and a weekly post that
/// stops (`stopped`) or keeps being refused is otherwise noticed weeks late. Once for a run
/// of refusals, and only for the channel's refusals.
fn tell_subscriber_of_digest(
    conn: &Connection,
    item: &Item,
    why: &str,
    stopped: bool,
    now: i64,
) -> anyhow::Result<()> {
    // (Both callers have a digest in hand.)
    if !refused_by_the_channel(why) {
        return Ok(());
    }
    let Some(by) = store::subscriber_to_tell_of_refusal(conn, &item.team, &item.channel, now)?
    else {
        return Ok(());
    };
    let note = Notice::DigestNotPosted {
        channel: item.channel.clone(),
        why: why.to_string(),
        stopped,
        first: matches!(item.notice, Notice::Digest { first: true, .. }),
    };
    outbox::queue(conn, &Post::new(&item.team, To::Dm(by), note), now)?;
    Ok(())
}

/// Whether Slack's refusal (`why`) is the channel's (archived, the bot not in it, posting
/// restricted), which someone there can put right: not a proxy's 403 or a message Slack
/// found malformed, which the same fault would refuse a note about too.
fn refused_by_the_channel(why: &str) -> bool {
    matches!(
        why,
        "is_archived" | "not_in_channel" | "channel_not_found" | "cannot_reply_to_message"
    ) || why.starts_with("restricted_action")
}

/// What a delivered post sets off: an announcement's ts is remembered (reactions find the
/// project by it); a join posted in the thread is told to the lead; an update's line's ts
/// is remembered, and the line corrected if its words changed while it was on its way
/// (`posted` is the row as it was sent; `item`, as it is now).
fn after_delivery(
    conn: &Connection,
    item: &Item,
    posted: &Item,
    ts: &crate::domain::MessageTs,
    now: i64,
) -> anyhow::Result<()> {
    match &item.notice {
        Notice::Announcement(body) => {
            store::set_announcement(conn, body.project_id, &item.channel, ts, now)?;
            // Rewritten while on its way: a forget of its pitcher, or of someone it mentions,
            // landed after the worker read it (the forget corrects only posts Slack had
            // given a ts). Corrected now as the forget would have, unless a correction waits
            // already (an edit's, whose editor is told if Slack refuses it; it reads the
            // record as it is, forget included).
            if posted.notice != item.notice
                && !store::announcement_correction_queued(
                    conn,
                    &item.team,
                    &item.channel,
                    body.project_id,
                )?
            {
                let naming = store::PostedNaming::Announcement {
                    team: item.team.clone(),
                    number: body.number,
                };
                super::progress::correct_posts_naming(conn, &[naming], &body.join_emoji, now)?;
            }
        }
        // Its channel will not be joined for a digest again (`Notice::Digest::first`).
        Notice::Digest { .. } => store::note_digest_posted(conn, &item.team, &item.channel)?,
        Notice::Joined {
            project_id, user, ..
        } => {
            // The thread says they joined now: a join again soon after a quiet leave is not
            // said twice (see `team::join_as`).
            store::set_join_line(conn, *project_id, user, store::JoinLine::Stands)?;
            tell_lead_of_join(conn, item, now)?;
        }
        Notice::Update {
            number,
            author,
            update: Some(id),
            ..
        } => {
            let Notice::Update {
                text: sent,
                author: sent_by,
                ..
            } = &posted.notice
            else {
                return Ok(());
            };
            let sent = sent.as_ref().map(UpdateText::as_str);
            // Its author forgotten while it was on its way: the line names them.
            let forgotten = sent_by != author;
            // What the line should say, if not what went out: the words corrected, or that
            // the update was withdrawn (`None`), while it was on its way.
            let mend = match store::record_update_line(conn, *id, ts)? {
                Some(UpdateNow::Withdrawn) if sent.is_some() || forgotten => Some(None),
                Some(UpdateNow::Says(words)) if forgotten || Some(words.as_str()) != sent => {
                    UpdateText::parse(&words).ok().map(Some)
                }
                _ => None,
            };
            if let Some(text) = mend {
                // Only its author's name put right (the words as sent): not marked corrected.
                let as_posted = text.as_ref().map(UpdateText::as_str) == sent && sent.is_some();
                let notice = Notice::UpdateCorrected {
                    number: *number,
                    author: author.clone(),
                    text,
                    update: *id,
                    as_posted,
                };
                let to = To::Thread(item.channel.clone(), ts.clone());
                outbox::queue(conn, &Post::new(&item.team, to, notice), now)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Queues, for a join line about someone other than the project's lead, a note to the lead,
/// unless they were told already or have left the team; whether it did.
fn tell_lead_of_join(conn: &Connection, item: &Item, now: i64) -> anyhow::Result<bool> {
    let Notice::Joined {
        project_id,
        number,
        title,
        user,
        council,
        makeup,
        pitcher,
        ..
    } = &item.notice
    else {
        return Ok(false);
    };
    if item.pitcher_told {
        return Ok(false);
    }
    // Whoever leads it now: the project may have been handed over since the line was queued
    // (a join waiting for its announcement).
    let lead = store::lead_of(conn, *project_id)?.unwrap_or_else(|| pitcher.clone());
    let news = || {
        Ok(Notice::TeamNews {
            number: *number,
            title: title.clone(),
            user: user.clone(),
            council: council.clone(),
            makeup: makeup.when_posted(store::team_makeup(conn, *project_id)?),
        })
    };
    let joined = (*project_id, user);
    super::team::tell_lead_of_join(conn, &item.team, joined, lead, news, now)
}

/// Queues, for a nudge Slack would not post in its channel (`why`: archived, the bot taken
/// out, posting restricted), a private note to whoever leads the project now: nobody in the
/// team was reminded, and the lead can retire it or post its news. Nothing where nobody
/// leads it (the lead left; the team was asked to choose one), or the lead was forgotten.
/// It names the project as it is now (its title as stored) and its quiet weeks as the nudge
/// did (`posted`: the quiet days the worker counted when it was tried), not as queued.
fn tell_lead_of_nudge(
    conn: &Connection,
    item: &Item,
    posted: &Item,
    why: &str,
    now: i64,
) -> anyhow::Result<()> {
    if !refused_by_the_channel(why) {
        return Ok(());
    }
    let (Notice::Nudge { number, .. }, Notice::Nudge { quiet_days, .. }) =
        (&item.notice, &posted.notice)
    else {
        return Ok(());
    };
    super::nudge::tell_lead_of_quiet_project(conn, &item.team, *number, now, |title| {
        Notice::NudgeNotPosted {
            number: *number,
            // Its title now: the queued one may be old (renamed while the nudge waited) or
            // missing (a row from an older build).
            title: Some(title),
            channel: item.channel.clone(),
            quiet_days: *quiet_days,
            why: why.to_string(),
        }
    })?;
    // A lead's id edited by hand beyond reading: nobody is told (logged), and this post's
    // failure is recorded as any other's.
    Ok(())
}

/// Queues a private note to the pitcher of an announcement (`item`) that cannot be posted
/// yet, or ever: `note` made from the project's number and channel. Nothing for another kind
/// of post, nor for a forgotten pitcher.
fn tell_pitcher_of_announcement(
    conn: &Connection,
    item: &Item,
    now: i64,
    note: impl FnOnce(ProjectNumber, ChannelId) -> Notice,
) -> anyhow::Result<()> {
    let Notice::Announcement(body) = &item.notice else {
        return Ok(());
    };
    if body.pitcher.is_forgotten() {
        return Ok(());
    }
    let note = note(body.number, item.channel.clone());
    outbox::queue(
        conn,
        &Post::new(&item.team, To::Dm(body.pitcher.clone()), note),
        now,
    )?;
    Ok(())
}
