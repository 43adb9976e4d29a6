//! One WebSocket to Slack. Its reader never waits on work: each envelope is handled in a
//! task of its own, which sends its ack through the writer as soon as the dispatch
//! returns. The reader pings now and then and gives up on a socket that has gone silent.
//! It tells the supervisor (`mod.rs`) what happens through [`Notice`]s. Closing it keeps
//! reading until the envelopes in flight (and any that arrive meanwhile) are acked, for at
//! most [`DRAIN`], then sends a Close frame.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

use super::envelope;
use super::health::SocketHealth;
use super::wire::Frame;
use crate::config::SocketTiming;
use crate::slack::routes::Routes;

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a closing socket waits for the acks of envelopes still being handled.
const DRAIN: Duration = Duration::from_secs(5);

/// What a connection tells the supervisor.
#[derive(Debug, PartialEq, Eq)]
pub enum Notice {
    Hello,
    /// Slack's `disconnect` message; the socket stays open (and read) until closed.
    Disconnect(String),
    /// The socket ended (closed, failed or silent); the connection is over.
    Lost(String),
}

pub struct Connection {
    pub notices: mpsc::UnboundedReceiver<Notice>,
    close: CancellationToken,
    /// `None` once handed out by [`Connection::close`].
    task: Option<JoinHandle<()>>,
}

impl Connection {
    pub fn spawn(
        socket: Socket,
        routes: Arc<Routes>,
        health: SocketHealth,
        timing: SocketTiming,
    ) -> Connection {
        let (notify, notices) = mpsc::unbounded_channel();
        let close = CancellationToken::new();
        let reader = Reader {
            routes,
            health,
            timing,
            notify,
            close: close.clone(),
        };
        Connection {
            notices,
            close,
            task: Some(tokio::spawn(reader.run(socket))),
        }
    }

    /// Stops reading; the acks of envelopes in flight still go out, then a Close frame.
    /// The returned task ends when all that is done.
    pub fn close(mut self) -> Option<JoinHandle<()>> {
        self.close.cancel();
        self.task.take()
    }
}

/// A connection dropped unclosed (say, while waiting for its hello when the app stops)
/// closes all the same rather than read on unattended.
impl Drop for Connection {
    fn drop(&mut self) {
        self.close.cancel();
    }
}

struct Reader {
    routes: Arc<Routes>,
    health: SocketHealth,
    timing: SocketTiming,
    notify: mpsc::UnboundedSender<Notice>,
    close: CancellationToken,
}

impl Reader {
    async fn run(self, socket: Socket) {
        let (sink, mut stream) = socket.split();
        let (send, outgoing) = mpsc::unbounded_channel::<Message>();
        let writer = tokio::spawn(write_all(sink, outgoing));
        let mut live = None;
        let mut ping = tokio::time::interval_at(
            Instant::now() + self.timing.ping_every,
            self.timing.ping_every,
        );
        let mut heard = Instant::now();
        // Envelopes being handled; once closing, the socket is read until they are done,
        // so what Slack sends meanwhile is handled and acked too, then the Close goes out.
        let mut in_flight = JoinSet::new();
        let mut closing: Option<Instant> = None;
        let lost = loop {
            let message = tokio::select! {
                _ = self.close.cancelled(), if closing.is_none() => {
                    drop(live.take()); // no longer offered to Slack as ours
                    if in_flight.is_empty() {
                        break None;
                    }
                    closing = Some(Instant::now() + DRAIN);
                    continue;
                }
                _ = tokio::time::sleep_until(closing.unwrap_or_else(Instant::now)),
                    if closing.is_some() => break None,
                Some(_) = in_flight.join_next(), if closing.is_some() => {
                    if in_flight.is_empty() {
                        break None;
                    }
                    continue;
                }
                _ = ping.tick() => {
                    if heard.elapsed() >= self.timing.silent_after {
                        break Some("socket silent (no pong)".to_string());
                    }
                    // The writer stops at a failed write; acks would go nowhere, while
                    // Slack, still sending, keeps the socket from looking silent.
                    if send.is_closed() {
                        break Some("socket write failed".to_string());
                    }
                    let _ = send.send(Message::Ping(Default::default()));
                    continue;
                }
                message = stream.next() => message,
            };
            heard = Instant::now();
            let text = match message {
                None => break Some("socket closed".into()),
                Some(Err(e)) => break Some(format!("socket failed: {e}")),
                Some(Ok(Message::Close(frame))) => {
                    let why = frame.map(|f| f.reason.to_string()).unwrap_or_default();
                    break Some(format!("socket closed by Slack {why}").trim().to_string());
                }
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(_)) => continue, // pings (tungstenite answers them), pongs, binary
            };
            match Frame::parse(&text) {
                Ok(Frame::Hello { sockets }) if closing.is_none() => {
                    // Ours are those live, this one, and perhaps one more being opened (a
                    // spare, a replacement): more is another process on this app token,
                    // which Slack gives a share of the traffic.
                    let ours = self.health.live_now() as u64 + 2;
                    if let Some(sockets) = sockets.filter(|n| *n > ours) {
                        tracing::warn!(
                            sockets,
                            "Slack counts more sockets for this app token than this bot opens: is another process using SLACK_APP_TOKEN? It would get a share of the envelopes"
                        );
                    }
                    live.get_or_insert_with(|| self.health.live());
                    let _ = self.notify.send(Notice::Hello);
                }
                Ok(Frame::Hello { .. }) => {}
                Ok(Frame::Disconnect { reason }) => {
                    let _ = self.notify.send(Notice::Disconnect(reason));
                }
                Ok(Frame::Envelope(envelope)) => {
                    let routes = self.routes.clone();
                    let kind = envelope.kind.metric();
                    // Its lines carry one id, as an HTTP request's do.
                    let span = crate::slack::observe::request_span(kind);
                    let handled = async move { envelope::handle(&routes, envelope).await };
                    in_flight.spawn(acked(kind, handled, send.clone()).instrument(span));
                    // Finished tasks are reaped here while not closing, so the set holds
                    // only what is in flight.
                    while in_flight.try_join_next().is_some() {}
                }
                Ok(Frame::Other { kind }) => tracing::debug!(kind, "socket frame ignored"),
                Err(e) => tracing::error!(error = e.0, "socket frame not understood"),
            }
        };
        if !in_flight.is_empty() {
            tracing::warn!(
                envelopes = in_flight.len(),
                "socket closing with envelopes still being handled"
            );
        }
        // Left to finish (a write half done is not cut short); their acks may not get out.
        in_flight.detach_all();
        drop(live);
        if let Some(why) = lost {
            let _ = self.notify.send(Notice::Lost(why));
        }
        // The writer sends the acks queued, then the Close, once every sender is gone.
        drop(send);
        if tokio::time::timeout(DRAIN, writer).await.is_err() {
            tracing::warn!("socket close not finished in time");
        }
    }
}

