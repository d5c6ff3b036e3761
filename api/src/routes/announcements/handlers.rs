//! Handlers of announcements: extract, call one use case, render.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, put, web};
use merit_domain::ids::AnnouncementId;
use merit_persistence::announcements::Announcement;

use super::dto::*;
use crate::{
    auth::StaffUser,
    conditional::{IfMatch, json_with_tag},
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound, PreconditionFailed},
    paging::{PageResponse, Paging},
    services::announcements as service,
    state::AppState,
};

/// Publish an announcement
///
/// Admins only (403 otherwise). To every staff member and admin, or to chosen `offices` and/or
/// `roles`; shown from `publish_at` (now by default) until `expire_at` (for good by default).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = AnnouncementRequest,
    responses(
        (status = 201, description = "The announcement.", body = AnnouncementResponse, headers(
            ("Location" = String, description = "The announcement's URL."),
            ("ETag" = String, description = "Its version, for `If-Match`."),
        )),
    )
)]
#[post("/announcements")]
pub async fn publish_announcement(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<AnnouncementRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let published = state
        .db
        .write(move |conn| service::publish(conn, &user, draft, now))
        .await?;
    let location = format!("/api/v1/announcements/{}", published.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::ETAG, service::etag(&published)))
        .json(AnnouncementResponse::new(published, false, now)))
}

/// List announcements
///
/// `scope=current` (default): the announcements shown to me now (addressed to everyone, my
/// office or one of my roles; published, not expired, not withdrawn), newest publication
/// first, each with whether I read it. `scope=all`: every announcement, for admins (403 for
/// others).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(AnnouncementListQuery),
    responses((status = 200, description = "A page of announcements.", body = PageResponse<AnnouncementResponse>))
)]
#[get("/announcements")]
pub async fn list_announcements(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<AnnouncementListQuery>,
) -> Result<web::Json<PageResponse<AnnouncementResponse>>, ApiError> {
    let all = query.scope == Some(AnnouncementListScope::All);
    let list = if all {
        "announcements-all"
    } else {
        "announcements"
    };
    let paging = Paging::parse(list, query.limit, query.cursor.as_deref())?
        .keyed(merit_persistence::announcements::is_list_key)?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| {
                if all {
                    service::list_all(conn, &user, page)
                } else {
                    service::list_current(conn, &user, page, now)
                }
            },
            |(a, _)| merit_persistence::announcements::list_key(a),
            |(a, read)| AnnouncementResponse::new(a, read, now),
        )
        .await
}

/// Read an announcement
///
/// One shown to me now (any, for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The announcement's id.")),
    responses(
        (status = 200, description = "The announcement.", body = AnnouncementResponse, headers(("ETag" = String, description = "Its version, for `If-Match`."))),
        (status = 404, response = NotFound),
    )
)]
#[get("/announcements/{id}")]
pub async fn get_announcement(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AnnouncementId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let (a, read) = state
        .db
        .read(move |conn| service::get(conn, &user, id, now))
        .await?;
    let tag = service::etag(&a);
    let mut response = json_with_tag(&req, &tag, &AnnouncementResponse::new(a, read, now))?;
    // The read state is the caller's own and changes without a new version.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

fn changed((a, read): (Announcement, bool), now: chrono::DateTime<chrono::Utc>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, service::etag(&a)))
        .json(AnnouncementResponse::new(a, read, now))
}

/// Change an announcement
///
/// Admins only. Replaces its text, audience and window; 409 `announcement_withdrawn` once
/// withdrawn.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The announcement's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = AnnouncementRequest,
    responses(
        (status = 200, description = "The announcement.", body = AnnouncementResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[put("/announcements/{id}")]
pub async fn update_announcement(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AnnouncementId>,
    if_match: IfMatch,
    Json(body): Json<AnnouncementRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let a = state
        .db
        .write(move |conn| service::update(conn, &user, id, draft, &if_match, now))
        .await?;
    Ok(changed(a, now))
}

/// Withdraw an announcement
///
/// Admins only. Nobody is shown it any more; withdrawing again changes nothing.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The announcement's id."),
        ("If-Match" = Option<String>, Header, description = "Withdraw only this version (its `ETag`).")
    ),
    responses(
        (status = 200, description = "The announcement, withdrawn.", body = AnnouncementResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/announcements/{id}/withdraw")]
pub async fn withdraw_announcement(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AnnouncementId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let a = state
        .db
        .write(move |conn| service::withdraw(conn, &user, id, &if_match, now))
        .await?;
    Ok(changed(a, now))
}

/// Mark an announcement read
///
/// For me; one shown to me now (404 otherwise). Again changes nothing.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The announcement's id.")),
    responses(
        (status = 204, description = "Read."),
        (status = 404, response = NotFound),
    )
)]
#[post("/announcements/{id}/read")]
pub async fn mark_announcement_read(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AnnouncementId>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .write(move |conn| service::mark_read(conn, &user, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
