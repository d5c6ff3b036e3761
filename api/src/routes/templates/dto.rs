//! Shapes of application templates (the State application, STD 678).
//!
//! Request and response share the section shapes; every schema constraint is exactly what the
//! server checks, except the rules a schema cannot state: dates in order (422
//! `dates_out_of_order`) and the per-person limits (409).

use chrono::{DateTime, NaiveDate, Utc};
use merit_domain::profile as domain;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::routes::{
    strings::{ClassificationCodeValue, PhoneNumberValue},
    terms::api_enum,
    text::{Line, Paragraphs},
};

api_enum!(
    /// How academic units are counted.
    UnitKind => domain::UnitKind {
        /// Semester units.
        Semester,
        /// Quarter units.
        Quarter,
    }
);

api_enum!(
    /// What a salary amount is paid for.
    SalaryPeriod => domain::SalaryPeriod {
        /// Per hour.
        Hour,
        /// Per month.
        Month,
        /// Per year.
        Year,
    }
);

/// The job the template applies for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionSought {
    /// The position or classification title.
    pub title: Line<200>,
    /// The classification's class code, when known.
    pub classification_code: Option<ClassificationCodeValue>,
}

/// Units completed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Units {
    /// How many.
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 0, maximum = 999, example = 120)]
    pub completed: u32,
    /// Semester or quarter units.
    pub kind: UnitKind,
}

/// A school, college or training programme attended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Education {
    /// The school's name.
    pub school: Line<200>,
    /// Where it is (city and state).
    pub location: Option<Line<200>>,
    /// The degree or certificate earned.
    pub degree: Option<Line<100>>,
    /// The major or field of study.
    pub major: Option<Line<100>>,
    /// Units completed.
    pub units: Option<Units>,
    /// First day attended.
    pub start_date: Option<NaiveDate>,
    /// Last day attended; not before `start_date`.
    pub end_date: Option<NaiveDate>,
}

/// Pay.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Salary {
    /// Amount in cents.
    #[serde(deserialize_with = "crate::routes::numbers::integer")]
    #[schema(minimum = 0, maximum = 1_000_000_000_u64, example = 520_000)]
    pub amount_cents: u64,
    /// Per hour, month or year.
    pub per: SalaryPeriod,
}

/// A job held.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkExperience {
    /// The employer's name.
    pub employer: Line<200>,
    /// The employer's address.
    pub address: Option<Line<300>>,
    /// The supervisor's name.
    pub supervisor_name: Option<Line<100>>,
    /// The supervisor's phone number: 7 to 20 digits, with spaces and `+ - ( ) . x`.
    pub supervisor_phone: Option<PhoneNumberValue>,
    /// The person's job title.
    pub title: Line<200>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day; null while the person still works there; not before `start_date`.
    pub end_date: Option<NaiveDate>,
    /// Hours worked a week.
    #[serde(default, deserialize_with = "crate::routes::numbers::optional_integer")]
    #[schema(minimum = 1, maximum = 168, example = 40)]
    pub hours_per_week: Option<u8>,
    /// Pay.
    pub salary: Option<Salary>,
    /// What the work involved (line breaks allowed).
    pub duties: Option<Paragraphs<4000>>,
    /// Why the person left (line breaks allowed).
    pub reason_for_leaving: Option<Paragraphs<1000>>,
}

/// A licence, registration or certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// What it is.
    pub name: Line<200>,
    /// Who issued it.
    pub issuer: Option<Line<200>>,
    /// Its number.
    pub number: Option<Line<50>>,
    /// When it was issued.
    pub issued_on: Option<NaiveDate>,
    /// When it expires; not before `issued_on`.
    pub expires_on: Option<NaiveDate>,
}

/// A language besides English.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// The language.
    pub language: Line<100>,
    /// Speaks it.
    #[serde(default)]
    pub speaks: bool,
    /// Reads it.
    #[serde(default)]
    pub reads: bool,
    /// Writes it.
    #[serde(default)]
    pub writes: bool,
}

/// Yes-or-no answers to the application's standard questions; null or absent when unanswered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardAnswers {
    /// Legally eligible to work in the United States.
    pub eligible_to_work_in_us: Option<bool>,
    /// Currently a State employee.
    pub current_state_employee: Option<bool>,
    /// Ever a State employee.
    pub former_state_employee: Option<bool>,
    /// Claiming Veterans' Preference.
    pub veterans_preference: Option<bool>,
    /// Holds a valid driver's licence.
    pub valid_driver_licence: Option<bool>,
    /// Willing to travel for work.
    pub willing_to_travel: Option<bool>,
    /// Willing to relocate.
    pub willing_to_relocate: Option<bool>,
}

/// Create or replace a template (send every section; what is left out is cleared).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    /// A name, different from the person's other templates' names (ignoring letter case).
    pub name: Line<100>,
    /// Make this the default template (the previous default stops being one).
    #[serde(default)]
    pub is_default: bool,
    /// The job applied for.
    pub position_sought: Option<PositionSought>,
    /// Education, at most 10 entries.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub education: Vec<Education>,
    /// Work experience, at most 20 entries.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub work_experience: Vec<WorkExperience>,
    /// Licences and certificates, at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub licences: Vec<Licence>,
    /// Languages besides English, at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub languages: Vec<Language>,
    /// Answers to the standard questions.
    #[serde(default)]
    pub answers: StandardAnswers,
}

/// An application template.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct TemplateResponse {
    /// Opaque id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is the default template.
    pub is_default: bool,
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
    /// Grows by one with every save; the `ETag` is this number in quotes.
    pub version: i64,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// List my templates.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
