//! Reference data handlers: public lists (paginated, filtered by code or name prefix) and
//! admin additions.

use actix_web::{HttpResponse, get, post, web};
use merit_domain::reference::{Classification, Department, Location, Office};

use super::dto::{
    ClassificationResponse, DepartmentResponse, LocationResponse, NewClassificationRequest,
    NewDepartmentRequest, NewLocationRequest, NewOfficeRequest, OfficeResponse, ReferenceQuery,
};
use crate::{
    auth::Admin,
    error::ApiError,
    extract::{Json, Query},
    openapi::{Conflict, Forbidden},
    paging::PageResponse,
    services::reference,
    state::AppState,
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
        .read(move |conn| reference::list::<Department>(conn, &list))
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
        .read(move |conn| reference::list::<Classification>(conn, &list))
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
        .read(move |conn| reference::list::<Location>(conn, &list))
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
        .read(move |conn| reference::list::<Office>(conn, &list))
        .await?;
    Ok(web::Json(PageResponse::from_page(
        page,
        "offices",
        |o| o.code.as_str(),
        OfficeResponse::from,
    )))
}

fn created<T: serde::Serialize>(list: &str, code: &str, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/{list}?code={code}")))
        .json(body)
}

/// Add a department
///
/// Admins only. The code is kept in upper case and must not be in use yet (409); it is also
/// the username prefix of the department's employer accounts.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    request_body = NewDepartmentRequest,
    responses((status = 201, description = "Added.", body = DepartmentResponse), (status = 403, response = Forbidden), (status = 409, response = Conflict))
)]
#[post("/departments")]
pub async fn create_department(
    state: web::Data<AppState>,
    _admin: Admin,
    Json(body): Json<NewDepartmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let department = body.parse()?;
    let code = department.code.to_string();
    let department = state
        .db
        .write(move |conn| reference::create(conn, &department).map(|()| department))
        .await?;
    Ok(created(
        "departments",
        &code,
        DepartmentResponse::from(department),
    ))
}

/// Add a classification
///
/// Admins only. The class code is kept in upper case and must not be in use yet (409).
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    request_body = NewClassificationRequest,
    responses((status = 201, description = "Added.", body = ClassificationResponse), (status = 403, response = Forbidden), (status = 409, response = Conflict))
)]
#[post("/classifications")]
pub async fn create_classification(
    state: web::Data<AppState>,
    _admin: Admin,
    Json(body): Json<NewClassificationRequest>,
) -> Result<HttpResponse, ApiError> {
    let classification = body.parse()?;
    let code = classification.code.to_string();
    let classification = state
        .db
        .write(move |conn| reference::create(conn, &classification).map(|()| classification))
        .await?;
    Ok(created(
        "classifications",
        &code,
        ClassificationResponse::from(classification),
    ))
}

/// Add a location
///
/// Admins only: a county, by a slug kept in lower case that must not be in use yet (409),
/// with its name and five-digit FIPS code.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    request_body = NewLocationRequest,
    responses((status = 201, description = "Added.", body = LocationResponse), (status = 403, response = Forbidden), (status = 409, response = Conflict))
)]
#[post("/locations")]
pub async fn create_location(
    state: web::Data<AppState>,
    _admin: Admin,
    Json(body): Json<NewLocationRequest>,
) -> Result<HttpResponse, ApiError> {
    let location = body.parse()?;
    let code = location.code.to_string();
    let location = state
        .db
        .write(move |conn| reference::create(conn, &location).map(|()| location))
        .await?;
    Ok(created(
        "locations",
        &code,
        LocationResponse::from(location),
    ))
}

/// Add an office
///
/// Admins only. The code is kept in upper case and must not be in use yet (409); it prefixes
/// the usernames of the office's staff. Its county must exist (422 `unknown_county`).
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    request_body = NewOfficeRequest,
    responses((status = 201, description = "Added.", body = OfficeResponse), (status = 403, response = Forbidden), (status = 409, response = Conflict))
)]
#[post("/offices")]
pub async fn create_office(
    state: web::Data<AppState>,
    _admin: Admin,
    Json(body): Json<NewOfficeRequest>,
) -> Result<HttpResponse, ApiError> {
    let office = body.parse()?;
    let code = office.code.to_string();
    let office = state
        .db
        .write(move |conn| reference::create_office(conn, &office).map(|()| office))
        .await?;
    Ok(created("offices", &code, OfficeResponse::from(office)))
}
