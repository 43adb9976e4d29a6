//! Councils merged into another, or renamed, by the operator (`makers-bot council merge`):
//! local government reorganisation folds district councils into a new unitary one, and a
//! council may change its name. Everything of the councils merged (their people, the
//! projects they lead, their re-uses) becomes the successor's, and each former name leads to
//! it from then on (`council_former_names`), so people still saying the old name, and the
//! catalogue's filter by it, find the successor.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{CouncilName, ProjectNumber, TeamId};

/// A recorded council, as the operator named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCouncil {
    pub id: i64,
    pub name: String,
}

/// A council to be merged, and what of it moves to the successor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedCouncil {
    pub name: String,
    pub counts: CouncilCounts,
}

/// What is to a council's name ([`council_counts!`]), as `council merge` and `council list`
/// say it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CouncilCounts {
    /// People who said they work for it (in every workspace).
    pub people: usize,
    /// Projects it leads.
    pub leads: usize,
    /// Projects it re-uses.
    pub reuses: usize,
    /// Joins counted for it in past periods' reports by people who have said another
    /// council since (migration 0054), standing or ended.
    pub kept_joins: usize,
    /// Projects it led before another council took the lead (migration 0055).
    pub led_before: usize,
}

/// A re-use that ends with the merge: one council cannot re-use a project it leads, nor
/// re-use one project twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedReuse {
    /// The council that said it (a merged one, or the successor).
    pub council: String,
    pub team: TeamId,
    pub number: ProjectNumber,
    pub title: String,
    /// The note given with it ("how we use it"), which goes with it.
    pub note: String,
    pub why: ReuseEnds,
    /// The re-use's row (`reuses`' key), which the merge deletes.
    pub project_id: i64,
    pub council_id: i64,
}

pub use crate::domain::ReuseEnds;

/// What a merge does, or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMerge {
    /// The successor's name, as it is recorded after the merge.
    pub into: String,
    /// The successor's id.
    pub into_id: i64,
    /// Whether the successor was recorded before (else one merged council takes its name).
    pub into_recorded: bool,
    /// The name the successor had, when it takes `into`'s (the oldest merged council, or a
    /// council renamed).
    pub renamed: Option<String>,
    /// The names that lead to the successor from then on (as recorded).
    pub former: Vec<String>,
    pub merged: Vec<MergedCouncil>,
    pub ended: Vec<EndedReuse>,
}

