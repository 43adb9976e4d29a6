//! The HTTP service: method + path -> read the body within limits -> verify the signature ->
//! decode -> the transport-free dispatch (`dispatch`, `interactions`) -> its [`Answer`] as
//! a status and body. Slack waits 3 seconds at most, so nothing here calls Slack
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

use super::answer::Answer;
use super::client::SlackApi;
use super::payload;
use super::refusal_log::RefusalLog;
use super::render::{self, Look};
use super::reply_cache::ReplyCache;
use super::socket::{self, SocketHealth};
use super::verify::{SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier};
use crate::clock::SharedClock;
use crate::domain::{ChannelId, Rules, TeamId, UserId};
use crate::handlers::Ctx;
use crate::message::Reply;
use crate::store::{AsyncStore, WriteProbe};
use crate::web::{Catalogue, CataloguePath};

/// Largest body we read. Slack's payloads are a few KB; interaction payloads carry the whole
/// message they came from, which stays well under this.
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// How long `/healthz` waits for the database before saying it is unavailable.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client may take to send its body. Slack sends it at once and waits 3 s for
/// the answer, so a slower body is no request of Slack's; a client trickling bodies holds a
/// connection slot no longer than this (it was 10 s: 128 such clients held every slot with
/// 13 connections a second).
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(3);

pub type HttpResponse = Response<Full<Bytes>>;

/// What every request needs, built once at start.
pub struct Routes {
    /// `None` with Socket Mode only: the Slack HTTP routes then answer 404.
    pub verifier: Option<Verifier>,
    /// `Some` with Socket Mode on: `/healthz` also says whether the socket is connected.
    pub socket: Option<SocketHealth>,
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
    /// Whether posts went out that the database could not record (then `/healthz` is 503).
    pub unrecorded: super::delivery::Unrecorded,
    /// `/slack/install` and its callback, when OAuth is on (else both are 404).
    pub oauth: Option<super::oauth::OAuth>,
    /// The last check of the database `/healthz` made (see [`DatabaseCheck`]).
    pub database_check: DatabaseCheck,
    /// Publishes people's Homes (see [`super::home::HomePublisher`]).
    pub homes: Arc<super::home::HomePublisher>,
    /// Requests left running after their client hung up (see [`super::observe`]).
    pub detached: super::observe::DetachedTurns,
    /// When Slack said lately that each person's account is active (see
    /// [`super::in_slack::ActiveHeard`]).
    pub active: super::in_slack::ActiveHeard,
    /// The organisation each installation was last recorded in by an event.
    pub orgs: super::dispatch::OrgsNoted,
}

/// The database's state as `/healthz` last checked it, shared by the checks of one second.
/// Each check is a write (with its sync) under the lock Slack's writes take: anonymous
/// requests, however many, make one a second, one at a time, and never queue up in front
/// of Slack's.
#[derive(Default)]
pub struct DatabaseCheck {
    last: Arc<tokio::sync::Mutex<LastCheck>>,
}

#[derive(Default)]
struct LastCheck {
    checked: Option<Checked>,
    /// The write probe a check gave up waiting for, still waiting for the writer (it cannot
    /// be called off): the next check waits on it rather than start another, which would
    /// queue behind it, one more each second a writer is stuck, and each commit once let in.
    probe: Option<WriteProbe>,
}

