//! The "Post as project update" modal: which of your projects, and a note (optional when a
//! message is being posted, the update itself when opened from the Home tab).

use slack_morphism::prelude::*;

use super::fit::section;
use super::forms::PrivateSource;
use crate::domain::{ProjectNumber, Title, UpdateText, cut_utf16_with_ellipsis};

/// The modal's `callback_id`, and the message shortcut's.
pub const POST_UPDATE: &str = "post_update";
/// `action_id` of a *Post update* button on a message in a channel (a nudge); its `value` is
/// the project number, chosen in the form it opens.
pub const UPDATE_BUTTON: &str = "update_project";
/// Input blocks (each the `block_id` and its element's `action_id`).
pub const PROJECT_FIELD: &str = "project";
pub const NOTE_FIELD: &str = "note";
/// Slack's limits for a `static_select`: options, and characters of an option's text.
const MAX_OPTIONS: usize = 100;
const MAX_OPTION_CHARS: usize = 75;
/// The longest note beside a posted message: the update also holds the link to the message
/// (about 110 characters, a thread reply's more) and the message itself, cut to fit, so a
/// note Slack lets through always fits (the limit is checked in Slack's form, as typed).
pub const MAX_NOTE_WITH_MESSAGE: usize = UpdateText::MAX_CHARS - 250;

/// What the update modal opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateForm {
    /// The caller's projects, newest first.
    pub projects: Vec<(ProjectNumber, Title)>,
    /// Chosen already (the Home's "Post update").
    pub chosen: Option<ProjectNumber>,
    /// A message is being posted: the note is optional.
    pub from_message: bool,
    /// That message had few readers, or not only this workspace's: the form says who will
    /// read it once posted.
    pub from_private: Option<PrivateSource>,
    /// Kept in `private_metadata` for the submission.
    pub metadata: String,
}

fn option(number: ProjectNumber, title: &Title) -> SlackBlockChoiceItem<SlackBlockPlainTextOnly> {
    // Plain text shows tokens as typed: the title as a reader sees it (`#waste`, not
    // `<#C0WASTE|waste>`), so the cut below cannot split a token either.
    let title = super::plain::plain_text(&super::title_text(title));
    let text = format!("{number}: {title}");
    let text = cut_utf16_with_ellipsis(&text, MAX_OPTION_CHARS);
    SlackBlockChoiceItem::new(text.into(), number.get().to_string())
}

/// The update modal.
pub fn update_modal(form: &UpdateForm) -> SlackView {
    let chosen = form
        .chosen
        .and_then(|c| form.projects.iter().find(|(n, _)| *n == c));
    let mut options: Vec<_> = form.projects.iter().take(MAX_OPTIONS).collect();
    // Slack refuses a form whose initial option is not among its options: a project chosen
    // past the first hundred (an old project's nudge) takes the last place.
    if let Some(chosen) = chosen
        && !options.contains(&chosen)
    {
        options.pop();
        options.push(chosen);
    }
    let mut select = SlackBlockStaticSelectElement::new()
        .with_action_id(PROJECT_FIELD.into())
        .with_placeholder("Choose a project".into())
        .with_options(options.into_iter().map(|(n, t)| option(*n, t)).collect());
    if let Some((n, t)) = chosen {
        select = select.with_initial_option(option(*n, t));
    }
    let note = SlackBlockPlainTextInputElement::new()
        .with_action_id(NOTE_FIELD.into())
        .with_multiline(true)
        .with_max_length(match form.from_message {
            true => MAX_NOTE_WITH_MESSAGE as u64,
            false => UpdateText::MAX_CHARS as u64,
        });
    let (label, hint) = match form.from_message {
        true => {
            let mut hint = "Said before the message in the update, if you add one.".to_string();
            // Its writer (maybe not the poster) wrote it for those readers alone.
            if let Some(source) = form.from_private {
                hint += &format!(
                    " The message is from {}: once posted, everyone who can see the pitch's thread can read it.",
                    source.words()
                );
            }
            ("Note", hint)
        }
        false => (
            "Update",
            "How it is going: posted in the pitch's thread.".to_string(),
        ),
    };
    let mut project =
        SlackInputBlock::new("Project".into(), select.into()).with_block_id(PROJECT_FIELD.into());
    // Slack shows at most a hundred options: someone in more teams is told the rest are
    // left out, and how to post on one of them.
    let left_out = form.projects.len().saturating_sub(MAX_OPTIONS);
    if left_out > 0 {
        project = project.with_hint(
            format!(
                "Your {MAX_OPTIONS} newest projects are listed ({left_out} more are not). For another, type /makers update <number> <text> in its channel."
            )
            .into(),
        );
    }
    let blocks: Vec<SlackBlock> = vec![
        project.into(),
        SlackInputBlock::new(label.into(), note.into())
            .with_block_id(NOTE_FIELD.into())
            .with_optional(form.from_message)
            .with_hint(hint.into())
            .into(),
    ];
    SlackView::Modal(
        SlackModalView::new("Post a project update".into(), blocks)
            .with_submit("Post".into())
            .with_close("Cancel".into())
            .with_callback_id(POST_UPDATE.into())
            .with_private_metadata(form.metadata.clone()),
    )
}

