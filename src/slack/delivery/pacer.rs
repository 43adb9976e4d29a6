//! Per-channel pacing: at most one post a second in any channel (Slack's guidance for
//! `chat.postMessage`), no bursts.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::time::Instant;

use crate::domain::ChannelId;

/// The least time between two posts to one channel.
const GAP: Duration = Duration::from_secs(1);

/// When each channel posted to in the last second may have its next post.
#[derive(Default)]
pub(super) struct Pacer {
    next: HashMap<ChannelId, Instant>,
}

impl Pacer {
    /// How long until `channel` may have its next post (zero: now).
    pub(super) fn ready_in(&self, channel: &ChannelId) -> Duration {
        self.next.get(channel).map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        })
    }

    /// The channels that may not have a post yet (as stored: their ids).
    pub(super) fn busy(&self) -> HashSet<String> {
        self.next
            .keys()
            .filter(|c| !self.ready_in(c).is_zero())
            .map(|c| c.as_str().to_string())
            .collect()
    }

    /// How long until the first busy channel may post again (`None`: none is busy).
    pub(super) fn next_ready(&self) -> Option<Duration> {
        self.next
            .keys()
            .map(|c| self.ready_in(c))
            .filter(|wait| !wait.is_zero())
            .min()
    }

    /// Waits until `channel` may have a post, and counts the post as made now.
    pub(super) async fn wait_for(&mut self, channel: &ChannelId) {
        // Channels free again are forgotten: the map holds those posted to in the last second.
        let now = Instant::now();
        self.next.retain(|_, at| *at > now);
        tokio::time::sleep(self.ready_in(channel)).await;
        self.next.insert(channel.clone(), Instant::now() + GAP);
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
