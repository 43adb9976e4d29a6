//! `update` and `phase`: the team tells everyone how it is going. Both are posted in the
//! pitch's thread (no new channel messages) and both count as signs of life for nudges.

use anyhow::Context;
use rusqlite::Connection;

use super::{Ctx, problem};
use crate::domain::{
    ChannelId, MessageTs, Phase, ProjectHead, ProjectNumber, UpdateText, UserError,
};
use crate::message::{Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store::{self, PhaseMove};

/// Where an update came from: a command is echoed into the pitch's thread; a mention in the
/// thread already is the thread post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateSource {
    Command,
    ThreadMention,
}

/// A status update to record.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub number: ProjectNumber,
    pub text: UpdateText,
    pub source: UpdateSource,
}

/// Records an update by a team member (or the pitcher) and queues it for the thread.
pub fn update(conn: &Connection, ctx: &Ctx, update: NewUpdate) -> anyhow::Result<Reply> {
    let NewUpdate {
        number,
        text,
        source,
    } = update;
    let (project_id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    store::insert_update(conn, project_id, &ctx.user, &text, ctx.now())
        .context("cannot record update")?;
    let notice = Notice::Update {
        number,
        author: ctx.user.clone(),
        text,
    };
    let in_thread = match source {
        UpdateSource::Command => post_in_thread(conn, ctx, (project_id, &project), notice)?,
        UpdateSource::ThreadMention => true,
    };
    Ok(Reply::UpdatePosted {
        number,
        title: project.title,
        in_thread,
    })
}

/// Moves a project to another phase, keeping the change in its history.
pub fn phase(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    to: Phase,
    note: Option<UpdateText>,
) -> anyhow::Result<Reply> {
    let (project_id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    if project.phase == to {
        return Ok(problem(UserError::AlreadyInPhase(number, to)));
    }
    let change = PhaseMove {
        project_id,
        from: project.phase,
        to,
        note: note.as_ref(),
        by: &ctx.user,
        at: ctx.now(),
    };
    store::change_phase(conn, &change).context("cannot change phase")?;
    let notice = Notice::PhaseChanged {
        number,
        from: project.phase,
        to,
        note,
        by: ctx.user.clone(),
    };
    let in_thread = post_in_thread(conn, ctx, (project_id, &project), notice)?;
    Ok(Reply::PhaseChanged {
        number,
        title: project.title,
        phase: to,
        in_thread,
    })
}

/// The project, if it exists and the asker is in its team (or pitched it); otherwise the
/// reply that says why not.
pub(super) fn team_project(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
) -> anyhow::Result<Result<(i64, ProjectHead), Reply>> {
    let Some((id, project)) = store::project_head(conn, &ctx.team, number, &ctx.user)? else {
        return Ok(Err(problem(UserError::NoSuchProject(number))));
    };
    if !(project.pitcher == ctx.user || project.asker_is_member) {
        return Ok(Err(problem(UserError::NotInTeam(number))));
    }
    Ok(Ok((id, project)))
}

/// Queues `notice` in the pitch's thread; false when the pitch has no announcement yet, and
/// the notice waits for it (its thread is found once the announcement is posted).
pub(super) fn post_in_thread(
    conn: &Connection,
    ctx: &Ctx,
    (project_id, project): (i64, &ProjectHead),
    notice: Notice,
) -> anyhow::Result<bool> {
    let (to, announced) = pitch_thread(
        project_id,
        &project.channel,
        project.announcement_ts.as_ref(),
    );
    outbox::queue(conn, &Post::new(&ctx.team, to, notice), ctx.now())
        .context("cannot queue thread post")?;
    Ok(announced)
}

/// Where a line for project `project_id`'s thread goes: the thread of its announcement at
/// `ts`, or, before the announcement is posted, the thread it will have (the line waits for
/// it). True when the thread is there now.
pub(super) fn pitch_thread(
    project_id: i64,
    channel: &ChannelId,
    ts: Option<&MessageTs>,
) -> (To, bool) {
    match ts {
        Some(ts) => (To::Thread(channel.clone(), ts.clone()), true),
        None => (To::AnnouncementThread(channel.clone(), project_id), false),
    }
}
