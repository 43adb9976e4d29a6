//! `/makers digest`: subscribe a channel, stop, preview; and the scheduler's side, which sends
//! each channel's digest when it falls due (once, even across restarts and downtime).

use anyhow::Context;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::{Ctx, problem};
use crate::commands::DigestCommand;
use crate::domain::{ChannelId, Period, Rules, TeamId, UserError, WeeklyTime};
use crate::message::{Digest, Notice, Reply, compose};
use crate::outbox::{self, Post, To};
use crate::store::{self, Subscription};

/// A new subscription's first digest looks back this far.
const FIRST_PERIOD: i64 = 7 * 86_400;
/// Two dues of one weekly time in one zone are a week apart, give or take a clock change's
/// hour. A zone changed between them moves the next one by up to 26 hours (UTC-12 to
/// UTC+14): to the west, the same week's time comes 27 hours or less after the last due;
/// to the east, the next week's comes 141 hours or more after it. Half a week parts them.
const SAME_WEEK: i64 = 84 * 3600;

/// Starts again, at its time, the channel's digest stopped when the bot lost the channel, as
/// `digest` alone would (`ctx`: the bot's invitation to it). Not afresh, as a typed `digest`
/// is: the bot was invited into the channel, so its removal later is respected again (the
/// next digest does not join the channel).
pub fn start_again(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    // Whoever turned it on stays the one told of a refusal (`ctx.user` is the bot).
    subscribe_as(conn, ctx, None, None)?;
    store::note_digest_posted(conn, &ctx.team, &ctx.channel)
}

pub fn command(conn: &Connection, ctx: &Ctx, cmd: DigestCommand) -> anyhow::Result<Reply> {
    if ctx.channel.is_dm() {
        return Ok(problem(UserError::DigestNeedsChannel));
    }
    // By mention in a channel shared with another organisation, the asker may be from
    // outside: whether the workspace's news is posted there weekly is its own people's to say,
    // by slash command, which only they can run there.
    if ctx.shared_channel && !matches!(cmd, DigestCommand::Preview) {
        return Ok(problem(UserError::DigestBySlashInSharedChannel));
    }
    match cmd {
        DigestCommand::Subscribe(when) => subscribe(conn, ctx, when),
        DigestCommand::Off => {
            let was_subscribed =
                store::stop_subscription(conn, &ctx.team, &ctx.channel, ctx.now())?;
            // A digest queued and not yet posted (Slack down at its time) is not posted after
            // "Done: … won't get the weekly digest any more" (it was). Its week is owed, should
            // the digest be turned on again.
            if let Some(from) = store::drop_queued_digests(conn, &ctx.team, &ctx.channel)? {
                store::owe_digest_from(conn, &ctx.team, &ctx.channel, from)?;
            }
            Ok(Reply::DigestOff { was_subscribed })
        }
        DigestCommand::Preview => {
            // From where the next digest would start: a stopped one, turned on again, starts
            // where its last digest ended, or a week back, whichever is later.
            let week_back = ctx.now() - FIRST_PERIOD;
            let kept = store::subscription_kept(conn, &ctx.team, &ctx.channel)?;
            let channel_off = !matches!(kept, Some((_, None)));
            let from = match &kept {
                Some((sub, None)) => sub.sent_until,
                Some((sub, Some(_))) => sub.sent_until.max(week_back),
                None => week_back,
            };
            // Up to now, or to the time passed whose digest the scheduler owes and has yet to
            // queue (turned on again days after it): that digest ends there, and what came
            // after goes in the next one (it ran to now, until the scheduler next looked).
            let owed = match &kept {
                Some((sub, None)) => owed_due(sub, instant(ctx.now())?, &ctx.rules),
                _ => None,
            };
            let period = Period {
                from,
                to: owed.unwrap_or(ctx.now() + 1),
            };
            // Asked by mention in a channel shared with another organisation, by someone who
            // may be from outside: what that channel is shown by mention (`Ctx::shared_channel`).
            let only_here = ctx.shared_channel;
            let digest = digest_in(conn, &ctx.team, &ctx.channel, period, &ctx.rules, only_here)?;
            Ok(Reply::DigestPreview {
                digest: Box::new(digest),
                channel_off,
            })
        }
    }
}

fn subscribe(conn: &Connection, ctx: &Ctx, when: Option<WeeklyTime>) -> anyhow::Result<Reply> {
    subscribe_as(conn, ctx, when, Some(&ctx.user))
}

