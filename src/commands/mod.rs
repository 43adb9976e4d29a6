//! The `/makers` grammar, parsed purely: text in, [`Command`] or [`ParseError`] out; no I/O.
//!
//! ```text
//! /makers pitch <title>                  record a project and announce it here
//! /makers pitch <title> | <description>
//! /makers list                           open projects (not retired), grouped by phase
//! /makers list <phase>|mine|quiet        one phase / projects you are in / gone quiet
//! /makers update <id> <text>             post a status update in the project's thread
//! /makers correct <id> <text>            replace the words of your latest update on it
//! /makers withdraw <id>                  withdraw your latest update on it
//! /makers edit <id> <title> [| <description>]   (team) correct the pitch's title (and description)
//! /makers phase <id> <phase> [| <note>]  move to discovery|alpha|beta|live|retired
//! /makers show <id>                      one project; <id> is 12 or #12
//! /makers join <id>                      join the project's team
//! /makers leave <id>                     leave it
//! /makers remove <id> <@person>          (lead) take someone off the team
//! /makers handover <id> <@person>        (lead) hand the lead to someone in the team
//! /makers lead-council <id> <name>       (lead) the council that leads it, as the catalogue shows
//! /makers council <name>                 say which council you work for
//! /makers council                        what is recorded for you (and your council's line)
//! /makers councils                       give and take per council
//! /makers report [<span>]                this quarter's figures, or a span's
//!                                        (`last quarter`, `year`, `2026-04-01 to 2026-06-30`)
//! /makers search <words>                 projects matching the words, best first
//! /makers reuse <id> [| <how we use it>]  your council re-uses the project (or updates the note)
//! /makers reuse <catalogue address> [| …]  the same for a service in the catalogue,
//!                                        whichever workspace made it (`bin-day-finder`)
//! /makers unreuse <id> / <address>       your council withdraws that
//! /makers publish <id> / unpublish <id>   (team) show / hide it in the public catalogue
//! /makers link <id> <code|service|docs> <url>   (team) where its code, service or docs are
//! /makers link <id> <kind> none           (team) forget that link
//! /makers skills <skill>, <skill>, …      the skills you offer (replacing what was recorded)
//! /makers skills / skills none           what is recorded for you / forget it
//! /makers wants <id> <skill>, …           (team) the skills a project wants; `none` clears
//! /makers list needs <skill>             open projects wanting that skill
//! /makers digest                         weekly digest in this channel (Monday 09:00)
//! /makers digest <day> <HH:MM>           … at another time, e.g. `digest friday 16:30`
//! /makers digest off | preview           stop it / show this week's digest to me now
//! /makers privacy                        what is recorded about me, for how long, my rights
//! /makers forget me                      forget me: out of every team, nothing about me kept
//! /makers help                           usage (also: empty text, anything unknown)
//! @makers <same grammar>                 the same, answered in the mention's thread
//! ```
//! Subcommand words are case-insensitive. The text has already had Slack's `&amp;`, `&lt;`,
//! `&gt;` entities decoded at the edge, so it is what the user typed, with Slack's tokens
//! (`<@U0BOB|bob>`, `<https://x|docs>`) as `<…>`. A `|` splits only outside those tokens, so
//! `pitch hi <@U0BOB|bob> | help wanted` has the title `hi <@U0BOB|bob>`.

use crate::domain::{
    CouncilName, Description, LinkKind, LinkUrl, ListFilter, ListedAsk, Page, ParseError, Phase,
    Piece, ProjectNumber, ReportSpan, SearchWords, Skill, Slug, Title, Token, UpdateText,
    UserError, UserId, WeeklyTime, pieces,
};

mod digest;
mod skills;
mod thread;

pub use thread::{InThread, parse_in_thread};
#[cfg(test)]
mod tests;

