//! SQLite, behind a small typed API. Only this module writes SQL, always with parameters.
//!
//! [`Store`] is the database itself: one writer connection (SQLite allows one writer at a
//! time anyway) and a few reader connections, all in WAL mode so reads never wait for a
//! write; its calls block. [`AsyncStore`] is its face for async code: it runs them on
//! dedicated threads. Query functions take a `&Connection` (a `Transaction` derefs to one)
//! so several compose in one transaction.
//!
//! A stored row that no longer reads as its type (edited by hand, or by a newer build) is an
//! internal error naming the row, except in the outbox, where it is failed alone so the
//! posts behind it still go out (see `outbox::decode`).

/// SQL for the number of the project `p` was merged into (`merge`), while that one is still
/// open: where `p`'s work carries on (NULL if none). The one rule, for each query that says
/// it; a macro, so each such query is one fixed string.
macro_rules! carries_on_in {
    () => {
        "(SELECT i.number FROM project_merges m JOIN projects i ON i.id = m.into_id
           WHERE m.project_id = p.id AND i.phase <> 'retired')"
    };
}

/// SQL joining, as `li`, the project `p` was merged into, as another workspace may be told of
/// it: only while it is open ([`carries_on_in`]'s rule) and in the public catalogue, where its
/// address and name are public (nothing out of the catalogue crosses workspaces). Its
/// `li.slug` and `li.title` are NULL otherwise. (A project is merged into one project at most.)
macro_rules! listed_into_join {
    () => {
        " LEFT JOIN project_merges lm ON lm.project_id = p.id
          LEFT JOIN projects li ON li.id = lm.into_id
                AND li.published_at IS NOT NULL AND li.phase <> 'retired' "
    };
}

