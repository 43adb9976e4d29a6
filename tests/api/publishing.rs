//! Publishing: `/makers publish`, `unpublish` and `link`; slugs that stay put.

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const PITCHER: &str = "U0PITCHER";

pub(crate) fn slug_of(app: &TestApp, number: u32) -> Option<String> {
    app.db()
        .query_row(
            "SELECT slug FROM projects
             WHERE team_id = ?1 AND number = ?2 AND published_at IS NOT NULL",
            (TEAM, number),
            |r| r.get(0),
        )
        .ok()
}

/// The thread lines about the catalogue posted so far.
fn catalogue_lines(app: &TestApp) -> Vec<(String, String)> {
    app.slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| fallback_text(&c.body).contains("public catalogue"))
        .map(|c| {
            let thread = c.body["thread_ts"].as_str().unwrap_or("").to_string();
            (thread, fallback_text(&c.body))
        })
        .collect()
}

#[tokio::test]
async fn the_team_publishes_a_project_and_gets_its_page_address() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk/").await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let a = app.slash(PITCHER, CHANNEL, "publish 1").await;
    let page = "https://makers.example.gov.uk/catalogue/bin-day-finder";
    assert!(
        a.said().starts_with(&format!(
            ":globe_with_meridians: *#1: Bin day finder* is now in the public catalogue: <{page}|{page}>."
        )),
        "{}",
        a.said()
    );
    assert_eq!(slug_of(&app, 1).as_deref(), Some("bin-day-finder"));
    app.outbox_settled().await;
    assert_eq!(
        catalogue_lines(&app),
        vec![(
            ts,
            format!(
                ":globe_with_meridians: <@{PITCHER}> put this project in the public catalogue: <{page}|{page}>"
            )
        )]
    );
    let again = app.slash(PITCHER, CHANNEL, "publish #1").await;
    assert!(
        again.said().contains("is already in the public catalogue"),
        "{}",
        again.said()
    );
    let show = app.slash("U0ANYONE", CHANNEL, "show 1").await;
    assert!(
        show.blocks()
            .contains(&format!("*In the public catalogue:* <{page}|{page}>")),
        "{}",
        show.blocks()
    );
}

