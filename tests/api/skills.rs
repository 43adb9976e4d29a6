//! Skills: what people offer (`/makers skills`), what teams want (`/makers wants`), and
//! `list needs`. Nobody is messaged because their skills match: they find out when they look.

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const PITCHER: &str = "U0PITCHER";

fn rows(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM {table}"))
}

#[tokio::test]
async fn a_person_records_shows_and_clears_the_skills_they_offer() {
    let app = spawn_app().await;
    let a = app.slash("U0DEV", CHANNEL, "skills").await;
    assert!(
        a.said().starts_with("I hold no skills for you."),
        "{}",
        a.said()
    );

    let a = app
        .slash("U0DEV", CHANNEL, "skills developer, User Research")
        .await;
    assert!(
        a.said()
            .starts_with("Recorded: you offer *developer, user researcher*."),
        "{}",
        a.said()
    );
    assert_eq!(rows(&app, "person_skills"), 2);
    let a = app.slash("U0DEV", CHANNEL, "skills").await;
    assert!(
        a.said()
            .starts_with("You offer *developer, user researcher*."),
        "{}",
        a.said()
    );
    // Someone else's are their own.
    let a = app.slash("U0OTHER", CHANNEL, "skills").await;
    assert!(
        a.said().starts_with("I hold no skills for you."),
        "{}",
        a.said()
    );

    let a = app
        .slash("U0DEV", CHANNEL, "skills developer, juggling")
        .await;
    assert_eq!(
        a.said(),
        "`juggling` is not one of the skills I know. Use developer, designer, user researcher, content designer, delivery manager, product owner, data or other, e.g. `developer, user research` (`/makers help skills` says more)."
    );
    assert_eq!(rows(&app, "person_skills"), 2, "nothing changed");

    let a = app.slash("U0DEV", CHANNEL, "skills none").await;
    assert_eq!(a.said(), "Done: I no longer hold any skills for you.");
    assert_eq!(rows(&app, "person_skills"), 0);
}

#[tokio::test]
async fn only_the_team_says_what_a_project_wants_and_its_thread_and_show_are_told() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0DEV", CHANNEL, "skills developer").await;

    let a = app.slash("U0OUTSIDER", CHANNEL, "wants 1 developer").await;
    assert!(
        a.said()
            .starts_with("Only the team can post on or change project #1"),
        "{}",
        a.said()
    );
    assert_eq!(rows(&app, "project_skills"), 0);

    let posts_before = app.slack.calls("chat.postMessage").len();
    let a = app
        .slash(PITCHER, CHANNEL, "wants #1 developer, user research")
        .await;
    assert_eq!(
        a.said(),
        "Recorded: *#1: Bin day finder* is looking for *developer, user researcher*. `/makers show 1` lists them, and people find it with `/makers list needs &lt;skill&gt;`. I've corrected its announcement to match and said so in its thread."
    );
    app.outbox_settled().await;
    let posts = app.slack.calls("chat.postMessage");
    let new: Vec<_> = posts[posts_before..].iter().collect();
    assert_eq!(
        new.len(),
        1,
        "one line in the thread, and no DM to U0DEV: {new:?}"
    );
    assert_eq!(new[0].body["channel"], CHANNEL);
    assert_eq!(new[0].body["thread_ts"], ts.as_str());
    assert_eq!(
        fallback_text(&new[0].body),
        format!(
            ":mag: The team is looking for: *developer, user researcher*. Can you help? `@makers join 1` (set by <@{PITCHER}>)"
        )
    );
    assert!(app.slack.calls("chat.postEphemeral").is_empty());

    let show = app.slash("U0ANYONE", CHANNEL, "show 1").await;
    assert!(
        show.blocks()
            .contains("*Wanted:* developer, user researcher"),
        "{}",
        show.blocks()
    );

    let a = app
        .slash(PITCHER, CHANNEL, "wants 1 developer, user researcher")
        .await;
    assert_eq!(
        a.said(),
        "*#1: Bin day finder* was already looking for *developer, user researcher*."
    );
    // A member who joined may change it; `none` clears it.
    app.slash("U0JOINER", CHANNEL, "join 1").await;
    let a = app.slash("U0JOINER", CHANNEL, "wants 1 none").await;
    assert!(
        a.said()
            .starts_with("Done: *#1: Bin day finder* no longer lists skills it wants."),
        "{}",
        a.said()
    );
    assert_eq!(rows(&app, "project_skills"), 0);
    let show = app.slash("U0ANYONE", CHANNEL, "show 1").await;
    assert!(!show.blocks().contains("Wanted"), "{}", show.blocks());
    app.outbox_settled().await;
    let cleared = "<@U0JOINER> says the team isn't looking for particular skills any more.";
    assert!(
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["thread_ts"] == ts.as_str() && fallback_text(&c.body) == cleared),
        "the thread is told"
    );
}

