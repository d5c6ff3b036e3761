//! Codes emailed to prove control of an account in a profile merge: short-lived, used once,
//! limited tries, stored as a salted hash.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::{AccountId, MergeCodeId};

use crate::{
    DbConnection,
    error::{RepoResult, parse_id},
    schema::merge_codes,
    time::{naive, utc},
};

/// A code as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMergeCode<'a> {
    /// The row's id (also the hash's salt).
    pub id: MergeCodeId,
    /// The employee who asked for it (the merge's target).
    pub requested_by: AccountId,
    /// The account whose address it went to (the merge's source).
    pub account_id: AccountId,
    /// The hash of the id and the code.
    pub code_hash: &'a str,
    /// The address it went to.
    pub sent_to: &'a str,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A stored code that still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMergeCode {
    /// The row's id.
    pub id: MergeCodeId,
    /// The hash of the id and the code.
    pub code_hash: String,
    /// Wrong tries so far.
    pub attempts: i32,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Stores a new code and ends the earlier unused ones of the same pair, so only the latest works.
pub fn issue(
    conn: &mut DbConnection,
    code: &NewMergeCode<'_>,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        merge_codes::table
            .filter(merge_codes::requested_by.eq(code.requested_by.to_string()))
            .filter(merge_codes::account_id.eq(code.account_id.to_string()))
            .filter(merge_codes::used_at.is_null()),
    )
    .set(merge_codes::used_at.eq(naive(now)))
    .execute(conn)?;
    diesel::insert_into(merge_codes::table)
        .values((
            merge_codes::id.eq(code.id.to_string()),
            merge_codes::requested_by.eq(code.requested_by.to_string()),
            merge_codes::account_id.eq(code.account_id.to_string()),
            merge_codes::code_hash.eq(code.code_hash),
            merge_codes::sent_to.eq(code.sent_to),
            merge_codes::attempts.eq(0),
            merge_codes::created_at.eq(naive(now)),
            merge_codes::expires_at.eq(naive(code.expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many codes `requested_by` asked for at or after `since`.
pub fn issued_since(
    conn: &mut DbConnection,
    requested_by: AccountId,
    since: DateTime<Utc>,
) -> RepoResult<i64> {
    Ok(merge_codes::table
        .filter(merge_codes::requested_by.eq(requested_by.to_string()))
        .filter(merge_codes::created_at.ge(naive(since)))
        .count()
        .get_result(conn)?)
}

/// The pair's latest code if it is unused and unexpired at `now`.
pub fn live(
    conn: &mut DbConnection,
    requested_by: AccountId,
    account_id: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<Option<LiveMergeCode>> {
    let row: Option<(String, String, i32, NaiveDateTime)> = merge_codes::table
        .filter(merge_codes::requested_by.eq(requested_by.to_string()))
        .filter(merge_codes::account_id.eq(account_id.to_string()))
        .filter(merge_codes::used_at.is_null())
        .filter(merge_codes::expires_at.gt(naive(now)))
        .order((merge_codes::created_at.desc(), merge_codes::id.desc()))
        .select((
            merge_codes::id,
            merge_codes::code_hash,
            merge_codes::attempts,
            merge_codes::expires_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(id, code_hash, attempts, expires_at)| {
        Ok(LiveMergeCode {
            id: parse_id("merge_codes", &id)?,
            code_hash,
            attempts,
            expires_at: utc(expires_at),
        })
    })
    .transpose()
}

/// Counts a wrong try; the code is used up at `max_attempts`.
pub fn record_wrong(
    conn: &mut DbConnection,
    id: MergeCodeId,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let id = id.to_string();
    diesel::update(merge_codes::table.find(&id))
        .set(merge_codes::attempts.eq(merge_codes::attempts + 1))
        .execute(conn)?;
    diesel::update(
        merge_codes::table
            .find(id)
            .filter(merge_codes::attempts.ge(max_attempts))
            .filter(merge_codes::used_at.is_null()),
    )
    .set(merge_codes::used_at.eq(naive(now)))
    .execute(conn)?;
    Ok(())
}

/// Uses a code: true when it was still unused (then it is used now), false otherwise.
pub fn consume(conn: &mut DbConnection, id: MergeCodeId, now: DateTime<Utc>) -> RepoResult<bool> {
    let used = diesel::update(
        merge_codes::table
            .find(id.to_string())
            .filter(merge_codes::used_at.is_null()),
    )
    .set(merge_codes::used_at.eq(naive(now)))
    .execute(conn)?;
    Ok(used == 1)
}