#[tokio::test]
async fn only_the_team_may_publish_unpublish_or_link() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    for text in [
        "publish 1",
        "unpublish 1",
        "link 1 code https://github.com/x/bins",
    ] {
        let a = app.slash("U0OUTSIDER", CHANNEL, text).await;
        assert!(
            a.said()
                .starts_with("Only the team can post on or change project #1"),
            "{text}: {}",
            a.said()
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE published_at IS NOT NULL"),
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM project_links"), 0);
    let a = app.slash("U0OUTSIDER", CHANNEL, "publish 9").await;
    assert!(a.said().contains("There is no project #9"), "{}", a.said());
    // A member who joined may.
    app.slash("U0JOINER", CHANNEL, "join 1").await;
    let a = app.slash("U0JOINER", CHANNEL, "publish 1").await;
    assert!(
        a.said().contains("is now in the public catalogue"),
        "{}",
        a.said()
    );
}

#[tokio::test]
async fn a_slug_is_unique_and_kept_through_renames_and_unpublishing() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin-day finder!").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash(PITCHER, CHANNEL, "publish 2").await;
    assert_eq!(slug_of(&app, 1).as_deref(), Some("bin-day-finder"));
    assert_eq!(slug_of(&app, 2).as_deref(), Some("bin-day-finder-2"));
    // Unique across workspaces too: the catalogue spans them all.
    app.slash_in("T0OTHER", "U0ELSE", "C0ELSE", "pitch Bin day finder")
        .await;
    app.slash_in("T0OTHER", "U0ELSE", "C0ELSE", "publish 1")
        .await;
    let other: String = app
        .db()
        .query_row(
            "SELECT slug FROM projects WHERE team_id = 'T0OTHER'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(other, "bin-day-finder-3");

    let a = app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    assert!(
        a.said()
            .starts_with("Done: *#1: Bin day finder* is no longer in the public catalogue."),
        "{}",
        a.said()
    );
    assert_eq!(slug_of(&app, 1), None);
    let a = app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    assert!(
        a.said().contains("wasn't in the public catalogue"),
        "{}",
        a.said()
    );
    // A title change (by hand here: there is no rename command yet) keeps the address.
    app.db()
        .execute(
            "UPDATE projects SET title = 'Find my bin day' WHERE number = 1 AND team_id = ?1",
            [TEAM],
        )
        .unwrap();
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert_eq!(slug_of(&app, 1).as_deref(), Some("bin-day-finder"));
    app.outbox_settled().await;
    let lines: Vec<String> = catalogue_lines(&app).into_iter().map(|(_, l)| l).collect();
    assert!(
        lines
            .iter()
            .any(|l| l == &format!("<@{PITCHER}> took this project out of the public catalogue.")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn links_are_recorded_replaced_and_removed_and_bad_ones_refused_with_a_reason() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let a = app
        .slash(
            PITCHER,
            CHANNEL,
            "link 1 code <https://github.com/council/bins|github.com/council/bins>",
        )
        .await;
    assert!(
        a.said().starts_with(
            "Recorded: *#1: Bin day finder*'s code is at <https://github.com/council/bins|https://github.com/council/bins>. It shows in the public catalogue once the team runs `/makers publish 1`."
        ),
        "{}",
        a.said()
    );
    let a = app
        .slash(
            PITCHER,
            CHANNEL,
            "link 1 code https://git.example.gov.uk/bins",
        )
        .await;
    assert!(a.said().starts_with("Updated:"), "{}", a.said());
    app.slash(
        PITCHER,
        CHANNEL,
        "link 1 docs https://docs.example.gov.uk/bins?a=1&b=2",
    )
    .await;
    let show = app.slash(PITCHER, CHANNEL, "show 1").await;
    assert!(
        show.blocks().contains("*Code:* <https://git.example.gov.uk/bins|https://git.example.gov.uk/bins>")
            && show.blocks().contains(
                "*Documentation:* <https://docs.example.gov.uk/bins?a=1&amp;b=2|https://docs.example.gov.uk/bins?a=1&amp;b=2>"
            ),
        "{}",
        show.blocks()
    );
    let a = app.slash(PITCHER, CHANNEL, "link 1 docs none").await;
    assert!(
        a.said()
            .starts_with("Done: *#1: Bin day finder* no longer lists its documentation."),
        "{}",
        a.said()
    );

    for (text, reason) in [
        (
            "link 1 service javascript:alert(1)",
            "must start with https://",
        ),
        (
            "link 1 service ftp://files.example.gov.uk/bins",
            "must start with https://",
        ),
        (
            "link 1 service https://me:hunter2@git.example.gov.uk/x",
            "user name or password",
        ),
        ("link 1 service bins.example.gov.uk", "isn't a web address"),
        (
            "link 1 docs <https://councils.slack.com/docs/T0001/F0002>",
            "an address in Slack",
        ),
        ("link 1 wiki https://x.example", "not a kind of link"),
    ] {
        let a = app.slash(PITCHER, CHANNEL, text).await;
        assert!(a.said().contains(reason), "{text}: {}", a.said());
    }
    let kept: Vec<(String, String)> = {
        let db = app.db();
        let mut stmt = db
            .prepare("SELECT kind, url FROM project_links ORDER BY kind")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        kept,
        vec![("code".into(), "https://git.example.gov.uk/bins".into())]
    );
}

#[tokio::test]
async fn the_digest_links_a_published_project_to_its_catalogue_page() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Parking permit renewals").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash(PITCHER, CHANNEL, "digest").await;
    let preview = app.slash(PITCHER, CHANNEL, "digest preview").await;
    let text = preview.blocks();
    assert!(
        text.contains("#1 Bin day finder> (<https://makers.example.gov.uk/catalogue/bin-day-finder|catalogue>)"),
        "{text}"
    );
    assert!(
        !text.contains("catalogue/parking"),
        "an unpublished project has no page: {text}"
    );
}

/// `makers-bot takedown --team TEAM` with `args`, run beside the test's bot.
fn takedown(app: &TestApp, args: &[&str]) -> std::process::Output {
    let all: Vec<&str> = ["takedown", "--team", TEAM]
        .iter()
        .chain(args)
        .copied()
        .collect();
    crate::binary::beside(app, &all)
}

/// An operator's command runs beside `serve`, in another process: the bot notices its
/// commit within a second or two and reads afresh what it had cached. The bot's clock is
/// stopped and nothing else writes, so without that the cached answer would be given for
/// ever (this test then fails: tried with the watch taken out). `forget` queues no post: a
/// post's delivery would move the cache on by itself.
#[tokio::test]
async fn a_forget_beside_serve_is_not_answered_from_the_cache() {
    let app = spawn_app().await;
    app.clock.stop();
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0HELPER", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let show = || async { app.slash(PITCHER, CHANNEL, "show 1").await.body };
    let before = show().await;
    assert!(before.contains("U0HELPER"), "{before}");
    assert_eq!(show().await, before, "the same answer, twice");
    crate::binary::beside_ok(&app, &["forget", "--team", TEAM, "--user", "U0HELPER"]);
    let deadline = std::time::Instant::now() + SHORT;
    while show().await.contains("U0HELPER") {
        assert!(
            std::time::Instant::now() < deadline,
            "still named after the forget"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_operator_takes_a_project_out_of_the_catalogue_and_its_team_cannot_put_it_back() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk/").await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert_eq!(slug_of(&app, 1).as_deref(), Some("bin-day-finder"));
    app.outbox_settled().await;

    let out = takedown(
        &app,
        &[
            "--project",
            "1",
            "--reason",
            "A resident complained <!channel> & asked",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.starts_with("project #1 (Bin day finder) is out of the public catalogue"),
        "{said}"
    );
    assert_eq!(slug_of(&app, 1), None);
    let page = crate::catalogue::get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(page.status, 404, "{}", page.body);

    // Its team cannot put it back, and is told why.
    let a = app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert!(
        a.said()
            .starts_with("Project #1 can't be published: whoever runs makers-bot"),
        "{}",
        a.said()
    );
    assert_eq!(slug_of(&app, 1), None);
    // A link is recorded, and the answer does not send the team to a publish it would be
    // refused (it did).
    let a = app
        .slash(
            PITCHER,
            CHANNEL,
            "link 1 code https://github.com/council/bins",
        )
        .await;
    assert!(
        a.said()
            .contains("keeps it out of the public catalogue for now")
            && !a.said().contains("/makers publish"),
        "{}",
        a.said()
    );
    // The line waits for the running bot's worker: an update wakes it, and the thread gets
    // both, in order.
    app.slash(PITCHER, CHANNEL, "update 1 Rewording the description")
        .await;
    app.outbox_settled().await;
    let held = ":no_entry: Whoever runs makers-bot for your councils has taken this project out of the public catalogue, and it can't be published again until they allow it. Their reason: A resident complained &lt;!channel&gt; &amp; asked";
    let lines = catalogue_lines(&app);
    assert_eq!(lines.len(), 2, "the publish, then the takedown: {lines:?}");
    assert_eq!(lines[1], (ts.clone(), held.to_string()));

    // Held again: a reason given replaces the recorded one, none keeps it; the thread is not
    // told twice.
    let reason = || -> Option<String> {
        app.db()
            .query_row("SELECT reason FROM catalogue_holds", [], |r| r.get(0))
            .unwrap()
    };
    let out = takedown(&app, &["--project", "1"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("was already held"), "{said}");
    assert_eq!(
        reason().as_deref(),
        Some("A resident complained <!channel> & asked")
    );
    takedown(&app, &["--project", "1", "--reason", "Still looking"]);
    assert_eq!(reason().as_deref(), Some("Still looking"));

    // Lifted: the team may publish again, at the same address, and is told so.
    let out = takedown(&app, &["--project", "1", "--lift"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("may be published again"), "{said}");
    let a = app.slash(PITCHER, CHANNEL, "publish 1").await;
    assert!(
        a.said().contains("is now in the public catalogue"),
        "{}",
        a.said()
    );
    assert_eq!(slug_of(&app, 1).as_deref(), Some("bin-day-finder"));
    app.outbox_settled().await;
    let lines: Vec<String> = catalogue_lines(&app).into_iter().map(|l| l.1).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[2].starts_with(":white_check_mark: Whoever runs makers-bot for your councils has lifted their hold on this project"),
        "{lines:?}"
    );

    // A lift of what is not held, and a project that does not exist.
    let out = takedown(&app, &["--project", "1", "--lift"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("was not held"));
    let out = takedown(&app, &["--project", "9"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("has no project #9"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The operator's takedown names the project as a reader sees its title, as `council merge`
/// and `report --projects` do: not with the person's and channel's ids and the markup Slack
/// sent, which the page complained about never showed.
#[tokio::test]
async fn a_takedown_names_the_project_by_its_title_as_read_without_slacks_ids() {
    let app = spawn_app().await;
    let a = app
        .slash_as_sent(
            PITCHER,
            CHANNEL,
            "pitch Bins for <#C0WASTE|waste> with <@U0SAM|sam> &amp; <http://bins.example|bins.example>",
        )
        .await;
    assert!(a.said().contains("#1"), "{}", a.said());
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let said = crate::binary::beside_ok(&app, &["takedown", "--team", TEAM, "--project", "1"]);
    assert!(
        said.starts_with(
            "project #1 (Bins for #waste with @sam & bins.example) is out of the public catalogue"
        ),
        "{said}"
    );
    for raw in ["U0SAM", "C0WASTE", "<", "http://"] {
        assert!(!said.contains(raw), "{raw}: {said}");
    }
}

/// A link the catalogue shows is never changed without the team seeing it: each change, by
/// anyone in the team, is a line in the pitch's thread naming who made it; the same address
/// again says nothing.
#[tokio::test]
async fn a_link_changed_is_told_in_the_pitch_s_thread() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    crate::progress::thread(&app, &ts, 1).await;
    app.slash("U0NEW", CHANNEL, "join 1").await;
    crate::progress::thread(&app, &ts, 2).await;
    let a = app
        .slash("U0NEW", CHANNEL, "link 1 service https://bins.example.org/")
        .await;
    assert!(a.said().starts_with("Recorded"), "{}", a.said());
    let lines = crate::progress::thread(&app, &ts, 3).await;
    assert!(
        lines[2].contains(
            ":link: <@U0NEW> recorded this project's live service at <https://bins.example.org/|https://bins.example.org/>."
        ),
        "{lines:?}"
    );
    app.slash("U0NEW", CHANNEL, "link 1 service https://bins.example.org/")
        .await;
    app.slash(PITCHER, CHANNEL, "link 1 service none").await;
    let lines = crate::progress::thread(&app, &ts, 4).await;
    assert!(
        lines[3].contains("<@U0PITCHER> removed this project's live service."),
        "{lines:?}"
    );
    app.marker_posted().await;
    assert_eq!(
        crate::progress::thread(&app, &ts, 4).await.len(),
        4,
        "the same address again says nothing"
    );
}

/// Anyone who joins may change what everyone sees of a project; its lead hears of each such
/// change by someone else, in their messages with the bot, with how to put it back: not of
/// their own, and not once they have left the team.
#[tokio::test]
async fn the_lead_is_told_when_someone_else_changes_what_everyone_sees() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0NEW", CHANNEL, "join 1").await;
    app.outbox_settled().await;
    let told = || -> Vec<String> {
        dms_to(&app, PITCHER)
            .into_iter()
            .filter(|t| t.contains("You lead it"))
            .collect()
    };
    app.slash("U0NEW", CHANNEL, "publish 1").await;
    app.slash("U0NEW", CHANNEL, "edit 1 Bin day checker").await;
    app.slash("U0NEW", CHANNEL, "link 1 code https://git.example.org/bins")
        .await;
    app.slash("U0NEW", CHANNEL, "phase 1 retired").await;
    app.outbox_settled().await;
    let lines = told();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].contains("<@U0NEW> put *#1: Bin day finder* in the public catalogue")
            && lines[0].contains("`/makers unpublish 1` takes it out"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains(
            "<@U0NEW> edited the pitch of *#1: Bin day checker* (it was _Bin day finder_)"
        ),
        "{lines:?}"
    );
    assert!(
        lines[2].contains(
            "recorded the code of *#1: Bin day checker* at <https://git.example.org/bins|"
        ),
        "{lines:?}"
    );
    assert!(
        lines[3].contains("<@U0NEW> retired *#1: Bin day checker*")
            && lines[3].contains("`/makers phase 1 alpha`"),
        "{lines:?}"
    );
    // The lead's own changes are not told back to them; nor anything once they left.
    app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    app.slash(PITCHER, CHANNEL, "leave 1").await;
    app.slash("U0NEW", CHANNEL, "publish 1").await;
    app.outbox_settled().await;
    assert_eq!(told().len(), 4, "{:?}", told());
}
