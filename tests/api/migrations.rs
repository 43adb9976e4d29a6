//! Migrations apply to an empty database and to one holding rows of each earlier version, and
//! the app runs on the result: it lists the sample projects and posts what was left queued.

use makers_bot::store::{MIGRATIONS, migrate, migrate_to, schema_version};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::helpers::*;

/// Every table of the schema after the last migration. A migration that adds a table adds it
/// here, and sample rows for it to its `sample_vN.sql`.
const TABLES: &[&str] = &[
    "catalogue_holds",
    "catalogue_search",
    "catalogue_search_config",
    "catalogue_search_content",
    "catalogue_search_data",
    "catalogue_search_docsize",
    "catalogue_search_idx",
    "channels",
    "council_former_names",
    "councils",
    "day_tallies",
    "digest_subscriptions",
    "forget_ledger",
    "health_probe",
    "installations",
    "lead_councils_ended",
    "members",
    "membership_changes",
    "memberships_ended",
    "oauth_states",
    "outbox",
    "pending_joins",
    "people",
    "person_skills",
    "phase_changes",
    "processed_events",
    "project_links",
    "project_merges",
    "project_search",
    "project_search_config",
    "project_search_content",
    "project_search_data",
    "project_search_docsize",
    "project_search_idx",
    "project_skills",
    "projects",
    "reactions_read_from",
    "reactions_to_read",
    "removed_workspaces",
    "retired_slugs",
    "reuses",
    "reuses_ended",
    "search_pending",
    "secret_key_check",
    "token_refusals",
    "update_search",
    "update_search_config",
    "update_search_content",
    "update_search_data",
    "update_search_docsize",
    "update_search_idx",
    "update_search_pending",
    "updates",
];

/// Sample rows valid at schema version N, inserted before migrating on to the latest.
fn sample_rows(version: usize) -> String {
    let path = format!(
        "{}/tests/migrations/sample_v{version}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; add sample rows for schema version {version}"))
}

