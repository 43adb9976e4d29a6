//! `show`: one project in full.

use chrono_tz::Tz;
use slack_morphism::prelude::*;

use super::fit::{MAX_SECTION_CHARS, Packer, split_sections, spoken, truncate};
use super::{
    Look, Person, Tokens, count, escape, local, makeup_text, message_url, publishing, skills,
    title_text, user_text,
};
use crate::domain::{
    Makeup, MergedShown, Phase, Progress, ProjectDetail, ProjectNumber, ServiceShown, Slug,
};
use crate::message::{shorten, shorten_to};

pub fn project_detail(p: &ProjectDetail, progress: &Progress, look: &Look) -> SlackMessageContent {
    let tz = look.tz;
    let title = title_text(&p.title);
    let mut head = format!("*{}: {title}*", p.number);
    if !p.description.is_empty() {
        head.push('\n');
        head.push_str(&user_text(p.description.as_str(), Tokens::Working));
    }
    let team = team_line(&p.members, p.phase);
    let mut pitched_on = day(p.created_at, tz);
    // Once it is posted, the announcement (and its thread of news) is a click away.
    if let Some(ts) = &p.announcement_ts {
        pitched_on.push_str(&format!(
            " (<{}|announcement>)",
            message_url(&p.channel, ts)
        ));
    }
    let quiet = if progress.quiet {
        " · :zzz: quiet: no news for a while"
    } else {
        ""
    };
    // Handed over: who pitched it, and who leads it now. A lead who has left the team of an
    // open project (left, or left Slack) is not named as leading it: people would ask them,
    // while anyone in the team may take it on (`handlers::team::manages`).
    let n = p.number.get();
    let lead_left = p.phase != Phase::Retired && !p.members.iter().any(|m| m.user == p.pitcher);
    let led_by = match (&p.pitched_by, lead_left) {
        (_, true) => {
            let who = match p.pitcher.is_forgotten() {
                true => "its lead".to_string(),
                false => Person::of(&p.pitcher).to_string(),
            };
            format!(
                "\n*Led by:* nobody now: {who} has left the team. Anyone in it can take the lead (`/makers handover {n} @person`); to lead it yourself, join first (`/makers join {n}`)."
            )
        }
        (Some(_), false) => format!("\n*Led by:* {}", Person::of(&p.pitcher)),
        (None, false) => String::new(),
    };
    // The council that leads it, as its catalogue page says: chosen with the pitch, or set
    // since (`lead-council`), so not said to be whoever pitched it's. Handed over, since when
    // and the one before, which reports still count its past for.
    let lead_council = |since: bool| {
        p.pitcher_council
            .as_deref()
            .map(|c| {
                let since = match (&p.led_before, since) {
                    (Some(before), true) => format!(
                        " (since {}; before, {})",
                        day(before.until, tz),
                        escape(&before.council)
                    ),
                    _ => String::new(),
                };
                format!("\n*Lead council:* {}{since}", escape(c))
            })
            .unwrap_or_default()
    };
    // Merged: where its team carries on, beside the phase that says it is retired.
    let merged = progress
        .carried_on_as
        .as_ref()
        .map(|into| {
            format!(
                ", merged into *{}: {}* (`/makers show {}`)",
                into.number,
                title_text(&into.title),
                into.number.get()
            )
        })
        .unwrap_or_default();
    let facts = |since: bool| {
        format!(
            "*Phase:* {}{merged}{quiet}\n*Pitched by:* {} in <#{}> on {pitched_on}{led_by}{}\n*Team:* {}\n{team}",
            p.phase,
            Person::of(p.who_pitched()),
            p.channel,
            lead_council(since),
            makeup_text(Makeup::of(&p.members))
        )
    };
    // The council before only where the part still holds the whole team with it.
    let facts = Some(facts(true))
        .filter(|f| f.chars().count() <= MAX_SECTION_CHARS)
        .unwrap_or_else(|| facts(false));
    // A description escaped past a section's limit goes on in another.
    let mut parts = split_sections(head);
    parts.push(facts);
    parts.extend(skills::wanted_line(&progress.wanted));
    parts.extend(publishing::where_to_find(
        p.published.as_ref(),
        &progress.links,
        look,
    ));
    // The news before the record: what does not fit is said to be left out, and the last
    // parts are the first to go.
    parts.push(updates(progress, p.number, tz));
    parts.extend(reused_by(progress, tz, p.published.is_some()));
    parts.push(history(p, progress, tz));
    let mut packer = Packer::new();
    let fits = parts.iter().all(|part| packer.start(part));
    let rest = (!fits).then(|| "…more than fits in one message.".to_string());
    let blocks = packer.into_blocks(rest);
    SlackMessageContent::new()
        .with_text(spoken(&format!("{}: {title}", p.number), &blocks))
        .with_blocks(blocks)
}