/// `subscribe`, `by` someone (told if Slack refuses the digest there), or by the bot's
/// invitation (`None`: whoever turned it on before stays).
fn subscribe_as(
    conn: &Connection,
    ctx: &Ctx,
    when: Option<WeeklyTime>,
    by: Option<&crate::domain::UserId>,
) -> anyhow::Result<Reply> {
    // Running, or stopped (when, in the `Option`).
    let kept = store::subscription_kept(conn, &ctx.team, &ctx.channel)?;
    // The last week handled, running or stopped: see `last_due_at` below.
    let handled = kept.as_ref().map(|(sub, _)| sub.last_due_at);
    // Turned off and on again, `digest` alone brings back the time it had.
    let when = when
        .or(kept.as_ref().map(|(sub, _)| sub.when))
        .unwrap_or(WeeklyTime::DEFAULT);
    let now = instant(ctx.now())?;
    let tz = ctx.rules.tz;
    // Due instants up to now are not owed: the first digest is the next one. Moved to a
    // later time of a week whose digest has gone out (Monday's out, moved to 11:00 that
    // morning, also by way of `digest off`), it keeps that week's: the scheduler then waits
    // for the next week's, one digest a week rather than a second a few hours after the
    // first.
    let passed = when.previous_due(now, tz).timestamp();
    // But a running digest moved to a time already past this week, before this week's went
    // out (Monday 17:00 moved to 09:00 at noon, or typed again after the server was down
    // over its time), still owes this week's: the scheduler posts it at its next tick,
    // rather than the channel going a fortnight without.
    // Also by way of `digest off`, when it was still running at that time.
    let running_then = match &kept {
        Some((sub, None)) => Some(sub),
        Some((sub, Some(stopped_at))) if *stopped_at >= passed => Some(sub),
        _ => None,
    };
    let owed = running_then.is_some_and(|s| !covered(passed, s.last_due_at, s.sent_until));
    let last_due_at = match handled {
        Some(handled) if owed => handled,
        Some(handled) => passed.max(handled),
        None => passed,
    };
    // As `store::subscribe` keeps it: turned on again, where its last digest ended or a week
    // back, whichever is later (a `digest --now` just before the `digest off` ended it
    // later: the answer named a time whose digest it stood for, which was not posted). A
    // week back from the time owed, when one is: from now, days after that time, the
    // scheduler took it as covered, and posted nothing that week after "straight away".
    let week_back = if owed { passed } else { ctx.now() } - FIRST_PERIOD;
    let sent_until = match &kept {
        Some((sub, None)) => sub.sent_until,
        Some((sub, Some(_))) => sub.sent_until.max(week_back),
        None => ctx.now() - FIRST_PERIOD,
    };
    // The next one the scheduler will post at its time: not one that a digest just before
    // it (`digest --now`, or the owed one above) stands for (see `send_due_digests`).
    let stands_until = if owed { passed } else { sent_until };
    let mut next_due = when.next_due(now, tz);
    while covered(next_due.timestamp(), last_due_at, stands_until) {
        next_due = when.next_due(next_due, tz);
    }
    let sub = Subscription {
        team: ctx.team.clone(),
        channel: ctx.channel.clone(),
        when,
        last_due_at,
        sent_until,
    };
    store::subscribe(conn, &sub, by, ctx.now()).context("cannot subscribe channel")?;
    Ok(Reply::DigestSubscribed {
        when,
        tz: tz.name().to_string(),
        next_due: next_due.timestamp(),
        owed,
    })
}

/// Queues every digest that has fallen due by `now` and not been sent; returns how many.
/// One per channel however long the server was down (catch-up, not a flood). Call inside a
/// write transaction: the digest and the record that it was sent commit together. (The
/// scheduler asks for one a write: [`send_due_digests_upto`].)
#[cfg(test)]
pub fn send_due_digests(conn: &Connection, now: i64, rules: &Rules) -> anyhow::Result<usize> {
    Ok(send_due_digests_upto(conn, now, rules, usize::MAX)?.sent)
}

/// What [`send_due_digests_upto`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestsDue {
    /// Digests queued.
    pub sent: usize,
    /// Whether another is due that was left for the next call.
    pub more: bool,
}

