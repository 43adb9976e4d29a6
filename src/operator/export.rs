//! `makers-bot export`: everything for one workspace, or about one person, as JSON, written
//! as it is read. Built whole first, a big workspace's export (tens of MB of JSON) held
//! eight times that as values, beside `serve` and its 256 MB cap on a small VM: each
//! workspace's rows now go out as they are read (`store::TeamExport`), and a person's part
//! of a workspace, theirs alone and small, is read whole and then written. The document is
//! printed as it was: pretty, keys in the same order.

use std::cell::Cell;
use std::io::{BufWriter, ErrorKind, Write};

use anyhow::Context;
use rusqlite::Connection;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use serde_json::ser::PrettyFormatter;

use super::{parse_team, parse_user};
use crate::domain::{TeamId, UserId};
use crate::store::{self, ReadFailure, TeamExport};

/// How much of the export is gathered before each write to the output.
const OUT_BUFFER_BYTES: usize = 64 * 1024;

/// What an export held, for what is said beside it.
#[derive(Debug)]
pub struct Exported {
    /// It holds no row at all (a workspace or person the database does not know).
    pub found_nothing: bool,
    /// A person's export holds requests of theirs to be forgotten (`forget_requests`):
    /// with nothing else, they are known, not mistyped.
    pub asked_to_be_forgotten: bool,
}

/// `export`: everything for one workspace, or about one person, written to `out` as JSON
/// (and a newline). With no `team`, every workspace the database knows; for a person, only
/// those that hold something about them (the export goes to them, and which other councils
/// use the bot is not theirs). A reader that stops reading (`export | head`) ends it
/// quietly. An error reading the database ends it too, the output cut short, and is
/// returned.
pub fn export(
    conn: &Connection,
    team: Option<&str>,
    user: Option<&str>,
    out: impl Write,
) -> anyhow::Result<Exported> {
    let user = user.map(parse_user).transpose()?;
    // One snapshot for every table: read while `serve` writes, the export still agrees with
    // itself (no member of a project it does not hold).
    let snapshot = conn.unchecked_transaction()?;
    let c = &*snapshot;
    let teams = match team {
        Some(t) => vec![parse_team(t)?],
        None => store::workspaces(c)?,
    };
    // Kept outside the database, and by person, not by workspace.
    let asked = user
        .as_ref()
        .map(|user| store::forget_requests(c, user))
        .transpose()?;
    let workspaces = Workspaces {
        conn: c,
        teams: &teams,
        user: user.as_ref(),
        named: team.is_some(),
        failed: ReadFailure::default(),
        found: Cell::new(false),
    };
    let mut out = BufWriter::with_capacity(OUT_BUFFER_BYTES, out);
    let written = write_document(&mut out, asked.as_ref(), &workspaces).and_then(|()| {
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(serde_json::Error::io)
    });
    if let Err(e) = written {
        if let Some(failed) = workspaces.failed.take() {
            return Err(failed);
        }
        if e.io_error_kind() != Some(ErrorKind::BrokenPipe) {
            return Err(e).context("cannot write the export");
        }
    }
    Ok(Exported {
        found_nothing: !workspaces.found.get(),
        asked_to_be_forgotten: asked
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|asked| !asked.is_empty()),
    })
}

/// Writes `{"exported_at", "forget_requests" (a person's: `asked`), "workspaces"}` to `out`,
/// keys in the order a `serde_json` map keeps them, pretty as `to_string_pretty` prints.
fn write_document(
    out: impl Write,
    asked: Option<&Value>,
    workspaces: &Workspaces<'_>,
) -> serde_json::Result<()> {
    let mut json = serde_json::Serializer::with_formatter(out, PrettyFormatter::new());
    let mut document = json.serialize_map(None)?;
    document.serialize_entry("exported_at", &chrono::Utc::now().to_rfc3339())?;
    if let Some(asked) = asked {
        document.serialize_entry("forget_requests", asked)?;
    }
    document.serialize_entry("workspaces", workspaces)?;
    SerializeMap::end(document)
}

/// The workspaces of an export, each written as it is read; whether any held a row is noted
/// in `found`, and an error reading the database is kept in `failed`.
struct Workspaces<'a> {
    conn: &'a Connection,
    teams: &'a [TeamId],
    user: Option<&'a UserId>,
    /// A workspace was named: it is in the export, holding something or not.
    named: bool,
    failed: ReadFailure,
    found: Cell<bool>,
}

impl Serialize for Workspaces<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for team in self.teams {
            let Some(user) = self.user else {
                let workspace = TeamExport::new(self.conn, team, &self.failed);
                let written = seq.serialize_element(&workspace);
                // Noted before a failed write is passed on: a reader that stopped reading
                // (`export | head`) was shown rows, so "nothing is recorded" would be untrue.
                self.found.set(self.found.get() || workspace.rows() > 0);
                written?;
                continue;
            };
            let workspace =
                store::export_person(self.conn, team, user).map_err(|e| self.failed.keep(e))?;
            let holds = !holds_nothing(&workspace);
            self.found.set(self.found.get() || holds);
            if self.named || holds {
                seq.serialize_element(&workspace)?;
            }
        }
        seq.end()
    }
}

/// Whether one workspace's part of a person's export has no rows at all.
fn holds_nothing(workspace: &Value) -> bool {
    workspace["tables"].as_object().is_none_or(|tables| {
        tables
            .values()
            .all(|rows| rows.as_array().is_none_or(Vec::is_empty))
    })
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    /// An error reading the database half way is returned as it was met, not as the
    /// message serde carried out of the writing (and the output is left cut short).
    #[test]
    fn an_export_that_cannot_read_a_table_says_why_and_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path).unwrap());
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO people (team_id, user_id, updated_at) VALUES ('T0A', 'U0A', 1);
             DROP TABLE token_refusals;",
        )
        .unwrap();
        let mut out = Vec::new();
        let e = super::export(&conn, Some("T0A"), None, &mut out).unwrap_err();
        assert!(
            e.downcast_ref::<rusqlite::Error>().is_some(),
            "{e:#}: {e:?}"
        );
        assert!(format!("{e:#}").contains("no such table: token_refusals"));
        assert!(serde_json::from_slice::<serde_json::Value>(&out).is_err());
    }
}
