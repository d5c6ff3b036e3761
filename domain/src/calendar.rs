//! California's civil calendar for response windows: state holidays computed by rule, business
//! days, Pacific time, and the `respond_by` instant of an employment inquiry (2 CCR §258).
//!
//! **Holidays** are those of Government Code §6700 and §19853 as CalHR lists them for state
//! employees: New Year's Day (1 January), Martin Luther King Jr. Day (third Monday of January),
//! Lincoln Day (12 February), Washington's Birthday (third Monday of February), Cesar Chavez Day
//! (31 March), Memorial Day (last Monday of May), Independence Day (4 July), Labor Day (first
//! Monday of September), Native American Day (fourth Friday of September), Veterans Day
//! (11 November), Thanksgiving (fourth Thursday of November) and the day after, and Christmas
//! (25 December). A holiday on a Sunday is observed the next Monday; a holiday on a Saturday is
//! **not** moved (state employees get holiday credit instead, Gov. Code §19853(b)), so the
//! Friday before stays a business day.
//!
//! **Pacific time** is computed by rule, without a time-zone database: UTC−8, and UTC−7 from
//! 02:00 local on the second Sunday of March to 02:00 local on the first Sunday of November (the
//! United States rule since 2007; earlier years are computed with the same rule).

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc, Weekday};

/// How an employment inquiry reached the person; it sets the minimum response window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactMethod {
    /// Email or the person's online account.
    Electronic,
    /// Postal mail.
    Mail,
    /// Telephone (a voicemail counts).
    Telephone,
}

impl ContactMethod {
    /// The business days the person has to answer (2 CCR §258).
    pub fn business_days(self) -> u32 {
        match self {
            ContactMethod::Electronic | ContactMethod::Mail => 6,
            ContactMethod::Telephone => 2,
        }
    }
}

/// The `n`th `weekday` of `month` in `year` (`n` from 1).
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
        .unwrap_or(NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
}

/// The last `weekday` of `month` in `year`.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let fifth = NaiveDate::from_weekday_of_month_opt(year, month, weekday, 5);
    fifth.unwrap_or_else(|| nth_weekday(year, month, weekday, 4))
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The day a holiday falling on `day` is observed: a Sunday moves to Monday; any other day
/// (Saturday included) stays.
fn observed(day: NaiveDate) -> NaiveDate {
    if day.weekday() == Weekday::Sun {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    }
}

/// California's state holidays observed in `year`, in date order.
pub fn state_holidays(year: i32) -> Vec<NaiveDate> {
    let thanksgiving = nth_weekday(year, 11, Weekday::Thu, 4);
    let mut days = vec![
        observed(date(year, 1, 1)),
        nth_weekday(year, 1, Weekday::Mon, 3),
        observed(date(year, 2, 12)),
        nth_weekday(year, 2, Weekday::Mon, 3),
        observed(date(year, 3, 31)),
        last_weekday(year, 5, Weekday::Mon),
        observed(date(year, 7, 4)),
        nth_weekday(year, 9, Weekday::Mon, 1),
        nth_weekday(year, 9, Weekday::Fri, 4),
        observed(date(year, 11, 11)),
        thanksgiving,
        thanksgiving.succ_opt().unwrap_or(thanksgiving),
        observed(date(year, 12, 25)),
    ];
    days.sort_unstable();
    days
}

/// Whether `day` is a California state holiday (as observed).
pub fn is_state_holiday(day: NaiveDate) -> bool {
    state_holidays(day.year()).contains(&day)
}

/// Whether `day` is a business day: a weekday that is not a state holiday.
pub fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_state_holiday(day)
}

/// The `n`th business day after `day` (`day` itself not counted; `n = 0` gives `day`).
pub fn add_business_days(day: NaiveDate, n: u32) -> NaiveDate {
    let mut current = day;
    let mut left = n;
    while left > 0 {
        let Some(next) = current.succ_opt() else {
            return current;
        };
        current = next;
        if is_business_day(current) {
            left -= 1;
        }
    }
    current
}

