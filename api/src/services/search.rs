//! Searching postings: one use case behind `GET /api/v1/postings` and the results of a saved
//! search. The index answers from memory; this module loads it if it never was, decodes and
//! encodes the opaque cursor (which belongs to one order) and runs the query.

use chrono::{DateTime, Utc};
use merit_domain::{
    ids::SavedSearchId,
    posting::{SearchCriteria, SortOrder, Viewer},
};

use crate::{
    auth::{AuthUser, viewer_of},
    db::Db,
    error::{ApiError, Code},
    paging::{decode_cursor, encode_cursor},
    search::{Found, Query, SearchService, SortKey},
    services::saved_searches,
};

/// Which page of results.
#[derive(Debug, Clone, Default)]
pub struct PageCommand {
    /// How many results (1 to 100, already checked).
    pub limit: usize,
    /// The previous page's `next_cursor`, as the client sent it.
    pub cursor: Option<String>,
}

/// A page of results, with the cursor of the next page.
#[derive(Debug)]
pub struct SearchPage {
    /// What the index found.
    pub found: Found,
    /// The cursor of the next page; `None` on the last.
    pub next_cursor: Option<String>,
}

const CURSOR_LIST: &str = "postings";

fn cursor_of(sort: SortOrder, key: &SortKey) -> String {
    encode_cursor(
        CURSOR_LIST,
        &format!("{}|{}|{}", sort.as_str(), key.primary, key.id),
    )
}

/// Decodes a search cursor; it must belong to the same order.
fn decode_search_cursor(cursor: &str, sort: SortOrder) -> Result<SortKey, ApiError> {
    let text = decode_cursor(CURSOR_LIST, cursor)?;
    let mut parts = text.splitn(3, '|');
    match (
        parts.next(),
        parts.next().and_then(|p| p.parse::<i64>().ok()),
        parts.next(),
    ) {
        (Some(name), Some(primary), Some(id)) if name == sort.as_str() => Ok(SortKey {
            primary,
            id: id.to_owned(),
        }),
        _ => Err(ApiError::new(
            Code::InvalidCursor,
            "The cursor is not one this search gave out (or the order changed). Start again without a cursor.",
        )),
    }
}

/// Searches the open postings `viewer` may see.
pub async fn postings(
    db: &Db,
    index: &SearchService,
    viewer: &Viewer,
    criteria: &SearchCriteria,
    page: &PageCommand,
    now: DateTime<Utc>,
) -> Result<SearchPage, ApiError> {
    let sort = criteria.effective_sort();
    let after = page
        .cursor
        .as_deref()
        .map(|c| decode_search_cursor(c, sort))
        .transpose()?;
    index.ready(db).await?;
    let found = index.search(&Query {
        criteria,
        viewer,
        now,
        after: after.as_ref(),
        limit: page.limit,
    });
    let next_cursor = found
        .has_more
        .then(|| found.hits.last().map(|h| cursor_of(sort, &h.key)))
        .flatten();
    Ok(SearchPage { found, next_cursor })
}

/// The current results of one of `user`'s saved searches, as [`postings`] gives them to them.
pub async fn saved_search_results(
    db: &Db,
    index: &SearchService,
    user: &AuthUser,
    id: SavedSearchId,
    page: &PageCommand,
    now: DateTime<Utc>,
) -> Result<SearchPage, ApiError> {
    let owner = user.id();
    let saved = db
        .read(move |conn| saved_searches::get(conn, owner, id))
        .await?;
    postings(
        db,
        index,
        &viewer_of(Some(user)),
        &saved.criteria,
        page,
        now,
    )
    .await
}
