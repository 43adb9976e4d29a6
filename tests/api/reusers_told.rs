//! A council that re-uses a project runs it: it hears, in a DM to whoever said the re-use,
//! when the project's team retires it, merges it into another or brings it back (its team
//! hears in its thread). By number in the project's workspace, by catalogue address from
//! another; never naming a private channel's project outside it. The lead of a project
//! another is merged into hears of it in their DM too.

use crate::helpers::*;
use crate::merge_projects::dm_with;

const LEAD: &str = "U0LEAD";
const BOB: &str = "U0BOB";
const WAV: &str = "U0WAV";
const MOLE: &str = "U0MOLE";
const TEAMMATE: &str = "U0TEAMMATE";
const CHANNEL: &str = "C0MAKERS";

/// `user` says they work for `council` and that it re-uses `project`.
async fn reuses(app: &TestApp, user: &str, council: &str, project: &str) {
    app.slash(user, CHANNEL, &format!("council {council}"))
        .await;
    let a = app.slash(user, CHANNEL, &format!("reuse {project}")).await;
    assert!(a.said().contains("Recorded"), "{}", a.said());
}

/// The DMs to `user` that tell of a re-used project, once the outbox has settled.
async fn news_to(app: &TestApp, user: &str) -> Vec<String> {
    app.outbox_settled().await;
    dms_to(app, user)
        .into_iter()
        .filter(|d| d.contains(":recycle:") && d.contains("recorded as re-using"))
        .collect()
}

#[tokio::test]
async fn retiring_a_reused_project_tells_whoever_said_each_re_use_and_so_does_bringing_it_back() {
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    reuses(&app, WAV, "Waverley Borough Council", "1").await;
    // In its team: hears in the thread, not in a DM.
    app.slash(TEAMMATE, CHANNEL, "join 1").await;
    reuses(&app, TEAMMATE, "Woking Borough Council", "1").await;
    // Moved to another council since: the old council's re-use is no longer their word.
    reuses(&app, MOLE, "Mole Valley District Council", "1").await;
    app.slash(MOLE, CHANNEL, "council Surrey County Council")
        .await;

    let a = app.slash(LEAD, CHANNEL, "phase 1 retired").await;
    assert!(
        a.said().contains(
            "is now *retired*. I've said so in its thread. I've told Waverley Borough Council, which re-uses it, in a DM to whoever said so."
        ),
        "{}",
        a.said()
    );
    let told = dm_with(&app, WAV, "was retired").await;
    assert!(
        told.contains(
            ":recycle: *#1: Bin day finder* was retired by <@U0LEAD>: its team no longer works on it. Waverley Borough Council is still recorded as re-using it. If the council stops using it: `/makers unreuse 1`."
        ),
        "{told}"
    );
    assert_eq!(news_to(&app, TEAMMATE).await, Vec::<String>::new());
    assert_eq!(news_to(&app, MOLE).await, Vec::<String>::new());

    let a = app.slash(LEAD, CHANNEL, "phase 1 beta").await;
    assert!(
        a.said().contains(
            "I've told Waverley Borough Council, which re-uses it, in a DM to whoever said so."
        ),
        "{}",
        a.said()
    );
    let back = dm_with(&app, WAV, "was brought back").await;
    assert!(
        back.contains(
            "*#1: Bin day finder* was brought back by <@U0LEAD>: it is in *beta* now, and its team works on it again. Waverley Borough Council is still recorded as re-using it."
        ),
        "{back}"
    );
    // Any other move is the thread's news alone.
    app.slash(LEAD, CHANNEL, "phase 1 live").await;
    assert_eq!(news_to(&app, WAV).await.len(), 2);
}

