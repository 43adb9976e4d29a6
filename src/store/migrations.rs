//! Forward-only migrations: the numbered files in `migrations/`, embedded at build time and
//! applied at start, all those pending in one transaction with one `PRAGMA user_version` bump.

use anyhow::{Context, bail};
use rusqlite::{Connection, TransactionBehavior};

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
    (
        "0013_health_probe.sql",
        include_str!("../../migrations/0013_health_probe.sql"),
    ),
    (
        "0014_outbox_heads.sql",
        include_str!("../../migrations/0014_outbox_heads.sql"),
    ),
    (
        "0015_update_search.sql",
        include_str!("../../migrations/0015_update_search.sql"),
    ),
    (
        "0016_oauth_states_used.sql",
        include_str!("../../migrations/0016_oauth_states_used.sql"),
    ),
    (
        "0017_removed_workspaces.sql",
        include_str!("../../migrations/0017_removed_workspaces.sql"),
    ),
    (
        "0018_catalogue_search.sql",
        include_str!("../../migrations/0018_catalogue_search.sql"),
    ),
    (
        "0019_parked_posts.sql",
        include_str!("../../migrations/0019_parked_posts.sql"),
    ),
    (
        "0020_announcement_refused.sql",
        include_str!("../../migrations/0020_announcement_refused.sql"),
    ),
    (
        "0021_digest_stopped.sql",
        include_str!("../../migrations/0021_digest_stopped.sql"),
    ),
    (
        "0022_token_refusals.sql",
        include_str!("../../migrations/0022_token_refusals.sql"),
    ),
    (
        "0023_search_noted_by_inserts.sql",
        include_str!("../../migrations/0023_search_noted_by_inserts.sql"),
    ),
    (
        "0024_catalogue_holds.sql",
        include_str!("../../migrations/0024_catalogue_holds.sql"),
    ),
    (
        "0025_update_lines.sql",
        include_str!("../../migrations/0025_update_lines.sql"),
    ),
    (
        "0026_handover.sql",
        include_str!("../../migrations/0026_handover.sql"),
    ),
    (
        "0027_retired_slugs.sql",
        include_str!("../../migrations/0027_retired_slugs.sql"),
    ),
    (
        "0028_withdrawn_updates.sql",
        include_str!("../../migrations/0028_withdrawn_updates.sql"),
    ),
    (
        "0029_digest_posted.sql",
        include_str!("../../migrations/0029_digest_posted.sql"),
    ),
    (
        "0030_catalogue_search_again.sql",
        include_str!("../../migrations/0030_catalogue_search_again.sql"),
    ),
    (
        "0031_outbox_ids_never_reused.sql",
        include_str!("../../migrations/0031_outbox_ids_never_reused.sql"),
    ),
    (
        "0032_people_indexes.sql",
        include_str!("../../migrations/0032_people_indexes.sql"),
    ),
    (
        "0033_reuses_said_in.sql",
        include_str!("../../migrations/0033_reuses_said_in.sql"),
    ),
    (
        "0034_council_said_at.sql",
        include_str!("../../migrations/0034_council_said_at.sql"),
    ),
    (
        "0035_no_councils_called_none.sql",
        include_str!("../../migrations/0035_no_councils_called_none.sql"),
    ),
    (
        "0036_digest_lost.sql",
        include_str!("../../migrations/0036_digest_lost.sql"),
    ),
    (
        "0037_council_first_said_at.sql",
        include_str!("../../migrations/0037_council_first_said_at.sql"),
    ),
    (
        "0038_catalogue_search_channels.sql",
        include_str!("../../migrations/0038_catalogue_search_channels.sql"),
    ),
    (
        "0039_catalogue_search_escaped_emails.sql",
        include_str!("../../migrations/0039_catalogue_search_escaped_emails.sql"),
    ),
    (
        "0040_forget_ledger.sql",
        include_str!("../../migrations/0040_forget_ledger.sql"),
    ),
    (
        "0041_join_line_stands.sql",
        include_str!("../../migrations/0041_join_line_stands.sql"),
    ),
    (
        "0042_left_slack_at.sql",
        include_str!("../../migrations/0042_left_slack_at.sql"),
    ),
    (
        "0043_london_borough_of.sql",
        include_str!("../../migrations/0043_london_borough_of.sql"),
    ),
    (
        "0044_channel_privacy.sql",
        include_str!("../../migrations/0044_channel_privacy.sql"),
    ),
    (
        "0045_council_former_names.sql",
        include_str!("../../migrations/0045_council_former_names.sql"),
    ),
    (
        "0046_digest_subscriber.sql",
        include_str!("../../migrations/0046_digest_subscriber.sql"),
    ),
    (
        "0047_catalogue_search_emoji.sql",
        include_str!("../../migrations/0047_catalogue_search_emoji.sql"),
    ),
    (
        "0048_project_merges.sql",
        include_str!("../../migrations/0048_project_merges.sql"),
    ),
    (
        "0049_channels_shared.sql",
        include_str!("../../migrations/0049_channels_shared.sql"),
    ),
    (
        "0050_day_tallies.sql",
        include_str!("../../migrations/0050_day_tallies.sql"),
    ),
    (
        "0051_phase_change_merges.sql",
        include_str!("../../migrations/0051_phase_change_merges.sql"),
    ),
    (
        "0052_memberships_ended.sql",
        include_str!("../../migrations/0052_memberships_ended.sql"),
    ),
    (
        "0053_reuses_ended.sql",
        include_str!("../../migrations/0053_reuses_ended.sql"),
    ),
    (
        "0054_membership_councils.sql",
        include_str!("../../migrations/0054_membership_councils.sql"),
    ),
    (
        "0055_lead_councils_ended.sql",
        include_str!("../../migrations/0055_lead_councils_ended.sql"),
    ),
    (
        "0056_catalogue_search_slack_addresses.sql",
        include_str!("../../migrations/0056_catalogue_search_slack_addresses.sql"),
    ),
    (
        "0057_join_line_taken_back_quietly.sql",
        include_str!("../../migrations/0057_join_line_taken_back_quietly.sql"),
    ),
    (
        "0058_outbox_by_channel.sql",
        include_str!("../../migrations/0058_outbox_by_channel.sql"),
    ),
    (
        "0059_catalogue_search_slack_deep_links.sql",
        include_str!("../../migrations/0059_catalogue_search_slack_deep_links.sql"),
    ),
    (
        "0060_reactions_to_read.sql",
        include_str!("../../migrations/0060_reactions_to_read.sql"),
    ),
    (
        "0061_own_update_messages.sql",
        include_str!("../../migrations/0061_own_update_messages.sql"),
    ),
    (
        "0062_oauth_state_outcome.sql",
        include_str!("../../migrations/0062_oauth_state_outcome.sql"),
    ),
    (
        "0063_people_left_slack.sql",
        include_str!("../../migrations/0063_people_left_slack.sql"),
    ),
    (
        "0064_outbox_correction_lane.sql",
        include_str!("../../migrations/0064_outbox_correction_lane.sql"),
    ),
    (
        "0065_forget_ledger_applied_at.sql",
        include_str!("../../migrations/0065_forget_ledger_applied_at.sql"),
    ),
];

