//! Answers to read-only commands (`list`, `show`, `help`, …), kept until anything changes.
//!
//! An entry is valid while the store's write generation is the one it was computed at (any
//! committed write that changes a row moves it on, and so, within a second or two, does
//! another process's write) and within the same minute of the clock (quiet markers and
//! dates move with time). The generation is read *before* the query, so an entry can only be
//! newer than its tag, never older. Bounded: past [`MAX_ENTRIES`] or [`MAX_BYTES`] it starts
//! afresh.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;

const MAX_ENTRIES: usize = 1024;
/// Most bytes of kept texts and answers. A `search` answer runs to some tens of KB, and its
/// text to whatever Slack passes: a thousand of them held tens of MB until the next write
/// (as `web::cache` found with the catalogue's). 8 MiB keeps hundreds of everyday answers.
const MAX_BYTES: usize = 8 << 20;
/// Longest text of a command whose answer is kept: `list`, `show 12` and a search of a few
/// words are far shorter, and a longer one is unlikely to be typed again.
const MAX_TEXT_BYTES: usize = 1024;

#[derive(Default)]
pub struct ReplyCache {
    /// The entries, and their weight in all ([`weight`]).
    entries: Mutex<(HashMap<Key, Entry>, usize)>,
}

/// Who asked (some answers are personal: `list mine`, `council`), where (`digest preview`
/// depends on the channel) and what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub team: String,
    pub user: String,
    pub channel: String,
    pub text: String,
}

struct Entry {
    generation: u64,
    minute: i64,
    body: Bytes,
}

/// What an entry costs against [`MAX_BYTES`].
fn weight(key: &Key, body: &Bytes) -> usize {
    key.team.len() + key.user.len() + key.channel.len() + key.text.len() + body.len()
}

impl ReplyCache {
    pub fn get(&self, key: &Key, generation: u64, minute: i64) -> Option<Bytes> {
        let kept = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        kept.0
            .get(key)
            .filter(|e| e.generation == generation && e.minute == minute)
            .map(|e| e.body.clone())
    }

    pub fn put(&self, key: Key, generation: u64, minute: i64, body: Bytes) {
        if key.text.len() > MAX_TEXT_BYTES {
            return;
        }
        let mut kept = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (entries, bytes) = &mut *kept;
        if let Some(old) = entries.remove(&key) {
            *bytes = bytes.saturating_sub(weight(&key, &old.body));
        }
        let cost = weight(&key, &body);
        if entries.len() >= MAX_ENTRIES || *bytes + cost > MAX_BYTES {
            entries.clear();
            *bytes = 0;
        }
        *bytes += cost;
        entries.insert(
            key,
            Entry {
                generation,
                minute,
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key {
            team: "T1".into(),
            user: "U1".into(),
            channel: "C1".into(),
            text: text.into(),
        }
    }

    #[test]
    fn an_entry_lives_until_a_write_or_the_next_minute() {
        let cache = ReplyCache::default();
        cache.put(key("list"), 7, 100, Bytes::from_static(b"answer"));
        assert_eq!(
            cache.get(&key("list"), 7, 100).as_deref(),
            Some(&b"answer"[..])
        );
        assert_eq!(cache.get(&key("list"), 8, 100), None, "a write happened");
        assert_eq!(cache.get(&key("list"), 7, 101), None, "a minute passed");
        assert_eq!(cache.get(&key("show 1"), 7, 100), None);
    }

    #[test]
    fn it_stays_bounded() {
        let cache = ReplyCache::default();
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(key(&i.to_string()), 1, 1, Bytes::new());
        }
        assert!(cache.entries.lock().unwrap().0.len() <= MAX_ENTRIES);
    }

    /// What the kept entries hold: their typed text and their answer.
    fn bytes_held(cache: &ReplyCache) -> usize {
        let kept = cache.entries.lock().unwrap();
        kept.0
            .iter()
            .map(|(k, e)| k.text.len() + e.body.len())
            .sum()
    }

    /// A thousand searches of long answers (Slack's limit is some tens of KB each) keep no
    /// more than the budget.
    #[test]
    fn it_stays_within_its_bytes() {
        let cache = ReplyCache::default();
        let body = Bytes::from(vec![b'x'; 30_000]);
        for i in 0..1024 {
            let text = format!("search {i:0>1000}");
            cache.put(key(&text), 1, 1, body.clone());
        }
        let held = bytes_held(&cache);
        assert!(held <= 8 << 20, "{held} bytes held");
    }

    /// A command's text past a kilobyte is nobody's `list` or `show`: not kept.
    #[test]
    fn a_long_text_is_not_kept() {
        let cache = ReplyCache::default();
        let text = format!("search {}", "w ".repeat(20_000));
        cache.put(key(&text), 1, 1, Bytes::from_static(b"nothing found"));
        assert_eq!(cache.get(&key(&text), 1, 1), None);
        assert_eq!(bytes_held(&cache), 0);
    }
}
