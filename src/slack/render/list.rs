//! `list`: projects grouped by phase, packed within Slack's limits.

use slack_morphism::prelude::*;

use super::fit::{
    Packer, longest_more, more_after, paged_by, past_the_end, section, spoken, truncate,
};
use super::{Look, bold_text, count, escape, plain, title_text};
use crate::domain::{
    CouncilPart, Formerly, ListFilter, Page, Phase, ProjectSummary, ServiceElsewhere, now_is,
};

pub(super) fn summary_line(p: &ProjectSummary) -> String {
    line(p, "")
}

/// A list line, `phase` said after the title (empty: not said, the list being grouped by
/// phase).
fn line(p: &ProjectSummary, phase: &str) -> String {
    let people = count(p.members, "member", "members");
    let quiet = if p.quiet { " · :zzz: quiet" } else { "" };
    // Grouped under "Retired": where a merged one's work carries on.
    let merged = match (phase.is_empty(), p.carries_on_in) {
        (true, Some(into)) => format!(" · merged into *{into}*"),
        _ => String::new(),
    };
    format!(
        "• *{}* {}{phase}{merged} · {people}{quiet}{}",
        p.number,
        title_text(&p.title),
        council_part(p.council_part),
    )
}

/// In a council's list, what the council does in the project: " · leads, works on".
fn council_part(part: Option<CouncilPart>) -> String {
    let Some(part) = part else {
        return String::new();
    };
    let said: Vec<&str> = [
        (part.leads, "leads"),
        (part.works_on, "works on"),
        (part.reuses, "re-uses"),
    ]
    .into_iter()
    .filter_map(|(is, word)| is.then_some(word))
    .collect();
    match said.is_empty() {
        true => String::new(),
        false => format!(" · _{}_", said.join(", ")),
    }
}

/// [`summary_line`] with the project's phase, for a line not grouped under its phase
/// (a search's): whether it is only an idea, or running, or retired (taking nobody new).
pub(super) fn summary_line_with_phase(p: &ProjectSummary) -> String {
    let phase = match (p.phase, p.carries_on_in) {
        (Phase::Retired, Some(into)) => format!(" · retired, merged into *{into}*"),
        (Phase::Retired, None) => " · retired, taking nobody new".to_string(),
        (phase, _) => format!(" · in {phase}"),
    };
    line(p, &phase)
}

/// A list's heading: its first line, then what became of a former council it was asked for
/// by, if it was (`formerly_said`, on a line of its own), kept apart so that a page's marker
/// goes on the first line.
fn heading(filter: &ListFilter, n: usize) -> (String, String) {
    let formerly = match filter {
        ListFilter::Council { name, formerly, .. } => formerly_said(name, formerly.as_ref()),
        _ => String::new(),
    };
    (heading_line(filter, n), formerly)
}

/// A list's heading's first line.
fn heading_line(filter: &ListFilter, n: usize) -> String {
    match filter {
        ListFilter::Open => format!("*Open projects ({n})*"),
        ListFilter::Phase(p) => format!("*Projects in {p} ({n})*"),
        ListFilter::Mine => format!("*Your projects ({n})*"),
        ListFilter::Quiet => format!("*Quiet projects ({n})*: no update for a while"),
        ListFilter::Needs(skill) => format!("*Open projects looking for: {skill} ({n})*"),
        ListFilter::Council { name, .. } => format!(
            "*Open projects {} leads, works on or re-uses ({n})*",
            bold_text(name),
        ),
    }
}

/// Said where projects may be left out (`left_out`): with none shown, there may still be some.
const LEFT_OUT: &str = "Some may be left out here: a private channel's projects are shown only there and to their teams, and a mention in a channel shared with another organisation shows only that channel's.";

