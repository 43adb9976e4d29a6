//! Someone who changes jobs from one council to another (`/makers council <new>`): what
//! they did for the council before stays its work, and they are told what still is and
//! what to do; their word for it stays theirs to take back; the change holds in every
//! workspace where they had said the council before.

use crate::helpers::*;

const SAM: &str = "U0SAM";
const ANN: &str = "U0ANN";
const CHANNEL: &str = "C0MAKERS";

#[tokio::test]
async fn a_new_job_names_what_the_council_before_still_leads_through_them() {
    let app = spawn_app().await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin day finder | Which bins go out").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Parking permits | Renew online").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Old intranet | Retired").await;
    app.slash(SAM, CHANNEL, "phase 3 retired").await;
    // Handed on: led by someone else now, so not theirs to move.
    pitch_and_wait(&app, SAM, CHANNEL, "Rota | Who is on call").await;
    app.slash(ANN, CHANNEL, "join 4").await;
    let handed = app.slash(SAM, CHANNEL, "handover 4 <@U0ANN>").await.text();
    assert!(handed.contains("leads"), "{handed}");

    let a = app
        .slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await
        .text();
    assert!(
        a.contains("Before, it was *Guildford Borough Council*."),
        "{a}"
    );
    assert!(
        a.contains("*Guildford Borough Council* still leads your projects *#1: Bin day finder*, *#2: Parking permits*. If *Waverley Borough Council* takes one on, `/makers lead-council 1 Waverley Borough Council`; or hand one to someone at *Guildford Borough Council* with `/makers handover 1 @name`."),
        "{a}"
    );
    assert!(!a.contains("Old intranet") && !a.contains("Rota"), "{a}");
    // Nothing moved: the projects are still the council before's work.
    let led = app.count(
        "SELECT COUNT(*) FROM projects p JOIN councils c ON c.id = p.pitcher_council_id
          WHERE c.name = 'Guildford Borough Council'",
    );
    assert_eq!(led, 4);

    // Said again, or said for the first time, nothing is left behind to name.
    let again = app
        .slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await
        .text();
    assert!(!again.contains("still leads"), "{again}");
    let first = app
        .slash(ANN, CHANNEL, "council Mole Valley District Council")
        .await
        .text();
    assert!(
        !first.contains("still leads") && !first.contains("Before"),
        "{first}"
    );
}

