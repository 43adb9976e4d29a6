//! `makers-bot council merge`: councils reorganised (district councils folded into a new
//! unitary council) or renamed, run by the operator beside the running bot. What it would do
//! is said first with nothing changed; merged, people saying an old name are recorded as the
//! new council and told why, and the catalogue's filter by the old name finds its services.

use crate::helpers::*;

const GUILDFORD: &str = "U0GUILD";
const WAVERLEY: &str = "U0WAVE";
const NEWCOMER: &str = "U0NEW";
const CHANNEL: &str = "C0MAKERS";

fn merge(app: &TestApp, args: &[&str]) -> std::process::Output {
    let all: Vec<&str> = ["council", "merge"].iter().chain(args).copied().collect();
    crate::binary::beside(app, &all)
}

fn out(o: &std::process::Output) -> (bool, String, String) {
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[tokio::test]
async fn districts_merged_into_a_new_council_are_that_council_in_slack_and_the_catalogue() {
    let app = spawn_app_setting("MAKERS_PUBLIC_URL", "https://makers.example.gov.uk").await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(WAVERLEY, CHANNEL, "council Waverley Borough Council")
        .await;
    pitch_and_wait(&app, GUILDFORD, CHANNEL, "Bin day finder").await;
    app.slash(GUILDFORD, CHANNEL, "publish 1").await;
    let a = app.slash(WAVERLEY, CHANNEL, "reuse 1 | for our bins").await;
    assert!(a.said().contains("re-use"), "{}", a.said());
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);

    // Counted first: what moves, the re-use that ends (a council does not re-use its own
    // work), and the command to merge; nothing changes.
    let args = [
        "Guildford BC",
        "Waverley Borough Council",
        "--into",
        "West Surrey Council",
    ];
    let (ok, said, err) = out(&merge(&app, &args));
    assert!(ok, "{err}");
    for line in [
        "Into West Surrey Council:",
        "  Guildford Borough Council: takes the name West Surrey Council",
        "  Waverley Borough Council: 1 person(s), leads 0 project(s), re-uses 1 project(s)",
        "  Waverley Borough Council re-uses project #1 (Bin day finder) of workspace T123ABC456: West Surrey Council leads it (\"for our bins\")",
        "  makers-bot council merge 'Guildford BC' 'Waverley Borough Council' --into 'West Surrey Council' --yes",
        "Each project's team is told in its pitch's thread once merged.",
    ] {
        assert!(said.lines().any(|l| l == line), "{line:?} in:\n{said}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);

    let (ok, said, err) = out(&merge(&app, &[&args[..], &["--yes"]].concat()));
    assert!(ok, "{err}");
    assert!(
        said.starts_with("Merged into West Surrey Council:\n"),
        "{said}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 0);
    assert!(
        said.lines()
            .any(|l| l.starts_with("Each project's team is told in its pitch's thread")),
        "{said}"
    );
    // The team, who may have quoted how many councils re-use it, hears that it changed.
    let line = ":recycle: Waverley Borough Council is now part of West Surrey Council, which leads this, so its re-use ends. No council re-uses it now.";
    eventually("the merge's line in the pitch's thread", SHORT, || {
        posted_to(&app.slack, CHANNEL)
            .iter()
            .any(|t| t.contains(line))
            .then_some(())
    })
    .await;

    // Someone still saying the old name is recorded as the new council, and told why.
    let a = app.slash(NEWCOMER, CHANNEL, "council Waverley").await;
    assert_eq!(
        a.said(),
        "You're recorded as working for *West Surrey Council*: *Waverley Borough Council* is now part of it, and its people, projects and re-uses are counted there now."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);
    // Naming the lead council by an old name says where it led.
    let a = app
        .slash(GUILDFORD, CHANNEL, "lead-council 1 Waverley")
        .await;
    assert_eq!(
        a.said(),
        "*Waverley Borough Council* is now part of *West Surrey Council*. *West Surrey Council* leads *#1: Bin day finder* already, so nothing changed."
    );
    // A slip of an old name is offered the council in its place, not made a council.
    let a = app
        .slash("U0SLIP", CHANNEL, "council Waverly Borough Council")
        .await;
    assert!(
        a.said().starts_with("Did you mean *West Surrey Council*?"),
        "{}",
        a.said()
    );
    let a = app.slash(WAVERLEY, CHANNEL, "council").await;
    assert!(a.said().contains("*West Surrey Council*"), "{}", a.said());
    let a = app
        .slash(WAVERLEY, CHANNEL, "list council Waverley BC")
        .await;
    assert!(
        a.text().contains("Bin day finder") && a.text().contains("West Surrey Council"),
        "{}",
        a.text()
    );
    // Saying why: the name typed is not the one in the heading.
    assert!(
        a.text()
            .contains("*Waverley Borough Council* is now part of *West Surrey Council*."),
        "{}",
        a.text()
    );
    let typed = app
        .slash(WAVERLEY, CHANNEL, "list council West Surrey")
        .await
        .text();
    assert!(
        typed.contains("Bin day finder") && !typed.contains("now part of"),
        "{typed}"
    );
    // So does a report asked for by the old name: its figures are the new council's,
    // the other district's folded in, which the name asked for would not lead anyone to
    // expect.
    let report = app
        .slash(WAVERLEY, CHANNEL, "report for Waverley")
        .await
        .blocks();
    let mut lines = report.lines();
    assert!(
        lines
            .next()
            .unwrap_or_default()
            .starts_with("*West Surrey Council in Makers: ")
            && lines.next()
                == Some("*Waverley Borough Council* is now part of *West Surrey Council*."),
        "{report}"
    );
    let report = app
        .slash(WAVERLEY, CHANNEL, "report for West Surrey")
        .await
        .blocks();
    assert!(
        report.starts_with("*West Surrey Council in Makers: ") && !report.contains("now part of"),
        "{report}"
    );
    let a = app.slash(GUILDFORD, CHANNEL, "councils").await;
    assert!(
        a.text().contains("West Surrey Council") && !a.text().contains("Waverley"),
        "{}",
        a.text()
    );

    // The catalogue's filter by an old name finds the new council's services, saying why.
    let deadline = std::time::Instant::now() + SHORT;
    loop {
        let names = crate::catalogue::names_found(&app, "council=Waverley").await;
        if names == ["Bin day finder"] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{names:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let page = crate::catalogue::get(&app, "/catalogue?council=Guildford+BC").await;
    assert!(
        page.body.contains("Guildford Borough Council is now part of West Surrey Council, so this shows West Surrey Council’s services."),
        "{}",
        page.body
    );
    assert!(page.body.contains("Bin day finder"), "{}", page.body);

    // Renamed in turn, the new council's old name is said as what it is now called; the
    // names merged into it follow it.
    crate::binary::beside_ok(
        &app,
        &[
            "council",
            "merge",
            "West Surrey Council",
            "--into",
            "Surrey West Council",
            "--yes",
        ],
    );
    let deadline = std::time::Instant::now() + SHORT;
    loop {
        let page = crate::catalogue::get(&app, "/catalogue?council=West+Surrey+Council").await;
        if page.body.contains(
            "West Surrey Council is now called Surrey West Council, so this shows its services.",
        ) {
            assert!(page.body.contains("Bin day finder"), "{}", page.body);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", page.body);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        crate::catalogue::names_found(&app, "council=Waverley").await,
        ["Bin day finder"]
    );
    let report = app
        .slash(WAVERLEY, CHANNEL, "report for West Surrey Council")
        .await
        .blocks();
    assert!(
        report.contains("*West Surrey Council* is now called *Surrey West Council*."),
        "{report}"
    );
    // The operator's list names each council with its former names, which to merge by.
    let listed = crate::binary::beside_ok(&app, &["council", "list"]);
    assert_eq!(
        listed,
        "Surrey West Council: 3 person(s), leads 1 project(s), re-uses 0 project(s); formerly Guildford Borough Council (merged), Waverley Borough Council (merged), West Surrey Council (renamed)\n1 council(s). A council with nothing to its name is not shown in Slack or the catalogue.\n"
    );
    // With nothing of it shown (another filter leaves nothing), the old name is still said
    // to lead there, not to be no council at all.
    let page = crate::catalogue::get(&app, "/catalogue?council=Waverley&phase=live").await;
    assert!(
        page.body
            .contains("Waverley Borough Council is now part of Surrey West Council.")
            && !page.body.contains("No council in the catalogue is called"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_merge_of_what_is_no_council_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(WAVERLEY, CHANNEL, "council Waverley Borough Council")
        .await;
    for (args, refused) in [
        (
            &["Guildferd", "--into", "West Surrey Council", "--yes"][..],
            "no council is recorded as \"Guildferd\": did you mean \"Guildford Borough Council\"? Nothing was changed",
        ),
        (
            &["Guildford", "--into", "Borough Council", "--yes"][..],
            "\"Borough Council\" cannot be a council's name",
        ),
        (
            &["Guildford", "--into", "Chichester", "--yes"][..],
            "two councils go by the name \"Chichester\"",
        ),
    ] {
        let (ok, _, err) = out(&merge(&app, args));
        assert!(!ok && err.contains(refused), "{args:?}: {err}");
    }
    // Merged once, a former name is not a council to merge again.
    crate::binary::beside_ok(
        &app,
        &[
            "council",
            "merge",
            "Waverley",
            "--into",
            "Guildford",
            "--yes",
        ],
    );
    let (ok, _, err) = out(&merge(&app, &["Waverley", "--into", "Guildford"]));
    assert!(
        !ok && err
            .contains("Waverley Borough Council was merged into Guildford Borough Council already"),
        "{err}"
    );
    let (ok, said, err) = out(&merge(
        &app,
        &[
            "Guildford BC",
            "--into",
            "guildford borough council",
            "--yes",
        ],
    ));
    assert!(ok, "{err}");
    assert_eq!(
        said,
        "Guildford Borough Council is already recorded under that name; nothing to change.\n"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM councils"), 1);

    // A council renamed: its old name is said to be what it is now called (its merged
    // council's name still says it is part of it).
    crate::binary::beside_ok(
        &app,
        &[
            "council",
            "merge",
            "Guildford",
            "--into",
            "South West Surrey Council",
            "--yes",
        ],
    );
    let a = app.slash(NEWCOMER, CHANNEL, "council Guildford BC").await;
    assert_eq!(
        a.said(),
        "You're recorded as working for *South West Surrey Council*, as *Guildford Borough Council* is now called."
    );
    let a = app.slash(WAVERLEY, CHANNEL, "council Waverley").await;
    assert!(
        a.said().starts_with("You're recorded as working for *South West Surrey Council*: *Waverley Borough Council* is now part of it"),
        "{}",
        a.said()
    );
    let (ok, _, err) = out(&merge(&app, &["Guildford BC", "--into", "Surrey Council"]));
    assert!(
        !ok && err.contains(
            "Guildford Borough Council is now called South West Surrey Council; nothing was changed"
        ),
        "{err}"
    );
}

/// What a merge would end is listed for the operator's terminal as a reader sees it: the
/// title's and the note's Slack tokens as words, not ids.
#[tokio::test]
async fn the_ended_re_uses_are_listed_without_slacks_ids() {
    let app = spawn_app().await;
    app.slash(GUILDFORD, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(WAVERLEY, CHANNEL, "council Waverley Borough Council")
        .await;
    app.slash_as_sent(GUILDFORD, CHANNEL, "pitch Bins with <@U0SAM|sam>")
        .await;
    app.slash_as_sent(
        WAVERLEY,
        CHANNEL,
        "reuse 1 | ask <@U0ANN> in <#C0WASTE|waste>",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
    let args = [
        "Guildford BC",
        "Waverley Borough Council",
        "--into",
        "West Surrey Council",
    ];
    let (ok, said, err) = out(&merge(&app, &args));
    assert!(ok, "{err}");
    let line = "  Waverley Borough Council re-uses project #1 (Bins with @sam) of workspace T123ABC456: West Surrey Council leads it (\"ask someone in #waste\")";
    assert!(said.lines().any(|l| l == line), "{line:?} in:\n{said}");
}
