//! OAuth `state`: `<16 random bytes, hex>.<expiry, unix seconds>.<HMAC-SHA256 of both, hex>`,
//! signed with the state key derived from `MAKERS_SECRET_KEY`. The signature proves this
//! server made it and when it expires without a look at the database; being accepted once is
//! the store's part (the state is recorded when issued and deleted when used).

use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore;

use super::SealingKey;

/// How long an install link's state is good for: as long as Slack's `code`.
pub const STATE_LIFETIME_SECS: i64 = 600;

/// Why a state was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadState {
    /// Not in our format, or not signed with our key.
    Forged,
    Expired,
}

/// A fresh state expiring [`STATE_LIFETIME_SECS`] after `now`; returns it and its expiry.
pub fn new_state(key: &SealingKey, now: i64) -> (String, i64) {
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let expires = now + STATE_LIFETIME_SECS;
    let signed = format!("{}.{expires}", hex::encode(nonce));
    let tag = hex::encode(key.sign_state(signed.as_bytes()));
    (format!("{signed}.{tag}"), expires)
}

/// Checks `state`'s signature and expiry at `now`; gives its expiry.
pub fn check_state(key: &SealingKey, state: &str, now: i64) -> Result<i64, BadState> {
    let (signed, tag) = state.rsplit_once('.').ok_or(BadState::Forged)?;
    // Only the lower case `new_state` writes: `hex` reads either, and a state written
    // another way would be a second spelling of one state, used once each.
    if tag.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(BadState::Forged);
    }
    let tag = hex::decode(tag).map_err(|_| BadState::Forged)?;
    if !key.state_signed(signed.as_bytes(), &tag) {
        return Err(BadState::Forged);
    }
    let (_, expires) = signed.split_once('.').ok_or(BadState::Forged)?;
    let expires: i64 = expires.parse().map_err(|_| BadState::Forged)?;
    if now >= expires {
        return Err(BadState::Expired);
    }
    Ok(expires)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_good_for_ten_minutes_with_its_key_only() {
        let key = SealingKey::new(&[1; 32]);
        let (state, expires) = new_state(&key, 1000);
        assert_eq!(expires, 1600);
        assert_eq!(check_state(&key, &state, 1599), Ok(1600));
        assert_eq!(check_state(&key, &state, 1600), Err(BadState::Expired));
        let other = SealingKey::new(&[2; 32]);
        assert_eq!(check_state(&other, &state, 1000), Err(BadState::Forged));
    }

    #[test]
    fn a_changed_or_made_up_state_is_forged() {
        let key = SealingKey::new(&[1; 32]);
        let (state, _) = new_state(&key, 1000);
        // A later expiry with the old signature.
        let mut parts: Vec<&str> = state.split('.').collect();
        parts[1] = "999999999";
        let later = parts.join(".");
        // The same state with its signature in capitals: one state, one spelling.
        let (signed, tag) = state.rsplit_once('.').unwrap();
        let shouted = format!("{signed}.{}", tag.to_ascii_uppercase());
        for bad in ["", "abc", "a.b.c", &later, &state[1..], &shouted] {
            assert_eq!(check_state(&key, bad, 1000), Err(BadState::Forged), "{bad}");
        }
        assert_ne!(new_state(&key, 1000).0, state, "each state is new");
    }
}
