//! The accept loop: HTTP/1.1 on our own hyper service, with a cap on open connections, a
//! header-read timeout that also closes idle kept-alive connections, a limit on how long an
//! answer may sit unread, a panic in one request answered as a 500 for that request alone,
//! and a graceful stop (no new connections;
//! requests in flight are finished).

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::routes::{HttpResponse, Routes};
use stall::StallGuard;

mod stall;

/// How many connections are served at once, and how long a client may dawdle.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most; past it the loop stops accepting, and new connections wait
    /// in the kernel's backlog until one closes. 128: Slack sends a few requests a second
    /// (30,000 events an hour at most), each answered in milliseconds, and a proxy keeps a
    /// few dozen connections open; 128 bodies at their 512 KiB limit are 64 MiB, a quarter of
    /// the systemd unit's MemoryMax, so a flood of slow uploads cannot exhaust memory either.
    pub max_connections: usize,
    /// A client that has not sent a request's headers by then is dropped. hyper runs this
    /// timer whenever it waits for a request's head, so it is also the idle timeout of a
    /// kept-alive connection. 5 s: Slack sends a request at once and waits 3 s for the answer.
    pub header_read_timeout: Duration,
    /// A client that takes no more of an answer for this long is dropped: one that asks for
    /// the catalogue and never reads would otherwise hold its connection (and a slot) forever.
    pub write_stall_timeout: Duration,
    /// How long a stop waits for requests in flight.
    pub drain_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 128,
            header_read_timeout: Duration::from_secs(5),
            write_stall_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

/// When a request's head was read (hyper calls the service then), in its extensions: Slack's
/// 3 seconds for the answer are counted from here, so a body slow to arrive counts too.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeadRead(pub(crate) Instant);

/// The most a request's head (its line and headers) may hold.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Serves `routes` until `stop` is cancelled, then drains.
pub async fn serve(listener: TcpListener, routes: Arc<Routes>, stop: CancellationToken) {
    let handler = move |req| routes.clone().handle(req);
    serve_with(listener, Limits::default(), handler, stop).await;
}

/// Serves requests with `handler` within `limits` until `stop` is cancelled, then drains.
/// (Tests give their own handler: one that panics, to show a panic stays in its request.)
pub async fn serve_with<H, F>(
    listener: TcpListener,
    limits: Limits,
    handler: H,
    stop: CancellationToken,
) where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<HttpResponse, Infallible>> + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    // A request's head may hold 64 KiB (hyper's read buffer, about 400 KiB, let 128 unsigned
    // connections hold 50 MiB before any signature is checked); Slack's are a few hundred
    // bytes. Past it hyper answers 431.
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(MAX_HEAD_BYTES);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        // A slot first, then a connection: at the cap nothing more is accepted.
        let slot = tokio::select! {
            _ = stop.cancelled() => break,
            slot = open.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, _peer) = tokio::select! {
            _ = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Usually out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        // Shown in `/metrics`: at the cap, Slack's requests wait in the backlog.
        let counted = crate::metrics::metrics().connection_opened();
        let handler = handler.clone();
        // The bot's own handler catches its panics within the request's span (see
        // `observe::observed`); this one is for any other handler, and is the last resort.
        let service = service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(HeadRead(Instant::now()));
            CatchPanic::new(handler(req))
        });
        let stream = StallGuard::new(stream, limits.write_stall_timeout);
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
            drop(counted);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("all requests finished"),
        _ = tokio::time::sleep(limits.drain_timeout) => tracing::warn!("stopped with requests still in flight"),
    }
}

/// A request's future whose panic becomes a 500 for that request. Without it the panic would
/// end the connection's task, and the client would see the connection cut. What the handler
/// shares with others stays usable: the store takes over a lock poisoned by a panic (its
/// transaction was rolled back when dropped), and caches only ever hold finished answers.
pub(crate) struct CatchPanic<F>(Pin<Box<F>>);

impl<F> CatchPanic<F> {
    pub(crate) fn new(answer: F) -> Self {
        CatchPanic(Box::pin(answer))
    }
}

impl<F> Future for CatchPanic<F>
where
    F: Future<Output = Result<HttpResponse, Infallible>>,
{
    type Output = Result<HttpResponse, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => poll,
            Err(_) => {
                // Its message and place were logged by the hook `telemetry` sets (Rust's
                // own hook prints them where that is not set): not said twice.
                tracing::error!("a request's handler panicked: answered 500");
                Poll::Ready(Ok(internal_error()))
            }
        }
    }
}

fn internal_error() -> HttpResponse {
    let mut resp = Response::new(Full::new(Bytes::from_static(b"internal error")));
    *resp.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    resp
}
