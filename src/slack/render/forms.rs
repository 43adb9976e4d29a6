//! The pitch form: a modal whose input blocks have equal `block_id` and `action_id`, and the
//! words of its inline errors. Labels and hints are `plain_text` (raw: Slack shows them as
//! typed); Slack enforces the same lengths as `Title` and `Description` through `max_length`.

use slack_morphism::prelude::*;

use crate::domain::{CouncilName, Description, Skill, Title};

/// The modal's `callback_id`, and the global shortcut's.
pub const PITCH_FORM: &str = "pitch";
/// The message shortcut that opens the pitch form filled in with a message's words.
pub const PITCH_MESSAGE: &str = "pitch_message";
/// Input blocks (each the `block_id` and its element's `action_id`).
pub const TITLE_FIELD: &str = "title";
pub const DESCRIPTION_FIELD: &str = "description";
pub const COUNCIL_FIELD: &str = "council";
pub const SKILLS_FIELD: &str = "skills";
pub const CHANNEL_FIELD: &str = "channel";

/// Where a pitch from the form is announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announce {
    /// Where `/makers pitch` was typed, kept in `private_metadata`: the form does not ask.
    In(String),
    /// The form asks (the shortcut, the Home, a message in a DM).
    Ask,
    /// The form asks, offering first the channel of the message it is pitched from; the
    /// message's `head` (see `message_ref`) rides in `private_metadata`, so that the
    /// description links to the message when submitted.
    AskFromMessage { channel: String, head: String },
}

/// Where a message a form is filled in from was written, when its readers were few or not
/// only this workspace's: the form says who will read it once posted, since its writer
/// wrote it for them alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateSource {
    /// A DM or a group DM.
    Conversation,
    /// A private channel.
    Channel,
    /// A channel shared with other workspaces (Slack Connect's with another organisation
    /// among them): its writer may be one of theirs.
    SharedChannel,
}

impl PrivateSource {
    /// How a form names it, after "From" or "is from": "a private conversation", …
    pub fn words(self) -> &'static str {
        match self {
            PrivateSource::Conversation => "a private conversation",
            PrivateSource::Channel => "a private channel",
            PrivateSource::SharedChannel => "a channel shared with other workspaces",
        }
    }
}

/// What the pitch form opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PitchForm {
    /// The caller's recorded council, pre-filled as the lead council.
    pub council: Option<String>,
    pub announce: Announce,
    /// Pre-filled words (a message's, from the message shortcut); empty for a blank form.
    pub title: String,
    pub description: String,
    /// What the description field holds: less than a description may when a link to the
    /// message is added to it on submission.
    pub description_room: usize,
    /// Filled in from a message with few readers, or not only this workspace's.
    pub from_private: Option<PrivateSource>,
}

impl PitchForm {
    /// A blank form.
    pub fn blank(council: Option<String>, announce: Announce) -> PitchForm {
        PitchForm {
            council,
            announce,
            title: String::new(),
            description: String::new(),
            description_room: Description::MAX_CHARS,
            from_private: None,
        }
    }
}

/// The words of the link to the message a pitch came from.
pub const PITCHED_FROM_LABEL: &str = "a conversation in Slack";

/// What a pitch from a message adds to its description (`link`: to the message, labelled
/// [`PITCHED_FROM_LABEL`]): where the idea came from, so the team can read the
/// conversation.
pub fn pitched_from(link: &str) -> String {
    format!("Pitched from {link}.")
}

/// Under the form's *Lead council*, for a name close to a recorded council's (plain text, as
/// Slack shows a field's error).
pub fn lead_council_offer(typed: &str, suggestion: &str) -> String {
    format!(
        "Did you mean \"{suggestion}\"? Change it to that, or press Pitch again to record \"{typed}\" as a council of its own."
    )
}

