//! What `/makers report` and `makers-bot report` cover: a period as people say it ("last
//! quarter", "Q2", "April", "2026/27", "last 30 days", "2026-04-01 to 2026-06-30"), placed as
//! local days and UTC instants. Quarters and years are a council's financial ones (the year
//! from 1 April; Q1 is April to June), which is what a council's programme returns and
//! funding bids use. Nothing here reads the clock: `now` is an argument.

use chrono::{DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{
    CouncilMoves, GiveAndTake, Makeup, ParseError, Period, Phase, ProjectNumber, TeamId, Title,
    UserError,
};

/// The longest "last N days" taken: ten years.
const MAX_DAYS: u32 = 3_660;

/// A period as asked for, before it is placed against a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSpan {
    /// The financial quarter so far (the default).
    ThisQuarter,
    LastQuarter,
    /// `Q2`: quarter 1 to 4 of the financial year starting in April of `year`, or, without
    /// one, the latest Q2 that has begun.
    Quarter {
        q: u32,
        year: Option<i32>,
    },
    ThisMonth,
    LastMonth,
    /// `April`, `April 2026`: without a year, the latest April that has begun.
    Month {
        month: u32,
        year: Option<i32>,
    },
    /// The financial year so far, from 1 April.
    ThisYear,
    LastYear,
    /// `2026/27`: the financial year starting 1 April of that year.
    FinancialYear(i32),
    /// `last 30 days`: that many days, today the last of them.
    LastDays(u32),
    /// Every day since the first project was pitched.
    Ever,
    /// From a day to today.
    Since(NaiveDate),
    /// Both days included (in either order as typed).
    Between(NaiveDate, NaiveDate),
}

impl ReportSpan {
    /// Reads the words after `report`. Case and spaces do not matter; days are ISO
    /// (`2026-04-01`) or written out with their year (`1 April 2026`).
    pub fn parse(words: &str) -> Result<ReportSpan, ParseError> {
        let said = words.split_whitespace().collect::<Vec<_>>().join(" ");
        // As a sentence ends in a chat ("@Makers report last quarter."); a date's dots are
        // inside it.
        let said = said
            .trim_end_matches(['.', ',', '!', ':', ';'])
            .to_lowercase();
        let said = said.strip_prefix("the ").unwrap_or(&said);
        // The heading names a period still going on "Q3 of 2026/27, so far": typed back, it
        // is that period (which runs to now while it goes on).
        let said = said
            .strip_suffix("so far")
            .map_or(said, |named| named.trim_end_matches([',', ' ']));
        let unknown = || ParseError::BadReportSpan {
            got: words.trim().chars().take(40).collect(),
        };
        let span = match said {
            "" | "quarter" | "this quarter" => ReportSpan::ThisQuarter,
            "last quarter" | "previous quarter" => ReportSpan::LastQuarter,
            "month" | "this month" => ReportSpan::ThisMonth,
            "last month" | "previous month" => ReportSpan::LastMonth,
            "year" | "this year" | "financial year" | "this financial year" => ReportSpan::ThisYear,
            "last year" | "previous year" | "last financial year" => ReportSpan::LastYear,
            // And as the report's heading names it, to be typed back as the others are.
            "all"
            | "ever"
            | "all time"
            | "everything"
            | "since the first pitch"
            | "since first pitch" => ReportSpan::Ever,
            _ => return named(said).or_else(|| dated(said)).ok_or_else(unknown),
        };
        Ok(span)
    }

