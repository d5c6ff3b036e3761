//! The caller's documents: upload (inspected by content, within the quota), list, read,
//! download and delete, keeping the metadata rows and the stored bytes in step.

use bytes::Bytes;
use futures_util::Stream;
use merit_domain::{
    ids::{AccountId, DocumentId, EntityId},
    profile::{DocumentKind, DocumentQuota, SafeFileName, settle_format},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, applications, documents, documents::StoredDocument, profiles,
};

use crate::{
    error::{ApiError, Code},
    state::AppState,
    storage::{
        DocumentStore,
        inspect::{Verdict, inspect},
        upload::ReceivedFile,
    },
};

/// A received upload whose form fields were checked.
#[derive(Debug)]
pub struct Upload {
    /// What the document is.
    pub kind: DocumentKind,
    /// The person's title for it.
    pub title: String,
    /// The bytes, waiting in a temporary file.
    pub file: ReceivedFile,
    /// The client's file name, as sent (only ever used to check and to derive a safe name).
    pub file_name: String,
    /// The media type the client declared for the file, if any.
    pub declared_type: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::not_found("document")
}

fn check_quota(
    conn: &mut DbConnection,
    owner: AccountId,
    quota: DocumentQuota,
    size: u64,
) -> Result<(), ApiError> {
    let usage = documents::usage(conn, owner)?;
    quota.admits(usage, size).map_err(|exceeded| {
        ApiError::new(
            Code::DocumentQuotaExceeded,
            format!("This document does not fit: {exceeded}."),
        )
    })
}

/// Stores an upload for `owner`: its content must be an accepted format that agrees with its
/// name and declared type (415 otherwise), and it must fit the quota (409 otherwise).
pub async fn upload(
    state: &AppState,
    owner: AccountId,
    upload: Upload,
) -> Result<StoredDocument, ApiError> {
    let path = upload.file.path().to_owned();
    let verdict = actix_web::web::block(move || inspect(&path))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let format = match verdict {
        Verdict::Format(found) => settle_format(
            Some(found),
            &upload.file_name,
            upload.declared_type.as_deref(),
        )
        .map_err(|e| ApiError::UnsupportedDocumentType {
            detail: format!("This file cannot be accepted: {e}."),
        })?,
        Verdict::Refused(reason) => {
            return Err(ApiError::UnsupportedDocumentType {
                detail: reason.into(),
            });
        }
    };
    let quota = state.settings.document_quota();
    let size = upload.file.size;
    let who = owner.to_owned();
    state
        .db
        .read(move |conn| check_quota(conn, who, quota, size))
        .await?;
    let document = StoredDocument {
        id: DocumentId::from_uuid(uuid::Uuid::now_v7()),
        kind: upload.kind,
        title: upload.title,
        file_name: SafeFileName::sanitise(&upload.file_name, format),
        media_type: format.media_type().to_owned(),
        size_bytes: size,
        sha256: upload.file.sha256.clone(),
        object_key: DocumentStore::new_key(),
        created_at: state.clock.now(),
    };
    // The bytes are stored before the row is written, so a row is only ever visible once its
    // bytes exist. If the row cannot be written (quota reached meanwhile, database down), the
    // bytes are deleted again. Only a crash between the two steps can leave bytes without a
    // row: unreachable by anyone, and never the reverse (a row pointing at nothing).
    state
        .documents
        .put_file(&document.object_key, upload.file.path())
        .await?;
    let (row, who) = (document.clone(), owner.to_owned());
    let written = state
        .db
        .write(move |conn| {
            profiles::lock_person(conn, who)?;
            check_quota(conn, who, quota, row.size_bytes)?;
            Ok(documents::insert(conn, who, &row)?)
        })
        .await;
    if let Err(error) = written {
        if let Err(cleanup) = state.documents.delete(&document.object_key).await {
            tracing::warn!(document.id = %document.id, error = %cleanup, "could not delete the bytes of an upload whose row was not written");
        }
        return Err(error);
    }
    tracing::info!(document.id = %document.id, size = document.size_bytes, "document stored");
    Ok(document)
}

/// A page of the owner's documents.
pub fn list(
    conn: &mut DbConnection,
    owner: AccountId,
    page: PageRequest<'_>,
) -> Result<Page<StoredDocument>, ApiError> {
    Ok(documents::list(conn, owner, page)?)
}

/// One of the owner's documents (404 for anyone else's).
pub fn get(
    conn: &mut DbConnection,
    owner: AccountId,
    id: DocumentId,
) -> Result<StoredDocument, ApiError> {
    documents::find(conn, owner, id)?.ok_or_else(not_found)
}

/// One of the owner's documents and a stream of its bytes.
pub async fn open(
    state: &AppState,
    owner: AccountId,
    id: DocumentId,
) -> Result<
    (
        StoredDocument,
        impl Stream<Item = Result<Bytes, object_store::Error>> + use<>,
    ),
    ApiError,
> {
    let who = owner.to_owned();
    let document = state.db.read(move |conn| get(conn, who, id)).await?;
    let bytes = state.documents.open(&document.object_key).await?;
    Ok((document, bytes))
}

/// Deletes one of the owner's documents, row and bytes.
pub async fn delete(state: &AppState, owner: AccountId, id: DocumentId) -> Result<(), ApiError> {
    let who = owner.to_owned();
    let (deleted, kept) = state
        .db
        .write(move |conn| {
            let deleted = documents::delete(conn, who, id)?.ok_or_else(not_found)?;
            let kept = applications::files::object_key_in_use(conn, &deleted.object_key)?;
            Ok((deleted, kept))
        })
        .await?;
    // A submitted application holds this version: its bytes stay for the department to read.
    if kept {
        return Ok(());
    }
    // The row goes first (committed above), so the document is gone for its owner at once;
    // then the bytes. Should deleting the bytes fail, they are unreachable (no row names them)
    // and the failure is logged: never a row whose bytes are missing.
    if let Err(error) = state.documents.delete(&deleted.object_key).await {
        tracing::warn!(document.id = %deleted.id, error = %error, "could not delete a deleted document's bytes");
    }
    Ok(())
}