mod async_store;
mod batch;
#[cfg(test)]
pub(crate) mod captured_logs;
pub use batch::{log_once_committed, one_snapshot, step_apart};
mod catalogue;
mod channels;
mod connection;
mod council_correct;
mod council_merge;
mod deadline;
pub use deadline::within;
mod digests;
mod events;
mod home;
mod installations;
mod log_cut;
mod log_restarts;
mod members;
mod merges;
mod migrations;
mod outbox;
mod outbox_heads;
mod pending;
mod people;
mod progress;
mod projects;
mod publishing;
mod reactions_to_read;
mod report;
mod requests;
mod reuses;
mod search;
mod search_sync;
mod skills;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use anyhow::Context;
use connection::{WRITER_CACHE_KIB, connect};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use async_store::{AsyncStore, WriteProbe};
pub use catalogue::{
    Elsewhere, Entries, Listed, ListedProject, MemberCouncils, listed_project, published_elsewhere,
    published_elsewhere_in, published_entries, published_member_councils, published_page,
    published_slugs_of, put_together, search_published,
};
pub use channels::{
    Audience, ChannelSaid, ask_about_channel_at, ask_about_channel_refused, channel_known,
    channel_moved, channel_said, hidden_from, is_hidden, is_private, next_channel_at,
    next_channel_to_ask, note_channel, open_projects_pitched_in, stop_asking_about,
    workspaces_posting_in,
};
pub use connection::{is_busy, is_transient};
pub use council_correct::{
    CorrectionScope, CouncilCorrection, correct_council, council_correction,
};
pub use council_merge::{
    CouncilCounts, CouncilEntry, CouncilMerge, EndedReuse, FormerCouncil, MergedCouncil,
    RecordedCouncil, ReuseEnds, Succession, council_entries, council_name, council_named,
    former_council, merge_councils, successions,
};
pub use digests::{
    Subscription, all_subscriptions, digest_posted_in, digest_refused_at_old_id, digest_snapshot,
    digest_went_out_after_all, drop_queued_digests, lose_subscription, lost_subscription,
    mark_digest_sent, note_digest_posted, owe_digest_from, stop_subscription, subscribe,
    subscriber_to_tell_of_refusal, subscription, subscription_kept, subscriptions_of_channel,
};
pub use events::{
    EVENT_IDS_KEPT_SECS, database_bytes, outbox_backlog, prune_events, prune_outbox, record_event,
    seen_event,
};
pub use home::{council_give_and_take, home_projects, led_from_outside, projects_needing_people};
pub use installations::{
    NewInstallation, QueuedTimed, Standing, StateUse, drop_forget_answers, forget_installations,
    installation_count, installation_moved_into_org, installation_name, installed_again,
    installed_at, installed_in_org_of, installed_org, installed_workspaces, key_check,
    mark_removed, note_token_refused, park_team_posts, prune_states, queued_digests_and_nudges,
    remove_installation, replace_key_check, replace_sealed, save_installation, sealed_tokens,
    serves_others_than, set_key_check, standing, state_installed, take_state,
    token_refused_workspaces, token_works, workspace_of_bot,
};
pub use log_restarts::LitestreamLate;
pub use members::{
    Change, JoinLine, JoinsKept, add_member, asked_now, drop_member, hand_over,
    has_membership_history, is_member, join_line, lead_of, led_or_in_among, left_while_retired,
    member_since_pitch, projects_of_person, prune_membership_changes, set_join_line,
};
pub use merges::{
    MergeTarget, Retirement, carried_on_in, last_retirement, merge_project, merge_target,
    merged_into, not_in_team_of,
};
pub use migrations::{
    APPLICATION_ID, MIGRATIONS, holds_tokens, migrate, migrate_to, schema_version,
};
pub use outbox::{
    AnnouncementFate, BadRow, Lane, NewRow, Settled, StoredPost, WAITING_FOR_CHANNEL,
    announcement_correction_queued, announcement_fate, delete_post, digests_to_come,
    digests_to_come_everywhere, drop_channel_gone_notes, due_now, insert_post, mark_delivered,
    mark_failed, note_http_refused, note_joined, nudges_refused_at_old_id,
    requeue_waiting_for_channel, reschedule, reword_unposted_announcement, reword_update_posts,
    rewrite_post, set_pitcher_told, settled_among, undelivered, update_line_to_come,
    waits_for_invitation, withdraw_announcement_corrections, withdraw_join_line,
    withdraw_lead_left_line,
};
pub use outbox_heads::{Busy, ChannelKey, Heads, due_heads};
pub use pending::{
    ask_again_at, drop_pending_joins, next_reactor_at, next_unknown_reactor, pend_join,
    prune_pending_joins, take_pending_joins, withdraw_join,
};
pub use people::{
    CouncilSaid, back_in_slack, clear_council_offer, council_by_key, council_is_in_use, council_of,
    council_offer, council_said, councils, find_or_add_council, has_left_slack, is_bot,
    is_recorded, members_left_slack, note_left_slack, prune_council_offers, prune_left_slack,
    reactor, say_council, set_council_offer, set_is_bot, settle_left_slack,
};
pub use progress::{
    LatestUpdate, NudgeDue, NudgeNow, PhaseMove, PostedLine, QuietLead, UpdateLine, UpdateNow,
    change_phase, correct_update, due_for_nudge, insert_update, latest_update_by, latest_updates,
    lead_of_quiet_project, mark_nudged, newer_own_edit, nudge_again, nudge_still_due,
    phase_history, posted_update_line, record_update_line, team_to_nudge, update_by_own_message,
    withdraw_update,
};
pub use projects::{
    LeadKept, NewProject, PitchEdit, Viewer, announced_pitch, announcement_of, any_open_project,
    earlier_copy_of_announcement, edit_pitch, head_by_announcement, insert_project, last_activity,
    lead_unled_projects, led_through, list_projects, members_of, newest_pitch_at,
    project_by_number, project_created_at, project_head, project_head_for_operator,
    set_announcement, set_lead_council, team_makeup,
};
pub use publishing::{
    Hold, LinkChange, NewLink, Publication, held_from_catalogue, hold_out_of_catalogue, lift_hold,
    links_of, publish, set_link, unpublish,
};
pub use reactions_to_read::{
    ToRead, drop_reactions_to_read, next_reactions_read_at, next_reactions_to_read,
    reactions_marked, reactions_read, read_reactions_again, read_reactions_at,
};
pub use report::{
    DayTallies, PrivateTitles, ReportScope, council_moves_of, council_part, first_pitched_at,
    happened, open_at, open_led_at, projects_in, record_tallies, report_figures, tallies_due,
    tally_of, tally_or_to_come,
};
pub use requests::{
    EraseMode, Erasure, Forgotten, ForgottenEverywhere, LedgerKept, LedgerMissing, MadeAgain,
    PostedNaming, ReadFailure, Refused, Replay, TeamExport, erase_workspace, export_person,
    export_team, forget_everywhere, forget_requests, forgotten_after, ledger_kept, ledger_missing,
    merge_search_indexes, note_takedown, replay_forget_ledger, takedown_noted, workspaces,
};
pub use reuses::{
    CouncilReuse, NewReuse, Recorded, Reuser, council_reuses, give_and_take, may_change_reuse,
    record_reuse, reuse_count, reuse_said_by, reuse_said_in, reusers_to_tell, reuses_of,
    reuses_project, reuses_said_in_slip, withdraw_reuse,
};
pub use search::search_projects;
pub use search_sync::sync_search;
pub use skills::{
    offered_skills, projects_wanting_skills_of, set_offered_skills, set_wanted_skills,
    wanted_skills,
};

