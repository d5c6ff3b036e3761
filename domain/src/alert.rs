//! Job alerts: search criteria watched for new postings, delivered in the inbox (and by email
//! when the channel says so) at once or as a daily or weekly digest.

use chrono::{DateTime, Datelike, Days, NaiveTime, TimeZone, Utc};

/// How an alert reaches its owner besides the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertChannel {
    /// The inbox, and the email address on file.
    Email,
    /// The inbox only.
    InApp,
}

impl AlertChannel {
    /// Every channel, in the order the API lists them.
    pub const ALL: [AlertChannel; 2] = [AlertChannel::Email, AlertChannel::InApp];

    /// The name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertChannel::Email => "email",
            AlertChannel::InApp => "in_app",
        }
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<Self> {
        AlertChannel::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// When an alert's matches are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertFrequency {
    /// One message per matching posting, as soon as it opens.
    Instant,
    /// One digest per person and UTC day.
    Daily,
    /// One digest per person and week (weeks start on Monday, 00:00 UTC).
    Weekly,
}

impl AlertFrequency {
    /// Every frequency, in the order the API lists them.
    pub const ALL: [AlertFrequency; 3] = [
        AlertFrequency::Instant,
        AlertFrequency::Daily,
        AlertFrequency::Weekly,
    ];

    /// The name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertFrequency::Instant => "instant",
            AlertFrequency::Daily => "daily",
            AlertFrequency::Weekly => "weekly",
        }
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<Self> {
        AlertFrequency::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The delivery period a match found at `at` belongs to: `[start, end)`. An instant
    /// alert's period is the instant itself (due at once); a daily one the UTC day; a weekly
    /// one the week from Monday 00:00 UTC. A digest is due at the period's end.
    pub fn period(self, at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight =
            |day: chrono::NaiveDate| Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN));
        let today = at.date_naive();
        match self {
            AlertFrequency::Instant => (at, at),
            AlertFrequency::Daily => {
                let start = midnight(today);
                (start, midnight(today + Days::new(1)))
            }
            AlertFrequency::Weekly => {
                let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
                (midnight(monday), midnight(monday + Days::new(7)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn names_round_trip() {
        for c in AlertChannel::ALL {
            assert_eq!(AlertChannel::parse(c.as_str()), Some(c));
        }
        for f in AlertFrequency::ALL {
            assert_eq!(AlertFrequency::parse(f.as_str()), Some(f));
        }
        assert_eq!(AlertFrequency::parse("hourly"), None);
        assert_eq!(AlertChannel::parse("sms"), None);
    }

    #[test]
    fn an_instant_match_is_due_at_once() {
        let now = at("2026-03-04T10:15:00Z");
        assert_eq!(AlertFrequency::Instant.period(now), (now, now));
    }

    #[test]
    fn a_daily_period_is_the_utc_day() {
        let (start, end) = AlertFrequency::Daily.period(at("2026-03-04T23:59:59Z"));
        assert_eq!(start, at("2026-03-04T00:00:00Z"));
        assert_eq!(end, at("2026-03-05T00:00:00Z"));
        let (start, _) = AlertFrequency::Daily.period(at("2026-03-05T00:00:00Z"));
        assert_eq!(start, at("2026-03-05T00:00:00Z"));
    }

    #[test]
    fn a_weekly_period_runs_monday_to_monday() {
        // 2026-03-08 is a Sunday.
        let (start, end) = AlertFrequency::Weekly.period(at("2026-03-08T18:00:00Z"));
        assert_eq!(start, at("2026-03-02T00:00:00Z"));
        assert_eq!(end, at("2026-03-09T00:00:00Z"));
        let (start, _) = AlertFrequency::Weekly.period(at("2026-03-09T00:00:00Z"));
        assert_eq!(start, at("2026-03-09T00:00:00Z"));
    }
}
