//! Updates, phase changes, pitch edits and nudges, as posted in a pitch's thread, and the
//! answers to them.

use crate::domain::{
    ChannelId, Description, Phase, ProjectNumber, TeamId, Title, UpdateText, UserId,
};
use crate::message::{CorrectedLine, DescriptionChange, ThreadLine};

use slack_morphism::prelude::*;

use super::update_form::UPDATE_BUTTON;
use super::{Person, Tokens, escape, quiet_for, title_text, user_text};

/// `own_message`: the update is the author's mention in the thread. Slack does not tell the
/// bot of its deletion (it asks for no history scope), so they are told what takes it back.
pub fn update_posted(
    number: ProjectNumber,
    title: &Title,
    in_thread: ThreadLine,
    own_message: bool,
) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    match in_thread {
        ThreadLine::Queued if own_message => format!(
            "Thanks! Your update on {project} is recorded and posted in its thread. Deleting your message there won't take it back: `/makers withdraw {}` will.",
            number.get()
        ),
        ThreadLine::Queued => {
            format!("Thanks! Your update on {project} is recorded and posted in its thread.")
        }
        ThreadLine::Waiting => format!(
            "Thanks! Your update on {project} is recorded, and goes in its thread once the pitch is announced."
        ),
        ThreadLine::NoThread => format!(
            "Thanks! Your update on {project} is recorded. {}",
            super::NO_THREAD_EVER
        ),
        ThreadLine::Unserved => format!(
            "Thanks! Your update on {project} is recorded. {}",
            super::NOT_SERVED
        ),
    }
}

pub fn phase_changed(
    (number, title): (ProjectNumber, &Title),
    phase: Phase,
    in_thread: ThreadLine,
    reusers_told: &[String],
    unmerged: Option<ProjectNumber>,
) -> String {
    let told = super::thread_told(in_thread, "I've said so in its thread.");
    // "Now in retired" reads as no English: retired is a state, the others phases.
    let now = match phase {
        Phase::Retired => "*retired*".to_string(),
        phase => format!("in *{phase}*"),
    };
    // Perhaps merged moments before by someone else: whoever brought it back should know.
    let unmerged = unmerged
        .map(|into| {
            format!(
                " It had been merged into {into}, and is its own project again: {into}'s thread says so."
            )
        })
        .unwrap_or_default();
    format!(
        "*{number}: {}* is now {now}.{unmerged} {told}{}",
        title_text(title),
        reusers_were_told(reusers_told)
    )
}

/// Which councils that re-use the project were told (`tell_reusers`), or nothing for none.
/// Named, as the catalogue names them: whoever retired it will want to know which.
fn reusers_were_told(councils: &[String]) -> String {
    let named: Vec<String> = councils.iter().map(|c| escape(c).to_string()).collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => format!(" I've told {one}, which re-uses it, in a DM to whoever said so."),
        [rest @ .., last] if named.len() <= 3 => format!(
            " I've told the councils that re-use it, {} and {last}, each in a DM to whoever said so.",
            rest.join(", ")
        ),
        _ => format!(
            " I've told the {} councils that re-use it, each in a DM to whoever said so.",
            named.len()
        ),
    }
}

/// The answer to `merge`: what became of the project, where that was told, and how the
/// asker joins the other team if they are not in it.
pub fn merged(
    (number, title): (ProjectNumber, &Title),
    (into, into_title): (ProjectNumber, &Title),
    in_thread: ThreadLine,
    (in_team, asked): (bool, u32),
    (reusers_told, lead_told): (&[String], Option<&UserId>),
) -> String {
    let told = super::thread_told(in_thread, "I've said so in its thread and in the other's.");
    let reusers = reusers_were_told(reusers_told);
    let lead = lead_told
        .map(|lead| {
            format!(
                " I've told {}, who leads {into}, in a DM.",
                Person::of(lead)
            )
        })
        .unwrap_or_default();
    let asked = match asked {
        0 => String::new(),
        1 => format!(" One of its team, not in {into}'s, was asked to join it."),
        n => format!(" {n} of its team, not in {into}'s, were asked to join it."),
    };
    let join = match in_team {
        true => String::new(),
        false => format!(
            " You're not in {into}'s team yet: `/makers join {}`.",
            into.get()
        ),
    };
    format!(
        "*{number}: {}* is merged into *{into}: {}* and retired: the work carries on there. {told}{asked}{lead}{reusers}{join}",
        title_text(title),
        title_text(into_title),
    )
}

/// The line in a merged project's thread: where the work carries on, and how to join.
pub fn carries_on_elsewhere(
    number: ProjectNumber,
    (into, into_title): (ProjectNumber, &Title),
    by: &UserId,
) -> String {
    let by = Person::of(by);
    format!(
        ":twisted_rightwards_arrows: {by} merged *{number}* into *{into}: {}* and retired it: the work carries on there. `/makers join {}` joins its team.",
        title_text(into_title),
        into.get(),
    )
}

