//! Erasing a workspace that has left: every row recorded for it goes, in one transaction.
//!
//! Its projects' and updates' rows in the search indexes go in the same transaction: a new
//! project or update is indexed without looking for an old index row (its note is marked
//! `fresh`, see `search_sync`), which stays right when a deleted row's id is used again
//! only because no index row outlives its row. The `layers` test holds every other file
//! to deleting neither projects nor updates.
//!
//! Councils are shared across workspaces (one row per name): one first named in this
//! workspace that another workspace's people, projects, re-uses, memberships (the council
//! a join counts for) or projects led before (`lead_councils_ended`) name stays, as first
//! named there. Every workspace's day tallies
//! together (`day_tallies` of '') stay: counts naming no workspace, true when taken. `removed_workspaces` stays: it names no person, and keeps
//! `SLACK_BOT_TOKEN` from serving the workspace again. Its projects' public addresses are
//! retired (kept as digests), so that no other project takes them. Its projects' ids may be
//! handed out again, so the line 0060 drew between old projects and new ones by id is
//! lowered to the highest id left (`lower_reactions_read_from`).

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::TeamId;

/// The projects of workspace `?1`.
const PROJECTS: &str = "(SELECT id FROM projects WHERE team_id = ?1)";

/// Whether the operator is told a table's count (the search indexes and their notes follow
/// their rows, and would only be noise).
#[derive(Clone, Copy, PartialEq)]
enum Told {
    Yes,
    No,
}

/// Each table and the condition on its rows that an erase deletes (`?1` is the team id), in
/// the order they are deleted: rows before the rows they refer to. Every condition reads only
/// other workspaces' rows or rows deleted later, so each counts the same before any delete
/// (what a dry run shows) as when its turn comes.
fn erased() -> [(&'static str, String, Told); 28] {
    let of_projects = format!("project_id IN {PROJECTS}");
    let updates = format!("(SELECT id FROM updates WHERE project_id IN {PROJECTS})");
    [
        ("catalogue_holds", of_projects.clone(), Told::Yes),
        // Its projects' re-uses, and the re-uses of other workspaces' services said in it
        // (`reuse <address>`).
        (
            "reuses",
            format!("{of_projects} OR said_in = ?1"),
            Told::Yes,
        ),
        (
            "reuses_ended",
            format!("{of_projects} OR said_in = ?1"),
            Told::Yes,
        ),
        ("project_links", of_projects.clone(), Told::Yes),
        ("project_skills", of_projects.clone(), Told::Yes),
        ("phase_changes", of_projects.clone(), Told::Yes),
        // The councils its projects were led by before (migration 0055).
        ("lead_councils_ended", of_projects.clone(), Told::Yes),
        // Which of its projects carry on as which: follows the projects (both of them are).
        ("project_merges", of_projects.clone(), Told::No),
        ("members", of_projects.clone(), Told::Yes),
        ("membership_changes", of_projects.clone(), Told::Yes),
        ("memberships_ended", of_projects.clone(), Told::Yes),
        ("pending_joins", "team_id = ?1".into(), Told::Yes),
        // Its announcements whose reactions are to be read again: follow the projects.
        ("reactions_to_read", "team_id = ?1".into(), Told::No),
        ("update_search", format!("rowid IN {updates}"), Told::No),
        (
            "update_search_pending",
            format!("update_id IN {updates}"),
            Told::No,
        ),
        ("updates", of_projects.clone(), Told::Yes),
        ("project_search", format!("rowid IN {PROJECTS}"), Told::No),
        ("catalogue_search", format!("rowid IN {PROJECTS}"), Told::No),
        ("search_pending", of_projects, Told::No),
        // Its posts, and other workspaces' posts about its services (before its projects,
        // whose addresses they are found by).
        (
            "outbox",
            format!("team_id = ?1 OR {}", naming_its_services()),
            Told::Yes,
        ),
        ("projects", "team_id = ?1".into(), Told::Yes),
        // Whether each channel pitched in is private: follows the projects.
        ("channels", "team_id = ?1".into(), Told::No),
        ("person_skills", "team_id = ?1".into(), Told::Yes),
        ("people", "team_id = ?1".into(), Told::Yes),
        ("digest_subscriptions", "team_id = ?1".into(), Told::Yes),
        ("processed_events", "team_id = ?1".into(), Told::Yes),
        ("token_refusals", "team_id = ?1".into(), Told::Yes),
        // Its counts at each day's end (every workspace's together are kept: they name no
        // workspace, and were true then).
        ("day_tallies", "team_id = ?1".into(), Told::Yes),
    ]
}

/// SQL: the outbox rows, another workspace's, that name a service of workspace `?1` by its
/// catalogue address (read before its addresses are retired as digests), delivered or
/// not: a re-user told it was retired, merged or brought back; the answer to a `reuse`,
/// `show` or `join` of its address; a pitch's or a search's word of it as one like it, a
/// `list reused` naming it. Each holds its name and address in clear, which the erase must
/// not leave (and one still owed would tell of a service that is gone). Found by the
/// fields that hold an address anywhere in the notice, matched exactly (addresses are
/// unique across workspaces), so a kind added later that names one is found too. Not a
/// digest: one owed has the services left out instead (`drop_services_from_digests`),
/// keeping its week's news, and one sent stays as Slack has it, until pruned. A row naming
/// an address the project has since left is not found.
fn naming_its_services() -> String {
    use crate::store::outbox::notice_field;
    let slugs = "(SELECT slug FROM projects WHERE team_id = ?1 AND slug IS NOT NULL)";
    let kind = notice_field("kind");
    format!(
        "(team_id != ?1 AND {kind} != 'digest'
          AND CASE WHEN json_valid(notice) THEN EXISTS (
              SELECT 1 FROM json_tree(notice) j
              WHERE j.key IN ('slug', 'service', 'listed', 'page') AND j.type = 'text'
                AND j.value IN {slugs}) END)"
    )
}

