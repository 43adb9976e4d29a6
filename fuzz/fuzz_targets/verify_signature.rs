//! The signature check on any headers and body: no panic, and never a pass for a signature
//! that `sign` did not make for exactly that timestamp and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makers_bot::config::Secret;
use makers_bot::slack::verify::{Verifier, sign};

fuzz_target!(|data: &[u8]| {
    // signature \n timestamp \n body; a missing part is a missing header.
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let signature = parts.next().map(String::from_utf8_lossy);
    let timestamp = parts.next().map(String::from_utf8_lossy);
    let body = parts.next().unwrap_or_default();
    let secret = Secret::new("fuzz-secret");
    let verifier = Verifier::new(secret.clone());
    let now = timestamp
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok())
        .unwrap_or(1_700_000_000);
    let passed = verifier
        .verify(signature.as_deref(), timestamp.as_deref(), body, now)
        .is_ok();
    if passed {
        let ts = timestamp.as_deref().unwrap_or_default();
        let expected = sign(&secret, ts, body);
        assert!(
            signature.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&expected)),
            "a signature passed that was not made for this body"
        );
    }
});
