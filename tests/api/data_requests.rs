//! Data requests: `/makers forget me` (and the operator's `forget`), `export` and `backup`.
//! Forgetting is checked the hard way: after a checkpoint and VACUUM, the person's id is
//! nowhere in the database file.

use crate::binary::{beside, beside_ok};
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER};

const BOB: &str = "U0BOBFORGET";

/// A project Bob is all over: in its team, its description, an update, a re-use, a link,
/// his council and skills.
async fn bob_everywhere(app: &TestApp) {
    app.slash(BOB, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slash(BOB, CHANNEL, "skills developer").await;
    app.slash(
        PITCHER,
        CHANNEL,
        &format!(
            "pitch Bin day finder | Ask <@{BOB}|bob> about the data, or {BOB} directly \
             (https://forms.example/f?who=%40{BOB})"
        ),
    )
    .await;
    app.outbox_settled().await;
    // Published: the catalogue's own search index holds its text too.
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    app.slash(BOB, CHANNEL, "join 1").await;
    app.slash(
        BOB,
        CHANNEL,
        &format!("update 1 Data loaded, thanks <@{BOB}>"),
    )
    .await;
    app.slash(BOB, CHANNEL, "reuse 1 | we use it for garden waste")
        .await;
    app.slash(BOB, CHANNEL, "link 1 code https://example.org/bins")
        .await;
    // Another project an operator took down, giving a reason that names him.
    app.slash(PITCHER, CHANNEL, "pitch Street lights").await;
    // He joined it and left a minute later: the team's history names him.
    app.slash(BOB, CHANNEL, "join 2").await;
    app.clock.set_timestamp(app.clock.now().timestamp() + 60);
    app.slash(BOB, CHANNEL, "leave 2").await;
    let reason = format!("Complaint from <@{BOB}> about the wording");
    let takedown = [
        "takedown",
        "--team",
        TEAM,
        "--project",
        "2",
        "--reason",
        &reason,
    ];
    beside_ok(app, &takedown);
    app.outbox_settled().await;
}

/// Whether the file holds `needle`, in any case (search indexes hold words lower-cased).
pub fn file_holds(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let needle = needle.to_ascii_lowercase();
    bytes
        .windows(needle.len())
        .any(|w| w.to_ascii_lowercase() == needle.as_bytes())
}

/// Neither the database file `db` nor its log holds any of `needles`, in any case.
pub fn assert_neither_file_holds(db: &std::path::Path, needles: &[&str]) {
    for file in [db.to_path_buf(), db.with_extension("db-wal")] {
        if !file.exists() {
            continue;
        }
        for needle in needles {
            assert!(
                !file_holds(&file, needle),
                "{} still holds {needle}",
                file.display()
            );
        }
    }
}

#[tokio::test]
async fn forget_me_leaves_the_work_and_nothing_about_the_person() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members WHERE user_id = '{BOB}'"
        )) == 1
    );

    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team (1 in all)"), "{a}");
    // What it cannot change is said: other posts in Slack stay.
    assert!(
        a.contains("other messages already posted stay as they are"),
        "{a}"
    );
    // The work stays, naming nobody.
    assert_eq!(app.count("SELECT COUNT(*) FROM updates"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM reuses"), 1);
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(!shown.contains(BOB), "{shown}");
    assert!(shown.contains("Data loaded, thanks someone"), "{shown}");
    // Their update is shown as by someone who left, not as a mention of nobody.
    assert!(
        shown.contains("someone who has since left: Data loaded"),
        "{shown}"
    );
    assert!(!shown.contains("forgotten"), "{shown}");
    // Their Home is published afresh, so it no longer lists the team they left.
    let homes = app.slack.wait_for("views.publish", 1, SHORT).await;
    assert_eq!(homes[0].body["user_id"], BOB, "{:?}", homes[0].body);

    // The bot empties its write-ahead log, where their rows as they were would otherwise
    // stay until overwritten; the file itself holds nothing of them, without a VACUUM.
    let wal = app.db_path.with_extension("db-wal");
    eventually("the WAL emptied", SHORT, || {
        (!file_holds(&wal, BOB)).then_some(())
    })
    .await;
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

/// `forget me`'s emptying of the log does not happen before the bot stops: here a reader
/// (a `backup`, read-only, whose own close cannot empty the log either) holds a snapshot
/// through the forget and the restart, as a kill in that half second would leave it too.
/// The next start empties the log once it can. Before, nothing did: the wish to empty it
/// was only in the old process's memory, and Bob's rows as they were stayed in the log's
/// older frames.
#[tokio::test]
async fn a_forget_whose_log_was_not_emptied_before_a_restart_is_emptied_at_the_next_start() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    let reader = rusqlite::Connection::open_with_flags(
        &app.db_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    reader
        .execute_batch("BEGIN; SELECT COUNT(*) FROM projects;")
        .unwrap();
    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    // The checkpointer tries every half second; each try is refused by the snapshot.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let wal = app.db_path.with_extension("db-wal");
    assert!(file_holds(&wal, BOB), "the log still holds him");

    let app = app.restart().await;
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    eventually("the WAL emptied", SHORT, || {
        (!file_holds(&wal, BOB)).then_some(())
    })
    .await;
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

/// The first test has Bob as a member; here he leads, and does everything a lead and a
/// member can, by command, reaction and mention of him by others: pitch (his id in the
/// title), phase with a note, wants, edit, lead-council, publish, link, update, correct,
/// withdraw, hand over and be handed a project, remove someone, preview a digest; and posts
/// about him are still owed (Slack down) when he asks. After `forget me` the file and its
/// log hold nothing of him.
#[tokio::test]
async fn forget_me_leaves_nothing_of_a_lead_who_did_everything() {
    let app = spawn_app().await;
    // A command, answered: its text.
    let ask = |user: &'static str, text: &str| {
        let (app, text) = (&app, text.to_string());
        async move {
            let a = app.slash(user, CHANNEL, &text).await;
            assert_eq!(a.status, 200, "{text}");
            a.text()
        }
    };
    ask(BOB, "council Guildford Borough Council").await;
    ask(PITCHER, "council Waverley Borough Council").await;
    let title = format!("Bins for {BOB} | Ask <@{BOB}> about it");
    pitch_and_wait(&app, BOB, CHANNEL, &title).await;
    ask(PITCHER, "join 1").await;
    ask(BOB, &format!("phase 1 alpha | thanks <@{BOB}>")).await;
    ask(BOB, "wants 1 developer").await;
    ask(
        BOB,
        &format!("edit 1 Bin day finder | Led by <@{BOB}> for now"),
    )
    .await;
    let lead = ask(BOB, "lead-council 1 Waverley Borough Council").await;
    assert!(lead.contains("leads *#1"), "{lead}");
    ask(BOB, "publish 1").await;
    ask(BOB, "link 1 docs https://example.org/docs").await;
    ask(BOB, &format!("update 1 First data from {BOB}")).await;
    ask(
        BOB,
        &format!("correct 1 First data from <@{BOB}>, corrected"),
    )
    .await;
    ask(BOB, &format!("update 1 Wrong project, sorry <@{BOB}>")).await;
    let withdrawn = ask(BOB, "withdraw 1").await;
    assert!(withdrawn.starts_with("Withdrawn"), "{withdrawn}");
    ask(BOB, &format!("handover 1 <@{PITCHER}>")).await;
    // Another's project: he joins by reaction, is handed the lead, and removes its pitcher.
    let ts = pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        &format!("Street lights | with <@{BOB}>"),
    )
    .await;
    let joined_by_reaction = crate::teams::reaction("EvBobJoins", BOB, "raised_hand", &ts, true);
    assert_eq!(app.event(&joined_by_reaction).await.status, 200);
    eventually("his reaction settled into a join", SHORT, || {
        let n = app.count(&format!(
            "SELECT COUNT(*) FROM members WHERE user_id = '{BOB}'"
        ));
        (n == 2).then_some(())
    })
    .await;
    let handed = ask(PITCHER, &format!("handover 2 <@{BOB}>")).await;
    assert!(handed.contains("leads *#2: Street lights* now"), "{handed}");
    ask(PITCHER, &format!("update 2 Thanks <@{BOB}> for the data")).await;
    // A link whose address names him (his profile, say), set by another.
    let link = ask(
        PITCHER,
        &format!("link 1 service https://example.org/people/{BOB}"),
    )
    .await;
    assert!(link.starts_with("Recorded"), "{link}");
    let removed = ask(BOB, &format!("remove 2 <@{PITCHER}>")).await;
    assert!(!removed.contains("Only whoever leads"), "{removed}");
    // He turns the channel's digest on: the subscription stays, naming nobody.
    ask(BOB, "digest").await;
    ask(BOB, "digest preview").await;
    app.outbox_settled().await;
    // Slack goes down: what is said of him now is still owed when he asks.
    app.slack.always("chat.postMessage", Script::Status(503));
    ask(PITCHER, &format!("update 1 Owed: thanks <@{BOB}>")).await;
    let phase = ask(PITCHER, &format!("phase 1 beta | thanks <@{BOB}>")).await;
    assert!(phase.contains("is now in *beta*"), "{phase}");
    // Someone joins his project: the word for its lead (him) is owed too.
    let carol = app.slash("U0CAROL", CHANNEL, "join 2").await.text();
    assert!(carol.contains("You're in the team"), "{carol}");

    let a = ask(BOB, "forget me").await;
    assert!(a.contains("you are out of every team (2 in all)"), "{a}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects"),
        2,
        "the work stays"
    );
    let wal = app.db_path.with_extension("db-wal");
    eventually("the WAL emptied", SHORT, || {
        (!file_holds(&wal, BOB)).then_some(())
    })
    .await;
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

#[tokio::test]
async fn export_tells_a_person_everything_recorded_about_them_and_backup_never_overwrites() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    // He changes jobs days later: his joins so far stay Guildford's.
    app.clock
        .set_timestamp(app.clock.now().timestamp() + 3 * 86_400);
    app.slash(BOB, CHANNEL, "council Waverley Borough Council")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| beside(&app, args);
    let out = run(&["export", "--team", TEAM, "--user", BOB]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables = &found["workspaces"][0]["tables"];
    for table in [
        "people",
        "person_skills",
        "members",
        "memberships_ended",
        "updates",
        "reuses",
        "project_links",
        "projects",
    ] {
        assert!(
            !tables[table].as_array().unwrap().is_empty(),
            "{table} has rows about Bob: {tables}"
        );
    }
    assert_eq!(
        found["workspaces"][0]["council"],
        "Waverley Borough Council"
    );
    // Memberships name projects by row id; the export says which project each is, as Bob
    // knows it. So for councils: the one each of his joins counts for, as he said it then.
    let member = &tables["members"][0];
    let project = &found["workspaces"][0]["projects"][member["project_id"].to_string()];
    assert_eq!(project["number"], 1, "{project}");
    assert_eq!(project["title"], "Bin day finder", "{project}");
    let councils = &found["workspaces"][0]["councils"];
    for row in [member, &tables["memberships_ended"][0]] {
        assert_eq!(
            councils[row["council_id"].to_string()],
            "Guildford Borough Council",
            "{row} {councils}"
        );
    }
    assert_eq!(
        councils[tables["people"][0]["council_id"].to_string()],
        "Waverley Borough Council",
        "{councils}"
    );
    // Another's post that names Bob (the pitcher's announcement asking people to ask him)
    // is in it by the texts that name him, not whole: the rest is the pitcher's.
    let posts = tables["outbox"].as_array().unwrap();
    let announcement = posts
        .iter()
        .find(|p| p["notice"]["kind"] == "announcement")
        .unwrap_or_else(|| panic!("the announcement naming Bob: {posts:?}"));
    let naming = announcement["notice"]["naming_them"].to_string();
    assert!(naming.contains("about the data"), "{announcement}");
    assert!(
        !announcement.to_string().contains(PITCHER),
        "{announcement}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A mistyped id gives empty tables, and says so.
    let out = run(&["export", "--team", TEAM, "--user", "U0NOBODY"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("nothing is recorded"), "{said}");
    let out = run(&["export", "--team", TEAM]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        all["workspaces"][0]["tables"]["projects"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // With no workspace named, every workspace is exported, also one that is only installed.
    app.db()
        .execute(
            "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token,
                                        scopes, installed_by, installed_at, updated_at)
             VALUES ('T0INSTALLED', 'Only installed', 'A1', 'U0BOT', x'00', 'chat:write',
                     'U0ADMIN', 1, 1)",
            [],
        )
        .unwrap();
    let out = run(&["export"]);
    let every: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let teams: Vec<&str> = every["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["team"].as_str().unwrap())
        .collect();
    assert_eq!(teams, ["T0INSTALLED", TEAM]);
    // A person's export with no workspace named holds only those with something about them:
    // it goes to them, and which other councils use the bot is not theirs to know.
    let out = run(&["export", "--user", BOB]);
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let teams: Vec<&str> = theirs["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["team"].as_str().unwrap())
        .collect();
    assert_eq!(teams, [TEAM]);

    // A reader that stops reading (`export | head`) ends the export quietly, not in a panic.
    let tmp = tempfile::tempdir().unwrap();
    let mut child = crate::binary::bot(tmp.path())
        .env("MAKERS_DB", &app.db_path)
        .arg("export")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let closed = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&closed.stderr);
    assert!(
        closed.status.success() && !said.contains("panicked"),
        "{said}"
    );

    // A backup taken while the bot runs opens as a database with everything in it.
    let copy = dir.path().join("copy.db");
    let out = run(&["backup", copy.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let partial: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(
        partial.is_empty(),
        "nothing left of the making: {partial:?}"
    );
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM updates", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "people's data, readable by its owner alone"
    );
    let before = std::fs::read(&copy).unwrap();
    let out = run(&["backup", copy.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&copy).unwrap(), before, "left as it was");
    // A directory given, or one that is not there, is said to be so (it was "already
    // exists", and a file name of the command's own making).
    let said = |args: &[&str]| {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = said(&["backup", dir.path().to_str().unwrap()]);
    assert!(
        err.contains("is a directory: give the backup a file name in it"),
        "{err}"
    );
    let missing = dir.path().join("backups/copy.db");
    let err = said(&["backup", missing.to_str().unwrap()]);
    assert!(
        err.contains("there is no directory") && !err.contains("partial"),
        "{err}"
    );

    // An id that is not a person's is refused, and nothing is changed: a channel's id (the
    // posts to it went, and its mentions were rewritten), or the two options swapped.
    let posts = app.count("SELECT COUNT(*) FROM outbox");
    let ledger = format!("{}.forgotten", app.db_path.display());
    let lines = || std::fs::read_to_string(&ledger).unwrap_or_default();
    let before = lines();
    for (team, user) in [(TEAM, "C0MAKERS"), (BOB, TEAM), (TEAM, "u0bobforget")] {
        let err = said(&["forget", "--team", team, "--user", user]);
        assert!(err.contains("is not a Slack"), "{err}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), posts);
    assert_eq!(lines(), before, "no line in the ledger");

    // The operator's forget does what forget me does.
    let out = run(&["forget", "--team", TEAM, "--user", BOB]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{BOB}'"
        )),
        0
    );
    // Run again, it changes nothing and says so: every count is of rows changed, and the
    // operator is told nothing is recorded about that id (as for a mistyped one).
    let out = run(&["forget", "--team", TEAM, "--user", BOB]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.lines().count() > 1 && said.lines().all(|l| l.ends_with(": 0")),
        "{said}"
    );
    let told = String::from_utf8_lossy(&out.stderr);
    assert!(
        told.contains(&format!("nothing was recorded about {BOB}")),
        "{told}"
    );
}

#[tokio::test]
async fn settled_posts_and_expired_states_are_forgotten_and_parked_posts_wait_a_season() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let (db, _, _) = app.stop().await;
    let (old, recent) = (now() - 31 * 24 * 3600, now() - 24 * 3600);
    let (season, past_season) = (now() - 89 * 24 * 3600, now() - 91 * 24 * 3600);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "INSERT INTO outbox (id, team_id, channel_id, notice, next_attempt_at, created_at,
                                 delivered_at, failed_at, last_error)
             VALUES (1, 'T1', 'C1', '{{}}', {old}, {old}, {old}, NULL, NULL),
                    (2, 'T1', 'C1', '{{}}', {old}, {old}, NULL, {old}, 'is_archived'),
                    (3, 'T1', 'C1', '{{}}', {old}, {old}, NULL, {old}, 'not_in_channel'),
                    (4, 'T1', 'C1', '{{}}', {recent}, {recent}, {recent}, NULL, NULL),
                    (5, 'T1', 'C1', '{{}}', {season}, {season}, NULL, {season}, 'not_in_channel'),
                    (6, 'T1', 'C1', '{{\"kind\":\"announcement\",\"project_id\":1}}',
                     {past_season}, {past_season}, NULL, {past_season}, 'not_in_channel'),
                    (7, 'T1', 'C1', '{{\"kind\":\"announcement_corrected\",\"project_id\":2}}',
                     {past_season}, {past_season}, NULL, {past_season}, 'not_in_channel'),
                    (9, 'T1', 'C1', '{{\"kind\":\"announcement_corrected\",\"project_id\":1}}',
                     {past_season}, {past_season}, NULL, {past_season}, 'not_in_channel'),
                    (8, 'T1', 'C1', '{{\"kind\":\"update_corrected\",\"number\":1}}',
                     {past_season}, {past_season}, NULL, {past_season}, 'not_in_channel');
             INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                                   channel_id, created_at, updated_at, last_activity_at)
             VALUES (1, 'T1', 1, 'Bin day finder', '', 'discovery', 'U1', 'C1',
                     {past_season}, {past_season}, {past_season});
             INSERT INTO projects (id, team_id, number, title, description, phase, pitcher,
                                   channel_id, created_at, updated_at, last_activity_at,
                                   announcement_ts)
             VALUES (2, 'T1', 2, 'Parking permits', '', 'retired', 'U1', 'C1',
                     {past_season}, {past_season}, {past_season}, '1700000000.000100');
             INSERT INTO oauth_states (state, expires_at)
             VALUES ('expired', {recent}), ('live', {});
             INSERT INTO pending_joins (project_id, team_id, user_id, at_us, check_after)
             VALUES (1, 'T1', 'U0WEEKAGO', {week_ago_us}, {later}),
                    (1, 'T1', 'U0YESTERDAY', {recent_us}, {later});",
            now() + 600,
            week_ago_us = (now() - 8 * 24 * 3600) * 1_000_000,
            recent_us = recent * 1_000_000,
            later = now() + 3600,
        ))
        .unwrap();
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    eventually("the old settled rows pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM outbox WHERE id IN (1, 2, 6, 9)") == 0).then_some(())
    })
    .await;
    // The announcement that went will never be posted: its project says so, and lines for
    // its thread are not told they wait for it.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE announcement_refused_at IS NOT NULL"),
        1
    );
    // Parked for an invitation a month, or nearly a season, they still wait for it; and so,
    // however long, does a correction of a post Slack shows already, which the invitation
    // puts right (it is no news); not one of an announcement never posted (9, above).
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE id IN (3, 4, 5, 7, 8)"),
        5
    );
    // A used install link's state goes once it has expired, also with no install after it.
    eventually("the expired state pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM oauth_states WHERE state = 'expired'") == 0).then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM oauth_states WHERE state = 'live'"),
        1
    );
    // A reaction Slack has not said, in a week, was a person's is given up; a day's waits.
    eventually("the week-old pending join pruned", SHORT, || {
        (app.count("SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0WEEKAGO'") == 0)
            .then_some(())
    })
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pending_joins WHERE user_id = 'U0YESTERDAY'"),
        1
    );
}

