//! A local stand-in for Slack's Web API (`https://slack.com/api/`): a real HTTP server on
//! 127.0.0.1 that answers the methods makers-bot calls as Slack would, records every call,
//! and can be told to fail. The tests and the no-Slack demo share it.
//!
//! - Every call is first checked as Slack would: a bot token (`not_authed`, `not_allowed_token_type`,
//!   and `invalid_auth` for one the fake was not told of, once it was told of any), a JSON body
//!   said to be JSON, and what the method needs (a channel, text or blocks within Slack's
//!   limits, a trigger id…). A refused call is recorded and takes no script.
//! - `chat.postMessage`, `chat.postEphemeral` and anything else: `ok` with a fresh `ts`.
//! - `users.info`: a person, unless [`FakeSlack::add_bot`] said otherwise; `deleted` if
//!   [`FakeSlack::deactivate`] said so.
//! - `reactions.get`: the message with the reactions [`FakeSlack::reactions_on`] put on it
//!   (Slack's shape: `type`, `channel`, `message` with `reactions` of `name`, `users`,
//!   `count`; none given, the message has no `reactions`).
//! - `conversations.info`: a public channel, unless [`FakeSlack::private_channel`],
//!   [`FakeSlack::hidden_channel`] (`channel_not_found`) or [`FakeSlack::shared_channel`] said
//!   otherwise.
//! - [`FakeSlack::script`] / [`FakeSlack::always`]: a 429, an `ok: false` code, a bare status,
//!   a slow answer, or one held until the test [releases](FakeSlack::release) it.
//! - `oauth.v2.access`: a bot token for a `code` given with [`FakeSlack::grant`] (once, as
//!   Slack's codes are single use), else `invalid_code`.
//! - [`FakeSlack::socket_mode`]: a Socket Mode server (`socket`), which
//!   `apps.connections.open` then points at.
//! - [`FakeSlack::bot_in_no_channel`]: as a freshly installed app, the bot is in no channel
//!   until it calls `conversations.join`; posts to a channel (`C…`) before that get
//!   `not_in_channel`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

mod grant;
mod socket;

pub use grant::Grant;
pub use socket::{FakeSocket, HELLO, Received};

/// A call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub authorization: Option<String>,
    /// Its arguments: the JSON body, or the query string of a GET such as `users.info`. A call
    /// answered `ok` with a ts also has `_answered_ok: true` and `_ts` here.
    pub body: Value,
    /// What the fake answered.
    pub answer: Value,
    /// When its request arrived (before the body was read).
    pub received: Instant,
    /// When it was answered.
    pub at: Instant,
}

impl Call {
    /// The ts the fake gave a message it accepted.
    pub fn ts(&self) -> Option<&str> {
        self.body["_ts"].as_str()
    }

    /// The `ok: false` code the fake answered with, if any.
    pub fn error(&self) -> Option<&str> {
        self.answer["error"].as_str()
    }
}

