//! HTTP/1.1 client pieces over a tokio TcpStream: opening a keep-alive connection, signing a
//! body as Slack would, and one request/answer exchange. Used by the load loop, the seeding
//! and the readiness checks.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, ETAG, HOST, HeaderValue, IF_NONE_MATCH};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::signing::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The sending half of one connection.
pub type Sender = SendRequest<Full<Bytes>>;

/// A body with its headers, ready to send.
pub struct Signed {
    body: Bytes,
    ts: HeaderValue,
    sig: HeaderValue,
}

/// Signs `body` with a timestamp of now (good for five minutes).
pub fn sign_now(secret: &str, body: Bytes) -> Result<Signed, String> {
    let ts = signing::unix_now().to_string();
    let sig = signing::sign(secret, &ts, &body);
    let header = |s: String| HeaderValue::try_from(s).map_err(|e| format!("header: {e}"));
    Ok(Signed {
        ts: header(ts)?,
        sig: header(sig)?,
        body,
    })
}

/// `POST path` carrying a signed body and its signature headers.
pub fn signed_request(
    path: &str,
    host: HeaderValue,
    content_type: &'static str,
    signed: &Signed,
) -> Result<Request<Full<Bytes>>, String> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(HOST, host)
        .header(CONTENT_TYPE, content_type)
        .header(SIGNATURE_HEADER, signed.sig.clone())
        .header(TIMESTAMP_HEADER, signed.ts.clone())
        .body(Full::new(signed.body.clone()))
        .map_err(|e| format!("building request: {e}"))
}

/// `GET path` with `If-None-Match: etag`: a browser revalidating what it holds.
pub fn conditional_get(
    path: &str,
    host: HeaderValue,
    etag: &HeaderValue,
) -> Result<Request<Full<Bytes>>, String> {
    Request::builder()
        .uri(path)
        .header(HOST, host)
        .header(IF_NONE_MATCH, etag.clone())
        .body(Full::new(Bytes::new()))
        .map_err(|e| format!("building request: {e}"))
}

/// Opens a keep-alive HTTP/1.1 connection; loopback addresses only.
pub async fn connect(addr: SocketAddr) -> Result<Sender, String> {
    if !addr.ip().is_loopback() {
        return Err(format!(
            "refusing to send load to {addr}: not a loopback address"
        ));
    }
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        // Errors show up on the sender's side as failed requests.
        let _ = conn.await;
    });
    Ok(sender)
}

/// Sends one request and reads the whole answer: (status, body).
pub async fn exchange(s: &mut Sender, req: Request<Full<Bytes>>) -> Result<(u16, Bytes), String> {
    exchange_tagged(s, req)
        .await
        .map(|(status, _, body)| (status, body))
}

/// As [`exchange`], with the answer's `ETag` if it had one.
async fn exchange_tagged(
    s: &mut Sender,
    req: Request<Full<Bytes>>,
) -> Result<(u16, Option<HeaderValue>, Bytes), String> {
    s.ready()
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let resp = s
        .send_request(req)
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = resp.status().as_u16();
    let etag = resp.headers().get(ETAG).cloned();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading answer: {e}"))?;
    Ok((status, etag, body.to_bytes()))
}

/// One signed POST on an open connection (used for seeding and checks).
pub async fn post_signed(
    s: &mut Sender,
    addr: SocketAddr,
    path: &str,
    content_type: &'static str,
    secret: &str,
    body: Bytes,
) -> Result<(u16, Bytes), String> {
    let host = HeaderValue::try_from(addr.to_string()).map_err(|e| e.to_string())?;
    let req = signed_request(path, host, content_type, &sign_now(secret, body)?)?;
    exchange(s, req).await
}

/// One unsigned GET on a fresh connection; the status.
pub async fn get(addr: SocketAddr, path: &str) -> Result<u16, String> {
    Ok(get_tagged(addr, path, None).await?.0)
}

/// One unsigned GET on a fresh connection, with `If-None-Match` if given: the status, the
/// `ETag` and the body.
pub async fn get_tagged(
    addr: SocketAddr,
    path: &str,
    if_none_match: Option<&HeaderValue>,
) -> Result<(u16, Option<HeaderValue>, Bytes), String> {
    let mut s = connect(addr).await?;
    let host = HeaderValue::try_from(addr.to_string()).map_err(|e| e.to_string())?;
    let req = match if_none_match {
        Some(etag) => conditional_get(path, host, etag)?,
        None => Request::builder()
            .uri(path)
            .header(HOST, host)
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?,
    };
    exchange_tagged(&mut s, req).await
}
