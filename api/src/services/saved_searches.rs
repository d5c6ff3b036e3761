//! Saved searches: a person's named search criteria, run again on demand.

use chrono::{DateTime, Utc};
use merit_domain::{
    ids::{AccountId, EntityId, SavedSearchId},
    posting::SearchCriteria,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, profiles, saved_searches,
    saved_searches::SavedSearch,
};

use crate::error::{ApiError, Code};

fn not_found() -> ApiError {
    ApiError::not_found("saved search")
}

fn name_taken(error: RepoError) -> ApiError {
    match error {
        RepoError::Conflict { constraint } if constraint == "saved_searches_name_key" => {
            ApiError::new(
                Code::SavedSearchNameTaken,
                "You already have a saved search with this name.",
            )
        }
        other => other.into(),
    }
}

/// Saves a search for `owner`, refusing more than `limit`. Call in a write transaction: the
/// person is locked first, so two saves at once cannot both pass the count.
pub fn create(
    conn: &mut DbConnection,
    owner: AccountId,
    name: &str,
    criteria: &SearchCriteria,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<SavedSearch, ApiError> {
    profiles::lock_person(conn, owner)?;
    if saved_searches::count_for(conn, owner)? >= i64::from(limit) {
        return Err(ApiError::new(
            Code::SavedSearchLimitReached,
            format!("You can keep at most {limit} saved searches. Delete one first."),
        ));
    }
    let search = SavedSearch {
        id: SavedSearchId::from_uuid(uuid::Uuid::now_v7()),
        account_id: owner,
        name: name.to_owned(),
        criteria: criteria.clone(),
        created_at: now,
        updated_at: now,
    };
    saved_searches::insert(conn, &search).map_err(name_taken)?;
    Ok(search)
}

/// A page of the owner's saved searches, oldest first.
pub fn list(
    conn: &mut DbConnection,
    owner: AccountId,
    after: Option<&str>,
    limit: merit_domain::paging::PageLimit,
) -> Result<Page<SavedSearch>, ApiError> {
    Ok(saved_searches::list_own(
        conn,
        owner,
        PageRequest { after, limit },
    )?)
}

/// One of the owner's saved searches; another person's is 404.
pub fn get(
    conn: &mut DbConnection,
    owner: AccountId,
    id: SavedSearchId,
) -> Result<SavedSearch, ApiError> {
    saved_searches::find_own(conn, owner, id)?.ok_or_else(not_found)
}

/// Replaces the name and criteria of the owner's saved search.
pub fn update(
    conn: &mut DbConnection,
    owner: AccountId,
    id: SavedSearchId,
    name: &str,
    criteria: &SearchCriteria,
    now: DateTime<Utc>,
) -> Result<SavedSearch, ApiError> {
    if !saved_searches::update_own(conn, owner, id, name, criteria, now).map_err(name_taken)? {
        return Err(not_found());
    }
    get(conn, owner, id)
}

/// Deletes the owner's saved search.
pub fn delete(
    conn: &mut DbConnection,
    owner: AccountId,
    id: SavedSearchId,
) -> Result<(), ApiError> {
    if saved_searches::delete_own(conn, owner, id)? {
        Ok(())
    } else {
        Err(not_found())
    }
}
