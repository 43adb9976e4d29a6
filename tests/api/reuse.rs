//! Re-use, said by the council that re-uses: `/makers reuse <id> [| note]` and `unreuse`.

use crate::helpers::*;

const CHANNEL: &str = "C0MAKERS";
const PITCHER: &str = "U0PITCHER";

/// The re-use lines posted in threads so far.
fn reuse_lines(app: &TestApp) -> Vec<(String, String)> {
    app.slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| fallback_text(&c.body).contains("now re-uses this"))
        .map(|c| {
            let thread = c.body["thread_ts"].as_str().unwrap_or("").to_string();
            (thread, fallback_text(&c.body))
        })
        .collect()
}

fn note_of(app: &TestApp, council: &str) -> String {
    app.db()
        .query_row(
            "SELECT r.note FROM reuses r JOIN councils c ON c.id = r.council_id WHERE c.name = ?1",
            [council],
            |r| r.get(0),
        )
        .unwrap()
}

/// Another workspace using the bot, and someone there from Waverley.
const THEIRS: &str = "T0THEIRS";
const WAV: &str = "U0WAVTHEIRS";

/// `/makers <text>` typed by `user` in the other workspace.
async fn theirs(app: &TestApp, user: &str, text: &str) -> Answer {
    app.slash_in(THEIRS, user, "C0THEIRS", text).await
}

#[tokio::test]
async fn a_council_that_reuses_a_project_is_recorded_and_the_team_told_in_its_thread() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    let a = app
        .slash("U0WAV", CHANNEL, "reuse 1 | our bin day page")
        .await;
    assert_eq!(
        a.said(),
        "Recorded: Waverley Borough Council re-uses *#1: Bin day finder*, which 1 council now re-uses. I've told the team in its thread. Your note is kept with it (`/makers reuse 1 | &lt;how you use it&gt;` changes it).",
        "a note given is not asked for again"
    );
    app.outbox_settled().await;
    assert_eq!(
        reuse_lines(&app),
        vec![(
            ts,
            ":recycle: Waverley Borough Council now re-uses this: 1 council in all.".into()
        )]
    );
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "our bin day page"
    );
}

#[tokio::test]
async fn saying_it_again_updates_the_note_and_posts_nothing_new() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1").await;
    // A colleague from the same council says it again: still one council.
    app.slash("U0WAV2", CHANNEL, "council waverley borough council")
        .await;
    let a = app
        .slash("U0WAV2", CHANNEL, "reuse #1 | on our website")
        .await;
    assert!(a.said().contains("already re-uses"), "{}", a.said());
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    app.slash("U0MOLE", CHANNEL, "reuse 1").await;
    app.outbox_settled().await;
    let lines: Vec<String> = reuse_lines(&app).into_iter().map(|(_, l)| l).collect();
    assert_eq!(
        lines,
        vec![
            ":recycle: Waverley Borough Council now re-uses this: 1 council in all.",
            ":recycle: Mole Valley District Council now re-uses this: 2 councils in all.",
        ]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 2);
    assert_eq!(note_of(&app, "Waverley Borough Council"), "on our website");
}

/// A council that stops re-using a project is said in its thread too, with how many re-use
/// it now: the team, who may have quoted the figure, hear that it changed (it was silent).
#[tokio::test]
async fn a_withdrawn_reuse_is_said_in_the_thread() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1").await;
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    app.slash("U0MOLE", CHANNEL, "reuse 1").await;
    let a = app.slash("U0WAV", CHANNEL, "unreuse 1").await;
    assert_eq!(
        a.said(),
        "Done: Waverley Borough Council no longer re-uses *#1: Bin day finder*. I've told the team in its thread."
    );
    app.slash("U0MOLE", CHANNEL, "unreuse 1").await;
    // Nothing to withdraw: nothing said.
    app.slash("U0MOLE", CHANNEL, "unreuse 1").await;
    app.outbox_settled().await;
    let withdrawn: Vec<(String, String)> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| fallback_text(&c.body).contains("no longer re-uses"))
        .map(|c| {
            let thread = c.body["thread_ts"].as_str().unwrap_or("").to_string();
            (thread, fallback_text(&c.body))
        })
        .collect();
    assert_eq!(
        withdrawn,
        vec![
            (
                ts.clone(),
                ":recycle: Waverley Borough Council no longer re-uses this: 1 council does."
                    .to_string()
            ),
            (
                ts,
                ":recycle: Mole Valley District Council no longer re-uses this: none does now."
                    .to_string()
            ),
        ]
    );
}

