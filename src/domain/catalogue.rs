//! What the public catalogue is made of: a published project's slug (its address, made once
//! from its title and kept), the kinds of link a team records, and the links themselves.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{MergedService, Phase, Title, UserError};

/// A published project's address in the catalogue: `bin-day-finder`. Lowercase ASCII letters,
/// digits and single dashes, so it is safe in a URL path, a file name and HTML as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Longest slug made from a title (a suffix for uniqueness may add a few characters).
    pub const MAX_BASE: usize = 60;

    /// The slug a title suggests: "Bin-day finder (beta!)" -> `bin-day-finder-beta`. Accented
    /// Latin letters lose their accents; a title with nothing usable gives `project`.
    /// From the title as the catalogue shows it ([`super::public_text`]) but for emoji codes,
    /// which stay words (`:recycle:` "recycle", as before the pages showed emoji): a slug is
    /// public, so it must not carry the ids and addresses the page leaves out.
    pub fn from_title(title: &Title) -> Slug {
        Slug::from_typed(title.as_str())
    }

    /// The same from a title's text as typed (as stored).
    pub fn from_typed(title: &str) -> Slug {
        Slug::from_text(&super::public::public_text_with_codes(title))
    }

    /// The base slug the first builds made, from the title as typed: only for finding
    /// addresses that carry what the page hides (see `store::publishing::repair_slugs`).
    pub fn as_first_made(title: &str) -> Slug {
        Slug::from_text(title)
    }

    fn from_text(text: &str) -> Slug {
        let mut out = String::new();
        let mut gap = false;
        let mut push = |c: char| {
            if !c.is_ascii_alphanumeric() {
                gap = true;
                return;
            }
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        };
        for c in text.chars() {
            if c == '&' {
                " and ".chars().for_each(&mut push);
            } else {
                push(fold(c));
            }
        }
        if out.len() > Self::MAX_BASE {
            let cut = &out[..Self::MAX_BASE];
            // Cut at a word where there is one in the second half.
            out = match cut.rfind('-') {
                Some(i) if i > Self::MAX_BASE / 2 => cut[..i].to_string(),
                _ => cut.to_string(),
            };
        }
        let out = out.trim_end_matches('-');
        Slug(if out.is_empty() { "project" } else { out }.to_string())
    }

    /// The `n`th choice for a base that is taken: `bin-day-finder-2`, `-3`, …
    pub fn numbered(&self, n: u32) -> Slug {
        Slug(format!("{}-{n}", self.0))
    }

    /// A slug from a request path: only what [`Slug::from_title`] can make is accepted.
    pub fn parse(s: &str) -> Option<Slug> {
        let ok = !s.is_empty()
            && s.len() <= Self::MAX_BASE + 11
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        ok.then(|| Slug(s.to_string()))
    }

    /// How to name it after `/makers show`, `join` or `reuse`: itself where it reads as a
    /// page's address (words joined by `-`), else with its path: `catalogue/311` (a number)
    /// and `catalogue/chatbot` (one word, which `show` takes for a number mistyped).
    pub fn as_typed(&self) -> String {
        let an_address = self.0.contains('-') && self.0.contains(|c: char| c.is_ascii_lowercase());
        match an_address {
            true => self.0.clone(),
            false => format!("catalogue/{}", self.0),
        }
    }

    /// A slug read back from the store, where only made slugs are written.
    pub fn from_stored(s: String) -> Slug {
        Slug(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the catalogue orders names by, A to Z: from the first letter or digit (past an emoji,
/// a quote or a bracket before it), accents folded (`Éco-bins` with the Es), in any case.
/// Compared as typed, those sorted after Z (their code points are above `z`).
pub fn name_order(name: &str) -> String {
    name.trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .map(fold)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Accented Latin letters as plain ones (enough for English and Welsh council names and
/// service titles); anything else as itself.
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' | 'ā' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' => 'u',
        'ŵ' | 'Ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => 'w',
        'ý' | 'ÿ' | 'Ý' | 'ŷ' | 'Ŷ' | 'ỳ' => 'y',
        other => other,
    }
}

/// Where a project's work can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Its source code.
    Code,
    /// The live service.
    Service,
    /// Its documentation.
    Docs,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::Code, LinkKind::Service, LinkKind::Docs];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Code => "code",
            LinkKind::Service => "service",
            LinkKind::Docs => "docs",
        }
    }

    /// In a sentence: "its live service".
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Code => "code",
            LinkKind::Service => "live service",
            LinkKind::Docs => "documentation",
        }
    }

    /// As a heading or a label: "Live service".
    pub fn heading(self) -> &'static str {
        match self {
            LinkKind::Code => "Code",
            LinkKind::Service => "Live service",
            LinkKind::Docs => "Documentation",
        }
    }
}

