//! A channel's weekly digest as the bot tells it, and the composer that makes one: a
//! snapshot of the store and a period in, a [`Digest`] out. Pure, so its output is pinned by
//! snapshot tests; `slack::render` turns it into a message.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::{
    CouncilMoves, DigestSnapshot, JoinItem, Period, PhaseItem, Piece, PitchItem, ProjectNumber,
    ProjectRef, ReuseItem, ServiceElsewhere, Slug, Title, Token, UpdateItem, pieces,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedItem {
    pub project: ProjectRef,
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietItem {
    pub project: ProjectRef,
    pub quiet_days: i64,
}

/// The first few of a list, and how many more there were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub more: u32,
}

impl<T> Listed<T> {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many there were: those shown and the rest.
    pub fn total(&self) -> usize {
        self.items.len() + self.more as usize
    }

    /// None at all, listed or counted (a list whose listed items were all taken out of it
    /// since may still count more).
    pub fn is_none(&self) -> bool {
        self.total() == 0
    }

    /// Takes the listed items that are `out` out of the list (those only counted stay
    /// counted). Whether there were any.
    fn take_out(&mut self, out: impl Fn(&T) -> bool) -> bool {
        let before = self.items.len();
        self.items.retain(|i| !out(i));
        self.items.len() < before
    }

    /// Nothing (what a digest stored before a section existed holds for it).
    pub fn empty() -> Listed<T> {
        Listed {
            items: Vec::new(),
            more: 0,
        }
    }
}

/// One line that sums the period up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// Projects with any news in the period.
    pub active_projects: u32,
    /// People in the teams of open projects.
    pub people: u32,
    /// Councils those people come from.
    pub councils: u32,
    pub open_projects: u32,
}

/// A channel's digest for `[from, to)` (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub from: i64,
    pub to: i64,
    pub headline: Headline,
    /// What moved per council in the period, most giving first (told under the headline).
    /// Absent in digests queued before it existed.
    #[serde(default = "Listed::empty")]
    pub give_and_take: Listed<CouncilMoves>,
    pub new_pitches: Listed<PitchItem>,
    pub joins: Listed<JoinItem>,
    pub updates: Listed<UpdateItem>,
    pub phase_changes: Listed<PhaseItem>,
    #[serde(default = "Listed::empty")]
    pub reuses: Listed<ReuseItem>,
    pub need_people: Listed<NeedItem>,
    pub quiet: Listed<QuietItem>,
    /// Services other workspaces put in the public catalogue in the period (not this
    /// workspace's news: a quiet week here stays quiet). Absent in digests queued before it
    /// existed.
    #[serde(default = "Listed::empty", skip_serializing_if = "Listed::is_none")]
    pub published_elsewhere: Listed<ServiceElsewhere>,
    /// Posted in a channel shared with another workspace or organisation (as Slack last
    /// said), whose people would run a typed `/makers join N` or `show N` in their own
    /// workspace: it points at the announcements instead. Absent in digests queued before it,
    /// and left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

/// What a digest says of an update its author withdrew after the digest was made.
pub const WITHDRAWN_IN_DIGEST: &str = "(withdrawn by its author)";

impl Digest {
    /// Gives update `update_id` its words now in this digest, shortened as [`compose`]
    /// shortens them, or [`WITHDRAWN_IN_DIGEST`] for `None` (withdrawn). The counts stay: the
    /// period had that update. Whether the digest names it.
    pub fn reword_update(&mut self, update_id: i64, words: Option<&str>) -> bool {
        let mut named = false;
        for u in self.updates.items.iter_mut() {
            if u.update == Some(update_id) {
                u.text = words.map_or_else(|| WITHDRAWN_IN_DIGEST.to_string(), shorten);
                named = true;
            }
        }
        named
    }

