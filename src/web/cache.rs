//! Catalogue answers kept until the store's next write, or the next minute (another process,
//! such as `makers-bot forget`, may write too). Bounded: past [`MAX_ENTRIES`] it starts afresh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// An answer and the (write generation, minute) it was made at.
type Entry = (u64, i64, Arc<Answer>);

#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl PageCache {
    pub fn get(&self, key: &str, generation: u64, minute: i64) -> Option<Arc<Answer>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(g, m, _)| *g == generation && *m == minute)
            .map(|(_, _, answer)| answer.clone())
    }

    pub fn put(&self, key: String, generation: u64, minute: i64, answer: Arc<Answer>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, (generation, minute, answer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_etag_follows_the_body_and_entries_expire_with_a_write() {
        let a = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"one"));
        let b = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"two"));
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.etag.len(), 34);
        let cache = PageCache::default();
        cache.put("k".into(), 1, 10, Arc::new(a));
        assert!(cache.get("k", 1, 10).is_some());
        assert!(cache.get("k", 2, 10).is_none());
        assert!(cache.get("k", 1, 11).is_none());
    }
}
