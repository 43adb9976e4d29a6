//! `@makers <text>`: the same grammar, answered in the mention's thread, applied once.

use crate::helpers::*;

#[tokio::test]
async fn a_mention_is_answered_in_its_thread() {
    let app = spawn_app().await;
    app.slash("U1", "C1", "pitch Bin day finder").await;
    let a = app
        .event(&mention("Ev1", "U2", "C0CHAT", "1700000100.000200", "list"))
        .await;
    assert_eq!(a.status, 200);
    let replies = wait_for_reply_in(&app, "C0CHAT", 1).await;
    assert_eq!(replies[0].body["thread_ts"], "1700000100.000200");
    assert!(message_text(&replies[0].body).contains("Bin day finder"));
}

#[tokio::test]
async fn a_mention_inside_a_thread_stays_in_that_thread() {
    let app = spawn_app().await;
    let mut e = mention("Ev2", "U2", "C0CHAT", "1700000100.000300", "list");
    e["event"]["thread_ts"] = "1700000000.000001".into();
    app.event(&e).await;
    let replies = wait_for_reply_in(&app, "C0CHAT", 1).await;
    assert_eq!(replies[0].body["thread_ts"], "1700000000.000001");
    // A pitch is typed in the channel (in a pitch's thread, a mention of it is news).
    let said = message_text(&replies[0].body);
    assert!(said.contains("Pitch one with `/makers pitch"), "{said}");
}

/// Help by mention is the asker's alone, as by command (`../shared/CONTRACT.md`: "usage, as
/// an ephemeral reply"; a mention does what the command does), in the mention's thread:
/// asked for, an unknown word, or nothing at all.
/// `@makers councils` answered for the channel names nobody's own council: "Yours, 120th"
/// told every reader the asker's council, as if it were theirs. By command, the asker's
/// own, it is still added.
#[tokio::test]
async fn councils_by_mention_for_the_channel_names_nobodys_own_council() {
    let app = spawn_app().await;
    app.slash("U2", "C0CHAT", "council Zennor Parish Council")
        .await;
    // 119 more councils in use, each first by name: more than one page holds.
    let db = app.db();
    for i in 0..119 {
        db.execute(
            "INSERT INTO councils (team_id, match_key, name, created_at)
             SELECT team_id, ?1, ?2, 1 FROM councils LIMIT 1",
            [
                format!("somewhere {i:03}"),
                format!("Somewhere {i:03} Council"),
            ],
        )
        .unwrap();
        db.execute(
            "INSERT INTO people (team_id, user_id, council_id, updated_at)
             SELECT team_id, ?1, last_insert_rowid(), 1 FROM councils LIMIT 1",
            [format!("U0P{i:03}")],
        )
        .unwrap();
    }
    let own = app.slash("U2", "C0CHAT", "councils").await.text();
    assert!(own.contains("Yours, 120th:"), "{own}");
    app.event(&mention(
        "EvCouncils",
        "U2",
        "C0CHAT",
        "1700000100.000900",
        "councils",
    ))
    .await;
    let replies = wait_for_reply_in(&app, "C0CHAT", 1).await;
    let said = message_text(&replies[0].body);
    assert!(said.contains("Somewhere 000 Council"), "{said}");
    assert!(
        !said.contains("Yours,") && !said.contains("Zennor"),
        "{said}"
    );
}

#[tokio::test]
async fn help_by_mention_is_shown_to_the_asker_alone() {
    let app = spawn_app().await;
    for (n, text) in ["help", "frobnicate 4", ""].into_iter().enumerate() {
        let mut e = mention(
            &format!("EvHelp{n}"),
            "U2",
            "C0CHAT",
            &format!("1700000100.00030{n}"),
            text,
        );
        e["event"]["thread_ts"] = "1700000000.000001".into();
        assert_eq!(app.event(&e).await.status, 200);
        let said = app.slack.wait_for("chat.postEphemeral", n + 1, SHORT).await;
        let answer = &said[n].body;
        assert_eq!(answer["user"], "U2", "{text:?}");
        assert_eq!(answer["thread_ts"], "1700000000.000001", "{text:?}");
        // Slack runs no slash command typed in a thread: what to type there is a mention,
        // but for what a pitch's thread would read as news (`pitch`, `council`, …).
        let said = message_text(answer);
        assert!(
            said.contains("`@makers join &lt;id&gt;`")
                && said.contains("`@makers list`")
                && said.contains("`/makers pitch &lt;title&gt;")
                && said.contains("`/makers council &lt;name&gt;`")
                && !said.contains("`/makers join"),
            "{text:?}: {said}"
        );
        // They mentioned the bot: what is new to them is what a thread does, not that they
        // can mention it. (The slash command's help says both.)
        assert!(
            !said.contains("You can also mention me")
                && said.contains("In a pitch's thread, what you write to me is an update"),
            "{text:?}: {said}"
        );
    }
    let typed = app.slash("U2", "C0CHAT", "help").await.text();
    assert!(typed.contains("You can also mention me"), "{typed}");
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.postMessage").is_empty(),
        "nothing posted for the channel"
    );
}

