//! `update` and `phase`: the team tells everyone how it is going. Both are posted in the
//! pitch's thread (no new channel messages) and both count as signs of life for nudges.
//! And `edit`: the team corrects the pitch (told in its thread, not a sign of life).

use anyhow::Context;
use rusqlite::Connection;

use super::reuse::{ToReusers, tell_reusers};
use super::team::Who;
use super::{Ctx, problem, project_or_problem};
use crate::domain::{
    CarriedOnAs, ChannelId, Description, MessageTs, Phase, ProjectHead, ProjectNumber, TeamId,
    Title, UpdateText, UserError, UserId,
};
use crate::message::{
    AnnouncementBody, CorrectedLine, DescriptionChange, Notice, Reply, TeamChange, ThreadLine,
};
use crate::outbox::{self, Post, To};
use crate::store::{self, PhaseMove, UpdateLine, UpdateNow};

/// Where an update came from: a command is echoed into the pitch's thread; a mention in the
/// thread (at its ts, with Slack's `edited.ts` if it was made by an edit) already is the
/// thread post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateSource {
    Command,
    ThreadMention {
        ts: MessageTs,
        edit_ts: Option<MessageTs>,
    },
}

/// A status update to record.
#[derive(Debug, Clone)]
pub struct NewUpdate {
    pub number: ProjectNumber,
    pub text: UpdateText,
    pub source: UpdateSource,
}

