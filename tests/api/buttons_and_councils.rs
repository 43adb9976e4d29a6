//! Teams, continued: the Join and Leave buttons on an announcement, and councils (recorded,
//! matched whatever the spelling, and shown in a team's make-up).

use serde_json::Value;

use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, is_member, member_count, pitched};

/// Slack's block_actions sample, as a press of our button on the announcement, as an HTTP
/// form.
pub(crate) fn press(user: &str, action_id: &str, number: &str, message_ts: &str) -> String {
    let p = press_payload(user, action_id, number, message_ts);
    serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
}

/// The same press as its JSON payload (as Socket Mode carries it).
pub(crate) fn press_payload(user: &str, action_id: &str, number: &str, message_ts: &str) -> Value {
    let mut p: Value = serde_json::from_str(&fixture("block-actions.payload.json")).unwrap();
    p["user"]["id"] = user.into();
    // A person of the workspace pressing, on the announcement Slack shows them (a press on a
    // message carries it).
    p["user"]["team_id"] = TEAM.into();
    p["team"]["id"] = TEAM.into();
    p["message"] = serde_json::json!({
        "type": "message", "user": BOT_USER, "ts": message_ts, "text": "A pitch",
    });
    p["container"]["channel_id"] = CHANNEL.into();
    p["container"]["message_ts"] = message_ts.into();
    p["container"]["is_ephemeral"] = false.into();
    p["channel"]["id"] = CHANNEL.into();
    p["actions"][0]["action_id"] = action_id.into();
    p["actions"][0]["value"] = number.into();
    p
}

#[tokio::test]
async fn the_join_button_joins_and_answers_privately_and_pressing_twice_is_harmless() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let a = app
        .interact(&press("U0BOB", "join_project", "1", &ts))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert!(is_member(&app, "U0BOB"));
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(
        (
            said[0].body["user"].as_str(),
            said[0].body["channel"].as_str()
        ),
        (Some("U0BOB"), Some(CHANNEL))
    );
    assert!(message_text(&said[0].body).contains("You're in the team for *#1: Parking*"));

    app.interact(&press("U0BOB", "join_project", "1", &ts))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert!(message_text(&said[1].body).contains("already in the team"));
    assert_eq!(member_count(&app), 2);

    app.interact(&press("U0BOB", "leave_project", "1", &ts))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    assert!(message_text(&said[2].body).contains("You've left the team"));
    assert!(!is_member(&app, "U0BOB"));
}

/// A Join pressed on a reply in a thread (the similar projects told privately to someone who
/// pitched by mention there) is answered in that thread, where they are looking: Slack says
/// the thread in `container.thread_ts` alone for a message only they see. On an
/// announcement with replies (whose `thread_ts` is its own ts) the answer stays in the
/// channel.
#[tokio::test]
async fn a_button_pressed_in_a_thread_is_answered_in_that_thread() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let mut p = press_payload("U0BOB", "join_project", "1", "1700000100.000950");
    p["container"]["is_ephemeral"] = true.into();
    p["container"]["thread_ts"] = "1700000100.000900".into();
    let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    let a = app.interact(&form).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert!(is_member(&app, "U0BOB"));
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(said[0].body["thread_ts"], "1700000100.000900");
    assert!(message_text(&said[0].body).contains("You're in the team for *#1: Parking*"));

    // The announcement, which has replies: Slack's message says it is its own thread.
    let mut p = press_payload("U0CAROL", "join_project", "1", &ts);
    p["message"] = serde_json::json!({"type": "message", "ts": ts, "thread_ts": ts, "text": "x"});
    let form = serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    app.interact(&form).await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert!(
        said[1].body.get("thread_ts").is_none(),
        "in the channel: {}",
        said[1].body
    );
    assert!(is_member(&app, "U0CAROL"));
}

/// A button whose value names no project (a message from an older build, say) is out of
/// date: the presser is told so and how to join, not "something went wrong, try again".
#[tokio::test]
async fn a_button_naming_no_project_is_out_of_date_for_the_presser() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    for (i, value) in ["99999999999999999999", "-1", "banana"].iter().enumerate() {
        let a = app
            .interact(&press("U0BOB", "join_project", value, &ts))
            .await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
        let said = app.slack.wait_for("chat.postEphemeral", i + 1, SHORT).await;
        let text = message_text(&said[i].body);
        assert!(text.contains("That button is out of date"), "{text}");
        assert!(!text.contains("went wrong"), "{text}");
    }
    assert!(!is_member(&app, "U0BOB"));
}

