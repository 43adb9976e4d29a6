//! A pitch's announcement kept current: it says the project's phase once it leaves discovery
//! and the skills its team wants now, and a retired project's no longer asks anyone to join.

use crate::helpers::*;
use crate::progress::thread as thread_reaches;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";

/// The blocks of the `n`th correction of an announcement, as text, once made.
async fn correction(app: &TestApp, n: usize) -> (serde_json::Value, String) {
    let calls = app.slack.wait_for("chat.update", n, SHORT).await;
    let body = calls[n - 1].body.clone();
    let blocks = body["blocks"].to_string();
    (body, blocks)
}

#[tokio::test]
async fn the_announcement_says_the_phase_and_stops_inviting_once_retired() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder | One lookup").await;
    app.slash(PITCHER, CHANNEL, "wants 1 developer").await;
    let (body, _) = correction(&app, 1).await;
    assert!(message_text(&body).contains("Wanted:* developer"), "{body}");

    app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    let (body, blocks) = correction(&app, 2).await;
    assert_eq!(body["channel"], CHANNEL);
    assert_eq!(body["ts"], ts.as_str());
    let text = message_text(&body);
    assert!(
        text.contains("Makers project #1: Bin day finder*")
            && text.contains("One lookup")
            && text.contains("Wanted:")
            && text.contains("Now in *alpha*. Want to help? React with :raised_hand:"),
        "{text}"
    );
    assert!(
        blocks.contains("join_project"),
        "still a Join button: {blocks}"
    );

    // An edit in alpha keeps saying so.
    app.slash(
        PITCHER,
        CHANNEL,
        "edit 1 Bin day finder | One lookup for all",
    )
    .await;
    let (body, _) = correction(&app, 3).await;
    let text = message_text(&body);
    assert!(
        text.contains("One lookup for all") && text.contains("Now in *alpha*"),
        "{text}"
    );

    let a = app
        .slash(PITCHER, CHANNEL, "phase 1 retired | replaced by #2")
        .await
        .text();
    assert!(a.contains("is now *retired*"), "{a}");
    let again = app.slash(PITCHER, CHANNEL, "phase 1 retired").await.text();
    assert!(again.contains("Project #1 is already retired."), "{again}");
    let (body, blocks) = correction(&app, 4).await;
    let text = message_text(&body);
    assert!(
        text.contains("Makers project #1: Bin day finder*")
            && text.contains("One lookup for all")
            && text.contains("It is retired, and no longer takes new members."),
        "{text}"
    );
    for gone in ["Want to help", "Wanted:", "join_project", "leave_project"] {
        assert!(!blocks.contains(gone), "{gone} still in {blocks}");
    }
    // The thread says so after the announcement does.
    let lines = thread_reaches(&app, &ts, 4).await;
    assert!(lines.last().unwrap().contains("to *retired*"), "{lines:?}");
    let corrected = app.slack.calls("chat.update")[3].at;
    let told = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| message_text(&c.body).contains("to *retired*"))
        .unwrap();
    assert!(
        corrected <= told.received,
        "corrected before the thread is told"
    );

    // Brought back, it invites again.
    app.slash(PITCHER, CHANNEL, "phase 1 beta").await;
    let (body, blocks) = correction(&app, 5).await;
    assert!(
        message_text(&body).contains("Now in *beta*. Want to help?")
            && blocks.contains("join_project"),
        "{blocks}"
    );

    // A developer found: the announcement stops asking for one.
    app.slash(PITCHER, CHANNEL, "wants 1 none").await;
    let (body, _) = correction(&app, 6).await;
    let text = message_text(&body);
    assert!(
        !text.contains("Wanted") && text.contains("Now in *beta*"),
        "{text}"
    );
}

/// Moved on while Slack is down, before its announcement is out: the announcement goes out
/// already saying the phase.
#[tokio::test]
async fn a_phase_moved_before_the_announcement_is_out_goes_out_with_it() {
    let app = spawn_app().await;
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    let (announcement, _) = heal_and_announce(&app).await;
    let blocks = announcement.body["blocks"].to_string();
    assert!(
        blocks.contains("It is retired") && !blocks.contains("join_project"),
        "{blocks}"
    );
}

/// A correction Slack refuses after a phase change is told to whoever moved it, in words
/// that fit a phase change as well as an edit.
#[tokio::test]
async fn a_refused_correction_after_a_phase_change_is_told_to_the_mover() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slack
        .script("chat.update", Script::Error("message_not_found"));
    app.slash(PITCHER, CHANNEL, "phase 1 live").await;
    let dm = eventually("the note to the mover", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == PITCHER)
    })
    .await;
    let text = message_text(&dm.body);
    assert!(
        text.starts_with("Project #1: I could not correct its announcement (it has been deleted).")
            && text.contains("Your change is recorded"),
        "{text}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE phase = 'live'"),
        1
    );
}

/// A `*` in a title would end the bold the title sits in ("*New Makers project #1: 5*
/// rated…*" is bold up to "5"): it shows as `∗`, which looks the same, wherever the title
/// is, and is kept as typed.
#[tokio::test]
async fn a_star_in_a_title_does_not_break_its_bold() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C0MAKERS", "pitch 5* rated cafés")
        .await;
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let shown = message_text(&posts[0].body);
    assert!(
        shown.contains("*New Makers project #1: 5\u{2217} rated cafés*"),
        "{shown}"
    );
    let listed = app.slash("U2", "C0MAKERS", "list").await.blocks();
    assert!(listed.contains("5\u{2217} rated cafés"), "{listed}");
    let stored: String = app
        .db()
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, "5* rated cafés");
}
