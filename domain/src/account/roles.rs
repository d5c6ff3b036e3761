//! Roles and sets of roles.

use std::{fmt, str::FromStr};

use thiserror::Error;

/// What an account may do. One account may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A member of the public looking for work.
    Applicant,
    /// A state employee on the active roster (also an applicant).
    Employee,
    /// Hiring staff of one department.
    Employer,
    /// Workforce staff of one office.
    Staff,
    /// A system administrator or service-desk agent.
    Admin,
}

/// A role name that is not one of Merit's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown role {0:?}")]
pub struct RoleError(pub String);

impl Role {
    /// Every role, in order.
    pub const ALL: [Role; 5] = [
        Role::Applicant,
        Role::Employee,
        Role::Employer,
        Role::Staff,
        Role::Admin,
    ];

    /// The role's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Employee => "employee",
            Role::Employer => "employer",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// Staff and admins cannot reset their own password by email: the service desk does it.
    pub fn self_service_reset(self) -> bool {
        !matches!(self, Role::Staff | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = RoleError;
    fn from_str(s: &str) -> Result<Self, RoleError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| RoleError(s.to_owned()))
    }
}

/// The roles an account holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    /// A set of the given roles, without duplicates, in a stable order.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        RoleSet(roles)
    }

    /// Whether the set holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// The roles, in order.
    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// Whether an account with these roles may reset its password by email.
    pub fn self_service_reset(&self) -> bool {
        self.0.iter().all(|r| r.self_service_reset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn a_staff_member_who_is_also_an_applicant_cannot_self_reset() {
        assert!(!RoleSet::new([Role::Applicant, Role::Staff]).self_service_reset());
        assert!(RoleSet::new([Role::Applicant, Role::Employee]).self_service_reset());
    }
}
