//! The Home tab: a `home` view of at most [`MAX_HOME_BLOCKS`] blocks, whatever the person is
//! in. Buttons carry the project number as their value and an `action_id` unique in the view
//! (`home_join:12`); the edge reads the action from the part before the colon.

use slack_morphism::prelude::*;

use super::fit::section;
use super::list::summary_line;
use super::{Look, Tokens, bold_text, councils, local, skills, title_text, user_text};
use crate::domain::{HomeProject, Phase, ProjectNumber, Title, cut_with_ellipsis, public_name};
use crate::message::{Home, ProjectNamed, Reused, shorten};

/// Slack's limit for a Home view.
pub const MAX_HOME_BLOCKS: usize = 100;
/// A person's projects shown (two blocks each); the rest are counted.
pub const MAX_MINE_SHOWN: usize = 25;

/// `action_id` prefixes of the Home's buttons (followed by `:<number>`), and the pitch one.
pub const HOME_UPDATE: &str = "home_update";
pub const HOME_SHOW: &str = "home_show";
pub const HOME_JOIN: &str = "home_join";
pub const HOME_PITCH: &str = "home_pitch";
/// Sends the council's report this quarter to the person's messages with the app.
pub const HOME_REPORT: &str = "home_report";

fn action_id(prefix: &str, number: ProjectNumber) -> SlackActionId {
    format!("{prefix}:{}", number.get()).into()
}

fn button(
    text: &str,
    prefix: &str,
    number: ProjectNumber,
    title: &Title,
) -> SlackBlockButtonElement {
    super::project_button(text, action_id(prefix, number), number, Some(title))
}

/// The person's Home view.
pub fn home_view(home: &Home, look: &Look) -> SlackView {
    let mut blocks: Vec<SlackBlock> = vec![SlackHeaderBlock::new("Makers projects".into()).into()];
    if home.none_open {
        // Nothing above or below to join: the way in is the button at the foot.
        blocks.push(section(format!("*Your projects*\n{NONE_OPEN}")).into());
    } else {
        mine(&mut blocks, &home.mine, home.drawn_at, look);
        need_people(&mut blocks, home);
    }
    blocks.push(SlackDividerBlock::new().into());
    blocks.push(section("*Projects wanting your skills*".into()).into());
    match (home.offers_skills, home.wanting_skills.is_empty()) {
        (false, _) => blocks.push(section("Say what you can do with `/makers skills &lt;skills&gt;` and projects looking for it show up here.".into()).into()),
        (true, true) => blocks.push(section("No open project is looking for your skills right now.".into()).into()),
        (true, false) => {}
    }
    for m in &home.wanting_skills {
        let text = format!(
            "{} · wants {}",
            summary_line(&m.project),
            skills::names(&m.skills)
        );
        blocks.push(
            section(text)
                .with_accessory(
                    button("Join", HOME_JOIN, m.project.number, &m.project.title).into(),
                )
                .into(),
        );
    }
    // The best few are listed; where there are more, where to see them.
    if let Some(skill) = home.wanting_skills_more {
        let rest = skills::every_one_wanting(skill);
        blocks.push(section(format!("…and more: {rest}")).into());
    }
    blocks.push(SlackDividerBlock::new().into());
    let said = match &home.council {
        Some((_, Some(ledger))) => Some(councils::line(ledger)),
        Some((name, None)) => Some(format!("You work for *{}*.", bold_text(name))),
        None => None,
    };
    match said {
        // Its part this quarter is a command or a press away: what a council's lead
        // reports upwards, kept in their messages with the app.
        Some(said) => {
            // In the first weeks of a quarter, the one just ended: the new one has hardly
            // begun, and a lead briefs on the last.
            let (command, part, of) = match &home.report.just_ended {
                Some(quarter) => (
                    crate::message::HOME_LAST_QUARTER,
                    format!("its part in {quarter}, just ended"),
                    format!("for {quarter}"),
                ),
                None => (
                    crate::message::HOME_THIS_QUARTER,
                    "its part this quarter".to_string(),
                    "this quarter".to_string(),
                ),
            };
            // Starts with the words it shows, so voice control finds it by them (WCAG 2.5.3);
            // "my council's" would put the longer case over Slack's 75 characters.
            let label = format!("Send me its report {of}, in my messages with the app");
            blocks.push(
                section(format!(
                    "{said}\n`/makers {command}` gives {part}, for your managers or a return."
                ))
                .with_accessory(
                    SlackBlockButtonElement::new("Send me its report".into())
                        .with_action_id(HOME_REPORT.into())
                        .with_value(home.report.asked.clone())
                        .with_accessibility_label(label.into())
                        .into(),
                )
                .into(),
            )
        }
        None => blocks.push(section("Tell me your council with `/makers council &lt;name&gt;`: re-use and a team's make-up are counted by council, and its give and take shows here.".into()).into()),
    }
    if !home.reused.is_empty() {
        blocks.push(section(reused(&home.reused, home.reused_more)).into());
    }
    // What other councils built, for a council to re-use: the point of Makers (where people
    // can reach the catalogue).
    if let Some(catalogue) = look.catalogue_if_reachable() {
        blocks.push(
            section(format!(
                "Services councils have built are in <{catalogue}|the public catalogue>; `/makers reuse &lt;its address&gt;` says your council re-uses one."
            ))
            .into(),
        );
    }
    blocks.push(
        SlackActionsBlock::new(vec![
            SlackBlockButtonElement::new("Pitch a project".into())
                .with_action_id(HOME_PITCH.into())
                .with_style(SlackBlockButtonStyle::Primary)
                .into(),
        ])
        .into(),
    );
    blocks.push(
        section(
            "What Makers records about you, who sees it and your rights: `/makers privacy`.".into(),
        )
        .into(),
    );
    SlackView::Home(SlackHomeView::new(blocks))
}

