//! Which bot token a call for a workspace uses.
//!
//! - Single-token mode (no OAuth): `SLACK_BOT_TOKEN`, for every workspace, as before OAuth.
//! - OAuth: the workspace's installation, its token opened with `MAKERS_SECRET_KEY` and kept
//!   in memory (the callback and uninstall events keep that copy right). A workspace with no
//!   installation falls back to `SLACK_BOT_TOKEN` when it is set and is that token's own
//!   workspace, as Slack's `auth.test` says (so the workspace a single-token deployment
//!   already serves keeps working after OAuth is turned on, before anyone re-installs).
//!   Any other has no token: the bot does not act for it (see `SlackApi::serves`), and its
//!   posts are parked. Slack installs the app in a workspace when someone approves it, before
//!   our callback checks the install (its `state`, `MAKERS_ALLOWED_WORKSPACES`), so a
//!   workspace refused there still sends signed traffic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use slack_morphism::prelude::SlackApiToken;

use super::oauth::OAuth;
use crate::clock::SharedClock;
use crate::config::{Config, ConfigError, Secret};
use crate::domain::{BotToken, SealingKey, TeamId};
use crate::store::{self, AsyncStore, Standing};

/// Where tokens come from; shared by every user of the Web API.
pub enum TokenSource {
    Single(Fallback),
    Installed(Installed),
}

pub struct Installed {
    key: SealingKey,
    /// `MAKERS_PREVIOUS_SECRET_KEY`, during a key change: a command run by hand beside a
    /// `serve` still on it seals nothing again, and opens what that key sealed.
    previous: Option<SealingKey>,
    db: AsyncStore,
    /// Boxed: its once-only question is large, and most deployments have none.
    fallback: Option<Box<Fallback>>,
    opened: Mutex<HashMap<TeamId, SlackApiToken>>,
    /// Moves on at every install and removal: a token read from the store before one is not
    /// kept after it (it may be the removed workspace's revoked token).
    changes: std::sync::atomic::AtomicU64,
    /// The store's [`AsyncStore::outside_writes`] when the kept tokens were last checked
    /// against it: once another process writes (an operator's `erase --even-if-installed`
    /// or `forget-tokens`), none is kept, lest an erased workspace be served till a restart.
    outside_seen: std::sync::atomic::AtomicU64,
}

/// `SLACK_BOT_TOKEN`: one workspace's token (beside OAuth, or for every workspace without).
pub struct Fallback {
    token: SlackApiToken,
    /// Its workspace, asked of Slack at start (or when first needed, if that failed) and
    /// kept, or Slack's refusal of it.
    team: tokio::sync::OnceCell<TokenOwner>,
    /// When Slack was last asked again for a workspace marked as having removed the app
    /// ([`TokenSource::serves_again`]).
    asked_again: Mutex<Option<std::time::Instant>>,
    /// When (unix seconds) the start found it working for its workspace; 0 before. A
    /// removal raised before then is a late retry of one the app was added back since.
    works_since: std::sync::atomic::AtomicI64,
}

impl Fallback {
    /// `token`, whose workspace is not known yet.
    fn new(token: &Secret) -> Fallback {
        Fallback {
            token: SlackApiToken::new(token.expose().into()),
            team: tokio::sync::OnceCell::new(),
            asked_again: Mutex::new(None),
            works_since: Default::default(),
        }
    }

    /// The token's workspace, or Slack's refusal of it, asked of Slack with `owner` the first
    /// time (and again after an `Err`, no answer). `asked_at`: when, if this asking is the
    /// start's (kept as [`Fallback::works_since`] with the answer, before anyone sees it).
    async fn owner<F, Fut>(&self, owner: F, asked_at: Option<i64>) -> Result<&TokenOwner, String>
    where
        F: FnOnce(SlackApiToken) -> Fut,
        Fut: std::future::Future<Output = Result<TokenOwner, String>>,
    {
        self.team
            .get_or_try_init(|| async {
                let own = owner(self.token.clone()).await?;
                if let (TokenOwner::Team(_), Some(at)) = (&own, asked_at) {
                    self.works_since
                        .store(at, std::sync::atomic::Ordering::Release);
                }
                if let TokenOwner::Refused(code) = &own {
                    tracing::error!(
                        code,
                        "Slack refuses SLACK_BOT_TOKEN (auth.test): its workspace's posts wait (put right, they go out at the next start); workspaces installed through OAuth, if any, are served"
                    );
                }
                Ok(own)
            })
            .await
    }

