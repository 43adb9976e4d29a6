//! `reuse` and `unreuse`.

use super::n;
use crate::commands::*;
use crate::domain::{ListFilter, ListedAsk, Page, ParseError, Slug, UpdateText};

#[test]
fn reuse_takes_a_project_and_an_optional_note() {
    assert_eq!(
        parse("reuse 4"),
        Ok(Command::Reuse {
            project: n(4),
            note: None
        })
    );
    assert_eq!(
        parse("REUSE #4 |  on our site "),
        Ok(Command::Reuse {
            project: n(4),
            note: Some(UpdateText::parse("on our site").unwrap())
        })
    );
    assert_eq!(
        parse("reuse 4 |"),
        Ok(Command::Reuse {
            project: n(4),
            note: None
        }),
        "an empty note is no note"
    );
    assert_eq!(parse("unreuse 4"), Ok(Command::Unreuse(n(4))));
}

#[test]
fn a_reuse_note_is_split_off_only_at_a_bar_outside_slack_tokens() {
    assert_eq!(
        parse("reuse 4 | on <https://x.example/bins|our bins page>, ask <@U0BOB|bob>"),
        Ok(Command::Reuse {
            project: n(4),
            note: Some(
                UpdateText::parse("on <https://x.example/bins|our bins page>, ask <@U0BOB|bob>")
                    .unwrap()
            )
        })
    );
    // A bar inside a token is not the note's bar: the words are a note without one.
    assert_eq!(
        parse("reuse 4 <@U0BOB|bob>"),
        Err(ParseError::NoteWithoutBar {
            named: "4".into(),
            note: "<@U0BOB|bob>".into()
        })
    );
}

#[test]
fn reuse_errors_are_specific() {
    assert!(matches!(
        parse("reuse"),
        Err(ParseError::MissingProject { sub }) if sub == "reuse"
    ));
    // One word that could be a catalogue address is taken as one (the answer says if no
    // service is there); anything else is not a project.
    assert!(matches!(
        parse("reuse banana | x"),
        Ok(Command::ReuseListed { .. })
    ));
    // Ending its sentence, it is the same word (`!`, like a full stop, is let go).
    assert_eq!(parse("reuse Banana! | x"), parse("reuse banana | x"));
    assert!(matches!(
        parse("reuse Ban@na | x"),
        Err(ParseError::BadProjectRef { sub, .. }) if sub == "reuse"
    ));
    assert_eq!(
        parse("reuse 4 on our  website"),
        Err(ParseError::NoteWithoutBar {
            named: "4".into(),
            note: "on our  website".into()
        })
    );
    // By address too, a pasted link (its label may hold spaces) being one word.
    assert_eq!(
        parse("reuse bin-day-finder on our website"),
        Err(ParseError::NoteWithoutBar {
            named: "bin-day-finder".into(),
            note: "on our website".into()
        })
    );
    let link = "<https://makers.example/catalogue/bin-day-finder|Bin day finder>";
    assert_eq!(
        parse(&format!("reuse {link} on our website")),
        Err(ParseError::NoteWithoutBar {
            named: "bin-day-finder".into(),
            note: "on our website".into()
        })
    );
    // Offered back to be copied: a note cut to fit says so.
    let long = "on our bin day page and in the garden waste renewals too";
    let Err(ParseError::NoteWithoutBar { note, .. }) = parse(&format!("reuse 4 {long}")) else {
        panic!("not a note without its bar");
    };
    assert_eq!(note.chars().count(), 40);
    assert!(
        note.ends_with('…') && long.starts_with(note.trim_end_matches('…')),
        "{note}"
    );
    assert!(matches!(
        parse("unreuse 4 5"),
        Err(ParseError::UnexpectedWords { sub, .. }) if sub == "unreuse"
    ));
    assert!(matches!(
        parse(&format!(
            "reuse 4 | {}",
            "x".repeat(UpdateText::MAX_CHARS + 1)
        )),
        Err(ParseError::NoteTooLong { .. })
    ));
    assert!(!Command::Unreuse(n(1)).is_read_only());
}

#[test]
fn councils_with_a_name_lists_that_councils_projects() {
    assert_eq!(parse("councils"), Ok(Command::Councils(Page::FIRST)));
    assert_eq!(parse("COUNCILS "), Ok(Command::Councils(Page::FIRST)));
    assert_eq!(
        parse("councils Waverley BC"),
        Ok(Command::ListCouncil(
            CouncilName::parse("Waverley BC").unwrap(),
            Page::FIRST
        ))
    );
    assert!(matches!(
        parse("councils <!channel>"),
        Err(ParseError::NotACouncilName { sub }) if sub == "list"
    ));
    assert!(Command::Councils(Page::FIRST).is_read_only());
}

