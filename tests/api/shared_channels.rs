//! A channel shared with another workspace (Slack Connect): what someone from the other
//! workspace does there is delivered with the workspace the bot is installed in named apart
//! from their own (`authorizations[0].team_id` for events, `view.app_installed_team_id` for
//! forms), and acts on this workspace's projects, as Bolt reads them.

use serde_json::json;

use crate::forms::{submission_payload, text};
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, reaction};

/// Their own workspace, which never installed the bot.
const GUEST_TEAM: &str = "T0GUEST";
const GUEST: &str = "U0GUEST";

/// `guest` of workspace `their_team` reacts to join the pitch announced at `ts` in the shared
/// channel (Slack names this workspace's installation), and is in its team.
pub(crate) async fn guest_joins(
    app: &TestApp,
    event_id: &str,
    guest: &str,
    their_team: &str,
    ts: &str,
) {
    let mut shared = reaction(event_id, guest, "raised_hand", ts, true);
    shared["team_id"] = their_team.into();
    assert_eq!(shared["authorizations"][0]["team_id"], TEAM);
    assert_eq!(app.event(&shared).await.status, 200);
    crate::teams::joined(app, guest).await;
}

#[tokio::test]
async fn a_reaction_from_the_other_workspace_joins_this_workspaces_project() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    guest_joins(&app, "EvGuest", GUEST, GUEST_TEAM, &ts).await;
    let show = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(show.contains(&format!("<@{GUEST}>")), "{show}");
    // Nothing was made for the guest's own workspace.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{GUEST_TEAM}'"
        )),
        0
    );
}

#[tokio::test]
async fn a_form_from_the_other_workspace_is_recorded_where_it_was_opened() {
    let app = spawn_app().await;
    let fields = json!({"title": text("Parking permits")});
    let mut payload = submission_payload(&fresh_view_id(), GUEST, CHANNEL, fields);
    payload["team"]["id"] = GUEST_TEAM.into();
    payload["user"]["team_id"] = GUEST_TEAM.into();
    assert_eq!(payload["view"]["app_installed_team_id"], TEAM);
    let a = app.interact(&payload_body(&payload)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM}' AND pitcher = '{GUEST}'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{GUEST_TEAM}'"
        )),
        0
    );
}

/// Both workspaces use the bot and each has a #1, pitched in the shared channel (one channel
/// id in both). Slack delivers a reaction once, for either workspace: on this workspace's
/// pitch it joins this workspace's #1, whichever workspace Slack named.
#[tokio::test]
async fn with_both_workspaces_using_the_bot_a_reaction_joins_the_pitch_it_is_on() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let a = app
        .slash_in(GUEST_TEAM, GUEST, CHANNEL, "pitch Their own thing")
        .await;
    assert_eq!(a.status, 200);
    app.outbox_settled().await;
    let mut shared = reaction("EvShared", "U0THIRD", "raised_hand", &ours, true);
    shared["team_id"] = GUEST_TEAM.into();
    shared["authorizations"][0]["team_id"] = GUEST_TEAM.into();
    shared["is_ext_shared_channel"] = true.into();
    assert_eq!(app.event(&shared).await.status, 200);
    crate::teams::joined(&app, "U0THIRD").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
             WHERE m.user_id = 'U0THIRD' AND p.team_id = '{TEAM}' AND p.number = 1"
        )),
        1
    );
}

/// The Enterprise Grid organisation of the workspaces in the tests below that share a
/// channel inside it.
const GRID: &str = "E0GRID";

/// `envelope` as Slack delivers it for `team`'s installation in a channel shared between two
/// workspaces of one Enterprise Grid organisation: not "externally" shared, so
/// `is_ext_shared_channel` is false, and still delivered once, for either workspace.
fn delivered_in_the_org(envelope: &mut serde_json::Value, team: &str) {
    envelope["team_id"] = team.into();
    envelope["enterprise_id"] = GRID.into();
    envelope["authorizations"][0]["team_id"] = team.into();
    envelope["authorizations"][0]["enterprise_id"] = GRID.into();
    envelope["is_ext_shared_channel"] = false.into();
}

/// The same inside one Enterprise Grid organisation, whose channel Slack does not call
/// externally shared: the reaction joins the pitch it is on, not nothing in the workspace
/// Slack named (where it was dropped as no pitch's announcement, and recorded as done).
#[tokio::test]
async fn in_a_channel_shared_inside_a_grid_org_a_reaction_joins_the_pitch_it_is_on() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash_in(GUEST_TEAM, "U0THEIRS", CHANNEL, "pitch Their own thing")
        .await;
    app.outbox_settled().await;
    let mut e = reaction("EvGrid", "U0THIRD", "raised_hand", &ours, true);
    delivered_in_the_org(&mut e, GUEST_TEAM);
    assert_eq!(app.event(&e).await.status, 200);
    crate::teams::joined(&app, "U0THIRD").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
             WHERE m.user_id = 'U0THIRD' AND p.team_id = '{TEAM}' AND p.number = 1"
        )),
        1
    );
}

/// A mention in the pitch's thread there is an update on that pitch, whichever workspace
/// Slack named (it was read as a command in the other workspace, and answered with usage).
#[tokio::test]
async fn in_a_channel_shared_inside_a_grid_org_a_thread_mention_is_an_update_on_the_pitch() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash_in(GUEST_TEAM, "U0THEIRS", CHANNEL, "pitch Their own thing")
        .await;
    app.outbox_settled().await;
    let mut m = mention(
        "EvGridNews",
        PITCHER,
        CHANNEL,
        "1700000700.000100",
        "Prototype is up",
    );
    m["event"]["thread_ts"] = ours.as_str().into();
    delivered_in_the_org(&mut m, GUEST_TEAM);
    assert_eq!(app.event(&m).await.status, 200);
    let update: String = eventually("the update recorded", SHORT, || {
        app.db()
            .query_row(
                "SELECT u.body FROM updates u JOIN projects p ON p.id = u.project_id
                 WHERE p.team_id = ?1 AND p.number = 1",
                [TEAM],
                |r| r.get(0),
            )
            .ok()
    })
    .await;
    assert_eq!(update, "Prototype is up");
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
}