#[tokio::test]
async fn show_lists_the_councils_that_reuse_a_project_with_their_notes() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let before = message_text(&app.slash("U1", CHANNEL, "show 1").await.json());
    assert!(!before.contains("Re-used"), "{before}");
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | bins & <b>recycling</b>")
        .await;
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    app.slash("U0MOLE", CHANNEL, "reuse 1").await;
    let shown = message_text(&app.slash("U1", CHANNEL, "show 1").await.json());
    assert!(shown.contains("*Re-used by 2 councils:*"), "{shown}");
    assert!(
        shown.contains("• Waverley Borough Council (since ")
            && shown.contains("): bins &amp; &lt;b&gt;recycling&lt;/b&gt;"),
        "escaped, with its note: {shown}"
    );
    assert!(
        shown.contains("• Mole Valley District Council (since "),
        "{shown}"
    );
}

#[tokio::test]
async fn a_retired_project_cannot_be_newly_reused() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Old thing").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    let a = app.slash("U0WAV", CHANNEL, "reuse 1").await;
    assert_eq!(
        a.said(),
        "Project #1 is retired, so it can't be newly re-used. `/makers list` shows the open ones."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

#[tokio::test]
async fn unreuse_withdraws_it_and_a_second_time_says_there_was_nothing() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1").await;
    let a = app.slash("U0WAV", CHANNEL, "unreuse 1").await;
    assert_eq!(
        a.said(),
        "Done: Waverley Borough Council no longer re-uses *#1: Bin day finder*. I've told the team in its thread."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
    let again = app.slash("U0WAV", CHANNEL, "unreuse 1").await;
    assert!(
        again.said().contains("nothing to withdraw"),
        "{}",
        again.said()
    );
    let shown = message_text(&app.slash("U1", CHANNEL, "show 1").await.json());
    assert!(!shown.contains("Re-used"), "{shown}");
}

#[tokio::test]
async fn councils_shows_give_and_take_most_giving_first() {
    let app = spawn_app().await;
    app.slash("U0GUI", CHANNEL, "council Guildford BC").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    // Waverley leads two projects; Guildford one. Mole Valley re-uses both of Waverley's,
    // Guildford re-uses one of them; Guildford's own is re-used by nobody.
    pitch_and_wait(&app, "U0WAV", CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, "U0WAV", CHANNEL, "Parking permits").await;
    pitch_and_wait(&app, "U0GUI", CHANNEL, "Library search").await;
    app.slash("U0GUI", CHANNEL, "join 1").await;
    for (who, project) in [("U0MOLE", 1), ("U0MOLE", 2), ("U0GUI", 1)] {
        app.slash(who, CHANNEL, &format!("reuse {project}")).await;
    }
    let a = app.slash("U1", CHANNEL, "councils").await.json();
    assert_eq!(
        blocks_text(&a),
        "*Give and take, by council* (3 councils, most giving first)\n\
         • *Waverley Borough Council*: led 2 projects · 1 person in teams · re-uses 0 projects · its work re-used 3 times by other councils\n\
         • *Guildford Borough Council*: led 1 project · 1 person in teams · re-uses 1 project · its work re-used 0 times by other councils\n\
         • *Mole Valley District Council*: led 0 projects · 0 people in teams · re-uses 2 projects · its work re-used 0 times by other councils\n"
    );
    let mine = app.slash("U0MOLE", CHANNEL, "council").await;
    assert!(
        mine.said().ends_with(
            "\n• *Mole Valley District Council*: led 0 projects · 0 people in teams · re-uses 2 projects · its work re-used 0 times by other councils"
        ),
        "{}",
        mine.said()
    );
}

#[tokio::test]
async fn the_digest_tells_which_councils_started_reusing_what() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U1", CHANNEL, "digest").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | our <b>bins</b> page")
        .await;
    let preview = message_text(&app.slash("U1", CHANNEL, "digest preview").await.json());
    assert!(
        preview.contains("in their teams · 1 new re-use by councils"),
        "{preview}"
    );
    let link = format!(
        "<https://slack.com/archives/{CHANNEL}/p{}|#1 Bin day finder>",
        ts.replace('.', "")
    );
    assert!(
        preview.contains(&format!(
            "*Newly re-used*\n• Waverley Borough Council now re-uses {link}: our &lt;b&gt;bins&lt;/b&gt; page"
        )),
        "{preview}"
    );
}

