//! Reads for the public catalogue: published projects only, as records holding nothing
//! personal (no user or channel ids leave this module; free text goes through `public_text`).
//!
//! Every published project, by name, is read in two parts that do not depend on each other,
//! so a caller with two connections reads them at once ([`published_entries`],
//! [`published_member_councils`], then [`put_together`]): a handful of queries for the whole
//! catalogue (not a few per project), milliseconds at 10,000 projects.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use rusqlite::{Connection, OptionalExtension, Rows, Statement, params};

use super::doing;
use crate::domain::{
    CarriedOn, CatalogueEntry, CataloguePage, LinkUrl, MergedService, Period, Phase, ProjectLink,
    ProjectNumber, PublicPhaseChange, PublicReuse, SearchWords, ServiceElsewhere, Slug, TeamId,
    name_order, public_council, public_name, public_text,
};

/// Published projects with their re-users and links, but not yet their members' councils.
pub fn published_entries(conn: &Connection) -> anyhow::Result<Entries> {
    doing("cannot read the catalogue", || entries(conn, Scope::All))
}

/// The councils of each published project's members, by project id.
pub fn published_member_councils(conn: &Connection) -> anyhow::Result<MemberCouncils> {
    doing("cannot read the catalogue's councils", || {
        member_councils(conn, Scope::All)
    })
}

/// The two parts as one catalogue, by name (A to Z as [`name_order`] reads it, then slug).
/// Read on two connections they may be a commit apart: then a project's councils are those
/// of a moment later, which is all public.
pub fn put_together(entries: Entries, mut councils: MemberCouncils) -> Vec<CatalogueEntry> {
    let mut entries: Vec<CatalogueEntry> = entries
        .into_iter()
        .map(|entry| with_councils(entry, &mut councils).1)
        .collect();
    entries.sort_by_cached_key(|e| (name_order(&e.name), e.slug.as_str().to_string()));
    entries
}

/// An entry given its members' councils (taken out of `councils`).
fn with_councils(
    (id, mut entry): (i64, CatalogueEntry),
    councils: &mut MemberCouncils,
) -> (i64, CatalogueEntry) {
    entry.councils = councils.remove(&id).unwrap_or_default();
    (id, entry)
}

/// Published projects by row id, without their members' councils.
pub type Entries = Vec<(i64, CatalogueEntry)>;
/// Project row id to the councils of its members, by name.
pub type MemberCouncils = HashMap<i64, Vec<String>, RandomState>;

/// The workspace and number of the project at `slug`: only a published one, or (`Listed::Ever`)
/// one that was, whose address it keeps (to withdraw a re-use of it once it is taken out).
pub fn listed_project(
    conn: &Connection,
    slug: &Slug,
    listed: Listed,
) -> anyhow::Result<Option<ListedProject>> {
    doing("cannot read the catalogue's project", || {
        let sql = match listed {
            Listed::Now => {
                "SELECT team_id, number, 1 FROM projects
                 WHERE slug = ?1 AND published_at IS NOT NULL"
            }
            Listed::Ever => {
                "SELECT team_id, number, published_at IS NOT NULL FROM projects WHERE slug = ?1"
            }
        };
        let found: Option<(String, u32, bool)> = conn
            .prepare_cached(sql)?
            .query_row(params![slug.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        Ok(found.and_then(|(team, number, published)| {
            Some(ListedProject {
                team: TeamId::parse(&team)?,
                number: ProjectNumber::new(number)?,
                published,
            })
        }))
    })
}

/// A project found by its catalogue address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedProject {
    pub team: TeamId,
    pub number: ProjectNumber,
    /// In the catalogue now: its name there is public. One taken out since (or taken down,
    /// which unpublishes it) is found by [`Listed::Ever`] alone, and its name (which may
    /// have changed, or is not to be shown again) is not said to whoever types its address.
    pub published: bool,
}

/// Which projects [`listed_project`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// In the catalogue now.
    Now,
    /// In it now or once (a slug, once given, is kept), taken down too (whose name the
    /// caller must not show: see [`ListedProject::published`]).
    Ever,
}

