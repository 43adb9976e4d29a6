//! `update`, `correct` and `phase`.

use super::n;
use crate::commands::*;
use crate::domain::{Description, Phase, UpdateText, UserError};

#[test]
fn update_takes_a_project_and_text() {
    assert_eq!(
        parse("update 4 Prototype is up: <https://example.org|demo>"),
        Ok(Command::Update {
            project: n(4),
            text: UpdateText::parse("Prototype is up: <https://example.org|demo>").unwrap()
        })
    );
    assert_eq!(
        parse("UPDATE #4   two\nlines "),
        Ok(Command::Update {
            project: n(4),
            text: UpdateText::parse("two\nlines").unwrap()
        })
    );
}

#[test]
fn update_errors_are_specific() {
    assert_eq!(
        parse("update"),
        Err(ParseError::MissingProject {
            sub: "update".into()
        })
    );
    assert_eq!(
        parse("update soon text"),
        Err(ParseError::BadProjectRef {
            sub: "update".into(),
            got: "soon".into()
        })
    );
    assert_eq!(
        parse("update 4"),
        Err(ParseError::Invalid(UserError::EmptyUpdate))
    );
    assert!(matches!(
        parse(&format!(
            "update 4 {}",
            "u".repeat(UpdateText::MAX_CHARS + 1)
        )),
        Err(ParseError::Invalid(UserError::UpdateTooLong { .. }))
    ));
}

#[test]
fn phase_takes_a_project_a_phase_and_an_optional_note() {
    assert_eq!(
        parse("phase 3 beta"),
        Ok(Command::Phase {
            project: n(3),
            phase: Phase::Beta,
            note: None
        })
    );
    assert_eq!(
        parse("phase #3 Live | passed the beta assessment"),
        Ok(Command::Phase {
            project: n(3),
            phase: Phase::Live,
            note: Some(UpdateText::parse("passed the beta assessment").unwrap())
        })
    );
    assert_eq!(
        parse("phase 3 retired |  "),
        Ok(Command::Phase {
            project: n(3),
            phase: Phase::Retired,
            note: None
        })
    );
}

#[test]
fn a_phase_note_is_split_off_only_at_a_bar_outside_slack_tokens() {
    assert_eq!(
        parse("phase 3 beta | report: <https://x.example/r|assessment>, thanks <@U0BOB|bob>"),
        Ok(Command::Phase {
            project: n(3),
            phase: Phase::Beta,
            note: Some(
                UpdateText::parse("report: <https://x.example/r|assessment>, thanks <@U0BOB|bob>")
                    .unwrap()
            )
        })
    );
    assert_eq!(
        parse("phase 3 <https://x.example|beta>"),
        Err(ParseError::UnknownPhase {
            got: "<https://x.example|beta>".into()
        }),
        "the bar inside the link is not the note's bar"
    );
}

/// What people say for a phase: GOV.UK's "private beta" and "public beta" are beta,
/// "retirement" is retired; and a note typed without its `|` is answered with the command as
/// it should be, the phase being right.
#[test]
fn a_phase_is_read_as_people_say_it_and_a_note_needs_its_bar() {
    for (typed, phase) in [
        ("phase 3 private beta", Phase::Beta),
        ("phase 3 Public Beta", Phase::Beta),
        ("phase 3 retirement", Phase::Retired),
    ] {
        assert_eq!(
            parse(typed),
            Ok(Command::Phase {
                project: n(3),
                phase,
                note: None
            }),
            "{typed}"
        );
    }
    assert_eq!(
        parse("phase 3 public beta | passed the assessment"),
        Ok(Command::Phase {
            project: n(3),
            phase: Phase::Beta,
            note: Some(UpdateText::parse("passed the assessment").unwrap())
        })
    );
    assert_eq!(
        parse("phase 3 beta passed the assessment"),
        Err(ParseError::PhaseNoteWithoutBar {
            project: n(3),
            phase: Phase::Beta,
            note: "passed the assessment".into()
        })
    );
    assert_eq!(
        parse("phase 3 private beta from Monday"),
        Err(ParseError::PhaseNoteWithoutBar {
            project: n(3),
            phase: Phase::Beta,
            note: "from Monday".into()
        })
    );
    // Not a phase first: the phase word is what is wrong.
    assert_eq!(
        parse("phase 3 beta-ish"),
        Err(ParseError::UnknownPhase {
            got: "beta-ish".into()
        })
    );
    assert_eq!(
        parse("phase 3 private alpha"),
        Err(ParseError::UnknownPhase {
            got: "private alpha".into()
        })
    );
    // With a bar, words between the phase and it are still not a phase.
    assert_eq!(
        parse("phase 3 beta now | passed"),
        Err(ParseError::UnknownPhase {
            got: "beta now".into()
        })
    );
}

