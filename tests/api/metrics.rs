//! `GET /metrics`: Prometheus text with the counts and timings an operator watches, and no
//! personal data. And `MAKERS_LOG_FORMAT=json`: one JSON object a line, a request's lines
//! carrying its id.

use std::io::Read;
use std::time::Duration;

use crate::binary::{free_port, listening, spawn_serve};
use crate::helpers::*;
use crate::teams::{CHANNEL, PITCHER, pitched};

/// The value of the sample line `name` (with its labels, as written), if there is one.
pub(crate) fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_calls_and_the_outbox_and_name_nobody() {
    let app = spawn_app().await;
    pitched(&app, "Grit bin sensors").await;
    app.slash(PITCHER, CHANNEL, "list").await;
    app.outbox_settled().await;
    let a = app.request("GET", "/metrics", &[], "").await;
    assert_eq!(a.status, 200);
    assert!(
        a.header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
        "{:?}",
        a.header("content-type")
    );
    let text = &a.body;
    // The Prometheus text format, as the type says: a counter's TYPE names its samples,
    // and there is no OpenMetrics `# EOF`.
    assert!(
        text.contains("# TYPE makers_http_requests_total counter"),
        "{text}"
    );
    assert!(!text.contains("# EOF"), "{text}");
    // Prometheus asks for OpenMetrics, and is told that is what it gets.
    let accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
    let asked = app
        .request("GET", "/metrics", &[("accept", accept.to_string())], "")
        .await;
    assert!(
        asked
            .header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text; version=1.0.0"),
        "{:?}",
        asked.header("content-type")
    );
    assert!(
        asked.body.contains("# TYPE makers_http_requests counter")
            && asked.body.trim_end().ends_with("# EOF"),
        "{}",
        asked.body
    );
    // Counters are for the process (other tests' apps count into them too): at least ours.
    for (name, at_least) in [
        (
            "makers_http_requests_total{route=\"/slack/commands\",status=\"200\"}",
            2.0,
        ),
        (
            "makers_slack_api_calls_total{method=\"chat.postMessage\",outcome=\"ok\"}",
            1.0,
        ),
        ("makers_ack_seconds_count{route=\"/slack/commands\"}", 2.0),
        ("makers_write_batch_size_count", 1.0),
        ("makers_database_bytes", 4096.0),
    ] {
        let v = sample(text, name).unwrap_or_else(|| panic!("{name} missing:\n{text}"));
        assert!(v >= at_least, "{name} = {v}");
    }
    for name in [
        "makers_outbox_depth",
        "makers_outbox_oldest_age_seconds",
        "makers_digests_sent_total",
        "makers_nudges_sent_total",
        "makers_slack_rate_limit_wait_seconds_total",
    ] {
        assert!(sample(text, name).is_some(), "{name} missing:\n{text}");
    }
    for private in [PITCHER, CHANNEL, TEAM, "grit-bin-sensors", "Grit"] {
        assert!(!text.contains(private), "{private} in /metrics");
    }
    // Any path a client makes up is counted as "other", not as a label of its own.
    app.request("GET", "/made-up-path-123", &[], "").await;
    let text = app.request("GET", "/metrics", &[], "").await.body;
    assert!(!text.contains("made-up-path-123"));
    assert!(
        sample(
            &text,
            "makers_http_requests_total{route=\"other\",status=\"404\"}"
        )
        .is_some()
    );
    let a = app.request("POST", "/metrics", &[], "").await;
    assert_eq!(a.status, 405);
}