#[tokio::test]
async fn a_re_use_said_for_the_council_before_can_be_taken_back_by_whoever_said_it() {
    let app = spawn_app().await;
    app.slash(ANN, CHANNEL, "council Mole Valley District Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1 | on our website").await;
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;

    let a = app.slash(SAM, CHANNEL, "unreuse 1").await.text();
    assert!(
        a.contains("Done: Guildford Borough Council no longer re-uses")
            && a.contains("(you said so for it, your council before)"),
        "{a}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
    // Nothing of theirs left: their council now had none either.
    let a = app.slash(SAM, CHANNEL, "unreuse 1").await.text();
    assert!(
        a.contains("Waverley Borough Council wasn't recorded as re-using"),
        "{a}"
    );

    // Their council now's own re-use comes first: the one said before stays.
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1").await;
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1").await;
    let a = app.slash(SAM, CHANNEL, "unreuse 1").await.text();
    assert!(
        a.contains("Done: Waverley Borough Council no longer re-uses"),
        "{a}"
    );
    let left = app.count(
        "SELECT COUNT(*) FROM reuses r JOIN councils c ON c.id = r.council_id
          WHERE c.name = 'Guildford Borough Council'",
    );
    assert_eq!(left, 1);
}

/// Someone who works for two councils, one said in each workspace, keeps each one's re-uses
/// for that one: `unreuse` from the other's workspace does not take one back.
#[tokio::test]
async fn a_re_use_of_a_council_still_theirs_elsewhere_is_not_taken_back() {
    const T2: &str = "T0TWO";
    let app = spawn_app().await;
    app.slash(ANN, CHANNEL, "council Mole Valley District Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(ANN, CHANNEL, "publish 1").await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1").await;
    app.slash_in(T2, SAM, "C2", "council Waverley Borough Council")
        .await;
    let a = app
        .slash_in(T2, SAM, "C2", "unreuse bin-day-finder")
        .await
        .text();
    assert!(
        a.contains("Waverley Borough Council wasn't recorded as re-using"),
        "{a}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
}

#[tokio::test]
async fn a_new_job_holds_in_every_workspace_that_had_the_council_before() {
    const T1: &str = "T0ONE";
    const T2: &str = "T0TWO";
    const T3: &str = "T0THREE";
    let app = spawn_app().await;
    app.slash_in(T1, SAM, "C1", "council Guildford Borough Council")
        .await;
    app.slash_in(T2, SAM, "C2", "council Guildford Borough Council")
        .await;
    // A project there that the council before leads through them: counted, not named (its
    // number is that workspace's).
    app.slash_in(T2, SAM, "C2", "pitch Grit bins | Where they are")
        .await;
    // Someone who works for two councils says the other in a third workspace: it stays.
    app.slash_in(T3, SAM, "C3", "council Mole Valley District Council")
        .await;

    let a = app
        .slash_in(T1, SAM, "C1", "council Waverley Borough Council")
        .await
        .text();
    assert!(
        a.contains(
            "Before, it was *Guildford Borough Council*. I've changed it in the other Slack workspace where you had said it too."
        ) && a.contains(
            "*Guildford Borough Council* also still leads 1 project of yours in other Slack workspaces (`/makers list mine` there lists them)."
        ),
        "{a}"
    );
    for (team, channel, council) in [
        (T2, "C2", "Waverley Borough Council"),
        (T3, "C3", "Mole Valley District Council"),
    ] {
        let a = app.slash_in(team, SAM, channel, "council").await.text();
        assert!(
            a.contains(&format!("You're recorded as working for *{council}*")),
            "{team}: {a}"
        );
    }
    // A first saying in another workspace is that workspace's own: nothing elsewhere changes,
    // so nothing there is counted (what they lead for Waverley in T2 stays Waverley's there).
    app.slash_in(T2, SAM, "C2", "pitch Salt stores | Where they are")
        .await;
    let first = app
        .slash_in("T0FOUR", SAM, "C4", "council Woking Borough Council")
        .await
        .text();
    assert!(
        first.contains("Before, it was *Waverley Borough Council*.")
            && !first.contains("also still leads")
            && !first.contains("I've changed it"),
        "{first}"
    );
    // The give and take counts them once, for the council they work for now.
    let a = app.slash_in(T2, ANN, "C2", "councils").await.text();
    assert!(
        a.contains("*Guildford Borough Council*: led 1 project · 0 people in teams")
            && a.contains("*Waverley Borough Council*: led 1 project · 1 person in teams"),
        "{a}"
    );
}

/// A workspace that removed the bot keeps what it recorded (a change of council leaves it as
/// it was): its row does not keep someone from taking back their word for the council before.
#[tokio::test]
async fn a_workspace_that_removed_the_bot_does_not_hold_a_re_use_back() {
    const T2: &str = "T0TWO";
    let app = spawn_app().await;
    app.slash(ANN, CHANNEL, "council Mole Valley District Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash_in(T2, SAM, "C2", "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1").await;
    app.db()
        .execute(
            "INSERT INTO removed_workspaces (team_id, removed_at) VALUES (?1, 0)",
            [T2],
        )
        .unwrap();
    let a = app
        .slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await
        .text();
    assert!(!a.contains("I've changed it"), "{a}");
    let a = app.slash(SAM, CHANNEL, "unreuse 1").await.text();
    assert!(
        a.contains("Done: Waverley Borough Council no longer re-uses"),
        "{a}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
}

/// A join counts for the council its person worked for when it was recorded: a new job
/// takes nobody's past joins with them, in a report of a period before it, the councils'
/// spreadsheet or the digest, whether the membership still stands or ended. Someone who
/// joined before saying any council counts for the first they say.
#[tokio::test]
async fn past_joins_stay_with_the_council_their_people_worked_for_then() {
    const NEW: &str = "U0NEW";
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "join 1").await;
    app.slash(NEW, CHANNEL, "join 1").await;
    // Someone who never says a council.
    app.slash("U0NONE", CHANNEL, "join 1").await;
    app.clock.set("2026-11-11T12:00:00Z");
    app.slash(NEW, CHANNEL, "council Mole Valley District Council")
        .await;
    // And changes jobs two days later: this week's digest says who joined as they were.
    app.clock.set("2026-11-13T12:00:00Z");
    app.slash(NEW, CHANNEL, "council Woking Borough Council")
        .await;
    let preview = message_text(&app.slash(ANN, "C0DIGEST", "digest preview").await.json());
    assert!(
        preview.contains("Someone from Mole Valley District Council joined")
            && preview.contains("Someone from Guildford Borough Council joined")
            && !preview.contains("Woking"),
        "{preview}"
    );

    // The next week Sam changes jobs, and joins #2 from the new one.
    app.clock.set("2026-11-16T12:00:00Z");
    let moved = app
        .slash(SAM, CHANNEL, "council Elmbridge Borough Council")
        .await
        .text();
    assert!(
        moved.contains("Before, it was *Guildford Borough Council*.")
            && moved.contains(
                "\nThe team you joined while at *Guildford Borough Council* still counts for it in reports; the teams you join here from now on count for *Elmbridge Borough Council*."
            ),
        "{moved}"
    );
    pitch_and_wait(&app, ANN, CHANNEL, "Parking permits | Renew online").await;
    app.slash(SAM, CHANNEL, "join 2").await;
    app.clock.set("2026-11-17T12:00:00Z");
    // Left after the change: the membership ended keeps the council it counted for.
    assert!(
        app.slash(NEW, CHANNEL, "leave 1")
            .await
            .said()
            .contains("left")
    );

    let before = app
        .slash(ANN, CHANNEL, "report 2026-11-09 to 2026-11-15")
        .await
        .blocks();
    assert!(
        before.contains("• *Teams:* 3 joins, by 3 people from 2 councils")
            && before.contains("• *Guildford Borough Council* joined a team\n")
            && before.contains("• *Mole Valley District Council* joined a team\n")
            && !before.contains("Elmbridge")
            && !before.contains("*Woking Borough Council* joined")
            // Each council a join counts for is in Makers, though nobody says it now.
            && before.contains(
                "• *New to Makers:* Guildford Borough Council, Waverley Borough Council, \
                 Mole Valley District Council, Woking Borough Council\n"
            ),
        "{before}"
    );
    let after = app
        .slash(ANN, CHANNEL, "report 2026-11-16 to 2026-11-22")
        .await
        .blocks();
    assert!(
        after.contains("• *Elmbridge Borough Council* joined a team\n")
            && !after.contains("*Guildford Borough Council* joined")
            && !after.contains("*Woking Borough Council* joined"),
        "{after}"
    );
    // The councils' spreadsheet over both weeks (the joins standing at their end): Sam's two,
    // one for each council, and one by someone who said none, counted as such, not worked
    // out by subtracting the councils' people (Sam counted in two rows) from the two people.
    let csv =
        crate::binary::beside_ok(&app, &["report", "--csv", "2026-11-09", "to", "2026-11-22"]);
    assert_eq!(
        csv,
        "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils,people_joined\n\
         Waverley Borough Council,2026-11-09,2026-11-22,2,0,0,0,0\n\
         Elmbridge Borough Council,2026-11-09,2026-11-22,0,1,0,0,1\n\
         Guildford Borough Council,2026-11-09,2026-11-22,0,1,0,0,1\n\
         (no council said),2026-11-09,2026-11-22,0,1,0,0,1\n"
    );
    // `/makers councils` counts who is in teams now, for the council they work for now.
    let now = app.slash(ANN, CHANNEL, "councils").await.text();
    assert!(
        now.contains("*Elmbridge Borough Council*: led 0 projects · 1 person in teams"),
        "{now}"
    );
}

/// A council put right within a day of saying it is a slip put right, not a new job: the
/// joins made meanwhile count for the council put right. One put right days later is a
/// change of job, and the joins stay.
#[tokio::test]
async fn a_council_put_right_the_same_day_takes_the_joins_since_along() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    // Sam says Guildford (meaning Woking), joins, and puts it right an hour later.
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 1").await;
    app.clock.set("2026-11-10T13:00:00Z");
    let put_right = app
        .slash(SAM, CHANNEL, "council Woking Borough Council")
        .await
        .text();
    assert!(
        put_right.contains("Before, it was *Guildford Borough Council*.")
            && put_right.contains(
                "\nYou chose *Guildford Borough Council* less than a day ago, so I've taken it for a slip: the team you joined since counts for *Woking Borough Council* in reports."
            )
            && !put_right.contains("still counts"),
        "{put_right}"
    );
    // A week later Sam really changes jobs: the join stays Woking's.
    app.clock.set("2026-11-17T13:00:00Z");
    let moved = app
        .slash(SAM, CHANNEL, "council Elmbridge Borough Council")
        .await
        .text();
    assert!(
        moved.contains("The team you joined while at *Woking Borough Council* still counts for it")
            && !moved.contains("slip"),
        "{moved}"
    );
    let report = app
        .slash(ANN, CHANNEL, "report 2026-11-09 to 2026-11-15")
        .await
        .blocks();
    assert!(
        report.contains("• *Woking Borough Council* joined a team\n")
            && !report.contains("*Guildford Borough Council* joined")
            && !report.contains("*Elmbridge Borough Council* joined"),
        "{report}"
    );
}

/// A council put right within a day leaves the re-uses said for the slip where they are
/// (someone at the slip's council may have meant it), but the answer names each, with the
/// `unreuse` that takes it back. A change of job a week later names none: what was said
/// then was that council's.
#[tokio::test]
async fn a_council_put_right_the_same_day_names_the_re_uses_said_meanwhile() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1 | our bin page").await;
    app.clock.set("2026-11-10T13:00:00Z");
    let put_right = app
        .slash(SAM, CHANNEL, "council Woking Borough Council")
        .await
        .text();
    assert!(
        put_right.contains(
            "\nYou said *Guildford Borough Council* re-uses *#1: Bin day finder* while it was your council, and that stays said for it. If it was part of the slip, `/makers unreuse 1` takes it back."
        ),
        "{put_right}"
    );
    let a = app.slash(SAM, CHANNEL, "unreuse 1").await.text();
    assert!(
        a.contains("Done: Guildford Borough Council no longer re-uses"),
        "{a}"
    );
    // Said for Woking, then a change of job a week later: nothing to take back.
    app.slash(SAM, CHANNEL, "reuse 1").await;
    app.clock.set("2026-11-17T13:00:00Z");
    let moved = app
        .slash(SAM, CHANNEL, "council Elmbridge Borough Council")
        .await
        .text();
    assert!(!moved.contains("unreuse"), "{moved}");
}

/// A slip put right does not offer `unreuse` of a project the council put right re-uses
/// already: typed, it would take back that council's re-use (said by a colleague), not the
/// slip's.
#[tokio::test]
async fn a_slip_put_right_offers_no_unreuse_that_would_take_back_the_right_councils() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash("U0WOKING", CHANNEL, "council Woking Borough Council")
        .await;
    app.slash("U0WOKING", CHANNEL, "reuse 1 | our bin page")
        .await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "reuse 1").await;
    app.clock.set("2026-11-10T13:00:00Z");
    let put_right = app
        .slash(SAM, CHANNEL, "council Woking Borough Council")
        .await
        .text();
    assert!(!put_right.contains("unreuse 1"), "{put_right}");
}

