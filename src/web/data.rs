//! The catalogue as data: JSON in publiccode.yml's terms and CSV (RFC 4180), shaped exactly
//! as the contract says ("The public catalogue").

use std::borrow::Cow;
use std::fmt::{self, Display};

use std::sync::Arc;

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::spreadsheet_inert as inert;
use crate::domain::{
    CarriedOn, CatalogueEntry, LinkKind, Slug, development_status, unmarked_styles,
};

pub const JSON: &str = "application/json";
pub const CSV: &str = "text/csv; charset=utf-8";
/// UTF-8's byte order mark, which starts the CSV (see [`csv`]).
const BOM: &str = "\u{FEFF}";

/// publiccode.yml's limit for `shortDescription`.
const SHORT_DESCRIPTION: usize = 150;

/// One project in publiccode.yml's terms, borrowed from its entry: no string is made for a
/// URL or a date (at 10,000 projects those allocations cost milliseconds).
fn project<'a>(e: &'a CatalogueEntry, public_url: &'a str, tz: Tz) -> Project<'a> {
    Project {
        slug: e.slug.as_str(),
        name: &e.name,
        url: PageUrl(public_url, &e.slug),
        description: Description::of(&e.description),
        phase: e.phase.as_str(),
        development_status: development_status(e.phase),
        lead_council: e.lead_council.as_deref(),
        councils: &e.councils,
        used_by: &e.used_by,
        links: Links {
            code: link(e, LinkKind::Code),
            service: link(e, LinkKind::Service),
            docs: link(e, LinkKind::Docs),
        },
        pitched: Day(e.pitched, tz),
        last_news: Day(e.last_news, tz),
        merged_into: e.carried_on.as_ref().map(|on| match on {
            CarriedOn::As(into) => Some(Service {
                slug: into.slug.as_str(),
                name: &into.name,
                url: PageUrl(public_url, &into.slug),
            }),
            CarriedOn::Unlisted => None,
        }),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Project<'a> {
    slug: &'a str,
    name: &'a str,
    #[serde(serialize_with = "as_text")]
    url: PageUrl<'a>,
    description: Description<'a>,
    phase: &'static str,
    development_status: &'static str,
    lead_council: Option<&'a str>,
    councils: &'a [String],
    used_by: &'a [String],
    links: Links<'a>,
    #[serde(serialize_with = "as_text")]
    pitched: Day,
    #[serde(serialize_with = "as_text")]
    last_news: Day,
    /// Only for a service merged into another (added to the contract's shape): that one, or
    /// `null` when it is not in the catalogue (its name is not public).
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_into: Option<Option<Service<'a>>>,
}

/// A service another was merged into, as `mergedInto` names it.
#[derive(Serialize)]
struct Service<'a> {
    slug: &'a str,
    name: &'a str,
    #[serde(serialize_with = "as_text")]
    url: PageUrl<'a>,
}

#[derive(Serialize)]
struct Description<'a> {
    en: English<'a>,
}

impl<'a> Description<'a> {
    /// A description as words, without the markers of Slack's styles (`*Now live*` is "Now
    /// live"): a council's site shows it as text.
    fn of(description: &'a str) -> Description<'a> {
        let long = unmarked_styles(description);
        Description {
            en: English {
                short_description: shortened(&long),
                long_description: long,
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct English<'a> {
    short_description: Cow<'a, str>,
    long_description: Cow<'a, str>,
}

/// Only the kinds recorded.
#[derive(Serialize)]
struct Links<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<&'a str>,
}

/// Writes a value as a JSON string straight from its `Display`.
fn as_text<T: Display, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// Bytes of JSON a project takes, about: buffers are made this big at once rather than grown
/// (and copied) a dozen times.
const JSON_BYTES_PER_PROJECT: usize = 900;
/// From this many projects on, the second half is written on a second thread. The JSON is the
/// one answer big enough for that to matter (8 MB at 10,000 projects), and the first request
/// after a write waits for it.
const JSON_SPLIT_FROM: usize = 2_000;

/// Where the JSON's projects start, after `generated`.
pub const JSON_PROJECTS: &str = ",\"projects\":";

/// `{"generated": …, "projects": [ … ]}`, compact, as serde_json writes it.
pub fn json(
    entries: &[Arc<CatalogueEntry>],
    public_url: &str,
    tz: Tz,
    now: DateTime<Utc>,
) -> String {
    let generated = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let (first, second) = match entries.len() {
        n if n >= JSON_SPLIT_FROM => entries.split_at(n / 2),
        _ => (entries, &entries[..0]),
    };
    let (mut out, rest) = std::thread::scope(|s| {
        let rest = s.spawn(|| projects_json(second, public_url, tz));
        (projects_json(first, public_url, tz), rest.join())
    });
    let Ok(rest) = rest else {
        return "{}".into();
    };
    if !out.is_empty() && !rest.is_empty() {
        out.push(b',');
    }
    out.extend_from_slice(&rest);
    let mut doc = Vec::with_capacity(out.len() + 64);
    doc.extend_from_slice(b"{\"generated\":");
    // A date and time in RFC 3339: nothing in it needs escaping beyond the quotes.
    doc.extend_from_slice(
        serde_json::to_string(&generated)
            .unwrap_or_default()
            .as_bytes(),
    );
    doc.extend_from_slice(JSON_PROJECTS.as_bytes());
    doc.push(b'[');
    doc.extend_from_slice(&out);
    doc.extend_from_slice(b"]}");
    // serde_json writes only valid UTF-8.
    String::from_utf8(doc).unwrap_or_else(|_| "{}".into())
}

/// One project's object, as [`json`] lists it.
pub fn one_json(e: &CatalogueEntry, public_url: &str, tz: Tz) -> String {
    serde_json::to_string(&project(e, public_url, tz)).unwrap_or_else(|_| "{}".into())
}

/// The projects' objects, comma-separated (an array's inside).
fn projects_json(entries: &[Arc<CatalogueEntry>], public_url: &str, tz: Tz) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * JSON_BYTES_PER_PROJECT);
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing to a Vec cannot fail, and every field serializes.
        let _ = serde_json::to_writer(&mut out, &project(e, public_url, tz));
    }
    out
}

