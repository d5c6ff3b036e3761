//! The department's side: a posting's applications, moves, stages, documents and filling.

use actix_web::{
    HttpResponse, get,
    http::header::{
        self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
    },
    post, web,
};
use merit_domain::ids::{ApplicationId, DocumentId, PostingId};

use super::{
    convert::{bulk_ids, move_command},
    department_dto::*,
    handlers::application_id,
};
use crate::{
    auth::AuthUser,
    conditional::IfMatch,
    error::ApiError,
    extract::{Json, PathId, Query, path_id},
    openapi::{Conflict, NotFound, PreconditionFailed, PreconditionRequired},
    paging::{PageResponse, Paging},
    routes::documents::DocumentContent,
    services::applications::{self as service, BulkCommand, etag},
    state::AppState,
};

/// A posting's applications
///
/// For employers of the posting's department and admins: submitted applications ordered by
/// rank band, then score (from the eligible list at submission), then submission time, each
/// with the applicant's name and contact as submitted and whether their conditions of
/// employment fit the posting. `status` keeps one status only.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id."), ApplicationListQuery),
    responses(
        (status = 200, description = "A page of applications.", body = PageResponse<DepartmentApplicationRow>),
        (status = 404, response = NotFound),
    )
)]
#[get("/postings/{id}/applications")]
pub async fn list_posting_applications(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(posting): PathId<PostingId>,
    Query(query): Query<ApplicationListQuery>,
) -> Result<web::Json<PageResponse<DepartmentApplicationRow>>, ApiError> {
    let status = query.status.map(Into::into);
    if let Some(since) = query.updated_since {
        let list = "posting-application-changes";
        let now = state.clock.now();
        return Paging::parse(list, query.limit, query.cursor.as_deref())?
            .keyed(merit_persistence::applications::is_change_key)?
            .read(
                &state.db,
                move |conn, page| {
                    service::changes_for_posting(conn, &user, posting, status, since, page, now)
                },
                merit_persistence::applications::change_key,
                DepartmentApplicationRow::new,
            )
            .await;
    }
    Paging::parse("posting-applications", query.limit, query.cursor.as_deref())?
        .read(
            &state.db,
            move |conn, page| service::list_for_posting(conn, &user, posting, status, page),
            |a| {
                a.summary
                    .as_ref()
                    .map_or(String::new(), |s| s.sort_key.clone())
            },
            DepartmentApplicationRow::new,
        )
        .await
}

/// Move an application
///
/// For the posting's department and admins: to a public `status` or one of the department's
/// `stage`s. `If-Match` with the application's `ETag` is required (428 without, 412 when
/// stale). Illegal moves are 409 `invalid_transition` (or `application_final` from a final
/// status); closing statuses need a `reason` (422 `reason_required`). The move is appended to
/// the history with its actor, and the applicant is emailed unless the stage says no notice.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("If-Match" = String, Header, description = "The application's `ETag` as last read.")
    ),
    request_body = StatusChangeRequest,
    responses(
        (status = 200, description = "Moved.", body = DepartmentApplicationRow, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
        (status = 428, response = PreconditionRequired),
    )
)]
#[post("/applications/{id}/status")]
pub async fn change_application_status(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    if_match: IfMatch,
    Json(body): Json<StatusChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = move_command(body.status, body.stage, body.reason, body.note)?;
    let now = state.clock.now();
    let moved = state
        .db
        .write(move |conn| service::move_one(conn, &user, id, command, if_match, now))
        .await?;
    state.wake_webhooks();
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(&moved)))
        .json(DepartmentApplicationRow::new(moved)))
}

/// Move many applications
///
/// The same move for up to 500 applications, all or none: the first one that cannot move
/// (not found, illegal move) refuses the whole request and names it.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    request_body = BulkStatusChangeRequest,
    responses(
        (status = 200, description = "Every application moved.", body = BulkStatusChangeResponse),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/application-status-changes")]
pub async fn bulk_change_application_status(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<BulkStatusChangeRequest>,
) -> Result<web::Json<BulkStatusChangeResponse>, ApiError> {
    let ids = bulk_ids(&body.application_ids)?;
    let command = move_command(body.status, body.stage, body.reason, body.note)?;
    let now = state.clock.now();
    let moved = state
        .db
        .write(move |conn| service::bulk_move(conn, &user, BulkCommand { ids, command }, now))
        .await?;
    state.wake_webhooks();
    Ok(web::Json(BulkStatusChangeResponse {
        items: moved
            .into_iter()
            .map(DepartmentApplicationRow::new)
            .collect(),
    }))
}

/// Download a submitted document
///
/// The version frozen at submission, for the applicant and the posting's department (it stays
/// readable after its owner deletes the document).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("document_id" = String, Path, description = "The document's id.")
    ),
    responses(
        (
            status = 200,
            description = "The document's bytes, with its media type.",
            content(
                (DocumentContent = "application/pdf"),
                (DocumentContent = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (DocumentContent = "application/msword"),
                (DocumentContent = "application/vnd.oasis.opendocument.text"),
                (DocumentContent = "application/rtf"),
                (DocumentContent = "text/plain"),
                (DocumentContent = "image/png"),
                (DocumentContent = "image/jpeg"),
            ),
            headers(
                ("Content-Disposition" = String, description = "`attachment` with the file name."),
                ("ETag" = String, description = "The SHA-256 of the bytes, in quotes.")
            )
        ),
        (status = 404, response = NotFound),
    )
)]
#[get("/applications/{id}/documents/{document_id}/content")]
pub async fn download_application_document(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, document) = path.into_inner();
    let id = application_id(&id)?;
    let document: DocumentId = path_id(&document, "document")?;
    let file = state
        .db
        .read(move |conn| service::file(conn, &user, id, document))
        .await?;
    let bytes = state.documents.open(&file.object_key).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: file.file_name.as_bytes().to_vec(),
        })],
    };
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(disposition)
        .insert_header((header::ETAG, format!("\"{}\"", file.sha256)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .no_chunking(u64::try_from(file.size_bytes).unwrap_or_default())
        .streaming(bytes))
}

/// Mark a posting filled
///
/// For a closed posting of the employer's department (or by an admin), once every application
/// has a final status: 409 `applications_not_final` (saying how many lack one) otherwise, 409
/// `posting_not_closed` before it is closed, 409 `already_filled` the second time.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "Filled.", body = FilledResponse),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/postings/{id}/fill")]
pub async fn fill_posting(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(posting): PathId<PostingId>,
) -> Result<web::Json<FilledResponse>, ApiError> {
    let now = state.clock.now();
    let (filled, at) = state
        .db
        .write(move |conn| service::fill_posting(conn, &user, posting, now))
        .await?;
    Ok(web::Json(FilledResponse {
        posting_id: filled.id.to_string(),
        filled_at: at,
    }))
}