fn tables(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn rows(conn: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let mut stmt = conn
        .prepare(&format!("SELECT {} FROM {table}", columns.join(", ")))
        .unwrap();
    stmt.query_map([], |r| {
        (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every table's columns and rows.
type Contents = Vec<(String, Vec<String>, Vec<Vec<Value>>)>;

fn contents(conn: &Connection) -> Contents {
    tables(conn)
        .into_iter()
        .map(|t| {
            let cols = columns(conn, &t);
            let rows = rows(conn, &t, &cols);
            (t, cols, rows)
        })
        .collect()
}

#[test]
fn all_migrations_apply_to_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate(&mut conn).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), MIGRATIONS.len());
    assert_eq!(tables(&conn), TABLES, "the schema's tables");
    migrate(&mut conn).unwrap();
    assert_eq!(
        schema_version(&conn).unwrap(),
        MIGRATIONS.len(),
        "running again changes nothing"
    );
}

/// Builds a database at `version`, fills it with that version's samples, migrates it to the
/// latest and checks that every sample row is still there, column for column.
fn migrate_samples_from(version: usize, path: &std::path::Path) -> Contents {
    let mut conn = Connection::open(path).unwrap();
    migrate_to(&mut conn, version).unwrap();
    conn.execute_batch(&sample_rows(version)).unwrap();
    let before = contents(&conn);
    assert!(
        before
            .iter()
            .any(|(t, _, rows)| t == "projects" && !rows.is_empty()),
        "sample_v{version}.sql inserts projects"
    );
    migrate(&mut conn).unwrap();
    assert_eq!(tables(&conn), TABLES, "from version {version}");
    for (table, cols, old_rows) in &before {
        // The search indexes are derived from projects and updates, and rebuilt in another
        // shape by a migration that needs one (0015): their rows are not compared; that
        // search still finds what they held is checked when the app runs on the file.
        if is_search_index(table) {
            continue;
        }
        // Before 0016 the table held install links handed out and not yet used, which 0016
        // drops on purpose (it holds used ones now): each such link is good once more.
        if table == "oauth_states" && version < 16 {
            continue;
        }
        let mut new_rows = rows(&conn, table, cols);
        // 0049 asks Slack again at once about every channel it was to ask about later (to
        // learn whether each is shared): when is not kept, what Slack said is.
        let mut old_rows = old_rows.clone();
        if table == "channels" && version < 49 {
            let asked = cols
                .iter()
                .position(|c| c == "ask_at")
                .expect("channels.ask_at");
            for row in old_rows.iter_mut().chain(new_rows.iter_mut()) {
                row.remove(asked);
            }
        }
        for row in &old_rows {
            let at = new_rows.iter().position(|r| r == row).unwrap_or_else(|| {
                panic!("from version {version}: {table} lost {row:?}; it has {new_rows:?}")
            });
            new_rows.swap_remove(at);
        }
    }
    before
}

/// Brings `conn` to the schema just before the migration whose name starts with `prefix`
/// (`"0033_"`), for a test of what that migration does to rows written before it.
fn migrate_to_before(conn: &mut Connection, prefix: &str) {
    let before = MIGRATIONS
        .iter()
        .position(|(name, _)| name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no migration {prefix}"));
    migrate_to(conn, before).unwrap();
}

/// An FTS5 table or one of its shadow tables.
fn is_search_index(table: &str) -> bool {
    ["project_search", "update_search", "catalogue_search"]
        .iter()
        .any(|index| table == *index || table.starts_with(&format!("{index}_")))
        && !table.ends_with("_pending")
}

#[tokio::test]
async fn migrations_keep_the_rows_of_every_earlier_version_and_the_app_runs_on_them() {
    let mut filled = std::collections::BTreeSet::new();
    let mut posted_from_samples = Vec::new();
    for version in 1..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("makers.db");
        let before = migrate_samples_from(version, &path);
        filled.extend(
            before
                .iter()
                .filter(|(_, _, rows)| !rows.is_empty())
                .map(|(t, _, _)| t.clone()),
        );
        let conn = Connection::open(&path).unwrap();
        let titles = rows(&conn, "projects", &["title".into()]);
        let queued = rows(&conn, "outbox", &["id".into(), "channel_id".into()]);
        // The samples' posts parked for an invitation were parked in 2023, which the bot
        // prunes at start (a season is the most a post waits): as if parked lately.
        conn.execute(
            "UPDATE outbox SET failed_at = ?1 WHERE last_error = 'not_in_channel'",
            [now()],
        )
        .unwrap();
        drop(conn);

        // The app starts on the migrated file and reads the sample projects back.
        let app = spawn_app_on(&path, FakeSlack::start().await).await;
        let health = app.request("GET", "/healthz", &[], "").await;
        assert_eq!(health.status, 200, "from version {version}");
        let list = app
            .slash_in("T1", "U0NEW", "C1", "list retired")
            .await
            .text();
        let list = list + &app.slash_in("T1", "U0NEW", "C1", "list").await.text();
        for title in titles {
            let Value::Text(title) = &title[0] else {
                panic!("title {title:?}")
            };
            assert!(
                list.contains(title.as_str()),
                "from version {version}: {list}"
            );
        }
        // An update's words are found by search, whatever shape the index had before.
        if sample_rows(version).contains("recycling") {
            let found = app.slash_in("T1", "U0NEW", "C1", "search recycling").await;
            assert!(
                found.text().contains("Bin collection day finder"),
                "from version {version}: {}",
                found.text()
            );
        }
        // A published sample is found in the public catalogue by a word its page shows,
        // stemmed ("collecting" finds "collection"), whatever index the version had.
        if sample_rows(version).contains("'bin-collection-day-finder', 17") {
            let found = app
                .request("GET", "/catalogue.json?q=collecting", &[], "")
                .await;
            assert!(
                found.body.contains("Bin collection day finder"),
                "from version {version}: {}",
                found.body
            );
        }
        // What the older version left queued still decodes, and is posted where it was meant
        // (a post parked until the bot is invited, once it is).
        if sample_rows(version).contains("'not_in_channel'") {
            let mut joined = bot_joined(&format!("EvInvited{version}"), "C1");
            joined["team_id"] = "T1".into();
            joined["authorizations"][0]["team_id"] = "T1".into();
            let invited = app.event(&joined).await;
            assert_eq!(invited.status, 200);
        }
        for row in queued {
            let (Value::Integer(id), Value::Text(channel)) = (&row[0], &row[1]) else {
                panic!("outbox row {row:?}")
            };
            let delivered = format!(
                "SELECT message_ts FROM outbox WHERE id = {id} AND delivered_at IS NOT NULL"
            );
            let ts: String = eventually(
                &format!("sample outbox row {id} of v{version} delivered"),
                SHORT,
                || app.db().query_row(&delivered, [], |r| r.get(0)).ok(),
            )
            .await;
            let calls = app.slack.calls("chat.postMessage");
            let post = calls
                .iter()
                .find(|c| c.body["_ts"] == ts.as_str())
                .expect("the post the row records");
            assert_eq!(post.body["channel"], channel.as_str());
            posted_from_samples.push((version, message_text(&post.body)));
        }
    }
    let unfilled: Vec<&&str> = TABLES
        .iter()
        .filter(|t| !filled.contains(**t) && !is_search_index(t))
        .collect();
    assert!(
        unfilled.is_empty(),
        "no sample file puts rows in {unfilled:?}, so nothing shows they survive migrating"
    );
    // sample_v1.sql queued a help reply.
    assert!(
        posted_from_samples
            .iter()
            .any(|(v, text)| *v == 1 && text.contains("/makers pitch &lt;title&gt;")),
        "{posted_from_samples:?}"
    );
}

/// What migrations must fill in for rows written before them (checked on the version-1
/// samples, which go through every migration).
#[test]
fn migrations_fill_in_what_later_versions_rely_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    migrate_samples_from(1, &path);
    let conn = Connection::open(&path).unwrap();
    // 0002: the pitcher is the team's first member (project 1 already had U2).
    let members = rows(&conn, "members", &["project_id".into(), "user_id".into()]);
    let pairs: Vec<(i64, String)> = members
        .iter()
        .map(|r| match (&r[0], &r[1]) {
            (Value::Integer(p), Value::Text(u)) => (*p, u.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    for pair in [(1, "U1"), (1, "U2"), (2, "U2")] {
        assert!(
            pairs.contains(&(pair.0, pair.1.into())),
            "{pair:?} in {pairs:?}"
        );
    }
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    // 0003: last activity is the latest of the pitch and its updates.
    let activity: Vec<(i64, i64)> = conn
        .prepare("SELECT id, last_activity_at FROM projects ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(activity, [(1, 1_700_000_060), (2, 1_700_000_100)]);
}

/// An operator who starts an older build on a newer database is told why it stops, with both
/// versions, and the database is left as it was.
#[test]
fn a_database_from_a_newer_build_is_refused_with_both_versions_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let newer = MIGRATIONS.len() + 1;
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", newer as i64)
        .unwrap();
    // Marked as makers-bot's, as every build since the mark marks its files.
    conn.pragma_update(None, "application_id", makers_bot::store::APPLICATION_ID)
        .unwrap();
    drop(conn);
    let out = crate::binary::bot(dir.path())
        .arg("serve")
        .env("SLACK_SIGNING_SECRET", SECRET)
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("MAKERS_DB", &path)
        .env("MAKERS_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let why = format!(
        "the database is at schema version {newer}, newer than this build knows ({}); use a newer makers-bot, or, to go back to this one, put back the copy made before the upgrade (deploy/README.md, \"Upgrade and roll back\")",
        MIGRATIONS.len()
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("makers-bot: ") && l.ends_with(&why)),
        "{err}"
    );
    let conn = Connection::open(&path).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), newer);
    assert!(tables(&conn).is_empty(), "no migration ran");
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "delete", "not even its journal mode changed");
}

