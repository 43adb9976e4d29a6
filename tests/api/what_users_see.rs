//! What users see, pinned as reviewed snapshots (`tests/api/snapshots/`): a change of wording
//! or layout shows up as a diff in review. Everything is driven through HTTP, as Slack would.
//!
//! After a deliberate change, write the new snapshots with `INSTA_UPDATE=always cargo test`
//! (or `cargo insta review`), read the diff, and commit the `.snap` files. CI only compares:
//! a missing or different snapshot fails there.

use serde_json::Value;

use crate::helpers::*;

const PITCHER: &str = "U0PITCHER";
const CHANNEL: &str = "C0MAKERS";
/// A Monday morning in London: every date in the messages is the same on every run.
const MONDAY: &str = "2026-11-16T10:00:00Z";

async fn app_on_monday() -> TestApp {
    let app = spawn_app().await;
    app.clock.set(MONDAY);
    app
}

/// A message as the bot sent it, without what the fake Slack added to its record of it.
fn as_sent(call: &Call) -> Value {
    let mut body = call.body.clone();
    let fields = body.as_object_mut().expect("a JSON object");
    fields.remove("_answered_ok");
    fields.remove("_ts");
    body
}

#[tokio::test]
async fn the_pitch_reply_and_its_announcement() {
    let app = app_on_monday().await;
    let a = app
        .slash(
            PITCHER,
            CHANNEL,
            "pitch Bin day finder | One app for every council's bin days & <b>no</b> pings",
        )
        .await;
    insta::assert_json_snapshot!("pitch_reply", a.json());
    let posts = app.slack.wait_for("chat.postMessage", 1, SHORT).await;
    insta::assert_json_snapshot!("pitch_announcement", as_sent(&posts[0]));
}

#[tokio::test]
async fn the_project_list() {
    let app = app_on_monday().await;
    let empty = app.slash("U1", "C1", "list").await;
    insta::assert_json_snapshot!("list_empty", empty.json());
    pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Parking permits | One permit service",
    )
    .await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Library search").await;
    app.slash(PITCHER, "C1", "phase 2 beta").await;
    app.slash("U0BOB", "C1", "join 3").await;
    app.slash(PITCHER, "C1", "phase 1 retired").await;
    let list = app.slash("U1", "C1", "list").await;
    insta::assert_json_snapshot!("list", list.json());
}

#[tokio::test]
async fn a_project_shown_in_full() {
    let app = app_on_monday().await;
    app.slash(PITCHER, "C1", "council Guildford BC").await;
    app.slash("U0BOB", "C1", "council waverley").await;
    pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bin day finder | One app for every council's bin days",
    )
    .await;
    // A day apart, so the team is listed in the order it joined whatever the wall clock does
    // meanwhile (members who join in the same second are listed by id).
    for joiner in ["U0CAROL", "U0BOB"] {
        app.clock.advance_days(1);
        let a = app.slash(joiner, "C1", "join 1").await.text();
        assert!(a.contains("You're in the team"), "{a}");
    }
    for step in [
        "Interviewed 12 residents",
        "Prototype is up",
        "Passed the assessment",
    ] {
        app.clock.advance_days(3);
        let a = app.slash(PITCHER, "C1", &format!("update 1 {step}")).await;
        assert!(a.text().contains("is recorded"), "{}", a.body);
    }
    app.clock.advance_days(1);
    let a = app
        .slash(PITCHER, "C1", "phase 1 alpha | user research done")
        .await;
    assert!(a.text().contains("is now in *alpha*"), "{}", a.body);
    let shown = app.slash("U1", "C1", "show 1").await;
    insta::assert_json_snapshot!("show", shown.json());
}

#[tokio::test]
async fn the_help() {
    // A public address of its own: the help links the catalogue under it.
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    let help = app.slash("U1", "C1", "help").await;
    insta::assert_json_snapshot!("help", help.json());
}

