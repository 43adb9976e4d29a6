//! `digest`, `digest off`, `digest preview` and `digest <day> <HH:MM>`.

use chrono::Weekday;

use super::{DigestCommand, clip};
use crate::domain::{ParseError, WeeklyTime};

pub(super) fn parse_digest(rest: &str) -> Result<DigestCommand, ParseError> {
    match rest.to_ascii_lowercase().as_str() {
        // `on` and `start`, as `off` and `stop` are said.
        "" | "on" | "start" => return Ok(DigestCommand::Subscribe(None)),
        "off" | "stop" => return Ok(DigestCommand::Off),
        "preview" => return Ok(DigestCommand::Preview),
        _ => {}
    }
    let bad = || ParseError::BadDigestTime { got: clip(rest) };
    let mut words = rest.split_whitespace();
    let (Some(day), Some(time), None) = (words.next(), words.next(), words.next()) else {
        return Err(bad());
    };
    let weekday = parse_weekday(day).ok_or_else(bad)?;
    let (h, m) = time.split_once(':').ok_or_else(bad)?;
    // Digits only, as a clock shows them (`9:00`, `09:30`): `str::parse` alone would also
    // take `+9` for 9.
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    let when = WeeklyTime::new(weekday, h * 60 + m).ok_or_else(bad)?;
    Ok(DigestCommand::Subscribe(Some(when)))
}

fn parse_weekday(word: &str) -> Option<Weekday> {
    let w = word.to_ascii_lowercase();
    let days = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    days.into_iter()
        .find(|(name, _)| w.len() >= 3 && name.starts_with(w.as_str()))
        .map(|(_, d)| d)
}
