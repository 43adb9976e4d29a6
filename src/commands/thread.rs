//! A mention inside a pitch's thread. There, free text is an update on the thread's project,
//! so a sentence that happens to start with a subcommand's word ("council approved the beta",
//! "search page now handles postcodes", "join us Thursday") must not run as a command; and a
//! command that names a project may leave the number out (`@Makers leave`), since the thread
//! says which.

use super::{Command, ReportFor, mention_body, parse};
use crate::domain::{CouncilName, ParseError, ProjectNumber};

/// How a mention in a pitch's thread reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InThread<'a> {
    /// A command: well-formed as typed, or once the thread's project is its number.
    Command(Command),
    /// `council <name>`, `report for <name>`: `command` if `name` is a recorded council's
    /// (the reader looks; a report for the period its words end in, if any), else the update
    /// `text` ("council approved the beta", "report for the cabinet is drafted").
    IfCouncil {
        command: Command,
        name: CouncilName,
        text: &'a str,
    },
    /// An update on the thread's project, in these words.
    Update(&'a str),
    /// A command with a mistake, to be answered as anywhere else (`update 12` with no words).
    Unparsed,
    /// A command of the thread's project with a mistake only a command has: `phase beta
    /// passed the assessment`, a phase and its note without the `|`.
    Mistake(ParseError),
    /// An update in these words if its author may post one on the thread's project; from
    /// anyone else, this command's mistake: `reuse we use it for our bins`, said by someone
    /// from a council outside the team, is a re-use with its note's `|` left out, where a
    /// team member's "reuse of the county's code saved us weeks" is news.
    UpdateOr { text: &'a str, mistake: ParseError },
}

/// Whether `rest`, the words after the command's, start with the word `for` (in any case)
/// with no period before the council's name: not `for last quarter for Waverley`, a
/// report's other way of asking for a period first.
fn for_a_council_first(rest: &str) -> bool {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let is_for = |w: &&str| w.eq_ignore_ascii_case("for");
    if !words.first().is_some_and(is_for) {
        return false;
    }
    let after = &words[1..];
    !after.iter().position(is_for).is_some_and(|next| {
        next > 0 && crate::domain::ReportSpan::parse(&after[..next].join(" ")).is_ok()
    })
}

/// The subcommands that take a project's number first, and whose number a thread supplies.
/// Not `edit` nor `correct`, whose words could be a sentence (`@Makers correct me if I'm
/// wrong, …` would replace the author's latest update), and not `update` (an update needs no
/// command in its own thread: its words are the update).
const NUMBERED: &[&str] = &[
    "show",
    "join",
    "leave",
    "withdraw",
    "phase",
    "publish",
    "unpublish",
    "reuse",
    "unreuse",
    "remove",
    "handover",
    "lead-council",
    "link",
    "wants",
    // `@Makers merge into 4`: this project carries on as 4.
    "merge",
];

/// Reads `text` (a mention of `bot`, leading mentions included: see [`mention_body`])
/// written in `project`'s thread.
pub fn parse_in_thread<'a>(
    text: &'a str,
    bot: Option<&str>,
    project: ProjectNumber,
) -> InThread<'a> {
    let body = mention_body(text, bot);
    let (word, rest) = match body.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (body, ""),
    };
    // A zero-width space pasted in with the word is let go, as `parse` lets it go.
    let unmarked = crate::domain::unmarked(word);
    let word = unmarked.as_ref();
    // A word alone may end its sentence (`@Makers leave.`): the command still, not news.
    let alone = rest.is_empty();
    // A request about its author alone (to be forgotten, to leave, their skills or
    // council), said in words the command does not take: never news for all to see.
    if let Some(reading) = personal(word, rest, body) {
        return reading;
    }
    // "Councils: Surrey joined", "Update: research done": a heading in someone's news, where
    // elsewhere `pitch: Bin day finder` is the command.
    if !alone && super::command_word(word) != word {
        return InThread::Update(body);
    }
    // `@Makers show?`, `help?`: a question after a word that only looks is that command,
    // as by command ([`super::command_word`]).
    let word = if alone {
        super::command_word(word)
    } else {
        word
    };
    let sub = match word.to_ascii_lowercase().as_str() {
        // The bot's own spelling of the two (see `parse`).
        "re-use" => "reuse".to_string(),
        "un-reuse" => "unreuse".to_string(),
        other => other.to_string(),
    };
    // A command's word alone ("@Makers phase", "@Makers update") is no news: it is that
    // command, missing what it needs, the thread's project its number where it takes one,
    // and answered as such (it was posted as a one-word update). So is a word for a
    // command's work ("@Makers delete"): its command's help.
    if alone && (super::SUBCOMMANDS.contains(&sub.as_str()) || super::said_for(&sub).is_some()) {
        let read = match NUMBERED.contains(&sub.as_str()) || sub == "update" {
            true => parse(&format!("{sub} {}", project.get())),
            false => parse(word),
        };
        return match read {
            Ok(command) => InThread::Command(command),
            Err(e) => InThread::Mistake(e),
        };
    }
    // "Update 2: research done", "Phase 2: testing with residents": a numbered heading in
    // someone's news, not project #2 (which by command, typed so, it would be). A heading
    // heads words: `leave 12.` alone ends its sentence, and is said.
    let mut words = rest.split_whitespace();
    let heading = words.next().is_some_and(|w| {
        // Not `!`: `join 4!` is said, not headed.
        ProjectNumber::parse(w).is_none() && super::typed_number(w).is_some() && !w.ends_with('!')
    }) && words.next().is_some();
    if heading {
        return match sub.as_str() {
            "update" => InThread::Update(super::after_bar(rest)),
            _ => InThread::Update(body),
        };
    }
    match parse(body) {
        // Nobody pitches a new project from inside another's thread, nor searches there;
        // "councils across Surrey want this too" is news, not a council's projects listed.
        Ok(Command::Pitch { .. } | Command::Search(_)) => InThread::Update(body),
        Ok(Command::ListCouncil(..)) if sub == "councils" => InThread::Update(body),
        // "join in-person", "show co-design": news; only a catalogue page's link pasted is
        // a service named here.
        Ok(Command::Listed { .. }) if !rest.starts_with('<') => InThread::Update(body),
        Ok(Command::Council(Some(name))) => InThread::IfCouncil {
            command: Command::Council(Some(name.clone())),
            name,
            text: body,
        },
        // With no period typed before its `for`, whatever the words end in: news that ends
        // in words for a period ("report for the board is done, thanks all" reads as `all`)
        // is news unless the rest names a recorded council, whose report is then for that
        // period ("report for Guildford last quarter"). A period typed before the `for`
        // ("report last quarter for Guildfrod", "report for last quarter for Guildfrod") is
        // asked for, and a name mistyped in it is answered, privately, with the council it
        // is near.
        Ok(Command::Report {
            span,
            council: Some(ReportFor::Named(name)),
        }) if for_a_council_first(rest) => InThread::IfCouncil {
            command: Command::Report {
                span,
                council: Some(ReportFor::Named(name.clone())),
            },
            name,
            text: body,
        },
        // `help`, `help join`, `forget`: commands. An unknown word, or `help`, `forget` or
        // `privacy` followed by a sentence ("help wanted: a designer", "privacy notice
        // agreed"), is an update (`forget me …` is not one: see [`personal`]).
        Ok(
            command @ Command::Help {
                unknown: None,
                about,
            },
        ) if rest.is_empty()
            || (about.is_some() && !matches!(sub.as_str(), "forget" | "privacy")) =>
        {
            InThread::Command(command)
        }
        // A command's word asked (`@Makers withdraw?`, `leave?`): not done, and no news for
        // all to see; its help, privately, as by command.
        Ok(
            command @ Command::Help {
                unknown: Some(_),
                about: Some(_),
            },
        ) if rest.is_empty() && asks_about(&command) => InThread::Command(command),
        // A slip of a command's word, alone (`@Makers joni`): posted, it would be the team's
        // news for all to see; asked about instead, with how to post it if it is news. A
        // longer form of the word ("Published!", "joined") is news.
        Ok(Command::Help {
            unknown: Some(unknown),
            about: Some(sub),
        }) if rest.is_empty() && !unknown.to_ascii_lowercase().starts_with(sub) => {
            InThread::Mistake(ParseError::SlipInThread {
                word: unknown,
                sub: sub.to_string(),
                project: Some(project),
            })
        }
        // A question word alone (`@makers how?`): asked, not news for all to see; the whole
        // help, privately, as a question typed anywhere else gets.
        Ok(Command::Help {
            unknown: Some(word),
            about: None,
        }) if rest.is_empty() && super::is_asking(&word) => InThread::Command(Command::Help {
            unknown: Some(word),
            about: None,
        }),
        Ok(Command::Help { .. }) => InThread::Update(body),
        // "phase alpha 2" here is this project's phase and words after it ("alpha 2"), as
        // before the phase said first was read as `phase beta 4`: not project #2 moved.
        Ok(Command::Phase { project: named, .. })
            if sub == "phase" && named != project && super::read_phase(rest).is_some() =>
        {
            match parse(&format!("phase {} {rest}", project.get())) {
                Ok(command) => InThread::Command(command),
                Err(e @ ParseError::PhaseNoteWithoutBar { .. }) => InThread::Mistake(e),
                Err(_) => InThread::Update(body),
            }
        }
        Ok(command) => InThread::Command(command),
        Err(first) if NUMBERED.contains(&sub.as_str()) => {
            let read = match first {
                // The number was typed (`phase 12 beta passed`): the mistake is as typed.
                // `merge 4` here: which of the two carries on is not for the bot to
                // guess; asked, not done.
                e @ (ParseError::PhaseNoteWithoutBar { .. }
                | ParseError::NoteWithoutBar { .. }
                | ParseError::MissingMergeTarget(_)) => Err(e),
                // `leave 12?` asks, and is answered as by command ("I don't act on a
                // question"), not retried as `leave 12 12?` and taken for news. Only with
                // the number asked last: "phase 2? Funding confirmed" is news.
                ParseError::BadProjectRef { ref got, .. }
                    if asked_about(got) && rest.split_whitespace().last() == Some(got.as_str()) =>
                {
                    return InThread::Mistake(first);
                }
                _ => parse(&format!("{word} {} {rest}", project.get())),
            };
            match read {
                Ok(command) => InThread::Command(command),
                // `merge 4` here may mean either way: both are offered, naming this project.
                Err(ParseError::MissingMergeTarget(number)) if number != project => {
                    InThread::Mistake(ParseError::MergeWhichWay {
                        number,
                        thread: project,
                    })
                }
                // "phase beta from Monday" moves the project, not says a sentence about it
                // ("phase two starts now" names no phase, and stays an update).
                Err(
                    e
                    @ (ParseError::PhaseNoteWithoutBar { .. } | ParseError::MissingMergeTarget(_)),
                ) => InThread::Mistake(e),
                Err(mistake @ ParseError::NoteWithoutBar { .. }) => InThread::UpdateOr {
                    text: body,
                    mistake,
                },
                Err(_) => InThread::Update(body),
            }
        }
        // `edit 12 …`, `correct 12 …` with its number typed is a command whatever its
        // mistake (a title naming someone, one too long): said, not posted as news.
        Err(e)
            if matches!(sub.as_str(), "edit" | "correct")
                && rest
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| ProjectNumber::parse(w).is_some()) =>
        {
            InThread::Mistake(e)
        }
        // `update 12` without its words: the command's mistake, said.
        Err(_) if sub == "update" && ProjectNumber::parse(rest).is_some() => InThread::Unparsed,
        // `update <words>` without a number: its words are the update.
        // (A `|` typed before them is not part of them, as by command.)
        Err(_) if sub == "update" && !rest.is_empty() => InThread::Update(super::after_bar(rest)),
        Err(_) => InThread::Update(body),
    }
}

