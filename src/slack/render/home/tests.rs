use std::collections::HashSet;

use serde_json::Value;

use super::*;
use crate::domain::{GiveAndTake, Phase, ProjectSummary, Skill, SkillMatch, Title};
use crate::message::ProjectNamed;

fn look() -> Look {
    Look {
        tz: chrono_tz::Europe::London,
        join_emoji: "raised_hand".into(),
        public_url: "https://makers.example".into(),
        contact_url: None,
        join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
    }
}

fn summary(n: u32) -> ProjectSummary {
    ProjectSummary {
        number: ProjectNumber::new(n).unwrap(),
        // The longest title, full of characters that escaping lengthens.
        title: Title::from_stored("<&>".repeat(40)),
        phase: Phase::Alpha,
        members: 2,
        quiet: n.is_multiple_of(2),
        council_part: None,
        carries_on_in: None,
    }
}

pub(in crate::slack::render) fn home_in(projects: u32) -> Home {
    Home {
        mine: (1..=projects)
            .rev()
            .map(|n| HomeProject {
                project: summary(n),
                last_news: Some(("<!channel> & <@U1> ".repeat(150), 1_700_000_000)),
                leads: true,
            })
            .collect(),
        need_people: (100..105).map(summary).collect(),
        wanting_skills: (200..205)
            .map(|n| SkillMatch {
                project: summary(n),
                skills: Skill::ALL.to_vec(),
            })
            .collect(),
        offers_skills: true,
        // The lines saying there are more, as the largest Home has them.
        need_people_more: true,
        wanting_skills_more: Some(Skill::ContentDesigner),
        none_open: false,
        council: Some((
            "Guildford".into(),
            Some(GiveAndTake {
                council: "<Guildford>".repeat(10),
                led: 1,
                people: 2,
                reuses: 3,
                reused_by_others: 4,
            }),
        )),
        // Each as long as it can be: another workspace's by its longest address, merged into
        // a service by the longest address and name.
        reused: (300..305)
            .map(|n| Reused {
                project: match n % 2 {
                    0 => ProjectNamed::Number {
                        number: ProjectNumber::new(n).unwrap(),
                        title: summary(n).title,
                    },
                    _ => ProjectNamed::Listed {
                        slug: crate::domain::Slug::from_stored(format!(
                            "{}-{n}",
                            "a".repeat(crate::domain::Slug::MAX_BASE)
                        )),
                        title: summary(n).title,
                    },
                },
                phase: Phase::Retired,
                carries_on_in: ProjectNumber::new(u32::MAX).filter(|_| n % 2 == 0),
                carries_on_as: (n % 2 == 1).then(|| crate::domain::MergedService {
                    slug: crate::domain::Slug::from_stored(format!(
                        "{}-{n}",
                        "a".repeat(crate::domain::Slug::MAX_BASE)
                    )),
                    name: "&".repeat(crate::domain::Title::MAX_CHARS * 2),
                }),
            })
            .collect(),
        reused_more: u32::MAX,
        report: crate::message::HomeReport {
            just_ended: None,
            asked: "report Q3 2026/27 for my council".into(),
        },
        drawn_at: 1_700_000_000,
        newest_pitch_at: None,
    }
}

/// Block Kit's limits for a Home view (docs.slack.dev: "Home tab", blocks and elements).
fn check_limits(view: &SlackView) -> Value {
    let v = serde_json::to_value(view).unwrap();
    assert_eq!(v["type"], "home");
    let blocks = v["blocks"].as_array().unwrap();
    assert!(blocks.len() <= MAX_HOME_BLOCKS, "{} blocks", blocks.len());
    let chars = |x: &Value| x.as_str().unwrap_or("").chars().count();
    let mut action_ids = HashSet::new();
    for b in blocks {
        assert!(chars(&b["text"]["text"]) <= 3000, "{b}");
        let elements = b["elements"].as_array().cloned().unwrap_or_default();
        for e in elements.iter().chain(b.get("accessory")) {
            let id = e["action_id"].as_str().unwrap().to_string();
            assert!(id.len() <= 255);
            assert!(action_ids.insert(id.clone()), "{id} twice");
            assert!(chars(&e["value"]) <= 2000);
            assert!(chars(&e["text"]["text"]) <= 75);
        }
    }
    v
}

