//! Rows as JSON objects (column name to value), and taking a person out of rows that stay.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Params, Row, params};
use serde_json::{Map, Value};

use crate::domain::{TeamId, UserId, names_id, without_person};

/// Every row `sql` selects, each as an object of its columns.
pub fn rows(conn: &Connection, sql: &str, params: impl Params) -> anyhow::Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(as_object(row, &names)?);
    }
    Ok(out)
}

/// `row` as an object of its columns, `names` (its statement's column names).
pub fn as_object(row: &Row<'_>, names: &[String]) -> rusqlite::Result<Value> {
    let mut object = Map::new();
    for (i, name) in names.iter().enumerate() {
        let value = match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => n.into(),
            ValueRef::Real(x) => x.into(),
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
            // No column holds blobs; say so rather than guess an encoding.
            ValueRef::Blob(b) => format!("({} bytes)", b.len()).into(),
        };
        object.insert(name.clone(), value);
    }
    Ok(Value::Object(object))
}

/// In `table`'s rows that `select` (a `SELECT * … WHERE …` over `?1` team, `?2` user) finds,
/// sets each column of `who` to [`UserId::FORGOTTEN`] where it names the person, and takes
/// their id out of every text column. Returns how many rows changed.
pub fn anonymise(
    conn: &Connection,
    table: &str,
    select: &str,
    who: &[&str],
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<usize> {
    let key = key_columns(conn, table)?;
    let texts = text_columns(conn, table)?;
    // The rows' keys and texts in one read.
    let wanted: Vec<&str> = key.iter().chain(&texts).map(String::as_str).collect();
    let keyed = select.replacen("SELECT *", &format!("SELECT {}", wanted.join(", ")), 1);
    let found = rows(conn, &keyed, params![team.as_str(), user.as_str()])?;
    let matches_key: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k} = ?{}", i + 1))
        .collect();
    let matches_key = matches_key.join(" AND ");
    let mut changed = 0;
    for row in &found {
        let mut row_changed = false;
        let key_values: Vec<rusqlite::types::Value> =
            key.iter().map(|k| json_to_sql(&row[k.as_str()])).collect();
        for column in &texts {
            let Some(text) = row[column.as_str()].as_str() else {
                continue;
            };
            let new = if who.contains(&column.as_str()) && text == user.as_str() {
                UserId::FORGOTTEN.to_string()
            } else {
                without_person(text, user)
            };
            if new != text {
                let write = format!(
                    "UPDATE {table} SET {column} = ?{} WHERE {matches_key}",
                    key.len() + 1
                );
                let mut values = key_values.clone();
                values.push(new.into());
                conn.execute(&write, rusqlite::params_from_iter(values.iter()))?;
                row_changed = true;
            }
        }
        // Counted only if changed: the select's `instr` also finds `U0BOBBY`'s rows.
        changed += usize::from(row_changed);
    }
    Ok(changed)
}

/// Whether one of `row`'s texts names `user`: is their id, or holds it standing alone (the
/// selects' `instr` also finds `U0BOB` in `U0BOBBY`).
pub fn names(row: &Value, user: &UserId) -> bool {
    row.as_object().is_some_and(|columns| {
        columns
            .values()
            .filter_map(Value::as_str)
            .any(|text| names_id(text, user.as_str()))
    })
}

/// The columns that pick out one row: the primary key, or `rowid`.
fn key_columns(conn: &Connection, table: &str) -> anyhow::Result<Vec<String>> {
    let mut pk: Vec<(i64, String)> = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT name, pk FROM pragma_table_info('{table}')"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        if n > 0 {
            pk.push((n, r.get(0)?));
        }
    }
    pk.sort();
    Ok(match pk.as_slice() {
        [] => vec!["rowid".into()],
        _ => pk.into_iter().map(|(_, name)| name).collect(),
    })
}

fn text_columns(conn: &Connection, table: &str) -> anyhow::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM pragma_table_info('{table}') WHERE type = 'TEXT'"
    ))?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

fn json_to_sql(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Number(n) => n.as_i64().map_or(rusqlite::types::Value::Null, Into::into),
        Value::String(s) => s.clone().into(),
        _ => rusqlite::types::Value::Null,
    }
}
