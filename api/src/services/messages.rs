//! The inbox: every notice Merit sends a person is a message, written by [`send_notice`] in the
//! transaction of its cause; email is one delivery channel of it, chosen per kind by the person
//! (kinds that are always emailed excepted). The person reads, marks and archives their
//! messages; anyone else's are 404.

use chrono::{DateTime, Utc};
use merit_domain::{
    account::Account,
    ids::{AccountId, ApplicationId, EntityId, MessageId, OutboxEmailId, PostingId},
    message::{EmailPreferences, MessageKind},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoResult,
    messages::{self, InboxFilter, Message, MessageState},
    outbox, roster,
};

use crate::{auth::AuthUser, error::ApiError, mail::templates};

/// A notice to one person: what their inbox shows, and what the email says.
#[derive(Debug, Clone)]
pub struct Notice {
    /// What it is about.
    pub kind: MessageKind,
    /// The email template's name, kept with the outbox row (`application_status`,
    /// `email_changed`).
    pub template: &'static str,
    /// The subject line.
    pub subject: String,
    /// The body, paragraph by paragraph (plain text).
    pub paragraphs: Vec<String>,
    /// The application it is about, if any.
    pub application_id: Option<ApplicationId>,
    /// The posting it is about, if any.
    pub posting_id: Option<PostingId>,
}

/// Where the email of a notice goes.
#[derive(Debug, Clone)]
pub enum EmailTo {
    /// The account's address, or an employee's business address from the roster.
    OnFile,
    /// This address (a notice about an address change goes to the previous one).
    Address(String),
    /// No email: there is no address this notice should reach.
    Nowhere,
}

/// The address on file for `account`: its own, or an employee's business address.
fn address_on_file(conn: &mut DbConnection, account: &Account) -> RepoResult<Option<String>> {
    if let Some(email) = &account.email {
        return Ok(Some(email.as_str().to_owned()));
    }
    match &account.employee_id {
        Some(employee) => Ok(
            roster::find(conn, employee.as_str())?.map(|e| e.business_email.as_str().to_owned())
        ),
        None => Ok(None),
    }
}

/// Sends `notice` to `account`, in the caller's transaction: writes the message to their inbox
/// and, unless they turned email off for its kind (or have no address), its email to the
/// outbox. Every notice Merit sends a person goes through here.
pub fn send_notice(
    conn: &mut DbConnection,
    account: &Account,
    notice: Notice,
    email_to: EmailTo,
    now: DateTime<Utc>,
) -> Result<Message, ApiError> {
    send_subscription_notice(conn, account, notice, email_to, None, now)
}

/// [`send_notice`] for subscription mail (job alerts): its email names `list_unsubscribe`, the
/// RFC 8058 one-click unsubscribe address.
pub fn send_subscription_notice(
    conn: &mut DbConnection,
    account: &Account,
    notice: Notice,
    email_to: EmailTo,
    list_unsubscribe: Option<String>,
    now: DateTime<Utc>,
) -> Result<Message, ApiError> {
    let account_id: AccountId = account.id;
    let preferences = messages::email_preferences(conn, account_id)?;
    let address = if preferences.emails(notice.kind) {
        match email_to {
            EmailTo::OnFile => address_on_file(conn, account)?,
            EmailTo::Address(address) => Some(address),
            EmailTo::Nowhere => None,
        }
    } else {
        None
    };
    let mut outbox_email_id = None;
    if let Some(address) = address {
        let email = templates::notice(
            notice.template,
            &notice.subject,
            account.first_name.as_str(),
            &notice.paragraphs,
        );
        let id = OutboxEmailId::from_uuid(uuid::Uuid::now_v7());
        outbox::enqueue(
            conn,
            &outbox::Email {
                id,
                kind: email.kind.to_owned(),
                to: address,
                subject: email.subject,
                text: email.text,
                html: email.html,
                list_unsubscribe,
            },
            now,
        )?;
        outbox_email_id = Some(id);
    }
    let message = Message {
        id: MessageId::from_uuid(uuid::Uuid::now_v7()),
        account_id,
        kind: notice.kind,
        subject: notice.subject,
        body: notice.paragraphs.join("\n\n"),
        application_id: notice.application_id,
        posting_id: notice.posting_id,
        outbox_email_id,
        created_at: now,
        read_at: None,
        archived_at: None,
    };
    messages::insert(conn, &message)?;
    Ok(message)
}

fn not_found() -> ApiError {
    ApiError::not_found("message")
}

/// A page of the caller's messages, newest first.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    filter: InboxFilter,
    page: PageRequest<'_>,
) -> Result<Page<Message>, ApiError> {
    Ok(messages::list(conn, user.id(), filter, page)?)
}

/// How many of the caller's messages are unread (archived ones not counted).
pub fn unread_count(conn: &mut DbConnection, user: &AuthUser) -> Result<i64, ApiError> {
    Ok(messages::unread_count(conn, user.id())?)
}

/// One of the caller's messages; anyone else's is 404.
pub fn get(conn: &mut DbConnection, user: &AuthUser, id: MessageId) -> Result<Message, ApiError> {
    messages::find(conn, user.id(), id)?.ok_or_else(not_found)
}

/// A change of a message's state; `None` leaves it as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessagePatch {
    /// Mark read (`true`) or unread (`false`).
    pub read: Option<bool>,
    /// Archive (`true`) or bring back to the inbox (`false`).
    pub archived: Option<bool>,
}

/// Marks one of the caller's messages read or unread, archived or not.
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: MessageId,
    patch: MessagePatch,
    now: DateTime<Utc>,
) -> Result<Message, ApiError> {
    let account = user.id();
    get(conn, user, id)?;
    let changes = [
        (MessageState::Read, patch.read),
        (MessageState::Archived, patch.archived),
    ];
    for (state, on) in changes {
        if let Some(on) = on {
            messages::set_state(conn, account, id, state, on, now)?;
        }
    }
    get(conn, user, id)
}

/// The caller's email preferences.
pub fn preferences(conn: &mut DbConnection, user: &AuthUser) -> Result<EmailPreferences, ApiError> {
    Ok(messages::email_preferences(conn, user.id())?)
}

/// Replaces the caller's email preferences (already checked: no always-emailed kind is off).
pub fn set_preferences(
    conn: &mut DbConnection,
    user: &AuthUser,
    preferences: &EmailPreferences,
    now: DateTime<Utc>,
) -> Result<EmailPreferences, ApiError> {
    let account = user.id();
    messages::set_email_preferences(conn, account, preferences, now)?;
    Ok(messages::email_preferences(conn, account)?)
}
