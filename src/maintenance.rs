//! Housekeeping inside `serve`: forget processed event ids once Slack can no longer retry
//! them (it retries within minutes, and delivers nothing more than a few hours late).

use std::time::Duration;

use crate::clock::SharedClock;
use tokio_util::sync::CancellationToken;

use crate::store;
use crate::store::AsyncStore;

/// How long an event id is remembered.
const EVENT_ID_RETENTION: Duration = Duration::from_secs(3 * 24 * 3600);
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
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(EVERY) => {}
        }
    }
}
