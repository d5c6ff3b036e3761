//! Staff calendars (CalJOBS "My Calendar"): appointments, their status and its moves, the time
//! rules (an end after the start, a bounded length), when two appointments collide, and what
//! counts as "new" and "upcoming".

use chrono::{DateTime, Duration, Utc};

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppointmentStatus {
    /// Planned.
    Scheduled,
    /// It took place.
    Completed,
    /// Called off; final, and frees the time.
    Cancelled,
    /// The person did not come.
    NoShow,
}

impl AppointmentStatus {
    /// Every status.
    pub const ALL: &'static [AppointmentStatus] = &[
        AppointmentStatus::Scheduled,
        AppointmentStatus::Completed,
        AppointmentStatus::Cancelled,
        AppointmentStatus::NoShow,
    ];

    /// The stable name (API and database).
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "scheduled",
            AppointmentStatus::Completed => "completed",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    /// Parses a stable name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == text)
    }

    /// Whether an appointment in this status holds its time on the staff member's calendar
    /// (every status but `cancelled`).
    pub fn holds_time(self) -> bool {
        self != AppointmentStatus::Cancelled
    }
}

/// The longest an appointment may last.
pub const MAX_LENGTH_HOURS: i64 = 12;

/// An appointment counts as new for this many days after it was made.
pub const NEW_FOR_DAYS: i64 = 7;

/// What is wrong with an appointment's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimesError {
    /// The end is not after the start.
    #[error("an appointment ends after it starts")]
    EndNotAfterStart,
    /// Longer than [`MAX_LENGTH_HOURS`].
    #[error("an appointment lasts at most {MAX_LENGTH_HOURS} hours")]
    TooLong,
}

/// Checks an appointment's start and end.
pub fn check_times(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<(), TimesError> {
    if ends_at <= starts_at {
        Err(TimesError::EndNotAfterStart)
    } else if ends_at - starts_at > Duration::hours(MAX_LENGTH_HOURS) {
        Err(TimesError::TooLong)
    } else {
        Ok(())
    }
}

/// Whether two half-open spans `[start, end)` share an instant: back-to-back appointments
/// (one ends when the next starts) do not collide.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Why a status cannot be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatusChangeError {
    /// A cancelled appointment is final.
    #[error("the appointment is cancelled")]
    Cancelled,
    /// `completed` and `no_show` describe what happened: not before the start.
    #[error("the appointment has not started yet")]
    NotStarted,
}

/// Checks a move from `from` to `to` of an appointment starting at `starts_at`, at `now`.
pub fn change_status(
    from: AppointmentStatus,
    to: AppointmentStatus,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StatusChangeError> {
    use AppointmentStatus::*;
    match (from, to) {
        (Cancelled, Cancelled) => Ok(()),
        (Cancelled, _) => Err(StatusChangeError::Cancelled),
        (_, Completed | NoShow) if from != to && now < starts_at => {
            Err(StatusChangeError::NotStarted)
        }
        _ => Ok(()),
    }
}

/// The instant after which a made appointment counts as new at `now`.
pub fn new_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(NEW_FOR_DAYS)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_end_follows_the_start_within_the_length() {
        assert_eq!(check_times(at(0), at(0)), Err(TimesError::EndNotAfterStart));
        assert_eq!(
            check_times(at(10), at(0)),
            Err(TimesError::EndNotAfterStart)
        );
        assert_eq!(check_times(at(0), at(12 * 60)), Ok(()));
        assert_eq!(
            check_times(at(0), at(12 * 60 + 1)),
            Err(TimesError::TooLong)
        );
    }

    #[test]
    fn back_to_back_appointments_do_not_collide() {
        assert!(!overlaps((at(0), at(30)), (at(30), at(60))));
        assert!(overlaps((at(0), at(31)), (at(30), at(60))));
        assert!(overlaps((at(0), at(90)), (at(30), at(60))));
    }

    #[test]
    fn cancelled_is_final_and_outcomes_wait_for_the_start() {
        use AppointmentStatus::*;
        assert_eq!(
            change_status(Cancelled, Scheduled, at(0), at(10)),
            Err(StatusChangeError::Cancelled)
        );
        assert_eq!(change_status(Cancelled, Cancelled, at(0), at(10)), Ok(()));
        assert_eq!(
            change_status(Scheduled, Completed, at(10), at(0)),
            Err(StatusChangeError::NotStarted)
        );
        assert_eq!(change_status(Scheduled, NoShow, at(10), at(10)), Ok(()));
        assert_eq!(change_status(Scheduled, Cancelled, at(10), at(0)), Ok(()));
        // Moving a completed appointment later keeps its (recorded) status.
        assert_eq!(change_status(Completed, Completed, at(10), at(0)), Ok(()));
    }

    #[test]
    fn names_round_trip() {
        for status in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(status.as_str()), Some(*status));
        }
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric_and_matches_a_shared_minute(
            a in 0i64..500, la in 1i64..200, b in 0i64..500, lb in 1i64..200,
        ) {
            let x = (at(a), at(a + la));
            let y = (at(b), at(b + lb));
            prop_assert_eq!(overlaps(x, y), overlaps(y, x));
            let shared = (a..a + la).any(|m| (b..b + lb).contains(&m));
            prop_assert_eq!(overlaps(x, y), shared);
        }
    }
}
