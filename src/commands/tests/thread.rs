//! A mention inside a pitch's thread: a command, or an update on the thread's project.

use super::n;
use crate::commands::*;
use crate::domain::{CouncilName, Phase, UserId};

fn read(text: &str) -> InThread<'_> {
    parse_in_thread(text, Some("U0BOT"), n(12))
}

#[test]
fn well_formed_commands_are_commands() {
    assert_eq!(
        read("<@U0BOT> show 3"),
        InThread::Command(Command::Show(n(3)))
    );
    assert_eq!(read("join 12"), InThread::Command(Command::Join(n(12))));
    assert_eq!(read("list"), InThread::Command(parse("list").unwrap()));
    assert_eq!(read("forget me"), InThread::Command(Command::ForgetMe));
    assert_eq!(read("help"), InThread::Command(parse("help").unwrap()));
    assert_eq!(
        read("help join"),
        InThread::Command(parse("help join").unwrap())
    );
    assert_eq!(read("forget"), InThread::Command(parse("forget").unwrap()));
    assert_eq!(read("privacy"), InThread::Command(Command::Privacy));
    assert_eq!(read(""), InThread::Command(parse("").unwrap()));
}

/// A slip of a command's word alone is asked about, not posted as news; a longer form of a
/// command's word, or a slip with more words after it, is news.
#[test]
fn a_slip_alone_is_asked_about_and_a_word_of_news_is_not() {
    for (typed, word, sub) in [
        ("<@U0BOT> joni", "joni", "join"),
        ("jion", "jion", "join"),
        ("laeve", "laeve", "leave"),
        ("shwo", "shwo", "show"),
        ("pub", "pub", "publish"),
    ] {
        assert_eq!(
            read(typed),
            InThread::Mistake(ParseError::SlipInThread {
                word: word.into(),
                sub: sub.into(),
                project: Some(n(12)),
            }),
            "{typed}"
        );
    }
    for news in [
        "Published!",
        "joined",
        "Updated",
        "Shipped",
        "Live",
        "Done",
        "joni is here",
    ] {
        assert!(
            matches!(read(news), InThread::Update(_)),
            "{news}: {:?}",
            read(news)
        );
    }
}

/// A question word alone is answered with the whole help, privately, not posted as the
/// team's news; a question with words after it may be news, and is.
#[test]
fn a_question_word_alone_gets_the_help_not_the_news() {
    for typed in ["<@U0BOT> how?", "who", "Whats", "what\u{2019}s"] {
        assert!(
            matches!(
                read(typed),
                InThread::Command(Command::Help {
                    unknown: Some(_),
                    about: None
                })
            ),
            "{typed}: {:?}",
            read(typed)
        );
    }
    assert!(matches!(
        read("how the pilot went: well"),
        InThread::Update(_)
    ));
}

/// In a thread, a phase then a number is this project's phase with words after it, as it
/// was before `phase beta 4` was read as the phase said first; naming this project, it is
/// that.
#[test]
fn a_phase_then_another_number_in_a_thread_is_this_projects() {
    assert!(matches!(
        read("phase alpha 2"),
        InThread::Mistake(ParseError::PhaseNoteWithoutBar { project, .. }) if project == n(12)
    ));
    assert_eq!(
        read("phase alpha 12"),
        InThread::Command(parse("phase 12 alpha").unwrap())
    );
}

#[test]
fn the_thread_supplies_a_missing_number() {
    assert_eq!(
        read("<@U0BOT> leave"),
        InThread::Command(Command::Leave(n(12)))
    );
    assert_eq!(read("Join"), InThread::Command(Command::Join(n(12))));
    assert_eq!(read("show"), InThread::Command(Command::Show(n(12))));
    assert_eq!(
        read("withdraw"),
        InThread::Command(Command::Withdraw(n(12)))
    );
    assert_eq!(
        read("phase beta"),
        InThread::Command(parse("phase 12 beta").unwrap())
    );
    assert!(matches!(
        read("phase beta"),
        InThread::Command(Command::Phase {
            phase: Phase::Beta,
            ..
        })
    ));
    assert_eq!(
        read("remove <@U0BOB>"),
        InThread::Command(Command::Remove {
            project: n(12),
            user: UserId::parse("U0BOB").unwrap()
        })
    );
    assert_eq!(
        read("reuse | for our bins"),
        InThread::Command(parse("reuse 12 | for our bins").unwrap())
    );
}

