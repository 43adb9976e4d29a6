//! The command parser on any text: it must not panic, and a command that parses must parse
//! the same from a mention of the bot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makers_bot::commands::{parse, parse_mention};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse(text);
    let mentioned = parse_mention(&format!("<@U0BOT> {text}"), Some("U0BOT"));
    if !text.trim_start().starts_with("<@") {
        assert_eq!(parsed, mentioned, "a mention changed the meaning of {text:?}");
    }
});
