//! `/makers report`: a period's figures in parts (what happened, compared with the period
//! before, where things stood at the end of a period already over, where things stand
//! today, each council's part), and the same as plain text for `makers-bot report`.

use chrono::{Datelike, NaiveDate};
use slack_morphism::prelude::*;

use super::{count, escape, makeup_text, section, title_text};
use crate::domain::{
    CouncilMoves, Count, Happened, Phase, ProjectNumber, ReportFigures, SpanKind, Standing, Title,
    financial_year_name, open_total, quarter_name,
};
use crate::message::{CouncilReport, Report, ReportDays, ReportOf};

/// Councils named under "By council" in Slack; the rest are counted (a terminal names all).
pub(super) const COUNCILS_NAMED: usize = 10;
/// Projects named as gone live, and councils as new; the rest are counted.
const NAMED: usize = 5;

/// Where the report is read: what its closing lines point to is typed there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadIn {
    Slack,
    Terminal,
}

/// The *Send me a copy* button's action; its value, the command that asks again.
pub const REPORT_COPY_ACTION: &str = "report_copy";

/// Slack's longest button value.
const MAX_BUTTON_VALUE: usize = 2000;

pub(super) fn report(r: &Report) -> SlackMessageContent {
    message(parts(r, ReadIn::Slack), r.asked.as_deref())
}

/// A section a part, and a *Send me a copy* button where the report can be asked again
/// (`asked`): a private answer in a channel is gone once Slack reloads it, on a phone
/// soonest, and a return is written from it later. The notification says which report
/// (its heading, without markers); the figures follow it, for a screen reader (`spoken`).
fn message(parts: Vec<String>, asked: Option<&str>) -> SlackMessageContent {
    let fallback = parts[0].lines().next().unwrap_or_default().replace('*', "");
    let mut blocks: Vec<SlackBlock> = parts.into_iter().map(|p| section(p).into()).collect();
    if let Some(asked) = asked.filter(|a| a.len() <= MAX_BUTTON_VALUE) {
        let copy = SlackBlockButtonElement::new("Send me a copy".into())
            .with_action_id(REPORT_COPY_ACTION.into())
            .with_value(asked.to_string())
            .with_accessibility_label(
                "Send me a copy of this report in my messages with the app".into(),
            );
        blocks.push(SlackActionsBlock::new(vec![copy.into()]).into());
    }
    SlackMessageContent::new()
        .with_text(super::fit::spoken(&fallback, &blocks))
        .with_blocks(blocks)
}

/// "5 December 2026", and, after a period already over with no part for its end shown (a
/// report queued before there was one, or nothing pitched by then), that these figures are
/// not of its end.
fn today_is(d: &ReportDays, end_shown: bool) -> String {
    match d.so_far || end_shown {
        true => long_day(d.today),
        false => format!("{}, not at the period's end", long_day(d.today)),
    }
}

/// "5 December 2026".
fn long_day(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// The report as text for a terminal (`makers-bot report`): no Slack markers, which would
/// be copied into a document as they are.
pub fn report_text(r: &Report) -> String {
    let text = super::plain::plain_text(&parts(r, ReadIn::Terminal).join("\n\n"));
    let mut text = text.replace(['*', '`'], "");
    text.push('\n');
    text
}

fn parts(r: &Report, read_in: ReadIn) -> Vec<String> {
    let f = &r.figures;
    let whose = match &r.of {
        ReportOf::ThisWorkspace => "this workspace".to_string(),
        ReportOf::Workspace(team, None) => format!("workspace {team}"),
        ReportOf::Workspace(team, Some(name)) => format!("{} ({team})", super::bold_text(name)),
        ReportOf::Every => "every Makers workspace".to_string(),
    };
    let mut head = heading(&format!("Makers in {whose}"), &r.days);
    head.push_str(&happened(&f.happened, &r.of, read_in));
    let mut out = vec![head];
    out.extend(against(r));
    out.extend(at_end(r));
    out.push(today(r));
    if let Some(councils) = by_council(f, read_in) {
        out.push(councils);
    }
    let command = match read_in {
        ReadIn::Slack => "/makers report",
        ReadIn::Terminal => "makers-bot report",
    };
    out.push(format!(
        "For another period: `{command} last quarter`, `{command} Q2`, `{command} April`, `{command} year` (the financial year, from 1 April) or `{command} 2026-04-01 to 2026-06-30`.{}",
        match read_in {
            ReadIn::Slack => " For one council's part: `/makers report last quarter for Waverley`.",
            ReadIn::Terminal => "",
        }
    ));
    out
}

/// "*Makers in this workspace: 1 October to 5 December 2026* (Q3 of 2026/27, so far)", and
/// a line's end.
fn heading(whose: &str, d: &ReportDays) -> String {
    let mut head = format!("*{whose}: {}*", days(d.first, d.last));
    if let Some(named) = period_name(d) {
        head.push_str(&format!(" ({named})"));
    }
    head.push('\n');
    head
}

/// "1 October to 5 December 2026", "1 October 2026 to 31 March 2027", "5 December 2026".
fn days(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        long_day(first)
    } else if first.year() == last.year() {
        format!("{} to {}", first.format("%-d %B"), long_day(last))
    } else {
        format!("{} to {}", long_day(first), long_day(last))
    }
}

