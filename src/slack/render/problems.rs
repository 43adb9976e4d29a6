//! The words for every [`Problem`]: what a user is told when a request comes to nothing.
//! (Escaped where it is shown, like all text; these name what the user typed.)

use super::{Look, code, without_marks};
use crate::domain::{BadLink, ParseError, Phase, Problem, UserError};

/// What the user sees when something went wrong on our side.
pub const INTERNAL_ERROR_TEXT: &str = "Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.";

/// Under a submitted form's first field when we could not read the submission: the form
/// stays open with what was typed in it, rather than close and lose it.
pub const FORM_UNREADABLE_TEXT: &str = "Sorry, we could not read this form on our side, so nothing was saved. What you typed is still here: copy it before you close the form, and tell whoever runs the bot.";

/// The text for `problem` (plain words, escaped by the caller), in `look`: the configured
/// reaction that joins a team, and where to reach whoever runs Makers.
pub fn problem_text(problem: &Problem, look: &Look) -> String {
    match problem {
        Problem::Parse { error } => unparsed(error, &look.join_emoji, &look.contact_words()),
        Problem::Refused { error } => refused(error, &look.join_emoji, &look.contact_words()),
        Problem::Worded { text } => text.clone(),
    }
}

/// A whole example of the command `sub` (a project number and what must follow it).
fn example(sub: &str) -> String {
    let after = match sub {
        "update" => " Prototype is up",
        "correct" => " Prototype is up on the test site",
        "edit" => " Bin day finder",
        "phase" => " beta",
        "link" => " code https://github.com/…",
        "wants" => " developer",
        "remove" | "handover" => " @person",
        "lead-council" => " Waverley Borough Council",
        "merge" => " into 4",
        _ => "",
    };
    format!("/makers {sub} 12{after}")
}

/// A project number for an example beside project `n`: not `n` itself.
fn another(n: crate::domain::ProjectNumber) -> u32 {
    if n.get() == 4 { 5 } else { 4 }
}

/// A note offered back in a command to copy: as typed, or, where it was too long to name
/// back and was cut ("…"), a place for it (a copy would record the cut note).
fn copyable(note: &str) -> &str {
    match note.ends_with('…') {
        true => "<your note>",
        false => note,
    }
}