/// How the fake answers the next call of a method.
#[derive(Debug, Clone)]
pub enum Script {
    /// HTTP 429 with `Retry-After: secs`.
    RateLimited(u64),
    /// HTTP 200 `{"ok": false, "error": code}`.
    Error(&'static str),
    /// A bare HTTP status (500, 503, …).
    Status(u16),
    /// Success, with this ts instead of a fresh one.
    OkWithTs(&'static str),
    /// The usual answer, after this many milliseconds (a slow Slack).
    Slow(u64),
    /// The usual answer, once the test says so ([`FakeSlack::release`]): a call held at Slack
    /// for as long as the test takes to act while it is there, where a [`Script::Slow`] ends
    /// after a time a loaded machine may outlast. (The bot gives a call up after 10 s.)
    Held,
    /// Success as briefly as it can be said: `{"ok": true}` and, for a message, its `ts`,
    /// nothing else (fields a client should not need).
    OkBare,
    /// HTTP 200 with an HTML page, not Slack's JSON (a proxy in the way).
    NotJson,
}

/// One emoji on a message, and who reacted with it.
type Reacted = (String, Vec<String>);

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    scripts: HashMap<String, VecDeque<Script>>,
    /// A method that fails with this script on every call until healed.
    always: HashMap<String, Script>,
    /// Users `users.info` reports as bots.
    bots: Vec<String>,
    /// Users `users.info` reports as deactivated (`deleted: true`).
    deactivated: HashSet<String>,
    /// Channels `conversations.info` reports as private.
    private: HashSet<String>,
    /// Channels `conversations.info` does not show the bot (`channel_not_found`): private
    /// ones it is not in.
    hidden: HashSet<String>,
    /// Channels `conversations.info` reports as shared with another organisation (`is_shared` and `is_ext_shared`).
    shared: HashSet<String>,
    /// Channels archived: posts there are refused (`is_archived`), and `conversations.info`
    /// says so.
    archived: HashSet<String>,
    /// Channels whose posting is restricted for the bot: posts there are refused with the
    /// code (`restricted_action_read_only_channel`, say).
    restricted: HashMap<String, String>,
    /// The reactions on each message (channel, ts), as `reactions.get` says: by emoji name,
    /// who reacted with it, in order.
    reactions: HashMap<(String, String), Vec<Reacted>>,
    /// `Some`: the channels the bot has joined (and only those take posts).
    joined: Option<HashSet<String>>,
    /// `oauth.v2.access` answers by code, each given once.
    grants: HashMap<String, Value>,
    next_ts: u64,
    /// Where `apps.connections.open` points, once [`FakeSlack::socket_mode`] started it.
    socket_url: Option<String>,
    /// The workspace each bot token is for, as `auth.test` says (`Bearer` and all).
    token_teams: HashMap<String, String>,
    /// By method, the calls held by a [`Script::Held`] and not yet answered.
    held: HashMap<String, usize>,
    /// By method, what lets held calls be answered: a permit for each release.
    releases: HashMap<String, Arc<Semaphore>>,
}

/// How long a call waits before it is answered.
enum Wait {
    /// This many milliseconds ([`Script::Slow`]).
    For(u64),
    /// Until a permit is given ([`Script::Held`], [`FakeSlack::release`]).
    Released(Arc<Semaphore>),
}

/// The stand-in; cheap to clone (clones share the same server and record).
#[derive(Clone)]
pub struct FakeSlack {
    /// Base URL to give the bot as `SLACK_API_URL`, with a trailing slash.
    pub url: String,
    state: Arc<Mutex<State>>,
    _stop: Arc<StopOnDrop>,
    stop: CancellationToken,
}

/// Stops the server when the last clone of the fake is dropped.
struct StopOnDrop(CancellationToken);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

impl FakeSlack {
    /// Starts the server on a free loopback port, on a thread of its own: it answers a call
    /// when the call arrives, as Slack would, also while its caller's thread is busy (a test
    /// on a one-thread runtime would otherwise have it answered, by the scripts of that time,
    /// only when the test next waits).
    pub async fn start() -> FakeSlack {
        let state = Arc::new(Mutex::new(State::default()));
        let stop = CancellationToken::new();
        let (serving, stopping) = (state.clone(), stop.clone());
        let addr = on_own_thread("fake-slack", move |listener| {
            serve(listener, serving, stopping)
        });
        FakeSlack {
            url: format!("http://{addr}/api/"),
            state,
            _stop: Arc::new(StopOnDrop(stop.clone())),
            stop,
        }
    }

    /// `apps.connections.open` answers with `url` (plus a ticket) from now on: a Socket Mode
    /// server of the caller's own (the load bench plays Slack's).
    pub fn socket_mode_at(&self, url: &str) {
        self.state().socket_url = Some(url.to_string());
    }

