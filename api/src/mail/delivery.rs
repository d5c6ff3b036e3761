//! Delivering one message: by SMTP, or as an `.eml` file named after its outbox id.

use std::{path::PathBuf, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message as Mime, Tokio1Executor,
    message::{MultiPart, SinglePart, header},
};
use merit_persistence::outbox::Claimed;
use secrecy::ExposeSecret;

use crate::settings::Settings;

/// How long one message's whole SMTP exchange (connect, greeting, commands, data) may take
/// before it counts as failed and is retried later.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The SMTP server or the connection to it failed.
    #[error(transparent)]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// The message could not be written to the mail folder.
    #[error(transparent)]
    File(#[from] std::io::Error),
    /// The SMTP exchange took longer than [`SMTP_TIMEOUT`].
    #[error("the SMTP server did not answer within {} s", SMTP_TIMEOUT.as_secs())]
    Timeout,
    /// The message could not be built (an address Merit cannot send to).
    #[error("the message cannot be built: {0}")]
    Message(String),
}

impl DeliveryError {
    /// Whether trying again cannot help: the SMTP server refused for good (a 5xx reply, such
    /// as an unknown mailbox) or the message cannot be built. Such an email is failed at once.
    pub fn is_permanent(&self) -> bool {
        match self {
            DeliveryError::Smtp(e) => e.is_permanent(),
            DeliveryError::Message(_) => true,
            DeliveryError::File(_) | DeliveryError::Timeout => false,
        }
    }

    /// A short kind for logs, which never carry a server's reply (it may quote an address).
    pub fn kind(&self) -> &'static str {
        match self {
            DeliveryError::Timeout => "smtp_timeout",
            DeliveryError::Smtp(e) if e.is_timeout() => "smtp_timeout",
            DeliveryError::Smtp(e) if e.is_permanent() => "smtp_permanent",
            DeliveryError::Smtp(e) if e.is_transient() => "smtp_transient",
            DeliveryError::Smtp(_) => "smtp_connection",
            DeliveryError::File(_) => "mail_folder",
            DeliveryError::Message(_) => "message",
        }
    }
}

/// Where emails go.
pub enum Mailer {
    /// Real delivery through an SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (no SMTP configured).
    Files(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
            Mailer::Files(dir) => write!(f, "Mailer::Files({})", dir.display()),
        }
    }
}

impl Mailer {
    /// SMTP when `smtp_url` is set, files in the mail folder otherwise. Call inside the runtime.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        match &settings.smtp_url {
            Some(url) => Ok(Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            )),
            None => {
                let dir = settings.mail_dir();
                std::fs::create_dir_all(&dir)?;
                Ok(Mailer::Files(dir))
            }
        }
    }

    /// Sends one message from `from`.
    pub async fn deliver(&self, from: &str, email: &Claimed) -> Result<(), DeliveryError> {
        let message = build(from, email)?;
        match self {
            Mailer::Smtp(transport) => {
                // lettre's own timeout bounds the connect only; a server that accepts and then
                // stalls must not hold the worker (and its claimed batch) for ever.
                tokio::time::timeout(SMTP_TIMEOUT, transport.send(message))
                    .await
                    .map_err(|_| DeliveryError::Timeout)??;
            }
            Mailer::Files(dir) => {
                // Named after the outbox id and written atomically: delivering twice rewrites the
                // same file instead of making a second one.
                let final_path = dir.join(format!("{}.eml", email.id));
                let temporary = dir.join(format!(".{}.tmp", email.id));
                tokio::fs::write(&temporary, message.formatted()).await?;
                tokio::fs::rename(&temporary, &final_path).await?;
            }
        }
        Ok(())
    }
}

fn build(from: &str, email: &Claimed) -> Result<Mime, DeliveryError> {
    let bad = |e: &dyn std::fmt::Display| DeliveryError::Message(e.to_string());
    let body = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(header::ContentType::TEXT_PLAIN)
                .header(header::ContentTransferEncoding::QuotedPrintable)
                .body(email.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(header::ContentType::TEXT_HTML)
                .header(header::ContentTransferEncoding::QuotedPrintable)
                .body(email.html.clone()),
        );
    let mut builder = Mime::builder();
    if let Some(url) = &email.list_unsubscribe {
        // RFC 8058: one HTTPS address, and the key/value pair that says a POST to it is a
        // one-click unsubscribe (so a scanner's GET changes nothing).
        builder = builder
            .raw_header(header::HeaderValue::new(
                header::HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(header::HeaderValue::new(
                header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .message_id(Some(format!("<{}@merit>", email.id)))
        .from(from.parse().map_err(|e| bad(&e))?)
        .to(email.to.parse().map_err(|e| bad(&e))?)
        .subject(email.subject.clone())
        .multipart(body)
        .map_err(|e| bad(&e))
}