    /// Whether Slack may be asked again now (at most once a minute).
    fn may_ask_again(&self) -> bool {
        let mut last = self.asked_again.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|at| at.elapsed() < ASK_AGAIN_AFTER) {
            return false;
        }
        *last = Some(std::time::Instant::now());
        true
    }

    /// Its workspace, if Slack has been asked and named one.
    fn known_team(&self) -> Option<&TeamId> {
        match self.team.get() {
            Some(TokenOwner::Team(team)) => Some(team),
            _ => None,
        }
    }
}

/// How often, at most, Slack is asked again whether `SLACK_BOT_TOKEN` works for a workspace
/// marked as having removed the app that sends requests.
const ASK_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The longest a request waits to learn whose `SLACK_BOT_TOKEN` is (an `auth.test` is given
/// as long), so that it is still answered within Slack's 3 s.
const OWNER_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// What Slack said `SLACK_BOT_TOKEN` is (`auth.test`), asked by whoever holds a client.
pub enum TokenOwner {
    /// The token is this workspace's.
    Team(TeamId),
    /// Slack refused the token (`invalid_auth`, `token_revoked`, …).
    Refused(String),
}

/// Why there is no token for a workspace.
#[derive(Debug)]
pub enum NoToken {
    /// Not installed (or uninstalled), and no `SLACK_BOT_TOKEN` to fall back on.
    NotInstalled,
    /// The installation could not be read: worth trying again.
    Unreadable(String),
    /// Slack refuses `SLACK_BOT_TOKEN` (its code), so whose it is cannot be known: posts of
    /// a workspace it served wait, as for any refused token.
    Refused(String),
}

impl TokenSource {
    pub fn single(token: &Secret) -> Arc<TokenSource> {
        Arc::new(TokenSource::Single(Fallback::new(token)))
    }

    /// OAuth mode; `fallback` is `SLACK_BOT_TOKEN` (empty when unset); a token `key` does not
    /// open is opened with `previous`, if set.
    pub fn installed(
        key: SealingKey,
        previous: Option<SealingKey>,
        db: AsyncStore,
        fallback: &Secret,
    ) -> Arc<TokenSource> {
        let fallback = (!fallback.expose().is_empty()).then(|| Box::new(Fallback::new(fallback)));
        let outside_seen = std::sync::atomic::AtomicU64::new(db.outside_writes());
        Arc::new(TokenSource::Installed(Installed {
            key,
            previous,
            db,
            fallback,
            opened: Mutex::new(HashMap::new()),
            changes: std::sync::atomic::AtomicU64::new(0),
            outside_seen,
        }))
    }

    /// Whether `token` is `SLACK_BOT_TOKEN`, which serves workspaces without an installation.
    pub fn is_configured(&self, token: &str) -> bool {
        self.configured()
            .is_some_and(|f| f.token.token_value.0 == token)
    }

    /// `SLACK_BOT_TOKEN`'s own workspace, if Slack has been asked (at start) and named one.
    pub fn configured_team(&self) -> Option<TeamId> {
        self.configured().and_then(Fallback::known_team).cloned()
    }

    /// When the start found `SLACK_BOT_TOKEN` working for `team`, its own workspace, if it did.
    pub fn configured_works_since(&self, team: &TeamId) -> Option<i64> {
        let fallback = self.configured()?;
        let since = fallback
            .works_since
            .load(std::sync::atomic::Ordering::Acquire);
        (fallback.known_team() == Some(team) && since > 0).then_some(since)
    }

    /// `SLACK_BOT_TOKEN`, if set.
    fn configured(&self) -> Option<&Fallback> {
        match self {
            TokenSource::Single(single) => Some(single),
            TokenSource::Installed(inst) => inst.fallback.as_deref(),
        }
    }

    /// The token for work in `team`. `owner` asks Slack whose `SLACK_BOT_TOKEN` is, once:
    /// an `Err` (no answer) is asked again at the next call.
    pub async fn token_for<F, Fut>(&self, team: &TeamId, owner: F) -> Result<SlackApiToken, NoToken>
    where
        F: FnOnce(SlackApiToken) -> Fut,
        Fut: std::future::Future<Output = Result<TokenOwner, String>>,
    {
        let inst = match self {
            TokenSource::Single(single) => return Ok(single.token.clone()),
            TokenSource::Installed(inst) => inst,
        };
        inst.follow_outside_writes();
        if let Some(token) = inst.cached(team) {
            return Ok(token);
        }
        let seen = inst.changes.load(std::sync::atomic::Ordering::Acquire);
        let wanted = team.clone();
        let standing = inst
            .db
            .read(move |c| store::standing(c, &wanted))
            .await
            .map_err(|e| NoToken::Unreadable(format!("{e:#}")))?;
        let sealed = match standing {
            Standing::Installed(sealed) => sealed,
            // `SLACK_BOT_TOKEN` is one workspace's token: never for one that removed the app.
            Standing::Removed => return Err(NoToken::NotInstalled),
            Standing::Never => {
                let fallback = inst.fallback.as_ref().ok_or(NoToken::NotInstalled)?;
                // Another workspace's token would post as that workspace's bot, or be
                // refused: a workspace whose install was refused is not served.
                // The whole wait bounded, not only the asking: requests behind one asking wait
                // for it, and each then asks again itself, so with Slack not answering the
                // third was answered after 6 s, past Slack's 3 s.
                let asked = tokio::time::timeout(OWNER_WAIT, fallback.owner(owner, None))
                    .await
                    .unwrap_or_else(|_| {
                        // Said as a call unanswered, so a post waiting on it holds the
                        // workspace's posts as one would (`Worker::heed`).
                        let waited = super::client::no_answer_in(OWNER_WAIT);
                        Err(format!("{waited} for whose SLACK_BOT_TOKEN is (auth.test)"))
                    });
                match asked.map_err(NoToken::Unreadable)? {
                    TokenOwner::Team(own) if own == team => {}
                    TokenOwner::Team(_) => return Err(NoToken::NotInstalled),
                    // Failed at once, the posts of the workspace it served were lost
                    // for good, although a token put right would post them.
                    TokenOwner::Refused(code) => return Err(NoToken::Refused(code.clone())),
                }
                // Kept like an opened token (an install later replaces it), so the store is
                // not read again at every call for this workspace.
                inst.remember_since(seen, team, fallback.token.clone());
                return Ok(fallback.token.clone());
            }
        };
        // The key was checked at start; a row that still does not open was changed by hand.
        // (Or sealed under the previous key of a change, by a `serve` still on it.)
        let token = inst
            .key
            .open(team, &sealed)
            .or_else(|e| match &inst.previous {
                Some(previous) => previous.open(team, &sealed),
                None => Err(e),
            })
            .map_err(|_| {
                NoToken::Unreadable(format!("the stored token of {team} does not open"))
            })?;
        let token = SlackApiToken::new(token.expose().into());
        inst.remember_since(seen, team, token.clone());
        Ok(token)
    }

    /// With `SLACK_BOT_TOKEN` set, asks Slack whose it is now (at start): beside OAuth, so
    /// the first request from its workspace does not wait for the answer (and many at once
    /// do not queue behind it); in either mode, so a removal by its workspace is remembered
    /// (without OAuth it was only if some workspace happened to be marked at start). The
    /// workspace it works for (`None`: no token to ask of, or Slack refuses it);
    /// an `Err`, no answer: the caller asks again.
    pub async fn learn_fallback_owner<F, Fut>(
        &self,
        owner: F,
        now: i64,
    ) -> Result<Option<TeamId>, String>
    where
        F: FnOnce(SlackApiToken) -> Fut,
        Fut: std::future::Future<Output = Result<TokenOwner, String>>,
    {
        let Some(fallback) = self.configured() else {
            return Ok(None);
        };
        match fallback.owner(owner, Some(now)).await? {
            TokenOwner::Team(team) => {
                tracing::info!(%team, "SLACK_BOT_TOKEN serves its own workspace");
                Ok(Some(team.clone()))
            }
            TokenOwner::Refused(_) => Ok(None),
        }
    }

    /// A request from `team`, marked as having removed the app (beside OAuth, with no
    /// installation): Slack sends none from a workspace the app is not in, so the app was
    /// added there again. If `SLACK_BOT_TOKEN` may be its token (whose it is not known yet,
    /// the start's `auth.test` having failed, or known to be `team`'s), Slack is asked (at
    /// most once a minute) whether it works there; if so, the mark goes and it serves `team`.
    /// Else the mark would outlive a working token, every request of `team` dropped.
    pub async fn serves_again<F, Fut>(&self, team: &TeamId, owner: F) -> bool
    where
        F: FnOnce(SlackApiToken) -> Fut,
        Fut: std::future::Future<Output = Result<TokenOwner, String>>,
    {
        let TokenSource::Installed(inst) = self else {
            return false;
        };
        let Some(fallback) = &inst.fallback else {
            return false;
        };
        if fallback.known_team().is_some_and(|own| own != team) || !fallback.may_ask_again() {
            return false;
        }
        match owner(fallback.token.clone()).await {
            Ok(TokenOwner::Team(own)) if own == *team => {}
            _ => return false,
        }
        // Whoever else is asking (the start's retries) is told too; already told, the same.
        let _ = fallback.team.set(TokenOwner::Team(team.clone()));
        let t = team.clone();
        match inst
            .db
            .write(move |tx| store::installed_again(tx, &t))
            .await
        {
            Ok(_) => {
                tracing::info!(
                    %team,
                    "SLACK_BOT_TOKEN works for this workspace, marked as having removed the app: it is served again"
                );
                true
            }
            Err(e) => {
                tracing::warn!(%team, error = format!("{e:#}"), "removed mark not cleared");
                false
            }
        }
    }

    /// A new or re-installed workspace's token, in use at once.
    pub fn installed_now(&self, team: &TeamId, token: &BotToken) {
        if let TokenSource::Installed(inst) = self {
            inst.changed();
            inst.remember(team, Some(SlackApiToken::new(token.expose().into())));
        }
    }

    /// A workspace that uninstalled the app: its token is forgotten.
    pub fn uninstalled(&self, team: &TeamId) {
        if let TokenSource::Installed(inst) = self {
            inst.changed();
            inst.remember(team, None);
        }
    }
}

impl Installed {
    fn cached(&self, team: &TeamId) -> Option<SlackApiToken> {
        let opened = self.opened.lock().unwrap_or_else(|p| p.into_inner());
        opened.get(team).cloned()
    }

    fn changed(&self) {
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Drops every kept token if another process has written since last looked: it may have
    /// removed an installation (`makers-bot erase`), which the uninstall events that keep
    /// this copy right never tell. Each is read again from the store at its next use (at an
    /// operator's command, and under Litestream at each of its checkpoints, which writes to
    /// the file: a read and an opening a workspace, no more), and a read begun before is not
    /// kept ([`Installed::changed`]).
    fn follow_outside_writes(&self) {
        let now = self.db.outside_writes();
        let seen = self
            .outside_seen
            .swap(now, std::sync::atomic::Ordering::AcqRel);
        if seen != now {
            self.changed();
            self.opened
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
        }
    }

    /// Keeps `token`, read from the store when [`Installed::changes`] was `seen`, unless an
    /// install or removal came since (then the next call reads the store again).
    fn remember_since(&self, seen: u64, team: &TeamId, token: SlackApiToken) {
        let mut opened = self.opened.lock().unwrap_or_else(|p| p.into_inner());
        if self.changes.load(std::sync::atomic::Ordering::Acquire) == seen {
            opened.insert(team.clone(), token);
        }
    }

    fn remember(&self, team: &TeamId, token: Option<SlackApiToken>) {
        let mut opened = self.opened.lock().unwrap_or_else(|p| p.into_inner());
        match token {
            Some(t) => opened.insert(team.clone(), t),
            None => opened.remove(team),
        };
    }
}

/// Which process takes the tokens: what it does without the OAuth settings on a database
/// holding workspaces installed through OAuth, and whether it may change the stored ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taker {
    /// `serve`: starts without the OAuth settings, and says so (a deployment may turn OAuth
    /// off on purpose); records the key check on a first start, and seals the tokens again
    /// under `MAKERS_SECRET_KEY` during a key change.
    Serve,
    /// A command run by hand (`digest --now`): refuses without the OAuth settings, naming
    /// them; during a key change opens the tokens with either key and changes nothing, as
    /// `check` does: a `serve` still running on the old key could not open them resealed.
    ByHand,
}

/// The token source for `config`, and the OAuth routes if OAuth is on. In OAuth mode the
/// stored key check must open with `MAKERS_SECRET_KEY` (or `MAKERS_PREVIOUS_SECRET_KEY`,
/// during a key change; else it is not the key the tokens were sealed with, and the bot
/// refuses to start); `serve`'s first start records it.
pub async fn from_config(
    config: &Config,
    db: &AsyncStore,
    clock: &SharedClock,
    public_url: &str,
    taker: Taker,
) -> anyhow::Result<(Arc<TokenSource>, Option<OAuth>)> {
    if BotToken::rotates(config.bot_token.expose()) {
        // Taken (the app may be between apps), but said: the bot does not renew tokens.
        tracing::warn!(
            "SLACK_BOT_TOKEN is a rotating token (xoxe.): it expires 12 hours after it was issued, and the bot does not renew it"
        );
    }
    let Some(oauth) = &config.oauth else {
        // `SLACK_BOT_TOKEN` is one workspace's: used for workspaces installed through OAuth,
        // Slack would refuse their posts for good (their digests' channels stopped).
        let installed = db.read(store::installation_count).await?;
        if installed > 0 && taker == Taker::ByHand {
            let why = format!(
                "this database holds {installed} workspace(s) installed through OAuth, which SLACK_BOT_TOKEN cannot post for: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and MAKERS_SECRET_KEY as `serve` has them"
            );
            return Err(ConfigError::unusable("SLACK_BOT_TOKEN", "***", why).into());
        }
        if installed > 0 {
            tracing::warn!(
                installed,
                "OAuth is off (no SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), yet this database holds workspaces installed through OAuth: their posts go with SLACK_BOT_TOKEN, which Slack will refuse for them (their digests' channels stopped); set the OAuth settings the workspaces were installed with"
            );
        }
        return Ok((TokenSource::single(&config.bot_token), None));
    };
    if !public_url.starts_with("https://") {
        // Slack refuses a redirect_uri that is not HTTPS: installs would fail at Slack.
        tracing::warn!(
            public_url,
            "OAuth is on but MAKERS_PUBLIC_URL is not https://; Slack will refuse the redirect"
        );
    }
    let key = SealingKey::new(&oauth.key_bytes());
    let previous = oauth.previous_key_bytes().map(|k| SealingKey::new(&k));
    check_key(db, &key, previous.clone(), clock.now().timestamp(), taker).await?;
    if let Some(allowed) = &oauth.allowed {
        // The list keeps out new installs; one made before a workspace left the list stays
        // installed and served, which the operator must hear of to act on.
        let installed = db.read(store::sealed_tokens).await?;
        let outside: Vec<String> = installed
            .into_iter()
            .map(|(team, _)| team)
            .filter(|team| !allowed.allows(team))
            .collect();
        if !outside.is_empty() {
            tracing::warn!(
                workspaces = outside.join(","),
                "installed through OAuth but not in MAKERS_ALLOWED_WORKSPACES: still installed and served until the app is removed there (or the workspace is erased: makers-bot erase)"
            );
        }
    }
    let tokens = TokenSource::installed(key, previous, db.clone(), &config.bot_token);
    let routes = OAuth::new(
        oauth,
        &config.api_url,
        public_url,
        db.clone(),
        clock.clone(),
        tokens.clone(),
        &config.proxies,
    )?
    .with_footer(crate::web::Footer::of(config));
    Ok((tokens, Some(routes)))
}

async fn check_key(
    db: &AsyncStore,
    key: &SealingKey,
    previous: Option<SealingKey>,
    now: i64,
    taker: Taker,
) -> anyhow::Result<()> {
    let (opened, before) = (key.clone(), previous.clone());
    let found = db
        .read(move |c| key_opens(c, &opened, before.as_ref()))
        .await?;
    if taker == Taker::ByHand {
        // Checked, and nothing changed: `serve`'s start records the check and seals again.
        return Ok(());
    }
    match (found, previous) {
        (KeyCheck::NoneYet, _) => {
            let fresh = key.check_value();
            db.write(move |tx| store::set_key_check(tx, &fresh, now))
                .await
        }
        (KeyCheck::NothingSealed, _) => {
            tracing::warn!(
                "MAKERS_SECRET_KEY is not the key recorded before, but no bot token is stored: it is recorded in its place"
            );
            let fresh = key.check_value();
            db.write(move |tx| store::replace_key_check(tx, &fresh, now))
                .await
        }
        // `Previous` is found only with a previous key.
        (_, None) => Ok(()),
        (_, Some(previous)) => {
            let key = key.clone();
            let n = db
                .write(move |tx| change_key(tx, &previous, &key, now))
                .await?;
            tracing::info!(
                tokens = n,
                "stored bot tokens sealed again under MAKERS_SECRET_KEY; remove MAKERS_PREVIOUS_SECRET_KEY once every process runs with the new key and no backup made before the change is kept"
            );
            Ok(())
        }
    }
}

/// The key changing from `from` to `to`, in one transaction: each stored token still sealed
/// under `from` is sealed again under `to`. While the key check is still `from`'s, every
/// token must open with `from` (all or none; else the start stops, naming the setting) and
/// the check is replaced too. Once it is `to`'s (this or another process changed keys), only
/// stragglers are sealed again: tokens a process still on the old key sealed meanwhile.
/// Returns how many tokens were sealed again.
fn change_key(
    tx: &rusqlite::Connection,
    from: &SealingKey,
    to: &SealingKey,
    now: i64,
) -> anyhow::Result<usize> {
    let changing = !key_opens(tx, to, None).is_ok_and(|found| found == KeyCheck::Stored);
    let mut resealed = Vec::new();
    for (team, sealed) in store::sealed_tokens(tx)? {
        let id = TeamId::parse(&team);
        let already = id.as_ref().is_some_and(|t| to.open(t, &sealed).is_ok());
        if !changing && already {
            continue;
        }
        match id.and_then(|t| Some((from.open(&t, &sealed).ok()?, t))) {
            Some((token, t)) => resealed.push((t.clone(), to.seal(&t, &token))),
            None if changing => {
                let why = format!("it does not open the stored bot token of {team}");
                return Err(ConfigError::unusable("MAKERS_PREVIOUS_SECRET_KEY", "***", why).into());
            }
            None => {}
        }
    }
    store::replace_sealed(tx, &resealed)?;
    if changing {
        store::replace_key_check(tx, &to.check_value(), now)?;
    }
    Ok(resealed.len())
}

/// What [`key_opens`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyCheck {
    /// The stored key check opens with the key.
    Stored,
    /// No check stored yet (a fresh database), and every stored token opens: record one.
    NoneYet,
    /// The stored key check opens with `MAKERS_PREVIOUS_SECRET_KEY`: the key is being
    /// changed, and the tokens are to be sealed again under the new one.
    Previous,
    /// The stored key check opens with neither, but no bot token is stored: nothing was
    /// sealed with the key it was made with (lost, say), so `serve` records this one.
    NothingSealed,
}