/// The council recorded as `typed` says: its exact recorded name (any case) first, so the
/// operator can name one under a name two councils share ("Chichester", as an earlier build
/// recorded it), then by its match key.
pub fn council_named(
    conn: &Connection,
    typed: &str,
    key: Option<&str>,
) -> anyhow::Result<Option<RecordedCouncil>> {
    doing("cannot read the council", || {
        conn.prepare_cached(
            "SELECT id, name, 0 AS rank FROM councils WHERE name = ?1 COLLATE NOCASE
             UNION ALL SELECT id, name, 1 FROM councils WHERE match_key = ?2
             ORDER BY rank LIMIT 1",
        )?
        .query_row(params![typed.trim(), key], |r| {
            Ok(RecordedCouncil {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()
    })
}

/// A former council: its name as recorded, the council that took its place (id), and
/// whether that was a rename (else a merge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormerCouncil {
    pub name: String,
    pub successor: i64,
    pub renamed: bool,
}

/// The former council recorded under match key `key`.
pub fn former_council(conn: &Connection, key: &str) -> anyhow::Result<Option<FormerCouncil>> {
    doing("cannot read the council's former names", || {
        conn.prepare_cached(
            "SELECT name, council_id, renamed FROM council_former_names WHERE match_key = ?1",
        )?
        .query_row(params![key], |r| {
            Ok(FormerCouncil {
                name: r.get(0)?,
                successor: r.get(1)?,
                renamed: r.get(2)?,
            })
        })
        .optional()
    })
}

/// A former council's name, and the match key of the council in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succession {
    pub former_key: String,
    pub former_name: String,
    pub successor: String,
    pub successor_key: String,
    /// The council was renamed (else merged into another).
    pub renamed: bool,
}

/// Every former council and its successor (the catalogue's filter reads them).
pub fn successions(conn: &Connection) -> anyhow::Result<Vec<Succession>> {
    doing("cannot read the councils' former names", || {
        conn.prepare_cached(
            "SELECT f.match_key, f.name, c.name, c.match_key, f.renamed
               FROM council_former_names f JOIN councils c ON c.id = f.council_id",
        )?
        .query_map([], |r| {
            Ok(Succession {
                former_key: r.get(0)?,
                former_name: r.get(1)?,
                successor: r.get(2)?,
                successor_key: r.get(3)?,
                renamed: r.get(4)?,
            })
        })?
        .collect()
    })
}

/// The columns [`repoint_council`] moves: every column naming a council but a standing
/// re-use's and a former name's (a test holds it to the schema's foreign keys).
const REPOINTED: [(&str, &str); 6] = [
    ("people", "council_id"),
    ("projects", "pitcher_council_id"),
    ("lead_councils_ended", "council_id"),
    ("reuses_ended", "council_id"),
    ("members", "council_id"),
    ("memberships_ended", "council_id"),
];

/// Moves what names council `from` to council `into`, which it became part of (a merge, or
/// two keys made one at start): its people, the projects it leads and led (migration 0055),
/// its ended re-uses (a past period's report names them by the council now) and the joins
/// kept for it (migration 0054). Not its standing re-uses or former names, which each caller treats its own way.
pub(super) fn repoint_council(conn: &Connection, from: i64, into: i64) -> rusqlite::Result<()> {
    for (table, column) in REPOINTED {
        conn.prepare_cached(&format!(
            "UPDATE {table} SET {column} = ?2 WHERE {column} = ?1"
        ))?
        .execute([from, into])?;
    }
    Ok(())
}

/// Merges councils `from` into the council named `into`, or (`apply: false`) says what that
/// would do, changing nothing. The successor is the council recorded under `into`'s key if
/// there is one, else the oldest of `from`, which takes `into`'s name (one council alone:
/// a rename). Each merged council's people, led projects and re-uses become the successor's;
/// a re-use of a project the successor now leads ends, and of a project re-used by two of
/// them the earliest stays; each merged name, and the names merged into it before, lead to
/// the successor from then on. Errors (nothing changed) for a name no council can take.
pub fn merge_councils(
    conn: &Connection,
    from: &[RecordedCouncil],
    into: &CouncilName,
    apply: bool,
    now: i64,
) -> anyhow::Result<CouncilMerge> {
    let live = conn
        .prepare_cached("SELECT id, name FROM councils WHERE match_key = ?1")?
        .query_row(params![into.key()], |r| {
            Ok(RecordedCouncil {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?;
    let mut from: Vec<&RecordedCouncil> = from.iter().collect();
    from.sort_by_key(|c| c.id);
    from.dedup_by_key(|c| c.id);
    let (successor, into_recorded) = match &live {
        Some(live) => (live.id, !from.iter().any(|c| c.id == live.id)),
        None => match from.first() {
            Some(oldest) => (oldest.id, false),
            None => anyhow::bail!("no council to merge"),
        },
    };
    if let Some(former) = former_council(conn, into.key())?
        && former.successor != successor
        && !from.iter().any(|c| c.id == former.successor)
    {
        let now_in = council_name(conn, former.successor)?;
        anyhow::bail!(
            "{:?} is a former name of {now_in:?}: name that council, or merge it too",
            former.name
        );
    }
    let all: Vec<i64> = from
        .iter()
        .map(|c| c.id)
        .chain(std::iter::once(successor))
        .collect();
    let ids = serde_json::to_string(&all)?;
    let mut merged = Vec::new();
    for c in from.iter().filter(|c| c.id != successor) {
        let counts = doing("cannot count the council's rows", || {
            conn.prepare_cached(concat!(
                "SELECT ",
                council_counts!(),
                " FROM councils c WHERE c.id = ?1"
            ))?
            .query_row([c.id], |r| counts_at(r, 0))
        })?;
        merged.push(MergedCouncil {
            name: c.name.clone(),
            counts,
        });
    }
    let ended = ended_reuses(conn, &ids)?;
    let renamed = from
        .iter()
        .find(|c| c.id == successor && c.name != into.display());
    // The names that lead to the successor from now on: each merged council's, and a
    // renamed one's unless it is the same council spelt otherwise ("Guildford BC" as
    // "Guildford Borough Council": one key). Not a name two councils share ("Chichester",
    // as an earlier build recorded it), which must go on naming neither.
    let former: Vec<(String, String)> = merged
        .iter()
        .map(|m| m.name.as_str())
        .chain(renamed.map(|c| c.name.as_str()))
        .filter_map(|name| {
            let key = CouncilName::parse(name).ok()?.key().to_string();
            (key != into.key()).then(|| (key, name.to_string()))
        })
        .collect();
    let was_renamed = merged.is_empty();
    let result = CouncilMerge {
        into: match (&live, renamed) {
            (Some(live), None) => live.name.clone(),
            _ => into.display().to_string(),
        },
        into_id: successor,
        into_recorded,
        renamed: renamed.map(|c| c.name.clone()),
        former: former.iter().map(|(_, name)| name.clone()).collect(),
        merged,
        ended,
    };
    if !apply || (result.merged.is_empty() && result.renamed.is_none()) {
        return Ok(result);
    }
    doing("cannot merge the councils", || {
        // The re-uses that end, exactly those counted, then the rest moved: none of the
        // successor's can clash.
        // Kept as ended: a past period's report counts them as they stood then (two councils
        // that both re-used a project were two re-uses; one re-using another's work was one).
        for r in &result.ended {
            super::reuses::end_reuse(conn, r.project_id, r.council_id, now)?;
        }
        for c in from.iter().filter(|c| c.id != successor) {
            let moved = params![c.id, successor];
            repoint_council(conn, c.id, successor)?;
            conn.execute(
                "UPDATE reuses SET council_id = ?2 WHERE council_id = ?1",
                moved,
            )?;
            // Its own former names follow it, as merged now: "Shepway" renamed Folkestone and
            // Hythe, then merged into another, is part of that one, not its old name.
            conn.execute(
                "UPDATE council_former_names SET council_id = ?2, renamed = 0 WHERE council_id = ?1",
                moved,
            )?;
            conn.execute("DELETE FROM councils WHERE id = ?1", params![c.id])?;
        }
        if let Some(renamed) = renamed {
            conn.execute(
                "UPDATE councils SET name = ?2, match_key = ?3 WHERE id = ?1",
                params![renamed.id, into.display(), into.key()],
            )?;
        }
        for (key, name) in &former {
            conn.execute(
                "INSERT INTO council_former_names (match_key, name, council_id, merged_at, renamed)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (match_key) DO UPDATE
                    SET name = ?2, council_id = ?3, merged_at = ?4, renamed = ?5",
                params![key, name, successor, now, was_renamed],
            )?;
        }
        // The new name is a council's own again, no longer a former one's.
        conn.execute(
            "DELETE FROM council_former_names WHERE match_key = ?1",
            params![into.key()],
        )?;
        Ok(())
    })?;
    Ok(result)
}

/// The re-uses by councils `ids` (a JSON array) that a merge of them ends.
fn ended_reuses(conn: &Connection, ids: &str) -> anyhow::Result<Vec<EndedReuse>> {
    doing("cannot read the councils' re-uses", || {
        let mut stmt = conn.prepare(
            "SELECT c.name, p.team_id, p.number, p.title, r.note,
                    COALESCE(p.pitcher_council_id IN (SELECT value FROM json_each(?1)), 0),
                    r.project_id, r.council_id
               FROM reuses r JOIN projects p ON p.id = r.project_id
               JOIN councils c ON c.id = r.council_id
              WHERE r.council_id IN (SELECT value FROM json_each(?1)) AND (
                    p.pitcher_council_id IN (SELECT value FROM json_each(?1))
                    OR EXISTS (SELECT 1 FROM reuses first
                                WHERE first.project_id = r.project_id
                                  AND first.council_id IN (SELECT value FROM json_each(?1))
                                  AND (first.created_at, first.council_id)
                                      < (r.created_at, r.council_id)))
              ORDER BY p.team_id, p.number, c.name",
        )?;
        let rows = stmt.query_map(params![ids], |r| {
            Ok(EndedReuse {
                council: r.get(0)?,
                team: super::digests::stored_team(r.get(1)?)?,
                number: super::digests::project_number(r.get(2)?)?,
                title: r.get(3)?,
                note: r.get(4)?,
                why: match r.get::<_, bool>(5)? {
                    true => ReuseEnds::LeadsIt,
                    false => ReuseEnds::SaidEarlier,
                },
                project_id: r.get(6)?,
                council_id: r.get(7)?,
            })
        })?;
        rows.collect()
    })
}

/// SQL for what is to council `c`'s name, five columns read by [`counts_at`]: its people (a
/// guest has a row in each workspace they were seen in: one person), the projects it leads,
/// those it re-uses, the joins kept for it and the projects it led before (each by its
/// index on the council).
macro_rules! council_counts {
    () => {
        "(SELECT COUNT(DISTINCT user_id) FROM people WHERE council_id = c.id),
         (SELECT COUNT(*) FROM projects WHERE pitcher_council_id = c.id),
         (SELECT COUNT(*) FROM reuses WHERE council_id = c.id),
         (SELECT COUNT(*) FROM members WHERE council_id = c.id)
           + (SELECT COUNT(*) FROM memberships_ended WHERE council_id = c.id),
         (SELECT COUNT(DISTINCT project_id) FROM lead_councils_ended WHERE council_id = c.id)"
    };
}
use council_counts;

/// The five columns of [`council_counts!`] from column `at` on.
fn counts_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<CouncilCounts> {
    // COUNT is never negative.
    let n = |i: usize| -> rusqlite::Result<usize> {
        Ok(usize::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
    };
    Ok(CouncilCounts {
        people: n(at)?,
        leads: n(at + 1)?,
        reuses: n(at + 2)?,
        kept_joins: n(at + 3)?,
        led_before: n(at + 4)?,
    })
}

/// The name council `id` is recorded under.
pub fn council_name(conn: &Connection, id: i64) -> anyhow::Result<String> {
    doing("cannot read the council", || {
        conn.query_row("SELECT name FROM councils WHERE id = ?1", [id], |r| {
            r.get(0)
        })
    })
}

/// A recorded council as the operator's list shows it: what is to its name, and the former
/// councils' names that lead to it (each with whether it was renamed, else merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilEntry {
    pub name: String,
    pub counts: CouncilCounts,
    pub former: Vec<(String, bool)>,
}

/// Every recorded council, by name, in use or not (`makers-bot council list`).
pub fn council_entries(conn: &Connection) -> anyhow::Result<Vec<CouncilEntry>> {
    doing("cannot read the councils", || {
        let mut entries: Vec<(i64, CouncilEntry)> = conn
            .prepare(concat!(
                "SELECT c.id, c.name, ",
                council_counts!(),
                " FROM councils c ORDER BY c.name COLLATE NOCASE, c.id"
            ))?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    CouncilEntry {
                        name: r.get(1)?,
                        counts: counts_at(r, 2)?,
                        former: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare(
            "SELECT council_id, name, renamed FROM council_former_names ORDER BY merged_at, name",
        )?;
        let former = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        for row in former {
            let (id, name, renamed) = row?;
            if let Some((_, entry)) = entries.iter_mut().find(|(c, _)| *c == id) {
                entry.former.push((name, renamed));
            }
        }
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{TeamId, UserId};
    use crate::store::{Store, council_by_key, find_or_add_council};

    fn name(s: &str) -> CouncilName {
        CouncilName::parse(s).unwrap()
    }

    /// Guildford (1) leads #1 and re-uses #3 (second) and #4 (first); Waverley (2) leads #2,
    /// re-uses #1 (Guildford's) and #3 (first); Woking (3) has one person and re-uses #4
    /// (second), which no council leads; Surrey (4) is apart. Two people who moved on count
    /// their joins for Woking (in #2's team) and Waverley (who left #1).
    fn three_districts(store: &Store) {
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
                         (1, 'T1', 'guildford', 'Guildford Borough Council', 1),
                         (2, 'T1', 'waverley', 'Waverley Borough Council', 2),
                         (3, 'T2', 'woking', 'Woking Council', 3),
                         (4, 'T1', 'surrey', 'Surrey County Council', 4);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           pitcher_council_id, last_activity_at)
                     VALUES (1, 'T1', 1, 'Bin day finder', '', 'alpha', 'U1', 'C1', 1, 1, 1, 1),
                            (2, 'T1', 2, 'Parking permits', '', 'beta', 'U2', 'C1', 1, 1, 2, 1),
                            (3, 'T1', 3, 'Library app', '', 'live', 'U4', 'C1', 1, 1, 4, 1),
                            (4, 'T1', 4, 'Rota', '', 'alpha', 'U5', 'C1', 1, 1, NULL, 1);
                     INSERT INTO reuses (project_id, council_id, note, said_by, created_at,
                                         updated_at, said_in)
                     VALUES (3, 1, 'on our site', 'U1', 5, 5, 'T1'),
                            (1, 2, 'for our bins', 'U2', 4, 4, 'T1'),
                            (3, 2, 'in branches', 'U2', 3, 3, 'T1'),
                            (4, 1, 'for staff', 'U1', 6, 6, 'T1'),
                            (4, 3, 'for nurses', 'U3', 7, 7, 'T2');
                     INSERT INTO members (project_id, user_id, joined_at, council_id)
                     VALUES (2, 'U9', 1, 3);
                     INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at,
                                                    council_id)
                     VALUES (1, 'U8', 1, 2, 2);
                     INSERT INTO lead_councils_ended (project_id, council_id, until_at)
                     VALUES (2, 3, 1);",
                )?;
                for (team, user, council) in [("T1", "U1", 1), ("T1", "U2", 2), ("T2", "U3", 3)] {
                    let (team, user) = (TeamId::parse(team).unwrap(), UserId::parse(user).unwrap());
                    crate::store::people::set_council(tx, &team, &user, council, 10)?;
                }
                Ok(())
            })
            .unwrap();
    }

    fn found(store: &Store, ids: &[i64]) -> Vec<RecordedCouncil> {
        store
            .read(|c| {
                ids.iter()
                    .map(|&id| {
                        Ok(RecordedCouncil {
                            id,
                            name: council_name(c, id)?,
                        })
                    })
                    .collect()
            })
            .unwrap()
    }

    use crate::store::column_of as table;

    /// Every column the schema points at a council is moved by a merge, but those its callers
    /// treat their own way: a new one cannot be forgotten (a merge would then fail on it, or
    /// leave past figures under a council that is gone).
    #[test]
    fn a_merge_moves_every_column_that_names_a_council() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let pointing = table(
            &store,
            "SELECT m.name || '.' || f.\"from\" FROM sqlite_master m,
                    pragma_foreign_key_list(m.name) f
              WHERE m.type = 'table' AND f.\"table\" = 'councils' ORDER BY 1",
        );
        let mut expected: Vec<String> = REPOINTED
            .iter()
            .map(|(t, c)| format!("{t}.{c}"))
            .chain([
                "reuses.council_id".into(),
                "council_former_names.council_id".into(),
            ])
            .collect();
        expected.sort();
        assert_eq!(pointing, expected);
    }

    /// Three district councils into a new unitary council: counted first with nothing
    /// changed, then merged: the oldest takes the new name, every person, lead and re-use
    /// is its, a re-use of its own project ends and the first of two re-uses of one stays
    /// (each one ended kept as ended), and so are the joins and leads kept for a council;
    /// each old name leads to it, also after the store is opened again (keys made again).
    #[test]
    fn districts_merge_into_a_new_council_and_their_names_lead_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        three_districts(&store);
        let from = found(&store, &[2, 1, 3]);
        let into = name("West Surrey Council");
        let counted = store
            .read(|c| merge_councils(c, &from, &into, false, 100))
            .unwrap();
        let reuses = "SELECT project_id || ':' || council_id || ':' || note FROM reuses
                      ORDER BY project_id, council_id";
        assert_eq!(
            table(&store, reuses).len(),
            5,
            "nothing changed by counting"
        );
        assert_eq!(counted.into, "West Surrey Council");
        assert!(!counted.into_recorded);
        assert_eq!(
            counted.renamed.as_deref(),
            Some("Guildford Borough Council")
        );
        let merged: Vec<(&str, usize, usize, usize, usize, usize)> = counted
            .merged
            .iter()
            .map(|m| {
                let c = m.counts;
                (
                    m.name.as_str(),
                    c.people,
                    c.leads,
                    c.reuses,
                    c.kept_joins,
                    c.led_before,
                )
            })
            .collect();
        assert_eq!(
            merged,
            [
                ("Waverley Borough Council", 1, 1, 2, 1, 0),
                ("Woking Council", 1, 0, 1, 1, 1)
            ]
        );
        let ended: Vec<(&str, u32, ReuseEnds)> = counted
            .ended
            .iter()
            .map(|r| (r.council.as_str(), r.number.get(), r.why))
            .collect();
        assert_eq!(
            ended,
            [
                ("Waverley Borough Council", 1, ReuseEnds::LeadsIt),
                ("Guildford Borough Council", 3, ReuseEnds::SaidEarlier),
                ("Woking Council", 4, ReuseEnds::SaidEarlier)
            ]
        );

        let done = store
            .write(|tx| merge_councils(tx, &from, &into, true, 100))
            .unwrap();
        assert_eq!(done, counted, "the merge does what its count said");
        assert_eq!(
            table(&store, "SELECT id || ':' || name FROM councils ORDER BY id"),
            ["1:West Surrey Council", "4:Surrey County Council"]
        );
        assert_eq!(
            table(&store, "SELECT DISTINCT council_id || '' FROM people"),
            ["1"]
        );
        assert_eq!(
            table(
                &store,
                "SELECT number || ':' || COALESCE(pitcher_council_id, '') FROM projects ORDER BY number"
            ),
            ["1:1", "2:1", "3:4", "4:"]
        );
        assert_eq!(table(&store, reuses), ["3:1:in branches", "4:1:for staff"]);
        // The three that ended are kept as ended then, under the council now (a past
        // period's report counts them as they stood), naming nobody.
        assert_eq!(
            table(
                &store,
                "SELECT project_id || ':' || council_id || ':' || created_at || '-' || ended_at
                 FROM reuses_ended ORDER BY project_id, created_at"
            ),
            ["1:1:4-100", "3:1:5-100", "4:1:7-100"]
        );
        // Joins kept for a merged council count for the council it is part of now.
        assert_eq!(
            table(
                &store,
                "SELECT 'member:' || council_id FROM members WHERE council_id IS NOT NULL
                 UNION ALL SELECT 'ended:' || council_id FROM memberships_ended ORDER BY 1"
            ),
            ["ended:1", "member:1"]
        );
        // So does a project it led before another council took the lead (migration 0055).
        assert_eq!(
            table(
                &store,
                "SELECT project_id || ':' || council_id FROM lead_councils_ended"
            ),
            ["2:1"]
        );
        drop(store);

        let store = Store::open(&path).unwrap();
        assert_eq!(
            table(
                &store,
                "SELECT match_key || ':' || council_id FROM council_former_names ORDER BY 1"
            ),
            ["guildford:1", "waverley:1", "woking:1"]
        );
        let team = TeamId::parse("T3").unwrap();
        let (id, now_as) = store
            .write(|tx| find_or_add_council(tx, &team, &name("Woking BC"), 200))
            .unwrap();
        assert_eq!((id, now_as.display()), (1, "West Surrey Council"));
        let said = store
            .read(|c| {
                Ok((
                    former_council(c, "waverley")?,
                    council_by_key(c, "waverley")?.map(|(id, _)| id),
                    successions(c)?.len(),
                ))
            })
            .unwrap();
        assert_eq!(
            said,
            (
                Some(FormerCouncil {
                    name: "Waverley Borough Council".into(),
                    successor: 1,
                    renamed: false
                }),
                Some(1),
                3
            )
        );
    }

    /// A merged council merged again (a unitary folded into a bigger one) takes its former
    /// names along; a name for two councils' former one is refused; a council spelt anew
    /// (one key) is renamed with no former name.
    #[test]
    fn merges_chain_and_a_respelling_is_a_rename() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        three_districts(&store);
        let west = name("West Surrey Council");
        store
            .write(|tx| merge_councils(tx, &found(&store, &[1, 2]), &west, true, 100))
            .unwrap();
        let refused = store
            .read(|c| merge_councils(c, &found(&store, &[3]), &name("Waverley BC"), false, 100))
            .unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("is a former name of \"West Surrey Council\""),
            "{refused}"
        );
        let done = store
            .write(|tx| {
                merge_councils(
                    tx,
                    &found(&store, &[1]),
                    &name("Surrey County Council"),
                    true,
                    200,
                )
            })
            .unwrap();
        assert!(done.into_recorded);
        assert_eq!(
            table(
                &store,
                "SELECT match_key || ':' || council_id FROM council_former_names ORDER BY 1"
            ),
            ["guildford:4", "waverley:4", "west surrey:4"]
        );
        let done = store
            .write(|tx| merge_councils(tx, &found(&store, &[3]), &name("Woking BC"), true, 300))
            .unwrap();
        assert_eq!(
            (done.renamed.as_deref(), done.merged.len()),
            (Some("Woking Council"), 0)
        );
        assert_eq!(
            table(&store, "SELECT name FROM councils WHERE id = 3"),
            ["Woking Borough Council"]
        );
        // Renamed, then merged into another: its old name is part of that one now.
        let renamed = |store: &Store| {
            table(
                store,
                "SELECT match_key || ':' || council_id || ':' || renamed FROM council_former_names
                  WHERE match_key = 'woking'",
            )
        };
        let council_3_into = |into: &str, now| {
            store
                .write(|tx| merge_councils(tx, &found(&store, &[3]), &name(into), true, now))
                .unwrap();
        };
        council_3_into("Byfleet Council", 400);
        assert_eq!(renamed(&store), ["woking:3:1"]);
        council_3_into("Surrey County Council", 500);
        assert_eq!(renamed(&store), ["woking:4:0"]);
        assert_eq!(
            table(
                &store,
                "SELECT count(*) || '' FROM council_former_names WHERE council_id = 3"
            ),
            ["0"]
        );
    }

    /// A council an earlier build recorded under a name two councils share ("Chichester")
    /// merged into the council its people meant leaves no former name: "Chichester" goes on
    /// naming neither (the catalogue's filter by it offers both). And a former name keyed
    /// as a council's own, once the rules for keys change, goes at the next open.
    #[test]
    fn a_shared_name_leaves_no_former_name_and_a_council_s_own_key_is_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
                         (1, 'T1', 'chichester', 'Chichester', 1),
                         (2, 'T1', 'surrey', 'Surrey County Council', 2);",
                )?;
                Ok(())
            })
            .unwrap();
        let district = name("Chichester District Council");
        let done = store
            .write(|tx| merge_councils(tx, &found(&store, &[1]), &district, true, 100))
            .unwrap();
        assert_eq!(
            (done.renamed.as_deref(), done.former.len()),
            (Some("Chichester"), 0)
        );
        let formers = "SELECT match_key FROM council_former_names ORDER BY 1";
        assert!(table(&store, formers).is_empty());
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO council_former_names (match_key, name, council_id, merged_at)
                     VALUES ('surrey', 'Surrey CC', 1, 100), ('woking', 'Woking Council', 2, 100);",
                )?;
                Ok(())
            })
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(table(&store, formers), ["woking"]);
    }
}