/// Reader connections. `AsyncStore` reads on two threads, each taking the next connection
/// round-robin; twice as many connections as threads means they rarely wait on each other's.
const READERS: usize = 4;
/// WAL frames (4 KiB pages) past which the checkpointer restarts the log: about 16 MiB.
/// (4 MiB was tried: more frequent restarts made p99 worse, 9.6 -> 11.4 ms for pitch.)
const WAL_RESTART_FRAMES: i64 = 4096;
/// How long a checkpoint that must wait for readers waits, holding writers, before it gives
/// up until the next one (see `Store::open_with`).
const CHECKPOINT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(100);
/// Runs the queries in `f`, naming what they were for if they fail (`"cannot record the
/// update"`), so a log line says which step of a request the database refused.
fn doing<T>(what: &'static str, f: impl FnOnce() -> rusqlite::Result<T>) -> anyhow::Result<T> {
    f().context(what)
}

/// The workspace ids `sql` (one column of them) reads with `params`, in its order; an id
/// that does not read as one is passed over.
fn team_ids(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> anyhow::Result<Vec<crate::domain::TeamId>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let ids = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    let mut teams = Vec::new();
    for id in ids {
        teams.extend(crate::domain::TeamId::parse(&id?));
    }
    Ok(teams)
}

/// Who copies the WAL back into the database file (`MAKERS_CHECKPOINTS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Checkpoints {
    /// The bot, from a background thread (see [`Store::checkpoint`]).
    #[default]
    Bot,
    /// Litestream, which runs the bot under `litestream replicate -exec`. It holds a read
    /// transaction to track the WAL and checkpoints itself when it has copied the frames; a
    /// RESTART by the bot would wait on that read (holding up every write for the busy
    /// timeout) or, slipping in while Litestream lets go, reset the log under it, which costs
    /// a fresh snapshot. So the bot leaves checkpoints alone.
    Litestream,
}

impl std::str::FromStr for Checkpoints {
    type Err = ();

    /// `bot` or `litestream`, as `MAKERS_CHECKPOINTS` names them.
    fn from_str(text: &str) -> Result<Checkpoints, ()> {
        match text.to_ascii_lowercase().as_str() {
            "bot" => Ok(Checkpoints::Bot),
            "litestream" => Ok(Checkpoints::Litestream),
            _ => Err(()),
        }
    }
}

