//! The outbox worker: posts queued messages to Slack, oldest first, and records the outcome.
//!
//! - 429: the row waits `Retry-After`, and so does every post after it (the limit is per
//!   method and workspace, and all our posts are `chat.postMessage`).
//! - Timeouts, connection errors, 5xx: the row is retried with capped exponential backoff.
//! - `not_in_channel` / `channel_not_found` on an announcement: join the channel if it is
//!   public and try again; otherwise park the row until the bot is invited and tell the
//!   pitcher privately how to invite it. The project stays recorded either way.
//! - Any other Slack error: the row is marked failed (kept, with the error) and logged.
//!
//! Posts to one channel are paced to Slack's ~1 message a second, with short bursts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::clock::SharedClock;
use crate::db::Db;
use crate::domain::{ChannelId, MessageTs, Notice, UserId};
use crate::handlers::dm;
use crate::slack::client::{CallError, SlackApi};
use crate::slack::render;
use crate::store::{self, OutboxRow};

/// First retry after a transient failure; doubles each attempt up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// With nothing due, look again at least this often (rows may be due by the clock alone).
const IDLE_POLL: Duration = Duration::from_secs(30);
/// Rows taken per look at the outbox.
const BATCH: u32 = 20;
/// Per-channel pacing: at most one post a second in any channel (Slack's guidance, and the
/// digest issue's rule), no bursts.
const CHANNEL_BURST: f64 = 1.0;
const CHANNEL_RATE_PER_SEC: f64 = 1.0;

/// Slack errors that mean "the bot cannot see or post in this conversation".
const NOT_IN_CHANNEL: &[&str] = &["not_in_channel", "channel_not_found"];
/// Slack errors after which a channel's digest subscription is dropped, not retried forever.
const DIGEST_GONE: &[&str] = &["not_in_channel", "channel_not_found", "is_archived"];

pub struct Worker {
    db: Db,
    clock: SharedClock,
    /// Added to every retry time (seconds). A command-line run posting its own rows sets it,
    /// so that a running server's worker never takes a row it is still retrying.
    retry_hold: i64,
    api: SlackApi,
    tz: Tz,
    wake: Arc<Notify>,
    pacer: Pacer,
}

enum Outcome {
    Delivered(MessageTs),
    /// Nothing to post after all (a join that turned out to be a bot's was undone).
    Skipped(&'static str),
    Retry {
        after: Duration,
        why: String,
    },
    /// HTTP 429: this row and every post after it wait `Retry-After`.
    RateLimited(Duration),
    /// The bot cannot post in the channel; park until it is invited.
    WaitForInvite,
    /// A digest channel the bot can no longer post in: unsubscribe it.
    Unsubscribe(String),
    Failed(String),
}

impl Worker {
    pub fn new(db: Db, clock: SharedClock, api: SlackApi, (tz, wake): (Tz, Arc<Notify>)) -> Worker {
        Worker {
            db,
            clock,
            retry_hold: 0,
            api,
            tz,
            wake,
            pacer: Pacer::default(),
        }
    }

