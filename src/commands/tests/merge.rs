//! `merge <id> into <id>`.

use super::*;

fn merge(project: u32, into: u32) -> Command {
    Command::Merge {
        project: n(project),
        into: n(into),
    }
}

#[test]
fn merge_reads_as_people_say_it() {
    for text in [
        "merge 7 into 4",
        "merge 7 4",
        "merge #7 into #4",
        "MERGE 7 INTO 4",
        "merge 7 with 4",
        "merge 7 to 4",
        "merge project 7 into project 4",
        "merge 7 into 4.",
        "merge 7, 4",
        "merge  7   into   4 ",
    ] {
        assert_eq!(parse(text), Ok(merge(7, 4)), "{text}");
    }
}

#[test]
fn merge_without_a_second_project_asks_which() {
    for text in ["merge 7", "merge 7 into", "merge 7 with "] {
        assert_eq!(
            parse(text),
            Err(ParseError::MissingMergeTarget(n(7))),
            "{text}"
        );
    }
    assert_eq!(
        parse("merge"),
        Err(ParseError::MissingProject {
            sub: "merge".into()
        })
    );
}

#[test]
fn merge_names_back_what_is_not_a_project() {
    assert_eq!(
        parse("merge 7 into bins"),
        Err(ParseError::BadProjectRef {
            sub: "merge".into(),
            got: "bins".into()
        })
    );
    assert_eq!(
        parse("merge bins into 4"),
        Err(ParseError::BadProjectRef {
            sub: "merge".into(),
            got: "bins".into()
        })
    );
    assert_eq!(
        parse("merge 7 into 4 please"),
        Err(ParseError::UnexpectedWords {
            sub: "merge".into(),
            got: "4 please".into()
        })
    );
}

#[test]
fn words_for_merging_get_its_help() {
    for word in ["combine", "duplicate"] {
        assert_eq!(
            parse(&format!("{word} 7 4")),
            Ok(Command::Help {
                unknown: Some(word.into()),
                about: Some("merge"),
            }),
            "{word}"
        );
    }
    assert_eq!(parse("help merge"), Ok(help_about("merge")));
}

/// In project 12's thread: `merge into 4` merges 12; a sentence about merging is news;
/// `merge 4` alone is asked about, since which of the two carries on is not the bot's guess:
/// which way, naming 12; `merge` alone, what 12 carries on as.
#[test]
fn in_a_thread_merge_into_names_the_threads_project() {
    let read = |text| parse_in_thread(text, Some("U0BOT"), n(12));
    for text in [
        "<@U0BOT> merge into 4",
        "merge with #4",
        "merge to 4.",
        "merge 12 into 4",
    ] {
        assert_eq!(read(text), InThread::Command(merge(12, 4)), "{text}");
    }
    assert_eq!(read("merge 7 into 4"), InThread::Command(merge(7, 4)));
    for text in [
        "merge with the Surrey work is done",
        "merge into one service next month",
        "merged into Surrey's",
    ] {
        assert_eq!(read(text), InThread::Update(text), "{text}");
    }
    assert_eq!(
        read("merge 4"),
        InThread::Mistake(ParseError::MergeWhichWay {
            number: n(4),
            thread: n(12)
        })
    );
    for text in ["merge", "merge 12", "merge into"] {
        assert!(
            matches!(
                read(text),
                InThread::Mistake(ParseError::MissingMergeTarget(_))
            ),
            "{text}: {:?}",
            read(text)
        );
    }
}