/// An upgrade is one transaction: a migration that fails part of the way through leaves the
/// database as the build before left it (the migrations before it undone too), so that build
/// can still serve it.
#[test]
fn an_upgrade_that_fails_half_way_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0043");
    let before = schema_version(&conn).unwrap();
    let tables_before = tables(&conn);
    // 0043 renames "… London Borough of" councils; 0044 makes `channels`: one already there
    // makes it fail, after the rename has run in the same upgrade.
    conn.execute_batch(
        "INSERT INTO councils (id, team_id, match_key, name, created_at)
             VALUES (1, 'T1', 'hackney', 'Hackney London Borough of', 1);
         CREATE TABLE channels (x);",
    )
    .unwrap();
    let err = migrate_to(&mut conn, before + 2).unwrap_err();
    assert!(
        format!("{err:#}").contains("the database is as it was"),
        "{err:#}"
    );
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, before as i64);
    let mut expected = tables_before;
    expected.push("channels".to_string());
    expected.sort();
    let mut now = tables(&conn);
    now.sort();
    assert_eq!(now, expected, "nothing of the upgrade is left");
    let name: String = conn
        .query_row("SELECT name FROM councils WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Hackney London Borough of", "the rename undone");
}

/// Two processes of this build opening an older database at once (`serve` starting while an
/// operator's command migrates it): one migrates, and the other, having waited for it, finds
/// the database up to date and goes on. (It ran the same migrations again, and failed as if
/// the file could not be used: "migration 0040_forget_ledger.sql failed; the database is as
/// it was: table forget_ledger already exists".)
#[test]
fn two_processes_migrating_at_once_both_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    migrate_to_before(&mut conn, "0040_");
    // A third holds the write lock while both read the older version and wait for it.
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let migrating: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut conn = Connection::open(&path).unwrap();
                // However slow the other's migration and its sync, this one waits for it.
                conn.busy_timeout(std::time::Duration::from_secs(60))
                    .unwrap();
                migrate(&mut conn).map_err(|e| format!("{e:#}"))
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    conn.execute_batch("ROLLBACK").unwrap();
    for m in migrating {
        assert_eq!(m.join().unwrap(), Ok(()));
    }
    assert_eq!(schema_version(&conn).unwrap(), MIGRATIONS.len());
}