/// One thing a user can ask the bot to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Record a project and announce it in the channel.
    Pitch {
        title: Title,
        description: Description,
    },
    /// Projects of this workspace: open ones, or a filter; a page of them (`list … page 2`).
    List(ListFilter, Page),
    /// `list council <name>`: open projects that council leads, works on or re-uses.
    ListCouncil(CouncilName, Page),
    /// Post a status update on a project.
    Update {
        project: ProjectNumber,
        text: UpdateText,
    },
    /// Replace the words of the asker's latest update on a project.
    Correct {
        project: ProjectNumber,
        text: UpdateText,
    },
    /// Withdraw the asker's latest update on a project.
    Withdraw(ProjectNumber),
    /// Correct a pitch's title, and its description when given (`Some`; empty clears it),
    /// team only.
    Edit {
        project: ProjectNumber,
        /// `None`: the title stays (`edit 4 | a new description`).
        title: Option<Title>,
        description: Option<Description>,
    },
    /// Move a project to a GOV.UK phase, with an optional note.
    Phase {
        project: ProjectNumber,
        phase: Phase,
        note: Option<UpdateText>,
    },
    /// One project in full.
    Show(ProjectNumber),
    /// Join a project's team.
    Join(ProjectNumber),
    /// Leave a project's team.
    Leave(ProjectNumber),
    /// Take someone off a project's team (its lead, or anyone in its team once the lead has
    /// left it; oneself: a leave).
    Remove {
        project: ProjectNumber,
        user: UserId,
    },
    /// Set a project's lead council, as its catalogue page shows it (whoever manages its team).
    LeadCouncil {
        project: ProjectNumber,
        council: CouncilName,
    },
    /// `merge 7 into 4`: two teams found they make the same thing, and `project` carries on
    /// as `into` (its team only): it is retired, pointing there.
    Merge {
        project: ProjectNumber,
        into: ProjectNumber,
    },
    /// Hand the lead of a project to someone in its team (its lead only; or anyone in the
    /// team once the lead has left it).
    Handover {
        project: ProjectNumber,
        user: UserId,
    },
    /// The channel's weekly digest.
    Digest(DigestCommand),
    /// Record the council the user works for (`Some`), or say what is recorded (`None`).
    Council(Option<CouncilName>),
    /// Give and take per council, a page of them (`councils page 2`).
    Councils(Page),
    /// A period's figures for the workspace: what was pitched, joined, moved on, published
    /// and re-used, where things stand, and each council's part (`report last quarter`);
    /// or one council's part (`report last quarter for Waverley`).
    Report {
        span: ReportSpan,
        council: Option<ReportFor>,
    },
    /// Everything the asker's council re-uses (`list reused`), retired ones first, a page at
    /// a time: the Home shows a few.
    ListReused(Page),
    /// Projects matching some words, best first.
    Search(SearchWords),
    /// The asker's council re-uses a project, with an optional note on how.
    Reuse {
        project: ProjectNumber,
        note: Option<UpdateText>,
    },
    /// The asker's council no longer re-uses a project.
    Unreuse(ProjectNumber),
    /// The asker's council re-uses a service in the public catalogue, named by its address
    /// (`bin-day-finder`), whichever workspace made it.
    ReuseListed {
        service: Slug,
        note: Option<UpdateText>,
    },
    /// The asker's council no longer re-uses a service in the catalogue.
    UnreuseListed(Slug),
    /// `show <address>` / `join <address>`: a project named by its catalogue address, often
    /// pasted from its page; in this workspace, as by its number.
    Listed { service: Slug, ask: ListedAsk },
    /// Show the project in the public catalogue (team only).
    Publish(ProjectNumber),
    /// Take it out of the public catalogue (team only).
    Unpublish(ProjectNumber),
    /// Record where the project's code, service or docs are; `None` forgets that link.
    Link {
        project: ProjectNumber,
        kind: LinkKind,
        url: Option<LinkUrl>,
    },
    /// Replace the skills the asker offers (`Some`; empty clears them), or say what is
    /// recorded (`None`).
    Skills(Option<Vec<Skill>>),
    /// Replace the skills a project's team wants (team only); empty clears them.
    Wants {
        project: ProjectNumber,
        skills: Vec<Skill>,
    },
    /// Forget the asker: out of every team, their council and skills gone, their work kept
    /// naming nobody (`forget me`).
    ForgetMe,
    /// What the bot records about people, for how long, who sees it, and their rights (a
    /// privacy notice's summary, linking the operator's notice when configured).
    Privacy,
    /// Usage. `unknown` holds the word we did not understand, if any, so the reply can say so;
    /// `about`, the subcommand to show alone: asked for (`help join`), or the one an unknown
    /// word looks like a slip for (`joni 4`).
    Help {
        unknown: Option<String>,
        about: Option<&'static str>,
    },
}

impl Command {
    /// Whether running this command only reads the store (it may then use a read connection).
    pub fn is_read_only(&self) -> bool {
        match self {
            Command::Pitch { .. }
            | Command::Join(_)
            | Command::Leave(_)
            | Command::Remove { .. }
            | Command::Handover { .. }
            | Command::LeadCouncil { .. }
            | Command::Merge { .. }
            | Command::Update { .. }
            | Command::Correct { .. }
            | Command::Withdraw(_)
            | Command::Edit { .. }
            | Command::Phase { .. }
            | Command::Reuse { .. }
            | Command::Unreuse(_)
            | Command::ReuseListed { .. }
            | Command::UnreuseListed(_)
            | Command::Publish(_)
            | Command::Unpublish(_)
            | Command::Link { .. }
            | Command::Wants { .. }
            | Command::ForgetMe
            | Command::Listed {
                ask: ListedAsk::Join,
                ..
            } => false,
            Command::Council(name) => name.is_none(),
            Command::Skills(skills) => skills.is_none(),
            Command::Digest(d) => *d == DigestCommand::Preview,
            Command::List(..)
            | Command::ListCouncil(..)
            | Command::Show(_)
            | Command::Listed {
                ask: ListedAsk::Show,
                ..
            }
            | Command::Councils(_)
            | Command::Report { .. }
            | Command::ListReused(_)
            | Command::Search(_)
            | Command::Privacy
            | Command::Help { .. } => true,
        }
    }
}

/// Whose part `report … for <council>` tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportFor {
    /// `for my council`: the asker's.
    Mine,
    Named(CouncilName),
}

/// `report [<period>] [for <council>]`: the words before the first `for` are the period,
/// those after it the council, unless they are a period themselves (`for last quarter`).
/// Said the other way round, as people do: `for last quarter for Waverley`, `for Waverley
/// last quarter`.
fn parse_report(rest: &str) -> Result<Command, ParseError> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let is_for = |w: &&str| w.eq_ignore_ascii_case("for");
    let Some(at) = words.iter().position(is_for) else {
        return Ok(Command::Report {
            span: ReportSpan::parse(rest)?,
            council: None,
        });
    };
    let (mut period, mut council) = (words[..at].to_vec(), words[at + 1..].to_vec());
    if period.is_empty() {
        if let Ok(span) = ReportSpan::parse(&council.join(" "))
            && !council.is_empty()
        {
            return Ok(Command::Report {
                span,
                council: None,
            });
        }
        if let Some(next) = council.iter().position(is_for)
            && ReportSpan::parse(&council[..next].join(" ")).is_ok()
        {
            // `for last quarter for Waverley`
            (period, council) = (council[..next].to_vec(), council[next + 1..].to_vec());
        } else if let Some(from) =
            (1..council.len()).find(|&from| ReportSpan::parse(&council[from..].join(" ")).is_ok())
        {
            // `for Waverley last quarter`: the longest period at its end; `for Waverley
            // for last quarter` too, the `for` before the period not part of the name.
            let mut named = council[..from].to_vec();
            if named.len() > 1 && named.last().is_some_and(is_for) {
                named.pop();
            }
            (period, council) = (council[from..].to_vec(), named);
        }
    }
    let council = council.join(" ");
    let council = bare_word(&council);
    let council = match council.to_lowercase().as_str() {
        // `report for`: which council? Its help line says how.
        "" => {
            return Ok(Command::Help {
                unknown: None,
                about: Some("report"),
            });
        }
        "my council" | "mine" | "us" | "my" | "our council" | "me" => ReportFor::Mine,
        _ => ReportFor::Named(council_for("report", council)?),
    };
    Ok(Command::Report {
        span: ReportSpan::parse(&period.join(" "))?,
        council: Some(council),
    })
}

