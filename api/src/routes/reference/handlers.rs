//! Reference list handlers: public, paginated, filtered by code or name prefix.

use actix_web::{get, web};
use merit_persistence::reference as repo;

use super::dto::{
    ClassificationResponse, DepartmentResponse, LocationResponse, OfficeResponse, ReferenceQuery,
};
use crate::{
    error::ApiError, extract::Query, paging::PageResponse, services::reference, state::AppState,
};

type ListResult<T> = Result<web::Json<PageResponse<T>>, ApiError>;

/// List departments
///
/// State departments in code order.
#[utoipa::path(
    tag = "reference",
    params(ReferenceQuery),
    responses((status = 200, description = "A page of departments.", body = PageResponse<DepartmentResponse>))
)]
#[get("/departments")]
pub async fn list_departments(
    state: web::Data<AppState>,
    Query(query): Query<ReferenceQuery>,
) -> ListResult<DepartmentResponse> {
    let list = query.into_list("departments", str::to_ascii_uppercase)?;
    let page = state
        .db
        .read(move |conn| reference::list(conn, &list, repo::list_departments))
        .await?;
    Ok(web::Json(PageResponse::from_page(
        page,
        "departments",
        |d| d.code.as_str(),
        DepartmentResponse::from,
    )))
}

/// List classifications
///
/// Civil-service job classifications in class-code order.
#[utoipa::path(
    tag = "reference",
    params(ReferenceQuery),
    responses((status = 200, description = "A page of classifications.", body = PageResponse<ClassificationResponse>))
)]
#[get("/classifications")]
pub async fn list_classifications(
    state: web::Data<AppState>,
    Query(query): Query<ReferenceQuery>,
) -> ListResult<ClassificationResponse> {
    let list = query.into_list("classifications", str::to_ascii_uppercase)?;
    let page = state
        .db
        .read(move |conn| reference::list(conn, &list, repo::list_classifications))
        .await?;
    Ok(web::Json(PageResponse::from_page(
        page,
        "classifications",
        |c| c.code.as_str(),
        ClassificationResponse::from,
    )))
}

/// List locations
///
/// California's 58 counties in code order (which is alphabetical).
#[utoipa::path(
    tag = "reference",
    params(ReferenceQuery),
    responses((status = 200, description = "A page of locations.", body = PageResponse<LocationResponse>))
)]
#[get("/locations")]
pub async fn list_locations(
    state: web::Data<AppState>,
    Query(query): Query<ReferenceQuery>,
) -> ListResult<LocationResponse> {
    let list = query.into_list("locations", str::to_ascii_lowercase)?;
    let page = state
        .db
        .read(move |conn| reference::list(conn, &list, repo::list_locations))
        .await?;
    Ok(web::Json(PageResponse::from_page(
        page,
        "locations",
        |l| l.code.as_str(),
        LocationResponse::from,
    )))
}

/// List offices
///
/// Workforce offices in code order.
#[utoipa::path(
    tag = "reference",
    params(ReferenceQuery),
    responses((status = 200, description = "A page of offices.", body = PageResponse<OfficeResponse>))
)]
#[get("/offices")]
pub async fn list_offices(
    state: web::Data<AppState>,
    Query(query): Query<ReferenceQuery>,
) -> ListResult<OfficeResponse> {
    let list = query.into_list("offices", str::to_ascii_uppercase)?;
    let page = state
        .db
        .read(move |conn| reference::list(conn, &list, repo::list_offices))
        .await?;
    Ok(web::Json(PageResponse::from_page(
        page,
        "offices",
        |o| o.code.as_str(),
        OfficeResponse::from,
    )))
}