/// Version 11 makes a council one council across workspaces: copies of it recorded in
/// several workspaces merge into the oldest, and whatever pointed at a copy points at it.
#[test]
fn councils_recorded_in_several_workspaces_merge_into_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to(&mut conn, 10).unwrap();
    conn.execute_batch(
        "INSERT INTO councils (id, team_id, match_key, name, created_at) VALUES
             (1, 'T1', 'guildford', 'Guildford Borough Council', 1),
             (2, 'T2', 'guildford', 'Guildford BC', 2),
             (3, 'T2', 'waverley', 'Waverley', 3),
             (4, 'T3', 'guildford', 'guildford', 4);
         INSERT INTO people (team_id, user_id, council_id, updated_at) VALUES
             ('T1', 'U1', 1, 1), ('T2', 'U2', 2, 1), ('T2', 'U3', 3, 1), ('T3', 'U4', 4, 1);
         INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, pitcher_council_id,
                               last_activity_at)
         VALUES (1, 'T1', 1, 'A', '', 'discovery', 'U1', 'C1', 1, 1, 1, 1),
                (2, 'T2', 1, 'B', '', 'discovery', 'U2', 'C2', 1, 1, 2, 1),
                (3, 'T2', 2, 'C', '', 'discovery', 'U3', 'C2', 1, 1, 3, 1);
         INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
         VALUES (3, 1, 'first', 'U1', 1, 1), (3, 2, 'second', 'U2', 2, 2),
                (3, 4, 'third', 'U4', 3, 3), (1, 2, '', 'U2', 1, 1), (2, 3, '', 'U3', 1, 1);",
    )
    .unwrap();
    // As the app migrates: with foreign keys enforced.
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrate(&mut conn).unwrap();
    let ids = |sql: &str| -> Vec<i64> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(ids("SELECT id FROM councils ORDER BY id"), [1, 3]);
    let name: String = conn
        .query_row("SELECT name FROM councils WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        name, "Guildford Borough Council",
        "the first spelling stays"
    );
    assert_eq!(
        ids("SELECT council_id FROM people ORDER BY user_id"),
        [1, 1, 3, 1]
    );
    assert_eq!(
        ids("SELECT pitcher_council_id FROM projects ORDER BY id"),
        [1, 1, 3]
    );
    assert_eq!(
        ids("SELECT council_id FROM reuses WHERE project_id = 3"),
        [1],
        "one re-use per project and council"
    );
    assert_eq!(
        ids("SELECT council_id FROM reuses WHERE project_id = 1"),
        [1]
    );
    assert_eq!(ids("SELECT COUNT(*) FROM pragma_foreign_key_check"), [0]);
    // From now on one name is one council, whichever workspace records it.
    let again = conn.execute(
        "INSERT INTO councils (team_id, match_key, name, created_at) VALUES ('T9', 'guildford', 'G', 9)",
        [],
    );
    assert!(again.is_err());
}

/// 0020 notes the projects whose announcement already failed for good (refused by Slack,
/// failed with the app's removal, or its row gone), and only those: not one owed, nor one
/// parked for an invitation.
#[test]
fn announcements_refused_before_0020_are_noted_on_their_projects() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0020_");
    let announcement = |id: i64| {
        format!(
            r#"{{"v":2,"notice":{{"kind":"announcement","project_id":{id},"number":{id},"title":"T","description":"","pitcher":"U1","join_emoji":"raised_hand"}}}}"#
        )
    };
    let failed = [
        (1, Some("is_archived")),
        (2, Some("not_in_channel")),
        (3, Some("token_revoked")),
        (4, Some("workspace uninstalled the app (app_uninstalled)")),
        (5, None),
    ];
    let project = |id: i64, created_at: i64| {
        conn.execute(
            "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                                   channel_id, created_at, updated_at, last_activity_at)
             VALUES (?1, 'T1', ?1, 'T', '', 'discovery', 'U1', 'C1', ?2, 1, 1)",
            [id, created_at],
        )
        .unwrap();
    };
    for (id, last_error) in failed {
        project(id, 1);
        conn.execute(
            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at,
                                 failed_at, attempts, last_error)
             VALUES ('T1', 'C1', ?1, 1, 1, CASE WHEN ?2 IS NOT NULL THEN 1700000009 END, 1, ?2)",
            rusqlite::params![announcement(id), last_error],
        )
        .unwrap();
    }
    // Project 6's announcement row is gone (pruned once failed).
    project(6, 1600000000);
    migrate(&mut conn).unwrap();
    let refused: Vec<(i64, Option<i64>)> = conn
        .prepare("SELECT id, announcement_refused_at FROM projects ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let at = Some(1700000009);
    let expected = [
        (1, at),
        (2, None),
        (3, at),
        (4, at),
        (5, None),
        (6, Some(1600000000)),
    ];
    assert_eq!(refused, expected);
}

/// A published "Grit bin finder" described as `typed`, indexed for the catalogue's search as
/// `indexed` (the text as a build before `migration` showed it), migrated on from before it;
/// the bot started on the result, and how many projects a visitor's search for each of
/// `queries` finds.
async fn catalogue_hits_after(
    migration: &str,
    typed: &str,
    indexed: &str,
    queries: &[&str],
) -> Vec<usize> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let mut conn = Connection::open(&path).unwrap();
    migrate_to_before(&mut conn, migration);
    conn.execute(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at, slug,
                               published_at)
         VALUES (1, 'T1', 1, 'Grit bin finder', ?1, 'beta', 'U1', 'C1', 1, 1, 1,
                 'grit-bin-finder', 2)",
        [typed],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO catalogue_search (rowid, name, description)
         VALUES (1, 'Grit bin finder', ?1)",
        [indexed],
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    drop(conn);
    let app = spawn_app_on(&path, FakeSlack::start().await).await;
    let mut hits = Vec::new();
    for q in queries {
        let a = app
            .request("GET", &format!("/catalogue.json?q={q}"), &[], "")
            .await;
        hits.push(a.json()["projects"].as_array().unwrap().len());
    }
    hits
}

