//! Skills: answers to `skills` and `wants`, the line in the pitch's thread, and the
//! "Wanted:" line of announcements and `show`. Skill names are the bot's own words (never
//! typed text), so they need no escaping.

use super::{Person, list, title_text};
use crate::domain::{ProjectNumber, Skill, SkillMatch, Title, UserId};
use crate::message::ThreadLine;

/// "developer, user researcher".
pub(super) fn names(skills: &[Skill]) -> String {
    skills
        .iter()
        .map(|s| s.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "developer, designer, …, data or other": every skill, for a reminder of the choice.
pub(super) fn choices() -> String {
    let all: Vec<&str> = Skill::ALL.iter().map(|s| s.label()).collect();
    match all.split_last() {
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// For announcements and `show`: "*Wanted:* developer, user researcher", or nothing.
pub(super) fn wanted_line(skills: &[Skill]) -> Option<String> {
    (!skills.is_empty()).then(|| format!("*Wanted:* {}", names(skills)))
}

/// The answer to `skills`.
pub(super) fn offered(skills: &[Skill], changed: bool, matching: &[SkillMatch]) -> String {
    let mine = names(skills);
    let mut text = match (changed, skills.is_empty()) {
        (true, false) => format!(
            "Recorded: you offer *{mine}*. `/makers skills` shows them and the projects looking for them; `/makers skills none` forgets them."
        ),
        (true, true) => "Done: I no longer hold any skills for you.".to_string(),
        (false, false) => format!(
            "You offer *{mine}*. `/makers skills &lt;skills&gt;` replaces them; `/makers skills none` forgets them."
        ),
        (false, true) => format!(
            "I hold no skills for you. Say what you can offer with `/makers skills developer, user research` (any of {}).",
            choices()
        ),
    };
    if skills.is_empty() {
        return text;
    }
    if matching.is_empty() {
        text.push_str("\nNo open project you're not in is looking for them right now.");
        return text;
    }
    text.push_str("\n*Open projects looking for your skills:*");
    for m in matching {
        text.push_str(&format!(
            "\n{} · wants {}",
            list::summary_line(&m.project),
            names(&m.skills)
        ));
    }
    // The best few are named here; every one wanting a skill is a list away: for a skill a
    // project named wants (the first offered could be one none of them asks for, an empty
    // list, as the Home's pointer was).
    let wanted = skills
        .iter()
        .copied()
        .find(|s| matching.iter().any(|m| m.skills.contains(s)))
        .unwrap_or(skills[0]);
    text.push('\n');
    text.push_str(&every_one_wanting(wanted));
    text
}

/// Where every open project wanting `skill` is listed, after a few of them (here, the Home).
pub(super) fn every_one_wanting(skill: Skill) -> String {
    format!(
        "`/makers {}` lists every open project looking for one skill.",
        crate::domain::ListFilter::Needs(skill).typed()
    )
}

/// The answer to `wants`.
pub(super) fn wants(
    number: ProjectNumber,
    title: &Title,
    skills: &[Skill],
    changed: bool,
    in_thread: ThreadLine,
    retired: bool,
) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    let wanted = names(skills);
    let mut text = match (changed, skills.is_empty()) {
        (true, false) => format!(
            "Recorded: {project} is looking for *{wanted}*. `/makers show {n}` lists them, and people find it with `/makers list needs &lt;skill&gt;`.",
            n = number.get()
        ),
        (true, true) => format!("Done: {project} no longer lists skills it wants."),
        (false, false) => format!("{project} was already looking for *{wanted}*."),
        (false, true) => format!(
            "{project} wasn't looking for particular skills, so there was nothing to clear."
        ),
    };
    if changed {
        text.push(' ');
        // A retired project's announcement shows no skills wanted: nothing to correct.
        let told = match retired {
            true => "I've said so in its thread.",
            false => "I've corrected its announcement to match and said so in its thread.",
        };
        text.push_str(super::thread_told(in_thread, told));
    }
    text
}

/// The line in the pitch's thread.
pub(super) fn line(number: ProjectNumber, skills: &[Skill], by: &UserId) -> String {
    let by = Person::of(by);
    if skills.is_empty() {
        return format!("{by} says the team isn't looking for particular skills any more.");
    }
    format!(
        ":mag: The team is looking for: *{}*. Can you help? `/makers join {}` (set by {by})",
        names(skills),
        number.get()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skill_is_offered_as_a_choice() {
        let all = choices();
        for skill in Skill::ALL {
            assert!(all.contains(skill.label()), "{all}");
        }
        assert!(all.ends_with(", data or other"), "{all}");
    }
}
