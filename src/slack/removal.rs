//! `app_uninstalled` / `tokens_revoked` at the edge: the store forgets the installation and
//! parks the workspace's posts (`handlers::remove_workspace`), then the token kept in memory
//! is dropped, so nothing more is posted there.

use super::answer::Answer;
use super::payload::Removal;
use super::routes::Routes;
use crate::domain::TeamId;
use crate::handlers;

impl Routes {
    pub(super) async fn removed(
        &self,
        team: TeamId,
        removal: Removal,
        raised_at: Option<i64>,
    ) -> Answer {
        let now = self.clock.now().timestamp();
        let t = team.clone();
        let tokens = self.api.tokens();
        let configured = tokens.configured_team().as_ref() == Some(&team);
        let when = handlers::RemovalTimes {
            raised_at,
            now,
            configured,
            token_works_since: tokens.configured_works_since(&team),
        };
        match self
            .db
            .write(move |tx| handlers::remove_workspace(tx, &t, removal.reason(), when))
            .await
        {
            Ok(done) if done.stale == Some(handlers::Stale::TokenWorksSince) => {
                tracing::info!(%team, why = removal.reason(), "removal raised before SLACK_BOT_TOKEN was found working for this workspace at start: ignored");
                Answer::Done
            }
            Ok(done) if done.stale.is_some() => {
                tracing::warn!(%team, why = removal.reason(), "removal raised before the workspace installed again: ignored");
                Answer::Done
            }
            Ok(done) => {
                self.api.tokens().uninstalled(&team);
                if done.forget_answers {
                    // Deleted answers to a `forget me` named the person: their rows' older
                    // copies leave the log, as once one is posted.
                    self.db.clear_log();
                }
                tracing::warn!(
                    %team,
                    why = removal.reason(),
                    had_installation = done.installation,
                    parked = done.parked,
                    "workspace removed the bot; its queued posts are parked"
                );
                Answer::Done
            }
            Err(e) => {
                // Nothing changed: let Slack retry.
                tracing::error!(%team, error = format!("{e:#}"), "removal not recorded");
                Answer::Retry
            }
        }
    }
}
