//! Status updates, phases, list filters, nudges and the quiet marker.

use crate::helpers::*;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";

/// Pitches a project as the pitcher in the pitch channel and waits for its announcement.
async fn pitched(app: &TestApp, title: &str) -> String {
    pitch_and_wait(app, PITCHER, CHANNEL, title).await
}

/// Texts posted in the thread of `ts`, waiting until there are at least `n`.
pub(crate) async fn thread(app: &TestApp, ts: &str, n: usize) -> Vec<String> {
    eventually(&format!("{n} posts in the thread of {ts}"), SHORT, || {
        let lines: Vec<String> = app
            .slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["thread_ts"] == ts)
            .map(|c| message_text(&c.body))
            .collect();
        (lines.len() >= n).then_some(lines)
    })
    .await
}

/// The ts of the latest line posted in the thread of `ts`.
pub(crate) fn latest_line_ts(app: &TestApp, ts: &str) -> String {
    app.slack
        .calls("chat.postMessage")
        .into_iter()
        .rfind(|c| c.body["thread_ts"] == ts)
        .map(|c| c.body["_ts"].as_str().unwrap().to_string())
        .expect("a line in the thread")
}

/// Slack, down since the pitch, heals: the announcement goes out; its ts.
pub(crate) async fn announced_once_healed(app: &TestApp) -> String {
    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 5);
    let announcement = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    announcement
        .iter()
        .find(|c| c.body["_answered_ok"] == true)
        .map(|c| c.body["_ts"].as_str().unwrap().to_string())
        .expect("the announcement")
}

/// Posts the pitcher's update `text` on project 1 and returns once its line is on its way:
/// Slack has the request, and answers it 3 s later (time for a test to change the update
/// meanwhile on a loaded machine).
pub(crate) async fn update_on_its_way(app: &TestApp, text: &str) {
    app.slack.script("chat.postMessage", Script::Slow(3000));
    app.slash(PITCHER, CHANNEL, &format!("update 1 {text}"))
        .await;
    eventually("the line on its way", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
}

#[tokio::test]
async fn an_update_by_command_goes_into_the_thread_and_is_confirmed_privately() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let a = app
        .slash(
            PITCHER,
            "C0ELSEWHERE",
            "update 1 Prototype is up & <!here> see it",
        )
        .await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert!(
        a.text()
            .contains("Your update on *#1: Bin day finder* is recorded and posted in its thread"),
        "{}",
        a.body
    );
    assert!(
        !a.text().contains("withdraw"),
        "the bot's line is its own: {}",
        a.body
    );
    let lines = thread(&app, &ts, 1).await;
    assert!(
        lines[0].contains(":memo: *Update on #1* from <@U0PITCHER>"),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("Prototype is up &amp; @here see it"),
        "neutralised and escaped: {lines:?}"
    );
    assert!(!lines[0].contains("<!here>"));
    let body: String = app
        .db()
        .query_row("SELECT body FROM updates", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "Prototype is up & <!here> see it");
    // No new top-level message in the channel.
    let top = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .filter(|c| c.body.get("thread_ts").is_none())
        .count();
    assert_eq!(top, 1, "only the announcement");
}

#[tokio::test]
async fn only_the_team_may_post_updates_and_move_phases() {
    let app = spawn_app().await;
    pitched(&app, "Bin day finder").await;
    for text in ["update 1 I am not in this team", "phase 1 beta"] {
        let a = app.slash("U0STRANGER", "C1", text).await.text();
        assert!(
            a.contains("Only the team can post on or change project #1"),
            "{a}"
        );
        assert!(a.contains("/makers join 1"), "says how to join: {a}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM phase_changes"), 0);
    app.slash("U0STRANGER", "C1", "join 1").await;
    let a = app
        .slash("U0STRANGER", "C1", "update 1 Now I am")
        .await
        .text();
    assert!(a.contains("recorded"), "{a}");
    let a = app.slash("U1", "C1", "update 7 hello").await.text();
    assert!(a.contains("There is no project #7"), "{a}");
}

#[tokio::test]
async fn a_mention_in_a_pitch_thread_is_an_update_without_a_number() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let mut e = mention(
        "EvU1",
        PITCHER,
        CHANNEL,
        "1700000500.000100",
        "prototype is up: &lt;https://example.org|demo&gt;",
    );
    e["event"]["thread_ts"] = ts.clone().into();
    assert_eq!(app.event(&e).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(said[0].body["user"], PITCHER);
    let answer = message_text(&said[0].body);
    assert!(
        answer.contains("Your update on *#1: Bin day finder* is recorded"),
        "{answer}"
    );
    // Its line is the author's own message, whose deletion the bot cannot see: they are told
    // what takes the update back (as a mention: in a thread Slack runs no `/makers`).
    assert!(
        answer.contains("Deleting your message there won't take it back")
            && answer.contains("`@makers withdraw 1`"),
        "{answer}"
    );
    // In the thread the mention was written in, where its author is.
    assert_eq!(said[0].body["thread_ts"], ts.as_str());
    let body: String = app
        .db()
        .query_row("SELECT body FROM updates", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "prototype is up: <https://example.org|demo>");
    app.outbox_settled().await;
    assert!(
        thread(&app, &ts, 0).await.is_empty(),
        "the mention itself is the thread post"
    );

    // Someone outside the team is told how to join; nothing is recorded.
    let mut e = mention("EvU2", "U0STRANGER", CHANNEL, "1700000500.000200", "me too");
    e["event"]["thread_ts"] = ts.clone().into();
    app.event(&e).await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert!(message_text(&said[1].body).contains("Only the team can post"));
    assert_eq!(said[1].body["thread_ts"], ts.as_str());
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);

    // A command in the thread is still a command (`show`, answered to the asker alone).
    let mut e = mention("EvU3", "U0STRANGER", CHANNEL, "1700000500.000300", "show 1");
    e["event"]["thread_ts"] = ts.clone().into();
    app.event(&e).await;
    let said = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    let shown = message_text(&said[2].body);
    assert!(shown.contains("*Phase:* discovery"), "{shown}");
    assert_eq!(said[2].body["thread_ts"], ts.as_str());
}

/// `@Makers joni` in a pitch's thread, a slip for `join`, is not recorded as the team's news
/// (it was, and posted for all to read): its author alone is asked whether they meant `join`
/// and told how to post the word if it was news. "Published!" is news.
#[tokio::test]
async fn a_slip_of_a_commands_word_in_a_thread_is_asked_about_not_posted() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let mut e = mention("EvS1", PITCHER, CHANNEL, "1700000600.000100", "joni");
    e["event"]["thread_ts"] = ts.clone().into();
    assert_eq!(app.event(&e).await.status, 200);
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(said[0].body["user"], PITCHER);
    assert_eq!(said[0].body["thread_ts"], ts.as_str());
    let text = message_text(&said[0].body);
    assert!(
        text.contains("I don't know `joni`, so I didn't record it as the team's news (your message stays in the thread)")
            && text.contains("`@makers join`")
            && text.contains("`@makers update joni` posts it"),
        "{text}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);

    let mut e = mention("EvS2", PITCHER, CHANNEL, "1700000600.000200", "Published!");
    e["event"]["thread_ts"] = ts.clone().into();
    app.event(&e).await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert!(
        message_text(&said[1].body).contains("Your update on *#1: Bin day finder* is recorded"),
        "{}",
        message_text(&said[1].body)
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
}

/// `@Makers withdraw?` or `@Makers leave 1?` in a pitch's thread asks about a command: its
/// author alone is answered as by command (the command's help; "I don't act on a
/// question"), and nothing is recorded (each was the team's news, for all to read).
#[tokio::test]
async fn a_question_about_a_command_in_a_thread_is_answered_not_posted() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    for (i, asked) in ["withdraw?", "leave 1?"].into_iter().enumerate() {
        let id = format!("EvQ{i}");
        let at = format!("1700000700.00010{i}");
        let mut e = mention(&id, PITCHER, CHANNEL, &at, asked);
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
        let said = app.slack.wait_for("chat.postEphemeral", i + 1, SHORT).await;
        assert_eq!(said[i].body["user"], PITCHER);
        assert_eq!(said[i].body["thread_ts"], ts.as_str());
        let text = message_text(&said[i].body);
        assert!(!text.contains("is recorded"), "{asked}: {text}");
    }
    let said = app.slack.calls("chat.postEphemeral");
    let help = message_text(&said[0].body);
    assert!(help.contains("withdraw"), "{help}");
    let asked = message_text(&said[1].body);
    assert!(asked.contains("I don't act on a question"), "{asked}");
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM members"), 1);
}