/// `show` by mention is the asker's alone, in the mention's thread, as by command: its team
/// are mentions (`../shared/CONTRACT.md`), which would notify the whole team, the pitcher
/// and whoever is named in it each time someone asks, if posted for everyone.
#[tokio::test]
async fn show_by_mention_is_shown_to_the_asker_alone() {
    let app = spawn_app().await;
    app.slash("U0PITCHER", "C1", "pitch Bin day finder").await;
    app.slash("U0ALICE", "C1", "join 1").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postMessage").len();
    let mut e = mention("EvShow", "U2", "C0CHAT", "1700000100.000500", "show 1");
    e["event"]["thread_ts"] = "1700000000.000001".into();
    assert_eq!(app.event(&e).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let answer = &said[0].body;
    assert_eq!(answer["user"], "U2");
    assert_eq!(answer["thread_ts"], "1700000000.000001");
    let shown = message_text(answer);
    assert!(
        shown.contains("<@U0PITCHER>") && shown.contains("<@U0ALICE>"),
        "{shown}"
    );
    app.outbox_settled().await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        before,
        "nothing posted for the channel"
    );
}

#[tokio::test]
async fn a_pitch_by_mention_announces_and_replies_in_thread() {
    let app = spawn_app().await;
    app.event(&mention(
        "Ev3",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000400",
        "pitch Street lights | LED",
    ))
    .await;
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    let announcement = posts
        .iter()
        .find(|p| p.body.get("thread_ts").is_none())
        .unwrap();
    let reply = posts
        .iter()
        .find(|p| p.body.get("thread_ts").is_some())
        .unwrap();
    assert!(message_text(&announcement.body).contains("#1: Street lights"));
    assert_eq!(reply.body["thread_ts"], "1700000100.000400");
    assert!(message_text(&reply.body).contains("Recorded as *#1: Street lights*"));
}

#[tokio::test]
async fn a_retried_delivery_is_applied_once() {
    let app = spawn_app().await;
    // With a council said, the pitch has one answer, in the thread.
    app.slash("U0PITCHER", "C0CHAT", "council Waverley Borough Council")
        .await;
    let e = mention(
        "EvSAME",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000500",
        "pitch Only once",
    );
    assert_eq!(app.event(&e).await.status, 200);
    for retry in 1..=3 {
        let headers = [
            ("x-slack-retry-num", retry.to_string()),
            ("x-slack-retry-reason", "http_timeout".to_string()),
        ];
        let a = app
            .post_signed_with(
                "/slack/events",
                "application/json",
                &e.to_string(),
                &headers,
            )
            .await;
        assert_eq!(a.status, 200, "retry {retry}");
    }
    // Each delivery was answered only once its effect (or its being a repeat) was recorded,
    // so after the outbox settles nothing more can be posted for any of them.
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), 2);
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        2,
        "one announcement, one reply"
    );
}

#[tokio::test]
async fn the_bots_own_mentions_are_ignored() {
    let app = spawn_app().await;
    let a = app
        .event(&mention(
            "EvSelf",
            BOT_USER,
            "C0CHAT",
            "1700000100.000600",
            "list",
        ))
        .await;
    assert_eq!(a.status, 200);
    // The event was handled before it was answered: nothing was queued, so nothing will be
    // posted.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox"),
        0,
        "nothing queued"
    );
    app.outbox_settled().await;
    assert!(app.slack.calls("chat.postMessage").is_empty());
    // A person's, sent the same way, is answered.
    app.event(&mention(
        "EvPerson",
        "U0PERSON",
        "C0CHAT",
        "1700000100.000700",
        "list",
    ))
    .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
}

