//! `skills`, `wants` and `list needs`: lists of skills as people type them
//! ("developer, user research and content"), read by [`crate::domain::parse_skills`].

use super::{Command, clip, project_then};
use crate::domain::{ListFilter, ParseError, Piece, Skill, parse_skills, pieces};

/// `skills` (what is recorded), `skills none` (clear) or `skills <list>` (replace).
pub(super) fn parse_offer(rest: &str) -> Result<Command, ParseError> {
    let skills = match rest {
        "" => None,
        none if is_none(none) => Some(Vec::new()),
        list => Some(skill_list("skills", list)?),
    };
    Ok(Command::Skills(skills))
}

/// `wants <id> <list>` (replace) or `wants <id> none` (clear).
pub(super) fn parse_wants(rest: &str) -> Result<Command, ParseError> {
    let (project, list) = project_then("wants", rest)?;
    let skills = match list.trim() {
        none if is_none(none) => Vec::new(),
        list => skill_list("wants", list)?,
    };
    Ok(Command::Wants { project, skills })
}

/// The skill after `list needs`: exactly one.
pub(super) fn parse_needs(rest: &str) -> Result<ListFilter, ParseError> {
    match skill_list("list needs", rest)?.as_slice() {
        [skill] => Ok(ListFilter::Needs(*skill)),
        _ => Err(ParseError::OneSkillAtATime),
    }
}

fn is_none(word: &str) -> bool {
    word.eq_ignore_ascii_case("none")
}

/// At least one skill. A Slack token (`<@U0BOB|bob>`, a link) is never a skill and is named
/// whole in the error, rather than cut at the `|` or `/` inside it; outside tokens, a `|` or a
/// new line separates skills like a comma.
fn skill_list(sub: &str, text: &str) -> Result<Vec<Skill>, ParseError> {
    if let Some(token) = pieces(text).find(|p| matches!(p, Piece::Token { .. })) {
        return Err(ParseError::UnknownSkill {
            got: clip(token.raw()),
        });
    }
    let skills = parse_skills(&text.replace(['|', '\n'], ","))
        .map_err(|got| ParseError::UnknownSkill { got })?;
    if skills.is_empty() {
        return Err(ParseError::MissingSkills { sub: sub.into() });
    }
    Ok(skills)
}