/// One published project's page, or `None` if no published project has that slug.
pub fn published_page(conn: &Connection, slug: &Slug) -> anyhow::Result<Option<CataloguePage>> {
    let entry = doing("cannot read the project's page", || {
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM projects WHERE slug = ?1 AND published_at IS NOT NULL")?
            .query_row(params![slug.as_str()], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        let mut councils = member_councils(conn, Scope::One(id))?;
        Ok(entries(conn, Scope::One(id))?
            .pop()
            .map(|entry| with_councils(entry, &mut councils)))
    })?;
    let Some((id, entry)) = entry else {
        return Ok(None);
    };
    // What `show` reads, made public: notes through `public_text`, and nobody named.
    let reuses = super::reuses_of(conn, id)?
        .into_iter()
        .map(|r| PublicReuse {
            council: public_council(r.council),
            note: public_text(&r.note),
            since: r.since,
        })
        .collect();
    let history = super::phase_history(conn, id)?
        .into_iter()
        .map(|c| PublicPhaseChange {
            to: c.to,
            note: public_text(&c.note),
            at: c.at,
        })
        .collect();
    Ok(Some(CataloguePage {
        entry,
        reuses,
        history,
    }))
}

/// The slugs of published projects whose name or description, as the catalogue shows them,
/// holds every one of `words` (each as a prefix: a filter, which another word narrows), best
/// first. Not updates (the catalogue does not show them), nor the
/// ids and addresses the stored text holds: `catalogue_search` indexes the shown text alone.
pub fn search_published(conn: &Connection, words: &SearchWords) -> anyhow::Result<Vec<Slug>> {
    doing("cannot search the catalogue", || {
        let mut stmt = conn.prepare_cached(
            "SELECT p.slug FROM catalogue_search s JOIN projects p ON p.id = s.rowid
             WHERE catalogue_search MATCH ?1 AND p.published_at IS NOT NULL
             ORDER BY bm25(catalogue_search, 10.0, 3.0), p.slug",
        )?;
        let rows = stmt.query_map(params![words.fts_query_every_word()], |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|r| r.map(Slug::from_stored)).collect()
    })
}

/// The columns [`service_elsewhere`] reads, of `projects p`, its lead council `c` and the
/// service `li` it was merged into (`listed_into_join!`).
macro_rules! service_elsewhere_columns {
    () => {
        "SELECT p.slug, p.title, p.phase, c.name,
                (SELECT COUNT(*) FROM reuses r WHERE r.project_id = p.id), li.slug, li.title "
    };
}

/// A row of [`service_elsewhere_columns`] as the catalogue shows it.
fn service_elsewhere(r: &rusqlite::Row<'_>) -> rusqlite::Result<ServiceElsewhere> {
    Ok(ServiceElsewhere {
        slug: Slug::from_stored(r.get(0)?),
        name: public_name(r.get_ref(1)?.as_str()?),
        phase: r.get_ref(2)?.as_str()?.parse().unwrap_or(Phase::Discovery),
        lead_council: r.get::<_, Option<String>>(3)?.map(public_council),
        reused_by: r.get(4)?,
        merged_into: listed_into(r, 5)?,
    })
}

/// The service of `listed_into_join!` (its `li.slug` at column `at`, `li.title` after it) as
/// the catalogue names it, if there is one.
pub(super) fn listed_into(
    r: &rusqlite::Row<'_>,
    at: usize,
) -> rusqlite::Result<Option<MergedService>> {
    let Some(slug) = r.get::<_, Option<String>>(at)? else {
        return Ok(None);
    };
    Ok(Some(MergedService {
        slug: Slug::from_stored(slug),
        name: public_name(r.get_ref(at + 1)?.as_str()?),
    }))
}

/// Services other workspaces than `team` put in the public catalogue in `period`, not
/// retired, newest first (a digest's news from elsewhere).
pub fn published_elsewhere_in(
    conn: &Connection,
    team: &TeamId,
    Period { from, to }: Period,
) -> anyhow::Result<Vec<ServiceElsewhere>> {
    doing("cannot read what other workspaces published", || {
        let mut stmt = conn.prepare_cached(concat!(
            service_elsewhere_columns!(),
            "FROM projects p LEFT JOIN councils c ON c.id = p.pitcher_council_id",
            listed_into_join!(),
            "WHERE p.published_at >= ?2 AND p.published_at < ?3 AND p.team_id <> ?1
                AND p.phase <> 'retired'
              ORDER BY p.published_at DESC, p.slug"
        ))?;
        let rows = stmt.query_map(params![team.as_str(), from, to], service_elsewhere)?;
        rows.collect()
    })
}

/// The addresses of workspace `team`'s services in the catalogue now.
pub fn published_slugs_of(conn: &Connection, team: &TeamId) -> anyhow::Result<Vec<Slug>> {
    doing("cannot read the workspace's services", || {
        conn.prepare_cached(
            "SELECT slug FROM projects WHERE team_id = ?1 AND published_at IS NOT NULL",
        )?
        .query_map(params![team.as_str()], |r| r.get(0).map(Slug::from_stored))?
        .collect()
    })
}

/// Which services [`published_elsewhere`] finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    /// Any phase, retired ones last (a search: a service retired elsewhere is worth knowing
    /// of before building it again).
    Any,
    /// Not retired (a pitch: offered as something to re-use instead).
    Open,
}