/// The same with the Join button: Slack names the presser's workspace, whose #1 is another
/// project; the announcement pressed on says whose pitch it is.
#[tokio::test]
async fn a_join_button_pressed_from_the_other_workspace_joins_the_pitch_it_is_on() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash_in(GUEST_TEAM, "U0THEIRS", CHANNEL, "pitch Their own thing")
        .await;
    app.outbox_settled().await;
    let mut p = crate::buttons_and_councils::press_payload(GUEST, "join_project", "1", &ours);
    p["team"]["id"] = GUEST_TEAM.into();
    p["user"]["team_id"] = GUEST_TEAM.into();
    let a = app.interact(&payload_body(&p)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let in_ours = format!(
        "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
         WHERE m.user_id = '{GUEST}' AND p.team_id = '{TEAM}'"
    );
    assert_eq!(app.count(&in_ours), 1);
    assert!(
        crate::teams::is_member(&app, GUEST),
        "in one team only: not their own workspace's #1"
    );
}

/// A *Join* on an announcement acts on the announcement's project only: its value is the
/// presser's to forge, and someone of another organisation naming this workspace's project
/// of another channel in it joined a team a mention in the shared channel may not name.
#[tokio::test]
async fn a_join_on_an_announcement_naming_another_project_is_out_of_date() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, "C0ELSEWHERE", "Staff rota").await;
    for (i, (who, team)) in [(GUEST, GUEST_TEAM), ("U0BOB", TEAM)]
        .into_iter()
        .enumerate()
    {
        let mut p = crate::buttons_and_councils::press_payload(who, "join_project", "2", &ours);
        p["team"]["id"] = team.into();
        p["user"]["team_id"] = team.into();
        let a = app.interact(&payload_body(&p)).await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
        let said = app.slack.wait_for("chat.postEphemeral", i + 1, SHORT).await;
        let text = message_text(&said[i].body);
        assert!(text.contains("That button is out of date"), "{text}");
        assert!(!crate::teams::is_member(&app, who), "{who} joined #2");
    }
    // The announcement's own project, pressed for, is joined as ever.
    let mut p = crate::buttons_and_councils::press_payload(GUEST, "join_project", "1", &ours);
    p["team"]["id"] = GUEST_TEAM.into();
    p["user"]["team_id"] = GUEST_TEAM.into();
    app.interact(&payload_body(&p)).await;
    crate::teams::joined(&app, GUEST).await;
}

/// A nudge's *Post update* pressed from the other workspace opens the form for the project
/// whose thread the nudge is in, not the presser's own workspace's project of that number.
#[tokio::test]
async fn a_nudges_post_update_pressed_from_the_other_workspace_is_for_the_pitch_it_is_under() {
    let app = spawn_app().await;
    let ours = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash_in(GUEST_TEAM, "U0THEIRS", CHANNEL, "pitch Their own thing")
        .await;
    app.slash(GUEST, CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let mut p = crate::buttons_and_councils::press_payload(
        GUEST,
        "update_project",
        "1",
        "1700009999.000100",
    );
    p["team"]["id"] = GUEST_TEAM.into();
    p["user"]["team_id"] = GUEST_TEAM.into();
    p["message"] = json!({
        "type": "message",
        "user": "U0BOT",
        "ts": "1700009999.000100",
        "thread_ts": ours,
        "text": "How's it going?",
    });
    let a = app.interact(&payload_body(&p)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let calls = app.slack.wait_for("views.open", 1, SHORT).await;
    let view = calls[0].body["view"].to_string();
    assert!(
        view.contains("Bin day finder") && !view.contains("Their own thing"),
        "{view}"
    );
}

/// `forget me` asked in their own workspace forgets what a shared channel recorded about
/// them under this one (a Slack user id is one person's everywhere).
#[tokio::test]
async fn forget_me_in_their_own_workspace_forgets_them_here_too() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    guest_joins(&app, "EvGuestF", GUEST, GUEST_TEAM, &ts).await;
    app.slash_in(GUEST_TEAM, GUEST, "C0THEIRS", "council Waverley BC")
        .await;
    let a = app
        .slash_in(GUEST_TEAM, GUEST, "C0THEIRS", "forget me")
        .await;
    assert_eq!(a.status, 200);
    assert!(
        a.said().contains("(1 in all)"),
        "out of the one team: {}",
        a.said()
    );
    let named = |table: &str, column: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} = '{GUEST}'"
        ))
    };
    assert_eq!(named("members", "user_id"), 0, "left the team here");
    assert_eq!(named("people", "user_id"), 0, "in neither workspace");
    // The pitcher in this workspace is not touched.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE pitcher = '{PITCHER}'"
        )),
        1
    );
}