/// An announcement no project has (posted before the database was put back to an older
/// backup, or before the workspace was erased and installed again: Slack keeps the message)
/// carries the number of a project that is now another one. Its *Join* and *Leave* are out
/// of date: that project is neither joined nor left.
#[tokio::test]
async fn a_join_or_leave_on_an_announcement_no_project_has_is_out_of_date() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let gone = "1699990000.000100";
    assert_ne!(ts, gone);
    app.slash("U0CAROL", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let before = app.slack.calls("chat.postEphemeral").len();
    for (user, action) in [("U0BOB", "join_project"), ("U0CAROL", "leave_project")] {
        let a = app.interact(&press(user, action, "1", gone)).await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    }
    let said = app
        .slack
        .wait_for("chat.postEphemeral", before + 2, SHORT)
        .await;
    for user in ["U0BOB", "U0CAROL"] {
        let told = said[before..]
            .iter()
            .find(|c| c.body["user"] == user)
            .unwrap_or_else(|| panic!("{user} not told"));
        let text = message_text(&told.body);
        assert!(text.contains("That button is out of date"), "{text}");
    }
    assert!(!is_member(&app, "U0BOB"), "#1 joined");
    assert!(is_member(&app, "U0CAROL"), "#1 left");
    // #1's own announcement joins as ever.
    app.interact(&press("U0BOB", "join_project", "1", &ts))
        .await;
    assert!(is_member(&app, "U0BOB"));
}

/// An announcement posted twice (Slack took the first post but its answer was lost, so the
/// outbox posted it again and only the second copy's ts is kept): a *Join* or *Leave* on
/// the first copy, in the project's channel, after it was pitched and before the copy
/// kept, acts on that project. One older than the project (an announcement from before
/// an erase or a restore) is still out of date.
#[tokio::test]
async fn a_join_or_leave_on_the_first_copy_of_a_twice_posted_announcement_acts() {
    let app = spawn_app().await;
    // Pitched a little before the fake Slack's first ts, as a real pitch is before its post.
    app.clock.set_timestamp(1_699_999_900);
    let ts = pitched(&app, "Parking").await;
    let (secs, frac) = ts.split_once('.').unwrap();
    let first = format!("{}.{frac}", secs.parse::<i64>().unwrap() - 1);
    let created: i64 = app.count("SELECT created_at FROM projects WHERE number = 1");
    assert!(
        created < secs.parse::<i64>().unwrap() - 1,
        "pitched at {created}"
    );
    app.interact(&press("U0BOB", "join_project", "1", &first))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    let text = message_text(&said[0].body);
    assert!(
        text.contains("You're in the team for *#1: Parking*"),
        "{text}"
    );
    assert!(is_member(&app, "U0BOB"));
    app.interact(&press("U0BOB", "leave_project", "1", &first))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    let text = message_text(&said[1].body);
    assert!(text.contains("You've left the team"), "{text}");
    assert!(!is_member(&app, "U0BOB"));
    // Older than the project: another project's announcement, out of date.
    let older = format!("{}.000100", created - 1);
    app.interact(&press("U0BOB", "join_project", "1", &older))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    let text = message_text(&said[2].body);
    assert!(text.contains("That button is out of date"), "{text}");
    assert!(!is_member(&app, "U0BOB"));
}

/// Only an announcement in a channel is refused so: a *Join* on a message that no project
/// was announced by still joins where it is no announcement. On a private answer's similar
/// projects in the channel; on the bot's message in a DM (a form pitch's answer, or where a
/// merged team carries on), sealed or not; and a nudge's *Post update* in the pitch's thread
/// still opens the update form.
#[tokio::test]
async fn a_join_on_a_private_answer_or_in_a_dm_and_a_nudges_post_update_still_work() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder for flats").await;
    let answer = app
        .slash("U0BOB", CHANNEL, "pitch Bin day finder")
        .await
        .json();
    let sealed = answer["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["accessory"]["value"].as_str())
        .unwrap_or_else(|| panic!("no Join: {answer}"))
        .to_string();
    assert!(sealed.starts_with(&format!("1@{TEAM}.")), "{sealed}");
    let in_1 = |user: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.number = 1 AND m.user_id = '{user}'"
        ))
    };
    // The private answer in the channel.
    let mut p = press_payload("U0BOB", "join_project", &sealed, "1700000300.000100");
    p["container"]["is_ephemeral"] = true.into();
    app.interact(&payload_body(&p)).await;
    assert_eq!(in_1("U0BOB"), 1);
    // The bot's messages in a DM: sealed (a form pitch's answer) and bare (a merge's word).
    let in_dm = |user: &str, value: &str| {
        let mut p = press_payload(user, "join_project", value, "1700000400.000100");
        p["container"]["channel_id"] = "D0DIRECT".into();
        p["channel"]["id"] = "D0DIRECT".into();
        payload_body(&p)
    };
    let carol = app.slash("U0CAROL", CHANNEL, "pitch Bin day finder").await;
    let carols = carol.json()["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["accessory"]["value"].as_str())
        .find(|v| v.starts_with("1@"))
        .unwrap_or_else(|| panic!("no Join of #1: {}", carol.text()))
        .to_string();
    app.interact(&in_dm("U0CAROL", &carols)).await;
    app.interact(&in_dm("U0DAN", "1")).await;
    assert_eq!((in_1("U0CAROL"), in_1("U0DAN")), (1, 1));
    // A nudge's *Post update*, in the thread of #1's announcement.
    let mut p = press_payload(PITCHER, "update_project", "1", "1700009999.000100");
    p["message"] = serde_json::json!({
        "type": "message", "user": BOT_USER, "ts": "1700009999.000100", "thread_ts": ts,
        "text": "How's it going?",
    });
    app.interact(&payload_body(&p)).await;
    let calls = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = calls[0].body["view"].to_string();
    assert!(view.contains("Bin day finder for flats"), "{view}");
    let told = app.slack.calls("chat.postEphemeral");
    assert!(
        !told
            .iter()
            .any(|c| message_text(&c.body).contains("out of date")),
        "none out of date"
    );
}

