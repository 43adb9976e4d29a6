//! One test per form and per error of the grammar (`progress.rs`: `update` and `phase`).

mod as_typed;
mod digest;
mod merge;
mod progress;
mod properties;
mod publish;
mod reuse;
mod skills;
mod thread;

use super::DigestCommand;
use super::*;
use crate::domain::{ListFilter, Phase, Title, UpdateText, UserError, UserId};

pub(super) fn pitch(title: &str, description: &str) -> Command {
    Command::Pitch {
        title: Title::parse(title).unwrap(),
        description: Description::parse(description).unwrap(),
    }
}

pub(super) fn n(v: u32) -> ProjectNumber {
    ProjectNumber::new(v).unwrap()
}

#[test]
fn empty_text_is_help() {
    assert_eq!(parse(""), Ok(HELP));
    assert_eq!(parse("   \n "), Ok(HELP));
}

#[test]
fn help_words_are_help() {
    for text in [
        "help",
        "HELP",
        " Help ",
        "?",
        "help me please",
        "help help",
        "help frob",
    ] {
        assert_eq!(parse(text), Ok(HELP), "{text}");
    }
}

/// The whole help.
const HELP: Command = Command::Help {
    unknown: None,
    about: None,
};

/// Help with one subcommand's lines, asked for.
fn help_about(sub: &'static str) -> Command {
    Command::Help {
        unknown: None,
        about: Some(sub),
    }
}

#[test]
fn help_about_a_subcommand_shows_it_alone() {
    for (text, sub) in [
        ("help join", "join"),
        ("HELP List", "list"),
        ("? digest", "digest"),
    ] {
        assert_eq!(parse(text), Ok(help_about(sub)), "{text}");
    }
}

#[test]
fn a_word_one_slip_from_a_subcommand_is_taken_for_it() {
    // Asked for help by a slip: the same.
    assert_eq!(
        parse("help joni"),
        Ok(Command::Help {
            unknown: Some("joni".into()),
            about: Some("join")
        })
    );
    for (typed, sub) in [
        ("joni 4", "join"),
        ("JOINN 4", "join"),
        ("lst", "list"),
        ("updte 3 done", "update"),
        ("pitc Bins", "pitch"),
        ("counsil Kent", "council"),
        ("counsils", "councils"),
        ("serch bins", "search"),
        ("pub 3", "publish"),
        ("unpub 3", "unpublish"),
        ("dgest", "digest"),
        ("skill developer", "skills"),
        // Words people use for a subcommand's work: its help (`unjoin` is no slip for `join`).
        ("unjoin 4", "leave"),
        ("Quit 4", "leave"),
        ("status 4", "show"),
        ("rename 4 Bins", "edit"),
        ("transfer 4 <@U0SAM>", "handover"),
        ("post 4 done", "update"),
        ("close 4", "phase"),
        ("archive 4", "phase"),
        ("delete 4", "phase"),
        ("Cancel 4", "phase"),
    ] {
        let word = typed.split(' ').next().unwrap().to_string();
        let expected = Command::Help {
            unknown: Some(word),
            about: Some(sub),
        };
        assert_eq!(parse(typed), Ok(expected), "{typed}");
    }
    // Too short, too far, or as close to two: no guess.
    for typed in ["jo 4", "un 3", "hlep", "frobnicate", "xyz", "councilz"] {
        let Ok(Command::Help { about, .. }) = parse(typed) else {
            panic!("{typed}")
        };
        assert_eq!(about, None, "{typed}");
    }
}

/// A number alone is that project, as `show` would take it.
#[test]
fn a_number_alone_shows_its_project() {
    for typed in ["4", "#4", " #4 "] {
        assert_eq!(parse(typed), Ok(Command::Show(n(4))), "{typed}");
    }
    // Not with words after it.
    assert!(matches!(parse("4 bins"), Ok(Command::Help { .. })));
}

#[test]
fn unknown_words_get_help_naming_the_word() {
    assert_eq!(
        parse("frobnicate 12"),
        Ok(Command::Help {
            unknown: Some("frobnicate".into()),
            about: None
        })
    );
    let long = "z".repeat(100);
    let Ok(Command::Help {
        unknown: Some(w), ..
    }) = parse(&long)
    else {
        panic!("expected help")
    };
    assert_eq!(w.len(), 40);
}

