//! The house rule, checked: dependencies point one way. Each module of `src/` may name only
//! the modules below it (`crate::…` paths, in `use` lines or inline); this reads the sources.

use std::collections::BTreeSet;
use std::path::Path;

/// What each module may use. The edge (`slack`, `app`, `scheduler`, `maintenance`, `main`)
/// may use anything below it; nothing below the edge names it.
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

/// The top-level modules a file names as `crate::name` or `super::…` out of its own module.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

#[test]
fn no_module_below_the_edge_names_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
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
        for name in named_modules(&text) {
            if name != module && !allowed.contains(&name.as_str()) {
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
    let names = named_modules("use crate::slack::render;\nlet x = crate::store::f();");
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        vec!["slack".to_string(), "store".to_string()]
    );
}