/// What `/makers digest …` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestCommand {
    /// Subscribe this channel (at the given time, or the default / the time already set).
    Subscribe(Option<WeeklyTime>),
    Off,
    /// This week's digest, to the asker only, now.
    Preview,
}

/// The subcommand words [`parse`] knows; `slack::render`'s help has a line for each (a test
/// there checks it).
pub const SUBCOMMANDS: &[&str] = &[
    "pitch",
    "list",
    "update",
    "correct",
    "withdraw",
    "edit",
    "phase",
    "show",
    "search",
    "join",
    "leave",
    "remove",
    "handover",
    "lead-council",
    "merge",
    "digest",
    "council",
    "councils",
    "report",
    "reuse",
    "unreuse",
    "publish",
    "unpublish",
    "link",
    "skills",
    "wants",
    "privacy",
    "forget",
    "help",
];

/// Parses the text of a slash command (everything after `/makers`).
pub fn parse(text: &str) -> Result<Command, ParseError> {
    let text = text.trim();
    let (word, rest) = match text.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => (text, ""),
    };
    // A zero-width space pasted from a document (`join\u{200B} 4`) would make the word one
    // the bot does not know, while naming it back looks exactly as typed.
    let unmarked = crate::domain::unmarked(word);
    match command_word(&unmarked).to_ascii_lowercase().as_str() {
        "" | "help" | "?" => Ok(help_with(rest)),
        "pitch" => parse_pitch(rest),
        "list" => parse_list(rest),
        "update" => parse_update(rest),
        "correct" => parse_correct(rest),
        "withdraw" => project_ref("withdraw", rest).map(Command::Withdraw),
        "edit" => parse_edit(rest),
        "phase" => parse_phase(rest),
        "digest" => digest::parse_digest(rest).map(Command::Digest),
        "show" => listed(rest, ListedAsk::Show)
            .map_or_else(|| project_ref("show", rest).map(Command::Show), Ok),
        "join" => listed(rest, ListedAsk::Join)
            .map_or_else(|| project_ref("join", rest).map(Command::Join), Ok),
        "leave" => project_ref("leave", rest).map(Command::Leave),
        "remove" => {
            person_command("remove", rest).map(|(project, user)| Command::Remove { project, user })
        }
        "handover" => person_command("handover", rest)
            .map(|(project, user)| Command::Handover { project, user }),
        "lead-council" => parse_lead_council(rest),
        "merge" => parse_merge(rest),
        "councils" if rest.is_empty() => Ok(Command::Councils(Page::FIRST)),
        // `councils page 2`: the list's next page; `councils Waverley`: that council's
        // projects, as `list council Waverley` lists them.
        "councils" => match page_of(rest) {
            ("", page) => Ok(Command::Councils(page)),
            _ => parse_list(&format!("council {rest}")),
        },
        "search" => Ok(Command::Search(SearchWords::parse(rest)?)),
        "report" => parse_report(rest),
        // `reused` alone, as the Home heads the list ("What your council re-uses"): that
        // list, not a slip for `reuse`, which needs a project.
        "reused" | "re-used" if matches!(page_of(rest), ("", _)) => {
            Ok(Command::ListReused(page_of(rest).1))
        }
        // The bot's own spelling, everywhere but in the command's name.
        "reuse" | "re-use" => parse_reuse(rest),
        "unreuse" | "un-reuse" => match listed_service(rest) {
            Some(service) => Ok(Command::UnreuseListed(service)),
            None => project_ref("unreuse", rest).map(Command::Unreuse),
        },
        "publish" => project_ref("publish", rest).map(Command::Publish),
        "unpublish" => project_ref("unpublish", rest).map(Command::Unpublish),
        "link" => parse_link(rest),
        "skills" => skills::parse_offer(rest),
        "wants" => skills::parse_wants(rest),
        "privacy" if rest.is_empty() => Ok(Command::Privacy),
        // Words after it ("privacy policy") are not the command: its help line says what is.
        "privacy" => Ok(Command::Help {
            unknown: None,
            about: Some("privacy"),
        }),
        "forget" if rest.eq_ignore_ascii_case("me") => Ok(Command::ForgetMe),
        // Only the exact words forget anyone: anything else is shown the `forget me` line.
        "forget" => Ok(Command::Help {
            unknown: None,
            about: Some("forget"),
        }),
        "council" if rest.is_empty() => Ok(Command::Council(None)),
        "council" => match CouncilName::parse(rest) {
            Ok(name) => Ok(Command::Council(Some(name))),
            Err(UserError::CouncilSaysNone) => Err(UserError::OwnCouncilSaysNone.into()),
            Err(e) => Err(e.into()),
        },
        // `/makers 4`, `/makers #4`: that project, as `show 4` would.
        _ if rest.is_empty()
            && let Ok(number) = project_ref("show", word) =>
        {
            Ok(Command::Show(number))
        }
        _ => Ok(Command::Help {
            unknown: Some(word.chars().take(40).collect()),
            about: slip_for(command_word(word)),
        }),
    }
}

/// The subcommands help can be about (not `help` itself).
fn topics() -> impl Iterator<Item = &'static str> {
    SUBCOMMANDS.iter().copied().filter(|sub| *sub != "help")
}

/// `help <rest>`: the lines of the subcommand `rest` names, or, if it is one word a slip
/// from one, that one's, the slip named (`help joni`); otherwise the whole help.
fn help_with(rest: &str) -> Command {
    let word = rest.trim().to_ascii_lowercase();
    if let Some(sub) = topics()
        .find(|sub| *sub == word)
        .or_else(|| spelled_for(&word))
    {
        return Command::Help {
            unknown: None,
            about: Some(sub),
        };
    }
    match slip_for(&word).filter(|_| !word.contains(char::is_whitespace)) {
        Some(sub) => Command::Help {
            unknown: Some(rest.trim().chars().take(40).collect()),
            about: Some(sub),
        },
        None => Command::Help {
            unknown: None,
            about: None,
        },
    }
}

