//! Shapes of the posting endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::{
    posting::{Duties, PostingStatus, PostingTitle, SalaryRange, SortOrder, Visibility},
    reference::{ClassificationCode, CountyCode},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::routes::terms::{
    Shift as ShiftName, Tenure as TenureName, TimeBase as TimeBaseName,
};
use crate::{
    error::ApiError,
    routes::terms::api_enum,
    services::postings::{NamedPosting, PostingContent},
    validation::Fields,
};

api_enum!(
    /// Who the posting is for.
    VisibilityName => Visibility {
        /// Everyone.
        Public,
        /// Signed-in State employees of any department.
        InternalOnly,
    }
);
api_enum!(
    /// Where the posting is in its life.
    PostingStatusName => PostingStatus {
        /// Being written.
        Draft,
        /// Accepting applications until the final filing date.
        Open,
        /// No longer accepting applications.
        Closed,
        /// Withdrawn.
        Cancelled,
    }
);
api_enum!(
    /// The order of results.
    SortName => SortOrder {
        /// Best keyword match first (newest first without keywords).
        Relevance,
        /// Most recently opened first.
        Newest,
        /// Nearest final filing date first.
        ClosingSoon,
        /// Highest top salary first.
        Salary,
    }
);

/// Document kinds an application can include.
pub const DOCUMENT_KINDS: &[&str] = &[
    "resume",
    "cover_letter",
    "transcript",
    "diploma",
    "statement_of_qualifications",
    "licence",
    "other",
];

/// A posting's content, as an employer writes it (all fields, for create and update).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingRequest {
    /// The job classification's code.
    #[schema(pattern = "^[A-Za-z0-9]{1,8}$", example = "5393")]
    pub classification_code: String,
    /// Working title.
    #[schema(
        min_length = 3,
        max_length = 200,
        example = "Associate Governmental Program Analyst"
    )]
    pub title: String,
    /// The duties statement.
    #[schema(min_length = 1, max_length = 20000)]
    pub duties: String,
    /// The county's code.
    #[schema(pattern = "^[A-Za-z-]{2,32}$", example = "sacramento")]
    pub county_code: String,
    /// Tenure.
    pub tenure: TenureName,
    /// Time base.
    pub time_base: TimeBaseName,
    /// Shift.
    pub shift: ShiftName,
    /// Lowest monthly salary in cents.
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 0, example = 573200)]
    pub salary_min_cents: i64,
    /// Highest monthly salary in cents (at least the lowest).
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 0, example = 717600)]
    pub salary_max_cents: i64,
    /// The last day to apply (California time).
    pub final_filing_date: NaiveDate,
    /// Document kinds an application must include.
    #[serde(default)]
    #[schema(max_items = 7, value_type = Vec<crate::routes::documents::DocumentKind>)]
    pub required_documents: Vec<String>,
    /// Whether applicants need active list eligibility for the classification.
    #[serde(default)]
    pub eligibility_required: bool,
    /// `public` or `internal_only`.
    pub visibility: VisibilityName,
}

impl PostingRequest {
    /// The checked content, or 422 naming every bad field.
    pub fn parse(self) -> Result<PostingContent, ApiError> {
        let mut fields = Fields::new();
        let classification = fields.check(
            "classification_code",
            "invalid_code",
            ClassificationCode::parse(&self.classification_code),
        );
        let title = fields.check("title", "invalid_title", PostingTitle::parse(&self.title));
        let duties = fields.check("duties", "invalid_duties", Duties::parse(&self.duties));
        let county = fields.check(
            "county_code",
            "invalid_code",
            CountyCode::parse(&self.county_code),
        );
        let salary = fields.check(
            "salary_max_cents",
            "invalid_salary_range",
            SalaryRange::new(self.salary_min_cents, self.salary_max_cents),
        );
        // At most one of each kind, as the schema's `maxItems` says (repeats are not merged).
        crate::validation::at_most(
            &mut fields,
            "required_documents",
            &self.required_documents,
            DOCUMENT_KINDS.len(),
        );
        let mut documents = Vec::new();
        for (i, kind) in self.required_documents.iter().enumerate() {
            if !DOCUMENT_KINDS.contains(&kind.as_str()) {
                fields.push(
                    &format!("required_documents[{i}]"),
                    "unknown_document_kind",
                    format!("Use one of: {}.", DOCUMENT_KINDS.join(", ")),
                );
            } else if !documents.contains(kind) {
                documents.push(kind.clone());
            }
        }
        let parts = classification
            .zip(title)
            .zip(duties)
            .zip(county)
            .zip(salary);
        fields.into_result(
            parts.map(
                |((((classification, title), duties), county), salary)| PostingContent {
                    classification,
                    title,
                    duties,
                    county,
                    tenure: self.tenure.into(),
                    time_base: self.time_base.into(),
                    shift: self.shift.into(),
                    salary,
                    final_filing_date: self.final_filing_date,
                    required_documents: documents,
                    eligibility_required: self.eligibility_required,
                    visibility: self.visibility.into(),
                },
            ),
        )
    }
}

