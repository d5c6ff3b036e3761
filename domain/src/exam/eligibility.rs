//! List eligibility: when it expires, its status at an instant, when a re-take is allowed, and
//! which of several results counts.

use chrono::{DateTime, Months, TimeDelta, Utc};

use super::ListDuration;
use crate::posting::EligibilityStanding;

/// How close to its end an eligibility is "expiring soon".
pub const EXPIRING_SOON: TimeDelta = TimeDelta::days(60);

/// Where an eligibility stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EligibilityStatus {
    /// On the list, for more than 60 days yet.
    Active,
    /// On the list, for 60 days or less.
    ExpiringSoon,
    /// Off the list; re-take the exam to return.
    Expired,
}

impl EligibilityStatus {
    /// The name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EligibilityStatus::Active => "active",
            EligibilityStatus::ExpiringSoon => "expiring_soon",
            EligibilityStatus::Expired => "expired",
        }
    }

    /// Whether the person is on the list.
    pub fn is_on_list(self) -> bool {
        self != EligibilityStatus::Expired
    }
}

/// When an eligibility granted at `granted_at` ends: the same instant `duration` months later;
/// a day that month lacks falls back to its last day (a pass on 29 February 2028 with a 12-month
/// list ends on 28 February 2029).
pub fn eligibility_expires_at(granted_at: DateTime<Utc>, duration: ListDuration) -> DateTime<Utc> {
    granted_at
        .checked_add_months(Months::new(duration.months()))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The status at `now` of an eligibility ending at `expires_at`. The instant of expiry is
/// already expired.
pub fn status_at(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> EligibilityStatus {
    if now >= expires_at {
        EligibilityStatus::Expired
    } else if expires_at - now <= EXPIRING_SOON {
        EligibilityStatus::ExpiringSoon
    } else {
        EligibilityStatus::Active
    }
}

/// Whole days left before `expires_at`, counting a started day (0 once expired).
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    if now >= expires_at {
        return 0;
    }
    let left = expires_at - now;
    left.num_days() + i64::from(left > TimeDelta::days(left.num_days()))
}

/// When a re-take becomes possible after an attempt at `last_attempt_at` with a `wait`: at the
/// end of the wait, or as soon as the person's eligibility from that exam expires, whichever is
/// first. `None` means now.
pub fn retake_allowed_from(
    last_attempt_at: DateTime<Utc>,
    wait: TimeDelta,
    eligibility_expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let after_wait = last_attempt_at + wait;
    let allowed_from = match eligibility_expires_at {
        Some(expires) => after_wait.min(expires),
        None => after_wait,
    };
    (now < allowed_from).then_some(allowed_from)
}

/// Of several eligibilities (score, expiry), the one that counts at `now`: the best score among
/// those not expired, and of equal scores the one lasting longest.
pub fn best_active<T>(
    results: &[T],
    now: DateTime<Utc>,
    key: impl Fn(&T) -> (u8, DateTime<Utc>),
) -> Option<&T> {
    results
        .iter()
        .filter(|r| status_at(key(r).1, now).is_on_list())
        .max_by_key(|r| key(r))
}

/// The standing a posting's consideration rule needs, from the latest expiry of the person's
/// eligibilities for the classification (if any).
pub fn standing(latest_expiry: Option<DateTime<Utc>>, now: DateTime<Utc>) -> EligibilityStanding {
    match latest_expiry.map(|expires| status_at(expires, now)) {
        None => EligibilityStanding::None,
        Some(EligibilityStatus::Expired) => EligibilityStanding::Expired,
        Some(_) => EligibilityStanding::Active,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_twelve_month_list_ends_on_the_same_day_next_year() {
        assert_eq!(
            eligibility_expires_at(at(2026, 3, 2), ListDuration::TwelveMonths),
            at(2027, 3, 2)
        );
        assert_eq!(
            eligibility_expires_at(at(2026, 3, 2), ListDuration::TwentyFourMonths),
            at(2028, 3, 2)
        );
    }

    #[test]
    fn a_pass_on_a_leap_day_ends_on_the_last_day_of_february() {
        assert_eq!(
            eligibility_expires_at(at(2028, 2, 29), ListDuration::TwelveMonths),
            at(2029, 2, 28)
        );
        assert_eq!(
            eligibility_expires_at(at(2028, 2, 29), ListDuration::TwentyFourMonths),
            at(2030, 2, 28)
        );
    }

    #[test]
    fn the_instant_of_expiry_is_expired_and_the_instant_before_is_not() {
        let expires = at(2027, 3, 2);
        assert_eq!(status_at(expires, expires), EligibilityStatus::Expired);
        assert_eq!(
            status_at(expires, expires - TimeDelta::nanoseconds(1000)),
            EligibilityStatus::ExpiringSoon
        );
    }

    #[test]
    fn sixty_days_before_expiry_it_is_expiring_soon() {
        let expires = at(2027, 3, 2);
        assert_eq!(
            status_at(expires, expires - TimeDelta::days(60)),
            EligibilityStatus::ExpiringSoon
        );
        assert_eq!(
            status_at(
                expires,
                expires - TimeDelta::days(60) - TimeDelta::seconds(1)
            ),
            EligibilityStatus::Active
        );
    }

    #[test]
    fn days_left_counts_a_started_day() {
        let expires = at(2027, 3, 2);
        assert_eq!(days_left(expires, expires - TimeDelta::hours(1)), 1);
        assert_eq!(days_left(expires, expires - TimeDelta::days(2)), 2);
        assert_eq!(days_left(expires, expires), 0);
    }

    #[test]
    fn a_retake_waits_unless_the_eligibility_expired_first() {
        let last = at(2026, 1, 1);
        let wait = TimeDelta::days(180);
        assert_eq!(
            retake_allowed_from(last, wait, None, at(2026, 3, 1)),
            Some(last + wait)
        );
        assert_eq!(retake_allowed_from(last, wait, None, last + wait), None);
        let expires = at(2026, 2, 1);
        assert_eq!(
            retake_allowed_from(last, wait, Some(expires), at(2026, 1, 15)),
            Some(expires)
        );
        assert_eq!(
            retake_allowed_from(last, wait, Some(expires), at(2026, 2, 1)),
            None
        );
    }

    #[test]
    fn the_best_active_result_counts() {
        let now = at(2026, 6, 1);
        let results = [
            (90u8, at(2026, 5, 1)),
            (80, at(2027, 1, 1)),
            (85, at(2027, 1, 1)),
            (85, at(2026, 12, 1)),
        ];
        assert_eq!(
            best_active(&results, now, |r| *r),
            Some(&(85, at(2027, 1, 1)))
        );
        assert_eq!(best_active(&results[..1], now, |r| *r), None);
    }

    proptest! {
        #[test]
        fn an_eligibility_never_ends_before_it_starts_or_more_than_24_months_and_4_days_later(days in 0i64..3650, long: bool) {
            let granted = at(2024, 1, 1) + TimeDelta::days(days);
            let duration = if long { ListDuration::TwentyFourMonths } else { ListDuration::TwelveMonths };
            let expires = eligibility_expires_at(granted, duration);
            prop_assert!(expires > granted);
            prop_assert!(expires - granted <= TimeDelta::days(i64::from(duration.months()) * 31));
            prop_assert!(expires - granted >= TimeDelta::days(i64::from(duration.months()) * 28));
            prop_assert_eq!(status_at(expires, granted), EligibilityStatus::Active);
            prop_assert_eq!(status_at(expires, expires), EligibilityStatus::Expired);
        }

        #[test]
        fn status_only_moves_forward_in_time(offset in -400i64..400, step in 0i64..400) {
            let expires = at(2027, 3, 2);
            let rank = |s| match s { EligibilityStatus::Active => 0, EligibilityStatus::ExpiringSoon => 1, EligibilityStatus::Expired => 2 };
            let earlier = status_at(expires, expires + TimeDelta::days(offset));
            let later = status_at(expires, expires + TimeDelta::days(offset + step));
            prop_assert!(rank(earlier) <= rank(later));
        }
    }
}
