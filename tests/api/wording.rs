//! What people are told is true: no thread said to be told when there is none, counts that
//! agree with each other, a preview kept private, a menu that reads as the titles do.

use serde_json::Value;

use crate::helpers::*;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";

/// While Slack will not take the announcement, a change to the pitch cannot be in its thread
/// yet: the answer says so rather than claim it is, and the change goes in the thread once the
/// announcement is posted, none of them lost nor posted on their own.
#[tokio::test]
async fn changes_to_an_unannounced_pitch_go_in_its_thread_once_it_is_announced() {
    let app = spawn_app().await;
    app.slack.always("chat.postMessage", Script::Status(500));
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    let a = app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    assert!(a.said().contains("is now in *alpha*"), "{}", a.said());
    let later = "isn't posted yet; its thread will be told once it is";
    assert!(
        !a.said().contains("I've said so in its thread") && a.said().contains(later),
        "{}",
        a.said()
    );
    let a = app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert!(
        a.said().contains("now in the public catalogue"),
        "{}",
        a.said()
    );
    assert!(
        !a.said().contains("told the team in its thread") && a.said().contains(later),
        "{}",
        a.said()
    );

    let a = app.slash("U0ALICE", CHANNEL, "join 1").await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());

    // An update, queued before the announcement is out (Slack still down: taking posts
    // again, it could post the announcement before the update is made).
    let a = app.slash(PITCHER, CHANNEL, "update 1 Bins mapped").await;
    assert!(
        a.said()
            .contains("goes in its thread once the pitch is announced"),
        "{}",
        a.said()
    );
    // Slack takes posts again (the clock past the announcement's retry); a command wakes the
    // worker.
    app.slack.heal("chat.postMessage");
    let now = app.clock.now().timestamp();
    app.clock.set_timestamp(now + 3600);
    app.slash("U1", "C0WAKE", "digest off").await;
    app.outbox_settled().await;
    let posted: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.ts().is_some())
        .collect();
    assert_eq!(
        posted.len(),
        6,
        "the announcement, four thread lines, the pitcher's note of the join"
    );
    assert!(message_text(&posted[0].body).contains("Bin day finder"));
    let announcement = posted[0].ts().unwrap();
    let in_thread: Vec<String> = posted
        .iter()
        .filter(|c| c.body["thread_ts"] == announcement)
        .map(|c| message_text(&c.body))
        .collect();
    assert_eq!(in_thread.len(), 4, "{in_thread:?}");
    assert!(in_thread[0].contains("to *alpha*"), "{in_thread:?}");
    assert!(in_thread[1].contains("public catalogue"), "{in_thread:?}");
    assert!(in_thread[2].contains("<@U0ALICE> joined"), "{in_thread:?}");
    assert!(in_thread[3].contains("Bins mapped"), "{in_thread:?}");
    let to_pitcher = posted
        .iter()
        .find(|c| c.body["channel"] == PITCHER)
        .unwrap();
    assert!(message_text(&to_pitcher.body).contains("<@U0ALICE>"));
}

/// "N of M open projects had news": a project retired this week had news but is not one of
/// the open ones. A quiet spell under two weeks is counted in days.
#[tokio::test]
async fn the_digest_counts_agree_and_a_short_quiet_spell_is_in_days() {
    let app = spawn_app_setting("MAKERS_QUIET_AFTER_DAYS", "1").await;
    // A Tuesday: the three days on do not reach Monday's digest, which the scheduler would
    // post (and the preview then start after it) on a Friday, Saturday or Sunday.
    app.clock.set_weekday_morning();
    app.slash("U1", CHANNEL, "digest").await;
    app.slash(PITCHER, CHANNEL, "pitch Quiet one").await;
    // Its announcement out before the clock moves: one posted days later is news, and the
    // project would not be quiet.
    app.outbox_settled().await;
    app.clock.advance_days(3);
    app.slash(PITCHER, CHANNEL, "pitch Short lived").await;
    app.slash(PITCHER, CHANNEL, "phase 2 retired").await;
    let text = app.slash("U1", CHANNEL, "digest preview").await.text();
    assert!(text.contains("1 of 1 open project had news"), "{text}");
    assert!(text.contains("quiet for 3 days"), "{text}");
}

