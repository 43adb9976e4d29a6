//! A project button's value: its project's number (`4`), or, on a *Join* in a private answer
//! (the similar projects a pitch was answered with), its number and workspace, sealed
//! (`4@T123.<tag>`). Pressed in a channel shared with another organisation, Slack names the
//! presser's own workspace, so the value says whose project it is. A value is the presser's
//! to write, though: unsealed, any workspace the bot serves could be named, and the press
//! would act there. The tag, an HMAC over the number and the workspace, says the bot wrote
//! it; the key is derived from the Slack secret the bot already holds (the signing secret,
//! or Socket Mode's app token), so there is nothing more to set, and whoever has that secret
//! could forge any request anyway.

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use slack_morphism::prelude::*;

use crate::domain::{ProjectNumber, TeamId, Title};

type HmacSha256 = hmac::Hmac<Sha256>;

/// What the key is derived for, so that this use of the secret is no other's.
const LABEL: &[u8] = b"makers-bot v1 join button workspace";
/// Sixteen bytes of the HMAC: as many as a forger would have to guess.
const TAG_BYTES: usize = 16;

/// The key that seals the workspace a *Join* value names. Never prints.
#[derive(Clone)]
pub struct JoinSeal {
    key: [u8; 32],
}

impl std::fmt::Debug for JoinSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinSeal(***)")
    }
}

impl JoinSeal {
    /// The key derived from `secret` (see the module's comment for which).
    pub fn from_secret(secret: &[u8]) -> JoinSeal {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
            .expect("HMAC takes a key of any length");
        mac.update(LABEL);
        JoinSeal {
            key: mac.finalize().into_bytes().into(),
        }
    }

    fn mac(&self, number: ProjectNumber, team: &TeamId) -> HmacSha256 {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(format!("{}@{team}", number.get()).as_bytes());
        mac
    }

    /// The tag of `number` in `team`, in hex.
    fn tag(&self, number: ProjectNumber, team: &TeamId) -> String {
        hex::encode(&self.mac(number, team).finalize().into_bytes()[..TAG_BYTES])
    }

    /// Whether `tag` is the one this key gives `number` in `team` (compared in constant time).
    fn opens(&self, number: ProjectNumber, team: &TeamId, tag: &str) -> bool {
        match hex::decode(tag) {
            Ok(tag) if tag.len() == TAG_BYTES => {
                self.mac(number, team).verify_truncated_left(&tag).is_ok()
            }
            _ => false,
        }
    }

    /// What a project button's `value` names (`None`: no project number in it).
    pub fn read(&self, value: &str) -> Option<ButtonValue> {
        let Some((number, named)) = value.split_once('@') else {
            return Some(ButtonValue {
                number: ProjectNumber::parse(value)?,
                workspace: Named::None,
            });
        };
        let number = ProjectNumber::parse(number)?;
        let (team, tag) = match named.split_once('.') {
            Some((team, tag)) => (TeamId::parse(team)?, Some(tag)),
            None => (TeamId::parse(named)?, None),
        };
        let workspace = match tag {
            Some(tag) if self.opens(number, &team, tag) => Named::Sealed(team),
            // Forged, or written before values were sealed, or under another secret.
            _ => Named::Unsealed(team),
        };
        Some(ButtonValue { number, workspace })
    }
}

/// A project button's value, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonValue {
    pub number: ProjectNumber,
    pub workspace: Named,
}

/// The workspace a button's value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// None: the workspace the press is in.
    None,
    /// One the bot wrote, which a *Join* on a private answer acts in.
    Sealed(TeamId),
    /// One whose seal is missing or does not open: acted in nowhere but its own workspace.
    Unsealed(TeamId),
}

impl Named {
    /// The workspace named, sealed or not.
    pub fn team(&self) -> Option<&TeamId> {
        match self {
            Named::None => None,
            Named::Sealed(team) | Named::Unsealed(team) => Some(team),
        }
    }
}

/// A *Join* button on a private answer, naming the workspace whose project `number` is,
/// sealed.
pub(super) fn join_button_in(
    seal: &JoinSeal,
    team: &TeamId,
    number: ProjectNumber,
    title: &Title,
) -> SlackBlockButtonElement {
    let tag = seal.tag(number, team);
    super::project_button("Join", super::JOIN_ACTION, number, Some(title))
        .with_value(format!("{}@{team}.{tag}", number.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal() -> JoinSeal {
        JoinSeal::from_secret(b"8f742231b10e8888abcd99yyyzzz85a5")
    }

    fn value(button: &SlackBlockButtonElement) -> String {
        button.value.clone().unwrap()
    }

    #[test]
    fn a_value_names_its_project_and_maybe_its_workspace_sealed_or_not() {
        let (n, team) = (
            ProjectNumber::new(4).unwrap(),
            TeamId::parse("T0ONE").unwrap(),
        );
        let title = Title::parse("Bin day finder").unwrap();
        let sealed = value(&join_button_in(&seal(), &team, n, &title));
        assert!(sealed.starts_with("4@T0ONE."), "{sealed}");
        let read = |v: &str| seal().read(v);
        assert_eq!(
            read("4"),
            Some(ButtonValue {
                number: n,
                workspace: Named::None
            })
        );
        assert_eq!(
            read(&sealed).unwrap().workspace,
            Named::Sealed(team.clone())
        );
        // The workspace, the number or the tag changed, another key's tag, none, a short one:
        // each names its workspace unsealed.
        let tag = sealed.split_once('.').unwrap().1;
        let other_key = value(&join_button_in(
            &JoinSeal::from_secret(b"another secret"),
            &team,
            n,
            &title,
        ));
        for forged in [
            format!("4@T0TWO.{tag}"),
            format!("4@T0ONE.{}", tag.replace(&tag[..1], "0").replace('0', "1")),
            other_key,
            "4@T0ONE".to_string(),
            format!("4@T0ONE.{}", &tag[..16]),
            "4@T0ONE.zz".to_string(),
        ] {
            let read = read(&forged).unwrap_or_else(|| panic!("{forged}"));
            assert_ne!(read.workspace, Named::Sealed(team.clone()), "{forged}");
            assert!(matches!(read.workspace, Named::Unsealed(_)), "{forged}");
        }
        let five = read(&format!("5@T0ONE.{tag}")).unwrap();
        assert_eq!(five.workspace, Named::Unsealed(team));
        for bad in ["", "x", "4@", "@T0ONE", "4@.ab", "x@T0ONE.ab"] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_key_never_prints() {
        assert_eq!(format!("{:?}", seal()), "JoinSeal(***)");
    }
}
