//! The scheduler inside `serve`: every tick it asks what is due at the clock's "now" and
//! queues it in the outbox: nudges for quiet projects and weekly digests; and, just after
//! each local midnight, tallies where things stood at the day's end. What was sent is
//! recorded in the same transaction, so a restart never repeats it and a tick missed while the
//! server was down is caught up on the next one; but not a tally, which is of the day just
//! ended or not taken (see `domain::day_to_tally`). Each tick also says, in the log, when
//! Litestream has stopped checkpointing (see `store::LitestreamLate`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::SharedClock;
use crate::domain::Rules;
use crate::handlers;
use crate::store::AsyncStore;

pub struct Scheduler {
    pub db: AsyncStore,
    pub clock: SharedClock,
    pub rules: Arc<Rules>,
    /// Woken when something was queued.
    pub outbox: Arc<Notify>,
    pub tick: Duration,
}

impl Scheduler {
    /// Runs until `stop`.
    pub async fn run(self, stop: CancellationToken) {
        let mut last_page = i64::MIN;
        loop {
            self.tick_once().await;
            self.keep_the_log_moving(&mut last_page).await;
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(self.tick) => {}
            }
        }
    }

    /// One look at what is due now.
    async fn tick_once(&self) {
        let now = self.clock.now().timestamp();
        let rules = self.rules.clone();
        // Writes of their own: one failing (say, a row it cannot read) does not hold up the
        // others.
        let nudges = {
            let rules = rules.clone();
            self.db
                .write(move |tx| handlers::send_due_nudges(tx, now, &rules))
                .await
        };
        let digests = self.send_due_digests(now, rules).await;
        let mut queued = 0;
        for (what, outcome) in [("nudges", nudges), ("digests", digests)] {
            match outcome {
                Ok(n) => queued += n,
                Err(e) => tracing::error!(error = format!("{e:#}"), "cannot send due {what}"),
            }
        }
        if queued > 0 {
            self.outbox.notify_one();
        }
        // Where things stood at the end of the day just ended, for reports of periods over:
        // only in the hour after midnight, worked out on a reader and then recorded.
        if let Some(ended) = crate::domain::day_to_tally(now, self.rules.tz) {
            self.tally(ended, now).await;
        }
        // Said at every tick while it lasts: no backup is being made meanwhile.
        if let Some(late) = self.db.litestream_late(now) {
            tracing::warn!(
                waited_secs = late.waited_secs,
                log_bytes = late.log_bytes,
                "{late}"
            );
        }
    }
    /// The digests due, one a write (see `handlers::send_due_digests_upto`): commands and
    /// presses are answered between them. How many were queued, or the first error.
    async fn send_due_digests(&self, now: i64, rules: Arc<Rules>) -> anyhow::Result<usize> {
        let mut sent = 0;
        loop {
            let rules = rules.clone();
            let due = self
                .db
                .write(move |tx| handlers::send_due_digests_upto(tx, now, &rules, 1))
                .await?;
            sent += due.sent;
            if !due.more {
                return Ok(sent);
            }
        }
    }

    /// Under Litestream, a page written at most once a minute (`last_page`: when the last
    /// was), also when nobody writes: the log then reaches the 1,000 pages at which Litestream
    /// checkpoints (deploy/litestream.yml) within about 17 hours. Each checkpoint starts a new
    /// WAL index, by which Litestream names a snapshot and ends what its retention keeps.
    /// Without, a quiet database's daily snapshot replaced the day before's (no moment before
    /// the latest could be restored), and a forgotten person stayed in the bucket's log
    /// until the index moved on, days or weeks past the 72 hours the README says.
    async fn keep_the_log_moving(&self, last_page: &mut i64) {
        let now = self.clock.now().timestamp();
        if self.db.checkpoints() != crate::store::Checkpoints::Litestream
            || now.saturating_sub(*last_page) < 60
        {
            return;
        }
        *last_page = now;
        if let Err(e) = self.db.can_write(now).await {
            // Said by /healthz (it cannot write either); here once a minute at most.
            tracing::warn!(error = format!("{e:#}"), "cannot write the minute's page");
        }
    }

    /// Works out the tallies due of the day `ended` (`domain::day_to_tally`) on a reader
    /// (tens of milliseconds on a large workspace, which the writer would hold every other
    /// write for), then records them.
    async fn tally(&self, ended: (chrono::NaiveDate, i64), now: i64) {
        let due = match self
            .db
            .read(move |c| crate::store::tallies_due(c, ended))
            .await
        {
            Ok(due) if !due.is_empty() => due,
            Ok(_) => return,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "cannot tally the day's end");
                return;
            }
        };
        match self
            .db
            .write(move |tx| crate::store::record_tallies(tx, &due, now))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(tallies = n, "tallied where things stood at the day's end"),
            Err(e) => tracing::error!(error = format!("{e:#}"), "cannot record the day's tallies"),
        }
    }
}