/// Published services of other workspaces than `team` whose name or description, as the
/// catalogue shows them, hold every one of `words` (a search's as prefixes, as
/// [`search_published`] finds them; a pitch's title's whole, as its workspace's similar
/// projects are found), best first, at most `limit`. Public by construction: the catalogue's
/// own index and names, and a count of re-users. The best are picked first and only they
/// are joined and counted: a short word may match most of the catalogue.
pub fn published_elsewhere(
    conn: &Connection,
    team: &TeamId,
    words: &SearchWords,
    which: Elsewhere,
    limit: u32,
) -> anyhow::Result<Vec<ServiceElsewhere>> {
    doing("cannot search the catalogue", || {
        let mut stmt = conn.prepare_cached(concat!(
            "WITH best (id, retired, rank, slug) AS (
                 SELECT p.id, p.phase = 'retired', bm25(catalogue_search, 10.0, 3.0), p.slug
                   FROM catalogue_search s JOIN projects p ON p.id = s.rowid
                  WHERE catalogue_search MATCH ?1 AND p.published_at IS NOT NULL
                    AND p.team_id <> ?2 AND (?3 OR p.phase <> 'retired')
                  ORDER BY 2, 3, 4 LIMIT ?4
             ) ",
            service_elsewhere_columns!(),
            "FROM best b JOIN projects p ON p.id = b.id
               LEFT JOIN councils c ON c.id = p.pitcher_council_id",
            listed_into_join!(),
            "ORDER BY b.retired, b.rank, b.slug"
        ))?;
        let query = match words.every_word() {
            true => words.fts_query(),
            false => words.fts_query_every_word(),
        };
        let any = which == Elsewhere::Any;
        let rows = stmt.query_map(params![query, team.as_str(), any, limit], service_elsewhere)?;
        rows.collect()
    })
}

/// Which published projects a read covers. Separate statements for the two, not one with
/// `?1 IS NULL OR p.id = ?1`: SQLite cannot look an `OR` like that up by id, and read every
/// published project for one project's page (12 ms at 10,000).
#[derive(Clone, Copy)]
enum Scope {
    All,
    One(i64),
}

impl Scope {
    /// The condition on `projects p`. For the whole catalogue, reading the table through is
    /// cheaper than looking each row up from the `published_at` index (`+` turns it off).
    fn projects(self) -> &'static str {
        match self {
            Scope::All => "+p.published_at IS NOT NULL",
            Scope::One(_) => "p.id = ?1 AND p.published_at IS NOT NULL",
        }
    }

    /// The condition on a table's `project_id` column: none for the whole catalogue (rows of
    /// projects not published find no entry, and are skipped).
    fn rows_of(self, column: &str) -> String {
        match self {
            Scope::All => "TRUE".into(),
            Scope::One(_) => format!("{column} = ?1"),
        }
    }

    fn query<'s>(self, stmt: &'s mut Statement<'_>) -> rusqlite::Result<Rows<'s>> {
        match self {
            Scope::All => stmt.query([]),
            Scope::One(id) => stmt.query([id]),
        }
    }
}

