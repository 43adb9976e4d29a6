//! `channel_id_changed`, read from the raw body: a private channel shared with another
//! organisation through Slack Connect gets a new id for good, and what the bot keeps of the
//! old one is to follow it (Slack's words). Read here, as `user_change` is, since we need
//! only the two ids.

use serde_json::Value;

use super::{DecodeError, EventsBody, delivered_for};
use crate::domain::ChannelId;

/// `Some` if `raw` is a `channel_id_changed`; `None` for any other body.
pub(super) fn decode(raw: &Value) -> Option<Result<EventsBody, DecodeError>> {
    let event = raw.get("event")?;
    if event.get("type")?.as_str()? != "channel_id_changed" {
        return None;
    }
    let id = |field: &str| {
        event
            .get(field)
            .and_then(Value::as_str)
            .and_then(ChannelId::parse)
            .ok_or_else(|| DecodeError(format!("channel_id_changed without {field}")))
    };
    let (old, new) = match (id("old_channel_id"), id("new_channel_id")) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return Some(Err(e)),
    };
    Some(delivered_for(raw).map(|team| EventsBody::ChannelMoved { team, old, new }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(body: &str) -> Option<Result<EventsBody, DecodeError>> {
        decode(&serde_json::from_str(body).unwrap())
    }

    #[test]
    fn both_ids_are_read_and_anything_else_is_not_this() {
        let moved = r#"{"team_id":"T1","event":{"type":"channel_id_changed","old_channel_id":"G012Y48650T","new_channel_id":"C012Y48650T","event_ts":"1612206778.000000"}}"#;
        match decoded(moved) {
            Some(Ok(EventsBody::ChannelMoved { team, old, new })) => {
                assert_eq!(
                    (team.as_str(), old.as_str(), new.as_str()),
                    ("T1", "G012Y48650T", "C012Y48650T")
                );
            }
            other => panic!("{other:?}"),
        }
        let no_new =
            r#"{"team_id":"T1","event":{"type":"channel_id_changed","old_channel_id":"G1"}}"#;
        assert!(matches!(decoded(no_new), Some(Err(_))));
        let not_an_id = r#"{"team_id":"T1","event":{"type":"channel_id_changed","old_channel_id":"G1","new_channel_id":"<!channel>"}}"#;
        assert!(matches!(decoded(not_an_id), Some(Err(_))));
        let other = r#"{"team_id":"T1","event":{"type":"channel_rename"}}"#;
        assert!(decoded(other).is_none());
    }
}
