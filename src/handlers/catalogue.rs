//! The public catalogue: published projects, filtered as a visitor asks. Read-only, and
//! anonymous: nothing here knows who is looking.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rusqlite::Connection;

use crate::domain::{CatalogueEntry, CataloguePage, CouncilName, Phase, SearchWords, Slug};
use crate::store;

/// What a visitor filters by (`?q=`, `?phase=`, `?council=`); all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueQuery {
    pub words: Option<SearchWords>,
    pub phase: Option<Phase>,
    /// As typed: "Guildford BC" finds Guildford Borough Council's projects.
    pub council: Option<String>,
}

impl CatalogueQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_none() && self.phase.is_none() && self.council.is_none()
    }
}

/// The catalogue as a visitor asked for it.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The matching projects: by name, or best first when searching by words. Shared with
    /// the snapshot they were picked from (see [`published`]).
    pub entries: Vec<Arc<CatalogueEntry>>,
    /// Every published project: the snapshot itself (its council names fill the page's
    /// filter).
    pub all: Arc<Published>,
}

impl Catalogue {
    /// How many projects are published in all.
    pub fn published(&self) -> usize {
        self.all.entries.len()
    }

    /// Every council named in the catalogue, by name, for the council filter's suggestions.
    pub fn councils(&self) -> &[String] {
        self.all.councils()
    }

    /// Which of the catalogue's councils a council filter (`typed`; empty: none) names, as
    /// the filter matches them.
    pub fn named_by(&self, typed: &str) -> impl Fn(&str) -> bool + '_ {
        let wanted = (!typed.trim().is_empty()).then(|| self.all.wanted(typed));
        move |name: &str| {
            wanted
                .as_deref()
                .is_some_and(|wanted| self.all.is(name, wanted))
        }
    }

    /// The council filter (`typed`) names a former council, merged into another or renamed,
    /// whose services it shows.
    pub fn succession(&self, typed: &str) -> Option<&store::Succession> {
        self.all.successions.get(&council_filter_key(typed))
    }

    /// For a council filter (`typed`) naming no council in the catalogue: the councils it may
    /// have meant (a name it is part of, "Chichester" for Chichester District Council; or a
    /// slip, "Guilford"), at most five; `None` when it names one. An empty list: none near.
    pub fn councils_near(&self, typed: &str) -> Option<Vec<String>> {
        let wanted = self.all.wanted(typed);
        let keys = self.all.keys();
        if keys.values().any(|k| *k == wanted) {
            return None;
        }
        let lower = typed.trim().to_lowercase();
        // Closest first: a slip of the key by its edits, then names the words are part of
        // (three letters or more: "e" is part of nearly every name); one name per council.
        let mut near: Vec<(usize, &String)> = self
            .councils()
            .iter()
            .filter_map(|name| {
                let key = keys.get(name)?;
                let slip = (key.len().abs_diff(wanted.len()) <= 2)
                    .then(|| crate::domain::edit_distance(key, &wanted))
                    .filter(|d| *d <= 2);
                match slip {
                    Some(edits) => Some((edits, name)),
                    None if lower.chars().count() >= 3 && name.to_lowercase().contains(&lower) => {
                        Some((3, name))
                    }
                    None => None,
                }
            })
            .collect();
        near.sort();
        let mut seen = std::collections::HashSet::new();
        Some(
            near.into_iter()
                .filter(|(_, name)| keys.get(*name).is_some_and(|k| seen.insert(k)))
                .take(5)
                .map(|(_, name)| name.clone())
                .collect(),
        )
    }
}

/// Every published project, by name: the snapshot [`select`] picks from. The web edge keeps
/// one until the next write, so the HTML, JSON and CSV (and every filter) share one read.
/// What only some answers need (the council names, their match keys) is worked out the first
/// time one asks, once per snapshot: the JSON and CSV never do.
#[derive(Debug, Default)]
pub struct Published {
    pub entries: Vec<Arc<CatalogueEntry>>,
    councils: OnceLock<Vec<String>>,
    /// Each council's name to its match key ("Guildford BC" and "Guildford Borough Council"
    /// are both `guildford`).
    keys: OnceLock<HashMap<String, String>>,
    /// Former councils (merged into another, or renamed) by their match key: a filter by
    /// the old name finds the successor's services.
    successions: HashMap<String, store::Succession>,
}

impl Published {
    pub fn new(entries: Vec<Arc<CatalogueEntry>>) -> Published {
        Published {
            entries,
            ..Published::default()
        }
    }