/// What a person types after `forget`, `delete` or `export` to mean what is recorded about
/// them: `my data`, `my council`.
const THEIR_DATA: &[&str] = &[
    "data",
    "details",
    "account",
    "information",
    "info",
    "profile",
    "record",
    "records",
    "council",
    "skills",
];

/// The words a person asking to leave says after `leave`, `quit` or `unjoin` (with a
/// project's number): `please`, `now`, `the team`.
const LEAVING: &[&str] = &[
    "please", "pls", "now", "the", "team", "project", "this", "me", "thanks", "thank", "you",
];

/// Words of courtesy alone after `skills` (`skills please`).
const COURTESY: &[&str] = &["please", "pls", "thanks", "thank", "you"];

/// A request about its author alone, in words its command does not take, which read as news
/// would be published as the team's update (thread, digest, `show`, Homes) while nothing was
/// done: answered privately with that command's help, nothing recorded. To be forgotten or
/// to have their data (`forget me.`, `forget about me`, `delete my data`, `export my data`:
/// only the exact `forget me` forgets anyone); to leave (`leave please`, `leave the team
/// please`, `remove me from the team`: only such words, "leave it with me" is news); their
/// skills or council, shown to no one else (`skills please`, `skills: developer`,
/// `council none`, `council?`; `council: <name>` if the name is a recorded council's, which
/// the reader looks up). `None`: read as before.
fn personal<'a>(word: &str, rest: &str, body: &'a str) -> Option<InThread<'a>> {
    let bare = super::bare_word(word).to_ascii_lowercase();
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| {
            crate::domain::unmarked(w)
                .trim_end_matches(['.', ',', '!', ';', ':'])
                .to_ascii_lowercase()
        })
        .collect();
    let first = words.first().map(String::as_str);
    let help = |about| {
        Some(InThread::Command(Command::Help {
            unknown: None,
            about: Some(about),
        }))
    };
    let their_data = first == Some("my")
        && words
            .get(1)
            .is_some_and(|w| THEIR_DATA.contains(&w.as_str()));
    match bare.as_str() {
        "forget" if asks_to_be_forgotten(rest) || about_me(&words) || their_data => help("forget"),
        "delete" | "erase" if first == Some("me") || their_data => help("forget"),
        // A copy of what is recorded: `privacy` says who gives it.
        "export" | "download" if their_data => help("privacy"),
        "leave" | "quit" | "unjoin" if asks_to_leave(&words) => help("leave"),
        "remove"
            if first == Some("me")
                && (words.len() == 1 || words[1] == "from" || asks_to_leave(&words[1..])) =>
        {
            help("leave")
        }
        // `skills: developer`, `skills developer, accessibility` (a skill unknown),
        // `skills please`: their skills meant; "skills workshop went well" is news.
        "skills"
            if means_skills(&words, rest)
                && (!word.eq_ignore_ascii_case("skills")
                    || super::skills::parse_offer(rest).is_err()) =>
        {
            help("skills")
        }
        "council?" if rest.is_empty() => help("council"),
        "council" => match CouncilName::parse(rest) {
            Err(crate::domain::UserError::CouncilSaysNone) => help("council"),
            // `council: Guildford Borough Council` is meant only if the council is recorded
            // (or one near it is): "Council: approved the beta" is news.
            Ok(name) if !word.eq_ignore_ascii_case("council") => Some(InThread::IfCouncil {
                command: Command::Help {
                    unknown: None,
                    about: Some("council"),
                },
                name,
                text: body,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// `about me`, `everything about me` (and `all`, `anything`) first in `words`.
fn about_me(words: &[String]) -> bool {
    let words = match words.first().map(String::as_str) {
        Some("everything" | "all" | "anything") => &words[1..],
        _ => words,
    };
    words.len() >= 2 && words[0] == "about" && words[1] == "me"
}

/// Whether `words` (after `leave`) are only what a person asking to leave says, more than a
/// project's number (`leave 12` is the command), or start `me from`.
fn asks_to_leave(words: &[String]) -> bool {
    !words.iter().all(|w| super::typed_number(w).is_some())
        && (words.starts_with(&["me".to_string(), "from".to_string()])
            || words
                .iter()
                .all(|w| LEAVING.contains(&w.as_str()) || super::typed_number(w).is_some()))
}

/// Whether the words after `skills` start with a skill, `none` or a courtesy.
fn means_skills(words: &[String], rest: &str) -> bool {
    let first_piece = rest.split([',', ';', '|', '\n']).next().unwrap_or("");
    words
        .first()
        .is_some_and(|w| w == "none" || COURTESY.contains(&w.as_str()))
        || crate::domain::parse_skills(first_piece).is_ok_and(|skills| !skills.is_empty())
}

/// Whether `rest`, the words after `forget`, start with `me` (in any case) with more after
/// it or sentence punctuation on it (`me.`, `me please`, `me?`); `forget me` exactly is the
/// command, read before this is asked.
fn asks_to_be_forgotten(rest: &str) -> bool {
    rest.split_whitespace().next().is_some_and(|first| {
        let first = crate::domain::unmarked(first);
        first
            .trim_end_matches(['.', ',', '!', '?', ';', ':'])
            .eq_ignore_ascii_case("me")
    }) && !rest.eq_ignore_ascii_case("me")
}

/// Whether `command` is a command's word asked as a question (`withdraw?`: the help about
/// `withdraw`, its word with a `?` after it).
fn asks_about(command: &Command) -> bool {
    let Command::Help {
        unknown: Some(unknown),
        about: Some(sub),
    } = command
    else {
        return false;
    };
    unknown
        .strip_suffix('?')
        .is_some_and(|word| super::bare_word(word).eq_ignore_ascii_case(sub))
}

/// Whether a word typed where a project's number goes asks about one (`12?`, `#12?`).
fn asked_about(got: &str) -> bool {
    got.strip_suffix('?')
        .and_then(ProjectNumber::parse)
        .is_some()
}
