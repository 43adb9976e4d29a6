//! What `/healthz` says about Socket Mode: connected while at least one socket has had its
//! `hello` (a second one may be opening beside it), else the last reason it is not.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Why no socket is live when Socket Mode is turned off in the app's settings
/// (`link_disabled`): with the HTTP routes served too, Slack sends over HTTP then.
pub const TURNED_OFF: &str = "link_disabled: Socket Mode is turned off in the app's settings";

#[derive(Clone)]
pub struct SocketHealth {
    inner: Arc<Inner>,
}

struct Inner {
    live: AtomicUsize,
    /// Why no socket is live (shown while `live` is 0).
    problem: Mutex<String>,
}

impl Default for SocketHealth {
    fn default() -> Self {
        SocketHealth {
            inner: Arc::new(Inner {
                live: AtomicUsize::new(0),
                problem: Mutex::new("connecting".into()),
            }),
        }
    }
}

impl SocketHealth {
    /// `Ok` while a socket is live; else why not, in a few words.
    pub fn status(&self) -> Result<(), String> {
        if self.inner.live.load(Ordering::SeqCst) > 0 {
            return Ok(());
        }
        Err(self.problem().clone())
    }

    /// Notes why the next connection is not (yet) up; shown only while none is live.
    pub fn problem_is(&self, why: impl Into<String>) {
        *self.problem() = why.into();
    }

    /// Counts a socket as live until the guard is dropped (its connection ended).
    pub fn live(&self) -> LiveGuard {
        self.inner.live.fetch_add(1, Ordering::SeqCst);
        LiveGuard(self.clone())
    }

    fn problem(&self) -> std::sync::MutexGuard<'_, String> {
        self.inner.problem.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct LiveGuard(SocketHealth);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0.inner.live.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_while_any_socket_is() {
        let h = SocketHealth::default();
        assert_eq!(h.status(), Err("connecting".into()));
        let first = h.live();
        h.problem_is("refresh_requested");
        let second = h.live();
        drop(first);
        assert_eq!(h.status(), Ok(()));
        drop(second);
        assert_eq!(h.status(), Err("refresh_requested".into()));
    }
}
