//! Shapes of the staff calendar.

use chrono::{DateTime, Utc};
use merit_domain::{
    appointment as domain,
    ids::{AccountId, CaseId},
};
use merit_persistence::appointments::Appointment;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::ApiError,
    routes::{
        staff::CaseListScope,
        strings::{IdValue, WebLinkValue},
        terms::api_enum,
        text::Line,
    },
    services::staff::appointments::{
        AppointmentChange, AppointmentDetails, AppointmentQuery, CalendarSummary,
    },
    validation::{Fields, optional_id},
};

api_enum!(
    /// Where an appointment stands: `scheduled`, `completed` (it took place), `cancelled`
    /// (final; frees the time), `no_show` (the person did not come). `completed` and `no_show`
    /// are set once the appointment has started.
    AppointmentStatus => domain::AppointmentStatus {
        /// Planned.
        Scheduled,
        /// It took place.
        Completed,
        /// Called off; final, and frees the time.
        Cancelled,
        /// The person did not come.
        NoShow,
    }
);

/// An appointment as made or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentRequest {
    /// Whose calendar: a staff member of my office (me when absent). Admins must name one;
    /// the appointment belongs to that member's office. On a change, a staff member of the
    /// appointment's office (unchanged when absent).
    #[serde(default)]
    pub staff_id: Option<IdValue>,
    /// The case it is about: an open case of the same office (422 `unknown_case` otherwise).
    #[serde(default)]
    pub case_id: Option<IdValue>,
    /// What it is ("Intake interview").
    pub title: Line<200>,
    /// When it starts (RFC 3339; kept to the microsecond).
    pub starts_at: DateTime<Utc>,
    /// When it ends: after the start (422 `end_before_start`), at most 12 hours later (422
    /// `too_long`).
    pub ends_at: DateTime<Utc>,
    /// Where it takes place. A location, a video link or both is required (422
    /// `place_required`).
    #[serde(default)]
    pub location: Option<Line<200>>,
    /// The video meeting's link.
    #[serde(default)]
    pub video_url: Option<WebLinkValue>,
}

/// A change: the appointment's new details (replacing all of them) and, optionally, status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentUpdateRequest {
    /// A staff member of the appointment's office (unchanged when absent).
    #[serde(default)]
    pub staff_id: Option<IdValue>,
    /// The case it is about (none when absent).
    #[serde(default)]
    pub case_id: Option<IdValue>,
    /// What it is.
    pub title: Line<200>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends (after the start, at most 12 hours later).
    pub ends_at: DateTime<Utc>,
    /// Where it takes place (a location, a video link or both).
    #[serde(default)]
    pub location: Option<Line<200>>,
    /// The video meeting's link.
    #[serde(default)]
    pub video_url: Option<WebLinkValue>,
    /// The new status (unchanged when absent). `completed` and `no_show` once it has started
    /// (422 `not_started`); a cancelled appointment cannot change (409 `appointment_cancelled`).
    #[serde(default)]
    pub status: Option<AppointmentStatus>,
}

/// An appointment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentResponse {
    /// Opaque id.
    pub id: String,
    /// The office it belongs to (its staff member's when it was made).
    pub office_code: String,
    /// Whose calendar it is on.
    pub staff_id: String,
    /// The case it is about.
    pub case_id: Option<String>,
    /// What it is.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Where it takes place.
    pub location: Option<String>,
    /// The video meeting's link.
    pub video_url: Option<String>,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// Who made it.
    pub created_by: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// The version (its `ETag`, quoted, for `If-Match` on a change).
    pub version: i64,
}

/// An appointment list: paging and filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AppointmentListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// `mine` (default): my calendar; `all`: every appointment I may see (my office's; every
    /// office's for admins).
    #[param(inline)]
    pub scope: Option<CaseListScope>,
    /// Only this staff member's calendar (overrides `scope`).
    #[param(value_type = Option<IdValue>)]
    pub staff_id: Option<String>,
    /// Only appointments about this case.
    #[param(value_type = Option<IdValue>)]
    pub case_id: Option<String>,
    /// Only appointments still going on at or after this instant (they end after it).
    pub from: Option<DateTime<Utc>>,
    /// Only appointments starting before this instant (after `from`, 422 `end_before_start`
    /// otherwise).
    pub to: Option<DateTime<Utc>>,
    /// Only appointments with this status.
    pub status: Option<AppointmentStatus>,
}

