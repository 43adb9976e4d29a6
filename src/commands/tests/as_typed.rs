//! Commands as people type them in a sentence: punctuation after the command's word or the
//! number, "to" before a phase, `list` as people say its filters, a zero-width space pasted
//! in, days and times as people write them, a mention ending a sentence, the help's
//! placeholders copied.

use super::*;
use crate::commands::DigestCommand;
use crate::domain::{Phase, Skill, WeeklyTime};
use chrono::Weekday;

#[test]
fn punctuation_after_the_command_word_is_the_sentence_not_the_word() {
    assert_eq!(
        parse("list."),
        Ok(Command::List(ListFilter::Open, Page::FIRST))
    );
    assert_eq!(parse("councils?"), Ok(Command::Councils(Page::FIRST)));
    assert_eq!(parse("help?"), Ok(HELP));
    assert_eq!(parse("Digest."), parse("digest"));
    assert_eq!(
        parse("pitch: Bin day finder | One lookup"),
        Ok(pitch("Bin day finder", "One lookup"))
    );
    assert_eq!(parse("show #4?"), Ok(Command::Show(n(4))));
    assert_eq!(parse("join 4!"), Ok(Command::Join(n(4))));
    // A question after a word that changes something wonders: its help, nothing done.
    assert_eq!(
        parse("withdraw? 4"),
        Ok(Command::Help {
            unknown: Some("withdraw?".into()),
            about: Some("withdraw"),
        })
    );
    assert!(matches!(
        parse("join 4?"),
        Err(ParseError::BadProjectRef { .. })
    ));
}

#[test]
fn a_zero_width_space_pasted_in_is_not_part_of_a_word() {
    assert_eq!(parse("join\u{200B} 4"), Ok(Command::Join(n(4))));
    assert_eq!(parse("show 4\u{200B}"), Ok(Command::Show(n(4))));
    assert_eq!(
        parse("\u{FEFF}list mine"),
        Ok(Command::List(ListFilter::Mine, Page::FIRST))
    );
}

#[test]
fn to_before_a_phase_is_how_a_move_is_said() {
    let beta = Ok(Command::Phase {
        project: n(4),
        phase: Phase::Beta,
        note: None,
    });
    assert_eq!(parse("phase 4 to beta"), beta);
    assert_eq!(parse("phase 4 into private beta"), beta);
    assert_eq!(parse("phase to beta 4"), beta);
    // A word that is no phase after it is still no phase.
    assert!(matches!(
        parse("phase 4 to be confirmed"),
        Err(ParseError::UnknownPhase { .. })
    ));
    assert_eq!(parse("move"), Ok(help_about_slip("move", "phase")));
}

fn help_about_slip(word: &str, sub: &'static str) -> Command {
    Command::Help {
        unknown: Some(word.into()),
        about: Some(sub),
    }
}

/// A question ("how do I pitch") gets the whole help, as "what is this" does: "how" was
/// taken for a slip of `show`, and only `show`'s line shown. A word for making someone the
/// lead is `handover`'s (`leader` was taken for `leave`, which takes the asker off the team).
#[test]
fn a_question_gets_the_whole_help_and_a_lead_word_gets_handover() {
    assert_eq!(
        parse("how do I pitch"),
        Ok(Command::Help {
            unknown: Some("how".into()),
            about: None
        })
    );
    for word in [
        "How", "how?", "what", "whats", "what's", "who", "why", "where", "when", "which", "can",
    ] {
        assert_eq!(
            parse(&format!("{word} do I join")),
            Ok(Command::Help {
                unknown: Some(word.into()),
                about: None
            }),
            "{word}"
        );
    }
    assert_eq!(parse("help how"), Ok(HELP));
    assert_eq!(
        parse("leader 4 <@U0SAM>"),
        Ok(help_about_slip("leader", "handover"))
    );
    assert_eq!(parse("leads 4"), Ok(help_about_slip("leads", "handover")));
    // `lead`, the start of `lead-council` alone, stays that.
    assert_eq!(parse("lead 4"), Ok(help_about_slip("lead", "lead-council")));
}