    /// The words that ask for it again (`ReportSpan::parse` reads them back as it): how a
    /// report asked once is asked again, by a button, later.
    pub fn words(&self) -> String {
        let month_name = |m: u32| {
            NaiveDate::from_ymd_opt(2000, m, 1)
                .map_or_else(String::new, |d| d.format("%B").to_string())
        };
        let fy = |year: i32| format!("{year}/{:02}", (year + 1).rem_euclid(100));
        match *self {
            ReportSpan::ThisQuarter => "this quarter".into(),
            ReportSpan::LastQuarter => "last quarter".into(),
            ReportSpan::Quarter { q, year: None } => format!("Q{q}"),
            ReportSpan::Quarter { q, year: Some(y) } => format!("Q{q} {}", fy(y)),
            ReportSpan::ThisMonth => "this month".into(),
            ReportSpan::LastMonth => "last month".into(),
            ReportSpan::Month { month, year: None } => month_name(month),
            ReportSpan::Month {
                month,
                year: Some(y),
            } => format!("{} {y}", month_name(month)),
            ReportSpan::ThisYear => "this year".into(),
            ReportSpan::LastYear => "last year".into(),
            ReportSpan::FinancialYear(y) => fy(y),
            ReportSpan::LastDays(1) => "last 1 day".into(),
            ReportSpan::LastDays(n) => format!("last {n} days"),
            ReportSpan::Ever => "all".into(),
            ReportSpan::Since(day) => format!("since {day}"),
            ReportSpan::Between(a, b) if a == b => a.to_string(),
            ReportSpan::Between(a, b) => format!("{a} to {b}"),
        }
    }

    /// Whether placing it needs the day the first project was pitched.
    pub fn needs_first_pitch(&self) -> bool {
        *self == ReportSpan::Ever
    }

    /// Where the period falls when asked at `now` in `tz`: whole local days, a period still
    /// going ending with `now`; `first_pitch` is where [`ReportSpan::Ever`] starts.
    pub fn place(
        self,
        now: DateTime<Utc>,
        tz: Tz,
        first_pitch: Option<i64>,
    ) -> Result<ReportPeriod, UserError> {
        let today = now.with_timezone(&tz).date_naive();
        let this_quarter = quarter_start(today);
        let this_month = today.with_day(1).unwrap_or(today);
        let this_year = year_start(today);
        let (first, end, kind) = match self {
            ReportSpan::ThisQuarter => (this_quarter, None, SpanKind::Quarter),
            ReportSpan::LastQuarter => {
                (back(this_quarter, 3), Some(this_quarter), SpanKind::Quarter)
            }
            ReportSpan::Quarter { q, year } => {
                let first = match year {
                    Some(year) => ahead(april(year), 3 * (q - 1)),
                    // The latest one that has begun.
                    None => {
                        let this = ahead(this_year, 3 * (q - 1));
                        if this > today { back(this, 12) } else { this }
                    }
                };
                (first, Some(ahead(first, 3)), SpanKind::Quarter)
            }
            ReportSpan::ThisMonth => (this_month, None, SpanKind::Month),
            ReportSpan::LastMonth => (back(this_month, 1), Some(this_month), SpanKind::Month),
            ReportSpan::Month { month, year } => {
                let mut first = NaiveDate::from_ymd_opt(year.unwrap_or(today.year()), month, 1)
                    .unwrap_or(this_month);
                if first > today && year.is_none() {
                    first = back(first, 12);
                }
                (first, Some(ahead(first, 1)), SpanKind::Month)
            }
            ReportSpan::ThisYear => (this_year, None, SpanKind::Year),
            ReportSpan::LastYear => (back(this_year, 12), Some(this_year), SpanKind::Year),
            ReportSpan::FinancialYear(year) => {
                let first = april(year);
                (first, Some(ahead(first, 12)), SpanKind::Year)
            }
            ReportSpan::LastDays(n) => {
                let first = today - Duration::days(i64::from(n.clamp(1, MAX_DAYS)) - 1);
                (first, None, SpanKind::Days)
            }
            ReportSpan::Ever => {
                let first = first_pitch
                    .and_then(|at| DateTime::from_timestamp(at, 0))
                    .map_or(today, |at| at.with_timezone(&tz).date_naive());
                (first.min(today), None, SpanKind::Ever)
            }
            ReportSpan::Since(from) => (from, None, SpanKind::Days),
            ReportSpan::Between(a, b) => (a.min(b), b.max(a).succ_opt(), SpanKind::Days),
        };
        if first > today {
            return Err(UserError::ReportInFuture {
                from: first.to_string(),
            });
        }
        // A period reaching past today stops with now: nothing is recorded after it. The
        // second now is in counts whole, as a digest preview does (`to` is exclusive).
        Ok(match end {
            Some(day) if day <= today => ReportPeriod {
                period: Period {
                    from: midnight(first, tz),
                    to: midnight(day, tz),
                },
                first,
                last: day.pred_opt().unwrap_or(day),
                kind,
                so_far: false,
                today,
            },
            _ => ReportPeriod {
                period: Period {
                    from: midnight(first, tz),
                    to: now.timestamp() + 1,
                },
                first,
                last: today,
                kind,
                so_far: true,
                today,
            },
        })
    }
}