/// SQL: the councils other workspaces' memberships in `$table` count their joins for
/// (migration 0054): kept with them, or (a dry run, before the erase keeps them) the one
/// their person said in this workspace `?1` that they count for now.
macro_rules! kept_for_joins {
    ($table:literal) => {
        concat!(
            "(SELECT c FROM (SELECT ",
            crate::store::people::join_council!(),
            " AS c FROM ",
            $table,
            " m JOIN projects p ON p.id = m.project_id ",
            crate::store::people::own_person!(),
            " WHERE p.team_id != ?1 AND (m.council_id IS NOT NULL OR m.user_id IN ",
            crate::store::members::said_a_council_in!(),
            ")) WHERE c IS NOT NULL)"
        )
    };
}

/// Councils first named in workspace `?1` that no other workspace's rows name: erased last.
const COUNCILS_UNNAMED: &str = concat!(
    "team_id = ?1
     AND id NOT IN (SELECT council_id FROM people WHERE team_id != ?1 AND council_id IS NOT NULL)
     AND id NOT IN (SELECT pitcher_council_id FROM projects
                    WHERE team_id != ?1 AND pitcher_council_id IS NOT NULL)
     AND id NOT IN (SELECT l.council_id FROM lead_councils_ended l
                    JOIN projects p ON p.id = l.project_id WHERE p.team_id != ?1)
     AND id NOT IN (SELECT r.council_id FROM reuses r JOIN projects p ON p.id = r.project_id
                    WHERE p.team_id != ?1 AND COALESCE(r.said_in, p.team_id) != ?1)
     AND id NOT IN (SELECT r.council_id FROM reuses_ended r JOIN projects p ON p.id = r.project_id
                    WHERE p.team_id != ?1 AND COALESCE(r.said_in, p.team_id) != ?1)
     AND id NOT IN ",
    kept_for_joins!("members"),
    " AND id NOT IN ",
    kept_for_joins!("memberships_ended")
);

/// Why an erase was refused, with nothing erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The workspace still has the bot installed through OAuth, since this unix time (its
    /// latest install).
    Installed { since: i64 },
    /// Posts to the workspace are still to be made: the running bot may be making one now,
    /// and would record what Slack said against a row id SQLite could by then have handed
    /// to another workspace's post.
    PostsOwed(usize),
}

/// What an erase of a workspace found, or removed.
#[derive(Debug)]
pub struct Erasure {
    /// Rows per table, in the order erased; the search indexes left out. None when an erase
    /// is refused (a count is counted all the same).
    pub rows: Vec<(&'static str, usize)>,
    /// Councils first named there that other workspaces name too: kept.
    pub councils_kept: usize,
    /// When it removed the app, if it did after installing through OAuth: kept.
    pub removed_at: Option<i64>,
    /// Why nothing may be erased now, if so (a count answers the same).
    pub refused: Option<Refused>,
}

impl Erasure {
    /// Whether the workspace has nothing recorded (but perhaps that it removed the app).
    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|(_, n)| *n == 0) && self.councils_kept == 0
    }
}