/// `http_connections_open` says how many connections the bot holds now (it serves 128 at
/// most, and at the cap new ones, Slack's too, wait in the backlog): idle ones it has not
/// yet dropped and the scrape's own, going down as they close. Run as the binary, so its
/// count is its own (every app of this test process counts into one set).
#[tokio::test]
async fn open_connections_are_a_gauge() {
    use crate::helpers::process::{BotProcess, Launch};
    let app = spawn_app().await;
    let (db, slack, _dir) = app.stop().await;
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let open_now = |text: &str| sample(text, "makers_http_connections_open");
    let idle: Vec<_> =
        futures::future::join_all((0..3).map(|_| tokio::net::TcpStream::connect(bot.addr))).await;
    // Three idle, and the scrape's own.
    let mut text = String::new();
    for _ in 0..50 {
        text = bot.get("/metrics").await;
        if open_now(&text) == Some(4.0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(open_now(&text), Some(4.0), "{text}");
    drop(idle);
    for _ in 0..50 {
        text = bot.get("/metrics").await;
        if open_now(&text) == Some(1.0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(open_now(&text), Some(1.0), "{text}");
    bot.kill();
}

#[test]
fn json_logs_are_one_object_a_line_with_the_requests_id() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = spawn_serve(dir.path(), &addr, &[("MAKERS_LOG_FORMAT", "json")]);
    assert!(listening(&mut child, port), "bot did not start listening");
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    // An unsigned request: refused, and the refusal logged inside the request's span.
    use std::io::Write;
    write!(
        conn,
        "POST /slack/events HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.len() >= 2, "{err}");
    let refused = lines
        .iter()
        .find(|l| l["fields"]["message"] == "refused unsigned request")
        .unwrap_or_else(|| panic!("no refusal logged: {err}"));
    assert!(refused["span"]["id"].is_u64(), "{refused}");
    assert_eq!(refused["span"]["route"], "/slack/events");
}

/// Anyone can send unsigned requests, and a line each let them flood the journal (journald
/// drops a service's lines past its limit, the bot's own errors with them): one line a
/// minute, saying how many went unlogged before it; each is still a 401, and counted. And an
/// OAuth callback's `error`, anyone's words, is logged cut short.
#[test]
fn refused_anonymous_requests_are_logged_once_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let key = "22".repeat(32);
    let mut child = spawn_serve(
        dir.path(),
        &addr,
        &[
            ("MAKERS_LOG_FORMAT", "json"),
            ("SLACK_CLIENT_ID", "1111.2222"),
            ("SLACK_CLIENT_SECRET", "an-oauth-client-secret"),
            ("MAKERS_SECRET_KEY", &key),
        ],
    );
    assert!(listening(&mut child, port), "bot did not start listening");
    let send = |request: &str| {
        use std::io::Write;
        let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        conn.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = conn.read_to_string(&mut answer);
        answer
    };
    for _ in 0..20 {
        let answer = send(
            "POST /slack/events HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
        );
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
    let long = "x".repeat(5_000);
    for _ in 0..2 {
        let answer = send(&format!(
            "GET /slack/oauth/callback?error={long} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
        ));
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    }
    // Each refusal counted, logged or not (this process's registry counts nothing else).
    let metrics = send("GET /metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let refusals = err.matches("refused unsigned request").count();
    assert_eq!(refusals, 1, "{err}");
    let not_approved = err.matches("OAuth install not approved").count();
    assert_eq!(not_approved, 1, "{err}");
    assert!(!err.contains(&"x".repeat(100)), "{err}");
    let refused = "makers_http_requests_total{route=\"/slack/events\",status=\"401\"}";
    assert_eq!(sample(&metrics, refused), Some(20.0), "{metrics}");
}

/// Over HTTP as over Socket Mode: Slack's retry of a request (`X-Slack-Retry-Num`) is said
/// once its signature is checked, and a signed body the bot cannot read is an error, so the
/// loss is seen.
#[test]
fn a_retried_request_and_an_unreadable_signed_body_are_logged_as_over_socket_mode() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = spawn_serve(dir.path(), &addr, &[("MAKERS_LOG_FORMAT", "json")]);
    assert!(listening(&mut child, port), "bot did not start listening");
    let body = "{not an event";
    let mut request = format!(
        "POST /slack/events HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-slack-retry-num: 2\r\nx-slack-retry-reason: http_timeout\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in signed_headers(body, now()) {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::Write;
    conn.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = err
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let again = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request delivered again")
        .unwrap_or_else(|| panic!("no line for the retry: {err}"));
    assert_eq!(again["fields"]["retry_num"], 2, "{again}");
    assert_eq!(again["fields"]["reason"], "http_timeout", "{again}");
    let lost = lines
        .iter()
        .find(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("signed request not understood"))
        })
        .unwrap_or_else(|| panic!("no line for the unreadable body: {err}"));
    assert_eq!(lost["level"], "ERROR", "{lost}");
}

/// A line logged by the database thread while it does a request's work (a pitch recorded)
/// carries that request's span too: the writer is another thread, which the span follows.
#[test]
fn json_lines_from_the_database_thread_carry_the_requests_id() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = spawn_serve(dir.path(), &addr, &[("MAKERS_LOG_FORMAT", "json")]);
    assert!(listening(&mut child, port), "bot did not start listening");
    let body = slash_body(TEAM, "U0PITCHER", "C0MAKERS", "pitch Bin day finder");
    let mut request = format!(
        "POST /slack/commands HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in signed_headers(&body, now()) {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::Write;
    conn.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.contains("Recorded as"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let pitched = err
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["fields"]["message"] == "project pitched")
        .unwrap_or_else(|| panic!("no line for the pitch: {err}"));
    assert!(pitched["span"]["id"].is_u64(), "{pitched}");
    assert_eq!(pitched["span"]["route"], "/slack/commands", "{pitched}");
}

/// Over Socket Mode too, an envelope's log line is in its request's span: it carries an id,
/// and the envelope's kind as the route.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_mode_lines_carry_their_envelopes_id() {
    use crate::helpers::socket::{APP_TOKEN, acked, events_envelope};
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = crate::binary::bot(dir.path())
        .arg("serve")
        .env("SLACK_BOT_TOKEN", TOKEN)
        .env("SLACK_APP_TOKEN", APP_TOKEN)
        .env("SLACK_API_URL", &slack.url)
        .env("MAKERS_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("MAKERS_LOG_FORMAT", "json")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() >= 1).then_some(())
    })
    .await;
    let callback = mention("EvSock", PITCHER, CHANNEL, "1700000100.000100", "help");
    acked(
        &socket,
        0,
        "env-again",
        &events_envelope("env-again", callback, 1),
    )
    .await;
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let again = err
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["fields"]["message"] == "envelope delivered again")
        .unwrap_or_else(|| panic!("no line for the envelope: {err}"));
    assert!(again["span"]["id"].is_u64(), "{again}");
    assert_eq!(again["span"]["route"], "socket:events_api", "{again}");
}

