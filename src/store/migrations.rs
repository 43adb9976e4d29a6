//! Forward-only migrations: the numbered files in `migrations/`, embedded at build time and
//! applied at start, each in its own transaction together with its `PRAGMA user_version` bump.

use anyhow::{Context, bail};
use rusqlite::Connection;

/// Every migration, in order; `user_version` N means the first N have been applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../migrations/0001_init.sql"),
    ),
    (
        "0002_teams.sql",
        include_str!("../../migrations/0002_teams.sql"),
    ),
    (
        "0003_progress.sql",
        include_str!("../../migrations/0003_progress.sql"),
    ),
    (
        "0004_digests.sql",
        include_str!("../../migrations/0004_digests.sql"),
    ),
    (
        "0005_reuse.sql",
        include_str!("../../migrations/0005_reuse.sql"),
    ),
    (
        "0006_council_offers.sql",
        include_str!("../../migrations/0006_council_offers.sql"),
    ),
    (
        "0007_search.sql",
        include_str!("../../migrations/0007_search.sql"),
    ),
    (
        "0008_catalogue.sql",
        include_str!("../../migrations/0008_catalogue.sql"),
    ),
    (
        "0009_skills.sql",
        include_str!("../../migrations/0009_skills.sql"),
    ),
    (
        "0010_home.sql",
        include_str!("../../migrations/0010_home.sql"),
    ),
    (
        "0011_pending_joins.sql",
        include_str!("../../migrations/0011_pending_joins.sql"),
    ),
    (
        "0012_multi_workspace.sql",
        include_str!("../../migrations/0012_multi_workspace.sql"),
    ),
];

/// The schema version recorded in the database.
pub fn schema_version(conn: &Connection) -> anyhow::Result<usize> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    usize::try_from(v).context("negative user_version")
}

/// Applies the migrations the database has not seen yet. Refuses a database written by a
/// newer binary rather than guess at its schema.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

/// Applies migrations up to schema version `target` (tests build older databases with it).
pub fn migrate_to(conn: &mut Connection, target: usize) -> anyhow::Result<()> {
    let current = schema_version(conn)?;
    if current > MIGRATIONS.len() {
        bail!(
            "the database is at schema version {current}, newer than this build knows ({}); use a newer makers-bot",
            MIGRATIONS.len()
        );
    }
    let wanted = MIGRATIONS.iter().enumerate().take(target).skip(current);
    for (i, (name, sql)) in wanted {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {name} failed"))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
        tracing::info!(migration = name, "applied migration");
    }
    Ok(())
}
