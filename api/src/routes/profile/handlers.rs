//! Profile and export handlers.

use actix_web::{HttpRequest, HttpResponse, get, http::header, patch, put, web};

use super::{
    dto::{ProfileRequest, ProfileResponse},
    export::ExportResponse,
};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, not_modified},
    error::ApiError,
    extract::Json,
    merge_patch::MergePatch,
    openapi::{Conflict, PreconditionFailed, PreconditionRequired, TooManyRequests},
    services::{export, profile, profile::ProfileView},
    state::AppState,
};

/// Read my profile
///
/// Contact details, previous supervisors and conditions of employment. The `ETag` header
/// names this version: send it back as `If-Match` to replace the profile.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds: 304 when it is current.")),
    responses(
        (
            status = 200,
            description = "The profile.",
            body = ProfileResponse,
            headers(("ETag" = String, description = "The version of the profile, for `If-Match`."))
        ),
        (status = 304, description = "The copy named by `If-None-Match` is current.")
    )
)]
#[get("/me/profile")]
pub async fn get_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = user.account.id;
    let view = state.db.read(move |conn| profile::read(conn, id)).await?;
    if not_modified(&req, &view.etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, view.etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, view.etag.clone()))
        .json(ProfileResponse::new(view)))
}

/// Replace my profile
///
/// Replaces the whole profile; `If-Match` must carry the `ETag` of the version it is based
/// on (412 when the profile changed since, 428 without it). Changing the email address needs
/// `current_password`: the new address is unverified until the link sent to it is used, and
/// the previous address is told of the change. A wrong current password counts towards the
/// account's lockout like a failed sign-in; while the account is locked, the answer is 429.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The `ETag` of the profile as last read (`*` for any version). Anything but `*` or entity tags in quotes is 400 `malformed_header`.")),
    request_body = ProfileRequest,
    responses(
        (
            status = 200,
            description = "The saved profile.",
            body = ProfileResponse,
            headers(("ETag" = String, description = "The new version of the profile."))
        ),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
        (status = 428, response = PreconditionRequired),
        (status = 429, response = TooManyRequests),
    )
)]
#[put("/me/profile")]
pub async fn replace_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    if_match: IfMatch,
    Json(body): Json<ProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    let view = profile::update(&state, &user, body.parse(), if_match).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, view.etag.clone()))
        .json(ProfileResponse::new(view)))
}

/// Change my profile
///
/// Changes some fields of the profile with a JSON Merge Patch (RFC 7396): members left out
/// stay unchanged, objects (`mailing_address`, `conditions`) are merged, arrays
/// (`supervisors`) replace, and `null` clears an optional member (`first_name` and
/// `last_name` cannot be cleared: 422 `required`). `If-Match` must carry the `ETag` of the
/// version the patch is based on (412 when the profile changed since, 428 without it). The
/// rules of `PUT` apply to the result, `current_password` for a new email address included.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The `ETag` of the profile as last read (`*` for any version). Anything but `*` or entity tags in quotes is 400 `malformed_header`.")),
    request_body(
        description = "A JSON Merge Patch (RFC 7396) of the profile; sent as `application/json`, it is read the same way.",
        content((ProfileRequest = "application/merge-patch+json"))
    ),
    responses(
        (
            status = 200,
            description = "The saved profile.",
            body = ProfileResponse,
            headers(("ETag" = String, description = "The new version of the profile."))
        ),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
        (status = 428, response = PreconditionRequired),
        (status = 429, response = TooManyRequests),
    )
)]
#[patch("/me/profile")]
pub async fn patch_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    if_match: IfMatch,
    MergePatch(patch): MergePatch,
) -> Result<HttpResponse, ApiError> {
    let edit = |current: &ProfileView| {
        MergePatch(patch)
            .apply::<ProfileRequest>(&ProfileResponse::new(current.clone()))
            .map(ProfileRequest::parse)
    };
    let view = profile::patch(&state, &user, edit, if_match).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, view.etag.clone()))
        .json(ProfileResponse::new(view)))
}

/// Export my data
///
/// Everything Merit holds about the caller in one JSON document: the account, the profile,
/// every application template, the metadata of every document, every saved search, every
/// exam result with the answers given, every eligibility, and the sign-in sessions.
#[utoipa::path(
    tag = "profile",
    security(("bearer" = [])),
    responses((status = 200, description = "Everything Merit holds about the caller.", body = ExportResponse))
)]
#[get("/me/export")]
pub async fn get_export(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<ExportResponse>, ApiError> {
    let (id, now) = (user.account.id, state.clock.now());
    let collected = state
        .db
        .read(move |conn| export::collect(conn, id, now))
        .await?;
    Ok(web::Json(ExportResponse::new(
        collected,
        user.employee.is_some(),
        now,
    )?))
}
