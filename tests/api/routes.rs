//! The contract's routes, and the gate in front of them: signatures and body limits.

use serde_json::Value;

use crate::helpers::*;

type Headers = Vec<(&'static str, String)>;

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = spawn_app().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn healthz_answers_head_too_with_no_body() {
    let app = spawn_app().await;
    let a = app.request("HEAD", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
}

/// A 405 says which methods the path takes (RFC 9110 requires `Allow`).
#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405_naming_the_allowed_ones() {
    let app = spawn_app().await;
    assert_eq!(app.request("GET", "/nope", &[], "").await.status, 404);
    assert_eq!(app.request("POST", "/slack", &[], "").await.status, 404);
    // A page a person asks for that is nothing is the catalogue's page saying so, its way
    // back climbing as far as the path went (added: a bare "not found" led nowhere); what a
    // program sends (anything but GET or HEAD, or under /slack/) stays a bare one.
    for (path, back) in [
        ("/nope", "catalogue"),
        ("/services", "catalogue"),
        ("/services/bins", "../catalogue"),
        ("/a/b/c", "../../catalogue"),
    ] {
        let a = app.request("GET", path, &[], "").await;
        assert_eq!(a.status, 404, "{path}");
        assert!(
            a.body.contains("Page not found")
                && a.body.contains(&format!(
                    "<a href=\"{back}\">See all published services</a>"
                )),
            "{path}: {}",
            a.body
        );
    }
    // Deeper than anyone types, a bare one too: 30,000 folders made a 600 KB page, never
    // cached, of `../` in every link (found by a review).
    let deep = "/a".repeat(30_000);
    let deep_catalogue = format!("/catalogue{deep}");
    for path in [deep.as_str(), deep_catalogue.as_str()] {
        let a = app.request("GET", path, &[], "").await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (404, "not found"));
    }
    for (method, path) in [("POST", "/nope"), ("GET", "/slack/nope"), ("GET", "/slack")] {
        let a = app.request(method, path, &[], "").await;
        assert_eq!(
            (a.status.as_u16(), a.body.as_str()),
            (404, "not found"),
            "{method} {path}"
        );
    }
    for path in ["/slack/events", "/slack/commands", "/slack/interactions"] {
        for method in ["GET", "PUT"] {
            let a = app.request(method, path, &[], "").await;
            assert_eq!(
                (a.status.as_u16(), a.header("allow")),
                (405, Some("POST")),
                "{method} {path}"
            );
        }
    }
    let a = app.request("POST", "/healthz", &[], "").await;
    assert_eq!(
        (a.status.as_u16(), a.header("allow")),
        (405, Some("GET, HEAD"))
    );
}

/// A doubled slash in front (`//services`, from a pasted address or a proxy rule) is one
/// folder below the root for a browser: the page's links climb out of it, rather than lead
/// to `//catalogue`, the same page again (found by a review).
#[tokio::test]
async fn a_page_not_found_under_a_doubled_slash_leads_back_to_the_catalogue() {
    let app = spawn_app().await;
    for path in ["//services", "//catalogue"] {
        let a = app.request("GET", path, &[], "").await;
        assert_eq!(a.status, 404, "{path}");
        let link = a
            .body
            .split("\">See all published services</a>")
            .next()
            .and_then(|before| before.rsplit("<a href=\"").next())
            .unwrap_or_else(|| panic!("{path}: {}", a.body))
            .to_string();
        // Followed as a browser does, from where the page was.
        let base = url::Url::parse(&format!("http://bot.test{path}")).unwrap();
        let next = base.join(&link).unwrap();
        let b = app.request("GET", next.path(), &[], "").await;
        assert_eq!(b.status, 200, "{path} -> {link} -> {}", next.path());
        assert!(
            b.body
                .contains("<h1>Re-usable services from UK councils</h1>"),
            "{path}: {}",
            b.body
        );
    }
}