#[tokio::test]
async fn forget_keeps_others_queued_posts_without_the_person_and_drops_those_about_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    let (db, _, _) = app.stop().await;
    // Queued for tomorrow, so the worker leaves them be: one names someone whose id starts
    // with Bob's, one is another's post that mentions Bob (an announcement whose description
    // thanks him), one is about Bob (a join line), and one mentioning him went out already.
    let (at, later) = (now(), now() + 24 * 3600);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(&format!(
            "INSERT INTO outbox (id, team_id, channel_id, notice, next_attempt_at, created_at, delivered_at)
             VALUES (1, '{TEAM}', 'C1', '{{\"text\":\"thanks <@{BOB}TOO>\"}}', {later}, {at}, NULL),
                    (2, '{TEAM}', 'C1', '{{\"text\":\"thanks <@{BOB}>\"}}', {later}, {at}, NULL),
                    (3, '{TEAM}', 'C1', '{{\"kind\":\"joined\",\"user\":\"{BOB}\"}}', {later}, {at}, NULL),
                    (4, '{TEAM}', 'C1', '{{\"text\":\"thanks <@{BOB}>\"}}', {at}, {at}, {at}),
                    (5, '{TEAM}', 'C1', '{{\"v\":2,\"notice\":{{\"kind\":\"nudge\",\"team\":[\"{BOB}\",\"U0ANN\"]}}}}', {later}, {at}, NULL),
                    (6, '{TEAM}', 'C1', '{{\"v\":2,\"notice\":{{\"kind\":\"reply\"}},\"only_for\":\"{BOB}\"}}', {later}, {at}, NULL),
                    (7, '{TEAM}', 'C1', 'not json, thanks <@{BOB}>', {later}, {at}, NULL)"
        ))
        .unwrap();
    let app = spawn_app_on(&db, FakeSlack::start().await).await;
    // Bob's export holds his post, not the other person's.
    let out = beside(&app, &["export", "--team", TEAM, "--user", BOB]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let queued: Vec<_> = found["workspaces"][0]["tables"]["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_i64())
        .collect();
    assert_eq!(
        queued,
        [Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)]
    );
    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team (0 in all)"), "{a}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE id = 1"), 1);
    let kept: String = app
        .db()
        .query_row("SELECT notice FROM outbox WHERE id = 2", [], |r| r.get(0))
        .expect("another's post still owed stays");
    assert_eq!(kept, r#"{"text":"thanks someone"}"#);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE id IN (3, 4)"),
        0
    );
}

