//! [`Reply`] and [`Notice`] as Slack messages: Block Kit plus a plain-text fallback. All the
//! bot's wording lives here, and all mrkdwn escaping: every piece of text people typed goes
//! through [`user_text`] (links, channels and, outside the digest, mentions keep working;
//! `<!channel>` and the like are shown, never executed) or, where no token belongs (council
//! names, words echoed back), through [`escape`].

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use slack_morphism::prelude::*;

mod announcement;
mod councils;
mod detail;
mod digest;
mod elsewhere;
mod fit;
mod forms;
mod help;
mod home;
mod join_value;
mod lead_told;
#[cfg(test)]
mod limits;
mod list;
mod plain;
mod privacy;
mod problems;
mod progress;
#[cfg(test)]
mod properties;
mod publishing;
mod report;
mod reuse;
mod skills;
mod thread_words;
mod typed;
mod update_form;

pub use announcement::{JOIN_ACTION, LEAVE_ACTION};
pub use detail::show_modal;
pub use digest::digest_text;
use fit::section;
pub use forms::{
    Announce, CHANNEL_FIELD, COUNCIL_FIELD, DESCRIPTION_FIELD, PITCH_FORM, PITCH_MESSAGE,
    PITCHED_FROM_LABEL, PitchForm, PrivateSource, SKILLS_FIELD, TITLE_FIELD, lead_council_offer,
    pitch_modal, pitched_from,
};
pub use help::USAGE;
pub use home::{
    HOME_JOIN, HOME_PITCH, HOME_REPORT, HOME_SHOW, HOME_UPDATE, MAX_HOME_BLOCKS, home_view,
};
pub use join_value::{ButtonValue, JoinSeal, Named};
pub use plain::plain_text;
pub use problems::{
    FORM_SLOW_TEXT, FORM_UNAVAILABLE_TEXT, FORM_UNREADABLE_TEXT, INTERNAL_ERROR_TEXT,
    UPDATE_FORM_SLOW_TEXT, UPDATE_FORM_UNAVAILABLE_TEXT, form_error_text, form_problem_text,
    problem_text, update_form_error_text,
};
pub use report::{REPORT_COPY_ACTION, report_text};
pub use thread_words::for_a_thread;
pub use typed::{Tokens, user_text};
pub use update_form::{
    MAX_NOTE_WITH_MESSAGE, NOTE_FIELD, POST_UPDATE, PROJECT_FIELD, UPDATE_BUTTON, UpdateForm,
    no_team_modal, update_modal,
};

use crate::domain::{ChannelId, Makeup, MessageTs, ProjectNumber, Rules, Slug, Title, UserId};
use crate::message::{LeadCouncilNote, MembershipNote, NEVER_ANNOUNCED, Notice, Reply, ThreadLine};

/// Said after a change that a pitch's thread would hear of, while its announcement waits.
pub(super) const NO_THREAD_YET: &str =
    "Its announcement isn't posted yet; its thread will be told once it is.";
/// Said after such a change when the project's workspace removed the app.
pub(super) const NOT_SERVED: &str =
    "Its team's Slack workspace no longer uses the bot, so its thread can't be told.";
/// Said after such a change when Slack refused the announcement for good.
pub(super) const NO_THREAD_EVER: &str =
    "Its announcement could not be posted, so it has no thread to tell.";

