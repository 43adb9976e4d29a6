//! Join reactions made while the bot was out of a channel: Slack sends reaction events only
//! from channels the bot is in, so when it is invited back the channel's open announcements
//! are marked (`store::read_reactions_again`), and the outbox worker reads each one's
//! reactions here (`reactions.get`) and counts those it never heard of
//! (`handlers::reactions_read_again`). Asked as `users.info` and `conversations.info` are:
//! a few per pass, a 429's `Retry-After` holding the workspace, a refused token waiting
//! with the workspace's posts (the wait growing, given up after a week, as theirs are).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Worker;
use super::reactors::{due_in, seconds_after};
use crate::domain::Rules;
use crate::handlers::{self, ReadAgain};
use crate::slack::client::{CallError, RETRY_AFTER_UNSAID, TOKEN_REFUSED};
use crate::store::{self, ToRead};

/// After a failed `reactions.get` (timeout, 5xx, a refused token), ask again no sooner.
const ASK_AGAIN_AFTER: Duration = Duration::from_secs(30);
/// Announcements read per pass of the worker: the posts wait while it reads. (Slack allows
/// `reactions.get` 50 or more a minute, per workspace.)
const READ_PER_PASS: usize = 5;

/// What Slack said of an announcement's reactions, to be recorded.
enum Said {
    /// Who reacted with the join emoji, worked out once (the write may run twice).
    Reactors(ReadAgain),
    /// Nothing, for now: read again at this clock second.
    AskAgainAt(i64),
    /// Nothing, however often it is asked (the message deleted, the bot out of the channel
    /// again, an install without `reactions:read`): not read; the next invitation reads it.
    Never(String),
    /// The workspace removed the app: nothing is to be read there.
    NotInstalled,
    /// The workspace's token refused (Slack's code): read again at this clock second, unless
    /// it has been refused for a week.
    TokenRefused { code: String, at: i64 },
}

impl Worker {
    /// Reads the reactions of up to [`READ_PER_PASS`] announcements due to be read, and counts
    /// them. A failure holds that workspace's reading for a while; other workspaces' go on.
    /// True if it stopped at the limit (more may be due). Without the rules (a command-line
    /// run posting its own rows), nothing is read. Stopping, it reads nothing more: what it
    /// did not read stays due, for the next start.
    pub(super) async fn read_reactions_again(
        &mut self,
        stop: &CancellationToken,
    ) -> anyhow::Result<bool> {
        let Some(rules) = self.rules.clone() else {
            return Ok(false);
        };
        for _ in 0..READ_PER_PASS {
            if stop.is_cancelled() {
                return Ok(false);
            }
            let now = self.clock.now().timestamp();
            // Read before the table: a marking committed meanwhile moves it again.
            let marked = store::reactions_marked();
            if self.known_due(marked).is_some_and(|at| now < at) {
                return Ok(false);
            }
            let (next, due_at) = self
                .db
                .read(move |c| {
                    let next = store::next_reactions_to_read(c, now)?;
                    let at = match next {
                        Some(_) => None,
                        None => store::next_reactions_read_at(c)?,
                    };
                    Ok((next, at))
                })
                .await?;
            // What is read or put off below changes the table: read it again next time.
            self.reread_due = None;
            let read = match next {
                Some(Ok(read)) => read,
                Some(Err(project_id)) => {
                    tracing::warn!(
                        project_id,
                        "an announcement to read cannot be read; dropped"
                    );
                    self.db
                        .write(move |tx| store::reactions_read(tx, project_id))
                        .await?;
                    continue;
                }
                None => {
                    self.reread_due = Some((marked, due_at.unwrap_or(i64::MAX)));
                    return Ok(false);
                }
            };
            // Slack said to wait, or a failure, in this workspace; or its token is refused
            // (its posts wait too): read after that, the others go on.
            let refused = self
                .pacer
                .refused_for(&read.team)
                .map(|wait| seconds_after(now, wait));
            let (project_id, team) = (read.project_id, read.team.clone());
            let said = match self.reactions_held.until(&team, now).or(refused) {
                Some(until) => Said::AskAgainAt(until),
                None => self.ask_reactions(read, &rules, now).await,
            };
            self.db
                .write(move |tx| match &said {
                    Said::Reactors(reactors) => {
                        let went = handlers::reactions_read_again(tx, reactors)?;
                        if went > 0 {
                            store::log_once_committed(move || {
                                tracing::info!(
                                    project_id,
                                    reactors = went,
                                    "join reactions made while the bot was out counted"
                                )
                            });
                        }
                        Ok(())
                    }
                    Said::AskAgainAt(at) => store::read_reactions_at(tx, project_id, *at),
                    Said::Never(code) => {
                        let code = code.clone();
                        store::log_once_committed(move || {
                            tracing::warn!(project_id, code, "reactions.get refused; not read")
                        });
                        store::reactions_read(tx, project_id)
                    }
                    Said::NotInstalled => store::drop_reactions_to_read(tx, &team).map(|_| ()),
                    Said::TokenRefused { code, at } => {
                        let dropped =
                            handlers::reactions_token_refused(tx, &team, project_id, now, *at)?;
                        let (team, code) = (team.clone(), code.clone());
                        // Named, as the posts path names it; given up for good is an error,
                        // as the posts given up are.
                        store::log_once_committed(move || {
                            if dropped {
                                tracing::error!(%team, code, "token refused reading join reactions again: its announcements waiting a week go unread");
                            } else {
                                tracing::warn!(%team, code, "token refused reading join reactions again");
                            }
                        });
                        Ok(())
                    }
                })
                .await?;
        }
        Ok(true)
    }