#[tokio::test]
async fn url_verification_echoes_the_challenge() {
    let app = spawn_app().await;
    let a = app
        .post_signed(
            "/slack/events",
            "application/json",
            &fixture("url-verification.json"),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.json()["challenge"],
        "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    );
}

/// Every way a request can fail the signature check, on every Slack route: 401 and nothing
/// recorded.
#[tokio::test]
async fn badly_signed_requests_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let pitch = slash_body(TEAM, "U1", "C1", "pitch Sneaky | should never be recorded");
    let event = mention("EvBAD", "U1", "C1", "1700000001.000001", "pitch Sneaky").to_string();
    let bodies = [
        ("/slack/commands", pitch.as_str()),
        ("/slack/events", event.as_str()),
        (
            "/slack/interactions",
            fixture("block-actions.form.txt").leak() as &str,
        ),
    ];
    for (path, body) in bodies {
        let good = signed_headers(body, now());
        let cases: Vec<(&str, Headers, String)> = vec![
            ("no headers", vec![], body.into()),
            ("no timestamp", vec![good[0].clone()], body.into()),
            ("no signature", vec![good[1].clone()], body.into()),
            (
                "wrong secret",
                {
                    let mut h = good.clone();
                    h[0].1 = makers_bot::slack::verify::sign(
                        &makers_bot::config::Secret::new("other"),
                        &h[1].1,
                        body.as_bytes(),
                    );
                    h
                },
                body.into(),
            ),
            // Well past the 5-minute window either way: a second ticking over between signing and
            // checking must not bring one inside it (the edges are unit-tested in `verify`).
            ("stale", signed_headers(body, now() - 310), body.into()),
            (
                "from the future",
                signed_headers(body, now() + 310),
                body.into(),
            ),
            ("tampered body", good.clone(), format!("{body}&extra=1")),
            (
                "garbage signature",
                vec![("x-slack-signature", "v0=xyz".into()), good[1].clone()],
                body.into(),
            ),
        ];
        for (what, headers, sent) in cases {
            let a = app.request("POST", path, &headers, sent).await;
            assert_eq!(a.status, 401, "{path}: {what}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM processed_events"), 0);
    // Every post goes through the outbox, and it is empty: nothing can reach Slack later.
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox"), 0);
    assert!(app.slack.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_even_when_signed_and_one_at_the_limit_is_read() {
    let app = spawn_app().await;
    let max = makers_bot::slack::routes::MAX_BODY_BYTES;
    let body = format!("text={}", "a".repeat(max + 1 - "text=".len()));
    assert_eq!(body.len(), max + 1);
    let a = app.post_signed("/slack/commands", FORM, &body).await;
    assert_eq!(a.status, 413);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 0);
    // A body of exactly the limit is read, and acted on (Slack ignores unknown fields, so may
    // we: the padding is one).
    let pitch = slash_body(TEAM, "U1", "C1", "pitch Big one");
    let padding = "a".repeat(max - pitch.len() - "&padding=".len());
    let at_limit = format!("{pitch}&padding={padding}");
    assert_eq!(at_limit.len(), max);
    let a = app.post_signed("/slack/commands", FORM, &at_limit).await;
    assert_eq!(a.status, 200);
    assert!(a.text().contains("#1: Big one"), "{}", a.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM projects"), 1);
}

/// Slack's own samples: a button and a modal that are not ours. Slack wants an empty 200.
#[tokio::test]
async fn interactions_that_are_not_ours_are_acknowledged_and_change_nothing() {
    let app = spawn_app().await;
    for name in ["block-actions.form.txt", "view-submission.form.txt"] {
        let a = app.interact(&fixture(name)).await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""), "{name}");
    }
    assert_nothing_recorded(&app);
}

/// No project, member, event id or queued post: the requests changed nothing.
fn assert_nothing_recorded(app: &TestApp) {
    for table in ["projects", "members", "processed_events", "outbox"] {
        let n = app.count(&format!("SELECT COUNT(*) FROM {table}"));
        assert_eq!(n, 0, "{table}");
    }
}

#[tokio::test]
async fn events_we_do_not_act_on_are_acknowledged_and_change_nothing() {
    let app = spawn_app().await;
    for name in [
        "message-channels.event_callback.json",
        "app-home-opened.event_callback.json",
        "app-rate-limited.json",
        // Someone else joining a channel.
        "member-joined-channel.event_callback.json",
        // A reaction (`thumbsup`) that is not the join emoji, on a message that is no pitch.
        "reaction-added.event_callback.json",
    ] {
        let a = app
            .post_signed("/slack/events", "application/json", &fixture(name))
            .await;
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""), "{name}");
    }
    let v: Value = serde_json::from_str(&fixture("reaction-added.event_callback.json")).unwrap();
    assert_eq!(app.event(&v).await.status, 200);
    assert_nothing_recorded(&app);
}