/// 0030 makes the catalogue's search index again for every published project: one made from
/// the text as shown before held a Slack address's ids (now shown as "a link in Slack"), and
/// a visitor's search would find the project by them.
#[tokio::test]
async fn the_catalogue_search_is_made_again_without_slack_addresses() {
    let hits = catalogue_hits_after(
        "0030_",
        "See <https://councils.slack.com/archives/C0SECRET/p1700000000000100>",
        "See https://councils.slack.com/archives/C0SECRET/p1700000000000100",
        &["grit", "C0SECRET", "archives"],
    )
    .await;
    // Found by what its page shows, not by the id it no longer shows.
    assert_eq!(hits, [1, 0, 0]);
}

/// 0038 makes it again once more: a channel's name (which may be a private channel's) is now
/// shown as "a channel", and a visitor's search must not find the project by the name.
#[tokio::test]
async fn the_catalogue_search_is_made_again_without_channel_names() {
    let hits = catalogue_hits_after(
        "0038_",
        "Talk to us in <#C0HR|hr-restructure>",
        "Talk to us in #hr-restructure",
        &["grit", "restructure"],
    )
    .await;
    assert_eq!(hits, [1, 0]);
}

/// 0056 makes it again once more: a Slack address left as typed (in code, or where linking
/// it would have made the text too long) is now shown as "a link in Slack" too, and its
/// page, its data and a visitor's search must not give its channel's id.
#[tokio::test]
async fn the_catalogue_search_is_made_again_without_slack_addresses_as_typed() {
    let typed = "See the thread `https://acme.slack.com/archives/C0SECRET/p1700000000000100`";
    let hits = catalogue_hits_after("0056_", typed, typed, &["grit", "C0SECRET", "acme"]).await;
    assert_eq!(hits, [1, 0, 0]);
}

/// 0059 makes it again once more: Slack's desktop deep links (`slack://…`) and its avatar
/// host (`slack-edge.com`) are now shown as "a link in Slack" too, and a visitor's search
/// must not find a project by the workspace's, channel's or person's ids they hold.
#[tokio::test]
async fn the_catalogue_search_is_made_again_without_slack_deep_links() {
    let typed = "Ask in slack://channel?team=T0123ABC&id=C0SECRET or see \
                 https://ca.slack-edge.com/T0123ABC-U0456DEF-abc-512";
    let hits = catalogue_hits_after(
        "0059_",
        typed,
        typed,
        &["grit", "C0SECRET", "T0123ABC", "U0456DEF"],
    )
    .await;
    assert_eq!(hits, [1, 0, 0, 0]);
}

/// How many services the catalogue's search finds for `q`.
async fn found(app: &TestApp, q: &str) -> usize {
    let a = app
        .request("GET", &format!("/catalogue.json?q={q}"), &[], "")
        .await;
    a.json()["projects"].as_array().unwrap().len()
}

/// 0039 makes it again once more: an e-mail address written as a web address carries one
/// (`%40`) is now taken out of what the catalogue shows, and must not find the project.
#[tokio::test]
async fn the_catalogue_search_is_made_again_without_escaped_email_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let mut conn = Connection::open(&path).unwrap();
    migrate_to_before(&mut conn, "0039_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at, slug,
                               published_at)
         VALUES (1, 'T1', 1, 'Grit bin finder',
                 'Report one at https://forms.example/f?owner=sam%40council.gov.uk',
                 'beta', 'U1', 'C1', 1, 1, 1, 'grit-bin-finder', 2);
         INSERT INTO catalogue_search (rowid, name, description)
         VALUES (1, 'Grit bin finder',
                 'Report one at https://forms.example/f?owner=sam%40council.gov.uk');",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    drop(conn);
    let app = spawn_app_on(&path, FakeSlack::start().await).await;
    let json = app.request("GET", "/catalogue.json", &[], "").await.body;
    assert!(!json.contains("sam"), "{json}");
    assert_eq!(found(&app, "grit").await, 1, "found by what its page shows");
    assert_eq!(found(&app, "sam").await, 0, "not by the address taken out");
}