/// Counts, or erases, everything recorded for workspace `team`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EraseMode {
    Count,
    /// Erase; `even_if_installed`: the operator knows the workspace removed the app though
    /// its installation stays (the bot missed Slack's word), which is then erased too and
    /// the workspace recorded as removed.
    Erase {
        even_if_installed: bool,
    },
}

/// Erases every row recorded for `team` in one transaction (or, to [`EraseMode::Count`],
/// counts them), unless refused: a workspace that still has the bot installed through OAuth
/// would be left using it with nothing, and one with posts still to be made may have one at
/// Slack now. Call inside a write transaction to erase, a read transaction to count, so that
/// the counts agree with each other. `now`: when a forced erase records the removal.
pub fn erase_workspace(
    conn: &Connection,
    team: &TeamId,
    mode: EraseMode,
    now: i64,
) -> anyhow::Result<Erasure> {
    let installed_at = crate::store::installed_at(conn, team)?;
    let removed_at: Option<i64> = conn
        .prepare_cached("SELECT removed_at FROM removed_workspaces WHERE team_id = ?1")?
        .query_row([team.as_str()], |r| r.get(0))
        .optional()?;
    let owed = owed_posts(conn, team)?;
    let refused = match (installed_at, mode) {
        (
            Some(since),
            EraseMode::Count
            | EraseMode::Erase {
                even_if_installed: false,
            },
        ) => Some(Refused::Installed { since }),
        _ if owed > 0 => Some(Refused::PostsOwed(owed)),
        _ => None,
    };
    let erase = matches!(mode, EraseMode::Erase { .. });
    if erase && refused.is_some() {
        // Nothing to count for an erase refused: the operator is told why, and the write
        // transaction is not held over every table for nothing.
        return Ok(Erasure {
            rows: Vec::new(),
            councils_kept: 0,
            removed_at,
            refused,
        });
    }
    let erasure = erase_or_count(conn, team, erase, removed_at, refused, now)?;
    // Written to the forget ledger beside the database, so that a copy put back from before
    // it erases the workspace again (see `ledger`); not an erase that changed nothing (a
    // typo, or run again).
    if erase && (!erasure.is_empty() || erasure.removed_at != removed_at) {
        super::note_operators(conn, &super::Entry::Erase(team.clone()), now)?;
    }
    Ok(erasure)
}

/// An erase of `team` made again from the forget ledger (`at`, when it was made), in a copy
/// of the database from before it: past an installation the copy still holds (the workspace
/// had left, or the operator said so) and posts it still owes (no bot runs while the ledger
/// is replayed), and not written to the ledger again. Nothing left to erase changes nothing.
pub(super) fn erase_again(conn: &Connection, team: &TeamId, at: i64) -> anyhow::Result<()> {
    let removed_at = conn
        .prepare_cached("SELECT removed_at FROM removed_workspaces WHERE team_id = ?1")?
        .query_row([team.as_str()], |r| r.get(0))
        .optional()?;
    erase_or_count(conn, team, true, removed_at, None, at)?;
    Ok(())
}

/// [`erase_again`] in the running server (a later request found the erase's line past the
/// database's: its commit failed): not while the workspace has the bot installed or posts
/// owed, as the erase itself refuses, since the workspace may have installed again and a
/// post may be at Slack now. Skipped, and logged; the database then applies the later line,
/// so the operator runs the erase again if it is still wanted (a copy from before it, put
/// back, still makes it at open).
pub(super) fn erase_again_live(conn: &Connection, team: &TeamId, at: i64) -> anyhow::Result<()> {
    let installed = crate::store::installed_at(conn, team)?.is_some();
    let owed = owed_posts(conn, team)?;
    if installed || owed > 0 {
        tracing::warn!(
            team = team.as_str(),
            installed,
            owed,
            "an erase whose commit failed is not made now: the workspace has the bot \
             installed or posts owed; run `makers-bot erase --yes` again if it is still wanted"
        );
        return Ok(());
    }
    erase_again(conn, team, at)
}

