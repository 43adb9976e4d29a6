//! What each command and event does, in terms of the store. Handlers are synchronous, take a
//! connection (inside a transaction when they write) and return a [`Reply`]; they never touch
//! HTTP. Posts the bot must make are queued in the outbox in the same transaction, and what
//! follows a post (once Slack has answered) is decided here too, in [`delivered`].

mod browse;
mod catalogue;
mod channels;
mod delivered;
mod digest;
mod events;
mod home;
mod installation;
mod merge;
mod nudge;
mod pitch;
mod progress;
mod publishing;
pub use publishing::{Takedown, lift_takedown, take_down};
mod report;
mod reuse;
pub use report::{place as place_report, report_copy, report_of};
pub use reuse::tell_merge_ended_reuses;
mod skills;
mod team;

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::commands::Command;
use crate::domain::{
    ChannelId, MessageTs, OverBudget, Phase, Problem, ProjectHead, ProjectNumber, Rules, TeamId,
    UserError, UserId,
};
use crate::message::{Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store;

pub use catalogue::{
    Catalogue, CatalogueQuery, Published, council_filter_key, project_page, published_entries,
    published_from, published_member_councils, ranked, select,
};
pub use channels::channel_known;
pub use delivered::{Attempted, answers_a_forget, record_outcome};
pub use digest::{
    DigestsNow, DryRun, digests_now, digests_now_upto, dry_run_digest, send_due_digests_upto,
};
pub use events::{
    Event, EventKind, EventOutcome, Looked, ReadAgain, asks_ahead, channel_id_changed,
    handle_event, join_reactors, look_ahead, reactions_read_again,
};
pub use home::{
    HOME_FEW, HomeAction, home, press_home, update_choices, update_form_for, update_from_form,
};
pub use installation::{RemovalTimes, Removed, Stale, remove_workspace};
pub use nudge::send_due_nudges;
pub use pitch::{
    FormPitch, council_offer_unseen, looks_for_similar, pitch_form, with_similar,
    with_similar_or_as_is,
};
pub use progress::{NewUpdate, UpdateSource, update};
pub use team::{
    ButtonAction, DeactivationTimes, back_in_slack, close_council, left_slack, left_slack_noted,
    person_known, press_button, reactions_token_refused, reactor_token_refused,
};

/// Who asked, where, and when: every command, event and button press carries one.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub team: TeamId,
    pub user: UserId,
    pub channel: ChannelId,
    /// The thread it was asked in, where an answer to the asker alone goes (a button pressed
    /// on a reply in a thread); `None` for the channel itself.
    pub thread: Option<MessageTs>,
    /// When it happened, to the microsecond: membership changes are ordered by it.
    pub at: DateTime<Utc>,
    pub rules: Arc<Rules>,
    /// Whether the asker's allowance had room for this request's change, decided the first
    /// time it is asked: a write may run twice (see `store::batch`), and must not spend twice.
    /// Shared by the request's copies (a mention's worked out ahead, or for its channel).
    pub spent: Arc<OnceLock<Result<(), OverBudget>>>,
    /// Whether what is answered may be posted for the whole channel to read (a mention's
    /// answer outside a pitch's thread): a private channel's projects are then left out for
    /// the channel's sake, not shown for the asker's.
    pub in_public: bool,
    /// Asked by mention in a channel shared with another organisation (Slack Connect): its
    /// answers, public or the asker's (who may be from outside), show only the projects
    /// pitched in that channel and those in the public catalogue.
    pub shared_channel: bool,
}

impl Ctx {
    /// The context of a request made at `at`, nothing of its allowance spent yet.
    pub fn new(
        team: TeamId,
        user: UserId,
        channel: ChannelId,
        at: DateTime<Utc>,
        rules: Arc<Rules>,
    ) -> Ctx {
        Ctx {
            team,
            user,
            channel,
            thread: None,
            at,
            rules,
            spent: Arc::new(OnceLock::new()),
            in_public: false,
            shared_channel: false,
        }
    }

    /// This request as if asked in the asker's DM with the bot, where an answer sent there is
    /// read and its buttons pressed: a private channel's project is named only to its team.
    pub fn in_dm(&self) -> Ctx {
        Ctx {
            channel: self.user.dm_channel(),
            in_public: false,
            shared_channel: false,
            ..self.clone()
        }
    }