/// A slip put right names only the re-uses it may show where it is said: one of a private
/// channel's project, said there by someone not in its team, is counted, without its title,
/// and taken back in that channel (`unreuse` of it elsewhere is refused).
#[tokio::test]
async fn a_council_put_right_elsewhere_counts_a_private_channels_re_use_without_naming_it() {
    const SECRET: &str = "C0SECRET";
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slack.private_channel(SECRET);
    app.slash(ANN, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, ANN, SECRET, "Staff rota finder | For our team").await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, SECRET, "reuse 1").await;
    app.slash(SAM, CHANNEL, "reuse 2").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 2);
    app.clock.set("2026-11-10T13:00:00Z");
    let put_right = app
        .slash(SAM, CHANNEL, "council Woking Borough Council")
        .await
        .text();
    assert!(
        put_right.contains(
            "\nYou said *Guildford Borough Council* re-uses *#2: Bin day finder*, and 1 more in a private channel, while it was your council, and those stay said for it. If any was part of the slip, `/makers unreuse 2` takes it back; `/makers unreuse` in that channel takes back the one said there."
        ) && !put_right.contains("Staff rota")
            && !put_right.contains("unreuse 1"),
        "{put_right}"
    );
    let a = app.slash(SAM, SECRET, "unreuse 1").await.text();
    assert!(
        a.contains("Done: Guildford Borough Council no longer re-uses"),
        "{a}"
    );
}

