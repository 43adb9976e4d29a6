//! Configuration, read once at start from the environment (and a `.env` file in the working
//! directory). This is the only module that reads `std::env`. Names and defaults are the
//! deployment contract's (the README's Configuration table lists them); a missing or bad
//! setting is a [`ConfigError`] naming it.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use chrono_tz::Tz;

mod oauth;
pub use oauth::{AllowedWorkspaces, OAuthConfig};
mod proxy;
pub use proxy::Proxies;
mod socket;
pub use socket::SocketTiming;
use socket::app_token;

/// The signing secret the README's first command and `deploy/env.example` show. Anyone can
/// sign requests with it: `serve` warns of it (the README's command runs the bot on one's own
/// machine), and `check`, which both shipped deployments run first, refuses it.
pub const EXAMPLE_SIGNING_SECRET: &str = "your-signing-secret";
/// The bot token the same two show: Slack refuses every post made with it, so a deployment
/// that kept it would look healthy and say nothing. Refused and warned of as the secret is.
pub const EXAMPLE_BOT_TOKEN: &str = "xoxb-your-bot-token";

/// A secret (signing secret, bot token) that never prints: `Debug` and `Display` show a mask.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself; call only where it is used (HMAC key, Authorization header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `None` only with Socket Mode on: the Slack HTTP routes are then not served.
    pub signing_secret: Option<Secret>,
    /// `SLACK_APP_TOKEN` (`xapp-…`): Slack's traffic also (or only) over Socket Mode.
    pub app_token: Option<Secret>,
    /// Empty when unset, which only OAuth allows: then every workspace has its own token.
    pub bot_token: Secret,
    /// `Some` when `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` are set.
    pub oauth: Option<OAuthConfig>,
    /// Base URL of Slack's Web API, without a trailing slash.
    pub api_url: String,
    pub db_path: PathBuf,
    pub addr: SocketAddr,
    /// `MAKERS_ADDR` as written when it names a host (`localhost:3000`), for links: the
    /// contract's default public URL is `http://<MAKERS_ADDR>`, which a resolved address
    /// (`127.0.0.1:3000`) is not, to a browser elsewhere on the host's network.
    pub addr_host: Option<String>,
    pub join_emoji: String,
    pub tz: Tz,
    /// `MAKERS_PUBLIC_URL` without a trailing slash; `None`: `http://` and `MAKERS_ADDR`
    /// (see [`Config::public_url_or`]).
    pub public_url: Option<String>,
    /// `MAKERS_ACCESSIBILITY_URL`: the operator's accessibility statement, which a
    /// public-sector site must link from every page; `None`: no link.
    pub accessibility_url: Option<String>,
    /// `MAKERS_PRIVACY_URL`: the operator's privacy notice, linked from `/makers privacy` and
    /// every catalogue page's footer; `None`: no link.
    pub privacy_url: Option<String>,
    /// `MAKERS_JOIN_URL`: the page saying what Makers is and how a council joins it, linked
    /// from every catalogue page; `None`: no link.
    pub join_url: Option<String>,
    /// `MAKERS_CONTACT_URL`: how to reach whoever runs Makers (a web page or `mailto:`),
    /// linked from every catalogue page and where the bot tells people to ask them;
    /// `None`: no link.
    pub contact_url: Option<String>,
    /// `MAKERS_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: crate::telemetry::LogFormat,
    /// Days without an update before a project's team is nudged (`MAKERS_NUDGE_AFTER_DAYS`).
    pub nudge_after_days: u32,
    /// Days without an update before a project shows as quiet (`MAKERS_QUIET_AFTER_DAYS`).
    pub quiet_after_days: u32,
    /// Who checkpoints the database: `bot` or `litestream` (`MAKERS_CHECKPOINTS`).
    pub checkpoints: crate::store::Checkpoints,
    /// Changes each person may make a minute (`MAKERS_WRITES_PER_MINUTE`; 0: no limit).
    pub writes_per_minute: u32,
    /// How often the scheduler looks for due nudges and digests. Not an environment setting:
    /// tests shorten it.
    pub scheduler_tick: std::time::Duration,
    /// With nothing due, how often the outbox worker looks again anyway (rows may fall due
    /// by the clock alone). Not an environment setting: tests, whose clock jumps, shorten it.
    pub outbox_idle_poll: std::time::Duration,
    /// Socket Mode's pings and waits. Not environment settings: tests shorten them.
    pub socket_timing: SocketTiming,
    /// The outbound proxy to reach Slack through (`HTTPS_PROXY`, `NO_PROXY`, …).
    pub proxies: Proxies,
    /// `SSL_CERT_FILE`, which the TLS client reads itself for its CA certificates: here only
    /// to be named when they cannot be loaded. `None`: the system's store.
    pub ssl_cert_file: Option<String>,
}

