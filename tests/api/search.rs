//! "Someone may already be doing this": `/makers search <words>` over titles, descriptions and
//! updates, best first.

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";

fn said(a: &Answer) -> String {
    a.json()["text"].as_str().unwrap_or_default().to_string()
}

fn lines(a: &Answer) -> String {
    message_text(&serde_json::json!({ "blocks": a.json()["blocks"].clone() }))
}

async fn corpus(app: &TestApp) {
    for pitch in [
        "Parking permit renewals | Renew a resident's parking permit online",
        "Bin collection day finder | Type a postcode, see which bins go out when",
        "FOI request tracker | Freedom of information requests and their deadlines",
    ] {
        app.slash("U0PITCHER", CHANNEL, &format!("pitch {pitch}"))
            .await;
    }
    app.slash(
        "U0PITCHER",
        CHANNEL,
        "update 3 now with recycling reminders by text",
    )
    .await;
}

#[tokio::test]
async fn search_finds_the_bin_day_finder_and_not_parking() {
    let app = spawn_app().await;
    corpus(&app).await;
    let a = app.slash("U1", CHANNEL, "search find my bin day").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert_eq!(
        lines(&a),
        "*Projects matching “find bin day”*, best first\n• *#2* Bin collection day finder · 1 member\n"
    );
}

#[tokio::test]
async fn search_reads_updates_and_ranks_the_title_first() {
    let app = spawn_app().await;
    corpus(&app).await;
    app.slash("U0PITCHER", CHANNEL, "pitch Recycling centre bookings")
        .await;
    let a = app.slash("U1", CHANNEL, "search recycling").await;
    let found = lines(&a);
    let centre = found.find("Recycling centre bookings");
    let tracker = found.find("FOI request tracker");
    assert!(
        centre.is_some() && tracker.is_some() && centre < tracker,
        "the title match first, the update match after: {found}"
    );
}

#[tokio::test]
async fn a_search_with_no_match_or_nothing_to_look_for_says_so() {
    let app = spawn_app().await;
    corpus(&app).await;
    let a = app.slash("U1", CHANNEL, "search zebra crossings").await;
    assert_eq!(
        said(&a),
        "No projects match “zebra crossings”. `/makers list` shows the open ones; if nobody is doing it yet, pitch it with `/makers pitch &lt;title&gt;`."
    );
    let a = app.slash("U1", CHANNEL, "search the").await;
    assert_eq!(
        said(&a),
        "What should I look for? For example `/makers search bin collection day`."
    );
}
