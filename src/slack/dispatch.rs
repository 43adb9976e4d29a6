//! The one dispatch of Slack's traffic, free of any transport: a decoded event, command or
//! interaction (see `interactions`) in, an [`Answer`] out. HTTP (`routes`) and Socket Mode
//! (`socket`) decode with `payload` and hand over here; nothing below knows how it came.

use super::answer::{Answer, Asked};
use super::payload::{EventsBody, SlashCommand};
use super::refusal_log::TeamRefusalLog;
use super::reply_cache::Key;
use super::routes::{Routes, internal};
use crate::commands::{self, Command};
use crate::domain::{ChannelId, TeamId, UserError, UserId};
use crate::handlers::{self, Ctx, Event, EventKind, EventOutcome};
use crate::message::Reply;

/// Whether the bot acts for a workspace (see [`crate::slack::client::SlackApi::serves`]).
pub(super) enum Acting {
    Yes,
    /// Not served: answered, nothing recorded.
    No,
    /// It could not be told just now (Slack or the database did not answer).
    CannotTell,
}

impl Routes {
    /// Whether to act for `team`: asked after working out which workspace a request acts in,
    /// before anything is recorded.
    pub(super) async fn acting_for(&self, team: &TeamId) -> Acting {
        match self.api.serves(team).await {
            Ok(true) => Acting::Yes,
            Ok(false) => {
                // Slack sends one for every status change there: a line a minute per
                // workspace, not a line each (see `refusal_log`).
                static NOT_SERVED: TeamRefusalLog = TeamRefusalLog::new();
                let now = chrono::Utc::now().timestamp();
                if let Some(unlogged) = NOT_SERVED.at(team.as_str(), now) {
                    tracing::warn!(%team, unlogged, "a request from a workspace the bot does not serve (no installation), ignored");
                }
                Acting::No
            }
            Err(e) => {
                tracing::warn!(%team, error = %e, "cannot tell whether the bot serves the workspace");
                Acting::CannotTell
            }
        }
    }

    /// The answer to a request from a workspace the bot does not act for, if it does not:
    /// acknowledged and dropped (with no token there, nothing can be said back), or tried
    /// again when that could not be told.
    pub(super) async fn not_acting(&self, team: &TeamId) -> Option<Answer> {
        match self.acting_for(team).await {
            Acting::Yes => None,
            Acting::No => Some(Answer::Done),
            Acting::CannotTell => Some(Answer::Retry),
        }
    }

