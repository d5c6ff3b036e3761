//! Saved search handlers: a signed-in person's named criteria, and running them.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use merit_domain::{ids::SavedSearchId, posting::SearchCriteria};
use merit_persistence::saved_searches::SavedSearch;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::AuthUser,
    conditional::json_with_etag,
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageQuery, PageResponse, Paging},
    routes::postings::{SearchFilters, SearchResponse},
    routes::text::Line,
    services::{saved_searches, search},
    state::AppState,
    validation::Fields,
};

/// Save a search.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchRequest {
    /// A name, unique among your saved searches.
    #[schema(example = "Analyst jobs in Sacramento")]
    pub name: Line<100>,
    /// The search: the same filters as `GET /api/v1/postings`.
    pub criteria: SearchFilters,
}

/// A saved search.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct SavedSearchResponse {
    /// Opaque id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The search.
    pub criteria: SearchFilters,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<SavedSearch> for SavedSearchResponse {
    fn from(s: SavedSearch) -> Self {
        SavedSearchResponse {
            criteria: SearchFilters::from(&s.criteria),
            id: s.id.to_string(),
            name: s.name,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// The checked name and criteria; every broken field is reported at once, the criteria's
/// under `criteria.`.
fn checked(body: &SavedSearchRequest) -> Result<(String, SearchCriteria), ApiError> {
    let mut fields = Fields::new();
    let name = body.name.check(&mut fields, "name");
    let criteria = fields.nested("criteria", body.criteria.criteria())?;
    fields.into_result(name.zip(criteria))
}

/// List my saved searches
///
/// The caller's saved searches, one page at a time.
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of saved searches.", body = PageResponse<SavedSearchResponse>), (status = 403, response = Forbidden))
)]
#[get("/me/saved-searches")]
pub async fn list_saved_searches(
    state: web::Data<AppState>,
    user: AuthUser,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<SavedSearchResponse>>, ApiError> {
    let paging = Paging::parse("saved-searches", page.limit, page.cursor.as_deref())?;
    let owner = user.id();
    paging
        .read(
            &state.db,
            move |conn, page| saved_searches::list(conn, owner, page.after, page.limit),
            |s| s.id,
            SavedSearchResponse::from,
        )
        .await
}

/// Save a search
///
/// At most 25 per person (configurable); names are unique per person.
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    request_body = SavedSearchRequest,
    responses((status = 201, description = "Saved.", body = SavedSearchResponse), (status = 403, response = Forbidden), (status = 409, response = Conflict))
)]
#[post("/me/saved-searches")]
pub async fn create_saved_search(
    state: web::Data<AppState>,
    user: AuthUser,
    Json(body): Json<SavedSearchRequest>,
) -> Result<HttpResponse, ApiError> {
    let (name, criteria) = checked(&body)?;
    let (now, limit, owner) = (
        state.clock.now(),
        state.settings.saved_search_limit,
        user.id(),
    );
    let saved = state
        .db
        .write(move |conn| saved_searches::create(conn, owner, &name, &criteria, limit, now))
        .await?;
    let location = format!("/api/v1/me/saved-searches/{}", saved.id);
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .json(SavedSearchResponse::from(saved)))
}

/// Get a saved search
///
/// One of the caller's saved searches; another person's is 404.
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The saved search's id.")),
    responses((status = 200, description = "The saved search.", body = SavedSearchResponse), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[get("/me/saved-searches/{id}")]
pub async fn get_saved_search(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<SavedSearchId>,
) -> Result<web::Json<SavedSearchResponse>, ApiError> {
    let owner = user.id();
    let saved = state
        .db
        .read(move |conn| saved_searches::get(conn, owner, id))
        .await?;
    Ok(web::Json(SavedSearchResponse::from(saved)))
}

/// Replace a saved search
///
/// Replaces the name and criteria of one of the caller's saved searches (names stay unique per
/// person: 409 otherwise).
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The saved search's id.")),
    request_body = SavedSearchRequest,
    responses(
        (status = 200, description = "Replaced.", body = SavedSearchResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[put("/me/saved-searches/{id}")]
pub async fn replace_saved_search(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<SavedSearchId>,
    Json(body): Json<SavedSearchRequest>,
) -> Result<web::Json<SavedSearchResponse>, ApiError> {
    let (name, criteria) = checked(&body)?;
    let (now, owner) = (state.clock.now(), user.id());
    let saved = state
        .db
        .write(move |conn| saved_searches::update(conn, owner, id, &name, &criteria, now))
        .await?;
    Ok(web::Json(SavedSearchResponse::from(saved)))
}

/// Delete a saved search
///
/// Removes one of the caller's saved searches.
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The saved search's id.")),
    responses((status = 204, description = "Deleted."), (status = 403, response = Forbidden), (status = 404, response = NotFound))
)]
#[delete("/me/saved-searches/{id}")]
pub async fn delete_saved_search(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<SavedSearchId>,
) -> Result<HttpResponse, ApiError> {
    let owner = user.id();
    state
        .db
        .write(move |conn| saved_searches::delete(conn, owner, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Run a saved search
///
/// The current results of a saved search, as `GET /api/v1/postings` would give them to you.
#[utoipa::path(
    tag = "saved searches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The saved search's id."), PageQuery),
    responses(
        (status = 200, description = "A page of results.", body = SearchResponse),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
#[get("/me/saved-searches/{id}/results")]
pub async fn run_saved_search(
    state: web::Data<AppState>,
    user: AuthUser,
    PathId(id): PathId<SavedSearchId>,
    Query(page): Query<PageQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (page, now) = (page.command()?, state.clock.now());
    let found =
        search::saved_search_results(&state.db, &state.search, &user, id, &page, now).await?;
    json_with_etag(&req, &SearchResponse::from(found))
}
