//! Keeping the full-text index in step: triggers note changed projects in `search_pending`;
//! [`sync_search`] re-indexes them, called by the store just before every commit (and once at
//! open), so a committed project is always searchable, at one index write per transaction.

use rusqlite::Connection;

use super::doing;

/// Re-indexes the projects noted in `search_pending`, and empties it. Cheap when it is empty.
pub fn sync_search(conn: &Connection) -> anyhow::Result<()> {
    doing("cannot update the search index", || {
        let pending: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM search_pending)")?
            .query_row([], |r| r.get(0))?;
        if !pending {
            return Ok(());
        }
        conn.prepare_cached(
            "DELETE FROM project_search WHERE rowid IN (SELECT project_id FROM search_pending)",
        )?
        .execute([])?;
        conn.prepare_cached(
            "INSERT INTO project_search (rowid, title, description, updates)
             SELECT p.id, p.title, p.description,
                    COALESCE((SELECT group_concat(u.body, ' ') FROM updates u
                              WHERE u.project_id = p.id), '')
             FROM search_pending s JOIN projects p ON p.id = s.project_id",
        )?
        .execute([])?;
        conn.prepare_cached("DELETE FROM search_pending")?
            .execute([])?;
        Ok(())
    })
}
