//! Documents' metadata. The bytes live in the object store under `object_key`; this table is
//! what a person owns, and the use cases keep the two in step.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    ids::{AccountId, DocumentId},
    profile::{DocumentKind, DocumentUsage, SafeFileName},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::documents as d,
    time::{naive, utc},
};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = d)]
struct DocumentRow {
    id: String,
    kind: String,
    title: String,
    file_name: String,
    media_type: String,
    size_bytes: i64,
    sha256: String,
    object_key: String,
    created_at: NaiveDateTime,
}

/// A stored document's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Its id.
    pub id: DocumentId,
    /// What it is.
    pub kind: DocumentKind,
    /// The person's title for it.
    pub title: String,
    /// The sanitised file name offered on download.
    pub file_name: SafeFileName,
    /// The media type settled from its content.
    pub media_type: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of its bytes, in lower-case hex.
    pub sha256: String,
    /// Where its bytes are in the object store.
    pub object_key: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

impl DocumentRow {
    fn into_stored(self) -> RepoResult<StoredDocument> {
        Ok(StoredDocument {
            kind: self.kind.parse().map_err(|e| RepoError::InvalidRow {
                table: "documents",
                reason: format!("{e}"),
            })?,
            size_bytes: u64::try_from(self.size_bytes).unwrap_or_default(),
            id: DocumentId::parse(&self.id).map_err(|e| RepoError::InvalidRow {
                table: "documents",
                reason: e.to_string(),
            })?,
            title: self.title,
            file_name: SafeFileName::from_stored(self.file_name),
            media_type: self.media_type,
            sha256: self.sha256,
            object_key: self.object_key,
            created_at: utc(self.created_at),
        })
    }
}

/// How many documents a person has and their total size.
pub fn usage(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<DocumentUsage> {
    // SUM(BIGINT) is NUMERIC on PostgreSQL, which the shared schema cannot read; a person has
    // at most a few dozen documents, so add their sizes here.
    let sizes: Vec<i64> = d::table
        .filter(d::account_id.eq(account_id.to_string()))
        .select(d::size_bytes)
        .load(conn)?;
    Ok(DocumentUsage {
        files: sizes.len() as u64,
        bytes: sizes
            .iter()
            .map(|s| u64::try_from(*s).unwrap_or_default())
            .sum(),
    })
}

/// Inserts a document's metadata; its bytes must already be in the store.
pub fn insert(
    conn: &mut DbConnection,
    account_id: AccountId,
    document: &StoredDocument,
) -> RepoResult<()> {
    diesel::insert_into(d::table)
        .values((
            d::id.eq(document.id.to_string()),
            d::account_id.eq(account_id.to_string()),
            d::kind.eq(document.kind.as_str()),
            d::title.eq(&document.title),
            d::file_name.eq(document.file_name.as_str()),
            d::media_type.eq(&document.media_type),
            d::size_bytes.eq(i64::try_from(document.size_bytes).unwrap_or(i64::MAX)),
            d::sha256.eq(&document.sha256),
            d::object_key.eq(&document.object_key),
            d::created_at.eq(naive(document.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A person's document; `None` when it does not exist or is someone else's.
pub fn find(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: DocumentId,
) -> RepoResult<Option<StoredDocument>> {
    d::table
        .filter(d::id.eq(id.to_string()))
        .filter(d::account_id.eq(account_id.to_string()))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .map(DocumentRow::into_stored)
        .transpose()
}

/// A page of a person's documents, newest first.
pub fn list(
    conn: &mut DbConnection,
    account_id: AccountId,
    page: PageRequest<'_>,
) -> RepoResult<Page<StoredDocument>> {
    let mut query = d::table
        .filter(d::account_id.eq(account_id.to_string()))
        .select(DocumentRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(d::id.lt(after.to_owned()));
    }
    let rows: Vec<DocumentRow> = query.order(d::id.desc()).limit(page.fetch()).load(conn)?;
    let items = rows
        .into_iter()
        .map(DocumentRow::into_stored)
        .collect::<RepoResult<_>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// Every document of a person, newest first.
pub fn all(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Vec<StoredDocument>> {
    let rows: Vec<DocumentRow> = d::table
        .filter(d::account_id.eq(account_id.to_string()))
        .select(DocumentRow::as_select())
        .order(d::id.desc())
        .load(conn)?;
    rows.into_iter().map(DocumentRow::into_stored).collect()
}

/// Deletes a person's document's row and answers what it was (its object key is needed to
/// delete the bytes); `None` when there was none.
pub fn delete(
    conn: &mut DbConnection,
    account_id: AccountId,
    id: DocumentId,
) -> RepoResult<Option<StoredDocument>> {
    let Some(found) = find(conn, account_id, id)? else {
        return Ok(None);
    };
    diesel::delete(
        d::table
            .filter(d::id.eq(id.to_string()))
            .filter(d::account_id.eq(account_id.to_string())),
    )
    .execute(conn)?;
    Ok(Some(found))
}

/// Which of `keys` some document's row names (the sweeper spares those bytes).
pub fn named_object_keys(conn: &mut DbConnection, keys: &[String]) -> RepoResult<Vec<String>> {
    Ok(d::table
        .filter(d::object_key.eq_any(keys))
        .select(d::object_key)
        .load(conn)?)
}
