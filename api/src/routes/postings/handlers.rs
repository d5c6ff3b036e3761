//! Posting details, the consideration preview, and employers' management.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use merit_domain::{
    ids::PostingId,
    posting::{Posting, PostingAction},
    reference::DepartmentCode,
};

use super::dto::{ConsiderationResponse, PostingRequest, PostingResponse, ReasonResponse};
use crate::{
    auth::{AuthUser, Employer, MaybeUser, viewer_of},
    conditional::{IfMatch, json_with_tag},
    error::ApiError,
    extract::{Json, PathId, Query},
    merge_patch::MergePatch,
    openapi::{Conflict, Forbidden, NotFound, PreconditionFailed, Unauthorized},
    paging::{PageQuery, PageResponse, Paging},
    services::postings::{self, NamedPosting},
    state::AppState,
};

/// Get a posting
///
/// A posting the caller may see; drafts only for their department's employers. Answers carry
/// the version as `ETag`.
#[utoipa::path(
    tag = "postings",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "The posting.", body = PostingResponse),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
#[get("/postings/{id}")]
pub async fn get_posting(
    state: web::Data<AppState>,
    MaybeUser(user): MaybeUser,
    PathId(id): PathId<PostingId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let viewer = viewer_of(user.as_ref());
    let posting = state
        .db
        .read(move |conn| postings::get(conn, id, &viewer))
        .await?;
    let now = state.clock.now();
    let tag = postings::posting_tag(&posting, now);
    json_with_tag(&req, &tag, &PostingResponse::new(posting, now))
}

/// May I apply?
///
/// For the signed-in person: whether an application to this posting would be accepted now,
/// whether it would be considered, and every reason as a code (`filing_closed`,
/// `internal_only_other_department`, `eligibility_required`, `eligibility_expired`,
/// `email_not_verified`, `not_an_applicant`).
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "The preview.", body = ConsiderationResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/postings/{id}/eligibility")]
pub async fn get_posting_eligibility(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<PostingId>,
) -> Result<web::Json<ConsiderationResponse>, ApiError> {
    let now = state.clock.now();
    let viewer = viewer_of(Some(&user));
    let (posting, answer) = state
        .db
        .read(move |conn| postings::preview(conn, &user, id, &viewer, now))
        .await?;
    Ok(web::Json(ConsiderationResponse {
        posting_id: posting.id.to_string(),
        may_apply: answer.may_apply,
        considered: answer.considered,
        reasons: answer
            .reasons
            .into_iter()
            .map(|r| ReasonResponse {
                code: r.code(),
                blocks_applying: r.blocks_applying(),
            })
            .collect(),
    }))
}

/// Create a posting
///
/// A draft for the employer's department; publish it to open it.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    request_body = PostingRequest,
    responses((status = 201, description = "Created, as a draft.", body = PostingResponse), (status = 403, response = Forbidden))
)]
#[post("/postings")]
pub async fn create_posting(
    state: web::Data<AppState>,
    employer: Employer,
    Json(body): Json<PostingRequest>,
) -> Result<HttpResponse, ApiError> {
    let content = body.parse()?;
    let now = state.clock.now();
    let posting = state
        .db
        .write(move |conn| postings::create(conn, &employer, content, now))
        .await?;
    let location = format!("/api/v1/postings/{}", posting.id);
    let tag = postings::posting_tag(&posting, now);
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .insert_header(("etag", tag))
        .json(PostingResponse::new(posting, now)))
}

