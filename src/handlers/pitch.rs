//! `pitch`: record a project and queue its announcement in the same transaction.

use anyhow::Context;
use rusqlite::Connection;

use super::Ctx;
use crate::domain::{Description, Notice, Reply, Title};
use crate::error::UserError;
use crate::store::{self, NewProject};

pub fn pitch(
    conn: &Connection,
    ctx: &Ctx,
    title: Title,
    description: Description,
) -> anyhow::Result<Reply> {
    // A DM is not a place others can see or join from (and the bot cannot post in other
    // people's DMs), so pitches belong in channels.
    if ctx.channel.as_str().starts_with('D') {
        return Ok(Reply::Problem {
            text: UserError::CannotPitchHere.to_string(),
        });
    }
    let pitcher_council = store::council_of(conn, &ctx.team, &ctx.user)?.map(|(id, _)| id);
    let new = NewProject {
        team: &ctx.team,
        title: &title,
        description: &description,
        pitcher: &ctx.user,
        channel: &ctx.channel,
        pitcher_council,
        now: ctx.now,
    };
    let (project_id, number) = store::insert_project(conn, &new).context("cannot record pitch")?;
    let announcement = Notice::Announcement {
        project_id,
        number,
        title: title.clone(),
        description,
        pitcher: ctx.user.clone(),
        join_emoji: ctx.rules.join_emoji.clone(),
    };
    store::enqueue(conn, &ctx.team, &ctx.channel, None, &announcement, ctx.now)
        .context("cannot queue pitch announcement")?;
    tracing::info!(team = %ctx.team, project = number.get(), "project pitched");
    Ok(Reply::Pitched {
        number,
        title,
        channel: ctx.channel.clone(),
    })
}
