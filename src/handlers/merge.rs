//! `merge 7 into 4`: two teams found they were making the same thing, and one carries on as
//! the other. The merged project is retired, as `phase 7 retired` retires it, and points
//! whoever looks at it (`show`, `join`, `reuse`, its announcement, its catalogue page) at the
//! project that carries on. Nobody is put in a team they did not join, and no council's
//! re-use is moved to a project it did not say it re-uses: each thread says what happened,
//! and each of the merged team not in the other is told in their DM, with a Join button.

use rusqlite::Connection;

use super::progress::{
    correct_announcement, head_thread, post_in_thread, team_project, tell_lead_of,
};
use super::reuse::{ToReusers, tell_reusers};
use super::{Ctx, problem, project_or_problem};
use crate::domain::{Phase, Problem, ProjectHead, ProjectNumber, UserError, UserId};
use crate::message::{Notice, Reply, TeamChange};
use crate::outbox::{self, Post, To};
use crate::store::{self, PhaseMove};

/// Merges project `number` into project `into`, by someone in `number`'s team (who may
/// retire it), naming `into` as they may see it.
pub fn merge(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    into: ProjectNumber,
) -> anyhow::Result<Reply> {
    if number == into {
        return Ok(problem(UserError::MergeIntoItself(number)));
    }
    let (from_id, from) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(refused) => return wrong_way_or(conn, ctx, number, into, refused),
    };
    let (into_id, target) = match project_or_problem(conn, ctx, into)? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let target_said = store::channel_said(conn, &ctx.team, &target.channel)?;
    let target_private = target_said.private;
    let asked = (from_id, &from);
    if let Some(why) = why_not(conn, ctx, asked, (into_id, &target), target_said)? {
        return Ok(problem(why));
    }
    let now = ctx.now();
    let back_to = phase_before_retiring(conn, from_id, from.phase)?;
    if from.phase != Phase::Retired {
        let change = PhaseMove {
            project_id: from_id,
            from: from.phase,
            to: Phase::Retired,
            note: None,
            by: &ctx.user,
            at: now,
            merge: true,
        };
        store::change_phase(conn, &change)?;
    }
    let moved = store::merge_project(conn, from_id, into_id, now)?;
    // Digests waiting for Slack would still invite people to join it (retired before, it
    // is in none of their invitations).
    outbox::retire_in_digests(conn, &ctx.team, number)?;
    // After the merge is recorded: the announcements say where the work carries on, this
    // one's and those of the projects merged into it before, which named it.
    let retired = ProjectHead {
        phase: Phase::Retired,
        ..from.clone()
    };
    correct_announcement(conn, ctx, from_id, &retired)?;
    super::progress::correct_announcements_of(conn, ctx, moved)?;
    // A private channel's project is named only there and to its team: not in a DM to
    // someone outside its team (both are in that channel: `why_not`).
    let named_in_dms = !target_private;
    let newcomers = store::not_in_team_of(conn, from_id, into_id)?;
    let newcomer_count = u32::try_from(newcomers.len()).unwrap_or(u32::MAX);
    let here = Notice::CarriesOnElsewhere {
        number,
        into,
        into_title: target.title.clone(),
        by: ctx.user.clone(),
    };
    let in_thread = post_in_thread(conn, ctx, head_thread(from_id, &from), here)?;
    let there = Notice::MergedHere {
        number: into,
        from: number,
        from_title: from.title.clone(),
        by: ctx.user.clone(),
        newcomers: newcomer_count,
        asked: named_in_dms,
    };
    post_in_thread(conn, ctx, head_thread(into_id, &target), there)?;
    // A thread's line reaches only those who follow it: whoever joined by a reaction or a
    // button does not. Each is told where the work goes, and joins with one press (not
    // whoever merged it, who is answered, nor its lead, told below with how to undo it).
    let to_tell: Vec<&UserId> = newcomers
        .iter()
        .filter(|p| named_in_dms && **p != ctx.user && **p != from.pitcher)
        .collect();
    for person in &to_tell {
        // Its *Join* sealed with this workspace for them: one of another organisation who
        // presses it is named by Slack with their own (see `Notice::MergedTeamTold`).
        let notice = Notice::MergedTeamTold {
            number,
            title: from.title.clone(),
            into,
            into_title: target.title.clone(),
            by: Some(ctx.user.clone()),
            workspace: Some(ctx.team.clone()),
            shown_to: Some((*person).clone()),
        };
        let post = Post::new(&ctx.team, To::Dm((*person).clone()), notice);
        outbox::queue(conn, &post, now)?;
    }
    let told = u32::try_from(to_tell.len()).unwrap_or(u32::MAX);
    let change = match named_in_dms {
        true => TeamChange::Merged {
            into,
            into_title: target.title.clone(),
            back_to,
            retired_before: from.phase == Phase::Retired,
        },
        false => TeamChange::Retired,
    };
    let from_lead_told = tell_lead_of(conn, ctx, from_id, &from, &from.title, change)?;
    let lead_told = tell_lead_of_target(
        conn,
        ctx,
        from_lead_told,
        (into_id, &target),
        &from,
        (newcomer_count, named_in_dms),
        back_to,
    )?;
    let merged = ToReusers::Merged {
        id: into_id,
        head: &target,
        retired_before: from.phase == Phase::Retired,
        lead_told: lead_told.as_ref(),
    };
    let reusers_told = tell_reusers(conn, ctx, from_id, &from, merged)?;
    Ok(Reply::Merged {
        number,
        title: from.title,
        into,
        in_team: target.asker_in_team(&ctx.user),
        into_title: target.title,
        in_thread,
        told,
        reusers_told,
        lead_told,
    })
}

