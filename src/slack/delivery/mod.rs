//! The outbox worker: posts queued messages to Slack, oldest first, and hands what happened to
//! `handlers::delivered`, which decides what follows. Transport only:
//!
//! - 429: the row waits `Retry-After`, and so does every post to its workspace after it (the
//!   limit is per method and workspace; other workspaces' posts go on).
//! - Timeouts, connection errors, 5xx: the row is retried with capped exponential backoff.
//!   A call Slack did not answer in time holds every post to its workspace too, for a wait
//!   growing with those in a row (other workspaces' posts go on).
//! - `not_in_channel` / `channel_not_found` on an announcement: join the channel if it is
//!   public and try again at once.
//! - A row that cannot be read (stored by a build that wrote another shape) is failed alone,
//!   with its reason; the rows behind it are posted as usual.
//!
//! Each pass takes the oldest undelivered row of each channel in turn (`store::due_heads`),
//! and of its corrections of messages already posted, which wait in a lane of their own: a
//! channel's posts go out in order, one flooded channel takes one turn like any other, and
//! finding the next row costs the same however deep the outbox is. Posts go out one at a
//! time, each recorded ([`settle`]) before the next is made. Posts to one channel are paced
//! to one a second ([`pacer`]); a channel waiting its second is passed over.

mod channels;
mod classify;
mod log;
mod pacer;
mod reactors;
mod reread;
mod settle;
mod unrecorded;

pub use unrecorded::Unrecorded;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::client::{self, CallError, SlackApi};
use super::render::{self, Look};
use crate::clock::SharedClock;
use crate::domain::{MessageTs, Rules, TeamId};

use crate::handlers;
use crate::message::Notice;
use crate::outbox::{self, Item, Outcome};
use crate::store::AsyncStore;
use crate::store::{self, BadRow, ChannelKey, StoredPost};
use classify::classify;
use log::log;
use pacer::Pacer;

/// First retry after a transient failure (see [`classify::backoff`]).
pub(super) const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// With nothing due, look again at least this often (rows may be due by the clock alone),
/// unless [`Worker::looking_every`] says otherwise.
const IDLE_POLL: Duration = crate::config::DEFAULT_OUTBOX_IDLE_POLL;
/// How long tries, a second apart, to record posts made but not recorded go on when the
/// server stops: none begins after it, and each may wait out the busy timeout (5 s) past it.
/// Bounded by time, not by count: `digest --now` counts on it (`outbox::FOR_SELF_HOLD`).
pub(super) const RECORD_AT_STOP: Duration = Duration::from_secs(5);
/// Channels served per look at the outbox (one row each).
const BATCH: usize = 20;
/// After a pass that could post nothing, the next waits at least this long, however often a
/// queued post wakes the worker: under load every request queues one, and a look per request
/// would cost the requests a core while the channels wait out their pacing anyway.
const MIN_IDLE_GAP: Duration = Duration::from_millis(20);

/// Slack errors that mean "the bot cannot see or post in this conversation".
const NOT_IN_CHANNEL: &[&str] = &["not_in_channel", "channel_not_found"];

/// Tries at a post after which "not in channel" no longer sends the bot to join the channel
/// (`Worker::try_to_join`).
const JOIN_TRIES: u32 = 3;
pub struct Worker {
    db: AsyncStore,
    clock: SharedClock,
    /// Added to every retry time (seconds). A command-line run posting its own rows sets it,
    /// so that a running server's worker never takes a row it is still retrying.
    retry_hold: i64,
    /// Where a command-line run's deadline is (`deliver_now`): no post is begun past it, so
    /// none is made after its rows may be a running server's (`outbox::FOR_SELF_HOLD`).
    until: Option<Instant>,
    api: SlackApi,
    look: Look,
    wake: Arc<Notify>,
    pacer: Pacer,
    /// Posts made whose recording failed: never posted again.
    unrecorded: unrecorded::Memory,
    /// Where the next walk starts after: the channel the last pass ended on, or just before
    /// the first head it passed over as waiting its second (`post_rows`), which then goes
    /// first.
    turn: Option<ChannelKey>,
    /// Workspaces where Slack said to wait before `users.info` again, or where it failed,
    /// until when (seconds).
    asking_held: reactors::Holds,
    /// The same for `conversations.info` (whether a pitch's channel is private).
    channels_held: reactors::Holds,
    /// The same for `reactions.get` (join reactions made while the bot was out).
    reactions_held: reactors::Holds,
    /// When the next announcement is due to be read again (unix seconds; `i64::MAX`: none
    /// waits), as last read, with the count of markings (`store::reactions_marked`) it was
    /// read at: read again only when that count moves or the time comes (see [`reread`]).
    reread_due: Option<(u64, i64)>,
    /// What counts as a join (the emoji) and a person's allowance: with them, the reactions
    /// of a channel the bot is invited back to are read (see [`reread`]).
    rules: Option<Arc<Rules>>,
    /// With nothing due, look again at least this often ([`IDLE_POLL`] unless set).
    idle_poll: Duration,
}

