//! Waits between attempts to connect: doubling from `first` up to `max`, each shortened by
//! up to a quarter at random so many bots restarted together do not retry in step.

use std::time::Duration;

pub struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            first,
            max,
            next: first,
        }
    }

    /// The wait before the next attempt; the one after is twice as long (up to `max`).
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(self.max);
        jittered(wait)
    }

    /// The wait after a failed attempt: as long as Slack asked (`Retry-After`), but never
    /// shorter than the backoff's own, which grows as before. A `Retry-After: 0` (a proxy's,
    /// or an odd answer) would otherwise have the keeper ask again at once, over and over.
    pub fn after_failure(&mut self, asked: Option<Duration>) -> Duration {
        let own = self.next_wait();
        asked.map_or(own, |asked| asked.max(own))
    }

    /// A connection succeeded: start again from `first`.
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

/// `wait` less up to a quarter of it, from the clock's nanoseconds (no need for better
/// randomness to spread retries).
pub fn jittered(wait: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let fraction = f64::from(nanos % 1000) / 4000.0;
    wait.mul_f64(1.0 - fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_and_resets() {
        let s = Duration::from_secs;
        let mut b = Backoff::new(s(1), s(5));
        let waits: Vec<Duration> = (0..5).map(|_| b.next_wait()).collect();
        for (wait, nominal) in waits.iter().zip([1, 2, 4, 5, 5]) {
            assert!(
                *wait <= s(nominal) && *wait >= s(nominal).mul_f64(0.75),
                "{waits:?}"
            );
        }
        b.reset();
        assert!(b.next_wait() <= s(1));
    }

    #[test]
    fn a_failure_waits_as_asked_but_never_less_than_the_backoff() {
        let s = Duration::from_secs;
        let mut b = Backoff::new(s(1), s(8));
        // Slack's 30 s is kept; an asked 0 waits the backoff's time, which still grows.
        assert_eq!(b.after_failure(Some(s(30))), s(30));
        let zero: Vec<Duration> = (0..3).map(|_| b.after_failure(Some(s(0)))).collect();
        for (wait, nominal) in zero.iter().zip([2, 4, 8]) {
            assert!(*wait >= s(nominal).mul_f64(0.75), "{zero:?}");
        }
        assert!(b.after_failure(None) >= s(6));
    }
}
