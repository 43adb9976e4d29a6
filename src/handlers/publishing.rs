//! `publish`, `unpublish` and `link`: the team decides what the public catalogue shows. Team
//! only, as for `phase`: nothing is public until the people doing the work say so.

use std::collections::HashSet;

use rusqlite::Connection;

use super::progress::{
    head_thread, post_in_thread, queue_in_served_thread, team_project, tell_lead_of,
};
use super::{Ctx, problem};
use crate::domain::{LinkKind, LinkUrl, ProjectNumber, TeamId, Title, UpdateText, UserError};
use crate::message::{LinkNote, Notice, PublicationNote, Reply, TeamChange, ThreadLine};
use crate::outbox;
use crate::store::{self, Hold, LinkChange, NewLink, Publication};

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
            let change = TeamChange::Published { slug: slug.clone() };
            tell_lead_of(conn, ctx, id, &project, &project.title, change)?;
            PublicationNote::Published {
                slug,
                in_thread,
                seen_elsewhere: store::serves_others_than(conn, &ctx.team)?,
            }
        }
        Publication::AlreadyPublished(slug) => PublicationNote::AlreadyPublished { slug },
        Publication::Held => return Ok(problem(UserError::HeldFromCatalogue(number))),
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
        Some(slug) => {
            // Other workspaces' digests still to go would name it as new in the catalogue.
            outbox::drop_services_from_digests(conn, &HashSet::from([slug]))?;
            let notice = Notice::Publication {
                number,
                slug: None,
                by: ctx.user.clone(),
            };
            post_in_thread(conn, ctx, head_thread(id, &project), notice)?;
            let change = TeamChange::Unpublished;
            tell_lead_of(conn, ctx, id, &project, &project.title, change)?;
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
    if matches!(
        change,
        LinkChange::Added | LinkChange::Replaced | LinkChange::Removed
    ) {
        let notice = Notice::LinkChanged {
            number,
            which: kind,
            url: url.clone(),
            by: ctx.user.clone(),
        };
        post_in_thread(conn, ctx, head_thread(id, &project), notice)?;
        let change = TeamChange::Linked {
            which: kind,
            url: url.clone(),
        };
        tell_lead_of(conn, ctx, id, &project, &project.title, change)?;
    }
    let note = match (change, url) {
        (LinkChange::Added, Some(url)) => LinkNote::Added { url },
        (LinkChange::Replaced, Some(url)) => LinkNote::Replaced { url },
        (LinkChange::Unchanged, Some(url)) => LinkNote::Unchanged { url },
        (LinkChange::Removed, _) => LinkNote::Removed,
        (LinkChange::NothingToRemove, _) => LinkNote::NothingToRemove,
        (change, None) => anyhow::bail!("link without an address came back {change:?}"),
    };
    let held = project.published.is_none() && store::held_from_catalogue(conn, id)?;
    Ok(Reply::Link {
        number,
        title: project.title,
        which: kind,
        note,
        published: project.published,
        held,
    })
}

/// What an operator's takedown, or its lift, did (`makers-bot takedown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Takedown {
    /// The workspace has no project of that number.
    NoSuchProject,
    /// Out of the catalogue, and kept out; where the team is told (`None`: it was held
    /// already, and is not told again).
    Held {
        title: Title,
        hold: Hold,
        told: Option<ThreadLine>,
    },
    /// Its team may publish it again; where they are told.
    Lifted { title: Title, told: ThreadLine },
    /// A lift for a project that was not held.
    NotHeld { title: Title },
}

/// An operator takes project `number` of `team` out of the public catalogue, whatever its
/// team does, until [`lift_takedown`]: a complaint, a mistake. The team is told why in
/// the pitch's thread (the running bot's worker posts it within its idle poll).
pub fn take_down(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    reason: Option<UpdateText>,
    now: i64,
) -> anyhow::Result<Takedown> {
    let Some((id, project)) = store::project_head_for_operator(conn, team, number)? else {
        return Ok(Takedown::NoSuchProject);
    };
    let hold =
        store::hold_out_of_catalogue(conn, id, reason.as_ref().map(UpdateText::as_str), now)?;
    // Written beside the database, so that a copy put back from before it does not serve the
    // page again (the forget ledger); a hold already there is written only if the ledger
    // lacks it (made by a build from before takedowns were written there).
    if !hold.already_held || !store::takedown_noted(conn, team, number)? {
        store::note_takedown(conn, team, number, false, now)?;
    }
    if let (true, Some(slug)) = (hold.was_published, &project.published) {
        outbox::drop_services_from_digests(conn, &HashSet::from([slug.clone()]))?;
    }
    let told = match hold.already_held {
        true => None,
        false => {
            let notice = Notice::CatalogueHold {
                number,
                held: true,
                was_published: hold.was_published,
                reason,
            };
            Some(queue_in_served_thread(
                conn,
                team,
                now,
                head_thread(id, &project),
                notice,
            )?)
        }
    };
    Ok(Takedown::Held {
        title: project.title,
        hold,
        told,
    })
}

/// Ends an operator's takedown of project `number`: its team may publish it again (it stays
/// out until they do), and is told so in the pitch's thread.
pub fn lift_takedown(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    now: i64,
) -> anyhow::Result<Takedown> {
    let Some((id, project)) = store::project_head_for_operator(conn, team, number)? else {
        return Ok(Takedown::NoSuchProject);
    };
    if !store::lift_hold(conn, id)? {
        return Ok(Takedown::NotHeld {
            title: project.title,
        });
    }
    // A copy put back from before it must not hold the project out again.
    store::note_takedown(conn, team, number, true, now)?;
    let notice = Notice::CatalogueHold {
        number,
        held: false,
        was_published: false,
        reason: None,
    };
    let told = queue_in_served_thread(conn, team, now, head_thread(id, &project), notice)?;
    Ok(Takedown::Lifted {
        title: project.title,
        told,
    })
}
