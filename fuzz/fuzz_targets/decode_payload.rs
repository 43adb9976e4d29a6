//! Decoding any bytes as an events body, a slash-command form or an interaction payload
//! (bare, and as the form field it arrives in), or as a Socket Mode frame read through to its
//! payload's decoder: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makers_bot::slack::payload::{
    decode_command, decode_entities, decode_events, decode_interaction,
};
use makers_bot::slack::socket::decode_frame;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let _ = decode_events(&body);
    let _ = decode_command(&body);
    let _ = decode_interaction(&body);
    let _ = decode_entities(&body);
    let _ = decode_frame(&body);
    if let Ok(form) = serde_urlencoded::to_string([("payload", body.as_ref())]) {
        let _ = decode_interaction(&form);
    }
});