/// `makers-bot council correct`, run beside the bot.
fn correct(app: &TestApp, args: &[&str]) -> std::process::Output {
    let all: Vec<&str> = ["council", "correct", "--team", TEAM]
        .iter()
        .chain(args)
        .copied()
        .collect();
    crate::binary::beside(app, &all)
}

/// A council recorded wrongly and put right more than a day later was taken for a change of
/// job, and the joins made meanwhile kept counting for the council the person never worked
/// for, in every report and the export (a rectification request had no route). The
/// operator's `council correct` records the right council from the start: the joins, and
/// what the person pitched as it, count for it, past reports' and the export's too; what
/// would change is said first with nothing changed.
#[tokio::test]
async fn a_council_recorded_wrongly_is_put_right_for_the_past_by_the_operator() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Woking Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    // Sam works for Woking, and says Waverley.
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 1").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Parking permits | Renew online").await;
    // Ten days later he notices: the bot takes it for a change of job.
    app.clock.set("2026-11-20T12:00:00Z");
    let put = app
        .slash(SAM, CHANNEL, "council Woking Borough Council")
        .await
        .text();
    // Told what is recorded, and that it can be put right (added: said as fact, and no more).
    assert!(
        put.contains("still counts for it in reports; the teams you join here from now on count for *Woking Borough Council*. If you never worked for *Waverley Borough Council*, whoever runs Makers can put that right for the past."),
        "{put}"
    );
    let csv =
        || crate::binary::beside_ok(&app, &["report", "--csv", "2026-11-09", "to", "2026-11-22"]);
    assert!(csv().contains("Waverley Borough Council,"), "{}", csv());

    // Without --yes: what it would do, and nothing changed.
    let dry = correct(&app, &["--user", SAM, "Waverley", "--into", "Woking"]);
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        said.contains("To correct: U0SAM was recorded as working for Waverley Borough Council")
            && said.contains("joins to move to Woking Borough Council: 1 ")
            && said.contains("projects they pitched to be led by Woking Borough Council: 1")
            && said.contains("Nothing was changed.")
            && said.contains(
                "makers-bot council correct --team T123ABC456 --user U0SAM 'Waverley Borough Council' --into 'Woking Borough Council' --yes"
            ),
        "{said}"
    );
    let waverleys = "SELECT (SELECT COUNT(*) FROM members WHERE council_id = c.id)
                          + (SELECT COUNT(*) FROM projects WHERE pitcher_council_id = c.id)
                     FROM councils c WHERE c.name = 'Waverley Borough Council'";
    assert_eq!(
        app.count(waverleys),
        3,
        "his join, his own pitch's membership, his pitch"
    );

    let done = crate::binary::beside_ok(
        &app,
        &[
            "council", "correct", "--team", TEAM, "--user", SAM, "Waverley", "--into", "Woking",
            "--yes",
        ],
    );
    assert!(
        done.starts_with("Corrected: U0SAM was recorded as working for Waverley Borough Council (theirs from the start); Woking Borough Council instead, from the start."),
        "{done}"
    );
    assert!(
        done.contains("joins moved to Woking Borough Council: 1 "),
        "{done}"
    );
    assert_eq!(app.count(waverleys), 0);

    // Every report counts his join, and his pitch, for Woking, and Waverley for nothing.
    assert_eq!(
        csv(),
        "council,from,to,new_projects_led,joins,reuses_started,reused_by_other_councils,people_joined\n\
         Woking Borough Council,2026-11-09,2026-11-22,2,1,0,0,1\n"
    );
    // The export shows his join and his council as Woking's, and names no Waverley.
    let export = crate::binary::beside_ok(&app, &["export", "--user", SAM]);
    let found: serde_json::Value = serde_json::from_str(&export).unwrap();
    let place = &found["workspaces"][0];
    let councils = &place["councils"];
    // (The posts already made keep their words: the join line named Waverley when posted.)
    for (table, rows) in place["tables"].as_object().unwrap() {
        assert!(
            table == "outbox" || !rows.to_string().contains("Waverley"),
            "{table}: {rows}"
        );
    }
    assert!(!councils.to_string().contains("Waverley"), "{councils}");
    for row in place["tables"]["members"].as_array().unwrap() {
        if !row["council_id"].is_null() {
            assert_eq!(
                councils[row["council_id"].to_string()],
                "Woking Borough Council",
                "{row} {councils}"
            );
        }
    }
    // Run again, there is nothing left to correct.
    let again = correct(
        &app,
        &["--user", SAM, "Waverley", "--into", "Woking", "--yes"],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("nothing of U0SAM's is recorded for Waverley Borough Council"),
        "{again:?}"
    );
}

