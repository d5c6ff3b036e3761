//! Shapes of the admin endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use merit_domain::{
    account::Role,
    reference::{DepartmentCode, OfficeCode},
};

use crate::{
    error::ApiError, merge_patch::not_null, routes::me::RoleName, services::admin::AccountPatch,
    validation::Fields,
};

/// Create a staff account for an office.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccountRequest {
    /// Given name.
    #[schema(min_length = 1, max_length = 100, example = "John")]
    pub first_name: String,
    /// Family name.
    #[schema(min_length = 1, max_length = 100, example = "Doe")]
    pub last_name: String,
    /// The office: its code prefixes the username (`LAO` + J + DOE = `LAOJDOE`).
    #[schema(min_length = 2, max_length = 6, example = "LAO")]
    pub office_code: String,
    /// A contact address, optional.
    #[schema(min_length = 3, max_length = 254)]
    pub email: Option<String>,
}

/// Create an employer account for a department.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployerAccountRequest {
    /// Given name.
    #[schema(min_length = 1, max_length = 100, example = "Maria")]
    pub first_name: String,
    /// Family name.
    #[schema(min_length = 1, max_length = 100, example = "Lopez")]
    pub last_name: String,
    /// The department: its code prefixes the username (`DMV` + M + LOPEZ = `DMVMLOPEZ`).
    #[schema(min_length = 2, max_length = 12, example = "DMV")]
    pub department_code: String,
    /// A contact address, optional.
    #[schema(min_length = 3, max_length = 254)]
    pub email: Option<String>,
}

/// A new account and its temporary password, shown once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct CreatedAccountResponse {
    /// The account's id.
    pub id: String,
    /// The username made by the office convention.
    #[schema(example = "LAOJDOE")]
    pub username: String,
    /// The temporary password: give it to the person; it is not stored in clear and not shown again.
    pub temporary_password: String,
    /// When the temporary password stops working (72 hours).
    pub temporary_password_expires_at: DateTime<Utc>,
}

/// A temporary password, shown once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct TemporaryPasswordResponse {
    /// The temporary password.
    pub temporary_password: String,
    /// When it stops working (72 hours).
    pub temporary_password_expires_at: DateTime<Utc>,
}

/// Find accounts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Start of a username, email address, first or last name (any letter case).
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*$")]
    pub q: Option<String>,
    /// Only accounts holding this role.
    pub role: Option<RoleName>,
    /// Only disabled (`true`) or enabled (`false`) accounts.
    pub disabled: Option<bool>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// Change an account, as a JSON Merge Patch (RFC 7396): members left out stay as they are;
/// `null` unbinds the department or office (`roles` and `disabled` cannot be null).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatchRequest {
    /// The complete new set of roles. The employee role follows the roster and cannot change here.
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Vec<RoleName>)]
    pub roles: Option<Option<Vec<RoleName>>>,
    /// Disable (`true`: every session ends) or re-enable (`false`).
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = bool)]
    pub disabled: Option<Option<bool>>,
    /// The department, for the employer role; `null` unbinds it.
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Option<String>, min_length = 2, max_length = 12)]
    pub department_code: Option<Option<String>>,
    /// The office, for the staff role; `null` unbinds it.
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Option<String>, min_length = 2, max_length = 6)]
    pub office_code: Option<Option<String>>,
}

impl AccountPatchRequest {
    /// The checked change: 422 for codes that cannot be codes and for `null` roles or status.
    pub fn into_patch(self) -> Result<AccountPatch, ApiError> {
        let mut fields = Fields::new();
        let department = fields.check_optional(
            "department_code",
            "invalid_code",
            self.department_code
                .clone()
                .flatten()
                .as_deref()
                .map(DepartmentCode::parse),
        );
        let office = fields.check_optional(
            "office_code",
            "invalid_code",
            self.office_code
                .clone()
                .flatten()
                .as_deref()
                .map(OfficeCode::parse),
        );
        fields.finish()?;
        Ok(AccountPatch {
            roles: not_null("roles", self.roles)?
                .map(|roles| roles.into_iter().map(Role::from).collect()),
            disabled: not_null("disabled", self.disabled)?,
            department: self.department_code.map(|_| department),
            office: self.office_code.map(|_| office),
        })
    }
}

/// Read the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Events done by or to this account.
    #[param(max_length = 64, pattern = r"^[^\u0000]*$")]
    pub account_id: Option<String>,
    /// Events of this kind (`sign_in`, `sign_in_failed`, `account_locked`, ...).
    #[param(max_length = 64, pattern = r"^[^\u0000]*$")]
    pub kind: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A security event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct AuditEventResponse {
    /// Time-ordered id.
    pub id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// What happened.
    #[schema(example = "sign_in_failed")]
    pub kind: String,
    /// Who did it, when it was someone signed in.
    pub actor_account_id: Option<String>,
    /// Whose account it concerns.
    pub subject_account_id: Option<String>,
    /// Details (ids and counts, never secrets).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}
