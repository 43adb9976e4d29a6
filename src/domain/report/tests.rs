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
        .unwrap_or_else(|e| panic!("{span:?}: {e:?}"))
        .place(at(now), LONDON, None)
        .unwrap()
}

/// A day is tallied in the first hour after its local midnight, by the clock of the day:
/// an hour later, or in the day, nothing is.
#[test]
fn a_day_is_tallied_in_the_hour_after_it_ends() {
    let due = |now: &str| day_to_tally(at(now).timestamp(), LONDON).map(|(day, _)| day);
    // London is BST in summer (midnight is 23:00 UTC), GMT in winter; a minute after it,
    // for writes acknowledged just before.
    assert_eq!(due("2026-09-30T23:01:00Z"), Some(d("2026-09-30")));
    assert_eq!(due("2026-09-30T23:59:59Z"), Some(d("2026-09-30")));
    assert_eq!(due("2026-09-30T23:00:59Z"), None);
    assert_eq!(due("2026-10-01T00:00:00Z"), None);
    // Of the instant the day ended.
    let end = day_to_tally(at("2026-12-01T00:30:00Z").timestamp(), LONDON)
        .unwrap()
        .1;
    assert_eq!(end, at("2026-12-01T00:00:00Z").timestamp());
    assert_eq!(due("2026-09-30T22:59:59Z"), None);
    assert_eq!(due("2026-12-01T00:30:00Z"), Some(d("2026-11-30")));
    assert_eq!(due("2026-12-01T12:00:00Z"), None);
    // The night the clocks go back (25 October 2026: 02:00 BST is 01:00 GMT).
    assert_eq!(due("2026-10-24T23:10:00Z"), Some(d("2026-10-24")));
    assert_eq!(due("2026-10-25T00:10:00Z"), None);
}

/// The Home's council report is of the quarter just ended for the first two weeks of the
/// next, by local days.
#[test]
fn the_quarter_just_ended_is_offered_for_two_weeks() {
    let ended = |now: &str| quarter_just_ended(at(now), LONDON);
    assert_eq!(ended("2027-01-04T10:00:00Z"), Some(d("2026-12-31")));
    assert_eq!(ended("2027-01-14T23:59:59Z"), Some(d("2026-12-31")));
    assert_eq!(ended("2027-01-15T00:00:00Z"), None);
    assert_eq!(ended("2026-12-05T10:00:00Z"), None);
    // 23:30 UTC on 30 September is 00:30 on 1 October in London (BST).
    assert_eq!(ended("2026-09-30T23:30:00Z"), Some(d("2026-09-30")));
    assert_eq!(ended("2026-09-30T22:30:00Z"), None);
}

fn days(span: &str, now: &str) -> (NaiveDate, NaiveDate) {
    let p = place(span, now);
    (p.first, p.last)
}