/// `@Makers forget me.` in a pitch's thread (a full stop, a courtesy, a question) asks to be
/// forgotten: its author alone is told what to type, as anywhere else, and nothing is
/// recorded nor posted in the thread (it was the team's news, in the digest, `show` and the
/// Homes, while nothing was forgotten). Only the exact words forget anyone.
#[tokio::test]
async fn forget_me_in_a_sentence_in_a_pitch_thread_is_not_the_teams_news() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    let in_thread = |app: &TestApp| {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["thread_ts"] == ts)
            .count()
    };
    let before = in_thread(&app);
    let asked = ["forget me.", "forget me please", "Forget me?", "FORGET ME!"];
    for (i, text) in asked.into_iter().enumerate() {
        let id = format!("EvF{i}");
        let at = format!("1700000750.00010{i}");
        let mut e = mention(&id, PITCHER, CHANNEL, &at, text);
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
        let said = app.slack.wait_for("chat.postEphemeral", i + 1, SHORT).await;
        assert_eq!(said[i].body["user"], PITCHER);
        assert_eq!(said[i].body["thread_ts"], ts.as_str());
        let answer = message_text(&said[i].body);
        assert!(answer.contains("forget me"), "{text}: {answer}");
        assert!(!answer.contains("is recorded"), "{text}: {answer}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
    // Nothing was forgotten either: the pitcher is still the team.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members WHERE user_id = '{PITCHER}'"
        )),
        1
    );
    app.outbox_settled().await;
    assert_eq!(in_thread(&app), before);
}

/// Other personal requests in words their command does not take, in a pitch's thread
/// (erasure, leaving, one's skills, one's council mistyped): their author alone gets the
/// command's help (or, for a council near a recorded one, the offer of it), and nothing is
/// recorded nor posted in the thread (each was published as the team's news).
#[tokio::test]
async fn personal_requests_in_other_words_in_a_pitch_thread_are_not_the_teams_news() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford Borough Council")
        .await;
    let ts = pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    let in_thread = |app: &TestApp| {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .filter(|c| c.body["thread_ts"] == ts)
            .count()
    };
    let before = in_thread(&app);
    let told = app.slack.calls("chat.postEphemeral").len();
    let asked = [
        ("delete my data", "forget me"),
        ("leave the team please", "leave"),
        ("skills please", "skills"),
        ("council Guildfrod", "Guildford"),
    ];
    for (i, (text, says)) in asked.into_iter().enumerate() {
        let id = format!("EvP{i}");
        let at = format!("1700000760.00010{i}");
        let mut e = mention(&id, PITCHER, CHANNEL, &at, text);
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
        let n = told + i + 1;
        let said = app.slack.wait_for("chat.postEphemeral", n, SHORT).await;
        assert_eq!(said[n - 1].body["user"], PITCHER);
        assert_eq!(said[n - 1].body["thread_ts"], ts.as_str());
        let answer = message_text(&said[n - 1].body);
        assert!(answer.contains(says), "{text}: {answer}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
    // Nothing was done either: the pitcher is still the team.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members WHERE user_id = '{PITCHER}'"
        )),
        1
    );
    app.outbox_settled().await;
    assert_eq!(in_thread(&app), before);
}

#[tokio::test]
async fn phase_changes_are_kept_as_history_and_announced_in_the_thread() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let a = app
        .slash(PITCHER, "C1", "phase 1 alpha | user research done")
        .await
        .text();
    assert!(a.contains("*#1: Bin day finder* is now in *alpha*"), "{a}");
    app.slash(PITCHER, "C1", "phase #1 beta | passed the alpha assessment")
        .await;
    let a = app.slash(PITCHER, "C1", "phase 1 beta").await.text();
    assert!(a.contains("already in beta"), "{a}");
    let lines = thread(&app, &ts, 2).await;
    assert!(
        lines[0].contains("moved *#1* from discovery to *alpha*")
            && lines[0].contains("user research done"),
        "{lines:?}"
    );
    assert!(lines[1].contains("from alpha to *beta*"), "{lines:?}");
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(shown.contains("*Phase:* beta"), "{shown}");
    assert!(
        shown.contains("• moved to alpha on") && shown.contains(": user research done"),
        "{shown}"
    );
    assert!(
        shown.contains("• moved to beta on") && shown.contains("passed the alpha assessment"),
        "{shown}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM phase_changes"), 2);
}

#[tokio::test]
async fn retired_projects_leave_the_list_but_stay_in_show() {
    let app = spawn_app().await;
    pitched(&app, "Old thing").await;
    pitched(&app, "New thing").await;
    app.slash(PITCHER, "C1", "phase 1 retired | replaced by #2")
        .await;
    let list = app.slash("U1", "C1", "list").await.text();
    assert!(
        list.contains("New thing") && !list.contains("Old thing"),
        "{list}"
    );
    let retired = app.slash("U1", "C1", "list retired").await.text();
    assert!(
        retired.contains("Projects in retired (1)") && retired.contains("Old thing"),
        "{retired}"
    );
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(shown.contains("*Phase:* retired"), "{shown}");
}

#[tokio::test]
async fn list_groups_by_phase_and_filters() {
    let app = spawn_app().await;
    pitched(&app, "Parking").await;
    pitched(&app, "Bins").await;
    pitched(&app, "Libraries").await;
    app.slash(PITCHER, "C1", "phase 2 beta").await;
    app.slash("U0BOB", "C1", "join 3").await;

    let list = app.slash("U1", "C1", "list").await.text();
    let (discovery, beta) = (
        list.find("_Discovery_ (2)").unwrap(),
        list.find("_Beta_ (1)").unwrap(),
    );
    assert!(discovery < beta, "phases in GOV.UK order: {list}");
    assert!(list.find("Bins").unwrap() > beta, "{list}");

    let beta_only = app.slash("U1", "C1", "list beta").await.text();
    assert!(
        beta_only.contains("Bins") && !beta_only.contains("Parking"),
        "{beta_only}"
    );
    let mine = app.slash("U0BOB", "C1", "list mine").await.text();
    assert!(
        mine.contains("Your projects (1)") && mine.contains("Libraries"),
        "{mine}"
    );
    let nobody = app.slash("U0NEW", "C1", "list mine").await.text();
    assert!(
        nobody.contains("You're not in the team of any open project"),
        "{nobody}"
    );
    let quiet = app.slash("U1", "C1", "list quiet").await.text();
    assert!(quiet.contains("No quiet projects"), "{quiet}");
    let bad = app.slash("U1", "C1", "list everything").await.text();
    assert!(bad.contains("I can't list `everything`"), "{bad}");
}

fn nudges(app: &TestApp) -> Vec<String> {
    app.slack
        .calls("chat.postMessage")
        .iter()
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains(":wave:"))
        .collect()
}