/// A project pitched as the wrong council's and re-used by the right one: once corrected,
/// the right council led it and re-used it at once, counted in its own "re-uses", in the
/// report's re-uses and re-using councils, and named on the catalogue page as a re-user of
/// its own work (the correction checked no re-use). Now such a re-use ends, kept as ended as
/// `council merge` ends one, and the dry run names it.
#[tokio::test]
async fn a_council_correction_ends_the_right_councils_re_use_of_what_it_now_leads() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    // Days before the correction (run at the machine's time), so the re-use stood a while.
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Woking Borough Council")
        .await;
    // Sam works for Woking too, and says Waverley.
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, SAM, CHANNEL, "Parking permits | Renew online").await;
    let reused = app.slash(ANN, CHANNEL, "reuse 1").await.text();
    assert!(reused.contains("Woking Borough Council"), "{reused}");
    app.slash(SAM, CHANNEL, "publish 1").await;
    let own_reuses = "SELECT COUNT(*) FROM reuses r JOIN projects p ON p.id = r.project_id
                       WHERE r.council_id = p.pitcher_council_id";

    let dry = correct(&app, &["--user", SAM, "Waverley", "--into", "Woking"]);
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        said.contains(
            "  re-uses to end, of projects they pitched that Woking Borough Council is to lead (a council does not re-use its own work): #1 in T123ABC456"
        ),
        "{said}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reuses"),
        1,
        "nothing changed"
    );

    let done = crate::binary::beside_ok(
        &app,
        &[
            "council", "correct", "--team", TEAM, "--user", SAM, "Waverley", "--into", "Woking",
            "--yes",
        ],
    );
    assert!(
        done.contains(
            "  re-uses ended, of projects they pitched that Woking Borough Council now leads (a council does not re-use its own work): #1 in T123ABC456"
        ),
        "{done}"
    );
    assert_eq!(app.count(own_reuses), 0, "{done}");
    // Kept as ended, as a merge keeps one: a past period's report counts it as it stood.
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses_ended"), 1);
    let page: serde_json::Value =
        serde_json::from_str(&crate::catalogue::get(&app, "/catalogue.json").await.body).unwrap();
    let parking = &page["projects"][0];
    assert_eq!(parking["leadCouncil"], "Woking Borough Council", "{page}");
    assert_eq!(parking["usedBy"], serde_json::json!([]), "{page}");
}

