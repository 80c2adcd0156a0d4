//! Secrets the service must read back (a Kitos API user's password, later
//! webhook signing secrets), sealed before they are stored: AES-256-GCM with
//! a fresh random nonce per value, under one key the operator keeps outside
//! the database (`SAMUDBUD_SECRETS_KEY`, or a key file in the data
//! directory). A stolen database alone reveals none of them.
//!
//! A sealed value is text: `v1:` and the base64 of nonce ‖ ciphertext ‖ tag.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

const PREFIX: &str = "v1:";
const NONCE_BYTES: usize = 12;

/// Why a key or a sealed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("the secrets key must be 32 bytes, written as base64 or as 64 hex digits")]
    BadKey,
    /// Not sealed by this scheme, altered, or sealed under another key.
    #[error("the sealed value cannot be opened with this key")]
    CannotOpen,
}

/// Seals and opens secrets with the installation's key. Cheap to clone.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(…)")
    }
}

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// A key as an operator writes it: 64 hex digits, or base64 (standard
    /// or URL-safe, padded or not) of 32 bytes.
    pub fn from_text(text: &str) -> Result<Self, SecretError> {
        parse_key(text).map(|key| Self::new(&key))
    }

    /// `secret` sealed under a fresh nonce: the same secret sealed twice
    /// gives two different texts.
    pub fn seal(&self, secret: &str) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::thread_rng().fill_bytes(&mut nonce);
        // Encryption fails only for inputs beyond GCM's 64 GiB limit.
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), secret.as_bytes())
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}", STANDARD.encode(bytes))
    }

    pub fn open(&self, sealed: &str) -> Result<String, SecretError> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .filter(|bytes| bytes.len() > NONCE_BYTES)
            .ok_or(SecretError::CannotOpen)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| SecretError::CannotOpen)?;
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), ciphertext)
            .map_err(|_| SecretError::CannotOpen)?;
        String::from_utf8(plain).map_err(|_| SecretError::CannotOpen)
    }
}

/// A new random key, as base64: what a generated key file holds.
pub fn random_key_text() -> String {
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    STANDARD.encode(key)
}

fn parse_key(text: &str) -> Result<[u8; 32], SecretError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| SecretError::BadKey)?
    } else {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
            .ok_or(SecretError::BadKey)?
    };
    bytes.try_into().map_err(|_| SecretError::BadKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only() {
        let key = SecretBox::new(&[7; 32]);
        let sealed = key.seal("Kitos-adgangskode æøå");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("Kitos"));
        assert_eq!(key.open(&sealed).unwrap(), "Kitos-adgangskode æøå");
        // A fresh nonce each time.
        assert_ne!(key.seal("same"), key.seal("same"));

        let other = SecretBox::new(&[8; 32]);
        assert_eq!(other.open(&sealed), Err(SecretError::CannotOpen));
        // Altered, truncated or foreign text fails cleanly too.
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(key.open(&altered), Err(SecretError::CannotOpen));
        assert_eq!(key.open("v1:AAAA"), Err(SecretError::CannotOpen));
        assert_eq!(key.open("plain text"), Err(SecretError::CannotOpen));
    }

    #[test]
    fn keys_are_read_as_hex_or_base64_of_32_bytes() {
        let hex = "00".repeat(31) + "ff";
        let from_hex = SecretBox::from_text(&hex).unwrap();
        let mut bytes = [0u8; 32];
        bytes[31] = 0xff;
        let b64 = STANDARD.encode(bytes);
        let from_b64 = SecretBox::from_text(&b64).unwrap();
        assert_eq!(from_b64.open(&from_hex.seal("x")).unwrap(), "x");
        assert!(SecretBox::from_text(&random_key_text()).is_ok());
        assert_eq!(
            SecretBox::from_text("too short").unwrap_err(),
            SecretError::BadKey
        );
        assert_eq!(
            SecretBox::from_text(&STANDARD.encode([1u8; 16])).unwrap_err(),
            SecretError::BadKey
        );
    }
}
