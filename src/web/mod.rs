//! The public catalogue on the web, served by `serve` beside the Slack routes: `GET /catalogue`
//! (HTML, filters `?q=`, `?phase=`, `?council=`), `/catalogue/<slug>`, `/catalogue.json`,
//! `/catalogue.csv` and the feed `/catalogue.atom`. Read-only and anonymous. Every answer carries a strong `ETag` (a hash of
//! its body) and `If-None-Match` gets 304; answers are kept until the next write (or the next
//! minute, for writes by another process), so a revalidation costs a map look-up.

mod cache;
mod data;
mod feed;
mod page;
mod query;

pub use page::Footer;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono_tz::Tz;
use http_body_util::Full;
use hyper::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, CACHE_CONTROL, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, HeaderMap, HeaderName, HeaderValue, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use hyper::{Response, StatusCode};

use crate::clock::SharedClock;
use crate::domain::Slug;
use crate::handlers::{self, CatalogueQuery};
use crate::slack::refusal_log::RefusalLog;
use crate::store::AsyncStore;
use cache::{Answer, Kept, Tag};
use query::Filters;

/// What the catalogue needs to answer.
pub struct Catalogue {
    pub db: AsyncStore,
    /// Dates are shown in `MAKERS_TZ`.
    pub tz: Tz,
    /// `MAKERS_PUBLIC_URL` without a trailing slash: the JSON's and CSV's `url`s start with it.
    pub public_url: String,
    /// What every page's footer links to.
    pub footer: page::Footer,
    /// What "now" is for dates and for how long a snapshot is kept: the app's, which tests
    /// move.
    clock: SharedClock,
    /// `MAKERS_PUBLIC_URL` as given (without a trailing slash): the pages' canonical
    /// address and what link previews show. `None` without it: the address the bot binds
    /// to is no public page's address.
    own_address: Option<String>,
    /// Rendered answers, by what they answer.
    cache: Kept<String, Arc<Answer>>,
    /// Every published project, as last read: the HTML, JSON, CSV and every filter pick from
    /// it until the next write.
    snapshot: Kept<(), Arc<handlers::Published>>,
    /// Turns to render an answer the cache does not hold ([`RENDERS_AT_ONCE`]).
    renders: tokio::sync::Semaphore,
    /// Requests waiting for a turn now ([`RENDERS_WAITING`] at most).
    waiting: AtomicUsize,
    /// Answers being rendered or waiting for a turn, by key: a request for one of them waits
    /// for it rather than take a place in the queue ([`Flight`]).
    flights: Flights,
}

/// What a cached answer is kept under: what it depends on.
fn key_of(path: &CataloguePath, filters: &Filters) -> String {
    // Keyed by what the answer depends on: a project's page on nothing but its slug, the
    // data on what the filters look for (not the page number) and whether they are wrong
    // (words with nothing searchable in them look for nothing, as no words do, but are
    // a 400, never the whole list), the page on the filters as typed (it shows them back).
    match path {
        CataloguePath::Project(_) | CataloguePath::ProjectJson(_) => format!("{path:?}"),
        // The feed says its filters as typed (its title, its id): keyed by them, and by
        // what is wrong with them (a phase that is none is no filter, but a 400).
        CataloguePath::Atom => format!(
            "{path:?} {} {:?} {:?}",
            filters.page_query(1),
            filters.bad_phase,
            filters.problem()
        ),
        // A council by its key, as the filter looks for it: one answer for every
        // spelling (each would otherwise be a render of its own, and there are a
        // million ways to write a long name in capitals and small letters).
        CataloguePath::Json | CataloguePath::Csv => {
            let mut query = filters.query();
            query.council = query.council.map(|c| handlers::council_filter_key(&c));
            format!(
                "{path:?} {query:?} {:?} {:?} {}",
                filters.bad_phase,
                filters.problem(),
                filters.excel
            )
        }
        _ => format!("{path:?} {filters:?}"),
    }
}

/// Answers rendered at once: one each for the two cores of a small machine; a render is tens
/// of milliseconds, so a queue of them clears fast.
const RENDERS_AT_ONCE: usize = 2;

/// Requests that wait for a render turn, at most; one more is answered 503 at once. Each
/// waiting request holds one of the server's connections, which Slack's requests need too: a
/// flood of distinct searches faster than the turns clear would otherwise take them all.
/// Only the first request for an answer waits here; the rest wait for it ([`Flight`]).
const RENDERS_WAITING: usize = 16;

/// A place in the queue for a render turn, given up when dropped (a client that hangs up
/// included).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    /// A place, if fewer than [`RENDERS_WAITING`] wait.
    fn join(count: &'a AtomicUsize) -> Option<Waiting<'a>> {
        count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < RENDERS_WAITING).then_some(n + 1)
            })
            .ok()
            .map(|_| Waiting(count))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Per key, a lock the requests missing it take in turn, and how many hold or wait for it.
