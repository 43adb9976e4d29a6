//! A project pitched in a private channel is shown in that channel and to its team alone:
//! its announcement is for the channel's members, so other channels' lists, searches and
//! digests, and other people's Home, leave it out, and it is not shown or joined by number
//! from elsewhere. Whether a channel is private is Slack's to say (`conversations.info`),
//! asked before the announcement is posted.

use serde_json::Value;

use crate::helpers::*;
use crate::home::open_home;

const SECRET: &str = "C0SECRET";
const OPEN: &str = "C0OPEN";
const PITCHER: &str = "U0PITCHER";
const OUTSIDER: &str = "U0OUTSIDER";

/// A private channel's project (#1, "Staff rota finder") and a public one's (#2, "Bin day
/// finder"), both announced.
async fn two_projects(app: &TestApp) {
    app.slack.private_channel(SECRET);
    pitch_and_wait(app, PITCHER, SECRET, "Staff rota finder | For our team").await;
    pitch_and_wait(app, PITCHER, OPEN, "Bin day finder | For residents").await;
}

/// `/makers list` in a public channel, asked by someone in no team: what the workspace sees.
async fn listed_elsewhere(app: &TestApp) -> String {
    app.slash(OUTSIDER, OPEN, "list").await.blocks()
}

/// Moves the clock past the day after which what Slack said of a channel is asked again;
/// returns the new time.
fn a_day_passes(app: &TestApp) -> i64 {
    let later = app.clock.now().timestamp() + 24 * 3600 + 1;
    app.clock.set_timestamp(later);
    later
}

/// The first `n` private answers (`chat.postEphemeral`) in `channel`, once there are.
async fn answers_in(app: &TestApp, channel: &str, n: usize) -> Vec<Call> {
    eventually(&format!("{n} private answers in {channel}"), SHORT, || {
        let found: Vec<Call> = app
            .slack
            .calls("chat.postEphemeral")
            .into_iter()
            .filter(|c| c.body["channel"] == channel)
            .collect();
        (found.len() >= n).then_some(found)
    })
    .await
}

/// The number of the first `chat.postMessage` to `channel` among all calls, and of the first
/// `conversations.info` about it.
fn order_of_calls(app: &TestApp, channel: &str) -> (usize, usize) {
    let calls = app.slack.all_calls();
    let first = |method: &str| {
        calls
            .iter()
            .position(|c| c.method == method && c.body["channel"] == channel)
            .unwrap_or_else(|| panic!("no {method} for {channel}"))
    };
    (first("chat.postMessage"), first("conversations.info"))
}

#[tokio::test]
async fn a_private_channels_project_is_listed_searched_and_shown_there_and_to_its_team_alone() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let (posted, asked) = order_of_calls(&app, SECRET);
    assert!(
        asked < posted,
        "asked whether it is private before announcing"
    );

    // Elsewhere, to someone not in its team: the public project alone.
    let list = listed_elsewhere(&app).await;
    assert!(
        list.contains("Bin day finder") && !list.contains("Staff rota"),
        "{list}"
    );
    let found = app.slash(OUTSIDER, OPEN, "search finder").await.blocks();
    assert!(
        found.contains("Bin day finder") && !found.contains("Staff rota"),
        "{found}"
    );
    let shown = app.slash(OUTSIDER, OPEN, "show 1").await.text();
    assert!(
        shown.contains("Project #1 was pitched in a private channel")
            && !shown.contains("Staff rota"),
        "{shown}"
    );
    // In its own channel, to anyone there: both.
    let list = app.slash(OUTSIDER, SECRET, "list").await.blocks();
    assert!(
        list.contains("Bin day finder") && list.contains("Staff rota finder"),
        "{list}"
    );
    let shown = app.slash(OUTSIDER, SECRET, "show 1").await.blocks();
    assert!(shown.contains("Staff rota finder"), "{shown}");
    // Its team, anywhere (their DM with the bot, say).
    let mine = app.slash(PITCHER, "D0PITCHER", "list").await.blocks();
    assert!(mine.contains("Staff rota finder"), "{mine}");
    let shown = app.slash(PITCHER, OPEN, "show 1").await.blocks();
    assert!(shown.contains("Staff rota finder"), "{shown}");
}

#[tokio::test]
async fn a_private_channels_project_is_joined_there_not_by_number_from_elsewhere() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let members = "SELECT COUNT(*) FROM members WHERE user_id = 'U0OUTSIDER'";

    let refused = app.slash(OUTSIDER, OPEN, "join 1").await.text();
    assert!(
        refused.contains("Project #1 was pitched in a private channel"),
        "{refused}"
    );
    assert_eq!(app.count(members), 0, "not in its team");
    // From elsewhere a public project is joined as ever.
    app.slash(OUTSIDER, OPEN, "join 2").await;
    assert_eq!(app.count(members), 1);
    // In its channel it is joined as any other.
    app.slash(OUTSIDER, SECRET, "join 1").await;
    assert_eq!(app.count(members), 2);
    // In its team now, they see it from anywhere.
    let list = listed_elsewhere(&app).await;
    assert!(list.contains("Staff rota finder"), "{list}");
}

