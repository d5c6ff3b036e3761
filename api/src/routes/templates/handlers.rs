//! Template handlers: the owner's templates only (anyone else's id is 404).

use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, post, put, web};
use merit_domain::ids::TemplateId;

use super::dto::{TemplateQuery, TemplateRequest, TemplateResponse};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, not_modified},
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound, PreconditionFailed},
    paging::{PageResponse, Paging},
    services::templates,
    state::AppState,
};

fn with_etag(
    response: &mut actix_web::HttpResponseBuilder,
    template: &merit_persistence::templates::StoredTemplate,
) {
    response.insert_header((header::ETAG, templates::etag(template)));
}

/// List my templates
///
/// The caller's application templates, oldest first.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(TemplateQuery),
    responses((status = 200, description = "A page of templates.", body = PageResponse<TemplateResponse>))
)]
#[get("/me/templates")]
pub async fn list_templates(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(query): Query<TemplateQuery>,
) -> Result<web::Json<PageResponse<TemplateResponse>>, ApiError> {
    let paging = Paging::parse("templates", query.limit, query.cursor.as_deref())?;
    let owner = user.account.id;
    paging
        .read(
            &state.db,
            move |conn, page| templates::list(conn, owner, page),
            |t| t.id,
            TemplateResponse::new,
        )
        .await
}

/// Create a template
///
/// Adds an application template (at most 20 per person; 409 `template_limit_reached` past
/// that). Making it the default unsets the previous default.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    request_body = TemplateRequest,
    responses(
        (
            status = 201,
            description = "Created.",
            body = TemplateResponse,
            headers(
                ("Location" = String, description = "The new template's URL."),
                ("ETag" = String, description = "Its version, for `If-Match`.")
            )
        ),
        (status = 409, response = Conflict),
    )
)]
#[post("/me/templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<TemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let (owner, now) = (user.account.id, state.clock.now());
    let created = state
        .db
        .write(move |conn| templates::create(conn, owner, &draft, now))
        .await?;
    let mut response = HttpResponse::Created();
    response.insert_header((
        header::LOCATION,
        format!("/api/v1/me/templates/{}", created.id),
    ));
    with_etag(&mut response, &created);
    Ok(response.json(TemplateResponse::new(created)))
}

/// Read a template
///
/// One of the caller's templates, with its version as `ETag`; another person's is 404.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The template's id."),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds: 304 when it is current.")
    ),
    responses(
        (
            status = 200,
            description = "The template.",
            body = TemplateResponse,
            headers(("ETag" = String, description = "Its version, for `If-Match`."))
        ),
        (status = 304, description = "The copy named by `If-None-Match` is current."),
        (status = 404, response = NotFound),
    )
)]
#[get("/me/templates/{id}")]
pub async fn get_template(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<TemplateId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let owner = user.account.id;
    let found = state
        .db
        .read(move |conn| templates::get(conn, owner, id))
        .await?;
    let etag = templates::etag(&found);
    if not_modified(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let mut response = HttpResponse::Ok();
    with_etag(&mut response, &found);
    Ok(response.json(TemplateResponse::new(found)))
}

/// Replace a template
///
/// Replaces every section. With `If-Match`, only if the template is still at that version
/// (412 otherwise).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The template's id."),
        ("If-Match" = Option<String>, Header, description = "Replace only this version (its `ETag`).")
    ),
    request_body = TemplateRequest,
    responses(
        (
            status = 200,
            description = "The saved template.",
            body = TemplateResponse,
            headers(("ETag" = String, description = "Its new version."))
        ),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[put("/me/templates/{id}")]
pub async fn replace_template(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<TemplateId>,
    if_match: IfMatch,
    Json(body): Json<TemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let (owner, id, now) = (user.account.id, id, state.clock.now());
    let saved = state
        .db
        .write(move |conn| templates::replace(conn, owner, id, &draft, &if_match, now))
        .await?;
    let mut response = HttpResponse::Ok();
    with_etag(&mut response, &saved);
    Ok(response.json(TemplateResponse::new(saved)))
}

/// Delete a template
///
/// With `If-Match`, only if the template is still at that version (412 otherwise).
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The template's id."),
        ("If-Match" = Option<String>, Header, description = "Delete only this version (its `ETag`).")
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[delete("/me/templates/{id}")]
pub async fn delete_template(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<TemplateId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let owner = user.account.id;
    state
        .db
        .write(move |conn| templates::delete(conn, owner, id, &if_match))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