    /// An Events API body (HTTP's `/slack/events`, Socket Mode's `events_api`).
    pub async fn event(&self, body: EventsBody) -> Answer {
        if let EventsBody::Callback {
            team,
            org: Some(org),
            ..
        } = &body
        {
            self.note_org(team, org).await;
        }
        let (team, event_id, event) = match body {
            EventsBody::UrlVerification { challenge } => {
                return Answer::json(serde_json::json!({ "challenge": challenge }));
            }
            EventsBody::RateLimited => {
                tracing::warn!("Slack reports our app is rate limited for events");
                return Answer::Done;
            }
            EventsBody::HomeOpened { team, user } => {
                // Not told whether to: Slack sends it again (acknowledged, the old Home
                // would stay up until the next opening).
                if let Some(answer) = self.not_acting(&team).await {
                    return answer;
                }
                self.publish_home(team, user);
                return Answer::Done;
            }
            EventsBody::Removed {
                team,
                removal,
                raised_at,
            } => return self.removed(team, removal, raised_at).await,
            EventsBody::LeftSlack {
                team,
                event_id,
                user,
                raised_at,
            } => {
                if let Some(answer) = self.not_acting(&team).await {
                    return answer;
                }
                return self.left_slack(team, event_id, user, raised_at).await;
            }
            EventsBody::InSlack {
                team,
                user,
                raised_at,
            } => {
                if let Some(answer) = self.not_acting(&team).await {
                    return answer;
                }
                return self.in_slack(user, raised_at).await;
            }
            EventsBody::ChannelMoved { team, old, new } => {
                if let Some(answer) = self.not_acting(&team).await {
                    return answer;
                }
                return self.channel_moved(old, new).await;
            }
            EventsBody::MovedIntoOrg { team, org } => {
                if let Some(answer) = self.not_acting(&team).await {
                    return answer;
                }
                return self.moved_into_org(team, org).await;
            }
            EventsBody::Ignored | EventsBody::Callback { event: None, .. } => return Answer::Done,
            EventsBody::Callback {
                team,
                event_id,
                event: Some(event),
                ..
            } if event.concerns_us(&self.rules) => {
                // In a channel shared by two workspaces that installed the bot, Slack delivers
                // an event once, for either: a reaction or a thread mention acts in the
                // workspace whose pitch it is on, and another mention in the workspace whose
                // bot it addresses. Whatever `is_ext_shared_channel` says: a channel shared
                // inside an Enterprise Grid organisation is not "externally" shared, and there
                // a join was dropped and a mention acted in whichever workspace Slack named.
                let mut event = event;
                // Not read, it is delivered again: recorded where it was delivered, it would
                // be applied in the wrong workspace, or not at all, for good.
                let team = match self.event_workspace(team, &mut event).await {
                    Ok(team) => team,
                    Err(e) => {
                        tracing::warn!(
                            error = format!("{e:#}"),
                            "whose event it is not read: Slack will retry"
                        );
                        return Answer::Retry;
                    }
                };
                (team, event_id, event)
            }
            EventsBody::SomeoneElseJoined {
                team,
                event_id,
                user,
                channel,
            } => {
                // The bot of another workspace it serves, invited to a channel shared with
                // this one (with another organisation, or inside an Enterprise Grid one): its
                // posts waiting there go out. Anyone else joining is nothing to us (one read of
                // the installations, a row a workspace, as the event cannot tell which it is).
                let joined = match self.workspace_of_bot(&user).await {
                    Ok(Some(joined)) => joined,
                    Ok(None) => return Answer::Done,
                    Err(e) => {
                        tracing::warn!(
                            error = format!("{e:#}"),
                            "installations not read: Slack will retry"
                        );
                        return Answer::Retry;
                    }
                };
                tracing::debug!(delivered_for = %team, %joined, "our bot joined a shared channel");
                let event = Event {
                    user,
                    channel,
                    kind: EventKind::BotJoinedChannel,
                };
                (joined, event_id, event)
            }
            // Most reactions in a workspace are not the join emoji: nothing to record.
            EventsBody::Callback { .. } => return Answer::Done,
        };
        // Not told whether to: Slack delivers it again.
        if let Some(answer) = self.not_acting(&team).await {
            return answer;
        }
        self.apply_event(team, event_id, event).await
    }

    /// Whose an event delivered for `team` is: a reaction's or a thread mention's, the
    /// pitch's it is on; another mention's, the workspace whose bot it addresses (which also
    /// says whose bot its words are said to). In a channel of one workspace that is the one
    /// delivered for, found as cheaply as before: its own pitch is looked for first (on the
    /// index), and a mention's first bot is its own (no read). Only a message that is no
    /// pitch's is looked for among every workspace's announcements, a scan of their index
    /// (about 3 ms at 10,000 projects, measured with SQLite; on a reader, and only for the
    /// join emoji or a mention in a thread).
    async fn event_workspace(&self, team: TeamId, event: &mut Event) -> anyhow::Result<TeamId> {
        let addressed = self
            .addressed_workspace(team.clone(), &mut event.kind)
            .await?;
        Ok(match event.kind.points_at() {
            // A thread that is no pitch's: as a mention outside one.
            Some(ts) => self
                .pitch_workspace(&team, &event.channel, ts)
                .await?
                .map_or(addressed, |(team, _)| team),
            None => addressed,
        })
    }