/// The UTC offset of Pacific time, in hours, for a UTC instant: −7 in daylight time, else −8.
pub fn pacific_offset_hours(at: DateTime<Utc>) -> i64 {
    let year = at.year();
    // 02:00 PST = 10:00 UTC on the second Sunday of March; 02:00 PDT = 09:00 UTC on the first
    // Sunday of November.
    let starts = nth_weekday(year, 3, Weekday::Sun, 2)
        .and_hms_opt(10, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let ends = nth_weekday(year, 11, Weekday::Sun, 1)
        .and_hms_opt(9, 0, 0)
        .unwrap_or_default()
        .and_utc();
    if starts <= at && at < ends { -7 } else { -8 }
}

/// The Pacific civil time of a UTC instant.
pub fn pacific_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + TimeDelta::hours(pacific_offset_hours(at))
}

/// The UTC instant at which the Pacific calendar day `day` starts (its local midnight): where
/// the day before it ends.
pub fn start_of_pacific_day(day: NaiveDate) -> DateTime<Utc> {
    end_of_pacific_day(day.pred_opt().unwrap_or(day))
}

/// The UTC instant at which the Pacific calendar day `day` ends (midnight starting the next
/// day, local time). Midnight is never inside a daylight-time change (those happen at 02:00), so
/// the local time names exactly one instant.
pub fn end_of_pacific_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Try standard time first; if that instant is in daylight time, use daylight time.
    let standard = (midnight + TimeDelta::hours(8)).and_utc();
    if pacific_offset_hours(standard) == -8 {
        standard
    } else {
        (midnight + TimeDelta::hours(7)).and_utc()
    }
}

/// When the answer to an inquiry sent at `now` by `method` is due: the end (midnight, Pacific
/// time) of the last business day of the window, counted from the day after the Pacific date
/// of `now`. No answer counts as not interested only from this instant on.
pub fn respond_by(now: DateTime<Utc>, method: ContactMethod) -> DateTime<Utc> {
    let sent_on = pacific_time(now).date();
    end_of_pacific_day(add_business_days(sent_on, method.business_days()))
}