/// Over Socket Mode, opening a socket is a Web API call counted with the others, and each
/// envelope is counted by its kind and how it ended. A bot process of its own, so that the
/// counts are this test's alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_mode_opens_and_envelopes_are_counted() {
    use crate::helpers::process::{BotProcess, Launch};
    use crate::helpers::socket::{APP_TOKEN, acked, events_envelope};
    let slack = FakeSlack::start().await;
    let socket = slack.socket_mode().await;
    // Slack's limit said in its answer first, in each of its spellings: counted as rate
    // limits, and tried again.
    slack.script("apps.connections.open", Script::Error("ratelimited"));
    slack.script("apps.connections.open", Script::Error("rate_limited"));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let env = [("SLACK_APP_TOKEN", APP_TOKEN.to_string())];
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &env).await;
    eventually("the bot opens a socket", SHORT, || {
        (socket.connections() >= 1).then_some(())
    })
    .await;
    let callback = mention("EvCount", PITCHER, CHANNEL, "1700000100.000100", "help");
    acked(
        &socket,
        0,
        "env-count",
        &events_envelope("env-count", callback, 0),
    )
    .await;
    let text = bot.get("/metrics").await;
    let open = |outcome: &str| {
        format!(
            "makers_slack_api_calls_total{{method=\"apps.connections.open\",outcome=\"{outcome}\"}}"
        )
    };
    // Its spare socket is opened some 10 s after the first is live, which a busy machine
    // may reach before the scrape: one open, or the two, each one Slack answered.
    let counted = sample(&text, &open("ok")).unwrap_or(0.0);
    assert!((1.0..=2.0).contains(&counted), "{counted}: {text}");
    eventually("as many opens answered as counted", SHORT, || {
        let answered = slack
            .calls("apps.connections.open")
            .iter()
            .filter(|c| c.answer["ok"] == true)
            .count();
        (answered as f64 >= counted).then_some(())
    })
    .await;
    assert_eq!(sample(&text, &open("rate_limited")), Some(2.0), "{text}");
    let acked = "makers_socket_envelopes_total{kind=\"socket:events_api\",outcome=\"acked\"}";
    assert_eq!(sample(&text, acked), Some(1.0), "{text}");
    bot.kill();
}

