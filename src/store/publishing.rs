//! Publishing: which projects the catalogue shows, their slugs, and their links.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{LinkKind, LinkUrl, ProjectLink, Slug, Title, UserId};

/// What `publish` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publication {
    /// Now public at this slug.
    Published(Slug),
    /// It already was, at this slug.
    AlreadyPublished(Slug),
    /// An operator has taken it out of the catalogue ([`hold_out_of_catalogue`]); nothing
    /// changed.
    Held,
}

/// Whether an operator keeps project `project_id` out of the catalogue.
pub fn held_from_catalogue(conn: &Connection, project_id: i64) -> anyhow::Result<bool> {
    doing("cannot read whether the project is held", || {
        is_held(conn, project_id)
    })
}

fn is_held(conn: &Connection, project_id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM catalogue_holds WHERE project_id = ?1)")?
        .query_row(params![project_id], |r| r.get(0))
}

/// Makes a project public, giving it a slug the first time (kept for good after that).
pub fn publish(
    conn: &Connection,
    project_id: i64,
    title: &Title,
    now: i64,
) -> anyhow::Result<Publication> {
    doing("cannot publish the project", || {
        let (slug, published, held): (Option<String>, bool, bool) = conn
            .prepare_cached(
                "SELECT slug, published_at IS NOT NULL,
                        EXISTS (SELECT 1 FROM catalogue_holds h WHERE h.project_id = p.id)
                 FROM projects p WHERE id = ?1",
            )?
            .query_row(params![project_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if held {
            return Ok(Publication::Held);
        }
        if let (Some(slug), true) = (&slug, published) {
            return Ok(Publication::AlreadyPublished(Slug::from_stored(
                slug.clone(),
            )));
        }
        let slug = match slug {
            Some(kept) => Slug::from_stored(kept),
            None => free_slug(conn, &Slug::from_title(title))?,
        };
        conn.prepare_cached("UPDATE projects SET slug = ?2, published_at = ?3 WHERE id = ?1")?
            .execute(params![project_id, slug.as_str(), now])?;
        Ok(Publication::Published(slug))
    })
}

/// Gives a new address to every project whose slug was made, by an earlier build, from the
/// title as typed where that holds what the catalogue hides (an id, an e-mail address): the
/// address is public, and must not say more than the page. Slugs made from the shown name
/// (the same either way for most titles) are left alone. Returns how many moved.
pub fn repair_slugs(conn: &Connection) -> anyhow::Result<usize> {
    doing("cannot repair the catalogue's addresses", || {
        let found: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, title, slug FROM projects WHERE slug IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut moved = 0;
        for (id, title, slug) in found {
            let (old, shown) = (Slug::as_first_made(&title), Slug::from_typed(&title));
            let numbered = |base: &Slug| {
                slug.strip_prefix(base.as_str())
                    .is_some_and(|rest| rest.is_empty() || is_number_suffix(rest))
            };
            if old == shown || !numbered(&old) || numbered(&shown) {
                continue;
            }
            moved += move_to_shown_slug(conn, id, &title)?;
        }
        Ok(moved)
    })
}

/// Gives project `id` the first free address made from its `title` as the catalogue shows
/// it (for an address that says more than the page). Returns how many rows changed.
pub(super) fn move_to_shown_slug(
    conn: &Connection,
    id: i64,
    title: &str,
) -> rusqlite::Result<usize> {
    let fresh = free_slug(conn, &Slug::from_typed(title))?;
    conn.prepare_cached("UPDATE projects SET slug = ?2 WHERE id = ?1")?
        .execute(params![id, fresh.as_str()])
}

/// How `retired_slugs` keeps an address no project may take again (see
/// `0027_retired_slugs.sql`).
pub(super) fn slug_digest(slug: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(slug.as_bytes()).into()
}

/// `-2`, `-3`, …: what [`free_slug`] adds to a base that is taken.
fn is_number_suffix(rest: &str) -> bool {
    rest.strip_prefix('-')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `base`, or the first of `base-2`, `base-3`, … no project has taken and no erased project
/// had (`retired_slugs`). Called in the write transaction that then takes it, so two
/// publishes cannot pick the same one.
fn free_slug(conn: &Connection, base: &Slug) -> rusqlite::Result<Slug> {
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM projects WHERE slug = ?1
         UNION ALL SELECT 1 FROM retired_slugs WHERE digest = ?2",
    )?;
    let mut candidate = base.clone();
    let mut n = 1;
    while stmt.exists(params![candidate.as_str(), slug_digest(candidate.as_str())])? {
        n += 1;
        candidate = base.numbered(n);
    }
    Ok(candidate)
}

/// Takes a project out of the catalogue (its slug is kept for a later publish); the slug it
/// had, or `None` if it was not published.
pub fn unpublish(conn: &Connection, project_id: i64) -> anyhow::Result<Option<Slug>> {
    doing("cannot unpublish the project", || {
        conn.prepare_cached(
            "UPDATE projects SET published_at = NULL
             WHERE id = ?1 AND published_at IS NOT NULL RETURNING slug",
        )?
        .query_row(params![project_id], |r| r.get::<_, String>(0))
        .optional()
        .map(|slug| slug.map(Slug::from_stored))
    })
}

/// What [`hold_out_of_catalogue`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// The project was in the catalogue until now.
    pub was_published: bool,
    /// It was held already (a reason given replaces the one recorded; none keeps it).
    pub already_held: bool,
}

/// An operator's takedown: takes project `project_id` out of the public catalogue and keeps
/// it out, whatever its team does, until [`lift_hold`]. `reason` is told to the team.
pub fn hold_out_of_catalogue(
    conn: &Connection,
    project_id: i64,
    reason: Option<&str>,
    now: i64,
) -> anyhow::Result<Hold> {
    let was_published = unpublish(conn, project_id)?.is_some();
    doing("cannot take the project out of the catalogue", || {
        let already_held = is_held(conn, project_id)?;
        conn.prepare_cached(
            "INSERT INTO catalogue_holds (project_id, held_at, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT (project_id) DO UPDATE
                 SET reason = COALESCE(excluded.reason, catalogue_holds.reason)",
        )?
        .execute(params![project_id, now, reason])?;
        Ok(Hold {
            was_published,
            already_held,
        })
    })
}

/// Ends an operator's hold on project `project_id`: its team may publish it again (it stays
/// unpublished until they do). False if it was not held.
pub fn lift_hold(conn: &Connection, project_id: i64) -> anyhow::Result<bool> {
    doing("cannot lift the project's hold", || {
        Ok(conn
            .prepare_cached("DELETE FROM catalogue_holds WHERE project_id = ?1")?
            .execute(params![project_id])?
            > 0)
    })
}

/// What `link` did to the recorded address of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkChange {
    Added,
    Replaced,
    /// The same address was already recorded.
    Unchanged,
    Removed,
    /// There was nothing to remove.
    NothingToRemove,
}

