//! Bot tokens at rest: XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under a key derived
//! from `MAKERS_SECRET_KEY`, a random 24-byte nonce per token, and the workspace's id as
//! associated data, so a sealed token copied onto another workspace's row does not open.
//!
//! The master key is never used directly: one key is derived from it (HMAC-SHA256 over a
//! label) for sealing tokens and another for signing OAuth `state`, so neither use can be
//! turned against the other.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::Mac;
use sha2::Sha256;

use super::TeamId;

type HmacSha256 = hmac::Hmac<Sha256>;

const NONCE_LEN: usize = 24;
const SEAL_LABEL: &[u8] = b"makers-bot v1 bot token sealing";
const STATE_LABEL: &[u8] = b"makers-bot v1 oauth state signing";
/// Sealed once into the database: opening it at start tells a wrong key from a right one.
const CHECK_PLAINTEXT: &[u8] = b"makers-bot key check v1";
const CHECK_AD: &[u8] = b"makers-bot key check";

/// A bot token (`xoxb-…`, or `xoxe.xoxb-…` with rotation). Never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

impl BotToken {
    pub fn parse(s: &str) -> Option<BotToken> {
        let ok = (s.starts_with("xoxb-") || s.starts_with("xoxe.xoxb-"))
            && s.len() <= 512
            && s.bytes().all(|b| b.is_ascii_graphic());
        ok.then(|| BotToken(s.to_string()))
    }
    /// Whether `token` is a rotating one (`xoxe.`, token rotation on): it expires 12 hours
    /// after it is issued, and the bot does not renew tokens.
    pub fn rotates(token: &str) -> bool {
        token.starts_with("xoxe.")
    }

    /// The token itself; only for an Authorization header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BotToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotToken(***)")
    }
}

/// The keys derived from `MAKERS_SECRET_KEY`.
#[derive(Clone)]
pub struct SealingKey {
    seal: [u8; 32],
    state: [u8; 32],
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(***)")
    }
}

/// A sealed value did not open: the wrong key, or bytes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoesNotOpen;

impl SealingKey {
    pub fn new(master: &[u8; 32]) -> SealingKey {
        SealingKey {
            seal: derive(master, SEAL_LABEL),
            state: derive(master, STATE_LABEL),
        }
    }

    /// `nonce || ciphertext` of `token`, bound to `team`.
    pub fn seal(&self, team: &TeamId, token: &BotToken) -> Vec<u8> {
        self.seal_bytes(token.0.as_bytes(), &token_ad(team))
    }

    pub fn open(&self, team: &TeamId, sealed: &[u8]) -> Result<BotToken, DoesNotOpen> {
        let plain = self.open_bytes(sealed, &token_ad(team))?;
        let text = String::from_utf8(plain).map_err(|_| DoesNotOpen)?;
        BotToken::parse(&text).ok_or(DoesNotOpen)
    }

    /// A sealed known value, stored once, for [`SealingKey::opens_check`].
    pub fn check_value(&self) -> Vec<u8> {
        self.seal_bytes(CHECK_PLAINTEXT, CHECK_AD)
    }

    /// Whether this key sealed `check` (made by [`SealingKey::check_value`]).
    pub fn opens_check(&self, check: &[u8]) -> bool {
        self.open_bytes(check, CHECK_AD)
            .is_ok_and(|plain| plain == CHECK_PLAINTEXT)
    }

    /// HMAC-SHA256 of `message` under the state-signing key.
    pub fn sign_state(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(&self.state)
            .expect("HMAC takes a key of any length");
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is [`SealingKey::sign_state`] of `message`, compared in constant time.
    pub fn state_signed(&self, message: &[u8], tag: &[u8]) -> bool {
        let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(&self.state)
            .expect("HMAC takes a key of any length");
        mac.update(message);
        mac.verify_slice(tag).is_ok()
    }

    fn seal_bytes(&self, plain: &[u8], ad: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: ad,
                },
            )
            .expect("encryption into a Vec cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    fn open_bytes(&self, sealed: &[u8], ad: &[u8]) -> Result<Vec<u8>, DoesNotOpen> {
        if sealed.len() < NONCE_LEN {
            return Err(DoesNotOpen);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: ad })
            .map_err(|_| DoesNotOpen)
    }
}

/// A key for one use, derived from `master` by HMAC-SHA256 over the use's `label`, so that
/// no use of a secret can be turned against another.
pub fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(master)
        .expect("HMAC takes a key of any length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn token_ad(team: &TeamId) -> Vec<u8> {
    format!("makers-bot bot token for {team}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(s: &str) -> TeamId {
        TeamId::parse(s).unwrap()
    }

    #[test]
    fn a_token_opens_with_its_key_and_team_only() {
        let key = SealingKey::new(&[7; 32]);
        let token = BotToken::parse("xoxb-1-abc").unwrap();
        let sealed = key.seal(&team("T1"), &token);
        assert_eq!(key.open(&team("T1"), &sealed), Ok(token.clone()));
        assert_eq!(key.open(&team("T2"), &sealed), Err(DoesNotOpen));
        let other = SealingKey::new(&[8; 32]);
        assert_eq!(other.open(&team("T1"), &sealed), Err(DoesNotOpen));
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(&team("T1"), &changed), Err(DoesNotOpen));
        assert_eq!(key.open(&team("T1"), &sealed[..10]), Err(DoesNotOpen));
    }

    #[test]
    fn each_seal_has_its_own_nonce_and_hides_the_token() {
        let key = SealingKey::new(&[7; 32]);
        let token = BotToken::parse("xoxb-1-abc").unwrap();
        let (a, b) = (key.seal(&team("T1"), &token), key.seal(&team("T1"), &token));
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert!(!a.windows(10).any(|w| w == b"xoxb-1-abc"));
    }

    #[test]
    fn the_check_value_tells_the_right_key() {
        let key = SealingKey::new(&[7; 32]);
        let check = key.check_value();
        assert!(key.opens_check(&check));
        assert!(!SealingKey::new(&[9; 32]).opens_check(&check));
    }

    #[test]
    fn state_signatures_check() {
        let key = SealingKey::new(&[7; 32]);
        let tag = key.sign_state(b"abc");
        assert!(key.state_signed(b"abc", &tag));
        assert!(!key.state_signed(b"abd", &tag));
        assert!(!SealingKey::new(&[9; 32]).state_signed(b"abc", &tag));
    }

    #[test]
    fn tokens_are_bot_tokens_and_never_print() {
        assert!(BotToken::parse("xoxp-user").is_none());
        assert!(BotToken::parse("xoxe.xoxb-1-rotating").is_some());
        let t = BotToken::parse("xoxb-secret").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
    }
}
