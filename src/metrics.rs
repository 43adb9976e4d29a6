//! What `GET /metrics` shows, in the Prometheus text format (the Prometheus project's
//! `prometheus-client`): counts and timings, never personal data. Labels are routes, Slack
//! methods and outcomes: never a user, channel or workspace id, never a project's slug.
//!
//! One set for the process (as a Prometheus client usually has): parts of the bot count into
//! it where things happen; what is a reading of the database (the outbox's depth, the file's
//! size) is read when `/metrics` is asked for.

use std::sync::LazyLock;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// A request answered: which route (a fixed name, never a path typed by a client) and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteStatus {
    pub route: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Route {
    pub route: &'static str,
}

/// A Web API call: its method and how it ended (`ok`, `rate_limited`, `error`, `transient`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Call {
    pub method: &'static str,
    pub outcome: &'static str,
}

/// How a Slack call ended, as `/metrics` counts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CallOutcome {
    Ok,
    /// Slack said no.
    Error,
    /// No answer, or not Slack's: tried again.
    Transient,
    /// A 429 asking for this wait, or a rate limit said in the answer (no wait: zero).
    RateLimited(Duration),
}

/// A Socket Mode envelope: its kind (`socket:events_api`, …) and how it ended (`acked`;
/// `acked_elsewhere`, over another socket, its own having ended; `not_acked`, left for Slack
/// to send again or with no socket left; `panicked`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Envelope {
    pub kind: &'static str,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Method {
    pub method: &'static str,
}

/// Everything counted.
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteStatus, Counter>,
    ack_seconds: Family<Route, Histogram>,
    slack_calls: Family<Call, Counter>,
    envelopes: Family<Envelope, Counter>,
    rate_limited: Family<Method, Counter>,
    rate_limit_wait: Counter<f64, AtomicU64>,
    digests_sent: Counter,
    nudges_sent: Counter,
    write_batch: Histogram,
    outbox_depth: Gauge,
    outbox_oldest_age: Gauge,
    database_bytes: Gauge,
    token_refused: Gauge,
    litestream_wait: Gauge,
    http_connections_open: Gauge,
    /// Held from setting the store's readings to encoding them, so that two renders at once
    /// (two apps of one test process, two scrapes) each answer their own readings.
    rendering: std::sync::Mutex<()>,
}

/// What the store says at the moment `/metrics` is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Readings {
    /// Posts queued and not yet delivered (nor failed for good).
    pub outbox_depth: i64,
    /// How long the oldest of them has waited, in seconds (0 when there are none).
    pub outbox_oldest_age: i64,
    /// The database file and its write-ahead log, in bytes.
    pub database_bytes: i64,
    /// Workspaces whose bot token Slack is refusing now (their posts wait for it).
    pub token_refused: i64,
    /// How long Litestream has been due to checkpoint the log, in seconds (0 when it is not,
    /// or the bot checkpoints itself).
    pub litestream_wait: i64,
}

/// Edges of `ack_seconds`, in seconds: one at Slack's 3 s deadline, with edges close on
/// either side, so the share of acks too late can be counted and alerted on (powers of two
/// put 2.1 s and 3.9 s in one bucket, 2.048 to 4.096).
const ACK_BUCKETS: [f64; 16] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0,
];

/// One open HTTP connection, counted in `http_connections_open` until dropped.
pub struct OpenConnection(Gauge);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.dec();
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

impl Metrics {
    fn new() -> Metrics {
        let m = Metrics {
            registry: Registry::with_prefix("makers"),
            requests: Family::default(),
            ack_seconds: Family::new_with_constructor(|| Histogram::new(ACK_BUCKETS)),
            slack_calls: Family::default(),
            envelopes: Family::default(),
            rate_limited: Family::default(),
            rate_limit_wait: Counter::default(),
            digests_sent: Counter::default(),
            nudges_sent: Counter::default(),
            // 1 to 64 writes committed together (the writer's most).
            write_batch: Histogram::new(exponential_buckets(1.0, 2.0, 7)),
            outbox_depth: Gauge::default(),
            outbox_oldest_age: Gauge::default(),
            database_bytes: Gauge::default(),
            token_refused: Gauge::default(),
            litestream_wait: Gauge::default(),
            http_connections_open: Gauge::default(),
            rendering: std::sync::Mutex::new(()),
        };
        m.register()
    }