/// `update 4 | Prototype is up`, a habit from `pitch`, `phase` and `reuse`: the bar before
/// the words is not part of them.
#[test]
fn a_bar_before_an_updates_words_is_dropped() {
    for sub in ["update", "correct"] {
        let read = parse(&format!("{sub} 4 | Prototype is up | more"));
        let text = match read {
            Ok(Command::Update { text, .. } | Command::Correct { text, .. }) => text,
            other => panic!("{sub}: {other:?}"),
        };
        assert_eq!(
            text,
            UpdateText::parse("Prototype is up | more").unwrap(),
            "{sub}"
        );
    }
    assert_eq!(
        parse("update 4 |"),
        Err(ParseError::Invalid(UserError::EmptyUpdate))
    );
}

/// The number stuck to its bar (`update 4|Prototype is up`) is the project, as with spaces
/// around the bar: it was refused as "`4|Prototype` is not a project number".
#[test]
fn a_number_stuck_to_its_bar_is_the_project() {
    assert_eq!(
        parse("update 4|Prototype is up"),
        Ok(Command::Update {
            project: n(4),
            text: UpdateText::parse("Prototype is up").unwrap()
        })
    );
    assert_eq!(
        parse("correct #4|Prototype is live"),
        Ok(Command::Correct {
            project: n(4),
            text: UpdateText::parse("Prototype is live").unwrap()
        })
    );
    assert_eq!(
        parse("edit 4|Which day"),
        Ok(Command::Edit {
            project: n(4),
            title: None,
            description: Some(Description::parse("Which day").unwrap()),
        })
    );
    // Only a number before the bar is one.
    assert!(matches!(
        parse("update four|Prototype is up"),
        Err(ParseError::BadProjectRef { .. })
    ));
}

#[test]
fn update_text_keeps_bars_and_tokens_as_typed() {
    assert_eq!(
        parse("update 4 a | b <https://x.example|c> <@U0BOB|bob>"),
        Ok(Command::Update {
            project: n(4),
            text: UpdateText::parse("a | b <https://x.example|c> <@U0BOB|bob>").unwrap()
        })
    );
}

/// The phase said first and the number after it (`phase beta 4`, "beta for #4") is read, as
/// it was meant: it was answered "`beta` is not a project number".
#[test]
fn a_phase_said_before_the_number_is_read() {
    for typed in [
        "phase beta 4",
        "phase Beta #4",
        "phase private beta 4",
        "phase live project 4",
    ] {
        assert!(
            matches!(
                parse(typed),
                Ok(Command::Phase { project, note: None, .. }) if project == n(4)
            ),
            "{typed}: {:?}",
            parse(typed)
        );
    }
    assert!(matches!(
        parse("phase retired 4 | merged into #5"),
        Ok(Command::Phase {
            phase: Phase::Retired,
            note: Some(_),
            ..
        })
    ));
    // Words after the number are a note without its bar, as after `phase 4 beta` (it was
    // "`beta` is not a project number").
    assert_eq!(
        parse("phase beta 4 passed the assessment"),
        Err(ParseError::PhaseNoteWithoutBar {
            project: n(4),
            phase: Phase::Beta,
            note: "passed the assessment".into()
        })
    );
    assert_eq!(
        parse("phase public beta #4 from Monday"),
        Err(ParseError::PhaseNoteWithoutBar {
            project: n(4),
            phase: Phase::Beta,
            note: "from Monday".into()
        })
    );
    // Not a phase, then a number: still a bad project reference.
    assert!(matches!(
        parse("phase gamma 4"),
        Err(ParseError::BadProjectRef { .. })
    ));
    assert!(matches!(
        parse("phase gamma 4 passed"),
        Err(ParseError::BadProjectRef { .. })
    ));
}

#[test]
fn phase_errors_are_specific() {
    assert_eq!(
        parse("phase"),
        Err(ParseError::MissingProject {
            sub: "phase".into()
        })
    );
    assert_eq!(parse("phase 3"), Err(ParseError::MissingPhase));
    assert_eq!(parse("phase 3 | note"), Err(ParseError::MissingPhase));
    assert_eq!(
        parse("phase 3 gamma"),
        Err(ParseError::UnknownPhase {
            got: "gamma".into()
        })
    );
    assert_eq!(
        parse("phase x beta"),
        Err(ParseError::BadProjectRef {
            sub: "phase".into(),
            got: "x".into()
        })
    );
}

