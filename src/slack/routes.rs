//! The HTTP service: method + path -> read the body within limits -> verify the signature ->
//! decode -> handler -> answer. Slack waits 3 seconds at most, so nothing here calls Slack
//! but `views.open` (a modal must open within the trigger's 3 seconds: see `forms`):
//! messages to post go to the outbox and the delivery worker is woken. Interactions (buttons,
//! shortcuts, modals) are answered in `interactions`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::Notify;

use super::client::SlackApi;
use super::payload::{self, EventsBody, SlashCommand};
use super::render::{self, Look};
use super::reply_cache::{Key, ReplyCache};
use super::verify::{SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier};
use crate::clock::SharedClock;
use crate::commands::{self, Command};
use crate::domain::{ChannelId, Rules, TeamId, UserId};
use crate::handlers::{self, Ctx, Event, EventOutcome};
use crate::message::Reply;
use crate::store::AsyncStore;
use crate::web::{Catalogue, CataloguePath};

/// Largest body we read. Slack's payloads are a few KB; interaction payloads carry the whole
/// message they came from, which stays well under this.
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// How long `/healthz` waits for the database before saying it is unavailable.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client may take to send its body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

pub type HttpResponse = Response<Full<Bytes>>;

/// What every request needs, built once at start.
pub struct Routes {
    pub verifier: Verifier,
    pub db: AsyncStore,
    pub look: Look,
    pub rules: Arc<Rules>,
    /// Time for what is recorded (signatures are checked against the real time).
    pub clock: SharedClock,
    /// Answers to read-only commands, until the next write.
    pub cache: ReplyCache,
    /// Woken after a write that may have queued a message.
    pub outbox: Arc<Notify>,
    /// The public catalogue's pages and data.
    pub catalogue: Catalogue,
    /// The Web API, for `views.open` and `views.publish` only (everything else goes through
    /// the outbox).
    pub api: SlackApi,
    /// `/slack/install` and its callback, when OAuth is on (else both are 404).
    pub oauth: Option<super::oauth::OAuth>,
}

#[derive(Clone, Copy)]
enum SlackRoute {
    Events,
    Commands,
    Interactions,
}