#[tokio::test]
async fn a_signed_but_malformed_body_gets_an_answer_not_a_crash() {
    let app = spawn_app().await;
    let a = app
        .post_signed("/slack/events", "application/json", "{not json")
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    // A slash command without its fields is the sender's mistake: 400, not "our side".
    let a = app.post_signed("/slack/commands", FORM, "team_id=T1").await;
    assert_eq!(
        (a.status.as_u16(), a.body.as_str()),
        (400, "malformed slash command")
    );
    let a = app
        .post_signed("/slack/interactions", FORM, "payload=%7B")
        .await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""));
    assert_nothing_recorded(&app);
    // And the bot is still up.
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
}

/// Slack's `ssl_check=1` POST to the command URL (public distribution) is answered 200 and
/// empty, signed or not, acts on nothing and logs nothing above DEBUG: it was a 400 with an
/// ERROR line meant for a lost request (or a 401 with a WARN). Run as the binary, so its
/// own log is read (the captured one is shared with every test).
#[tokio::test]
async fn slacks_ssl_check_is_answered_200_signed_or_not_and_logs_nothing() {
    use crate::helpers::process::{BotProcess, Launch, process_log};
    let app = spawn_app().await;
    let (db, slack, _dir) = app.stop().await;
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let logged_before = std::fs::read_to_string(process_log(&db)).unwrap().len();
    let body = "ssl_check=1&token=xyzz0WbapA4vBCDEFasx0q6G".to_string();
    let mut signed = signed_headers(&body, now());
    signed.push(("content-type", FORM.to_string()));
    let unsigned = vec![("content-type", FORM.to_string())];
    for (how, headers) in [("signed", signed), ("unsigned", unsigned)] {
        let a = bot
            .request("POST", "/slack/commands", &headers, body.clone())
            .await
            .unwrap();
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, ""), "{how}");
    }
    let log = std::fs::read_to_string(process_log(&db)).unwrap();
    let said = &log[logged_before..];
    assert!(!said.contains("WARN") && !said.contains("ERROR"), "{said}");
    // Only that form: a command carrying `ssl_check=1` is still checked.
    let command = format!(
        "{}&ssl_check=1",
        slash_body(TEAM, "U0ALICE", "C0GENERAL", "list")
    );
    let headers = vec![("content-type", FORM.to_string())];
    let a = bot
        .request("POST", "/slack/commands", &headers, command)
        .await
        .unwrap();
    assert_eq!(a.status, 401);
    bot.kill();
    let conn = rusqlite::Connection::open(&db).unwrap();
    for table in ["projects", "members", "processed_events", "outbox"] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

/// `/healthz` checks the database at most once a second (each check is a write, under the
/// lock Slack's writes take); a test that changes the database waits that second out.
async fn after_the_last_check() {
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
}

/// Has the database count each write of `/healthz`'s probe in `probes_seen`.
pub(crate) fn count_probes(app: &TestApp) {
    app.db()
        .execute_batch(
            "CREATE TABLE probes_seen (n INTEGER);
             CREATE TRIGGER count_probes AFTER INSERT ON health_probe
             BEGIN INSERT INTO probes_seen VALUES (1); END;
             CREATE TRIGGER count_probe_updates AFTER UPDATE ON health_probe
             BEGIN INSERT INTO probes_seen VALUES (1); END;",
        )
        .unwrap();
}