/// Whether the database's schema has the tables of the bot tokens and their key check
/// (`0012_multi_workspace.sql`, which no later migration changes): from there on the stored
/// tokens' key can be checked before the schema is brought up to date.
pub fn holds_tokens(conn: &Connection) -> anyhow::Result<bool> {
    let since = MIGRATIONS
        .iter()
        .position(|(name, _)| *name == "0012_multi_workspace.sql")
        .expect("0012_multi_workspace.sql is one of MIGRATIONS")
        + 1;
    Ok(schema_version(conn)? >= since)
}

/// The schema version recorded in the database.
pub fn schema_version(conn: &Connection) -> anyhow::Result<usize> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    usize::try_from(v).context("negative user_version")
}

/// The schema version of a makers-bot database, or why the file is not one this build may
/// open: another application's first (its own `user_version` is not a newer build's), then
/// a newer build's.
pub fn refuse_foreign_or_newer(conn: &Connection) -> anyhow::Result<usize> {
    refuse_foreign(conn)?;
    refuse_newer(conn)
}

/// The schema version, or an error if a newer build wrote the database.
pub fn refuse_newer(conn: &Connection) -> anyhow::Result<usize> {
    let current = schema_version(conn)?;
    if current > MIGRATIONS.len() {
        bail!(
            "the database is at schema version {current}, newer than this build knows ({}); use a newer makers-bot, or, to go back to this one, put back the copy made before the upgrade (deploy/README.md, \"Upgrade and roll back\")",
            MIGRATIONS.len()
        );
    }
    Ok(current)
}