    fn register(mut self) -> Metrics {
        let r = &mut self.registry;
        r.register(
            "http_requests",
            "Requests answered, by route and status",
            self.requests.clone(),
        );
        r.register(
            "ack_seconds",
            "Time to answer Slack (its signed HTTP requests and Socket Mode envelopes), by route",
            self.ack_seconds.clone(),
        );
        r.register(
            "slack_api_calls",
            "Slack Web API calls, by method and outcome",
            self.slack_calls.clone(),
        );
        r.register(
            "socket_envelopes",
            "Socket Mode envelopes handled, by kind and how they ended",
            self.envelopes.clone(),
        );
        r.register(
            "slack_rate_limited",
            "Slack Web API calls rate-limited (a 429, or an answer of 200 saying ratelimited), by method",
            self.rate_limited.clone(),
        );
        r.register(
            "slack_rate_limit_wait_seconds",
            "Time Slack asked us to wait (Retry-After), in all",
            self.rate_limit_wait.clone(),
        );
        r.register(
            "digests_sent",
            "Weekly digests posted",
            self.digests_sent.clone(),
        );
        r.register("nudges_sent", "Nudges posted", self.nudges_sent.clone());
        r.register(
            "write_batch_size",
            "Writes committed together in one transaction",
            self.write_batch.clone(),
        );
        r.register(
            "outbox_depth",
            "Posts waiting to be delivered",
            self.outbox_depth.clone(),
        );
        r.register(
            "outbox_oldest_age_seconds",
            "How long the oldest waiting post has waited",
            self.outbox_oldest_age.clone(),
        );
        r.register(
            "database_bytes",
            "Size of the database file and its write-ahead log",
            self.database_bytes.clone(),
        );
        r.register(
            "token_refused_workspaces",
            "Workspaces whose bot token Slack is refusing: their posts wait until it works",
            self.token_refused.clone(),
        );
        r.register(
            "litestream_checkpoint_wait_seconds",
            "How long Litestream has been due to checkpoint the write-ahead log (0 when it is not, \
             or the bot checkpoints): past 120 s it is not running, and /healthz says so",
            self.litestream_wait.clone(),
        );
        r.register(
            "http_connections_open",
            "HTTP connections the bot holds now (at its cap of 128, new ones wait in the backlog)",
            self.http_connections_open.clone(),
        );
        self
    }

    /// A request on `route` answered with `status` (timed only if it was Slack's: [`Self::acked`]).
    pub fn answered(&self, route: &'static str, status: u16) {
        self.requests
            .get_or_create(&RouteStatus { route, status })
            .inc();
    }

    /// Slack was answered on `route` after `took`: a signed HTTP request on one of Slack's
    /// routes, or a Socket Mode envelope of that type, however it ended.
    pub fn acked(&self, route: &'static str, took: Duration) {
        self.ack_seconds
            .get_or_create(&Route { route })
            .observe(took.as_secs_f64());
    }

    /// A Slack call to `method` ended with `outcome` (a rate limit also counted, with its
    /// wait, in the rate-limit series).
    pub fn call_ended(&self, method: &'static str, outcome: CallOutcome) {
        let label = match outcome {
            CallOutcome::Ok => "ok",
            CallOutcome::Error => "error",
            CallOutcome::Transient => "transient",
            CallOutcome::RateLimited(wait) => {
                self.rate_limited(method, wait);
                "rate_limited"
            }
        };
        self.slack_calls
            .get_or_create(&Call {
                method,
                outcome: label,
            })
            .inc();
    }

    /// A Socket Mode envelope of `kind` was handled, ending with `outcome`.
    pub fn envelope(&self, kind: &'static str, outcome: &'static str) {
        self.envelopes
            .get_or_create(&Envelope { kind, outcome })
            .inc();
    }

    /// How many envelopes of `kind` ended with `outcome` so far.
    #[cfg(test)]
    pub fn envelopes_counted(&self, kind: &'static str, outcome: &'static str) -> u64 {
        self.envelopes
            .get_or_create(&Envelope { kind, outcome })
            .get()
    }

