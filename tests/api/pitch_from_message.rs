//! The *Pitch as a project* message shortcut: the pitch form opens filled in with the
//! message's words and offering its channel; submitted, the project is pitched as from the
//! form, its description linking to the conversation it came from (a link that the public
//! catalogue shows as words alone).

use serde_json::{Value, json};

use crate::catalogue::get;
use crate::forms::{block_ids, submission, text};
use crate::helpers::*;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";
const LINK: &str =
    "<https://slack.com/archives/C0MAKERS/p1516229207000133|a conversation in Slack>";

/// Slack's message-shortcut sample: `user` used *Pitch as a project* on a message with this
/// `text` (as Slack sends it: `&`, `<` and `>` as entities) in `channel` (named `name`).
fn pitch_shortcut(user: &str, channel: &str, name: &str, text: &str) -> String {
    let mut p: Value = serde_json::from_str(&fixture("shortcut-message.payload.json")).unwrap();
    p["team"]["id"] = TEAM.into();
    p["user"]["id"] = user.into();
    p["channel"]["id"] = channel.into();
    p["channel"]["name"] = name.into();
    p["callback_id"] = "pitch_message".into();
    p["message"]["text"] = text.into();
    payload_body(&p)
}

/// The form opened (the `n`th `views.open`).
async fn opened(app: &TestApp, n: usize) -> Value {
    app.slack.wait_for("views.open", n, SHORT).await[n - 1].body["view"].clone()
}

#[tokio::test]
async fn a_message_opens_the_pitch_form_with_its_words_and_its_channel() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    let message =
        "Bin day finder\nFor R&amp;D teams: <https://example.org/plan|the plan> &lt;draft&gt;";
    let a = app
        .interact(&pitch_shortcut(PITCHER, CHANNEL, "makers", message))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let view = opened(&app, 1).await;
    assert_eq!(view["callback_id"], "pitch");
    assert_eq!(
        block_ids(&view),
        ["title", "description", "council", "skills", "channel"]
    );
    assert_eq!(
        view["blocks"][0]["element"]["initial_value"],
        "Bin day finder"
    );
    // As the person typed it: Slack's entities decoded, the link kept as Slack writes one.
    assert_eq!(
        view["blocks"][1]["element"]["initial_value"],
        "For R&D teams: <https://example.org/plan|the plan> <draft>"
    );
    // Room is kept for the link to the message, added when it is submitted, as the bot
    // counts it: by its words, not Slack's address.
    let room = view["blocks"][1]["element"]["max_length"].as_u64().unwrap() as usize;
    assert_eq!(
        room,
        2000 - "\n\nPitched from a conversation in Slack.".len()
    );
    assert_eq!(
        view["blocks"][2]["element"]["initial_value"],
        "Guildford Borough Council"
    );
    assert_eq!(
        view["blocks"][4]["element"]["initial_conversation"],
        CHANNEL
    );
    assert_eq!(view["private_metadata"], "msg C0MAKERS 1516229207.000133 -");
    assert!(
        view["blocks"][1].get("hint").is_none(),
        "a channel's message needs no word on who reads it"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0, "nothing yet");
    // A private channel's message was written for its members: the form says who will
    // read it, and still offers that channel first.
    app.slack.private_channel("C0HUSH");
    app.interact(&pitch_shortcut(PITCHER, "C0HUSH", "hush", message))
        .await;
    let view = opened(&app, 2).await;
    let hint = view["blocks"][1]["hint"]["text"].as_str().unwrap_or("");
    assert!(hint.contains("From a private channel"), "{hint}");
    assert_eq!(
        view["blocks"][4]["element"]["initial_conversation"],
        "C0HUSH"
    );
}

