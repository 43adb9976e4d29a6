//! Socket Mode's frames as Slack sends them, and the acknowledgement we send back. Only
//! the envelope is read here; its `payload` goes whole to `payload`'s decoders, the one
//! place that understands Slack's shapes.

use serde::Deserialize;
use serde_json::Value;

/// One text frame from Slack.
#[derive(Debug)]
pub enum Frame {
    /// The connection is ready (the first frame), with how many sockets Slack counts for the
    /// app token (`num_connections`), when it says.
    Hello { sockets: Option<u64> },
    /// Slack will close this connection: `warning`, `refresh_requested`,
    /// `too_many_websockets`, `link_disabled`, …
    Disconnect { reason: String },
    /// Work to do, to be acknowledged by its id.
    Envelope(Envelope),
    /// A frame of a type we do not know and that asks for no ack.
    Other { kind: String },
}

#[derive(Debug)]
pub struct Envelope {
    pub id: String,
    pub kind: Kind,
    /// The event callback, the command's fields or the interaction payload.
    pub payload: Value,
    /// Whether Slack reads a `payload` in the ack (decide on this, not on the type).
    pub accepts_response_payload: bool,
    /// 0 on the first delivery of an `events_api` envelope.
    pub retry_attempt: u64,
    /// Slack's `retry_reason` (`timeout`, …) when delivered again, cut short as
    /// `X-Slack-Retry-Reason` is over HTTP; empty otherwise.
    pub retry_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Events,
    SlashCommand,
    Interactive,
    /// A type Slack may add later: acked (a retry would fare no better), logged.
    Unknown(String),
}

impl Kind {
    /// The route its acks are timed under in `/metrics` (a fixed few names).
    pub fn metric(&self) -> &'static str {
        match self {
            Kind::Events => "socket:events_api",
            Kind::SlashCommand => "socket:slash_commands",
            Kind::Interactive => "socket:interactive",
            Kind::Unknown(_) => "socket:other",
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Kind::Events => "events_api",
            Kind::SlashCommand => "slash_commands",
            Kind::Interactive => "interactive",
            Kind::Unknown(kind) => kind,
        }
    }
}

/// Every field any frame may carry; which are set depends on `type`.
#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "type")]
    kind: String,
    envelope_id: Option<String>,
    #[serde(default)]
    payload: Value,
    // Read loosely (a `null`, a number as text): a frame with an `envelope_id` must be
    // acknowledged whatever else in it is odd, or Slack sends it again and again.
    #[serde(default)]
    accepts_response_payload: Value,
    #[serde(default)]
    retry_attempt: Value,
    #[serde(default)]
    retry_reason: Value,
    #[serde(default)]
    reason: Value,
    #[serde(default)]
    num_connections: Value,
}

/// A frame that is not JSON with a `type`.
#[derive(Debug)]
pub struct BadFrame(pub String);

impl Frame {
    pub fn parse(text: &str) -> Result<Frame, BadFrame> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| BadFrame(e.to_string()))?;
        let kind = match raw.kind.as_str() {
            "hello" => {
                let sockets = raw.num_connections.as_u64();
                return Ok(Frame::Hello { sockets });
            }
            "disconnect" => {
                let reason = raw.reason.as_str().unwrap_or_default().to_string();
                return Ok(Frame::Disconnect { reason });
            }
            "events_api" => Kind::Events,
            "slash_commands" => Kind::SlashCommand,
            "interactive" => Kind::Interactive,
            other => Kind::Unknown(other.to_string()),
        };
        match raw.envelope_id {
            Some(id) => Ok(Frame::Envelope(Envelope {
                id,
                kind,
                payload: raw.payload,
                accepts_response_payload: raw.accepts_response_payload.as_bool() == Some(true),
                retry_attempt: match &raw.retry_attempt {
                    Value::String(n) => n.parse().unwrap_or(0),
                    n => n.as_u64().unwrap_or(0),
                },
                retry_reason: raw
                    .retry_reason
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(40)
                    .collect(),
            })),
            None => Ok(Frame::Other { kind: raw.kind }),
        }
    }
}