/// A number with punctuation after it, in a thread, is a heading in someone's news ("Update
/// 2: research done"), not another project named (as by command it would be); `councils`
/// with words after it is news too; `re-use`, as the bot spells it, is `reuse`.
#[test]
fn numbered_headings_and_councils_sentences_are_news_in_a_thread() {
    assert_eq!(
        read("update 2: research done"),
        InThread::Update("2: research done")
    );
    assert_eq!(
        read("Phase 2: alpha testing with residents"),
        InThread::Update("Phase 2: alpha testing with residents")
    );
    assert_eq!(
        read("councils across Surrey want this too"),
        InThread::Update("councils across Surrey want this too")
    );
    assert_eq!(
        read("councils"),
        InThread::Command(Command::Councils(Page::FIRST))
    );
    assert_eq!(
        read("re-use | for our bins"),
        InThread::Command(parse("reuse 12 | for our bins").unwrap())
    );
    assert_eq!(read("show 2"), InThread::Command(Command::Show(n(2))));
    // A command's word as a heading in someone's news (a command elsewhere: `pitch: …`).
    for news in [
        "Councils: Surrey and Kent joined",
        "Update: research done",
        "Pitch: we showed it to the cabinet",
        "List: 1. forms 2. payments",
    ] {
        assert_eq!(read(news), InThread::Update(news), "{news}");
    }
    // A zero-width space pasted in with the word, and `!` after a number, as elsewhere.
    assert_eq!(
        read("\u{200B}leave"),
        InThread::Command(Command::Leave(n(12)))
    );
    assert_eq!(
        read("phase\u{200B} beta"),
        InThread::Command(Command::Phase {
            project: n(12),
            phase: Phase::Beta,
            note: None
        })
    );
    assert_eq!(read("join 4!"), InThread::Command(Command::Join(n(4))));
    // A number that ends its sentence heads nothing: said, not posted as news (it was).
    assert_eq!(read("leave 12."), InThread::Command(Command::Leave(n(12))));
    assert_eq!(read("join 4."), InThread::Command(Command::Join(n(4))));
    assert_eq!(read("show 3,"), InThread::Command(Command::Show(n(3))));
    assert_eq!(
        read("withdraw 12:"),
        InThread::Command(parse("withdraw 12").unwrap())
    );
    // "to" before a phase, in the thread too.
    assert_eq!(
        read("phase to beta"),
        InThread::Command(Command::Phase {
            project: n(12),
            phase: Phase::Beta,
            note: None
        })
    );
}

/// "phase beta from Monday" in the thread means to move the project: its mistake (the note's
/// missing `|`) is answered, not posted as an update.
#[test]
fn a_phase_with_a_note_but_no_bar_is_a_mistake_not_an_update() {
    for text in [
        "phase beta passed the assessment",
        "phase 12 beta passed the assessment",
        "phase #12 beta passed the assessment",
    ] {
        assert_eq!(
            read(text),
            InThread::Mistake(ParseError::PhaseNoteWithoutBar {
                project: n(12),
                phase: Phase::Beta,
                note: "passed the assessment".into()
            }),
            "{text}"
        );
    }
}

/// "reuse we use it for our bins": a re-use with its note's `|` left out if said from outside
/// the team, news if said in it (the reader knows which); with the number typed too.
#[test]
fn a_reuse_with_a_note_but_no_bar_is_an_update_or_a_mistake() {
    for text in [
        "reuse we use it for our bins",
        "reuse 12 we use it for our bins",
    ] {
        assert_eq!(
            read(text),
            InThread::UpdateOr {
                text,
                mistake: ParseError::NoteWithoutBar {
                    named: "12".into(),
                    note: "we use it for our bins".into()
                }
            },
            "{text}"
        );
    }
}

