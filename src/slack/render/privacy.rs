//! `/makers privacy`: what the bot records about people, in the words a privacy notice's
//! summary would use, and where the operator's full notice is. The figures are those the
//! housekeeping prunes by (`domain::retention`).

use super::{Look, escape};
use crate::domain::retention::{
    COUNCIL_OFFER_DAYS, EVENT_IDS_DAYS, PARKED_POSTS_DAYS, SENT_POSTS_DAYS,
};

/// The summary, with `notice` (the operator's privacy notice) linked when there is one, and
/// how to reach the operator when `MAKERS_CONTACT_URL` says.
pub fn privacy(notice: Option<&str>, look: &Look) -> String {
    let (join_emoji, contact) = (&look.join_emoji, look.contact());
    let notice = match notice {
        Some(url) => {
            let url = escape(url).replace('|', "%7C");
            format!("The full privacy notice of whoever runs Makers: <{url}|{url}>")
        }
        None => {
            format!(
                "Whoever runs Makers for your council can give you its full privacy notice{contact}."
            )
        }
    };
    format!(
        "*What Makers records about you, and why*\n\
         • *What you do here,* under your Slack user id: the projects you pitch, join (by \
         command, button or :{join_emoji}:) or lead, the teams you leave and when (so that \
         a report of a past quarter still counts its teams as they were), your updates and \
         notes, and the re-use you say for your council. Not your name or e-mail address: \
         Slack shows names from ids.\n\
         • *Your council and skills,* as you tell them: for each team's make-up, the \
         councils' give and take, and projects looking for your skills. Each team you join \
         records the council you worked for then, kept when you change yours, so that \
         reports of the past count that join as it was (a team's make-up shows the council \
         you say now).\n\
         • *Who sees it:* people in this Slack see the teams and updates, as in any channel. \
         The public catalogue shows the projects a team publishes, with the councils that \
         lead, work on and re-use them: the bot adds nobody's name, and takes Slack ids and \
         e-mail addresses out of what the team wrote; the rest of their words are shown as \
         written.\n\
         • *How long:* while Makers runs, until you change it or ask to be forgotten. Posts \
         the bot has sent are kept {SENT_POSTS_DAYS} days, posts waiting for it to be invited \
         to a channel at most {PARKED_POSTS_DAYS} (a correction of a message already in \
         Slack waits for the invitation, however long), Slack's event ids {EVENT_IDS_DAYS}, \
         a council name you typed that the bot asked about (\"Did you mean…?\") and you \
         did not answer {COUNCIL_OFFER_DAYS}; \
         backups hold copies for as long as they are kept. If you ask to be forgotten, your \
         Slack id and when you asked stay in a list of such requests beside the data, so \
         that no older copy put back brings you back. The service's log names you by your \
         Slack id for as long as whoever runs Makers keeps it: a forget does not reach it.\n\
         • *Your rights:* `/makers forget me` takes you out of every team and forgets your \
         council, skills and the teams you left at once; your pitches and updates stay as \
         your teams' work, naming nobody. For a copy of everything recorded about you, or to \
         have your council put right for the past, ask whoever runs Makers{contact}.\n\
         {notice}"
    )
}