/// [`send_due_digests`], composing at most `at_most` digests: each is tens of milliseconds
/// on a large workspace, on the writer, which every command and button press waits for;
/// the scheduler asks for one a write, so that Monday 09:00, every channel's default time,
/// does not hold them all past Slack's 3 seconds.
pub fn send_due_digests_upto(
    conn: &Connection,
    now: i64,
    rules: &Rules,
    at_most: usize,
) -> anyhow::Result<DigestsDue> {
    let now_dt = instant(now)?;
    let mut sent = 0;
    for sub in store::all_subscriptions(conn)? {
        let due = sub.when.previous_due(now_dt, rules.tz).timestamp();
        if due <= sub.last_due_at {
            continue;
        }
        // This week's time again, seen from a zone further west (`MAKERS_TZ` changed since
        // this week's digest went out: what is new goes in next week's); or covered already,
        // up to a later moment or to a few hours before (`digest --now` run just before the
        // due, whose digest would be of those hours alone): handled, nothing posted, and the
        // next digest starts where that one ended.
        if covered(due, sub.last_due_at, sub.sent_until) {
            store::mark_digest_sent(conn, &sub.team, &sub.channel, Some(due), sub.sent_until)?;
            continue;
        }
        if sent == at_most {
            return Ok(DigestsDue { sent, more: true });
        }
        let period = Period {
            from: sub.sent_until,
            to: due,
        };
        // A digest that cannot be composed (a row edited by hand) is this channel's problem,
        // tried again at the next tick; every other channel's digest still goes.
        let Some(digest) = channel_digest(conn, &sub, period, rules)? else {
            continue;
        };
        outbox::queue(conn, &post(conn, &sub, digest)?, now).context("cannot queue digest")?;
        store::mark_digest_sent(conn, &sub.team, &sub.channel, Some(due), due)?;
        let (team, channel) = (sub.team.clone(), sub.channel.clone());
        store::log_once_committed(move || tracing::info!(%team, %channel, "weekly digest queued"));
        sent += 1;
    }
    Ok(DigestsDue { sent, more: false })
}

/// `makers-bot digest --now`: every subscribed channel's digest up to `now`, queued for this
/// process to post; returns the outbox ids.
pub fn digests_now(conn: &Connection, now: i64, rules: &Rules) -> anyhow::Result<DigestsNow> {
    digests_now_upto(conn, now, rules, None, usize::MAX)
}

/// [`digests_now`] for at most `at_most` channels past `after` (in the order of
/// `store::all_subscriptions`): each digest is tens of milliseconds on a large workspace, on
/// the writer a running server's commands and presses wait for, so `digest --now` asks for
/// one a write, as the scheduler does (see [`send_due_digests_upto`]).
pub fn digests_now_upto(
    conn: &Connection,
    now: i64,
    rules: &Rules,
    after: Option<&(TeamId, ChannelId)>,
    at_most: usize,
) -> anyhow::Result<DigestsNow> {
    let mut queued = DigestsNow::default();
    let mut gone_through = 0;
    for sub in store::all_subscriptions(conn)? {
        let here = (sub.team.clone(), sub.channel.clone());
        if after.is_some_and(|after| &here <= after) {
            continue;
        }
        if gone_through == at_most {
            return Ok(queued);
        }
        gone_through += 1;
        queued.last = Some(here);
        // Up to and including this second.
        let until = now + 1;
        let period = Period {
            from: sub.sent_until,
            to: until,
        };
        let Some(digest) = channel_digest(conn, &sub, period, rules)? else {
            queued.skipped += 1;
            continue;
        };
        queued.ids.push(outbox::queue_for_self(
            conn,
            &post(conn, &sub, digest)?,
            now,
        )?);
        // It stands for the week's digest if that has fallen due (the server down over it):
        // the scheduler must not send that due again, for a period already covered.
        let due = sub.when.previous_due(instant(now)?, rules.tz).timestamp();
        let handled = due.max(sub.last_due_at);
        store::mark_digest_sent(conn, &sub.team, &sub.channel, Some(handled), until)?;
    }
    // None is left past the last one gone through.
    queued.last = None;
    Ok(queued)
}

/// What [`digests_now`] queued.
#[derive(Debug, Default)]
pub struct DigestsNow {
    /// The outbox rows of the digests queued, one a channel.
    pub ids: Vec<i64>,
    /// Subscribed channels whose digest could not be composed (logged), so not queued.
    pub skipped: usize,
    /// The last channel gone through, when others are left for a call after it
    /// ([`digests_now_upto`]); `None` once every one has been.
    pub last: Option<(TeamId, ChannelId)>,
}