#[tokio::test]
async fn saying_it_again_without_a_note_keeps_the_note() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | our bin day page")
        .await;
    let a = app.slash("U0WAV", CHANNEL, "reuse 1").await;
    assert_eq!(
        a.said(),
        "Waverley Borough Council already re-uses *#1: Bin day finder*. `/makers reuse 1 | &lt;how you use it&gt;` changes the note."
    );
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "our bin day page"
    );
}

#[tokio::test]
async fn a_council_cannot_reuse_its_own_project() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0COLLEAGUE", CHANNEL, "council guildford").await;
    let a = app.slash("U0COLLEAGUE", CHANNEL, "reuse 1").await;
    assert_eq!(
        a.said(),
        "Project #1 is led by your council, so it's your council's own work: re-use is for other councils' projects."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

#[tokio::test]
async fn the_lead_council_is_the_one_that_cannot_reuse() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    // Handed to Waverley: it is Waverley's work now, and Guildford may re-use it.
    let a = app
        .slash(PITCHER, CHANNEL, "lead-council 1 Waverley Borough Council")
        .await;
    assert!(a.said().contains("Waverley"), "{}", a.said());
    let a = app.slash("U0WAV", CHANNEL, "reuse 1").await;
    assert_eq!(
        a.said(),
        "Project #1 is led by your council, so it's your council's own work: re-use is for other councils' projects."
    );
    let a = app.slash(PITCHER, CHANNEL, "reuse 1 | our own site").await;
    assert!(a.said().contains("Recorded"), "{}", a.said());
    assert_eq!(note_of(&app, "Guildford Borough Council"), "our own site");
}

#[tokio::test]
async fn a_council_that_reuses_a_retired_project_may_still_change_its_note() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Old thing").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | on our site").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    let a = app
        .slash("U0WAV", CHANNEL, "reuse 1 | moved to the county's site")
        .await;
    assert!(!a.said().contains("retired"), "{}", a.said());
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "moved to the county's site"
    );
    // A council new to it is still refused.
    app.slash("U0MOLE", CHANNEL, "council Mole Valley DC").await;
    let a = app.slash("U0MOLE", CHANNEL, "reuse 1").await;
    assert!(a.said().contains("is retired"), "{}", a.said());
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
}