/// The text for a text that did not parse as a command.
fn unparsed(e: &ParseError, join_emoji: &str, contact: &str) -> String {
    match e {
        ParseError::MissingProject { sub } => format!(
            "Which project? Try `{}` (or `#12`); `/makers list` shows the numbers.",
            example(sub)
        ),
        // `join @sam`: a person (or a channel) where the number goes, shown as raw markup if
        // named back.
        ParseError::BadProjectRef { sub, got } if got.starts_with("<@") || got.starts_with("<#") => format!(
            "`/makers {sub}` takes a project's number, not a person or a channel: try `{}` (or `#12`). `/makers list` shows the numbers.",
            example(sub)
        ),
        // `show https://…/catalogue/…` is a service named by its address (`Command::Listed`):
        // this is another address, or another command's.
        ParseError::BadProjectRef { sub, got } if got.starts_with("<http") => {
            let pages = match sub.as_str() {
                "show" | "join" => " (or a public catalogue page's address)",
                _ => "",
            };
            format!(
                "`/makers {sub}` takes a project's number{pages}, not this address: try `{}` (or `#12`); `/makers list` shows the numbers. A service in the public catalogue is re-used with `/makers reuse <its address>`.",
                example(sub)
            )
        }
        // `join 4?`: a question after a number that would change something is not acted on.
        // (Said so for a command of the number alone: `/makers phase 4` would be refused.)
        ParseError::BadProjectRef { sub, got }
            if asked_about(got).is_some() && NUMBER_ALONE.contains(&sub.as_str()) =>
        {
            let n = asked_about(got).map_or(0, crate::domain::ProjectNumber::get);
            format!("I don't act on a question: to {sub} project #{n}, type `/makers {sub} {n}`.")
        }
        // `join <id>`, copied from the help: the placeholder, not a word to search for.
        ParseError::BadProjectRef { sub, got } if got.starts_with('<') => format!(
            "Put the project's number in place of {}: try `{}` (or `#12`). `/makers list` shows the numbers.",
            code(got),
            example(sub)
        ),
        ParseError::BadProjectRef { sub, got } => {
            // A word where the number goes is likely the project's name: say how to find it,
            // where a search of it would look for anything ("my" and "the" it would not).
            // Any script's digits: a search of `１２` finds no project numbered 12.
            let searchable = !got.chars().any(char::is_numeric)
                && crate::domain::SearchWords::parse(got).is_ok();
            let find = match searchable {
                true => format!(" {} finds a project's number.", code(&format!("/makers search {got}"))),
                false => " `/makers list` shows the numbers.".to_string(),
            };
            format!(
                "{} is not a project number. Try `{}` (or `#12`).{find}",
                code(got),
                example(sub)
            )
        }
        ParseError::TakesNothing { sub, got } => {
            format!("`/makers {sub}` takes nothing after it (I got {}).", code(got))
        }
        ParseError::NoteWithoutBar { named, note } => format!(
            "A note goes after a `|`: try {}. Nothing was recorded.",
            code(&format!("/makers reuse {named} | {}", copyable(note)))
        ),
        ParseError::PhaseNoteWithoutBar {
            project,
            phase,
            note,
        } => format!(
            "A note goes after a `|`: try {}. Nothing was recorded.",
            code(&format!("/makers phase {} {phase} | {}", project.get(), copyable(note)))
        ),
        // `join 4 @sam`: nobody is joined by someone else.
        ParseError::UnexpectedWords { sub, got } if sub == "join" && got.contains("<@") => "Everyone joins for themselves: send them `/makers join 12` (with the project's number), or point them to its announcement.".to_string(),
        ParseError::UnexpectedWords { sub, got } if sub == "leave" && got.contains("<@") => "`/makers leave 12` takes you off a team. To take someone else off, whoever leads it uses `/makers remove 12 @person`.".to_string(),
        ParseError::UnexpectedWords { sub, .. } if sub == "merge" => format!(
            "`/makers merge` takes two project numbers and nothing after them, e.g. `{}` (12 joins 4's team). Nothing was changed.",
            example(sub)
        ),
        // Slack's markup for a mention or a link would show as typed: not named back.
        ParseError::UnexpectedWords { sub, got } if got.contains('<') => format!(
            "`/makers {sub}` takes one project number and nothing after it, e.g. `/makers {sub} 12`."
        ),
        ParseError::UnexpectedWords { sub, got } => format!(
            "`/makers {sub}` takes one project number and nothing after it, e.g. `/makers {sub} 12` (I got {}).",
            code(got)
        ),
        ParseError::MissingNewTitle(n) => format!(
            "What should project {n} be called? Try `/makers edit {} Bin day finder`, and after a `|` a new description if it needs one (`/makers edit {} | …` changes the description alone).",
            n.get(),
            n.get()
        ),
        ParseError::PlaceholderTitle => "Put your project's title in place of `<title>`, e.g. `/makers pitch Bin day finder | One place to check your bin day`. Nothing was recorded.".to_string(),
        ParseError::MissingPhase => {
            "Which phase? Try `/makers phase 12 beta` (discovery, alpha, beta, live or retired)."
                .to_string()
        }
        ParseError::UnknownPhase { got } => format!(
            "{} is not a phase. Use discovery, alpha, beta, live or retired, e.g. `/makers phase 12 beta`.",
            code(got)
        ),
        ParseError::UnknownListFilter { got } => format!(
            "I can't list {}. Try `/makers list`, `/makers list beta`, `/makers list mine`, `/makers list quiet`, `/makers list reused` or `/makers list council Waverley`.",
            code(got)
        ),
        ParseError::BadReportSpan { got } => format!(
            "I can't tell which days {} means. Try `/makers report last quarter`, `/makers report Q2`, `/makers report April`, `/makers report year` (the financial year, from 1 April), `/makers report last 30 days`, or dates such as `/makers report 2026-04-01 to 2026-06-30`. For one council's part, put `for` and its name after the period: `/makers report last quarter for Waverley`.",
            code(got)
        ),
        ParseError::BadDigestTime { got } => format!(
            "I can't read {} as a day and time. Try `/makers digest monday 09:00` (or `off`, or `preview`).",
            code(got)
        ),
        ParseError::BadLinkKind { got } if got.is_empty() => "Which link? Try `/makers link 12 code https://github.com/…` (code, service or docs).".to_string(),
        // `link 12 https://…`: the address first, its kind left out.
        ParseError::BadLinkKind { got } if got.starts_with('<') || got.starts_with("http") => "Say which kind of link it is before its address: `/makers link 12 code https://github.com/…` (code, service or docs).".to_string(),
        ParseError::BadLinkKind { got } => format!(
            "{} is not a kind of link I keep. Use code, service or docs, e.g. `/makers link 12 docs https://…`.",
            code(got)
        ),
        ParseError::MissingLinkUrl => "Which address? Try `/makers link 12 code https://github.com/…`, or `none` to remove that link.".to_string(),
        ParseError::UnknownSkill { got } => format!(
            "{} is not one of the skills I know. Use {}, e.g. `developer, user research` (`/makers help skills` says more).",
            code(got),
            super::skills::choices()
        ),
        ParseError::MissingSkills { sub } if sub == "list needs" => format!(
            "Which skill? Try `/makers list needs developer` (or {}).",
            super::skills::choices()
        ),
        ParseError::MissingSkills { sub } if sub == "wants" => "Which skills? Try `/makers wants 12 developer, user research`, or `/makers wants 12 none` to clear them.".to_string(),
        ParseError::MissingSkills { sub } => format!(
            "Which skills? Try `/makers {sub} developer, user research`, or `/makers {sub} none` to clear them."
        ),
        ParseError::OneSkillAtATime => "One skill at a time, please: for example `/makers list needs developer`.".to_string(),
        ParseError::MissingPerson { sub, got } => {
            let ask = match sub.as_str() {
                "handover" => "Who should lead it?",
                _ => "Who should I take off the team?",
            };
            match got.is_empty() {
                true => format!(
                    "{ask} Name them as an @-mention: `/makers {sub} 12 @sam`."
                ),
                // An @-mention with other words: shown in code, it would read as Slack's
                // markup (`<@U0SAM|sam>`), and telling them to @-mention would be wrong.
                false if got.contains("<@") => format!(
                    "{ask} Name them alone after the project's number, as an @-mention with nothing else, for example `/makers {sub} 12 @sam`. Nothing was changed."
                ),
                false => format!(
                    "I couldn't tell who {} is: name them as an @-mention (type @ and pick them), for example `/makers {sub} 12 @sam`.",
                    code(got)
                ),
            }
        }
        ParseError::MissingMergeTarget(n) => format!(
            "Which project does {n} carry on as? For example `/makers merge {} into {}`: {n} would be retired, and its team told how to join the other.",
            n.get(),
            another(*n)
        ),
        ParseError::MergeWhichWay { number, thread } => format!(
            "Which way? `@makers merge into {}` retires {thread} and carries it on as {number}; `@makers merge {} into {}`, the other way round. The team of the one retired is told how to join the other.",
            number.get(),
            number.get(),
            thread.get()
        ),
        ParseError::MissingLeadCouncil => "Which council leads it? For example `/makers lead-council 12 Guildford Borough Council`.".to_string(),
        ParseError::MissingListCouncil => "Which council? For example `/makers list council Guildford Borough Council`.".to_string(),
        ParseError::NotACouncilName { sub } => {
            let (example, changed) = match sub.as_str() {
                "lead-council" => ("/makers lead-council 12 Guildford Borough Council", " Nothing was changed."),
                "report" => ("/makers report last quarter for Guildford Borough Council", ""),
                _ => ("/makers list council Guildford Borough Council", ""),
            };
            format!("That doesn't name a council: please give its name, for example `{example}`.{changed}")
        }
        ParseError::MissingCorrection(n) => format!(
            "What should your latest update on project {n} say now? For example `/makers correct {} Prototype is up, feedback welcome`: the new words replace it.",
            n.get()
        ),
        ParseError::NoteTooLong { max, got } => format!(
            "That note is {got} characters long; please keep it to {max}. Nothing was recorded."
        ),
        ParseError::EditedTitleTooLong { max, got } => format!(
            "That title is {got} characters long; please keep it to {max}. Nothing was changed. (Words after a `|` would replace the whole description.)"
        ),
        ParseError::EditedTitleMarkupTooLong { max, got } => format!(
            "That title's links and mentions make it {got} characters long as Slack sends it to me, and I keep at most {max}: please shorten a link. Nothing was changed. (Words after a `|` would replace the whole description.)"
        ),
        // Not an example of `| with @sam`: in `edit` the words after a `|` replace the whole
        // description, so following it would lose the description for those few words.
        ParseError::EditedTitleNamesSomeone(n) => format!(
            "A title can't name people (or channels): it is shown in every list and digest, where a mention would notify them each time. Give the title without them, for example `/makers edit {} Bin day finder`. Words after a `|` replace the whole description, so to name someone there, give the whole description with them in it. Nothing was changed.",
            n.get()
        ),
        ParseError::CorrectionTooLong { max, got } => format!(
            "That correction is {got} characters long; please keep it to {max}: it replaces your latest update. Nothing was changed."
        ),
        ParseError::SlipInThread { word, sub, project } => format!(
            "I don't know {}, so I didn't record it as the team's news (your message stays in the thread). {} If {} is the team's news, {} posts it.",
            code(word),
            meant_in_thread(sub, *project),
            code(word),
            code(&format!("@makers update {word}"))
        ),
        ParseError::Invalid(e) => refused(e, join_emoji, contact),
    }
}

