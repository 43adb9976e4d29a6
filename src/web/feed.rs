//! The catalogue as an Atom feed (RFC 4287), newest in the catalogue first: a council
//! officer's feed reader (classic Outlook for Windows reads feeds too) says when a service
//! is published, which the JSON (for programs that fetch it whole) cannot. Filtered as the page
//! is: `catalogue.atom?council=Waverley` follows what a council leads, works on or re-uses.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use maud::html;

use super::query::Filters;
use crate::domain::{CatalogueEntry, midnight};

pub const ATOM: &str = "application/atom+xml";
/// Entries in the feed: a reader keeps what it has seen, and asks again for what is new.
pub const ENTRIES: usize = 50;

/// The feed of `entries` (those the filters found), at `public_url`.
pub fn atom(
    entries: &[Arc<CatalogueEntry>],
    public_url: &str,
    tz: Tz,
    filters: &Filters,
) -> String {
    let mut newest: Vec<&CatalogueEntry> = entries.iter().map(Arc::as_ref).collect();
    newest.sort_by(|a, b| (b.published, a.slug.as_str()).cmp(&(a.published, b.slug.as_str())));
    newest.truncate(ENTRIES);
    let query = match filters.page_query(1) {
        q if q.is_empty() => q,
        q => format!("?{q}"),
    };
    let own = format!("{public_url}/catalogue.atom{query}");
    // A feed with nothing in it yet was never changed: the earliest time, not "now", so its
    // ETag stays while nothing is published.
    let updated = newest
        .iter()
        .map(|e| changed(e, tz))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |at| time(at, tz));
    let xml = html! {
        feed xmlns="http://www.w3.org/2005/Atom" {
            title { (title(filters)) }
            subtitle { "Re-usable digital services built once by Makers teams of UK council staff, newest in the catalogue first. A later change to one (retired, say) updates its entry, which not every reader shows again: its page says where it stands." }
            // Elements written open and closed: XML has no void elements.
            link rel="self" type="application/atom+xml" href=(own) {}
            link rel="alternate" type="text/html" href={ (public_url) "/catalogue" (query) } {}
            id { (own) }
            updated { (updated) }
            author { name { "Makers Project Teams" } }
            @for e in &newest {
                @let page = format!("{public_url}/catalogue/{}", e.slug);
                entry {
                    title { (e.name) }
                    link rel="alternate" type="text/html" href=(page) {}
                    // Its address is its name for good: a slug is kept through renames.
                    id { (page) }
                    published { (time(e.published, tz)) }
                    updated { (time(changed(e, tz), tz)) }
                    // Whose it is: the council that leads it (a person is never named).
                    @if let Some(lead) = &e.lead_council {
                        author { name { (lead) } }
                    }
                    category term=(e.phase.as_str()) label=(e.phase.heading()) {}
                    summary { (super::page::preview(e)) }
                }
            }
        }
    };
    // What XML 1.0 cannot hold at all, escaped or not (a control character in text stored
    // by an older build, say), is left out: one such character would make the whole feed
    // unreadable to every reader.
    let xml: String = xml.into_string().chars().filter(|&c| in_xml(c)).collect();
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{xml}")
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// When an entry last changed as a reader sees it: put in the catalogue, its phase changed
/// (retired, say) or merged (its summary then says where its work carries on; a retired one
/// merged has no news of it), each to the second, or news since, from the start of its day.
/// Those three are a team's acts on its service, and a poller takes an entry as new only if
/// it is dated after the newest it has seen (Power Automate's RSS trigger): at the start of
/// the day, a second service published that day was never announced, nor did a merge the day
/// of its publishing move `updated`. News is an update someone posted, which the pages and
/// data give as a day: the feed does not say its second either.
fn changed(e: &CatalogueEntry, tz: Tz) -> i64 {
    e.published
        .max(day(e.last_news, tz))
        .max(e.phase_changed.unwrap_or(0))
        .max(e.merged_at.unwrap_or(0))
}

/// The start of the day `at` falls on in `tz`: where clocks go forward at midnight, the day
/// starts when they do (`midnight`).
fn day(at: i64, tz: Tz) -> i64 {
    let local = DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&tz);
    midnight(local.date_naive(), tz)
}