/// A mention's answer is posted in its thread for all to read, but the digest preview is for
/// the asker alone, as with the slash command.
#[tokio::test]
async fn a_digest_preview_by_mention_is_shown_to_the_asker_alone() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash(PITCHER, CHANNEL, "pitch Parking permits").await;
    let a = app
        .event(&mention(
            "EvP1",
            "U1",
            CHANNEL,
            "1700000100.000100",
            "digest preview",
        ))
        .await;
    assert_eq!(a.status, 200);
    let shown = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(shown[0].body["user"], "U1");
    assert!(message_text(&shown[0].body).contains("Makers digest"));
    app.outbox_settled().await;
    let public = app.slack.calls("chat.postMessage");
    assert!(
        !public
            .iter()
            .any(|c| message_text(&c.body).contains("Makers digest")),
        "not posted where everyone reads it"
    );
}

/// The update form's project menu is plain text: a title shows as people read it (`#waste`),
/// not as Slack's token.
#[tokio::test]
async fn the_update_forms_menu_shows_titles_as_they_read() {
    let app = spawn_app().await;
    // As Slack sends it: the channel a token, the typed `&` escaped.
    let pitch = "pitch Bins for <#C0WASTE|waste> &amp; more";
    app.slash_as_sent(PITCHER, CHANNEL, pitch).await;
    let payload = {
        let mut p: Value = serde_json::from_str(&fixture("shortcut-message.payload.json")).unwrap();
        p["team"]["id"] = TEAM.into();
        p["user"]["id"] = PITCHER.into();
        p["channel"]["id"] = CHANNEL.into();
        p["callback_id"] = "post_update".into();
        serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
    };
    assert_eq!(app.interact(&payload).await.status, 200);
    let view = app.slack.wait_for("views.open", 1, SHORT).await[0].body["view"].clone();
    let option = &view["blocks"][0]["element"]["options"][0]["text"]["text"];
    assert_eq!(option, "#1: Bins for #waste & more");
}

/// The Home's "need people" list leaves out the person's own projects (listed above it): with
/// only their own one-person project, it must not say every project has a full team.
#[tokio::test]
async fn the_home_does_not_say_every_team_is_full_beside_a_team_of_one() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let view = crate::home::open_home(&app, PITCHER, 1).await;
    let text = view["view"]["blocks"].to_string();
    assert!(text.contains("1 person"), "{text}");
    assert!(
        !text.contains("home_join:1"),
        "their own is not offered: {text}"
    );
    assert!(text.contains("No other project you could join"), "{text}");
}

/// The bot's own spellings (`re-use`, as every answer writes it; `reused`, as the Home heads
/// its list) are commands it runs, so their help is that command's, not "I don't know".
#[tokio::test]
async fn help_about_a_spelling_the_bot_takes_shows_that_commands_lines() {
    let app = spawn_app().await;
    for (asked, shows) in [
        ("help re-use", "`/makers reuse "),
        ("help un-reuse", "`/makers unreuse "),
        ("help reused", "list reused"),
        ("help re-used", "list reused"),
    ] {
        let said = app.slash("U0ASK", CHANNEL, asked).await.text();
        assert!(
            !said.contains("I don't know") && said.contains(shows),
            "{asked}: {said}"
        );
    }
}

/// What the commands take that the README lists, the help says too: a project of this
/// workspace joined by its catalogue address, a re-use withdrawn by a service's address
/// (it has no number here), a project shown by its number alone, a council's projects.
#[tokio::test]
async fn the_help_names_every_way_a_command_is_taken() {
    let app = spawn_app().await;
    for (asked, shows) in [
        ("help unreuse", "unreuse bin-day-finder"),
        ("help join", "catalogue address"),
        ("help show", "/makers 4"),
        ("help councils", "councils Waverley"),
    ] {
        let said = app.slash("U0ASK", CHANNEL, asked).await.text();
        assert!(said.contains(shows), "{asked}: {said}");
    }
}
