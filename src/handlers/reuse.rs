//! `reuse` and `unreuse`: a council says, in Slack, that it re-uses a project (the point of the
//! Makers: work done once, used by many). Recorded per council, so the asker's council must be
//! known first; one line in the pitch's thread tells the team.

use rusqlite::Connection;

use super::team::Found;
use super::{Ctx, problem, project_or_problem};
use crate::domain::{
    Phase, ProjectHead, ProjectNumber, Slug, TeamId, UpdateText, UserError, UserId,
    cut_with_ellipsis, public_text,
};
use crate::message::{MergedInto, Notice, ProjectNamed, Reply, ReuseNote, ReusedNews, ThreadLine};
use crate::outbox::{self, Post, To};
use crate::store::{self, Listed, ListedProject, NewReuse, Recorded};

/// Records that the asker's council re-uses project `number` (or updates its note).
pub fn reuse(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    note: Option<UpdateText>,
) -> anyhow::Result<Reply> {
    let again = typed_again(&number.get().to_string(), note.as_ref());
    let asker = match project_and_council(conn, ctx, number, Some(again))? {
        Ok(asker) => asker,
        Err(refusal) => return Ok(refusal),
    };
    record(conn, ctx, asker, &ctx.team, note, None)
}

/// `reuse <address>`: the same for a service in the public catalogue, whichever workspace
/// made it. Its thread line goes to its own workspace's pitch thread.
pub fn reuse_listed(
    conn: &Connection,
    ctx: &Ctx,
    service: Slug,
    note: Option<UpdateText>,
) -> anyhow::Result<Reply> {
    let again = typed_again(&service.as_typed(), note.as_ref());
    let (listed, asker) = match listed_and_council(conn, ctx, &service, Listed::Now, Some(again))? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    record(conn, ctx, asker, &listed.team, note, Some(service))
}

/// The `reuse` command naming `named` with `note`, for someone to type again.
fn typed_again(named: &str, note: Option<&UpdateText>) -> String {
    match note {
        Some(note) => format!("reuse {named} | {}", note.as_str()),
        None => format!("reuse {named}"),
    }
}

