//! `skills`, `wants` and `list needs` (the last is a `list`): who offers what, and what
//! teams are looking for. Skills are never pushed at people: nobody is messaged because their
//! skills match; they find matches when they look (`skills`, `list needs`, their Home).

use std::collections::HashSet;

use rusqlite::Connection;

use super::progress::{correct_announcement, head_thread, post_in_thread, team_project};
use super::{Ctx, problem};
use crate::domain::{Phase, ProjectNumber, Skill, SkillMatch, UserError};
use crate::message::{Notice, Reply, ThreadLine};
use crate::store;

/// Open projects named after the asker's skills in the reply to `skills`.
const MATCHES_SHOWN: u32 = 5;

/// `skills <list>` / `skills none` (`Some`): replaces what the asker offers; `skills`
/// (`None`): says what is recorded. Either way, with open projects wanting those skills.
pub fn offer(conn: &Connection, ctx: &Ctx, skills: Option<Vec<Skill>>) -> anyhow::Result<Reply> {
    let (skills, changed) = match skills {
        Some(skills) => {
            let changed = store::set_offered_skills(conn, &ctx.team, &ctx.user, &skills)?;
            (skills, changed)
        }
        None => (store::offered_skills(conn, &ctx.team, &ctx.user)?, false),
    };
    let hidden = super::hidden_here(conn, ctx)?;
    let matching = wanting_skills_of(conn, ctx, MATCHES_SHOWN, &hidden)?;
    Ok(Reply::Skills {
        skills,
        changed,
        matching,
    })
}

/// At most `limit` open projects wanting the skills `ctx.user` offers, best first, none of
/// `hidden` (a private channel's they may not see where they are): asked for as many more as
/// are hidden, then left out.
pub(super) fn wanting_skills_of(
    conn: &Connection,
    ctx: &Ctx,
    limit: u32,
    hidden: &HashSet<ProjectNumber>,
) -> anyhow::Result<Vec<SkillMatch>> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    let asked = super::room_for(limit, hidden);
    let mut matching =
        store::projects_wanting_skills_of(conn, &ctx.team, &ctx.user, quiet_since, asked)?;
    matching.retain(|m| !hidden.contains(&m.project.number));
    matching.truncate(limit as usize);
    Ok(matching)
}

/// `wants <id> <list>` / `wants <id> none`: replaces the skills project `number` wants (team
/// only). A change corrects the announcement's "Wanted" line (a developer found, the
/// announcement no longer asks for one), then is told in its thread.
pub fn wants(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    skills: Vec<Skill>,
) -> anyhow::Result<Reply> {
    let (id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    // A retired project takes nobody new; it may still say it wants nobody.
    if project.phase == Phase::Retired && !skills.is_empty() {
        return Ok(problem(UserError::ProjectRetired(number, project.phase)));
    }
    let changed = store::set_wanted_skills(conn, id, &skills)?;
    // Nothing changed, nothing to tell: the answer says no more of the thread.
    let in_thread = match changed {
        true => {
            // A retired project's announcement shows no skills wanted anyway.
            if project.phase != Phase::Retired {
                correct_announcement(conn, ctx, id, &project)?;
            }
            let notice = Notice::SkillsWanted {
                number,
                skills: skills.clone(),
                by: ctx.user.clone(),
            };
            post_in_thread(conn, ctx, head_thread(id, &project), notice)?
        }
        false => ThreadLine::Queued,
    };
    Ok(Reply::Wants {
        number,
        title: project.title,
        skills,
        changed,
        in_thread,
        retired: project.phase == Phase::Retired,
    })
}
