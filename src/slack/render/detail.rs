//! `show`: one project in full.

use chrono_tz::Tz;
use slack_morphism::prelude::*;

use super::fit::Packer;
use super::{
    Look, Person, Tokens, count, escape, from_council, local, makeup_text, message_url, publishing,
    skills, title_text, user_text,
};
use crate::domain::{Makeup, Phase, Progress, ProjectDetail};
use crate::message::shorten;

pub fn project_detail(p: &ProjectDetail, progress: &Progress, look: &Look) -> SlackMessageContent {
    let tz = look.tz;
    let title = title_text(&p.title);
    let mut head = format!("*{}: {title}*", p.number);
    if !p.description.is_empty() {
        head.push('\n');
        head.push_str(&user_text(p.description.as_str(), Tokens::Working));
    }
    let team = if p.members.is_empty() {
        "nobody yet: be the first to join".to_string()
    } else {
        p.members
            .iter()
            .map(|m| match &m.council {
                Some(c) => format!("<@{}> ({})", m.user, escape(c)),
                None => format!("<@{}>", m.user),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
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
    let facts = format!(
        "*Phase:* {}{quiet}\n*Pitched by:* {}{} in <#{}> on {pitched_on}\n*Team:* {}\n{team}",
        p.phase,
        Person::of(&p.pitcher),
        from_council(p.pitcher_council.as_deref()),
        p.channel,
        makeup_text(Makeup::of(&p.members))
    );
    let mut parts = vec![head, facts];
    parts.extend(skills::wanted_line(&progress.wanted));
    parts.extend(publishing::where_to_find(
        p.published.as_ref(),
        &progress.links,
        look,
    ));
    parts.extend(reused_by(progress, tz));
    parts.push(history(p, progress, tz));
    parts.push(updates(progress, tz));
    let mut packer = Packer::new();
    let fits = parts.iter().all(|part| packer.start(part));
    let rest = (!fits).then(|| "…more than fits in one message.".to_string());
    SlackMessageContent::new()
        .with_text(format!("{}: {title}", p.number))
        .with_blocks(packer.into_blocks(rest))
}

/// Councils listed by name under "Re-used by"; the rest are counted.
const REUSERS_SHOWN: usize = 8;

/// The councils that re-use the project, with their notes; nothing when there are none.
fn reused_by(progress: &Progress, tz: Tz) -> Option<String> {
    if progress.reused_by.is_empty() {
        return None;
    }
    let n = progress.reused_by.len();
    let mut text = format!("*Re-used by {}:*", count(n as i64, "council", "councils"));
    for r in progress.reused_by.iter().take(REUSERS_SHOWN) {
        text.push_str(&format!(
            "\n• {} (since {})",
            escape(&r.council),
            day(r.since, tz)
        ));
        if !r.note.is_empty() {
            // One line, and short: the whole of `show` must stay within Slack's size limit.
            text.push_str(&format!(
                ": {}",
                user_text(&shorten(&r.note), Tokens::Working)
            ));
        }
    }
    if n > REUSERS_SHOWN {
        text.push_str(&format!("\n…and {} more", n - REUSERS_SHOWN));
    }
    Some(text)
}

fn day(at: i64, tz: Tz) -> String {
    local(at, tz, "%-d %b %Y")
}

fn history(p: &ProjectDetail, progress: &Progress, tz: Tz) -> String {
    let mut text = format!(
        "*Phases:* {} (pitched {})",
        Phase::Discovery,
        day(p.created_at, tz)
    );
    for change in &progress.history {
        text.push_str(&format!("\n→ {} on {}", change.to, day(change.at, tz)));
        if !change.note.is_empty() {
            text.push_str(&format!(": {}", user_text(&change.note, Tokens::Working)));
        }
    }
    text
}

fn updates(progress: &Progress, tz: Tz) -> String {
    if progress.updates.is_empty() {
        return "*Latest updates:* none yet. The team can post one with `/makers update`.".into();
    }
    let mut text = "*Latest updates:*".to_string();
    for u in &progress.updates {
        text.push_str(&format!(
            "\n• {} {}: {}",
            day(u.at, tz),
            Person::of(&u.author),
            user_text(&u.text, Tokens::Working).replace('\n', " ")
        ));
    }
    text
}