#[tokio::test]
async fn list_needs_finds_open_projects_wanting_a_skill_and_skills_names_them() {
    let app = spawn_app().await;
    for title in ["Bin day finder", "Parking permits", "Old forms"] {
        pitch_and_wait(&app, PITCHER, CHANNEL, title).await;
    }
    app.slash(PITCHER, CHANNEL, "wants 1 developer, data").await;
    app.slash(PITCHER, CHANNEL, "wants 2 designer").await;
    app.slash(PITCHER, CHANNEL, "wants 3 developer").await;
    app.slash(PITCHER, CHANNEL, "phase 3 retired").await;

    let a = app.slash("U0ANYONE", CHANNEL, "list needs dev").await;
    let text = a.text();
    assert!(
        text.contains("Open projects looking for: developer (1)"),
        "{text}"
    );
    assert!(text.contains("Bin day finder"), "{text}");
    assert!(!text.contains("Parking permits"), "{text}");
    assert!(!text.contains("Old forms"), "retired: {text}");

    let a = app
        .slash("U0ANYONE", CHANNEL, "list needs content design")
        .await;
    assert!(
        a.said()
            .starts_with("No open project is looking for: content designer right now."),
        "{}",
        a.said()
    );
    let a = app
        .slash("U0ANYONE", CHANNEL, "list needs developer, designer")
        .await;
    assert!(a.said().starts_with("One skill at a time"), "{}", a.said());

    // Someone offering their skills is shown the open projects wanting them.
    let a = app.slash("U0DEV", CHANNEL, "skills data, designer").await;
    let text = a.text();
    assert!(
        text.contains("*Open projects looking for your skills:*"),
        "{text}"
    );
    assert!(
        text.contains("• *#2* Parking permits · 1 member · wants designer"),
        "{text}"
    );
    assert!(
        text.contains("Bin day finder · 1 member · wants data"),
        "{text}"
    );
    assert!(!text.contains("Old forms"), "{text}");
    assert!(
        text.contains(
            "\n`/makers list needs data` lists every open project looking for one skill."
        ),
        "the rest a list away: {text}"
    );

    // A retired project takes nobody new.
    let a = app.slash(PITCHER, CHANNEL, "wants 3 data").await;
    assert!(a.said().contains("retired"), "{}", a.said());
    // It may still say it wants nobody; its announcement, which shows no skills once
    // retired, is not said to be corrected.
    let a = app.slash(PITCHER, CHANNEL, "wants 3 none").await;
    assert_eq!(
        a.said(),
        "Done: *#3: Old forms* no longer lists skills it wants. I've said so in its thread."
    );
}

/// `/makers skills` points to the list of a skill the projects it names want: with
/// developer and designer offered and only a designer wanted, it named `list needs
/// developer`, an empty list (as the Home's "…and more" did, `65cd5b42`).
#[tokio::test]
async fn skills_points_to_the_list_of_a_skill_its_projects_want() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Parking permits | Renew online").await;
    let wants = app.slash(PITCHER, CHANNEL, "wants 1 designer").await;
    assert!(wants.text().contains("designer"), "{}", wants.body);
    let text = app
        .slash("U0SAM", CHANNEL, "skills developer, designer")
        .await
        .text();
    assert!(text.contains("Parking permits"), "{text}");
    assert!(
        text.contains(
            "`/makers list needs designer` lists every open project looking for one skill."
        ),
        "{text}"
    );
    assert!(!text.contains("list needs developer"), "{text}");
}
