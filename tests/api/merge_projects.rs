//! Two teams find they make the same thing (`/makers merge 1 into 2`): the first project is
//! retired and carries on as the second. Each thread says so, the first's with how its team
//! joins the second; `show` and `join` point there; nobody is put in a team they did not
//! join; brought back (`phase 1 alpha`), it is a project of its own again.

use crate::helpers::*;
use crate::teams::thread_lines;

const SAM: &str = "U0SAM";
const ANN: &str = "U0ANN";
const BOB: &str = "U0BOB";
const CAROL: &str = "U0CAROL";
const CHANNEL: &str = "C0MAKERS";

/// The lines of the thread of `ts` once one contains `words`.
async fn line_with(app: &TestApp, ts: &str, words: &str) -> String {
    eventually(&format!("{words:?} in the thread of {ts}"), SHORT, || {
        thread_lines(app, ts)
            .into_iter()
            .find(|l| l.contains(words))
    })
    .await
}

/// The first DM to `user` holding `words`, once there is one.
pub(crate) async fn dm_with(app: &TestApp, user: &str, words: &str) -> String {
    eventually(&format!("{words:?} in a DM to {user}"), SHORT, || {
        dms_to(app, user).into_iter().find(|d| d.contains(words))
    })
    .await
}

fn merged_into(app: &TestApp, number: u32) -> Option<u32> {
    app.db()
        .query_row(
            "SELECT i.number FROM project_merges m
              JOIN projects p ON p.id = m.project_id JOIN projects i ON i.id = m.into_id
             WHERE p.number = ?1",
            [number],
            |r| r.get(0),
        )
        .ok()
}