/// 0047 makes it again for the emoji and styles the catalogue now shows: a project indexed
/// by its `:tada:` code and `*Gritting*` marker is found by what its page shows, not by a
/// code it no longer shows.
#[tokio::test]
async fn the_catalogue_search_is_made_again_as_emoji_and_styles_show() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let mut conn = Connection::open(&path).unwrap();
    migrate_to_before(&mut conn, "0047_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at, slug,
                               published_at)
         VALUES (1, 'T1', 1, '*Gritting* routes :snowflake:', 'Live :tada:',
                 'beta', 'U1', 'C1', 1, 1, 1, 'gritting-routes-snowflake', 2);
         INSERT INTO catalogue_search (rowid, name, description)
         VALUES (1, '*Gritting* routes :snowflake:', 'Live :tada:');",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    drop(conn);
    let app = spawn_app_on(&path, FakeSlack::start().await).await;
    assert_eq!(
        found(&app, "gritting").await,
        1,
        "found by what its page shows"
    );
    assert_eq!(
        found(&app, "tada").await,
        0,
        "not by a code it no longer shows"
    );
    let page = app
        .request("GET", "/catalogue/gritting-routes-snowflake", &[], "")
        .await
        .body;
    assert!(page.contains("<h1>Gritting routes ❄️</h1>"), "{page}");
}

/// The operator's commands that only read (`export`, `digest --dry-run`) change nothing in
/// the file, its schema included: a database an older build wrote is refused with what to
/// do, not migrated under a `serve` of that build (which would then refuse it at its next
/// start).
#[test]
fn reading_commands_leave_an_older_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let older = MIGRATIONS.len() - 1;
    let mut conn = Connection::open(&path).unwrap();
    migrate_to(&mut conn, older).unwrap();
    drop(conn);
    for args in [
        vec!["export"],
        vec!["digest", "--dry-run", "--channel", "C0MAKERS"],
    ] {
        let out = crate::binary::bot(dir.path())
            .env("MAKERS_DB", &path)
            .args(&args)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("start this build's makers-bot serve"),
            "{said}"
        );
        let conn = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), older, "{args:?}");
    }
}

/// The operator's commands that write, run with this build beside a running `serve` of an
/// older one, change nothing, its schema included: migrated under that `serve`, the file
/// would be written by it with the old rules, and refused at its next start. They say what
/// to do instead.
#[test]
fn writing_commands_beside_an_older_serve_leave_its_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let older = MIGRATIONS.len() - 1;
    let mut conn = Connection::open(&path).unwrap();
    migrate_to(&mut conn, older).unwrap();
    drop(conn);
    // As the older build's `serve` holds it.
    let _serving = makers_bot::db_lock::hold(&path).unwrap();
    for args in [
        vec!["forget", "--team", "T1", "--user", "U0GONE"],
        vec!["erase", "--team", "T1", "--yes"],
        vec!["takedown", "--team", "T1", "--project", "1"],
        vec!["digest", "--now"],
    ] {
        let out = crate::binary::bot(dir.path())
            .env("MAKERS_DB", &path)
            .env("SLACK_BOT_TOKEN", "xoxb-test")
            .args(&args)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("stop that serve") && said.contains("Nothing was changed"),
            "{args:?}: {said}"
        );
        let conn = Connection::open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), older, "{args:?}");
    }
}

/// 0033 notes where each re-use was said: in its project's workspace, or, for one said by
/// catalogue address before the column, where its sayer's council is that council.
#[test]
fn reuses_said_before_0033_are_noted_where_they_were_said() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0033_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at)
         VALUES (1, 'T1', 1, 'T', '', 'discovery', 'U1', 'C1', 1, 1, 1);
         INSERT INTO councils (id, team_id, match_key, name, created_at)
         VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1),
                (2, 'T2', 'waverley', 'Waverley Borough Council', 1);
         INSERT INTO people (team_id, user_id, council_id, updated_at)
         VALUES ('T1', 'U1', 1, 1), ('T2', 'U9', 2, 1), ('T1', 'U9', NULL, 1);
         INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
         VALUES (1, 2, 'by address', 'U9', 1, 1);
         INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at)
         VALUES (2, 'T2', 1, 'U', '', 'discovery', 'U9', 'C2', 1, 1, 1);
         INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
         VALUES (2, 1, 'by number', 'U1', 1, 1);",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let said: Vec<(i64, String)> = conn
        .prepare("SELECT project_id, said_in FROM reuses ORDER BY project_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // U9's re-use of T1's project was said in T2 (where U9's council is Waverley); U1's of
    // T2's project in T1 (a guest's row has no council; U1 has Guildford only in T1).
    assert_eq!(said, [(1, "T2".to_string()), (2, "T1".to_string())]);
}

