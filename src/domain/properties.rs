//! Properties of [`public_text`] over generated Slack text: whatever mix of mentions,
//! channels, special mentions, links and e-mail addresses is typed, the public text names no
//! Slack id, holds no token, and shows no e-mail address.

use proptest::prelude::*;

use super::public_text;

/// One stretch of typed text, with what must not be seen in public from it.
fn stretch() -> impl Strategy<Value = (String, Option<String>)> {
    let plain = "[a-z .,!?()'&>-]{1,10}".prop_map(|s| (s, None));
    let user = ("[UW][A-Z0-9]{8}", prop::option::of("[a-z]{1,6}")).prop_map(|(id, label)| {
        let token = match label {
            Some(l) => format!("<@{id}|{l}>"),
            None => format!("<@{id}>"),
        };
        (token, Some(id))
    });
    let channel = ("[CG][A-Z0-9]{8}", prop::option::of("[a-z-]{1,8}")).prop_map(|(id, label)| {
        let token = match label {
            Some(l) => format!("<#{id}|{l}>"),
            None => format!("<#{id}>"),
        };
        (token, Some(id))
    });
    let special = "<!(here|channel|everyone|subteam\\^S[A-Z0-9]{8}(\\|@[a-z]{1,5})?)>"
        .prop_map(|s| (s, None));
    let email = "[a-z][a-z.]{0,5}@[a-z]{1,8}\\.(gov\\.uk|com|org)";
    let mailto = (email, any::<bool>()).prop_map(|(address, labelled)| {
        let token = if labelled {
            format!("<mailto:{address}|{address}>")
        } else {
            format!("<mailto:{address}>")
        };
        (token, Some(address))
    });
    let bare = email.prop_map(|address| (address.clone(), Some(address)));
    let link = ("[a-z]{1,8}", "[a-z ]{0,8}")
        .prop_map(|(host, label)| (format!("<https://{host}.example/x|{label}>"), None));
    prop_oneof![
        4 => plain,
        1 => user,
        1 => channel,
        1 => special,
        1 => mailto,
        1 => bare,
        1 => link,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn public_text_names_no_id_and_no_address(stretches in prop::collection::vec(stretch(), 0..12)) {
        let typed: Vec<&str> = stretches.iter().map(|(s, _)| s.as_str()).collect();
        let typed = typed.join(" ");
        let shown = public_text(&typed);
        prop_assert!(!shown.contains('<'), "a token left in {shown:?} from {typed:?}");
        for secret in stretches.iter().filter_map(|(_, s)| s.as_ref()) {
            prop_assert!(!shown.contains(secret.as_str()), "{secret} left in {shown:?} from {typed:?}");
        }
    }

    #[test]
    fn public_text_never_panics(typed in any::<String>()) {
        let _ = public_text(&typed);
    }

    /// Reading Slack's styles takes markers away and nothing else: every other character is
    /// left, in its order; and emoji codes never panic. Marker-heavy text, where a slip would
    /// show.
    #[test]
    fn styles_take_away_markers_and_nothing_else(typed in "[*_~` a-z\n:é]{0,60}") {
        let words = super::unmarked_styles(&typed);
        let markers = |s: &str| s.chars().filter(|c| !"*_~`".contains(*c)).collect::<String>();
        prop_assert_eq!(markers(&words), markers(&typed));
        prop_assert!(words.len() <= typed.len());
        let _ = super::with_emoji(&typed);
    }
}