/// `PRAGMA application_id` of every makers-bot database: "MKRS" in ASCII (0x4D4B5253). SQLite
/// keeps it in the file header (offset 68), where `file(1)` and other tools can see it.
pub const APPLICATION_ID: i32 = 0x4D4B_5253;

/// Tables that only a makers-bot database has together: an unmarked file from before the
/// mark existed is adopted when it has them all.
const OUR_TABLES: &[&str] = &[
    "projects",
    "members",
    "updates",
    "outbox",
    "processed_events",
];

/// Refuses a database that belongs to another application: one marked with another
/// `application_id`, or an unmarked one with tables that are not ours. An empty file is
/// new; an unmarked file with our schema version and tables is ours from before the mark.
/// Call before migrating; [`mark_ours`] after.
pub fn refuse_foreign(conn: &Connection) -> anyhow::Result<()> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(());
    }
    if id != 0 {
        bail!(
            "the file belongs to another application (its application_id is {id:#x}, makers-bot's is {APPLICATION_ID:#x}); point MAKERS_DB at a makers-bot database or a new file"
        );
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let empty = tables.is_empty() && schema_version(conn)? == 0;
    let ours =
        schema_version(conn)? > 0 && OUR_TABLES.iter().all(|t| tables.iter().any(|n| n == t));
    if !(empty || ours) {
        bail!(
            "the file is an SQLite database of another application (it has tables makers-bot did not make and no makers-bot mark); point MAKERS_DB at a makers-bot database or a new file"
        );
    }
    Ok(())
}

/// Marks the database as makers-bot's (a no-op when it already is).
pub fn mark_ours(conn: &Connection) -> anyhow::Result<()> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if id != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

/// Applies the migrations the database has not seen yet. Refuses a database written by a
/// newer binary rather than guess at its schema.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

/// Applies migrations up to schema version `target` (tests build older databases with it),
/// all in one transaction: an upgrade that fails half-way leaves the database as the build
/// before it left it, which that build can still serve (it refuses a newer schema).
pub fn migrate_to(conn: &mut Connection, target: usize) -> anyhow::Result<()> {
    // Up to date: no write lock taken.
    if refuse_newer(conn)? >= target {
        return Ok(());
    }
    // Another process of this build may be migrating it too (`serve` starting beside an
    // operator's command): the version is read again once the write lock is held, so the
    // second finds the first's work done rather than run the same migrations again.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = refuse_newer(&tx)?;
    let wanted: Vec<_> = MIGRATIONS
        .iter()
        .enumerate()
        .take(target)
        .skip(current)
        .collect();
    let Some(&(last, _)) = wanted.last() else {
        return Ok(());
    };
    for (_, (name, sql)) in &wanted {
        tx.execute_batch(sql)
            .with_context(|| format!("migration {name} failed; the database is as it was"))?;
    }
    tx.pragma_update(None, "user_version", (last + 1) as i64)?;
    tx.commit()?;
    for (_, (name, _)) in wanted {
        tracing::info!(migration = name, "applied migration");
    }
    Ok(())
}
