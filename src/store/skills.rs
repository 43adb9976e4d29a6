//! Skills: what people offer and what projects want, each kept in the order given.

use rusqlite::{Connection, params};

use super::doing;
use super::projects::SummaryRow;
use crate::domain::{Skill, SkillMatch, TeamId, UserId};

/// The skills a person offers, in the order they gave them.
pub fn offered_skills(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Vec<Skill>> {
    let stored: Vec<String> = doing("cannot read the person's skills", || {
        conn.prepare_cached(
            "SELECT skill FROM person_skills WHERE team_id = ?1 AND user_id = ?2 ORDER BY position",
        )?
        .query_map(params![team.as_str(), user.as_str()], |r| r.get(0))?
        .collect()
    })?;
    stored_skills(stored)
}

/// Replaces the skills a person offers (none: forgets them); false when they were already
/// exactly these.
pub fn set_offered_skills(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    skills: &[Skill],
) -> anyhow::Result<bool> {
    if offered_skills(conn, team, user)? == skills {
        return Ok(false);
    }
    doing("cannot record the person's skills", || {
        conn.prepare_cached("DELETE FROM person_skills WHERE team_id = ?1 AND user_id = ?2")?
            .execute(params![team.as_str(), user.as_str()])?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO person_skills (team_id, user_id, skill, position) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (position, skill) in (0_i64..).zip(skills) {
            insert.execute(params![
                team.as_str(),
                user.as_str(),
                skill.as_str(),
                position
            ])?;
        }
        Ok(true)
    })
}

/// The skills a project's team wants, in the order they gave them.
pub fn wanted_skills(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<Skill>> {
    let stored: Vec<String> = doing("cannot read the project's wanted skills", || {
        conn.prepare_cached(
            "SELECT skill FROM project_skills WHERE project_id = ?1 ORDER BY position",
        )?
        .query_map(params![project_id], |r| r.get(0))?
        .collect()
    })?;
    stored_skills(stored)
}

/// Replaces the skills a project wants (none: it wants none in particular); false when it
/// already wanted exactly these.
pub fn set_wanted_skills(
    conn: &Connection,
    project_id: i64,
    skills: &[Skill],
) -> anyhow::Result<bool> {
    if wanted_skills(conn, project_id)? == skills {
        return Ok(false);
    }
    doing("cannot record the project's wanted skills", || {
        conn.prepare_cached("DELETE FROM project_skills WHERE project_id = ?1")?
            .execute(params![project_id])?;
        let mut insert = conn.prepare_cached(
            "INSERT INTO project_skills (project_id, skill, position) VALUES (?1, ?2, ?3)",
        )?;
        for (position, skill) in (0_i64..).zip(skills) {
            insert.execute(params![project_id, skill.as_str(), position])?;
        }
        Ok(true)
    })
}

/// `+?1`, `+?2`, `+?3`: see `list_projects` (statements re-prepared on every call otherwise).
const WANTING_SKILLS_OF: &str = "SELECT p.number, p.title, p.phase,
                (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at,
                (SELECT group_concat(w.skill) FROM project_skills w
                 JOIN person_skills o ON o.skill = w.skill
                 WHERE w.project_id = p.id AND o.team_id = p.team_id AND o.user_id = +?2)
         FROM projects p
         WHERE p.team_id = +?1 AND p.phase != 'retired'
           AND EXISTS (SELECT 1 FROM project_skills w
                       JOIN person_skills o ON o.skill = w.skill
                       WHERE w.project_id = p.id AND o.team_id = p.team_id AND o.user_id = +?2)
           AND NOT EXISTS (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = +?2)
         ORDER BY p.number DESC LIMIT +?3";

/// For a person's Home: open projects of the workspace wanting any of the skills they offer,
/// newest first, at most `limit`, each with the skills of theirs it wants. Projects they are
/// already in are left out (the Home lists those as theirs). `quiet_since` as for `list`.
pub fn projects_wanting_skills_of(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    quiet_since: i64,
    limit: u32,
) -> anyhow::Result<Vec<SkillMatch>> {
    let mut stmt = conn.prepare_cached(WANTING_SKILLS_OF)?;
    let rows = stmt.query_map(params![team.as_str(), user.as_str(), limit], |r| {
        Ok((SummaryRow::read(r)?, r.get::<_, String>(5)?))
    })?;
    rows.map(|row| {
        let (line, skills) = row?;
        let mut skills = stored_skills(skills.split(',').map(str::to_string).collect())?;
        skills.sort();
        Ok(SkillMatch {
            project: line.summary(quiet_since)?,
            skills,
        })
    })
    .collect()
}

fn stored_skills(stored: Vec<String>) -> anyhow::Result<Vec<Skill>> {
    stored
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|()| anyhow::anyhow!("stored skill {s:?} unknown"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ListFilter;
    use crate::store::projects::needs_sql;
    use crate::store::{Store, Viewer, list_projects};
    use rusqlite::StatementStatus;

    /// Projects 1..=5 of T1 (3 retired), 6 of T2; U1 is in project 4's team.
    fn store_with_projects(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("t.db")).unwrap();
        store
            .write(|tx| {
                for (id, team, phase) in [
                    (1, "T1", "discovery"),
                    (2, "T1", "alpha"),
                    (3, "T1", "retired"),
                    (4, "T1", "beta"),
                    (5, "T1", "discovery"),
                    (6, "T2", "discovery"),
                ] {
                    tx.prepare_cached(
                        "INSERT INTO projects (id, team_id, number, title, phase, pitcher,
                                               channel_id, created_at, updated_at)
                         VALUES (?1, ?2, ?1, 'x', ?3, 'U9', 'C1', 1, 1)",
                    )?
                    .execute(params![id, team, phase])?;
                }
                tx.prepare_cached(
                    "INSERT INTO members (project_id, user_id, joined_at) VALUES (4, 'U1', 1)",
                )?
                .execute([])?;
                Ok(())
            })
            .unwrap();
        store
    }

    fn ids(team: &str, user: &str) -> (TeamId, UserId) {
        (TeamId::parse(team).unwrap(), UserId::parse(user).unwrap())
    }

    #[test]
    fn the_home_finds_open_projects_wanting_a_persons_skills_newest_first() {
        use Skill::*;
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_projects(dir.path());
        let (t1, u1) = ids("T1", "U1");
        let (t2, _) = ids("T2", "U1");
        store
            .write(|tx| {
                set_offered_skills(tx, &t1, &u1, &[UserResearcher, Developer])?;
                // The same person offers something else in another workspace.
                set_offered_skills(tx, &t2, &u1, &[Designer])?;
                set_wanted_skills(tx, 1, &[Designer, Developer])?;
                set_wanted_skills(tx, 2, &[Data])?;
                set_wanted_skills(tx, 3, &[Developer])?; // retired
                set_wanted_skills(tx, 4, &[Developer])?; // U1 is in the team
                set_wanted_skills(tx, 5, &[Developer, UserResearcher])?;
                set_wanted_skills(tx, 6, &[Developer])?; // another workspace
                Ok(())
            })
            .unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        let found = projects_wanting_skills_of(&conn, &t1, &u1, 0, 10).unwrap();
        let got: Vec<(u32, Vec<Skill>)> = found
            .iter()
            .map(|m| (m.project.number.get(), m.skills.clone()))
            .collect();
        assert_eq!(
            got,
            [(5, vec![Developer, UserResearcher]), (1, vec![Developer])]
        );
        let first = projects_wanting_skills_of(&conn, &t1, &u1, 0, 1).unwrap();
        assert_eq!(first.len(), 1, "at most the limit");
        assert_eq!(first[0].project.number.get(), 5);
        let (_, nobody) = ids("T1", "U2");
        assert!(
            projects_wanting_skills_of(&conn, &t1, &nobody, 0, 10)
                .unwrap()
                .is_empty(),
            "no skills offered, no matches"
        );
    }

    #[test]
    fn skills_are_replaced_in_the_order_given_and_an_unchanged_list_says_so() {
        use Skill::*;
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_projects(dir.path());
        let (t1, u1) = ids("T1", "U1");
        store
            .write(|tx| {
                assert!(set_offered_skills(tx, &t1, &u1, &[Data, Developer])?);
                assert!(!set_offered_skills(tx, &t1, &u1, &[Data, Developer])?);
                assert_eq!(offered_skills(tx, &t1, &u1)?, [Data, Developer]);
                assert!(set_offered_skills(tx, &t1, &u1, &[])?);
                assert!(offered_skills(tx, &t1, &u1)?.is_empty());
                assert!(set_wanted_skills(tx, 1, &[Other, Designer])?);
                assert_eq!(wanted_skills(tx, 1)?, [Other, Designer]);
                assert!(!set_wanted_skills(tx, 1, &[Other, Designer])?);
                assert!(
                    set_wanted_skills(tx, 1, &[Designer, Other])?,
                    "order counts"
                );
                Ok(())
            })
            .unwrap();
    }

    /// The trap of `list_projects` (see there), for `list needs`: counted, not timed.
    #[test]
    fn listing_needs_does_not_re_prepare_its_statement_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_projects(dir.path());
        store
            .write(|tx| {
                for id in 1..=5 {
                    set_wanted_skills(tx, id, &[Skill::Developer, Skill::Data])?;
                }
                Ok(())
            })
            .unwrap();
        let (t1, u1) = ids("T1", "U1");
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        let viewer = Viewer {
            user: &u1,
            quiet_since: 0,
        };
        let needs = |skill| list_projects(&conn, &t1, &ListFilter::Needs(skill), viewer).unwrap();
        assert_eq!(needs(Skill::Developer).len(), 4, "open ones only");
        conn.execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;")
            .unwrap();
        for skill in Skill::ALL {
            needs(skill);
            projects_wanting_skills_of(&conn, &t1, &u1, 0, 5).unwrap();
        }
        let mut total = 0;
        for sql in [needs_sql().as_str(), WANTING_SKILLS_OF] {
            total += conn
                .prepare_cached(sql)
                .unwrap()
                .get_status(StatementStatus::RePrepare);
        }
        assert!(total <= 2, "re-prepared {total} times");
    }

    /// The Home's three reads run on every visit: like the lists, they must keep their plans.
    #[test]
    fn the_homes_reads_do_not_re_prepare_their_statements_every_time() {
        use crate::store::home::{COUNCIL_LINE, HOME_PROJECTS, NEEDING_PEOPLE};
        use crate::store::{council_give_and_take, home_projects, projects_needing_people};
        let dir = tempfile::tempdir().unwrap();
        let _store = store_with_projects(dir.path());
        let (t1, u1) = ids("T1", "U1");
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        let read = |n: i64| {
            home_projects(&conn, &t1, &u1, n).unwrap();
            projects_needing_people(&conn, &t1, &u1, 3, n, 5).unwrap();
            council_give_and_take(&conn, n).unwrap();
        };
        read(0);
        conn.execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;")
            .unwrap();
        for n in 0..10 {
            read(n);
        }
        for sql in [HOME_PROJECTS, NEEDING_PEOPLE, COUNCIL_LINE] {
            let n = conn
                .prepare_cached(sql)
                .unwrap()
                .get_status(StatementStatus::RePrepare);
            assert!(n <= 1, "re-prepared {n} times: {sql}");
        }
    }
}