/// A Home with nothing of theirs and nothing listed, in a workspace with open projects
/// (`none_open`: false) or none.
fn empty_home(none_open: bool) -> Home {
    Home {
        mine: vec![],
        need_people: vec![],
        wanting_skills: vec![],
        offers_skills: false,
        need_people_more: false,
        wanting_skills_more: None,
        none_open,
        council: None,
        reused: vec![],
        reused_more: 0,
        report: crate::message::HomeReport {
            just_ended: None,
            asked: "report Q3 2026/27 for my council".into(),
        },
        drawn_at: 1_700_000_000,
        newest_pitch_at: None,
    }
}

#[test]
fn someone_in_no_project_gets_a_friendly_home_within_the_limits() {
    let v = check_limits(&home_view(&empty_home(false), &look()));
    let text = v.to_string();
    assert!(
        text.contains("You're not in the team of an open project"),
        "{text}"
    );
    assert!(text.contains(HOME_PITCH));
}

/// With no open project at all, the Home opens by saying to pitch one, not by pointing at
/// projects above and below.
#[test]
fn a_home_with_no_open_project_opens_with_the_pitch_button() {
    let v = check_limits(&home_view(&empty_home(true), &look()));
    let SlackView::Home(view) = home_view(&empty_home(true), &look()) else {
        panic!("not a Home view");
    };
    let second = serde_json::to_string(&view.blocks[1]).unwrap();
    assert!(second.contains("press *Pitch a project* below"), "{second}");
    let text = v.to_string();
    assert!(!text.contains("yours are above"), "{text}");
    assert!(!text.contains("Join one of the projects below"), "{text}");
    assert!(text.contains(HOME_PITCH));
}

#[test]
fn someone_in_sixty_projects_still_fits_and_hears_how_many_are_left_out() {
    let v = check_limits(&home_view(&home_in(60), &look()));
    let text = v.to_string();
    assert!(text.contains("…and 35 more: `/makers list mine`"), "{text}");
    assert!(text.contains("home_update:60") && text.contains("home_show:60"));
    assert!(text.contains("home_join:100") && text.contains("home_join:200"));
    assert!(
        text.contains("*What your council re-uses*")
            && text.contains("*retired*, merged into *#4294967295*")
            && text.contains("in the catalogue)")
            // Two names by address on a line share its room.
            && text.contains(&format!(
                "*retired*, merged into *{}…* (`",
                "&amp;".repeat(29)
            ))
            && text.contains("…and 4294967295 more: `/makers list reused` lists them all."),
        "{text}"
    );
    assert!(
        !text.contains("<!channel>"),
        "typed tokens are not executed"
    );
}

/// A project's last update is dated by its day, and by its year too where that is not the
/// year the Home is drawn in, as `show` dates every update.
#[test]
fn a_last_update_of_another_year_says_its_year() {
    let drawn_at = 1_780_000_000; // 28 May 2026
    let said = |at: i64| {
        let mut home = home_in(1);
        home.mine[0].last_news = Some(("Prototype is up".into(), at));
        home.drawn_at = drawn_at;
        let text = check_limits(&home_view(&home, &look())).to_string();
        let from = text.find("Last update (").expect("a last update");
        text[from..].split(')').next().unwrap().to_string()
    };
    assert_eq!(said(1_772_668_800), "Last update (5 Mar"); // 5 March 2026
    assert_eq!(said(1_741_132_800), "Last update (5 Mar 2025"); // 5 March 2025
}