#[tokio::test]
async fn a_quiet_project_is_nudged_once_and_only_once_even_across_a_restart() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.clock.advance_days(20);
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert!(nudges(&app).is_empty(), "not yet at 20 days");

    app.clock.advance_days(2);
    eventually("one nudge", SHORT, || {
        (nudges(&app).len() == 1).then_some(())
    })
    .await;
    let posts = app.slack.calls("chat.postMessage");
    let nudge = posts
        .iter()
        .find(|c| message_text(&c.body).contains(":wave:"))
        .unwrap();
    assert_eq!(
        nudge.body["thread_ts"],
        ts.as_str(),
        "in the pitch's thread"
    );
    let text = &nudges(&app)[0];
    assert!(
        text.contains("<@U0PITCHER>") && text.contains("<@U0BOB>"),
        "mentions the team: {text}"
    );
    assert!(text.contains("3 weeks"), "{text}");

    // Many ticks and a restart later: still one nudge for this quiet spell.
    let app = app.restart().await;
    app.clock.advance_days(7);
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(nudges(&app).len(), 1);

    // An update ends the spell; three quiet weeks later there is a new nudge.
    app.slash("U0BOB", "C1", "update 1 Still going").await;
    app.clock.advance_days(22);
    eventually("a second nudge", SHORT, || {
        (nudges(&app).len() == 2).then_some(())
    })
    .await;
}

#[tokio::test]
async fn eight_quiet_weeks_show_as_quiet_until_an_update() {
    let app = spawn_app().await;
    pitched(&app, "Sleepy").await;
    pitched(&app, "Busy").await;
    app.clock.advance_days(57);
    app.slash(PITCHER, "C1", "update 2 Still busy").await;
    let list = app.slash("U1", "C1", "list").await.text();
    let sleepy = list.lines().find(|l| l.contains("Sleepy")).unwrap();
    let busy = list.lines().find(|l| l.contains("Busy")).unwrap();
    assert!(
        sleepy.contains(":zzz: quiet") && !busy.contains("quiet"),
        "{list}"
    );
    let quiet = app.slash("U1", "C1", "list quiet").await.text();
    assert!(
        quiet.contains("Sleepy") && !quiet.contains("Busy"),
        "{quiet}"
    );
    assert!(
        app.slash("U1", "C1", "show 1")
            .await
            .text()
            .contains(":zzz: quiet")
    );

    app.slash(PITCHER, "C1", "update 1 Awake again").await;
    let list = app.slash("U1", "C1", "list").await.text();
    assert!(!list.contains(":zzz:"), "{list}");
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(!shown.contains(":zzz:"), "{shown}");
    assert!(
        shown.contains("Awake again"),
        "latest updates shown: {shown}"
    );
}

#[tokio::test]
async fn show_gives_the_latest_updates_with_dates() {
    let app = spawn_app().await;
    pitched(&app, "Bins").await;
    for i in 1..=4 {
        app.slash(PITCHER, "C1", &format!("update 1 Step {i}"))
            .await;
        app.clock.advance_days(1);
    }
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(
        shown.contains("Step 4") && shown.contains("Step 3") && shown.contains("Step 2"),
        "{shown}"
    );
    assert!(!shown.contains("Step 1"), "only the latest three: {shown}");
    // Dates are shown in MAKERS_TZ (Europe/London by default).
    let posted =
        (app.clock.now() - chrono::Duration::days(1)).with_timezone(&chrono_tz::Europe::London);
    let expected = format!("• {} <@U0PITCHER>: Step 4", posted.format("%-d %b %Y"));
    assert!(shown.contains(&expected), "{expected} in {shown}");
}

#[tokio::test]
async fn a_sentence_in_a_pitch_thread_that_starts_like_a_command_is_an_update() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    for (i, text) in [
        "pitch deck is uploaded",
        "join us Thursday at 2",
        "phase 2 done",
        "council cabinet approved the beta",
        "search page now handles postcodes",
        "help wanted: a designer",
        "update prototype is up",
    ]
    .iter()
    .enumerate()
    {
        let mut e = mention(
            &format!("EvS{i}"),
            PITCHER,
            CHANNEL,
            &format!("1700000600.00010{i}"),
            text,
        );
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
    }
    app.slack.wait_for("chat.postEphemeral", 7, SHORT).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        1,
        "no project pitched from a thread"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 7);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM councils"),
        0,
        "no council made"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM updates WHERE body = 'prototype is up'"),
        1,
        "update's words without the word update"
    );
}

/// In a pitch's thread a command may leave out the project's number, the thread's, and
/// `council <name>` sets the asker's council when it names a recorded one.
#[tokio::test]
async fn in_a_pitch_thread_a_command_takes_the_threads_project() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash("U0CAROL", CHANNEL, "council Guildford BC").await;
    assert!(crate::teams::is_member(&app, "U0BOB"));
    for (i, text) in ["leave", "council Guildford Borough Council"]
        .iter()
        .enumerate()
    {
        let mut e = mention(
            &format!("EvT{i}"),
            "U0BOB",
            CHANNEL,
            &format!("1700000700.00010{i}"),
            text,
        );
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
    }
    eventually("Bob left and said his council", SHORT, || {
        (!crate::teams::is_member(&app, "U0BOB")
            && app.count(
                "SELECT COUNT(*) FROM people WHERE user_id = 'U0BOB' AND council_id IS NOT NULL",
            ) == 1)
            .then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM updates"),
        0,
        "neither is an update"
    );
}

/// A change made by a mention in its pitch's thread (`@makers phase beta`) has its own line
/// there; the answer to it ("… I've said so in its thread") is the asker's alone, not a
/// second post in the thread.
#[tokio::test]
async fn in_a_pitch_thread_a_change_is_one_line_and_its_answer_is_private() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    let posts_before = app.slack.calls("chat.postMessage").len();
    let mut e = mention(
        "EvPhase",
        PITCHER,
        CHANNEL,
        "1700000800.000100",
        "phase beta",
    );
    e["event"]["thread_ts"] = ts.clone().into();
    assert_eq!(app.event(&e).await.status, 200);
    let told = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(told[0].body["user"], PITCHER);
    assert_eq!(told[0].body["thread_ts"], ts.as_str());
    assert!(
        message_text(&told[0].body).contains("beta"),
        "{}",
        told[0].body
    );
    let lines = thread(&app, &ts, 1).await;
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage");
    assert_eq!(
        posts.len(),
        posts_before + 1,
        "one post, the thread's line: {lines:?}"
    );
    assert!(lines[0].contains("beta"), "{lines:?}");
}

/// In a pitch's thread, `@makers reuse we use it for our bins` from someone outside the team
/// is a re-use with its note's `|` left out, and is answered so (they were told only the
/// team may post); from the team, "reuse of …" is news, an update. So is a phase with its
/// note's `|` left out answered, from anyone: "phase beta from Monday" moves the project.
/// In the thread, the command is suggested as a mention: Slack runs no slash command there.
#[tokio::test]
async fn in_a_pitch_thread_a_note_without_its_bar_is_answered_as_the_commands_mistake() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    let in_thread = |id: &str, user: &str, n: usize, text: &str| {
        let mut e = mention(id, user, CHANNEL, &format!("1700000900.00010{n}"), text);
        e["event"]["thread_ts"] = ts.clone().into();
        e
    };
    app.event(&in_thread(
        "EvR1",
        "U0WAV",
        1,
        "reuse we use it for our bins",
    ))
    .await;
    let told = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(
        told[0].body["text"],
        "A note goes after a `|`: try `@makers reuse 1 | we use it for our bins`. Nothing was recorded."
    );
    app.event(&in_thread(
        "EvR2",
        PITCHER,
        2,
        "reuse of the county's code saved us weeks",
    ))
    .await;
    eventually("the pitcher's update", SHORT, || {
        (app.count("SELECT COUNT(*) FROM updates") == 1).then_some(())
    })
    .await;
    app.event(&in_thread("EvR3", PITCHER, 3, "phase beta from Monday"))
        .await;
    let told = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    assert_eq!(
        told[2].body["text"],
        "A note goes after a `|`: try `@makers phase 1 beta | from Monday`. Nothing was recorded."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(shown.contains("*Phase:* discovery"), "{shown}");
}