/// The Home's opening line where the workspace has no open project.
const NONE_OPEN: &str = "No open projects yet: press *Pitch a project* below to start one.";

/// "Open projects that need people", after a divider: each with its *Join* button.
fn need_people(blocks: &mut Vec<SlackBlock>, home: &Home) {
    blocks.push(SlackDividerBlock::new().into());
    blocks.push(section("*Open projects that need people*".into()).into());
    if home.need_people.is_empty() {
        blocks.push(
            section(
                "No other project you could join is short of people just now (yours are above, those wanting your skills below). `/makers list` shows them all."
                    .into(),
            )
            .into(),
        );
    }
    for p in &home.need_people {
        blocks.push(
            section(summary_line(p))
                .with_accessory(button("Join", HOME_JOIN, p.number, &p.title).into())
                .into(),
        );
    }
    // The newest few are listed; where there are more, where to see them, as the digest
    // says it.
    if home.need_people_more {
        let rest = super::digest::NEED_PEOPLE_REST;
        blocks.push(section(format!("…and more: {rest}.")).into());
    }
}

/// "5 Mar", or "5 Mar 2025" where the day is not in the local year of `drawn_at` (a
/// project quiet since then would read as of this year).
fn news_day(at: i64, drawn_at: i64, tz: chrono_tz::Tz) -> String {
    match local(at, tz, "%Y") == local(drawn_at, tz, "%Y") {
        true => local(at, tz, "%-d %b"),
        false => local(at, tz, "%-d %b %Y"),
    }
}

/// "Your projects": each with its news and two buttons; past [`MAX_MINE_SHOWN`], a count;
/// `drawn_at`, when the Home is drawn.
fn mine(blocks: &mut Vec<SlackBlock>, mine: &[HomeProject], drawn_at: i64, look: &Look) {
    if mine.is_empty() {
        blocks.push(section("*Your projects*\nYou're not in the team of an open project. Join one of the projects below, or pitch your own: every project starts with one person.".into()).into());
        return;
    }
    blocks.push(section(format!("*Your projects ({})*", mine.len())).into());
    for h in mine.iter().take(MAX_MINE_SHOWN) {
        let p = &h.project;
        let mut text = format!(
            "*{}: {}*\n{} · {}",
            p.number,
            title_text(&p.title),
            p.phase,
            super::count(p.members, "person", "people"),
        );
        if h.leads {
            text.push_str(" · you lead it");
        }
        if p.quiet {
            text.push_str(" · :zzz: quiet");
        }
        match &h.last_news {
            Some((news, at)) => text.push_str(&format!(
                // An update's words: a phase change, news too, is shown by the phase.
                "\nLast update ({}): {}",
                news_day(*at, drawn_at, look.tz),
                user_text(&shorten(news), Tokens::Working)
            )),
            None => text.push_str("\nNo update yet."),
        }
        blocks.push(section(text).into());
        blocks.push(
            SlackActionsBlock::new(vec![
                button("Post update", HOME_UPDATE, p.number, &p.title).into(),
                button("Show", HOME_SHOW, p.number, &p.title).into(),
            ])
            .into(),
        );
    }
    if mine.len() > MAX_MINE_SHOWN {
        blocks.push(
            section(format!(
                "…and {} more: `/makers list mine`",
                mine.len() - MAX_MINE_SHOWN
            ))
            .into(),
        );
    }
}

/// What the person's council re-uses, a line each with where it stands: retired (and where
/// its work carries on) is what a council that runs it must not miss.
fn reused(reused: &[Reused], more: u32) -> String {
    let mut lines = vec!["*What your council re-uses*".to_string()];
    lines.extend(reused.iter().map(reused_line));
    if more > 0 {
        lines.push(format!(
            "…and {more} more: `/makers list reused` lists them all."
        ));
    }
    lines.join("\n")
}

/// "• *#7* Bin app · *retired*, merged into *#4*": one project a council re-uses (another
/// workspace's, and the one it was merged into, by catalogue address).
pub(super) fn reused_line(r: &Reused) -> String {
    // Titles cut, so that five of the longest and the line after them fit one section; a
    // line naming two services by address shares that room between their names.
    let room = match r.carries_on_as {
        Some(_) => REUSED_TITLE / 2,
        None => REUSED_TITLE,
    };
    let named = match &r.project {
        ProjectNamed::Number { number, title } => {
            let title = Title::from_stored(cut_with_ellipsis(title.as_str(), room));
            format!("*{number}* {}", title_text(&title))
        }
        ProjectNamed::Listed { slug, title } => {
            super::reuse::in_catalogue(&cut_with_ellipsis(&public_name(title.as_str()), room), slug)
        }
    };
    // As `/makers list` says where a project stands, and `show <address>` where another
    // workspace's carries on.
    let stands = match (r.phase, r.carries_on_in, &r.carries_on_as) {
        (Phase::Retired, Some(into), _) => format!("*retired*, merged into *{into}*"),
        (Phase::Retired, None, Some(into)) => format!(
            "*retired*, merged into {}",
            super::reuse::in_catalogue(&cut_with_ellipsis(&into.name, room), &into.slug)
        ),
        (Phase::Retired, None, None) => "*retired*".to_string(),
        (phase, _, _) => format!("in {phase}"),
    };
    format!("• {named} · {stands}")
}

/// Characters of a title in the Home's list of what the council re-uses.
const REUSED_TITLE: usize = 60;

#[cfg(test)]
pub(super) mod tests;
