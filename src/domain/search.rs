//! What to search for: the words someone typed, as a full-text query. A search matches any of
//! its words, each as a prefix ("find" finds "finder"), ranked by how well they match (bm25);
//! the public catalogue's filter wants every word (another word narrows what it shows).
//! The look for similar projects at pitch time needs all of a title's words, each as a whole
//! word (stemmed, so "bins" still finds "bin"): the rarest word narrows the rows that are
//! ranked, and no prefix has to be expanded into every word it starts.

use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};

use super::UserError;
use super::emoji::with_emoji;
use super::tokens::{Piece, Token, pieces};

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
    /// Each of `terms` in plain letters, where it is typed in full-width letters or with a
    /// ligature ("Ｇｕｉｌｄｆｏｒｄ", "ﬁnder", from an input method or a PDF): most text holds
    /// it so ("guildford"). Either form matches the word, in a search and in a filter that
    /// wants every word alike.
    plain: Vec<Option<String>>,
    /// Words typed in parts, one of two letters ("Wi-Fi", "co-op"), joined ("wifi"),
    /// searched for as any word only (a filter that wants every word would then want both
    /// spellings), since two-letter words are matched whole and only the joined form finds
    /// the word written without its hyphen, as "wi"* did.
    joined: Vec<String>,
    /// Every word must match, whole (similarity), or any may, as a prefix (search).
    all: bool,
}

