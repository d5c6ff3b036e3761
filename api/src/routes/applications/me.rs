//! The caller's own applications: the list and one with its timeline.

use actix_web::{HttpRequest, HttpResponse, get, web};
use merit_domain::ids::ApplicationId;

use super::dto::*;
use crate::{
    auth::AuthUser,
    conditional::json_with_tag,
    error::ApiError,
    extract::{PathId, Query},
    openapi::NotFound,
    paging::{PageQuery, PageResponse, Paging},
    services::applications::{self as service, etag},
    state::AppState,
};

/// List my applications
///
/// Drafts (`draft`: started, not submitted) and submitted ones, newest first.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of applications.", body = PageResponse<MyApplicationSummary>))
)]
#[get("/me/applications")]
pub async fn list_my_applications(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<MyApplicationSummary>>, ApiError> {
    let paging = Paging::parse("my-applications", page.limit, page.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::list_mine(conn, &user, page),
            |(a, _)| a.id,
            MyApplicationSummary::new,
        )
        .await
}

/// Read one of my applications
///
/// Its current public status and the timeline: every transition with its instant, status,
/// reason code and whether a notice was sent.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The application's id.")),
    responses(
        (status = 200, description = "The application.", body = ApplicationResponse, headers(("ETag" = String, description = "Its version."))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 404, response = NotFound),
    )
)]
#[get("/me/applications/{id}")]
pub async fn get_my_application(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<ApplicationId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .db
        .read(move |conn| service::my_application(conn, &user, id))
        .await?;
    let tag = etag(&view.application);
    json_with_tag(&req, &tag, &ApplicationResponse::new(view))
}