/// `@makers list mine` in a channel is "Your projects": the asker's alone, as `show` is.
#[tokio::test]
async fn list_mine_by_mention_is_the_askers_alone() {
    let app = spawn_app().await;
    pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    let posts_before = app.slack.calls("chat.postMessage").len();
    let e = mention(
        "EvMine",
        PITCHER,
        "C0CHAT",
        "1700000800.000200",
        "list mine",
    );
    assert_eq!(app.event(&e).await.status, 200);
    let told = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(told[0].body["user"], PITCHER);
    let text = message_text(&told[0].body);
    assert!(text.contains("Your projects (1)"), "{text}");
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.postMessage").len(), posts_before);
}

/// "@Makers: leave" is `leave` (Slack sends the colon after the mention as typed); people
/// named after the bot's mention are part of the update.
#[tokio::test]
async fn in_a_pitch_thread_the_bots_mention_may_end_in_a_colon_and_others_are_kept() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    for (i, text) in [
        format!("<@{BOT_USER}> <@U0SAM> ran the first research sessions"),
        format!("<@{BOT_USER}>: leave"),
    ]
    .iter()
    .enumerate()
    {
        let mut e = mention(
            &format!("EvC{i}"),
            "U0BOB",
            CHANNEL,
            &format!("1700000800.00010{i}"),
            "",
        );
        e["event"]["text"] = text.clone().into();
        e["event"]["thread_ts"] = ts.clone().into();
        assert_eq!(app.event(&e).await.status, 200);
    }
    eventually("Bob left", SHORT, || {
        (!crate::teams::is_member(&app, "U0BOB")).then_some(())
    })
    .await;
    let updates: Vec<String> = app
        .db()
        .prepare("SELECT body FROM updates")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(updates, vec!["<@U0SAM> ran the first research sessions"]);
}

/// A nudge the bot cannot post (removed from the pitch's channel) is not kept for when it is
/// invited back: it would come weeks late, about a quiet spell long over.
#[tokio::test]
async fn a_nudge_that_cannot_be_posted_is_not_kept_for_later() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slack
        .always("chat.postMessage", Script::Error("not_in_channel"));
    app.clock.advance_days(22);
    let failed = "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL AND notice LIKE '%\"kind\":\"nudge\"%'";
    eventually("the nudge failed", SHORT, || {
        (app.count(failed) == 1).then_some(())
    })
    .await;
    let why = "SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'not_in_channel; %' AND notice LIKE '%\"kind\":\"nudge\"%'";
    assert_eq!(app.count(why), 1, "recorded why, not parked");
    app.event(&bot_joined("EvJoin", CHANNEL)).await;
    let requeued = "SELECT COUNT(*) FROM outbox WHERE failed_at IS NULL AND notice LIKE '%\"kind\":\"nudge\"%'";
    assert_eq!(
        app.count(requeued),
        0,
        "not posted when the bot is invited back"
    );
}

/// A nudge Slack will not post (its channel archived, as a finished project's often is)
/// goes to whoever leads the project instead, once for the quiet spell: nobody in the team
/// was reminded, and the lead can retire it or post its news. (It was failed in silence,
/// every quiet spell.)
#[tokio::test]
async fn a_nudge_refused_in_an_archived_channel_is_told_to_the_lead() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    // Whoever leads it now, not whoever pitched it.
    app.slash(PITCHER, CHANNEL, "handover 1 <@U0BOB>").await;
    app.slack.archived_channel(CHANNEL);
    app.clock.advance_days(22);
    let to = |user: &str| -> Vec<String> {
        posted_to(&app.slack, user)
            .into_iter()
            .filter(|t| t.contains("could not remind"))
            .collect()
    };
    let told = eventually("the lead is told", SHORT, || to("U0BOB").pop()).await;
    assert!(
        told.starts_with("*#1: Bin day finder*: I could not remind its team in <#C0MAKERS> (the channel is archived). It has had no news for 3 weeks:")
            && told.contains("`/makers phase 1 retired` retires it"),
        "{told}"
    );
    app.outbox_settled().await;
    let nudges: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == CHANNEL && message_text(&c.body).contains(":wave:"))
        .collect();
    assert_eq!(
        nudges.len(),
        1,
        "one nudge tried (and refused: the channel is archived)"
    );
    assert!(
        to(PITCHER).is_empty() && to("U0CAROL").is_empty(),
        "the lead alone"
    );
    assert_eq!(to("U0BOB").len(), 1, "once");
}

/// A project whose announcement Slack refused for good (posting in its channel restricted;
/// an archived channel, or no invitation within 90 days, the same) has no thread to be
/// nudged in: whoever leads it is told by DM instead, once for the quiet spell, as when a
/// nudge is refused there. (It was never nudged at all, however long it was quiet.)
#[tokio::test]
async fn a_quiet_project_whose_announcement_was_refused_is_told_to_its_lead() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    app.slack.restricted_channel(CHANNEL, "restricted_action");
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    app.slash("U0BOB", CHANNEL, "join 1").await;
    let refused = "SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL";
    eventually("the announcement refused for good", SHORT, || {
        (app.count(refused) == 1).then_some(())
    })
    .await;
    app.outbox_settled().await;
    let to = |user: &str| -> Vec<String> {
        posted_to(&app.slack, user)
            .into_iter()
            .filter(|t| t.contains("could not remind"))
            .collect()
    };
    app.clock.advance_days(22);
    let told = eventually("the lead is told", SHORT, || to(PITCHER).pop()).await;
    assert!(
        told.starts_with("*#1: Bin day finder*: I could not remind its team in <#C0MAKERS> (its announcement was never posted, so it has no thread). It has had no news for 3 weeks:")
            && told.contains("`/makers phase 1 retired` retires it"),
        "{told}"
    );

    // A week of ticks later: still once for this quiet spell, and to the lead alone.
    app.clock.advance_days(7);
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(to(PITCHER).len(), 1, "once");
    assert!(to("U0BOB").is_empty(), "the lead alone");
}

/// A quiet project whose announcement was refused, and one of whose team's stored ids was
/// edited by hand beyond reading, is passed over, not marked nudged, and its lead told once
/// it is mended: before, reading its lead failed every tick of the scheduler, and with it
/// every workspace's nudges.
#[tokio::test]
async fn a_never_announced_quiet_project_with_a_malformed_member_does_not_stop_nudges() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    app.slack.restricted_channel(CHANNEL, "restricted_action");
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    let refused = "SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL";
    eventually("the announcement refused for good", SHORT, || {
        (app.count(refused) == 1).then_some(())
    })
    .await;
    pitch_and_wait(&app, PITCHER, "C0OTHER", "Parking permits").await;
    let member_of_1 = "UPDATE members SET user_id = ?1
                       WHERE project_id = (SELECT id FROM projects WHERE number = 1)";
    app.db().execute(member_of_1, ["not an id"]).unwrap();
    app.outbox_settled().await;
    app.clock.advance_days(22);
    let nudge = eventually("the other project's nudge", SHORT, || {
        posted_to(&app.slack, "C0OTHER")
            .into_iter()
            .find(|t| t.contains(":wave:"))
    })
    .await;
    assert!(nudge.contains("Parking permits"), "{nudge}");
    let nudged = "SELECT COALESCE(GROUP_CONCAT(number), '') FROM projects
                  WHERE nudged_for_activity_at IS NOT NULL";
    let nudged = || -> String { app.db().query_row(nudged, [], |r| r.get(0)).unwrap() };
    assert_eq!(nudged(), "2", "not the malformed one");

    // Mended, its lead is told at the scheduler's next look.
    app.db().execute(member_of_1, [PITCHER]).unwrap();
    let told = eventually("the lead is told", SHORT, || {
        posted_to(&app.slack, PITCHER)
            .into_iter()
            .find(|t| t.contains("could not remind"))
    })
    .await;
    assert!(told.starts_with("*#1: Bin day finder*"), "{told}");
}