/// What an answer says of a change's line for the pitch's thread: `told` once it is queued
/// there.
pub(super) fn thread_told(line: ThreadLine, told: &'static str) -> &'static str {
    match line {
        ThreadLine::Queued => told,
        ThreadLine::Waiting => NO_THREAD_YET,
        ThreadLine::NoThread => NO_THREAD_EVER,
        ThreadLine::Unserved => NOT_SERVED,
    }
}

/// How the bot words things in this deployment: dates in `MAKERS_TZ`, and the emoji that
/// joins a team (`MAKERS_JOIN_EMOJI`) wherever joining is explained; and the key its
/// private answers' *Join* buttons are sealed with, read back when one is pressed.
#[derive(Debug, Clone)]
pub struct Look {
    pub tz: Tz,
    pub join_emoji: String,
    /// `MAKERS_PUBLIC_URL`, without a trailing slash: catalogue links start with it.
    pub public_url: String,
    /// `MAKERS_CONTACT_URL`: how to reach whoever runs Makers, where the bot says to ask them.
    pub contact_url: Option<String>,
    /// Seals the workspace a private answer's *Join* names (see [`JoinSeal`]).
    pub join_seal: JoinSeal,
}

impl Look {
    pub fn of(rules: &Rules, public_url: &str, join_seal: JoinSeal) -> Look {
        Look {
            tz: rules.tz,
            join_emoji: rules.join_emoji.clone(),
            public_url: public_url.trim_end_matches('/').to_string(),
            contact_url: rules.contact_url.clone(),
            join_seal,
        }
    }

    /// " (<contact>)" after words that send people to whoever runs Makers, when the operator
    /// said how to reach them: a mailbox by its address, a page by its own.
    pub fn contact(&self) -> String {
        let Some(url) = &self.contact_url else {
            return String::new();
        };
        let target = escape(url).replace('|', "%7C");
        let label = escape(url.strip_prefix("mailto:").unwrap_or(url));
        format!(" (<{target}|{label}>)")
    }

    /// The catalogue's address, ready for a mrkdwn link, if people can reach it: not where
    /// the bot has no public address (`MAKERS_PUBLIC_URL` unset and a loopback
    /// `MAKERS_ADDR`, as under Socket Mode behind a council's firewall), for words shown to
    /// everyone whatever they asked (the help, the Home).
    pub fn catalogue_if_reachable(&self) -> Option<String> {
        let host = url::Url::parse(&self.public_url)
            .ok()?
            .host()
            .map(|h| h.to_owned())?;
        let loopback = match host {
            url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
            url::Host::Ipv4(ip) => ip.is_loopback() || ip.is_unspecified(),
            url::Host::Ipv6(ip) => ip.is_loopback() || ip.is_unspecified(),
        };
        (!loopback).then(|| escape(&format!("{}/catalogue", self.public_url)))
    }

    /// " (<contact>)" as plain words, for text escaped as a whole (a problem's answer, a
    /// form's error, which is plain text): the mailbox's address or the page's.
    pub fn contact_words(&self) -> String {
        match &self.contact_url {
            Some(url) => format!(" ({})", url.strip_prefix("mailto:").unwrap_or(url)),
            None => String::new(),
        }
    }

    /// `escaped` (a problem's answer, escaped whole) with its [`Look::contact_words`] made
    /// the link [`Look::contact`] makes: Slack links no address in a message's text itself,
    /// as its sections are sent `verbatim` (`fit::mrkdwn`), so the one way out of a refusal
    /// would be words to copy, and a screen reader would spell out the address.
    pub fn with_contact_linked(&self, escaped: String) -> String {
        let words = escape(&self.contact_words());
        match words.is_empty() {
            true => escaped,
            false => escaped.replacen(&words, &self.contact(), 1),
        }
    }

    /// A published project's page in the catalogue, ready for a mrkdwn link.
    pub fn project_page(&self, slug: &Slug) -> String {
        escape(&format!("{}/catalogue/{slug}", self.public_url))
    }
}

/// The address of a message the bot posted (a pitch's announcement), for a mrkdwn link:
/// `https://slack.com/archives/<channel>/p<ts without its dot>`. The digest and `show` both
/// link this way.
///
/// Built rather than asked for: `chat.getPermalink` gives the canonical address on the
/// workspace's own host (`https://<workspace>.slack.com/archives/…`), but costs a Web API
/// call per message (or an address stored per project), and nothing in the request path
/// calls Slack. Slack forwards this host-less form to a workspace the reader is signed in to
/// (not in Slack's API reference, but long relied on by bots; a reader signed in to several
/// workspaces may land in the wrong one). Channel ids and message ts are checked on the way
/// in (no `<`, `>`, `|` or `&`), so the address needs no escaping.
pub fn message_url(channel: &ChannelId, ts: &MessageTs) -> String {
    format!(
        "https://slack.com/archives/{channel}/p{}",
        ts.as_str().replace('.', "")
    )
}

/// Someone the bot names: their mention, or, once they asked to be forgotten, no one.
pub struct Person<'a>(&'a UserId);

impl<'a> Person<'a> {
    pub fn of(user: &'a UserId) -> Person<'a> {
        Person(user)
    }
}

impl std::fmt::Display for Person<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_forgotten() {
            f.write_str("someone who has since left")
        } else {
            write!(f, "<@{}>", self.0)
        }
    }
}

/// `text` as Slack's code, to read or copy as typed: inline where it can be; in a block where
/// it holds a backtick or a line break (either would end or break an inline span); where it
/// holds a block's own fence, in quotes, as text (Slack's code has no escape).
pub(super) fn code(text: &str) -> String {
    if !text.contains(['`', '\n']) {
        format!("`{text}`")
    } else if !text.contains("```") {
        // A backtick at either end would run into the fence: a space keeps them apart.
        let pad = |at_edge: bool| if at_edge { " " } else { "" };
        let (open, close) = (pad(text.starts_with('`')), pad(text.ends_with('`')));
        format!("```{open}{text}{close}```")
    } else {
        format!("“{text}”")
    }
}

/// Escapes the three characters Slack's mrkdwn treats as control characters.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A project's title as mrkdwn: what a reader would see, without tokens (a title sits in
/// bold, in a link's label, in lists), so it never mentions anyone. A `*` in it shows as
/// `∗` (U+2217), which looks the same: mrkdwn has no escape for `*`, and "5* rated cafés"
/// inside `*…*` would end the bold after "5". A backtick shows as `ˋ` (U+02CB) for the
/// same reason: "Fix the `enter key form" would pair it with the code of a command later
/// on the line (`/makers join 4`), turning the words between into code.
pub(super) fn title_text(title: &Title) -> String {
    without_marks(&user_text(title.as_str(), Tokens::AsText))
}

/// Text someone typed (a title, a note) as a reader sees it, for a terminal or a spreadsheet
/// (`makers-bot report --projects`, `council merge`): Slack's tokens as [`title_text`] shows
/// them (`@sam`, `#waste`, a link's label; no id, which a list sent to funders must not
/// hold), nothing escaped, and a typed `*` left as typed, since no mrkdwn reads it there.
pub fn typed_as_plain(typed: &str) -> String {
    plain_text(&user_text(typed, Tokens::AsText))
}

/// Text typed by someone (a council's name) set between `*…*`: escaped, and any `*` or
/// backtick shown as a look-alike as in titles, so "Council*" does not end the bold early
/// nor a backtick start code.
pub(super) fn bold_text(s: &str) -> String {
    without_marks(&escape(s))
}