/// Makes the database refuse `user` as a team member, as a full disk or a bug would: the
/// press's transaction fails part-way and rolls back.
fn break_joining_for(app: &TestApp, user: &str) {
    app.db()
        .execute_batch(&format!(
            "CREATE TRIGGER broken_join BEFORE INSERT ON members WHEN NEW.user_id = '{user}'
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
        ))
        .unwrap();
}

/// Pressing Join is answered privately even when it fails on our side: the presser hears
/// that nothing changed (the failed write, and the answer it queued, rolled back), and the
/// team hears nothing.
#[tokio::test]
async fn a_press_that_fails_on_our_side_tells_the_presser_that_nothing_changed() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    break_joining_for(&app, "U0BROKEN");
    let a = app
        .interact(&press("U0BROKEN", "join_project", "1", &ts))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(
        (
            said[0].body["user"].as_str(),
            said[0].body["channel"].as_str()
        ),
        (Some("U0BROKEN"), Some(CHANNEL))
    );
    let text = message_text(&said[0].body);
    assert!(
        text.contains("something went wrong on our side and nothing was changed"),
        "{text}"
    );
    assert!(!is_member(&app, "U0BROKEN"));
    app.outbox_settled().await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        1,
        "the announcement only: no join line in the thread"
    );
    assert_eq!(app.slack.calls("chat.postEphemeral").len(), 1);

    // Everyone else's presses still work.
    app.interact(&press("U0BOB", "join_project", "1", &ts))
        .await;
    let said = app.slack.wait_for("chat.postEphemeral", 2, SHORT).await;
    assert!(message_text(&said[1].body).contains("You're in the team"));
    assert!(is_member(&app, "U0BOB"));
}

/// A Join button that carries no project number (none of ours does) changes nothing, and the
/// presser is told so rather than left waiting.
#[tokio::test]
async fn a_join_button_without_a_project_number_tells_the_presser() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let a = app
        .interact(&press("U0BOB", "join_project", "one", &ts))
        .await;
    assert_eq!(a.status.as_u16(), 200);
    let said = app.slack.wait_for("chat.postEphemeral", 1, SHORT).await;
    assert_eq!(said[0].body["user"].as_str(), Some("U0BOB"));
    assert!(message_text(&said[0].body).contains("nothing was changed"));
    assert!(!is_member(&app, "U0BOB"));
}

/// Someone else's button (a link button, say) is acknowledged and answered by nobody.
#[tokio::test]
async fn a_button_we_did_not_make_is_acknowledged_quietly() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Parking").await;
    let a = app
        .interact(&press("U0BOB", "open_website", "1", &ts))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    app.outbox_settled().await;
    assert!(app.slack.calls("chat.postEphemeral").is_empty());
}

#[tokio::test]
async fn councils_are_recorded_shown_changed_and_matched() {
    let app = spawn_app().await;
    let a = app.slash("U0ALICE", "C1", "council").await.text();
    assert!(a.contains("I don't know your council yet"), "{a}");
    let a = app
        .slash("U0ALICE", "C1", "council guildford borough council")
        .await
        .text();
    assert!(
        a.contains("You're recorded as working for *Guildford Borough Council*"),
        "{a}"
    );
    let a = app
        .slash("U0BOB", "C1", "council Guildford BC")
        .await
        .text();
    assert!(a.contains("working for *Guildford Borough Council*"), "{a}");
    let a = app
        .slash("U0CAROL", "C1", "council GUILDFORD B.C.")
        .await
        .text();
    assert!(
        a.contains("*Guildford Borough Council* (the name already in use"),
        "{a}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM councils"),
        1,
        "one council, one entry"
    );
    let a = app
        .slash("U0ALICE", "C1", "council Waverley BC")
        .await
        .text();
    assert!(a.contains("Waverley Borough Council"), "{a}");
    assert!(
        a.contains("Before, it was *Guildford Borough Council*"),
        "a change says what it replaced: {a}"
    );
    let a = app.slash("U0ALICE", "C1", "council").await.text();
    assert!(a.contains("working for *Waverley Borough Council*"), "{a}");
    let a = app
        .slash("U0ALICE", "C1", "council Waverley Borough Council")
        .await
        .text();
    assert!(!a.contains("Before"), "the same council again: {a}");
}

