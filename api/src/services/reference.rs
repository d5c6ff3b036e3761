//! Reference data use cases.

use merit_domain::{
    paging::PageLimit,
    reference::{Classification, Department, Location, Office},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoResult,
    reference::{self as repo, ReferenceFilter},
};

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

/// One kind of reference data: how its table is listed and added to.
pub trait ReferenceItem: Sized {
    /// What one item is called in a problem's detail.
    const WHAT: &'static str;
    /// The repository's page of a list.
    fn fetch(
        conn: &mut DbConnection,
        filter: ReferenceFilter<'_>,
        page: PageRequest<'_>,
    ) -> RepoResult<Page<Self>>;
    /// The repository's insert.
    fn insert(conn: &mut DbConnection, item: &Self) -> RepoResult<()>;
}

macro_rules! reference_item {
    ($item:ty, $what:literal, $list:path, $insert:path) => {
        impl ReferenceItem for $item {
            const WHAT: &'static str = $what;
            fn fetch(
                conn: &mut DbConnection,
                filter: ReferenceFilter<'_>,
                page: PageRequest<'_>,
            ) -> RepoResult<Page<Self>> {
                $list(conn, filter, page)
            }
            fn insert(conn: &mut DbConnection, item: &Self) -> RepoResult<()> {
                $insert(conn, item)
            }
        }
    };
}

reference_item!(
    Department,
    "department",
    repo::list_departments,
    repo::insert_department
);
reference_item!(
    Classification,
    "classification",
    repo::list_classifications,
    repo::insert_classification
);
reference_item!(
    Location,
    "location",
    repo::list_locations,
    repo::insert_location
);
reference_item!(Office, "office", repo::list_offices, repo::insert_office);

/// One page of a reference list.
pub fn list<T: ReferenceItem>(
    conn: &mut DbConnection,
    request: &ReferenceList,
) -> Result<Page<T>, ApiError> {
    let filter = ReferenceFilter {
        code: request.code.as_deref(),
        name_prefix: request.name_prefix.as_deref(),
    };
    Ok(T::fetch(
        conn,
        filter,
        PageRequest {
            after: request.after.as_deref(),
            limit: request.limit,
        },
    )?)
}

/// Stores new reference data; an existing code is 409 `already_exists`.
pub fn create<T: ReferenceItem>(conn: &mut DbConnection, item: &T) -> Result<(), ApiError> {
    T::insert(conn, item).map_err(|e| match e {
        merit_persistence::RepoError::Conflict { .. } => ApiError::new(
            Code::AlreadyExists,
            format!("A {} with this code already exists.", T::WHAT),
        ),
        other => other.into(),
    })
}

/// Stores a new office, whose county must exist.
pub fn create_office(conn: &mut DbConnection, office: &Office) -> Result<(), ApiError> {
    if repo::find_location(conn, office.county.as_str())?.is_none() {
        return Err(ApiError::invalid(
            "county_code",
            "unknown_county",
            format!("No location has the code {}.", office.county),
        ));
    }
    create(conn, office)
}
