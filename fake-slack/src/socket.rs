//! A stand-in for Slack's Socket Mode server: a WebSocket server on 127.0.0.1 whose address
//! the fake's `apps.connections.open` hands out. Each connection says hello (Slack's own
//! sample, unless told otherwise); the test sends frames down any connection, closes one as
//! Slack would, and reads every frame the bot sent back (its acks), by connection.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

/// Slack's hello, from python-slack-sdk's mock server (fixture
/// `socket-mode-hello.python-slack-sdk.json`).
pub const HELLO: &str = r#"{"type":"hello","num_connections":2,"debug_info":{"host":"applink-111-xxx","build_number":10,"approximate_connection_time":18060},"connection_info":{"app_id":"A111"}}"#;

/// A frame the bot sent.
#[derive(Debug, Clone)]
pub struct Received {
    /// Which connection (0 for the first accepted) it came on.
    pub connection: usize,
    pub frame: Value,
}

#[derive(Default)]
struct State {
    /// Per accepted connection: where to send frames; `None` once it has ended.
    connections: Vec<Option<mpsc::UnboundedSender<Message>>>,
    received: Vec<Received>,
    /// Per accepted connection: when it was accepted and when it ended.
    lifetimes: Vec<(Instant, Option<Instant>)>,
    /// Sent first on every new connection; `None`: nothing.
    hello: Option<String>,
}

/// The Socket Mode server; clones share it. Stops when the [`crate::FakeSlack`] does.
#[derive(Clone)]
pub struct FakeSocket {
    /// `ws://127.0.0.1:PORT/link/`, what `apps.connections.open` answers (plus a ticket).
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeSocket {
    /// Starts the server on a thread of its own, as the fake's HTTP server is: it says hello
    /// and takes the bot's frames as they come, also while its caller's thread is busy.
    pub(crate) async fn start(stop: CancellationToken) -> FakeSocket {
        let state = Arc::new(Mutex::new(State {
            hello: Some(HELLO.to_string()),
            ..State::default()
        }));
        let serving = state.clone();
        let addr = crate::on_own_thread("fake-slack-socket", move |listener| {
            accept_all(listener, serving, stop)
        });
        FakeSocket {
            url: format!("ws://{addr}/link/"),
            state,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What new connections are first sent (`None`: no hello at all).
    pub fn hello_with(&self, frame: Option<&str>) {
        self.state().hello = frame.map(String::from);
    }

    /// How many connections were ever accepted.
    pub fn connections(&self) -> usize {
        self.state().connections.len()
    }

    /// The connections still open, oldest first.
    pub fn open_connections(&self) -> Vec<usize> {
        let s = self.state();
        (0..s.connections.len())
            .filter(|&i| s.connections[i].as_ref().is_some_and(|c| !c.is_closed()))
            .collect()
    }

    /// Sends a text frame down `connection`; false if it has ended.
    pub fn send(&self, connection: usize, frame: &str) -> bool {
        let s = self.state();
        match s.connections.get(connection).and_then(Option::as_ref) {
            Some(tx) => tx.send(Message::Text(frame.to_string().into())).is_ok(),
            None => false,
        }
    }

    /// Stops answering on `connection` without closing it: no frames, no pongs (a socket
    /// gone silent, as behind a dead NAT).
    pub fn freeze(&self, connection: usize) {
        let s = self.state();
        if let Some(tx) = s.connections.get(connection).and_then(Option::as_ref) {
            // An empty binary frame is the fake's own signal, never sent on.
            let _ = tx.send(Message::Binary(Default::default()));
        }
    }

    /// Closes `connection` as Slack's server would (a Close frame, then the TCP connection).
    pub fn close(&self, connection: usize) {
        let mut s = self.state();
        if let Some(tx) = s.connections.get_mut(connection).and_then(Option::take) {
            let _ = tx.send(Message::Close(None));
        }
    }

    /// Per connection ever accepted: when, and when it ended (either side closing).
    pub fn lifetimes(&self) -> Vec<(Instant, Option<Instant>)> {
        self.state().lifetimes.clone()
    }

    /// Every frame the bot sent, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.state().received.clone()
    }

    /// The frames that acknowledge `envelope_id`.
    pub fn acks_of(&self, envelope_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.frame["envelope_id"] == envelope_id)
            .collect()
    }
}

async fn accept_all(listener: TcpListener, state: Arc<Mutex<State>>, stop: CancellationToken) {
    loop {
        let stream = tokio::select! {
            _ = stop.cancelled() => break,
            s = listener.accept() => match s { Ok((s, _)) => s, Err(_) => continue },
        };
        tokio::spawn(serve(stream, state.clone(), stop.clone()));
    }
}

/// One connection: the hello, then frames both ways until either side closes.
async fn serve(stream: TcpStream, state: Arc<Mutex<State>>, stop: CancellationToken) {
    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut frames) = socket.split();
    let (tx, mut outgoing) = mpsc::unbounded_channel();
    let connection = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hello) = &s.hello {
            let _ = tx.send(Message::Text(hello.clone().into()));
        }
        s.connections.push(Some(tx));
        s.lifetimes.push((Instant::now(), None));
        s.connections.len() - 1
    };
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            out = outgoing.recv() => match out {
                Some(Message::Close(frame)) => {
                    let _ = sink.send(Message::Close(frame)).await;
                    break;
                }
                Some(Message::Binary(b)) if b.is_empty() => {
                    // Frozen: hold the socket open, read nothing, until the fake stops.
                    stop.cancelled().await;
                    break;
                }
                Some(message) => if sink.send(message).await.is_err() { break },
                None => break,
            },
            incoming = frames.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let frame = serde_json::from_str(&text).unwrap_or(Value::String(text.to_string()));
                    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
                    s.received.push(Received { connection, frame });
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {} // pings are answered by tungstenite
            },
        }
    }
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.connections[connection] = None;
    s.lifetimes[connection].1 = Some(Instant::now());
}
