//! Shapes of the admin endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use merit_domain::{
    account::Role,
    reference::{DepartmentCode, OfficeCode},
};

use crate::{
    error::ApiError,
    merge_patch::not_null,
    routes::{
        me::RoleName,
        strings::{AuditKindName, DepartmentCodeValue, EmailAddressValue, OfficeCodeValue},
        text::Line,
    },
    services::admin::AccountPatch,
    validation::Fields,
};

/// Create a staff account for an office.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccountRequest {
    /// Given name: its first letter (accents folded: É is E) starts the username, so a name
    /// without a letter is 422 `no_username`.
    pub first_name: Line<100>,
    /// Family name: its letters (accents folded, other characters dropped) make the username,
    /// so a name without a letter is 422 `no_username`.
    pub last_name: Line<100>,
    /// The office: its code prefixes the username (`LAO` + J + DOE = `LAOJDOE`).
    pub office_code: OfficeCodeValue,
    /// A contact address, optional.
    pub email: Option<EmailAddressValue>,
}

/// Create an employer account for a department.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmployerAccountRequest {
    /// Given name: its first letter (accents folded: É is E) starts the username, so a name
    /// without a letter is 422 `no_username`.
    pub first_name: Line<100>,
    /// Family name: its letters (accents folded, other characters dropped) make the username,
    /// so a name without a letter is 422 `no_username`.
    pub last_name: Line<100>,
    /// The department: its code prefixes the username (`DMV` + M + LOPEZ = `DMVMLOPEZ`).
    pub department_code: DepartmentCodeValue,
    /// A contact address, optional.
    pub email: Option<EmailAddressValue>,
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
    #[schema(value_type = Option<DepartmentCodeValue>)]
    pub department_code: Option<Option<String>>,
    /// The office, for the staff role; `null` unbinds it.
    #[serde(default, deserialize_with = "crate::merge_patch::present")]
    #[schema(value_type = Option<OfficeCodeValue>)]
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
    /// Events of this kind.
    pub kind: Option<AuditKindName>,
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
    pub kind: AuditKindName,
    /// Who did it, when it was someone signed in.
    pub actor_account_id: Option<String>,
    /// Whose account it concerns.
    pub subject_account_id: Option<String>,
    /// Details (ids and counts, never secrets).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}
