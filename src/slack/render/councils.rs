//! Councils: what is recorded for you, "did you mean…?", and give and take per council.

use slack_morphism::prelude::*;

use super::fit::Packer;
use super::{bold_text, count, escape, title_text};
use crate::domain::{GiveAndTake, ProjectNumber, Title};

/// Most of the projects a council now leads named in `council`'s answer; the rest counted.
const LED_NAMED: usize = 10;

/// What `council` records or says: `was` the council before this answer changed it, `led`
/// the asker's projects it leads now, having had none.
pub(super) fn council(
    name: Option<&str>,
    matched: bool,
    ledger: Option<&GiveAndTake>,
    was: Option<&str>,
    led: &[(ProjectNumber, Title)],
) -> String {
    let mut text = match (name, matched) {
        (Some(n), false) => format!(
            "You're recorded as working for *{}*. `/makers council &lt;name&gt;` changes it.",
            bold_text(n)
        ),
        (Some(n), true) => format!(
            "You're recorded as working for *{}* (the name already in use for that council).",
            bold_text(n)
        ),
        (None, _) => "I don't know your council yet. Tell me with `/makers council &lt;name&gt;`, e.g. `/makers council Guildford Borough Council`.".to_string(),
    };
    if let Some(before) = was {
        text.push_str(&format!(" Before, it was *{}*.", bold_text(before)));
    }
    if !led.is_empty() {
        let named: Vec<String> = led
            .iter()
            .take(LED_NAMED)
            .map(|(n, t)| format!("*{n}: {}*", title_text(t)))
            .collect();
        let more = led.len().saturating_sub(LED_NAMED);
        let more = match more {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let which = if led.len() == 1 { "it" } else { "them" };
        text.push_str(&format!(
            "\nYour {} had no lead council, so yours leads {which} now: {}{more}.",
            if led.len() == 1 {
                "project"
            } else {
                "projects"
            },
            named.join(", "),
        ));
    }
    if let Some(l) = ledger {
        text.push('\n');
        text.push_str(&line(l));
    }
    text
}

/// Both names as typed or recorded: set in bold, and as the command to type.
pub(super) fn did_you_mean(typed: &str, suggestion: &str) -> String {
    format!(
        "Did you mean *{}*? If so, `/makers council {suggestion}`. If *{}* is another council, say `/makers council {typed}` again and I'll add it. Nothing is recorded yet.",
        bold_text(suggestion),
        bold_text(typed),
        suggestion = escape(suggestion),
        typed = escape(typed),
    )
}

/// Every council's give and take, most giving first, packed within Slack's limits.
pub(super) fn give_and_take(all: &[GiveAndTake]) -> SlackMessageContent {
    let head = match all.len() {
        0 => "No councils yet: say yours with `/makers council &lt;name&gt;`.".to_string(),
        n => format!(
            "*Give and take, by council* ({}, most giving first)",
            count(n as i64, "council", "councils")
        ),
    };
    let mut packer = Packer::new();
    packer.start(&head);
    let shown = all.iter().take_while(|c| packer.add(&line(c))).count();
    let rest = (shown < all.len()).then(|| format!("…and {} more.", all.len() - shown));
    SlackMessageContent::new()
        .with_text(head.replace('*', ""))
        .with_blocks(packer.into_blocks(rest))
}

/// "• *Guildford Borough Council*: led 3 projects · 5 people in teams · re-uses 2 projects ·
/// its work re-used 4 times by other councils"
pub(super) fn line(c: &GiveAndTake) -> String {
    let times = match c.reused_by_others {
        1 => "once".to_string(),
        n => format!("{n} times"),
    };
    format!(
        "• *{}*: led {} · {} in teams · re-uses {} · its work re-used {times} by other councils",
        bold_text(&c.council),
        count(c.led, "project", "projects"),
        count(c.people, "person", "people"),
        count(c.reuses, "project", "projects"),
    )
}