/// The contract's columns, in order.
const COLUMNS: [&str; 13] = [
    "slug",
    "name",
    "phase",
    "developmentStatus",
    "leadCouncil",
    "councils",
    "usedBy",
    "code",
    "service",
    "docs",
    "pitched",
    "lastNews",
    "url",
];

/// The catalogue as CSV; `excel`: starting with UTF-8's byte order mark.
pub fn csv(
    entries: &[Arc<CatalogueEntry>],
    public_url: &str,
    tz: Tz,
    excel: bool,
) -> anyhow::Result<String> {
    // CRLF line ends and quoting where needed, as RFC 4180 has it. Excel, what council staff
    // open a CSV with, reads a file without a byte order mark in the PC's legacy code page
    // ("Ynys Môn" shows as "Ynys MÃ´n"), while a program reading UTF-8 would take the mark
    // for part of the first column's name (the contract's `slug`): so it is asked for.
    let start = if excel {
        BOM.as_bytes().to_vec()
    } else {
        Vec::new()
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(start);
    out.write_record(COLUMNS)?;
    for e in entries {
        // Borrowed where the entry holds the text as it is written.
        let row: [Cow<'_, str>; 13] = [
            e.slug.as_str().into(),
            e.name.as_str().into(),
            e.phase.as_str().into(),
            development_status(e.phase).into(),
            e.lead_council.as_deref().unwrap_or_default().into(),
            e.councils.join("; ").into(),
            e.used_by.join("; ").into(),
            link(e, LinkKind::Code).unwrap_or_default().into(),
            link(e, LinkKind::Service).unwrap_or_default().into(),
            link(e, LinkKind::Docs).unwrap_or_default().into(),
            date(e.pitched, tz).into(),
            date(e.last_news, tz).into(),
            page_url(public_url, e).into(),
        ];
        let cells: Vec<Cow<'_, str>> = row.iter().map(|cell| inert(cell)).collect();
        out.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

fn link(e: &CatalogueEntry, kind: LinkKind) -> Option<&str> {
    e.links
        .iter()
        .find(|l| l.kind == kind)
        .map(|l| l.url.as_str())
}

fn page_url(public_url: &str, e: &CatalogueEntry) -> String {
    PageUrl(public_url, &e.slug).to_string()
}

/// A project's page: the public base URL, then `/catalogue/<slug>`.
struct PageUrl<'a>(&'a str, &'a Slug);

impl Display for PageUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/catalogue/{}", self.0, self.1)
    }
}

/// `2026-11-02`, in `MAKERS_TZ`.
fn date(at: i64, tz: Tz) -> String {
    Day(at, tz).to_string()
}

/// The day a unix time falls on in a time zone, shown as `2026-11-02` (nothing if the time
/// is out of range).
struct Day(i64, Tz);

impl Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // By hand rather than with chrono's `format`, which reads its pattern for every date.
        match DateTime::<Utc>::from_timestamp(self.0, 0) {
            Some(t) => {
                let d = t.with_timezone(&self.1).date_naive();
                write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            }
            None => Ok(()),
        }
    }
}

