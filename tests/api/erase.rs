//! `makers-bot erase`: a workspace that has removed the app is erased, every row of it, on
//! the operator's word; another workspace on the same bot keeps all of its own, and the
//! councils the two share.

use serde_json::Value;

use crate::binary::{beside, beside_ok};
use crate::catalogue::get;
use crate::data_requests::assert_neither_file_holds;
use crate::helpers::*;
use crate::oauth::*;

const ALPHA_PITCHER: &str = "U0ALPHAPIT";
const ALPHA_JOE: &str = "U0ALPHAJOE";
const BRAVO_PITCHER: &str = "U0BRAVOPIT";
const BRAVO_REUSER: &str = "U0BRAVOREU";
/// Words only the leaving workspace wrote.
const ALPHA_WORDS: [&str; 3] = ["Zanzibar", "Quokka", "Alphaville"];
/// The catalogue address of Alpha's first project, which Bravo re-uses.
const ALPHA_SERVICE: &str = "zanzibar-bins";

/// Bravo pitches first, then Alpha is everywhere: two projects (one published, one taken
/// down), a member, an update, a re-use, a link, skills, a digest, its own council and one it
/// names first that Bravo names too; Bravo re-uses Alpha's published project, and is told
/// in a DM when Alpha retires it.
async fn two_workspaces(app: &TestApp) {
    install(app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let alpha = |user, text| app.slash_in(TEAM_A, user, "C0ALPHA", text);
    let bravo = |user, text| app.slash_in(TEAM_B, user, "C0BRAVO", text);
    bravo(BRAVO_PITCHER, "pitch Bravo lights | Street lights on a map").await;
    app.outbox_settled().await;
    bravo(BRAVO_PITCHER, "publish 1").await;
    alpha(ALPHA_JOE, "council Guildford Borough Council").await;
    bravo(BRAVO_PITCHER, "council Guildford Borough Council").await;
    alpha(ALPHA_PITCHER, "council Alphaville Council").await;
    alpha(ALPHA_JOE, "skills developer").await;
    let pitch = format!("pitch Zanzibar bins | Ask <@{ALPHA_JOE}> about the data");
    alpha(ALPHA_PITCHER, &pitch).await;
    alpha(ALPHA_PITCHER, "pitch Alpha street names").await;
    alpha(ALPHA_PITCHER, "pitch Bin day finder").await;
    app.outbox_settled().await;
    alpha(ALPHA_PITCHER, "publish 1").await;
    alpha(ALPHA_PITCHER, "publish 3").await;
    alpha(ALPHA_JOE, "join 1").await;
    alpha(ALPHA_JOE, "update 1 Quokka data loaded").await;
    alpha(ALPHA_JOE, "reuse 1 | for garden waste").await;
    alpha(ALPHA_JOE, "link 1 code https://example.org/zanzibar").await;
    alpha(ALPHA_PITCHER, "digest mon 9:00").await;
    // Bravo re-uses Alpha's published service by its address; Alpha retires it, and
    // Bravo's re-user is told so in their DM, by its title and address: Bravo's post.
    // (A council of its own: Guildford re-uses it already, by Joe.)
    bravo(BRAVO_REUSER, "council Woking Borough Council").await;
    let said = bravo(BRAVO_REUSER, &format!("reuse {ALPHA_SERVICE}"))
        .await
        .text();
    assert!(said.contains("Zanzibar bins"), "{said}");
    alpha(ALPHA_PITCHER, "phase 1 retired").await;
    beside_ok(
        app,
        &[
            "takedown",
            "--team",
            TEAM_A,
            "--project",
            "2",
            "--reason",
            "Wrong name",
        ],
    );
    app.outbox_settled().await;
}

fn run(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = beside(app, args);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// A workspace's export, its tables alone.
fn tables(app: &TestApp, team: &str) -> Value {
    let (ok, out, err) = run(app, &["export", "--team", team]);
    assert!(ok, "{err}");
    let export: Value = serde_json::from_str(&out).unwrap();
    export["workspaces"][0]["tables"].clone()
}

/// Every table with a `team_id` column (the search indexes' own tables among them).
pub(crate) fn tables_with_team_id(db: &rusqlite::Connection) -> Vec<String> {
    let tables: Vec<String> = db
        .prepare(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) i
             WHERE m.type = 'table' AND i.name = 'team_id'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() > 8, "{tables:?}");
    tables
}

/// Rows naming `team` in every table with a `team_id`, by table.
fn rows_of(app: &TestApp, team: &str) -> Vec<(String, i64)> {
    let db = app.db();
    tables_with_team_id(&db)
        .into_iter()
        .map(|t| {
            let sql = format!("SELECT COUNT(*) FROM {t} WHERE team_id = ?1");
            let n: i64 = db.query_row(&sql, [team], |r| r.get(0)).unwrap();
            (t, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[tokio::test]
async fn a_workspace_that_removed_the_app_is_erased_and_the_other_keeps_everything() {
    let app = oauth_app().await;
    two_workspaces(&app).await;
    let projects_of_alpha = || {
        app.count(&format!(
            "SELECT COUNT(*) FROM projects WHERE team_id = '{TEAM_A}'"
        ))
    };
    assert_eq!(projects_of_alpha(), 3);
    let alpha_first = app.count(&format!(
        "SELECT MIN(id) FROM projects WHERE team_id = '{TEAM_A}'"
    ));

    // Without --yes: what it would erase, and nothing erased.
    let (ok, said, err) = run(&app, &["erase", "--team", TEAM_A]);
    assert!(ok, "{err}");
    for line in [
        "Workspace T0ALPHA holds:",
        "  projects: 3",
        "  updates: 1",
        "  catalogue_holds: 1",
        "  councils first named there and named by no other workspace: 1",
        "Kept: 1 council(s) first named there that other workspaces name too",
        "Nothing was erased, and --yes is refused now: workspace T0ALPHA still has the bot installed",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    assert_eq!(projects_of_alpha(), 3);
    // Still installed: refused, nothing erased.
    let (ok, _, err) = run(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert!(!ok);
    assert!(err.contains("still has the bot installed"), "{err}");
    assert!(err.contains("nothing was erased"), "{err}");
    assert_eq!(projects_of_alpha(), 3);

    // Alpha removes the app; Bravo's record before the erase.
    let removed = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_A,
        "EvGone",
    );
    assert_eq!(app.event(&removed).await.status, 200);
    let bravo_before = tables(&app, TEAM_B);
    let (ok, counted, err) = run(&app, &["erase", "--team", TEAM_A]);
    assert!(ok, "{err}");
    assert!(
        counted.contains("To erase all of it, for good: makers-bot erase --team T0ALPHA --yes"),
        "{counted}"
    );

    let (ok, said, err) = run(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert!(ok, "{err}");
    assert!(said.starts_with("Erased from workspace T0ALPHA:"), "{said}");
    // What it erased is what the count said it would.
    let tables_of = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("  "))
            .map(String::from)
            .collect()
    };
    assert_eq!(tables_of(&said), tables_of(&counted));
    for line in [
        "  projects: 3",
        "  people: 2",
        "  updates: 1",
        "  digest_subscriptions: 1",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    assert!(
        said.contains("the record that it removed the app on"),
        "{said}"
    );
    assert!(!said.contains("could not be emptied"), "{said}");

    // Nothing of Alpha is left but the record that it removed the app.
    assert_eq!(
        rows_of(&app, TEAM_A),
        vec![("removed_workspaces".to_string(), 1)]
    );
    let left = tables(&app, TEAM_A);
    for (table, rows) in left.as_object().unwrap() {
        let expected = usize::from(table == "removed_workspaces");
        assert_eq!(rows.as_array().unwrap().len(), expected, "{table}: {rows}");
    }
    // Bravo keeps everything; the council it shares with Alpha is first named in Bravo now.
    let mut bravo_after = tables(&app, TEAM_B);
    let councils = bravo_after["councils"].as_array().unwrap().clone();
    assert_eq!(councils.len(), 2, "{councils:?}");
    let shared = councils
        .iter()
        .find(|c| c["name"] == "Guildford Borough Council")
        .unwrap_or_else(|| panic!("{councils:?}"));
    assert_eq!(shared["team_id"], TEAM_B);
    bravo_after["councils"] = bravo_before["councils"].clone();
    // Its re-use of Alpha's service went with the service, and so did the DM telling its
    // re-user Alpha retired it, which named the service by its title and address.
    let mut bravo_before = bravo_before;
    let reuses = bravo_before["reuses"].as_array_mut().unwrap();
    reuses.retain(|r| r["project_id"] != alpha_first);
    assert_eq!(reuses.len(), 0, "{reuses:?}");
    let posts = bravo_before["outbox"].as_array_mut().unwrap();
    let n = posts.len();
    posts.retain(|r| !r.to_string().contains(ALPHA_SERVICE));
    assert_eq!(posts.len() + 1, n, "one post about Alpha's service");
    for (table, rows) in bravo_before.as_object().unwrap() {
        assert_eq!(&bravo_after[table], rows, "{table}");
    }
    assert_eq!(bravo_after, bravo_before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM councils"),
        2,
        "Alphaville went; Guildford and Woking stay"
    );
    // Erasing again finds nothing.
    let (ok, said, _) = run(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert!(
        ok && said
            .contains("Nothing is recorded for workspace T0ALPHA but that it removed the app"),
        "{said}"
    );

    // Bravo carries on. Its next project and update take the ids Alpha's had (SQLite hands
    // out the highest id left plus one): they are indexed without a stale index row in the
    // way, and found by their own words alone.
    let reused = app.count("SELECT COALESCE(MAX(id), 0) + 1 FROM projects");
    assert_eq!(reused, alpha_first, "an id Alpha's project had");
    app.slash_in(
        TEAM_B,
        BRAVO_PITCHER,
        "C0BRAVO",
        "pitch Kiwi finder | Kiwi fruit stalls",
    )
    .await;
    app.outbox_settled().await;
    assert_eq!(
        app.count("SELECT id FROM projects WHERE title = 'Kiwi finder'"),
        reused
    );
    app.slash_in(
        TEAM_B,
        BRAVO_PITCHER,
        "C0BRAVO",
        "update 2 Wombat survey done",
    )
    .await;
    assert_eq!(
        app.count("SELECT id FROM updates WHERE body LIKE 'Wombat%'"),
        1,
        "Alpha's update had id 1"
    );
    let bot = &app;
    let found = |words: &'static str| async move {
        let a = bot
            .slash_in(TEAM_B, BRAVO_PITCHER, "C0BRAVO", &format!("search {words}"))
            .await;
        format!("{}\n{}", a.said(), a.blocks())
    };
    for word in ["kiwi", "wombat"] {
        let said = found(word).await;
        assert!(said.contains("Kiwi finder"), "{word}: {said}");
    }
    for word in ALPHA_WORDS {
        let said = found(word).await;
        assert!(said.starts_with("No projects match"), "{word}: {said}");
    }
    let db = app.db();
    for index in ["project_search", "update_search", "catalogue_search"] {
        db.execute(
            &format!("INSERT INTO {index} ({index}) VALUES ('integrity-check')"),
            [],
        )
        .unwrap_or_else(|e| panic!("{index}: {e}"));
    }
    drop(db);
    // An erased project's address is never handed to another: Bravo's project of the same
    // name is published at the next one, and the erased one finds nothing.
    app.slash_in(TEAM_B, BRAVO_PITCHER, "C0BRAVO", "pitch Bin day finder")
        .await;
    app.outbox_settled().await;
    app.slash_in(TEAM_B, BRAVO_PITCHER, "C0BRAVO", "publish 3")
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE slug = 'bin-day-finder-2'"),
        1
    );
    assert_eq!(get(&app, "/catalogue/bin-day-finder").await.status, 404);
    // The public catalogue lists Bravo's and not Alpha's (Bravo's pitch moved it on).
    let page = get(&app, "/catalogue").await.body;
    assert!(page.contains("Bravo lights"), "{page}");
    assert!(!page.contains("Zanzibar"), "{page}");

    // The file and its log hold none of Alpha's people or words (the search indexes held
    // them lower-cased, and merged).
    let (db, _slack, _dir) = app.stop().await;
    let needles: Vec<&str> = [ALPHA_PITCHER, ALPHA_JOE]
        .into_iter()
        .chain(ALPHA_WORDS)
        .collect();
    assert_neither_file_holds(&db, &needles);
}

/// A workspace whose removal the bot missed can still be erased, on the operator's word; not
/// while posts to it are still to be made (the running bot may be making one), and with its
/// installation, which is then recorded as removed.
#[tokio::test]
async fn a_removal_the_bot_missed_is_erased_on_the_operators_word_once_its_posts_are_made() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slack.always("chat.postMessage", Script::Status(500));
    app.slash_in(TEAM_A, ALPHA_PITCHER, "C0ALPHA", "pitch Zanzibar bins")
        .await;
    app.slack.wait_for("chat.postMessage", 1, SHORT).await;

    let (ok, _, err) = run(&app, &["erase", "--team", TEAM_A, "--even-if-installed"]);
    assert!(
        !ok && err.contains("--yes"),
        "the flag goes with --yes: {err}"
    );
    let (ok, said, err) = run(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert!(!ok && said.is_empty(), "{said}");
    assert!(err.contains("add --even-if-installed"), "{err}");
    let forced = ["erase", "--team", TEAM_A, "--yes", "--even-if-installed"];
    let (ok, _, err) = run(&app, &forced);
    assert!(!ok, "refused while its announcement is owed");
    assert!(
        err.contains("1 post(s) to workspace T0ALPHA are still to be made"),
        "{err}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        1,
        "nothing erased"
    );

    app.slack.heal("chat.postMessage");
    eventually("the announcement posted", SHORT, || {
        let owed = app.count("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL");
        (owed == 0).then_some(())
    })
    .await;
    let (ok, said, err) = run(&app, &forced);
    assert!(ok, "{err}");
    assert!(said.contains("  installations: 1"), "{said}");
    assert!(
        said.contains("the record that it removed the app on"),
        "{said}"
    );
    assert_eq!(
        rows_of(&app, TEAM_A),
        vec![("removed_workspaces".to_string(), 1)]
    );
}

/// `@Makers <text>` typed by Bravo's pitcher in Bravo's channel, as Slack delivers it to
/// Bravo's bot.
fn bravo_mention(id: &str, ts: &str, text: &str) -> Value {
    let mut m = mention(id, BRAVO_PITCHER, "C0BRAVO", ts, text);
    m["team_id"] = TEAM_B.into();
    m["authorizations"] = serde_json::json!([{"team_id": TEAM_B, "user_id": format!("UBOT{TEAM_B}"), "is_bot": true}]);
    m["event"]["text"] = format!("<@UBOT{TEAM_B}> {text}").into();
    m
}

/// Another workspace's answers that name an erased workspace's service by its address go
/// with it, as its re-users' DMs do: a pitch's private word of a service like it, a search's
/// results and a `list reused`, each holding its name and address in clear. The rest of
/// that workspace's posts stay (the pitch's own answer in its thread names no service).
#[tokio::test]
async fn other_workspaces_answers_naming_an_erased_service_go_with_it() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    install(&app, "b", grant(TEAM_B, "Bravo", TOKEN_B)).await;
    let alpha = |text| app.slash_in(TEAM_A, ALPHA_PITCHER, "C0ALPHA", text);
    alpha("pitch Zanzibar bins | Bins of the island").await;
    app.outbox_settled().await;
    alpha("publish 1").await;
    let bravo = |text| app.slash_in(TEAM_B, BRAVO_PITCHER, "C0BRAVO", text);
    bravo("council Woking Borough Council").await;
    bravo(&format!("reuse {ALPHA_SERVICE}")).await;
    for (id, ts, text) in [
        ("EvPitchLike", "1700000100.000100", "pitch Island bins"),
        ("EvSearchIt", "1700000200.000100", "search island"),
        ("EvReused", "1700000300.000100", "list reused"),
    ] {
        assert_eq!(app.event(&bravo_mention(id, ts, text)).await.status, 200);
    }
    app.outbox_settled().await;
    let bravo_posts = |naming: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_B}'
             AND notice LIKE '%{naming}%'"
        ))
    };
    assert_eq!(bravo_posts(ALPHA_SERVICE), 3, "each answer names it");
    let others = app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_B}'
         AND notice NOT LIKE '%{ALPHA_SERVICE}%'"
    ));
    assert!(others > 0);

    let removed = removal_event(
        &app,
        "app-uninstalled.event_callback.json",
        TEAM_A,
        "EvGone",
    );
    assert_eq!(app.event(&removed).await.status, 200);
    let (ok, counted, err) = run(&app, &["erase", "--team", TEAM_A]);
    assert!(ok, "{err}");
    let (ok, said, err) = run(&app, &["erase", "--team", TEAM_A, "--yes"]);
    assert!(ok, "{err}");
    let outbox_line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("  outbox: "))
            .map(String::from)
    };
    assert_eq!(outbox_line(&said), outbox_line(&counted), "{said}");
    assert_eq!(bravo_posts(ALPHA_SERVICE), 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE team_id = '{TEAM_B}'"
        )),
        others,
        "Bravo's other posts stay"
    );
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[ALPHA_SERVICE, "Zanzibar"]);
}