/// A setting that is missing or cannot be used. Its `Display` is the one line printed at exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Missing(&'static str),
    Invalid {
        name: &'static str,
        value: String,
        why: &'static str,
    },
    /// A setting that parsed but could not be used at start (a database directory that does
    /// not exist, an address already in use); `why` is what the system said.
    Unusable {
        name: &'static str,
        value: String,
        why: String,
    },
}

impl ConfigError {
    /// `name=value` could not be used because of `why` (its whole cause chain is kept).
    pub fn unusable(name: &'static str, value: impl fmt::Display, why: impl fmt::Display) -> Self {
        ConfigError::Unusable {
            name,
            value: value.to_string(),
            why: why.to_string(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(name) => write!(f, "missing required setting {name}"),
            ConfigError::Invalid { name, value, why } => {
                write!(f, "bad value for {name}: {value:?} ({why})")
            }
            ConfigError::Unusable { name, value, why } => {
                write!(f, "cannot use {name}={value:?}: {why}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

const DEFAULT_API_URL: &str = "https://slack.com/api/";
const DEFAULT_DB: &str = "makers.db";
const DEFAULT_ADDR: &str = "127.0.0.1:3000";
const DEFAULT_JOIN_EMOJI: &str = crate::domain::Rules::JOIN_EMOJI;
const DEFAULT_NUDGE_AFTER_DAYS: u32 = crate::domain::Rules::NUDGE_AFTER_DAYS;
const DEFAULT_QUIET_AFTER_DAYS: u32 = crate::domain::Rules::QUIET_AFTER_DAYS;
/// See `domain::WriteBudget` for why.
const DEFAULT_WRITES_PER_MINUTE: u32 = crate::domain::WriteBudget::PER_MINUTE as u32;
const DEFAULT_SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(60);
/// With nothing due, how often the outbox worker looks again (its `IDLE_POLL` is this).
pub const DEFAULT_OUTBOX_IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(30);

/// Loads `.env` from the working directory, as the contract says: that file only, not one
/// in a directory above it (dotenvy's `dotenv()` looks upwards, where someone else's `.env`
/// could point `SLACK_API_URL`, and with it the bot token, elsewhere). A missing `.env` is
/// normal; a malformed one would silently stop loading at the bad line, so it is an error
/// naming the file and the line, never what the line holds (a secret, as often as not:
/// dotenvy's own message quotes the rest of the file).
fn load_dotenv() -> Result<(), ConfigError> {
    const WHY: &str = "each line should be NAME=value";
    // Read once for the checks here; dotenvy reads it again, and says what a missing or
    // unreadable file is.
    let text = std::fs::read_to_string(DOTENV).unwrap_or_default();
    // dotenvy gives back the line it could not read (the rest of the file, after an unclosed
    // quote): where it first starts in the file says which line it is.
    let line_of = |rest: &str| {
        let at = text.find(rest.trim()).filter(|_| !rest.trim().is_empty())?;
        Some(text[..at].matches('\n').count() + 1)
    };
    if let Some(n) = dollar_line(&text) {
        return Err(ConfigError::Invalid {
            name: DOTENV,
            value: format!("line {n}"),
            why: "a `$` in a value is read there as the start of another variable's name (`pa$word` would be `pa`): percent-encode it in an address (%24), or, in a .env file alone, put the value in single quotes",
        });
    }
    match dotenvy::from_path(DOTENV) {
        Ok(()) => Ok(()),
        Err(e) if e.not_found() => Ok(()),
        // A working directory this user may not look into (an admin's home, with
        // `sudo -u makers makers-bot export` run from it) holds no `.env` of theirs.
        Err(dotenvy::Error::Io(e))
            if e.kind() == std::io::ErrorKind::PermissionDenied && !cwd_searchable() =>
        {
            Ok(())
        }
        Err(dotenvy::Error::LineParse(rest, _)) => Err(ConfigError::Invalid {
            name: DOTENV,
            value: line_of(&rest).map_or_else(|| "a line".into(), |n| format!("line {n}")),
            why: WHY,
        }),
        Err(dotenvy::Error::Io(e)) => Err(ConfigError::unusable(DOTENV, DOTENV, e)),
        Err(_) => Err(ConfigError::Invalid {
            name: DOTENV,
            value: "a value".into(),
            why: "a value is not valid text",
        }),
    }
}

/// The first line of a `.env` whose value holds a `$` outside single quotes, which dotenvy
/// reads as a variable (`pa$word` becomes `pa`), where the same file as a systemd
/// `EnvironmentFile` or a container's `--env-file` keeps it as written (deploy/env.example
/// says it serves as all three): a proxy's password changed so fails every call to Slack.
fn dollar_line(text: &str) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, line)| {
        let line = line.trim_start();
        let (_, value) = line.split_once('=').filter(|_| !line.starts_with('#'))?;
        reads_a_variable(value).then_some(i + 1)
    })
}

/// Whether dotenvy would read a variable in `value` (a line's text after its `=`): a `$`
/// outside single quotes, not escaped (`\$`), before the value's comment (` #`).
fn reads_a_variable(value: &str) -> bool {
    let (mut single, mut double, mut escaped, mut after_space) = (false, false, false, true);
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\'' if !double => single = !single,
            _ if single => {}
            '"' => double = !double,
            '\\' => escaped = true,
            '#' if after_space && !double => return false,
            '$' => return true,
            _ => {}
        }
        after_space = c.is_whitespace();
    }
    false
}

/// Whether this process may look into its working directory.
fn cwd_searchable() -> bool {
    std::fs::metadata(".").is_ok()
}

/// The settings file read at start, in the working directory.
const DOTENV: &str = ".env";

/// Which required settings a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// `serve`: signing secret and bot token.
    Serve,
    /// `digest --now`: bot token only.
    PostOnly,
    /// `digest --dry-run`: no Slack credentials.
    Nothing,
}