fn phase_of(app: &TestApp, number: u32) -> String {
    app.db()
        .query_row(
            "SELECT phase FROM projects WHERE number = ?1",
            [number],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn a_merged_project_is_retired_and_points_its_team_to_the_one_that_carries_on() {
    let app = spawn_app().await;
    let first = pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    app.slash(ANN, CHANNEL, "join 1").await;
    let second = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;

    let a = app.slash(SAM, CHANNEL, "merge 1 into 2").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let a = a.text();
    assert!(
        a.contains("*#1: Bin app* is merged into *#2: Bin day finder* and retired: the work carries on there.")
            && a.contains("I've said so in its thread and in the other's. One of its team, not in #2's, was asked to join it. I've told <@U0BOB>, who leads #2, in a DM. You're not in #2's team yet: `/makers join 2`."),
        "{a}"
    );
    assert_eq!(phase_of(&app, 1), "retired");
    assert_eq!(merged_into(&app, 1), Some(2));
    // Nobody was put in a team they did not join.
    let in_second = app.count(
        "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id WHERE p.number = 2",
    );
    assert_eq!(in_second, 1);

    // Its thread says where the work carries on, as a command a thread can run.
    let here = line_with(&app, &first, "merged *#1* into").await;
    assert!(
        here.contains("<@U0SAM> merged *#1* into *#2: Bin day finder* and retired it")
            && here.contains("`@makers join 2` joins its team."),
        "{here}"
    );
    // The other's thread hears of it, with how many of the team are not in it yet.
    let there = line_with(&app, &second, "merged *#1: Bin app* into *#2*").await;
    assert!(
        there.contains("its work carries on here. 2 of its team are not in this one yet, and have been asked to join."),
        "{there}"
    );
    // The announcement says where the team carries on, and asks nobody to join it.
    let corrected = eventually("the announcement corrected", SHORT, || {
        app.slack
            .calls("chat.update")
            .into_iter()
            .find(|c| c.body["ts"] == first.as_str())
    })
    .await;
    let corrected = message_text(&corrected.body);
    assert!(
        corrected.contains("It is merged into *#2: Bin day finder* and retired")
            && !corrected.contains("join_project"),
        "{corrected}"
    );
    // Who joined by a reaction does not follow the thread: told in their DM, with a Join
    // button for where the work carries on. Not whoever merged it, who was answered.
    let dm = eventually("the word to the team", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == ANN && message_text(&c.body).contains("merged"))
    })
    .await;
    let told = message_text(&dm.body);
    assert!(
        told.contains(
            "<@U0SAM> merged *#1: Bin app*, a team you are in, into *#2: Bin day finder*"
        ) && told.contains("press *Join*, or `/makers join 2`"),
        "{told}"
    );
    // A Join button for #2, naming this workspace sealed for Ann (see `shared_channels`).
    let value = dm.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["elements"][0]["value"].as_str())
        .unwrap_or_else(|| panic!("no Join: {}", dm.body))
        .to_string();
    assert!(value.starts_with(&format!("2@{TEAM}.")), "{value}");
    assert!(
        !dms_to(&app, SAM)
            .iter()
            .any(|d| d.contains("a team you are in"))
    );
    let mut press = crate::buttons_and_councils::press_payload(
        ANN,
        "join_project",
        &value,
        "1700000999.000100",
    );
    press["channel"]["id"] = "D0ANN".into();
    press["container"]["channel_id"] = "D0ANN".into();
    let body = serde_urlencoded::to_string([("payload", press.to_string())]).unwrap();
    assert_eq!(app.interact(&body).await.status, 200);
    eventually("Ann in #2's team", SHORT, || {
        (app.count(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.number = 2 AND m.user_id = 'U0ANN'",
        ) == 1)
            .then_some(())
    })
    .await;

    // `show` and `join` point where the team carries on.
    let shown = app.slash(CAROL, CHANNEL, "show 1").await.text();
    assert!(
        shown.contains("*Phase:* retired, merged into *#2: Bin day finder* (`/makers show 2`)"),
        "{shown}"
    );
    let join = app.slash(CAROL, CHANNEL, "join 1").await.text();
    assert!(
        join.contains("Project #1 was merged into *#2: Bin day finder*")
            && join.contains("`/makers join 2` joins it."),
        "{join}"
    );
    // The week's digest says it was merged, and where.
    let digest = app.slash(CAROL, CHANNEL, "digest preview").await.text();
    assert!(
        digest.contains("moved from discovery to *retired*, merged into *#2*"),
        "{digest}"
    );
    // A search, where people look for what is being done, and the retired list say where.
    let found = app.slash(CAROL, CHANNEL, "search bin app").await.text();
    assert!(
        found.contains("*#1* Bin app · retired, merged into *#2*"),
        "{found}"
    );
    let listed = app.slash(CAROL, CHANNEL, "list retired").await.text();
    assert!(
        listed.contains("*#1* Bin app · merged into *#2*"),
        "{listed}"
    );
    let joined = app.slash(CAROL, CHANNEL, "join 2").await.text();
    assert!(joined.contains("You're in the team for *#2"), "{joined}");

    // Brought back, it is a project of its own again.
    let back = app.slash(SAM, CHANNEL, "phase 1 alpha").await.text();
    assert!(back.contains("is now in *alpha*"), "{back}");
    // Whoever brings it back is told it was merged (someone else may have merged it moments
    // before, unseen by them).
    assert!(
        back.contains("It had been merged into #2, and is its own project again"),
        "{back}"
    );
    assert_eq!(merged_into(&app, 1), None);
    let undone = line_with(&app, &second, "back as a project of its own").await;
    assert!(
        undone.contains("<@U0SAM> brought *#1: Bin app* back as a project of its own: its work no longer carries on in *#2*."),
        "{undone}"
    );
    let shown = app.slash(CAROL, CHANNEL, "show 1").await.text();
    assert!(!shown.contains("merged into"), "{shown}");
    let join = app.slash(CAROL, CHANNEL, "join 1").await.text();
    assert!(!join.contains("merged"), "{join}");
}

