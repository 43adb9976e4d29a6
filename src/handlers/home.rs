//! The Home tab: what a person sees when they open the app, and its buttons. Presses there
//! have no channel, so their answers go to the person's DM with the bot (the app's Messages
//! tab); the edge re-publishes the Home after a change made from it.

use std::collections::HashSet;

use anyhow::Context;
use rusqlite::Connection;

use super::{Ctx, browse, team};
use crate::domain::{Phase, ProjectNumber, Title};
use crate::message::{Home, ProjectNamed, Reply, Reused, SMALL_TEAM, ThreadLine};
use crate::store;

/// Projects needing people, wanting the person's skills, and re-used by their council,
/// shown at most.
pub const HOME_FEW: u32 = 5;

/// The Home of `ctx.user`.
pub fn home(conn: &Connection, ctx: &Ctx) -> anyhow::Result<Home> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    let (team, user) = (&ctx.team, &ctx.user);
    let mine = store::home_projects(conn, team, user, quiet_since)?;
    // A private channel's projects are shown to their teams alone: the Home is in no
    // channel. Asked for as many more as are hidden, then left out.
    let audience = store::Audience {
        here: None,
        viewer: Some(user),
        only_here: false,
    };
    let hidden = store::hidden_from(conn, team, audience)?;
    // One more than is shown of each list, to know whether there are more: the Home says
    // so, and where to see them, as it does of every list it cuts (five under a heading
    // read as all there were).
    let mut wanting_skills = super::skills::wanting_skills_of(conn, ctx, HOME_FEW + 1, &hidden)?;
    // The list pointed to for the rest is the one for a skill the first left out wants: the
    // person's first skill offered could be one none of them asks for, an empty list.
    let wanting_more = wanting_skills
        .get(HOME_FEW as usize)
        .and_then(|left_out| left_out.skills.first().copied());
    wanting_skills.truncate(HOME_FEW as usize);
    // A project may both need people and want their skills: it is listed once, for skills.
    let mut need_people = store::projects_needing_people(
        conn,
        team,
        user,
        SMALL_TEAM,
        quiet_since,
        super::room_for(HOME_FEW + 1 + wanting_skills.len() as u32, &hidden),
    )?;
    need_people.retain(|p| !hidden.contains(&p.number));
    need_people.retain(|p| !wanting_skills.iter().any(|w| w.project.number == p.number));
    let need_people_more = need_people.len() > HOME_FEW as usize;
    need_people.truncate(HOME_FEW as usize);
    // Asked only when nothing else is listed (rare where there are projects), so that an
    // empty workspace is told to pitch, not pointed at lists that are not there.
    // Not where a private channel's projects are only hidden from them: "No open projects
    // yet" would invite a second pitch of one.
    let none_open = mine.is_empty()
        && need_people.is_empty()
        && wanting_skills.is_empty()
        && hidden.is_empty()
        && !store::any_open_project(conn, team)?;
    let offers_skills = !store::offered_skills(conn, team, user)?.is_empty();
    let (mut council, mut reused) = (None, Vec::new());
    if let Some((id, name)) = store::council_of(conn, team, user)? {
        let ledger = store::council_give_and_take(conn, id)?;
        council = Some((name.display().to_string(), ledger));
        reused = reused_shown(conn, ctx, id, &hidden)?;
    }
    let reused_more = u32::try_from(reused.len().saturating_sub(HOME_FEW as usize)).unwrap_or(0);
    reused.truncate(HOME_FEW as usize);
    // Read last, so every project listed above is at or before it.
    let newest_pitch_at = store::newest_pitch_at(conn, team)?;
    Ok(Home {
        mine,
        need_people,
        need_people_more,
        wanting_skills,
        offers_skills,
        wanting_skills_more: wanting_more,
        none_open,
        council,
        reused,
        reused_more,
        report: crate::message::HomeReport::at(ctx.at, ctx.rules.tz),
        drawn_at: ctx.at.timestamp(),
        newest_pitch_at,
    })
}

/// What council `council_id` re-uses, as the Home may show it to `ctx.user`: this
/// workspace's projects by number, but not those `hidden` from them (a private channel's);
/// another workspace's by catalogue address, while published (and so the one it was merged
/// into).
fn reused_shown(
    conn: &Connection,
    ctx: &Ctx,
    council_id: i64,
    hidden: &HashSet<ProjectNumber>,
) -> anyhow::Result<Vec<Reused>> {
    let mut shown = Vec::new();
    for r in store::council_reuses(conn, council_id)? {
        let here = r.team == ctx.team;
        let project = match (here, r.published) {
            (true, _) if hidden.contains(&r.number) => continue,
            (true, _) => ProjectNamed::Number {
                number: r.number,
                title: r.title,
            },
            (false, Some(slug)) => ProjectNamed::Listed {
                slug,
                title: r.title,
            },
            (false, None) => continue,
        };
        shown.push(Reused {
            project,
            phase: r.phase,
            carries_on_in: r
                .carries_on_in
                .filter(|into| here && !hidden.contains(into)),
            // From another workspace, by its catalogue address (read only while published
            // there), as its page and `show <address>` name it: a retired line alone would
            // send a council that runs it nowhere.
            carries_on_as: r.carries_on_as.filter(|_| !here),
        });
    }
    // Retired first: what a council that runs a service must not miss (stable: otherwise
    // the latest said first).
    shown.sort_by_key(|r| r.phase != Phase::Retired);
    Ok(shown)
}