    /// Starts a Socket Mode server; `apps.connections.open` answers with its URL from now on.
    pub async fn socket_mode(&self) -> FakeSocket {
        let socket = FakeSocket::start(self.stop.clone()).await;
        self.state().socket_url = Some(socket.url.clone());
        socket
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next call of `method` gets `script` (queued in order).
    pub fn script(&self, method: &str, script: Script) {
        self.state()
            .scripts
            .entry(method.into())
            .or_default()
            .push_back(script);
    }

    /// How many scripts for `method` are still to be used. A [`Script::Slow`] is used when its
    /// call arrives, so once it is, that call is being answered (the bot's request is on its
    /// way, its answer not yet back).
    pub fn scripts_left(&self, method: &str) -> usize {
        self.state().scripts.get(method).map_or(0, |q| q.len())
    }

    /// How many calls of `method` are held at Slack by a [`Script::Held`], unanswered until
    /// [`FakeSlack::release`] (the bot's request arrived, its answer not yet sent).
    pub fn held(&self, method: &str) -> usize {
        self.state().held.get(method).copied().unwrap_or(0)
    }

    /// Lets one call of `method` held by a [`Script::Held`] be answered, as usual: the one
    /// held now, or, if none is yet, the next to be held.
    pub fn release(&self, method: &str) {
        self.state().gate(method).add_permits(1);
    }

    /// Every call of `method` gets `script` until [`FakeSlack::heal`].
    pub fn always(&self, method: &str, script: Script) {
        self.state().always.insert(method.into(), script);
    }

    /// Ends [`FakeSlack::always`] for `method`: it answers normally again.
    pub fn heal(&self, method: &str) {
        self.state().always.remove(method);
    }

    /// Says (in `auth.test`) that bot token `token` is workspace `team`'s.
    pub fn token_is_for(&self, token: &str, team: &str) {
        self.state()
            .token_teams
            .insert(format!("Bearer {token}"), team.to_string());
    }

    /// `users.info` will say this user is a bot.
    pub fn add_bot(&self, user: &str) {
        self.state().bots.push(user.into());
    }

    /// `users.info` will say this user's account is deactivated (`deleted: true`).
    pub fn deactivate(&self, user: &str) {
        self.state().deactivated.insert(user.into());
    }

    /// `conversations.info` says `channel` is private from now on.
    pub fn private_channel(&self, channel: &str) {
        self.state().private.insert(channel.into());
    }

    /// `conversations.info` does not show the bot `channel` from now on (a private channel
    /// it is not a member of).
    pub fn hidden_channel(&self, channel: &str) {
        self.state().hidden.insert(channel.into());
    }

    /// `conversations.info` says `channel` is shared with another organisation from now on (`is_shared`, `is_ext_shared`).
    pub fn shared_channel(&self, channel: &str) {
        self.state().shared.insert(channel.into());
    }

    /// `channel` is archived from now on: posts there are refused with `is_archived`.
    pub fn archived_channel(&self, channel: &str) {
        self.state().archived.insert(channel.into());
    }

    /// Posting in `channel` is restricted for the bot from now on (`code`: Slack's kind of
    /// restriction, `restricted_action_read_only_channel` say), until [`Self::unrestrict`].
    pub fn restricted_channel(&self, channel: &str, code: &str) {
        self.state().restricted.insert(channel.into(), code.into());
    }

    /// Posting in `channel` is no longer restricted.
    pub fn unrestrict(&self, channel: &str) {
        self.state().restricted.remove(channel);
    }

    /// From now on the bot is in no channel until it joins one.
    pub fn bot_in_no_channel(&self) {
        self.state().joined = Some(HashSet::new());
    }

    /// `oauth.v2.access` with `code` will install `grant` (once).
    pub fn grant(&self, code: &str, grant: Grant) {
        self.state().grants.insert(code.into(), grant.answer());
    }

    /// `oauth.v2.access` with `code` answers exactly `answer` (one of Slack's samples).
    pub fn grant_answer(&self, code: &str, answer: Value) {
        self.state().grants.insert(code.into(), answer);
    }

    /// `reactions.get` says from now on that the message `ts` in `channel` has the reaction
    /// `name` from `users` (none: that reaction is off it), as Slack would show it whether or
    /// not the bot was told (its events come only from channels it is in).
    pub fn reactions_on(&self, channel: &str, ts: &str, name: &str, users: &[&str]) {
        let mut s = self.state();
        let on = s.reactions.entry((channel.into(), ts.into())).or_default();
        let users: Vec<String> = users.iter().map(|u| u.to_string()).collect();
        match on.iter_mut().find(|(n, _)| n == name) {
            Some((_, was)) => *was = users,
            None => on.push((name.into(), users)),
        }
        on.retain(|(_, users)| !users.is_empty());
    }

    /// The calls of `method`, oldest first.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        let s = self.state();
        s.calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Every call, oldest first.
    pub fn all_calls(&self) -> Vec<Call> {
        self.state().calls.clone()
    }
}

/// Binds a free loopback port and runs `server` on it on a thread of its own, with a runtime
/// of its own (see [`FakeSlack::start`]); returns the port's address.
pub(crate) fn on_own_thread<F, S>(name: &str, server: S) -> std::net::SocketAddr
where
    S: FnOnce(TcpListener) -> F + Send + 'static,
    F: std::future::Future<Output = ()>,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener
        .set_nonblocking(true)
        .expect("a non-blocking socket");
    let addr = listener.local_addr().expect("a bound address");
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the fake");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                server(listener).await
            });
        })
        .expect("a thread for the fake");
    addr
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, stop: CancellationToken) {
    loop {
        let (stream, _) = tokio::select! {
            _ = stop.cancelled() => break,
            s = listener.accept() => match s { Ok(s) => s, Err(_) => continue },
        };
        let state = state.clone();
        let service = service_fn(move |req| answer(state.clone(), req));
        tokio::spawn(
            hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service),
        );
    }
}