#[tokio::test]
async fn another_channels_digest_and_another_persons_home_leave_a_private_channels_project_out() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let preview = |channel: &'static str| {
        let app = &app;
        async move { message_text(&app.slash(PITCHER, channel, "digest preview").await.json()) }
    };
    let elsewhere = preview(OPEN).await;
    assert!(
        elsewhere.contains("Bin day finder") && !elsewhere.contains("Staff rota"),
        "{elsewhere}"
    );
    let there = preview(SECRET).await;
    assert!(
        there.contains("Bin day finder") && there.contains("Staff rota finder"),
        "{there}"
    );

    // Someone else's Home offers the public project alone (both need people); the
    // pitcher's lists both as theirs.
    let home = message_text(&open_home(&app, OUTSIDER, 1).await);
    assert!(
        home.contains("Bin day finder") && !home.contains("Staff rota"),
        "{home}"
    );
    let home: Value = open_home(&app, PITCHER, 2).await;
    assert!(message_text(&home).contains("Staff rota finder"));
}

/// Another channel's digest counts in its headline the people of the projects it counts:
/// not those in a private channel's team alone (their councils still count in the give and
/// take, which names no project).
#[tokio::test]
async fn another_channels_digest_headline_counts_the_people_of_the_projects_it_shows() {
    let app = spawn_app().await;
    app.slash(PITCHER, OPEN, "council Guildford BC").await;
    two_projects(&app).await;
    for (who, council) in [
        ("U0WAV", "Waverley BC"),
        ("U0MOLE", "Mole Valley DC"),
        ("U0WOK", "Woking BC"),
    ] {
        app.slash(who, SECRET, &format!("council {council}")).await;
        let a = app.slash(who, SECRET, "join 1").await;
        assert_eq!(a.status, 200);
    }
    let preview = |channel: &'static str| {
        let app = &app;
        async move { message_text(&app.slash(PITCHER, channel, "digest preview").await.json()) }
    };
    let elsewhere = preview(OPEN).await;
    assert!(
        elsewhere.contains("1 of 1 open project had news · 1 person from 1 council in their teams"),
        "{elsewhere}"
    );
    assert!(
        elsewhere.contains("*Waverley Borough Council* joined a team"),
        "{elsewhere}"
    );
    let there = preview(SECRET).await;
    assert!(
        there.contains("2 of 2 open projects had news · 4 people from 4 councils in their teams"),
        "{there}"
    );
}

/// A channel the bot cannot see is private (a public one it always sees); one Slack cannot
/// say about yet (down) is shown as before, and asked about again.
#[tokio::test]
async fn a_channel_slack_cannot_find_is_private_and_one_it_cannot_say_about_is_asked_again() {
    let app = spawn_app().await;
    app.slack
        .script("conversations.info", Script::Error("channel_not_found"));
    pitch_and_wait(&app, PITCHER, SECRET, "Staff rota finder").await;
    let list = listed_elsewhere(&app).await;
    assert!(!list.contains("Staff rota"), "{list}");

    app.slack.always("conversations.info", Script::Status(503));
    pitch_and_wait(&app, PITCHER, "C0UNSURE", "Parking permits").await;
    let list = listed_elsewhere(&app).await;
    assert!(list.contains("Parking permits"), "{list}");
    let waiting = "SELECT COUNT(*) FROM channels WHERE channel_id = 'C0UNSURE'
                   AND private IS NULL AND ask_at > 0";
    assert_eq!(app.count(waiting), 1, "to be asked again");
}

/// A channel made private after its pitches is asked about again within a day, and its
/// projects are left out elsewhere from then on.
#[tokio::test]
async fn a_channel_made_private_later_is_found_so_within_a_day() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, "C0LATER", "Staff rota finder").await;
    let list = listed_elsewhere(&app).await;
    assert!(list.contains("Staff rota finder"), "{list}");

    app.slack.private_channel("C0LATER");
    a_day_passes(&app);
    app.slack.wait_for("conversations.info", 2, SHORT).await;
    eventually("the channel known as private", SHORT, || {
        (app.count("SELECT COUNT(*) FROM channels WHERE private = 1") == 1).then_some(())
    })
    .await;
    let list = listed_elsewhere(&app).await;
    assert!(!list.contains("Staff rota"), "{list}");
}

