//! `user_change`, read from the raw body before slack-morphism sees it (its model requires a
//! `cache_ts` the event may not carry): we need only whether the person's account was
//! deactivated (`deleted`), and who they are.

use serde_json::Value;

use super::{DecodeError, EventsBody, delivered_for};
use crate::domain::UserId;

/// `Some` if `raw` is a `user_change`: a deactivation, or any other change of an active
/// person's profile (a status, a name, a reactivation), which says they are in Slack; `None`
/// for any other body.
pub(super) fn decode(raw: &Value) -> Option<Result<EventsBody, DecodeError>> {
    let event = raw.get("event")?;
    if event.get("type")?.as_str()? != "user_change" {
        return None;
    }
    let user = event.get("user")?;
    let deleted = user.get("deleted").and_then(Value::as_bool);
    if deleted.is_none() {
        return Some(Ok(EventsBody::Ignored));
    }
    let Some(id) = user
        .get("id")
        .and_then(Value::as_str)
        .and_then(UserId::parse)
    else {
        return Some(Err(DecodeError("user_change without a user id".into())));
    };
    let raised_at = raw.get("event_time").and_then(Value::as_i64);
    if deleted == Some(false) {
        return Some(delivered_for(raw).map(|team| EventsBody::InSlack {
            team,
            user: id,
            raised_at,
        }));
    }
    let event_id = raw.get("event_id").and_then(Value::as_str).unwrap_or("");
    if event_id.is_empty() {
        return Some(Err(DecodeError("user_change without an event id".into())));
    }
    Some(delivered_for(raw).map(|team| EventsBody::LeftSlack {
        team,
        event_id: event_id.to_string(),
        user: id,
        raised_at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(body: &str) -> Option<Result<EventsBody, DecodeError>> {
        decode(&serde_json::from_str(body).unwrap())
    }

    #[test]
    fn a_deactivation_and_an_active_account_are_read() {
        let left = r#"{"team_id":"T1","event_id":"Ev1","event_time":1700000000,"event":{"type":"user_change","user":{"id":"U1","deleted":true}}}"#;
        assert!(matches!(
            decoded(left),
            Some(Ok(EventsBody::LeftSlack { user, raised_at: Some(1_700_000_000), .. }))
                if user.as_str() == "U1"
        ));
        let status = r#"{"team_id":"T1","event_id":"Ev2","event_time":1700000000,"event":{"type":"user_change","user":{"id":"U1","deleted":false}}}"#;
        assert!(matches!(
            decoded(status),
            Some(Ok(EventsBody::InSlack { user, raised_at: Some(1_700_000_000), .. }))
                if user.as_str() == "U1"
        ));
        let no_flag = r#"{"team_id":"T1","event_id":"Ev3","event":{"type":"user_change","user":{"id":"U1"}}}"#;
        assert!(matches!(decoded(no_flag), Some(Ok(EventsBody::Ignored))));
        let no_id = r#"{"team_id":"T1","event_id":"Ev4","event":{"type":"user_change","user":{"deleted":true}}}"#;
        assert!(matches!(decoded(no_id), Some(Err(_))));
        let other = r#"{"team_id":"T1","event":{"type":"app_mention"}}"#;
        assert!(decoded(other).is_none());
    }
}
