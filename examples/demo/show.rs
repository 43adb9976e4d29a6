//! What Slack would show: the bot's HTTP answers and the posts it made through the stand-in,
//! printed as quoted message lines with Slack ids turned into the names people see.

use fake_slack::Call;
use hyper::StatusCode;
use serde_json::Value;

/// The bot's HTTP answer: status, then its reply (seen by `who` alone when ephemeral).
pub(crate) fn print_answer(status: StatusCode, body: &str, who: &str) {
    match serde_json::from_str::<Value>(body) {
        Ok(m) if m.get("blocks").is_some() || m.get("text").is_some() => {
            let audience = match m["response_type"].as_str() {
                Some("ephemeral") => format!("only {} sees", name(who)),
                _ => "everyone in the channel sees".to_string(),
            };
            println!("   answer: HTTP {status}; {audience}:");
            print_lines(5, &message_lines(&m));
        }
        _ if body.is_empty() => {
            println!("   answer: HTTP {status}, empty (Slack only needs to know it arrived)")
        }
        _ => println!("   answer: HTTP {status}: {body}"),
    }
}

/// Message lines drawn as a quote, `indent` spaces in.
fn print_lines(indent: usize, lines: &[String]) {
    lines.iter().for_each(|l| println!("{:indent$}│ {l}", ""));
}

/// One call the bot made to the stand-in: a post as Slack shows it, anything else as a note.
pub(crate) fn print_call(call: &Call, all: &[Call]) {
    let arg = |key: &str| name(call.body[key].as_str().unwrap_or("?"));
    let (user, channel) = (arg("user"), arg("channel"));
    let note = match (call.method.as_str(), call.error()) {
        ("chat.postMessage" | "chat.postEphemeral", None) => {
            println!("     {}:", where_posted(call, all));
            print_lines(7, &message_lines(&call.body));
            return;
        }
        ("users.info", None) => {
            format!("users.info: the bot asks if @{user} is a bot; no, a person")
        }
        ("conversations.join", None) => {
            format!("conversations.join: the bot joins #{channel}, a public channel")
        }
        (method, error) => {
            let answer = error.unwrap_or("ok");
            format!("{method} in #{channel}: Slack answers {answer}")
        }
    };
    println!("     (behind the scenes, {note})");
}

/// Where a post appears, and for whom: "in #makers, in the thread under …, only bob sees".
fn where_posted(call: &Call, all: &[Call]) -> String {
    let channel = call.body["channel"].as_str().unwrap_or("?");
    let mut place = match channel.starts_with(['U', 'W']) {
        true => format!("in a direct message to {}", name(channel)),
        false => format!("in #{}", name(channel)),
    };
    if let Some(thread) = call.body["thread_ts"].as_str() {
        let parent = all.iter().find(|c| c.ts() == Some(thread));
        match parent.and_then(|p| message_lines(&p.body).into_iter().next()) {
            Some(first) => place.push_str(&format!(", in the thread under “{first}”")),
            None => place.push_str(&format!(", in the thread of message {thread}")),
        }
    }
    if call.method == "chat.postEphemeral" {
        place.push_str(&format!(
            ", only {} sees",
            name(call.body["user"].as_str().unwrap_or("?"))
        ));
    }
    place
}

/// A demo Slack id as the name a person would see: U0ALICE is alice, C0MAKERS is makers.
pub(crate) fn name(id: &str) -> String {
    let short = id.strip_prefix("U0").or_else(|| id.strip_prefix("C0"));
    short.map_or_else(|| id.to_string(), str::to_lowercase)
}

/// A message's blocks as the lines Slack would show (its `text` if it has no blocks).
fn message_lines(message: &Value) -> Vec<String> {
    let text_of = |v: &Value| v["text"].as_str().map(as_seen);
    let mut lines = Vec::new();
    for block in message["blocks"].as_array().into_iter().flatten() {
        let elements = block["elements"].as_array().into_iter().flatten();
        let shown = match block["type"].as_str().unwrap_or("?") {
            "section" => text_of(&block["text"]).unwrap_or_default(),
            "context" => elements.filter_map(text_of).collect::<Vec<_>>().join("  "),
            "actions" => {
                let buttons = elements.filter_map(|b| text_of(&b["text"]));
                buttons
                    .map(|t| format!("[ {t} ]"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "divider" => "────────".to_string(),
            other => format!("({other} block)"),
        };
        lines.extend(shown.lines().map(String::from));
    }
    if lines.is_empty() {
        let text = message["text"].as_str().map(as_seen).unwrap_or_default();
        lines.extend(text.lines().map(String::from));
    }
    lines
}

/// mrkdwn as a person sees it: `<@U1>` as `@name`, `<#C1>` as `#name`, links by their label,
/// a real `<!channel>` as a ping, and `&lt;` `&gt;` `&amp;` as the characters they stand for.
fn as_seen(mrkdwn: &str) -> String {
    let mut out = String::new();
    let mut rest = mrkdwn;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            rest = &rest[start..];
            break;
        };
        let token = &after[..end];
        let (target, label) = token
            .split_once('|')
            .map_or((token, None), |(t, l)| (t, Some(l)));
        let shown = match target.split_at_checked(1) {
            Some((sigil @ ("@" | "#"), id)) => {
                format!("{sigil}{}", label.map_or(name(id), String::from))
            }
            Some(("!", who)) => format!("@{who} (a real ping: this notifies everyone!)"),
            _ => label.unwrap_or(target).to_string(),
        };
        out.push_str(&shown);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
