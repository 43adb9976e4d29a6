//! The figures, as markdown: one row per scenario and connection count, the list/ceiling
//! throughput ratio, the bot's memory, and notes (status breakdowns, errors, how bodies were
//! made).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::load::Outcome;
use crate::procs::Memory;

/// One run, reduced to its figures.
pub struct Row {
    pub scenario: &'static str,
    pub target: &'static str,
    pub conns: usize,
    pub responses: u64,
    pub rps: f64,
    pub p50_us: u32,
    pub p99_us: u32,
    pub max_us: u32,
    pub unexpected: u64,
    pub errors: u64,
    pub statuses: BTreeMap<u16, u64>,
    pub first_error: Option<String>,
    /// CPU seconds the server under load (the bot, or the ceiling) used during the run (user
    /// + system).
    pub server_cpu_s: Option<f64>,
    /// CPU seconds this process (the load generator and the fake Slack) used during the run.
    pub bench_cpu_s: Option<f64>,
}

impl Row {
    pub fn new(scenario: &'static str, target: &'static str, conns: usize, o: Outcome) -> Row {
        let unexpected = o.unexpected();
        let mut lat = o.latencies_us;
        lat.sort_unstable();
        let secs = o.elapsed.as_secs_f64().max(1e-9);
        Row {
            scenario,
            target,
            conns,
            responses: lat.len() as u64,
            rps: lat.len() as f64 / secs,
            p50_us: percentile(&lat, 50.0),
            p99_us: percentile(&lat, 99.0),
            max_us: lat.last().copied().unwrap_or(0),
            unexpected,
            errors: o.errors,
            statuses: o.statuses,
            first_error: o.first_error,
            server_cpu_s: None,
            bench_cpu_s: None,
        }
    }

    /// The same, knowing the bot's CPU seconds during the run.
    pub fn with_cpu(mut self, seconds: f64) -> Row {
        self.server_cpu_s = Some(seconds);
        self
    }

    /// The same, knowing this process's CPU seconds during the run.
    pub fn with_bench_cpu(mut self, seconds: f64) -> Row {
        self.bench_cpu_s = Some(seconds);
        self
    }

    /// Answers per CPU second of the server process.
    pub fn per_cpu_s(&self) -> Option<f64> {
        self.server_cpu_s
            .filter(|s| *s > 0.0)
            .map(|s| self.responses as f64 / s)
    }
}

/// Nearest-rank percentile of sorted values (0 if there are none).
fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub struct Memories {
    pub idle: Memory,
    pub end: Memory,
}

/// The whole report as markdown.
pub fn render(title: &str, rows: &[Row], mem: &Memories, notes: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {title}\n");
    out.push_str("| scenario | target | conns | responses | req/s | req per server CPU-s | bench CPU µs per req | p50 µs | p99 µs | max µs | unexpected | errors |\n");
    out.push_str("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for r in rows {
        let per_cpu = r.per_cpu_s().map_or(String::new(), |n| format!("{n:.0}"));
        let bench_us = match r.bench_cpu_s {
            Some(s) if r.responses > 0 => format!("{:.1}", s * 1e6 / r.responses as f64),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} | {per_cpu} | {bench_us} | {} | {} | {} | {} | {} |",
            r.scenario,
            r.target,
            r.conns,
            r.responses,
            r.rps,
            r.p50_us,
            r.p99_us,
            r.max_us,
            r.unexpected,
            r.errors
        );
    }

    comparisons(&mut out, rows);
    transports(&mut out, rows);

    let mib = |kib: u64| kib as f64 / 1024.0;
    out.push_str("\n| bot memory (/proc/<pid>/status) | MiB |\n|---|--:|\n");
    let _ = writeln!(
        out,
        "| idle VmRSS, after start + seed, before load | {:.1} |",
        mib(mem.idle.rss_kib)
    );
    let _ = writeln!(out, "| VmRSS at the end | {:.1} |", mib(mem.end.rss_kib));
    let _ = writeln!(
        out,
        "| of which RssAnon (not mapped database pages) at the end | {:.1} |",
        mib(mem.end.anon_kib)
    );
    let _ = writeln!(
        out,
        "| peak VmHWM at the end | {:.1} |",
        mib(mem.end.hwm_kib)
    );

    out.push_str("\nNotes:\n");
    for note in notes {
        let _ = writeln!(out, "- {note}");
    }
    for r in rows.iter().filter(|r| r.unexpected > 0 || r.errors > 0) {
        let statuses: Vec<String> = r
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        let _ = writeln!(
            out,
            "- {} x{}: statuses {{{}}}, {} errors{}",
            r.scenario,
            r.conns,
            statuses.join(", "),
            r.errors,
            r.first_error
                .as_deref()
                .map(|e| format!(", first: {e}"))
                .unwrap_or_default()
        );
    }
    out
}