/// What an empty list says; where projects may be left out, that none is shown here, not
/// that there are none (nor an invitation to pitch what may exist).
fn empty(filter: &ListFilter, left_out: bool) -> String {
    if left_out {
        return none_shown(filter);
    }
    match filter {
        ListFilter::Open => "No open projects yet. Pitch one with `/makers pitch &lt;title&gt; | &lt;description&gt;`.".into(),
        ListFilter::Phase(p) => format!("No projects in {p} right now."),
        // (Retired projects' teams are their history, not listed here: someone in those
        // alone is in no open project's team, rather than in none.)
        ListFilter::Mine => "You're not in the team of any open project. `/makers list` shows the open projects; join one with `/makers join &lt;id&gt;`.".into(),
        ListFilter::Quiet => "No quiet projects: every team has posted lately.".into(),
        ListFilter::Needs(skill) => format!("No open project is looking for: {skill} right now. A team says what it wants with `/makers wants &lt;id&gt; {skill}`."),
        ListFilter::Council { name, formerly, .. } => format!("No open project is led, worked on or re-used by {} right now.{} `/makers councils` shows every council's give and take.", escape(name), formerly_said(name, formerly.as_ref())),
    }
}

/// [`empty`] where projects may be left out.
fn none_shown(filter: &ListFilter) -> String {
    match filter {
        ListFilter::Open => format!("I have no open project to show you here. {LEFT_OUT}"),
        ListFilter::Phase(p) => format!("I have no project in {p} to show you here. {LEFT_OUT}"),
        ListFilter::Mine => format!("I have no open project of yours to show you here. {LEFT_OUT}"),
        ListFilter::Quiet => format!("I have no quiet project to show you here. {LEFT_OUT}"),
        ListFilter::Needs(skill) => {
            format!("I have no open project looking for: {skill} to show you here. {LEFT_OUT}")
        }
        ListFilter::Council { name, formerly, .. } => format!(
            "I have no open project led, worked on or re-used by {} to show you here. {LEFT_OUT}{}",
            escape(name),
            formerly_said(name, formerly.as_ref())
        ),
    }
}

/// On a line of its own, what became of the former council the list was asked for by.
fn formerly_said(name: &str, formerly: Option<&Formerly>) -> String {
    formerly.map_or_else(String::new, |former| format!("\n{}", became(former, name)))
}

/// "*Waverley Borough Council* is now part of *West Surrey Council*." (or "is now called").
pub(super) fn became(former: &Formerly, successor: &str) -> String {
    format!(
        "*{}* {} *{}*.",
        bold_text(&former.name),
        now_is(former.renamed),
        bold_text(successor)
    )
}

/// What to do when a list is cut short: a phase narrows the whole list; for a list already
/// narrowed (to a phase, a skill, a council, the quiet ones), where a phase would repeat it
/// or lose what it was narrowed by, a search by words (of the whole workspace).
fn narrower(filter: &ListFilter) -> &'static str {
    match filter {
        ListFilter::Open => {
            "`/makers list &lt;phase&gt;` narrows the list; `/makers show &lt;id&gt;` opens one."
        }
        _ => {
            "`/makers search &lt;words&gt;` finds a project by its words; `/makers show &lt;id&gt;` opens one."
        }
    }
}

/// Lines grouped under a heading per phase, packed within Slack's limits (`fit`). A list
/// too long for one message is shown a page at a time (`list … page 2`): each page goes on
/// where the one before stopped, and says how to see the next.
/// `left_out`: projects may be left out where it was asked.
pub fn project_list(
    filter: &ListFilter,
    projects: &[ProjectSummary],
    page: Page,
    left_out: bool,
) -> SlackMessageContent {
    if projects.is_empty() {
        return plain(empty(filter, left_out));
    }
    let groups: Vec<(Phase, Vec<&ProjectSummary>)> = Phase::ALL
        .into_iter()
        .map(|phase| {
            (
                phase,
                projects.iter().filter(|p| p.phase == phase).collect(),
            )
        })
        .filter(|(_, group): &(Phase, Vec<_>)| !group.is_empty())
        .collect();
    // The closing line: measured at its longest for the page's room, then said.
    let closing_line = |more: String| format!("{more}. {}", narrower(filter));
    let list = Listing {
        filter,
        groups,
        total: projects.len(),
        closing: longest_more(&filter.typed(), projects.len())
            .map_or(0, |more| closing_line(more).chars().count()),
    };
    let (packer, shown) = match paged_by(projects.len(), page, |start, page| list.pack(start, page))
    {
        Ok(packed) => packed,
        Err(pages) => return past_the_end(&filter.typed(), pages),
    };
    let rest = more_after(&filter.typed(), shown.end, projects.len(), page).map(closing_line);
    let heading = heading(filter, projects.len());
    // A page says which it is, as its blocks' heading does.
    let which = match shown.len() < projects.len() {
        true => format!(" · page {}", page.get()),
        false => String::new(),
    };
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(spoken(
            &format!("{}{which}{}", heading.0, heading.1).replace('*', ""),
            &blocks,
        ))
        .with_blocks(blocks)
}

