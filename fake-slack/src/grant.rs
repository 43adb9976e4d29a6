//! `oauth.v2.access` in the fake: a workspace's grant, answered once per code.

use serde_json::{Value, json};

/// A workspace installing the app, as `oauth.v2.access` describes it.
#[derive(Debug, Clone)]
pub struct Grant {
    pub team_id: String,
    pub team_name: String,
    pub token: String,
    pub bot_user: String,
    pub installer: String,
    /// An org-wide install: `team` is null and this is the enterprise.
    pub org_wide: Option<String>,
    /// A workspace of an Enterprise Grid org installing the app for itself: `team` as ever,
    /// and this its org.
    pub enterprise: Option<String>,
}

impl Grant {
    /// Slack's answer for this grant, shaped as `oauth-v2-access.response.json`.
    pub fn answer(&self) -> Value {
        let team = match &self.org_wide {
            Some(_) => Value::Null,
            None => json!({"id": self.team_id, "name": self.team_name}),
        };
        json!({
            "ok": true,
            "access_token": self.token,
            "token_type": "bot",
            "scope": "commands,chat:write,app_mentions:read,reactions:read,channels:join,channels:read,groups:read,users:read",
            "bot_user_id": self.bot_user,
            "app_id": "A0MAKERS",
            "team": team,
            "enterprise": self
                .org_wide
                .as_ref()
                .or(self.enterprise.as_ref())
                .map(|e| json!({"id": e, "name": "Org"})),
            "is_enterprise_install": self.org_wide.is_some(),
            "authed_user": {"id": self.installer},
        })
    }
}