/// Helper for callers that step by calendar days.
pub fn next_day(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_2026_holidays_match_calhrs_calendar() {
        assert_eq!(
            state_holidays(2026),
            [
                d(2026, 1, 1),
                d(2026, 1, 19),
                d(2026, 2, 12),
                d(2026, 2, 16),
                d(2026, 3, 31),
                d(2026, 5, 25),
                d(2026, 7, 4), // a Saturday: not moved
                d(2026, 9, 7),
                d(2026, 9, 25),
                d(2026, 11, 11),
                d(2026, 11, 26),
                d(2026, 11, 27),
                d(2026, 12, 25),
            ]
        );
        assert!(is_business_day(d(2026, 7, 3)), "the Friday before stays");
    }

    #[test]
    fn a_sunday_holiday_is_observed_on_monday() {
        // 1 January 2023 and Christmas 2022 were Sundays.
        assert!(is_state_holiday(d(2023, 1, 2)));
        assert!(!is_state_holiday(d(2023, 1, 1)));
        assert!(is_state_holiday(d(2022, 12, 26)));
        // Lincoln Day 2023 (12 February) was a Sunday too.
        assert!(is_state_holiday(d(2023, 2, 13)));
    }

    #[test]
    fn native_american_day_is_the_fourth_friday_of_september() {
        assert!(is_state_holiday(d(2025, 9, 26)));
        assert!(is_state_holiday(d(2024, 9, 27)));
        assert!(!is_state_holiday(d(2024, 9, 20)));
    }

    #[test]
    fn six_business_days_skip_a_weekend() {
        // Tuesday 3 March 2026 → Wed 4, Thu 5, Fri 6, Mon 9, Tue 10, Wed 11.
        assert_eq!(add_business_days(d(2026, 3, 3), 6), d(2026, 3, 11));
    }

    #[test]
    fn six_business_days_skip_thanksgiving_and_the_weekend() {
        // Monday 23 November 2026: Tue 24, Wed 25, (Thu 26, Fri 27 holidays, weekend),
        // Mon 30, Tue 1, Wed 2, Thu 3.
        assert_eq!(add_business_days(d(2026, 11, 23), 6), d(2026, 12, 3));
        // By telephone: Tue 24, Wed 25.
        assert_eq!(add_business_days(d(2026, 11, 23), 2), d(2026, 11, 25));
    }

    #[test]
    fn respond_by_is_the_end_of_the_last_business_day_in_pacific_time() {
        // Monday 23 November 2026 at 10:00 PST (18:00 UTC).
        let now = utc("2026-11-23T18:00:00Z");
        assert_eq!(
            respond_by(now, ContactMethod::Electronic),
            utc("2026-12-04T08:00:00Z")
        );
        assert_eq!(
            respond_by(now, ContactMethod::Telephone),
            utc("2026-11-26T08:00:00Z")
        );
        // Late Monday evening in California is already Tuesday in UTC: still counted from
        // Monday.
        let evening = utc("2026-11-24T07:30:00Z");
        assert_eq!(
            respond_by(evening, ContactMethod::Electronic),
            utc("2026-12-04T08:00:00Z")
        );
    }

    #[test]
    fn daylight_time_moves_the_end_of_the_day_by_an_hour() {
        // Friday 24 April 2026 (PDT): six business days → Monday 4 May, ending 07:00 UTC.
        let now = utc("2026-04-24T16:00:00Z");
        assert_eq!(
            respond_by(now, ContactMethod::Mail),
            utc("2026-05-05T07:00:00Z")
        );
        assert_eq!(pacific_offset_hours(utc("2026-03-08T09:59:59Z")), -8);
        assert_eq!(pacific_offset_hours(utc("2026-03-08T10:00:00Z")), -7);
        assert_eq!(pacific_offset_hours(utc("2026-11-01T08:59:59Z")), -7);
        assert_eq!(pacific_offset_hours(utc("2026-11-01T09:00:00Z")), -8);
    }

    #[test]
    fn cesar_chavez_day_is_skipped() {
        // Friday 27 March 2026: Mon 30, (Tue 31 holiday), Wed 1, Thu 2, Fri 3, Mon 6, Tue 7.
        assert_eq!(add_business_days(d(2026, 3, 27), 6), d(2026, 4, 7));
    }

    proptest! {
        #[test]
        fn respond_by_is_after_now_and_ends_a_business_day(
            seconds in 0i64..(60 * 366 * 86_400),
            telephone in any::<bool>(),
        ) {
            let now = utc("2000-01-01T00:00:00Z") + TimeDelta::seconds(seconds);
            let method = if telephone { ContactMethod::Telephone } else { ContactMethod::Electronic };
            let due = respond_by(now, method);
            prop_assert!(due > now);
            // The last instant before it is on a business day in California.
            let last_day = pacific_time(due - TimeDelta::microseconds(1)).date();
            prop_assert!(is_business_day(last_day));
            prop_assert!(!matches!(last_day.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(!is_state_holiday(last_day));
            // It ends at local midnight.
            prop_assert_eq!(pacific_time(due).time(), chrono::NaiveTime::MIN);
            // Exactly the window's business days lie between the sending day and it.
            let sent_on = pacific_time(now).date();
            let mut count = 0;
            let mut day = next_day(sent_on);
            while day <= last_day {
                if is_business_day(day) { count += 1; }
                day = next_day(day);
            }
            prop_assert_eq!(count, method.business_days());
        }

        #[test]
        fn add_business_days_never_lands_on_a_weekend_or_holiday(
            days in 0i64..(60 * 366),
            n in 1u32..30,
        ) {
            let day = d(2000, 1, 1) + TimeDelta::days(days);
            let due = add_business_days(day, n);
            prop_assert!(due > day);
            prop_assert!(is_business_day(due));
        }
    }
}