    /// Leaves out other workspaces' services `slugs`, taken out of the catalogue since the
    /// digest was made; those only counted ("…and 3 more") stay counted, as the digest does
    /// not know which they were. This workspace's own projects among them lose their
    /// "(catalogue)" link, whose page is gone. Whether it named or linked any.
    pub fn drop_services(&mut self, slugs: &HashSet<crate::domain::Slug>) -> bool {
        let items = &mut self.published_elsewhere.items;
        let before = items.len();
        items.retain(|s| !slugs.contains(&s.slug));
        let named = items.len() < before;
        let linked = self.unlink_projects(slugs);
        named || linked
    }

    /// Gives project `number` of this digest's workspace, edited since the digest was made,
    /// its `title` wherever the digest names it, and its new pitch, if it is one, its
    /// `description` shortened as [`compose`] shortens it. Only words of mentions already here
    /// change: the digest chose what to show. Whether anything changed.
    pub fn retitle_project(
        &mut self,
        number: ProjectNumber,
        title: &Title,
        description: &str,
    ) -> bool {
        let mut changed = false;
        let description = shorten(description);
        for pitch in self.new_pitches.items.iter_mut() {
            if pitch.project.number == number && pitch.description != description {
                pitch.description = description.clone();
                changed = true;
            }
        }
        for project in self.projects_mut() {
            if project.number == number && project.title != *title {
                project.title = title.clone();
                changed = true;
            }
        }
        changed
    }

    /// Leaves project `number` of this digest's workspace, retired (or merged) since the
    /// digest was made, out of the new pitches and the projects that need people, which
    /// invite people to join it, and out of those gone quiet, which ask its team for news,
    /// as [`compose`] would have. Listed in any of them, it was open when the digest was
    /// made: it is no longer counted among the open projects, nor among those with news when
    /// the digest lists news of it, as `compose` would not count a project retired in the
    /// period. Else the headline counts it above lists that leave it out ("1 of 3 open
    /// projects had news" above "A quiet week", "0 of 2" above one project needing people).
    /// Other counts stay: the period had it. Whether it was listed in any.
    pub fn drop_open_project(&mut self, number: ProjectNumber) -> bool {
        let pitched = self.new_pitches.take_out(|p| p.project.number == number);
        let needing = self.need_people.take_out(|n| n.project.number == number);
        let quiet = self.quiet.take_out(|q| q.project.number == number);
        if !(pitched || needing || quiet) {
            return false;
        }
        let had_news = pitched || self.lists_news_of(number);
        let h = &mut self.headline;
        h.open_projects = h.open_projects.saturating_sub(1);
        if had_news {
            h.active_projects = h.active_projects.saturating_sub(1);
        }
        // Its news only counted ("…and 3 more"), not listed, it stays counted as news: but
        // never more projects with news than open ones.
        h.active_projects = h.active_projects.min(h.open_projects);
        true
    }

    /// Whether the digest lists a join, an update, a phase change or a re-use of project
    /// `number` (each is news, counted in the headline of an open project).
    fn lists_news_of(&self, number: ProjectNumber) -> bool {
        let joins = self.joins.items.iter().map(|i| &i.project);
        let updates = self.updates.items.iter().map(|i| &i.project);
        let phases = self.phase_changes.items.iter().map(|i| &i.project);
        let reuses = self.reuses.items.iter().map(|i| &i.project);
        joins
            .chain(updates)
            .chain(phases)
            .chain(reuses)
            .any(|p| p.number == number)
    }

    /// Names other workspaces' service `slug`, renamed since the digest was made, `name` (as
    /// the catalogue names it now). Whether it named it otherwise before.
    pub fn rename_service(&mut self, slug: &Slug, name: &str) -> bool {
        let mut changed = false;
        for service in self.published_elsewhere.items.iter_mut() {
            if service.slug == *slug && service.name != name {
                service.name = name.to_string();
                changed = true;
            }
        }
        changed
    }

    /// Takes the catalogue link off every mention of this workspace's projects `slugs`.
    /// Whether any had one.
    fn unlink_projects(&mut self, slugs: &HashSet<crate::domain::Slug>) -> bool {
        let mut linked = false;
        for project in self.projects_mut() {
            if project
                .published
                .as_ref()
                .is_some_and(|s| slugs.contains(s))
            {
                project.published = None;
                linked = true;
            }
        }
        linked
    }