/// The periods named by what they are: `Q2`, `Q2 2026/27`, `Q2 of 2026/27`, `2026/27`,
/// `2026-27`, `April`, `April 2026`, `last 30 days`, `last 4 weeks`.
fn named(said: &str) -> Option<ReportSpan> {
    // "the financial year 2026/27", as the report names one.
    if let Some(year) = said.strip_prefix("financial year ") {
        return financial_year(year).map(ReportSpan::FinancialYear);
    }
    let words: Vec<&str> = said.split(' ').filter(|w| *w != "of").collect();
    match words.as_slice() {
        [q] => quarter(q)
            .map(|q| ReportSpan::Quarter { q, year: None })
            .or_else(|| financial_year(q).map(ReportSpan::FinancialYear))
            .or_else(|| month(q).map(|month| ReportSpan::Month { month, year: None })),
        [a, b] => {
            if let (Some(q), Some(year)) = (quarter(a), financial_year(b)) {
                return Some(ReportSpan::Quarter {
                    q,
                    year: Some(year),
                });
            }
            if let (Some(year), Some(q)) = (financial_year(a), quarter(b)) {
                return Some(ReportSpan::Quarter {
                    q,
                    year: Some(year),
                });
            }
            if *a == "fy" {
                return financial_year(b).map(ReportSpan::FinancialYear);
            }
            let year = b
                .parse::<i32>()
                .ok()
                .filter(|y| (1970..=9999).contains(y))?;
            month(a).map(|month| ReportSpan::Month {
                month,
                year: Some(year),
            })
        }
        ["last" | "past", n, unit] => {
            let n: u32 = n.parse().ok().filter(|n| (1..=MAX_DAYS).contains(n))?;
            let days = match *unit {
                "day" | "days" => n,
                "week" | "weeks" => n.checked_mul(7)?,
                _ => return None,
            };
            (days <= MAX_DAYS).then_some(ReportSpan::LastDays(days))
        }
        _ => None,
    }
}

/// `q2`: 2.
fn quarter(word: &str) -> Option<u32> {
    let q: u32 = word.strip_prefix('q')?.parse().ok()?;
    (1..=4).contains(&q).then_some(q)
}

/// `2026/27`, `2026-27`, `2026/2027`: 2026, the year its 1 April falls in.
fn financial_year(word: &str) -> Option<i32> {
    let (first, second) = word.split_once(['/', '-'])?;
    let year: i32 = first.parse().ok().filter(|y| (1970..=9998).contains(y))?;
    let next: i32 = second.parse().ok()?;
    let fits = match second.len() {
        2 => next == (year + 1) % 100,
        4 => next == year + 1,
        _ => false,
    };
    fits.then_some(year)
}

/// `april`, `apr`, `sept`: 4, 4, 9.
fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep" } else { word };
    let at = NAMES
        .iter()
        .position(|name| *name == word || (word.len() == 3 && name.starts_with(word)))?;
    Some(at as u32 + 1)
}

