//! Which installs this process is finishing now: a page loaded again is told to wait for
//! one of them, and to start again for one whose process is gone.

use std::collections::HashSet;

/// A state's install being finished by this process, from before its state is used up until
/// how it ended is recorded. One `serve` per database (its lock): a used state whose end is
/// not recorded, and that no `Installing` holds, was being finished by a process that is
/// gone (killed mid-exchange), and never will be.
pub(super) struct Installing<'a> {
    set: &'a std::sync::Mutex<HashSet<String>>,
    /// The state, if this request is the one finishing it (none was before).
    ours: Option<String>,
}

impl<'a> Installing<'a> {
    pub(super) fn begin(set: &'a std::sync::Mutex<HashSet<String>>, state: &str) -> Installing<'a> {
        let new = locked(set).insert(state.to_string());
        Installing {
            set,
            ours: new.then(|| state.to_string()),
        }
    }

    /// Whether another request of this process is finishing the state's install.
    pub(super) fn elsewhere(&self) -> bool {
        self.ours.is_none()
    }
}

impl Drop for Installing<'_> {
    fn drop(&mut self) {
        if let Some(state) = self.ours.take() {
            locked(self.set).remove(&state);
        }
    }
}

/// The set, also after a panic while it was held: it holds only states, each whole.
fn locked(set: &std::sync::Mutex<HashSet<String>>) -> std::sync::MutexGuard<'_, HashSet<String>> {
    set.lock().unwrap_or_else(|e| e.into_inner())
}