/// Records the re-use of `asker.found`, a project of workspace `home`; `listed` if it was
/// named by its catalogue address.
fn record(
    conn: &Connection,
    ctx: &Ctx,
    asker: Asker,
    home: &TeamId,
    note: Option<UpdateText>,
    listed: Option<Slug>,
) -> anyhow::Result<Reply> {
    let Asker {
        found,
        council_id,
        council,
    } = asker;
    let p = &found.project;
    // A note said from another workspace is kept as the catalogue would show it: its
    // mentions and ids name people and channels of that workspace, not this one's. So is
    // one changed here on a re-use said in another workspace (whose export holds it).
    // Cleaning may lengthen it ("(e-mail removed)"): cut to what a note holds, with "…".
    let said_elsewhere = || -> anyhow::Result<bool> {
        Ok(store::reuse_said_in(conn, found.id, council_id)?.is_some_and(|t| t != ctx.team))
    };
    let note = match note {
        Some(text) if home != &ctx.team || said_elsewhere()? => {
            let public = public_text(text.as_str());
            let fits = cut_with_ellipsis(&public, UpdateText::MAX_CHARS);
            // Nothing left (it only named that workspace's people): no note.
            UpdateText::parse(&fits).ok()
        }
        note => note,
    };
    // Retired, it takes no new council; one that re-uses it may still change its note.
    if p.phase == Phase::Retired && !store::reuses_project(conn, found.id, council_id)? {
        // Merged: the work to re-use carries on there. By address (from any workspace),
        // to a service in the catalogue, whose address is public; by number, as `show`.
        // Not `reuse 4` to a council that leads it or re-uses it already, as `tell_reusers`.
        let offer_reuse = |into: &store::MergeTarget| -> anyhow::Result<bool> {
            Ok(into.lead_council_id != Some(council_id)
                && !store::reuses_project(conn, into.id, council_id)?)
        };
        let why = match listed {
            Some(service) => match store::merge_target(conn, found.id)? {
                Some(
                    ref target @ store::MergeTarget {
                        phase,
                        published: Some(ref into),
                        ..
                    },
                ) if phase != Phase::Retired => UserError::ReuseMergedService {
                    service,
                    into: into.clone(),
                    offer_reuse: offer_reuse(target)?,
                },
                _ => UserError::RetiredService(service),
            },
            None => match super::carries_on(conn, ctx, found.id)? {
                Some(into) => UserError::ReuseMerged {
                    number: p.number,
                    into: into.number,
                    offer_reuse: offer_reuse(&into)?,
                },
                None => UserError::RetiredNotReusable(p.number),
            },
        };
        return Ok(problem(why));
    }
    // Re-use is the give-and-take between councils: the project its council leads is its
    // own work (the lead council, as the pitch or `lead-council` set it, is who gives).
    if p.pitcher_council.as_deref() == Some(council.as_str()) {
        return Ok(problem(match listed {
            Some(slug) => UserError::OwnService(slug),
            None => UserError::OwnProject(p.number),
        }));
    }
    if note.is_some() && !store::may_change_reuse(conn, found.id, council_id, &ctx.team, &ctx.user)?
    {
        return Ok(problem(UserError::ReuseSaidElsewhere { council }));
    }
    let new = NewReuse {
        project_id: found.id,
        council_id,
        note: note.as_ref().map_or("", UpdateText::as_str),
        said_by: &ctx.user,
        said_in: &ctx.team,
        at: ctx.now(),
    };
    let with_note = note.is_some();
    let note = match store::record_reuse(conn, &new)? {
        Recorded::New => {
            let councils = store::reuse_count(conn, found.id)?;
            let notice = Notice::Reused {
                number: found.project.number,
                council: council.clone(),
                councils,
                elsewhere: home != &ctx.team,
            };
            let in_thread = tell_thread(conn, ctx, home, &found, notice)?;
            ReuseNote::Recorded {
                councils,
                in_thread,
                with_note,
            }
        }
        Recorded::NoteUpdated => ReuseNote::NoteUpdated,
        // Not offered a note it may not change (said in another workspace).
        Recorded::AlreadyRecorded
            if !store::may_change_reuse(conn, found.id, council_id, &ctx.team, &ctx.user)? =>
        {
            ReuseNote::AlreadyRecordedElsewhere
        }
        Recorded::AlreadyRecorded => ReuseNote::AlreadyRecorded,
    };
    // Said now, it shows on the service's page: where, and that the note is public there.
    let page = p.published.clone();
    Ok(reply(p.number, Some(&p.title), council, note, listed, page))
}

/// Withdraws the asker's council's re-use of project `number`.
pub fn unreuse(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    let asker = match project_and_council(conn, ctx, number, None)? {
        Ok(asker) => asker,
        Err(refusal) => return Ok(refusal),
    };
    withdraw(conn, ctx, asker, &ctx.team, None, false)
}

/// `unreuse <address>`: the same for a service in the catalogue.
pub fn unreuse_listed(conn: &Connection, ctx: &Ctx, service: Slug) -> anyhow::Result<Reply> {
    // Taken out of the catalogue since, its address still names it: a re-use of it can
    // always be withdrawn. Its name is then not said (it is no longer public, and may have
    // changed since), and one taken down is not named again: the answer calls it by the
    // address typed.
    let (listed, asker) = match listed_and_council(conn, ctx, &service, Listed::Ever, None)? {
        Ok(found) => found,
        Err(refusal) => return Ok(refusal),
    };
    withdraw(
        conn,
        ctx,
        asker,
        &listed.team,
        Some(service),
        !listed.published,
    )
}

/// Withdraws the re-use of `asker.found`, a project of workspace `home`. `unnamed`: not in
/// the catalogue now (or taken down), so named by its address alone.
fn withdraw(
    conn: &Connection,
    ctx: &Ctx,
    asker: Asker,
    home: &TeamId,
    listed: Option<Slug>,
    unnamed: bool,
) -> anyhow::Result<Reply> {
    let Asker {
        found,
        mut council_id,
        mut council,
    } = asker;
    // Someone who said a re-use for the council they worked for then, and has said another
    // since (a new job), may still take back their word: their council now has none here.
    let mut before = false;
    if !store::reuses_project(conn, found.id, council_id)?
        && let Some((then_id, then)) = store::reuse_said_by(conn, found.id, &ctx.user)?
    {
        (council_id, council, before) = (then_id, then, true);
    }
    if !store::may_change_reuse(conn, found.id, council_id, &ctx.team, &ctx.user)? {
        return Ok(problem(UserError::ReuseSaidElsewhere { council }));
    }
    let note = match store::withdraw_reuse(conn, found.id, council_id, ctx.now())? {
        true => {
            let notice = Notice::ReuseWithdrawn {
                number: found.project.number,
                council: council.clone(),
                councils: store::reuse_count(conn, found.id)?,
                merged: None,
            };
            let in_thread = tell_thread(conn, ctx, home, &found, notice)?;
            ReuseNote::WithdrawnSaid { in_thread, before }
        }
        false => ReuseNote::NotReusing,
    };
    let p = &found.project;
    let title = (!unnamed).then_some(&p.title);
    Ok(reply(p.number, title, council, note, listed, None))
}

