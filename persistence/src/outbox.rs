//! The email outbox: rows written with the change that causes them, delivered by a worker.
//!
//! A worker claims due rows for a lease (`claimed_until`); on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so several Merit instances never claim the same row, and on SQLite
//! inside the writer lock. A claimed row is marked sent, retried later, or failed for good.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Text, Timestamp},
};
use merit_domain::ids::OutboxEmailId;

use crate::{
    DbConnection,
    error::{RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::outbox_emails,
    time::{naive, utc},
};

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Its id, also the `Message-ID` local part, so a receiver can spot a repeat.
    pub id: OutboxEmailId,
    /// Which email it is (its template's name), for logs and admins; never personal data.
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// Its RFC 8058 one-click unsubscribe address (subscription mail only: job alerts).
    pub list_unsubscribe: Option<String>,
}

/// Adds an email to the outbox, due now.
pub fn enqueue(conn: &mut DbConnection, email: &Email, now: DateTime<Utc>) -> RepoResult<()> {
    diesel::insert_into(outbox_emails::table)
        .values((
            outbox_emails::id.eq(email.id.to_string()),
            outbox_emails::kind.eq(&email.kind),
            outbox_emails::to_address.eq(&email.to),
            outbox_emails::subject.eq(&email.subject),
            outbox_emails::text_body.eq(&email.text),
            outbox_emails::html_body.eq(&email.html),
            outbox_emails::created_at.eq(naive(now)),
            outbox_emails::next_attempt_at.eq(naive(now)),
            outbox_emails::attempts.eq(0),
            outbox_emails::list_unsubscribe.eq(&email.list_unsubscribe),
        ))
        .execute(conn)?;
    Ok(())
}

/// A claimed email, with how many times delivery has now been tried (this one included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The outbox id.
    pub id: OutboxEmailId,
    /// Which email it is.
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// The RFC 8058 one-click unsubscribe address, for subscription mail.
    pub list_unsubscribe: Option<String>,
}

/// A claimed row as the claim statement returns it.
#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text, column_name = to_address)]
    to: String,
    #[diesel(sql_type = Text)]
    subject: String,
    #[diesel(sql_type = Text, column_name = text_body)]
    text: String,
    #[diesel(sql_type = Text, column_name = html_body)]
    html: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    list_unsubscribe: Option<String>,
}

const CLAIM_POSTGRES: &str = "UPDATE outbox_emails SET claimed_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) \
    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
    RETURNING id, kind, to_address, subject, text_body, html_body, attempts, list_unsubscribe";

const CLAIM_SQLITE: &str = "UPDATE outbox_emails SET claimed_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) \
    ORDER BY next_attempt_at LIMIT $3) \
    RETURNING id, kind, to_address, subject, text_body, html_body, attempts, list_unsubscribe";

/// Claims up to `limit` due emails until `lease_until`. Call inside a write transaction.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> RepoResult<Vec<Claimed>> {
    let sql = match conn {
        DbConnection::Postgresql(_) => CLAIM_POSTGRES,
        DbConnection::Sqlite(_) => CLAIM_SQLITE,
    };
    let rows: Vec<ClaimedRow> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(naive(lease_until))
        .bind::<Timestamp, _>(naive(now))
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(Claimed {
                id: parse_id("outbox_emails", &row.id)?,
                kind: row.kind,
                to: row.to,
                subject: row.subject,
                text: row.text,
                html: row.html,
                attempts: row.attempts,
                list_unsubscribe: row.list_unsubscribe,
            })
        })
        .collect()
}