/// Whether `key` (`MAKERS_SECRET_KEY`) is the one the database's bot tokens were sealed with,
/// or else `previous` (`MAKERS_PREVIOUS_SECRET_KEY`, the key being changed from); a setting
/// that cannot be used if neither (exit 2 at start, and from `makers-bot check`).
pub fn key_opens(
    conn: &rusqlite::Connection,
    key: &SealingKey,
    previous: Option<&SealingKey>,
) -> anyhow::Result<KeyCheck> {
    let wrong = |why: String| ConfigError::unusable("MAKERS_SECRET_KEY", "***", why);
    match store::key_check(conn)? {
        Some(check) if key.opens_check(&check) => Ok(KeyCheck::Stored),
        Some(check) if previous.is_some_and(|p| p.opens_check(&check)) => Ok(KeyCheck::Previous),
        // A key lost with no workspace installed loses nothing: no way out is needed.
        Some(_) if store::installation_count(conn)? == 0 => Ok(KeyCheck::NothingSealed),
        Some(_) if previous.is_some() => Err(wrong(
            "neither it nor MAKERS_PREVIOUS_SECRET_KEY is the key the stored bot tokens were \
             encrypted with"
                .into(),
        )
        .into()),
        Some(_) => Err(wrong(
            "it is not the key the stored bot tokens were encrypted with (set the key used \
             before, as MAKERS_SECRET_KEY or, to change keys, as MAKERS_PREVIOUS_SECRET_KEY; \
             if that key is lost, `makers-bot forget-tokens` forgets the stored tokens, \
             keeping every workspace's projects and people, and each workspace installs again)"
                .into(),
        )
        .into()),
        None => {
            for (team, sealed) in store::sealed_tokens(conn)? {
                let opens = TeamId::parse(&team).is_some_and(|t| key.open(&t, &sealed).is_ok());
                if !opens {
                    return Err(
                        wrong(format!("it does not open the stored bot token of {team}")).into(),
                    );
                }
            }
            Ok(KeyCheck::NoneYet)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OAuth mode with `SLACK_BOT_TOKEN` kept, on a fresh database (kept while the directory is).
    fn oauth_with_bot_token() -> (tempfile::TempDir, Arc<TokenSource>) {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(crate::store::Store::open(&dir.path().join("t.db")).unwrap());
        let source = TokenSource::installed(
            SealingKey::new(&[7; 32]),
            None,
            db,
            &Secret::new("xoxb-fallback"),
        );
        (dir, source)
    }

    /// A token read from the store before an install or removal is not kept after it: it
    /// may be the removed workspace's revoked token (the read and the removal race).
    #[tokio::test]
    async fn a_token_read_before_a_removal_is_not_kept_after_it() {
        let (_dir, source) = oauth_with_bot_token();
        let TokenSource::Installed(inst) = source.as_ref() else {
            unreachable!()
        };
        let team = TeamId::parse("T1").unwrap();
        let token = SlackApiToken::new("xoxb-read-before".to_string().into());
        let seen = inst.changes.load(std::sync::atomic::Ordering::Acquire);
        source.uninstalled(&team); // the removal lands between the read and the keeping
        inst.remember_since(seen, &team, token.clone());
        assert!(inst.cached(&team).is_none());
        // With nothing in between, it is kept.
        let seen = inst.changes.load(std::sync::atomic::Ordering::Acquire);
        inst.remember_since(seen, &team, token);
        assert!(inst.cached(&team).is_some());
    }

    /// Slack not answering whose `SLACK_BOT_TOKEN` is: a work waiting on it is given up in
    /// the asking's 2 s, and said as a call unanswered, so that the outbox holds the
    /// workspace's posts as for any hanging Slack rather than try each channel's in turn.
    #[tokio::test(start_paused = true)]
    async fn a_wait_for_whose_the_bot_token_is_ends_in_time_said_as_unanswered() {
        let (_dir, source) = oauth_with_bot_token();
        let team = TeamId::parse("T1").unwrap();
        let never = |_| std::future::pending::<Result<TokenOwner, String>>();
        let started = tokio::time::Instant::now();
        match source.token_for(&team, never).await {
            Err(NoToken::Unreadable(why)) => {
                assert!(super::super::client::is_unanswered(&why), "{why}")
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        assert!(started.elapsed() <= OWNER_WAIT + std::time::Duration::from_millis(100));
    }
}