/// The other spellings [`parse`] runs as a subcommand, whose help is that subcommand's:
/// the bot writes "re-use" everywhere, and the Home heads a list "What your council
/// re-uses" (`list reused`), so `help re-use` is no slip to be told "I don't know".
const SPELLED: &[(&str, &str)] = &[
    ("re-use", "reuse"),
    ("un-reuse", "unreuse"),
    ("reused", "list"),
    ("re-used", "list"),
];

/// The subcommand `word` (lower case) is another spelling of, as [`parse`] runs it.
fn spelled_for(word: &str) -> Option<&'static str> {
    SPELLED
        .iter()
        .find(|(spelled, _)| *spelled == word)
        .map(|(_, sub)| *sub)
}

/// Words people use for what a subcommand does, which are no slip of its name: answered with
/// that subcommand's help (not run: `close 4` may or may not mean retiring it), where a
/// slip would offer something else (`unjoin` is one edit from `join`).
const SAID_FOR: &[(&str, &str)] = &[
    ("unjoin", "leave"),
    ("quit", "leave"),
    ("volunteer", "join"),
    ("move", "phase"),
    ("status", "show"),
    ("info", "show"),
    ("view", "show"),
    ("details", "show"),
    ("rename", "edit"),
    ("handoff", "handover"),
    ("hand-over", "handover"),
    ("transfer", "handover"),
    ("combine", "merge"),
    ("duplicate", "merge"),
    ("post", "update"),
    ("progress", "update"),
    ("close", "phase"),
    ("archive", "phase"),
    ("retire", "phase"),
    ("delete", "phase"),
    ("cancel", "phase"),
    ("find", "search"),
    ("subscribe", "digest"),
    ("stats", "report"),
    ("statistics", "report"),
    ("figures", "report"),
    ("reporting", "report"),
    ("unsubscribe", "digest"),
    // Making someone the lead (`leader` was one slip from `leave`, which takes the asker off
    // the team). `lead` alone starts `lead-council`, and stays that.
    ("leader", "handover"),
    ("leads", "handover"),
];

/// Words a question starts with ("how do I pitch?"): asked, not mistyped, so answered with
/// the whole help (`how` was one slip from `show`, `whats` from `wants`).
const ASKING: &[&str] = &[
    "how", "what", "whats", "who", "why", "where", "when", "which", "can",
];

/// Whether `word` starts a question ([`ASKING`]; a `?` after it, an apostrophe in it).
pub(crate) fn is_asking(word: &str) -> bool {
    let asked = word
        .to_ascii_lowercase()
        .trim_end_matches('?')
        .replace(['\'', '\u{2019}'], "");
    ASKING.contains(&asked.as_str())
}

/// The subcommand whose work `word` names (`quit`: `leave`), if it is one of those words.
pub(crate) fn said_for(word: &str) -> Option<&'static str> {
    SAID_FOR
        .iter()
        .find(|(said, _)| said.eq_ignore_ascii_case(word))
        .map(|(_, sub)| *sub)
}

/// The subcommand an unknown word is most likely a slip for: one edit off in a word of up to
/// four letters, two in a longer one (a swap of neighbours is one edit), or the start of
/// exactly one subcommand (three letters or more). `None` when nothing is that close, or two
/// are equally close.
fn slip_for(word: &str) -> Option<&'static str> {
    let word = word.to_ascii_lowercase();
    if let Some(sub) = said_for(&word) {
        return Some(sub);
    }
    if is_asking(&word) {
        return None;
    }
    let len = word.chars().count();
    if len < 3 {
        return None;
    }
    let mut starting = topics().filter(|sub| sub.starts_with(&word));
    if let (Some(sub), None) = (starting.next(), starting.next()) {
        return Some(sub);
    }
    let allowed = if len <= 4 { 1 } else { 2 };
    let mut near: Vec<(usize, &'static str)> = topics()
        .map(|sub| (crate::domain::edit_distance(&word, sub), sub))
        .filter(|(d, _)| *d <= allowed)
        .collect();
    near.sort();
    match near.as_slice() {
        [(d, sub), (next, _), ..] if d < next => Some(sub),
        [(_, sub)] => Some(sub),
        _ => None,
    }
}

/// Parses the text of an `app_mention` addressed to `bot` (see [`mention_body`]) as the
/// slash-command grammar.
pub fn parse_mention(text: &str, bot: Option<&str>) -> Result<Command, ParseError> {
    parse(mention_body(text, bot))
}

/// What an `app_mention` says to the bot: the text after the leading `<@U…>` mentions up to
/// and including the bot's (`bot`, its user id), and a `:` or `,` after it ("@Makers: leave",
/// "@Sam @Makers, show 3"). Mentions after the bot's are what was said ("@Makers @Sam ran
/// the research" keeps Sam). If the bot's id is not known (`None`), or is not among the
/// leading mentions, every leading mention is dropped: in a channel shared by two
/// workspaces that both run the bot, Slack delivers the event once, for either, so the
/// bot mentioned may be the other installation's.
pub fn mention_body<'a>(text: &'a str, bot: Option<&str>) -> &'a str {
    let mut body = text.trim_start();
    for (id, rest) in leading(text) {
        body = rest;
        if bot.is_some_and(|bot| bot == id) {
            return rest;
        }
    }
    body
}

/// The user ids of the mentions `text` starts with (`<@U1> <@U2|sam>: hello`: U1, U2).
pub fn leading_mentions(text: &str) -> impl Iterator<Item = &str> {
    leading(text).map(|(id, _)| id)
}

