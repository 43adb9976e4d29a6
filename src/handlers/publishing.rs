//! `publish`, `unpublish` and `link`: the team decides what the public catalogue shows. Team
//! only, as for `phase`: nothing is public until the people doing the work say so.

use rusqlite::Connection;

use super::Ctx;
use super::progress::{head_thread, post_in_thread, team_project};
use crate::domain::{LinkKind, LinkUrl, ProjectNumber};
use crate::message::{LinkNote, Notice, PublicationNote, Reply};
use crate::store::{self, LinkChange, NewLink, Publication};

/// Puts project `number` in the public catalogue (or says it already is).
pub fn publish(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    let (id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    let note = match store::publish(conn, id, &project.title, ctx.now())? {
        Publication::Published(slug) => {
            let notice = Notice::Publication {
                number,
                slug: Some(slug.clone()),
                by: ctx.user.clone(),
            };
            let in_thread = post_in_thread(conn, ctx, head_thread(id, &project), notice)?;
            PublicationNote::Published { slug, in_thread }
        }
        Publication::AlreadyPublished(slug) => PublicationNote::AlreadyPublished { slug },
    };
    Ok(Reply::Publication {
        number,
        title: project.title,
        note,
    })
}

/// Takes project `number` out of the public catalogue.
pub fn unpublish(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    let (id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    let note = match store::unpublish(conn, id)? {
        Some(_) => {
            let notice = Notice::Publication {
                number,
                slug: None,
                by: ctx.user.clone(),
            };
            post_in_thread(conn, ctx, head_thread(id, &project), notice)?;
            PublicationNote::Unpublished
        }
        None => PublicationNote::NotPublished,
    };
    Ok(Reply::Publication {
        number,
        title: project.title,
        note,
    })
}

/// Records (or, with `url: None`, forgets) where project `number`'s code, service or docs are.
pub fn link(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    kind: LinkKind,
    url: Option<LinkUrl>,
) -> anyhow::Result<Reply> {
    let (id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    let change = store::set_link(
        conn,
        &NewLink {
            project_id: id,
            kind,
            url: url.as_ref(),
            by: &ctx.user,
            at: ctx.now(),
        },
    )?;
    let note = match (change, url) {
        (LinkChange::Added, Some(url)) => LinkNote::Added { url },
        (LinkChange::Replaced, Some(url)) => LinkNote::Replaced { url },
        (LinkChange::Unchanged, Some(url)) => LinkNote::Unchanged { url },
        (LinkChange::Removed, _) => LinkNote::Removed,
        (LinkChange::NothingToRemove, _) => LinkNote::NothingToRemove,
        (change, None) => anyhow::bail!("link without an address came back {change:?}"),
    };
    Ok(Reply::Link {
        number,
        title: project.title,
        which: kind,
        note,
        published: project.published,
    })
}
