//! Slack request signing, v0: `v0=` + hex(HMAC-SHA256(signing secret, "v0:{ts}:{raw body}")),
//! compared in constant time, with the timestamp within [`SIGNATURE_MAX_AGE`] of now in either
//! direction.
//!
//! slack-morphism's `SlackEventSignatureVerifier` does the same but reads the clock itself and
//! wants the body as `&str`; ours takes `now` (so Slack's 2018 worked example is a unit test)
//! and raw bytes (so a non-UTF-8 body is refused as unsigned, not as a server error). A test
//! checks that both agree.

use std::time::Duration;

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::config::Secret;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Slack's replay window: requests older (or newer) than this are refused.
const SIGNATURE_MAX_AGE: Duration = Duration::from_secs(5 * 60);
/// Header carrying `v0=<hex>`.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
/// Header carrying the unix-seconds timestamp that was signed.
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";

/// Why a request was refused. Never shown to the caller beyond "401".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    MissingHeader(&'static str),
    BadTimestamp,
    OutsideWindow { age_secs: i64 },
    BadSignature,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::MissingHeader(h) => write!(f, "missing header {h}"),
            VerifyError::BadTimestamp => f.write_str("timestamp is not a number"),
            VerifyError::OutsideWindow { age_secs } => {
                write!(f, "timestamp {age_secs}s away from now")
            }
            VerifyError::BadSignature => f.write_str("signature does not match"),
        }
    }
}

/// Checks signatures with the app's signing secret, read once at start.
#[derive(Clone)]
pub struct Verifier {
    secret: Secret,
}

impl Verifier {
    pub fn new(secret: Secret) -> Self {
        Verifier { secret }
    }

    /// Verifies a request whose headers gave `signature` and `timestamp`, at unix time `now`.
    pub fn verify(
        &self,
        signature: Option<&str>,
        timestamp: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
        let timestamp = timestamp.ok_or(VerifyError::MissingHeader(TIMESTAMP_HEADER))?;
        let ts: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| VerifyError::BadTimestamp)?;
        let age = now.saturating_sub(ts);
        if age.unsigned_abs() > SIGNATURE_MAX_AGE.as_secs() {
            return Err(VerifyError::OutsideWindow { age_secs: age });
        }
        let expected = signature
            .strip_prefix("v0=")
            .and_then(|h| hex::decode(h).ok())
            .ok_or(VerifyError::BadSignature)?;
        let mac = self.mac(timestamp, body);
        // verify_slice compares in constant time.
        mac.verify_slice(&expected)
            .map_err(|_| VerifyError::BadSignature)
    }

    fn mac(&self, timestamp: &str, body: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC takes any key length");
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac
    }
}

/// Signs a body as Slack would: the `x-slack-signature` value for `timestamp` and `body`.
/// Used by the tests, the demo and the load generator to make requests Slack could have sent.
pub fn sign(secret: &Secret, timestamp: &str, body: &[u8]) -> String {
    let mac = Verifier::new(secret.clone()).mac(timestamp, body);
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        secret: String,
        timestamp: String,
        body: String,
        signature: String,
    }

    fn slack_vector() -> Vector {
        let text = crate::slack::fixture("signature-vector.json");
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn slacks_documented_example_verifies() {
        let v = slack_vector();
        let now: i64 = v.timestamp.parse().unwrap();
        let verifier = Verifier::new(Secret::new(&v.secret));
        let ok = verifier.verify(
            Some(&v.signature),
            Some(&v.timestamp),
            v.body.as_bytes(),
            now,
        );
        assert_eq!(ok, Ok(()));
        assert_eq!(
            sign(&Secret::new(&v.secret), &v.timestamp, v.body.as_bytes()),
            v.signature
        );
    }

    #[test]
    fn tampered_body_or_wrong_secret_is_refused() {
        let v = slack_vector();
        let now: i64 = v.timestamp.parse().unwrap();
        let good = Verifier::new(Secret::new(&v.secret));
        let tampered = v.body.replace("text=", "text=x");
        assert_eq!(
            good.verify(
                Some(&v.signature),
                Some(&v.timestamp),
                tampered.as_bytes(),
                now
            ),
            Err(VerifyError::BadSignature)
        );
        let other = Verifier::new(Secret::new("not-the-secret"));
        assert_eq!(
            other.verify(
                Some(&v.signature),
                Some(&v.timestamp),
                v.body.as_bytes(),
                now
            ),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn the_window_is_five_minutes_both_ways() {
        let v = slack_vector();
        let ts: i64 = v.timestamp.parse().unwrap();
        let verifier = Verifier::new(Secret::new(&v.secret));
        let at = |now| {
            verifier.verify(
                Some(&v.signature),
                Some(&v.timestamp),
                v.body.as_bytes(),
                now,
            )
        };
        assert_eq!(at(ts + 300), Ok(()));
        assert_eq!(at(ts - 300), Ok(()));
        assert_eq!(
            at(ts + 301),
            Err(VerifyError::OutsideWindow { age_secs: 301 })
        );
        assert_eq!(
            at(ts - 301),
            Err(VerifyError::OutsideWindow { age_secs: -301 })
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        let v = Verifier::new(Secret::new("s"));
        let body = b"x";
        assert_eq!(
            v.verify(None, Some("1"), body, 1),
            Err(VerifyError::MissingHeader(SIGNATURE_HEADER))
        );
        assert_eq!(
            v.verify(Some("v0=00"), None, body, 1),
            Err(VerifyError::MissingHeader(TIMESTAMP_HEADER))
        );
        assert_eq!(
            v.verify(Some("v0=00"), Some("soon"), body, 1),
            Err(VerifyError::BadTimestamp)
        );
        let good = sign(&Secret::new("s"), "1", body);
        for bad in [&good[3..], "v1=00", "v0=zz", "v0=", ""] {
            assert_eq!(
                v.verify(Some(bad), Some("1"), body, 1),
                Err(VerifyError::BadSignature),
                "{bad}"
            );
        }
        assert_eq!(v.verify(Some(&good), Some("1"), body, 1), Ok(()));
    }

    #[test]
    fn agrees_with_slack_morphisms_verifier() {
        use slack_morphism::prelude::SlackSigningSecret;
        use slack_morphism::signature_verifier::SlackEventSignatureVerifier;
        let secret = "fa2c05deeef5a4077494e89f54394de0";
        let now = chrono::Utc::now().timestamp();
        let ts = now.to_string();
        let body = "token=x&text=pitch+%3C%21channel%3E";
        let signature = sign(&Secret::new(secret), &ts, body.as_bytes());
        let theirs = SlackEventSignatureVerifier::new(&SlackSigningSecret::new(secret.into()));
        assert!(theirs.verify(&signature, body, &ts).is_ok());
        let ours = Verifier::new(Secret::new(secret));
        assert_eq!(
            ours.verify(Some(&signature), Some(&ts), body.as_bytes(), now),
            Ok(())
        );
    }
}
