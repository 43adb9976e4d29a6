//! `pitch_form`: how long after a `/makers pitch` command is sent the fake Slack receives the
//! `views.open` that opens its form (issue 10: within 100 ms at p99 under 64 concurrent
//! commands). Matched by trigger_id: each command carries a fresh one, and the bot passes it
//! on to `views.open`. The fake (in this process) notes when each call arrived, so both
//! instants are on one clock.

use std::collections::HashMap;
use std::time::Instant;

use fake_slack::FakeSlack;

use crate::load::Outcome;

/// The delays, as an [`Outcome`] to report like any run: one latency per command whose
/// `views.open` arrived; `errors` counts commands whose `views.open` never came (or came
/// twice: a trigger_id serves once).
pub fn views_open_delays(fake: &FakeSlack, sent: &[(String, Instant)], run: &Outcome) -> Outcome {
    let mut received: HashMap<String, (Instant, u32)> = HashMap::new();
    for call in fake.calls("views.open") {
        if let Some(trigger) = call.body["trigger_id"].as_str() {
            let seen = received
                .entry(trigger.to_string())
                .or_insert((call.received, 0));
            seen.1 += 1;
        }
    }
    let mut out = Outcome {
        elapsed: run.elapsed,
        ..Outcome::default()
    };
    let mut missing = 0;
    let mut twice = 0;
    for (trigger, at) in sent {
        match received.get(trigger) {
            Some(&(got, 1)) => {
                let us = got.saturating_duration_since(*at).as_micros();
                out.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
                *out.statuses.entry(200).or_default() += 1;
            }
            Some(_) => twice += 1,
            None => missing += 1,
        }
    }
    out.errors = missing + twice;
    if out.errors > 0 {
        out.first_error = Some(format!(
            "{missing} commands without a views.open, {twice} with more than one"
        ));
    }
    out
}