/// The published project at `service` with its workspace, and the asker's council (in
/// their own workspace), or the reply that says which is missing (with `again`, the
/// command to type once they have said their council).
fn listed_and_council(
    conn: &Connection,
    ctx: &Ctx,
    service: &Slug,
    listed: Listed,
    again: Option<String>,
) -> anyhow::Result<Result<(ListedProject, Asker), Reply>> {
    let not_listed = || problem(UserError::NotInCatalogue(service.clone()));
    let Some(found) = store::listed_project(conn, service, listed)? else {
        return Ok(Err(not_listed()));
    };
    let Some((id, project)) = store::project_head(conn, &found.team, found.number, &ctx.user)?
    else {
        return Ok(Err(not_listed()));
    };
    Ok(with_council(conn, ctx, Found { id, project }, again)?.map(|asker| (found, asker)))
}

/// The project, and the council the asker speaks for.
struct Asker {
    found: Found,
    council_id: i64,
    council: String,
}

/// The project and the asker's council, or the reply that says which is missing.
fn project_and_council(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    again: Option<String>,
) -> anyhow::Result<Result<Asker, Reply>> {
    match project_or_problem(conn, ctx, number)? {
        Ok((id, project)) => with_council(conn, ctx, Found { id, project }, again),
        Err(problem) => Ok(Err(problem)),
    }
}

/// `found` with the council the asker speaks for (in their own workspace), or the reply
/// that asks them to say it first (and then `again`).
fn with_council(
    conn: &Connection,
    ctx: &Ctx,
    found: Found,
    again: Option<String>,
) -> anyhow::Result<Result<Asker, Reply>> {
    let Some((council_id, name)) = store::council_of(conn, &ctx.team, &ctx.user)? else {
        return Ok(Err(problem(match again {
            Some(again) => UserError::CouncilFirstThen { again },
            None => UserError::CouncilFirst,
        })));
    };
    Ok(Ok(Asker {
        found,
        council_id,
        council: name.display().to_string(),
    }))
}

/// `notice` as a line in `found`'s pitch thread, in its workspace `home`; where it went. A
/// service in the catalogue stays there after its workspace removed the app: nothing is
/// queued there.
fn tell_thread(
    conn: &Connection,
    ctx: &Ctx,
    home: &TeamId,
    found: &Found,
    notice: Notice,
) -> anyhow::Result<ThreadLine> {
    let thread = super::progress::head_thread(found.id, &found.project);
    super::progress::queue_in_served_thread(conn, home, ctx.now(), thread, notice)
}

fn reply(
    number: ProjectNumber,
    title: Option<&crate::domain::Title>,
    council: String,
    note: ReuseNote,
    listed: Option<Slug>,
    page: Option<Slug>,
) -> Reply {
    Reply::Reuse {
        number,
        title: title.cloned(),
        council,
        note,
        listed,
        page,
    }
}

/// Tells each team whose project lost a re-use to a merge of councils (`merged`, as
/// `store::merge_councils` did it) in the pitch's thread, as a withdrawal is told: the team
/// may have quoted how many councils re-use it. Returns how many lines were queued or wait
/// for their announcement.
pub fn tell_merge_ended_reuses(
    conn: &Connection,
    merged: &store::CouncilMerge,
    now: i64,
) -> anyhow::Result<usize> {
    let mut told = 0;
    for ended in &merged.ended {
        let team = &ended.team;
        let Some((id, project)) = store::project_head_for_operator(conn, team, ended.number)?
        else {
            continue;
        };
        // The successor's own re-use is named as the successor is now (a renamed one's
        // recorded name is its old one): the line tells it apart by that name.
        let council = match ended.council_id == merged.into_id {
            true => merged.into.clone(),
            false => ended.council.clone(),
        };
        let notice = Notice::ReuseWithdrawn {
            number: ended.number,
            council,
            councils: store::reuse_count(conn, id)?,
            merged: Some(MergedInto {
                into: merged.into.clone(),
                why: ended.why,
            }),
        };
        let thread = super::progress::head_thread(id, &project);
        // Waiting: posted once its announcement is.
        if matches!(
            super::progress::queue_in_served_thread(conn, team, now, thread, notice)?,
            ThreadLine::Queued | ThreadLine::Waiting
        ) {
            told += 1;
        }
    }
    Ok(told)
}

