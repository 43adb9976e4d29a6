//! A workspace's export written as it is read. [`TeamExport`] serializes each table's rows
//! one at a time, so what it holds does not grow with the workspace: a big workspace's export
//! is tens of MB of JSON, and built whole as values first it took eight times that (598 MiB
//! of the command's own memory for 72 MiB of JSON in `cargo bench --bench export`; 5 MiB
//! now), beside `serve`'s 256 MB cap.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use rusqlite::Connection;
use rusqlite::types::{ToSql, ValueRef};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::rows::as_object;
use super::{COUNCIL_COLUMNS, TEAM_TABLES};
use crate::domain::TeamId;

/// The councils a workspace's rows name (`?1`: their row ids as a JSON array).
const COUNCILS: &str =
    "SELECT * FROM councils WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id";

/// The first error met reading the database while serializing: serde carries only a
/// message, so the error is kept here whole, for the caller to return ([`Self::take`]).
#[derive(Default)]
pub struct ReadFailure(RefCell<Option<anyhow::Error>>);

impl ReadFailure {
    /// Keeps `e` (if it is the first) and gives serde an error saying it.
    pub fn keep<E: serde::ser::Error>(&self, e: impl Into<anyhow::Error>) -> E {
        let e = e.into();
        let said = E::custom(format!("{e:#}"));
        self.0.borrow_mut().get_or_insert(e);
        said
    }

    /// The error kept, if any.
    pub fn take(&self) -> Option<anyhow::Error> {
        self.0.borrow_mut().take()
    }
}

/// Everything recorded for workspace `team`, serialized as it is read:
/// `{"tables": {"<table>": [{"<column>": value, …}, …], …}, "team": "<id>"}`, keys in the
/// order a `serde_json` map keeps them (as it was printed when it was built whole). Its reads
/// go through `conn` as they are, so in the caller's one read transaction they agree.
pub struct TeamExport<'a> {
    conn: &'a Connection,
    team: &'a TeamId,
    failed: &'a ReadFailure,
    rows: Cell<u64>,
}

impl<'a> TeamExport<'a> {
    /// The export of `team`; an error reading the database is kept in `failed`.
    pub fn new(conn: &'a Connection, team: &'a TeamId, failed: &'a ReadFailure) -> Self {
        Self {
            conn,
            team,
            failed,
            rows: Cell::new(0),
        }
    }

    /// How many rows it has written so far.
    pub fn rows(&self) -> u64 {
        self.rows.get()
    }
}

impl Serialize for TeamExport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let councils = council_ids(self.conn, self.team).map_err(|e| self.failed.keep(e))?;
        let councils = serde_json::to_string(&councils).map_err(|e| self.failed.keep(e))?;
        let team = self.team.as_str();
        let mut tables: Vec<(&str, &str, &dyn ToSql)> = TEAM_TABLES
            .iter()
            .map(|&(name, sql)| (name, sql, &team as &dyn ToSql))
            .collect();
        tables.push(("councils", COUNCILS, &councils));
        tables.sort_by_key(|&(name, ..)| name);
        let mut export = s.serialize_map(Some(2))?;
        export.serialize_entry(
            "tables",
            &Tables {
                export: self,
                tables: &tables,
            },
        )?;
        export.serialize_entry("team", team)?;
        export.end()
    }
}

/// The tables of a [`TeamExport`], by name in order: each its select and its one parameter.
struct Tables<'a> {
    export: &'a TeamExport<'a>,
    tables: &'a [(&'a str, &'a str, &'a dyn ToSql)],
}

impl Serialize for Tables<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut tables = s.serialize_map(Some(self.tables.len()))?;
        for &(name, sql, param) in self.tables {
            let rows = Rows {
                export: self.export,
                sql,
                param,
            };
            tables.serialize_entry(name, &rows)?;
        }
        tables.end()
    }
}

/// The rows `sql` selects (`?1` is `param`), each written as soon as it is read.
struct Rows<'a> {
    export: &'a TeamExport<'a>,
    sql: &'a str,
    param: &'a dyn ToSql,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let failed = |e: rusqlite::Error| -> S::Error { self.export.failed.keep(e) };
        let mut stmt = self.export.conn.prepare(self.sql).map_err(failed)?;
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let mut rows = stmt.query([self.param]).map_err(failed)?;
        let mut seq = s.serialize_seq(None)?;
        while let Some(row) = rows.next().map_err(failed)? {
            seq.serialize_element(&as_object(row, &names).map_err(failed)?)?;
            self.export.rows.set(self.export.rows.get() + 1);
        }
        seq.end()
    }
}

/// The councils the rows of `team`'s export name by row id ([`COUNCIL_COLUMNS`]), once
/// each, in order: read from the rows themselves (no list of what names a council to keep
/// in step), ahead of them, since `councils` is written before most tables; only those
/// columns are read, and no row is kept.
fn council_ids(conn: &Connection, team: &TeamId) -> anyhow::Result<Vec<i64>> {
    let mut ids = BTreeSet::new();
    for (_, sql) in TEAM_TABLES {
        let columns: Vec<String> = conn
            .prepare(sql)?
            .column_names()
            .filter(|c| COUNCIL_COLUMNS.contains(c))
            .map(str::to_string)
            .collect();
        for column in columns {
            let mut stmt = conn.prepare(&format!("SELECT DISTINCT {column} FROM ({sql})"))?;
            let mut rows = stmt.query([team.as_str()])?;
            while let Some(row) = rows.next()? {
                if let ValueRef::Integer(id) = row.get_ref(0)? {
                    ids.insert(id);
                }
            }
        }
    }
    Ok(ids.into_iter().collect())
}
