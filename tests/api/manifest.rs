//! The Slack app manifest (`deploy/slack-app-manifest.yml`), read as a security review would:
//! every bot scope is one the code needs and says why, no scope reads channels' messages,
//! and the shortcuts and Home tab of the contract are declared. The README says the same.
//! The Socket Mode manifest (`deploy/slack-app-manifest.socket-mode.yml`) asks for the same
//! and differs only in having no URLs and Socket Mode on.
//!
//! Read line by line rather than with a YAML crate: the file is plain block YAML, the
//! comments (which a parser drops) are half of what is checked, and a dependency for one
//! test is not worth its upkeep (serde_yaml, the usual one, is no longer maintained).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The bot scopes, each with what needs it. Adding a scope means adding it here too: a
/// deliberate change, for whoever reviews the manifest.
const NEEDED: &[(&str, &str)] = &[
    ("commands", "/makers and the three shortcuts"),
    ("chat:write", "chat.postMessage and chat.postEphemeral"),
    ("app_mentions:read", "the app_mention event"),
    ("reactions:read", "reaction_added and reaction_removed"),
    ("channels:join", "conversations.join before announcing"),
    ("channels:read", "member_joined_channel, public channels"),
    ("groups:read", "member_joined_channel, private channels"),
    ("users:read", "users.info: is the reacting person a bot?"),
];

/// One scalar of the manifest: where it sits (`features.app_home.home_tab_enabled`; list
/// items as `[n]`), its value, and whether a comment stands on the line directly above.
#[derive(Debug)]
struct Entry {
    path: String,
    value: String,
    commented: bool,
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// The manifest's scalars, in order. Enough YAML for this file: block mappings and lists,
/// `key: value` (split at the first `: `, so `chat:write` stays whole), `#` comment lines.
fn entries(yaml: &str) -> Vec<Entry> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut items: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    let mut commented = false;
    for line in yaml.lines() {
        let text = line.trim_start();
        if text.is_empty() || text.starts_with('#') {
            commented = text.starts_with('#');
            continue;
        }
        let mut indent = line.len() - text.len();
        while stack.last().is_some_and(|(at, _)| *at >= indent) {
            stack.pop();
        }
        let mut rest = text;
        if let Some(item) = text.strip_prefix("- ") {
            let n = items.entry(path_of(&stack)).or_insert(0);
            stack.push((indent, format!("[{n}]")));
            *n += 1;
            indent += 2;
            rest = item;
        }
        let (key, value) = match rest.split_once(": ") {
            Some((key, value)) => (Some(key), value),
            None => match rest.strip_suffix(':') {
                Some(key) => (Some(key), ""),
                None => (None, rest),
            },
        };
        let path = match key {
            Some(key) if value.is_empty() => {
                stack.push((indent, key.to_string()));
                commented = false;
                continue;
            }
            Some(key) => format!("{}.{key}", path_of(&stack)),
            None => path_of(&stack),
        };
        out.push(Entry {
            path,
            value: value.trim_matches('"').to_string(),
            commented,
        });
        commented = false;
    }
    out
}

fn path_of(stack: &[(usize, String)]) -> String {
    let mut path = String::new();
    for (_, part) in stack {
        if !path.is_empty() && !part.starts_with('[') {
            path.push('.');
        }
        path.push_str(part);
    }
    path
}

/// The values of a list of scalars (`oauth_config.scopes.bot`).
fn list<'a>(entries: &'a [Entry], path: &str) -> Vec<&'a Entry> {
    let prefix = format!("{path}[");
    entries
        .iter()
        .filter(|e| e.path.starts_with(&prefix) && e.path.ends_with(']'))
        .collect()
}

fn value<'a>(entries: &'a [Entry], path: &str) -> Option<&'a str> {
    entries
        .iter()
        .find(|e| e.path == path)
        .map(|e| e.value.as_str())
}

fn manifest() -> Vec<Entry> {
    entries(&read("deploy/slack-app-manifest.yml"))
}

fn socket_mode_manifest() -> Vec<Entry> {
    entries(&read("deploy/slack-app-manifest.socket-mode.yml"))
}

#[test]
fn every_bot_scope_is_needed_and_says_why_and_none_reads_messages() {
    bot_scopes_are_needed_and_say_why(&manifest());
    bot_scopes_are_needed_and_say_why(&socket_mode_manifest());
}

#[test]
fn the_socket_mode_manifest_differs_only_in_its_urls_and_socket_mode() {
    // A URL under any key, or in a list (`redirect_urls`).
    let is_url = |e: &&Entry| {
        e.path.ends_with("url") || e.path.contains("urls[") || e.value.starts_with("http")
    };
    let socket = socket_mode_manifest();
    assert_eq!(
        socket.iter().filter(is_url).count(),
        0,
        "no URL in Socket Mode"
    );
    assert_eq!(value(&socket, "settings.socket_mode_enabled"), Some("true"));
    assert_eq!(
        value(&manifest(), "settings.socket_mode_enabled"),
        Some("false")
    );
    let same = |entries: Vec<Entry>| -> Vec<(String, String)> {
        entries
            .into_iter()
            .filter(|e| !is_url(&e) && e.path != "settings.socket_mode_enabled")
            .map(|e| (e.path, e.value))
            .collect()
    };
    assert_eq!(same(socket), same(manifest()));
}

