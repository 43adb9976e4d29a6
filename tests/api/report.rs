//! `/makers report` and `makers-bot report`: a period's figures for a workspace (what was
//! pitched, moved on, went live, joined, posted, published and re-used, the councils new to
//! Makers, where things stand today, each council's part), by financial quarters and years,
//! months or days typed; and the same for an operator, as text or CSV.

use crate::helpers::*;

const OTHER: &str = "T0OTHER";
const SECRET: &str = "C0SECRET";

/// Runs `text` as `who` in C1 at `at` (the clock stopped there), which must be answered.
async fn at(app: &TestApp, when: &str, who: &str, text: &str) -> String {
    app.clock.set(when);
    app.clock.stop();
    let a = app.slash(who, "C1", text).await;
    assert_eq!(a.status, 200, "{text}");
    a.said()
}

/// Two quarters of a workspace, and another workspace beside it:
/// - Q2 of 2026/27 (10 August): Guildford, Waverley and Mole Valley said; Guildford pitches
///   #1, Mole Valley joins it, an update, #1 to beta;
/// - Q3: Waverley pitches #2 at 00:30 on 5 October in London (23:30 UTC the day before);
///   then on 5 October Guildford joins #2, someone joins it and leaves again, #1 goes live
///   and is published, Waverley says it re-uses #1, an update and one withdrawn, #2
///   retired; #3 pitched, put live and back to beta (neither move stands); #4 pitched in a
///   private channel and put live; Woking said;
/// - the other workspace: Elmbridge and Waverley said, its own project pitched, in Q3.
async fn two_quarters() -> TestApp {
    let app = spawn_app().await;
    app.slack.private_channel(SECRET);
    for (who, text) in [
        ("U0GUI", "council Guildford BC"),
        ("U0WAV", "council Waverley BC"),
        ("U0MOLE", "council Mole Valley DC"),
        ("U0GUI", "pitch Bin day finder | Postcode in, bin days out"),
        ("U0MOLE", "join 1"),
        ("U0GUI", "update 1 Research done"),
        ("U0GUI", "phase 1 beta"),
    ] {
        at(&app, "2026-08-10T10:00:00Z", who, text).await;
    }
    let said = at(
        &app,
        "2026-10-04T23:30:00Z",
        "U0WAV",
        "pitch Parking permits",
    )
    .await;
    assert!(said.starts_with("Recorded as *#2"), "{said}");
    for (who, text) in [
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
        ("U0GUI", "pitch Garden waste"),
        ("U0GUI", "phase 3 live"),
        ("U0GUI", "phase 3 beta"),
        ("U0WOK", "council Woking BC"),
    ] {
        at(&app, "2026-10-05T10:00:00Z", who, text).await;
    }
    pitch_and_wait(&app, "U0GUI", SECRET, "Staff rota finder").await;
    at(&app, "2026-10-05T10:00:00Z", "U0GUI", "phase 4 live").await;
    for text in ["council Elmbridge BC", "pitch Street lights"] {
        let a = app.slash_in(OTHER, "U0ELSE", "C9", text).await;
        assert_eq!(a.status, 200);
    }
    // Waverley said there too: one council for every workspace, not new to Makers there.
    let a = app
        .slash_in(OTHER, "U0ELSE2", "C9", "council Waverley BC")
        .await;
    assert!(a.said().contains("recorded as working for"), "{}", a.said());
    // Running on from here: posts are paced by the clock.
    app.clock.set("2026-12-05T13:00:00Z");
    app
}

/// What happened in the period: the report's first section, less its heading, and the
/// comparison with the period before.
fn happened(text: &str) -> Vec<&str> {
    text.lines()
        .skip(1)
        // "*Where things stood at the period's end*", "*Where things stand today*".
        .take_while(|l| !l.starts_with("*Where things st"))
        .filter(|l| !l.is_empty())
        .collect()
}

#[tokio::test]
async fn a_report_counts_this_quarter_so_far_and_where_things_stand() {
    let app = two_quarters().await;
    let a = app.slash("U0WAV", "C1", "report").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    // The notification line (the figures follow it, for a screen reader).
    assert_eq!(
        a.said().lines().next(),
        Some("Makers in this workspace: 1 October to 5 December 2026 (Q3 of 2026/27, so far)")
    );
    let text = a.blocks();
    assert_eq!(
        happened(&text),
        [
            "• *Projects:* 3 projects pitched · 2 projects moved to a later phase · 1 project retired",
            "• *Went live:* #1 Bin day finder and 1 more (not named here)",
            "• *Teams:* 1 join, by 1 person from 1 council · 1 update posted",
            "• *Re-use:* 1 re-use said, by 1 council, of 1 project",
            "• *Public catalogue:* 1 project published",
            "• *New to Makers:* Woking Borough Council",
            // As far into Q2 as this is into Q3: 10 August's pitch, move, join, update and
            // councils. Gone live counts the project the asker may not be shown.
            "*Compared with the same point in Q2 of 2026/27* (1 July to 5 September 2026)",
            "• Projects pitched: 3 (1 then)",
            "• Moved to a later phase: 2 (1 then)",
            "• Went live: 2 (0 then)",
            "• Retired: 1 (0 then)",
            "• Joins: 1 (1 then)",
            "• People who joined: 1 (1 then)",
            "• Updates posted: 1 (1 then)",
            "• Re-uses said: 1 (0 then)",
            "• Published in the catalogue: 1 (0 then)",
            "• Councils new to Makers: 1 (3 then)",
            // #1, #3 and #4 now; #1 on 5 September.
            "• Open projects today: 3 (1 then)",
        ],
        "{text}"
    );
    assert!(!text.contains("stood at"), "{text}");
    assert!(
        text.contains(
            "*Where things stand today* (5 December 2026)\n• 3 open projects: 1 in beta, 2 live\n• 2 people from 2 councils in their teams\n• 1 project in the public catalogue · 1 re-use said, by 1 council\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "*By council, in that time* (most giving first)\n\
             • *Guildford Borough Council* had its work re-used once, took the lead on 2 new projects and joined a team\n\
             • *Waverley Borough Council* took the lead on 1 new project and started re-using 1 project\n\
             `/makers councils` has every council's give and take since the start, in every workspace.\n"
        ),
        "{text}"
    );
    // The other workspace's council and project are in its report, not this one's.
    assert!(
        !text.contains("Elmbridge") && !text.contains("Street lights"),
        "{text}"
    );
    // The private channel's project is named to its team.
    let text = app.slash("U0GUI", "C1", "report").await.blocks();
    assert!(
        text.contains("• *Went live:* #4 Staff rota finder, #1 Bin day finder\n"),
        "{text}"
    );
}

#[tokio::test]
async fn last_quarter_a_year_a_month_and_typed_days_are_each_their_own_period() {
    let app = two_quarters().await;
    for words in ["last quarter", "Q2", "q2 of 2026/27"] {
        let text = app
            .slash("U0GUI", "C1", &format!("report {words}"))
            .await
            .blocks();
        assert!(
            text.starts_with(
                "*Makers in this workspace: 1 July to 30 September 2026* (Q2 of 2026/27)\n"
            ),
            "{words}: {text}"
        );
        assert_eq!(
            happened(&text),
            [
                "• *Projects:* 1 project pitched · 1 project moved to a later phase",
                "• *Teams:* 1 join, by 1 person from 1 council · 1 update posted",
                "• *New to Makers:* Guildford Borough Council, Mole Valley District Council, Waverley Borough Council",
            ],
            "{words}: {text}"
        );
        assert!(
            text.contains(
                "• *Guildford Borough Council* took the lead on 1 new project\n• *Mole Valley District Council* joined a team\n"
            ),
            "{text}"
        );
        // At its end #1 was in beta, from its phase changes: it is live now.
        assert!(
            text.contains(
                "*Where things stood at the period's end* (30 September 2026)\n• 1 open project: 1 in beta\n\
                 • Teams, the catalogue and re-uses were not counted that night: today's are below.\n\
                 *Where things stand today* (5 December 2026)\n• 3 open projects: 1 in beta, 2 live\n"
            ),
            "{words}: {text}"
        );
    }
    // October's end: #2 retired, #3 back in beta, #4 (a private channel's, counted) live.
    let text = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert!(
        text.contains(
            "*Where things stood at the period's end* (31 October 2026)\n• 3 open projects: 1 in beta, 2 live\n"
        ),
        "{text}"
    );
    // The heading's days, typed back: the same days.
    let text = app
        .slash("U0GUI", "C1", "report 1 July to 30 September 2026")
        .await
        .blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 1 July to 30 September 2026*\n• *Projects:* 1 project pitched · 1 project moved to a later phase\n"),
        "{text}"
    );
    // The financial year holds both quarters, however it is named.
    let text = app
        .slash("U0GUI", "C1", "report the financial year 2026/27")
        .await
        .blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 1 April to 5 December 2026* (the financial year 2026/27, so far)\n"),
        "{text}"
    );
    let text = app.slash("U0GUI", "C1", "report 2026/27").await.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 April to 5 December 2026* (the financial year 2026/27, so far)\n"
        ),
        "{text}"
    );
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 4 projects pitched · 2 projects moved to a later phase · 1 project retired",
            "• *Went live:* #4 Staff rota finder, #1 Bin day finder",
        ],
        "{text}"
    );
    let text = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 October to 31 October 2026* (October 2026)\n"
        ),
        "{text}"
    );
    // Days are London's: 23:30 UTC on 4 October is 5 October there.
    let text = app.slash("U0GUI", "C1", "report 2026-10-05").await.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 5 October 2026*\n• *Projects:* 3 projects pitched ·"
        ),
        "{text}"
    );
    let text = app.slash("U0GUI", "C1", "report 2026-10-04").await.blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 4 October 2026*\nNothing was pitched, joined, moved on, posted, published or re-used in that time.\n"),
        "{text}"
    );
    // Typed the wrong way round, written out: the same days.
    let text = app
        .slash("U0GUI", "C1", "report 30 June 2026 to 1 April 2026")
        .await
        .blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 1 April to 30 June 2026*\nNothing was pitched, joined, moved on, posted, published or re-used in that time.\n*Where things stand today* (5 December 2026, not at the period's end)\n• 3 open projects: 1 in beta, 2 live"
        ),
        "{text}"
    );
    assert!(!text.contains("*By council"), "{text}");
    let text = app.slash("U0GUI", "C1", "report all").await.blocks();
    assert!(
        text.starts_with(
            "*Makers in this workspace: 10 August to 5 December 2026* (since the first pitch)\n"
        ),
        "{text}"
    );
    let text = app
        .slash("U0GUI", "C1", "report last 90 days")
        .await
        .blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 7 September to 5 December 2026*\n"),
        "{text}"
    );
    // The other workspace sees its own.
    let text = app.slash_in(OTHER, "U0ELSE", "C9", "report").await.blocks();
    assert_eq!(
        happened(&text),
        [
            "• *Projects:* 1 project pitched",
            "• *New to Makers:* Elmbridge Borough Council",
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "• 1 open project: 1 in discovery\n• 1 person from 1 council in their teams\n• 0 projects in the public catalogue\n*By council, in that time* (most giving first)\n• *Elmbridge Borough Council* took the lead on 1 new project\n`/makers councils`"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Guildford") && !text.contains("Woking"),
        "{text}"
    );
}

