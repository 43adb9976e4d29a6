//! The weekly digest as a Slack message: a headline, then one section per kind of news, each
//! item linking to its pitch. The message stays within Slack's limits (sections are capped by
//! the composer, and packed here like any long list).
//!
//! It mentions nobody. A mention in a message the app posts notifies the person mentioned
//! (<https://api.slack.com/reference/surfaces/formatting#mentioning-users>), and a weekly
//! digest naming every pitcher, joiner and author would notify all of them every week. So
//! people are told apart by their council, and text they typed goes through
//! [`Tokens::Quiet`]: links and channels work, `<@U0BOB|bob>` reads `@bob`.

use chrono::Weekday;
use chrono_tz::Tz;
use slack_morphism::prelude::*;

use super::fit::{MAX_MESSAGE_CHARS, MAX_SECTION_CHARS, Packer, spoken};
use super::{
    Look, Tokens, bold_text, count, escape, local, makeup_text, message_url, quiet_for, title_text,
    user_text,
};
use crate::domain::{
    CouncilMoves, Makeup, Period, PhaseItem, PitchItem, ProjectRef, ReuseItem, WeeklyTime,
    quarter_ended_in, quarter_name,
};
use crate::message::{Digest, Listed};

/// `<link|#12 Title>` to the pitch announcement, or plain `#12 Title` before it exists; a
/// published project adds a link to its catalogue page.
fn project_link(p: &ProjectRef, look: &Look) -> String {
    let label = format!("{} {}", p.number, title_text(&p.title));
    let mut link = match &p.announcement_ts {
        Some(ts) => format!("<{}|{label}>", message_url(&p.channel, ts)),
        None => label,
    };
    if let Some(slug) = &p.published {
        link.push_str(&format!(" (<{}|catalogue>)", look.project_page(slug)));
    }
    link
}

fn council(c: &Option<String>) -> String {
    c.as_deref()
        .map(|c| format!(" ({})", escape(c)))
        .unwrap_or_default()
}

fn day(at: i64, tz: Tz) -> String {
    local(at, tz, "%-d %b")
}