/// The database: open it once with [`Store::open`], share it behind an `Arc`.
pub struct Store {
    /// Moves on with every committed write that changed a row (see `slack::reply_cache`),
    /// and when another process is seen to have written ([`Store::notice_outside_writes`]).
    generation: AtomicU64,
    /// The writer connection's `PRAGMA data_version` when last looked at: it moves only when
    /// another connection commits (another process: `makers-bot takedown`, `forget`, …).
    outside_version: AtomicI64,
    /// Moves on only when another process is seen to have written: what is kept until then
    /// (the bot tokens in memory, `slack::tokens`) must not outlive an operator's `erase`.
    outside_writes: AtomicU64,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    /// Copies the WAL back into the database file, off the writer's path.
    checkpointer: Mutex<Connection>,
    checkpoints: Checkpoints,
    /// Watches the log's restarts where Litestream checkpoints.
    log_restarts: Option<log_restarts::LogRestarts>,
    /// A forget committed: the next checkpoint empties the WAL (see [`Store::clear_log`]).
    clear_log: AtomicBool,
    next_reader: AtomicUsize,
    path: std::path::PathBuf,
    /// Which file was opened (`None` where the platform cannot say).
    file: Option<FileId>,
    /// The database file, kept open to read its header (`is_healthy`). Opening and closing
    /// the file anew would drop every POSIX lock this process holds on it, SQLite's
    /// included (closing any descriptor of a file does), and another process would then
    /// take itself for the only user: checkpoint, delete the WAL under the running bot, and
    /// the bot's writes from then on would be lost. Closed after them.
    header: std::fs::File,
    /// Dropped last, once every connection and the header are closed: see [`Closed`].
    closed: tokio::sync::watch::Sender<()>,
}

/// Resolves once the [`Store`] it came from is dropped and its file closed. SQLite's last
/// connection to close checkpoints and deletes the WAL *by its name*: a store still closing
/// after its owner has stopped would delete the WAL of whatever database is put at that
/// path next (a backup put back, a restore).
pub struct Closed(tokio::sync::watch::Receiver<()>);

impl Closed {
    pub async fn wait(mut self) {
        // Nothing is ever sent: this returns (with an error) when the sender is dropped.
        let _ = self.0.changed().await;
    }
}

/// `PRAGMA data_version` of `conn`: moves when another connection commits.
fn data_version(conn: &Connection) -> anyhow::Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Refuses a damaged database file, saying what SQLite's `integrity_check` found first and
/// what to do. A restore can be one (Litestream 0.3.13 is known to make one now and then, its
/// issue 582): served, an index missing rows reads as rows lost, and writes on top of it
/// spread the damage. The full check, not `quick_check`, which does not compare indexes
/// with their tables; at the bot's sizes it takes a second or less.
fn refuse_damaged(conn: &Connection) -> anyhow::Result<()> {
    if let Some(found) = damage(conn)? {
        anyhow::bail!(
            "the database file is damaged (SQLite's integrity_check: {found}): put a good copy in its place, an earlier moment from Litestream (`litestream restore -timestamp`, checked with `makers-bot check`) or a `makers-bot backup` (deploy/README.md, section 5)"
        );
    }
    Ok(())
}

/// What SQLite's full `integrity_check` finds wrong in `conn`'s database (its first three
/// findings), or `None` for a whole file.
pub fn damage(conn: &Connection) -> anyhow::Result<Option<String>> {
    let found: Vec<String> = conn
        .prepare("PRAGMA integrity_check(3)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((found != ["ok"]).then(|| {
        found
            .iter()
            .map(|f| f.trim_start_matches("*** in database main ***").trim())
            .collect::<Vec<_>>()
            .join("; ")
    }))
}

/// A file's identity: device and inode, on Unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

impl FileId {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path)
            .ok()
            .map(|m| FileId(m.dev(), m.ino()))
    }

    #[cfg(not(unix))]
    fn of(_: &Path) -> Option<FileId> {
        None
    }
}

