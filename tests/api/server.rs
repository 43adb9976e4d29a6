//! The accept loop under hostile clients: a cap on open connections, idle connections closed,
//! a handler's panic kept to its own request. These run `slack::server::serve_with` (the loop
//! `serve` runs) or `slack::observed` (what wraps each of the bot's requests) with a handler
//! of the test's own, so no panic path ships in the bot.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use makers_bot::slack::routes::HttpResponse;
use makers_bot::slack::server::{Limits, serve_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// `/slow` requests that have started (so a test knows one is in flight).
static SLOW_STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `/boom` panics, `/slow` answers after 300 ms, `/big` answers 16 MiB, anything else "ok".
async fn handler(req: Request<Incoming>) -> Result<HttpResponse, Infallible> {
    match req.uri().path() {
        "/boom" => panic!("a handler bug"),
        "/slow" => {
            SLOW_STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(300)).await
        }
        "/big" => return Ok(Response::new(Full::new(Bytes::from(vec![b'x'; 16 << 20])))),
        _ => {}
    }
    Ok(Response::new(Full::new(Bytes::from_static(b"ok"))))
}

/// Starts the loop on a free loopback port, until the token is cancelled.
async fn start(limits: Limits) -> (std::net::SocketAddr, CancellationToken) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    tokio::spawn(serve_with(listener, limits, handler, stop.clone()));
    (addr, stop)
}

/// Sends `GET path` on `stream` (closing after it) and returns the status line and body.
async fn get_on(stream: &mut TcpStream, path: &str) -> (String, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer.lines().next().unwrap_or_default().to_string();
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    get_on(&mut TcpStream::connect(addr).await.unwrap(), path).await
}

#[tokio::test]
async fn a_panic_in_one_request_is_a_500_for_that_request_alone() {
    let (addr, stop) = start(Limits::default()).await;
    // A request in flight on another connection when the panic happens.
    let started = SLOW_STARTED.load(std::sync::atomic::Ordering::SeqCst);
    let slow = tokio::spawn(get(addr, "/slow"));
    crate::helpers::eventually("/slow started", Duration::from_secs(10), || {
        (SLOW_STARTED.load(std::sync::atomic::Ordering::SeqCst) != started).then_some(())
    })
    .await;
    let (status, _) = get(addr, "/boom").await;
    assert_eq!(status, "HTTP/1.1 500 Internal Server Error");
    assert_eq!(slow.await.unwrap().0, "HTTP/1.1 200 OK");
    // The server keeps serving, again and again.
    for _ in 0..3 {
        assert_eq!(
            get(addr, "/boom").await.0,
            "HTTP/1.1 500 Internal Server Error"
        );
        assert_eq!(
            get(addr, "/").await,
            ("HTTP/1.1 200 OK".into(), "ok".into())
        );
    }
    stop.cancel();
}

/// The bot's own requests go through `observed`: a panic there is a 500 that `/metrics`
/// counts under the request's route, like any other answer.
#[tokio::test]
async fn a_panic_in_the_bots_handler_is_a_500_counted_in_the_metrics() {
    use makers_bot::metrics::{Readings, metrics};
    use makers_bot::slack::observed;
    // "other" (a path no route knows): no other test here answers it with a 500.
    let counted = || {
        let text = metrics().render(Readings::default());
        let line = "makers_http_requests_total{route=\"other\",status=\"500\"} ";
        text.lines()
            .find_map(|l| l.strip_prefix(line))
            .map_or(0, |n| n.parse::<u64>().unwrap())
    };
    let before = counted();
    let boom = async {
        if before < u64::MAX {
            panic!("a handler bug");
        }
        Ok(Response::new(Full::new(Bytes::from_static(b"ok"))))
    };
    let resp = observed("other", boom).await;
    assert_eq!(resp.status(), 500);
    assert_eq!(counted(), before + 1, "the 500 was not counted");
    // And the next request on that route is answered as usual.
    let fine = async { Ok(Response::new(Full::new(Bytes::from_static(b"ok")))) };
    assert_eq!(observed("other", fine).await.status(), 200);
}

#[tokio::test]
async fn at_the_cap_no_more_connections_are_taken_until_one_closes() {
    let limits = Limits {
        max_connections: 4,
        // Long enough that no idle connection is dropped during the test.
        header_read_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let (addr, stop) = start(limits).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    // Let the loop accept them all before the real request arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let real = tokio::spawn(get(addr, "/"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !real.is_finished(),
        "a fifth connection was served past the cap of 4"
    );
    drop(idle.pop());
    let answer = tokio::time::timeout(Duration::from_secs(10), real)
        .await
        .expect("answered once a slot was free")
        .unwrap();
    assert_eq!(answer, ("HTTP/1.1 200 OK".into(), "ok".into()));
    stop.cancel();
}