    /// Unix seconds, as the store records time.
    pub fn now(&self) -> i64 {
        self.at.timestamp()
    }
}

/// Runs `f` once per submitted view: the same view submitted again (its user pressing the
/// button again after Slack gave up waiting on a slow answer) is `None` and changes nothing.
/// The view is remembered only once `f` recorded something ([`Reply::leaves_form_open`] is
/// false), so a refused form can be submitted again. (Remembered with Slack's event ids, for
/// 3 days.)
pub fn once_per_view(
    conn: &Connection,
    ctx: &Ctx,
    view_id: &str,
    f: impl FnOnce() -> anyhow::Result<Reply>,
) -> anyhow::Result<Option<Reply>> {
    let key = format!("view:{view_id}");
    if store::seen_event(conn, &key)? {
        return Ok(None);
    }
    let reply = f()?;
    if !reply.leaves_form_open() {
        store::record_event(conn, &key, &ctx.team, ctx.now())?;
    }
    Ok(Some(reply))
}

/// Runs one command. A mistake of the user's becomes [`Reply::Problem`]; an `Err` is internal.
pub fn run_command(conn: &Connection, ctx: &Ctx, command: Command) -> anyhow::Result<Reply> {
    match spend_on(ctx, &command) {
        Ok(()) => apply_command(conn, ctx, command),
        Err(over) => Ok(*over.reply),
    }
}

/// Spends one of the asker's changes if `command` changes anything (a slash command's:
/// refused, it is answered in the command's reply).
fn spend_on(ctx: &Ctx, command: &Command) -> Result<(), Refused> {
    match command.is_read_only() {
        true => Ok(()),
        false => spend_in_reply(ctx),
    }
}

/// Spends one of the asker's allowance on a mention, whatever it asks: each answer is a
/// post the bot makes for them (a list or a search posted for the channel), so a script
/// mentioning the bot in a loop would fill the channel. A look asked past it is told so.
fn spend_on_mention(ctx: &Ctx, command: &Command) -> Result<(), Refused> {
    match command.is_read_only() {
        true => spend_on_answer(ctx),
        false => spend(ctx),
    }
}

/// Spends one of the asker's allowance on an answer to a mention that changes nothing (a
/// look, a mistake, an edit told it is not acted on): each is a post made for them, and a
/// script mentioning the bot wrongly in a loop would otherwise fill the channel's queue.
fn spend_on_answer(ctx: &Ctx) -> Result<(), Refused> {
    spend(ctx).map_err(|over| Refused {
        reply: Box::new(problem(UserError::TooManyAsks {
            wait_secs: over.wait_secs,
        })),
        ..over
    })
}

/// `answer` to a mention, as spent from its asker's allowance: past it, what to say
/// instead if they were not told this minute, or nothing.
fn spent_answer(ctx: &Ctx, answer: Reply) -> Option<Reply> {
    match spend_on_answer(ctx) {
        Ok(()) => Some(answer),
        Err(over) => over.tell.then_some(*over.reply),
    }
}

/// Spends one of the asker's allowance on a look asked by a button (a report's copy: each
/// press is a report worked out and a message sent): `Err` when there is no room, with
/// what to tell them, if they were not told this minute.
pub fn spend_on_press(ctx: &Ctx) -> Result<(), Option<Box<Reply>>> {
    spend(ctx).map_err(|over| {
        over.tell.then(|| {
            Box::new(problem(UserError::TooManyAsks {
                wait_secs: over.wait_secs,
            }))
        })
    })
}