/// The command `sub` offered after a slip in `project`'s thread, as it works there: by
/// mention a command a thread reads as news would be posted as news, and `edit` or
/// `correct` without a number likewise.
fn meant_in_thread(sub: &str, project: Option<crate::domain::ProjectNumber>) -> String {
    let then = match sub {
        "edit" => "the new title",
        "correct" => "the new words",
        _ if super::thread_words::CHANNEL_ONLY.contains(&sub) => {
            return format!(
                "Did you mean `/makers {sub}`? Type it in the channel (not in a thread): in a pitch's thread, what you write after it may be read as the team's news."
            );
        }
        _ => {
            return format!(
                "Did you mean `@makers {sub}`? (In a pitch's thread it needs no project number.)"
            );
        }
    };
    let number = project.map_or("<number>".to_string(), |n| n.get().to_string());
    format!(
        "Did you mean `@makers {sub} {number}` and {then}? (It needs the project's number, even in its thread.)"
    )
}

/// The text for a request the rules refuse.
/// `contact`: " (<how to reach whoever runs Makers>)", or nothing ([`Look::contact_words`]).
fn refused(e: &UserError, join_emoji: &str, contact: &str) -> String {
    match e {
        UserError::EmptyTitle => "A pitch needs a title, for example `/makers pitch Bin day finder | One app for every council`. (`/makers pitch` alone, or the *Pitch a project* shortcut, opens a form.)".to_string(),
        UserError::TitleTooLong { max, got } => format!("That title is {got} characters long; please keep it to {max} and put the rest in the description after `|`."
        ),
        UserError::TitleMarkupTooLong { max, got } => format!("That title's links and mentions make it {got} characters long as Slack sends it to me, and I keep at most {max}: please shorten a link, or put it in the description after `|`. Nothing was recorded."),
        UserError::DescriptionMarkupTooLong { max, got } => format!("That description's links and mentions make it {got} characters long as Slack sends it to me, and I keep at most {max}: please leave some links out (you can post them later as updates). Nothing was recorded."),
        UserError::TitleNamesSomeone => "Please name people (and channels) in the description, after a `|`, not in the title: a title is shown in every list and digest, where a mention would notify them each time, so I could only write \"someone\" there. For example `/makers pitch Bin day finder | with @sam`. Nothing was recorded.".to_string(),
        UserError::DescriptionTooLong { max, got } => format!("That description is {got} characters long; please keep it to {max}. You can post more later as updates."
        ),
        UserError::MergeIntoItself(n) => format!("Project {n} can't be merged into itself: name the project that does the same thing, for example `/makers merge {} into {}`. `/makers search <words>` finds it.", n.get(), another(*n)),
        UserError::MergeIntoRetired { number, into, back_to: _, carries_on: Some(now) } => format!("Project {into} is retired: it was merged into {now}, where its work carries on, so `/makers merge {} into {}` carries {number} on there too. Nothing was changed.", number.get(), now.get()),
        UserError::MergeIntoRetired { number, into, back_to, carries_on: None } => format!("Project {into} is retired, so {number} can't carry on there. Merge it into an open project, or bring {into} back first (`/makers phase {} {back_to}`). Nothing was changed.", into.get()),
        UserError::MergeAcrossPrivate { number, into, private } => {
            let other = if private == number { into } else { number };
            format!("I can't merge {number} into {into}: {private} was pitched in a private channel, and {other} in another channel, whose members would read its name in {other}'s thread. Nothing was changed.")
        }
        UserError::MergeInSharedChannel { number, into } => format!("I can't merge {number} into {into} from here: this channel is shared with another organisation, and the two were pitched in different channels, so the line in each pitch's thread would name the other project to people it was not shown to. `/makers merge {} into {}` in your own workspace does it. Nothing was changed.", number.get(), into.get()),
        UserError::MergeAcrossShared { number, into, shared } => {
            let other = if shared == number { into } else { number };
            format!("I can't merge {number} into {into}: {shared} was pitched in a channel shared with another workspace or organisation, and {other} in a different channel, so the line in each pitch's thread would name the other project to people it was not shown to. To end {number} without naming {into}: `/makers phase {} retired`. Nothing was changed.", number.get())
        }
        UserError::AlreadyMerged { number, into } => format!("Project {number} is merged into {into} already: nothing was changed."),
        UserError::MergedElsewhere { number, into, back_to } => format!("Project {number} is merged into {into} already. To merge it into another, bring it back first (`/makers phase {} {back_to}`), then merge it. Nothing was changed.", number.get()),
        UserError::MergeWrongWay { number, into } => format!("Only the team of project {number} can merge it into another: it is the one that is retired. You're in {into}'s team: if {into} is the one to retire, `/makers merge {} into {}` does it. Nothing was changed.", into.get(), number.get()),
        UserError::ProjectMerged { number, into, title } => format!(
            "Project {number} was merged into *{into}: {}*, which does the same thing: its team carries on there. `/makers join {}` joins it.",
            // As a reader sees it (a link's label), unescaped: the whole answer is escaped.
            super::plain::plain_text(&super::title_text(title)),
            into.get()
        ),
        UserError::NoSuchProject(n) => format!("There is no project {n} in this workspace. `/makers list` shows the open ones."
        ),
        UserError::DigestBySlashInSharedChannel => "This channel is shared with another organisation, so its weekly digest of the workspace's news is turned on, moved or off only with `/makers digest` typed in the channel (not in a thread), which the workspace's own people can run here, not by mention. Nothing was changed.".to_string(),
        UserError::NotShownInSharedChannel(n) => format!("This channel is shared with another organisation, so by mention here I show only the projects pitched in it, and project {n} was pitched elsewhere. If you're in its workspace, `/makers show {}` typed in the channel (not in a thread) shows it to you alone.", n.get()),
        UserError::PrivateProject(n) => format!("Project {n} was pitched in a private channel, so I show it only there and to its team (and answer a mention about it elsewhere, which the whole channel would read, only there). If you're in that channel, ask about it or join it there; in its team, `/makers` works anywhere, since only you see its answers."
        ),
        UserError::CannotPitchHere => "Please pitch in a channel, so people from other councils can see it and join.".to_string(),
        UserError::NotServedHere => format!("Makers is not set up for this workspace (it was not installed here through its install page, or has been removed), so I can't do anything here and nothing was recorded. Whoever looks after Slack apps here can install it again, or ask the people who run Makers{contact}."),
        UserError::ProjectRetired(n, phase) => format!("Project {n} is {phase}, so it is not taking new members. `/makers list` shows the open ones."
        ),
        UserError::EmptyCouncil => "Which council? For example `/makers council Guildford Borough Council`.".to_string(),
        UserError::NoSuchCouncil { typed, near } => no_such_council(typed, near, "list council"),
        UserError::ReportNoSuchCouncil {
            typed,
            near,
            period,
        } => {
            let command = period.as_ref().map_or("report for".into(), |p| format!("report {p} for"));
            no_such_council(typed, near, &command)
        }
        UserError::TooManyChanges { wait_secs } => format!(
            "You've made a lot of changes in a short time, so I'm pausing yours for a moment. This one was not recorded; everything before it was. Please try again in {} second{}.",
            wait_secs,
            if *wait_secs == 1 { "" } else { "s" }
        ),
        UserError::ReportInFuture { from } => format!(
            "{} has not come yet, so there is nothing to count. Try `/makers report` for this quarter so far, or a period that has begun, such as `/makers report last quarter`.",
            chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d")
                .map_or_else(|_| from.clone(), |d| d.format("%-d %B %Y").to_string())
        ),
        UserError::ReportCouncilFirst => "I don't know which council you work for yet. Tell me with `/makers council <name>`, or name one: `/makers report for Waverley`.".to_string(),
        UserError::ReportInSharedChannel => "A report counts every project of this workspace, and this channel is shared with another organisation, so by mention I don't give one here. If you're in this workspace, `/makers report` typed in the channel (not in a thread) gives it to you alone.".to_string(),
        UserError::TooManyAsks { wait_secs } => format!(
            "You've asked me a lot in a short time, so I'm pausing my answers to you for a moment. Please try again in {} second{}.",
            wait_secs,
            if *wait_secs == 1 { "" } else { "s" }
        ),
        UserError::NothingVisible => "That has no characters anyone could see (only spaces, zero-width or control characters), so nothing was recorded. Please type it again in plain words.".to_string(),
        UserError::EmptyUpdate => "What's the news? For example `/makers update 12 Prototype is up, feedback welcome`.".to_string(),
        UserError::UpdateTooLong { max, got } => format!("That update is {got} characters long; please keep it to {max} (or post it in two)."
        ),
        UserError::NotInTeam(n) => format!("Only the team can post on or change project {n}. Join it first with `/makers join {}` (or react with :{join_emoji}: to its announcement).",
            n.get()
        ),
        UserError::NotInRetiredTeam(n) => format!("Only the team can post on or change project {n}, and it is retired, so it is not taking new members. `/makers list` shows the open ones."),
        UserError::AlreadyInPhase(n, Phase::Retired) => format!("Project {n} is already retired."),
        UserError::AlreadyInPhase(n, phase) => format!("Project {n} is already in {phase}."),
        UserError::CouncilAmbiguous { choices: [one, other] } => format!(
            "Two councils go by that name: *{one}* and *{other}*. Which do you mean? Please give its name in full. Nothing was changed."
        ),
        UserError::CouncilNotAName => "That doesn't name a council: please give its name, for example `/makers council Guildford Borough Council`.".to_string(),
        UserError::CouncilSaysNone => "That says no council, and no council is called that: please give a council's name, for example `Guildford Borough Council`. Nothing was changed.".to_string(),
        UserError::OwnCouncilSaysNone => "That says no council, so nothing was recorded: please give your council's name, for example `/makers council Guildford Borough Council`. (To have a council you told me forgotten, `/makers forget me` forgets it, with everything else about you.)".to_string(),
        UserError::EmptySearch => "What should I look for? Words too common to tell projects apart, such as “the” or “it” (and so “IT”: the search cannot tell them apart), are left out. Add a word that says what it does, for example `/makers search IT helpdesk` or `/makers search bin collection day`.".to_string(),
        UserError::SearchTooBroad { words } => format!(
            "So many projects and updates hold “{words}” that I couldn't rank them in time. Please search for fewer words, and rarer ones: a service's or a system's name, or a place, for example `/makers search bin collection` or `/makers search Salesforce`.",
        ),
        UserError::CouncilFirst => "Re-use is recorded for your council, and I don't know which council you work for yet. Tell me with `/makers council <name>`, then try again. Nothing was recorded.".to_string(),
        UserError::CouncilFirstThen { again } => format!(
            "Re-use is recorded for your council, and I don't know which council you work for yet. Tell me with `/makers council <name>`, then {} again. Nothing was recorded.",
            code(&format!("/makers {again}"))
        ),
        UserError::OwnProject(n) => format!(
            "Project {n} is led by your council, so it's your council's own work: re-use is for other councils' projects."
        ),
        UserError::NotInCatalogue(slug) => format!(
            "No service in the public catalogue is at `{slug}`: its page's address ends with it (…/catalogue/bin-day-finder). A project of this workspace is named by its number (`/makers list` shows them)."
        ),
        UserError::OwnService(slug) => format!(
            "`{slug}` is led by your council, so it's your council's own work: re-use is for other councils' services. (`/makers councils` shows the give and take.)"
        ),
        UserError::RetiredService(slug) => format!(
            "`{slug}` is retired, so it can't be newly re-used. `/makers list` shows this workspace's open projects, the catalogue every workspace's."
        ),
        UserError::ReuseSaidElsewhere { council } => format!(
            "{}'s re-use of it was said in another Slack workspace, so it's changed or withdrawn there, or by whoever said it. Nothing was changed.",
            council
        ),
        UserError::ReuseMerged {
            number,
            into,
            offer_reuse,
        } => format!(
            "Project {number} is retired: it was merged into project {into}, where its work carries on.{} Nothing was recorded.",
            reuse_offer(&into.get().to_string(), *offer_reuse)
        ),
        UserError::ReuseMergedService {
            service,
            into,
            offer_reuse,
        } => format!(
            // As typed (`catalogue/311`): a bare number would name a project of the asker's
            // own workspace, and `reuse 311` re-use it.
            "`{service}` is retired: it was merged into `{}`, where its work carries on.{} Nothing was recorded.",
            into.as_typed(),
            reuse_offer(&into.as_typed(), *offer_reuse)
        ),
        UserError::RetiredNotReusable(n) => format!(
            "Project {n} is retired, so it can't be newly re-used. `/makers list` shows the open ones."
        ),
        UserError::BadLink(why) => bad_link(*why),
        UserError::OnlyThePitcherRemoves(n) => format!(
            "Only whoever leads project {n} (`/makers show {}` says who) can take someone else off its team. To leave it yourself: `/makers leave {}`.",
            n.get(),
            n.get()
        ),
        UserError::OnlyTheLeadRemoves(n) => format!(
            "Only whoever leads project {n} (`/makers show {}` says who) can take someone off its team.",
            n.get()
        ),
        UserError::OnlyTheLeadSetsCouncil(n) => format!(
            "Only whoever leads project {n} (`/makers show {}` says who) can change its lead council.",
            n.get()
        ),
        UserError::OnlyTheLeadHandsOver(n) => format!(
            "Only whoever leads project {n} (`/makers show {}` says who) can hand it over.",
            n.get()
        ),
        UserError::LeadLeftJoinFirst(n) => format!(
            "Only whoever leads project {n} can do that, and nobody does now: its lead has left its team. Join it (`/makers join {}`), then anyone in the team can take the lead (`/makers handover {} @you`).",
            n.get(),
            n.get()
        ),
        UserError::HeldFromCatalogue(n) => format!(
            "Project {n} can't be published: whoever runs makers-bot for your councils is keeping it out of the public catalogue (any reason they gave is in its thread). Ask them{contact} to allow it. Nothing was changed."
        ),
        UserError::NoUpdateToCorrect(n) => format!(
            "You haven't posted an update on project {n}, so there is nothing of yours to correct."
        ),
        UserError::NoUpdateToWithdraw(n) => format!(
            "You haven't posted an update on project {n}, so there is nothing of yours to withdraw."
        ),
        UserError::LatestUpdateWithdrawn(n) => format!(
            "Your latest update on project {n} is withdrawn, so there is nothing to correct: post a new one with `/makers update {} <text>`.",
            n.get()
        ),
        UserError::NotInTeamToCorrect(n) => format!(
            "Only the team can post on or change project {n}, and you're not in its team now, so your update there keeps the words it was recorded with. You can still take it back with `/makers withdraw {}`.",
            n.get()
        ),
        UserError::ReactionNotCounted { number, wait_secs } => format!(
            "Your reaction did not join you to project {number}: you've made a lot of changes in a short time, so I'm pausing yours for a moment. In {wait_secs} second{}, take the reaction off and add it again, or type `/makers join {}`.",
            if *wait_secs == 1 { "" } else { "s" },
            number.get()
        ),
        UserError::EditedOwnUpdate { number, latest: false } => format!("That message is one of your earlier updates on {number}, and only your latest update can be corrected, so your edit changed nothing I recorded: `/makers show {}` shows its words as I have them.", number.get()),
        UserError::EditedOwnUpdate { number, latest: true } => format!("That message is your latest update on {number}, and your edit made it something I can't take as an update's words (a command, say), so it changed nothing I recorded. Edit it again to change its words (or `/makers correct {} <text>`); to ask me something, mention me in a new message.", number.get()),
        UserError::EditedMention => "I act on a message that mentions me once, when it is sent, so your edit changed nothing I recorded. `/makers edit <number> <title>` changes a pitch, and `/makers correct <number> <text>` your latest update; or mention me in a new message.".to_string(),
        UserError::EditedOldMessage => "I act on a message that mentions me when it is sent, or when an edit within three days first mentions me: that message is older, so your edit changed nothing. Mention me in a new message, or use `/makers`.".to_string(),
        UserError::StaleButton => "That button is out of date, so nothing was changed: `/makers list` shows the projects, and `/makers join <number>` joins one.".to_string(),
        UserError::DigestNeedsChannel => "Digests are for channels: run `/makers digest` in the channel that should get it.".to_string(),
        UserError::CouncilTooLong { max } => {
            format!("Please keep the council's name to {max} characters.")
        }
    }
}

