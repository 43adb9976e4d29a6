//! Migrations apply to an empty database and to one holding rows of each earlier version.

use makers_bot::store::{MIGRATIONS, Store, migrate, migrate_to, schema_version};
use rusqlite::Connection;

/// Sample rows valid at schema version N, inserted before migrating on to the latest.
fn sample_rows(version: usize) -> Option<String> {
    let path = format!(
        "{}/tests/migrations/sample_v{version}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).ok()
}

#[test]
fn all_migrations_apply_to_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("m.db")).unwrap();
    migrate(&mut conn).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), MIGRATIONS.len());
    for table in [
        "projects",
        "members",
        "updates",
        "digest_subscriptions",
        "processed_events",
        "outbox",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{table}");
    }
    migrate(&mut conn).unwrap();
    assert_eq!(
        schema_version(&conn).unwrap(),
        MIGRATIONS.len(),
        "running again changes nothing"
    );
}

#[test]
fn migrations_keep_the_rows_of_every_earlier_version() {
    for version in 1..=MIGRATIONS.len() {
        let Some(rows) = sample_rows(version) else {
            panic!("tests/migrations/sample_v{version}.sql is missing: add sample rows for it");
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_to(&mut conn, version).unwrap();
        conn.execute_batch(&rows).unwrap();
        let before: i64 = conn
            .query_row("SELECT COUNT(*) FROM projects", [], |r| r.get(0))
            .unwrap();
        assert!(before > 0, "sample_v{version}.sql inserts projects");
        migrate(&mut conn).unwrap();
        let after: i64 = conn
            .query_row("SELECT COUNT(*) FROM projects", [], |r| r.get(0))
            .unwrap();
        assert_eq!(before, after, "from version {version}");
        drop(conn);
        // And the app opens it.
        let store = Store::open(&path).unwrap();
        assert!(store.is_healthy());
    }
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", (MIGRATIONS.len() + 1) as i64)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).err().expect("refused").to_string();
    assert!(err.contains("migrate"), "{err}");
}
