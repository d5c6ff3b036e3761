//! Shapes of the profile and the export.
//!
//! Every schema constraint here is exactly what the server checks, so a client (or a fuzzer)
//! that satisfies the schema is refused only for rules a schema cannot state (an unknown
//! county, a changed email address without the current password).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::routes::strings::{CountyCodeValue, DepartmentCodeValue, StateCode};
use crate::routes::{
    strings::{EmailAddressValue, PhoneNumberValue},
    terms::{Shift, Tenure, TimeBase},
    text::Line,
};

/// A US mailing address.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailingAddress {
    /// Street and number, or PO box.
    pub line1: Line<100>,
    /// Apartment, suite or unit.
    pub line2: Option<Line<100>>,
    /// City.
    pub city: Line<100>,
    /// State, territory or military mail code.
    pub state: StateCode,
    /// ZIP code: 5 digits, or ZIP+4.
    #[schema(pattern = r"^[0-9]{5}(-[0-9]{4})?$", example = "95814")]
    pub postal_code: String,
}

/// A previous supervisor who may be asked about the person's work.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supervisor {
    /// Full name.
    pub name: Line<100>,
    /// Job title.
    pub title: Option<Line<100>>,
    /// Phone number: 7 to 20 digits, with spaces and `+ - ( ) . x` allowed.
    pub phone: Option<PhoneNumberValue>,
    /// Email address.
    pub email: Option<EmailAddressValue>,
    /// The employer they supervised the person at.
    pub employer: Option<Line<200>>,
}

/// The jobs a person will take. Each list holds the acceptable values; an empty list means
/// any. Repeated values are kept once.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionsOfEmployment {
    /// Acceptable tenures.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub tenures: Vec<Tenure>,
    /// Acceptable time bases.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub time_bases: Vec<TimeBase>,
    /// Counties the person will work in (codes from `GET /api/v1/locations`).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub counties: Vec<CountyCodeValue>,
    /// Departments the person will work for (codes from `GET /api/v1/departments`).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub departments: Vec<DepartmentCodeValue>,
    /// Acceptable shifts.
    #[serde(default)]
    #[schema(max_items = 5)]
    pub shifts: Vec<Shift>,
    /// Whether departments may send contact letters about postings that fit (off by default).
    #[serde(default)]
    pub accepts_contact: bool,
}

/// The whole profile, to replace it: `first_name` and `last_name` are required; any other
/// member left out is cleared (to null, or to an empty list or the default conditions).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Given name.
    pub first_name: Line<100>,
    /// Family name.
    pub last_name: Line<100>,
    /// The email address to sign in with and be reached at. Changing it needs
    /// `current_password`, and the new address must be confirmed by the link sent to it. An
    /// account with an address keeps one.
    pub email: Option<EmailAddressValue>,
    /// The current password; needed only when `email` changes.
    #[schema(min_length = 1, max_length = 1024)]
    pub current_password: Option<String>,
    /// Phone number: 7 to 20 digits, with spaces and `+ - ( ) . x` allowed.
    pub phone: Option<PhoneNumberValue>,
    /// Where letters go.
    pub mailing_address: Option<MailingAddress>,
    /// Previous supervisors, at most 10.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub supervisors: Vec<Supervisor>,
    /// Conditions of employment.
    #[serde(default)]
    pub conditions: ConditionsOfEmployment,
}

/// The profile.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct ProfileResponse {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The email address, if the account has one.
    pub email: Option<String>,
    /// Whether the email address was confirmed by its link.
    pub email_verified: bool,
    /// Phone number.
    pub phone: Option<String>,
    /// Where letters go.
    pub mailing_address: Option<MailingAddress>,
    /// Previous supervisors.
    pub supervisors: Vec<Supervisor>,
    /// Conditions of employment.
    pub conditions: ConditionsOfEmployment,
    /// When the profile was last saved; null until it is.
    pub updated_at: Option<DateTime<Utc>>,
}
