//! The pitch form at the edge: opening it (`/makers pitch` with no text, or the global
//! shortcut) and reading it back when submitted. A `trigger_id` lasts 3 seconds and serves
//! once, so `views.open` is called right here on the request path, with a short timeout of
//! its own, never through the outbox. The command's channel travels in `private_metadata`.

use std::collections::HashMap;

use super::answer::Answer;
use super::client::CallError;
use super::payload::{SlashCommand, Submission};
use super::render::{self, PitchForm};
use super::routes::Routes;
use crate::domain::{
    ChannelId, CouncilName, Description, Problem, Skill, TeamId, Title, UserError, UserId,
};
use crate::handlers::{self, FormPitch};
use crate::message::Reply;

/// `/makers pitch` and nothing else opens the form (any text is a typed pitch).
pub fn asks_for_pitch_form(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("pitch")
}

impl Routes {
    /// `/makers pitch` with no text: the form opens and the command is answered with nothing
    /// (an empty answer shows no message), or, if Slack would not open it, with a private word.
    pub(super) async fn open_pitch_form_for(&self, cmd: SlashCommand) -> Answer {
        if cmd.channel.is_dm() {
            return self.ephemeral(&handlers::problem(UserError::CannotPitchHere));
        }
        match self
            .open_pitch_form(cmd.team, cmd.user, Some(cmd.channel), &cmd.trigger_id)
            .await
        {
            Ok(()) => Answer::Done,
            Err(e) => {
                tracing::warn!(error = %e, "pitch form not opened from the command");
                self.ephemeral(&form_unavailable())
            }
        }
    }

    /// The pitch form asked for where there is no channel to answer in (the shortcut, the
    /// Home's button): opened, or if Slack would not open it, the word queued for the asker's
    /// DM with the bot (in the background), so a press that seems to do nothing is explained.
    pub(super) async fn open_pitch_form_or_say(
        &self,
        team: TeamId,
        user: UserId,
        trigger_id: &str,
        from: &'static str,
    ) {
        let Err(e) = self
            .open_pitch_form(team.clone(), user.clone(), None, trigger_id)
            .await
        else {
            return;
        };
        tracing::warn!(error = %e, from, "pitch form not opened");
        // In a task of its own: `views.open` may have taken most of Slack's 3 s already, and
        // the word goes through the outbox in any case.
        let ctx = self.ctx(team, user.clone(), user.dm_channel());
        let (db, outbox) = (self.db.clone(), self.outbox.clone());
        tokio::spawn(async move {
            match db
                .write(move |tx| handlers::tell_in_dm(tx, &ctx, form_unavailable()))
                .await
            {
                Ok(()) => outbox.notify_one(),
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "cannot say the form did not open")
                }
            }
        });
    }

    /// Opens the pitch form for `user`, pre-filled with their council; `channel` is where
    /// to announce (`None`: the form asks).
    pub(super) async fn open_pitch_form(
        &self,
        team: TeamId,
        user: UserId,
        channel: Option<ChannelId>,
        trigger_id: &str,
    ) -> Result<(), CallError> {
        let (t, u) = (team.clone(), user);
        let council = self
            .db
            .read(move |c| crate::store::council_of(c, &t, &u))
            .await
            .unwrap_or_else(|e| {
                // The form still opens, only without the pre-filled council.
                tracing::warn!(error = format!("{e:#}"), "council not read for the form");
                None
            });
        let form = PitchForm {
            council: council.map(|(_, name)| name.display().to_string()),
            channel: channel.map(|c| c.to_string()),
        };
        self.api
            .open_view(&team, trigger_id, render::pitch_modal(&form))
            .await
    }

    /// The pitch form submitted: its fields' problems are answered inline (nothing is
    /// recorded); a good one is recorded and announced as a typed pitch would be, and the
    /// empty answer closes the modal.
    pub(super) async fn pitch_submitted(&self, sub: Submission) -> Answer {
        let (pitch, channel) = match read_pitch_form(&sub) {
            Ok(read) => read,
            Err(errors) => return field_errors(errors),
        };
        let (team, user, view) = (sub.team.clone(), sub.user.clone(), sub.view_id);
        let ctx = self.ctx(sub.team, sub.user, channel);
        let write = move |tx: &rusqlite::Transaction| {
            handlers::once_per_view(tx, &ctx, &view, || {
                handlers::pitch_form(tx, &ctx, pitch.clone())
            })
        };
        match self.db.write(write).await {
            // Submitted again after a slow answer: the first was recorded; close the form.
            Ok(None) => Answer::Done,
            // Refused (past the allowance): said under the title, the form kept open.
            Ok(Some(Reply::Problem { problem })) => {
                let text = render::problem_text(&problem, &self.look.join_emoji);
                field_errors(HashMap::from([(render::TITLE_FIELD, text)]))
            }
            Ok(Some(_)) => {
                self.outbox.notify_one();
                // The form may have come from the Home: it shows the new project at once.
                self.publish_home(team, user);
                Answer::Done
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "pitch form failed");
                // The modal stays open with what they typed, and says so.
                let mut errors = HashMap::new();
                errors.insert(render::TITLE_FIELD, render::INTERNAL_ERROR_TEXT.to_string());
                field_errors(errors)
            }
        }
    }
}

