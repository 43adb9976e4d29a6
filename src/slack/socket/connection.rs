//! One WebSocket to Slack. Its reader never waits on work: each envelope is handled in a
//! task of its own, which sends its ack through the writer as soon as the dispatch
//! returns. The reader pings now and then and gives up on a socket that has gone silent.
//! It tells the supervisor (`mod.rs`) what happens through [`Notice`]s. Closing it keeps
//! reading until the envelopes in flight (and any that arrive meanwhile) are acked, for at
//! most [`DRAIN`], then sends a Close frame, whatever is still in flight. An ack whose own
//! socket has ended (or closed) goes over another live one ([`AckWay`]).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
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

    /// Stops reading once the envelopes in flight are acked, or [`DRAIN`] has passed; then
    /// sends a Close frame (acks after that go over another live socket). The returned task
    /// ends when all that is done.
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
        let own = Writer::new(send);
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
                    if !own.is_open() {
                        break Some("socket write failed".to_string());
                    }
                    let _ = own.send(Message::Ping(Default::default()), &|| {});
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
                    live.get_or_insert_with(|| self.health.live(own.clone()));
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
                    let way = AckWay {
                        own: own.clone(),
                        health: self.health.clone(),
                    };
                    let open = way.clone();
                    let handled = async move {
                        envelope::handle(&routes, envelope, move || open.is_open()).await
                    };
                    in_flight.spawn(acked(kind, handled, way).instrument(span));
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
        // Left to finish (a write half done is not cut short). The socket is gone, or past its
        // drain: their acks go over another live socket (or, for a command, its answer to the
        // DM), not into this one. Kept open until they were done, it went unread meanwhile,
        // and what Slack sent there was lost; closed, Slack sends elsewhere. (Reading on
        // instead would keep a socket Slack asked us to leave, for as long as the slowest
        // envelope, whose ack past 5 s no longer shows anything anyway.)
        in_flight.detach_all();
        drop(live);
        own.end();
        if let Some(why) = lost {
            let _ = self.notify.send(Notice::Lost(why));
        }
        // The writer sends the acks queued, then the Close.
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

/// A socket's way out: its writer's queue, while the socket is open. Shared by its reader,
/// the tasks handling its envelopes and (while it is live) [`SocketHealth`]; emptied when
/// the socket ends, so that nothing is queued for a socket that is gone.
#[derive(Clone, Default)]
pub struct Writer(Arc<Mutex<Option<mpsc::UnboundedSender<Message>>>>);

impl Writer {
    fn new(send: mpsc::UnboundedSender<Message>) -> Writer {
        Writer(Arc::new(Mutex::new(Some(send))))
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Option<mpsc::UnboundedSender<Message>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether what is sent now can still go out: the socket has not ended, nor its writer
    /// stopped at a failed write.
    fn is_open(&self) -> bool {
        self.queue().as_ref().is_some_and(|s| !s.is_closed())
    }

    /// Queues `message`, `before` run first (under the lock, so the socket cannot end
    /// between); the message back if the socket is not open.
    fn send(&self, message: Message, before: &dyn Fn()) -> Result<(), Message> {
        match self.queue().as_ref() {
            Some(s) if !s.is_closed() => {
                before();
                s.send(message).map_err(|e| e.0)
            }
            _ => Err(message),
        }
    }

    /// Nothing more is queued: the writer sends what is, then the Close frame.
    fn end(&self) {
        self.queue().take();
    }
}

/// Where an envelope's ack goes: its own socket while that is open, else the bot's newest
/// live one. Slack takes an ack by its `envelope_id` on any of the app's sockets
/// (python-slack-sdk's client acks over its newest connection, so envelopes in flight
/// while it reconnects are acked over the new one): one the socket it came on was dropped
/// under (Slack recycling its servers, a blip) is not lost, nor is its answer.
#[derive(Clone)]
struct AckWay {
    own: Writer,
    health: SocketHealth,
}

impl AckWay {
    /// Whether an ack sent now has a socket to go out on.
    fn is_open(&self) -> bool {
        self.own.is_open() || self.health.live_writers().iter().any(Writer::is_open)
    }

