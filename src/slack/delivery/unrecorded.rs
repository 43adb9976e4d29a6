//! Posts Slack took that the database could not yet record (a full disk, a read-only or
//! broken file). Slack has no idempotency key, so such a post must never be made again: it is
//! remembered here, in memory, with what to record, and delivery pauses (nothing new is
//! posted) until every one of them is recorded. `/healthz` says so meanwhile.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::outbox::{Item, Outcome};

/// How many posts are waiting to be recorded, shared with `/healthz`.
#[derive(Clone, Default)]
pub struct Unrecorded(Arc<AtomicUsize>);

impl Unrecorded {
    /// `Err` with a reason while posts that went out cannot be recorded.
    pub fn status(&self) -> Result<(), String> {
        match self.0.load(Ordering::Relaxed) {
            0 => Ok(()),
            n => Err(format!(
                "{n} post(s) went out but cannot be recorded; delivery paused"
            )),
        }
    }
}

/// The worker's memory of them, by outbox row id (oldest first).
#[derive(Default)]
pub(super) struct Memory {
    posts: BTreeMap<i64, (Item, Outcome)>,
    shared: Unrecorded,
}

impl Memory {
    pub fn shared(&self) -> Unrecorded {
        self.shared.clone()
    }

    pub fn remember(&mut self, item: Item, outcome: Outcome) {
        self.posts.insert(item.id, (item, outcome));
        self.publish();
    }

    pub fn forget(&mut self, id: i64) {
        self.posts.remove(&id);
        self.publish();
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// Whether post `id` was made and is not yet recorded.
    pub fn holds(&self, id: i64) -> bool {
        self.posts.contains_key(&id)
    }

    pub fn waiting(&self) -> Vec<(Item, Outcome)> {
        self.posts.values().cloned().collect()
    }

    fn publish(&self) {
        self.shared.0.store(self.posts.len(), Ordering::Relaxed);
    }
}