/// A link to record (`url: None` removes that kind).
pub struct NewLink<'a> {
    pub project_id: i64,
    pub kind: LinkKind,
    pub url: Option<&'a LinkUrl>,
    pub by: &'a UserId,
    pub at: i64,
}

/// Records, replaces or removes one of a project's links.
pub fn set_link(conn: &Connection, link: &NewLink<'_>) -> anyhow::Result<LinkChange> {
    doing("cannot record the link", || {
        let kind = link.kind.as_str();
        let Some(url) = link.url else {
            let n = conn
                .prepare_cached("DELETE FROM project_links WHERE project_id = ?1 AND kind = ?2")?
                .execute(params![link.project_id, kind])?;
            return Ok(match n {
                0 => LinkChange::NothingToRemove,
                _ => LinkChange::Removed,
            });
        };
        let before: Option<String> = conn
            .query_row(
                "SELECT url FROM project_links WHERE project_id = ?1 AND kind = ?2",
                params![link.project_id, kind],
                |r| r.get(0),
            )
            .optional()?;
        if before.as_deref() == Some(url.as_str()) {
            return Ok(LinkChange::Unchanged);
        }
        conn.prepare_cached(
            "INSERT INTO project_links (project_id, kind, url, set_by, set_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (project_id, kind)
             DO UPDATE SET url = excluded.url, set_by = excluded.set_by, set_at = excluded.set_at",
        )?
        .execute(params![
            link.project_id,
            kind,
            url.as_str(),
            link.by.as_str(),
            link.at
        ])?;
        Ok(match before {
            None => LinkChange::Added,
            Some(_) => LinkChange::Replaced,
        })
    })
}

/// A project's links, code first, then service, then docs (`LinkKind`'s order, as the
/// catalogue sorts them).
pub fn links_of(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<ProjectLink>> {
    doing("cannot read the project's links", || {
        let mut stmt =
            conn.prepare_cached("SELECT kind, url FROM project_links WHERE project_id = ?1")?;
        let rows = stmt.query_map(params![project_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut links = Vec::new();
        for row in rows {
            let (kind, url) = row?;
            // The table's CHECK allows only the three kinds.
            if let Ok(kind) = kind.parse() {
                links.push(ProjectLink {
                    kind,
                    url: LinkUrl::from_stored(url),
                });
            }
        }
        links.sort_unstable_by_key(|l| l.kind);
        Ok(links)
    })
}
