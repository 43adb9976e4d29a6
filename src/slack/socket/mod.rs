//! Socket Mode: Slack's traffic over a WebSocket the bot opens itself, for installs with no
//! public URL. Our own small client on tokio-tungstenite rather than slack-morphism's
//! listener, which handles one envelope at a time per connection, acks only when its
//! callback returns, hands callbacks its own parsed types (our decoders read Slack's JSON),
//! and retries a refused token silently forever.
//!
//! The supervisor here keeps [`SocketTiming::sockets`] connections (two by default, so one
//! lost without warning leaves the other), each by a keeper of its own (and one more for a
//! moment while a keeper replaces its socket):
//! `apps.connections.open` (`open`) -> connect -> `hello` -> read (`connection`), each
//! envelope decoded and handled by the same dispatch as HTTP (`envelope`). On a
//! `disconnect` asking for a refresh it opens the next connection before closing the old,
//! so nothing sent meanwhile is lost; a lost socket is reconnected with backoff; a refused
//! token or `link_disabled` is an error, retried slowly. `/healthz` reads [`SocketHealth`].

mod backoff;
mod connection;
mod envelope;
mod health;
mod open;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use self::backoff::Backoff;
use self::connection::{Connection, Notice};
use self::open::{OpenError, Opener};
use crate::config::{Secret, SocketTiming};
use crate::slack::routes::Routes;
pub use envelope::Work;
pub use health::{SocketHealth, TURNED_OFF};
pub use wire::BadFrame;

/// A text frame read as a keeper reads it, and an envelope's payload decoded as it would be
/// before handling (nothing handled): what Slack's side of a socket can make the bot parse,
/// for the properties and the fuzz target over hostile frames.
pub fn decode_frame(text: &str) -> Result<Option<Work>, BadFrame> {
    Ok(match wire::Frame::parse(text)? {
        wire::Frame::Envelope(e) => Some(envelope::read(&e.kind, e.payload)),
        _ => None,
    })
}

pub struct SocketMode {
    opener: Opener,
    /// The outbound proxy the socket (and the call that opens it) goes through, if any.
    proxies: crate::config::Proxies,
    routes: Arc<Routes>,
    health: SocketHealth,
    timing: SocketTiming,
}

/// A keeper's part: the first keeps trying whatever happens; a spare opens its socket only
/// while another is live.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    First,
    Spare,
}

/// How following a connection, or trying to make one, ended.
enum Next {
    Stop,
    /// Slack asked for a new connection; the current one stays until it is up.
    Replace,
    /// The socket is gone: reconnect after a backoff.
    Lost(String),
    /// Nothing will work until an operator acts (token refused, Socket Mode turned off).
    Hopeless(String),
    /// A connection could not be made; try again after the backoff or Slack's wait.
    Failed(String, Option<Duration>),
}

impl SocketMode {
    pub fn new(
        api_url: &str,
        app_token: Secret,
        routes: Arc<Routes>,
        health: SocketHealth,
        timing: SocketTiming,
        proxies: crate::config::Proxies,
    ) -> anyhow::Result<SocketMode> {
        Ok(SocketMode {
            opener: Opener::new(api_url, app_token, &proxies)?,
            proxies,
            routes,
            health,
            timing,
        })
    }

    /// Keeps the connections until `stop`; then closes them, letting acks in flight go out.
    pub async fn run(self, stop: CancellationToken) {
        let me = Arc::new(self);
        let keepers: Vec<_> = (0..me.timing.sockets.max(1))
            .map(|i| {
                let (me, stop) = (me.clone(), stop.clone());
                let role = if i == 0 { Role::First } else { Role::Spare };
                tokio::spawn(async move { me.keep(role, &stop).await })
            })
            .collect();
        for keeper in keepers {
            let _ = keeper.await;
        }
        tracing::info!("Socket Mode stopped");
    }

    /// A spare, while no socket is live, waits until one is, then a little more (so
    /// that the sockets do not age, and are refreshed, together); `false` if stopped first.
    /// While none is live only the first keeper tries: after an outage, or with a refused
    /// token, `apps.connections.open` (Tier 1) is not asked twice as often, and `/healthz`
    /// says the first keeper's reason alone.
    async fn spare_may_open(&self, stop: &CancellationToken) -> bool {
        tokio::select! {
            _ = stop.cancelled() => false,
            _ = async {
                loop {
                    self.health.until_live().await;
                    tokio::time::sleep(backoff::jittered(self.timing.spare_after)).await;
                    // An outage may have begun meanwhile: then wait for a socket again.
                    if self.health.live_now() > 0 {
                        break;
                    }
                }
            } => true,
        }
    }