/// An inline error under a form field (plain text: Slack shows it as is).
pub fn form_error_text(e: &UserError) -> String {
    match e {
        UserError::EmptyTitle => "Please give the project a title.".to_string(),
        UserError::TitleNamesSomeone => "Please name people (and channels) in the description, not in the title: a title is shown in every list and digest, where a mention would notify them each time.".to_string(),
        UserError::TitleTooLong { max, got } => format!(
            "That title is {got} characters long; please keep it to {max} and put the rest in the description."
        ),
        UserError::DescriptionTooLong { max, got } => format!(
            "That description is {got} characters long; please keep it to {max}. You can post more later as updates."
        ),
        UserError::TitleMarkupTooLong { max, got } => format!(
            "That title's links make it {got} characters long as sent, and at most {max} are kept: please shorten a link, or put it in the description."
        ),
        UserError::DescriptionMarkupTooLong { max, got } => format!(
            "That description's links make it {got} characters long as sent, and at most {max} are kept: please leave some out (you can post them later as updates)."
        ),
        UserError::CouncilTooLong { max } => {
            format!("Please keep the council's name to {max} characters.")
        }
        UserError::CouncilNotAName | UserError::EmptyCouncil => {
            "That doesn't name a council: please give its name, for example Guildford Borough Council, or leave it empty.".to_string()
        }
        UserError::CannotPitchHere => {
            "Please choose a channel, so people from other councils can see it and join.".to_string()
        }
        // The typed command's answer would give a `/makers update` example, under a field.
        UserError::EmptyUpdate => "Please write the update.".to_string(),
        other => plain_words(&refused(other, "", "")),
    }
}