type Flights = Mutex<HashMap<String, (Arc<tokio::sync::Mutex<()>>, usize)>>;

/// A request's part in the misses of one key: the first to lock it renders (or waits for a
/// turn, in the queue); the rest wait for that, without a place, and then find it cached.
/// The key is forgotten when the last one ends or is dropped.
struct Flight<'a> {
    flights: &'a Flights,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl<'a> Flight<'a> {
    fn join(flights: &'a Flights, key: &str) -> Flight<'a> {
        let mut map = flights.lock().unwrap_or_else(|p| p.into_inner());
        let (lock, count) = map.entry(key.to_string()).or_default();
        *count += 1;
        Flight {
            flights,
            key: key.to_string(),
            lock: lock.clone(),
        }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut map = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, count)) = map.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// Which catalogue answer a path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CataloguePath {
    /// `/`, the address a resident types alone: redirected to the catalogue.
    Root,
    Page,
    /// `/catalogue/`: redirected to `/catalogue`, since the page's links are relative to it.
    PageWithSlash,
    Json,
    Csv,
    /// `/catalogue.atom`: the newest services as a feed (added).
    Atom,
    /// `/catalogue/<slug>`; `None` for one word under `/catalogue/` that is no address.
    Project(Option<Slug>),
    /// `/catalogue/<slug>.json`: one project as the JSON lists it, for a council's page
    /// that shows one shared service (added); `None` for a name before `.json` that is no
    /// slug (answered as data: not found).
    ProjectJson(Option<Slug>),
    /// `/catalogue/<slug>/`: redirected to the project's page (its links are relative).
    ProjectWithSlash(Slug),
    /// An address typed or pasted a little off (`/catalogue/Bin-Day-Finder`, or with the
    /// full stop or bracket after a link in an e-mail): redirected to it.
    ProjectAsTyped(Slug),
    /// A project's address with its folder typed a little off (`/Catalogue/<slug>`,
    /// `/CATALOG/<SLUG>/`): redirected to the project's page, `climbs` folders up and into
    /// `catalogue` (added).
    ProjectInFolderAsTyped {
        slug: Slug,
        climbs: usize,
    },
    /// A path `depth` folders below `/catalogue/` (`/catalogue/a/b` is 1): nothing, whose
    /// page's links must climb that much further to lead back.
    Deeper(usize),
    /// A page a person asked for outside the catalogue that is nothing (`/services`,
    /// `/catalgue`), `climbs` folders below the site's root: the catalogue's page saying so,
    /// with the way back, rather than a bare "not found" (added).
    Nowhere {
        climbs: usize,
    },
}

/// The most folders a path that is nothing may be below where its page's links lead back
/// from; a deeper one gets a bare "not found". Nobody types that deep, and each folder
/// would add a climb (`../`) to every link of a page that is never cached: 64 KB of slashes
/// made a page of nearly 600 KB.
const MAX_CLIMBS: usize = 16;

impl CataloguePath {
    /// `None` for paths outside the catalogue.
    pub fn of(path: &str) -> Option<CataloguePath> {
        match path {
            "/" => Some(CataloguePath::Root),
            "/catalogue" => Some(CataloguePath::Page),
            "/catalogue/" => Some(CataloguePath::PageWithSlash),
            "/catalogue.json" => Some(CataloguePath::Json),
            "/catalogue.csv" => Some(CataloguePath::Csv),
            "/catalogue.atom" => Some(CataloguePath::Atom),
            // What a resident may type for it ("/Catalogue", "/catalog"): sent there, as the
            // site's root is (a bare "not found" led nowhere). Not with a slash after it,
            // from where the root's relative address would lead one folder down.
            near if ["/catalogue", "/catalog"]
                .iter()
                .any(|p| near.eq_ignore_ascii_case(p)) =>
            {
                Some(CataloguePath::Root)
            }
            // Too deep for a page with the way back (`Deeper`): a bare "not found", as
            // `nowhere` gives.
            deep if deep.starts_with("/catalogue/")
                && deep.matches('/').count() > MAX_CLIMBS + 2 =>
            {
                None
            }
            _ if !path.starts_with("/catalogue/") => in_folder_as_typed(path),
            _ => path.strip_prefix("/catalogue/").map(|rest| {
                if let Some(slug) = rest.strip_suffix('/').and_then(Slug::parse) {
                    return CataloguePath::ProjectWithSlash(slug);
                }
                if let Some(slug) = Slug::parse(rest) {
                    return CataloguePath::Project(Some(slug));
                }
                // Exactly as the page's link writes it: programs do not mistype.
                if let Some(name) = rest.strip_suffix(".json") {
                    return CataloguePath::ProjectJson(Slug::parse(name));
                }
                let tidied = tidy(rest);
                // Where the redirect is relative to: past a slash, one folder down.
                match (Slug::parse(&tidied), rest.matches('/').count()) {
                    (Some(slug), 0) => CataloguePath::ProjectAsTyped(slug),
                    (Some(slug), 1) => CataloguePath::ProjectWithSlash(slug),
                    (_, 0) => CataloguePath::Project(None),
                    (_, depth) => CataloguePath::Deeper(depth),
                }
            }),
        }
    }
}