#[test]
fn words_name_periods() {
    use ReportSpan::*;
    for (words, span) in [
        ("", ThisQuarter),
        ("  This   Quarter ", ThisQuarter),
        ("last quarter", LastQuarter),
        ("last quarter.", LastQuarter),
        ("Q2!", Quarter { q: 2, year: None }),
        ("month", ThisMonth),
        ("previous month", LastMonth),
        ("financial year", ThisYear),
        ("the last financial year", LastYear),
        ("all", Ever),
        ("since the first pitch", Ever),
        ("Q2", Quarter { q: 2, year: None }),
        (
            "q3 2026/27",
            Quarter {
                q: 3,
                year: Some(2026),
            },
        ),
        (
            "Q3 of 2026/27",
            Quarter {
                q: 3,
                year: Some(2026),
            },
        ),
        (
            "2026/27 q4",
            Quarter {
                q: 4,
                year: Some(2026),
            },
        ),
        ("2026/27", FinancialYear(2026)),
        ("2026-27", FinancialYear(2026)),
        ("2025/2026", FinancialYear(2025)),
        ("FY 2026/27", FinancialYear(2026)),
        (
            "April",
            Month {
                month: 4,
                year: None,
            },
        ),
        (
            "sept 2026",
            Month {
                month: 9,
                year: Some(2026),
            },
        ),
        (
            "the November 2026",
            Month {
                month: 11,
                year: Some(2026),
            },
        ),
        ("last 30 days", LastDays(30)),
        ("past 4 weeks", LastDays(28)),
        ("since 2026-04-01", Since(d("2026-04-01"))),
        ("from 1 April 2026", Since(d("2026-04-01"))),
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
            "from 2026-04-01..2026-06-30",
            Between(d("2026-04-01"), d("2026-06-30")),
        ),
        (
            "2026-04-01..2026-06-30",
            Between(d("2026-04-01"), d("2026-06-30")),
        ),
        (
            "1 April 2026 to 30th June 2026",
            Between(d("2026-04-01"), d("2026-06-30")),
        ),
        (
            "between 1 apr 2026 and 30 jun 2026",
            Between(d("2026-04-01"), d("2026-06-30")),
        ),
        ("2026-11-05", Between(d("2026-11-05"), d("2026-11-05"))),
        // As the report's heading names its periods ("so far" while one goes on).
        ("the financial year 2026/27", FinancialYear(2026)),
        ("the financial year 2026/27, so far", FinancialYear(2026)),
        (
            "Q3 of 2026/27, so far",
            Quarter {
                q: 3,
                year: Some(2026),
            },
        ),
        (
            "November 2026, so far.",
            Month {
                month: 11,
                year: Some(2026),
            },
        ),
        (
            "1 July to 30 September 2026",
            Between(d("2026-07-01"), d("2026-09-30")),
        ),
        (
            "1 December to 31 January 2027",
            Between(d("2026-12-01"), d("2027-01-31")),
        ),
    ] {
        assert_eq!(ReportSpan::parse(words), Ok(span), "{words:?}");
    }
}

