//! The operator's commands: the data commands `backup`, `export`, `forget` and `erase`,
//! `takedown`, `council list`, `council merge` and `council correct`, and `report` (see
//! `makers-bot --help`).

mod council_correct;
mod export;
mod half_made;
mod report;
pub use council_correct::correct_council;
pub use export::{Exported, export};
pub use report::{CsvFor, councils_csv, nothing_pitched, projects_csv, report};

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags};

use crate::domain::{CouncilName, ProjectNumber, TeamId, UpdateText, UserError, UserId};
use crate::handlers::{self, Takedown};
use crate::message::ThreadLine;
use crate::slack::render;
use crate::store::{self, EraseMode, Refused, Store};

/// An operator's command works on the database `serve` made, never a new one: `path` must
/// be there. One that cannot be looked at (a directory the command's user may not enter, as
/// the service's is to anyone but its user) is said to be so, not "no database".
pub fn database_is_there(path: &Path) -> anyhow::Result<()> {
    match path.try_exists() {
        Ok(true) => Ok(()),
        Ok(false) => bail!("no database at {} (set MAKERS_DB)", path.display()),
        Err(e) => bail!(
            "cannot look for the database at {}: {e} (is MAKERS_DB right? If the directory \
             is the service's, run this as the service's user, e.g. `sudo -u makers`)",
            path.display()
        ),
    }
}