/// What a pass came to.
enum Pass {
    /// It posted (or failed) rows: look again at once.
    Again,
    /// Nothing could go now: look again after this, or when a post is queued.
    Wait(Duration),
}

impl Worker {
    /// `wake` is notified by whoever queues a post.
    pub fn new(
        db: AsyncStore,
        clock: SharedClock,
        api: SlackApi,
        look: Look,
        wake: Arc<Notify>,
    ) -> Worker {
        Worker {
            db,
            clock,
            retry_hold: 0,
            until: None,
            api,
            look,
            wake,
            pacer: Pacer::default(),
            unrecorded: Default::default(),
            turn: None,
            asking_held: Default::default(),
            channels_held: Default::default(),
            reactions_held: Default::default(),
            reread_due: None,
            rules: None,
            idle_poll: IDLE_POLL,
        }
    }

    /// With nothing due, looks again at least every `idle_poll` (`Config::outbox_idle_poll`).
    pub fn looking_every(mut self, idle_poll: Duration) -> Worker {
        self.idle_poll = idle_poll;
        self
    }

    /// Reads the join reactions of a channel the bot is invited back to (see [`reread`]),
    /// counting them by `rules`: the server's worker does; a command-line run posting its own
    /// rows does not.
    pub fn reading_reactions(mut self, rules: Arc<Rules>) -> Worker {
        self.rules = Some(rules);
        self
    }