#[tokio::test]
async fn forgetting_by_mention_publishes_the_home_afresh_too() {
    let app = spawn_app().await;
    app.slash(BOB, CHANNEL, "council Guildford Borough Council")
        .await;
    // Slack fails the first two tries: the row naming him is written again after the log
    // was emptied for the forget.
    app.slack.script("chat.postEphemeral", Script::Status(503));
    app.slack.script("chat.postEphemeral", Script::Status(503));
    let a = app
        .event(&mention(
            "EvForget",
            BOB,
            CHANNEL,
            "1700000100.000200",
            "forget me",
        ))
        .await;
    assert_eq!(a.status, 200);
    let homes = app.slack.wait_for("views.publish", 1, SHORT).await;
    assert_eq!(homes[0].body["user_id"], BOB, "{:?}", homes[0].body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{BOB}'"
        )),
        0
    );
    // The answer is Bob's alone: the channel is not told that someone asked to be forgotten.
    let answer = app.slack.wait_for("chat.postEphemeral", 3, SHORT).await;
    assert_eq!(answer[0].body["user"], BOB);
    assert!(message_text(&answer[0].body).contains("you are out of every team"));
    app.outbox_settled().await;
    let public = app.slack.calls("chat.postMessage");
    assert!(
        public
            .iter()
            .all(|c| !message_text(&c.body).contains("out of every team")),
        "{public:?}"
    );
    // And the answer, which names him, is not kept once it has gone out: not in the table,
    // nor in the write-ahead log its row was written to, nor in the file.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outbox WHERE instr(channel_id || notice, '{BOB}')"
        )),
        0
    );
    let (db, wal) = (app.db_path.clone(), app.db_path.with_extension("db-wal"));
    eventually("nothing of him in the file or its log", SHORT, || {
        (!file_holds(&db, BOB) && !file_holds(&wal, BOB)).then_some(())
    })
    .await;
}

/// An address made before addresses came from the name as shown could hold the person's id
/// (lower-cased, so the file scan above would not see it): forgetting them moves the project
/// to a new address, and the old one finds nothing.
#[tokio::test]
async fn forgetting_moves_a_project_whose_address_holds_the_persons_id() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "pitch Ask Bob about bins")
        .await;
    // As the first builds took it (a title naming someone by id alone is refused now).
    app.db()
        .execute(
            "UPDATE projects SET title = ?1",
            [format!("Ask <@{BOB}> about bins")],
        )
        .unwrap();
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let old = format!("ask-{}-about-bins", BOB.to_lowercase());
    app.db()
        .execute("UPDATE projects SET slug = ?1", [&old])
        .unwrap();
    app.slash(BOB, CHANNEL, "forget me").await;
    let slug: String = app
        .db()
        .query_row("SELECT slug FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(slug, "ask-someone-about-bins");
    let gone = app
        .request("GET", &format!("/catalogue/{old}"), &[], "")
        .await;
    assert_eq!(gone.status, 404);
    let moved = app
        .request("GET", &format!("/catalogue/{slug}"), &[], "")
        .await;
    assert_eq!(moved.status, 200);
}

/// A project renamed since its address was made from a title naming the person by id holds
/// their id in its address alone: their export holds it, as forgetting them moves it.
#[tokio::test]
async fn an_export_holds_a_project_whose_address_alone_holds_the_persons_id() {
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "pitch Bins for all").await;
    // Published as "Ask <@BOB> about bins" by an older build, then renamed.
    let old = format!("ask-{}-about-bins", BOB.to_lowercase());
    app.db()
        .execute("UPDATE projects SET slug = ?1", [&old])
        .unwrap();
    let out = beside(&app, &["export", "--team", TEAM, "--user", BOB]);
    assert!(out.status.success(), "{out:?}");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let projects: Vec<_> = found["workspaces"][0]["tables"]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["slug"].as_str().map(str::to_string))
        .collect();
    assert_eq!(projects, [Some(old)]);
}