/// A guest who told the bot their council in their own workspace is not asked for it again
/// here, and counts for it in this workspace's team: the join's answer and thread line, `show`,
/// `list council`, the give and take, and `council` alone. Someone who said a council here
/// keeps that one here, whatever they say elsewhere.
#[tokio::test]
async fn a_guest_counts_for_the_council_they_said_in_their_own_workspace() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash_in(GUEST_TEAM, GUEST, "C0THEIRS", "council Waverley BC")
        .await;
    // Typed in the shared channel, delivered for this workspace.
    let joined = app.slash(GUEST, CHANNEL, "join 1").await;
    assert_eq!(
        joined.said(),
        "You're in the team for *#1: Bin day finder*. The team is now 2 people from 2 councils."
    );
    app.outbox_settled().await;
    let line = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .map(|c| fallback_text(&c.body))
        .find(|t| t.contains(&format!("<@{GUEST}>")))
        .expect("the join's line in the thread");
    assert!(
        line.contains(&format!("<@{GUEST}> from Waverley Borough Council joined")),
        "{line}"
    );
    let show = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(
        show.contains(&format!("<@{GUEST}> (Waverley Borough Council)")),
        "{show}"
    );
    let listed = app
        .slash(PITCHER, CHANNEL, "list council Waverley BC")
        .await;
    assert!(
        listed.text().contains("Bin day finder"),
        "{}",
        listed.text()
    );
    let ledger = "*Waverley Borough Council*: led 0 projects · 1 person in teams";
    let councils = blocks_text(&app.slash(PITCHER, CHANNEL, "councils").await.json());
    assert!(councils.contains(ledger), "{councils}");
    let theirs = app.slash(GUEST, CHANNEL, "council").await.said();
    assert!(theirs.contains(ledger), "{theirs}");
    let digest = message_text(
        &app.slash(PITCHER, "C0DIGEST", "digest preview")
            .await
            .json(),
    );
    assert!(
        digest.contains("• Someone from Waverley Borough Council joined")
            && digest.contains("*Waverley Borough Council* joined a team")
            && digest.contains("2 people from 2 councils in their teams"),
        "{digest}"
    );

    // The pitcher says another council in the guest's workspace: here, Guildford still.
    app.slash_in(GUEST_TEAM, PITCHER, "C0THEIRS", "council Mole Valley DC")
        .await;
    let show = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(
        show.contains(&format!("<@{PITCHER}> (Guildford Borough Council)")),
        "{show}"
    );
    // The public catalogue, whole and one service's page, by the same rule.
    let said = app.slash(PITCHER, CHANNEL, "publish 1").await.said();
    assert!(said.contains("catalogue"), "{said}");
    let all = crate::catalogue::get(&app, "/catalogue.json").await.json();
    let both = serde_json::json!(["Guildford Borough Council", "Waverley Borough Council"]);
    assert_eq!(all["projects"][0]["councils"], both);
    let page = crate::catalogue::get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Waverley Borough Council"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Mole Valley"), "{}", page.body);
}

/// Two workspaces that installed the bot through OAuth, sharing a channel: Slack delivers
/// each event there once, for either of them.
async fn two_installed() -> TestApp {
    use crate::oauth::*;
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    app
}

/// `envelope` as Slack delivers it in the shared channel for workspace B.
fn delivered_for_bravo(envelope: &mut serde_json::Value) {
    use crate::oauth::TEAM_B;
    envelope["team_id"] = TEAM_B.into();
    envelope["authorizations"] =
        json!([{"team_id": TEAM_B, "user_id": format!("UBOT{TEAM_B}"), "is_bot": true}]);
    envelope["is_ext_shared_channel"] = true.into();
}

/// In a channel shared with another organisation, someone of the other who types what the
/// bot's posts there suggest, `/makers join 1`, runs it in their own workspace: it joins
/// their own #1, another council's project. So those posts point at the announcement, whose
/// *Join* acts on the project it shows: a merged project's corrected announcement links to
/// where the work carries on, and the digest's lines suggest no `/makers join` or `show`.
/// In a channel of the workspace alone they read as before.
#[tokio::test]
async fn in_a_channel_shared_with_another_organisation_the_bots_posts_point_at_announcements() {
    use crate::oauth::*;
    let app = two_installed().await;
    app.slack.shared_channel(CHANNEL);
    const OWN: &str = "C0ALPHA";
    let alice = |channel: &'static str, text: String| {
        let app = &app;
        async move {
            let a = app.slash_in(TEAM_A, "U0ALICE", channel, &text).await;
            assert_eq!(a.status, 200, "{text}");
        }
    };
    for (channel, title) in [
        (CHANNEL, "Bin app"),
        (CHANNEL, "Bin finder"),
        (OWN, "Staff rota"),
        (OWN, "Staff rota app"),
    ] {
        alice(channel, format!("pitch {title}")).await;
    }
    // B's own #1, which `/makers join 1` typed by someone of B joins.
    app.slash_in(TEAM_B, "U0BRAVOPIT", "C0BRAVO", "pitch Parking permits")
        .await;
    alice(CHANNEL, "digest".into()).await;
    alice(OWN, "digest".into()).await;
    app.scheduler_has_run().await;
    app.outbox_settled().await;
    alice(CHANNEL, "merge 2 into 1".into()).await;
    alice(OWN, "merge 4 into 3".into()).await;
    app.outbox_settled().await;
    let ts_of = |number: u32| -> String {
        app.db()
            .query_row(
                "SELECT announcement_ts FROM projects WHERE team_id = ?1 AND number = ?2",
                rusqlite::params![TEAM_A, number],
                |r| r.get(0),
            )
            .unwrap()
    };
    let corrected = |channel: &str| {
        let updates = app.slack.calls("chat.update");
        let last = updates
            .iter()
            .rev()
            .find(|c| c.body["channel"] == channel)
            .unwrap_or_else(|| panic!("no correction in {channel}"));
        message_text(&last.body)
    };
    let shared = corrected(CHANNEL);
    let link = format!(
        "<https://slack.com/archives/{CHANNEL}/p{}|#1: Bin app>",
        ts_of(1).replace('.', "")
    );
    assert!(
        shared.contains(&format!(
            "It is merged into *{link}* and retired: the work carries on there (press *Join* there to join its team)."
        )),
        "{shared}"
    );
    assert!(!shared.contains("/makers join"), "{shared}");
    let own = corrected(OWN);
    assert!(
        own.contains("It is merged into *#3: Staff rota* and retired: the work carries on there (`/makers join 3` joins its team)."),
        "{own}"
    );

    // The digests: this week's, of new pitches, then next week's, of projects that need
    // people.
    let digest_in = |channel: &str, n: usize| {
        let app = &app;
        let channel = channel.to_string();
        async move {
            eventually(&format!("digest {n} in {channel}"), SHORT, || {
                let digests: Vec<String> = app
                    .slack
                    .calls("chat.postMessage")
                    .iter()
                    .filter(|c| c.body["channel"] == channel.as_str())
                    .map(|c| message_text(&c.body))
                    .filter(|t| t.contains("Makers digest"))
                    .collect();
                digests.get(n - 1).cloned()
            })
            .await
        }
    };
    for week in 1..=2 {
        app.clock
            .advance_days(crate::digests::days_to_next_monday(&app));
        let (shared, own) = (digest_in(CHANNEL, week).await, digest_in(OWN, week).await);
        assert!(!shared.contains("/makers join"), "{shared}");
        assert!(!shared.contains("/makers show"), "{shared}");
        match week {
            1 => {
                assert!(
                    shared.contains("react with :raised_hand: or press *Join* on a pitch (each title links to it), to join"),
                    "{shared}"
                );
                assert!(own.contains("`/makers join &lt;number&gt;`"), "{own}");
            }
            _ => {
                assert!(
                    shared.contains("Bin app>: 1 person so far; *Join* on its pitch"),
                    "{shared}"
                );
                assert!(own.contains("1 person so far; `/makers join 3`"), "{own}");
            }
        }
    }
}