#[tokio::test]
async fn a_merge_is_refused_with_the_reason_and_nothing_changes() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Old intranet | Gone").await;
    app.slash(BOB, CHANNEL, "phase 3 retired").await;
    let said = |user: &'static str, text: &'static str| {
        let app = &app;
        async move { app.slash(user, CHANNEL, text).await.text() }
    };

    let itself = said(SAM, "merge 1 into 1").await;
    assert!(itself.contains("can't be merged into itself"), "{itself}");
    let retired = said(SAM, "merge 1 into 3").await;
    assert!(
        retired.contains("Project #3 is retired, so #1 can't carry on there.")
            && retired.contains("`/makers phase 3 discovery`"),
        "{retired}"
    );
    let nowhere = said(SAM, "merge 1 into 9").await;
    assert!(nowhere.contains("There is no project #9"), "{nowhere}");
    // Only the team may retire it; someone of the other team likely meant it the other way.
    let outsider = said(CAROL, "merge 1 into 2").await;
    assert!(
        outsider.contains("Only the team can post on or change project #1."),
        "{outsider}"
    );
    let other_way = said(BOB, "merge 1 into 2").await;
    assert!(
        other_way.contains("Only the team of project #1 can merge it into another")
            && other_way.contains("`/makers merge 2 into 1` does it."),
        "{other_way}"
    );
    // #3 is retired, not merged: its team's refusal, not a command that cannot work.
    let retired_first = said(SAM, "merge 3 into 1").await;
    assert!(
        retired_first.contains("Only the team can post on or change project #3, and it is retired")
            && !retired_first.contains("`/makers merge 1 into 3`"),
        "{retired_first}"
    );
    let which = said(SAM, "merge 1").await;
    assert!(
        which.contains("Which project does #1 carry on as?")
            && which.contains("`/makers merge 1 into 4`: #1 would be retired"),
        "{which}"
    );
    let four = said(SAM, "merge 4").await;
    assert!(four.contains("`/makers merge 4 into 5`"), "{four}");
    assert_eq!(phase_of(&app, 1), "discovery");
    assert_eq!(merged_into(&app, 1), None);

    let done = said(SAM, "merge 1 into 2").await;
    assert!(done.contains("merged into *#2: Bin day finder*"), "{done}");
    let again = said(SAM, "merge 1 into 2").await;
    assert!(
        again.contains("Project #1 is merged into #2 already: nothing was changed."),
        "{again}"
    );
    // #2's team, seeing the "merged here" line, asks for it again: done already, not the
    // other way round (#1 is retired, so `merge 2 into 1` is always refused).
    let bob_again = said(BOB, "merge 1 into 2").await;
    assert!(
        bob_again.contains("is merged into #2 already")
            && !bob_again.contains("`/makers merge 2 into 1`"),
        "{bob_again}"
    );
    pitch_and_wait(&app, SAM, CHANNEL, "Bins again | Same").await;
    let elsewhere = said(SAM, "merge 1 into 4").await;
    assert!(
        elsewhere.contains("Project #1 is merged into #2 already. To merge it into another, bring it back first (`/makers phase 1 discovery`)"),
        "{elsewhere}"
    );
    assert_eq!(merged_into(&app, 1), Some(2));
    let help = said(SAM, "combine 1 2").await;
    assert!(help.contains("/makers merge"), "{help}");
}

#[tokio::test]
async fn a_private_channels_project_is_not_merged_with_another_channels() {
    let app = spawn_app().await;
    app.slack.private_channel("C0SECRET");
    let secret_first =
        pitch_and_wait(&app, SAM, "C0SECRET", "Staff rota finder | For our team").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Rota finder | For everyone").await;
    pitch_and_wait(&app, SAM, "C0SECRET", "Staff rota | Same again").await;

    for (text, said) in [
        (
            "merge 1 into 2",
            "I can't merge #1 into #2: #1 was pitched in a private channel, and #2 in another channel",
        ),
        (
            "merge 2 into 1",
            "I can't merge #2 into #1: #1 was pitched in a private channel, and #2 in another channel",
        ),
    ] {
        let a = app.slash(SAM, CHANNEL, text).await.text();
        assert!(
            a.contains(said) && a.contains("Nothing was changed."),
            "{a}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM project_merges"), 0);
    // In the same private channel, the names stay among its members: its thread says it,
    // and nobody is told in a DM, where the project is not shown to someone outside its team.
    app.slash(ANN, "C0SECRET", "join 3").await;
    let a = app.slash(SAM, "C0SECRET", "merge 3 into 1").await.text();
    assert!(
        a.contains("is merged into *#1: Staff rota finder*") && !a.contains("asked to join"),
        "{a}"
    );
    let there = line_with(&app, &secret_first, "merged *#3: Staff rota* into *#1*").await;
    assert!(
        there.contains("One of its team is not in this one yet.") && !there.contains("asked"),
        "{there}"
    );
    app.outbox_settled().await;
    assert!(
        dms_to(&app, ANN).iter().all(|d| !d.contains("merged")),
        "{:?}",
        dms_to(&app, ANN)
    );
}

