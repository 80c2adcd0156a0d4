//! How digests leave the server: through SMTP when an URL is configured
//! (`smtp://user:pass@host:587?tls=required` for STARTTLS,
//! `smtps://user:pass@host:465` for implicit TLS, plain `smtp://host:25`
//! inside a trusted network), else written to the log in full, so that a
//! local run shows what would have been sent.

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::digest::Digest;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No SMTP server: each mail is logged instead.
    Log { from: Mailbox },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The transport holds the credentials: never printed.
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
            Mailer::Log { from } => write!(f, "Mailer::Log(from {from})"),
        }
    }
}

/// A mail that could not be sent, with the reason (no credentials in it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

impl Mailer {
    /// The mailer for `smtp_url` (none: log only) sending as `from`
    /// (`Samudbud <noreply@example.dk>` or a bare address).
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|err| format!("the sender address `{from}` is not valid: {err}"))?;
        match smtp_url.map(str::trim).filter(|url| !url.is_empty()) {
            None => Ok(Mailer::Log { from }),
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|err| format!("the SMTP URL is not valid: {err}"))?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
        }
    }

    /// Sends `digest` to `name <email>`.
    pub async fn send(&self, name: &str, email: &str, digest: &Digest) -> Result<(), SendError> {
        let to = Mailbox::new(
            Some(name.to_owned()),
            email
                .parse()
                .map_err(|err| SendError(format!("the address {email} is not valid: {err}")))?,
        );
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Log { from } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(digest.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                digest.text.clone(),
                digest.html.clone(),
            ))
            .map_err(|err| SendError(format!("the mail could not be composed: {err}")))?;
        match self {
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| SendError(format!("SMTP: {err}"))),
            Mailer::Log { .. } => {
                tracing::info!(
                    to = %email,
                    subject = %digest.subject,
                    text = %digest.text,
                    "reminder digest (no SMTP server configured, so it is logged instead of sent)"
                );
                Ok(())
            }
        }
    }
}