/// Most characters of another workspace's description that `show` tells (its page has all).
const ELSEWHERE_DESCRIPTION: usize = 600;
/// Most councils named in a list of another workspace's service (as its re-users); the rest
/// are counted.
const COUNCILS_NAMED: usize = ServiceShown::REUSES;

/// `show <address>` of another workspace's service: what its catalogue page says (public
/// text only, escaped), and what can be done from here: say a re-use. Nothing is joined
/// across workspaces.
pub(super) fn service_elsewhere(
    slug: &Slug,
    name: &str,
    s: &ServiceShown,
    look: &Look,
) -> SlackMessageContent {
    let tz = look.tz;
    let named = super::reuse::in_catalogue(name, slug);
    let mut head = format!("{named}, a project of another Slack workspace");
    if !s.description.is_empty() {
        head.push('\n');
        head.push_str(&escape(&shorten_to(&s.description, ELSEWHERE_DESCRIPTION)));
    }
    let merged = match &s.merged_into {
        Some(MergedShown::Into { slug, name }) => {
            format!(", merged into {}", super::reuse::in_catalogue(name, slug))
        }
        Some(MergedShown::Unlisted) => ", merged into a project not in the catalogue".to_string(),
        None => String::new(),
    };
    let mut facts = format!("*Phase:* {}{merged}", s.phase);
    if let Some(council) = &s.lead_council {
        facts.push_str(&format!("\n*Lead council:* {}", escape(council)));
    }
    if !s.councils.is_empty() {
        facts.push_str(&format!(
            "\n*Councils in the team:* {}",
            councils_named(&s.councils)
        ));
    }
    facts.push_str(&format!(
        "\n*Pitched:* {}\n*Last news:* {}",
        day(s.pitched, tz),
        day(s.last_news, tz)
    ));
    let mut parts = vec![head, facts];
    parts.extend(reused_lines(
        s.reuses.len() + s.more_reuses as usize,
        s.reuses
            .iter()
            .map(|r| (r.council.as_str(), r.since, escape(&shorten(&r.note)))),
        true,
        tz,
    ));
    parts.extend(publishing::where_to_find(Some(slug), &s.links, look));
    parts.push(super::elsewhere::from_here(slug, s.yours.as_deref()));
    let mut packer = Packer::new();
    let fits = parts.iter().all(|part| packer.start(part));
    let rest = (!fits).then(|| "…more than fits in one message.".to_string());
    let blocks = packer.into_blocks(rest);
    let named = truncate(format!(
        "{} ({}), a project of another Slack workspace",
        escape(name),
        slug.as_typed()
    ));
    SlackMessageContent::new()
        .with_text(spoken(&named, &blocks))
        .with_blocks(blocks)
}