/// `s` with the two marks mrkdwn has no escape for, `*` and `` ` ``, shown as look-alikes.
pub(super) fn without_marks(s: &str) -> String {
    s.replace('*', STAR).replace('`', BACKTICK)
}

/// U+2217, which looks like `*` but is not mrkdwn.
const STAR: &str = "\u{2217}";
/// U+02CB, which looks like `` ` `` but is not mrkdwn.
const BACKTICK: &str = "\u{2cb}";

/// A reply as a message: fallback text and blocks.
pub fn reply_message(reply: &Reply, look: &Look) -> SlackMessageContent {
    reply_message_asked(reply, look, help::Asked::Typed)
}

/// [`reply_message`] to a command `asked` so (the help's last lines depend on it).
fn reply_message_asked(reply: &Reply, look: &Look, asked: help::Asked) -> SlackMessageContent {
    let tz = look.tz;
    match reply {
        Reply::Help { unknown, about } => {
            help::help(unknown.as_deref(), about.as_deref(), look, asked)
        }
        Reply::Privacy { notice } => plain(privacy::privacy(notice.as_deref(), look)),
        Reply::PitchedInPrivate {
            number,
            title,
            channel,
        } => plain(format!(
            "Slack tells me <#{channel}> is private, so I show *{number}: {}* only there and to its team: {}",
            title_text(title),
            announcement::ONLY_THERE
        )),
        Reply::Forgotten { teams, .. } => plain(format!(
            "Done: you are out of every team ({teams} in all), and your council and skills are \
             forgotten. Your pitches and updates stay as your teams' work, naming nobody. \
             I'm correcting my announcements of your pitches and my lines of your updates in \
             Slack to name nobody too; other messages already posted stay as they are: you \
             can delete yours, and a workspace admin can delete the bot's. Copies kept to \
             restore the service hold you until they expire; if one is ever put back, you are \
             forgotten again at once."
        )),
        Reply::Pitched {
            number,
            title,
            channel,
            similar,
            yours,
            workspace,
            shown_to,
            unled,
            uninvited,
            private_channel,
            elsewhere,
        } => announcement::pitched(
            *number,
            title,
            (channel, *uninvited, *private_channel),
            (similar, workspace.as_ref(), shown_to.as_ref()),
            yours,
            *unled,
            (elsewhere, look),
        ),
        Reply::ProjectList {
            filter,
            projects,
            page,
            left_out,
        } => list::project_list(filter, projects, *page, *left_out),
        Reply::SearchResults {
            words,
            projects,
            more,
            elsewhere,
            more_elsewhere,
            left_out,
        } => list::search_results(
            words,
            (projects, *more, *left_out),
            (elsewhere, *more_elsewhere),
            look,
        ),
        Reply::ProjectDetail { project, progress } => {
            detail::project_detail(project, progress, look)
        }
        Reply::Publication {
            number,
            title,
            note,
        } => plain(publishing::publication(*number, title, note, look)),
        Reply::Link {
            number,
            title,
            which,
            note,
            published,
            held,
        } => plain(publishing::link(
            *number,
            title,
            *which,
            note,
            published.as_ref(),
            *held,
            look,
        )),
        Reply::Membership {
            number,
            title,
            note,
        } => plain(membership(*number, title, note)),
        Reply::LeadCouncil {
            number,
            title,
            note,
            formerly,
        } => {
            let project = format!("*{number}: {}*", title_text(title));
            // The name typed was a former council's: said first, as `council` says it.
            let successor = match note {
                LeadCouncilNote::Set { council, .. }
                | LeadCouncilNote::Already { council }
                | LeadCouncilNote::ReusesIt { council } => Some(council),
                LeadCouncilNote::Unknown { .. } => None,
            };
            let was = match (formerly, successor) {
                (Some(f), Some(successor)) => format!("{} ", list::became(f, successor)),
                _ => String::new(),
            };
            let said = match note {
                LeadCouncilNote::Set {
                    council,
                    told,
                    before,
                } => format!(
                    "*{}* leads {project} now, as its catalogue page shows. {}{}",
                    bold_text(council),
                    thread_told(*told, "I've said so in the pitch's thread."),
                    councils::lead_before(before, council)
                ),
                LeadCouncilNote::Already { council } => format!(
                    "*{}* leads {project} already, so nothing changed.",
                    bold_text(council)
                ),
                LeadCouncilNote::Unknown { typed, near: None } => format!(
                    "No council is recorded as *{}*, so nothing changed: check the spelling (`/makers councils` lists them), or have someone from it say `/makers council &lt;name&gt;` first.",
                    bold_text(typed)
                ),
                LeadCouncilNote::Unknown {
                    typed,
                    near: Some(near),
                } => format!(
                    "No council is recorded as *{}*, so nothing changed. Did you mean *{}*? If so, `/makers lead-council {} {near}`.",
                    bold_text(typed),
                    bold_text(near),
                    number.get(),
                    near = escape(near)
                ),
                LeadCouncilNote::ReusesIt { council } => format!(
                    "*{}* re-uses {project}, so it can't also lead it: nothing changed. Someone there can `/makers unreuse {}` first.",
                    bold_text(council),
                    number.get()
                ),
            };
            plain(format!("{was}{said}"))
        }
        Reply::Council {
            name,
            matched,
            ledger,
            was,
            led,
            led_private,
            still_led,
            changed_elsewhere,
            still_led_elsewhere,
            joins_kept,
            joins_put_right,
            reuses_of_slip,
            reuses_of_slip_private,
            formerly,
        } => plain(councils::council(
            name.as_deref(),
            councils::Matched::from(*matched, formerly.as_deref()),
            ledger.as_deref(),
            councils::Before {
                was: was.as_deref(),
                still_led,
                changed_elsewhere: *changed_elsewhere,
                still_led_elsewhere: *still_led_elsewhere,
                joins_kept: *joins_kept,
                joins_put_right: *joins_put_right,
                reuses_of_slip,
                reuses_of_slip_private: *reuses_of_slip_private,
            },
            councils::Led {
                named: led,
                private: *led_private,
            },
        )),
        Reply::CouncilDidYouMean { typed, suggestion } => {
            plain(councils::did_you_mean(typed, suggestion))
        }
        Reply::Councils {
            councils: all,
            page,
            yours,
        } => councils::give_and_take(all, *page, yours.as_deref()),
        Reply::Report(r) => report::report(r),
        Reply::CouncilReport(r) => report::council_report(r),
        Reply::CouncilReuses {
            council,
            reused,
            page,
        } => reuse::council_reuses(council.as_deref(), reused, *page),
        Reply::ListedElsewhere {
            service,
            name,
            ask,
            page,
        } => match page {
            Some(page) => detail::service_elsewhere(service, name, page, look),
            None => plain(reuse::elsewhere(service, name, *ask, look)),
        },
        Reply::Reuse {
            number,
            title,
            council,
            note,
            listed,
            page,
        } => plain(reuse::reply(
            *number,
            title.as_ref(),
            council,
            *note,
            listed.as_ref(),
        ) + &reuse::on_its_page(*note, page.as_ref(), look)),
        Reply::UpdatePosted {
            number,
            title,
            in_thread,
            own_message,
        } => plain(progress::update_posted(
            *number,
            title,
            *in_thread,
            *own_message,
        )),
        Reply::UpdateCorrected {
            number,
            title,
            line,
        } => plain(progress::update_corrected(*number, title, *line)),
        Reply::UpdateWithdrawn {
            number,
            title,
            line,
        } => plain(progress::update_withdrawn(*number, title, *line)),
        Reply::PhaseChanged {
            number,
            title,
            phase,
            in_thread,
            reusers_told,
            unmerged,
        } => plain(progress::phase_changed(
            (*number, title),
            *phase,
            *in_thread,
            reusers_told,
            *unmerged,
        )),
        Reply::Merged {
            number,
            title,
            into,
            into_title,
            in_thread,
            in_team,
            told,
            reusers_told,
            lead_told,
        } => plain(progress::merged(
            (*number, title),
            (*into, into_title),
            *in_thread,
            (*in_team, *told),
            (reusers_told, lead_told.as_ref()),
        )),
        Reply::PitchEdited {
            number,
            title,
            renamed,
            description,
            in_thread,
        } => plain(progress::edited(
            *number,
            title,
            (*renamed, *description),
            *in_thread,
        )),
        Reply::Skills {
            skills: mine,
            changed,
            matching,
        } => plain(skills::offered(mine, *changed, matching)),
        Reply::Wants {
            number,
            title,
            skills: wanted,
            changed,
            in_thread,
            retired,
        } => plain(skills::wants(
            *number, title, wanted, *changed, *in_thread, *retired,
        )),
        Reply::DigestSubscribed {
            when,
            tz: zone,
            next_due,
            owed,
        } => plain(digest::subscribed(when, zone, *next_due, *owed, tz)),
        Reply::DigestOff { was_subscribed: true } => plain(
            "Done: this channel won't get the weekly digest any more. `/makers digest` brings it back."
                .into(),
        ),
        Reply::DigestOff { was_subscribed: false } => {
            plain("This channel wasn't getting the digest, so there was nothing to stop.".into())
        }
        Reply::DigestPreview {
            digest: d,
            channel_off,
        } => digest::preview_message(d, look, *channel_off),
        Reply::Problem { problem } => plain(look.with_contact_linked(escape(&problem_text(problem, look)))),
        Reply::Internal => plain(INTERNAL_ERROR_TEXT.to_string()),
    }
}