/// Someone of another organisation who joined a project by reaction in the shared channel
/// is told by DM, when it is merged, where its work carries on, with a *Join*. Pressed there,
/// Slack names their own workspace, which never installed the bot: it was dropped without a
/// word (or, theirs installed, joined their own #1). It names the project's workspace, sealed
/// for them, and joins the project it names; a copy of its value pressed by anyone else
/// joins nothing.
#[tokio::test]
async fn the_merges_word_in_a_dm_joins_the_project_it_names_when_pressed_from_another_organisation()
{
    use crate::oauth::*;
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    for title in ["Bin app", "Bin finder"] {
        let a = app
            .slash_in(TEAM_A, PITCHER, CHANNEL, &format!("pitch {title}"))
            .await;
        assert_eq!(a.status, 200);
    }
    app.outbox_settled().await;
    let ts2: String = app
        .db()
        .query_row(
            "SELECT announcement_ts FROM projects WHERE team_id = ?1 AND number = 2",
            [TEAM_A],
            |r| r.get(0),
        )
        .unwrap();
    // The guest's reaction, delivered for A's installation.
    let mut joins = reaction("EvGuestDm", GUEST, "raised_hand", &ts2, true);
    joins["team_id"] = GUEST_TEAM.into();
    joins["authorizations"][0]["team_id"] = TEAM_A.into();
    joins["is_ext_shared_channel"] = true.into();
    assert_eq!(app.event(&joins).await.status, 200);
    crate::teams::joined(&app, GUEST).await;
    app.slash_in(TEAM_A, PITCHER, CHANNEL, "merge 2 into 1")
        .await;
    app.outbox_settled().await;
    let dm = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["channel"] == GUEST && message_text(&c.body).contains("a team you are in"))
        .expect("the merge's word to the guest");
    let value = dm.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["elements"][0]["value"].as_str())
        .unwrap_or_else(|| panic!("no Join: {}", dm.body))
        .to_string();
    let dm_ts = dm.answer["ts"].as_str().unwrap_or("1700000999.000100");
    // Pressed in their DM with A's bot; Slack names their own workspace.
    let press = |who: &str| {
        let mut p = crate::buttons_and_councils::press_payload(who, "join_project", &value, dm_ts);
        p["team"]["id"] = GUEST_TEAM.into();
        p["user"]["team_id"] = GUEST_TEAM.into();
        p["channel"]["id"] = "D0GUESTDM".into();
        p["container"]["channel_id"] = "D0GUESTDM".into();
        payload_body(&p)
    };
    let in_a = |who: &str, number: u32| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.team_id = '{TEAM_A}' AND p.number = {number} AND m.user_id = '{who}'"
        ))
    };
    // Another of their organisation, pressing a copy of the guest's value: sealed for the
    // guest alone, it names nothing for them, and their own workspace is not served.
    let other = "U0GUESTTWO";
    let a = app.interact(&press(other)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    let a = app.interact(&press(GUEST)).await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert_eq!(
        in_a(GUEST, 1),
        1,
        "the guest in A's #1, the project the word names"
    );
    assert_eq!(in_a(other, 1), 0, "a copy of the value joins nothing");
}

/// Workspace A removed the app and was erased: its rows are gone, Slack keeps its messages.
/// A *Join* or *Leave* on A's old announcement in the shared channel, pressed by someone of
/// B (Slack names B), finds no project; B's own #1 is another project, in another channel,
/// and is neither joined nor left: the button is out of date, said privately through B.
#[tokio::test]
async fn a_join_or_leave_on_an_erased_workspaces_announcement_is_out_of_date() {
    use crate::oauth::*;
    let app = two_installed().await;
    app.slash_in(TEAM_A, "U0ALPHAPIT", CHANNEL, "pitch Bin finder")
        .await;
    app.slash_in(TEAM_B, "U0BRAVOPIT", "C0BRAVO", "pitch Parking permits")
        .await;
    app.slash_in(TEAM_B, "U0BRAVOIN", "C0BRAVO", "join 1").await;
    app.outbox_settled().await;
    let theirs: String = app
        .db()
        .query_row(
            "SELECT announcement_ts FROM projects WHERE team_id = ?1 AND number = 1",
            [TEAM_A],
            |r| r.get(0),
        )
        .unwrap();
    let removed = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_A,
        "EvGone",
    );
    assert_eq!(app.event(&removed).await.status, 200);
    crate::binary::beside_ok(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM_A}'"
        )),
        0
    );
    let in_bravos = |user: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.team_id = '{TEAM_B}' AND p.number = 1 AND m.user_id = '{user}'"
        ))
    };
    let before = app.slack.calls("chat.postEphemeral").len();
    for (user, action) in [
        ("U0BRAVOBOB", "join_project"),
        ("U0BRAVOIN", "leave_project"),
    ] {
        let mut p = crate::buttons_and_councils::press_payload(user, action, "1", &theirs);
        p["team"]["id"] = TEAM_B.into();
        p["user"]["team_id"] = TEAM_B.into();
        let a = app.interact(&payload_body(&p)).await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    }
    let said = app
        .slack
        .wait_for("chat.postEphemeral", before + 2, SHORT)
        .await;
    for user in ["U0BRAVOBOB", "U0BRAVOIN"] {
        let told = said[before..]
            .iter()
            .find(|c| c.body["user"] == user)
            .unwrap_or_else(|| panic!("{user} not told"));
        let text = message_text(&told.body);
        assert!(text.contains("That button is out of date"), "{text}");
    }
    assert_eq!(
        (in_bravos("U0BRAVOBOB"), in_bravos("U0BRAVOIN")),
        (0, 1),
        "B's #1 neither joined nor left"
    );
    app.outbox_settled().await;
    assert_eq!(app.slack.calls("chat.postEphemeral").len(), before + 2);
}

