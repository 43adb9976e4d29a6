//! `merge 7 into 4`: two teams found they were making the same thing, and one carries on as
//! the other. The merged project is retired, as `phase 7 retired` retires it, and points
//! whoever looks at it (`show`, `join`, its catalogue page) at the project that carries on.
//! Nobody is put in a team they did not join, and no council's re-use is moved to a project
//! it did not say it re-uses: each thread says what happened, and the merged team's thread
//! says how to join the other.

use rusqlite::Connection;

use super::progress::{
    correct_announcement, head_thread, post_in_thread, team_project, tell_lead_of,
};
use super::{Ctx, problem, project_or_problem};
use crate::domain::{Phase, ProjectHead, ProjectNumber, UserError};
use crate::message::{Notice, Reply, TeamChange};
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
        Err(refused) => return Ok(refused),
    };
    let (into_id, target) = match project_or_problem(conn, ctx, into)? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    if target.phase == Phase::Retired {
        return Ok(problem(UserError::MergeIntoRetired { number, into }));
    }
    if store::merged_into(conn, from_id)?.is_some_and(|m| m.id == into_id) {
        return Ok(problem(UserError::AlreadyMerged { number, into }));
    }
    // Each thread's line names the other project: a private channel's project is named
    // only in its own channel.
    if from.channel != target.channel
        && (store::is_private(conn, &ctx.team, &from.channel)?
            || store::is_private(conn, &ctx.team, &target.channel)?)
    {
        return Ok(problem(UserError::MergeAcrossPrivate { number, into }));
    }
    let now = ctx.now();
    if from.phase != Phase::Retired {
        let change = PhaseMove {
            project_id: from_id,
            from: from.phase,
            to: Phase::Retired,
            note: None,
            by: &ctx.user,
            at: now,
        };
        store::change_phase(conn, &change)?;
        let retired = ProjectHead {
            phase: Phase::Retired,
            ..from.clone()
        };
        correct_announcement(conn, ctx, from_id, &retired)?;
    }
    store::merge_project(conn, from_id, into_id, now)?;
    let newcomers = store::not_in_team_of(conn, from_id, into_id)?;
    let here = Notice::MergedInto {
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
        newcomers,
    };
    post_in_thread(conn, ctx, head_thread(into_id, &target), there)?;
    let change = TeamChange::Merged {
        into,
        into_title: target.title.clone(),
    };
    tell_lead_of(conn, ctx, from_id, &from, &from.title, change)?;
    Ok(Reply::Merged {
        number,
        title: from.title,
        into,
        into_title: target.title,
        in_thread,
    })
}