/// A workspace whose token Slack refuses (its removal missed, its token revoked): its
/// channels already answered are looked at again a day later, not every 30 s for as long as
/// the bot runs (a call, a log line and a write each time), and the refusal is logged once.
#[tokio::test]
async fn a_refused_token_does_not_ask_about_its_channels_every_30_seconds() {
    use crate::helpers::logs::{capture_logs, logged_with};
    const T1: &str = "T0REFUSEDCH";
    const CHANNELS: [&str; 2] = ["C0REFUSED1", "C0REFUSED2"];
    capture_logs();
    let app = spawn_app().await;
    for channel in CHANNELS {
        app.slash_in(T1, PITCHER, channel, "pitch Bin day finder")
            .await;
    }
    app.outbox_settled().await;
    let answered =
        format!("SELECT COUNT(*) FROM channels WHERE team_id = '{T1}' AND private IS NOT NULL");
    eventually("both channels answered", SHORT, || {
        (app.count(&answered) == 2).then_some(())
    })
    .await;
    for method in ["conversations.info", "chat.postMessage"] {
        app.slack.always(method, Script::Error("token_revoked"));
    }
    let before = app.slack.calls("conversations.info").len();
    a_day_passes(&app);
    app.slack
        .wait_for("conversations.info", before + 1, SHORT)
        .await;
    let refused = app.slack.calls("conversations.info").len();

    // Past the 30 s a failed question waited, five times over (the worker's idle poll is a
    // quarter of a second).
    for _ in 0..5 {
        app.clock.set_timestamp(app.clock.now().timestamp() + 31);
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    let asked = app.slack.calls("conversations.info").len();
    assert!(
        asked <= refused + 1,
        "asked {asked} times, {refused} at the daily look"
    );
    let logged: Vec<String> = logged_with(&["whether a channel is private"])
        .into_iter()
        .filter(|l| CHANNELS.iter().any(|c| l.contains(c)))
        .collect();
    assert!(logged.len() <= 1, "{logged:#?}");
    let day_ahead = format!(
        "SELECT COUNT(*) FROM channels WHERE team_id = '{T1}' AND ask_at > {}",
        app.clock.now().timestamp() + 23 * 3600
    );
    assert_eq!(app.count(&day_ahead), 2, "both looked at again a day later");
}

/// A mention's answer outside a pitch's thread is posted for the whole channel: it leaves a
/// private channel's project out even when the asker is in its team, and a mention naming
/// it is answered privately. A slash command's answer, theirs alone, shows it.
#[tokio::test]
async fn a_mentions_answer_for_the_channel_leaves_a_private_channels_project_out() {
    let app = spawn_app().await;
    two_projects(&app).await;
    app.event(&mention(
        "EvList",
        PITCHER,
        OPEN,
        "1700000100.000200",
        "list",
    ))
    .await;
    let posted = eventually("the list in the mention's thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == OPEN && c.body["thread_ts"] == "1700000100.000200")
    })
    .await;
    let list = message_text(&posted.body);
    assert!(
        list.contains("Bin day finder") && !list.contains("Staff rota"),
        "{list}"
    );
    app.event(&mention(
        "EvShow",
        PITCHER,
        OPEN,
        "1700000100.000300",
        "phase 1 alpha",
    ))
    .await;
    let said = answers_in(&app, OPEN, 1).await;
    let refused = message_text(&said[0].body);
    assert!(
        refused.contains("Project #1 was pitched in a private channel")
            && said[0].body["user"] == PITCHER,
        "{refused}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM phase_changes"), 0);
    let mine = app.slash(PITCHER, OPEN, "list").await.blocks();
    assert!(mine.contains("Staff rota finder"), "{mine}");
}

/// `skills` offers the projects wanting the asker's skills, but not a private channel's to
/// someone outside it and its team.
#[tokio::test]
async fn skills_matches_leave_a_private_channels_project_out() {
    let app = spawn_app().await;
    two_projects(&app).await;
    app.slash(PITCHER, SECRET, "wants 1 developer").await;
    app.slash(PITCHER, OPEN, "wants 2 developer").await;
    let matches = app.slash(OUTSIDER, OPEN, "skills developer").await.text();
    assert!(
        matches.contains("Bin day finder") && !matches.contains("Staff rota"),
        "{matches}"
    );
    let there = app.slash(OUTSIDER, SECRET, "skills developer").await.text();
    assert!(there.contains("Staff rota finder"), "{there}");
}

/// A lead who left the team still leads the project, and may act on it from anywhere (the
/// Home offers them its update form).
#[tokio::test]
async fn a_lead_who_left_its_team_may_still_post_from_elsewhere() {
    let app = spawn_app().await;
    two_projects(&app).await;
    app.slash(PITCHER, SECRET, "leave 1").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM members WHERE project_id = 1"),
        0
    );
    let posted = app
        .slash(PITCHER, "D0PITCHER", "update 1 Rota drafted")
        .await
        .text();
    assert!(!posted.contains("private channel"), "{posted}");
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
}

