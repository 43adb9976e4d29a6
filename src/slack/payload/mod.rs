//! Slack's wire formats (decoded with slack-morphism's models) turned into our own types.
//! Nothing past this module sees Slack JSON or form fields.

use slack_morphism::prelude::*;

use crate::domain::{ChannelId, MessageTs, TeamId, UserId};
use crate::handlers::{Event, EventKind};

mod channel_moved;
mod grid_migration;
mod left_slack;
mod shortcut;
mod submission;
mod uninstall;
pub use shortcut::MessageShortcut;
pub use submission::{Field, Submission, first_input_block};
pub use uninstall::Removal;

/// A request body that could not be decoded (after its signature checked out).
#[derive(Debug)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(what: &'static str) -> impl Fn(&dyn std::fmt::Display) -> DecodeError {
    move |e| DecodeError(format!("{what}: {e}"))
}

/// `POST /slack/events`.
#[derive(Debug)]
pub enum EventsBody {
    UrlVerification {
        challenge: String,
    },
    Callback {
        team: TeamId,
        /// The Enterprise Grid organisation Slack says `team`'s installation is in
        /// (`authorizations[0].enterprise_id`), if it says one: kept up to date with it.
        org: Option<String>,
        event_id: String,
        /// `None` for event types (or shapes) we do not act on; they are acknowledged.
        /// Delivered for `team`, which in a channel shared with another workspace may not be
        /// the pitch's (see `Routes::event`).
        event: Option<Event>,
    },
    /// Someone other than the bot Slack delivered it for joined a channel: the bot of
    /// another workspace it serves, perhaps, in a channel shared with it, which Slack
    /// delivered the event for this one (see `Routes::event`). Whatever
    /// `is_ext_shared_channel` says, which is false for a channel shared inside an
    /// Enterprise Grid organisation.
    SomeoneElseJoined {
        team: TeamId,
        event_id: String,
        user: UserId,
        channel: ChannelId,
    },
    RateLimited,
    /// Someone opened the app's Home tab: publish their Home.
    HomeOpened {
        team: TeamId,
        user: UserId,
    },
    /// The app was uninstalled from `team`, or its bot token revoked (in any order, maybe
    /// twice): forget the token and park the workspace's posts.
    Removed {
        team: TeamId,
        removal: Removal,
        /// When Slack raised it (`event_time`, unix seconds), if it says.
        raised_at: Option<i64>,
    },
    /// A person's Slack account in `team` was deactivated (`user_change`, `deleted`): they
    /// leave its teams, and the teams they led can choose a new lead.
    LeftSlack {
        team: TeamId,
        event_id: String,
        user: UserId,
        /// When Slack raised it (`event_time`, unix seconds), if it says: what a change
        /// saying the account is active is weighed against.
        raised_at: Option<i64>,
    },
    /// A person's Slack account in `team` is active (`user_change` with `deleted` false: any
    /// change to a profile, a status say, or a reactivation): a deactivation noted goes.
    InSlack {
        team: TeamId,
        user: UserId,
        /// When Slack raised it (`event_time`, unix seconds), if it says: a change made
        /// before a deactivation and delivered after it (a retry) must not undo it.
        raised_at: Option<i64>,
    },
    /// A private channel shared with another organisation got a new id, `old` to `new`
    /// (`channel_id_changed`): what the bot keeps of it follows.
    ChannelMoved {
        team: TeamId,
        old: ChannelId,
        new: ChannelId,
    },
    /// `team`, installed before, was moved into the Enterprise Grid organisation `org`
    /// (`grid_migration_finished`): recorded, as an install in it records it.
    MovedIntoOrg {
        team: TeamId,
        org: String,
    },
    /// Signed and well-formed, but nothing for us (a user token revoked, a profile changed).
    Ignored,
}

/// `POST /slack/commands`.
#[derive(Debug)]
pub struct SlashCommand {
    pub team: TeamId,
    pub user: UserId,
    pub channel: ChannelId,
    /// What the user typed after the command, with Slack's entities decoded.
    pub text: String,
    /// Opens a modal for this user, once, within 3 seconds.
    pub trigger_id: String,
    /// Typed in a group DM (Slack names those `mpdm-…`; their ids start like a private
    /// channel's), where the bot can neither post nor be invited.
    pub in_group_dm: bool,
}