/// A nudge mentions the whole team: one that falls due on a Friday evening waits for working
/// hours in `MAKERS_TZ` (Monday 09:00), rather than ping council staff at the weekend.
#[tokio::test]
async fn a_nudge_due_out_of_hours_waits_for_monday_morning() {
    let app = spawn_app().await;
    app.clock.set("2026-12-04T18:00:00Z");
    pitched(&app, "Bin day finder").await;
    // Due since 18:00 (three weeks after the pitch): not at 19:00 on that Friday.
    app.clock.set("2026-12-25T19:00:00Z");
    app.scheduler_has_run().await;
    app.clock.set("2026-12-27T11:00:00Z");
    app.scheduler_has_run().await;
    app.clock.set("2026-12-28T08:59:00Z");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert!(
        nudges(&app).is_empty(),
        "not on a Friday evening nor the weekend"
    );
    app.clock.set("2026-12-28T09:00:30Z");
    eventually("the nudge on Monday morning", SHORT, || {
        (nudges(&app).len() == 1).then_some(())
    })
    .await;
}

/// A nudge queued in working hours and held by Slack being down into the weekend is not
/// posted when Slack is back on the Saturday: it is queued afresh, and posted, on Monday
/// morning (held back instead, it would hold its channel's later posts behind it).
#[tokio::test]
async fn a_nudge_held_by_slack_into_the_weekend_waits_for_monday() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.set("2026-12-25T10:00:00Z");
    // Stopped, the clock brings no retry due on the Friday: one read then and reaching the
    // fake Slack after the heal would be posted.
    app.clock.stop();
    eventually("the nudge tried on the Friday", SHORT, || {
        (!nudges(&app).is_empty()).then_some(())
    })
    .await;
    app.clock.set("2026-12-26T10:00:00Z");
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    let posted = posted_texts(&app.slack);
    assert!(
        !posted.iter().any(|t| t.contains(":wave:")),
        "not on the Saturday: {posted:?}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE last_error = 'out of working hours: nudged again in them'"
        ),
        1
    );
    app.clock.set("2026-12-28T09:00:30Z");
    eventually("the nudge posted on Monday", SHORT, || {
        let posted = posted_texts(&app.slack);
        (posted.iter().filter(|t| t.contains(":wave:")).count() == 1).then_some(())
    })
    .await;
}

/// A project row nudges cannot use (edited by hand) is passed over, and one an earlier build
/// stored with a title a later build refuses is nudged as it is: before, either failed every
/// tick of the scheduler, and with it every workspace's nudges and digests.
#[tokio::test]
async fn a_stored_row_nudges_cannot_use_does_not_stop_nudges_or_digests() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    app.slash("U1", "C0DIGEST", "digest").await;
    pitched(&app, "Bin day finder").await;
    pitched(&app, "Parking permits").await;
    pitched(&app, "Broken by hand").await;
    let db = app.db();
    db.execute(
        "UPDATE projects SET title = '\u{200B}' WHERE number = 1",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE projects SET channel_id = 'not a channel' WHERE number = 3",
        [],
    )
    .unwrap();
    app.clock.advance_days(22);
    eventually("two nudges", SHORT, || {
        (nudges(&app).len() == 2).then_some(())
    })
    .await;
    let digest = eventually("the digest", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .find(|c| c.body["channel"] == "C0DIGEST")
            .map(|c| message_text(&c.body))
    })
    .await;
    assert!(
        digest.contains("Parking permits") && !digest.contains("Broken by hand"),
        "the malformed row is left out, the rest is there: {digest}"
    );
    let nudged = "SELECT COUNT(*) FROM projects WHERE nudged_for_activity_at IS NOT NULL";
    assert_eq!(app.count(nudged), 2, "not the malformed one");
}

/// The words of `update_id` as stored.
fn update_body(app: &TestApp, update_id: i64) -> String {
    app.db()
        .query_row("SELECT body FROM updates WHERE id = ?1", [update_id], |r| {
            r.get(0)
        })
        .unwrap()
}

#[tokio::test]
async fn an_author_corrects_their_latest_update_and_its_line_in_the_thread() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "update 1 Ealry prototype is up")
        .await;
    app.slash(PITCHER, CHANNEL, "update 1 Prototpye is up <!channel>")
        .await;
    let posted = thread(&app, &ts, 2).await;
    app.outbox_settled().await;
    let line_ts = latest_line_ts(&app, &ts);

    let a = app
        .slash(PITCHER, CHANNEL, "correct 1 Prototype is online <!channel>")
        .await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert!(
        a.text().starts_with(
            "Corrected: your latest update on *#1: Bin day finder* says the new words."
        ),
        "{}",
        a.text()
    );
    assert!(a.text().contains("corrected in place"), "{}", a.text());
    let fixed = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert_eq!(fixed[0].body["ts"], line_ts.as_str(), "the latest line");
    assert_eq!(fixed[0].body["channel"], CHANNEL);
    let text = message_text(&fixed[0].body);
    assert!(
        text.contains(":memo: *Update on #1* from <@U0PITCHER> _(corrected)_:"),
        "{text}"
    );
    assert!(text.contains("Prototype is online @channel"), "{text}");
    assert!(!text.contains("<!channel>"), "{text}");
    // The record: the latest only; the earlier update keeps its words.
    assert_eq!(update_body(&app, 2), "Prototype is online <!channel>");
    assert_eq!(update_body(&app, 1), "Ealry prototype is up");
    let show = app.slash("U0ANYONE", CHANNEL, "show 1").await;
    assert!(
        show.blocks().contains("Prototype is online"),
        "{}",
        show.blocks()
    );
    assert!(!show.blocks().contains("Prototpye"), "{}", show.blocks());
    // `show` marks the corrected one, and only it.
    assert_eq!(
        show.blocks().matches("_(corrected)_").count(),
        1,
        "{}",
        show.blocks()
    );
    assert!(
        show.blocks()
            .contains("<@U0PITCHER> _(corrected)_: Prototype is online"),
        "{}",
        show.blocks()
    );
    let found = app.slash("U0ANYONE", CHANNEL, "search online").await;
    assert!(
        found.blocks().contains("Bin day finder"),
        "{}",
        found.blocks()
    );
    let gone = app.slash("U0ANYONE", CHANNEL, "search prototpye").await;
    assert!(
        !gone.blocks().contains("Bin day finder"),
        "{}",
        gone.blocks()
    );
    // The posts keep the new words only.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE instr(notice, 'Prototpye')"),
        0
    );
    // No new post in the thread: the line itself was corrected.
    app.outbox_settled().await;
    assert_eq!(thread(&app, &ts, 2).await.len(), posted.len());

    // The same words again change nothing.
    let a = app
        .slash(PITCHER, CHANNEL, "correct 1 Prototype is online <!channel>")
        .await;
    assert!(a.said().contains("already says that"), "{}", a.said());
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.update").len(), 1);

    // Someone with no update there: nothing of theirs to correct.
    app.slash("U0JOINER", CHANNEL, "join 1").await;
    let a = app.slash("U0JOINER", CHANNEL, "correct 1 Mine").await;
    assert!(
        a.said()
            .starts_with("You haven't posted an update on project #1"),
        "{}",
        a.said()
    );
    assert_eq!(update_body(&app, 2), "Prototype is online <!channel>");
    let a = app.slash(PITCHER, CHANNEL, "correct 9 Mine").await;
    assert!(a.said().contains("There is no project #9"), "{}", a.said());
}

