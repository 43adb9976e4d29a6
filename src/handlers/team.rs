//! Teams: joining and leaving by command, button or reaction, and which council people work
//! for. Every way in goes through [`join`] and [`leave`], so the rules are the same.

use anyhow::Context;
use rusqlite::Connection;

use super::Ctx;
use crate::domain::{
    CouncilName, Makeup, MembershipNote, Notice, Phase, ProjectDetail, ProjectNumber, Reply,
    TeamId, UserId,
};
use crate::error::UserError;
use crate::store::{self, Change};

/// One membership change: who, which project, and when it happened (microseconds).
pub struct Move<'a> {
    pub team: &'a TeamId,
    pub user: &'a UserId,
    pub project_id: i64,
    pub project: &'a ProjectDetail,
    pub at_us: i64,
    /// Unix seconds, for the outbox.
    pub now: i64,
}

/// Joins `m.user` to the team, unless the project is retired or a newer change exists.
/// A new member is announced in the pitch's thread (and to the pitcher) via the outbox.
pub fn join(conn: &Connection, m: &Move<'_>) -> anyhow::Result<Reply> {
    let p = m.project;
    if p.phase == Phase::Retired {
        return Ok(problem(UserError::ProjectRetired(p.number, p.phase)));
    }
    let note = match store::add_member(conn, m.project_id, m.user, m.at_us)? {
        Change::Done => {
            let members = store::members_of(conn, m.project_id)?;
            let makeup = Makeup::of(&members);
            let council = store::council_of(conn, m.team, m.user)?.map(|(_, c)| c);
            announce_join(conn, m, makeup, council.as_ref())?;
            MembershipNote::Joined {
                makeup,
                council_known: council.is_some(),
            }
        }
        Change::Unchanged | Change::Stale => MembershipNote::AlreadyIn,
    };
    Ok(membership(p, note))
}

/// Takes `m.user` out of the team (quietly: leaving is nobody else's business).
pub fn leave(conn: &Connection, m: &Move<'_>) -> anyhow::Result<Reply> {
    let note = match store::remove_member(conn, m.project_id, m.user, m.at_us)? {
        Change::Done => MembershipNote::Left,
        Change::Unchanged | Change::Stale => MembershipNote::NotIn,
    };
    Ok(membership(m.project, note))
}

fn announce_join(
    conn: &Connection,
    m: &Move<'_>,
    makeup: Makeup,
    council: Option<&CouncilName>,
) -> anyhow::Result<()> {
    let p = m.project;
    let council = council.map(|c| c.display().to_string());
    match &p.announcement_ts {
        // A line in the pitch's thread; the worker tells the pitcher once it is posted.
        Some(ts) => {
            let notice = Notice::Joined {
                project_id: m.project_id,
                number: p.number,
                title: p.title.clone(),
                user: m.user.clone(),
                council,
                makeup,
                pitcher: p.pitcher.clone(),
            };
            store::enqueue(conn, m.team, &p.channel, Some(ts), &notice, m.now)
        }
        // Not announced yet (the post is still on its way): tell the pitcher only.
        None if m.user != &p.pitcher => {
            let news = Notice::TeamNews {
                number: p.number,
                title: p.title.clone(),
                user: m.user.clone(),
                council,
                makeup,
            };
            store::enqueue(conn, m.team, &dm(&p.pitcher), None, &news, m.now)
        }
        None => return Ok(()),
    }
    .context("cannot queue join notice")?;
    Ok(())
}

/// `join <id>` / `leave <id>` typed by the user.
pub fn by_command(
    conn: &Connection,
    ctx: &Ctx,
    number: ProjectNumber,
    joining: bool,
) -> anyhow::Result<Reply> {
    let Some((project_id, project)) = store::project_by_number(conn, &ctx.team, number)? else {
        return Ok(problem(UserError::NoSuchProject(number)));
    };
    let m = Move {
        team: &ctx.team,
        user: &ctx.user,
        project_id,
        project: &project,
        at_us: ctx.now_us,
        now: ctx.now,
    };
    if joining {
        join(conn, &m)
    } else {
        leave(conn, &m)
    }
}

/// `council <name>` records it; `council` alone says what is recorded.
pub fn council(conn: &Connection, ctx: &Ctx, name: Option<CouncilName>) -> anyhow::Result<Reply> {
    let Some(name) = name else {
        let known = store::council_of(conn, &ctx.team, &ctx.user)?;
        return Ok(Reply::Council {
            name: known.map(|(_, c)| c.display().to_string()),
            matched: false,
        });
    };
    let (id, recorded) = store::find_or_add_council(conn, &ctx.team, &name, ctx.now)?;
    store::set_council(conn, &ctx.team, &ctx.user, id, ctx.now)?;
    Ok(Reply::Council {
        matched: recorded.display() != name.display(),
        name: Some(recorded.display().to_string()),
    })
}

fn membership(p: &ProjectDetail, note: MembershipNote) -> Reply {
    Reply::Membership {
        number: p.number,
        title: p.title.clone(),
        note,
    }
}

fn problem(e: UserError) -> Reply {
    Reply::Problem {
        text: e.to_string(),
    }
}

/// Posting to a user id lands in the bot's DM with that user.
pub fn dm(user: &UserId) -> crate::domain::ChannelId {
    crate::domain::ChannelId::parse(user.as_str()).expect("a user id is a valid conversation id")
}

/// Which button on an announcement was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    Join,
    Leave,
}

/// A press of an announcement's Join or Leave button.
pub struct ButtonPress {
    pub team: TeamId,
    pub user: UserId,
    pub channel: crate::domain::ChannelId,
    pub number: ProjectNumber,
    pub action: ButtonAction,
    pub rules: std::sync::Arc<super::Rules>,
    /// Unix seconds and the same instant in microseconds.
    pub now: i64,
    pub now_us: i64,
}

/// Applies a button press and queues the presser's private answer (`chat.postEphemeral`:
/// Slack wants the HTTP answer to a button empty and fast).
pub fn press_button(conn: &Connection, press: ButtonPress) -> anyhow::Result<()> {
    let ctx = Ctx {
        team: press.team,
        user: press.user,
        channel: press.channel,
        now: press.now,
        now_us: press.now_us,
        rules: press.rules,
    };
    let reply = by_command(conn, &ctx, press.number, press.action == ButtonAction::Join)?;
    let notice = Notice::Private {
        user: ctx.user.clone(),
        reply,
    };
    store::enqueue(conn, &ctx.team, &ctx.channel, None, &notice, ctx.now)
        .context("cannot queue button answer")?;
    Ok(())
}