    /// Every mention of a project of this workspace. Every field is named, so that a new
    /// section is one more to think of here.
    fn projects_mut(&mut self) -> impl Iterator<Item = &mut ProjectRef> {
        let Digest {
            from: _,
            to: _,
            headline: _,
            give_and_take: _,
            new_pitches,
            joins,
            updates,
            phase_changes,
            reuses,
            need_people,
            quiet,
            published_elsewhere: _,
            shared: _,
        } = self;
        let new_pitches = new_pitches.items.iter_mut().map(|i| &mut i.project);
        let joins = joins.items.iter_mut().map(|i| &mut i.project);
        let updates = updates.items.iter_mut().map(|i| &mut i.project);
        let phase_changes = phase_changes.items.iter_mut().map(|i| &mut i.project);
        let reuses = reuses.items.iter_mut().map(|i| &mut i.project);
        let need_people = need_people.items.iter_mut().map(|i| &mut i.project);
        let quiet = quiet.items.iter_mut().map(|i| &mut i.project);
        new_pitches
            .chain(joins)
            .chain(updates)
            .chain(phase_changes)
            .chain(reuses)
            .chain(need_people)
            .chain(quiet)
    }

    /// Nothing happened in the period (projects needing people or gone quiet are not news).
    pub fn is_quiet_week(&self) -> bool {
        self.new_pitches.is_empty()
            && self.joins.is_empty()
            && self.updates.is_empty()
            && self.phase_changes.is_empty()
            && self.reuses.is_empty()
    }

    /// A quiet week with no open project either: a workspace yet to pitch one (or whose
    /// every project has closed), told how to start rather than "0 of 0".
    pub fn has_nothing_open(&self) -> bool {
        self.headline.open_projects == 0 && self.is_quiet_week()
    }
}

/// Most items shown per section; the rest are counted ("…and 12 more").
pub const MAX_ITEMS: usize = 8;
/// A team smaller than this "needs people".
pub const SMALL_TEAM: u32 = 3;
/// Longest description or update text shown, in characters.
pub const MAX_TEXT: usize = 280;
/// Most councils named in the give-and-take line; the rest are counted.
pub const MAX_COUNCILS_MOVED: usize = 5;

