//! Application templates: several named templates per person, at most one the default, each
//! with its content as JSON text and a version that grows with every save.

pub(crate) mod content;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    ids::{AccountId, TemplateId},
    profile::TemplateContent,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::application_templates as t,
    time::{naive, utc},
};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = t)]
struct TemplateRow {
    id: String,
    name: String,
    is_default: bool,
    content: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A saved template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    /// Its id.
    pub id: TemplateId,
    /// Its name, unique among the person's templates (ignoring letter case).
    pub name: String,
    /// Whether it is the person's default template.
    pub is_default: bool,
    /// What it holds.
    pub content: TemplateContent,
    /// Starts at 1 and grows by one with each save.
    pub version: i64,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

impl TemplateRow {
    fn into_stored(self) -> RepoResult<StoredTemplate> {
        Ok(StoredTemplate {
            content: content::from_json(&self.content)?,
            id: TemplateId::parse(&self.id).map_err(|e| RepoError::InvalidRow {
                table: "templates",
                reason: e.to_string(),
            })?,
            name: self.name,
            is_default: self.is_default,
            version: self.version,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

/// A template's name as compared for uniqueness.
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// What a save writes.
#[derive(Debug, Clone, Copy)]
pub struct TemplateWrite<'a> {
    /// The name.
    pub name: &'a str,
    /// Whether it becomes (or stays) the default.
    pub is_default: bool,
    /// The content.
    pub content: &'a TemplateContent,
}

/// How many templates a person has.
pub fn count(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<i64> {
    Ok(t::table
        .filter(t::account_id.eq(account_id.to_string()))
        .count()
        .get_result(conn)?)
}

/// A person's template by id; `None` when it does not exist or is someone else's.
pub fn find(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: TemplateId,
) -> RepoResult<Option<StoredTemplate>> {
    t::table
        .filter(t::id.eq(id.to_string()))
        .filter(t::account_id.eq(account_id.to_string()))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?
        .map(TemplateRow::into_stored)
        .transpose()
}

/// A page of a person's templates, oldest first.
pub fn list(
    conn: &mut DbConnection,
    account_id: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<StoredTemplate>> {
    let mut query = t::table
        .filter(t::account_id.eq(account_id.to_string()))
        .select(TemplateRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(t::id.gt(after.to_owned()));
    }
    let rows: Vec<TemplateRow> = query.order(t::id.asc()).limit(page.fetch()).load(conn)?;
    let items = rows
        .into_iter()
        .map(TemplateRow::into_stored)
        .collect::<RepoResult<_>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// Every template of a person, oldest first (there are at most a few dozen).
pub fn all(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Vec<StoredTemplate>> {
    let rows: Vec<TemplateRow> = t::table
        .filter(t::account_id.eq(account_id.to_string()))
        .select(TemplateRow::as_select())
        .order(t::id.asc())
        .load(conn)?;
    rows.into_iter().map(TemplateRow::into_stored).collect()
}

/// Makes no template of the person the default, except `keep`.
pub fn clear_default(
    conn: &mut DbConnection,
    account_id: AccountId,
    keep: TemplateId,
) -> RepoResult<()> {
    diesel::update(
        t::table
            .filter(t::account_id.eq(account_id.to_string()))
            .filter(t::is_default.eq(true))
            .filter(t::id.ne(keep.to_string())),
    )
    .set(t::is_default.eq(false))
    .execute(conn)?;
    Ok(())
}

/// Inserts a template (version 1). A taken name is a `Conflict` on
/// `application_templates_name_key`; clear the default first when this one is the default.
pub fn insert(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: TemplateId,
    write: TemplateWrite<'_>,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(t::table)
        .values((
            t::id.eq(id.to_string()),
            t::account_id.eq(account_id.to_string()),
            t::name.eq(write.name),
            t::name_key.eq(name_key(write.name)),
            t::is_default.eq(write.is_default),
            t::content.eq(content::to_json(write.content)?),
            t::version.eq(1_i64),
            t::created_at.eq(naive(now)),
            t::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces a template read at `read_version`. Answers `false`, changing nothing, when it was
/// saved since (or does not exist).
pub fn update(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: TemplateId,
    read_version: i64,
    write: TemplateWrite<'_>,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let updated = diesel::update(
        t::table
            .filter(t::id.eq(id.to_string()))
            .filter(t::account_id.eq(account_id.to_string()))
            .filter(t::version.eq(read_version)),
    )
    .set((
        t::name.eq(write.name),
        t::name_key.eq(name_key(write.name)),
        t::is_default.eq(write.is_default),
        t::content.eq(content::to_json(write.content)?),
        t::version.eq(read_version + 1),
        t::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes a person's template; `false` when there was none.
pub fn delete(conn: &mut DbConnection, account_id: AccountId, id: TemplateId) -> RepoResult<bool> {
    let deleted = diesel::delete(
        t::table
            .filter(t::id.eq(id.to_string()))
            .filter(t::account_id.eq(account_id.to_string())),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}