/// The user ids of every mention in `text`, in order (`<@U1> hi <@U2|sam>`: U1, U2).
pub fn mentions(text: &str) -> impl Iterator<Item = &str> {
    text.split("<@").skip(1).filter_map(|after| {
        let (token, _) = after.split_once('>')?;
        token.split('|').next()
    })
}

/// The mentions `text` starts with, each as its user id and the text after it.
fn leading(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text.trim_start();
    std::iter::from_fn(move || {
        let after = rest.strip_prefix("<@")?;
        let end = after.find('>')?;
        let id = after[..end].split('|').next().unwrap_or_default();
        let tail = &after[end + 1..];
        rest = tail.strip_prefix([':', ',']).unwrap_or(tail).trim_start();
        Some((id, rest))
    })
}

/// Splits at the first `|` that is not inside a Slack token (`<https://x|docs>`,
/// `<@U0BOB|bob>`); `None` when there is no such `|`.
fn split_bar(text: &str) -> Option<(&str, &str)> {
    split_outside_tokens(text, '|')
}

/// `text` split at its first `sep` outside a Slack token (a link's label may hold one).
fn split_outside_tokens(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut at = 0;
    for piece in pieces(text) {
        if let Piece::Text(t) = piece
            && let Some(found) = t.find(sep)
        {
            return Some((&text[..at + found], &text[at + found + sep.len_utf8()..]));
        }
        at += piece.raw().len();
    }
    None
}

/// A title and its description: split at the `|`, or, typed over more than one line
/// (Shift+Enter) with no `|` on the first, at the end of the first line, the title. Not
/// where the first line is only a link or a mention (`<@U0BOB>`, then the idea): a title
/// naming nobody but a person is no title.
fn title_then_description(text: &str) -> Option<(&str, &str)> {
    let line = split_outside_tokens(text, '\n').filter(|(title, _)| {
        let mut parts = pieces(title.trim());
        let only_a_token = matches!(
            (parts.next(), parts.next()),
            (Some(Piece::Token { .. }), None)
        );
        !title.trim().is_empty() && !only_a_token
    });
    let bar = split_bar(text);
    match (line, bar) {
        (Some(line), Some(bar)) if line.0.len() < bar.0.len() => Some(line),
        (line, None) => line,
        (_, bar) => bar,
    }
}

fn parse_pitch(rest: &str) -> Result<Command, ParseError> {
    let (title, description) = title_then_description(rest).unwrap_or((rest, ""));
    // Announced, it would be a project called "<title>" for the whole channel to see.
    if title.trim().eq_ignore_ascii_case("<title>") {
        return Err(ParseError::PlaceholderTitle);
    }
    Ok(Command::Pitch {
        title: Title::parse(title)?,
        description: Description::parse(description)?,
    })
}