/// The pitch modal.
pub fn pitch_modal(form: &PitchForm) -> SlackView {
    let mut title = SlackBlockPlainTextInputElement::new()
        .with_action_id(TITLE_FIELD.into())
        .with_max_length(Title::MAX_CHARS as u64)
        .with_placeholder("Bin day finder".into());
    if !form.title.is_empty() {
        title = title.with_initial_value(form.title.clone());
    }
    let mut description = SlackBlockPlainTextInputElement::new()
        .with_action_id(DESCRIPTION_FIELD.into())
        .with_multiline(true)
        .with_max_length(form.description_room as u64)
        .with_placeholder("What it is for, who it helps, what help you need".into());
    if !form.description.is_empty() {
        description = description.with_initial_value(form.description.clone());
    }
    let mut council = SlackBlockPlainTextInputElement::new()
        .with_action_id(COUNCIL_FIELD.into())
        .with_max_length(CouncilName::MAX_CHARS as u64)
        .with_placeholder("Guildford Borough Council".into());
    // A name longer than the field in UTF-16 units (emoji take two; which unit Slack counts
    // is not documented) could make Slack refuse the whole form: left for the person to type.
    if let Some(name) = form
        .council
        .as_ref()
        .filter(|n| crate::domain::utf16_len(n) <= CouncilName::MAX_CHARS)
    {
        council = council.with_initial_value(name.clone());
    }
    let skills = SlackBlockMultiStaticSelectElement::new()
        .with_action_id(SKILLS_FIELD.into())
        // A screen reader reads a select's placeholder in place of its label: it names it.
        .with_placeholder("Choose the skills wanted".into())
        .with_options(
            Skill::ALL
                .iter()
                .map(|s| SlackBlockChoiceItem::new(s.label().into(), s.as_str().to_string()))
                .collect(),
        );
    let mut described = input(DESCRIPTION_FIELD, "Description", description.into(), true);
    if let Some(source) = form.from_private {
        described = described.with_hint(
            format!(
                "From {}: once pitched, everyone in the channel you choose can read it (and anyone, if the team publishes it).",
                source.words()
            )
            .into(),
        );
    }
    let mut blocks: Vec<SlackBlock> = vec![
        input(TITLE_FIELD, "Title", title.into(), false).into(),
        described.into(),
        input(COUNCIL_FIELD, "Lead council", council.into(), true)
            .with_hint("The council leading the project: yours, unless you change it.".into())
            .into(),
        input(SKILLS_FIELD, "Skills wanted", skills.into(), true).into(),
    ];
    let (offered, metadata) = match &form.announce {
        Announce::In(channel) => (None, Some(channel.clone())),
        Announce::Ask => (None, None),
        Announce::AskFromMessage { channel, head } => (Some(channel.clone()), Some(head.clone())),
    };
    // Asked unless the form was opened where it was typed.
    if !matches!(form.announce, Announce::In(_)) {
        let mut channel = SlackBlockConversationsSelectElement::new()
            .with_action_id(CHANNEL_FIELD.into())
            .with_placeholder("Choose a channel".into())
            .with_filter(
                SlackBlockConversationFilter::new()
                    .with_include(vec![
                        SlackConversationFilterInclude::Public,
                        SlackConversationFilterInclude::Private,
                    ])
                    .with_exclude_bot_users(true),
            );
        if let Some(offered) = offered {
            channel = channel.with_initial_conversation(offered.into());
        }
        blocks.push(
            input(CHANNEL_FIELD, "Announce in", channel.into(), false)
                .with_hint("I need to be in the channel to post there.".into())
                .into(),
        );
    }
    SlackView::Modal(
        SlackModalView::new("Pitch a project".into(), blocks)
            .with_submit("Pitch".into())
            .with_close("Cancel".into())
            .with_callback_id(PITCH_FORM.into())
            .with_private_metadata(metadata.unwrap_or_default()),
    )
}

