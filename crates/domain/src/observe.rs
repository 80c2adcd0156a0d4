//! What the domain tells an operator's monitoring: transactions waiting to
//! start, background job runs, mails and webhook deliveries. The domain
//! says what happened through `Observer`; the server counts it (Prometheus),
//! so the domain carries no exporter and each server, a test's too, counts
//! into its own registry. Every label is one of the fixed names below.
//!
//! The observer travels with the `Db` handle (`Db::observed_by`), which
//! every request and job already has; a `Db` without one observes nothing.

use std::sync::Arc;
use std::time::Duration;

/// Receives what happened. Calls come from request and job paths alike, so
/// an implementation must be cheap and must not block (atomic counters).
pub trait Observer: Send + Sync + 'static {
    /// A transaction was begun on `pool` (or failed to begin) after waiting
    /// `waited` for a pooled connection and its `BEGIN`.
    fn transaction_begun(&self, pool: Pool, mode: Mode, waited: Duration, ok: bool);

    /// One run of a background job ended after `took`.
    fn job_ran(&self, job: Job, took: Duration, ok: bool);

    /// A mail was handed to the mail server (or the log), or refused.
    fn mail_sent(&self, kind: MailKind, ok: bool);

    /// One webhook delivery attempt ended.
    fn webhook_attempted(&self, outcome: WebhookOutcome);
}

/// The observer of a `Db` that has none.
struct Unobserved;

impl Observer for Unobserved {
    fn transaction_begun(&self, _: Pool, _: Mode, _: Duration, _: bool) {}
    fn job_ran(&self, _: Job, _: Duration, _: bool) {}
    fn mail_sent(&self, _: MailKind, _: bool) {}
    fn webhook_attempted(&self, _: WebhookOutcome) {}
}

/// The observer a `Db` carries; clones share it.
#[derive(Clone)]
pub(crate) struct Observed(pub(crate) Arc<dyn Observer>);

impl Default for Observed {
    fn default() -> Self {
        Self(Arc::new(Unobserved))
    }
}

impl std::fmt::Debug for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Observed")
    }
}

/// Label values from a fixed set: each enum lists all of its values, so
/// that an exporter can start every series at zero.
macro_rules! labels {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}

labels!(
    /// Which connection pool.
    Pool {
        /// The application's pool: every municipality's transactions (and,
        /// with one role, the system scope's).
        Application => "application",
        /// The owner role's small pool for the system scope (PostgreSQL
        /// with two roles).
        Owner => "owner",
    }
);

labels!(
    /// Whether a transaction reads or writes. On SQLite a writing
    /// transaction's begin also waits for the database's write lock.
    Mode {
        Read => "read",
        Write => "write",
    }
);

labels!(
    /// The background jobs a server runs.
    Job {
        /// The nightly re-derivation of the contracts' dates.
        DerivedDates => "derived_dates",
        /// A reminder scheduler tick: create and send due digests.
        ReminderDigests => "reminder_digests",
        /// Deleting change-log entries past their retention.
        ChangeLogRetention => "change_log_retention",
        /// A webhook dispatcher tick: claim and post due deliveries.
        WebhookDeliveries => "webhook_deliveries",
        /// Writing the scheduled `deadline.approaching` webhook events.
        WebhookDeadlines => "webhook_deadlines",
    }
);

labels!(
    /// What a mail was.
    MailKind {
        /// A user's reminder digest.
        ReminderDigest => "reminder_digest",
        /// The notice to a municipality's admins that a webhook endpoint was
        /// disabled.
        WebhookDisabled => "webhook_disabled",
    }
);

labels!(
    /// How a webhook delivery attempt ended.
    WebhookOutcome {
        /// The endpoint answered 2xx.
        Delivered => "delivered",
        /// It failed and will be tried again.
        Retry => "retry",
        /// It failed and the delivery was given up, its endpoint disabled.
        Failed => "failed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_listed_once() {
        let jobs: std::collections::HashSet<_> = Job::ALL.iter().map(|j| j.as_str()).collect();
        assert_eq!(jobs.len(), Job::ALL.len());
        assert_eq!(Job::ALL.len(), 5);
        assert_eq!(WebhookOutcome::Retry.as_str(), "retry");
        assert_eq!(Pool::ALL, &[Pool::Application, Pool::Owner]);
    }
}
