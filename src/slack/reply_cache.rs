//! Answers to read-only commands (`list`, `show`, `help`, …), kept until anything changes.
//!
//! An entry is valid while the store's write generation is the one it was computed at (any
//! committed write that changes a row moves it on, and so, within a second or two, does
//! another process's write) and within the same minute of the clock (quiet markers and
//! dates move with time). The generation is read *before* the query, so an entry can only be
//! newer than its tag, never older. Bounded: past [`MAX_ENTRIES`] it starts afresh.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;

const MAX_ENTRIES: usize = 1024;

#[derive(Default)]
pub struct ReplyCache {
    entries: Mutex<HashMap<Key, Entry>>,
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

impl ReplyCache {
    pub fn get(&self, key: &Key, generation: u64, minute: i64) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.minute == minute)
            .map(|e| e.body.clone())
    }

    pub fn put(&self, key: Key, generation: u64, minute: i64, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
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
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
