//! The link and mention escaper on any text: no `<!…>` ever passes, a `<@…>` only where
//! mentions work, nothing at all in titles' form, and no raw `&` outside an entity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use makers_bot::domain::public_text;
use makers_bot::slack::render::{Tokens, escape, user_text};

fuzz_target!(|data: &[u8]| {
    let Ok(typed) = std::str::from_utf8(data) else {
        return;
    };
    for tokens in [Tokens::Working, Tokens::Quiet, Tokens::AsText] {
        let out = user_text(typed, tokens);
        assert!(!out.contains("<!"), "{out:?}");
        if tokens != Tokens::Working {
            assert!(!out.contains("<@"), "{out:?}");
        }
        if tokens == Tokens::AsText {
            assert!(!out.contains('<') && !out.contains('>'), "{out:?}");
        }
        for (i, _) in out.match_indices('&') {
            let rest = &out[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;"].iter().any(|e| rest.starts_with(e)),
                "{out:?}"
            );
        }
    }
    let escaped = escape(typed);
    assert!(!escaped.contains('<') && !escaped.contains('>'));
    let _ = public_text(typed);
});
