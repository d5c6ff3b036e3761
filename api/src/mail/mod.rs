//! Email: messages are written to the outbox in the same transaction as the change that causes
//! them (`enqueue`); a background worker delivers them (`worker`) by SMTP, or as `.eml` files in
//! the mail folder when no SMTP server is configured.

pub mod delivery;
pub mod templates;
pub mod worker;

use chrono::{DateTime, Utc};
use merit_domain::ids::{EntityId, OutboxEmailId};
use merit_persistence::{DbConnection, RepoResult, outbox};

pub use templates::Message;

/// Puts a message in the outbox for `to`.
pub fn enqueue(
    conn: &mut DbConnection,
    to: &str,
    message: Message,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let email = outbox::Email {
        id: OutboxEmailId::from_uuid(uuid::Uuid::now_v7()),
        kind: message.kind.to_owned(),
        to: to.to_owned(),
        subject: message.subject,
        text: message.text,
        html: message.html,
        list_unsubscribe: None,
    };
    outbox::enqueue(conn, &email, now)
}
