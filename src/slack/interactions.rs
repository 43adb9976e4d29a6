//! Interactions (`POST /slack/interactions` or Socket Mode's `interactive`): one dispatch for buttons, shortcuts and modal submissions.
//! Slack wants its answer within 3 seconds; a button's is nothing (an empty 200 or a bare ack) and the presser hears
//! back through the outbox (from the Home tab: see `home`); a shortcut opens a modal
//! (`views.open`, see `forms` and `post_update`); a
//! submission is answered with nothing (the modal closes) or its fields' errors.

use super::answer::{Answer, Asked};
use super::forms::Opening;
use super::payload::{self, Interaction};
use super::render;
use super::routes::Routes;
use crate::domain::{ChannelId, MessageTs, ProjectNumber, TeamId, UserId};
use crate::handlers::Privately;
use crate::handlers::{self, ButtonAction, Ctx};
use crate::message::Reply;

impl Routes {
    /// An interaction (HTTP's `/slack/interactions`, Socket Mode's `interactive`). `asked`:
    /// when it reached the bot (over HTTP, when its head was read), which Slack's 3 seconds
    /// for the answer are counted from, and over a socket whether one is left to carry the
    /// answer (a form's offer judged unseen).
    pub async fn interaction(&self, interaction: Interaction, asked: Asked) -> Answer {
        // The workspace it acts in, where the payload says it; a button on a message in a
        // channel is worked out below.
        let said = match &interaction {
            Interaction::Button(press) if press.channel.is_some() => None,
            Interaction::Button(press) => Some(&press.team),
            Interaction::MessageShortcut(m) => Some(&m.team),
            Interaction::Shortcut { team, .. } => Some(team),
            Interaction::Submission(submission) => Some(&submission.team),
            Interaction::Other(_) => None,
        };
        if let Some(team) = said
            && let Some(answer) = self.not_acting(team).await
        {
            return answer;
        }
        match interaction {
            Interaction::Button(press) => match press.channel.clone() {
                // Only views (the Home tab) have buttons without a channel.
                None => self.home_button(press).await,
                Some(channel) => {
                    // Join or Leave on a pitch announcement acts in the workspace whose pitch
                    // it is, and so does a nudge's *Post update*, in its pitch's thread: in a
                    // channel shared with another organisation, `team` is the presser's own,
                    // and their project of the same number is another. (Only those: another
                    // button's message is no announcement, and finding that out would read
                    // every project.)
                    let pressed = button_action(&press.action_id);
                    let pitch = match pressed {
                        _ if press.on_ephemeral => None,
                        Some(Pressed::Team(_)) => press.message_ts.as_ref(),
                        Some(Pressed::Update) => press.thread_ts.as_ref(),
                        // The presser's own workspace's report, as asked there.
                        Some(Pressed::ReportCopy) | None => None,
                    };
                    // A *Join* on a private answer names its project's workspace in its value
                    // (the similar projects a pitch was answered with), sealed for the one it
                    // was shown to; so does one in the presser's DM with the bot (a merge's
                    // word, a form pitch's answer), which someone of another organisation
                    // presses named by Slack with their own workspace. No other button's
                    // value is read for one, nor one not sealed for the presser: a value is
                    // the presser's to forge, and another workspace's token is used for
                    // nothing but the *Join* the bot offered.
                    let read = press
                        .value
                        .as_deref()
                        .and_then(|v| self.look.join_seal.read(v, &press.user));
                    let named = read
                        .as_ref()
                        .and_then(|read| read.workspace.sealed().cloned())
                        .filter(|_| {
                            (press.on_ephemeral || channel.is_dm())
                                && matches!(pressed, Some(Pressed::Team(ButtonAction::Join)))
                        });
                    // On an announcement, also its project: the only one its buttons act on.
                    let (team, announced) = match (pitch, named) {
                        (Some(ts), named) => {
                            let in_channel =
                                matches!(pressed, Some(Pressed::Team(_))) && !channel.is_dm();
                            let found = match self.pitch_workspace(&press.team, &channel, ts).await
                            {
                                // The first copy of an announcement posted twice (its first
                                // post's answer lost), whose ts is not kept: its project's.
                                Ok(None) if in_channel => {
                                    let number = read.as_ref().map(|read| read.number);
                                    self.earlier_copy(&press.team, &channel, number, ts).await
                                }
                                found => found,
                            };
                            match found {
                                Ok(Some((team, number))) => (team, Some(number)),
                                // A Join or Leave on a channel's message no project was
                                // announced by: an announcement whose project is gone (its
                                // workspace erased, or the database put back to before it).
                                // Its number is now another project's, maybe of another
                                // workspace: out of date. In a DM the bot's other messages
                                // carry a Join (a form pitch's answer, a merge's word), which
                                // act in the workspace they name sealed for the presser, or
                                // else in the presser's own as ever.
                                Ok(None) if in_channel => {
                                    if let Some(answer) = self.not_acting(&press.team).await {
                                        return answer;
                                    }
                                    tracing::info!("a button on an announcement no project has");
                                    let ctx = self.ctx(press.team, press.user, channel);
                                    self.tell_presser(move |tx| {
                                        handlers::tell_stale_button(
                                            tx,
                                            &ctx,
                                            handlers::Privately::InChannel,
                                        )
                                    })
                                    .await;
                                    return Answer::Done;
                                }
                                Ok(None) => (named.unwrap_or_else(|| press.team.clone()), None),
                                // Not acted on in a workspace that may not be the pitch's.
                                // Slack does not press a button again: the presser is
                                // told it did not work, in their own workspace.
                                Err(e) => {
                                    tracing::warn!(
                                        error = format!("{e:#}"),
                                        "announcement's workspace not read"
                                    );
                                    let presser = self.ctx(press.team, press.user, channel);
                                    self.tell_failure(presser, Privately::InChannel).await;
                                    return Answer::Done;
                                }
                            }
                        }
                        (None, Some(named)) => (named, None),
                        (None, None) => (press.team.clone(), None),
                    };
                    if let Some(answer) = self.not_acting(&team).await {
                        return answer;
                    }
                    // A copy is of a report answered privately, to someone of the workspace
                    // it reads: not pressed on a message anyone else sees, nor by someone of
                    // another organisation in a shared channel (whom a report by mention
                    // there is refused), whatever its value says.
                    if matches!(pressed, Some(Pressed::ReportCopy))
                        && (!press.on_ephemeral || self.by_another_workspace(&press, &team).await)
                    {
                        tracing::info!("a report's copy pressed where none was given: ignored");
                        return Answer::Done;
                    }
                    let mut ctx = self.ctx(team, press.user, channel);
                    // Pressed on a reply in a thread (Join under similar projects told in
                    // one): the answer goes there, where the presser is looking. Not on an
                    // announcement with replies, whose own ts is its `thread_ts`.
                    ctx.thread = press
                        .thread_ts
                        .clone()
                        .filter(|thread| press.message_ts.as_ref() != Some(thread));
                    let (action_id, value) = (&press.action_id, press.value.as_deref());
                    // A value naming another project than the announcement's is forged (or
                    // stale): in a shared channel it would reach a project of the pitch's
                    // workspace that nobody of another organisation may be shown there.
                    let read = read.filter(|read| announced.is_none_or(|n| n == read.number));
                    self.button(ctx, action_id, value, read, &press.trigger_id)
                        .await
                }
            },
            Interaction::MessageShortcut(m) if m.callback_id == render::POST_UPDATE => {
                self.post_message_as_update(m).await
            }
            Interaction::MessageShortcut(m) if m.callback_id == render::PITCH_MESSAGE => {
                let (team, user, trigger_id) =
                    (m.team.clone(), m.user.clone(), m.trigger_id.clone());
                let opening = Opening::Message(m);
                self.open_pitch_form_or_say(team, user, opening, &trigger_id, "a message")
                    .await;
                Answer::Done
            }
            Interaction::Shortcut {
                team,
                user,
                callback_id,
                trigger_id,
            } => self.shortcut(team, user, &callback_id, &trigger_id).await,
            Interaction::Submission(submission) if submission.callback_id == render::PITCH_FORM => {
                self.pitch_submitted(submission, asked).await
            }
            Interaction::Submission(submission)
                if submission.callback_id == render::POST_UPDATE =>
            {
                self.update_submitted(submission).await
            }
            other => {
                // Its kind alone: a form's fields or a message's text are people's words.
                let kind = match &other {
                    Interaction::Button(_) => "button",
                    Interaction::Shortcut { .. } => "shortcut",
                    Interaction::MessageShortcut(_) => "message shortcut",
                    Interaction::Submission(_) => "form submission",
                    Interaction::Other(kind) => kind,
                };
                tracing::debug!(kind, "interaction acknowledged");
                Answer::Done
            }
        }
    }