/// An address pasted from an e-mail or typed from print: the full stop, bracket or slash
/// after it gone, in small letters (a slug's only case).
fn tidy(typed: &str) -> String {
    typed
        .trim_end_matches(['.', ',', ';', ':', ')', '\'', '"', '/'])
        .to_ascii_lowercase()
}

/// `/Catalogue/bin-day-finder`, `/CATALOGUE/BIN-DAY-FINDER/`, `/catalog/…`: a project's
/// address as a resident may type it from print, the folder too in capitals or American
/// (a bare "not found" where the same address with the folder right was redirected).
fn in_folder_as_typed(path: &str) -> Option<CataloguePath> {
    let (folder, rest) = path.strip_prefix('/')?.split_once('/')?;
    if !["catalogue", "catalog"]
        .iter()
        .any(|f| folder.eq_ignore_ascii_case(f))
    {
        return None;
    }
    let slug = Slug::parse(&tidy(rest))?;
    // Out of the slug's folder too when a slash follows it.
    match rest.matches('/').count() {
        slashes @ (0 | 1) => Some(CataloguePath::ProjectInFolderAsTyped {
            slug,
            climbs: 1 + slashes,
        }),
        _ => None,
    }
}

impl CataloguePath {
    /// A path outside the catalogue and Slack's routes that is nothing, answered with the
    /// catalogue's page saying so; `None` for Slack's own paths (`/slack/…`), which stay a
    /// bare "not found" for programs.
    pub fn nowhere(path: &str) -> Option<CataloguePath> {
        if path.starts_with("/slack/") || path == "/slack" {
            return None;
        }
        // Past the root's own slash, every slash is a folder to a browser: from `//services`
        // a link to `catalogue` leads to `//catalogue`, this page again.
        let climbs = path.strip_prefix('/').unwrap_or(path).matches('/').count();
        (climbs <= MAX_CLIMBS).then_some(CataloguePath::Nowhere { climbs })
    }

    /// A path under `/catalogue/` that names nothing whatever is published (too deep, no
    /// address, no slug before `.json`): unknown, so 404 for every method.
    pub fn is_nothing(&self) -> bool {
        matches!(
            self,
            CataloguePath::Deeper(_)
                | CataloguePath::Project(None)
                | CataloguePath::ProjectJson(None)
        )
    }

    /// The catalogue as data (JSON, CSV), read by programs rather than people.
    fn is_data(&self) -> bool {
        matches!(
            self,
            CataloguePath::Json
                | CataloguePath::Csv
                | CataloguePath::Atom
                | CataloguePath::ProjectJson(_)
        )
    }

    /// What leads from this path's page back to where `catalogue` is: its links are
    /// relative, so that a path prefix in front of the bot is kept.
    fn root(&self) -> String {
        match self {
            CataloguePath::Project(_)
            | CataloguePath::PageWithSlash
            | CataloguePath::ProjectWithSlash(_)
            | CataloguePath::ProjectAsTyped(_) => "../".to_string(),
            CataloguePath::Deeper(depth) => "../".repeat(depth + 1),
            CataloguePath::Nowhere { climbs }
            | CataloguePath::ProjectInFolderAsTyped { climbs, .. } => "../".repeat(*climbs),
            CataloguePath::Root
            | CataloguePath::Page
            | CataloguePath::Json
            | CataloguePath::Csv
            | CataloguePath::Atom
            | CataloguePath::ProjectJson(_) => String::new(),
        }
    }
}

impl Catalogue {
    pub fn new(db: AsyncStore, tz: Tz, public_url: &str, footer: page::Footer) -> Catalogue {
        Catalogue {
            db,
            tz,
            public_url: public_url.trim_end_matches('/').to_string(),
            footer,
            own_address: None,
            cache: Kept::default(),
            snapshot: Kept::default(),
            renders: tokio::sync::Semaphore::new(RENDERS_AT_ONCE),
            waiting: AtomicUsize::new(0),
            flights: Flights::default(),
            clock: crate::clock::system(),
        }
    }

    /// The same, telling the time by `clock`.
    pub fn with_clock(mut self, clock: SharedClock) -> Catalogue {
        self.clock = clock;
        self
    }

    /// The same, its pages known to be at `MAKERS_PUBLIC_URL` (see `own_address`).
    pub fn known_at(mut self, public_url: Option<&str>) -> Catalogue {
        self.own_address = public_url.map(|url| url.trim_end_matches('/').to_string());
        self
    }

