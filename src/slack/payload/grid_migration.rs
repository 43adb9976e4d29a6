//! `grid_migration_finished`, read from the raw body: a workspace the app is installed in
//! has been moved into an Enterprise Grid organisation (Slack keeps its id and the bot's
//! token). Its installation recorded no organisation, and the presses of the org's members
//! that Slack names as of another workspace of it could not be told from strangers'.

use serde_json::Value;

use super::{DecodeError, EventsBody, delivered_for};

/// `Some` if `raw` is a `grid_migration_finished`; `None` for any other body.
pub(super) fn decode(raw: &Value) -> Option<Result<EventsBody, DecodeError>> {
    let event = raw.get("event")?;
    if event.get("type")?.as_str()? != "grid_migration_finished" {
        return None;
    }
    let Some(org) = event.get("enterprise_id").and_then(org_id) else {
        let why = "grid_migration_finished without an enterprise_id";
        return Some(Err(DecodeError(why.into())));
    };
    Some(delivered_for(raw).map(|team| EventsBody::MovedIntoOrg { team, org }))
}

/// An Enterprise Grid organisation's id (`E…`, short); anything else is not recorded.
pub(super) fn org_id(said: &Value) -> Option<String> {
    said.as_str()
        .filter(|o| {
            o.starts_with('E') && o.len() <= 32 && o.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .map(String::from)
}

/// The organisation the installation an event was delivered for is in, as Slack says it
/// (`authorizations[0].enterprise_id`): an app whose manifest predates
/// `grid_migration_finished` is never sent that event, but each event says it too.
pub(super) fn installed_org(authorizations: &Value) -> Option<String> {
    org_id(authorizations.get(0)?.get("enterprise_id")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(body: &str) -> Option<Result<EventsBody, DecodeError>> {
        decode(&serde_json::from_str(body).unwrap())
    }

    #[test]
    fn the_workspace_and_its_org_are_read_and_anything_else_is_not_this() {
        // Slack's reference payload.
        let moved = r#"{"token":"XXYYZZ","team_id":"T1","api_app_id":"A1","event":{"type":"grid_migration_finished","enterprise_id":"E012AB"},"type":"event_callback","event_id":"Ev1","event_time":1234567890}"#;
        match decoded(moved) {
            Some(Ok(EventsBody::MovedIntoOrg { team, org })) => {
                assert_eq!((team.as_str(), org.as_str()), ("T1", "E012AB"));
            }
            other => panic!("{other:?}"),
        }
        let no_org = r#"{"team_id":"T1","event":{"type":"grid_migration_finished"}}"#;
        assert!(matches!(decoded(no_org), Some(Err(_))));
        let not_an_org =
            r#"{"team_id":"T1","event":{"type":"grid_migration_finished","enterprise_id":"T1"}}"#;
        assert!(matches!(decoded(not_an_org), Some(Err(_))));
        let started =
            r#"{"team_id":"T1","event":{"type":"grid_migration_started","enterprise_id":"E1"}}"#;
        assert!(decoded(started).is_none());
    }
}