/// A quiet month is set against the month before, which was not; the quarter before the
/// first pitch is nothing to set against (the second test's `last quarter`); and what
/// happened as far into the period before as now is into this one is counted, not the
/// rest of it.
#[tokio::test]
async fn a_period_is_set_against_the_one_before() {
    let app = two_quarters().await;
    let text = app.slash("U0GUI", "C1", "report last month").await.blocks();
    assert_eq!(
        happened(&text),
        [
            "Nothing was pitched, joined, moved on, posted, published or re-used in that time.",
            "*Compared with October 2026* (1 October to 31 October 2026)",
            "• Projects pitched: 0 (3 then)",
            "• Moved to a later phase: 0 (2 then)",
            "• Went live: 0 (2 then)",
            "• Retired: 0 (1 then)",
            "• Joins: 0 (1 then)",
            "• People who joined: 0 (1 then)",
            "• Updates posted: 0 (1 then)",
            "• Re-uses said: 0 (1 then)",
            "• Published in the catalogue: 0 (1 then)",
            "• Councils new to Makers: 0 (1 then)",
            // #1, #3 and #4 at the end of each.
            "• Open projects at the end: 3 (3 then)",
        ],
        "{text}"
    );
    // 10 August is more than five days into its month: the first five days of August
    // hold nothing, and neither does the same part of December, so there is no line.
    app.clock.set("2026-09-05T12:00:00Z");
    let text = app.slash("U0GUI", "C1", "report month").await.blocks();
    assert!(!text.contains("Compared with"), "{text}");
    app.clock.set("2026-09-11T12:00:00Z");
    let text = app.slash("U0GUI", "C1", "report month").await.blocks();
    assert!(
        text.contains(
            "*Compared with the same point in August 2026* (1 August to 11 August 2026)\n\
             • Projects pitched: 0 (1 then)\n• Moved to a later phase: 0 (1 then)\n• Joins: 0 (1 then)\n\
             • People who joined: 0 (1 then)\n• Updates posted: 0 (1 then)\n• Councils new to Makers: 0 (3 then)\n"
        ),
        "{text}"
    );
}

/// A period already over gives its teams, catalogue and re-uses as they were tallied just
/// after its last day ended (what was in the catalogue then is not kept, nor, before
/// migrations 0052 and 0053, memberships and re-uses that ended), and sets its people
/// against the period before's where both were tallied.
#[tokio::test]
async fn a_period_over_gives_its_teams_as_tallied_at_its_end() {
    let app = two_quarters().await;
    // Half a minute after midnight in London (GMT since 25 October), someone joins #3: too
    // soon to tally (a write acknowledged before midnight may still be queued), and after
    // the day's end, so not of it.
    at(&app, "2026-11-01T00:00:30Z", "U0LATE", "join 3").await;
    let tallied = "SELECT COUNT(*) FROM day_tallies WHERE day = '2026-10-31'";
    assert_eq!(app.count(tallied), 0);
    // Asked then, October's report works out where things stood at its end as the tally
    // will (it said the night was not counted), and tallies nothing.
    let text = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert!(
        text.contains(
            "*Where things stood at the period's end* (31 October 2026)\n\
             • 3 open projects: 1 in beta, 2 live\n\
             • 2 people from 2 councils in their teams\n"
        ) && !text.contains("not counted that night"),
        "{text}"
    );
    assert_eq!(app.count(tallied), 0);
    // Ten minutes after midnight: 31 October tallied, as the fixture left it (this
    // workspace, the other and every workspace together). The tick records its tallies
    // after its digests, which is what `scheduler_has_run` waits for: so waited for here.
    app.clock.set("2026-11-01T00:10:00Z");
    let tallies = |n: i64| {
        let app = &app;
        move || (app.count(tallied) == n).then_some(())
    };
    eventually("31 October's three tallies", SHORT, tallies(3)).await;
    // A workspace's first project within the hour: tallied at the next look (with nothing
    // pitched by the day's end).
    let a = app
        .slash_in("T0THIRD", "U0THIRD", "C7", "pitch Street cleaning")
        .await;
    assert_eq!(a.status, 200);
    eventually("the new workspace's tally", SHORT, tallies(4)).await;
    assert_eq!(
        app.count(
            "SELECT people FROM day_tallies WHERE day = '2026-10-31' AND team_id = 'T0THIRD'"
        ),
        0
    );
    // Mole Valley's one person leaves #1 in November (and the late joiner #3); the end of
    // November is tallied.
    at(&app, "2026-11-15T10:00:00Z", "U0MOLE", "leave 1").await;
    at(&app, "2026-11-15T10:00:00Z", "U0LATE", "leave 3").await;
    app.clock.set("2026-12-01T00:30:00Z");
    let november = "SELECT COUNT(*) FROM day_tallies WHERE day = '2026-11-30'";
    eventually("30 November's tallies", SHORT, || {
        (app.count(november) == 4).then_some(())
    })
    .await;
    // An hour and more after midnight, nothing more: a tally then would be of the next day.
    app.clock.set("2026-12-02T01:30:00Z");
    app.scheduler_has_run().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM day_tallies WHERE day = '2026-12-01'"),
        0
    );
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert!(
        text.contains(
            "*Where things stood at the period's end* (31 October 2026)\n\
             • 3 open projects: 1 in beta, 2 live\n\
             • 2 people from 2 councils in their teams\n\
             • 1 project in the public catalogue · 1 re-use said, by 1 council\n\
             *Where things stand today* (5 December 2026)\n\
             • 3 open projects: 1 in beta, 2 live\n\
             • 1 person from 1 council in their teams\n"
        ),
        "{text}"
    );
    // September's end was not tallied: no line for its people.
    assert!(!text.contains("People in their teams"), "{text}");
    let text = app.slash("U0GUI", "C1", "report November").await.blocks();
    assert!(
        text.contains(
            "• Open projects at the end: 3 (3 then)\n• People in their teams at the end: 1 (2 then)\n"
        ),
        "{text}"
    );
    // The operator's report of every workspace reads every workspace's tally: the other
    // workspace's one person too.
    let text = crate::binary::beside_ok(&app, &["report", "October", "2026"]);
    assert!(
        text.contains(
            "Where things stood at the period's end (31 October 2026)\n\
             • 4 open projects: 1 in discovery, 1 in beta, 2 live\n\
             • 3 people from 3 councils in their teams\n"
        ),
        "{text}"
    );
}

/// A past quarter's joins and re-uses, and its teams and re-uses at its end, stand however
/// people leave and councils stop later: a leave keeps the membership as ended, an
/// `unreuse` the re-use. One ended before the quarter ended is not counted; one ended after
/// it is, in the figures, the councils' parts, a council's report and `--projects`; and one
/// ended just after midnight, before the day is tallied, is still in that day's tally.
#[tokio::test]
async fn a_past_quarters_joins_and_reuses_stand_however_they_end_later() {
    let app = spawn_app().await;
    for (who, text) in [
        ("U0GUI", "council Guildford BC"),
        ("U0MOLE", "council Mole Valley DC"),
        ("U0WAV", "council Waverley BC"),
        ("U0GUI", "pitch Bin day finder"),
        ("U0MOLE", "join 1"),
        ("U0WAV", "join 1"),
        ("U0WAV", "reuse 1 | On our website"),
        ("U0MOLE", "reuse 1"),
    ] {
        at(&app, "2026-08-10T10:00:00Z", who, text).await;
    }
    // Within the quarter, Waverley's person leaves and Mole Valley stops re-using #1: neither
    // stood at its end.
    at(&app, "2026-08-20T10:00:00Z", "U0WAV", "leave 1").await;
    let said = at(&app, "2026-08-20T10:00:00Z", "U0MOLE", "unreuse 1").await;
    assert!(said.contains("no longer"), "{said}");
    // Half a minute after Q2 ended (midnight in London, BST), too soon to tally it, Mole
    // Valley's person leaves and Waverley stops re-using #1: the tally ten minutes later
    // still has them.
    at(&app, "2026-09-30T23:00:30Z", "U0MOLE", "leave 1").await;
    at(&app, "2026-09-30T23:00:30Z", "U0WAV", "unreuse 1").await;
    app.clock.set("2026-09-30T23:10:00Z");
    eventually("30 September's tallies", SHORT, || {
        let n = app.count("SELECT COUNT(*) FROM day_tallies WHERE day = '2026-09-30'");
        (n == 2).then_some(())
    })
    .await;
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report Q2").await.blocks();
    assert_eq!(
        happened(&text)[..3],
        [
            "• *Projects:* 1 project pitched",
            "• *Teams:* 1 join, by 1 person from 1 council",
            "• *Re-use:* 1 re-use said, by 1 council, of 1 project"
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "*Where things stood at the period's end* (30 September 2026)\n\
             • 1 open project: 1 in discovery\n\
             • 2 people from 2 councils in their teams\n\
             • 0 projects in the public catalogue · 1 re-use said, by 1 council\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "*Where things stand today* (5 December 2026)\n\
             • 1 open project: 1 in discovery\n\
             • 1 person from 1 council in their teams\n\
             • 0 projects in the public catalogue\n"
        ),
        "{text}"
    );
    // Each council's part: Waverley's re-use stood at the quarter's end, its join did not;
    // Mole Valley's join did, its re-use did not.
    assert!(
        text.contains(
            "*By council, in that time* (most giving first)\n\
             • *Guildford Borough Council* had its work re-used once and took the lead on 1 new project\n\
             • *Mole Valley District Council* joined a team\n\
             • *Waverley Borough Council* started re-using 1 project\n"
        ),
        "{text}"
    );
    // Each council's own report of the quarter names the same.
    let council = |name: &str| {
        let app = &app;
        let asked = format!("report Q2 for {name}");
        async move { app.slash("U0GUI", "C1", &asked).await.blocks() }
    };
    let text = council("Waverley").await;
    assert!(
        text.contains("• *Re-uses it started:* #1 Bin day finder"),
        "{text}"
    );
    let text = council("Guildford").await;
    assert!(
        text.contains("• *Councils that started re-using its work:* Waverley Borough Council"),
        "{text}"
    );
    let text = council("Mole Valley").await;
    assert!(!text.contains("Re-uses it started"), "{text}");
    // The operator's list of the quarter's projects counts the same join.
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "--team", TEAM, "Q2", "2026/27"],
    );
    let row = csv.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with("T123ABC456,1,Bin day finder,Guildford Borough Council,discovery,discovery,2026-08-10,,1,0,1,1,0,"),
        "{csv}"
    );
    // The leaves are kept as the team's history, in the workspace's export.
    let export = crate::binary::beside_ok(&app, &["export", "--team", TEAM]);
    let export: serde_json::Value = serde_json::from_str(&export).unwrap();
    let ended = export["workspaces"][0]["tables"]["memberships_ended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(ended, ["U0WAV", "U0MOLE"]);
    let ended = export["workspaces"][0]["tables"]["reuses_ended"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(ended, 2);
}

/// Whoever pitched a project, led it no longer and left its team, joining it again later is a
/// join as anyone's (the thread says so): in the digest's "Who joined", the report's figures,
/// the councils' parts and `--projects`, and kept for their council when they say another.
/// Only the membership the pitch made is not a join.
#[tokio::test]
async fn a_pitcher_who_handed_over_left_and_joined_again_is_counted_as_a_join() {
    let app = spawn_app().await;
    for (who, text) in [
        ("U0GUI", "council Guildford BC"),
        ("U0WAV", "council Waverley BC"),
        ("U0GUI", "pitch Bin day finder"),
        ("U0GUI", "pitch Parking permits"),
        ("U0WAV", "join 1"),
        ("U0GUI", "handover 1 <@U0WAV>"),
        ("U0GUI", "leave 1"),
    ] {
        at(&app, "2026-08-10T10:00:00Z", who, text).await;
    }
    let said = at(&app, "2026-08-17T10:00:00Z", "U0GUI", "join 1").await;
    assert!(!said.contains("already"), "{said}");
    let preview = app.slash("U0GUI", "C1", "digest preview").await.json();
    // The notification line, then the blocks (whose words `text` says again).
    let preview = format!(
        "{}\n{}",
        fallback_text(&preview).lines().next().unwrap(),
        blocks_text(&preview)
    );
    // A week back from the preview: the pitches, Waverley's join and Guildford's join again;
    // not the memberships the pitches made.
    assert!(
        preview.starts_with("Makers digest, 10 Aug to 17 Aug: 2 new pitches, 2 joins, 0 updates")
            && preview.contains(
                "Give and take across every Makers workspace: *Guildford Borough Council* took the lead on 2 new projects and joined a team · *Waverley Borough Council* joined a team\n"
            )
            && preview.contains("*Who joined*\n"),
        "{preview}"
    );
    // Linked to the pitch once its announcement is out.
    let joined: Vec<&str> = preview
        .lines()
        .filter(|l| l.starts_with("• Someone from") && l.contains("#1 Bin day finder"))
        .collect();
    assert_eq!(joined.len(), 2, "{preview}");
    assert!(
        joined[0].starts_with("• Someone from Guildford Borough Council joined")
            && joined[1].starts_with("• Someone from Waverley Borough Council joined"),
        "{preview}"
    );

    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report Q2").await.blocks();
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 2 projects pitched",
            "• *Teams:* 2 joins, by 2 people from 2 councils",
        ],
        "{text}"
    );
    assert!(
        text.contains(
            "*By council, in that time* (most giving first)\n\
             • *Guildford Borough Council* took the lead on 2 new projects and joined a team\n\
             • *Waverley Borough Council* joined a team\n"
        ),
        "{text}"
    );
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "--team", TEAM, "Q2", "2026/27"],
    );
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows[0].starts_with("T123ABC456,1,Bin day finder,Guildford Borough Council,discovery,discovery,2026-08-10,,2,")
            && rows[1].starts_with("T123ABC456,2,Parking permits,Guildford Borough Council,discovery,discovery,2026-08-10,,0,"),
        "{csv}"
    );
    // Saying another council, their join again stays Guildford's in reports.
    let said = at(
        &app,
        "2026-12-05T13:00:00Z",
        "U0GUI",
        "council Mole Valley DC",
    )
    .await;
    assert!(
        said.contains("The team you joined while at *Guildford Borough Council* still counts for it in reports"),
        "{said}"
    );
}

