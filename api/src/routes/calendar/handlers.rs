//! Handlers of the staff calendar: extract, call one use case, render.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, put, web};
use merit_domain::ids::AppointmentId;
use merit_persistence::appointments::Appointment;

use super::dto::*;
use crate::{
    auth::StaffUser,
    conditional::{IfMatch, json_with_tag},
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound, PreconditionFailed},
    paging::{PageResponse, Paging},
    services::staff::appointments as service,
    state::AppState,
};

const LIST: &str = "staff-appointments";

/// Make an appointment
///
/// On my calendar, or a colleague's of my office (`staff_id`); admins name the staff member,
/// and the appointment belongs to that member's office. Optionally about an open case of the
/// same office. 409 `appointment_conflict` when the staff member has another appointment
/// (not cancelled) at an overlapping time; the detail names it. Back-to-back appointments
/// (one ends when the next starts) do not overlap.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = AppointmentRequest,
    responses(
        (status = 201, description = "The appointment, scheduled.", body = AppointmentResponse, headers(
            ("Location" = String, description = "The appointment's URL."),
            ("ETag" = String, description = "Its version, for `If-Match`."),
        )),
        (status = 409, response = Conflict),
    )
)]
#[post("/staff/appointments")]
pub async fn create_appointment(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<AppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let details = body.parse()?;
    let now = state.clock.now();
    let appointment = state
        .db
        .write(move |conn| service::create(conn, &user, details, now))
        .await?;
    let location = format!("/api/v1/staff/appointments/{}", appointment.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::ETAG, service::etag(&appointment)))
        .json(AppointmentResponse::new(appointment)))
}

/// List appointments
///
/// My calendar by default (`scope=mine`); `scope=all` lists every appointment I may see (my
/// office's; every office's for admins), `staff_id` one colleague's. `from` and `to` keep the
/// appointments that overlap that range. Earliest start first.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(AppointmentListQuery),
    responses((status = 200, description = "A page of appointments.", body = PageResponse<AppointmentResponse>))
)]
#[get("/staff/appointments")]
pub async fn list_appointments(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<AppointmentListQuery>,
) -> Result<web::Json<PageResponse<AppointmentResponse>>, ApiError> {
    let paging = Paging::parse(LIST, query.limit, query.cursor.as_deref())?
        .keyed(merit_persistence::appointments::is_list_key)?;
    let filter = query.parse()?;
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, filter, page),
            merit_persistence::appointments::list_key,
            AppointmentResponse::new,
        )
        .await
}

/// My calendar at a glance
///
/// How many of my scheduled appointments are upcoming (start from now on) and new (made in the
/// last 7 days and not over yet), and the next few (`next`, default 5).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(CalendarSummaryQuery),
    responses((status = 200, description = "My calendar's counts and next appointments.", body = CalendarSummaryResponse))
)]
#[get("/staff/appointments/summary")]
pub async fn get_calendar_summary(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Query(query): Query<CalendarSummaryQuery>,
) -> Result<web::Json<CalendarSummaryResponse>, ApiError> {
    let next = match query.next {
        None => 5,
        Some(n @ 0..=20) => n as i64,
        Some(_) => {
            return Err(ApiError::invalid(
                "next",
                "out_of_range",
                "List 0 to 20 of the next appointments.",
            ));
        }
    };
    let now = state.clock.now();
    let summary = state
        .db
        .read(move |conn| service::summary(conn, &user, next, now))
        .await?;
    Ok(web::Json(CalendarSummaryResponse::new(summary)))
}

/// Read an appointment
///
/// An appointment of my office (any office for admins); others are 404.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The appointment's id."),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds: 304 when it is current.")
    ),
    responses(
        (status = 200, description = "The appointment.", body = AppointmentResponse, headers(("ETag" = String, description = "Its version, for `If-Match`."))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`."),
        (status = 404, response = NotFound),
    )
)]
#[get("/staff/appointments/{id}")]
pub async fn get_appointment(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AppointmentId>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let appointment = state
        .db
        .read(move |conn| service::get(conn, &user, id))
        .await?;
    let tag = service::etag(&appointment);
    json_with_tag(&req, &tag, &AppointmentResponse::new(appointment))
}

fn changed(appointment: Appointment) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, service::etag(&appointment)))
        .json(AppointmentResponse::new(appointment))
}

/// Change an appointment
///
/// Replaces its details (time, place, case, staff member of its office) and optionally its
/// status. The same rules as making one apply, conflicts included (the appointment itself
/// aside). 409 `appointment_cancelled` for a cancelled appointment.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The appointment's id."),
        ("If-Match" = Option<String>, Header, description = "Change only this version (its `ETag`).")
    ),
    request_body = AppointmentUpdateRequest,
    responses(
        (status = 200, description = "The appointment.", body = AppointmentResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
    )
)]
#[put("/staff/appointments/{id}")]
pub async fn update_appointment(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AppointmentId>,
    if_match: IfMatch,
    Json(body): Json<AppointmentUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let change = body.parse()?;
    let now = state.clock.now();
    let appointment = state
        .db
        .write(move |conn| service::update(conn, &user, id, change, &if_match, now))
        .await?;
    Ok(changed(appointment))
}

/// Cancel an appointment
///
/// Cancelled is final and frees the time; cancelling again changes nothing.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The appointment's id."),
        ("If-Match" = Option<String>, Header, description = "Cancel only this version (its `ETag`).")
    ),
    responses(
        (status = 200, description = "The appointment, cancelled.", body = AppointmentResponse, headers(("ETag" = String, description = "The new version."))),
        (status = 404, response = NotFound),
        (status = 412, response = PreconditionFailed),
    )
)]
#[post("/staff/appointments/{id}/cancel")]
pub async fn cancel_appointment(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    PathId(id): PathId<AppointmentId>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let appointment = state
        .db
        .write(move |conn| service::cancel(conn, &user, id, &if_match, now))
        .await?;
    Ok(changed(appointment))
}
