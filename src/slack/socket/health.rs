//! What `/healthz` says about Socket Mode: connected while at least one socket has had its
//! `hello` (a second one may be opening beside it), else the last reason it is not. It also
//! keeps the live sockets' writers, for an ack whose own socket has ended.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use super::connection::Writer;

/// Why no socket is live when Socket Mode is turned off in the app's settings
/// (`link_disabled`): with the HTTP routes served too, Slack sends over HTTP then.
pub const TURNED_OFF: &str = "link_disabled: Socket Mode is turned off in the app's settings";

#[derive(Clone)]
pub struct SocketHealth {
    inner: Arc<Inner>,
}

struct Inner {
    /// How many sockets have had their hello and not ended.
    live: watch::Sender<usize>,
    /// Why no socket is live (shown while `live` is 0).
    problem: Mutex<String>,
    /// The live sockets' writers, oldest first, each with the number its guard removes it by.
    writers: Mutex<(u64, Vec<(u64, Writer)>)>,
}

impl Default for SocketHealth {
    fn default() -> Self {
        SocketHealth {
            inner: Arc::new(Inner {
                live: watch::Sender::new(0),
                problem: Mutex::new("connecting".into()),
                writers: Mutex::default(),
            }),
        }
    }
}

impl SocketHealth {
    /// `Ok` while a socket is live; else why not, in a few words.
    pub fn status(&self) -> Result<(), String> {
        if self.live_now() > 0 {
            return Ok(());
        }
        Err(self.problem().clone())
    }

    /// Notes why the next connection is not (yet) up; shown only while none is live.
    pub fn problem_is(&self, why: impl Into<String>) {
        *self.problem() = why.into();
    }

    /// How many sockets are live.
    pub fn live_now(&self) -> usize {
        *self.inner.live.borrow()
    }

    /// Returns once a socket is live.
    pub async fn until_live(&self) {
        let _ = self.inner.live.subscribe().wait_for(|n| *n > 0).await;
    }

    /// Counts a socket as live, and offers its `writer` to carry others' acks, until the
    /// guard is dropped (its connection ended, or is closing).
    pub fn live(&self, writer: Writer) -> LiveGuard {
        let id = {
            let mut writers = self.writers();
            let (next, live) = &mut *writers;
            *next += 1;
            live.push((*next, writer));
            *next
        };
        self.inner.live.send_modify(|n| *n += 1);
        LiveGuard(self.clone(), id)
    }

    /// The live sockets' writers, newest first (as python-slack-sdk acks over its newest
    /// connection: the one Slack is least likely to be closing).
    pub fn live_writers(&self) -> Vec<Writer> {
        let writers = self.writers();
        writers.1.iter().rev().map(|(_, w)| w.clone()).collect()
    }

    fn problem(&self) -> std::sync::MutexGuard<'_, String> {
        self.inner.problem.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn writers(&self) -> std::sync::MutexGuard<'_, (u64, Vec<(u64, Writer)>)> {
        self.inner.writers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct LiveGuard(SocketHealth, u64);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0.writers().1.retain(|(id, _)| *id != self.1);
        self.0.inner.live.send_modify(|n| *n -= 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_while_any_socket_is() {
        let h = SocketHealth::default();
        assert_eq!(h.status(), Err("connecting".into()));
        let first = h.live(Writer::default());
        h.problem_is("refresh_requested");
        let second = h.live(Writer::default());
        drop(first);
        assert_eq!(h.status(), Ok(()));
        assert_eq!(
            h.live_writers().len(),
            1,
            "the ended socket's writer is no longer offered"
        );
        drop(second);
        assert_eq!(h.status(), Err("refresh_requested".into()));
        assert!(h.live_writers().is_empty());
    }
}