#[test]
fn pitch_with_title_only() {
    assert_eq!(
        parse("pitch Bin day finder"),
        Ok(pitch("Bin day finder", ""))
    );
}

#[test]
fn pitch_with_title_and_description() {
    assert_eq!(
        parse("pitch Bin day finder | One app for every council's bin days"),
        Ok(pitch(
            "Bin day finder",
            "One app for every council's bin days"
        ))
    );
}

#[test]
fn pitch_splits_on_the_first_bar_only() {
    assert_eq!(
        parse("pitch A | b | c"),
        Ok(pitch("A", "b | c")),
        "later bars belong to the description"
    );
}

#[test]
fn pitch_splits_only_at_a_bar_outside_slack_tokens() {
    // With the manifest's `should_escape`, Slack sends a typed mention as `<@U0BOB|bob>`.
    let cases = [
        (
            "pitch hi <@U0BOB|bob> | pair with us",
            ("hi <@U0BOB|bob>", "pair with us"),
        ),
        (
            "pitch Bins <https://x.example|demo> | see <https://y.example|docs> | more",
            (
                "Bins <https://x.example|demo>",
                "see <https://y.example|docs> | more",
            ),
        ),
        (
            "pitch Ask in <#C1|bins> and <!subteam^S1|@devs>",
            ("Ask in <#C1|bins> and <!subteam^S1|@devs>", ""),
        ),
        // Not a token (no closing `>`): its bar is an ordinary bar.
        ("pitch a <https://x|b", ("a <https://x", "b")),
        ("pitch <<@U1|x>> | d", ("<<@U1|x>>", "d")),
        ("pitch a < b | c > d", ("a < b", "c > d")),
    ];
    for (text, (title, description)) in cases {
        assert_eq!(parse(text), Ok(pitch(title, description)), "{text}");
    }
}

#[test]
fn the_app_mention_grammar_splits_the_same_way() {
    assert_eq!(
        parse_mention(
            "<@U0MAKERS> pitch hi <@U0BOB|bob> | pair with us",
            Some("U0MAKERS")
        ),
        Ok(pitch("hi <@U0BOB|bob>", "pair with us"))
    );
}

#[test]
fn pitch_subcommand_is_case_insensitive_and_keeps_title_case() {
    assert_eq!(
        parse("PITCH Parking Permits"),
        Ok(pitch("Parking Permits", ""))
    );
}

#[test]
fn pitch_keeps_mrkdwn_specials_as_typed() {
    // Escaping is the renderer's job; the parser keeps what the user typed.
    assert_eq!(
        parse("pitch <!channel> free pizza | a & b > c"),
        Ok(pitch("<!channel> free pizza", "a & b > c"))
    );
}

#[test]
fn pitch_without_title_is_an_error() {
    for text in ["pitch", "pitch   ", "pitch | only a description"] {
        assert_eq!(
            parse(text),
            Err(ParseError::Invalid(UserError::EmptyTitle)),
            "{text}"
        );
    }
}

#[test]
fn invisible_and_control_characters_are_not_a_title() {
    for text in [
        "pitch \u{200B}\u{FEFF}\u{200D}",
        "pitch \u{2060}\u{200C} | a description",
        "pitch \u{0}\u{7}\u{1b}",
    ] {
        assert_eq!(
            parse(text),
            Err(ParseError::Invalid(UserError::NothingVisible)),
            "{text:?}"
        );
    }
    assert_eq!(
        parse("pitch Bin\u{200B} day\u{0} finder | one\u{FEFF} app"),
        Ok(pitch("Bin day finder", "one app"))
    );
    assert_eq!(
        parse("update 3 \u{200B}\u{FEFF}"),
        Err(ParseError::Invalid(UserError::NothingVisible))
    );
    assert_eq!(
        parse("council \u{200B}"),
        Err(ParseError::Invalid(UserError::NothingVisible))
    );
}

#[test]
fn pitch_with_overlong_title_is_an_error() {
    let text = format!("pitch {}", "t".repeat(Title::MAX_CHARS + 5));
    assert!(matches!(
        parse(&text),
        Err(ParseError::Invalid(UserError::TitleTooLong { .. }))
    ));
}

