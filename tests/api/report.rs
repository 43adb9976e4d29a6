//! `/makers report` and `makers-bot report`: a span's figures for a workspace (what was
//! pitched, joined, moved on, posted, published and re-used, where things stand, each
//! council's part), by financial quarters and years, or days typed; and the same for an
//! operator, as text or CSV.

use crate::helpers::*;

const OTHER: &str = "T0OTHER";

/// Two quarters of a workspace, and a pitch in another workspace in the second:
/// - Q2 of 2026/27 (10 August): Guildford pitches #1, Mole Valley joins it, an update, #1
///   to beta;
/// - Q3 (5 to 7 October): Waverley pitches #2, Guildford joins it, someone joins it and
///   leaves again, #1 goes live and is published, Waverley says it re-uses #1, an update
///   and one withdrawn, #2 retired;
/// - the other workspace pitches its own in Q3 (counted in no report of this one).
async fn two_quarters() -> TestApp {
    let app = spawn_app().await;
    app.clock.set("2026-08-10T10:00:00Z");
    for (who, council) in [
        ("U0GUI", "Guildford BC"),
        ("U0WAV", "Waverley BC"),
        ("U0MOLE", "Mole Valley DC"),
    ] {
        let a = app.slash(who, "C1", &format!("council {council}")).await;
        assert!(a.said().contains("recorded as working for"), "{}", a.said());
    }
    for (who, text) in [
        ("U0GUI", "pitch Bin day finder | Postcode in, bin days out"),
        ("U0MOLE", "join 1"),
        ("U0GUI", "update 1 Research done"),
        ("U0GUI", "phase 1 beta"),
    ] {
        let a = app.slash(who, "C1", text).await;
        assert_eq!(a.status, 200, "{text}");
    }
    app.clock.set("2026-10-05T10:00:00Z");
    for (who, text) in [
        ("U0WAV", "pitch Parking permits"),
        ("U0GUI", "join 2"),
        ("U0DROP", "join 2"),
        ("U0DROP", "leave 2"),
        ("U0GUI", "phase 1 live"),
        ("U0GUI", "publish 1"),
        ("U0WAV", "reuse 1 | On our website"),
        ("U0GUI", "update 1 Live for everyone"),
        ("U0MOLE", "update 1 Posted on the wrong one"),
        ("U0MOLE", "withdraw 1"),
        ("U0WAV", "phase 2 retired"),
    ] {
        let a = app.slash(who, "C1", text).await;
        assert_eq!(a.status, 200, "{text}");
    }
    let a = app
        .slash_in(OTHER, "U0ELSE", "C9", "pitch Street lights")
        .await;
    assert!(a.said().starts_with("Recorded as *#1"), "{}", a.said());
    app.clock.set("2026-12-05T13:00:00Z");
    app
}

/// What happened in the span: the report's first section, less its heading.
fn happened(text: &str) -> Vec<&str> {
    text.lines()
        .skip(1)
        .take_while(|l| !l.starts_with("*Now*"))
        .filter(|l| !l.is_empty())
        .collect()
}

#[tokio::test]
async fn a_report_counts_this_quarter_so_far_and_where_things_stand() {
    let app = two_quarters().await;
    let a = app.slash("U0GUI", "C1", "report").await;
    let body = a.json();
    assert_eq!(body["response_type"], "ephemeral");
    let text = a.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 October to 5 December 2026* (this quarter so far, Q3 of 2026/27)\n"
        ),
        "{text}"
    );
    assert_eq!(
        happened(&text),
        [
            "• *Projects:* 1 project pitched, led by 1 council · 1 project moved on a phase, to live · 1 project retired",
            "• *Teams:* 1 join, by people of 1 council · 1 update posted",
            "• *Re-use:* 1 new re-use said, by 1 council, of 1 project; by a council other than the one leading the project: work not done twice",
            "• *Public catalogue:* 1 project published",
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "*Now*\n• 1 open project: 1 live\n• 2 people in their teams, from 2 councils\n• 1 project in the public catalogue · 1 re-use by 1 council"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "*By council, in that time* (most giving first)\n\
             • *Guildford Borough Council* had its work re-used once and joined a team\n\
             • *Waverley Borough Council* took the lead on 1 new project and started re-using 1 project\n\
             `/makers councils` has every council's give and take since the start."
        ),
        "{text}"
    );
    // The notification line is the heading, without its markers.
    assert_eq!(
        a.said(),
        "Makers in this workspace: 1 October to 5 December 2026 (this quarter so far, Q3 of 2026/27)\n• Projects: 1 project pitched, led by 1 council · 1 project moved on a phase, to live · 1 project retired\n• Teams: 1 join, by people of 1 council · 1 update posted\n• Re-use: 1 new re-use said, by 1 council, of 1 project; by a council other than the one leading the project: work not done twice\n• Public catalogue: 1 project published"
    );
}

