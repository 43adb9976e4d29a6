//! The OAuth settings: on when both `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` are set, and
//! then `MAKERS_SECRET_KEY` is required.

use super::{ConfigError, Lookup, Secret, invalid};

const DEFAULT_AUTHORIZE_URL: &str = "https://slack.com/oauth/v2/authorize";

/// What the install and callback routes and the token store need.
#[derive(Debug, Clone)]
pub struct OAuthConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// `SLACK_OAUTH_AUTHORIZE_URL`, where `/slack/install` sends the installer.
    pub authorize_url: String,
    /// `MAKERS_SECRET_KEY`, checked to be 64 hex characters.
    pub secret_key: Secret,
}

impl OAuthConfig {
    /// The 32 bytes of `MAKERS_SECRET_KEY` (checked at start, so this cannot fail).
    pub fn key_bytes(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        hex::decode_to_slice(self.secret_key.expose(), &mut key)
            .expect("MAKERS_SECRET_KEY was checked to be 64 hex characters");
        key
    }
}

pub(super) fn read<F: Fn(&str) -> Option<String>>(
    env: &Lookup<F>,
) -> Result<Option<OAuthConfig>, ConfigError> {
    let id = env.text("SLACK_CLIENT_ID", "");
    let secret = env.secret("SLACK_CLIENT_SECRET", false)?;
    match (id.is_empty(), secret.expose().is_empty()) {
        (true, true) => return Ok(None),
        (true, false) => return Err(ConfigError::Missing("SLACK_CLIENT_ID")),
        (false, true) => return Err(ConfigError::Missing("SLACK_CLIENT_SECRET")),
        (false, false) => {}
    }
    let key = env.secret("MAKERS_SECRET_KEY", true)?;
    let text = key.expose();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The value is a secret: say what is wrong with it, never what it is.
        return Err(invalid(
            "MAKERS_SECRET_KEY",
            format!("{} characters", text.chars().count()),
            "expected 64 hex characters (32 random bytes), e.g. from `openssl rand -hex 32`",
        ));
    }
    let authorize_url = env.text("SLACK_OAUTH_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL);
    if url::Url::parse(&authorize_url).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
        let why = "expected a URL such as https://slack.com/oauth/v2/authorize";
        return Err(invalid("SLACK_OAUTH_AUTHORIZE_URL", authorize_url, why));
    }
    Ok(Some(OAuthConfig {
        client_id: id,
        client_secret: secret,
        authorize_url,
        secret_key: key,
    }))
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, Needs};

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(Needs::Serve, crate::config::tests::lookup(pairs))
    }

    #[test]
    fn both_client_settings_turn_oauth_on_and_the_bot_token_optional() {
        let c = config(&[
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_CLIENT_ID", "123.456"),
            ("SLACK_CLIENT_SECRET", "cs"),
            ("MAKERS_SECRET_KEY", KEY),
        ])
        .unwrap();
        let oauth = c.oauth.unwrap();
        assert_eq!(oauth.authorize_url, "https://slack.com/oauth/v2/authorize");
        assert_eq!(oauth.key_bytes()[1], 0x11);
        assert_eq!(c.bot_token.expose(), "");
    }

    #[test]
    fn one_client_setting_without_the_other_is_named() {
        let base = [("SLACK_SIGNING_SECRET", "s"), ("SLACK_BOT_TOKEN", "xoxb-1")];
        let mut only_id = base.to_vec();
        only_id.push(("SLACK_CLIENT_ID", "123.456"));
        let err = config(&only_id).unwrap_err();
        assert_eq!(err, ConfigError::Missing("SLACK_CLIENT_SECRET"));
        let mut only_secret = base.to_vec();
        only_secret.push(("SLACK_CLIENT_SECRET", "cs"));
        let err = config(&only_secret).unwrap_err();
        assert_eq!(err, ConfigError::Missing("SLACK_CLIENT_ID"));
    }

    #[test]
    fn the_secret_key_is_required_and_checked_without_being_shown() {
        let base = [
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_CLIENT_ID", "123.456"),
            ("SLACK_CLIENT_SECRET", "cs"),
        ];
        let err = config(&base).unwrap_err();
        assert_eq!(err, ConfigError::Missing("MAKERS_SECRET_KEY"));
        for bad in [
            &KEY[1..],
            "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        ] {
            let mut pairs = base.to_vec();
            pairs.push(("MAKERS_SECRET_KEY", bad));
            let line = config(&pairs).unwrap_err().to_string();
            assert!(line.contains("MAKERS_SECRET_KEY"), "{line}");
            assert!(!line.contains(bad), "the key is shown: {line}");
        }
    }

    #[test]
    fn oauth_secrets_never_print() {
        let c = config(&[
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_CLIENT_ID", "123.456"),
            ("SLACK_CLIENT_SECRET", "client-secret-value"),
            ("MAKERS_SECRET_KEY", KEY),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("client-secret-value") && !shown.contains(KEY));
    }
}