    /// Delivers until `stop` is cancelled. A post in flight is finished first.
    pub async fn run(mut self, stop: CancellationToken) {
        while !stop.is_cancelled() {
            let idle = match self.deliver_due(&stop).await {
                Ok(0) => self.idle_time().await,
                Ok(_) => continue,
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
        }
        tracing::info!("outbox worker stopped");
    }

    /// Delivers every row due now; returns how many it handled.
    async fn deliver_due(&mut self, stop: &CancellationToken) -> anyhow::Result<usize> {
        let now = self.clock.now().timestamp();
        let rows = self
            .db
            .read(move |c| store::due_messages(c, now, BATCH))
            .await?;
        let n = rows.len();
        for row in rows {
            if stop.is_cancelled() {
                break;
            }
            self.pacer.wait_for(&row.channel).await;
            let outcome = self.attempt(&row).await;
            let pause = match &outcome {
                Outcome::RateLimited(after) => Some(*after),
                _ => None,
            };
            self.record(row, outcome).await?;
            if let Some(pause) = pause {
                // Honour Retry-After for every post, not just this one.
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
        Ok(n)
    }

    /// Keeps the rows this worker retries away from other workers for `hold` (see
    /// `store::enqueue_for_self`).
    pub fn holding_retries(mut self, hold: Duration) -> Worker {
        self.retry_hold = hold.as_secs() as i64;
        self
    }

    /// Posts the rows `ids` now (for `makers-bot digest --now`), retrying as usual until they
    /// are all delivered or failed, or `within` has passed. Returns how many are still owed.
    pub async fn deliver_now(&mut self, ids: &[i64], within: Duration) -> anyhow::Result<usize> {
        let deadline = Instant::now() + within;
        loop {
            let wanted = ids.to_vec();
            let rows = self
                .db
                .read(move |c| store::undelivered(c, &wanted))
                .await?;
            if rows.is_empty() || Instant::now() >= deadline {
                return Ok(rows.len());
            }
            let mut wait = Duration::ZERO;
            for row in rows {
                self.pacer.wait_for(&row.channel).await;
                let outcome = self.attempt(&row).await;
                if let Outcome::Retry { after, .. } | Outcome::RateLimited(after) = &outcome {
                    wait = wait.max(*after);
                }
                self.record(row, outcome).await?;
            }
            tokio::time::sleep(wait.min(deadline.saturating_duration_since(Instant::now()))).await;
        }
    }

    async fn idle_time(&self) -> Duration {
        let next = self
            .db
            .read(|c| Ok(store::next_due_at(c)?))
            .await
            .ok()
            .flatten();
        let now = self.clock.now().timestamp();
        match next {
            Some(at) if at <= now => Duration::ZERO,
            Some(at) => Duration::from_secs((at - now) as u64).min(IDLE_POLL),
            None => IDLE_POLL,
        }
    }

    async fn attempt(&self, row: &OutboxRow) -> Outcome {
        if let Notice::Joined { user, .. } = &row.notice {
            match self.is_bot(row, user).await {
                Ok(false) => {}
                Ok(true) => return Outcome::Skipped("joiner is a bot"),
                // Slack said no (e.g. missing_scope on an install made before users:read was
                // asked for): a person is far likelier than a bot, so the join stands.
                Err(CallError::Api(code)) => {
                    tracing::warn!(%user, code, "users.info refused; treating the joiner as a person")
                }
                Err(e) => return classify_failure(e, row.attempts),
            }
        }
        let content = render::notice_message(&row.notice, self.tz);
        let result = match &row.notice {
            Notice::Private { user, .. } => self
                .api
                .post_ephemeral(&row.channel, user, content)
                .await
                // An ephemeral message has no ts; record the row id in its place.
                .map(|()| MessageTs::parse(&format!("ephemeral.{}", row.id)).expect("valid")),
            _ => {
                self.api
                    .post_message(&row.channel, row.thread_ts.as_ref(), content)
                    .await
            }
        };
        match result {
            Ok(ts) => Outcome::Delivered(ts),
            Err(CallError::Api(code))
                if matches!(row.notice, Notice::Digest { .. })
                    && DIGEST_GONE.contains(&code.as_str()) =>
            {
                Outcome::Unsubscribe(code)
            }
            Err(CallError::Api(code)) if NOT_IN_CHANNEL.contains(&code.as_str()) => {
                self.try_to_join(row, &code).await
            }
            Err(e) => classify_failure(e, row.attempts),
        }
    }

    /// Asks Slack once per person whether they are a bot, and remembers the answer.
    async fn is_bot(&self, row: &OutboxRow, user: &UserId) -> Result<bool, CallError> {
        let (team, who) = (row.team.clone(), user.clone());
        let known = self
            .db
            .read(move |c| Ok(store::is_bot(c, &team, &who)?))
            .await
            .map_err(|e| CallError::Transient(format!("{e:#}")))?;
        if let Some(known) = known {
            return Ok(known);
        }
        let bot = self.api.user_is_bot(user).await?;
        let (team, who, now) = (row.team.clone(), user.clone(), self.clock.now().timestamp());
        self.db
            .write(move |tx| Ok(store::set_is_bot(tx, &team, &who, bot, now)?))
            .await
            .map_err(|e| CallError::Transient(format!("{e:#}")))?;
        Ok(bot)
    }

    /// Joins a public channel the bot is not in, so an announcement can go out after all.
    async fn try_to_join(&self, row: &OutboxRow, code: &str) -> Outcome {
        if !matches!(row.notice, Notice::Announcement { .. }) {
            return Outcome::WaitForInvite;
        }
        match self.api.join_channel(&row.channel).await {
            Ok(()) => {
                tracing::info!(channel = %row.channel, "joined public channel to announce");
                Outcome::Retry {
                    after: Duration::ZERO,
                    why: format!("{code}; joined the channel"),
                }
            }
            // Private channels (and ones we cannot see) cannot be joined: wait to be invited.
            Err(CallError::Api(_)) => Outcome::WaitForInvite,
            Err(e) => classify_failure(e, row.attempts),
        }
    }

    async fn record(&self, row: OutboxRow, outcome: Outcome) -> anyhow::Result<()> {
        let now = self.clock.now().timestamp();
        let hold = self.retry_hold;
        match &outcome {
            Outcome::Delivered(_) => tracing::debug!(id = row.id, "posted"),
            Outcome::Skipped(why) => tracing::info!(id = row.id, why, "nothing to post"),
            Outcome::Retry { after, why } => {
                tracing::warn!(
                    id = row.id,
                    retry_in_s = after.as_secs(),
                    why,
                    "post will be retried"
                )
            }
            Outcome::WaitForInvite => {
                tracing::warn!(id = row.id, channel = %row.channel, "not in channel; waiting for an invite")
            }
            Outcome::RateLimited(after) => {
                tracing::warn!(
                    id = row.id,
                    retry_after_s = after.as_secs(),
                    "rate limited by Slack"
                )
            }
            Outcome::Failed(why) => tracing::error!(id = row.id, why, "post failed for good"),
            Outcome::Unsubscribe(why) => tracing::warn!(
                id = row.id,
                channel = %row.channel,
                why,
                "cannot post the digest there any more: channel unsubscribed"
            ),
        }
        let (id, delivered_ts) = match &outcome {
            Outcome::Delivered(ts) => (row.id, Some(ts.clone())),
            _ => (row.id, None),
        };
        let recorded = self
            .db
            .write(move |tx| {
                match outcome {
                    Outcome::Delivered(ts) => {
                        after_delivery(tx, &row, &ts, now)?;
                        store::mark_delivered(tx, row.id, &ts, now)?;
                    }
                    Outcome::Skipped(why) => {
                        if let Notice::Joined {
                            project_id, user, ..
                        } = &row.notice
                        {
                            store::drop_member(tx, *project_id, user)?;
                        }
                        store::mark_failed(tx, row.id, why, now)?;
                    }
                    Outcome::Retry { after, why } => {
                        store::reschedule(tx, row.id, now + hold + after.as_secs() as i64, &why)?
                    }
                    Outcome::RateLimited(after) => {
                        let at = now + hold + after.as_secs() as i64;
                        store::reschedule(tx, row.id, at, "rate limited")?
                    }
                    Outcome::WaitForInvite => {
                        store::mark_failed(tx, row.id, store::WAITING_FOR_CHANNEL, now)?;
                        tell_pitcher(tx, &row, now)?;
                    }
                    Outcome::Failed(why) => store::mark_failed(tx, row.id, &why, now)?,
                    Outcome::Unsubscribe(why) => {
                        store::unsubscribe(tx, &row.team, &row.channel)?;
                        store::mark_failed(tx, row.id, &why, now)?;
                    }
                }
                Ok(())
            })
            .await;
        match (recorded, delivered_ts) {
            // The message is in Slack; whatever its follow-ups could not record, it must never
            // be posted again (nor hold up every post behind it).
            (Err(e), Some(ts)) => {
                tracing::error!(
                    id,
                    error = format!("{e:#}"),
                    "posted, but recording its effects failed"
                );
                self.db
                    .write(move |tx| Ok(store::mark_delivered(tx, id, &ts, now)?))
                    .await
            }
            (result, _) => result,
        }
    }
}

/// What a delivered post sets off: an announcement's ts is remembered (reactions find the
/// project by it); a join posted in the thread is told to the pitcher.
fn after_delivery(
    tx: &rusqlite::Connection,
    row: &OutboxRow,
    ts: &MessageTs,
    now: i64,
) -> anyhow::Result<()> {
    match &row.notice {
        Notice::Announcement { project_id, .. } => {
            store::set_announcement(tx, *project_id, &row.channel, ts)?;
        }
        Notice::Joined {
            number,
            title,
            user,
            council,
            makeup,
            pitcher,
            ..
        } if user != pitcher => {
            let news = Notice::TeamNews {
                number: *number,
                title: title.clone(),
                user: user.clone(),
                council: council.clone(),
                makeup: *makeup,
            };
            store::enqueue(tx, &row.team, &dm(pitcher), None, &news, now)?;
        }
        _ => {}
    }
    Ok(())
}

/// Queues a private note to the pitcher of an announcement that cannot be posted yet.
fn tell_pitcher(tx: &rusqlite::Connection, row: &OutboxRow, now: i64) -> anyhow::Result<()> {
    let Notice::Announcement {
        number, pitcher, ..
    } = &row.notice
    else {
        return Ok(());
    };
    let note = Notice::CannotAnnounce {
        number: *number,
        channel: row.channel.clone(),
    };
    store::enqueue(tx, &row.team, &dm(pitcher), None, &note, now)?;
    Ok(())
}

fn classify_failure(e: CallError, attempts: u32) -> Outcome {
    match e {
        CallError::RateLimited { retry_after } => Outcome::RateLimited(retry_after),
        CallError::Transient(why) => Outcome::Retry {
            after: backoff(attempts),
            why,
        },
        // Slack's own hiccups come back as ok:false too.
        CallError::Api(code)
            if matches!(
                code.as_str(),
                "ratelimited"
                    | "internal_error"
                    | "fatal_error"
                    | "service_unavailable"
                    | "request_timeout"
            ) =>
        {
            Outcome::Retry {
                after: backoff(attempts),
                why: code,
            }
        }
        CallError::Api(code) => Outcome::Failed(code),
    }
}

/// 1 s, 2 s, 4 s, … capped at [`MAX_BACKOFF`].
pub fn backoff(attempts: u32) -> Duration {
    FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(attempts.min(16)))
        .min(MAX_BACKOFF)
}

/// A token bucket per channel.
#[derive(Default)]
struct Pacer {
    buckets: HashMap<ChannelId, (f64, Instant)>,
}

impl Pacer {
    async fn wait_for(&mut self, channel: &ChannelId) {
        let now = Instant::now();
        let (tokens, last) = self
            .buckets
            .get(channel)
            .copied()
            .unwrap_or((CHANNEL_BURST, now));
        let refilled = (tokens + now.duration_since(last).as_secs_f64() * CHANNEL_RATE_PER_SEC)
            .min(CHANNEL_BURST);
        if refilled >= 1.0 {
            self.buckets.insert(channel.clone(), (refilled - 1.0, now));
            return;
        }
        let wait = Duration::from_secs_f64((1.0 - refilled) / CHANNEL_RATE_PER_SEC);
        tokio::time::sleep(wait).await;
        self.buckets.insert(channel.clone(), (0.0, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(5), Duration::from_secs(32));
        assert_eq!(backoff(9), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_allows_one_post_a_second_per_channel() {
        let mut pacer = Pacer::default();
        let c = ChannelId::parse("C1").unwrap();
        let start = Instant::now();
        pacer.wait_for(&c).await;
        assert!(start.elapsed() < Duration::from_millis(10));
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(990));
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(1990));
        let other = ChannelId::parse("C2").unwrap();
        let before = Instant::now();
        pacer.wait_for(&other).await;
        assert!(
            before.elapsed() < Duration::from_millis(10),
            "channels are paced apart"
        );
    }
}
