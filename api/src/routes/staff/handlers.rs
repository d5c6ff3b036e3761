//! Handlers of the staff workspace: extract, call one use case, render.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use merit_domain::ids::{AccountId, CaseId};

use super::{convert::*, dto::*};
use crate::{
    auth::StaffUser,
    conditional::{IfMatch, json_with_tag},
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound, PreconditionFailed},
    paging::{PageQuery, PageResponse, Paging},
    services::staff::{self as service, CaseFilterCommand},
    state::AppState,
    validation::{Fields, optional_id},
};

/// Open a case
///
/// For an individual (a job seeker's account, found with the quick search) or an employer
/// organisation named on the case. Staff open cases in their own office (assigned to
/// themselves unless they name a colleague of the office); admins name the staff member, and
/// the case goes to that member's office. 409 `case_already_open` when the office has an open
/// case for them. 403 for anyone who is neither staff nor admin.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = OpenCaseRequest,
    responses(
        (status = 201, description = "The case.", body = CaseResponse, headers(("Location" = String, description = "The case's URL."))),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/cases")]
pub async fn open_case(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<OpenCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| service::open(conn, &user, command, now))
        .await?;
    let location = format!("/api/v1/staff/cases/{}", view.case.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(CaseResponse::new(view)))
}

/// List cases
///
/// My case load by default (`scope=mine`); `scope=all` lists every case I may see (my office's;
/// every office's for admins), `assigned_staff_id` one colleague's. Newest first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(CaseListQuery),
    responses((status = 200, description = "A page of cases.", body = PageResponse<CaseResponse>))
)]
#[get("/staff/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<CaseListQuery>,
) -> Result<web::Json<PageResponse<CaseResponse>>, ApiError> {
    let paging = Paging::parse("staff-cases", query.limit, query.cursor.as_deref())?;
    let mut fields = Fields::new();
    let assigned_staff_id = optional_id::<AccountId>(
        &mut fields,
        "assigned_staff_id",
        query.assigned_staff_id.as_deref(),
    );
    let assigned_staff_id = fields.into_result(assigned_staff_id)?;
    let filter = CaseFilterCommand {
        scope: query.scope.map(Into::into).unwrap_or_default(),
        assigned_staff_id,
        status: query.status.map(Into::into),
        kind: query.kind.map(Into::into),
    };
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, filter, page),
            |v| v.case.id,
            CaseResponse::new,
        )
        .await
}

/// Read a case
///
/// A case of my office (any office for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The case's id."),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds: 304 when it is current.")
    ),
    responses(
        (status = 200, description = "The case.", body = CaseResponse, headers(("ETag" = String, description = "Its version, for `If-Match`."))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .db
        .read(move |conn| service::get(conn, &user, id))
        .await?;
    let tag = service::etag(&view.case);
    json_with_tag(&req, &tag, &CaseResponse::new(view))
}

/// The case's answer to a change, with its new `ETag`.
fn changed(view: service::CaseView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, service::etag(&view.case)))
        .json(CaseResponse::new(view))
}