    /// The workspace a mention in a shared channel addresses: the one whose bot it mentions
    /// first, if that is another workspace the bot serves; else `team`, as delivered. The
    /// words said are those after the last of the bots it starts by mentioning (`bot` is set
    /// to it, also in a pitch's thread, whose workspace decides): "@MakersA @MakersB pitch
    /// …", "@MakersA @Sam ran the research" (Sam is what was said, as where only one
    /// workspace runs the bot).
    async fn addressed_workspace(
        &self,
        team: TeamId,
        kind: &mut EventKind,
    ) -> anyhow::Result<TeamId> {
        let EventKind::Mention {
            mentioned,
            leading,
            bot,
            ..
        } = kind
        else {
            return Ok(team);
        };
        // Real mentions only, wherever in the message: someone who typed another
        // workspace's bot's id as `<@U…>` must not act there.
        let mut addressed: Option<(TeamId, UserId)> = None;
        let mut last_leading_bot = None;
        for (i, user) in mentioned.iter().enumerate() {
            let workspace = match bot.as_ref() == Some(user) {
                true => Some(team.clone()),
                false => self.workspace_of_bot(user).await?,
            };
            let Some(workspace) = workspace else {
                continue;
            };
            if i < *leading {
                last_leading_bot = Some(user.clone());
            }
            addressed.get_or_insert((workspace, user.clone()));
            if i + 1 >= *leading {
                break;
            }
        }
        let Some((workspace, first_bot)) = addressed else {
            return Ok(team);
        };
        // With no bot among the leading mentions, the words follow the bot addressed (after
        // a typed id, `&lt;@U…&gt; @MakersA pitch …`, which reads as a leading mention).
        *bot = Some(last_leading_bot.unwrap_or(first_bot));
        Ok(workspace)
    }

    /// The workspace whose bot `user` is (see `store::workspace_of_bot`); `None` if none.
    async fn workspace_of_bot(&self, user: &UserId) -> anyhow::Result<Option<TeamId>> {
        let user = user.clone();
        self.db
            .read(move |conn| crate::store::workspace_of_bot(conn, &user))
            .await
    }

    /// A workspace moved into an Enterprise Grid organisation: its installation records the
    /// organisation, as an install there would, so its members' presses named as of another
    /// workspace of it are served (`ButtonPress::by_another_workspace`).
    async fn moved_into_org(&self, team: TeamId, org: String) -> Answer {
        match self.record_org(&team, &org).await {
            Ok(()) => Answer::Done,
            Err(e) => {
                tracing::error!(%team, error = format!("{e:#}"), "a move into an organisation not recorded");
                Answer::Retry
            }
        }
    }

    /// What an ordinary event says of the organisation `team`'s installation is in: an app
    /// whose manifest predates `grid_migration_finished` is never told of a move. Not
    /// recorded, it is tried again at the workspace's next event; the event itself goes on
    /// either way.
    async fn note_org(&self, team: &TeamId, org: &str) {
        if let Err(e) = self.record_org(team, org).await {
            tracing::warn!(%team, error = format!("{e:#}"), "an installation's organisation not recorded");
        }
    }

    /// Records `org` as `team`'s installation's organisation, once a process and workspace
    /// (see [`OrgsNoted`]).
    async fn record_org(&self, team: &TeamId, org: &str) -> anyhow::Result<()> {
        if self.orgs.noted(team, org) {
            return Ok(());
        }
        let (t, o) = (team.clone(), org.to_string());
        self.db
            .write(move |tx| crate::store::installation_moved_into_org(tx, &t, &o))
            .await?;
        self.orgs.note(team, org);
        Ok(())
    }