/// A list's projects grouped by phase, to pack into pages.
struct Listing<'a> {
    filter: &'a ListFilter,
    groups: Vec<(Phase, Vec<&'a ProjectSummary>)>,
    /// Projects in all the groups.
    total: usize,
    /// Characters a page's closing line takes at most, which its `text` says too.
    closing: usize,
}

impl Listing<'_> {
    /// Packs the projects from the `start`th (in the groups' order) into one message: the
    /// whole list's (`page` none) or that page's; and how many of them fit.
    fn pack(&self, start: usize, page: Option<Page>) -> (Packer, usize) {
        let (mut opening, formerly) = heading(self.filter, self.total);
        if let Some(page) = page {
            // On the heading's own line, not after what became of a former council.
            opening.push_str(&format!(" · page {}", page.get()));
        }
        opening.push_str(&formerly);
        // As much as its `text` can say: the heading is its first line there too.
        let mut packer = Packer::page(opening.chars().count() + self.closing);
        if page.is_some() && self.groups.len() > 1 {
            let phases: Vec<String> = self
                .groups
                .iter()
                .map(|(phase, group)| format!("{phase} {}", group.len()))
                .collect();
            opening.push_str(&format!("\nBy phase: {}", phases.join(" · ")));
        }
        packer.start(&opening);
        let (mut seen, mut shown) = (0, 0);
        'groups: for (phase, group) in &self.groups {
            if seen + group.len() <= start {
                seen += group.len();
                continue;
            }
            let from = start.saturating_sub(seen);
            let more = match from {
                0 => String::new(),
                _ => ", continued".to_string(),
            };
            // A group's heading goes with its first line, never alone at a page's foot.
            let Some((first, rest)) = group[from..].split_first() else {
                continue;
            };
            let heading = format!("_{}_ ({}{more})", phase.heading(), group.len());
            if !packer.add(&format!("{heading}\n{}", summary_line(first))) {
                break;
            }
            shown += 1;
            for p in rest {
                if !packer.add(&summary_line(p)) {
                    break 'groups;
                }
                shown += 1;
            }
            seen += group.len();
        }
        (packer, shown)
    }
}