/// Tells `who` in their DM where the work of merged project `found` carries on, as the merge
/// told its team (see [`merge`]): they are in its team after the merge, by a reaction made
/// before it, which waited for Slack to say they are a person. Not if the project it was
/// merged into is retired or a private channel's, they are in its team, they lead `found` or
/// merged it (`merged_by`, if known). Whether told.
pub(super) fn tell_late_member(
    conn: &Connection,
    who: &super::team::Who,
    found: &super::team::Found,
    merged_by: Option<UserId>,
) -> anyhow::Result<bool> {
    let Some(into) = store::merge_target(conn, found.id)? else {
        return Ok(false);
    };
    let from = &found.project;
    if into.phase == Phase::Retired
        || *who.user == from.pitcher
        || merged_by.as_ref() == Some(who.user)
    {
        return Ok(false);
    }
    let Some((_, target)) = store::project_head(conn, who.team, into.number, who.user)? else {
        return Ok(false);
    };
    if target.asker_in_team(who.user)
        || store::channel_said(conn, who.team, &target.channel)?.private
    {
        return Ok(false);
    }
    let notice = Notice::MergedTeamTold {
        number: from.number,
        title: from.title.clone(),
        into: into.number,
        into_title: into.title,
        by: merged_by,
        workspace: Some(who.team.clone()),
        shown_to: Some(who.user.clone()),
    };
    outbox::queue(
        conn,
        &Post::new(who.team, To::Dm(who.user.clone()), notice),
        who.now,
    )?;
    Ok(true)
}

/// Tells the lead of `target`, into which `from` was merged, in their DM: the newcomers come
/// to their team, and the thread's line reaches only those who look. Not whoever merged it,
/// a lead who left its team or was forgotten (as [`tell_lead_of`]), one who leads `from`
/// too and was told as its lead (`from_lead_told`), nor one who may not be shown `from` (a private channel's,
/// whose team they are not in: the thread, in that channel, tells them). Who was told.
fn tell_lead_of_target(
    conn: &Connection,
    ctx: &Ctx,
    from_lead_told: bool,
    (into_id, target): (i64, &ProjectHead),
    from: &ProjectHead,
    (newcomers, asked): (u32, bool),
    back_to: Phase,
) -> anyhow::Result<Option<UserId>> {
    let lead = &target.pitcher;
    if *lead == ctx.user
        || *lead == from.pitcher && from_lead_told
        || lead.is_forgotten()
        || !store::is_member(conn, into_id, lead)?
    {
        return Ok(None);
    }
    let in_dm = store::Audience {
        here: None,
        viewer: Some(lead),
        only_here: false,
    };
    if store::is_hidden(conn, &ctx.team, from.number, in_dm)? {
        return Ok(None);
    }
    let notice = Notice::MergedIntoYours {
        number: target.number,
        title: target.title.clone(),
        from: from.number,
        from_title: from.title.clone(),
        by: ctx.user.clone(),
        newcomers,
        asked,
        back_to,
    };
    let post = Post::new(&ctx.team, To::Dm(lead.clone()), notice);
    outbox::queue(conn, &post, ctx.now())?;
    Ok(Some(lead.clone()))
}