/// Assign a case
///
/// Gives the case to a staff member of its office (422 `unknown_staff` for anyone else). 409
/// `case_closed` for a closed case.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The case's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = AssignCaseRequest,
    responses(
        (status = 200, description = "The case.", body = CaseResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/staff/cases/{id}/assignment")]
pub async fn assign_case(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    if_match: IfMatch,
    Json(body): Json<AssignCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = assignee(&body)?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| service::assign(conn, &user, id, staff, &if_match, now))
        .await?;
    Ok(changed(view))
}

/// Change a case's status
///
/// `active` and `inactive` move freely; `closed` needs a `reason` (422 `reason_required`) and
/// is final (409 `case_closed` afterwards). A reason on any other move is 422
/// `reason_not_allowed`.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The case's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = CaseStatusRequest,
    responses(
        (status = 200, description = "The case.", body = CaseResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/staff/cases/{id}/status")]
pub async fn change_case_status(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    if_match: IfMatch,
    Json(body): Json<CaseStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let status = body.status.into();
    let reason = body.reason.map(Into::into);
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| service::set_status(conn, &user, id, status, reason, &if_match, now))
        .await?;
    Ok(changed(view))
}

/// Record a service
///
/// A service from the code list given on an open case, on a day not after today, by me or a
/// staff member of the case's office (`staff_id`).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id.")),
    request_body = ActivityRequest,
    responses(
        (status = 201, description = "The service recorded.", body = ActivityResponse),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/cases/{id}/activities")]
pub async fn record_case_activity(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    Json(body): Json<ActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let activity = state
        .db
        .write(move |conn| service::record_activity(conn, &user, id, command, now))
        .await?;
    Ok(HttpResponse::Created().json(ActivityResponse::new(activity)))
}

/// A case's services
///
/// Newest recorded first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id."), PageQuery),
    responses(
        (status = 200, description = "A page of services.", body = PageResponse<ActivityResponse>),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/cases/{id}/activities")]
pub async fn list_case_activities(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<ActivityResponse>>, ApiError> {
    let paging = Paging::parse("case-activities", page.limit, page.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::activities(conn, &user, id, page),
            |a| a.id,
            ActivityResponse::new,
        )
        .await
}

/// Record a placement
///
/// A job the individual of an open case started: employer, the posting (or a free-text
/// title), start date and hourly wage in cents; credited to me or a staff member of the case's
/// office. 409 `not_an_individual_case` on an employer's case.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id.")),
    request_body = PlacementRequest,
    responses(
        (status = 201, description = "The placement recorded.", body = PlacementResponse),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/cases/{id}/placements")]
pub async fn record_case_placement(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    Json(body): Json<PlacementRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = body.parse()?;
    let now = state.clock.now();
    let placement = state
        .db
        .write(move |conn| service::record_placement(conn, &user, id, command, now))
        .await?;
    Ok(HttpResponse::Created().json(PlacementResponse::new(placement)))
}

/// A case's placements
///
/// Newest recorded first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The case's id."), PageQuery),
    responses(
        (status = 200, description = "A page of placements.", body = PageResponse<PlacementResponse>),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/cases/{id}/placements")]
pub async fn list_case_placements(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<CaseId>,
    Query(page): Query<PageQuery>,
) -> Result<web::Json<PageResponse<PlacementResponse>>, ApiError> {
    let paging = Paging::parse("case-placements", page.limit, page.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::placements(conn, &user, id, page),
            |p| p.id,
            PlacementResponse::new,
        )
        .await
}

/// Quick search: individuals
///
/// Job seekers with a case I may see whose name, email, username or phone contains `q`, and
/// any job seeker whose email or username is exactly `q` (to open a first case for them).
/// Newest account first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(QuickSearchQuery),
    responses((status = 200, description = "A page of job seekers.", body = PageResponse<IndividualResult>))
)]
#[get("/staff/quick-search/individuals")]
pub async fn search_individuals(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<QuickSearchQuery>,
) -> Result<web::Json<PageResponse<IndividualResult>>, ApiError> {
    let text = search_text(&query.q)?;
    let paging = Paging::parse("staff-individuals", query.limit, query.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::search_individuals(conn, &user, &text, page),
            |hit| hit.person.id,
            IndividualResult::new,
        )
        .await
}

/// Quick search: employers
///
/// Employers' cases I may see whose name, contact name, email or phone contains `q`. Newest
/// first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(QuickSearchQuery),
    responses((status = 200, description = "A page of employers' cases.", body = PageResponse<CaseResponse>))
)]
#[get("/staff/quick-search/employers")]
pub async fn search_employers(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<QuickSearchQuery>,
) -> Result<web::Json<PageResponse<CaseResponse>>, ApiError> {
    let text = search_text(&query.q)?;
    let paging = Paging::parse("staff-employers", query.limit, query.cursor.as_deref())?;
    paging
        .read(
            &state.db,
            move |conn, page| service::search_employers(conn, &user, &text, page),
            |v| v.case.id,
            CaseResponse::new,
        )
        .await
}

/// Report indicators
///
/// For an office and a period (`from` to `to`, whole days in Pacific time, at most 366): placements
/// starting in it, services given by code, cases opened and closed, in total and per staff
/// member (services and placements credited to their staff member, openings and closings to
/// who made them). Counted from the records when asked. Staff report on their own office;
/// admins name one. `staff_id` narrows to one staff member.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(IndicatorsQuery),
    responses(
        (status = 200, description = "The indicators.", body = IndicatorsResponse),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/report-indicators")]
pub async fn get_report_indicators(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<IndicatorsQuery>,
) -> Result<web::Json<IndicatorsResponse>, ApiError> {
    let query = query.parse()?;
    let report = state
        .db
        .read(move |conn| service::indicators(conn, &user, query))
        .await?;
    Ok(web::Json(IndicatorsResponse::new(report)))
}