/// `update | Prototype is up` in the thread: the bar is not part of the update, as by command.
#[test]
fn a_bar_before_an_updates_words_is_dropped_in_the_thread_too() {
    assert_eq!(
        read("update | Prototype is up"),
        InThread::Update("Prototype is up")
    );
}

/// `update 4|Prototype is up` in #12's thread is news on #4, as with spaces round the bar:
/// it was posted whole as news on #12, for the channel to see.
#[test]
fn a_number_stuck_to_its_bar_in_a_thread_is_that_project() {
    for typed in [
        "<@U0BOT> update 4|Prototype is up",
        "update 4 | Prototype is up",
    ] {
        assert_eq!(
            read(typed),
            InThread::Command(parse("update 4 Prototype is up").unwrap()),
            "{typed}"
        );
    }
    assert_eq!(
        read("edit 4|Which day"),
        InThread::Command(parse("edit 4 | Which day").unwrap())
    );
}

#[test]
fn sentences_that_start_like_a_command_are_updates() {
    for text in [
        "pitch deck is uploaded",
        "join us Thursday at 10",
        "leave it with me",
        "show and tell on Friday",
        "phase two starts now",
        "search page now handles postcodes",
        "help wanted: a designer",
        "forget the old plan, we use the API now",
        "privacy notice agreed with the DPO",
        "edit the deck tonight",
        "correct me if I'm wrong, the beta is Monday",
        "frobnicate the widgets",
        "digest of the research is in the doc",
    ] {
        assert_eq!(read(text), InThread::Update(text), "{text}");
        let mentioned = format!("<@U0BOT> {text}");
        assert_eq!(read(&mentioned), InThread::Update(text), "{text}");
    }
}

/// `forget me` in a sentence (a full stop, a courtesy, a question) asks to be forgotten:
/// answered privately with what to type, as by command, and never the team's news; only the
/// exact words forget anyone, and a sentence about forgetting something else is news.
#[test]
fn forget_me_in_a_sentence_is_its_help_and_never_news() {
    for text in [
        "forget me.",
        "forget me please",
        "forget me now",
        "Forget me?",
        "FORGET ME!",
        "forget me, thanks",
        "forget me. I have left the council",
    ] {
        assert_eq!(
            read(text),
            InThread::Command(parse("forget").unwrap()),
            "{text}"
        );
        let mentioned = format!("<@U0BOT> {text}");
        assert_eq!(
            read(&mentioned),
            InThread::Command(parse("forget").unwrap()),
            "{text}"
        );
    }
    assert_eq!(read("forget ME"), InThread::Command(Command::ForgetMe));
    for text in [
        "forget the old plan, we use the API now",
        "forget meetings, we use the channel now",
        "forget mentions of the pilot",
    ] {
        assert_eq!(read(text), InThread::Update(text), "{text}");
    }
}

