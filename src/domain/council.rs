//! Council names, normalised so one council is one entry: "Guildford BC", "guildford borough
//! council" and "Guildford Borough Council." all match the key `guildford`.

use serde::{Deserialize, Serialize};

use super::{UserError, text};

/// A council name as a person gave it, tidied for display, with its match key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilName {
    display: String,
    key: String,
}

/// Abbreviations expanded for display (whole words, any case).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("bc", "Borough Council"),
    ("dc", "District Council"),
    ("mbc", "Metropolitan Borough Council"),
    ("rbc", "Royal Borough Council"),
    ("lb", "London Borough of"),
    ("cbc", "County Borough Council"),
    ("mdc", "Metropolitan District Council"),
    ("mc", "Metropolitan Council"),
];

/// Words that say what kind of council it is, not which one; left out of the match key.
const KIND_WORDS: &[&str] = &[
    "council",
    "borough",
    "district",
    "city",
    "county",
    "metropolitan",
    "royal",
    "london",
    "of",
    "the",
    "bc",
    "dc",
    "mbc",
    "rbc",
    "lb",
    "cc",
    "cbc",
    "mdc",
    "mc",
    "unitary",
    "authority",
    // Welsh: "Cyngor Sir Ceredigion" is Ceredigion County Council, "Cyngor Bwrdeistref
    // Sirol" a county borough council.
    "cyngor",
    "sir",
    "sirol",
    "bwrdeistref",
];

/// Other names staff use for a council, by match key: its short or Welsh name, its initials,
/// a county's abbreviation; each leads to the key of its name in full, so both are one
/// council. (Not "Kingston" or "Richmond": a town council elsewhere could claim either.)
const ALIASES: &[(&str, &str)] = &[
    ("hull", "kingston upon hull"),
    ("stoke", "stoke on trent"),
    ("southend", "southend on sea"),
    ("stockton", "stockton on tees"),
    ("blackburn", "blackburn with darwen"),
    ("anglesey", "isle anglesey"),
    ("ynys mon", "isle anglesey"),
    ("ynys môn", "isle anglesey"),
    ("east riding", "east riding yorkshire"),
    ("banes", "bath and north east somerset"),
    ("b and nes", "bath and north east somerset"),
    ("bcp", "bournemouth christchurch and poole"),
    ("rbwm", "windsor and maidenhead"),
    ("rbkc", "kensington and chelsea"),
    ("rct", "rhondda cynon taf"),
    ("rhondda cynon taff", "rhondda cynon taf"),
    ("derry", "derry and strabane"),
    ("western isles", "comhairle nan eilean siar"),
    ("na h eileanan siar", "comhairle nan eilean siar"),
    ("orkney", "orkney islands"),
    ("shetland", "shetland islands"),
    ("caerdydd", "cardiff"),
    ("dinas caerdydd", "cardiff"),
    // "Cyngor Dinas a Sir Caerdydd", the City and County of Cardiff (as Swansea's below).
    ("dinas a caerdydd", "cardiff"),
    ("abertawe", "swansea"),
    // "Cyngor Dinas a Sir Abertawe", the City and County of Swansea.
    ("dinas a abertawe", "swansea"),
    ("casnewydd", "newport"),
    ("dinas casnewydd", "newport"),
    ("wrecsam", "wrexham"),
    ("caerffili", "caerphilly"),
    ("merthyr tudful", "merthyr tydfil"),
    ("bro morgannwg", "vale glamorgan"),
    ("castell nedd port talbot", "neath port talbot"),
    ("pen y bont ar ogwr", "bridgend"),
    ("ddinbych", "denbighshire"),
    ("y fflint", "flintshire"),
    ("fynwy", "monmouthshire"),
    ("benfro", "pembrokeshire"),
    ("penfro", "pembrokeshire"),
    ("gaerfyrddin", "carmarthenshire"),
    ("caerfyrddin", "carmarthenshire"),
    ("gâr", "carmarthenshire"),
    ("gar", "carmarthenshire"),
    ("herts", "hertfordshire"),
    ("hants", "hampshire"),
    ("notts", "nottinghamshire"),
    ("cambs", "cambridgeshire"),
    ("bucks", "buckinghamshire"),
    ("leics", "leicestershire"),
    ("lancs", "lancashire"),
    ("glos", "gloucestershire"),
    ("wilts", "wiltshire"),
    ("oxon", "oxfordshire"),
    ("worcs", "worcestershire"),
    ("warks", "warwickshire"),
    ("staffs", "staffordshire"),
    ("derbys", "derbyshire"),
    ("lincs", "lincolnshire"),
];