/// A mention there acts in the workspace whose bot it addresses, not the one Slack happened
/// to deliver it for: `@Makers pitch …` to workspace A's bot is A's project, announced with
/// A's token.
#[tokio::test]
async fn with_both_installed_a_mention_acts_for_the_workspace_whose_bot_it_addresses() {
    use crate::oauth::*;
    let app = two_installed().await;
    let mut m = mention(
        "EvSharedMention",
        "U0ANN",
        "C0SHARED",
        "1700000100.000100",
        "pitch Bin day finder",
    );
    delivered_for_bravo(&mut m);
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> pitch Bin day finder").into();
    assert_eq!(app.event(&m).await.status, 200);
    let in_team = |team: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{team}'"
        ))
    };
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (1, 0));
    let posts = app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    assert!(
        posts
            .iter()
            .all(|c| c.authorization == Some(format!("Bearer {TOKEN_A}"))),
        "{posts:?}"
    );
    // Addressed to B's bot, it is B's.
    let mut m = mention(
        "EvSharedMention2",
        "U0ANN",
        "C0SHARED",
        "1700000100.000200",
        "pitch Parking permits",
    );
    delivered_for_bravo(&mut m);
    m["event"]["text"] = format!("<@UBOT{TEAM_B}> pitch Parking permits").into();
    assert_eq!(app.event(&m).await.status, 200);
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (1, 1));
}

/// The same in a channel shared inside one Enterprise Grid organisation, which Slack does
/// not call externally shared: `@Makers join 1` said to A's bot and delivered for B joins
/// A's #1, not B's (it acted in whichever workspace Slack named, one the person may not be
/// in). People of the same organisation are not outsiders there: a mention's `list` shows
/// what it shows anywhere, as where one workspace runs the bot.
#[tokio::test]
async fn in_a_channel_shared_inside_a_grid_org_a_mention_acts_for_the_workspace_whose_bot_it_addresses()
 {
    use crate::oauth::*;
    let app = two_installed().await;
    app.slash_in(TEAM_A, "U0ALPHAPIT", "C0SHARED", "pitch Bin day finder")
        .await;
    app.slash_in(TEAM_B, "U0BRAVOPIT", "C0BRAVO", "pitch Parking permits")
        .await;
    app.outbox_settled().await;
    let mut m = mention("EvGridJoin", "U0ANN", "C0SHARED", "1700000100.000500", "x");
    delivered_in_the_org(&mut m, TEAM_B);
    m["authorizations"][0]["user_id"] = format!("UBOT{TEAM_B}").into();
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> join 1").into();
    assert_eq!(app.event(&m).await.status, 200);
    let in_team = |team: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.team_id = '{team}' AND m.user_id = 'U0ANN'"
        ))
    };
    eventually("A's #1 joined", SHORT, || {
        (in_team(TEAM_A) == 1).then_some(())
    })
    .await;
    assert_eq!(in_team(TEAM_B), 0);
    // Not an outsider's mention: the list is A's, with no word of projects left out.
    let mut m = mention("EvGridList", "U0ANN", "C0SHARED", "1700000100.000600", "x");
    delivered_in_the_org(&mut m, TEAM_A);
    m["authorizations"][0]["user_id"] = format!("UBOT{TEAM_A}").into();
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> list").into();
    assert_eq!(app.event(&m).await.status, 200);
    let text = &crate::progress::thread(&app, "1700000100.000600", 1).await[0];
    assert!(
        text.contains("Bin day finder") && !text.contains("may be left out"),
        "{text}"
    );
}

/// Someone who types another workspace's bot's id (`<@UBOTB>`, which Slack sends escaped)
/// before really mentioning the bot does not act in that workspace: the pitch is the
/// workspace's the event was delivered for, whose bot they mentioned. (It was B's: anyone in
/// a shared channel could pitch, join and post in a workspace that is not theirs.)
#[tokio::test]
async fn a_typed_bot_id_is_not_a_mention_of_that_workspace() {
    use crate::oauth::*;
    let app = two_installed().await;
    let mut m = mention(
        "EvTypedMention",
        "U0ANN",
        "C0SHARED",
        "1700000100.000300",
        "pitch Bin day finder",
    );
    m["team_id"] = TEAM_A.into();
    m["authorizations"] =
        json!([{"team_id": TEAM_A, "user_id": format!("UBOT{TEAM_A}"), "is_bot": true}]);
    m["is_ext_shared_channel"] = true.into();
    m["event"]["text"] =
        format!("&lt;@UBOT{TEAM_B}&gt; <@UBOT{TEAM_A}> pitch Bin day finder").into();
    assert_eq!(app.event(&m).await.status, 200);
    let in_team = |team: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{team}'"
        ))
    };
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (1, 0));
    // Delivered for B, with A's bot the one really mentioned (after the typed id): A's, not
    // B's (it was B's, as the workspace delivered for).
    let mut m = mention(
        "EvTypedMention2",
        "U0ANN",
        "C0SHARED",
        "1700000100.000400",
        "pitch Parking",
    );
    delivered_for_bravo(&mut m);
    m["event"]["text"] = format!("&lt;@UBOT{TEAM_B}&gt; <@UBOT{TEAM_A}> pitch Parking").into();
    assert_eq!(app.event(&m).await.status, 200);
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (2, 0), "no pitch in B");
}