/// Forgotten while the line saying they joined is being posted (Slack slow to answer): when
/// the post settles, nothing naming them is queued (the note to the pitcher that they
/// joined) and nothing about them is recorded again.
#[tokio::test]
async fn a_forget_while_their_join_line_is_in_flight_leaves_nothing_behind() {
    let app = spawn_app().await;
    app.slash(
        PITCHER,
        CHANNEL,
        "pitch Bin day finder | Which bins go out when",
    )
    .await;
    app.outbox_settled().await;
    app.slash(BOB, CHANNEL, "council Guildford Borough Council")
        .await;
    app.slack.script("chat.postMessage", Script::Slow(2500));
    app.slash(BOB, CHANNEL, "join 1").await;
    // The join line is at Slack: its slow script is taken when the call arrives (the fake
    // records the call once it has answered).
    eventually("the join line at Slack", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
    assert_eq!(
        app.slack.calls("chat.postMessage").len(),
        1,
        "still posting"
    );
    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    app.slack.wait_for("chat.postMessage", 2, SHORT).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.outbox_settled().await;
    for (what, sql) in [
        (
            "profile",
            format!("SELECT COUNT(*) FROM people WHERE user_id = '{BOB}'"),
        ),
        (
            "post",
            format!("SELECT COUNT(*) FROM outbox WHERE instr(channel_id || notice, '{BOB}')"),
        ),
    ] {
        assert_eq!(app.count(&sql), 0, "a {what} names {BOB}");
    }
}

/// Forgotten while Slack is being asked whether their reaction was a person's: its answer
/// records nothing about them again.
#[tokio::test]
async fn a_forget_while_slack_is_asked_about_them_leaves_nothing_behind() {
    let app = spawn_app().await;
    let ts = crate::teams::pitched(&app, "Bin day finder").await;
    app.slack.script("users.info", Script::Slow(2500));
    app.event(&crate::teams::reaction(
        "EvForgetRace",
        BOB,
        "raised_hand",
        &ts,
        true,
    ))
    .await;
    eventually("Slack asked about them", SHORT, || {
        (app.slack.scripts_left("users.info") == 0).then_some(())
    })
    .await;
    assert!(app.slack.calls("users.info").is_empty(), "still asking");
    app.slash(BOB, CHANNEL, "forget me").await;
    app.slack.wait_for("users.info", 1, SHORT).await;
    // Slack's late answer handled: the pending join is settled either way.
    eventually("the late answer handled", SHORT, || {
        (app.count("SELECT COUNT(*) FROM pending_joins") == 0).then_some(())
    })
    .await;
    app.outbox_settled().await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{BOB}'"
        )),
        0
    );
}

/// A reaction made before `forget me` and delivered after it (Slack retrying a delivery that
/// failed) does not put the forgotten person back in the team, nor is Slack asked about
/// them; a reaction made after the forget is a choice made since, and joins.
#[tokio::test]
async fn a_reaction_from_before_a_forget_delivered_after_it_joins_nobody() {
    let app = spawn_app().await;
    let ts = crate::teams::pitched(&app, "Bin day finder").await;
    app.slash(BOB, CHANNEL, "forget me").await;
    let forgot_at = app.clock.now().timestamp();
    let mut late = crate::teams::reaction("EvBefore", BOB, "raised_hand", &ts, true);
    late["event"]["event_ts"] = format!("{}.000100", forgot_at - 60).into();
    assert_eq!(app.event(&late).await.status, 200);
    app.outbox_settled().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_joins"), 0);
    assert!(!crate::teams::is_member(&app, BOB));
    assert!(app.slack.calls("users.info").is_empty(), "not asked about");
    let mut after = crate::teams::reaction("EvAfter", BOB, "raised_hand", &ts, true);
    after["event"]["event_ts"] = format!("{}.000100", forgot_at + 2).into();
    assert_eq!(app.event(&after).await.status, 200);
    crate::teams::joined(&app, BOB).await;
}

/// A reaction made before `forget me`, delivered after it, joins nobody also once the bot
/// knows the person again: Bob reacts on #1 (the delivery fails), asks to be forgotten,
/// joins #2 by a reaction (Slack asked, and says he is a person), then #1's is retried.
#[tokio::test]
async fn a_reaction_from_before_a_forget_joins_nobody_once_its_person_is_known_again() {
    let app = spawn_app().await;
    let first = crate::teams::pitched(&app, "Bin day finder").await;
    let second = pitch_and_wait(&app, PITCHER, CHANNEL, "Parking permits").await;
    let reacted_at = app.clock.now().timestamp();
    app.slash(BOB, CHANNEL, "forget me").await;
    let mut since = crate::teams::reaction("EvSince", BOB, "raised_hand", &second, true);
    since["event"]["event_ts"] = format!("{}.000100", reacted_at + 2).into();
    assert_eq!(app.event(&since).await.status, 200);
    crate::teams::joined(&app, BOB).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{BOB}' AND is_bot = 0"
        )),
        1,
        "known as a person again"
    );
    let mut late = crate::teams::reaction("EvBeforeIt", BOB, "raised_hand", &first, true);
    late["event"]["event_ts"] = format!("{}.000100", reacted_at - 60).into();
    assert_eq!(app.event(&late).await.status, 200);
    app.outbox_settled().await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members m JOIN projects p ON p.id = m.project_id
              WHERE p.number = 1 AND m.user_id = '{BOB}'"
        )),
        0,
        "put back in the team he was forgotten from"
    );
}

/// A workspace's export holds every table with a `team_id` (as `erase` removes them all).
#[tokio::test]
async fn a_workspace_export_holds_every_table_that_names_a_workspace() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let db = app.db();
    // The search indexes' own tables are made from the rows exported, not exported.
    let tables: Vec<String> = crate::erase::tables_with_team_id(&db)
        .into_iter()
        .filter(|t| !t.contains("search"))
        .collect();
    let team = makers_bot::domain::TeamId::parse(TEAM).unwrap();
    let export = makers_bot::store::export_team(&db, &team).unwrap();
    for table in &tables {
        assert!(
            export["tables"].get(table).is_some(),
            "{table} is not in the export: {}",
            export["tables"]
        );
    }
}

/// Puts `copy` back at `db`, as an operator does with the bot stopped: the database, its log
/// and its shared memory removed, the copy in their place. The copy holds Bob.
fn put_back(copy: &std::path::Path, db: &std::path::Path) {
    put_back_copy(copy, db);
    assert!(file_holds(db, BOB), "the copy holds Bob");
}

/// Puts `copy` back at `db`, as [`put_back`] does, whatever it holds.
fn put_back_copy(copy: &std::path::Path, db: &std::path::Path) {
    for stale in [
        db.to_path_buf(),
        db.with_extension("db-wal"),
        db.with_extension("db-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::copy(copy, db).unwrap();
}

/// Bob is in none of the tables that held him as a person.
fn bob_is_out_of_the_tables(app: &TestApp) {
    for table in ["people", "person_skills", "members"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE user_id = '{BOB}'"
            )),
            0,
            "{table}"
        );
    }
}

/// A copy of the database put back from before someone asked to be forgotten (a monthly
/// `backup`, a point-in-time restore) would bring them back: the forget ledger beside the
/// database lists each request, and the bot forgets them again at start. Someone who takes
/// part again after being forgotten is not forgotten again by a restart.
#[tokio::test]
async fn a_backup_put_back_from_before_a_forget_does_not_bring_the_person_back() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("you are out of every team"), "{a}");
    let ledger = std::path::PathBuf::from(format!("{}.forgotten", app.db_path.display()));
    let lines = std::fs::read_to_string(&ledger).unwrap();
    // The operator's takedown (`bob_everywhere`), then Bob's request.
    assert_eq!(lines.lines().count(), 2, "{lines}");
    let last = lines.lines().last().unwrap();
    assert!(last.starts_with("2 ") && last.ends_with(BOB), "{lines}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&ledger).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the ledger is its owner's alone: {mode:o}");
    // Their export says the ledger holds their request (and nothing else about them).
    let out = beside(&app, &["export", "--user", BOB]);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let requests = &found["forget_requests"];
    assert_eq!(requests.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(requests[0]["sequence"], 2, "{found}");
    // Known, not mistyped: the operator is told they asked to be forgotten.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("they asked to be forgotten") && !said.contains("nothing is recorded"),
        "{said}"
    );

    // Bob takes part again, then the bot restarts: he stays.
    app.slash(BOB, CHANNEL, "join 2").await;
    let app = app.restart().await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM members WHERE user_id = '{BOB}'"
        )),
        1,
        "taking part after a forget is not undone by a restart"
    );

    // The operator puts back the copy from before the forget.
    let (db, slack, keep) = app.stop().await;
    put_back(&copy, &db);
    let app = spawn_app_on(&db, slack).await;
    bob_is_out_of_the_tables(&app);
    let shown = app.slash(PITCHER, CHANNEL, "show 1").await.text();
    assert!(!shown.contains(BOB), "{shown}");
    let (db, _slack, _dir) = app.stop().await;
    // Stopping checkpoints the log into the file.
    assert_neither_file_holds(&db, &[BOB]);
    drop(keep);
}

