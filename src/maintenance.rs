//! Housekeeping inside `serve`: forget processed event ids, and when memberships last
//! changed, once Slack can no longer retry them (it retries within minutes, and delivers
//! nothing more than a few hours late); posts settled a month ago (what was said is in
//! Slack; the row only says it went out); and used install-link states once expired.

use std::time::Duration;

use crate::clock::SharedClock;
use tokio_util::sync::CancellationToken;

use crate::store;
use crate::store::AsyncStore;

/// How long an event id is remembered.
const EVENT_ID_RETENTION: Duration = Duration::from_secs(3 * 24 * 3600);
/// How long when someone last joined or left a team is remembered: it only orders Slack's
/// deliveries, so as long as an event id.
const MEMBERSHIP_CHANGE_RETENTION: Duration = EVENT_ID_RETENTION;
/// How long a delivered (or finally failed) post's row is kept: long enough to look into a
/// complaint about a post, short enough that the file keeps no history of every message.
const OUTBOX_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);
/// How often to prune.
const EVERY: Duration = Duration::from_secs(3600);

/// Prunes at start, then every hour, until `stop`.
pub async fn run(db: AsyncStore, clock: SharedClock, stop: CancellationToken) {
    loop {
        let before = clock.now().timestamp() - EVENT_ID_RETENTION.as_secs() as i64;
        match db.write(move |tx| store::prune_events(tx, before)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "forgot old event ids"),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "could not prune event ids"),
        }
        let before = clock.now().timestamp() - MEMBERSHIP_CHANGE_RETENTION.as_secs() as i64;
        match db
            .write(move |tx| store::prune_membership_changes(tx, before))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "forgot old membership changes"),
            Err(e) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "could not prune membership changes"
                )
            }
        }
        let before = clock.now().timestamp() - OUTBOX_RETENTION.as_secs() as i64;
        match db.write(move |tx| store::prune_outbox(tx, before)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "forgot settled posts"),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "could not prune the outbox"),
        }
        let now = clock.now().timestamp();
        match db.write(move |tx| store::prune_states(tx, now)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "forgot expired install-link states"),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "could not prune OAuth states"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
}
