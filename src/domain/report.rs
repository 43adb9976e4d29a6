//! What `/makers report` and `makers-bot report` cover: a span as people say it ("last
//! quarter", "2026-04-01 to 2026-06-30"), turned into local days and UTC instants. Quarters
//! and years are a council's financial ones (the year from 1 April; Q1 is April to June),
//! which is what a council's programme reports and funding bids use. Nothing here reads the
//! clock: `now` is an argument.

use chrono::{DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{ParseError, Period, UserError};

/// A span as asked for, before it is placed against a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSpan {
    /// The financial quarter so far (the default).
    ThisQuarter,
    LastQuarter,
    ThisMonth,
    LastMonth,
    /// The financial year so far, from 1 April.
    ThisYear,
    LastYear,
    /// Every day since the first thing recorded.
    Ever,
    /// From a day to today.
    Since(NaiveDate),
    /// Both days included.
    Between(NaiveDate, NaiveDate),
}

impl ReportSpan {
    /// Reads the words after `report`. Case and surrounding spaces do not matter; days are
    /// written as ISO dates (`2026-04-01`), which read the same to everyone.
    pub fn parse(words: &str) -> Result<ReportSpan, ParseError> {
        let lower = words.trim().to_lowercase();
        let squeezed: Vec<&str> = lower.split_whitespace().collect();
        let said = squeezed.join(" ");
        let span = match said.as_str() {
            "" | "quarter" | "this quarter" => ReportSpan::ThisQuarter,
            "last quarter" | "previous quarter" => ReportSpan::LastQuarter,
            "month" | "this month" => ReportSpan::ThisMonth,
            "last month" | "previous month" => ReportSpan::LastMonth,
            "year" | "this year" | "financial year" | "this financial year" => ReportSpan::ThisYear,
            "last year" | "previous year" | "last financial year" => ReportSpan::LastYear,
            "all" | "ever" | "all time" | "everything" => ReportSpan::Ever,
            _ => return dated(&squeezed, words),
        };
        Ok(span)
    }

    /// Where the span falls when asked at `now` in `tz`: whole local days, a span that is
    /// still going cut at `now`; `first_recorded` is where [`ReportSpan::Ever`] starts.
    pub fn place(
        self,
        now: DateTime<Utc>,
        tz: Tz,
        first_recorded: Option<i64>,
    ) -> Result<ReportPeriod, UserError> {
        let today = now.with_timezone(&tz).date_naive();
        let quarter = quarter_start(today);
        let year = year_start(today);
        let month = today.with_day(1).unwrap_or(today);
        let (first, end, kind) = match self {
            ReportSpan::ThisQuarter => (quarter, None, SpanKind::Quarter { so_far: true }),
            ReportSpan::LastQuarter => (
                months_back(quarter, 3),
                Some(quarter),
                SpanKind::Quarter { so_far: false },
            ),
            ReportSpan::ThisMonth => (month, None, SpanKind::Month { so_far: true }),
            ReportSpan::LastMonth => (
                months_back(month, 1),
                Some(month),
                SpanKind::Month { so_far: false },
            ),
            ReportSpan::ThisYear => (year, None, SpanKind::Year { so_far: true }),
            ReportSpan::LastYear => (
                months_back(year, 12),
                Some(year),
                SpanKind::Year { so_far: false },
            ),
            ReportSpan::Ever => {
                let first = first_recorded
                    .and_then(|at| DateTime::from_timestamp(at, 0))
                    .map_or(today, |at| at.with_timezone(&tz).date_naive());
                (first.min(today), None, SpanKind::Ever)
            }
            ReportSpan::Since(from) => (from, None, SpanKind::Days),
            ReportSpan::Between(from, to) => {
                if from > to {
                    return Err(UserError::ReportBackwards {
                        from: from.to_string(),
                        to: to.to_string(),
                    });
                }
                (from, to.succ_opt(), SpanKind::Days)
            }
        };
        if first > today {
            return Err(UserError::ReportInFuture {
                from: first.to_string(),
            });
        }
        let start = midnight(first, tz);
        // A span reaching past today stops at now: nothing is recorded after it.
        let to = match end {
            Some(day) if day <= today => midnight(day, tz),
            _ => now.timestamp(),
        };
        let last = match end {
            Some(day) if day <= today => day.pred_opt().unwrap_or(day),
            _ => today,
        };
        Ok(ReportPeriod {
            period: Period { from: start, to },
            first,
            last,
            kind,
        })
    }
}