/// `POST /slack/interactions`.
#[derive(Debug)]
pub enum Interaction {
    /// A button in one of our messages or views.
    Button(ButtonPress),
    /// A global shortcut (`callback_id` as declared in the manifest).
    Shortcut {
        team: TeamId,
        user: UserId,
        callback_id: String,
        trigger_id: String,
    },
    /// A message shortcut, with the message it was used on.
    MessageShortcut(MessageShortcut),
    /// A modal of ours submitted.
    Submission(Submission),
    /// Anything else (a modal closed, message shortcuts): acknowledged, nothing to do yet.
    Other(&'static str),
}

/// A press of one of our buttons: in a message (with its channel) or a view (the Home tab).
#[derive(Debug)]
pub struct ButtonPress {
    pub team: TeamId,
    pub user: UserId,
    pub channel: Option<ChannelId>,
    pub message_ts: Option<MessageTs>,
    /// The thread the pressed message is in, if it is a reply (a nudge is one in its
    /// pitch's thread).
    pub thread_ts: Option<MessageTs>,
    /// Pressed on a message only the presser sees (no project is announced by one).
    pub on_ephemeral: bool,
    /// The presser's own workspace, as Slack says it (`user.team_id`): in a channel shared
    /// with another organisation, not always `team`, the one the bot was delivered for. (In
    /// an Enterprise Grid organisation it can be another workspace of the organisation, the
    /// same whichever one they press in (bolt-js #1875), or the organisation's `E…` id: see
    /// [`ButtonPress::by_another_workspace`].)
    pub user_team: Option<TeamId>,
    /// The Enterprise Grid organisation of the workspace pressed in, as the press says it
    /// (`team.enterprise_id`, or `enterprise.id`); `None` outside one, or where the two differ.
    pub org: Option<String>,
    pub action_id: String,
    pub value: Option<String>,
    /// Opens a modal for the presser, once, within 3 seconds.
    pub trigger_id: String,
    /// On a Home, when the bot marked it as drawn (unix seconds, no earlier than its
    /// workspace's newest pitch; [`home_drawn`]): a project pitched since holds a number the
    /// Home showed another's (a restore, an erase and a reinstall).
    /// `None` elsewhere, or on a Home drawn before the bot wrote it.
    pub home_drawn_at: Option<i64>,
}

impl ButtonPress {
    /// Whether Slack says the presser is of another organisation than `team`'s: a `T…` id
    /// that is not `team` ([`ButtonPress::other_workspace`]), unless both are workspaces of
    /// the Enterprise Grid organisation the press names, as `org_of` says (the organisation
    /// each installed the app in; `None`: not known). Slack can name another workspace of
    /// the presser's own organisation, and a press's own word for the presser's is not
    /// enough: what cannot be known counts as another. An organisation's `E…` id, or none,
    /// says nothing either way.
    pub fn by_another_workspace(
        &self,
        team: &TeamId,
        org_of: impl Fn(&TeamId) -> Option<String>,
    ) -> bool {
        let Some(theirs) = self.other_workspace(team) else {
            return false;
        };
        let of_the_org = |t: &TeamId| org_of(t).is_some_and(|o| Some(&o) == self.org.as_ref());
        !(of_the_org(team) && of_the_org(theirs))
    }