/// `since D`, `from D`, `D to D` (`until`, `-`, `–`, `—`, `..` between; `from D to D`,
/// `between D and D`), or a day alone (that day).
fn dated(said: &str) -> Option<ReportSpan> {
    if let Some(from) = said
        .strip_prefix("since ")
        .or_else(|| said.strip_prefix("from ").filter(|rest| !has_end(rest)))
    {
        return day(from).map(ReportSpan::Since);
    }
    let said = said
        .strip_prefix("from ")
        .or_else(|| said.strip_prefix("between "))
        .unwrap_or(said);
    for separator in UNTIL.iter().chain([&" and "]) {
        if let Some((from, to)) = said.split_once(separator) {
            let to = day(to)?;
            // "1 October to 5 December 2026", as the report's heading writes a period within
            // one year: the first day's year is the last's, or the one before if it comes
            // after it ("1 December to 31 January 2027"), or where the last's year has no
            // such day (29 February), so long as that makes less than a year: "29 February
            // to 1 March 2029" is no period of a year and more, but a slip, refused.
            let from = day(from).or_else(|| {
                let in_year = |year: i32| day(&format!("{from} {year}"));
                match in_year(to.year()) {
                    Some(this) if this <= to => Some(this),
                    _ => in_year(to.year() - 1).filter(|from| (to - *from).num_days() <= 365),
                }
            })?;
            return Some(ReportSpan::Between(from, to));
        }
    }
    day(said).map(|d| ReportSpan::Between(d, d))
}

/// What goes between a range's first and last days (and ` and ` after `between`).
const UNTIL: [&str; 6] = [" to ", " until ", " - ", " – ", " — ", ".."];

/// Whether a `from …` goes on to say where it ends.
fn has_end(rest: &str) -> bool {
    UNTIL.iter().any(|separator| rest.contains(separator))
}

/// `2026-04-01`, `1 april 2026`, `1 apr 2026`, `1st april 2026`.
fn day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // Years as people write them: chrono reads a sign and six digits too.
    let sensible = |d: &NaiveDate| (1970..=9999).contains(&d.year());
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d).filter(sensible);
    }
    let words: Vec<&str> = text.split(' ').collect();
    let [d, m, y] = words.as_slice() else {
        return None;
    };
    let d = d.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let year = y
        .parse::<i32>()
        .ok()
        .filter(|y| (1970..=9999).contains(y))?;
    NaiveDate::from_ymd_opt(year, month(m)?, d.parse().ok()?)
}

/// How a placed period is named back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// A financial quarter.
    Quarter,
    /// A calendar month.
    Month,
    /// A financial year.
    Year,
    /// Since the first pitch.
    Ever,
    /// Days as typed, or the last N days.
    Days,
}

/// A period placed: the instants `[from, to)` the figures count, its first and last local
/// days as the answer names them, and whether it is still going (today its last day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    pub period: Period,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub kind: SpanKind,
    pub so_far: bool,
    /// The day it was asked, where things stand "today".
    pub today: NaiveDate,
}

impl ReportPeriod {
    /// The period as asked for again later, pinned to its own days: `last quarter` asked in
    /// March is Q3 of that year still when asked again in April; a quarter, month or year
    /// still going goes on to the second asked (`this quarter` to `Q3 2026/27`); days are
    /// the same days (`last 30 days` to `2026-11-06 to 2026-12-05`). A report's *Send me a
    /// copy* asks this.
    pub fn pinned(&self) -> ReportSpan {
        pinned(self.kind, self.first, self.last)
    }

    /// The period before, to set the figures against, in whole days as its name says: the
    /// quarter, month or financial year before (one still going, as far into it as today
    /// is into this one, by the calendar: 5 December's is to 5 September, today's whole
    /// day), or as many days just before days as typed. `None` for everything since the
    /// first pitch, which has nothing before it. `tz` is the one this was placed with.
    pub fn before(&self, tz: Tz) -> Option<ReportPeriod> {
        let months = |n: u32| -> Option<(NaiveDate, NaiveDate)> {
            let back = |day: NaiveDate| day.checked_sub_months(Months::new(n));
            match self.so_far {
                true => Some((back(self.first)?, back(self.today)?)),
                false => Some((back(self.first)?, self.first.pred_opt()?)),
            }
        };
        let (first, last) = match self.kind {
            SpanKind::Quarter => months(3)?,
            SpanKind::Month => months(1)?,
            SpanKind::Year => months(12)?,
            // Up to the first day: today's part, if this includes it, set against a whole day.
            SpanKind::Days => {
                let days = Duration::days((self.last - self.first).num_days() + 1);
                (self.first.checked_sub_signed(days)?, self.first.pred_opt()?)
            }
            SpanKind::Ever => return None,
        };
        Some(ReportPeriod {
            period: Period {
                from: midnight(first, tz),
                to: midnight(last.succ_opt()?, tz),
            },
            first,
            last,
            kind: self.kind,
            so_far: false,
            today: self.today,
        })
    }
}