/// One HTTP request: read the call, answer it, record it.
async fn answer(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let received = Instant::now();
    let method = req.uri().path().trim_start_matches("/api/").to_string();
    // Read methods (users.info) are GETs with the arguments in the query string.
    let query: Option<Value> = req.uri().query().map(|q| {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
        Value::Object(pairs.into_iter().map(|(k, v)| (k, v.into())).collect())
    });
    let form = req.headers().get("content-type").is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    // Slack reads a JSON body only when it is said to be JSON (else as form fields).
    let json_body = req
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let raw = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    // oauth.v2.access is form-encoded; the rest are JSON (or GETs with a query).
    let form = form.then(|| {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&raw).unwrap_or_default();
        Value::Object(pairs.into_iter().map(|(k, v)| (k, v.into())).collect())
    });
    let mut body: Value = form
        .or_else(|| {
            json_body
                .then(|| serde_json::from_slice(&raw).ok())
                .flatten()
        })
        .or(query)
        .unwrap_or(Value::Null);
    // Slack looks at the token and the arguments before anything else: a refused call takes
    // no script (a slow one included) and changes nothing.
    let (refused, wait) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        let refused = s.refusal(&method, &body, authorization.as_deref());
        let wait = refused.is_none().then(|| s.take_slow(&method)).flatten();
        (refused, wait)
    };
    match wait {
        Some(Wait::For(ms)) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
        Some(Wait::Released(gate)) => {
            // Never closed: a permit comes with each release.
            if let Ok(permit) = gate.acquire().await {
                permit.forget();
            }
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = s.held.get_mut(&method) {
                *n = n.saturating_sub(1);
            }
        }
        None => {}
    }
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    let (status, reply, retry_after) = match refused {
        Some(code) => (200, json!({"ok": false, "error": code}), None),
        None => s.reply(&method, &mut body, authorization.as_deref()),
    };
    s.calls.push(Call {
        method,
        authorization,
        body,
        answer: reply.clone(),
        received,
        at: Instant::now(),
    });
    let (text, kind) = match reply.get("_not_json").and_then(Value::as_str) {
        Some(page) => (page.to_string(), "text/html"),
        None => (reply.to_string(), "application/json"),
    };
    let mut resp = Response::new(Full::new(Bytes::from(text)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    resp.headers_mut()
        .insert("content-type", kind.parse().expect("a header"));
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert("retry-after", secs.to_string().parse().expect("a header"));
    }
    Ok(resp)
}