#[tokio::test]
async fn a_colleagues_note_is_said_by_them() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1").await;
    app.slash("U0WAV2", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV2", CHANNEL, "reuse 1 | our bin page").await;
    let said_by = || -> String {
        app.db()
            .query_row("SELECT said_by FROM reuses", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(said_by(), "U0WAV2");
    // Said again with no note, it stays theirs.
    app.slash("U0WAV", CHANNEL, "reuse 1").await;
    assert_eq!(said_by(), "U0WAV2");
}

/// A council in another workspace that finds a service in the public catalogue says it
/// re-uses it by the service's address (or its page's link, pasted): recorded once, told
/// in the pitch's thread in the workspace that made it, counted in the give and take.
#[tokio::test]
async fn another_workspace_reuses_a_service_by_its_catalogue_address() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Pothole reporter").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    // Copied from the catalogue page by someone new, before they said their council: the
    // answer gives the command back to type once they have.
    let a = theirs(&app, WAV, "reuse bin-day-finder | on our site").await;
    assert_eq!(
        a.said(),
        "Re-use is recorded for your council, and I don't know which council you work for yet. Tell me with `/makers council &lt;name&gt;`, then `/makers reuse bin-day-finder | on our site` again. Nothing was recorded."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
    theirs(&app, WAV, "council Waverley BC").await;
    let a = theirs(&app, WAV, "reuse bin-day-finder | on our site").await;
    // Where it now shows, and that the note, written for the team, is public there.
    assert_eq!(
        a.said(),
        format!(
            "Recorded: Waverley Borough Council re-uses *Bin day finder* (`bin-day-finder` in the catalogue), which 1 council now re-uses. I've told the team in its thread. Your note is kept with it (`/makers reuse bin-day-finder | &lt;how you use it&gt;` changes it). Your council and its note show on <http://{}/catalogue/bin-day-finder|its page in the public catalogue>, for anyone to read.",
            app.addr
        )
    );
    assert_eq!(note_of(&app, "Waverley Borough Council"), "on our site");
    // The team is told where it was said: they will not find its sayer among their people.
    let (_, line) = eventually("the line in the pitch's thread", SHORT, || {
        reuse_lines(&app)
            .into_iter()
            .find(|(thread, _)| *thread == ts)
    })
    .await;
    assert_eq!(
        line,
        ":recycle: Waverley Borough Council (said in another Makers workspace) now re-uses this: 1 council in all."
    );
    // Its page's link, pasted, names it too: said again, nothing new.
    let a = theirs(
        &app,
        WAV,
        "reuse <http://127.0.0.1/catalogue/bin-day-finder|Bin day finder>",
    )
    .await;
    assert!(a.said().contains("already re-uses"), "{}", a.said());
    let page = app
        .request("GET", "/catalogue/bin-day-finder", &[], "")
        .await
        .body;
    assert!(
        page.contains("Waverley Borough Council") && page.contains("on our site"),
        "{page}"
    );
    assert!(
        page.contains("<code>/makers reuse bin-day-finder</code>"),
        "the page says how: {page}"
    );
    let councils = app.slash(PITCHER, CHANNEL, "councils").await.text();
    assert!(councils.contains("Guildford Borough Council"), "{councils}");
    assert!(councils.contains("re-used once"), "{councils}");

    // Not in the catalogue (unpublished, or nothing there), and a council's own service.
    for (address, said) in [
        (
            "pothole-reporter",
            "No service in the public catalogue is at `pothole-reporter`",
        ),
        (
            "nothing-here",
            "No service in the public catalogue is at `nothing-here`",
        ),
    ] {
        let a = theirs(&app, WAV, &format!("reuse {address}")).await;
        assert!(a.said().starts_with(said), "{}", a.said());
    }
    theirs(&app, "U0GUILD2", "council Guildford").await;
    let a = theirs(&app, "U0GUILD2", "reuse bin-day-finder").await;
    assert!(
        a.said()
            .starts_with("`bin-day-finder` is led by your council"),
        "{}",
        a.said()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);

    // Taken out of the catalogue, it is no longer offered, but a re-use of it can still be
    // withdrawn by its address, which then names it (no longer public).
    app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    theirs(&app, "U0MOLE", "council Mole Valley DC").await;
    let a = theirs(&app, "U0MOLE", "reuse bin-day-finder").await;
    assert!(
        a.said()
            .starts_with("No service in the public catalogue is at `bin-day-finder`"),
        "{}",
        a.said()
    );
    let a = theirs(&app, WAV, "unreuse bin-day-finder").await;
    assert_eq!(
        a.said(),
        "Done: Waverley Borough Council no longer re-uses `bin-day-finder` in the catalogue. I've told the team in its thread."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// Someone who found a service on the catalogue pastes its address after `show` or `join`:
/// in the workspace that made it, that is the project, as by its number; from another
/// workspace, whose team works elsewhere, `show` tells what its page says and `join` says it
/// cannot be joined; both say how their council can say it re-uses it. Nothing is joined across
/// workspaces.
#[tokio::test]
async fn show_or_join_by_a_catalogue_address_works_here_and_says_where_from_elsewhere() {
    let app = spawn_app().await;
    pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bin day finder | Postcode in, bin days out",
    )
    .await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let link = format!(
        "<http://{}/catalogue/bin-day-finder|Bin day finder>",
        app.addr
    );

    // Here: the project itself.
    let by_address = app.slash("U0ALICE", CHANNEL, &format!("show {link}")).await;
    let by_number = app.slash("U0ALICE", CHANNEL, "show 1").await;
    assert_eq!(by_address.json()["response_type"], "ephemeral");
    assert_eq!(by_address.text(), by_number.text());
    // The project shown, not the same refusal twice.
    assert!(
        by_number.text().contains("Bin day finder") && by_number.text().contains("Postcode in"),
        "{}",
        by_number.text()
    );
    let a = app.slash("U0ALICE", CHANNEL, &format!("join {link}")).await;
    assert!(a.said().contains("You're in the team"), "{}", a.said());
    assert!(crate::teams::is_member(&app, "U0ALICE"));

    // From another workspace: where it is, and what can be done from there.
    let page = format!(
        "<http://{}/catalogue/bin-day-finder|its page in the public catalogue>",
        app.addr
    );
    // `show`: what its catalogue page says, told here, and how to say a re-use.
    let a = theirs(&app, WAV, "show bin-day-finder").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    // The notification line (what the blocks say follows it, for a screen reader).
    assert_eq!(
        a.said().lines().next(),
        Some("Bin day finder (bin-day-finder), a project of another Slack workspace")
    );
    let address = format!("http://{}/catalogue/bin-day-finder", app.addr);
    let blocks = a.blocks();
    assert!(
        blocks.starts_with(
            "*Bin day finder* (`bin-day-finder` in the catalogue), a project of another Slack workspace\n\
             Postcode in, bin days out\n\
             *Phase:* discovery\n"
        ),
        "{blocks}"
    );
    assert!(
        blocks.ends_with(&format!(
            "*In the public catalogue:* <{address}|{address}>\n\
             Its team works in its own workspace, so it can't be joined from here. If your council re-uses it, `/makers reuse bin-day-finder` says so.\n"
        )),
        "{blocks}"
    );
    assert!(!blocks.contains(PITCHER), "nobody named: {blocks}");
    let a = theirs(&app, WAV, &format!("join {link}")).await;
    assert_eq!(
        a.said(),
        format!(
            "*Bin day finder* (`bin-day-finder` in the catalogue) is a project of another Slack workspace, where its team works, so it can't be joined from here: {page} says which council leads it. If your council re-uses it, say so with `/makers reuse bin-day-finder`: its team is told."
        )
    );
    assert!(!crate::teams::is_member(&app, WAV));
    // Not (or no longer) in the catalogue: said as for a re-use.
    app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    for asked in ["show bin-day-finder", "join bin-day-finder"] {
        let a = theirs(&app, WAV, asked).await;
        assert!(
            a.said()
                .starts_with("No service in the public catalogue is at `bin-day-finder`"),
            "{asked}: {}",
            a.said()
        );
    }
}

/// From another workspace, the project is named as the catalogue names it, and the note
/// keeps no ids of the workspace it was said in; erasing that workspace takes its re-uses.
#[tokio::test]
async fn a_reuse_from_another_workspace_shares_only_what_the_catalogue_shows() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bins <@U0BOB|bob> jo@x.gov.uk").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let slug = crate::publishing::slug_of(&app, 1).unwrap();
    theirs(&app, WAV, "council Waverley BC").await;
    let a = theirs(
        &app,
        WAV,
        &format!("reuse {slug} | ask <@U0THEIRPERSON> in <#C0THEIRS|bins>"),
    )
    .await;
    let said = a.said();
    assert!(said.contains("Recorded"), "{said}");
    assert!(
        !said.contains("bob") && !said.contains("jo@x.gov.uk"),
        "{said}"
    );
    let note = note_of(&app, "Waverley Borough Council");
    assert!(
        !note.contains("U0THEIRPERSON") && !note.contains("C0THEIRS"),
        "{note}"
    );
    // The workspace leaves and is erased: the re-uses said in it go with it, and the dry
    // run said what the erase then did (the council first named there, now named by
    // nobody, included).
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 0)",
            [THEIRS],
        )
        .unwrap();
    let run = |args: &[&str]| {
        let said = crate::binary::beside_ok(&app, args);
        // The counts and what is kept (the first and last lines say what was done).
        said.lines()
            .filter(|l| l.starts_with("  ") || l.starts_with("Kept:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let would = run(&["erase", "--team", THEIRS]);
    let did = run(&["erase", "--team", THEIRS, "--yes"]);
    assert_eq!(would, did, "the dry run and the erase agree");
    assert!(
        did.iter().any(|l| l.contains("reuses: 1")) && did.iter().any(|l| l.contains("councils")),
        "{did:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// Someone from another workspace who reacts in a shared channel has a row in this one's
/// `people`; erasing this workspace leaves the re-uses they said in their own.
#[tokio::test]
async fn erasing_a_workspace_leaves_reuses_said_elsewhere_by_its_guests() {
    const GUEST: &str = "U0GUEST";
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    crate::shared_channels::guest_joins(&app, "EvGuestR", GUEST, THEIRS, &ts).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE team_id = '{TEAM}' AND user_id = '{GUEST}'"
        )),
        1,
        "a row here for the guest"
    );
    // A third workspace's service, re-used by the guest's council from their own.
    app.slash_in("T0THIRD", "U0THIRD", "C0THIRD", "pitch Pothole map")
        .await;
    app.outbox_settled().await;
    app.slash_in("T0THIRD", "U0THIRD", "C0THIRD", "publish 1")
        .await;
    theirs(&app, GUEST, "council Mole Valley DC").await;
    let a = theirs(&app, GUEST, "reuse pothole-map").await;
    assert!(a.said().contains("Recorded"), "{}", a.said());
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 0)",
            [TEAM],
        )
        .unwrap();
    app.outbox_settled().await;
    crate::binary::beside_ok(&app, &["erase", "--team", TEAM, "--yes"]);
    assert_eq!(
        app.count(&format!(
            "SELECT (SELECT COUNT(*) FROM people WHERE team_id = '{TEAM}')
                  + (SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM}')"
        )),
        0,
        "the workspace was erased, its guest's row with it"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reuses WHERE said_in = 'T0THEIRS'"),
        1,
        "said in their own workspace: kept"
    );
}