/// A name two councils share, told apart only by the kind of council each is: the key takes
/// the kind word (or the council's fuller name), and the name without one is asked about
/// rather than matched to either. "Chichester City Council" is a parish, "Chichester District
/// Council" the district around it; "Newcastle City Council" is Newcastle upon Tyne's, and
/// "Newcastle Borough Council" is Newcastle-under-Lyme's.
struct SharedName {
    /// The key both would have with the kind words left out.
    name: &'static str,
    /// The two councils, each told by the words that say it is that one.
    councils: [Shared; 2],
}

/// One of two councils sharing a name.
struct Shared {
    /// Words that say it is this one, unless one of `unless` is there too.
    says: &'static [&'static str],
    unless: &'static [&'static str],
    key: &'static str,
    /// Its name in full.
    full: &'static str,
}

const SHARED_NAMES: &[SharedName] = &[
    SharedName {
        name: "chichester",
        councils: [
            Shared {
                says: &["city"],
                unless: &[],
                key: "chichester city",
                full: "Chichester City Council",
            },
            Shared {
                says: &["district", "dc"],
                unless: &[],
                key: "chichester district",
                full: "Chichester District Council",
            },
        ],
    },
    SharedName {
        name: "lichfield",
        councils: [
            Shared {
                says: &["city"],
                unless: &[],
                key: "lichfield city",
                full: "Lichfield City Council",
            },
            Shared {
                says: &["district", "dc"],
                unless: &[],
                key: "lichfield district",
                full: "Lichfield District Council",
            },
        ],
    },
    SharedName {
        name: "newcastle",
        councils: [
            // Also a metropolitan borough ("Newcastle MBC").
            Shared {
                says: &["city", "metropolitan", "mbc"],
                unless: &[],
                key: "newcastle upon tyne",
                full: "Newcastle upon Tyne City Council",
            },
            Shared {
                says: &["borough", "bc"],
                unless: &["metropolitan", "mbc"],
                key: "newcastle under lyme",
                full: "Newcastle-under-Lyme Borough Council",
            },
        ],
    },
];

/// Match keys of what people type for "no council" (`none`, `N/A`, `no council`, `-` is
/// empty already): no council is called that, and as a name each would be listed beside the
/// councils in every workspace.
const SAYS_NONE: &[&str] = &[
    "none",
    "n a",
    "na",
    "nil",
    "null",
    "no",
    "no one",
    "nobody",
    "nothing",
    "not applicable",
    "unknown",
    "tbc",
    "tbd",
];

/// A former council's name someone gave, as recorded, and whether it was renamed to the
/// council now recorded (else merged into it: `makers-bot council merge`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Formerly {
    pub name: String,
    pub renamed: bool,
}

/// Why a merge of councils ends a re-use (`makers-bot council merge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReuseEnds {
    /// The council merged into leads the project: its own work now.
    LeadsIt,
    /// Another of the merged councils re-used it first: that re-use (its date and note) stays.
    SaidEarlier,
}

/// How a former council's name stands to the council in its place (`makers-bot council
/// merge`), as every answer and page says it: renamed, or merged into it.
pub fn now_is(renamed: bool) -> &'static str {
    match renamed {
        true => "is now called",
        false => "is now part of",
    }
}

impl CouncilName {
    /// Long enough for "Royal Borough of Windsor and Maidenhead Council" and then some.
    pub const MAX_CHARS: usize = 100;

    pub fn parse(s: &str) -> Result<CouncilName, UserError> {
        let cleaned = text::strip(s, false);
        let words: Vec<&str> = cleaned.split_whitespace().collect();
        let raw = words.join(" ");
        let n = raw.chars().count();
        if s.trim().is_empty() {
            return Err(UserError::EmptyCouncil);
        }
        if !text::has_visible(&raw) {
            return Err(UserError::NothingVisible);
        }
        if n > Self::MAX_CHARS {
            return Err(UserError::CouncilTooLong {
                max: Self::MAX_CHARS,
            });
        }
        // What Slack makes of `<!channel>`, `<@U…>` or a link is not a council's name, nor is
        // an e-mail address typed in the pitch form (council names are public, in the
        // catalogue, and no council's name holds an `@`).
        if raw.contains(['<', '>', '@']) {
            return Err(UserError::CouncilNotAName);
        }
        let key = match match_key(&raw) {
            Key::One(key) => key,
            Key::Either(shared) => {
                return Err(UserError::CouncilAmbiguous {
                    choices: shared.councils.each_ref().map(|c| c.full.to_string()),
                });
            }
        };
        if key.is_empty() {
            return Err(UserError::EmptyCouncil);
        }
        if SAYS_NONE.contains(&key.as_str()) {
            return Err(UserError::CouncilSaysNone);
        }
        // "BC" or "Borough Council" says what kind of council, not which one.
        if !has_distinctive_word(&key) && !is_only_kind_words_council(&key) {
            return Err(UserError::CouncilNotAName);
        }
        // Spelling out "MBC" and the like must not take a name past the limit: the name is
        // shown in a form field of that length, and must read back as a name.
        let display = Some(tidy(&words))
            .filter(|tidied| tidied.chars().count() <= Self::MAX_CHARS)
            .unwrap_or(raw);
        Ok(CouncilName { display, key })
    }