/// A pitch in a channel known to be private tells its pitcher who will see it.
#[tokio::test]
async fn a_pitch_in_a_channel_known_to_be_private_says_who_will_see_it() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let said = app
        .slash(PITCHER, SECRET, "pitch Leave planner")
        .await
        .text();
    assert!(
        said.contains("<#C0SECRET> is private, so I show the project only there and to its team"),
        "{said}"
    );
    let said = app.slash(PITCHER, OPEN, "pitch Street lights").await.text();
    assert!(!said.contains("is private"), "{said}");
}

/// A mention whose answer is the asker's alone (`list mine`, `show`) is worked out for them,
/// as by `/makers`: their private channel's project is there, told privately.
#[tokio::test]
async fn a_mentions_private_answer_shows_the_askers_own_private_project() {
    let app = spawn_app().await;
    two_projects(&app).await;
    // So is a lead's `handover` and `remove` (they were refused as if the channel would
    // read the answer).
    let outsider = format!("<@{OUTSIDER}>");
    let handover = format!("handover 1 {outsider}");
    let remove = format!("remove 1 {outsider}");
    let asked = ["list mine", "show 1", handover.as_str(), remove.as_str()];
    for (n, text) in asked.into_iter().enumerate() {
        let ts = format!("1700000100.00040{n}");
        app.event(&mention(&format!("EvMine{n}"), PITCHER, OPEN, &ts, text))
            .await;
        let said = answers_in(&app, OPEN, n + 1).await;
        let answer = message_text(&said[n].body);
        assert!(
            answer.contains("#1")
                && !answer.contains("private channel")
                && said[n].body["user"] == PITCHER,
            "{text}: {answer}"
        );
        if n < 3 {
            assert!(answer.contains("Staff rota finder"), "{text}: {answer}");
        }
    }
}

/// Slack refusing to say for good (an install made again without `groups:read`) leaves a
/// channel known to be private as private.
#[tokio::test]
async fn a_refusal_to_say_keeps_a_channel_known_to_be_private() {
    let app = spawn_app().await;
    two_projects(&app).await;
    app.slack
        .always("conversations.info", Script::Error("missing_scope"));
    let asked = app.slack.calls("conversations.info").len();
    let later = a_day_passes(&app);
    app.slack
        .wait_for("conversations.info", asked + 2, SHORT)
        .await;
    // Both refusals recorded: each to be asked a day after it.
    let again = format!(
        "SELECT COUNT(*) FROM channels WHERE ask_at >= {}",
        later + 24 * 3600
    );
    eventually("both refusals recorded", SHORT, || {
        (app.count(&again) == 2).then_some(())
    })
    .await;
    let list = listed_elsewhere(&app).await;
    assert!(
        list.contains("Bin day finder") && !list.contains("Staff rota"),
        "{list}"
    );
}

/// The first pitch in a private channel is answered before Slack says the channel is
/// private: once it has, its pitcher is told who will see it, privately in the channel. A
/// public channel's pitcher is told nothing more.
#[tokio::test]
async fn the_first_pitch_in_a_private_channel_is_told_once_slack_says_so() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let told = eventually("the pitcher told", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .find(|c| c.body["channel"] == SECRET && c.body["user"] == PITCHER)
    })
    .await;
    let said = message_text(&told.body);
    assert!(
        said.contains("Slack tells me <#C0SECRET> is private, so I show *#1: Staff rota finder* only there and to its team"),
        "{said}"
    );
    app.outbox_settled().await;
    let elsewhere = app
        .slack
        .calls("chat.postEphemeral")
        .into_iter()
        .filter(|c| c.body["channel"] != SECRET)
        .count();
    assert_eq!(
        elsewhere, 0,
        "nothing more for the public channel's pitcher"
    );
    // Told once: a later look that finds it private again tells nobody.
    a_day_passes(&app);
    let asked = app.slack.calls("conversations.info").len();
    app.slack
        .wait_for("conversations.info", asked + 2, SHORT)
        .await;
    app.outbox_settled().await;
    let told = app
        .slack
        .calls("chat.postEphemeral")
        .into_iter()
        .filter(|c| c.body["channel"] == SECRET)
        .count();
    assert_eq!(told, 1);
}

/// Slack's `channel_id_changed` (Slack's example): a private channel shared with another
/// organisation through Slack Connect gets a new id for good, and Slack asks apps to update
/// what they keep of the old one. `old` to `new` in our workspace.
/// Waits for the line of the update "Rota drafted" to be posted, and checks it went to the
/// thread of the announcement at `ts` in `channel`.
async fn update_line_went_to(app: &TestApp, channel: &str, ts: &str) {
    let line = eventually("the update's line in the thread", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.answer["ok"] == true && message_text(&c.body).contains("Rota drafted"))
    })
    .await;
    assert_eq!(line.body["channel"], channel);
    assert_eq!(line.body["thread_ts"], ts);
}