/// A store that cannot be read fails the scrape (503, so Prometheus's `up` is 0) rather than
/// answer an empty outbox, which would quiet every alert on its age.
#[tokio::test]
async fn metrics_fail_when_the_store_cannot_be_read() {
    let app = spawn_app().await;
    assert_eq!(app.request("GET", "/metrics", &[], "").await.status, 200);
    app.db()
        .execute_batch("ALTER TABLE outbox RENAME TO outbox_gone")
        .unwrap();
    let a = app.request("GET", "/metrics", &[], "").await;
    assert_eq!(a.status, 503, "{}", a.body);
    app.db()
        .execute_batch("ALTER TABLE outbox_gone RENAME TO outbox")
        .unwrap();
    assert_eq!(app.request("GET", "/metrics", &[], "").await.status, 200);
}

/// A call is counted by how it really ended: a 200 that is not Slack's JSON is `transient`
/// (it is tried again), and a rate limit said in the body (`rate_limited`, the spelling the
/// count missed; `ratelimited` is the other) is a rate limit. A bot process of
/// its own, so that the counts are this test's alone (the registry is per process).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_calls_are_counted_by_how_they_ended() {
    use crate::helpers::process::{BotProcess, Launch};
    let slack = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    slack.script("chat.postMessage", Script::NotJson);
    slack.script("chat.postMessage", Script::Error("rate_limited"));
    let a = bot.slash(PITCHER, CHANNEL, "pitch Grit bin sensors").await;
    assert_eq!(a.unwrap().status, 200);
    let name = |outcome: &str| {
        format!("makers_slack_api_calls_total{{method=\"chat.postMessage\",outcome=\"{outcome}\"}}")
    };
    let deadline = std::time::Instant::now() + SHORT;
    let text = loop {
        let text = bot.get("/metrics").await;
        if sample(&text, &name("transient")) == Some(1.0)
            && sample(&text, &name("rate_limited")) == Some(1.0)
        {
            break text;
        }
        assert!(std::time::Instant::now() < deadline, "not counted: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        sample(
            &text,
            "makers_slack_rate_limited_total{method=\"chat.postMessage\"}"
        ),
        Some(1.0),
        "{text}"
    );
    // Counted from an answer of 200 too, as its help says.
    assert!(
        text.contains("# HELP makers_slack_rate_limited_total Slack Web API calls rate-limited (a 429, or an answer of 200 saying ratelimited), by method.\n"),
        "{text}"
    );
    bot.kill();
}

/// `ack_seconds` times answers to Slack only: a signed request on Slack's routes, not an
/// unsigned one anyone can send (a flood of sub-millisecond 401s hid slow answers to
/// Slack), nor the catalogue, `/healthz` or `/metrics`, which are counted but not timed. A
/// bot process of its own, so that the counts are this test's alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_slacks_signed_requests_are_timed_as_acks() {
    use crate::helpers::process::{BotProcess, Launch};
    let slack = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("makers.db");
    let bot = BotProcess::start(&Launch::Alone, &db, &slack.url, &[]).await;
    let unsigned = bot
        .request("POST", "/slack/events", &[], "{}".to_string())
        .await
        .unwrap();
    assert_eq!(unsigned.status, 401);
    let wrong_method = bot
        .request("GET", "/slack/commands", &[], String::new())
        .await
        .unwrap();
    assert_eq!(wrong_method.status, 405);
    bot.get("/catalogue").await;
    let a = bot.slash(PITCHER, CHANNEL, "help").await.unwrap();
    assert_eq!(a.status, 200);
    let text = bot.get("/metrics").await;
    let timed = |route: &str| {
        sample(
            &text,
            &format!("makers_ack_seconds_count{{route=\"{route}\"}}"),
        )
    };
    assert_eq!(timed("/slack/commands"), Some(1.0), "{text}");
    for route in ["/slack/events", "/catalogue", "/healthz", "/metrics"] {
        assert_eq!(timed(route), None, "{route} timed:\n{text}");
    }
    // Still counted, as every request is.
    let refused = "makers_http_requests_total{route=\"/slack/events\",status=\"401\"}";
    assert_eq!(sample(&text, refused), Some(1.0), "{text}");
    let page = "makers_http_requests_total{route=\"/catalogue\",status=\"200\"}";
    assert_eq!(sample(&text, page), Some(1.0), "{text}");
    bot.kill();
}