/// `makers-bot digest --dry-run --channel C…`: that channel's digest up to `now`, unsent.
pub fn dry_run_digest(
    conn: &Connection,
    channel: &ChannelId,
    team: Option<&TeamId>,
    now: i64,
    rules: &Rules,
) -> anyhow::Result<DryRun> {
    let mut subs = match team {
        Some(team) => Vec::from_iter(store::subscription(conn, team, channel)?),
        None => store::subscriptions_of_channel(conn, channel)?,
    };
    let sub = match subs.len() {
        0 => return Ok(DryRun::NotSubscribed),
        1 => subs.remove(0),
        _ => {
            return Ok(DryRun::InSeveral(
                subs.into_iter().map(|s| s.team).collect(),
            ));
        }
    };
    let period = Period {
        from: sub.sent_until,
        to: now + 1,
    };
    Ok(DryRun::Digest(Box::new(digest_for(
        conn,
        &sub.team,
        &sub.channel,
        period,
        rules,
    )?)))
}

/// What `makers-bot digest --dry-run` finds for a channel.
#[derive(Debug)]
pub enum DryRun {
    /// The digest so far, of the one workspace subscribing the channel (or the one named).
    Digest(Box<Digest>),
    /// No workspace (or not the one named) subscribes the channel.
    NotSubscribed,
    /// A channel shared between organisations, subscribed by each: which one is to be said.
    InSeveral(Vec<TeamId>),
}

/// `sub`'s digest for `period`, or `None` (logged) if it cannot be composed: that channel's
/// problem alone. Unless SQLite ended the transaction (an I/O error): then nothing more runs.
fn channel_digest(
    conn: &Connection,
    sub: &store::Subscription,
    period: Period,
    rules: &Rules,
) -> anyhow::Result<Option<Digest>> {
    match digest_for(conn, &sub.team, &sub.channel, period, rules) {
        Ok(digest) => Ok(Some(digest)),
        Err(e) if conn.is_autocommit() => Err(e),
        Err(e) => {
            let error = format!("{e:#}");
            tracing::error!(team = %sub.team, channel = %sub.channel, error, "cannot compose digest");
            Ok(None)
        }
    }
}

/// `team`'s digest for `period` as posted in `channel`: a private channel's projects are in
/// its own digest alone (read by everyone in the channel, so no team sees more there).
fn digest_for(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    period: Period,
    rules: &Rules,
) -> anyhow::Result<Digest> {
    digest_in(conn, team, channel, period, rules, false)
}

/// [`digest_for`], and with `only_here` (see `store::Audience`) only `channel`'s projects.
fn digest_in(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    period: Period,
    rules: &Rules,
    only_here: bool,
) -> anyhow::Result<Digest> {
    let audience = store::Audience {
        here: Some(channel),
        viewer: None,
        only_here,
    };
    let hidden = store::hidden_from(conn, team, audience)?;
    let snapshot =
        store::digest_snapshot(conn, team, period, &hidden).context("cannot read digest data")?;
    let mut digest = compose(snapshot, period, rules.quiet_after);
    // Read by another organisation too, whose people would run a typed `/makers join N`
    // in their own workspace: its lines point at the announcements instead.
    digest.shared = store::channel_said(conn, team, channel)?.shared;
    Ok(digest)
}

/// A channel's digest, as a post to that channel.
fn post(conn: &Connection, sub: &Subscription, digest: Digest) -> anyhow::Result<Post> {
    let notice = Notice::Digest {
        digest: Box::new(digest),
        first: !store::digest_posted_in(conn, &sub.team, &sub.channel)?,
    };
    Ok(Post::new(
        &sub.team,
        To::Channel(sub.channel.clone()),
        notice,
    ))
}

/// The time passed whose digest running subscription `sub` owes and the scheduler has not
/// queued yet, as [`send_due_digests_upto`] finds it at `now`: it queues it at its next look.
fn owed_due(sub: &Subscription, now: DateTime<Utc>, rules: &Rules) -> Option<i64> {
    let due = sub.when.previous_due(now, rules.tz).timestamp();
    (due > sub.last_due_at && !covered(due, sub.last_due_at, sub.sent_until)).then_some(due)
}

/// Whether the digest due at `due` is one the scheduler does not post: within half a week
/// of the last due handled, or of where the last digest ended (one by hand, just before).
fn covered(due: i64, last_due_at: i64, sent_until: i64) -> bool {
    due - last_due_at.max(sent_until) < SAME_WEEK
}

