//! Lists of applications: a person's own, and a posting's for its department.

use diesel::prelude::*;
use merit_domain::{
    application::ApplicationStatus,
    ids::{AccountId, PostingId},
};

use super::{Application, ApplicationRow, load};
use crate::{
    DbConnection,
    error::RepoResult,
    paging::{Page, PageRequest},
    schema::applications as a,
};

const OPEN: [&str; 6] = [
    "received",
    "under_review",
    "eligible",
    "referred",
    "interview",
    "offer",
];

/// A page of a person's applications (drafts included), newest first; the key is the id.
pub fn list_mine(
    conn: &mut DbConnection,
    account: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Application>> {
    let mut query = a::table
        .filter(a::account_id.eq(account.to_string()))
        .select(ApplicationRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(a::id.lt(after.to_owned()));
    }
    let rows = query.order(a::id.desc()).limit(page.fetch()).load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}

/// A page of a posting's submitted applications in the department's order (rank band, score,
/// submission); the key is the sort key. `status` keeps only applications with that status.
pub fn list_for_posting(
    conn: &mut DbConnection,
    posting: PostingId,
    status: Option<ApplicationStatus>,
    page: PageRequest<'_>,
) -> RepoResult<Page<Application>> {
    let mut query = a::table
        .filter(a::posting_id.eq(posting.to_string()))
        .filter(a::sort_key.is_not_null())
        .select(ApplicationRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(a::status.eq(status.as_str()));
    }
    if let Some(after) = page.after {
        query = query.filter(a::sort_key.gt(after.to_owned()));
    }
    let rows = query
        .order(a::sort_key.asc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}

/// Every open application of a posting (submitted, not final), in the department's order.
pub fn open_for_posting(
    conn: &mut DbConnection,
    posting: PostingId,
) -> RepoResult<Vec<Application>> {
    let rows = a::table
        .filter(a::posting_id.eq(posting.to_string()))
        .filter(a::status.eq_any(OPEN))
        .order(a::sort_key.asc())
        .select(ApplicationRow::as_select())
        .load(conn)?;
    load(rows)
}

/// How many applications of a posting have no final status yet.
pub fn count_open(conn: &mut DbConnection, posting: PostingId) -> RepoResult<i64> {
    Ok(a::table
        .filter(a::posting_id.eq(posting.to_string()))
        .filter(a::status.eq_any(OPEN))
        .count()
        .get_result(conn)?)
}

/// Whether a person has a submitted application (any status but draft) to a posting.
pub fn submitted_to(
    conn: &mut DbConnection,
    account: AccountId,
    posting: PostingId,
) -> RepoResult<bool> {
    let found: Option<String> = a::table
        .filter(a::account_id.eq(account.to_string()))
        .filter(a::posting_id.eq(posting.to_string()))
        .filter(a::status.ne("draft"))
        .select(a::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The sync key of an application: its last change, then its id.
pub fn change_key(application: &Application) -> String {
    format!(
        "{}_{}",
        application.updated_at.timestamp_micros(),
        application.id
    )
}

fn parse_change_key(key: &str) -> Option<(chrono::NaiveDateTime, String)> {
    let (micros, id) = key.split_once('_')?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    id.parse::<merit_domain::ids::ApplicationId>().ok()?;
    Some((crate::time::naive(at), id.to_owned()))
}

/// Whether `key` is a key [`change_key`] could have made.
pub fn is_change_key(key: &str) -> bool {
    parse_change_key(key).is_some()
}

/// A page of a posting's submitted applications (withdrawn and final ones included) changed
/// at or after `since` and at or before `settled`, ordered by (last change, id); the key is
/// [`change_key`]. `status` keeps only applications with that status.
pub fn changed_for_posting(
    conn: &mut DbConnection,
    posting: PostingId,
    status: Option<ApplicationStatus>,
    since: chrono::DateTime<chrono::Utc>,
    settled: chrono::DateTime<chrono::Utc>,
    page: PageRequest<'_>,
) -> RepoResult<Page<Application>> {
    let mut query = a::table
        .filter(a::posting_id.eq(posting.to_string()))
        .filter(a::sort_key.is_not_null())
        .filter(a::updated_at.ge(crate::time::naive(since)))
        .filter(a::updated_at.le(crate::time::naive(settled)))
        .select(ApplicationRow::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(a::status.eq(status.as_str()));
    }
    if let Some(after) = page.after {
        let (at, id) =
            parse_change_key(after).ok_or_else(|| crate::error::RepoError::InvalidRow {
                table: "applications",
                reason: format!("cursor: {after}"),
            })?;
        query = query.filter(
            a::updated_at
                .gt(at)
                .or(a::updated_at.eq(at).and(a::id.gt(id))),
        );
    }
    let rows = query
        .order((a::updated_at.asc(), a::id.asc()))
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}