fn parse_list(rest: &str) -> Result<Command, ParseError> {
    let (rest, page) = page_of(rest);
    let (word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if word.eq_ignore_ascii_case("needs") {
        return Ok(Command::List(skills::parse_needs(after.trim())?, page));
    }
    if word.eq_ignore_ascii_case("council") {
        return match after.trim() {
            "" => Err(ParseError::MissingListCouncil),
            name => Ok(Command::ListCouncil(council_for("list", name)?, page)),
        };
    }
    // As people say them: `list all`, `list my projects`, `list private beta`, `list councils`.
    let filter = match bare_word(rest.trim_end()).to_ascii_lowercase().as_str() {
        "" | "all" | "open" | "projects" | "all projects" | "open projects" => ListFilter::Open,
        "mine" | "my" | "my projects" | "my teams" => ListFilter::Mine,
        "quiet" | "quiet projects" => ListFilter::Quiet,
        "councils" => return Ok(Command::Councils(page)),
        // What the asker's council re-uses, as the bot and people spell it.
        "reused" | "re-used" | "reuses" | "re-uses" | "reuse" | "re-use" | "reused projects"
        | "re-used projects" => return Ok(Command::ListReused(page)),
        _ => match read_phase(bare_word(rest.trim_end())) {
            Some((phase, "")) => ListFilter::Phase(phase),
            _ => return Err(ParseError::UnknownListFilter { got: clip(rest) }),
        },
    };
    Ok(Command::List(filter, page))
}

/// `list`'s words and the page asked for: `page N` at their end (1 to [`Page::MAX`]), or the
/// first. Anything else (`page 0`, `page two`) is left in the words, and answered as a list
/// that cannot be made.
fn page_of(rest: &str) -> (&str, Page) {
    let rest = rest.trim_end();
    let Some((before, number)) = rest.rsplit_once(char::is_whitespace) else {
        return (rest, Page::FIRST);
    };
    let before = before.trim_end();
    let (words, said) = match before.rsplit_once(char::is_whitespace) {
        Some((words, said)) => (words, said),
        None => ("", before),
    };
    // As a sentence ends it: `list page 2.`, `councils page 3!`
    let number = bare_word(number);
    let page = number.parse().ok().and_then(Page::new);
    match (said.eq_ignore_ascii_case("page"), page) {
        (true, Some(page)) => (words, page),
        _ => (rest, Page::FIRST),
    }
}

/// `show <address>` or `join <address>`: a catalogue address where the number goes, only
/// where it looks like one (a pasted link, or words joined by `-`, as a page's address is):
/// `show bins` is a word typed for a number, and `join <id>` the help's placeholder, each
/// answered as such.
fn listed(rest: &str, ask: ListedAsk) -> Option<Command> {
    let word = rest.trim();
    let word = match ask {
        ListedAsk::Show => word.strip_suffix('?').unwrap_or(word),
        ListedAsk::Join => word,
    };
    // Not the help's `<id>`: a placeholder, answered as one.
    let pasted_link = word.starts_with('<') && word.contains("://");
    if !pasted_link && (word.starts_with('<') || !looks_like_an_address(word)) {
        return None;
    }
    let service = listed_service(word)?;
    // `join 4-5`, `show 2024-25`: numbers, not a page's address (one made of digits alone is
    // typed `catalogue/311`, as its page says).
    let named = pasted_link
        || word.contains('/')
        || service.as_str().contains(|c: char| c.is_ascii_alphabetic());
    named.then_some(Command::Listed { service, ask })
}

/// Whether a word typed where a number goes looks like a catalogue address: a link, or words
/// joined by `-` or `/` as a page's address is (`bin-day-finder`, `catalogue/311`), not a
/// word of a title.
fn looks_like_an_address(word: &str) -> bool {
    word.starts_with('<') || word.contains(['-', '/'])
}

fn parse_reuse(rest: &str) -> Result<Command, ParseError> {
    let (head, note) = match split_bar(rest) {
        Some((h, n)) => (h, n.trim()),
        None => (rest, ""),
    };
    let note = match note {
        "" => None,
        n => Some(note_text(n)?),
    };
    if let Some(service) = listed_service(head) {
        return Ok(Command::ReuseListed { service, note });
    }
    // Words after the number or address and no bar: a note typed without its `|`.
    // Named back as it is best typed: the number, or the bare address of a pasted link. A
    // first word is taken for an address only where it looks like one (a link, or words
    // joined by `-`): `reuse bin day finder` is a title typed, not `bin` and a note.
    if let (None, Some((first, words))) = (&note, first_word(head))
        && let Some(named) = typed_number(first)
            .map(|n| n.get().to_string())
            .or_else(|| {
                looks_like_an_address(first)
                    .then(|| listed_service(first))
                    .flatten()
                    .map(|s| s.as_typed())
            })
    {
        return Err(ParseError::NoteWithoutBar {
            named,
            note: clip_marked(words),
        });
    }
    let project = project_ref("reuse", head)?;
    Ok(Command::Reuse { project, note })
}

/// `text`'s first word and the words after it, if any: a pasted link (`<…>`, which may hold
/// spaces in its label) is one word.
fn first_word(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let end = match text.starts_with('<') {
        // With the punctuation ending its sentence, which Slack leaves outside the token.
        true => {
            let end = text.find('>')? + 1;
            let after = &text[end..];
            end + after.len() - after.trim_start_matches(SENTENCE_END).len()
        }
        false => text.find(char::is_whitespace)?,
    };
    let (first, rest) = text.split_at(end);
    (!rest.trim().is_empty()).then(|| (first, rest.trim()))
}

/// What may end a sentence after an address, outside a link's token.
const SENTENCE_END: [char; 5] = ['.', ',', ';', ':', '!'];

/// A service in the catalogue named by its address, as one word: `bin-day-finder`, or its
/// page's link as pasted (`https://…/catalogue/bin-day-finder`, which Slack sends as
/// `<https://…|label>`). A project number is not one, nor is more than one word.
fn listed_service(text: &str) -> Option<Slug> {
    let word = text.trim();
    if word.is_empty() || word.contains(char::is_whitespace) && !word.starts_with('<') {
        return None;
    }
    if typed_number(word).is_some() {
        return None;
    }
    // An address ending a sentence: Slack leaves the full stop outside a link's token
    // (`<https://…/catalogue/slug>.`), as `LinkUrl::parse` lets it go. Not `?`: a question
    // after `reuse` is not acted on (`show`'s is let go by `listed`).
    let word = word.trim_end_matches(SENTENCE_END);
    // `catalogue/311`: an address that is a number (see `Slug::as_typed`).
    let word = word.strip_prefix("catalogue/").unwrap_or(word);
    // A pasted link: `<https://host/catalogue/slug>` or `<https://host/catalogue/slug|label>`.
    let address = match word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
        Some(inner) => inner.split('|').next().unwrap_or_default(),
        None => word,
    };
    if address.contains(char::is_whitespace) {
        return None;
    }
    let slug = match address.split_once("://") {
        Some((_, rest)) => {
            let path = rest.split(['?', '#']).next().unwrap_or_default();
            let (_, slug) = path.trim_end_matches('/').rsplit_once("/catalogue/")?;
            slug
        }
        None => address,
    };
    Slug::parse(&slug.to_ascii_lowercase())
}

fn parse_link(rest: &str) -> Result<Command, ParseError> {
    let (project, rest) = project_then("link", rest)?;
    let rest = rest.trim();
    let (kind, url) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let kind = kind
        .parse()
        .map_err(|()| ParseError::BadLinkKind { got: clip(kind) })?;
    let url = match url.trim() {
        "" => return Err(ParseError::MissingLinkUrl),
        none if none.eq_ignore_ascii_case("none") => None,
        url => Some(LinkUrl::parse(url)?),
    };
    Ok(Command::Link { project, kind, url })
}

fn parse_update(rest: &str) -> Result<Command, ParseError> {
    let (project, text) = project_then("update", rest)?;
    Ok(Command::Update {
        project,
        text: UpdateText::parse(after_bar(text))?,
    })
}

/// `correct <id> <text>`: the new words of the asker's latest update there.
fn parse_correct(rest: &str) -> Result<Command, ParseError> {
    let (project, text) = project_then("correct", rest)?;
    let text = UpdateText::parse(after_bar(text)).map_err(|e| match e {
        UserError::EmptyUpdate => ParseError::MissingCorrection(project),
        UserError::UpdateTooLong { max, got } => ParseError::CorrectionTooLong { max, got },
        e => e.into(),
    })?;
    Ok(Command::Correct { project, text })
}

/// An update's words without a `|` typed before them (`update 4 | Prototype is up`, as
/// `phase` and `reuse` take a note): the bar is not news. A bar further on is kept.
fn after_bar(text: &str) -> &str {
    let text = text.trim_start();
    text.strip_prefix('|').map_or(text, str::trim_start)
}