#[tokio::test]
async fn a_merge_tells_the_councils_that_reuse_it_where_the_work_goes_and_the_other_lead() {
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin app").await;
    reuses(&app, WAV, "Waverley Borough Council", "1").await;

    let a = app.slash(LEAD, CHANNEL, "merge 1 into 2").await;
    assert!(
        a.said().contains(
            "I've told <@U0BOB>, who leads #2, in a DM. I've told Waverley Borough Council, which re-uses it, in a DM to whoever said so."
        ),
        "{}",
        a.said()
    );
    let told = dm_with(&app, WAV, "was merged into").await;
    assert!(
        told.contains(
            ":recycle: *#1: Bin day finder* was merged into *#2: Bin app* by <@U0LEAD>: its work carries on there, and it is retired. Waverley Borough Council is still recorded as re-using it. If the council uses #2 instead now: `/makers reuse 2`, then `/makers unreuse 1`."
        ),
        "{told}"
    );
    // The re-use stays where the council said it.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM reuses r JOIN projects p ON p.id = r.project_id
              WHERE p.number = 1"
        ),
        1
    );
    // The other lead welcomes the newcomers (whoever merged it, asked in the answer to join):
    // told in their DM, not only in the thread.
    let lead = dm_with(&app, BOB, "which you lead").await;
    assert!(
        lead.contains(
            ":twisted_rightwards_arrows: <@U0LEAD> merged *#1: Bin day finder* into *#2: Bin app*, which you lead: its work carries on in yours, and #1 is retired. One of its team is not in yours yet, and has been asked to join. `/makers show 1` lists its team. If yours should not take this on, talk to <@U0LEAD>: #1's team can undo it with `/makers phase 1 discovery`."
        ),
        "{lead}"
    );
    // Brought back, it is a project of its own again: said, for a council that moved.
    app.slash(LEAD, CHANNEL, "phase 1 alpha").await;
    let back = dm_with(&app, WAV, "was brought back").await;
    assert!(
        back.contains("was brought back by <@U0LEAD> as a project of its own (no longer merged into another): it is in *alpha* now"),
        "{back}"
    );
    // Whoever merged it is answered, not told in a DM as well.
    app.outbox_settled().await;
    assert!(
        !dms_to(&app, LEAD)
            .iter()
            .any(|d| d.contains("which you lead") || d.contains("recorded as re-using")),
    );
}

#[tokio::test]
async fn a_council_in_another_workspace_is_told_by_the_catalogue_address_while_it_is_published() {
    const THEIRS: &str = "T0THEIRS";
    const GUILD: &str = "U0GUILDTHEIRS";
    // Where people can reach the catalogue: its page is linked.
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    app.slash(LEAD, CHANNEL, "publish 1").await;
    app.slash_in(
        THEIRS,
        GUILD,
        "C0THEIRS",
        "council Guildford Borough Council",
    )
    .await;
    let a = app
        .slash_in(THEIRS, GUILD, "C0THEIRS", "reuse bin-day-finder")
        .await;
    assert!(a.said().contains("Recorded"), "{}", a.said());

    app.slash(LEAD, CHANNEL, "phase 1 retired").await;
    let told = dm_with(&app, GUILD, "was retired").await;
    assert!(
        told.contains(
            ":recycle: *Bin day finder* (`bin-day-finder` in the catalogue) was retired: its team no longer works on it. Guildford Borough Council is still recorded as re-using it. <https://makers.example.gov.uk/catalogue/bin-day-finder|Its page"
        ) && told.contains("in the public catalogue> says so too. If the council stops using it: `/makers unreuse bin-day-finder`."),
        "{told}"
    );
    // Another workspace's people are not named there, nor its numbers.
    assert!(!told.contains("<@") && !told.contains("#1"), "{told}");

    // Out of the catalogue, it is not theirs to see: not told it came back.
    app.slash(LEAD, CHANNEL, "unpublish 1").await;
    app.slash(LEAD, CHANNEL, "phase 1 alpha").await;
    assert_eq!(news_to(&app, GUILD).await.len(), 1);
}

