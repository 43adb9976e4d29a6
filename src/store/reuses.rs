//! Re-use, as councils say it: one entry per project and council (`reuses`).

use rusqlite::{Connection, params};

use super::doing;

use crate::domain::{ReuseView, UserId};

/// What recording a re-use did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The council did not re-use the project before.
    New,
    /// It did; the note is now the one given.
    NoteUpdated,
}

/// A council saying it re-uses a project.
pub struct NewReuse<'a> {
    pub project_id: i64,
    pub council_id: i64,
    pub note: &'a str,
    pub said_by: &'a UserId,
    pub at: i64,
}

/// Records that a council re-uses a project, or updates its note.
pub fn record_reuse(conn: &Connection, r: &NewReuse<'_>) -> anyhow::Result<Recorded> {
    doing("cannot record the re-use", || {
        let known: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM reuses WHERE project_id = ?1 AND council_id = ?2)",
            params![r.project_id, r.council_id],
            |row| row.get(0),
        )?;
        conn.execute(
            "INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (project_id, council_id)
             DO UPDATE SET note = ?3, said_by = ?4, updated_at = ?5",
            params![r.project_id, r.council_id, r.note, r.said_by.as_str(), r.at],
        )?;
        Ok(if known {
            Recorded::NoteUpdated
        } else {
            Recorded::New
        })
    })
}

/// Withdraws a council's re-use of a project; false if it had none.
pub fn withdraw_reuse(conn: &Connection, project_id: i64, council_id: i64) -> anyhow::Result<bool> {
    doing("cannot withdraw the re-use", || {
        let n = conn.execute(
            "DELETE FROM reuses WHERE project_id = ?1 AND council_id = ?2",
            params![project_id, council_id],
        )?;
        Ok(n > 0)
    })
}

/// The councils that re-use a project, first to say so first.
pub fn reuses_of(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<ReuseView>> {
    doing("cannot read the project's re-uses", || {
        let mut stmt = conn.prepare_cached(
            "SELECT c.name, r.note, r.created_at FROM reuses r JOIN councils c ON c.id = r.council_id
             WHERE r.project_id = ?1 ORDER BY r.created_at, c.name",
        )?;
        let rows = stmt.query_map(params![project_id], |row| {
            Ok(ReuseView {
                council: row.get(0)?,
                note: row.get(1)?,
                since: row.get(2)?,
            })
        })?;
        rows.collect()
    })
}