/// Erases (`erase`) or counts everything recorded for `team`, once the caller has found it
/// may; `removed_at` and `refused` as the caller found them.
fn erase_or_count(
    conn: &Connection,
    team: &TeamId,
    erase: bool,
    mut removed_at: Option<i64>,
    refused: Option<Refused>,
    now: i64,
) -> anyhow::Result<Erasure> {
    if erase {
        retire_slugs(conn, team)?;
        // Before its people go: their joins in other workspaces' teams keep the council they
        // count for (said here), as a change of council keeps them.
        crate::store::members::keep_join_councils_said_in(conn, team)?;
    }
    let mut rows = Vec::new();
    for (table, condition, told) in erased() {
        let n = delete_or_count(conn, erase, table, &condition, team)?;
        if told == Told::Yes {
            rows.push((table, n));
        }
    }
    if erase {
        lower_reactions_read_from(conn)?;
    }
    let unnamed = delete_or_count(conn, erase, "councils", COUNCILS_UNNAMED, team)?;
    rows.push(("councils", unnamed));
    let councils_kept = match erase {
        // What is left of its councils another workspace names: first named there now.
        true => conn.execute(
            "UPDATE councils SET team_id = COALESCE(
                 (SELECT team_id FROM people WHERE council_id = councils.id LIMIT 1),
                 (SELECT team_id FROM projects WHERE pitcher_council_id = councils.id LIMIT 1),
                 (SELECT p.team_id FROM lead_councils_ended l
                  JOIN projects p ON p.id = l.project_id
                  WHERE l.council_id = councils.id LIMIT 1),
                 (SELECT COALESCE(r.said_in, p.team_id) FROM reuses r
                  JOIN projects p ON p.id = r.project_id
                  WHERE r.council_id = councils.id LIMIT 1),
                 (SELECT COALESCE(r.said_in, p.team_id) FROM reuses_ended r
                  JOIN projects p ON p.id = r.project_id
                  WHERE r.council_id = councils.id LIMIT 1),
                 (SELECT p.team_id FROM members m JOIN projects p ON p.id = m.project_id
                  WHERE m.council_id = councils.id LIMIT 1),
                 (SELECT p.team_id FROM memberships_ended m JOIN projects p ON p.id = m.project_id
                  WHERE m.council_id = councils.id LIMIT 1))
             WHERE team_id = ?1",
            params![team.as_str()],
        )?,
        false => count(conn, "councils", "team_id = ?1", team)?.saturating_sub(unnamed),
    };
    // Forced past an installation the bot never heard removed: gone, and remembered as
    // removed, as a removal Slack told of leaves it.
    if erase && crate::store::remove_installation(conn, team, now)? {
        rows.push(("installations", 1));
        removed_at = Some(now);
    }
    let erasure = Erasure {
        rows,
        councils_kept,
        removed_at,
        refused,
    };
    // The erased words leave the search indexes' segments in this transaction, as a forget's
    // do: a merge of its own, once the erase had committed, could fail (the server's writes
    // holding the lock, a full disk). Also when nothing is left to erase but the workspace's
    // removal: a run again after an earlier build's erase whose merge failed merges what it
    // left (not for a team never known, a typo: a merge rewrites every index, holding writes).
    if erase && (!erasure.is_empty() || erasure.removed_at.is_some()) {
        super::merge_search_indexes(conn)?;
    }
    Ok(erasure)
}

/// Lowers the line migration 0060 drew between projects pitched before it and since
/// (`reactions_read_from`, the highest project id then) to the highest id left, once the
/// erased projects are gone. Ids are handed out again after an erase (the highest left, plus
/// one), and a project pitched since at or below the line would be taken for an old one:
/// its reactions made while the bot was out of its channel never read (`reactions_to_read`).
/// Every project left is at or below the highest id left, so still on its side of the line,
/// and every id handed out from now on is above it.
fn lower_reactions_read_from(conn: &Connection) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE reactions_read_from
            SET after_project_id = MIN(after_project_id,
                                       (SELECT COALESCE(MAX(id), 0) FROM projects))",
        [],
    )?;
    Ok(())
}

/// Deletes `table`'s rows of workspace `?1` that `condition` picks (`erase`), or counts them.
fn delete_or_count(
    conn: &Connection,
    erase: bool,
    table: &str,
    condition: &str,
    team: &TeamId,
) -> anyhow::Result<usize> {
    match erase {
        true => Ok(conn.execute(
            &format!("DELETE FROM {table} WHERE {condition}"),
            [team.as_str()],
        )?),
        false => count(conn, table, condition, team),
    }
}

