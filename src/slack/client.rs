//! Outbound Web API calls through slack-morphism's client. The base URL comes from config so
//! tests point it at a local fake. slack-morphism's own rate control is left off (it holds
//! every chat.postMessage to 1/s per workspace); the outbox worker paces and retries instead.
//! Also the one connector (TLS, through the outbound proxy where one is set) that OAuth's and
//! Socket Mode's own small clients use too.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;

use super::tokens::{NoToken, TokenOwner, TokenSource};
use crate::domain::{Account, ChannelId, MessageTs, TeamId};
use crate::metrics::CallOutcome;

/// slack-morphism's client has no request timeout of its own.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// `views.open` is called from the request path while Slack waits for our answer, and its
/// `trigger_id` expires 3 seconds after the user acted: past this, give up and say so.
pub const VIEWS_OPEN_TIMEOUT: Duration = Duration::from_secs(2);

/// Who reads a channel, as `conversations.info` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChannelReaders {
    pub private: bool,
    /// Shared with other workspaces: another organisation's (Slack Connect) or, in an
    /// Enterprise Grid, the organisation's others.
    pub shared: bool,
}

/// How a Web API call failed, sorted by what the caller should do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// HTTP 429: wait `retry_after` before calling that method again.
    RateLimited { retry_after: Duration },
    /// Slack answered `ok: false` with this error code (`not_in_channel`, …).
    Api(String),
    /// Timeout, connection failure or 5xx: worth trying again later.
    Transient(String),
    /// An HTTP 4xx other than 429, or a 3xx, its body unread (slack-morphism keeps only the status).
    /// Slack says its refusals in JSON with a 200, so this is likelier a proxy, a gateway
    /// or a wrong `SLACK_API_URL`: tried again for a while, then given up.
    HttpStatus(u16),
    /// No token for the workspace: the app is not (or no longer) installed there.
    NotInstalled,
}

/// How a call that timed out is said: Slack may still have done it.
const NO_ANSWER: &str = "no answer in";

/// Slack's error code for a rate limit said in its answer, in either of its two spellings
/// (`ratelimited`, `rate_limited`), for every method.
pub fn is_rate_limit_code(code: &str) -> bool {
    code == "ratelimited" || code == "rate_limited"
}

impl CallError {
    /// A rate limit said in Slack's answer (not a 429), in either of its two spellings.
    pub fn says_rate_limited(&self) -> bool {
        matches!(self, CallError::Api(code) if is_rate_limit_code(code))
    }

    /// Slack did not answer in time: the call may still have been done (a form opened).
    pub fn unanswered(&self) -> bool {
        matches!(self, CallError::Transient(why) if is_unanswered(why))
    }
}

/// How a wait of `limit` for Slack's answer that ran out is said (see [`is_unanswered`]).
pub fn no_answer_in(limit: Duration) -> String {
    format!("{NO_ANSWER} {} ms", limit.as_millis())
}

/// Whether `why`, a [`CallError::Transient`]'s (kept as a post's reason to retry), says Slack
/// did not answer in time.
pub fn is_unanswered(why: &str) -> bool {
    why.starts_with(NO_ANSWER)
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::RateLimited { retry_after } => {
                write!(f, "rate limited for {}s", retry_after.as_secs())
            }
            CallError::Api(code) => write!(f, "slack error {code}"),
            CallError::Transient(why) => write!(f, "transient: {why}"),
            CallError::HttpStatus(code) => write!(f, "HTTP {code} (not an answer from Slack)"),
            CallError::NotInstalled => f.write_str(NOT_INSTALLED),
        }
    }
}