impl SearchWords {
    /// `None`-like refusal when nothing searchable is left ("the", "&&").
    pub fn parse(text: &str) -> Result<SearchWords, UserError> {
        // Stripped and composed, as stored text is ([`super::text::strip`]): a soft hyphen or
        // a zero-width space pasted inside "Recy\u{AD}cling" is no part of it, and
        // "Mo\u{302}n" is "môn", not "mo" and a mark. Not folded further (NFKC): "™" and "₂"
        // would become letters and digits the index never held ("salesforcetm", "co2").
        let text = &*super::text::strip(text, false);
        // Read as shown, as titles are ([`as_shown`]) and the catalogue's index holds them:
        // an emoji code is the emoji, which is no word. `:recycle: bins` looked for
        // "recycle" too, which no shown name holds, so the catalogue found nothing for it.
        // (Links and mentions are kept as typed: someone who searches for an address wants
        // its words, and the workspace's index holds a description's mentions.)
        let text = &*with_emoji(text);
        // Each word as typed (lower-case), and in plain letters.
        let mut words: Vec<(String, String)> = Vec::new();
        // (A full-text index folds case: "IT" would be "it", in nearly every description.)
        // Split where the index splits ([`is_word_char`]), so that a word's letters are those
        // it keeps, and a two-letter word cannot pass for a longer one ("ⓐⓐe" is "e"); but not
        // at a mark, which the index also splits at: "हिंदी" (Hindi) is its letters and vowel
        // signs, and quoted whole the index reads it as its letters "ह" and "द" in turn, where
        // cut at its signs each letter alone was too short and dropped. Only letters count.
        for typed in text.split(|c: char| !is_word_char(c) && !is_mark(c)) {
            let word = typed.to_lowercase();
            // Stop words are in plain letters: one in full-width letters ("ｔｈｅ") is one.
            let plain = super::text::folded(&word).to_lowercase();
            if letters(&word) >= 2
                && !STOP_WORDS.contains(&plain.as_str())
                && !words.iter().any(|(w, _)| *w == word)
                && words.len() < MAX_TERMS
            {
                words.push((word, plain));
            }
        }
        if words.is_empty() {
            return Err(UserError::EmptySearch);
        }
        let terms: Vec<String> = words.iter().map(|(word, _)| word.clone()).collect();
        let mut joined: Vec<String> = Vec::new();
        for typed in text.split_whitespace() {
            // Hyphenated only ("Wi-Fi,"), not joined by any other mark: `NEAR(x)` is no word.
            let parts: Vec<&str> = typed
                .trim_matches(|c: char| !is_word_char(c))
                .split('-')
                .collect();
            let word = parts.concat().to_lowercase();
            if parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(is_word_char))
                && parts.iter().any(|p| p.chars().count() <= 2)
                && word.chars().count() >= 3
                && !terms.contains(&word)
                && !joined.contains(&word)
                && terms.len() + joined.len() < MAX_TERMS
            {
                joined.push(word);
            }
        }
        // A word in full-width letters or with a ligature is also looked for in plain
        // letters, as most text holds it; one of two ("ＵＸ") whole, as "ux" typed is.
        let plain = words
            .into_iter()
            .map(|(term, plain)| {
                (plain != term && letters(&plain) >= 2 && plain.chars().all(is_word_char))
                    .then_some(plain)
            })
            .collect();
        Ok(SearchWords {
            terms,
            plain,
            joined,
            all: false,
        })
    }

    /// The words of a new project's title, as shown ([`as_shown`]), that can say it is like
    /// another: at least two words of three characters or more (a vowel sign counted:
    /// "हिंदी" is one), not numbers ("Load 57" says too little), all of which must be found. `None` when the title says too little to compare.
    pub fn for_similarity(title: &str) -> Option<SearchWords> {
        let words = SearchWords::parse(&as_shown(title)).ok()?;
        let terms: Vec<String> = words
            .terms
            .into_iter()
            .filter(|t| t.chars().count() >= 3 && !t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        (terms.len() >= 2).then_some(SearchWords {
            plain: vec![None; terms.len()],
            terms,
            joined: Vec::new(),
            all: true,
        })
    }

    /// As an FTS5 query: `"bin"* OR "day"*`, or `"bin" AND "day"` when all must match (the
    /// words are letters, numbers and marks, so quoting is safe). A word with two letters or
    /// fewer after its last mark is matched whole (see [`as_prefix`]).
    pub fn fts_query(&self) -> String {
        if self.all {
            return self
                .terms
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(" AND ");
        }
        let mut words: Vec<&String> = Vec::new();
        for word in self
            .terms
            .iter()
            .chain(&self.joined)
            .chain(self.plain.iter().flatten())
        {
            if !words.contains(&word) && words.len() < MAX_TERMS {
                words.push(word);
            }
        }
        words
            .into_iter()
            .map(|t| as_prefix(t))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    /// As an FTS5 query in which every word must match, each as a prefix: `"bin"* AND
    /// "day"*`. The public catalogue's filter, where another word narrows what is shown.
    /// A word typed in full-width letters or with a ligature matches in either form,
    /// `("ｂｉｎ"* OR "bin"*)`: wanted only as typed, it found nothing that `/makers search`
    /// found.
    pub fn fts_query_every_word(&self) -> String {
        self.terms
            .iter()
            .zip(&self.plain)
            .map(|(term, plain)| match plain {
                Some(plain) => format!("({} OR {})", as_prefix(term), as_prefix(plain)),
                None => as_prefix(term),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// Whether every word must match (a look for similar projects) rather than any.
    pub fn every_word(&self) -> bool {
        self.all
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }
}

/// `title` as Slack and the catalogue show it, for the words it holds: a link as its label
/// (its address's "https" or "gov" is in no other title), and no mention, channel or group,
/// whose ids the catalogue does not show and no other project's title holds. An emoji code
/// is the emoji (no word: the catalogue's index holds "♻️", not "recycle"), as in every
/// search ([`SearchWords::parse`]).
fn as_shown(title: &str) -> String {
    let mut shown = String::with_capacity(title.len());
    for piece in pieces(title) {
        match piece {
            Piece::Text(text) => shown.push_str(text),
            Piece::Token {
                token: Token::Link {
                    label: Some(label), ..
                },
                ..
            } => shown.push_str(label),
            // Apart: "Bin<@U1>day" is two words.
            Piece::Token { .. } => shown.push(' '),
        }
    }
    shown
}

/// Whether `c` is part of a word as the full-text index reads it: SQLite's `unicode61`
/// tokenizer keeps letters, numbers and private-use characters (general categories L*, N*
/// and Co) and splits words at anything else. Rust's `is_alphanumeric` also takes symbols and
/// marks that are Other_Alphabetic, circled letters ("ⓐ") and U+0345, which the index drops.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    (GeneralCategoryGroup::Letter.contains(category)
        || GeneralCategoryGroup::Number.contains(category)
        || category == GeneralCategory::PrivateUse)
        // Letters since Unicode 8 that SQLite's older table still has as marks (New Tai Lue's
        // vowel signs, two Vedic signs): found by comparing the two over every character
        // (`store::search`'s `every_letter_a_search_word_counts_the_index_keeps`).
        && !matches!(c, '\u{19B0}'..='\u{19C0}' | '\u{19C8}'..='\u{19C9}' | '\u{1CF2}'..='\u{1CF3}')
}

/// Whether `c` is a mark (general category M*: a vowel sign, an accent not composed): part
/// of the word it is typed in, though the index splits there and keeps no letter of it.
fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// How many letters of `word` the index keeps ([`is_word_char`]): "coͅ" has two.
fn letters(word: &str) -> usize {
    word.chars().filter(|&c| is_word_char(c)).count()
}

/// `word` as a prefix (`"bin"*`: "bins", "binned"), but whole if it has two letters: "co"*
/// or "re"* match most of every text, and a dozen such words made a search cost the index's
/// whole size (close to a second on a busy workspace's updates) for answers that say
/// nothing. (Typed whole, "IT" or "UX" is what is meant.) Counted after the word's last
/// mark: the index splits a word at its marks and reads a quoted word's `*` as the prefix of
/// its last part alone, so "xx\u{345}e"* would be "xx" then any word starting "e", and a
/// Punjabi word ending in a consonant and its vowel sign, one letter as a prefix.
fn as_prefix(word: &str) -> String {
    let last_part = word.rsplit(is_mark).next().unwrap_or(word);
    match letters(last_part) {
        ..=2 => format!("\"{word}\""),
        _ => format!("\"{word}\"*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_letter_word_is_matched_whole_not_as_a_prefix() {
        let s = SearchWords::parse("co re bins").unwrap();
        assert_eq!(s.fts_query(), "\"co\" OR \"re\" OR \"bins\"*");
        assert_eq!(s.fts_query_every_word(), "\"co\" AND \"re\" AND \"bins\"*");
        // Letters, not bytes: "ŵy" is two.
        assert_eq!(SearchWords::parse("ŵy").unwrap().fts_query(), "\"ŵy\"");
    }

    /// "Wi-Fi" typed finds "WiFi" written, as "wi"* found it before two-letter words were
    /// whole: its parts joined are searched for too, as any word, not as one every result
    /// must hold, and they are not shown as words searched for.
    #[test]
    fn a_word_typed_in_parts_is_searched_joined_too() {
        let s = SearchWords::parse("Wi-Fi hotspots, e-forms").unwrap();
        assert_eq!(s.terms(), ["wi", "fi", "hotspots", "forms"]);
        assert_eq!(
            s.fts_query(),
            "\"wi\" OR \"fi\" OR \"hotspots\"* OR \"forms\"* OR \"wifi\"* OR \"eforms\"*"
        );
        assert_eq!(
            s.fts_query_every_word(),
            "\"wi\" AND \"fi\" AND \"hotspots\"* AND \"forms\"*"
        );
        // Parts of three letters or more each find their own: nothing joined.
        let plain = SearchWords::parse("bin-day").unwrap();
        assert_eq!(plain.fts_query(), "\"bin\"* OR \"day\"*");
        // Nor for a look for similar projects, which wants every word.
        let similar = SearchWords::for_similarity("Wi-Fi hotspots finder").unwrap();
        assert_eq!(similar.fts_query(), "\"hotspots\" AND \"finder\"");
    }

    #[test]
    fn words_are_lower_cased_deduplicated_and_stop_words_dropped() {
        let s = SearchWords::parse("Find my BIN day, find the bin!").unwrap();
        assert_eq!(s.terms(), ["find", "bin", "day"]);
        assert_eq!(s.fts_query(), "\"find\"* OR \"bin\"* OR \"day\"*");
    }

    /// "Môn" pasted as "Mo" and a combining circumflex (macOS file names, some PDFs) is the
    /// word "môn", not "mo"; a word is otherwise as typed, as the index holds it.
    #[test]
    fn a_word_in_decomposed_letters_is_the_word() {
        assert_eq!(SearchWords::parse("Mo\u{302}n").unwrap().terms(), ["môn"]);
        assert_eq!(
            SearchWords::parse("Ynys Mo\u{302}n").unwrap().fts_query(),
            "\"ynys\"* OR \"môn\"*"
        );
        assert_eq!(
            SearchWords::parse("Salesforce™ CO₂").unwrap().terms(),
            ["salesforce", "co₂"]
        );
        // Full-width letters and ligatures are also looked for as plain ones.
        assert_eq!(
            SearchWords::parse("Ｇｕｉｌｄｆｏｒｄ \u{FB01}nder")
                .unwrap()
                .fts_query(),
            "\"ｇｕｉｌｄｆｏｒｄ\"* OR \"ﬁnder\"* OR \"guildford\"* OR \"finder\"*"
        );
        // In a filter that wants every word, each matches in either form; two letters whole.
        assert_eq!(
            SearchWords::parse("ｂｉｎ \u{FB01}nder ＵＸ day bin")
                .unwrap()
                .fts_query_every_word(),
            "(\"ｂｉｎ\"* OR \"bin\"*) AND (\"ﬁnder\"* OR \"finder\"*) AND (\"ｕｘ\" OR \"ux\") \
             AND \"day\"* AND \"bin\"*"
        );
        assert_eq!(
            SearchWords::parse("ｂｉｎ ＵＸ bin").unwrap().fts_query(),
            "\"ｂｉｎ\"* OR \"ｕｘ\" OR \"bin\"* OR \"ux\""
        );
    }

    /// Only the letters the index keeps count. Its tokenizer splits words at anything not a
    /// letter, a number or a private-use character: circled letters ("ⓐ", symbols) split a
    /// word, and a combining mark Rust calls alphabetic (U+0345) stays in it as typed but is
    /// not counted. So "ⓐⓐe" is "e", too short to search, and "coͅ" has two letters, matched
    /// whole, not the prefix of most words.
    #[test]
    fn only_the_letters_the_index_keeps_count_in_a_word() {
        assert_eq!(SearchWords::parse("ⓐⓐe"), Err(UserError::EmptySearch));
        assert_eq!(
            SearchWords::parse("\u{345}\u{345}e"),
            Err(UserError::EmptySearch)
        );
        assert_eq!(
            SearchWords::parse("co\u{345}").unwrap().terms(),
            ["co\u{345}"]
        );
        let s = SearchWords::parse("ⓐⓐe co\u{345} ⓐⓐbins").unwrap();
        assert_eq!(s.fts_query_every_word(), "\"co\u{345}\" AND \"bins\"*");
        assert_eq!(s.fts_query(), "\"co\u{345}\" OR \"bins\"*");
        // Nor joined: "ⓐⓐ-e" is no three-letter word either.
        assert_eq!(
            SearchWords::parse("ⓐⓐ-e Wi-Fi").unwrap().fts_query(),
            "\"wi\" OR \"fi\" OR \"wifi\"*"
        );
    }

    /// Vowel signs and other marks inside a word are part of it, as typed (Hindi, Punjabi,
    /// Bengali write most words with them), though only its letters count towards the two a
    /// word needs. Whether it is a prefix depends on the letters after its last mark, where
    /// the index reads the `*`: "हिंदी" and "ਪੰਜਾਬੀ" end in a vowel sign, so are matched whole.
    #[test]
    fn a_word_written_with_vowel_signs_is_one_word() {
        for word in ["हिंदी", "सेवा", "ਪੰਜਾਬੀ", "বাংলা"] {
            assert_eq!(SearchWords::parse(word).unwrap().terms(), [word], "{word}");
        }
        assert_eq!(
            SearchWords::parse("हिंदी सेवा, ਪੰਜਾਬੀ").unwrap().fts_query(),
            "\"हिंदी\" OR \"सेवा\" OR \"ਪੰਜਾਬੀ\""
        );
        // A prefix only of three letters after the word's last mark, where the index reads
        // the `*`: "xx\u{345}e"* was "xx" then every word starting "e".
        assert_eq!(
            SearchWords::parse("xx\u{345}e").unwrap().fts_query(),
            "\"xx\u{345}e\""
        );
        assert_eq!(
            SearchWords::parse("xx\u{345}bins").unwrap().fts_query(),
            "\"xx\u{345}bins\"*"
        );
        // And a title so written is compared with others like it.
        assert_eq!(
            SearchWords::for_similarity("हिंदी सेवा").unwrap().fts_query(),
            "\"हिंदी\" AND \"सेवा\""
        );
    }

    /// What cannot be seen in a word is no part of it, as for stored text: a soft hyphen or
    /// a zero-width space pasted inside a word split it, and the catalogue, which wants every
    /// word, found nothing holding "cling".
    #[test]
    fn an_invisible_mark_inside_a_word_does_not_split_it() {
        assert_eq!(
            SearchWords::parse("Recy\u{AD}cling").unwrap().terms(),
            ["recycling"]
        );
        assert_eq!(
            SearchWords::parse("bin\u{200B}day Mo\u{200B}\u{302}n")
                .unwrap()
                .terms(),
            ["binday", "môn"]
        );
    }

    /// A search's words are read as shown, as titles' are: an emoji code is the emoji, no
    /// word; a workspace's own emoji, or a code inside code, is its words, as shown.
    #[test]
    fn an_emoji_code_is_no_word_to_search_for() {
        assert_eq!(
            SearchWords::parse(":recycle: bins :wave::skin-tone-2:")
                .unwrap()
                .terms(),
            ["bins"]
        );
        assert_eq!(
            SearchWords::parse(":council-logo: bins").unwrap().terms(),
            ["council", "logo", "bins"]
        );
        assert_eq!(
            SearchWords::parse("`:recycle:` bins").unwrap().terms(),
            ["recycle", "bins"]
        );
    }

    #[test]
    fn nothing_searchable_is_refused() {
        for text in [
            "",
            "the",
            "& <> !!",
            "a b c",
            "ｔｈｅ",
            ":recycle:",
            ":tada: :+1:",
        ] {
            assert_eq!(
                SearchWords::parse(text),
                Err(UserError::EmptySearch),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_catalogue_wants_every_word_each_as_a_prefix() {
        let s = SearchWords::parse("garden cafe").unwrap();
        assert_eq!(s.fts_query_every_word(), "\"garden\"* AND \"cafe\"*");
    }

    #[test]
    fn quotes_and_operators_never_reach_the_query() {
        let s = SearchWords::parse(r#"bins" OR NEAR(x) *"#).unwrap();
        assert_eq!(s.fts_query(), "\"bins\"* OR \"near\"*");
    }

    /// A title's words are those it shows: an emoji code is the emoji (no word), a link its
    /// label, and a mention nothing, as in the catalogue, whose index holds no "recycle",
    /// "https" or user id for a match to need.
    #[test]
    fn similarity_reads_the_title_as_shown() {
        let s = SearchWords::for_similarity(
            ":recycle: Bin day finder <https://bins.gov.uk/day|Bin> app by <@U0123ABC> in <#C0BINS|bins>",
        )
        .unwrap();
        assert_eq!(
            s.fts_query(),
            "\"bin\" AND \"day\" AND \"finder\" AND \"app\""
        );
        assert_eq!(
            SearchWords::for_similarity(":recycle: <https://x.example/bin> Finder"),
            None,
            "one word is too little"
        );
        // A workspace's own emoji is shown as typed, and its words are in the index.
        assert_eq!(
            SearchWords::for_similarity(":council-logo: finder")
                .unwrap()
                .terms(),
            ["council", "logo", "finder"]
        );
    }

    #[test]
    fn similarity_needs_two_real_words_and_all_of_them() {
        let s = SearchWords::for_similarity("Bin day finder").unwrap();
        assert_eq!(s.fts_query(), "\"bin\" AND \"day\" AND \"finder\"");
        assert_eq!(
            SearchWords::for_similarity("Load 57"),
            None,
            "a number says nothing"
        );
        assert_eq!(
            SearchWords::for_similarity("Parking"),
            None,
            "one word is too little"
        );
        assert_eq!(
            SearchWords::for_similarity("My IT kit"),
            None,
            "short words neither"
        );
    }
}
