//! The applicant's side: drafts, submission, withdrawal and their own applications.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, patch, post, web};
use merit_domain::ids::ApplicationId;

use super::{convert::note, dto::*};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, json_with_tag},
    error::{ApiError, Code},
    extract::{Json, OptionalJson, PathId, path_id},
    openapi::{Conflict, NotFound, PreconditionFailed},
    services::applications::{self as service, IdempotencyKey, etag},
    state::AppState,
};

/// An application id from the path; anything else names nothing (404).
pub fn application_id(text: &str) -> Result<ApplicationId, ApiError> {
    path_id(text, "application")
}

fn with_tag(
    mut response: actix_web::HttpResponseBuilder,
    tag: &str,
) -> actix_web::HttpResponseBuilder {
    response.insert_header((header::ETAG, tag.to_owned()));
    response
}

/// Start an application
///
/// A draft to an open posting you can see, from one of your templates (or the profile alone),
/// with documents of your own. Listed under your applications as `draft` (started, not
/// submitted) until you submit it. 403 `not_an_applicant` for staff, employer and admin
/// accounts; 409 `filing_closed` when the posting no longer accepts applications; 409
/// `already_applied` when you applied to it already.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    request_body = CreateApplicationRequest,
    responses(
        (
            status = 201, description = "The draft.", body = ApplicationResponse,
            headers(
                ("Location" = String, description = "The draft's URL."),
                ("ETag" = String, description = "Its version, for `If-Match`.")
            )
        ),
        (status = 409, response = Conflict),
    )
)]
#[post("/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<CreateApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            let draft = service::create_draft(conn, &user, command, now)?;
            service::get(conn, &user, draft.id)
        })
        .await?;
    let tag = etag(&view.application);
    let location = format!("/api/v1/applications/{}", view.application.id);
    Ok(with_tag(HttpResponse::Created(), &tag)
        .insert_header((header::LOCATION, location))
        .json(ApplicationResponse::new(view)))
}

/// Read an application
///
/// Your own (drafts included), or, for the posting's department and admins, a submitted one
/// with its frozen snapshot. Anyone else's is 404.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds: 304 when it is current.")
    ),
    responses(
        (status = 200, description = "The application.", body = ApplicationResponse, headers(("ETag" = String, description = "Its version."))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 404, response = NotFound),
    )
)]
#[get("/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .db
        .read(move |conn| service::get(conn, &user, id))
        .await?;
    let tag = etag(&view.application);
    json_with_tag(&req, &tag, &ApplicationResponse::new(view))
}

/// Change a draft
///
/// A JSON Merge Patch (RFC 7396, `application/merge-patch+json`): members left out stay;
/// `template_id: null` removes the template. Send the `ETag` in `If-Match` to refuse (412) a
/// change made since you read it. 409 `application_not_draft` once submitted.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body(content = ApplicationPatchRequest, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed.", body = ApplicationResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[patch("/applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    if_match: IfMatch,
    Json(body): Json<ApplicationPatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let patch = body.parse()?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            service::patch_draft(conn, &user, id, patch, &if_match, now)?;
            service::get(conn, &user, id)
        })
        .await?;
    let tag = etag(&view.application);
    Ok(with_tag(HttpResponse::Ok(), &tag).json(ApplicationResponse::new(view)))
}

/// Delete a draft
///
/// Only drafts (409 `application_not_draft` once submitted: withdraw it instead).
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("If-Match" = Option<String>, Header, description = "Delete only this version (its `ETag`).")
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/applications/{id}")]
pub async fn delete_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state
        .db
        .write(move |conn| service::delete_draft(conn, &user, id, &if_match))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<IdempotencyKey>, ApiError> {
    let mut values = req.headers().get_all("idempotency-key");
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let bad = || {
        ApiError::new(
            Code::InvalidIdempotencyKey,
            "Send one Idempotency-Key of 1 to 255 visible ASCII characters (a UUID is best).",
        )
    };
    if values.next().is_some() {
        return Err(bad());
    }
    first
        .to_str()
        .ok()
        .and_then(IdempotencyKey::parse)
        .map(Some)
        .ok_or_else(bad)
}

/// Submit an application
///
/// Checks again what `GET /postings/{id}/eligibility` previews: 409 `filing_closed` after the
/// final filing date (the last instant is 23:59:59.999999 in California on that date), 409
/// `eligibility_required` / `eligibility_expired` / `email_not_verified`; an internal-only
/// posting of another department is accepted but `not_considered` (reason
/// `internal_only_other_department`). The posting's required document kinds must be attached
/// (409 `documents_missing`); one application per person and posting (409 `already_applied`).
/// Submitting freezes the profile, template, conditions of employment and document versions.
///
/// **Idempotency-Key** (IETF httpapi draft): send a unique key (a UUID) to retry safely. The
/// first successful answer is kept for 24 hours and replayed, with `Idempotency-Replayed:
/// true`, to a retry with the same key for the same application (concurrent retries wait for
/// the first and get its answer). The key is scoped to you and this operation; used to submit
/// another application it is 422 `idempotency_key_reused`. Errors are not remembered: fix the
/// cause and retry with the same key.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The application's id."),
        ("Idempotency-Key" = Option<String>, Header, max_length = 257, pattern = r#"^([!#-\[\]-~]{1,255}|"[!#-\[\]-~]{1,255}")$"#, description = "A unique key for this submission (1 to 255 visible ASCII characters but `\"` and `\\`; the quotes of an RFC 8941 string allowed), remembered 24 hours.")
    ),
    responses(
        (
            status = 201, description = "Submitted (or the first answer, replayed).", body = ApplicationResponse,
            headers(
                ("Location" = String, description = "The application's URL."),
                ("ETag" = String, description = "Its version (on a fresh answer)."),
                ("Idempotency-Replayed" = String, description = "`true` when this replays the first answer.")
            )
        ),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency_key(&req)?;
    let now = state.clock.now();
    let answer = state
        .db
        .write(move |conn| {
            service::submit(conn, &user, id, key.as_ref(), now, |view| {
                serde_json::to_string(&ApplicationResponse::new(view)).map_err(ApiError::internal)
            })
        })
        .await?;
    state.wake_webhooks();
    let mut response = HttpResponse::Created();
    response.insert_header((
        header::LOCATION,
        format!("/api/v1/applications/{}", answer.application_id),
    ));
    if let Some(tag) = &answer.etag {
        response.insert_header((header::ETAG, tag.clone()));
    }
    if answer.replayed {
        response.insert_header(("idempotency-replayed", "true"));
    }
    Ok(response.content_type("application/json").body(answer.body))
}

/// Withdraw an application
///
/// Any time before a final status (409 `already_hired` once hired, 409 `application_final`
/// once closed otherwise, 409 `application_not_submitted` for drafts: delete those).
/// Withdrawing again changes nothing and answers the same. The body (an optional `note`) may
/// be left out.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application's id.")),
    request_body = Option<WithdrawRequest>,
    responses(
        (status = 200, description = "Withdrawn.", body = ApplicationResponse, headers(("ETag" = String, description = "Its version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/applications/{id}/withdraw")]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    OptionalJson(body): OptionalJson<WithdrawRequest>,
) -> Result<HttpResponse, ApiError> {
    let note = note(body.unwrap_or_default().note.as_ref())?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| {
            service::withdraw(conn, &user, id, note, now)?;
            service::my_application(conn, &user, id)
        })
        .await?;
    state.wake_webhooks();
    let tag = etag(&view.application);
    Ok(with_tag(HttpResponse::Ok(), &tag).json(ApplicationResponse::new(view)))
}
