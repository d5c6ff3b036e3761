//! Civil-service exams: scoring questionnaires, passing, rank bands, and the list eligibility a
//! pass grants, which expires. Every rule takes "now" as a parameter.

mod eligibility;
mod scoring;

pub use eligibility::{
    EXPIRING_SOON, EligibilityStatus, best_active, days_left, eligibility_expires_at,
    retake_allowed_from, standing, status_at,
};
pub use scoring::{
    AnswerError, AnswerOption, Question, RankBand, Score, ScoreError, rank_band, score,
};

use thiserror::Error;

/// How long a pass keeps someone on the eligible list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListDuration {
    /// Twelve months.
    TwelveMonths,
    /// Twenty-four months.
    TwentyFourMonths,
}

/// A list duration other than 12 or 24 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("an eligible list lasts 12 or 24 months")]
pub struct ListDurationError;

impl ListDuration {
    /// Accepts 12 or 24.
    pub fn from_months(months: u32) -> Result<Self, ListDurationError> {
        match months {
            12 => Ok(ListDuration::TwelveMonths),
            24 => Ok(ListDuration::TwentyFourMonths),
            _ => Err(ListDurationError),
        }
    }

    /// The number of months.
    pub fn months(self) -> u32 {
        match self {
            ListDuration::TwelveMonths => 12,
            ListDuration::TwentyFourMonths => 24,
        }
    }
}
