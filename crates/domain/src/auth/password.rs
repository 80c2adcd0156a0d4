//! Argon2id password hashing with OWASP's recommended parameters
//! (19 MiB, 2 iterations, 1 lane). Hashing is CPU-bound, so it runs on the
//! blocking pool, never on the request's async worker.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{DomainError, DomainResult};

fn hasher() -> Argon2<'static> {
    #[allow(clippy::unwrap_used)] // constant parameters, checked by the tests below
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a password nobody has, verified for unknown accounts so that a
/// login for an unknown e-mail takes as long as one for a known e-mail.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(b"no account has this password", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

pub async fn hash_password(password: String) -> DomainResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| DomainError::Internal(format!("password hashing task failed: {e}")))?
}

/// Verifies `password` against `stored`, or against a dummy hash when there
/// is no stored hash; in that case the answer is always `false`.
pub async fn verify_password(password: String, stored: Option<String>) -> DomainResult<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let parsed = PasswordHash::new(&hash).map_err(|e| {
            DomainError::Internal(format!("stored password hash is malformed: {e}"))
        })?;
        let matches = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|e| DomainError::Internal(format!("password verification task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() -> DomainResult<()> {
        let hash = hash_password("rigtig adgangskode".into()).await?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("rigtig adgangskode".into(), Some(hash.clone())).await?);
        assert!(!verify_password("forkert adgangskode".into(), Some(hash)).await?);
        assert!(!verify_password("no account has this password".into(), None).await?);
        Ok(())
    }
}