#[test]
fn edit_takes_a_project_a_title_and_perhaps_a_description() {
    use crate::domain::Title;
    let edit = |title: &str, description: Option<&str>| Command::Edit {
        project: n(3),
        title: Some(Title::parse(title).unwrap()),
        description: description.map(|d| Description::parse(d).unwrap()),
    };
    assert_eq!(
        parse("edit 3 Bin day finder"),
        Ok(edit("Bin day finder", None)),
        "no bar: the description stays"
    );
    assert_eq!(
        parse("EDIT #3 Bin day finder | One lookup for <https://x.org|all>"),
        Ok(edit(
            "Bin day finder",
            Some("One lookup for <https://x.org|all>")
        ))
    );
    assert_eq!(
        parse("edit 3 Bin day finder |"),
        Ok(edit("Bin day finder", Some(""))),
        "an empty description after the bar clears it"
    );
    assert_eq!(
        parse("edit 3 Ask <@U0BOB|bob> | why"),
        Ok(edit("Ask <@U0BOB|bob>", Some("why"))),
        "a bar inside a token does not split"
    );
    assert_eq!(parse("edit 3"), Err(ParseError::MissingNewTitle(n(3))));
    assert_eq!(
        parse("edit 3 | only a description"),
        Ok(Command::Edit {
            project: n(3),
            title: None,
            description: Some(Description::parse("only a description").unwrap()),
        }),
        "the description alone: the title stays"
    );
    assert_eq!(
        parse("edit 3 |"),
        Err(ParseError::MissingNewTitle(n(3))),
        "nothing to change to"
    );
    assert_eq!(
        parse("edit"),
        Err(ParseError::MissingProject { sub: "edit".into() })
    );
    assert_eq!(
        parse("edit three Title"),
        Err(ParseError::BadProjectRef {
            sub: "edit".into(),
            got: "three".into()
        })
    );
    assert_eq!(
        parse("edit 3 \u{200b}\u{feff}"),
        Err(ParseError::Invalid(UserError::NothingVisible)),
        "invisible characters are no title (as for a pitch)"
    );
    // Not the pitch's advice to put the rest after a `|`, which here replaces the
    // description.
    assert!(matches!(
        parse(&format!("edit 3 {}", "x".repeat(121))),
        Err(ParseError::EditedTitleTooLong { max: 120, got: 121 })
    ));
    // Nor, past what is kept as Slack sends it, the advice to put links after a `|`.
    let links = (0..20)
        .map(|i| format!("<https://x.example/{}|a>", "p".repeat(20 + i)))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(matches!(
        parse(&format!("edit 3 {links}")),
        Err(ParseError::EditedTitleMarkupTooLong { max: 480, .. })
    ));
    // Nor the pitch's example, which would pitch a new project.
    assert_eq!(
        parse("edit 3 Bins with <@U0SAM>"),
        Err(ParseError::EditedTitleNamesSomeone(n(3)))
    );
    // A correction replaces the update: it cannot be posted in two.
    assert_eq!(
        parse(&format!("correct 3 {}", "x".repeat(2001))),
        Err(ParseError::CorrectionTooLong {
            max: 2000,
            got: 2001
        })
    );
    assert!(!parse("edit 3 Title").unwrap().is_read_only());
}

#[test]
fn correct_takes_a_project_and_the_new_words() {
    assert_eq!(
        parse("correct #4 Prototype is up (Tuesday, not Monday)"),
        Ok(Command::Correct {
            project: n(4),
            text: UpdateText::parse("Prototype is up (Tuesday, not Monday)").unwrap()
        })
    );
    assert_eq!(
        parse("correct"),
        Err(ParseError::MissingProject {
            sub: "correct".into()
        })
    );
    assert_eq!(
        parse("correct my update"),
        Err(ParseError::BadProjectRef {
            sub: "correct".into(),
            got: "my".into()
        })
    );
    // Said as a correction's words missing, not an update's (`update 4 …` would add one).
    assert_eq!(
        parse("correct 4  "),
        Err(ParseError::MissingCorrection(n(4)))
    );
}

#[test]
fn withdraw_takes_a_project_and_nothing_more() {
    assert_eq!(parse("withdraw #4"), Ok(Command::Withdraw(n(4))));
    assert_eq!(parse("WITHDRAW 4"), Ok(Command::Withdraw(n(4))));
    assert_eq!(
        parse("withdraw"),
        Err(ParseError::MissingProject {
            sub: "withdraw".into()
        })
    );
    assert_eq!(
        parse("withdraw my update"),
        Err(ParseError::BadProjectRef {
            sub: "withdraw".into(),
            got: "my".into()
        })
    );
    // Words after the number are not taken as the update to withdraw: only the latest can be.
    assert_eq!(
        parse("withdraw 4 Prototype is up"),
        Err(ParseError::UnexpectedWords {
            sub: "withdraw".into(),
            got: "4 Prototype is up".into()
        })
    );
}

/// A phase or a list's filter typed at the end of a sentence is that word: `live.` is live.
#[test]
fn a_phase_or_filter_word_ending_its_sentence_is_read() {
    assert_eq!(parse("phase 4 live."), parse("phase 4 live"));
    assert_eq!(parse("phase 4 public beta!"), parse("phase 4 beta"));
    assert!(matches!(
        parse("phase 4 beta, passed the assessment"),
        Err(ParseError::PhaseNoteWithoutBar { .. })
    ));
    assert_eq!(parse("list mine."), parse("list mine"));
    assert_eq!(parse("list beta!"), parse("list beta"));
    assert!(parse("phase 4 live?").is_err(), "a question moves nothing");
}
