//! Reactions made while the bot was out of a channel: Slack sends reaction events only from
//! channels the bot is in, so once it is invited back it reads the join reactions on its open
//! announcements there (`reactions.get`) and counts those it never heard of.

use fake_slack::Script;

use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, is_member, joined, pitched, reaction, thread_lines};

/// The lines in the thread of `ts` that say `user` joined.
fn join_lines(app: &TestApp, ts: &str, user: &str) -> usize {
    let said = format!("<@{user}>");
    thread_lines(app, ts)
        .iter()
        .filter(|line| line.contains(&said) && line.contains("joined the team"))
        .count()
}

#[tokio::test]
async fn a_join_reaction_made_while_the_bot_was_out_counts_once_it_is_invited_back() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    // Bob joined by reaction while the bot was in the channel.
    app.event(&reaction("EvBob", "U0BOB", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0BOB").await;
    app.outbox_settled().await;
    // The bot is taken out of the channel: Slack refuses the next line there, which waits.
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.slash(PITCHER, CHANNEL, "update 1 Drafted the form")
        .await;
    app.outbox_settled().await;
    // Meanwhile, unseen by the bot: Alice reacts (a skin tone), Carol with another emoji.
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0BOB"]);
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand::skin-tone-2", &["U0ALICE"]);
    app.slack.reactions_on(CHANNEL, &ts, "eyes", &["U0CAROL"]);

    // Invited back. Slack limits the rate of the first read; before it is read again, Bob
    // leaves by command, his reaction still on the announcement.
    app.slack.script("reactions.get", Script::RateLimited(1));
    assert_eq!(app.event(&bot_joined("EvBack1", CHANNEL)).await.status, 200);
    let left = app.slash("U0BOB", CHANNEL, "leave 1").await.text();
    assert!(left.contains("You've left the team"), "{left}");
    let reads = app.slack.wait_for("reactions.get", 2, SHORT).await;
    assert_eq!(reads[1].body["channel"], CHANNEL);
    assert_eq!(reads[1].body["timestamp"], ts.as_str());
    assert_eq!(reads[1].body["full"], "true");
    assert!(
        reads[1].received.duration_since(reads[0].at).as_secs_f64() >= 1.0,
        "Slack's Retry-After is waited out"
    );
    joined(&app, "U0ALICE").await;
    assert!(
        app.slack
            .calls("users.info")
            .iter()
            .any(|c| c.body["user"] == "U0ALICE"),
        "Slack was asked whether Alice is a person first"
    );
    app.outbox_settled().await;
    assert_eq!(join_lines(&app, &ts, "U0ALICE"), 1, "her join said once");
    assert!(
        !is_member(&app, "U0BOB"),
        "he left: his reaction read again does not bring him back"
    );
    assert!(!is_member(&app, "U0CAROL"), "not the join emoji");

    // Invited again (out once more meanwhile): Alice is in already, and is not added twice.
    // Bob has taken his reaction off, the bot in the channel.
    app.slack.reactions_on(CHANNEL, &ts, "raised_hand", &[]);
    app.event(&reaction("EvBobOff", "U0BOB", "raised_hand", &ts, false))
        .await;
    app.event(&bot_joined("EvBack2", CHANNEL)).await;
    app.slack.wait_for("reactions.get", 3, SHORT).await;
    app.outbox_settled().await;
    assert!(is_member(&app, "U0ALICE"));
    assert_eq!(join_lines(&app, &ts, "U0ALICE"), 1, "not said again");
    let told = dms_to(&app, PITCHER)
        .iter()
        .filter(|dm| dm.contains("U0ALICE"))
        .count();
    assert_eq!(told, 1, "the lead told once");
    assert!(!is_member(&app, "U0BOB"));
}

/// Whether `user` is in the team or waiting on Slack to join it.
fn in_or_pending(app: &TestApp, user: &str) -> bool {
    is_member(app, user)
        || app.count(&format!(
            "SELECT COUNT(*) FROM pending_joins WHERE user_id = '{user}'"
        )) > 0
}

/// Moves the bot's clock a minute on: what is recorded next is plainly later than before.
fn a_minute_later(app: &TestApp) {
    app.clock.set_timestamp(app.clock.now().timestamp() + 60);
}

/// Someone who asked to be forgotten before the invitation is not joined again by their old
/// reaction, still on the announcement; someone with no history there is.
#[tokio::test]
async fn a_reaction_read_again_joins_nobody_forgotten_before_the_invitation() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.event(&reaction("EvDan", "U0DAN", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0DAN").await;
    let a = app.slash("U0DAN", CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    a_minute_later(&app);
    // His reaction stays on the announcement; Gina reacted while the bot was out.
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0DAN", "U0GINA"]);

    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    joined(&app, "U0GINA").await;
    assert!(!in_or_pending(&app, "U0DAN"), "forgotten, not joined again");
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0DAN"));
    assert_eq!(join_lines(&app, &ts, "U0DAN"), 0, "no line names him");
}

/// The forget ledger's lines as they are beside the test's database.
fn ledger_path(app: &TestApp) -> String {
    format!("{}.forgotten", app.db_path.display())
}

/// Waits until every announcement marked at an invitation has had its reactions read.
async fn all_read(app: &TestApp) {
    eventually("every announcement read again", SHORT, || {
        (app.count("SELECT COUNT(*) FROM reactions_to_read") == 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
}

/// An operator may delete the forget ledger's oldest lines once no older copy is kept: then
/// nothing says who was forgotten before the oldest line kept, so an announcement pitched
/// before it is not read again (Dan, forgotten on a line deleted, is not joined by his old
/// reaction; Gina, who reacted there, must press *Join*), while one pitched after it is.
#[tokio::test]
async fn a_reaction_read_again_joins_nobody_forgotten_on_a_ledger_line_deleted() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.event(&reaction("EvDan", "U0DAN", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0DAN").await;
    let a = app.slash("U0DAN", CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    a_minute_later(&app);
    app.slash("U0HAL", CHANNEL, "forget me").await;
    // The operator deletes the oldest line, Dan's; Hal's, the newest, is kept.
    let ledger = std::fs::read_to_string(ledger_path(&app)).unwrap();
    let kept: String = ledger
        .lines()
        .filter(|line| !line.ends_with(" U0DAN"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        kept.starts_with("2 ") && kept.ends_with(" U0HAL\n"),
        "{ledger}"
    );
    std::fs::write(ledger_path(&app), kept).unwrap();
    a_minute_later(&app);
    let newer = pitched(&app, "Street lights").await;
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0DAN", "U0GINA"]);
    app.slack
        .reactions_on(CHANNEL, &newer, "raised_hand", &["U0IVY"]);

    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    joined(&app, "U0IVY").await;
    all_read(&app).await;
    assert!(!in_or_pending(&app, "U0DAN"), "forgotten, not joined again");
    assert!(!is_member(&app, "U0DAN"));
    assert_eq!(join_lines(&app, &ts, "U0DAN"), 0, "no line names him");
    assert!(
        !in_or_pending(&app, "U0GINA"),
        "the older announcement is not read again at all"
    );
}

/// A machine rebuilt from the replica's latest moment without the forget ledger (a fair
/// restore): the database says when it applied the last line, so an announcement pitched
/// before that is not read again, and one pitched after it is.
#[tokio::test]
async fn a_reaction_read_again_joins_nobody_forgotten_when_the_ledger_is_lost() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.event(&reaction("EvDan", "U0DAN", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0DAN").await;
    let a = app.slash("U0DAN", CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    std::fs::remove_file(ledger_path(&app)).unwrap();
    a_minute_later(&app);
    let newer = pitched(&app, "Street lights").await;
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0DAN", "U0GINA"]);
    app.slack
        .reactions_on(CHANNEL, &newer, "raised_hand", &["U0IVY"]);

    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    joined(&app, "U0IVY").await;
    all_read(&app).await;
    assert!(!in_or_pending(&app, "U0DAN"), "forgotten, not joined again");
    assert!(!is_member(&app, "U0DAN"));
    assert_eq!(join_lines(&app, &ts, "U0DAN"), 0, "no line names him");
    assert!(!in_or_pending(&app, "U0GINA"));
}

/// Someone who left by command, their reaction left on the announcement, is not put back by
/// it when the bot is invited back: not at the first invitation after their leave, nor at a
/// second for someone the first one joined. They can still join again themselves.
#[tokio::test]
async fn a_reaction_read_again_does_not_bring_back_who_left_by_command() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.event(&reaction("EvErin", "U0ERIN", "raised_hand", &ts, true))
        .await;
    joined(&app, "U0ERIN").await;
    let left = app.slash("U0ERIN", CHANNEL, "leave 1").await.text();
    assert!(left.contains("You've left the team"), "{left}");
    a_minute_later(&app);
    // Frank reacted while the bot was out.
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0ERIN", "U0FRANK"]);
    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    joined(&app, "U0FRANK").await;
    assert!(
        !in_or_pending(&app, "U0ERIN"),
        "she left before the invitation"
    );

    // Frank leaves by command, his reaction still there; Gina reacts while the bot is out.
    let left = app.slash("U0FRANK", CHANNEL, "leave 1").await.text();
    assert!(left.contains("You've left the team"), "{left}");
    a_minute_later(&app);
    app.slack.reactions_on(
        CHANNEL,
        &ts,
        "raised_hand",
        &["U0ERIN", "U0FRANK", "U0GINA"],
    );
    app.event(&bot_joined("EvBack2", CHANNEL)).await;
    joined(&app, "U0GINA").await;
    assert!(
        !in_or_pending(&app, "U0FRANK"),
        "he left after the first invitation"
    );
    assert!(!in_or_pending(&app, "U0ERIN"));
    app.outbox_settled().await;
    assert!(!is_member(&app, "U0ERIN") && !is_member(&app, "U0FRANK"));

    // Asking again is theirs to do.
    app.slash("U0ERIN", CHANNEL, "join 1").await;
    joined(&app, "U0ERIN").await;
}

/// Someone who reacted while the bot was out and whose account was then deactivated is not
/// joined by that reaction when the bot is invited back: not when Slack said so by
/// `user_change` before the invitation, nor when only `users.info` says so (the note of the
/// deactivation pruned, or never delivered).
#[tokio::test]
async fn a_reaction_read_again_does_not_join_a_deactivated_account() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    // Ivy is known to the bot as a person: she joined another team by reaction, Slack asked.
    let other = pitched(&app, "Street lights").await;
    app.event(&reaction("EvIvy", "U0IVY", "raised_hand", &other, true))
        .await;
    joined(&app, "U0IVY").await;
    app.outbox_settled().await;
    // Alice, Hal and Ivy reacted while the bot was out; Gina too, still in Slack.
    app.slack.reactions_on(
        CHANNEL,
        &ts,
        "raised_hand",
        &["U0ALICE", "U0GINA", "U0HAL", "U0IVY"],
    );
    // Alice's account is deactivated, and Slack says so; Hal's only `users.info` says.
    app.event(&crate::left_slack::user_change(
        "EvAliceGone",
        "U0ALICE",
        true,
    ))
    .await;
    app.slack.deactivate("U0HAL");
    // Ivy's deactivation reached the bot days ago, its note since gone; Slack says it still.
    app.slack.deactivate("U0IVY");
    a_minute_later(&app);

    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    joined(&app, "U0GINA").await;
    app.outbox_settled().await;
    let in_first = |user: &str| {
        app.count(&format!(
            "SELECT (SELECT COUNT(*) FROM members WHERE project_id = 1 AND user_id = '{user}')
                  + (SELECT COUNT(*) FROM pending_joins WHERE project_id = 1 AND user_id = '{user}')"
        ))
    };
    assert_eq!(in_first("U0GINA"), 1);
    for gone in ["U0ALICE", "U0HAL", "U0IVY"] {
        assert_eq!(in_first(gone), 0, "{gone} deactivated, not joined");
        assert_eq!(join_lines(&app, &ts, gone), 0, "no line names {gone}");
    }
}

/// A project pitched before this version (before 0060) is not read again: its leavers from
/// before 0052 left no record, so an old reaction of theirs would rejoin them. One pitched
/// since is read as any.
#[tokio::test]
async fn a_reaction_read_again_joins_nobody_on_a_project_pitched_before_this_version() {
    use makers_bot::store::{MIGRATIONS, migrate, migrate_to};
    const OLD_TS: &str = "1700000000.000500";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("makers.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let before = MIGRATIONS
        .iter()
        .position(|(name, _)| name.starts_with("0060_"))
        .unwrap();
    migrate_to(&mut conn, before).unwrap();
    conn.execute(
        "INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                               channel_id, announcement_ts, created_at, updated_at,
                               last_activity_at)
         VALUES (1, ?1, 1, 'Bin app', '', 'alpha', ?2, ?3, ?4, 1700000000, 1700000000,
                 1700000000)",
        [TEAM, PITCHER, CHANNEL, OLD_TS],
    )
    .unwrap();
    migrate(&mut conn).unwrap();
    drop(conn);
    let app = spawn_app_on(&path, fake_slack::FakeSlack::start().await).await;
    let ts = pitched(&app, "Bin day finder").await;
    // Bob's reactions on both: on #1 perhaps from before a leave the bot did not keep.
    app.slack
        .reactions_on(CHANNEL, OLD_TS, "raised_hand", &["U0BOB"]);
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0BOB"]);

    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    let in_new = "SELECT COUNT(*) FROM members WHERE project_id = 2 AND user_id = 'U0BOB'";
    eventually("U0BOB joined #2", SHORT, || {
        (app.count(in_new) == 1).then_some(())
    })
    .await;
    app.outbox_settled().await;
    let in_old = app.count(
        "SELECT (SELECT COUNT(*) FROM members WHERE project_id = 1 AND user_id = 'U0BOB')
              + (SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0BOB')",
    );
    assert_eq!(in_old, 0, "not joined to #1 by a reaction read again");
    assert_eq!(join_lines(&app, OLD_TS, "U0BOB"), 0);
    let read: Vec<_> = app
        .slack
        .calls("reactions.get")
        .iter()
        .map(|c| c.body["timestamp"].clone())
        .collect();
    assert_eq!(read, [ts.as_str()], "only #2's announcement read");
}

/// Slack refusing the workspace's token when its announcements are read again: read again
/// with the wait growing as the workspace's posts would (it was asked every 30 s, for ever,
/// with a warning each time), and after a week of refusals the announcements go unread.
#[tokio::test]
async fn a_refused_token_stops_reading_reactions_again_after_a_week() {
    let app = spawn_app().await;
    let ts = pitched(&app, "Bin day finder").await;
    app.outbox_settled().await;
    app.slack
        .always("reactions.get", Script::Error("invalid_auth"));
    app.slack
        .reactions_on(CHANNEL, &ts, "raised_hand", &["U0GINA"]);
    app.event(&bot_joined("EvBack1", CHANNEL)).await;
    app.slack.wait_for("reactions.get", 1, SHORT).await;
    eventually("the refusal noted for the workspace", SHORT, || {
        (app.count("SELECT COUNT(*) FROM token_refusals") == 1).then_some(())
    })
    .await;
    // Past the 30 s a failed read waited; an invitation elsewhere wakes the worker, which
    // still holds the workspace.
    a_minute_later(&app);
    app.event(&bot_joined("EvElsewhere", "C0ELSEWHERE")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        app.slack.calls("reactions.get").len(),
        1,
        "not read again while the workspace's token is refused"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reactions_to_read"), 1);

    // A week of refusals on, the next one gives the workspace's reading up.
    let moved = app
        .db()
        .execute("UPDATE token_refusals SET since = since - 8 * 86400", [])
        .unwrap();
    assert_eq!(moved, 1);
    a_minute_later(&app);
    let app = app.restart().await;
    app.slack.wait_for("reactions.get", 2, SHORT).await;
    eventually("the reading given up", SHORT, || {
        (app.count("SELECT COUNT(*) FROM reactions_to_read") == 0).then_some(())
    })
    .await;
    assert!(!in_or_pending(&app, "U0GINA"));
}

/// Alpha's `event` as Slack sends it to Alpha's bot (installed by OAuth: its own bot user).
fn in_alpha(mut env: serde_json::Value) -> serde_json::Value {
    use crate::oauth::TEAM_A;
    env["team_id"] = TEAM_A.into();
    env["authorizations"] = serde_json::json!([{"team_id": TEAM_A, "user_id": format!("UBOT{TEAM_A}"), "is_bot": true}]);
    env
}

/// Project ids are handed out again after an erase (the largest left, plus one), so a
/// project pitched since could fall at or below the mark 0060 recorded between old and new
/// projects: taken for one pitched before this version, its reactions made while the bot
/// was out were never read, and a join by one was lost, telling nobody. The erase now
/// lowers the mark to the largest id it leaves.
#[tokio::test]
async fn a_project_pitched_after_an_erase_has_its_reactions_read_again() {
    use crate::oauth::{
        TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, grant, install, oauth_app, removal_event,
    };
    const ALPHA: &str = "C0ALPHA";
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    // Bravo's projects hold the highest ids when the bot is upgraded to 0060.
    for title in ["Street lights", "Potholes", "Gritting routes"] {
        let pitch = format!("pitch {title}");
        app.slash_in(TEAM_B, "U0BRAVOPIT", "C0BRAVO", &pitch).await;
    }
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT MAX(id) FROM projects"), 3);
    app.db()
        .execute("UPDATE reactions_read_from SET after_project_id = 3", [])
        .unwrap();
    // Bravo leaves and is erased: no project is left.
    let removed = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_B,
        "EvGone",
    );
    assert_eq!(app.event(&removed).await.status, 200);
    crate::binary::beside_ok(&app, &["erase", "--team", TEAM_B, "--yes"]);

    // Alpha pitches: its project takes id 1 again.
    app.slash_in(TEAM_A, PITCHER, ALPHA, "pitch Bin day finder")
        .await;
    let ts: String = eventually("the announcement", SHORT, || {
        app.db()
            .query_row(
                "SELECT announcement_ts FROM projects WHERE announcement_ts IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .ok()
    })
    .await;
    assert_eq!(app.count("SELECT id FROM projects"), 1);
    // The bot is taken out of the channel: Slack refuses the next line there.
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.slash_in(TEAM_A, PITCHER, ALPHA, "update 1 Drafted the form")
        .await;
    app.outbox_settled().await;
    // Meanwhile, unseen by the bot, Bob reacts to join.
    app.slack
        .reactions_on(ALPHA, &ts, "raised_hand", &["U0BOB"]);

    // Invited back: the announcement is read, and Bob joins.
    let mut back = in_alpha(bot_joined("EvBack1", ALPHA));
    back["event"]["user"] = format!("UBOT{TEAM_A}").into();
    assert_eq!(app.event(&back).await.status, 200);
    let reads = app.slack.wait_for("reactions.get", 1, SHORT).await;
    assert_eq!(reads[0].body["timestamp"], ts.as_str());
    joined(&app, "U0BOB").await;
}