/// A period of `kind` from `first` to `last`, pinned to its own days (see
/// `ReportPeriod::pinned`).
pub fn pinned(kind: SpanKind, first: NaiveDate, last: NaiveDate) -> ReportSpan {
    match kind {
        SpanKind::Quarter => ReportSpan::Quarter {
            q: (first.month0() + 12 - 3) % 12 / 3 + 1,
            year: Some(year_start(first).year()),
        },
        SpanKind::Month => ReportSpan::Month {
            month: first.month(),
            year: Some(first.year()),
        },
        SpanKind::Year => ReportSpan::FinancialYear(year_start(first).year()),
        SpanKind::Ever => ReportSpan::Ever,
        // The same days, as many as were asked: `last 30 days` pressed a week later is the
        // same 30, and compared with the same 30 before (its last, today then, whole).
        SpanKind::Days => ReportSpan::Between(first, last),
    }
}

/// "Q3 of 2026/27": the financial quarter `day` is in.
pub fn quarter_name(day: NaiveDate) -> String {
    let q = (day.month0() + 12 - 3) % 12 / 3 + 1;
    format!("Q{q} of {}", financial_year_name(day))
}

/// How many days into a quarter a council's report on the Home is still of the quarter
/// just ended: its lead briefs managers on a quarter in the weeks after it ends, when the
/// new one has hardly begun.
pub const LAST_QUARTER_FOR_DAYS: i64 = 14;

/// The last day of the financial quarter just ended, if `now` is in the first
/// `LAST_QUARTER_FOR_DAYS` local days (in `tz`) of the next.
pub fn quarter_just_ended(now: DateTime<Utc>, tz: Tz) -> Option<NaiveDate> {
    let today = now.with_timezone(&tz).date_naive();
    let start = quarter_start(today);
    match (today - start).num_days() < LAST_QUARTER_FOR_DAYS {
        true => start.pred_opt(),
        false => None,
    }
}

/// The first day of the financial quarter that ended within `period` (at local midnight in
/// `tz` on the first day of the next), if one did; the latest, if several did.
pub fn quarter_ended_in(period: Period, tz: Tz) -> Option<NaiveDate> {
    let to_day = DateTime::from_timestamp(period.to, 0)?
        .with_timezone(&tz)
        .date_naive();
    let mut next = quarter_start(to_day);
    if midnight(next, tz) > period.to {
        next = back(next, 3);
    }
    let ended = midnight(next, tz);
    (period.from < ended && ended <= period.to).then(|| back(next, 3))
}