/// `2026-04-01 to 2026-06-30` (also `–`, `-` or `until` between), `since 2026-04-01`, or a
/// day alone (that day).
fn dated(words: &[&str], typed: &str) -> Result<ReportSpan, ParseError> {
    let unknown = || ParseError::BadReportSpan {
        got: typed.trim().chars().take(40).collect(),
    };
    let day = |w: &str| NaiveDate::parse_from_str(w, "%Y-%m-%d").map_err(|_| unknown());
    match words {
        ["since" | "from", from] => Ok(ReportSpan::Since(day(from)?)),
        [from, "to" | "until" | "-" | "–" | "—", to] | ["from", from, "to" | "until", to] => {
            Ok(ReportSpan::Between(day(from)?, day(to)?))
        }
        [one] => match one.split_once("..") {
            Some((from, to)) => Ok(ReportSpan::Between(day(from)?, day(to)?)),
            None => {
                let d = day(one)?;
                Ok(ReportSpan::Between(d, d))
            }
        },
        _ => Err(unknown()),
    }
}

/// How a placed span is named back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SpanKind {
    Quarter { so_far: bool },
    Month { so_far: bool },
    Year { so_far: bool },
    Ever,
    Days,
}

/// A span placed: the instants `[from, to)` the figures count, and its first and last local
/// days, as the answer names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub period: Period,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub kind: SpanKind,
}

impl ReportPeriod {
    /// "Q3 of 2026/27": the financial quarter or year a quarter's or year's span is, or
    /// `None` for another span.
    pub fn financial_name(&self) -> Option<String> {
        let year = year_start(self.first).year();
        let years = format!("{year}/{:02}", (year + 1) % 100);
        match self.kind {
            SpanKind::Quarter { .. } => {
                let q = (self.first.month0() + 12 - 3) % 12 / 3 + 1;
                Some(format!("Q{q} of {years}"))
            }
            SpanKind::Year { .. } => Some(years),
            _ => None,
        }
    }
}

/// What a report counts, for one workspace or every one. "In the period" counts what
/// happened in it and still stands (a join since undone, a re-use withdrawn or an update
/// withdrawn is not counted, as the digest does not list them); "now" is at the asking.
/// Numbers only: a private channel's project counts, as in the digest, but is never named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    /// Projects pitched in the period, and the councils leading them (as chosen with the
    /// pitch or set since).
    pub pitched: u32,
    pub pitched_councils: u32,
    /// Projects that moved to a phase other than retired in the period, and of them those
    /// that went live; projects retired in it.
    pub moved_on: u32,
    pub went_live: u32,
    pub retired: u32,
    /// Joins in the period (not the pitcher's own), and the councils of those who joined.
    pub joins: u32,
    pub join_councils: u32,
    /// Status updates posted in the period and not withdrawn.
    pub updates: u32,
    /// Projects put in the public catalogue in the period (and still in it).
    pub published: u32,
    /// Re-uses said in the period of the workspace's projects; the councils saying them; the
    /// projects re-used; those by a council other than the project's lead council.
    pub reuses: u32,
    pub reuse_councils: u32,
    pub reused_projects: u32,
    pub reuses_by_others: u32,
    /// Now: open projects by phase (discovery, alpha, beta, live).
    pub open_by_phase: [u32; 4],
    /// Now: projects in the public catalogue.
    pub in_catalogue: u32,
    /// Now: people in open projects' teams, and the councils they said.
    pub people: u32,
    pub councils: u32,
    /// Now: every standing re-use of the workspace's projects, and the councils saying them.
    pub reuses_standing: u32,
    pub reusing_councils: u32,
    /// The period per council, for the workspace's projects, in no particular order.
    pub by_council: Vec<super::CouncilMoves>,
}

