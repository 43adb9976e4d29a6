//! Who reacted: a join by reaction from someone not yet known waits (a pending join) until
//! `users.info` says whether they are a person. Asked here, by the outbox worker, before it
//! posts (a person's join queues its thread line, which the same pass then posts). The same
//! question, asked once per person and remembered, decides whether a join notice goes out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Worker;
use crate::domain::{Account, TeamId, UserId};
use crate::outbox::Item;
use crate::slack::client::TOKEN_REFUSED;
use crate::slack::client::{CallError, RETRY_AFTER_UNSAID, SlackApi};
use crate::store;

/// After a failed `users.info` (timeout, 5xx), ask again in that workspace no sooner than this.
const ASK_AGAIN_AFTER: Duration = Duration::from_secs(30);
/// Reactors asked about per pass of the worker: the posts wait while it asks.
const ASK_PER_PASS: usize = 5;

/// Per workspace, until when (clock seconds) `users.info` is not to be called: Slack's
/// `Retry-After` for the method, or a failure, holds for every reactor there, not just the
/// one asked about.
#[derive(Default)]
pub(super) struct Holds(Mutex<HashMap<TeamId, i64>>);

impl Holds {
    /// Until when `team` is held, if it is at `now`.
    pub(super) fn until(&self, team: &TeamId, now: i64) -> Option<i64> {
        let held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        held.get(team).copied().filter(|until| *until > now)
    }

    /// Holds `team` until `until`; holds over by `now` are forgotten.
    pub(super) fn hold(&self, team: &TeamId, now: i64, until: i64) {
        let mut held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|_, at| *at > now);
        held.insert(team.clone(), until);
    }
}

impl Worker {
    /// Asks Slack about up to [`ASK_PER_PASS`] reactors due to be asked, and records each
    /// answer. Stops at the first failure (Slack slow, down or limiting the rate), leaving the
    /// rest due for a later pass, so the posts are not held up by one timeout after another;
    /// the failure holds that workspace's asking for a while, so later passes do not spend
    /// a call on each of its reactors in turn while other workspaces' wait behind them.
    /// True if it stopped at the limit (more may be due). Stopping, it asks nothing more:
    /// the reactors it did not ask about stay pending, for the next start.
    pub(super) async fn ask_about_reactors(
        &mut self,
        stop: &CancellationToken,
    ) -> anyhow::Result<bool> {
        let mut asked = 0;
        while asked < ASK_PER_PASS {
            if stop.is_cancelled() {
                return Ok(false);
            }
            let now = self.clock.now().timestamp();
            let Some((team, user)) = self
                .db
                .read(move |c| store::next_unknown_reactor(c, now))
                .await?
            else {
                return Ok(false);
            };
            asked += 1;
            let refused = self
                .pacer
                .refused_for(&team)
                .map(|wait| seconds_after(now, wait));
            if let Some(until) = self.asking_held.until(&team, now).or(refused) {
                // Slack said to wait in this workspace, or failed there, or refuses its token
                // (its posts wait too): this reactor is asked after that.
                self.db
                    .write(move |tx| store::ask_again_at(tx, &team, &user, until))
                    .await?;
                continue;
            }
            let account = match self.ask(&team, &user, now).await {
                Ok(account) => account,
                // The workspace removed the app (an event of its came late, or through a
                // shared channel): nobody can be asked, and nothing posted, there. Its joins
                // waiting to be asked about go, as the removal dropped those before it.
                Err(CallError::NotInstalled) => {
                    tracing::info!(%team, "workspace not installed: its pending joins dropped");
                    self.db
                        .write(move |tx| store::drop_pending_joins(tx, &team))
                        .await?;
                    continue;
                }
                // The workspace's token refused: asked again as its posts are tried, the wait
                // growing with the refusals in a row, and given up with them after a week.
                Err(CallError::Api(code)) if TOKEN_REFUSED.contains(&code.as_str()) => {
                    let (wait, _) = self.pacer.hold_refused(&team, ASK_AGAIN_AFTER);
                    let at = seconds_after(now, wait);
                    let refused = team.clone();
                    let dropped = self
                        .db
                        .write(move |tx| {
                            crate::handlers::reactor_token_refused(tx, &team, &user, now, at)
                        })
                        .await?;
                    // Named, as the posts path names it: often the only line about it. Its
                    // joins given up for good is an error, as the posts given up are.
                    if dropped {
                        tracing::error!(team = %refused, code, "token refused asking who reacted: its joins waiting a week are dropped");
                    } else {
                        tracing::warn!(team = %refused, code, "token refused asking who reacted");
                    }
                    return Ok(false);
                }
                Err(e) => {
                    tracing::warn!(%team, %user, error = %e, "cannot ask who reacted; asking later");
                    // A 429 held the workspace (see `ask`): asked again when that ends, not
                    // woken for before it. Any other failure (a 5xx, `internal_error`, no
                    // answer in 10 s) holds the workspace's asking till then too, as a failed
                    // `conversations.info` or `reactions.get` does: its other reactors are put
                    // off without a call, and another workspace's are asked meanwhile (each
                    // pass asked its next reactor, and failed, first).
                    let at = self.asking_held.until(&team, now).unwrap_or_else(|| {
                        let until = seconds_after(now, ASK_AGAIN_AFTER);
                        self.asking_held.hold(&team, now, until);
                        until
                    });
                    self.db
                        .write(move |tx| store::ask_again_at(tx, &team, &user, at))
                        .await?;
                    return Ok(false);
                }
            };
            let settled = team.clone();
            let joined = self
                .db
                .write(move |tx| crate::handlers::person_known(tx, &team, &user, account, now))
                .await?;
            // Named, as the failures above are: the line is about one workspace.
            tracing::info!(team = %settled, ?account, joined, "reactor's pending joins settled");
        }
        Ok(true)
    }

