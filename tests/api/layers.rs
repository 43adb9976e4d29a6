//! The house rule, checked: dependencies point one way. Each module of `src/` may name only
//! the modules below it (`crate::…` paths, in `use` lines or inline); this reads the sources.

use std::collections::BTreeSet;
use std::path::Path;

/// What each module may use. The edge (`slack`, `web`, `app`, `operator`, `scheduler`,
/// `maintenance`, `main`) may use anything below it; nothing below the edge names it.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("message", &["domain"]),
    ("commands", &["domain"]),
    ("store", &["domain"]),
    ("outbox", &["domain", "message", "store"]),
    (
        "handlers",
        &["domain", "message", "commands", "store", "outbox"],
    ),
    // Settings, read once at start and handed to the edge: they name none of it.
    ("config", &["domain", "store", "telemetry"]),
    // What the edge shares, below it: the clock, the metrics, logging, the lock file.
    ("clock", &[]),
    ("metrics", &[]),
    ("telemetry", &[]),
    ("db_lock", &[]),
];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The identifier `text` starts with.
fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The first identifier of each path in a `{…}` group that `text` opens, to its closing
/// brace: `{a, b::c, d::{e}}` names `a`, `b` and `d`.
fn grouped(text: &str) -> Vec<String> {
    let (mut depth, mut names, mut start) = (0, Vec::new(), 1);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' | ',' if depth == 1 => {
                names.push(ident(text[start..].trim_start()));
                start = i + 1;
                if c == '}' {
                    break;
                }
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    names
}

/// The top-level modules a file `depth` modules deep (`src/store/mod.rs` 1, `src/store/x.rs`
/// 2) names: as `crate::name` or `crate::{name, …}`, or as `super::name` from as many
/// `super::`s as take it out of the crate's top-level module it is in.
fn named_modules(text: &str, depth: usize) -> BTreeSet<String> {
    // What a path names at the crate's root, `rest` being what follows it.
    let at_root = |rest: &str| match rest.starts_with('{') {
        true => grouped(rest),
        false => vec![ident(rest)],
    };
    let mut names = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        names.extend(at_root(&text[i + "crate::".len()..]));
    }
    const UP: &str = "super::";
    for (i, _) in text.match_indices(UP) {
        if text[..i].ends_with(UP) {
            continue; // counted from the chain's first
        }
        let ups = (1..)
            .take_while(|n| text[i..].starts_with(&UP.repeat(*n)))
            .count();
        if ups >= depth {
            names.extend(at_root(&text[i + UP.len() * ups..]));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

#[test]
fn no_module_below_the_edge_names_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    // The crate's top-level modules: what a path at its root may name besides items (an
    // inline `mod tests` adds a level `super::` counts from, so a test's `super::super::x`
    // can look like the root's `x`; only a module's name is taken for one).
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
            continue; // the edge
        };
        let text = std::fs::read_to_string(file).unwrap();
        // `a.rs` and `a/mod.rs` are module `a`, one deep; `a/b.rs` is two.
        let depth = relative.components().count()
            - usize::from(relative.file_name().is_some_and(|f| f == "mod.rs"));
        for name in named_modules(&text, depth) {
            if modules.contains(&name) && name != module && !allowed.contains(&name.as_str()) {
                wrong.push(format!("{} names crate::{name}", relative.display()));
            }
        }
    }
    assert!(files.len() > 30, "found only {} source files", files.len());
    assert!(
        wrong.is_empty(),
        "imports pointing up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_check_sees_an_upward_import() {
    let names =
        |text: &str, depth: usize| named_modules(text, depth).into_iter().collect::<Vec<_>>();
    assert_eq!(
        names("use crate::slack::render;\nlet x = crate::store::f();", 2),
        ["slack", "store"]
    );
    // Grouped, nested groups naming only their first.
    assert_eq!(
        names("use crate::{\n    app::App,\n    web::{page, feed},\n};", 2),
        ["app", "web"]
    );
    // Out of the top-level module by `super::`: from its root (`store/mod.rs`, one deep),
    // one is enough; from `store/x.rs`, two; within it, nothing at the crate's root.
    assert_eq!(names("use super::slack::x;", 1), ["slack"]);
    assert_eq!(names("use super::super::{web, app};", 2), ["app", "web"]);
    assert!(names("use super::outbox;\nsuper::super::x", 3).is_empty());
}

/// Whether SQL in `text` deletes rows of `table` (`DELETE FROM table`, any case and spacing;
/// not a table whose name only begins with it, such as `update_search`).
fn deletes_rows_of(text: &str, table: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words
        .windows(3)
        .any(|w| w[0] == "delete" && w[1] == "from" && w[2] == table)
}

/// Projects and updates are never deleted but by `makers-bot erase`: a new one's search note
/// is marked fresh, and the commit then adds its index row without looking for an old one
/// (`migrations/0023_search_noted_by_inserts.sql`), which is right when a deleted row's id is
/// used again only if no index row outlives its row. `store/requests/erase.rs` deletes a
/// workspace's index rows in the same transaction, from a table list this check does not
/// read (the `erase` test pitches into an erased project's id); any other delete must do
/// the same, and change this test.
#[test]
fn nothing_deletes_a_project_or_an_update() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    for entry in std::fs::read_dir(root.join("migrations")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for table in ["projects", "updates"] {
            if deletes_rows_of(&text, table) {
                found.push(format!("{} deletes from {table}", file.display()));
            }
        }
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A delete whose table is filled in at run time (`DELETE FROM {table}`) escapes the check
/// above, so only the two that are known to leave projects and updates alone, or to delete
/// their index rows with them, may write one: a forget's (its tables are the person's own
/// rows) and an erase's.
#[test]
fn a_delete_of_a_table_named_at_run_time_is_a_forget_or_an_erase() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let allowed = ["src/store/requests/mod.rs", "src/store/requests/erase.rs"];
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if text.contains("DELETE FROM {") && !allowed.contains(&relative.as_str()) {
            found.push(relative);
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_delete_check_sees_a_delete_and_not_a_longer_name() {
    assert!(deletes_rows_of(
        "conn.execute(\"DELETE\n  FROM Updates WHERE id = ?1\")",
        "updates"
    ));
    assert!(!deletes_rows_of(
        "DELETE FROM update_search WHERE rowid = ?1",
        "updates"
    ));
    assert!(!deletes_rows_of(
        "DELETE FROM members WHERE project_id = ?1",
        "projects"
    ));
}
