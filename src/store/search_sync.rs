//! Keeping the full-text indexes in step: triggers note changed projects in `search_pending`
//! and new or edited updates in `update_search_pending`; [`sync_search`] indexes them, called
//! by the store just before every commit (and once at open), so what is committed is always
//! searchable, at one index write per transaction. An update is indexed alone (its own row of
//! `update_search`), so indexing it costs the same however many updates its project has.

use rusqlite::Connection;

use super::doing;

/// Indexes what `search_pending` and `update_search_pending` note, and empties them. Cheap
/// when both are empty.
pub fn sync_search(conn: &Connection) -> anyhow::Result<()> {
    doing("cannot update the search index", || {
        let (projects, updates): (bool, bool) = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM search_pending),
                        EXISTS (SELECT 1 FROM update_search_pending)",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if projects {
            conn.prepare_cached(
                "DELETE FROM project_search WHERE rowid IN (SELECT project_id FROM search_pending)",
            )?
            .execute([])?;
            conn.prepare_cached(
                "INSERT INTO project_search (rowid, title, description)
                 SELECT p.id, p.title, p.description
                 FROM search_pending s JOIN projects p ON p.id = s.project_id",
            )?
            .execute([])?;
            conn.prepare_cached("DELETE FROM search_pending")?
                .execute([])?;
        }
        if updates {
            conn.prepare_cached(
                "DELETE FROM update_search
                 WHERE rowid IN (SELECT update_id FROM update_search_pending)",
            )?
            .execute([])?;
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
