//! What the catalogue keeps between requests: rendered answers (with their ETags) and the
//! snapshot of published projects, each until the store's next write or the next minute.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use bytes::Bytes;
use hyper::StatusCode;
use sha2::{Digest, Sha256};

const MAX_ENTRIES: usize = 256;
/// Most bytes of kept answers: a few copies of the whole catalogue's JSON (8 MiB at 10,000
/// projects). Each filter is a key, so without a bound a visitor varying `?q=` could make the
/// bot keep a copy per value (the web review saw 813 MB from 200 requests).
const MAX_BYTES: usize = 32 << 20;

/// What a kept value costs against [`MAX_BYTES`].
pub trait Weight {
    fn weight(&self) -> usize;
}

impl Weight for std::sync::Arc<Answer> {
    fn weight(&self) -> usize {
        self.body.len()
    }
}

/// One rendered answer and its validator.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Bytes,
    /// A strong ETag: the first 128 bits of the body's SHA-256, quoted (or a weak one, see
    /// [`Answer::weak`]).
    pub etag: String,
}

impl Answer {
    pub fn new(status: StatusCode, content_type: &'static str, body: Bytes) -> Answer {
        let etag = format!("\"{}\"", hash_of(&body));
        Answer {
            status,
            content_type,
            body,
            etag,
        }
    }

    /// With a weak ETag (`W/"…"`) over the body from byte `from` on, the part that says what
    /// it holds: the JSON's `generated` time changes with every render, and a client that
    /// revalidates should get 304 while the projects are the same.
    pub fn weak(
        status: StatusCode,
        content_type: &'static str,
        body: Bytes,
        from: usize,
    ) -> Answer {
        let etag = format!("W/\"{}\"", hash_of(&body[from.min(body.len())..]));
        Answer {
            status,
            content_type,
            body,
            etag,
        }
    }
}

/// The first 128 bits of `bytes`' SHA-256, in hex.
fn hash_of(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..16])
}

/// When something kept was made: the store's write generation and the minute. Read before
/// the data is, so a kept value can only be newer than its tag, never older.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub generation: u64,
    pub minute: i64,
}

impl Tag {
    /// Made after `other`: at a later write, or at the same write a later minute.
    fn is_after(self, other: Tag) -> bool {
        (self.generation, self.minute) > (other.generation, other.minute)
    }
}

/// Values kept while their [`Tag`] is current: until the next write that changes a row
/// (another process's, such as `makers-bot forget`'s, seen within a second or two), or the
/// next minute. Bounded: past
/// [`MAX_ENTRIES`] or [`MAX_BYTES`] it starts afresh.
pub struct Kept<K, V> {
    entries: Mutex<Entries<K, V>>,
}

/// The values by key, and their weight in all.
type Entries<K, V> = (HashMap<K, (Tag, V)>, usize);

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            entries: Mutex::new((HashMap::new(), 0)),
        }
    }
}

impl<K: Hash + Eq, V: Clone + Weight> Kept<K, V> {
    pub fn get(&self, key: &K, tag: Tag) -> Option<V> {
        let kept = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        kept.0
            .get(key)
            .filter(|(made, _)| *made == tag)
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value`, made at `tag`, unless what is kept under `key` was made later (a
    /// slow render finishing after a quicker one that read newer data).
    pub fn put(&self, key: K, tag: Tag, value: V) {
        let mut kept = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let (entries, bytes) = &mut *kept;
        if entries
            .get(&key)
            .is_some_and(|(made, _)| made.is_after(tag))
        {
            return;
        }
        let full = entries.len() >= MAX_ENTRIES || *bytes + value.weight() > MAX_BYTES;
        if full && !entries.contains_key(&key) {
            entries.clear();
            *bytes = 0;
        }
        *bytes += value.weight();
        if let Some((_, old)) = entries.insert(key, (tag, value)) {
            *bytes = bytes.saturating_sub(old.weight());
        }
    }

    /// Bytes kept now.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).1
    }

    pub fn clear(&self) {
        let mut kept = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        kept.0.clear();
        kept.1 = 0;
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
        // A render that began before a newer one was kept does not replace it.
        let newer = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"three"));
        let older = Answer::new(StatusCode::OK, "text/plain", Bytes::from_static(b"four"));
        cache.put("k", tag(3, 10), Arc::new(newer));
        cache.put("k", tag(2, 11), Arc::new(older));
        assert!(cache.get(&"k", tag(3, 10)).is_some());
        // A weak ETag follows only the part it validates.
        let w1 = Answer::weak(StatusCode::OK, "a/b", Bytes::from_static(b"t1 same"), 3);
        let w2 = Answer::weak(StatusCode::OK, "a/b", Bytes::from_static(b"t2 same"), 3);
        assert_eq!(w1.etag, w2.etag);
        assert!(w1.etag.starts_with("W/\""));
        assert!(cache.get(&"k", tag(1, 11)).is_none());
    }

    #[test]
    fn what_is_kept_stays_within_its_bytes_however_many_keys() {
        let cache: Kept<String, Arc<Answer>> = Kept::default();
        let tag = Tag {
            generation: 1,
            minute: 1,
        };
        // Made directly: hashing megabytes for the tag is beside the point here.
        let big = |body: Bytes| {
            Arc::new(Answer {
                status: StatusCode::OK,
                content_type: "text/plain",
                body,
                etag: String::new(),
            })
        };
        let body = Bytes::from(vec![b'x'; 4 << 20]);
        for i in 0..200 {
            cache.put(format!("q={i}"), tag, big(body.clone()));
            assert!(
                cache.bytes() <= MAX_BYTES,
                "{} bytes after {i}",
                cache.bytes()
            );
        }
        cache.put("q=199".into(), tag, big(body));
        assert!(cache.bytes() <= MAX_BYTES && cache.bytes() > 0);
    }
}