/// Another app's bot mentioning ours (its message has a `bot_id`, or the `bot_message`
/// subtype) runs nothing: only people pitch, join and post updates.
#[tokio::test]
async fn another_apps_bot_mentioning_the_bot_runs_nothing() {
    let app = spawn_app().await;
    let mut by_bot_id = mention(
        "EvBot1",
        "U0OTHERBOT",
        "C0CHAT",
        "1700000100.000700",
        "pitch Spam",
    );
    by_bot_id["event"]["bot_id"] = "B0OTHER".into();
    let mut by_subtype = mention(
        "EvBot2",
        "U0OTHERBOT",
        "C0CHAT",
        "1700000100.000800",
        "pitch Spam",
    );
    by_subtype["event"]["subtype"] = "bot_message".into();
    for event in [by_bot_id, by_subtype] {
        assert_eq!(app.event(&event).await.status, 200);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox"),
        0,
        "nothing queued"
    );
    // A person's mention still works.
    app.event(&mention(
        "EvPerson",
        "U2",
        "C0CHAT",
        "1700000100.000900",
        "pitch Real",
    ))
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

#[tokio::test]
async fn mention_text_is_escaped_in_the_reply() {
    let app = spawn_app().await;
    app.event(&mention(
        "Ev7",
        "U2",
        "C0CHAT",
        "1700000100.000700",
        "&lt;!channel&gt;",
    ))
    .await;
    // An unknown word gets help, the asker's alone.
    let reply = &app.slack.wait_for("chat.postEphemeral", 1, SHORT).await[0];
    let shown = message_text(&reply.body);
    assert!(shown.contains("I don't know `&lt;!channel&gt;`"), "{shown}");
    assert!(!shown.contains("<!channel>"), "{shown}");
}

pub(crate) async fn wait_for_reply_in(app: &TestApp, channel: &str, n: usize) -> Vec<Call> {
    eventually(&format!("{n} thread replies in {channel}"), SHORT, || {
        let found: Vec<Call> = app
            .slack
            .calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.body["channel"] == channel && c.body.get("thread_ts").is_some())
            .collect();
        (found.len() >= n).then_some(found)
    })
    .await
}

#[tokio::test]
async fn similar_projects_of_a_pitch_by_mention_are_told_to_the_pitcher_alone() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0FIRST", "C0CHAT", "Bin collection day finder").await;
    app.event(&mention(
        "EvSIM",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000900",
        "pitch Bin day finder",
    ))
    .await;
    let private = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(private[0].body["user"], "U0PITCHER");
    // A mention at the foot of the channel: the private answer is there too (the mention's
    // own thread is not open, where Slack would not show it).
    assert!(
        private[0].body.get("thread_ts").is_none(),
        "{:?}",
        private[0].body
    );
    let text = message_text(&private[0].body);
    assert!(
        text.contains("Someone may already be doing this")
            && text.contains("Bin collection day finder"),
        "{text}"
    );
    app.outbox_settled().await;
    let thread: Vec<String> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["thread_ts"] == "1700000100.000900")
        .map(|c| message_text(&c.body))
        .collect();
    assert_eq!(thread.len(), 1, "{thread:?}");
    assert!(
        thread[0].contains("Recorded as *#2: Bin day finder*"),
        "{thread:?}"
    );
    assert!(!thread[0].contains("Someone may already"), "{thread:?}");
}

/// A pitch by mention from someone who has not said their council: how to give it a lead
/// council is a to-do for them, told to them alone; the thread everyone reads does not say it.
#[tokio::test]
async fn a_pitch_by_mention_with_no_council_tells_the_pitcher_alone_how_to_lead_it() {
    let app = spawn_app().await;
    app.event(&mention(
        "EvUNLED",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000980",
        "pitch Bin day finder",
    ))
    .await;
    let private = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(private[0].body["user"], "U0PITCHER");
    let text = message_text(&private[0].body);
    assert!(text.contains("No council leads it yet"), "{text}");
    app.outbox_settled().await;
    let thread: Vec<String> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["thread_ts"] == "1700000100.000980")
        .map(|c| message_text(&c.body))
        .collect();
    assert_eq!(thread.len(), 1, "{thread:?}");
    assert!(
        thread[0].contains("Recorded as *#1: Bin day finder*"),
        "{thread:?}"
    );
    assert!(!thread[0].contains("No council leads it yet"), "{thread:?}");
}

