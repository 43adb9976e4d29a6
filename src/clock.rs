//! Time as an argument. Everything that records or compares instants asks a [`Clock`]; the
//! server uses the system clock, tests use one they can move weeks forward. (Signature
//! checks always use the real time: they compare against Slack's clock, not ours.)

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

pub type SharedClock = Arc<dyn Clock>;

pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}