/// The line in the thread of the project another was merged into.
pub fn merged_here(
    number: ProjectNumber,
    (from, from_title): (ProjectNumber, &Title),
    by: &UserId,
    (newcomers, asked): (u32, bool),
) -> String {
    let by = Person::of(by);
    let team = newcomers_line(newcomers, asked, "this one");
    format!(
        ":twisted_rightwards_arrows: {by} merged *{from}: {}* into *{number}*: its work carries on here. {team}",
        title_text(from_title),
    )
}

/// How many of a merged project's team are not in `theirs` (the project it carries on as)
/// yet, and whether they were `asked` to join.
fn newcomers_line(newcomers: u32, asked: bool, theirs: &str) -> String {
    match (newcomers, asked) {
        (0, _) => format!("Its team is in {theirs} already."),
        (1, true) => format!("One of its team is not in {theirs} yet, and has been asked to join."),
        (1, false) => format!("One of its team is not in {theirs} yet."),
        (n, true) => {
            format!("{n} of its team are not in {theirs} yet, and have been asked to join.")
        }
        (n, false) => format!("{n} of its team are not in {theirs} yet."),
    }
}

/// In the DM of the lead of the project another was merged into (not whoever merged it):
/// the thread's news, for whoever will welcome the newcomers.
pub fn merged_into_yours(
    (number, title): (ProjectNumber, &Title),
    (from, from_title, back_to): (ProjectNumber, &Title, Phase),
    by: &UserId,
    (newcomers, asked): (u32, bool),
) -> String {
    let by = Person::of(by);
    let team = newcomers_line(newcomers, asked, "yours");
    // What the lead can do: see who may come, and, if theirs should not take it on, ask
    // whoever merged it (only the merged project's team can undo it).
    let next = format!(
        "`/makers show {}` lists its team. If yours should not take this on, talk to {by}: {from}'s team can undo it with `/makers phase {} {back_to}`.",
        from.get(),
        from.get(),
    );
    format!(
        ":twisted_rightwards_arrows: {by} merged *{from}: {}* into *{number}: {}*, which you lead: its work carries on in yours, and {from} is retired. {team} {next}",
        title_text(from_title),
        title_text(title),
    )
}

/// The line in a project's thread when one merged into it is brought back.
/// By number alone where its title may not be shown in this thread.
pub fn merge_undone(
    number: ProjectNumber,
    (from, from_title): (ProjectNumber, Option<&Title>),
    by: &UserId,
) -> String {
    let by = Person::of(by);
    let from = match from_title {
        Some(title) => format!("{from}: {}", title_text(title)),
        None => from.to_string(),
    };
    format!(
        ":leftwards_arrow_with_hook: {by} brought *{from}* back as a project of its own: its work no longer carries on in *{number}*.",
    )
}

/// In the DM of someone in a merged project's team who is not in the other: where the work
/// carries on, with a *Join* button for it, naming `workspace` sealed for `shown_to` (see
/// `join_value`), so that pressed by someone of another organisation it joins `into`.
pub fn merged_team_told(
    (number, title): (ProjectNumber, &Title),
    (into, into_title): (ProjectNumber, &Title),
    by: Option<&UserId>,
    (seal, workspace, shown_to): (&super::JoinSeal, Option<&TeamId>, Option<&UserId>),
) -> SlackMessageContent {
    let (from, to) = (title_text(title), title_text(into_title));
    // Who merged it is not kept for one who joined after the merge (see `Notice`).
    let merged = match by {
        Some(by) => format!(
            "{} merged *{number}: {from}*, a team you are in, into *{into}: {to}*",
            Person::of(by)
        ),
        None => format!("*{number}: {from}*, a team you are in, was merged into *{into}: {to}*"),
    };
    let text = format!(
        ":twisted_rightwards_arrows: {merged}, which does the same thing: the work carries on there, and {number} is retired. To carry on with it, join {into}'s team: press *Join*, or `/makers join {}`.",
        into.get(),
    );
    let button = match workspace {
        Some(team) => super::join_value::join_button_in(seal, (team, shown_to), into, into_title),
        // Queued before it named one: the presser's own workspace, as then.
        None => super::project_button(
            "Join",
            super::announcement::JOIN_ACTION,
            into,
            Some(into_title),
        ),
    }
    .with_style(SlackBlockButtonStyle::Primary);
    super::plain_with_button(text, button)
}