impl ReportFigures {
    /// Nothing happened in the period (the "now" figures aside).
    pub fn is_quiet(&self) -> bool {
        self.pitched == 0
            && self.moved_on == 0
            && self.retired == 0
            && self.joins == 0
            && self.updates == 0
            && self.published == 0
            && self.reuses == 0
    }
}

/// The first day of the financial quarter `day` is in (1 April, 1 July, 1 October, 1
/// January).
fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month0 = day.month0() / 3 * 3;
    NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).unwrap_or(day)
}

/// 1 April of the financial year `day` is in.
fn year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    };
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(day)
}

fn months_back(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap_or(day)
}

/// Local midnight at the start of `day` in `tz`, as unix seconds (where midnight did not
/// happen, the first instant of the day).
fn midnight(day: NaiveDate, tz: Tz) -> i64 {
    let mut at = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        match tz.from_local_datetime(&at) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.timestamp(),
            LocalResult::None => at += Duration::minutes(30),
        }
    }
    at.and_utc().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONDON: Tz = chrono_tz::Europe::London;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn place(span: &str, now: &str) -> ReportPeriod {
        ReportSpan::parse(span)
            .unwrap()
            .place(at(now), LONDON, None)
            .unwrap()
    }

    #[test]
    fn words_name_spans() {
        use ReportSpan::*;
        for (words, span) in [
            ("", ThisQuarter),
            ("  This   Quarter ", ThisQuarter),
            ("last quarter", LastQuarter),
            ("month", ThisMonth),
            ("previous month", LastMonth),
            ("financial year", ThisYear),
            ("last year", LastYear),
            ("all", Ever),
            ("since 2026-04-01", Since(d("2026-04-01"))),
            (
                "2026-04-01 to 2026-06-30",
                Between(d("2026-04-01"), d("2026-06-30")),
            ),
            (
                "from 2026-04-01 until 2026-06-30",
                Between(d("2026-04-01"), d("2026-06-30")),
            ),
            (
                "2026-04-01 – 2026-06-30",
                Between(d("2026-04-01"), d("2026-06-30")),
            ),
            (
                "2026-04-01..2026-06-30",
                Between(d("2026-04-01"), d("2026-06-30")),
            ),
            ("2026-11-05", Between(d("2026-11-05"), d("2026-11-05"))),
        ] {
            assert_eq!(ReportSpan::parse(words), Ok(span), "{words:?}");
        }
    }

    #[test]
    fn words_that_name_no_span_are_refused_as_typed() {
        for words in [
            "next quarter",
            "q3",
            "1 April to 30 June",
            "2026-13-01",
            "2026-02-30 to 2026-03-01",
            "since",
            "2026-04-01 to",
        ] {
            assert_eq!(
                ReportSpan::parse(words),
                Err(ParseError::BadReportSpan {
                    got: words.to_string()
                }),
                "{words:?}"
            );
        }
        let long = "x".repeat(100);
        assert_eq!(
            ReportSpan::parse(&long),
            Err(ParseError::BadReportSpan {
                got: "x".repeat(40)
            })
        );
    }

    #[test]
    fn quarters_and_years_are_financial_ones() {
        // 5 December 2026 is in Q3 (October to December) of 2026/27.
        let p = place("", "2026-12-05T13:00:00Z");
        assert_eq!((p.first, p.last), (d("2026-10-01"), d("2026-12-05")));
        assert_eq!(p.period.to, at("2026-12-05T13:00:00Z").timestamp());
        assert_eq!(p.financial_name().as_deref(), Some("Q3 of 2026/27"));
        let p = place("last quarter", "2026-12-05T13:00:00Z");
        assert_eq!((p.first, p.last), (d("2026-07-01"), d("2026-09-30")));
        assert_eq!(p.financial_name().as_deref(), Some("Q2 of 2026/27"));
        // January to March is Q4 of the year that began the April before.
        let p = place("quarter", "2027-02-10T09:00:00Z");
        assert_eq!(p.first, d("2027-01-01"));
        assert_eq!(p.financial_name().as_deref(), Some("Q4 of 2026/27"));
        let p = place("last quarter", "2027-02-10T09:00:00Z");
        assert_eq!((p.first, p.last), (d("2026-10-01"), d("2026-12-31")));
        let p = place("year", "2027-02-10T09:00:00Z");
        assert_eq!(p.first, d("2026-04-01"));
        assert_eq!(p.financial_name().as_deref(), Some("2026/27"));
        let p = place("last year", "2027-02-10T09:00:00Z");
        assert_eq!((p.first, p.last), (d("2025-04-01"), d("2026-03-31")));
        assert_eq!(p.financial_name().as_deref(), Some("2025/26"));
        let p = place("year", "2099-12-31T09:00:00Z");
        assert_eq!(p.financial_name().as_deref(), Some("2099/00"));
    }

    #[test]
    fn days_start_at_local_midnight_across_the_clock_change() {
        // Q2 starts 1 July, in British Summer Time: 23:00 UTC the day before.
        let p = place("last quarter", "2026-12-05T13:00:00Z");
        assert_eq!(p.period.from, at("2026-06-30T23:00:00Z").timestamp());
        // And ends at midnight on 1 October, still in summer time.
        assert_eq!(p.period.to, at("2026-09-30T23:00:00Z").timestamp());
        // A range's last day is whole: up to the next day's midnight (GMT in November).
        let p = place("2026-11-01 to 2026-11-30", "2026-12-05T13:00:00Z");
        assert_eq!(p.period.from, at("2026-11-01T00:00:00Z").timestamp());
        assert_eq!(p.period.to, at("2026-12-01T00:00:00Z").timestamp());
        // Just after midnight in London on 1 July is already Q2 there, not in UTC.
        let p = place("", "2026-06-30T23:30:00Z");
        assert_eq!(p.first, d("2026-07-01"));
    }

    #[test]
    fn months_and_days() {
        let p = place("last month", "2026-03-31T12:00:00Z");
        assert_eq!((p.first, p.last), (d("2026-02-01"), d("2026-02-28")));
        let p = place("month", "2026-03-01T00:30:00Z");
        assert_eq!((p.first, p.last), (d("2026-03-01"), d("2026-03-01")));
        assert_eq!(p.financial_name(), None);
        let p = place("since 2026-11-20", "2026-12-05T13:00:00Z");
        assert_eq!((p.first, p.last), (d("2026-11-20"), d("2026-12-05")));
        // A range reaching past today stops now, and says today is its last day.
        let p = place("2026-11-01 to 2027-01-31", "2026-12-05T13:00:00Z");
        assert_eq!(p.last, d("2026-12-05"));
        assert_eq!(p.period.to, at("2026-12-05T13:00:00Z").timestamp());
    }

    #[test]
    fn ever_starts_at_the_first_thing_recorded() {
        let now = at("2026-12-05T13:00:00Z");
        let first = at("2025-06-15T10:00:00Z").timestamp();
        let p = ReportSpan::Ever.place(now, LONDON, Some(first)).unwrap();
        assert_eq!(p.first, d("2025-06-15"));
        assert_eq!(p.period.from, at("2025-06-14T23:00:00Z").timestamp());
        // Nothing recorded: today.
        let p = ReportSpan::Ever.place(now, LONDON, None).unwrap();
        assert_eq!(p.first, d("2026-12-05"));
    }

    #[test]
    fn backwards_and_future_spans_are_refused() {
        let now = at("2026-12-05T13:00:00Z");
        let backwards = ReportSpan::parse("2026-06-30 to 2026-04-01").unwrap();
        assert_eq!(
            backwards.place(now, LONDON, None),
            Err(UserError::ReportBackwards {
                from: "2026-06-30".into(),
                to: "2026-04-01".into()
            })
        );
        let future = ReportSpan::parse("since 2027-01-01").unwrap();
        assert_eq!(
            future.place(now, LONDON, None),
            Err(UserError::ReportInFuture {
                from: "2027-01-01".into()
            })
        );
    }
}