/// Marks an email delivered.
pub fn mark_sent(conn: &mut DbConnection, id: OutboxEmailId, now: DateTime<Utc>) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id.to_string()))
        .set((
            outbox_emails::sent_at.eq(naive(now)),
            outbox_emails::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Schedules another attempt at `next_attempt_at`, recording why this one failed.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: OutboxEmailId,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id.to_string()))
        .set((
            outbox_emails::next_attempt_at.eq(naive(next_attempt_at)),
            outbox_emails::claimed_until.eq(None::<NaiveDateTime>),
            outbox_emails::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up on an email.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: OutboxEmailId,
    now: DateTime<Utc>,
    error: &str,
) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id.to_string()))
        .set((
            outbox_emails::failed_at.eq(naive(now)),
            outbox_emails::claimed_until.eq(None::<NaiveDateTime>),
            outbox_emails::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many emails wait to be delivered (sent neither nor failed).
pub fn pending_count(conn: &mut DbConnection) -> RepoResult<i64> {
    Ok(outbox_emails::table
        .filter(outbox_emails::sent_at.is_null())
        .filter(outbox_emails::failed_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Where an email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for its next attempt (or being delivered).
    Queued,
    /// Delivered.
    Sent,
    /// Given up after the last retry; an admin may queue it again.
    Failed,
}

/// An outbox row as admins see it: everything but the bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The outbox id.
    pub id: OutboxEmailId,
    /// Which email it is.
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// Where it stands.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (while queued).
    pub next_attempt_at: DateTime<Utc>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was given up.
    pub failed_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

type EntryColumns = (
    String,
    String,
    String,
    String,
    i32,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
);

const ENTRY_COLUMNS: (
    outbox_emails::id,
    outbox_emails::kind,
    outbox_emails::to_address,
    outbox_emails::subject,
    outbox_emails::attempts,
    outbox_emails::created_at,
    outbox_emails::next_attempt_at,
    outbox_emails::sent_at,
    outbox_emails::failed_at,
    outbox_emails::last_error,
) = (
    outbox_emails::id,
    outbox_emails::kind,
    outbox_emails::to_address,
    outbox_emails::subject,
    outbox_emails::attempts,
    outbox_emails::created_at,
    outbox_emails::next_attempt_at,
    outbox_emails::sent_at,
    outbox_emails::failed_at,
    outbox_emails::last_error,
);

fn entry(row: EntryColumns) -> RepoResult<OutboxEntry> {
    let (id, kind, to, subject, attempts, created, next, sent, failed, last_error) = row;
    let status = match (sent, failed) {
        (Some(_), _) => OutboxStatus::Sent,
        (None, Some(_)) => OutboxStatus::Failed,
        (None, None) => OutboxStatus::Queued,
    };
    Ok(OutboxEntry {
        id: parse_id("outbox_emails", &id)?,
        kind,
        to,
        subject,
        status,
        attempts,
        created_at: utc(created),
        next_attempt_at: utc(next),
        sent_at: sent.map(utc),
        failed_at: failed.map(utc),
        last_error,
    })
}

/// A page of outbox rows, newest first, optionally of one status; the key is the id.
pub fn list(
    conn: &mut DbConnection,
    status: Option<OutboxStatus>,
    page: PageRequest<'_>,
) -> RepoResult<Page<OutboxEntry>> {
    let mut query = outbox_emails::table.select(ENTRY_COLUMNS).into_boxed();
    query = match status {
        Some(OutboxStatus::Queued) => query
            .filter(outbox_emails::sent_at.is_null())
            .filter(outbox_emails::failed_at.is_null()),
        Some(OutboxStatus::Sent) => query.filter(outbox_emails::sent_at.is_not_null()),
        Some(OutboxStatus::Failed) => query
            .filter(outbox_emails::sent_at.is_null())
            .filter(outbox_emails::failed_at.is_not_null()),
        None => query,
    };
    if let Some(after) = page.after {
        query = query.filter(outbox_emails::id.lt(after.to_owned()));
    }
    let rows: Vec<EntryColumns> = query
        .order(outbox_emails::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(
        rows.into_iter().map(entry).collect::<RepoResult<_>>()?,
        page.limit,
    ))
}

/// One outbox row.
pub fn find(conn: &mut DbConnection, id: OutboxEmailId) -> RepoResult<Option<OutboxEntry>> {
    let row: Option<EntryColumns> = outbox_emails::table
        .find(id.to_string())
        .select(ENTRY_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(entry).transpose()
}

/// Queues a failed email again, due at `now`, with its attempts reset; `false` when it is not
/// failed (any more).
pub fn requeue_failed(
    conn: &mut DbConnection,
    id: OutboxEmailId,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let changed = diesel::update(
        outbox_emails::table
            .find(id.to_string())
            .filter(outbox_emails::sent_at.is_null())
            .filter(outbox_emails::failed_at.is_not_null()),
    )
    .set((
        outbox_emails::failed_at.eq(None::<NaiveDateTime>),
        outbox_emails::claimed_until.eq(None::<NaiveDateTime>),
        outbox_emails::attempts.eq(0),
        outbox_emails::next_attempt_at.eq(naive(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
