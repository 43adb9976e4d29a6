//! The catalogue's HTML, in the manner of the GOV.UK Design System: a skip link, headings, a
//! labelled filter form, a table, summary lists, visible focus, good contrast. No script and
//! no external assets (the style is inline), so it works on a locked-down laptop with
//! JavaScript off, and reads on a phone. maud escapes every value it is given.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::query::{BadFilter, Filters};
use crate::domain::{CarriedOn, CatalogueEntry, CataloguePage, Phase, Style, Styled, now_is};
use crate::handlers::Catalogue;

pub const HTML: &str = "text/html; charset=utf-8";

const STYLE: &str = include_str!("catalogue.css");

/// Services listed per page: a page a council laptop opens at once (the whole catalogue is in
/// the JSON and CSV).
pub const PAGE_SIZE: usize = 100;

/// What every page's footer links to besides the data.
#[derive(Debug, Clone, Default)]
pub struct Footer {
    /// The operator's accessibility statement (`MAKERS_ACCESSIBILITY_URL`), which a
    /// public-sector site must link from every page.
    pub accessibility_url: Option<String>,
    /// The operator's privacy notice (`MAKERS_PRIVACY_URL`).
    pub privacy_url: Option<String>,
    /// What Makers is and how a council joins (`MAKERS_JOIN_URL`): the catalogue's visitors
    /// are mostly from councils not in it yet.
    pub join_url: Option<String>,
    /// How to reach whoever runs Makers (`MAKERS_CONTACT_URL`: a page or `mailto:`), about
    /// the catalogue or a page on it.
    pub contact_url: Option<String>,
}

impl Footer {
    /// The operator's pages, from their settings.
    pub fn of(config: &crate::config::Config) -> Footer {
        Footer {
            accessibility_url: config.accessibility_url.clone(),
            privacy_url: config.privacy_url.clone(),
            join_url: config.join_url.clone(),
            contact_url: config.contact_url.clone(),
        }
    }

    /// The links to the operator's pages that are set, one a line: every page of the site
    /// has them (the catalogue's and the install's), the accessibility statement first.
    pub fn links(&self) -> Markup {
        html! {
            @if let Some(url) = &self.accessibility_url {
                p { a href=(url) { "Accessibility statement" } }
            }
            @if let Some(url) = &self.privacy_url {
                p { a href=(url) { "Privacy notice" } }
            }
            @if let Some(url) = &self.join_url {
                p { a href=(url) { "About Makers, and how your council can join" } }
            }
            @if let Some(url) = &self.contact_url {
                p { a href=(url) { "Contact whoever runs Makers" } }
            }
        }
    }
}

