//! Reference data use cases.

use merit_domain::{paging::PageLimit, reference::Office};
use merit_persistence::{DbConnection, Page, PageRequest, RepoResult, reference::ReferenceFilter};

use crate::error::{ApiError, Code};

/// A checked request for one page of a reference list.
#[derive(Debug, Clone)]
pub struct ReferenceList {
    /// Exact code, already in the list's letter case.
    pub code: Option<String>,
    /// Case-insensitive name prefix.
    pub name_prefix: Option<String>,
    /// The last code already seen.
    pub after: Option<String>,
    /// Page size.
    pub limit: PageLimit,
}

/// A repository list function of one reference table.
pub type ListFn<T> =
    fn(&mut DbConnection, ReferenceFilter<'_>, PageRequest<'_>) -> RepoResult<Page<T>>;

/// One page of a reference list.
pub fn list<T>(
    conn: &mut DbConnection,
    request: &ReferenceList,
    fetch: ListFn<T>,
) -> Result<Page<T>, ApiError> {
    let filter = ReferenceFilter {
        code: request.code.as_deref(),
        name_prefix: request.name_prefix.as_deref(),
    };
    Ok(fetch(
        conn,
        filter,
        PageRequest {
            after: request.after.as_deref(),
            limit: request.limit,
        },
    )?)
}

/// Stores new reference data; an existing code is 409 `already_exists`.
pub fn create<T>(
    conn: &mut DbConnection,
    item: &T,
    insert: fn(&mut DbConnection, &T) -> RepoResult<()>,
    what: &str,
) -> Result<(), ApiError> {
    insert(conn, item).map_err(|e| match e {
        merit_persistence::RepoError::Conflict { .. } => ApiError::new(
            Code::AlreadyExists,
            format!("A {what} with this code already exists."),
        ),
        other => other.into(),
    })
}

/// Stores a new office, whose county must exist.
pub fn create_office(conn: &mut DbConnection, office: &Office) -> Result<(), ApiError> {
    if merit_persistence::reference::find_location(conn, office.county.as_str())?.is_none() {
        return Err(ApiError::invalid(
            "county_code",
            "unknown_county",
            format!("No location has the code {}.", office.county),
        ));
    }
    create(
        conn,
        office,
        merit_persistence::reference::insert_office,
        "office",
    )
}
