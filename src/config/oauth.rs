//! The OAuth settings: on when both `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` are set, and
//! then `MAKERS_SECRET_KEY` is required.

use super::{ConfigError, Lookup, Secret, invalid};
use crate::domain::TeamId;

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
    /// `MAKERS_PREVIOUS_SECRET_KEY`, when the key is being changed: the stored tokens are
    /// sealed again under `MAKERS_SECRET_KEY` at start. Checked like it.
    pub previous_key: Option<Secret>,
    /// `MAKERS_ALLOWED_WORKSPACES` (`None`: any workspace that reaches `/slack/install`, as
    /// Slack's public distribution lets any).
    pub allowed: Option<AllowedWorkspaces>,
}

/// `MAKERS_ALLOWED_WORKSPACES`: the only workspaces that may install the bot through OAuth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedWorkspaces(Vec<TeamId>);

impl AllowedWorkspaces {
    /// Whether workspace `team` (its id as Slack sends it) is listed.
    pub fn allows(&self, team: &str) -> bool {
        self.0.iter().any(|t| t.as_str() == team)
    }

    pub fn ids(&self) -> &[TeamId] {
        &self.0
    }
}

impl OAuthConfig {
    /// The 32 bytes of `MAKERS_SECRET_KEY` (checked at start, so this cannot fail).
    pub fn key_bytes(&self) -> [u8; 32] {
        bytes(&self.secret_key)
    }

    /// The 32 bytes of `MAKERS_PREVIOUS_SECRET_KEY`, if set.
    pub fn previous_key_bytes(&self) -> Option<[u8; 32]> {
        self.previous_key.as_ref().map(bytes)
    }
}

fn bytes(key: &Secret) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(key.expose(), &mut bytes)
        .expect("keys are checked to be 64 hex characters");
    bytes
}

/// `key` (the value of `name`) unless it is not 64 hex characters.
fn checked_key(name: &'static str, key: Secret) -> Result<Secret, ConfigError> {
    let text = key.expose();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The value is a secret: say what is wrong with it, never what it is.
        return Err(invalid(
            name,
            format!("{} characters", text.chars().count()),
            "expected 64 hex characters (32 random bytes), e.g. from `openssl rand -hex 32`",
        ));
    }
    Ok(key)
}

pub(super) fn read<F: Fn(&str) -> Option<String>>(
    env: &Lookup<F>,
) -> Result<Option<OAuthConfig>, ConfigError> {
    let id = env.text("SLACK_CLIENT_ID", "");
    let secret = env.secret("SLACK_CLIENT_SECRET", false)?;
    // Checked whenever set: unused without OAuth, but a bad key is said now (as the contract
    // has it), not found out when OAuth is turned on.
    let [key, previous] = ["MAKERS_SECRET_KEY", "MAKERS_PREVIOUS_SECRET_KEY"]
        .map(|name| env.optional(name).map(|k| checked_key(name, k)).transpose());
    let (key, previous) = (key?, previous?);
    // Likewise checked with OAuth off.
    let allowed = allowed_workspaces(&env.text("MAKERS_ALLOWED_WORKSPACES", ""))?;
    match (id.is_empty(), secret.expose().is_empty()) {
        (true, true) => return Ok(None),
        (true, false) => return Err(ConfigError::Missing("SLACK_CLIENT_ID")),
        (false, true) => return Err(ConfigError::Missing("SLACK_CLIENT_SECRET")),
        (false, false) => {}
    }
    let key = key.ok_or(ConfigError::Missing("MAKERS_SECRET_KEY"))?;
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
        previous_key: previous,
        allowed,
    }))
}