/// Runs one command whose change, if any, has been allowed.
fn apply_command(conn: &Connection, ctx: &Ctx, command: Command) -> anyhow::Result<Reply> {
    match command {
        Command::Help { unknown, about } => Ok(Reply::Help {
            unknown,
            about: about.map(str::to_string),
        }),
        Command::Privacy => Ok(Reply::Privacy {
            notice: ctx.rules.privacy_url.clone(),
        }),
        Command::Pitch { title, description } => pitch::pitch(conn, ctx, title, description),
        Command::List(filter, page) => browse::list(conn, ctx, filter, page),
        Command::ListCouncil(name, page) => browse::list_council(conn, ctx, &name, page),
        Command::Show(number) => browse::show(conn, ctx, number),
        Command::Join(number) => team::by_command(conn, ctx, number, true),
        Command::Leave(number) => team::by_command(conn, ctx, number, false),
        Command::Remove { project, user } => team::remove(conn, ctx, project, &user),
        Command::Handover { project, user } => team::handover(conn, ctx, project, &user),
        Command::LeadCouncil { project, council } => {
            team::lead_council(conn, ctx, project, &council)
        }
        Command::Merge { project, into } => merge::merge(conn, ctx, project, into),
        Command::Council(name) => team::council(conn, ctx, name),
        Command::Councils(page) => team::councils(conn, ctx, page),
        Command::Report { span, council } => report::report(conn, ctx, span, council),
        Command::ListReused(page) => home::list_reused(conn, ctx, page),
        Command::Search(words) => browse::search(conn, ctx, &words),
        Command::Reuse { project, note } => reuse::reuse(conn, ctx, project, note),
        Command::Unreuse(project) => reuse::unreuse(conn, ctx, project),
        Command::ReuseListed { service, note } => reuse::reuse_listed(conn, ctx, service, note),
        Command::UnreuseListed(service) => reuse::unreuse_listed(conn, ctx, service),
        Command::Listed { service, ask } => browse::listed(conn, ctx, service, ask),
        Command::Publish(project) => publishing::publish(conn, ctx, project),
        Command::Unpublish(project) => publishing::unpublish(conn, ctx, project),
        Command::Link { project, kind, url } => publishing::link(conn, ctx, project, kind, url),
        Command::Skills(skills) => skills::offer(conn, ctx, skills),
        Command::Wants { project, skills } => skills::wants(conn, ctx, project, skills),
        Command::ForgetMe => forget_me(conn, ctx),
        Command::Digest(d) => digest::command(conn, ctx, d),
        Command::Update { project, text } => {
            let update = progress::NewUpdate {
                number: project,
                text,
                source: progress::UpdateSource::Command,
            };
            progress::update(conn, ctx, update)
        }
        Command::Phase {
            project,
            phase,
            note,
        } => progress::phase(conn, ctx, project, phase, note),
        Command::Correct { project, text } => progress::correct(conn, ctx, project, text),
        Command::Withdraw(project) => progress::withdraw(conn, ctx, project),
        Command::Edit {
            project,
            title,
            description,
        } => progress::edit(conn, ctx, project, title, description),
    }
}

/// A change refused because its asker is past their allowance a minute.
struct Refused {
    /// Boxed: a reply is large, and this is an `Err` passed up.
    reply: Box<Reply>,
    /// Whether to say so where saying costs a post (see `OverBudget::first`).
    tell: bool,
    /// When the asker may change something again.
    wait_secs: u32,
}

/// Spends one of the asker's changes for this minute (see `domain::WriteBudget`). Checked
/// before anything is written, so a refused change records nothing and undoes nothing.
fn spend(ctx: &Ctx) -> Result<(), Refused> {
    let spent = ctx
        .spent
        .get_or_init(|| ctx.rules.budget.spend(&ctx.team, &ctx.user, ctx.at));
    refused(ctx, spent)
}

/// Gives back what `ctx`'s request spent, if it spent: its write failed, recording nothing,
/// and Slack delivers it again (a new request, which spends then). A refusal counted as told
/// is untold: its telling was in the write, so the retry tells it.
pub fn give_back_spent(ctx: &Ctx) {
    match ctx.spent.get() {
        Some(Ok(())) => ctx.rules.budget.refund(&ctx.team, &ctx.user),
        Some(Err(over)) => ctx.rules.budget.untell(&ctx.team, &ctx.user, over),
        None => {}
    }
}

/// [`spend`] for a change refused in the request's own reply (a slash command's, a form's):
/// that costs no post (but one answered after Slack's 3 s, sent to the DM), so it is not
/// counted as the minute's telling (a refused join by reaction after it is still told).
fn spend_in_reply(ctx: &Ctx) -> Result<(), Refused> {
    let spent = ctx.spent.get_or_init(|| {
        let budget = &ctx.rules.budget;
        budget.spend_answered_in_reply(&ctx.team, &ctx.user, ctx.at)
    });
    refused(ctx, spent)
}

