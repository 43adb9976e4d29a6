//! Socket Mode's settings: the app-level token (`SLACK_APP_TOKEN`) and the timings of its
//! connection.

use super::{ConfigError, Secret, invalid};

/// How Socket Mode keeps its connection (see `slack::socket`).
#[derive(Debug, Clone, Copy)]
pub struct SocketTiming {
    /// A ping this often…
    pub ping_every: std::time::Duration,
    /// …and a socket silent this long (no pong, no frame) is given up.
    pub silent_after: std::time::Duration,
    /// The socket must open and say hello within this.
    pub hello_within: std::time::Duration,
    /// Reconnect waits double from the first to the most.
    pub retry_first: std::time::Duration,
    pub retry_max: std::time::Duration,
    /// A connection that lasted this long resets the reconnect wait.
    pub stable_after: std::time::Duration,
    /// The most a replacement Slack asked for (`warning`, `refresh_requested`) waits, however
    /// far the reconnect wait has grown: the old socket closes about 10 s after a `warning`.
    pub replace_within: std::time::Duration,
    /// The wait after a refused app token or `link_disabled`: retried, never hammered.
    pub hopeless_retry: std::time::Duration,
    /// How many sockets are kept open at once (each replaced on its own). Slack sends each
    /// envelope to any one of them: with two, a socket Slack drops without a `disconnect`
    /// (or one silent until given up) leaves the other to take the traffic meanwhile.
    pub sockets: usize,
    /// A spare opens its socket about this long after another is live (jittered).
    pub spare_after: std::time::Duration,
}

impl Default for SocketTiming {
    fn default() -> Self {
        let secs = std::time::Duration::from_secs;
        SocketTiming {
            ping_every: secs(10),
            silent_after: secs(30),
            hello_within: secs(10),
            retry_first: secs(1),
            retry_max: secs(60),
            stable_after: secs(60),
            replace_within: secs(2),
            hopeless_retry: secs(300),
            // As Slack's SDKs keep by default; Slack allows ten per app.
            sockets: 2,
            spare_after: secs(10),
        }
    }
}

/// An app-level token is `xapp-…`; a bot token pasted here by mistake is named, not echoed.
pub(super) fn app_token(token: Option<Secret>) -> Result<Option<Secret>, ConfigError> {
    match token {
        Some(t) if !t.expose().starts_with("xapp-") => Err(invalid(
            "SLACK_APP_TOKEN",
            t.expose().chars().take(5).collect::<String>() + "…",
            "an app-level token starts with xapp-",
        )),
        token => Ok(token),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Config, Needs};
    use super::*;

    use crate::config::tests::{BOTH, lookup};

    #[test]
    fn socket_mode_makes_the_signing_secret_optional() {
        let socket_only = [
            ("SLACK_APP_TOKEN", "xapp-1-A1-2-abc"),
            ("SLACK_BOT_TOKEN", "xoxb-1"),
        ];
        let c = Config::from_lookup(Needs::Serve, lookup(&socket_only)).unwrap();
        assert_eq!(c.signing_secret, None);
        assert_eq!(
            c.app_token.as_ref().map(Secret::expose),
            Some("xapp-1-A1-2-abc")
        );
        let c = Config::from_lookup(Needs::Serve, lookup(BOTH)).unwrap();
        assert_eq!(c.app_token, None);
        assert!(c.signing_secret.is_some());
        let mut both = BOTH.to_vec();
        both.push(("SLACK_APP_TOKEN", "xapp-1"));
        let c = Config::from_lookup(Needs::Serve, lookup(&both)).unwrap();
        assert!(c.signing_secret.is_some() && c.app_token.is_some());
    }

    #[test]
    fn a_bot_token_of_the_wrong_kind_is_named_without_printing_it() {
        for wrong in [
            "xapp-1-A1-2-secretpart",
            "xoxp-1-secretpart",
            "hello-secretpart",
        ] {
            let given = [
                ("SLACK_SIGNING_SECRET", "s3cret"),
                ("SLACK_BOT_TOKEN", wrong),
            ];
            let err = Config::from_lookup(Needs::Serve, lookup(&given))
                .unwrap_err()
                .to_string();
            assert!(err.contains("SLACK_BOT_TOKEN"), "{err}");
            assert!(
                err.contains("xoxb-") && !err.contains("secretpart"),
                "{err}"
            );
        }
        // Commands that use no token are not stopped by a typo in it.
        let unused = [("SLACK_BOT_TOKEN", "xapp-1-A1-2-secretpart")];
        assert!(Config::from_lookup(Needs::Nothing, lookup(&unused)).is_ok());
        let rotating = [
            ("SLACK_SIGNING_SECRET", "s3cret"),
            ("SLACK_BOT_TOKEN", "xoxe.xoxb-1-abc"),
        ];
        assert!(Config::from_lookup(Needs::Serve, lookup(&rotating)).is_ok());
    }

    #[test]
    fn an_app_token_of_the_wrong_kind_is_named_without_printing_it() {
        let mut pairs = BOTH.to_vec();
        pairs.push(("SLACK_APP_TOKEN", "xoxb-123-secret"));
        let line = Config::from_lookup(Needs::Serve, lookup(&pairs))
            .unwrap_err()
            .to_string();
        assert!(
            line.contains("SLACK_APP_TOKEN") && line.contains("xapp-"),
            "{line}"
        );
        assert!(!line.contains("secret"), "{line}");
    }
}