/// What a project's team did that the councils re-using it are told ([`tell_reusers`]).
pub(super) enum ToReusers<'a> {
    Retired,
    /// Merged into project `id` (`head`, as read before); `retired_before`, it was retired
    /// already. `lead_told`: that one's lead, told of it otherwise.
    Merged {
        id: i64,
        head: &'a ProjectHead,
        retired_before: bool,
        lead_told: Option<&'a UserId>,
    },
    /// Brought back from retired, to `phase`; `unmerged`, it had been merged into another.
    Back {
        phase: Phase,
        unmerged: bool,
    },
}

/// Tells whoever said each council re-uses project `id` (`store::reusers_to_tell`) what its
/// team did with it, in their DM: a council that runs it should not learn from a catalogue
/// page that nobody develops it any more. Named by number in this workspace, where they may
/// still be shown it, and by its catalogue address from another, while it is published;
/// not whoever did it (they are answered), nor anyone told of it otherwise. The councils
/// told, each once.
pub(super) fn tell_reusers(
    conn: &Connection,
    ctx: &Ctx,
    id: i64,
    project: &ProjectHead,
    what: ToReusers<'_>,
) -> anyhow::Result<Vec<String>> {
    let mut told: Vec<String> = Vec::new();
    for reuser in store::reusers_to_tell(conn, id)? {
        let here = reuser.said_in == ctx.team;
        let told_otherwise = match &what {
            ToReusers::Merged { lead_told, .. } => *lead_told == Some(&reuser.user),
            _ => false,
        };
        if reuser.user == ctx.user
            || told_otherwise
            || !here && !super::progress::served(conn, &reuser.said_in)?
        {
            continue;
        }
        let Some(named) = named_for(conn, ctx, project, &reuser.user, here)? else {
            continue;
        };
        let news = match &what {
            ToReusers::Retired => ReusedNews::Retired,
            ToReusers::Back { phase, unmerged } => ReusedNews::Back {
                phase: *phase,
                unmerged: *unmerged,
            },
            ToReusers::Merged {
                id: into_id,
                head: into,
                retired_before,
                ..
            } => ReusedNews::Merged {
                into: named_for(conn, ctx, into, &reuser.user, here)?,
                retired_before: *retired_before,
                // Not `reuse 4` to a council that re-uses it already, or leads it.
                offer_reuse: into.pitcher_council.as_deref() != Some(reuser.council.as_str())
                    && !store::reuses_project(conn, *into_id, reuser.council_id)?,
            },
        };
        if !told.contains(&reuser.council) {
            told.push(reuser.council.clone());
        }
        let notice = Notice::ReusedProjectNews {
            council: reuser.council,
            project: named,
            page: project.published.clone(),
            news,
            by: here.then(|| ctx.user.clone()),
        };
        let post = Post::new(&reuser.said_in, To::Dm(reuser.user), notice);
        outbox::queue(conn, &post, ctx.now())?;
    }
    Ok(told)
}

/// Project `p` (of `ctx`'s workspace) as `viewer` may be told of it in their DM: by number
/// in this workspace, unless it is a private channel's they are not in the team of; from
/// another (`!here`), by its catalogue address, while it is published.
fn named_for(
    conn: &Connection,
    ctx: &Ctx,
    p: &ProjectHead,
    viewer: &UserId,
    here: bool,
) -> anyhow::Result<Option<ProjectNamed>> {
    if !here {
        return Ok(p.published.clone().map(|slug| ProjectNamed::Listed {
            slug,
            title: p.title.clone(),
        }));
    }
    let in_dm = store::Audience {
        here: None,
        viewer: Some(viewer),
        only_here: false,
    };
    if store::is_hidden(conn, &ctx.team, p.number, in_dm)? {
        return Ok(None);
    }
    Ok(Some(ProjectNamed::Number {
        number: p.number,
        title: p.title.clone(),
    }))
}