impl Config {
    /// Whether the signing secret is [`EXAMPLE_SIGNING_SECRET`].
    pub fn signs_with_the_example(&self) -> bool {
        self.signing_secret
            .as_ref()
            .is_some_and(|s| s.expose() == EXAMPLE_SIGNING_SECRET)
    }

    /// The secret a private answer's *Join* buttons are sealed with (see
    /// `slack::render::JoinSeal`): `MAKERS_SECRET_KEY` where OAuth has one (no Slack
    /// secret's rotation changes it); else the signing secret, else Socket Mode's app token,
    /// one of which `serve` has; else the bot token (`digest --now`, whose posts have no
    /// such button). Not the README's examples, which anyone can read (a bot on a loopback
    /// address, as with Socket Mode, may keep them). `None`: none to be had.
    pub fn join_secret(&self) -> Option<&Secret> {
        let key = self.oauth.as_ref().map(|o| &o.secret_key);
        let signing = self
            .signing_secret
            .as_ref()
            .filter(|_| !self.signs_with_the_example());
        let bot = Some(&self.bot_token)
            .filter(|t| !t.expose().is_empty() && !self.posts_with_the_example());
        key.or(signing).or(self.app_token.as_ref()).or(bot)
    }

    /// The secret [`Config::join_secret`] is being changed from, whose seals still open:
    /// `MAKERS_PREVIOUS_SECRET_KEY`, with OAuth on (the only secret the bot is told the
    /// previous value of).
    pub fn join_previous_secret(&self) -> Option<&Secret> {
        self.oauth.as_ref().and_then(|o| o.previous_key.as_ref())
    }