/// The catalogue, filtered.
pub fn catalogue(
    found: &Catalogue,
    filters: &Filters,
    tz: Tz,
    own_address: Option<&str>,
    footer: &Footer,
) -> String {
    let n = found.entries.len();
    // A filter that is not one filters nothing, so it is not counted as matching.
    let searched = !filters.query().is_empty();
    // Nothing published: "0 of 0 services match" says nothing the page's words do not.
    let heading = match (searched && found.published() > 0, n) {
        (false, 1) => "1 service".to_string(),
        (false, n) => format!("{n} services"),
        (true, n) => matching(n, found.published()),
    };
    let pages = n.div_ceil(PAGE_SIZE).max(1);
    let page = filters.page.clamp(1, pages);
    let body = html! {
        h1 { "Re-usable services from UK councils" }
        p.lead {
            "Built once by Makers teams of council staff, for any council to re-use. "
            "Councils say themselves which services they re-use."
            @if let Some(url) = &footer.join_url {
                " " a href=(url) { "What Makers is, and how your council can join" } "."
            }
        }
        @if filters.problem().is_some() {
            div.error-summary role="alert" aria-labelledby="error-title" tabindex="-1" {
                h2 #error-title { "There is a problem" }
                ul {
                    @for problem in filters.problems() {
                        li { a href=(format!("#{}", problem.field())) { (problem.message()) } }
                    }
                }
            }
        }
        (filter_form(found, filters))
        h2 #results { (heading) }
        @let succession = found.succession(&filters.council);
        @if let Some(s) = succession.filter(|_| !found.entries.is_empty()) {
            p.hint {
                (s.former_name) " " (now_is(s.renamed)) " " (s.successor)
                @if s.renamed { ", so this shows its services." } @else { ", so this shows " (s.successor) "’s services." }
            }
        }
        @if found.published() == 0 {
            p { "No service has been published yet. A team publishes theirs from Slack with " code { "/makers publish" } "." }
        } @else if found.entries.is_empty() {
            @if let Some(s) = succession {
                // A former council's name: its successor, not "no council of that name".
                p { (s.former_name) " " (now_is(s.renamed)) " " (s.successor) "." }
            } @else if let Some(near) = (!filters.council.is_empty()).then(|| found.councils_near(&filters.council)).flatten() {
                // Nothing matched because no council is called that: said, rather than
                // read as "this council has no services".
                p {
                    "No council in the catalogue is called “" (filters.council) "”."
                    @if !near.is_empty() {
                        " Did you mean "
                        @for (i, name) in near.iter().enumerate() {
                            @if i > 0 { @if i + 1 == near.len() { " or " } @else { ", " } }
                            a href=(council_href(filters, name)) { (name) }
                        }
                        "?"
                    }
                }
            }
            p { "No published services match. " a href="catalogue" { "Clear the filters" } " to see them all." }
        } @else {
            @let shown = &found.entries[(page - 1) * PAGE_SIZE..(page * PAGE_SIZE).min(n)];
            @if pages > 1 {
                p.hint { "Showing " ((page - 1) * PAGE_SIZE + 1) " to " ((page - 1) * PAGE_SIZE + shown.len()) " of " (n) }
            }
            @let named = found.named_by(&filters.council);
            @if let Some(part) = TakesPart::in_all(&found.entries, &named) {
                p { (part) }
            }
            (table(shown, tz, &named))
            @if pages > 1 { (pagination(filters, page, pages)) }
            // The data links at the foot are the whole catalogue: these are what is shown
            // (not with a filter in error, which the data would refuse).
            @if searched && filters.problem().is_none() {
                @let q = filters.page_query(1);
                p {
                    "These results as data: "
                    a href={ "catalogue.json?" (q) } { "JSON" } " or "
                    a href={ "catalogue.csv?" (q) } { "CSV" } " ("
                    a href={ "catalogue.csv?" (q) "&excel=1" } { "CSV for Excel" } "); new ones in a feed reader: "
                    a href={ "catalogue.atom?" (q) } { "Atom feed" } "."
                }
            }
        }
    };
    // GOV.UK's pattern: a page with an error says so first in its title, which a screen
    // reader reads out on load; so does a search say what it found (the page loads anew, and
    // its title is what is read), and which page of how many, so that pages are told apart.
    let name = "Makers catalogue: re-usable council services";
    let title = match (filters.problem(), searched) {
        (Some(_), _) => format!("Error: {name}"),
        (None, true) => format!("{heading}: {name}"),
        (None, false) => name.to_string(),
    };
    let title = match pages > 1 && filters.problem().is_none() {
        true => format!("{title} (page {page} of {pages})"),
        false => title,
    };
    let head = Head {
        title: &title,
        name,
        description: "Re-usable digital services built once by Makers teams of UK council staff, for any council to re-use, and the councils that re-use them.",
        // The whole catalogue's address; a filtered or later page is one view of it.
        address: own_address
            .filter(|_| !searched && page == 1 && filters.problem().is_none())
            .map(|site| format!("{site}/catalogue")),
        // What it lists, newest first: for a feed reader given the page's address.
        feed: filters
            .problem()
            .is_none()
            .then(|| match filters.page_query(1) {
                q if q.is_empty() => "catalogue.atom".to_string(),
                q => format!("catalogue.atom?{q}"),
            }),
        // A filter that is not one: the page with its error summary (400). And a view that
        // found nothing: it repeats what was typed ("No council in the catalogue is called
        // …"), which anyone could link for a search engine to keep under the operator's
        // address; with nothing listed, it is no page worth finding either.
        noindex: filters.problem().is_some() || (searched && found.entries.is_empty()),
    };
    layout(head, "", body, footer)
}

/// "3 of 12 services match", with its nouns and verb agreeing.
fn matching(n: usize, published: usize) -> String {
    match (n, published) {
        (1, 1) => "The one service matches".to_string(),
        (0, 1) => "The one service does not match".to_string(),
        (1, all) => format!("1 of {all} services matches"),
        (n, all) => format!("{n} of {all} services match"),
    }
}