/// A workspace erased on the operator's word beside the running bot is not served by it
/// any more: the bot notices the erase (another process's write) and forgets the token it
/// kept in memory, so a request from there records nothing, as for a workspace never
/// installed, without a restart.
#[tokio::test]
async fn a_workspace_erased_beside_the_running_bot_is_no_longer_served_by_it() {
    let app = oauth_app().await;
    install(&app, "a", grant(TEAM_A, "Alpha", TOKEN_A)).await;
    app.slash_in(TEAM_A, ALPHA_PITCHER, "C0ALPHA", "pitch Zanzibar bins")
        .await;
    app.outbox_settled().await;

    let forced = ["erase", "--team", TEAM_A, "--yes", "--even-if-installed"];
    let (ok, _, err) = run(&app, &forced);
    assert!(ok, "{err}");
    // The bot looks for other processes' writes every second: wait on its own answer to a
    // request that records nothing either way.
    let deadline = std::time::Instant::now() + SHORT;
    loop {
        let a = app.slash_in(TEAM_A, ALPHA_PITCHER, "C0ALPHA", "list").await;
        if a.text().contains("Makers is not set up for this workspace") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", a.text());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let a = app
        .slash_in(TEAM_A, ALPHA_PITCHER, "C0ALPHA", "pitch Quokka map")
        .await;
    assert!(
        a.text().contains("Makers is not set up for this workspace"),
        "{}",
        a.text()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE team_id = 'T0ALPHA'"),
        0
    );
}
