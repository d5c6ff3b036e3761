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
    pub id: crate::ids::ExamId,
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::posting::first_open_filing_date;

    fn exam(open: bool, final_filing_date: Option<NaiveDate>) -> Exam {
        Exam {
            id: crate::ids::ExamId::parse("0190a000-0000-7000-8000-000000000001").unwrap(),
            classification: ClassificationCode::parse("5393").unwrap(),
            title: "Analyst".into(),
            description: String::new(),
            open,
            final_filing_date,
            list_duration: ListDuration::TwelveMonths,
            passing_score: Score::new(70).unwrap(),
            retake_wait: TimeDelta::days(180),
            questions: Vec::new(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn an_exam_takes_attempts_until_the_end_of_its_final_day_in_the_filing_zone() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let closes = filing_closes_at(day);
        let exam = exam(true, Some(day));
        assert!(exam.accepting_attempts(closes - TimeDelta::microseconds(1)));
        assert!(!exam.accepting_attempts(closes));
        assert!(!self::exam(false, None).accepting_attempts(closes));
    }

    proptest! {
        /// The exam list filters by date (`first_open_filing_date`); it must keep exactly the
        /// exams that take attempts.
        #[test]
        fn the_list_cut_off_date_agrees_with_accepting_attempts(
            seconds in 0i64..(100 * 366 * 86_400),
            micros in 0i64..1_000_000,
            days_from_utc in -3i64..=3,
            open: bool,
        ) {
            let now = DateTime::<Utc>::UNIX_EPOCH
                + TimeDelta::seconds(seconds)
                + TimeDelta::microseconds(micros);
            let day = now.date_naive() + TimeDelta::days(days_from_utc);
            let listed = open && day >= first_open_filing_date(now);
            prop_assert_eq!(exam(open, Some(day)).accepting_attempts(now), listed);
        }
    }
}