/// A button's private answer Slack will not show in its channel comes to the presser's
/// messages with the bot instead of nowhere: in a private channel the bot is not in (Join
/// under the similar projects a pitch there was answered with), or to someone not in the
/// channel (previewing a public channel they have not joined; it was failed unseen).
#[tokio::test]
async fn a_private_answer_slack_will_not_show_in_its_channel_comes_by_dm() {
    for code in ["channel_not_found", "user_not_in_channel"] {
        let app = spawn_app().await;
        let ts = pitched(&app, "Parking").await;
        app.slack.script("chat.postEphemeral", Script::Error(code));
        app.interact(&press("U0BOB", "join_project", "1", &ts))
            .await;
        let dm = eventually(&format!("{code}: the answer in Bob's DM"), SHORT, || {
            app.slack
                .calls("chat.postMessage")
                .into_iter()
                .find(|c| c.body["channel"] == "U0BOB")
        })
        .await;
        assert!(
            message_text(&dm.body).contains("You're in the team for *#1: Parking*"),
            "{code}: {}",
            dm.body
        );
        assert_eq!(app.slack.calls("chat.postEphemeral").len(), 1, "{code}");
    }
}

/// Someone who pitches before saying their council is told the project has no lead
/// council, and how to give it one; saying theirs then makes it the lead council of their
/// open projects that have none (not a retired one, nor one someone else leads).
#[tokio::test]
async fn a_council_said_after_pitching_leads_the_projects_that_had_none() {
    let app = spawn_app().await;
    let first = app
        .slash("U0ALICE", CHANNEL, "pitch Bin day finder")
        .await
        .text();
    assert!(first.contains("No council leads it yet"), "{first}");
    assert!(
        first.contains("`/makers lead-council 1 &lt;name&gt;`"),
        "{first}"
    );
    app.slash("U0ALICE", CHANNEL, "pitch Parking permits").await;
    app.slash("U0ALICE", CHANNEL, "pitch Old thing").await;
    app.slash("U0ALICE", CHANNEL, "phase 3 retired").await;
    app.slash("U0BOB", CHANNEL, "pitch Bob's own").await;
    let led = app
        .slash("U0ALICE", CHANNEL, "council Guildford Borough Council")
        .await
        .text();
    assert!(
        led.contains("so yours leads them now: *#1: Bin day finder*, *#2: Parking permits*."),
        "{led}"
    );
    let lead_of = |n: i64| -> Option<String> {
        app.db()
            .query_row(
                "SELECT c.name FROM projects p LEFT JOIN councils c ON c.id = p.pitcher_council_id
                  WHERE p.number = ?1",
                [n],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(lead_of(1).as_deref(), Some("Guildford Borough Council"));
    assert_eq!(lead_of(2).as_deref(), Some("Guildford Borough Council"));
    assert_eq!(lead_of(3), None, "a retired project stays as it was");
    assert_eq!(lead_of(4), None, "Bob's project is Bob's to lead");
    app.outbox_settled().await;
    let told: Vec<String> = app
        .slack
        .calls("chat.postMessage")
        .iter()
        .map(|c| message_text(&c.body))
        .filter(|t| t.contains("set the lead council of"))
        .collect();
    assert_eq!(
        told.len(),
        2,
        "each project's thread is told, as by lead-council: {told:?}"
    );
    assert!(told[0].starts_with(
        "<@U0ALICE> set the lead council of *#1: Bin day finder* to *Guildford Borough Council*."
    ));
    assert!(told[1].starts_with(
        "<@U0ALICE> set the lead council of *#2: Parking permits* to *Guildford Borough Council*."
    ));

    // A later pitch takes the council said; a change of council leaves led projects alone.
    let later = app.slash("U0ALICE", CHANNEL, "pitch Another").await.text();
    assert!(!later.contains("No council leads it"), "{later}");
    let moved = app
        .slash("U0ALICE", CHANNEL, "council Waverley Borough Council")
        .await
        .text();
    // (It names them as the council before's, tests/api/job_change.rs.)
    assert!(
        !moved.contains("yours leads") && moved.contains("still leads your projects"),
        "{moved}"
    );
    assert_eq!(lead_of(1).as_deref(), Some("Guildford Borough Council"));
}

/// `council none` (as `skills none` clears skills) would have made a council called "None",
/// listed in every workspace's give and take: it is answered, and the council already
/// recorded stays.
#[tokio::test]
async fn council_none_records_no_council_called_none() {
    let app = spawn_app().await;
    app.slash("U0ALICE", "C1", "council Waverley BC").await;
    for typed in ["council none", "council N/A", "council no council"] {
        let a = app.slash("U0ALICE", "C1", typed).await;
        assert!(
            a.said()
                .starts_with("That says no council, so nothing was recorded")
                && a.said().contains("`/makers forget me`"),
            "{typed}: {}",
            a.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
    let a = app.slash("U0ALICE", "C1", "council").await.text();
    assert!(a.contains("working for *Waverley Borough Council*"), "{a}");
    for typed in ["list council none", "lead-council 1 N/A"] {
        let a = app.slash("U0ALICE", "C1", typed).await;
        assert_eq!(
            a.said(),
            "That says no council, and no council is called that: please give a council's name, for example `Guildford Borough Council`. Nothing was changed.",
            "{typed}"
        );
    }
}

/// A `*` in a council's name would end the bold it is shown in: it shows as `∗`, as in
/// titles, in the answer, the give and take and a slip's "did you mean", and is kept as typed.
#[tokio::test]
async fn a_star_in_a_council_name_does_not_break_its_bold() {
    let app = spawn_app().await;
    let a = app
        .slash("U0ALICE", "C1", "council Five* Star District Council")
        .await
        .text();
    assert!(
        a.contains("working for *Five\u{2217} Star District Council*."),
        "{a}"
    );
    let all = app.slash("U0ALICE", "C1", "councils").await.blocks();
    assert!(
        all.contains("• *Five\u{2217} Star District Council*:"),
        "{all}"
    );
    let a = app
        .slash("U0BOB", "C1", "council Five* Stars District Council")
        .await
        .text();
    assert!(
        a.contains("Did you mean *Five\u{2217} Star District Council*?")
            && a.contains("`/makers council Five* Star District Council`"),
        "{a}"
    );
    let stored: String = app
        .db()
        .query_row("SELECT name FROM councils", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, "Five* Star District Council");
}

#[tokio::test]
async fn show_lists_the_team_with_councils_and_its_makeup() {
    let app = spawn_app().await;
    app.slash(PITCHER, "C1", "council Kent County Council")
        .await;
    let ts = pitched(&app, "Street lights").await;
    for (user, council) in [
        ("U0A", "Guildford BC"),
        ("U0B", "guildford borough council"),
        ("U0C", "Waverley"),
    ] {
        app.slash(user, "C1", &format!("council {council}")).await;
        app.slash(user, "C1", "join 1").await;
    }
    let joined = app.slash("U0D", "C1", "join 1").await.text();
    assert!(
        joined.contains("The team is now 5 people from 3 councils"),
        "{joined}"
    );
    // The join's line counts the team as `show` does: one council said twice is one, and
    // someone who has not said theirs is not guessed at.
    let line = eventually("U0D's join line", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .filter(|c| c.body["thread_ts"] == ts.as_str())
            .map(|c| message_text(&c.body))
            .find(|t| t.contains("<@U0D>"))
    })
    .await;
    assert!(line.contains("5 people from 3 councils"), "{line}");
    let shown = app.slash("U1", "C1", "show 1").await.text();
    assert!(
        shown.contains("*Pitched by:* <@U0PITCHER> in")
            && shown.contains("*Lead council:* Kent County Council"),
        "{shown}"
    );
    assert!(
        shown.contains("*Team:* 5 people from 3 councils"),
        "{shown}"
    );
    assert!(
        shown.contains("<@U0A> (Guildford Borough Council)"),
        "{shown}"
    );
    assert!(shown.contains("<@U0C> (Waverley)"), "{shown}");
    assert!(shown.contains("<@U0D>"), "{shown}");
}

/// `show` links to the announcement (and so to the thread of news under it) once it is
/// posted; before that there is nothing to link to.
#[tokio::test]
async fn show_links_to_the_announcement_once_it_is_posted() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Street lights").await;
    let shown = app.slash("U1", "C1", "show 1").await.text();
    let link = format!(
        "(<https://slack.com/archives/{CHANNEL}/p{}|announcement>)",
        ts.replace('.', "")
    );
    assert!(shown.contains(&link), "{shown}");

    // Held back by Slack: recorded, not yet announced.
    app.slack
        .always("chat.postMessage", Script::RateLimited(60));
    app.slash(PITCHER, CHANNEL, "pitch Bus stops").await;
    let shown = app.slash("U1", "C1", "show 2").await.text();
    assert!(shown.contains("*#2: Bus stops*"), "{shown}");
    assert!(!shown.contains("archives"), "{shown}");
}

fn councils(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM councils")
}

/// "Did you mean…?" is answered within minutes, or not at all: an offer nobody answered is
/// forgotten by the hourly housekeeping after 3 days, as a form's id is, and with it the row
/// of someone who recorded nothing else (it kept their id and what they typed for ever).
#[tokio::test]
async fn a_council_offer_nobody_answers_is_forgotten_after_three_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    app.slash("U1", CHANNEL, "council Guildford BC").await;
    for user in ["U2", "U3"] {
        let a = app.slash(user, CHANNEL, "council Guilford BC").await;
        assert!(a.said().starts_with("Did you mean"), "{}", a.said());
    }
    let (db, slack, _) = app.stop().await;
    // U1's council and U2's offer were last changed 4 days ago, U3's offer 2 days ago.
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (user, days) in [("U1", 4), ("U2", 4), ("U3", 2)] {
        conn.execute(
            "UPDATE people SET updated_at = ?2 WHERE user_id = ?1",
            rusqlite::params![user, now() - days * 24 * 3600],
        )
        .unwrap();
    }
    drop(conn);
    let app = spawn_app_on(&db, slack).await;
    let rows = |user: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{user}'"
        ))
    };
    eventually("the unanswered offer forgotten", SHORT, || {
        (rows("U2") == 0).then_some(())
    })
    .await;
    // In the same prune: a council said stays, and an offer 2 days old may still be answered.
    assert_eq!(rows("U1"), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM people WHERE user_id = 'U3' AND council_offer IS NOT NULL"),
        1
    );
}