type FieldErrors = HashMap<&'static str, String>;

/// The word that the pitch form could not be opened, with the way to pitch without it.
fn form_unavailable() -> Reply {
    Reply::Problem {
        problem: Problem::Worded {
            text: render::FORM_UNAVAILABLE_TEXT.to_string(),
        },
    }
}

/// The form's fields as a pitch and its channel, or the error to show under each field
/// that is wrong (keys are input blocks' `block_id`s, as Slack requires).
fn read_pitch_form(sub: &Submission) -> Result<(FormPitch, ChannelId), FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = Title::parse(sub.text(render::TITLE_FIELD));
    if let Err(e) = &title {
        errors.insert(render::TITLE_FIELD, render::form_error_text(e));
    }
    let description = Description::parse(sub.text(render::DESCRIPTION_FIELD));
    if let Err(e) = &description {
        errors.insert(render::DESCRIPTION_FIELD, render::form_error_text(e));
    }
    let council = match sub.text(render::COUNCIL_FIELD) {
        "" => Ok(None),
        name => CouncilName::parse(name).map(Some),
    };
    if let Err(e) = &council {
        errors.insert(render::COUNCIL_FIELD, render::form_error_text(e));
    }
    // From the command, the channel it was typed in; from the shortcut, the one chosen (and
    // only the shortcut's form has a channel block to show an error under).
    let (channel, channel_field) = match sub.private_metadata.as_str() {
        "" => (
            sub.conversation(render::CHANNEL_FIELD).cloned(),
            render::CHANNEL_FIELD,
        ),
        typed_in => (ChannelId::parse(typed_in), render::TITLE_FIELD),
    };
    let channel = channel.filter(|c| !c.is_dm());
    if channel.is_none() {
        let why = render::form_error_text(&UserError::CannotPitchHere);
        errors.insert(channel_field, why);
    }
    let skills = sub
        .options(render::SKILLS_FIELD)
        .iter()
        .filter_map(|v| Skill::ALL.into_iter().find(|s| s.as_str() == v))
        .collect();
    match (title, description, council, channel) {
        (Ok(title), Ok(description), Ok(lead_council), Some(channel)) => Ok((
            FormPitch {
                title,
                description,
                lead_council,
                skills,
            },
            channel,
        )),
        _ => Err(errors),
    }
}

/// `{"response_action":"errors","errors":{block_id: text}}`: the modal stays open.
/// Errors shown under a modal's fields: `{block_id: text}` (only input blocks' ids work).
pub(super) fn field_errors(errors: impl serde::Serialize) -> Answer {
    Answer::json(serde_json::json!({ "response_action": "errors", "errors": errors }))
}
