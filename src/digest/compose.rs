//! The digest composer: a snapshot of the store and a period in, a [`Digest`] out. Pure, so
//! its output is pinned by snapshot tests.

use std::collections::HashSet;

use super::{
    Digest, Headline, JoinItem, Listed, NeedItem, PhaseItem, PitchItem, ProjectRef, QuietItem,
    UpdateItem,
};

/// Most items shown per section; the rest are counted ("…and 12 more").
pub const MAX_ITEMS: usize = 8;
/// A team smaller than this "needs people".
pub const SMALL_TEAM: u32 = 3;
/// Longest description or update text shown, in characters.
pub const MAX_TEXT: usize = 280;

/// An open project, as the snapshot sees it at the end of the period.
#[derive(Debug, Clone)]
pub struct OpenProject {
    pub project: ProjectRef,
    pub members: u32,
    pub last_activity_at: i64,
}

/// What the store holds for one workspace and period, newest first within each list.
#[derive(Debug, Clone, Default)]
pub struct DigestSnapshot {
    pub new_pitches: Vec<PitchItem>,
    pub joins: Vec<JoinItem>,
    pub updates: Vec<UpdateItem>,
    pub phase_changes: Vec<PhaseItem>,
    pub open_projects: Vec<OpenProject>,
    /// Distinct people in open projects' teams, and the councils they said.
    pub people: u32,
    pub councils: u32,
}

/// Builds the digest for `[from, to)`; `quiet_after` is in seconds.
pub fn compose(snapshot: DigestSnapshot, (from, to): (i64, i64), quiet_after: i64) -> Digest {
    let mut active: HashSet<u32> = HashSet::new();
    active.extend(snapshot.new_pitches.iter().map(|p| p.project.number.get()));
    active.extend(snapshot.joins.iter().map(|j| j.project.number.get()));
    active.extend(snapshot.updates.iter().map(|u| u.project.number.get()));
    active.extend(
        snapshot
            .phase_changes
            .iter()
            .map(|p| p.project.number.get()),
    );

    // Fewest members first: they need people most.
    let mut need: Vec<NeedItem> = snapshot
        .open_projects
        .iter()
        .filter(|p| p.members < SMALL_TEAM)
        .map(|p| NeedItem {
            project: p.project.clone(),
            members: p.members,
        })
        .collect();
    need.sort_by_key(|n| (n.members, std::cmp::Reverse(n.project.number)));

    // Longest quiet first.
    let mut quiet: Vec<QuietItem> = snapshot
        .open_projects
        .iter()
        .filter(|p| p.last_activity_at <= to - quiet_after)
        .map(|p| QuietItem {
            project: p.project.clone(),
            quiet_days: (to - p.last_activity_at) / 86_400,
        })
        .collect();
    quiet.sort_by_key(|q| (std::cmp::Reverse(q.quiet_days), q.project.number));

    Digest {
        from,
        to,
        headline: Headline {
            active_projects: active.len() as u32,
            people: snapshot.people,
            councils: snapshot.councils,
            open_projects: snapshot.open_projects.len() as u32,
        },
        new_pitches: listed(snapshot.new_pitches.into_iter().map(|mut p| {
            p.description = shorten(&p.description);
            p
        })),
        joins: listed(snapshot.joins.into_iter()),
        updates: listed(snapshot.updates.into_iter().map(|mut u| {
            u.text = shorten(&u.text);
            u
        })),
        phase_changes: listed(snapshot.phase_changes.into_iter().map(|mut p| {
            p.note = shorten(&p.note);
            p
        })),
        need_people: listed(need.into_iter()),
        quiet: listed(quiet.into_iter()),
    }
}

fn listed<T>(all: impl ExactSizeIterator<Item = T>) -> Listed<T> {
    let total = all.len();
    let items: Vec<T> = all.take(MAX_ITEMS).collect();
    Listed {
        more: (total - items.len()) as u32,
        items,
    }
}

/// One line, at most [`MAX_TEXT`] characters, cut at a word where possible.
pub fn shorten(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_TEXT {
        return one_line;
    }
    let cut: String = one_line.chars().take(MAX_TEXT - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_TEXT / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{cut}…")
}