#[tokio::test]
async fn submitted_it_is_pitched_with_a_link_to_the_conversation_which_the_catalogue_keeps_private()
{
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    let fields = json!({
        "title": text("Bin day finder"),
        "description": text("One page: enter a postcode."),
        "council": text("Guildford Borough Council"),
        "channel": {"type": "conversations_select", "selected_conversation": CHANNEL},
    });
    let metadata = "msg C0MAKERS 1516229207.000133 -";
    let a = app.interact(&submission(PITCHER, metadata, fields)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let description: String = app
        .db()
        .query_row("SELECT description FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        description,
        format!("One page: enter a postcode.\n\nPitched from {LINK}.")
    );
    // Announced where chosen, the link working there; the `#N` comes to their DM.
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    let announcement = posts
        .iter()
        .find(|c| c.body["channel"] == CHANNEL)
        .expect("the announcement");
    assert!(
        announcement.body.to_string().contains(LINK),
        "{}",
        announcement.body
    );
    let dm = first_dm(&app, PITCHER).await;
    assert!(dm.contains("#1"), "{dm}");
    // In public, a link is its words: nothing of Slack's addresses leaves it.
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let json = get(&app, "/catalogue.json").await.json();
    let shown = json["projects"][0]["description"].to_string();
    assert!(
        shown.contains("Pitched from a conversation in Slack."),
        "{shown}"
    );
    assert!(!shown.contains("slack.com"), "{shown}");

    // With nothing typed in the description, the link alone describes it; a reply in a
    // thread is linked through its thread.
    let fields = json!({
        "title": text("Parking permits"),
        "channel": {"type": "conversations_select", "selected_conversation": CHANNEL},
    });
    let metadata = "msg C0MAKERS 1516229207.000133 1516229200.000100";
    app.interact(&submission(PITCHER, metadata, fields)).await;
    let description: String = app
        .db()
        .query_row(
            "SELECT description FROM projects WHERE title = 'Parking permits'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        description,
        "Pitched from <https://slack.com/archives/C0MAKERS/p1516229207000133?thread_ts=1516229200.000100&cid=C0MAKERS|a conversation in Slack>."
    );
}

#[tokio::test]
async fn a_long_message_fills_the_description_as_far_as_the_bot_takes_one() {
    let app = spawn_app().await;
    let body = "x".repeat(1950);
    app.interact(&pitch_shortcut(
        PITCHER,
        CHANNEL,
        "makers",
        &format!("Bins\n{body}"),
    ))
    .await;
    let view = opened(&app, 1).await;
    // The field holds the whole message and lets nothing more be typed than the bot takes.
    let room = view["blocks"][1]["element"]["max_length"].as_u64().unwrap();
    assert!(room >= 1950, "{room}");
    assert_eq!(view["blocks"][1]["element"]["initial_value"], body.as_str());
    // Submitted as it opened, with the link after it, the bot takes it whole.
    let fields = json!({
        "title": text("Bins"),
        "description": text(&body),
        "channel": {"type": "conversations_select", "selected_conversation": CHANNEL},
    });
    let metadata = "msg C0MAKERS 1516229207.000133 -";
    let a = app.interact(&submission(PITCHER, metadata, fields)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let description: String = app
        .db()
        .query_row("SELECT description FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(description, format!("{body}\n\nPitched from {LINK}."));
}

#[tokio::test]
async fn from_a_dm_the_form_asks_where_and_adds_no_link() {
    let app = spawn_app().await;
    // Slack's own sample is a message in a DM.
    let a = app
        .interact(&pitch_shortcut(
            PITCHER,
            "D0LFFBKLZ",
            "directmessage",
            "Idea\nDetails",
        ))
        .await;
    assert_eq!(a.status, 200);
    let view = opened(&app, 1).await;
    assert_eq!(view["private_metadata"], "");
    assert!(
        view["blocks"][4]["element"]
            .get("initial_conversation")
            .is_none()
    );
    assert_eq!(view["blocks"][1]["element"]["max_length"], 2000);
    assert_eq!(view["blocks"][0]["element"]["initial_value"], "Idea");
    assert_eq!(view["blocks"][1]["element"]["initial_value"], "Details");
    // Its writer wrote it for that conversation alone: the form says who will read it.
    let hint = view["blocks"][1]["hint"]["text"].as_str().unwrap_or("");
    assert!(hint.contains("From a private conversation"), "{hint}");
    // A group DM's id looks like a channel's; its name tells it apart.
    app.interact(&pitch_shortcut(
        PITCHER,
        "G0GROUP",
        "mpdm-alice--bob-1",
        "Idea",
    ))
    .await;
    let view = opened(&app, 2).await;
    assert_eq!(view["private_metadata"], "");
    assert!(
        view["blocks"][4]["element"]
            .get("initial_conversation")
            .is_none()
    );
}

#[tokio::test]
async fn when_the_form_cannot_open_the_person_is_told_in_their_dm() {
    let app = spawn_app().await;
    app.slack
        .always("views.open", Script::Error("expired_trigger_id"));
    let a = app
        .interact(&pitch_shortcut(PITCHER, CHANNEL, "makers", "Idea"))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = first_dm(&app, PITCHER).await;
    assert!(
        dm.starts_with("Sorry, I couldn't open the pitch form just now."),
        "{dm}"
    );
}