/// Keeps the addresses the workspace's projects had from ever being handed to another
/// project (see `0027_retired_slugs.sql`).
fn retire_slugs(conn: &Connection, team: &TeamId) -> anyhow::Result<()> {
    let slugs: Vec<String> = conn
        .prepare_cached("SELECT slug FROM projects WHERE team_id = ?1 AND slug IS NOT NULL")?
        .query_map([team.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut retire =
        conn.prepare_cached("INSERT OR IGNORE INTO retired_slugs (digest) VALUES (?1)")?;
    for slug in slugs {
        retire.execute([crate::store::publishing::slug_digest(&slug)])?;
    }
    Ok(())
}

/// Posts of `team` still to be tried: an erase does not go past them (one may be at Slack).
fn owed_posts(conn: &Connection, team: &TeamId) -> anyhow::Result<usize> {
    let owed = format!("team_id = ?1 AND {}", crate::store::outbox::OWED);
    count(conn, "outbox", &owed, team)
}

fn count(conn: &Connection, table: &str, condition: &str, team: &TeamId) -> anyhow::Result<usize> {
    let n: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM {table} WHERE {condition}"))?
        .query_row([team.as_str()], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table that holds a workspace's id or a project's or update's is erased here, or
    /// named below as kept on purpose: a new table must be placed in one or the other.
    #[test]
    fn every_table_of_a_workspace_is_erased_or_kept_on_purpose() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        // Kept, each for a reason the module's comment gives; an installation is erased only
        // when forced (`--even-if-installed`), by `store::remove_installation`.
        let kept = ["installations", "removed_workspaces", "councils"];
        let tables: Vec<(String, String)> = store
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT m.name, i.name FROM sqlite_master m, pragma_table_info(m.name) i
                     WHERE m.type = 'table' AND i.name IN ('team_id', 'project_id', 'update_id')",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        assert!(tables.len() > 15, "{tables:?}");
        let erased: Vec<&str> = erased().iter().map(|(t, _, _)| *t).collect();
        for (table, column) in &tables {
            assert!(
                erased.contains(&table.as_str()) || kept.contains(&table.as_str()),
                "{table} holds {column}: erase its rows of the workspace, or say why they stay"
            );
        }
    }
    /// A council first named in the workspace erased stays while another workspace's
    /// membership counts a join for it (migration 0054), standing or ended, or would once
    /// kept: a guest who said their council only here has their joins there kept for it
    /// before their row here goes; and while another workspace's project was led by it
    /// before (migration 0055). The dry run counts the same councils as the erase.
    #[test]
    fn a_council_another_workspaces_joins_count_for_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        let named = |sql: &str| crate::store::column_of(&store, sql);
        let team = TeamId::parse("T1").unwrap();
        let councils_gone = |mode| {
            store
                .write(|tx| {
                    let done = erase_workspace(tx, &team, mode, 10)?;
                    let gone = done.rows.iter().find(|(t, _)| *t == "councils").unwrap().1;
                    Ok((gone, done.councils_kept))
                })
                .unwrap()
        };
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
                         (1, 'T1', 'adur', 'Adur District Council', 1),
                         (2, 'T1', 'brent', 'Brent Council', 2),
                         (3, 'T1', 'camden', 'Camden Council', 3),
                         (4, 'T1', 'dover', 'Dover District Council', 4),
                         (5, 'T1', 'ealing', 'Ealing Council', 5);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T2', 1, 'Bins', '', 'alpha', 'U1', 'C2', 1, 1, 1);
                     INSERT INTO people (team_id, user_id, council_id, updated_at)
                     VALUES ('T1', 'U0GUEST', 3, 1), ('T1', 'U0HOME', 4, 1);
                     INSERT INTO members (project_id, user_id, joined_at, council_id)
                     VALUES (1, 'U0KEPT', 2, 1), (1, 'U0GUEST', 2, NULL);
                     INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at,
                                                    council_id)
                     VALUES (1, 'U0LEFT', 2, 3, 2);
                     INSERT INTO lead_councils_ended (project_id, council_id, until_at)
                     VALUES (1, 5, 4);",
                )?;
                Ok(())
            })
            .unwrap();
        let counted = councils_gone(EraseMode::Count);
        let erased = councils_gone(EraseMode::Erase {
            even_if_installed: false,
        });
        assert_eq!((counted, erased), ((1, 4), (1, 4)));
        assert_eq!(
            named("SELECT name || ':' || team_id FROM councils ORDER BY id"),
            [
                "Adur District Council:T2",
                "Brent Council:T2",
                "Camden Council:T2",
                "Ealing Council:T2"
            ]
        );
        assert_eq!(
            named(
                "SELECT user_id || ':' || council_id FROM members
                 UNION ALL SELECT user_id || ':' || council_id FROM memberships_ended ORDER BY 1"
            ),
            ["U0GUEST:3", "U0KEPT:1", "U0LEFT:2"]
        );
    }
}