/// Projects pitched before any council was said take the first council said as their lead:
/// a wrong one led them, and past reports counted their pitches for it, after the
/// correction too (added: it moved only what was led as pitched). Now a lead set by the
/// wrong council said first is moved, and where the team has set another since, its lead
/// stays theirs to set, named in the dry run, while past reports count the pitch for the
/// right council.
#[tokio::test]
async fn a_council_correction_moves_the_lead_its_first_saying_set() {
    let app = spawn_app().await;
    app.clock.set("2026-07-01T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Elmbridge Borough Council")
        .await;
    pitch_and_wait(&app, SAM, CHANNEL, "Parking permits | Renew online").await;
    pitch_and_wait(&app, SAM, CHANNEL, "Bin day finder | Which bins go out").await;
    app.clock.advance_days(14);
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    // The team hands #2 on to another council, days later.
    app.clock.advance_days(5);
    let set = app
        .slash(SAM, CHANNEL, "lead-council 2 Elmbridge Borough Council")
        .await
        .text();
    assert!(
        set.contains("Elmbridge Borough Council") && !set.contains("nothing changed"),
        "{set}"
    );
    app.clock.advance_days(30);
    app.slash(SAM, CHANNEL, "council Woking Borough Council")
        .await;

    let dry = correct(&app, &["--user", SAM, "Waverley", "--into", "Woking"]);
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        said.contains("projects they pitched to be led by Woking Borough Council: 1")
            && said.contains(
                "projects they pitched whose lead council the team set since, left for the team (their pitch to count for Woking Borough Council): #2 in T123ABC456"
            ),
        "{said}"
    );
    let done = crate::binary::beside_ok(
        &app,
        &[
            "council", "correct", "--team", TEAM, "--user", SAM, "Waverley", "--into", "Woking",
            "--yes",
        ],
    );
    assert!(
        done.contains("projects they pitched now led by Woking Borough Council: 1"),
        "{done}"
    );
    let shown = app.slash(SAM, CHANNEL, "show 1").await.text();
    assert!(
        shown.contains("Woking Borough Council") && !shown.contains("Waverley"),
        "{shown}"
    );
    let shown = app.slash(SAM, CHANNEL, "show 2").await.text();
    assert!(shown.contains("Elmbridge Borough Council"), "{shown}");
    // The quarter of the pitches counts both for Woking, and Waverley for nothing.
    let csv =
        crate::binary::beside_ok(&app, &["report", "--csv", "2026-07-01", "to", "2026-09-30"]);
    assert!(!csv.contains("Waverley"), "{csv}");
    assert!(
        csv.contains("\nWoking Borough Council,2026-07-01,2026-09-30,2,"),
        "{csv}"
    );
}

