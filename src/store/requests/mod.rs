//! Data requests: everything recorded for a workspace or about one person, as JSON (a
//! subject access request), and forgetting a person. Every table that holds a person's id is
//! named here once, in [`PERSON_TABLES`]: a new table that holds one must be added, and the
//! forget test (which scans the database file for the id) fails until it is.

mod erase;
mod export;
pub use export::{ReadFailure, TeamExport};
mod ledger;
mod posts;
use ledger::Entry;
pub use ledger::{LedgerKept, LedgerMissing, forget_requests, forgotten_after};
mod rows;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::domain::{ProjectNumber, TeamId, UserId};
pub use erase::{EraseMode, Erasure, Refused, erase_workspace};
pub use rows::rows;

/// The rows of each table a workspace's export holds (`?1` is the team id); and `councils`,
/// those its rows name ([`COUNCIL_COLUMNS`]).
const TEAM_TABLES: &[(&str, &str)] = &[
    ("projects", "SELECT * FROM projects WHERE team_id = ?1 ORDER BY id"),
    ("members", "SELECT * FROM members WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    ("membership_changes", "SELECT * FROM membership_changes WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    ("memberships_ended", "SELECT * FROM memberships_ended WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) ORDER BY rowid"),
    ("pending_joins", "SELECT * FROM pending_joins WHERE team_id = ?1"),
    // Its announcements whose join reactions are still to be read again (an invitation).
    ("reactions_to_read", "SELECT * FROM reactions_to_read WHERE team_id = ?1"),
    ("updates", "SELECT * FROM updates WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) ORDER BY id"),
    ("phase_changes", "SELECT * FROM phase_changes WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) ORDER BY id"),
    // Its projects' re-uses, and those said in it of other workspaces' services. Who said a
    // re-use of its project in another workspace is that workspace's person, whom Slack here
    // is never told of (the thread line names the council): `said_by` is null.
    ("reuses", "SELECT project_id, council_id, note,
               CASE WHEN COALESCE(said_in, (SELECT p.team_id FROM projects p
                                            WHERE p.id = reuses.project_id)) = ?1
                    THEN said_by END AS said_by,
               created_at, updated_at, said_in
          FROM reuses WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)
            OR said_in = ?1"),
    // Re-uses that ended (naming nobody), as its re-uses are chosen.
    ("reuses_ended", "SELECT * FROM reuses_ended WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)
            OR said_in = ?1 ORDER BY rowid"),
    // The councils its projects were led by before another took the lead.
    ("lead_councils_ended", "SELECT * FROM lead_councils_ended WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) ORDER BY project_id, until_at"),
    ("project_links", "SELECT * FROM project_links WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    ("project_skills", "SELECT * FROM project_skills WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    // Which of its projects carry on as which (`merge`): both are its own.
    ("project_merges", "SELECT * FROM project_merges WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    ("catalogue_holds", "SELECT * FROM catalogue_holds WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1)"),
    ("people", "SELECT * FROM people WHERE team_id = ?1"),
    ("person_skills", "SELECT * FROM person_skills WHERE team_id = ?1"),
    ("digest_subscriptions", "SELECT * FROM digest_subscriptions WHERE team_id = ?1"),
    ("channels", "SELECT * FROM channels WHERE team_id = ?1 ORDER BY channel_id"),
    ("outbox", "SELECT * FROM outbox WHERE team_id = ?1 ORDER BY id"),
    ("processed_events", "SELECT * FROM processed_events WHERE team_id = ?1"),
    // Its bot token is sealed, and shows only as a byte count.
    ("installations", "SELECT * FROM installations WHERE team_id = ?1"),
    ("removed_workspaces", "SELECT * FROM removed_workspaces WHERE team_id = ?1"),
    ("token_refusals", "SELECT * FROM token_refusals WHERE team_id = ?1"),
    // Its counts at each day's end (every workspace's together name no workspace).
    ("day_tallies", "SELECT * FROM day_tallies WHERE team_id = ?1 ORDER BY day"),
];

/// Where a person's id is recorded: each table, the rows about them (`?1` team, `?2` user),
/// and what forgetting does to those rows.
const PERSON_TABLES: &[(&str, &str, Forget)] = &[
    (
        "people",
        "SELECT * FROM people WHERE team_id = ?1 AND user_id = ?2",
        Forget::Delete,
    ),
    (
        "person_skills",
        "SELECT * FROM person_skills WHERE team_id = ?1 AND user_id = ?2",
        Forget::Delete,
    ),
    (
        "pending_joins",
        "SELECT * FROM pending_joins WHERE team_id = ?1 AND user_id = ?2",
        Forget::Delete,
    ),
    (
        "members",
        "SELECT * FROM members WHERE user_id = ?2 AND project_id IN (SELECT id FROM projects WHERE team_id = ?1)",
        Forget::Delete,
    ),
    (
        "membership_changes",
        "SELECT * FROM membership_changes WHERE user_id = ?2 AND project_id IN (SELECT id FROM projects WHERE team_id = ?1)",
        Forget::Delete,
    ),
    // Teams they were in and left: the team's history, but theirs alone to keep or not.
    (
        "memberships_ended",
        "SELECT * FROM memberships_ended WHERE user_id = ?2 AND project_id IN (SELECT id FROM projects WHERE team_id = ?1) ORDER BY rowid",
        Forget::Delete,
    ),
    (
        "projects",
        // `slug`: an address made from a title that named them (`new_slugs` moves it).
        "SELECT * FROM projects WHERE team_id = ?1 AND (pitcher = ?2 OR pitched_by = ?2 OR instr(title, ?2) OR instr(description, ?2) OR instr(slug, lower(?2))) ORDER BY id",
        Forget::Anonymise(&["pitcher", "pitched_by"]),
    ),
    (
        "updates",
        "SELECT * FROM updates WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) AND (author = ?2 OR instr(body, ?2)) ORDER BY id",
        Forget::Anonymise(&["author"]),
    ),
    (
        "phase_changes",
        "SELECT * FROM phase_changes WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) AND (changed_by = ?2 OR instr(note, ?2)) ORDER BY id",
        Forget::Anonymise(&["changed_by"]),
    ),
    (
        "reuses",
        "SELECT * FROM reuses WHERE (project_id IN (SELECT id FROM projects WHERE team_id = ?1) OR said_in = ?1) AND (said_by = ?2 OR instr(note, ?2))",
        Forget::Anonymise(&["said_by"]),
    ),
    (
        "project_links",
        "SELECT * FROM project_links WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) AND (set_by = ?2 OR instr(url, ?2))",
        Forget::Anonymise(&["set_by"]),
    ),
    // A forget reads the outbox once, for every workspace (`posts::forget_posts`).
    (
        "outbox",
        "SELECT * FROM outbox WHERE team_id = ?1 AND (channel_id = ?2 OR instr(notice, ?2)) ORDER BY id",
        Forget::Posts,
    ),
    // An operator's reason for a takedown may mention whoever complained, or anyone else
    // (`<@U…>`): their id is taken out of it (`reason` is the column anonymised, though it
    // says who did nothing).
    (
        "catalogue_holds",
        "SELECT * FROM catalogue_holds WHERE project_id IN (SELECT id FROM projects WHERE team_id = ?1) AND instr(reason, ?2)",
        Forget::Anonymise(&["reason"]),
    ),
    (
        "installations",
        "SELECT * FROM installations WHERE team_id = ?1 AND installed_by = ?2",
        Forget::Anonymise(&["installed_by"]),
    ),
    // Who turned a channel's digest on: the channel keeps it, naming nobody.
    (
        "digest_subscriptions",
        "SELECT * FROM digest_subscriptions WHERE team_id = ?1 AND subscribed_by = ?2",
        Forget::Anonymise(&["subscribed_by"]),
    ),
];

/// What forgetting does to a table's rows about the person.
#[derive(Clone, Copy)]
enum Forget {
    /// The rows are theirs alone: gone.
    Delete,
    /// Posts (see `posts`): to or about them, or settled and naming them, gone; another's
    /// post still owed that mentions them, kept without them. (`instr` in the select only
    /// narrows the search: `U0BOB` is in `U0BOBBY`.)
    Posts,
    /// The rows are the team's work: kept, with these columns (who did it) set to
    /// [`UserId::FORGOTTEN`] where they name the person, and their id taken out of every
    /// text column.
    Anonymise(&'static [&'static str]),
}

/// Everything recorded for workspace `team`, table by table, as one value ([`TeamExport`]
/// held whole: `export` writes it as it reads it instead).
pub fn export_team(conn: &Connection, team: &TeamId) -> anyhow::Result<Value> {
    let failed = ReadFailure::default();
    TeamExport::new(conn, team, &failed)
        .serialize(serde_json::value::Serializer)
        .map_err(|e| failed.take().unwrap_or_else(|| e.into()))
}

/// Every workspace the database holds anything of (for an export with no workspace named):
/// each table with a `team_id` that an export reads, so an installed workspace with nothing
/// else yet is not left out.
pub fn workspaces(conn: &Connection) -> anyhow::Result<Vec<TeamId>> {
    super::team_ids(
        conn,
        "SELECT team_id FROM projects UNION SELECT team_id FROM people
         UNION SELECT team_id FROM person_skills UNION SELECT team_id FROM pending_joins
         UNION SELECT team_id FROM digest_subscriptions UNION SELECT team_id FROM outbox
         UNION SELECT team_id FROM installations UNION SELECT team_id FROM removed_workspaces
         UNION SELECT team_id FROM processed_events UNION SELECT team_id FROM token_refusals
         ORDER BY 1",
        [],
    )
}

/// The workspaces where anyone may be recorded: those with projects, people, their skills
/// or pending joins, an installation (its installer) or a digest (who turned it on). Posts
/// are not read (a forget goes through every workspace's at once), nor are event ids and
/// token refusals, which name nobody: `forget me` runs this on the writer, and the outbox
/// has no index by workspace (reading it took 1.7 s at 2 M posts).
fn workspaces_of_people(conn: &Connection) -> anyhow::Result<Vec<TeamId>> {
    super::team_ids(
        conn,
        "SELECT team_id FROM projects UNION SELECT team_id FROM people
         UNION SELECT team_id FROM person_skills UNION SELECT team_id FROM pending_joins
         UNION SELECT team_id FROM installations
         UNION SELECT team_id FROM digest_subscriptions ORDER BY 1",
        [],
    )
}

/// Everything recorded about `user` in `team`: rows about them, rows they made, and texts
/// that mention them.
pub fn export_person(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<Value> {
    let mut tables = Map::new();
    for (name, sql, _) in PERSON_TABLES {
        let mut found = rows(conn, sql, params![team.as_str(), user.as_str()])?;
        // Not another person's rows whose id begins with theirs; an address holds it
        // lower-cased, which `names` would not see.
        found.retain(|row| {
            rows::names(row, user) || row["slug"].as_str().is_some_and(|s| slug_holds(s, user))
        });
        if *name == "outbox" {
            found = found
                .into_iter()
                .map(|row| posts::as_exported(row, user))
                .collect();
        }
        tables.insert((*name).into(), found.into());
    }
    // `people` holds their council's id; its name is what they told the bot.
    let council: Option<String> = conn
        .prepare_cached(
            "SELECT c.name FROM people p JOIN councils c ON c.id = p.council_id
             WHERE p.team_id = ?1 AND p.user_id = ?2",
        )?
        .query_row(params![team.as_str(), user.as_str()], |r| r.get(0))
        .optional()?;
    let projects = projects_referred_to(conn, &tables)?;
    let councils = councils_referred_to(conn, &tables)?;
    Ok(json!({
        "team": team.as_str(),
        "user": user.as_str(),
        "council": council,
        "tables": tables,
        "projects": projects,
        "councils": councils,
    }))
}

/// The projects the rows of `tables` refer to by row id (`project_id`: a membership, a join
/// waiting, an update), as the person knows them: `{"<id>": {"number", "title"}}`. A
/// person never sees a project's row id, only its number and title.
fn projects_referred_to(conn: &Connection, tables: &Map<String, Value>) -> anyhow::Result<Value> {
    let mut known = Map::new();
    let mut read = conn.prepare_cached("SELECT number, title FROM projects WHERE id = ?1")?;
    for id in ids_in(tables, &["project_id"]) {
        let found = read
            .query_row([id], |r| {
                Ok(json!({"number": r.get::<_, i64>(0)?, "title": r.get::<_, String>(1)?}))
            })
            .optional()?;
        if let Some(project) = found {
            known.insert(id.to_string(), project);
        }
    }
    Ok(Value::Object(known))
}

/// The councils the rows of `tables` refer to by row id ([`COUNCIL_COLUMNS`]), by name:
/// `{"<id>": "<name>"}`.
fn councils_referred_to(conn: &Connection, tables: &Map<String, Value>) -> anyhow::Result<Value> {
    let mut known = Map::new();
    let mut read = conn.prepare_cached("SELECT name FROM councils WHERE id = ?1")?;
    for id in ids_in(tables, COUNCIL_COLUMNS) {
        if let Some(name) = read.query_row([id], |r| r.get::<_, String>(0)).optional()? {
            known.insert(id.to_string(), name.into());
        }
    }
    Ok(Value::Object(known))
}

/// The columns of the exported tables that name a council by its row id (`council_id`:
/// a person's, the council a membership's join counts for, a re-use's, a project led before;
/// `pitcher_council_id`: a project's lead).
const COUNCIL_COLUMNS: &[&str] = &["council_id", "pitcher_council_id"];

/// Every value of `columns` in the rows of `tables`, once each, in order.
fn ids_in(tables: &Map<String, Value>, columns: &[&str]) -> Vec<i64> {
    let mut ids: Vec<i64> = tables
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .flat_map(|row| columns.iter().filter_map(|c| row.get(*c)?.as_i64()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// How many rows forgetting changed, per table.
pub type Forgotten = Vec<(&'static str, usize)>;

/// What [`forget_everywhere`] did.
#[derive(Debug)]
pub struct ForgottenEverywhere {
    /// Rows changed by table, summed over the workspaces.
    pub counts: Forgotten,
    /// The workspaces that held rows of their own (a membership, their council, skills, a
    /// join waiting); not those that only named them.
    pub held_in: Vec<TeamId>,
    /// Whether they had said a council in any workspace: every workspace's Home of theirs
    /// where they said none named it (`store::council_of` reads it from elsewhere), so none
    /// of those is left out by `held_in`.
    pub said_council: bool,
    /// The bot's posts in Slack that said who they were, now to be corrected in place.
    pub posted: Vec<PostedNaming>,
    /// The open projects they led, in their team: each thread is to hear that anyone in
    /// the team may lead it now.
    pub led: Vec<(TeamId, ProjectNumber)>,
    /// Others this forget forgot first: their own forgets wrote their ledger lines and
    /// failed (a write batch run again, a commit that failed), so what Slack is to be told
    /// of them is told with this one's.
    pub earlier: Vec<ForgottenEverywhere>,
}

/// A post of the bot's, already in Slack, that named a person now forgotten: the
/// announcement of a pitch they made or whose words mention them, or the line of an update
/// of theirs. (Others' update lines that mention them are those people's words, and stay.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostedNaming {
    Announcement { team: TeamId, number: ProjectNumber },
    UpdateLine { team: TeamId, update: i64 },
}

impl PostedNaming {
    /// The workspace the post is in.
    pub fn team(&self) -> &TeamId {
        match self {
            PostedNaming::Announcement { team, .. } | PostedNaming::UpdateLine { team, .. } => team,
        }
    }
}

/// The bot's posts in `team` that name `user` (see [`PostedNaming`]); read before the forget.
fn posted_naming(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Vec<PostedNaming>> {
    let mut found: Vec<PostedNaming> = conn
        .prepare_cached(
            "SELECT number FROM projects
             WHERE team_id = ?1 AND announcement_ts IS NOT NULL
               AND (pitcher = ?2 OR pitched_by = ?2 OR instr(title, ?2) OR instr(description, ?2))
             ORDER BY number",
        )?
        .query_map(params![team.as_str(), user.as_str()], |r| {
            r.get::<_, u32>(0)
        })?
        .filter_map(|n| n.map(ProjectNumber::new).transpose())
        .map(|n| {
            n.map(|number| PostedNaming::Announcement {
                team: team.clone(),
                number,
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    let lines = conn
        .prepare_cached(
            "SELECT u.id FROM updates u JOIN projects p ON p.id = u.project_id
             WHERE p.team_id = ?1 AND u.author = ?2 AND u.line = 'bot' AND u.line_ts IS NOT NULL
             ORDER BY u.id",
        )?
        .query_map(params![team.as_str(), user.as_str()], |r| r.get(0))?
        .map(|id| {
            id.map(|update| PostedNaming::UpdateLine {
                team: team.clone(),
                update,
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found.extend(lines);
    Ok(found)
}

/// Forgets `user` in every workspace the database holds (`asked_in`, where they asked, among
/// them whatever it holds): their own rows go; the team's work they did stays, naming
/// nobody; their id is taken out of every text. Secure delete is on for every connection
/// (see `store::connect`), so what is deleted is overwritten, not left in free pages. A
/// Slack user id is one person's
/// everywhere, and what they did in a channel shared with another workspace (a reaction to
/// its pitch, a mention in its thread) is recorded under that workspace. Counts are summed
/// by table.
/// The request is first written to the forget ledger (see `ledger`), so that no older copy
/// of the database put back later keeps them.
pub fn forget_everywhere(
    conn: &Connection,
    asked_in: &TeamId,
    user: &UserId,
    now: i64,
) -> anyhow::Result<ForgottenEverywhere> {
    // Anyone whose forget wrote its line and then failed (rolled back) is forgotten now too:
    // this line's number is past theirs (an operator's takedown or erase, made again too).
    let mut earlier = Vec::new();
    for (entry, at) in ledger::note(conn, &Entry::Forget(user.clone()), now)? {
        match entry {
            Entry::Forget(other) => earlier.push(forget_all(conn, None, &other, now)?),
            operators => make_again_live(conn, &operators, at)?,
        }
    }
    let forgotten = forget_all(conn, Some(asked_in), user, now)?;
    merge_search_indexes(conn)?;
    Ok(ForgottenEverywhere {
        earlier,
        ..forgotten
    })
}

/// Writes an operator's takedown of project `number` of `team` (or its lift) to the forget
/// ledger, in its transaction, so that a copy of the database put back from before it makes
/// it again (see `ledger`); first makes any request whose line is past the database's.
pub fn note_takedown(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    lift: bool,
    now: i64,
) -> anyhow::Result<()> {
    let entry = Entry::Takedown {
        team: team.clone(),
        number,
        lift,
    };
    note_operators(conn, &entry, now)
}

/// Whether the forget ledger already holds the takedown of project `number` of `team` (its
/// last line about it): a hold made by a build from before takedowns were written there has
/// none, and a takedown run again writes it.
pub fn takedown_noted(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<bool> {
    ledger::holds_takedown(conn, team, number)
}

/// Writes an operator's request to the ledger, first making again those whose lines are past
/// the database's (they wrote their lines and failed).
fn note_operators(conn: &Connection, entry: &Entry, now: i64) -> anyhow::Result<()> {
    let earlier = ledger::note(conn, entry, now)?;
    for (entry, at) in &earlier {
        make_again_live(conn, entry, *at)?;
    }
    if earlier.iter().any(|(e, _)| matches!(e, Entry::Forget(_))) {
        merge_search_indexes(conn)?;
    }
    Ok(())
}

/// How many requests the forget ledger lists that this database has not made.
pub(in crate::store) fn ledger_behind(conn: &Connection) -> anyhow::Result<usize> {
    Ok(ledger::behind(conn)?.0.len())
}

/// How much of the forget ledger is beside this database (see [`LedgerKept`]).
pub fn ledger_kept(conn: &Connection) -> anyhow::Result<LedgerKept> {
    ledger::kept(conn)
}

/// The forget ledger, if it is missing beside this database though it applied lines of it.
pub fn ledger_missing(conn: &Connection) -> anyhow::Result<Option<LedgerMissing>> {
    ledger::missing(conn)
}

/// What [`replay_forget_ledger`] made again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MadeAgain {
    /// People forgotten again.
    pub forgotten: usize,
    /// An operator's takedowns, lifts and erases.
    pub operators: usize,
}

impl MadeAgain {
    pub fn any(&self) -> bool {
        self.forgotten + self.operators > 0
    }
}

/// How the forget ledger is replayed at open: whether a bot is serving the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// None is (`serve`'s own start, `check`, a command with no `serve` running): what the
    /// ledger lists past the database is a copy put back, made again in full.
    Copy,
    /// One is (an operator's command opened beside `serve`): the ledger is ahead because a
    /// request wrote its line and failed, and an erase is made as the running server makes
    /// it ([`make_again_live`]), not past an installation or posts owed.
    Live,
}

/// Makes again, in their order, the requests the forget ledger lists that this database has
/// not made (an older copy put back): forgets, as [`forget_everywhere`] did, and an
/// operator's takedowns, lifts and erases. Each is the same made twice, so a copy that had
/// made some of them comes to the same.
pub fn replay_forget_ledger(conn: &Connection, replay: Replay) -> anyhow::Result<MadeAgain> {
    let (entries, last) = ledger::behind(conn)?;
    let mut made = MadeAgain::default();
    for (entry, at) in &entries {
        match entry {
            Entry::Forget(user) => {
                forget_all(conn, None, user, *at)?;
                made.forgotten += 1;
            }
            operators if replay == Replay::Live => {
                make_again_live(conn, operators, *at)?;
                made.operators += 1;
            }
            operators => {
                make_again(conn, operators, *at)?;
                made.operators += 1;
            }
        }
    }
    if !entries.is_empty() {
        ledger::caught_up(conn, last)?;
        merge_search_indexes(conn)?;
    }
    Ok(made)
}

/// Makes an operator's takedown, lift or erase (`at`, when it was made) again, telling
/// nobody: its team was told when it was made. A project the copy does not hold (pitched
/// after it) is passed over. (A digest still queued in the copy that names a service taken
/// down or erased since still names it.)
fn make_again(conn: &Connection, entry: &Entry, at: i64) -> anyhow::Result<()> {
    match entry {
        Entry::Forget(user) => {
            forget_all(conn, None, user, at)?;
        }
        Entry::Takedown { team, number, lift } => {
            let id: Option<i64> = conn
                .prepare_cached("SELECT id FROM projects WHERE team_id = ?1 AND number = ?2")?
                .query_row(params![team.as_str(), number.get()], |r| r.get(0))
                .optional()?;
            match (id, lift) {
                (None, _) => {}
                (Some(id), false) => {
                    crate::store::hold_out_of_catalogue(conn, id, None, at)?;
                }
                (Some(id), true) => {
                    crate::store::lift_hold(conn, id)?;
                }
            }
        }
        Entry::Erase(team) => erase::erase_again(conn, team, at)?,
    }
    Ok(())
}

/// [`make_again`] in the running server, for a request that wrote its line and failed: an
/// erase is not made past an installation or posts owed (see `erase::erase_again_live`).
fn make_again_live(conn: &Connection, entry: &Entry, at: i64) -> anyhow::Result<()> {
    match entry {
        Entry::Erase(team) => erase::erase_again_live(conn, team, at),
        other => make_again(conn, other, at),
    }
}

/// [`forget_everywhere`] without the ledger, nor bringing the search indexes up to date (its
/// callers merge them once, after every person); `asked_in` is gone through even if it holds
/// no people.
fn forget_all(
    conn: &Connection,
    asked_in: Option<&TeamId>,
    user: &UserId,
    now: i64,
) -> anyhow::Result<ForgottenEverywhere> {
    let led = led_by(conn, user)?;
    // The retired ones are told of when brought back, as of a lead who left while retired.
    super::members::keep_lead_gone_while_retired(conn, user, now)?;
    let said_council = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM people WHERE user_id = ?1 AND council_id IS NOT NULL)",
        )?
        .query_row([user.as_str()], |r| r.get(0))?;
    let mut total: Forgotten = Vec::new();
    let mut held_in = Vec::new();
    let mut posted = Vec::new();
    let mut teams = workspaces_of_people(conn)?;
    if let Some(asked_in) = asked_in.filter(|t| !teams.contains(t)) {
        teams.push(asked_in.clone());
    }
    let add = |total: &mut Forgotten, table, n| match total.iter_mut().find(|(t, _)| *t == table) {
        Some((_, sum)) => *sum += n,
        None => total.push((table, n)),
    };
    for team in teams {
        posted.extend(posted_naming(conn, &team, user)?);
        let (forgotten, held) = forget_in(conn, &team, user)?;
        for (table, n) in forgotten {
            add(&mut total, table, n);
        }
        if held {
            held_in.push(team);
        }
    }
    // The outbox once, every workspace's posts together: it has no index by workspace, and
    // reading every notice once for each workspace held the writer 25 s at 50 workspaces and
    // 2 M posts (it changes no other table, nor does the loop above change it).
    add(&mut total, "outbox", posts::forget_posts(conn, user)?);
    Ok(ForgottenEverywhere {
        counts: total,
        held_in,
        said_council,
        posted,
        led,
        earlier: Vec::new(),
    })
}

/// The open projects `user` leads and is in the team of, in every workspace.
fn led_by(conn: &Connection, user: &UserId) -> anyhow::Result<Vec<(TeamId, ProjectNumber)>> {
    use super::digests::{project_number, stored_team};
    Ok(conn
        .prepare_cached(
            "SELECT p.team_id, p.number FROM projects p
              WHERE p.pitcher = ?1 AND p.phase <> 'retired'
                AND EXISTS (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?1)
              ORDER BY p.team_id, p.number",
        )?
        .query_map(params![user.as_str()], |r| {
            Ok((stored_team(r.get(0)?)?, project_number(r.get(1)?)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// [`forget_everywhere`] in one workspace, without bringing the search indexes up to date;
/// and whether the workspace held rows of the person's own (deleted), rather than only their
/// id in others' texts.
fn forget_in(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<(Forgotten, bool)> {
    // Texts the search indexes hold that name them are indexed again once changed: the
    // triggers on projects and updates note each text anonymised below.
    let mut changed = Vec::new();
    let mut held = false;
    for (name, sql, forget) in PERSON_TABLES {
        let n = match forget {
            Forget::Delete => {
                let sql = format!("DELETE FROM {name} WHERE {}", condition(sql));
                let n = conn.execute(&sql, params![team.as_str(), user.as_str()])?;
                held |= n > 0;
                n
            }
            // Once for every workspace, in `forget_all`; its count keeps the table's place.
            Forget::Posts => 0,
            Forget::Anonymise(columns) => rows::anonymise(conn, name, sql, columns, team, user)?,
        };
        changed.push((*name, n));
    }
    changed.push(("project addresses", new_slugs(conn, team, user)?));
    Ok((changed, held))
}

/// Brings the search indexes up to date and merges each into one segment: an index keeps
/// what it tokenised (words of a text changed or deleted) until its segments merge.
pub fn merge_search_indexes(conn: &Connection) -> anyhow::Result<()> {
    super::sync_search(conn)?;
    for index in ["project_search", "update_search", "catalogue_search"] {
        conn.prepare_cached(&format!(
            "INSERT INTO {index} ({index}) VALUES ('optimize')"
        ))?
        .execute([])?;
    }
    Ok(())
}

/// Gives a new address to each project whose slug holds the person's id: slugs made before
/// they came from the name as shown were made from the title as typed, mentions and all
/// (`ask-u0bob-about-bins`). The old address then finds nothing. How many changed.
fn new_slugs(conn: &Connection, team: &TeamId, user: &UserId) -> anyhow::Result<usize> {
    let found: Vec<(i64, String, String)> = conn
        .prepare_cached(
            "SELECT id, title, slug FROM projects WHERE team_id = ?1 AND instr(slug, ?2)",
        )?
        .query_map(
            params![team.as_str(), user.as_str().to_ascii_lowercase()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut changed = 0;
    for (project, title, slug) in found {
        if slug_holds(&slug, user) {
            changed += super::publishing::move_to_shown_slug(conn, project, &title)?;
        }
    }
    Ok(changed)
}

/// Whether address `slug` holds `user`'s id as one of its words, lower-cased: not a longer
/// id, or a word, that begins with theirs.
fn slug_holds(slug: &str, user: &UserId) -> bool {
    let id = user.as_str().to_ascii_lowercase();
    slug.split('-').any(|part| part == id)
}

/// The `WHERE …` of a `SELECT * FROM t WHERE …`, without its `ORDER BY`.
fn condition(sql: &str) -> &str {
    let after = sql.split_once(" WHERE ").map_or("FALSE", |(_, w)| w);
    after.split(" ORDER BY ").next().unwrap_or(after)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use rusqlite::{OpenFlags, params};

    use super::forget_everywhere;
    use crate::domain::{TeamId, UserId};
    use crate::store::{Store, connect};

    /// `forget me` holds the writer: it reads the outbox once, not once for each workspace
    /// that has posts (at 50 workspaces and 2 M posts that was 26 s, found by a review).
    /// Counted in SQLite's VM steps over the whole forget: the same with the same posts
    /// spread over 2 workspaces as over 20.
    #[test]
    fn forgetting_reads_the_outbox_once_however_many_workspaces_its_posts_are_in() {
        let steps = |workspaces: usize| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("s.db");
            drop(Store::open(&path).unwrap());
            let mut conn = connect(&path, OpenFlags::default()).unwrap();
            for i in 0..400 {
                // Every tenth a delivered post naming Bob (it goes), the rest others'.
                let text = if i % 10 == 0 {
                    "thanks <@U0BOB>"
                } else {
                    "Quokka"
                };
                conn.execute(
                    "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at,
                                         created_at, delivered_at)
                     VALUES (?1, 'C1', json_object('v', 2, 'notice',
                             json_object('kind', 'update', 'update', 3, 'text', ?2)), 0, 0, 1)",
                    params![format!("T{:03}", i % workspaces), text],
                )
                .unwrap();
            }
            let counted = Arc::new(AtomicU64::new(0));
            let count = Arc::clone(&counted);
            conn.progress_handler(
                1,
                Some(move || {
                    count.fetch_add(1, Ordering::Relaxed);
                    false
                }),
            )
            .unwrap();
            let tx = conn.transaction().unwrap();
            let team = TeamId::parse("T000").unwrap();
            let forgotten = forget_everywhere(&tx, &team, &UserId::parse("U0BOB").unwrap(), 1)
                .unwrap()
                .counts;
            assert!(forgotten.contains(&("outbox", 40)), "{forgotten:?}");
            tx.commit().unwrap();
            counted.load(Ordering::Relaxed)
        };
        assert_eq!(steps(2), steps(20));
    }
}
