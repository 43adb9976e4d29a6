//! Wiring: the store, the Slack client, the HTTP service and the background workers.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::clock::{self, SharedClock};
use crate::config::{Config, ConfigError};
use crate::db_lock;
use crate::maintenance;
use crate::scheduler::Scheduler;
use crate::slack::HomePublisher;
use crate::slack::client::SlackApi;
use crate::slack::delivery;
use crate::slack::render::{self, Look};
use crate::slack::routes::Routes;
use crate::slack::server;
use crate::slack::socket::{SocketHealth, SocketMode};
use crate::slack::tokens::{self, KeyCheck};
use crate::slack::verify::Verifier;
use crate::store::{self, AsyncStore, Store};
use crate::web::{Catalogue, Footer};

/// A built, listening app; [`App::run`] serves it.
pub struct App {
    listener: TcpListener,
    routes: Arc<Routes>,
    /// Slack's traffic over Socket Mode, when `SLACK_APP_TOKEN` is set.
    socket: Option<SocketMode>,
    worker: delivery::Worker,
    scheduler: Scheduler,
    db: AsyncStore,
    clock: SharedClock,
    addr: SocketAddr,
    /// Held while the app lives ([`hold_the_database`]).
    _serving: std::fs::File,
}

impl App {
    /// Opens and migrates the database, binds the address and prepares the workers.
    pub async fn build(config: &Config) -> anyhow::Result<App> {
        App::build_with_clock(config, clock::system()).await
    }