/// However many ask at once, `/healthz` writes its probe once: one check answers them all.
#[tokio::test]
async fn a_flood_of_health_checks_makes_one_check() {
    let app = spawn_app().await;
    count_probes(&app);
    let asks = (0..20).map(|_| app.request("GET", "/healthz", &[], ""));
    for a in futures::future::join_all(asks).await {
        assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM probes_seen"), 1);
}

/// A probe left waiting for the writer when its check gave up (2 s) is the one probe: the
/// checks after it wait on it, not start one each, which would queue behind the writer and
/// each commit, perhaps ahead of Slack's writes, once the lock clears.
#[tokio::test]
async fn health_checks_behind_a_held_write_lock_leave_one_probe_running() {
    let app = spawn_app().await;
    count_probes(&app);
    // Another writer holds the lock for 7 s (an operator's `sqlite3` left in a transaction).
    let lock = app.db();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let held = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(7_000));
        lock.execute_batch("ROLLBACK").unwrap();
    });
    // A load balancer asking every 1.5 s, whether or not the last has been answered.
    let asks = (0..5u64).map(|i| {
        let app = &app;
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(1_500 * i)).await;
            app.request("GET", "/healthz", &[], "").await
        }
    });
    let first = futures::future::join_all(asks).await.remove(0);
    assert_eq!(
        (first.status.as_u16(), first.body.as_str()),
        (503, "database write timed out")
    );
    held.join().unwrap();
    // What was queued has committed by now (each waits 5 s at most once it is let in).
    tokio::time::sleep(std::time::Duration::from_millis(3_000)).await;
    assert!(
        app.count("SELECT COUNT(*) FROM probes_seen") <= 1,
        "{} probes committed",
        app.count("SELECT COUNT(*) FROM probes_seen")
    );
}

#[tokio::test]
async fn healthz_is_503_while_the_database_file_is_not_the_one_opened() {
    let app = spawn_app().await;
    let moved = app.db_path.with_extension("moved");
    std::fs::rename(&app.db_path, &moved).unwrap();
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(
        (a.status.as_u16(), a.body.as_str()),
        (503, "database unavailable")
    );
    std::fs::rename(&moved, &app.db_path).unwrap();
    after_the_last_check().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn healthz_is_503_when_the_database_file_is_corrupted() {
    use std::io::{Seek, SeekFrom, Write};
    let app = spawn_app().await;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&app.db_path)
        .unwrap();
    file.seek(SeekFrom::Start(0)).unwrap();
    file.write_all(b"this is not SQLite at all").unwrap();
    file.sync_all().unwrap();
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(
        (a.status.as_u16(), a.body.as_str()),
        (503, "database unavailable")
    );
}

#[tokio::test]
async fn healthz_is_503_while_the_database_refuses_writes() {
    let app = spawn_app().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
    // The probe wrote its row (and nothing else: no project, no post).
    assert_eq!(app.count("SELECT COUNT(*) FROM health_probe"), 1);
    // A full disk answers reads and refuses writes; a trigger refuses them the same way.
    app.db()
        .execute_batch(
            "CREATE TRIGGER disk_full BEFORE UPDATE ON health_probe
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    after_the_last_check().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(
        (a.status.as_u16(), a.body.as_str()),
        (503, "database cannot be written")
    );
    app.db().execute_batch("DROP TRIGGER disk_full").unwrap();
    after_the_last_check().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"));
}

/// Under Litestream a quiet bot still writes a page a minute, so that its log reaches the
/// length at which Litestream checkpoints and starts a new index (by which it names its
/// snapshots and ends what it keeps): nobody writes here, and the page is written each
/// minute of the clock, no more often. The bot that checkpoints itself writes nothing.
#[tokio::test]
async fn a_quiet_bot_under_litestream_still_writes_a_page_a_minute() {
    let probed = |app: &TestApp| -> Option<i64> {
        app.db()
            .query_row("SELECT at FROM health_probe WHERE id = 1", [], |r| r.get(0))
            .ok()
    };
    let app = spawn_app_setting("MAKERS_CHECKPOINTS", "litestream").await;
    let start = eventually("the first page", SHORT, || probed(&app)).await;
    app.clock.set_timestamp(start + 30);
    app.clock.stop();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await; // six ticks
    assert_eq!(probed(&app), Some(start), "not twice in a minute");
    app.clock.set_timestamp(start + 61);
    app.clock.stop();
    eventually("the next minute's page", SHORT, || {
        (probed(&app) == Some(start + 61)).then_some(())
    })
    .await;

    let app = spawn_app().await;
    let before = probed(&app);
    app.clock.set_timestamp(app.clock.now().timestamp() + 3600);
    app.clock.stop();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        probed(&app),
        before,
        "the bot's own checkpoints need no page"
    );
}