/// Only the wrong council's last spell with the person is rewritten: a real job before it,
/// and a real change of job after it, keep their joins. So too while the wrong council is
/// still theirs: then it is put right in their record itself.
#[tokio::test]
async fn a_council_correction_leaves_real_changes_of_job_as_they_were() {
    let app = spawn_app().await;
    app.clock.set("2026-11-02T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Mole Valley District Council")
        .await;
    for title in ["Bins | a", "Parking | b", "Rota | c", "Potholes | d"] {
        pitch_and_wait(&app, ANN, CHANNEL, title).await;
    }
    // Guildford, really; then Waverley, wrongly, for Woking; then Elmbridge, really.
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 1").await;
    app.clock.set("2026-11-05T12:00:00Z");
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 2").await;
    app.clock.set("2026-11-12T12:00:00Z");
    app.slash(SAM, CHANNEL, "council Elmbridge Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 3").await;
    let counted_for = |number: i64| {
        app.count(&format!(
            "SELECT COALESCE(m.council_id, 0) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE m.user_id = 'U0SAM' AND p.number = {number}"
        ))
    };
    let id = |name: &str| app.count(&format!("SELECT id FROM councils WHERE name = '{name}'"));
    let done = correct(
        &app,
        &[
            "--user",
            SAM,
            "Waverley",
            "--into",
            "Woking Borough Council",
            "--yes",
        ],
    );
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        said.contains("theirs after their last join for another council, on 2026-11-02")
            && said.contains("joins moved to Woking Borough Council: 1 "),
        "{said}"
    );
    let woking = id("Woking Borough Council");
    assert_eq!(counted_for(1), id("Guildford Borough Council"));
    assert_eq!(counted_for(2), woking);
    assert_eq!(counted_for(3), 0, "counts for Elmbridge, his council now");
    let now = app.slash(SAM, CHANNEL, "council").await.text();
    assert!(now.contains("Elmbridge Borough Council"), "{now}");

    // Wrong while still his: a real earlier spell at the same council keeps its join.
    app.clock.set("2026-11-20T12:00:00Z");
    app.slash(SAM, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 4").await;
    let done = correct(
        &app,
        &["--user", SAM, "Guildford", "--into", "Woking", "--yes"],
    );
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        said.contains("(recorded as theirs since 2026-11-20)")
            && said.contains("joins moved to Woking Borough Council: 1 ")
            && said.contains("workspaces where their council is Guildford Borough Council, now say Woking Borough Council: 1"),
        "{said}"
    );
    assert_eq!(counted_for(1), id("Guildford Borough Council"));
    assert_eq!(counted_for(4), 0, "counts for Woking, his council now");
    let now = app.slash(SAM, CHANNEL, "council").await.text();
    assert!(now.contains("Woking Borough Council"), "{now}");
}