/// The sections of a digest, as mrkdwn: the headline, then each kind of news within its
/// share of the message (see [`shares`]), so a busy week shortens every list rather than
/// drop the last ones (what needs people, what has gone quiet) whole.
fn sections(d: &Digest, look: &Look) -> Vec<String> {
    let mut out = vec![headline(d, look.tz)];
    // With nothing open the headline already says what to do; "/makers list" would be empty.
    if d.is_quiet_week() && !d.has_nothing_open() {
        out.push(
            "A quiet week: no new pitches, joins or updates. `/makers list` shows what is open."
                .into(),
        );
    }
    // Worked out from the digest's own period, so a digest queued before this line existed
    // says it too.
    let period = Period {
        from: d.from,
        to: d.to,
    };
    if let Some(quarter) = quarter_ended_in(period, look.tz) {
        let quarter = quarter_name(quarter);
        out.push(format!(
            "*{quarter} has ended*: `/makers report {quarter}` gives its figures, for a return or a show and tell."
        ));
    }
    // Both ways to join: a pitch in a channel the reader is not in cannot be reacted to
    // (and new pitches are not listed again under those that need people). In a channel
    // shared with another organisation, whose people would run a typed `/makers join N` or
    // `show N` in their own workspace, on its #N: the announcement each title links to.
    let pitches = match d.shared {
        false => format!(
            "*New pitches*: react with :{}: on a pitch, or `/makers join &lt;number&gt;`, to join",
            look.join_emoji
        ),
        true => format!(
            "*New pitches*: react with :{}: or press *Join* on a pitch (each title links to it), to join",
            look.join_emoji
        ),
    };
    // (Those counted and not listed have no title to link: just counted there.)
    let show_rest = |what: &str| match d.shared {
        false => format!(": `/makers show &lt;number&gt;` {what}"),
        true => String::new(),
    };
    let parts: Vec<Part> = [
        part(&pitches, &d.new_pitches, |p| pitch_line(p, look))
            .map(|p| p.rest(": `/makers list` lists every open project")),
        // Counted with no pointer: who joined is each project's news, in its thread.
        part("*Who joined*", &d.joins, |j| {
            let who = match &j.council {
                Some(c) => format!("Someone from {}", escape(c)),
                None => "Someone".into(),
            };
            format!("• {who} joined {}", project_link(&j.project, look))
        }),
        part("*Updates*", &d.updates, |u| {
            format!("• {}: {}", project_link(&u.project, look), quiet(&u.text))
        })
        .map(|p| p.rest(show_rest("gives a project's latest"))),
        part("*Phase changes*", &d.phase_changes, |p| phase_line(p, look))
            .map(|p| p.rest(": `/makers list` gives each project's phase")),
        part("*Newly re-used*", &d.reuses, |r| reuse_line(r, look))
            .map(|p| p.rest(show_rest("names a project's re-users"))),
        part("*Projects that need people*", &d.need_people, |n| {
            let people = count(n.members, "person", "people");
            let join = match d.shared {
                false => format!("`/makers join {}`", n.project.number.get()),
                true => "*Join* on its pitch".to_string(),
            };
            format!("• {}: {people} so far; {join}", project_link(&n.project, look))
        })
        .map(|p| p.rest(format!(": {NEED_PEOPLE_REST}"))),
        // "Quiet" as the nudges and :zzz: have it: no update or phase change. A join or a
        // re-use this week is news in the headline, so "no news" here would contradict it.
        part(
            "*Gone quiet* (no update or phase change lately): a line of news helps",
            &d.quiet,
            |q| {
                format!(
                    "• {}: quiet for {}",
                    project_link(&q.project, look),
                    quiet_for(q.quiet_days)
                )
            },
        )
        .map(|p| p.rest(": `/makers list quiet` lists them all")),
        // Last: not this workspace's news, but what it need not build.
        part(
            "*New from other workspaces*, in the public catalogue: worth a look before building your own",
            &d.published_elsewhere,
            |s| super::elsewhere::line(s, look),
        )
        .map(|p| match look.catalogue_if_reachable() {
            Some(catalogue) => p.rest(format!(": <{catalogue}|the public catalogue> lists them")),
            None => p.rest(": `/makers search &lt;words&gt;` finds them by what they do"),
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let used: usize = out.iter().map(|s| s.chars().count() + 1).sum();
    let room = MAX_MESSAGE_CHARS.saturating_sub(used + CLOSING_ROOM);
    let wanted: Vec<usize> = parts
        .iter()
        .map(|p| p.render(MAX_SECTION_CHARS).chars().count())
        .collect();
    out.extend(
        parts
            .iter()
            .zip(shares(&wanted, room))
            .map(|(part, share)| part.render(share)),
    );
    out
}

/// Where to see the projects needing people that a list of a few leaves out (the digest's,
/// the Home's).
pub(super) const NEED_PEOPLE_REST: &str = "`/makers list` gives each team's size";

/// Room kept for the closing line, should the message still not fit (it always should).
const CLOSING_ROOM: usize = 100;

/// One kind of news: its title, its items as lines, and how many there were in all (the
/// composer lists only so many).
struct Part {
    title: String,
    lines: Vec<String>,
    total: usize,
    /// Where to read what is counted and not listed (after "…and 38 more").
    rest: String,
}

fn part<T>(title: &str, list: &Listed<T>, line: impl Fn(&T) -> String) -> Option<Part> {
    // Also a list whose listed items were taken out, which still counts the rest.
    (!list.is_none()).then(|| Part {
        title: title.to_string(),
        lines: list.items.iter().map(line).collect(),
        total: list.total(),
        rest: String::new(),
    })
}

impl Part {
    /// With where to read the rest, should some be counted and not listed.
    fn rest(self, rest: impl Into<String>) -> Part {
        Part {
            rest: rest.into(),
            ..self
        }
    }

    /// The part as one section of at most `room` characters: its title, as many items as
    /// fit, and a count of the rest.
    fn render(&self, room: usize) -> String {
        let more_line = |more: usize| match more {
            0 => String::new(),
            n => format!("\n…and {n} more{}", self.rest),
        };
        let mut text = self.title.clone();
        let mut used = text.chars().count();
        let mut shown = 0;
        for line in &self.lines {
            // With room for the count of what would still be left after it.
            let after = more_line(self.total - shown - 1).chars().count();
            let len = 1 + line.chars().count();
            if used + len + after > room {
                break;
            }
            text.push('\n');
            text.push_str(line);
            used += len;
            shown += 1;
        }
        text.push_str(&more_line(self.total - shown));
        text
    }
}

/// Shares of `room` characters for parts that want `wanted` each: in turn from the smallest,
/// each takes what it wants up to an even share of what is left, so what a small part leaves
/// goes to the larger ones.
fn shares(wanted: &[usize], room: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| wanted[i]);
    let mut share = vec![0; wanted.len()];
    let mut left = room;
    for (k, &i) in order.iter().enumerate() {
        let even = left / (wanted.len() - k);
        share[i] = wanted[i].min(even);
        left -= share[i];
    }
    share
}

/// The headline's second line with no open project and no news.
/// Not "yet", nor "none": a private channel's projects are left out of other channels'
/// digests, and a workspace's projects may all have closed.
const NOTHING_OPEN: &str = "No open project to show here: `/makers pitch &lt;title&gt;` pitches one, and people from other councils can join.";

fn headline(d: &Digest, tz: Tz) -> String {
    let h = d.headline;
    let makeup = Makeup {
        people: h.people,
        councils: h.councils,
    };
    let mut line = format!(
        ":newspaper: *Makers digest, {} to {}*\n",
        day(d.from, tz),
        day(d.to, tz)
    );
    if d.has_nothing_open() {
        line.push_str(NOTHING_OPEN);
    } else {
        line.push_str(&format!(
            "{} of {} had news · {} in their teams",
            h.active_projects,
            count(h.open_projects, "open project", "open projects"),
            makeup_text(makeup)
        ));
    }
    let new_reuses = d.reuses.total();
    if new_reuses > 0 {
        let reuses = count(new_reuses as i64, "new re-use", "new re-uses");
        line.push_str(&format!(" · {reuses} by councils"));
    }
    if !d.give_and_take.is_empty() {
        line.push('\n');
        line.push_str(&give_and_take(&d.give_and_take));
    }
    line
}

/// "Give and take across every Makers workspace: *Guildford Borough Council* had its work
/// re-used 2 times and took the lead on 1 new project · *Waverley Borough Council* started re-using 1
/// project · and 2 more councils"
fn give_and_take(l: &Listed<CouncilMoves>) -> String {
    let mut parts: Vec<String> = l.items.iter().map(council_moved).collect();
    if l.more > 0 {
        parts.push(format!(
            "and {}",
            count(l.more, "more council", "more councils")
        ));
    }
    // Across every workspace the bot serves, as `/makers councils` counts: the headline
    // above it is this workspace's. Over the digest's period (the heading's dates), which
    // is a week but for a first digest or one after an outage.
    format!(
        "Give and take across every Makers workspace: {}",
        parts.join(" · ")
    )
}

/// One council's figures that moved, most giving first, as one clause.
pub(super) fn council_moved(c: &CouncilMoves) -> String {
    let mut did = Vec::new();
    match c.reused_by_others {
        0 => {}
        1 => did.push("had its work re-used once".to_string()),
        n => did.push(format!("had its work re-used {n} times")),
    }
    // The lead council that led it when pitched (chosen with the pitch, or first set since),
    // not always the pitcher's own ("pitched" credited it to a council that did not).
    if c.pitched > 0 {
        did.push(format!(
            "took the lead on {}",
            count(c.pitched, "new project", "new projects")
        ));
    }
    match c.joined {
        0 => {}
        1 => did.push("joined a team".to_string()),
        n => did.push(format!("joined teams {n} times")),
    }
    if c.reuses > 0 {
        let projects = count(c.reuses, "project", "projects");
        did.push(format!("started re-using {projects}"));
    }
    let last = did.pop().unwrap_or_default();
    let did = if did.is_empty() {
        last
    } else {
        format!("{} and {last}", did.join(", "))
    };
    format!("*{}* {did}", bold_text(&c.council))
}

/// Text people typed, as the digest shows it: nobody is mentioned.
fn quiet(typed: &str) -> String {
    user_text(typed, Tokens::Quiet)
}

fn pitch_line(p: &PitchItem, look: &Look) -> String {
    let mut line = format!(
        "• {}{}",
        project_link(&p.project, look),
        council(&p.council)
    );
    if !p.description.is_empty() {
        line.push_str(&format!(": {}", quiet(&p.description)));
    }
    line
}

fn reuse_line(r: &ReuseItem, look: &Look) -> String {
    let mut line = format!(
        "• {} now re-uses {}",
        escape(&r.council),
        project_link(&r.project, look)
    );
    if !r.note.is_empty() {
        line.push_str(&format!(": {}", quiet(&r.note)));
    }
    line
}

fn phase_line(p: &PhaseItem, look: &Look) -> String {
    let mut line = format!(
        // Words, not an arrow, which a screen reader reads as "right arrow".
        "• {}: moved from {} to *{}*",
        project_link(&p.project, look),
        p.from,
        p.to
    );
    if let Some(into) = p.carries_on_in {
        line.push_str(&format!(", merged into *{into}*"));
    }
    if !p.note.is_empty() {
        line.push_str(&format!(", {}", quiet(&p.note)));
    }
    line
}

/// The digest as a message: one section per part, within Slack's block and size limits.
pub fn digest_message(d: &Digest, look: &Look) -> SlackMessageContent {
    message_after(None, d, look)
}

/// `digest preview`: the digest as it would be posted, under a line saying it is a preview
/// (it reads exactly like a posted one), and, where the channel is not getting the digest
/// (`channel_off`), that nothing will be posted unless it is turned on.
pub fn preview_message(d: &Digest, look: &Look, channel_off: bool) -> SlackMessageContent {
    let note = match channel_off {
        true => {
            "_A preview, only you see it. This channel isn't getting the digest: `/makers digest` turns it on._"
        }
        false => "_A preview, only you see it: the digest is posted in this channel at its time._",
    };
    message_after(Some(note), d, look)
}

/// The digest's message, with `note` above it.
fn message_after(note: Option<&str>, d: &Digest, look: &Look) -> SlackMessageContent {
    let mut packer = Packer::new();
    let fits = note
        .into_iter()
        .map(str::to_string)
        .chain(sections(d, look))
        .all(|part| packer.start(&part));
    // Say so rather than end mid-digest without a word.
    let rest =
        (!fits).then(|| "…more than fits in one message: `/makers list` has the rest.".into());
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(spoken(&fallback(d, look.tz), &blocks))
        .with_blocks(blocks)
}

/// The notification line, which the blocks' words follow in `text`.
fn fallback(d: &Digest, tz: Tz) -> String {
    let mut line = format!(
        "Makers digest, {} to {}: {}, {}, {}",
        day(d.from, tz),
        day(d.to, tz),
        count(d.new_pitches.total() as i64, "new pitch", "new pitches"),
        count(d.joins.total() as i64, "join", "joins"),
        count(d.updates.total() as i64, "update", "updates")
    );
    // What else the digest lists, when there is any: a week of phase changes alone would
    // otherwise be told as nothing.
    for (n, one, many) in [
        (d.phase_changes.total(), "phase change", "phase changes"),
        (d.reuses.total(), "new re-use", "new re-uses"),
    ] {
        if n > 0 {
            line.push_str(&format!(", {}", count(n as i64, one, many)));
        }
    }
    line
}

/// The digest as plain text, for `makers-bot digest --dry-run`: what the channel would read,
/// without Slack's markup (`&lt;`, `<url|label>`), which a terminal shows as is.
pub fn digest_text(d: &Digest, look: &Look) -> String {
    let mut text = super::plain::plain_text(&sections(d, look).join("\n\n"));
    text.push('\n');
    text
}

/// `owed`: the time has passed this week without its digest, which goes out now.
pub fn subscribed(when: &WeeklyTime, tz: &str, next_due: i64, owed: bool, zone: Tz) -> String {
    let at = local(next_due, zone, "%A %-d %B at %H:%M");
    let next = if owed {
        format!(
            "straight away, as {} has passed without one; then {at}",
            weekly(when)
        )
    } else {
        at
    };
    format!(
        "This channel gets the Makers digest every *{}* ({tz}). The next one: {next}. `/makers digest off` stops it; `/makers digest preview` shows it to you now. In a private channel, invite me first (`/invite @Makers`), or it cannot be posted.",
        weekly(when)
    )
}

/// "Monday 09:00".
pub fn weekly(when: &WeeklyTime) -> String {
    let day = match when.weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    };
    format!("{day} {:02}:{:02}", when.minute / 60, when.minute % 60)
}

/// The note to whoever turned the channel's digest on that Slack would not take it there
/// (`why`: Slack's code); `stopped`: it stops until the bot can post there again; `first`:
/// none had been posted there (a private channel the bot was never invited to, say).
pub(super) fn not_posted(
    channel: &crate::domain::ChannelId,
    why: &str,
    stopped: bool,
    first: bool,
) -> String {
    let out = super::bot_left(why);
    match (stopped, out) {
        // Not "no longer" a member, nor invited "back": it may never have been in it.
        (true, true) if first => format!(
            "The weekly digest could not be posted in <#{channel}>, as I am not a member of it, so it has stopped there. Inviting me (type `/invite @Makers` in that channel) starts it, from where this one began (or a week back, if that is longer ago)."
        ),
        // The invitation itself brings it back (`handlers::digest::start_again`).
        (true, true) => format!(
            "The weekly digest could not be posted in <#{channel}>, as I am no longer a member of it, so it has stopped there. Inviting me back (type `/invite @Makers` in that channel) starts it again, from where it stopped (or a week back, if that is longer ago)."
        ),
        (true, false) => format!(
            "The weekly digest could not be posted in <#{channel}> ({}), so it has stopped there. Once I can post there again, `/makers digest` in that channel turns it back on, starting where it stopped (or a week back, if that is longer ago).",
            super::refused_because(why)
        ),
        (false, _) => format!(
            "The weekly digest could not be posted in <#{channel}> ({}). It is kept: the next one starts where this one did, so no week's news is lost once I can post there. If it should not come there any more, `/makers digest off` in that channel turns it off.",
            super::nudge_refused_because(why)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: Period = Period {
        from: 1_794_819_600,
        to: 1_795_424_400,
    };

    fn look() -> Look {
        Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: "http://127.0.0.1:3000".into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
        }
    }

    /// A workspace with no projects at all is pointed to a pitch, not told "0 of 0" and sent
    /// to an empty list every week.
    #[test]
    fn a_digest_with_no_projects_suggests_a_pitch() {
        let snapshot = crate::domain::DigestSnapshot::default();
        let digest = crate::message::compose(snapshot, WEEK, 56 * 86_400);
        let text = digest_text(&digest, &look());
        assert!(text.contains("`/makers pitch <title>`"), "{text}");
        assert!(!text.contains("0 of 0"), "{text}");
        assert!(!text.contains("A quiet week"), "{text}");
    }

    /// Every listed service of other workspaces taken out of the catalogue since the digest
    /// was made: the section still counts the rest, and says where they are.
    #[test]
    fn a_section_whose_listed_items_were_all_taken_out_still_counts_the_rest() {
        use crate::domain::{DigestSnapshot, Phase, ServiceElsewhere, Slug};
        let slugs: Vec<Slug> = (0..10)
            .map(|i| Slug::from_stored(format!("s-{i}")))
            .collect();
        let snapshot = DigestSnapshot {
            published_elsewhere: slugs
                .iter()
                .map(|slug| ServiceElsewhere {
                    slug: slug.clone(),
                    name: slug.as_str().into(),
                    phase: Phase::Live,
                    lead_council: None,
                    reused_by: 0,
                    merged_into: None,
                })
                .collect(),
            ..DigestSnapshot::default()
        };
        let mut digest = crate::message::compose(snapshot, WEEK, 56 * 86_400);
        assert!(digest.drop_services(&slugs.into_iter().collect()));
        let text = digest_text(&digest, &look());
        assert!(
            text.contains(
                "*New from other workspaces*, in the public catalogue: worth a look before building your own\n…and 2 more: `/makers search <words>`"
            ),
            "{text}"
        );
    }

    /// The week's only news a pitch retired (or merged) while its digest waited: the
    /// headline no longer counts it as open with news, so it agrees with the quiet-week
    /// line below it, as a digest composed after the retirement would (REGRESS3 5).
    #[test]
    fn a_digest_whose_only_pitch_was_dropped_does_not_count_it_in_the_headline() {
        use crate::domain::{ChannelId, DigestSnapshot, OpenProject, PitchItem, ProjectNumber};
        use crate::domain::{ProjectRef, Title, UserId};
        let project = |n: u32| ProjectRef {
            number: ProjectNumber::new(n).unwrap(),
            title: Title::parse(&format!("Project {n}")).unwrap(),
            channel: ChannelId::parse("C1").unwrap(),
            announcement_ts: None,
            published: None,
        };
        let open = |n: u32| OpenProject {
            project: project(n),
            members: 3,
            last_activity_at: WEEK.to - 86_400,
        };
        let snapshot = DigestSnapshot {
            new_pitches: vec![PitchItem {
                project: project(6),
                description: "Words".into(),
                pitcher: UserId::parse("U1").unwrap(),
                council: None,
            }],
            open_projects: vec![open(2), open(4), open(6)],
            ..DigestSnapshot::default()
        };
        let mut digest = crate::message::compose(snapshot, WEEK, 56 * 86_400);
        assert!(digest_text(&digest, &look()).contains("1 of 3 open projects had news"));
        assert!(digest.drop_open_project(ProjectNumber::new(6).unwrap()));
        let text = digest_text(&digest, &look());
        assert!(
            text.contains("0 of 2 open projects had news") && text.contains("A quiet week"),
            "{text}"
        );
        assert!(!digest.drop_open_project(ProjectNumber::new(6).unwrap()));
        assert!(digest_text(&digest, &look()).contains("0 of 2 open projects"));
    }

    #[test]
    fn weekly_times_read_as_a_day_and_a_time() {
        assert_eq!(weekly(&WeeklyTime::DEFAULT), "Monday 09:00");
        let friday = WeeklyTime::new(Weekday::Fri, 16 * 60 + 30).unwrap();
        assert_eq!(weekly(&friday), "Friday 16:30");
    }

    #[test]
    fn a_council_that_moved_reads_as_one_clause_most_giving_first() {
        let moved = |[reused_by_others, pitched, joined, reuses]: [u32; 4]| CouncilMoves {
            council: "Brighton & Hove City Council".into(),
            pitched,
            joined,
            joiners: joined,
            reuses,
            reused_by_others,
        };
        assert_eq!(
            council_moved(&moved([1, 2, 1, 3])),
            "*Brighton &amp; Hove City Council* had its work re-used once, took the lead on 2 new projects, \
             joined a team and started re-using 3 projects"
        );
        assert_eq!(
            council_moved(&moved([0, 0, 2, 0])),
            "*Brighton &amp; Hove City Council* joined teams 2 times"
        );
    }
}
