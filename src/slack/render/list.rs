//! `list`: projects grouped by phase, packed within Slack's limits.

use slack_morphism::prelude::*;

use super::{MAX_BLOCKS, MAX_MESSAGE_CHARS, MAX_SECTION_CHARS, escape, plain, section};
use crate::domain::{ListFilter, Phase, ProjectSummary};

fn summary_line(p: &ProjectSummary) -> String {
    let people = match p.members {
        1 => "1 member".to_string(),
        n => format!("{n} members"),
    };
    let quiet = if p.quiet { " · :zzz: quiet" } else { "" };
    format!(
        "• *{}* {} · {people}{quiet}",
        p.number,
        escape(p.title.as_str()),
    )
}

fn heading(filter: ListFilter, n: usize) -> String {
    match filter {
        ListFilter::Open => format!("*Open projects ({n})*"),
        ListFilter::Phase(p) => format!("*Projects in {p} ({n})*"),
        ListFilter::Mine => format!("*Your projects ({n})*"),
        ListFilter::Quiet => format!("*Quiet projects ({n})*: no update for a while"),
    }
}

fn empty(filter: ListFilter) -> String {
    match filter {
        ListFilter::Open => "No open projects yet. Pitch one with `/makers pitch &lt;title&gt; | &lt;description&gt;`.".into(),
        ListFilter::Phase(p) => format!("No projects in {p} right now."),
        ListFilter::Mine => "You're not in any team yet. `/makers list` shows the open projects; join one with `/makers join &lt;id&gt;`.".into(),
        ListFilter::Quiet => "No quiet projects: every team has posted lately.".into(),
    }
}

/// Lines grouped under a heading per phase, packed into sections of at most
/// [`MAX_SECTION_CHARS`], at most [`MAX_BLOCKS`] of them and [`MAX_MESSAGE_CHARS`] in all;
/// whatever does not fit is summarised in a last line rather than failing the post.
pub fn project_list(filter: ListFilter, projects: &[ProjectSummary]) -> SlackMessageContent {
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
        order.push((format!("_{}_ ({})", capitalised(phase), group.len()), group));
    }
    let mut packer = Packer::new(&lines.remove(0));
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
    let mut sections = packer.sections;
    if shown < projects.len() {
        sections.push(format!(
            "…and {} more. `/makers list &lt;phase&gt;` narrows the list; `/makers show &lt;id&gt;` opens one.",
            projects.len() - shown
        ));
    }
    let blocks = sections
        .into_iter()
        .map(|s| section(s).into())
        .collect::<Vec<SlackBlock>>();
    SlackMessageContent::new()
        .with_text(heading(filter, projects.len()).replace('*', ""))
        .with_blocks(blocks)
}

fn capitalised(p: Phase) -> String {
    let s = p.as_str();
    s[..1].to_uppercase() + &s[1..]
}

/// Fills sections line by line within the limits.
struct Packer {
    sections: Vec<String>,
    /// Characters in all sections, and in the last one.
    total: usize,
    last: usize,
}

impl Packer {
    fn new(first: &str) -> Packer {
        let n = first.chars().count();
        Packer {
            sections: vec![first.to_string()],
            total: n,
            last: n,
        }
    }

    /// Adds a line; false when the message is full.
    fn add(&mut self, line: &str) -> bool {
        let len = line.chars().count();
        if self.total + len + 1 > MAX_MESSAGE_CHARS {
            return false;
        }
        let last = self.sections.last_mut().expect("never empty");
        if self.last + 1 + len <= MAX_SECTION_CHARS {
            last.push('\n');
            last.push_str(line);
            self.last += 1 + len;
        } else if self.sections.len() < MAX_BLOCKS {
            self.sections.push(line.to_string());
            self.last = len;
        } else {
            return false;
        }
        self.total += len + 1;
        true
    }
}
