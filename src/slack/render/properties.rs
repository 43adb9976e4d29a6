//! Properties of the mrkdwn escaping over generated text full of Slack tokens and near-tokens:
//! nothing typed can notify a crowd (`<!…>` never passes), a person is mentioned only where
//! [`Tokens::Working`] says so and only as `<@U…>`, channels and links pass only as
//! well-formed tokens and never in titles, and no raw `<`, `>` or `&` is left outside them.

use proptest::prelude::*;

use super::typed::{Tokens, user_text};
use super::{escape, title_text};
use crate::domain::Title;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One stretch of typed text: a real token, a near-token, or loose characters.
fn stretch() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 <>&|@#!:/.^{}é😀-]{1,8}",
        Just("<!here>".to_string()),
        Just("<!channel|@channel>".to_string()),
        "<!(everyone|here|subteam\\^S[0-9]{1,3}|date\\^[0-9]{1,5}\\^\\{date\\})(\\|[@a-z <]{0,6})?>",
        "<@[UWBX][A-Z0-9]{0,6}(\\|[@a-z<>&]{0,6})?>",
        "<#[CGD][A-Z0-9]{0,6}(\\|[#a-z<>&]{0,6})?>",
        "<(https?|HTTPS|mailto|javascript|ftp):(//)?[a-z.@&<> ]{0,10}(\\|[a-z !<>&@]{0,8})?>",
        "<[@#!][^>]{0,8}",
        Just("&amp;&lt;&gt;".to_string()),
    ]
}

fn typed() -> impl Strategy<Value = String> {
    prop::collection::vec(stretch(), 0..10).prop_map(|parts| parts.concat())
}

fn is_id(s: &str, first: &[char]) -> bool {
    s.len() > 1
        && s.starts_with(first)
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Why the inside of one `<…>` may not be in text posted with `tokens`, if it may not.
fn refuse_token(inside: &str, tokens: Tokens) -> Option<String> {
    if inside.contains('<') {
        return Some("a `<` inside a token".into());
    }
    if inside.starts_with('!') {
        return Some("a special mention".into());
    }
    if tokens == Tokens::AsText {
        return Some("a token where only text may be".into());
    }
    if let Some(id) = inside.strip_prefix('@') {
        let fine = tokens == Tokens::Working && is_id(id, &['U', 'W']);
        return (!fine).then(|| "a mention that should not notify".into());
    }
    if let Some(id) = inside.strip_prefix('#') {
        return (!is_id(id, &['C', 'G'])).then(|| "a malformed channel".into());
    }
    let target = inside
        .split('|')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let web = ["http://", "https://"]
        .iter()
        .any(|s| target.strip_prefix(s).is_some_and(|host| !host.is_empty()));
    let mail = target
        .strip_prefix("mailto:")
        .is_some_and(|a| a.contains('@'));
    let clean = !target.chars().any(|c| c.is_whitespace() || c.is_control());
    (!((web || mail) && clean)).then(|| "a link that is not a web or mail address".into())
}

/// Every `&` starts an entity; `<` and `>` appear only around allowed tokens.
fn check(out: &str, tokens: Tokens) -> Result<(), String> {
    let mut rest = out;
    while let Some(i) = rest.find(['<', '>', '&']) {
        let at = &rest[i..];
        if at.starts_with('&') {
            let entity = ["&amp;", "&lt;", "&gt;"]
                .into_iter()
                .find(|e| at.starts_with(e));
            let Some(entity) = entity else {
                return Err(format!("a raw `&` at {at:?} in {out:?}"));
            };
            rest = &at[entity.len()..];
        } else if at.starts_with('>') {
            return Err(format!("a raw `>` at {at:?} in {out:?}"));
        } else {
            let Some(end) = at.find('>') else {
                return Err(format!("a raw `<` at {at:?} in {out:?}"));
            };
            let inside = &at[1..end];
            if let Some(why) = refuse_token(inside, tokens) {
                return Err(format!("{why}: <{inside}> in {out:?}"));
            }
            // What the token holds is escaped too.
            check(&inside.replace(['<', '>'], ""), tokens).map_err(|e| format!("inside: {e}"))?;
            rest = &at[end + 1..];
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn typed_text_passes_only_the_tokens_its_place_allows(text in typed()) {
        for tokens in [Tokens::Working, Tokens::Quiet, Tokens::AsText] {
            let out = user_text(&text, tokens);
            prop_assert!(check(&out, tokens).is_ok(), "{:?} from {text:?}: {}", tokens, check(&out, tokens).unwrap_err());
        }
    }

    #[test]
    fn any_text_is_escaped_safely(text in any::<String>()) {
        for tokens in [Tokens::Working, Tokens::Quiet, Tokens::AsText] {
            let out = user_text(&text, tokens);
            prop_assert!(check(&out, tokens).is_ok(), "{}", check(&out, tokens).unwrap_err());
        }
    }

    #[test]
    fn a_title_is_never_a_token(text in typed()) {
        if let Ok(title) = Title::parse(&text) {
            let out = title_text(&title);
            prop_assert!(!out.contains('<') && !out.contains('>'), "{out:?} from {text:?}");
            prop_assert!(check(&out, Tokens::AsText).is_ok());
        }
    }

    #[test]
    fn escape_leaves_no_specials_and_undoes_exactly(text in any::<String>()) {
        let out = escape(&text);
        prop_assert!(!out.contains('<') && !out.contains('>'));
        prop_assert!(check(&out, Tokens::AsText).is_ok());
        prop_assert_eq!(unescape(&out), text);
    }
}