    /// Asks Slack for `read`'s reactions, remembering a rate limit or a failure for its whole
    /// workspace.
    async fn ask_reactions(&mut self, read: ToRead, rules: &Arc<Rules>, now: i64) -> Said {
        let team = read.team.clone();
        let answer = self.api.reactions(&team, &read.channel, &read.ts).await;
        let held = |wait: Duration| {
            let until = seconds_after(now, wait);
            self.reactions_held.hold(&team, now, until);
            Said::AskAgainAt(until)
        };
        match answer {
            Ok(reactions) => {
                let at = self.clock.now();
                Said::Reactors(handlers::join_reactors(read, reactions, at, rules))
            }
            Err(CallError::NotInstalled) => Said::NotInstalled,
            // Rounded up, as for `users.info`: the wait must not end early. A limit said in
            // the answer is the workspace's too (30 s, as with no `Retry-After`).
            Err(CallError::RateLimited { retry_after }) => held(retry_after + SECOND),
            Err(e) if e.says_rate_limited() => held(RETRY_AFTER_UNSAID + SECOND),
            Err(CallError::Api(code)) if NEVER.contains(&code.as_str()) => Said::Never(code),
            // The workspace's token refused: read again as its posts are tried, the wait
            // growing with the refusals in a row (was every 30 s, for ever), its posts held
            // as long; given up with them after a week (see `reactions_token_refused`).
            Err(CallError::Api(code)) if TOKEN_REFUSED.contains(&code.as_str()) => {
                let (wait, _) = self.pacer.hold_refused(&team, ASK_AGAIN_AFTER);
                Said::TokenRefused {
                    code,
                    at: seconds_after(now, wait),
                }
            }
            // Slack slow or down, …: this workspace is read again later,
            // and held till then, so its other announcements cost no call meanwhile.
            Err(e) => {
                tracing::warn!(channel = %read.channel, error = %e, "cannot read an announcement's reactions");
                held(ASK_AGAIN_AFTER)
            }
        }
    }

    /// How long until the next announcement is due to be read ([`Duration::MAX`] if none
    /// waits, or the store cannot say).
    pub(super) async fn next_reactions_read_in(&self) -> Duration {
        let now = self.clock.now().timestamp();
        let next = match self.known_due(store::reactions_marked()) {
            Some(i64::MAX) => Ok(None),
            Some(at) => Ok(Some(at)),
            None => self.db.read(store::next_reactions_read_at).await,
        };
        due_in(now, next, "announcements to read")
    }

    /// When the next announcement is due to be read, if known since the last marking
    /// (`marked`): `i64::MAX` if none waits.
    fn known_due(&self, marked: u64) -> Option<i64> {
        self.reread_due
            .and_then(|(seen, at)| (seen == marked).then_some(at))
    }
}

/// Added to a wait Slack asks for: the clock is read in whole seconds.
const SECOND: Duration = Duration::from_secs(1);

/// `reactions.get`'s refusals that will not change however often it is asked.
const NEVER: &[&str] = &[
    "message_not_found",
    "channel_not_found",
    "not_in_channel",
    "bad_timestamp",
    "missing_scope",
    "not_allowed_token_type",
];