#[tokio::test]
async fn many_idle_connections_are_closed_and_a_real_request_is_still_answered() {
    let limits = Limits {
        max_connections: 8,
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (addr, stop) = start(limits).await;
    // Three times the cap: silent connections, and kept-alive ones gone quiet after a request.
    let mut idle = Vec::new();
    for i in 0..24 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        if i % 2 == 0 {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: bot\r\n\r\n")
                .await
                .unwrap();
        }
        idle.push(stream);
    }
    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(30), get(addr, "/"))
        .await
        .expect("a real request is answered behind the idle connections");
    assert_eq!(answer, ("HTTP/1.1 200 OK".into(), "ok".into()));
    // Every idle connection was closed by the server (reads reach the end).
    for mut stream in idle {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut rest));
        assert!(read.await.is_ok(), "an idle connection was left open");
    }
    tracing::info!(waited = ?started.elapsed(), "answered");
    stop.cancel();
}

/// A Slack route whose body trickles in is answered 408 after 3 s, Slack's own wait, and its
/// connection closed: a client sending bodies a byte at a time cannot hold the connection
/// slots long (it could for 10 s each).
#[tokio::test]
async fn a_body_that_trickles_in_is_given_up_after_three_seconds() {
    let app = crate::helpers::spawn_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\ncontent-length: 524288\r\n\r\n{")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    // One more byte a second, as a slow client sends them, until the bot gives up.
    loop {
        let mut chunk = [0u8; 1024];
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&chunk[..n]),
            Err(_) => {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "never given up"
                );
                let _ = stream.write_all(b" ").await;
            }
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(2_500)..Duration::from_secs(8)).contains(&waited),
        "{waited:?}"
    );
}

/// A request whose head is past 64 KiB is refused (431) before anything reads it: unsigned,
/// 128 of them at hyper's default (about 400 KiB) held 50 MiB. One of Slack's size passes.
#[tokio::test]
async fn a_head_past_64_kib_is_refused() {
    let (addr, stop) = start(Limits::default()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let filler = "x".repeat(10_000);
    let mut request = String::from("GET /ok HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n");
    for i in 0..10 {
        request.push_str(&format!("x-filler-{i}: {filler}\r\n"));
    }
    request.push_str("\r\n");
    // Written as far as the server reads it; it may close before the end.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    let (status, body) = get(addr, "/ok").await;
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 200 OK", "ok"));
    stop.cancel();
}

/// Handlers run on the database's writer thread, many requests to one transaction: a panic in
/// one must fail that request alone, not the others committed with it.
#[tokio::test]
async fn a_panic_in_one_write_fails_that_write_alone() {
    use makers_bot::domain::TeamId;
    use makers_bot::store::{AsyncStore, Store, record_event};
    let dir = tempfile::tempdir().unwrap();
    let db = AsyncStore::new(Store::open(&dir.path().join("makers.db")).unwrap());
    // Keep the writer busy so that what follows queues up and is committed as one batch.
    let busy = db.write(|_| {
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    });
    let writes = (0..20).map(|i| {
        let db = db.clone();
        async move {
            db.write(move |tx| {
                let team = TeamId::parse("T1").unwrap();
                record_event(tx, &format!("Ev{i}"), &team, 0)?;
                if i == 7 {
                    panic!("a handler bug");
                }
                Ok(())
            })
            .await
        }
    });
    let (busy, results) = tokio::join!(busy, futures::future::join_all(writes));
    busy.unwrap();
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result.is_ok(), i != 7, "write {i}: {result:?}");
    }
    let recorded: i64 = db
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM processed_events", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(recorded, 19, "every write but the panicking one committed");
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answer_is_dropped() {
    let limits = Limits {
        max_connections: 1,
        write_stall_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (addr, stop) = start(limits).await;
    // Asks for a big answer and never reads it: the socket's buffers fill and the write stalls.
    let mut stuck = TcpStream::connect(addr).await.unwrap();
    stuck
        .write_all(b"GET /big HTTP/1.1\r\nHost: bot\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The only slot is held until the stalled write gives up; then the next client is served.
    let answer = tokio::time::timeout(Duration::from_secs(10), get(addr, "/"))
        .await
        .expect("served once the stalled connection was dropped");
    assert_eq!(answer, ("HTTP/1.1 200 OK".into(), "ok".into()));
    drop(stuck);
    stop.cancel();
}