    /// Answers a GET or HEAD for `path` (hyper leaves the body out for HEAD).
    pub async fn answer(
        &self,
        path: CataloguePath,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Response<Full<Bytes>> {
        match &path {
            // Found, not moved for good: a proxy may put the bot's root at another path, which
            // a browser would otherwise remember.
            CataloguePath::Root => return redirect(StatusCode::FOUND, query, "catalogue"),
            CataloguePath::PageWithSlash => return moved(query, "../catalogue"),
            CataloguePath::ProjectWithSlash(slug) => {
                return moved(query, &format!("../{}", slug.as_str()));
            }
            CataloguePath::ProjectAsTyped(slug) => return moved(query, slug.as_str()),
            CataloguePath::ProjectInFolderAsTyped { slug, climbs } => {
                let to = format!("{}catalogue/{}", "../".repeat(*climbs), slug.as_str());
                return moved(query, &to);
            }
            _ => {}
        }
        let filters = Filters::read(query.unwrap_or(""));
        let key = key_of(&path, &filters);
        let tag = self.tag();
        let answer = match self.cache.get(&key, tag) {
            Some(answer) => answer,
            None => {
                // A burst for one answer (a newsletter link after any write) is one miss:
                // those behind the first wait for its render, holding no place in the queue,
                // and find it cached. Only distinct misses count towards `RENDERS_WAITING`.
                let flight = Flight::join(&self.flights, &key);
                let _first = flight.lock.lock().await;
                if let Some(answer) = self.cache.get(&key, tag) {
                    return respond(&answer, headers);
                }
                // A few renders at once: each holds its answer (megabytes at 10,000
                // projects) while it is made, and queries no cache can share are free to
                // ask. One that waited may find its answer made meanwhile. Past
                // `RENDERS_WAITING` in the queue, none waits.
                let _turn = match self.renders.try_acquire() {
                    Ok(turn) => turn,
                    Err(_) => {
                        let Some(_place) = Waiting::join(&self.waiting) else {
                            return self.busy(&path, headers);
                        };
                        match self.renders.acquire().await {
                            Ok(turn) => turn,
                            Err(_) => return self.busy(&path, headers),
                        }
                    }
                };
                match self.cache.get(&key, tag) {
                    Some(answer) => answer,
                    None => {
                        let answer = Arc::new(self.make(path, filters).await);
                        if answer.status == StatusCode::OK {
                            self.cache.put(key, tag, answer.clone());
                        }
                        answer
                    }
                }
            }
        };
        respond(&answer, headers)
    }

    /// Renders `path` afresh, bypassing the cache: the store read, the HTML, JSON or CSV, and
    /// the ETag's hash, as a cache miss in [`Catalogue::answer`] does. This is what
    /// `benches/catalogue.rs` measures; requests go through `answer`.
    pub async fn render_uncached(
        &self,
        path: CataloguePath,
        query: Option<&str>,
    ) -> (StatusCode, Bytes) {
        let answer = self.make(path, Filters::read(query.unwrap_or(""))).await;
        (answer.status, answer.body)
    }

    /// Forgets the snapshot of published projects, so the next render reads them afresh (the
    /// benchmark's cold case: the first request after a write).
    pub fn forget_snapshot(&self) {
        self.snapshot.clear();
    }

    /// What is kept now is current if it was made at this tag.
    fn tag(&self) -> Tag {
        Tag {
            generation: self.db.generation(),
            minute: self.clock.now().timestamp().div_euclid(60),
        }
    }

    /// The published projects that match `query`, picked from the snapshot (read afresh
    /// after a write, or a minute on).
    async fn select(&self, query: CatalogueQuery) -> anyhow::Result<handlers::Catalogue> {
        let all = self.published().await?;
        let ranked = match query.words.is_some() {
            true => {
                let q = query.clone();
                self.db.read(move |c| handlers::ranked(c, &q)).await?
            }
            false => None,
        };
        Ok(handlers::select(&all, &query, ranked))
    }

    /// Every published project: the snapshot, read afresh after a write or a minute on.
    async fn published(&self) -> anyhow::Result<Arc<handlers::Published>> {
        let tag = self.tag();
        if let Some(all) = self.snapshot.get(&(), tag) {
            return Ok(all);
        }
        // The two parts of the read at once, on the store's two read connections.
        let (entries, councils) = tokio::join!(
            self.db.read(handlers::published_entries),
            self.db.read(handlers::published_member_councils)
        );
        let all = Arc::new(handlers::published_from(entries?, councils?));
        self.snapshot.put((), tag, all.clone());
        Ok(all)
    }

    async fn make(&self, path: CataloguePath, filters: Filters) -> Answer {
        let root = path.root();
        let data = path.is_data();
        match self.render(path, filters).await {
            Ok(answer) => answer,
            Err(e) => {
                // Anyone can ask again at once (a failure is not cached) while the database
                // cannot be read: a line a minute, not a line each (see `refusal_log`).
                static FAILED: RefusalLog = RefusalLog::new();
                if let Some(unlogged) = FAILED.at(self.clock.now().timestamp()) {
                    tracing::error!(error = format!("{e:#}"), unlogged, "catalogue failed");
                }
                // The data's callers are programs, often a council's own page in a browser:
                // an error they can read, with the CORS header a non-HTML answer carries,
                // rather than an HTML page the browser would hide behind a CORS failure.
                if data {
                    return data_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Sorry, there is a problem with the service. Please try again in a minute.",
                    );
                }
                Answer::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    page::HTML,
                    page::trouble(&root, &self.footer).into(),
                )
            }
        }
    }

    async fn render(&self, path: CataloguePath, filters: Filters) -> anyhow::Result<Answer> {
        let tz = self.tz;
        let query: CatalogueQuery = filters.query();
        let now = self.clock.now();
        let root = path.root();
        Ok(match path {
            CataloguePath::Page => {
                let found = self.select(query).await?;
                let status = match filters.problem() {
                    Some(_) => StatusCode::BAD_REQUEST,
                    None => StatusCode::OK,
                };
                let at = self.own_address.as_deref();
                let html = page::catalogue(&found, &filters, tz, at, &self.footer);
                Answer::new(status, page::HTML, html.into())
            }
            // The data's callers are programs: a filter that is not one is an error, not
            // "everything" (the page says so in its error summary).
            CataloguePath::Json | CataloguePath::Csv | CataloguePath::Atom
                if filters.problem().is_some() =>
            {
                let why = filters
                    .problems()
                    .iter()
                    .map(|p| p.message())
                    .collect::<Vec<_>>()
                    .join("; ");
                let body = serde_json::json!({ "error": why }).to_string();
                Answer::new(StatusCode::BAD_REQUEST, data::JSON, body.into())
            }
            // Megabytes at 10,000 projects, tens of ms: written on a blocking thread, not on a
            // worker that other requests' answers (and Socket Mode's acks) wait for.
            CataloguePath::Json => {
                let found = self.select(query).await?;
                let url = self.public_url.clone();
                let body =
                    tokio::task::spawn_blocking(move || data::json(&found.entries, &url, tz, now))
                        .await?;
                // Its ETag leaves out `generated`, which changes every minute.
                let projects = body.find(data::JSON_PROJECTS).unwrap_or(0);
                Answer::weak(StatusCode::OK, data::JSON, body.into(), projects)
            }
            CataloguePath::ProjectJson(slug) => {
                let all = self.published().await?;
                match all.entries.iter().find(|e| Some(&e.slug) == slug.as_ref()) {
                    Some(e) => {
                        let body = data::one_json(e, &self.public_url, tz);
                        Answer::new(StatusCode::OK, data::JSON, body.into())
                    }
                    None => {
                        let why = "No published service has this address: it may have been unpublished, or the address mistyped (a service keeps its address when renamed; the catalogue.json lists every service's slug).";
                        let body = serde_json::json!({ "error": why }).to_string();
                        Answer::new(StatusCode::NOT_FOUND, data::JSON, body.into())
                    }
                }
            }
            CataloguePath::Atom => {
                let found = self.select(query).await?;
                let body = feed::atom(&found.entries, &self.public_url, tz, &filters);
                Answer::new(StatusCode::OK, feed::ATOM, body.into())
            }
            CataloguePath::Csv => {
                let found = self.select(query).await?;
                let url = self.public_url.clone();
                let excel = filters.excel;
                let body =
                    tokio::task::spawn_blocking(move || data::csv(&found.entries, &url, tz, excel))
                        .await??;
                Answer::new(StatusCode::OK, data::CSV, body.into())
            }
            CataloguePath::Project(None)
            | CataloguePath::Root
            | CataloguePath::PageWithSlash
            | CataloguePath::ProjectWithSlash(_)
            | CataloguePath::ProjectAsTyped(_)
            | CataloguePath::ProjectInFolderAsTyped { .. }
            | CataloguePath::Deeper(_)
            | CataloguePath::Nowhere { .. } => self.not_found(&root),
            CataloguePath::Project(Some(slug)) => {
                match self
                    .db
                    .read(move |c| handlers::project_page(c, &slug))
                    .await?
                {
                    Some(p) => Answer::new(
                        StatusCode::OK,
                        page::HTML,
                        page::project(&p, tz, self.own_address.as_deref(), &self.footer).into(),
                    ),
                    None => self.not_found(&root),
                }
            }
        })
    }
}