impl State {
    /// The wait of a [`Script::Slow`] or [`Script::Held`] next in line for `method`, taken off
    /// the queue; with nothing queued, the wait of an [`FakeSlack::always`] one (every call
    /// slow: Slack hanging). A call held is counted until it is released.
    fn take_slow(&mut self, method: &str) -> Option<Wait> {
        let queue = self.scripts.entry(method.into()).or_default();
        let script = match queue.front() {
            Some(Script::Slow(_) | Script::Held) => queue.pop_front(),
            Some(_) => None,
            None => self.always.get(method).cloned(),
        };
        match script? {
            Script::Slow(ms) => Some(Wait::For(ms)),
            Script::Held => {
                *self.held.entry(method.into()).or_default() += 1;
                Some(Wait::Released(self.gate(method)))
            }
            _ => None,
        }
    }

    /// What lets calls of `method` held by a [`Script::Held`] be answered.
    fn gate(&mut self, method: &str) -> Arc<Semaphore> {
        self.releases
            .entry(method.into())
            .or_insert_with(|| Arc::new(Semaphore::new(0)))
            .clone()
    }

    /// HTTP status, JSON answer and `Retry-After` for one call Slack does not refuse outright
    /// ([`State::refusal`]); marks `body` when it is `ok`.
    fn reply(
        &mut self,
        method: &str,
        body: &mut Value,
        authorization: Option<&str>,
    ) -> (u16, Value, Option<u64>) {
        let script = self
            .scripts
            .get_mut(method)
            .and_then(VecDeque::pop_front)
            // An always slow or held one was waited out before (`take_slow`): answered as usual.
            .or_else(|| {
                self.always
                    .get(method)
                    .filter(|s| !matches!(s, Script::Slow(_) | Script::Held))
                    .cloned()
            });
        let channel = body["channel"].as_str().unwrap_or("").to_string();
        match script {
            Some(Script::RateLimited(secs)) => (
                429,
                json!({"ok": false, "error": "ratelimited"}),
                Some(secs),
            ),
            Some(Script::Error(code)) => (200, json!({"ok": false, "error": code}), None),
            Some(Script::Status(code)) => (code, json!({"ok": false}), None),
            Some(Script::OkWithTs(ts)) => (200, accept(body, ts.to_string()), None),
            Some(Script::NotJson) => (200, json!({"_not_json": "<html>a proxy</html>"}), None),
            Some(Script::OkBare) => {
                let ts = self.fresh_ts();
                accept(body, ts.clone());
                (200, json!({"ok": true, "ts": ts}), None)
            }
            None if method == "users.info" => {
                let id = body["user"].as_str().unwrap_or("").to_string();
                let bot = self.bots.contains(&id);
                let deleted = self.deactivated.contains(&id);
                (
                    200,
                    json!({"ok": true, "user": {
                        "id": id, "is_bot": bot, "deleted": deleted, "name": format!("name-{id}"),
                        "real_name": format!("Real Name {id}"),
                        "profile": {
                            "real_name": format!("Real Name {id}"),
                            "display_name": format!("Display {id}"),
                            "email": format!("{}@council.example.gov.uk", id.to_lowercase()),
                        },
                    }}),
                    None,
                )
            }
            // Slack's shape (`full=true`: every reactor listed); a message with no reaction has
            // no `reactions` at all.
            None if method == "reactions.get" => {
                let ts = body["timestamp"].as_str().unwrap_or("").to_string();
                let mut message = json!({"type": "message", "ts": ts, "text": "", "user": "UBOT"});
                if let Some(on) = self.reactions.get(&(channel.clone(), ts)) {
                    let on: Vec<Value> = on
                        .iter()
                        .map(|(name, users)| {
                            json!({"name": name, "users": users, "count": users.len()})
                        })
                        .collect();
                    message["reactions"] = Value::Array(on);
                }
                (
                    200,
                    json!({"ok": true, "type": "message", "channel": channel,
                           "message": message}),
                    None,
                )
            }
            None if method == "conversations.info" && self.hidden.contains(&channel) => (
                200,
                json!({"ok": false, "error": "channel_not_found"}),
                None,
            ),
            None if method == "conversations.info" => {
                let private = self.private.contains(&channel);
                let shared = self.shared.contains(&channel);
                (
                    200,
                    json!({"ok": true, "channel": {
                        "id": channel, "name": format!("name-{channel}"), "created": 1700000000,
                        "is_channel": !private, "is_group": private, "is_private": private,
                        "is_archived": self.archived.contains(&channel), "is_member": true,
                        "is_shared": shared, "is_ext_shared": shared, "is_org_shared": false,
                    }}),
                    None,
                )
            }
            // Whose token it is; one the fake was not told of is refused, as Slack refuses
            // a made-up token.
            None if method == "auth.test" => {
                match authorization.and_then(|a| self.token_teams.get(a)) {
                    Some(team) => (
                        200,
                        json!({"ok": true, "url": "https://fake.slack.example/",
                               "team": "Fake", "user": "makers", "team_id": team,
                               "user_id": format!("UBOT{team}"), "bot_id": "B0FAKE"}),
                        None,
                    ),
                    None => (200, json!({"ok": false, "error": "invalid_auth"}), None),
                }
            }
            None if method == "oauth.v2.access" => {
                let code = body["code"].as_str().unwrap_or("");
                match self.grants.remove(code) {
                    Some(answer) => {
                        // The token it hands out is one Slack knows from now on.
                        let team = answer["team"]["id"]
                            .as_str()
                            .or(answer["enterprise"]["id"].as_str());
                        if let (Some(token), Some(team)) = (answer["access_token"].as_str(), team) {
                            self.token_teams
                                .insert(format!("Bearer {token}"), team.into());
                        }
                        (200, answer, None)
                    }
                    None => (200, json!({"ok": false, "error": "invalid_code"}), None),
                }
            }
            None if method == "apps.connections.open" => match &self.socket_url {
                Some(url) => {
                    let ticket = self.calls.len();
                    let url = format!("{url}?ticket={ticket}");
                    (200, json!({"ok": true, "url": url}), None)
                }
                None => (200, json!({"ok": false, "error": "not_allowed"}), None),
            },
            None if method == "conversations.join" => {
                if let Some(joined) = &mut self.joined {
                    joined.insert(channel.clone());
                }
                (200, accept(body, self.fresh_ts()), None)
            }
            // Slack answers with the view as it now is, with its id.
            None if method == "views.open" || method == "views.publish" => {
                let mut view = body["view"].clone();
                if view.is_object() {
                    view["id"] = Value::String(format!("V{:08}", self.calls.len()));
                    view["team_id"] = Value::String("T0FAKE".into());
                    view["hash"] = Value::String(format!("{}.fake", self.calls.len()));
                    view["state"] = json!({"values": {}});
                }
                (200, json!({"ok": true, "view": view}), None)
            }
            None if method == "chat.postMessage" && self.archived.contains(&channel) => {
                (200, json!({"ok": false, "error": "is_archived"}), None)
            }
            None if method == "chat.postMessage" && self.restricted.contains_key(&channel) => {
                let code = self.restricted[&channel].clone();
                (200, json!({"ok": false, "error": code}), None)
            }
            None if method == "chat.postMessage" && !self.may_post_in(&channel) => {
                (200, json!({"ok": false, "error": "not_in_channel"}), None)
            }
            // (A slow or held script was taken off before: answered as usual.)
            Some(Script::Slow(_) | Script::Held) | None => {
                (200, accept(body, self.fresh_ts()), None)
            }
        }
    }

