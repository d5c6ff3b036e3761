//! Shapes of applications: requests of applicants and departments, and the answers.

use chrono::{DateTime, Utc};
use merit_domain::application as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::routes::{
    profile::{ConditionsOfEmployment, MailingAddress, Supervisor},
    strings::IdValue,
    templates::{Education, Language, Licence, PositionSought, StandardAnswers, WorkExperience},
    terms::api_enum,
    text::Paragraphs,
};

api_enum!(
    /// The public status of an application: what the applicant sees.
    ApplicationStatus => domain::ApplicationStatus {
        /// Started, not submitted.
        Draft,
        /// Submitted and received.
        Received,
        /// Being reviewed.
        UnderReview,
        /// Accepted but not considered (see the timeline's reason).
        NotConsidered,
        /// Meets the minimum qualifications.
        Eligible,
        /// Does not meet them.
        NotEligible,
        /// Referred to the hiring manager.
        Referred,
        /// Not referred.
        NotReferred,
        /// Invited to interview.
        Interview,
        /// Offered the job.
        Offer,
        /// Hired.
        Hired,
        /// Not selected.
        NotSelected,
        /// Withdrawn by the applicant.
        Withdrawn,
        /// The posting was cancelled.
        Cancelled,
    }
);

api_enum!(
    /// Why an application was closed without a hire.
    ClosingReason => domain::ClosingReason {
        /// The department declined the applicant.
        WeDeclined,
        /// The applicant declined.
        TheyDeclined,
        /// The hiring process ended.
        ProcessEnded,
    }
);

/// Start a draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    /// The posting to apply to (open, and visible to you).
    pub posting_id: IdValue,
    /// One of your templates to apply with; without it the profile alone is sent.
    #[serde(default)]
    pub template_id: Option<IdValue>,
    /// Your documents to attach, in order (at most 20).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub document_ids: Vec<IdValue>,
}

/// A JSON Merge Patch (RFC 7396) of a draft: members left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPatchRequest {
    /// Another of your templates, or null to apply with the profile alone.
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Option<IdValue>)]
    pub template_id: Option<Option<IdValue>>,
    /// The documents, replacing the list (null empties it).
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Option<Vec<IdValue>>, max_items = 20)]
    pub document_ids: Option<Option<Vec<IdValue>>>,
}

/// Withdraw an application.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    /// Why, in your words (kept in the history).
    #[serde(default)]
    pub note: Option<Paragraphs<1000>>,
}

/// One transition in an application's history.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The public status reached.
    pub status: ApplicationStatus,
    /// The reason code (`we_declined`, `they_declined`, `process_ended`,
    /// `internal_only_other_department`), if any.
    pub reason: Option<String>,
    /// Whether the applicant was sent a notice of it: a message in their inbox
    /// (`GET /api/v1/me/messages`), also emailed unless they turned application notices off.
    pub notice_sent: bool,
    /// The department's stage name (department view only).
    pub stage: Option<String>,
    /// The note given with the move (an applicant sees their own notes only).
    pub note: Option<String>,
    /// Who made the move (department view only; null for Merit itself).
    pub actor_id: Option<String>,
}

/// A document as it was submitted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmittedDocument {
    /// The document's id (its owner may since have deleted it; this version stays).
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// The file name offered on download.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the bytes, in lower-case hex.
    pub sha256: String,
}

/// The profile as submitted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmittedProfile {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Where letters go.
    pub mailing_address: Option<MailingAddress>,
    /// Previous supervisors.
    pub supervisors: Vec<Supervisor>,
    /// Conditions of employment.
    pub conditions: ConditionsOfEmployment,
}

/// The template as submitted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmittedTemplate {
    /// Its name.
    pub name: String,
    /// The job applied for.
    pub position_sought: Option<PositionSought>,
    /// Education.
    pub education: Vec<Education>,
    /// Work experience.
    pub work_experience: Vec<WorkExperience>,
    /// Licences and certificates.
    pub licences: Vec<Licence>,
    /// Languages besides English.
    pub languages: Vec<Language>,
    /// Answers to the standard questions.
    pub answers: StandardAnswers,
}

/// What was frozen at submission.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotResponse {
    /// The profile.
    pub profile: SubmittedProfile,
    /// The template, when one was chosen.
    pub template: Option<SubmittedTemplate>,
    /// Rank band on the classification's eligible list at submission, if on it.
    pub rank_band: Option<i32>,
    /// Score on that list.
    pub score: Option<i32>,
    /// Whether the applicant's conditions of employment fit the posting.
    pub conditions_fit: bool,
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationResponse {
    /// Opaque id.
    pub id: String,
    /// The posting.
    pub posting_id: String,
    /// The posting's title.
    pub posting_title: String,
    /// The public status.
    pub status: ApplicationStatus,
    /// The department's stage (department view only).
    pub stage: Option<String>,
    /// The template chosen (drafts).
    pub template_id: Option<String>,
    /// The documents attached (drafts).
    pub document_ids: Vec<String>,
    /// The documents as submitted.
    pub documents: Vec<SubmittedDocument>,
    /// Grows by one at every change; the `ETag` is this number in quotes.
    pub version: i64,
    /// When the draft was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Every transition, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// What was frozen at submission (null for drafts).
    pub snapshot: Option<SnapshotResponse>,
}

/// One of my applications in a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyApplicationSummary {
    /// Opaque id.
    pub id: String,
    /// The posting.
    pub posting_id: String,
    /// The posting's title.
    pub posting_title: String,
    /// The public status (`draft`: started, not submitted).
    pub status: ApplicationStatus,
    /// When the draft was started.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}