    /// Whether the bot token is [`EXAMPLE_BOT_TOKEN`].
    pub fn posts_with_the_example(&self) -> bool {
        self.bot_token.expose() == EXAMPLE_BOT_TOKEN
    }

    /// Reads the process environment, after loading `.env` if there is one (real environment
    /// variables win over `.env`).
    pub fn from_env(needs: Needs) -> Result<Config, ConfigError> {
        // Before `.env`, which sets a variable whose value is not text as though unset.
        not_text_refused(std::env::vars_os())?;
        load_dotenv()?;
        Config::from_lookup(needs, |name| std::env::var(name).ok())
    }

    /// Builds a config from any name -> value lookup (tests pass a map).
    pub fn from_lookup(
        needs: Needs,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let env = Lookup(get);
        // Checked in this order, so the first problem reported is always the same one.
        let app_token = app_token(env.optional("SLACK_APP_TOKEN"))?;
        // With Socket Mode on, the HTTP routes (and so the secret) are optional.
        let signing_secret = env.optional("SLACK_SIGNING_SECRET");
        if signing_secret.is_none() && app_token.is_none() && needs == Needs::Serve {
            return Err(ConfigError::Missing("SLACK_SIGNING_SECRET"));
        }
        let oauth = oauth::read(&env)?;
        let needs_token = needs != Needs::Nothing && oauth.is_none();
        let bot_token = env.secret("SLACK_BOT_TOKEN", needs_token)?;
        let token = bot_token.expose();
        // Not for the commands that use no token (`backup`, `export`, …): a typo there must
        // not stop them.
        let used = needs != Needs::Nothing;
        if used && !token.is_empty() && crate::domain::BotToken::parse(token).is_none() {
            // Only its first characters: the rest is a secret, whatever kind it is.
            let shown = token.chars().take(5).collect::<String>() + "…";
            return Err(invalid(
                "SLACK_BOT_TOKEN",
                shown,
                "a bot token starts with xoxb-",
            ));
        }
        // An outbound proxy the bot cannot speak to would fail every call to Slack.
        if used {
            for name in proxy::PROXY_VARIABLES.into_iter().flatten() {
                let value = env.text(name, "");
                if let Some(why) = proxy::unusable(&value) {
                    // Its scheme alone: the rest may hold a password.
                    return Err(invalid(name, proxy::shown(&value), why));
                }
            }
        }
        let api_url = env.text("SLACK_API_URL", DEFAULT_API_URL);
        // A URL with a host: "http://" alone, or a host with a space in it, would start and
        // then fail every call.
        let parsed = url::Url::parse(&api_url).ok();
        let web = parsed.as_ref().is_some_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if !web {
            let why = "must be an https:// or http:// URL with a host";
            return Err(invalid("SLACK_API_URL", api_url, why));
        }
        let addr_text = env.text("MAKERS_ADDR", DEFAULT_ADDR);
        let addr_host = host_as_written(&addr_text);
        let addr = listen_addr(addr_text)?;
        let tz = env.parsed(
            "MAKERS_TZ",
            crate::domain::Rules::TZ.name(),
            "unknown IANA time zone",
        )?;
        let join_emoji = join_emoji(env.text("MAKERS_JOIN_EMOJI", DEFAULT_JOIN_EMOJI))?;
        let public_url = match env.text("MAKERS_PUBLIC_URL", "") {
            u if u.is_empty() => None,
            u => Some(public_url(u)?),
        };
        let accessibility_url = match env.text("MAKERS_ACCESSIBILITY_URL", "") {
            u if u.is_empty() => None,
            u => Some(page_url_for("MAKERS_ACCESSIBILITY_URL", u)?),
        };
        let privacy_url = match env.text("MAKERS_PRIVACY_URL", "") {
            u if u.is_empty() => None,
            u => Some(page_url_for("MAKERS_PRIVACY_URL", u)?),
        };
        let join_url = match env.text("MAKERS_JOIN_URL", "") {
            u if u.is_empty() => None,
            u => Some(page_url_for("MAKERS_JOIN_URL", u)?),
        };
        let contact_url = match env.text("MAKERS_CONTACT_URL", "") {
            u if u.is_empty() => None,
            u => Some(contact_url(u)?),
        };
        let log_format = env.parsed("MAKERS_LOG_FORMAT", "text", "expected text or json")?;
        Ok(Config {
            log_format,
            public_url,
            accessibility_url,
            privacy_url,
            join_url,
            contact_url,
            signing_secret,
            app_token,
            bot_token,
            oauth,
            api_url: api_url.trim_end_matches('/').to_string(),
            db_path: PathBuf::from(env.text("MAKERS_DB", DEFAULT_DB)),
            addr,
            addr_host,
            join_emoji,
            tz,
            nudge_after_days: env.days("MAKERS_NUDGE_AFTER_DAYS", DEFAULT_NUDGE_AFTER_DAYS)?,
            quiet_after_days: env.days("MAKERS_QUIET_AFTER_DAYS", DEFAULT_QUIET_AFTER_DAYS)?,
            checkpoints: env.parsed("MAKERS_CHECKPOINTS", "bot", "expected bot or litestream")?,
            writes_per_minute: env.count("MAKERS_WRITES_PER_MINUTE", DEFAULT_WRITES_PER_MINUTE)?,
            scheduler_tick: DEFAULT_SCHEDULER_TICK,
            outbox_idle_poll: DEFAULT_OUTBOX_IDLE_POLL,
            socket_timing: SocketTiming::default(),
            proxies: Proxies::from_lookup(|name| (env.0)(name)),
            ssl_cert_file: (env.0)("SSL_CERT_FILE"),
        })
    }
}