/// Change a posting
///
/// Changes the content of a draft or open posting of the employer's department with a JSON
/// Merge Patch (RFC 7396): members left out stay unchanged, `null` clears
/// `required_documents` and `eligibility_required`, and the result must be a valid posting
/// (`null` for any other member is 422 `required`). Send the `ETag` in `If-Match` to refuse
/// (412) a change made since you read it.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    request_body(
        description = "A JSON Merge Patch (RFC 7396) of the posting's content; sent as `application/json`, it is read the same way.",
        content((PostingRequest = "application/merge-patch+json"))
    ),
    responses(
        (status = 200, description = "Changed.", body = PostingResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[patch("/postings/{id}")]
pub async fn update_posting(
    state: web::Data<AppState>,
    employer: Employer,
    PathId(id): PathId<PostingId>,
    if_match: IfMatch,
    MergePatch(patch): MergePatch,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let edit = move |current: &Posting| {
        let base = PostingResponse::new(NamedPosting::unnamed(current.clone()), now);
        MergePatch(patch).apply::<PostingRequest>(&base)?.parse()
    };
    let posting = postings::write_and_reindex(&state.db, &state.search, move |conn| {
        postings::update(conn, &employer, id, edit, &if_match, now)
    })
    .await?;
    let tag = postings::posting_tag(&posting, now);
    Ok(HttpResponse::Ok()
        .insert_header(("etag", tag))
        .json(PostingResponse::new(posting, now)))
}

async fn transition(
    state: web::Data<AppState>,
    employer: Employer,
    id: PostingId,
    action: PostingAction,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let posting = postings::write_and_reindex(&state.db, &state.search, move |conn| {
        postings::transition(conn, &employer, id, action, now)
    })
    .await?;
    if action == PostingAction::Publish {
        state.wake_alerts();
    }
    state.wake_webhooks();
    let tag = postings::posting_tag(&posting, now);
    Ok(HttpResponse::Ok()
        .insert_header(("etag", tag))
        .json(PostingResponse::new(posting, now)))
}

/// Publish a posting
///
/// Opens a draft: it appears in search and accepts applications until its final filing date.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "Open.", body = PostingResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/postings/{id}/publish")]
pub async fn publish_posting(
    state: web::Data<AppState>,
    employer: Employer,
    PathId(id): PathId<PostingId>,
) -> Result<HttpResponse, ApiError> {
    transition(state, employer, id, PostingAction::Publish).await
}

/// Close a posting
///
/// Stops accepting applications.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "Closed.", body = PostingResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/postings/{id}/close")]
pub async fn close_posting(
    state: web::Data<AppState>,
    employer: Employer,
    PathId(id): PathId<PostingId>,
) -> Result<HttpResponse, ApiError> {
    transition(state, employer, id, PostingAction::Close).await
}

/// Cancel a posting
///
/// Withdraws a draft or an open posting. Every open application to it becomes `cancelled`
/// (reason `process_ended`) in the same transaction, and each applicant is emailed.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The posting's id.")),
    responses(
        (status = 200, description = "Cancelled.", body = PostingResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/postings/{id}/cancel")]
pub async fn cancel_posting(
    state: web::Data<AppState>,
    employer: Employer,
    PathId(id): PathId<PostingId>,
) -> Result<HttpResponse, ApiError> {
    transition(state, employer, id, PostingAction::Cancel).await
}

/// A department's postings
///
/// Every posting of the employer's own department, drafts and closed ones included, newest
/// first. Other departments' lists are 404.
#[utoipa::path(
    tag = "postings",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The department's code."), PageQuery),
    responses(
        (status = 200, description = "A page of postings.", body = PageResponse<PostingResponse>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/departments/{code}/postings")]
pub async fn list_department_postings(
    state: web::Data<AppState>,
    employer: Employer,
    code: web::Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<PostingResponse>>, ApiError> {
    let department = DepartmentCode::parse(&code)
        .ok()
        .filter(|d| *d == employer.department)
        .ok_or_else(|| ApiError::not_found("department"))?;
    let paging = Paging::parse("department-postings", page.limit, page.cursor.as_deref())?;
    let viewer = viewer_of(Some(&employer.user));
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| postings::list_department(conn, &department, &viewer, page),
            |p| p.id,
            |p| PostingResponse::new(p, now),
        )
        .await
}
