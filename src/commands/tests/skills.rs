//! `skills`, `wants` and `list needs`.

use super::n;
use crate::commands::*;
use crate::domain::Skill::{self, *};

fn offer(text: &str) -> Option<Vec<Skill>> {
    match parse(text) {
        Ok(Command::Skills(skills)) => skills,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn skills_alone_shows_what_is_recorded_and_none_clears_it() {
    assert_eq!(offer("skills"), None);
    assert_eq!(offer("Skills   "), None);
    assert_eq!(offer("skills none"), Some(vec![]));
    assert_eq!(offer("skills NONE"), Some(vec![]));
}

#[test]
fn skills_are_read_as_people_type_them() {
    assert_eq!(
        offer("skills developer, user research"),
        Some(vec![Developer, UserResearcher])
    );
    assert_eq!(
        offer("skills Dev and UR; content design / DM & PO, data scientist, other"),
        Some(vec![
            Developer,
            UserResearcher,
            ContentDesigner,
            DeliveryManager,
            ProductOwner,
            Data,
            Other
        ])
    );
    assert_eq!(
        offer("skills designer | developer\ndesigner"),
        Some(vec![Designer, Developer]),
        "a bar or a new line separates like a comma; repeats go"
    );
}

#[test]
fn an_unknown_skill_is_named_in_the_error() {
    assert_eq!(
        parse("skills developer, juggling"),
        Err(ParseError::UnknownSkill {
            got: "juggling".into()
        })
    );
    assert_eq!(
        parse("skills none of them"),
        Err(ParseError::UnknownSkill {
            got: "none of them".into()
        })
    );
    let Err(ParseError::UnknownSkill { got }) = parse(&format!("skills {}", "x".repeat(100)))
    else {
        panic!("expected an unknown skill")
    };
    assert_eq!(got.len(), 40, "clipped");
}

#[test]
fn a_slack_token_is_never_a_skill_and_is_named_whole() {
    // Split at its `|` or `/`, the error would name a fragment like `<https:`.
    for (text, token) in [
        ("skills developer, <@U0BOB|bob>", "<@U0BOB|bob>"),
        (
            "skills <https://x.example/a|docs>",
            "<https://x.example/a|docs>",
        ),
        ("wants 3 designer <!here>", "<!here>"),
    ] {
        assert_eq!(
            parse(text),
            Err(ParseError::UnknownSkill { got: token.into() }),
            "{text}"
        );
    }
}

#[test]
fn skills_made_only_of_separators_is_a_missing_list_not_a_clear() {
    assert_eq!(
        parse("skills , ;"),
        Err(ParseError::MissingSkills {
            sub: "skills".into()
        })
    );
}

#[test]
fn wants_takes_a_project_and_skills_or_none() {
    assert_eq!(
        parse("wants #3 developer, user researcher"),
        Ok(Command::Wants {
            project: n(3),
            skills: vec![Developer, UserResearcher]
        })
    );
    assert_eq!(
        parse("WANTS 3 none"),
        Ok(Command::Wants {
            project: n(3),
            skills: vec![]
        })
    );
    assert_eq!(
        parse("wants 3"),
        Err(ParseError::MissingSkills {
            sub: "wants".into()
        })
    );
    assert_eq!(
        parse("wants"),
        Err(ParseError::MissingProject {
            sub: "wants".into()
        })
    );
    assert_eq!(
        parse("wants developer"),
        Err(ParseError::BadProjectRef {
            sub: "wants".into(),
            got: "developer".into()
        })
    );
    assert_eq!(
        parse("wants 3 developer, wizard"),
        Err(ParseError::UnknownSkill {
            got: "wizard".into()
        })
    );
}

#[test]
fn list_needs_takes_one_skill() {
    assert_eq!(
        parse("list needs developer"),
        Ok(Command::List(ListFilter::Needs(Developer), Page::FIRST))
    );
    assert_eq!(
        parse("list NEEDS  user research "),
        Ok(Command::List(
            ListFilter::Needs(UserResearcher),
            Page::FIRST
        ))
    );
    assert_eq!(
        parse("list needs"),
        Err(ParseError::MissingSkills {
            sub: "list needs".into()
        })
    );
    assert_eq!(
        parse("list needs developer, designer"),
        Err(ParseError::OneSkillAtATime)
    );
    assert_eq!(
        parse("list needs wizard"),
        Err(ParseError::UnknownSkill {
            got: "wizard".into()
        })
    );
    assert_eq!(
        parse("list needsdeveloper"),
        Err(ParseError::UnknownListFilter {
            got: "needsdeveloper".into()
        }),
        "`needs` is a word of its own"
    );
}

#[test]
fn only_showing_skills_is_read_only() {
    assert!(parse("skills").unwrap().is_read_only());
    assert!(!parse("skills developer").unwrap().is_read_only());
    assert!(!parse("skills none").unwrap().is_read_only());
    assert!(!parse("wants 3 developer").unwrap().is_read_only());
    assert!(parse("list needs data").unwrap().is_read_only());
}
