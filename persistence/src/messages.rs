//! The inbox: messages to a person, with their read and archived state, and the kinds the
//! person turned email off for.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    ids::{AccountId, ApplicationId, MessageId, OutboxEmailId, PostingId},
    message::{EmailPreferences, MessageKind},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::{message_email_opt_outs as opt, messages as m},
    time::{naive, utc},
};

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its id (time-ordered).
    pub id: MessageId,
    /// Whose inbox it is in.
    pub account_id: AccountId,
    /// What it is about.
    pub kind: MessageKind,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The application it is about, if any.
    pub application_id: Option<ApplicationId>,
    /// The posting it is about, if any.
    pub posting_id: Option<PostingId>,
    /// The email sent with it, when it also went by email.
    pub outbox_email_id: Option<OutboxEmailId>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was read, if it is read.
    pub read_at: Option<DateTime<Utc>>,
    /// When it was archived, if it is archived.
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = m)]
struct MessageRow {
    id: String,
    account_id: String,
    kind: String,
    subject: String,
    body: String,
    application_id: Option<String>,
    posting_id: Option<String>,
    outbox_email_id: Option<String>,
    created_at: NaiveDateTime,
    read_at: Option<NaiveDateTime>,
    archived_at: Option<NaiveDateTime>,
}

fn bad(reason: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "messages",
        reason: reason.to_owned(),
    }
}

fn parse_id<T: std::str::FromStr>(text: &str) -> RepoResult<T> {
    text.parse().map_err(|_| bad("an id"))
}

impl MessageRow {
    fn into_domain(self) -> RepoResult<Message> {
        Ok(Message {
            id: parse_id(&self.id)?,
            account_id: parse_id(&self.account_id)?,
            kind: MessageKind::parse(&self.kind).ok_or_else(|| bad("a kind"))?,
            subject: self.subject,
            body: self.body,
            application_id: self.application_id.as_deref().map(parse_id).transpose()?,
            posting_id: self.posting_id.as_deref().map(parse_id).transpose()?,
            outbox_email_id: self.outbox_email_id.as_deref().map(parse_id).transpose()?,
            created_at: utc(self.created_at),
            read_at: self.read_at.map(utc),
            archived_at: self.archived_at.map(utc),
        })
    }
}

