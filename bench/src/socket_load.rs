//! The load over Socket Mode: C tasks, each with one envelope in flight at a time (as a
//! keep-alive HTTP connection has one request), sending the same bodies as the HTTP
//! scenarios wrapped in envelopes down the bot's socket and timing each until its ack.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::load::{MAX_REQUESTS, Outcome};
use crate::payloads::EventTemplate;
use crate::socket::SocketServer;

/// An envelope not acked by then counts as an error (Slack would deliver it again).
const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// What the envelopes carry.
pub enum Envelopes {
    /// Slash commands: each HTTP form body as Socket Mode's JSON object of strings, in turn.
    Commands(Vec<String>),
    /// `/makers pitch` with a fresh trigger_id each time.
    PitchForms,
    /// Events from a template, a fresh event_id each time.
    Events(EventTemplate),
}

pub struct SocketPlan {
    pub server: SocketServer,
    pub conns: usize,
    pub duration: Duration,
    pub envelopes: Envelopes,
    /// Makes ids unique across runs.
    pub run: u32,
}

/// An HTTP slash-command body as Socket Mode sends the command: its fields as JSON strings.
pub fn command_payload(form: &Bytes) -> Result<String, String> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(form).map_err(|e| format!("form body: {e}"))?;
    let object: serde_json::Map<String, serde_json::Value> =
        fields.into_iter().map(|(k, v)| (k, v.into())).collect();
    Ok(serde_json::Value::Object(object).to_string())
}

struct Shared {
    plan: SocketPlan,
    sent: AtomicU64,
    deadline: Instant,
}

pub async fn run(plan: SocketPlan) -> Result<Outcome, String> {
    if matches!(&plan.envelopes, Envelopes::Commands(c) if c.is_empty()) {
        return Err("empty body pool".into());
    }
    let started = Instant::now();
    let shared = Arc::new(Shared {
        sent: AtomicU64::new(0),
        deadline: started + plan.duration,
        plan,
    });
    let tasks: Vec<_> = (0..shared.plan.conns)
        .map(|id| tokio::spawn(sender(id, shared.clone())))
        .collect();
    let mut total = Outcome::default();
    for task in tasks {
        match task.await {
            Ok(outcome) => total.merge(outcome),
            Err(e) => total.error(format!("sender task failed: {e}")),
        }
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

/// One task's loop: an envelope, its ack, the next.
async fn sender(id: usize, shared: Arc<Shared>) -> Outcome {
    let mut out = Outcome::default();
    let plan = &shared.plan;
    let mut seq: usize = 0;
    while Instant::now() < shared.deadline
        && shared.sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
    {
        let envelope_id = format!("S{}x{id}x{seq}", plan.run);
        let (kind, payload) = match &plan.envelopes {
            Envelopes::Commands(pool) => (
                "slash_commands",
                pool[id.wrapping_mul(7919).wrapping_add(seq) % pool.len()].clone(),
            ),
            Envelopes::PitchForms => {
                let form = crate::payloads::pitch_form(&format!("Sock{}x{id}x{seq}", plan.run));
                match command_payload(&form) {
                    Ok(p) => ("slash_commands", p),
                    Err(e) => {
                        out.error(e);
                        break;
                    }
                }
            }
            Envelopes::Events(template) => {
                let body = template.body(&format!("EvSock{}x{id}x{seq}", plan.run));
                ("events_api", String::from_utf8_lossy(&body).into_owned())
            }
        };
        seq += 1;
        let accepts = kind == "slash_commands";
        let frame = format!(
            r#"{{"envelope_id":"{envelope_id}","type":"{kind}","payload":{payload},"accepts_response_payload":{accepts},"retry_attempt":0,"retry_reason":""}}"#
        );
        let (acked, ack) = oneshot::channel();
        let t0 = Instant::now();
        if !plan.server.send(envelope_id.clone(), frame, acked) {
            out.error("no socket open".into());
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        match tokio::time::timeout(ACK_TIMEOUT, ack).await {
            Ok(Ok(_with_payload)) => {
                let us = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
                out.latencies_us.push(us);
                // An ack is the socket's 200.
                *out.statuses.entry(200).or_default() += 1;
            }
            Ok(Err(_)) => out.error("socket closed before the ack".into()),
            Err(_) => {
                plan.server.forget(&envelope_id);
                out.error(format!("no ack within {ACK_TIMEOUT:?}"));
            }
        }
    }
    out
}

/// The Socket Mode form of a scenario; `None` for those with none (`catalogue_304` is not
/// Slack's traffic; `ceiling` is HTTP's floor). `join` is the announcement joins react to.
pub fn envelopes(scenario: &str, join: &str, pool: usize) -> Result<Option<Envelopes>, String> {
    use crate::payloads;
    let commands = |bodies: Vec<Bytes>| -> Result<Envelopes, String> {
        let payloads: Result<Vec<String>, String> = bodies.iter().map(command_payload).collect();
        Ok(Envelopes::Commands(payloads?))
    };
    Ok(Some(match scenario {
        "list" => commands(vec![payloads::list()])?,
        "pitch_form" => Envelopes::PitchForms,
        "pitch" => commands(payloads::pitches(pool))?,
        "pitch_similar" => commands(payloads::similar_pitches(pool))?,
        "reaction_added" => Envelopes::Events(EventTemplate::reaction_added()?),
        "reaction_join" => {
            Envelopes::Events(EventTemplate::join(&payloads::seed_channel(0), join)?)
        }
        _ => return Ok(None),
    }))
}