/// Under Litestream the copy put back is replicated as soon as Litestream starts, before
/// `serve` forgets anyone again: so `check`, which the unit and the container run first,
/// forgets them again and leaves the file itself without them and no log, which is what
/// Litestream then copies. Beside a running service it changes nothing; with nobody behind
/// it changes nothing either.
#[tokio::test]
async fn check_forgets_again_before_litestream_copies_a_file_put_back() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    app.slash(BOB, CHANNEL, "forget me").await;
    let check = |db: &std::path::Path| {
        let db = [("MAKERS_DB", db.to_str().unwrap())];
        crate::binary_startup::run_with(dir.path(), "check", &db)
    };
    // Beside the running service (which forgot him itself), `check` ends at its lock.
    let out = check(&app.db_path);
    assert_eq!(out.status.code(), Some(2), "{out:?}");

    let (db, slack, keep) = app.stop().await;
    put_back(&copy, &db);
    // Until then, what only reads the file refuses it: an export would give Bob back.
    let export = crate::binary::bot(dir.path())
        .env("MAKERS_DB", &db)
        .args(["export", "--user", BOB])
        .output()
        .unwrap();
    let refused = String::from_utf8_lossy(&export.stderr);
    assert!(!export.status.success(), "{refused}");
    assert!(
        refused.contains("asked to be forgotten") && refused.contains("makers-bot check"),
        "{refused}"
    );
    assert!(!String::from_utf8_lossy(&export.stdout).contains(BOB));
    let out = check(&db);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(said.contains("forgot again 1 person"), "{said}");
    assert!(
        !db.with_extension("db-wal").exists()
            || std::fs::metadata(db.with_extension("db-wal"))
                .unwrap()
                .len()
                == 0,
        "no log left for Litestream to copy"
    );
    assert!(
        !file_holds(&db, BOB),
        "the file Litestream copies next holds Bob"
    );
    let caught_up = std::fs::read(&db).unwrap();
    let out = check(&db);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("forgot again"), "{said}");
    assert_eq!(std::fs::read(&db).unwrap(), caught_up, "nothing more to do");

    // `serve` then starts on it as on any other, and Bob stays forgotten.
    let app = spawn_app_on(&db, slack).await;
    bob_is_out_of_the_tables(&app);
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
    drop(keep);
}

/// The forget ledger lost with the machine, and an older copy put back on a new one: nothing
/// makes the forgets since again, and nothing could tell. `check` says the ledger is missing
/// though the copy applied its lines, naming the file to put back, and still passes (the
/// latest copy alone on a new machine is a fair restore); `serve` logs it as an error.
#[tokio::test]
async fn check_says_when_the_forget_ledger_is_missing_beside_a_copy_that_applied_it() {
    let app = spawn_app().await;
    // The operator's takedown is the ledger's line 1, in the copy too.
    bob_everywhere(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    app.slash(BOB, CHANNEL, "forget me").await;
    let (db, slack, keep) = app.stop().await;
    let ledger = std::path::PathBuf::from(format!("{}.forgotten", db.display()));
    std::fs::remove_file(&ledger).unwrap();
    put_back(&copy, &db);
    let out = crate::binary_startup::run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", db.to_str().unwrap())],
    );
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("forget ledger") && said.contains(ledger.to_str().unwrap()),
        "{said}"
    );
    assert!(said.contains("is missing"), "{said}");
    // `serve` says it too, at ERROR, and serves.
    use crate::helpers::process::{BotProcess, Launch, process_log};
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let log = std::fs::read_to_string(process_log(&db)).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("forget ledger") && l.contains("is missing"))
        .unwrap_or_else(|| panic!("not said: {log}"));
    assert!(line.contains("ERROR"), "{line}");
    bot.kill();
    // With no copy of it, an empty ledger in its place says the loss is known: `check` says
    // nothing more of it at each start (it would, for ever, until the next forget).
    assert!(said.contains("an empty file in its place"), "{said}");
    std::fs::write(&ledger, "").unwrap();
    let out = crate::binary_startup::run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", db.to_str().unwrap())],
    );
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("is missing"), "{said}");
    drop(keep);
}

/// An operator's takedown and its lift are written to the forget ledger too, and made again,
/// in order, in a copy put back from before them: the page taken down is not served again,
/// and a project whose hold was lifted since may be published. A restart after that makes
/// nothing again.
#[tokio::test]
async fn a_backup_put_back_from_before_a_takedown_keeps_the_page_down() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Street lights").await;
    app.slash(PITCHER, CHANNEL, "publish 1").await;
    let takedown = |number: &'static str| ["takedown", "--team", TEAM, "--project", number];
    beside_ok(&app, &takedown("2"));
    let page = "/catalogue/bin-day-finder";
    assert_eq!(crate::catalogue::get(&app, page).await.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    beside_ok(
        &app,
        &[&takedown("1")[..], &["--reason", "personal data"]].concat(),
    );
    beside_ok(&app, &[&takedown("2")[..], &["--lift"]].concat());
    app.outbox_settled().await;

    let (db, slack, keep) = app.stop().await;
    put_back_copy(&copy, &db);
    let app = spawn_app_on(&db, slack).await;
    let held = "SELECT group_concat(p.number) FROM catalogue_holds h
                JOIN projects p ON p.id = h.project_id";
    let held_numbers =
        |app: &TestApp| -> Option<String> { app.db().query_row(held, [], |r| r.get(0)).unwrap() };
    assert_eq!(crate::catalogue::get(&app, page).await.status, 404);
    assert_eq!(held_numbers(&app).as_deref(), Some("1"));
    let a = app.slash(PITCHER, CHANNEL, "publish 1").await.text();
    assert_eq!(crate::catalogue::get(&app, page).await.status, 404, "{a}");
    // The hold on 2 was lifted after the copy: its team may publish it.
    app.slash(PITCHER, CHANNEL, "publish 2").await;
    assert_eq!(
        crate::catalogue::get(&app, "/catalogue/street-lights")
            .await
            .status,
        200
    );
    // Made once: the ledger is applied, and a restart holds nothing out again.
    beside_ok(&app, &[&takedown("2")[..], &["--reason", "again"]].concat());
    beside_ok(&app, &[&takedown("2")[..], &["--lift"]].concat());
    let app = app.restart().await;
    assert_eq!(held_numbers(&app).as_deref(), Some("1"));
    drop(keep);
}

/// A hold made before takedowns were written to the ledger (by a previous build) reaches it
/// when the operator runs the takedown again: a copy put back from before the hold keeps
/// the project held. Run a third time, with the line there, it writes none.
#[tokio::test]
async fn a_takedown_run_again_on_a_hold_the_ledger_lacks_writes_its_line() {
    let app = spawn_app().await;
    pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    // The previous build's takedown: held, and no line.
    app.db()
        .execute(
            "INSERT INTO catalogue_holds (project_id, held_at, reason)
             SELECT id, 1, NULL FROM projects WHERE number = 1",
            [],
        )
        .unwrap();
    let takedown = ["takedown", "--team", TEAM, "--project", "1"];
    beside_ok(&app, &takedown);
    beside_ok(&app, &takedown);
    let ledger = std::fs::read_to_string(format!("{}.forgotten", app.db_path.display())).unwrap();
    assert_eq!(ledger.matches(" takedown ").count(), 1, "{ledger}");

    let (db, slack, keep) = app.stop().await;
    put_back_copy(&copy, &db);
    let app = spawn_app_on(&db, slack).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM catalogue_holds"), 1);
    drop(keep);
}

/// An erase whose line was written and whose commit then failed is not made by the next
/// request's forget in the running server while the workspace has the bot installed since
/// (or posts owed): it would erase what it has done since, and a post perhaps at Slack now.
#[tokio::test]
async fn a_failed_erase_is_not_made_by_a_forget_while_the_workspace_is_installed() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    an_erase_that_failed_of_a_workspace_installed_since(&app);

    app.slash(BOB, CHANNEL, "forget me").await;
    let of_back = |table: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE team_id = 'T0BACK'"
        ))
    };
    assert_eq!((of_back("installations"), of_back("people")), (1, 1));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM people WHERE user_id = '{BOB}'"
        )),
        0,
        "Bob is forgotten all the same"
    );
}