#[tokio::test]
async fn last_quarter_a_year_and_typed_days_are_each_their_own_span() {
    let app = two_quarters().await;
    let text = app
        .slash("U0GUI", "C1", "report last quarter")
        .await
        .blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 July to 30 September 2026* (Q2 of 2026/27)\n"
        ),
        "{text}"
    );
    assert_eq!(
        happened(&text),
        [
            "• *Projects:* 1 project pitched, led by 1 council · 1 project moved on a phase",
            "• *Teams:* 1 join, by people of 1 council · 1 update posted",
        ],
        "{text}"
    );
    assert!(
        text.contains("• *Guildford Borough Council* took the lead on 1 new project\n• *Mole Valley District Council* joined a team\n"),
        "{text}"
    );
    // The financial year holds both quarters.
    let text = app.slash("U0GUI", "C1", "report year").await.blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 1 April to 5 December 2026* (the financial year 2026/27 so far)\n"),
        "{text}"
    );
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 2 projects pitched, led by 2 councils · 1 project moved on a phase, to live · 1 project retired",
            "• *Teams:* 2 joins, by people of 2 councils · 2 updates posted",
        ],
        "{text}"
    );
    // Days typed: the last one whole, in London's time (5 October 10:00 UTC is in it).
    let text = app
        .slash("U0GUI", "C1", "report 2026-10-05 to 2026-10-05")
        .await
        .blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 5 October 2026*\n• *Projects:* 1 project pitched"
        ),
        "{text}"
    );
    // A span with nothing in it says so, and still says where things stand.
    let text = app
        .slash("U0GUI", "C1", "report 2026-04-01 to 2026-06-30")
        .await
        .blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 April to 30 June 2026*\nNothing was pitched, joined, moved on, posted, published or re-used in that time.\n*Now*\n• 1 open project: 1 live"
        ),
        "{text}"
    );
    assert!(!text.contains("*By council"), "{text}");
    // Everything: since the first pitch, on 10 August.
    let text = app.slash("U0GUI", "C1", "report all").await.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 10 August to 5 December 2026* (since the first pitch)\n"
        ),
        "{text}"
    );
    // The other workspace sees its own quarter only.
    let text = app.slash_in(OTHER, "U0ELSE", "C9", "report").await.blocks();
    assert_eq!(
        happened(&text),
        ["• *Projects:* 1 project pitched"],
        "{text}"
    );
    assert!(text.contains("• 1 open project: 1 in discovery\n• 1 person in their teams\n• 0 projects in the public catalogue"), "{text}");
}

#[tokio::test]
async fn a_span_that_cannot_be_counted_is_answered_with_how_to_say_one() {
    let app = two_quarters().await;
    let before = app.count("SELECT COUNT(*) FROM projects");
    for (text, answer) in [
        (
            "report next quarter",
            "I can't read `next quarter` as a span of days. Try `/makers report` (this quarter so far), `report last quarter`, `report month`, `report year` (the financial year), `report since 2026-04-01` or `report 2026-04-01 to 2026-06-30`.",
        ),
        (
            "report 2026-06-30 to 2026-04-01",
            "2026-06-30 comes after 2026-04-01: say the first day first, e.g. `/makers report 2026-04-01 to 2026-06-30`.",
        ),
        (
            "report since 2027-01-01",
            "2027-01-01 has not come yet, so there is nothing to count. Try `/makers report since` a day that has passed, or `/makers report` for this quarter so far.",
        ),
    ] {
        let a = app.slash("U0GUI", "C1", text).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["response_type"], "ephemeral");
        assert_eq!(a.said(), answer, "{text}");
    }
    // A word for it is pointed to it, not run.
    let a = app.slash("U0GUI", "C1", "stats").await;
    assert!(
        a.said()
            .starts_with("I don't know `stats`. Did you mean `report`?"),
        "{}",
        a.said()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), before);
}

