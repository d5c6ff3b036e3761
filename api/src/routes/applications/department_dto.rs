//! Shapes of the department's side: moves, bulk moves, stages, the posting's list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ApplicationStatus, ClosingReason};
use crate::routes::{
    strings::IdValue,
    text::{Line, Paragraphs},
};

/// Move an application: to a public `status`, or to one of the department's `stage`s (exactly
/// one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    /// The public status to move to (the applicant is emailed).
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    /// The department's stage to move to (its status; emailed unless the stage says no notice).
    #[serde(default)]
    pub stage: Option<Line<60>>,
    /// Required when closing (`not_considered`, `not_eligible`, `not_referred`,
    /// `not_selected`); refused otherwise.
    #[serde(default)]
    pub reason: Option<ClosingReason>,
    /// A note kept in the history.
    #[serde(default)]
    pub note: Option<Paragraphs<1000>>,
}

/// Move many applications the same way, all or none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkStatusChangeRequest {
    /// The applications, 1 to 500, each once.
    #[schema(min_items = 1, max_items = 500)]
    pub application_ids: Vec<IdValue>,
    /// As in a single move.
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    /// As in a single move.
    #[serde(default)]
    pub stage: Option<Line<60>>,
    /// As in a single move.
    #[serde(default)]
    pub reason: Option<ClosingReason>,
    /// As in a single move.
    #[serde(default)]
    pub note: Option<Paragraphs<1000>>,
}

/// The applications a bulk move changed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkStatusChangeResponse {
    /// Each application moved, in the order asked.
    pub items: Vec<DepartmentApplicationRow>,
}

/// One stage of a department's process.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageDto {
    /// The department's name for it, unique ignoring letter case.
    pub name: Line<60>,
    /// The public status the applicant sees at this stage (not `draft`, `received`,
    /// `withdrawn` or `cancelled`).
    pub status: ApplicationStatus,
    /// Whether moving an application here emails the applicant.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub notify: bool,
}

fn yes() -> bool {
    true
}

/// A department's stages, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StagesDto {
    /// At most 50 stages.
    #[schema(max_items = 50)]
    pub stages: Vec<StageDto>,
}

/// An application in a posting's list, for its department.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentApplicationRow {
    /// Opaque id.
    pub id: String,
    /// The applicant's account.
    pub applicant_id: String,
    /// Given name, as submitted.
    pub first_name: String,
    /// Family name, as submitted.
    pub last_name: String,
    /// Email address, as submitted.
    pub email: Option<String>,
    /// Phone number, as submitted.
    pub phone: Option<String>,
    /// The public status.
    pub status: ApplicationStatus,
    /// The department's stage, if the last move named one.
    pub stage: Option<String>,
    /// Rank band on the eligible list at submission, if on it.
    pub rank_band: Option<i32>,
    /// Score on that list.
    pub score: Option<i32>,
    /// Whether the applicant's conditions of employment fit the posting.
    pub conditions_fit: bool,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The version (send it quoted in `If-Match` to move it).
    pub version: i64,
    /// Its last change (the order of `updated_since` lists).
    pub updated_at: DateTime<Utc>,
}

/// A posting's applications: paging and a status filter.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApplicationListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// Only applications with this status.
    pub status: Option<ApplicationStatus>,
    /// Incremental sync: the applications changed at or after this instant (RFC 3339),
    /// withdrawn and final ones included, ordered by their last change (`updated_at`, then id)
    /// instead of the department's order. A change is listed once it is 30 seconds old, so
    /// that a page never passes a change still being committed; follow `next_cursor`, and when
    /// it is absent, keep the greatest `updated_at` seen and ask again from it later.
    pub updated_since: Option<DateTime<Utc>>,
}

/// A posting marked filled.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilledResponse {
    /// The posting.
    pub posting_id: String,
    /// When it was marked filled.
    pub filled_at: DateTime<Utc>,
}
