//! Job postings: their lifecycle, who may see them, and whether a person may apply.

mod consideration;
mod criteria;
mod status;
mod visibility;

pub use consideration::{Candidate, Consideration, EligibilityStanding, Reason, consideration};
pub use criteria::{CriteriaError, SearchCriteria, SortOrder};
pub use status::{PostingAction, PostingStatus, TransitionError};
pub use visibility::{Viewer, Visibility, can_see};

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone, Utc};
use thiserror::Error;

use crate::{
    reference::{ClassificationCode, CountyCode, DepartmentCode},
    terms::{Shift, Tenure, TimeBase},
};

/// A posting's title: 3 to 200 characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingTitle(String);

/// Why a posting field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PostingFieldError {
    /// Too short or too long.
    #[error("must be {min} to {max} characters long")]
    Length {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// Holds control characters.
    #[error("must not hold control characters")]
    Characters,
    /// The salary range is upside down or negative.
    #[error("the lowest salary must be at least 0 and at most the highest")]
    SalaryRange,
}

impl PostingTitle {
    /// Trims, then checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, PostingFieldError> {
        let value = raw.trim();
        if !(3..=200).contains(&value.chars().count()) {
            return Err(PostingFieldError::Length { min: 3, max: 200 });
        }
        if value.chars().any(char::is_control) {
            return Err(PostingFieldError::Characters);
        }
        Ok(PostingTitle(value.to_owned()))
    }

    /// The title as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The duties statement: 1 to 20,000 characters; line breaks and tabs allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duties(String);

impl Duties {
    /// Trims, then checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, PostingFieldError> {
        let value = raw.trim();
        if !(1..=20_000).contains(&value.chars().count()) {
            return Err(PostingFieldError::Length {
                min: 1,
                max: 20_000,
            });
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(PostingFieldError::Characters);
        }
        Ok(Duties(value.to_owned()))
    }

    /// The duties as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A monthly salary range in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryRange {
    min_cents: i64,
    max_cents: i64,
}

impl SalaryRange {
    /// Accepts `0 <= min <= max`.
    pub fn new(min_cents: i64, max_cents: i64) -> Result<Self, PostingFieldError> {
        if 0 <= min_cents && min_cents <= max_cents {
            Ok(SalaryRange {
                min_cents,
                max_cents,
            })
        } else {
            Err(PostingFieldError::SalaryRange)
        }
    }

    /// The lowest monthly salary, in cents.
    pub fn min_cents(self) -> i64 {
        self.min_cents
    }

    /// The highest monthly salary, in cents.
    pub fn max_cents(self) -> i64 {
        self.max_cents
    }
}

/// The civil time filing deadlines are set in: California, taken as UTC−8 all year, so a
/// deadline is never earlier than the end of the day in California.
pub const FILING_ZONE: FixedOffset = match FixedOffset::west_opt(8 * 3600) {
    Some(zone) => zone,
    None => panic!("UTC-8 is a valid offset"),
};

/// The first instant at which filing for `final_filing_date` is closed: the start of the next day
/// in the filing zone.
pub fn filing_closes_at(final_filing_date: NaiveDate) -> DateTime<Utc> {
    let next_day = final_filing_date.succ_opt().unwrap_or(final_filing_date);
    FILING_ZONE
        .from_local_datetime(&next_day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map_or_else(
            || next_day.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// The earliest final filing date still open at `now`: filing for a date `d` is open exactly
/// when `d >= first_open_filing_date(now)`, so a database can filter by the date alone. It is
/// derived from [`filing_closes_at`] (which only grows with the date), never from the zone, so
/// the two cannot disagree. The filing zone is less than a day from UTC, so two days before the
/// UTC date is always closed and the walk takes at most three steps.
pub fn first_open_filing_date(now: DateTime<Utc>) -> NaiveDate {
    let mut day = now
        .date_naive()
        .checked_sub_days(Days::new(2))
        .unwrap_or(NaiveDate::MIN);
    while filing_closes_at(day) <= now {
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    day
}

/// A vacancy a department posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Opaque id.
    pub id: crate::ids::PostingId,
    /// The department posting it.
    pub department: DepartmentCode,
    /// The job classification.
    pub classification: ClassificationCode,
    /// Working title.
    pub title: PostingTitle,
    /// The duties statement.
    pub duties: Duties,
    /// Where the job is.
    pub county: CountyCode,
    /// Permanent, limited-term or temporary.
    pub tenure: Tenure,
    /// Full time, part time or intermittent.
    pub time_base: TimeBase,
    /// When the work happens.
    pub shift: Shift,
    /// Monthly salary range.
    pub salary: SalaryRange,
    /// The last day to file an application.
    pub final_filing_date: NaiveDate,
    /// Document kinds an application must include.
    pub required_documents: Vec<String>,
    /// Whether applicants need active list eligibility for the classification.
    pub eligibility_required: bool,
    /// Public or internal only.
    pub visibility: Visibility,
    /// Draft, open, closed or cancelled.
    pub status: PostingStatus,
    /// When it opened.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Grows by one at every change (the ETag).
    pub version: i64,
}

impl Posting {
    /// Whether applications are accepted at `now`: open, and the final filing date not past
    /// (whether or not anyone closed it).
    pub fn accepting_applications(&self, now: DateTime<Utc>) -> bool {
        self.status == PostingStatus::Open && now < filing_closes_at(self.final_filing_date)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn filing_closes_at_the_end_of_the_final_day_in_california() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let closes = filing_closes_at(date);
        assert_eq!(closes.to_rfc3339(), "2026-04-01T08:00:00+00:00");
        assert!(closes - TimeDelta::seconds(1) < closes);
    }

    #[test]
    fn the_final_filing_day_stays_open_after_the_utc_date_has_moved_on() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let closes = filing_closes_at(day);
        let evening = closes - TimeDelta::hours(1);
        assert!(
            evening.date_naive() > day,
            "in UTC it is already the next day"
        );
        assert_eq!(first_open_filing_date(evening), day);
        assert_eq!(first_open_filing_date(closes), day.succ_opt().unwrap());
    }

    proptest! {
        #[test]
        fn a_filing_date_is_open_exactly_from_the_first_open_filing_date(
            seconds in 0i64..(200 * 366 * 86_400),
            micros in 0i64..1_000_000,
            days_from_utc in -3i64..=3,
        ) {
            let now = DateTime::<Utc>::UNIX_EPOCH
                + TimeDelta::seconds(seconds)
                + TimeDelta::microseconds(micros);
            let day = now.date_naive() + TimeDelta::days(days_from_utc);
            prop_assert_eq!(
                day >= first_open_filing_date(now),
                now < filing_closes_at(day)
            );
        }

        #[test]
        fn the_first_open_filing_date_is_open_at_its_closing_instant_minus_a_microsecond(
            days in 0i64..(200 * 366),
        ) {
            let day = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + TimeDelta::days(days);
            let closes = filing_closes_at(day);
            prop_assert_eq!(first_open_filing_date(closes - TimeDelta::microseconds(1)), day);
            prop_assert_eq!(first_open_filing_date(closes), day.succ_opt().unwrap());
        }
    }

    #[test]
    fn salary_ranges_cannot_be_upside_down() {
        assert!(SalaryRange::new(500_000, 600_000).is_ok());
        assert!(SalaryRange::new(600_000, 500_000).is_err());
        assert!(SalaryRange::new(-1, 5).is_err());
    }
}
