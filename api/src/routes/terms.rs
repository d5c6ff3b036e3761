//! The terms of a job as the API names them (tenure, time base, shift), shared by profiles'
//! conditions of employment and, later, postings, alerts and searches.

use merit_domain::terms;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Defines an API enumeration mirroring a domain one, with conversions both ways.
macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident => $domain:path { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => <$domain>::$variant),+
                }
            }
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value {
                    $(<$domain>::$variant => $name::$variant),+
                }
            }
        }
    };
}
pub(crate) use api_enum;

api_enum!(
    /// How long an appointment lasts.
    Tenure => terms::Tenure {
        /// No end date.
        Permanent,
        /// A set term, usually up to two years.
        LimitedTerm,
        /// Short, for a season or a peak of work.
        Temporary,
    }
);

api_enum!(
    /// How much of a full week the job takes.
    TimeBase => terms::TimeBase {
        /// Forty hours a week.
        FullTime,
        /// A fixed fraction of full time.
        PartTime,
        /// Hours as needed, up to a yearly limit.
        Intermittent,
    }
);

api_enum!(
    /// When the work is done.
    Shift => terms::Shift {
        /// Daytime hours.
        Day,
        /// Evening hours.
        Evening,
        /// Night hours.
        Night,
        /// Saturdays and Sundays.
        Weekend,
        /// Shifts that change on a schedule.
        Rotating,
    }
);