fn channel_id_changed(event_id: &str, old: &str, new: &str) -> Value {
    let mut env = our_event("channel-id-changed.event_callback.json", event_id);
    env["event"]["old_channel_id"] = old.into();
    env["event"]["new_channel_id"] = new.into();
    env
}

/// A private channel's id before and after Slack changes it (shared through Slack Connect,
/// `G…` to `C…`, say).
const OLD: &str = "G0SECRET";
const NEW: &str = "C0SHAREDNOW";

/// An app where both ids are private channels: the one before the change and the one after.
async fn private_channel_about_to_move() -> TestApp {
    let app = spawn_app().await;
    app.slack.private_channel(OLD);
    app.slack.private_channel(NEW);
    app
}

/// A private channel shared through Slack Connect changes its id (`G…` to `C…`, say): its
/// project is found by the new one, so a reaction on its announcement joins, `list` there
/// shows it, its thread's lines, its digest and what was owed there go to the new id, and
/// it stays private. Before, the project was lost to the channel: reactions did nothing,
/// posts were refused as to a channel not found, and Slack's daily look made it a channel
/// that is nowhere.
#[tokio::test]
async fn a_private_channel_shared_with_a_new_id_keeps_its_projects() {
    let app = private_channel_about_to_move().await;
    let ts = pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    app.slash(PITCHER, OLD, "digest").await;
    app.outbox_settled().await;
    // Something owed in the channel when its id changes: Slack down for a moment.
    app.slack.always("chat.postMessage", Script::Status(503));
    app.slash(PITCHER, OLD, "update 1 Rota drafted").await;
    app.marker_posted().await;

    let moved = channel_id_changed("EvMoved1", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);
    // Delivered again, it changes nothing.
    assert_eq!(app.event(&moved).await.status, 200);
    let on = |table: &str, channel: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE channel_id = '{channel}'"
        ))
    };
    for table in ["projects", "digest_subscriptions", "channels"] {
        assert_eq!((on(table, OLD), on(table, NEW)), (0, 1), "{table}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM channels WHERE private = 1"),
        1,
        "still private"
    );

    // Every try read before the id changed answered (refused) first: one reaching the fake
    // Slack after the heal would be posted at the old id.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    update_line_went_to(&app, NEW, &ts).await;

    let mut joined = crate::teams::reaction("EvMovedR", "U0BOB", "raised_hand", &ts, true);
    joined["event"]["item"]["channel"] = NEW.into();
    assert_eq!(app.event(&joined).await.status, 200);
    eventually("Bob in the team", SHORT, || {
        (app.count("SELECT COUNT(*) FROM members WHERE user_id = 'U0BOB'") == 1).then_some(())
    })
    .await;
    let list = app.slash(OUTSIDER, NEW, "list").await.blocks();
    assert!(list.contains("Staff rota finder"), "{list}");
    // Its words withdrawn, they go from the posted line's row too, found by the project's
    // channel (kept 30 days, and in an export).
    app.outbox_settled().await;
    let a = app.slash(PITCHER, NEW, "withdraw 1").await.text();
    assert!(!a.contains("Sorry"), "{a}");
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE instr(notice, 'Rota drafted') > 0"),
        0
    );
}

/// A post refused at the old id before the change of id was delivered (Slack answers
/// `channel_not_found` there, as for a channel the bot lost) waited for an invitation that
/// never comes, the bot being in the channel still: it goes to the new id at the change. And
/// a mention acted on under the old id, edited after the change, is not acted on again.
#[tokio::test]
async fn what_was_refused_at_the_old_id_goes_to_the_new_one_and_an_edit_is_not_acted_twice() {
    let app = private_channel_about_to_move().await;
    let ts = pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    let said_at = &format!("{}.000400", now() - 60);
    let pitched = mention("EvPitchOld", PITCHER, OLD, said_at, "pitch Rota swaps");
    assert_eq!(app.event(&pitched).await.status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 2);
    app.outbox_settled().await;
    app.slack
        .always("chat.postMessage", Script::Error("channel_not_found"));
    app.slash(PITCHER, OLD, "update 1 Rota drafted").await;
    eventually("the line parked", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NOT NULL
             AND last_error = 'not_in_channel' AND instr(notice, 'Rota drafted') > 0",
        ) == 1)
            .then_some(())
    })
    .await;
    app.slack.heal("chat.postMessage");

    let moved = channel_id_changed("EvMoved2", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);
    update_line_went_to(&app, NEW, &ts).await;

    let mut edited = mention("EvPitchEdited", PITCHER, NEW, said_at, "pitch Rota swaps!");
    edited["event"]["edited"] = serde_json::json!({"user": PITCHER, "ts": "1700000999.000000"});
    assert_eq!(app.event(&edited).await.status, 200);
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        2,
        "not pitched again"
    );
}

