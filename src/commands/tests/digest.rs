//! `digest` and its times.

use super::*;

#[test]
fn digest_forms() {
    use crate::domain::WeeklyTime;
    use chrono::Weekday;
    assert_eq!(
        parse("digest"),
        Ok(Command::Digest(DigestCommand::Subscribe(None)))
    );
    assert_eq!(parse("digest off"), Ok(Command::Digest(DigestCommand::Off)));
    for on in ["digest on", "digest Start"] {
        assert_eq!(
            parse(on),
            Ok(Command::Digest(DigestCommand::Subscribe(None))),
            "{on}"
        );
    }
    assert_eq!(
        parse("DIGEST Preview"),
        Ok(Command::Digest(DigestCommand::Preview))
    );
    let friday = WeeklyTime::new(Weekday::Fri, 16 * 60 + 30).unwrap();
    for text in [
        "digest friday 16:30",
        "digest Fri 16:30",
        "digest fri   16:30",
    ] {
        assert_eq!(
            parse(text),
            Ok(Command::Digest(DigestCommand::Subscribe(Some(friday)))),
            "{text}"
        );
    }
    let monday = WeeklyTime::new(Weekday::Mon, 9 * 60).unwrap();
    assert_eq!(
        parse("digest mon 9:00"),
        Ok(Command::Digest(DigestCommand::Subscribe(Some(monday))))
    );
}

#[test]
fn digest_errors() {
    for bad in [
        "digest someday 09:00",
        "digest mo 09:00",
        "digest monday",
        "digest monday 24:00",
        "digest monday 09:60",
        "digest monday 0900",
        "digest monday 09:00 weekly",
        "digest monday 009:00",
        "digest mon +9:00",
        "digest mon 09:+5",
        "digest mon -0:00",
        "digest mon 9:5",
        "digest mon \u{0669}:00",
    ] {
        assert!(
            matches!(parse(bad), Err(ParseError::BadDigestTime { .. })),
            "{bad}: {:?}",
            parse(bad)
        );
    }
    assert!(Command::Digest(DigestCommand::Preview).is_read_only());
    assert!(!Command::Digest(DigestCommand::Off).is_read_only());
    assert!(!Command::Digest(DigestCommand::Subscribe(None)).is_read_only());
}