/// Refuses a setting of ours (`MAKERS_…`, `SLACK_…`, a proxy's) whose value is not UTF-8: read
/// as text it would be taken for unset, and `MAKERS_DB` for the default `makers.db` in the
/// working directory, an empty database served in place of the one named.
fn not_text_refused(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<(), ConfigError> {
    let ours = |name: &str| {
        let upper = name.to_ascii_uppercase();
        upper.starts_with("MAKERS_")
            || upper.starts_with("SLACK_")
            || proxy::PROXY_VARIABLES
                .iter()
                .flatten()
                .chain(&proxy::NO_PROXY)
                .any(|v| *v == upper)
    };
    for (name, value) in vars {
        if let Some(name) = name.to_str()
            && ours(name)
            && value.to_str().is_none()
        {
            return Err(ConfigError::Invalid {
                // Said once, as the process stops.
                name: Box::leak(name.to_string().into_boxed_str()),
                // Not the value: it may be a secret.
                value: "(not shown)".into(),
                why: "it is not valid UTF-8 text: write the path or value in UTF-8",
            });
        }
    }
    Ok(())
}

/// Reads settings by name; blank counts as unset.
struct Lookup<F>(F);

impl<F: Fn(&str) -> Option<String>> Lookup<F> {
    /// A secret; missing is an error only when `needed`.
    fn secret(&self, name: &'static str, needed: bool) -> Result<Secret, ConfigError> {
        match self.optional(name) {
            Some(v) => Ok(v),
            None if needed => Err(ConfigError::Missing(name)),
            None => Ok(Secret::new("")),
        }
    }

    /// A secret that may be left out.
    fn optional(&self, name: &str) -> Option<Secret> {
        (self.0)(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| Secret::new(v.trim()))
    }

    /// The value, trimmed, or `default` when unset.
    fn text(&self, name: &str, default: &str) -> String {
        (self.0)(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    }

    /// The value parsed as `T`; `why` says what was expected when it does not parse.
    fn parsed<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: &str,
        why: &'static str,
    ) -> Result<T, ConfigError> {
        let text = self.text(name, default);
        text.parse().map_err(|_| invalid(name, text, why))
    }

    /// A whole number from 0 to 100,000.
    fn count(&self, name: &'static str, default: u32) -> Result<u32, ConfigError> {
        self.ranged(
            name,
            default,
            0..=100_000,
            "expected a whole number from 0 to 100000",
        )
    }

    /// A whole number of days from 1 to 3650.
    fn days(&self, name: &'static str, default: u32) -> Result<u32, ConfigError> {
        self.ranged(
            name,
            default,
            1..=3650,
            "expected a whole number of days from 1 to 3650",
        )
    }

    /// A whole number within `range`; `why` says what was expected otherwise.
    fn ranged(
        &self,
        name: &'static str,
        default: u32,
        range: std::ops::RangeInclusive<u32>,
        why: &'static str,
    ) -> Result<u32, ConfigError> {
        let text = self.text(name, &default.to_string());
        match text.parse::<u32>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(invalid(name, text, why)),
        }
    }
}