/// In a pitch's thread, delivered for the other workspace, "@Makers @Sam ran the research"
/// is an update that names Sam, as where one workspace runs the bot: the words follow the
/// bot mentioned, not the one Slack delivered it for (Sam was taken for the bot's mention
/// and dropped).
#[tokio::test]
async fn in_a_shared_pitch_thread_someone_named_after_the_bot_is_what_was_said() {
    use crate::oauth::*;
    let app = two_installed().await;
    let a = app
        .slash_in(TEAM_A, "U0ANN", "C0SHARED", "pitch Bin day finder")
        .await;
    assert!(a.said().contains("Recorded as"), "{}", a.said());
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    let ts = posts[0].answer["ts"].as_str().unwrap().to_string();
    let mut m = mention("EvThreadSam", "U0ANN", "C0SHARED", "1700000300.000100", "x");
    delivered_for_bravo(&mut m);
    m["event"]["thread_ts"] = ts.as_str().into();
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> <@U0SAM> ran the research").into();
    assert_eq!(app.event(&m).await.status, 200);
    let update: String = eventually("the update recorded", SHORT, || {
        app.db()
            .query_row("SELECT body FROM updates", [], |r| r.get(0))
            .ok()
    })
    .await;
    assert_eq!(update, "<@U0SAM> ran the research");
}

/// Workspace A's bot invited to the shared channel, the event delivered for B: A's posts
/// waiting there for an invitation go out (Slack names B's bot as the one it delivered for,
/// so this was taken for someone else joining, and they waited on).
#[tokio::test]
async fn with_both_installed_our_bot_joining_for_the_other_delivery_posts_what_waited() {
    our_bot_joining_for_the_other_delivery_posts_what_waited(delivered_for_bravo).await;
}

/// The same in a channel shared inside one Enterprise Grid organisation, which Slack does
/// not call externally shared: A's bot is known by its id, whatever the flag says (it was
/// taken for B's bot's event about someone else, and A's posts stayed parked).
#[tokio::test]
async fn in_a_channel_shared_inside_a_grid_org_our_bot_joining_for_the_other_delivery_posts_what_waited()
 {
    our_bot_joining_for_the_other_delivery_posts_what_waited(|e| {
        delivered_for_bravo(e);
        delivered_in_the_org(e, crate::oauth::TEAM_B);
    })
    .await;
}

/// A's bot joins the shared channel, `deliver`ed for B: A's parked posts go out; someone
/// else joining records nothing.
async fn our_bot_joining_for_the_other_delivery_posts_what_waited(
    deliver: impl Fn(&mut serde_json::Value),
) {
    use crate::oauth::*;
    let app = two_installed().await;
    app.slack
        .script("chat.postMessage", Script::Error("not_in_channel"));
    app.slack
        .always("conversations.join", Script::Error("channel_not_found"));
    let a = app
        .slash_in(TEAM_A, "U0ANN", "C0SHARED", "pitch Bin day finder")
        .await;
    assert!(a.text().contains("Recorded as"), "{}", a.body);
    eventually("the announcement parked", SHORT, || {
        (app.count("SELECT COUNT(*) FROM outbox WHERE last_error = 'not_in_channel'") == 1)
            .then_some(())
    })
    .await;
    app.slack.heal("conversations.join");
    let mut joined = bot_joined("EvSharedJoin", "C0SHARED");
    deliver(&mut joined);
    joined["event"]["user"] = format!("UBOT{TEAM_A}").into();
    assert_eq!(app.event(&joined).await.status, 200);
    let posted = eventually("the announcement posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == "C0SHARED" && c.body["_answered_ok"] == true)
    })
    .await;
    assert_eq!(posted.authorization, Some(format!("Bearer {TOKEN_A}")));
    // Someone else joining the shared channel is nothing to us: nothing recorded.
    app.outbox_settled().await;
    let (events, rows) = (
        app.count("SELECT COUNT(*) FROM processed_events"),
        app.count("SELECT COUNT(*) FROM outbox"),
    );
    let mut person = bot_joined("EvSharedJoin2", "C0SHARED");
    deliver(&mut person);
    person["event"]["user"] = "U0SOMEONE".into();
    assert_eq!(app.event(&person).await.status, 200);
    assert_eq!(
        (
            app.count("SELECT COUNT(*) FROM processed_events"),
            app.count("SELECT COUNT(*) FROM outbox")
        ),
        (events, rows)
    );
}

/// A mention naming both workspaces' bots acts for the first named, whichever workspace
/// Slack delivered it for (the words after a bot's mention are what is said to it); and
/// one replying in a thread that is no pitch's is read as one outside a thread.
#[tokio::test]
async fn with_both_installed_the_first_bot_named_decides_in_any_thread() {
    use crate::oauth::*;
    let app = two_installed().await;
    let in_team = |team: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{team}'"
        ))
    };
    // Delivered for B, naming A's bot first (then B's): A's.
    let mut m = mention("EvBoth1", "U0ANN", "C0SHARED", "1700000200.000100", "x");
    delivered_for_bravo(&mut m);
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> <@UBOT{TEAM_B}> pitch Bin day finder").into();
    assert_eq!(app.event(&m).await.status, 200);
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (1, 0));
    // In a thread that is no pitch's (someone's message), addressed to A's bot: A's.
    let mut m = mention("EvBoth3", "U0ANN", "C0SHARED", "1700000200.000300", "x");
    delivered_for_bravo(&mut m);
    m["event"]["thread_ts"] = "1700000200.000250".into();
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> pitch Street lights").into();
    assert_eq!(app.event(&m).await.status, 200);
    assert_eq!((in_team(TEAM_A), in_team(TEAM_B)), (2, 0));
}