/// The councils' names, by id.
fn council_names(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM councils ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Members whose membership change was pruned before 0057 (three days after they joined)
/// get one back, dated as their join, saying the thread says they joined; a row kept is
/// left as it was, and nobody outside a team, nor whoever pitched it, gets one.
#[test]
fn members_before_0057_are_noted_as_announced() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0057_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at)
         VALUES (1, 'T1', 1, 'A', '', 'alpha', 'U1', 'C1', 1, 1, 1);
         INSERT INTO members (project_id, user_id, joined_at)
         VALUES (1, 'U1', 1), (1, 'U2', 1700000000), (1, 'U3', 1700000000);
         INSERT INTO membership_changes (project_id, user_id, changed_us, join_line_stands)
         VALUES (1, 'U3', 1700000001000000, 0), (1, 'U4', 1700000002000000, 0);",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let rows: Vec<(String, i64, bool, bool)> = conn
        .prepare(
            "SELECT user_id, changed_us, join_line_stands, join_line_taken_back_quietly
               FROM membership_changes ORDER BY user_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // U1 pitched it: the thread never said U1 joined, and no row is made.
    assert_eq!(
        rows,
        [
            ("U2".to_string(), 1_700_000_000_000_000, true, false),
            ("U3".to_string(), 1_700_000_001_000_000, false, false),
            ("U4".to_string(), 1_700_000_002_000_000, false, false),
        ]
    );
}

/// A member whose join was still kept when a build before 0041 was upgraded (builds before
/// it kept the row three days) is noted as announced, as 0057 notes those whose row went:
/// the row, kept from 0057 on while they are in the team, would otherwise say the line never
/// went out, and a *Leave* pressed by mistake and a join again would be announced again.
#[tokio::test]
async fn members_whose_join_was_kept_before_0041_are_not_announced_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    // sample_v2.sql: U2 joined U1's project #1, and the row of that join is kept.
    migrate_samples_from(2, &path);
    let app = spawn_app_on(&path, FakeSlack::start().await).await;
    // (A nudge for news, which names the team, may go out at start too.)
    let u2_joined = |app: &TestApp| {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| message_text(&c.body).contains("<@U2> joined"))
            .count()
    };
    app.slash_in("T1", "U2", "C1", "leave 1").await;
    let a = app.slash_in("T1", "U2", "C1", "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    app.outbox_settled().await;
    app.marker_posted().await;
    assert_eq!(
        u2_joined(&app),
        0,
        "no line in the thread, no DM to the lead"
    );
}

/// Every channel a project was pitched in before 0044 is to be asked about at once (whether
/// it is private), each once however many projects it holds; none is taken for either yet.
#[test]
fn channels_of_projects_before_0044_are_to_be_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0044_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at)
         VALUES (1, 'T1', 1, 'A', '', 'discovery', 'U1', 'C1', 1, 1, 1),
                (2, 'T1', 2, 'B', '', 'alpha', 'U1', 'C1', 1, 1, 1),
                (3, 'T1', 3, 'C', '', 'retired', 'U2', 'G2', 1, 1, 1),
                (4, 'T2', 1, 'D', '', 'discovery', 'U3', 'C1', 1, 1, 1);",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let channels: Vec<(String, String, Option<i64>, Option<i64>)> = conn
        .prepare("SELECT team_id, channel_id, private, ask_at FROM channels ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let asked_at_once = |t: &str, c: &str| (t.to_string(), c.to_string(), None, Some(0));
    assert_eq!(
        channels,
        [
            asked_at_once("T1", "C1"),
            asked_at_once("T1", "G2"),
            asked_at_once("T2", "C1")
        ]
    );
}

/// Council names an earlier build made of "LB of Hackney" and "Hackney LB" are put as this
/// build spells them; others are left as they were.
#[test]
fn london_borough_names_spelt_wrong_before_0043_are_put_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0043_");
    conn.execute_batch(
        "INSERT INTO councils (id, team_id, match_key, name, created_at)
         VALUES (1, 'T1', 'hackney', 'London Borough of of Hackney', 1),
                (2, 'T1', 'tower hamlets', 'Tower Hamlets London Borough of', 1),
                (3, 'T1', 'camden', 'London Borough of Camden', 1),
                (4, 'T1', 'guildford', 'Guildford Borough Council', 1);",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let councils = council_names(&conn);
    assert_eq!(
        councils,
        [
            "London Borough of Hackney",
            "London Borough of Tower Hamlets",
            "London Borough of Camden",
            "Guildford Borough Council"
        ]
    );
}