/// `page N` after `councils` or any list: that page; anything else after `page` is not one.
#[test]
fn a_page_is_asked_for_after_the_list() {
    let two = Page::new(2).unwrap();
    assert_eq!(parse("councils page 2"), Ok(Command::Councils(two)));
    assert_eq!(parse("list councils Page 2"), Ok(Command::Councils(two)));
    assert_eq!(
        parse("list page 2"),
        Ok(Command::List(ListFilter::Open, two))
    );
    // As a sentence ends it (it was no list at all).
    for typed in ["list page 2.", "list page 2!"] {
        assert_eq!(
            parse(typed),
            Ok(Command::List(ListFilter::Open, two)),
            "{typed}"
        );
    }
    assert_eq!(parse("councils page 2."), Ok(Command::Councils(two)));
    assert_eq!(
        parse("list council Waverley BC page 2"),
        Ok(Command::ListCouncil(
            CouncilName::parse("Waverley BC").unwrap(),
            two
        ))
    );
    assert_eq!(
        parse("councils Waverley BC page 2"),
        Ok(Command::ListCouncil(
            CouncilName::parse("Waverley BC").unwrap(),
            two
        ))
    );
    for not_a_page in [
        "list page 0",
        "list page two",
        "list page 100",
        "list beta page",
    ] {
        assert!(
            matches!(parse(not_a_page), Err(ParseError::UnknownListFilter { .. })),
            "{not_a_page}: {:?}",
            parse(not_a_page)
        );
    }
}

#[test]
fn re_use_spelled_as_the_bot_spells_it_is_reuse() {
    assert_eq!(parse("re-use 4"), parse("reuse 4"));
    assert_eq!(parse("Un-reuse 4"), parse("unreuse 4"));
    assert_eq!(parse("re-use 4 | for bins"), parse("reuse 4 | for bins"));
}

#[test]
fn a_service_in_the_catalogue_is_named_by_its_address_or_its_link() {
    let listed = |s: &str| Slug::parse(s).unwrap();
    assert_eq!(
        parse("reuse bin-day-finder"),
        Ok(Command::ReuseListed {
            service: listed("bin-day-finder"),
            note: None
        })
    );
    for pasted in [
        "reuse <https://makers.example.gov.uk/catalogue/bin-day-finder> | on our site",
        "reuse <https://makers.example.gov.uk/catalogue/bin-day-finder/|Bin day finder> | on our site",
        "reuse https://makers.example.gov.uk/catalogue/Bin-Day-Finder?x=1 | on our site",
    ] {
        assert_eq!(
            parse(pasted),
            Ok(Command::ReuseListed {
                service: listed("bin-day-finder"),
                note: Some(UpdateText::parse("on our site").unwrap())
            }),
            "{pasted}"
        );
    }
    assert_eq!(
        parse("unreuse <https://x.example/catalogue/bin-day-finder>"),
        Ok(Command::UnreuseListed(listed("bin-day-finder")))
    );
    // An address that is a number is typed with its path, as the page says.
    assert_eq!(
        parse("reuse catalogue/311"),
        Ok(Command::ReuseListed {
            service: listed("311"),
            note: None
        })
    );
    assert_eq!(listed("311").as_typed(), "catalogue/311");
    assert_eq!(listed("bin-day-finder").as_typed(), "bin-day-finder");
    // Every address, as offered, is read back as that address by each command offering it.
    for slug in ["311", "bin-day-finder", "chatbot", "2024-25", "a1", "4-5-2"] {
        let typed = listed(slug).as_typed();
        for ask in [ListedAsk::Show, ListedAsk::Join] {
            let sub = match ask {
                ListedAsk::Show => "show",
                ListedAsk::Join => "join",
            };
            assert_eq!(
                parse(&format!("{sub} {typed}")),
                Ok(Command::Listed {
                    service: listed(slug),
                    ask
                }),
                "{sub} {typed}"
            );
        }
        assert_eq!(
            parse(&format!("reuse {typed}")),
            Ok(Command::ReuseListed {
                service: listed(slug),
                note: None
            }),
            "reuse {typed}"
        );
    }
    // Numbers stay numbers; a link elsewhere, or words, are not an address.
    assert_eq!(parse("unreuse #4"), Ok(Command::Unreuse(n(4))));
    assert!(matches!(
        parse("reuse <https://x.example/bins>"),
        Err(ParseError::BadProjectRef { .. })
    ));
    assert!(matches!(
        parse("reuse bin day finder"),
        Err(ParseError::BadProjectRef { .. })
    ));
}