#[tokio::test]
async fn a_name_close_to_a_recorded_council_is_offered_back_before_it_is_created() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council Guildford BC").await;
    let a = app.slash("U2", CHANNEL, "council Guilford BC").await;
    assert_eq!(
        a.said(),
        "Did you mean *Guildford Borough Council*? If so, `/makers council Guildford Borough Council`. If *Guilford Borough Council* is another council, say `/makers council Guilford Borough Council` again and I'll add it. Nothing is recorded yet."
    );
    assert_eq!(councils(&app), 1, "nothing created");
    let asked = app.slash("U2", CHANNEL, "council").await;
    assert!(
        asked.said().starts_with("I don't know your council yet"),
        "{}",
        asked.said()
    );
    // They meant Guildford after all.
    let a = app.slash("U2", CHANNEL, "council guildford").await;
    assert!(
        a.said().contains("*Guildford Borough Council*"),
        "{}",
        a.said()
    );
    assert_eq!(councils(&app), 1);
    // Someone else insists: a second "Guilford" in a row is a council of its own.
    app.slash("U3", CHANNEL, "council Guilford BC").await;
    let a = app.slash("U3", CHANNEL, "council Guilford BC").await;
    assert_eq!(
        a.said(),
        "You're recorded as working for *Guilford Borough Council*. `/makers council &lt;name&gt;` changes it."
    );
    assert_eq!(councils(&app), 2);
    let listed = app.slash("U1", CHANNEL, "councils").await.text();
    assert!(listed.contains("Guilford Borough Council"), "{listed}");
    // The slip put right after all: nobody says it, it has nothing to its name, so the give
    // and take no longer lists it with zeros (it did for ever).
    app.slash("U3", CHANNEL, "council Guildford BC").await;
    let listed = app.slash("U1", CHANNEL, "councils").await.text();
    assert!(!listed.contains("Guilford Borough Council"), "{listed}");
    assert!(listed.contains("Guildford Borough Council"), "{listed}");
}