    /// Restores a name read back from the store.
    pub fn from_stored(display: String, key: String) -> CouncilName {
        CouncilName { display, key }
    }

    pub fn display(&self) -> &str {
        &self.display
    }
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether `other_key` is so close to this name's key that it is probably the same council
    /// mistyped ("guilford" for "guildford"): within one edit, or two for longer keys.
    pub fn is_near(&self, other_key: &str) -> bool {
        let allowed = if self.key.chars().count() >= 8 { 2 } else { 1 };
        self.key != other_key && text::edit_distance(&self.key, other_key) <= allowed
    }

    /// Whether this name may mean the council keyed `other_key`, to offer back for it: a
    /// slip of it ([`Self::is_near`]), or one of the names it joins with "and", the short
    /// name people use ("Brighton" or "Hove" for Brighton and Hove, "Kings Lynn" for Kings
    /// Lynn and West Norfolk), which no edit distance finds. Only offered, so a council
    /// really called so costs one repeat.
    pub fn may_mean(&self, other_key: &str) -> bool {
        let key = self.key.as_str();
        let part_of = key != other_key
            && (other_key
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(" and "))
                || other_key.split(" and ").any(|part| part == key));
        part_of || self.is_near(other_key)
    }
}

/// The one real council whose whole name is kind words (its key keeps them all), however it
/// is written: "City of London", "The City of London", "City of London Corporation".
fn is_only_kind_words_council(key: &str) -> bool {
    let words: Vec<&str> = key.split_whitespace().collect();
    words.contains(&"city") && words.contains(&"london")
}

fn has_distinctive_word(key: &str) -> bool {
    key.split_whitespace()
        .any(|w| w != "and" && !KIND_WORDS.contains(&w))
}

/// What a name's words match: one council's key, or either of two sharing a name.
enum Key {
    One(String),
    Either(&'static SharedName),
}

/// Lower case, `&` as "and", punctuation dropped, kind words dropped, and an "and" they leave
/// at either end ("St Albans City and District" is "st albans", "City and County of Swansea"
/// is "swansea"). A name made only of kind words ("City of London" is "london" once "city"
/// and "of" go) keeps its words instead. A name two councils share keeps the kind word that
/// tells them apart (see [`SHARED_NAMES`]).
fn match_key(raw: &str) -> Key {
    // Full-width or decomposed letters are the letters ("Ｍôn", "Mo\u{302}n" are "Môn"), so
    // the aliases' and kind words' letters match them.
    let cleaned: String = text::folded(raw)
        .to_lowercase()
        // "King's Lynn" is "Kings Lynn".
        .replace(['.', '\'', '\u{2019}'], "")
        .replace('&', " and ")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else {
                ' '
            }
        })
        .collect();
    let all: Vec<&str> = cleaned.split_whitespace().collect();
    // "The City of London", "City of London Corporation": one council, however written.
    if is_only_kind_words_council(&all.join(" "))
        && all
            .iter()
            .all(|w| KIND_WORDS.contains(w) || matches!(*w, "corporation" | "the"))
    {
        return Key::One("city of london".to_string());
    }
    let mut significant: &[&str] = &all
        .iter()
        .copied()
        .filter(|w| !KIND_WORDS.contains(w))
        .collect::<Vec<_>>();
    while let [rest @ .., "and"] | ["and", rest @ ..] = significant {
        significant = rest;
    }
    let key = if significant.is_empty() {
        all.join(" ")
    } else {
        significant.join(" ")
    };
    let key = match ALIASES.iter().find(|(alias, _)| *alias == key) {
        Some((_, full)) => full.to_string(),
        None => key,
    };
    match SHARED_NAMES.iter().find(|shared| shared.name == key) {
        None => Key::One(key),
        Some(shared) => {
            let has = |words: &[&str]| all.iter().any(|w| words.contains(w));
            let [one, other] = shared
                .councils
                .each_ref()
                .map(|c| (has(c.says) && !has(c.unless), c.key));
            match (one, other) {
                ((true, key), (false, _)) | ((false, _), (true, key)) => Key::One(key.to_string()),
                _ => Key::Either(shared),
            }
        }
    }
}

