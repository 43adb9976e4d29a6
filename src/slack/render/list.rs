//! `list`: projects grouped by phase, packed within Slack's limits.

use slack_morphism::prelude::*;

use super::fit::{Packer, truncate};
use super::{bold_text, count, escape, plain, title_text};
use crate::domain::{CouncilPart, ListFilter, Phase, ProjectSummary};

pub(super) fn summary_line(p: &ProjectSummary) -> String {
    line(p, "")
}

/// A list line, `phase` said after the title (empty: not said, the list being grouped by
/// phase).
fn line(p: &ProjectSummary, phase: &str) -> String {
    let people = count(p.members, "member", "members");
    let quiet = if p.quiet { " · :zzz: quiet" } else { "" };
    format!(
        "• *{}* {}{phase} · {people}{quiet}{}",
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
    let phase = match p.phase {
        Phase::Retired => " · retired, taking nobody new".to_string(),
        phase => format!(" · in {phase}"),
    };
    line(p, &phase)
}

fn heading(filter: &ListFilter, n: usize) -> String {
    match filter {
        ListFilter::Open => format!("*Open projects ({n})*"),
        ListFilter::Phase(p) => format!("*Projects in {p} ({n})*"),
        ListFilter::Mine => format!("*Your projects ({n})*"),
        ListFilter::Quiet => format!("*Quiet projects ({n})*: no update for a while"),
        ListFilter::Needs(skill) => format!("*Open projects looking for: {skill} ({n})*"),
        ListFilter::Council { name, .. } => format!(
            "*Open projects {} leads, works on or re-uses ({n})*",
            bold_text(name)
        ),
    }
}

fn empty(filter: &ListFilter) -> String {
    match filter {
        ListFilter::Open => "No open projects yet. Pitch one with `/makers pitch &lt;title&gt; | &lt;description&gt;`.".into(),
        ListFilter::Phase(p) => format!("No projects in {p} right now."),
        // (Retired projects' teams are their history, not listed here: someone in those
        // alone is in no open project's team, rather than in none.)
        ListFilter::Mine => "You're not in the team of any open project. `/makers list` shows the open projects; join one with `/makers join &lt;id&gt;`.".into(),
        ListFilter::Quiet => "No quiet projects: every team has posted lately.".into(),
        ListFilter::Needs(skill) => format!("No open project is looking for: {skill} right now. A team says what it wants with `/makers wants &lt;id&gt; {skill}`."),
        ListFilter::Council { name, .. } => format!("No open project is led, worked on or re-used by {} right now. `/makers councils` shows every council's give and take.", escape(name)),
    }
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

/// Lines grouped under a heading per phase, packed within Slack's limits (`fit`); whatever
/// does not fit is summarised in a last line rather than failing the post.
pub fn project_list(filter: &ListFilter, projects: &[ProjectSummary]) -> SlackMessageContent {
    if projects.is_empty() {
        return plain(empty(filter));
    }
    let mut lines = vec![heading(filter, projects.len())];
    let mut order = Vec::with_capacity(projects.len());
    for phase in Phase::ALL {
        let group: Vec<&ProjectSummary> = projects.iter().filter(|p| p.phase == phase).collect();
        if group.is_empty() {
            continue;
        }
        order.push((format!("_{}_ ({})", phase.heading(), group.len()), group));
    }
    let mut packer = Packer::new();
    packer.start(&lines.remove(0));
    let mut shown = 0;
    'groups: for (title, group) in order {
        if !packer.add(&title) {
            break;
        }
        for p in group {
            if !packer.add(&summary_line(p)) {
                break 'groups;
            }
            shown += 1;
        }
    }
    let rest = (shown < projects.len())
        .then(|| format!("…and {} more. {}", projects.len() - shown, narrower(filter)));
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(heading(filter, projects.len()).replace('*', ""))
        .with_blocks(blocks)
}

/// `search`: the matches, best first, as list lines.
/// `more`: more projects match than `projects` (the best of them).
pub fn search_results(words: &str, projects: &[ProjectSummary], more: bool) -> SlackMessageContent {
    let words = escape(words);
    if projects.is_empty() {
        return plain(format!(
            "No projects match “{words}”. `/makers list` shows the open ones; if nobody is doing it yet, pitch it with `/makers pitch &lt;title&gt;`."
        ));
    }
    let head = format!("*Projects matching “{words}”*, best first");
    let mut packer = Packer::new();
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
    SlackMessageContent::new()
        .with_text(truncate(head.replace('*', "")))
        .with_blocks(packer.into_blocks(Some(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
