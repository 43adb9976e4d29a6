//! What handling one of Slack's requests comes to, whichever way it arrived: HTTP turns it
//! into a status and a body (`routes`), Socket Mode into an acknowledgement or none
//! (`socket`).

use std::sync::Arc;

use bytes::Bytes;

/// How long after a request its answer may still reach the person: Slack waits 3 seconds
/// for it, and a little of that is the way there and back. An answer later than this was
/// never shown (Slack showed its own error instead).
pub const ANSWER_SEEN_WITHIN: std::time::Duration = std::time::Duration::from_millis(2_500);

/// When one of Slack's requests reached the bot, which Slack's 3 seconds are counted from,
/// and, for one that came over a socket, whether its answer still has a way back to Slack.
#[derive(Clone)]
pub struct Asked {
    at: std::time::Instant,
    way_back: Option<Arc<dyn Fn() -> bool + Send + Sync>>,
}

impl Asked {
    /// Asked at `at`, over a connection that stays open for the answer (HTTP: Slack's own
    /// cut-off is at 3 s, past [`ANSWER_SEEN_WITHIN`] already).
    pub fn at(at: std::time::Instant) -> Asked {
        Asked { at, way_back: None }
    }

    /// Asked at `at`, its answer carried back only while `open` says so (Socket Mode: its
    /// socket, or another of the bot's, is live).
    pub fn over(at: std::time::Instant, open: impl Fn() -> bool + Send + Sync + 'static) -> Asked {
        Asked {
            at,
            way_back: Some(Arc::new(open)),
        }
    }

    /// Whether an answer given now reaches the person: within Slack's wait, and with a way
    /// back to Slack. If not, Slack shows its own error.
    pub fn answer_seen_now(&self) -> bool {
        self.at.elapsed() < ANSWER_SEEN_WITHIN && self.way_back.as_ref().is_none_or(|open| open())
    }
}

/// The outcome of one event, command or interaction, free of any transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Taken; nothing to say back (HTTP: an empty 200; Socket Mode: a bare ack).
    Done,
    /// Taken, and this JSON is the reply: a command's ephemeral message, a modal's
    /// `response_action`, the URL check's challenge (HTTP: the 200's body; Socket Mode: the
    /// ack's `payload` where the envelope accepts one).
    Reply(Bytes),
    /// Nothing was applied (HTTP: 500; Socket Mode: no ack): Slack delivers an event again;
    /// a command or an interaction it sends once, and the person sees Slack's error.
    Retry,
}

impl Answer {
    pub fn json(value: serde_json::Value) -> Answer {
        Answer::Reply(Bytes::from(value.to_string()))
    }
}