    /// Slack's `ok: false` code for a call it refuses before doing anything: its token or
    /// its arguments.
    fn refusal(
        &self,
        method: &str,
        body: &Value,
        authorization: Option<&str>,
    ) -> Option<&'static str> {
        self.refused_token(method, authorization)
            .or_else(|| missing_argument(method, body))
    }

    /// Slack's `ok: false` code for a call whose token it would refuse: none given, no token
    /// at all (`invalid_auth`), one of the wrong kind, or (once the fake has been told of
    /// any) a bot token it was not told of.
    fn refused_token(&self, method: &str, authorization: Option<&str>) -> Option<&'static str> {
        // oauth.v2.access authenticates with the app's client id and secret, not a token.
        if method == "oauth.v2.access" {
            return None;
        }
        let Some(token) = authorization.and_then(|a| a.strip_prefix("Bearer ")) else {
            return Some("not_authed");
        };
        // A bot token, or a rotating one (`xoxe.xoxb-`); the app-level `xapp-`; a person's.
        let bot = token.starts_with("xoxb-") || token.starts_with("xoxe.xoxb-");
        let app = token.starts_with("xapp-");
        if !(bot || app || token.starts_with("xoxp-")) {
            return Some("invalid_auth");
        }
        // Socket Mode's one call wants the app-level token; every other call a bot token.
        let wanted = match method {
            "apps.connections.open" => app,
            _ => bot,
        };
        if !wanted {
            return Some("not_allowed_token_type");
        }
        let unknown = bot
            && !self.token_teams.is_empty()
            && !self
                .token_teams
                .contains_key(authorization.unwrap_or_default());
        unknown.then_some("invalid_auth")
    }

    fn may_post_in(&self, channel: &str) -> bool {
        match &self.joined {
            Some(joined) => !channel.starts_with('C') || joined.contains(channel),
            None => true,
        }
    }

    fn fresh_ts(&mut self) -> String {
        self.next_ts += 1;
        format!("1700000000.{:06}", self.next_ts)
    }
}