impl FromStr for LinkKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_ascii_lowercase().as_str() {
            "code" | "repo" | "source" => Ok(LinkKind::Code),
            "service" | "live" => Ok(LinkKind::Service),
            "docs" | "doc" | "documentation" => Ok(LinkKind::Docs),
            _ => Err(()),
        }
    }
}

/// Why a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadLink {
    /// Not a URL at all.
    NotAUrl,
    /// `ftp:`, `javascript:`, `mailto:`, …: the catalogue links only to web pages.
    NotHttp,
    /// `https://user:password@…`: it would publish a secret.
    HasCredentials,
    TooLong,
    /// Slack's own address (a canvas, a message): it opens only for the workspace's members,
    /// and holds its ids, where the catalogue is public.
    InSlack,
    /// An e-mail address in it (`?owner=sam@council.gov.uk`): the catalogue is public.
    HoldsEmail,
}

/// An `http` or `https` address with a host and no credentials, as the catalogue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkUrl(String);

impl LinkUrl {
    pub const MAX_CHARS: usize = 500;

    /// Reads a typed address. Slack sends a typed link as a token, `<https://…>` or
    /// `<https://…|label>`; either form, or the bare address, is accepted.
    pub fn parse(typed: &str) -> Result<LinkUrl, UserError> {
        let bad = |why| Err(UserError::BadLink(why));
        let mut s = typed.trim();
        // A link that ends a sentence: Slack leaves the full stop outside its token.
        if s.starts_with('<') {
            s = s.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        }
        if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            s = inner.split('|').next().unwrap_or("");
        }
        if s.chars().count() > Self::MAX_CHARS {
            return bad(BadLink::TooLong);
        }
        let Ok(url) = url::Url::parse(s) else {
            return bad(BadLink::NotAUrl);
        };
        if !matches!(url.scheme(), "http" | "https") {
            return bad(BadLink::NotHttp);
        }
        if url.host_str().is_none_or(str::is_empty) {
            return bad(BadLink::NotAUrl);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return bad(BadLink::HasCredentials);
        }
        if super::public::is_slack_address(url.as_str()) {
            return bad(BadLink::InSlack);
        }
        if super::public::holds_email(url.as_str()) {
            return bad(BadLink::HoldsEmail);
        }
        // `|` would end the address inside a Slack link token.
        let text = url.as_str().replace('|', "%7C");
        if text.chars().count() > Self::MAX_CHARS {
            return bad(BadLink::TooLong);
        }
        Ok(LinkUrl(text))
    }

    /// An address read back from the store, where only parsed ones are written.
    pub fn from_stored(s: String) -> LinkUrl {
        LinkUrl(s)
    }

    /// Slack's own address: stored by a build from before those were refused, and left out
    /// of the public catalogue.
    pub fn is_in_slack(&self) -> bool {
        super::public::is_slack_address(&self.0)
    }

    /// An address the public catalogue leaves out: Slack's own, or one holding an e-mail
    /// address (both stored by builds from before they were refused).
    pub fn is_private(&self) -> bool {
        self.is_in_slack() || super::public::holds_email(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One recorded link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLink {
    pub kind: LinkKind,
    pub url: LinkUrl,
}

/// publiccode.yml's `developmentStatus` for a GOV.UK phase.
pub fn development_status(phase: Phase) -> &'static str {
    match phase {
        Phase::Discovery => "concept",
        Phase::Alpha => "development",
        Phase::Beta => "beta",
        Phase::Live => "stable",
        Phase::Retired => "obsolete",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(title: &str) -> String {
        Slug::from_title(&Title::parse(title).unwrap()).0
    }

    #[test]
    fn slugs_are_made_from_titles() {
        assert_eq!(slug("Bin day finder"), "bin-day-finder");
        assert_eq!(slug("  Bin-day   finder (beta!) "), "bin-day-finder-beta");
        assert_eq!(slug("FOI & EIR tracker"), "foi-and-eir-tracker");
        assert_eq!(slug("Gwasanaeth Cŵn Strae"), "gwasanaeth-cwn-strae");
        assert_eq!(slug("Café Übersicht"), "cafe-ubersicht");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("日本語"), "project");
        assert_eq!(slug("---"), "project");
        // Emoji codes are words in an address, as before the catalogue showed them as emoji:
        // an address made anew at start would otherwise move a published page.
        assert_eq!(slug(":recycle: Bin day finder"), "recycle-bin-day-finder");
        assert_eq!(
            Slug::from_typed(":recycle: Bins"),
            Slug::as_first_made(":recycle: Bins")
        );
        let long = slug(&"word ".repeat(24));
        assert!(
            long.len() <= Slug::MAX_BASE && !long.ends_with('-'),
            "{long}"
        );
    }

    #[test]
    fn every_made_slug_parses_back() {
        for title in [
            "Bin day finder",
            "x",
            "A--B",
            "Ça va? Ça va!",
            &"é".repeat(100),
        ] {
            let made = Slug::from_title(&Title::parse(title).unwrap());
            assert_eq!(Slug::parse(made.as_str()), Some(made.clone()));
            let second = made.numbered(2);
            assert_eq!(Slug::parse(second.as_str()), Some(second));
        }
        for bad in [
            "", "Bin", "bin_day", "bin--day", "-bin", "bin-", "a/b", "..", "a.json",
        ] {
            assert_eq!(Slug::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn links_must_be_web_addresses_without_secrets() {
        let ok = |s: &str| LinkUrl::parse(s).map(|u| u.0);
        assert_eq!(
            ok("https://github.com/x/bins").unwrap(),
            "https://github.com/x/bins"
        );
        assert_eq!(
            ok("<https://github.com/x/bins|our repo>").unwrap(),
            "https://github.com/x/bins"
        );
        assert_eq!(ok("<http://bins.example>").unwrap(), "http://bins.example/");
        // Ending a sentence: Slack leaves the full stop outside the link's token.
        assert_eq!(
            ok("<https://docs.example.gov.uk/bins>.").unwrap(),
            "https://docs.example.gov.uk/bins"
        );
        assert_eq!(
            ok("<https://docs.example.gov.uk/bins|the docs>!").unwrap(),
            "https://docs.example.gov.uk/bins"
        );
        assert_eq!(
            ok("https://x.example/a|b").unwrap(),
            "https://x.example/a%7Cb"
        );
        let refused = |s: &str| match LinkUrl::parse(s) {
            Err(UserError::BadLink(why)) => why,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(refused("javascript:alert(1)"), BadLink::NotHttp);
        assert_eq!(refused("<mailto:a@b.example|a@b>"), BadLink::NotHttp);
        assert_eq!(refused("ftp://files.example/x"), BadLink::NotHttp);
        assert_eq!(refused("github.com/x"), BadLink::NotAUrl);
        assert_eq!(refused(""), BadLink::NotAUrl);
        assert_eq!(refused("https://"), BadLink::NotAUrl);
        assert_eq!(
            refused("https://me:pw@git.example/x"),
            BadLink::HasCredentials
        );
        let long = format!("https://x.example/{}", "a".repeat(600));
        assert_eq!(refused(&long), BadLink::TooLong);
        for with_email in [
            "https://forms.example/f?owner=sam.jones@council.gov.uk",
            "https://forms.example/f?owner=sam.jones%40council.gov.uk",
        ] {
            assert_eq!(refused(with_email), BadLink::HoldsEmail, "{with_email}");
        }
        // Stored by a build from before: left out of the catalogue.
        assert!(
            LinkUrl::from_stored("https://forms.example/f?to=sam@council.gov.uk".into())
                .is_private()
        );
        assert!(!LinkUrl::from_stored("https://x.example/@team".into()).is_private());
        // A Teams meeting's `%40thread.v2` names nobody, as in a description.
        let teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0";
        assert_eq!(ok(teams).unwrap(), teams);
    }

    #[test]
    fn link_kinds_have_friendly_synonyms() {
        assert_eq!("Code".parse(), Ok(LinkKind::Code));
        assert_eq!("repo".parse(), Ok(LinkKind::Code));
        assert_eq!("live".parse(), Ok(LinkKind::Service));
        assert_eq!("documentation".parse(), Ok(LinkKind::Docs));
        assert_eq!("wiki".parse::<LinkKind>(), Err(()));
    }
}

/// What `show` or `join` asked of a project named by its catalogue address (pasted from its
/// page), which may be another workspace's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedAsk {
    Show,
    Join,
}

/// A service another Slack workspace has put in the public catalogue, found in this one by
/// words (a search, or a pitch's title): as the catalogue shows it, so nothing that is not
/// already public reaches here. Its team works in that workspace, so it cannot be joined
/// from here; a council can say it re-uses it, by its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceElsewhere {
    pub slug: Slug,
    /// As the catalogue names it (`public_name`).
    pub name: String,
    pub phase: Phase,
    /// As the catalogue names it (`public_council`), if one leads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_council: Option<String>,
    /// How many councils re-use it.
    #[serde(default)]
    pub reused_by: u32,
    /// Merged into this service, where its work carries on: while that one is published and
    /// open (`store::published_elsewhere` reads it so), as its page names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<MergedService>,
}

/// Another workspace's service as `show <address>` tells it in Slack: what its catalogue
/// page says that the answer shows, and no more (it is stored with the answer while queued).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceShown {
    /// Through `public_text`, whole (the answer shortens it).
    #[serde(default)]
    pub description: String,
    pub phase: Phase,
    /// Merged into another project: where its work carries on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<MergedShown>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_council: Option<String>,
    /// The councils of its team's members, by name.
    #[serde(default)]
    pub councils: Vec<String>,
    /// The first [`ServiceShown::REUSES`] councils that re-use it, with their public notes.
    #[serde(default)]
    pub reuses: Vec<ReuseShown>,
    /// How many more re-use it than are listed.
    #[serde(default)]
    pub more_reuses: u32,
    #[serde(default)]
    pub links: Vec<ProjectLink>,
    #[serde(default)]
    pub pitched: i64,
    #[serde(default)]
    pub last_news: i64,
    /// The asker's council, when it is among those that re-use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yours: Option<String>,
}

/// Where a merged service's work carries on, as its page says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MergedShown {
    /// A service in the catalogue: its address and name.
    Into { slug: Slug, name: String },
    /// A project not in the catalogue, whose name is not public.
    Unlisted,
}

/// A council's re-use as a service's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReuseShown {
    pub council: String,
    /// Through `public_text`.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub since: i64,
}