/// The *Join* buttons under the similar projects a pitch was answered with name the
/// workspace whose projects they are: pressed in a channel shared with another workspace,
/// Slack names the presser's own, and the press joins the project it was shown for, not
/// their workspace's project of the same number.
#[tokio::test]
async fn a_join_under_similar_projects_joins_them_in_their_own_workspace() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder for flats").await;
    app.slash_in(GUEST_TEAM, GUEST, "C0GUESTS", "pitch Their own thing")
        .await;
    let answer = app
        .slash(GUEST, CHANNEL, "pitch Bin day finder")
        .await
        .json();
    let value = answer["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["accessory"]["value"].as_str())
        .unwrap_or_else(|| panic!("no Join: {answer}"))
        .to_string();
    // Its workspace, sealed: the bot wrote it.
    let tag = value
        .strip_prefix(&format!("1@{TEAM}."))
        .unwrap_or_else(|| panic!("{value}"));
    assert!(
        tag.len() == 32 && tag.bytes().all(|b| b.is_ascii_hexdigit()),
        "{tag}"
    );
    // Pressed by `user` of `their_team`: `action` on their private answer, or (not
    // `ephemeral`) on a message everyone sees.
    let pressed = |user: &str, their_team: &str, action: &str, value: &str, ephemeral: bool| {
        let mut press =
            crate::buttons_and_councils::press_payload(user, action, value, "1700000300.000100");
        press["team"]["id"] = their_team.into();
        press["user"]["team_id"] = their_team.into();
        press["container"]["is_ephemeral"] = ephemeral.into();
        serde_urlencoded::to_string([("payload", press.to_string())]).unwrap()
    };
    let press = |user: &str, their_team: &str, value: &str| {
        pressed(user, their_team, "join_project", value, true)
    };
    assert_eq!(
        app.interact(&press(GUEST, GUEST_TEAM, &value)).await.status,
        200
    );
    let joined = |team: &str, number: u32, user: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.team_id = '{team}' AND p.number = {number} AND m.user_id = '{user}'"
        ))
    };
    // TEAM's #1 is the one they pressed Join on; their own workspace's #1 they pitched
    // (and so were in already).
    assert_eq!(
        (joined(TEAM, 1, GUEST), joined(GUEST_TEAM, 1, GUEST)),
        (1, 1)
    );

    // A value is the presser's to write. A value naming this workspace joins nothing in it
    // unless sealed for the presser's own *Join* on their private answer: without the seal;
    // with another project's; with theirs, pressed by another guest (it was in the value
    // they were shown); on a message everyone sees; on a *Leave*. Each presser is told,
    // through their own workspace, that the button is out of date (and there is no #3 there
    // to join either).
    let queued_there = |user: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM}' AND instr(notice, '{user}')"
        ))
    };
    pitch_and_wait(&app, PITCHER, CHANNEL, "Street light survey").await;
    let another = "U0GUEST2";
    let before = (queued_there(GUEST), queued_there(another));
    let theirs = format!("1@{TEAM}.{tag}");
    let forged = [
        (GUEST, "join_project", format!("3@{TEAM}"), true),
        (GUEST, "join_project", format!("3@{TEAM}.{tag}"), true),
        (another, "join_project", theirs.clone(), true),
        (GUEST, "join_project", theirs.clone(), false),
        (GUEST, "leave_project", theirs.clone(), true),
    ];
    for (user, action, value, ephemeral) in &forged {
        let a = app
            .interact(&pressed(user, GUEST_TEAM, action, value, *ephemeral))
            .await;
        assert_eq!(a.status, 200);
    }
    eventually("each told", SHORT, || {
        let told = app.slack.calls("chat.postEphemeral");
        let stale = |user: &str| {
            told.iter()
                .filter(|c| {
                    c.body["user"] == user
                        && message_text(&c.body).contains("That button is out of date")
                })
                .count()
        };
        (stale(GUEST) == 4 && stale(another) == 1).then_some(())
    })
    .await;
    assert_eq!(
        (joined(TEAM, 3, GUEST), joined(GUEST_TEAM, 3, GUEST)),
        (0, 0)
    );
    assert_eq!(joined(TEAM, 1, another), 0);
    assert_eq!(joined(TEAM, 1, GUEST), 1, "the Leave left nothing");
    assert_eq!(
        (queued_there(GUEST), queued_there(another)),
        before,
        "nothing queued in the workspace the values named"
    );
    // Unsealed, as before this build, in the presser's own workspace: nothing to vouch for.
    let own = "U0HOST";
    assert_eq!(
        app.interact(&press(own, TEAM, &format!("3@{TEAM}")))
            .await
            .status,
        200
    );
    eventually("U0HOST in #3", SHORT, || {
        (joined(TEAM, 3, own) == 1).then_some(())
    })
    .await;
}

/// In a channel shared with another organisation, whoever reads a mention's answer may be
/// from outside the workspace: it shows the projects pitched in that channel (published ones
/// too are for the catalogue, which names nobody), and the asker's own when answered to them
/// alone; its digest is turned on or off by slash command alone. A slash command there, run
/// by someone of this workspace, is answered as before.
#[tokio::test]
async fn a_mention_in_a_channel_shared_with_another_organisation_shows_only_what_is_already_theirs()
{
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Internal rota tool").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Published bin finder").await;
    app.slash(PITCHER, CHANNEL, "publish 2").await;
    pitch_and_wait(&app, PITCHER, "C0SHARED", "Shared with the county").await;
    app.outbox_settled().await;
    let ask = |who: &str, id: &str, ts: &str, text: &str| {
        let mut m = mention(id, who, "C0SHARED", ts, text);
        if who == GUEST {
            m["event"]["team"] = GUEST_TEAM.into();
        }
        m["is_ext_shared_channel"] = true.into();
        m
    };
    let said = |app: &TestApp| -> Vec<String> {
        app.slack
            .calls("chat.postEphemeral")
            .iter()
            .map(|c| message_text(&c.body))
            .collect()
    };
    let a = app
        .event(&ask(GUEST, "EvShL", "1700000500.000100", "list"))
        .await;
    assert_eq!(a.status, 200);
    let text = &crate::progress::thread(&app, "1700000500.000100", 1).await[0];
    assert!(text.contains("Shared with the county"), "{text}");
    assert!(
        !text.contains("Internal rota tool") && !text.contains("Published bin finder"),
        "{text}"
    );
    // Named by its number, it is refused, saying why; a digest preview there leaves it out
    // too; the digest is not turned on by mention there.
    app.event(&ask(GUEST, "EvShS", "1700000500.000200", "show 1"))
        .await;
    app.event(&ask(GUEST, "EvShD", "1700000500.000400", "digest preview"))
        .await;
    app.event(&ask(GUEST, "EvShOn", "1700000500.000500", "digest"))
        .await;
    app.outbox_settled().await;
    let answers = said(&app);
    assert!(
        answers
            .iter()
            .any(|a| a.contains("shared with another organisation") && a.contains("project #1")),
        "{answers:?}"
    );
    let preview = answers
        .iter()
        .find(|t| t.contains("review"))
        .expect("a digest preview");
    assert!(
        preview.contains("Shared with the county") && !preview.contains("Internal rota tool"),
        "{preview}"
    );
    assert!(
        answers
            .iter()
            .any(|a| a.contains("only with `/makers digest`")),
        "{answers:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM digest_subscriptions"), 0);
    assert!(!answers.iter().any(|a| a.contains("Internal rota tool")));
    // Its own team's member, asking there for themselves, is shown it.
    app.event(&ask(PITCHER, "EvShMine", "1700000500.000600", "show 1"))
        .await;
    app.outbox_settled().await;
    assert!(
        said(&app).iter().any(|a| a.contains("Internal rota tool")),
        "{:?}",
        said(&app)
    );
    // This workspace's own slash command there lists as anywhere.
    let own = app.slash(PITCHER, "C0SHARED", "list").await.text();
    assert!(own.contains("Internal rota tool"), "{own}");
}