    /// The workspace Slack says the presser is of (`user.team_id`) where it is a `T…` id
    /// other than `team`.
    pub fn other_workspace(&self, team: &TeamId) -> Option<&TeamId> {
        self.user_team
            .as_ref()
            .filter(|t| t.as_str().starts_with('T') && *t != team)
    }
}

/// An Events API body as HTTP sends it.
pub fn decode_events(body: &str) -> Result<EventsBody, DecodeError> {
    let raw: serde_json::Value = serde_json::from_str(body).map_err(|e| bad("events body")(&e))?;
    decode_events_json(raw)
}

/// An Events API body already parsed: Socket Mode's `events_api` payload is the whole
/// `event_callback`, the same object HTTP posts.
pub fn decode_events_json(mut raw: serde_json::Value) -> Result<EventsBody, DecodeError> {
    if let Some(removed) = uninstall::decode(&raw) {
        return removed;
    }
    if let Some(left) = left_slack::decode(&raw) {
        return left;
    }
    if let Some(moved) = channel_moved::decode(&raw) {
        return moved;
    }
    if let Some(moved) = grid_migration::decode(&raw) {
        return moved;
    }
    // slack-morphism requires `authorizations[].team_id`, which org-wide installs send as
    // null; we read the one field we need ourselves and drop the rest before decoding.
    let authorizations = raw.as_object_mut().and_then(|o| o.remove("authorizations"));
    let bot_user = authorizations.as_ref().and_then(bot_user);
    let installed = authorizations.as_ref().and_then(installed_team);
    // Paired with the installation it names, never with the body's `team_id`.
    let org = installed
        .as_ref()
        .and(authorizations.as_ref())
        .and_then(grid_migration::installed_org);
    let by_a_bot = raw.get("event").is_some_and(sent_by_a_bot);
    let shared_channel = raw
        .get("is_ext_shared_channel")
        .and_then(|s| s.as_bool())
        .unwrap_or(false);
    let push: SlackPushEvent = serde_json::from_value(raw).map_err(|e| bad("events body")(&e))?;
    Ok(match push {
        SlackPushEvent::UrlVerification(v) => EventsBody::UrlVerification {
            challenge: v.challenge,
        },
        SlackPushEvent::AppRateLimited(_) => EventsBody::RateLimited,
        SlackPushEvent::EventCallback(cb) => match &cb.event {
            // The Messages tab opening is not ours to answer.
            SlackEventCallbackBody::AppHomeOpened(h) if h.tab.as_deref() != Some("messages") => {
                EventsBody::HomeOpened {
                    team: installed_or(installed.clone(), &cb.team_id.0)?,
                    user: user_id(&h.user)?,
                }
            }
            SlackEventCallbackBody::MemberJoinedChannel(j)
                if Some(j.user.0.as_str()) != bot_user.as_ref().map(|u| u.as_str()) =>
            {
                match (UserId::parse(&j.user.0), ChannelId::parse(&j.channel.0)) {
                    (Some(user), Some(channel)) => EventsBody::SomeoneElseJoined {
                        team: installed_or(installed, &cb.team_id.0)?,
                        event_id: cb.event_id.0.clone(),
                        user,
                        channel,
                    },
                    _ => EventsBody::Ignored,
                }
            }
            _ => EventsBody::Callback {
                team: installed_or(installed, &cb.team_id.0)?,
                org,
                event_id: cb.event_id.0.clone(),
                event: event(cb.event, bot_user.as_ref(), by_a_bot, shared_channel),
            },
        },
    })
}

/// The workspace whose installation the event was delivered for: in a channel shared with
/// another workspace the top-level `team_id` can be the other one, and the project, the
/// token and everything else are this one's (Bolt reads `authorizations[0].team_id` first,
/// "for shared channels"). Null for an org-wide install, which falls back to `team_id`.
fn installed_team(authorizations: &serde_json::Value) -> Option<TeamId> {
    TeamId::parse(authorizations.get(0)?.get("team_id")?.as_str()?)
}

/// The workspace the payload says it was delivered for (`installed`), else `team`.
fn installed_or(installed: Option<TeamId>, team: &str) -> Result<TeamId, DecodeError> {
    installed.map_or_else(|| team_id(team), Ok)
}

/// The workspace a raw event body says it was delivered for (see [`installed_team`]), else
/// its top-level `team_id`: what the small decoders below the callback read.
fn delivered_for(raw: &serde_json::Value) -> Result<TeamId, DecodeError> {
    let installed = raw.get("authorizations").and_then(installed_team);
    installed_or(
        installed,
        raw.get("team_id").and_then(|t| t.as_str()).unwrap_or(""),
    )
}

/// For a bot install the (single) authorization is the bot user.
fn bot_user(authorizations: &serde_json::Value) -> Option<UserId> {
    let first = authorizations.get(0)?;
    if first.get("is_bot").and_then(|b| b.as_bool()) == Some(false) {
        return None;
    }
    UserId::parse(first.get("user_id")?.as_str()?)
}

/// Whether the message an event is about was posted by a bot (another app's, or ours without
/// an `authorizations` entry to know it by): `bot_id`, or the `bot_message` subtype.
/// slack-morphism's `app_mention` model leaves both out, so they are read from the JSON.
fn sent_by_a_bot(event: &serde_json::Value) -> bool {
    event.get("bot_id").is_some_and(|b| !b.is_null())
        || event.get("subtype").and_then(|s| s.as_str()) == Some("bot_message")
}

fn event(
    body: SlackEventCallbackBody,
    bot_user: Option<&UserId>,
    by_a_bot: bool,
    shared: bool,
) -> Option<Event> {
    match body {
        SlackEventCallbackBody::AppMention(m) => {
            let user = UserId::parse(&m.user.0)?;
            // The bot mentioning itself must not start a loop, and another app's bot does
            // not pitch, join or post updates: only people do.
            if Some(&user) == bot_user || by_a_bot {
                return None;
            }
            let raw = m.content.text.as_deref().unwrap_or("");
            Some(Event {
                user,
                channel: ChannelId::parse(&m.channel.0)?,
                kind: EventKind::Mention {
                    ts: MessageTs::parse(&m.origin.ts.0)?,
                    thread_ts: m.origin.thread_ts.and_then(|t| MessageTs::parse(&t.0)),
                    // Typed `<@U…>`, decoded, reads as a mention here, so who is addressed
                    // goes by `mentioned` (see `slack::dispatch`).
                    text: decode_entities(raw),
                    bot: bot_user.cloned(),
                    edited: m.edited.is_some(),
                    edit_ts: m.edited.as_ref().and_then(|e| MessageTs::parse(&e.ts.0)),
                    mentioned: crate::commands::mentions(raw)
                        .filter_map(UserId::parse)
                        .collect(),
                    leading: crate::commands::leading_mentions(raw).count(),
                    shared,
                },
            })
        }
        SlackEventCallbackBody::MemberJoinedChannel(j) => {
            let user = UserId::parse(&j.user.0)?;
            if Some(&user) != bot_user {
                return None;
            }
            Some(Event {
                user,
                channel: ChannelId::parse(&j.channel.0)?,
                kind: EventKind::BotJoinedChannel,
            })
        }
        SlackEventCallbackBody::ReactionAdded(r) => {
            reaction(&r.user, &r.reaction.0, &r.item, &r.event_ts, true, bot_user)
        }
        SlackEventCallbackBody::ReactionRemoved(r) => reaction(
            &r.user,
            &r.reaction.0,
            &r.item,
            &r.event_ts,
            false,
            bot_user,
        ),
        SlackEventCallbackBody::Unknown(v) => {
            // A known type whose shape did not match slack-morphism's model lands here too.
            let kind = v.get("type").and_then(|t| t.as_str()).unwrap_or("?");
            tracing::debug!(kind, "ignoring event slack-morphism could not model");
            None
        }
        _ => None,
    }
}

/// A reaction on a message (reactions on files are not ours). The bot's own reactions are
/// dropped here; `item_user` is ignored on purpose: Slack sometimes leaves it out.
fn reaction(
    user: &SlackUserId,
    name: &str,
    item: &SlackReactionsItem,
    event_ts: &SlackTs,
    added: bool,
    bot_user: Option<&UserId>,
) -> Option<Event> {
    let SlackReactionsItem::Message(message) = item else {
        return None;
    };
    let user = UserId::parse(&user.0)?;
    if Some(&user) == bot_user {
        return None;
    }
    Some(Event {
        user,
        channel: ChannelId::parse(&message.origin.channel.as_ref()?.0)?,
        kind: EventKind::Reaction {
            reaction: name.to_string(),
            message_ts: MessageTs::parse(&message.origin.ts.0)?,
            event_ts: MessageTs::parse(&event_ts.0)?,
            added,
        },
    })
}

/// A slash command as HTTP sends it: form fields.
pub fn decode_command(body: &str) -> Result<SlashCommand, DecodeError> {
    command(serde_urlencoded::from_str(body).map_err(|e| bad("slash command")(&e))?)
}

/// Whether a form POSTed to the command URL is Slack's `ssl_check`: `ssl_check=1` and no
/// `command` field (whatever else it carries, it is then no command).
///
/// Asked of every command before its signature, so it reads the pairs where they lie and
/// stops at `command`, which Slack sends before the typed text: decoding every field into
/// strings first was about a tenth of a typed pitch's CPU on the request's side.
pub fn is_ssl_check(body: &[u8]) -> bool {
    let mut ssl_check = false;
    for (key, value) in url::form_urlencoded::parse(body) {
        match &*key {
            "command" => return false,
            "ssl_check" => ssl_check |= value == "1",
            _ => {}
        }
    }
    ssl_check
}

/// A slash command as Socket Mode sends it: the same fields as a JSON object of strings.
pub fn decode_command_json(payload: serde_json::Value) -> Result<SlashCommand, DecodeError> {
    command(serde_json::from_value(payload).map_err(|e| bad("slash command")(&e))?)
}

/// The fields of a slash command the bot reads, and the two others Slack always sends (still
/// required, as in slack-morphism's `SlackCommandEvent`, but not kept). Decoded into this
/// rather than `SlackCommandEvent`, which also parses the `response_url` into a URL and copies
/// every field: that was a tenth of the HTTP side's CPU for a typed pitch under load.
#[derive(serde::Deserialize)]
struct CommandFields {
    team_id: String,
    channel_id: String,
    user_id: String,
    text: Option<String>,
    trigger_id: String,
    /// Read only to tell a group DM (`mpdm-…`) from a channel.
    channel_name: Option<String>,
    #[allow(dead_code)]
    command: serde::de::IgnoredAny,
    #[allow(dead_code)]
    response_url: serde::de::IgnoredAny,
}

fn command(c: CommandFields) -> Result<SlashCommand, DecodeError> {
    Ok(SlashCommand {
        team: team_id(&c.team_id)?,
        user: UserId::parse(&c.user_id).ok_or_else(|| DecodeError("bad user_id".into()))?,
        channel: ChannelId::parse(&c.channel_id)
            .ok_or_else(|| DecodeError("bad channel_id".into()))?,
        text: decode_entities(c.text.as_deref().unwrap_or("")),
        trigger_id: c.trigger_id,
        in_group_dm: c.channel_name.is_some_and(|name| name.starts_with("mpdm-")),
    })
}

#[derive(serde::Deserialize)]
struct PayloadForm {
    payload: String,
}

/// An interaction as HTTP sends it: its JSON in a form field named `payload`. Failing, the
/// first input block of a form submitted, if it is one (see [`first_input_block`]).
pub fn decode_interaction(body: &str) -> Result<Interaction, (DecodeError, Option<String>)> {
    let form: PayloadForm =
        serde_urlencoded::from_str(body).map_err(|e| (bad("interaction form")(&e), None))?;
    let payload: serde_json::Value =
        serde_json::from_str(&form.payload).map_err(|e| (bad("interaction payload")(&e), None))?;
    let block = (payload["type"] == "view_submission").then(|| first_input_block(&payload));
    decode_interaction_json(payload).map_err(|e| (e, block.flatten()))
}

/// An interaction as Socket Mode sends it: the payload JSON itself.
pub fn decode_interaction_json(payload: serde_json::Value) -> Result<Interaction, DecodeError> {
    // A view (a form, the Home) says which workspace it was opened for: in a channel shared
    // with another workspace, `team` can be the presser's own (Bolt reads
    // `view.app_installed_team_id` first). slack-morphism's view model leaves it out.
    let installed = payload
        .pointer("/view/app_installed_team_id")
        .and_then(|t| t.as_str())
        .and_then(TeamId::parse);
    // A Home says in its `private_metadata` (the bot writes it) which workspace it was drawn
    // for: in an Enterprise Grid org Slack has named the org's first installation as
    // `app_installed_team_id` on a press in another workspace's Home (bolt-python #1229).
    let home = home_drawn_for(&payload);
    let home_drawn_at = home.as_ref().and_then(|(_, at)| *at);
    let installed = home.map(|(team, _)| team).or(installed);
    // A button on a message only its presser sees (an ephemeral) says its thread in
    // `container.thread_ts` alone (Slack sends no `message` for one); slack-morphism's
    // container leaves it out.
    let container_thread = payload
        .pointer("/container/thread_ts")
        .and_then(|t| t.as_str())
        .and_then(MessageTs::parse);
    let org = org_of(&payload);
    let event = serde_json::from_value(payload).map_err(|e| bad("interaction payload")(&e))?;
    interaction(event, installed, container_thread, org, home_drawn_at)
}

/// The Enterprise Grid organisation a press names for the workspace pressed in:
/// `team.enterprise_id` (a message's press) or `enterprise.id` (the Home's); none where the
/// two differ. slack-morphism's team model leaves the first out.
fn org_of(payload: &serde_json::Value) -> Option<String> {
    let said = ["/team/enterprise_id", "/enterprise/id"].map(|at| {
        payload
            .pointer(at)
            .and_then(|o| o.as_str())
            .filter(|o| !o.is_empty())
    });
    match said {
        [Some(a), Some(b)] if a != b => None,
        [a, b] => a.or(b).map(String::from),
    }
}

/// The workspace a Home view was published for, and when it was drawn, as the bot wrote
/// them in the view's `private_metadata` ([`HOME_OF`], [`DRAWN_AT`]); `None` for any other
/// view, or a Home from before. A Home marked before the time was written has none.
fn home_drawn_for(payload: &serde_json::Value) -> Option<(TeamId, Option<i64>)> {
    if payload.pointer("/view/type").and_then(|t| t.as_str()) != Some("home") {
        return None;
    }
    let metadata = payload.pointer("/view/private_metadata")?.as_str()?;
    // The time is on a line of its own, as a form carries what it carries; first (a Home
    // drawn so may still be open) it was on the mark's line: `home-of:T0123@1780000000`.
    let (team, carried) = match form_drawn_for(metadata) {
        Some(drawn) => drawn,
        None => {
            let (mark, _) = metadata.split_once(DRAWN_AT)?;
            (form_drawn_for(mark)?.0, &metadata[mark.len()..])
        }
    };
    let at = carried
        .strip_prefix(DRAWN_AT)
        .and_then(|at| at.parse().ok());
    Some((team, at))
}

/// What a Home's `private_metadata` starts with, before its workspace's id; and a form's
/// opened from a Home, before a line of its own and what the form carries besides.
pub const HOME_OF: &str = "home-of:";
/// What starts the line after the workspace's id in a Home's `private_metadata`, before when
/// it was drawn (`home-of:T0123\n@1780000000`).
pub const DRAWN_AT: char = '@';

/// A Home `view` marked as drawn for `team` at `at`, unix seconds (a modal is left as it is:
/// a form is marked by [`drawn_for`]): a
/// *Join* on it can then tell that the project now holding its number was pitched since.
/// The time is on a line of its own, where the build before, reading the mark as a form's
/// ([`form_drawn_for`]), reads the workspace and ignores the rest: on the mark's line it read
/// no workspace, and took Slack's `app_installed_team_id` (in a Grid org, perhaps another's).
pub fn home_drawn(view: SlackView, team: &TeamId, at: i64) -> SlackView {
    match view {
        SlackView::Home(home) => {
            SlackView::Home(home.with_private_metadata(format!("{HOME_OF}{team}\n{DRAWN_AT}{at}")))
        }
        other => other,
    }
}

/// `view` marked as drawn for `team` in its `private_metadata` ([`HOME_OF`]): a form opened
/// from a press on a Home (a Home itself is marked by [`home_drawn`], with its time, and is
/// left as it is here), whose submission is then of `team` whatever Slack names
/// as `app_installed_team_id` (see [`home_drawn_for`]). A form keeps what it carried, on
/// the lines after the mark; Slack's 3,000-unit limit is the caller's (the Home's forms
/// carry nothing else).
pub fn drawn_for(view: SlackView, team: &TeamId) -> SlackView {
    let mark = format!("{HOME_OF}{team}");
    match view {
        home @ SlackView::Home(_) => home,
        SlackView::Modal(modal) => {
            let metadata = match modal.private_metadata.as_deref() {
                None | Some("") => mark,
                Some(carried) => format!("{mark}\n{carried}"),
            };
            SlackView::Modal(modal.with_private_metadata(metadata))
        }
    }
}

/// The workspace a form was opened from a Home for, and what the form carries besides, as
/// [`drawn_for`] wrote them; `None` for a form opened elsewhere, or before (whose metadata,
/// a channel, a message's head or nothing, never starts so).
fn form_drawn_for(metadata: &str) -> Option<(TeamId, &str)> {
    let marked = metadata.strip_prefix(HOME_OF)?;
    let (team, carried) = marked.split_once('\n').unwrap_or((marked, ""));
    Some((TeamId::parse(team)?, carried))
}

fn interaction(
    event: SlackInteractionEvent,
    installed: Option<TeamId>,
    container_thread: Option<MessageTs>,
    org: Option<String>,
    home_drawn_at: Option<i64>,
) -> Result<Interaction, DecodeError> {
    let ba = match event {
        SlackInteractionEvent::BlockActions(ba) => ba,
        SlackInteractionEvent::Shortcut(s) => {
            return Ok(Interaction::Shortcut {
                team: team_id(&s.team.id.0)?,
                user: user_id(&s.user.id)?,
                callback_id: s.callback_id.0,
                trigger_id: s.trigger_id.0,
            });
        }
        SlackInteractionEvent::ViewSubmission(v) => return submission::submission(v, installed),
        SlackInteractionEvent::MessageAction(m) => {
            return Ok(Interaction::MessageShortcut(shortcut::message_shortcut(m)?));
        }
        other => return Ok(Interaction::Other(interaction_kind(&other))),
    };
    let Some(action) = ba.actions.as_ref().and_then(|a| a.first()) else {
        return Ok(Interaction::Other("block_actions without actions"));
    };
    let user = ba
        .user
        .as_ref()
        .and_then(|u| UserId::parse(&u.id.0))
        .ok_or_else(|| DecodeError("block_actions without a user".into()))?;
    let (channel, message_ts, on_ephemeral) = match &ba.container {
        SlackInteractionActionContainer::Message(m) => (
            m.channel_id.as_ref().and_then(|c| ChannelId::parse(&c.0)),
            MessageTs::parse(&m.message_ts.0),
            m.is_ephemeral == Some(true),
        ),
        _ => (None, None, false),
    };
    let user_team = ba
        .user
        .as_ref()
        .and_then(|u| u.team_id.as_ref())
        .and_then(|t| TeamId::parse(&t.0));
    Ok(Interaction::Button(ButtonPress {
        team: installed_or(installed, &ba.team.id.0)?,
        user,
        user_team,
        org,
        channel: channel.or_else(|| ba.channel.as_ref().and_then(|c| ChannelId::parse(&c.id.0))),
        message_ts,
        thread_ts: ba
            .message
            .as_ref()
            .and_then(|m| m.origin.thread_ts.as_ref())
            .and_then(|t| MessageTs::parse(&t.0))
            .or(container_thread),
        on_ephemeral,
        action_id: action.action_id.0.clone(),
        value: action.value.clone(),
        trigger_id: ba.trigger_id.0.clone(),
        home_drawn_at,
    }))
}

fn user_id(u: &SlackUserId) -> Result<UserId, DecodeError> {
    UserId::parse(&u.0).ok_or_else(|| DecodeError("bad user id".into()))
}

fn interaction_kind(e: &SlackInteractionEvent) -> &'static str {
    match e {
        SlackInteractionEvent::BlockActions(_) => "block_actions",
        SlackInteractionEvent::ViewSubmission(_) => "view_submission",
        SlackInteractionEvent::ViewClosed(_) => "view_closed",
        SlackInteractionEvent::Shortcut(_) => "shortcut",
        SlackInteractionEvent::MessageAction(_) => "message_action",
        SlackInteractionEvent::BlockSuggestion(_) => "block_suggestion",
        SlackInteractionEvent::DialogSubmission(_) => "dialog_submission",
    }
}

fn team_id(t: &str) -> Result<TeamId, DecodeError> {
    TeamId::parse(t).ok_or_else(|| DecodeError("bad team_id".into()))
}

/// Slack sends `&`, `<` and `>` typed by users as `&amp;`, `&lt;` and `&gt;`; we store what
/// the user typed, Slack's own tokens (`<@U…>`, `<https://…|…>`) included, and decide on the
/// way out what becomes of each (`render::user_text`). A typed `<!here>` and Slack's
/// `<!here>` look alike once decoded; neither is ever posted as a mention.
pub fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests;
