//! Full-text search over projects (`project_search`, FTS5, kept in step by
//! `search_sync`).

use rusqlite::{Connection, params};

use super::projects::SummaryRow;
use crate::domain::{ProjectNumber, ProjectSummary, SearchWords, TeamId};

/// Projects whose title or description hold every word (a look for similar projects: what a
/// project is about is in those two), the title counting most.
const EVERY_WORD: &str = "SELECT p.number, p.title, p.phase,
        (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at
     FROM project_search s JOIN projects p ON p.id = s.rowid
     WHERE project_search MATCH ?1 AND p.team_id = ?2
       AND (?4 IS NULL OR (p.phase <> 'retired' AND p.number <> ?4))
     ORDER BY bm25(project_search, 10.0, 3.0), p.number DESC
     LIMIT ?3";

/// `best (project_id, rank)`: the projects whose title, description or any update hold any
/// of the words of the query `?1`, ranked (lower first): those matched by title or
/// description first (the title counting most), then those matched only by an update, best
/// update first. A macro so that queries can start with it (`concat!`).
macro_rules! best_matches {
    () => {
        "WITH hits (project_id, rank) AS (
             SELECT rowid, bm25(project_search, 10.0, 3.0) FROM project_search
             WHERE project_search MATCH ?1
             UNION ALL
             SELECT u.project_id, 1000000.0 + bm25(update_search)
             FROM update_search s JOIN updates u ON u.id = s.rowid
             WHERE update_search MATCH ?1
         ), best (project_id, rank) AS (
             SELECT project_id, MIN(rank) FROM hits GROUP BY project_id
         ) "
    };
}