/// `list reused`: everything the asker's council re-uses, as the Home lists a few, page
/// `page` of it.
pub fn list_reused(
    conn: &Connection,
    ctx: &Ctx,
    page: crate::domain::Page,
) -> anyhow::Result<Reply> {
    let Some((id, name)) = store::council_of(conn, &ctx.team, &ctx.user)? else {
        return Ok(Reply::CouncilReuses {
            council: None,
            reused: Vec::new(),
            page,
        });
    };
    let hidden = super::hidden_here(conn, ctx)?;
    Ok(Reply::CouncilReuses {
        council: Some(name.display().to_string()),
        reused: reused_shown(conn, ctx, id, &hidden)?,
        page,
    })
}

/// The projects `ctx.user` may post an update to, newest first: open ones whose team they
/// are in, or that they lead (a lead who left the team may still post, as by command).
pub fn update_choices(conn: &Connection, ctx: &Ctx) -> anyhow::Result<Vec<(ProjectNumber, Title)>> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    let mut choices: Vec<(ProjectNumber, Title)> =
        store::home_projects(conn, &ctx.team, &ctx.user, quiet_since)?
            .into_iter()
            .map(|p| (p.project.number, p.project.title))
            .collect();
    choices.extend(store::led_from_outside(conn, &ctx.team, &ctx.user)?);
    choices.sort_by_key(|(number, _)| std::cmp::Reverse(*number));
    Ok(choices)
}

/// The projects the update form offers `ctx.user` with `chosen` picked (a nudge's or the
/// Home's *Post update*): their open projects, and `chosen` among them if they may post to
/// it as `/makers update` would let them (its pitcher, or retired); or, if they may not,
/// the answer `/makers update` would give.
pub fn update_form_for(
    conn: &Connection,
    ctx: &Ctx,
    chosen: ProjectNumber,
) -> anyhow::Result<Result<Vec<(ProjectNumber, Title)>, Reply>> {
    let (_, project) = match super::progress::team_project(conn, ctx, chosen)? {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut choices = update_choices(conn, ctx)?;
    if !choices.iter().any(|(n, _)| *n == chosen) {
        choices.insert(0, (chosen, project.title));
    }
    Ok(Ok(choices))
}

/// A button on the Home tab that changes or tells something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeAction {
    /// With when the Home was marked as drawn (unix seconds, no earlier than its newest
    /// pitch), where it says.
    Join {
        drawn_at: Option<i64>,
    },
    Show,
}

/// Applies a Home press and queues its answer in the presser's DM with the bot.
pub fn press_home(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    action: HomeAction,
) -> anyhow::Result<()> {
    // A Home left open across a restore of an older backup, or an erase and a reinstall:
    // its number is now another project's, pitched since. Out of date, as such an
    // announcement's *Join* is; nothing joined.
    if let HomeAction::Join { drawn_at: Some(at) } = action
        && store::project_created_at(conn, &ctx.team, number)?.is_some_and(|pitched| pitched > at)
    {
        return super::tell_stale_button(conn, ctx, super::Privately::InDm);
    }
    if matches!(action, HomeAction::Join { .. })
        && let Err(over) = super::spend(ctx)
    {
        super::refuse(conn, ctx, super::Privately::InDm, over)?;
        return Ok(());
    }
    let reply = match action {
        HomeAction::Join { .. } => team::by_command(conn, ctx, number, true)?,
        HomeAction::Show => browse::show(conn, ctx, number)?,
    };
    super::tell(conn, ctx, super::Privately::InDm, reply)
        .context("cannot queue the Home answer")?;
    Ok(())
}

/// An update from the update modal: recorded as `/makers update` would; when it came from a
/// message, the poster is told in their DM with the bot that it is posted. From the Home or
/// a nudge, the re-published Home shows it, and they are told only if its line is not simply
/// on its way to the thread (the pitch not announced yet, or never to be): the modal closes
/// either way, and they would take it to be in the thread.
pub fn update_from_form(
    conn: &Connection,
    ctx: &Ctx,
    update: super::NewUpdate,
    from_message: bool,
) -> anyhow::Result<Reply> {
    // The form shows the refusal itself, so nothing is queued for it.
    if let Err(over) = super::spend_in_reply(ctx) {
        return Ok(*over.reply);
    }
    let reply = super::update(conn, ctx, update)?;
    // To their DM with the bot: the message may be in a conversation the bot cannot see (a
    // DM between colleagues, a private channel it is not in), where no answer could go.
    let worth_telling = match &reply {
        Reply::Problem { .. } => false,
        Reply::UpdatePosted { in_thread, .. } => from_message || *in_thread != ThreadLine::Queued,
        _ => from_message,
    };
    if worth_telling {
        super::tell(conn, ctx, super::Privately::InDm, reply.clone())
            .context("cannot queue the answer")?;
    }
    Ok(reply)
}
