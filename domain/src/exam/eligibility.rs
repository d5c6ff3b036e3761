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
    use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};
    use proptest::prelude::*;

    use super::*;

    /// 60 days in microseconds.
    const SOON_MICROS: i64 = 60 * 86_400 * 1_000_000;

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

    /// The expiry the documented rule gives, computed without chrono's month arithmetic: the
    /// same time of day, `months` calendar months on, on the same day of the month or the
    /// target month's last day when it has no such day.
    fn expected_expiry(granted: DateTime<Utc>, months: u32) -> DateTime<Utc> {
        let date = granted.date_naive();
        let index = date.year() * 12 + i32::try_from(date.month0() + months).unwrap();
        let (year, month) = (
            index.div_euclid(12),
            index.rem_euclid(12).unsigned_abs() + 1,
        );
        let last = last_day_of(year, month);
        NaiveDate::from_ymd_opt(year, month, date.day().min(last))
            .unwrap()
            .and_time(granted.time())
            .and_utc()
    }

    fn last_day_of(year: i32, month: u32) -> u32 {
        (28..=31)
            .rev()
            .find(|day| NaiveDate::from_ymd_opt(year, month, *day).is_some())
            .unwrap()
    }

    fn is_leap(year: i32) -> bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// An instant of day: seconds and microseconds past midnight.
    fn time_of_day() -> impl Strategy<Value = TimeDelta> {
        (0i64..86_400, 0i64..1_000_000)
            .prop_map(|(s, us)| TimeDelta::seconds(s) + TimeDelta::microseconds(us))
    }

    fn duration() -> impl Strategy<Value = ListDuration> {
        prop_oneof![
            Just(ListDuration::TwelveMonths),
            Just(ListDuration::TwentyFourMonths)
        ]
    }

    /// A day to grant on: any day, or (two times in three) one where a wrong month-end rule
    /// shows: the last four days of a month, or 29 February.
    fn grant_day() -> impl Strategy<Value = NaiveDate> {
        let any_day = (0i64..150 * 366)
            .prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + TimeDelta::days(d));
        let month_end = (2000i32..2150, 1u32..=12, 0u32..4).prop_map(|(y, m, back)| {
            NaiveDate::from_ymd_opt(y, m, last_day_of(y, m) - back).unwrap()
        });
        let leap_day = (0i32..38)
            .prop_map(|k| 2000 + 4 * k)
            .prop_filter("a leap year", |y| is_leap(*y))
            .prop_map(|y| NaiveDate::from_ymd_opt(y, 2, 29).unwrap());
        prop_oneof![any_day, month_end, leap_day]
    }

    fn midnight(year: i32, month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, 0, 0, 0).unwrap()
    }

    proptest! {
        #[test]
        fn an_eligibility_ends_the_same_instant_whole_calendar_months_later(
            day in grant_day(),
            time in time_of_day(),
            duration in duration(),
        ) {
            let granted = day.and_time(NaiveTime::MIN).and_utc() + time;
            let expires = eligibility_expires_at(granted, duration);
            prop_assert_eq!(expires, expected_expiry(granted, duration.months()));
            prop_assert_eq!(expires.time(), granted.time());
            // 12 months are 365 or 366 days, 24 months 730 or 731.
            let years = i64::from(duration.months() / 12);
            let length = (expires - granted).num_days();
            prop_assert!((365 * years..=365 * years + 1).contains(&length), "{} days", length);
            prop_assert_eq!(status_at(expires, granted), EligibilityStatus::Active);
            prop_assert_eq!(status_at(expires, expires), EligibilityStatus::Expired);
        }

        #[test]
        fn a_pass_on_a_leap_day_ends_on_the_28th_of_february(
            leap_years in 0i32..100,
            time in time_of_day(),
            duration in duration(),
        ) {
            let year = 2000 + 4 * leap_years;
            prop_assume!(is_leap(year));
            let granted = midnight(year, 2, 29) + time;
            let expires = eligibility_expires_at(granted, duration);
            let target = year + i32::try_from(duration.months() / 12).unwrap();
            prop_assert_eq!(expires, midnight(target, 2, 28) + time);
            prop_assert_eq!(status_at(expires, expires - TimeDelta::microseconds(1)), EligibilityStatus::ExpiringSoon);
            prop_assert_eq!(status_at(expires, expires), EligibilityStatus::Expired);
        }

        #[test]
        fn a_pass_on_the_31st_ends_on_the_target_months_last_day(
            year in 2000i32..2400,
            month in prop::sample::select(vec![1u32, 3, 5, 7, 8, 10, 12]),
            time in time_of_day(),
            duration in duration(),
        ) {
            let granted = midnight(year, month, 31) + time;
            let expires = eligibility_expires_at(granted, duration);
            let target = year + i32::try_from(duration.months() / 12).unwrap();
            prop_assert_eq!(expires, midnight(target, month, last_day_of(target, month)) + time);
        }

        #[test]
        fn a_pass_on_a_months_last_day_keeps_its_day_where_the_target_month_has_it(
            year in 2000i32..2400,
            month in 1u32..=12,
            time in time_of_day(),
            duration in duration(),
        ) {
            // 28 February 2103 + 12 months is 28 February 2104, not the 29th: the day is kept,
            // and only a day the target month lacks falls back to its last.
            let last = last_day_of(year, month);
            let granted = midnight(year, month, last) + time;
            let expires = eligibility_expires_at(granted, duration);
            let target = year + i32::try_from(duration.months() / 12).unwrap();
            let day = last.min(last_day_of(target, month));
            prop_assert_eq!(expires, midnight(target, month, day) + time);
        }

        #[test]
        fn an_eligibility_is_on_the_list_up_to_the_instant_of_expiry_and_expired_at_it(
            days in 0i64..(150 * 366),
            time in time_of_day(),
            offset in prop_oneof![
                -3i64..=3,
                (-SOON_MICROS - 3)..=(-SOON_MICROS + 3),
                (-2 * SOON_MICROS)..(2 * SOON_MICROS),
            ],
        ) {
            let expires = midnight(2000, 1, 1) + TimeDelta::days(days) + time;
            let now = expires + TimeDelta::microseconds(offset);
            let expected = if offset >= 0 {
                EligibilityStatus::Expired
            } else if offset >= -SOON_MICROS {
                EligibilityStatus::ExpiringSoon
            } else {
                EligibilityStatus::Active
            };
            prop_assert_eq!(status_at(expires, now), expected);
            prop_assert_eq!(status_at(expires, now).is_on_list(), now < expires);
            prop_assert_eq!(days_left(expires, now) == 0, now >= expires);
        }

        #[test]
        fn a_retake_is_allowed_from_the_attempt_plus_the_wait(
            days in 0i64..(150 * 366),
            time in time_of_day(),
            wait_days in 0i64..=3650,
            offset in -5i64..=5,
            later_days in 0i64..4000,
        ) {
            let last = midnight(2000, 1, 1) + TimeDelta::days(days) + time;
            let wait = TimeDelta::days(wait_days);
            let from = last + wait;
            // Around the end of the wait, to the microsecond, and anywhere after the attempt.
            for now in [from + TimeDelta::microseconds(offset), last + TimeDelta::days(later_days)] {
                prop_assert_eq!(
                    retake_allowed_from(last, wait, None, now),
                    (now < from).then_some(from)
                );
            }
        }

        #[test]
        fn an_expired_eligibility_allows_a_retake_before_the_wait_ends(
            days in 0i64..(150 * 366),
            wait_days in 0i64..=3650,
            expiry_days in 1i64..=800,
            now_days in 0i64..4000,
        ) {
            let last = midnight(2000, 1, 1) + TimeDelta::days(days);
            let wait = TimeDelta::days(wait_days);
            let expires = last + TimeDelta::days(expiry_days);
            let now = last + TimeDelta::days(now_days);
            let from = (last + wait).min(expires);
            prop_assert_eq!(
                retake_allowed_from(last, wait, Some(expires), now),
                (now < from).then_some(from)
            );
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