impl ServiceShown {
    /// Re-users listed; the rest are counted (the page names them all).
    pub const REUSES: usize = 8;

    /// From its catalogue page; `yours`, the asker's council, said when it re-uses it.
    pub fn of(page: super::CataloguePage, yours: Option<&str>) -> ServiceShown {
        let e = page.entry;
        let yours = yours
            .filter(|mine| page.reuses.iter().any(|r| r.council == *mine))
            .map(str::to_string);
        let more_reuses = page.reuses.len().saturating_sub(Self::REUSES) as u32;
        ServiceShown {
            description: e.description,
            phase: e.phase,
            merged_into: e.carried_on.map(|c| match c {
                super::CarriedOn::As(m) => MergedShown::Into {
                    slug: m.slug,
                    name: m.name,
                },
                super::CarriedOn::Unlisted => MergedShown::Unlisted,
            }),
            lead_council: e.lead_council,
            councils: e.councils,
            reuses: page
                .reuses
                .into_iter()
                .take(Self::REUSES)
                .map(|r| ReuseShown {
                    council: r.council,
                    note: r.note,
                    since: r.since,
                })
                .collect(),
            more_reuses,
            links: e.links,
            pitched: e.pitched,
            last_news: e.last_news,
            yours,
        }
    }
}

#[cfg(test)]
mod shown_tests {
    use super::*;

    /// Queued with its answer, a service shown reads back as it was: a merge into a project
    /// not in the catalogue is not lost as "not merged" (`null` would read as none).
    #[test]
    fn a_service_shown_reads_back_as_it_was_stored() {
        for merged in [
            None,
            Some(MergedShown::Unlisted),
            Some(MergedShown::Into {
                slug: Slug::from_stored("bins".into()),
                name: "Bins".into(),
            }),
        ] {
            let shown = ServiceShown {
                description: "Which day".into(),
                phase: Phase::Retired,
                merged_into: merged,
                lead_council: None,
                councils: Vec::new(),
                reuses: Vec::new(),
                more_reuses: 0,
                links: Vec::new(),
                pitched: 1,
                last_news: 2,
                yours: None,
            };
            let json = serde_json::to_string(&shown).unwrap();
            let back: ServiceShown = serde_json::from_str(&json).unwrap();
            assert_eq!(back, shown, "{json}");
        }
    }
}