/// Slack's answers while a channel's id changes with the bot's next post there at Slack:
/// held 3 s (time for the change to be recorded on a loaded machine), then refused
/// as at an id that is gone (`channel_not_found`, a join there too); returns once it is at
/// Slack.
async fn next_post_at_slack_as_the_id_changes(app: &TestApp) {
    app.slack.script("chat.postMessage", Script::Slow(3000));
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.slack
        .always("conversations.join", Script::Error("channel_not_found"));
    eventually("the post at Slack", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 1).then_some(())
    })
    .await;
}

/// How many rows of the outbox hold a notice of `kind`.
fn notices_of(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE json_extract(notice, '$.notice.kind') = '{kind}'"
    ))
}

/// A digest at Slack under the old id as the id changes, refused there once the change is
/// recorded, goes to the new id at once: before, it stopped the digest there, and told its
/// subscriber to invite the bot, which is in the channel (no invitation could come, so it
/// stayed stopped).
#[tokio::test]
async fn a_digest_refused_at_the_old_id_while_the_id_changes_goes_to_the_new_one() {
    let app = private_channel_about_to_move().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    app.slash(PITCHER, OLD, "digest").await;
    app.outbox_settled().await;
    app.clock.set("2026-03-16T09:00:30Z");
    next_post_at_slack_as_the_id_changes(&app).await;
    let moved = channel_id_changed("EvMoved3", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);

    let digest = eventually("the digest posted at the new id", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == NEW && c.ts().is_some())
    })
    .await;
    assert!(
        message_text(&digest.body).contains("Makers digest"),
        "{:?}",
        digest.body
    );
    app.outbox_settled().await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM digest_subscriptions
              WHERE channel_id = '{NEW}' AND stopped_at IS NULL"
        )),
        1,
        "still subscribed"
    );
    assert_eq!(notices_of(&app, "digest_not_posted"), 0);
}

/// An announcement at Slack under the old id as the id changes, refused there once the
/// change is recorded, goes to the new id at once: before, it was parked for an invitation
/// that could not come (the bot is in the channel), and its pitcher told how to invite it.
#[tokio::test]
async fn an_announcement_refused_at_the_old_id_while_the_id_changes_goes_to_the_new_one() {
    let app = private_channel_about_to_move().await;
    app.slash(PITCHER, OLD, "pitch Staff rota finder | For our team")
        .await;
    next_post_at_slack_as_the_id_changes(&app).await;
    let moved = channel_id_changed("EvMoved4", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);

    eventually("the announcement posted at the new id", SHORT, || {
        (app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE channel_id = '{NEW}' AND announcement_ts IS NOT NULL"
        )) == 1)
            .then_some(())
    })
    .await;
    app.outbox_settled().await;
    assert_eq!(notices_of(&app, "cannot_announce"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel'"),
        0,
        "nothing parked"
    );
}

/// A nudge refused at the old id (`channel_not_found`) before the change of id was delivered
/// is owed again and posted at the new id, under the announcement, and the note to its lead
/// that the bot was taken out of the channel, still waiting (Slack slow), is not sent: the
/// bot is in the channel still. Before, the quiet spell went without its nudge, and the lead
/// was asked to invite the bot back (NUDGES 1).
#[tokio::test]
async fn a_nudge_refused_at_the_old_id_goes_to_the_new_one_and_the_lead_is_not_misled() {
    let app = private_channel_about_to_move().await;
    app.clock.set_weekday_morning();
    let ts = pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    app.outbox_settled().await;
    // The nudge refused at the old id; the note to the lead then held by Slack (a 503).
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.slack.script("chat.postMessage", Script::Status(503));
    app.clock.advance_days(22);
    // Stopped, the clock brings the note's retry no nearer: it would go out before the id
    // change drops it.
    app.clock.stop();
    eventually("the nudge failed, its lead's note tried", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0
            && app
                .count("SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'channel_not_found; %'")
                == 1)
            .then_some(())
    })
    .await;
    assert_eq!(notices_of(&app, "nudge_not_posted"), 1);

    let moved = channel_id_changed("EvMoved5", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);
    app.scheduler_has_run().await;
    let nudge = eventually("the nudge posted at the new id", SHORT, || {
        app.slack.calls("chat.postMessage").into_iter().find(|c| {
            c.body["channel"] == NEW && c.ts().is_some() && message_text(&c.body).contains(":wave:")
        })
    })
    .await;
    assert_eq!(nudge.body["thread_ts"], ts.as_str());
    app.outbox_settled().await;
    assert_eq!(notices_of(&app, "nudge_not_posted"), 0, "the note dropped");
    let told = posted_to(&app.slack, PITCHER);
    assert!(
        !told.iter().any(|t| t.contains("could not remind")),
        "{told:?}"
    );
}

