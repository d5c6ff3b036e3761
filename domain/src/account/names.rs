//! People's names.

use std::fmt;

use thiserror::Error;

/// A first or last name: 1 to 100 characters, no control characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PersonNameError {
    /// Empty after trimming, or longer than 100 characters.
    #[error("a name has 1 to 100 characters")]
    Length,
    /// Holds a control character.
    #[error("a name cannot hold control characters")]
    Characters,
}

impl PersonName {
    /// Trims surrounding space, then checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, PersonNameError> {
        let value = raw.trim();
        if value.is_empty() || raw.chars().count() > 100 {
            return Err(PersonNameError::Length);
        }
        if raw.chars().any(char::is_control) {
            return Err(PersonNameError::Characters);
        }
        Ok(PersonName(value.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