/// Copies the database to `to` with SQLite's online backup, consistent while `serve` writes
/// (one step, inside one read transaction). Never overwrites: the copy is made beside `to`
/// and linked into place, which fails if `to` exists by then.
pub fn backup(db: &Path, to: &Path) -> anyhow::Result<()> {
    database_is_there(db)?;
    if to.is_dir() {
        bail!(
            "{} is a directory: give the backup a file name in it, e.g. {}",
            to.display(),
            to.join("makers-backup.db").display()
        );
    }
    // A link that leads nowhere is there too: the copy could not be linked in its place.
    if to.symlink_metadata().is_ok() {
        bail!("{} already exists; not overwritten", to.display());
    }
    let folder = match to.parent() {
        Some(p) if p.as_os_str().is_empty() => Path::new("."),
        Some(p) => p,
        None => Path::new("/"),
    };
    match folder.metadata() {
        Ok(m) if m.is_dir() => {}
        Ok(_) => bail!(
            "cannot write {}: {} is not a directory",
            to.display(),
            folder.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "cannot write {}: there is no directory {}",
            to.display(),
            folder.display()
        ),
        Err(e) => bail!(
            "cannot look in {}: {e} (if it is the service's, run this as the service's user, \
             e.g. `sudo -u makers`)",
            folder.display()
        ),
    }
    // Held until the copy beside `to` is gone (kept or not); taking it removes what a
    // backup killed outright left there.
    let _turn = half_made::take_turn(folder);
    let src = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", db.display()))?;
    let partial = partial_copy(to);
    let result = (|| {
        let mut dst = {
            let _held = backup_stage();
            private_file(&partial)?;
            Connection::open(&partial)
                .with_context(|| format!("cannot write {}", partial.display()))?
        };
        {
            use rusqlite::backup::{Backup, StepResult};
            let copy = Backup::new(&src, &mut dst)?;
            // Every page in one step: one read transaction, so one consistent moment.
            while copy.step(-1)? != StepResult::Done {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        drop(dst);
        // A copy is kept to be put back one day: a damaged one found only then is no copy.
        // Read from the file afresh (not the connection that wrote it, whose cache holds
        // pages): it checks what was written too.
        let written = Connection::open_with_flags(&partial, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("cannot read {} back", partial.display()))?;
        if let Some(found) = store::damage(&written)? {
            bail!(
                "the copy is damaged (SQLite's integrity_check: {found}), so it was not kept: \
                 the database it was taken from is most likely damaged too; run \
                 `makers-bot check` (which the service runs at each start) and see \
                 deploy/README.md, section 5"
            );
        }
        drop(written);
        let mut stage = backup_stage();
        std::fs::hard_link(&partial, to)
            .with_context(|| format!("cannot create {} (does it exist?)", to.display()))?;
        *stage = BackupStage::Kept;
        Ok(())
    })();
    remove_partial(&partial);
    result
}

/// How far [`backup`] has gone, for a signal stopping it: its copy kept (linked into
/// place), or not. Held while the copy is made and while it is linked, so that a stop never
/// falls between either and its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackupStage {
    NotKept,
    Kept,
}

static BACKUP_STAGE: std::sync::Mutex<BackupStage> = std::sync::Mutex::new(BackupStage::NotKept);

/// [`BackupStage`], held until the guard is dropped.
fn backup_stage() -> std::sync::MutexGuard<'static, BackupStage> {
    BACKUP_STAGE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Stops [`backup`] on a signal: its copy beside the target removed, what came of it said,
/// and the process ended (0 once the copy was kept, else 130) with [`backup_stage`] still
/// held, so that the copy is neither made nor linked in between.
pub fn stop_backup(partial: &Path) -> ! {
    let stage = backup_stage();
    // The copy's own name beside the target goes either way.
    remove_partial(partial);
    let code = match *stage {
        BackupStage::Kept => {
            eprintln!("makers-bot: backup stopped once its copy was kept");
            0
        }
        BackupStage::NotKept => {
            eprintln!("makers-bot: backup stopped; no copy was kept");
            130
        }
    };
    std::process::exit(code)
}

/// Where [`backup`] makes its copy to `to` before it is checked and kept: beside it, named
/// for this process.
pub fn partial_copy(to: &Path) -> PathBuf {
    to.with_extension(format!("partial-{}", std::process::id()))
}

/// Removes the copy at `partial` ([`partial_copy`]), and the empty log and index its reading
/// back left beside it: kept or not, it is not left to hold everything where nobody knows.
fn remove_partial(partial: &Path) {
    for leftover in ["", "-wal", "-shm"] {
        let mut path = partial.to_path_buf().into_os_string();
        path.push(leftover);
        let _ = std::fs::remove_file(path);
    }
}

/// Creates `path` empty, readable by its owner alone: a backup holds people's data, and a
/// backup directory is often readable by others (umask 022 would make it 0644).
fn private_file(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Tries at emptying the WAL after a forget or an erase, 200 ms apart.
const CLEAR_LOG_TRIES: u32 = 10;

/// `forget`: what `/makers forget me` does, for an operator: the person is forgotten in every
/// workspace (`team`, the one they asked in, whatever it holds). Returns rows changed by
/// table.
pub fn forget(
    store: &Store,
    team: &str,
    user: &str,
    join_emoji: &str,
) -> anyhow::Result<store::Forgotten> {
    let (team, user) = (parse_team(team)?, parse_user(user)?);
    let now = chrono::Utc::now().timestamp();
    let forgotten = store
        .write(|tx| handlers::forget(tx, &team, &user, now, join_emoji))?
        .counts;
    if !clear_log(store)? {
        tracing::warn!(
            "the write-ahead log could not be emptied (the server kept it busy): older copies of the person's rows stay in it until later writes overwrite them; run the forget again when it is quieter"
        );
    }
    Ok(forgotten)
}

/// Empties the WAL, where rows as they were before a forget or an erase stay in older frames
/// until overwritten; given a few tries while a running server's readers and writes come
/// and go. False if it could not.
fn clear_log(store: &Store) -> anyhow::Result<bool> {
    for _ in 0..CLEAR_LOG_TRIES {
        if store.clear_log_now()? {
            return Ok(true);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Ok(false)
}

/// `erase`: every row recorded for workspace `team`, once it has left (`yes`), or what that
/// would erase. Returns what to print, its days in `tz` (`MAKERS_TZ`); an error (nothing
/// erased) when refused.
pub fn erase(
    db: &Opened,
    team: &str,
    even_if_installed: bool,
    tz: chrono_tz::Tz,
) -> anyhow::Result<String> {
    let team = parse_team(team)?;
    let now = chrono::Utc::now().timestamp();
    let yes = db.changes();
    let found = match db {
        Opened::ToChange(store) => store.write(|tx| {
            let published = store::published_slugs_of(tx, &team)?;
            let found =
                store::erase_workspace(tx, &team, EraseMode::Erase { even_if_installed }, now)?;
            // Other workspaces' digests still to go would name its services as new.
            if found.refused.is_none() {
                crate::outbox::drop_services_from_digests(tx, &published.into_iter().collect())?;
            }
            Ok(found)
        })?,
        // One snapshot, so that the counts agree with each other while `serve` writes.
        Opened::ToRead(c) => {
            let snapshot = c.unchecked_transaction()?;
            store::erase_workspace(&snapshot, &team, EraseMode::Count, now)?
        }
    };
    let refused = found.refused.map(|why| refusal(&team, why, tz));
    if let (true, Some(refused)) = (yes, &refused) {
        bail!("{refused}; nothing was erased");
    }
    let mut said = erasure_report(&team, &found, yes, tz);
    let Opened::ToChange(store) = db else {
        let next = match refused {
            Some(refused) => Some(format!(
                "Nothing was erased, and --yes is refused now: {refused}."
            )),
            None if found.is_empty() => None,
            None if found.removed_at.is_none() => Some(format!(
                "Nothing was erased. Nothing here says it has removed the app (a workspace served by SLACK_BOT_TOKEN alone leaves no record of it): make sure it has left before you erase it, for good, with makers-bot erase --team {team} --yes"
            )),
            None => Some(format!(
                "Nothing was erased. To erase all of it, for good: makers-bot erase --team {team} --yes"
            )),
        };
        said.extend(next);
        return Ok(said.join("\n"));
    };
    if !found.is_empty() {
        said.push("Its messages in Slack are Slack's. Backups, and Litestream's replica for its retention, still hold it.".into());
    }
    // Also when nothing was left to erase: a run after one that could not empty the log
    // empties it.
    if !clear_log(store)? {
        said.push("The write-ahead log could not be emptied (the server kept it busy): older copies of the rows stay in it until later writes overwrite them; run this again when it is quieter.".into());
    }
    Ok(said.join("\n"))
}

/// What an erase found (`yes`: erased), table by table, and what it keeps.
fn erasure_report(
    team: &TeamId,
    found: &store::Erasure,
    yes: bool,
    tz: chrono_tz::Tz,
) -> Vec<String> {
    if found.is_empty() {
        let but = match found.removed_at {
            Some(_) => " but that it removed the app",
            None => "",
        };
        return vec![format!(
            "Nothing is recorded for workspace {team}{but} (ids are as Slack writes them, e.g. T0123ABCD); nothing to erase."
        )];
    }
    let mut said = vec![match yes {
        true => format!("Erased from workspace {team}:"),
        false => format!("Workspace {team} holds:"),
    }];
    for (table, n) in found.rows.iter().filter(|(_, n)| *n > 0) {
        let table = match *table {
            "councils" => "councils first named there and named by no other workspace",
            other => other,
        };
        said.push(format!("  {table}: {n}"));
    }
    let mut kept = Vec::new();
    if found.councils_kept > 0 {
        kept.push(format!(
            "{} council(s) first named there that other workspaces name too (a council is shared)",
            found.councils_kept
        ));
    }
    if let Some(at) = found.removed_at {
        kept.push(format!(
            "the record that it removed the app on {} (its id and that day, naming nobody: SLACK_BOT_TOKEN never serves it again)",
            day(at, tz)
        ));
    }
    if !kept.is_empty() {
        said.push(format!("Kept: {}.", kept.join("; ")));
    }
    said
}

/// Why `erase --yes` is refused, for the operator.
fn refusal(team: &TeamId, why: Refused, tz: chrono_tz::Tz) -> String {
    match why {
        Refused::Installed { since } => format!(
            "workspace {team} still has the bot installed (since {}): erasing it would leave people using the bot with nothing. Remove the app from the workspace first (its admins: Settings, Manage apps), then run this again; if it has removed the app and the bot missed Slack's word (it was down for longer than Slack retries), add --even-if-installed",
            day(since, tz)
        ),
        Refused::PostsOwed(n) => format!(
            "{n} post(s) to workspace {team} are still to be made, and the running bot may be making one now: run this again once they have gone out or been given up (a workspace's posts are given up as soon as the bot hears it removed the app; while Slack refuses its token, a week after the first refusal)"
        ),
    }
}

/// A unix time's day, as an operator reads it: local, in `tz` (`MAKERS_TZ`), as every day
/// the bot says is (in UTC, an install at 00:30 British Summer Time was the day before).
fn day(at: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp(at, 0).map_or_else(
        || at.to_string(),
        |t| t.with_timezone(&tz).format("%Y-%m-%d").to_string(),
    )
}

/// `takedown`: takes project `number` of `team` out of the public catalogue and keeps it out
/// (`lift: false`, with the reason told to its team), or allows its team to publish it again
/// (`lift: true`). Returns what to print.
pub fn takedown(
    store: &Store,
    team: &str,
    number: u32,
    reason: Option<&str>,
    lift: bool,
) -> anyhow::Result<String> {
    let team = parse_team(team)?;
    let number = ProjectNumber::new(number).context("project numbers start at 1")?;
    let reason = reason
        .map(UpdateText::parse)
        .transpose()
        .map_err(|e| match e {
            UserError::UpdateTooLong { max, .. } => {
                anyhow::anyhow!("please keep the reason to {max} characters")
            }
            _ => anyhow::anyhow!("the reason has no words to tell the team; leave it out instead"),
        })?;
    let now = chrono::Utc::now().timestamp();
    let done = store.write(|tx| match lift {
        false => handlers::take_down(tx, &team, number, reason, now),
        true => handlers::lift_takedown(tx, &team, number, now),
    })?;
    // As a reader sees the title, as `council merge` and `report --projects` show it: the
    // operator confirms by it that this is the page complained about, and may quote it back.
    let project = |title: &crate::domain::Title| {
        format!(
            "project #{} ({})",
            number.get(),
            render::typed_as_plain(title.as_str())
        )
    };
    let thread = |told: ThreadLine| match told {
        ThreadLine::Queued => {
            " They are told in the pitch's thread (by the running bot, within 30 seconds)."
        }
        ThreadLine::Waiting => {
            " They are told in the pitch's thread once its announcement is posted."
        }
        ThreadLine::NoThread => {
            " Its announcement was never posted, so there is no thread to tell them in."
        }
        ThreadLine::Unserved => {
            " Its workspace no longer uses the bot, so there is no thread to tell them in."
        }
    };
    Ok(match done {
        Takedown::NoSuchProject => bail!(
            "workspace {team} has no project #{} (ids are as Slack writes them, e.g. T0123ABCD)",
            number.get()
        ),
        Takedown::Held { title, hold, told } => {
            let was = match (hold.already_held, hold.was_published) {
                (true, _) => {
                    "was already held out of the public catalogue (a reason given replaces the recorded one; the team is not told again)"
                }
                (false, true) => {
                    "is out of the public catalogue (its page is gone within a second or two)"
                }
                (false, false) => "was not in the public catalogue, and is now kept out of it",
            };
            format!(
                "{} {was}; its team cannot publish it until `makers-bot takedown --team {team} --project {} --lift`.{}",
                project(&title),
                number.get(),
                told.map_or("", thread)
            )
        }
        Takedown::Lifted { title, told } => format!(
            "{} may be published again by its team (it stays out of the catalogue until they do).{}",
            project(&title),
            thread(told)
        ),
        Takedown::NotHeld { title } => format!(
            "{} was not held out of the catalogue; nothing changed.",
            project(&title)
        ),
    })
}

/// `council merge`: councils `from` merged into the council named `into` (`yes`), or what
/// that would do. Returns what to print; an error (nothing changed) for a name that is no
/// recorded council, or no council's name.
pub fn merge_councils(db: &Opened, from: &[String], into: &str) -> anyhow::Result<String> {
    let yes = db.changes();
    let into_name = CouncilName::parse(into).map_err(|e| not_a_council(into, e))?;
    let now = chrono::Utc::now().timestamp();
    let merge = |c: &Connection| -> anyhow::Result<store::CouncilMerge> {
        let mut found = Vec::new();
        for typed in from {
            found.push(recorded_council(c, typed)?);
        }
        store::merge_councils(c, &found, &into_name, yes, now)
    };
    // The teams whose re-uses end are told in their pitches' threads, in the same
    // transaction as the merge (a line for each, as a withdrawal is told).
    let mut told = 0;
    let done = match db {
        Opened::ToChange(store) => store.write(|tx| {
            let done = merge(tx)?;
            told = handlers::tell_merge_ended_reuses(tx, &done, now)?;
            Ok(done)
        })?,
        // One snapshot, so that the counts agree with each other while `serve` writes.
        Opened::ToRead(c) => {
            let snapshot = c.unchecked_transaction()?;
            merge(&snapshot)?
        }
    };
    if done.merged.is_empty() && done.renamed.is_none() {
        return Ok(format!(
            "{} is already recorded under that name; nothing to change.",
            done.into
        ));
    }
    let mut said = vec![match (yes, done.into_recorded) {
        (true, _) => format!("Merged into {}:", done.into),
        (false, true) => format!("Into {}, as recorded:", done.into),
        (false, false) => format!("Into {}:", done.into),
    }];
    if let Some(old) = &done.renamed {
        said.push(format!("  {old}: takes the name {}", done.into));
    }
    for c in &done.merged {
        said.push(format!("  {}: {}", c.name, counted(&c.counts)));
    }
    if !done.ended.is_empty() {
        said.push(format!(
            "Re-uses that end (a council does not re-use its own work, or the same project twice){}:",
            if yes { "" } else { ", with their notes" }
        ));
        for r in &done.ended {
            let why = match r.why {
                store::ReuseEnds::LeadsIt => format!("{} leads it", done.into),
                store::ReuseEnds::SaidEarlier => "another of them re-used it first".to_string(),
            };
            // As a reader sees them: no Slack ids in what the operator reads.
            let note = match r.note.is_empty() {
                true => String::new(),
                false => format!(" (\"{}\")", render::typed_as_plain(&r.note)),
            };
            said.push(format!(
                "  {} re-uses project {} ({}) of workspace {}: {why}{note}",
                r.council,
                r.number,
                render::typed_as_plain(&r.title),
                r.team
            ));
        }
        // Counted per ended re-use, as the lines above list them.
        let untold = done.ended.len().saturating_sub(told);
        said.push(match (yes, untold) {
            (false, _) => "Each project's team is told in its pitch's thread once merged.".to_string(),
            (true, 0) => "Each project's team is told in its pitch's thread (by the running bot, within 30 seconds).".to_string(),
            (true, n) => format!(
                "Each project's team is told in its pitch's thread (by the running bot, within 30 seconds), but for {n} of these re-uses: their projects were never announced, or their workspaces removed the bot.",
            ),
        });
    }
    let names = done.former.join(", ");
    // Said only of names that lead to it: not a respelling (one key), nor a name two
    // councils share.
    let told = match (yes, names.is_empty()) {
        (_, true) => String::new(),
        (true, false) => format!(
            "People who say {names} from now on are recorded as {}, and told why; the catalogue's council filter finds it by those names too.",
            done.into
        ),
        (false, false) => format!(
            " Once merged, people who say {names} are recorded as {}, and told why.",
            done.into
        ),
    };
    match yes {
        true => said.extend((!told.is_empty()).then_some(told)),
        false => said.push(format!(
            "Nothing was changed.{told} It cannot be undone: take a backup first (makers-bot backup <file>), then:\n  makers-bot council merge {} --into {} --yes",
            from.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(" "),
            quoted(into)
        )),
    }
    if yes {
        tracing::info!(into = done.into, merged = names, "councils merged");
    }
    Ok(said.join("\n"))
}

/// `council list`: every recorded council, by name, with what is to its name and the former
/// councils' names that lead to it: the names to give `council merge`.
pub fn list_councils(conn: &Connection) -> anyhow::Result<String> {
    let entries = store::council_entries(conn)?;
    if entries.is_empty() {
        return Ok("No council is recorded yet.".into());
    }
    let mut said = Vec::new();
    for c in &entries {
        let mut line = format!("{}: {}", c.name, counted(&c.counts));
        if !c.former.is_empty() {
            let former: Vec<String> = c
                .former
                .iter()
                .map(|(name, renamed)| match renamed {
                    true => format!("{name} (renamed)"),
                    false => format!("{name} (merged)"),
                })
                .collect();
            line.push_str(&format!("; formerly {}", former.join(", ")));
        }
        said.push(line);
    }
    said.push(format!(
        "{} council(s). A council with nothing to its name is not shown in Slack or the catalogue.",
        entries.len()
    ));
    Ok(said.join("\n"))
}

/// What is to a council's name, as `council merge` and `council list` say it; what past
/// periods' reports count for it beyond that, where there is any (a merge moves it too).
fn counted(c: &store::CouncilCounts) -> String {
    let mut said = format!(
        "{} person(s), leads {} project(s), re-uses {} project(s)",
        c.people, c.leads, c.reuses
    );
    if c.kept_joins + c.led_before > 0 {
        said.push_str(&format!(
            "; past reports also count for it {} join(s) by people now at another council and {} project(s) it led before",
            c.kept_joins, c.led_before
        ));
    }
    said
}

/// What the council the operator typed is: recorded (by its recorded name or any spelling
/// of it), a former name (merged into another, or renamed) and the council it became, or
/// none, with a near one where there is one.
pub(crate) enum CouncilFound {
    Recorded(store::RecordedCouncil),
    Former {
        former: String,
        now: store::RecordedCouncil,
        renamed: bool,
    },
    Unknown {
        near: Option<String>,
    },
}

pub(crate) fn find_council(c: &Connection, typed: &str) -> anyhow::Result<CouncilFound> {
    let name = CouncilName::parse(typed).ok();
    let key = name.as_ref().map(CouncilName::key);
    if let Some(found) = store::council_named(c, typed, key)? {
        return Ok(CouncilFound::Recorded(found));
    }
    if let Some(store::FormerCouncil {
        name: former,
        successor: id,
        renamed,
    }) = key
        .map(|k| store::former_council(c, k))
        .transpose()?
        .flatten()
    {
        let now = store::RecordedCouncil {
            id,
            name: store::council_name(c, id)?,
        };
        return Ok(CouncilFound::Former {
            former,
            now,
            renamed,
        });
    }
    let near = match &name {
        Some(name) => handlers::close_council(c, name)?.map(|n| n.display().to_string()),
        None => None,
    };
    Ok(CouncilFound::Unknown { near })
}

/// The recorded council the operator named: by its recorded name, or any spelling of it.
fn recorded_council(c: &Connection, typed: &str) -> anyhow::Result<store::RecordedCouncil> {
    match find_council(c, typed)? {
        CouncilFound::Recorded(found) => Ok(found),
        CouncilFound::Former {
            former,
            now,
            renamed: true,
        } => bail!("{former} is now called {}; nothing was changed", now.name),
        CouncilFound::Former { former, now, .. } => {
            bail!(
                "{former} was merged into {} already; nothing was changed",
                now.name
            )
        }
        CouncilFound::Unknown { near: Some(near) } => {
            bail!("no council is recorded as {typed:?}: did you mean {near:?}? Nothing was changed")
        }
        CouncilFound::Unknown { near: None } => {
            bail!("no council is recorded as {typed:?}; nothing was changed")
        }
    }
}

/// Why `typed` cannot be a council's name, for the operator.
fn not_a_council(typed: &str, e: UserError) -> anyhow::Error {
    match e {
        UserError::CouncilAmbiguous { choices: [a, b] } => anyhow::anyhow!(
            "two councils go by the name {typed:?}: {a:?} and {b:?}; name one in full"
        ),
        UserError::CouncilTooLong { max } => {
            anyhow::anyhow!("a council's name is at most {max} characters")
        }
        _ => anyhow::anyhow!(
            "{typed:?} cannot be a council's name (it must say which council, e.g. \"West Surrey Council\")"
        ),
    }
}

/// `s` as one word for a POSIX shell.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The database as a command that changes it only when told to (`--yes`) opens it: to
/// change, as `serve` does (migrated, councils keyed again, the forget ledger caught up); or,
/// for what it would do, read only and changing nothing, as `export` does (a dry run that
/// migrated the file said "Nothing was changed" having changed its schema under a running
/// `serve` of the build before).
pub enum Opened {
    ToChange(Box<Store>),
    ToRead(Connection),
}

impl Opened {
    /// Whether the command is to make its change.
    fn changes(&self) -> bool {
        matches!(self, Opened::ToChange(_))
    }
}

/// A workspace's id as Slack writes it (`T` and capitals or digits): what an operator's
/// command acts on, refused otherwise. A user's or a channel's id pasted in its place (or
/// the two options swapped) would have a forget or an erase match the wrong rows.
pub(crate) fn parse_team(t: &str) -> anyhow::Result<TeamId> {
    TeamId::parse(t)
        .filter(|_| crate::domain::is_id(t, &['T']))
        .with_context(|| format!("{t:?} is not a Slack workspace id (T…)"))
}

/// A command-line argument that must be a workspace's id ([`parse_team`]): refused by the
/// argument parser otherwise, which exits 2 as for any argument it cannot take.
pub fn team_arg(t: &str) -> Result<TeamId, String> {
    parse_team(t).map_err(|e| e.to_string())
}

/// A command-line argument that must be a person's id ([`parse_user`]), as [`team_arg`].
pub fn user_arg(u: &str) -> Result<UserId, String> {
    parse_user(u).map_err(|e| e.to_string())
}

/// A command-line argument that must be able to name a council, as [`team_arg`].
pub fn council_arg(typed: &str) -> Result<String, String> {
    CouncilName::parse(typed)
        .map(|_| typed.to_string())
        .map_err(|e| not_a_council(typed, e).to_string())
}

/// A person's id as Slack writes it (`U` or `W`, then capitals or digits). `forget` rewrites
/// every whole word equal to it and deletes the posts it names: a channel's id there took
/// that channel's posts, and a word the catalogue's addresses hold moved them.
fn parse_user(u: &str) -> anyhow::Result<UserId> {
    UserId::parse(u)
        .filter(|_| crate::domain::is_id(u, &['U', 'W']))
        .with_context(|| format!("{u:?} is not a Slack user id (U… or W…)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day an install was made is the operator's, in `MAKERS_TZ`: 00:30 on 1 April
    /// 2026 in London (summer time) is 23:30 on 31 March in UTC.
    #[test]
    fn an_erase_refused_for_an_install_names_its_local_day() {
        let team = TeamId::parse("T0ABC").unwrap();
        let since = 1_774_999_800; // 2026-03-31T23:30:00Z
        let said = refusal(
            &team,
            Refused::Installed { since },
            chrono_tz::Europe::London,
        );
        assert!(said.contains("(since 2026-04-01)"), "{said}");
    }

    /// An erase merges the search indexes in its own transaction, as a forget does. A merge
    /// of its own, once the erase had committed, could fail (a busy `serve` keeping the lock
    /// past the busy timeout, a full disk): the operator saw only the error, as if nothing
    /// were erased, and a second run found nothing to erase and so merged nothing, leaving
    /// the erased words in the indexes' segments for good.
    #[test]
    fn an_erase_leaves_no_erased_words_in_the_indexes_when_no_later_write_can_commit() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let store = with_t0gone_indexed(dir.path());
        // The erase's commit goes through; any after it is refused (rolled back), as a busy
        // server or a full disk refuses one.
        let commits = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&commits);
        store::writer(&store)
            .commit_hook(Some(move || counted.fetch_add(1, Ordering::SeqCst) > 0))
            .unwrap();
        let db = Opened::ToChange(Box::new(store));
        let said = erase(&db, "T0GONE", false, chrono_tz::UTC).unwrap();
        assert!(said.starts_with("Erased from workspace T0GONE:"), "{said}");
        assert_eq!(commits.load(Ordering::SeqCst), 1);
        let Opened::ToChange(store) = &db else {
            unreachable!()
        };
        assert_eq!(
            left_in_segments(store),
            0,
            "segments holding the erased words"
        );
    }

    /// A store in `dir` holding workspace T0GONE's one project, its words indexed at the
    /// commit (the store's own insert notes a new project for the index; this one notes it
    /// itself).
    fn with_t0gone_indexed(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T0GONE', 1, 'Zanzibar bins', 'Quokka data', 'discovery',
                             'U1', 'C1', 0, 0, 0);
                     INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);",
                )?;
                Ok(())
            })
            .unwrap();
        assert!(left_in_segments(&store) > 0, "indexed");
        store
    }

    /// The segments of the search indexes still holding T0GONE's project's words: an erase
    /// whose merge failed (an earlier build's, which merged in a write of its own) left them.
    fn left_in_segments(store: &Store) -> i64 {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM project_search_data
                             WHERE instr(block, 'zanzibar') OR instr(block, 'quokka'))
                          + (SELECT COUNT(*) FROM catalogue_search_data
                             WHERE instr(block, 'zanzibar') OR instr(block, 'quokka'))",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }

    #[test]
    fn an_erase_run_again_merges_what_an_earlier_one_left_in_the_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = with_t0gone_indexed(dir.path());
        // Erased as an earlier build did, its merge then failed: the index's row deleted,
        // its words still in the segments until a merge; nothing of the workspace left (its
        // project stands in for another's: nothing but an erase deletes a project).
        store
            .write(|tx| {
                tx.execute_batch(
                    "DELETE FROM project_search WHERE rowid = 1;
                     UPDATE projects SET team_id = 'T0OTHER' WHERE team_id = 'T0GONE';
                     INSERT INTO removed_workspaces (team_id, removed_at) VALUES ('T0GONE', 0);",
                )?;
                Ok(())
            })
            .unwrap();
        assert!(left_in_segments(&store) > 0, "the erase left its words");
        let db = Opened::ToChange(Box::new(store));
        erase(&db, "T0GONE", false, chrono_tz::UTC).unwrap();
        let Opened::ToChange(store) = &db else {
            unreachable!()
        };
        assert_eq!(left_in_segments(store), 0);
    }
}