/// A digest refused at the old id (`channel_not_found`) before the change of id was
/// delivered (the catch-up after a restart, Slack's retry of the event seconds later) is
/// owed again and posted at the new id, with the week it was to list, and the note to its
/// subscriber that the bot was taken out of the channel, still waiting (Slack slow), is not
/// sent: the bot is in the channel still. Before, the subscription stayed lost until the
/// change of id restarted it, the refused week counted as sent, so the channel had no digest
/// that week, and its subscriber was asked to invite the bot back (DIGEST-LIFE 2).
#[tokio::test]
async fn a_digest_refused_at_the_old_id_before_the_change_goes_to_the_new_one_and_nobody_is_misled()
{
    let app = private_channel_about_to_move().await;
    app.clock.set("2026-03-09T12:00:00Z"); // a Monday, after 09:00
    pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    app.slash(PITCHER, OLD, "digest").await;
    app.outbox_settled().await;
    // Its first digest goes out, so the bot was in the channel.
    app.clock.set("2026-03-16T09:00:30Z");
    eventually("the first digest", SHORT, || {
        (digests_at(&app, OLD) == 1).then_some(())
    })
    .await;
    app.outbox_settled().await;
    app.clock.set("2026-03-18T12:00:00Z");
    app.slash(PITCHER, OLD, "update 1 Rota drafted").await;
    app.outbox_settled().await;
    // The next refused at the old id; the note to its subscriber then held by Slack (a 503).
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.slack.script("chat.postMessage", Script::Status(503));
    app.clock.set("2026-03-23T09:00:30Z");
    // Stopped, the clock brings the note's retry no nearer: it would go out before the id
    // change drops it.
    app.clock.stop();
    eventually(
        "the digest failed, its subscriber's note tried",
        SHORT,
        || {
            (app.slack.scripts_left("chat.postMessage") == 0
                && app.count(
                    "SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'channel_not_found; %'",
                ) == 1)
                .then_some(())
        },
    )
    .await;
    assert_eq!(notices_of(&app, "digest_not_posted"), 1);

    let moved = channel_id_changed("EvMoved6", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);
    app.scheduler_has_run().await;
    let digest = eventually("the digest posted at the new id", SHORT, || {
        app.slack.calls("chat.postMessage").into_iter().find(|c| {
            c.body["channel"] == NEW
                && c.ts().is_some()
                && message_text(&c.body).contains("Makers digest")
        })
    })
    .await;
    assert!(
        message_text(&digest.body).contains("Rota drafted"),
        "the refused week: {:?}",
        digest.body
    );
    app.outbox_settled().await;
    assert_eq!(notices_of(&app, "digest_not_posted"), 0, "the note dropped");
    assert!(
        !posted_to(&app.slack, PITCHER)
            .iter()
            .any(|t| t.starts_with("The weekly digest could not be posted")),
        "{:?}",
        posted_to(&app.slack, PITCHER)
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM digest_subscriptions
              WHERE channel_id = '{NEW}' AND stopped_at IS NULL"
        )),
        1,
        "still subscribed"
    );
}

/// Digests posted in `channel`.
fn digests_at(app: &TestApp, channel: &str) -> usize {
    app.slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| {
            c.body["channel"] == channel
                && c.ts().is_some()
                && message_text(&c.body).contains("Makers digest")
        })
        .count()
}

/// A nudge refused `channel_not_found` in an earlier quiet spell (the bot taken out of the
/// private channel, the lead told), the team's news since, and this spell's nudge posted:
/// a later change of the channel's id owes nothing again. Before, the old refusal re-owed
/// the nudge, and the team was nudged a second time in the one quiet spell (REGRESS3 3).
#[tokio::test]
async fn a_change_of_id_owes_no_nudge_refused_in_an_earlier_quiet_spell() {
    let app = private_channel_about_to_move().await;
    app.clock.set_weekday_morning();
    pitch_and_wait(&app, PITCHER, OLD, "Staff rota finder | For our team").await;
    app.outbox_settled().await;
    app.slack
        .script("chat.postMessage", Script::Error("channel_not_found"));
    app.clock.advance_days(22);
    eventually("the nudge refused", SHORT, || {
        (app.count("SELECT COUNT(*) FROM outbox WHERE last_error LIKE 'channel_not_found; %'") == 1)
            .then_some(())
    })
    .await;
    app.outbox_settled().await;
    // The bot invited back, the team posts news; quiet again, it is nudged once.
    app.slash(PITCHER, OLD, "update 1 Rota drafted").await;
    app.outbox_settled().await;
    app.clock.advance_days(22);
    let posted_nudges = |app: &TestApp| {
        let calls = app.slack.calls("chat.postMessage").into_iter();
        calls
            .filter(|c| c.ts().is_some() && message_text(&c.body).contains(":wave:"))
            .count()
    };
    eventually("this spell's nudge", SHORT, || {
        (posted_nudges(&app) == 1).then_some(())
    })
    .await;
    app.outbox_settled().await;

    let moved = channel_id_changed("EvMoved9", OLD, NEW);
    assert_eq!(app.event(&moved).await.status, 200);
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    assert_eq!(posted_nudges(&app), 1, "one nudge for the spell");
}

