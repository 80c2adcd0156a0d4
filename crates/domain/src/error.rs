//! The domain's one error type. The server maps each variant to an HTTP
//! problem in one place; messages here are safe to show to the caller,
//! except `Internal`, whose cause is logged and never sent.

use sea_orm::{DbErr, SqlErr, TransactionError};

/// One invalid input field: the field's name as the caller sent it, a stable
/// machine-readable code (`required`, `invalid`, `too_short`, `too_long`,
/// `taken`, …) and an English explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The object does not exist, or the principal may not know that it does.
    #[error("not found")]
    NotFound,
    /// The principal is known but its role or scopes do not allow the action.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Credentials or token missing, wrong, expired or revoked.
    #[error("unauthenticated: {0}")]
    Unauthenticated(&'static str),
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The change conflicts with the current state (a duplicate, the last admin, …).
    #[error("conflict: {message}")]
    Conflict {
        message: String,
        field: Option<FieldError>,
    },
    /// A write without the `If-Match` a versioned object requires.
    #[error("precondition required")]
    PreconditionRequired,
    /// A write whose `If-Match` names an older version.
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("too many requests; retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// What the request names is no longer kept (an expired sync cursor);
    /// the message says how to start again.
    #[error("gone: {0}")]
    Gone(String),
    /// A service this one calls on the caller's behalf (a municipality's
    /// Kitos) could not be reached or answered nonsense; the message says
    /// which, in words for the caller.
    #[error("upstream: {0}")]
    Upstream(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        DomainError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        DomainError::Conflict {
            message: message.into(),
            field: None,
        }
    }
}

impl From<FieldError> for DomainError {
    fn from(error: FieldError) -> Self {
        DomainError::Validation(vec![error])
    }
}

/// The optimistic-concurrency check of every versioned write: the caller must
/// name the version it last read (`If-Match`), and it must still be current.
pub fn check_version(current: i32, expected: Option<i32>) -> Result<(), DomainError> {
    match expected {
        None => Err(DomainError::PreconditionRequired),
        Some(expected) if expected != current => Err(DomainError::PreconditionFailed),
        Some(_) => Ok(()),
    }
}

impl From<DbErr> for DomainError {
    fn from(err: DbErr) -> Self {
        DomainError::Internal(err.to_string())
    }
}

impl From<TransactionError<DomainError>> for DomainError {
    fn from(err: TransactionError<DomainError>) -> Self {
        match err {
            TransactionError::Connection(e) => e.into(),
            TransactionError::Transaction(e) => e,
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// Turns a unique-constraint violation into a conflict on `field`; every
/// other database error stays internal. The one place that knows how the
/// databases report duplicates.
pub trait OnUnique<T> {
    fn on_unique(self, field: &str, message: &str) -> DomainResult<T>;
}

impl<T> OnUnique<T> for Result<T, DbErr> {
    fn on_unique(self, field: &str, message: &str) -> DomainResult<T> {
        self.map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => DomainError::Conflict {
                message: message.to_owned(),
                field: Some(FieldError::new(field, "taken", message)),
            },
            _ => err.into(),
        })
    }
}
