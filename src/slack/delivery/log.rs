//! One log line for each attempt at a post, at the level its outcome deserves.

use crate::outbox::{Item, Outcome};

pub(super) fn log(item: &Item, outcome: &Outcome) {
    let id = item.id;
    match outcome {
        Outcome::Delivered(_) => tracing::debug!(id, "posted"),
        Outcome::JoinerIsBot => tracing::info!(id, "nothing to post: the joiner is a bot"),
        Outcome::Retry { after, why } => {
            tracing::warn!(
                id,
                retry_in_s = after.as_secs(),
                why,
                "post will be retried"
            )
        }
        Outcome::HttpRefused { after, code } => tracing::warn!(
            id,
            retry_in_s = after.as_secs(),
            why = format!("HTTP {code}"),
            "post will be retried"
        ),
        Outcome::Joined { after, code } => tracing::info!(
            id,
            channel = %item.channel,
            code,
            retry_in_s = after.as_secs(),
            "joined the channel to post: post will be retried"
        ),
        Outcome::RateLimited(after) => {
            tracing::warn!(id, retry_after_s = after.as_secs(), "rate limited by Slack")
        }
        Outcome::TokenRefused { code, after } => tracing::error!(
            id,
            team = %item.team,
            code,
            retry_in_s = after.as_secs(),
            "Slack refuses the workspace's bot token, or any post there: its posts wait for \
             a working one (install the app again with its scopes, or correct SLACK_BOT_TOKEN \
             and restart; or ask the workspace's admins, if they limit apps)"
        ),
        Outcome::NotInChannel(code) => {
            tracing::warn!(id, channel = %item.channel, code, "the bot cannot post in the channel")
        }
        Outcome::ChannelArchived => tracing::warn!(id, channel = %item.channel, "channel archived"),
        Outcome::NotAnnounced { project_id } => {
            tracing::info!(id, project_id, "its pitch's announcement is not posted")
        }
        Outcome::OutOfHours => tracing::info!(
            id,
            "nudge out of working hours: not posted, nudged again in them"
        ),
        Outcome::NoLongerWanted => {
            tracing::info!(
                id,
                "nudge no longer wanted (news since, or retired): not posted"
            )
        }
        Outcome::Failed(why) => tracing::error!(id, why, "post failed for good"),
    }
}
