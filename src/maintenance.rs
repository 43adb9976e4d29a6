//! Housekeeping inside `serve`: forget processed event ids, and when memberships last
//! changed, once Slack can no longer retry them (it retries within minutes, and delivers
//! nothing more than a few hours late); posts settled a month ago (what was said is in
//! Slack; the row only says it went out), and posts that waited a season for an invitation;
//! used install-link states once expired; deactivations noted three days ago of people in
//! no retired team any more; "did you mean…?" council offers nobody answered in three days;
//! and reactions Slack never said, in a week, were a person's.

use std::time::Duration;

use crate::clock::SharedClock;
use tokio_util::sync::CancellationToken;

use crate::domain::retention;
use crate::store;
use crate::store::AsyncStore;

/// How long an event id is remembered.
const EVENT_ID_RETENTION: Duration = Duration::from_secs(store::EVENT_IDS_KEPT_SECS as u64);
/// How long when someone last joined or left a team is remembered: it only orders Slack's
/// deliveries, so as long as an event id.
const MEMBERSHIP_CHANGE_RETENTION: Duration = EVENT_ID_RETENTION;
/// How long a delivered (or finally failed) post's row is kept: long enough to look into a
/// complaint about a post, short enough that the file keeps no history of every message.
const OUTBOX_RETENTION: Duration = Duration::from_secs(retention::secs(retention::SENT_POSTS_DAYS));
/// How long a post waits for the bot to be invited to its channel: a season. Past it, the
/// news is too old to post as new, and the row (which may name people) is not kept for ever.
const PARKED_RETENTION: Duration =
    Duration::from_secs(retention::secs(retention::PARKED_POSTS_DAYS));
/// How long a "did you mean…?" council offer waits for its answer.
const COUNCIL_OFFER_RETENTION: Duration =
    Duration::from_secs(retention::secs(retention::COUNCIL_OFFER_DAYS));
/// How long a reaction waits for Slack to say it was a person's.
const PENDING_JOINS_RETENTION: Duration =
    Duration::from_secs(retention::secs(retention::PENDING_JOINS_DAYS));
/// How often to prune.
const EVERY: Duration = Duration::from_secs(3600);

/// Prunes at start, then every hour, until `stop`.
pub async fn run(db: AsyncStore, clock: SharedClock, stop: CancellationToken) {
    loop {
        let ago = |kept: Duration| clock.now().timestamp() - kept.as_secs() as i64;
        let before = ago(EVENT_ID_RETENTION);
        prune(&db, "old event ids", move |tx| {
            store::prune_events(tx, before)
        })
        .await;
        let before = ago(MEMBERSHIP_CHANGE_RETENTION);
        prune(&db, "old membership changes", move |tx| {
            store::prune_membership_changes(tx, before)
        })
        .await;
        let (before, parked_before) = (ago(OUTBOX_RETENTION), ago(PARKED_RETENTION));
        let now = clock.now().timestamp();
        prune(&db, "settled posts", move |tx| {
            store::prune_outbox(tx, before, parked_before, now)
        })
        .await;
        prune(&db, "expired install-link states", move |tx| {
            store::prune_states(tx, now)
        })
        .await;
        let before = ago(EVENT_ID_RETENTION);
        prune(&db, "deactivations no longer needed", move |tx| {
            store::prune_left_slack(tx, before)
        })
        .await;
        let before = ago(COUNCIL_OFFER_RETENTION);
        prune(&db, "council offers nobody answered", move |tx| {
            store::prune_council_offers(tx, before)
        })
        .await;
        let before_us = ago(PENDING_JOINS_RETENTION).saturating_mul(1_000_000);
        prune(
            &db,
            "reactions Slack never said were a person's",
            move |tx| store::prune_pending_joins(tx, before_us),
        )
        .await;
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
}

/// Runs one pruning write, and logs what it forgot (nothing when there was nothing) or why
/// it could not: the next hour tries again.
async fn prune(
    db: &AsyncStore,
    what: &'static str,
    write: impl FnMut(&rusqlite::Transaction) -> anyhow::Result<usize> + Send + 'static,
) {
    match db.write(write).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(pruned = n, "forgot {what}"),
        Err(e) => tracing::warn!(error = format!("{e:#}"), "could not prune {what}"),
    }
}