/// `MAKERS_ADDR`: an IP and port, or a host name and port resolved once, now (the first IPv4
/// address it has, else the first address: a proxy on the same machine usually dials
/// 127.0.0.1, and `localhost` may list ::1 first).
fn listen_addr(text: String) -> Result<SocketAddr, ConfigError> {
    use std::net::ToSocketAddrs;
    let why = "expected host:port such as 127.0.0.1:3000 or localhost:3000";
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    // Only something shaped like host:port goes to the resolver.
    let shaped = text
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    if !shaped {
        return Err(invalid("MAKERS_ADDR", text, why));
    }
    let Ok(found) = text.to_socket_addrs() else {
        let why = "the host name does not resolve";
        return Err(invalid("MAKERS_ADDR", text, why));
    };
    let found: Vec<SocketAddr> = found.collect();
    match found.iter().find(|a| a.is_ipv4()).or(found.first()) {
        Some(addr) => Ok(*addr),
        None => Err(invalid("MAKERS_ADDR", text, "the host name has no address")),
    }
}

/// `MAKERS_ADDR` as written, when it is a host name and port that make a URL's authority
/// (`localhost:3000`); `None` for an IP address, which the address bound says as well (an
/// IPv6 one, `::1:3000`, would need brackets in a URL).
fn host_as_written(text: &str) -> Option<String> {
    let (host, port) = text.rsplit_once(':')?;
    let named = !host.is_empty()
        && !host.contains(':')
        && host.parse::<std::net::IpAddr>().is_err()
        && port.parse::<u16>().is_ok();
    let url = format!("http://{text}");
    (named && url::Url::parse(&url).is_ok_and(|u| u.host_str() == Some(host)))
        .then(|| text.to_string())
}

/// A base URL for links: http(s), a host, no query or fragment; kept without its trailing
/// slash (`https://makers.example.gov.uk/bot`).
fn public_url(text: String) -> Result<String, ConfigError> {
    let why = "expected a base URL such as https://makers.example.gov.uk";
    let Ok(url) = url::Url::parse(&text) else {
        return Err(invalid("MAKERS_PUBLIC_URL", text, why));
    };
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !usable {
        return Err(invalid("MAKERS_PUBLIC_URL", text, why));
    }
    Ok(url.as_str().trim_end_matches('/').replace('|', "%7C"))
}

/// A web page's address for setting `name` (http or https, with a host, no password).
fn page_url_for(name: &'static str, text: String) -> Result<String, ConfigError> {
    let why = "expected a web address such as https://www.example.gov.uk/accessibility";
    let usable = url::Url::parse(&text).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
    });
    // As the parser writes it: a space typed in it (which the parser takes) would end a
    // link in Slack's markup.
    match usable {
        Some(url) => Ok(url.to_string()),
        None => Err(invalid(name, text, why)),
    }
}

/// The longest `MAKERS_CONTACT_URL`: it goes into the bot's messages, within Slack's limits.
const CONTACT_MAX: usize = 300;

