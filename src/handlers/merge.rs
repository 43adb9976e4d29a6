//! `merge 7 into 4`: two teams found they were making the same thing, and one carries on as
//! the other. The merged project is retired, as `phase 7 retired` retires it, and points
//! whoever looks at it (`show`, `join`, its announcement, its catalogue page) at the project
//! that carries on. Nobody is put in a team they did not join, and no council's re-use is
//! moved to a project it did not say it re-uses: each thread says what happened, and each of
//! the merged team not in the other is told in their DM, with a Join button.

use rusqlite::Connection;

use super::progress::{
    correct_announcement, head_thread, post_in_thread, team_project, tell_lead_of,
};
use super::{Ctx, problem, project_or_problem};
use crate::domain::{Phase, Problem, ProjectHead, ProjectNumber, UserError};
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
    if target.phase == Phase::Retired {
        return Ok(problem(UserError::MergeIntoRetired { number, into }));
    }
    if let Some(merged) = store::merged_into(conn, from_id)? {
        return Ok(problem(match merged.id == into_id {
            true => UserError::AlreadyMerged { number, into },
            false => UserError::MergedElsewhere {
                number,
                into: merged.number,
            },
        }));
    }
    // Each thread's line names the other project: a private channel's project is named only
    // in its own channel, and a channel shared with another organisation sees only its own.
    if from.channel != target.channel {
        for (n, channel) in [(number, &from.channel), (into, &target.channel)] {
            if store::is_private(conn, &ctx.team, channel)? {
                return Ok(problem(UserError::MergeAcrossPrivate {
                    number,
                    into,
                    private: n,
                }));
            }
        }
        if ctx.shared_channel {
            return Ok(problem(UserError::MergeInSharedChannel { number, into }));
        }
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
    }
    store::merge_project(conn, from_id, into_id, now)?;
    // After the merge is recorded: the announcement says where the team carries on.
    let retired = ProjectHead {
        phase: Phase::Retired,
        ..from.clone()
    };
    correct_announcement(conn, ctx, from_id, &retired)?;
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
        newcomers: u32::try_from(newcomers.len()).unwrap_or(u32::MAX),
    };
    post_in_thread(conn, ctx, head_thread(into_id, &target), there)?;
    // A thread's line reaches only those who follow it: whoever joined by a reaction or a
    // button does not. Each is told where the work goes, and joins with one press (not
    // whoever merged it, who is answered, nor its lead, told below with how to undo it).
    for person in newcomers
        .iter()
        .filter(|p| **p != ctx.user && **p != from.pitcher)
    {
        let told = Notice::MergedTeamTold {
            number,
            title: from.title.clone(),
            into,
            into_title: target.title.clone(),
            by: ctx.user.clone(),
        };
        outbox::queue(
            conn,
            &Post::new(&ctx.team, To::Dm(person.clone()), told),
            now,
        )?;
    }
    let change = TeamChange::Merged {
        into,
        into_title: target.title.clone(),
        was: from.phase,
    };
    tell_lead_of(conn, ctx, from_id, &from, &from.title, change)?;
    Ok(Reply::Merged {
        number,
        title: from.title,
        into,
        into_title: target.title,
        in_thread,
        in_team: target.asker_is_member || target.pitcher == ctx.user,
    })
}

/// `refused`, the answer to someone outside `number`'s team, unless they are in `into`'s:
/// then they likely meant `merge <into> into <number>`, and are told so.
fn wrong_way_or(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    into: ProjectNumber,
    refused: Reply,
) -> anyhow::Result<Reply> {
    let outside = matches!(
        &refused,
        Reply::Problem {
            problem: Problem::Refused {
                error: UserError::NotInTeam(_) | UserError::NotInRetiredTeam(_)
            }
        }
    );
    let theirs = outside && team_project(conn, ctx, into)?.is_ok();
    Ok(match theirs {
        true => problem(UserError::MergeWrongWay { number, into }),
        false => refused,
    })
}
