//! Reads for the public catalogue: published projects only, as records holding nothing
//! personal (no user or channel ids leave this module; free text goes through `public_text`).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{
    CatalogueEntry, CataloguePage, LinkUrl, Phase, ProjectLink, PublicPhaseChange, PublicReuse,
    SearchWords, Slug, public_text,
};

/// Every published project, by name. A handful of queries for the whole catalogue (not a few
/// per project): at 10,000 projects it is read in milliseconds.
pub fn published_projects(conn: &Connection) -> anyhow::Result<Vec<CatalogueEntry>> {
    doing("cannot read the catalogue", || {
        let mut entries = entries(conn, None)?;
        entries.sort_by_cached_key(|(_, e)| (e.name.to_lowercase(), e.slug.as_str().to_string()));
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    })
}

/// One published project's page, or `None` if no published project has that slug.
pub fn published_page(conn: &Connection, slug: &Slug) -> anyhow::Result<Option<CataloguePage>> {
    doing("cannot read the project's page", || {
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM projects WHERE slug = ?1 AND published_at IS NOT NULL")?
            .query_row(params![slug.as_str()], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        let Some((_, entry)) = entries(conn, Some(id))?.pop() else {
            return Ok(None);
        };
        Ok(Some(CataloguePage {
            entry,
            reuses: reuses(conn, id)?,
            history: history(conn, id)?,
        }))
    })
}

/// The slugs of published projects matching `words`, best first (as `search` ranks them).
pub fn search_published(conn: &Connection, words: &SearchWords) -> anyhow::Result<Vec<Slug>> {
    doing("cannot search the catalogue", || {
        let mut stmt = conn.prepare_cached(
            "SELECT p.slug FROM project_search s JOIN projects p ON p.id = s.rowid
             WHERE project_search MATCH ?1 AND p.published_at IS NOT NULL
             ORDER BY bm25(project_search, 10.0, 3.0, 1.0), p.slug",
        )?;
        let rows = stmt.query_map(params![words.fts_query()], |r| r.get::<_, String>(0))?;
        rows.map(|r| r.map(Slug::from_stored)).collect()
    })
}

/// Published projects (all, or the one with row id `only`), each with its councils, re-users
/// and links, unsorted.
fn entries(conn: &Connection, only: Option<i64>) -> rusqlite::Result<Vec<(i64, CatalogueEntry)>> {
    // `+?1 IS NULL OR` keeps one statement for both uses; for one project SQLite still looks
    // it up by id, since the plan is chosen with the value bound.
    let scope = "p.published_at IS NOT NULL AND (?1 IS NULL OR p.id = ?1)";
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.slug, p.title, p.description, p.phase, c.name, p.created_at,
                p.last_activity_at
         FROM projects p LEFT JOIN councils c ON c.id = p.pitcher_council_id
         WHERE {scope}"
    ))?;
    let mut entries = Vec::new();
    let mut index = HashMap::new();
    let mut rows = stmt.query(params![only])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let phase: String = r.get(4)?;
        index.insert(id, entries.len());
        entries.push((
            id,
            CatalogueEntry {
                slug: Slug::from_stored(r.get(1)?),
                name: public_text(&r.get::<_, String>(2)?),
                description: public_text(&r.get::<_, String>(3)?),
                phase: phase.parse().unwrap_or(Phase::Discovery),
                lead_council: r.get(5)?,
                councils: Vec::new(),
                used_by: Vec::new(),
                links: Vec::new(),
                pitched: r.get(6)?,
                last_news: r.get(7)?,
            },
        ));
    }
    let entry = |id: i64| index.get(&id).copied();
    // The councils of the team's members (people who said theirs), each once.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT m.project_id, c.name
         FROM projects p JOIN members m ON m.project_id = p.id
         JOIN people pe ON pe.team_id = p.team_id AND pe.user_id = m.user_id
         JOIN councils c ON c.id = pe.council_id
         WHERE {scope} ORDER BY c.name"
    ))?;
    let mut rows = stmt.query(params![only])?;
    while let Some(r) = rows.next()? {
        if let Some(i) = entry(r.get(0)?) {
            entries[i].1.councils.push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.project_id, c.name
         FROM projects p JOIN reuses r ON r.project_id = p.id JOIN councils c ON c.id = r.council_id
         WHERE {scope} ORDER BY c.name"
    ))?;
    let mut rows = stmt.query(params![only])?;
    while let Some(r) = rows.next()? {
        if let Some(i) = entry(r.get(0)?) {
            entries[i].1.used_by.push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.project_id, l.kind, l.url
         FROM projects p JOIN project_links l ON l.project_id = p.id
         WHERE {scope} ORDER BY CASE l.kind WHEN 'code' THEN 0 WHEN 'service' THEN 1 ELSE 2 END"
    ))?;
    let mut rows = stmt.query(params![only])?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        if let (Some(i), Ok(kind)) = (entry(r.get(0)?), kind.parse()) {
            entries[i].1.links.push(ProjectLink {
                kind,
                url: LinkUrl::from_stored(r.get(2)?),
            });
        }
    }
    Ok(entries)
}

fn reuses(conn: &Connection, project_id: i64) -> rusqlite::Result<Vec<PublicReuse>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.name, r.note, r.created_at FROM reuses r JOIN councils c ON c.id = r.council_id
         WHERE r.project_id = ?1 ORDER BY r.created_at, c.name",
    )?;
    let rows = stmt.query_map(params![project_id], |r| {
        Ok(PublicReuse {
            council: r.get(0)?,
            note: public_text(&r.get::<_, String>(1)?),
            since: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn history(conn: &Connection, project_id: i64) -> rusqlite::Result<Vec<PublicPhaseChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT to_phase, note, changed_at FROM phase_changes
         WHERE project_id = ?1 ORDER BY changed_at, id",
    )?;
    let rows = stmt.query_map(params![project_id], |r| {
        let to: String = r.get(0)?;
        Ok(PublicPhaseChange {
            to: to.parse().unwrap_or(Phase::Discovery),
            note: public_text(&r.get::<_, String>(1)?),
            at: r.get(2)?,
        })
    })?;
    rows.collect()
}