/// The catalogue with these filters but council `name`.
fn council_href(filters: &Filters, name: &str) -> String {
    let with = Filters {
        council: name.to_string(),
        ..filters.clone()
    };
    format!("catalogue?{}", with.page_query(1))
}

/// Previous and next links, and where this page is, as GOV.UK's pagination has them.
fn pagination(filters: &Filters, page: usize, pages: usize) -> Markup {
    let href = |p: usize| match filters.page_query(p) {
        q if q.is_empty() => "catalogue".to_string(),
        q => format!("catalogue?{q}"),
    };
    html! {
        nav.pagination aria-label="Pages of results" {
            @if page > 1 {
                a rel="prev" href=(href(page - 1)) { "Previous" span.visually-hidden { " page" } }
            }
            span aria-current="page" { "Page " (page) " of " (pages) }
            @if page < pages {
                a rel="next" href=(href(page + 1)) { "Next" span.visually-hidden { " page" } }
            }
        }
    }
}

fn filter_form(found: &Catalogue, filters: &Filters) -> Markup {
    let problems = filters.problems();
    let error = |which: BadFilter| problems.contains(&which).then(|| which.message());
    let phase_error = error(BadFilter::Phase);
    let words_error = error(BadFilter::Words);
    html! {
        form.filters method="get" action="catalogue" role="search" aria-label="Filter the catalogue" {
            div.field.field-error[words_error.is_some()] {
                label for="q" { "Words" }
                span.hint #q-hint { "For example, bin collection" }
                @if let Some(problem) = words_error {
                    span.error-message #q-error { span.visually-hidden { "Error: " } (problem) }
                }
                input #q name="q" type="search" value=(filters.q) aria-describedby=(words_error.map_or("q-hint", |_| "q-hint q-error"));
            }
            div.field.field-error[phase_error.is_some()] {
                label for="phase" { "Phase" }
                span.hint #phase-hint { "Discovery, alpha, beta, live or retired" }
                @if let Some(problem) = phase_error {
                    span.error-message #phase-error { span.visually-hidden { "Error: " } (problem) }
                }
                select #phase name="phase" aria-describedby=(phase_error.map_or("phase-hint", |_| "phase-hint phase-error")) {
                    option value="" { "Any phase" }
                    @for phase in Phase::ALL {
                        option value=(phase.as_str()) selected[filters.phase == Some(phase)] { (phase.heading()) }
                    }
                }
            }
            div.field {
                label for="council" { "Council" }
                span.hint #council-hint { "Leads, works on or re-uses it" }
                input #council name="council" type="text" value=(filters.council) list="councils" autocomplete="off" aria-describedby="council-hint";
                datalist #councils {
                    @for council in found.councils() { option value=(council) {} }
                }
            }
            div.actions {
                button type="submit" { "Filter" }
                @if !filters.is_empty() { a href="catalogue" { "Clear filters" } }
            }
        }
    }
}

/// What the council a filter names does in the services it found: the give and take that
/// `/makers councils` says in Slack, in public.
struct TakesPart {
    /// As the catalogue names it.
    council: String,
    leads: usize,
    /// In the team of one it does not lead.
    works_on: usize,
    reuses: usize,
}

impl TakesPart {
    /// Over every service found (not only this page's); `None` without a council filter.
    fn in_all(entries: &[Arc<CatalogueEntry>], named: impl Fn(&str) -> bool) -> Option<TakesPart> {
        let mut part = TakesPart {
            council: String::new(),
            leads: 0,
            works_on: 0,
            reuses: 0,
        };
        for e in entries {
            let role = Role::of(e, &named);
            part.leads += usize::from(role.leads);
            part.works_on += usize::from(role.works_on);
            part.reuses += usize::from(role.reuses);
            if part.council.is_empty()
                && let Some(name) = role.council
            {
                part.council = name.to_string();
            }
        }
        (!part.council.is_empty()).then_some(part)
    }
}

impl std::fmt::Display for TakesPart {
    /// "Of these services, Waverley Borough Council leads 1, works on 3 and re-uses 2."
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<String> = [
            ("leads", self.leads),
            ("works on", self.works_on),
            ("re-uses", self.reuses),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what} {n}"))
        .collect();
        let said = match counts.as_slice() {
            [only] => only.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => return Ok(()),
        };
        write!(f, "Of these services, {} {said}.", self.council)
    }
}

