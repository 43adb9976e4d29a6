//! Slack's v0 request signature: `v0=` + hex(HMAC-SHA256(secret, "v0:{ts}:{body}")), with the
//! timestamp within five minutes of now. The load generator signs with it; the ceiling server
//! checks with it, so the ceiling pays the same cryptographic cost as the bot.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Slack's replay window, in seconds, either side of now.
pub const MAX_AGE_SECS: u64 = 5 * 60;
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac
}

/// The `x-slack-signature` value Slack would send for this timestamp and body.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("v0={}", hex::encode(digest))
}

/// True if `signature` is a valid v0 signature of `body` at `timestamp`, and the timestamp is
/// within [`MAX_AGE_SECS`] of `now`. The comparison is constant-time (`verify_slice`).
pub fn verify(
    secret: &str,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
    now: u64,
) -> bool {
    let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
        return false;
    };
    let Ok(ts) = timestamp.trim().parse::<u64>() else {
        return false;
    };
    if ts.abs_diff(now) > MAX_AGE_SECS {
        return false;
    }
    let Some(expected) = signature
        .strip_prefix("v0=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&expected).is_ok()
}