#[test]
fn pitch_with_overlong_description_is_an_error() {
    let text = format!("pitch T | {}", "d".repeat(Description::MAX_CHARS + 1));
    assert!(matches!(
        parse(&text),
        Err(ParseError::Invalid(UserError::DescriptionTooLong { .. }))
    ));
}

#[test]
fn list_alone() {
    assert_eq!(
        parse("list"),
        Ok(Command::List(ListFilter::Open, Page::FIRST))
    );
    assert_eq!(
        parse(" LIST "),
        Ok(Command::List(ListFilter::Open, Page::FIRST))
    );
}

#[test]
fn list_takes_a_phase_mine_or_quiet() {
    assert_eq!(
        parse("list beta"),
        Ok(Command::List(ListFilter::Phase(Phase::Beta), Page::FIRST))
    );
    assert_eq!(
        parse("list RETIRED"),
        Ok(Command::List(
            ListFilter::Phase(Phase::Retired),
            Page::FIRST
        ))
    );
    assert_eq!(
        parse("list mine"),
        Ok(Command::List(ListFilter::Mine, Page::FIRST))
    );
    assert_eq!(
        parse("list Quiet"),
        Ok(Command::List(ListFilter::Quiet, Page::FIRST))
    );
}

/// What the asker's council re-uses, as the bot and people spell it; a read.
#[test]
fn list_reused_lists_what_your_council_re_uses() {
    for typed in [
        "list reused",
        "list re-used",
        "LIST Reuses",
        "list re-uses.",
        "list reuse",
        "list reused projects",
    ] {
        assert_eq!(
            parse(typed),
            Ok(Command::ListReused(Page::FIRST)),
            "{typed}"
        );
    }
    let two = Page::new(2).unwrap();
    assert_eq!(parse("list reused page 2"), Ok(Command::ListReused(two)));
    // Alone, as the Home names the list: that list, not a slip for `reuse`.
    assert_eq!(parse("reused"), Ok(Command::ListReused(Page::FIRST)));
    assert_eq!(parse("Re-used page 2"), Ok(Command::ListReused(two)));
    assert!(matches!(
        parse("reused 4"),
        Ok(Command::Help {
            about: Some("reuse"),
            ..
        })
    ));
    assert!(Command::ListReused(two).is_read_only());
    assert!(parse("list reusers").is_err());
}

#[test]
fn list_council_takes_a_council_name_as_typed() {
    let Ok(Command::ListCouncil(name, Page::FIRST)) = parse("list council Waverley BC") else {
        panic!("not a list council");
    };
    assert_eq!(name.display(), "Waverley Borough Council");
    let Ok(Command::ListCouncil(name, Page::FIRST)) =
        parse("LIST Council  guildford   borough council")
    else {
        panic!("not a list council");
    };
    assert_eq!(name.key(), CouncilName::parse("Guildford").unwrap().key());
    assert_eq!(parse("list council"), Err(ParseError::MissingListCouncil));
    assert_eq!(
        parse("list council   "),
        Err(ParseError::MissingListCouncil)
    );
    assert!(parse("list council Waverley").unwrap().is_read_only());
    // "councils" is not "council": the councils' give and take, as `councils` alone.
    assert_eq!(parse("list councils"), Ok(Command::Councils(Page::FIRST)));
}

#[test]
fn list_with_other_words_is_an_error() {
    assert_eq!(
        parse("list everything"),
        Err(ParseError::UnknownListFilter {
            got: "everything".into()
        })
    );
}

/// What is named back in an error has no control, bidirectional-override or invisible
/// characters (an ESC or a right-to-left override would garble the answer).
#[test]
fn what_an_error_names_back_is_only_what_shows() {
    assert_eq!(
        parse("list \u{202E}evil\u{202C} \u{1b}[31mred\u{7f}\u{200B}"),
        Err(ParseError::UnknownListFilter {
            got: "evil [31mred".into()
        })
    );
    assert_eq!(
        parse("show 1\u{0}2 x"),
        Err(ParseError::BadProjectRef {
            sub: "show".into(),
            got: "12".into()
        })
    );
}

#[test]
fn show_takes_a_plain_or_hashed_number() {
    assert_eq!(parse("show 12"), Ok(Command::Show(n(12))));
    assert_eq!(parse("show #12"), Ok(Command::Show(n(12))));
    assert_eq!(parse("Show   3 "), Ok(Command::Show(n(3))));
}