/// Nor by the open of an operator's writing command (here a takedown) beside the running
/// server: the ledger is then ahead of the database because a request failed, not because
/// a copy was put back, and the workspace may have installed again and a post of it be at
/// Slack now. (The open made it without the checks, as for a copy put back: the workspace's
/// new installation and all.)
#[tokio::test]
async fn a_failed_erase_is_not_made_by_a_command_beside_the_server_while_installed() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    an_erase_that_failed_of_a_workspace_installed_since(&app);

    beside_ok(&app, &["takedown", "--team", TEAM, "--project", "1"]);
    let of_back = |table: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE team_id = 'T0BACK'"
        ))
    };
    assert_eq!((of_back("installations"), of_back("people")), (1, 1));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM catalogue_holds"),
        2,
        "the takedown made all the same, beside bob_everywhere's"
    );
}

/// Workspace T0BACK installed, with someone in it, and an erase of it in the forget ledger
/// past the database's last line: an `erase --yes` that wrote its line and failed to commit
/// before the workspace installed again.
fn an_erase_that_failed_of_a_workspace_installed_since(app: &TestApp) {
    let db = app.db();
    db.execute_batch(
        "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token,
                                    scopes, installed_by, installed_at, updated_at)
         VALUES ('T0BACK', 'Back again', 'A1', 'U0BOT', x'00', 'chat:write', 'U0ADMIN', 1, 1);
         INSERT INTO people (team_id, user_id, updated_at) VALUES ('T0BACK', 'U0THERE', 1);",
    )
    .unwrap();
    let applied: i64 = db
        .query_row("SELECT applied FROM forget_ledger", [], |r| r.get(0))
        .unwrap();
    let ledger = format!("{}.forgotten", app.db_path.display());
    let mut lines = std::fs::read_to_string(&ledger).unwrap_or_default();
    lines.push_str(&format!("{} 5 erase T0BACK\n", applied + 1));
    std::fs::write(&ledger, lines).unwrap();
}

/// An erase is written to the forget ledger too: a copy put back from before it is erased
/// again by `check` (before Litestream copies it), and the bot serves nothing of it.
#[tokio::test]
async fn a_backup_put_back_from_before_an_erase_does_not_bring_the_workspace_back() {
    let app = spawn_app().await;
    bob_everywhere(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("before.db");
    beside_ok(&app, &["backup", copy.to_str().unwrap()]);
    beside_ok(&app, &["erase", "--team", TEAM, "--yes"]);
    let of_team = |app: &TestApp, table: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE team_id = '{TEAM}'"
        ))
    };
    assert_eq!(of_team(&app, "projects"), 0);

    let (db, slack, keep) = app.stop().await;
    put_back(&copy, &db);
    let out = crate::binary_startup::run_with(
        dir.path(),
        "check",
        &[("MAKERS_DB", db.to_str().unwrap())],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        said.contains("made again 1 takedown(s), lift(s) and erase(s)"),
        "{said}"
    );
    assert!(
        !file_holds(&db, BOB),
        "the file Litestream copies next holds Bob"
    );
    let app = spawn_app_on(&db, slack).await;
    for table in ["projects", "people", "person_skills"] {
        assert_eq!(of_team(&app, table), 0, "{table}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM retired_slugs"), 1);
    let page = crate::catalogue::get(&app, "/catalogue/bin-day-finder").await;
    assert_eq!(page.status, 404);
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
    drop(keep);
}

/// The bot's own posts that said who a forgotten person was are corrected in place: the
/// announcement of their pitch, another's announcement that mentions them, and the lines of
/// their updates. Another's update line that mentions them is that person's words, and
/// stays as posted; nobody is told if Slack refuses a correction.
#[tokio::test]
async fn forget_me_corrects_the_bots_posts_that_named_them() {
    let app = spawn_app().await;
    let own = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder").await;
    let others = pitch_and_wait(
        &app,
        PITCHER,
        CHANNEL,
        &format!("Street lights | Ask <@{BOB}> about the data"),
    )
    .await;
    app.slash(BOB, CHANNEL, "update 1 Prototype is up").await;
    app.slash(
        PITCHER,
        CHANNEL,
        &format!("update 2 Thanks <@{BOB}> for the data"),
    )
    .await;
    let lines = crate::progress::thread(&app, &own, 1).await;
    assert!(
        lines.iter().any(|l| l.contains("Prototype is up")),
        "{lines:?}"
    );
    crate::progress::thread(&app, &others, 1).await;
    app.outbox_settled().await;
    let bob_line = crate::progress::latest_line_ts(&app, &own);
    let others_line = crate::progress::latest_line_ts(&app, &others);
    // One of the corrections is refused: nobody is told.
    app.slack
        .script("chat.update", Script::Error("message_not_found"));

    app.slash(BOB, CHANNEL, "forget me").await;
    app.slack.wait_for("chat.update", 3, SHORT).await;
    app.outbox_settled().await;
    let corrected = app.slack.calls("chat.update");
    let at = |ts: &str| {
        corrected
            .iter()
            .filter(|c| c.body["ts"] == ts)
            .map(|c| message_text(&c.body))
            .collect::<Vec<_>>()
    };
    for ts in [&own, &others, &bob_line] {
        let texts = at(ts);
        assert_eq!(texts.len(), 1, "{ts}: {corrected:?}");
        assert!(!texts[0].contains(BOB), "{}", texts[0]);
    }
    assert!(at(&own)[0].contains("Bin day finder"), "{:?}", at(&own));
    assert!(
        at(&others)[0].contains("Ask someone about the data"),
        "{:?}",
        at(&others)
    );
    assert!(
        at(&bob_line)[0].contains("Prototype is up"),
        "{:?}",
        at(&bob_line)
    );
    // Put right for who wrote it, its words as posted: not marked corrected (it was).
    assert!(
        !at(&bob_line)[0].contains("corrected"),
        "{:?}",
        at(&bob_line)
    );
    assert!(at(&others_line).is_empty(), "another's words stay");
    assert_eq!(corrected.len(), 3);
    // The refusal told nobody: no message to anyone but the channel's threads.
    let dms: Vec<_> = app
        .slack
        .calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.body["channel"] != CHANNEL)
        .collect();
    assert!(dms.is_empty(), "{dms:?}");
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

/// `/makers privacy` tells anyone what the bot records about them, who sees it, how long it
/// is kept and their rights, privately; with `MAKERS_PRIVACY_URL` it links the operator's
/// full notice, as every catalogue page's footer then does.
#[tokio::test]
async fn privacy_says_what_is_recorded_and_links_the_operators_notice() {
    let app = spawn_app().await;
    let a = app.slash(BOB, CHANNEL, "privacy").await;
    assert_eq!(a.json()["response_type"], "ephemeral");
    let said = a.text();
    for part in [
        "*What Makers records about you, and why*",
        "under your Slack user id",
        ":raised_hand:",
        "takes Slack ids and e-mail addresses out",
        // Not "until you change it" alone: a join keeps the council its member had then,
        // for reports; a team's make-up is shown with the council said now.
        "Each team you join records the council you worked for then, kept when you change yours",
        "(a team's make-up shows the council you say now)",
        "kept 30 days",
        "at most 90",
        // A parked correction is kept until the invitation, however long (`prune_outbox`).
        "a correction of a message already in Slack waits for the invitation, however long",
        "Slack's event ids 3",
        // An unanswered "did you mean…?" goes in the hourly housekeeping.
        "a council name you typed that the bot asked about (\"Did you mean…?\") and you did not answer 3;",
        "`/makers forget me`",
        // The one record a forget cannot reach (the README's retention table says so).
        "The service's log names you by your Slack id for as long as whoever runs Makers keeps it: a forget does not reach it.",
        "Whoever runs Makers for your council can give you its full privacy notice.",
    ] {
        assert!(said.contains(part), "{part}: {said}");
    }
    // Said whole where its blocks are not shown (the notification line, a screen reader).
    let spoken = a.said();
    assert!(
        spoken.contains("a forget does not reach it")
            && spoken.ends_with("can give you its full privacy notice."),
        "{spoken}"
    );
    // Nothing is recorded for asking.
    assert_eq!(app.count("SELECT COUNT(*) FROM people"), 0);
    let page = app.request("GET", "/catalogue", &[], "").await;
    assert!(!page.body.contains("Privacy notice"), "{}", page.body);

    let notice = "https://www.waverley.gov.uk/privacy/makers?a=1&b=2";
    let contact = "mailto:makers-dpo@waverley.gov.uk";
    let app = app
        .restart_with(&[
            ("MAKERS_PRIVACY_URL", notice),
            ("MAKERS_CONTACT_URL", contact),
        ])
        .await;
    let said = app.slash(BOB, CHANNEL, "privacy").await.said();
    assert!(
        said.contains(
            "For a copy of everything recorded about you, or to have your council put right for the past, ask whoever runs Makers (<mailto:makers-dpo@waverley.gov.uk|makers-dpo@waverley.gov.uk>)."
        ),
        "{said}"
    );
    assert!(
        said.ends_with(
            "The full privacy notice of whoever runs Makers: <https://www.waverley.gov.uk/privacy/makers?a=1&amp;b=2|https://www.waverley.gov.uk/privacy/makers?a=1&amp;b=2>"
        ),
        "{said}"
    );
    let page = app.request("GET", "/catalogue", &[], "").await;
    assert!(
        page.body.contains(
            r#"<a href="https://www.waverley.gov.uk/privacy/makers?a=1&amp;b=2">Privacy notice</a>"#
        ),
        "{}",
        page.body
    );
    // Words after it are not the command: its help line says what it is.
    let help = app.slash(BOB, CHANNEL, "privacy please").await.text();
    assert!(help.contains("/makers privacy"), "{help}");
    assert!(!help.contains("What Makers records"), "{help}");
}

