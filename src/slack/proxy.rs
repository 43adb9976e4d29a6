//! Reaching Slack through the outbound web proxy `config::Proxies` names for an address (the
//! settings are the configuration's), for the Web API, OAuth and Socket Mode's WebSocket
//! alike. An `http://` proxy, asked with `CONNECT`, so what passes through it is still
//! encrypted end to end. A loopback address is always reached directly.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Intercept;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

use crate::config::Proxies;

impl Proxies {
    /// A TCP connection to `url`'s host and port (a WebSocket's), through the proxy when
    /// one applies; the WebSocket's handshake (and TLS) then runs over it.
    pub async fn tcp_to(&self, url: &str) -> Result<TcpStream, BoxError> {
        let uri: Uri = url.parse()?;
        let host = uri.host().ok_or("no host in the address")?.to_string();
        let port = uri.port_u16().unwrap_or(default_port(uri.scheme_str()));
        match self.for_uri(&uri) {
            None => Ok(TcpStream::connect((host.as_str(), port)).await?),
            Some(proxy) => {
                let dst: Uri = format!("https://{host}:{port}/").parse()?;
                let stream = tunnel(&proxy, plain()).call(dst).await?;
                Ok(stream.into_inner())
            }
        }
    }
}

/// A failed call's text with every cause under it: hyper's client says only "client error
/// (Connect)", and the proxy's refusal, a failed name look-up or an untrusted certificate is
/// in its `source()`s, which the operator needs to tell them apart.
pub fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let said = c.to_string();
        // Some errors repeat their cause in their own words: said once.
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = c.source();
    }
    text
}

/// The port an address without one means: 80 for `http` and `ws`, 443 otherwise.
fn default_port(scheme: Option<&str>) -> u16 {
    match scheme {
        Some("http" | "ws") => 80,
        _ => 443,
    }
}

/// `dst` with its port written out when it names none.
fn with_port(dst: Uri) -> Uri {
    if dst.port().is_some() {
        return dst;
    }
    let (Some(host), Some(scheme)) = (dst.host(), dst.scheme_str()) else {
        return dst;
    };
    let port = default_port(Some(scheme));
    let mut parts = dst.clone().into_parts();
    match format!("{host}:{port}").parse() {
        Ok(authority) => {
            parts.authority = Some(authority);
            Uri::from_parts(parts).unwrap_or(dst)
        }
        Err(_) => dst,
    }
}

/// An `HttpConnector` that also takes `https` addresses (TLS is added above it).
fn plain() -> HttpConnector {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http
}

fn tunnel(proxy: &Intercept, http: HttpConnector) -> Tunnel<HttpConnector> {
    let tunnel = Tunnel::new(proxy.uri().clone(), http);
    match proxy.basic_auth() {
        Some(auth) => tunnel.with_auth(auth.clone()),
        None => tunnel,
    }
}

/// A TCP connector that goes through the proxy where one applies: what TLS is wrapped
/// around for every call to Slack's Web API.
#[derive(Clone)]
pub struct Connector {
    proxies: Proxies,
    http: HttpConnector,
}

impl Connector {
    pub fn new(proxies: Proxies) -> Connector {
        Connector {
            proxies,
            http: plain(),
        }
    }
}

impl Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match self.proxies.for_uri(&dst) {
            Some(proxy) => {
                let mut tunnel = tunnel(&proxy, self.http.clone());
                // The tunnel asks for port 443 when the address names none: name its own.
                let dst = with_port(dst);
                Box::pin(async move { Ok(tunnel.call(dst).await?) })
            }
            None => {
                let mut http = self.http.clone();
                Box::pin(async move { Ok(http.call(dst).await?) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tunnel_names_the_port_its_scheme_has() {
        let port = |u: &str| with_port(u.parse().unwrap()).port_u16();
        assert_eq!(port("http://slack.test/api/"), Some(80));
        assert_eq!(port("https://slack.com/api/"), Some(443));
        assert_eq!(port("http://slack.test:8080/api/"), Some(8080));
        assert_eq!(
            with_port("http://slack.test/api/x?y=1".parse().unwrap()).to_string(),
            "http://slack.test:80/api/x?y=1"
        );
    }
}