/// A slip insisted on (so made a council) and then put right is not offered back for the
/// next slip near it: the council in use is (the slip came first by name, so it was).
#[tokio::test]
async fn a_slip_put_right_is_not_offered_for_the_next_slip() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council Guildford BC").await;
    app.slash("U2", CHANNEL, "council Guidford BC").await;
    app.slash("U2", CHANNEL, "council Guidford BC").await;
    assert_eq!(councils(&app), 2, "the slip insisted on");
    app.slash("U2", CHANNEL, "council Guildford BC").await;
    let a = app.slash("U3", CHANNEL, "council Guidforde BC").await;
    assert!(
        a.said()
            .starts_with("Did you mean *Guildford Borough Council*?"),
        "{}",
        a.said()
    );
    // The slip itself, put right and so nobody's, is asked about as a slip again, not
    // taken for the council it was insisted to be (one council would be two again).
    let a = app.slash("U4", CHANNEL, "council Guidford BC").await;
    assert!(
        a.said()
            .starts_with("Did you mean *Guildford Borough Council*?"),
        "{}",
        a.said()
    );
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    let a = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Guidford BC")
        .await;
    assert!(a.said().contains("Did you mean"), "{}", a.said());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE pitcher_council_id IS NOT NULL"),
        0
    );
}

/// A council's short name beside its two-part name ("Brighton" for Brighton & Hove, "King's
/// Lynn" for King's Lynn and West Norfolk) is offered back as a slip is: it was recorded
/// as a second council, in every workspace's figures, with no "did you mean".
#[tokio::test]
async fn a_short_name_for_a_two_part_council_is_offered_back() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council Brighton & Hove City Council")
        .await;
    app.slash(
        "U9",
        CHANNEL,
        "council Borough Council of King's Lynn and West Norfolk",
    )
    .await;
    let listed = app
        .slash("U3", CHANNEL, "list council Brighton")
        .await
        .text();
    assert!(
        listed.contains(
            "I don't know a council called *Brighton*. Did you mean *Brighton &amp; Hove City Council*?"
        ),
        "{listed}"
    );
    for (typed, meant) in [
        ("Brighton Council", "Brighton &amp; Hove City Council"),
        ("Hove", "Brighton &amp; Hove City Council"),
        (
            "King's Lynn Council",
            "Borough Council of King's Lynn and West Norfolk",
        ),
    ] {
        let a = app.slash("U2", CHANNEL, &format!("council {typed}")).await;
        assert!(
            a.said().starts_with(&format!("Did you mean *{meant}*?")),
            "{typed}: {}",
            a.said()
        );
    }
    assert_eq!(councils(&app), 2, "nothing created");
    // Said again straight after, it is a council of its own, as a slip insisted on is.
    app.slash("U4", CHANNEL, "council Brighton Council").await;
    let a = app.slash("U4", CHANNEL, "council Brighton Council").await;
    assert!(
        a.said()
            .starts_with("You're recorded as working for *Brighton Council*"),
        "{}",
        a.said()
    );
    assert_eq!(councils(&app), 3);
    // Recorded and nobody's now, it is still a council of its own: `lead-council`, which
    // only offers, names it (it was offered back as a part of Brighton & Hove, for ever).
    app.slash("U4", CHANNEL, "council Guildford Borough Council")
        .await;
    pitch_and_wait(&app, "U4", CHANNEL, "Bin day finder").await;
    let a = app
        .slash("U4", CHANNEL, "lead-council 1 Brighton Council")
        .await;
    assert!(!a.said().contains("Did you mean"), "{}", a.said());
    assert!(a.said().contains("*Brighton Council*"), "{}", a.said());
}