/// `at` in RFC 3339 as Atom's dates are, with the offset of `tz` then.
fn time(at: i64, tz: Tz) -> String {
    DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The feed's title: what it follows.
fn title(filters: &Filters) -> String {
    let mut which = Vec::new();
    if !filters.council.is_empty() {
        which.push(format!(
            "that {} leads, works on or re-uses",
            filters.council
        ));
    }
    if let Some(phase) = filters.phase {
        which.push(format!("in {}", phase.heading().to_lowercase()));
    }
    if !filters.q.is_empty() {
        which.push(format!("matching “{}”", filters.q));
    }
    match which.is_empty() {
        true => "Makers catalogue: new services".to_string(),
        false => format!("Makers catalogue: services {}", which.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Phase, Slug};

    fn entry(name: &str, published: i64) -> Arc<CatalogueEntry> {
        Arc::new(CatalogueEntry {
            slug: Slug::from_stored(format!("s-{published}")),
            name: name.to_string(),
            description: String::new(),
            phase: Phase::Beta,
            lead_council: Some("Kent & Medway <Council>".into()),
            councils: Vec::new(),
            used_by: Vec::new(),
            links: Vec::new(),
            pitched: 0,
            last_news: 0,
            published,
            carried_on: None,
            merged_at: None,
            phase_changed: None,
        })
    }

    /// A retired service merged days later (no news of it) has its entry's `updated` moved
    /// to the second of the merge, as its summary changes then; news, to the start of its day.
    #[test]
    fn a_merge_moves_an_entrys_updated_and_news_its_day() {
        let london = chrono_tz::Europe::London;
        let day_one = 1_798_761_600; // 1 January 2027, midnight in London
        let mut merged = (*entry("Bins", day_one + 3_600)).clone();
        merged.last_news = day_one + 7_200;
        merged.phase_changed = Some(day_one + 5_400);
        // News that day, later than the phase change: the day's start is earlier still.
        assert_eq!(changed(&merged, london), day_one + 5_400);
        merged.last_news = day_one + 86_400 + 7_200;
        assert_eq!(changed(&merged, london), day_one + 86_400);
        merged.merged_at = Some(day_one + 9 * 86_400 + 3_600);
        assert_eq!(
            time(changed(&merged, london), london),
            "2027-01-10T01:00:00Z"
        );
    }

    #[test]
    fn any_text_makes_a_well_formed_feed_that_reads_back_as_it_was() {
        let names = [
            "Fish & chips <b>\"now\"</b>",
            "Bell\u{7} and \u{FFFE}nul\u{0}",
            "Ynys Môn ♻️",
        ];
        let entries: Vec<_> = (0..3).map(|i| entry(names[i], i as i64)).collect();
        let xml = atom(
            &entries,
            "https://x.example",
            chrono_tz::Europe::London,
            &Filters::read("q=a%26b%3C"),
        );
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "title")
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            titles,
            [
                "Makers catalogue: services matching “a&b<”",
                "Ynys Môn ♻️",
                "Bell and nul",
                "Fish & chips <b>\"now\"</b>",
            ]
        );
        assert!(
            xml.contains("<name>Kent &amp; Medway &lt;Council&gt;</name>"),
            "{xml}"
        );
    }

    #[test]
    fn news_is_dated_from_the_start_of_its_day_where_the_catalogue_is() {
        // 23:30 on 1 July in UTC is past midnight in London (summer time).
        let at = 1_782_948_600;
        let london = chrono_tz::Europe::London;
        assert_eq!(time(day(at, london), london), "2026-07-02T00:00:00+01:00");
        assert_eq!(
            time(day(at, chrono_tz::UTC), chrono_tz::UTC),
            "2026-07-01T00:00:00Z"
        );
    }

    /// Where clocks go forward at midnight (Cairo, 24 April 2026: 00:00 is 01:00), the day
    /// starts at 01:00, not at the instant the news came.
    #[test]
    fn a_day_with_no_midnight_starts_when_its_clocks_do() {
        // 12:42:10 UTC on 24 April 2026 is 15:42:10 in Cairo.
        let at = 1_777_034_530;
        let cairo = chrono_tz::Africa::Cairo;
        assert_eq!(time(day(at, cairo), cairo), "2026-04-24T01:00:00+03:00");
    }

    #[test]
    fn a_retired_service_says_so_first_where_a_reader_shows_no_phase() {
        let mut retired = (*entry("Bins", 1)).clone();
        retired.phase = Phase::Retired;
        retired.description = "Which bin goes out".into();
        let xml = atom(
            &[Arc::new(retired)],
            "https://x.example",
            chrono_tz::Europe::London,
            &Filters::read(""),
        );
        assert!(
            xml.contains("<summary>Retired. Which bin goes out</summary>"),
            "{xml}"
        );
    }

    #[test]
    fn only_the_newest_fifty_are_in_it() {
        let entries: Vec<_> = (0..60).map(|i| entry("A", i)).collect();
        let xml = atom(
            &entries,
            "https://x.example",
            chrono_tz::Europe::London,
            &Filters::read(""),
        );
        assert_eq!(xml.matches("<entry>").count(), ENTRIES);
        assert!(xml.contains("s-59") && !xml.contains("s-9<"), "{xml}");
    }
}