/// `edit <id> <title>` keeps the description; `edit <id> <title> | <description>` replaces
/// it (nothing after the `|` clears it), as `pitch` reads a title and a description;
/// `edit <id> | <description>` keeps the title.
fn parse_edit(rest: &str) -> Result<Command, ParseError> {
    // The number first: `edit 4`, Shift+Enter, then the title on its own line.
    let (project, after) = project_then("edit", rest)?;
    let (title, description) = match title_then_description(after) {
        Some((t, d)) => (t, Some(d)),
        None => (after, None),
    };
    let title = match (title.trim(), description.map(str::trim)) {
        // Nothing to change to (`edit 4`, `edit 4 |`).
        ("", None | Some("")) => return Err(ParseError::MissingNewTitle(project)),
        ("", Some(_)) => None,
        (title, _) => Some(Title::parse(title).map_err(|e| match e {
            UserError::TitleTooLong { max, got } => ParseError::EditedTitleTooLong { max, got },
            UserError::TitleMarkupTooLong { max, got } => {
                ParseError::EditedTitleMarkupTooLong { max, got }
            }
            UserError::TitleNamesSomeone => ParseError::EditedTitleNamesSomeone(project),
            e => e.into(),
        })?),
    };
    Ok(Command::Edit {
        project,
        title,
        description: description.map(Description::parse).transpose()?,
    })
}

fn parse_phase(rest: &str) -> Result<Command, ParseError> {
    let (head, note) = match split_bar(rest) {
        Some((h, n)) => (h, Some(n.trim())),
        None => (rest, None),
    };
    let (project, phase) = phase_of(head, note.is_some())?;
    let note = match note {
        Some(n) if !n.is_empty() => Some(note_text(n)?),
        _ => None,
    };
    Ok(Command::Phase {
        project,
        phase,
        note,
    })
}

/// The project and phase of `phase`'s words before any `|` (`noted`: a note follows them).
fn phase_of(head: &str, noted: bool) -> Result<(ProjectNumber, Phase), ParseError> {
    // `phase beta 4`: the phase said first ("beta for #4"), the number after it alone; with
    // words after the number (`phase beta 4 passed`), a note without its bar.
    if let Some((phase, after)) = read_phase(head.trim()) {
        if let Ok(project) = project_ref("phase", after) {
            return Ok((project, phase));
        }
        if let Ok((project, words)) = project_then("phase", after)
            && !noted
            && !words.trim().is_empty()
        {
            return Err(ParseError::PhaseNoteWithoutBar {
                project,
                phase,
                note: clip_marked(words.trim()),
            });
        }
    }
    let (project, phase_word) = project_then("phase", head)?;
    let phase_word = phase_word.trim();
    if phase_word.is_empty() {
        return Err(ParseError::MissingPhase);
    }
    match read_phase(phase_word) {
        Some((phase, "")) => Ok((project, phase)),
        // The phase was right; what follows it is a note without its bar.
        Some((phase, words)) if !noted => Err(ParseError::PhaseNoteWithoutBar {
            project,
            phase,
            note: clip_marked(words),
        }),
        _ => Err(ParseError::UnknownPhase {
            got: clip(phase_word),
        }),
    }
}

/// The phase `text` starts with, and the words after it: a phase's name in any case, or
/// what people say for one (GOV.UK's "private beta" and "public beta" are beta; "retirement"
/// is retired).
fn read_phase(text: &str) -> Option<(Phase, &str)> {
    // "phase 4 to beta", as people say a move.
    if let Some((first, rest)) = text.split_once(char::is_whitespace)
        && ["to", "into"].iter().any(|w| first.eq_ignore_ascii_case(w))
    {
        return phase_named(rest.trim_start());
    }
    phase_named(text)
}

/// [`read_phase`] with the phase's name first.
fn phase_named(text: &str) -> Option<(Phase, &str)> {
    let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let (first, rest) = (bare_word(first), rest.trim_start());
    if let Ok(phase) = first.parse::<Phase>() {
        return Some((phase, rest));
    }
    if first.eq_ignore_ascii_case("retirement") {
        return Some((Phase::Retired, rest));
    }
    let (second, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let second = bare_word(second);
    let qualified = ["private", "public"]
        .iter()
        .any(|q| first.eq_ignore_ascii_case(q));
    (qualified && second.eq_ignore_ascii_case("beta")).then(|| (Phase::Beta, after.trim_start()))
}

/// A note (`phase`'s, `reuse`'s): an update's words, but one replaces another, so one too
/// long is said as a note's.
fn note_text(text: &str) -> Result<UpdateText, ParseError> {
    UpdateText::parse(text).map_err(|e| match e {
        UserError::UpdateTooLong { max, got } => ParseError::NoteTooLong { max, got },
        e => e.into(),
    })
}

/// `name` as the council `sub` (`list`, `lead-council`) names: words that name no council
/// are said with that command's example.
fn council_for(sub: &str, name: &str) -> Result<CouncilName, ParseError> {
    CouncilName::parse(name).map_err(|e| match e {
        UserError::CouncilNotAName => ParseError::NotACouncilName {
            sub: sub.to_string(),
        },
        e => e.into(),
    })
}

/// A word as it ends a sentence or a clause, without that punctuation: `live.`, `beta,`,
/// `mine!`. For words the bot knows (a phase, a list's filter, a command), which hold none.
/// Not a question: `@Makers withdraw?` wonders, and is not done (nor `phase live?`).
pub(super) fn bare_word(word: &str) -> &str {
    word.trim_end_matches(['.', ',', '!', ':', ';'])
}

/// The command's word as people type it in a sentence: `list.`, `pitch: Bin day finder`,
/// and a question mark after a word that only looks (`help?`, `councils?`); a question
/// after one that changes something (`withdraw?`) wonders, and is answered with its help.
pub fn command_word(word: &str) -> &str {
    let word = bare_word(word);
    match word.strip_suffix('?').map(bare_word) {
        Some(asked) if ASKED.iter().any(|w| asked.eq_ignore_ascii_case(w)) => asked,
        _ => word,
    }
}

/// The commands that change nothing, which a question mark may follow.
const ASKED: &[&str] = &["help", "list", "show", "search", "councils", "privacy"];

/// A project's number as people type it in a sentence: `12` or `#12`, and with the
/// punctuation that may follow it (`update 4: prototype up`, `join 4,`, `show #12.`).
pub(super) fn typed_number(word: &str) -> Option<ProjectNumber> {
    let word = crate::domain::unmarked(word);
    let word = word
        .strip_suffix([':', ',', '.', ';', '!'])
        .filter(|w| !w.ends_with(['.', ':']))
        .unwrap_or(&word);
    ProjectNumber::parse(word)
}

/// `rest` without a leading "project" where something follows it (`show project 4`; in
/// `show project bins` the word named back, and searched for, is `bins`).
fn without_project_word(rest: &str) -> &str {
    let rest = rest.trim_start();
    match rest.split_once(char::is_whitespace) {
        Some((word, after)) if word.eq_ignore_ascii_case("project") && !after.trim().is_empty() => {
            after.trim_start()
        }
        _ => rest,
    }
}

/// A project reference followed by free text.
fn project_then<'a>(
    sub: &'static str,
    rest: &'a str,
) -> Result<(ProjectNumber, &'a str), ParseError> {
    let rest = without_project_word(rest);
    let (first, text) = match rest.split_once(char::is_whitespace) {
        Some((f, t)) => (f, t),
        None => (rest, ""),
    };
    if first.is_empty() {
        return Err(ParseError::MissingProject { sub: sub.into() });
    }
    // The number stuck to its bar (`update 4|Prototype is up`): the bar and what follows
    // are the text, as with spaces round the bar (`after_bar` drops it). Not a bar inside a
    // token (a link's label).
    if let Some((before, _)) = split_bar(first)
        && let Some(number) = typed_number(before)
    {
        return Ok((number, &rest[before.len()..]));
    }
    let number = typed_number(first).ok_or_else(|| ParseError::BadProjectRef {
        sub: sub.into(),
        got: clip(first),
    })?;
    Ok((number, text))
}