#[tokio::test]
async fn an_update_corrected_before_its_line_is_posted_goes_out_with_the_new_words() {
    let app = spawn_app().await;
    pitch_while_slack_is_down(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "update 1 Prototpye is up")
        .await;
    let a = app
        .slash(PITCHER, CHANNEL, "correct 1 Prototype is up")
        .await;
    assert!(
        a.text()
            .contains("Its line isn't in the thread yet, and will go out with them."),
        "{}",
        a.text()
    );
    let ts = announced_once_healed(&app).await;
    let lines = thread(&app, &ts, 1).await;
    assert!(lines[0].contains(":\nPrototype is up"), "{lines:?}");
    assert!(
        !lines[0].contains("Prototpye") && !lines[0].contains("corrected"),
        "{lines:?}"
    );
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.update").is_empty(),
        "nothing to correct"
    );
}

/// The line is on its way (Slack has the request, its answer is not back) when the words are
/// corrected: it goes out with the old words, then is corrected in place.
#[tokio::test]
async fn an_update_corrected_while_its_line_is_on_its_way_is_corrected_once_posted() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    update_on_its_way(&app, "Prototpye is up").await;
    app.slash(PITCHER, CHANNEL, "correct 1 Prototype is up")
        .await;
    let line = thread(&app, &ts, 1).await;
    assert!(line[0].contains("Prototpye"), "sent before: {line:?}");
    let fixed = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert_eq!(
        fixed[0].body["ts"],
        latest_line_ts(&app, &ts).as_str(),
        "the line is corrected"
    );
    assert!(
        message_text(&fixed[0].body).contains("_(corrected)_:\nPrototype is up"),
        "{}",
        message_text(&fixed[0].body)
    );
}

#[tokio::test]
async fn an_update_made_by_mention_is_corrected_in_the_record_and_its_author_edits_the_thread() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    let mut e = mention(
        "EvC1",
        PITCHER,
        CHANNEL,
        "1700000500.000100",
        "protoype is up",
    );
    e["event"]["thread_ts"] = ts.clone().into();
    app.event(&e).await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let a = app
        .slash(PITCHER, CHANNEL, "correct 1 prototype is up")
        .await;
    assert!(
        a.text()
            .contains("it is your own message, which only you can change"),
        "{}",
        a.text()
    );
    assert_eq!(update_body(&app, 1), "prototype is up");
    app.outbox_settled().await;
    assert!(app.slack.calls("chat.update").is_empty());
}

/// Someone the lead took off the team cannot rewrite their update (it was rewritten in the
/// record and in place in the thread, with nobody told): only the team puts words there, as
/// `update` says. Their words are still theirs to take back, and the refusal says how.
#[tokio::test]
async fn someone_taken_off_the_team_cannot_correct_their_update_but_can_withdraw_it() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.slash("U0SAM", CHANNEL, "join 1").await;
    app.slash("U0SAM", CHANNEL, "update 1 Prototype is up")
        .await;
    let removed = app.slash(PITCHER, CHANNEL, "remove 1 <@U0SAM>").await;
    assert!(removed.said().contains("<@U0SAM>"), "{}", removed.said());
    app.outbox_settled().await;
    let lines = thread(&app, &ts, 1).await.len();
    let a = app
        .slash("U0SAM", CHANNEL, "correct 1 Something else entirely")
        .await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert!(
        a.said()
            .starts_with("Only the team can post on or change project #1")
            && a.said().contains("`/makers withdraw 1`"),
        "{}",
        a.said()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM updates WHERE body = 'Prototype is up'"),
        1
    );
    app.outbox_settled().await;
    assert!(
        app.slack.calls("chat.update").is_empty(),
        "the line as it was"
    );
    // Taking it back stays open to them.
    let a = app.slash("U0SAM", CHANNEL, "withdraw 1").await;
    assert!(a.said().starts_with("Withdrawn:"), "{}", a.said());
    let fixed = app.slack.wait_for("chat.update", 1, SHORT).await;
    assert!(
        message_text(&fixed[0].body).contains("withdrawn by its author"),
        "{}",
        message_text(&fixed[0].body)
    );
    app.outbox_settled().await;
    assert_eq!(
        thread(&app, &ts, 1).await.len(),
        lines,
        "no new line in the thread"
    );
}

/// Someone who left the team and then edits their update made by mention in the thread: the
/// record keeps its words (they were taken as a correction), and they are told privately why,
/// and that they can withdraw it.
#[tokio::test]
async fn someone_who_left_the_team_editing_their_update_by_mention_is_told_it_stays() {
    let app = spawn_app().await;
    let thread_ts = pitched(&app, "Bin day finder").await;
    app.slash("U0SAM", CHANNEL, "join 1").await;
    let said_at = format!("{}.000100", now() - 60);
    let in_thread = |id: &str, text: &str, edited: bool| {
        let mut e = mention(id, "U0SAM", CHANNEL, &said_at, text);
        e["event"]["thread_ts"] = thread_ts.clone().into();
        if edited {
            e["event"]["edited"] =
                serde_json::json!({"user": "U0SAM", "ts": format!("{}.000001", now())});
        }
        e
    };
    app.event(&in_thread("EvOff1", "Prototype is up", false))
        .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    app.slash("U0SAM", CHANNEL, "leave 1").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postEphemeral").len();
    app.event(&in_thread("EvOff2", "Something else entirely", true))
        .await;
    let told = app
        .slack
        .wait_for("chat.postEphemeral", before + 1, SHORT)
        .await;
    let told = &told[before].body;
    assert_eq!(told["user"], "U0SAM");
    assert_eq!(told["thread_ts"], thread_ts.as_str());
    let text = message_text(told);
    assert!(
        text.starts_with("Only the team can post on or change project #1")
            && text.contains("`@makers withdraw 1`"),
        "{text}"
    );
    assert_eq!(update_body(&app, 1), "Prototype is up");
}

/// `correct` tells the author of an update made by mention to edit their message in the
/// thread: doing so is not answered as a mistake. Its words as corrected already, nothing is
/// said; other words for their latest update correct it; an earlier update is told apart.
#[tokio::test]
async fn an_authors_edit_of_their_update_by_mention_is_not_answered_as_a_mistake() {
    let app = spawn_app().await;
    let thread = pitched(&app, "Bin day finder").await;
    // Each edit has its own `edited.ts`, later than the one before, as in Slack.
    let edits = std::cell::Cell::new(0);
    let in_thread = |id: &str, ts: &str, text: &str, edited: bool| {
        let mut e = mention(id, PITCHER, CHANNEL, ts, text);
        e["event"]["thread_ts"] = thread.clone().into();
        if edited {
            edits.set(edits.get() + 1);
            let at = format!("{}.{:06}", now(), edits.get());
            e["event"]["edited"] = serde_json::json!({"user": PITCHER, "ts": at});
        }
        e
    };
    let first = format!("{}.000100", now() - 60);
    let second = format!("{}.000200", now() - 50);
    app.event(&in_thread(
        "EvO1",
        &first,
        "protoype is up on Monday",
        false,
    ))
    .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let said = app
        .slash(PITCHER, CHANNEL, "correct 1 prototype is up on Monday")
        .await;
    assert!(
        said.text().contains("choose *Edit message*"),
        "{}",
        said.text()
    );

    // As `correct` said: the record has these words already.
    app.event(&in_thread(
        "EvO2",
        &first,
        "prototype is up on Monday",
        true,
    ))
    .await;
    app.outbox_settled().await;
    let answers = || app.slack.calls("chat.postEphemeral");
    assert_eq!(answers().len(), 1, "{:?}", answers().last().unwrap().body);
    assert_eq!(update_body(&app, 1), "prototype is up on Monday");

    // Other words, for their latest update: the record follows, nothing more to say.
    app.event(&in_thread(
        "EvO3",
        &first,
        "prototype is up on Tuesday",
        true,
    ))
    .await;
    app.outbox_settled().await;
    assert_eq!(answers().len(), 1, "{:?}", answers().last().unwrap().body);
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");

    // An earlier update: only the latest is corrected, and the answer says so.
    app.event(&in_thread("EvO4", &second, "council demo booked", false))
        .await;
    app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    app.event(&in_thread(
        "EvO5",
        &first,
        "prototype is up on Friday",
        true,
    ))
    .await;
    let told = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    let told = message_text(&told[2].body);
    assert!(
        told.contains("only your latest update") && !told.contains("I act on a message"),
        "{told}"
    );
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
}

