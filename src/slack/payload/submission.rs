//! A `view_submission`: what was typed and chosen in each of our modal's input blocks.

use std::collections::HashMap;

use slack_morphism::prelude::*;

use super::{DecodeError, Interaction, user_id};
use crate::domain::{ChannelId, TeamId, UserId};

/// A `view_submission`: what was typed and chosen in each input block.
#[derive(Debug)]
pub struct Submission {
    pub team: TeamId,
    pub user: UserId,
    pub callback_id: String,
    /// The view's id: the same if its user submits it again (after a slow answer).
    pub view_id: String,
    /// What we put in the view's `private_metadata` when we opened it ("" if nothing), the
    /// mark of a form opened from a Home left out (`payload::drawn_for`).
    pub private_metadata: String,
    /// By block id (our input blocks have one element whose action id is the block id).
    pub fields: HashMap<String, Field>,
}

/// The state of one input element in a submitted view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A `plain_text_input` (`None` when left empty).
    Text(Option<String>),
    /// A multi-select: the chosen options' values.
    Options(Vec<String>),
    /// A `static_select`: the chosen option's value.
    Choice(Option<String>),
    /// A conversation select (`None` when nothing was chosen).
    Conversation(Option<ChannelId>),
}

impl Submission {
    /// A text field's value, trimmed; "" if empty or absent.
    pub fn text(&self, block: &str) -> &str {
        match self.fields.get(block) {
            Some(Field::Text(Some(t))) => t.trim(),
            _ => "",
        }
    }

    /// The options chosen in a multi-select (none if absent).
    pub fn options(&self, block: &str) -> &[String] {
        match self.fields.get(block) {
            Some(Field::Options(o)) => o,
            _ => &[],
        }
    }

    /// The option chosen in a `static_select`.
    pub fn choice(&self, block: &str) -> Option<&str> {
        match self.fields.get(block) {
            Some(Field::Choice(c)) => c.as_deref(),
            _ => None,
        }
    }

    /// The conversation chosen in a conversation select.
    pub fn conversation(&self, block: &str) -> Option<&ChannelId> {
        match self.fields.get(block) {
            Some(Field::Conversation(c)) => c.as_ref(),
            _ => None,
        }
    }
}

/// The first input block's id of a `view_submission` payload we could not decode, read
/// from its raw JSON: an error shown under it keeps the form open (Slack shows errors only
/// under input blocks). `None` if the payload is no form's submission.
pub fn first_input_block(payload: &serde_json::Value) -> Option<String> {
    if payload["type"] != "view_submission" {
        return None;
    }
    let blocks = payload.pointer("/view/blocks")?.as_array()?;
    blocks
        .iter()
        .filter(|b| b["type"] == "input")
        .find_map(|b| Some(b["block_id"].as_str()?.to_string()))
}

/// A form submitted; `installed` is the workspace the form was opened for, when the payload
/// says (`view.app_installed_team_id`), over `team`, which can be the submitter's own; for a
/// form opened from a Home, the Home's workspace, which the form says over both.
pub(super) fn submission(
    v: SlackInteractionViewSubmissionEvent,
    installed: Option<TeamId>,
) -> Result<Interaction, DecodeError> {
    let SlackView::Modal(modal) = &v.view.view else {
        return Ok(Interaction::Other("view_submission of a home tab"));
    };
    let fields = v
        .view
        .state_params
        .state
        .map(|s| s.values)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(block, mut actions)| {
            // Ours have one element per block, its action id the block id.
            let value = actions.remove(&SlackActionId(block.0.clone()))?;
            Some((block.0, field(value)?))
        })
        .collect();
    // A form opened from a Home is of the workspace the Home was drawn for, as a press on
    // the Home is: in an Enterprise Grid org Slack can name another as
    // `app_installed_team_id` (bolt-python #1229). What the form carries follows the mark.
    let metadata = modal.private_metadata.as_deref().unwrap_or_default();
    let (installed, private_metadata) = match super::form_drawn_for(metadata) {
        Some((team, carried)) => (Some(team), carried.to_string()),
        None => (installed, metadata.to_string()),
    };
    Ok(Interaction::Submission(Submission {
        team: super::installed_or(installed, &v.team.id.0)?,
        user: user_id(&v.user.id)?,
        callback_id: modal
            .callback_id
            .as_ref()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        view_id: v.view.state_params.id.0.clone(),
        private_metadata,
        fields,
    }))
}

/// An element's state as one of the kinds our forms use; others are left out.
fn field(v: SlackViewStateValue) -> Option<Field> {
    match v.action_type.0.as_str() {
        "plain_text_input" => Some(Field::Text(v.value)),
        "multi_static_select" => Some(Field::Options(
            v.selected_options
                .unwrap_or_default()
                .into_iter()
                .map(|o| o.value)
                .collect(),
        )),
        "static_select" => Some(Field::Choice(v.selected_option.map(|o| o.value))),
        "conversations_select" => Some(Field::Conversation(
            v.selected_conversation.and_then(|c| ChannelId::parse(&c.0)),
        )),
        _ => None,
    }
}
