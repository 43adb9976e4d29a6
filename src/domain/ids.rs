//! Slack identifiers as distinct types, so a channel id can never be passed where a user id
//! is expected. Slack owns their format; we only require them to be non-empty and free of
//! characters that could break out of `<@…>` / `<#…>` mrkdwn tokens.

use serde::{Deserialize, Serialize};

macro_rules! slack_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Accepts Slack's id alphabet (letters, digits, `.`, `_`, `-`); anything else is
            /// refused so an id can be embedded in mrkdwn as is.
            pub fn parse(s: &str) -> Option<Self> {
                let ok = !s.is_empty()
                    && s.len() <= 64
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                ok.then(|| $name(s.to_string()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slack_id!(
    /// A Slack workspace (team) id, `T…`. Every row in the store is scoped by one.
    TeamId
);
slack_id!(
    /// A Slack user id, `U…` or `W…`.
    UserId
);
slack_id!(
    /// A Slack conversation id, `C…`, `G…` or `D…`.
    ChannelId
);
slack_id!(
    /// A Slack message timestamp, kept as the string Slack sent (`"1700000000.000100"`).
    MessageTs
);

impl ChannelId {
    /// A direct-message conversation (`D…`): only its two people see what is posted there.
    pub fn is_dm(&self) -> bool {
        self.0.starts_with('D')
    }
}

impl UserId {
    /// Recorded in place of someone's id, in the team's work they did, once they asked to be
    /// forgotten (`/makers forget me`). Not a Slack id: no Slack id has lower-case letters.
    pub const FORGOTTEN: &'static str = "Uforgotten";

    /// The id that stands for someone forgotten.
    pub fn forgotten() -> UserId {
        UserId(Self::FORGOTTEN.to_string())
    }

    /// Whether this stands for someone forgotten.
    pub fn is_forgotten(&self) -> bool {
        self.0 == Self::FORGOTTEN
    }

    /// Where a post to this person lands: Slack takes a user id as the channel of the bot's
    /// DM with them.
    pub fn dm_channel(&self) -> ChannelId {
        ChannelId(self.0.clone())
    }
}

impl MessageTs {
    /// The ts as microseconds since the epoch (`"1465244570.336841"` -> 1465244570336841), for
    /// ordering events. Slack's own samples sometimes omit the dot; digits alone count as
    /// microseconds when there are more than 10 of them, else as seconds.
    pub fn as_micros(&self) -> Option<i64> {
        let (secs, frac) = match self.0.split_once('.') {
            Some((s, f)) => (s, f),
            None if self.0.len() > 10 => return self.0.parse().ok(),
            None => (self.0.as_str(), ""),
        };
        let secs: i64 = secs.parse().ok()?;
        let frac = format!("{frac:0<6}");
        let micros: i64 = frac.get(..6)?.parse().ok()?;
        secs.checked_mul(1_000_000)?.checked_add(micros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_refuse_mrkdwn_breaking_characters() {
        assert!(UserId::parse("U061F7AUR").is_some());
        assert!(MessageTs::parse("1515449522.000016").is_some());
        assert!(UserId::parse("").is_none());
        assert!(UserId::parse("U1>").is_none());
        assert!(ChannelId::parse("C1|x").is_none());
        assert!(TeamId::parse("T 1").is_none());
    }

    #[test]
    fn ts_orders_as_microseconds() {
        let us = |s: &str| MessageTs::parse(s).unwrap().as_micros();
        assert_eq!(us("1465244570.336841"), Some(1_465_244_570_336_841));
        assert_eq!(us("1465244570.3"), Some(1_465_244_570_300_000));
        assert_eq!(us("1465244570"), Some(1_465_244_570_000_000));
        assert_eq!(us("1515449522000016"), Some(1_515_449_522_000_016));
        assert_eq!(us("abc"), None);
    }
}

/// What Slack's `users.info` says someone is: only a person's join by reaction counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    Person,
    /// A bot, or an app's user.
    Bot,
    /// A person whose account is deactivated (`deleted`): in no team any more.
    Deactivated,
}