    /// How long until the next reactor is due to be asked about ([`Duration::MAX`] if nobody
    /// waits, or the store cannot say: the worker then waits as it would have).
    pub(super) async fn next_reactor_in(&self) -> Duration {
        let now = self.clock.now().timestamp();
        let next = self.db.read(store::next_reactor_at).await;
        due_in(now, next, "reactors")
    }

    /// Asks Slack once per person whether they are a bot, and remembers the answer (settling
    /// any joins of theirs by reaction that were waiting for it). A deactivated account is
    /// not a person to join either, and is asked about again should it react again.
    pub(super) async fn is_bot(&self, item: &Item, user: &UserId) -> Result<bool, CallError> {
        let transient = |e: anyhow::Error| CallError::Transient(format!("{e:#}"));
        let (team, who) = (item.team.clone(), user.clone());
        let known = self
            .db
            .read(move |c| store::is_bot(c, &team, &who))
            .await
            .map_err(transient)?;
        if let Some(known) = known {
            return Ok(known);
        }
        let now = self.clock.now().timestamp();
        if let Some(until) = self.asking_held.until(&item.team, now) {
            let retry_after = Duration::from_secs((until - now).max(1) as u64);
            return Err(CallError::RateLimited { retry_after });
        }
        let account = self.ask(&item.team, user, now).await?;
        let (team, who, now) = (
            item.team.clone(),
            user.clone(),
            self.clock.now().timestamp(),
        );
        self.db
            .write(move |tx| crate::handlers::person_known(tx, &team, &who, account, now))
            .await
            .map_err(transient)?;
        Ok(account != Account::Person)
    }
}

impl Worker {
    /// [`ask_if_bot`], remembering a rate limit for the whole workspace.
    async fn ask(&self, team: &TeamId, user: &UserId, now: i64) -> Result<Account, CallError> {
        let answer = ask_if_bot(&self.api, team, user).await;
        if let Err(CallError::RateLimited { retry_after }) = &answer {
            // Rounded up: `now` is whole seconds, and the wait must not end early.
            let until = seconds_after(now, *retry_after).saturating_add(1);
            self.asking_held.hold(team, now, until);
        }
        answer
    }
}

/// How long from `now` until `next` (clock seconds), [`Duration::MAX`] if nothing is due or
/// the store could not say (logged, naming `what`: the worker then waits as it would have).
pub(super) fn due_in(now: i64, next: anyhow::Result<Option<i64>>, what: &str) -> Duration {
    match next {
        // At least a second: a row the pass cannot read (a hand-edited id) stays due, and
        // must not make the worker spin.
        Ok(Some(at)) => Duration::from_secs(at.saturating_sub(now).max(1) as u64),
        Ok(None) => Duration::MAX,
        Err(e) => {
            tracing::warn!(error = format!("{e:#}"), "cannot read when {what} are due");
            Duration::MAX
        }
    }
}

/// `now` plus `wait` in whole clock seconds (at least one), however long a wait Slack (or
/// something posing as it) asks for.
pub(super) fn seconds_after(now: i64, wait: Duration) -> i64 {
    let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX).max(1);
    now.saturating_add(secs)
}

/// Whether `user` is a person, a bot or deactivated, by `users.info`. Slack refusing to say for good (`missing_scope`
/// on an install made before `users:read` was asked for, a user it will not show) counts as
/// a person: a person is far likelier than a bot. Anything else stays an error, to be tried
/// again, the join still pending: Slack's hiccups (`internal_error`, …) say nothing about the
/// user, and taken for "a person" they let a bot in for good. A rate limit said in the body
/// is the workspace's, as a 429 is (30 s, as with no `Retry-After`): taken for a hiccup, the
/// next reactor was asked about at the next pass.
async fn ask_if_bot(
    api: &SlackApi,
    team: &crate::domain::TeamId,
    user: &UserId,
) -> Result<Account, CallError> {
    match api.user_account(team, user).await {
        Err(CallError::Api(code)) if CANNOT_SAY.contains(&code.as_str()) => {
            tracing::warn!(%user, code, "users.info refused; treating them as a person");
            Ok(Account::Person)
        }
        // The workspace's token refused: a join line waits with the workspace's posts (see
        // `Outcome::TokenRefused`), not on its own retries.
        Err(CallError::Api(code)) if TOKEN_REFUSED.contains(&code.as_str()) => {
            Err(CallError::Api(code))
        }
        Err(e) if e.says_rate_limited() => Err(CallError::RateLimited {
            retry_after: RETRY_AFTER_UNSAID,
        }),
        Err(CallError::Api(code)) => Err(CallError::Transient(code)),
        answer => answer,
    }
}

/// `users.info`'s refusals that will not change however often it is asked.
const CANNOT_SAY: &[&str] = &[
    "missing_scope",
    "user_not_found",
    "user_not_visible",
    "not_allowed_token_type",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_whole_seconds_at_least_one_and_never_wraps() {
        assert_eq!(seconds_after(100, Duration::from_millis(300)), 101);
        assert_eq!(seconds_after(100, Duration::from_secs(30)), 130);
        assert_eq!(seconds_after(100, Duration::from_secs(u64::MAX)), i64::MAX);
    }
}
