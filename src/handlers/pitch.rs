//! `pitch`: record a project and queue its announcement in the same transaction.

use anyhow::Context;
use rusqlite::Connection;

use super::{Ctx, problem};
use crate::domain::{
    Description, Phase, ProjectNumber, ProjectSummary, SearchWords, Title, UserError,
};
use crate::message::{Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store::{self, NewProject};

/// Most similar projects named in the pitcher's reply.
const SIMILAR: usize = 3;
/// Best full-text matches looked at to find them.
const CANDIDATES: u32 = 10;

pub fn pitch(
    conn: &Connection,
    ctx: &Ctx,
    title: Title,
    description: Description,
) -> anyhow::Result<Reply> {
    // A DM is not a place others can see or join from (and the bot cannot post in other
    // people's DMs), so pitches belong in channels.
    if ctx.channel.is_dm() {
        return Ok(problem(UserError::CannotPitchHere));
    }
    let pitcher_council = store::council_of(conn, &ctx.team, &ctx.user)?.map(|(id, _)| id);
    let new = NewProject {
        team: &ctx.team,
        title: &title,
        description: &description,
        pitcher: &ctx.user,
        channel: &ctx.channel,
        pitcher_council,
        now: ctx.now(),
    };
    let (project_id, number) = store::insert_project(conn, &new).context("cannot record pitch")?;
    let announcement = Notice::Announcement {
        project_id,
        number,
        title: title.clone(),
        description,
        pitcher: ctx.user.clone(),
        join_emoji: ctx.rules.join_emoji.clone(),
        // A pitch by command wants no skills yet (`wants` adds them, told in the thread).
        wanted: Vec::new(),
    };
    let to = To::Channel(ctx.channel.clone());
    outbox::queue(conn, &Post::new(&ctx.team, to, announcement), ctx.now())
        .context("cannot queue pitch announcement")?;
    tracing::info!(team = %ctx.team, project = number.get(), "project pitched");
    Ok(Reply::Pitched {
        number,
        title,
        channel: ctx.channel.clone(),
        // Filled by `with_similar` once the pitch has committed, on a read connection.
        similar: Vec::new(),
    })
}

/// Whether [`with_similar`] has anything to look for: a pitch whose title says enough.
pub fn looks_for_similar(reply: &Reply) -> bool {
    matches!(reply, Reply::Pitched { title, .. }
        if SearchWords::for_similarity(title.as_str()).is_some())
}

/// A committed pitch's reply with the open projects that look like the same thing. Kept off
/// the write transaction (the store has one writer, and this is a read of up to a
/// millisecond); any other reply comes back as it was.
pub fn with_similar(conn: &Connection, ctx: &Ctx, reply: Reply) -> anyhow::Result<Reply> {
    let Reply::Pitched {
        number,
        title,
        channel,
        ..
    } = reply
    else {
        return Ok(reply);
    };
    let similar = similar_projects(conn, ctx, &title, number)?;
    Ok(Reply::Pitched {
        number,
        title,
        channel,
        similar,
    })
}

/// Open projects whose title, description or updates hold every word of the new title (as
/// prefixes, stemmed): "Bin day finder" finds "Bin collection day finder", while one word in
/// common ("Missed bin reports") is not enough. At most [`SIMILAR`], best match first.
fn similar_projects(
    conn: &Connection,
    ctx: &Ctx,
    title: &Title,
    itself: ProjectNumber,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let Some(words) = SearchWords::for_similarity(title.as_str()) else {
        return Ok(Vec::new());
    };
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    let candidates = store::search_projects(conn, &ctx.team, &words, quiet_since, CANDIDATES)?;
    Ok(candidates
        .into_iter()
        .filter(|p| p.number != itself && p.phase != Phase::Retired)
        .take(SIMILAR)
        .collect())
}
