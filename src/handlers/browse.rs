//! `list` and `show`: read-only views of the projects.

use rusqlite::Connection;

use super::Ctx;
use crate::domain::{ProjectNumber, Reply};
use crate::error::UserError;
use crate::store;

pub fn list(conn: &Connection, ctx: &Ctx) -> anyhow::Result<Reply> {
    let projects = store::open_projects(conn, &ctx.team)?;
    Ok(Reply::ProjectList { projects })
}

pub fn show(conn: &Connection, ctx: &Ctx, number: ProjectNumber) -> anyhow::Result<Reply> {
    Ok(match store::project_by_number(conn, &ctx.team, number)? {
        Some((_, project)) => Reply::ProjectDetail { project },
        None => Reply::Problem {
            text: UserError::NoSuchProject(number).to_string(),
        },
    })
}