/// The spend's refusal, if refused, as told to the asker.
fn refused(ctx: &Ctx, spent: &Result<(), OverBudget>) -> Result<(), Refused> {
    spent.map_err(|over| {
            tracing::info!(team = %ctx.team, user = %ctx.user, "change refused: over the budget a minute");
            Refused {
                reply: Box::new(problem(UserError::TooManyChanges {
                    wait_secs: over.wait_secs,
                })),
                tell: over.first,
                wait_secs: over.wait_secs,
            }
        })
}

/// Tells the asker privately that a change was refused, if they were not told this minute
/// (each telling is a post), and gives back the refusal.
fn refuse(conn: &Connection, ctx: &Ctx, where_: Privately, over: Refused) -> anyhow::Result<Reply> {
    if over.tell {
        tell(conn, ctx, where_, (*over.reply).clone())?;
    }
    Ok(*over.reply)
}

/// Queues `reply` for the asker alone, in the channel they are in (`chat.postEphemeral`).
fn tell_privately(conn: &Connection, ctx: &Ctx, reply: Reply) -> anyhow::Result<i64> {
    tell(conn, ctx, Privately::InChannel, reply)
}

/// Where an answer meant for one person goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privately {
    /// Seen only by them, in the channel they asked in (an ephemeral).
    InChannel,
    /// In their DM with the bot (the Home has no channel to answer in).
    InDm,
}

/// Queues `reply` for the asker alone.
fn tell(conn: &Connection, ctx: &Ctx, where_: Privately, reply: Reply) -> anyhow::Result<i64> {
    let to = match (where_, &ctx.thread) {
        (Privately::InChannel, Some(thread)) => {
            To::EphemeralInThread(ctx.channel.clone(), thread.clone(), ctx.user.clone())
        }
        (Privately::InChannel, None) => To::Ephemeral(ctx.channel.clone(), ctx.user.clone()),
        (Privately::InDm, _) => To::Dm(ctx.user.clone()),
    };
    reply_to(conn, ctx, to, reply)
}

/// Queues `reply` to the asker, sent `to` there.
fn reply_to(conn: &Connection, ctx: &Ctx, to: To, reply: Reply) -> anyhow::Result<i64> {
    outbox::queue(
        conn,
        &Post::new(&ctx.team, to, Notice::Reply { reply }),
        ctx.now(),
    )
}

/// Tells the asker privately that their request failed on our side and changed nothing. It
/// runs in a transaction of its own, after the failed one rolled back (taking with it any
/// answer that one had queued): a button press, unlike a command, has no HTTP answer to say
/// it in.
pub fn tell_failure(conn: &Connection, ctx: &Ctx, where_: Privately) -> anyhow::Result<()> {
    tell(conn, ctx, where_, Reply::Internal).context("cannot queue the failure notice")?;
    Ok(())
}

/// Tells the asker `reply` in their DM with the bot: for what has no channel to answer in (a
/// shortcut, the Home) and no HTTP answer that Slack would show.
pub fn tell_in_dm(conn: &Connection, ctx: &Ctx, reply: Reply) -> anyhow::Result<()> {
    tell(conn, ctx, Privately::InDm, reply).context("cannot queue the note in their DM")?;
    Ok(())
}

/// Tells a presser `reply` privately, `where_` (a button's answer that is not the copy they
/// asked to be sent: in the channel pressed in, or their DM from the Home).
pub fn tell_pressed(
    conn: &Connection,
    ctx: &Ctx,
    where_: Privately,
    reply: Reply,
) -> anyhow::Result<()> {
    tell(conn, ctx, where_, reply).context("cannot queue the answer")?;
    Ok(())
}

/// Tells the presser privately (`where_`: in the channel pressed in, or in their DM for a
/// Home) that the button they pressed names no project it can act on (trying again would
/// not help, so not "something went wrong").
pub fn tell_stale_button(conn: &Connection, ctx: &Ctx, where_: Privately) -> anyhow::Result<()> {
    let reply = problem(UserError::StaleButton);
    tell(conn, ctx, where_, reply).context("cannot queue the stale-button notice")?;
    Ok(())
}

/// The reply to a text that did not parse, or to a request the rules refuse.
pub fn problem(e: impl Into<Problem>) -> Reply {
    Reply::Problem { problem: e.into() }
}