    /// A channel's new id: what is kept of it follows, and the worker looks again at what is
    /// owed there.
    async fn channel_moved(&self, old: ChannelId, new: ChannelId) -> Answer {
        let (at, rules) = (self.clock.now(), self.rules.clone());
        match self
            .db
            .write(move |tx| handlers::channel_id_changed(tx, &old, &new, at, &rules))
            .await
        {
            Ok(changed) => {
                if changed {
                    self.outbox.notify_one();
                }
                Answer::Done
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "a channel's new id not recorded");
                Answer::Retry
            }
        }
    }

    /// Applies a decoded event once (a redelivery with the same `event_id` is recognised by
    /// the store); `Retry` if nothing could be recorded.
    async fn apply_event(&self, team: TeamId, event_id: String, event: Event) -> Answer {
        let Event {
            user,
            channel,
            kind,
        } = event;
        let asker = (team.clone(), user.clone());
        let ctx = self.ctx(team, user, channel);
        let looked = self.look_ahead(&ctx, &event_id, &kind).await;
        let (id, spender) = (event_id.clone(), ctx.clone());
        match self
            .db
            .write(move |tx| {
                handlers::handle_event(tx, &ctx, &event_id, kind.clone(), looked.as_ref())
            })
            .await
        {
            Ok(EventOutcome::Applied) => {
                self.outbox.notify_one();
                Answer::Done
            }
            Ok(EventOutcome::Forgot { homes_elsewhere }) => {
                self.outbox.notify_one();
                self.after_forget(asker.0, asker.1, homes_elsewhere);
                Answer::Done
            }
            Ok(EventOutcome::Duplicate) => {
                tracing::info!(event_id = id, "retried delivery ignored");
                Answer::Done
            }
            Err(e) => {
                // Nothing was recorded (the transaction rolled back): let Slack retry, and
                // give back the spend, or each retry would spend again.
                tracing::error!(event_id = id, error = format!("{e:#}"), "event failed");
                handlers::give_back_spent(&spender);
                Answer::Retry
            }
        }
    }

    /// A report or a search by mention worked out on a read connection, before its
    /// transaction (see `handlers::Looked`). Its allowance is spent in `ctx`, which the
    /// transaction runs with (its copies share it). If it cannot be read, the transaction
    /// works the answer out.
    async fn look_ahead(
        &self,
        ctx: &handlers::Ctx,
        event_id: &str,
        kind: &EventKind,
    ) -> Option<handlers::Looked> {
        handlers::asks_ahead(kind)?;
        let (asked, id, said) = (ctx.clone(), event_id.to_string(), kind.clone());
        self.db
            .read(move |c| handlers::look_ahead(c, &asked, &id, &said))
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = format!("{e:#}"), "a look not worked out ahead");
                None
            })
    }

    /// A slash command (HTTP's `/slack/commands`, Socket Mode's `slash_commands`): its
    /// answer is the ephemeral reply. `asked`: when it reached the bot (over HTTP, when its
    /// head was read), which Slack's 3 seconds are counted from, and over a socket whether
    /// one is left to carry the answer.
    pub async fn command(&self, cmd: SlashCommand, asked: Asked) -> Answer {
        match self.acting_for(&cmd.team).await {
            Acting::Yes => {}
            Acting::No => return self.ephemeral(&handlers::problem(UserError::NotServedHere)),
            Acting::CannotTell => return self.ephemeral(&Reply::Internal),
        }
        if super::forms::asks_for_pitch_form(&cmd.text) {
            if cmd.in_group_dm {
                return self.ephemeral(&handlers::problem(UserError::CannotPitchHere));
            }
            return self.open_pitch_form_for(cmd).await;
        }
        match commands::parse(&cmd.text) {
            Ok(command)
                if cmd.in_group_dm
                    && let Some(refused) = needs_a_channel(&command) =>
            {
                self.ephemeral(&handlers::problem(refused))
            }
            Ok(command) if command.is_read_only() => self.read_command(cmd, command).await,
            Ok(command) => self.write_command(cmd, command, asked).await,
            Err(e) => self.ephemeral(&handlers::problem(e)),
        }
    }

    /// A command that only reads: answered from the reply cache while nothing has been
    /// written since (nor a minute passed), else from a read connection.
    async fn read_command(&self, cmd: SlashCommand, command: Command) -> Answer {
        let key = Key {
            team: cmd.team.to_string(),
            user: cmd.user.to_string(),
            channel: cmd.channel.to_string(),
            text: cmd.text.trim().to_string(),
        };
        let ctx = self.ctx(cmd.team, cmd.user, cmd.channel);
        let (generation, minute) = (self.db.generation(), ctx.now().div_euclid(60));
        if let Some(body) = self.cache.get(&key, generation, minute) {
            return Answer::Reply(body);
        }
        let reply = self
            .db
            .read(move |c| handlers::run_command(c, &ctx, command))
            .await
            .unwrap_or_else(internal);
        let body = self.ephemeral_bytes(&reply);
        if reply != Reply::Internal {
            self.cache.put(key, generation, minute, body.clone());
        }
        Answer::Reply(body)
    }

    /// `asked`: when the command reached the bot, and whether its answer can still get back.
    async fn write_command(&self, cmd: SlashCommand, command: Command, asked: Asked) -> Answer {
        let ctx = self.ctx(cmd.team, cmd.user, cmd.channel);
        let write_ctx = ctx.clone();
        let reply = self
            .db
            .write(move |tx| handlers::run_command(tx, &write_ctx, command.clone()))
            .await
            .unwrap_or_else(internal);
        self.outbox.notify_one();
        if let Reply::Forgotten {
            homes_elsewhere, ..
        } = &reply
        {
            self.after_forget(ctx.team.clone(), ctx.user.clone(), homes_elsewhere.clone());
        }
        let reply = self.with_similar(ctx.clone(), reply).await;
        // After the look for similar projects too: it waits for a reader.
        if !asked.answer_seen_now() {
            self.answer_unseen(ctx, reply.clone()).await;
        }
        Answer::Reply(self.ephemeral_bytes(&reply))
    }

    /// A typed command's answer worked out after Slack stopped waiting (the database held
    /// by another writer), or with no way back to Slack (the socket it came on gone, and no
    /// other live): Slack showed the person its own error, and they would type it
    /// again, pitching twice. The answer goes to their DM with the bot (a channel's
    /// ephemeral needs the bot in it); a "did you mean…?" for a council is forgotten
    /// instead, so typed again it is asked again rather than taken as insisted on.
    async fn answer_unseen(&self, ctx: Ctx, reply: Reply) {
        tracing::warn!(
            "a command's answer cannot reach Slack (it stopped waiting, or no socket is left): sent to the DM"
        );
        // A pitch's similar projects as the DM may show them: the channel's were looked for,
        // and a private channel's Join cannot join from the DM.
        let reply = self.with_similar(ctx.in_dm(), reply).await;
        let tell = move |tx: &rusqlite::Transaction| match &reply {
            Reply::CouncilDidYouMean { .. } => handlers::council_offer_unseen(tx, &ctx),
            reply => handlers::tell_in_dm(tx, &ctx, reply.clone()),
        };
        match self.db.write(tell).await {
            Ok(()) => self.outbox.notify_one(),
            Err(e) => tracing::error!(error = format!("{e:#}"), "cannot send a late answer"),
        }
    }

    /// After `forget me`: the log's older copies of their rows are overwritten, and their Home
    /// is published afresh where they asked and in `homes_elsewhere`: it would otherwise list
    /// their teams until they next open it.
    fn after_forget(&self, team: TeamId, user: UserId, homes_elsewhere: Vec<TeamId>) {
        self.db.clear_log();
        for team in homes_elsewhere {
            self.publish_home(team, user.clone());
        }
        self.publish_home(team, user);
    }

    /// A pitch's answer gains the similar projects, read after its write has committed (off
    /// the single writer thread). If that read fails, the pitch stands and is answered as is.
    async fn with_similar(&self, ctx: Ctx, reply: Reply) -> Reply {
        if !handlers::looks_for_similar(&reply) {
            return reply;
        }
        let fallback = reply.clone();
        match self
            .db
            .read(move |c| handlers::with_similar(c, &ctx, reply))
            .await
        {
            Ok(reply) => reply,
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "similar projects not found");
                fallback
            }
        }
    }
}

/// Why `command` cannot be done in a group DM, if it cannot: a pitch is announced and a
/// digest posted where it was typed, and the bot can neither post in a group DM nor be
/// invited to one.
fn needs_a_channel(command: &Command) -> Option<UserError> {
    match command {
        Command::Pitch { .. } => Some(UserError::CannotPitchHere),
        Command::Digest(_) => Some(UserError::DigestNeedsChannel),
        _ => None,
    }
}

/// The organisation each workspace's installation was last recorded in by an event
/// ([`Routes::note_org`]): one entry a workspace the bot serves, so the write is made once a
/// process, not at every event.
#[derive(Default)]
pub struct OrgsNoted(std::sync::Mutex<std::collections::HashMap<TeamId, String>>);

impl OrgsNoted {
    fn noted(&self, team: &TeamId, org: &str) -> bool {
        let noted = self.0.lock().unwrap_or_else(|p| p.into_inner());
        noted.get(team).is_some_and(|o| o == org)
    }

    fn note(&self, team: &TeamId, org: &str) {
        let mut noted = self.0.lock().unwrap_or_else(|p| p.into_inner());
        noted.insert(team.clone(), org.to_string());
    }
}