/// The answer to `edit`: what changed, and where that was told.
pub fn edited(
    number: ProjectNumber,
    title: &Title,
    (renamed, description): (bool, DescriptionChange),
    in_thread: Option<ThreadLine>,
) -> String {
    let title = title_text(title);
    let Some(line) = in_thread else {
        return format!("*{number}: {title}* already reads exactly so: nothing changed.");
    };
    let what = match (renamed, description) {
        (true, DescriptionChange::Replaced) => {
            format!("{number} is now called *{title}*, with its new description")
        }
        (true, DescriptionChange::Removed) => {
            format!("{number} is now called *{title}*, with no description")
        }
        (true, DescriptionChange::Kept) => format!("{number} is now called *{title}*"),
        (false, DescriptionChange::Removed) => {
            format!("*{number}: {title}* has no description now")
        }
        (false, _) => format!("*{number}: {title}* has its new description"),
    };
    let told = match line {
        ThreadLine::Queued => {
            "I'm correcting its announcement to match and saying so in its thread."
        }
        ThreadLine::Waiting => {
            "Its announcement is not posted yet: it will go out with the new words, and its thread will say what changed."
        }
        ThreadLine::NoThread => super::NO_THREAD_EVER,
        ThreadLine::Unserved => super::NOT_SERVED,
    };
    format!("Done: {what}. Everything that shows the project reads the new words now. {told}")
}

/// An edit of the pitch, as a line in its thread.
pub fn edit_line(
    number: ProjectNumber,
    title: &Title,
    renamed_from: Option<&Title>,
    description: Option<&Description>,
    by: &UserId,
) -> String {
    let by = Person::of(by);
    let title = title_text(title);
    let mut text = match renamed_from {
        Some(old) => format!(
            ":pencil2: {by} renamed *{number}* to *{title}* (it was _{}_).",
            title_text(old)
        ),
        None => format!(":pencil2: {by} edited the pitch of *{number}: {title}*."),
    };
    match description.map(Description::as_str) {
        None => {}
        Some("") => text.push_str(" It no longer has a description."),
        Some(d) => {
            text.push_str(" Its description now reads:");
            // Quiet: the people it names were notified when it was first posted.
            text.push_str(&quoted(&user_text(d, Tokens::Quiet)));
        }
    }
    text
}

/// An update's line in the pitch's thread; `corrected`, as its author corrected it; with no
/// words, as its author withdrew it.
pub fn update(
    number: ProjectNumber,
    author: &UserId,
    text: Option<&UpdateText>,
    corrected: bool,
) -> String {
    let author = Person::of(author);
    let Some(text) = text else {
        return format!(":memo: *Update on {number}* from {author}: _withdrawn by its author._");
    };
    let corrected = if corrected { " _(corrected)_" } else { "" };
    format!(
        ":memo: *Update on {number}* from {author}{corrected}:\n{}",
        user_text(text.as_str(), Tokens::Working)
    )
}

/// The answer to `correct`.
pub fn update_corrected(number: ProjectNumber, title: &Title, line: CorrectedLine) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    let thread = match line {
        CorrectedLine::Unchanged => {
            return format!(
                "Your latest update on {project} already says that, so nothing changed."
            );
        }
        CorrectedLine::InPlace => {
            "Its line in the thread is corrected in place (marked _corrected_)."
        }
        CorrectedLine::Waiting => "Its line isn't in the thread yet, and will go out with them.",
        CorrectedLine::NoLine => {
            "Its line could not be posted in the thread, so there is nothing there to correct."
        }
        CorrectedLine::OwnMessage => {
            "In the thread it is your own message, which only you can change: hover over it (on a phone, press and hold it) and choose *Edit message*."
        }
        CorrectedLine::RecordOnly => {
            "It was posted before I kept track of where updates go in the thread, so its words there stay as they were (if they are your own message, you can edit it in Slack)."
        }
    };
    format!(
        "Corrected: your latest update on {project} says the new words. `show`, search and the digest read them. {thread}"
    )
}

/// The answer to `withdraw`.
pub fn update_withdrawn(number: ProjectNumber, title: &Title, line: CorrectedLine) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    let thread = match line {
        CorrectedLine::Unchanged => {
            return format!(
                "Your latest update on {project} is withdrawn already, so nothing changed. Only your latest update can be withdrawn."
            );
        }
        CorrectedLine::InPlace => "Its line in the thread now says it was withdrawn.",
        CorrectedLine::Waiting => {
            "Its line isn't in the thread yet: it will say only that an update was withdrawn (if it was already on its way, it is replaced as soon as it is posted)."
        }
        CorrectedLine::NoLine => "Its line could not be posted in the thread, so nothing is there.",
        CorrectedLine::OwnMessage => {
            "In the thread it is your own message, which only you can delete: hover over it (on a phone, press and hold it) and choose *Delete message*."
        }
        CorrectedLine::RecordOnly => {
            "It was posted before I kept track of where updates go in the thread, so its words there stay (if they are your own message, you can delete it in Slack)."
        }
    };
    format!(
        "Withdrawn: your latest update on {project} is gone from `show`, search and the digest, and I no longer keep its words. {thread}"
    )
}