/// A request about its author alone in words its command does not take (to be forgotten,
/// a copy of their data, to leave, their skills or council) is that command's help,
/// privately, and never the team's news; sentences that only start so are news.
#[test]
fn personal_requests_in_other_words_are_their_help_and_never_news() {
    let help = |about| {
        InThread::Command(Command::Help {
            unknown: None,
            about: Some(about),
        })
    };
    for (text, about) in [
        ("forget about me", "forget"),
        ("forget everything about me", "forget"),
        ("forget my council", "forget"),
        ("forget my skills", "forget"),
        ("delete me", "forget"),
        ("delete my data", "forget"),
        ("export my data", "privacy"),
        ("leave please", "leave"),
        ("leave now", "leave"),
        ("leave 12 please", "leave"),
        ("leave the team please", "leave"),
        ("quit please", "leave"),
        ("unjoin please", "leave"),
        ("remove me", "leave"),
        ("remove me please", "leave"),
        ("remove me from the team", "leave"),
        ("skills developer, accessibility", "skills"),
        ("skills: developer, user research", "skills"),
        ("skills please", "skills"),
        ("skills none please", "skills"),
        ("council none", "council"),
        ("council N/A", "council"),
        ("council?", "council"),
    ] {
        assert_eq!(read(text), help(about), "{text}");
        let mentioned = format!("<@U0BOT> {text}");
        assert_eq!(read(&mentioned), help(about), "{text}");
    }
    // A council's name after `council:` is its help if the council is recorded (the reader
    // looks); `council Guildfrod` is the command, which offers a recorded one near it.
    assert_eq!(
        read("council: Guildford Borough Council"),
        InThread::IfCouncil {
            command: Command::Help {
                unknown: None,
                about: Some("council"),
            },
            name: CouncilName::parse("Guildford Borough Council").unwrap(),
            text: "council: Guildford Borough Council",
        }
    );
    assert!(matches!(
        read("council Guildfrod"),
        InThread::IfCouncil {
            command: Command::Council(Some(_)),
            ..
        }
    ));
    // The commands themselves are as they were.
    assert_eq!(read("leave 12"), InThread::Command(Command::Leave(n(12))));
    assert_eq!(read("forget me"), InThread::Command(Command::ForgetMe));
    assert!(matches!(
        read("skills developer"),
        InThread::Command(Command::Skills(Some(_)))
    ));
    for news in [
        "leave it with me",
        "leave the form open until Friday",
        "leave me alone with the spreadsheet",
        "quit the old supplier, we host it ourselves now",
        "remove the old banner from the page",
        "delete meeting notes are in the drive",
        "export my spreadsheet to the shared drive",
        "forget my earlier message, the demo is Friday",
        "skills workshop went well",
        "Skills: we found a designer",
        "wants developer, accessibility",
    ] {
        assert_eq!(read(news), InThread::Update(news), "{news}");
    }
    for news in ["council approved the beta", "Council: approved the beta"] {
        assert!(
            matches!(read(news), InThread::IfCouncil { text, .. } if text == news),
            "{news}"
        );
    }
}

#[test]
fn update_without_a_number_is_an_update_in_its_words() {
    assert_eq!(
        read("update prototype is up"),
        InThread::Update("prototype is up")
    );
    assert_eq!(read("update 12"), InThread::Unparsed);
    assert_eq!(read("update #3"), InThread::Unparsed);
}

/// A command's word alone is that command, with what it lacks said; never a one-word
/// update.
#[test]
fn a_command_word_alone_is_never_an_update() {
    for word in crate::commands::SUBCOMMANDS {
        assert!(
            !matches!(read(word), InThread::Update(_)),
            "{word}: {:?}",
            read(word)
        );
        let mentioned = format!("<@U0BOT> {}", word.to_uppercase());
        assert!(!matches!(read(&mentioned), InThread::Update(_)), "{word}");
    }
    assert_eq!(
        read("update"),
        InThread::Mistake(parse("update 12").unwrap_err())
    );
    assert_eq!(
        read("phase"),
        InThread::Mistake(parse("phase 12").unwrap_err())
    );
    assert_eq!(read("edit"), InThread::Mistake(parse("edit").unwrap_err()));
    assert_eq!(read("join"), InThread::Command(Command::Join(n(12))));
    for word in ["delete", "Cancel", "retire", "quit"] {
        assert!(
            matches!(read(word), InThread::Command(Command::Help { .. })),
            "{word}: {:?}",
            read(word)
        );
    }
    // An edit with its number is a command, its mistake said, never news.
    assert_eq!(
        read("edit 12 Pair with <@U0SAM>"),
        InThread::Mistake(parse("edit 12 Pair with <@U0SAM>").unwrap_err())
    );
    assert!(matches!(
        read("edit the plan: more bins"),
        InThread::Update(_)
    ));
    assert_eq!(
        read("edit 12"),
        InThread::Mistake(ParseError::MissingNewTitle(n(12)))
    );
}

#[test]
fn council_names_a_council_or_is_an_update() {
    assert_eq!(
        read("council cabinet approved the beta"),
        InThread::IfCouncil {
            command: Command::Council(Some(
                CouncilName::parse("cabinet approved the beta").unwrap()
            )),
            name: CouncilName::parse("cabinet approved the beta").unwrap(),
            text: "council cabinet approved the beta"
        }
    );
    assert_eq!(read("council"), InThread::Command(Command::Council(None)));
}