/// An inline error under the update form's note. `from_message`: the form posts a message,
/// and says its note is optional; a message with no words to post (a file alone, a message
/// shared from elsewhere, from a DM, where no link is added) needs one, which is said so.
pub fn update_form_error_text(e: &UserError, from_message: bool) -> String {
    match (e, from_message) {
        (UserError::EmptyUpdate, true) => "That message has no words I can post (only a file, say, or a message shared from elsewhere), so please write the news in the note.".to_string(),
        _ => form_error_text(e),
    }
}

/// A problem as a form shows it under a field. Slack shows those errors as plain text, where
/// mrkdwn's marks (`code`, *bold*) would show as typed.
pub fn form_problem_text(problem: &Problem, look: &Look) -> String {
    plain_words(&problem_text(problem, look))
}

/// `text` without mrkdwn's code and bold marks (a `*` a title holds is shown as `∗`).
fn plain_words(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '`' | '*')).collect()
}

/// When the form could not be opened (Slack slow or refusing): the typed form still works.
pub const FORM_UNAVAILABLE_TEXT: &str = "Sorry, I couldn't open the pitch form just now. Please try again, or pitch by typing `/makers pitch <title> | <description>`.";

/// When Slack did not answer in time: the form may have opened after all.
pub const FORM_SLOW_TEXT: &str = "Slack was slow to open the pitch form. If it did not open, please try again, or pitch by typing `/makers pitch <title> | <description>`.";