/// Each council's part, and what no council is counted for (a project with no lead
/// council, a join by someone who has not said theirs), add up to the report's figures, in
/// Slack and in the operator's CSV.
#[tokio::test]
async fn what_no_council_is_counted_for_is_said_so_the_parts_add_up() {
    let app = spawn_app().await;
    for (who, text) in [
        ("U0NOCO", "pitch Pothole reporter"),
        ("U0GUI", "council Guildford BC"),
        ("U0GUI", "pitch Bin day finder"),
        ("U0NEW", "join 1"),
        ("U0GUI", "join 1"),
        // Each of two people joins twice, one without a council and one with Guildford: the
        // CSV's people count each once.
        ("U0NEW", "join 2"),
        ("U0NOCO", "pitch Street light survey"),
        ("U0GUI", "join 3"),
    ] {
        at(&app, "2026-11-10T10:00:00Z", who, text).await;
    }
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report November").await.blocks();
    assert!(
        text.contains(
            "• *Projects:* 3 projects pitched\n• *Teams:* 4 joins, by 2 people from 1 council\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "*By council, in that time* (most giving first)\n\
             • *Guildford Borough Council* took the lead on 1 new project and joined teams 2 times\n\
             • Not counted for any council: 2 new projects with no lead council, 2 joins by people who have not said their council\n"
        ),
        "{text}"
    );
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--csv", "--team", TEAM, "November", "2026"],
    );
    assert_eq!(
        csv,
        "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils,people_joined\n\
         Guildford Borough Council,2026-11-01,2026-11-30,1,2,0,0,1\n\
         (no council said),2026-11-01,2026-11-30,2,2,0,0,1\n"
    );
}

