//! `makers-bot council correct`: one person's council recorded wrongly, put right for the
//! past (a rectification request); see `store::council_correction` for what moves.

use anyhow::bail;
use rusqlite::Connection;

use super::{CouncilFound, Opened, day, find_council, not_a_council, quoted, recorded_council};
use crate::domain::{CouncilName, TeamId, UserId};
use crate::store;

/// `council correct`: person `user`'s council recorded as `wrong` (a recorded council) put
/// right to `right` (a recorded council, or a new name) from the start (`yes`), or what that
/// would do: a rectification request. Seen from workspace `team`, whose row says whether it
/// is their council now; their rows in every workspace are put right. Returns what to print,
/// its days in `tz`; an error (nothing changed) for a council that cannot be named, or
/// nothing of theirs recorded for `wrong`.
pub fn correct_council(
    db: &Opened,
    team: &TeamId,
    user: &UserId,
    wrong: &str,
    right: &str,
    tz: chrono_tz::Tz,
) -> anyhow::Result<String> {
    let yes = db.changes();
    let right_name = CouncilName::parse(right).map_err(|e| not_a_council(right, e))?;
    let now = chrono::Utc::now().timestamp();
    // The right council as recorded (`None`: a new one, recorded only with --yes).
    let find = |c: &Connection| -> anyhow::Result<_> {
        let wrong = recorded_council(c, wrong)?;
        // A new one's near recorded council, to ask about: a slip of the right council's
        // name would otherwise be recorded as a council of its own.
        let (right, near) = match find_council(c, right)? {
            CouncilFound::Recorded(found) => (Some(found), None),
            // Refused, naming the council it is now.
            CouncilFound::Former { .. } => (Some(recorded_council(c, right)?), None),
            CouncilFound::Unknown { near } => (None, near),
        };
        if right.as_ref().is_some_and(|r| r.id == wrong.id) {
            bail!(
                "{} is named as both the wrong council and the right one; nothing was changed",
                wrong.name
            );
        }
        let found =
            store::council_correction(c, team, user, wrong.id, right.as_ref().map(|r| r.id))?;
        if found.is_empty() {
            bail!(
                "nothing of {user}'s is recorded for {} (ids are as Slack writes them, e.g. U0123ABCD); nothing was changed",
                wrong.name
            );
        }
        Ok((wrong, right, near, found))
    };
    let (wrong, right, near, found) = match db {
        Opened::ToChange(store) => store.write(|tx| {
            let (wrong, right, near, found) = find(tx)?;
            let right = match right {
                Some(right) => right,
                None => {
                    let (id, name) = store::find_or_add_council(tx, team, &right_name, now)?;
                    store::RecordedCouncil {
                        id,
                        name: name.display().to_string(),
                    }
                }
            };
            store::correct_council(tx, user, wrong.id, right.id, found.scope, now)?;
            Ok((wrong, Some(right), near, found))
        })?,
        // One snapshot, so that the counts agree with each other while `serve` writes.
        Opened::ToRead(c) => {
            let snapshot = c.unchecked_transaction()?;
            find(&snapshot)?
        }
    };
    let right_said = match &right {
        Some(r) => r.name.clone(),
        None => match near {
            Some(near) => format!(
                "{} (a new council; did you mean {}?)",
                right_name.display(),
                quoted(&near)
            ),
            None => format!("{} (a new council)", right_name.display()),
        },
    };
    Ok(
        correction_report(user, &wrong.name, &right_said, &found, yes, tz)
            + &match yes {
                true => String::new(),
                false => format!(
                    "\nNothing was changed. Take a backup first (makers-bot backup <file>), then:\n  makers-bot council correct --team {team} --user {user} {} --into {} --yes",
                    quoted(&wrong.name),
                    quoted(
                        right
                            .as_ref()
                            .map_or(right_name.display(), |r| r.name.as_str())
                    )
                ),
            },
    )
}

/// What a council correction found (`yes`: rewrote), line by line.
fn correction_report(
    user: &UserId,
    wrong: &str,
    right: &str,
    found: &store::CouncilCorrection,
    yes: bool,
    tz: chrono_tz::Tz,
) -> String {
    let since = match found.scope {
        store::CorrectionScope::Now { since: Some(at) } => {
            format!("recorded as theirs since {}", day(at, tz))
        }
        store::CorrectionScope::Before { after: Some(at) } => format!(
            "theirs after their last join for another council, on {}",
            day(at, tz)
        ),
        store::CorrectionScope::Now { since: None }
        | store::CorrectionScope::Before { after: None } => "theirs from the start".to_string(),
    };
    let (head, joins, led, people) = match yes {
        true => ("Corrected", "moved", "now led by", "now say"),
        false => ("To correct", "to move", "to be led by", "to say"),
    };
    let mut lines = vec![
        format!(
            "{head}: {user} was recorded as working for {wrong} ({since}); {right} instead, from the start."
        ),
        format!(
            "  joins {joins} to {right}: {} (teams, as reports count them: every report, past periods' too, and the export count them for it)",
            found.joins
        ),
        format!("  projects they pitched {led} {right}: {}", found.projects),
        format!(
            "  workspaces where their council is {wrong}, {people} {right}: {}",
            found.people
        ),
    ];
    // Led by the wrong council through them, then set by the team: its lead now is the
    // team's to set again, so the operator can tell the person; past reports are put right.
    if !found.set_since.is_empty() {
        let counts = match yes {
            true => "now counts",
            false => "to count",
        };
        let named: Vec<String> = found
            .set_since
            .iter()
            .map(|(team, number)| format!("{number} in {team}"))
            .collect();
        lines.push(format!(
            "  projects they pitched whose lead council the team set since, left for the team (their pitch {counts} for {right}): {}",
            named.join(", ")
        ));
    }
    // A council does not re-use its own work: named, so the operator can tell the person
    // who said the re-use.
    if !found.reuses_ended.is_empty() {
        let ends = match yes {
            true => format!("re-uses ended, of projects they pitched that {right} now leads"),
            false => format!("re-uses to end, of projects they pitched that {right} is to lead"),
        };
        let named: Vec<String> = found
            .reuses_ended
            .iter()
            .map(|(team, number)| format!("{number} in {team}"))
            .collect();
        lines.push(format!(
            "  {ends} (a council does not re-use its own work): {}",
            named.join(", ")
        ));
    }
    lines.join("\n")
}