    /// Sends `ack`, `count` told the outcome just before it goes (`acked`, or `acked_elsewhere`
    /// over another socket); false if no socket is left to carry it.
    fn send(&self, ack: Message, count: impl Fn(&'static str)) -> bool {
        let mut ack = match self.own.send(ack, &|| count("acked")) {
            Ok(()) => return true,
            Err(ack) => ack,
        };
        for other in self.health.live_writers() {
            match other.send(ack, &|| count("acked_elsewhere")) {
                Ok(()) => {
                    tracing::info!("the envelope's socket has ended: acked over another");
                    return true;
                }
                Err(back) => ack = back,
            }
        }
        tracing::warn!("the envelope's socket has ended and no other is live: not acked");
        false
    }
}

/// Sends the ack `handled` gives (none: Slack will send the envelope again), counted by how
/// it ended and timed however it ended (as an HTTP request's 500 is). A panic is caught
/// here, inside the envelope's span, as an HTTP request's is: logged there and counted, and
/// the envelope goes unacknowledged (Slack retries an event; a command or a button press
/// fails for its user); nothing else is touched.
async fn acked(kind: &'static str, handled: impl Future<Output = Option<String>>, way: AckWay) {
    let started = std::time::Instant::now();
    let metrics = crate::metrics::metrics();
    let outcome = match AssertUnwindSafe(handled).catch_unwind().await {
        Ok(Some(ack)) => {
            // Counted before it goes, so whoever sees the ack sees it counted.
            let count = |outcome| {
                metrics.acked(kind, started.elapsed());
                metrics.envelope(kind, outcome);
            };
            if way.send(Message::Text(ack.into()), count) {
                return;
            }
            // No socket left (or its writer stopped at a failed write): it cannot go out.
            "not_acked"
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

    /// The way out of a socket of its own, and the health its live sockets are offered in.
    fn way_out() -> (AckWay, mpsc::UnboundedReceiver<Message>) {
        let (send, sent) = mpsc::unbounded_channel();
        let way = AckWay {
            own: Writer::new(send),
            health: SocketHealth::default(),
        };
        (way, sent)
    }

    #[tokio::test]
    async fn a_handler_that_panics_is_counted_and_not_acked_and_the_rest_go_on() {
        let kind = "socket:test";
        let metrics = crate::metrics::metrics();
        let (way, mut sent) = way_out();
        acked(kind, async { panic!("a bad envelope") }, way.clone()).await;
        assert_eq!(metrics.envelopes_counted(kind, "panicked"), 1);
        assert!(sent.try_recv().is_err(), "no ack for it");
        acked(kind, async { Some("ack".to_string()) }, way.clone()).await;
        acked(kind, async { None }, way).await;
        assert_eq!(sent.try_recv().unwrap(), Message::Text("ack".into()));
        assert_eq!(metrics.envelopes_counted(kind, "acked"), 1);
        assert_eq!(metrics.envelopes_counted(kind, "not_acked"), 1);
        // Each timed, however it ended, as an HTTP request's 500 is.
        assert_eq!(metrics.acks_timed(kind), 3);
    }

    /// An ack whose socket has ended goes over another live one, counted so; with none
    /// live it is counted `not_acked`, not `acked` (it was counted acked, and lost).
    #[tokio::test]
    async fn an_ack_whose_socket_has_ended_goes_over_another_or_is_not_counted_acked() {
        let kind = "socket:test-ended";
        let metrics = crate::metrics::metrics();
        let (way, mut on_own) = way_out();
        way.own.end();
        let (other, mut on_other) = mpsc::unbounded_channel();
        let live = way.health.live(Writer::new(other));
        assert!(way.is_open(), "another socket can carry it");
        acked(kind, async { Some("ack".to_string()) }, way.clone()).await;
        assert_eq!(on_other.try_recv().unwrap(), Message::Text("ack".into()));
        assert!(on_own.try_recv().is_err());
        assert_eq!(metrics.envelopes_counted(kind, "acked_elsewhere"), 1);
        drop(live);
        assert!(!way.is_open(), "no socket left");
        acked(kind, async { Some("ack".to_string()) }, way).await;
        assert!(on_other.try_recv().is_err());
        assert_eq!(metrics.envelopes_counted(kind, "not_acked"), 1);
        assert_eq!(metrics.envelopes_counted(kind, "acked"), 0);
    }
}