/// A number as people type one in a sentence: followed by punctuation, or after the word
/// "project"; but not a number with more after its point, nor "project" alone.
#[test]
fn a_number_may_be_followed_by_punctuation_or_follow_project() {
    assert_eq!(parse("show 12."), Ok(Command::Show(n(12))));
    assert_eq!(parse("join #4,"), Ok(Command::Join(n(4))));
    assert_eq!(parse("leave project 4"), Ok(Command::Leave(n(4))));
    assert_eq!(parse("show Project #7"), Ok(Command::Show(n(7))));
    assert_eq!(
        parse("update 4: prototype up"),
        Ok(Command::Update {
            project: n(4),
            text: UpdateText::parse("prototype up").unwrap(),
        })
    );
    assert_eq!(
        parse("handover project 4 to <@U0SAM|sam>"),
        Ok(Command::Handover {
            project: n(4),
            user: UserId::parse("U0SAM").unwrap(),
        })
    );
    assert!(matches!(
        parse("phase project 3: beta"),
        Ok(Command::Phase { project, phase: Phase::Beta, note: None }) if project == n(3)
    ));
    for bad in ["1.5", "4..", "4:.", "project", "project x"] {
        assert!(
            matches!(
                parse(&format!("show {bad}")),
                Err(ParseError::BadProjectRef { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        parse("show project"),
        Err(ParseError::BadProjectRef { got, .. }) if got == "project"
    ));
    assert!(matches!(
        parse("join project bins"),
        Err(ParseError::BadProjectRef { got, .. }) if got == "bins"
    ));
}

/// A pitch (or an edit) typed over two lines without a `|`: the first line is the title,
/// the rest its description; with a `|`, the bar decides, as ever.
#[test]
fn a_pitch_over_two_lines_takes_its_first_line_for_the_title() {
    assert_eq!(
        parse("pitch Bin day finder\nOne app for every council's bin days\nand more"),
        Ok(pitch(
            "Bin day finder",
            "One app for every council's bin days\nand more"
        ))
    );
    assert_eq!(
        parse("pitch Bin day finder | One app\nfor all"),
        Ok(pitch("Bin day finder", "One app\nfor all"))
    );
    assert_eq!(
        parse("pitch <https://x.example|a\nlink> finder"),
        Ok(pitch("<https://x.example|a\nlink> finder", ""))
    );
    assert!(matches!(
        parse("edit 4 New title\nNew description"),
        Ok(Command::Edit { project, description: Some(_), .. }) if project == n(4)
    ));
    // The number alone on the first line, the title on the next.
    assert!(matches!(
        parse("edit 4\nNew title"),
        Ok(Command::Edit { project, title: Some(title), description: None })
            if project == n(4) && title.as_str() == "New title"
    ));
    // A line break before the bar splits there; a first line only a mention does not.
    assert_eq!(
        parse("pitch Bin finder\nCosts: A | B"),
        Ok(pitch("Bin finder", "Costs: A | B"))
    );
    assert_eq!(
        parse("pitch <@U0BOB|bob>\nfinds bins"),
        Ok(pitch("<@U0BOB|bob>\nfinds bins", ""))
    );
}

#[test]
fn show_without_a_number_is_an_error() {
    assert_eq!(
        parse("show"),
        Err(ParseError::MissingProject { sub: "show".into() })
    );
}

#[test]
fn show_with_a_bad_number_is_an_error() {
    for bad in ["banana", "#", "0", "-3", "1.5"] {
        assert_eq!(
            parse(&format!("show {bad}")),
            Err(ParseError::BadProjectRef {
                sub: "show".into(),
                got: bad.into()
            }),
            "{bad}"
        );
    }
}

#[test]
fn show_with_extra_words_is_an_error() {
    assert!(matches!(
        parse("show 12 please"),
        Err(ParseError::UnexpectedWords { sub, .. }) if sub == "show"
    ));
}

#[test]
fn join_and_leave_take_a_project() {
    assert_eq!(parse("join 4"), Ok(Command::Join(n(4))));
    assert_eq!(parse("JOIN #4"), Ok(Command::Join(n(4))));
    assert_eq!(parse("leave #12"), Ok(Command::Leave(n(12))));
    assert_eq!(
        parse("join"),
        Err(ParseError::MissingProject { sub: "join".into() })
    );
    assert_eq!(
        parse("leave"),
        Err(ParseError::MissingProject {
            sub: "leave".into()
        })
    );
    assert_eq!(
        parse("join bins"),
        Err(ParseError::BadProjectRef {
            sub: "join".into(),
            got: "bins".into()
        })
    );
    assert!(matches!(
        parse("leave 3 4"),
        Err(ParseError::UnexpectedWords { sub, .. }) if sub == "leave"
    ));
}

#[test]
fn remove_takes_a_project_and_a_person_mentioned() {
    let sam = UserId::parse("U0SAM").unwrap();
    let removes = |user: &UserId| {
        Ok(Command::Remove {
            project: n(4),
            user: user.clone(),
        })
    };
    // As Slack sends a mention in a command's text, with its label or without.
    assert_eq!(parse("remove 4 <@U0SAM|sam>"), removes(&sam));
    assert_eq!(parse("Remove #4   <@U0SAM>"), removes(&sam));
    assert_eq!(
        parse("remove 4 <@W0SAM|sam>"),
        removes(&UserId::parse("W0SAM").unwrap())
    );
    assert_eq!(
        parse("remove"),
        Err(ParseError::MissingProject {
            sub: "remove".into()
        })
    );
    assert_eq!(
        parse("remove sam"),
        Err(ParseError::BadProjectRef {
            sub: "remove".into(),
            got: "sam".into()
        })
    );
    for (text, got) in [
        ("remove 4", ""),
        ("remove 4 sam", "sam"),
        ("remove 4 @sam", "@sam"),
        ("remove 4 <#C0SAM|sam>", "<#C0SAM|sam>"),
        ("remove 4 <@C0SAM>", "<@C0SAM>"),
        ("remove 4 <@U0SAM> <@U0BOB>", "<@U0SAM> <@U0BOB>"),
        ("remove 4 <@U0 SAM>", "<@U0 SAM>"),
    ] {
        assert_eq!(
            parse(text),
            Err(ParseError::MissingPerson {
                sub: "remove".into(),
                got: got.into()
            }),
            "{text}"
        );
    }
}

#[test]
fn council_alone_asks_what_is_recorded() {
    assert_eq!(parse("council"), Ok(Command::Council(None)));
    assert_eq!(parse("Council  "), Ok(Command::Council(None)));
}

#[test]
fn council_with_a_name_records_it() {
    let Ok(Command::Council(Some(name))) = parse("council guildford bc") else {
        panic!("expected a council")
    };
    assert_eq!(name.display(), "Guildford Borough Council");
    assert_eq!(name.key(), "guildford");
}

#[test]
fn council_with_a_useless_name_is_an_error() {
    assert_eq!(
        parse("council ..."),
        Err(ParseError::Invalid(UserError::EmptyCouncil))
    );
    assert!(matches!(
        parse(&format!("council {}", "x".repeat(101))),
        Err(ParseError::Invalid(UserError::CouncilTooLong { .. }))
    ));
}

#[test]
fn mentions_drop_the_bot_mention_first() {
    assert_eq!(
        parse_mention("<@U0LAN0Z89> list", Some("U0LAN0Z89")),
        Ok(Command::List(ListFilter::Open, Page::FIRST))
    );
    assert_eq!(
        parse_mention("<@U0LAN0Z89|makers>   show #4", Some("U0LAN0Z89")),
        Ok(Command::Show(n(4)))
    );
    assert_eq!(parse_mention("<@U0LAN0Z89>", Some("U0LAN0Z89")), Ok(HELP));
    assert_eq!(
        parse_mention(
            "<@U0LAN0Z89> is it everything a river should be?",
            Some("U0LAN0Z89")
        ),
        Ok(Command::Help {
            unknown: Some("is".into()),
            about: None
        })
    );
}

#[test]
fn only_leading_mentions_are_dropped() {
    assert_eq!(
        parse_mention(
            "<@UBOT> pitch Pair with <@U2|sam> | ask <@U3>",
            Some("UBOT")
        ),
        Ok(pitch("Pair with <@U2|sam>", "ask <@U3>"))
    );
    // Up to and including the bot's; with its id unknown, all of them.
    assert_eq!(mention_body("<@U1> <@U2> help", Some("U2")), "help");
    assert_eq!(
        mention_body("<@U2> <@U1> did it", Some("U2")),
        "<@U1> did it"
    );
    assert_eq!(mention_body("<@U1> <@U2> help", None), "help");
    // The bot not among them (the other workspace's installation, in a shared channel):
    // all of them, as with its id unknown.
    assert_eq!(mention_body("<@U1> leave", Some("U2")), "leave");
    assert_eq!(mention_body("<@U2>: leave", Some("U2")), "leave");
    assert_eq!(mention_body("<@U2|makers>,show 3", Some("U2")), "show 3");
    assert_eq!(
        mention_body("<@U1 unterminated", Some("U1")),
        "<@U1 unterminated"
    );
    // The ids of every mention, for the workspace a shared channel's mention addresses.
    let ids: Vec<&str> = mentions(" <@U1|ann>: <@U2>, hi <@U3>").collect();
    assert_eq!(ids, ["U1", "U2", "U3"]);
    assert_eq!(mentions("<@U1 unterminated").count(), 0);
    assert_eq!(mentions("no one").count(), 0);
}

#[test]
fn read_only_commands_are_marked() {
    assert!(Command::List(ListFilter::Mine, Page::FIRST).is_read_only());
    assert!(Command::Show(n(1)).is_read_only());
    assert!(HELP.is_read_only());
    assert!(Command::Council(None).is_read_only());
    assert!(!pitch("x", "").is_read_only());
    assert!(!Command::Join(n(1)).is_read_only());
    assert!(!Command::Leave(n(1)).is_read_only());
    let text = UpdateText::parse("news").unwrap();
    assert!(
        !Command::Update {
            project: n(1),
            text
        }
        .is_read_only()
    );
    let name = crate::domain::CouncilName::parse("Kent").unwrap();
    assert!(!Command::Council(Some(name)).is_read_only());
}

#[test]
fn every_subcommand_word_is_known_to_the_parser() {
    for sub in SUBCOMMANDS {
        assert!(
            !matches!(
                parse(sub),
                Ok(Command::Help {
                    unknown: Some(_),
                    ..
                })
            ),
            "{sub} is not parsed"
        );
    }
}

#[test]
fn only_the_exact_words_forget_anyone() {
    assert_eq!(parse("forget me"), Ok(Command::ForgetMe));
    assert_eq!(parse("FORGET Me"), Ok(Command::ForgetMe));
    for text in ["forget", "forget you", "forget me now", "forget <@U0BOB>"] {
        assert_eq!(parse(text), Ok(help_about("forget")), "{text}");
    }
    assert!(!Command::ForgetMe.is_read_only());
}

#[test]
fn privacy_alone_is_the_notice_and_with_words_its_help() {
    assert_eq!(parse("privacy"), Ok(Command::Privacy));
    assert_eq!(parse("PRIVACY"), Ok(Command::Privacy));
    assert_eq!(parse("privacy policy"), Ok(help_about("privacy")));
    assert_eq!(parse("help privacy"), Ok(help_about("privacy")));
    assert!(Command::Privacy.is_read_only());
}

#[test]
fn handover_takes_a_project_and_a_person_mentioned_as_remove_does() {
    let sam = UserId::parse("U0SAM").unwrap();
    let hands = Ok(Command::Handover {
        project: n(4),
        user: sam,
    });
    assert_eq!(parse("handover 4 <@U0SAM|sam>"), hands);
    assert_eq!(parse("HandOver #4  <@U0SAM>"), hands);
    assert_eq!(
        parse("handover 4 to <@U0SAM|sam>"),
        hands,
        "as people say it"
    );
    assert_eq!(
        parse("remove 4 to <@U0SAM|sam>"),
        Err(ParseError::MissingPerson {
            sub: "remove".into(),
            got: "to <@U0SAM|sam>".into()
        }),
        "remove takes no 'to'"
    );
    assert_eq!(
        parse("handover"),
        Err(ParseError::MissingProject {
            sub: "handover".into()
        })
    );
    for (text, got) in [
        ("handover 4", ""),
        ("handover 4 sam", "sam"),
        ("handover 4 <@U0SAM> to sam", "<@U0SAM> to sam"),
    ] {
        assert_eq!(
            parse(text),
            Err(ParseError::MissingPerson {
                sub: "handover".into(),
                got: got.into()
            }),
            "{text}"
        );
    }
}

#[test]
fn lead_council_takes_a_project_and_a_council_name() {
    let council = CouncilName::parse("Waverley Borough Council").unwrap();
    assert_eq!(
        parse("lead-council 4 Waverley Borough Council"),
        Ok(Command::LeadCouncil {
            project: n(4),
            council
        })
    );
    assert_eq!(
        parse("lead-council"),
        Err(ParseError::MissingProject {
            sub: "lead-council".into()
        })
    );
    assert_eq!(parse("lead-council 4"), Err(ParseError::MissingLeadCouncil));
    // Words that name no council are said with this command's example, not `council`'s.
    assert_eq!(
        parse("lead-council 4 <b>x</b>"),
        Err(ParseError::NotACouncilName {
            sub: "lead-council".into()
        })
    );
    assert!(matches!(
        parse("lead-council waverley"),
        Err(ParseError::BadProjectRef { .. })
    ));
}

/// `report [<period>] [for <council>]`: the period before the first `for`, the council
/// after it, unless that is a period too.
#[test]
fn a_report_names_its_period_and_perhaps_a_council() {
    use crate::domain::{CouncilName, ReportSpan};
    let report = |span, council| Ok(Command::Report { span, council });
    let waverley = || Some(ReportFor::Named(CouncilName::parse("Waverley").unwrap()));
    assert_eq!(parse("report"), report(ReportSpan::ThisQuarter, None));
    assert_eq!(
        parse("report last quarter"),
        report(ReportSpan::LastQuarter, None)
    );
    assert_eq!(
        parse("report for last quarter"),
        report(ReportSpan::LastQuarter, None)
    );
    assert_eq!(
        parse("REPORT for Waverley"),
        report(ReportSpan::ThisQuarter, waverley())
    );
    assert_eq!(
        parse("report q2 for Waverley"),
        report(ReportSpan::Quarter { q: 2, year: None }, waverley())
    );
    assert_eq!(
        parse("report last quarter for my council"),
        report(ReportSpan::LastQuarter, Some(ReportFor::Mine))
    );
    assert_eq!(
        parse("report for us"),
        report(ReportSpan::ThisQuarter, Some(ReportFor::Mine))
    );
    assert!(parse("report for Waverley").unwrap().is_read_only());
    // Said the other way round, and with a full stop.
    assert_eq!(
        parse("report for last quarter for Waverley"),
        report(ReportSpan::LastQuarter, waverley())
    );
    assert_eq!(
        parse("report for Waverley last quarter"),
        report(ReportSpan::LastQuarter, waverley())
    );
    // Its own `for` before the period (it was the council "Waverley for").
    assert_eq!(
        parse("report for Waverley for last quarter"),
        report(ReportSpan::LastQuarter, waverley())
    );
    assert_eq!(
        parse("report for Department for Education for Q2"),
        report(
            ReportSpan::Quarter { q: 2, year: None },
            Some(ReportFor::Named(
                CouncilName::parse("Department for Education").unwrap()
            ))
        )
    );
    assert_eq!(
        parse("report for my council."),
        report(ReportSpan::ThisQuarter, Some(ReportFor::Mine))
    );
    // A council's own "for" stays in its name; a month alone is a month.
    assert_eq!(
        parse("report Q2 for Department for Education"),
        report(
            ReportSpan::Quarter { q: 2, year: None },
            Some(ReportFor::Named(
                CouncilName::parse("Department for Education").unwrap()
            ))
        )
    );
    assert_eq!(
        parse("report for Department for Education"),
        report(
            ReportSpan::ThisQuarter,
            Some(ReportFor::Named(
                CouncilName::parse("Department for Education").unwrap()
            ))
        )
    );
    assert_eq!(
        parse("report for March"),
        report(
            ReportSpan::Month {
                month: 3,
                year: None
            },
            None
        )
    );
    // Words that are neither a period nor, after `for`, a council.
    assert_eq!(
        parse("report next quarter for Waverley"),
        Err(ParseError::BadReportSpan {
            got: "next quarter".into()
        })
    );
    assert_eq!(parse("report for"), Ok(help_about("report")));
}