/// A service taken down (`makers-bot takedown`) is named nowhere again: a council that
/// re-used it from another workspace can still withdraw that, and is answered with the
/// address it typed, not the service's name.
#[tokio::test]
async fn a_reuse_of_a_service_taken_down_is_withdrawn_without_naming_it() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    theirs(&app, WAV, "council Waverley BC").await;
    theirs(&app, WAV, "reuse bin-day-finder").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
    crate::binary::beside_ok(&app, &["takedown", "--team", TEAM, "--project", "1"]);
    let a = theirs(&app, WAV, "unreuse bin-day-finder").await;
    assert_eq!(
        a.said(),
        "Done: Waverley Borough Council no longer re-uses `bin-day-finder` in the catalogue. I've told the team in its thread."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// A service taken out of the catalogue is no longer public, and may have been renamed since:
/// whoever types its address (a council that never re-used it, say) is answered by the
/// address, not told its name now.
#[tokio::test]
async fn unreuse_of_a_service_out_of_the_catalogue_does_not_name_it() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash(PITCHER, CHANNEL, "unpublish 1").await;
    app.slash(PITCHER, CHANNEL, "edit 1 HR restructure pilot")
        .await;
    theirs(&app, WAV, "council Waverley BC").await;
    let a = theirs(&app, WAV, "unreuse bin-day-finder").await.said();
    assert!(a.contains("`bin-day-finder`"), "{a}");
    assert!(!a.contains("HR restructure"), "{a}");
    assert!(!a.contains("Bin day finder"), "{a}");
}