    /// How many answers to Slack on `route` were timed so far.
    #[cfg(test)]
    pub fn acks_timed(&self, route: &'static str) -> u64 {
        // (The histogram's own count is for prometheus-client's tests only.)
        let count = format!("makers_ack_seconds_count{{route=\"{route}\"}} ");
        let text = self.render(Readings::default());
        text.lines()
            .find_map(|l| l.strip_prefix(&count)?.parse().ok())
            .unwrap_or(0)
    }

    /// Slack rate-limited `method`: a 429 asking us to wait `wait`, or its answer saying so
    /// with no wait given (`wait` zero).
    fn rate_limited(&self, method: &'static str, wait: Duration) {
        self.rate_limited.get_or_create(&Method { method }).inc();
        self.rate_limit_wait.inc_by(wait.as_secs_f64());
    }

    /// An HTTP connection was accepted: counted open until the guard is dropped.
    pub fn connection_opened(&self) -> OpenConnection {
        self.http_connections_open.inc();
        OpenConnection(self.http_connections_open.clone())
    }

    pub fn digest_sent(&self) {
        self.digests_sent.inc();
    }

    pub fn nudge_sent(&self) {
        self.nudges_sent.inc();
    }

    /// The writer committed `writes` requests in one transaction.
    pub fn write_batch(&self, writes: usize) {
        self.write_batch.observe(writes as f64);
    }

    /// The text `/metrics` answers, with `now`'s readings of the store.
    pub fn render(&self, now: Readings) -> String {
        let _one_at_a_time = self
            .rendering
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.outbox_depth.set(now.outbox_depth);
        self.outbox_oldest_age.set(now.outbox_oldest_age);
        self.database_bytes.set(now.database_bytes);
        self.token_refused.set(now.token_refused);
        self.litestream_wait.set(now.litestream_wait);
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_every_metric_and_no_more_than_labels_allow() {
        let m = Metrics::new();
        m.answered("/slack/commands", 200);
        m.acked("/slack/commands", Duration::from_millis(3));
        m.call_ended("chat.postMessage", CallOutcome::Ok);
        m.envelope("socket:events_api", "acked");
        m.call_ended(
            "chat.postMessage",
            CallOutcome::RateLimited(Duration::from_secs(2)),
        );
        m.write_batch(5);
        let text = m.render(Readings {
            outbox_depth: 3,
            outbox_oldest_age: 12,
            database_bytes: 4096,
            token_refused: 1,
            litestream_wait: 130,
        });
        for line in [
            "makers_http_requests_total{route=\"/slack/commands\",status=\"200\"} 1",
            "makers_slack_api_calls_total{method=\"chat.postMessage\",outcome=\"ok\"} 1",
            "makers_socket_envelopes_total{kind=\"socket:events_api\",outcome=\"acked\"} 1",
            "makers_slack_rate_limited_total{method=\"chat.postMessage\"} 1",
            "makers_slack_rate_limit_wait_seconds_total 2.0",
            "makers_outbox_depth 3",
            "makers_outbox_oldest_age_seconds 12",
            "makers_database_bytes 4096",
            "makers_token_refused_workspaces 1",
            "makers_litestream_checkpoint_wait_seconds 130",
            "makers_write_batch_size_count 1",
            "makers_digests_sent_total 0",
            "makers_nudges_sent_total 0",
        ] {
            assert!(text.contains(line), "{line} missing from:\n{text}");
        }
        assert!(
            text.contains("makers_ack_seconds_bucket{le=\"0.005\",route=\"/slack/commands\"} 1"),
            "{text}"
        );
    }

    /// Slack's deadline is 3 s: an ack in time and one too late fall either side of an edge.
    #[test]
    fn acks_either_side_of_slacks_three_seconds_fall_in_different_buckets() {
        let m = Metrics::new();
        m.acked("socket:events_api", Duration::from_millis(2500));
        m.acked("socket:events_api", Duration::from_millis(3500));
        let text = m.render(Readings::default());
        for line in [
            "makers_ack_seconds_bucket{le=\"3.0\",route=\"socket:events_api\"} 1",
            "makers_ack_seconds_bucket{le=\"4.0\",route=\"socket:events_api\"} 2",
        ] {
            assert!(text.contains(line), "{line} missing from:\n{text}");
        }
    }
}