#[test]
fn show_and_join_take_a_catalogue_address_where_one_is_pasted() {
    let listed = |s: &str, ask| {
        Ok(Command::Listed {
            service: Slug::parse(s).unwrap(),
            ask,
        })
    };
    for (typed, ask) in [
        ("show bin-day-finder", ListedAsk::Show),
        ("show bin-day-finder?", ListedAsk::Show),
        (
            "show <https://makers.example.gov.uk/catalogue/bin-day-finder|Bin day finder>",
            ListedAsk::Show,
        ),
        ("join bin-day-finder", ListedAsk::Join),
        (
            "join https://makers.example.gov.uk/catalogue/bin-day-finder",
            ListedAsk::Join,
        ),
    ] {
        assert_eq!(parse(typed), listed("bin-day-finder", ask), "{typed}");
    }
    assert_eq!(parse("show catalogue/311"), listed("311", ListedAsk::Show));
    // A number is a number; a word is a word typed for one, answered as before; a person
    // where the number goes is still a person.
    assert_eq!(parse("show 4"), Ok(Command::Show(n(4))));
    // Numbers joined by `-` are not a page's address (one of digits is `catalogue/311`).
    for typed in ["join 4-5", "show 2024-25"] {
        assert!(
            matches!(parse(typed), Err(ParseError::BadProjectRef { .. })),
            "{typed}"
        );
    }
    assert_eq!(parse("join #4"), Ok(Command::Join(n(4))));
    assert!(matches!(
        parse("show bins"),
        Err(ParseError::BadProjectRef { .. })
    ));
    for typed in [
        "join <@U0123ABCD>",
        "show <id>",
        "join <https://example.gov.uk/bins>",
    ] {
        assert!(
            matches!(parse(typed), Err(ParseError::BadProjectRef { .. })),
            "{typed}"
        );
    }
    // Only a join changes anything.
    assert!(parse("show bin-day-finder").unwrap().is_read_only());
    assert!(!parse("join bin-day-finder").unwrap().is_read_only());
}

/// A catalogue address that ends a sentence: Slack leaves the full stop (or comma, `!`)
/// outside a link's token, `<https://…/catalogue/bin-day-finder>.`, and a bare address
/// takes it too. The service named, as without it, by every command that names one (each
/// was refused or misread, and a note `.` asked for).
#[test]
fn a_catalogue_address_ending_a_sentence_names_the_service() {
    let listed = || Slug::parse("bin-day-finder").unwrap();
    let link = "<https://m.example/catalogue/bin-day-finder>";
    for end in [".", ",", "!", ";", ":"] {
        for address in [link, "bin-day-finder"] {
            for ask in [ListedAsk::Show, ListedAsk::Join] {
                let sub = match ask {
                    ListedAsk::Show => "show",
                    ListedAsk::Join => "join",
                };
                let typed = format!("{sub} {address}{end}");
                assert_eq!(
                    parse(&typed),
                    Ok(Command::Listed {
                        service: listed(),
                        ask
                    }),
                    "{typed}"
                );
            }
            let typed = format!("reuse {address}{end}");
            assert_eq!(
                parse(&typed),
                Ok(Command::ReuseListed {
                    service: listed(),
                    note: None
                }),
                "{typed}"
            );
            let typed = format!("unreuse {address}{end}");
            assert_eq!(
                parse(&typed),
                Ok(Command::UnreuseListed(listed())),
                "{typed}"
            );
        }
    }
    // With its label, and a note after the bar.
    assert_eq!(
        parse("reuse <https://m.example/catalogue/bin-day-finder|Bin day finder>. | on our site"),
        Ok(Command::ReuseListed {
            service: listed(),
            note: Some(UpdateText::parse("on our site").unwrap())
        })
    );
    // A note typed without its bar, after a link ending a sentence: the note is the words.
    assert_eq!(
        parse(&format!("reuse {link}, on our site")),
        Err(ParseError::NoteWithoutBar {
            named: "bin-day-finder".into(),
            note: "on our site".into(),
        })
    );
}
