//! The bench as Slack's Socket Mode server: a WebSocket server on 127.0.0.1 that the fake
//! Web API's `apps.connections.open` points the bot at. It says hello to each connection,
//! sends envelopes down the newest one, and hands each ack to whoever waits for that
//! `envelope_id`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

/// python-slack-sdk's hello sample.
const HELLO: &str = r#"{"type":"hello","num_connections":1,"debug_info":{"host":"applink-bench","build_number":10,"approximate_connection_time":18060},"connection_info":{"app_id":"A111"}}"#;

/// What an ack says: whether it carried a `payload` (a reply).
pub type Acked = oneshot::Sender<bool>;

#[derive(Default)]
struct State {
    /// The newest connection's outgoing frames.
    current: Option<mpsc::UnboundedSender<Message>>,
    waiting: HashMap<String, Acked>,
    connections: usize,
}

#[derive(Clone)]
pub struct SocketServer {
    /// `ws://127.0.0.1:PORT/link/`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl SocketServer {
    pub async fn start() -> Result<SocketServer, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("bind: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let state = Arc::new(Mutex::new(State::default()));
        tokio::spawn(accept_all(listener, state.clone()));
        Ok(SocketServer {
            url: format!("ws://{addr}/link/"),
            state,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many connections the bot has opened.
    pub fn connections(&self) -> usize {
        self.state().connections
    }

    /// Sends `frame` (an envelope with this `id`); `acked` hears of its ack. False if no
    /// connection is open.
    pub fn send(&self, id: String, frame: String, acked: Acked) -> bool {
        let mut s = self.state();
        let Some(current) = s.current.clone() else {
            return false;
        };
        s.waiting.insert(id.clone(), acked);
        if current.send(Message::Text(frame.into())).is_err() {
            s.waiting.remove(&id);
            return false;
        }
        true
    }

    /// Forgets an envelope whose ack never came.
    pub fn forget(&self, id: &str) {
        self.state().waiting.remove(id);
    }
}

async fn accept_all(listener: TcpListener, state: Arc<Mutex<State>>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(stream, state.clone()));
    }
}

async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut frames) = socket.split();
    let (tx, mut outgoing) = mpsc::unbounded_channel::<Message>();
    let _ = tx.send(Message::Text(HELLO.into()));
    {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        s.current = Some(tx);
        s.connections += 1;
    }
    let writer = tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            if sink.send(message).await.is_err() {
                break;
            }
        }
    });
    while let Some(Ok(message)) = frames.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(ack) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let Some(id) = ack["envelope_id"].as_str() else {
            continue;
        };
        let waiter = state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .waiting
            .remove(id);
        if let Some(waiter) = waiter {
            let _ = waiter.send(ack.get("payload").is_some());
        }
    }
    writer.abort();
}
