//! Shapes of the staff workspace: cases, services, placements, quick search and indicators.

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::case as domain;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::routes::{
    strings::{EmailAddressValue, IdValue, OfficeCodeValue, PhoneNumberValue},
    terms::api_enum,
    text::{Line, Paragraphs},
};

api_enum!(
    /// Whom a case is about.
    CaseKind => domain::CaseKind {
        /// A job seeker (an applicant account), named by `person_id`.
        Individual,
        /// An employer organisation, named on the case (`employer`).
        Employer,
    }
);

api_enum!(
    /// Where a case stands: `active` (being worked), `inactive` (kept open, not worked for
    /// now), `closed` (final, with a reason).
    CaseStatus => domain::CaseStatus {
        /// Being worked.
        Active,
        /// Kept open but not worked for now.
        Inactive,
        /// Finished; final.
        Closed,
    }
);

api_enum!(
    /// Why a case was closed.
    CloseReason => domain::CloseReason {
        /// They found work (or the employer filled its needs).
        Employed,
        /// The planned services were given.
        ServicesCompleted,
        /// No contact could be made.
        NoContact,
        /// They moved out of the office's area.
        MovedAway,
        /// They no longer want services.
        DeclinedServices,
        /// Another office or programme took the case over.
        Transferred,
        /// Anything else.
        Other,
    }
);

api_enum!(
    /// A service staff give: `orientation`, `job_referral`, `resume_assistance`, `workshop`,
    /// `career_counseling`, `skills_assessment`, `job_search_assistance`, `follow_up`.
    ActivityCode => domain::ActivityCode {
        /// An orientation to the office's services.
        Orientation,
        /// A referral to a job opening.
        JobReferral,
        /// Help with a résumé.
        ResumeAssistance,
        /// A workshop.
        Workshop,
        /// Career counselling.
        CareerCounseling,
        /// An assessment of skills.
        SkillsAssessment,
        /// Help searching for work.
        JobSearchAssistance,
        /// A follow-up contact.
        FollowUp,
    }
);

api_enum!(
    /// Which cases a list starts from.
    CaseListScope => crate::services::staff::ListScope {
        /// Cases assigned to me (the default).
        Mine,
        /// Every case I may see: my office's (every office's for admins).
        All,
    }
);

/// An employer organisation named on a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerRequest {
    /// The organisation's name (one open case per name and office, ignoring letter case).
    pub name: Line<200>,
    /// Whom to speak to there.
    #[serde(default)]
    pub contact_name: Option<Line<100>>,
    /// Their email address.
    #[serde(default)]
    pub contact_email: Option<EmailAddressValue>,
    /// Their phone number.
    #[serde(default)]
    pub contact_phone: Option<PhoneNumberValue>,
}

/// Open a case: for an individual (`kind: individual` with `person_id`) or an employer
/// (`kind: employer` with `employer`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseRequest {
    /// Whom the case is about.
    pub kind: CaseKind,
    /// The job seeker's account id (individuals only).
    #[serde(default)]
    pub person_id: Option<IdValue>,
    /// The organisation (employers only).
    #[serde(default)]
    pub employer: Option<EmployerRequest>,
    /// The staff member who works it: staff of the case's office. Staff default to
    /// themselves; admins must name one, and the case goes to that member's office.
    #[serde(default)]
    pub assigned_staff_id: Option<IdValue>,
}

/// Give a case to another staff member of its office.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignCaseRequest {
    /// A staff member of the case's office.
    pub assigned_staff_id: IdValue,
}

/// Change a case's status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStatusRequest {
    /// The new status.
    pub status: CaseStatus,
    /// Required when closing; refused otherwise.
    #[serde(default)]
    pub reason: Option<CloseReason>,
}

/// A person or staff member, by name.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    /// The account id.
    pub id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Username.
    pub username: Option<String>,
}

/// The employer a case is about.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerResponse {
    /// The organisation's name.
    pub name: String,
    /// Whom to speak to.
    pub contact_name: Option<String>,
    /// Their email address.
    pub contact_email: Option<String>,
    /// Their phone number.
    pub contact_phone: Option<String>,
}

/// A case.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseResponse {
    /// Opaque id.
    pub id: String,
    /// Whom it is about.
    pub kind: CaseKind,
    /// The office it belongs to.
    pub office_code: String,
    /// The individual (individuals' cases).
    pub person: Option<PersonRef>,
    /// The employer (employers' cases).
    pub employer: Option<EmployerResponse>,
    /// The staff member working it.
    pub assigned_staff: PersonRef,
    /// Where it stands.
    pub status: CaseStatus,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Why it was closed.
    pub close_reason: Option<CloseReason>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// The version (its `ETag`, quoted, for `If-Match` on a change).
    pub version: i64,
}

