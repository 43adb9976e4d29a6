//! `list` and `show`: read-only views of the projects.

use std::collections::HashSet;

use rusqlite::Connection;

use super::{Ctx, problem};
use crate::domain::{
    CarriedOnAs, CouncilName, ListFilter, ListedAsk, Page, Phase, Progress, ProjectNumber,
    ProjectSummary, SearchWords, ServiceElsewhere, ServiceShown, Slug, UserError,
};
use crate::message::Reply;
use crate::store::{self, Viewer};

/// How many updates `show` includes.
const LATEST_UPDATES: u32 = 3;
/// Most results `search` shows.
const SEARCH_RESULTS: u32 = 10;
/// Most services of other workspaces `search` names after them (the catalogue's own page has
/// the rest, linked where people can reach it).
const ELSEWHERE_RESULTS: u32 = 3;
/// Longest a search may rank for: common words match nearly every project and update, and
/// a search that ranks them all holds one of the two readers (or, by mention in a pitch's
/// thread, the writer) for everyone. Ten thousand projects rank in about 20 ms.
const SEARCH_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// Whether an answer here may leave some out (`hidden`: [`super::hidden_here`]): said of
/// who asks where, never of what was asked, which would tell, word by word or filter by
/// filter, what a private channel's project holds.
fn left_out_here(ctx: &Ctx, hidden: &HashSet<ProjectNumber>) -> bool {
    ctx.shared_channel || !hidden.is_empty()
}

pub fn list(conn: &Connection, ctx: &Ctx, filter: ListFilter, page: Page) -> anyhow::Result<Reply> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    let mut projects = store::list_projects(
        conn,
        &ctx.team,
        &filter,
        Viewer {
            user: &ctx.user,
            quiet_since,
        },
    )?;
    let hidden = super::hidden_here(conn, ctx)?;
    projects.retain(|p| !hidden.contains(&p.number));
    let left_out = left_out_here(ctx, &hidden);
    say_where_merged(conn, ctx, &hidden, &mut projects)?;
    Ok(Reply::ProjectList {
        filter,
        projects,
        page,
        left_out,
    })
}

/// `list council <name>`: a recorded council's open projects, by any spelling of it; a name
/// no council has is answered (with a recorded one close to it, if any), as `lead-council`
/// answers it.
pub fn list_council(
    conn: &Connection,
    ctx: &Ctx,
    name: &CouncilName,
    page: Page,
) -> anyhow::Result<Reply> {
    let (id, recorded) = match super::team::recorded_council(conn, name)? {
        Ok(found) => found,
        Err(near) => {
            let typed = name.display().to_string();
            return Ok(problem(UserError::NoSuchCouncil { typed, near }));
        }
    };
    let filter = ListFilter::Council {
        id,
        name: recorded.display().to_string(),
        formerly: super::team::formerly(conn, name, &recorded)?,
    };
    list(conn, ctx, filter, page)
}

/// `show <address>` or `join <address>`: in this workspace, as by its number; another
/// workspace's (shared across workspaces by the catalogue) cannot be joined from here, and
/// is shown as its catalogue page shows it; the answer says what can be done from here.
pub fn listed(
    conn: &Connection,
    ctx: &Ctx,
    service: Slug,
    ask: ListedAsk,
) -> anyhow::Result<Reply> {
    let not_listed = |service| Ok(problem(UserError::NotInCatalogue(service)));
    let Some(found) = store::listed_project(conn, &service, store::Listed::Now)? else {
        return not_listed(service);
    };
    if found.team == ctx.team {
        return match ask {
            ListedAsk::Show => show(conn, ctx, found.number),
            ListedAsk::Join => super::team::by_command(conn, ctx, found.number, true),
        };
    }
    let Some((_, project)) = store::project_head(conn, &found.team, found.number, &ctx.user)?
    else {
        return not_listed(service);
    };
    // What its page says, for `show`: the catalogue's own record, so nothing it does not
    // show, and whether the asker's council is among its re-users.
    let page = match ask {
        ListedAsk::Show => match store::published_page(conn, &service)? {
            Some(page) => {
                let mine = store::council_of(conn, &ctx.team, &ctx.user)?
                    .map(|(_, name)| crate::domain::public_council(name.display().to_string()));
                Some(Box::new(ServiceShown::of(page, mine.as_deref())))
            }
            None => None,
        },
        ListedAsk::Join => None,
    };
    Ok(Reply::ListedElsewhere {
        service,
        name: crate::domain::public_name(project.title.as_str()),
        ask,
        page,
    })
}

