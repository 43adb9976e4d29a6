//! OAuth v2 install, on our own router (slack-morphism's helper sends no `state` and refuses
//! org installs: SLACK-NEXT.md §6, §8 trap 2).
//!
//! - `GET /slack/install`: 302 to Slack's authorize page with the manifest's bot scopes and a
//!   fresh `state`, signed (HMAC), expiring in 10 minutes, and recorded so it is taken once.
//! - `GET /slack/oauth/callback`: checks the `state` (signature, expiry, then used up in the
//!   store), exchanges the `code` with `oauth.v2.access`, seals the bot token and stores the
//!   installation. Every failure is a page saying what happened, and stores nothing.
//!
//! No cookie binds the state to the browser: the bot has no sessions, so an installation
//! is not tied to whoever started it, and a forged callback could only install a workspace
//! its sender could have installed anyway. A cookie would also refuse installers whose
//! approval finishes in another browser (Slack's desktop app opens links in the default
//! one), and could not be `Secure` on the plain-HTTP address the bot serves by default.

mod access;
mod installing;
pub mod page;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use hyper::StatusCode;
use hyper::header::{HeaderValue, LOCATION};

use super::refusal_log::RefusalLog;
use super::routes::HttpResponse;
use super::tokens::TokenSource;
use crate::clock::SharedClock;
use crate::config::{AllowedWorkspaces, OAuthConfig};
use crate::domain::{BadState, BotToken, SealingKey, TeamId, UserId, check_state, new_state};
use crate::store::{self, AsyncStore, NewInstallation, StateUse};
use crate::web::Footer;
use access::{AccessClient, AccessError, Granted};
use installing::Installing;

/// The bot scopes asked for at install: those of `deploy/slack-app-manifest.yml`
/// (tests/api/manifest.rs checks the two agree).
pub const BOT_SCOPES: &[&str] = &[
    "commands",
    "chat:write",
    "app_mentions:read",
    "reactions:read",
    "channels:join",
    "channels:read",
    "groups:read",
    "users:read",
];

pub const CALLBACK_PATH: &str = "/slack/oauth/callback";

/// The install and callback routes, present when OAuth is on.
pub struct OAuth {
    client_id: String,
    authorize_url: String,
    redirect_uri: String,
    key: SealingKey,
    access: AccessClient,
    db: AsyncStore,
    clock: SharedClock,
    tokens: Arc<TokenSource>,
    /// `MAKERS_ALLOWED_WORKSPACES`.
    allowed: Option<AllowedWorkspaces>,
    /// The operator's pages (accessibility statement and the rest), linked from every page.
    footer: Footer,
    /// When Slack refused a code lately (unix seconds), at most [`REFUSALS_PER_MINUTE`].
    refusals: std::sync::Mutex<VecDeque<i64>>,
    /// The states whose install this process is finishing now ([`Installing`]).
    installing: std::sync::Mutex<HashSet<String>>,
}

/// Codes Slack may refuse in a minute before callbacks are answered 429 without a write or a
/// call to Slack. Install links are free to ask for, so a loop of made-up codes would
/// otherwise cost a synced write and an `oauth.v2.access` call each, and could use up the
/// app's rate limit on that method while a council is installing. A real install is refused
/// rarely (a link used twice, a slow approval).
const REFUSALS_PER_MINUTE: usize = 20;

impl OAuth {
    /// `public_url` is the bot's base URL (the redirect URI is under it).
    pub fn new(
        config: &OAuthConfig,
        api_url: &str,
        public_url: &str,
        db: AsyncStore,
        clock: SharedClock,
        tokens: Arc<TokenSource>,
        proxies: &crate::config::Proxies,
    ) -> anyhow::Result<OAuth> {
        Ok(OAuth {
            client_id: config.client_id.clone(),
            authorize_url: config.authorize_url.clone(),
            redirect_uri: format!("{public_url}{CALLBACK_PATH}"),
            allowed: config.allowed.clone(),
            key: SealingKey::new(&config.key_bytes()),
            access: AccessClient::new(api_url, &config.client_id, &config.client_secret, proxies)?,
            db,
            clock,
            tokens,
            refusals: Default::default(),
            installing: Default::default(),
            footer: Footer::default(),
        })
    }