/// Builds the digest for `[from, to)`; `quiet_after` is in seconds.
pub fn compose(snapshot: DigestSnapshot, period: Period, quiet_after: i64) -> Digest {
    let Period { from, to } = period;
    let mut active: HashSet<u32> = HashSet::new();
    active.extend(snapshot.new_pitches.iter().map(|p| p.project.number.get()));
    active.extend(snapshot.joins.iter().map(|j| j.project.number.get()));
    active.extend(snapshot.updates.iter().map(|u| u.project.number.get()));
    active.extend(snapshot.reuses.iter().map(|r| r.project.number.get()));
    active.extend(
        snapshot
            .phase_changes
            .iter()
            .map(|p| p.project.number.get()),
    );

    // "N of M open projects had news": a project retired this week had news but is not open.
    let open: HashSet<u32> = snapshot
        .open_projects
        .iter()
        .map(|p| p.project.number.get())
        .collect();
    active.retain(|n| open.contains(n));

    // Fewest members first: they need people most. Not this period's new pitches, listed
    // above with how to join (a new pitch has one person nearly always, so each would be
    // listed twice every week).
    let pitched: HashSet<u32> = snapshot
        .new_pitches
        .iter()
        .map(|p| p.project.number.get())
        .collect();
    let mut need: Vec<NeedItem> = snapshot
        .open_projects
        .iter()
        .filter(|p| p.members < SMALL_TEAM && !pitched.contains(&p.project.number.get()))
        .map(|p| NeedItem {
            project: p.project.clone(),
            members: p.members,
        })
        .collect();
    need.sort_by_key(|n| (n.members, std::cmp::Reverse(n.project.number)));

    // Newest quiet first: a project that has just gone quiet is the news, and a line from its
    // team may yet come; one long quiet (a finished project nobody retired) would otherwise
    // head the section every week, and push the new ones into "…and N more".
    let mut quiet: Vec<QuietItem> = snapshot
        .open_projects
        .iter()
        .filter(|p| p.last_activity_at <= to - quiet_after)
        .map(|p| QuietItem {
            project: p.project.clone(),
            quiet_days: crate::domain::quiet_days(to, p.last_activity_at),
        })
        .collect();
    quiet.sort_by_key(|q| (q.quiet_days, std::cmp::Reverse(q.project.number)));

    // Each project's newest update first (newest first among them), then each one's second,
    // and so on: one busy team does not fill the section and leave the others counted.
    let mut round: HashMap<u32, usize> = HashMap::new();
    let mut updates: Vec<(usize, UpdateItem)> = snapshot
        .updates
        .into_iter()
        .map(|mut u| {
            let seen = round.entry(u.project.number.get()).or_default();
            *seen += 1;
            u.text = shorten(&u.text);
            (*seen, u)
        })
        .collect();
    // (Stable: the store's newest first stays within a round.)
    updates.sort_by_key(|(round, _)| *round);

    let mut moves = snapshot.council_moves;
    moves.retain(|c| c.reused_by_others + c.pitched + c.joined + c.reuses > 0);
    moves.sort_by(most_giving_first);

    Digest {
        from,
        to,
        headline: Headline {
            active_projects: active.len() as u32,
            people: snapshot.people,
            councils: snapshot.councils,
            open_projects: snapshot.open_projects.len() as u32,
        },
        give_and_take: listed_at_most(MAX_COUNCILS_MOVED, moves.into_iter()),
        new_pitches: listed(snapshot.new_pitches.into_iter().map(|mut p| {
            p.description = shorten(&p.description);
            p
        })),
        joins: listed(snapshot.joins.into_iter()),
        updates: listed(updates.into_iter().map(|(_, u)| u)),
        phase_changes: listed(snapshot.phase_changes.into_iter().map(|mut p| {
            p.note = shorten(&p.note);
            p
        })),
        reuses: listed(snapshot.reuses.into_iter().map(|mut r| {
            r.note = shorten(&r.note);
            r
        })),
        need_people: listed(need.into_iter()),
        quiet: listed(quiet.into_iter()),
        published_elsewhere: listed(snapshot.published_elsewhere.into_iter()),
        // Said by where it is posted (`handlers::digest`), not by its news.
        shared: false,
    }
}

/// As `/makers councils` ranks them: re-uses of its work by others, then projects pitched,
/// then its people's joins; then what it took up, then by name, so the order is stable.
pub(crate) fn most_giving_first(a: &CouncilMoves, b: &CouncilMoves) -> std::cmp::Ordering {
    let giving = |c: &CouncilMoves| (c.reused_by_others, c.pitched, c.joined, c.reuses);
    giving(b)
        .cmp(&giving(a))
        .then_with(|| a.council.cmp(&b.council))
}

fn listed<T>(all: impl ExactSizeIterator<Item = T>) -> Listed<T> {
    listed_at_most(MAX_ITEMS, all)
}

fn listed_at_most<T>(max: usize, all: impl ExactSizeIterator<Item = T>) -> Listed<T> {
    let total = all.len();
    let items: Vec<T> = all.take(max).collect();
    Listed {
        more: (total - items.len()) as u32,
        items,
    }
}

/// One line, at most [`MAX_TEXT`] characters (see [`shorten_to`]).
pub fn shorten(s: &str) -> String {
    shorten_to(s, MAX_TEXT)
}

