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
}

impl Rules {
    /// The instant before which a project's last activity makes it quiet.
    pub fn quiet_since(&self, now: i64) -> i64 {
        now - self.quiet_after
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

#[cfg(test)]
mod tests {
    use super::Rules;

    #[test]
    fn skin_tones_count_as_the_join_emoji() {
        let rules = Rules {
            join_emoji: "raised_hand".into(),
            nudge_after: 0,
            quiet_after: 0,
            tz: chrono_tz::UTC,
            budget: Default::default(),
        };
        assert!(rules.is_join_emoji("raised_hand"));
        assert!(rules.is_join_emoji("raised_hand::skin-tone-3"));
        assert!(!rules.is_join_emoji("raised_hands"));
        assert!(!rules.is_join_emoji("hand"));
        assert!(!rules.is_join_emoji("thumbsup"));
    }
}
