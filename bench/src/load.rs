//! The load generator: C keep-alive HTTP/1.1 connections, one task each, sending signed
//! requests back to back until the time is up (or [`MAX_REQUESTS`] have gone in all), timing
//! each one. Failures are counted, never unwrapped: a broken connection is replaced, at most
//! [`MAX_CONNECTS`] times per task. Only ever talks to the address it is given (127.0.0.1).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;
use hyper::header::HeaderValue;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::client::{Sender, Signed, conditional_get, connect, exchange, sign_now, signed_request};
use crate::payloads::EventTemplate;

/// Requests per run, across all connections, whatever the duration.
pub const MAX_REQUESTS: u64 = 2_000_000;
/// A request not answered by then counts as an error and its connection is dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Signatures are good for five minutes; a pool is signed again after four.
const RESIGN_EVERY: Duration = Duration::from_secs(4 * 60);
/// Connections one task may open (the first plus replacements for broken ones).
const MAX_CONNECTS: u32 = 50;

/// Where the bodies come from.
pub enum Source {
    /// Fixed bodies, signed once at the start (again every four minutes), used in turn.
    Pool(Vec<Bytes>),
    /// `reaction_added` events with a unique event_id, built and signed per request.
    UniqueEvents { template: EventTemplate, run: u32 },
    /// Unsigned `GET`s with `If-None-Match` set to this ETag (answered 304 while it holds).
    Revalidate { etag: HeaderValue },
    /// `/makers pitch` (the pitch form), each with a fresh trigger_id
    /// (`Bench<run>x<conn>x<seq>`), built and signed per request; when each was sent is kept
    /// in [`Outcome::sent`].
    UniqueTriggers { run: u32 },
}

impl Source {
    /// The statuses that count as answered as intended.
    fn expected(&self) -> std::ops::RangeInclusive<u16> {
        match self {
            Source::Revalidate { .. } => 304..=304,
            _ => 200..=299,
        }
    }
}

pub struct Plan {
    pub addr: SocketAddr,
    pub path: &'static str,
    pub content_type: &'static str,
    pub conns: usize,
    pub duration: Duration,
    pub source: Source,
    pub secret: Arc<str>,
}

/// What a run (or one connection of it) saw.
pub struct Outcome {
    /// One entry per answered request, in microseconds.
    pub latencies_us: Vec<u32>,
    pub statuses: BTreeMap<u16, u64>,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// The statuses the scenario should get (2xx, or 304 for revalidations).
    pub expected: std::ops::RangeInclusive<u16>,
    /// For [`Source::UniqueTriggers`]: each request's trigger_id and when it was sent.
    pub sent: Vec<(String, std::time::Instant)>,
}

impl Default for Outcome {
    fn default() -> Outcome {
        Outcome {
            latencies_us: Vec::new(),
            statuses: BTreeMap::new(),
            errors: 0,
            first_error: None,
            elapsed: Duration::ZERO,
            expected: 200..=299,
            sent: Vec::new(),
        }
    }
}

impl Outcome {
    pub fn error(&mut self, why: String) {
        self.errors += 1;
        self.first_error.get_or_insert(why);
    }