async fn write_all(
    mut sink: futures_util::stream::SplitSink<Socket, Message>,
    mut outgoing: mpsc::UnboundedReceiver<Message>,
) {
    while let Some(message) = outgoing.recv().await {
        if let Err(e) = sink.send(message).await {
            tracing::warn!(error = %e, "socket write failed");
            return;
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    let _ = sink.close().await;
}

/// Sends the ack `handled` gives (none: Slack will send the envelope again), counted by how
/// it ended and timed however it ended (as an HTTP request's 500 is). A panic is caught
/// here, inside the envelope's span, as an HTTP request's is: logged there and counted, and
/// the envelope goes unacknowledged (Slack retries an event; a command or a button press
/// fails for its user); nothing else is touched.
async fn acked(
    kind: &'static str,
    handled: impl Future<Output = Option<String>>,
    send: mpsc::UnboundedSender<Message>,
) {
    let started = std::time::Instant::now();
    let metrics = crate::metrics::metrics();
    let outcome = match AssertUnwindSafe(handled).catch_unwind().await {
        // The writer has stopped (a failed write): the ack cannot go out.
        Ok(Some(_)) if send.is_closed() => "not_acked",
        Ok(Some(ack)) => {
            // Counted before it goes, so whoever sees the ack sees it counted.
            metrics.acked(kind, started.elapsed());
            metrics.envelope(kind, "acked");
            let _ = send.send(Message::Text(ack.into()));
            return;
        }
        Ok(None) => "not_acked",
        Err(_) => {
            // Its message was logged by the panic hook, as for an HTTP request's.
            tracing::error!("an envelope's handler panicked: not acknowledged");
            "panicked"
        }
    };
    metrics.acked(kind, started.elapsed());
    metrics.envelope(kind, outcome);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_handler_that_panics_is_counted_and_not_acked_and_the_rest_go_on() {
        let kind = "socket:test";
        let metrics = crate::metrics::metrics();
        let (send, mut sent) = mpsc::unbounded_channel();
        acked(kind, async { panic!("a bad envelope") }, send.clone()).await;
        assert_eq!(metrics.envelopes_counted(kind, "panicked"), 1);
        assert!(sent.try_recv().is_err(), "no ack for it");
        acked(kind, async { Some("ack".to_string()) }, send.clone()).await;
        acked(kind, async { None }, send).await;
        assert_eq!(sent.try_recv().unwrap(), Message::Text("ack".into()));
        assert_eq!(metrics.envelopes_counted(kind, "acked"), 1);
        assert_eq!(metrics.envelopes_counted(kind, "not_acked"), 1);
        // Each timed, however it ended, as an HTTP request's 500 is.
        assert_eq!(metrics.acks_timed(kind), 3);
    }
}