/// What the user typed, to name back in an error: at most 40 characters, without control,
/// bidirectional-override or invisible characters (only the typer sees it, but an ESC or a
/// right-to-left override would garble the answer).
fn clip(s: &str) -> String {
    crate::domain::strip_invisible(s, false)
        .chars()
        .take(40)
        .collect()
}

/// [`clip`], ending with "…" where it cut: for words offered back to be copied (a note
/// without its bar), which must not look whole when they are not.
fn clip_marked(s: &str) -> String {
    let clipped = clip(s);
    match crate::domain::strip_invisible(s, false).chars().count() > clipped.chars().count() {
        true => clipped.chars().take(39).chain(['…']).collect(),
        false => clipped,
    }
}

/// `lead-council <id> <council name>`.
fn parse_lead_council(rest: &str) -> Result<Command, ParseError> {
    let rest = without_project_word(rest);
    let (first, name) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let project = project_ref("lead-council", first)?;
    if name.trim().is_empty() {
        return Err(ParseError::MissingLeadCouncil);
    }
    let council = council_for("lead-council", name.trim())?;
    Ok(Command::LeadCouncil { project, council })
}

/// `merge <id> into <id>` ("with", "to" or nothing between them, as people say it).
fn parse_merge(rest: &str) -> Result<Command, ParseError> {
    /// The words people put between the two projects.
    const BETWEEN: [&str; 3] = ["into", "with", "to"];
    let between = |word: &str| BETWEEN.iter().any(|w| w.eq_ignore_ascii_case(word));
    let rest = without_project_word(rest);
    let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let project = project_ref("merge", first)?;
    let after = after.trim();
    let target = match after.split_once(char::is_whitespace) {
        Some((word, target)) if between(word) => target.trim(),
        _ if between(after) => "",
        _ => after,
    };
    if target.is_empty() {
        return Err(ParseError::MissingMergeTarget(project));
    }
    let into = project_ref("merge", target)?;
    Ok(Command::Merge { project, into })
}

/// `remove <id> <@U…>` and `handover <id> <@U…>`: the person as Slack sends an @-mention in
/// a command's text (`<@U0BOB|bob>`, or `<@U0BOB>`), nothing after it.
fn person_command(sub: &'static str, rest: &str) -> Result<(ProjectNumber, UserId), ParseError> {
    let rest = without_project_word(rest);
    let (first, person) = match rest.split_once(char::is_whitespace) {
        Some((first, person)) => (first, person.trim()),
        None => (rest, ""),
    };
    let project = project_ref(sub, first)?;
    // "handover 4 to @sam", as people say it.
    let person = match sub {
        "handover" => person
            .strip_prefix("to ")
            .or_else(|| person.strip_prefix("To "))
            .map_or(person, str::trim_start),
        _ => person,
    };
    // `remove 4 @sam.`: the sentence's end, after the mention Slack sent.
    let person = person.trim_end_matches(['.', ',', '!', ';']).trim_end();
    let mut parts = pieces(person);
    let user = match (parts.next(), parts.next()) {
        (
            Some(Piece::Token {
                token: Token::User { id, .. },
                ..
            }),
            None,
        ) => Some(id),
        _ => None,
    }
    .filter(|id| id.starts_with(['U', 'W']))
    .and_then(UserId::parse)
    .ok_or_else(|| ParseError::MissingPerson {
        sub: sub.into(),
        got: clip(person),
    })?;
    Ok((project, user))
}

fn project_ref(sub: &'static str, rest: &str) -> Result<ProjectNumber, ParseError> {
    let rest = without_project_word(rest);
    let mut words = rest.split_whitespace();
    let Some(first) = words.next() else {
        return Err(ParseError::MissingProject { sub: sub.into() });
    };
    // `show #4?` asks; a question after a number that changes something wonders (see
    // [`command_word`]).
    let first = match sub {
        "show" => first.strip_suffix('?').unwrap_or(first),
        _ => first,
    };
    let number = typed_number(first).ok_or_else(|| ParseError::BadProjectRef {
        sub: sub.into(),
        got: clip(first),
    })?;
    match words.next() {
        None => Ok(number),
        Some(_) => Err(ParseError::UnexpectedWords {
            sub: sub.into(),
            got: clip(rest),
        }),
    }
}