/// "2026/27": the financial year `day` is in.
pub fn financial_year_name(day: NaiveDate) -> String {
    let year = year_start(day).year();
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

/// What a report counts, for one workspace or every one: what happened in the period, where
/// things stood at its end (a period already over), and where they stand now (at the
/// asking). Numbers name nobody, so a private channel's
/// project counts; only the names of projects that went live are listed, and the handler
/// leaves out those its reader may not be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    /// In the period. (Flattened: a report queued in the outbox before the figures were
    /// split out still reads.)
    #[serde(flatten)]
    pub happened: Happened,
    /// Now: open projects by phase, in phase order, phases with none left out.
    pub open: Vec<(Phase, u32)>,
    /// At the end of a period already over, the same, from the projects' phase changes;
    /// `None` for one still going, whose end is now (`open`). (Defaulted: a report queued
    /// in the outbox before it was added still reads.)
    #[serde(default)]
    pub open_at_end: Option<Vec<(Phase, u32)>>,
    /// Now: the teams, the catalogue and the re-uses. (Flattened, as `happened`.)
    #[serde(flatten)]
    pub standing: Standing,
    /// At the end of a period already over, the same, as tallied at the end of its last
    /// day (`None` where no tally was taken then: before the bot kept them, or while it
    /// was down). (Defaulted, as `open_at_end`.)
    #[serde(default)]
    pub standing_at_end: Option<Standing>,
    /// The period per council, in no particular order.
    pub by_council: Vec<CouncilMoves>,
    /// How many people joined with a join counted for no council (they have said none),
    /// counted with `by_council`: with the councils' people these add up to `happened`'s
    /// "by N people", but for someone whose joins count for two councils (they changed jobs
    /// between them; or, in the report of every workspace, an Enterprise Grid member said a
    /// different council in each of two), who is counted for each. For the councils'
    /// spreadsheet. (Defaulted: 0 in a report queued before, which nothing reads it from.)
    #[serde(default)]
    pub no_council_joiners: u32,
}

impl ReportFigures {
    /// The period's pitches and joins no council is counted for (`by_council`): projects
    /// pitched with no lead council, joins by people who have not said one. By the same
    /// rules as `happened`'s, so each council's part and these add up to its figures.
    pub fn no_council(&self) -> (u32, u32) {
        let sum = |of: fn(&CouncilMoves) -> u32| {
            self.by_council
                .iter()
                .fold(0u32, |n, m| n.saturating_add(of(m)))
        };
        (
            self.happened.pitched.saturating_sub(sum(|m| m.pitched)),
            self.happened.joins.saturating_sub(sum(|m| m.joined)),
        )
    }
}

/// How many open projects `open` (by phase) counts: summed wide, as several counts of u32
/// may not fit one.
pub fn open_total(open: &[(Phase, u32)]) -> u64 {
    open.iter().map(|(_, n)| u64::from(*n)).sum()
}

/// Where things stand at a moment, as counts that cannot all be worked out again later from
/// what is kept (what was published then is not, and memberships and re-uses ended were kept
/// only from migrations 0052 and 0053): now, or as tallied at the end of a day
/// (`store::tallies_due`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// People in open projects' teams, and the councils they said.
    pub makeup: Makeup,
    /// Projects in the public catalogue.
    pub in_catalogue: u32,
    /// Every standing re-use of the projects counted, and the councils saying them.
    pub reuses_standing: u32,
    pub reusing_councils: u32,
}

/// How long after a local midnight the day that ended then is tallied. What was joined,
/// pitched or said after midnight is left out of the tally, and a membership or a re-use
/// ended after it counted (each is kept as ended), but a project taken out of the catalogue
/// after it is missing from it: the later the tally, the more it misses. A day the bot was
/// down over that hour is left untallied.
const TALLY_WITHIN_SECS: i64 = 3600;

/// How long after midnight before a tally: a write acknowledged just before it may still be
/// queued for the writer.
const TALLY_AFTER_SECS: i64 = 60;

/// Whether the tally of the day that ended at `end` is still to be taken at `now` (unix
/// seconds): in the hour after that midnight, before the scheduler's first look at it.
pub fn tally_to_come(now: i64, end: i64) -> bool {
    (0..TALLY_WITHIN_SECS).contains(&(now - end))
}

/// The local day (in `tz`) to tally at `now`, and the instant it ended: the one that ended
/// at the last midnight, if that was from `TALLY_AFTER_SECS` to `TALLY_WITHIN_SECS` ago.
pub fn day_to_tally(now: i64, tz: Tz) -> Option<(NaiveDate, i64)> {
    let today = DateTime::from_timestamp(now, 0)?
        .with_timezone(&tz)
        .date_naive();
    let end = midnight(today, tz);
    match (TALLY_AFTER_SECS..TALLY_WITHIN_SECS).contains(&(now - end)) {
        true => Some((today.pred_opt()?, end)),
        false => None,
    }
}