/// An answer from Slack as the bot reads it: `ok`, and of the rest only `T`, what the call
/// needs. Read as slack-morphism's full responses, an answer missing a field the bot never
/// uses failed to decode, and the outbox took that for a transient failure and posted again
/// and again. `ok` itself is checked ([`SlackApi::post`]): slack-morphism gives `{}` for a
/// 200 that is not JSON (a proxy's page, say), which is no sign that Slack did anything.
/// (Slack's error codes slack-morphism has turned into errors already.)
#[derive(serde::Deserialize)]
struct Answer<T> {
    ok: Option<bool>,
    #[serde(flatten)]
    read: T,
}

/// What the bot reads of `chat.postMessage`'s answer: the new message's ts.
#[derive(serde::Deserialize)]
struct Posted {
    ts: Option<String>,
}

/// Nothing beyond `ok`.
#[derive(serde::Deserialize)]
struct Acked {}

pub use crate::outbox::NOT_INSTALLED;

/// Slack's errors for a bot token it refuses, as `chat.postMessage` documents them: the
/// workspace removed the app (its event not yet arrived, or missed), or an operator set a
/// wrong or rotated token. Either way the post is not at fault: it waits
/// (`Outcome::TokenRefused`).
pub const TOKEN_REFUSED: [&str; 6] = [
    "token_revoked",
    "invalid_auth",
    "account_inactive",
    "not_authed",
    // A rotating token past its time (rotation is off in the manifests), and a workspace
    // Slack has disabled: neither is the post's fault, and either may be put right.
    "token_expired",
    "team_disabled",
];

/// The Web API as the bot uses it: every call is for a workspace, with that workspace's token.
#[derive(Clone)]
pub struct SlackApi {
    client: Arc<SlackClient<SlackClientHyperConnector<SlackConnector>>>,
    tokens: Arc<TokenSource>,
}

/// The connector every call to Slack goes through: HTTPS (or plain HTTP, for the fake Slack
/// in tests) with the system's CA certificates, through the outbound proxy where one is set.
pub(crate) type SlackConnector = hyper_rustls::HttpsConnector<super::proxy::Connector>;

/// A [`SlackConnector`]. `http2` for slack-morphism's client, which negotiates it; our own
/// small clients speak HTTP/1.1.
pub(crate) fn https_connector(
    http2: bool,
    proxies: &crate::config::Proxies,
) -> anyhow::Result<SlackConnector> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .context("no CA certificates found (install ca-certificates or set SSL_CERT_FILE)")?
        .https_or_http()
        .enable_http1();
    let tcp = super::proxy::Connector::new(proxies.clone());
    Ok(match http2 {
        true => builder.enable_http2().wrap_connector(tcp),
        false => builder.wrap_connector(tcp),
    })
}

impl SlackApi {
    /// `api_url` is the base without a trailing slash (`Config` trims it); Slack is reached
    /// through `proxies` where one is set.
    pub fn new(
        api_url: &str,
        tokens: Arc<TokenSource>,
        proxies: &crate::config::Proxies,
    ) -> anyhow::Result<SlackApi> {
        let https = https_connector(true, proxies)?;
        let connector =
            SlackClientHyperConnector::with_connector(https).with_slack_api_url(api_url);
        Ok(SlackApi {
            client: Arc::new(SlackClient::new(connector)),
            tokens,
        })
    }

    /// Where tokens come from (the OAuth routes and uninstall events update it).
    pub fn tokens(&self) -> &Arc<TokenSource> {
        &self.tokens
    }

    /// `team`'s token, or why there is none.
    async fn token(&self, team: &TeamId) -> Result<SlackApiToken, CallError> {
        let owner = |token| self.token_owner(token);
        self.tokens
            .token_for(team, owner)
            .await
            .map_err(|e| match e {
                NoToken::NotInstalled => CallError::NotInstalled,
                NoToken::Unreadable(why) => CallError::Transient(why),
                // Classified as the token's refusal: the post waits (`Outcome::TokenRefused`).
                NoToken::Refused(code) => CallError::Api(code),
            })
    }

