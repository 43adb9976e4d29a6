//! Teams: joining and leaving by command, button or reaction, and which council people work
//! for. Every way in goes through [`join`] and [`leave`], so the rules are the same.

use anyhow::Context;
use rusqlite::Connection;

use super::{Ctx, problem, project_or_problem, tell_privately};
use crate::domain::{
    Account, CouncilName, Makeup, Page, Phase, ProjectHead, ProjectNumber, TeamId, Title,
    UserError, UserId,
};
use crate::message::{Formerly, LeadBefore, LeadCouncilNote, MembershipNote, Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store::{self, Change, CouncilSaid, JoinLine};

/// A project found in the store: its row id and what a change to its team needs of it (not
/// its members: a join counts them in SQL).
pub struct Found {
    pub id: i64,
    pub project: ProjectHead,
}

/// Joins `ctx.user` to the team, unless the project is retired or a change newer than `at_us`
/// (microseconds) exists. A new member is announced in the pitch's thread (and to the
/// lead) via the outbox.
pub fn join(conn: &Connection, ctx: &Ctx, found: &Found, at_us: i64) -> anyhow::Result<Reply> {
    // Merged: its team carries on there.
    if found.project.phase == Phase::Retired
        && let Some(into) = super::carries_on(conn, ctx, found.id)?
    {
        return Ok(problem(UserError::ProjectMerged {
            number: found.project.number,
            into: into.number,
            title: into.title,
        }));
    }
    join_as(conn, &Who::of(ctx), found, at_us)
}

/// Who joins, and when it is recorded: a request's [`Ctx`], or a join made later (once
/// Slack has said a reactor is a person).
pub struct Who<'a> {
    pub team: &'a TeamId,
    pub user: &'a UserId,
    /// Unix seconds.
    pub now: i64,
}

