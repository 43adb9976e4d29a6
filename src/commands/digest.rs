//! `digest`, `digest off`, `digest preview` and `digest <day> <HH:MM>`.

use chrono::Weekday;

use super::{DigestCommand, bare_word, clip};
use crate::domain::{ParseError, WeeklyTime};

pub(super) fn parse_digest(rest: &str) -> Result<DigestCommand, ParseError> {
    match bare_word(rest).to_ascii_lowercase().as_str() {
        // `on` and `start`, as `off` and `stop` are said.
        "" | "on" | "start" => return Ok(DigestCommand::Subscribe(None)),
        "off" | "stop" => return Ok(DigestCommand::Off),
        "preview" => return Ok(DigestCommand::Preview),
        _ => {}
    }
    let bad = || ParseError::BadDigestTime { got: clip(rest) };
    // As people say a time in a week: `friday 16:30`, `fridays at 4pm`, `16:30 on Friday`,
    // `weds 9.30 am`: a day and a time, either first, the words between them let go.
    let mut words: Vec<String> = Vec::new();
    for word in rest.split_whitespace() {
        let word = bare_word(word).to_ascii_lowercase();
        match word.as_str() {
            "at" | "on" | "every" | "each" => {}
            "am" | "pm" => match words.last_mut() {
                Some(time) => time.push_str(&word),
                None => return Err(bad()),
            },
            _ => words.push(word),
        }
    }
    let [first, second] = words.as_slice() else {
        return Err(bad());
    };
    let (weekday, minutes) = match (parse_weekday(first), parse_weekday(second)) {
        (Some(day), None) => (day, parse_time(second)),
        (None, Some(day)) => (day, parse_time(first)),
        _ => return Err(bad()),
    };
    let when = minutes
        .and_then(|m| WeeklyTime::new(weekday, m))
        .ok_or_else(bad)?;
    Ok(DigestCommand::Subscribe(Some(when)))
}

/// Minutes after midnight of a time as a clock or a person writes it: `16:30`, `9:00`,
/// `9.30`, `4pm`, `4:30pm`, `12am` (midnight). Digits only (`str::parse` alone would also
/// take `+9` for 9), the minutes always two of them.
fn parse_time(word: &str) -> Option<u16> {
    let (clock, half) = match (word.strip_suffix("am"), word.strip_suffix("pm")) {
        (Some(clock), _) => (clock, Some(0)),
        (_, Some(clock)) => (clock, Some(12)),
        _ => (word, None),
    };
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (h, m) = match clock.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        // An hour alone only with am or pm: `friday 16` is no time anyone writes.
        None if half.is_some() => (clock, "00"),
        None => return None,
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let h = match half {
        Some(add) if (1..=12).contains(&h) => h % 12 + add,
        Some(_) => return None,
        None => h,
    };
    (h <= 23 && m <= 59).then_some(h * 60 + m)
}

/// A day as people write it: `friday`, `Fri`, `thurs`, `weds`, and `fridays` for every one.
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
    if w == "weds" {
        return Some(Weekday::Wed);
    }
    let w = match w.strip_suffix('s') {
        Some(day) if day.ends_with("day") => day,
        _ => w.as_str(),
    };
    days.into_iter()
        .find(|(name, _)| w.len() >= 3 && name.starts_with(w))
        .map(|(_, d)| d)
}