/// A lead who asks to be forgotten leaves their teams as anyone forgotten does; the thread
/// of each open project they led hears that its lead has left (not who), and that anyone in
/// the team may take the lead now, as when a lead leaves.
#[tokio::test]
async fn a_forgotten_lead_s_threads_hear_that_anyone_may_lead_now() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    crate::progress::thread(&app, &ts, 1).await;
    app.slash(BOB, CHANNEL, "forget me").await;
    let lines = crate::progress::thread(&app, &ts, 2).await;
    assert!(
        lines[1].starts_with(
            "The lead of *#1: Bin day finder* has left its team. Anyone in the team can take the lead now: `@makers handover 1 @person` (yourself included)."
        ),
        "{lines:?}"
    );
    let a = app
        .slash(PITCHER, CHANNEL, &format!("handover 1 <@{PITCHER}>"))
        .await;
    assert!(
        a.said().contains("leads *#1: Bin day finder* now"),
        "{}",
        a.said()
    );
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

/// A lead forgotten while their project is retired (nobody manages a retired project, so its
/// thread hears nothing then): brought back, its thread is told that anyone in the team may
/// take the lead, as of a lead who left while it was retired. It used to hear nothing, and
/// nobody knew they could manage it.
#[tokio::test]
async fn a_lead_forgotten_while_retired_is_told_of_when_the_project_is_brought_back() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    app.slash(BOB, CHANNEL, "phase 1 retired").await;
    crate::progress::thread(&app, &ts, 2).await;
    app.slash(BOB, CHANNEL, "forget me").await;
    app.outbox_settled().await;
    let back = app.slash(PITCHER, CHANNEL, "phase 1 alpha").await.text();
    assert!(back.contains("alpha"), "{back}");
    app.outbox_settled().await;
    let lines = crate::progress::thread(&app, &ts, 3).await;
    let told: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("has left its team"))
        .collect();
    assert_eq!(told.len(), 1, "{lines:?}");
    assert!(
        told[0].starts_with(
            "The lead of *#1: Bin day finder* has left its team. Anyone in the team can take the lead now"
        ),
        "{lines:?}"
    );
    let a = app
        .slash(PITCHER, CHANNEL, &format!("handover 1 <@{PITCHER}>"))
        .await;
    assert!(
        a.said().contains("leads *#1: Bin day finder* now"),
        "{}",
        a.said()
    );
    let (db, _slack, _dir) = app.stop().await;
    assert_neither_file_holds(&db, &[BOB]);
}

/// A lead forgotten while the project was open, whose thread was told then, is not told of
/// again when the project is retired and brought back.
#[tokio::test]
async fn a_lead_forgotten_while_open_is_not_told_of_again_when_brought_back() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    crate::progress::thread(&app, &ts, 1).await;
    app.slash(BOB, CHANNEL, "forget me").await;
    crate::progress::thread(&app, &ts, 2).await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    let lines = crate::progress::thread(&app, &ts, 4).await;
    app.outbox_settled().await;
    let lines = crate::progress::thread(&app, &ts, lines.len()).await;
    let told = lines
        .iter()
        .filter(|l| l.contains("has left its team"))
        .count();
    assert_eq!(told, 1, "{lines:?}");
}

/// A lead who left the team while the project was open (its thread told then), forgotten
/// once it is retired, is not told of again when it is brought back.
#[tokio::test]
async fn a_lead_who_left_while_open_and_is_forgotten_while_retired_is_told_of_once() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, BOB, CHANNEL, "Bin day finder").await;
    app.slash(PITCHER, CHANNEL, "join 1").await;
    app.slash(BOB, CHANNEL, "leave 1").await;
    app.slash(PITCHER, CHANNEL, "phase 1 retired").await;
    app.clock.set_timestamp(app.clock.now().timestamp() + 5);
    app.slash(BOB, CHANNEL, "forget me").await;
    app.slash(PITCHER, CHANNEL, "phase 1 alpha").await;
    let lines = crate::progress::thread(&app, &ts, 4).await;
    app.outbox_settled().await;
    let lines = crate::progress::thread(&app, &ts, lines.len()).await;
    let told = lines
        .iter()
        .filter(|l| l.contains("has left its team"))
        .count();
    assert_eq!(told, 1, "{lines:?}");
}

/// The word to a lead that someone joined is about the joiner alone: still owed when they ask
/// to be forgotten (Slack refusing it for a while), it is not posted after, naming nobody or
/// anybody.
#[tokio::test]
async fn a_lead_is_not_told_of_a_join_by_someone_since_forgotten() {
    let app = spawn_app().await;
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Bin day finder").await;
    app.slash(BOB, CHANNEL, "council Guildford Borough Council")
        .await;
    // The join line goes out; Slack then fails, so the lead's word waits.
    app.slack.script("chat.postMessage", Script::OkBare);
    app.slack.always("chat.postMessage", Script::Status(503));
    let a = app.slash(BOB, CHANNEL, "join 1").await.text();
    assert!(a.contains("You're in the team"), "{a}");
    let line = |c: &Call| c.body["thread_ts"] == ts.as_str() && c.ts().is_some();
    eventually("the join line posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(line)
            .then_some(())
    })
    .await;
    eventually("the lead's word refused once", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| c.body["channel"] == PITCHER && c.ts().is_none())
            .then_some(())
    })
    .await;

    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("out of every team"), "{a}");
    // Still down: an attempt at the lead's word read before the forget (the bot runs on this
    // test's thread) has been refused by the time the marker is tried.
    app.marker_posted().await;
    app.slack.heal("chat.postMessage");
    app.outbox_settled().await;
    for call in app.slack.calls("chat.postMessage") {
        let text = message_text(&call.body);
        assert!(
            !(call.ts().is_some() && call.body["channel"] == PITCHER),
            "the lead was told after the forget: {text}"
        );
        assert!(!text.contains("Uforgotten"), "{text}");
    }
}

