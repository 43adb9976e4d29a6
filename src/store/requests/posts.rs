//! Forgetting a person in the outbox. A queued post to them (a DM, an ephemeral) or about
//! them (a join line, their update: a field of the notice is their id) goes, and so does any
//! settled post that names them (history only: what Slack shows is Slack's). But a post still
//! owed to someone else that merely mentions them (Alice's announcement, whose description
//! says `<@U0BOB>`) stays, with them taken out of its texts: deleting it would lose Alice's
//! announcement for good.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::rows::rows;
use crate::domain::{TeamId, UserId, names_id, without_person};
use crate::store::WAITING_FOR_CHANNEL;

/// Applies the above to the outbox rows `select` (a `SELECT * FROM outbox WHERE …` over `?1`
/// team, `?2` user) finds; how many rows went or changed.
pub fn forget_posts(
    conn: &Connection,
    select: &str,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<usize> {
    let columns = "SELECT id, channel_id, notice, delivered_at, failed_at, last_error";
    let found = rows(
        conn,
        &select.replacen("SELECT *", columns, 1),
        params![team.as_str(), user.as_str()],
    )?;
    let mut changed = 0;
    for row in &found {
        let id = row["id"].as_i64().unwrap_or_default();
        let notice = row["notice"].as_str().unwrap_or_default();
        let Ok(parsed) = serde_json::from_str::<Value>(notice) else {
            continue; // unreadable: failed alone by the worker, and says nothing readable
        };
        let owed = row["delivered_at"].is_null()
            && (row["failed_at"].is_null() || row["last_error"] == WAITING_FOR_CHANNEL);
        let about = row["channel_id"] == user.as_str() || has_field(&parsed, user);
        if about || (!owed && names_id(notice, user.as_str())) {
            changed += conn
                .prepare_cached("DELETE FROM outbox WHERE id = ?1")?
                .execute([id])?;
        } else if names_id(notice, user.as_str()) {
            let taken_out = without(parsed, user).to_string();
            changed += conn
                .prepare_cached("UPDATE outbox SET notice = ?2 WHERE id = ?1")?
                .execute(params![id, taken_out])?;
        }
    }
    Ok(changed)
}

/// Whether a field of `v` is the person's id itself (who a notice is to, by or about).
fn has_field(v: &Value, user: &UserId) -> bool {
    match v {
        Value::String(s) => s == user.as_str(),
        Value::Array(items) => items.iter().any(|i| has_field(i, user)),
        Value::Object(fields) => fields.values().any(|f| has_field(f, user)),
        _ => false,
    }
}

/// `v` with the person taken out of every text in it.
fn without(v: Value, user: &UserId) -> Value {
    match v {
        Value::String(s) => Value::String(without_person(&s, user)),
        Value::Array(items) => items.into_iter().map(|i| without(i, user)).collect(),
        Value::Object(fields) => fields
            .into_iter()
            .map(|(k, f)| (k, without(f, user)))
            .collect(),
        other => other,
    }
}