/// A posting.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct PostingResponse {
    /// Opaque id.
    pub id: String,
    /// The posting department's code.
    pub department_code: String,
    /// The posting department's name.
    pub department_name: String,
    /// The job classification's code.
    pub classification_code: String,
    /// The job classification's title.
    pub classification_title: String,
    /// Working title.
    pub title: String,
    /// The duties statement.
    pub duties: String,
    /// The county's code.
    pub county_code: String,
    /// The county's name.
    pub county_name: String,
    /// Tenure.
    pub tenure: TenureName,
    /// Time base.
    pub time_base: TimeBaseName,
    /// Shift.
    pub shift: ShiftName,
    /// Lowest monthly salary in cents.
    pub salary_min_cents: i64,
    /// Highest monthly salary in cents.
    pub salary_max_cents: i64,
    /// The last day to apply.
    pub final_filing_date: NaiveDate,
    /// Whether applications are accepted now (open and the filing date not past).
    pub accepting_applications: bool,
    /// Document kinds an application must include.
    #[schema(value_type = Vec<crate::routes::documents::DocumentKind>)]
    pub required_documents: Vec<String>,
    /// Whether list eligibility is required.
    pub eligibility_required: bool,
    /// Who the posting is for.
    pub visibility: VisibilityName,
    /// Where the posting is in its life.
    pub status: PostingStatusName,
    /// When it opened.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The version, also the `ETag` (send it in `If-Match` to update).
    pub version: i64,
}

impl PostingResponse {
    /// The response for `posting` at `now`.
    pub fn new(named: NamedPosting, now: DateTime<Utc>) -> Self {
        let NamedPosting { posting, names } = named;
        PostingResponse {
            accepting_applications: posting.accepting_applications(now),
            id: posting.id.to_string(),
            department_code: posting.department.to_string(),
            department_name: names.department,
            classification_code: posting.classification.to_string(),
            classification_title: names.classification,
            title: posting.title.as_str().to_owned(),
            duties: posting.duties.as_str().to_owned(),
            county_code: posting.county.to_string(),
            county_name: names.county,
            tenure: posting.tenure.into(),
            time_base: posting.time_base.into(),
            shift: posting.shift.into(),
            salary_min_cents: posting.salary.min_cents(),
            salary_max_cents: posting.salary.max_cents(),
            final_filing_date: posting.final_filing_date,
            required_documents: posting.required_documents,
            eligibility_required: posting.eligibility_required,
            visibility: posting.visibility.into(),
            status: posting.status.into(),
            published_at: posting.published_at,
            created_at: posting.created_at,
            updated_at: posting.updated_at,
            version: posting.version,
        }
    }
}

/// One reason of a consideration preview.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ReasonResponse {
    /// `filing_closed`, `not_an_applicant`, `email_not_verified`, `eligibility_required`,
    /// `eligibility_expired` or `internal_only_other_department`.
    #[schema(example = "internal_only_other_department")]
    pub code: &'static str,
    /// Whether it stops the application (otherwise the application is accepted but not considered).
    pub blocks_applying: bool,
}

/// May I apply, and will I be considered?
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ConsiderationResponse {
    /// The posting.
    pub posting_id: String,
    /// Whether an application would be accepted now.
    pub may_apply: bool,
    /// Whether it would be considered.
    pub considered: bool,
    /// Every reason that applies, as codes.
    pub reasons: Vec<ReasonResponse>,
}