/// Arguments it cannot take exit 2, as the argument parser's refusals do; a council nobody
/// recorded is refused naming a near one; nothing changes either way.
#[tokio::test]
async fn a_council_correction_with_bad_arguments_changes_nothing() {
    let app = spawn_app().await;
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    for args in [
        &["--user", CHANNEL, "Waverley", "--into", "Woking"][..],
        &["--user", SAM, "Waverley"][..],
        &["--user", SAM, "Waverley", "--into", "Borough Council"][..],
    ] {
        let out = correct(&app, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
    let out = correct(
        &app,
        &["--user", SAM, "Waverly", "--into", "Woking", "--yes"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean \"Waverley Borough Council\""),
        "{out:?}"
    );
    let out = correct(
        &app,
        &["--user", "U0ANN", "Waverley", "--into", "Woking", "--yes"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
}

/// A slip in `--into`'s name was shown as "(a new council)" alone, though a recorded council
/// one letter away had been found: with `--yes` the person moved to a council of its own
/// that nobody works for. The dry run asks about the near one.
#[tokio::test]
async fn a_council_correction_into_a_slip_asks_about_the_near_council() {
    let app = spawn_app().await;
    app.clock.set("2026-11-10T12:00:00Z");
    app.slash(ANN, CHANNEL, "council Woking Borough Council")
        .await;
    pitch_and_wait(&app, ANN, CHANNEL, "Bin day finder | Which bins go out").await;
    app.slash(SAM, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash(SAM, CHANNEL, "join 1").await;
    let dry = correct(
        &app,
        &["--user", SAM, "Waverley", "--into", "Wokng Borough Council"],
    );
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{dry:?}");
    assert!(
        said.contains("(a new council; did you mean 'Woking Borough Council'?)"),
        "{said}"
    );
}