/// How many of my next appointments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarSummaryQuery {
    /// How many of the next appointments to include, 0 to 20.
    #[param(minimum = 0, maximum = 20, default = 5)]
    pub next: Option<u64>,
}

/// My calendar at a glance.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSummaryResponse {
    /// My scheduled appointments starting from now on.
    pub upcoming: i64,
    /// My scheduled appointments not yet over that were made in the last 7 days.
    pub new: i64,
    /// My next scheduled appointments, earliest first.
    pub next: Vec<AppointmentResponse>,
}

fn details(
    fields: &mut Fields,
    staff_id: Option<&str>,
    case_id: Option<&str>,
    title: &Line<200>,
    times: (DateTime<Utc>, DateTime<Utc>),
    location: Option<&Line<200>>,
    video_url: Option<&str>,
) -> Option<AppointmentDetails> {
    let staff_id = optional_id::<AccountId>(fields, "staff_id", staff_id);
    let case_id = optional_id::<CaseId>(fields, "case_id", case_id);
    let title = title.check(fields, "title");
    let location = Line::check_optional(location, fields, "location");
    let video_url = fields.check_optional(
        "video_url",
        "invalid_link",
        video_url.map(merit_domain::text::web_link),
    );
    match (staff_id, case_id, title) {
        (Some(staff_id), Some(case_id), Some(title)) if fields.is_ok() => {
            Some(AppointmentDetails {
                staff_id,
                case_id,
                title,
                starts_at: times.0,
                ends_at: times.1,
                location,
                video_url,
            })
        }
        _ => None,
    }
}

impl AppointmentRequest {
    /// The checked details.
    pub fn parse(self) -> Result<AppointmentDetails, ApiError> {
        let mut fields = Fields::new();
        let found = details(
            &mut fields,
            self.staff_id.as_deref(),
            self.case_id.as_deref(),
            &self.title,
            (self.starts_at, self.ends_at),
            self.location.as_ref(),
            self.video_url.as_deref(),
        );
        fields.into_result(found)
    }
}

impl AppointmentUpdateRequest {
    /// The checked change.
    pub fn parse(self) -> Result<AppointmentChange, ApiError> {
        let mut fields = Fields::new();
        let found = details(
            &mut fields,
            self.staff_id.as_deref(),
            self.case_id.as_deref(),
            &self.title,
            (self.starts_at, self.ends_at),
            self.location.as_ref(),
            self.video_url.as_deref(),
        );
        let status = self.status.map(Into::into);
        fields.into_result(found.map(|details| AppointmentChange { details, status }))
    }
}

impl AppointmentListQuery {
    /// The checked filters.
    pub fn parse(&self) -> Result<AppointmentQuery, ApiError> {
        let mut fields = Fields::new();
        let staff_id = optional_id::<AccountId>(&mut fields, "staff_id", self.staff_id.as_deref());
        let case_id = optional_id::<CaseId>(&mut fields, "case_id", self.case_id.as_deref());
        let query = match (staff_id, case_id) {
            (Some(staff_id), Some(case_id)) => Some(AppointmentQuery {
                scope: self.scope.map(Into::into).unwrap_or_default(),
                staff_id,
                case_id,
                from: self.from,
                to: self.to,
                status: self.status.map(Into::into),
            }),
            _ => None,
        };
        fields.into_result(query)
    }
}

impl AppointmentResponse {
    /// The response for an appointment.
    pub fn new(a: Appointment) -> Self {
        AppointmentResponse {
            id: a.id.to_string(),
            office_code: a.office_code,
            staff_id: a.staff_id.to_string(),
            case_id: a.case_id.map(|c| c.to_string()),
            title: a.title,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            location: a.location,
            video_url: a.video_url,
            status: a.status.into(),
            created_by: a.created_by.to_string(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

impl CalendarSummaryResponse {
    /// The response for a summary.
    pub fn new(s: CalendarSummary) -> Self {
        CalendarSummaryResponse {
            upcoming: s.upcoming,
            new: s.new,
            next: s.next.into_iter().map(AppointmentResponse::new).collect(),
        }
    }
}
