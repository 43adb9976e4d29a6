//! Skills: the usual roles of a digital team, which people offer and projects want.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the usual roles (the pitch form offers these; `/makers skills` reads them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    Developer,
    Designer,
    UserResearcher,
    ContentDesigner,
    DeliveryManager,
    ProductOwner,
    Data,
    Other,
}

impl Skill {
    pub const ALL: [Skill; 8] = [
        Skill::Developer,
        Skill::Designer,
        Skill::UserResearcher,
        Skill::ContentDesigner,
        Skill::DeliveryManager,
        Skill::ProductOwner,
        Skill::Data,
        Skill::Other,
    ];

    /// The stored and form value: `user_researcher`.
    pub fn as_str(self) -> &'static str {
        match self {
            Skill::Developer => "developer",
            Skill::Designer => "designer",
            Skill::UserResearcher => "user_researcher",
            Skill::ContentDesigner => "content_designer",
            Skill::DeliveryManager => "delivery_manager",
            Skill::ProductOwner => "product_owner",
            Skill::Data => "data",
            Skill::Other => "other",
        }
    }

    /// As people say it: "user researcher".
    pub fn label(self) -> &'static str {
        match self {
            Skill::Developer => "developer",
            Skill::Designer => "designer",
            Skill::UserResearcher => "user researcher",
            Skill::ContentDesigner => "content designer",
            Skill::DeliveryManager => "delivery manager",
            Skill::ProductOwner => "product owner",
            Skill::Data => "data",
            Skill::Other => "other",
        }
    }
}

impl fmt::Display for Skill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Skill {
    type Err = ();
    /// Reads a skill as people type it: "User research", "user-researcher", "dev", "UR",
    /// "content design", "DM", "PO", "data scientist", "UX designer"…, and in the plural
    /// ("designers", "user researchers", "POs"), as a team wanting them says it.
    fn from_str(s: &str) -> Result<Skill, ()> {
        let words = words_of(s);
        // "a developer", as a team wanting one says it.
        let words = ["a ", "an "]
            .iter()
            .find_map(|article| words.strip_prefix(article))
            .unwrap_or(&words);
        one_skill(words)
            .or_else(|| words.strip_suffix('s').and_then(one_skill))
            .ok_or(())
    }
}

/// `s` in lower case, its marks (`-`, `.`) as spaces, one space between words.
fn words_of(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The skill `words` (as [`words_of`] gives them) name, singular.
fn one_skill(words: &str) -> Option<Skill> {
    let skill = match words {
        "developer"
        | "developers"
        | "dev"
        | "devs"
        | "development"
        | "engineer"
        | "software developer"
        | "software engineer"
        | "developing"
        | "web developer"
        | "front end developer"
        | "frontend developer"
        | "front end"
        | "frontend"
        | "back end developer"
        | "backend developer"
        | "back end"
        | "backend"
        | "full stack developer"
        | "fullstack developer"
        | "technical architect"
        | "architect"
        | "tech lead"
        | "technical lead"
        | "devops"
        | "devops engineer" => Skill::Developer,
        "designer"
        | "design"
        | "service designer"
        | "service design"
        | "interaction designer"
        | "interaction design"
        | "ux"
        | "ui"
        | "ux designer"
        | "ui designer"
        | "ux ui designer"
        | "ui ux designer"
        | "ux design"
        | "ui design"
        | "product designer" => Skill::Designer,
        "user researcher" | "user research" | "researcher" | "research" | "ur"
        | "ux researcher" | "ux research" => Skill::UserResearcher,
        "content designer" | "content design" | "content" | "writer" => Skill::ContentDesigner,
        "delivery manager"
        | "delivery"
        | "dm"
        | "project manager"
        | "scrum master"
        | "agile delivery manager" => Skill::DeliveryManager,
        "product owner" | "product manager" | "po" | "product" => Skill::ProductOwner,
        "data"
        | "data analyst"
        | "data scientist"
        | "analyst"
        | "data engineer"
        | "performance analyst"
        | "data architect" => Skill::Data,
        // Digital roles with no line of their own: counted, and named back as "other".
        "other" | "business analyst" | "ba" | "tester" | "test engineer" | "qa"
        | "quality assurance" => Skill::Other,
        _ => return None,
    };
    Some(skill)
}

/// A list of skills as typed, "developer, user research and content": the skills read, in
/// the order given without repeats, or the first word or phrase that is not one.
pub fn parse_skills(text: &str) -> Result<Vec<Skill>, String> {
    let mut skills = Vec::new();
    // "and" in any case ("Developer And Designer") separates, as the marks do.
    let phrases = text.split([',', ';', '/', '&']).flat_map(|p| {
        let words: Vec<&str> = p.split_whitespace().collect();
        words
            .split(|w| w.eq_ignore_ascii_case("and"))
            .map(|phrase| phrase.join(" "))
            .collect::<Vec<_>>()
    });
    for part in phrases.filter(|p| !p.is_empty()) {
        let skill: Skill = part
            .parse()
            .map_err(|()| part.chars().take(40).collect::<String>())?;
        if !skills.contains(&skill) {
            skills.push(skill);
        }
    }
    Ok(skills)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_read_as_people_type_them() {
        assert_eq!(
            parse_skills("developer, User Research and content design"),
            Ok(vec![
                Skill::Developer,
                Skill::UserResearcher,
                Skill::ContentDesigner
            ])
        );
        assert_eq!(
            parse_skills("DM; PO / dev, dev"),
            Ok(vec![
                Skill::DeliveryManager,
                Skill::ProductOwner,
                Skill::Developer
            ])
        );
        assert_eq!(
            parse_skills("Developer And Designer"),
            Ok(vec![Skill::Developer, Skill::Designer])
        );
        assert_eq!(parse_skills(""), Ok(vec![]));
        // In the plural, as a team says what it wants; a designer by the name of the trade.
        assert_eq!(
            parse_skills("designers, user researchers and POs"),
            Ok(vec![
                Skill::Designer,
                Skill::UserResearcher,
                Skill::ProductOwner
            ])
        );
        assert_eq!(
            parse_skills("UX designer, UX/UI designers, UX research, content designers"),
            Ok(vec![
                Skill::Designer,
                Skill::UserResearcher,
                Skill::ContentDesigner
            ])
        );
        assert_eq!(parse_skills("plumbers"), Err("plumbers".into()));
        assert_eq!(
            parse_skills("developer, juggling"),
            Err("juggling".to_string())
        );
        for skill in Skill::ALL {
            assert_eq!(skill.as_str().parse(), Ok(skill), "{skill:?}");
            assert_eq!(skill.label().parse(), Ok(skill), "{skill:?}");
        }
    }
}
