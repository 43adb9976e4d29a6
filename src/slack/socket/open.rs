//! `apps.connections.open`: asks Slack, with the app-level token, for the URL of a new
//! socket. Called for every connection (the URL serves once). Tier 1, so failures are
//! retried with backoff by the caller; a 429's `Retry-After` is honoured by every keeper,
//! since the limit is the app's, not one socket's.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use hyper::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::config::Secret;
use crate::metrics::CallOutcome;
use crate::slack::client::TOKEN_REFUSED;
use crate::slack::client::is_rate_limit_code;

const METHOD: &str = "apps.connections.open";
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a 429's `Retry-After` holds the keepers.
const LONGEST_HOLD: Duration = Duration::from_secs(3600);
/// Errors that retrying cannot mend: the token is refused (the codes a post meets too,
/// [`TOKEN_REFUSED`]), or the app is.
const APP_REFUSALS: &[&str] = &[
    "not_allowed_token_type",
    "user_removed_from_team",
    "missing_scope",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Network trouble, a 5xx, a 429 (with its `Retry-After`) or an unexpected answer.
    Transient {
        why: String,
        retry_after: Option<Duration>,
    },
    /// Slack refuses the token (`invalid_auth`, …): an operator must act.
    Refused(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Transient { why, .. } => f.write_str(why),
            OpenError::Refused(code) => write!(f, "app token refused: {code}"),
        }
    }
}

pub struct Opener {
    client: Client<crate::slack::client::SlackConnector, Full<Bytes>>,
    url: String,
    token: Secret,
    /// Until when Slack's last 429 asked us not to call: a keeper that did not get it (the
    /// other socket's, dropped meanwhile) would otherwise meet the next.
    hold: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Opener {
    /// `api_url` without its trailing slash (`Config` trims it).
    pub fn new(
        api_url: &str,
        token: Secret,
        proxies: &crate::config::Proxies,
    ) -> anyhow::Result<Opener> {
        let https = crate::slack::client::https_connector(false, proxies)?;
        Ok(Opener {
            client: Client::builder(TokioExecutor::new()).build(https),
            url: format!("{api_url}/apps.connections.open"),
            token,
            hold: std::sync::Mutex::new(None),
        })
    }

    /// The URL of a new socket (`wss://…` from Slack), the call counted for `/metrics`.
    /// Waits first for the end of a 429's `Retry-After`, whichever keeper's call met it.
    pub async fn open(&self) -> Result<String, OpenError> {
        // Again after each wait: the other keeper may have met a longer one meanwhile.
        loop {
            let held = *self.hold.lock().unwrap_or_else(|p| p.into_inner());
            match held {
                Some(until) if until > tokio::time::Instant::now() => {
                    tokio::time::sleep_until(until).await;
                }
                _ => break,
            }
        }
        let answer = self.ask().await;
        if let Err(OpenError::Transient {
            retry_after: Some(wait),
            ..
        }) = &answer
        {
            let until = tokio::time::Instant::now() + *wait;
            let mut hold = self.hold.lock().unwrap_or_else(|p| p.into_inner());
            *hold = Some(hold.map_or(until, |held| held.max(until)));
        }
        let outcome = match &answer {
            Ok(_) => CallOutcome::Ok,
            Err(OpenError::Refused(_)) => CallOutcome::Error,
            // Only a 429 carries a wait.
            Err(OpenError::Transient {
                retry_after: Some(wait),
                ..
            }) => CallOutcome::RateLimited(*wait),
            // Slack's limit said in its answer, with no wait given.
            Err(OpenError::Transient { why, .. })
                if why.rsplit(": ").next().is_some_and(is_rate_limit_code) =>
            {
                CallOutcome::RateLimited(Duration::ZERO)
            }
            Err(OpenError::Transient { .. }) => CallOutcome::Transient,
        };
        crate::metrics::metrics().call_ended(METHOD, outcome);
        answer
    }

    async fn ask(&self) -> Result<String, OpenError> {
        let transient = |why: String| OpenError::Transient {
            why,
            retry_after: None,
        };
        let req = Request::post(&self.url)
            .header(AUTHORIZATION, format!("Bearer {}", self.token.expose()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::new()))
            .map_err(|e| transient(e.to_string()))?;
        let call = async {
            let resp = self
                .client
                .request(req)
                .await
                .map_err(|e| crate::slack::proxy::with_causes(&e))?;
            let status = resp.status();
            let retry_after = wait_asked(resp.headers());
            let body = resp
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((status, retry_after, body.to_bytes()))
        };
        let (status, retry_after, body) = tokio::time::timeout(CALL_TIMEOUT, call)
            .await
            .map_err(|_| transient("apps.connections.open: no answer".into()))?
            .map_err(|e| transient(format!("apps.connections.open: {e}")))?;
        read_answer(status, retry_after, &body)
    }
}

/// The wait a `Retry-After` asks for; past any Slack gives (a proxy's, or nonsense), an hour,
/// not for ever.
fn wait_asked(headers: &hyper::HeaderMap) -> Option<Duration> {
    let secs: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs).min(LONGEST_HOLD))
}

