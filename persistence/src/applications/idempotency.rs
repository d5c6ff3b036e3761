//! Idempotency keys: the first successful answer to a request, kept until it expires.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::AccountId;

use crate::{DbConnection, error::RepoResult, schema::idempotency_keys as k, time::naive};

/// A remembered answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    /// The request's fingerprint (a hash of what identifies its payload).
    pub fingerprint: String,
    /// The answer's status code.
    pub status_code: u16,
    /// The id of the resource the request made or changed.
    pub resource_id: String,
    /// The answer's body.
    pub body: String,
}

/// Where a key lives: the caller, the operation, the key.
#[derive(Debug, Clone, Copy)]
pub struct KeyScope<'a> {
    /// The caller's account.
    pub account_id: AccountId,
    /// The operation, such as `POST /api/v1/applications/{id}/submit`.
    pub scope: &'a str,
    /// The client's key.
    pub key: &'a str,
}

/// The answer remembered under a key, unless it expired by `now`.
pub fn find(
    conn: &mut DbConnection,
    at: KeyScope<'_>,
    now: DateTime<Utc>,
) -> RepoResult<Option<Remembered>> {
    let row: Option<(String, i32, String, String)> = k::table
        .find((at.account_id.to_string(), at.scope, at.key))
        .filter(k::expires_at.gt(naive(now)))
        .select((k::fingerprint, k::status_code, k::resource_id, k::body))
        .first(conn)
        .optional()?;
    Ok(
        row.map(|(fingerprint, status, resource_id, body)| Remembered {
            fingerprint,
            status_code: u16::try_from(status).unwrap_or(500),
            resource_id,
            body,
        }),
    )
}

/// Remembers an answer under a key until `expires_at`, replacing an expired one.
pub fn remember(
    conn: &mut DbConnection,
    at: KeyScope<'_>,
    answer: &Remembered,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> RepoResult<()> {
    // The same key (expired, or it would have been found) and every other expired key of
    // this caller go, so keys never pile up past their 24 hours.
    diesel::delete(
        k::table
            .filter(k::account_id.eq(at.account_id.to_string()))
            .filter(
                k::expires_at
                    .le(naive(now))
                    .or(k::scope.eq(at.scope).and(k::idempotency_key.eq(at.key))),
            ),
    )
    .execute(conn)?;
    diesel::insert_into(k::table)
        .values((
            k::account_id.eq(at.account_id.to_string()),
            k::scope.eq(at.scope),
            k::idempotency_key.eq(at.key),
            k::fingerprint.eq(&answer.fingerprint),
            k::status_code.eq(i32::from(answer.status_code)),
            k::resource_id.eq(&answer.resource_id),
            k::body.eq(&answer.body),
            k::created_at.eq(naive(now)),
            k::expires_at.eq(naive(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets keys that expired by `now`; answers how many.
pub fn purge_expired(conn: &mut DbConnection, now: DateTime<Utc>) -> RepoResult<usize> {
    Ok(diesel::delete(k::table.filter(k::expires_at.le(naive(now)))).execute(conn)?)
}
