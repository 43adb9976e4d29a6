//! What the catalogue keeps between requests: rendered answers (with their ETags) and the
//! snapshot of published projects, each until the store's next write or the next minute.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use bytes::Bytes;
use hyper::StatusCode;
use sha2::{Digest, Sha256};

const MAX_ENTRIES: usize = 256;

/// One rendered answer and its validator.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Bytes,
    /// A strong ETag: the first 128 bits of the body's SHA-256, quoted.
    pub etag: String,
}

impl Answer {
    pub fn new(status: StatusCode, content_type: &'static str, body: Bytes) -> Answer {
        let hash = Sha256::digest(&body);
        let etag = format!("\"{}\"", hex::encode(&hash[..16]));
        Answer {
            status,
            content_type,
            body,
            etag,
        }
    }
}

/// When something kept was made: the store's write generation and the minute. Read before
/// the data is, so a kept value can only be newer than its tag, never older.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub generation: u64,
    pub minute: i64,
}

/// Values kept while their [`Tag`] is current: until the next write, or the next minute
/// (another process, such as `makers-bot forget`, may write too). Bounded: past
/// [`MAX_ENTRIES`] it starts afresh.
pub struct Kept<K, V> {
    entries: Mutex<HashMap<K, (Tag, V)>>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Kept<K, V> {
    pub fn get(&self, key: &K, tag: Tag) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(made, _)| *made == tag)
            .map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, tag: Tag, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, (tag, value));
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn the_etag_follows_the_body_and_entries_expire_with_a_write() {
        let a = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"one"));
        let b = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"two"));
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.etag.len(), 34);
        let cache: Kept<&str, Arc<Answer>> = Kept::default();
        let tag = |generation, minute| Tag { generation, minute };
        cache.put("k", tag(1, 10), Arc::new(a));
        assert!(cache.get(&"k", tag(1, 10)).is_some());
        assert!(cache.get(&"k", tag(2, 10)).is_none());
        assert!(cache.get(&"k", tag(1, 11)).is_none());
    }
}