/// Projects whose title, description or any update hold any of the words ([`best_matches`]).
const ANY_WORD: &str = concat!(
    best_matches!(),
    "SELECT p.number, p.title, p.phase,
        (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at
     FROM best b JOIN projects p ON p.id = b.project_id
     WHERE p.team_id = ?2 AND (?4 IS NULL OR (p.phase <> 'retired' AND p.number <> ?4))
     ORDER BY b.rank, p.number DESC
     LIMIT ?3"
);

/// The workspace's projects matching `words`, best first, at most `limit` (see [`EVERY_WORD`]
/// and [`ANY_WORD`]). `quiet_since` marks quiet ones. With `open_but`, only open projects,
/// and not that one: a new pitch's look for others like it, where retired ones (duplicates
/// merged away, say) took the places of the open one it should be pointed to.
pub fn search_projects(
    conn: &Connection,
    team: &TeamId,
    words: &SearchWords,
    quiet_since: i64,
    limit: u32,
    open_but: Option<ProjectNumber>,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let sql = if words.every_word() {
        EVERY_WORD
    } else {
        ANY_WORD
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(
        params![
            words.fts_query(),
            team.as_str(),
            limit,
            open_but.map(ProjectNumber::get)
        ],
        SummaryRow::read,
    )?;
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(|e| anyhow::anyhow!(e).context("cannot search the projects"))?;
        out.push(row.summary(quiet_since)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ChannelId, Description, Title, UserId};
    use crate::store::{NewProject, Store, insert_project};

    /// Every character a search word counts as a letter ([`crate::domain::is_word_char`]) is
    /// one the index keeps in a word, in the SQLite built in (its `unicode61` table is older
    /// than the Unicode the bot reads): one it dropped would let a short word pass for a longer
    /// one, "ⓐⓐe" for "e"*, which matches most of every text.
    #[test]
    fn every_letter_a_search_word_counts_the_index_keeps() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'porter unicode61 remove_diacritics 2');
             CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance');",
        )
        .unwrap();
        let letters: Vec<char> = (char::MIN..=char::MAX)
            .filter(|&c| crate::domain::is_word_char(c))
            .collect();
        // In rows of 64 one-letter words (one a row took a while), each row's words counted.
        let rows: Vec<&[char]> = letters.chunks(64).collect();
        {
            let mut insert = conn
                .prepare("INSERT INTO t (rowid, x) VALUES (?1, ?2)")
                .unwrap();
            for (i, row) in rows.iter().enumerate() {
                let words: Vec<String> = row.iter().map(char::to_string).collect();
                insert.execute(params![i as i64, words.join(" ")]).unwrap();
            }
        }
        let counted: std::collections::HashMap<i64, i64> = conn
            .prepare("SELECT doc, COUNT(*) FROM v GROUP BY doc")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let dropped: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(i, row)| counted.get(&(*i as i64)).copied().unwrap_or(0) != row.len() as i64)
            .map(|(_, row)| format!("U+{:04X}..", u32::from(row[0])))
            .collect();
        assert_eq!(dropped, Vec::<String>::new());
    }

    /// A small corpus of realistic council projects.
    const CORPUS: &[(&str, &str)] = &[
        (
            "Bin collection day finder",
            "Residents type a postcode and see which bins go out when",
        ),
        (
            "Parking permit renewals",
            "Renew a resident's parking permit online",
        ),
        (
            "Missed bin reports",
            "Report a missed collection and track it",
        ),
        (
            "FOI request tracker",
            "Track freedom of information requests and deadlines",
        ),
        ("Library room booking", "Book a meeting room in a library"),
        (
            "Public WiFi sign-up",
            "Sign up once for free internet in council buildings",
        ),
    ];

    fn search(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let team = TeamId::parse("T1").unwrap();
        store
            .write(|tx| {
                for (title, description) in CORPUS {
                    let new = NewProject {
                        team: &team,
                        title: &Title::parse(title).unwrap(),
                        description: &Description::parse(description).unwrap(),
                        pitcher: &UserId::parse("U1").unwrap(),
                        channel: &ChannelId::parse("C1").unwrap(),
                        pitcher_council: None,
                        now: 1_700_000_000,
                    };
                    insert_project(tx, &new)?;
                }
                Ok(())
            })
            .unwrap();
        let words = SearchWords::parse(text).unwrap();
        let found = store
            .read(|c| search_projects(c, &team, &words, 0, 10, None))
            .unwrap();
        found
            .into_iter()
            .map(|f| f.title.as_str().to_string())
            .collect()
    }

    #[test]
    fn find_my_bin_day_finds_the_bin_day_finder_first_and_not_parking() {
        let found = search("Find my bin day");
        assert_eq!(
            found.first().map(String::as_str),
            Some("Bin collection day finder")
        );
        assert!(!found.iter().any(|t| t.contains("Parking")), "{found:?}");
    }

    #[test]
    fn stemming_and_prefixes_match_other_forms_of_a_word() {
        assert_eq!(search("booking rooms"), ["Library room booking"]);
        assert_eq!(search("freedom of info"), ["FOI request tracker"]);
        assert!(search("zebra crossings").is_empty());
    }

    /// A word typed in parts, one of two letters, finds it written as one: "Wi-Fi" is "wi"
    /// and "fi", each matched whole, and "wifi", a prefix.
    #[test]
    fn a_hyphenated_word_finds_it_written_without_the_hyphen() {
        assert_eq!(search("Wi-Fi"), ["Public WiFi sign-up"]);
    }

    /// A new pitch's look for others like it reads open projects only, and not itself:
    /// twelve retired duplicates and the pitch itself, ranked first, took every place and
    /// left out the open project it should be pointed to.
    #[test]
    fn a_pitchs_look_for_others_like_it_is_not_filled_by_retired_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let team = TeamId::parse("T1").unwrap();
        let pitch = |tx: &Connection, title: &str| {
            let new = NewProject {
                team: &team,
                title: &Title::parse(title).unwrap(),
                description: &Description::parse("").unwrap(),
                pitcher: &UserId::parse("U1").unwrap(),
                channel: &ChannelId::parse("C1").unwrap(),
                pitcher_council: None,
                now: 1_700_000_000,
            };
            insert_project(tx, &new).map(|(_, n)| n)
        };
        let new = store
            .write(|tx| {
                pitch(tx, "Bin collection day finder for residents")?;
                for _ in 0..12 {
                    pitch(tx, "Bin day finder")?;
                }
                tx.execute("UPDATE projects SET phase = 'retired' WHERE number > 1", [])?;
                pitch(tx, "Bin day finder")
            })
            .unwrap();
        let words = SearchWords::for_similarity("Bin day finder").unwrap();
        let found = |open_but| {
            store
                .read(|c| search_projects(c, &team, &words, 0, 10, open_but))
                .unwrap()
                .into_iter()
                .map(|p| p.number.get())
                .collect::<Vec<_>>()
        };
        assert!(
            !found(None).contains(&1),
            "all of them, the open one crowded out"
        );
        assert_eq!(found(Some(new)), [1]);
    }
}
