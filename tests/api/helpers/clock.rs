//! [`TestClock`]: the bot's clock in tests, real time plus an offset a test can move.

use std::sync::{Arc, Mutex};

use makers_bot::clock::Clock;

/// A clock that runs with real time but can be moved forward (days, weeks) by a test, or
/// stopped where it is.
#[derive(Clone, Default)]
pub struct TestClock {
    offset_secs: Arc<Mutex<i64>>,
    stopped_at: Arc<Mutex<Option<chrono::DateTime<chrono::Utc>>>>,
}

impl TestClock {
    /// Stops the clock at its time now: what is counted by the clock (a person's allowance
    /// of changes) then does not depend on how fast the machine runs the test. Moving the
    /// clock starts it again, from real time plus the offset (the stopped spell is skipped).
    pub fn stop(&self) {
        let now = self.now();
        *self.stopped_at.lock().unwrap() = Some(now);
    }
    pub fn advance_days(&self, days: i64) {
        *self.stopped_at.lock().unwrap() = None;
        *self.offset_secs.lock().unwrap() += days * 24 * 3600;
    }
    /// Moves the clock to a Tuesday at 10:00 in London, in working hours, when nudges go out:
    /// a test that walks whole weeks forward from it stays in them.
    pub fn set_weekday_morning(&self) {
        self.set("2026-12-01T10:00:00Z");
    }
    /// Moves the clock to `at` (from then on it runs on with real time).
    pub fn set(&self, at: &str) {
        *self.stopped_at.lock().unwrap() = None;
        let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
        *self.offset_secs.lock().unwrap() = (at - chrono::Utc::now()).num_seconds();
    }
    /// Moves the clock to unix second `at` (somewhere within that second).
    pub fn set_timestamp(&self, at: i64) {
        *self.stopped_at.lock().unwrap() = None;
        *self.offset_secs.lock().unwrap() = at - chrono::Utc::now().timestamp();
    }
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        if let Some(at) = *self.stopped_at.lock().unwrap() {
            return at;
        }
        chrono::Utc::now() + chrono::Duration::seconds(*self.offset_secs.lock().unwrap())
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        TestClock::now(self)
    }
}
