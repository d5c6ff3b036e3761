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

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::{posting::filing_closes_at, reference::ClassificationCode};

/// An exam for a classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exam {
    /// Opaque id.
    pub id: String,
    /// The classification a pass puts people on the list for.
    pub classification: ClassificationCode,
    /// Its title.
    pub title: String,
    /// What it covers and how it works.
    pub description: String,
    /// Whether it takes attempts at all.
    pub open: bool,
    /// The last day to take it, if it has one.
    pub final_filing_date: Option<NaiveDate>,
    /// How long a pass keeps someone on the list.
    pub list_duration: ListDuration,
    /// The lowest passing score.
    pub passing_score: Score,
    /// How long someone waits before taking it again.
    pub retake_wait: TimeDelta,
    /// The questionnaire.
    pub questions: Vec<Question>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Exam {
    /// Whether it takes attempts at `now`: open, and its final filing date (if any) not past.
    pub fn accepting_attempts(&self, now: DateTime<Utc>) -> bool {
        self.open
            && self
                .final_filing_date
                .is_none_or(|date| now < filing_closes_at(date))
    }
}
