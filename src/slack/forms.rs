//! The pitch form at the edge: opening it (`/makers pitch` with no text, the global
//! shortcut, the Home, or the message shortcut, which fills it in with a message's words)
//! and reading it back when submitted. A `trigger_id` lasts 3 seconds and serves once, so
//! `views.open` is called right here on the request path, with a short timeout of its own,
//! never through the outbox. The command's channel, or the message pitched from, travels in
//! `private_metadata` (from the Home, the Home's workspace: `payload::drawn_for`).

use std::collections::HashMap;

use super::answer::{Answer, Asked};
use super::client::CallError;
use super::message_ref::MessageRef;
use super::payload::{MessageShortcut, SlashCommand, Submission};
use super::render::{self, Announce, PitchForm, PrivateSource};
use super::routes::Routes;
use crate::domain::{
    ChannelId, CouncilName, Description, Problem, Skill, TeamId, Title, UserError, UserId,
    chars_within_utf16, cut_typed, linked_or_typed, shown_len, utf16_len,
};
use crate::handlers::{self, FormPitch};
use crate::message::Reply;

/// `/makers pitch` and nothing else opens the form (any text is a typed pitch), as a
/// sentence may end it too (`pitch.`).
pub fn asks_for_pitch_form(text: &str) -> bool {
    crate::commands::command_word(text.trim()).eq_ignore_ascii_case("pitch")
}

/// How long a form waits to know whether a message's channel is private or shared (the store,
/// then Slack): the form must open within the trigger's 3 seconds, `views.open` may take 2 of
/// them, and it opens without the word if Slack is slow.
const ASK_PRIVACY_FOR: std::time::Duration = std::time::Duration::from_millis(500);

impl Routes {
    /// Where a message a form is filled in from was written, when its readers were few or
    /// not only this workspace's: a DM or a group DM; a channel known to be private, or that
    /// Slack says is (or hides from the bot, as it hides a private channel from all but its
    /// members); a channel shared with other workspaces. The message shortcut works in
    /// channels the bot is not in, so most are asked about here.
    pub(super) async fn source_privacy(&self, m: &MessageShortcut) -> Option<PrivateSource> {
        if m.channel.is_dm() || m.in_group_dm {
            return Some(PrivateSource::Conversation);
        }
        let started = std::time::Instant::now();
        let (team, channel) = (m.team.clone(), m.channel.clone());
        let known = tokio::time::timeout(
            ASK_PRIVACY_FOR,
            self.db
                .read(move |c| crate::store::channel_said(c, &team, &channel)),
        )
        .await;
        let shared = match known {
            Ok(Ok(said)) if said.private => return Some(PrivateSource::Channel),
            Ok(Ok(said)) => said.shared,
            Ok(Err(e)) => {
                tracing::warn!(error = format!("{e:#}"), "channel's privacy not read");
                return None;
            }
            Err(_) => return None,
        };
        let left = ASK_PRIVACY_FOR.saturating_sub(started.elapsed());
        let asked = self.api.channel_readers_within(&m.team, &m.channel, left);
        match asked.await {
            Ok(readers) if readers.private => Some(PrivateSource::Channel),
            Ok(readers) if readers.shared => Some(PrivateSource::SharedChannel),
            Ok(_) => None,
            // Slack slow or refusing: the form opens with what Slack said of it before (a
            // channel shared with other workspaces, known so), else without the word.
            Err(_) => shared.then_some(PrivateSource::SharedChannel),
        }
    }

    /// `/makers pitch` with no text: the form opens and the command is answered with nothing
    /// (an empty answer shows no message), or, if Slack would not open it, with a private word.
    pub(super) async fn open_pitch_form_for(&self, cmd: SlashCommand) -> Answer {
        if cmd.channel.is_dm() {
            return self.ephemeral(&handlers::problem(UserError::CannotPitchHere));
        }
        match self
            .open_pitch_form(
                cmd.team,
                cmd.user,
                Opening::Typed(cmd.channel),
                &cmd.trigger_id,
            )
            .await
        {
            Ok(()) => Answer::Done,
            Err(e) => {
                tracing::warn!(error = %e, "pitch form not opened from the command");
                self.ephemeral(&form_unavailable(pitch_form_failed(&e)))
            }
        }
    }

