//! The terms of a job: tenure, time base and shift, and the terms of one posting that a
//! person's conditions of employment are matched against (contact letters, alerts, eligible-list
//! filters).

use std::fmt;

use thiserror::Error;

use crate::reference::{CountyCode, DepartmentCode};

/// A name that is not one of an enumeration's values.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{value:?} is not a known {kind}")]
pub struct UnknownName {
    /// What kind of value was expected (`tenure`, `shift`, ...).
    pub kind: &'static str,
    /// What was given.
    pub value: String,
}

/// Defines an enumeration whose values have stable snake_case names (API and database).
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $kind:literal, { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name of the value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $name {
            /// Parses a value's name (`None` when it is not one).
            pub fn parse(text: &str) -> Option<Self> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::terms::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::terms::UnknownName { kind: $kind, value: s.to_owned() })
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// How long an appointment lasts.
    Tenure, "tenure", {
        /// No end date.
        Permanent => "permanent",
        /// A set term, usually up to two years.
        LimitedTerm => "limited_term",
        /// Short, for a season or a peak of work.
        Temporary => "temporary",
    }
);

named_enum!(
    /// How much of a full week the job takes.
    TimeBase, "time base", {
        /// Forty hours a week.
        FullTime => "full_time",
        /// A fixed fraction of full time.
        PartTime => "part_time",
        /// Hours as needed, up to a yearly limit.
        Intermittent => "intermittent",
    }
);

named_enum!(
    /// When the work is done.
    Shift, "shift", {
        /// Daytime hours.
        Day => "day",
        /// Evening hours.
        Evening => "evening",
        /// Night hours.
        Night => "night",
        /// Saturdays and Sundays.
        Weekend => "weekend",
        /// Shifts that change on a schedule.
        Rotating => "rotating",
    }
);

/// The terms of one posting, as conditions of employment see them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostingTerms {
    /// Where the job is.
    pub county: CountyCode,
    /// The hiring department.
    pub department: DepartmentCode,
    /// How long the appointment lasts.
    pub tenure: Tenure,
    /// Full time, part time or intermittent.
    pub time_base: TimeBase,
    /// When the work is done.
    pub shift: Shift,
}

impl fmt::Display for PostingTerms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} in {}",
            self.tenure, self.time_base, self.shift, self.department, self.county
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_back_from_its_name() {
        for tenure in Tenure::ALL {
            assert_eq!(tenure.as_str().parse::<Tenure>(), Ok(*tenure));
        }
        for time_base in TimeBase::ALL {
            assert_eq!(time_base.as_str().parse::<TimeBase>(), Ok(*time_base));
        }
        for shift in Shift::ALL {
            assert_eq!(shift.as_str().parse::<Shift>(), Ok(*shift));
        }
    }

    #[test]
    fn an_unknown_name_says_what_kind_was_expected() {
        let error = "forever".parse::<Tenure>().unwrap_err();
        assert_eq!(error.to_string(), "\"forever\" is not a known tenure");
    }
}
