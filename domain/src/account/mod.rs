//! Accounts: who signs in, with what, and what they may do.

mod email;
mod employee;
mod lockout;
mod names;
mod password;
mod roles;
mod username;

pub use email::{EmailAddress, EmailError};
pub use employee::{EmployeeId, EmployeeIdError, LoginIdentifier, RosterStatus};
pub use lockout::{LockoutPolicy, LoginFailures};
pub use names::{PersonName, PersonNameError};
pub use password::{
    PasswordPolicy, PasswordPreset, PasswordRule, SPECIAL_CHARACTERS, is_common_password,
    temporary_password,
};
pub use roles::{Role, RoleError, RoleSet};
pub use username::{Username, UsernameError, fold_to_letters, prefixed_username};

use chrono::{DateTime, Utc};

use crate::{
    ids::AccountId,
    reference::{DepartmentCode, OfficeCode},
};

/// An account as the rules see it. The password hash is not here: it never leaves
/// persistence except to be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Opaque id.
    pub id: AccountId,
    /// Sign-in name (staff, employers, admins; optional for applicants).
    pub username: Option<Username>,
    /// Contact and sign-in address.
    pub email: Option<EmailAddress>,
    /// The Employee ID this account signs in with, for employees.
    pub employee_id: Option<EmployeeId>,
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// What the account may do.
    pub roles: RoleSet,
    /// The department an employer works for.
    pub department: Option<DepartmentCode>,
    /// The office a staff member works at.
    pub office: Option<OfficeCode>,
    /// When the email address was proven by a link.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Set while the password is a temporary one: when it stops working.
    pub temporary_password_expires_at: Option<DateTime<Utc>>,
    /// Whether a password has been set at all (an activated employee may not have one yet).
    pub has_password: bool,
    /// Disabled accounts cannot sign in and their sessions end.
    pub disabled: bool,
    /// Recent failed sign-ins and any lock.
    pub failures: LoginFailures,
    /// The privacy agreement version accepted, for employees.
    pub privacy_agreement_version: Option<String>,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// The account this one was merged into (a profile merge closed it; it stays disabled).
    pub merged_into: Option<AccountId>,
}

impl Account {
    /// While the password is temporary, the only thing a session may do is change it.
    pub fn password_change_required(&self) -> bool {
        self.temporary_password_expires_at.is_some()
    }

    /// A temporary password past its expiry no longer signs in.
    pub fn temporary_password_expired(&self, now: DateTime<Utc>) -> bool {
        self.temporary_password_expires_at
            .is_some_and(|expires| now >= expires)
    }

    /// The names a password must not contain: the username and the email's local part.
    pub fn identifiers(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        if let Some(username) = &self.username {
            ids.push(username.as_str());
        }
        if let Some(email) = &self.email {
            ids.push(email.local_part());
        }
        ids
    }
}
