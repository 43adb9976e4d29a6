//! [`TestClock`]: the bot's clock in tests, real time plus an offset a test can move.

use std::sync::{Arc, Mutex};

use makers_bot::clock::Clock;

/// A clock that runs with real time but can be moved forward (days, weeks) by a test.
#[derive(Clone, Default)]
pub struct TestClock {
    offset_secs: Arc<Mutex<i64>>,
}

impl TestClock {
    pub fn advance_days(&self, days: i64) {
        *self.offset_secs.lock().unwrap() += days * 24 * 3600;
    }
    /// Moves the clock to `at` (from then on it runs on with real time).
    pub fn set(&self, at: &str) {
        let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
        *self.offset_secs.lock().unwrap() = (at - chrono::Utc::now()).num_seconds();
    }
    /// Moves the clock to unix second `at` (somewhere within that second).
    pub fn set_timestamp(&self, at: i64) {
        *self.offset_secs.lock().unwrap() = at - chrono::Utc::now().timestamp();
    }
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::Duration::seconds(*self.offset_secs.lock().unwrap())
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        TestClock::now(self)
    }
}