/// Writes a message.
pub fn insert(conn: &mut DbConnection, message: &Message) -> RepoResult<()> {
    diesel::insert_into(m::table)
        .values((
            m::id.eq(message.id.to_string()),
            m::account_id.eq(message.account_id.to_string()),
            m::kind.eq(message.kind.as_str()),
            m::subject.eq(&message.subject),
            m::body.eq(&message.body),
            m::application_id.eq(message.application_id.map(|a| a.to_string())),
            m::posting_id.eq(message.posting_id.map(|p| p.to_string())),
            m::outbox_email_id.eq(message.outbox_email_id.map(|o| o.to_string())),
            m::created_at.eq(naive(message.created_at)),
            m::read_at.eq(message.read_at.map(naive)),
            m::archived_at.eq(message.archived_at.map(naive)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which of a person's messages a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxFilter {
    /// Read ones only (`Some(true)`), unread ones only (`Some(false)`), or both.
    pub read: Option<bool>,
    /// Only this kind.
    pub kind: Option<MessageKind>,
    /// Archived ones (`true`) or the others.
    pub archived: bool,
}

/// A page of a person's messages, newest first; the key is the id.
pub fn list(
    conn: &mut DbConnection,
    account: AccountId,
    filter: InboxFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Message>> {
    let mut query = m::table
        .filter(m::account_id.eq(account.to_string()))
        .select(MessageRow::as_select())
        .into_boxed();
    query = if filter.archived {
        query.filter(m::archived_at.is_not_null())
    } else {
        query.filter(m::archived_at.is_null())
    };
    match filter.read {
        Some(true) => query = query.filter(m::read_at.is_not_null()),
        Some(false) => query = query.filter(m::read_at.is_null()),
        None => {}
    }
    if let Some(kind) = filter.kind {
        query = query.filter(m::kind.eq(kind.as_str()));
    }
    if let Some(after) = page.after {
        query = query.filter(m::id.lt(after.to_owned()));
    }
    let rows = query.order(m::id.desc()).limit(page.fetch()).load(conn)?;
    let messages = rows
        .into_iter()
        .map(MessageRow::into_domain)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(messages, page.limit))
}

/// Every message of a person, newest first (the export).
pub fn all(conn: &mut DbConnection, account: AccountId) -> RepoResult<Vec<Message>> {
    m::table
        .filter(m::account_id.eq(account.to_string()))
        .order(m::id.desc())
        .select(MessageRow::as_select())
        .load(conn)?
        .into_iter()
        .map(MessageRow::into_domain)
        .collect()
}

/// How many of a person's messages are unread and not archived.
pub fn unread_count(conn: &mut DbConnection, account: AccountId) -> RepoResult<i64> {
    Ok(m::table
        .filter(m::account_id.eq(account.to_string()))
        .filter(m::read_at.is_null())
        .filter(m::archived_at.is_null())
        .count()
        .get_result(conn)?)
}

/// One of a person's messages; `None` when it is not theirs or does not exist.
pub fn find(
    conn: &mut DbConnection,
    account: AccountId,
    id: MessageId,
) -> RepoResult<Option<Message>> {
    m::table
        .find(id.to_string())
        .filter(m::account_id.eq(account.to_string()))
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?
        .map(MessageRow::into_domain)
        .transpose()
}

/// One state of a message: read or archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    /// Read (`read_at`).
    Read,
    /// Archived (`archived_at`).
    Archived,
}

/// Turns a state of one of a person's messages on (at `now`, keeping an earlier instant) or off.
/// Each change is one `UPDATE` of its own column, so concurrent changes of the other state are
/// not lost.
pub fn set_state(
    conn: &mut DbConnection,
    account: AccountId,
    id: MessageId,
    state: MessageState,
    on: bool,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let target = m::table
        .find(id.to_string())
        .filter(m::account_id.eq(account.to_string()));
    let at = on.then(|| naive(now));
    match (state, on) {
        (MessageState::Read, true) => diesel::update(target.filter(m::read_at.is_null()))
            .set(m::read_at.eq(at))
            .execute(conn)?,
        (MessageState::Read, false) => diesel::update(target)
            .set(m::read_at.eq(at))
            .execute(conn)?,
        (MessageState::Archived, true) => diesel::update(target.filter(m::archived_at.is_null()))
            .set(m::archived_at.eq(at))
            .execute(conn)?,
        (MessageState::Archived, false) => diesel::update(target)
            .set(m::archived_at.eq(at))
            .execute(conn)?,
    };
    Ok(())
}

/// A person's email preferences.
pub fn email_preferences(
    conn: &mut DbConnection,
    account: AccountId,
) -> RepoResult<EmailPreferences> {
    let kinds: Vec<String> = opt::table
        .filter(opt::account_id.eq(account.to_string()))
        .select(opt::kind)
        .load(conn)?;
    // A kind this release no longer knows is ignored rather than failing every notice.
    Ok(EmailPreferences::stored(
        kinds.iter().filter_map(|k| MessageKind::parse(k)),
    ))
}

/// Replaces a person's email preferences.
pub fn set_email_preferences(
    conn: &mut DbConnection,
    account: AccountId,
    preferences: &EmailPreferences,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::delete(opt::table.filter(opt::account_id.eq(account.to_string()))).execute(conn)?;
    for kind in preferences.off() {
        diesel::insert_into(opt::table)
            .values((
                opt::account_id.eq(account.to_string()),
                opt::kind.eq(kind.as_str()),
                opt::created_at.eq(naive(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}
