//! Terms of employment shared by postings, profiles, alerts and eligible lists.

use std::fmt;

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's name in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses a value's name.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// How long a job lasts.
    Tenure {
        /// A permanent position.
        Permanent => "permanent",
        /// A position for a set period.
        LimitedTerm => "limited_term",
        /// A temporary position.
        Temporary => "temporary",
    }
);

named_enum!(
    /// How much of the week a job takes.
    TimeBase {
        /// Full time.
        FullTime => "full_time",
        /// Part time.
        PartTime => "part_time",
        /// As needed.
        Intermittent => "intermittent",
    }
);

named_enum!(
    /// When the work happens.
    Shift {
        /// Daytime.
        Day => "day",
        /// Evenings.
        Evening => "evening",
        /// Nights.
        Night => "night",
        /// Weekends.
        Weekend => "weekend",
        /// Changing shifts.
        Rotating => "rotating",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for tenure in Tenure::ALL {
            assert_eq!(Tenure::parse(tenure.as_str()), Some(*tenure));
        }
        for time_base in TimeBase::ALL {
            assert_eq!(TimeBase::parse(time_base.as_str()), Some(*time_base));
        }
        for shift in Shift::ALL {
            assert_eq!(Shift::parse(shift.as_str()), Some(*shift));
        }
        assert_eq!(Tenure::parse("forever"), None);
    }
}
