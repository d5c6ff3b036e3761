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

use crate::{DbConnection, error::RepoResult, schema::outbox_emails, time::naive};

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Its id, also the `Message-ID` local part, so a receiver can spot a repeat.
    pub id: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// Adds an email to the outbox, due now.
pub fn enqueue(conn: &mut DbConnection, email: &Email, now: DateTime<Utc>) -> RepoResult<()> {
    diesel::insert_into(outbox_emails::table)
        .values((
            outbox_emails::id.eq(&email.id),
            outbox_emails::to_address.eq(&email.to),
            outbox_emails::subject.eq(&email.subject),
            outbox_emails::text_body.eq(&email.text),
            outbox_emails::html_body.eq(&email.html),
            outbox_emails::created_at.eq(naive(now)),
            outbox_emails::next_attempt_at.eq(naive(now)),
            outbox_emails::attempts.eq(0),
        ))
        .execute(conn)?;
    Ok(())
}

/// A claimed email, with how many times delivery has now been tried (this one included).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Claimed {
    /// The outbox id.
    #[diesel(sql_type = Text)]
    pub id: String,
    /// The recipient.
    #[diesel(sql_type = Text, column_name = to_address)]
    pub to: String,
    /// The subject line.
    #[diesel(sql_type = Text)]
    pub subject: String,
    /// The plain-text body.
    #[diesel(sql_type = Text, column_name = text_body)]
    pub text: String,
    /// The HTML body.
    #[diesel(sql_type = Text, column_name = html_body)]
    pub html: String,
    /// Attempts so far, this one included.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

const CLAIM_POSTGRES: &str = "UPDATE outbox_emails SET claimed_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) \
    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
    RETURNING id, to_address, subject, text_body, html_body, attempts";

const CLAIM_SQLITE: &str = "UPDATE outbox_emails SET claimed_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM outbox_emails WHERE sent_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) \
    ORDER BY next_attempt_at LIMIT $3) \
    RETURNING id, to_address, subject, text_body, html_body, attempts";

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
    Ok(diesel::sql_query(sql)
        .bind::<Timestamp, _>(naive(lease_until))
        .bind::<Timestamp, _>(naive(now))
        .bind::<BigInt, _>(limit)
        .load(conn)?)
}

/// Marks an email delivered.
pub fn mark_sent(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id))
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
    id: &str,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id))
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
    id: &str,
    now: DateTime<Utc>,
    error: &str,
) -> RepoResult<()> {
    diesel::update(outbox_emails::table.find(id))
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
