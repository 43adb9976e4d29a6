//! A project button's value: its project's number (`4`), or, on a *Join* in a private answer
//! (the similar projects a pitch was answered with), its number and workspace, sealed
//! (`4@T123.<tag>`). Pressed in a channel shared with another organisation, Slack names the
//! presser's own workspace, so the value says whose project it is. A value is the presser's
//! to write, though: unsealed, any workspace the bot serves could be named, and the press
//! would act there. The tag, an HMAC over the number, the workspace and whom the answer was
//! for, says the bot wrote it for the presser: one seen elsewhere (a guest's own answer)
//! names nothing for anyone else. The key is derived from a secret the bot already holds
//! (see `Config::join_secret`), so there is nothing more to set.

use hmac::{KeyInit, Mac};
use sha2::Sha256;
use slack_morphism::prelude::*;

use crate::domain::{ProjectNumber, TeamId, Title, UserId};

type HmacSha256 = hmac::Hmac<Sha256>;

/// What the key is derived for, so that this use of the secret is no other's.
const LABEL: &[u8] = b"makers-bot v1 join button workspace";
/// Sixteen bytes of the HMAC: as many as a forger would have to guess.
const TAG_BYTES: usize = 16;

/// The key that seals the workspace a *Join* value names, and while the secret it comes from
/// is being changed, the key from the one before, which still opens what it sealed. Never
/// prints.
#[derive(Clone)]
pub struct JoinSeal {
    key: [u8; 32],
    previous: Option<[u8; 32]>,
}

impl std::fmt::Debug for JoinSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinSeal(***)")
    }
}

impl JoinSeal {
    /// The key derived from `secret` (see the module's comment for which).
    pub fn from_secret(secret: &[u8]) -> JoinSeal {
        JoinSeal {
            key: crate::domain::derive_key(secret, LABEL),
            previous: None,
        }
    }

    /// This key, also opening what the key from `secret` (the one being changed from)
    /// sealed: answers given before the change keep their *Join*. Only this key seals.
    pub fn opening_previous(self, secret: &[u8]) -> JoinSeal {
        JoinSeal {
            previous: Some(crate::domain::derive_key(secret, LABEL)),
            ..self
        }
    }

    /// Over `4@T123/U456` (ids are letters and digits, so the three cannot run together).
    fn mac(key: &[u8; 32], number: ProjectNumber, team: &TeamId, shown_to: &UserId) -> HmacSha256 {
        let mut mac =
            <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(format!("{}@{team}/{shown_to}", number.get()).as_bytes());
        mac
    }

    /// The tag of `number` in `team` shown to `shown_to`, in hex.
    fn tag(&self, number: ProjectNumber, team: &TeamId, shown_to: &UserId) -> String {
        let mac = Self::mac(&self.key, number, team, shown_to)
            .finalize()
            .into_bytes();
        hex::encode(&mac[..TAG_BYTES])
    }

    /// Whether `tag` is the one this key, or the previous one, gives `number` in `team`
    /// shown to `presser` (each compared in constant time).
    fn opens(&self, number: ProjectNumber, team: &TeamId, presser: &UserId, tag: &str) -> bool {
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        tag.len() == TAG_BYTES
            && std::iter::once(&self.key)
                .chain(self.previous.as_ref())
                .any(|key| {
                    Self::mac(key, number, team, presser)
                        .verify_truncated_left(&tag)
                        .is_ok()
                })
    }