/// A description's first line as words, without Slack's style markers, cut as [`short`]
/// cuts it: what a row of the page, a preview and the data show of it.
pub(super) fn summary(description: &str) -> Cow<'_, str> {
    shortened(&unmarked_styles(description))
}

/// [`short`] of words borrowed from a description, or of words made anew.
fn shortened<'a>(words: &Cow<'a, str>) -> Cow<'a, str> {
    match words {
        Cow::Borrowed(words) => short(words),
        Cow::Owned(words) => Cow::Owned(short(words).into_owned()),
    }
}

/// The description's first line, cut at a word to publiccode.yml's 150 characters.
pub(super) fn short(description: &str) -> Cow<'_, str> {
    let first = description
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    // Fewer bytes than the limit in characters is fewer characters too: no count needed.
    if first.len() <= SHORT_DESCRIPTION || first.chars().count() <= SHORT_DESCRIPTION {
        return first.into();
    }
    let cut: String = first.chars().take(SHORT_DESCRIPTION - 1).collect();
    // Counted in characters, as the limit is: a byte position in a script of wider letters
    // would cut at a space near the start.
    let cut = match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() > SHORT_DESCRIPTION / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Phase, ProjectLink};

    fn entry(i: usize) -> Arc<CatalogueEntry> {
        Arc::new(CatalogueEntry {
            slug: Slug::from_stored(format!("project-{i}")),
            name: format!("Project \"{i}\" <b>"),
            description: format!("Line one of {i}\nline two"),
            phase: Phase::Beta,
            lead_council: i
                .is_multiple_of(2)
                .then(|| "Kent County Council".to_string()),
            councils: vec!["Kent County Council".into()],
            used_by: Vec::new(),
            links: vec![ProjectLink {
                kind: LinkKind::Docs,
                url: crate::domain::LinkUrl::from_stored("https://x.example/d".into()),
            }],
            pitched: 1_793_610_000,
            last_news: 1_793_610_000 + i as i64,
            published: 1_793_610_000 + i as i64,
            carried_on: None,
            merged_at: None,
            phase_changed: None,
        })
    }

    /// The first line's limit is in characters, and so is the half of it a space must pass
    /// to be cut at: wide letters take three bytes each.
    #[test]
    fn a_description_in_wide_letters_is_cut_near_its_limit() {
        let description = format!("{} {}", "議".repeat(40), "议".repeat(200));
        let cut = short(&description);
        assert_eq!(cut.chars().count(), SHORT_DESCRIPTION, "{cut}");
        let description = format!("{} {}", "議".repeat(100), "议".repeat(200));
        assert_eq!(short(&description), format!("{}…", "議".repeat(100)));
    }

    #[test]
    fn json_written_in_two_halves_is_what_serde_writes_in_one() {
        let now = DateTime::<Utc>::from_timestamp(1_793_610_000, 0).unwrap();
        let tz = chrono_tz::Europe::London;
        for n in [
            0,
            1,
            3,
            JSON_SPLIT_FROM - 1,
            JSON_SPLIT_FROM,
            JSON_SPLIT_FROM + 1,
        ] {
            let entries: Vec<_> = (0..n).map(entry).collect();
            let projects: Vec<Project> = entries
                .iter()
                .map(|e| project(e, "https://m.example", tz))
                .collect();
            #[derive(Serialize)]
            struct Whole<'a> {
                generated: &'static str,
                projects: Vec<Project<'a>>,
            }
            let whole = Whole {
                generated: "2026-11-02T09:00:00Z",
                projects,
            };
            let ours = json(&entries, "https://m.example", tz, now);
            assert_eq!(ours, serde_json::to_string(&whole).unwrap(), "{n} projects");
        }
    }

    #[test]
    fn formulas_are_made_inert_and_other_text_left_alone() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("+1"), "'+1");
        assert_eq!(inert("-2"), "'-2");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\t=1"), "'\t=1");
        assert_eq!(inert("Bin day finder"), "Bin day finder");
        assert_eq!(inert("a=b"), "a=b");
        assert_eq!(inert(""), "");
    }

    #[test]
    fn dates_are_iso_days_in_the_catalogue_time_zone() {
        let london = chrono_tz::Europe::London;
        assert_eq!(date(1_793_610_000, london), "2026-11-02");
        // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        assert_eq!(date(1_782_862_200, london), "2026-07-01");
        assert_eq!(date(1_782_862_200, chrono_tz::UTC), "2026-06-30");
    }

    #[test]
    fn short_descriptions_fit_publiccode() {
        assert_eq!(short("One line\nSecond"), "One line");
        let long = "word ".repeat(60);
        let s = short(&long);
        assert!(
            s.chars().count() <= SHORT_DESCRIPTION && s.ends_with('…'),
            "{s}"
        );
        assert_eq!(short(""), "");
    }
}