const W_PITCH: &str = "pitch / ceiling_write throughput (goal: 0.8 or more)";
const W_UPDATE: &str = "update / ceiling_write throughput (goal: 0.8 or more)";
const W_JOIN: &str = "reaction_join / ceiling_write throughput (goal: 0.8 or more)";
const P_PITCH: &str = "pitch p99 / ceiling_write p99 (goal: 2 or less)";
const P_UPDATE: &str = "update p99 / ceiling_write p99 (goal: 2 or less)";
const P_JOIN: &str = "reaction_join p99 / ceiling_write p99 (goal: 2 or less)";
const C_PITCH: &str = "server CPU µs per answer: pitch / ceiling_write = times the ceiling's";
const C_UPDATE: &str = "server CPU µs per answer: update / ceiling_write = times the ceiling's";
const C_JOIN: &str =
    "server CPU µs per answer: reaction_join / ceiling_write = times the ceiling's";

/// How one scenario compares with another at one connection count.
type Compare = fn(&Row, &Row) -> String;

/// The goals, as figures per connection count: list against the ceiling, a 304 against
/// `list` (issue 9: at least half its speed), what the similar-project search adds to a
/// pitch (issue 9: under 1 ms at p50), and the writes against the write ceiling (issue 12).
fn comparisons(out: &mut String, rows: &[Row]) {
    let mut conns: Vec<usize> = rows.iter().map(|r| r.conns).collect();
    conns.sort_unstable();
    conns.dedup();
    let ratio: Compare = |a, b| format!("{:.2}", a.rps / b.rps.max(1e-9));
    let p50: Compare = |a, b| format!("{:+}", i64::from(a.p50_us) - i64::from(b.p50_us));
    // Little's law: with C connections always busy, 1/throughput is what each request
    // takes of the whole machine, queueing aside.
    let per_request: Compare = |a, b| {
        let us = |r: &Row| 1e6 / r.rps.max(1e-9);
        format!("{:+.0}", us(a) - us(b))
    };
    let p99: Compare = |a, b| format!("{:.2}", f64::from(a.p99_us) / f64::from(b.p99_us.max(1)));
    // What each answer cost the server's process in CPU, and how many times the ceiling's.
    let cpu: Compare = |a, b| match (a.per_cpu_s(), b.per_cpu_s()) {
        (Some(a), Some(b)) => format!("{:.0} / {:.0} = {:.2}", 1e6 / a, 1e6 / b, b / a),
        _ => "n/a".into(),
    };
    let lines: [(&str, &str, &str, Compare); 13] = [
        ("list / ceiling throughput", "list", "ceiling", ratio),
        (
            "catalogue_304 / list throughput (goal: 0.5 or more)",
            "catalogue_304",
            "list",
            ratio,
        ),
        (
            "pitch_similar − pitch, p50 µs (goal: under 1,000)",
            "pitch_similar",
            "pitch",
            p50,
        ),
        (
            "pitch_similar − pitch, 1/throughput µs",
            "pitch_similar",
            "pitch",
            per_request,
        ),
        // Issue 12: writes at 0.8 of the write ceiling or more, p99 at most twice its own.
        (W_PITCH, "pitch", "ceiling_write", ratio),
        (W_UPDATE, "update", "ceiling_write", ratio),
        (W_JOIN, "reaction_join", "ceiling_write", ratio),
        (P_PITCH, "pitch", "ceiling_write", p99),
        (P_UPDATE, "update", "ceiling_write", p99),
        (P_JOIN, "reaction_join", "ceiling_write", p99),
        (C_PITCH, "pitch", "ceiling_write", cpu),
        (C_UPDATE, "update", "ceiling_write", cpu),
        (C_JOIN, "reaction_join", "ceiling_write", cpu),
    ];
    out.push_str("\n| comparison |");
    conns.iter().for_each(|c| {
        let _ = write!(out, " {c} conns |");
    });
    out.push_str("\n|---|");
    conns.iter().for_each(|_| out.push_str("--:|"));
    for (what, a, b, compare) in lines {
        let find = |name: &str, c: usize| rows.iter().find(|r| r.scenario == name && r.conns == c);
        if !rows.iter().any(|r| r.scenario == a) {
            continue;
        }
        let _ = write!(out, "\n| {what} |");
        for c in &conns {
            match (find(a, *c), find(b, *c)) {
                (Some(a), Some(b)) => {
                    let _ = write!(out, " {} |", compare(a, b));
                }
                _ => out.push_str(" n/a |"),
            }
        }
    }
    out.push('\n');
}