/// Project `number` of the asker's workspace (its row id and head, as the asker sees it), or
/// the answer that there is none.
pub(super) fn project_or_problem(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
) -> anyhow::Result<Result<(i64, ProjectHead), Reply>> {
    let Some(found) = store::project_head(conn, &ctx.team, number, &ctx.user)? else {
        return Ok(Err(problem(UserError::NoSuchProject(number))));
    };
    if let Some(why) = why_hidden(conn, ctx, number)? {
        return Ok(Err(problem(why)));
    }
    Ok(Ok(found))
}

/// Where project `id`'s work carries on (`merge`): the project it was merged into, if that is
/// still open and may be shown where `ctx` asks. The one rule by which `show`, `join` and
/// `reuse` point there.
pub(super) fn carries_on(
    conn: &Connection,
    ctx: &Ctx,
    id: i64,
) -> anyhow::Result<Option<store::MergeTarget>> {
    let Some(into) = store::merge_target(conn, id)? else {
        return Ok(None);
    };
    if into.phase == Phase::Retired || why_hidden(conn, ctx, into.number)?.is_some() {
        return Ok(None);
    }
    Ok(Some(into))
}

/// Why project `number` is not shown where `ctx` asks, if it is not (`store::is_hidden`):
/// asked in a channel shared with another organisation, pitched in another channel (and the
/// asker, answered alone, not in its team); else a private channel's.
pub(super) fn why_hidden(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
) -> anyhow::Result<Option<UserError>> {
    if !store::is_hidden(conn, &ctx.team, number, audience(ctx))? {
        return Ok(None);
    }
    Ok(Some(match ctx.shared_channel {
        true => UserError::NotShownInSharedChannel(number),
        false => UserError::PrivateProject(number),
    }))
}

/// The asker, where they asked: a private channel's projects are shown there and to their
/// teams alone (`store::hidden_from`); an answer the whole channel may read, to nobody in
/// particular.
pub(super) fn audience(ctx: &Ctx) -> store::Audience<'_> {
    store::Audience {
        here: Some(&ctx.channel),
        viewer: (!ctx.in_public).then_some(&ctx.user),
        only_here: ctx.shared_channel,
    }
}

/// `limit` rows, and one more for each of `hidden`, which are left out of what is read: so a
/// limited look-up still fills its limit.
pub(super) fn room_for(limit: u32, hidden: &std::collections::HashSet<ProjectNumber>) -> u32 {
    limit.saturating_add(u32::try_from(hidden.len()).unwrap_or(u32::MAX))
}

/// The projects the asker is not to be shown where they asked (usually none).
pub(super) fn hidden_here(
    conn: &Connection,
    ctx: &Ctx,
) -> anyhow::Result<std::collections::HashSet<ProjectNumber>> {
    store::hidden_from(conn, &ctx.team, audience(ctx))
}

/// `forget me`: the asker leaves every team, their council link and skills go, and their
/// pitches, updates and notes stay as the team's work naming nobody; in every workspace
/// the bot serves, since a shared channel records them under another's
/// (`store::forget_everywhere`).
fn forget_me(conn: &Connection, ctx: &Ctx) -> anyhow::Result<Reply> {
    let forgotten = forget(conn, &ctx.team, &ctx.user, ctx.now(), &ctx.rules.join_emoji)?;
    let teams = forgotten
        .counts
        .iter()
        .find(|(table, _)| *table == "members")
        .map_or(0, |(_, n)| *n);
    // Their Home in another workspace that installed the bot lists what it held about them
    // until they next open it. A workspace without its own installation has no Home of theirs
    // to mend: a shared channel's guest from there, or `SLACK_BOT_TOKEN`'s own workspace,
    // which is the one asked in. A council said anywhere was named on their Home in every
    // workspace where they said none (`store::council_of`), which held nothing of theirs:
    // so then also every other installed workspace of their Enterprise Grid org (Slack does
    // not say where they opened one; outside an org their id is no other workspace's).
    let mut homes_elsewhere = Vec::new();
    for team in forgotten.held_in {
        if team != ctx.team && store::installed_at(conn, &team)?.is_some() {
            homes_elsewhere.push(team);
        }
    }
    if forgotten.said_council {
        homes_elsewhere.extend(store::installed_in_org_of(conn, &ctx.team)?);
        homes_elsewhere.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        homes_elsewhere.dedup();
    }
    store::log_once_committed(move || tracing::info!(teams, "a person asked to be forgotten"));
    Ok(Reply::Forgotten {
        teams,
        homes_elsewhere,
    })
}