/// Records an update by a team member (or the pitcher) and queues it for the thread.
pub fn update(conn: &Connection, ctx: &Ctx, update: NewUpdate) -> anyhow::Result<Reply> {
    let NewUpdate {
        number,
        text,
        source,
    } = update;
    let (project_id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let line = match source {
        UpdateSource::Command => UpdateLine::Bot,
        UpdateSource::ThreadMention { .. } => UpdateLine::Own,
    };
    let id = store::insert_update(conn, project_id, &ctx.user, &text, line, ctx.now())
        .context("cannot record update")?;
    // The author's message is the line: kept, so that an edit of it is known (`edited_own`).
    if let UpdateSource::ThreadMention { ts, edit_ts } = &source {
        store::record_update_line(conn, id, ts)?;
        // Made by an edit, its time is kept too: an older edit Slack retries later is then
        // known as older and changes nothing (`edited_own`).
        if let Some(at) = edit_ts {
            store::newer_own_edit(conn, id, at)?;
        }
    }
    let notice = Notice::Update {
        number,
        author: ctx.user.clone(),
        text: Some(text),
        update: Some(id),
    };
    let own_message = matches!(source, UpdateSource::ThreadMention { .. });
    let in_thread = match source {
        UpdateSource::Command => {
            post_in_thread(conn, ctx, head_thread(project_id, &project), notice)?
        }
        UpdateSource::ThreadMention { .. } => ThreadLine::Queued,
    };
    Ok(Reply::UpdatePosted {
        number,
        title: project.title,
        in_thread,
        own_message,
    })
}

/// Replaces the words of the asker's latest update on project `number` (theirs alone: anyone
/// else's words are theirs to correct). Everything that shows updates (`show`, search,
/// digests) reads the new words. The bot's line in the thread: posted, it is corrected in
/// place; still to come, it is reworded before it goes out; on its way, it is corrected once
/// posted (`delivered`). Not a sign of life, as an edit is not. A withdrawn update stays so.
/// Team members and its lead only, as for `update`.
pub fn correct(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    text: UpdateText,
) -> anyhow::Result<Reply> {
    let (project_id, project) = match project_or_problem(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let Some(latest) = store::latest_update_by(conn, project_id, &ctx.user)? else {
        return Ok(problem(UserError::NoUpdateToCorrect(number)));
    };
    // Someone taken off the team (or who left) put new words in its record and rewrote its
    // thread's line, with nobody told: as for `update` (`team_project`), only the team may.
    // Taking their words back (`withdraw`) stays theirs, and the refusal says so.
    if !project.asker_in_team(&ctx.user) {
        return Ok(problem(UserError::NotInTeamToCorrect(number)));
    }
    let line = match &latest.words {
        UpdateNow::Withdrawn => return Ok(problem(UserError::LatestUpdateWithdrawn(number))),
        UpdateNow::Says(body) if *body == text.as_str() => CorrectedLine::Unchanged,
        UpdateNow::Says(_) => {
            store::correct_update(conn, latest.id, &text, ctx.now())?;
            reword_posts(conn, ctx, (number, &project.channel), &latest, Some(text))?
        }
    };
    Ok(Reply::UpdateCorrected {
        number,
        title: project.title,
        line,
    })
}

/// Withdraws the asker's latest update on project `number` (theirs alone, as for `correct`):
/// its words go from the record, search and the bot's posts, and nothing that shows updates
/// shows it. The bot's line in the thread says it was withdrawn: corrected in place once
/// posted, or going out so. The project's last sign of life goes back to what it was
/// without it (see `store::withdraw_update`).
pub fn withdraw(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    let (project_id, project) = match project_or_problem(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let Some(latest) = store::latest_update_by(conn, project_id, &ctx.user)? else {
        return Ok(problem(UserError::NoUpdateToWithdraw(number)));
    };
    let line = match latest.words {
        UpdateNow::Withdrawn => CorrectedLine::Unchanged,
        UpdateNow::Says(_) => {
            store::withdraw_update(conn, latest.id, ctx.now())?;
            reword_posts(conn, ctx, (number, &project.channel), &latest, None)?
        }
    };
    Ok(Reply::UpdateWithdrawn {
        number,
        title: project.title,
        line,
    })
}

/// Gives the posts of the asker's update `latest` on project `number` (announced in
/// `channel`) its new words, `None` once withdrawn, so that none keeps the words taken back:
/// its line and corrections, posted or still to come, and digests still to be posted. A
/// posted line of the bot's is corrected in place (one on its way, once delivered:
/// `delivered`); the asker's own message is theirs to change. What became of the line.
fn reword_posts(
    conn: &Connection,
    ctx: &Ctx,
    (number, channel): (ProjectNumber, &ChannelId),
    latest: &store::LatestUpdate,
    text: Option<UpdateText>,
) -> anyhow::Result<CorrectedLine> {
    let words = text.as_ref().map(UpdateText::as_str);
    store::reword_update_posts(conn, &ctx.team, channel, latest.id, words)?;
    outbox::reword_update_in_digests(conn, &ctx.team, latest.id, words)?;
    Ok(match (latest.line, &latest.line_ts) {
        (Some(UpdateLine::Bot), Some(ts)) => {
            let to = To::Thread(channel.clone(), ts.clone());
            let notice = Notice::UpdateCorrected {
                number,
                author: ctx.user.clone(),
                text,
                update: latest.id,
                as_posted: false,
            };
            outbox::queue(conn, &Post::new(&ctx.team, to, notice), ctx.now())?;
            CorrectedLine::InPlace
        }
        (Some(UpdateLine::Bot), None) => {
            match store::update_line_to_come(conn, &ctx.team, channel, latest.id)? {
                true => CorrectedLine::Waiting,
                false => CorrectedLine::NoLine,
            }
        }
        (Some(UpdateLine::Own), _) => CorrectedLine::OwnMessage,
        (None, _) => CorrectedLine::RecordOnly,
    })
}

/// Corrects a pitch's title, and its description when given (team and lead only). Its
/// announcement is replaced with the new words (posted or still to come), and what changed
/// goes in its thread; everything that shows the project (lists, `show`, search, the
/// catalogue, digests, those still to be posted among them, the Home) reads the new words
/// from then on. An edit is not news: it does not put off a nudge.
pub fn edit(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    title: Option<Title>,
    description: Option<Description>,
) -> anyhow::Result<Reply> {
    let (project_id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    // `edit 4 | a new description` keeps the title.
    let title = title.unwrap_or_else(|| project.title.clone());
    let edit = store::edit_pitch(
        conn,
        project_id,
        &project,
        &title,
        description.as_ref(),
        ctx.now(),
    )?;
    let in_thread = match edit.changed_anything() {
        true => {
            let edited = ProjectHead {
                title: title.clone(),
                description: edit.description.clone(),
                ..project.clone()
            };
            correct_announcement(conn, ctx, project_id, &edited)?;
            // Digests waiting for Slack were made with the old words: they go out with these.
            outbox::retitle_in_digests(conn, &ctx.team, &edited)?;
            // Renamed: the announcements of the projects merged into it name it, as a merge
            // corrects them (they kept the old title).
            if edit.renamed_from.is_some() {
                correct_announcements_of(conn, ctx, store::merged_into(conn, project_id)?)?;
            }
            let notice = Notice::PitchEdited {
                number,
                title: title.clone(),
                description: description.filter(|_| edit.description_changed),
                renamed_from: edit.renamed_from.clone(),
                by: ctx.user.clone(),
            };
            let in_thread = post_in_thread(conn, ctx, head_thread(project_id, &project), notice)?;
            let change = TeamChange::Edited {
                renamed_from: edit.renamed_from.clone(),
            };
            tell_lead_of(conn, ctx, project_id, &project, &title, change)?;
            Some(in_thread)
        }
        false => None,
    };
    Ok(Reply::PitchEdited {
        number,
        title,
        renamed: edit.renamed_from.is_some(),
        description: match (edit.description_changed, edit.description.is_empty()) {
            (false, _) => DescriptionChange::Kept,
            (true, false) => DescriptionChange::Replaced,
            (true, true) => DescriptionChange::Removed,
        },
        in_thread,
    })
}

/// Moves a project to another phase, keeping the change in its history.
pub fn phase(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    to: Phase,
    note: Option<UpdateText>,
) -> anyhow::Result<Reply> {
    let (project_id, project) = match team_project(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    if project.phase == to {
        return Ok(problem(UserError::AlreadyInPhase(number, to)));
    }
    // Brought back, a merged project is its own again (`change_phase`), and the one it was
    // merged into (last, after a chain of merges) hears so in its thread.
    let was_merged = match project.phase {
        Phase::Retired => store::merge_target(conn, project_id)?,
        _ => None,
    };
    let change = PhaseMove {
        project_id,
        from: project.phase,
        to,
        note: note.as_ref(),
        by: &ctx.user,
        at: ctx.now(),
        merge: false,
    };
    store::change_phase(conn, &change).context("cannot change phase")?;
    if to == Phase::Retired {
        // Digests waiting for Slack would still invite people to join it.
        outbox::retire_in_digests(conn, &ctx.team, number)?;
    }
    let moved = ProjectHead {
        phase: to,
        ..project.clone()
    };
    correct_announcement(conn, ctx, project_id, &moved)?;
    let notice = Notice::PhaseChanged {
        number,
        from: project.phase,
        to,
        note,
        by: ctx.user.clone(),
    };
    let in_thread = post_in_thread(conn, ctx, head_thread(project_id, &project), notice)?;
    if let Some(into) = &was_merged
        && let Some((into_id, head)) =
            store::project_head_for_operator(conn, &ctx.team, into.number)?
    {
        // Named only where it may be shown: its channel may have been made private since
        // the merge (one across a private channel is refused).
        let named = named_in(conn, &ctx.team, &head.channel, number)?;
        let undone = Notice::MergeUndone {
            number: into.number,
            from: number,
            from_title: named.then(|| project.title.clone()),
            by: ctx.user.clone(),
        };
        post_in_thread(conn, ctx, head_thread(into_id, &head), undone)?;
    }
    let mut reusers_told = Vec::new();
    if to == Phase::Retired {
        tell_lead_of(
            conn,
            ctx,
            project_id,
            &project,
            &project.title,
            TeamChange::Retired,
        )?;
        reusers_told = tell_reusers(conn, ctx, project_id, &project, ToReusers::Retired)?;
    }
    if project.phase == Phase::Retired {
        let back = ToReusers::Back {
            phase: to,
            unmerged: was_merged.is_some(),
        };
        reusers_told = tell_reusers(conn, ctx, project_id, &project, back)?;
        let found = super::team::Found {
            id: project_id,
            project: moved,
        };
        super::team::lead_who_left_while_retired(conn, ctx, &found)?;
        super::team::without_those_gone(conn, ctx, &found)?;
    }
    Ok(Reply::PhaseChanged {
        number,
        title: project.title,
        phase: to,
        in_thread,
        reusers_told,
        unmerged: was_merged.map(|into| into.number),
    })
}

/// [`correct_announcement`] for each of `numbers` as stored now (the projects merged into
/// one renamed or merged in turn, whose announcements name it).
pub(super) fn correct_announcements_of(
    conn: &Connection,
    ctx: &Ctx,
    numbers: impl IntoIterator<Item = ProjectNumber>,
) -> anyhow::Result<()> {
    for number in numbers {
        if let Some((id, head)) = store::project_head_for_operator(conn, &ctx.team, number)? {
            correct_announcement(conn, ctx, id, &head)?;
        }
    }
    Ok(())
}

/// Replaces project `project_id`'s announcement with what it says now: the words and phase
/// of `current` (its head as changed), and the skills its team wants as stored. One waiting
/// to be posted goes out so, and one posted is corrected in Slack (`chat.update`). Queued
/// before the thread line that says what changed, so by the time the thread says so, the
/// announcement reads it. (The correction is queued even when the announcement was
/// reworded: the worker may have taken it to post before the words changed.)
pub(super) fn correct_announcement(
    conn: &Connection,
    ctx: &Ctx,
    project_id: i64,
    current: &ProjectHead,
) -> anyhow::Result<()> {
    correct_announcement_for(
        conn,
        &Who::of(ctx),
        &ctx.rules.join_emoji,
        project_id,
        current,
    )
}

/// [`correct_announcement`] for `by`, who is told if Slack refuses (nobody, if forgotten).
fn correct_announcement_for(
    conn: &Connection,
    by: &Who<'_>,
    join_emoji: &str,
    project_id: i64,
    current: &ProjectHead,
) -> anyhow::Result<()> {
    let carried_on_as = match current.phase {
        Phase::Retired => match store::merge_target(conn, project_id)? {
            // Not named in this channel where its own was made private since the merge:
            // its title is shown only there and to its team (as `show` leaves it out).
            Some(into) if !named_in(conn, by.team, &current.channel, into.number)? => None,
            into => into,
        },
        _ => None,
    };
    // Read by another organisation too, where a typed `/makers join N` would run in the
    // reader's own workspace: pointed at by its announcement instead.
    let shared =
        carried_on_as.is_some() && store::channel_said(conn, by.team, &current.channel)?.shared;
    let carried_on_at = match &carried_on_as {
        Some(into) if shared => store::announcement_of(conn, into.id)?,
        _ => None,
    };
    let body = AnnouncementBody {
        project_id,
        number: current.number,
        title: current.title.clone(),
        description: current.description.clone(),
        // The announcement says who pitched it, whoever leads it now.
        pitcher: current.who_pitched().clone(),
        join_emoji: join_emoji.to_string(),
        wanted: store::wanted_skills(conn, project_id)?,
        phase: current.phase,
        carried_on_as: carried_on_as.map(CarriedOnAs::from),
        shared,
        carried_on_at,
    };
    if current.announcement_ts.is_none() {
        outbox::reword_unposted_announcement(conn, by.team, &current.channel, &body)?;
    }
    store::withdraw_announcement_corrections(conn, by.team, &current.channel, project_id)?;
    let correction = Notice::AnnouncementCorrected {
        body,
        by: by.user.clone(),
    };
    queue_in_thread(
        conn,
        by.team,
        by.now,
        head_thread(project_id, current),
        correction,
    )?;
    Ok(())
}

/// Whether project `number` of `team` may be named in a post in `channel`, read by all its
/// members: not if it was pitched in another channel that is private.
fn named_in(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    number: ProjectNumber,
) -> anyhow::Result<bool> {
    let audience = store::Audience {
        here: Some(channel),
        viewer: None,
        only_here: false,
    };
    Ok(!store::is_hidden(conn, team, number, audience)?)
}

/// After a forget: the bot's posts in Slack that said who the person was (the announcement
/// of a pitch of theirs or that mentions them, the lines of their updates: see
/// [`store::PostedNaming`]) are corrected in place to read as the record does now, naming
/// nobody. Nobody is told if Slack refuses (the correction is by the forgotten person). Not
/// in a workspace that removed the app, where the bot can post nothing.
pub fn correct_posts_naming(
    conn: &Connection,
    posted: &[store::PostedNaming],
    join_emoji: &str,
    now: i64,
) -> anyhow::Result<()> {
    let forgotten = UserId::forgotten();
    for naming in posted {
        if !served(conn, naming.team())? {
            continue;
        }
        match naming {
            store::PostedNaming::Announcement { team, number } => {
                let Some((id, current)) = store::project_head(conn, team, *number, &forgotten)?
                else {
                    continue;
                };
                let by = Who {
                    team,
                    user: &forgotten,
                    now,
                };
                correct_announcement_for(conn, &by, join_emoji, id, &current)?;
            }
            store::PostedNaming::UpdateLine { team, update } => {
                let Some(store::PostedLine {
                    number,
                    channel,
                    ts,
                    now: words,
                    corrected,
                }) = store::posted_update_line(conn, *update)?
                else {
                    continue;
                };
                let text = match words {
                    UpdateNow::Says(words) => match UpdateText::parse(&words) {
                        Ok(text) => Some(text),
                        Err(_) => continue,
                    },
                    UpdateNow::Withdrawn => None,
                };
                // Put right for who wrote it: marked "(corrected)" only if its words were.
                let notice = Notice::UpdateCorrected {
                    number,
                    author: forgotten.clone(),
                    text,
                    update: *update,
                    as_posted: !corrected,
                };
                let to = To::Thread(channel, ts);
                outbox::queue(conn, &Post::new(team, to, notice), now)?;
            }
        }
    }
    Ok(())
}

/// The project, if it exists and the asker is in its team (or leads it); otherwise the
/// reply that says why not.
pub(super) fn team_project(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
) -> anyhow::Result<Result<(i64, ProjectHead), Reply>> {
    let (id, project) = match project_or_problem(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    if !project.asker_in_team(&ctx.user) {
        // Not "join it first" where a join would be refused.
        let why = match project.phase {
            Phase::Retired => UserError::NotInRetiredTeam(number),
            _ => UserError::NotInTeam(number),
        };
        return Ok(Err(problem(why)));
    }
    Ok(Ok((id, project)))
}

/// A pitch's thread: its project's id, its channel, its announcement's ts once posted, and
/// whether Slack refused the announcement for good (then there will be no thread).
pub(super) struct PitchThread<'a> {
    project_id: i64,
    channel: &'a ChannelId,
    ts: Option<&'a MessageTs>,
    refused: bool,
}

pub(super) fn head_thread(id: i64, p: &ProjectHead) -> PitchThread<'_> {
    PitchThread {
        project_id: id,
        channel: &p.channel,
        ts: p.announcement_ts.as_ref(),
        refused: p.announcement_refused,
    }
}

/// Queues `notice` as `ctx`'s line in a pitch's thread; where it went, for the answer. With
/// no announcement yet the line waits for it (the worker finds the thread once it is
/// posted).
pub(super) fn post_in_thread(
    conn: &Connection,
    ctx: &Ctx,
    thread: PitchThread<'_>,
    notice: Notice,
) -> anyhow::Result<ThreadLine> {
    queue_in_thread(conn, &ctx.team, ctx.now(), thread, notice)
}

/// Tells the project's lead, in their messages with the bot, of a change someone else in its
/// team made to what everyone sees of it (its words, the catalogue, its links, retiring it):
/// anyone who joins may make one, and the thread's line reaches only those who look, so the
/// lead hears of it and can put it back. Not a lead who left the team (they stepped back),
/// nor one forgotten. `title`: as it is after the change. Whether the lead was told.
pub(super) fn tell_lead_of(
    conn: &Connection,
    ctx: &Ctx,
    project_id: i64,
    project: &ProjectHead,
    title: &Title,
    change: TeamChange,
) -> anyhow::Result<bool> {
    let lead = &project.pitcher;
    if *lead == ctx.user || lead.is_forgotten() || !store::is_member(conn, project_id, lead)? {
        return Ok(false);
    }
    let notice = Notice::ChangedByTeam {
        number: project.number,
        title: title.clone(),
        by: ctx.user.clone(),
        change,
    };
    outbox::queue(
        conn,
        &Post::new(&ctx.team, To::Dm(lead.clone()), notice),
        ctx.now(),
    )
    .context("cannot queue the word to the lead")?;
    Ok(true)
}

/// [`queue_in_thread`] for a line that does not come from its workspace's own request (an
/// operator's takedown, a re-use said from another workspace): a workspace that removed the
/// app is posted nothing, since the line would wait for ever (`ThreadLine::Unserved`).
pub(super) fn queue_in_served_thread(
    conn: &Connection,
    team: &TeamId,
    now: i64,
    thread: PitchThread<'_>,
    notice: Notice,
) -> anyhow::Result<ThreadLine> {
    if !served(conn, team)? {
        return Ok(ThreadLine::Unserved);
    }
    queue_in_thread(conn, team, now, thread, notice)
}

/// Whether the bot still posts in `team`: not once it removed the app (a line for it would
/// wait for ever). For lines that do not come from the workspace's own request.
pub(super) fn served(conn: &Connection, team: &TeamId) -> anyhow::Result<bool> {
    Ok(store::standing(conn, team)? != store::Standing::Removed)
}

/// [`post_in_thread`] for a line queued outside a request (a join settled by the worker, an
/// operator's takedown).
pub(super) fn queue_in_thread(
    conn: &Connection,
    team: &TeamId,
    now: i64,
    thread: PitchThread<'_>,
    notice: Notice,
) -> anyhow::Result<ThreadLine> {
    let channel = thread.channel.clone();
    let (to, line) = match thread.ts {
        Some(ts) => (To::Thread(channel, ts.clone()), ThreadLine::Queued),
        // A join's line is queued all the same when refused: the worker ends it at once, and
        // its pitcher is told as for any join whose line cannot be posted. No other line: the
        // answer to its change already said there is no thread, and an update's author was
        // told again in their messages with the bot (twice by the form, which says its answer
        // there too).
        None if thread.refused && !matches!(notice, Notice::Joined { .. }) => {
            return Ok(ThreadLine::NoThread);
        }
        None if thread.refused => (
            To::AnnouncementThread(channel, thread.project_id),
            ThreadLine::NoThread,
        ),
        None => (
            To::AnnouncementThread(channel, thread.project_id),
            ThreadLine::Waiting,
        ),
    };
    outbox::queue(conn, &Post::new(team, to, notice), now)
        .context("cannot queue a line for a pitch's thread")?;
    Ok(line)
}
