//! Staff calendars: appointments of one staff member, optionally about a case of their office.
//!
//! Scoping is the case load's: staff see and change their office's appointments, admins every
//! office's; an appointment outside the caller's scope is 404. An appointment belongs to the
//! office of its staff member when it was made. One staff member's appointments that hold time
//! (every status but `cancelled`) may not overlap: 409 `appointment_conflict`, naming the
//! appointment in the way. Two makers racing for the same slot are serialised by locking the
//! staff member's account row first.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use merit_domain::{
    account::Role,
    appointment::{self as rules, AppointmentStatus, StatusChangeError, TimesError},
    case::{CaseScope, CaseStatus},
    ids::{AccountId, AppointmentId, CaseId, EntityId},
    reference::OfficeCode,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, accounts,
    appointments::{self, Appointment, AppointmentFilter},
    profiles,
};
use serde_json::json;

use super::{ListScope, office_filter, scope, staff_member, workable};
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// What an appointment is: the fields a maker sets and a change replaces.
#[derive(Debug, Clone)]
pub struct AppointmentDetails {
    /// Whose calendar (the caller when absent; admins must name one).
    pub staff_id: Option<AccountId>,
    /// The case it is about.
    pub case_id: Option<CaseId>,
    /// What it is.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Where.
    pub location: Option<String>,
    /// Or by which video link.
    pub video_url: Option<String>,
}

/// A change: new details, and the status (`None` keeps it).
#[derive(Debug, Clone)]
pub struct AppointmentChange {
    /// The details, replacing the old ones.
    pub details: AppointmentDetails,
    /// The new status.
    pub status: Option<AppointmentStatus>,
}

/// The filters of an appointment list.
#[derive(Debug, Clone, Default)]
pub struct AppointmentQuery {
    /// Mine (the default) or all in scope.
    pub scope: ListScope,
    /// One staff member's (overrides `scope`).
    pub staff_id: Option<AccountId>,
    /// About one case.
    pub case_id: Option<CaseId>,
    /// Going on at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// One status.
    pub status: Option<AppointmentStatus>,
}

/// The calendar counts of a staff member.
#[derive(Debug, Clone)]
pub struct CalendarSummary {
    /// Scheduled appointments starting from now on.
    pub upcoming: i64,
    /// Scheduled appointments not yet over that were made in the last
    /// [`rules::NEW_FOR_DAYS`] days.
    pub new: i64,
    /// The next few scheduled appointments.
    pub next: Vec<Appointment>,
}

fn not_found() -> ApiError {
    ApiError::not_found("appointment")
}

/// The ETag of an appointment version.
pub fn etag(appointment: &Appointment) -> String {
    version_tag(appointment.version)
}

/// Instants are kept to the microsecond (what both databases hold).
fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// The staff member whose calendar it goes on, and their office.
fn calendar_owner(
    conn: &mut DbConnection,
    user: &AuthUser,
    scope: &CaseScope,
    staff: Option<AccountId>,
) -> Result<(AccountId, String), ApiError> {
    match (scope, staff) {
        (CaseScope::Office(office), None) => Ok((user.id(), office.as_str().to_owned())),
        (CaseScope::Office(office), Some(id)) => {
            let member = staff_member(conn, user, id, office.as_str(), "staff_id")?;
            Ok((member.id, office.as_str().to_owned()))
        }
        (_, None) => Err(ApiError::invalid(
            "staff_id",
            "required",
            "An admin names the staff member whose calendar the appointment goes on.",
        )),
        (_, Some(id)) => {
            let member = accounts::find(conn, id)?
                .filter(|a| a.roles.has(Role::Staff) && !a.disabled)
                .ok_or_else(|| {
                    ApiError::invalid("staff_id", "unknown_staff", "No staff member has this id.")
                })?;
            let office = member.office.as_ref().ok_or_else(|| {
                ApiError::invalid(
                    "staff_id",
                    "unknown_staff",
                    "This staff member has no office.",
                )
            })?;
            Ok((member.id, office.as_str().to_owned()))
        }
    }
}