/// Published projects (all, or one), each with its re-users and links, unsorted.
/// Lists are sorted and councils named here rather than in SQL: at 10,000 projects,
/// `DISTINCT` and `ORDER BY` over every member's council had SQLite sort (spilling to a
/// temporary file), and joining `projects` again for each list looked every row up anew.
fn entries(conn: &Connection, scope: Scope) -> rusqlite::Result<Vec<(i64, CatalogueEntry)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.slug, p.title, p.description, p.phase, c.name, p.created_at,
                p.last_activity_at, p.published_at,
                (SELECT MAX(pc.changed_at) FROM phase_changes pc WHERE pc.project_id = p.id)
         FROM projects p LEFT JOIN councils c ON c.id = p.pitcher_council_id
         WHERE {}",
        scope.projects()
    ))?;
    let mut entries = Vec::new();
    let mut index = HashMap::with_capacity_and_hasher(0, RandomState::default());
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        index.insert(id, entries.len());
        // Text is read in place (`get_ref`) where only a transformed copy is kept.
        entries.push((
            id,
            CatalogueEntry {
                slug: Slug::from_stored(r.get(1)?),
                name: public_name(r.get_ref(2)?.as_str()?),
                description: public_text(r.get_ref(3)?.as_str()?),
                phase: r.get_ref(4)?.as_str()?.parse().unwrap_or(Phase::Discovery),
                lead_council: r.get::<_, Option<String>>(5)?.map(public_council),
                councils: Vec::new(),
                used_by: Vec::new(),
                links: Vec::new(),
                pitched: r.get(6)?,
                last_news: r.get(7)?,
                published: r.get(8)?,
                carried_on: None,
                merged_at: None,
                phase_changed: r.get(9)?,
            },
        ));
    }
    let entry = |id: i64| index.get(&id).copied();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.project_id, c.name FROM reuses r JOIN councils c ON c.id = r.council_id
         WHERE {}",
        scope.rows_of("r.project_id")
    ))?;
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        if let Some(i) = entry(r.get(0)?) {
            entries[i].1.used_by.push(public_council(r.get(1)?));
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.project_id, l.kind, l.url FROM project_links l WHERE {}",
        scope.rows_of("l.project_id")
    ))?;
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        let url = LinkUrl::from_stored(r.get(2)?);
        // Slack's own addresses hold ids and open only for the workspace's members.
        if let (Some(i), Ok(kind), false) = (entry(r.get(0)?), kind.parse(), url.is_private()) {
            entries[i].1.links.push(ProjectLink { kind, url });
        }
    }
    // Merged: where its work carries on (merges are few: read whole for the catalogue). A
    // project not published is not named: its name is not public.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.project_id, i.published_at IS NOT NULL, i.slug, i.title, m.merged_at
           FROM project_merges m JOIN projects i ON i.id = m.into_id
          WHERE {}",
        scope.rows_of("m.project_id")
    ))?;
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        if let Some(i) = entry(r.get(0)?) {
            entries[i].1.merged_at = Some(r.get(4)?);
            entries[i].1.carried_on = Some(match r.get::<_, bool>(1)? {
                true => CarriedOn::As(MergedService {
                    slug: Slug::from_stored(r.get(2)?),
                    name: public_name(r.get_ref(3)?.as_str()?),
                }),
                false => CarriedOn::Unlisted,
            });
        }
    }
    for (_, e) in &mut entries {
        // By name; links code, then service, then docs.
        e.used_by.sort_unstable();
        e.links.sort_unstable_by_key(|l| l.kind);
    }
    Ok(entries)
}