#[tokio::test]
async fn a_kind_of_council_or_a_slack_token_is_refused_as_a_name() {
    let app = spawn_app().await;
    for typed in [
        "council BC",
        "council Borough Council",
        "council <!channel>",
    ] {
        let a = app.slash("U1", CHANNEL, typed).await;
        assert_eq!(
            a.said(),
            "That doesn't name a council: please give its name, for example `/makers council Guildford Borough Council`.",
            "{typed}"
        );
    }
    assert_eq!(councils(&app), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM people"), 0);
}

/// `list council <name>`: a council's open projects in this workspace, those it leads, works
/// on (someone in the team said they work there) or re-uses, by any spelling of its name; a
/// name no council has is answered, with a recorded one close to it.
#[tokio::test]
async fn list_council_lists_what_a_council_leads_works_on_or_reuses() {
    let app = spawn_app().await;
    let (waverley, guildford) = ("U0WAVERLEY", "U0GUILDFORD");
    app.slash(waverley, CHANNEL, "council Waverley BC").await;
    app.slash(guildford, CHANNEL, "council Guildford BC").await;
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    for (who, title) in [
        (guildford, "Worked on by Waverley"),
        (waverley, "Led by Waverley"),
        (guildford, "Re-used by Waverley"),
        (guildford, "Nothing to do with Waverley"),
        (waverley, "Retired Waverley work"),
    ] {
        let a = app.slash(who, CHANNEL, &format!("pitch {title}")).await;
        assert_eq!(a.status, 200);
    }
    app.slash(waverley, CHANNEL, "join 1").await;
    let reused = app.slash(waverley, CHANNEL, "reuse 3").await.text();
    assert!(reused.contains("re-uses"), "{reused}");
    app.slash(waverley, CHANNEL, "phase 5 retired").await;

    let listed = app
        .slash(guildford, CHANNEL, "list council waverley borough council")
        .await
        .text();
    assert!(
        listed.contains("Open projects Waverley Borough Council leads, works on or re-uses (3)"),
        "{listed}"
    );
    // Each line says what the council does in it.
    for shown in [
        "Worked on by Waverley · 2 members · _works on_",
        "Led by Waverley · 1 member · _leads, works on_",
        "Re-used by Waverley · 1 member · _re-uses_",
    ] {
        assert!(listed.contains(shown), "{shown} in {listed}");
    }
    for left_out in ["Nothing to do with Waverley", "Retired Waverley work"] {
        assert!(!listed.contains(left_out), "{left_out} in {listed}");
    }
    // Guildford leads three (the retired one is Waverley's); Mole Valley nothing yet.
    let guildford_list = app
        .slash(waverley, CHANNEL, "list council Guildford")
        .await
        .text();
    assert!(guildford_list.contains("(3)"), "{guildford_list}");
    let mole = app
        .slash(waverley, CHANNEL, "list council Mole Valley")
        .await
        .text();
    assert!(
        mole.contains(
            "No open project is led, worked on or re-used by Mole Valley District Council"
        ),
        "{mole}"
    );
    // A slip, and a council nobody has named.
    let slip = app
        .slash(waverley, CHANNEL, "list council Waverly")
        .await
        .text();
    assert!(
        slip.contains(
            "I don't know a council called *Waverly*. Did you mean *Waverley Borough Council*?"
        ),
        "{slip}"
    );
    let none = app
        .slash(waverley, CHANNEL, "list council Atlantis")
        .await
        .text();
    assert!(
        none.contains("I don't know a council called *Atlantis*."),
        "{none}"
    );
    assert!(!none.contains("Did you mean"), "{none}");
    let missing = app.slash(waverley, CHANNEL, "list council").await.text();
    assert!(missing.starts_with("Which council?"), "{missing}");
}

/// Two councils that share a name ("Chichester" is a city council and a district council)
/// are told apart by the kind each is called, and the name alone is asked about rather than
/// matched to either: they are separate councils in every figure.
#[tokio::test]
async fn councils_sharing_a_name_are_asked_about_and_kept_apart() {
    let app = spawn_app().await;
    let a = app.slash("U1", CHANNEL, "council Chichester").await;
    assert_eq!(
        a.said(),
        "Two councils go by that name: *Chichester City Council* and *Chichester District Council*. Which do you mean? Please give its name in full. Nothing was changed."
    );
    assert_eq!(councils(&app), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM people"), 0);
    let a = app.slash("U1", CHANNEL, "council Chichester DC").await;
    assert!(
        a.said().contains("*Chichester District Council*"),
        "{}",
        a.said()
    );
    let a = app
        .slash("U2", CHANNEL, "council Chichester City Council")
        .await;
    assert!(
        a.said()
            .starts_with("You're recorded as working for *Chichester City Council*"),
        "{}",
        a.said()
    );
    assert_eq!(councils(&app), 2);
    // The lead council of a project asks the same.
    pitched(&app, "Bin day finder").await;
    let a = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Chichester Council")
        .await;
    assert!(
        a.said().starts_with("Two councils go by that name"),
        "{}",
        a.said()
    );
}

/// A council an earlier build keyed apart from its own short name ("St Albans City and
/// District Council" as `st albans and`, so "St Albans Council" became a second council) is
/// one council after an upgrade: the bot keys councils again from their names at start, and
/// the later copy's people join the older, whose spelling stays.
#[tokio::test]
async fn one_council_kept_twice_by_an_earlier_build_is_one_after_a_restart() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council St Albans City and District Council")
        .await;
    // What the earlier build recorded for that name.
    app.db()
        .execute("UPDATE councils SET match_key = 'st albans and'", [])
        .unwrap();
    let a = app.slash("U2", CHANNEL, "council St Albans Council").await;
    assert!(
        a.said()
            .starts_with("You're recorded as working for *St Albans Council*"),
        "{}",
        a.said()
    );
    assert_eq!(councils(&app), 2, "the earlier build's two councils");
    let app = app.restart().await;
    assert_eq!(councils(&app), 1);
    let a = app.slash("U2", CHANNEL, "council").await;
    assert!(
        a.said()
            .contains("working for *St Albans City and District Council*"),
        "{}",
        a.said()
    );
    let a = app.slash("U1", CHANNEL, "councils").await;
    assert_eq!(a.blocks().matches("St Albans").count(), 1, "{}", a.blocks());
}

/// A council's other names are that council: its short name, its Welsh name, a county's
/// abbreviation ("Hull City Council" is Kingston upon Hull's; "Cyngor Caerdydd" is Cardiff's).
#[tokio::test]
async fn a_councils_short_or_welsh_name_is_the_same_council() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council Kingston upon Hull City Council")
        .await;
    let a = app.slash("U2", CHANNEL, "council Hull City Council").await;
    assert!(
        a.said()
            .contains("*Kingston upon Hull City Council* (the name already in use"),
        "{}",
        a.said()
    );
    app.slash("U3", CHANNEL, "council Cardiff Council").await;
    let a = app.slash("U4", CHANNEL, "council Cyngor Caerdydd").await;
    assert!(a.said().contains("*Cardiff Council*"), "{}", a.said());
    assert_eq!(councils(&app), 2);
}