#[tokio::test]
async fn a_period_that_cannot_be_counted_is_answered_with_how_to_say_one() {
    let app = two_quarters().await;
    let before = app.count("SELECT COUNT(*) FROM projects");
    for (text, answer) in [
        (
            "report Waverley",
            "I can't tell which days `Waverley` means. Try `/makers report last quarter`, `/makers report Q2`, `/makers report April`, `/makers report year` (the financial year, from 1 April), `/makers report last 30 days`, or dates such as `/makers report 2026-04-01 to 2026-06-30`. For one council's part, put `for` and its name after the period: `/makers report last quarter for Waverley`.",
        ),
        (
            "report since 2027-01-01",
            "1 January 2027 has not come yet, so there is nothing to count. Try `/makers report` for this quarter so far, or a period that has begun, such as `/makers report last quarter`.",
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
async fn a_report_by_mention_is_for_the_asker_and_not_given_in_a_channel_shared_with_another_organisation()
 {
    let app = two_quarters().await;
    app.event(&mention(
        "EvRep",
        "U0WAV",
        "C0CHAT",
        "1764939600.000100",
        "report",
    ))
    .await;
    let answer = eventually("the report", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .find(|c| c.body["channel"] == "C0CHAT")
    })
    .await;
    assert_eq!(answer.body["user"], "U0WAV");
    let said = message_text(&answer.body);
    assert!(
        said.contains("*Makers in this workspace: 1 October to 5 December 2026*")
            && said.contains("• *Went live:* #1 Bin day finder and 1 more (not named here)\n"),
        "{said}"
    );
    // November, compared with October, when the private channel's project went live: the
    // answer kept in the outbox (and so in an export) counts what went live then, and
    // names none of it.
    app.event(&mention(
        "EvRepNov",
        "U0WAV",
        "C0CHAT",
        "1764939600.000300",
        "report last month",
    ))
    .await;
    let answer = eventually("November's report", SHORT, || {
        app.slack
            .calls("chat.postEphemeral")
            .into_iter()
            .find(|c| message_text(&c.body).contains("*Makers in this workspace: 1 November"))
    })
    .await;
    assert!(
        message_text(&answer.body).contains("\n• Went live: 0 (2 then)\n"),
        "{}",
        message_text(&answer.body)
    );
    let kept: Vec<String> = app
        .db()
        .prepare("SELECT notice FROM outbox WHERE notice LIKE '%\"before\":{%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept.len(), 2, "{kept:?}");
    let before: Vec<serde_json::Value> = kept
        .iter()
        .map(|n| serde_json::from_str::<serde_json::Value>(n).unwrap()["notice"]["reply"]["before"]["happened"].clone())
        .collect();
    assert_eq!(before[1]["went_live_unnamed"], 2, "{kept:?}");
    assert!(
        before
            .iter()
            .all(|b| b["went_live"] == serde_json::json!([]))
            && !kept[1].contains("Staff rota finder"),
        "{kept:?}"
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
        text.contains(
            "this channel is shared with another organisation, so by mention I don't give one here"
        ),
        "{text}"
    );
    // Where it works: typed here, not in another channel.
    assert!(
        text.contains(
            "`/makers report` typed in the channel (not in a thread) gives it to you alone"
        ),
        "{text}"
    );
    // Each answer is one post: the private one seen above, none for the channel.
    let posted: Vec<Call> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] == "C0SHARED" || c.body["channel"] == "C0CHAT")
        .collect();
    assert!(posted.is_empty(), "{posted:?}");
}

#[tokio::test]
async fn the_operator_reports_a_workspace_or_every_one_as_text_or_csv() {
    let app = two_quarters().await;
    let text = crate::binary::beside_ok(
        &app,
        &["report", "--team", TEAM, "2026-10-01", "to", "2026-12-04"],
    );
    // An option after the period is the option (it was read as words of the period).
    let after = crate::binary::beside_ok(
        &app,
        &["report", "2026-10-01", "to", "2026-12-04", "--team", TEAM],
    );
    assert_eq!(after, text);
    // Plain text, every project named but #4, pitched in a private channel: what is printed
    // may go further than its channel. Asked for, its title too.
    assert!(
        text.starts_with(&format!(
            "Makers in workspace {TEAM}: 1 October to 4 December 2026\n\
             • Projects: 3 projects pitched · 2 projects moved to a later phase · 1 project retired\n\
             • Went live: #1 Bin day finder and 1 more (not named here)\n"
        )) && !text.contains("Staff rota"),
        "{text}"
    );
    let out = crate::binary::beside(
        &app,
        &["report", "--team", TEAM, "2026-10-01", "to", "2026-12-04"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 project(s) pitched in a private channel counted without a title; --private-titles gives them"),
        "{err}"
    );
    let named = crate::binary::beside_ok(
        &app,
        &[
            "report",
            "--private-titles",
            "--team",
            TEAM,
            "2026-10-01",
            "to",
            "2026-12-04",
        ],
    );
    assert!(
        named.contains("\n• Went live: #4 Staff rota finder, #1 Bin day finder\n"),
        "{named}"
    );
    // What it points to is typed where it is read.
    assert!(
        text.ends_with(
            "makers-bot council list lists every council.\n\nFor another period: makers-bot report last quarter, makers-bot report Q2, makers-bot report April, makers-bot report year (the financial year, from 1 April) or makers-bot report 2026-04-01 to 2026-06-30.\n"
        ),
        "{text}"
    );
    // Every workspace: the other's pitch and council count too, its projects by title. The
    // command reads the machine's clock, not the test's: its day, before and after (a
    // midnight may pass between).
    let machine_day = || {
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::London)
            .date_naive()
    };
    let asked_on = machine_day();
    let text = crate::binary::beside_ok(&app, &["report", "2026-10-01", "to", "2026-12-04"]);
    let days = [asked_on, machine_day()];
    assert!(
        text.starts_with(
            "Makers in every Makers workspace: 1 October to 4 December 2026\n\
             • Projects: 4 projects pitched · 2 projects moved to a later phase · 1 project retired\n\
             • Went live: Bin day finder and 1 more (not named here)\n"
        ) && text.contains("• New to Makers: Elmbridge Borough Council, Woking Borough Council\n")
            && text.contains("• Elmbridge Borough Council took the lead on 1 new project\n"),
        "{text}"
    );
    // Set against as many days before: 10 August's.
    assert!(
        text.contains(
            "\n\nCompared with the 65 days before (28 July to 30 September 2026)\n• Projects pitched: 4 (1 then)\n"
        ),
        "{text}"
    );
    // Days already over: where things stood at their end, and at the end of those before;
    // today, the machine's.
    assert!(
        days.iter().any(|today| text.contains(&format!(
            "• Open projects at the end: 4 (1 then)\n\n\
             Where things stood at the period's end (4 December 2026)\n\
             • 4 open projects: 1 in discovery, 1 in beta, 2 live\n\
             • Teams, the catalogue and re-uses were not counted that night: today's are below.\n\n\
             Where things stand today ({})\n",
            today.format("%-d %B %Y")
        ))),
        "{text}"
    );
    let csv = crate::binary::beside_ok(&app, &["report", "--csv", "2026-10-01", "-", "2026-10-31"]);
    // The councils' rows name no project: asking for titles there is a mistake said, not
    // an option silently without effect.
    let both = crate::binary::beside(&app, &["report", "--csv", "--private-titles", "October"]);
    let err = String::from_utf8_lossy(&both.stderr);
    assert_eq!(both.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the argument '--csv' cannot be used with '--private-titles'"),
        "{err}"
    );
    assert_eq!(
        csv,
        "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils,people_joined\n\
         Guildford Borough Council,2026-10-01,2026-10-31,2,1,0,1,1\n\
         Waverley Borough Council,2026-10-01,2026-10-31,1,0,1,0,0\n\
         Elmbridge Borough Council,2026-10-01,2026-10-31,1,0,0,0,0\n"
    );
    // Every project active in October, a project a row: the retired one retired in it, the
    // one gone live in it, its phase then and now; the private channel's without its title.
    let asked_on = machine_day();
    let out = crate::binary::beside(
        &app,
        &[
            "report",
            "--projects",
            "--team",
            TEAM,
            "2026-10-01",
            "to",
            "2026-10-31",
        ],
    );
    assert!(out.status.success());
    // `now_is`: the machine's day, as above.
    let days = [asked_on, machine_day()];
    let listed = String::from_utf8_lossy(&out.stdout);
    let now_is = days
        .iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .find(|d| listed.contains(&format!(",{d},")))
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(
        listed,
        format!(
            "workspace_id,project_number,title,lead_council,phase_at_period_end,phase_now,pitched_on,went_live_in_period_on,joins_in_period,updates_in_period,reuses_said_in_period,team_size_now,reusing_councils_now,in_catalogue_now,private_channel,period_first_day,period_last_day,now_is,phase_at_period_start,moved_on_in_period\n\
         T123ABC456,1,Bin day finder,Guildford Borough Council,live,live,2026-08-10,2026-10-05,0,1,1,2,1,yes,no,2026-10-01,2026-10-31,{now_is},beta,yes\n\
         T123ABC456,2,Parking permits,Waverley Borough Council,retired,retired,2026-10-05,,1,0,0,2,0,no,no,2026-10-01,2026-10-31,{now_is},discovery,no\n\
         T123ABC456,3,Garden waste,Guildford Borough Council,beta,beta,2026-10-05,,0,0,0,1,0,no,no,2026-10-01,2026-10-31,{now_is},discovery,no\n\
         T123ABC456,4,(pitched in a private channel),Guildford Borough Council,live,live,2026-10-05,2026-10-05,0,0,0,1,0,no,yes,2026-10-01,2026-10-31,{now_is},discovery,yes\n"
        )
    );
    // The rows marked as moved on are the report's "2 projects moved to a later phase" (#3,
    // put live and back to beta the same day, is not).
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 project(s) pitched in a private channel listed without a title; --private-titles gives them"),
        "{err}"
    );
    // Asked for, its title; for Excel, the byte order mark and CRLF line ends.
    let csv = crate::binary::beside_ok(
        &app,
        &[
            "report",
            "--projects",
            "--private-titles",
            "--excel",
            "--team",
            TEAM,
            "2026-10-01",
            "to",
            "2026-10-31",
        ],
    );
    assert!(
        csv.starts_with("\u{feff}workspace_id,project_number,")
            && csv.contains("\r\nT123ABC456,4,Staff rota finder,"),
        "{csv:?}"
    );
    // For Excel is of a CSV: alone, refused with how to ask.
    let out = crate::binary::beside(&app, &["report", "--excel"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<--csv|--projects>"), "{err}");
    // In August, #1's phase at the end of it was beta, though live now.
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "--team", TEAM, "August", "2026"],
    );
    assert!(
        csv.contains(
            "\nT123ABC456,1,Bin day finder,Guildford Borough Council,beta,live,2026-08-10,,1,1,0,"
        ),
        "{csv}"
    );
    // Before any was pitched, none; every workspace's, the other's too.
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "2026-07-01", "to", "2026-08-09"],
    );
    assert_eq!(csv.lines().count(), 1, "{csv}");
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "2026-10-01", "to", "2026-10-31"],
    );
    assert!(
        csv.contains(&format!(
            "\n{OTHER},1,Street lights,Elmbridge Borough Council,discovery,"
        )),
        "{csv}"
    );
    // Words that name no period: exit 1 with how to say one.
    let out = crate::binary::beside(&app, &["report", "next", "quarter"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "cannot tell which days \"next quarter\" means: say a period as /makers report takes it"
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
    // Retired all through November: not in its list, even once brought back after it.
    let a = app.slash("U0WAV", "C1", "phase 2 alpha").await;
    assert_eq!(a.status, 200);
    let november = ["report", "--projects", "--team", TEAM, "November", "2026"];
    let csv = crate::binary::beside_ok(&app, &november);
    assert!(!csv.contains("Parking permits"), "{csv}");
    // Unless its team posted in it: the report counts the update, so the list has it.
    // (By someone in its team who has not acted since: the clock goes back to November.)
    let said = at(
        &app,
        "2026-11-10T10:00:00Z",
        "U0GUI",
        "update 2 Handed over to the county",
    )
    .await;
    assert!(
        said.contains("Your update on *#2: Parking permits* is recorded"),
        "{said}"
    );
    app.clock.set("2026-12-05T14:00:00Z");
    let csv = crate::binary::beside_ok(&app, &november);
    assert!(
        csv.contains("\nT123ABC456,2,Parking permits,Waverley Borough Council,retired,alpha,2026-10-05,,0,1,0,"),
        "{csv}"
    );
    let csv = crate::binary::beside_ok(
        &app,
        &[
            "report",
            "--projects",
            "--team",
            TEAM,
            "2026-12-01",
            "to",
            "2026-12-31",
        ],
    );
    assert!(
        csv.contains("Parking permits,Waverley Borough Council,alpha,alpha,"),
        "{csv}"
    );
    // A title a spreadsheet would run is made inert in the project list.
    let a = app
        .slash_in(OTHER, "U0ELSE", "C9", "pitch =SUM(A1) counter")
        .await;
    assert_eq!(a.status, 200);
    let csv = crate::binary::beside_ok(
        &app,
        &[
            "report",
            "--projects",
            "--team",
            OTHER,
            "2026-12-01",
            "to",
            "2026-12-31",
        ],
    );
    assert!(
        csv.contains(&format!(
            "\n{OTHER},2,'=SUM(A1) counter,Elmbridge Borough Council,discovery,"
        )),
        "{csv}"
    );
    // A workspace installed through OAuth is named as Slack named it then, beside its id.
    app.db()
        .execute(
            "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token,
                 scopes, installed_by, installed_at, updated_at)
             VALUES (?1, 'Surrey Digital', 'A1', 'U0BOT9', x'00', 'commands', 'U0ELSE', 1, 1)",
            [OTHER],
        )
        .unwrap();
    let text = crate::binary::beside_ok(&app, &["report", "--team", OTHER, "October", "2026"]);
    assert!(
        text.starts_with(&format!(
            "Makers in Surrey Digital ({OTHER}): 1 October to 31 October 2026 (October 2026)\n"
        )),
        "{text}"
    );
    // Installed with no name from Slack (recorded under its id): by its id, once.
    app.db()
        .execute(
            "UPDATE installations SET team_name = team_id WHERE team_id = ?1",
            [OTHER],
        )
        .unwrap();
    let text = crate::binary::beside_ok(&app, &["report", "--team", OTHER, "October", "2026"]);
    assert!(
        text.starts_with(&format!("Makers in workspace {OTHER}: 1 October")),
        "{text}"
    );
}

