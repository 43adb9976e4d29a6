//! The message shortcut (`message_action`): who used it, on which message.

use slack_morphism::prelude::*;

use super::{DecodeError, decode_entities, team_id, user_id};
use crate::domain::{ChannelId, MessageTs, TeamId, UserId};

/// A message shortcut used on a message.
#[derive(Debug, Clone)]
pub struct MessageShortcut {
    pub team: TeamId,
    pub user: UserId,
    pub callback_id: String,
    pub trigger_id: String,
    pub channel: ChannelId,
    pub ts: MessageTs,
    /// Set when the message is a reply in a thread (its link then names the thread).
    pub thread_ts: Option<MessageTs>,
    /// The message's text, with Slack's entities decoded ("" for a message of blocks only).
    pub text: String,
    /// Used in a group DM (Slack names those `mpdm-…`; their ids look like a channel's).
    pub in_group_dm: bool,
}

pub(super) fn message_shortcut(
    m: SlackInteractionMessageActionEvent,
) -> Result<MessageShortcut, DecodeError> {
    let message = m
        .message
        .ok_or_else(|| DecodeError("message_action without a message".into()))?;
    let channel = m
        .channel
        .as_ref()
        .and_then(|c| ChannelId::parse(&c.id.0))
        .or_else(|| {
            message
                .origin
                .channel
                .as_ref()
                .and_then(|c| ChannelId::parse(&c.0))
        })
        .ok_or_else(|| DecodeError("message_action without a channel".into()))?;
    let ts = MessageTs::parse(&message.origin.ts.0)
        .ok_or_else(|| DecodeError("message_action with a bad ts".into()))?;
    let thread_ts = message
        .origin
        .thread_ts
        .as_ref()
        .and_then(|t| MessageTs::parse(&t.0))
        .filter(|t| *t != ts);
    Ok(MessageShortcut {
        team: team_id(&m.team.id.0)?,
        user: user_id(&m.user.id)?,
        callback_id: m.callback_id.0,
        trigger_id: m.trigger_id.0,
        channel,
        ts,
        thread_ts,
        text: decode_entities(message.content.text.as_deref().unwrap_or("")),
        in_group_dm: m
            .channel
            .and_then(|c| c.name)
            .is_some_and(|name| name.starts_with("mpdm-")),
    })
}