/// What happened in a period and still stands: an update withdrawn is not counted, as the
/// digest does not list it; a join or a re-use ended before the period ended, or a phase
/// moved back before it, is not counted, one ended or moved back after it is (joins,
/// re-uses and phases are as they stood at its end, so a past period's report says the same
/// later).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Happened {
    /// Projects pitched in the period.
    pub pitched: u32,
    /// Projects that moved to a later phase (not retired) in the period and were there or
    /// further on at its end.
    pub moved_on: u32,
    /// Of them, those that went live, latest first, that the reader may be shown; and how
    /// many more the reader may not (a private channel's).
    pub went_live: Vec<(ProjectNumber, Title)>,
    pub went_live_unnamed: u32,
    /// Projects retired in the period, still retired at its end; and of them, those merged
    /// into another project in it, retired by the merge (their work carries on: no project
    /// given up; one retired first and merged later is not told apart). (Defaulted:
    /// a report queued before it was added still reads.)
    pub retired: u32,
    #[serde(default)]
    pub retired_merged: u32,
    /// Joins in the period (not the pitcher's own), and the councils of those who joined;
    /// and how many people joined (one in two teams is one), for "how many took part".
    /// (Defaulted, as `retired_merged`: 0, not said.)
    pub joins: u32,
    pub join_councils: u32,
    #[serde(default)]
    pub joiners: u32,
    /// Status updates posted in the period and not withdrawn.
    pub updates: u32,
    /// Projects put in the public catalogue in the period, and still in it.
    pub published: u32,
    /// Re-uses said in the period of the projects counted; the councils saying them; the
    /// projects re-used.
    pub reuses: u32,
    pub reuse_councils: u32,
    pub reused_projects: u32,
    /// Councils first said in the period (in this workspace, for a workspace's report) and
    /// in use, by name.
    pub new_councils: Vec<String>,
}

impl Happened {
    /// Projects that went live, named or not (wide: both parts are counts of u32).
    pub fn went_live_count(&self) -> u64 {
        self.went_live.len() as u64 + u64::from(self.went_live_unnamed)
    }

    /// Nothing happened.
    pub fn is_quiet(&self) -> bool {
        self.counts().iter().all(|(_, n)| *n == 0)
    }

    /// Each kind of thing that happens, and how many times it did, in the order a report
    /// tells them: what "quiet" means and what a period is compared by, in one list.
    pub fn counts(&self) -> [(Count, u64); 11] {
        let n = u64::from;
        [
            (Count::Pitched, n(self.pitched)),
            (Count::MovedOn, n(self.moved_on)),
            (Count::WentLive, self.went_live_count()),
            (Count::Retired, n(self.retired)),
            (Count::Merged, n(self.retired_merged)),
            (Count::Joins, n(self.joins)),
            (Count::Joiners, n(self.joiners)),
            (Count::Updates, n(self.updates)),
            (Count::Reuses, n(self.reuses)),
            (Count::Published, n(self.published)),
            (Count::NewCouncils, self.new_councils.len() as u64),
        ]
    }
}

/// A kind of thing a report counts as happening in a period (`Happened::counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Pitched,
    MovedOn,
    WentLive,
    Retired,
    /// Of those retired, by a merge into another project.
    Merged,
    Joins,
    /// People who joined (one in two teams is one).
    Joiners,
    Updates,
    Reuses,
    Published,
    NewCouncils,
}