/// The snapshot is one key: it needs no weighing.
impl cache::Weight for Arc<handlers::Published> {
    fn weight(&self) -> usize {
        0
    }
}

/// 301 from an address with a trailing slash (`/catalogue/`, `/catalogue/<slug>/`) to the
/// one without, `to` (relative, so a path prefix in front of the bot is kept), with the same
/// query: the pages' links are relative to the address without it.
fn moved(query: Option<&str>, to: &str) -> Response<Full<Bytes>> {
    redirect(StatusCode::MOVED_PERMANENTLY, query, to)
}

/// `status` to `to` (relative), with the same query.
fn redirect(status: StatusCode, query: Option<&str>, to: &str) -> Response<Full<Bytes>> {
    let to = match query {
        Some(q) if !q.is_empty() => format!("{to}?{q}"),
        _ => to.to_string(),
    };
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = status;
    if let Ok(to) = HeaderValue::from_str(&to) {
        resp.headers_mut().insert(hyper::header::LOCATION, to);
    }
    no_script(resp.headers_mut());
    resp
}

impl Catalogue {
    /// 503 for a request that found the render queue full: come back in a second. A page's
    /// visitor gets the catalogue's own page saying so, with the way back and the footer
    /// (its accessibility statement is linked from every page); the data's programs, an
    /// error they can read, with the CORS headers every data answer carries (see
    /// [`respond`]), so a council's page script can tell "busy" from a network failure.
    fn busy(&self, path: &CataloguePath, headers: &HeaderMap) -> Response<Full<Bytes>> {
        let answer = match path.is_data() {
            true => data_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "The catalogue is busy. Please try again in a moment.",
            ),
            false => Answer::new(
                StatusCode::SERVICE_UNAVAILABLE,
                page::HTML,
                page::busy(&path.root(), &self.footer).into(),
            ),
        };
        let mut resp = respond(&answer, headers);
        let h = resp.headers_mut();
        h.insert(hyper::header::RETRY_AFTER, HeaderValue::from_static("1"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if path.is_data() {
            // `Retry-After` is not among the headers a script may read unasked.
            set(h, &[(ACCESS_CONTROL_EXPOSE_HEADERS, "ETag, Retry-After")]);
        }
        resp
    }

    /// The page saying nothing is here; `root` leads back (see [`CataloguePath::root`]).
    fn not_found(&self, root: &str) -> Answer {
        Answer::new(
            StatusCode::NOT_FOUND,
            page::HTML,
            page::not_found(root, &self.footer).into(),
        )
    }
}

/// A data answer (JSON or CSV asked for) that failed: `{"error": why}`, which a program
/// reads whichever it asked for.
fn data_error(status: StatusCode, why: &str) -> Answer {
    let body = serde_json::json!({ "error": why }).to_string();
    Answer::new(status, data::JSON, body.into())
}

/// The answer, or 304 when the client already holds it.
fn respond(answer: &Answer, headers: &HeaderMap) -> Response<Full<Bytes>> {
    let fresh = answer.status == StatusCode::OK
        && headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| matches_etag(v, &answer.etag));
    let mut resp = if fresh {
        let mut resp = Response::new(Full::new(Bytes::new()));
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        resp
    } else {
        let mut resp = Response::new(Full::new(answer.body.clone()));
        *resp.status_mut() = answer.status;
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
        resp
    };
    let h = resp.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&answer.etag) {
        h.insert(ETAG, etag);
    }
    // Revalidate every time: a publish shows at once, and a 304 is cheap.
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // A council's own site may read the data from a browser, and its script keep the tag to
    // send back as `If-None-Match`.
    if answer.content_type != page::HTML {
        set(h, &[ANY_ORIGIN, (ACCESS_CONTROL_EXPOSE_HEADERS, "ETag")]);
    }
    no_script(h);
    resp
}