/// What the council a filter names does in one service.
struct Role<'a> {
    /// Its name as this service's row has it.
    council: Option<&'a str>,
    leads: bool,
    /// In its team, not leading it.
    works_on: bool,
    reuses: bool,
}

impl<'a> Role<'a> {
    fn of(e: &'a CatalogueEntry, named: impl Fn(&str) -> bool) -> Role<'a> {
        let lead = e.lead_council.as_deref().filter(|n| named(n));
        let team = e.councils.iter().map(String::as_str).find(|n| named(n));
        let reuse = e.used_by.iter().map(String::as_str).find(|n| named(n));
        Role {
            council: lead.or(team).or(reuse),
            leads: lead.is_some(),
            works_on: lead.is_none() && team.is_some(),
            reuses: reuse.is_some(),
        }
    }

    /// "Waverley Borough Council works on it", where the row would not otherwise say why it
    /// is there (its lead council and re-users have columns; its team has none), or nothing.
    fn said(&self) -> Option<String> {
        let council = self.council.filter(|_| self.works_on)?;
        Some(format!("{council} works on it"))
    }
}

/// The list's rows; `filtered` says which council a council filter names (named first
/// among a row's re-users, and what it does there said under the service's name, or the row
/// would not say why it is there).
fn table(entries: &[Arc<CatalogueEntry>], tz: Tz, filtered: impl Fn(&str) -> bool) -> Markup {
    html! {
        table {
            caption.visually-hidden { "Published services" }
            thead { tr {
                th scope="col" { "Service" }
                th scope="col" { "Phase" }
                th scope="col" { "Lead council" }
                th scope="col" { "Re-used by" }
                th scope="col" { "Last news" }
            } }
            tbody {
                @for e in entries {
                    tr {
                        th scope="row" data-label="Service" {
                            a href={ "catalogue/" (e.slug) } { (e.name) }
                            @if !e.description.is_empty() {
                                // As the data's shortDescription: a one-paragraph description
                                // would otherwise fill a phone's screen for one row.
                                span.hint.summary { (super::data::summary(&e.description)) }
                            }
                            @if let Some(role) = Role::of(e, &filtered).said() {
                                span.hint.role { (role) }
                            }
                        }
                        td data-label="Phase" {
                            (tag(e.phase))
                            // Apart in text without the style sheet too ("Retired Merged…").
                            @if e.carried_on.is_some() { " " }
                            @match &e.carried_on {
                                Some(CarriedOn::As(into)) => {
                                    span.hint { "Merged into " a href={ "catalogue/" (into.slug) } { (into.name) } }
                                }
                                Some(CarriedOn::Unlisted) => span.hint { "Merged into a project not in this catalogue" },
                                None => {}
                            }
                        }
                        td data-label="Lead council" { (e.lead_council.as_deref().unwrap_or("Not said")) }
                        td data-label="Re-used by" {
                            @if e.used_by.is_empty() { "No council yet" }
                            @else { (reused_by(&e.used_by, &filtered)) }
                        }
                        td.date data-label="Last news" { (short_day(e.last_news, tz)) }
                    }
                }
            }
        }
    }
}

/// Councils named in a list row's "Re-used by"; the rest are counted, and named on the
/// service's own page. (Sixty names would fill a phone's screen for one row.)
const REUSERS_IN_ROW: usize = 5;

/// A row's "Re-used by": the first few councils, and how many more; a council the list is
/// filtered by first.
fn reused_by(councils: &[String], filtered: impl Fn(&str) -> bool) -> String {
    let mut named: Vec<&str> = councils.iter().map(String::as_str).collect();
    // (Stable: the others keep their order.)
    named.sort_by_key(|name| !filtered(name));
    match named.len() {
        n if n <= REUSERS_IN_ROW => named.join(", "),
        n => format!(
            "{} and {} more",
            named[..REUSERS_IN_ROW].join(", "),
            n - REUSERS_IN_ROW
        ),
    }
}

/// One project's page.
pub fn project(p: &CataloguePage, tz: Tz, own_address: Option<&str>, footer: &Footer) -> String {
    let e = &p.entry;
    let body = html! {
        nav.breadcrumbs aria-label="Breadcrumb" {
            ol { li { a href="../catalogue" { "Catalogue" } } li aria-current="page" { (e.name) } }
        }
        // The phase beside the heading, not in it (GOV.UK's way): a screen reader's list of
        // headings reads the service's name alone.
        h1 { (e.name) }
        p { (tag(e.phase)) }
        // Merged: a reader from a search engine learns first where the work went.
        @match &e.carried_on {
            Some(CarriedOn::As(into)) => {
                p.lead {
                    "This service is no longer developed: its work carries on in "
                    a href=(into.slug.as_str()) { (into.name) } "."
                }
            }
            Some(CarriedOn::Unlisted) => {
                p.lead { "This service is no longer developed: its work carries on in another Makers project, not in the catalogue yet." }
            }
            None => {}
        }
        @for paragraph in paragraphs(&e.description) {
            p.lead { (spans(&paragraph)) }
        }
        h2 { "Summary" }
        dl.summary-list {
            (row("Phase", html! { (e.phase.heading()) }))
            @if let Some(CarriedOn::As(into)) = &e.carried_on {
                (row("Merged into", html! {
                    a href=(into.slug.as_str()) { (into.name) } ": its team carries on there"
                }))
            }
            (row("Lead council", html! { (e.lead_council.as_deref().unwrap_or("Not said")) }))
            (row("Councils in the team", html! {
                @if e.councils.is_empty() { "None said yet" } @else { (e.councils.join(", ")) }
            }))
            (row("Pitched", html! { (day(e.pitched, tz)) }))
            (row("Last news", html! { (day(e.last_news, tz)) }))
            @for l in &e.links {
                (row(l.kind.heading(), html! { a href=(l.url.as_str()) rel="external" { (l.url.as_str()) } }))
            }
        }
        h2 { "Councils that re-use it" }
        @if p.reuses.is_empty() {
            p { "No council has said it re-uses this yet." }
        } @else {
            ul.list {
                @for r in &p.reuses {
                    li {
                        strong { (r.council) } ", since " (day(r.since, tz))
                        @if !r.note.is_empty() { ": " (styled(&r.note)) }
                    }
                }
            }
        }
        @if e.phase != Phase::Retired {
            p.hint {
                "Does your council re-use it? Say so in Slack, in any workspace with the Makers bot: "
                code { "/makers reuse " (e.slug.as_typed()) }
                " (once you have said your council with "
                code { "/makers council <name>" }
                ")."
            }
            @if let Some(url) = &footer.join_url {
                p.hint { "Is your council not in Makers yet? " a href=(url) { "How your council can join" } "." }
            }
        }
        h2 { "Phases" }
        ol.list {
            li { "Discovery: pitched on " (day(e.pitched, tz)) }
            @for change in &p.history {
                li {
                    (change.to.heading()) " on " (day(change.at, tz))
                    @if !change.note.is_empty() { ": " (styled(&change.note)) }
                }
            }
        }
        p {
            a href={ (e.slug) ".json" } { "This service as JSON" }
            " · "
            a href={ "../catalogue.json" } { "All services as JSON" }
        }
    };
    let head = Head {
        title: &format!("{}: Makers catalogue", e.name),
        name: &e.name,
        description: &preview(e),
        address: own_address.map(|site| format!("{site}/catalogue/{}", e.slug)),
        feed: None,
        noindex: false,
    };
    layout(head, "../", body, footer)
}

/// What a preview of a service shows under its name (a search engine's, a link's, a feed
/// reader's): its first lines, or else what it is and whose; first, that it is retired and
/// where its work went, if it did (a feed reader shows no phase).
pub(super) fn preview(e: &CatalogueEntry) -> String {
    let (description, said_phase) = match super::data::summary(&e.description) {
        short if !short.is_empty() => (short.into_owned(), false),
        _ => match &e.lead_council {
            Some(lead) => (
                format!("{} service led by {lead}.", e.phase.heading()),
                true,
            ),
            None => (
                format!("{} service from a Makers team.", e.phase.heading()),
                true,
            ),
        },
    };
    match &e.carried_on {
        Some(CarriedOn::As(into)) => format!("Retired: merged into {}. {description}", into.name),
        Some(CarriedOn::Unlisted) => {
            format!("Retired: merged into a project not in this catalogue. {description}")
        }
        None if e.phase == Phase::Retired && !said_phase => format!("Retired. {description}"),
        None => description,
    }
}

/// A project's name, or words that say it has none where nothing of the title can be shown
/// (a title that was only `<!here>` or an e-mail link): a link and a heading need words.
/// For an address under `/catalogue/`; its links are relative, as every page's are, so a
/// path prefix in front of the bot is kept: `root` leads back to where `catalogue` is.
pub fn not_found(root: &str, footer: &Footer) -> String {
    let body = html! {
        h1 { "Page not found" }
        p { "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address." }
        p { "There is no published service at this address. It may have been unpublished by its team." }
        p { a href={ (root) "catalogue" } { "See all published services" } }
    };
    layout(
        Head::nowhere("Page not found: Makers catalogue"),
        root,
        body,
        footer,
    )
}

/// `root` leads from the failed page back to where `catalogue` is (see [`layout`]).
pub fn trouble(root: &str, footer: &Footer) -> String {
    let body = html! {
        h1 { "Sorry, there is a problem with the service" }
        p { "Please try again in a minute." }
    };
    layout(
        Head::nowhere("Sorry, there is a problem: Makers catalogue"),
        root,
        body,
        footer,
    )
}

/// Too many pages waiting to be made (503); `root` leads back (see [`layout`]).
pub fn busy(root: &str, footer: &Footer) -> String {
    let body = html! {
        h1 { "The catalogue is busy" }
        p { "Please try again in a moment." }
        p { a href={ (root) "catalogue" } { "See all published services" } }
    };
    layout(
        Head::nowhere("Sorry, the catalogue is busy: Makers catalogue"),
        root,
        body,
        footer,
    )
}

/// What a page says of itself to a link preview (Slack's unfurl of a pasted link, a chat's,
/// an email's) and to a search engine, through which other councils find services.
struct Head<'a> {
    /// The browser's title (what a screen reader reads out first).
    title: &'a str,
    /// What a preview names it.
    name: &'a str,
    description: &'a str,
    /// The page's own public address (from `MAKERS_PUBLIC_URL`), for previews and as the
    /// canonical one; `None` for a view of a page (a search, a later page), an error, or
    /// without the setting.
    address: Option<String>,
    /// The Atom feed of what the page lists (relative), for feed readers to find.
    feed: Option<String>,
    /// Not for search engines to keep: an error page, or a view that found nothing.
    noindex: bool,
}