    /// Keeps one connection until `stop`; then closes it, letting acks in flight go out.
    async fn keep(&self, role: Role, stop: &CancellationToken) {
        let mut backoff = Backoff::new(self.timing.retry_first, self.timing.retry_max);
        let mut current: Option<(Connection, Instant)> = None;
        // Replaced sockets reading until their acks are out: a stop waits for them too.
        let mut draining = Vec::new();
        loop {
            draining.retain(|task: &tokio::task::JoinHandle<()>| !task.is_finished());
            // (Not "has no socket": a spare whose replacement cannot be made keeps its old
            // socket, dead or not, and would try on through an outage beside the first.)
            if role == Role::Spare
                && self.health.live_now() == 0
                && !self.spare_may_open(stop).await
            {
                break;
            }
            // Whether this turn followed a connection of its own: only then does the age of
            // `current` say how long the connection that just ended lived. (A new socket
            // failing while an old one lives on says nothing good: taking the old one's age
            // for it reset the backoff, and replacements were tried without a pause.)
            let mut followed = false;
            let next = tokio::select! {
                _ = stop.cancelled() => Next::Stop,
                made = self.connect() => match made {
                    Err(next) => next,
                    Ok(conn) => {
                        tracing::info!("Socket Mode connected");
                        followed = true;
                        if let Some((old, _)) = current.replace((conn, Instant::now())) {
                            draining.extend(old.close()); // drains on its own
                        }
                        let (conn, _) = current.as_mut().expect("just set");
                        follow(conn, stop).await
                    }
                },
            };
            let lived_long = followed
                && current
                    .as_ref()
                    .is_some_and(|(_, since)| since.elapsed() >= self.timing.stable_after);
            if lived_long {
                backoff.reset();
            }
            let wait = match next {
                Next::Stop => break,
                Next::Replace if lived_long => None,
                // Slack asked for it: the old socket closes soon, and after an outage the
                // reconnect wait may have grown to a minute. (It still grows, so a run of
                // such asks is paced; `apps.connections.open`'s own 429 paces it too.)
                Next::Replace => Some(backoff.next_wait().min(self.timing.replace_within)),
                Next::Lost(why) => {
                    tracing::warn!(why, "Socket Mode connection lost; reconnecting");
                    self.end(role, &mut current, &why);
                    Some(backoff.next_wait())
                }
                Next::Hopeless(why) => {
                    tracing::error!(why, "Socket Mode cannot connect until this is fixed");
                    self.end(role, &mut current, &why);
                    Some(backoff::jittered(self.timing.hopeless_retry))
                }
                Next::Failed(why, slack_wait) => {
                    tracing::warn!(why, "Socket Mode connection not made");
                    if role == Role::First {
                        self.health.problem_is(why);
                    }
                    Some(backoff.after_failure(slack_wait))
                }
            };
            if let Some(wait) = wait {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        }
        draining.extend(current.and_then(|(conn, _)| conn.close()));
        for task in draining {
            let _ = task.await;
        }
    }

    /// Closes the current connection (if any) and, for the first keeper, says why there is
    /// none (shown by `/healthz` while no socket is live: then the spares wait, and only the
    /// first keeper's reason is current).
    fn end(&self, role: Role, current: &mut Option<(Connection, Instant)>, why: &str) {
        if role == Role::First {
            self.health.problem_is(why);
        }
        if let Some((conn, _)) = current.take() {
            drop(conn.close());
        }
    }

    /// A new connection that has said hello.
    async fn connect(&self) -> Result<Connection, Next> {
        let url = self.opener.open().await.map_err(|e| match e {
            OpenError::Refused(_) => Next::Hopeless(e.to_string()),
            OpenError::Transient { why, retry_after } => Next::Failed(why, retry_after),
        })?;
        let hello_within = self.timing.hello_within;
        let socket =
            match tokio::time::timeout(hello_within, connect_async(&self.proxies, &url)).await {
                Ok(Ok(socket)) => socket,
                Ok(Err(e)) => return Err(Next::Failed(format!("socket not opened: {e}"), None)),
                Err(_) => return Err(Next::Failed("socket not opened in time".into(), None)),
            };
        let health = self.health.clone();
        let mut conn = Connection::spawn(socket, self.routes.clone(), health, self.timing);
        let first = tokio::time::timeout(hello_within, conn.notices.recv()).await;
        let next = match first {
            Ok(Some(Notice::Hello)) => return Ok(conn),
            // Turned away before hello (`too_many_websockets`, say): the connection we have,
            // if any, stays, and the next try waits its backoff.
            Ok(Some(Notice::Disconnect(reason))) => match disconnected(reason) {
                Next::Replace | Next::Lost(_) => {
                    Next::Failed("Slack closed the new socket before hello".into(), None)
                }
                other => other,
            },
            Ok(Some(Notice::Lost(why))) => Next::Failed(why, None),
            Ok(None) => Next::Failed("socket ended before hello".into(), None),
            Err(_) => Next::Failed("no hello from Slack".into(), None),
        };
        drop(conn.close());
        Err(next)
    }
}

/// Waits for what ends this connection's turn.
async fn follow(conn: &mut Connection, stop: &CancellationToken) -> Next {
    loop {
        let notice = tokio::select! {
            _ = stop.cancelled() => return Next::Stop,
            notice = conn.notices.recv() => notice,
        };
        match notice {
            Some(Notice::Hello) => {}
            Some(Notice::Disconnect(reason)) => return disconnected(reason),
            Some(Notice::Lost(why)) => return Next::Lost(why),
            None => return Next::Lost("socket ended".into()),
        }
    }
}

fn disconnected(reason: String) -> Next {
    if reason == "link_disabled" {
        return Next::Hopeless(TURNED_OFF.into());
    }

    tracing::info!(
        reason,
        "Slack asks for a new socket; opening it before closing this one"
    );
    Next::Replace
}

/// The URL carries a one-time ticket: it is never logged. Through the outbound proxy where
/// one is set, as every call to Slack.
async fn connect_async(
    proxies: &crate::config::Proxies,
    url: &str,
) -> Result<connection::Socket, String> {
    let tcp = proxies
        .tcp_to(url)
        .await
        .map_err(|e| crate::slack::proxy::with_causes(&*e))?;
    let (socket, _) = tokio_tungstenite::client_async_tls_with_config(url, tcp, None, None)
        .await
        .map_err(|e| crate::slack::proxy::with_causes(&e))?;
    Ok(socket)
}
