//! `app_uninstalled` and `tokens_revoked`, read from the raw body before slack-morphism sees
//! it: we need only the team and, for `tokens_revoked`, whether a bot token is listed.

use serde_json::Value;

use super::{DecodeError, EventsBody};
use crate::domain::TeamId;

/// What took the bot's token away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    AppUninstalled,
    /// `tokens_revoked` listing bot user ids (`tokens.bot`; they are ids, not tokens).
    BotTokensRevoked,
}

impl Removal {
    /// The reason recorded on the workspace's parked posts.
    pub fn reason(self) -> &'static str {
        match self {
            Removal::AppUninstalled => "workspace uninstalled the app (app_uninstalled)",
            Removal::BotTokensRevoked => "bot token revoked (tokens_revoked)",
        }
    }
}

/// `Some` if `raw` is one of the two events: the decoded body (or why it cannot be used);
/// `None` for any other body.
pub(super) fn decode(raw: &Value) -> Option<Result<EventsBody, DecodeError>> {
    let event = raw.get("event")?;
    let removal = match event.get("type")?.as_str()? {
        "app_uninstalled" => Removal::AppUninstalled,
        "tokens_revoked" => {
            let bots = event.pointer("/tokens/bot").and_then(Value::as_array);
            if bots.is_none_or(|b| b.is_empty()) {
                // Only people's tokens, which the bot never holds.
                return Some(Ok(EventsBody::Ignored));
            }
            Removal::BotTokensRevoked
        }
        _ => return None,
    };
    let team = raw
        .get("team_id")
        .and_then(Value::as_str)
        .and_then(TeamId::parse);
    let Some(team) = team else {
        // Org-wide installs send only enterprise_id; the bot refuses those installs.
        let enterprise = raw
            .get("enterprise_id")
            .and_then(Value::as_str)
            .unwrap_or("");
        return Some(Err(DecodeError(format!(
            "{} without a team_id (enterprise {enterprise:?})",
            removal.reason()
        ))));
    };
    let raised_at = raw.get("event_time").and_then(Value::as_i64);
    Some(Ok(EventsBody::Removed {
        team,
        removal,
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
    fn only_the_two_removals_are_read_here() {
        let uninstalled = r#"{"team_id":"T1","event":{"type":"app_uninstalled"}}"#;
        assert!(matches!(
            decoded(uninstalled),
            Some(Ok(EventsBody::Removed {
                removal: Removal::AppUninstalled,
                ..
            }))
        ));
        let bot = r#"{"team_id":"T1","event":{"type":"tokens_revoked","tokens":{"bot":["U1"]}}}"#;
        assert!(matches!(
            decoded(bot),
            Some(Ok(EventsBody::Removed {
                removal: Removal::BotTokensRevoked,
                ..
            }))
        ));
        let people = r#"{"team_id":"T1","event":{"type":"tokens_revoked","tokens":{"oauth":["U1"],"bot":[]}}}"#;
        assert!(matches!(decoded(people), Some(Ok(EventsBody::Ignored))));
        let org = r#"{"enterprise_id":"E1","event":{"type":"app_uninstalled"}}"#;
        assert!(matches!(decoded(org), Some(Err(_))));
        let other = r#"{"team_id":"T1","event":{"type":"app_mention"}}"#;
        assert!(decoded(other).is_none());
    }
}