/// The update form's, when Slack did not answer in time.
pub const UPDATE_FORM_SLOW_TEXT: &str = "Slack was slow to open the update form. If it did not open, please try again, or post by typing `/makers update <number> <text>` (or mention me in the pitch's thread).";

/// The update form's, from the Home, a nudge or a message.
pub const UPDATE_FORM_UNAVAILABLE_TEXT: &str = "Sorry, I couldn't open the update form just now. Please try again, or post by typing `/makers update <number> <text>` (or mention me in the pitch's thread).";

/// The commands that take a project's number and nothing else.
const NUMBER_ALONE: &[&str] = &[
    "show",
    "join",
    "leave",
    "withdraw",
    "publish",
    "unpublish",
    "reuse",
    "unreuse",
];

/// How to say a re-use of `into`, where a merged project's work carries on: not to a
/// council that leads it or re-uses it already (`offer` false), whom it would only refuse.
fn reuse_offer(into: &str, offer: bool) -> String {
    match offer {
        true => format!(" If your council uses that, `/makers reuse {into}` says so."),
        false => String::new(),
    }
}

/// The project a number typed as a question names (`4?`, `#4?`).
fn asked_about(got: &str) -> Option<crate::domain::ProjectNumber> {
    got.strip_suffix('?')
        .and_then(crate::domain::ProjectNumber::parse)
}

/// Why a link was refused; nothing was recorded.
fn bad_link(why: BadLink) -> String {
    let reason = match why {
        BadLink::NotAUrl => {
            "That isn't a web address I can read. Give the whole address, starting with https://"
        }
        BadLink::NotHttp => {
            "The catalogue only links to web pages: the address must start with https:// (or http://)"
        }
        BadLink::HasCredentials => {
            "That address has a user name or password in it, which would be public in the catalogue. Please give it without them"
        }
        BadLink::TooLong => "That address is too long to keep (500 characters at most)",
        BadLink::InSlack => {
            "That is an address in Slack, which opens only for people in this workspace, and the catalogue is public. Link to a page anyone can open"
        }
        BadLink::HoldsEmail => {
            "That address holds an e-mail address, and the catalogue is public. Link to the page without it"
        }
    };
    format!("{reason}. Nothing was recorded.")
}