    /// The pitch form asked for where there is no channel to answer in (the shortcuts, the
    /// Home's button): opened, or if Slack would not open it, the word queued for the asker's
    /// DM with the bot (in the background), so a press that seems to do nothing is explained.
    pub(super) async fn open_pitch_form_or_say(
        &self,
        team: TeamId,
        user: UserId,
        opening: Opening,
        trigger_id: &str,
        from: &'static str,
    ) {
        let Err(e) = self
            .open_pitch_form(team.clone(), user.clone(), opening, trigger_id)
            .await
        else {
            return;
        };
        tracing::warn!(error = %e, from, "pitch form not opened");
        self.say_form_did_not_open(team, user, pitch_form_failed(&e));
    }

    /// Queues `text` (that a form did not open, and how to do without it) for the asker's DM
    /// with the bot, so that a press that seems to do nothing is explained. In a task of its
    /// own: `views.open` may have taken most of Slack's 3 s already, and the word goes through
    /// the outbox in any case.
    pub(super) fn say_form_did_not_open(&self, team: TeamId, user: UserId, text: &'static str) {
        let ctx = self.ctx(team, user.clone(), user.dm_channel());
        let (db, outbox) = (self.db.clone(), self.outbox.clone());
        let saying = async move {
            match db
                .write(move |tx| handlers::tell_in_dm(tx, &ctx, form_unavailable(text)))
                .await
            {
                Ok(()) => outbox.notify_one(),
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "cannot say the form did not open")
                }
            }
        };
        // In the request's span: its lines carry the request's id.
        tokio::spawn(tracing::Instrument::in_current_span(saying));
    }

    /// Opens the pitch form for `user`, pre-filled with their council (and a message's
    /// words, from the message shortcut).
    pub(super) async fn open_pitch_form(
        &self,
        team: TeamId,
        user: UserId,
        opening: Opening,
        trigger_id: &str,
    ) -> Result<(), CallError> {
        let (t, u) = (team.clone(), user);
        let council = self.db.read(move |c| crate::store::council_of(c, &t, &u));
        // Asked beside the council, not after it: the trigger's 3 s are shared.
        let source = async {
            match &opening {
                Opening::Message(m) => self.source_privacy(m).await,
                _ => None,
            }
        };
        let (council, source) = tokio::join!(council, source);
        let council = council.unwrap_or_else(|e| {
            // The form still opens, only without the pre-filled council.
            tracing::warn!(error = format!("{e:#}"), "council not read for the form");
            None
        });
        let council = council.map(|(_, name)| name.display().to_string());
        let from_home = matches!(opening, Opening::Home);
        let form = match opening {
            Opening::Typed(channel) => PitchForm::blank(council, Announce::In(channel.to_string())),
            Opening::Blank | Opening::Home => PitchForm::blank(council, Announce::Ask),
            Opening::Message(m) => from_message(council, &m, source),
        };
        let view = match from_home {
            true => super::payload::drawn_for(render::pitch_modal(&form), &team),
            false => render::pitch_modal(&form),
        };
        self.api.open_view(&team, trigger_id, view).await
    }

    /// The pitch form submitted: its fields' problems are answered inline (nothing is
    /// recorded); a good one is recorded and announced as a typed pitch would be, and the
    /// empty answer closes the modal.
    /// `asked`: when the submission reached the bot, and whether its answer can still get back.
    pub(super) async fn pitch_submitted(&self, sub: Submission, asked: Asked) -> Answer {
        let (pitch, channel) = match read_pitch_form(&sub) {
            Ok(read) => read,
            Err(errors) => return field_errors(errors),
        };
        let (team, user, view) = (sub.team.clone(), sub.user.clone(), sub.view_id);
        let ctx = self.ctx(sub.team, sub.user, channel);
        let unseen = ctx.clone();
        let write = move |tx: &rusqlite::Transaction| {
            handlers::once_per_view(tx, &ctx, &view, || {
                handlers::pitch_form(tx, &ctx, pitch.clone())
            })
        };
        match self.db.write(write).await {
            // Submitted again after a slow answer: the first was recorded; close the form.
            Ok(None) => Answer::Done,
            // A lead council close to a recorded one: offered under its field, the form kept
            // open; submitted again unchanged, it is recorded as it is.
            Ok(Some(Reply::CouncilDidYouMean { typed, suggestion })) => {
                // Too late for Slack, which has stopped waiting, or with no socket left to
                // carry it: never seen, so not taken as asked (pressed again, it would
                // record the slip unasked).
                if !asked.answer_seen_now() {
                    let forget = move |tx: &rusqlite::Transaction| {
                        handlers::council_offer_unseen(tx, &unseen)
                    };
                    if let Err(e) = self.db.write(forget).await {
                        tracing::warn!(error = format!("{e:#}"), "cannot forget an unseen offer");
                    }
                }
                let text = render::lead_council_offer(&typed, &suggestion);
                field_errors(HashMap::from([(render::COUNCIL_FIELD, text)]))
            }
            // Refused (past the allowance): said under the title, the form kept open.
            Ok(Some(Reply::Problem { problem })) => {
                let text = render::form_problem_text(&problem, &self.look);
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

/// What the pitch form is opened for.
pub(super) enum Opening {
    /// `/makers pitch`, typed in this channel: announced there.
    Typed(ChannelId),
    /// The global shortcut: the form asks where.
    Blank,
    /// The Home's button: as `Blank`, and submitted it is of the workspace the Home was
    /// drawn for (`payload::drawn_for`).
    Home,
    /// The message shortcut: filled in with the message's words, offering its channel.
    Message(MessageShortcut),
}

/// The form for pitching what a message says: its first line the title, the lines after it
/// the description (the whole message when its first line is too long to be a title), and,
/// for a message in a channel, that channel offered and a link to the message added to the
/// description when submitted. A message in a DM or a group DM offers no channel (a pitch
/// belongs in one) and gets no link, which would lead nobody else anywhere.
fn from_message(
    council: Option<String>,
    m: &MessageShortcut,
    from_private: Option<PrivateSource>,
) -> PitchForm {
    let (announce, room) = if m.channel.is_dm() || m.in_group_dm {
        (Announce::Ask, Description::MAX_CHARS)
    } else {
        let message = MessageRef::of(m);
        // What the link adds to whatever is typed, one character of it aside, as
        // `Description::parse` counts it: by its label (39), not Slack's address (95 and
        // the channel's id, 44 more for a reply), which left 60 to 110 characters the bot
        // would have taken cut from a long message and refused in the field.
        let added = shown_len(&with_link("x", &message)) - 1;
        let announce = Announce::AskFromMessage {
            channel: m.channel.to_string(),
            head: message.head(),
        };
        (announce, Description::MAX_CHARS - added)
    };
    let text = m.text.trim();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.trim();
    let (title, description) = if Title::parse(first) == Err(UserError::TitleNamesSomeone) {
        // A first line naming someone by id would be refused as a title: the whole message
        // is the description (where the mention works), and the title is theirs to give.
        (String::new(), fit(text, room))
    } else if utf16_len(first) <= Title::MAX_CHARS {
        (first.to_string(), fit(rest.trim(), room))
    } else {
        // A first line that is one long link keeps nothing but "…" once cut: the title is
        // left empty, for the person to give one (the field is required), rather than
        // offer a project called "…". So is one whose cut still names someone (a long line
        // is refused for its length before its mention is looked at): the form would refuse
        // the title it filled in.
        let title = Some(fit(first, Title::MAX_CHARS))
            .filter(|cut| cut.trim_end_matches('…').trim() != "")
            .filter(|cut| Title::parse(cut) != Err(UserError::TitleNamesSomeone))
            .unwrap_or_default();
        (title, fit(text, room))
    };
    PitchForm {
        council,
        announce,
        title,
        description,
        description_room: room,
        from_private,
    }
}

/// The line a pitch from a message adds to its description.
fn pitched_from(message: &MessageRef) -> String {
    render::pitched_from(&message.link(render::PITCHED_FROM_LABEL))
}

/// The description submitted, with the link to the message it was pitched from after it.
fn with_link(typed: &str, message: &MessageRef) -> String {
    match typed.trim() {
        "" => pitched_from(message),
        typed => format!("{typed}\n\n{}", pitched_from(message)),
    }
}

/// `text` in at most `max` UTF-16 units, cut with "…" and never inside a token.
pub(super) fn fit(text: &str, max: usize) -> String {
    if utf16_len(text) <= max {
        return text.to_string();
    }
    let chars = chars_within_utf16(text, max.saturating_sub(1));
    format!("{}…", cut_typed(text, chars).trim_end())
}

type FieldErrors = HashMap<&'static str, String>;

/// What a submitted pitch form carries in `private_metadata`, as [`Announce`] put it there.
enum Carried {
    /// Nothing: the form asked where to announce.
    Nothing,
    /// The channel `/makers pitch` was typed in (`None` if it is not one).
    TypedIn(Option<ChannelId>),
    /// The message it is pitched from: the form asked where, and the description links it.
    Message(MessageRef),
}

impl Carried {
    fn read(metadata: &str) -> Carried {
        if metadata.is_empty() {
            return Carried::Nothing;
        }
        match MessageRef::from_head(metadata) {
            Some(message) => Carried::Message(message),
            None => Carried::TypedIn(ChannelId::parse(metadata)),
        }
    }
}

/// What to say when a form did not open: `slow` if Slack did not answer in time
/// (`views.open` is given 2 of Slack's 3 s, and the form may have opened after all), else
/// `unavailable`.
pub(super) fn form_failed_text(
    e: &CallError,
    slow: &'static str,
    unavailable: &'static str,
) -> &'static str {
    match e.unanswered() {
        true => slow,
        false => unavailable,
    }
}

/// [`form_failed_text`] for the pitch form.
fn pitch_form_failed(e: &CallError) -> &'static str {
    form_failed_text(e, render::FORM_SLOW_TEXT, render::FORM_UNAVAILABLE_TEXT)
}

/// The word that a form could not be opened, with the way to do without it.
fn form_unavailable(text: &str) -> Reply {
    Reply::Problem {
        problem: Problem::Worded {
            text: text.to_string(),
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
    let carried = Carried::read(&sub.private_metadata);
    // From a message in a channel, its link follows what was typed.
    // Addresses typed bare are linked, as Slack links them in a message, unless that takes
    // the description over its limit (the field's own limit counts the address alone).
    let typed = sub.text(render::DESCRIPTION_FIELD);
    let parse = |typed: &str| match &carried {
        Carried::Message(message) => Description::parse(&with_link(typed, message)),
        _ => Description::parse(typed),
    };
    let description = linked_or_typed(typed, parse);
    if let Err(e) = &description {
        errors.insert(render::DESCRIPTION_FIELD, render::form_error_text(e));
    }
    let council = match sub.text(render::COUNCIL_FIELD) {
        "" => Ok(None),
        // "None" or "n/a" in the field says what an empty one does.
        name => match CouncilName::parse(name) {
            Err(UserError::CouncilSaysNone) => Ok(None),
            parsed => parsed.map(Some),
        },
    };
    if let Err(e) = &council {
        errors.insert(render::COUNCIL_FIELD, render::form_error_text(e));
    }
    // From the command, the channel it was typed in; from a shortcut or the Home, the one
    // chosen (and only those forms have a channel block to show an error under).
    let (channel, channel_field) = match carried {
        Carried::TypedIn(channel) => (channel, render::TITLE_FIELD),
        Carried::Nothing | Carried::Message(_) => (
            sub.conversation(render::CHANNEL_FIELD).cloned(),
            render::CHANNEL_FIELD,
        ),
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

/// The answer to an interaction we could not decode: a form's submission (its first input
/// block given) stays open with what was typed, told so; anything else is acked, as a
/// retry would read no better.
pub(super) fn unreadable(form_block: Option<String>) -> Answer {
    match form_block {
        Some(block) => field_errors(HashMap::from([(block, render::FORM_UNREADABLE_TEXT)])),
        None => Answer::Done,
    }
}

/// `{"response_action":"errors","errors":{block_id: text}}`: the modal stays open.
/// Errors shown under a modal's fields: `{block_id: text}` (only input blocks' ids work).
pub(super) fn field_errors(errors: impl serde::Serialize) -> Answer {
    Answer::json(serde_json::json!({ "response_action": "errors", "errors": errors }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MessageTs;

    #[test]
    fn pitch_alone_opens_the_form_as_a_sentence_may_end_it() {
        for text in ["pitch", " PITCH ", "pitch.", "pitch:"] {
            assert!(asks_for_pitch_form(text), "{text}");
        }
        for text in ["pitch Bins", "pitch?", "pitches"] {
            assert!(!asks_for_pitch_form(text), "{text}");
        }
    }

    fn shortcut(channel: &str, text: &str) -> MessageShortcut {
        MessageShortcut {
            team: TeamId::parse("T0MAKERS").unwrap(),
            user: UserId::parse("U0PITCHER").unwrap(),
            callback_id: render::PITCH_MESSAGE.into(),
            trigger_id: "1.2.3".into(),
            channel: ChannelId::parse(channel).unwrap(),
            ts: MessageTs::parse("1516229207.000133").unwrap(),
            thread_ts: None,
            text: text.into(),
            in_group_dm: false,
        }
    }

    #[test]
    fn a_messages_first_line_is_the_title_and_the_rest_the_description() {
        let m = shortcut(
            "C0MAKERS",
            "  Bin day finder\n\nOne page: enter a postcode.\nThat's all.\n",
        );
        let form = from_message(Some("Guildford Borough Council".into()), &m, None);
        assert_eq!(form.title, "Bin day finder");
        assert_eq!(form.description, "One page: enter a postcode.\nThat's all.");
        assert_eq!(form.council.as_deref(), Some("Guildford Borough Council"));
        assert_eq!(
            form.announce,
            Announce::AskFromMessage {
                channel: "C0MAKERS".into(),
                head: "msg C0MAKERS 1516229207.000133 -".into(),
            }
        );
        // Whatever is typed in the room left, the link still fits a description, counted
        // as the bot counts it: by the link's label.
        let link = pitched_from(&MessageRef::of(&m));
        assert_eq!(
            link,
            "Pitched from <https://slack.com/archives/C0MAKERS/p1516229207000133|a conversation in Slack>."
        );
        assert_eq!(
            form.description_room,
            Description::MAX_CHARS - "\n\nPitched from a conversation in Slack.".len()
        );
        let full = with_link(&"x".repeat(form.description_room), &MessageRef::of(&m));
        assert_eq!(shown_len(Description::parse(&full).unwrap().as_str()), 2000);
        let over = with_link(&"x".repeat(form.description_room + 1), &MessageRef::of(&m));
        assert!(Description::parse(&over).is_err());
        assert_eq!(with_link("  ", &MessageRef::of(&m)), link);
        // One line: a title, and nothing to describe yet.
        let one = from_message(None, &shortcut("C0MAKERS", "Bin day finder"), None);
        assert_eq!(
            (one.title.as_str(), one.description.as_str()),
            ("Bin day finder", "")
        );
        // A first line naming someone by id alone (a title would be refused): no title
        // offered, the whole message the description, where the mention works.
        let text = "Bins with <@U0SAM>\nHer idea";
        let named = from_message(None, &shortcut("C0MAKERS", text), None);
        assert_eq!(
            (named.title.as_str(), named.description.as_str()),
            ("", text)
        );
        // Only blocks, no text: a blank form, still offering the channel.
        let none = from_message(None, &shortcut("C0MAKERS", ""), None);
        assert_eq!((none.title.as_str(), none.description.as_str()), ("", ""));
    }

    #[test]
    fn a_long_message_is_cut_to_what_each_field_holds_never_inside_a_token() {
        // A first line too long to be a title: cut for the title, and the whole message
        // becomes the description, so nothing is lost from view.
        let first = format!(
            "{} <https://example.org/a-long-address|the plan>",
            "word ".repeat(22)
        );
        let text = format!("{first}\nSecond line");
        let form = from_message(None, &shortcut("C0MAKERS", &text), None);
        assert!(form.title.ends_with('…'), "{}", form.title);
        assert!(utf16_len(&form.title) <= Title::MAX_CHARS);
        assert!(!form.title.contains("<https"), "{}", form.title);
        assert_eq!(form.description, text);
        // Emoji count twice in UTF-16 units, so a message of them is cut by that count.
        let emoji = "🗑️".repeat(100);
        let form = from_message(None, &shortcut("C0MAKERS", &emoji), None);
        assert!(utf16_len(&form.title) <= Title::MAX_CHARS, "{}", form.title);
        assert!(Title::parse(&form.title).is_ok());
        // A first line that is one long link: no title offered, the whole message kept.
        let link = format!("<https://council.sharepoint.com/{}|>", "x".repeat(130));
        let text = format!("{link}\nOur idea");
        let form = from_message(None, &shortcut("C0MAKERS", &text), None);
        assert_eq!(form.title, "");
        assert_eq!(form.description, text);
        // A first line too long to be a title that names someone within what a title
        // holds: no title offered either (the form would refuse its own).
        let text = format!(
            "Following <@U0SAM>'s idea at the meetup, {}",
            "we could ".repeat(20) + "do it"
        );
        let form = from_message(None, &shortcut("C0MAKERS", &text), None);
        assert_eq!(form.title, "");
        assert_eq!(form.description, text);
        // A description past its room is cut to it.
        let long = format!("Title\n{}", "é ".repeat(3000));
        let form = from_message(None, &shortcut("C0MAKERS", &long), None);
        assert!(utf16_len(&form.description) <= form.description_room);
        assert!(form.description.ends_with('…'));
    }

    #[test]
    fn from_a_dm_or_a_group_dm_no_channel_is_offered_and_no_link_added() {
        let dm = from_message(None, &shortcut("D0LFFBKLZ", "Idea\nMore"), None);
        assert_eq!(dm.announce, Announce::Ask);
        assert_eq!(dm.description_room, Description::MAX_CHARS);
        assert_eq!(
            (dm.title.as_str(), dm.description.as_str()),
            ("Idea", "More")
        );
        let mut group = shortcut("G0GROUPDM", "Idea");
        group.in_group_dm = true;
        assert_eq!(from_message(None, &group, None).announce, Announce::Ask);
    }
}
