//! The outbound web proxy's settings, as a council's network often requires: the variables
//! every tool reads (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper case
//! first, then lower, as hyper-util's matcher reads them), checked at start, and which proxy
//! each address is reached through. Reaching it is the Slack edge's (`slack::proxy`).

use std::sync::Arc;

use hyper::Uri;
use hyper_util::client::proxy::matcher::{Intercept, Matcher};

/// The proxies' variables, each upper case first (the one read when both are set): each is
/// checked at start.
pub const PROXY_VARIABLES: [[&str; 2]; 3] = [
    ["HTTPS_PROXY", "https_proxy"],
    ["HTTP_PROXY", "http_proxy"],
    ["ALL_PROXY", "all_proxy"],
];
pub(crate) const NO_PROXY: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// Why a proxy variable's value cannot be used, if it cannot: only `http://` proxies (or a
/// bare `host:port`, read as one) are spoken to, and a value the proxy matcher cannot read
/// would be dropped without a word, leaving Slack reached directly.
pub fn unusable(value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some((scheme, _)) = value.split_once("://")
        && !scheme.eq_ignore_ascii_case("http")
    {
        return Some(
            "only an http:// proxy is supported (the bot asks it with CONNECT, so Slack's traffic stays encrypted through it)",
        );
    }
    let read = Matcher::builder().all(value.to_string()).build();
    let slack = Uri::from_static("https://slack.com/");
    match read.intercept(&slack) {
        Some(_) => None,
        None => {
            Some("not a proxy's address: http://host:port, with user:password@ if it needs them")
        }
    }
}

/// What a refusal may show of a proxy variable's value: its scheme, when it is one (the rest
/// may hold a password).
pub fn shown(value: &str) -> String {
    match value.trim().split_once("://") {
        Some((scheme, _))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            format!("{scheme}://…")
        }
        _ => "…".to_string(),
    }
}

/// Which proxy, if any, each address is reached through.
#[derive(Clone)]
pub struct Proxies(Arc<Matcher>);

/// Never printed: a proxy's address may hold a password.
impl std::fmt::Debug for Proxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Proxies(…)")
    }
}

impl Default for Proxies {
    /// None: every address reached directly.
    fn default() -> Proxies {
        Proxies(Arc::new(Matcher::builder().build()))
    }
}

impl Proxies {
    /// From the settings `get` reads (the environment, in the bot), each the first set of
    /// its upper- and lower-case spelling.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Proxies {
        // Trimmed, as every setting is (an env file may keep spaces the matcher refuses).
        let first = |names: [&str; 2]| {
            names
                .into_iter()
                .find_map(|n| {
                    get(n)
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                })
                .unwrap_or_default()
        };
        let [https, http, all] = PROXY_VARIABLES;
        let matcher = Matcher::builder()
            .all(first(all))
            .http(first(http))
            .https(first(https))
            .no(first(NO_PROXY))
            .build();
        Proxies(Arc::new(matcher))
    }

    /// The proxy for `uri` (a WebSocket's `ws`/`wss` read as `http`/`https`); never for a
    /// loopback address.
    pub(crate) fn for_uri(&self, uri: &Uri) -> Option<Intercept> {
        let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return None;
        }
        let scheme = match uri.scheme_str() {
            Some("ws") => "http",
            Some("wss") => "https",
            Some(other) => other,
            None => return None,
        };
        let as_http = Uri::builder()
            .scheme(scheme)
            .authority(uri.authority()?.as_str())
            .path_and_query("/")
            .build()
            .ok()?;
        self.0.intercept(&as_http)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(all: &str, no: &str) -> Proxies {
        Proxies(Arc::new(Matcher::builder().all(all).no(no).build()))
    }

    #[test]
    fn slack_goes_through_the_proxy_and_loopback_never_does() {
        let p = through("http://proxy.council.example:3128", "intranet.example");
        for url in [
            "https://slack.com/api/chat.postMessage",
            "wss://wss-primary.slack.com/link/?ticket=1",
        ] {
            let proxy = p.for_uri(&url.parse().unwrap()).expect(url);
            assert_eq!(proxy.uri().host(), Some("proxy.council.example"));
        }
        for url in [
            "http://127.0.0.1:3000/api/",
            "ws://localhost:9000/",
            "http://[::1]:80/",
            "https://intranet.example/",
        ] {
            assert!(p.for_uri(&url.parse().unwrap()).is_none(), "{url}");
        }
    }

    #[test]
    fn only_an_http_proxy_is_spoken_to() {
        assert_eq!(unusable("http://proxy:3128"), None);
        assert_eq!(unusable("http://sam:s%40cret@proxy:3128"), None);
        assert_eq!(unusable("proxy.council.example:3128"), None);
        assert_eq!(unusable(" http://proxy:3128 "), None);
        assert_eq!(unusable(""), None);
        for refused in [
            "socks5://proxy:1080",
            "https://proxy:3128",
            "http://",
            "proxy:3128/x",
        ] {
            assert!(unusable(refused).is_some(), "{refused}");
        }
        assert_eq!(shown("socks5://sam:hunter2@proxy:1080"), "socks5://…");
        assert_eq!(shown("sam:hunter2@proxy/x://y"), "…");
    }
}
