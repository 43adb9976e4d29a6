//! `/makers report`: a span's figures in three parts (what happened, where things stand,
//! each council's part), and the same as plain text for `makers-bot report`.

use chrono::NaiveDate;
use slack_morphism::prelude::*;

use super::{count, section};
use crate::domain::{ReportFigures, SpanKind};
use crate::message::Report;

/// Councils named under "By council"; the rest are counted.
pub(super) const COUNCILS_NAMED: usize = 10;

/// Where the report is read: what its closing lines point to is typed there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadIn {
    Slack,
    Terminal,
}

pub(super) fn report(r: &Report) -> SlackMessageContent {
    let parts = parts(r, ReadIn::Slack);
    let fallback = parts[0].replace('*', "");
    SlackMessageContent::new()
        .with_text(fallback)
        .with_blocks(parts.into_iter().map(|p| section(p).into()).collect())
}

/// The report as text for a terminal (`makers-bot report`).
pub fn report_text(r: &Report) -> String {
    let mut text = super::plain::plain_text(&parts(r, ReadIn::Terminal).join("\n\n"));
    text.push('\n');
    text
}

fn parts(r: &Report, read_in: ReadIn) -> Vec<String> {
    let f = &r.figures;
    let whose = if r.everywhere {
        "every Makers workspace"
    } else {
        "this workspace"
    };
    let mut head = format!("*Makers in {whose}: {}*", days(&r.first, &r.last));
    if let Some(named) = span_name(r) {
        head.push_str(&format!(" ({named})"));
    }
    head.push('\n');
    head.push_str(&happened(f));
    let mut out = vec![head, now(f)];
    if let Some(councils) = by_council(f, read_in) {
        out.push(councils);
    }
    let command = match read_in {
        ReadIn::Slack => "/makers report",
        ReadIn::Terminal => "makers-bot report",
    };
    out.push(format!(
        "Another span: `{command} last quarter`, `report month`, `report year` (the financial year, from 1 April), `report since 2026-04-01` or `report 2026-04-01 to 2026-06-30`."
    ));
    out
}

/// "1 October to 5 December 2026", "1 October 2026 to 31 March 2027", "5 December 2026".
fn days(first: &str, last: &str) -> String {
    let read = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let (Some(a), Some(b)) = (read(first), read(last)) else {
        return format!("{first} to {last}");
    };
    let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    if a == b {
        long(a)
    } else if a.format("%Y").to_string() == b.format("%Y").to_string() {
        format!("{} to {}", a.format("%-d %B"), long(b))
    } else {
        format!("{} to {}", long(a), long(b))
    }
}

fn span_name(r: &Report) -> Option<String> {
    let financial = r.financial.as_deref().unwrap_or_default();
    Some(match r.span {
        SpanKind::Quarter { so_far: true } => format!("this quarter so far, {financial}"),
        SpanKind::Quarter { so_far: false } => financial.to_string(),
        SpanKind::Year { so_far: true } => format!("the financial year {financial} so far"),
        SpanKind::Year { so_far: false } => format!("the financial year {financial}"),
        SpanKind::Month { so_far: true } => "this month so far".into(),
        SpanKind::Month { so_far: false } => "last month".into(),
        SpanKind::Ever => "since the first pitch".into(),
        SpanKind::Days => return None,
    })
}

/// What happened in the span, a line per kind; one line when nothing did.
fn happened(f: &ReportFigures) -> String {
    if f.is_quiet() {
        return "Nothing was pitched, joined, moved on, posted, published or re-used in that time."
            .into();
    }
    let mut lines = Vec::new();
    let mut projects = Vec::new();
    if f.pitched > 0 {
        let mut pitched = format!("{} pitched", count(f.pitched, "project", "projects"));
        if f.pitched_councils > 0 {
            let councils = count(f.pitched_councils, "council", "councils");
            pitched.push_str(&format!(", led by {councils}"));
        }
        projects.push(pitched);
    }
    if f.moved_on > 0 {
        let mut moved = format!(
            "{} moved on a phase",
            count(f.moved_on, "project", "projects")
        );
        if f.went_live > 0 {
            moved.push_str(&format!(", {}to live", count_of(f.went_live, f.moved_on)));
        }
        projects.push(moved);
    }
    if f.retired > 0 {
        projects.push(format!(
            "{} retired",
            count(f.retired, "project", "projects")
        ));
    }
    if !projects.is_empty() {
        lines.push(format!("• *Projects:* {}", projects.join(" · ")));
    }
    let mut teams = Vec::new();
    if f.joins > 0 {
        let mut joins = count(f.joins, "join", "joins");
        if f.join_councils > 0 {
            let councils = count(f.join_councils, "council", "councils");
            joins.push_str(&format!(", by people of {councils}"));
        }
        teams.push(joins);
    }
    if f.updates > 0 {
        teams.push(format!("{} posted", count(f.updates, "update", "updates")));
    }
    if !teams.is_empty() {
        lines.push(format!("• *Teams:* {}", teams.join(" · ")));
    }
    if f.reuses > 0 {
        let mut reuses = format!(
            "• *Re-use:* {} said, by {}, of {}",
            count(f.reuses, "new re-use", "new re-uses"),
            count(f.reuse_councils, "council", "councils"),
            count(f.reused_projects, "project", "projects"),
        );
        if f.reuses_by_others > 0 {
            let others = count_of(f.reuses_by_others, f.reuses);
            reuses.push_str(&format!(
                "; {others}by a council other than the one leading the project: work not done twice"
            ));
        }
        lines.push(reuses);
    }
    if f.published > 0 {
        lines.push(format!(
            "• *Public catalogue:* {} published",
            count(f.published, "project", "projects")
        ));
    }
    lines.join("\n")
}

