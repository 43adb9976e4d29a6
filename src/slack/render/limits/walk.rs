//! Slack's limits on what the bot posts, as a walk over the JSON it sends: a message
//! (`chat.postMessage`, a slash-command answer) or a view (`views.open`, `views.publish`).
//! Generic over `serde_json::Value`, so any new message or view is covered by one more call
//! in `limits_tests`. Each check returns what broke, as readable lines, rather than stopping
//! at the first.
//!
//! The figures, with their sources (see `../shared/SLACK.md` §7 and `SLACK-NEXT.md` §5):
//! - [BK] <https://api.slack.com/reference/block-kit/blocks>: ≤ 50 blocks a message, ≤ 100
//!   in a modal or Home tab; section `text` 1–3,000 characters, `fields` ≤ 10 × 2,000;
//!   header ≤ 150 (plain_text); context ≤ 10 elements; actions ≤ 25 elements; input `label`
//!   and `hint` ≤ 2,000 (plain_text); `block_id` ≤ 255, unique within a message or view.
//! - [BKE] <https://api.slack.com/reference/block-kit/block-elements>: `action_id` ≤ 255,
//!   unique within its block; button `text` ≤ 75 (plain_text), `accessibility_label` ≤ 75,
//!   `value` ≤ 2,000, `url` ≤
//!   3,000; `placeholder` ≤ 150 (plain_text); select `options` ≤ 100, option `text` ≤ 75
//!   (plain_text in a select), option `value` ≤ 150; `plain_text_input` `max_length` ≤ 3,000.
//! - [MOD] <https://api.slack.com/surfaces/modals>: `title`, `submit`, `close` ≤ 24
//!   (plain_text); `private_metadata` ≤ 3,000 (held in UTF-16 units here, never fewer than
//!   characters: which unit Slack counts is not documented); `callback_id` ≤ 255.
//! - [PM] <https://docs.slack.dev/reference/methods/chat.postMessage>: top-level `text`
//!   "limit … to 4,000 characters", truncated past 40,000. We hold the fallback to 4,000: a
//!   Slack maintainer reports `msg_too_long` near 4K (SLACK.md §7).
//! - Block text in all: `msg_blocks_too_long` near 12,000 characters ("12,000 text characters
//!   with a buffer for block containers", Slack maintainers in `slackapi/bolt-js` #2509).

use std::collections::HashSet;

use serde_json::Value;

pub const MESSAGE_BLOCKS: usize = 50;
pub const VIEW_BLOCKS: usize = 100;
pub const SECTION_TEXT: usize = 3000;
pub const FIELD_TEXT: usize = 2000;
pub const FIELDS: usize = 10;
pub const HEADER_TEXT: usize = 150;
pub const CONTEXT_ELEMENTS: usize = 10;
pub const ACTIONS_ELEMENTS: usize = 25;
pub const ID_CHARS: usize = 255;
pub const BUTTON_TEXT: usize = 75;
pub const BUTTON_VALUE: usize = 2000;
pub const URL_CHARS: usize = 3000;
pub const PLACEHOLDER: usize = 150;
pub const OPTIONS: usize = 100;
pub const OPTION_TEXT: usize = 75;
pub const OPTION_VALUE: usize = 150;
pub const INPUT_MAX_LENGTH: u64 = 3000;
pub const LABEL: usize = 2000;
pub const VIEW_TITLE: usize = 24;
pub const PRIVATE_METADATA: usize = 3000;
/// What [PM] asks for; Slack truncates at 40,000.
pub const FALLBACK_TEXT: usize = 4000;
/// `msg_blocks_too_long` at about 12,000 characters of block text in a *message* (SLACK.md §7,
/// a maintainer's figure for chat.postMessage); nothing says views share it, so views are held
/// to the per-block limits only.
pub const BLOCKS_TEXT_IN_ALL: usize = 12_000;

/// What broke, one line each, prefixed with where.
#[derive(Default)]
pub struct Broken {
    pub lines: Vec<String>,
    /// Characters of text in all blocks so far.
    text_in_all: usize,
}

impl Broken {
    fn at(&mut self, at: &str, why: String) {
        self.lines.push(format!("{at}: {why}"));
    }

