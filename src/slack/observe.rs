//! Every HTTP request is counted for `/metrics` (by a fixed route name, never the path a
//! client typed), Slack's signed ones timed too, and its log lines carry one request id.
//! `/metrics` itself is answered here.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tracing::Instrument;

use super::refusal_log::RefusalLog;
use super::routes::{HttpResponse, Routes, Signed, status};
use super::server::CatchPanic;
use crate::metrics::{Readings, metrics};
use crate::store;

/// What `prometheus-client` writes is OpenMetrics text (a counter's `# TYPE` line names it
/// without `_total`, and the text ends `# EOF`): a scraper that asks for it (Prometheus
/// does, in `Accept`) gets it as it is; anyone else gets the Prometheus text format the
/// contract names, made from it ([`prometheus_text`]).
const OPENMETRICS_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const PROMETHEUS_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

impl Routes {
    /// Answers one request, counted, timed and logged under its own id.
    pub async fn handle(
        self: Arc<Self>,
        req: Request<Incoming>,
    ) -> Result<HttpResponse, Infallible> {
        let route = route_of(req.uri().path());
        // A task of its own: hyper drops a request's future when its client hangs up, as
        // Slack does at its 3 seconds, and what follows a write (a late answer sent to the
        // DM, an unseen offer forgotten, the log emptied after a forget, the request counted)
        // must run all the same, as it does for a Socket Mode envelope. Only Slack's routes
        // and the OAuth callback write: anything else goes with its client, as a hung-up
        // connection frees its slot at once and what it left running would have no limit.
        // Those that run on are bounded too; past the bound one runs inline rather than be
        // refused: its client still gets its answer, and only work after a hang-up is lost.
        let permit = match runs_on_after_a_hang_up(route, req.method()) {
            true => self.detached.0.clone().try_acquire_owned().ok(),
            false => None,
        };
        // On the heap from the start: the answer's state machine (every route's, the whole
        // handler below) runs to kilobytes, and moved by value into `observed`, then into a
        // task of its own, it was copied whole each time, for every request.
        let answer = Box::pin(async move {
            match route {
                "/metrics" if req.method() == Method::GET => {
                    let openmetrics = req
                        .headers()
                        .get(hyper::header::ACCEPT)
                        .and_then(|a| a.to_str().ok())
                        .is_some_and(|a| a.contains("application/openmetrics-text"));
                    self.metrics(openmetrics).await
                }
                "/metrics" => {
                    let mut resp = status(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
                    resp.headers_mut()
                        .insert(hyper::header::ALLOW, HeaderValue::from_static("GET"));
                    Ok(resp)
                }
                _ => self.answer(req).await,
            }
        });
        let Some(permit) = permit else {
            return Ok(observed(route, answer).await);
        };
        let detached = tokio::spawn(async move {
            let resp = observed(route, answer).await;
            drop(permit);
            resp
        });
        match detached.await {
            Ok(resp) => Ok(resp),
            // `observed` answers a panic itself; only a runtime shutting down ends it so.
            Err(_) => Ok(status(
                hyper::StatusCode::SERVICE_UNAVAILABLE,
                "shutting down",
            )),
        }
    }

    async fn metrics(&self, openmetrics: bool) -> Result<HttpResponse, Infallible> {
        let now = self.clock.now().timestamp();
        let litestream_wait = self.db.litestream_waited(now).unwrap_or(0);
        let readings = self
            .db
            .read(move |c| {
                let (depth, oldest) = store::outbox_backlog(c)?;
                Ok(Readings {
                    outbox_depth: depth,
                    outbox_oldest_age: oldest.map_or(0, |at| (now - at).max(0)),
                    database_bytes: store::database_bytes(c)?,
                    token_refused: store::token_refused_workspaces(c, now)?,
                    litestream_wait,
                })
            })
            .await;
        let readings = match readings {
            Ok(r) => r,
            Err(e) => {
                // Not zeros, which would say the outbox is empty and every alert on its age
                // quiet just when the database broke: the scrape fails, and `up` says so.
                // Anyone can scrape: a line a minute, not one each (see `refusal_log`).
                static UNREADABLE: RefusalLog = RefusalLog::new();
                if let Some(unlogged) = UNREADABLE.at(chrono::Utc::now().timestamp()) {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        unlogged,
                        "metrics: store unreadable"
                    );
                }
                return Ok(status(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database cannot be read",
                ));
            }
        };
        let text = metrics().render(readings);
        let (text, kind) = match openmetrics {
            true => (text, OPENMETRICS_TYPE),
            false => (prometheus_text(&text), PROMETHEUS_TYPE),
        };
        let mut resp = Response::new(Full::new(Bytes::from(text)));
        resp.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
        Ok(resp)
    }
}