    /// Whether the bot acts for `team`: it has a token there (always, without OAuth). With
    /// OAuth, a workspace whose install our callback refused (a bad `state`, one not in
    /// `MAKERS_ALLOWED_WORKSPACES`) still has the app, as Slack sees it, and sends commands
    /// and events; nothing of them is recorded. An `Err`: it could not be told just now.
    pub async fn serves(&self, team: &TeamId) -> Result<bool, CallError> {
        if let TokenSource::Single(_) = &*self.tokens {
            return Ok(true);
        }
        match self.token(team).await {
            Ok(_) => Ok(true),
            // Marked as having removed the app, yet it sends requests: maybe served again.
            Err(CallError::NotInstalled) => {
                let owner = |token| self.token_owner(token);
                Ok(self.tokens.serves_again(team, owner).await)
            }
            // A refused `SLACK_BOT_TOKEN` (`NoToken::Refused`) serves no workspace.
            Err(CallError::Api(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Asks Slack, at start, whose `SLACK_BOT_TOKEN` is (see
    /// [`TokenSource::learn_fallback_owner`]); the workspace it works for, or no answer.
    pub async fn learn_fallback_owner(&self, now: i64) -> Result<Option<TeamId>, String> {
        let owner = |token| self.token_owner(token);
        self.tokens.learn_fallback_owner(owner, now).await
    }

    /// `auth.test` with `token`: whose it is. Asked once, maybe while Slack waits for an
    /// answer to a command, so within the time a form has to open.
    async fn token_owner(&self, token: SlackApiToken) -> Result<TokenOwner, String> {
        #[derive(serde::Deserialize)]
        struct Owner {
            team_id: Option<String>,
        }
        let asked: Result<Owner, CallError> = self
            .post_with(
                &token,
                "auth.test",
                &serde_json::json!({}),
                VIEWS_OPEN_TIMEOUT,
            )
            .await;
        match asked {
            Ok(Owner { team_id }) => team_id
                .as_deref()
                .and_then(TeamId::parse)
                .map(TokenOwner::Team)
                .ok_or_else(|| "auth.test named no workspace".to_string()),
            Err(CallError::Api(code)) if TOKEN_REFUSED.contains(&code.as_str()) => {
                Ok(TokenOwner::Refused(code))
            }
            // Said as any call unanswered, so the workspace's posts are held as for one
            // (`Worker::heed`), not tried channel by channel at 2 s each.
            Err(CallError::Transient(why)) if is_unanswered(&why) => {
                Err(format!("{why} asking whose SLACK_BOT_TOKEN is (auth.test)"))
            }
            Err(e) => Err(format!("cannot ask Slack whose SLACK_BOT_TOKEN is: {e}")),
        }
    }

    /// `chat.postMessage`; returns the new message's ts.
    pub async fn post_message(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        thread_ts: Option<&MessageTs>,
        content: SlackMessageContent,
    ) -> Result<MessageTs, CallError> {
        let mut req = SlackApiChatPostMessageRequest::new(channel.as_str().into(), content);
        if let Some(ts) = thread_ts {
            req = req.with_thread_ts(ts.as_str().into());
        }
        let resp: Posted = self
            .post(team, "chat.postMessage", &req, CALL_TIMEOUT)
            .await?;
        // Made but with no ts to record: failed, never posted again.
        resp.ts
            .as_deref()
            .and_then(MessageTs::parse)
            .ok_or_else(|| CallError::Api("invalid_ts_in_response".into()))
    }

    /// `chat.update`: replaces the bot's message `ts` in `channel` with `content`.
    pub async fn update_message(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        ts: &MessageTs,
        content: SlackMessageContent,
    ) -> Result<(), CallError> {
        let req =
            SlackApiChatUpdateRequest::new(channel.as_str().into(), content, ts.as_str().into());
        self.post_ok(team, "chat.update", &req, CALL_TIMEOUT).await
    }

    /// `chat.postEphemeral`: a message only `user` sees, in `channel`. Slack returns no ts for
    /// it, so the caller gets a placeholder to record.
    pub async fn post_ephemeral(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        thread_ts: Option<&MessageTs>,
        user: &crate::domain::UserId,
        content: SlackMessageContent,
    ) -> Result<(), CallError> {
        let mut req = SlackApiChatPostEphemeralRequest::new(
            channel.as_str().into(),
            user.as_str().into(),
            content,
        );
        if let Some(ts) = thread_ts {
            req = req.with_thread_ts(ts.as_str().into());
        }
        self.post_ok(team, "chat.postEphemeral", &req, CALL_TIMEOUT)
            .await
    }

    /// `users.info`: whether the user is a person, a bot (or an app's user), or deactivated.
    pub async fn user_account(
        &self,
        team: &TeamId,
        user: &crate::domain::UserId,
    ) -> Result<Account, CallError> {
        let req = SlackApiUsersInfoRequest::new(user.as_str().into());
        let token = self.token(team).await?;
        let session = self.client.open_session(&token);
        let resp = counted(
            "users.info",
            timed(CALL_TIMEOUT, session.users_info(&req)).await,
        )?;
        let flags = &resp.user.flags;
        Ok(
            if flags.is_bot.unwrap_or(false) || flags.is_app_user.unwrap_or(false) {
                Account::Bot
            } else if resp.user.deleted.unwrap_or(false) {
                Account::Deactivated
            } else {
                Account::Person
            },
        )
    }

    /// `conversations.info`: whether the channel is private, and shared.
    pub(crate) async fn channel_readers(
        &self,
        team: &TeamId,
        channel: &ChannelId,
    ) -> Result<ChannelReaders, CallError> {
        self.channel_readers_within(team, channel, CALL_TIMEOUT)
            .await
    }

    /// `conversations.info`: who reads the channel, waiting at most `limit` (counted for
    /// `/metrics` however it ends).
    pub(crate) async fn channel_readers_within(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        limit: Duration,
    ) -> Result<ChannelReaders, CallError> {
        let req = SlackApiConversationsInfoRequest::new(channel.as_str().into());
        let token = self.token(team).await?;
        let session = self.client.open_session(&token);
        let resp = match counted(
            "conversations.info",
            timed(limit, session.conversations_info(&req)).await,
        ) {
            Ok(resp) => resp,
            // Private channels are seen only by their members, and a public one always (the
            // bot has `channels:read`): one it cannot see is private (or deleted).
            Err(CallError::Api(code)) if code == "channel_not_found" => {
                return Ok(ChannelReaders {
                    private: true,
                    shared: false,
                });
            }
            Err(e) => return Err(e),
        };
        let flags = &resp.channel.flags;
        Ok(ChannelReaders {
            private: flags.is_private.unwrap_or(false),
            // Slack's `is_shared` is any sharing between workspaces, Slack Connect's among
            // them (slack-morphism does not read `is_ext_shared`, and a channel may be both
            // shared across an Enterprise Grid and with another organisation).
            shared: flags.is_shared.unwrap_or(false),
        })
    }

    /// `reactions.get` (`full`: every reactor) of the message `ts` in `channel`: each emoji
    /// name with who reacted with it. Read as the bot needs it (a name and its users): the
    /// message's other fields, which slack-morphism's own type wants, are not.
    pub async fn reactions(
        &self,
        team: &TeamId,
        channel: &ChannelId,
        ts: &MessageTs,
    ) -> Result<Vec<(String, Vec<crate::domain::UserId>)>, CallError> {
        #[derive(serde::Deserialize)]
        struct Read {
            message: Option<Message>,
        }
        #[derive(serde::Deserialize)]
        struct Message {
            #[serde(default)]
            reactions: Vec<Reaction>,
        }
        #[derive(serde::Deserialize)]
        struct Reaction {
            name: String,
            #[serde(default)]
            users: Vec<String>,
        }
        let token = self.token(team).await?;
        let session = self.client.open_session(&token);
        let query = [
            ("channel", Some(channel.as_str())),
            ("timestamp", Some(ts.as_str())),
            ("full", Some("true")),
        ];
        let call = session
            .http_session_api
            .http_get("reactions.get", &query, None);
        let answer =
            timed(CALL_TIMEOUT, call)
                .await
                .and_then(|answer: Answer<Read>| match answer.ok {
                    Some(true) => Ok(answer.read),
                    _ => Err(CallError::Transient(
                        "the answer was not Slack's JSON".into(),
                    )),
                });
        let read = counted("reactions.get", answer)?;
        let reactions = read.message.map(|m| m.reactions).unwrap_or_default();
        // An id that does not read as one (Slack's are letters and digits) is nobody to count.
        Ok(reactions
            .into_iter()
            .map(|r| {
                let users = r
                    .users
                    .iter()
                    .filter_map(|u| crate::domain::UserId::parse(u));
                (r.name, users.collect())
            })
            .collect())
    }

    /// `views.open`: shows a modal to whoever acted with `trigger_id`. Called straight from
    /// the request path (a trigger lasts 3 s and serves once), never through the outbox.
    pub async fn open_view(
        &self,
        team: &TeamId,
        trigger_id: &str,
        view: SlackView,
    ) -> Result<(), CallError> {
        let req = SlackApiViewsOpenRequest::new(trigger_id.into(), view);
        self.post_ok(team, "views.open", &req, VIEWS_OPEN_TIMEOUT)
            .await
    }

    /// `views.publish`: sets `user`'s Home tab. Not through the outbox: the latest Home
    /// replaces any earlier one, so a lost publish is made good by the next.
    pub async fn publish_view(
        &self,
        team: &TeamId,
        user: &crate::domain::UserId,
        view: SlackView,
    ) -> Result<(), CallError> {
        let req = SlackApiViewsPublishRequest::new(user.as_str().into(), view);
        self.post_ok(team, "views.publish", &req, CALL_TIMEOUT)
            .await
    }

    /// `conversations.join`: works for public channels only.
    pub async fn join_channel(&self, team: &TeamId, channel: &ChannelId) -> Result<(), CallError> {
        let req = SlackApiConversationsJoinRequest::new(channel.as_str().into());
        self.post_ok(team, "conversations.join", &req, CALL_TIMEOUT)
            .await
    }

    /// [`SlackApi::post`] for a call whose answer says nothing the bot needs beyond `ok`.
    async fn post_ok<RQ>(
        &self,
        team: &TeamId,
        method: &'static str,
        req: &RQ,
        limit: Duration,
    ) -> Result<(), CallError>
    where
        RQ: serde::Serialize + Send + Sync,
    {
        self.post::<_, Acked>(team, method, req, limit)
            .await
            .map(|_| ())
    }

    /// POSTs `req` to `method` for `team`, within `limit`; reads `T` of Slack's answer once
    /// it says `ok` (see [`Answer`]), nothing more.
    async fn post<RQ, T>(
        &self,
        team: &TeamId,
        method: &'static str,
        req: &RQ,
        limit: Duration,
    ) -> Result<T, CallError>
    where
        RQ: serde::Serialize + Send + Sync,
        T: serde::de::DeserializeOwned + Send,
    {
        let token = self.token(team).await?;
        self.post_with(&token, method, req, limit).await
    }

    /// [`SlackApi::post`] with `token`.
    async fn post_with<RQ, T>(
        &self,
        token: &SlackApiToken,
        method: &'static str,
        req: &RQ,
        limit: Duration,
    ) -> Result<T, CallError>
    where
        RQ: serde::Serialize + Send + Sync,
        T: serde::de::DeserializeOwned + Send,
    {
        let session = self.client.open_session(token);
        let call = session.http_session_api.http_post(method, req, None);
        let answer = timed(limit, call)
            .await
            .and_then(|answer: Answer<T>| match answer.ok {
                Some(true) => Ok(answer.read),
                // A proxy's page, or anything else that is not Slack's: worth trying again.
                _ => Err(CallError::Transient(
                    "the answer was not Slack's JSON".into(),
                )),
            });
        counted(method, answer)
    }
}

/// `call`, given up after `limit`.
async fn timed<T>(
    limit: Duration,
    call: impl Future<Output = ClientResult<T>>,
) -> Result<T, CallError> {
    match tokio::time::timeout(limit, call).await {
        Err(_) => Err(CallError::Transient(no_answer_in(limit))),
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(classify(e)),
    }
}

/// A call to `method` that ended in `result`, counted for `/metrics` by how it ended (after
/// the answer is read: a 200 that is not Slack's JSON is not `ok`).
fn counted<T>(method: &'static str, result: Result<T, CallError>) -> Result<T, CallError> {
    let outcome = match &result {
        Ok(_) => CallOutcome::Ok,
        Err(CallError::RateLimited { retry_after }) => CallOutcome::RateLimited(*retry_after),
        // Slack's limit said in the body, with no wait given (the delivery rules hold the
        // workspace for their backoff).
        Err(e) if e.says_rate_limited() => CallOutcome::RateLimited(Duration::ZERO),
        Err(CallError::Api(_) | CallError::NotInstalled) => CallOutcome::Error,
        Err(CallError::Transient(_) | CallError::HttpStatus(_)) => CallOutcome::Transient,
    };
    crate::metrics::metrics().call_ended(method, outcome);
    result
}

/// A 429's wait when it gives none that can be read.
pub const RETRY_AFTER_UNSAID: Duration = Duration::from_secs(30);
/// The longest a 429's `Retry-After` is waited (as for Socket Mode's).
const RETRY_AFTER_MOST: Duration = Duration::from_secs(3600);

fn classify(e: SlackClientError) -> CallError {
    match e {
        // Slack always sends Retry-After with a 429, in seconds. Something standing in for it
        // (a gateway) may not, or may send an HTTP date, which is read as none: 30 s, what
        // Slack's SDKs assume (a second, tried again every second for as long as it lasted).
        // And at most an hour: a huge one held a channel for years, and one past what an
        // instant can hold stopped the outbox worker.
        SlackClientError::RateLimitError(r) => CallError::RateLimited {
            retry_after: r
                .retry_after
                .map_or(RETRY_AFTER_UNSAID, |wait| wait.min(RETRY_AFTER_MOST)),
        },
        SlackClientError::ApiError(a) => CallError::Api(a.code),
        // A redirect too: the client follows none, and Slack sends none; a gateway sending
        // the bot to log in, say, was tried for ever, as a 5xx.
        SlackClientError::HttpError(h)
            if h.status_code.is_client_error() || h.status_code.is_redirection() =>
        {
            CallError::HttpStatus(h.status_code.as_u16())
        }
        other => CallError::Transient(first_line(&other.to_string())),
    }
}

/// Error texts from the client can embed whole response bodies; keep logs to one line.
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_morphism::errors::SlackRateLimitError;

    fn limited(retry_after: Option<Duration>) -> CallError {
        classify(SlackClientError::RateLimitError(
            SlackRateLimitError::new().opt_retry_after(retry_after),
        ))
    }

    /// A 429's wait as Slack gives it; 30 s where none could be read (an HTTP date, or none:
    /// something standing in for Slack); and an hour at most.
    #[test]
    fn a_429s_wait_is_read_within_reason() {
        let secs = |s| Duration::from_secs(s);
        let cases = [
            (Some(secs(7)), secs(7)),
            (None, secs(30)),
            (Some(secs(10_000)), secs(3600)),
            (Some(Duration::MAX), secs(3600)),
        ];
        for (given, waited) in cases {
            assert_eq!(
                limited(given),
                CallError::RateLimited {
                    retry_after: waited
                },
                "{given:?}"
            );
        }
    }
}