/// One project in a period, for `makers-bot report --projects`: a funder's or a return's
/// project list. Every project of the scope active at some time in the period: pitched
/// before it ended, and not retired all through it (or, if it was, something the report
/// counts happened to it: an update, a join, a re-use, its publishing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInPeriod {
    pub team: TeamId,
    pub number: ProjectNumber,
    pub title: Title,
    /// The council it is led for, if one was said.
    pub lead_council: Option<String>,
    /// Its phase now, and at the period's start and end (as its phase changes say; at the
    /// start, the one it was pitched in if pitched in the period).
    pub phase: Phase,
    pub phase_at_start: Phase,
    pub phase_at_end: Phase,
    /// Counted in the report's "moved to a later phase".
    pub moved_on: bool,
    /// When it was pitched (unix seconds).
    pub pitched_at: i64,
    /// When it went live in the period, if it did and was live or retired at its end (as
    /// the report counts it).
    pub went_live_at: Option<i64>,
    /// In the period: joins (not the pitcher's own) and re-uses said standing at its end,
    /// and updates still standing.
    pub joins: u32,
    pub updates: u32,
    pub reuses: u32,
    /// Now: people in its team, councils re-using it, and whether it is in the public
    /// catalogue.
    pub team_size: u32,
    pub reusing_councils: u32,
    pub published: bool,
    /// Pitched in a channel Slack says is private: its title is not for everyone.
    pub private: bool,
}

/// One council's part in a period, for `/makers report … for <council>`: what a council's
/// digital lead tells its own managers Makers gave and took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilInPeriod {
    /// The council, as recorded.
    pub council: String,
    /// Its figures that moved in the period, across every workspace, as the digest's give
    /// and take counts them; `None` when none did.
    pub moves: Option<CouncilMoves>,
    /// This workspace's projects it leads pitched in the period, latest first, that the
    /// reader may be shown; and how many more the reader may not. (Defaulted: a council's
    /// report queued in the outbox before they were named still reads.)
    #[serde(default)]
    pub pitched: Vec<(ProjectNumber, Title)>,
    #[serde(default)]
    pub pitched_unnamed: u32,
    /// This workspace's projects it leads that went live in the period, latest first, that
    /// the reader may be shown; and how many more the reader may not.
    pub went_live: Vec<(ProjectNumber, Title)>,
    pub went_live_unnamed: u32,
    /// Projects it started re-using in the period, latest first: this workspace's that the
    /// reader may be shown; and how many more (another workspace's, or not to be shown).
    pub started_reusing: Vec<(ProjectNumber, Title)>,
    pub started_reusing_unnamed: u32,
    /// Councils that started re-using its work in the period, by name.
    pub reused_by: Vec<String>,
    /// Where it stands today, as `/makers councils` has it.
    pub today: Option<GiveAndTake>,
    /// At the end of a period already over, the open projects it led then, across every
    /// workspace, by their phase then (from the phase history, and the lead councils kept
    /// with their time). `None` for a period still going. (Defaulted, as `pitched`.)
    #[serde(default)]
    pub led_open_at_end: Option<Vec<(Phase, u32)>>,
}

impl CouncilInPeriod {
    /// Council `council`'s part when nothing of it moved, named or counted, and nothing is
    /// known of where it stands: the start of one found, or written out by hand.
    pub fn nothing(council: impl Into<String>) -> CouncilInPeriod {
        CouncilInPeriod {
            council: council.into(),
            moves: None,
            pitched: Vec::new(),
            pitched_unnamed: 0,
            went_live: Vec::new(),
            went_live_unnamed: 0,
            started_reusing: Vec::new(),
            started_reusing_unnamed: 0,
            reused_by: Vec::new(),
            today: None,
            led_open_at_end: None,
        }
    }
}

/// The first day of the financial quarter `day` is in (1 April, 1 July, 1 October, 1
/// January).
fn quarter_start(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month0() / 3 * 3 + 1, 1).unwrap_or(day)
}

/// 1 April of the financial year `day` is in.
fn year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    };
    april(year)
}

/// 1 April of `year`.
fn april(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(NaiveDate::MIN)
}

fn back(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap_or(day)
}

fn ahead(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// Local midnight at the start of `day` in `tz`, as unix seconds (where midnight did not
/// happen, the first instant of the day).
pub(crate) fn midnight(day: NaiveDate, tz: Tz) -> i64 {
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
mod tests;
