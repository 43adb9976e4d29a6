//! `publish`, `unpublish` and `link`.

use super::n;
use crate::commands::*;
use crate::domain::{BadLink, UserError};

#[test]
fn publish_and_unpublish_take_one_project() {
    assert_eq!(parse("publish 3"), Ok(Command::Publish(n(3))));
    assert_eq!(parse("Publish #3"), Ok(Command::Publish(n(3))));
    assert_eq!(parse("unpublish 3"), Ok(Command::Unpublish(n(3))));
    assert!(matches!(
        parse("publish"),
        Err(ParseError::MissingProject { sub }) if sub == "publish"
    ));
    assert!(matches!(
        parse("unpublish 3 now"),
        Err(ParseError::UnexpectedWords { sub, .. }) if sub == "unpublish"
    ));
}

#[test]
fn link_takes_a_kind_and_an_address_typed_or_as_slack_sends_it() {
    let link = |text: &str| match parse(text) {
        Ok(Command::Link { project, kind, url }) => {
            (project, kind, url.map(|u| u.as_str().to_string()))
        }
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        link("link 3 code https://github.com/council/bins"),
        (
            n(3),
            LinkKind::Code,
            Some("https://github.com/council/bins".into())
        )
    );
    assert_eq!(
        link("LINK #3 Service <https://bins.example.gov.uk/|bins.example.gov.uk>"),
        (
            n(3),
            LinkKind::Service,
            Some("https://bins.example.gov.uk/".into())
        )
    );
    assert_eq!(link("link 3 docs none"), (n(3), LinkKind::Docs, None));
    assert_eq!(link("link 3 docs NONE"), (n(3), LinkKind::Docs, None));
}

#[test]
fn link_errors_say_what_is_missing_or_wrong() {
    assert!(matches!(
        parse("link"),
        Err(ParseError::MissingProject { sub }) if sub == "link"
    ));
    assert_eq!(
        parse("link 3"),
        Err(ParseError::BadLinkKind { got: String::new() })
    );
    assert_eq!(
        parse("link 3 wiki https://x.example"),
        Err(ParseError::BadLinkKind { got: "wiki".into() })
    );
    assert_eq!(parse("link 3 code"), Err(ParseError::MissingLinkUrl));
    assert_eq!(
        parse("link 3 code javascript:alert(1)"),
        Err(ParseError::Invalid(UserError::BadLink(BadLink::NotHttp)))
    );
    assert_eq!(
        parse("link 3 code <mailto:me@council.example|me@council.example>"),
        Err(ParseError::Invalid(UserError::BadLink(BadLink::NotHttp)))
    );
    assert_eq!(
        parse("link 3 code https://me:secret@git.example/x"),
        Err(ParseError::Invalid(UserError::BadLink(
            BadLink::HasCredentials
        )))
    );
}