/// A pitch by mention written in a thread (not a pitch's): the projects that look like it
/// come to the pitcher privately in that thread, where they are.
#[tokio::test]
async fn similar_projects_of_a_pitch_by_mention_in_a_thread_come_in_that_thread() {
    let app = spawn_app().await;
    pitch_and_wait(&app, "U0FIRST", "C0CHAT", "Bin collection day finder").await;
    let mut e = mention(
        "EvSIMT",
        "U0PITCHER",
        "C0CHAT",
        "1700000100.000950",
        "pitch Bin day finder",
    );
    e["event"]["thread_ts"] = "1700000100.000900".into();
    app.event(&e).await;
    let private = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert!(message_text(&private[0].body).contains("Someone may already be doing this"));
    assert_eq!(private[0].body["thread_ts"], "1700000100.000900");
}

/// Editing a message that mentions the bot makes Slack send `app_mention` again, with
/// `edited` and a new event id. Fixing a typo in `@makers pitch …` must not pitch twice: the
/// author is told privately that the edit changed nothing. A message edited to mention the
/// bot for the first time is acted on.
#[tokio::test]
async fn an_edited_mention_is_not_applied_twice() {
    let app = spawn_app().await;
    // With councils said, a pitch has no private answer, so those below are the edits'.
    for user in ["U2", "U3"] {
        app.slash(user, "C0MAKERS", "council Waverley Borough Council")
            .await;
    }
    let ts = &format!("{}.000400", now() - 60);
    app.event(&mention(
        "EvEd1",
        "U2",
        "C0MAKERS",
        ts,
        "pitch Bin day fnder",
    ))
    .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    app.outbox_settled().await;
    let posted = app.slack.calls("chat.postMessage").len();
    let mut edit = mention("EvEd2", "U2", "C0MAKERS", ts, "pitch Bin day finder");
    edit["event"]["edited"] = serde_json::json!({"user": "U2", "ts": "1700000160.000000"});
    assert_eq!(app.event(&edit).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(said[0].body["user"], "U2");
    assert!(
        message_text(&said[0].body).contains("your edit changed nothing I recorded"),
        "{}",
        said[0].body
    );
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
    let title: String = app
        .db()
        .query_row("SELECT title FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Bin day fnder");
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        posted,
        "nothing posted again"
    );
    // A message edited to mention the bot for the first time is acted on.
    let fresh = format!("{}.000500", now());
    let mut added = mention("EvEd3", "U3", "C0MAKERS", &fresh, "pitch Pothole map");
    added["event"]["edited"] = serde_json::json!({"user": "U3", "ts": "1700000260.000000"});
    app.event(&added).await;
    app.slack
        .wait_for("chat.postMessage", posted + 1, SHORT)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 2);
    // Its original, delivered after the edit (a retry of a delivery that failed on our
    // side), is the same message: not acted on again, and nobody told.
    let original = mention("EvEd4", "U3", "C0MAKERS", &fresh, "pitch Pothole mapp");
    assert_eq!(app.event(&original).await.status, 200);
    // An edit of a message older than the messages kept (3 days) may have been acted on
    // when sent, or not: not acted on now, and its author told so (not that the edit
    // changed nothing recorded, of a message that may never have mentioned the bot).
    let old = format!("{}.000600", now() - 4 * 24 * 3600);
    let mut late = mention("EvEd5", "U4", "C0MAKERS", &old, "pitch Parking permits");
    late["event"]["edited"] = serde_json::json!({"user": "U4", "ts": "1700000260.000000"});
    assert_eq!(app.event(&late).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert_eq!(said[1].body["user"], "U4");
    let told = message_text(&said[1].body);
    assert!(
        told.contains("that message is older") && told.contains("Mention me in a new message"),
        "{told}"
    );
    // Edited again: the same answer, though the first edit recorded it.
    let mut again = mention("EvEd6", "U4", "C0MAKERS", &old, "pitch Parking permit");
    again["event"]["edited"] = serde_json::json!({"user": "U4", "ts": "1700000270.000000"});
    assert_eq!(app.event(&again).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    let told = message_text(&said[2].body);
    assert!(told.contains("that message is older"), "{told}");
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 2);
    assert_eq!(app.slack.calls("chat.postEphemeral").len(), 3);
}