/// Councils called "None", "N/A" and the like, recorded before they were refused, are let go:
/// the person and the pitch that had one have none, and the council goes, with a re-use said
/// for it (which nobody could withdraw, since nobody can speak for it again).
#[test]
fn councils_called_none_before_0035_are_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0035_");
    conn.execute_batch(
        "INSERT INTO councils (id, team_id, match_key, name, created_at)
         VALUES (1, 'T1', 'none', 'None', 1), (2, 'T1', 'n a', 'N/A', 1),
                (3, 'T1', 'guildford', 'Guildford Borough Council', 1),
                (4, 'T2', 'tbc', 'TBC', 1), (5, 'T2', 'nonesuch', 'Nonesuch', 1);
         INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, created_at, updated_at, last_activity_at,
                               pitcher_council_id)
         VALUES (1, 'T1', 1, 'T', '', 'discovery', 'U1', 'C1', 1, 1, 1, 1),
                (2, 'T1', 2, 'U', '', 'discovery', 'U2', 'C1', 1, 1, 1, 3);
         INSERT INTO people (team_id, user_id, council_id, updated_at, council_said_at,
                             council_offer)
         VALUES ('T1', 'U1', 1, 1, 1, NULL), ('T1', 'U2', 3, 1, 1, NULL),
                ('T2', 'U1', 4, 1, 1, NULL), ('T2', 'U3', 5, 1, 1, 'unknown'),
                ('T1', 'U4', NULL, 1, NULL, 'guildfrod');
         INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at,
                             said_in)
         VALUES (2, 2, 'we use it', 'U5', 1, 1, 'T1');",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let councils = council_names(&conn);
    assert_eq!(councils, ["Guildford Borough Council", "Nonesuch"]);
    type Person = (String, String, Option<i64>, Option<i64>, Option<String>);
    let people: Vec<Person> = conn
        .prepare(
            "SELECT team_id, user_id, council_id, council_said_at, council_offer
               FROM people ORDER BY team_id, user_id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let person = |t: &str, u: &str, c: Option<i64>, at: Option<i64>, offer: Option<&str>| {
        (t.to_string(), u.to_string(), c, at, offer.map(String::from))
    };
    assert_eq!(
        people,
        [
            person("T1", "U1", None, None, None),
            person("T1", "U2", Some(3), Some(1), None),
            person("T1", "U4", None, None, Some("guildfrod")),
            person("T2", "U1", None, None, None),
            person("T2", "U3", Some(5), Some(1), None),
        ]
    );
    let leads: Vec<Option<i64>> = conn
        .prepare("SELECT pitcher_council_id FROM projects ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(leads, [None, Some(3)]);
    let reuses: i64 = conn
        .query_row("SELECT COUNT(*) FROM reuses", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reuses, 0);
}

/// 0051 marks the phase change that retired a project by a merge still standing (at the
/// instant the merge was recorded), and no other: not a plain retirement, nor one of a
/// project merged since brought back.
#[test]
fn phase_changes_that_merged_a_project_are_marked_by_0051() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0051_");
    conn.execute_batch(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, announcement_ts, created_at, updated_at,
                               last_activity_at)
         VALUES (1, 'T1', 1, 'Bin app', '', 'retired', 'U9', 'C9', '1700000000.000500',
                 1700000000, 1700000000, 1700000000),
                (2, 'T1', 2, 'Bin day finder', '', 'beta', 'U8', 'C9', '1700000000.000600',
                 1700000000, 1700000000, 1700000000),
                (3, 'T1', 3, 'Parking', '', 'retired', 'U8', 'C9', '1700000000.000700',
                 1700000000, 1700000000, 1700000000);
         INSERT INTO project_merges (project_id, into_id, merged_at) VALUES (1, 2, 1700100000);
         INSERT INTO phase_changes (project_id, from_phase, to_phase, note, changed_by, changed_at)
         VALUES (1, 'discovery', 'retired', '', 'U9', 1700100000),
                (3, 'alpha', 'retired', '', 'U8', 1700100000),
                (2, 'alpha', 'beta', '', 'U8', 1700100000);",
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    let marked: Vec<(i64, i64)> = conn
        .prepare("SELECT project_id, merge FROM phase_changes ORDER BY project_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(marked, [(1, 1), (2, 0), (3, 0)]);
}

/// Corrections of messages already posted that were still owed when a build before 0064 was
/// upgraded (a forget under way) take the lane of corrections, as those queued after it do;
/// an announcement's correction (posted or not), one delivered and any other post stay in the
/// lane of posts, so a channel sees a project's phase before its thread is told.
#[test]
fn corrections_owed_before_0064_wait_in_their_own_lane() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate_to_before(&mut conn, "0064_");
    let corrected = r#"{"v":2,"notice":{"kind":"update_corrected","number":1}}"#;
    let bare = r#"{"kind":"announcement_corrected","body":{}}"#;
    let waiting = r#"{"v":3,"thread_of":1,"notice":{"kind":"announcement_corrected"}}"#;
    let reply = r#"{"v":2,"notice":{"kind":"reply","reply":{"kind":"help"}}}"#;
    let insert = "INSERT INTO outbox (id, team_id, channel_id, thread_ts, notice,
                                      next_attempt_at, created_at, delivered_at)
                  VALUES (?1, 'T1', 'C1', ?2, ?3, 1, 1, ?4)";
    let ts = Some("1700000000.000100");
    for (id, thread_ts, notice, delivered_at) in [
        (1, ts, corrected, None),
        (2, ts, bare, None),
        (3, None, waiting, None),
        (4, ts, corrected, Some(2)),
        (5, ts, reply, None),
        (6, ts, "not json", None),
    ] {
        conn.execute(
            insert,
            rusqlite::params![id, thread_ts, notice, delivered_at],
        )
        .unwrap();
    }
    migrate(&mut conn).unwrap();
    let lanes: Vec<(i64, i64)> = conn
        .prepare("SELECT id, lane FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lanes, [(1, 1), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0)]);
}