pub fn show(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    if let Some(why) = super::why_hidden(conn, ctx, number)? {
        return Ok(problem(why));
    }
    Ok(match store::project_by_number(conn, &ctx.team, number)? {
        Some((id, project)) => {
            let progress = Progress {
                history: store::phase_history(conn, id)?,
                updates: store::latest_updates(conn, id, LATEST_UPDATES)?,
                quiet: project.phase != Phase::Retired
                    && store::last_activity(conn, id)? <= ctx.rules.quiet_since(ctx.now()),
                reused_by: store::reuses_of(conn, id)?,
                links: store::links_of(conn, id)?,
                wanted: store::wanted_skills(conn, id)?,
                // Only a retired project is merged (bringing it back ends the merge).
                carried_on_as: match project.phase {
                    Phase::Retired => super::carries_on(conn, ctx, id)?.map(CarriedOnAs::from),
                    _ => None,
                },
            };
            Reply::ProjectDetail {
                project: Box::new(project),
                progress: Box::new(progress),
            }
        }
        None => problem(UserError::NoSuchProject(number)),
    })
}

/// Marks each retired project of `lines` merged into an open one with that one's number,
/// unless that one is `hidden` here (`hidden_here`, as the caller read it for its lines): a
/// search is where people look for what is being done, and a retired line alone sends them
/// nowhere.
fn say_where_merged(
    conn: &Connection,
    ctx: &Ctx,
    hidden: &HashSet<ProjectNumber>,
    lines: &mut [ProjectSummary],
) -> anyhow::Result<()> {
    if !lines.iter().any(|p| p.phase == Phase::Retired) {
        return Ok(());
    }
    let merged = store::carried_on_in(conn, &ctx.team)?;
    for line in lines.iter_mut().filter(|p| p.phase == Phase::Retired) {
        line.carries_on_in = merged
            .get(&line.number)
            .copied()
            .filter(|into| !hidden.contains(into));
    }
    Ok(())
}

/// Other workspaces' services in the public catalogue holding `words`
/// ([`store::published_elsewhere`]), at most `limit`. They are more to look at, not the
/// answer asked for, so a look-up that fails is logged and leaves none: a search or a pitch
/// keeps the workspace's own.
pub(super) fn services_elsewhere(
    conn: &Connection,
    ctx: &Ctx,
    words: &SearchWords,
    which: store::Elsewhere,
    limit: u32,
) -> Vec<ServiceElsewhere> {
    store::published_elsewhere(conn, &ctx.team, words, which, limit).unwrap_or_else(|e| {
        tracing::warn!(
            error = format!("{e:#}"),
            "other workspaces' services not found"
        );
        Vec::new()
    })
}

/// `search <words>`: the workspace's projects that match, best first.
pub fn search(conn: &Connection, ctx: &Ctx, words: &SearchWords) -> anyhow::Result<Reply> {
    let quiet_since = ctx.rules.quiet_since(ctx.now());
    // One more than is listed, to say whether there are more; and as many again as the
    // asker may not see here, left out.
    let hidden = super::hidden_here(conn, ctx)?;
    let asked = super::room_for(SEARCH_RESULTS + 1, &hidden);
    let Some(mut found) = store::within(SEARCH_TIME, || {
        store::search_projects(conn, &ctx.team, words, quiet_since, asked, None)
    })?
    else {
        return Ok(problem(UserError::SearchTooBroad {
            words: words.terms().join(" "),
        }));
    };
    found.retain(|p| !hidden.contains(&p.number));
    let left_out = left_out_here(ctx, &hidden);
    let more = found.len() > SEARCH_RESULTS as usize;
    found.truncate(SEARCH_RESULTS as usize);
    say_where_merged(conn, ctx, &hidden, &mut found)?;
    let mut elsewhere = services_elsewhere(
        conn,
        ctx,
        words,
        store::Elsewhere::Any,
        ELSEWHERE_RESULTS + 1,
    );
    let more_elsewhere = elsewhere.len() > ELSEWHERE_RESULTS as usize;
    elsewhere.truncate(ELSEWHERE_RESULTS as usize);
    Ok(Reply::SearchResults {
        words: words.terms().join(" "),
        projects: found,
        more,
        elsewhere,
        more_elsewhere,
        left_out,
    })
}