/// Forgets `user` (asked in `team`) everywhere, as `forget me` and the operator's `forget`
/// do (see `store::forget_everywhere`), corrects the bot's posts in Slack that said who they
/// were (see `progress::correct_posts_naming`), and tells the thread of each project they
/// led that anyone in its team may lead it now.
pub fn forget(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    now: i64,
    join_emoji: &str,
) -> anyhow::Result<store::ForgottenEverywhere> {
    let forgotten = store::forget_everywhere(conn, team, user, now)?;
    // Those it forgot first, whose own forgets failed, are told of as those would have.
    for each in forgotten.earlier.iter().chain([&forgotten]) {
        tell_slack_of_forget(conn, each, now, join_emoji)?;
    }
    Ok(forgotten)
}

/// What follows a forget in Slack: its posts naming the person corrected, and the threads
/// of projects they led told. The forget stands whatever becomes of it (each step's writes
/// undone if it fails), unless SQLite rolled the forget back too.
fn tell_slack_of_forget(
    conn: &Connection,
    forgotten: &store::ForgottenEverywhere,
    now: i64,
    join_emoji: &str,
) -> anyhow::Result<()> {
    let corrected = store::step_apart(conn, || {
        progress::correct_posts_naming(conn, &forgotten.posted, join_emoji, now)
    })?;
    if let Err(e) = corrected {
        tracing::warn!(
            error = format!("{e:#}"),
            "could not queue the corrections of a forgotten person's posts"
        );
    }
    let led = &forgotten.led;
    if let Err(e) = store::step_apart(conn, || team::tell_forgotten_lead_left(conn, led, now))? {
        tracing::warn!(
            error = format!("{e:#}"),
            "could not tell a forgotten lead's threads"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WriteBudget;

    /// Installs workspace `team`, of Enterprise Grid org `org` if any.
    fn install(tx: &rusqlite::Transaction, team: &str, org: Option<&str>) -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO installations (team_id, team_name, enterprise_id, app_id, bot_user_id,
                                        bot_token, scopes, installed_by, installed_at, updated_at)
             VALUES (?1, 'x', ?2, 'A1', 'UBOT', x'00', 'chat:write', 'U2', 0, 0)",
            rusqlite::params![team, org],
        )?;
        Ok(())
    }

    /// A pitch held behind a busy writer with a write that fails after it: the batch runs
    /// it twice (again in a savepoint, once the failure is known), and it is logged once;
    /// in a batch whose commit fails (the search index cannot be brought up to date), it
    /// is not logged at all, as nothing was recorded.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pitch_is_logged_once_and_only_once_committed() {
        use crate::domain::{Description, Title};
        use crate::store::captured_logs::{capture_logs, logged_with};
        capture_logs();
        let dir = tempfile::tempdir().unwrap();
        let db = store::AsyncStore::new(store::Store::open(&dir.path().join("t.db")).unwrap());
        let pitch_in = |team: &'static str| {
            let ctx = Ctx::new(
                TeamId::parse(team).unwrap(),
                UserId::parse("U1").unwrap(),
                ChannelId::parse("C1").unwrap(),
                DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                Arc::new(Rules::default()),
            );
            move |tx: &rusqlite::Transaction| {
                let title = Title::parse("Bins").unwrap();
                pitch::pitch(tx, &ctx, title, Description::parse("").unwrap())
            }
        };
        // The writer held until the pitch and the failing write are queued behind it.
        let (busy, release) = db.held_writer().await;
        let mut pitched = Box::pin(db.write(pitch_in("TLOGGEDONCE")));
        assert!(futures::poll!(pitched.as_mut()).is_pending());
        let mut failing = Box::pin(db.write(|_| Err::<(), _>(anyhow::anyhow!("this write fails"))));
        assert!(futures::poll!(failing.as_mut()).is_pending());
        release.send(()).unwrap();
        let (busy, pitched, failing) = tokio::join!(busy, pitched, failing);
        busy.unwrap();
        pitched.unwrap();
        assert!(failing.is_err());
        let lines = logged_with(&["project pitched", "team=TLOGGEDONCE"]);
        assert_eq!(lines.len(), 1, "{lines:#?}");

        db.write(|tx| Ok(tx.execute_batch("DROP TABLE project_search")?))
            .await
            .unwrap();
        assert!(db.write(pitch_in("TNEVERCOMMITTED")).await.is_err());
        let lines = logged_with(&["project pitched", "team=TNEVERCOMMITTED"]);
        assert!(lines.is_empty(), "{lines:#?}");
    }

    /// Two forms pitching one idea queued behind a busy writer go into one batch: the
    /// second is told of the first, as it would be a moment later (the search index is
    /// brought up to date before the look, not only at the batch's commit).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pitch_form_in_the_same_batch_is_told_of_the_pitch_before_it() {
        use crate::domain::{Description, Title};
        let dir = tempfile::tempdir().unwrap();
        let db = store::AsyncStore::new(store::Store::open(&dir.path().join("t.db")).unwrap());
        let form_of = |user: &'static str| {
            let ctx = Ctx::new(
                TeamId::parse("TSAME").unwrap(),
                UserId::parse(user).unwrap(),
                ChannelId::parse("C1").unwrap(),
                DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                Arc::new(Rules::default()),
            );
            move |tx: &rusqlite::Transaction| {
                let form = pitch::FormPitch {
                    title: Title::parse("Parking permit checker").unwrap(),
                    description: Description::parse("").unwrap(),
                    lead_council: None,
                    skills: Vec::new(),
                };
                pitch::pitch_form(tx, &ctx, form)
            }
        };
        let (busy, release) = db.held_writer().await;
        let mut alice = Box::pin(db.write(form_of("UALICE")));
        assert!(futures::poll!(alice.as_mut()).is_pending());
        let mut bob = Box::pin(db.write(form_of("UBOB")));
        assert!(futures::poll!(bob.as_mut()).is_pending());
        release.send(()).unwrap();
        let (busy, alice, bob) = tokio::join!(busy, alice, bob);
        busy.unwrap();
        let Reply::Pitched { number, .. } = alice.unwrap() else {
            panic!("Alice's pitch was not taken");
        };
        let Reply::Pitched { similar, .. } = bob.unwrap() else {
            panic!("Bob's pitch was not taken");
        };
        let similar: Vec<_> = similar.iter().map(|p| p.number).collect();
        assert_eq!(similar, vec![number]);
    }

    /// U1 says `forget me` in workspace TASKED.
    fn u1_forgets_in_tasked(store: &store::Store) -> Reply {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let user = UserId::parse("U1").unwrap();
        let team = TeamId::parse("TASKED").unwrap();
        let ctx = Ctx::new(
            team,
            user.clone(),
            user.dm_channel(),
            at,
            Arc::new(Rules::default()),
        );
        store.write(|tx| forget_me(tx, &ctx)).unwrap()
    }

    /// `forget me` says which other workspaces need their Home published afresh: without a
    /// council said, those with an installation that held rows of their own. Not one that
    /// only names them in a text, nor one without an installation, nor one that held nothing;
    /// never the one asked in.
    #[test]
    fn forget_me_names_the_other_installed_workspaces_that_held_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO people (team_id, user_id, is_bot, updated_at)
                     VALUES ('TASKED', 'U1', 0, 0), ('THELD', 'U1', 0, 0),
                            ('TNEVER', 'U1', 0, 0), ('TNONE', 'U2', 0, 0);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'TNAMES', 1, 'Bins', 'ask <@U1>', 'discovery', 'U2', 'C1',
                             0, 0, 0);",
                )?;
                for team in ["TASKED", "THELD", "TNAMES", "TNONE"] {
                    install(tx, team, None)?;
                }
                Ok(())
            })
            .unwrap();
        let reply = u1_forgets_in_tasked(&store);
        assert_eq!(
            reply,
            Reply::Forgotten {
                teams: 0,
                homes_elsewhere: vec![TeamId::parse("THELD").unwrap()],
            }
        );
        let named: String = store
            .write(|tx| Ok(tx.query_row("SELECT description FROM projects", [], |r| r.get(0))?))
            .unwrap();
        assert!(!named.contains("U1"), "the text was forgotten too: {named}");
    }

    /// Once they said a council (here in TASKED), their Home in every other workspace where
    /// their id is theirs (their Enterprise Grid org's) named it, holding nothing of theirs
    /// or not: each is published afresh; no workspace outside the org.
    #[test]
    fn forget_me_names_every_other_workspace_of_their_org_once_they_said_a_council() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at)
                     VALUES (1, 'TASKED', 'adur', 'Adur', 0);
                     INSERT INTO people (team_id, user_id, is_bot, council_id, council_said_at,
                                         updated_at)
                     VALUES ('TASKED', 'U1', 0, 1, 0, 0);",
                )?;
                // Two workspaces of one Enterprise Grid org, one of another, one of none.
                for (team, org) in [
                    ("TASKED", Some("E1")),
                    ("TSEES", Some("E1")),
                    ("TOTHER", Some("E2")),
                    ("TALSO", None),
                ] {
                    install(tx, team, org)?;
                }
                Ok(())
            })
            .unwrap();
        let reply = u1_forgets_in_tasked(&store);
        assert_eq!(
            reply,
            Reply::Forgotten {
                teams: 0,
                homes_elsewhere: vec![TeamId::parse("TSEES").unwrap()],
            }
        );
    }

    /// What a forget queues for Slack (corrections, the thread told its lead left), for U2,
    /// who pitched and leads an announced project in T1: forgetting U2 alone, or U1 and U2
    /// in a write batch run again (another write in it failed), where U1's forget, run again,
    /// finds U2's ledger line past the database's and forgets U2 first.
    fn queued_for_forgetting_u2(rerun: bool) -> i64 {
        let dir = tempfile::tempdir().unwrap();
        let store = store::Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, announcement_ts, created_at,
                                           updated_at, last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', 'Bin days', 'discovery', 'U2', 'C1',
                             '1700000000.000100', 0, 0, 0);
                     INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U2', 0);",
                )?;
                Ok(())
            })
            .unwrap();
        let (team, u1, u2) = (
            TeamId::parse("T1").unwrap(),
            UserId::parse("U1").unwrap(),
            UserId::parse("U2").unwrap(),
        );
        if rerun {
            let failed: anyhow::Result<()> = store.write(|tx| {
                store::forget_everywhere(tx, &team, &u1, 10)?;
                store::forget_everywhere(tx, &team, &u2, 10)?;
                anyhow::bail!("another write of the batch failed")
            });
            assert!(failed.is_err());
            store
                .write(|tx| forget(tx, &team, &u1, 11, "raised_hand").map(|_| ()))
                .unwrap();
        }
        store
            .write(|tx| forget(tx, &team, &u2, 11, "raised_hand").map(|_| ()))
            .unwrap();
        store
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn a_person_forgotten_by_anothers_forget_has_their_posts_corrected_too() {
        let alone = queued_for_forgetting_u2(false);
        assert!(
            alone >= 2,
            "the announcement corrected, the thread told: {alone}"
        );
        assert_eq!(queued_for_forgetting_u2(true), alone);
    }

    /// A request of U1's in T1, in their DM, at one moment: many of them share the
    /// allowance in `rules`.
    fn request_of_u1(rules: &Arc<Rules>) -> Ctx {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let user = UserId::parse("U1").unwrap();
        let team = TeamId::parse("T1").unwrap();
        Ctx::new(team, user.clone(), user.dm_channel(), at, rules.clone())
    }

    /// A press past the allowance is refused, and the presser told once a minute.
    #[test]
    fn a_press_past_the_allowance_is_told_once() {
        let rules = Arc::new(Rules::default());
        let request = || request_of_u1(&rules);
        for _ in 0..WriteBudget::BURST {
            assert!(spend_on_press(&request()).is_ok());
        }
        let told = spend_on_press(&request()).unwrap_err().expect("told");
        assert_eq!(*told, problem(UserError::TooManyAsks { wait_secs: 1 }));
        assert!(matches!(spend_on_press(&request()), Err(None)), "told once");
    }

    #[test]
    fn a_request_spends_its_allowance_once_however_often_it_runs() {
        let rules = Arc::new(Rules::default());
        let request = || request_of_u1(&rules);
        for _ in 1..WriteBudget::BURST {
            assert!(spend(&request()).is_ok());
        }
        // The last change of the burst, asked about again as a write run a second time is,
        // and by a copy of the request (a mention's answer worked out ahead).
        let last = request();
        assert!(spend(&last).is_ok());
        assert!(spend(&last).is_ok(), "the same answer, nothing spent again");
        assert!(spend(&last.clone()).is_ok(), "a copy spent nothing again");
        assert!(spend(&request()).is_err(), "the next request is over");
    }
}