/// `text` with any run of more than 20 `x` written as `<121 × x>`, so the snapshot stays
/// readable.
fn shorten(text: &str) -> String {
    let mut out = String::new();
    let mut run = 0;
    for c in text.chars().chain(std::iter::once('\0')) {
        if c == 'x' {
            run += 1;
            continue;
        }
        match run {
            0 => {}
            1..=20 => out.push_str(&"x".repeat(run)),
            n => out.push_str(&format!("<{n} × x>")),
        }
        run = 0;
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Every refusal a user can meet: each `UserError` and `ParseError` (`src/domain/problem.rs`),
/// typed the way a user would. One snapshot, so the whole voice of the bot's "no" reads as one
/// reviewed list. A new variant belongs here too.
#[tokio::test]
async fn every_mistake_gets_its_own_private_answer() {
    let app = app_on_monday().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Old thing").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, "C1", "phase 1 retired").await;
    let long = |n: usize| "x".repeat(n);
    let cases: Vec<(&str, &str, String)> = vec![
        // UserError, one each.
        ("U1", "C1", "pitch   | just a description".into()),
        ("U1", "C1", format!("pitch {}", long(121))),
        ("U1", "C1", format!("pitch Fine title | {}", long(2001))),
        ("U1", "C1", "show 7".into()),
        ("U1", "D0DIRECT", "pitch Private idea".into()),
        ("U0BOB", "C1", "join 1".into()),
        ("U1", "C1", "council ...".into()),
        (PITCHER, "C1", "update 2".into()),
        (PITCHER, "C1", format!("update 2 {}", long(2001))),
        ("U0STRANGER", "C1", "update 2 I am not in this team".into()),
        (PITCHER, "C1", "phase 2 discovery".into()),
        ("U1", "C1", format!("council {}", long(101))),
        ("U1", "D0DIRECT", "digest".into()),
        ("U1", "C1", "reuse 2 | on our site".into()),
        ("U1", "C1", "council Borough Council".into()),
        ("U1", "C1", "search the".into()),
        // (RetiredNotReusable needs a council recorded: tests/api/reuse.rs.)
        // ParseError, one each (and each subcommand that takes a project).
        ("U1", "C1", "show".into()),
        ("U1", "C1", "join".into()),
        ("U1", "C1", "leave".into()),
        ("U1", "C1", "update".into()),
        ("U1", "C1", "phase".into()),
        ("U1", "C1", "reuse".into()),
        ("U1", "C1", "unreuse banana".into()),
        ("U1", "C1", "show banana".into()),
        ("U1", "C1", "update two words".into()),
        ("U1", "C1", "show 1 2".into()),
        ("U1", "C1", "phase 2".into()),
        ("U1", "C1", "phase 2 gamma".into()),
        ("U1", "C1", "list all of them".into()),
        ("U1", "C1", "digest someday 25:00".into()),
        // Each said for its own command, not another's.
        ("U1", "C1", "show my".into()),
        ("U1", "C1", "correct 2".into()),
        ("U1", "C1", "lead-council 2 Borough Council".into()),
        ("U1", "C1", "list council Borough Council".into()),
        (PITCHER, "C1", format!("phase 2 alpha | {}", long(2001))),
        (PITCHER, "C1", format!("edit 2 {}", long(121))),
        ("U0STRANGER", "C1", "remove 2 <@U0BOB>".into()),
        // The help's placeholders copied, as Slack sends what was typed.
        ("U1", "C1", "pitch <title> | <description>".into()),
        ("U1", "C1", "join <id>".into()),
        // Someone else named, or an address, where only a number goes.
        ("U1", "C1", "join 2 <@U0SAM|sam>".into()),
        ("U1", "C1", "leave 2 <@U0SAM|sam>".into()),
        ("U1", "C1", "show 2 <https://example.org/x>".into()),
        (
            "U1",
            "C1",
            "show <https://makers.example.org/catalogue/bin-day-finder>".into(),
        ),
        ("U1", "C1", "join <https://www.suffolk.gov.uk/bins>".into()),
        ("U1", "C1", "leave <https://www.suffolk.gov.uk/bins>".into()),
        (
            PITCHER,
            "C1",
            "link 2 <https://github.com/suffolk/bins>".into(),
        ),
        // A question after a number that would change something: nothing done, and how.
        ("U1", "C1", "join #2?".into()),
    ];
    let mut seen = String::new();
    for (user, channel, text) in &cases {
        let a = app.slash(user, channel, text).await;
        assert_eq!(a.status, 200, "{text}");
        let reply = a.json();
        assert_eq!(reply["response_type"], "ephemeral", "{text}");
        let fallback = reply["text"].as_str().expect("a text");
        let blocks = message_text(&Value::Array(
            reply["blocks"].as_array().cloned().unwrap_or_default(),
        ));
        let shown = match blocks.trim_end() {
            "" => fallback.to_string(),
            b if b == fallback => fallback.to_string(),
            b => format!("{b}\n  (notification: {fallback})"),
        };
        seen.push_str(&format!(
            "/makers {}  [{user} in {channel}]\n  {shown}\n\n",
            shorten(text)
        ));
    }
    insta::assert_snapshot!("mistakes", seen);
    // Nothing was recorded by any of them: two pitches, one phase change, no updates.
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM phase_changes"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// Slack's screen readers read a message's `text` and not its blocks (chat.postMessage,
/// "Accessibility considerations"), and a phone's notification shows `text` alone: so a
/// message whose blocks say more than a line says it in `text` too, after the notification
/// line it opens with, escaped as its blocks are (once), well within Slack's 4,000.
#[tokio::test]
async fn a_screen_reader_hears_what_the_blocks_say() {
    let app = app_on_monday().await;
    app.slash(PITCHER, "C1", "council Guildford BC").await;
    let ts = pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        "Bin day finder | One app for every council's bins & <b>no</b> pings",
    )
    .await;
    let call = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["_ts"] == ts.as_str())
        .unwrap();
    let said = fallback_text(&call.body);
    assert!(
        said.starts_with("New Makers project #1: Bin day finder"),
        "the notification first: {said}"
    );
    assert!(
        said.contains("One app for every council's bins &amp; &lt;b&gt;no&lt;/b&gt; pings")
            && said.contains("<@U0PITCHER>"),
        "{said}"
    );
    let show = app.slash("U2", "C1", "show 1").await.said();
    assert!(show.starts_with("#1: Bin day finder"), "{show}");
    assert!(
        show.contains("One app for every council's bins &amp;")
            && show.contains("Phase")
            && show.contains("Guildford Borough Council"),
        "{show}"
    );
    let help = app.slash("U2", "C1", "help").await.said();
    assert!(
        help.starts_with("Makers helps councils build things once, together.")
            && help.contains("/makers join &lt;id&gt;")
            && help.contains("/makers report"),
        "{help}"
    );
    let list = app.slash("U2", "C1", "list").await.said();
    assert!(
        list.starts_with("Open projects (1)") && list.contains("Bin day finder"),
        "{list}"
    );
    let found = app.slash("U2", "C1", "search bins").await.said();
    assert!(found.contains("#1* Bin day finder"), "{found}");
    let councils = app.slash("U2", "C1", "councils").await.said();
    assert!(councils.contains("Guildford Borough Council"), "{councils}");
    let report = app.slash("U2", "C1", "report").await.said();
    assert!(report.contains("Guildford Borough Council"), "{report}");
    // Pitched again: which project looks like it, and not only how many do.
    let again = app.slash("U2", CHANNEL, "pitch Bin finder").await.said();
    assert!(
        again.contains("1 open project looks like it") && again.contains("#1* Bin day finder"),
        "{again}"
    );
    let preview = app.slash("U2", "C1", "digest preview").await.said();
    assert!(
        preview.starts_with("Makers digest")
            && preview.contains("A preview, only you see it")
            && preview.contains("Bin day finder"),
        "{preview}"
    );
    for text in [
        &said, &show, &help, &list, &found, &councils, &report, &again, &preview,
    ] {
        assert!(!text.contains("&amp;amp;"), "escaped once: {text}");
        assert!(text.chars().count() <= 3_500, "{text}");
    }
}