#[tokio::test]
async fn merge_refusals_in_a_chain_point_where_the_work_carries_on_and_back_to_the_phase_it_had() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin days | For everyone").await;
    pitch_and_wait(&app, CAROL, CHANNEL, "Bin calendar | Printable").await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin reminders | By text").await;
    let said = |user: &'static str, text: &'static str| {
        let app = &app;
        async move { app.slash(user, CHANNEL, text).await.text() }
    };
    app.slash(SAM, CHANNEL, "merge 1 into 2").await;
    app.slash(BOB, CHANNEL, "merge 2 into 3").await;
    assert_eq!(merged_into(&app, 1), Some(3));

    // #1's team again: merged already, where the work is now (not "#2 is retired").
    let again = said(SAM, "merge 1 into 2").await;
    assert!(again.contains("merged into #3 already"), "{again}");
    // #2 carries on as #3: that is where #5 carries on too, not by bringing #2 back.
    let into_merged = said(ANN, "merge 5 into 2").await;
    assert!(
        into_merged.contains("`/makers merge 5 into 3`")
            && !into_merged.contains("`/makers phase 2"),
        "{into_merged}"
    );

    // A live project merged by mistake is brought back to live, not alpha.
    app.slash(CAROL, CHANNEL, "phase 4 live").await;
    app.slash(CAROL, CHANNEL, "merge 4 into 5").await;
    assert_eq!(merged_into(&app, 4), Some(5));
    let elsewhere = said(CAROL, "merge 4 into 3").await;
    assert!(
        elsewhere.contains("Project #4 is merged into #5 already")
            && elsewhere.contains("`/makers phase 4 live`"),
        "{elsewhere}"
    );
    // #4 retired by the merge from live: bringing it back as asked is to live too.
    let into_retired = said(ANN, "merge 5 into 4").await;
    assert!(
        into_retired.contains("Project #4 is merged into #5 already"),
        "{into_retired}"
    );
}

