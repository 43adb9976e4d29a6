//! Properties of the edge over hostile bytes: decoding any body as an events callback, a
//! slash-command form, an interaction payload or a Socket Mode frame never panics (nor does it on real payloads
//! with a stretch replaced by junk), and signature checking never panics on any headers,
//! accepts what `sign` made and nothing changed after signing.

use proptest::prelude::*;

use super::payload::{decode_command, decode_entities, decode_events, decode_interaction};
use super::socket::{Work, decode_frame};
use super::verify::{Verifier, sign};
use crate::config::Secret;

const FIXTURES: &[&str] = &[
    include_str!("../../tests/fixtures/app-mention.event_callback.json"),
    include_str!("../../tests/fixtures/reaction-added.event_callback.json"),
    include_str!("../../tests/fixtures/url-verification.json"),
    include_str!("../../tests/fixtures/slash-command.form.txt"),
    include_str!("../../tests/fixtures/block-actions.form.txt"),
    include_str!("../../tests/fixtures/view-submission.form.txt"),
    include_str!("../../tests/fixtures/block-actions.payload.json"),
    include_str!("../../tests/fixtures/shortcut-global.payload.json"),
];

/// Socket Mode frames as Slack sends them: each mangled is tried as a frame and as a body.
const FRAMES: &[&str] = &[
    include_str!("../../tests/fixtures/socket-mode-hello.python-slack-sdk.json"),
    include_str!("../../tests/fixtures/socket-mode-disconnect-refresh-requested.json"),
    include_str!("../../tests/fixtures/socket-mode-events-api.python-slack-sdk.envelope.json"),
    include_str!("../../tests/fixtures/socket-mode-slash-command.envelope.json"),
    include_str!("../../tests/fixtures/socket-mode-interactive-block-suggestion.envelope.json"),
    include_str!(
        "../../tests/fixtures/socket-mode-interactive-shortcut.python-slack-sdk.envelope.json"
    ),
];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn decode_all(body: &str) {
    let _ = decode_events(body);
    let _ = decode_command(body);
    let _ = decode_interaction(body);
    let _ = decode_entities(body);
    let _ = decode_frame(body);
}

/// A real payload with a stretch of it (cut at character boundaries) replaced by `junk`.
fn mangled() -> impl Strategy<Value = String> {
    (
        prop::sample::select([FIXTURES, FRAMES].concat()),
        any::<prop::sample::Index>(),
        0usize..64,
        "[\\PC\"{}\\[\\]:,&=%+0-9]{0,12}",
    )
        .prop_map(|(fixture, at, len, junk)| {
            let chars: Vec<char> = fixture.chars().collect();
            let start = at.index(chars.len());
            let end = (start + len).min(chars.len());
            let mut out: String = chars[..start].iter().collect();
            out.push_str(&junk);
            out.extend(&chars[end..]);
            out
        })
}

/// The frames above are read through to their payloads' decoders, so mangling them reaches
/// those decoders by the Socket Mode path (a parse that stopped at the envelope would not).
#[test]
fn real_frames_decode_to_their_work() {
    let works: Vec<_> = FRAMES.iter().map(|f| decode_frame(f).unwrap()).collect();
    assert!(works[0].is_none() && works[1].is_none());
    assert!(matches!(works[2], Some(Work::Event(Ok(_)))));
    assert!(matches!(works[3], Some(Work::Command(Ok(_)))));
    // A kind of interaction the bot does not take, told apart by the decoder itself.
    assert!(matches!(works[4], Some(Work::Interaction(Err(_), _))));
    assert!(matches!(works[5], Some(Work::Interaction(Ok(_), _))));
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn decoding_mangled_payloads_never_panics(body in mangled()) {
        decode_all(&body);
        // As a form field too, the way interactions arrive.
        let form = serde_urlencoded::to_string([("payload", body.as_str())]).unwrap();
        let _ = decode_interaction(&form);
    }

    #[test]
    fn verifying_any_headers_never_panics(
        signature in prop::option::of(any::<String>()),
        timestamp in prop::option::of(any::<String>()),
        body in prop::collection::vec(any::<u8>(), 0..64),
        now in any::<i64>(),
    ) {
        let verifier = Verifier::new(Secret::new("s3cret"));
        let _ = verifier.verify(signature.as_deref(), timestamp.as_deref(), &body, now);
    }

    #[test]
    fn verifying_near_signatures_never_panics(
        hex_part in "[0-9a-fA-F]{0,70}",
        prefix in "(v0=|v1=|v0|=|)",
        timestamp in "[ +-]?[0-9]{0,20}",
        now in any::<i64>(),
    ) {
        let verifier = Verifier::new(Secret::new("s3cret"));
        let signature = format!("{prefix}{hex_part}");
        let _ = verifier.verify(Some(&signature), Some(&timestamp), b"body", now);
    }

    #[test]
    fn a_signed_body_verifies_and_any_change_does_not(
        body in prop::collection::vec(any::<u8>(), 0..256),
        flip in any::<prop::sample::Index>(),
        now in 1_000_000_000i64..4_000_000_000,
    ) {
        let secret = Secret::new("s3cret");
        let verifier = Verifier::new(secret.clone());
        let ts = now.to_string();
        let signature = sign(&secret, &ts, &body);
        prop_assert!(verifier.verify(Some(&signature), Some(&ts), &body, now).is_ok());
        if !body.is_empty() {
            let mut changed = body.clone();
            changed[flip.index(body.len())] ^= 0x01;
            prop_assert!(verifier.verify(Some(&signature), Some(&ts), &changed, now).is_err());
        }
        let other = Verifier::new(Secret::new("another"));
        prop_assert!(other.verify(Some(&signature), Some(&ts), &body, now).is_err());
    }
}