impl Routes {
    /// Answers one request. Never fails: every problem is an HTTP status.
    pub async fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
    ) -> Result<HttpResponse, Infallible> {
        let route = match (req.method(), req.uri().path()) {
            (&Method::POST, "/slack/events") => SlackRoute::Events,
            (&Method::POST, "/slack/commands") => SlackRoute::Commands,
            (&Method::POST, "/slack/interactions") => SlackRoute::Interactions,
            (&Method::GET | &Method::HEAD, "/healthz") => return Ok(self.health().await),
            (&Method::GET, "/slack/install") if let Some(oauth) = &self.oauth => {
                return Ok(oauth.install().await);
            }
            (&Method::GET, super::oauth::CALLBACK_PATH) if let Some(oauth) = &self.oauth => {
                return Ok(oauth.callback(req.uri().query()).await);
            }
            (_, "/slack/install" | super::oauth::CALLBACK_PATH) if self.oauth.is_some() => {
                return Ok(method_not_allowed("GET"));
            }
            (method, path) if let Some(page) = CataloguePath::of(path) => {
                if method != Method::GET && method != Method::HEAD {
                    return Ok(method_not_allowed("GET, HEAD"));
                }
                let query = req.uri().query();
                return Ok(self.catalogue.answer(page, query, req.headers()).await);
            }
            (_, "/slack/events" | "/slack/commands" | "/slack/interactions") => {
                return Ok(method_not_allowed("POST"));
            }
            (_, "/healthz") => return Ok(method_not_allowed("GET, HEAD")),
            _ => return Ok(status(StatusCode::NOT_FOUND, "not found")),
        };
        let body = match self.verified_body(req).await {
            Ok(body) => body,
            Err(resp) => return Ok(resp),
        };
        Ok(match route {
            SlackRoute::Events => self.events(&body).await,
            SlackRoute::Commands => self.command(&body).await,
            SlackRoute::Interactions => self.interaction(&body).await,
        })
    }

    async fn health(&self) -> HttpResponse {
        // A database thread stuck on a lock must make the check fail, not hang.
        let healthy = tokio::time::timeout(HEALTH_TIMEOUT, self.db.is_healthy()).await;
        if healthy == Ok(true) {
            status(StatusCode::OK, "ok")
        } else {
            status(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }

    /// Reads the body (413 past the limit, 408 if too slow) and checks its signature (401).
    /// Only a body that passes comes back, as text (Slack sends UTF-8; anything else is 400).
    async fn verified_body(&self, req: Request<Incoming>) -> Result<String, HttpResponse> {
        let (parts, body) = req.into_parts();
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        let collected = tokio::time::timeout(
            BODY_READ_TIMEOUT,
            Limited::new(body, MAX_BODY_BYTES).collect(),
        )
        .await
        .map_err(|_| status(StatusCode::REQUEST_TIMEOUT, "body too slow"))?;
        let bytes = match collected {
            Ok(c) => c.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return Err(status(StatusCode::PAYLOAD_TOO_LARGE, "body too large"));
            }
            Err(_) => return Err(status(StatusCode::BAD_REQUEST, "unreadable body")),
        };
        let now = Utc::now().timestamp();
        if let Err(why) = self.verifier.verify(
            header(SIGNATURE_HEADER),
            header(TIMESTAMP_HEADER),
            &bytes,
            now,
        ) {
            tracing::warn!(path = parts.uri.path(), %why, "refused unsigned request");
            return Err(status(StatusCode::UNAUTHORIZED, "invalid signature"));
        }
        String::from_utf8(bytes.to_vec())
            .map_err(|_| status(StatusCode::BAD_REQUEST, "body is not UTF-8"))
    }

    async fn events(&self, body: &str) -> HttpResponse {
        let (team, event_id, event) = match payload::decode_events(body) {
            Ok(EventsBody::UrlVerification { challenge }) => {
                return json(serde_json::json!({ "challenge": challenge }));
            }
            Ok(EventsBody::RateLimited) => {
                tracing::warn!("Slack reports our app is rate limited for events");
                return status(StatusCode::OK, "");
            }
            Ok(EventsBody::HomeOpened { team, user }) => {
                self.publish_home(team, user);
                return status(StatusCode::OK, "");
            }
            Ok(EventsBody::Removed { team, removal }) => return self.removed(team, removal).await,
            Ok(EventsBody::Ignored | EventsBody::Callback { event: None, .. }) => {
                return status(StatusCode::OK, "");
            }
            Ok(EventsBody::Callback {
                team,
                event_id,
                event: Some(event),
            }) if event.concerns_us(&self.rules) => (team, event_id, event),
            // Most reactions in a workspace are not the join emoji: nothing to record.
            Ok(EventsBody::Callback { .. }) => return status(StatusCode::OK, ""),
            Err(e) => {
                // Signed by Slack yet undecodable: a retry would not help, so say 200.
                tracing::warn!(error = %e, "undecodable event body");
                return status(StatusCode::OK, "");
            }
        };
        self.apply_event(team, event_id, event).await
    }

    /// Applies a decoded event once; 500 (so Slack retries) if nothing could be recorded.
    async fn apply_event(&self, team: TeamId, event_id: String, event: Event) -> HttpResponse {
        let Event {
            user,
            channel,
            kind,
        } = event;
        let ctx = self.ctx(team, user, channel);
        let id = event_id.clone();
        match self
            .db
            .write(move |tx| handlers::handle_event(tx, &ctx, &event_id, kind))
            .await
        {
            Ok(EventOutcome::Applied) => {
                self.outbox.notify_one();
                status(StatusCode::OK, "")
            }
            Ok(EventOutcome::Duplicate) => {
                tracing::info!(event_id = id, "retried delivery ignored");
                status(StatusCode::OK, "")
            }
            Err(e) => {
                // Nothing was recorded (the transaction rolled back): let Slack retry.
                tracing::error!(event_id = id, error = format!("{e:#}"), "event failed");
                status(StatusCode::INTERNAL_SERVER_ERROR, "")
            }
        }
    }

    async fn command(&self, body: &str) -> HttpResponse {
        let cmd = match payload::decode_command(body) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "undecodable slash command");
                return self.ephemeral(&Reply::Internal);
            }
        };
        if super::forms::asks_for_pitch_form(&cmd.text) {
            return self.open_pitch_form_for(cmd).await;
        }
        match commands::parse(&cmd.text) {
            Ok(command) if command.is_read_only() => self.read_command(cmd, command).await,
            Ok(command) => self.write_command(cmd, command).await,
            Err(e) => self.ephemeral(&handlers::problem(e)),
        }
    }

    /// A command that only reads: answered from the reply cache while nothing has been
    /// written since (nor a minute passed), else from a read connection.
    async fn read_command(&self, cmd: SlashCommand, command: Command) -> HttpResponse {
        let key = Key {
            team: cmd.team.to_string(),
            user: cmd.user.to_string(),
            channel: cmd.channel.to_string(),
            text: cmd.text.trim().to_string(),
        };
        let ctx = self.ctx(cmd.team, cmd.user, cmd.channel);
        let (generation, minute) = (self.db.generation(), ctx.now().div_euclid(60));
        if let Some(body) = self.cache.get(&key, generation, minute) {
            return json_bytes(body);
        }
        let reply = self
            .db
            .read(move |c| handlers::run_command(c, &ctx, command))
            .await
            .unwrap_or_else(internal);
        let body = self.ephemeral_bytes(&reply);
        if reply != Reply::Internal {
            self.cache.put(key, generation, minute, body.clone());
        }
        json_bytes(body)
    }

    async fn write_command(&self, cmd: SlashCommand, command: Command) -> HttpResponse {
        let ctx = self.ctx(cmd.team, cmd.user, cmd.channel);
        let write_ctx = ctx.clone();
        let reply = self
            .db
            .write(move |tx| handlers::run_command(tx, &write_ctx, command))
            .await
            .unwrap_or_else(internal);
        self.outbox.notify_one();
        let reply = self.with_similar(ctx, reply).await;
        json_bytes(self.ephemeral_bytes(&reply))
    }

    /// A pitch's answer gains the similar projects, read after its write has committed (off
    /// the single writer thread). If that read fails, the pitch stands and is answered as is.
    async fn with_similar(&self, ctx: Ctx, reply: Reply) -> Reply {
        if !handlers::looks_for_similar(&reply) {
            return reply;
        }
        let fallback = reply.clone();
        match self
            .db
            .read(move |c| handlers::with_similar(c, &ctx, reply))
            .await
        {
            Ok(reply) => reply,
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "similar projects not found");
                fallback
            }
        }
    }

    /// The context of a request received now.
    pub(super) fn ctx(&self, team: TeamId, user: UserId, channel: ChannelId) -> Ctx {
        Ctx {
            team,
            user,
            channel,
            at: self.clock.now(),
            rules: self.rules.clone(),
        }
    }

    fn ephemeral_bytes(&self, reply: &Reply) -> Bytes {
        Bytes::from(render::ephemeral_json(&render::reply_message(
            reply, &self.look,
        )))
    }

    pub(super) fn ephemeral(&self, reply: &Reply) -> HttpResponse {
        json_bytes(self.ephemeral_bytes(reply))
    }
}

/// An internal failure: logged with its cause chain; the user sees a short generic line.
pub(super) fn internal(e: anyhow::Error) -> Reply {
    tracing::error!(error = format!("{e:#}"), "command failed");
    Reply::Internal
}

pub(super) fn json(value: serde_json::Value) -> HttpResponse {
    json_body(value.to_string())
}

fn json_body(body: String) -> HttpResponse {
    json_bytes(Bytes::from(body))
}

fn json_bytes(body: Bytes) -> HttpResponse {
    let mut resp = Response::new(Full::new(body));
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(super) fn status(code: StatusCode, text: &'static str) -> HttpResponse {
    let mut resp = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *resp.status_mut() = code;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let mut resp = status(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    resp.headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    resp
}