/// Socket Mode against HTTP, scenario by scenario: throughput, and answers per CPU second of
/// the bot (issue 11: Socket Mode at least as many).
fn transports(out: &mut String, rows: &[Row]) {
    let pairs: Vec<(&Row, &Row)> = rows
        .iter()
        .filter(|r| r.target == "socket")
        .filter_map(|s| {
            let http = rows
                .iter()
                .find(|h| h.target == "bot" && h.scenario == s.scenario && h.conns == s.conns)?;
            Some((http, s))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    out.push_str("\n| Socket Mode vs HTTP | conns | HTTP req/s | socket req/s | HTTP req per bot CPU-s | socket req per bot CPU-s | socket / HTTP per CPU-s (goal: 1 or more) |\n");
    out.push_str("|---|--:|--:|--:|--:|--:|--:|\n");
    let show = |n: Option<f64>| n.map_or("n/a".to_string(), |n| format!("{n:.0}"));
    for (http, socket) in pairs {
        let ratio = match (socket.per_cpu_s(), http.per_cpu_s()) {
            (Some(s), Some(h)) => format!("{:.2}", s / h),
            _ => "n/a".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} | {} | {} | {ratio} |",
            http.scenario,
            http.conns,
            http.rps,
            socket.rps,
            show(http.per_cpu_s()),
            show(socket.per_cpu_s()),
        );
    }
}

/// A log, condensed: ANSI colours and leading timestamps removed, identical lines counted,
/// the most frequent `max` kinds first (as `N x line`).
pub fn condense_log(log: &str, max: usize) -> Vec<String> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for line in log.lines().map(strip_ansi) {
        let line = line.trim();
        // tracing's fmt layer starts each line with an RFC 3339 timestamp.
        let line = match line.split_once(' ') {
            Some((first, rest)) if first.len() >= 20 && first.ends_with('Z') => rest.trim(),
            _ => line,
        };
        match counts.iter_mut().find(|(l, _)| l == line) {
            Some((_, n)) => *n += 1,
            None if !line.is_empty() => counts.push((line.to_string(), 1)),
            None => {}
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .into_iter()
        .take(max)
        .map(|(line, n)| format!("{n} x `{line}`"))
        .collect()
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequence: ESC [ params final-byte (a letter).
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