impl<'a> Who<'a> {
    pub(super) fn of(ctx: &'a Ctx) -> Who<'a> {
        Who {
            team: &ctx.team,
            user: &ctx.user,
            now: ctx.now(),
        }
    }
}

/// [`join`], for `who`.
pub fn join_as(conn: &Connection, who: &Who, found: &Found, at_us: i64) -> anyhow::Result<Reply> {
    let p = &found.project;
    if p.phase == Phase::Retired {
        return Ok(problem(UserError::ProjectRetired(p.number, p.phase)));
    }
    // Back within three days of leaving quietly, after the thread said they joined (a
    // reaction taken off and put back): the thread still says so, and the lead never saw
    // them go. Saying it again is noise, and a second "joined" DM to the lead. (The lead's
    // own leaving is said in the thread; their return is below.)
    let line = match *who.user != p.pitcher {
        true => store::join_line(conn, found.id, who.user)?,
        false => JoinLine::Unsaid,
    };
    let line_stands = matches!(line, JoinLine::Stands | JoinLine::StandsLeadUntold);
    let note = match store::add_member(conn, found.id, who.user, at_us, who.now)? {
        Change::Done => {
            let makeup = store::team_makeup(conn, found.id)?;
            let council = store::council_of(conn, who.team, who.user)?.map(|(_, c)| c);
            // The lead back (a Leave pressed by mistake): the thread's line saying anyone may
            // take the lead now, if not posted yet, is not; then nothing the thread would
            // show happened, and it is told nothing. Posted, it is told they lead it again.
            let back_unseen = *who.user == p.pitcher
                && store::withdraw_lead_left_line(conn, who.team, &p.channel, p.number, who.user)?
                    > 0;
            if !back_unseen && !line_stands {
                announce_join(conn, who, found, makeup, council.as_ref())?;
            } else if line == JoinLine::StandsLeadUntold {
                // Their line went out after they had left (Slack was posting it), so the
                // lead was never told: told now, as a posted line tells them.
                let news = || {
                    Ok(Notice::TeamNews {
                        number: p.number,
                        title: p.title.clone(),
                        user: who.user.clone(),
                        council: council.as_ref().map(|c| c.display().to_string()),
                        makeup,
                    })
                };
                let joined = (found.id, who.user);
                tell_lead_of_join(conn, who.team, joined, p.pitcher.clone(), news, who.now)?;
                store::set_join_line(conn, found.id, who.user, JoinLine::Stands)?;
            }
            MembershipNote::Joined {
                makeup,
                council_known: council.is_some(),
            }
        }
        Change::Unchanged | Change::Stale => MembershipNote::AlreadyIn,
    };
    Ok(membership(p, note))
}

/// Takes `ctx.user` out of the team (quietly: leaving is nobody else's business).
pub fn leave(conn: &Connection, ctx: &Ctx, found: &Found, at_us: i64) -> anyhow::Result<Reply> {
    // A join still waiting for Slack to say who reacted is taken back too. One alone made
    // them no member: nothing was said of it, and a lead coming back so, their join still
    // waiting, does not leave the team a second time.
    let note = match store::withdraw_join(conn, found.id, &ctx.user, at_us)? {
        Change::Done if !found.project.asker_is_member => MembershipNote::Left,
        Change::Done => {
            // Their join's line, if not posted yet, is not posted: the thread would say they
            // joined a team they are no longer in (a leave itself is quiet). Posted, it
            // stands (noted when it was), and a join again soon is not said twice (see
            // `join_as`); but not past a lead's leaving, which the thread is told of.
            let channel = &found.project.channel;
            let withdrawn =
                store::withdraw_join_line(conn, &ctx.team, channel, found.id, &ctx.user)?;
            let p = &found.project;
            if p.pitcher == ctx.user {
                store::set_join_line(conn, found.id, &ctx.user, JoinLine::Unsaid)?;
            } else if withdrawn > 0 {
                store::set_join_line(conn, found.id, &ctx.user, JoinLine::TakenBackQuietly)?;
            }
            // But for the lead's: who else could know that they may take it on now?
            if p.pitcher == ctx.user && p.phase != Phase::Retired {
                let team_left = tell_lead_left(conn, &Who::of(ctx), found, false)?;
                MembershipNote::LeftLeading { team_left }
            } else {
                MembershipNote::Left
            }
        }
        Change::Unchanged | Change::Stale => MembershipNote::NotIn,
    };
    Ok(membership(&found.project, note))
}

/// Tells `found`'s thread that its lead, `who`, has left its team (`left_slack`: their Slack
/// account was deactivated), so anyone in it may take the lead (see [`manages`]). Whether
/// anyone is left in it.
pub(super) fn tell_lead_left(
    conn: &Connection,
    who: &Who,
    found: &Found,
    left_slack: bool,
) -> anyhow::Result<bool> {
    let team_left = store::team_makeup(conn, found.id)?.people > 0;
    queue_lead_left(conn, who, found, left_slack, team_left)?;
    Ok(team_left)
}

/// The line of [`tell_lead_left`], saying whether anyone is left in the team
/// (`team_left`).
fn queue_lead_left(
    conn: &Connection,
    who: &Who,
    found: &Found,
    left_slack: bool,
    team_left: bool,
) -> anyhow::Result<()> {
    let p = &found.project;
    let notice = Notice::LeadLeft {
        number: p.number,
        title: p.title.clone(),
        lead: who.user.clone(),
        team_left,
        left_slack,
    };
    let thread = super::progress::head_thread(found.id, p);
    super::progress::queue_in_thread(conn, who.team, who.now, thread, notice)?;
    Ok(())
}

/// After a forget: the thread of each project the person led (`led`, read before) hears that
/// its lead has left the team, unnamed, and that anyone in it may take the lead now, as
/// when a lead leaves (see [`manages`]). Not in a workspace that removed the app.
pub(super) fn tell_forgotten_lead_left(
    conn: &Connection,
    led: &[(TeamId, ProjectNumber)],
    now: i64,
) -> anyhow::Result<()> {
    let forgotten = UserId::forgotten();
    for (team, number) in led {
        if !super::progress::served(conn, team)? {
            continue;
        }
        let Some((id, project)) = store::project_head(conn, team, *number, &forgotten)? else {
            continue;
        };
        let who = Who {
            team,
            user: &forgotten,
            now,
        };
        tell_lead_left(conn, &who, &Found { id, project }, false)?;
    }
    Ok(())
}

fn announce_join(
    conn: &Connection,
    who: &Who,
    found: &Found,
    makeup: Makeup,
    council: Option<&CouncilName>,
) -> anyhow::Result<()> {
    let p = &found.project;
    // A line in the pitch's thread (waiting for it if the announcement is not out yet); once
    // it is posted, the lead is told.
    let notice = Notice::Joined {
        project_id: found.id,
        number: p.number,
        title: p.title.clone(),
        user: who.user.clone(),
        council: council.map(|c| c.display().to_string()),
        makeup,
        pitcher: p.pitcher.clone(),
        // Joins are made only for people: a command or a button (which bots do not use), a
        // reaction by someone Slack said is a person.
        known_person: true,
    };
    let thread = super::progress::head_thread(found.id, p);
    super::progress::queue_in_thread(conn, who.team, who.now, thread, notice)?;
    Ok(())
}

/// Tells `lead` (in their DM) of `joiner`'s join to project `project_id` (`news`, a
/// [`Notice::TeamNews`], made only if it is told), as a join's line does once posted: not
/// the joiner themselves, a lead forgotten, nor one who has left the team (a lead who left
/// has stepped back: its news is the team's, the line in the pitch's thread). Whether told.
pub(super) fn tell_lead_of_join(
    conn: &Connection,
    team: &TeamId,
    (project_id, joiner): (i64, &UserId),
    lead: UserId,
    news: impl FnOnce() -> anyhow::Result<Notice>,
    now: i64,
) -> anyhow::Result<bool> {
    if lead == *joiner || lead.is_forgotten() || !store::is_member(conn, project_id, &lead)? {
        return Ok(false);
    }
    outbox::queue(conn, &Post::new(team, To::Dm(lead), news()?), now)?;
    Ok(true)
}

/// The line saying `lead` left project `number`'s team went out after all, though their
/// return had taken it back (Slack was posting it): the thread now says they left, so,
/// back in the team and leading it, they are announced as any lead coming back is.
pub fn lead_back_after_all(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    lead: &UserId,
    now: i64,
) -> anyhow::Result<()> {
    let Some((id, project)) = store::project_head(conn, team, number, lead)? else {
        return Ok(());
    };
    if project.pitcher != *lead
        || project.phase == Phase::Retired
        || !store::is_member(conn, id, lead)?
    {
        return Ok(());
    }
    let who = Who {
        team,
        user: lead,
        now,
    };
    let makeup = store::team_makeup(conn, id)?;
    let council = store::council_of(conn, team, lead)?.map(|(_, c)| c);
    announce_join(conn, &who, &Found { id, project }, makeup, council.as_ref())
}

/// `join <id>` / `leave <id>` typed by the user (or pressed as a button).
pub fn by_command(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    joining: bool,
) -> anyhow::Result<Reply> {
    let found = match find(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let at_us = store::asked_now(conn, found.id, &ctx.user, ctx.at.timestamp_micros())?;
    if joining {
        join(conn, ctx, &found, at_us)
    } else {
        leave(conn, ctx, &found, at_us)
    }
}

/// `remove <id> <@person>`: the lead (its pitcher, until handed over) takes someone off the
/// team (who joined by mistake, or has moved on without leaving); once the lead has left the
/// team, anyone in it may.
/// Quiet in the channel as a leave is; the person is told in their DM, with how to join
/// again. Removing oneself is a leave, open to anyone.
pub fn remove(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    user: &UserId,
) -> anyhow::Result<Reply> {
    let found = match find(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let id = found.id;
    let at_us = store::asked_now(conn, id, user, ctx.at.timestamp_micros())?;
    if *user == ctx.user {
        return leave(conn, ctx, &found, at_us);
    }
    if !manages(conn, ctx, &found)? {
        // "To leave it yourself" only to someone who is in it.
        let in_team = store::is_member(conn, id, &ctx.user)?;
        let refused = match in_team {
            true => UserError::OnlyThePitcherRemoves(number),
            false => UserError::OnlyTheLeadRemoves(number),
        };
        return refusal(conn, &found, refused);
    }
    let note = match store::withdraw_join(conn, id, user, at_us)? {
        Change::Done => {
            store::withdraw_join_line(conn, &ctx.team, &found.project.channel, id, user)?;
            // The lead took them off: should they join again, the lead hears of it.
            store::set_join_line(conn, id, user, JoinLine::Unsaid)?;
            let notice = Notice::RemovedFromTeam {
                number,
                title: found.project.title.clone(),
                by: ctx.user.clone(),
                open: found.project.phase != Phase::Retired,
            };
            let post = Post::new(&ctx.team, To::Dm(user.clone()), notice);
            outbox::queue(conn, &post, ctx.now())?;
            MembershipNote::Removed { user: user.clone() }
        }
        Change::Unchanged | Change::Stale => MembershipNote::NotTheirs { user: user.clone() },
    };
    Ok(membership(&found.project, note))
}

/// `handover <id> <@person>`: the project's lead hands it to someone in its team, who then
/// hears of joins, may take someone off the team and may hand it on. Once the lead has left
/// the team (or been forgotten), anyone still in it may hand it over (themselves included).
/// The team hears of it in the pitch's thread; the new lead is told what it means in their
/// DM, unless they took it on themselves.
pub fn handover(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    user: &UserId,
) -> anyhow::Result<Reply> {
    let found = match managed(conn, ctx, number, UserError::OnlyTheLeadHandsOver)? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let lead = &found.project.pitcher;
    let user = user.clone();
    if user == *lead {
        return Ok(membership(
            &found.project,
            MembershipNote::AlreadyLeads { user },
        ));
    }
    if store::is_bot(conn, &ctx.team, &user)? == Some(true) {
        return Ok(membership(
            &found.project,
            MembershipNote::AppCannotLead { user },
        ));
    }
    // A retired team keeps whoever left Slack (`left_slack`); led by them, only they could
    // manage it (`manages`).
    if store::has_left_slack(conn, &user)? {
        return Ok(membership(
            &found.project,
            MembershipNote::LeftSlackCannotLead { user },
        ));
    }
    if !store::is_member(conn, found.id, &user)? {
        let open = found.project.phase != Phase::Retired;
        return Ok(membership(
            &found.project,
            MembershipNote::NotInTeamToLead { user, open },
        ));
    }
    store::hand_over(conn, found.id, &user, ctx.now())?;
    let notice = Notice::HandedOver {
        number,
        title: found.project.title.clone(),
        by: ctx.user.clone(),
        to: user.clone(),
    };
    let thread = super::progress::head_thread(found.id, &found.project);
    let told = super::progress::post_in_thread(conn, ctx, thread, notice)?;
    // The new lead hears what it means in their DM, whatever becomes of the thread; not
    // whoever took it on themselves.
    let dm = user != ctx.user;
    if dm {
        let notice = Notice::NowLead {
            number,
            title: found.project.title.clone(),
            by: ctx.user.clone(),
        };
        outbox::queue(
            conn,
            &Post::new(&ctx.team, To::Dm(user.clone()), notice),
            ctx.now(),
        )?;
    }
    Ok(membership(
        &found.project,
        MembershipNote::HandedOver { user, told, dm },
    ))
}

/// `lead-council <id> <name>`: whoever manages the team sets the council that leads the
/// project, as its catalogue page and the councils' give and take show it. Only a council
/// already recorded (someone works for it, or it leads or re-uses a project), by any
/// spelling of it, and not one that re-uses the project. The team hears of it in the
/// pitch's thread; the same council again changes nothing.
pub fn lead_council(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    name: &CouncilName,
) -> anyhow::Result<Reply> {
    let found = match managed(conn, ctx, number, UserError::OnlyTheLeadSetsCouncil)? {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let reply = |note, formerly| Reply::LeadCouncil {
        number,
        title: found.project.title.clone(),
        note,
        formerly,
    };
    let Some((council_id, council)) = recorded(conn, name)? else {
        let typed = name.display().to_string();
        // Offered, never taken: this answer records nothing (unlike `council`'s offer).
        let near = close_council(conn, name)?.map(|c| c.display().to_string());
        return Ok(reply(LeadCouncilNote::Unknown { typed, near }, None));
    };
    let formerly = formerly(conn, name, &council)?;
    let reply = |note| reply(note, formerly.clone());
    let council = council.display().to_string();
    if found.project.pitcher_council.as_deref() == Some(council.as_str()) {
        return Ok(reply(LeadCouncilNote::Already { council }));
    }
    if store::reuses_project(conn, found.id, council_id)? {
        return Ok(reply(LeadCouncilNote::ReusesIt { council }));
    }
    let before = match (
        store::set_lead_council(conn, found.id, council_id, ctx.now())?,
        found.project.pitcher_council.clone(),
    ) {
        (store::LeadKept::Kept, Some(council)) => LeadBefore::Kept { council },
        (store::LeadKept::PutRight { pitched }, Some(council)) => {
            LeadBefore::PutRight { council, pitched }
        }
        _ => LeadBefore::None,
    };
    let notice = Notice::LeadCouncilSet {
        number,
        title: found.project.title.clone(),
        council: council.clone(),
        by: ctx.user.clone(),
    };
    let thread = super::progress::head_thread(found.id, &found.project);
    let told = super::progress::post_in_thread(conn, ctx, thread, notice)?;
    Ok(reply(LeadCouncilNote::Set {
        council,
        told,
        before,
    }))
}

/// Project `number`, if the asker manages its team (see [`manages`]); else the answer that
/// there is no such project, or `refused` for it.
fn managed(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    refused: fn(ProjectNumber) -> UserError,
) -> anyhow::Result<Result<Found, Reply>> {
    let found = match find(conn, ctx, number)? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(match manages(conn, ctx, &found)? {
        true => Ok(found),
        false => Err(refusal(conn, &found, refused(number))?),
    })
}

/// The answer to someone who may not manage the project's team: `refused`; but to someone
/// outside the team of an open project whose lead has left it, that nobody leads it now and
/// joining is the way to take it on, since `show` (where `refused` sends them) names no lead.
fn refusal(conn: &Connection, found: &Found, refused: UserError) -> anyhow::Result<Reply> {
    let lead_left = found.project.phase != Phase::Retired
        && !found.project.asker_is_member
        && !store::is_member(conn, found.id, &found.project.pitcher)?;
    Ok(problem(match lead_left {
        true => UserError::LeadLeftJoinFirst(found.project.number),
        false => refused,
    }))
}

/// Whether the asker may manage the project's team (`remove`, `handover`, `lead-council`):
/// its lead; or, once the lead has left the team (or been forgotten, which takes them out of
/// it), anyone still in it, since nobody else could.
fn manages(conn: &Connection, ctx: &Ctx, found: &Found) -> anyhow::Result<bool> {
    let lead = &found.project.pitcher;
    Ok(*lead == ctx.user
        || (found.project.asker_is_member && !store::is_member(conn, found.id, lead)?))
}

/// Project `number` of the asker's workspace, or the answer that there is none.
fn find(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
) -> anyhow::Result<Result<Found, Reply>> {
    Ok(project_or_problem(conn, ctx, number)?.map(|(id, project)| Found { id, project }))
}

/// `councils`: give and take per council, most giving first, across every workspace; a page
/// of them, with the asker's own council's line where the page does not show it. Not in an
/// answer posted for the channel (a mention): "Yours" would be nobody's there, and would tell
/// everyone which council the asker works for.
pub fn councils(conn: &Connection, ctx: &Ctx, page: Page) -> anyhow::Result<Reply> {
    let yours = match ctx.in_public {
        true => None,
        false => store::council_of(conn, &ctx.team, &ctx.user)?,
    };
    Ok(Reply::Councils {
        councils: store::give_and_take(conn)?,
        page,
        yours: yours.map(|(_, name)| name.display().to_string()),
    })
}

/// `council <name>` records it; `council` alone says what is recorded.
pub fn council(conn: &Connection, ctx: &Ctx, name: Option<CouncilName>) -> anyhow::Result<Reply> {
    let Some(name) = name else {
        let known = store::council_of(conn, &ctx.team, &ctx.user)?;
        let ledger = match &known {
            Some((id, _)) => store::council_give_and_take(conn, *id)?,
            None => None,
        };
        return Ok(Reply::Council {
            name: known.map(|(_, c)| c.display().to_string()),
            matched: false,
            ledger: ledger.map(Box::new),
            was: None,
            led: Vec::new(),
            led_private: 0,
            still_led: Vec::new(),
            changed_elsewhere: 0,
            still_led_elsewhere: 0,
            joins_kept: 0,
            joins_put_right: 0,
            reuses_of_slip: Vec::new(),
            reuses_of_slip_private: 0,
            formerly: None,
        });
    };
    let (id, recorded) = match named_council(conn, ctx, &name, Asked::ByCommand)? {
        Named::Recorded(id, recorded) => (id, recorded),
        Named::Offered(offer) => return Ok(offer),
        Named::New => store::find_or_add_council(conn, &ctx.team, &name, ctx.now())?,
    };
    // A council merged into another (reorganisation, a new name) is recorded as the one in
    // its place, saying so: the name typed is not the one that comes back.
    let formerly = formerly(conn, &name, &recorded)?;
    let before = store::council_of(conn, &ctx.team, &ctx.user)?;
    let said = store::council_said(conn, &ctx.team, &ctx.user)?;
    let before = before.filter(|(before, _)| *before != id);
    // A change of job: what the council before leads through them is not moved (it is that
    // council's work), but theirs to hand on or move, so it is named.
    let (still_led, led_elsewhere) = match &before {
        Some((before, _)) => store::led_through(conn, &ctx.team, &ctx.user, *before)?,
        None => (Vec::new(), 0),
    };
    // A change of what they had said here holds where they had said the same elsewhere (and
    // what the council before leads through them there is counted); a first saying here
    // (the council before was another workspace's) is this one's own.
    let moved_from = match (&before, &said) {
        (Some((before, _)), CouncilSaid::Here) => Some(*before),
        _ => None,
    };
    let still_led_elsewhere = moved_from.map_or(0, |_| led_elsewhere);
    // A slip put right: the re-uses said for it stay (they may be meant), but are named, as
    // they are public and nobody at that council said them. Read before the change. One of
    // a private channel's project, said there, is counted, not named here (its title is
    // that channel's and its team's), and taken back there: `unreuse` here is refused.
    let reuses_of_slip = match moved_from {
        Some(was) => store::reuses_said_in_slip(conn, &ctx.team, &ctx.user, was, id, ctx.now())?,
        None => Vec::new(),
    };
    let (reuses_of_slip, reuses_of_slip_private) = shown_here(conn, ctx, reuses_of_slip)?;
    let was_id = before.as_ref().map(|(before, _)| *before);
    let was = before.map(|(_, before)| before.display().to_string());
    let (changed_elsewhere, joins) = store::say_council(
        conn,
        &ctx.team,
        &ctx.user,
        id,
        was_id,
        moved_from,
        ctx.now(),
    )?;
    // What they pitched here before saying any council has no lead council: theirs now, as
    // a pitch would have taken it, handed on since or not. Not what they pitched once they
    // had one (here, or first said in another workspace, which a pitch here takes): a form's
    // lead council left empty then was a choice, which a project handed to them keeps too.
    let unled = |pitched_by| {
        store::lead_unled_projects(conn, &ctx.team, &ctx.user, id, pitched_by, ctx.now())
    };
    let led = match said {
        CouncilSaid::Here => Vec::new(),
        CouncilSaid::Elsewhere { first_at } => unled(Some(first_at))?,
        CouncilSaid::Nowhere => unled(None)?,
    };
    for (number, _) in &led {
        let Some((project_id, project)) = store::project_head(conn, &ctx.team, *number, &ctx.user)?
        else {
            continue;
        };
        let notice = Notice::LeadCouncilSet {
            number: *number,
            title: project.title.clone(),
            council: recorded.display().to_string(),
            by: ctx.user.clone(),
        };
        let thread = super::progress::head_thread(project_id, &project);
        super::progress::post_in_thread(conn, ctx, thread, notice)?;
    }
    // Each thread above is told; the answer names only what it may show where it is asked:
    // a private channel's project handed on and left, say, is its channel's and team's.
    let (led, led_private) = shown_here(conn, ctx, led)?;
    Ok(Reply::Council {
        matched: recorded.display() != name.display(),
        name: Some(recorded.display().to_string()),
        ledger: None,
        was,
        led,
        led_private,
        still_led,
        changed_elsewhere,
        still_led_elsewhere,
        joins_kept: joins.kept,
        joins_put_right: joins.put_right,
        reuses_of_slip,
        reuses_of_slip_private,
        formerly: formerly.map(Box::new),
    })
}

/// `projects` as shown where `ctx` asks, and how many of them are not
/// ([`super::hidden_here`]: a private channel's, to someone not in its team), in order.
fn shown_here(
    conn: &Connection,
    ctx: &Ctx,
    projects: Vec<(ProjectNumber, Title)>,
) -> anyhow::Result<(Vec<(ProjectNumber, Title)>, usize)> {
    if projects.is_empty() {
        return Ok((projects, 0));
    }
    let hidden = super::hidden_here(conn, ctx)?;
    let (shown, not): (Vec<_>, Vec<_>) = projects
        .into_iter()
        .partition(|(number, _)| !hidden.contains(number));
    Ok((shown, not.len()))
}

/// The former council `typed` named, when the council it led to (`recorded`) is the one in
/// its place (merged or renamed by `makers-bot council merge`): said back, since the name
/// typed is not the one that comes back.
pub(super) fn formerly(
    conn: &Connection,
    typed: &CouncilName,
    recorded: &CouncilName,
) -> anyhow::Result<Option<Formerly>> {
    if recorded.key() == typed.key() {
        return Ok(None);
    }
    Ok(
        store::former_council(conn, typed.key())?.map(|former| Formerly {
            name: former.name,
            renamed: former.renamed,
        }),
    )
}

/// How a council name someone gave stands among the recorded councils.
pub(super) enum Named {
    /// A spelling of a recorded council.
    Recorded(i64, CouncilName),
    /// Not recorded, and close to one that is: offered back ([`near_miss`]); record nothing.
    Offered(Reply),
    /// Not recorded: to be added.
    New,
}

/// The recorded council `name` is a spelling or a former name of: not a slip someone insisted
/// on and then put right, which nobody says and nothing is the council's any more, while a
/// council in use is close to it. Taken as recorded, it was never asked about again: one
/// council was two again, in every workspace's figures and the catalogue.
fn recorded(conn: &Connection, name: &CouncilName) -> anyhow::Result<Option<(i64, CouncilName)>> {
    let Some((id, recorded)) = store::council_by_key(conn, name.key())? else {
        return Ok(None);
    };
    // A slip of one in use, not a part of one's two-part name: "Worthing", recorded and
    // nobody's now, beside "Adur and Worthing" is a council of its own, which `lead-council`
    // (offering only) could otherwise never name.
    if !store::council_is_in_use(conn, id)? && close_by(conn, name, CouncilName::is_near)?.is_some()
    {
        return Ok(None);
    }
    Ok(Some((id, recorded)))
}

/// Where a "did you mean…?" is asked: `council` and the pitch form's lead council each
/// honour only their own offer, so a slip offered in one and said in the other for the
/// first time is asked about there too, never taken as insisted on unasked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Asked {
    ByCommand,
    InForm,
}

impl Asked {
    /// The offer as stored in `people.council_offer`: the name's match key after the
    /// place's prefix (one stored bare, by a build before, matches neither: asked again).
    fn offer(self, key: &str) -> String {
        format!("{}{key}", self.prefix())
    }

    fn prefix(self) -> &'static str {
        match self {
            Asked::ByCommand => "cmd:",
            Asked::InForm => "form:",
        }
    }
}

/// Forgets the offer made where `asked`, once answered with anything but the slip (or with
/// it again, now taken); one made in the other place stays, as that place still waits.
pub(super) fn offer_answered(conn: &Connection, ctx: &Ctx, asked: Asked) -> anyhow::Result<()> {
    let offer = store::council_offer(conn, &ctx.team, &ctx.user)?;
    if offer.is_some_and(|offer| offer.starts_with(asked.prefix())) {
        store::clear_council_offer(conn, &ctx.team, &ctx.user)?;
    }
    Ok(())
}

/// How `name` stands: `council`, and the pitch form's lead council, answer a slip alike.
pub(super) fn named_council(
    conn: &Connection,
    ctx: &Ctx,
    name: &CouncilName,
    asked: Asked,
) -> anyhow::Result<Named> {
    if let Some((id, recorded)) = recorded(conn, name)? {
        return Ok(Named::Recorded(id, recorded));
    }
    Ok(match near_miss(conn, ctx, name, asked)? {
        Some(near) => Named::Offered(Reply::CouncilDidYouMean {
            typed: name.display().to_string(),
            suggestion: near.display().to_string(),
        }),
        None => Named::New,
    })
}

/// A name not yet recorded that is close to one that is gets offered back ("did you
/// mean…?") rather than created, so one council does not become two. Saying the same name
/// again right after, in the same place (`asked`), creates it after all (it may really be
/// another council).
fn near_miss(
    conn: &Connection,
    ctx: &Ctx,
    name: &CouncilName,
    asked: Asked,
) -> anyhow::Result<Option<CouncilName>> {
    if offered(conn, ctx, name, asked)? {
        return Ok(None);
    }
    let near = close_council(conn, name)?;
    if near.is_some() {
        let offer = asked.offer(name.key());
        store::set_council_offer(conn, &ctx.team, &ctx.user, &offer, ctx.now())?;
    }
    Ok(near)
}

/// Whether `name` is the slip last offered back where `asked`: said again, it is insisted on.
pub(super) fn offered(
    conn: &Connection,
    ctx: &Ctx,
    name: &CouncilName,
    asked: Asked,
) -> anyhow::Result<bool> {
    let offer = asked.offer(name.key());
    Ok(store::council_offer(conn, &ctx.team, &ctx.user)?.as_deref() == Some(offer.as_str()))
}

/// The council `name` is a spelling or a former name of, or, when none is, the name of the
/// recorded council closest to it (if any), to offer back.
pub(super) fn recorded_council(
    conn: &Connection,
    name: &CouncilName,
) -> anyhow::Result<Result<(i64, CouncilName), Option<String>>> {
    // Any recorded council, in use or not: a report or a list of one no longer in use
    // (its project handed on, its people moved) has its past to show.
    if let Some(found) = store::council_by_key(conn, name.key())? {
        return Ok(Ok(found));
    }
    Ok(Err(
        close_council(conn, name)?.map(|c| c.display().to_string())
    ))
}

/// A recorded council whose name is close to `name` (the first by name, of those
/// `CouncilName::may_mean`: a slip of it, or its two-part name, "Brighton & Hove" for
/// "Brighton"), to offer back; or else the council in the place of a former one close to it
/// ("Waverly" for Waverley, now part of West Surrey), whose people still say its name.
pub fn close_council(conn: &Connection, name: &CouncilName) -> anyhow::Result<Option<CouncilName>> {
    close_by(conn, name, CouncilName::may_mean)
}

/// [`close_council`] by the test `near` (a slip, or what a name may mean).
fn close_by(
    conn: &Connection,
    name: &CouncilName,
    near: fn(&CouncilName, &str) -> bool,
) -> anyhow::Result<Option<CouncilName>> {
    if let Some(found) = store::councils(conn)?
        .into_iter()
        .find(|c| near(name, c.key()))
    {
        return Ok(Some(found));
    }
    Ok(store::successions(conn)?
        .into_iter()
        .find(|s| near(name, &s.former_key))
        .map(|s| CouncilName::from_stored(s.successor, s.successor_key)))
}

fn membership(p: &ProjectHead, note: MembershipNote) -> Reply {
    Reply::Membership {
        number: p.number,
        title: p.title.clone(),
        note,
    }
}

/// Which button on an announcement was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    Join,
    Leave,
}

/// Applies a press of an announcement's Join or Leave button and queues the presser's
/// private answer (`chat.postEphemeral`: Slack wants the HTTP answer to a button empty and
/// fast).
pub fn press_button(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    action: ButtonAction,
) -> anyhow::Result<()> {
    if let Err(over) = super::spend(ctx) {
        super::refuse(conn, ctx, super::Privately::InChannel, over)?;
        return Ok(());
    }
    let reply = by_command(conn, ctx, number, action == ButtonAction::Join)?;
    tell_privately(conn, ctx, reply).context("cannot queue button answer")?;
    Ok(())
}

/// `user`'s Slack account was deactivated (`user_change`, delivered for `team`): they leave
/// the teams of open projects, in every workspace (a Slack user id is one person: a guest
/// joins a shared channel's pitches in the pitching workspace), quietly, as a leave is, and
/// their joins by reaction still waiting on Slack go, each recorded as a leave, so a
/// reaction delivered late does not bring them back. In each project they led, the pitch's
/// thread hears that anyone in the team may take the lead now (see [`manages`]: the lead
/// has left the team), where nobody could before. Nothing else about them changes: a
/// deactivation is not a request to be forgotten, and their pitches and updates stay
/// theirs. Applied once per event id, the leaves at `when.heard_us` (a join made in the same
/// second comes before it); false for a redelivery.
pub fn left_slack(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    event_id: &str,
    when: DeactivationTimes,
) -> anyhow::Result<bool> {
    let at_us = when.heard_us;
    let now = at_us.div_euclid(1_000_000);
    if !store::record_event(conn, event_id, team, now).context("cannot record event id")? {
        return Ok(false);
    }
    for (team, number) in store::projects_of_person(conn, user)? {
        let Some((id, project)) = store::project_head(conn, &team, number, user)? else {
            continue;
        };
        let Change::Done = store::withdraw_join(conn, id, user, at_us)? else {
            // Not in the team (any more): a lead who left it has been told about already,
            // and a second deactivation event (another workspace's, an edit of the
            // profile) must not tell the thread again.
            continue;
        };
        // Only a join waiting for Slack taken back (a lead coming back by a reaction): they
        // were not in the team, and a lead among them was told about when they left.
        if !project.asker_is_member {
            continue;
        }
        store::withdraw_join_line(conn, &team, &project.channel, id, user)?;
        // Back in Slack and joining again, they are news.
        store::set_join_line(conn, id, user, JoinLine::Unsaid)?;
        if project.pitcher != *user || project.phase == Phase::Retired {
            continue;
        }
        let who = Who {
            team: &team,
            user,
            now,
        };
        tell_lead_left(conn, &who, &Found { id, project }, true)?;
    }
    // Noted for as long as Slack may retry a reaction they made before (which must not
    // bring them back), and while they are still in a retired team (its history): should it
    // be brought back, they leave it then. Not where the bot knows nothing of them because
    // they asked to be forgotten: it would name them again.
    let unknown_in = (!store::forgotten_after(conn, user, 0)?).then_some(team);
    // At Slack's time of it, which a change saying the account is active is weighed against
    // (`back_in_slack`): at the bot's, a deactivation handled late (the writer held by
    // another process, a delivery retried) was later than a reactivation raised after it,
    // which then undid nothing. Reactions, Slack-timed too, are weighed against it as well.
    store::note_left_slack(conn, unknown_in, user, when.raised_at.unwrap_or(now))?;
    // Said active since, and heard while this waited for the writer (or before this came):
    // the note goes as it would had this come first.
    if let Some(at) = when.active_as_of {
        store::back_in_slack(conn, user, Some(at))?;
    }
    Ok(true)
}

/// When a deactivation was heard and raised (see [`left_slack`]).
#[derive(Debug, Clone, Copy)]
pub struct DeactivationTimes {
    /// The bot's clock when it handled it, in microseconds: when the person leaves teams.
    pub heard_us: i64,
    /// Slack's time of it (`event_time`, unix seconds), if it says: when it is noted.
    pub raised_at: Option<i64>,
    /// The latest time Slack said the account is active (unix seconds), as heard by the
    /// bot lately: a note from no later goes (see [`back_in_slack`]).
    pub active_as_of: Option<i64>,
}

/// Whether a deactivation of `user`'s is noted (see [`back_in_slack`]): a read, so that the
/// many changes of profile that are neither cost no write.
pub fn left_slack_noted(conn: &Connection, user: &UserId) -> anyhow::Result<bool> {
    store::has_left_slack(conn, user)
}

/// Slack says `user`'s account is active (any change to it: most are a status or a name),
/// as of `raised_at` (unix seconds, if Slack says): a deactivation noted before then is
/// undone, should it have been reactivated. True if one was.
pub fn back_in_slack(
    conn: &Connection,
    user: &UserId,
    raised_at: Option<i64>,
) -> anyhow::Result<bool> {
    Ok(store::back_in_slack(conn, user, raised_at)? > 0)
}

/// A retired project brought back (`found`, in its new phase) whose lead left its team while
/// it was retired: they were answered as anyone leaving (nobody manages a retired project),
/// so its thread is told now, as at any lead's leaving, that anyone in the team may take the
/// lead; else nobody could. (Before [`without_those_gone`], which tells of a lead it takes
/// out itself.) So too, unnamed, of a lead forgotten while it was retired, whose forget
/// kept that (`store::keep_lead_gone_while_retired`); not of one forgotten while it was
/// open, whose forget told its thread then ([`tell_forgotten_lead_left`]).
pub(super) fn lead_who_left_while_retired(
    conn: &Connection,
    ctx: &Ctx,
    found: &Found,
) -> anyhow::Result<()> {
    let lead = &found.project.pitcher;
    if store::is_member(conn, found.id, lead)? || !store::left_while_retired(conn, found.id, lead)?
    {
        return Ok(());
    }
    let who = Who {
        team: &ctx.team,
        user: lead,
        now: ctx.now(),
    };
    // Not those deactivated while it was retired, whom `without_those_gone` takes out next.
    let leaving = store::members_left_slack(conn, found.id)?.len();
    let people = usize::try_from(store::team_makeup(conn, found.id)?.people).unwrap_or(0);
    queue_lead_left(conn, &who, found, false, people > leaving)
}

/// A retired project brought back (`found`, in its new phase): its team kept, as its
/// history, those whose Slack accounts were deactivated meanwhile, who left every open team
/// then. They leave this one now, and if one of them led it, its thread hears that anyone in
/// it may take the lead, as at the deactivation: else nobody could manage it.
pub(super) fn without_those_gone(
    conn: &Connection,
    ctx: &Ctx,
    found: &Found,
) -> anyhow::Result<()> {
    for user in store::members_left_slack(conn, found.id)? {
        let at_us = store::asked_now(conn, found.id, &user, ctx.at.timestamp_micros())?;
        let Change::Done = store::withdraw_join(conn, found.id, &user, at_us)? else {
            continue;
        };
        let before = ctx.now().saturating_sub(store::EVENT_IDS_KEPT_SECS);
        store::settle_left_slack(conn, &user, before)?;
        if found.project.pitcher == user {
            let who = Who {
                team: &ctx.team,
                user: &user,
                now: ctx.now(),
            };
            tell_lead_left(conn, &who, found, true)?;
        }
    }
    Ok(())
}

/// Slack refused `team`'s token when asked who `user` is (see `Outcome::TokenRefused`): the
/// question waits until `ask_at`, and once the workspace's token has been refused for a week
/// its joins waiting on the answer go, as its posts do. True if they went.
pub fn reactor_token_refused(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    now: i64,
    ask_at: i64,
) -> anyhow::Result<bool> {
    let since = store::note_token_refused(conn, team, now)?;
    if since <= now - outbox::TOKEN_PATIENCE_SECS {
        store::drop_pending_joins(conn, team)?;
        return Ok(true);
    }
    store::ask_again_at(conn, team, user, ask_at)?;
    Ok(false)
}

/// Slack refused `team`'s token when asked for the reactions on `project_id`'s announcement
/// (see `slack/delivery/reread.rs`): read again at `read_at`, and once the workspace's token
/// has been refused for a week its announcements waiting to be read go unread, as its posts
/// and its pending joins go. True if they went.
pub fn reactions_token_refused(
    conn: &Connection,
    team: &TeamId,
    project_id: i64,
    now: i64,
    read_at: i64,
) -> anyhow::Result<bool> {
    let since = store::note_token_refused(conn, team, now)?;
    if since <= now - outbox::TOKEN_PATIENCE_SECS {
        store::drop_reactions_to_read(conn, team)?;
        return Ok(true);
    }
    store::read_reactions_at(conn, project_id, read_at)?;
    Ok(false)
}

/// Slack has said whether `user` is a person. Remembered, a person or a bot; a person's
/// pending joins become memberships (each as of its reaction, announced as any join is), a
/// bot's are dropped, and so are a deactivated account's (a reaction read again after an
/// invitation may be theirs: nobody deactivated is let in). Returns how many teams were
/// joined.
pub fn person_known(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    account: Account,
    now: i64,
) -> anyhow::Result<usize> {
    if !store::is_recorded(conn, team, user)? {
        // Forgotten while Slack was being asked (or every reaction taken back): nothing
        // about them is recorded again.
        return Ok(0);
    }
    match account {
        Account::Person => store::set_is_bot(conn, team, user, false, now)?,
        Account::Bot => store::set_is_bot(conn, team, user, true, now)?,
        // Not remembered as a person: their old reaction, read again at a later invitation,
        // is asked about again rather than joined on sight.
        Account::Deactivated => {}
    }
    let pending = store::take_pending_joins(conn, team, user)?;
    if account != Account::Person {
        return Ok(0);
    }
    let who = Who { team, user, now };
    let mut joined = 0;
    for (number, at_us) in pending {
        if let Some((id, project)) = store::project_head(conn, team, number, user)?
            && settle_pending_join(conn, &who, &Found { id, project }, at_us)?
        {
            joined += 1;
        }
    }
    Ok(joined)
}

/// A join by reaction (at `at_us`) that waited for Slack to say `who` is a person, made now,
/// as any join; whether a membership was made (not one refused, nor one already in).
fn settle_pending_join(
    conn: &Connection,
    who: &Who,
    found: &Found,
    at_us: i64,
) -> anyhow::Result<bool> {
    if found.project.phase != Phase::Retired {
        let reply = join_as(conn, who, found, at_us)?;
        let made = matches!(
            reply,
            Reply::Membership {
                note: MembershipNote::Joined { .. },
                ..
            }
        );
        return Ok(made);
    }
    // Retired (or merged) while Slack was being asked. A reaction waits only on an open
    // project (`events::react`), so it reached the bot before: it counts as it did then, as
    // a known reactor's join did, a membership of the team as it was (its history, and its
    // team if brought back), quietly (a "joined" line in a retired thread would mislead).
    // One Slack dates after the retirement (its clock ahead of ours by more than the second
    // the retirement is kept to) is refused, as a reaction on a retired project is.
    let retired = store::last_retirement(conn, found.id)?;
    let before = retired
        .as_ref()
        .is_none_or(|r| at_us < r.at.saturating_add(1).saturating_mul(1_000_000));
    if !before || store::add_member(conn, found.id, who.user, at_us, who.now)? != Change::Done {
        return Ok(false);
    }
    // Merged: told where the work carries on, as the merge told the team they are now in.
    super::merge::tell_late_member(conn, who, found, retired.and_then(|r| r.merged_by))?;
    Ok(true)
}
