//! When a weekly digest is due: a weekday and a time of day in a time zone, turned into UTC
//! instants that stay right across clock changes. A local time that does not exist (the
//! spring-forward gap) moves on by the gap; one that happens twice (autumn) is the first.
//! Nothing here reads the clock: `now` is an argument.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A weekday and a minute of that day: "Monday 09:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(u8, u16)", into = "(u8, u16)")]
pub struct WeeklyTime {
    pub weekday: Weekday,
    /// Minutes after local midnight, 0..1440.
    pub minute: u16,
}

impl WeeklyTime {
    /// Monday 09:00, the default.
    pub const DEFAULT: WeeklyTime = WeeklyTime {
        weekday: Weekday::Mon,
        minute: 9 * 60,
    };

    pub fn new(weekday: Weekday, minute: u16) -> Option<WeeklyTime> {
        (minute < 24 * 60).then_some(WeeklyTime { weekday, minute })
    }

    /// The most recent due instant at or before `now`.
    pub fn previous_due(&self, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local_today = now.with_timezone(&tz).date_naive();
        let back = (local_today.weekday().num_days_from_monday() + 7
            - self.weekday.num_days_from_monday())
            % 7;
        let mut day = local_today - Duration::days(i64::from(back));
        loop {
            let due = self.instant_on(day, tz);
            if due <= now {
                return due;
            }
            day -= Duration::days(7);
        }
    }

    /// The first due instant strictly after `now`.
    pub fn next_due(&self, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let mut day = self.previous_due(now, tz).with_timezone(&tz).date_naive();
        loop {
            day += Duration::days(7);
            let due = self.instant_on(day, tz);
            if due > now {
                return due;
            }
        }
    }

    fn instant_on(&self, day: NaiveDate, tz: Tz) -> DateTime<Utc> {
        let time =
            NaiveTime::from_hms_opt(u32::from(self.minute / 60), u32::from(self.minute % 60), 0)
                .expect("minute < 1440");
        let mut local = day.and_time(time);
        // In a gap, step forward a minute at a time until the clock exists again.
        for _ in 0..=180 {
            match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
                LocalResult::None => local += Duration::minutes(1),
            }
        }
        // No zone has a three-hour gap; fall back to reading the time as UTC.
        Utc.from_utc_datetime(&day.and_time(time))
    }
}

/// Stored as (ISO weekday 1-7, minute of the day).
impl From<WeeklyTime> for (u8, u16) {
    fn from(w: WeeklyTime) -> (u8, u16) {
        (w.weekday.number_from_monday() as u8, w.minute)
    }
}

impl TryFrom<(u8, u16)> for WeeklyTime {
    type Error = &'static str;
    fn try_from((day, minute): (u8, u16)) -> Result<WeeklyTime, &'static str> {
        let weekday = Weekday::try_from(day.wrapping_sub(1)).map_err(|_| "weekday 1-7")?;
        WeeklyTime::new(weekday, minute).ok_or("minute 0-1439")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::London;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    const MONDAY_9: WeeklyTime = WeeklyTime::DEFAULT;

    #[test]
    fn monday_nine_in_london_follows_the_2026_clock_changes() {
        // GMT before 29 March 2026: 09:00 local is 09:00Z.
        assert_eq!(
            MONDAY_9.next_due(utc("2026-03-20T12:00:00Z"), London),
            utc("2026-03-23T09:00:00Z")
        );
        // BST from 29 March: 09:00 local is 08:00Z, and the week is 167 hours long.
        assert_eq!(
            MONDAY_9.next_due(utc("2026-03-23T09:00:00Z"), London),
            utc("2026-03-30T08:00:00Z")
        );
        // GMT again from 25 October: 169 hours after the last BST Monday.
        assert_eq!(
            MONDAY_9.next_due(utc("2026-10-19T08:00:00Z"), London),
            utc("2026-10-26T09:00:00Z")
        );
    }

    #[test]
    fn previous_due_is_the_latest_not_after_now() {
        assert_eq!(
            MONDAY_9.previous_due(utc("2026-03-30T08:00:00Z"), London),
            utc("2026-03-30T08:00:00Z")
        );
        assert_eq!(
            MONDAY_9.previous_due(utc("2026-03-30T07:59:59Z"), London),
            utc("2026-03-23T09:00:00Z")
        );
        assert_eq!(
            MONDAY_9.previous_due(utc("2026-11-26T12:00:00Z"), London),
            utc("2026-11-23T09:00:00Z")
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_past_it_and_an_autumn_double_is_taken_once() {
        let sunday_0130 = WeeklyTime::new(Weekday::Sun, 90).unwrap();
        // 01:30 on 29 March 2026 does not exist in London: it becomes 02:00 BST = 01:00Z.
        assert_eq!(
            sunday_0130.next_due(utc("2026-03-28T00:00:00Z"), London),
            utc("2026-03-29T01:00:00Z")
        );
        // 01:30 on 25 October 2026 happens twice: the first, 01:30 BST = 00:30Z.
        let due = sunday_0130.next_due(utc("2026-10-24T00:00:00Z"), London);
        assert_eq!(due, utc("2026-10-25T00:30:00Z"));
        assert_eq!(
            sunday_0130.next_due(due, London),
            utc("2026-11-01T01:30:00Z"),
            "not twice"
        );
    }

    #[test]
    fn every_week_of_2026_is_due_once_at_nine_local() {
        // 2026 has 52 Mondays, from 5 January to 28 December.
        let mut at = utc("2026-01-01T00:00:00Z");
        let mut gaps = Vec::new();
        for _ in 0..52 {
            let due = MONDAY_9.next_due(at, London);
            let local = due.with_timezone(&London);
            assert_eq!(
                (local.weekday(), local.format("%H:%M").to_string()),
                (Weekday::Mon, "09:00".into())
            );
            if at > utc("2026-01-05T00:00:00Z") {
                gaps.push((due - at).num_hours());
            }
            at = due;
        }
        assert_eq!(at, utc("2026-12-28T09:00:00Z"), "the last Monday of 2026");
        assert_eq!(MONDAY_9.next_due(at, London), utc("2027-01-04T09:00:00Z"));
        // 51 weeks between them: one short (spring), one long (autumn), the rest 168 hours.
        assert_eq!(gaps.len(), 51);
        assert_eq!(gaps.iter().filter(|&&g| g == 167).count(), 1, "{gaps:?}");
        assert_eq!(gaps.iter().filter(|&&g| g == 169).count(), 1, "{gaps:?}");
        assert_eq!(gaps.iter().filter(|&&g| g == 168).count(), 49, "{gaps:?}");
    }

    #[test]
    fn a_weekly_time_is_a_minute_of_the_day() {
        assert!(WeeklyTime::new(Weekday::Fri, 1439).is_some());
        assert!(WeeklyTime::new(Weekday::Fri, 1440).is_none());
    }
}