/// One line, at most `max` characters, cut at a word where possible and never inside
/// a Slack token (half a link would show as its raw text): one that starts after the
/// beginning is left out whole; one at the very beginning, longer than the line (a long
/// pasted address), is read as its label or the site it is on.
pub fn shorten_to(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let end = one_line
        .char_indices()
        .nth(max - 1)
        .map_or(one_line.len(), |(i, _)| i);
    let cut = match token_across(&one_line, end) {
        // The token is left out whole.
        Some(start) if start > 0 => one_line[..start].trim_end(),
        // Shorter each time: the token's words are part of it.
        Some(_) => return shorten_to(&first_token_as_words(&one_line), max),
        _ => {
            let cut = &one_line[..end];
            // A word's end only if it keeps over half the line, counted in characters (a
            // byte position would leave most of a line in a script of wider letters).
            match cut.rfind(' ') {
                Some(i) if cut[..i].chars().count() > max / 2 => &cut[..i],
                _ => cut,
            }
        }
    };
    format!("{cut}…")
}

/// `line`, which starts with a Slack token, with that token as plain words: its label, or
/// for a link without one the site it is on (`<https://x.example/a/b>` reads `x.example`).
fn first_token_as_words(line: &str) -> String {
    let Some(Piece::Token { token, raw }) = pieces(line).next() else {
        return line.to_string();
    };
    let words = match token {
        Token::User { label: Some(l), .. }
        | Token::Channel { label: Some(l), .. }
        | Token::Special { label: Some(l), .. }
        | Token::Link { label: Some(l), .. }
            if !l.trim().is_empty() =>
        {
            l
        }
        Token::Link { target, .. } => {
            let site = target.split_once("://").map_or(target, |(_, rest)| rest);
            site.split(['/', '?', '#']).next().unwrap_or_default()
        }
        _ => "",
    };
    format!("{words}{}", &line[raw.len()..])
}