/// `T0123ABCD, T0456EFGH` (commas or spaces) as workspace ids; unset or empty, `None`.
fn allowed_workspaces(value: &str) -> Result<Option<AllowedWorkspaces>, ConfigError> {
    if value.is_empty() {
        return Ok(None);
    }
    let mut teams = Vec::new();
    // Slack writes workspace ids in capitals and digits; one typed in lower case would never
    // match, and refuse its workspace for ever.
    let is_id = |id: &str| {
        id.starts_with('T')
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    for id in value.split([',', ' ']).filter(|w| !w.is_empty()) {
        match TeamId::parse(id).filter(|_| is_id(id)) {
            Some(team) => teams.push(team),
            None => {
                let why = "not a workspace id: expected ids such as T0123ABCD (capitals and digits), separated by commas";
                return Err(invalid("MAKERS_ALLOWED_WORKSPACES", id.to_string(), why));
            }
        }
    }
    if teams.is_empty() {
        // "," alone would let no workspace in, unsaid.
        let why = "no workspace id in it: expected ids such as T0123ABCD, separated by commas";
        return Err(invalid("MAKERS_ALLOWED_WORKSPACES", value.to_string(), why));
    }
    Ok(Some(AllowedWorkspaces(teams)))
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError, Needs};

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(Needs::Serve, crate::config::tests::lookup(pairs))
    }

    #[test]
    fn the_allowed_workspaces_are_ids_and_a_bad_one_is_refused_by_name() {
        let oauth = |allowed: &str| {
            config(&[
                ("SLACK_SIGNING_SECRET", "s"),
                ("SLACK_CLIENT_ID", "1.2"),
                ("SLACK_CLIENT_SECRET", "c"),
                ("MAKERS_SECRET_KEY", KEY),
                ("MAKERS_ALLOWED_WORKSPACES", allowed),
            ])
        };
        let allowed = |c: Config| -> Option<Vec<String>> {
            c.oauth
                .unwrap()
                .allowed
                .map(|ts| ts.ids().iter().map(|t| t.to_string()).collect())
        };
        assert_eq!(
            allowed(oauth("T0A, T0B,T0C").unwrap()),
            Some(vec!["T0A".into(), "T0B".into(), "T0C".into()])
        );
        assert_eq!(allowed(oauth(" ").unwrap()), None);
        // Checked with OAuth off too.
        let off = config(&[
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_BOT_TOKEN", "xoxb-1"),
            ("MAKERS_ALLOWED_WORKSPACES", "t0lower"),
        ]);
        assert!(
            matches!(
                off,
                Err(ConfigError::Invalid {
                    name: "MAKERS_ALLOWED_WORKSPACES",
                    ..
                })
            ),
            "{off:?}"
        );
        for bad in ["T0A, Guildford", "C0CHANNEL", "T0A;T0B", "T0abc", ", ,"] {
            let e = oauth(bad).unwrap_err();
            assert!(
                matches!(
                    e,
                    ConfigError::Invalid {
                        name: "MAKERS_ALLOWED_WORKSPACES",
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn a_bad_key_is_refused_by_name_also_with_oauth_off() {
        for name in ["MAKERS_SECRET_KEY", "MAKERS_PREVIOUS_SECRET_KEY"] {
            let e = config(&[
                ("SLACK_SIGNING_SECRET", "s"),
                ("SLACK_BOT_TOKEN", "xoxb-1"),
                (name, "not-hex"),
            ])
            .unwrap_err();
            assert!(
                matches!(e, ConfigError::Invalid { name: n, .. } if n == name),
                "{e:?}"
            );
            assert!(
                !e.to_string().contains("not-hex"),
                "the value is a secret: {e}"
            );
        }
        // A good one, unused without OAuth, is no error.
        let ok = config(&[
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_BOT_TOKEN", "xoxb-1"),
            ("MAKERS_SECRET_KEY", KEY),
        ]);
        assert!(ok.is_ok(), "{ok:?}");
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
    fn a_previous_key_is_optional_and_checked_without_being_shown() {
        let mut pairs = vec![
            ("SLACK_SIGNING_SECRET", "s"),
            ("SLACK_CLIENT_ID", "123.456"),
            ("SLACK_CLIENT_SECRET", "cs"),
            ("MAKERS_SECRET_KEY", KEY),
        ];
        assert_eq!(
            config(&pairs).unwrap().oauth.unwrap().previous_key_bytes(),
            None
        );
        pairs.push(("MAKERS_PREVIOUS_SECRET_KEY", &KEY[2..]));
        let line = config(&pairs).unwrap_err().to_string();
        assert!(
            line.contains("MAKERS_PREVIOUS_SECRET_KEY") && !line.contains(&KEY[2..]),
            "{line}"
        );
        pairs.pop();
        let previous = "ff".repeat(32);
        pairs.push(("MAKERS_PREVIOUS_SECRET_KEY", &previous));
        let oauth = config(&pairs).unwrap().oauth.unwrap();
        assert_eq!(oauth.previous_key_bytes(), Some([0xff; 32]));
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
