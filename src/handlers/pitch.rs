//! `pitch`: record a project and queue its announcement in the same transaction.

use anyhow::Context;
use rusqlite::Connection;

use super::team::{self, Asked, Named};
use super::{Ctx, problem};
use crate::domain::{
    CouncilName, Description, Phase, ProjectNumber, ProjectSummary, SearchWords, Skill, Title,
    UserError,
};
use crate::message::{AnnouncementBody, Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store::{self, NewProject};

/// Most similar projects named in the pitcher's reply.
const SIMILAR: usize = 3;
/// Best full-text matches looked at to find them.
const CANDIDATES: u32 = 10;
/// Most services of other workspaces named in the pitcher's reply.
const ELSEWHERE: u32 = 2;

/// A pitch sent with the pitch form: what the typed form has, and more.
#[derive(Debug, Clone)]
pub struct FormPitch {
    pub title: Title,
    pub description: Description,
    /// The lead council as the form last showed it (pre-filled with the pitcher's own);
    /// `None` when left empty: the project then has no lead council.
    pub lead_council: Option<CouncilName>,
    /// The roles the team wants (kept, and listed in the announcement).
    pub skills: Vec<Skill>,
}

/// `/makers pitch <title> | <description>`: the project's lead council is the pitcher's.
pub fn pitch(
    conn: &Connection,
    ctx: &Ctx,
    title: Title,
    description: Description,
) -> anyhow::Result<Reply> {
    let pitcher_council = store::council_of(conn, &ctx.team, &ctx.user)?.map(|(id, _)| id);
    Ok(record(conn, ctx, title, description, pitcher_council, &[])?.1)
}

/// The "did you mean…?" offered under the pitch form's lead council was answered after
/// Slack stopped waiting (it shows its own error, and keeps the form), so never seen: it is
/// forgotten, and *Pitch* pressed again asks again rather than record the slip unasked as a
/// council of its own (every workspace's figures and the catalogue would show two).
pub fn council_offer_unseen(conn: &Connection, ctx: &Ctx) -> anyhow::Result<()> {
    store::clear_council_offer(conn, &ctx.team, &ctx.user)
}

/// The pitch form submitted: recorded and announced as the typed pitch is, with the lead
/// council it names (recorded as a council if new; the pitcher's own council is left as it
/// is). A modal's answer cannot carry a message, so the pitcher's reply, similar projects
/// and all, is queued for their DM with the bot, in this same transaction.
///
/// A lead council not yet recorded and close to one that is, is offered back instead
/// ([`Reply::CouncilDidYouMean`], shown under the field) and nothing is recorded, as
/// `/makers council` offers it: councils are shared by every workspace and the catalogue,
/// so a slip would be one council counted as two. The same name submitted again next is
/// taken.
pub fn pitch_form(conn: &Connection, ctx: &Ctx, form: FormPitch) -> anyhow::Result<Reply> {
    let lead = match &form.lead_council {
        Some(name) => match team::named_council(conn, ctx, name, Asked::InForm)? {
            Named::Offered(offer) => return Ok(offer),
            named => Some((name, named)),
        },
        None => None,
    };
    // Answered with another council, or none: the slip offered was put right, and the same
    // slip in a later form is asked about again, not taken as insisted on; forgotten
    // whether the pitch is then taken or not. The slip itself, insisted on, is forgotten
    // only once taken: refused for the allowance, pressed again it is still taken.
    let insisting = match &lead {
        Some((name, Named::New)) => team::offered(conn, ctx, name, Asked::InForm)?,
        _ => false,
    };
    if !insisting {
        team::offer_answered(conn, ctx, Asked::InForm)?;
    }
    // A pitch like any other: it spends one of the asker's changes. Past the allowance the
    // refusal is the answer, shown in the form, which stays open with what they typed
    // (every time: it costs no post).
    if let Err(over) = super::spend_in_reply(ctx) {
        return Ok(*over.reply);
    }
    if insisting {
        team::offer_answered(conn, ctx, Asked::InForm)?;
    }
    let lead = match lead {
        Some((_, Named::Recorded(id, _))) => Some(id),
        Some((name, _)) => Some(store::find_or_add_council(conn, &ctx.team, name, ctx.now())?.0),
        None => None,
    };
    let mut reply = record(conn, ctx, form.title, form.description, lead, &form.skills)?.1;
    // The field emptied by someone who has said their council: their choice, not a gap.
    if let Reply::Pitched { unled, .. } = &mut reply
        && *unled
    {
        *unled = store::council_of(conn, &ctx.team, &ctx.user)?.is_none();
    }
    // To their DM with the bot: from the shortcut or the Home they may pick a public channel
    // they are not in, where Slack refuses them a private answer. So the similar projects
    // are those its Join buttons can join there: not a private channel's they are not in.
    let reply = with_similar_or_as_is(conn, &ctx.in_dm(), reply);
    super::tell(conn, ctx, super::Privately::InDm, reply.clone())?;
    Ok(reply)
}

/// Records and announces a project; its id comes back with the reply (none if refused).
fn record(
    conn: &Connection,
    ctx: &Ctx,
    title: Title,
    description: Description,
    pitcher_council: Option<i64>,
    wanted: &[Skill],
) -> anyhow::Result<(Option<i64>, Reply)> {
    // A DM is not a place others can see or join from (and the bot cannot post in other
    // people's DMs), so pitches belong in channels.
    if ctx.channel.is_dm() {
        return Ok((None, problem(UserError::CannotPitchHere)));
    }
    let new = NewProject {
        team: &ctx.team,
        title: &title,
        description: &description,
        pitcher: &ctx.user,
        channel: &ctx.channel,
        pitcher_council,
        now: ctx.now(),
    };
    let (project_id, number) = store::insert_project(conn, &new).context("cannot record pitch")?;
    if !wanted.is_empty() {
        store::set_wanted_skills(conn, project_id, wanted)?;
    }
    let announcement = Notice::Announcement(AnnouncementBody {
        project_id,
        number,
        title: title.clone(),
        description,
        pitcher: ctx.user.clone(),
        join_emoji: ctx.rules.join_emoji.clone(),
        // The form's skills wanted; a typed pitch has none yet (`wants` adds them later).
        wanted: wanted.to_vec(),
        phase: Phase::Discovery,
        carried_on_as: None,
        shared: false,
        carried_on_at: None,
    });
    let to = To::Channel(ctx.channel.clone());
    let row = outbox::queue(conn, &Post::new(&ctx.team, to, announcement), ctx.now())
        .context("cannot queue pitch announcement")?;
    let (team, project) = (ctx.team.clone(), number.get());
    store::log_once_committed(move || tracing::info!(%team, project, "project pitched"));
    // The channel's posts wait for the bot to be invited: this answer says so, so the
    // announcement parked behind them does not tell the pitcher again by DM.
    let uninvited = store::waits_for_invitation(conn, &ctx.team, &ctx.channel)?;
    if uninvited {
        store::set_pitcher_told(conn, row)?;
    }
    let reply = Reply::Pitched {
        number,
        title,
        channel: ctx.channel.clone(),
        // Filled by `with_similar`: for the typed pitch once it has committed, on a read
        // connection; for the form in its transaction, as its reply is queued there.
        similar: Vec::new(),
        yours: Vec::new(),
        workspace: None,
        shown_to: None,
        unled: pitcher_council.is_none(),
        uninvited,
        // Known from an earlier pitch there; the first is asked about as it is announced.
        private_channel: store::is_private(conn, &ctx.team, &ctx.channel)?,
        // Filled by `with_similar`, as `similar` is.
        elsewhere: Vec::new(),
    };
    Ok((Some(project_id), reply))
}

/// [`with_similar`] where it has anything to look for, in a write transaction (the form's
/// and the mention's pitch); if the look-up fails, the reply as it was (logged): a pitch
/// stands whether or not similar projects could be read.
pub fn with_similar_or_as_is(conn: &Connection, ctx: &Ctx, reply: Reply) -> Reply {
    if !looks_for_similar(&reply) {
        return reply;
    }
    // The index is otherwise brought up to date only at the batch's commit: a pitch made
    // earlier in the same batch (two people pitching one idea at once) would not be found.
    // One `EXISTS` read when nothing is pending.
    let found = store::sync_search(conn).and_then(|()| with_similar(conn, ctx, reply.clone()));
    found.unwrap_or_else(|e| {
        tracing::warn!(error = format!("{e:#}"), "similar projects not found");
        reply
    })
}

/// Whether [`with_similar`] has anything to look for: a pitch whose title says enough.
pub fn looks_for_similar(reply: &Reply) -> bool {
    matches!(reply, Reply::Pitched { title, .. }
        if SearchWords::for_similarity(title.as_str()).is_some())
}

/// A committed pitch's reply with the open projects of the workspace that look like the same
/// thing, and the services other workspaces have put in the public catalogue that do. For
/// the typed pitch, kept off the write transaction (the store has one writer, and these are
/// reads of about a millisecond at most, measured at 10,000 services); any other reply comes
/// back as it was.
pub fn with_similar(conn: &Connection, ctx: &Ctx, reply: Reply) -> anyhow::Result<Reply> {
    let Reply::Pitched {
        number,
        title,
        channel,
        unled,
        uninvited,
        private_channel,
        ..
    } = reply
    else {
        return Ok(reply);
    };
    let words = SearchWords::for_similarity(title.as_str());
    let (similar, yours) = match &words {
        Some(words) => similar_projects(conn, ctx, words, number)?,
        None => (Vec::new(), Vec::new()),
    };
    // Other workspaces' services in the public catalogue, as the catalogue finds them: a
    // council may re-use one rather than build its own.
    let elsewhere = match &words {
        Some(words) => {
            super::browse::services_elsewhere(conn, ctx, words, store::Elsewhere::Open, ELSEWHERE)
        }
        None => Vec::new(),
    };
    Ok(Reply::Pitched {
        number,
        title,
        channel,
        similar,
        yours,
        workspace: Some(ctx.team.clone()),
        shown_to: Some(ctx.user.clone()),
        unled,
        uninvited,
        private_channel,
        elsewhere,
    })
}

/// Open projects whose title or description hold every word of the new title (whole words,
/// stemmed): "Bin day finder" finds "Bin collection day finder", while one word in
/// common ("Missed bin reports") is not enough. At most [`SIMILAR`], best match first; and
/// apart, the best of them the pitcher already leads or is in (pitched twice, say).
fn similar_projects(
    conn: &Connection,
    ctx: &Ctx,
    words: &SearchWords,
    itself: ProjectNumber,
) -> anyhow::Result<(Vec<ProjectSummary>, Vec<ProjectSummary>)> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    // As many more as the pitcher may not see here, left out.
    let hidden = super::hidden_here(conn, ctx)?;
    let asked = super::room_for(CANDIDATES, &hidden);
    let candidates: Vec<ProjectSummary> =
        store::search_projects(conn, &ctx.team, words, quiet_since, asked, Some(itself))?
            .into_iter()
            .filter(|p| !hidden.contains(&p.number))
            .collect();
    let numbers: Vec<ProjectNumber> = candidates.iter().map(|p| p.number).collect();
    let theirs = store::led_or_in_among(conn, &ctx.team, &ctx.user, &numbers)?;
    let (mut others, mut yours) = (Vec::new(), Vec::new());
    for p in candidates {
        match theirs.contains(&p.number) {
            true if yours.is_empty() => yours.push(p),
            true => {}
            false => others.push(p),
        }
        if others.len() == SIMILAR {
            break;
        }
    }
    Ok((others, yours))
}
