//! Shapes of the caller's own account.

use chrono::{DateTime, Utc};
use merit_domain::account::{Account, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A role.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    /// A member of the public.
    Applicant,
    /// A State employee on the active roster.
    Employee,
    /// Hiring staff of a department.
    Employer,
    /// Workforce staff of an office.
    Staff,
    /// An administrator.
    Admin,
}

impl From<Role> for RoleName {
    fn from(role: Role) -> Self {
        match role {
            Role::Applicant => RoleName::Applicant,
            Role::Employee => RoleName::Employee,
            Role::Employer => RoleName::Employer,
            Role::Staff => RoleName::Staff,
            Role::Admin => RoleName::Admin,
        }
    }
}

impl From<RoleName> for Role {
    fn from(role: RoleName) -> Self {
        match role {
            RoleName::Applicant => Role::Applicant,
            RoleName::Employee => Role::Employee,
            RoleName::Employer => Role::Employer,
            RoleName::Staff => Role::Staff,
            RoleName::Admin => Role::Admin,
        }
    }
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct AccountResponse {
    /// Opaque id.
    pub id: String,
    /// The username, if the account has one.
    #[schema(example = "LAOJDOE")]
    pub username: Option<String>,
    /// The email address, if the account has one.
    pub email: Option<String>,
    /// Whether the email address was confirmed by its link.
    pub email_verified: bool,
    /// The Employee ID, for employees.
    pub employee_id: Option<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Roles held; `employee` only while on the active roster.
    pub roles: Vec<RoleName>,
    /// The department of an employer.
    pub department_code: Option<String>,
    /// The office of a staff member.
    pub office_code: Option<String>,
    /// When true, the only thing the account may do is change its temporary password.
    pub password_change_required: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// Until when sign-in is locked after failed attempts.
    pub locked_until: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// The account this one was merged into (a profile merge closed it), if any.
    pub merged_into: Option<String>,
}

impl AccountResponse {
    /// The response for `account` at `now`, where `on_active_roster` says whether it is an
    /// active employee. A lock that has ended is not shown.
    pub fn new(account: Account, on_active_roster: bool, now: DateTime<Utc>) -> Self {
        let roles = account
            .roles
            .iter()
            .filter(|r| *r != Role::Employee || on_active_roster)
            .map(RoleName::from)
            .collect();
        AccountResponse {
            password_change_required: account.password_change_required(),
            email_verified: account.email_verified_at.is_some(),
            id: account.id.to_string(),
            username: account.username.map(|u| u.to_string()),
            email: account.email.map(|e| e.to_string()),
            employee_id: account.employee_id.map(|e| e.to_string()),
            first_name: account.first_name.to_string(),
            last_name: account.last_name.to_string(),
            roles,
            department_code: account.department.map(|d| d.to_string()),
            office_code: account.office.map(|o| o.to_string()),
            disabled: account.disabled,
            locked_until: account.failures.locked_until.filter(|until| *until > now),
            created_at: account.created_at,
            merged_into: account.merged_into.map(|id| id.to_string()),
        }
    }
}

/// Change the password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    /// The current (possibly temporary) password.
    #[schema(min_length = 1, max_length = 1024)]
    pub current_password: String,
    /// The new password, checked against the password policy.
    pub new_password: crate::routes::strings::NewPasswordValue,
}