/// For someone in no open project's team (in none, or only retired ones', which the form
/// does not offer): nothing to post to, and how to join one.
pub fn no_team_modal(join_emoji: &str) -> SlackView {
    told_modal(format!(
        "You're not in the team of an open project, so there's no project to post this to. `/makers list` shows the open projects; join one with `/makers join &lt;id&gt;`, its Join button or a :{join_emoji}: reaction on its announcement. Or pitch your own with `/makers pitch`."
    ))
}

/// The update form's title over `text`, with nothing to submit.
pub(super) fn told_modal(text: String) -> SlackView {
    SlackView::Modal(
        SlackModalView::new("Post a project update".into(), vec![section(text).into()])
            .with_close("OK".into())
            .with_callback_id(POST_UPDATE.into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_project_is_among_the_options_however_far_down() {
        let form = UpdateForm {
            projects: (1..=150)
                .map(|n| {
                    let title = Title::from_stored(format!("Project {n} {}", "🗑️".repeat(40)));
                    (ProjectNumber::new(n).unwrap(), title)
                })
                .collect(),
            chosen: Some(ProjectNumber::new(150).unwrap()),
            from_message: false,
            from_private: None,
            metadata: String::new(),
        };
        let view = serde_json::to_value(update_modal(&form)).unwrap();
        let select = &view["blocks"][0]["element"];
        let options = select["options"].as_array().unwrap();
        assert_eq!(options.len(), MAX_OPTIONS);
        assert_eq!(select["initial_option"]["value"], "150");
        assert!(options.contains(&select["initial_option"]));
        // The fifty left out are said, and how to post on one.
        let hint = view["blocks"][0]["hint"]["text"].as_str().unwrap();
        assert!(hint.contains("(50 more are not)"), "{hint}");
        assert!(hint.contains("/makers update <number> <text>"), "{hint}");
        // A hundred are all listed: nothing to say.
        let hundred = UpdateForm {
            projects: form.projects[..MAX_OPTIONS].to_vec(),
            chosen: None,
            ..form.clone()
        };
        let view = serde_json::to_value(update_modal(&hundred)).unwrap();
        assert!(view["blocks"][0].get("hint").is_none(), "{view}");
        for o in options {
            let text = o["text"]["text"].as_str().unwrap();
            assert!(crate::domain::utf16_len(text) <= MAX_OPTION_CHARS, "{text}");
        }
        // A title cut says so; one that fits is whole.
        let n = |v| ProjectNumber::new(v).unwrap();
        let text_of = |title: &str| {
            let o = serde_json::to_value(option(n(7), &Title::parse(title).unwrap())).unwrap();
            o["text"]["text"].as_str().unwrap().to_string()
        };
        let cut = text_of(&"x".repeat(120));
        assert!(
            cut.ends_with('…') && crate::domain::utf16_len(&cut) == MAX_OPTION_CHARS,
            "{cut}"
        );
        let whole = text_of("Bin day finder");
        assert_eq!(whole, "#7: Bin day finder");
    }
}