/// `--projects --council`: the projects one council leads, for its own return, in every
/// workspace or one; the council by any spelling of its name, or a former name (a merge
/// since), with a near one named when none is recorded.
#[tokio::test]
async fn the_operator_lists_one_councils_projects_for_its_return() {
    let app = two_quarters().await;
    let october = |council: &str, team: Option<&str>| {
        let mut args = vec!["report", "--projects", "--council", council];
        if let Some(team) = team {
            args.extend(["--team", team]);
        }
        args.extend(["2026-10-01", "to", "2026-10-31"]);
        crate::binary::beside_ok(&app, &args)
    };
    // The columns are the list's, each row Guildford's: #1, #3 and #4 (all of October's
    // four but Waverley's #2).
    let rows = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|row| row.split(',').take(4).collect::<Vec<_>>().join(","))
            .collect()
    };
    let guildford = october("guildford borough council", None);
    assert!(csv_header_is_the_lists(&guildford), "{guildford}");
    assert_eq!(
        rows(&guildford),
        [
            "T123ABC456,1,Bin day finder,Guildford Borough Council",
            "T123ABC456,3,Garden waste,Guildford Borough Council",
            "T123ABC456,4,(pitched in a private channel),Guildford Borough Council",
        ]
    );
    assert_eq!(
        rows(&october("Guildford Borough Council", Some(TEAM))),
        rows(&guildford)
    );
    // Elmbridge leads the other workspace's: in every workspace's list, not in this one's,
    // where the operator is told it leads none.
    assert_eq!(
        rows(&october("Elmbridge Borough Council", None)),
        [format!("{OTHER},1,Street lights,Elmbridge Borough Council")]
    );
    assert_eq!(
        rows(&october("Elmbridge Borough Council", Some(OTHER))).len(),
        1
    );
    let out = crate::binary::beside(
        &app,
        &[
            "report",
            "--projects",
            "--council",
            "Elmbridge Borough Council",
            "--team",
            TEAM,
            "October",
            "2026",
        ],
    );
    assert!(out.status.success());
    assert_eq!(rows(&String::from_utf8_lossy(&out.stdout)).len(), 0);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Elmbridge Borough Council led no project active in that period at its end"),
        "{out:?}"
    );

    // Not recorded: refused (exit 1), a near one named, nothing printed.
    let out = crate::binary::beside(
        &app,
        &[
            "report",
            "--projects",
            "--council",
            "Guildferd Borough Council",
            "October",
            "2026",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no council is recorded as \"Guildferd Borough Council\": did you mean \"Guildford Borough Council\"?"),
        "{err}"
    );
    // Of the project list only: alone, refused with how to ask.
    let out = crate::binary::beside(&app, &["report", "--council", "Guildford Borough Council"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--projects"));

    // Waverley merged into Guildford: by its former name, Guildford's list, #2 in it, and
    // the operator told whose it is.
    // October's list of the council a former name leads to, and what stderr said.
    let merge = |from: &str, into: &str| {
        crate::binary::beside_ok(&app, &["council", "merge", from, "--into", into, "--yes"]);
    };
    let by_former_name = |name: &str| {
        let out = crate::binary::beside(
            &app,
            &[
                "report",
                "--projects",
                "--council",
                name,
                "2026-10-01",
                "to",
                "2026-10-31",
            ],
        );
        assert!(out.status.success(), "{out:?}");
        let said = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (said(&out.stdout), said(&out.stderr))
    };
    merge("Waverley Borough Council", "Guildford Borough Council");
    let (csv, err) = by_former_name("Waverley Borough Council");
    assert_eq!(rows(&csv).len(), 4, "{csv}");
    assert!(
        csv.contains("\nT123ABC456,2,Parking permits,Guildford Borough Council,"),
        "{csv}"
    );
    assert!(
        err.contains("Waverley Borough Council was merged into Guildford Borough Council: Guildford Borough Council's projects follow, those Waverley Borough Council led among them"),
        "{err}"
    );
    // Guildford renamed (one council, a new name): by its name before, the same list.
    merge(
        "Guildford Borough Council",
        "Guildford and Waverley Council",
    );
    let (csv, err) = by_former_name("Guildford Borough Council");
    assert_eq!(rows(&csv).len(), 4, "{csv}");
    assert!(csv.contains(",Guildford and Waverley Council,"), "{csv}");
    assert!(
        err.contains("Guildford Borough Council is now called Guildford and Waverley Council: its projects follow"),
        "{err}"
    );
}

/// Whether `csv` opens with the project list's header.
fn csv_header_is_the_lists(csv: &str) -> bool {
    csv.starts_with("workspace_id,project_number,title,lead_council,phase_at_period_end,")
}

/// A workspace that removed the app is in nobody's report of every workspace: nobody
/// there reads the bot, and what it left is kept only until it is erased.
#[tokio::test]
async fn a_workspace_that_removed_the_app_is_left_out_of_the_report_of_every_one() {
    let app = two_quarters().await;
    // As an OAuth workspace's `app_uninstalled` leaves it (tests/api/uninstall.rs).
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 1764939600)",
            [OTHER],
        )
        .unwrap();
    let text = crate::binary::beside_ok(&app, &["report", "2026-10-01", "to", "2026-12-04"]);
    assert!(
        text.contains("• Projects: 3 projects pitched ·") && !text.contains("Elmbridge"),
        "{text}"
    );
}

/// A council's report counts re-uses of a service whose workspace removed the app, which stays
/// in the catalogue and may still be re-used: as the digest's give and take and the report's
/// own "where it stands today" count them. Only the operator's report of every workspace
/// leaves such a workspace out.
#[tokio::test]
async fn a_councils_report_counts_a_reuse_of_a_service_whose_workspace_removed_the_app() {
    let app = spawn_app().await;
    app.clock.set("2026-08-01T10:00:00Z");
    for text in ["council Elmbridge BC", "pitch Street lights"] {
        let a = app.slash_in(OTHER, "U0ELSE", "C9", text).await;
        assert_eq!(a.status, 200);
    }
    app.outbox_settled().await;
    let a = app.slash_in(OTHER, "U0ELSE", "C9", "publish 1").await;
    assert!(a.said().contains("street-lights"), "{}", a.said());
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 1754042400)",
            [OTHER],
        )
        .unwrap();
    at(&app, "2026-08-10T10:00:00Z", "U0WAV", "council Waverley BC").await;
    let said = at(&app, "2026-08-10T10:00:00Z", "U0WAV", "reuse street-lights").await;
    assert!(said.contains("Recorded"), "{said}");
    let preview = message_text(&app.slash("U0WAV", "C1", "digest preview").await.json());
    let started = "*Waverley Borough Council* started re-using 1 project";
    assert!(preview.contains(started), "{preview}");

    app.clock.set("2026-12-05T13:00:00Z");
    let text = app
        .slash("U0WAV", "C1", "report Q2 for Waverley")
        .await
        .blocks();
    assert!(
        text.contains(&format!(
            "In that time, across every Makers workspace: {started}.\n"
        )) && text.contains("• *Re-uses it started:* 1 project (not named here)\n"),
        "{text}"
    );
    let text = app
        .slash("U0WAV", "C1", "report Q2 for Elmbridge")
        .await
        .blocks();
    assert!(
        text.contains("• *Councils that started re-using its work:* Waverley Borough Council"),
        "{text}"
    );
    // The operator's report of every workspace still leaves it out.
    let csv = crate::binary::beside_ok(&app, &["report", "--csv", "Q2", "2026/27"]);
    assert!(!csv.contains("Elmbridge"), "{csv}");
}

/// A council's report counts the projects of a workspace that removed the app (not yet
/// erased) in every part, as its heading does: where it stood at the period's end too, and
/// from the first pitch in any workspace for `all`.
#[tokio::test]
async fn a_councils_report_counts_a_removed_workspaces_projects_at_the_periods_end() {
    let app = spawn_app().await;
    app.clock.set("2026-08-10T10:00:00Z");
    for text in [
        "council Guildford BC",
        "pitch Street lights",
        "pitch Bin day finder",
    ] {
        let a = app.slash_in(OTHER, "U0ELSE", "C9", text).await;
        assert_eq!(a.status, 200);
    }
    app.outbox_settled().await;
    // As an OAuth workspace's `app_uninstalled` leaves it (tests/api/uninstall.rs).
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 1764939600)",
            [OTHER],
        )
        .unwrap();
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app
        .slash("U0WAV", "C1", "report last quarter for Guildford")
        .await
        .blocks();
    assert!(
        text.contains("took the lead on 2 new projects")
            && text.contains(
                "• Across every Makers workspace, it led 2 open projects: 2 in discovery\n"
            ),
        "{text}"
    );
    let text = app
        .slash("U0WAV", "C1", "report all for Guildford")
        .await
        .blocks();
    assert!(
        text.starts_with("*Guildford Borough Council in Makers: 10 August to 5 December 2026* (since the first pitch)\n"),
        "{text}"
    );
}

/// The first weekly digest after a financial quarter ends says so, with the report that
/// gives its figures, which then gives them; the next week's does not.
#[tokio::test]
async fn the_digest_after_a_quarter_ends_points_to_its_report() {
    let app = spawn_app().await;
    app.clock.set("2026-09-28T10:00:00Z");
    app.slash("U0GUI", "C0DIGEST", "digest").await;
    pitch_and_wait(&app, "U0GUI", "C1", "Bin day finder").await;
    let digests = |n: usize| {
        let app = &app;
        async move {
            eventually(
                &format!("{n} digests"),
                std::time::Duration::from_secs(20),
                || {
                    let posted: Vec<String> = posted_to(&app.slack, "C0DIGEST")
                        .into_iter()
                        .filter(|t| t.contains("Makers digest"))
                        .collect();
                    (posted.len() == n).then_some(posted)
                },
            )
            .await
        }
    };
    // Monday 5 October, 09:00 in London: the week held midnight on 1 October.
    app.clock.set("2026-10-05T08:00:30Z");
    let first = digests(1).await;
    assert!(
        first[0].contains(
            "*Q2 of 2026/27 has ended*: `/makers report Q2 of 2026/27` gives its figures, for a return or a show and tell."
        ),
        "{}",
        first[0]
    );
    let report = app
        .slash("U0GUI", "C1", "report Q2 of 2026/27")
        .await
        .blocks();
    assert!(
        report.starts_with(
            "*Makers in this workspace: 1 July to 30 September 2026* (Q2 of 2026/27)\n• *Projects:* 1 project pitched\n"
        ),
        "{report}"
    );
    app.clock.set("2026-10-12T08:00:30Z");
    let second = digests(2).await;
    assert!(!second[1].contains("has ended"), "{}", second[1]);
}

/// A project brought back from retired to live did not go live in the period: it was live
/// before. Nor is the move counted as one to a later phase, and its retirement, undone, is
/// not counted where it happened.
#[tokio::test]
async fn a_project_brought_back_from_retired_did_not_go_live_again() {
    let app = spawn_app().await;
    at(
        &app,
        "2026-08-10T10:00:00Z",
        "U0GUI",
        "pitch Bin day finder",
    )
    .await;
    at(&app, "2026-08-10T10:00:00Z", "U0GUI", "phase 1 live").await;
    at(&app, "2026-08-11T10:00:00Z", "U0GUI", "phase 1 retired").await;
    at(&app, "2026-10-05T10:00:00Z", "U0GUI", "phase 1 live").await;
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report").await.blocks();
    assert!(
        text.starts_with("*Makers in this workspace: 1 October to 5 December 2026* (Q3 of 2026/27, so far)\nNothing was pitched, joined, moved on, posted, published or re-used in that time.\n"),
        "{text}"
    );
    let text = app
        .slash("U0GUI", "C1", "report last quarter")
        .await
        .blocks();
    // Q2 as it stood at its end: gone live, and retired then (brought back only in Q3).
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 1 project pitched · 1 project moved to a later phase · 1 project retired",
            "• *Went live:* #1 Bin day finder",
        ],
        "{text}"
    );
}

/// A project retired from beta and brought straight back to live went live then: it was
/// never live before. The move counts as one to a later phase too, beta being before live.
#[tokio::test]
async fn a_project_brought_back_from_retired_to_live_from_beta_went_live() {
    let app = spawn_app().await;
    at(
        &app,
        "2026-08-10T10:00:00Z",
        "U0GUI",
        "pitch Bin day finder",
    )
    .await;
    at(&app, "2026-08-10T10:00:00Z", "U0GUI", "phase 1 beta").await;
    at(&app, "2026-10-05T10:00:00Z", "U0GUI", "phase 1 retired").await;
    at(&app, "2026-10-06T10:00:00Z", "U0GUI", "phase 1 live").await;
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report").await.blocks();
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 1 project moved to a later phase",
            "• *Went live:* #1 Bin day finder",
        ],
        "{text}"
    );
}