/// A forget that lands while the bot's post naming the person is at Slack (the announcement
/// of their pitch, the line of their update) corrects that post once Slack has given it a ts,
/// as it corrects those posted before: it could not know the ts when it ran.
#[tokio::test]
async fn a_post_naming_someone_at_slack_while_they_are_forgotten_is_corrected_once_posted() {
    let app = spawn_app().await;
    // Their update's line on another's project, slow at Slack, then their own pitch.
    let ts = pitch_and_wait(&app, PITCHER, CHANNEL, "Street lights").await;
    app.slash(BOB, CHANNEL, "join 1").await;
    app.outbox_settled().await;
    app.slack.script("chat.postMessage", Script::Slow(3000));
    app.slash(BOB, CHANNEL, "update 1 Counted the lamps").await;
    eventually("the post at Slack", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
    let a = app.slash(BOB, CHANNEL, "forget me").await.text();
    assert!(a.contains("out of every team"), "{a}");
    let line = eventually("the update's line posted", SHORT, || {
        app.slack.calls("chat.postMessage").into_iter().find(|c| {
            c.body["thread_ts"] == ts.as_str()
                && c.ts().is_some()
                && message_text(&c.body).contains("Counted the lamps")
        })
    })
    .await;
    assert!(
        message_text(&line.body).contains(BOB),
        "it went out naming him: {}",
        message_text(&line.body)
    );
    let line_ts = line.ts().unwrap().to_string();
    let corrected = eventually("the line corrected", SHORT, || {
        app.slack
            .calls("chat.update")
            .into_iter()
            .find(|c| c.body["ts"] == line_ts.as_str())
    })
    .await;
    let text = message_text(&corrected.body);
    assert!(
        !text.contains(BOB) && text.contains("Counted the lamps"),
        "{text}"
    );

    // His own pitch's announcement, at Slack when he asks.
    app.slash(PITCHER, CHANNEL, "digest").await;
    app.outbox_settled().await;
    app.slack.script("chat.postMessage", Script::Slow(3000));
    app.slash("U0CAROL", CHANNEL, "pitch Ask Carol about bins")
        .await;
    eventually("the post at Slack", SHORT, || {
        (app.slack.scripts_left("chat.postMessage") == 0).then_some(())
    })
    .await;
    let a = app.slash("U0CAROL", CHANNEL, "forget me").await.text();
    assert!(a.contains("out of every team"), "{a}");
    let announced = eventually("the announcement posted", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .into_iter()
            .find(|c| c.ts().is_some() && message_text(&c.body).contains("Ask Carol about bins"))
    })
    .await;
    assert!(message_text(&announced.body).contains("U0CAROL"));
    let announced_ts = announced.ts().unwrap().to_string();
    let corrected = eventually("the announcement corrected", SHORT, || {
        app.slack
            .calls("chat.update")
            .into_iter()
            .find(|c| c.body["ts"] == announced_ts.as_str())
    })
    .await;
    let text = message_text(&corrected.body);
    assert!(!text.contains("U0CAROL"), "{text}");
}

/// A forget's corrections of the bot's lines already in Slack do not queue in front of the
/// channel's new posts: a pitch made just after the forget of someone with 30 posted update
/// lines is announced before most of the corrections, not 30 paced seconds behind them all.
#[tokio::test]
async fn a_forget_with_many_lines_does_not_hold_back_the_channels_new_posts() {
    let app = spawn_app().await;
    pitch_and_wait(&app, BOB, CHANNEL, "Bins").await;
    app.slash(BOB, CHANNEL, "update 1 Week 1 went well").await;
    app.outbox_settled().await;
    // 29 more posted lines of his, as years of weekly news leave them (posted through the bot
    // they would take half a minute of its pacing).
    app.db()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
             INSERT INTO updates (project_id, author, body, created_at, line, line_ts)
             SELECT u.project_id, u.author, 'Week ' || n.i || ' went well', u.created_at + n.i,
                    'bot', printf('1700000%03d.000100', n.i)
             FROM updates u, n WHERE u.line = 'bot' AND u.line_ts IS NOT NULL;
             INSERT INTO update_search_pending (update_id)
             SELECT id FROM updates WHERE id NOT IN (SELECT rowid FROM update_search);",
        )
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM updates WHERE line_ts IS NOT NULL"),
        30
    );

    app.slash(BOB, CHANNEL, "forget me").await;
    app.slash(PITCHER, CHANNEL, "pitch Parking permits").await;
    eventually("the new pitch's announcement", SHORT, || {
        app.slack
            .calls("chat.postMessage")
            .iter()
            .any(|c| message_text(&c.body).contains("Parking permits"))
            .then_some(())
    })
    .await;
    let corrected = app.slack.calls("chat.update").len();
    assert!(
        corrected < 10,
        "{corrected} corrections went before the announcement"
    );
    // The corrections go on after it, in their turn.
    app.slack
        .wait_for("chat.update", corrected + 1, SHORT)
        .await;
}

/// Every kind of export, whole: the document as it is printed (pretty JSON, keys in order;
/// parsed and printed again it is the same text) and its shape, the paths to its values
/// (every value `_`; each table's rows as the kinds of row it holds), snapshotted. An export
/// is written as it is read, so nothing else compares one whole.
#[tokio::test]
async fn every_kind_of_export_keeps_its_document_and_shape() {
    let app = spawn_app().await;
    // Tomorrow at noon: no day is tallied while the test runs (a tally comes in the hour
    // after midnight). Forward: the outbox's times only go on.
    let noon = (app.clock.now().date_naive() + chrono::Days::new(1)).and_hms_opt(12, 0, 0);
    app.clock.set_timestamp(noon.unwrap().and_utc().timestamp());
    bob_everywhere(&app).await;
    // Someone forgotten, whose requests to be are all that is held of them.
    const GONE: &str = "U0GONEAWAY";
    app.slash(GONE, CHANNEL, "council Guildford Borough Council")
        .await;
    beside_ok(&app, &["forget", "--team", TEAM, "--user", GONE]);
    // A workspace that is only installed.
    app.db()
        .execute(
            "INSERT INTO installations (team_id, team_name, app_id, bot_user_id, bot_token,
                                        scopes, installed_by, installed_at, updated_at)
             VALUES ('T0INSTALLED', 'Only installed', 'A1', 'U0BOT', x'00', 'chat:write',
                     'U0ADMIN', 1, 1)",
            [],
        )
        .unwrap();
    let kinds: [&[&str]; 6] = [
        &["export"],
        &["export", "--team", TEAM],
        &["export", "--team", "T0NOBODY"],
        &["export", "--user", BOB],
        &["export", "--team", TEAM, "--user", BOB],
        &["export", "--user", GONE],
    ];
    let mut shapes = Vec::new();
    for args in kinds {
        let printed = beside_ok(&app, args);
        let parsed: serde_json::Value = serde_json::from_str(&printed).unwrap();
        let again = format!("{}\n", serde_json::to_string_pretty(&parsed).unwrap());
        assert!(printed == again, "{args:?} is not printed as before");
        let mut paths = std::collections::BTreeSet::new();
        export_paths("", &parsed, &mut paths);
        let paths: Vec<String> = paths.into_iter().collect();
        shapes.push(format!("{}\n{}", args.join(" "), paths.join("\n")));
    }
    insta::assert_snapshot!("export_shapes", shapes.join("\n\n"));
}

/// The paths in an export to its values (`workspaces[]` for each workspace), each with its
/// value's shape ([`shape`]); a table's rows are one value.
fn export_paths(path: &str, v: &serde_json::Value, paths: &mut std::collections::BTreeSet<String>) {
    use serde_json::Value;
    match v {
        Value::Object(fields) => {
            for (key, field) in fields {
                let path = match path {
                    "" => key.clone(),
                    _ => format!("{path}.{key}"),
                };
                export_paths(&path, field, paths);
            }
        }
        Value::Array(workspaces) if path == "workspaces" => {
            for workspace in workspaces {
                export_paths("workspaces[]", workspace, paths);
            }
            if workspaces.is_empty() {
                paths.insert("workspaces = []".into());
            }
        }
        _ => {
            paths.insert(format!("{path} = {}", shape(v)));
        }
    }
}

/// `v` with every scalar `_` and each array's elements once each, sorted.
fn shape(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, field)| (k.clone(), shape(field)))
                .collect(),
        ),
        Value::Array(elements) => {
            let mut kinds: Vec<Value> = elements.iter().map(shape).collect();
            kinds.sort_by_key(Value::to_string);
            kinds.dedup();
            Value::Array(kinds)
        }
        _ => Value::String("_".into()),
    }
}

/// A reader that stops reading part way through a big export (`export | head`) is not then
/// told that nothing is recorded: the rows it was shown were found.
#[tokio::test]
async fn an_export_read_only_in_part_does_not_say_nothing_was_found() {
    use std::io::Read;
    let app = spawn_app().await;
    app.slash(PITCHER, CHANNEL, "pitch Bin day finder").await;
    app.outbox_settled().await;
    // Far more than the export's output buffer and the pipe's, so the write fails part way
    // through the workspace's rows, not at the end.
    let db = app.db();
    for i in 0..6_000 {
        db.execute(
            "INSERT INTO people (team_id, user_id, updated_at) VALUES (?1, ?2, 1)",
            rusqlite::params![TEAM, format!("U0MANY{i:05}")],
        )
        .unwrap();
    }
    drop(db);
    let tmp = tempfile::tempdir().unwrap();
    for who in [
        vec!["--team", TEAM],
        vec!["--team", TEAM, "--user", PITCHER],
    ] {
        let mut child = crate::binary::bot(tmp.path())
            .env("MAKERS_DB", &app.db_path)
            .arg("export")
            .args(&who)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 4096];
        stdout.read_exact(&mut first).unwrap_or(());
        drop(stdout);
        let closed = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&closed.stderr);
        assert!(closed.status.success(), "{who:?}: {said}");
        assert!(
            !said.contains("nothing is recorded") && !said.contains("asked to be forgotten"),
            "{who:?}: {said}"
        );
        assert!(!said.contains("panicked"), "{who:?}: {said}");
    }
}
