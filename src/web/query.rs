//! The catalogue's filters as a visitor typed them in the query string.

use crate::domain::{Phase, SearchWords};
use crate::handlers::CatalogueQuery;

/// Longest filter value read; the rest is ignored.
const MAX_CHARS: usize = 200;

/// The filters, as typed (to fill the form back in) and as understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub q: String,
    pub phase: Option<Phase>,
    /// A `phase` value that is not a phase (shown back with an error).
    pub bad_phase: Option<String>,
    pub council: String,
    /// Which page of the HTML list, from 1 (`?page=`); anything unreadable is page 1.
    pub page: usize,
    /// `?excel=1`: the CSV for Excel, starting with UTF-8's byte order mark.
    pub excel: bool,
}

impl Filters {
    /// Reads `q`, `phase` and `council` (the first of each; unknown names are ignored).
    pub fn read(query: &str) -> Filters {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let first = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().chars().take(MAX_CHARS).collect::<String>())
                .unwrap_or_default()
        };
        let typed_phase = first("phase");
        let (phase, bad_phase) = match typed_phase.as_str() {
            "" => (None, None),
            p => match p.to_ascii_lowercase().parse() {
                Ok(phase) => (Some(phase), None),
                // The data's own word for it (`developmentStatus`: `stable`), which a
                // program reading the JSON filters by.
                Err(()) => match Phase::ALL
                    .into_iter()
                    .find(|&phase| crate::domain::development_status(phase).eq_ignore_ascii_case(p))
                {
                    Some(phase) => (Some(phase), None),
                    None => (None, Some(typed_phase.clone())),
                },
            },
        };
        Filters {
            q: first("q"),
            phase,
            bad_phase,
            council: first("council"),
            page: first("page").parse().ok().filter(|&p| p > 0).unwrap_or(1),
            excel: first("excel") == "1",
        }
    }

    /// The query string for `page` of the same filters: `q=bin&phase=beta&page=2`.
    pub fn page_query(&self, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(phase) = self.phase {
            pairs.push(("phase", phase.as_str().to_string()));
        }
        if !self.council.is_empty() {
            pairs.push(("council", self.council.clone()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// What to look for. Words with nothing searchable in them filter nothing.
    pub fn query(&self) -> CatalogueQuery {
        CatalogueQuery {
            words: SearchWords::parse(&self.q).ok(),
            phase: self.phase,
            council: (!self.council.is_empty()).then(|| self.council.clone()),
        }
    }

    /// The first thing wrong with the filters (see [`Filters::problems`]): a page with one is
    /// an error page, and the data answers 400.
    pub fn problem(&self) -> Option<BadFilter> {
        self.problems().first().copied()
    }

    /// Everything wrong with the filters, in the order of the form's fields, for the page's
    /// error summary (GOV.UK's pattern lists every error at once, each marked at its field).
    pub fn problems(&self) -> Vec<BadFilter> {
        let mut wrong = Vec::new();
        if !self.q.is_empty() && SearchWords::parse(&self.q).is_err() {
            // Only common words or single letters ("it", "a"): filtering by nothing would
            // list every service as matching.
            wrong.push(BadFilter::Words);
        }
        if self.bad_phase.is_some() {
            wrong.push(BadFilter::Phase);
        }
        wrong
    }

    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
            && self.phase.is_none()
            && self.bad_phase.is_none()
            && self.council.is_empty()
    }
}

/// A filter that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadFilter {
    Phase,
    /// Words with nothing searchable in them.
    Words,
}

impl BadFilter {
    /// The id of the field it is about.
    pub fn field(self) -> &'static str {
        match self {
            BadFilter::Phase => "phase",
            BadFilter::Words => "q",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            BadFilter::Phase => {
                "Choose a phase from the list: discovery, alpha, beta, live or retired"
            }
            BadFilter::Words => {
                "Enter a word of two letters or more: common words such as \"the\" or \"it\" are not searched"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_forgivingly() {
        let f = Filters::read("q=bin+day&phase=Beta&council=Guildford%20BC&utm=x");
        assert_eq!(f.q, "bin day");
        assert_eq!(f.phase, Some(Phase::Beta));
        assert_eq!(f.council, "Guildford BC");
        assert!(f.query().words.is_some() && f.problem().is_none());

        // The data's word for a phase (`developmentStatus`) filters by that phase.
        assert_eq!(Filters::read("phase=stable").phase, Some(Phase::Live));
        assert_eq!(Filters::read("phase=Concept").phase, Some(Phase::Discovery));

        let f = Filters::read("phase=gamma");
        assert_eq!((f.phase, f.bad_phase.as_deref()), (None, Some("gamma")));
        assert!(f.problem().is_some());

        assert!(Filters::read("").is_empty());
        assert_eq!(Filters::read("").page, 1);
        assert_eq!(Filters::read("page=3").page, 3);
        assert_eq!(Filters::read("page=0").page, 1);
        assert_eq!(Filters::read("page=x").page, 1);
        let f = Filters::read("q=bin+day&council=Guildford+%26+Co&page=2");
        assert_eq!(f.page_query(3), "q=bin+day&council=Guildford+%26+Co&page=3");
        assert_eq!(f.page_query(1), "q=bin+day&council=Guildford+%26+Co");
        assert!(Filters::read("q=&phase=&council=").query().is_empty());
        assert!(Filters::read("%zz=%").is_empty(), "undecodable: no filters");
        // Words with nothing searchable are a problem, not "everything".
        assert_eq!(Filters::read("q=IT").problem(), Some(BadFilter::Words));
        assert_eq!(Filters::read("q=a+%26").problem(), Some(BadFilter::Words));
        assert_eq!(Filters::read("q=it+bins").problem(), None);
        assert_eq!(
            Filters::read("phase=x&q=it").problems(),
            [BadFilter::Words, BadFilter::Phase],
            "both, in the form's order"
        );
        let long = format!("q={}", "a".repeat(5000));
        assert_eq!(Filters::read(&long).q.len(), MAX_CHARS);
    }
}