/// The councils of each published project's members (people who said theirs), each once, by
/// name, by project id. Joined here, by hash, rather than by SQLite, which would look each
/// member up in `people` (15 ms for 30,000 members); for one project, only its members are
/// read from `people`.
fn member_councils(conn: &Connection, scope: Scope) -> rusqlite::Result<MemberCouncils> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM councils")?;
    let names: HashMap<i64, String, RandomState> = stmt
        .query_map([], |r| Ok((r.get(0)?, public_council(r.get(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    // Each project's workspace: a person's council there comes first.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.team_id FROM projects p WHERE {}",
        scope.projects()
    ))?;
    let mut team_of: HashMap<i64, String, RandomState> = HashMap::default();
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        team_of.insert(r.get(0)?, r.get(1)?);
    }
    let people = match scope {
        Scope::All => "TRUE",
        Scope::One(_) => "pe.user_id IN (SELECT user_id FROM members WHERE project_id = ?1)",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT pe.team_id, pe.user_id, pe.council_id, pe.council_said_at FROM people pe
         WHERE pe.council_id IS NOT NULL AND {people}"
    ))?;
    // Workspace -> person -> council, and person -> the council said most recently anywhere
    // (when, and the workspace: the first by id of the latest): `said_council!`'s rule.
    let mut said: HashMap<String, HashMap<String, i64, RandomState>, RandomState> =
        HashMap::default();
    type Latest = (Option<i64>, std::cmp::Reverse<String>, i64);
    let mut latest: HashMap<String, Latest, RandomState> = HashMap::default();
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        let (team, user): (String, String) = (r.get(0)?, r.get(1)?);
        let council: i64 = r.get(2)?;
        let this = (r.get(3)?, std::cmp::Reverse(team.clone()), council);
        match latest.get_mut(&user) {
            Some(best) if *best >= this => {}
            Some(best) => *best = this,
            None => {
                latest.insert(user.clone(), this);
            }
        }
        said.entry(team).or_default().insert(user, council);
    }
    let mut ids: HashMap<i64, Vec<i64>, RandomState> = HashMap::default();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.project_id, m.user_id FROM members m WHERE {}",
        scope.rows_of("m.project_id")
    ))?;
    let mut rows = scope.query(&mut stmt)?;
    while let Some(r) = rows.next()? {
        let project: i64 = r.get(0)?;
        let Some(team) = team_of.get(&project) else {
            continue;
        };
        let user = r.get_ref(1)?.as_str()?;
        let own = said.get(team).and_then(|team| team.get(user));
        if let Some(&council) = own.or_else(|| latest.get(user).map(|(_, _, council)| council)) {
            ids.entry(project).or_default().push(council);
        }
    }
    Ok(ids
        .into_iter()
        .map(|(project, mut ids)| {
            ids.sort_unstable();
            ids.dedup();
            let mut named: Vec<String> =
                ids.iter().filter_map(|id| names.get(id).cloned()).collect();
            named.sort_unstable();
            named.dedup();
            (project, named)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChannelId, Description, Title, UserId};
    use crate::store::people::{own_person, said_council};
    use crate::store::{NewProject, Store, insert_project, publish};

    /// A store with `titles` pitched in workspace `team` and published.
    fn published(titles: &[(&str, &str)]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        store
            .write(|tx| {
                for (team, title) in titles {
                    let title = Title::parse(title).unwrap();
                    let new = NewProject {
                        team: &TeamId::parse(team).unwrap(),
                        title: &title,
                        description: &Description::parse("").unwrap(),
                        pitcher: &UserId::parse("U1").unwrap(),
                        channel: &ChannelId::parse("C1").unwrap(),
                        pitcher_council: None,
                        now: 1_700_000_000,
                    };
                    let (id, _) = insert_project(tx, &new)?;
                    publish(tx, id, &title, 1_700_000_000)?;
                }
                crate::store::sync_search(tx)
            })
            .unwrap();
        (dir, store)
    }

    /// A word counts only the letters the index keeps: "ⓐⓐe" is the one-letter "e" to it,
    /// and "coͅ" (o and U+0345) the two-letter "co", so neither may be a prefix: "e"* and
    /// "co"* match most of a catalogue, and the catalogue's search has no time limit.
    #[test]
    fn letters_the_index_drops_do_not_make_a_short_word_a_prefix() {
        let (_dir, store) = published(&[("T1", "Easy forms"), ("T1", "Council tax")]);
        let found = |q: &str| match SearchWords::parse(q) {
            Ok(words) => store.read(|c| search_published(c, &words)).unwrap(),
            Err(_) => Vec::new(),
        };
        for q in ["e", "ⓐⓐe", "co", "co\u{345}", "ⓒⓞu"] {
            assert_eq!(found(q), Vec::<Slug>::new(), "{q}");
        }
        // The letters it keeps still make a word.
        assert_eq!(found("ⓐⓐeasy"), [Slug::from_stored("easy-forms".into())]);
    }

    /// A word in a script written with vowel signs (Hindi, Punjabi, Bengali) is one word, as
    /// typed: its signs are marks, which the index splits at ("हिंदी" is "ह" and "द" to it), so
    /// the quoted word finds those letters in turn. Cut at its marks, each part was a single
    /// letter, dropped, and the search was refused as empty.
    #[test]
    fn a_word_with_vowel_signs_finds_what_holds_it() {
        let (_dir, store) = published(&[("T1", "हिंदी सेवा"), ("T1", "Council tax")]);
        let team = TeamId::parse("T1").unwrap();
        for q in ["हिंदी", "सेवा", "हिंदी सेवा"] {
            let words = SearchWords::parse(q).unwrap();
            let found = store.read(|c| search_published(c, &words)).unwrap();
            assert_eq!(found.len(), 1, "{q}: {found:?}");
            let projects = store
                .read(|c| crate::store::search_projects(c, &team, &words, 0, 10, None))
                .unwrap();
            let titles: Vec<&str> = projects.iter().map(|p| p.title.as_str()).collect();
            assert_eq!(titles, ["हिंदी सेवा"], "{q}");
        }
    }

    /// The catalogue reads its members' councils by hash, for speed; it must pick what
    /// `said_council!` picks: the project's workspace's own council first, else the one said
    /// last elsewhere, the first workspace by id between two said at once.
    #[test]
    fn members_councils_follow_the_store_rule() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO councils (id, team_id, match_key, name, created_at)
                     VALUES (1, 'T1', 'adur', 'Adur', 0), (2, 'T1', 'brent', 'Brent', 0),
                            (3, 'T1', 'crawley', 'Crawley', 0), (4, 'T1', 'dover', 'Dover', 0);
                     INSERT INTO projects (id, team_id, number, title, description, phase,
                                           pitcher, channel_id, created_at, updated_at,
                                           last_activity_at, slug, published_at)
                     VALUES (1, 'T1', 1, 'Bins', '', 'beta', 'U0', 'C1', 0, 0, 0, 'bins', 1);
                     INSERT INTO members (project_id, user_id, joined_at)
                     VALUES (1, 'UOWN', 0), (1, 'ULATE', 0), (1, 'UTIE', 0), (1, 'UNONE', 0);
                     INSERT INTO people (team_id, user_id, council_id, updated_at,
                                         council_said_at, is_bot)
                     VALUES ('T1', 'UOWN', 1, 0, 5, 0), ('T2', 'UOWN', 2, 0, 9, 0),
                            ('T1', 'ULATE', NULL, 0, NULL, 0), ('T2', 'ULATE', 2, 0, 5, 0),
                            ('T3', 'ULATE', 3, 0, 9, 0),
                            ('T3', 'UTIE', 3, 0, 7, 0), ('T2', 'UTIE', 4, 0, 7, 0),
                            ('T2', 'UNONE', NULL, 0, NULL, 0);",
                )?;
                Ok(())
            })
            .unwrap();
        let by_sql: Vec<String> = store
            .write(|tx| {
                let sql = concat!(
                    "SELECT DISTINCT c.name FROM members m JOIN projects p ON p.id = m.project_id ",
                    own_person!(),
                    " JOIN councils c ON c.id = ",
                    said_council!(),
                    " WHERE m.project_id = 1 ORDER BY c.name"
                );
                let mut stmt = tx.prepare(sql)?;
                let names = stmt.query_map([], |r| r.get(0))?;
                Ok(names.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert_eq!(by_sql, ["Adur", "Crawley", "Dover"]);
        for scope in [Scope::All, Scope::One(1)] {
            let by_hash = store.write(|tx| Ok(member_councils(tx, scope)?)).unwrap();
            assert_eq!(by_hash.get(&1), Some(&by_sql));
        }
    }
}