/// When the database was last checked, and what was found.
type Checked = (std::time::Instant, Result<(), &'static str>);

/// How long a check of the database answers `/healthz`.
const DATABASE_CHECK_FRESH: Duration = Duration::from_secs(1);

#[derive(Clone, Copy)]
enum SlackRoute {
    Events,
    Commands,
    Interactions,
}

impl Routes {
    /// Answers one request. Never fails: every problem is an HTTP status. (Requests come in
    /// through `observe`, which counts and times them.)
    pub(super) async fn answer(
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
                if method == Method::OPTIONS
                    && let Some(preflight) = crate::web::preflight(&page)
                {
                    return Ok(preflight);
                }
                if method != Method::GET && method != Method::HEAD {
                    // A path that can name nothing is unknown, 404 as for GET; 405 is for a
                    // page that is, or may be, there.
                    if page.is_nothing() {
                        return Ok(status(StatusCode::NOT_FOUND, "not found"));
                    }
                    return Ok(method_not_allowed("GET, HEAD"));
                }
                let query = req.uri().query();
                return Ok(self.catalogue.answer(page, query, req.headers()).await);
            }
            // Served only with a signing secret (Socket Mode alone: not served, 404).
            (_, "/slack/events" | "/slack/commands" | "/slack/interactions")
                if self.verifier.is_some() =>
            {
                return Ok(method_not_allowed("POST"));
            }
            (_, "/healthz") => return Ok(method_not_allowed("GET, HEAD")),
            // A page a person asked for that is nothing: the catalogue's own 404 page, with
            // the way to the catalogue.
            (&Method::GET | &Method::HEAD, path)
                if let Some(page) = CataloguePath::nowhere(path) =>
            {
                return Ok(self.catalogue.answer(page, None, req.headers()).await);
            }
            _ => return Ok(status(StatusCode::NOT_FOUND, "not found")),
        };
        let Some(verifier) = &self.verifier else {
            return Ok(status(StatusCode::NOT_FOUND, "not found"));
        };
        // Slack's retry of a request it had no answer to in time, said once the request is
        // known to be Slack's (anyone may send the header), as Socket Mode says an envelope
        // delivered again.
        let retry = retry_of(req.headers());
        // Slack's 3 seconds count from its head (the body may have been slow to come).
        let asked = super::answer::Asked::at(
            req.extensions()
                .get::<super::server::HeadRead>()
                .map_or_else(std::time::Instant::now, |head| head.0),
        );
        let body = match self.verified_body(verifier, route, req).await {
            Ok(body) => body,
            Err(resp) => return Ok(resp),
        };
        if let Some((retry_num, reason)) = retry {
            tracing::info!(retry_num, reason, "request delivered again");
        }
        // Signed by Slack yet undecodable: logged as an error, as over Socket Mode, so the
        // loss is seen (a retry would read no better).
        let not_understood = |e: &dyn std::fmt::Display| {
            tracing::error!(error = %e, "signed request not understood; answered and not acted on");
        };
        let answer = match route {
            SlackRoute::Events => match payload::decode_events(&body) {
                Ok(events) => self.event(events).await,
                Err(e) => {
                    not_understood(&e);
                    Answer::Done
                }
            },
            SlackRoute::Commands => match payload::decode_command(&body) {
                Ok(cmd) => self.command(cmd, asked).await,
                // Not a slash command's form: the sender's mistake, not ours.
                Err(e) => {
                    not_understood(&e);
                    let bad = status(StatusCode::BAD_REQUEST, "malformed slash command");
                    return Ok(signed(bad));
                }
            },
            SlackRoute::Interactions => match payload::decode_interaction(&body) {
                Ok(interaction) => self.interaction(interaction, asked).await,
                Err((e, form_block)) => {
                    not_understood(&e);
                    super::forms::unreadable(form_block)
                }
            },
        };
        Ok(signed(http(answer)))
    }

    /// The database's state, checked at most once a second ([`DatabaseCheck`]).
    async fn database_state(self: &Arc<Self>) -> Result<(), &'static str> {
        let mut last = self.database_check.last.clone().lock_owned().await;
        if let Some((at, state)) = last.checked
            && at.elapsed() < DATABASE_CHECK_FRESH
        {
            return state;
        }
        // Checked and kept in a task of its own, which holds the lock: a `/healthz` goes
        // with its client, and the next one would otherwise start another check, so a flood
        // of them hanging up would queue a probe each in front of Slack's writes.
        let routes = self.clone();
        let check = tokio::spawn(async move {
            let state = routes.check_database(&mut last.probe).await;
            last.checked = Some((std::time::Instant::now(), state));
            state
        });
        check.await.unwrap_or(Err("database unavailable"))
    }

    /// `probe`: the write probe an earlier check left running, if any (see [`LastCheck`]).
    async fn check_database(&self, probe: &mut Option<WriteProbe>) -> Result<(), &'static str> {
        // A database thread stuck on a lock must make the check fail, not hang.
        let healthy = tokio::time::timeout(HEALTH_TIMEOUT, self.db.is_healthy()).await;
        if healthy != Ok(true) {
            return Err("database unavailable");
        }
        // Reads are not enough: a full disk or a read-only file answers reads and refuses
        // every write (the bot would then say "something went wrong" to everyone). One that
        // ended since the last check answered then: a new one says what holds now.
        let mut running = match probe.take() {
            Some(running) if !running.is_finished() => running,
            _ => self.db.write_probe(self.clock.now().timestamp()),
        };
        match tokio::time::timeout(HEALTH_TIMEOUT, &mut running).await {
            Ok(ended) => match AsyncStore::probed(ended) {
                Ok(()) => Ok(()),
                // Waited out its busy timeout behind another process's lock (a check that
                // found it still running waited on it): what waiting clears, said as the
                // check that gave up on it said it, not as a disk that refuses writes.
                Err(e) if crate::store::is_busy(&e) => Err("database write timed out"),
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "the database refuses writes");
                    Err("database cannot be written")
                }
            },
            Err(_) => {
                *probe = Some(running);
                Err("database write timed out")
            }
        }
    }

    async fn health(self: &Arc<Self>) -> HttpResponse {
        if let Err(why) = self.database_state().await {
            return status(StatusCode::SERVICE_UNAVAILABLE, why);
        }
        if let Err(why) = self.unrecorded.status() {
            return status(StatusCode::SERVICE_UNAVAILABLE, why);
        }
        // The bot serves, but nothing reaches the bucket and the log only grows: a machine
        // lost now loses everything since Litestream stopped.
        if let Some(late) = self.db.litestream_late(self.clock.now().timestamp()) {
            return status(StatusCode::SERVICE_UNAVAILABLE, late.to_string());
        }
        match self.socket.as_ref().map(SocketHealth::status) {
            // Socket Mode turned off in the app's settings, with the HTTP routes served too:
            // Slack sends over HTTP then, so the bot is serving; it says so.
            Some(Err(why)) if self.verifier.is_some() && why == socket::TURNED_OFF => status(
                StatusCode::OK,
                format!("ok (over HTTP; socket mode not connected: {why})"),
            ),
            Some(Err(why)) => status(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("socket mode not connected: {why}"),
            ),
            None | Some(Ok(())) => status(StatusCode::OK, "ok"),
        }
    }

    /// Reads the body (413 past the limit, 408 if too slow) and checks its signature (401).
    /// Only a body that passes comes back, as text (Slack sends UTF-8; anything else is 400);
    /// Slack's `ssl_check` is answered 200 here.
    async fn verified_body(
        &self,
        verifier: &Verifier,
        route: SlackRoute,
        req: Request<Incoming>,
    ) -> Result<String, HttpResponse> {
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
        // Slack's check of the command URL's certificate (public distribution only): a form
        // of `ssl_check=1` and a token, to be answered 200 (../shared/SLACK.md §1, "ssl_check").
        // Answered before the signature, as bolt does, since nothing is acted on; only that
        // form (no `command` field), so no command gets past the check this way. It was a 400
        // with the ERROR line of a lost request (or a 401 with a WARN).
        if matches!(route, SlackRoute::Commands) && payload::is_ssl_check(&bytes) {
            tracing::debug!("answered Slack's ssl_check");
            return Err(status(StatusCode::OK, ""));
        }
        let now = Utc::now().timestamp();
        if let Err(why) = verifier.verify(
            header(SIGNATURE_HEADER),
            header(TIMESTAMP_HEADER),
            &bytes,
            now,
        ) {
            // Anyone can send these: a line a minute, not a line each (see `refusal_log`).
            static UNSIGNED: RefusalLog = RefusalLog::new();
            if let Some(unlogged) = UNSIGNED.at(now) {
                tracing::warn!(path = parts.uri.path(), %why, unlogged, "refused unsigned request");
            }
            return Err(status(StatusCode::UNAUTHORIZED, "invalid signature"));
        }
        String::from_utf8(bytes.to_vec())
            .map_err(|_| signed(status(StatusCode::BAD_REQUEST, "body is not UTF-8")))
    }

    /// The context of a request received now.
    pub(super) fn ctx(&self, team: TeamId, user: UserId, channel: ChannelId) -> Ctx {
        Ctx::new(team, user, channel, self.clock.now(), self.rules.clone())
    }

    pub(super) fn ephemeral_bytes(&self, reply: &Reply) -> Bytes {
        Bytes::from(render::ephemeral_json(&render::reply_message(
            reply, &self.look,
        )))
    }

    /// A command's answer: `reply`, seen only by whoever typed it.
    pub(super) fn ephemeral(&self, reply: &Reply) -> Answer {
        Answer::Reply(self.ephemeral_bytes(reply))
    }
}