    /// As [`App::build`], with the clock everything records time by (tests move it forward).
    pub async fn build_with_clock(config: &Config, clock: SharedClock) -> anyhow::Result<App> {
        let serving = hold_the_database(&config.db_path)?;
        // This start is the one bot on the file (it holds the lock): nothing else serves it.
        let db = AsyncStore::new(open_store(config, crate::store::Replay::Copy)?);
        // A log left by the last process may hold a forget's rows as they were: it asked to
        // empty the log only in memory, and was killed first, or stopped while a reader (a
        // `backup`) kept the log from emptying and from going with the close. Emptied now,
        // as after a forget (where Litestream checkpoints, the log is Litestream's).
        db.clear_log();
        db.observe_batches(|writes| crate::metrics::metrics().write_batch(writes));
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| addr_unusable(config.addr, e, false))?;
        let addr = listener.local_addr()?;
        let outbox = Arc::new(Notify::new());
        let rules = Arc::new(config.rules());
        let public_url = config.public_url_or(addr);
        let (tokens, oauth) =
            tokens::from_config(config, &db, &clock, &public_url, tokens::Taker::Serve).await?;
        let api = SlackApi::new(&config.api_url, tokens, &config.proxies)?;
        let look = Look::of(&rules, &public_url, join_seal(config));
        let socket_health = config.app_token.as_ref().map(|_| SocketHealth::default());
        let worker = delivery::Worker::new(
            db.clone(),
            clock.clone(),
            api.clone(),
            look.clone(),
            outbox.clone(),
        )
        .looking_every(config.outbox_idle_poll)
        .reading_reactions(rules.clone());
        let routes = Arc::new(Routes {
            catalogue: Catalogue::new(db.clone(), config.tz, &public_url, Footer::of(config))
                .known_at(config.public_url.as_deref())
                .with_clock(clock.clone()),
            verifier: config.signing_secret.clone().map(Verifier::new),
            socket: socket_health.clone(),
            db: db.clone(),
            look: look.clone(),
            rules: rules.clone(),
            clock: clock.clone(),
            cache: Default::default(),
            outbox: outbox.clone(),
            homes: Arc::new(HomePublisher::new(
                db.clone(),
                api.clone(),
                look.clone(),
                rules.clone(),
                clock.clone(),
            )),
            api,
            oauth,
            unrecorded: worker.unrecorded(),
            database_check: Default::default(),
            detached: Default::default(),
            active: Default::default(),
            orgs: Default::default(),
        });
        let socket = match (&config.app_token, socket_health) {
            (Some(token), Some(health)) => Some(SocketMode::new(
                &config.api_url,
                token.clone(),
                routes.clone(),
                health,
                config.socket_timing,
                config.proxies.clone(),
            )?),
            _ => None,
        };
        let scheduler = Scheduler {
            db: db.clone(),
            clock: clock.clone(),
            rules,
            outbox,
            tick: config.scheduler_tick,
        };
        Ok(App {
            listener,
            routes,
            socket,
            worker,
            scheduler,
            db,
            clock,
            addr,
            _serving: serving,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `stop` is cancelled; then stops taking connections, finishes requests in
    /// flight, lets the outbox worker finish the post or question it is making at Slack (it
    /// begins nothing more there), and closes the database.
    pub async fn run(self, stop: CancellationToken) -> Stopped {
        let _serving = self._serving;
        let closed = self.db.closing();
        tracing::info!(addr = %self.addr, "makers-bot listening");
        let worker = tokio::spawn(self.worker.run(stop.clone()));
        let housekeeping = tokio::spawn(maintenance::run(self.db, self.clock, stop.clone()));
        let scheduler = tokio::spawn(self.scheduler.run(stop.clone()));
        // Whose SLACK_BOT_TOKEN is, in either mode: asked now (and again until Slack answers)
        // rather than by the first request.
        let owner = tokio::spawn(learn_configured_owner(
            self.routes.api.clone(),
            self.routes.db.clone(),
            self.routes.clock.clone(),
            stop.clone(),
        ));
        let socket = self.socket.map(|s| tokio::spawn(s.run(stop.clone())));
        server::serve(self.listener, self.routes, stop).await;
        if let Some(socket) = socket {
            let _ = socket.await;
        }
        let _ = worker.await;
        let _ = housekeeping.await;
        let _ = scheduler.await;
        let _ = owner.await;
        // Requests still in flight after the drain (stuck: Slack gave up on them long ago)
        // hold the store; once they end, its threads do, and the last of them closes the
        // file. Wait for that (briefly), so that whoever runs next on this path does not
        // have its WAL deleted by our close.
        let database_closed = tokio::select! {
            _ = closed.wait() => true,
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => false,
        };
        if !database_closed {
            tracing::warn!("stopped with the database still open");
            // Its lock is kept until the process ends: another `serve` of this file in this
            // process (a test's, an embedder's) is refused rather than raced by our close.
            std::mem::forget(_serving);
        }
        Stopped { database_closed }
    }
}

/// How [`App::run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Whether the database was closed (`false`: something still held it 2 s after the
    /// drain; its lock is then kept until the process ends).
    pub database_closed: bool,
}

/// The first wait before asking Slack again whose `SLACK_BOT_TOKEN` is, doubled at each
/// failure up to [`OWNER_ASKED_AGAIN_MAX`].
const OWNER_ASKED_AGAIN_FIRST: std::time::Duration = std::time::Duration::from_secs(5);
const OWNER_ASKED_AGAIN_MAX: std::time::Duration = std::time::Duration::from_secs(600);

/// Asks Slack whose `SLACK_BOT_TOKEN` is, at start: beside OAuth, so the first request need
/// not wait; in either mode, so a removal by its workspace is remembered as removed. A
/// token that works for a marked workspace means the app is installed there again (added by
/// hand, its new token set): the mark goes, or its digests and nudges would never be queued.
/// Without an answer (Slack slow or down, the network not up yet at boot), asked again
/// until one comes or `stop`: one failed question kept the mark, and the workspace
/// unserved, for the whole run.
async fn learn_configured_owner(
    api: SlackApi,
    db: AsyncStore,
    clock: SharedClock,
    stop: CancellationToken,
) {
    let mut wait = OWNER_ASKED_AGAIN_FIRST;
    let team = loop {
        match api.learn_fallback_owner(clock.now().timestamp()).await {
            Ok(Some(team)) => break team,
            Ok(None) => return,
            Err(why) => tracing::warn!(
                why,
                again_in_secs = wait.as_secs(),
                "will ask Slack again whose SLACK_BOT_TOKEN is"
            ),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = (wait * 2).min(OWNER_ASKED_AGAIN_MAX);
    };
    let t = team.clone();
    match db.write(move |tx| store::installed_again(tx, &t)).await {
        Ok(true) => tracing::info!(
            %team,
            "SLACK_BOT_TOKEN works for this workspace, marked as having removed the app: it is served again"
        ),
        Ok(false) => {}
        Err(e) => tracing::warn!(%team, error = format!("{e:#}"), "removed mark not cleared"),
    }
}

/// Takes the lock only one `serve` of a database may hold ([`db_lock`]); held by another, a
/// [`ConfigError`] naming `MAKERS_DB` and the holder.
fn hold_the_database(path: &Path) -> anyhow::Result<std::fs::File> {
    db_dir(path)?;
    db_lock::hold(path).map_err(|why| unusable_db(path, why))
}

/// Opens `MAKERS_DB`; a file that cannot be used (its directory missing or read-only, another
/// application's database, a newer schema) is a [`ConfigError`] naming the setting, so the
/// process exits 2 and systemd does not restart it into the same wall (a busy one is not:
/// [`open_failed`]).
fn open_store(config: &Config, replay: crate::store::Replay) -> anyhow::Result<Store> {
    let path = &config.db_path;
    db_dir(path)?;
    Store::open_replaying(path, config.checkpoints, replay).map_err(|e| open_failed(path, e))
}

/// [`open_store`] for a command run by hand: beside a running `serve`, the forget ledger ahead
/// of the database is a request that failed, not a copy put back, and an erase in it is made
/// as the server makes it, not past the workspace's installation or posts owed (without, the
/// open erased a workspace installed again since, and perhaps a post of it at Slack then).
fn open_store_by_hand(config: &Config) -> anyhow::Result<Store> {
    let replay = match db_lock::check_free(&config.db_path) {
        Ok(()) => crate::store::Replay::Copy,
        // Held, or it cannot be told: as held, the safe way.
        Err(_) => {
            refuse_older_beside_serve(&config.db_path)?;
            crate::store::Replay::Live
        }
    };
    open_store(config, replay)
}

/// Beside a running `serve`, refuses a database older than this build, changing nothing:
/// migrated here, it would be written on by that older build with its own rules (its prune
/// undoing what a migration filled in), and refused at that build's next start (exit 2, so
/// not restarted), leaving the bot down.
fn refuse_older_beside_serve(path: &Path) -> anyhow::Result<()> {
    // None there: nothing to migrate under anyone (`digest --now` makes one).
    if !path.try_exists().unwrap_or(true) {
        return Ok(());
    }
    let version = Store::schema_version_at(path).map_err(|e| open_failed(path, e))?;
    let latest = crate::store::MIGRATIONS.len();
    anyhow::ensure!(
        version >= latest,
        "a makers-bot serve is running on {} and the database is at schema version {version}, older than this build's ({latest}): that serve is of an older build (or this build's, still starting: then try again in a moment), and this command would migrate the database under it. Nothing was changed: stop that serve and start this build's in its place (which brings the database up to date), then run this command again; or run it with the build that serve runs",
        path.display()
    );
    Ok(())
}

/// An error opening (or catching up) `MAKERS_DB`: its write lock held by another process past
/// the busy timeout (the bot's long write, another command's) is no setting's fault, and
/// waiting mends it: exit 1, which the unit retries (as 2, `check` made it 78 and the bot was
/// left stopped). Anything else is the file's, named as a setting that cannot be used.
fn open_failed(path: &Path, e: anyhow::Error) -> anyhow::Error {
    if crate::store::is_busy(&e) {
        return e.context(
            "the database is busy (another process, the bot or another makers-bot command, is writing it): nothing was changed; try again",
        );
    }
    unusable_db(path, e)
}

/// The directory `MAKERS_DB` is in, if it exists.
fn db_dir(path: &Path) -> anyhow::Result<&Path> {
    let dir = db_lock::folder_of(path);
    if !dir.is_dir() {
        let why = format!("the directory {} does not exist", dir.display());
        return Err(ConfigError::unusable("MAKERS_DB", path.display(), why).into());
    }
    Ok(dir)
}

fn unusable_db(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    ConfigError::unusable("MAKERS_DB", path.display(), format!("{e:#}")).into()
}

/// `makers-bot check`: whether `serve` could start with these settings, changing nothing
/// (no database is created or migrated) but one thing: a database put back from before
/// someone asked to be forgotten forgets them again. For a service manager to run first:
/// under Litestream's `-exec` the bot's exit status 2 for a setting it cannot use becomes 1,
/// and the unit would restart it; this says 2 before Litestream starts.
pub async fn check(config: &Config) -> anyhow::Result<Checked> {
    // The TLS client `serve` builds, built the same way: CA certificates it cannot load
    // (`SSL_CERT_FILE` mistyped, or hidden by the unit's `ProtectHome=yes`) would stop
    // `serve` with 1, which the unit restarts until it gives up.
    crate::slack::client::https_connector(false, &config.proxies).map_err(|e| {
        match config.ssl_cert_file.as_deref() {
            Some(file) => ConfigError::unusable("SSL_CERT_FILE", file, format!("{e:#}")),
            // Not set: the system's store (or `SSL_CERT_DIR`) is what failed, and this is the
            // setting that would mend it.
            None => ConfigError::unusable(
                "SSL_CERT_FILE",
                "",
                format!("it is not set, and the system's CA certificates (or SSL_CERT_DIR's) could not be loaded: {e:#}"),
            ),
        }
    })?;
    let path = &config.db_path;
    let dir = db_dir(path)?;
    let mut key_checked = false;
    let mut key_said = None;
    let mut forgets_behind = 0;
    let mut ledger_missing = None;
    if path.exists() {
        let conn = Store::check_existing(path).map_err(|e| open_failed(path, e))?;
        forgets_behind = Store::forgets_behind(&conn).map_err(|e| open_failed(path, e))?;
        ledger_missing = crate::store::ledger_missing(&conn).map_err(|e| open_failed(path, e))?;
        // The stored tokens' key, where the schema has tokens: also on a new build's first
        // check, before `serve` migrates (and Litestream copies) a file it then cannot serve.
        if let Some(oauth) = &config.oauth
            && crate::store::holds_tokens(&conn)?
        {
            let key = crate::domain::SealingKey::new(&oauth.key_bytes());
            let previous = oauth
                .previous_key_bytes()
                .map(|k| crate::domain::SealingKey::new(&k));
            // With the previous key, `serve` will seal the tokens again under the new one.
            let found = crate::slack::tokens::key_opens(&conn, &key, previous.as_ref())?;
            key_checked = true;
            key_said = which_key_opens(&found, previous.is_some());
        }
    }
    // Writing the directory is what creating the file, its WAL and its lock file needs.
    let probe = dir.join(format!(".makers-bot-check-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .map_err(|e| unusable_db(path, format_args!("cannot write in {}: {e}", dir.display())))?;
    let _ = std::fs::remove_file(&probe);
    // Another `serve` of the file: under Litestream's `-exec` its refusal would be 1, and the
    // unit would start it, and a second Litestream, again and again. Checked last but the
    // address, so an operator checking new settings beside the running service learns the
    // rest passed (the tokens' key only where it was checked: the key-rotation recipe reads
    // this as the new key opening the tokens).
    let passed = if key_checked {
        "the settings, the database and its tokens' key"
    } else {
        "the settings and the database"
    };
    let key_after = key_said.map(|k| format!("; {k}")).unwrap_or_default();
    db_lock::check_free(path).map_err(|why| {
        unusable_db(
            path,
            format_args!("{why} (what is checked before it, {passed}, is fine{key_after})"),
        )
    })?;
    TcpListener::bind(config.addr)
        .await
        .map_err(|e| addr_unusable(config.addr, e, true))?;
    if forgets_behind == 0 {
        return Ok(Checked {
            made_again: crate::store::MadeAgain::default(),
            log_emptied: true,
            key_said,
            ledger_missing,
        });
    }
    // A copy put back from before someone asked to be forgotten: `serve` would forget them
    // again at its start, but under Litestream only after Litestream had copied the file
    // as it was into the bucket, where it would stay for the bucket's retention.
    let _serving = db_lock::hold(path).map_err(|why| unusable_db(path, why))?;
    let (made_again, log_emptied) =
        Store::catch_up_forgets(path).map_err(|e| open_failed(path, e))?;
    crate::store::log_made_again(made_again);
    // Not a setting's fault: `serve` starts (it empties the log itself as soon as it can),
    // but the operator hears what Litestream's first copy may hold.
    if !log_emptied {
        tracing::warn!(
            "the write-ahead log could not be emptied into the database file, as another program is reading it (a backup or an export?): Litestream's first copy of this file may still hold them, for its retention"
        );
    }
    Ok(Checked {
        made_again,
        log_emptied,
        key_said,
        ledger_missing,
    })
}

/// Which key opened the stored bot tokens, where a previous key is set: a key rotation's
/// check passes with the pair either way round, and only the one way seals them again.
fn which_key_opens(found: &KeyCheck, previous_set: bool) -> Option<&'static str> {
    match found {
        KeyCheck::Previous => Some(
            "the stored bot tokens open under MAKERS_PREVIOUS_SECRET_KEY: serve's start will seal them again under MAKERS_SECRET_KEY",
        ),
        KeyCheck::Stored | KeyCheck::NoneYet if previous_set => Some(
            "the stored bot tokens open under MAKERS_SECRET_KEY: nothing will be sealed again, and MAKERS_PREVIOUS_SECRET_KEY is not needed (to change keys, the new one goes in MAKERS_SECRET_KEY)",
        ),
        KeyCheck::Stored | KeyCheck::NoneYet => None,
        KeyCheck::NothingSealed => Some(
            "MAKERS_SECRET_KEY is not the key recorded before, but no bot token is stored: serve's start will record it in its place",
        ),
    }
}

/// What `makers-bot check` found to do.
#[derive(Debug)]
pub struct Checked {
    /// People forgotten again, and an operator's takedowns and erases made again: the
    /// database was put back from before they were asked.
    pub made_again: crate::store::MadeAgain,
    /// Whether the database file itself no longer holds them (its log emptied into it).
    pub log_emptied: bool,
    /// Which key opened the stored bot tokens, said where a previous key is set.
    pub key_said: Option<&'static str>,
    /// The forget ledger, missing beside a database that applied its lines: said, not
    /// refused (the latest copy put back on a new machine without it is a fair restore).
    pub ledger_missing: Option<crate::store::LedgerMissing>,
}

/// `MAKERS_ADDR` cannot be listened on; for an address in use, what is likely listening
/// there, and (`checking`) how to check the rest beside a running service.
fn addr_unusable(addr: std::net::SocketAddr, e: std::io::Error, checking: bool) -> ConfigError {
    let why = match (e.kind(), checking) {
        (std::io::ErrorKind::AddrInUse, false) => {
            format!("{e}; is makers-bot (or another program) already listening there?")
        }
        (std::io::ErrorKind::AddrInUse, true) => format!(
            "{e}; is makers-bot already serving there? To check the other settings beside a \
             running service, run check with MAKERS_ADDR=127.0.0.1:0"
        ),
        _ => e.to_string(),
    };
    ConfigError::unusable("MAKERS_ADDR", addr, why)
}

/// A hang-up (SIGHUP), to stop on, as a stream of them; or, where the process was started
/// with hang-ups ignored (`nohup makers-bot serve &`, a shell's `trap '' HUP`), none ever:
/// the operator asked for the command to outlive its terminal, and a handler installed over
/// the ignore would stop it at their logout.
#[cfg(unix)]
pub fn hang_up() -> HangUp {
    match hang_up_ignored() {
        true => HangUp(None),
        false => HangUp(Some(
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
                .expect("cannot install SIGHUP handler"),
        )),
    }
}

/// See [`hang_up`].
#[cfg(unix)]
pub struct HangUp(Option<tokio::signal::unix::Signal>);

#[cfg(unix)]
impl HangUp {
    /// The next hang-up; never, where they are ignored.
    pub async fn recv(&mut self) {
        match &mut self.0 {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
}

/// Whether this process was started with SIGHUP ignored: Linux says so in
/// `/proc/self/status` (`SigIgn`, a mask in hex whose lowest bit is signal 1, SIGHUP), read
/// before any handler of ours is installed; no `unsafe` call to ask the kernel. Elsewhere,
/// taken as not ignored.
#[cfg(unix)]
fn hang_up_ignored() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .as_deref()
        .and_then(|status| status.lines().find_map(|l| l.strip_prefix("SigIgn:")))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & 1 != 0)
}

/// Cancels the token on SIGTERM, Ctrl-C or a hang-up.
pub fn stop_on_signal() -> CancellationToken {
    let stop = CancellationToken::new();
    let token = stop.clone();
    // Installed here, not in the task: the handler exists once this returns.
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("cannot install SIGTERM handler");
    // A terminal's hang-up (an ssh session dropped) is the commonest stop of a command run
    // by hand: left to its default, it killed `digest --now` and `serve` outright, nothing
    // handed back or drained. Unless it was started to outlive its terminal (`nohup`).
    #[cfg(unix)]
    let mut hup = hang_up();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("stopping: finishing requests in flight");
        token.cancel();
    });
    stop
}

/// `makers-bot digest --now`: queues every subscribed channel's digest up to now and posts
/// them from this process (a running server leaves them alone).
pub async fn digest_now(config: &Config) -> anyhow::Result<DigestRun> {
    // From the start: a Ctrl-C while the digests are queued lets the queuing finish, and
    // they are handed back at once rather than held for a process that is gone.
    let stop = stop_on_signal();
    // `MAKERS_DB` is created on start (the contract); but one made here has nothing
    // subscribed, and "posted 0" would read as a success week after week: said.
    if !config.db_path.try_exists().unwrap_or(true) {
        tracing::warn!(
            db = %config.db_path.display(),
            "there was no database here: an empty one was made, with no channel subscribed \
             (is MAKERS_DB the service's?)"
        );
    }
    let db = AsyncStore::new(open_store_by_hand(config)?);
    let clock = clock::system();
    let public_url = config.public_url_or(config.addr);
    // An operator runs this by hand, easily without the service's OAuth settings, and
    // during a key change beside a `serve` still on the old key.
    let by_hand = tokens::Taker::ByHand;
    let (tokens, _) = tokens::from_config(config, &db, &clock, &public_url, by_hand).await?;
    let api = SlackApi::new(&config.api_url, tokens, &config.proxies)?;
    let rules = config.rules();
    let look = Look::of(&rules, &public_url, join_seal(config));
    // The rows' hold runs from `now`, before the queue's writes (which may wait out the
    // server's lock, and compose many digests): their time comes out of the deadline.
    let queued_at = std::time::Instant::now();
    let now = clock.now().timestamp();
    let (queued, unqueued) = queue_digests_now(&db, now, rules).await?;
    let within = crate::outbox::FOR_SELF_WITHIN.saturating_sub(queued_at.elapsed());
    let mut worker = delivery::Worker::new(db.clone(), clock, api, look, Arc::new(Notify::new()))
        .holding_retries(crate::outbox::FOR_SELF_HOLD);
    worker.deliver_now(&queued.ids, within, &stop).await?;
    // Counted in one read, each apart: a running server may post one left to it meanwhile.
    let ids = queued.ids;
    let settled = db.read(move |c| store::settled_among(c, &ids)).await?;
    Ok(DigestRun {
        posted: settled.delivered,
        owed: settled.owed,
        refused: settled.refused,
        skipped: queued.skipped,
        unqueued: unqueued.map(|e| format!("{e:#}")),
    })
}

/// Every subscribed channel's digest up to `now`, queued as `makers-bot digest --now` queues
/// them, for this process to post: one channel a write, as the scheduler queues due digests,
/// so a running server's commands and presses are answered between them (in one write,
/// some tens of channels held them past Slack's 3 seconds, and its writes past the busy
/// timeout).
///
/// A write failing after others committed (the lock held past the busy timeout, a full
/// disk) stops the queueing there: those queued are given back with its error, for this
/// process to post (held for it, they would otherwise wait out their hold unposted, and
/// with no server running, until one starts). An error before any is queued is the `Err`.
pub async fn queue_digests_now(
    db: &AsyncStore,
    now: i64,
    rules: crate::domain::Rules,
) -> anyhow::Result<(crate::handlers::DigestsNow, Option<anyhow::Error>)> {
    let rules = Arc::new(rules);
    let mut queued = crate::handlers::DigestsNow::default();
    loop {
        let (rules, after) = (rules.clone(), queued.last.clone());
        let written = db
            .write(move |tx| crate::handlers::digests_now_upto(tx, now, &rules, after.as_ref(), 1))
            .await;
        let one = match written {
            Ok(one) => one,
            Err(e) if queued.last.is_none() => return Err(e),
            Err(e) => {
                tracing::error!(
                    error = format!("{e:#}"),
                    queued = queued.ids.len(),
                    "cannot queue the other channels' digests; posting those queued"
                );
                return Ok((queued, Some(e)));
            }
        };
        queued.ids.extend(one.ids);
        queued.skipped += one.skipped;
        queued.last = one.last;
        if queued.last.is_none() {
            return Ok((queued, None));
        }
    }
}

/// What `makers-bot digest --now` came to.
pub struct DigestRun {
    pub posted: usize,
    /// Queued, and not posted before the command's deadline.
    pub owed: usize,
    /// Refused by Slack for good (the channel archived, the bot not in a private channel,
    /// the workspace not installed); a channel the bot cannot post in stops getting it until
    /// the bot is invited back.
    pub refused: usize,
    /// Subscribed channels whose digest could not be composed (the log says why).
    pub skipped: usize,
    /// Why the channels after those queued were not (a write failed part way): theirs are
    /// untouched, and a run again gives them their digest.
    pub unqueued: Option<String>,
}

impl DigestRun {
    /// Whether every subscribed channel got its digest.
    pub fn complete(&self) -> bool {
        self.owed == 0 && self.refused == 0 && self.skipped == 0 && self.unqueued.is_none()
    }
}

/// The existing database, read only, for the commands that only read (see
/// [`Store::read_existing`]).
pub fn read_existing_store(config: &Config) -> anyhow::Result<rusqlite::Connection> {
    crate::operator::database_is_there(&config.db_path)?;
    let conn = Store::read_existing(&config.db_path)?;
    // A copy put back from before someone asked to be forgotten, with no `serve` on it to
    // forget them again: an export or report of it would give them back. (Beside a running
    // `serve` the ledger is ahead of the database for the moment of each forget, and after
    // one that failed until the next: that person is still recorded, and `check`, which
    // would forget them, cannot run beside it.)
    if crate::db_lock::check_free(&config.db_path).is_ok() {
        let behind = Store::forgets_behind(&conn)?;
        anyhow::ensure!(
            behind == 0,
            "the database is a copy from before {behind} request(s) the forget ledger beside it lists (someone asked to be forgotten, or an operator's takedown or erase): run makers-bot check first, which makes them again (this command only reads)"
        );
    }
    Ok(conn)
}

/// Opens `MAKERS_DB` for a command that reads or changes what `serve` recorded: as
/// [`open_store`] does (so `MAKERS_CHECKPOINTS` is honoured beside Litestream), but never
/// creating a database that is not there.
pub fn open_existing_store(config: &Config) -> anyhow::Result<Store> {
    crate::operator::database_is_there(&config.db_path)?;
    open_store_by_hand(config)
}

/// `MAKERS_DB` for a command that changes it only with `--yes` (`changes`): opened to change
/// ([`open_existing_store`]), or read only ([`read_existing_store`]) for its dry run.
pub fn open_to_change_if(
    config: &Config,
    changes: bool,
) -> anyhow::Result<crate::operator::Opened> {
    Ok(match changes {
        true => crate::operator::Opened::ToChange(Box::new(open_existing_store(config)?)),
        false => crate::operator::Opened::ToRead(read_existing_store(config)?),
    })
}

/// `makers-bot forget-tokens [--yes]`, for a lost `MAKERS_SECRET_KEY`: forgets the stored
/// installations (their sealed tokens, which no key at hand opens), marks the workspaces
/// as having removed the app (nothing is queued for them until they install again), and
/// records `MAKERS_SECRET_KEY` as the key, in one transaction; each
/// workspace then installs again through `/slack/install`, its projects and people kept.
/// Without `yes`, says which workspaces would. Refused beside a running `serve`, which
/// holds their tokens in memory and would go on serving with them.
pub fn forget_tokens(config: &Config, yes: bool) -> anyhow::Result<String> {
    let Some(oauth) = &config.oauth else {
        return Err(ConfigError::Missing("MAKERS_SECRET_KEY").into());
    };
    let named = |teams: &[(String, String)]| {
        teams
            .iter()
            .map(|(id, name)| format!("{id} ({name})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !yes {
        let conn = read_existing_store(config)?;
        let teams = store::installed_workspaces(&conn)?;
        if teams.is_empty() {
            return Ok("No installation is stored: nothing to forget (serve records MAKERS_SECRET_KEY in place of a key it does not match when no token is stored).".into());
        }
        return Ok(format!(
            "Would forget the stored bot tokens of {} workspace(s): {}. Each would have to install Makers again through /slack/install; their projects, people and history stay, and MAKERS_SECRET_KEY would be recorded as the key. To do so: makers-bot forget-tokens --yes",
            teams.len(),
            named(&teams)
        ));
    }
    let path = &config.db_path;
    crate::operator::database_is_there(path)?;
    let _held = hold_the_database(path)?;
    // Known to be there (before the lock file was made beside it). Opened as with the lock
    // free, which it is but for this command's own hold: `open_store_by_hand` took that for
    // a running `serve`, and refused a database of the build before as one beside an older
    // `serve`, where the key's refusal at `check` left this command the only way out.
    let store = open_store(config, crate::store::Replay::Copy)?;
    let now = clock::system().now().timestamp();
    let check = crate::domain::SealingKey::new(&oauth.key_bytes()).check_value();
    let teams = store.write(|tx| {
        let teams = store::installed_workspaces(tx)?;
        store::forget_installations(tx, now)?;
        store::replace_key_check(tx, &check, now)?;
        Ok(teams)
    })?;
    Ok(format!(
        "Forgot the stored bot tokens of {} workspace(s){}{}. MAKERS_SECRET_KEY is now the key. Each workspace installs Makers again through /slack/install; their projects, people and history are kept.",
        teams.len(),
        if teams.is_empty() { "" } else { ": " },
        named(&teams)
    ))
}

/// `makers-bot digest --dry-run --channel C… [--team T…]`: the channel's digest so far, as
/// text for a terminal; an error (exit 1) says why there is none.
pub fn digest_dry_run(
    config: &Config,
    channel: &str,
    team: Option<&str>,
) -> anyhow::Result<String> {
    let channel = crate::domain::ChannelId::parse(channel)
        .with_context(|| format!("{channel:?} is not a Slack channel id"))?;
    let team = team.map(crate::operator::parse_team).transpose()?;
    let conn = read_existing_store(config)?;
    let rules = config.rules();
    let now = clock::system().now().timestamp();
    let found = crate::handlers::dry_run_digest(&conn, &channel, team.as_ref(), now, &rules)?;
    let look = Look::of(
        &rules,
        &config.public_url_or(config.addr),
        join_seal(config),
    );
    match found {
        crate::handlers::DryRun::Digest(d) => Ok(render::digest_text(&d, &look)),
        crate::handlers::DryRun::NotSubscribed => match &team {
            Some(t) => {
                anyhow::bail!("channel {channel} is not subscribed to the digest in workspace {t}")
            }
            None => anyhow::bail!("channel {channel} is not subscribed to the digest"),
        },
        crate::handlers::DryRun::InSeveral(teams) => {
            let teams: Vec<&str> = teams.iter().map(|t| t.as_str()).collect();
            anyhow::bail!(
                "channel {channel} is subscribed to the digest in {} workspaces ({}), a channel they share: name one with --team",
                teams.len(),
                teams.join(", ")
            )
        }
    }
}

/// The key a private answer's *Join* buttons are sealed with, from `config`'s Slack secret
/// (also opening what the previous `MAKERS_SECRET_KEY` sealed, while it is being changed);
/// with none that only this deployment knows, a random one, which a restart changes (its
/// answers' buttons are then out of date).
fn join_seal(config: &Config) -> render::JoinSeal {
    match config.join_secret() {
        Some(secret) => {
            let seal = render::JoinSeal::from_secret(secret.expose().as_bytes());
            match config.join_previous_secret() {
                Some(previous) => seal.opening_previous(previous.expose().as_bytes()),
                None => seal,
            }
        }
        None => {
            use chacha20poly1305::aead::rand_core::RngCore;
            let mut key = [0u8; 32];
            chacha20poly1305::aead::OsRng.fill_bytes(&mut key);
            render::JoinSeal::from_secret(&key)
        }
    }
}