/// A note typed without its `|` is answered with the command as it should be, and nothing is
/// recorded (it was told `reuse` takes nothing after the number, which is not so).
#[tokio::test]
async fn a_note_without_its_bar_is_shown_where_the_bar_goes() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    let a = app
        .slash("U0WAV", CHANNEL, "reuse 1 on our bin day page")
        .await;
    assert_eq!(
        a.said(),
        "A note goes after a `|`: try `/makers reuse 1 | on our bin day page`. Nothing was recorded."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// Councils are as people say them, so someone in another workspace who says they are of
/// Waverley may add Waverley's re-use of a service, but not withdraw or rewrite the one a
/// Waverley person said here: that stays as said, in the catalogue too. Whoever said it may
/// change it from anywhere, and their colleagues where it was said.
#[tokio::test]
async fn a_reuse_said_in_one_workspace_is_not_undone_from_another() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | on our bins page")
        .await;

    theirs(&app, "U0CLAIMS", "council Waverley").await;
    let refused = "Waverley Borough Council's re-use of it was said in another Slack workspace, so it's changed or withdrawn there, or by whoever said it. Nothing was changed.";
    for text in [
        "unreuse bin-day-finder",
        "reuse bin-day-finder | we stopped, it is broken",
    ] {
        let a = theirs(&app, "U0CLAIMS", text).await;
        assert_eq!(a.said(), refused, "{text}");
        assert_eq!(a.json()["response_type"], "ephemeral", "{text}");
    }
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "on our bins page"
    );
    let page = app
        .request("GET", "/catalogue/bin-day-finder", &[], "")
        .await
        .body;
    assert!(page.contains("on our bins page"), "{page}");
    // Said again with no note, nothing changes, and the answer says it is recorded, and
    // where its note is changed: not offering a command that would be refused.
    let a = theirs(&app, "U0CLAIMS", "reuse bin-day-finder").await;
    assert!(a.said().contains("already re-uses"), "{}", a.said());
    assert!(
        a.said().contains(
            "it was said in another Slack workspace, so only someone of your council there"
        ),
        "{}",
        a.said()
    );
    assert!(!a.said().contains("changes the note"), "{}", a.said());

    // A colleague in the workspace it was said in may change it; whoever said it (now the
    // colleague) may withdraw it from anywhere.
    app.slash("U0WAV2", CHANNEL, "council Waverley BC").await;
    let a = app
        .slash("U0WAV2", CHANNEL, "reuse 1 | on the bins page and the app")
        .await;
    assert!(a.said().contains("note"), "{}", a.said());
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "on the bins page and the app"
    );
    theirs(&app, "U0WAV2", "council Waverley").await;
    let a = theirs(&app, "U0WAV2", "unreuse bin-day-finder").await;
    assert!(
        a.said()
            .starts_with("Done: Waverley Borough Council no longer re-uses"),
        "{}",
        a.said()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// Whoever said a re-use changing its note from another workspace they are in leaves it said
/// where it was: their colleagues there may still change it, and erasing the other
/// workspace leaves it. (It moved to the workspace the note was changed in.)
#[tokio::test]
async fn a_note_changed_from_another_workspace_leaves_the_reuse_where_it_was_said() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash("U0WAV", CHANNEL, "council Waverley BC").await;
    app.slash("U0WAV", CHANNEL, "reuse 1 | on our bins page")
        .await;
    theirs(&app, "U0WAV", "council Waverley BC").await;
    let a = theirs(&app, "U0WAV", "reuse bin-day-finder | in two services now").await;
    assert!(a.said().contains("note"), "{}", a.said());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM reuses WHERE said_in = '{TEAM}' AND said_by = 'U0WAV'"
        )),
        1
    );
    app.slash("U0WAV2", CHANNEL, "council Waverley BC").await;
    let a = app
        .slash("U0WAV2", CHANNEL, "reuse 1 | in three services")
        .await;
    assert!(a.said().contains("note"), "{}", a.said());
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "in three services"
    );
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 0)",
            [THEIRS],
        )
        .unwrap();
    crate::binary::beside_ok(&app, &["erase", "--team", THEIRS, "--yes"]);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reuses"),
        1,
        "said here: kept"
    );
}