fn instant(unix: i64) -> anyhow::Result<DateTime<Utc>> {
    DateTime::from_timestamp(unix, 0).context("time out of range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChannelId, TeamId, WeeklyTime};
    use crate::store::{Store, Subscription};

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    /// A store in `dir` with channel C1 getting the digest on Mondays at 09:00, the last one
    /// sent at `sent`.
    fn monday_nine_sent_at(dir: &tempfile::TempDir, sent: i64) -> (Store, Subscription) {
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let sub = Subscription {
            team: TeamId::parse("T1").unwrap(),
            channel: ChannelId::parse("C1").unwrap(),
            when: WeeklyTime::new(chrono::Weekday::Mon, 9 * 60).unwrap(),
            last_due_at: sent,
            sent_until: sent,
        };
        let by = crate::domain::UserId::parse("U1").unwrap();
        store
            .write(|tx| store::subscribe(tx, &sub, Some(&by), sent))
            .unwrap();
        (store, sub)
    }

    /// Asked for one at a time, as the scheduler asks (one a write), the due digests are
    /// queued one a call, each call saying whether another is due, until none is.
    #[test]
    fn due_digests_are_queued_one_a_write_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let rules = Rules::default();
        let (store, sub) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        for channel in ["C2", "C3"] {
            let other = Subscription {
                channel: ChannelId::parse(channel).unwrap(),
                ..sub.clone()
            };
            store
                .write(|tx| store::subscribe(tx, &other, None, other.last_due_at))
                .unwrap();
        }
        let monday = at("2026-03-23T09:05:00Z");
        let mut calls = Vec::new();
        loop {
            let due = store
                .write(|tx| send_due_digests_upto(tx, monday, &rules, 1))
                .unwrap();
            calls.push(due);
            if !due.more {
                break;
            }
        }
        let one = |more| DigestsDue { sent: 1, more };
        let none = DigestsDue {
            sent: 0,
            more: false,
        };
        assert_eq!(calls, [one(true), one(true), one(false)]);
        let again = store
            .write(|tx| send_due_digests_upto(tx, monday, &rules, 1))
            .unwrap();
        assert_eq!(again, none, "each went once");
    }

    /// The server was down over Monday 09:00; at 10:00 an operator ran `digest --now`. When
    /// the server is back, the week's digest is not posted again for the same hour.
    #[test]
    fn a_digest_now_after_the_due_stands_for_the_weeks_digest() {
        let dir = tempfile::tempdir().unwrap();
        let rules = Rules::default(); // Europe/London
        let (store, _) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        let queued = store
            .write(|tx| digests_now(tx, at("2026-03-23T10:00:00Z"), &rules))
            .unwrap();
        assert_eq!((queued.ids.len(), queued.skipped), (1, 0));
        let again = store
            .write(|tx| send_due_digests(tx, at("2026-03-23T10:05:00Z"), &rules))
            .unwrap();
        assert_eq!(again, 0, "not posted again for the same week");
        let next = store
            .write(|tx| send_due_digests(tx, at("2026-03-30T08:00:00Z"), &rules))
            .unwrap();
        assert_eq!(
            next, 1,
            "the next week's goes out as usual (09:00 BST is 08:00Z)"
        );
    }

    /// `digest --now` on Sunday evening: Monday morning's digest would be of those few hours
    /// alone, so it is not posted; the next one covers everything since Sunday. Run on the
    /// Thursday before, more than half a week out, Monday's goes out as usual.
    #[test]
    fn a_digest_now_just_before_the_due_stands_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let rules = Rules::default(); // Europe/London, GMT in March before the 29th
        let (store, _) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        let sunday = at("2026-03-22T20:00:00Z");
        store.write(|tx| digests_now(tx, sunday, &rules)).unwrap();
        let monday = store
            .write(|tx| send_due_digests(tx, at("2026-03-23T09:05:00Z"), &rules))
            .unwrap();
        assert_eq!(monday, 0, "no digest of Sunday night alone");
        let next = store
            .write(|tx| send_due_digests(tx, at("2026-03-30T08:05:00Z"), &rules))
            .unwrap();
        assert_eq!(next, 1, "the next week's goes out as usual");
        let sub = store
            .read(|c| {
                store::subscription(
                    c,
                    &TeamId::parse("T1").unwrap(),
                    &ChannelId::parse("C1").unwrap(),
                )
            })
            .unwrap()
            .unwrap();
        assert_eq!(sub.sent_until, at("2026-03-30T08:00:00Z"));

        let dir = tempfile::tempdir().unwrap();
        let (store, _) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        store
            .write(|tx| digests_now(tx, at("2026-03-19T12:00:00Z"), &rules))
            .unwrap();
        let monday = store
            .write(|tx| send_due_digests(tx, at("2026-03-23T09:05:00Z"), &rules))
            .unwrap();
        assert_eq!(monday, 1, "four days of news since Thursday's");
    }

    /// After `digest --now` on Sunday evening, `digest` (or a change of time) says the next
    /// digest is the Monday after next, the one the scheduler will post.
    #[test]
    fn after_a_digest_now_the_next_one_named_is_the_one_posted() {
        let dir = tempfile::tempdir().unwrap();
        let rules = std::sync::Arc::new(Rules::default());
        let (store, sub) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        store
            .write(|tx| digests_now(tx, at("2026-03-22T20:00:00Z"), &rules))
            .unwrap();
        let ctx = Ctx::new(
            sub.team,
            crate::domain::UserId::parse("U1").unwrap(),
            sub.channel,
            DateTime::from_timestamp(at("2026-03-22T20:05:00Z"), 0).unwrap(),
            rules,
        );
        let reply = store
            .write(|tx| command(tx, &ctx, DigestCommand::Subscribe(None)))
            .unwrap();
        let Reply::DigestSubscribed { next_due, .. } = reply else {
            panic!("{reply:?}");
        };
        assert_eq!(
            next_due,
            at("2026-03-30T08:00:00Z"),
            "not the Monday straight after"
        );
    }

    /// So too with `digest off` and `digest` between: the digest turned on again starts
    /// where Sunday's ended, and the answer names the Monday after next (it named the next
    /// morning, whose digest Sunday's stood for and the scheduler did not post).
    #[test]
    fn after_a_digest_now_off_and_on_the_next_one_named_is_the_one_posted() {
        let dir = tempfile::tempdir().unwrap();
        let rules = std::sync::Arc::new(Rules::default());
        let (store, sub) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        store
            .write(|tx| {
                digests_now(tx, at("2026-03-22T20:00:00Z"), &rules)?;
                // Posted (a digest still queued goes with `digest off`, its week owed).
                Ok(tx.execute("UPDATE outbox SET delivered_at = 1", [])?)
            })
            .unwrap();
        let ctx = |time: &str| {
            Ctx::new(
                sub.team.clone(),
                crate::domain::UserId::parse("U1").unwrap(),
                sub.channel.clone(),
                DateTime::from_timestamp(at(time), 0).unwrap(),
                rules.clone(),
            )
        };
        store
            .write(|tx| command(tx, &ctx("2026-03-22T20:30:00Z"), DigestCommand::Off))
            .unwrap();
        let reply = store
            .write(|tx| {
                command(
                    tx,
                    &ctx("2026-03-22T21:00:00Z"),
                    DigestCommand::Subscribe(None),
                )
            })
            .unwrap();
        let Reply::DigestSubscribed { next_due, .. } = reply else {
            panic!("{reply:?}");
        };
        assert_eq!(
            next_due,
            at("2026-03-30T08:00:00Z"),
            "not the Monday straight after"
        );
        let monday = store
            .write(|tx| send_due_digests(tx, at("2026-03-23T09:05:00Z"), &rules))
            .unwrap();
        assert_eq!(monday, 0, "as named: none the next morning");
    }

    /// `MAKERS_TZ` changed from London to New York after Monday's 09:00 digest: Monday 09:00
    /// in New York, later that day, is the same week's digest, not a second one.
    #[test]
    fn a_zone_further_west_does_not_post_the_weeks_digest_twice() {
        let dir = tempfile::tempdir().unwrap();
        // 09:00 GMT
        let (store, sub) = monday_nine_sent_at(&dir, at("2026-03-16T09:00:00Z"));
        let west = Rules {
            tz: chrono_tz::America::New_York,
            ..Rules::default()
        };
        // 09:00 EDT is 13:00Z.
        let later = store
            .write(|tx| send_due_digests(tx, at("2026-03-16T13:00:30Z"), &west))
            .unwrap();
        assert_eq!(later, 0, "this week's went out at 09:00 London time");
        let next = store
            .write(|tx| send_due_digests(tx, at("2026-03-23T13:00:30Z"), &west))
            .unwrap();
        assert_eq!(next, 1, "next week's goes out at 09:00 New York time");
        let sent_from = store
            .write(|tx| Ok(store::subscription(tx, &sub.team, &sub.channel)?.unwrap()))
            .unwrap();
        assert_eq!(sent_from.sent_until, at("2026-03-23T13:00:00Z"));
    }
}