/// Where the Slack token that `end` falls inside starts, if it falls inside one.
fn token_across(text: &str, end: usize) -> Option<usize> {
    let mut at = 0;
    for piece in pieces(text) {
        let next = at + piece.raw().len();
        if next > end {
            return matches!(piece, Piece::Token { .. }).then_some(at);
        }
        at = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: Period = Period {
        from: 1_794_819_600,
        to: 1_795_424_400,
    };

    fn project(n: u32) -> ProjectRef {
        ProjectRef {
            number: crate::domain::ProjectNumber::new(n).unwrap(),
            title: crate::domain::Title::parse(&format!("Project {n}")).unwrap(),
            channel: crate::domain::ChannelId::parse("C1").unwrap(),
            announcement_ts: None,
            published: None,
        }
    }

    /// A space near the start of a line of wide letters (three bytes each) is no place to
    /// cut: the limit and the half of it are counted in characters.
    #[test]
    fn a_line_of_wide_letters_is_cut_near_its_limit() {
        let line = format!("{} {}", "議".repeat(50), "議".repeat(300));
        let cut = shorten_to(&line, 280);
        assert_eq!(cut.chars().count(), 280, "{cut}");
        assert!(cut.ends_with('…'));
        // A space past the half is still the place to cut.
        let line = format!("{} {}", "議".repeat(200), "議".repeat(300));
        assert_eq!(shorten_to(&line, 280), format!("{}…", "議".repeat(200)));
    }

    /// A busy week: one team posts ten updates, three others one each. Each project's
    /// newest is shown before any project's second, so the section names all four.
    #[test]
    fn one_busy_team_does_not_fill_the_updates() {
        let update = |n: u32, i: i64| UpdateItem {
            project: project(n),
            author: crate::domain::UserId::parse("U1").unwrap(),
            text: format!("news {n}.{i}"),
            update: Some(i),
        };
        // Newest first, as the store gives them: the busy project's ten are the newest.
        let mut updates: Vec<UpdateItem> = (0..10).map(|i| update(1, 100 - i)).collect();
        updates.extend([update(2, 50), update(3, 40), update(4, 30)]);
        let snapshot = DigestSnapshot {
            updates,
            ..DigestSnapshot::default()
        };
        let d = compose(snapshot, WEEK, 21 * 86_400);
        let shown: Vec<&str> = d.updates.items.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            shown,
            [
                "news 1.100",
                "news 2.50",
                "news 3.40",
                "news 4.30",
                "news 1.99",
                "news 1.98",
                "news 1.97",
                "news 1.96"
            ]
        );
        assert_eq!(d.updates.total(), 13, "every update counted");
    }

    /// The projects that have just gone quiet come first; the long quiet ones after.
    #[test]
    fn the_newly_quiet_come_first() {
        let open = |n: u32, days: i64| crate::domain::OpenProject {
            project: project(n),
            members: 3,
            last_activity_at: WEEK.to - days * 86_400,
        };
        let snapshot = DigestSnapshot {
            open_projects: vec![open(1, 300), open(2, 22), open(3, 5), open(4, 60)],
            ..DigestSnapshot::default()
        };
        let d = compose(snapshot, WEEK, 21 * 86_400);
        let quiet: Vec<(u32, i64)> = d
            .quiet
            .items
            .iter()
            .map(|q| (q.project.number.get(), q.quiet_days))
            .collect();
        assert_eq!(quiet, [(2, 22), (4, 60), (1, 300)]);
    }

    fn moved(council: &str, [by_others, pitched, joined, reuses]: [u32; 4]) -> CouncilMoves {
        CouncilMoves {
            council: council.into(),
            pitched,
            joined,
            joiners: joined,
            reuses,
            reused_by_others: by_others,
        }
    }

    fn give_and_take(moves: Vec<CouncilMoves>) -> Listed<CouncilMoves> {
        let snapshot = DigestSnapshot {
            council_moves: moves,
            ..DigestSnapshot::default()
        };
        compose(snapshot, WEEK, 56 * 86_400).give_and_take
    }

    /// Other workspaces' services are not this workspace's news: a week with only them is
    /// a quiet week; a service taken out of the catalogue leaves the list, not the count of
    /// those only counted.
    #[test]
    fn other_workspaces_services_are_listed_but_are_not_news() {
        let service = |slug: &str| ServiceElsewhere {
            slug: crate::domain::Slug::from_stored(slug.into()),
            name: slug.into(),
            phase: crate::domain::Phase::Live,
            lead_council: None,
            reused_by: 0,
            merged_into: None,
        };
        let snapshot = DigestSnapshot {
            published_elsewhere: (0..10).map(|i| service(&format!("s-{i}"))).collect(),
            ..DigestSnapshot::default()
        };
        let mut digest = compose(snapshot, WEEK, 56 * 86_400);
        assert!(digest.is_quiet_week());
        assert_eq!(
            (
                digest.published_elsewhere.items.len(),
                digest.published_elsewhere.more
            ),
            (MAX_ITEMS, 2)
        );
        let gone: HashSet<_> = ["s-0", "s-9"]
            .map(|s| crate::domain::Slug::from_stored(s.into()))
            .into();
        assert!(digest.drop_services(&gone));
        assert_eq!(
            (
                digest.published_elsewhere.items.len(),
                digest.published_elsewhere.more
            ),
            (MAX_ITEMS - 1, 2)
        );
        assert!(!digest.drop_services(&gone), "named no more");
        // Every listed one taken out: the count of the rest stays, stored and read back.
        let all: HashSet<_> = (0..10)
            .map(|i| crate::domain::Slug::from_stored(format!("s-{i}")))
            .collect();
        assert!(digest.drop_services(&all));
        assert!(digest.published_elsewhere.items.is_empty());
        let json = serde_json::to_string(&digest).unwrap();
        let back: Digest = serde_json::from_str(&json).unwrap();
        assert_eq!(back.published_elsewhere.more, 2, "{json}");
    }

    /// A project of this workspace unpublished (or taken down) after its digest was made
    /// loses its "(catalogue)" link wherever the digest names it; another published project
    /// keeps its own.
    #[test]
    fn a_project_taken_out_of_the_catalogue_loses_its_link_in_a_digest_still_to_go() {
        let published = |n: u32, slug: &str| ProjectRef {
            published: Some(crate::domain::Slug::from_stored(slug.into())),
            ..project(n)
        };
        let update = |project| UpdateItem {
            project,
            author: crate::domain::UserId::parse("U1").unwrap(),
            text: "news".into(),
            update: Some(1),
        };
        let open = |project| crate::domain::OpenProject {
            project,
            members: 1,
            last_activity_at: WEEK.to - 30 * 86_400,
        };
        let snapshot = DigestSnapshot {
            updates: vec![
                update(published(1, "bins")),
                update(published(2, "parking")),
            ],
            open_projects: vec![open(published(1, "bins"))],
            ..DigestSnapshot::default()
        };
        let mut digest = compose(snapshot, WEEK, 21 * 86_400);
        let gone: HashSet<_> = [crate::domain::Slug::from_stored("bins".into())].into();
        assert!(digest.drop_services(&gone));
        let slugs = |d: &Digest| -> Vec<Option<String>> {
            let of = |p: &ProjectRef| p.published.as_ref().map(|s| s.as_str().to_string());
            let updates = d.updates.items.iter().map(|u| of(&u.project));
            let needing = d.need_people.items.iter().map(|n| of(&n.project));
            let quiet = d.quiet.items.iter().map(|q| of(&q.project));
            updates.chain(needing).chain(quiet).collect()
        };
        assert_eq!(slugs(&digest), [None, Some("parking".into()), None, None]);
        assert!(!digest.drop_services(&gone), "linked no more");
    }

    /// An edit after the digest was made: every mention of the project takes the new title,
    /// its pitch the new description, shortened as the composer shortens it; others stay.
    #[test]
    fn an_edited_project_is_retitled_in_a_digest_still_to_go() {
        let pitch = |project| PitchItem {
            project,
            description: "Old words".into(),
            pitcher: crate::domain::UserId::parse("U1").unwrap(),
            council: None,
        };
        let open = |project| crate::domain::OpenProject {
            project,
            members: 1,
            last_activity_at: WEEK.to - 30 * 86_400,
        };
        let snapshot = DigestSnapshot {
            new_pitches: vec![pitch(project(1)), pitch(project(2))],
            open_projects: vec![open(project(1)), open(project(2))],
            ..DigestSnapshot::default()
        };
        let mut digest = compose(snapshot, WEEK, 21 * 86_400);
        let title = Title::parse("Bin day finder").unwrap();
        let long = "word ".repeat(100);
        assert!(digest.retitle_project(project(1).number, &title, &long));
        let titles = |d: &Digest| -> Vec<String> {
            let pitches = d.new_pitches.items.iter().map(|p| &p.project);
            let quiet = d.quiet.items.iter().map(|q| &q.project);
            pitches
                .chain(quiet)
                .map(|p| p.title.as_str().to_string())
                .collect()
        };
        assert_eq!(
            titles(&digest),
            ["Bin day finder", "Project 2", "Project 2", "Bin day finder"]
        );
        let pitched = &digest.new_pitches.items[0];
        assert_eq!(pitched.description, shorten(&long));
        assert_eq!(digest.new_pitches.items[1].description, "Old words");
        assert!(
            !digest.retitle_project(project(1).number, &title, &long),
            "as it is"
        );
    }

    /// Retired while its digest waits: a project listed as gone quiet, with a join in the
    /// period, leaves that list and the headline's counts of open projects and of those with
    /// news, as one needing people leaves its list and the open count; one the digest lists
    /// nowhere (a team of three, not quiet, no news) changes nothing.
    #[test]
    fn a_project_retired_while_its_digest_waits_is_no_longer_counted_as_open() {
        let open = |n: u32, members: u32, days: i64| crate::domain::OpenProject {
            project: project(n),
            members,
            last_activity_at: WEEK.to - days * 86_400,
        };
        let snapshot = DigestSnapshot {
            joins: vec![JoinItem {
                project: project(1),
                user: crate::domain::UserId::parse("U1").unwrap(),
                council: None,
            }],
            open_projects: vec![open(1, 3, 60), open(2, 1, 5), open(3, 3, 5)],
            ..DigestSnapshot::default()
        };
        let mut digest = compose(snapshot, WEEK, 21 * 86_400);
        let counts = |d: &Digest| (d.headline.active_projects, d.headline.open_projects);
        assert_eq!(counts(&digest), (1, 3));
        assert!(!digest.drop_open_project(project(3).number));
        assert_eq!(counts(&digest), (1, 3), "not known to have been counted");
        assert!(digest.drop_open_project(project(1).number));
        assert!(digest.quiet.is_empty());
        assert_eq!(counts(&digest), (0, 2));
        assert!(digest.drop_open_project(project(2).number));
        assert!(digest.need_people.is_empty());
        assert_eq!(counts(&digest), (0, 1));
        assert!(!digest.drop_open_project(project(2).number), "once");
        assert_eq!(counts(&digest), (0, 1));
    }

    fn names(l: &Listed<CouncilMoves>) -> Vec<&str> {
        l.items.iter().map(|c| c.council.as_str()).collect()
    }

    #[test]
    fn councils_are_ranked_most_giving_first() {
        let l = give_and_take(vec![
            moved("Taker", [0, 0, 0, 4]),
            moved("Joiner", [0, 0, 3, 0]),
            moved("Pitcher", [0, 1, 0, 0]),
            moved("Re-used", [1, 0, 0, 0]),
            moved("Busier pitcher", [0, 1, 2, 0]),
        ]);
        assert_eq!(
            names(&l),
            ["Re-used", "Busier pitcher", "Pitcher", "Joiner", "Taker"]
        );
        assert_eq!(l.more, 0);
    }

    #[test]
    fn ties_go_by_name() {
        let l = give_and_take(vec![
            moved("Waverley", [0, 1, 0, 0]),
            moved("Guildford", [0, 1, 0, 0]),
        ]);
        assert_eq!(names(&l), ["Guildford", "Waverley"]);
    }

    #[test]
    fn a_handful_of_councils_are_named_and_the_rest_counted() {
        let moves = (0..8)
            .map(|i| moved(&format!("Council {i}"), [0, 0, i, 0]))
            .collect();
        let l = give_and_take(moves);
        assert_eq!(l.items.len(), MAX_COUNCILS_MOVED);
        assert_eq!(names(&l)[0], "Council 7");
        // "Council 0" joined nothing: it did not move, so it is not counted either.
        assert_eq!(l.more, 2);
    }

    #[test]
    fn text_is_shortened_at_a_word_and_never_inside_a_link() {
        let words = "word ".repeat(40);
        let short = shorten(&format!(
            "{words}see <https://x.example/{}|the plan>",
            "a".repeat(80)
        ));
        assert_eq!(short, format!("{words}see…"));
        let long = shorten(&"word ".repeat(100));
        assert!(
            long.chars().count() <= MAX_TEXT && long.ends_with("word…"),
            "{long}"
        );
        // A link longer than a line at its very start reads as its label, or its site.
        let path = "a".repeat(400);
        assert_eq!(
            shorten(&format!("<https://x.example/{path}|the plan> is done")),
            "the plan is done"
        );
        let site = shorten(&format!(
            "<https://x.sharepoint.com/{path}> done, and {}",
            "more ".repeat(60)
        ));
        assert!(
            site.starts_with("x.sharepoint.com done, and more more")
                && site.ends_with("more…")
                && site.chars().count() <= MAX_TEXT,
            "{site}"
        );
        let no_site = shorten(&format!("<mailto:{path}> sent"));
        assert!(
            !no_site.contains('<') && no_site.chars().count() <= MAX_TEXT,
            "{no_site}"
        );
    }

    #[test]
    fn nothing_moved_means_no_give_and_take() {
        assert!(give_and_take(vec![]).is_empty());
        assert!(give_and_take(vec![moved("Idle", [0, 0, 0, 0])]).is_empty());
    }
}