/// An `ok` answer with `ts`, noted on the call's body.
fn accept(body: &mut Value, ts: String) -> Value {
    let channel = body.get("channel").cloned().unwrap_or(Value::Null);
    if body.is_object() {
        body["_answered_ok"] = Value::Bool(true);
        body["_ts"] = Value::String(ts.clone());
    }
    json!({"ok": true, "channel": channel, "ts": ts, "message": {"ts": ts}})
}

/// Slack's `ok: false` code for a call missing what its method needs, or with blocks Slack
/// would refuse (more than 50, a section's text over 3,000 characters).
fn missing_argument(method: &str, body: &Value) -> Option<&'static str> {
    let has = |field: &str| body[field].as_str().is_some_and(|v| !v.is_empty());
    let message = matches!(
        method,
        "chat.postMessage" | "chat.postEphemeral" | "chat.update"
    );
    let blocks = &body["blocks"];
    match method {
        _ if message && !has("channel") => Some("channel_not_found"),
        _ if message && !has("text") && blocks.as_array().is_none_or(Vec::is_empty) => {
            Some("no_text")
        }
        "chat.postEphemeral" if !has("user") => Some("user_not_found"),
        "chat.update" if !has("ts") => Some("message_not_found"),
        _ if message && !blocks_fit(blocks) => Some("invalid_blocks"),
        "users.info" if !has("user") => Some("user_not_found"),
        "conversations.info" | "conversations.join" if !has("channel") => Some("channel_not_found"),
        "reactions.get" if !has("channel") || !has("timestamp") => Some("no_item_specified"),
        "views.open" if !has("trigger_id") => Some("invalid_arguments"),
        "views.publish" if !has("user_id") => Some("invalid_arguments"),
        "views.open" | "views.publish" if !body["view"].is_object() => Some("invalid_arguments"),
        _ => None,
    }
}

/// Whether `blocks` (absent, or an array) is within Slack's limits for a message.
fn blocks_fit(blocks: &Value) -> bool {
    let Some(blocks) = blocks.as_array() else {
        return blocks.is_null();
    };
    let section_fits = |b: &Value| {
        b["type"] != "section"
            || b["text"]["text"]
                .as_str()
                .is_none_or(|t| t.chars().count() <= 3000)
    };
    blocks.len() <= 50 && blocks.iter().all(section_fits)
}