fn bot_scopes_are_needed_and_say_why(entries: &[Entry]) {
    let scopes = list(entries, "oauth_config.scopes.bot");
    for scope in &scopes {
        assert!(
            scope.commented,
            "{} has no comment saying what needs it",
            scope.value
        );
        assert!(
            !scope.value.ends_with(":history"),
            "{} lets the token read every message where the bot is; nothing reads messages",
            scope.value
        );
    }
    let asked: BTreeSet<&str> = scopes.iter().map(|s| s.value.as_str()).collect();
    let needed: BTreeSet<&str> = NEEDED.iter().map(|(scope, _)| *scope).collect();
    assert_eq!(asked, needed, "the manifest's bot scopes");
    assert!(list(entries, "oauth_config.scopes.user").is_empty());
}

#[test]
fn the_oauth_install_asks_for_the_manifests_bot_scopes_and_comes_back_to_the_callback() {
    let entries = manifest();
    let scopes: Vec<&str> = list(&entries, "oauth_config.scopes.bot")
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(scopes, makers_bot::slack::oauth::BOT_SCOPES);
    let redirects = list(&entries, "oauth_config.redirect_urls");
    assert_eq!(redirects.len(), 1);
    assert!(
        redirects[0]
            .value
            .ends_with(makers_bot::slack::oauth::CALLBACK_PATH)
    );
}

#[test]
fn the_manifest_declares_the_shortcuts_and_the_home_tab() {
    the_shortcuts_and_the_home_tab_are_declared(&manifest());
    the_shortcuts_and_the_home_tab_are_declared(&socket_mode_manifest());
}

fn the_shortcuts_and_the_home_tab_are_declared(entries: &[Entry]) {
    let mut shortcuts: BTreeMap<String, BTreeMap<&str, &str>> = BTreeMap::new();
    for e in entries {
        let Some(rest) = e.path.strip_prefix("features.shortcuts[") else {
            continue;
        };
        let (n, field) = rest.split_once("].").unwrap();
        shortcuts
            .entry(n.to_string())
            .or_default()
            .insert(field.rsplit('.').next().unwrap(), &e.value);
    }
    let declared: BTreeSet<(&str, &str)> = shortcuts
        .values()
        .map(|s| (s["type"], s["callback_id"]))
        .collect();
    assert_eq!(
        declared,
        BTreeSet::from([
            ("global", "pitch"),
            ("message", "pitch_message"),
            ("message", "post_update"),
        ])
    );
    for s in shortcuts.values() {
        // Slack's limits: name ≤ 24 characters, description ≤ 150.
        assert!(s["name"].chars().count() <= 24, "{s:?}");
        assert!(s["description"].chars().count() <= 150, "{s:?}");
    }
    assert_eq!(
        value(entries, "features.app_home.home_tab_enabled"),
        Some("true")
    );
    // Direct messages to a pitcher land in the Messages tab; the bot does not read replies.
    assert_eq!(
        value(entries, "features.app_home.messages_tab_enabled"),
        Some("true")
    );
    assert_eq!(
        value(entries, "features.app_home.messages_tab_read_only_enabled"),
        Some("true")
    );
    let events: BTreeSet<&str> = list(entries, "settings.event_subscriptions.bot_events")
        .iter()
        .map(|e| e.value.as_str())
        .collect();
    assert_eq!(
        events,
        BTreeSet::from([
            "app_mention",
            "reaction_added",
            "reaction_removed",
            "member_joined_channel",
            "app_home_opened",
            "app_uninstalled",
            "tokens_revoked",
            "user_change",
            "channel_id_changed",
            "grid_migration_finished",
        ])
    );
    assert_eq!(
        value(entries, "settings.interactivity.is_enabled"),
        Some("true")
    );
}

/// The app's page in Slack says what the bot reads and keeps, within Slack's bounds for a
/// long description (175 to 4000 characters), the same in both manifests.
#[test]
fn the_apps_page_says_what_it_reads_and_keeps() {
    let long = value(&manifest(), "display_information.long_description")
        .expect("a long description")
        .to_string();
    assert_eq!(
        value(
            &socket_mode_manifest(),
            "display_information.long_description"
        ),
        Some(long.as_str())
    );
    // (The reader takes off its double quotes.)
    let text = long.replace("\\n", "\n");
    assert!((175..=4000).contains(&text.chars().count()), "{text}");
    for part in [
        "What it reads",
        "What it keeps",
        "/makers privacy",
        "e-mail",
    ] {
        assert!(text.contains(part), "{part}");
    }
}

/// The README's "Creating the Slack app" lists the bot scopes: exactly these.
#[test]
fn the_readme_names_the_scopes_the_manifest_asks_for() {
    let readme = read("README.md");
    let start = readme
        .find("   - bot scopes ")
        .expect("the README lists the bot scopes");
    let end = start + readme[start..].find("Nothing more").unwrap();
    let named: BTreeSet<&str> = readme[start..end].split('`').skip(1).step_by(2).collect();
    let needed: BTreeSet<&str> = NEEDED.iter().map(|(scope, _)| *scope).collect();
    assert_eq!(named, needed);
}

#[test]
fn the_reader_understands_lists_maps_and_comments() {
    let yaml =
        "a:\n  # why\n  - x:y\n  - z\nb:\n  - name: n\n    # kind\n    type: t\n  c: \"q\"\n";
    let e = entries(yaml);
    let got: Vec<(&str, &str, bool)> = e
        .iter()
        .map(|e| (e.path.as_str(), e.value.as_str(), e.commented))
        .collect();
    assert_eq!(
        got,
        [
            ("a[0]", "x:y", true),
            ("a[1]", "z", false),
            ("b[0].name", "n", false),
            ("b[0].type", "t", true),
            ("b.c", "q", false),
        ]
    );
}
