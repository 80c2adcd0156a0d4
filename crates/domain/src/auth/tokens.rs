//! Access tokens (short-lived JWTs) and refresh tokens (random, stored only
//! as SHA-256 hashes).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{DomainError, DomainResult};

const ISSUER: &str = "samudbud";

pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);

/// How long a login lasts, however often its refresh tokens are used: a
/// working day with some to spare. Refreshing never moves this deadline.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::hours(12);

/// The claims of an access token: who, in which municipality, with which role.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: Uuid,
    /// The municipality; absent for platform operators.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tid: Option<Uuid>,
    pub role: String,
    /// For API clients: the scopes this token carries, space-separated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

/// The keys that sign and check access tokens (HS256), and how long the
/// sessions they serve last.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    session_lifetime: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(…)")
    }
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            session_lifetime: DEFAULT_SESSION_LIFETIME,
        }
    }

    /// Sessions end this long after their login.
    #[must_use]
    pub fn with_session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    pub fn session_lifetime(&self) -> Duration {
        self.session_lifetime
    }

    pub fn issue_access(&self, sub: Uuid, tid: Option<Uuid>, role: &str) -> DomainResult<String> {
        self.issue_access_with_scope(sub, tid, role, None)
    }

    pub fn issue_access_with_scope(
        &self,
        sub: Uuid,
        tid: Option<Uuid>,
        role: &str,
        scope: Option<String>,
    ) -> DomainResult<String> {
        let now = Utc::now();
        self.sign(sub, tid, role, scope, now, now + ACCESS_TOKEN_TTL)
    }

    /// An access token of a login session: valid for `ACCESS_TOKEN_TTL`, but
    /// never beyond the session's end. Returns the token and its lifetime.
    pub fn issue_session_access(
        &self,
        sub: Uuid,
        tid: Option<Uuid>,
        role: &str,
        session_ends_at: DateTime<Utc>,
    ) -> DomainResult<(String, Duration)> {
        let now = Utc::now();
        let expires_at = Ord::min(now + ACCESS_TOKEN_TTL, session_ends_at);
        let token = self.sign(sub, tid, role, None, now, expires_at)?;
        Ok((token, expires_at - now))
    }

    fn sign(
        &self,
        sub: Uuid,
        tid: Option<Uuid>,
        role: &str,
        scope: Option<String>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DomainResult<String> {
        let claims = AccessClaims {
            sub,
            tid,
            role: role.to_owned(),
            scope,
            iss: ISSUER.to_owned(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(format!("signing an access token failed: {e}")))
    }

    pub fn check_access(&self, token: &str) -> DomainResult<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        // No grace after `exp`: every replica signs and checks with clocks
        // kept by NTP, and clients refresh on the 401 anyway.
        validation.leeway = 0;
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    DomainError::Unauthenticated("the access token has expired")
                }
                _ => DomainError::Unauthenticated("the access token is not valid"),
            })
    }
}

/// A new random secret: 256 bits, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a token is stored: its SHA-256, hex. A fast hash suffices because the
/// token is 256 random bits, not a password.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_round_trip_and_reject_other_keys() -> DomainResult<()> {
        let keys = TokenKeys::from_secret(b"one secret that is long enough!!");
        let user = Uuid::new_v4();
        let tenant = Uuid::new_v4();
        let token = keys.issue_access(user, Some(tenant), "admin")?;
        let claims = keys.check_access(&token)?;
        assert_eq!(
            (claims.sub, claims.tid, claims.role.as_str()),
            (user, Some(tenant), "admin")
        );
        assert_eq!(claims.exp - claims.iat, 15 * 60);

        let other = TokenKeys::from_secret(b"another secret that is long too!");
        assert!(other.check_access(&token).is_err());
        assert!(keys.check_access("not.a.jwt").is_err());
        Ok(())
    }

    #[test]
    fn expired_tokens_are_refused_without_grace() -> DomainResult<()> {
        let keys = TokenKeys::from_secret(b"one secret that is long enough!!");
        let now = Utc::now();
        let user = Uuid::new_v4();
        let expired = keys.sign(
            user,
            None,
            "operator",
            None,
            now - Duration::minutes(15),
            now - Duration::seconds(2),
        )?;
        assert!(matches!(
            keys.check_access(&expired),
            Err(DomainError::Unauthenticated("the access token has expired"))
        ));
        let fresh = keys.sign(
            user,
            None,
            "operator",
            None,
            now,
            now + Duration::seconds(30),
        )?;
        assert_eq!(keys.check_access(&fresh)?.sub, user);
        Ok(())
    }

    #[test]
    fn session_access_tokens_end_with_their_session() -> DomainResult<()> {
        let keys = TokenKeys::from_secret(b"one secret that is long enough!!");
        let ends = Utc::now() + Duration::minutes(3);
        let (token, lifetime) =
            keys.issue_session_access(Uuid::new_v4(), None, "operator", ends)?;
        assert!(lifetime <= Duration::minutes(3) && lifetime > Duration::minutes(2));
        assert_eq!(keys.check_access(&token)?.exp, ends.timestamp());
        let (_, full) = keys.issue_session_access(
            Uuid::new_v4(),
            None,
            "operator",
            Utc::now() + Duration::hours(5),
        )?;
        assert!(full <= ACCESS_TOKEN_TTL && full > ACCESS_TOKEN_TTL - Duration::seconds(5));
        Ok(())
    }

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(token_hash("abc"), token_hash("abc"));
    }
}