/// The same letters however they are encoded are one council: composed ("Môn"), a letter
/// and a combining mark ("Mo" and U+0302, as pasted from macOS file names and some PDFs), or
/// full-width; a Welsh name is still its council's. One recorded apart by an earlier build
/// is one after a restart, which keys councils again from their names.
#[tokio::test]
async fn a_name_in_decomposed_or_full_width_letters_is_the_same_council() {
    let app = spawn_app().await;
    app.slash("U1", CHANNEL, "council Cyngor Sir Ynys Môn")
        .await;
    let a = app
        .slash("U2", CHANNEL, "council Cyngor Sir Ynys Mo\u{302}n")
        .await;
    assert!(a.said().contains("*Cyngor Sir Ynys Môn*"), "{}", a.said());
    app.slash("U3", CHANNEL, "council Guildford BC").await;
    let a = app.slash("U4", CHANNEL, "council Ｇｕｉｌｄｆｏｒｄ").await;
    assert!(
        a.said().contains("*Guildford Borough Council*"),
        "{}",
        a.said()
    );
    assert_eq!(councils(&app), 2);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT council_id) FROM people WHERE user_id IN ('U1', 'U2')"),
        1
    );

    // As an earlier build recorded a name pasted so: apart from the one typed.
    app.db()
        .execute(
            "INSERT INTO councils (id, team_id, match_key, name, created_at)
             SELECT MAX(id) + 1, team_id, 'ynys mo n', 'Cyngor Sir Ynys Mo\u{302}n', 1
               FROM councils",
            [],
        )
        .unwrap();
    app.db()
        .execute(
            "UPDATE people SET council_id = (SELECT MAX(id) FROM councils) WHERE user_id = 'U2'",
            [],
        )
        .unwrap();
    assert_eq!(councils(&app), 3);
    let app = app.restart().await;
    assert_eq!(councils(&app), 2);
    let a = app.slash("U2", CHANNEL, "council").await;
    assert!(a.said().contains("*Cyngor Sir Ynys Môn*"), "{}", a.said());
}
