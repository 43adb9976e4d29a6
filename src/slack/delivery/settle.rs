//! What follows an attempt at a post: it is recorded (`handlers::delivered` decides what the
//! outcome means), and a post made whose recording fails is remembered, never made again.

use super::{FIRST_BACKOFF, RECORD_AT_STOP, Worker, log};
use crate::handlers::{self, Attempted};
use crate::message::Notice;
use crate::outbox::{Item, Outcome};
use crate::store;

impl Worker {
    /// Posts made but not yet recorded get a few more tries before the process goes: the
    /// memory of them goes with it, and at the next start they would be posted again.
    pub(super) async fn record_before_stopping(&mut self) {
        let until = tokio::time::Instant::now() + RECORD_AT_STOP;
        loop {
            if self.record_remembered().await.is_ok() {
                return;
            }
            if tokio::time::Instant::now() + FIRST_BACKOFF > until {
                break;
            }
            tokio::time::sleep(FIRST_BACKOFF).await;
        }
        for (item, _) in self.unrecorded.waiting() {
            tracing::error!(
                id = item.id,
                channel = %item.channel,
                "stopping with a post made but not recorded: it will be posted again at the next start"
            );
        }
    }

    /// Records the posts made earlier that the database could not record then.
    pub(super) async fn record_remembered(&mut self) -> anyhow::Result<()> {
        for (item, outcome) in self.unrecorded.waiting() {
            let id = item.id;
            // A post made: it gave nothing up.
            self.record(item, outcome).await?;
            self.unrecorded.forget(id);
            tracing::info!(id, "a post made earlier is recorded at last");
        }
        Ok(())
    }

    /// Records what an attempt at `item` came to; a post made whose recording fails is
    /// remembered. Whether answers to a `forget me` were given up (see `record`).
    pub(super) async fn settle(&mut self, item: Item, outcome: Outcome) -> anyhow::Result<bool> {
        log(&item, &outcome);
        if let Outcome::Delivered(_) = outcome {
            match item.notice {
                Notice::Digest { .. } => crate::metrics::metrics().digest_sent(),
                Notice::Nudge { .. } => crate::metrics::metrics().nudge_sent(),
                _ => {}
            }
        }
        match self.record(item.clone(), outcome.clone()).await {
            Ok(forget_answers) => Ok(forget_answers),
            Err(e) => {
                if let Outcome::Delivered(_) = outcome {
                    tracing::error!(
                        id = item.id,
                        error = format!("{e:#}"),
                        "posted, but the database cannot record it: delivery paused, it will not be posted again"
                    );
                    self.unrecorded.remember(item, outcome);
                }
                Err(e)
            }
        }
    }

    /// Records the outcome through `handlers::delivered`. A post Slack accepted is never
    /// posted again, even if recording what follows from it fails: for good (it is then
    /// marked sent alone), or for now (an `Err`, and `settle` remembers it). Whether answers to a
    /// `forget me` were given up with the workspace's posts (`handlers::record_outcome`).
    pub(super) async fn record(&self, item: Item, outcome: Outcome) -> anyhow::Result<bool> {
        let at = Attempted {
            now: self.clock.now().timestamp(),
            retry_hold: self.retry_hold,
        };
        let (id, delivered) = match &outcome {
            Outcome::Delivered(ts) => (item.id, Some(ts.clone())),
            _ => (item.id, None),
        };
        // In the writer's next batch, ahead of queued requests: until it commits, a crash
        // would post this again.
        let recorded = self
            .db
            .write_first(move |tx| handlers::record_outcome(tx, &item, outcome.clone(), at))
            .await;
        match (recorded, delivered) {
            // The lock held past its timeout, a full disk: the whole record is tried again
            // later (`settle` remembers the post). Marking the post sent alone would lose
            // what follows from it for good (an announcement's ts, so its thread and joins).
            (Err(e), Some(_)) if store::is_transient(&e) => Err(e),
            // A failure that would come back at every try (a unique index the follow-ups
            // break): the post is marked sent alone, rather than made again every second.
            (Err(e), Some(ts)) => {
                tracing::error!(
                    id,
                    error = format!("{e:#}"),
                    "posted, but recording its effects failed"
                );
                self.db
                    .write_first(move |tx| store::mark_delivered(tx, id, &ts, at.now))
                    .await
                    .map(|()| false)
            }
            (result, _) => result,
        }
    }
}
