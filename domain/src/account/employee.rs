//! Employee IDs, the roster status, and telling sign-in identifiers apart.

use std::fmt;

use thiserror::Error;

use super::{EmailAddress, Username};

/// A state Employee ID: 4 to 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmployeeId(String);

/// Why an Employee ID was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("an Employee ID has 4 to 12 digits")]
pub struct EmployeeIdError;

impl EmployeeId {
    /// Accepts 4 to 12 ASCII digits.
    pub fn parse(raw: &str) -> Result<Self, EmployeeIdError> {
        if (4..=12).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(EmployeeId(raw.to_owned()))
        } else {
            Err(EmployeeIdError)
        }
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmployeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether an employee on the roster still works for the State.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterStatus {
    /// Employed: has internal access.
    Active,
    /// Left State service: loses internal access at once.
    Separated,
}

impl RosterStatus {
    /// The status's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RosterStatus::Active => "active",
            RosterStatus::Separated => "separated",
        }
    }

    /// Parses `active` or `separated`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(RosterStatus::Active),
            "separated" => Some(RosterStatus::Separated),
            _ => None,
        }
    }
}

/// What a person typed in the sign-in box: an email (has `@`), an Employee ID (all digits) or
/// a username (starts with a letter). The three shapes cannot overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginIdentifier {
    /// Lower-case email key.
    Email(String),
    /// An Employee ID.
    EmployeeId(EmployeeId),
    /// Lower-case username key.
    Username(String),
}

impl LoginIdentifier {
    /// Classifies the input; `None` when it cannot name any account.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.contains('@') {
            EmailAddress::parse(raw)
                .ok()
                .map(|e| LoginIdentifier::Email(e.key()))
        } else if raw.bytes().all(|b| b.is_ascii_digit()) {
            EmployeeId::parse(raw).ok().map(LoginIdentifier::EmployeeId)
        } else {
            Username::parse(raw)
                .ok()
                .map(|u| LoginIdentifier::Username(u.key()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_kinds_of_sign_in_names_are_told_apart() {
        assert_eq!(
            LoginIdentifier::parse("Jane@Example.org"),
            Some(LoginIdentifier::Email("jane@example.org".into()))
        );
        assert_eq!(
            LoginIdentifier::parse("00123456"),
            Some(LoginIdentifier::EmployeeId(
                EmployeeId::parse("00123456").unwrap()
            ))
        );
        assert_eq!(
            LoginIdentifier::parse("LAOJDOE"),
            Some(LoginIdentifier::Username("laojdoe".into()))
        );
        assert_eq!(LoginIdentifier::parse("12"), None);
    }

    #[test]
    fn employee_ids_are_four_to_twelve_digits() {
        assert!(EmployeeId::parse("1234").is_ok());
        assert!(EmployeeId::parse("123").is_err());
        assert!(EmployeeId::parse("12345678901234").is_err());
        assert!(EmployeeId::parse("12a4").is_err());
    }
}