    pub fn merge(&mut self, other: Outcome) {
        self.latencies_us.extend(other.latencies_us);
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        self.errors += other.errors;
        self.sent.extend(other.sent);
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Answers with another status than the scenario's.
    pub fn unexpected(&self) -> u64 {
        let bad = self
            .statuses
            .iter()
            .filter(|(s, _)| !self.expected.contains(*s));
        bad.map(|(_, n)| n).sum()
    }
}

fn sign_pool(secret: &str, bodies: &[Bytes]) -> Result<Arc<Vec<Signed>>, String> {
    let signed: Result<Vec<Signed>, String> =
        bodies.iter().map(|b| sign_now(secret, b.clone())).collect();
    Ok(Arc::new(signed?))
}

/// Shared by the tasks of one run.
struct Shared {
    plan: Plan,
    host: HeaderValue,
    sent: AtomicU64,
    deadline: Instant,
}

/// Runs one scenario at one connection count.
pub async fn run(plan: Plan) -> Result<Outcome, String> {
    let started = Instant::now();
    let bodies = match &plan.source {
        Source::Pool(bodies) if bodies.is_empty() => return Err("empty body pool".into()),
        Source::Pool(bodies) => bodies.clone(),
        Source::UniqueEvents { .. } | Source::Revalidate { .. } | Source::UniqueTriggers { .. } => {
            Vec::new()
        }
    };
    let (pool_tx, pool_rx) = watch::channel(sign_pool(&plan.secret, &bodies)?);
    let secret = plan.secret.clone();
    let resigner = tokio::spawn(async move {
        loop {
            tokio::time::sleep(RESIGN_EVERY).await;
            let Ok(pool) = sign_pool(&secret, &bodies) else {
                break;
            };
            if pool_tx.send(pool).is_err() {
                break;
            }
        }
    });
    let shared = Arc::new(Shared {
        host: HeaderValue::try_from(plan.addr.to_string()).map_err(|e| e.to_string())?,
        sent: AtomicU64::new(0),
        deadline: started + plan.duration,
        plan,
    });
    let tasks: Vec<_> = (0..shared.plan.conns)
        .map(|id| tokio::spawn(connection(id, shared.clone(), pool_rx.clone())))
        .collect();
    let mut total = Outcome::default();
    for task in tasks {
        match task.await {
            Ok(outcome) => total.merge(outcome),
            Err(e) => total.error(format!("connection task failed: {e}")),
        }
    }
    resigner.abort();
    total.elapsed = started.elapsed();
    total.expected = shared.plan.source.expected();
    Ok(total)
}

/// One connection's loop: sequential requests until the deadline or the shared budget.
async fn connection(
    id: usize,
    shared: Arc<Shared>,
    mut pool: watch::Receiver<Arc<Vec<Signed>>>,
) -> Outcome {
    let mut out = Outcome::default();
    let mut current = pool.borrow_and_update().clone();
    let mut sender: Option<Sender> = None;
    let mut connects = 0;
    let mut seq: usize = 0;
    while Instant::now() < shared.deadline
        && shared.sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
    {
        if pool.has_changed().unwrap_or(false) {
            current = pool.borrow_and_update().clone();
        }
        let s = match sender.as_mut() {
            Some(s) => s,
            None if connects >= MAX_CONNECTS => break,
            None => {
                connects += 1;
                match connect(shared.plan.addr).await {
                    Ok(s) => sender.insert(s),
                    Err(e) => {
                        out.error(e);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                }
            }
        };
        let trigger = match shared.plan.source {
            Source::UniqueTriggers { run } => Some(format!("Bench{run}x{id}x{seq}")),
            _ => None,
        };
        let req = build(&shared, &current, id, seq, trigger.as_deref());
        seq += 1;
        let req = match req {
            Ok(r) => r,
            Err(e) => {
                out.error(e);
                continue;
            }
        };
        let t0 = Instant::now();
        if let Some(trigger) = trigger {
            out.sent.push((trigger, t0.into_std()));
        }
        match tokio::time::timeout(REQUEST_TIMEOUT, exchange(s, req)).await {
            Ok(Ok((status, _))) => {
                let us = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
                out.latencies_us.push(us);
                *out.statuses.entry(status).or_default() += 1;
            }
            Ok(Err(e)) => {
                out.error(e);
                sender = None;
            }
            Err(_) => {
                out.error(format!("no answer within {REQUEST_TIMEOUT:?}"));
                sender = None;
            }
        }
    }
    out
}

fn build(
    shared: &Shared,
    pool: &[Signed],
    id: usize,
    seq: usize,
    trigger: Option<&str>,
) -> Result<Request<Full<Bytes>>, String> {
    let fresh;
    let signed = match &shared.plan.source {
        // Tasks start at different places in the pool so concurrent bodies differ.
        Source::Pool(_) => &pool[id.wrapping_mul(7919).wrapping_add(seq) % pool.len()],
        Source::UniqueEvents { template, run } => {
            let body = template.body(&format!("EvBench{run}x{id}x{seq}"));
            fresh = sign_now(&shared.plan.secret, body)?;
            &fresh
        }
        Source::UniqueTriggers { .. } => {
            let body = crate::payloads::pitch_form(trigger.unwrap_or_default());
            fresh = sign_now(&shared.plan.secret, body)?;
            &fresh
        }
        Source::Revalidate { etag } => {
            return conditional_get(shared.plan.path, shared.host.clone(), etag);
        }
    };
    signed_request(
        shared.plan.path,
        shared.host.clone(),
        shared.plan.content_type,
        signed,
    )
}