#[tokio::test]
async fn merged_in_turn_the_earlier_merges_follow_and_the_lead_hears_of_it() {
    let app = spawn_app().await;
    let first = pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    app.slash(ANN, CHANNEL, "join 1").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin days | For everyone").await;

    // Someone in the team who does not lead it: the lead is told, with how to undo it.
    app.slash(ANN, CHANNEL, "merge 1 into 2").await;
    let told = dm_with(&app, SAM, "and retired it").await;
    assert!(
        told.contains("<@U0ANN> merged *#1: Bin app* into *#2: Bin day finder* and retired it")
            && told.contains("`/makers phase 1 discovery` brings it back"),
        "{told}"
    );

    app.slash(BOB, CHANNEL, "merge 2 into 3").await;
    assert_eq!(merged_into(&app, 1), Some(3));
    // #1's announcement named #2: it names #3 now.
    eventually("#1's announcement naming #3", SHORT, || {
        app.slack.calls("chat.update").into_iter().find(|c| {
            c.body["ts"] == first.as_str()
                && message_text(&c.body).contains("It is merged into *#3: Bin days*")
        })
    })
    .await;
    assert_eq!(merged_into(&app, 2), Some(3));
    // #3 renamed: the announcements of #1 and #2 name it as it is called now (they kept
    // the old title).
    app.slash(BOB, CHANNEL, "edit 3 Bin day service").await;
    eventually("#1's announcement naming #3 as renamed", SHORT, || {
        app.slack.calls("chat.update").into_iter().find(|c| {
            c.body["ts"] == first.as_str()
                && message_text(&c.body).contains("It is merged into *#3: Bin day service*")
        })
    })
    .await;
    app.slash(BOB, CHANNEL, "edit 3 Bin days").await;
    let join = app.slash(CAROL, CHANNEL, "join 1").await.text();
    assert!(
        join.contains("Project #1 was merged into *#3: Bin days*"),
        "{join}"
    );
    // The lead heard once, as its lead, not also as one of its team.
    assert_eq!(
        dms_to(&app, SAM)
            .iter()
            .filter(|d| d.contains("merged *#1"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_merged_services_page_list_row_and_data_link_the_one_its_team_carries_on_as_once_that_is_public()
 {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    app.slash(SAM, CHANNEL, "publish 1").await;
    app.slash(SAM, CHANNEL, "merge 1 into 2").await;

    // The one it carries on as is not public yet: not named.
    let page = crate::catalogue::get(&app, "/catalogue/bin-app").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("This service is no longer developed: its work carries on in another Makers project, not in the catalogue yet.")
            && page.body.contains("content=\"Retired: merged into a project not in this catalogue.")
            && !page.body.contains("Merged into"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Bin day finder"), "{}", page.body);
    // The list and the data say so too, naming nothing not public.
    let list = crate::catalogue::get(&app, "/catalogue").await;
    assert!(
        list.body
            .contains("Merged into a project not in this catalogue")
            && !list.body.contains("Bin day finder"),
        "{}",
        list.body
    );
    let merged = |data: &serde_json::Value, slug: &str| {
        data["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == slug)
            .map(|p| p.get("mergedInto").cloned())
    };
    let data: serde_json::Value =
        serde_json::from_str(&crate::catalogue::get(&app, "/catalogue.json").await.body).unwrap();
    assert_eq!(
        merged(&data, "bin-app"),
        Some(Some(serde_json::Value::Null))
    );

    app.slash(BOB, CHANNEL, "publish 2").await;
    let list = crate::catalogue::get(&app, "/catalogue").await;
    assert!(
        list.body.contains(
            "<span class=\"hint\">Merged into <a href=\"catalogue/bin-day-finder\">Bin day finder</a></span>"
        ),
        "{}",
        list.body
    );
    let data: serde_json::Value =
        serde_json::from_str(&crate::catalogue::get(&app, "/catalogue.json").await.body).unwrap();
    let into = merged(&data, "bin-app").unwrap().unwrap();
    assert_eq!(into["slug"], "bin-day-finder");
    assert_eq!(into["name"], "Bin day finder");
    assert!(
        into["url"]
            .as_str()
            .unwrap()
            .ends_with("/catalogue/bin-day-finder"),
        "{into}"
    );
    // Only a merged service has the key: the contract's shape is unchanged for the rest.
    assert_eq!(merged(&data, "bin-day-finder"), Some(None));
    let page = crate::catalogue::get(&app, "/catalogue/bin-app").await;
    assert!(
        page.body.contains(
            "<dt>Merged into</dt><dd><a href=\"bin-day-finder\">Bin day finder</a>: its team carries on there</dd>"
        ) && page.body.contains(
            "This service is no longer developed: its work carries on in <a href=\"bin-day-finder\">Bin day finder</a>."
        ),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_merge_by_mention_in_a_channel_shared_with_another_organisation_is_refused() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, SAM, "C0SHARED", "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin day finder | For residents").await;
    let mut m = mention(
        "EvMergeShared",
        SAM,
        "C0SHARED",
        "1700000200.000100",
        "merge 1 into 2",
    );
    m["event"]["thread_ts"] = ts.as_str().into();
    m["is_ext_shared_channel"] = true.into();
    assert_eq!(app.event(&m).await.status, 200);
    let said = eventually("the answer", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .map(|c| message_text(&c.body))
            .find(|t| t.contains("merge"))
    })
    .await;
    assert!(
        said.contains("this channel is shared with another organisation")
            && said.contains("Nothing was changed."),
        "{said}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM project_merges"), 0);
}

#[tokio::test]
async fn a_council_re_using_a_merged_project_is_pointed_where_the_work_carries_on() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    app.slash(SAM, CHANNEL, "publish 1").await;
    app.slash(BOB, CHANNEL, "publish 2").await;
    app.slash(SAM, CHANNEL, "merge 1 into 2").await;
    app.slash(CAROL, CHANNEL, "council Kent County Council")
        .await;

    let by_number = app.slash(CAROL, CHANNEL, "reuse 1").await.text();
    assert!(
        by_number.contains("Project #1 is retired: it was merged into project #2, where its work carries on. If your council uses that, `/makers reuse 2` says so. Nothing was recorded."),
        "{by_number}"
    );
    let by_address = app.slash(CAROL, CHANNEL, "reuse bin-app").await.text();
    assert!(
        by_address.contains("`bin-app` is retired: it was merged into `bin-day-finder`")
            && by_address.contains("`/makers reuse bin-day-finder` says so"),
        "{by_address}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// A council that leads the project a merged one carries on as, or re-uses it already, is
/// told where the work carries on but not offered `reuse` of it, which would only be
/// refused ("your council's own work") or said again, as the DMs to re-users leave it out.
#[tokio::test]
async fn a_council_leading_or_re_using_where_the_work_carries_on_is_not_offered_reuse_of_it() {
    let app = spawn_app().await;
    app.slash(SAM, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    app.slash(BOB, CHANNEL, "council Waverley BC").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    app.slash(SAM, CHANNEL, "publish 1").await;
    app.slash(BOB, CHANNEL, "publish 2").await;
    app.slash(SAM, CHANNEL, "merge 1 into 2").await;
    // Waverley leads #2; Kent re-uses it already.
    app.slash(ANN, CHANNEL, "council Waverley BC").await;
    app.slash(CAROL, CHANNEL, "council Kent County Council")
        .await;
    app.slash(CAROL, CHANNEL, "reuse 2").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
    for asker in [ANN, CAROL] {
        let by_number = app.slash(asker, CHANNEL, "reuse 1").await.text();
        assert!(
            by_number.contains(
                "Project #1 is retired: it was merged into project #2, where its work carries on."
            ) && !by_number.contains("/makers reuse 2"),
            "{asker}: {by_number}"
        );
        let by_address = app.slash(asker, CHANNEL, "reuse bin-app").await.text();
        assert!(
            by_address.contains("`bin-app` is retired: it was merged into `bin-day-finder`")
                && !by_address.contains("/makers reuse bin-day-finder"),
            "{asker}: {by_address}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
}

#[tokio::test]
async fn a_project_retired_before_it_is_merged_is_brought_back_to_the_phase_it_had() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    app.slash(ANN, CHANNEL, "join 1").await;
    app.slash(SAM, CHANNEL, "phase 1 beta").await;
    app.slash(SAM, CHANNEL, "phase 1 retired").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;

    app.slash(ANN, CHANNEL, "merge 1 into 2").await;
    let told = dm_with(&app, SAM, "retired already").await;
    assert!(
        told.contains("<@U0ANN> merged *#1: Bin app*, retired already, into *#2: Bin day finder*: the work carries on there")
            && told.contains("`/makers phase 1 beta` brings it back"),
        "{told}"
    );
}

#[tokio::test]
async fn whoever_left_slack_is_not_counted_among_those_asked_to_join() {
    let app = spawn_app().await;
    let first = pitch_and_wait(&app, SAM, CHANNEL, "Bin app | Which bin goes out").await;
    app.slash(ANN, CHANNEL, "join 1").await;
    app.slash(SAM, CHANNEL, "phase 1 retired").await;
    let second = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder | For residents").await;
    app.event(&crate::left_slack::user_change("EvUcSam", SAM, true))
        .await;
    eventually("Sam noted as gone", SHORT, || {
        (app.count("SELECT COUNT(*) FROM people WHERE left_slack_at IS NOT NULL") == 1)
            .then_some(())
    })
    .await;

    app.slash(ANN, CHANNEL, "merge 1 into 2").await;
    let there = line_with(&app, &second, "merged *#1: Bin app* into *#2*").await;
    assert!(
        there.contains("One of its team is not in this one yet, and has been asked to join."),
        "{there}"
    );
    assert!(!there.contains("2 of its team"), "{there}");
    line_with(&app, &first, "merged *#1* into").await;
}

#[tokio::test]
async fn a_merge_across_a_channel_slack_says_is_shared_is_refused_however_it_is_asked() {
    let app = spawn_app().await;
    app.slack.shared_channel("C0SHARED");
    pitch_and_wait(&app, SAM, "C0SHARED", "Bin app | Which bin goes out").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin day finder | For residents").await;
    // Slack said so when the bot asked whether it is private, before the announcement.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM channels WHERE channel_id = 'C0SHARED' AND shared = 1"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM channels WHERE channel_id = 'C0MAKERS' AND shared = 0"),
        1
    );
    // Typed in the workspace's own channel, where no mention says the other is shared.
    for (asked, shared) in [("merge 1 into 2", "#1"), ("merge 2 into 1", "#1")] {
        let a = app.slash(SAM, CHANNEL, asked).await;
        assert!(
            a.said().contains(&format!(
                "{shared} was pitched in a channel shared with another workspace or organisation, and #2 in a different channel"
            )) && a.said().ends_with("Nothing was changed."),
            "{asked}: {}",
            a.said()
        );
    }
    assert_eq!(merged_into(&app, 1), None);
    assert_eq!(merged_into(&app, 2), None);
    assert_eq!(phase_of(&app, 1), "discovery");
    // Two of the shared channel itself: its thread is read there already.
    pitch_and_wait(&app, SAM, "C0SHARED", "Bin finder").await;
    let a = app.slash(SAM, "C0SHARED", "merge 3 into 1").await;
    assert!(
        a.said().contains("is merged into *#1: Bin app*"),
        "{}",
        a.said()
    );
}

/// A project merged into one whose channel is made private since (Slack's daily look says
/// so): renaming that one does not write its new title into the merged project's
/// announcement in a public channel, where `show` leaves it out too. It reads as retired.
#[tokio::test]
async fn a_merge_target_in_a_channel_made_private_since_is_not_named_in_a_public_announcement() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, "C0OPEN", "Bin day finder").await;
    pitch_and_wait(&app, SAM, "C0LATER", "Bin day app").await;
    let a = app.slash(SAM, "C0OPEN", "merge 1 into 2").await.text();
    assert!(a.contains("#2"), "{a}");
    app.outbox_settled().await;
    app.db()
        .execute(
            "INSERT OR REPLACE INTO channels (team_id, channel_id, private, shared)
             VALUES (?1, 'C0LATER', 1, 0)",
            [TEAM],
        )
        .unwrap();
    let before = app.slack.calls("chat.update").len();
    app.slash(SAM, "C0LATER", "edit 2 Secret restructure tool")
        .await;
    app.outbox_settled().await;
    let corrected: Vec<String> = app.slack.calls("chat.update")[before..]
        .iter()
        .filter(|c| c.body["channel"] == "C0OPEN")
        .map(|c| c.body.to_string())
        .collect();
    assert!(
        !corrected.is_empty(),
        "the merged one's announcement corrected"
    );
    for body in &corrected {
        assert!(!body.contains("Secret restructure"), "{body}");
        assert!(body.contains("retired"), "{body}");
    }
}

/// A project merged into another, its own channel made private since (the merge across a
/// private channel is refused, so it was public then), brought back: the line in the other
/// project's public thread says which came back by number, not by its title, which is shown
/// only in its channel and to its team.
#[tokio::test]
async fn a_merged_project_in_a_channel_made_private_since_is_not_named_when_brought_back() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, "C0OPEN", "Bin day finder").await;
    pitch_and_wait(&app, SAM, "C0LATER", "Bin day app").await;
    let a = app.slash(SAM, "C0OPEN", "merge 1 into 2").await.text();
    assert!(a.contains("#2"), "{a}");
    app.outbox_settled().await;
    app.db()
        .execute(
            "INSERT OR REPLACE INTO channels (team_id, channel_id, private, shared)
             VALUES (?1, 'C0OPEN', 1, 0)",
            [TEAM],
        )
        .unwrap();
    let before = app.slack.calls("chat.postMessage").len();
    let a = app.slash(SAM, "C0OPEN", "phase 1 alpha").await.text();
    assert!(a.contains("alpha"), "{a}");
    let line = eventually("the line in #2's thread", SHORT, || {
        app.slack.calls("chat.postMessage")[before..]
            .iter()
            .find(|c| c.body["channel"] == "C0LATER")
            .map(|c| message_text(&c.body))
    })
    .await;
    assert!(
        line.contains("back as a project of its own") && line.contains("*#1*"),
        "{line}"
    );
    assert!(!line.contains("Bin day finder"), "{line}");
}

/// A digest queued while Slack is down, then one of its projects retired (`phase`) and
/// another merged: it goes out inviting nobody to join either, as a digest made after
/// would not (SHOWN-FIGURES 1).
#[tokio::test]
async fn a_digest_still_to_be_posted_invites_nobody_into_a_project_retired_or_merged_since() {
    const DIGEST: &str = "C0DIGEST";
    // The digests posted (not the line saying the channel gets them).
    let digests = |app: &TestApp| -> Vec<String> {
        let posted = posted_to(&app.slack, DIGEST).into_iter();
        posted.filter(|t| t.contains("Makers digest, ")).collect()
    };
    let app = spawn_app().await;
    app.slash("U1", DIGEST, "digest").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Pothole reporter").await;
    app.clock
        .advance_days(crate::digests::days_to_next_monday(&app));
    eventually("the first digest", SHORT, || digests(&app).first().cloned()).await;
    // Next week: #1 and #2 need people, #3 is new.
    pitch_and_wait(&app, SAM, CHANNEL, "Street light map").await;
    app.outbox_settled().await;
    // Slack refusing every post, the next week's digest waits in the outbox.
    app.slack.always("chat.postMessage", Script::Status(503));
    app.clock.advance_days(7);
    // Its first try refused and recorded, and the clock stopped so that no retry comes due
    // until the test moves it: none is at Slack with the digest as it was when the edits
    // are made.
    app.clock.stop();
    let row = eventually("the second digest tried and refused", SHORT, || {
        app.db()
            .query_row(
                "SELECT notice FROM outbox WHERE delivered_at IS NULL AND last_error IS NOT NULL
                 AND json_extract(notice, '$.notice.kind') = 'digest'",
                [],
                |r| r.get::<_, String>(0),
            )
            .ok()
    })
    .await;
    assert!(
        row.contains("Street light map") && row.contains("Bin day finder"),
        "{row}"
    );

    app.slash(SAM, CHANNEL, "phase 1 retired").await;
    app.slash(SAM, CHANNEL, "merge 3 into 2").await;

    app.slack.heal("chat.postMessage");
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    let posted = eventually("the second digest", SHORT, || digests(&app).get(1).cloned()).await;
    assert!(
        posted.contains("`/makers join 2`") && posted.contains("#2 Pothole reporter"),
        "#2 still needs people: {posted}"
    );
    assert!(
        !posted.contains("Bin day finder") && !posted.contains("`/makers join 1`"),
        "retired since: {posted}"
    );
    assert!(
        !posted.contains("Street light map"),
        "merged since: {posted}"
    );
}

/// #1 merged into #2, then #2's channel made private: the digest of #1's channel says #1
/// was merged, and not into which, as `list retired` there does (SHOWN-FIGURES 2).
#[tokio::test]
async fn the_digest_does_not_name_a_merge_target_in_a_channel_made_private_since() {
    let app = spawn_app().await;
    pitch_and_wait(&app, SAM, "C0OPEN", "Bin app").await;
    pitch_and_wait(&app, SAM, "C0LATER", "Bin day finder").await;
    let a = app.slash(SAM, "C0OPEN", "merge 1 into 2").await.text();
    assert!(a.contains("#2"), "{a}");
    app.outbox_settled().await;

    app.db()
        .execute(
            "INSERT OR REPLACE INTO channels (team_id, channel_id, private, shared)
             VALUES (?1, 'C0LATER', 1, 0)",
            [TEAM],
        )
        .unwrap();
    let digest = app.slash(CAROL, "C0OPEN", "digest preview").await.text();
    assert!(
        digest.contains("moved from discovery to *retired*") && !digest.contains("#2"),
        "{digest}"
    );
    let listed = app.slash(CAROL, "C0OPEN", "list retired").await.text();
    assert!(listed.contains("#1") && !listed.contains("#2"), "{listed}");
}