    /// What a project button's `value`, pressed by `presser`, names (`None`: no project
    /// number in it).
    pub fn read(&self, value: &str, presser: &UserId) -> Option<ButtonValue> {
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
            Some(tag) if self.opens(number, &team, presser, tag) => Named::Sealed(team),
            // Forged, shown to someone else, written before values were sealed, or under
            // another secret.
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
    /// One the bot wrote for the presser, which a *Join* on a private answer acts in.
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

    /// The workspace named, if the bot sealed it for the presser.
    pub fn sealed(&self) -> Option<&TeamId> {
        match self {
            Named::Sealed(team) => Some(team),
            Named::None | Named::Unsealed(_) => None,
        }
    }
}

/// A *Join* button on a private answer to `shown_to`, naming the workspace whose project
/// `number` is, sealed. (Unsealed for an answer queued before it said whom it was for: then
/// it acts in the presser's own workspace alone.)
pub(super) fn join_button_in(
    seal: &JoinSeal,
    (team, shown_to): (&TeamId, Option<&UserId>),
    number: ProjectNumber,
    title: &Title,
) -> SlackBlockButtonElement {
    let value = match shown_to {
        Some(user) => format!("{}@{team}.{}", number.get(), seal.tag(number, team, user)),
        None => format!("{}@{team}", number.get()),
    };
    super::project_button("Join", super::JOIN_ACTION, number, Some(title)).with_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal() -> JoinSeal {
        JoinSeal::from_secret(b"8f742231b10e8888abcd99yyyzzz85a5")
    }

    fn value(seal: &JoinSeal, team: &TeamId, shown_to: Option<&UserId>) -> String {
        let (n, title) = (
            ProjectNumber::new(4).unwrap(),
            Title::parse("Bin day finder").unwrap(),
        );
        join_button_in(seal, (team, shown_to), n, &title)
            .value
            .unwrap()
    }

    #[test]
    fn a_value_names_its_project_and_maybe_its_workspace_sealed_for_whom_it_was_shown() {
        let n = ProjectNumber::new(4).unwrap();
        let team = TeamId::parse("T0ONE").unwrap();
        let (pitcher, other) = (
            UserId::parse("U0PITCH").unwrap(),
            UserId::parse("U0OTHER").unwrap(),
        );
        let sealed = value(&seal(), &team, Some(&pitcher));
        assert!(sealed.starts_with("4@T0ONE."), "{sealed}");
        let read = |v: &str, presser: &UserId| seal().read(v, presser);
        assert_eq!(
            read("4", &pitcher),
            Some(ButtonValue {
                number: n,
                workspace: Named::None
            })
        );
        assert_eq!(
            read(&sealed, &pitcher).unwrap().workspace,
            Named::Sealed(team.clone())
        );
        // Pressed by someone else; the workspace, the number or the tag changed (its last
        // digit); another key's tag; none; a short one; not hex: each names its workspace
        // unsealed.
        assert_eq!(
            read(&sealed, &other).unwrap().workspace,
            Named::Unsealed(team.clone())
        );
        let tag = sealed.split_once('.').unwrap().1;
        let flipped = {
            let last = tag.chars().last().unwrap();
            let other = if last == '0' { '1' } else { '0' };
            format!("{}{other}", &tag[..tag.len() - 1])
        };
        for forged in [
            format!("4@T0TWO.{tag}"),
            format!("5@T0ONE.{tag}"),
            format!("4@T0ONE.{flipped}"),
            value(
                &JoinSeal::from_secret(b"another secret"),
                &team,
                Some(&pitcher),
            ),
            value(&seal(), &team, None),
            format!("4@T0ONE.{}", &tag[..16]),
            "4@T0ONE.zz".to_string(),
        ] {
            let read = read(&forged, &pitcher).unwrap_or_else(|| panic!("{forged}"));
            assert!(matches!(read.workspace, Named::Unsealed(_)), "{forged}");
        }
        assert_eq!(value(&seal(), &team, None), "4@T0ONE");
        for bad in ["", "x", "4@", "@T0ONE", "4@.ab", "x@T0ONE.ab"] {
            assert_eq!(read(bad, &pitcher), None, "{bad}");
        }
    }

    /// While the secret is being changed, a tag the previous key gave still opens, and only
    /// the new key seals; without the previous key set, it no longer opens.
    #[test]
    fn a_tag_from_the_previous_key_opens_while_the_secret_is_changed() {
        let team = TeamId::parse("T0ONE").unwrap();
        let (pitcher, other) = (
            UserId::parse("U0PITCH").unwrap(),
            UserId::parse("U0OTHER").unwrap(),
        );
        let before = value(&seal(), &team, Some(&pitcher));
        let changing = JoinSeal::from_secret(b"the new secret")
            .opening_previous(b"8f742231b10e8888abcd99yyyzzz85a5");
        let after = value(&changing, &team, Some(&pitcher));
        assert_eq!(
            after,
            value(
                &JoinSeal::from_secret(b"the new secret"),
                &team,
                Some(&pitcher)
            ),
            "sealed by the new key alone"
        );
        assert_ne!(before, after);
        for v in [&before, &after] {
            let read = changing.read(v, &pitcher).unwrap();
            assert_eq!(read.workspace, Named::Sealed(team.clone()), "{v}");
            // Still for the person it was shown to only.
            let read = changing.read(v, &other).unwrap();
            assert_eq!(read.workspace, Named::Unsealed(team.clone()), "{v}");
        }
        let changed = JoinSeal::from_secret(b"the new secret");
        assert_eq!(
            changed.read(&before, &pitcher).unwrap().workspace,
            Named::Unsealed(team.clone())
        );
        assert_eq!(
            changed.read(&after, &pitcher).unwrap().workspace,
            Named::Sealed(team)
        );
    }

    #[test]
    fn the_key_never_prints() {
        assert_eq!(format!("{:?}", seal()), "JoinSeal(***)");
    }
}