/// `search`: the matches, best first, as list lines.
/// `more`: more projects match than `projects` (the best of them); `left_out`: projects may
/// be left out where it was asked, so with none shown, none is invited to be pitched.
pub fn search_results(
    typed: &str,
    (projects, more, left_out): (&[ProjectSummary], bool, bool),
    (elsewhere, more_elsewhere): (&[ServiceElsewhere], bool),
    look: &Look,
) -> SlackMessageContent {
    let words = escape(typed);
    let built_elsewhere = (!elsewhere.is_empty())
        .then(|| super::elsewhere::for_search(typed, elsewhere, more_elsewhere, look));
    if projects.is_empty() {
        let none = match (&built_elsewhere, left_out) {
            (None, false) => format!(
                "No projects match “{words}”. `/makers list` shows the open ones; if nobody is doing it yet, pitch it with `/makers pitch &lt;title&gt;`."
            ),
            (Some(_), false) => truncate(format!("No projects of this workspace match “{words}”.")),
            (_, true) => truncate(format!(
                "I have no project matching “{words}” to show you here. {LEFT_OUT}"
            )),
        };
        let Some(built) = built_elsewhere else {
            return plain(none);
        };
        let told = truncate(format!(
            "{none} {}",
            super::elsewhere::for_search_text(elsewhere.len(), more_elsewhere)
        ));
        let blocks: Vec<SlackBlock> = [
            Some(section(none)),
            Some(section(built)),
            // Not where it may be this workspace's, left out here.
            (!left_out).then(|| {
                section(
                    "If none of these is what you need, pitch yours with `/makers pitch &lt;title&gt;`."
                        .into(),
                )
            }),
        ]
        .into_iter()
        .flatten()
        .map(Into::into)
        .collect();
        return SlackMessageContent::new()
            .with_text(spoken(&told, &blocks))
            .with_blocks(blocks);
    }
    // Below ten of the workspace's own on a phone, the other workspaces' are far down.
    let below = match (elsewhere.len(), more_elsewhere) {
        (0, _) => String::new(),
        (1, false) => " (and 1 published by another workspace, below)".to_string(),
        (n, false) => format!(" (and {n} published by other workspaces, below)"),
        (n, true) => format!(" (and more than {n} published by other workspaces, below)"),
    };
    let head = format!("*Projects matching “{words}”*, best first{below}");
    let room = built_elsewhere.as_ref().map_or(0, |b| b.chars().count());
    let mut packer = Packer::leaving(room);
    packer.start(&head);
    let shown = projects
        .iter()
        .take_while(|p| packer.add(&summary_line_with_phase(p)))
        .count();
    // The commands to go on are said whether or not the list was cut; joining only where
    // one of them takes people (a retired project takes nobody).
    let open = projects.iter().any(|p| p.phase != Phase::Retired) || more;
    let next = match (open, projects.len()) {
        (true, _) => {
            "`/makers show &lt;id&gt;` tells you more about one; `/makers join &lt;id&gt;` joins its team."
        }
        (false, 1) => {
            "`/makers show &lt;id&gt;` tells you more. It is retired, so it takes nobody new."
        }
        (false, _) => {
            "`/makers show &lt;id&gt;` tells you more about one. They are retired, so they take nobody new."
        }
    };
    let rest = if shown < projects.len() || more {
        // A search matches any of its words, ranked (a title's words count most): another
        // word brings the one looked for up, rather than narrows.
        format!(
            "More projects match than are listed here; the best matches come first (a title's words count most), so another word of what you look for brings it up. {next}"
        )
    } else {
        next.to_string()
    };
    let mut blocks = packer.into_blocks(Some(rest));
    blocks.extend(built_elsewhere.map(|built| section(built).into()));
    SlackMessageContent::new()
        .with_text(spoken(&truncate(head.replace('*', "")), &blocks))
        .with_blocks(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProjectNumber, Title};

    /// `n` projects with 120-character titles, a quarter in each phase but retired, numbered
    /// from 1 (newest first within a phase, as the store lists them).
    fn long_list(n: u32) -> Vec<ProjectSummary> {
        (1..=n)
            .map(|i| ProjectSummary {
                number: ProjectNumber::new(i).unwrap(),
                title: Title::parse(&format!("{i:04} {}", "w".repeat(115))).unwrap(),
                phase: Phase::ALL[(i % 4) as usize],
                members: i,
                quiet: false,
                council_part: None,
                carries_on_in: None,
            })
            .collect()
    }

    /// The project numbers a list message shows, in order, and its whole text.
    fn shown(message: &SlackMessageContent) -> (Vec<u32>, String) {
        let text = serde_json::to_string(&message.blocks).unwrap();
        let numbers = text
            .split("• *#")
            .skip(1)
            .map(|rest| rest.split('*').next().unwrap().parse().unwrap())
            .collect();
        (numbers, text)
    }

    /// A list too long for a message is read to its end a page at a time: every project
    /// once, in the list's order, each page naming the command for the next, and a page's
    /// groups saying where they go on from the page before.
    #[test]
    fn a_long_list_is_read_to_its_end_page_by_page() {
        for filter in [ListFilter::Open, ListFilter::Phase(Phase::Discovery)] {
            let projects: Vec<ProjectSummary> = long_list(400)
                .into_iter()
                .filter(|p| filter == ListFilter::Open || p.phase == Phase::Discovery)
                .collect();
            let mut order: Vec<u32> = Vec::new();
            for phase in Phase::ALL {
                order.extend(
                    projects
                        .iter()
                        .filter(|p| p.phase == phase)
                        .map(|p| p.number.get()),
                );
            }
            let mut seen = Vec::new();
            let mut page = Page::FIRST;
            loop {
                let message = project_list(&filter, &projects, page, false);
                let (numbers, text) = shown(&message);
                assert!(!numbers.is_empty(), "page {page:?}: {text}");
                // No phase's heading is left at a page's foot without its first line.
                let sections = serde_json::to_value(&message.blocks).unwrap();
                for section in sections.as_array().unwrap() {
                    let last = section["text"]["text"].as_str().unwrap().lines().last();
                    assert!(!last.unwrap().starts_with('_'), "{text}");
                }
                assert!(text.contains(&format!(" · page {}", page.get())), "{text}");
                seen.extend(numbers);
                if seen.len() == order.len() {
                    assert!(!text.contains("more"), "the last page: {text}");
                    break;
                }
                let next = page.next().unwrap();
                let command = format!(
                    "`/makers {} page {}` shows the next",
                    filter.typed(),
                    next.get()
                );
                assert!(text.contains(&command), "{text}");
                page = next;
            }
            assert_eq!(seen, order, "{filter:?}");
            assert!(page.get() >= 2, "{} pages", page.get());
        }
        // The whole list's counts by phase, on a page of it.
        let (_, text) = shown(&project_list(
            &ListFilter::Open,
            &long_list(400),
            Page::new(2).unwrap(),
            false,
        ));
        assert!(
            text.contains("By phase: discovery 100 · alpha 100 · beta 100 · live 100")
                && text.contains(", continued)"),
            "{text}"
        );
    }

    /// A council's list asked for by a former name: a page's marker goes on the heading's
    /// own line, not after the line saying what became of the former council.
    #[test]
    fn a_page_of_a_council_asked_by_a_former_name_marks_the_heading() {
        let filter = ListFilter::Council {
            id: 1,
            name: "West Surrey Council".into(),
            formerly: Some(Formerly {
                name: "Waverley Borough Council".into(),
                renamed: false,
            }),
        };
        let message = project_list(&filter, &long_list(400), Page::new(2).unwrap(), false);
        let sections = serde_json::to_value(&message.blocks).unwrap();
        let opening = sections[0]["text"]["text"].as_str().unwrap().to_string();
        let lines: Vec<&str> = opening.lines().collect();
        assert_eq!(
            lines[..3],
            [
                "*Open projects West Surrey Council leads, works on or re-uses (400)* · page 2",
                "*Waverley Borough Council* is now part of *West Surrey Council*.",
                "By phase: discovery 100 · alpha 100 · beta 100 · live 100",
            ],
            "{opening}"
        );
    }

    /// A list that fits says nothing of pages; a page past the end says where the end is.
    #[test]
    fn a_list_that_fits_has_no_pages_and_a_page_past_the_end_says_which_is_last() {
        let short = long_list(10);
        let (numbers, text) = shown(&project_list(&ListFilter::Open, &short, Page::FIRST, false));
        assert_eq!(numbers.len(), 10);
        assert!(
            !text.contains("page") && !text.contains("By phase"),
            "{text}"
        );
        let past = project_list(&ListFilter::Open, &short, Page::new(2).unwrap(), false);
        assert_eq!(
            past.text.as_deref(),
            Some("The whole list fits on one page: `/makers list` shows it.")
        );
        let long = long_list(400);
        let past = project_list(&ListFilter::Quiet, &long, Page::new(40).unwrap(), false);
        let said = past.text.unwrap();
        assert!(
            said.starts_with("The list has ") && said.ends_with(" shows the last."),
            "{said}"
        );
    }

    /// `list … page N` as typed reads back as the same list and page.
    #[test]
    fn a_filter_typed_back_is_read_as_itself() {
        for filter in [
            ListFilter::Open,
            ListFilter::Phase(Phase::Beta),
            ListFilter::Mine,
            ListFilter::Quiet,
            ListFilter::Needs(crate::domain::Skill::UserResearcher),
        ] {
            let typed = format!("{} page 3", filter.typed());
            assert_eq!(
                crate::commands::parse(&typed),
                Ok(crate::commands::Command::List(
                    filter,
                    Page::new(3).unwrap()
                )),
                "{typed}"
            );
        }
    }

    /// A list cut short says how to narrow it: by phase only where a phase narrows it.
    #[test]
    fn a_cut_list_offers_a_narrower_one_that_keeps_its_filter() {
        assert!(narrower(&ListFilter::Open).contains("/makers list &lt;phase&gt;"));
        for filter in [
            ListFilter::Phase(Phase::Discovery),
            ListFilter::Mine,
            ListFilter::Quiet,
        ] {
            let said = narrower(&filter);
            assert!(
                said.contains("/makers search") && !said.contains("list &lt;phase&gt;"),
                "{filter:?}: {said}"
            );
        }
    }
}