/// The answer to a browser's CORS preflight (`OPTIONS`) for the data, which a script sends
/// before a GET carrying `If-None-Match`: GET and HEAD, with that header, from any site.
/// `None` for the pages, which no other site's script reads.
pub fn preflight(path: &CataloguePath) -> Option<Response<Full<Bytes>>> {
    if !path.is_data() {
        return None;
    }
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    set(
        h,
        &[
            ANY_ORIGIN,
            (ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD"),
            (ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match"),
            (ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    );
    no_script(h);
    Some(resp)
}

/// The data is public, needs no sign-in and carries no cookie: any site may read it.
const ANY_ORIGIN: (HeaderName, &str) = (ACCESS_CONTROL_ALLOW_ORIGIN, "*");

/// Sets each of `headers`, fixed values, on `h`.
fn set(h: &mut hyper::HeaderMap, headers: &[(HeaderName, &'static str)]) {
    for (name, value) in headers {
        h.insert(name.clone(), HeaderValue::from_static(value));
    }
}

/// The headers every page the bot serves carries: no script runs and nothing is sniffed,
/// whatever a title holds; no other site frames the page or takes its form.
pub fn no_script(h: &mut hyper::HeaderMap) {
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for it).
fn matches_etag(header: &str, etag: &str) -> bool {
    let etag = opaque(etag);
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || opaque(candidate) == etag)
}

/// An entity tag without its weakness mark.
fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http_body_util::BodyExt;

    use super::*;

    /// The data filtered by a council is one answer, kept once, however the council's name
    /// is written; another council's is another. The page, which shows the filter back as
    /// typed, is kept by the spelling.
    #[test]
    fn the_data_of_a_council_is_kept_once_for_every_spelling() {
        let key = |path: CataloguePath, query: &str| key_of(&path, &Filters::read(query));
        for path in [CataloguePath::Json, CataloguePath::Csv] {
            let surrey = key(path.clone(), "council=Surrey");
            assert_eq!(surrey, key(path.clone(), "council=SURREY"));
            assert_eq!(surrey, key(path.clone(), "council=surrey%20"));
            assert_ne!(surrey, key(path.clone(), "council=Kent"));
            assert_ne!(surrey, key(path.clone(), "council=Surrey&phase=beta"));
        }
        assert_ne!(
            key(CataloguePath::Page, "council=Surrey"),
            key(CataloguePath::Page, "council=SURREY")
        );
    }

    #[test]
    fn catalogue_paths() {
        assert_eq!(CataloguePath::of("/catalogue"), Some(CataloguePath::Page));
        assert_eq!(
            CataloguePath::of("/catalogue.csv"),
            Some(CataloguePath::Csv)
        );
        assert_eq!(
            CataloguePath::of("/catalogue/bin-day-finder"),
            Some(CataloguePath::Project(Slug::parse("bin-day-finder")))
        );
        assert_eq!(
            CataloguePath::of("/catalogue/../etc/passwd"),
            Some(CataloguePath::Deeper(2))
        );
        assert_eq!(
            CataloguePath::of("/catalogue/bin day"),
            Some(CataloguePath::Project(None))
        );
        for typed in [
            "/catalogue/Bin-Day-Finder",
            "/catalogue/bin-day-finder.",
            "/catalogue/bin-day-finder)",
        ] {
            assert_eq!(
                CataloguePath::of(typed),
                Some(CataloguePath::ProjectAsTyped(
                    Slug::parse("bin-day-finder").unwrap()
                )),
                "{typed}"
            );
        }
        for typed in ["/catalogue/Bin-Day-Finder/", "/catalogue/bin-day-finder)/"] {
            assert_eq!(
                CataloguePath::of(typed),
                Some(CataloguePath::ProjectWithSlash(
                    Slug::parse("bin-day-finder").unwrap()
                )),
                "{typed}"
            );
        }
        assert_eq!(
            CataloguePath::of("/catalogue/bin-day-finder/extra"),
            Some(CataloguePath::Deeper(1))
        );
        let bin = Slug::parse("bin-day-finder").unwrap();
        for (typed, climbs) in [
            ("/Catalogue/bin-day-finder", 1),
            ("/CATALOGUE/BIN-DAY-FINDER.", 1),
            ("/catalog/bin-day-finder", 1),
            ("/Catalogue/Bin-Day-Finder/", 2),
        ] {
            assert_eq!(
                CataloguePath::of(typed),
                Some(CataloguePath::ProjectInFolderAsTyped {
                    slug: bin.clone(),
                    climbs
                }),
                "{typed}"
            );
        }
        for nothing in [
            "/Catalogue/bin day",
            "/Catalogue/a/b",
            "/catalogues/bin-day-finder",
        ] {
            assert_eq!(CataloguePath::of(nothing), None, "{nothing}");
        }
        assert_eq!(
            CataloguePath::of("/catalogue/bin-day-finder.json"),
            Some(CataloguePath::ProjectJson(Slug::parse("bin-day-finder")))
        );
        for data in ["/catalogue/Bin-Day-Finder.json", "/catalogue/a/b.json"] {
            assert_eq!(
                CataloguePath::of(data),
                Some(CataloguePath::ProjectJson(None)),
                "{data}"
            );
        }
        assert_eq!(CataloguePath::of("/catalogues"), None);
        // As deep as a page with the way back goes, and deeper: a bare "not found".
        let deep = |n: usize| format!("/catalogue{}/x", "/a".repeat(n));
        assert_eq!(
            CataloguePath::of(&deep(16)),
            Some(CataloguePath::Deeper(16))
        );
        assert_eq!(CataloguePath::of(&deep(17)), None);
        assert_eq!(
            CataloguePath::nowhere(&deep(15)),
            Some(CataloguePath::Nowhere { climbs: 16 })
        );
        assert_eq!(CataloguePath::nowhere(&deep(16)), None);
        // A doubled slash in front is a folder for a browser (its links led to `//catalogue`).
        assert_eq!(
            CataloguePath::nowhere("//services"),
            Some(CataloguePath::Nowhere { climbs: 1 })
        );
        assert_eq!(CataloguePath::of("/"), Some(CataloguePath::Root));
        assert_eq!(CataloguePath::of("/healthz"), None);
    }

    /// With both render turns held, 16 distinct searches wait for one; the 17th is told
    /// at once to come back in a second, rather than wait (each waiting request holds one of
    /// the server's connections, which Slack's requests need too). Those waiting go on.
    #[tokio::test]
    async fn past_16_waiting_for_a_render_a_request_is_answered_503_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(crate::store::Store::open(&dir.path().join("t.db")).unwrap());
        let footer = page::Footer {
            accessibility_url: Some("https://council.example/accessibility".into()),
            ..page::Footer::default()
        };
        let catalogue = Arc::new(Catalogue::new(
            db,
            chrono_tz::UTC,
            "https://makers.example",
            footer,
        ));
        let held = catalogue.renders.acquire_many(RENDERS_AT_ONCE as u32).await;
        let search = |n: usize| {
            let catalogue = catalogue.clone();
            async move {
                let query = format!("q=w{n}");
                let headers = HeaderMap::new();
                catalogue
                    .answer(CataloguePath::Page, Some(&query), &headers)
                    .await
            }
        };
        let waiting: Vec<_> = (0..16).map(|n| tokio::spawn(search(n))).collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let turned_away = tokio::time::timeout(Duration::from_secs(1), search(16))
            .await
            .expect("answered at once");
        assert_eq!(turned_away.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(turned_away.headers()[hyper::header::RETRY_AFTER], "1");
        // A person's browser gets the catalogue's own page: what happened, the way back and
        // the footer's accessibility statement, as on every page.
        assert_eq!(turned_away.headers()[CONTENT_TYPE], page::HTML);
        let body = turned_away.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8(body.to_vec()).unwrap();
        for said in [
            "<h1>The catalogue is busy</h1>",
            r#"<a href="catalogue">"#,
            r#"<a href="https://council.example/accessibility">Accessibility statement</a>"#,
        ] {
            assert!(body.contains(said), "{said} in {body}");
        }
        // A service's page leads back up a folder; the data, read by programs, stays plain.
        let slug = Slug::parse("bin-day-finder");
        let headers = HeaderMap::new();
        let project = catalogue
            .answer(CataloguePath::Project(slug), None, &headers)
            .await;
        assert_eq!(project.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = project.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains(r#"<a href="../catalogue">"#), "{body}");
        // The data's programs, often a council's page script in a browser, get an error they
        // can read: the CORS headers every data answer carries, and `Retry-After` shown.
        for (path, query) in [
            (CataloguePath::Json, "q=w99"),
            (CataloguePath::Csv, "q=w98"),
        ] {
            let data = catalogue.answer(path, Some(query), &headers).await;
            assert_eq!(data.status(), StatusCode::SERVICE_UNAVAILABLE);
            let h = data.headers();
            assert_eq!(h[CONTENT_TYPE], data::JSON);
            assert_eq!(h[hyper::header::RETRY_AFTER], "1");
            assert_eq!(h[CACHE_CONTROL], "no-store");
            assert_eq!(h[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
            assert_eq!(h[ACCESS_CONTROL_EXPOSE_HEADERS], "ETag, Retry-After");
            let body = data.into_body().collect().await.unwrap().to_bytes();
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                body["error"],
                "The catalogue is busy. Please try again in a moment."
            );
        }
        drop(held);
        for answer in waiting {
            assert_eq!(answer.await.unwrap().status(), StatusCode::OK);
        }
        // The queue emptied, a new search is rendered.
        let again = search(17).await;
        assert_eq!(again.status(), StatusCode::OK);
    }

    /// Twenty opening the same page while both render turns are busy (a newsletter link
    /// after any write) all wait for its one render: they are one miss, not twenty, and take
    /// one place in the queue, so none is turned away.
    #[tokio::test]
    async fn a_burst_for_the_same_page_waits_for_one_render_and_none_is_turned_away() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(crate::store::Store::open(&dir.path().join("t.db")).unwrap());
        let catalogue = Arc::new(Catalogue::new(
            db,
            chrono_tz::UTC,
            "https://makers.example",
            page::Footer::default(),
        ));
        let held = catalogue.renders.acquire_many(RENDERS_AT_ONCE as u32).await;
        let open = || {
            let catalogue = catalogue.clone();
            async move {
                let headers = HeaderMap::new();
                catalogue.answer(CataloguePath::Page, None, &headers).await
            }
        };
        let burst: Vec<_> = (0..20).map(|_| tokio::spawn(open())).collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(held);
        for answer in burst {
            assert_eq!(answer.await.unwrap().status(), StatusCode::OK);
        }
        // Nobody is left waiting on the page.
        assert_eq!(catalogue.waiting.load(Ordering::Acquire), 0);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        assert!(matches_etag("\"abc\"", "\"abc\""));
        assert!(matches_etag("\"x\", W/\"abc\"", "\"abc\""));
        assert!(matches_etag("*", "\"abc\""));
        assert!(!matches_etag("\"abd\"", "\"abc\""));
    }
}