/// With `MAKERS_CHECKPOINTS=litestream` and no Litestream checkpointing (the bot started
/// without it), the log only grows and nothing reaches the bucket: past two minutes of a long
/// log that has not restarted, `/healthz` says so (503) and `/metrics` counts the wait. Once
/// Litestream checkpoints and writes, it is 200 again.
#[tokio::test]
async fn healthz_is_503_while_litestream_leaves_a_long_log_for_two_minutes() {
    let app = spawn_app_setting("MAKERS_CHECKPOINTS", "litestream").await;
    app.clock.stop();
    // Another connection makes the log long (about 1,200 pages; checkpoints off, as
    // Litestream has them); the bot's next commit counts the whole log.
    let other = app.db();
    other
        .execute_batch(
            "PRAGMA wal_autocheckpoint = 0; CREATE TABLE ballast (x);
             INSERT INTO ballast VALUES (zeroblob(5000000))",
        )
        .unwrap();
    let a = app
        .slash("U1", "C1", "pitch Litter pick rota | who picks when")
        .await;
    assert!(a.text().contains("#1"), "{}", a.text());
    // The writer answers a batch before it looks at the log after the commit (where it notes
    // the log it is due on); the next write's answer comes after that look. Without it, on a
    // loaded machine the wait could first be seen at the 119 s below, and count 2 s at 121.
    app.slash("U1", "C1", "council Kent County Council").await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(
        (a.status.as_u16(), a.body.as_str()),
        (200, "ok"),
        "just due"
    );
    let gauge = |text: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix("makers_litestream_checkpoint_wait_seconds "))
            .unwrap_or_else(|| panic!("no wait gauge in:\n{text}"))
            .parse()
            .unwrap()
    };

    app.clock.set_timestamp(app.clock.now().timestamp() + 119);
    app.clock.stop();
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"), "119 s");
    app.clock.set_timestamp(app.clock.now().timestamp() + 2);
    app.clock.stop();
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!(a.status.as_u16(), 503, "{}", a.body);
    assert!(
        a.body
            .starts_with("Litestream has not checkpointed the write-ahead log for 12")
            && a.body.contains("MiB")
            && a.body.contains("litestream replicate -exec"),
        "{}",
        a.body
    );
    let m = app.request("GET", "/metrics", &[], "").await;
    assert!(gauge(&m.body) >= 121, "{}", m.body);

    // Litestream's checkpoint, and its write after it, which starts the log again.
    other
        .busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let busy: i64 = other
        .query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(busy, 0, "the checkpoint finished");
    other.execute("INSERT INTO ballast VALUES (1)", []).unwrap();
    after_the_last_check().await;
    let a = app.request("GET", "/healthz", &[], "").await;
    assert_eq!((a.status.as_u16(), a.body.as_str()), (200, "ok"), "it ran");
    let m = app.request("GET", "/metrics", &[], "").await;
    assert_eq!(gauge(&m.body), 0, "{}", m.body);
}

/// A command from a workspace in an Enterprise Grid org (bolt-python's sample: Slack adds
/// `enterprise_id` and `enterprise_name`) is the workspace's, as any other.
#[tokio::test]
async fn a_command_from_an_enterprise_grid_workspace_is_answered() {
    let app = spawn_app().await;
    let mut fields: Vec<(String, String)> =
        serde_urlencoded::from_str(&fixture("slash-command-enterprise.form.txt")).unwrap();
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "team_id" => *v = TEAM.into(),
            "command" => *v = "/makers".into(),
            "text" => *v = "pitch Grid bins".into(),
            _ => {}
        }
    }
    let body = serde_urlencoded::to_string(&fields).unwrap();
    let a = app
        .post_signed(
            "/slack/commands",
            "application/x-www-form-urlencoded",
            &body,
        )
        .await;
    assert_eq!(a.status, 200);
    assert!(a.text().contains("#1"), "{}", a.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM projects WHERE pitcher = 'W111' AND channel_id = 'C111'"),
        1
    );
}