/// A case list: paging and filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// `mine` (default): cases assigned to me; `all`: every case I may see.
    #[param(inline)]
    pub scope: Option<CaseListScope>,
    /// Only cases assigned to this staff member (overrides `scope`).
    #[param(value_type = Option<IdValue>)]
    pub assigned_staff_id: Option<String>,
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases of this kind.
    pub kind: Option<CaseKind>,
}

/// A quick search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuickSearchQuery {
    /// What to look for: part of a name, email, username or phone number (at least four
    /// digits match phone numbers whatever their punctuation).
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*$")]
    pub q: String,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A case in a quick search result.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRef {
    /// The case's id.
    pub id: String,
    /// Its office.
    pub office_code: String,
    /// Its status.
    pub status: CaseStatus,
    /// Who works it.
    pub assigned_staff_id: String,
}

/// A job seeker found by a quick search.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndividualResult {
    /// The account id (`person_id` when opening a case).
    pub id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Phone number from their profile.
    pub phone: Option<String>,
    /// Their cases that I may see, newest first (empty: found by exact email or username).
    pub cases: Vec<CaseRef>,
}

/// Record a service given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityRequest {
    /// Which service.
    pub code: ActivityCode,
    /// The day it was given (not after today, UTC).
    pub provided_on: NaiveDate,
    /// The staff member who gave it (staff of the case's office); me when absent.
    #[serde(default)]
    pub staff_id: Option<IdValue>,
    /// A note.
    #[serde(default)]
    pub note: Option<Paragraphs<2000>>,
}

/// A service given.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityResponse {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Which service.
    pub code: ActivityCode,
    /// The day it was given.
    pub provided_on: NaiveDate,
    /// Who gave it.
    pub staff_id: String,
    /// A note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// Record a job placement (individuals' cases).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementRequest {
    /// The employer that hired.
    pub employer_name: Line<200>,
    /// The posting, when the job was posted on Merit.
    #[serde(default)]
    pub posting_id: Option<IdValue>,
    /// The job's title; the posting's title when absent (one of the two is required).
    #[serde(default)]
    pub job_title: Option<Line<200>>,
    /// The first day of work.
    pub start_date: NaiveDate,
    /// The hourly wage in cents, 1 to 100000.
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 1, maximum = 100_000, example = 2450)]
    pub hourly_wage_cents: u64,
    /// The staff member credited (staff of the case's office); me when absent.
    #[serde(default)]
    pub staff_id: Option<IdValue>,
}

/// A job placement.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementResponse {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The employer that hired.
    pub employer_name: String,
    /// The posting, when the job was posted on Merit.
    pub posting_id: Option<String>,
    /// The job's title.
    pub job_title: String,
    /// The first day of work.
    pub start_date: NaiveDate,
    /// The hourly wage in cents.
    pub hourly_wage_cents: i64,
    /// The staff member credited.
    pub staff_id: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// A report's period and place.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorsQuery {
    /// The first day (`YYYY-MM-DD`).
    pub from: NaiveDate,
    /// The last day, inclusive; at most 366 days after `from`.
    pub to: NaiveDate,
    /// The office: staff may name only their own (the default); admins must name one.
    #[param(value_type = Option<OfficeCodeValue>)]
    pub office_code: Option<String>,
    /// Only this staff member's work.
    #[param(value_type = Option<IdValue>)]
    pub staff_id: Option<String>,
}

/// How many services of one code.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityCount {
    /// The service.
    pub code: ActivityCode,
    /// How many were given.
    pub count: i64,
}

/// The counts of a period.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsDto {
    /// Placements starting in the period.
    pub placements: i64,
    /// Services given in the period, one entry per code (zeros included).
    pub activities: Vec<ActivityCount>,
    /// Cases opened in the period (credited to who opened them).
    pub cases_opened: i64,
    /// Cases closed in the period (credited to who closed them).
    pub cases_closed: i64,
}

/// One staff member's counts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffIndicatorsDto {
    /// Who.
    pub staff: PersonRef,
    /// Their counts.
    pub indicators: IndicatorsDto,
}

/// Report indicators of an office and its staff over a period.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsResponse {
    /// The office.
    pub office_code: String,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The office's totals (the one staff member's when `staff_id` was given).
    pub totals: IndicatorsDto,
    /// Per staff member of the office (and anyone else whose work is counted).
    pub staff: Vec<StaffIndicatorsDto>,
}