/// An empty answer says whether some may be left out here by who asks where, never by what
/// was asked: a search for a word only a private channel's project holds, and one for a word
/// nothing holds, read the same to someone outside its team, as do lists by a phase only it
/// is in and by one nothing is in (the answer said "some may be left out" for the first
/// alone, telling word by word what the private project holds).
#[tokio::test]
async fn an_empty_answer_does_not_tell_what_a_private_channels_project_holds() {
    let app = spawn_app().await;
    two_projects(&app).await;
    let moved = app.slash(PITCHER, SECRET, "phase 1 alpha").await.text();
    assert!(moved.contains("alpha"), "{moved}");
    let asked = |text: &'static str| {
        let app = &app;
        async move { app.slash(OUTSIDER, OPEN, text).await.blocks() }
    };
    let rota = asked("search rota").await;
    let nothing = asked("search zzqx").await;
    assert!(!rota.contains("Staff rota"), "{rota}");
    assert_eq!(
        rota.replace("rota", "WORD"),
        nothing.replace("zzqx", "WORD")
    );
    let alpha = asked("list alpha").await;
    let live = asked("list live").await;
    assert_eq!(
        alpha.replace("alpha", "PHASE"),
        live.replace("live", "PHASE")
    );
}

/// Answers sent to the asker's DM with the bot (the pitch form's, and a typed pitch's
/// answered too late for Slack) offer the similar projects a *Join* pressed there can join:
/// not a private channel's whose team the asker is not in, which is joined only in its
/// channel. Its team still finds it among their own.
#[tokio::test]
async fn a_pitch_answered_in_the_dm_offers_no_private_channels_project_to_join() {
    let app = spawn_app().await;
    app.slack.private_channel(SECRET);
    pitch_and_wait(&app, PITCHER, SECRET, "Bin collection day finder").await;
    let fields = serde_json::json!({
        "title": crate::forms::text("Bin day finder"),
        "description": crate::forms::text(""),
    });
    let a = app
        .interact(&crate::forms::submission(OUTSIDER, SECRET, fields))
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let dm = first_dm(&app, OUTSIDER).await;
    assert!(dm.contains("#2: Bin day finder"), "{dm}");
    assert!(!dm.contains("Bin collection day finder"), "{dm}");

    let held = app.hold_writes();
    app.slash(OUTSIDER, SECRET, "pitch Bin day finder").await;
    held.join().unwrap();
    let late = eventually("the late answer in the DM", SHORT, || {
        let dms = dms_to(&app, OUTSIDER);
        (dms.len() == 2).then(|| dms[1].clone())
    })
    .await;
    assert!(late.contains("#3: Bin day finder"), "{late}");
    assert!(!late.contains("Bin collection day finder"), "{late}");

    // Its pitcher, pitching the like again from the form, is told it is theirs.
    let fields = serde_json::json!({
        "title": crate::forms::text("Bin day finder"),
        "description": crate::forms::text(""),
    });
    app.interact(&crate::forms::submission(PITCHER, SECRET, fields))
        .await;
    let own = eventually("the pitcher's answer in the DM", SHORT, || {
        dms_to(&app, PITCHER)
            .into_iter()
            .find(|dm| dm.contains("#4"))
    })
    .await;
    assert!(own.contains("Bin collection day finder"), "{own}");
}

/// A first council leads the projects its sayer pitched with none, handed on since or not;
/// one of them in a private channel, whose team they have left, is counted in the answer
/// elsewhere, not named: its title (renamed since) is its team's and that channel's.
#[tokio::test]
async fn a_first_council_counts_a_private_project_handed_on_and_left_without_naming_it() {
    const HEIR: &str = "U0HEIR";
    let app = spawn_app().await;
    app.slack.private_channel(SECRET);
    pitch_and_wait(&app, PITCHER, SECRET, "Staff rota finder | For our team").await;
    pitch_and_wait(&app, PITCHER, OPEN, "Bin day finder | For residents").await;
    app.slash(HEIR, SECRET, "join 1").await;
    app.slash(PITCHER, SECRET, &format!("handover 1 <@{HEIR}>"))
        .await;
    app.slash(PITCHER, SECRET, "leave 1").await;
    app.slash(HEIR, SECRET, "edit 1 Secret restructure plan")
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE title = 'Secret restructure plan'"),
        1
    );

    let said = app
        .slash(PITCHER, OPEN, "council Guildford Borough Council")
        .await
        .text();
    assert!(
        said.contains(
            "\nYour projects had no lead council, so yours leads them now: *#2: Bin day finder*, and 1 in a private channel."
        ) && !said.contains("Secret")
            && !said.contains("Staff rota"),
        "{said}"
    );
    // The council is set all the same: that part is theirs.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE pitcher_council_id IS NOT NULL"),
        2
    );
}