impl<'a> Head<'a> {
    /// An error page: described by its title, and not for search engines to keep.
    fn nowhere(title: &'a str) -> Head<'a> {
        Head {
            title,
            name: title,
            description: title,
            address: None,
            feed: None,
            noindex: true,
        }
    }
}

/// The page around `body`; `root` leads from this page back to where `catalogue` is.
fn layout(head: Head, root: &str, body: Markup, footer: &Footer) -> String {
    let Head {
        title,
        name,
        description,
        address,
        feed,
        noindex,
    } = head;
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                meta name="description" content=(description);
                @if noindex { meta name="robots" content="noindex"; }
                meta property="og:site_name" content="Makers catalogue";
                meta property="og:type" content="website";
                meta property="og:title" content=(name);
                meta property="og:description" content=(description);
                @if let Some(address) = &address {
                    link rel="canonical" href=(address);
                    meta property="og:url" content=(address);
                }
                @if let Some(feed) = &feed {
                    link rel="alternate" type="application/atom+xml" title="New services" href=(feed);
                }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header { div.width { a.service-name href={ (root) "catalogue" } { "Makers catalogue" } } }
                div.width {
                    main #main tabindex="-1" { (body) }
                }
                footer { div.width {
                    (footer.links())
                    p { "Services published by Makers Project Teams: council staff building things once, together." }
                    p { "The catalogue as data: " a href={ (root) "catalogue.json" } { "JSON" } " or " a href={ (root) "catalogue.csv" } { "CSV" } " (" a href={ (root) "catalogue.csv?excel=1" } { "CSV for Excel" } "). New services in a feed reader: " a href={ (root) "catalogue.atom" } { "Atom feed" } "." }
                } }
            }
        }
    }
    .into_string()
}

