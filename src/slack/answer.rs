//! What handling one of Slack's requests comes to, whichever way it arrived: HTTP turns it
//! into a status and a body (`routes`), Socket Mode into an acknowledgement or none
//! (`socket`).

use bytes::Bytes;

/// How long after a request its answer may still reach the person: Slack waits 3 seconds
/// for it, and a little of that is the way there and back. An answer later than this was
/// never shown (Slack showed its own error instead).
pub const ANSWER_SEEN_WITHIN: std::time::Duration = std::time::Duration::from_millis(2_500);

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