/// Logs what the forget ledger had made again (never who, nor which workspace).
pub fn log_made_again(made: MadeAgain) {
    if made.forgotten > 0 {
        tracing::warn!(
            forgotten_again = made.forgotten,
            "people who asked to be forgotten after this copy of the database was made were forgotten again (the forget ledger beside it lists them)"
        );
    }
    if made.operators > 0 {
        tracing::warn!(
            made_again = made.operators,
            "an operator's takedowns and erases made after this copy of the database was made were made again (the forget ledger beside it lists them)"
        );
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`, checkpointing itself.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        Store::open_with(path, Checkpoints::Bot)
    }

    /// The same, with `checkpoints` saying who copies the WAL back into the file.
    pub fn open_with(path: &Path, checkpoints: Checkpoints) -> anyhow::Result<Store> {
        Store::open_replaying(path, checkpoints, Replay::Copy)
    }

    /// The same, with `replay` saying whether a bot serves the database meanwhile (an
    /// operator's command opened beside `serve`), which the forget ledger's replay heeds.
    pub fn open_replaying(
        path: &Path,
        checkpoints: Checkpoints,
        replay: Replay,
    ) -> anyhow::Result<Store> {
        let mut writer = connect(path, OpenFlags::default())
            .with_context(|| format!("cannot open database {}", path.display()))?;
        // Refused before anything about it changes, its journal mode included.
        migrations::refuse_foreign_or_newer(&writer)?;
        // Under Litestream the bot never checkpoints, also when migrating a file already in
        // WAL mode (SQLite would otherwise checkpoint at the migrations' commit, once the log
        // passes 1000 pages).
        // A setting of this connection alone: the file is not changed by it.
        if checkpoints == Checkpoints::Litestream {
            writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        migrate(&mut writer).context("cannot migrate the database")?;
        migrations::mark_ours(&writer).context("cannot mark the database as makers-bot's")?;
        // Anything noted for the search index but not yet indexed (rows written by hand).
        // And addresses an earlier build made from what the catalogue hides, and councils'
        // keys as an earlier build made them.
        writer.execute_batch("BEGIN IMMEDIATE")?;
        sync_search(&writer)?;
        let moved = publishing::repair_slugs(&writer)?;
        let rekeyed = people::rekey_councils(&writer)?;
        // Whoever asked to be forgotten after this copy of the database was made (one put
        // back from a backup) is forgotten again before anything is served, and an
        // operator's takedowns and erases since are made again.
        let made_again = requests::replay_forget_ledger(&writer, replay)?;
        writer.execute_batch("COMMIT")?;
        log_made_again(made_again);
        // Loud, not a refusal: the latest copy put back on a new machine without its ledger
        // is a fair restore; an older one brings back whoever asked to be forgotten since.
        if let Some(missing) = requests::ledger_missing(&writer)? {
            tracing::error!("{missing}");
        }
        if moved > 0 {
            tracing::info!(moved, "catalogue addresses that named people moved");
        }
        if rekeyed > 0 {
            tracing::info!(
                rekeyed,
                "councils (and former councils' names) told apart or merged by their names"
            );
        }
        writer
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .context("cannot switch the database to WAL")?;
        // Checkpoints happen in `checkpoint`, called from a background thread, so a commit
        // never stalls to copy the WAL (they would otherwise run inside every 1000th page);
        // or in Litestream (see `Checkpoints`), which wants no other checkpointer.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        // When the log restarts, cut the file back rather than keep its high-water size; not
        // under Litestream, whose copy may not yet have the old log's end: the first commit in
        // a restarted log would cut it off (SQLite cuts the file then), and those frames would
        // be missing from the replica. (Litestream truncates it only past 2 GB.) There the
        // file is cut back once Litestream is on the restarted log (see `log_cut`).
        if checkpoints == Checkpoints::Bot {
            writer.pragma_update(None, "journal_size_limit", WAL_RESTART_FRAMES * 4096)?;
        }
        // A write batch changes pages of many tables and indexes at once; they stay in memory
        // until the commit instead of spilling into the WAL mid-batch.
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        // A batch run again after a failure runs each unit in a savepoint, whose journal of
        // the pages it changed would otherwise be a temporary file, and SQLite keeps a
        // statement journal for some statements of every batch. (Only the
        // writer: a reader's big sort may still spill to a file rather than to memory.)
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        let log_restarts = match checkpoints {
            Checkpoints::Bot => None,
            Checkpoints::Litestream => {
                let log = log_restarts::LogRestarts::new(path);
                log.count_frames(&mut writer)?;
                Some(log)
            }
        };
        let checkpointer = connect(path, OpenFlags::default())?;
        // A RESTART or TRUNCATE checkpoint holds every writer while it waits for readers on
        // older snapshots (a `backup`, an `export`): it gives up soon and is tried again at a
        // later checkpoint, rather than stall the writes behind it for the full busy timeout.
        checkpointer.busy_timeout(CHECKPOINT_BUSY_TIMEOUT)?;
        let readers = (0..READERS)
            .map(|_| {
                connect(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map(Mutex::new)
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .context("cannot open read connections")?;
        // Opened while SQLite's connections are open, and closed only after them.
        let header = std::fs::File::open(path).context("cannot open the database file")?;
        let outside_version = data_version(&writer)?;
        let store = Store {
            header,
            closed: tokio::sync::watch::Sender::new(()),
            generation: AtomicU64::new(0),
            outside_version: AtomicI64::new(outside_version),
            outside_writes: AtomicU64::new(0),
            writer: Mutex::new(writer),
            readers,
            checkpointer: Mutex::new(checkpointer),
            checkpoints,
            log_restarts,
            clear_log: AtomicBool::new(false),
            next_reader: AtomicUsize::new(0),
            path: path.to_path_buf(),
            file: FileId::of(path),
        };
        // As after any forget: their rows as they were stay in the WAL's older frames.
        if made_again.any() && !matches!(store.clear_log_now(), Ok(true)) {
            store.clear_log();
        }
        Ok(store)
    }

    /// Whether the existing file at `path` is one [`Store::open`] would take (a makers-bot
    /// database, or an empty file, from this build or an older one), writable and whole;
    /// read only. Gives the read-only connection it checked with, for more checks.
    pub fn check_existing(path: &Path) -> anyhow::Result<Connection> {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .context("cannot open the file for writing")?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        migrations::refuse_foreign_or_newer(&conn)?;
        refuse_damaged(&conn)?;
        Ok(conn)
    }

    /// How many requests the forget ledger lists that the database `conn` has open (read only,
    /// as [`Store::check_existing`] gives it) has not made, a copy put back from before them
    /// (someone asked to be forgotten, an operator's takedown or erase); 0 for a database an older build wrote, which `serve` migrates before it
    /// forgets them again (migrating it here would change the schema under that build, should
    /// the operator go back to it).
    pub fn forgets_behind(conn: &Connection) -> anyhow::Result<usize> {
        if schema_version(conn)? != MIGRATIONS.len() {
            return Ok(0);
        }
        requests::ledger_behind(conn)
    }

    /// Forgets again, in the existing database at `path` (which no `serve` holds: the caller
    /// holds its lock), those [`Store::forgets_behind`] counts, and copies the result into the
    /// file itself, leaving no write-ahead log: Litestream, started next, snapshots a file
    /// that holds none of them. What was made again, and whether the log was emptied (another
    /// program reading the file, a `backup` say, holds it for as long as it reads).
    pub fn catch_up_forgets(path: &Path) -> anyhow::Result<(MadeAgain, bool)> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        let version = migrations::refuse_foreign_or_newer(&conn)?;
        if version != MIGRATIONS.len() {
            return Ok((MadeAgain::default(), true));
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let forgotten = requests::replay_forget_ledger(&conn, Replay::Copy)?;
        conn.execute_batch("COMMIT")?;
        // Their rows as they were stay in the file's pages, and the log holds them forgotten,
        // until the log is copied into the file. Each try waits out the busy timeout.
        for _ in 0..3 {
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy == 0 {
                return Ok((forgotten, true));
            }
        }
        Ok((forgotten, false))
    }

    /// The schema version of the existing makers-bot database at `path`, read without
    /// changing anything; another application's file or a newer build's is refused.
    pub fn schema_version_at(path: &Path) -> anyhow::Result<usize> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        migrations::refuse_foreign_or_newer(&conn)
    }

    /// A read-only connection to the existing makers-bot database at `path`, for the
    /// operator's commands that only read (`export`, `digest --dry-run`): nothing in the file
    /// changes, not even its schema. A database an older build wrote is refused with what to
    /// do: migrating it here would change the schema under a `serve` of that older build,
    /// which would then refuse it at its next start.
    pub fn read_existing(path: &Path) -> anyhow::Result<Connection> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        let version = migrations::refuse_foreign_or_newer(&conn)?;
        anyhow::ensure!(
            version == MIGRATIONS.len(),
            "the database is at schema version {version}, older than this build's ({}): start this build's makers-bot serve once to bring it up to date (this command only reads)",
            MIGRATIONS.len()
        );
        Ok(conn)
    }

    /// Runs `f` in one immediate write transaction, committed only if `f` succeeds.
    /// Blocking: async code goes through [`AsyncStore`], which runs this on its own thread.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let out = batch::committing(&mut lock(&self.writer), &self.generation, |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .context("cannot begin a write transaction")?;
            let (out, lines) = batch::collecting_lines(|| f(&tx));
            let out = out?;
            // Rolled back by SQLite under a step that let its error go: told as failed.
            if tx.is_autocommit() {
                anyhow::bail!("the write transaction was rolled back by SQLite");
            }
            sync_search(&tx)?;
            tx.commit().context("cannot commit")?;
            batch::log_lines(lines);
            Ok(out)
        });
        self.after_commit();
        out
    }

    /// Commits `units` together (see [`batch`]), moving the generation on if they commit a
    /// change, and telling `committed` how many writes the commit holds.
    fn write_batch(&self, units: Vec<Box<dyn batch::Unit>>, committed: impl FnOnce(usize)) {
        batch::write_batch(&mut lock(&self.writer), units, &self.generation, committed);
        self.after_commit();
    }

    /// Where Litestream checkpoints, leaves it the write lock for a moment, and longer if the
    /// log restarted (see [`log_restarts`]); the writer's mutex is not held meanwhile.
    fn after_commit(&self) {
        if let Some(log) = &self.log_restarts {
            log.after_commit(|| data_version(&lock(&self.writer)));
        }
    }

    /// Runs `f` on a read-only connection (its queries see the last committed state).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        let conn = lock(&self.readers[i]);
        f(&conn)
    }

    /// Copies what it can of the WAL into the database file without blocking anyone
    /// (`PASSIVE`); cheap when there is nothing to copy.
    ///
    /// Under steady load a passive checkpoint rarely catches every reader between snapshots,
    /// and the WAL would grow without end (seen: 4.5 GB in a 100-second load run). So once it
    /// passes [`WAL_RESTART_FRAMES`], a RESTART checkpoint waits (microseconds) for readers to
    /// move on, and the next write starts the log from the beginning.
    fn checkpoint(&self) -> anyhow::Result<()> {
        if self.clear_log.swap(false, Ordering::AcqRel) {
            let cleared = self.clear_log_now();
            if !matches!(cleared, Ok(true)) {
                self.clear_log.store(true, Ordering::Release); // tried again next time
            }
            return cleared.map(|_| ());
        }
        let conn = lock(&self.checkpointer);
        let log_frames: i64 = conn
            .prepare_cached("PRAGMA wal_checkpoint(PASSIVE)")?
            .query_row([], |r| r.get(1))?;
        if log_frames > WAL_RESTART_FRAMES {
            conn.prepare_cached("PRAGMA wal_checkpoint(RESTART)")?
                .query_row([], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Has the background checkpointer (within half a second) copy the whole WAL into the
    /// database file and empty it: after a forget, whose deletions are overwritten in the
    /// file (`secure_delete`) but whose pages as they were stay in older WAL frames until
    /// later writes happen to overwrite them. Where Litestream checkpoints, it does nothing:
    /// Litestream keeps its own copy of the WAL, to its retention (see the README), and the
    /// older frames past the log's end go when the log next restarts (see `log_cut`).
    pub fn clear_log(&self) {
        self.clear_log.store(true, Ordering::Release);
    }

    /// The WAL copied into the file and emptied now (`TRUNCATE`, which waits for readers
    /// and writers in flight); false if another connection kept it from finishing. A no-op
    /// where Litestream checkpoints.
    pub fn clear_log_now(&self) -> anyhow::Result<bool> {
        if self.checkpoints != Checkpoints::Bot {
            return Ok(true);
        }
        let busy: i64 = lock(&self.checkpointer)
            .prepare_cached("PRAGMA wal_checkpoint(TRUNCATE)")?
            .query_row([], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// Resolves once this store is dropped and its file closed.
    pub fn closing(&self) -> Closed {
        Closed(self.closed.subscribe())
    }

    /// Who checkpoints this database.
    pub fn checkpoints(&self) -> Checkpoints {
        self.checkpoints
    }

    /// Where Litestream checkpoints: how long (seconds to `now`) it has been due to and the
    /// log has not restarted; `None` when it is not due, or the bot checkpoints itself (see
    /// [`log_restarts::LogRestarts::litestream_waited`]).
    pub fn litestream_waited(&self, now: i64) -> Option<i64> {
        self.log_restarts.as_ref()?.litestream_waited(now)
    }

    /// [`Store::litestream_waited`], once longer than Litestream takes when it runs.
    pub fn litestream_late(&self, now: i64) -> Option<LitestreamLate> {
        self.log_restarts.as_ref()?.litestream_late(now)
    }

    /// Moves on with each committed write that changed a row, and each time another
    /// process's writes are seen: what is cached per generation is current while it stays.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Moves the generation on if another process has committed since last asked, so that
    /// what is cached per generation (answers, the catalogue) is read afresh: an operator's
    /// `takedown` or `forget` beside `serve` shows at once rather than within the minute.
    /// True if it moved. (A checkpoint that empties the WAL moves it too: a cache miss.)
    pub fn notice_outside_writes(&self) -> anyhow::Result<bool> {
        let now = data_version(&lock(&self.writer))?;
        let moved = self.outside_version.swap(now, Ordering::AcqRel) != now;
        if moved {
            self.generation.fetch_add(1, Ordering::AcqRel);
            self.outside_writes.fetch_add(1, Ordering::AcqRel);
        }
        Ok(moved)
    }

    /// Moves on each time [`Store::notice_outside_writes`] sees another process's commit, and
    /// only then (unlike [`Store::generation`], which the bot's own writes move at every
    /// request): what is kept in memory while it stays may be read afresh once it moves. (A
    /// checkpoint that empties the WAL may move it too: a read afresh, no more.)
    pub fn outside_writes(&self) -> u64 {
        self.outside_writes.load(Ordering::Acquire)
    }

    /// Whether the database takes a write now: one row committed on the writer's connection,
    /// outside the write batches (so `generation` does not move and no cache is dropped).
    /// What a full disk, a read-only file or a broken one refuses, this is refused too.
    pub fn can_write(&self, now: i64) -> anyhow::Result<()> {
        let mut conn = lock(&self.writer);
        // Rolled back if dropped uncommitted.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(
            "INSERT INTO health_probe (id, at) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        )?
        .execute([now])?;
        tx.commit()?;
        Ok(())
    }

    /// True when the database file is still the one opened, still starts like an SQLite
    /// database, and a reader answers a read of the schema. (A bare `SELECT 1` touches no
    /// file; open connections keep reading a file that has been deleted or replaced, and
    /// serve a damaged one from their cache, while everything written would be lost.)
    pub fn is_healthy(&self) -> bool {
        let same_file = self
            .file
            .is_none_or(|opened| FileId::of(&self.path) == Some(opened));
        same_file
            && has_sqlite_header(&self.header)
            && self
                .read(|c| {
                    let sql = "SELECT COUNT(*) FROM sqlite_master";
                    Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)
                })
                .is_ok()
    }
}

/// `<db>-wal`: the write-ahead log beside the database at `db`.
fn wal_path(db: &Path) -> PathBuf {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// Whether the file begins with SQLite's 16-byte magic string.
#[cfg(unix)]
fn has_sqlite_header(file: &std::fs::File) -> bool {
    use std::os::unix::fs::FileExt;
    let mut magic = [0u8; 16];
    file.read_exact_at(&mut magic, 0)
        .is_ok_and(|()| &magic == b"SQLite format 3\0")
}

#[cfg(not(unix))]
fn has_sqlite_header(_: &std::fs::File) -> bool {
    true
}

/// A panic while holding the lock leaves a connection usable (the open transaction was
/// rolled back when it was dropped), and plain values as they were. So a poisoned lock is
/// taken over, not propagated.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// For tests: the writer's connection, to set a hook on (a commit refused, as a full disk
/// or a busy server refuses one).
#[cfg(test)]
pub(crate) fn writer(store: &Store) -> MutexGuard<'_, Connection> {
    lock(&store.writer)
}

/// For tests: the first column of `sql`'s rows, as text.
#[cfg(test)]
pub(crate) fn column_of(store: &Store, sql: &str) -> Vec<String> {
    store
        .read(|c| {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}