#[test]
fn words_that_name_no_period_are_refused_as_typed() {
    for words in [
        "next quarter",
        "q5",
        "q0 2026/27",
        "2026/28",
        "1 April to 30 June",
        "1 April 2026 to 30 June",
        "2026-13-01",
        "2026-02-30 to 2026-03-01",
        "since",
        "2026-04-01 to",
        "last 0 days",
        "last 99999 days",
        "last 3 fortnights",
        "ma",
        "Waverley",
        "for Waverley",
        "for november 2026",
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
    assert_eq!(
        (p.first, p.last, p.so_far),
        (d("2026-10-01"), d("2026-12-05"), true)
    );
    assert_eq!(p.period.to, at("2026-12-05T13:00:01Z").timestamp());
    assert_eq!(quarter_name(p.first), "Q3 of 2026/27");
    let p = place("last quarter", "2026-12-05T13:00:00Z");
    assert_eq!(
        (p.first, p.last, p.so_far),
        (d("2026-07-01"), d("2026-09-30"), false)
    );
    assert_eq!(quarter_name(p.first), "Q2 of 2026/27");
    // January to March is Q4 of the year that began the April before.
    let p = place("quarter", "2027-02-10T09:00:00Z");
    assert_eq!(p.first, d("2027-01-01"));
    assert_eq!(quarter_name(p.first), "Q4 of 2026/27");
    assert_eq!(
        days("last quarter", "2027-02-10T09:00:00Z"),
        (d("2026-10-01"), d("2026-12-31"))
    );
    assert_eq!(
        days("year", "2027-02-10T09:00:00Z"),
        (d("2026-04-01"), d("2027-02-10"))
    );
    assert_eq!(financial_year_name(d("2027-02-10")), "2026/27");
    assert_eq!(
        days("last year", "2027-02-10T09:00:00Z"),
        (d("2025-04-01"), d("2026-03-31"))
    );
    assert_eq!(financial_year_name(d("2099-12-31")), "2099/00");
}

#[test]
fn a_quarter_or_month_named_alone_is_the_latest_begun() {
    let now = "2026-12-05T13:00:00Z";
    // Q3 is this one, so far; Q2 the last; Q4 (January to March) has not begun: 2025/26's.
    assert_eq!(days("q3", now), (d("2026-10-01"), d("2026-12-05")));
    assert!(place("q3", now).so_far);
    assert_eq!(days("q2", now), (d("2026-07-01"), d("2026-09-30")));
    assert_eq!(days("q4", now), (d("2026-01-01"), d("2026-03-31")));
    assert_eq!(quarter_name(d("2026-01-01")), "Q4 of 2025/26");
    assert_eq!(days("q1 2025/26", now), (d("2025-04-01"), d("2025-06-30")));
    // April is this year's; a December not yet over is this one so far.
    assert_eq!(days("april", now), (d("2026-04-01"), d("2026-04-30")));
    assert_eq!(days("december", now), (d("2026-12-01"), d("2026-12-05")));
    assert_eq!(
        days("february 2024", now),
        (d("2024-02-01"), d("2024-02-29"))
    );
    assert_eq!(days("2025/26", now), (d("2025-04-01"), d("2026-03-31")));
    assert_eq!(days("2026/27", now), (d("2026-04-01"), d("2026-12-05")));
    assert_eq!(
        days("last 30 days", now),
        (d("2026-11-06"), d("2026-12-05"))
    );
    assert_eq!(days("last 1 day", now), (d("2026-12-05"), d("2026-12-05")));
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
    assert_eq!(
        days("last month", "2026-03-31T12:00:00Z"),
        (d("2026-02-01"), d("2026-02-28"))
    );
    let p = place("month", "2026-03-01T00:30:00Z");
    assert_eq!(
        (p.first, p.last, p.kind),
        (d("2026-03-01"), d("2026-03-01"), SpanKind::Month)
    );
    assert_eq!(
        days("since 2026-11-20", "2026-12-05T13:00:00Z"),
        (d("2026-11-20"), d("2026-12-05"))
    );
    // A range reaching past today stops now, and says today is its last day.
    let p = place("2026-11-01 to 2027-01-31", "2026-12-05T13:00:00Z");
    assert_eq!((p.last, p.so_far), (d("2026-12-05"), true));
    assert_eq!(p.period.to, at("2026-12-05T13:00:01Z").timestamp());
    // Typed the wrong way round: the same days.
    assert_eq!(
        days("2026-06-30 to 2026-04-01", "2026-12-05T13:00:00Z"),
        (d("2026-04-01"), d("2026-06-30"))
    );
}

#[test]
fn ever_starts_at_the_first_pitch() {
    let now = at("2026-12-05T13:00:00Z");
    assert!(ReportSpan::Ever.needs_first_pitch());
    assert!(!ReportSpan::ThisQuarter.needs_first_pitch());
    let first = at("2025-06-15T10:00:00Z").timestamp();
    let p = ReportSpan::Ever.place(now, LONDON, Some(first)).unwrap();
    assert_eq!((p.first, p.kind), (d("2025-06-15"), SpanKind::Ever));
    assert_eq!(p.period.from, at("2025-06-14T23:00:00Z").timestamp());
    // Nothing pitched, or pitched "after" now (a clock put back): today.
    let p = ReportSpan::Ever.place(now, LONDON, None).unwrap();
    assert_eq!(p.first, d("2026-12-05"));
    let later = at("2027-06-15T10:00:00Z").timestamp();
    let p = ReportSpan::Ever.place(now, LONDON, Some(later)).unwrap();
    assert_eq!(p.first, d("2026-12-05"));
}

#[test]
fn periods_not_begun_are_refused() {
    let now = at("2026-12-05T13:00:00Z");
    for words in [
        "since 2027-01-01",
        "2027/28",
        "q1 2027/28",
        "january 2027",
        "2026-12-06",
    ] {
        let span = ReportSpan::parse(words).unwrap();
        assert!(
            matches!(
                span.place(now, LONDON, None),
                Err(UserError::ReportInFuture { .. })
            ),
            "{words}"
        );
    }
    assert_eq!(
        ReportSpan::parse("since 2027-01-01")
            .unwrap()
            .place(now, LONDON, None),
        Err(UserError::ReportInFuture {
            from: "2027-01-01".into()
        })
    );
}

#[test]
fn far_years_are_refused_or_placed_without_panicking() {
    for words in [
        "since -262143-01-01",
        "+262142-12-31 to 2026-01-01",
        "0001-01-01",
        "last 3661 days",
        "last 523 weeks",
        "q4 9999/00",
    ] {
        assert!(ReportSpan::parse(words).is_err(), "{words}");
    }
    let now = at("2026-12-05T13:00:00Z");
    let tokyo: Tz = chrono_tz::Asia::Tokyo;
    for words in [
        "since 1970-01-01",
        "1970-01-01",
        "last 3660 days",
        "last 522 weeks",
        "q4 9998/99",
        "9998/99",
        "december 9999",
        "9999-12-31",
    ] {
        let span = ReportSpan::parse(words).unwrap_or_else(|e| panic!("{words}: {e:?}"));
        for tz in [LONDON, tokyo] {
            match span.place(now, tz, None) {
                Ok(p) => assert!(p.first <= p.last && p.period.from < p.period.to, "{words}"),
                Err(e) => assert!(matches!(e, UserError::ReportInFuture { .. }), "{words}"),
            }
        }
    }
}

#[test]
fn a_quarter_ends_at_london_midnight_within_a_digests_week() {
    let week = |from: &str, to: &str| Period {
        from: at(from).timestamp(),
        to: at(to).timestamp(),
    };
    // Q2 ends at midnight on 1 October in London (23:00 UTC the day before).
    assert_eq!(
        quarter_ended_in(week("2026-09-28T08:00:00Z", "2026-10-05T08:00:00Z"), LONDON),
        Some(d("2026-07-01"))
    );
    assert_eq!(
        quarter_ended_in(week("2026-09-28T08:00:00Z", "2026-09-30T23:00:00Z"), LONDON),
        Some(d("2026-07-01"))
    );
    assert_eq!(
        quarter_ended_in(week("2026-09-28T08:00:00Z", "2026-09-30T22:59:59Z"), LONDON),
        None
    );
    assert_eq!(
        quarter_ended_in(week("2026-09-30T23:00:00Z", "2026-10-07T08:00:00Z"), LONDON),
        None
    );
    // Q3 ends with the calendar year; a month-long outage's period names the latest.
    assert_eq!(
        quarter_ended_in(week("2026-12-28T09:00:00Z", "2027-01-04T09:00:00Z"), LONDON),
        Some(d("2026-10-01"))
    );
    assert_eq!(
        quarter_ended_in(week("2026-06-01T09:00:00Z", "2027-01-04T09:00:00Z"), LONDON),
        Some(d("2026-10-01"))
    );
    assert_eq!(
        quarter_ended_in(week("2026-11-02T09:00:00Z", "2026-11-09T09:00:00Z"), LONDON),
        None
    );
}

/// The period before and its `[from, to)`, for a period asked at `now`.
fn before(span: &str, now: &str) -> Option<(NaiveDate, NaiveDate, i64, i64)> {
    let b = place(span, now).before(LONDON)?;
    assert!(!b.so_far, "{span}: the period before is over");
    Some((b.first, b.last, b.period.from, b.period.to))
}

#[test]
fn the_period_before_is_the_last_of_the_same_kind() {
    let now = "2026-12-05T13:00:00Z";
    // A whole quarter, month or year: the whole one before, ending where this one starts.
    assert_eq!(
        before("Q2", now),
        Some((
            d("2026-04-01"),
            d("2026-06-30"),
            at("2026-03-31T23:00:00Z").timestamp(),
            at("2026-06-30T23:00:00Z").timestamp(),
        ))
    );
    let (first, last, ..) = before("last month", now).unwrap();
    assert_eq!((first, last), (d("2026-10-01"), d("2026-10-31")));
    let (first, last, ..) = before("Q1", now).unwrap();
    assert_eq!((first, last), (d("2026-01-01"), d("2026-03-31")));
    let (first, last, ..) = before("2025/26", now).unwrap();
    assert_eq!((first, last), (d("2024-04-01"), d("2025-03-31")));
    // A month of 31 days after one of 28: the whole month before still.
    let (first, last, ..) = before("march 2026", now).unwrap();
    assert_eq!((first, last), (d("2026-02-01"), d("2026-02-28")));
    // Days as typed: as many days just before, both whole.
    let (first, last, from, to) = before("2026-11-01 to 2026-11-30", now).unwrap();
    assert_eq!((first, last), (d("2026-10-02"), d("2026-10-31")));
    assert_eq!(from, at("2026-10-01T23:00:00Z").timestamp());
    assert_eq!(to, at("2026-11-01T00:00:00Z").timestamp());
    let (first, last, ..) = before("2026-11-30", now).unwrap();
    assert_eq!((first, last), (d("2026-11-29"), d("2026-11-29")));
    // Everything since the first pitch has nothing before it.
    assert_eq!(before("all", now), None);
    // The earliest years that can be typed: a period before them, not a panic.
    let (first, ..) = before("since 1970-01-01", now).unwrap();
    assert!(first.year() < 1970);
    assert!(before("1970/71", now).is_some());
}

#[test]
fn a_period_still_going_is_set_against_as_far_into_the_one_before_in_whole_days() {
    // 5 December: to the end of 5 September (in summer time), as the days named say.
    let now = "2026-12-05T13:00:00Z";
    assert_eq!(
        before("", now),
        Some((
            d("2026-07-01"),
            d("2026-09-05"),
            at("2026-06-30T23:00:00Z").timestamp(),
            at("2026-09-05T23:00:00Z").timestamp(),
        ))
    );
    let (first, last, ..) = before("month", now).unwrap();
    assert_eq!((first, last), (d("2026-11-01"), d("2026-11-05")));
    let (first, last, ..) = before("year", now).unwrap();
    assert_eq!((first, last), (d("2025-04-01"), d("2025-12-05")));
    // The last 30 days (today among them): the 30 whole days before them, up to where
    // they start.
    let p = place("last 30 days", now);
    let (first, last, from, to) = before("last 30 days", now).unwrap();
    assert_eq!((first, last), (d("2026-10-07"), d("2026-11-05")));
    assert_eq!(from, at("2026-10-06T23:00:00Z").timestamp());
    assert_eq!(to, p.period.from);
    // Today alone: yesterday.
    let (first, last, _, to) = before("2026-12-05", now).unwrap();
    assert_eq!((first, last), (d("2026-12-04"), d("2026-12-04")));
    assert_eq!(to, at("2026-12-05T00:00:00Z").timestamp());
    // On the last day of a long month, the month before ends on its own last day.
    let (first, last, ..) = before("month", "2026-12-31T12:00:00Z").unwrap();
    assert_eq!((first, last), (d("2026-11-01"), d("2026-11-30")));
}

#[test]
fn a_period_is_asked_again_in_the_words_it_gives() {
    use ReportSpan::*;
    for span in [
        ThisQuarter,
        LastQuarter,
        Quarter { q: 2, year: None },
        Quarter {
            q: 4,
            year: Some(1999),
        },
        ThisMonth,
        LastMonth,
        Month {
            month: 9,
            year: None,
        },
        Month {
            month: 1,
            year: Some(2027),
        },
        ThisYear,
        LastYear,
        FinancialYear(2026),
        FinancialYear(2099),
        LastDays(30),
        LastDays(MAX_DAYS),
        Ever,
        Since(d("2026-04-01")),
        Between(d("2026-04-01"), d("2026-06-30")),
        Between(d("2026-10-05"), d("2026-10-05")),
    ] {
        let words = span.words();
        assert_eq!(ReportSpan::parse(&words), Ok(span), "{words:?}");
    }
}

#[test]
fn a_period_pinned_is_the_same_days_asked_again_later() {
    let asked = "2027-03-31T22:30:00Z"; // 22:30 on 31 March in London: Q4's last day
    let later = "2027-04-01T08:00:00Z"; // the next morning, in a new quarter and year
    for span in [
        "last quarter",
        "",
        "Q2",
        "month",
        "last month",
        "April",
        "year",
        "last year",
        "2025/26",
        "last 30 days",
        "since 2027-01-01",
        "2027-01-01 to 2027-02-01",
        "2027-03-31",
    ] {
        let then = place(span, asked);
        let pinned = then.pinned();
        let again = pinned
            .place(at(later), LONDON, None)
            .unwrap_or_else(|e| panic!("{span:?}: {e:?}"));
        assert_eq!(
            (again.first, again.kind),
            (then.first, then.kind),
            "{span:?}"
        );
        // Whole, the same days; a quarter, month or year still going then, on to the
        // second asked again; typed days, the same days, whole.
        match (then.so_far, then.kind) {
            (false, _) => assert_eq!(again.period, then.period, "{span:?}"),
            (true, SpanKind::Days) => assert_eq!(
                (again.last, again.period.from, again.so_far),
                (then.last, then.period.from, false),
                "{span:?}"
            ),
            (true, _) => assert!(again.last >= then.last, "{span:?}"),
        }
        // And its words ask for it as it is.
        assert_eq!(ReportSpan::parse(&pinned.words()), Ok(pinned), "{span:?}");
    }
    // `all` stays everything.
    assert_eq!(place("all", asked).pinned(), ReportSpan::Ever);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// A day in the years people can type.
    fn day() -> impl Strategy<Value = NaiveDate> {
        (1970i32..=9998, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    /// Any period that can be asked for.
    fn span() -> impl Strategy<Value = ReportSpan> {
        use ReportSpan::*;
        prop_oneof![
            Just(ThisQuarter),
            Just(LastQuarter),
            (1u32..=4, prop::option::of(1970i32..=9998)).prop_map(|(q, year)| Quarter { q, year }),
            Just(ThisMonth),
            Just(LastMonth),
            (1u32..=12, prop::option::of(1970i32..=9999))
                .prop_map(|(month, year)| Month { month, year }),
            Just(ThisYear),
            Just(LastYear),
            (1970i32..=9998).prop_map(FinancialYear),
            (1u32..=MAX_DAYS).prop_map(LastDays),
            Just(Ever),
            day().prop_map(Since),
            (day(), day()).prop_map(|(a, b)| Between(a.min(b), b.max(a))),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        /// Every period is asked for again by its words, as a copy button does.
        #[test]
        fn a_periods_words_read_back_as_it(span in span()) {
            let words = span.words();
            prop_assert_eq!(ReportSpan::parse(&words), Ok(span), "{:?}", words);
        }

        /// Placed at any moment, a period, the one before it and it pinned never panic, and
        /// pinned it is placed at the same first day.
        #[test]
        fn placing_any_period_at_any_time_holds(span in span(), secs in 0i64..253_402_300_000) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            if let Ok(placed) = span.place(now, LONDON, Some(0)) {
                let _ = placed.before(LONDON);
                let again = placed.pinned().place(now, LONDON, Some(0));
                prop_assert_eq!(again.map(|p| p.first), Ok(placed.first));
            }
        }

        /// Within the years that can be typed (a copy asked in 1970's first quarter would
        /// name 1969/70, and one of the last 3,660 days asked before 1981 would begin before
        /// 1970), a pinned period's words read back as it.
        #[test]
        fn a_pinned_periods_words_read_back(span in span(), secs in 347_155_200i64..253_370_000_000) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            if let Ok(placed) = span.place(now, LONDON, Some(31_536_000)) {
                let pinned = placed.pinned();
                prop_assert_eq!(ReportSpan::parse(&pinned.words()), Ok(pinned));
            }
        }
    }
}

/// One day is said as one: "last 1 day", which reads back as the same span.
#[test]
fn the_last_day_alone_is_said_in_the_singular() {
    assert_eq!(ReportSpan::LastDays(1).words(), "last 1 day");
    assert_eq!(ReportSpan::LastDays(2).words(), "last 2 days");
    assert_eq!(ReportSpan::parse("last 1 day"), Ok(ReportSpan::LastDays(1)));
}

/// A first day without its year is in the last's year, or the one before where it comes
/// after the last; 29 February, not in every year, is in the one before where the last's
/// has none.
#[test]
fn a_leap_day_without_its_year_is_in_the_year_that_has_one() {
    assert_eq!(
        ReportSpan::parse("29 February to 15 January 2029"),
        Ok(ReportSpan::Between(d("2028-02-29"), d("2029-01-15")))
    );
    assert_eq!(
        ReportSpan::parse("29 February to 15 March 2028"),
        Ok(ReportSpan::Between(d("2028-02-29"), d("2028-03-15")))
    );
    // Not where that makes more than a year: a slip for a few days, refused, not answered
    // with thirteen months.
    assert!(ReportSpan::parse("29 February to 1 March 2029").is_err());
    assert_eq!(
        ReportSpan::parse("29 February to 28 February 2029"),
        Ok(ReportSpan::Between(d("2028-02-29"), d("2029-02-28")))
    );
}