/// A note changed in the project's workspace on a re-use said in another is kept as the
/// catalogue shows it, as one said from another workspace is: the other workspace's export
/// holds it, and must not name this one's people and channels by their ids.
#[tokio::test]
async fn a_note_changed_here_on_a_reuse_said_elsewhere_names_nobody_of_here() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    theirs(&app, WAV, "council Waverley BC").await;
    theirs(&app, WAV, "reuse bin-day-finder | for our bins").await;
    app.slash(WAV, CHANNEL, "council Waverley BC").await;
    let a = app
        .slash(
            WAV,
            CHANNEL,
            "reuse 1 | ask <@U0SAM|sam> in <#C0HR|hr-restructure>",
        )
        .await;
    assert!(a.said().contains("note"), "{}", a.said());
    let out = crate::binary::beside_ok(&app, &["export", "--team", THEIRS]);
    assert!(out.contains("ask "), "the note is there: {out}");
    assert!(!out.contains("U0SAM") && !out.contains("C0HR"), "{out}");
}

/// A workspace's export holds the re-uses of its projects, but not who said one in another
/// workspace (that workspace's person, never named here: the thread line names the
/// council); the export of the workspace where it was said names them.
#[tokio::test]
async fn a_workspace_export_does_not_name_who_said_a_reuse_elsewhere() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash("U0WAVHERE", CHANNEL, "council Mole Valley DC")
        .await;
    app.slash("U0WAVHERE", CHANNEL, "reuse 1 | on our site")
        .await;
    theirs(&app, WAV, "council Waverley BC").await;
    theirs(&app, WAV, "reuse bin-day-finder | for our bins").await;

    let said_by = |team: &str| -> Vec<(String, serde_json::Value)> {
        let out = crate::binary::beside_ok(&app, &["export", "--team", team]);
        let export: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut found: Vec<(String, serde_json::Value)> =
            export["workspaces"][0]["tables"]["reuses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["note"].as_str().unwrap().to_string(),
                        r["said_by"].clone(),
                    )
                })
                .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    };
    assert_eq!(
        said_by(TEAM),
        [
            ("for our bins".to_string(), serde_json::Value::Null),
            ("on our site".to_string(), "U0WAVHERE".into()),
        ]
    );
    assert_eq!(said_by(THEIRS), [("for our bins".to_string(), WAV.into())]);
    let out = crate::binary::beside_ok(&app, &["export", "--team", TEAM]);
    assert!(!out.contains(WAV), "{out}");
    // The re-uses are read column by column: every column the table has is there.
    let export: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut exported: Vec<String> = export["workspaces"][0]["tables"]["reuses"][0]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut columns: Vec<String> = app
        .db()
        .prepare("SELECT name FROM pragma_table_info('reuses')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    exported.sort();
    columns.sort();
    assert_eq!(exported, columns);
}