/// A project merged, brought back (which ends the merge) and then retired plainly, all in
/// the period, is retired but not merged: only its latest retirement there says which.
#[tokio::test]
async fn a_merge_undone_and_retired_again_in_the_period_is_no_merge() {
    let app = spawn_app().await;
    for text in [
        "pitch Bin day finder",
        "pitch Bin days",
        "merge 2 into 1",
        "phase 2 alpha",
        "phase 2 retired",
    ] {
        at(&app, "2026-10-05T10:00:00Z", "U0GUI", text).await;
    }
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report").await.blocks();
    assert!(
        happened(&text)[0].ends_with("· 1 project retired"),
        "{text}"
    );
    assert!(!text.contains("merged"), "{text}");
}

/// A period over counts its moves as they stood at its end: a project moved back or
/// brought back after it does not change its report, which a return already sent quotes;
/// moved back within it, the move is not counted.
#[tokio::test]
async fn a_period_over_counts_its_moves_as_they_stood_at_its_end() {
    let app = two_quarters().await;
    let october = |text: &str| happened(text)[..2].join("\n");
    let before = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert_eq!(
        october(&before),
        "• *Projects:* 3 projects pitched · 2 projects moved to a later phase · 1 project retired\n\
         • *Went live:* #4 Staff rota finder, #1 Bin day finder",
        "{before}"
    );
    // In November #2 is brought back and #1 put back to beta.
    at(&app, "2026-11-10T10:00:00Z", "U0WAV", "phase 2 alpha").await;
    at(&app, "2026-11-10T10:00:00Z", "U0GUI", "phase 1 beta").await;
    app.clock.set("2026-12-05T13:00:00Z");
    let after = app.slash("U0GUI", "C1", "report October").await.blocks();
    assert_eq!(october(&after), october(&before), "{after}");
    // A project merged into another is retired, and said to be merged: its work carries on.
    at(
        &app,
        "2026-11-12T10:00:00Z",
        "U0GUI",
        "pitch Garden waste collections",
    )
    .await;
    let merged = at(&app, "2026-11-12T10:00:00Z", "U0GUI", "merge 5 into 3").await;
    assert!(merged.contains("#5"), "{merged}");
    // Brought back in December: November's report still says it was merged then.
    at(&app, "2026-12-02T10:00:00Z", "U0GUI", "phase 5 alpha").await;
    app.clock.set("2026-12-05T13:00:00Z");
    let text = app.slash("U0GUI", "C1", "report November").await.blocks();
    // #2, brought back from retired into alpha, is later than discovery, where it was before.
    assert_eq!(
        happened(&text)[0],
        "• *Projects:* 1 project pitched · 1 project moved to a later phase · 1 project retired (1 merged into another)",
        "{text}"
    );
    // The quarter so far ends now: #2 and #5 are not retired, #1 not live; #2 and #5,
    // brought back into alpha from discovery, moved on.
    let text = app.slash("U0GUI", "C1", "report").await.blocks();
    assert_eq!(
        happened(&text)[..2],
        [
            "• *Projects:* 4 projects pitched · 3 projects moved to a later phase",
            "• *Went live:* #4 Staff rota finder",
        ],
        "{text}"
    );
}

/// `report … for <council>`: one council's part in the period, for its digital lead to tell
/// its own managers: what moved across every workspace, this workspace's projects it led
/// that went live and those it started re-using, by number where the reader may see them,
/// and who started re-using its work; then where it stands today.
#[tokio::test]
async fn a_councils_part_is_reported_for_it() {
    let app = two_quarters().await;
    let a = app.slash("U0WAV", "C1", "report for Guildford").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    // The notification line (the figures follow it, for a screen reader).
    assert_eq!(
        a.said().lines().next(),
        Some(
            "Guildford Borough Council in Makers: 1 October to 5 December 2026 (Q3 of 2026/27, so far)"
        )
    );
    let text = a.blocks();
    assert!(
        text.starts_with(
            "*Guildford Borough Council in Makers: 1 October to 5 December 2026* (Q3 of 2026/27, so far)\n\
             In that time, across every Makers workspace: *Guildford Borough Council* had its work re-used once, took the lead on 2 new projects and joined a team.\n\
             • *New projects it leads here:* #3 Garden waste and 1 more (not named here)\n\
             • *Went live here, led by it:* #1 Bin day finder and 1 more (not named here)\n\
             • *Councils that started re-using its work:* Waverley Borough Council\n\
             *Compared with the same point in Q2 of 2026/27* (1 July to 5 September 2026)\n\
             • New projects it leads: 2 (1 then)\n\
             • Joins by its people: 1 (0 then)\n\
             • Re-uses of its work by other councils: 1 (0 then)\n\
             *Where it stands today* (5 December 2026)\n\
             • *Guildford Borough Council*: led "
        ),
        "{text}"
    );
    assert!(!text.contains("Re-uses it started"), "{text}");
    assert!(
        text.ends_with("For another period: `/makers report last quarter for Guildford Borough Council`; the whole workspace's: `/makers report`.\nSend me a copy\n"),
        "{text}"
    );
    // Last quarter, before Waverley said it re-uses #1: nobody started re-using its work.
    let text = app
        .slash("U0WAV", "C1", "report for Guildford last quarter")
        .await
        .blocks();
    assert!(
        text.starts_with("*Guildford Borough Council in Makers: 1 July to 30 September 2026* (Q2 of 2026/27)\nIn that time, across every Makers workspace: *Guildford Borough Council* took the lead on 1 new project.\n• *New projects it leads here:* #1 Bin day finder\n\
                          *Where it stood at the period's end* (30 September 2026)\n\
                          • Across every Makers workspace, it led 1 open project: 1 in beta\n\
                          *Where it stands today* (5 December 2026)\n"),
        "{text}"
    );
    // Everything, asked from the other workspace: from the first pitch in any.
    let text = app
        .slash_in(OTHER, "U0ELSE", "C9", "report all for Guildford")
        .await
        .blocks();
    assert!(
        text.starts_with("*Guildford Borough Council in Makers: 10 August to 5 December 2026* (since the first pitch)\n"),
        "{text}"
    );
    // Their own council, said: what Waverley led and started re-using, by number.
    let text = app
        .slash("U0WAV", "C1", "report for my council")
        .await
        .blocks();
    assert!(
        text.contains(
            "In that time, across every Makers workspace: *Waverley Borough Council* took the lead on 1 new project and started re-using 1 project.\n\
             • *New projects it leads here:* #2 Parking permits\n\
             • *Re-uses it started:* #1 Bin day finder\n\
             *Compared with the same point in Q2 of 2026/27* (1 July to 5 September 2026)\n\
             • New projects it leads: 1 (0 then)\n\
             • Projects it started re-using: 1 (0 then)\n\
             *Where it stands today*"
        ),
        "{text}"
    );
    // A quarter it did nothing in.
    let text = app
        .slash("U0WAV", "C1", "report last quarter for my council")
        .await
        .blocks();
    assert!(
        text.starts_with(
            "*Waverley Borough Council in Makers: 1 July to 30 September 2026* (Q2 of 2026/27)\nIn that time, in any Makers workspace, nothing changed for it: it led no new project, nobody from it joined a team, it started re-using nothing and no council started re-using its work.\n\
             *Where it stood at the period's end* (30 September 2026)\n\
             • Across every Makers workspace, it led no open project\n\
             *Where it stands today* (5 December 2026)\n"
        ),
        "{text}"
    );
    // From the other workspace, #1 is this one's number: counted, not named.
    let text = app
        .slash_in(OTHER, "U0ELSE2", "C9", "report for my council")
        .await
        .blocks();
    assert!(
        text.contains("• *Re-uses it started:* 1 project (not named here)\n"),
        "{text}"
    );
    // No council said, and a council misspelt.
    let a = app.slash("U0NEW", "C1", "report for my council").await;
    assert_eq!(
        a.said(),
        "I don't know which council you work for yet. Tell me with `/makers council &lt;name&gt;`, or name one: `/makers report for Waverley`."
    );
    let a = app.slash("U0NEW", "C1", "report for Wavrley").await;
    assert_eq!(
        a.said(),
        "I don't know a council called *Wavrley*. Did you mean *Waverley Borough Council*? If so, `/makers report for Waverley Borough Council`. `/makers councils` lists the councils I know."
    );
    // The one offered is for the period asked.
    let a = app
        .slash("U0NEW", "C1", "report last quarter for Wavrley")
        .await;
    assert!(
        a.said()
            .contains("If so, `/makers report last quarter for Waverley Borough Council`."),
        "{}",
        a.said()
    );
}