/// `report for <name>` in a thread, with no period said, is the report only if it names a
/// recorded council, as `council <name>` is: "report for the cabinet is drafted" is news
/// (it ran as a report of a council called "the cabinet is drafted", and the news was lost).
#[test]
fn a_report_for_a_name_is_news_unless_a_council_is_named() {
    for (text, named) in [
        (
            "report for the cabinet is drafted",
            "the cabinet is drafted",
        ),
        ("report for Waverley", "Waverley"),
    ] {
        let InThread::IfCouncil {
            command,
            name,
            text: as_news,
        } = read(text)
        else {
            panic!("{text}: {:?}", read(text));
        };
        assert_eq!(command, parse(text).unwrap(), "{text}");
        assert_eq!(name, CouncilName::parse(named).unwrap(), "{text}");
        assert_eq!(as_news, text);
    }
    // A period said with it is the report, a mistyped council answered as one.
    for text in ["report for my council", "report last quarter for Guildfrod"] {
        assert_eq!(
            read(text),
            InThread::Command(parse(text).unwrap()),
            "{text}"
        );
    }
}

/// News that ends in words for a period ("… thanks all", "… last month") is read as
/// `report for <name> <period>`: with no period typed before its `for`, it is the report
/// only if the rest names a recorded council, its period kept; a period typed before the
/// `for` is the report, asked for.
#[test]
fn news_ending_in_words_for_a_period_is_news_unless_a_council_is_named() {
    for (text, named) in [
        (
            "report for the board is done, thanks all",
            "the board is done, thanks",
        ),
        (
            "report for cabinet signed off last month",
            "cabinet signed off",
        ),
        ("Report FOR Guildford last quarter", "Guildford"),
    ] {
        let InThread::IfCouncil {
            command,
            name,
            text: as_news,
        } = read(text)
        else {
            panic!("{text}: {:?}", read(text));
        };
        assert_eq!(command, parse(text).unwrap(), "{text}");
        assert_eq!(name, CouncilName::parse(named).unwrap(), "{text}");
        assert_eq!(as_news, text);
    }
    for text in [
        "report last quarter for Guildfrod",
        "report Q2 for the board is done",
        "report for last quarter for Guildfrod",
        "report for Q2 for Waverly",
    ] {
        assert_eq!(
            read(text),
            InThread::Command(parse(text).unwrap()),
            "{text}"
        );
    }
}

#[test]
fn the_bots_mention_may_end_in_a_colon_or_comma() {
    assert_eq!(
        read("<@U0BOT>: leave"),
        InThread::Command(Command::Leave(n(12)))
    );
    assert_eq!(
        read("<@U0BOT|makers>, show 3"),
        InThread::Command(Command::Show(n(3)))
    );
}

#[test]
fn mentions_after_the_bots_are_part_of_the_update() {
    assert_eq!(
        read("<@U0BOT> <@U0SAM> ran the first research sessions"),
        InThread::Update("<@U0SAM> ran the first research sessions")
    );
    // Someone named before the bot is addressing, not news.
    assert_eq!(
        read("<@U0SAM> <@U0BOT> leave"),
        InThread::Command(Command::Leave(n(12)))
    );
}

/// A command's word alone may end its sentence: `@Makers leave.` leaves, rather than post
/// "leave." as the team's news; a phase with a full stop or comma after it is the phase.
#[test]
fn a_command_word_ending_its_sentence_is_still_the_command() {
    for typed in ["leave.", "<@U0BOT> Leave!"] {
        assert_eq!(
            read(typed),
            InThread::Command(Command::Leave(n(12))),
            "{typed}"
        );
    }
    assert_eq!(
        read("withdraw."),
        InThread::Command(Command::Withdraw(n(12)))
    );
    assert_eq!(read("help."), InThread::Command(parse("help").unwrap()));
    assert_eq!(
        read("phase live."),
        InThread::Command(parse("phase 12 live").unwrap())
    );
    assert!(matches!(
        read("phase 12 beta, from Monday"),
        InThread::Mistake(ParseError::PhaseNoteWithoutBar { .. })
    ));
    // A question is not done, never a withdrawal or a phase moved; nor is it news: it is
    // answered privately, as by command (see `a_question_about_a_command_is_answered_not_news`).
    assert!(!matches!(
        read("withdraw?"),
        InThread::Update(_) | InThread::Command(Command::Withdraw(_))
    ));
    assert!(!matches!(read("phase live?"), InThread::Command(_)));
    // A word that is no command's stays news, punctuation and all.
    assert_eq!(read("Done."), InThread::Update("Done."));
    assert_eq!(
        read("leave it with us."),
        InThread::Update("leave it with us.")
    );
}