/// Checks the details against the rules and the data: times, the case (one of the office's,
/// open), and a place or a link.
fn check_details(
    conn: &mut DbConnection,
    user: &AuthUser,
    office: &str,
    details: &AppointmentDetails,
    keep_case: Option<CaseId>,
) -> Result<(), ApiError> {
    rules::check_times(details.starts_at, details.ends_at).map_err(|e| {
        let code = match e {
            TimesError::EndNotAfterStart => "end_before_start",
            TimesError::TooLong => "too_long",
        };
        ApiError::invalid("ends_at", code, format!("{}.", capitalised(&e.to_string())))
    })?;
    if details.location.is_none() && details.video_url.is_none() {
        return Err(ApiError::invalid(
            "location",
            "place_required",
            "Say where the appointment is (location) or give its video link (video_url).",
        ));
    }
    if let Some(case_id) = details.case_id {
        let unknown = || {
            ApiError::invalid(
                "case_id",
                "unknown_case",
                format!("No case of office {office} has this id."),
            )
        };
        let (case, _) = workable(conn, user, case_id).map_err(|e| match e {
            ApiError::NotFound { .. } => unknown(),
            other => other,
        })?;
        if case.office_code != office {
            return Err(unknown());
        }
        // A closed case keeps the appointments it had, but gets no new ones.
        if case.status == CaseStatus::Closed && keep_case != Some(case_id) {
            return Err(ApiError::new(
                Code::CaseClosed,
                "The case is closed: no appointment is made for it.",
            ));
        }
    }
    Ok(())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// 409 `appointment_conflict` when `staff` has another appointment holding time in the span.
fn check_free(
    conn: &mut DbConnection,
    staff: AccountId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<AppointmentId>,
) -> Result<(), ApiError> {
    // Serialises makers of this staff member's appointments (a row lock on PostgreSQL;
    // SQLite's write transactions are serial already), so two cannot both find the slot free.
    profiles::lock_person(conn, staff)?;
    match appointments::first_conflict(conn, staff, starts_at, ends_at, except)? {
        None => Ok(()),
        Some(other) => Err(ApiError::new(
            Code::AppointmentConflict,
            format!(
                "The staff member has appointment {} ({}) from {} to {} at that time.",
                other.id,
                other.title,
                other
                    .starts_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                other
                    .ends_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        )),
    }
}

/// Makes an appointment on the calendar of the caller (or a staff member of their office;
/// admins name any staff member).
pub fn create(
    conn: &mut DbConnection,
    user: &AuthUser,
    mut details: AppointmentDetails,
    now: DateTime<Utc>,
) -> Result<Appointment, ApiError> {
    let scope = scope(user)?;
    details.starts_at = micros(details.starts_at);
    details.ends_at = micros(details.ends_at);
    let (staff_id, office) = calendar_owner(conn, user, &scope, details.staff_id)?;
    check_details(conn, user, &office, &details, None)?;
    check_free(conn, staff_id, details.starts_at, details.ends_at, None)?;
    let appointment = Appointment {
        id: AppointmentId::from_uuid(uuid::Uuid::now_v7()),
        office_code: office,
        staff_id,
        case_id: details.case_id,
        title: details.title,
        starts_at: details.starts_at,
        ends_at: details.ends_at,
        location: details.location,
        video_url: details.video_url,
        status: AppointmentStatus::Scheduled,
        created_by: user.id(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    appointments::insert(conn, &appointment)?;
    audit::record(
        conn,
        AuditKind::AppointmentCreated,
        Some(user.id()),
        None,
        json!({
            "appointment_id": appointment.id.to_string(),
            "staff_id": appointment.staff_id.to_string(),
            "case_id": appointment.case_id.map(|c| c.to_string()),
        }),
        now,
    )?;
    Ok(appointment)
}

/// An appointment in the caller's scope (404 otherwise).
fn visible(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AppointmentId,
) -> Result<(Appointment, CaseScope), ApiError> {
    let scope = scope(user)?;
    let found = appointments::find(conn, id)?.ok_or_else(not_found)?;
    let office = OfficeCode::parse(&found.office_code).map_err(ApiError::internal)?;
    if !scope.covers(&office) {
        return Err(not_found());
    }
    Ok((found, scope))
}

/// One appointment in the caller's scope.
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AppointmentId,
) -> Result<Appointment, ApiError> {
    Ok(visible(conn, user, id)?.0)
}

fn save(
    conn: &mut DbConnection,
    appointment: &mut Appointment,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let read_version = appointment.version;
    appointment.version += 1;
    appointment.updated_at = now;
    if appointments::update(conn, appointment, read_version)? {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

fn status_error(e: StatusChangeError) -> ApiError {
    match e {
        StatusChangeError::Cancelled => ApiError::new(
            Code::AppointmentCancelled,
            "The appointment is cancelled; make a new one.",
        ),
        StatusChangeError::NotStarted => ApiError::invalid(
            "status",
            "not_started",
            "An appointment is completed or missed once it has started.",
        ),
    }
}

/// Replaces an appointment's details (and status): another time, place, case or staff member
/// of the office (admins: of the appointment's office).
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AppointmentId,
    mut change: AppointmentChange,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<Appointment, ApiError> {
    let (mut appointment, _) = visible(conn, user, id)?;
    if_match.check(&etag(&appointment))?;
    let details = &mut change.details;
    details.starts_at = micros(details.starts_at);
    details.ends_at = micros(details.ends_at);
    // A cancelled appointment keeps its details too, not only its status.
    if appointment.status == AppointmentStatus::Cancelled {
        return Err(status_error(StatusChangeError::Cancelled));
    }
    let status = change.status.unwrap_or(appointment.status);
    rules::change_status(appointment.status, status, details.starts_at, now)
        .map_err(status_error)?;
    // The appointment stays in its office: a new staff member is one of that office's.
    let staff_id = match details.staff_id {
        None => appointment.staff_id,
        Some(staff) => {
            let member = staff_member(conn, user, staff, &appointment.office_code, "staff_id")?;
            if !member.roles.has(Role::Staff) {
                return Err(ApiError::invalid(
                    "staff_id",
                    "unknown_staff",
                    format!(
                        "No staff member of office {} has this id.",
                        appointment.office_code
                    ),
                ));
            }
            member.id
        }
    };
    let office = appointment.office_code.clone();
    check_details(conn, user, &office, details, appointment.case_id)?;
    if status.holds_time() {
        check_free(
            conn,
            staff_id,
            details.starts_at,
            details.ends_at,
            Some(appointment.id),
        )?;
    }
    let before = appointment.clone();
    appointment.staff_id = staff_id;
    appointment.case_id = details.case_id;
    appointment.title = details.title.clone();
    appointment.starts_at = details.starts_at;
    appointment.ends_at = details.ends_at;
    appointment.location = details.location.clone();
    appointment.video_url = details.video_url.clone();
    appointment.status = status;
    if appointment == before {
        return Ok(appointment);
    }
    save(conn, &mut appointment, now)?;
    audit::record(
        conn,
        AuditKind::AppointmentUpdated,
        Some(user.id()),
        None,
        json!({
            "appointment_id": appointment.id.to_string(),
            "staff_id": appointment.staff_id.to_string(),
            "status": appointment.status.as_str(),
        }),
        now,
    )?;
    Ok(appointment)
}

/// Cancels an appointment (again is a no-op), freeing its time.
pub fn cancel(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AppointmentId,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<Appointment, ApiError> {
    let (mut appointment, _) = visible(conn, user, id)?;
    if_match.check(&etag(&appointment))?;
    if appointment.status == AppointmentStatus::Cancelled {
        return Ok(appointment);
    }
    let from = appointment.status;
    appointment.status = AppointmentStatus::Cancelled;
    save(conn, &mut appointment, now)?;
    audit::record(
        conn,
        AuditKind::AppointmentCancelled,
        Some(user.id()),
        None,
        json!({
            "appointment_id": appointment.id.to_string(),
            "staff_id": appointment.staff_id.to_string(),
            "from": from.as_str(),
        }),
        now,
    )?;
    Ok(appointment)
}

/// A page of the appointments the caller may see, earliest start first.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    query: AppointmentQuery,
    page: PageRequest<'_>,
) -> Result<Page<Appointment>, ApiError> {
    let scope = scope(user)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to <= from
    {
        return Err(ApiError::invalid(
            "to",
            "end_before_start",
            "The range ends after it starts.",
        ));
    }
    let staff_id = match (query.staff_id, query.scope) {
        (Some(id), _) => Some(id),
        (None, ListScope::Mine) => Some(user.id()),
        (None, ListScope::All) => None,
    };
    Ok(appointments::list(
        conn,
        &AppointmentFilter {
            office: office_filter(&scope),
            staff_id,
            case_id: query.case_id,
            from: query.from,
            to: query.to,
            status: query.status,
        },
        page,
    )?)
}

/// The caller's own calendar counts and next `next` appointments.
pub fn summary(
    conn: &mut DbConnection,
    user: &AuthUser,
    next: i64,
    now: DateTime<Utc>,
) -> Result<CalendarSummary, ApiError> {
    scope(user)?;
    let (upcoming, new) = appointments::counts(conn, user.id(), now, rules::new_since(now))?;
    Ok(CalendarSummary {
        upcoming,
        new,
        next: appointments::next(conn, user.id(), now, next)?,
    })
}