/// In a channel shared with another organisation, a mention's `list` and `search` show that
/// channel's projects alone: with none there, the answer says some may be left out here,
/// not that there are none yet, and invites no pitch of what may be pitched elsewhere.
#[tokio::test]
async fn an_empty_list_or_search_in_a_shared_channel_says_some_may_be_left_out() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.outbox_settled().await;
    for (id, ts, asked) in [
        ("EvShEL", "1700000600.000100", "list"),
        ("EvShES", "1700000600.000200", "search bins"),
    ] {
        let mut m = mention(id, GUEST, "C0SHARED", ts, asked);
        m["event"]["team"] = GUEST_TEAM.into();
        m["is_ext_shared_channel"] = true.into();
        assert_eq!(app.event(&m).await.status, 200);
        let text = &crate::progress::thread(&app, ts, 1).await[0];
        assert!(
            !text.contains("Bin day finder")
                && !text.contains("No open projects yet")
                && !text.contains("No projects match")
                && !text.contains("pitch"),
            "{asked}: {text}"
        );
        assert!(text.contains("may be left out here"), "{asked}: {text}");
    }
}

/// With OAuth on, `MAKERS_SECRET_KEY` seals a private answer's *Join*. Changing it, with the
/// key before as `MAKERS_PREVIOUS_SECRET_KEY`, keeps the answers already given working; once
/// that is removed, an answer given before the change is out of date (nothing joined), and
/// one given since joins.
#[tokio::test]
async fn a_join_sealed_before_the_key_changed_joins_until_the_previous_key_is_removed() {
    use crate::oauth::*;
    let app = two_installed().await;
    // Two projects of A's that look like what a guest from B pitches in the shared channel.
    for title in ["Bin day finder for flats", "Bin day finder for houses"] {
        let a = app
            .slash_in(TEAM_A, "U0ANN", "C0SHARED", &format!("pitch {title}"))
            .await;
        assert_eq!(a.status, 200);
    }
    // The guest's pitch there, answered privately with a *Join* under each of those they
    // are not in: the value of A's project `number`'s.
    async fn join_value(app: &TestApp, number: u32) -> String {
        let answer = app
            .slash_in(TEAM_A, GUEST, "C0SHARED", "pitch Bin day finder")
            .await
            .json();
        answer["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["accessory"]["value"].as_str())
            .find(|v| v.starts_with(&format!("{number}@{TEAM_A}.")))
            .unwrap_or_else(|| panic!("no sealed Join of #{number}: {answer}"))
            .to_string()
    }
    // Pressed by the guest on their private answer; Slack names their own workspace.
    async fn press(app: &TestApp, value: &str) {
        let mut press = crate::buttons_and_councils::press_payload(
            GUEST,
            "join_project",
            value,
            "1700000300.000100",
        );
        press["team"]["id"] = TEAM_B.into();
        press["user"]["team_id"] = TEAM_B.into();
        press["container"]["is_ephemeral"] = true.into();
        let body = serde_urlencoded::to_string([("payload", press.to_string())]).unwrap();
        assert_eq!(app.interact(&body).await.status, 200);
    }
    let joined = |app: &TestApp, number: u32| {
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.team_id = '{TEAM_A}' AND p.number = {number} AND m.user_id = '{GUEST}'"
        ))
    };
    let before = [join_value(&app, 1).await, join_value(&app, 2).await];
    let (db, slack, _dir) = app.stop().await;
    let new_key: &'static str = "ab".repeat(32).leak();
    let settings = |previous: &'static str| {
        vec![
            ("SLACK_BOT_TOKEN", ""),
            ("SLACK_CLIENT_ID", CLIENT_ID),
            ("SLACK_CLIENT_SECRET", CLIENT_SECRET),
            ("MAKERS_SECRET_KEY", new_key),
            ("MAKERS_PREVIOUS_SECRET_KEY", previous),
        ]
    };

    // Changing the key: the answer given before still joins.
    let app = try_spawn_app_on(&db, slack.clone(), &settings(KEY))
        .await
        .unwrap();
    press(&app, &before[0]).await;
    assert_eq!(joined(&app, 1), 1, "joined A's #1 through the key before");
    app.stop().await;

    // Changed: the answer given before is out of date; one given since joins.
    let app = try_spawn_app_on(&db, slack, &settings("")).await.unwrap();
    press(&app, &before[1]).await;
    assert_eq!(joined(&app, 2), 0, "an answer sealed with the key before");
    let since = join_value(&app, 2).await;
    assert_ne!(since, before[1]);
    press(&app, &since).await;
    assert_eq!(joined(&app, 2), 1, "an answer sealed with the new key");
}