/// Initials some councils go by (see [`ALIASES`]), shown in capitals however typed: "bcp
/// council" is "BCP Council", not "Bcp Council".
const INITIALISMS: &[&str] = &["bcp", "rbkc", "rbwm", "rct", "banes", "b&nes"];

/// Words that link the parts of a name, left lower case in an all-lower-case name ("Stoke-on-
/// Trent", "Newcastle-under-Lyme", "Pen y Bont ar Ogwr", "Comhairle nan Eilean Siar") unless
/// they start it; and Gaelic's `h-` ("Na h-Eileanan Siar").
const LINKING: &[&str] = &[
    "on", "upon", "under", "super", "le", "in", "y", "ar", "na", "nan", "of", "the", "and", "h",
];

/// Abbreviations expanded; an all-lower-case name gets capitals ("guildford bc" ->
/// "Guildford Borough Council", "stoke-on-trent" -> "Stoke-on-Trent"); anything else keeps
/// the writer's own capitals. Initials are capitals either way. Punctuation inside the name
/// stays ("Bournemouth, Christchurch and Poole", "St. Albans"); a full stop or comma ending
/// it goes ("Cornwall Council."). The key is made apart ([`match_key`]): nothing here
/// changes which council it is.
fn tidy(words: &[&str]) -> String {
    let bare = |w: &str| w.trim_end_matches(['.', ',']).replace('.', "");
    // "LB" names the borough after it ("LB Hackney", "LB of Hackney") or before it ("Hackney
    // LB"): London Borough of Hackney, with one "of".
    if let Some(at) = words
        .iter()
        .position(|w| bare(w).eq_ignore_ascii_case("lb"))
        && words.len() > 1
    {
        let mut rest = words.to_vec();
        rest.remove(at);
        if rest.get(at).is_some_and(|w| w.eq_ignore_ascii_case("of")) {
            rest.remove(at);
        }
        if !rest.is_empty() {
            return format!("London Borough of {}", tidy(&rest));
        }
    }
    let shout = words.iter().all(|w| w.chars().all(|c| !c.is_uppercase()));
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(at, w)| {
            let word = match at == last {
                true => w.trim_end_matches(['.', ',']),
                false => w,
            };
            // A comma after a word, kept ("Newry, Mourne and Down").
            let (word, comma) = match word.strip_suffix(',') {
                Some(word) => (word, ","),
                None => (word, ""),
            };
            let bare = bare(word);
            if let Some((_, long)) = ABBREVIATIONS
                .iter()
                .find(|(a, _)| bare.eq_ignore_ascii_case(a))
            {
                return format!("{long}{comma}");
            }
            if INITIALISMS.iter().any(|i| bare.eq_ignore_ascii_case(i)) {
                return format!("{}{comma}", word.to_uppercase());
            }
            let word = match shout {
                true => capitals(word, at == 0),
                false => word.to_string(),
            };
            format!("{word}{comma}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An all-lower-case word with capitals: each part between hyphens, but a linking word,
/// unless it starts the name (`first`).
fn capitals(word: &str, first: bool) -> String {
    word.split('-')
        .enumerate()
        .map(
            |(at, part)| match (first && at == 0) || !LINKING.contains(&part) {
                true => capitalise(part),
                false => part.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("-")
}

fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn spelling_out_never_takes_a_name_past_the_limit() {
        let typed = "Barking and Dagenham Havering Redbridge and Waltham Forest Joint Waste Partnership MBC";
        assert!(typed.chars().count() <= CouncilName::MAX_CHARS);
        let name = CouncilName::parse(typed).unwrap();
        assert!(
            name.display().chars().count() <= CouncilName::MAX_CHARS,
            "{}",
            name.display()
        );
        let again = CouncilName::parse(name.display()).unwrap();
        assert_eq!(again.key(), name.key(), "reads back as the same council");
        let short = CouncilName::parse("Waverley BC").unwrap();
        assert_eq!(
            short.display(),
            "Waverley Borough Council",
            "spelt out when it fits"
        );
    }

    use super::*;

    fn key(s: &str) -> String {
        CouncilName::parse(s).unwrap().key().to_string()
    }
    fn shown(s: &str) -> String {
        CouncilName::parse(s).unwrap().display().to_string()
    }

    #[test]
    fn one_council_written_many_ways_has_one_key() {
        for s in [
            "Guildford BC",
            "guildford borough council",
            "Guildford Borough Council.",
            "GUILDFORD B.C.",
            "  Guildford   Council ",
            "Guildford",
        ] {
            assert_eq!(key(s), "guildford", "{s}");
        }
        assert_eq!(key("London Borough of Hackney"), "hackney");
        assert_eq!(key("LB Hackney"), "hackney");
        assert_eq!(
            key("Royal Borough of Kingston upon Thames"),
            "kingston upon thames"
        );
        assert_eq!(
            key("Bath & North East Somerset Council"),
            "bath and north east somerset"
        );
        assert_eq!(
            key("Bath and North East Somerset"),
            "bath and north east somerset"
        );
    }

    /// The same letters are the same council however they are encoded: composed ("ô"), a
    /// letter and a combining mark ("o" and U+0302, as pasted from macOS file names and some
    /// PDFs), or full-width; its Welsh name is still its name, and its display is composed.
    #[test]
    fn a_name_in_decomposed_or_full_width_letters_has_the_same_key() {
        let decomposed = "Cyngor Sir Ynys Mo\u{302}n";
        assert_eq!(key(decomposed), key("Cyngor Sir Ynys Môn"));
        assert_eq!(key(decomposed), key("Isle of Anglesey County Council"));
        assert_eq!(shown(decomposed), "Cyngor Sir Ynys Môn");
        assert_eq!(key("Cyngor Sir Ga\u{302}r"), key("Carmarthenshire"));
        assert_eq!(key("Ｇｕｉｌｄｆｏｒｄ ＢＣ"), "guildford");
        // Near, as a slip is, only when it is one.
        let anglesey = CouncilName::parse("Ynys Môn").unwrap();
        assert!(!anglesey.is_near(&key(decomposed)));
    }

    #[test]
    fn different_councils_stay_apart() {
        assert_ne!(key("Guildford BC"), key("Waverley BC"));
        assert_ne!(key("North Somerset Council"), key("Somerset Council"));
    }

    #[test]
    fn an_and_left_at_either_end_goes() {
        assert_eq!(key("St Albans City and District Council"), "st albans");
        assert_eq!(key("St Albans City & District Council"), "st albans");
        assert_eq!(key("St Albans Council"), "st albans");
        assert_eq!(key("City and County of Swansea"), "swansea");
        assert_eq!(key("Swansea Council"), "swansea");
        // An "and" between two names is part of the name.
        assert_eq!(
            key("Derry City and Strabane District Council"),
            "derry and strabane"
        );
        assert_eq!(
            CouncilName::parse("City and County"),
            Err(UserError::CouncilNotAName)
        );
    }

    #[test]
    fn councils_sharing_a_name_are_told_apart_by_their_kind() {
        assert_eq!(key("Chichester City Council"), "chichester city");
        assert_eq!(key("Chichester District Council"), "chichester district");
        assert_eq!(key("Chichester DC"), "chichester district");
        assert_eq!(key("Lichfield City Council"), "lichfield city");
        assert_eq!(key("Lichfield District Council"), "lichfield district");
        assert_eq!(key("Newcastle City Council"), "newcastle upon tyne");
        assert_eq!(
            key("Newcastle upon Tyne City Council"),
            "newcastle upon tyne"
        );
        assert_eq!(key("Newcastle Borough Council"), "newcastle under lyme");
        assert_eq!(key("Newcastle-under-Lyme BC"), "newcastle under lyme");
        // The display keeps what was typed.
        assert_eq!(shown("chichester dc"), "Chichester District Council");
        for s in [
            "Chichester",
            "Chichester Council",
            "chichester cc",
            "Chichester City and District Council",
        ] {
            assert_eq!(
                CouncilName::parse(s),
                Err(UserError::CouncilAmbiguous {
                    choices: [
                        "Chichester City Council".to_string(),
                        "Chichester District Council".to_string()
                    ]
                }),
                "{s}"
            );
        }
        assert!(matches!(
            CouncilName::parse("Newcastle"),
            Err(UserError::CouncilAmbiguous { .. })
        ));
        // Each name in full is told apart, and makes the key it stands for.
        for shared in SHARED_NAMES {
            for c in &shared.councils {
                assert_eq!(key(c.full), c.key, "{}", c.full);
            }
        }
        // Newcastle upon Tyne is also a metropolitan borough.
        assert_eq!(key("Newcastle MBC"), "newcastle upon tyne");
        assert_eq!(
            key("Newcastle Metropolitan Borough Council"),
            "newcastle upon tyne"
        );
    }

    /// A council's other names (short, Welsh, initials, a county's abbreviation) are that
    /// council: each alias leads to the key of the council's name in full, checked here
    /// against the name itself, so a slip in the table cannot send an alias nowhere.
    #[test]
    fn a_councils_other_names_are_that_council() {
        let pairs = [
            ("Hull City Council", "Kingston upon Hull City Council"),
            ("Stoke Council", "Stoke-on-Trent City Council"),
            ("Southend Council", "Southend-on-Sea City Council"),
            ("Stockton Council", "Stockton-on-Tees Borough Council"),
            ("Blackburn Council", "Blackburn with Darwen Borough Council"),
            ("Anglesey Council", "Isle of Anglesey County Council"),
            ("Cyngor Sir Ynys Môn", "Isle of Anglesey County Council"),
            ("Ynys Mon", "Isle of Anglesey County Council"),
            ("East Riding Council", "East Riding of Yorkshire Council"),
            ("B&NES", "Bath and North East Somerset Council"),
            ("BANES Council", "Bath and North East Somerset Council"),
            ("BCP Council", "Bournemouth, Christchurch and Poole Council"),
            ("RBWM", "Royal Borough of Windsor and Maidenhead"),
            ("RBKC", "Royal Borough of Kensington and Chelsea"),
            ("RCT Council", "Rhondda Cynon Taf County Borough Council"),
            (
                "Rhondda Cynon Taff",
                "Rhondda Cynon Taf County Borough Council",
            ),
            (
                "Derry City Council",
                "Derry City and Strabane District Council",
            ),
            ("Western Isles Council", "Comhairle nan Eilean Siar"),
            ("Na h-Eileanan Siar", "Comhairle nan Eilean Siar"),
            ("Orkney Council", "Orkney Islands Council"),
            ("Shetland Council", "Shetland Islands Council"),
            ("Cyngor Caerdydd", "Cardiff Council"),
            ("Cyngor Abertawe", "City and County of Swansea"),
            ("Cyngor Dinas a Sir Abertawe", "City and County of Swansea"),
            ("Cyngor Dinas a Sir Caerdydd", "Cardiff Council"),
            ("Cyngor Dinas Caerdydd", "Cardiff Council"),
            ("Cyngor Sir Caerfyrddin", "Carmarthenshire County Council"),
            ("Cyngor Sir Penfro", "Pembrokeshire County Council"),
            ("Cyngor Dinas Casnewydd", "Newport City Council"),
            ("Cyngor Wrecsam", "Wrexham County Borough Council"),
            ("Caerffili", "Caerphilly County Borough Council"),
            ("Merthyr Tudful", "Merthyr Tydfil County Borough Council"),
            ("Cyngor Bro Morgannwg", "Vale of Glamorgan Council"),
            ("Castell-nedd Port Talbot", "Neath Port Talbot Council"),
            ("Pen-y-bont ar Ogwr", "Bridgend County Borough Council"),
            ("Cyngor Sir Ddinbych", "Denbighshire County Council"),
            ("Cyngor Sir y Fflint", "Flintshire County Council"),
            ("Cyngor Sir Fynwy", "Monmouthshire County Council"),
            ("Cyngor Sir Benfro", "Pembrokeshire County Council"),
            ("Cyngor Sir Gaerfyrddin", "Carmarthenshire County Council"),
            ("Cyngor Sir Gâr", "Carmarthenshire County Council"),
            ("Cyngor Sir Ceredigion", "Ceredigion County Council"),
            ("Conwy CBC", "Conwy County Borough Council"),
            ("Wakefield MDC", "Wakefield Metropolitan District Council"),
            ("Kirklees MC", "Kirklees Council"),
            ("Herts CC", "Hertfordshire County Council"),
            ("Hants", "Hampshire County Council"),
            ("Notts County Council", "Nottinghamshire County Council"),
            ("Cambs CC", "Cambridgeshire County Council"),
            ("Bucks Council", "Buckinghamshire Council"),
            ("Leics", "Leicestershire County Council"),
            ("Lancs County Council", "Lancashire County Council"),
            ("Glos CC", "Gloucestershire County Council"),
            ("Wilts Council", "Wiltshire Council"),
            ("Oxon", "Oxfordshire County Council"),
            ("Worcs", "Worcestershire County Council"),
            ("Warks", "Warwickshire County Council"),
            ("Staffs", "Staffordshire County Council"),
            ("Derbys", "Derbyshire County Council"),
            ("Lincs", "Lincolnshire County Council"),
            (
                "King's Lynn and West Norfolk",
                "Borough Council of Kings Lynn and West Norfolk",
            ),
            ("King\u{2019}s Lynn", "Kings Lynn"),
            ("The City of London", "City of London"),
            ("City of London Corporation", "City of London"),
            (
                "Corporation of the City of London",
                "City of London Council",
            ),
        ];
        for (other, official) in pairs {
            assert_eq!(key(other), key(official), "{other} / {official}");
        }
        // Every alias leads to the key of a council's name in full above.
        let officials: Vec<String> = pairs.iter().map(|(_, official)| key(official)).collect();
        for (alias, full) in ALIASES {
            assert!(
                officials.iter().any(|k| k == full),
                "{alias} leads to {full}"
            );
        }
    }

    #[test]
    fn a_name_of_only_kind_words_keeps_them() {
        assert_eq!(key("City of London"), "city of london");
    }

    #[test]
    fn names_are_tidied_for_display() {
        assert_eq!(shown("guildford bc"), "Guildford Borough Council");
        assert_eq!(shown("Guildford BC"), "Guildford Borough Council");
        assert_eq!(shown("kingston upon thames"), "Kingston upon Thames");
        assert_eq!(shown("LB Hackney"), "London Borough of Hackney");
        // One "of", wherever the LB is.
        assert_eq!(shown("LB of Hackney"), "London Borough of Hackney");
        assert_eq!(shown("Hackney LB"), "London Borough of Hackney");
        assert_eq!(
            shown("lb of tower hamlets"),
            "London Borough of Tower Hamlets"
        );
        assert_eq!(shown("Cornwall Council."), "Cornwall Council");
        assert_eq!(shown("McKenzie DC"), "McKenzie District Council");
    }

    #[test]
    fn a_word_for_no_council_is_not_a_name() {
        for s in [
            "none",
            "None",
            "N/A",
            "n/a",
            "NA",
            "no council",
            "None council",
            "TBC",
            "unknown",
        ] {
            assert_eq!(
                CouncilName::parse(s),
                Err(UserError::CouncilSaysNone),
                "{s}"
            );
        }
        // Words that only start or end like one are names.
        for s in [
            "Nonesuch",
            "Northumberland",
            "Noneton Parish Council",
            "Knowsley",
        ] {
            assert!(CouncilName::parse(s).is_ok(), "{s}");
        }
    }

    /// Migration 0035 lets go of the councils earlier builds recorded under these keys: its
    /// list is this one.
    #[test]
    fn the_migration_that_lets_go_of_none_councils_has_every_key() {
        let sql = include_str!("../../migrations/0035_no_councils_called_none.sql");
        let values = sql
            .split_once("VALUES")
            .and_then(|(_, rest)| rest.split_once(';'))
            .map(|(values, _)| values)
            .expect("the INSERT of the keys");
        let mut keys: Vec<&str> = values.split('\'').skip(1).step_by(2).collect();
        let mut said = SAYS_NONE.to_vec();
        keys.sort_unstable();
        said.sort_unstable();
        assert_eq!(keys, said);
    }

    #[test]
    fn a_kind_of_council_or_a_slack_token_is_not_a_name() {
        for s in [
            "BC",
            "Borough Council",
            "the council",
            "London",
            "<!channel>",
            "<@U123>",
            "sam.jones@guildford.gov.uk",
            "Guildford (sam@guildford.gov.uk)",
        ] {
            assert_eq!(
                CouncilName::parse(s),
                Err(UserError::CouncilNotAName),
                "{s}"
            );
        }
        assert!(CouncilName::parse("Mole Valley <b>DC</b>").is_err());
        for s in [
            "City of London",
            "The City of London",
            "City of London Council",
        ] {
            assert!(CouncilName::parse(s).is_ok(), "{s}");
        }
        assert_eq!(key("Mole Valley DC"), "mole valley");
    }

    #[test]
    fn a_near_miss_is_noticed_and_a_different_council_is_not() {
        let guildford = CouncilName::parse("Guildford BC").unwrap();
        assert!(guildford.is_near("guilford"), "one letter out");
        assert!(guildford.is_near("gildfort"), "two, in a long name");
        assert!(
            !guildford.is_near("guildford"),
            "the same key is not a near miss"
        );
        assert!(!guildford.is_near("waverley"));
        let hart = CouncilName::parse("Hart DC").unwrap();
        assert!(!hart.is_near("harrow"), "short keys allow one edit only");
        assert!(hart.is_near("harts"));
        assert_eq!(text::edit_distance("kitten", "sitting"), 3);
        assert_eq!(text::edit_distance("joni", "join"), 1, "a swap is one slip");
        assert_eq!(text::edit_distance("", "abc"), 3);
        assert_eq!(text::edit_distance("abc", ""), 3);
    }

    /// A council's short name is one of the names its name joins with "and": offered back
    /// for it, as a slip is, not made a second council.
    #[test]
    fn a_part_of_a_two_part_name_may_mean_it() {
        for (short, full) in [
            ("Brighton Council", "Brighton & Hove City Council"),
            ("Hove", "Brighton and Hove"),
            (
                "King's Lynn Council",
                "Borough Council of King's Lynn and West Norfolk",
            ),
            ("Telford Council", "Telford & Wrekin Council"),
            ("Windsor Council", "Royal Borough of Windsor and Maidenhead"),
            ("Barking Council", "Barking and Dagenham Council"),
            ("Redcar Council", "Redcar and Cleveland Borough Council"),
            ("Cheshire West", "Cheshire West and Chester Council"),
            ("Poole", "BCP Council"),
        ] {
            let short = CouncilName::parse(short).unwrap();
            assert!(short.may_mean(&key(full)), "{short:?} / {full}");
        }
        // Not a word a name only starts with, nor the name itself.
        for (other, full) in [
            ("Bright", "Brighton and Hove"),
            ("Cheshire", "Cheshire West and Chester Council"),
            ("Brighton and Hove", "Brighton & Hove City Council"),
        ] {
            let other = CouncilName::parse(other).unwrap();
            assert!(!other.may_mean(&key(full)), "{other:?} / {full}");
        }
    }

    /// The name shown keeps its punctuation and gets proper capitals: commas went from every
    /// word, the parts of a hyphenated name after the first stayed lower case, and initials
    /// were made a word ("Bcp").
    #[test]
    fn a_name_shown_keeps_its_punctuation_and_proper_capitals() {
        for (typed, tidied) in [
            (
                "Bournemouth, Christchurch and Poole Council",
                "Bournemouth, Christchurch and Poole Council",
            ),
            (
                "Armagh City, Banbridge and Craigavon Borough Council",
                "Armagh City, Banbridge and Craigavon Borough Council",
            ),
            (
                "newry, mourne and down dc",
                "Newry, Mourne and Down District Council",
            ),
            ("stoke-on-trent city council", "Stoke-on-Trent City Council"),
            (
                "newcastle-under-lyme bc",
                "Newcastle-under-Lyme Borough Council",
            ),
            ("na h-eileanan siar", "Na h-Eileanan Siar"),
            ("bcp council", "BCP Council"),
            ("rbkc", "RBKC"),
            ("the city of london", "The City of London"),
            ("St. Albans City Council", "St. Albans City Council"),
            ("pen y bont ar ogwr", "Pen y Bont ar Ogwr"),
            ("Cornwall Council.", "Cornwall Council"),
            ("guildford bc, surrey", "Guildford Borough Council, Surrey"),
        ] {
            assert_eq!(shown(typed), tidied, "{typed}");
        }
        assert_eq!(shown("B&NES"), "B&NES");
        // Each initials shown in capitals is a council's other name.
        for initials in INITIALISMS {
            let alias = initials.replace('&', " and ");
            assert!(ALIASES.iter().any(|(a, _)| *a == alias), "{initials}");
        }
    }

    /// Tidying changes what is shown, never which council it is: each name's key is as it
    /// was, and the name shown reads back as the same council.
    #[test]
    fn a_name_tidied_for_display_keeps_its_key() {
        for (typed, was) in [
            (
                "Bournemouth, Christchurch and Poole Council",
                "bournemouth christchurch and poole",
            ),
            (
                "Armagh City, Banbridge and Craigavon Borough Council",
                "armagh banbridge and craigavon",
            ),
            ("newry, mourne and down dc", "newry mourne and down"),
            ("stoke-on-trent city council", "stoke on trent"),
            ("newcastle-under-lyme bc", "newcastle under lyme"),
            ("na h-eileanan siar", "comhairle nan eilean siar"),
            ("bcp council", "bournemouth christchurch and poole"),
            ("rbkc", "kensington and chelsea"),
            ("the city of london", "city of london"),
            ("St. Albans City Council", "st albans"),
            ("pen y bont ar ogwr", "bridgend"),
            ("Cornwall Council.", "cornwall"),
            ("guildford bc, surrey", "guildford surrey"),
        ] {
            assert_eq!(key(typed), was, "{typed}");
            assert_eq!(key(&shown(typed)), was, "{typed} shown");
        }
    }

    #[test]
    fn empty_or_huge_names_are_refused() {
        assert_eq!(CouncilName::parse("   "), Err(UserError::EmptyCouncil));
        assert_eq!(CouncilName::parse("..."), Err(UserError::EmptyCouncil));
        assert!(matches!(
            CouncilName::parse(&"x".repeat(101)),
            Err(UserError::CouncilTooLong { .. })
        ));
    }
}