    /// Links the operator's pages (`MAKERS_ACCESSIBILITY_URL` and the rest) from every page.
    pub fn with_footer(mut self, footer: Footer) -> OAuth {
        self.footer = footer;
        self
    }

    /// The refusals of the minute before `now` (older ones let go).
    fn refusals_lately(&self, now: i64) -> std::sync::MutexGuard<'_, VecDeque<i64>> {
        let mut lately = self.refusals.lock().unwrap_or_else(|e| e.into_inner());
        while lately.front().is_some_and(|at| *at <= now - 60) {
            lately.pop_front();
        }
        lately
    }

    /// Whether Slack refused [`REFUSALS_PER_MINUTE`] codes in the minute before `now`.
    fn refused_lately(&self, now: i64) -> bool {
        self.refusals_lately(now).len() >= REFUSALS_PER_MINUTE
    }

    /// Notes that Slack refused a code at `now` (no more than the limit are kept).
    fn note_refusal(&self, now: i64) {
        let mut lately = self.refusals_lately(now);
        if lately.len() < REFUSALS_PER_MINUTE {
            lately.push_back(now);
        }
    }

    /// `GET /slack/install`.
    pub async fn install(&self) -> HttpResponse {
        // Nothing is recorded: the state's signature and expiry say it is ours, and the
        // callback records it as used (anyone may ask for links; none costs a write).
        let now = self.clock.now().timestamp();
        let (state, _) = new_state(&self.key, now);
        let mut url = match url::Url::parse(&self.authorize_url) {
            Ok(url) => url,
            Err(_) => return trouble_here(&self.footer), // checked at start
        };
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", &BOT_SCOPES.join(","))
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", &state);
        let Ok(location) = HeaderValue::from_str(url.as_str()) else {
            return trouble_here(&self.footer);
        };
        // Browsers follow the Location; the page is for anything that does not.
        let mut resp = page::page(
            &self.footer,
            StatusCode::FOUND,
            "Continue to Slack",
            maud::html! { p { a href=(url.as_str()) { "Approve Makers in Slack" } } },
        );
        resp.headers_mut().insert(LOCATION, location);
        resp
    }

    /// `GET /slack/oauth/callback?code=…&state=…` (or `?error=…`).
    pub async fn callback(&self, query: Option<&str>) -> HttpResponse {
        let q: HashMap<String, String> = query
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        if let Some(error) = q.get("error") {
            // Anyone's words, anyone may send: cut short, a line a minute (see `refusal_log`).
            static NOT_APPROVED: RefusalLog = RefusalLog::new();
            if let Some(unlogged) = NOT_APPROVED.at(self.clock.now().timestamp()) {
                let said: String = error.chars().take(64).collect();
                tracing::info!(error = said, unlogged, "OAuth install not approved");
            }
            return if error == "access_denied" {
                page::failed(
                    &self.footer,
                    StatusCode::FORBIDDEN,
                    "Installation cancelled",
                    "Makers was not installed: the request was cancelled in Slack. Nothing was changed.",
                    true,
                )
            } else {
                page::failed(
                    &self.footer,
                    StatusCode::BAD_REQUEST,
                    "Installation did not finish",
                    "Slack did not approve the installation. Nothing was changed.",
                    true,
                )
            };
        }
        // Before the state is used up (a synced write): a link without a code costs nothing,
        // and leaves the state for the real one.
        let Some(code) = q.get("code").filter(|c| !c.is_empty()) else {
            return bad_link(
                &self.footer,
                "The link from Slack has no authorisation code.",
            );
        };
        let now = self.clock.now().timestamp();
        if self.refused_lately(now) {
            // Anyone may go on sending callbacks meanwhile: a line a minute.
            static WAITING: RefusalLog = RefusalLog::new();
            if let Some(unlogged) = WAITING.at(now) {
                tracing::warn!(
                    unlogged,
                    "oauth.v2.access refused many codes in the last minute; callbacks wait"
                );
            }
            let mut resp = page::failed(
                &self.footer,
                StatusCode::TOO_MANY_REQUESTS,
                "Too many tries",
                "Slack refused many installations in the last minute, so I am not asking it again for a moment. Nothing was changed; please start again in a minute.",
                true,
            );
            resp.headers_mut()
                .insert(hyper::header::RETRY_AFTER, HeaderValue::from_static("60"));
            return resp;
        }
        // Held until how the install ended is recorded (below).
        let (state, _installing) = match self.take_state(q.get("state")).await {
            Ok(taken) => taken,
            Err(resp) => return resp,
        };
        let resp = match self.access.exchange(code, &self.redirect_uri).await {
            Ok(g) => self.store(g, &state).await,
            Err(AccessError::Refused(code)) => {
                tracing::warn!(code, "oauth.v2.access refused");
                self.note_refusal(self.clock.now().timestamp());
                page::failed(
                    &self.footer,
                    StatusCode::BAD_REQUEST,
                    "Slack refused the installation",
                    &format!(
                        "Slack answered \u{201c}{code}\u{201d}. Nothing was changed; please start again."
                    ),
                    true,
                )
            }
            Err(AccessError::Unreachable(why)) => {
                tracing::error!(why, "oauth.v2.access failed");
                page::failed(
                    &self.footer,
                    StatusCode::BAD_GATEWAY,
                    "Slack could not be reached",
                    "The installation could not be finished. Nothing was changed; please try again in a minute.",
                    true,
                )
            }
        };
        // Any page but the installed one (whose outcome was recorded with the install): the
        // same link loaded again must not say the workspace is installed.
        if !resp.status().is_success() {
            let state = state.clone();
            if let Err(e) = self
                .db
                .write(move |tx| store::state_installed(tx, &state, false))
                .await
            {
                tracing::error!(error = format!("{e:#}"), "OAuth install's end not recorded");
            }
        }
        resp
    }

    /// Checks `state` and uses it up, noting that this request finishes its install; the page
    /// to answer with if it is not good.
    async fn take_state(
        &self,
        state: Option<&String>,
    ) -> Result<(String, Installing<'_>), HttpResponse> {
        let Some(state) = state.filter(|s| !s.is_empty()) else {
            return Err(bad_link(&self.footer, "The link from Slack has no state."));
        };
        let now = self.clock.now().timestamp();
        let expires = match check_state(&self.key, state, now) {
            Ok(expires) => expires,
            Err(BadState::Forged) => {
                static FORGED: RefusalLog = RefusalLog::new();
                if let Some(unlogged) = FORGED.at(now) {
                    tracing::warn!(
                        unlogged,
                        "OAuth callback with a state this server did not make"
                    );
                }
                return Err(bad_link(
                    &self.footer,
                    "This link was not made by this server.",
                ));
            }
            Err(BadState::Expired) => {
                return Err(bad_link(
                    &self.footer,
                    "This installation link has expired: links last 10 minutes.",
                ));
            }
        };
        // Before it is used up: a page loaded again meanwhile finds it being finished.
        let installing = Installing::begin(&self.installing, state);
        let taken = state.clone();
        match self
            .db
            .write(move |tx| store::take_state(tx, &taken, expires, now))
            .await
        {
            Ok(StateUse::First) => Ok((state.clone(), installing)),
            // Also a page loaded again (refreshed, or the browser's back button): it says
            // how that link's install ended, "installed" only if it did. Not known and
            // finished by none of this process's requests: its process was killed.
            Ok(StateUse::Again(None)) if !installing.elsewhere() => {
                Err(bad_link(&self.footer, used_again(Some(false))))
            }
            Ok(StateUse::Again(installed)) => Err(bad_link(&self.footer, used_again(installed))),
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "OAuth state not checked");
                Err(trouble(&self.footer))
            }
        }
    }

    /// Seals the token and records the installation, and with it that `state`'s install worked.
    async fn store(&self, g: Granted, state: &str) -> HttpResponse {
        let Some(team) = g.team.as_ref().filter(|_| !g.is_enterprise_install) else {
            // Org-wide (Enterprise Grid) installs have no workspace: the bot keeps its data
            // per workspace, so it asks to be installed into each one.
            tracing::warn!(enterprise = ?g.enterprise.as_ref().map(|e| &e.id), "org-wide install refused");
            self.give_back(g.access_token.as_deref()).await;
            return page::failed(
                &self.footer,
                StatusCode::BAD_REQUEST,
                "Install into a workspace",
                "Makers is installed one workspace at a time, not across a whole organisation. Nothing was changed; please install it into each workspace that wants it.",
                false,
            );
        };
        // Not one of the workspaces this bot serves: its people's words would go into this
        // council's database and could be published in its catalogue. Slack installed the
        // app on approval; the token is given back.
        if let Some(allowed) = &self.allowed
            && !allowed.allows(&team.id)
        {
            tracing::warn!(team = %team.id, "install by a workspace not in MAKERS_ALLOWED_WORKSPACES refused");
            self.give_back_unless_installed(&team.id, g.access_token.as_deref())
                .await;
            return page::failed(
                &self.footer,
                StatusCode::FORBIDDEN,
                "Not a workspace this Makers serves",
                &format!(
                    "This Makers serves only the workspaces its operator has listed, and this one ({}) is not among them. Nothing was changed; ask whoever runs it to add the workspace.",
                    team.id
                ),
                false,
            );
        }
        // Token rotation (which Slack lets nobody turn off again) makes the bot token expire
        // 12 hours after it is issued; the bot does not renew tokens, so the install would
        // stop working by the next day. Refused now, with why, rather than failing silently.
        if g.refresh_token.is_some() || g.access_token.as_deref().is_some_and(BotToken::rotates) {
            tracing::warn!("install with token rotation on refused");
            self.give_back_unless_installed(&team.id, g.access_token.as_deref())
                .await;
            return page::failed(
                &self.footer,
                StatusCode::BAD_REQUEST,
                "Token rotation is on",
                "This Slack app has token rotation turned on, so its token would expire in 12 hours, and Makers does not renew tokens. Nothing was changed. Create the app from the manifest in the bot's deploy folder (rotation off) and install that one.",
                false,
            );
        }
        let parsed = (
            TeamId::parse(&team.id),
            g.access_token.as_deref().and_then(BotToken::parse),
            g.bot_user_id.as_deref().and_then(UserId::parse),
            g.authed_user.as_ref().and_then(|u| UserId::parse(&u.id)),
            g.app_id.as_deref().filter(|a| !a.is_empty()),
        );
        let (Some(team_id), Some(token), Some(bot_user), Some(installer), Some(app_id)) = parsed
        else {
            tracing::error!(
                bot = g.token_type.as_deref(),
                "oauth.v2.access answer lacks a bot token or ids"
            );
            // Installed at Slack all the same, on approval: given back, as the page says.
            self.give_back_unless_installed(&team.id, g.access_token.as_deref())
                .await;
            // Slack answered, with nothing to install: a refused install (4xx, as `ok:false`
            // gets), not a Slack that could not be reached (502).
            return page::failed(
                &self.footer,
                StatusCode::BAD_REQUEST,
                "Slack's answer was incomplete",
                "Slack did not send a bot token. Nothing was changed; please start again.",
                true,
            );
        };
        let sealed = self.key.seal(&team_id, &token);
        let now = self.clock.now().timestamp();
        let name = if team.name.is_empty() {
            team.id.clone()
        } else {
            team.name.clone()
        };
        let (t, n, enterprise, scopes, app) = (
            team_id.clone(),
            name.clone(),
            g.enterprise.as_ref().map(|e| e.id.clone()),
            g.scope.clone(),
            app_id.to_string(),
        );
        let state = state.to_string();
        let saved = self
            .db
            .write(move |tx| {
                store::save_installation(
                    tx,
                    &NewInstallation {
                        team: &t,
                        team_name: &n,
                        enterprise_id: enterprise.as_deref(),
                        app_id: &app,
                        bot_user: &bot_user,
                        sealed_token: &sealed,
                        scopes: &scopes,
                        installed_by: &installer,
                        now,
                    },
                )?;
                store::state_installed(tx, &state, true)
            })
            .await;
        match saved {
            Ok(()) => {
                self.tokens.installed_now(&team_id, &token);
                tracing::info!(team = %team_id, "installed through OAuth");
                page::installed(&self.footer, &name)
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "installation not recorded");
                self.give_back_unless_installed(team_id.as_str(), Some(token.expose()))
                    .await;
                trouble(&self.footer)
            }
        }
    }

    /// [`OAuth::give_back`] for a workspace not installed already (as far as the database
    /// can say), and not for the token `SLACK_BOT_TOKEN` holds: a workspace installing
    /// again may be granted the very token that serves it, which revoking would take from
    /// the install that works. `team` is the workspace's id as Slack sent it; one that is not
    /// an id names no workspace this database could hold, and nothing is given back.
    async fn give_back_unless_installed(&self, team: &str, token: Option<&str>) {
        let Some(team) = TeamId::parse(team) else {
            return;
        };
        if token.is_some_and(|t| self.tokens.is_configured(t)) {
            return;
        }
        if let Ok(None) = self.db.read(move |c| store::installed_at(c, &team)).await {
            self.give_back(token).await;
        }
    }

    /// Revokes a token granted by an install the bot refused or could not record, so the
    /// page's "Nothing was changed" holds at Slack too (the app was installed on approval).
    /// A failure is logged (never the token): the app then stays installed at Slack, with
    /// no token here, until someone removes it or installs again.
    async fn give_back(&self, token: Option<&str>) {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return;
        };
        match self.access.revoke(token).await {
            Ok(()) => tracing::info!("the token of an install not kept was revoked"),
            Err(e) => {
                tracing::warn!(error = ?e, "the token of an install not kept could not be revoked")
            }
        }
    }
}

fn bad_link(footer: &Footer, why: &str) -> HttpResponse {
    page::failed(
        footer,
        StatusCode::BAD_REQUEST,
        "This link cannot be used",
        why,
        true,
    )
}

/// What a used link's page says, by how its install ended (`None`: not known yet, being
/// finished by this process).
fn used_again(installed: Option<bool>) -> &'static str {
    match installed {
        Some(true) => {
            "This installation link has been used already, and that installation worked: it is installed. Look for Makers in Slack."
        }
        Some(false) => {
            "This installation link has been used already, and that installation did not finish: Makers was not installed. Please start the installation again."
        }
        None => {
            "This installation link has been used already, and that installation had not finished when this page was made. Look for Makers in Slack in a moment; if it is not there, start the installation again."
        }
    }
}

/// As [`trouble`], on the install page itself: its link to start again would be itself.
fn trouble_here(footer: &Footer) -> HttpResponse {
    page::failed(
        footer,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem",
        "Nothing was changed. Please try again in a minute.",
        false,
    )
}

/// On the callback page (`/slack/oauth/callback`), with a link to start again.
fn trouble(footer: &Footer) -> HttpResponse {
    page::failed(
        footer,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem",
        "Nothing was changed. Please try again in a minute.",
        true,
    )
}
