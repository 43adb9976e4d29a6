//! `oauth.v2.access`: the code from the callback exchanged for the workspace's bot token.
//! Our own request and answer types: slack-morphism's require `team` (an org-wide install has
//! none) and drop `enterprise` (SLACK-NEXT.md §6).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;

use crate::config::Secret;
use crate::metrics::CallOutcome;
use crate::slack::client::is_rate_limit_code;

const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// Slack's answer is well under 4 KiB.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Slack's answer, as far as we read it.
#[derive(Deserialize)]
pub struct Granted {
    pub access_token: Option<String>,
    pub token_type: Option<String>,
    #[serde(default)]
    pub scope: String,
    pub bot_user_id: Option<String>,
    pub app_id: Option<String>,
    /// `null` for an org-wide (Enterprise Grid) install.
    pub team: Option<Named>,
    pub enterprise: Option<Named>,
    #[serde(default)]
    pub is_enterprise_install: bool,
    pub authed_user: Option<AuthedUser>,
    /// Sent only when the app has token rotation on (its bot token then expires in 12 h).
    pub refresh_token: Option<String>,
}

#[derive(Deserialize)]
pub struct Named {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
pub struct AuthedUser {
    pub id: String,
}

/// A Web API answer: `ok`, the `error` code when not, and the method's own fields.
#[derive(Deserialize)]
struct Answer<T> {
    ok: bool,
    error: Option<String>,
    #[serde(flatten)]
    body: T,
}

impl<T: serde::de::DeserializeOwned> Answer<T> {
    /// The method's fields from `bytes`, or why there are none.
    fn read(bytes: &[u8]) -> Result<T, AccessError> {
        let answer: Answer<T> = serde_json::from_slice(bytes)
            .map_err(|e| AccessError::Unreachable(format!("unreadable answer: {e}")))?;
        if answer.ok {
            Ok(answer.body)
        } else {
            let code = answer.error.unwrap_or_else(|| "unknown_error".into());
            Err(AccessError::Refused(code))
        }
    }
}

/// How the exchange failed.
#[derive(Debug)]
pub enum AccessError {
    /// Slack answered `ok: false` with this code (`invalid_code`, `bad_redirect_uri`, …).
    Refused(String),
    /// No usable answer: network, timeout, 5xx, not JSON.
    Unreachable(String),
}

/// Posts to `oauth.v2.access` at the configured Web API.
pub struct AccessClient {
    http: Client<crate::slack::client::SlackConnector, Full<Bytes>>,
    url: String,
    revoke_url: String,
    client_id: String,
    client_secret: Secret,
}

impl AccessClient {
    pub fn new(
        api_url: &str,
        client_id: &str,
        client_secret: &Secret,
        proxies: &crate::config::Proxies,
    ) -> anyhow::Result<Self> {
        let https = crate::slack::client::https_connector(false, proxies)?;
        Ok(AccessClient {
            http: Client::builder(TokioExecutor::new()).build(https),
            url: format!("{api_url}/oauth.v2.access"),
            revoke_url: format!("{api_url}/auth.revoke"),
            client_id: client_id.to_string(),
            client_secret: client_secret.clone(),
        })
    }

    /// Exchanges `code`; `redirect_uri` must be the one sent to the authorize page. The
    /// client id and secret go as form fields, which Slack accepts alongside Basic auth.
    pub async fn exchange(&self, code: &str, redirect_uri: &str) -> Result<Granted, AccessError> {
        let form = serde_urlencoded::to_string([
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose()),
        ])
        .map_err(|e| AccessError::Unreachable(e.to_string()))?;
        let answer = self.post(&self.url, form, None).await;
        let answer = answer.and_then(|body| Answer::read(&body));
        counted("oauth.v2.access", answer)
    }

    /// Gives back a token the bot was granted and will not keep (`auth.revoke`): Slack
    /// installed the app when the installer approved, and revoking its last token removes
    /// it again, so "Nothing was changed" on the page stays true.
    pub async fn revoke(&self, token: &str) -> Result<(), AccessError> {
        let answer = self
            .post(&self.revoke_url, String::new(), Some(token))
            .await;
        let answer = answer.and_then(|body| Answer::<Revoked>::read(&body).map(|_| ()));
        counted("auth.revoke", answer)
    }