/// Why project `from` may not be merged into `target` (whose channel Slack said is as
/// `target_said`) as asked, if it may not.
fn why_not(
    conn: &Connection,
    ctx: &Ctx,
    (from_id, from): (i64, &ProjectHead),
    (into_id, target): (i64, &ProjectHead),
    target_said: store::ChannelSaid,
) -> anyhow::Result<Option<UserError>> {
    let (number, into) = (from.number, target.number);
    // Merged already first: in a chain (1 into 2, then 2 into 3), 1's target is retired too,
    // and its team is told where 1 is now.
    if let Some(merged) = store::merge_target(conn, from_id)? {
        return Ok(Some(match merged.id == into_id {
            true => UserError::AlreadyMerged { number, into },
            false => UserError::MergedElsewhere {
                number,
                into: merged.number,
                back_to: phase_before_retiring(conn, from_id, from.phase)?,
            },
        }));
    }
    if target.phase == Phase::Retired {
        // A target merged into an open project: the work carries on there (bringing the
        // target back would undo another team's merge), or is this one's already.
        let carries_on = super::carries_on(conn, ctx, into_id)?;
        if let Some(now) = &carries_on
            && now.id == from_id
        {
            return Ok(Some(UserError::AlreadyMerged {
                number: into,
                into: number,
            }));
        }
        return Ok(Some(UserError::MergeIntoRetired {
            number,
            into,
            back_to: phase_before_retiring(conn, into_id, target.phase)?,
            carries_on: carries_on.map(|now| now.number),
        }));
    }
    // Each thread's line names the other project: a private channel's project is named only
    // in its own channel; nor a project outside a channel shared with another workspace or
    // organisation, which sees only its own projects: as Slack said when asked whether the
    // channel is private, or as a mention made in it says.
    if from.channel == target.channel {
        return Ok(None);
    }
    let from_said = store::channel_said(conn, &ctx.team, &from.channel)?;
    // The first of the two that is, as each refusal names it.
    let which = |is: fn(&store::ChannelSaid) -> bool| match is(&from_said) {
        true => Some(number),
        false => is(&target_said).then_some(into),
    };
    let private = which(|s| s.private);
    if let Some(private) = private {
        return Ok(Some(UserError::MergeAcrossPrivate {
            number,
            into,
            private,
        }));
    }
    // A channel Slack says is shared with another workspace or organisation: its thread is
    // read there, however the merge was asked for (a slash command typed elsewhere too).
    if let Some(shared) = which(|s| s.shared) {
        return Ok(Some(UserError::MergeAcrossShared {
            number,
            into,
            shared,
        }));
    }
    Ok(ctx
        .shared_channel
        .then_some(UserError::MergeInSharedChannel { number, into }))
}

/// The phase to bring a project back to: `now`, or for a retired one, the phase it left
/// when it was last retired (alpha if its history does not say).
fn phase_before_retiring(conn: &Connection, id: i64, now: Phase) -> anyhow::Result<Phase> {
    if now != Phase::Retired {
        return Ok(now);
    }
    Ok(store::phase_history(conn, id)?
        .iter()
        .rev()
        .find(|c| c.to == Phase::Retired && c.from != Phase::Retired)
        .map_or(Phase::Alpha, |c| c.from))
}

/// `refused`, the answer to someone outside `number`'s team, unless they are in `into`'s:
/// then they likely meant `merge <into> into <number>`, and are told so. Not for a retired
/// `number`, which can never be merged into: merged into `into` already, they are told so;
/// otherwise they get the retired team's refusal.
fn wrong_way_or(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    into: ProjectNumber,
    refused: Reply,
) -> anyhow::Result<Reply> {
    let Reply::Problem {
        problem: Problem::Refused { error },
    } = &refused
    else {
        return Ok(refused);
    };
    match error {
        UserError::NotInTeam(_) if team_project(conn, ctx, into)?.is_ok() => {
            Ok(problem(UserError::MergeWrongWay { number, into }))
        }
        UserError::NotInRetiredTeam(_) if merged_already(conn, ctx, number, into)? => {
            Ok(problem(UserError::AlreadyMerged { number, into }))
        }
        _ => Ok(refused),
    }
}

/// Whether project `number` is merged into `into` (each shown to the asker) already.
fn merged_already(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    into: ProjectNumber,
) -> anyhow::Result<bool> {
    let (Ok((from_id, _)), Ok((into_id, _))) = (
        project_or_problem(conn, ctx, number)?,
        project_or_problem(conn, ctx, into)?,
    ) else {
        return Ok(false);
    };
    Ok(store::merge_target(conn, from_id)?.is_some_and(|m| m.id == into_id))
}