#[tokio::test]
async fn a_report_by_mention_is_for_the_channel_but_not_one_shared_with_another_organisation() {
    let app = two_quarters().await;
    app.event(&mention(
        "EvRep",
        "U0GUI",
        "C0CHAT",
        "1764939600.000100",
        "report",
    ))
    .await;
    let replies = crate::mention::wait_for_reply_in(&app, "C0CHAT", 1).await;
    assert_eq!(replies[0].body["thread_ts"], "1764939600.000100");
    let said = message_text(&replies[0].body);
    assert!(
        said.contains("*Makers in this workspace: 1 October to 5 December 2026*"),
        "{said}"
    );
    // In a channel shared with another organisation its figures would count projects
    // that channel is not shown: the asker is told, privately, where to ask.
    let mut shared = mention("EvRep2", "U0GUI", "C0SHARED", "1764939600.000200", "report");
    shared["is_ext_shared_channel"] = true.into();
    app.event(&shared).await;
    let told = eventually("the refusal", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .find(|c| c.body["channel"] == "C0SHARED")
    })
    .await;
    assert_eq!(told.body["user"], "U0GUI");
    let text = message_text(&told.body);
    assert!(
        text.contains("this channel is shared with another organisation, so I don't give one here"),
        "{text}"
    );
    assert!(!text.contains("Makers in this workspace"), "{text}");
}

#[tokio::test]
async fn the_operator_reports_a_workspace_or_every_one_as_text_or_csv() {
    let app = two_quarters().await;
    let text = crate::binary::beside_ok(
        &app,
        &["report", "--team", TEAM, "2026-07-01", "to", "2026-09-30"],
    );
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 July to 30 September 2026*\n• *Projects:* 1 project pitched, led by 1 council · 1 project moved on a phase\n"
        ),
        "{text}"
    );
    // What it points to is typed where it is read.
    assert!(
        text.ends_with(
            "`makers-bot council list` lists every council.\n\nAnother span: `makers-bot report last quarter`, `report month`, `report year` (the financial year, from 1 April), `report since 2026-04-01` or `report 2026-04-01 to 2026-06-30`.\n"
        ),
        "{text}"
    );
    // Every workspace: the other's pitch counts too.
    let text = crate::binary::beside_ok(&app, &["report", "since", "2026-10-01"]);
    assert!(
        text.starts_with("*Makers in every Makers workspace: 1 October to ")
            && text.contains("• *Projects:* 2 projects pitched, led by 1 council"),
        "{text}"
    );
    let csv =
        crate::binary::beside_ok(&app, &["report", "--csv", "2026-10-01", "to", "2026-10-31"]);
    assert_eq!(
        csv,
        "council,from,to,projects_led_pitched,joins,reuses_started,reused_by_other_councils\n\
         Guildford Borough Council,2026-10-01,2026-10-31,0,1,0,1\n\
         Waverley Borough Council,2026-10-01,2026-10-31,1,0,1,0\n"
    );
    // Words that name no span: exit 1 with how to say one, in the binary's words.
    let out = crate::binary::beside(&app, &["report", "next", "quarter"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "I can't read `next quarter` as a span of days. Try `makers-bot report` (this quarter so far)"
        ),
        "{err}"
    );
    // A workspace with nothing pitched: an empty report, and a word that the id may be wrong.
    let out = crate::binary::beside(&app, &["report", "--team", "T0NOBODY"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no project was ever pitched in workspace T0NOBODY"),
        "{err}"
    );
}