    /// POSTs a form to `url` (with `token` as its bearer, if any) and reads the answer's
    /// body: one deadline for the headers and the body, so a body that trickles in cannot
    /// hold the installer's page (and a connection) open for ever.
    async fn post(
        &self,
        url: &str,
        form: String,
        token: Option<&str>,
    ) -> Result<Bytes, AccessError> {
        let unreachable = |why: String| AccessError::Unreachable(why);
        let mut req = Request::post(url).header(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        if let Some(token) = token {
            let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| unreachable("a token that is no header".into()))?;
            req = req.header(AUTHORIZATION, bearer);
        }
        let req = req
            .body(Full::new(Bytes::from(form)))
            .map_err(|e| unreachable(e.to_string()))?;
        let late = || unreachable(format!("no answer in {}s", CALL_TIMEOUT.as_secs()));
        let answered = async {
            let resp = self
                .http
                .request(req)
                .await
                .map_err(|e| unreachable(crate::slack::proxy::with_causes(&e)))?;
            let status = resp.status();
            let body = Limited::new(resp.into_body(), MAX_ANSWER_BYTES)
                .collect()
                .await
                .map_err(|e| unreachable(e.to_string()))?
                .to_bytes();
            Ok::<_, AccessError>((status, body))
        };
        let (status, body) = tokio::time::timeout(CALL_TIMEOUT, answered)
            .await
            .map_err(|_| late())??;
        if !status.is_success() {
            return Err(unreachable(format!("HTTP {status}")));
        }
        Ok(body)
    }
}

/// A call to `method` that ended in `answer`, counted for `/metrics` as the Web API client
/// counts its calls (a refusal is an `error`, but for `ratelimited`; no answer, or a 429, is
/// `transient`).
fn counted<T>(method: &'static str, answer: Result<T, AccessError>) -> Result<T, AccessError> {
    let outcome = match &answer {
        Ok(_) => CallOutcome::Ok,
        // Slack's limit said in its answer, with no wait given.
        Err(AccessError::Refused(code)) if is_rate_limit_code(code) => {
            CallOutcome::RateLimited(Duration::ZERO)
        }
        Err(AccessError::Refused(_)) => CallOutcome::Error,
        Err(AccessError::Unreachable(_)) => CallOutcome::Transient,
    };
    crate::metrics::metrics().call_ended(method, outcome);
    answer
}

/// `auth.revoke`'s own fields: none the bot reads.
#[derive(Deserialize)]
struct Revoked {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::fixture;

    #[test]
    fn reads_slacks_answer_with_its_enterprise() {
        let a: Answer<Granted> =
            serde_json::from_str(&fixture("oauth-v2-access.response.json")).unwrap();
        assert!(a.ok);
        let g = a.body;
        assert_eq!(g.team.unwrap().id, "T9TK3CUKW");
        assert_eq!(g.enterprise.unwrap().id, "E12345678");
        assert_eq!(g.bot_user_id.as_deref(), Some("U0KRQLJ9H"));
        assert_eq!(g.authed_user.unwrap().id, "U1234");
        assert_eq!(g.token_type.as_deref(), Some("bot"));
    }

    #[test]
    fn reads_an_org_wide_install_and_a_refusal() {
        let org = r#"{"ok":true,"access_token":"xoxb-1","token_type":"bot","scope":"commands",
            "bot_user_id":"U1","app_id":"A1","team":null,"enterprise":{"id":"E1","name":"Org"},
            "is_enterprise_install":true,"authed_user":{"id":"U2"}}"#;
        let a: Answer<Granted> = serde_json::from_str(org).unwrap();
        assert!(a.body.team.is_none() && a.body.is_enterprise_install);
        let no: Answer<Granted> =
            serde_json::from_str(r#"{"ok":false,"error":"invalid_code"}"#).unwrap();
        assert!(!no.ok);
        assert_eq!(no.error.as_deref(), Some("invalid_code"));
    }
}
