//! `user_change` at the edge: a deactivation (`handlers::left_slack`) and a change saying an
//! account is active (`handlers::back_in_slack`), which come to the same whichever the bot
//! handles first.
//!
//! A change saying an account is active is read first, on a reader: nearly all are a status
//! or a name, with nothing to write. That read misses a deactivation raised before it but not
//! yet committed (waiting for the writer, another process holding its lock; or delivered
//! after it, Slack retrying), which would then stay noted though Slack said last that the
//! account is active. So each is heard in memory ([`ActiveHeard`]) before its read, and a
//! deactivation looks at what was heard as its write runs, and again once it has committed:
//! - heard before the write ran: the write undoes its own note (`DeactivationTimes`);
//! - heard after that, before the second look: a write of its own undoes it;
//! - heard after the second look: its read comes after the commit, and finds the note.
//!
//! A change of someone never noted still costs a read and no write.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::answer::Answer;
use super::routes::Routes;
use crate::domain::{TeamId, UserId};
use crate::handlers;

/// How long a change saying an account is active is kept in memory: longer than a
/// deactivation takes to reach the writer, and than Slack's retries of a delivery that failed
/// (at once, after a minute, after five).
const HEARD_KEPT: Duration = Duration::from_secs(10 * 60);

/// How often what is kept is looked through for changes older than [`HEARD_KEPT`].
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// When Slack last said each person's account is active (its `event_time`, unix seconds), as
/// heard by this process in the last [`HEARD_KEPT`]: one entry a person, at most.
#[derive(Clone, Default)]
pub struct ActiveHeard(Arc<Mutex<Heard>>);

#[derive(Default)]
struct Heard {
    /// The latest time said, and when it was last heard.
    latest: HashMap<UserId, (i64, Instant)>,
    pruned: Option<Instant>,
}

impl ActiveHeard {
    /// Slack said `user`'s account is active as of `at`.
    fn heard(&self, user: &UserId, at: i64) {
        let now = Instant::now();
        let mut heard = self.locked();
        if heard
            .pruned
            .is_none_or(|then| now.duration_since(then) >= PRUNE_EVERY)
        {
            heard
                .latest
                .retain(|_, (_, when)| now.duration_since(*when) < HEARD_KEPT);
            heard.pruned = Some(now);
        }
        let kept = heard.latest.entry(user.clone()).or_insert((at, now));
        *kept = (kept.0.max(at), now);
    }

    /// What is kept; a panic elsewhere while it was held leaves plain values, so a poisoned
    /// lock is taken over.
    fn locked(&self) -> std::sync::MutexGuard<'_, Heard> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The latest time Slack said `user`'s account is active, if heard lately.
    fn of(&self, user: &UserId) -> Option<i64> {
        let heard = self.locked();
        heard.latest.get(user).map(|(at, _)| *at)
    }
}

impl Routes {
    /// A person's account deactivated (raised by Slack at `raised_at`, if it says): out of
    /// the workspace's teams (see `handlers::left_slack`); `Retry` if nothing could be
    /// recorded.
    pub(super) async fn left_slack(
        &self,
        team: TeamId,
        event_id: String,
        user: UserId,
        raised_at: Option<i64>,
    ) -> Answer {
        let heard_us = self.clock.now().timestamp_micros();
        let (id, active, leaving) = (event_id.clone(), self.active.clone(), user.clone());
        let written = self
            .db
            .write(move |tx| {
                // Looked at as the write runs, not before it waits for the writer (a rerun
                // looks again, and says what it weighed).
                let active_as_of = active.of(&leaving);
                let when = handlers::DeactivationTimes {
                    heard_us,
                    raised_at,
                    active_as_of,
                };
                let applied = handlers::left_slack(tx, &team, &leaving, &event_id, when)?;
                // A redelivery weighs nothing (its first delivery noted, and weighed then).
                Ok((applied, active_as_of.filter(|_| applied)))
            })
            .await;
        let seen = match written {
            Ok((applied, seen)) => {
                if applied {
                    self.outbox.notify_one();
                }
                seen
            }
            Err(e) => {
                tracing::error!(event_id = id, error = format!("{e:#}"), "event failed");
                return Answer::Retry;
            }
        };
        // Heard between the look and the commit, and maybe read before the commit: undone
        // here. (Were this to fail, the redelivery looks again.) Said active before this
        // deactivation, it would undo nothing.
        match self.active.of(&user) {
            Some(at) if Some(at) > seen && raised_at.is_none_or(|left| at >= left) => {
                self.back_in_slack(user, Some(at)).await
            }
            _ => Answer::Done,
        }
    }

    /// An active account: a deactivation noted of theirs goes. Read first, on a reader, since
    /// nearly every such event is a status or a name and there is nothing to write; applied
    /// again on a redelivery, which changes nothing.
    pub(super) async fn in_slack(&self, user: UserId, raised_at: Option<i64>) -> Answer {
        // Heard before the read, for a deactivation the read cannot see yet (see above).
        let at = raised_at.unwrap_or_else(|| self.clock.now().timestamp());
        self.active.heard(&user, at);
        let asked = user.clone();
        match self
            .db
            .read(move |c| handlers::left_slack_noted(c, &asked))
            .await
        {
            Ok(false) => Answer::Done,
            Ok(true) => self.back_in_slack(user, raised_at).await,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "cannot read a deactivation");
                Answer::Retry
            }
        }
    }

    /// Slack said `user`'s account is active as of `at`: a deactivation noted before goes.
    async fn back_in_slack(&self, user: UserId, at: Option<i64>) -> Answer {
        match self
            .db
            .write(move |tx| handlers::back_in_slack(tx, &user, at))
            .await
        {
            Ok(_) => Answer::Done,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "cannot note an account active");
                Answer::Retry
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_time_said_is_kept_whatever_order_it_is_heard_in() {
        let (heard, dan) = (ActiveHeard::default(), UserId::parse("U0DAN").unwrap());
        assert_eq!(heard.of(&dan), None);
        heard.heard(&dan, 200);
        heard.heard(&dan, 100);
        assert_eq!(
            heard.of(&dan),
            Some(200),
            "a change raised earlier, heard later"
        );
        heard.heard(&dan, 300);
        assert_eq!(heard.of(&dan), Some(300));
        assert_eq!(heard.of(&UserId::parse("U0BOB").unwrap()), None);
    }
}
