//! The "ceilings": the least a Slack endpoint can do, to compare the bot against. A bare
//! hyper 1 HTTP/1.1 server with the bot's connection setup (header-read timeout, TCP_NODELAY)
//! that reads the body within a limit, verifies the v0 signature and answers 200 `{}`.
//! No routing, no decoding. On [`WRITE_PATH`] it also inserts the body as one row of an SQLite
//! file with the durability the bot has (WAL, `synchronous = FULL`, group commit: see
//! [`crate::ceiling_db`]) and answers only once the row is committed: the least a Slack
//! *write* can cost. Runs as its own process:
//! `makers-bench --ceiling-server ADDR SECRET DB`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::ceiling_db::GroupCommit;
use crate::signing;

/// Requests to this path are written to the database before the answer.
pub const WRITE_PATH: &str = "/write";

/// The same limits the bot applies.
const MAX_BODY_BYTES: usize = 512 * 1024;
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Entry point of the `--ceiling-server ADDR SECRET` mode; serves until killed.
pub fn main(args: &[String]) -> Result<(), String> {
    let [addr, secret, db] = args else {
        return Err("usage: makers-bench --ceiling-server ADDR SECRET DB".into());
    };
    let addr: SocketAddr = addr.parse().map_err(|_| format!("bad address {addr:?}"))?;
    let secret: Arc<str> = secret.as_str().into();
    // A multi-threaded runtime with one worker per core, as the bot has.
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("runtime: {e}"))?;
    let db = GroupCommit::open(std::path::Path::new(db))?;
    runtime.block_on(serve(addr, secret, db))
}

async fn serve(addr: SocketAddr, secret: Arc<str>, db: GroupCommit) -> Result<(), String> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (secret, db) = (secret.clone(), db.clone());
        let service = service_fn(move |req| answer(req, secret.clone(), db.clone()));
        let conn = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
}

async fn answer(
    req: Request<Incoming>,
    secret: Arc<str>,
    db: GroupCommit,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let collected = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await;
    let bytes = match collected {
        Ok(Ok(c)) => c.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(reply(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
        }
        Ok(Err(_)) => return Ok(reply(StatusCode::BAD_REQUEST, "unreadable body")),
        Err(_) => return Ok(reply(StatusCode::REQUEST_TIMEOUT, "body too slow")),
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let signed = signing::verify(
        &secret,
        header(signing::SIGNATURE_HEADER),
        header(signing::TIMESTAMP_HEADER),
        &bytes,
        signing::unix_now(),
    );
    if !signed {
        return Ok(reply(StatusCode::UNAUTHORIZED, "invalid signature"));
    }
    if parts.uri.path() == WRITE_PATH && !db.insert(bytes).await {
        return Ok(reply(StatusCode::INTERNAL_SERVER_ERROR, "not written"));
    }
    Ok(reply(StatusCode::OK, "{}"))
}

fn reply(code: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *resp.status_mut() = code;
    let kind = if code.is_success() {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    resp
}