/// `MAKERS_CONTACT_URL`: a web page as for [`page_url_for`], or `mailto:` and one address (a
/// team's shared mailbox is how many councils are reached), at most [`CONTACT_MAX`] long.
fn contact_url(text: String) -> Result<String, ConfigError> {
    const NAME: &str = "MAKERS_CONTACT_URL";
    if text.chars().count() > CONTACT_MAX {
        return Err(invalid(
            NAME,
            text,
            "expected an address of at most 300 characters",
        ));
    }
    let Some(address) = crate::domain::after_scheme(&text, "mailto:") else {
        return page_url_for(NAME, text);
    };
    let (local, domain) = address.split_once('@').unwrap_or_default();
    let usable = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address
            .contains(|c: char| c.is_whitespace() || c.is_control() || "<>|,;?&#%\"".contains(c))
        && address.matches('@').count() == 1;
    match usable {
        true => Ok(format!("mailto:{address}")),
        false => Err(invalid(
            NAME,
            text,
            "expected a web address or mailto: and one e-mail address, such as mailto:makers@example.gov.uk",
        )),
    }
}

/// The reaction name that joins, as Slack sends reactions: its names are lower case, of
/// letters (a custom emoji's may be another script's), digits and `_+'-`, so ASCII capitals
/// are lowered, a skin tone after the name dropped, and any other (the emoji itself, a name
/// with a space, a capital of another script) refused; compared byte for byte, it never
/// matched a reaction.
fn join_emoji(given: String) -> Result<String, ConfigError> {
    let name = given.trim_matches(':').to_ascii_lowercase();
    // A skin tone copied with the name (`raised_hand::skin-tone-2`, as Slack sends one) is
    // dropped: every tone of the emoji joins, and this worked before names were checked.
    let name = match name.split_once("::") {
        Some((base, tone)) if is_skin_tone(tone) => base.to_string(),
        _ => name,
    };
    // Slack's names are lower case: letters (a custom emoji's may be another script's, which
    // Slack sends as named), digits and `_+'-`; not the emoji itself, nor spaces or colons.
    let allowed = |c: char| (c.is_alphanumeric() && !c.is_uppercase()) || "_+'-".contains(c);
    if name.is_empty() || !name.chars().all(allowed) {
        let why = "give the emoji's name, e.g. raised_hand";
        return Err(invalid("MAKERS_JOIN_EMOJI", given, why));
    }
    Ok(name)
}

/// `skin-tone-2` to `skin-tone-6`, as Slack names a tone after an emoji's `::`.
fn is_skin_tone(tone: &str) -> bool {
    tone.strip_prefix("skin-tone-")
        .is_some_and(|n| matches!(n, "2" | "3" | "4" | "5" | "6"))
}

fn invalid(name: &'static str, value: String, why: &'static str) -> ConfigError {
    let value = without_password(&value);
    ConfigError::Invalid { name, value, why }
}

/// `value` to quote in an error, without the user and password of an address written with
/// them (`https://ops:s3cret@bot.example` → `https://…@bot.example`): a URL may be refused
/// for holding them, and the refusal goes to the terminal and the journal.
fn without_password(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_string();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    match authority.rfind('@') {
        Some(at) => format!("{scheme}://…{}", &rest[at..]),
        None => value.to_string(),
    }
}

impl Config {
    /// The base URL of links to the catalogue: `MAKERS_PUBLIC_URL`, or else `http://` and
    /// `MAKERS_ADDR` as written when it names a host, else the address the server is
    /// listening on (`bound`, which may differ from `addr` for port 0).
    pub fn public_url_or(&self, bound: SocketAddr) -> String {
        match (&self.public_url, &self.addr_host) {
            (Some(url), _) => url.clone(),
            (None, Some(host)) if bound.port() == self.addr.port() => format!("http://{host}"),
            (None, _) => format!("http://{bound}"),
        }
    }

    /// The rules handlers apply, from this configuration.
    pub fn rules(&self) -> crate::domain::Rules {
        const DAY: i64 = 24 * 3600;
        crate::domain::Rules {
            join_emoji: self.join_emoji.clone(),
            nudge_after: i64::from(self.nudge_after_days) * DAY,
            quiet_after: i64::from(self.quiet_after_days) * DAY,
            tz: self.tz,
            budget: crate::domain::WriteBudget::per_minute(self.writes_per_minute),
            privacy_url: self.privacy_url.clone(),
            contact_url: self.contact_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