#[test]
fn list_reads_its_filters_as_people_say_them() {
    for (text, filter) in [
        ("list all", ListFilter::Open),
        ("list open projects", ListFilter::Open),
        ("list my projects", ListFilter::Mine),
        ("list my", ListFilter::Mine),
        ("list quiet projects", ListFilter::Quiet),
        ("list private beta", ListFilter::Phase(Phase::Beta)),
        ("list Public Beta.", ListFilter::Phase(Phase::Beta)),
        ("list retirement", ListFilter::Phase(Phase::Retired)),
    ] {
        assert_eq!(
            parse(text),
            Ok(Command::List(filter, Page::FIRST)),
            "{text}"
        );
    }
    assert_eq!(parse("list councils"), Ok(Command::Councils(Page::FIRST)));
    assert!(matches!(
        parse("list beta projects please"),
        Err(ParseError::UnknownListFilter { .. })
    ));
}

#[test]
fn a_mention_ending_a_sentence_still_names_the_person() {
    let sam = UserId::parse("U0SAM").unwrap();
    assert_eq!(
        parse("remove 4 <@U0SAM|sam>."),
        Ok(Command::Remove {
            project: n(4),
            user: sam.clone()
        })
    );
    assert_eq!(
        parse("handover 4 to <@U0SAM>!"),
        Ok(Command::Handover {
            project: n(4),
            user: sam
        })
    );
    assert!(matches!(
        parse("handover 4 <@U0SAM> please"),
        Err(ParseError::MissingPerson { .. })
    ));
}

#[test]
fn digest_days_and_times_as_people_write_them() {
    let at = |day, h: u16, m: u16| {
        Ok(Command::Digest(DigestCommand::Subscribe(Some(
            WeeklyTime::new(day, h * 60 + m).unwrap(),
        ))))
    };
    for (text, day, h, m) in [
        ("digest weds 09:00", Weekday::Wed, 9, 0),
        ("digest fridays 16:30", Weekday::Fri, 16, 30),
        ("digest friday at 4pm", Weekday::Fri, 16, 0),
        ("digest Friday at 4:30 PM", Weekday::Fri, 16, 30),
        ("digest 16:30 on Friday", Weekday::Fri, 16, 30),
        ("digest every monday at 9.30am", Weekday::Mon, 9, 30),
        ("digest thurs 12pm", Weekday::Thu, 12, 0),
        ("digest sun 12am", Weekday::Sun, 0, 0),
        ("digest tues 08:15.", Weekday::Tue, 8, 15),
    ] {
        assert_eq!(parse(text), at(day, h, m), "{text}");
    }
    assert_eq!(
        parse("digest off."),
        Ok(Command::Digest(DigestCommand::Off))
    );
    for bad in [
        "digest friday 16",
        "digest friday 13pm",
        "digest friday 0am",
        "digest friday monday",
        "digest 9:00 10:00",
        "digest pm friday",
        "digest friday 4:3pm",
        "digest friday +4pm",
    ] {
        assert!(
            matches!(parse(bad), Err(ParseError::BadDigestTime { .. })),
            "{bad}: {:?}",
            parse(bad)
        );
    }
}

#[test]
fn roles_people_call_themselves_are_skills() {
    for (text, skill) in [
        ("skills a developer", Skill::Developer),
        ("skills front end developer", Skill::Developer),
        ("skills technical architect", Skill::Developer),
        ("skills scrum master", Skill::DeliveryManager),
        ("skills performance analyst", Skill::Data),
        ("skills business analyst", Skill::Other),
        ("skills testers", Skill::Other),
    ] {
        assert_eq!(
            parse(text),
            Ok(Command::Skills(Some(vec![skill]))),
            "{text}"
        );
    }
}

#[test]
fn the_help_s_placeholders_copied_are_not_taken_as_meant() {
    assert_eq!(
        parse("pitch <title> | <description>"),
        Err(ParseError::PlaceholderTitle)
    );
    assert_eq!(parse("pitch <Title>"), Err(ParseError::PlaceholderTitle));
    // A title that holds such a word is a title.
    assert_eq!(
        parse("pitch A <title> for every page"),
        Ok(pitch("A <title> for every page", ""))
    );
}