/// An update by mention older than the messages kept (three days) is still its author's to
/// edit, as `correct` tells them: the edit corrects it, not "that message is older".
#[tokio::test]
async fn an_authors_edit_of_their_update_by_mention_days_old_corrects_it() {
    let app = spawn_app().await;
    let thread = pitched(&app, "Bin day finder").await;
    let old = format!("{}.000100", now() - 4 * 24 * 3600);
    let in_thread = |id: &str, text: &str, edited: bool| {
        let mut e = mention(id, PITCHER, CHANNEL, &old, text);
        e["event"]["thread_ts"] = thread.clone().into();
        if edited {
            e["event"]["edited"] =
                serde_json::json!({"user": PITCHER, "ts": format!("{}.000000", now())});
        }
        e
    };
    app.event(&in_thread("EvD1", "protoype is up on Monday", false))
        .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let said = app
        .slash(PITCHER, CHANNEL, "correct 1 prototype is up on Monday")
        .await;
    assert!(
        said.text().contains("choose *Edit message*"),
        "{}",
        said.text()
    );
    app.event(&in_thread("EvD2", "prototype is up on Tuesday", true))
        .await;
    app.outbox_settled().await;
    let answers: Vec<String> = app
        .slack
        .calls("chat.postEphemeral")
        .iter()
        .map(|c| message_text(&c.body))
        .collect();
    assert!(
        !answers.iter().any(|a| a.contains("I act on a message")),
        "{answers:?}"
    );
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
}

/// An own update edited into `council <a recorded council>` is a command, as it would be sent
/// new: the record stays, and its author is told why.
#[tokio::test]
async fn an_authors_update_by_mention_edited_into_a_recorded_councils_command_stays() {
    let app = spawn_app().await;
    let thread = pitched(&app, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "council Guildford Borough Council")
        .await;
    let ts = format!("{}.000100", now() - 60);
    let in_thread = |id: &str, text: &str, edited: bool| {
        let mut e = mention(id, PITCHER, CHANNEL, &ts, text);
        e["event"]["thread_ts"] = thread.clone().into();
        if edited {
            e["event"]["edited"] =
                serde_json::json!({"user": PITCHER, "ts": format!("{}.000000", now())});
        }
        e
    };
    app.event(&in_thread("EvK1", "prototype is up", false))
        .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    app.event(&in_thread(
        "EvK2",
        "council Guildford Borough Council",
        true,
    ))
    .await;
    app.outbox_settled().await;
    assert_eq!(update_body(&app, 1), "prototype is up");
    let told = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    let told = message_text(&told[1].body);
    assert!(
        told.contains("your latest update on") && told.contains("a command, say"),
        "{told}"
    );
}

/// An edit delivered late (Slack retried it) after a newer edit of the same message changes
/// nothing: the record keeps the words the message says now.
#[tokio::test]
async fn an_older_edit_of_an_update_by_mention_delivered_late_does_not_overwrite_a_newer_one() {
    let app = spawn_app().await;
    let thread = pitched(&app, "Bin day finder").await;
    let ts = format!("{}.000100", now() - 60);
    let in_thread = |id: &str, text: &str, edited_at: Option<&str>| {
        let mut e = mention(id, PITCHER, CHANNEL, &ts, text);
        e["event"]["thread_ts"] = thread.clone().into();
        if let Some(at) = edited_at {
            e["event"]["edited"] = serde_json::json!({"user": PITCHER, "ts": at});
        }
        e
    };
    app.event(&in_thread("EvL1", "protoype is up", None)).await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let (first_edit, second_edit) = (
        format!("{}.000000", now() - 30),
        format!("{}.000000", now() - 20),
    );
    app.event(&in_thread(
        "EvL2",
        "prototype is up on Tuesday",
        Some(&second_edit),
    ))
    .await;
    app.outbox_settled().await;
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
    app.event(&in_thread("EvL3", "prototype is up", Some(&first_edit)))
        .await;
    app.outbox_settled().await;
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
}

/// The same when the first event acted on was itself an edit (its original and first edit
/// were not delivered in time): the update keeps that edit's time, and an older edit Slack
/// retries later changes nothing.
#[tokio::test]
async fn an_older_edit_delivered_after_the_edit_that_made_an_update_by_mention_does_not_overwrite_it()
 {
    let app = spawn_app().await;
    let thread = pitched(&app, "Bin day finder").await;
    let ts = format!("{}.000100", now() - 60);
    let in_thread = |id: &str, text: &str, edited_at: &str| {
        let mut e = mention(id, PITCHER, CHANNEL, &ts, text);
        e["event"]["thread_ts"] = thread.clone().into();
        e["event"]["edited"] = serde_json::json!({"user": PITCHER, "ts": edited_at});
        e
    };
    let (first_edit, second_edit) = (
        format!("{}.000000", now() - 30),
        format!("{}.000000", now() - 20),
    );
    app.event(&in_thread(
        "EvM2",
        "prototype is up on Tuesday",
        &second_edit,
    ))
    .await;
    app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
    app.event(&in_thread("EvM1", "prototype is up", &first_edit))
        .await;
    app.outbox_settled().await;
    assert_eq!(update_body(&app, 1), "prototype is up on Tuesday");
}

#[tokio::test]
async fn a_correction_slack_refuses_is_told_to_its_author_and_a_line_never_posted_is_not_promised()
{
    let app = spawn_app().await;
    pitched(&app, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "update 1 Prototpye is up")
        .await;
    app.outbox_settled().await;
    app.slack
        .script("chat.update", Script::Error("message_not_found"));
    app.slash(PITCHER, CHANNEL, "correct 1 Prototype is up")
        .await;
    let dm = eventually("the note to the author", SHORT, || {
        dms_to(&app, PITCHER)
            .into_iter()
            .find(|t| t.contains("corrected update"))
    })
    .await;
    assert!(
        dm.starts_with(
            "Project #1: I could not correct your update's line in the thread (it has been deleted)."
        ) && dm.contains("Your corrected update is recorded"),
        "{dm}"
    );
    assert_eq!(update_body(&app, 1), "Prototype is up");

    // A pitch whose announcement Slack refused has no thread: its update's line is never
    // posted, and the answer does not promise it.
    app.slack
        .always("chat.postMessage", Script::Error("restricted_action"));
    app.slash(PITCHER, "C0ADMINS", "pitch Street lights").await;
    app.outbox_settled().await;
    app.slash(PITCHER, "C0ADMINS", "update 2 Survey sent").await;
    app.outbox_settled().await;
    let a = app
        .slash(PITCHER, "C0ADMINS", "correct 2 Survey sent to all wards")
        .await
        .text();
    assert!(
        a.contains(
            "Its line could not be posted in the thread, so there is nothing there to correct."
        ),
        "{a}"
    );
}

