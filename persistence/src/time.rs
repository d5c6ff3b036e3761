//! UTC instants in and out of `TIMESTAMP` columns (which hold UTC, without a zone).

use chrono::{DateTime, NaiveDateTime, Utc};

/// A stored timestamp as a UTC instant.
pub fn utc(stored: NaiveDateTime) -> DateTime<Utc> {
    stored.and_utc()
}

/// A UTC instant as stored.
pub fn naive(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.naive_utc()
}