/// In a thread, "join in-person" and "show co-design" are the team's news; a catalogue
/// page's link pasted after `show` names that service, as anywhere.
#[test]
fn a_hyphenated_word_after_show_or_join_is_news_and_a_pasted_page_a_service() {
    for typed in [
        "<@U0BOT> join in-person sessions start Monday",
        "<@U0BOT> show co-design",
    ] {
        let body = typed.trim_start_matches("<@U0BOT> ");
        assert_eq!(read(typed), InThread::Update(body), "{typed}");
    }
    let pasted = "<@U0BOT> show <https://makers.example.gov.uk/catalogue/bin-day-finder>";
    assert!(
        matches!(read(pasted), InThread::Command(Command::Listed { .. })),
        "{pasted}"
    );
}

/// A catalogue page's link ending a sentence in a thread (`@Makers join <link>.`) names
/// the service, as without the full stop; it was the team's news.
#[test]
fn a_pasted_page_ending_a_sentence_in_a_thread_names_the_service() {
    for typed in [
        "<@U0BOT> join <https://m.example/catalogue/bin-day-finder>.",
        "<@U0BOT> show <https://m.example/catalogue/bin-day-finder|Bin day finder>.",
    ] {
        assert!(
            matches!(read(typed), InThread::Command(Command::Listed { .. })),
            "{typed}: {:?}",
            read(typed)
        );
    }
}

/// A command's word asked as a question (`@Makers withdraw?`, `leave 12?`) in a pitch's
/// thread is answered privately as by command (its help; "I don't act on a question"), not
/// recorded as the team's news; one that only looks (`show?`) is that command here. Words
/// after the question, or a longer word, are still news.
#[test]
fn a_question_about_a_command_is_answered_not_news() {
    for typed in ["withdraw?", "<@U0BOT> leave?", "Publish?", "update?"] {
        let word = typed.trim_start_matches("<@U0BOT> ");
        assert_eq!(
            read(typed),
            InThread::Command(parse(word).unwrap()),
            "{typed}"
        );
        assert!(
            matches!(parse(word), Ok(Command::Help { about: Some(_), .. })),
            "{typed}"
        );
    }
    assert_eq!(read("show?"), InThread::Command(Command::Show(n(12))));
    assert_eq!(read("help?"), InThread::Command(parse("help").unwrap()));
    for typed in ["leave 12?", "withdraw #12?", "<@U0BOT> join 4?"] {
        let body = typed.trim_start_matches("<@U0BOT> ");
        assert_eq!(
            read(typed),
            InThread::Mistake(parse(body).unwrap_err()),
            "{typed}"
        );
    }
    for news in ["Published?", "leave? not yet, we need you", "Done?"] {
        assert_eq!(read(news), InThread::Update(news), "{news}");
    }
}

/// News whose words go on after a number asked (`phase 2? Funding confirmed …`) is news, as
/// before a number asked was answered as a question: only `leave 12?` with nothing after it
/// asks.
#[test]
fn words_after_a_number_asked_are_news() {
    for news in [
        "phase 2? Funding confirmed, we start in May",
        "leave 12? not yet, we need you",
        "<@U0BOT> join 4? Three of us did this week",
    ] {
        let body = news.trim_start_matches("<@U0BOT> ");
        assert_eq!(read(news), InThread::Update(body), "{news}");
    }
    assert_eq!(
        read("leave 12?"),
        InThread::Mistake(parse("leave 12?").unwrap_err())
    );
}