/// Text a team typed, with the styles Slack shows it in (`*bold*` bold, `` `code` `` as
/// code), rather than their markers.
fn styled(text: &str) -> Markup {
    spans(&crate::domain::styled(text))
}

/// A description's paragraphs, styled: split at its blank lines, but not inside code (a block
/// of code may hold a blank line).
fn paragraphs(text: &str) -> Vec<Vec<Styled<'_>>> {
    let mut out: Vec<Vec<Styled<'_>>> = vec![Vec::new()];
    for part in crate::domain::styled(text) {
        match part {
            Styled::Text(text) => {
                for (i, piece) in text.split("\n\n").enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    out.last_mut()
                        .expect("one at least")
                        .push(Styled::Text(piece));
                }
            }
            other => out.last_mut().expect("one at least").push(other),
        }
    }
    // Each as trimmed of the line breaks and spaces around it; none left empty.
    for paragraph in &mut out {
        if let Some(Styled::Text(first)) = paragraph.first_mut() {
            *first = first.trim_start();
        }
        if let Some(Styled::Text(last)) = paragraph.last_mut() {
            *last = last.trim_end();
        }
        paragraph.retain(|part| part != &Styled::Text(""));
    }
    out.retain(|paragraph| !paragraph.is_empty());
    out
}

fn spans(parts: &[Styled<'_>]) -> Markup {
    html! {
        @for part in parts {
            @match part {
                Styled::Text(text) => (linked(text)),
                Styled::Code(text) => code { (text) },
                Styled::Span(Style::Bold, inner) => strong { (spans(inner)) },
                Styled::Span(Style::Italic, inner) => em { (spans(inner)) },
                Styled::Span(Style::Strike, inner) => del { (spans(inner)) },
            }
        }
    }
}

/// Text with its web addresses as links, as Slack shows them (a team's text is theirs, not
/// the catalogue's: `nofollow ugc`, as search engines ask of such links).
fn linked(text: &str) -> Markup {
    // Each stretch, and whether it is an address.
    let mut parts = Vec::new();
    let mut copied = 0;
    for address in crate::domain::web_addresses(text) {
        parts.push((&text[copied..address.start], false));
        parts.push((&text[address.clone()], true));
        copied = address.end;
    }
    parts.push((&text[copied..], false));
    html! {
        @for (part, address) in parts {
            @if address {
                a href=(part) rel="external nofollow ugc" { (part) }
            } @else {
                (part)
            }
        }
    }
}

fn row(key: &str, value: Markup) -> Markup {
    html! { div.row { dt { (key) } dd { (value) } } }
}

fn tag(phase: Phase) -> Markup {
    html! { strong class={ "tag tag-" (phase.as_str()) } { (phase.heading()) } }
}

/// `2 November 2026`, in `MAKERS_TZ`.
fn day(at: i64, tz: Tz) -> String {
    date(at, tz, false)
}

/// `2 Nov 2026`, for a table column.
fn short_day(at: i64, tz: Tz) -> String {
    date(at, tz, true)
}

fn date(at: i64, tz: Tz, short: bool) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    // Formatted by hand: chrono's `format` reads its pattern afresh for every date, and the
    // whole catalogue shows 10,000 of them.
    DateTime::<Utc>::from_timestamp(at, 0)
        .map(|t| {
            let d = t.with_timezone(&tz).date_naive();
            let month = MONTHS[d.month0() as usize];
            let month = if short { &month[..3] } else { month };
            format!("{} {month} {}", d.day(), d.year())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row names five re-using councils and counts the rest (its page names them all).
    #[test]
    fn a_rows_re_users_are_named_up_to_five() {
        let councils: Vec<String> = (1..=60).map(|i| format!("Council {i}")).collect();
        let none = |_: &str| false;
        assert_eq!(
            reused_by(&councils, none),
            "Council 1, Council 2, Council 3, Council 4, Council 5 and 55 more"
        );
        assert_eq!(
            reused_by(&councils[..5], none),
            "Council 1, Council 2, Council 3, Council 4, Council 5"
        );
        // Filtered by a council, the row names it first.
        assert_eq!(
            reused_by(&councils, |name: &str| name == "Council 42"),
            "Council 42, Council 1, Council 2, Council 3, Council 4 and 55 more"
        );
    }

    #[test]
    fn days_are_written_out_in_the_catalogue_time_zone() {
        let london = chrono_tz::Europe::London;
        assert_eq!(day(1_793_610_000, london), "2 November 2026");
        assert_eq!(day(1_795_424_400, london), "23 November 2026");
        // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        assert_eq!(day(1_782_862_200, london), "1 July 2026");
        assert_eq!(day(1_782_862_200, chrono_tz::UTC), "30 June 2026");
        assert_eq!(short_day(1_795_424_400, london), "23 Nov 2026");
    }
}
