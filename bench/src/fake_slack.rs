//! A stand-in for Slack's Web API, inside the bench process: every request (whatever the
//! method and path) gets a successful `chat.postMessage`-shaped answer, so the bot's outbox
//! worker can deliver pitch announcements. It counts the calls it answered.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Bodies the bot sends are small; anything bigger is drained up to this and answered anyway.
const MAX_BODY: usize = 1024 * 1024;

/// A running fake; it lives as long as the bench's runtime.
pub struct FakeSlack {
    pub addr: SocketAddr,
    calls: Arc<AtomicU64>,
    posts: Posts,
}

/// (channel, ts) of every top-level chat.postMessage answered, in order.
type Posts = Arc<std::sync::Mutex<Vec<(String, String)>>>;

impl FakeSlack {
    /// Requests answered so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The ts of the first top-level message posted in `channel` (a pitch announcement).
    pub fn first_post_in(&self, channel: &str) -> Option<String> {
        let posts = self.posts.lock().unwrap_or_else(|p| p.into_inner());
        posts
            .iter()
            .find(|(c, _)| c == channel)
            .map(|(_, ts)| ts.clone())
    }
}

/// Binds 127.0.0.1:0 and serves in the background.
pub async fn start() -> std::io::Result<FakeSlack> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let calls = Arc::new(AtomicU64::new(0));
    let counter = calls.clone();
    let posts: Posts = Arc::default();
    let recorded = posts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            };
            let (counter, recorded) = (counter.clone(), recorded.clone());
            let service = service_fn(move |req| answer(req, counter.clone(), recorded.clone()));
            tokio::spawn(async move {
                let conn = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                // The bot closing its pooled connection is normal.
                let _ = conn.await;
            });
        }
    });
    Ok(FakeSlack { addr, calls, posts })
}

async fn answer(
    req: Request<Incoming>,
    calls: Arc<AtomicU64>,
    posts: Posts,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    // Read the whole request so the connection stays usable for the next one.
    let body = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    // Every message gets its own ts, as in Slack (the bot keys announcements by channel + ts).
    let n = calls.fetch_add(1, Ordering::Relaxed) + 1;
    let ts = format!("1700000000.{n:06}");
    let reply = if method == "users.info" {
        r#"{"ok":true,"user":{"id":"U0BENCH","is_bot":false}}"#.to_string()
    } else {
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if let (Some(channel), None) = (json["channel"].as_str(), json.get("thread_ts")) {
            let mut posts = posts.lock().unwrap_or_else(|p| p.into_inner());
            posts.push((channel.to_string(), ts.clone()));
        }
        format!(r#"{{"ok":true,"channel":"C1","ts":"{ts}","message":{{"ts":"{ts}"}}}}"#)
    };
    let mut resp = Response::new(Full::new(Bytes::from(reply)));
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(resp)
}
