//! Postings marked filled.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::{AccountId, PostingId};

use crate::{
    DbConnection,
    error::RepoResult,
    schema::posting_fills as f,
    time::{naive, utc},
};

/// When a posting was marked filled, if it was.
pub fn filled_at(conn: &mut DbConnection, posting: PostingId) -> RepoResult<Option<DateTime<Utc>>> {
    let at: Option<NaiveDateTime> = f::table
        .find(posting.to_string())
        .select(f::filled_at)
        .first(conn)
        .optional()?;
    Ok(at.map(utc))
}

/// Marks a posting filled; a second time is a `Conflict` on `posting_fills_pkey`.
pub fn insert(
    conn: &mut DbConnection,
    posting: PostingId,
    by: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(f::table)
        .values((
            f::posting_id.eq(posting.to_string()),
            f::filled_at.eq(naive(now)),
            f::filled_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}