fn read_answer(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<String, OpenError> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Err(OpenError::Transient {
            why: "apps.connections.open: rate limited".into(),
            // Slack always sends it; 30 s is what its SDKs assume otherwise.
            retry_after: Some(retry_after.unwrap_or(Duration::from_secs(30))),
        });
    }
    let answer: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let unexpected = || OpenError::Transient {
        why: format!("apps.connections.open: HTTP {}", status.as_u16()),
        retry_after: None,
    };
    match (answer["ok"].as_bool(), answer["url"].as_str()) {
        (Some(true), Some(url)) => Ok(url.to_string()),
        (Some(false), _) => {
            let code = answer["error"]
                .as_str()
                .unwrap_or("unknown_error")
                .to_string();
            if TOKEN_REFUSED.contains(&code.as_str()) || APP_REFUSALS.contains(&code.as_str()) {
                Err(OpenError::Refused(code))
            } else {
                Err(OpenError::Transient {
                    why: format!("apps.connections.open: {code}"),
                    retry_after: None,
                })
            }
        }
        _ => Err(unexpected()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_asked_for_is_at_most_an_hour() {
        let asked = |v: &str| {
            let mut h = hyper::HeaderMap::new();
            h.insert(RETRY_AFTER, v.parse().unwrap());
            wait_asked(&h)
        };
        assert_eq!(asked("30"), Some(Duration::from_secs(30)));
        assert_eq!(asked(&u64::MAX.to_string()), Some(LONGEST_HOLD));
        assert_eq!(asked("soon"), None);
        assert_eq!(wait_asked(&hyper::HeaderMap::new()), None);
    }

    #[test]
    fn answers_are_sorted_by_what_to_do() {
        let doc = crate::slack::fixture("apps-connections-open.response.json").into_bytes();
        assert_eq!(
            read_answer(StatusCode::OK, None, &doc),
            Ok("wss://wss.slack.com/link/?ticket=1234-5678".into())
        );
        let refused = br#"{"ok":false,"error":"invalid_auth"}"#;
        assert_eq!(
            read_answer(StatusCode::OK, None, refused),
            Err(OpenError::Refused("invalid_auth".into()))
        );
        let limited = read_answer(
            StatusCode::TOO_MANY_REQUESTS,
            Some(Duration::from_secs(7)),
            b"",
        );
        assert!(matches!(
            limited,
            Err(OpenError::Transient { retry_after: Some(d), .. }) if d.as_secs() == 7
        ));
        let broken = read_answer(StatusCode::BAD_GATEWAY, None, b"<html>");
        assert!(matches!(
            broken,
            Err(OpenError::Transient {
                retry_after: None,
                ..
            })
        ));
    }
}
