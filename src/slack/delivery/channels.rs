//! Whether a pitch's channel is private: asked of Slack (`conversations.info`) by the outbox
//! worker, before it posts, so a private channel's pitch is known as one by the time its
//! announcement is there for anyone to read (see `store::channels`).

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Worker;
use super::classify::refuses_the_workspace;
use super::reactors::{due_in, seconds_after};
use crate::domain::{ChannelId, TeamId};
use crate::slack::client::CallError;
use crate::store;

/// After a failed `conversations.info` (timeout, 5xx, a refused token), ask again no sooner
/// (a refused token: the least of a wait that grows, see `Pacer::hold_refused`).
const ASK_AGAIN_AFTER: Duration = Duration::from_secs(30);
/// Channels asked about per pass of the worker: the posts wait while it asks.
const ASK_PER_PASS: usize = 5;

/// What Slack's answer says of the channel.
enum Said {
    /// What it said; `None`: Slack will not say, however often it is asked (what was known
    /// stands, public and not shared if nothing was).
    Known(Option<store::ChannelSaid>),
    /// Nothing, for now: ask again at this clock second.
    AskAgainAt(i64),
    /// The workspace's token refused (or its posts held for that): a channel answered before
    /// is asked again at its daily time, what was known standing; one never answered, at
    /// this clock second.
    TokenRefused(i64),
    /// The workspace removed the app: nobody is to be asked there.
    NotInstalled,
}

impl Worker {
    /// Asks Slack about up to [`ASK_PER_PASS`] channels due to be asked about, and records
    /// each answer. A failure holds that workspace's asking for a while (its channels due
    /// meanwhile are put off without a call); other workspaces' go on. True if it stopped at
    /// the limit (more may be due). Stopping, it asks nothing more: what it did not ask
    /// about stays due, for the next start.
    pub(super) async fn ask_about_channels(
        &mut self,
        stop: &CancellationToken,
    ) -> anyhow::Result<bool> {
        for _ in 0..ASK_PER_PASS {
            if stop.is_cancelled() {
                return Ok(false);
            }
            let now = self.clock.now().timestamp();
            let Some((team, channel)) = self
                .db
                .read(move |c| store::next_channel_to_ask(c, now))
                .await?
            else {
                return Ok(false);
            };
            // Slack said to wait, or a failure, in this workspace; or its token is refused
            // (its posts wait too): this channel is asked after that, the others go on.
            let refused = self
                .pacer
                .refused_for(&team)
                .map(|wait| seconds_after(now, wait));
            let said = match (self.channels_held.until(&team, now), refused) {
                (Some(until), _) => Said::AskAgainAt(until),
                (None, Some(until)) => Said::TokenRefused(until),
                (None, None) => self.ask_channel(&team, &channel, now).await,
            };
            self.db
                .write(move |tx| match said {
                    Said::Known(readers) => {
                        crate::handlers::channel_known(tx, &team, &channel, readers, now)
                    }
                    Said::AskAgainAt(at) => store::ask_about_channel_at(tx, &team, &channel, at),
                    Said::TokenRefused(at) => {
                        store::ask_about_channel_refused(tx, &team, &channel, at, now)
                    }
                    Said::NotInstalled => store::stop_asking_about(tx, &team, &channel),
                })
                .await?;
        }
        Ok(true)
    }

    async fn ask_channel(&mut self, team: &TeamId, channel: &ChannelId, now: i64) -> Said {
        match self.api.channel_readers(team, channel).await {
            // (A channel Slack does not show the bot is private: `channel_readers_within`.)
            Ok(readers) => Said::Known(Some(store::ChannelSaid {
                private: readers.private,
                shared: readers.shared,
            })),
            // Slack will not say however often it is asked (an install without the scopes):
            // a channel known to be private stays so (an install made again without
            // `groups:read` must not show its projects everywhere); one never known is shown
            // everywhere, as before the bot asked.
            Err(CallError::Api(code)) if CANNOT_SAY.contains(&code.as_str()) => {
                tracing::warn!(%channel, code, "conversations.info refused; keeping what was known");
                Said::Known(None)
            }
            Err(CallError::NotInstalled) => Said::NotInstalled,
            // The workspace's token refused (its removal missed, the token revoked, the
            // workspace disabled or no longer granted): asked again as its posts are tried,
            // the wait growing with the refusals in a row, and logged once a run. It was
            // asked every 30 s for as long as the bot ran, each time a call, a warning and a
            // write for each of its channels. (`missing_scope`, a post's refusal of the
            // workspace, is this method's `CANNOT_SAY`, above.)
            Err(CallError::Api(code)) if refuses_the_workspace(&code) => {
                let (wait, in_a_row) = self.pacer.hold_refused(team, ASK_AGAIN_AFTER);
                if in_a_row == 1 {
                    tracing::warn!(%team, %channel, code, "token refused asking whether a channel is private");
                }
                Said::TokenRefused(seconds_after(now, wait))
            }
            Err(CallError::RateLimited { retry_after }) => {
                // Rounded up, as for `users.info`: the wait must not end early.
                let until = seconds_after(now, retry_after).saturating_add(1);
                self.channels_held.hold(team, now, until);
                Said::AskAgainAt(until)
            }
            // Slack slow or down, …: this workspace is asked again later,
            // and held till then, so its other channels cost no call meanwhile.
            Err(e) => {
                tracing::warn!(%channel, error = %e, "cannot ask whether a channel is private");
                let until = seconds_after(now, ASK_AGAIN_AFTER);
                self.channels_held.hold(team, now, until);
                Said::AskAgainAt(until)
            }
        }
    }

    /// How long until the next channel is due to be asked about ([`Duration::MAX`] if none
    /// waits, or the store cannot say).
    pub(super) async fn next_channel_in(&self) -> Duration {
        let now = self.clock.now().timestamp();
        let next = self.db.read(store::next_channel_at).await;
        due_in(now, next, "channels")
    }
}

/// `conversations.info`'s refusals that will not change however often it is asked.
const CANNOT_SAY: &[&str] = &["missing_scope", "not_allowed_token_type"];
