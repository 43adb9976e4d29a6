//! What to search for: the words someone typed, as a full-text query. Each word matches as a
//! prefix ("find" finds "finder") and any word may match; results are ranked by how well they
//! match (bm25), so more words in common ranks higher.

use super::UserError;

/// Words too common in project talk to tell projects apart.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "my",
    "of", "on", "or", "our", "the", "to", "we", "with", "your",
];
/// Most words used from one search.
const MAX_TERMS: usize = 12;

/// The distinct, lower-case words of a search, stop words left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWords {
    terms: Vec<String>,
}

impl SearchWords {
    /// `None`-like refusal when nothing searchable is left ("the", "&&").
    pub fn parse(text: &str) -> Result<SearchWords, UserError> {
        let mut terms: Vec<String> = Vec::new();
        let lower = text.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 2
                && !STOP_WORDS.contains(&word)
                && !terms.iter().any(|t| t == word)
                && terms.len() < MAX_TERMS
            {
                terms.push(word.to_string());
            }
        }
        if terms.is_empty() {
            return Err(UserError::EmptySearch);
        }
        Ok(SearchWords { terms })
    }

    /// As an FTS5 query: `"bin"* OR "day"*` (the words are alphanumeric, so quoting is safe).
    pub fn fts_query(&self) -> String {
        self.terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The share of these words (0.0 to 1.0) that start a word of `text`, or that a word of
    /// `text` starts: how close a project's text is to the search, roughly as FTS matched it.
    pub fn share_found_in(&self, text: &str) -> f64 {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
        let found = self
            .terms
            .iter()
            .filter(|t| {
                words
                    .iter()
                    .any(|w| !w.is_empty() && w.starts_with(t.as_str()))
            })
            .count();
        found as f64 / self.terms.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_deduplicated_and_stop_words_dropped() {
        let s = SearchWords::parse("Find my BIN day, find the bin!").unwrap();
        assert_eq!(s.terms(), ["find", "bin", "day"]);
        assert_eq!(s.fts_query(), "\"find\"* OR \"bin\"* OR \"day\"*");
    }

    #[test]
    fn nothing_searchable_is_refused() {
        for text in ["", "the", "& <> !!", "a b c"] {
            assert_eq!(
                SearchWords::parse(text),
                Err(UserError::EmptySearch),
                "{text:?}"
            );
        }
    }

    #[test]
    fn quotes_and_operators_never_reach_the_query() {
        let s = SearchWords::parse(r#"bins" OR NEAR(x) *"#).unwrap();
        assert_eq!(s.fts_query(), "\"bins\"* OR \"near\"*");
    }

    #[test]
    fn the_share_found_counts_prefixes() {
        let s = SearchWords::parse("Find my bin day").unwrap();
        assert_eq!(s.share_found_in("Bin collection day finder"), 1.0);
        assert_eq!(s.share_found_in("Parking permit renewals"), 0.0);
        assert!((s.share_found_in("Bin bags") - 1.0 / 3.0).abs() < 1e-9);
    }
}