/// A catalogue page's link that ends a sentence (Slack sends `<http://…/catalogue/…>.`, the
/// full stop outside its token) names the service as without it: `show` shows the project,
/// `reuse` records the re-use. Each was refused as "not this address", or asked for a note.
/// A note said from another workspace is made fit for the public before it is kept: a
/// SharePoint link in it (`/:x:/` marks an Excel file) is kept as typed, not with ❌ in
/// place of its `:x:`, which nothing could have put back.
#[tokio::test]
async fn a_note_from_another_workspace_keeps_an_emoji_code_inside_its_address() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin data").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    theirs(&app, WAV, "council Waverley BC").await;
    let a = theirs(
        &app,
        WAV,
        "reuse bin-data | Our tracker: https://other.sharepoint.com/:x:/s/Waste/Eq1 :tada:",
    )
    .await;
    assert!(a.said().starts_with("Recorded"), "{}", a.said());
    assert_eq!(
        note_of(&app, "Waverley Borough Council"),
        "Our tracker: https://other.sharepoint.com/:x:/s/Waste/Eq1 🎉"
    );
}

#[tokio::test]
async fn a_catalogue_link_ending_a_sentence_names_the_service() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder | Postcode in").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let link = format!("<http://{}/catalogue/bin-day-finder>", app.addr);
    let by_number = app.slash("U0ALICE", CHANNEL, "show 1").await;
    for typed in [format!("show {link}."), "show bin-day-finder.".to_string()] {
        let a = app.slash("U0ALICE", CHANNEL, &typed).await;
        assert_eq!(a.text(), by_number.text(), "{typed}");
    }
    theirs(&app, WAV, "council Waverley BC").await;
    let a = theirs(&app, WAV, &format!("reuse {link}.")).await;
    assert!(a.said().starts_with("Recorded:"), "{}", a.said());
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
}

/// A retired service merged into one whose address is a number (a project called "311") is
/// answered with that address as it is typed (`catalogue/311`): bare, `reuse 311` would be
/// project #311 of the asker's own workspace. Followed, it re-uses the service it names.
#[tokio::test]
async fn a_service_merged_into_one_with_a_number_for_its_address_is_offered_by_its_path() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "council Guildford BC").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "311").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash(PITCHER, CHANNEL, "publish 2").await;
    app.slash(PITCHER, CHANNEL, "merge 1 into 2").await;
    theirs(&app, WAV, "council Waverley BC").await;

    let said = theirs(&app, WAV, "reuse bin-day-finder").await.said();
    let offered = said
        .split("`/makers ")
        .nth(1)
        .and_then(|s| s.split('`').next())
        .unwrap_or_else(|| panic!("no command offered: {said}"))
        .to_string();
    theirs(&app, WAV, &offered).await;
    let reused: Vec<String> = app
        .db()
        .prepare("SELECT p.title FROM reuses r JOIN projects p ON p.id = r.project_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(reused, ["311"], "after `/makers {offered}`: {said}");
    assert!(
        said.contains("merged into `catalogue/311`")
            && said.contains("`/makers reuse catalogue/311` says so"),
        "{said}"
    );
}