/// How much of a number just said a part is, before what it did: "" (the one), "all ",
/// "2 of them ".
fn count_of(part: u32, whole: u32) -> String {
    match (part, whole) {
        (1, 1) => String::new(),
        (p, w) if p == w => "all ".into(),
        (p, _) => format!("{p} of them "),
    }
}

/// Where things stand at the asking.
fn now(f: &ReportFigures) -> String {
    // Summed wide: four counts of u32 may not fit one.
    let open: i64 = f.open_by_phase.iter().map(|n| i64::from(*n)).sum();
    let mut lines = vec!["*Now*".to_string()];
    let mut projects = count(open, "open project", "open projects");
    let phases: Vec<String> = ["in discovery", "in alpha", "in beta", "live"]
        .iter()
        .zip(f.open_by_phase)
        .filter(|(_, n)| *n > 0)
        .map(|(phase, n)| format!("{n} {phase}"))
        .collect();
    if !phases.is_empty() {
        projects.push_str(&format!(": {}", phases.join(", ")));
    }
    lines.push(format!("• {projects}"));
    if f.people > 0 {
        let mut people = format!("• {} in their teams", count(f.people, "person", "people"));
        if f.councils > 0 {
            people.push_str(&format!(
                ", from {}",
                count(f.councils, "council", "councils")
            ));
        }
        lines.push(people);
    }
    let mut kept = vec![format!(
        "{} in the public catalogue",
        count(f.in_catalogue, "project", "projects")
    )];
    if f.reuses_standing > 0 {
        kept.push(format!(
            "{} by {}",
            count(f.reuses_standing, "re-use", "re-uses"),
            count(f.reusing_councils, "council", "councils")
        ));
    }
    lines.push(format!("• {}", kept.join(" · ")));
    lines.join("\n")
}

/// Each council's part in the span, most giving first, as the digest words it.
fn by_council(f: &ReportFigures, read_in: ReadIn) -> Option<String> {
    if f.by_council.is_empty() {
        return None;
    }
    let mut lines = vec!["*By council, in that time* (most giving first)".to_string()];
    lines.extend(
        f.by_council
            .iter()
            .take(COUNCILS_NAMED)
            .map(|c| format!("• {}", super::digest::council_moved(c))),
    );
    let more = f.by_council.len().saturating_sub(COUNCILS_NAMED);
    let every = match read_in {
        ReadIn::Slack => "`/makers councils` has every council's give and take since the start",
        ReadIn::Terminal => "`makers-bot council list` lists every council",
    };
    if more > 0 {
        let councils = count(more as i64, "more council", "more councils");
        lines.push(format!("…and {councils}. {every}."));
    } else {
        lines.push(format!("{every}."));
    }
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CouncilMoves;

    fn report(figures: ReportFigures) -> Report {
        Report {
            first: "2026-10-01".into(),
            last: "2027-01-05".into(),
            span: SpanKind::Days,
            financial: None,
            everywhere: false,
            figures,
        }
    }

    /// A part of a number just said is worded as a part of it.
    #[test]
    fn parts_of_a_figure_are_said_as_parts() {
        let figures = |moved_on, went_live, reuses, by_others| ReportFigures {
            moved_on,
            went_live,
            reuses,
            reuse_councils: 1,
            reused_projects: 1,
            reuses_by_others: by_others,
            ..ReportFigures::default()
        };
        let text = report_text(&report(figures(3, 3, 4, 2)));
        assert!(
            text.contains("3 projects moved on a phase, all to live"),
            "{text}"
        );
        assert!(
            text.contains(
                "4 new re-uses said, by 1 council, of 1 project; 2 of them by a council other"
            ),
            "{text}"
        );
        let text = report_text(&report(figures(3, 1, 2, 2)));
        assert!(
            text.contains("3 projects moved on a phase, 1 of them to live"),
            "{text}"
        );
        assert!(
            text.contains("of 1 project; all by a council other"),
            "{text}"
        );
        // Days across two years name both years.
        assert!(
            text.starts_with("*Makers in this workspace: 1 October 2026 to 5 January 2027*\n"),
            "{text}"
        );
    }

    /// Council names are people's words: escaped, and past ten only counted.
    #[test]
    fn councils_are_escaped_and_past_ten_counted() {
        let by_council = (0..12)
            .map(|i| CouncilMoves {
                council: format!("<!channel> & Co {i:02}"),
                pitched: 1,
                joined: 0,
                reuses: 0,
                reused_by_others: 0,
            })
            .collect();
        let r = report(ReportFigures {
            pitched: 12,
            by_council,
            ..ReportFigures::default()
        });
        let message = serde_json::to_string(&super::report(&r)).unwrap();
        assert!(!message.contains("<!channel>"), "{message}");
        assert!(
            message.contains("&lt;!channel&gt; &amp; Co 00"),
            "{message}"
        );
        let text = report_text(&r);
        assert!(text.contains("<!channel> & Co 09"), "{text}");
        assert!(!text.contains("Co 10"), "{text}");
        assert!(text.contains("…and 2 more councils."), "{text}");
    }
}
