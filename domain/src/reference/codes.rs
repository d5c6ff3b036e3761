//! The codes that name reference data, each a newtype that only holds a valid value.

use std::fmt;

use thiserror::Error;

/// Why a code or a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodeError {
    /// Too short or too long, counted in characters.
    #[error("must be {min} to {max} characters long")]
    Length {
        /// Fewest characters allowed.
        min: usize,
        /// Most characters allowed.
        max: usize,
    },
    /// A character outside the allowed set.
    #[error("may contain only {allowed}")]
    Characters {
        /// The allowed set, in words.
        allowed: &'static str,
    },
}

fn check_length(value: &str, min: usize, max: usize) -> Result<(), CodeError> {
    let n = value.chars().count();
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(CodeError::Length { min, max })
    }
}

fn check_chars(value: &str, allowed: &'static str, ok: fn(char) -> bool) -> Result<(), CodeError> {
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(CodeError::Characters { allowed })
    }
}

/// Defines a code newtype: trimmed, case-normalised, checked for length and characters.
macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $normalise:ident, $allowed:expr, $ok:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Normalises the case, then checks length and characters.
            pub fn parse(raw: &str) -> Result<Self, CodeError> {
                let value = raw.trim().$normalise();
                check_length(&value, $min, $max)?;
                check_chars(&value, $allowed, $ok)?;
                Ok(Self(value))
            }

            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

fn upper_alnum(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

code_type!(
    /// A department code such as `DMV` or `CDCR`: 2 to 12 upper-case letters or digits.
    DepartmentCode, 2, 12, to_ascii_uppercase, "letters A-Z and digits", upper_alnum
);
code_type!(
    /// A classification (class) code such as `1139`: 1 to 8 upper-case letters or digits.
    ClassificationCode, 1, 8, to_ascii_uppercase, "letters A-Z and digits", upper_alnum
);
code_type!(
    /// A county slug such as `los-angeles`: 2 to 32 lower-case letters and hyphens.
    CountyCode, 2, 32, to_ascii_lowercase, "letters a-z and hyphens",
    |c: char| c.is_ascii_lowercase() || c == '-'
);
code_type!(
    /// An office code such as `LAO`: 2 to 6 upper-case letters, since it prefixes usernames.
    OfficeCode, 2, 6, to_ascii_uppercase, "letters A-Z", |c: char| c.is_ascii_uppercase()
);

/// The name or title of a piece of reference data: 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReferenceName(String);

impl ReferenceName {
    /// The most characters of a name, counted as sent.
    pub const MAX: usize = 200;

    /// One line of text (see [`crate::text::line`]): at most [`Self::MAX`] characters, no
    /// control characters, not blank; kept trimmed.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        crate::text::line(raw, Self::MAX)
            .map(Self)
            .map_err(|error| match error {
                crate::text::TextError::ControlCharacter => CodeError::Characters {
                    allowed: "printable characters",
                },
                _ => CodeError::Length {
                    min: 1,
                    max: Self::MAX,
                },
            })
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferenceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn department_codes_are_upper_cased_and_trimmed() {
        assert_eq!(DepartmentCode::parse(" dmv ").unwrap().as_str(), "DMV");
    }

    #[test]
    fn a_department_code_with_punctuation_is_refused() {
        assert_eq!(
            DepartmentCode::parse("DM-V"),
            Err(CodeError::Characters {
                allowed: "letters A-Z and digits"
            })
        );
    }

    #[test]
    fn office_codes_hold_letters_only() {
        assert!(OfficeCode::parse("LAO").is_ok());
        assert!(OfficeCode::parse("LA0").is_err());
        assert_eq!(
            OfficeCode::parse("L"),
            Err(CodeError::Length { min: 2, max: 6 })
        );
    }

    #[test]
    fn county_codes_are_lower_case_slugs() {
        assert_eq!(
            CountyCode::parse("Los-Angeles").unwrap().as_str(),
            "los-angeles"
        );
        assert!(CountyCode::parse("los angeles").is_err());
    }

    #[test]
    fn names_refuse_blank_and_control_characters() {
        assert!(ReferenceName::parse("   ").is_err());
        assert!(ReferenceName::parse("Bad\u{0}name").is_err());
        assert_eq!(
            ReferenceName::parse(" Office Technician ")
                .unwrap()
                .as_str(),
            "Office Technician"
        );
    }

    proptest! {
        #[test]
        fn any_parsed_classification_code_parses_again_to_itself(raw in "\\PC{0,12}") {
            if let Ok(code) = ClassificationCode::parse(&raw) {
                prop_assert_eq!(ClassificationCode::parse(code.as_str()), Ok(code.clone()));
                prop_assert!(code.as_str().chars().all(upper_alnum));
            }
        }

        #[test]
        fn any_parsed_name_is_trimmed_and_at_most_two_hundred_characters(raw in "\\PC{0,250}") {
            if let Ok(name) = ReferenceName::parse(&raw) {
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(name.as_str().chars().count() <= 200);
            }
        }
    }
}