/// "Guildford Borough Council, Waverley Borough Council and 3 more", escaped.
fn councils_named(councils: &[String]) -> String {
    let named: Vec<String> = councils
        .iter()
        .take(COUNCILS_NAMED)
        .map(|c| escape(c))
        .collect();
    match councils.len().saturating_sub(COUNCILS_NAMED) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

/// Most characters of the team's names and councils in `show`: a big team (forty people
/// from a council with a long name) would fill the part Slack allows, and be cut there
/// with "…", silently leaving people out.
const TEAM_CHARS: usize = 1800;

/// The team as mentions with their councils, as many as fit in [`TEAM_CHARS`], the rest
/// counted ("and 12 more": `*Team:*` above has the whole make-up). A team too big for that,
/// its council said once per council rather than after each name, so more are named.
fn team_line(members: &[crate::domain::TeamMember], phase: Phase) -> String {
    if members.is_empty() {
        // A retired project takes nobody new: no invitation to join it.
        return match phase {
            Phase::Retired => "nobody".to_string(),
            _ => "nobody yet: be the first to join".to_string(),
        };
    }
    let each: Vec<String> = members
        .iter()
        .map(|m| match &m.council {
            Some(c) => format!("<@{}> ({})", m.user, escape(c)),
            None => format!("<@{}>", m.user),
        })
        .collect();
    let (line, named) = within(&each, TEAM_CHARS);
    if named == members.len() {
        return line;
    }
    by_council(members)
}

/// A big team grouped by council, in the order its councils first joined (people who said
/// none last): "Guildford Borough Council (5): <@U1>, <@U2>, …", the rest counted.
fn by_council(members: &[crate::domain::TeamMember]) -> String {
    let mut groups: Vec<(Option<&str>, Vec<&crate::domain::UserId>)> = Vec::new();
    for m in members {
        let council = m.council.as_deref();
        match groups.iter_mut().find(|(c, _)| *c == council) {
            Some((_, people)) => people.push(&m.user),
            None => groups.push((council, vec![&m.user])),
        }
    }
    groups.sort_by_key(|(council, _)| council.is_none());
    let mut text = String::new();
    let mut named = 0;
    for (council, people) in &groups {
        let name = council.map_or("No council said".to_string(), escape);
        let opening = format!(
            "{}{name} ({}): ",
            if text.is_empty() { "" } else { "\n" },
            people.len()
        );
        let mentions: Vec<String> = people.iter().map(|u| format!("<@{u}>")).collect();
        let room = TEAM_CHARS.saturating_sub(text.chars().count() + opening.chars().count());
        let (line, here) = within(&mentions, room);
        if here == 0 {
            break;
        }
        text.push_str(&opening);
        text.push_str(&line);
        named += here;
        if here < people.len() {
            break;
        }
    }
    if named < members.len() {
        text.push_str(&format!(" and {} more", members.len() - named));
    }
    text
}

/// As many of `mentions` as fit in `room` characters, joined by ", ", and how many.
fn within(mentions: &[String], room: usize) -> (String, usize) {
    let mut line = String::new();
    for (i, one) in mentions.iter().enumerate() {
        let more = one.chars().count() + if i > 0 { 2 } else { 0 };
        if line.chars().count() + more > room {
            return (line, i);
        }
        if i > 0 {
            line.push_str(", ");
        }
        line.push_str(one);
    }
    (line, mentions.len())
}

/// `show`'s answer (a project, or why there is none) as a modal over the Home tab, where a
/// message to the person's DM would go unseen: its sections, a title naming the project.
pub fn show_modal(number: ProjectNumber, reply: &crate::message::Reply, look: &Look) -> SlackView {
    let blocks = super::reply_message(reply, look).blocks.unwrap_or_default();
    SlackView::Modal(
        SlackModalView::new(format!("Project {number}").into(), blocks).with_close("Close".into()),
    )
}

/// Councils listed by name under "Re-used by"; the rest are counted.
const REUSERS_SHOWN: usize = 8;

/// The councils that re-use the project, with their notes; nothing when there are none.
/// Those not named are counted, and, for a project `published`, found on its catalogue page
/// (linked above), which names them all.
fn reused_by(progress: &Progress, tz: Tz, published: bool) -> Option<String> {
    reused_lines(
        progress.reused_by.len(),
        progress.reused_by.iter().map(|r| {
            // One line, and short: the whole of `show` must stay within Slack's size limit.
            let note = user_text(&shorten(&r.note), Tokens::Working);
            (r.council.as_str(), r.since, note)
        }),
        published,
        tz,
    )
}

/// "*Re-used by 3 councils:*", then the first [`REUSERS_SHOWN`] of `shown` (a council, since
/// when, and its note as mrkdwn, empty for none), then how many more of `total`.
fn reused_lines<'a>(
    total: usize,
    shown: impl Iterator<Item = (&'a str, i64, String)>,
    published: bool,
    tz: Tz,
) -> Option<String> {
    if total == 0 {
        return None;
    }
    let mut text = format!(
        "*Re-used by {}:*",
        count(total as i64, "council", "councils")
    );
    for (council, since, note) in shown.take(REUSERS_SHOWN) {
        text.push_str(&format!(
            "\n• {} (since {})",
            escape(council),
            day(since, tz)
        ));
        if !note.is_empty() {
            text.push_str(&format!(": {note}"));
        }
    }
    if total > REUSERS_SHOWN {
        let where_all = match published {
            true => ": its page in the public catalogue names them all",
            false => "",
        };
        text.push_str(&format!("\n…and {} more{where_all}", total - REUSERS_SHOWN));
    }
    Some(text)
}

fn day(at: i64, tz: Tz) -> String {
    local(at, tz, "%-d %b %Y")
}

/// Phase changes listed, the latest ones; earlier ones are counted.
const CHANGES_SHOWN: usize = 6;

fn history(p: &ProjectDetail, progress: &Progress, tz: Tz) -> String {
    let mut text = format!(
        "*Phases:* {} (pitched {})",
        Phase::Discovery,
        day(p.created_at, tz)
    );
    let earlier = progress.history.len().saturating_sub(CHANGES_SHOWN);
    if earlier > 0 {
        let earlier = count(earlier as i64, "change", "changes");
        text.push_str(&format!("\n… {earlier} before these"));
    }
    for change in &progress.history[earlier..] {
        // Words, not an arrow, which a screen reader reads as "right arrow".
        text.push_str(&format!(
            "\n• moved to {} on {}",
            change.to,
            day(change.at, tz)
        ));
        if !change.note.is_empty() {
            // One line, and short, as re-use notes: the newest change must stay in.
            let note = user_text(&shorten(&change.note), Tokens::Working);
            text.push_str(&format!(": {note}"));
        }
    }
    text
}

fn updates(progress: &Progress, number: ProjectNumber, tz: Tz) -> String {
    if progress.updates.is_empty() {
        return format!(
            "*Latest updates:* none yet. The team can post one with `/makers update {} &lt;news&gt;`.",
            number.get()
        );
    }
    let mut text = "*Latest updates:*".to_string();
    for u in &progress.updates {
        // Shortened to a line, as in the digest: each is whole in the pitch's thread, a click
        // away (the announcement link above), and three long ones would crowd out the rest.
        let corrected = if u.corrected { " _(corrected)_" } else { "" };
        text.push_str(&format!(
            "\n• {} {}{corrected}: {}",
            day(u.at, tz),
            Person::of(&u.author),
            user_text(&shorten(&u.text), Tokens::Working)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    /// A mature project, large in every realistic way: a long description, a big team, many
    /// re-users and phase changes with long notes, three long updates.
    fn mature() -> (ProjectDetail, Progress) {
        let user = |i: usize| UserId::parse(&format!("U{i:010}")).unwrap();
        let words = |n: usize| "lorem ipsum ".repeat(n / 12 + 1)[..n].to_string();
        let project = ProjectDetail {
            number: ProjectNumber::new(7).unwrap(),
            title: Title::parse("Bin day finder").unwrap(),
            description: Description::parse(&words(Description::MAX_CHARS)).unwrap(),
            phase: Phase::Live,
            pitcher: user(0),
            pitched_by: None,
            pitcher_council: Some("Guildford Borough Council".into()),
            led_before: Some(LedBefore {
                council: "Waverley Borough Council".into(),
                until: 1_792_000_000,
            }),
            channel: ChannelId::parse("C0123456789").unwrap(),
            announcement_ts: Some(MessageTs::parse("1795000000.000100").unwrap()),
            announcement_refused: false,
            members: (0..30)
                .map(|i| TeamMember {
                    user: user(i),
                    council: Some("Mole Valley District Council".into()),
                })
                .collect(),
            created_at: 1_790_000_000,
            published: None,
        };
        let progress = Progress {
            history: (0..9)
                .map(|i| PhaseChangeView {
                    from: Phase::ALL[i % 4],
                    to: Phase::ALL[i % 4 + 1],
                    note: format!("change {i}: {}", words(1000)),
                    by: user(i),
                    at: 1_790_000_000 + i as i64 * 86_400,
                })
                .collect(),
            updates: (0..3)
                .map(|i| UpdateView {
                    author: user(i),
                    text: format!("update {i}: {}", words(UpdateText::MAX_CHARS - 10)),
                    at: 1_795_000_000,
                    corrected: i == 1,
                })
                .collect(),
            quiet: false,
            reused_by: (0..8)
                .map(|i| ReuseView {
                    council: format!("Council number {i}"),
                    note: words(2000),
                    since: 1_792_000_000,
                })
                .collect(),
            links: Vec::new(),
            wanted: Vec::new(),
            carried_on_as: None,
        };
        (project, progress)
    }

    #[test]
    fn a_mature_project_shows_its_latest_updates_and_phase_changes() {
        let (project, progress) = mature();
        let look = Look::of(
            &Rules::default(),
            "https://makers.example.gov.uk",
            crate::slack::render::JoinSeal::from_secret(b"test"),
        );
        let message = project_detail(&project, &progress, &look);
        let shown = serde_json::to_string(&message).unwrap();
        for part in [
            "*Latest updates:*",
            "update 2:",
            "change 8:",
            "3 changes before these",
        ] {
            assert!(shown.contains(part), "{part} in {shown}");
        }
        assert!(!shown.contains("more than fits"), "{shown}");
        // Too much for its `text`, which a screen reader reads: each part's heading is
        // still said there, the news among them, where a cut at the end lost them all.
        let said = message.text.unwrap();
        for heading in [
            "\n*Latest updates:*",
            "\n*Re-used by 8 councils:*",
            "\n*Phases:*",
        ] {
            assert!(said.contains(heading), "{heading} in {said}");
        }
    }

    /// A team too big to name in full is named as far as fits and the rest counted, never
    /// cut off mid-name with everyone after it silently gone; its councils are said once
    /// each, so forty people from twenty-five councils are all named.
    #[test]
    fn a_big_team_is_named_by_council_as_far_as_fits_and_the_rest_counted() {
        let (mut project, progress) = mature();
        let look = Look::of(
            &Rules::default(),
            "https://makers.example.gov.uk",
            crate::slack::render::JoinSeal::from_secret(b"test"),
        );
        let member = |i: usize, council: Option<String>| TeamMember {
            user: UserId::parse(&format!("U{i:010}")).unwrap(),
            council,
        };
        let named_of = |project: &ProjectDetail, n: usize| {
            let shown = project_detail(project, &progress, &look);
            let text = serde_json::to_string(&shown.blocks).unwrap();
            // The team's part alone: updates and phase changes name people too.
            let team = text
                .split("*Team:*")
                .nth(1)
                .unwrap()
                .split("\",\"verbatim\"")
                .next()
                .unwrap();
            let named = (0..n)
                .filter(|i| team.contains(&format!("<@U{i:010}>")))
                .count();
            (named, team.to_string())
        };
        project.members = (0..40)
            .map(|i| member(i, Some(format!("Windsor & Maidenhead Council {}", i % 25))))
            .collect();
        let (named, text) = named_of(&project, 40);
        assert_eq!(named, 40, "{text}");
        assert!(text.starts_with(" 40 people from 25 councils"), "{text}");
        assert!(
            text.contains("Windsor &amp; Maidenhead Council 0 (2): <@U0000000000>, <@U0000000025>"),
            "{text}"
        );
        project.members = (0..300)
            .map(|i| member(i, (i % 7 != 0).then(|| format!("Council {}", i % 3))))
            .collect();
        let (named, text) = named_of(&project, 300);
        assert!(named >= 60, "{named} named");
        assert!(
            text.contains(&format!(" and {} more", 300 - named)),
            "the rest counted: {text}"
        );
        assert!(!text.contains("…\\n"), "nothing cut mid-name");
        let said_none = text.find("No council said").unwrap_or(usize::MAX);
        assert!(text.find("Council 1 (").unwrap() < said_none, "{text}");
    }

    /// Re-users past those named are counted, and found on the catalogue page of a project
    /// published (which names them all).
    #[test]
    fn re_users_not_named_are_found_on_the_catalogue_page() {
        let (mut project, mut progress) = mature();
        let look = Look::of(
            &Rules::default(),
            "https://makers.example.gov.uk",
            crate::slack::render::JoinSeal::from_secret(b"test"),
        );
        progress.reused_by = (0..60)
            .map(|i| ReuseView {
                council: format!("Council number {i}"),
                note: String::new(),
                since: 1_792_000_000,
            })
            .collect();
        let text = |project: &ProjectDetail| {
            serde_json::to_string(&project_detail(project, &progress, &look)).unwrap()
        };
        assert!(
            text(&project).contains("…and 52 more\","),
            "{}",
            text(&project)
        );
        project.published = Some(Slug::from_title(&project.title));
        let published = text(&project);
        assert!(
            published.contains("…and 52 more: its page in the public catalogue names them all")
                && published.contains("https://makers.example.gov.uk/catalogue/bin-day-finder"),
            "{published}"
        );
    }
}