/// `{"envelope_id":…}`, with `"payload":…` when there is a reply (JSON we rendered).
pub fn ack(envelope_id: &str, payload: Option<&[u8]>) -> String {
    let id = Value::String(envelope_id.to_string());
    match payload.and_then(|p| std::str::from_utf8(p).ok()) {
        Some(json) => format!("{{\"envelope_id\":{id},\"payload\":{json}}}"),
        None => format!("{{\"envelope_id\":{id}}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::fixture;

    #[test]
    fn slacks_frames_are_read() {
        assert!(matches!(
            Frame::parse(&fixture("socket-mode-hello.python-slack-sdk.json")),
            Ok(Frame::Hello { sockets: Some(2) })
        ));
        assert!(matches!(
            Frame::parse(r#"{"type":"hello"}"#),
            Ok(Frame::Hello { sockets: None })
        ));
        for (name, want) in [
            (
                "socket-mode-disconnect-refresh-requested.json",
                "refresh_requested",
            ),
            ("socket-mode-disconnect-warning.json", "warning"),
            ("socket-mode-disconnect-link-disabled.json", "link_disabled"),
            (
                "socket-mode-disconnect-too-many-websockets.python-slack-sdk.json",
                "too_many_websockets",
            ),
        ] {
            let Ok(Frame::Disconnect { reason }) = Frame::parse(&fixture(name)) else {
                panic!("{name} is a disconnect")
            };
            assert_eq!(reason, want);
        }
        let Ok(Frame::Envelope(e)) =
            Frame::parse(&fixture("socket-mode-slash-command.envelope.json"))
        else {
            panic!("an envelope")
        };
        assert_eq!(e.id, "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545");
        assert_eq!(e.kind, Kind::SlashCommand);
        assert!(e.accepts_response_payload);
        assert_eq!(e.payload["command"], "/randorilke");
        let Ok(Frame::Envelope(e)) = Frame::parse(&fixture(
            "socket-mode-events-api.python-slack-sdk.envelope.json",
        )) else {
            panic!("an envelope")
        };
        assert_eq!((e.kind, e.retry_attempt), (Kind::Events, 0));
        assert!(!e.accepts_response_payload);
        let Ok(Frame::Envelope(e)) = Frame::parse(r#"{"type":"new_thing","envelope_id":"x"}"#)
        else {
            panic!("an envelope of an unknown type")
        };
        assert_eq!(e.kind, Kind::Unknown("new_thing".into()));
        assert!(Frame::parse("not json").is_err());
        assert!(Frame::parse(r#"{"envelope_id":"x"}"#).is_err());
    }

    /// Slack's reason for sending an envelope again is read, as `X-Slack-Retry-Reason` is
    /// over HTTP, so the operator can tell a timeout from any other retry.
    #[test]
    fn a_redelivered_envelope_says_why() {
        let mut e: Value = serde_json::from_str(&fixture(
            "socket-mode-events-api.python-slack-sdk.envelope.json",
        ))
        .unwrap();
        e["retry_attempt"] = 1.into();
        e["retry_reason"] = "timeout".into();
        let Ok(Frame::Envelope(e)) = Frame::parse(&e.to_string()) else {
            panic!("an envelope")
        };
        assert_eq!((e.retry_attempt, e.retry_reason.as_str()), (1, "timeout"));
        let long = format!(
            r#"{{"type":"events_api","envelope_id":"x","retry_reason":"{}"}}"#,
            "é".repeat(50)
        );
        let Ok(Frame::Envelope(e)) = Frame::parse(&long) else {
            panic!("an envelope")
        };
        assert_eq!(e.retry_reason, "é".repeat(40), "cut short as over HTTP");
    }

    /// An envelope with odd fields around its id is still an envelope, so it is acked:
    /// taken as a bad frame, it went unacknowledged and Slack sent it again and again.
    #[test]
    fn an_envelope_with_odd_fields_is_still_one() {
        let odd = r#"{"type":"events_api","envelope_id":"e1","payload":{},
                      "accepts_response_payload":null,"retry_attempt":"2","reason":7}"#;
        let Ok(Frame::Envelope(e)) = Frame::parse(odd) else {
            panic!("an envelope")
        };
        assert_eq!((e.id.as_str(), e.retry_attempt), ("e1", 2));
        assert!(!e.accepts_response_payload);
        let Ok(Frame::Disconnect { reason }) =
            Frame::parse(r#"{"type":"disconnect","reason":null}"#)
        else {
            panic!("a disconnect")
        };
        assert_eq!(reason, "");
    }

    #[test]
    fn acks_carry_the_id_and_any_reply() {
        let want: Value =
            serde_json::from_str(&fixture("socket-mode-slash-command.ack.json")).unwrap();
        let reply = want["payload"].to_string();
        let sent: Value = serde_json::from_str(&ack(
            "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545",
            Some(reply.as_bytes()),
        ))
        .unwrap();
        assert_eq!(sent, want);
        assert_eq!(ack("a\"b", None), r#"{"envelope_id":"a\"b"}"#);
    }
}
