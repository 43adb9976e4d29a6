//! An outbound web proxy as a council's network has one: a real HTTP `CONNECT` proxy on
//! 127.0.0.1 that records where it was asked to connect. Any host name it is asked for is
//! this machine, so a test can give Slack's fake an address the bot could never reach but
//! through the proxy (`slack.test` resolves nowhere).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct ConnectProxy {
    /// `http://127.0.0.1:<port>`, to give the bot as `HTTPS_PROXY` or `HTTP_PROXY`.
    pub url: String,
    targets: Arc<Mutex<Vec<String>>>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    pub async fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let targets = Arc::new(Mutex::new(Vec::new()));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (seen, asked) = (targets.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(tunnel(client, seen.clone(), asked.clone()));
            }
        });
        ConnectProxy {
            url,
            targets,
            heads,
        }
    }

    /// Every request head it was sent, oldest first.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// Every `host:port` it was asked to connect to, oldest first.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// One `CONNECT host:port`: answered 200, then bytes copied both ways until either closes.
async fn tunnel(
    mut client: TcpStream,
    seen: Arc<Mutex<Vec<String>>>,
    asked: Arc<Mutex<Vec<String>>>,
) -> Option<()> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        let mut byte = [0u8; 1];
        if client.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    asked.lock().unwrap().push(head.clone());
    let target = head
        .strip_prefix("CONNECT ")?
        .split(' ')
        .next()?
        .to_string();
    seen.lock().unwrap().push(target.clone());
    let port: u16 = target.rsplit_once(':')?.1.parse().ok()?;
    let mut upstream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .ok()?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream)
        .await
        .ok()?;
    Some(())
}