    fn at_most(&mut self, at: &str, what: &str, got: usize, max: usize) {
        if got > max {
            self.at(at, format!("{what} is {got}, over {max}"));
        }
    }
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn present(v: &Value) -> bool {
    !v.is_null()
}

/// A message: fallback `text`, and at most 50 blocks.
pub fn message(v: &Value) -> Broken {
    let mut b = Broken::default();
    if !v["text"].is_string() {
        b.at("message", "no fallback text".into());
    }
    b.at_most("message", "fallback text", chars(&v["text"]), FALLBACK_TEXT);
    blocks(&mut b, "message", &v["blocks"], MESSAGE_BLOCKS);
    b
}

/// A modal or Home view.
pub fn view(v: &Value) -> Broken {
    let mut b = Broken::default();
    let kind = v["type"].as_str().unwrap_or("");
    match kind {
        "modal" => {
            for key in ["title", "submit", "close"] {
                let at = format!("modal {key}");
                text_object(&mut b, &at, &v[key], Kind::Plain, VIEW_TITLE);
            }
            if !present(&v["title"]) {
                b.at("modal", "no title".into());
            }
            let has_input = blocks_of(&v["blocks"]).any(|x| x["type"] == "input");
            if has_input && !present(&v["submit"]) {
                b.at("modal", "input blocks but no submit".into());
            }
        }
        "home" => {}
        other => b.at("view", format!("unknown view type {other:?}")),
    }
    b.at_most("view", "callback_id", chars(&v["callback_id"]), ID_CHARS);
    b.at_most(
        "view",
        "private_metadata",
        v["private_metadata"]
            .as_str()
            .map_or(0, crate::domain::utf16_len),
        PRIVATE_METADATA,
    );
    blocks(&mut b, kind, &v["blocks"], VIEW_BLOCKS);
    b
}

fn blocks_of(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

fn blocks(b: &mut Broken, surface: &str, v: &Value, max: usize) {
    let Some(all) = v.as_array() else {
        b.at(surface, "no blocks array".into());
        return;
    };
    if all.is_empty() {
        b.at(surface, "no blocks".into());
    }
    b.at_most(surface, "blocks", all.len(), max);
    let mut ids = HashSet::new();
    for (i, block) in all.iter().enumerate() {
        let at = format!(
            "{surface} block {i} ({})",
            block["type"].as_str().unwrap_or("?")
        );
        if let Some(id) = block["block_id"].as_str() {
            b.at_most(&at, "block_id", id.chars().count(), ID_CHARS);
            if !ids.insert(id.to_string()) {
                b.at(&at, format!("block_id {id:?} used twice"));
            }
        }
        one_block(b, &at, block);
    }
    if surface == "message" {
        let total = b.text_in_all;
        b.at_most(surface, "text in all blocks", total, BLOCKS_TEXT_IN_ALL);
    }
}

fn one_block(b: &mut Broken, at: &str, block: &Value) {
    let mut action_ids = HashSet::new();
    match block["type"].as_str().unwrap_or("") {
        "section" => {
            if present(&block["text"]) {
                text_object(
                    b,
                    &format!("{at} text"),
                    &block["text"],
                    Kind::Any,
                    SECTION_TEXT,
                );
                if chars(&block["text"]["text"]) == 0 {
                    b.at(at, "empty section text".into());
                }
            } else if !block["fields"].is_array() {
                b.at(at, "neither text nor fields".into());
            }
            let fields: Vec<&Value> = blocks_of(&block["fields"]).collect();
            b.at_most(at, "fields", fields.len(), FIELDS);
            for (j, f) in fields.into_iter().enumerate() {
                text_object(b, &format!("{at} field {j}"), f, Kind::Any, FIELD_TEXT);
            }
            if present(&block["accessory"]) {
                element(
                    b,
                    &format!("{at} accessory"),
                    &block["accessory"],
                    &mut action_ids,
                );
            }
        }
        "context" => {
            let elements: Vec<&Value> = blocks_of(&block["elements"]).collect();
            b.at_most(at, "elements", elements.len(), CONTEXT_ELEMENTS);
            for (j, e) in elements.into_iter().enumerate() {
                let at = format!("{at} element {j}");
                match e["type"].as_str() {
                    Some("image") => {}
                    _ => text_object(b, &at, e, Kind::Any, SECTION_TEXT),
                }
            }
        }
        "actions" => {
            let elements: Vec<&Value> = blocks_of(&block["elements"]).collect();
            if elements.is_empty() {
                b.at(at, "no elements".into());
            }
            b.at_most(at, "elements", elements.len(), ACTIONS_ELEMENTS);
            for (j, e) in elements.into_iter().enumerate() {
                element(b, &format!("{at} element {j}"), e, &mut action_ids);
            }
        }
        "input" => {
            text_object(
                b,
                &format!("{at} label"),
                &block["label"],
                Kind::Plain,
                LABEL,
            );
            if present(&block["hint"]) {
                text_object(b, &format!("{at} hint"), &block["hint"], Kind::Plain, LABEL);
            }
            element(
                b,
                &format!("{at} element"),
                &block["element"],
                &mut action_ids,
            );
        }
        "header" => text_object(b, at, &block["text"], Kind::Plain, HEADER_TEXT),
        "divider" => {}
        other => b.at(
            at,
            format!("block type {other:?} is not checked: add it here"),
        ),
    }
}

/// An interactive element (button, select, input).
fn element(b: &mut Broken, at: &str, e: &Value, action_ids: &mut HashSet<String>) {
    if let Some(id) = e["action_id"].as_str() {
        b.at_most(at, "action_id", id.chars().count(), ID_CHARS);
        if !action_ids.insert(id.to_string()) {
            b.at(at, format!("action_id {id:?} used twice in one block"));
        }
    }
    if present(&e["placeholder"]) {
        let where_ = format!("{at} placeholder");
        text_object(b, &where_, &e["placeholder"], Kind::Plain, PLACEHOLDER);
    }
    match e["type"].as_str().unwrap_or("") {
        "button" => {
            text_object(
                b,
                &format!("{at} text"),
                &e["text"],
                Kind::Plain,
                BUTTON_TEXT,
            );
            b.at_most(at, "value", chars(&e["value"]), BUTTON_VALUE);
            b.at_most(at, "url", chars(&e["url"]), URL_CHARS);
            let label = e["accessibility_label"]
                .as_str()
                .map_or(0, crate::domain::utf16_len);
            b.at_most(at, "accessibility_label", label, BUTTON_TEXT);
        }
        "static_select" | "multi_static_select" => {
            let options: Vec<&Value> = blocks_of(&e["options"]).collect();
            if options.is_empty() && !e["option_groups"].is_array() {
                b.at(at, "a select without options".into());
            }
            b.at_most(at, "options", options.len(), OPTIONS);
            for (j, o) in options.into_iter().chain(initial_options(e)).enumerate() {
                let at = format!("{at} option {j}");
                text_object(b, &at, &o["text"], Kind::Plain, OPTION_TEXT);
                b.at_most(&at, "value", chars(&o["value"]), OPTION_VALUE);
            }
        }
        "plain_text_input" => {
            let max = e["max_length"].as_u64().unwrap_or(INPUT_MAX_LENGTH);
            if max > INPUT_MAX_LENGTH {
                b.at(at, format!("max_length {max} over {INPUT_MAX_LENGTH}"));
            }
            b.at_most(
                at,
                "initial_value",
                chars(&e["initial_value"]),
                max as usize,
            );
        }
        "conversations_select" | "channels_select" | "users_select" | "multi_users_select" => {}
        other => b.at(
            at,
            format!("element type {other:?} is not checked: add it here"),
        ),
    }
}

fn initial_options(e: &Value) -> impl Iterator<Item = &Value> {
    blocks_of(&e["initial_options"]).chain(Some(&e["initial_option"]).filter(|o| present(o)))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    Any,
}

/// A text object `{type, text}` of the kind required, within `max` characters.
fn text_object(b: &mut Broken, at: &str, t: &Value, kind: Kind, max: usize) {
    if !present(t) {
        return;
    }
    match (t["type"].as_str(), kind) {
        (Some("plain_text"), _) | (Some("mrkdwn"), Kind::Any) => {}
        (other, Kind::Plain) => b.at(at, format!("text type {other:?}, not plain_text")),
        (other, Kind::Any) => b.at(at, format!("text type {other:?}, not a text object")),
    }
    let n = chars(&t["text"]);
    b.text_in_all += n;
    b.at_most(at, "text", n, max);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk itself finds what it is for.
    #[test]
    fn the_walk_catches_what_is_over() {
        let m = serde_json::json!({
            "text": "x".repeat(4001),
            "blocks": [
                {"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "x".repeat(3001)}},
                {"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": ""},
                 "accessory": {"type": "button", "action_id": "j", "text": {"type": "mrkdwn", "text": "x".repeat(76)}}},
                {"type": "context", "elements": vec![serde_json::json!({"type": "mrkdwn", "text": "x"}); 11]},
                {"type": "actions", "elements": [
                    {"type": "button", "action_id": "j", "text": {"type": "plain_text", "text": "J"}, "value": "x".repeat(2001)},
                    {"type": "button", "action_id": "j", "text": {"type": "plain_text", "text": "L"}}]},
                {"type": "video"}
            ]
        });
        let lines = message(&m).lines;
        for expected in [
            "fallback text is 4001",
            "text is 3001",
            "used twice",
            "empty section text",
            "not plain_text",
            "elements is 11",
            "value is 2001",
            "action_id \"j\" used twice",
            "\"video\" is not checked",
        ] {
            assert!(
                lines.iter().any(|l| l.contains(expected)),
                "{expected}: {lines:#?}"
            );
        }
        let blocks = vec![serde_json::json!({"type": "divider"}); 51];
        assert!(
            message(&serde_json::json!({"text": "x", "blocks": blocks})).lines[0]
                .contains("blocks is 51")
        );
        let modal = serde_json::json!({"type": "modal", "title": {"type": "plain_text", "text": "x".repeat(25)},
            "blocks": [{"type": "input", "label": {"type": "mrkdwn", "text": "L"},
                        "element": {"type": "plain_text_input", "placeholder": {"type": "plain_text", "text": "x".repeat(151)}}}]});
        let lines = view(&modal).lines;
        for expected in ["title", "no submit", "label", "placeholder"] {
            assert!(
                lines.iter().any(|l| l.contains(expected)),
                "{expected}: {lines:#?}"
            );
        }
    }
}