    /// A global shortcut: ours open a form. Slack wants an empty answer whatever happens; if
    /// the form cannot open, the person is told in their DM (a shortcut has no channel).
    async fn shortcut(
        &self,
        team: TeamId,
        user: UserId,
        callback_id: &str,
        trigger_id: &str,
    ) -> Answer {
        if callback_id != render::PITCH_FORM {
            tracing::debug!(callback_id, "shortcut we did not make");
            return Answer::Done;
        }
        self.open_pitch_form_or_say(team, user, Opening::Blank, trigger_id, "the shortcut")
            .await;
        Answer::Done
    }

    /// [`payload::ButtonPress::by_another_workspace`], by the organisations the two
    /// workspaces installed the app in; one that cannot be read counts as another.
    pub(super) async fn by_another_workspace(
        &self,
        press: &payload::ButtonPress,
        team: &TeamId,
    ) -> bool {
        // Only a press naming an organisation can be of one; else nothing to read.
        let Some(theirs) = press.other_workspace(team).filter(|_| press.org.is_some()) else {
            return press.by_another_workspace(team, |_| None);
        };
        let teams = [team.clone(), theirs.clone()];
        let orgs = self
            .db
            .read(move |conn| {
                teams
                    .into_iter()
                    .map(|t| Ok((crate::store::installed_org(conn, &t)?, t)))
                    .collect::<anyhow::Result<Vec<_>>>()
            })
            .await;
        match orgs {
            Ok(orgs) => press.by_another_workspace(team, |t| {
                orgs.iter()
                    .find(|(_, of)| of == t)
                    .and_then(|(org, _)| org.clone())
            }),
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "installations not read");
                true
            }
        }
    }

    /// The workspace whose pitch was announced at `ts` in `channel`, and its number, if one
    /// was (`team`'s own first; a channel shared with another organisation has the same id in
    /// both).
    pub(super) async fn pitch_workspace(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        ts: &MessageTs,
    ) -> anyhow::Result<Option<(TeamId, ProjectNumber)>> {
        let (t, c, m) = (team.clone(), channel.clone(), ts.clone());
        self.db
            .read(move |conn| crate::store::announced_pitch(conn, &t, &c, &m))
            .await
    }

    /// `team`'s project `number`, if the message `ts` in `channel` may be an earlier copy of
    /// its announcement (see [`crate::store::earlier_copy_of_announcement`]).
    async fn earlier_copy(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        number: Option<ProjectNumber>,
        ts: &MessageTs,
    ) -> anyhow::Result<Option<(TeamId, ProjectNumber)>> {
        let Some(number) = number else {
            return Ok(None);
        };
        let (t, c, m) = (team.clone(), channel.clone(), ts.clone());
        let copy = self
            .db
            .read(move |conn| crate::store::earlier_copy_of_announcement(conn, &t, &c, number, &m))
            .await?;
        Ok(copy.then(|| (team.clone(), number)))
    }

    /// Slack wants an empty answer for a button, fast; the presser's answer goes through the
    /// outbox as an ephemeral message, and so does word that the press failed on our side.
    /// *Post update* opens the update form instead (with `trigger_id`). `value` as pressed,
    /// and `read` as a project button's (see `render::JoinSeal::read`).
    async fn button(
        &self,
        ctx: Ctx,
        action_id: &str,
        value: Option<&str>,
        read: Option<render::ButtonValue>,
        trigger_id: &str,
    ) -> Answer {
        // Not ours (a link button, say): Slack still wants its answer, and nobody is waiting.
        let Some(action) = button_action(action_id) else {
            tracing::debug!(action_id, "button we did not make");
            return Answer::Done;
        };
        // A report's copy carries a command; the others, a project's number.
        let team_action = match action {
            Pressed::ReportCopy => {
                let asked = value.unwrap_or_default().to_string();
                self.send_report_copy(ctx, asked, Privately::InChannel)
                    .await;
                return Answer::Done;
            }
            Pressed::Team(action) => Some(action),
            Pressed::Update => None,
        };
        // A value naming a workspace other than the one acted in (unsealed, or on a button
        // that may not name one) is out of date, or forged: its project is not this
        // workspace's of the same number.
        let Some(number) = read
            .filter(|read| read.workspace.team().is_none_or(|t| *t == ctx.team))
            .map(|read| read.number)
        else {
            tracing::warn!(
                action_id,
                "button without a project number of this workspace"
            );
            self.tell_presser(move |tx| {
                handlers::tell_stale_button(tx, &ctx, handlers::Privately::InChannel)
            })
            .await;
            return Answer::Done;
        };
        // *Post update*: the update form, with the project chosen, as shown where pressed
        // (a private channel's to those in it, as a typed `update` there).
        let Some(action) = team_action else {
            self.open_update_form(ctx, trigger_id, Some(number), String::new(), false)
                .await;
            return Answer::Done;
        };
        let presser = ctx.clone();
        match self
            .db
            .write(move |tx| handlers::press_button(tx, &ctx, number, action))
            .await
        {
            Ok(()) => self.outbox.notify_one(),
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "button press failed");
                self.tell_failure(presser, Privately::InChannel).await;
            }
        }
        Answer::Done
    }

    /// *Send me a copy* on a report: the report `asked` again, worked out on a reader (a
    /// year's takes a tenth of a second, which the writer would keep every other write
    /// waiting for), sent to the presser's messages with the bot, where it stays.
    pub(super) async fn send_report_copy(&self, ctx: Ctx, asked: String, else_: Privately) {
        // Spent as a look by mention is: a press is a report and a message.
        if let Err(told) = handlers::spend_on_press(&ctx) {
            if let Some(reply) = told {
                self.tell_presser(move |tx| {
                    handlers::tell_pressed(tx, &ctx, else_, (*reply).clone())
                })
                .await;
            }
            return;
        }
        let presser = ctx.clone();
        let reply = self
            .db
            .read(move |c| handlers::report_copy(c, &presser, &asked))
            .await;
        match reply {
            // A report, to keep; anything else (the button out of date, a council since
            // merged away) is said where it was pressed.
            Ok(reply @ (Reply::Report(_) | Reply::CouncilReport(_))) => {
                self.tell_presser(move |tx| handlers::tell_in_dm(tx, &ctx, reply.clone()))
                    .await
            }
            Ok(reply) => {
                self.tell_presser(move |tx| handlers::tell_pressed(tx, &ctx, else_, reply.clone()))
                    .await
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "report copy failed");
                self.tell_failure(ctx, else_).await;
            }
        }
    }

    /// Queues, in a write of its own, a private "something went wrong, nothing changed" for
    /// someone whose press failed: the failed write rolled back, and its answer with it.
    pub(super) async fn tell_failure(&self, ctx: Ctx, where_: Privately) {
        self.tell_presser(move |tx| handlers::tell_failure(tx, &ctx, where_))
            .await;
    }

    /// Queues, in a write of its own, what `tell` says to the presser.
    async fn tell_presser(
        &self,
        tell: impl FnMut(&rusqlite::Transaction) -> anyhow::Result<()> + Send + 'static,
    ) {
        match self.db.write(tell).await {
            Ok(()) => self.outbox.notify_one(),
            Err(e) => tracing::error!(error = format!("{e:#}"), "cannot tell the presser"),
        }
    }
}

/// What a button of ours in a channel does.
enum Pressed {
    /// Join or leave the team (an announcement's buttons, a similar project's Join).
    Team(ButtonAction),
    /// Open the update form (a nudge's *Post update*).
    Update,
    /// Send a report to the presser's messages with the bot (a report's *Send me a copy*).
    ReportCopy,
}

fn button_action(action_id: &str) -> Option<Pressed> {
    match action_id {
        render::JOIN_ACTION => Some(Pressed::Team(ButtonAction::Join)),
        render::LEAVE_ACTION => Some(Pressed::Team(ButtonAction::Leave)),
        render::UPDATE_BUTTON => Some(Pressed::Update),
        render::REPORT_COPY_ACTION => Some(Pressed::ReportCopy),
        _ => None,
    }
}