#[tokio::test]
async fn a_private_channels_project_is_not_named_in_a_dm_to_a_council_outside_its_team() {
    const SECRET: &str = "C0SECRET";
    let app = spawn_app().await;
    app.slack.private_channel(SECRET);
    pitch_and_wait(&app, LEAD, SECRET, "Staff rota finder").await;
    app.slash(WAV, SECRET, "council Waverley Borough Council")
        .await;
    let a = app.slash(WAV, SECRET, "reuse 1").await;
    assert!(a.said().contains("Recorded"), "{}", a.said());

    let a = app.slash(LEAD, SECRET, "phase 1 retired").await;
    assert!(!a.said().contains("re-uses it was told"), "{}", a.said());
    assert_eq!(news_to(&app, WAV).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_merge_of_a_retired_project_says_so_and_offers_no_re_use_a_council_has_already() {
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin app").await;
    // The re-uses said in one second, so that the answer names their councils by name, as
    // asserted: the clock runs with real time, and on a loaded machine the second turned
    // between them, which names the one said first first (a CI run met it).
    app.clock.stop();
    reuses(&app, WAV, "Waverley Borough Council", "1").await;
    reuses(&app, WAV, "Waverley Borough Council", "2").await;
    reuses(&app, MOLE, "Mole Valley District Council", "1").await;
    app.slash(LEAD, CHANNEL, "phase 1 retired").await;
    let a = app.slash(LEAD, CHANNEL, "merge 1 into 2").await;
    assert!(
        a.said()
            .contains("I've told the councils that re-use it, Mole Valley District Council and Waverley Borough Council, each in a DM to whoever said so."),
        "{}",
        a.said()
    );
    let told = dm_with(&app, WAV, "was merged into").await;
    assert!(
        told.contains(
            ":recycle: *#1: Bin day finder*, retired already, was merged into *#2: Bin app* by <@U0LEAD>: its work carries on there, and it is retired. Waverley Borough Council is still recorded as re-using it."
        ) && !told.contains("reuse 2"),
        "Waverley re-uses #2 already: {told}"
    );
    let told = dm_with(&app, MOLE, "was merged into").await;
    assert!(
        told.contains("`/makers reuse 2`, then `/makers unreuse 1`."),
        "{told}"
    );
}

#[tokio::test]
async fn a_lead_of_both_projects_is_told_once() {
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin app").await;
    app.slash(BOB, CHANNEL, "join 1").await;
    app.slash(BOB, CHANNEL, "merge 1 into 2").await;
    dm_with(&app, LEAD, "merged *#1: Bin day finder*").await;
    app.outbox_settled().await;
    let told: Vec<String> = dms_to(&app, LEAD)
        .into_iter()
        .filter(|d| d.contains("merged"))
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(!told[0].contains("which you lead"), "{told:?}");
}

#[tokio::test]
async fn the_home_says_what_your_council_re_uses_retired_first_and_where_each_stands() {
    const SECRET: &str = "C0SECRET";
    let app = spawn_app().await;
    app.slack.private_channel(SECRET);
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bin app").await;
    pitch_and_wait(&app, LEAD, SECRET, "Staff rota finder").await;
    // Another workspace's service, published there and re-used from here by its address.
    app.slash_in("T0THIRD", "U0THIRD", "C0THIRD", "pitch Pothole map")
        .await;
    app.outbox_settled().await;
    app.slash_in("T0THIRD", "U0THIRD", "C0THIRD", "publish 1")
        .await;
    reuses(&app, WAV, "Waverley Borough Council", "1").await;
    reuses(&app, WAV, "Waverley Borough Council", "2").await;
    reuses(&app, WAV, "Waverley Borough Council", "pothole-map").await;
    // Said in the private channel: its project is not the Home's to show to a colleague.
    let a = app.slash(WAV, SECRET, "reuse 3").await;
    assert!(a.said().contains("Recorded"), "{}", a.said());
    app.slash(LEAD, CHANNEL, "merge 1 into 2").await;

    // A colleague of the same council opens their Home.
    app.slash("U0WAV2", CHANNEL, "council Waverley Borough Council")
        .await;
    let view = crate::home::open_home(&app, "U0WAV2", 1).await;
    let text = message_text(&view);
    assert!(
        text.contains("*What your council re-uses*\n• *#1* Bin day finder · *retired*, merged into *#2*\n• *Pothole map* (`pothole-map` in the catalogue) · in discovery\n• *#2* Bin app · in discovery"),
        "{text}"
    );
    assert!(!text.contains("Staff rota"), "{text}");

    // All of them in Slack, for them alone (the Home shows five).
    let a = app.slash("U0WAV2", CHANNEL, "list reused").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    assert_eq!(
        a.blocks(),
        "*What Waverley Borough Council re-uses (3)*, retired ones first\n\
         • *#1* Bin day finder · *retired*, merged into *#2*\n\
         • *Pothole map* (`pothole-map` in the catalogue) · in discovery\n\
         • *#2* Bin app · in discovery\n"
    );
    // Whoever said the private channel's re-use sees it there; its team by mention anywhere
    // (the answer is theirs alone, so it is worked out for them).
    let a = app.slash(WAV, SECRET, "list reused").await;
    assert!(a.blocks().contains("Staff rota finder"), "{}", a.blocks());
    app.slash(LEAD, CHANNEL, "council Waverley Borough Council")
        .await;
    app.event(&mention(
        "EvREUSED",
        LEAD,
        CHANNEL,
        "1700000100.000900",
        "list reused",
    ))
    .await;
    let text = eventually("the list by mention, to the lead alone", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .filter(|c| c.body["user"] == LEAD)
            .map(|c| message_text(&c.body))
            .find(|t| t.contains("What Waverley Borough Council re-uses"))
    })
    .await;
    assert!(
        text.contains("Staff rota finder") && text.contains("Pothole map"),
        "{text}"
    );
    // A page past the last.
    let a = app.slash("U0WAV2", CHANNEL, "list reused page 2").await;
    assert_eq!(
        a.said(),
        "The whole list fits on one page: `/makers list reused` shows it."
    );
    // Someone who has not said their council is told how, and one that re-uses nothing so.
    let a = app.slash("U0NEW", CHANNEL, "list reused").await;
    assert!(
        a.said().starts_with(
            "Re-use is recorded for your council, and I don't know which council you work for yet."
        ),
        "{}",
        a.said()
    );
    app.slash("U0GUI", CHANNEL, "council Guildford Borough Council")
        .await;
    let a = app.slash("U0GUI", CHANNEL, "list reused").await;
    assert!(
        a.said().starts_with(
            "I have no project that Guildford Borough Council re-uses to show you here."
        ),
        "{}",
        a.said()
    );
}

/// Another workspace's service merged into another of its own: the Home, `list reused` and a
/// search say where its work carries on, by catalogue address, as its page, `show
/// <address>` and the DM say; and say nothing of it once that one leaves the catalogue.
#[tokio::test]
async fn another_workspaces_merged_service_says_where_it_carries_on_while_that_is_published() {
    const THIRD: &str = "T0THIRD";
    let app = spawn_app().await;
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "pitch Pothole map")
        .await;
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "pitch Road defects")
        .await;
    app.outbox_settled().await;
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "publish 1").await;
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "publish 2").await;
    reuses(&app, WAV, "Waverley Borough Council", "pothole-map").await;
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "merge 1 into 2")
        .await;

    let line = "• *Pothole map* (`pothole-map` in the catalogue) · *retired*, merged into *Road defects* (`road-defects` in the catalogue)";
    let a = app.slash(WAV, CHANNEL, "list reused").await;
    assert!(a.blocks().contains(line), "{}", a.blocks());
    let text = message_text(&crate::home::open_home(&app, WAV, 1).await);
    assert!(text.contains(line), "{text}");
    let a = app.slash(WAV, CHANNEL, "search pothole map").await;
    assert!(
        a.blocks().contains(
            "• *Pothole map* (`pothole-map` in the catalogue) · retired, merged into *Road defects* (`road-defects` in the catalogue)"
        ),
        "{}",
        a.blocks()
    );

    // Out of the catalogue, its name is not for another workspace: retired, and no more.
    app.slash_in(THIRD, "U0THIRD", "C0THIRD", "unpublish 2")
        .await;
    let a = app.slash(WAV, CHANNEL, "list reused").await;
    assert!(
        a.blocks()
            .contains("• *Pothole map* (`pothole-map` in the catalogue) · *retired*\n"),
        "{}",
        a.blocks()
    );
    let text = message_text(&crate::home::open_home(&app, WAV, 2).await);
    let a = app.slash(WAV, CHANNEL, "search pothole map").await;
    for shown in [a.blocks(), text] {
        assert!(!shown.contains("Road defects"), "{shown}");
        assert!(!shown.contains("road-defects"), "{shown}");
    }
}

