//! The workspace's rules, from configuration: which emoji joins, when a project is nudged or
//! quiet, and the time zone schedules and dates are in.

/// The rules handlers apply (built by `config`).
#[derive(Debug, Clone)]
pub struct Rules {
    /// The reaction name that joins a team (`MAKERS_JOIN_EMOJI`).
    pub join_emoji: String,
    /// A project with no update for this long gets a nudge (seconds).
    pub nudge_after: i64,
    /// ... and after this long it is shown as quiet (seconds).
    pub quiet_after: i64,
    /// `MAKERS_TZ`: digests are scheduled, and dates shown, in it.
    pub tz: chrono_tz::Tz,
    /// How many changes each person may make a minute (shared by every clone).
    pub budget: super::WriteBudget,
    /// `MAKERS_PRIVACY_URL`: the operator's privacy notice, which `/makers privacy` links.
    pub privacy_url: Option<String>,
    /// `MAKERS_CONTACT_URL`: how to reach whoever runs Makers (a web page or `mailto:`).
    pub contact_url: Option<String>,
}

impl Rules {
    /// The defaults the configuration documents (`MAKERS_JOIN_EMOJI` and the rest unset).
    pub const JOIN_EMOJI: &'static str = "raised_hand";
    pub const TZ: chrono_tz::Tz = chrono_tz::Europe::London;
    pub const NUDGE_AFTER_DAYS: u32 = 21;
    pub const QUIET_AFTER_DAYS: u32 = 56;

    /// The instant before which a project's last activity makes it quiet.
    pub fn quiet_since(&self, now: i64) -> i64 {
        now - self.quiet_after
    }

    /// Whether `now` (unix seconds) is in working hours in `MAKERS_TZ`, Monday to Friday
    /// 09:00 to 17:00: nudges, which mention a whole team, wait for them rather than ping
    /// council staff at night or at the weekend.
    pub fn is_working_hours(&self, now: i64) -> bool {
        is_working_hours(self.tz, now)
    }

    /// The join emoji, with or without a skin tone (`raised_hand::skin-tone-3`).
    pub fn is_join_emoji(&self, reaction: &str) -> bool {
        match reaction.strip_prefix(self.join_emoji.as_str()) {
            Some("") => true,
            Some(rest) => rest.starts_with("::skin-tone-"),
            None => false,
        }
    }
}

/// Whole days a project has been quiet at `now` (unix seconds) since its last news at
/// `last_activity_at`: what a nudge and a digest say, and what the thresholds count.
pub fn quiet_days(now: i64, last_activity_at: i64) -> i64 {
    (now - last_activity_at) / (24 * 3600)
}

/// Whether `now` (unix seconds) is Monday to Friday, 09:00 to 17:00, in `tz`.
pub fn is_working_hours(tz: chrono_tz::Tz, now: i64) -> bool {
    use chrono::{Datelike, TimeZone, Timelike, Weekday};
    let Some(local) = tz.timestamp_opt(now, 0).single() else {
        return false;
    };
    !matches!(local.weekday(), Weekday::Sat | Weekday::Sun) && (9..17).contains(&local.hour())
}

/// The rules with every setting at its default.
impl Default for Rules {
    fn default() -> Self {
        const DAY: i64 = 24 * 3600;
        Rules {
            join_emoji: Rules::JOIN_EMOJI.into(),
            nudge_after: i64::from(Rules::NUDGE_AFTER_DAYS) * DAY,
            quiet_after: i64::from(Rules::QUIET_AFTER_DAYS) * DAY,
            tz: Rules::TZ,
            budget: Default::default(),
            privacy_url: None,
            contact_url: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rules;

    #[test]
    fn working_hours_are_weekdays_nine_to_five_in_the_time_zone() {
        let rules = Rules::default();
        let at = |s: &str| {
            s.parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
                .timestamp()
        };
        // Tuesday 1 December 2026 (GMT).
        assert!(!rules.is_working_hours(at("2026-12-01T08:59:59Z")));
        assert!(rules.is_working_hours(at("2026-12-01T09:00:00Z")));
        assert!(rules.is_working_hours(at("2026-12-01T16:59:59Z")));
        assert!(!rules.is_working_hours(at("2026-12-01T17:00:00Z")));
        // Saturday noon.
        assert!(!rules.is_working_hours(at("2026-12-05T12:00:00Z")));
        // In British Summer Time, 08:30 UTC is 09:30 in London.
        assert!(rules.is_working_hours(at("2026-06-02T08:30:00Z")));
        assert!(!rules.is_working_hours(at("2026-06-02T16:30:00Z")));
    }

    #[test]
    fn skin_tones_count_as_the_join_emoji() {
        let rules = Rules::default();
        assert!(rules.is_join_emoji("raised_hand"));
        assert!(rules.is_join_emoji("raised_hand::skin-tone-3"));
        assert!(!rules.is_join_emoji("raised_hands"));
        assert!(!rules.is_join_emoji("hand"));
        assert!(!rules.is_join_emoji("thumbsup"));
    }
}
