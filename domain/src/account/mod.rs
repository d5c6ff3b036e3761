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