    /// Delivers until `stop` is cancelled. The post or question at Slack in flight is
    /// finished first (up to its 10 s), and nothing more is begun: what is not asked about
    /// stays due, for the next start. (The asking steps did not look at `stop`, so a stop
    /// while Slack hung waited out their whole round, a call of up to 10 s each, past the
    /// unit's TimeoutStopSec with a few workspaces.)
    pub async fn run(mut self, stop: CancellationToken) {
        while !stop.is_cancelled() {
            // Before the posts: a pitch's channel is known to be private by the time its
            // announcement can be read.
            let channels = self.ask_about_channels(&stop).await;
            if let Err(e) = &channels {
                tracing::error!(
                    error = format!("{e:#}"),
                    "cannot record whether channels are private; retrying"
                );
            }
            // Before the reactors: a reaction read here may wait for Slack to say who made it.
            let reread = self.read_reactions_again(&stop).await;
            if let Err(e) = &reread {
                tracing::error!(
                    error = format!("{e:#}"),
                    "cannot read join reactions again; retrying"
                );
            }
            let asked = self.ask_about_reactors(&stop).await;
            let more_reactors = asked.as_ref().is_ok_and(|more| *more)
                || channels.as_ref().is_ok_and(|more| *more)
                || reread.as_ref().is_ok_and(|more| *more);
            if let Err(e) = &asked {
                tracing::error!(
                    error = format!("{e:#}"),
                    "cannot settle pending joins; retrying"
                );
            }
            if stop.is_cancelled() {
                break;
            }
            let looked = Instant::now();
            let idle = match self.deliver_due(&stop).await {
                Ok(Pass::Again) => continue,
                // More reactors to ask about than one pass asks.
                Ok(Pass::Wait(_)) if more_reactors => continue,
                // A reactor or a channel falls due before the posts do (one left by a pass
                // that stopped at a failure, or waiting out Slack's Retry-After): it waits no
                // longer. Not where the store could not be read for it: that would spin.
                Ok(Pass::Wait(mut idle)) => {
                    if asked.is_ok() {
                        idle = idle.min(self.next_reactor_in().await);
                    }
                    if channels.is_ok() {
                        idle = idle.min(self.next_channel_in().await);
                    }
                    if reread.is_ok() {
                        idle = idle.min(self.next_reactions_read_in().await);
                    }
                    idle
                }
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "outbox worker failed; retrying");
                    FIRST_BACKOFF
                }
            };
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(idle) => {}
            }
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = tokio::time::sleep_until(looked + MIN_IDLE_GAP) => {}
            }
        }
        self.record_before_stopping().await;
        tracing::info!("outbox worker stopped");
    }

    /// Whether posts went out that the database could not record (for `/healthz`).
    pub fn unrecorded(&self) -> Unrecorded {
        self.unrecorded.shared()
    }

    /// Delivers the oldest row of each channel (up to [`BATCH`] channels) that is due and whose
    /// channel may have a post now. Posts made but not yet recorded are recorded first: until
    /// they are, nothing new is posted.
    async fn deliver_due(&mut self, stop: &CancellationToken) -> anyhow::Result<Pass> {
        self.record_remembered().await?;
        let now = self.clock.now().timestamp();
        let paced_at = Instant::now();
        let (after, busy) = (self.turn.take(), self.pacer.busy(paced_at));
        let heads = self
            .db
            .read(move |c| store::due_heads(c, now, after.as_ref(), BATCH, &busy))
            .await?;
        self.turn = heads.last;
        if heads.due.is_empty() {
            // Look again when the first head falls due or a busy channel may post.
            let by_clock = heads
                .next_at
                .map(|at| Duration::from_secs((at - now).max(0) as u64));
            let first = [by_clock, self.pacer.next_ready(paced_at)]
                .into_iter()
                .flatten()
                .min();
            let idle = self.idle_poll;
            return Ok(Pass::Wait(first.unwrap_or(idle).min(idle)));
        }
        // Asked again now the posts are chosen: a pitch committed since this pass first asked
        // (its announcement among these posts, its channel noted in the same transaction) has
        // its channel asked about before its announcement goes out; never-asked channels go
        // first, so it is among them unless more than a pass's worth wait. More left to ask
        // waits for the next pass: these posts go now, so a long round of asking (after an
        // upgrade, say) does not hold every post. Nothing due: one read.
        if let Err(e) = self.ask_about_channels(stop).await {
            tracing::error!(
                error = format!("{e:#}"),
                "cannot record whether channels are private; retrying"
            );
        }
        let due = heads.due.into_iter().map(|(key, row)| (Some(key), row));
        self.post_rows(due.collect(), stop).await?;
        Ok(Pass::Again)
    }

    /// Posts `rows` in turn, each recorded before the next is made, passing over a workspace
    /// Slack has told to wait and a channel waiting its second. Returns how long until one
    /// of them may be tried again: the longest wait Slack asked for, or a held workspace's
    /// or channel's (zero: at once).
    ///
    /// One post at a time: a kill can then catch at most one post made and not yet recorded
    /// (Slack has no idempotency key), the window the issue asks to keep small. The price: a
    /// slow answer in one workspace (up to the call's 10 s) delays the posts behind it; one
    /// that never comes holds that workspace's posts (see [`Worker::heed`]), so the next
    /// pass's posts are other workspaces'.
    async fn post_rows(
        &mut self,
        rows: Vec<(Option<ChannelKey>, Result<StoredPost, BadRow>)>,
        stop: &CancellationToken,
    ) -> anyhow::Result<Duration> {
        let mut wait = Duration::ZERO;
        let mut passed_over = HashSet::new();
        for (key, row) in rows {
            if stop.is_cancelled() || self.until.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            let Some(item) = self.readable(row).await? else {
                continue;
            };
            if let Some(held) = self.pacer.held_for(&item.team) {
                // Held since this pass began; its turn comes after the wait.
                wait = wait.max(held);
                continue;
            }
            // Posted to since this pass began (the same channel id owed by another
            // workspace: a shared channel, a Grid person's DMs): passed over, not waited for,
            // or every post behind it in the pass would wait too. Still owed, it is taken
            // when the pacer frees its channel (the next pass sees it busy, and waits no
            // longer). The rest of the pass passes the channel over too, so its posts keep
            // their order. The next walk begins with the first head passed over: each walk
            // otherwise began where this one did, the other workspace's head came first again,
            // and this one waited for that workspace's whole backlog in the channel. So too
            // a channel's lane of corrections passed over for its posts (or these for those):
            // the lanes take turns.
            let ready_in = self.pacer.ready_in(&item.channel);
            if !ready_in.is_zero() || passed_over.contains(&item.channel) {
                if let Some(key) = key.filter(|_| passed_over.is_empty()) {
                    self.turn = Some(key.just_before());
                }
                wait = wait.max(ready_in);
                passed_over.insert(item.channel);
                continue;
            }
            wait = wait.max(self.deliver(item).await?);
        }
        Ok(wait)
    }

    /// What an attempt's `outcome` tells the pacing of `team`'s posts; returns how long
    /// until the post may be tried again. Heeded before the outcome is recorded: a
    /// recording that fails (a full disk) ends the pass, and the post stays owed, so it
    /// would otherwise be sent again a second later all through Slack's `Retry-After`.
    fn heed(&mut self, team: &TeamId, outcome: &Outcome) -> Duration {
        match outcome {
            // No answer in the call's 10 s: the workspace's Slack may be hanging. Its posts
            // are held, one call per wait, the wait growing with the calls unanswered in a
            // row, so other workspaces' posts go meanwhile: each of its other channels spent
            // 10 s in turn, every backoff round, before another workspace's post went. (A
            // 5xx answered at once cost nothing, and holds nothing.)
            Outcome::Retry { after, why } if client::is_unanswered(why) => {
                return (*after).max(self.pacer.hold_unanswered(team));
            }
            // No call made: nothing said of Slack there.
            Outcome::NotAnnounced { .. } | Outcome::NoLongerWanted | Outcome::OutOfHours => {}
            // Slack answered, whatever it said: its calls unanswered in a row are over.
            _ => self.pacer.answered(team),
        }
        match outcome {
            // Honour Retry-After for every post to the workspace, not just this one.
            Outcome::RateLimited(pause) => {
                self.pacer.hold(team, *pause);
                *pause
            }
            // A token Slack refuses is the workspace's: its posts all wait, one call per
            // wait, the wait growing with its refusals in a row (each channel's first
            // post would otherwise start it again at a second).
            Outcome::TokenRefused { after, .. } => {
                let (pause, _) = self.pacer.hold_refused(team, *after);
                pause
            }
            done if done.shows_the_token_works() => {
                self.pacer.token_works(team);
                Duration::ZERO
            }
            Outcome::Retry { after, .. } | Outcome::HttpRefused { after, .. } => *after,
            _ => Duration::ZERO,
        }
    }

    /// Keeps the rows this worker retries away from other workers for `hold` (see
    /// `outbox::queue_for_self`).
    pub fn holding_retries(mut self, hold: Duration) -> Worker {
        self.retry_hold = hold.as_secs() as i64;
        self
    }

    /// Posts the rows `ids` now (for `makers-bot digest --now`), retrying as usual until they
    /// are all delivered or failed, or `within` has passed. Returns how many are still owed.
    pub async fn deliver_now(
        &mut self,
        ids: &[i64],
        within: Duration,
        stop: &CancellationToken,
    ) -> anyhow::Result<usize> {
        let deadline = Instant::now() + within;
        self.until = Some(deadline);
        loop {
            // Posted but not recorded (the server holding the database, a full disk): recorded
            // before what is owed is read, as in `deliver_due`; read first, a post recorded
            // only now would be read as owed and posted again. Until it is, nothing new is
            // posted. A workspace that answered 429 is held here too, its other channels'
            // digests included.
            let recorded = self.record_remembered().await;
            let rows = match self.undelivered(ids).await {
                // Stopped (Ctrl-C) as at the deadline: what is owed is handed back.
                Ok(rows)
                    if !rows.is_empty() && Instant::now() < deadline && !stop.is_cancelled() =>
                {
                    rows
                }
                read => {
                    // What was posted and is still not recorded gets its last tries (and is
                    // logged), as when the server stops; then what is owed is counted again.
                    self.record_before_stopping().await;
                    // Handed back on every way out, a failed read included: a digest left
                    // due later holds its channel's other posts that long.
                    self.leave_to_the_server(ids).await;
                    read?;
                    return Ok(self.undelivered(ids).await?.len());
                }
            };
            let wait = if recorded.is_err() {
                FIRST_BACKOFF
            } else {
                // Its own rows by id: no walk, so no turn to keep.
                let rows = rows.into_iter().map(|row| (None, row)).collect();
                match self.post_rows(rows, stop).await {
                    Ok(wait) => wait,
                    Err(_) if !self.unrecorded.is_empty() => FIRST_BACKOFF,
                    Err(e) => {
                        self.leave_to_the_server(ids).await;
                        return Err(e);
                    }
                }
            };
            let pause = wait.min(deadline.saturating_duration_since(Instant::now()));
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.cancelled() => {}
            }
        }
    }

    /// Makes the rows `ids` still owed due now (or when a 429's `Retry-After` ends), for a
    /// running server to post: queued for this process (`outbox::FOR_SELF_HOLD` ahead) and
    /// retried as far apart, each would otherwise hold up its channel's other posts that long
    /// (a process killed outright hands nothing back, and holds them that long). Not a
    /// post made and not yet recorded: that one would go out twice.
    async fn leave_to_the_server(&self, ids: &[i64]) {
        let left: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|&id| !self.unrecorded.holds(id))
            .collect();
        let (now, hold) = (self.clock.now().timestamp(), self.retry_hold);
        if let Err(e) = self
            .db
            .write(move |tx| store::due_now(tx, &left, hold, now))
            .await
        {
            tracing::warn!(
                error = format!("{e:#}"),
                "owed digests not handed to the server"
            );
        }
    }

    /// [`Outcome::NoLongerWanted`] for a post no longer to be made: a nudge waits with its
    /// channel's other posts (Slack down, a 429), and its project may have had news, or been
    /// retired, meanwhile. A nudge still wanted names its team and project as they are now,
    /// and how long it has been quiet by now.
    async fn no_longer_wanted(&self, item: &mut Item) -> anyhow::Result<Option<Outcome>> {
        let Notice::Nudge {
            number,
            title,
            team,
            quiet_days,
        } = &mut item.notice
        else {
            return Ok(None);
        };
        let (workspace, project) = (item.team.clone(), *number);
        let still_due = self
            .db
            .read(move |c| store::nudge_still_due(c, &workspace, project))
            .await?;
        let Some(due) = still_due else {
            return Ok(Some(Outcome::NoLongerWanted));
        };
        let now = self.clock.now().timestamp();
        // The pitch may have been renamed (`edit`) while the nudge waited, its announcement
        // corrected beside it; it is counted quiet to now, as the scheduler counts it.
        *team = due.team;
        *title = Some(due.title);
        *quiet_days = crate::domain::quiet_days(now, due.last_activity_at);
        // Held (Slack down) into the night or the weekend: it mentions the whole team, so it
        // waits for working hours, queued afresh then, rather than hold the channel's later
        // posts behind it until the morning.
        Ok((!crate::domain::is_working_hours(self.look.tz, now)).then_some(Outcome::OutOfHours))
    }

    /// A join's line says the team as it is when posted if people have left since it was
    /// queued ([`Makeup::when_posted`]).
    ///
    /// [`Makeup::when_posted`]: crate::domain::Makeup::when_posted
    async fn team_as_posted(&self, item: &mut Item) -> anyhow::Result<()> {
        let Notice::Joined {
            project_id, makeup, ..
        } = &mut item.notice
        else {
            return Ok(());
        };
        let id = *project_id;
        let now = self.db.read(move |c| store::team_makeup(c, id)).await?;
        *makeup = makeup.when_posted(now);
        Ok(())
    }

    /// Those of the rows `ids` not yet delivered or failed.
    async fn undelivered(&self, ids: &[i64]) -> anyhow::Result<Vec<Result<StoredPost, BadRow>>> {
        let wanted = ids.to_vec();
        self.db.read(move |c| store::undelivered(c, &wanted)).await
    }

    /// The row as an [`Item`], or `None` after failing it (alone) for being unreadable.
    async fn readable(&self, row: Result<StoredPost, BadRow>) -> anyhow::Result<Option<Item>> {
        let bad = match row {
            Ok(stored) => {
                let id = stored.id;
                match outbox::decode(stored) {
                    Ok(item) => return Ok(Some(item)),
                    Err(why) => BadRow { id, why },
                }
            }
            Err(bad) => bad,
        };
        self.fail_unreadable(bad).await?;
        Ok(None)
    }

    async fn fail_unreadable(&self, bad: BadRow) -> anyhow::Result<()> {
        tracing::error!(
            id = bad.id,
            why = bad.why,
            "outbox row cannot be read; failed alone"
        );
        let now = self.clock.now().timestamp();
        self.db
            .write(move |tx| store::mark_failed(tx, bad.id, &bad.why, now))
            .await
    }

    /// One attempt at `item`, heeded (see [`Worker::heed`]) and recorded; returns how long
    /// until it may be tried again. Called only once every post made earlier is recorded
    /// (`record_remembered`), so `item` is never one of them.
    async fn deliver(&mut self, read: Item) -> anyhow::Result<Duration> {
        // The row as it is now: the pass read it before the posts ahead of it (each up to a
        // slow Slack's 10 s), and a leave may have taken back its join line since, or an
        // edit reworded it. Gone, or no longer owed, it is not posted.
        let wanted = [read.id];
        let now = self.undelivered(&wanted).await?.into_iter().next();
        let Some(mut item) = (match now {
            Some(row) => self.readable(row).await?,
            None => None,
        }) else {
            return Ok(Duration::ZERO);
        };
        self.team_as_posted(&mut item).await?;
        let not_posted = match self.no_longer_wanted(&mut item).await? {
            Some(unwanted) => Some(unwanted),
            None => self.find_thread(&mut item).await?,
        };
        let outcome = match not_posted {
            Some(outcome) => outcome,
            None => {
                self.pacer.wait_for(&item.channel).await;
                self.attempt(&item).await
            }
        };
        let answers_a_forget = handlers::answers_a_forget(&item);
        let wait = self.heed(&item.team, &outcome);
        let forget_answers_given_up = self.settle(item, outcome).await?;
        if answers_a_forget || forget_answers_given_up {
            // Its row named the person and was written again (attempts, a retry time), so
            // copies of it may be in the WAL: emptied again, as after the forget itself. So
            // too when a week of token refusals gave up (deleted) such answers queued.
            self.db.clear_log();
        }
        Ok(wait)
    }

    /// A line queued before its pitch was announced takes the announcement's thread, known
    /// by now: the announcement was queued first in this channel, and a channel's posts go in
    /// order. If it is not posted, nothing is (`handlers::delivered` decides what follows).
    async fn find_thread(&self, item: &mut Item) -> anyhow::Result<Option<Outcome>> {
        let Some(project_id) = item.thread_of.filter(|_| item.thread_ts.is_none()) else {
            return Ok(None);
        };
        let found = self
            .db
            .read(move |c| store::announcement_of(c, project_id))
            .await?;
        let Some((channel, ts)) = found else {
            return Ok(Some(Outcome::NotAnnounced { project_id }));
        };
        item.channel = channel;
        item.thread_ts = Some(ts);
        Ok(None)
    }

    async fn attempt(&self, item: &Item) -> Outcome {
        // A join queued by an earlier build, before joins waited for Slack to say who reacted.
        if let Notice::Joined {
            user,
            known_person: false,
            ..
        } = &item.notice
        {
            match self.is_bot(item, user).await {
                Ok(false) => {}
                Ok(true) => return Outcome::JoinerIsBot,
                Err(e) => {
                    return classify::this_method_only(
                        classify(e, item.attempts, item.http_refusals),
                        "users.info",
                    );
                }
            }
        }
        let corrects = match &item.notice {
            Notice::AnnouncementCorrected { body, .. } => Some(Some(body.project_id)),
            Notice::UpdateCorrected { .. } => Some(None),
            _ => None,
        };
        let rendered = unless_it_panics(|| {
            let content = render::notice_message(&item.notice, &self.look);
            match item.thread_ts {
                // Slash commands cannot be typed in a thread; a mention of the bot can.
                // (Not a correction's: `correct` edits the post with the message as made.)
                Some(_) if corrects.is_none() => render::for_a_thread(&item.notice, content),
                _ => content,
            }
        });
        let Some(content) = rendered else {
            return Outcome::Failed(RENDER_PANICKED.into());
        };
        if let Some(project) = corrects {
            return self.correct(item, project, content).await;
        }
        let result = match &item.only_for {
            Some(user) => self
                .api
                .post_ephemeral(
                    &item.team,
                    &item.channel,
                    item.thread_ts.as_ref(),
                    user,
                    content,
                )
                .await
                // An ephemeral message has no ts; record the row id in its place.
                .map(|()| ephemeral_ts(item.id)),
            None => {
                self.api
                    .post_message(&item.team, &item.channel, item.thread_ts.as_ref(), content)
                    .await
            }
        };
        match result {
            Ok(ts) => Outcome::Delivered(ts),
            Err(CallError::Api(code)) if NOT_IN_CHANNEL.contains(&code.as_str()) => {
                self.try_to_join(item, code).await
            }
            // A private answer to someone not in the channel (previewing it): it goes to
            // their messages with the bot instead (see `handlers::delivered`).
            Err(CallError::Api(code))
                if code == "user_not_in_channel" && item.only_for.is_some() =>
            {
                Outcome::NotInChannel(code)
            }
            Err(e) => classify::classify_post(e, item.attempts, item.http_refusals),
        }
    }

    /// Replaces the message whose ts is `item`'s thread with `content` (`chat.update`): project
    /// `project_id`'s announcement (`find_thread` has found it, or ended the row), or an
    /// update's line (`None`: queued with its ts).
    async fn correct(
        &self,
        item: &Item,
        project_id: Option<i64>,
        content: slack_morphism::prelude::SlackMessageContent,
    ) -> Outcome {
        let Some(ts) = item.thread_ts.as_ref() else {
            return match project_id {
                Some(project_id) => Outcome::NotAnnounced { project_id },
                None => Outcome::Failed("no message to correct".to_string()),
            };
        };
        match self
            .api
            .update_message(&item.team, &item.channel, ts, content)
            .await
        {
            Ok(()) => Outcome::Delivered(ts.clone()),
            // Not worth joining a channel for: it waits for an invitation, as a line does.
            Err(CallError::Api(code)) if NOT_IN_CHANNEL.contains(&code.as_str()) => {
                Outcome::NotInChannel(code)
            }
            Err(e) => classify::this_method_only(
                classify::classify_post(e, item.attempts, item.http_refusals),
                "chat.update",
            ),
        }
    }

    /// Joins a public channel the bot is not in, so an announcement can go out after all.
    /// Slack saying "not in channel" again after a join (a channel Slack lets the bot join
    /// but not post in, or not yet) is tried again after a while, and after [`JOIN_TRIES`]
    /// joins the post waits for an invitation, its pitcher told: retried at once, it looped
    /// as fast as Slack answered, its channel's posts behind it. Joins are counted apart from
    /// tries: a post may have waited out Slack being down first (a first digest bounded by
    /// its tries after a 25-minute outage never joined, and its channel was unsubscribed).
    /// A row from a build that did not count them counts them from now on.
    async fn try_to_join(&self, item: &Item, code: String) -> Outcome {
        if !item.notice.is_worth_joining_a_channel_for() || item.joins >= JOIN_TRIES {
            return Outcome::NotInChannel(code);
        }
        match self.api.join_channel(&item.team, &item.channel).await {
            Ok(()) => Outcome::Joined {
                after: match item.joins {
                    0 => Duration::ZERO,
                    n => classify::backoff(n - 1),
                },
                code,
            },
            // Slack's hiccup, a rate limit, an archived channel or a refused token is what it
            // says (a digest's channel was stopped for a hiccup); any other refusal to
            // join (a private channel, one the bot cannot see, an install without
            // `channels:join`) means waiting to be invited.
            Err(e) => {
                let refused = matches!(e, CallError::Api(_));
                match classify(e, item.attempts, item.http_refusals) {
                    Outcome::Failed(_) if refused => Outcome::NotInChannel(code),
                    // Its rate limit is its own: the workspace's other posts go on.
                    outcome => classify::this_method_only(outcome, "conversations.join"),
                }
            }
        }
    }
}

fn ephemeral_ts(id: i64) -> MessageTs {
    MessageTs::parse(&format!("ephemeral.{id}")).expect("digits and a dot are a valid ts")
}

/// Why a post whose rendering panicked was given up.
const RENDER_PANICKED: &str = "render_panicked";

/// `f`'s value, or `None` (logged) if it panicked: a notice's rendering is the worker's own
/// work outside the database's jobs (which catch a panic as an error), and the worker, which
/// nothing restarts, would stop every post behind it until the next start. No input is known
/// to make it panic; if one does, that post alone is given up.
fn unless_it_panics<T>(f: impl FnOnce() -> T) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(_) => {
            tracing::error!("rendering a post panicked: given up, the posts behind it go on");
            None
        }
    }
}

#[cfg(test)]
mod panic_tests {
    use super::*;

    #[test]
    fn a_panic_while_rendering_gives_that_post_up_and_the_worker_goes_on() {
        assert_eq!(unless_it_panics(|| 7), Some(7));
        let panicked: Option<()> = unless_it_panics(|| panic!("a fault of ours"));
        assert_eq!(panicked, None);
        assert_eq!(unless_it_panics(|| "after"), Some("after"));
    }
}
