//! Document handlers: the owner's documents only (anyone else's id is 404).

use actix_web::{
    HttpRequest, HttpResponse, delete, get,
    http::header::{self, ContentDisposition, DispositionParam, DispositionType, ExtendedValue},
    post, web,
};
use merit_domain::ids::DocumentId;

use super::{
    dto::{DocumentContent, DocumentQuery, DocumentResponse, DocumentUpload},
    multipart,
};
use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{PathId, Query},
    openapi::{Conflict, NotFound},
    paging::{PageResponse, Paging},
    services::documents,
    state::AppState,
};

/// List my documents
///
/// The caller's documents, newest first.
#[utoipa::path(
    tag = "documents",
    security(("bearer" = [])),
    params(DocumentQuery),
    responses((status = 200, description = "A page of documents.", body = PageResponse<DocumentResponse>))
)]
#[get("/me/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<DocumentQuery>,
) -> Result<web::Json<PageResponse<DocumentResponse>>, ApiError> {
    let paging = Paging::parse("documents", query.limit, query.cursor.as_deref())?;
    let owner = user.account.id;
    paging
        .read(
            &state.db,
            move |conn, page| documents::list(conn, owner, page),
            |d| d.id,
            DocumentResponse::new,
        )
        .await
}

/// Upload a document
///
/// A `multipart/form-data` form with `kind`, `title` and `file`. The file's type is settled
/// from its content (PDF, DOCX, DOC, ODT, RTF, plain text, PNG, JPEG) and must agree with its
/// name and declared type (415 `unsupported_document_type` otherwise); it may be at most
/// 10 MiB (413, before the rest of the body is read); a person keeps at most 50 documents and
/// 100 MiB (409 `document_quota_exceeded`). The SHA-256 of the bytes is returned.
#[utoipa::path(
    tag = "documents",
    security(("bearer" = [])),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (
            status = 201,
            description = "Stored.",
            body = DocumentResponse,
            headers(("Location" = String, description = "The new document's URL."))
        ),
        (status = 409, response = Conflict),
    )
)]
#[post("/me/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let max_bytes = state.settings.documents_max_bytes;
    let upload = multipart::read(&req, payload, state.documents.uploads_dir(), max_bytes).await?;
    let stored = documents::upload(&state, user.id(), upload).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/me/documents/{}", stored.id),
        ))
        .json(DocumentResponse::new(stored)))
}

/// Read a document's metadata
///
/// Kind, title, file name, media type, size and SHA-256 of one of the caller's documents;
/// another person's is 404. The bytes are at `/content`.
#[utoipa::path(
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The document's id.")),
    responses((status = 200, description = "The document's metadata.", body = DocumentResponse), (status = 404, response = NotFound))
)]
#[get("/me/documents/{id}")]
pub async fn get_document(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<DocumentId>,
) -> Result<web::Json<DocumentResponse>, ApiError> {
    let owner = user.account.id;
    let found = state
        .db
        .read(move |conn| documents::get(conn, owner, id))
        .await?;
    Ok(web::Json(DocumentResponse::new(found)))
}

/// Download a document
///
/// The bytes as uploaded, as an attachment with a safe file name (never displayed inline), as
/// `application/octet-stream`; the document's real media type is in its metadata.
#[utoipa::path(
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The document's id.")),
    responses(
        (
            status = 200,
            description = "The document's bytes, always sent as `application/octet-stream` (one media type, so clients, generated ones included, hand back bytes and nothing renders them). The real media type is the document's `media_type` (`GET /api/v1/me/documents/{id}`): `application/pdf`, `application/vnd.openxmlformats-officedocument.wordprocessingml.document`, `application/msword`, `application/vnd.oasis.opendocument.text`, `application/rtf`, `text/plain`, `image/png` or `image/jpeg`; the file name in `Content-Disposition` carries the matching extension.",
            content((DocumentContent = "application/octet-stream")),
            headers(
                ("Content-Disposition" = String, description = "`attachment` with the safe file name, in ASCII and in UTF-8 (RFC 6266)."),
                ("ETag" = String, description = "The SHA-256 of the bytes, in quotes.")
            )
        ),
        (status = 404, response = NotFound),
    )
)]
#[get("/me/documents/{id}/content")]
pub async fn download_document(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<DocumentId>,
) -> Result<HttpResponse, ApiError> {
    let (document, bytes) = documents::open(&state, user.id(), id).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(document.file_name.ascii_fallback()),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: document.file_name.as_str().as_bytes().to_vec(),
            }),
        ],
    };
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(disposition)
        .insert_header((header::ETAG, format!("\"{}\"", document.sha256)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .no_chunking(document.size_bytes)
        .streaming(bytes))
}

/// Delete a document
///
/// Removes the document and its bytes.
#[utoipa::path(
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The document's id.")),
    responses((status = 204, description = "Deleted."), (status = 404, response = NotFound))
)]
#[delete("/me/documents/{id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<DocumentId>,
) -> Result<HttpResponse, ApiError> {
    documents::delete(&state, user.id(), id).await?;
    Ok(HttpResponse::NoContent().finish())
}