fn input(
    id: &str,
    label: &str,
    element: SlackInputBlockElement,
    optional: bool,
) -> SlackInputBlock {
    SlackInputBlock::new(label.into(), element)
        .with_block_id(id.into())
        .with_optional(optional)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Block Kit's limits for a modal (docs.slack.dev, "Modal view" and the block references).
    fn check_limits(view: &SlackView) {
        let v = serde_json::to_value(view).unwrap();
        let chars = |x: &serde_json::Value| x.as_str().unwrap_or("").chars().count();
        assert!(chars(&v["title"]["text"]) <= 24, "modal title");
        assert!(chars(&v["submit"]["text"]) <= 24, "submit");
        assert!(chars(&v["close"]["text"]) <= 24, "close");
        assert!(chars(&v["callback_id"]) <= 255);
        assert!(chars(&v["private_metadata"]) <= 3000);
        let blocks = v["blocks"].as_array().unwrap();
        assert!(!blocks.is_empty() && blocks.len() <= 100);
        for b in blocks {
            assert_eq!(b["type"], "input");
            assert_eq!(b["block_id"], b["element"]["action_id"], "{b}");
            assert!(chars(&b["block_id"]) <= 255);
            assert!(chars(&b["label"]["text"]) <= 2000);
            assert!(chars(&b["hint"]["text"]) <= 2000);
            let e = &b["element"];
            assert!(chars(&e["placeholder"]["text"]) <= 150);
            assert!(e["max_length"].as_u64().unwrap_or(0) <= 3000);
            let units = e["initial_value"]
                .as_str()
                .map_or(0, crate::domain::utf16_len);
            assert!(units <= e["max_length"].as_u64().unwrap_or(3000) as usize);
            for o in e["options"].as_array().into_iter().flatten() {
                assert!(chars(&o["text"]["text"]) <= 75);
                assert!(chars(&o["value"]) <= 150);
            }
            assert!(e["options"].as_array().map_or(0, Vec::len) <= 100);
        }
    }

    fn block_ids(view: &SlackView) -> Vec<String> {
        let v = serde_json::to_value(view).unwrap();
        v["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["block_id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn both_forms_are_within_block_kit_limits() {
        let long_council = "x".repeat(CouncilName::MAX_CHARS);
        for form in [
            PitchForm::blank(
                Some(long_council.clone()),
                Announce::In("C0123456789".into()),
            ),
            PitchForm::blank(None, Announce::Ask),
            filled_from_a_message(),
        ] {
            check_limits(&pitch_modal(&form));
        }
    }

    #[test]
    fn the_channel_select_is_only_there_without_a_channel() {
        let from_command = pitch_modal(&PitchForm::blank(None, Announce::In("C1".into())));
        assert_eq!(
            block_ids(&from_command),
            ["title", "description", "council", "skills"]
        );
        let from_shortcut = pitch_modal(&PitchForm::blank(None, Announce::Ask));
        assert_eq!(
            block_ids(&from_shortcut),
            ["title", "description", "council", "skills", "channel"]
        );
    }

    #[test]
    fn the_lengths_slack_enforces_are_ours() {
        let v = serde_json::to_value(pitch_modal(&PitchForm::blank(
            Some("Guildford Borough Council".into()),
            Announce::In("C1".into()),
        )))
        .unwrap();
        assert_eq!(v["callback_id"], PITCH_FORM);
        assert_eq!(v["private_metadata"], "C1");
        assert_eq!(v["blocks"][0]["element"]["max_length"], Title::MAX_CHARS);
        assert_eq!(
            v["blocks"][1]["element"]["max_length"],
            Description::MAX_CHARS
        );
        assert_eq!(v["blocks"][1]["element"]["multiline"], true);
        assert_eq!(v["blocks"][0]["optional"], false);
        assert_eq!(
            v["blocks"][2]["element"]["initial_value"],
            "Guildford Borough Council"
        );
        let options = v["blocks"][3]["element"]["options"].as_array().unwrap();
        assert_eq!(options.len(), Skill::ALL.len());
        // A council's name past the field's length in UTF-16 units is not filled in.
        let emoji = "\u{1F3DB}".repeat(CouncilName::MAX_CHARS / 2 + 1);
        let v = serde_json::to_value(pitch_modal(&PitchForm::blank(Some(emoji), Announce::Ask)))
            .unwrap();
        assert!(v["blocks"][2]["element"].get("initial_value").is_none());
        assert_eq!(options[2]["value"], "user_researcher");
        assert_eq!(options[2]["text"]["text"], "user researcher");
    }

    /// The form from a message at its fullest: both fields filled to what they hold.
    fn filled_from_a_message() -> PitchForm {
        PitchForm {
            council: Some("Guildford Borough Council".into()),
            announce: Announce::AskFromMessage {
                channel: "C0123456789".into(),
                head: "msg C0123456789 1516229207.000133 1516229200.000100".into(),
            },
            title: "t".repeat(Title::MAX_CHARS),
            description: "d".repeat(1900),
            description_room: 1900,
            from_private: Some(PrivateSource::Channel),
        }
    }

    #[test]
    fn from_a_message_the_words_are_filled_in_and_its_channel_offered() {
        let v = serde_json::to_value(pitch_modal(&filled_from_a_message())).unwrap();
        assert_eq!(
            v["private_metadata"],
            "msg C0123456789 1516229207.000133 1516229200.000100"
        );
        assert_eq!(v["blocks"][0]["element"]["initial_value"], "t".repeat(120));
        assert_eq!(v["blocks"][1]["element"]["initial_value"], "d".repeat(1900));
        assert_eq!(v["blocks"][1]["element"]["max_length"], 1900);
        assert_eq!(v["blocks"][4]["block_id"], CHANNEL_FIELD);
        assert_eq!(
            v["blocks"][4]["element"]["initial_conversation"],
            "C0123456789"
        );
        // A blank form fills nothing in and offers no channel.
        let blank =
            serde_json::to_value(pitch_modal(&PitchForm::blank(None, Announce::Ask))).unwrap();
        assert!(blank["blocks"][0]["element"].get("initial_value").is_none());
        assert!(blank["blocks"][1]["element"].get("initial_value").is_none());
        assert!(
            blank["blocks"][4]["element"]
                .get("initial_conversation")
                .is_none()
        );
        assert_eq!(blank["private_metadata"], "");
    }
}