/// The HTTP form of an answer.
/// Marks the answer to a request whose signature passed: Slack's, so `/metrics` times it
/// as an ack (see `observe`); an unsigned one, which anyone can send, is only counted.
#[derive(Clone, Copy)]
pub(super) struct Signed;

fn signed(mut resp: HttpResponse) -> HttpResponse {
    resp.extensions_mut().insert(Signed);
    resp
}

fn http(answer: Answer) -> HttpResponse {
    match answer {
        Answer::Done => status(StatusCode::OK, ""),
        Answer::Reply(body) => json_bytes(body),
        Answer::Retry => status(StatusCode::INTERNAL_SERVER_ERROR, ""),
    }
}

/// An internal failure: logged with its cause chain; the user sees a short generic line.
pub(super) fn internal(e: anyhow::Error) -> Reply {
    tracing::error!(error = format!("{e:#}"), "command failed");
    Reply::Internal
}

fn json_bytes(body: Bytes) -> HttpResponse {
    let mut resp = Response::new(Full::new(body));
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(super) fn status(code: StatusCode, text: impl Into<Bytes>) -> HttpResponse {
    let mut resp = Response::new(Full::new(text.into()));
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

/// Slack's `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (`http_timeout`, …), if this is a
/// retry: a number, and the reason cut short (the header is anyone's until the signature is
/// checked).
fn retry_of(headers: &hyper::HeaderMap) -> Option<(u32, String)> {
    let num = headers
        .get("x-slack-retry-num")?
        .to_str()
        .ok()?
        .parse()
        .ok()?;
    let reason = headers
        .get("x-slack-retry-reason")
        .and_then(|r| r.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    Some((num, reason))
}