    /// The match key a council filter (`typed`) looks for: the council's, or for a former
    /// council's name, its successor's.
    fn wanted(&self, typed: &str) -> String {
        let key = council_filter_key(typed);
        match self.successions.get(&key) {
            Some(s) => s.successor_key.clone(),
            None => key,
        }
    }

    fn councils(&self) -> &[String] {
        self.councils.get_or_init(|| {
            let mut names: Vec<String> = self
                .entries
                .iter()
                .flat_map(|e| e.lead_council.iter().chain(&e.councils).chain(&e.used_by))
                .map(String::as_str)
                .collect::<HashSet<&str>>()
                .into_iter()
                .map(str::to_string)
                .collect();
            names.sort_unstable();
            names
        })
    }

    /// Whether the catalogue's council `name` has the match key `wanted` (see [`council_filter_key`]).
    fn is(&self, name: &str, wanted: &str) -> bool {
        self.keys().get(name).is_some_and(|k| k == wanted)
    }

    fn keys(&self) -> &HashMap<String, String> {
        self.keys.get_or_init(|| {
            self.councils()
                .iter()
                .map(|name| (name.clone(), council_filter_key(name)))
                .collect()
        })
    }
}

/// A council's match key as `/makers council` makes it, or else its name in lower case:
/// what a council filter looks for, whatever its spelling (`Surrey`, `SURREY`).
pub fn council_filter_key(typed: &str) -> String {
    match CouncilName::parse(typed) {
        Ok(name) => name.key().to_string(),
        Err(_) => typed.trim().to_lowercase(),
    }
}

/// The snapshot's first part: the projects, their re-users and links (see [`published_from`]).
pub fn published_entries(conn: &Connection) -> anyhow::Result<store::Entries> {
    store::published_entries(conn)
}

/// The snapshot's second part: the councils of each project's members, and the former
/// councils' successors.
pub fn published_member_councils(
    conn: &Connection,
) -> anyhow::Result<(store::MemberCouncils, Vec<store::Succession>)> {
    Ok((
        store::published_member_councils(conn)?,
        store::successions(conn)?,
    ))
}

/// The snapshot from its two parts, read at once on two connections by the web edge (the
/// first request after a write waits for the read).
pub fn published_from(
    entries: store::Entries,
    (councils, successions): (store::MemberCouncils, Vec<store::Succession>),
) -> Published {
    Published {
        successions: successions
            .into_iter()
            .map(|s| (s.former_key.clone(), s))
            .collect(),
        ..Published::new(
            store::put_together(entries, councils)
                .into_iter()
                .map(Arc::new)
                .collect(),
        )
    }
}

/// The search's order when the query has words (`None` without).
pub fn ranked(conn: &Connection, query: &CatalogueQuery) -> anyhow::Result<Option<Vec<Slug>>> {
    match &query.words {
        Some(words) => Ok(Some(store::search_published(conn, words)?)),
        None => Ok(None),
    }
}

/// One published project's page.
pub fn project_page(conn: &Connection, slug: &Slug) -> anyhow::Result<Option<CataloguePage>> {
    store::published_page(conn, slug)
}

/// Applies the filters to the snapshot `all`; `ranked` is the search's order when there were
/// words. Entries are shared, not copied (at 10,000 projects copying them cost milliseconds).
pub fn select(
    all: &Arc<Published>,
    query: &CatalogueQuery,
    ranked: Option<Vec<Slug>>,
) -> Catalogue {
    // A council matches by its key, as `/makers council` does ("Guildford BC" is
    // "Guildford Borough Council"), or else by its name as typed.
    let wanted = query.council.as_deref().map(|typed| all.wanted(typed));
    let takes_part = |e: &CatalogueEntry, wanted: &str| {
        e.lead_council
            .iter()
            .chain(&e.councils)
            .chain(&e.used_by)
            .any(|name| all.is(name, wanted))
    };
    let keep = |e: &CatalogueEntry| {
        query.phase.is_none_or(|p| e.phase == p)
            && wanted.as_deref().is_none_or(|w| takes_part(e, w))
    };
    let entries = match ranked {
        None => all.entries.iter().filter(|e| keep(e)).cloned().collect(),
        Some(order) => {
            let by_slug: HashMap<&Slug, &Arc<CatalogueEntry>> =
                all.entries.iter().map(|e| (&e.slug, e)).collect();
            order
                .iter()
                .filter_map(|slug| by_slug.get(slug).copied())
                .filter(|e| keep(e))
                .cloned()
                .collect()
        }
    };
    Catalogue {
        entries,
        all: all.clone(),
    }
}
