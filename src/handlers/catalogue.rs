//! The public catalogue: published projects, filtered as a visitor asks. Read-only, and
//! anonymous: nothing here knows who is looking.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The matching projects: by name, or best first when searching by words. Shared with
    /// the snapshot they were picked from (see [`published`]).
    pub entries: Vec<Arc<CatalogueEntry>>,
    /// How many projects are published in all.
    pub published: usize,
    /// Every council named in the catalogue, for the council filter's suggestions.
    pub councils: Vec<String>,
}

/// The published projects that match `query`.
pub fn catalogue(conn: &Connection, query: &CatalogueQuery) -> anyhow::Result<Catalogue> {
    let all = published(conn)?;
    let ranked = ranked(conn, query)?;
    Ok(select(&all, query, ranked))
}

/// Every published project, by name: the snapshot [`select`] picks from. The web edge keeps
/// one until the next write, so the HTML, JSON and CSV (and every filter) share one read.
pub fn published(conn: &Connection) -> anyhow::Result<Vec<Arc<CatalogueEntry>>> {
    Ok(store::published_projects(conn)?
        .into_iter()
        .map(Arc::new)
        .collect())
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
    all: &[Arc<CatalogueEntry>],
    query: &CatalogueQuery,
    ranked: Option<Vec<Slug>>,
) -> Catalogue {
    let published = all.len();
    let mut councils: Vec<String> = all
        .iter()
        .flat_map(|e| e.lead_council.iter().chain(&e.councils).chain(&e.used_by))
        .map(String::as_str)
        .collect::<HashSet<&str>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    councils.sort_unstable();
    // A council matches by its key, as `/makers council` does ("Guildford BC" is
    // "Guildford Borough Council"), or else by its name as typed.
    let wanted = query
        .council
        .as_deref()
        .map(|typed| match CouncilName::parse(typed) {
            Ok(name) => name.key().to_string(),
            Err(_) => typed.trim().to_lowercase(),
        });
    let keys: HashMap<&str, String> = councils
        .iter()
        .map(|name| {
            let key = CouncilName::parse(name)
                .map_or_else(|_| name.to_lowercase(), |n| n.key().to_string());
            (name.as_str(), key)
        })
        .collect();
    let takes_part = |e: &CatalogueEntry, wanted: &str| {
        e.lead_council
            .iter()
            .chain(&e.councils)
            .chain(&e.used_by)
            .any(|name| keys.get(name.as_str()).is_some_and(|k| k == wanted))
    };
    let keep = |e: &CatalogueEntry| {
        query.phase.is_none_or(|p| e.phase == p)
            && wanted.as_deref().is_none_or(|w| takes_part(e, w))
    };
    let entries = match ranked {
        None => all.iter().filter(|e| keep(e)).cloned().collect(),
        Some(order) => {
            let by_slug: HashMap<&Slug, &Arc<CatalogueEntry>> =
                all.iter().map(|e| (&e.slug, e)).collect();
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
        published,
        councils,
    }
}