pub fn phase_change(
    number: ProjectNumber,
    from: Phase,
    to: Phase,
    note: Option<&UpdateText>,
    by: &UserId,
) -> String {
    let by = Person::of(by);
    let mut text = format!(":arrow_forward: {by} moved *{number}* from {from} to *{to}*.");
    if let Some(note) = note {
        text.push_str(&quoted(&user_text(note.as_str(), Tokens::Working)));
    }
    text
}

/// A nudge, with a *Post update* button that opens the update form with the project chosen
/// ([`UPDATE_BUTTON`]): two clicks and a line, from the message that asks for one.
pub fn nudge_message(
    number: ProjectNumber,
    title: Option<&Title>,
    team: &[UserId],
    quiet_days: i64,
) -> SlackMessageContent {
    // Cut to fit as any plain message (a large team's mentions), then the button below.
    let button = super::project_button("Post update", UPDATE_BUTTON, number, title)
        .with_style(SlackBlockButtonStyle::Primary);
    super::plain_with_button(nudge(number, title, team, quiet_days), button)
}

/// To a quiet project's lead, whose team's nudge Slack would not post in `channel`
/// (`because`, in words): what its team was not told, and what the lead can do about it.
pub(super) fn nudge_not_posted(
    number: ProjectNumber,
    title: Option<&Title>,
    channel: &ChannelId,
    quiet_days: i64,
    because: &str,
) -> String {
    let n = number.get();
    let named = named(number, title);
    format!(
        "{named}: I could not remind its team in <#{channel}> ({because}). It has had no news for {}: if it is finished, `/makers phase {n} retired` retires it; if it goes on, `/makers update {n} &lt;news&gt;` records its news.",
        quiet_for(quiet_days)
    )
}

/// A nudged project as its notes name it: "*#4: Bin day finder*", or its number alone in a
/// nudge queued before nudges carried a title.
fn named(number: ProjectNumber, title: Option<&Title>) -> String {
    match title {
        Some(title) => format!("*{number}: {}*", title_text(title)),
        None => format!("*{number}*"),
    }
}

fn nudge(number: ProjectNumber, title: Option<&Title>, team: &[UserId], quiet_days: i64) -> String {
    let people: Vec<String> = team.iter().map(|u| Person::of(u).to_string()).collect();
    let since = quiet_for(quiet_days);
    let n = number.get();
    let named = named(number, title);
    // "News", not "update": a quiet spell is counted from the pitch, an update or a phase
    // change, whichever was last (the digest's "quiet" too). The words first: a large
    // team's mentions are what a cut to Slack's limit takes. It is
    // posted in the project's thread, where a mention of the bot is an update (Slack runs no
    // slash command typed in a thread).
    let asked = format!(
        ":wave: {named} has had no news for {since}. How's it going? A line is plenty: press *Post update*, or reply here with `@makers` and your news."
    );
    if people.is_empty() {
        // Everyone has left (or asked to be forgotten): nobody to notify, so the channel is
        // asked instead.
        return format!("{asked}\nNobody is in its team any more: `/makers join {n}` picks it up.");
    }
    format!("{asked}\n{}", people.join(" "))
}

/// `text` (already rendered) as a block quote on lines of its own.
fn quoted(text: &str) -> String {
    format!("\n> {}", text.replace('\n', "\n> "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nudge_asks_first_and_names_the_team_after() {
        let number = ProjectNumber::new(4).unwrap();
        let team: Vec<UserId> = (0..2000)
            .map(|i| UserId::parse(&format!("U{i:010}")).unwrap())
            .collect();
        // A team too large for one message: the mentions are cut, never the question.
        let shown = serde_json::to_string(&nudge_message(number, None, &team, 22)).unwrap();
        assert!(shown.contains(":wave: *#4* has had no news for 3 weeks. How's it going?"));
        assert!(shown.contains("<@U0000000000>"), "{shown}");
        // Nobody left in the team: the channel is asked to pick it up.
        let title = Title::parse("Bin day finder").unwrap();
        let shown = serde_json::to_string(&nudge_message(number, Some(&title), &[], 22)).unwrap();
        assert!(
            shown.contains("*#4: Bin day finder* has had no news for 3 weeks."),
            "{shown}"
        );
        assert!(shown.contains("How's it going?"), "{shown}");
        assert!(
            shown.contains("Nobody is in its team any more: `/makers join 4` picks it up."),
            "{shown}"
        );
    }
}