/// The Prometheus text format (0.0.4) of OpenMetrics `text`: a counter's `# HELP` and
/// `# TYPE` name its samples' name (`…_total`), `# UNIT` lines and the closing `# EOF`
/// go. Samples are written the same in both.
fn prometheus_text(text: &str) -> String {
    let counters: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE ")?.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let renamed = ["# HELP ", "# TYPE "].iter().find_map(|prefix| {
            let rest = line.strip_prefix(prefix)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(&name)
                .then(|| format!("{prefix}{name}_total {tail}"))
        });
        match renamed {
            Some(line) => out.push_str(&line),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Runs one request's `answer` under a span of its own (a new id, the route), then counts
/// it under `route`, and times it as an ack if it was Slack's. A panic in `answer` is
/// caught here, inside the span, so it is a 500 that `/metrics` counts and that is logged
/// with the request's id.
pub async fn observed<F>(route: &'static str, answer: F) -> HttpResponse
where
    F: Future<Output = Result<HttpResponse, Infallible>>,
{
    let span = request_span(route);
    let started = Instant::now();
    let resp = match CatchPanic::new(answer).instrument(span).await {
        Ok(resp) => resp,
        Err(never) => match never {},
    };
    metrics().answered(route, resp.status().as_u16());
    // Only answers to Slack are timed: a flood of unsigned requests (a 401 in a fraction of
    // a millisecond) would hide slow answers to Slack, and the catalogue is not Slack's. A
    // panic's 500 carries no mark; on Slack's routes it follows the signature check (which
    // does not panic), and is timed as Socket Mode times a panicked envelope.
    let slack = resp.extensions().get::<Signed>().is_some()
        || (is_slacks(route) && resp.status() == StatusCode::INTERNAL_SERVER_ERROR);
    if slack {
        metrics().acked(route, started.elapsed());
    }
    resp
}

/// Whether `route` is one of the routes Slack sends its signed requests to.
fn is_slacks(route: &str) -> bool {
    matches!(
        route,
        "/slack/events" | "/slack/commands" | "/slack/interactions"
    )
}

/// The span a request's log lines carry: a new id, and its route (an HTTP route, or a
/// Socket Mode envelope's kind). At error level, so that a filter that keeps any line
/// (`RUST_LOG=warn`) keeps the span too: one at info was disabled there, and the request's
/// warnings and errors, a panic's among them, lost its id.
pub(crate) fn request_span(route: &'static str) -> tracing::Span {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    tracing::span!(tracing::Level::ERROR, "request", id, route)
}

/// Requests left running after their client hangs up, at most, per app: four times the cap
/// on open connections. What runs on is Slack's signed requests (a few KB each) and install
/// callbacks: an unsigned POST ends when its hung-up body cannot be read. Each holds its
/// head (64 KiB at most), 32 MiB in all.
const DETACHED_AT_ONCE: usize = 512;

/// Turns to run on after a hang-up ([`DETACHED_AT_ONCE`]).
pub struct DetachedTurns(Arc<tokio::sync::Semaphore>);

impl Default for DetachedTurns {
    fn default() -> Self {
        DetachedTurns(Arc::new(tokio::sync::Semaphore::new(DETACHED_AT_ONCE)))
    }
}

/// Whether a request runs to its end when its client hangs up: those whose work must finish
/// after a write (Slack's signed POSTs, the OAuth callback's install).
fn runs_on_after_a_hang_up(route: &str, method: &Method) -> bool {
    match route {
        "/slack/events" | "/slack/commands" | "/slack/interactions" => method == Method::POST,
        "/slack/oauth/callback" => method == Method::GET,
        _ => false,
    }
}

/// The route a request is counted under: one of a fixed few, so nobody can fill the metrics
/// with paths of their own (a catalogue page is `/catalogue/{slug}`, whatever the slug).
fn route_of(path: &str) -> &'static str {
    match path {
        "/slack/events" => "/slack/events",
        "/slack/commands" => "/slack/commands",
        "/slack/interactions" => "/slack/interactions",
        "/slack/install" => "/slack/install",
        "/slack/oauth/callback" => "/slack/oauth/callback",
        "/healthz" => "/healthz",
        "/metrics" => "/metrics",
        "/catalogue" | "/catalogue/" => "/catalogue",
        "/catalogue.json" => "/catalogue.json",
        "/catalogue.csv" => "/catalogue.csv",
        "/catalogue.atom" => "/catalogue.atom",
        p if p.starts_with("/catalogue/") => "/catalogue/{slug}",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prometheus_text_names_counters_by_their_samples() {
        let open = "# HELP makers_x Things.\n# TYPE makers_x counter\nmakers_x_total 3\n\
                    # HELP makers_g A gauge.\n# TYPE makers_g gauge\n# UNIT makers_g bytes\n\
                    makers_g 5\n# EOF\n";
        assert_eq!(
            prometheus_text(open),
            "# HELP makers_x_total Things.\n# TYPE makers_x_total counter\nmakers_x_total 3\n\
             # HELP makers_g A gauge.\n# TYPE makers_g gauge\nmakers_g 5\n"
        );
    }

    #[test]
    fn routes_are_a_fixed_few() {
        assert_eq!(route_of("/catalogue/bin-day"), "/catalogue/{slug}");
        assert_eq!(route_of("/wp-admin.php"), "other");
        assert_eq!(route_of("/slack/events"), "/slack/events");
    }

    /// Set in the child process `a_panic_under_rust_log_warn_keeps_its_requests_span` starts.
    const WARN_CHILD: &str = "MAKERS_OBSERVE_PANIC_WARN_CHILD";

    /// With `RUST_LOG=warn` a request's span (for a route and a Socket Mode envelope alike)
    /// is still entered, so a panic's line carries its id, as
    /// `telemetry::tests::a_panic_is_one_json_line_in_its_requests_span` at the default level.
    /// The panic hook is global to a process: this test binary, run again for this test alone.
    #[test]
    fn a_panic_under_rust_log_warn_keeps_its_requests_span() {
        if std::env::var_os(WARN_CHILD).is_some() {
            crate::telemetry::init(crate::telemetry::LogFormat::Json);
            let span = request_span("/slack/events");
            let _in = span.enter();
            let _ = std::panic::catch_unwind(|| panic!("a handler bug"));
            return;
        }
        let stderr = crate::telemetry::stderr_of_child_test(
            "slack::observe::tests::a_panic_under_rust_log_warn_keeps_its_requests_span",
            WARN_CHILD,
            Some("warn"),
        );
        let line = stderr
            .lines()
            .find(|l| l.contains("a handler bug"))
            .unwrap_or_else(|| panic!("no line names the panic:\n{stderr}"));
        let line: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(line["level"], "ERROR", "{line}");
        assert!(line["span"]["id"].is_u64(), "{line}");
        assert_eq!(line["span"]["route"], "/slack/events", "{line}");
    }
}
