//! Keeping the full-text indexes in step: a new project or update is noted in
//! `search_pending` or `update_search_pending` by the store's insert (marked `fresh`, never
//! indexed yet), an edited or published one by a trigger; [`sync_search`] indexes them, called
//! by the store just before every commit (and once at open), so what is committed is always
//! searchable, at one index write per transaction. An update is indexed alone (its own row of
//! `update_search`), so indexing it costs the same however many updates its project has.
//! The public catalogue's index (`catalogue_search`) holds published projects only, as the
//! catalogue shows them.

use rusqlite::{Connection, params};

use super::doing;
use crate::domain::{public_name, public_text};

/// Indexes what `search_pending` and `update_search_pending` note, and empties them. Cheap
/// when both are empty.
pub fn sync_search(conn: &Connection) -> anyhow::Result<()> {
    doing("cannot update the search index", || {
        // Whether anything is noted, and whether any of it was indexed before (edited or
        // published): a batch of new pitches or updates only adds to the indexes, and a
        // DELETE on an FTS5 table costs its opening even when it deletes nothing (about a
        // tenth of a pitch's writes under load).
        let (projects, projects_stale, updates, updates_stale): (bool, bool, bool, bool) = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM search_pending),
                        EXISTS (SELECT 1 FROM search_pending WHERE NOT fresh),
                        EXISTS (SELECT 1 FROM update_search_pending),
                        EXISTS (SELECT 1 FROM update_search_pending WHERE NOT fresh)",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        if projects {
            if projects_stale {
                conn.prepare_cached(
                    "DELETE FROM project_search
                     WHERE rowid IN (SELECT project_id FROM search_pending WHERE NOT fresh)",
                )?
                .execute([])?;
            }
            conn.prepare_cached(
                "INSERT INTO project_search (rowid, title, description)
                 SELECT p.id, p.title, p.description
                 FROM search_pending s JOIN projects p ON p.id = s.project_id",
            )?
            .execute([])?;
            sync_catalogue(conn, projects_stale)?;
            conn.prepare_cached("DELETE FROM search_pending")?
                .execute([])?;
        }
        if updates {
            if updates_stale {
                conn.prepare_cached(
                    "DELETE FROM update_search
                     WHERE rowid IN (SELECT update_id FROM update_search_pending WHERE NOT fresh)",
                )?
                .execute([])?;
            }
            conn.prepare_cached(
                "INSERT INTO update_search (rowid, body)
                 SELECT u.id, u.body FROM update_search_pending s JOIN updates u ON u.id = s.update_id",
            )?
            .execute([])?;
            conn.prepare_cached("DELETE FROM update_search_pending")?
                .execute([])?;
        }
        Ok(())
    })
}

/// Indexes the projects `search_pending` notes for the public catalogue: published ones by
/// their shown name and description, the rest taken out (when `stale`: some were indexed
/// before). Pitching does not publish, so a pitch's transaction only looks its new project up
/// here and writes nothing.
fn sync_catalogue(conn: &Connection, stale: bool) -> rusqlite::Result<()> {
    if stale {
        conn.prepare_cached(
            "DELETE FROM catalogue_search
             WHERE rowid IN (SELECT project_id FROM search_pending WHERE NOT fresh)",
        )?
        .execute([])?;
    }
    let mut published = conn.prepare_cached(
        "SELECT p.id, p.title, p.description
         FROM search_pending s JOIN projects p ON p.id = s.project_id
         WHERE p.published_at IS NOT NULL",
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO catalogue_search (rowid, name, description) VALUES (?1, ?2, ?3)",
    )?;
    let mut rows = published.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let name = public_name(r.get_ref(1)?.as_str()?);
        let description = public_text(r.get_ref(2)?.as_str()?);
        insert.execute(params![id, name, description])?;
    }
    Ok(())
}
