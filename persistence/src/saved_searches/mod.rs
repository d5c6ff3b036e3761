//! Saved searches: named criteria, kept as versioned JSON (see [`criteria`]).

pub mod criteria;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    ids::{AccountId, SavedSearchId},
    posting::SearchCriteria,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::saved_searches,
    time::{naive, utc},
};

/// A stored saved search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// Opaque id.
    pub id: SavedSearchId,
    /// Its owner.
    pub account_id: AccountId,
    /// Its name, unique per person.
    pub name: String,
    /// What it searches for.
    pub criteria: SearchCriteria,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = saved_searches)]
struct SavedSearchRow {
    id: String,
    account_id: String,
    name: String,
    criteria: String,
    criteria_version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<SavedSearchRow> for SavedSearch {
    type Error = RepoError;
    fn try_from(r: SavedSearchRow) -> RepoResult<Self> {
        Ok(SavedSearch {
            criteria: criteria::decode(r.criteria_version, &r.criteria)?,
            id: SavedSearchId::parse(&r.id).map_err(|e| RepoError::InvalidRow {
                table: "saved_searches",
                reason: e.to_string(),
            })?,
            account_id: crate::error::parse_id("saved_searches", &r.account_id)?,
            name: r.name,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

fn searches(rows: Vec<SavedSearchRow>) -> RepoResult<Vec<SavedSearch>> {
    rows.into_iter().map(SavedSearch::try_from).collect()
}

/// Stores a new saved search. A name the owner already uses is a `Conflict` on
/// `saved_searches_name_key`.
pub fn insert(conn: &mut DbConnection, search: &SavedSearch) -> RepoResult<()> {
    let row = SavedSearchRow {
        id: search.id.to_string(),
        account_id: search.account_id.to_string(),
        name: search.name.clone(),
        criteria: criteria::encode(&search.criteria)?,
        criteria_version: criteria::CURRENT,
        created_at: naive(search.created_at),
        updated_at: naive(search.updated_at),
    };
    diesel::insert_into(saved_searches::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// How many saved searches an account has.
pub fn count_for(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<i64> {
    Ok(saved_searches::table
        .filter(saved_searches::account_id.eq(account_id.to_string()))
        .count()
        .get_result(conn)?)
}

/// One of the owner's saved searches (another person's id is not found).
pub fn find_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: SavedSearchId,
) -> RepoResult<Option<SavedSearch>> {
    saved_searches::table
        .find(id.to_string())
        .filter(saved_searches::account_id.eq(account_id.to_string()))
        .select(SavedSearchRow::as_select())
        .first(conn)
        .optional()?
        .map(SavedSearch::try_from)
        .transpose()
}

/// The owner's saved searches, oldest first.
pub fn list_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<SavedSearch>> {
    let mut query = saved_searches::table
        .filter(saved_searches::account_id.eq(account_id.to_string()))
        .select(SavedSearchRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(saved_searches::id.gt(after.to_owned()));
    }
    let rows: Vec<SavedSearchRow> = query
        .order(saved_searches::id.asc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(searches(rows)?, page.limit))
}

/// All of the owner's saved searches, oldest first (a person has a few dozen at most).
pub fn all_own(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Vec<SavedSearch>> {
    let rows: Vec<SavedSearchRow> = saved_searches::table
        .filter(saved_searches::account_id.eq(account_id.to_string()))
        .select(SavedSearchRow::as_select())
        .order(saved_searches::id.asc())
        .load(conn)?;
    searches(rows)
}

/// Replaces the name and criteria of the owner's saved search; false when it is not theirs.
pub fn update_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: SavedSearchId,
    name: &str,
    criteria: &SearchCriteria,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let criteria = criteria::encode(criteria)?;
    let changed = diesel::update(
        saved_searches::table
            .find(id.to_string())
            .filter(saved_searches::account_id.eq(account_id.to_string())),
    )
    .set((
        saved_searches::name.eq(name),
        saved_searches::criteria.eq(criteria),
        saved_searches::criteria_version.eq(criteria::CURRENT),
        saved_searches::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes the owner's saved search; false when it is not theirs.
pub fn delete_own(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: SavedSearchId,
) -> RepoResult<bool> {
    let deleted = diesel::delete(
        saved_searches::table
            .find(id.to_string())
            .filter(saved_searches::account_id.eq(account_id.to_string())),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}