#[tokio::test]
async fn a_lead_of_both_who_left_the_first_team_is_told_as_the_others_lead() {
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin app").await;
    app.slash(BOB, CHANNEL, "join 1").await;
    let a = app.slash(LEAD, CHANNEL, "leave 1").await;
    assert_eq!(a.status, 200);
    app.slash(BOB, CHANNEL, "merge 1 into 2").await;
    let told = dm_with(&app, LEAD, "which you lead").await;
    assert!(
        told.contains("<@U0BOB> merged *#1: Bin day finder* into *#2: Bin app*, which you lead"),
        "{told}"
    );
}

/// Someone whose council was said in another workspace (an Enterprise Grid member, one id in
/// both) says here, where they never said one, that it re-uses a project: it is recorded for
/// that council, and they are told, as anyone who said a re-use is, when it is retired.
#[tokio::test]
async fn a_reuse_by_someone_whose_council_was_said_in_another_workspace_is_told() {
    const GRID: &str = "U0GRID";
    let app = spawn_app().await;
    pitch_and_wait(&app, LEAD, CHANNEL, "Bin day finder").await;
    app.slash_in("T0THEIRS", GRID, "C0THEIRS", "council Waverley BC")
        .await;
    let a = app.slash(GRID, CHANNEL, "reuse 1").await;
    assert!(
        a.said().contains("Recorded") && a.said().contains("Waverley"),
        "{}",
        a.said()
    );
    let a = app.slash(LEAD, CHANNEL, "phase 1 retired").await;
    assert!(
        a.said().contains("I've told Waverley Borough Council"),
        "{}",
        a.said()
    );
    let told = dm_with(&app, GRID, "was retired").await;
    assert!(
        told.contains("Waverley Borough Council is still recorded as re-using it"),
        "{told}"
    );
}
