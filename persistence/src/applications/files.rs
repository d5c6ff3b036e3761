//! The document versions frozen at submission, kept by content hash and object key: the
//! bytes stay in the store while a row here names them.

use diesel::prelude::*;
use merit_domain::ids::ApplicationId;

use crate::{
    DbConnection, documents::StoredDocument, error::RepoResult, schema::application_files as f,
};

/// A frozen document version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = f)]
pub struct FrozenFile {
    /// The document's id when it was attached (it may since have been deleted).
    pub document_id: String,
    /// Its kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its sanitised file name.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size.
    pub size_bytes: i64,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Where the bytes are.
    pub object_key: String,
}

impl FrozenFile {
    /// Freezes a stored document's current version.
    pub fn of(d: &StoredDocument) -> FrozenFile {
        FrozenFile {
            document_id: d.id.to_string(),
            kind: d.kind.as_str().to_owned(),
            title: d.title.clone(),
            file_name: d.file_name.as_str().to_owned(),
            media_type: d.media_type.clone(),
            size_bytes: i64::try_from(d.size_bytes).unwrap_or(i64::MAX),
            sha256: d.sha256.clone(),
            object_key: d.object_key.clone(),
        }
    }
}

/// Freezes `files` into application `id`, in order.
pub fn insert(conn: &mut DbConnection, id: ApplicationId, files: &[FrozenFile]) -> RepoResult<()> {
    for (position, file) in files.iter().enumerate() {
        diesel::insert_into(f::table)
            .values((
                f::application_id.eq(id.to_string()),
                f::document_id.eq(&file.document_id),
                f::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                f::kind.eq(&file.kind),
                f::title.eq(&file.title),
                f::file_name.eq(&file.file_name),
                f::media_type.eq(&file.media_type),
                f::size_bytes.eq(file.size_bytes),
                f::sha256.eq(&file.sha256),
                f::object_key.eq(&file.object_key),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The files frozen in application `id`, in order.
pub fn of(conn: &mut DbConnection, id: ApplicationId) -> RepoResult<Vec<FrozenFile>> {
    Ok(f::table
        .filter(f::application_id.eq(id.to_string()))
        .order(f::position.asc())
        .select(FrozenFile::as_select())
        .load(conn)?)
}

/// Whether any submitted application still holds the bytes under `object_key`.
pub fn object_key_in_use(conn: &mut DbConnection, object_key: &str) -> RepoResult<bool> {
    let found: Option<String> = f::table
        .filter(f::object_key.eq(object_key))
        .select(f::document_id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}