/// A slash-command answer only the asker sees: the message with `response_type: ephemeral`,
/// serialised once (no intermediate JSON tree on this hot path).
pub fn ephemeral_json(message: &SlackMessageContent) -> String {
    let body = serde_json::to_string(message).unwrap_or_else(|_| "{}".into());
    match body.strip_prefix('{') {
        Some("}") | None => r#"{"response_type":"ephemeral"}"#.to_string(),
        Some(rest) => format!(r#"{{"response_type":"ephemeral",{rest}"#),
    }
}

/// In the update form's place, the answer saying why the person may not post to the project
/// they were offered (a nudge's *Post update*, or a Home from before they left its team), as
/// `/makers update` would say it.
pub fn refusal_modal(refusal: &Reply, look: &Look) -> SlackView {
    let text = reply_message(refusal, look).text.unwrap_or_default();
    update_form::told_modal(text)
}

/// A notice (a message the bot posts by itself) as a message.
pub fn notice_message(notice: &Notice, look: &Look) -> SlackMessageContent {
    match notice {
        Notice::Announcement(body) => announcement::announcement(
            announcement::Pitch::of(body, true),
            &body.pitcher,
            &body.join_emoji,
        ),
        Notice::AnnouncementCorrected { body, .. } => announcement::announcement(
            announcement::Pitch::of(body, false),
            &body.pitcher,
            &body.join_emoji,
        ),
        // A reply posted rather than answered is to a mention (or a form, in a DM).
        Notice::Reply { reply } => reply_message_asked(reply, look, help::Asked::ByMention),
        Notice::Digest { digest: d, .. } => digest::digest_message(d, look),
        Notice::Update {
            number,
            author,
            text,
            ..
        } => plain(progress::update(*number, author, text.as_ref(), false)),
        Notice::UpdateCorrected {
            number,
            author,
            text,
            as_posted,
            ..
        } => plain(progress::update(*number, author, text.as_ref(), !as_posted)),
        Notice::PhaseChanged {
            number,
            from,
            to,
            note,
            by,
        } => plain(progress::phase_change(
            *number,
            *from,
            *to,
            note.as_ref(),
            by,
        )),
        Notice::CarriesOnElsewhere {
            number,
            into,
            into_title,
            by,
        } => plain(progress::carries_on_elsewhere(
            *number,
            (*into, into_title),
            by,
        )),
        Notice::MergeUndone {
            number,
            from,
            from_title,
            by,
        } => plain(progress::merge_undone(
            *number,
            (*from, from_title.as_ref()),
            by,
        )),
        Notice::MergedTeamTold {
            number,
            title,
            into,
            into_title,
            by,
            workspace,
            shown_to,
        } => progress::merged_team_told(
            (*number, title),
            (*into, into_title),
            by.as_ref(),
            (&look.join_seal, workspace.as_ref(), shown_to.as_ref()),
        ),
        Notice::MergedIntoYours {
            number,
            title,
            from,
            from_title,
            by,
            newcomers,
            asked,
            back_to,
        } => plain(progress::merged_into_yours(
            (*number, title),
            (*from, from_title, *back_to),
            by,
            (*newcomers, *asked),
        )),
        Notice::ReusedProjectNews {
            council,
            project,
            page,
            news,
            by,
        } => plain(reuse::news(
            (council, project, page.as_ref()),
            news,
            by.as_ref(),
            look,
        )),
        Notice::MergedHere {
            number,
            from,
            from_title,
            by,
            newcomers,
            asked,
        } => plain(progress::merged_here(
            *number,
            (*from, from_title),
            by,
            (*newcomers, *asked),
        )),
        Notice::SkillsWanted {
            number,
            skills: wanted,
            by,
        } => plain(skills::line(*number, wanted, by)),
        Notice::PitchEdited {
            number,
            title,
            renamed_from,
            description,
            by,
        } => plain(progress::edit_line(
            *number,
            title,
            renamed_from.as_ref(),
            description.as_ref(),
            by,
        )),
        Notice::Reused {
            council,
            councils,
            elsewhere,
            ..
        } => plain(reuse::line(council, *councils, *elsewhere)),
        Notice::ReuseWithdrawn {
            council,
            councils,
            merged: None,
            ..
        } => plain(reuse::withdrawn_line(council, *councils)),
        Notice::ReuseWithdrawn {
            council,
            councils,
            merged: Some(merged),
            ..
        } => plain(reuse::merged_line(council, *councils, merged)),
        Notice::Publication { slug, by, .. } => plain(publishing::line(slug.as_ref(), by, look)),
        Notice::LinkChanged { which, url, by, .. } => {
            plain(publishing::link_line(*which, url.as_ref(), by))
        }
        Notice::ChangedByTeam {
            number,
            title,
            by,
            change,
        } => plain(lead_told::line(*number, title, by, change, look)),
        Notice::CatalogueHold {
            number,
            held,
            was_published,
            reason,
        } => plain(publishing::hold_line(
            *number,
            *held,
            *was_published,
            reason.as_ref(),
            look,
        )),
        Notice::Nudge {
            number,
            title,
            team,
            quiet_days,
        } => progress::nudge_message(*number, title.as_ref(), team, *quiet_days),
        // Its lead joining is its lead back, who left it (and the thread was told that
        // anyone may take the lead).
        Notice::Joined {
            user,
            council,
            makeup,
            pitcher,
            ..
        } if user == pitcher => plain(format!(
            ":{}: <@{user}>{} is back in the team, and leads it again. {}.",
            look.join_emoji,
            from_council(council.as_deref()),
            makeup_text(*makeup)
        )),
        Notice::Joined {
            user,
            council,
            makeup,
            ..
        } => plain(format!(
            ":{}: {}{} joined the team. {}.",
            look.join_emoji,
            Person::of(user),
            from_council(council.as_deref()),
            makeup_text(*makeup)
        )),
        Notice::TeamNews {
            number,
            title,
            user,
            council,
            makeup,
        } => plain(format!(
            "{}{} joined your project *{number}: {}*. The team is now {}.",
            Person::of(user),
            from_council(council.as_deref()),
            title_text(title),
            makeup_text(*makeup)
        )),
        Notice::RemovedFromTeam {
            number,
            title,
            by,
            open,
        } => {
            let mut text = format!(
                "{} took you off the team for *{number}: {}*.",
                Person::of(by),
                title_text(title)
            );
            if *open {
                let n = number.get();
                text.push_str(&format!(
                    " If that was a mistake, `/makers join {n}` puts you back."
                ));
            }
            plain(text)
        }
        Notice::HandedOver {
            number,
            title,
            by,
            to,
        } if by == to => plain(format!(
            "{} has taken on the lead of *{number}: {}*, as its lead had left the team.",
            Person::of(to),
            title_text(title)
        )),
        Notice::HandedOver {
            number,
            title,
            by,
            to,
        } => plain(format!(
            "{} now leads *{number}: {}*, handed over by {}.",
            Person::of(to),
            title_text(title),
            Person::of(by)
        )),
        Notice::LeadCouncilSet {
            number,
            title,
            council,
            by,
        } => plain(format!(
            "{} set the lead council of *{number}: {}* to *{}*.",
            Person::of(by),
            title_text(title),
            bold_text(council)
        )),
        Notice::LeadLeft {
            number,
            title,
            lead,
            team_left,
            left_slack,
        } => {
            let n = number.get();
            let next = match team_left {
                true => format!(
                    "Anyone in the team can take the lead now: `/makers handover {n} @person` (yourself included)."
                ),
                false => format!(
                    "Nobody else is in its team: whoever joins (`/makers join {n}`) can then take the lead with `/makers handover {n} @person`, naming themselves."
                ),
            };
            let left = match left_slack {
                // Forgotten: not named, and how they left is theirs.
                _ if lead.is_forgotten() => format!(
                    "The lead of *{number}: {}* has left its team.",
                    title_text(title)
                ),
                true => format!(
                    "{} has left Slack, so is no longer in the team of *{number}: {}*.",
                    Person::of(lead),
                    title_text(title)
                ),
                false => format!(
                    "{} has left the team of *{number}: {}*, which they led.",
                    Person::of(lead),
                    title_text(title)
                ),
            };
            plain(format!("{left} {next}"))
        }
        Notice::NowLead { number, title, by } => {
            let n = number.get();
            plain(format!(
                "{} handed *{number}: {}* over to you: you lead it now. Joins are told to you, and you can take someone off its team (`/makers remove {n} @person`) or hand it on (`/makers handover {n} @person`).",
                Person::of(by),
                title_text(title)
            ))
        }
        Notice::CannotAnnounce { number, channel } => plain(format!(
            "Project {number}: I could not post its announcement in <#{channel}> because I am not a member there. Invite me (type `/invite @Makers` in that channel) and I will post it straight away. The project is recorded."
        )),
        Notice::CorrectionRefused {
            number,
            why,
            of_update: false,
            ..
        } => plain(format!(
            "Project {number}: I could not correct its announcement ({}). Your change is recorded, and everything else the bot shows of it is up to date.",
            refused_because(why)
        )),
        Notice::CorrectionRefused {
            number,
            why,
            of_update: true,
            withdrawn: true,
        } => plain(format!(
            "Project {number}: I could not mark your update's line in the thread withdrawn ({}). Your update is withdrawn, and `show`, search and the digest no longer show it.",
            refused_because(why)
        )),
        Notice::CorrectionRefused {
            number,
            why,
            of_update: true,
            withdrawn: false,
        } => plain(format!(
            "Project {number}: I could not correct your update's line in the thread ({}). Your corrected update is recorded, and `show`, search and the digest read it.",
            refused_because(why)
        )),
        Notice::UpdateNotPosted {
            number,
            why: Some(why),
            ..
        } => plain(format!(
            "Project {number}: I could not post your update in its thread ({}). It is recorded, and `/makers show {}`, search and the digest show it.",
            refused_because(why),
            number.get()
        )),
        Notice::UpdateNotPosted {
            number,
            channel,
            why: None,
        } => plain(format!(
            "Project {number}: your update waits, as I am no longer a member of <#{channel}>, where its thread is. Invite me (type `/invite @Makers` in that channel) and I will post it there. It is recorded, and `/makers show {}`, search and the digest show it.",
            number.get()
        )),
        Notice::NudgeNotPosted {
            number,
            title,
            channel,
            quiet_days,
            why,
        } => plain(progress::nudge_not_posted(
            *number,
            title.as_ref(),
            channel,
            *quiet_days,
            &nudge_refused_because(why),
        )),
        Notice::DigestNotPosted {
            channel,
            why,
            stopped,
            first,
        } => plain(digest::not_posted(channel, why, *stopped, *first)),
        Notice::AnnouncementRefused {
            number,
            channel,
            why,
        } => {
            let n = number.get();
            let because = refused_because(why);
            plain(format!(
                "Project {number}: I could not post its announcement in <#{channel}> ({because}), so it has no thread for updates or joins by reaction. It is recorded: people can still see it with `/makers show {n}` and join with `/makers join {n}`."
            ))
        }
    }
}

/// A button acting on project `number` (its `value`), as every project button of ours is.
pub(super) fn project_button(
    label: &str,
    action_id: impl Into<SlackActionId>,
    number: ProjectNumber,
    title: Option<&Title>,
) -> SlackBlockButtonElement {
    SlackBlockButtonElement::new(label.into())
        .with_action_id(action_id.into())
        .with_value(number.get().to_string())
        .with_accessibility_label(accessibility_label(label, number, title).into())
}

/// What a screen reader says for a project's button: in a list of them (the Home, similar
/// projects), "Join" alone does not say which. Slack takes at most 75 characters, held to
/// 75 UTF-16 units as an option's text is (an emoji in a title takes two; which Slack counts
/// is not documented, and a count in units is never the smaller).
fn accessibility_label(label: &str, number: ProjectNumber, title: Option<&Title>) -> String {
    const MAX: usize = 75;
    let said = match title {
        Some(title) => format!(
            "{label}: {number} {}",
            plain::plain_text(&title_text(title))
        ),
        None => format!("{label}: project {number}"),
    };
    crate::domain::cut_utf16_with_ellipsis(&said, MAX)
}

/// Why Slack would not post a nudge (or a digest) in its channel, in words: as for any post,
/// or the bot no longer a member there (neither is kept for an invitation, so not the words
/// for a post set aside until one, `store::WAITING_FOR_CHANNEL`, the same code).
fn nudge_refused_because(code: &str) -> String {
    match bot_left(code) {
        true => "I am no longer a member of it: typing `/invite @Makers` there brings me back"
            .to_string(),
        false => refused_because(code),
    }
}

/// Whether Slack's refusal `code` says the bot is no longer in the channel (taken out, or the
/// channel gone or private to it), which an invitation mends.
fn bot_left(code: &str) -> bool {
    matches!(code, "not_in_channel" | "channel_not_found")
}

/// Why Slack refused to post or correct an announcement (or a digest), from its error code,
/// in words.
fn refused_because(code: &str) -> String {
    match code {
        "is_archived" => "the channel is archived".to_string(),
        // Slack's documented kinds of restriction (a channel's settings), then any other.
        "restricted_action_read_only_channel" => {
            "the channel is read-only for me: only some people may post there".to_string()
        }
        "restricted_action_thread_only_channel" => {
            "the channel takes replies in threads only".to_string()
        }
        "restricted_action_non_threadable_channel" => {
            "the channel does not take replies in threads".to_string()
        }
        "restricted_action_thread_locked" => "its thread is locked".to_string(),
        code if code.starts_with("restricted_action") => {
            "posting there is restricted".to_string()
        }
        "cannot_reply_to_message" => "Slack does not take replies to its announcement".to_string(),
        "message_not_found" => "it has been deleted".to_string(),
        // Set aside, not refused: see `handlers::delivered`.
        crate::store::WAITING_FOR_CHANNEL => "I am no longer a member of its channel: invite me there, typing `/invite @Makers`, and I will".to_string(),
        NEVER_ANNOUNCED => "its announcement was never posted, so it has no thread".to_string(),
        "cant_update_message" | "edit_window_closed" => {
            "Slack no longer lets me edit it".to_string()
        }
        code => format!("Slack said `{}`", escape(code)),
    }
}

/// "1 person", "5 people": a count and the word that goes with it.
pub(super) fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// "5 people from 3 councils"; people who have not said their council are not guessed at.
pub fn makeup_text(m: Makeup) -> String {
    let people = count(m.people, "person", "people");
    match m.councils {
        0 => people,
        n => format!("{people} from {}", count(n, "council", "councils")),
    }
}

pub(super) fn from_council(council: Option<&str>) -> String {
    council
        .map(|c| format!(" from {}", escape(c)))
        .unwrap_or_default()
}

fn membership(number: ProjectNumber, title: &Title, note: &MembershipNote) -> String {
    let project = format!("*{number}: {}*", title_text(title));
    match note {
        MembershipNote::Joined {
            makeup,
            council_known,
        } => {
            let mut text = format!(
                "You're in the team for {project}. The team is now {}.",
                makeup_text(*makeup)
            );
            if !council_known {
                text.push_str(" Tell the team where you work with `/makers council &lt;name&gt;`.");
            }
            text
        }
        MembershipNote::AlreadyIn => format!("You're already in the team for {project}."),
        MembershipNote::Left => {
            format!("You've left the team for {project}. Thanks for your help!")
        }
        MembershipNote::LeftLeading { team_left: true } => format!(
            "You've left the team for {project}. You led it, so anyone still in it can take the lead now (to choose who, `/makers handover {} @person`). Thanks for your help!",
            number.get()
        ),
        MembershipNote::LeftLeading { team_left: false } => format!(
            "You've left the team for {project}. You led it and were its last member, so whoever joins next can take the lead. Thanks for your help!"
        ),
        MembershipNote::NotIn => {
            format!("You're not in the team for {project}, so there was nothing to leave.")
        }
        MembershipNote::Removed { user } => format!(
            "{} is no longer in the team for {project}. I've told them.",
            Person::of(user)
        ),
        MembershipNote::NotTheirs { user } => format!(
            "{} isn't in the team for {project}, so there was nobody to take off.",
            Person::of(user)
        ),
        MembershipNote::HandedOver { user, told, dm } => format!(
            "{} leads {project} now.{} {}",
            Person::of(user),
            if *dm { " I've told them." } else { "" },
            thread_told(*told, "I've said so in the pitch's thread.")
        ),
        MembershipNote::AlreadyLeads { user } => format!(
            "{} leads {project} already, so nothing changed.",
            Person::of(user)
        ),
        MembershipNote::NotInTeamToLead { user, open: true } => format!(
            "{} isn't in the team for {project}, so can't lead it yet: once they join (`/makers join {}`), hand it over again.",
            Person::of(user),
            number.get()
        ),
        MembershipNote::AppCannotLead { user } => format!(
            "{} is an app, not a person, and only people join a team, so it can't lead {project}.",
            Person::of(user)
        ),
        MembershipNote::LeftSlackCannotLead { user } => format!(
            "{} has left Slack (their account was deactivated), so can't lead {project}: nobody else could manage it then. Nothing changed.",
            Person::of(user)
        ),
        MembershipNote::NotInTeamToLead { user, open: false } => format!(
            "{} isn't in the team for {project}, and a retired project takes nobody new, so it can't be handed to them.",
            Person::of(user)
        ),
    }
}

/// The words in as many sections as they need (an update's, escaped, may pass one section's
/// limit: see `fit::split_sections`), and the same words as the fallback `text`, cut to a
/// section's limit: Slack asks for at most 4,000 characters of `text` (an echoed 4,000-character word,
/// escaped, or a nudge to a very large team, would be far more).
pub(super) fn plain(mrkdwn: String) -> SlackMessageContent {
    let blocks = fit::sections(mrkdwn.clone());
    SlackMessageContent::new()
        .with_text(fit::truncate(mrkdwn))
        .with_blocks(blocks)
}

/// [`plain`], cut to fit as any, then one button below it.
pub(super) fn plain_with_button(
    mrkdwn: String,
    button: SlackBlockButtonElement,
) -> SlackMessageContent {
    let mut message = plain(mrkdwn);
    message
        .blocks
        .get_or_insert_with(Vec::new)
        .push(SlackActionsBlock::new(vec![button.into()]).into());
    message
}

/// How long a project has been quiet, as the digest and a nudge say it: "9 days" under two
/// weeks (`MAKERS_QUIET_AFTER_DAYS` may be a single day), whole weeks after.
pub(super) fn quiet_for(days: i64) -> String {
    match days {
        ..14 => count(days, "day", "days"),
        _ => count(days / 7, "week", "weeks"),
    }
}

/// A unix time as local time in `tz`, in a chrono `format` (`"%-d %b"`).
pub(super) fn local(at: i64, tz: Tz, format: &str) -> String {
    DateTime::<Utc>::from_timestamp(at, 0)
        .map(|t| t.with_timezone(&tz).format(format).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An update's 2,000 characters, escaped past one section's limit (each `<` is `&lt;`),
    /// are posted whole in the pitch's thread, in more than one section: cut to one, its
    /// end was lost with nothing saying so.
    #[test]
    fn a_long_update_escaped_past_a_section_is_posted_whole() {
        let words = "x<y ".repeat(500);
        let words = words.trim_end();
        let line = progress::update(
            ProjectNumber::new(4).unwrap(),
            &UserId::parse("U1").unwrap(),
            Some(&crate::domain::UpdateText::parse(words).unwrap()),
            false,
        );
        let v = serde_json::to_value(plain(line)).unwrap();
        let sections: Vec<&str> = v["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["text"]["text"].as_str().unwrap())
            .collect();
        assert!(sections.len() > 1, "{sections:?}");
        assert!(sections.iter().all(|s| s.chars().count() <= 3000));
        assert!(sections.iter().all(|s| !s.ends_with('…')), "{sections:?}");
        assert_eq!(sections.concat().matches("x&lt;y").count(), 500);
        assert!(sections.last().unwrap().ends_with("x&lt;y"));
    }

    /// A button's spoken label is held to 75 UTF-16 units, as an option's text is: a title
    /// with an emoji, cut at 75 characters, would be 76.
    #[test]
    fn a_buttons_label_with_an_emoji_is_held_to_75_units() {
        let number = ProjectNumber::new(4).unwrap();
        for title in [
            format!("🚮 {}", "x".repeat(70)),
            "🚮".repeat(60),
            format!("{}🚮", "x".repeat(65)),
        ] {
            let title = Title::parse(&title).unwrap();
            let label = accessibility_label("Join", number, Some(&title));
            assert!(crate::domain::utf16_len(&label) <= 75, "{label}");
            assert!(label.starts_with("Join: #4 🚮") || label.starts_with("Join: #4 x"));
            assert!(label.ends_with('…'), "{label}");
        }
        let short = Title::parse("Bin day 🚮").unwrap();
        assert_eq!(
            accessibility_label("Join", number, Some(&short)),
            "Join: #4 Bin day 🚮"
        );
    }

    /// A backtick in a title or a council's name shows as `ˋ`, as a `*` shows as `∗`: left
    /// as typed, it would pair with a command's code later on the same line.
    #[test]
    fn a_backtick_typed_in_a_title_or_a_council_is_not_code() {
        let title = Title::parse("Fix the `enter key form").unwrap();
        assert_eq!(title_text(&title), "Fix the \u{2cb}enter key form");
        assert_eq!(bold_text("Surrey `CC*"), "Surrey \u{2cb}CC\u{2217}");
    }

    /// Each of Slack's kinds of restriction is said in words, as is one it adds later; no
    /// code is shown raw but one nobody has met.
    #[test]
    fn slacks_restrictions_are_said_in_words() {
        for code in [
            "restricted_action",
            "restricted_action_read_only_channel",
            "restricted_action_thread_only_channel",
            "restricted_action_non_threadable_channel",
            "restricted_action_thread_locked",
            "restricted_action_some_new_kind",
            "cannot_reply_to_message",
        ] {
            let said = refused_because(code);
            assert!(
                !said.contains('`') && !said.contains("Slack said"),
                "{code}: {said}"
            );
        }
        assert_eq!(
            refused_because("restricted_action_thread_locked"),
            "its thread is locked"
        );
        assert_eq!(
            refused_because("fancy_new_code"),
            "Slack said `fancy_new_code`"
        );
    }
}