/// A project handed to another council (`lead-council`) counts, in a report, for the
/// council that led it at the time: its pitch for the one that led it when pitched, a
/// re-use for the one that led it when said, what it led at a period's end for the one
/// that led it then. One put right within a day is a slip, and the one put right takes
/// its place.
#[tokio::test]
async fn a_project_handed_to_another_council_counts_for_the_one_that_led_it_then() {
    let app = two_quarters().await;
    let handed = at(
        &app,
        "2026-11-20T10:00:00Z",
        "U0GUI",
        "lead-council 1 Mole Valley DC",
    )
    .await;
    assert!(
        handed.contains(
            "*Mole Valley District Council* leads *#1: Bin day finder* now"
        ) && handed.contains(
            "\nIn reports it counts for *Guildford Borough Council* until now, and for *Mole Valley District Council* from now on."
        ),
        "{handed}"
    );
    app.clock.set("2026-12-05T13:00:00Z");
    // The operator's list says what past reports still count for Guildford.
    let listed = crate::binary::beside_ok(&app, &["council", "list"]);
    assert!(
        listed.contains(
            "Guildford Borough Council: 1 person(s), leads 2 project(s), re-uses 0 project(s); past reports also count for it 0 join(s) by people now at another council and 1 project(s) it led before\n"
        ),
        "{listed}"
    );
    // Q2: Guildford pitched it and led it at the quarter's end, as before the handover.
    let q2 = app
        .slash("U0WAV", "C1", "report for Guildford Q2 2026/27")
        .await
        .blocks();
    assert!(
        q2.contains(
            "*Guildford Borough Council* took the lead on 1 new project.\n• *New projects it leads here:* #1 Bin day finder\n\
             *Where it stood at the period's end* (30 September 2026)\n\
             • Across every Makers workspace, it led 1 open project: 1 in beta\n"
        ),
        "{q2}"
    );
    let mole = app
        .slash("U0WAV", "C1", "report for Mole Valley Q2 2026/27")
        .await
        .blocks();
    assert!(
        !mole.contains("Bin day finder") && mole.contains("it led no open project"),
        "{mole}"
    );
    // Q3 so far: #1 went live and was re-used by Waverley while Guildford led it.
    let q3 = app
        .slash("U0WAV", "C1", "report for Guildford")
        .await
        .blocks();
    assert!(
        q3.contains("*Guildford Borough Council* had its work re-used once")
            && q3.contains("• *Went live here, led by it:* #1 Bin day finder")
            && q3.contains("• *Councils that started re-using its work:* Waverley Borough Council"),
        "{q3}"
    );
    let mole = app
        .slash("U0WAV", "C1", "report for Mole Valley")
        .await
        .blocks();
    // (Today it leads it, and its work is re-used: where it stands now.)
    assert!(
        !mole.contains("Went live")
            && mole.contains("no council started re-using its work")
            && mole.contains("its work re-used once by other councils\n"),
        "{mole}"
    );
    // The whole workspace's councils, Q3: the re-use of its work is Guildford's.
    let q3 = app.slash("U0WAV", "C1", "report").await.blocks();
    assert!(
        q3.contains("• *Guildford Borough Council* had its work re-used once"),
        "{q3}"
    );

    // Put right an hour later: a slip, so Woking takes Mole Valley's place, not its past.
    let put_right = at(
        &app,
        "2026-11-20T11:00:00Z",
        "U0GUI",
        "lead-council 1 Woking BC",
    )
    .await;
    assert!(
        put_right.contains(
            "\n*Mole Valley District Council* was set less than a day ago, so I've taken it for a slip: in reports, the time it led counts for *Woking Borough Council*."
        ),
        "{put_right}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM lead_councils_ended l JOIN councils c ON c.id = l.council_id
              WHERE c.name = 'Guildford Borough Council'"
        ),
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM lead_councils_ended"), 1);
    // `show` says since when, and the council before, which reports count its past for.
    let shown = app.slash("U0WAV", "C1", "show 1").await.blocks();
    assert!(
        shown.contains(
            "*Lead council:* Woking Borough Council (since 20 Nov 2026; before, Guildford Borough Council)"
        ),
        "{shown}"
    );
    // A council set where there was none says nothing of one before.
    let first = at(&app, "2026-11-20T11:00:00Z", "U0NEW", "pitch Potholes").await;
    assert!(first.starts_with("Recorded as *#"), "{first}");
    let number = app.count("SELECT MAX(number) FROM projects WHERE team_id = 'T123ABC456'");
    let set = at(
        &app,
        "2026-11-20T11:00:00Z",
        "U0NEW",
        &format!("lead-council {number} Woking BC"),
    )
    .await;
    assert!(
        set.contains("leads") && !set.contains("In reports") && !set.contains("slip"),
        "{set}"
    );
    // The council pitched with, put right the same day: the answer says where it came from.
    at(&app, "2026-11-20T11:00:00Z", "U0GUI", "pitch Street lights").await;
    let number = app.count("SELECT MAX(number) FROM projects WHERE team_id = 'T123ABC456'");
    let set = at(
        &app,
        "2026-11-20T12:00:00Z",
        "U0GUI",
        &format!("lead-council {number} Woking BC"),
    )
    .await;
    assert!(
        set.contains(
            "\n*Guildford Borough Council* was pitched as its lead council less than a day ago, so I've taken it for a slip: in reports, the time it led counts for *Woking Borough Council*."
        ),
        "{set}"
    );
    // Put back to Guildford the same day (a slip of the handover): no council before.
    at(
        &app,
        "2026-11-20T13:00:00Z",
        "U0GUI",
        "lead-council 1 Guildford BC",
    )
    .await;
    let shown = app.slash("U0WAV", "C1", "show 1").await.blocks();
    assert!(
        shown.contains("*Lead council:* Guildford Borough Council\n"),
        "{shown}"
    );
}

/// A report answered privately carries *Send me a copy*: pressed, the report asked again
/// goes to the presser's messages with the bot, where it stays (a private answer is gone
/// once Slack reloads the channel), without a button of its own. A council's is asked
/// again by its recorded name; a button naming no report is out of date.
#[tokio::test]
async fn a_report_can_be_sent_to_the_askers_messages() {
    let app = two_quarters().await;
    // A press of the copy button on a private answer, as Slack sends it, and the form body.
    let pressed_on_answer = |user: &str, value: &str| {
        let mut p = crate::buttons_and_councils::press_payload(
            user,
            "report_copy",
            value,
            "1764939600.000900",
        );
        p["container"]["is_ephemeral"] = true.into();
        p
    };
    let body =
        |p: &serde_json::Value| serde_urlencoded::to_string([("payload", p.to_string())]).unwrap();
    let press = |user: &str, value: &str| body(&pressed_on_answer(user, value));
    // What `user` was told privately: the first such answer, once it has come.
    let told_privately = |user: &'static str| {
        let app = &app;
        async move {
            let told = eventually("the private answer", SHORT, || {
                app.slack
                    .calls("chat.postEphemeral")
                    .into_iter()
                    .find(|c| c.body["user"] == user)
            })
            .await;
            message_text(&told.body)
        }
    };
    let copy_button = |answer: &serde_json::Value| {
        answer["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["type"] == "actions")
            .map(|b| b["elements"][0].clone())
    };
    let a = app.slash("U0WAV", "C1", "report last quarter").await;
    let button = copy_button(&a.json()).expect("a copy button");
    assert_eq!(button["action_id"], "report_copy");
    assert_eq!(button["text"]["text"], "Send me a copy");
    // Its own days, pinned: asked again after the quarter turns, it is still Q2.
    assert_eq!(button["value"], "report Q2 2026/27");
    let pressed = app.interact(&press("U0WAV", "report Q2 2026/27")).await;
    assert_eq!(pressed.status, 200);
    let copy = first_dm(&app, "U0WAV").await;
    assert!(
        copy.contains("*Makers in this workspace: 1 July to 30 September 2026* (Q2 of 2026/27)")
            && copy.contains("• *Projects:* 1 project pitched"),
        "{copy}"
    );
    let sent = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body["channel"] == "U0WAV")
        .unwrap();
    assert!(
        !sent.body.to_string().contains("report_copy"),
        "a copy has no button of its own: {}",
        sent.body
    );
    // A council's part, asked for the asker's own: asked again by its name.
    let a = app.slash("U0WAV", "C1", "report for my council").await;
    let button = copy_button(&a.json()).unwrap();
    assert_eq!(
        button["value"],
        "report Q3 2026/27 for Waverley Borough Council"
    );
    app.interact(&press("U0GUI", button["value"].as_str().unwrap()))
        .await;
    let copy = first_dm(&app, "U0GUI").await;
    assert!(
        copy.contains("*Waverley Borough Council in Makers: 1 October to 5 December 2026*"),
        "{copy}"
    );
    // A value that is no report: out of date, said privately; nothing sent.
    app.interact(&press("U0MOLE", "list")).await;
    let told = told_privately("U0MOLE").await;
    assert!(told.contains("out of date"), "{told}");
    assert!(dms_to(&app, "U0MOLE").is_empty());
    // A value naming another workspace, as only a similar project's *Join* does, is read in
    // the presser's own, also when Slack does not say which workspace the presser is of: no
    // report there either, so out of date, told to them through their own workspace.
    let mut forged = pressed_on_answer("U0LATE", "1@T0OTHER");
    forged["user"].as_object_mut().unwrap().remove("team_id");
    assert_eq!(app.interact(&body(&forged)).await.status, 200);
    let told = told_privately("U0LATE").await;
    assert!(told.contains("out of date"), "{told}");
    assert!(dms_to(&app, "U0LATE").is_empty());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE team_id = 'T0OTHER' AND instr(notice, 'U0LATE')"
        ),
        0,
        "nothing queued in the workspace the value named"
    );
    // Not on a message everyone sees, nor by someone of another organisation: ignored.
    let mut shown = crate::buttons_and_councils::press_payload(
        "U0DROP",
        "report_copy",
        "report all",
        "1764939600.000900",
    );
    assert_eq!(app.interact(&body(&shown)).await.status, 200);
    shown["container"]["is_ephemeral"] = true.into();
    shown["user"]["id"] = "U0GUEST".into();
    shown["user"]["team_id"] = "T0ELSEWHERE".into();
    assert_eq!(app.interact(&body(&shown)).await.status, 200);
    // (Answered in turn: a copy for U0WAV pressed after them has come.)
    app.interact(&press("U0WAV", "report all")).await;
    eventually("the last copy", SHORT, || {
        (dms_to(&app, "U0WAV").len() == 2).then_some(())
    })
    .await;
    assert!(dms_to(&app, "U0DROP").is_empty() && dms_to(&app, "U0GUEST").is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE channel_id IN ('U0DROP', 'U0GUEST')"),
        0,
        "nothing queued for either"
    );
}