/// A council name no council has, and the one close to it, if any, offered with `command`
/// (`list council`, `report for`) as the asker's next step. The text is escaped whole when
/// rendered; only the bold needs `∗`.
fn no_such_council(typed: &str, near: &Option<String>, command: &str) -> String {
    let near = match near {
        Some(near) => format!(
            " Did you mean *{}*? If so, `/makers {command} {near}`.",
            without_marks(near)
        ),
        None => String::new(),
    };
    format!(
        "I don't know a council called *{}*.{near} `/makers councils` lists the councils I know.",
        // (Escaped with the whole answer.) A backtick in it would start code.
        without_marks(typed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProjectNumber;

    /// A merge refusal queued (in the outbox) before `back_to` was kept says what it said
    /// then: bring the project back to alpha.
    #[test]
    fn a_merge_refusal_queued_without_back_to_says_alpha() {
        let (n7, n4) = (
            ProjectNumber::new(7).unwrap(),
            ProjectNumber::new(4).unwrap(),
        );
        for e in [
            UserError::MergeIntoRetired {
                number: n7,
                into: n4,
                back_to: Phase::Beta,
                carries_on: None,
            },
            UserError::MergedElsewhere {
                number: n4,
                into: n7,
                back_to: Phase::Beta,
            },
        ] {
            let mut old = serde_json::to_value(&e).unwrap();
            let fields = old.as_object_mut().unwrap().values_mut().next().unwrap();
            fields.as_object_mut().unwrap().remove("back_to").unwrap();
            let e: UserError = serde_json::from_value(old).unwrap();
            let said = refused(&e, "raised_hand", "");
            assert!(said.contains("(`/makers phase 4 alpha`)"), "{said}");
        }
    }

    /// A council's name typed with a backtick shows it as a look-alike, as in titles: it
    /// started code that ran on into the command after it.
    #[test]
    fn a_backtick_in_a_council_not_known_does_not_start_code() {
        let said = no_such_council("Guild`ford", &None, "list council");
        assert_eq!(said.matches('`').count(), 2, "{said}");
        assert!(said.contains("*Guildˋford*"), "{said}");
    }

    /// A number in another script's digits (full-width, Arabic-Indic) is not offered as a
    /// search, which would find nothing: the list shows the numbers.
    #[test]
    fn a_number_in_other_digits_is_sent_to_the_list_not_a_search() {
        for got in ["１２", "١٢", "bins"] {
            let said = unparsed(
                &ParseError::BadProjectRef {
                    sub: "show".into(),
                    got: got.into(),
                },
                "raised_hand",
                "",
            );
            let searched = said.contains("/makers search");
            assert_eq!(searched, got == "bins", "{said}");
            assert_eq!(
                said.contains("`/makers list` shows the numbers."),
                !searched,
                "{said}"
            );
        }
    }

    #[test]
    fn every_error_reads_as_a_friendly_sentence() {
        let errors = [
            ParseError::MissingProject { sub: "show".into() },
            ParseError::BadProjectRef {
                sub: "show".into(),
                got: "x".into(),
            },
            ParseError::UnexpectedWords {
                sub: "show".into(),
                got: "x".into(),
            },
            ParseError::MissingNewTitle(ProjectNumber::new(12).unwrap()),
            ParseError::PlaceholderTitle,
            ParseError::MissingPhase,
            ParseError::UnknownPhase { got: "x".into() },
            ParseError::UnknownListFilter { got: "x".into() },
            ParseError::Invalid(UserError::EmptyTitle),
            ParseError::Invalid(UserError::EmptyCouncil),
            ParseError::MissingLeadCouncil,
            ParseError::MissingListCouncil,
            ParseError::Invalid(UserError::NoSuchCouncil {
                typed: "Gildford".into(),
                near: Some("Guildford Borough Council".into()),
            }),
            ParseError::Invalid(UserError::NoSuchCouncil {
                typed: "Nowhere".into(),
                near: None,
            }),
            ParseError::BadLinkKind { got: String::new() },
            ParseError::BadLinkKind { got: "wiki".into() },
            ParseError::MissingLinkUrl,
            ParseError::UnknownSkill { got: "x".into() },
            ParseError::MissingSkills {
                sub: "wants".into(),
            },
            ParseError::MissingSkills {
                sub: "list needs".into(),
            },
            ParseError::MissingSkills {
                sub: "skills".into(),
            },
            ParseError::OneSkillAtATime,
            ParseError::MissingPerson {
                sub: "remove".into(),
                got: String::new(),
            },
            ParseError::MissingPerson {
                sub: "handover".into(),
                got: "sam".into(),
            },
        ];
        for e in errors {
            let text = unparsed(&e, "raised_hand", "");
            assert!(text.len() > 20 && text.contains("/makers"), "{text}");
        }
    }

    /// A search stopped for taking too long says so, names the words it was given and how to
    /// search again, rather than that nothing matched.
    #[test]
    fn a_search_too_broad_to_rank_says_how_to_search_again() {
        let too_broad = UserError::SearchTooBroad {
            words: "council service online".into(),
        };
        let said = refused(&too_broad, "raised_hand", "");
        assert!(said.contains("“council service online”"), "{said}");
        assert!(said.contains("couldn't rank them in time"), "{said}");
        assert!(said.contains("`/makers search bin collection`"), "{said}");
    }

    /// What someone typed, named back in code, stays whole: a backtick or a line break in it
    /// would end Slack's inline code early, and the rest would read as formatting.
    #[test]
    fn what_was_typed_is_named_back_in_code_that_holds_it() {
        assert_eq!(code("bins"), "`bins`");
        assert_eq!(code("uses `api`"), "```uses `api` ```");
        assert_eq!(code("two\nlines"), "```two\nlines```");
        assert_eq!(code("a ```b```"), "“a ```b```”");
        let e = UserError::CouncilFirstThen {
            again: "reuse 4 | we call `lookup` nightly".into(),
        };
        assert_eq!(
            refused(&e, "raised_hand", ""),
            "Re-use is recorded for your council, and I don't know which council you work for yet. Tell me with `/makers council <name>`, then ```/makers reuse 4 | we call `lookup` nightly``` again. Nothing was recorded."
        );
        let e = ParseError::UnknownPhase {
            got: "`beta`".into(),
        };
        assert!(unparsed(&e, "raised_hand", "").starts_with("``` `beta` ``` is not a phase."));
    }

    #[test]
    fn a_slip_in_a_thread_says_nothing_was_posted_and_how_to_post_it() {
        let e = ParseError::SlipInThread {
            word: "joni".into(),
            sub: "join".into(),
            project: Some(ProjectNumber::new(12).unwrap()),
        };
        assert_eq!(
            unparsed(&e, "raised_hand", ""),
            "I don't know `joni`, so I didn't record it as the team's news (your message stays in the thread). Did you mean `@makers join`? (In a pitch's thread it needs no project number.) If `joni` is the team's news, `@makers update joni` posts it."
        );
    }

    /// The answer to `typed` by mention in project 12's thread, which must be a mistake.
    fn said_in_thread_12(typed: &str) -> String {
        match crate::commands::parse_in_thread(typed, None, ProjectNumber::new(12).unwrap()) {
            crate::commands::InThread::Mistake(e) => unparsed(&e, "raised_hand", ""),
            other => panic!("{typed}: {other:?}"),
        }
    }

    /// A slip in project 12's thread offers only what works there: `edit` and `correct` with
    /// the thread's number (without one, their words are news), and the commands a thread
    /// reads as news as `/makers` typed in the channel.
    #[test]
    fn a_slip_in_a_thread_offers_only_what_works_there() {
        let said = said_in_thread_12;
        for (typed, sub) in [("edti", "edit"), ("corect", "correct")] {
            let text = said(typed);
            assert!(text.contains(&format!("`@makers {sub} 12`")), "{text}");
            assert!(!text.contains("needs no project number"), "{text}");
        }
        for (typed, sub) in [
            ("serch", "search"),
            ("pitsh", "pitch"),
            ("counsil", "council"),
        ] {
            let text = said(typed);
            assert!(!text.contains(&format!("`@makers {sub}")), "{text}");
            assert!(text.contains(&format!("`/makers {sub}`")), "{text}");
            assert!(!text.contains("needs no project number"), "{text}");
        }
        // An answer queued by an earlier build names no project, and still reads.
        let queued: ParseError =
            serde_json::from_str(r#"{"slip_in_thread":{"word":"edti","sub":"edit"}}"#).unwrap();
        let text = unparsed(&queued, "raised_hand", "");
        assert!(text.contains("`@makers edit <number>`"), "{text}");
        assert!(
            said("joni")
                .contains("`@makers join`? (In a pitch's thread it needs no project number.)")
        );
    }

    /// `merge 4` in project 12's thread asks which way, naming both projects and the thread's
    /// own form; `merge` alone there asks what 12 carries on as.
    #[test]
    fn merge_with_one_number_in_a_thread_asks_which_way() {
        let said = said_in_thread_12;
        let text = said("merge 4");
        assert!(
            text.contains("`@makers merge into 4` retires #12 and carries it on as #4")
                && text.contains("`@makers merge 4 into 12`"),
            "{text}"
        );
        let text = said("merge");
        assert!(text.contains("`/makers merge 12 into 4`"), "{text}");
    }

    /// A mention with other words is not echoed in code, where it would show as Slack's
    /// markup, nor answered "name them as an @-mention", which they did.
    #[test]
    fn a_person_named_with_other_words_is_asked_for_alone() {
        let e = ParseError::MissingPerson {
            sub: "remove".into(),
            got: "<@U0SAM|sam> please".into(),
        };
        let text = unparsed(&e, "raised_hand", "");
        assert_eq!(
            text,
            "Who should I take off the team? Name them alone after the project's number, as an @-mention with nothing else, for example `/makers remove 12 @sam`. Nothing was changed."
        );
    }

    /// Told to ask whoever runs Makers, people are told how, when `MAKERS_CONTACT_URL` says
    /// A merged project's title is named as a reader sees it: a link's label, not its
    /// markup, which showed as typed (the whole answer is escaped once, where it is shown).
    #[test]
    fn a_merged_projects_title_is_named_as_read() {
        let look = Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: "https://makers.example.gov.uk".into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
        };
        let merged = Problem::Refused {
            error: UserError::ProjectMerged {
                number: ProjectNumber::new(7).unwrap(),
                into: ProjectNumber::new(4).unwrap(),
                title: crate::domain::Title::parse("Bins & *bags* <https://x.example|site>")
                    .unwrap(),
            },
        };
        let text = problem_text(&merged, &look);
        assert!(
            text.contains("merged into *#4: Bins & \u{2217}bags\u{2217} site*,"),
            "{text}"
        );
        assert!(
            !text.contains("x.example") && !text.contains("&amp;"),
            "{text}"
        );
    }

    /// (as plain words, the whole answer being escaped; then made a link for Slack, which
    /// links nothing itself in a `verbatim` section).
    #[test]
    fn where_people_are_sent_to_whoever_runs_makers_the_contact_is_given() {
        let number = crate::domain::ProjectNumber::new(4).unwrap();
        let mut look = Look {
            tz: chrono_tz::Europe::London,
            join_emoji: "raised_hand".into(),
            public_url: "https://makers.example.gov.uk".into(),
            contact_url: None,
            join_seal: crate::slack::render::JoinSeal::from_secret(b"test"),
        };
        let held = Problem::Refused {
            error: UserError::HeldFromCatalogue(number),
        };
        let served = Problem::Refused {
            error: UserError::NotServedHere,
        };
        assert!(problem_text(&held, &look).contains("Ask them to allow it."));
        assert!(problem_text(&served, &look).ends_with("ask the people who run Makers."));
        look.contact_url = Some("mailto:makers@example.gov.uk".into());
        assert!(
            problem_text(&held, &look).contains("Ask them (makers@example.gov.uk) to allow it.")
        );
        look.contact_url = Some("https://example.gov.uk/makers".into());
        assert!(
            problem_text(&served, &look)
                .ends_with("ask the people who run Makers (https://example.gov.uk/makers).")
        );
        // As Slack is sent it: the address a link, named as the words name it.
        let shown = |problem: &Problem, look: &Look| {
            serde_json::to_string(&crate::slack::render::reply_message(
                &crate::message::Reply::Problem {
                    problem: problem.clone(),
                },
                look,
            ))
            .unwrap()
        };
        let sent = shown(&served, &look);
        assert!(
            sent.contains(
                "run Makers (<https://example.gov.uk/makers|https://example.gov.uk/makers>)."
            ),
            "{sent}"
        );
        look.contact_url = Some("mailto:makers@example.gov.uk".into());
        let sent = shown(&held, &look);
        assert!(
            sent.contains(
                "Ask them (<mailto:makers@example.gov.uk|makers@example.gov.uk>) to allow it."
            ),
            "{sent}"
        );
    }
}
