//! Updates, phase changes and nudges, as posted in a pitch's thread.

use crate::domain::{Phase, ProjectNumber, Title, UpdateText, UserId};
use crate::message::ThreadLine;

use super::{Person, Tokens, count, title_text, user_text};

pub fn update_posted(number: ProjectNumber, title: &Title, in_thread: ThreadLine) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    match in_thread {
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
    }
}

pub fn phase_changed(
    number: ProjectNumber,
    title: &Title,
    phase: Phase,
    in_thread: ThreadLine,
) -> String {
    let told = super::thread_told(in_thread, "I've said so in its thread.");
    format!(
        "*{number}: {}* is now in *{phase}*. {told}",
        title_text(title)
    )
}

pub fn update(number: ProjectNumber, author: &UserId, text: &UpdateText) -> String {
    let author = Person::of(author);
    format!(
        ":memo: *Update on {number}* from {author}:\n{}",
        user_text(text.as_str(), Tokens::Working)
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
        text.push_str(&format!(
            "\n> {}",
            user_text(note.as_str(), Tokens::Working).replace('\n', "\n> ")
        ));
    }
    text
}

pub fn nudge(number: ProjectNumber, team: &[UserId], quiet_days: i64) -> String {
    let people: Vec<String> = team.iter().map(|u| Person::of(u).to_string()).collect();
    let weeks = quiet_days / 7;
    let since = if weeks >= 2 {
        count(weeks, "week", "weeks")
    } else {
        count(quiet_days, "day", "days")
    };
    format!(
        ":wave: {} It's been {since} since the last news on *{number}*. How's it going? A line is plenty: `/makers update {} &lt;text&gt;`, or mention me in this thread.",
        people.join(" "),
        number.get()
    )
}