/// In an Enterprise Grid org Slack may name another workspace of the org as the presser's
/// (`user.team_id`: bolt-js #1875), which is not another organisation: where the bot has
/// both workspaces installed in the org the press names, a report's copy and the Home's
/// report are sent. Where it cannot tell so (a workspace of another org, one not installed,
/// a press naming no org), they are still ignored: a stranger never gets a report.
#[tokio::test]
async fn a_grid_member_named_of_another_workspace_of_their_org_gets_the_report() {
    use crate::oauth::{TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, grant, install, oauth_app};
    use serde_json::json;
    const GRID: &str = "U0GRID";
    let app = oauth_app().await;
    for (code, team, name, token, org) in [
        ("a", TEAM_A, "Alpha", TOKEN_A, "E0GRID"),
        ("b", TEAM_B, "Bravo", TOKEN_B, "E0GRID"),
        (
            "c",
            "T0CHARLIE",
            "Charlie",
            "xoxb-charlie-0000-secret",
            "E0ELSE",
        ),
    ] {
        let mut g = grant(team, name, token);
        g.enterprise = Some(org.into());
        install(&app, code, g).await;
    }
    app.slash_in(TEAM_A, GRID, "C0MAKERS", "council Adur").await;
    let a = app.slash_in(TEAM_A, GRID, "C0MAKERS", "report").await;
    let value = a.json()["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .map(|b| b["elements"][0]["value"].clone())
        .unwrap_or_else(|| panic!("a copy button: {}", a.body));
    // Pressed in Alpha by `user`, whom Slack says is of `user_team`, the press naming `org`.
    let copy = |user: &str, user_team: &str, org: Option<&str>| {
        let mut p = crate::buttons_and_councils::press_payload(
            user,
            "report_copy",
            value.as_str().unwrap(),
            "1764939600.000900",
        );
        p["container"]["is_ephemeral"] = true.into();
        p["team"]["id"] = TEAM_A.into();
        p["user"]["team_id"] = user_team.into();
        match org {
            Some(org) => p["team"]["enterprise_id"] = org.into(),
            None => {
                let team = p["team"].as_object_mut().unwrap();
                team.remove("enterprise_id");
                team.remove("enterprise_name");
            }
        }
        serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
    };
    let home = |user: &str, user_team: &str| {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
        p["team"]["id"] = TEAM_A.into();
        p["enterprise"] = json!({"id": "E0GRID", "name": "Councils"});
        p["user"]["id"] = user.into();
        p["user"]["team_id"] = user_team.into();
        p["view"]["team_id"] = TEAM_A.into();
        p["view"]["app_installed_team_id"] = TEAM_A.into();
        p["actions"][0]["action_id"] = "home_report".into();
        serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
    };
    // Not to be told apart from strangers: ignored.
    for (user, press) in [
        ("U0ELSE", copy("U0ELSE", "T0CHARLIE", Some("E0GRID"))),
        ("U0UNKNOWN", copy("U0UNKNOWN", "T0DELTA", Some("E0GRID"))),
        ("U0NOORG", copy("U0NOORG", TEAM_B, None)),
        ("U0HOMEELSE", home("U0HOMEELSE", "T0CHARLIE")),
    ] {
        assert_eq!(app.interact(&press).await.status, 200, "{user}");
    }
    // (Answered in turn: the Grid member's, pressed after them, come after them.)
    app.interact(&copy(GRID, TEAM_B, Some("E0GRID"))).await;
    app.interact(&home(GRID, TEAM_B)).await;
    let sent = eventually("the copy and the Home's report", SHORT, || {
        let dms = dms_to(&app, GRID);
        (dms.len() == 2).then_some(dms)
    })
    .await;
    assert!(
        sent.iter()
            .any(|dm| dm.contains("*Makers in this workspace: "))
            && sent.iter().any(|dm| dm.contains("*Adur in Makers: ")),
        "{sent:?}"
    );
    for user in ["U0ELSE", "U0UNKNOWN", "U0NOORG", "U0HOMEELSE"] {
        assert!(dms_to(&app, user).is_empty(), "{user}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE channel_id IN ('U0ELSE', 'U0UNKNOWN', 'U0NOORG', 'U0HOMEELSE')"),
        0,
        "nothing queued for the others"
    );
}

/// A workspace installed before it was moved into an Enterprise Grid organisation is told
/// of the move by Slack (`grid_migration_finished`): its organisation is recorded, so a
/// member of it whom Slack names as of another installed workspace of the organisation gets
/// the Home's report, as where both were installed in the organisation. Before the move is
/// told, the press cannot be told from a stranger's, and is ignored.
#[tokio::test]
async fn a_workspace_moved_into_a_grid_org_after_installing_serves_its_members_reports() {
    use crate::oauth::TEAM_A;
    // Slack's payload, as its reference gives it, with the delivery's authorization.
    let moved = serde_json::json!({
        "token": "XXYYZZ",
        "team_id": TEAM_A,
        "api_app_id": "A0MAKERS",
        "event": {"type": "grid_migration_finished", "enterprise_id": "E0GRID"},
        "type": "event_callback",
        "event_id": "EvGridMoved",
        "event_time": 1764939600,
        "authorizations": [{"enterprise_id": "E0GRID", "team_id": TEAM_A,
                            "user_id": format!("UBOT{TEAM_A}"), "is_bot": true,
                            "is_enterprise_install": false}],
    });
    the_home_report_follows_a_move_told_by(moved).await;
}

/// An app whose manifest predates `grid_migration_finished` is never sent it; any event of
/// the moved workspace names its organisation too (`authorizations[0].enterprise_id`), and
/// that is recorded the same.
#[tokio::test]
async fn a_move_into_a_grid_org_is_also_learned_from_the_workspaces_next_event() {
    use crate::oauth::TEAM_A;
    let mut m = mention(
        "EvGridMention",
        "U0SOMEONE",
        "C0MAKERS",
        "1764939600.000700",
        "help",
    );
    m["team_id"] = TEAM_A.into();
    m["authorizations"] = serde_json::json!([{"enterprise_id": "E0GRID", "team_id": TEAM_A,
        "user_id": format!("UBOT{TEAM_A}"), "is_bot": true, "is_enterprise_install": false}]);
    m["event"]["text"] = format!("<@UBOT{TEAM_A}> help").into();
    the_home_report_follows_a_move_told_by(m).await;
}

/// Alpha installed before the move into E0GRID, Bravo after it, in the organisation: a
/// member Slack names as of Bravo pressing Alpha's Home report is ignored until `told` (an
/// event delivered for Alpha) says Alpha is in the organisation, and gets the report after.
async fn the_home_report_follows_a_move_told_by(told: serde_json::Value) {
    use crate::oauth::{TEAM_A, TEAM_B, TOKEN_A, TOKEN_B, grant, install, oauth_app};
    use serde_json::json;
    const GRID: &str = "U0GRID";
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    let mut bravo = grant(TEAM_B, "Bravo", TOKEN_B);
    bravo.enterprise = Some("E0GRID".into());
    install(&app, "b", bravo).await;
    app.slash_in(TEAM_A, GRID, "C0MAKERS", "council Adur").await;
    let home = || {
        let mut p: serde_json::Value =
            serde_json::from_str(&fixture("home-tab-block-actions.payload.json")).unwrap();
        p["team"]["id"] = TEAM_A.into();
        p["enterprise"] = json!({"id": "E0GRID", "name": "Councils"});
        p["user"]["id"] = GRID.into();
        p["user"]["team_id"] = TEAM_B.into();
        p["view"]["team_id"] = TEAM_A.into();
        p["view"]["app_installed_team_id"] = TEAM_A.into();
        p["actions"][0]["action_id"] = "home_report".into();
        serde_urlencoded::to_string([("payload", p.to_string())]).unwrap()
    };
    assert_eq!(app.interact(&home()).await.status, 200);
    app.outbox_settled().await;
    assert!(
        dms_to(&app, GRID).is_empty(),
        "not known to be of the org yet"
    );

    assert_eq!(app.event(&told).await.status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM installations WHERE team_id = 'T0ALPHA' AND enterprise_id = 'E0GRID'"),
        1
    );
    app.interact(&home()).await;
    let sent = eventually("the Home's report", SHORT, || {
        let dms = dms_to(&app, GRID);
        (!dms.is_empty()).then_some(dms)
    })
    .await;
    assert!(
        sent.len() == 1 && sent[0].contains("*Adur in Makers: "),
        "{sent:?}"
    );
}

/// A report by mention that Slack will not show in its channel (a private channel the bot
/// is not in) comes to the asker's messages with the app instead, as any private answer
/// does: there without a *Send me a copy* button, as it is in their messages already.
#[tokio::test]
async fn a_report_sent_to_the_dm_instead_has_no_copy_button() {
    let app = two_quarters().await;
    app.slack
        .script("chat.postEphemeral", Script::Error("channel_not_found"));
    app.event(&mention(
        "EvRepDm",
        "U0WAV",
        "C0HIDDEN",
        "1764939600.000400",
        "report last quarter",
    ))
    .await;
    let dm = eventually("the report in the DM", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.body["channel"] == "U0WAV")
    })
    .await;
    assert!(
        message_text(&dm.body).contains("*Makers in this workspace: 1 July to 30 September 2026*"),
        "{}",
        dm.body
    );
    assert!(!dm.body.to_string().contains("report_copy"), "{}", dm.body);
    // The private answer it replaces had the button.
    let tried = app.slack.calls("chat.postEphemeral");
    assert!(
        tried
            .iter()
            .any(|c| c.body.to_string().contains("report_copy"))
    );
}

/// A title holds what Slack sent (a person's and a channel's ids, a link's address); the
/// operator's list of projects, which goes to funders, has the words a reader sees instead.
#[tokio::test]
async fn the_operators_list_of_projects_has_titles_as_read_without_slacks_ids() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T10:00:00Z");
    app.clock.stop();
    app.slash("U0GUI", "C1", "council Guildford BC").await;
    let a = app
        .slash_as_sent(
            "U0GUI",
            "C1",
            "pitch Bins for <#C0WASTE|waste> with <@U0SAM|sam> &amp; <http://bins.example|bins.example>",
        )
        .await;
    assert!(a.said().contains("#1"), "{}", a.said());
    let csv = crate::binary::beside_ok(
        &app,
        &["report", "--projects", "--team", TEAM, "November", "2026"],
    );
    let row = csv.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with(
            "T123ABC456,1,Bins for #waste with @sam & bins.example,Guildford Borough Council,"
        ),
        "{csv}"
    );
    for id in ["U0SAM", "C0WASTE", "http://"] {
        assert!(!csv.contains(id), "{id}: {csv}");
    }
}

/// A build before control characters were cleaned from what people type (802ea38b) stored
/// text as typed: an escape sequence in a title (OSC 52 sets the operator's clipboard), an
/// update (`ESC[2K` and a carriage return write over the line) or a council's name (`ESC[8m`
/// hides what follows). Whichever command an operator runs, the terminal gets none of them;
/// a CSV for Excel keeps its byte-order mark and CRLF line ends.
#[tokio::test]
async fn text_stored_with_control_characters_reaches_no_operators_terminal() {
    let app = spawn_app().await;
    app.slash("U0GUI", "C1", "council Guildford BC").await;
    app.slash("U0GUI", "C1", "digest").await;
    app.slash("U0GUI", "C1", "pitch Bins | For residents").await;
    app.slash("U0GUI", "C1", "update 1 Data loaded").await;
    app.slash("U0GUI", "C1", "publish 1").await;
    // As a build before 802ea38b stored them.
    let db = app.db();
    db.execute(
        "UPDATE projects SET title = 'Bins' || char(27) || ']52;c;aGk=' || char(7),
                             description = 'For' || char(155) || '2K residents' || char(8238)",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE updates SET body = 'Data' || char(27) || '[2K' || char(13) || 'loaded'",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE councils SET name = 'Guildford' || char(27) || '[8m Borough Council'",
        [],
    )
    .unwrap();
    let runs: [&[&str]; 6] = [
        &["report", "--projects", "--team", TEAM, "all"],
        &["report", "--projects", "--excel", "--team", TEAM, "all"],
        &["report", "--team", TEAM, "all"],
        &["digest", "--dry-run", "--channel", "C1"],
        &["council", "list"],
        &["takedown", "--team", TEAM, "--project", "1"],
    ];
    for args in runs {
        let out = crate::binary::beside_ok(&app, args);
        for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(c), "{args:?} printed {c:?}: {out:?}");
        }
        assert!(
            !out.replace("\r\n", "\n").contains('\r'),
            "{args:?}: {out:?}"
        );
        assert!(
            out.contains("Bins]52;c;aGk=")
                || out.contains("Guildford[8m Borough Council")
                || out.contains("Data[2Kloaded"),
            "{args:?}: {out:?}"
        );
    }
    let excel = crate::binary::beside_ok(&app, runs[1]);
    assert!(
        excel.starts_with('\u{feff}') && excel.contains("\r\n"),
        "{excel:?}"
    );
}
