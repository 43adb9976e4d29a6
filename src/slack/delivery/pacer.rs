//! Per-channel pacing: at most one post a second in any channel (Slack's guidance for
//! `chat.postMessage`), no bursts.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

use crate::domain::ChannelId;

const CHANNEL_BURST: f64 = 1.0;
const CHANNEL_RATE_PER_SEC: f64 = 1.0;

/// A token bucket per channel.
#[derive(Default)]
pub(super) struct Pacer {
    buckets: HashMap<ChannelId, (f64, Instant)>,
}

impl Pacer {
    /// How long until `channel` may have its next post (zero: now).
    pub(super) fn ready_in(&self, channel: &ChannelId) -> Duration {
        let Some(&(tokens, last)) = self.buckets.get(channel) else {
            return Duration::ZERO;
        };
        let refilled = tokens + last.elapsed().as_secs_f64() * CHANNEL_RATE_PER_SEC;
        match refilled >= 1.0 {
            true => Duration::ZERO,
            false => Duration::from_secs_f64((1.0 - refilled) / CHANNEL_RATE_PER_SEC),
        }
    }

    /// The channels that may not have a post yet (as stored: their ids).
    pub(super) fn busy(&self) -> HashSet<String> {
        self.buckets
            .keys()
            .filter(|c| !self.ready_in(c).is_zero())
            .map(|c| c.as_str().to_string())
            .collect()
    }

    /// How long until the first busy channel may post again (`None`: none is busy).
    pub(super) fn next_ready(&self) -> Option<Duration> {
        self.buckets
            .keys()
            .map(|c| self.ready_in(c))
            .filter(|wait| !wait.is_zero())
            .min()
    }

    pub(super) async fn wait_for(&mut self, channel: &ChannelId) {
        // A channel whose bucket has refilled is as if never posted to (the burst is one):
        // forget it, so the map holds only the channels posted to in the last second.
        let full = |(tokens, last): &(f64, Instant)| {
            tokens + last.elapsed().as_secs_f64() * CHANNEL_RATE_PER_SEC >= CHANNEL_BURST
        };
        self.buckets.retain(|_, bucket| !full(bucket));
        let now = Instant::now();
        let (tokens, last) = self
            .buckets
            .get(channel)
            .copied()
            .unwrap_or((CHANNEL_BURST, now));
        let refilled = (tokens + now.duration_since(last).as_secs_f64() * CHANNEL_RATE_PER_SEC)
            .min(CHANNEL_BURST);
        if refilled >= 1.0 {
            self.buckets.insert(channel.clone(), (refilled - 1.0, now));
            return;
        }
        let wait = Duration::from_secs_f64((1.0 - refilled) / CHANNEL_RATE_PER_SEC);
        tokio::time::sleep(wait).await;
        self.buckets.insert(channel.clone(), (0.0, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn pacer_allows_one_post_a_second_per_channel() {
        let mut pacer = Pacer::default();
        let c = ChannelId::parse("C1").unwrap();
        let start = Instant::now();
        assert_eq!(
            pacer.ready_in(&c),
            Duration::ZERO,
            "a channel never posted to"
        );
        pacer.wait_for(&c).await;
        assert!(start.elapsed() < Duration::from_millis(10));
        assert!(
            pacer.ready_in(&c) > Duration::from_millis(990),
            "just posted to"
        );
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(990));
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(1990));
        let other = ChannelId::parse("C2").unwrap();
        let before = Instant::now();
        pacer.wait_for(&other).await;
        assert!(
            before.elapsed() < Duration::from_millis(10),
            "channels are paced apart"
        );
    }
}