/// "Q3 of 2026/27, so far", "November 2026", "the financial year 2025/26".
fn period_name(r: &ReportDays) -> Option<String> {
    let named = match r.span {
        SpanKind::Ever => return Some("since the first pitch".into()),
        SpanKind::Days => return None,
        span => calendar_name(span, r.first)?,
    };
    Some(match r.so_far {
        true => format!("{named}, so far"),
        false => named,
    })
}

/// "Q3 of 2026/27", "November 2026", "the financial year 2025/26": the quarter, month or
/// year starting `first`; `None` for other periods, which the calendar does not name.
fn calendar_name(span: SpanKind, first: NaiveDate) -> Option<String> {
    match span {
        SpanKind::Quarter => Some(quarter_name(first)),
        SpanKind::Month => Some(first.format("%B %Y").to_string()),
        SpanKind::Year => Some(format!("the financial year {}", financial_year_name(first))),
        SpanKind::Ever | SpanKind::Days => None,
    }
}

/// What happened in the period, a line per kind; one line when nothing did.
fn happened(f: &Happened, of: &ReportOf, read_in: ReadIn) -> String {
    if f.is_quiet() {
        return "Nothing was pitched, joined, moved on, posted, published or re-used in that time."
            .into();
    }
    let mut lines = Vec::new();
    let mut projects = Vec::new();
    if f.pitched > 0 {
        projects.push(format!(
            "{} pitched",
            count(f.pitched, "project", "projects")
        ));
    }
    if f.moved_on > 0 {
        let moved = count(f.moved_on, "project", "projects");
        projects.push(format!("{moved} moved to a later phase"));
    }
    if f.retired > 0 {
        let mut retired = format!("{} retired", count(f.retired, "project", "projects"));
        // A merge is no project given up: its work carries on in another.
        if f.retired_merged > 0 {
            retired.push_str(&format!(" ({} merged into another)", f.retired_merged));
        }
        projects.push(retired);
    }
    if !projects.is_empty() {
        lines.push(format!("• *Projects:* {}", projects.join(" · ")));
    }
    if let Some(live) = went_live(f, of, read_in) {
        lines.push(format!("• *Went live:* {live}"));
    }
    let mut teams = Vec::new();
    if f.joins > 0 {
        let mut joins = count(f.joins, "join", "joins");
        let councils = count(f.join_councils, "council", "councils");
        // How many people took part, as a return asks; a report queued before it was
        // counted (0) says as it did.
        if f.joiners > 0 || f.join_councils > 0 {
            let by = match f.joiners {
                0 => "people".to_string(),
                people => count(people, "person", "people"),
            };
            joins.push_str(&format!(", by {by}"));
        }
        if f.join_councils > 0 {
            joins.push_str(&format!(" from {councils}"));
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
        lines.push(format!(
            "• *Re-use:* {} said, by {}, of {}",
            count(f.reuses, "re-use", "re-uses"),
            count(f.reuse_councils, "council", "councils"),
            count(f.reused_projects, "project", "projects"),
        ));
    }
    if f.published > 0 {
        lines.push(format!(
            "• *Public catalogue:* {} published",
            count(f.published, "project", "projects")
        ));
    }
    if !f.new_councils.is_empty() {
        let named: Vec<String> = f.new_councils.iter().map(|c| super::bold_text(c)).collect();
        // A terminal has room for every one, as for what went live: a return names them.
        let councils = match read_in {
            ReadIn::Slack => named_then_counted(&named, "council"),
            ReadIn::Terminal => named.join(", "),
        };
        lines.push(format!("• *New to Makers:* {councils}"));
    }
    lines.join("\n")
}

/// "#1 Bin day finder, #4 Parking permits and 1 more": projects of one workspace by
/// number, of several by title alone (numbers are each workspace's own).
fn went_live(f: &Happened, of: &ReportOf, read_in: ReadIn) -> Option<String> {
    let shown = |project: &(ProjectNumber, Title)| match of {
        ReportOf::Every => title_text(&project.1),
        _ => numbered(project),
    };
    // A terminal has room for every one: a return lists them.
    let room = match read_in {
        ReadIn::Slack => NAMED,
        ReadIn::Terminal => usize::MAX,
    };
    let named = f.went_live.iter().map(shown).collect();
    named_projects(named, f.went_live_unnamed, room)
}

/// The period's figures set against the period before's, a line each: those that moved in
/// either; none when nothing moved in either, or there is no period before
/// (`Report::before`).
fn against(r: &Report) -> Option<String> {
    let before = r.before.as_ref()?;
    let (now, then) = (&r.figures.happened, &before.happened);
    let figures = now
        .counts()
        .into_iter()
        .zip(then.counts())
        .map(|((what, now), (_, then))| (counted(what), now, then));
    let mut part = compared(&r.days, before.first, before.last, figures)?;
    // Where each period ended, once something moved: a return's "14 open projects, up
    // from 11".
    let when = match r.days.so_far {
        true => "today",
        false => "at the end",
    };
    if let Some(then) = before.open_at_end {
        let now = r.open_at_end();
        part.push_str(&format!("\n• Open projects {when}: {now} ({then} then)"));
    }
    if let (Some(now), Some(then)) = (r.people_at_end(), before.people_at_end) {
        part.push_str(&format!(
            "\n• People in their teams {when}: {now} ({then} then)"
        ));
    }
    Some(part)
}

/// "*Compared with Q2 of 2026/27* (1 July to 30 September 2026)", then "• Projects
/// pitched: 3 (1 then)" for each figure that moved now or then; none when none did.
fn compared(
    d: &ReportDays,
    first: NaiveDate,
    last: NaiveDate,
    figures: impl Iterator<Item = (&'static str, u64, u64)>,
) -> Option<String> {
    let lines: Vec<String> = figures
        .filter(|(_, now, then)| *now > 0 || *then > 0)
        .map(|(what, now, then)| format!("• {what}: {now} ({then} then)"))
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(format!(
        "*Compared with {}* ({})\n{}",
        before_name(d, first, last),
        days(first, last),
        lines.join("\n")
    ))
}

/// What is counted, as the comparison names it.
fn counted(what: Count) -> &'static str {
    match what {
        Count::Pitched => "Projects pitched",
        Count::MovedOn => "Moved to a later phase",
        Count::WentLive => "Went live",
        Count::Retired => "Retired",
        Count::Merged => "Of them, merged into another project",
        Count::Joins => "Joins",
        Count::Joiners => "People who joined",
        Count::Updates => "Updates posted",
        Count::Reuses => "Re-uses said",
        Count::Published => "Published in the catalogue",
        Count::NewCouncils => "Councils new to Makers",
    }
}

/// "Q2 of 2026/27", "the same point in October 2026" (the report's period still going),
/// "the 30 days before".
fn before_name(d: &ReportDays, first: NaiveDate, last: NaiveDate) -> String {
    // Days as typed (`all` has no period before: `ReportPeriod::before`).
    let Some(named) = calendar_name(d.span, first) else {
        return match (last - first).num_days() + 1 {
            1 => "the day before".into(),
            n => format!("the {n} days before"),
        };
    };
    match d.so_far {
        true => format!("the same point in {named}"),
        false => named,
    }
}

/// "#1 Bin day finder".
fn numbered((number, title): &(ProjectNumber, Title)) -> String {
    format!("{number} {}", title_text(title))
}

/// The first `room` of `named`, then how many more with the `unnamed` (those the reader may
/// not be shown, or not by this workspace's numbers); only counted when none is named.
fn named_projects(mut named: Vec<String>, unnamed: u32, room: usize) -> Option<String> {
    let cut = named.len().saturating_sub(room);
    let more = cut + unnamed as usize;
    named.truncate(room);
    // "and 1 more" alone would read as a list cut short, when it is one kept from the reader.
    match (named.is_empty(), more) {
        (true, 0) => None,
        (true, more) => Some(format!(
            "{} (not named here)",
            count(more as i64, "project", "projects")
        )),
        (false, 0) => Some(named.join(", ")),
        (false, more) if unnamed == 0 => Some(format!("{} and {more} more", named.join(", "))),
        (false, more) if cut == 0 => Some(format!(
            "{} and {more} more (not named here)",
            named.join(", ")
        )),
        (false, more) => Some(format!(
            "{} and {more} more ({unnamed} not named here)",
            named.join(", ")
        )),
    }
}

/// The first few of `named`, and how many more.
fn named_then_counted(named: &[String], one: &str) -> String {
    match named.len().checked_sub(NAMED) {
        None | Some(0) => named.join(", "),
        Some(more) => {
            let others = count(more as i64, &format!("more {one}"), &format!("more {one}s"));
            format!("{} and {others}", named[..NAMED].join(", "))
        }
    }
}

/// Where things stood at the end of a period already over: its open projects by phase,
/// from their phase changes, and its teams, catalogue and re-uses as tallied at the end of
/// its last day, where they were (`store::tallies_due`).
fn at_end(r: &Report) -> Option<String> {
    let open = r.figures.open_at_end.as_ref()?;
    let mut lines = vec![
        format!(
            "*Where things stood at the period's end* ({})",
            long_day(r.days.last)
        ),
        format!("• {}", open_projects(open)),
    ];
    match &r.figures.standing_at_end {
        Some(standing) => lines.extend(standing_lines(standing)),
        // Said, so that nobody looks for the teams' figures or takes today's for then.
        None => lines.push(
            "• Teams, the catalogue and re-uses were not counted that night: today's are below."
                .into(),
        ),
    }
    Some(lines.join("\n"))
}

/// "• 2 people from 2 councils in their teams", "• 1 project in the public catalogue · 1
/// re-use said, by 1 council".
fn standing_lines(s: &Standing) -> Vec<String> {
    let mut lines = Vec::new();
    if s.makeup.people > 0 {
        lines.push(format!("• {} in their teams", makeup_text(s.makeup)));
    }
    let mut kept = vec![format!(
        "{} in the public catalogue",
        count(s.in_catalogue, "project", "projects")
    )];
    if s.reuses_standing > 0 {
        kept.push(format!(
            "{} said, by {}",
            count(s.reuses_standing, "re-use", "re-uses"),
            count(s.reusing_councils, "council", "councils")
        ));
    }
    lines.push(format!("• {}", kept.join(" · ")));
    lines
}

/// "3 open projects: 1 in beta, 2 live".
fn open_projects(open: &[(Phase, u32)]) -> String {
    let total = i64::try_from(open_total(open)).unwrap_or(i64::MAX);
    let mut projects = count(total, "open project", "open projects");
    let phases: Vec<String> = open
        .iter()
        .map(|(phase, n)| match phase {
            Phase::Live => format!("{n} live"),
            phase => format!("{n} in {phase}"),
        })
        .collect();
    if !phases.is_empty() {
        projects.push_str(&format!(": {}", phases.join(", ")));
    }
    projects
}

/// Where things stand on the day it was asked. After a period already over, its end's
/// part is above; a report queued without one says these are not of its end.
fn today(r: &Report) -> String {
    let f = &r.figures;
    let day = today_is(&r.days, f.open_at_end.is_some());
    let mut lines = vec![format!("*Where things stand today* ({day})")];
    lines.push(format!("• {}", open_projects(&f.open)));
    lines.extend(standing_lines(&f.standing));
    lines.join("\n")
}

/// Each council's part in the period, most giving first, as the digest words it.
fn by_council(f: &ReportFigures, read_in: ReadIn) -> Option<String> {
    let (pitched, joins) = f.no_council();
    if f.by_council.is_empty() && (pitched, joins) == (0, 0) {
        return None;
    }
    // A terminal has room for every one, as for what went live: a return quotes them, and
    // no command lists the rest's part in the period (`council list` has all time's).
    let room = match read_in {
        ReadIn::Slack => COUNCILS_NAMED,
        ReadIn::Terminal => usize::MAX,
    };
    let mut lines = vec!["*By council, in that time* (most giving first)".to_string()];
    lines.extend(
        f.by_council
            .iter()
            .take(room)
            .map(|c| format!("• {}", super::digest::council_moved(c))),
    );
    // What no council is counted for, so that the parts add up to the figures above.
    let mut unsaid = Vec::new();
    if pitched > 0 {
        unsaid.push(format!(
            "{} with no lead council",
            count(pitched, "new project", "new projects")
        ));
    }
    if joins > 0 {
        unsaid.push(format!(
            "{} by people who have not said their council",
            count(joins, "join", "joins")
        ));
    }
    if !unsaid.is_empty() {
        lines.push(format!(
            "• Not counted for any council: {}",
            unsaid.join(", ")
        ));
    }
    let more = f.by_council.len().saturating_sub(room);
    let every = match read_in {
        ReadIn::Slack => {
            "`/makers councils` has every council's give and take since the start, in every workspace"
        }
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

/// `report … for <council>`: the council's part in the period, set against the period
/// before's, and where it stands today.
pub(super) fn council_report(r: &CouncilReport) -> SlackMessageContent {
    let p = &r.part;
    let name = super::bold_text(&p.council);
    let mut head = heading(&format!("{name} in Makers"), &r.days);
    // Asked for by a former name: why another council answers, in `list council`'s words.
    if let Some(former) = &r.formerly {
        head.push_str(&super::list::became(former, &p.council));
        head.push('\n');
    }
    head.push_str(&match &p.moves {
        Some(moves) => format!(
            "In that time, across every Makers workspace: {}.",
            super::digest::council_moved(moves)
        ),
        None => "In that time, in any Makers workspace, nothing changed for it: it led no new project, nobody from it joined a team, it started re-using nothing and no council started re-using its work.".into(),
    });
    // This workspace's by number, a few; the rest, and those not to be named here (another
    // workspace's, a private channel's), counted.
    let projects = |named: &[(ProjectNumber, Title)], unnamed: u32| {
        named_projects(named.iter().map(numbered).collect(), unnamed, NAMED)
    };
    // The lists in a section of their own: with long names they would not fit the
    // heading's.
    let mut lists = Vec::new();
    if let Some(pitched) = projects(&p.pitched, p.pitched_unnamed) {
        lists.push(format!("• *New projects it leads here:* {pitched}"));
    }
    if let Some(live) = projects(&p.went_live, p.went_live_unnamed) {
        lists.push(format!("• *Went live here, led by it:* {live}"));
    }
    if let Some(reused) = projects(&p.started_reusing, p.started_reusing_unnamed) {
        lists.push(format!("• *Re-uses it started:* {reused}"));
    }
    if !p.reused_by.is_empty() {
        let named: Vec<String> = p.reused_by.iter().map(|c| super::bold_text(c)).collect();
        lists.push(format!(
            "• *Councils that started re-using its work:* {}",
            named_then_counted(&named, "council")
        ));
    }
    // Its figures set against the period before's, after the period's lists.
    let compared = r.before.as_ref().and_then(|before| {
        let figures = |m: Option<&CouncilMoves>| {
            m.map_or([0; 4], |m| {
                [m.pitched, m.joined, m.reuses, m.reused_by_others].map(u64::from)
            })
        };
        let (now, then) = (figures(p.moves.as_ref()), figures(before.moves.as_ref()));
        let named = [
            "New projects it leads",
            "Joins by its people",
            "Projects it started re-using",
            "Re-uses of its work by other councils",
        ];
        let rows = named.into_iter().zip(now).zip(then);
        let rows = rows.map(|((what, now), then)| (what, now, then));
        compared(&r.days, before.first, before.last, rows)
    });
    // At the end of a period over, the projects it led then: a lead's "we led 4 at the
    // quarter's end".
    let at_end = p.led_open_at_end.as_ref().map(|open| {
        let led = match open_total(open) {
            0 => "no open project".to_string(),
            _ => open_projects(open),
        };
        format!(
            "*Where it stood at the period's end* ({})\n• Across every Makers workspace, it led {led}",
            long_day(r.days.last)
        )
    });
    let day = today_is(&r.days, at_end.is_some());
    let mut today = format!("*Where it stands today* ({day})");
    match &p.today {
        Some(line) => {
            today.push('\n');
            today.push_str(&super::councils::line(line));
        }
        None => today.push_str("\nNothing to its name yet."),
    }
    // As a code span that a backtick in the council's name cannot end.
    let again = escape(&format!("/makers report last quarter for {}", p.council));
    let closing = format!(
        "For another period: {}; the whole workspace's: `/makers report`.",
        super::code(&again)
    );
    let lists = (!lists.is_empty()).then(|| lists.join("\n"));
    let parts = [
        Some(head),
        lists,
        compared,
        at_end,
        Some(today),
        Some(closing),
    ];
    message(parts.into_iter().flatten().collect(), r.asked.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Phase;

    fn report(figures: ReportFigures) -> Report {
        Report {
            days: ReportDays {
                first: "2026-10-01".parse().unwrap(),
                last: "2027-01-05".parse().unwrap(),
                today: "2027-01-05".parse().unwrap(),
                span: SpanKind::Days,
                so_far: true,
            },
            of: ReportOf::ThisWorkspace,
            figures,
            before: None,
            asked: None,
        }
    }

    fn figures(happened: Happened) -> ReportFigures {
        ReportFigures {
            happened,
            ..ReportFigures::default()
        }
    }

    fn number(n: u32) -> ProjectNumber {
        ProjectNumber::new(n).unwrap()
    }

    /// Projects gone live are named, a few, then counted with those the reader may not be
    /// shown; of every workspace, by title alone.
    #[test]
    fn projects_gone_live_are_named_then_counted() {
        let live = |n: u32| (number(n), Title::parse(&format!("Service <{n}>")).unwrap());
        let figures = figures(Happened {
            moved_on: 8,
            went_live: (1..=7).map(live).collect(),
            went_live_unnamed: 1,
            ..Happened::default()
        });
        // In Slack five, then counted with the one the reader may not see, said apart: "and
        // 3 more" alone would read as a list cut short.
        let message = serde_json::to_string(&super::report(&report(figures.clone()))).unwrap();
        assert!(
            message.contains(
                "• *Went live:* #1 Service &lt;1&gt;, #2 Service &lt;2&gt;, #3 Service &lt;3&gt;, #4 Service &lt;4&gt;, #5 Service &lt;5&gt; and 3 more (1 not named here)\""
            ),
            "{message}"
        );
        // On a terminal, for a return, every one it may name.
        let text = report_text(&report(figures.clone()));
        assert!(
            text.contains(
                "• Projects: 8 projects moved to a later phase\n• Went live: #1 Service <1>, #2 Service <2>, #3 Service <3>, #4 Service <4>, #5 Service <5>, #6 Service <6>, #7 Service <7> and 1 more (not named here)\n"
            ),
            "{text}"
        );
        let mut every = report(figures);
        every.of = ReportOf::Every;
        assert!(report_text(&every).contains("• Went live: Service <1>, Service <2>"));
        let hidden = super::tests::figures(Happened {
            moved_on: 1,
            went_live_unnamed: 1,
            ..Happened::default()
        });
        assert!(report_text(&report(hidden)).contains("• Went live: 1 project (not named here)\n"));
    }

    /// Periods are named as the financial calendar names them, "so far" while going on.
    #[test]
    fn periods_are_named_as_councils_name_them() {
        let named = |span, first: &str, so_far| {
            let mut r = report(ReportFigures::default());
            r.days.span = span;
            r.days.first = first.parse().unwrap();
            r.days.so_far = so_far;
            report_text(&r).lines().next().unwrap().to_string()
        };
        assert_eq!(
            named(SpanKind::Quarter, "2026-10-01", true),
            "Makers in this workspace: 1 October 2026 to 5 January 2027 (Q3 of 2026/27, so far)"
        );
        assert!(named(SpanKind::Quarter, "2027-01-01", false).ends_with("(Q4 of 2026/27)"));
        assert!(named(SpanKind::Month, "2026-11-01", false).ends_with("(November 2026)"));
        assert!(
            named(SpanKind::Year, "2026-04-01", true)
                .ends_with("(the financial year 2026/27, so far)")
        );
        assert!(named(SpanKind::Ever, "2026-04-01", true).ends_with("(since the first pitch)"));
        assert!(named(SpanKind::Days, "2026-04-01", true).ends_with("to 5 January 2027"));
    }

    /// The figures moved in either period are set against the period before's, named as the
    /// report names its own (as far into it, while this one is going on); none when nothing
    /// moved in either, or there is no period before.
    #[test]
    fn figures_are_set_against_the_period_before() {
        // Four joins by three people now, by four then; one project merged away now.
        let now = Happened {
            pitched: 3,
            joins: 4,
            joiners: 3,
            retired: 1,
            retired_merged: 1,
            went_live: vec![(number(1), Title::parse("Bins").unwrap())],
            ..Happened::default()
        };
        let then = Happened {
            pitched: 5,
            joins: 4,
            joiners: 4,
            went_live_unnamed: 2,
            new_councils: vec!["Waverley".into()],
            ..Happened::default()
        };
        // The comparison's part of the text: its heading, then a line per figure.
        let against = |span, so_far, now: &Happened, before: Option<(&str, &str, &Happened)>| {
            let mut r = report(figures(now.clone()));
            r.days.span = span;
            r.days.so_far = so_far;
            r.before = before.map(|(first, last, happened)| crate::message::Before {
                first: first.parse().unwrap(),
                last: last.parse().unwrap(),
                happened: happened.clone(),
                open_at_end: None,
                people_at_end: None,
            });
            let text = report_text(&r);
            let at = text.find("\nCompared with ")?;
            let part = &text[at + 1..];
            Some(part[..part.find("\n\n").unwrap()].to_string())
        };
        let q2 = Some(("2026-07-01", "2026-09-30", &then));
        assert_eq!(
            against(SpanKind::Quarter, false, &now, q2).as_deref(),
            Some(
                "Compared with Q2 of 2026/27 (1 July to 30 September 2026)\n\
                 • Projects pitched: 3 (5 then)\n\
                 • Went live: 1 (2 then)\n\
                 • Retired: 1 (0 then)\n\
                 • Of them, merged into another project: 1 (0 then)\n\
                 • Joins: 4 (4 then)\n\
                 • People who joined: 3 (4 then)\n\
                 • Councils new to Makers: 0 (1 then)"
            )
        );
        let heading = |span, so_far, first: &str, last: &str| {
            let text = against(span, so_far, &now, Some((first, last, &then))).unwrap();
            text.lines().next().unwrap().to_string()
        };
        assert_eq!(
            heading(SpanKind::Quarter, true, "2026-07-01", "2026-09-05"),
            "Compared with the same point in Q2 of 2026/27 (1 July to 5 September 2026)"
        );
        assert_eq!(
            heading(SpanKind::Month, false, "2026-10-01", "2026-10-31"),
            "Compared with October 2026 (1 October to 31 October 2026)"
        );
        assert_eq!(
            heading(SpanKind::Year, false, "2025-04-01", "2026-03-31"),
            "Compared with the financial year 2025/26 (1 April 2025 to 31 March 2026)"
        );
        assert_eq!(
            heading(SpanKind::Days, true, "2026-09-01", "2026-09-30"),
            "Compared with the 30 days before (1 September to 30 September 2026)"
        );
        assert_eq!(
            heading(SpanKind::Days, false, "2026-09-30", "2026-09-30"),
            "Compared with the day before (30 September 2026)"
        );
        // Nothing this time, something then: said, as a fall is news too.
        let quiet = Happened::default();
        assert!(
            against(SpanKind::Quarter, false, &quiet, q2)
                .unwrap()
                .ends_with("• Projects pitched: 0 (5 then)\n• Went live: 0 (2 then)\n• Joins: 0 (4 then)\n• People who joined: 0 (4 then)\n• Councils new to Makers: 0 (1 then)")
        );
        // Nothing in either, or no period before: no part.
        assert_eq!(
            against(
                SpanKind::Quarter,
                false,
                &quiet,
                Some(("2026-07-01", "2026-09-30", &quiet))
            ),
            None
        );
        assert_eq!(against(SpanKind::Quarter, false, &now, None), None);
    }

    /// A period already over says where things stood at its end (open projects by phase)
    /// apart from today, and sets its open projects then against the period before's end;
    /// one still going, today's against the same point before.
    #[test]
    fn a_period_over_says_where_things_stood_at_its_end() {
        let moved = Happened {
            pitched: 2,
            ..Happened::default()
        };
        let mut r = report(ReportFigures {
            open: vec![(Phase::Beta, 1), (Phase::Live, 2)],
            open_at_end: Some(vec![(Phase::Discovery, 1), (Phase::Beta, 1)]),
            ..figures(moved.clone())
        });
        r.days.span = SpanKind::Quarter;
        r.days.so_far = false;
        r.days.last = "2026-12-31".parse().unwrap();
        r.before = Some(crate::message::Before {
            first: "2026-07-01".parse().unwrap(),
            last: "2026-09-30".parse().unwrap(),
            happened: Happened::default(),
            open_at_end: Some(1),
            people_at_end: None,
        });
        let text = report_text(&r);
        assert!(
            text.contains(
                "• Projects pitched: 2 (0 then)\n• Open projects at the end: 2 (1 then)\n\n\
                 Where things stood at the period's end (31 December 2026)\n\
                 • 2 open projects: 1 in discovery, 1 in beta\n\
                 • Teams, the catalogue and re-uses were not counted that night: today's are below.\n\n\
                 Where things stand today (5 January 2027)\n\
                 • 3 open projects: 1 in beta, 2 live\n"
            ),
            "{text}"
        );
        // Still going: its end is today, set against the same point before.
        r.days.so_far = true;
        r.figures.open_at_end = None;
        let text = report_text(&r);
        assert!(
            text.contains("• Projects pitched: 2 (0 then)\n• Open projects today: 3 (1 then)\n\nWhere things stand today (5 January 2027)\n"),
            "{text}"
        );
        assert!(!text.contains("stood at"), "{text}");
        // Nothing moved in either: no comparison, however many are open.
        r.figures.happened = Happened::default();
        assert!(!report_text(&r).contains("Compared with"));
    }

    /// Joins say how many people joined (one in two teams is one) and from how many
    /// councils; a report queued before people were counted says as it did.
    #[test]
    fn joins_say_how_many_people_took_part() {
        let joins = |joiners, join_councils| {
            let r = report(figures(Happened {
                joins: 3,
                joiners,
                join_councils,
                ..Happened::default()
            }));
            let text = report_text(&r);
            text.lines()
                .find(|l| l.starts_with("• Teams:"))
                .unwrap()
                .to_string()
        };
        assert_eq!(joins(2, 1), "• Teams: 3 joins, by 2 people from 1 council");
        assert_eq!(joins(1, 0), "• Teams: 3 joins, by 1 person");
        assert_eq!(joins(0, 2), "• Teams: 3 joins, by people from 2 councils");
        assert_eq!(joins(0, 0), "• Teams: 3 joins");
    }

    /// Council names are people's words: escaped, and in Slack past ten only counted; a
    /// terminal names every one (a return quotes them), and points to no list for the rest.
    #[test]
    fn councils_are_escaped_and_in_slack_past_ten_counted() {
        let by_council = (0..12)
            .map(|i| CouncilMoves {
                council: format!("<!channel> & Co {i:02}"),
                pitched: 1,
                joined: 0,
                joiners: 0,
                reuses: 0,
                reused_by_others: 0,
            })
            .collect();
        let r = report(ReportFigures {
            happened: Happened {
                pitched: 12,
                new_councils: (0..7).map(|i| format!("<!here> {i}")).collect(),
                ..Happened::default()
            },
            by_council,
            open: vec![(Phase::Discovery, 3), (Phase::Live, 1)],
            ..ReportFigures::default()
        });
        let message = serde_json::to_string(&super::report(&r)).unwrap();
        assert!(
            !message.contains("<!channel>") && !message.contains("<!here>"),
            "{message}"
        );
        assert!(
            message.contains("&lt;!channel&gt; &amp; Co 00"),
            "{message}"
        );
        assert!(
            !message.contains("Co 10") && message.contains("…and 2 more councils."),
            "{message}"
        );
        let text = report_text(&r);
        assert!(text.contains("<!channel> & Co 09"), "{text}");
        assert!(
            text.contains("• <!channel> & Co 11 took the lead"),
            "{text}"
        );
        assert!(!text.contains("more councils."), "{text}");
        // Slack names five, then counts; a terminal names every one, for a return.
        assert!(
            message.contains("&lt;!here&gt; 4 and 2 more councils"),
            "{message}"
        );
        assert!(
            text.contains("• New to Makers: <!here> 0, <!here> 1, <!here> 2, <!here> 3, <!here> 4, <!here> 5, <!here> 6\n"),
            "{text}"
        );
        assert!(
            text.contains("• 4 open projects: 3 in discovery, 1 live\n"),
            "{text}"
        );
    }

    /// A council's name holding a `*` (new to Makers, or re-using a council's work) shows it
    /// as `∗`, as every other council name does: in Slack it sits after a bold label, and on
    /// a terminal the `*` would be taken out with the bold marks.
    #[test]
    fn a_star_in_a_councils_name_is_kept_as_it_reads() {
        let r = report(figures(Happened {
            pitched: 1,
            new_councils: vec!["Foo*Bar".into()],
            ..Happened::default()
        }));
        assert!(report_text(&r).contains("• New to Makers: Foo\u{2217}Bar\n"));
        let message = serde_json::to_string(&super::report(&r)).unwrap();
        assert!(
            message.contains("*New to Makers:* Foo\u{2217}Bar"),
            "{message}"
        );
        let r = CouncilReport {
            days: report(ReportFigures::default()).days,
            part: crate::domain::CouncilInPeriod {
                reused_by: vec!["Foo*Bar".into()],
                ..crate::domain::CouncilInPeriod::nothing("Waverley")
            },
            before: None,
            asked: None,
            formerly: None,
        };
        let text = serde_json::to_string(&council_report(&r)).unwrap();
        assert!(
            text.contains("*Councils that started re-using its work:* Foo\u{2217}Bar"),
            "{text}"
        );
    }

    /// A council with no figure moved, but a project of its gone live here: the summary
    /// does not say nothing happened.
    #[test]
    fn a_council_with_only_a_project_gone_live_is_not_told_nothing_happened() {
        let r = CouncilReport {
            days: report(ReportFigures::default()).days,
            part: crate::domain::CouncilInPeriod {
                went_live: vec![(number(1), Title::parse("Bins").unwrap())],
                started_reusing_unnamed: 2,
                ..crate::domain::CouncilInPeriod::nothing("Waverley & <Co>")
            },
            before: None,
            asked: None,
            formerly: None,
        };
        let text = serde_json::to_string(&council_report(&r)).unwrap();
        assert!(
            text.contains("nothing changed for it: it led no new project, nobody from it joined a team")
                && text.contains("• *Went live here, led by it:* #1 Bins\\n• *Re-uses it started:* 2 projects (not named here)")
                && text.contains("*Waverley &amp; &lt;Co&gt; in Makers: ")
                && text.contains("Nothing to its name yet."),
            "{text}"
        );
    }

    /// A council's part is compared with the period before's, figure by figure, after its
    /// lists; not when nothing moved for it in either.
    #[test]
    fn a_councils_part_is_compared_unless_nothing_moved_in_either() {
        let moves = CouncilMoves {
            council: "Waverley".into(),
            pitched: 1,
            joined: 0,
            joiners: 0,
            reuses: 0,
            reused_by_others: 0,
        };
        let text = |now: Option<CouncilMoves>, then: Option<CouncilMoves>| {
            let r = CouncilReport {
                days: report(ReportFigures::default()).days,
                part: crate::domain::CouncilInPeriod {
                    moves: now,
                    went_live: vec![(number(1), Title::parse("Bins").unwrap())],
                    ..crate::domain::CouncilInPeriod::nothing("Waverley")
                },
                before: Some(crate::message::CouncilBefore {
                    first: "2026-07-01".parse().unwrap(),
                    last: "2026-09-30".parse().unwrap(),
                    moves: then,
                }),
                asked: None,
                formerly: None,
            };
            serde_json::to_string(&council_report(&r)).unwrap()
        };
        let compared = text(None, Some(moves.clone()));
        assert!(
            compared.contains("• *Went live here, led by it:* #1 Bins\",\"verbatim\":true}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Compared with the 92 days before* (1 July to 30 September 2026)\\n• New projects it leads: 0 (1 then)\""),
            "{compared}"
        );
        let compared = text(Some(moves), None);
        assert!(
            compared
                .contains("(1 July to 30 September 2026)\\n• New projects it leads: 1 (0 then)\""),
            "{compared}"
        );
        let quiet = text(None, None);
        assert!(!quiet.contains("Compared with"), "{quiet}");
    }

    /// The closing line gives the command as a code span, which a backtick in the
    /// council's name cannot end.
    #[test]
    fn a_backtick_in_a_councils_name_does_not_end_its_command() {
        let r = CouncilReport {
            days: report(ReportFigures::default()).days,
            part: crate::domain::CouncilInPeriod::nothing("Back`tick"),
            before: None,
            asked: None,
            formerly: None,
        };
        let text = serde_json::to_string(&council_report(&r)).unwrap();
        assert!(
            text.contains("For another period: ```/makers report last quarter for Back`tick```;"),
            "{text}"
        );
    }
}