/// A nudge that waited with its channel (Slack down) is not posted once its project has been
/// retired meanwhile, or has had news: "How's it going?" would be about a spell that is over.
#[tokio::test]
async fn a_nudge_no_longer_wanted_when_its_turn_comes_is_not_posted() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    pitched(&app, "Pothole reporter").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    eventually("both nudges tried", SHORT, || {
        (nudges(&app).len() >= 2).then_some(())
    })
    .await;
    app.slash(PITCHER, "C1", "phase 1 retired | replaced").await;
    app.slash(PITCHER, "C1", "update 2 Photos work now").await;
    // Still down: an attempt read before that change (the bot runs on this test's thread)
    // has been refused by the time the marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    let posted = posted_texts(&app.slack);
    assert!(!posted.iter().any(|t| t.contains(":wave:")), "{posted:?}");
    assert!(
        posted.iter().any(|t| t.contains("Photos work now")),
        "{posted:?}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE last_error = 'no longer wanted: news since, or retired'"
        ),
        2
    );
}

/// A nudge not posted for news that came while it waited (Slack down), news then withdrawn
/// (an update on the wrong project): the project is quiet since when it was before, a spell
/// never nudged, so it is nudged at the next look. Before, it counted as nudged for that
/// spell, and was not nudged again until it had news.
#[tokio::test]
async fn a_nudge_not_posted_for_an_update_then_withdrawn_is_posted_after_all() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    eventually("the nudge tried", SHORT, || {
        (!nudges(&app).is_empty()).then_some(())
    })
    .await;
    app.slash(PITCHER, "C1", "update 1 Meant for another project")
        .await;
    // Still down: an attempt read before that update has been refused by the time the
    // marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE last_error = 'no longer wanted: news since, or retired'"
        ),
        1
    );
    let a = app.slash(PITCHER, "C1", "withdraw 1").await.text();
    assert!(!a.contains("Sorry"), "{a}");
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    let posted = posted_texts(&app.slack);
    assert_eq!(
        posted.iter().filter(|t| t.contains(":wave:")).count(),
        1,
        "{posted:?}"
    );
}

/// A nudge that waited with its channel (Slack down) names the team as it is when it goes
/// out: who left meanwhile is not pinged, who joined is.
#[tokio::test]
async fn a_nudge_that_waited_names_the_team_as_it_is_when_posted() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.outbox_settled().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    eventually("the nudge tried", SHORT, || {
        (!nudges(&app).is_empty()).then_some(())
    })
    .await;
    assert!(nudges(&app)[0].contains("<@U0BOB>"), "{:?}", nudges(&app));
    app.slash("U0BOB", "C1", "leave 1").await;
    app.slash("U0CAROL", "C1", "join 1").await;
    // Still down: an attempt read before that change (the bot runs on this test's thread)
    // has been refused by the time the marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    let said = nudges(&app).pop().unwrap();
    assert!(
        said.contains("<@U0PITCHER>") && said.contains("<@U0CAROL>") && !said.contains("<@U0BOB>"),
        "{said}"
    );
}

/// `title` pitched on a weekday morning and quiet three weeks, with Slack refusing every
/// post: its nudge has been tried, and waits.
async fn a_nudge_tried_while_slack_is_down(app: &TestApp, title: &str) {
    app.clock.set_weekday_morning();
    pitched(app, title).await;
    app.outbox_settled().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    eventually("the nudge tried", SHORT, || {
        (!nudges(app).is_empty()).then_some(())
    })
    .await;
}

/// A nudge that waited with its channel (Slack down) while the pitch was renamed goes out
/// with the title as it is then, beside the corrected announcement, and says how long the
/// project has been quiet when it is posted (SHOWN-FIGURES 3).
#[tokio::test]
async fn a_nudge_that_waited_names_the_project_as_it_is_when_posted() {
    let app = spawn_app().await;
    a_nudge_tried_while_slack_is_down(&app, "Bin day fnder").await;
    assert!(nudges(&app)[0].contains("fnder"), "{:?}", nudges(&app));
    app.slash(PITCHER, "C1", "edit 1 Bin day finder").await;
    // A week more of Slack down (the same weekday morning): quiet for four weeks by then.
    app.clock.advance_days(7);
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    let posted = posted_texts(&app.slack);
    let said = posted.iter().rfind(|t| t.contains(":wave:")).unwrap();
    assert!(
        said.contains("*#1: Bin day finder*") && said.contains("4 weeks"),
        "{said}"
    );
}

/// The lead's note for a nudge that waited (Slack down) while the pitch was renamed, then
/// was refused (the channel archived meanwhile), names the project and its quiet weeks as
/// the nudge did when tried, not as queued (REGRESS3 4).
#[tokio::test]
async fn the_lead_told_of_a_nudge_that_waited_is_told_its_title_as_it_is_when_tried() {
    let app = spawn_app().await;
    a_nudge_tried_while_slack_is_down(&app, "Bin day fnder").await;
    app.slash(PITCHER, "C1", "edit 1 Bin day finder").await;
    app.clock.advance_days(7);
    app.marker_posted().await;
    app.slack.archived_channel(CHANNEL);
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    let told: Vec<_> = posted_to(&app.slack, PITCHER)
        .into_iter()
        .filter(|t| t.contains("could not remind"))
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].starts_with("*#1: Bin day finder*") && told[0].contains("4 weeks"),
        "{}",
        told[0]
    );
}

/// A nudge that waited (Slack down) while a member's stored id was edited by hand beyond
/// reading is not posted, and holds up nothing: reading its team failed the worker's whole
/// pass at every try, so posts queued after it, in any channel, waited for good.
#[tokio::test]
async fn a_waiting_nudge_whose_team_cannot_be_read_holds_up_no_other_post() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    pitched(&app, "Bin day finder").await;
    app.slash("U0BOB", "C1", "join 1").await;
    app.outbox_settled().await;
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    eventually("the nudge tried", SHORT, || {
        (!nudges(&app).is_empty()).then_some(())
    })
    .await;
    app.db()
        .execute(
            "UPDATE members SET user_id = 'not a user' WHERE user_id = 'U0BOB'",
            [],
        )
        .unwrap();
    app.slash(PITCHER, "C2", "pitch Pothole reporter | Photos of potholes")
        .await;
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    eventually("the later pitch announced", SHORT, || {
        posted_texts(&app.slack)
            .iter()
            .any(|t| t.contains("Pothole reporter"))
            .then_some(())
    })
    .await;
    app.outbox_settled().await;
    let posted = posted_texts(&app.slack);
    assert!(!posted.iter().any(|t| t.contains(":wave:")), "{posted:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL"),
        0
    );
}

/// An announcement posted weeks late (the bot invited to its channel only then) is the
/// project's news: its team is not asked "how's it going?" a minute after it appears.
#[tokio::test]
async fn a_pitch_announced_weeks_late_is_not_nudged_as_it_appears() {
    let app = spawn_app().await;
    app.clock.set_weekday_morning();
    app.slack.bot_in_no_channel();
    app.slack
        .always("conversations.join", Script::Error("channel_not_found"));
    app.slash("U0PITCHER", "C0PRIVATE", "pitch Bin day finder")
        .await;
    eventually("the announcement parked", SHORT, || {
        (app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel'") == 1)
            .then_some(())
    })
    .await;
    app.clock.advance_days(21);
    app.slack.heal("conversations.join");
    app.event(&bot_joined("EvLateInvite", "C0PRIVATE")).await;
    eventually("the announcement posted", SHORT, || {
        (app.count("SELECT COUNT(*) FROM projects WHERE announcement_ts IS NOT NULL") == 1)
            .then_some(())
    })
    .await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert!(nudges(&app).is_empty(), "{:?}", nudges(&app));
    // Three quiet weeks after it appeared: nudged.
    app.clock.advance_days(22);
    eventually("a nudge three weeks after it appeared", SHORT, || {
        (nudges(&app).len() == 1).then_some(())
    })
    .await;
}
