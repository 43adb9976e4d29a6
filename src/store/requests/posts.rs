//! Forgetting a person in the outbox. A queued post to them (a DM, a private answer) or about
//! them alone (the line saying they joined) goes, and so does any settled post that names
//! them (history only: what Slack shows is Slack's). But a post still owed to others that
//! names them (Alice's announcement thanking `<@U0BOB>`, the week's digest listing his update,
//! a nudge to his team) stays, with him taken out: a field that is his id becomes
//! [`UserId::FORGOTTEN`] ("someone who has since left"), a mention in a text "someone".
//! Deleting it would lose the post for everyone else for good.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::rows::rows;
use crate::domain::{UserId, names_id, without_person};
use crate::store::WAITING_FOR_CHANNEL;

/// Applies the above to the outbox rows of every workspace that are to or name `user` (as
/// `PERSON_TABLES` selects them for one workspace's export); how many rows went or changed.
pub fn forget_posts(conn: &Connection, user: &UserId) -> anyhow::Result<usize> {
    let found = rows(
        conn,
        "SELECT id, channel_id, notice, delivered_at, failed_at, last_error FROM outbox
          WHERE channel_id = ?1 OR instr(notice, ?1) ORDER BY id",
        [user.as_str()],
    )?;
    let mut changed = 0;
    for row in &found {
        let id = row["id"].as_i64().unwrap_or_default();
        let notice = row["notice"].as_str().unwrap_or_default();
        let names = names_id(notice, user.as_str());
        let owed = row["delivered_at"].is_null()
            && (row["failed_at"].is_null() || row["last_error"] == WAITING_FOR_CHANNEL);
        // A row that does not read as JSON cannot be posted either (the worker fails it):
        // if it names them, it goes.
        let parsed = serde_json::from_str::<Value>(notice).ok();
        let about = row["channel_id"] == user.as_str()
            || parsed.as_ref().is_some_and(|p| is_for_or_about(p, user));
        if about || (names && (!owed || parsed.is_none())) {
            changed += conn
                .prepare_cached("DELETE FROM outbox WHERE id = ?1")?
                .execute([id])?;
        } else if let Some(parsed) = parsed.filter(|_| names) {
            let taken_out = without(parsed, user).to_string();
            changed += conn
                .prepare_cached("UPDATE outbox SET notice = ?2 WHERE id = ?1")?
                .execute(params![id, taken_out])?;
        }
    }
    Ok(changed)
}

/// An outbox row as a person's export shows it (`row` as `rows` reads it): a post to them, by
/// them or about them (one of the notice's own fields is their id: the pitcher of an
/// announcement, the author of an update, the person who joined), whole; another post that
/// only names them (a digest listing their update among others', a nudge to their team, an
/// announcement thanking them) by its kind and the texts in it that name them, not the
/// rest, which is other people's.
pub fn as_exported(mut row: Value, user: &UserId) -> Value {
    let parsed = row["notice"]
        .as_str()
        .and_then(|n| serde_json::from_str::<Value>(n).ok());
    let Some(parsed) = parsed else {
        return row; // unreadable: kept as stored (it names them, or it was not selected)
    };
    let notice = parsed.get("notice").unwrap_or(&parsed);
    let theirs = notice
        .as_object()
        .is_some_and(|fields| fields.values().any(|f| f == user.as_str()));
    if row["channel_id"] == user.as_str() || theirs || is_for_or_about(&parsed, user) {
        return row;
    }
    let mut naming = Vec::new();
    texts_naming(notice, user, &mut naming);
    row["notice"] = serde_json::json!({ "kind": notice["kind"], "naming_them": naming });
    row
}

/// The strings in `v` that name `user` (their id alone, or a text mentioning them).
fn texts_naming(v: &Value, user: &UserId, out: &mut Vec<Value>) {
    match v {
        Value::String(s) if names_id(s, user.as_str()) => out.push(Value::String(s.clone())),
        Value::Array(items) => items.iter().for_each(|i| texts_naming(i, user, out)),
        Value::Object(fields) => fields.values().for_each(|f| texts_naming(f, user, out)),
        _ => {}
    }
}

/// Whether a stored post (`outbox::Stored`, or a version 1 bare notice) is for the person
/// alone (`only_for`, or v1's `private`: a private answer) or is the line saying they joined
/// (in the thread, or to the lead in their messages), or that they lead a project now.
fn is_for_or_about(stored: &Value, user: &UserId) -> bool {
    let notice = stored.get("notice").unwrap_or(stored);
    let names_them = notice["user"] == user.as_str();
    stored["only_for"] == user.as_str()
        || (matches!(
            notice["kind"].as_str(),
            Some("joined" | "private" | "team_news")
        ) && names_them)
        || (notice["kind"] == "handed_over" && notice["to"] == user.as_str())
}

/// `v` with the person taken out: a field that is their id names nobody, and every text
/// loses their mentions.
fn without(v: Value, user: &UserId) -> Value {
    match v {
        Value::String(s) if s == user.as_str() => Value::String(UserId::FORGOTTEN.into()),
        Value::String(s) => Value::String(without_person(&s, user)),
        Value::Array(items) => items.into_iter().map(|i| without(i, user)).collect(),
        Value::Object(fields) => fields
            .into_iter()
            .map(|(k, f)| (k, without(f, user)))
            .collect(),
        other => other,
    }
}
