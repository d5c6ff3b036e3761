//! Services given and placements made, recorded on a case.

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{
    case::{ActivityCode, CaseKind, CaseStatus},
    ids::{AccountId, ActivityId, CaseId, EntityId, PlacementId, PostingId},
};
use merit_persistence::{
    DbConnection, Page, PageRequest,
    cases::{self, Activity, Case, Placement},
    postings,
};
use serde_json::json;

use super::{case_load::person_of, staff_member, workable};
use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// Record a service.
#[derive(Debug, Clone)]
pub struct RecordActivity {
    /// Which service.
    pub code: ActivityCode,
    /// The day it was given (not after today).
    pub provided_on: NaiveDate,
    /// Who gave it (the caller when absent).
    pub staff_id: Option<AccountId>,
    /// A note.
    pub note: Option<String>,
}

/// Record a placement.
#[derive(Debug, Clone)]
pub struct RecordPlacement {
    /// The employer that hired.
    pub employer_name: String,
    /// The posting, when the job was posted on Merit.
    pub posting_id: Option<PostingId>,
    /// The job's title (the posting's when absent).
    pub job_title: Option<String>,
    /// The first day of work.
    pub start_date: NaiveDate,
    /// The hourly wage in cents.
    pub hourly_wage_cents: i64,
    /// Who is credited with it (the caller when absent).
    pub staff_id: Option<AccountId>,
}

fn open_case(conn: &mut DbConnection, user: &AuthUser, id: CaseId) -> Result<Case, ApiError> {
    let (case, _) = workable(conn, user, id)?;
    if case.status == CaseStatus::Closed {
        return Err(ApiError::new(
            Code::CaseClosed,
            "The case is closed: nothing more is recorded on it.",
        ));
    }
    Ok(case)
}

fn credited(
    conn: &mut DbConnection,
    user: &AuthUser,
    case: &Case,
    staff: Option<AccountId>,
) -> Result<AccountId, ApiError> {
    match staff {
        None => Ok(user.id()),
        Some(id) => Ok(staff_member(conn, user, id, &case.office_code, "staff_id")?.id),
    }
}

/// Records a service given on an open case of the caller's scope.
pub fn record_activity(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    command: RecordActivity,
    now: DateTime<Utc>,
) -> Result<Activity, ApiError> {
    let case = open_case(conn, user, id)?;
    if command.provided_on > now.date_naive() {
        return Err(ApiError::invalid(
            "provided_on",
            "in_future",
            "A service is recorded once given: the date may not be after today.",
        ));
    }
    let staff_id = credited(conn, user, &case, command.staff_id)?;
    let activity = Activity {
        id: ActivityId::from_uuid(uuid::Uuid::now_v7()),
        case_id: case.id,
        code: command.code,
        provided_on: command.provided_on,
        staff_id,
        note: command.note,
        recorded_by: user.id(),
        recorded_at: now,
        office_code: case.office_code.clone(),
    };
    cases::insert_activity(conn, &activity)?;
    audit::record(
        conn,
        AuditKind::CaseActivityRecorded,
        Some(user.id()),
        person_of(&case),
        json!({
            "case_id": case.id.to_string(),
            "activity_id": activity.id.to_string(),
            "code": activity.code.as_str(),
            "staff_id": activity.staff_id.to_string(),
        }),
        now,
    )?;
    Ok(activity)
}

/// Records a job placement on an open individual's case of the caller's scope.
pub fn record_placement(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    command: RecordPlacement,
    now: DateTime<Utc>,
) -> Result<Placement, ApiError> {
    let case = open_case(conn, user, id)?;
    if case.subject.kind() != CaseKind::Individual {
        return Err(ApiError::new(
            Code::NotAnIndividualCase,
            "Placements are recorded on the case of the individual who was placed.",
        ));
    }
    let posting_title = match command.posting_id {
        Some(posting) => Some(
            postings::find(conn, posting)?
                .map(|p| p.title.as_str().to_owned())
                .ok_or_else(|| {
                    ApiError::invalid("posting_id", "unknown_posting", "No posting has this id.")
                })?,
        ),
        None => None,
    };
    let job_title = command.job_title.or(posting_title).ok_or_else(|| {
        ApiError::invalid(
            "job_title",
            "required",
            "Give the job's title, or the posting it was found through.",
        )
    })?;
    let staff_id = credited(conn, user, &case, command.staff_id)?;
    let placement = Placement {
        id: PlacementId::from_uuid(uuid::Uuid::now_v7()),
        case_id: case.id,
        employer_name: command.employer_name,
        posting_id: command.posting_id,
        job_title,
        start_date: command.start_date,
        hourly_wage_cents: command.hourly_wage_cents,
        staff_id,
        recorded_by: user.id(),
        recorded_at: now,
        office_code: case.office_code.clone(),
    };
    cases::insert_placement(conn, &placement)?;
    audit::record(
        conn,
        AuditKind::CasePlacementRecorded,
        Some(user.id()),
        person_of(&case),
        json!({
            "case_id": case.id.to_string(),
            "placement_id": placement.id.to_string(),
            "staff_id": placement.staff_id.to_string(),
        }),
        now,
    )?;
    Ok(placement)
}

/// A page of a case's services, newest recorded first.
pub fn activities(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    page: PageRequest<'_>,
) -> Result<Page<Activity>, ApiError> {
    let (case, _) = workable(conn, user, id)?;
    Ok(cases::activities(conn, case.id, page)?)
}

/// A page of a case's placements, newest recorded first.
pub fn placements(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CaseId,
    page: PageRequest<'_>,
) -> Result<Page<Placement>, ApiError> {
    let (case, _) = workable(conn, user, id)?;
    Ok(cases::placements(conn, case.id, page)?)
}
