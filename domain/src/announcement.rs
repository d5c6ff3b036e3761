//! News and announcements admins publish to staff: the roles an audience can name, the
//! publication window, and whether one is shown to a reader at an instant.

use chrono::{DateTime, Utc};

/// The roles an announcement can be addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AudienceRole {
    /// Workforce staff.
    Staff,
    /// Administrators.
    Admin,
}

impl AudienceRole {
    /// Every audience role.
    pub const ALL: &'static [AudienceRole] = &[AudienceRole::Staff, AudienceRole::Admin];

    /// The role's name (as in accounts).
    pub fn as_str(self) -> &'static str {
        match self {
            AudienceRole::Staff => "staff",
            AudienceRole::Admin => "admin",
        }
    }
}

/// The expiry is not after the publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an announcement expires after it is published")]
pub struct WindowError;

/// Checks a publication window.
pub fn check_window(
    publish_at: DateTime<Utc>,
    expire_at: Option<DateTime<Utc>>,
) -> Result<(), WindowError> {
    match expire_at {
        Some(expire) if expire <= publish_at => Err(WindowError),
        _ => Ok(()),
    }
}

/// Whether an announcement is shown at `now`: published, not expired, not withdrawn.
pub fn is_live(
    publish_at: DateTime<Utc>,
    expire_at: Option<DateTime<Utc>>,
    withdrawn: bool,
    now: DateTime<Utc>,
) -> bool {
    !withdrawn && publish_at <= now && expire_at.is_none_or(|e| now < e)
}

/// Whether an audience of `offices` and `roles` (each empty for "all") reaches a reader of
/// `office` holding `reader_roles`.
pub fn reaches(
    offices: &[String],
    roles: &[AudienceRole],
    office: Option<&str>,
    reader_roles: &[AudienceRole],
) -> bool {
    let office_ok = offices.is_empty() || office.is_some_and(|o| offices.iter().any(|x| x == o));
    let role_ok = roles.is_empty() || roles.iter().any(|r| reader_roles.contains(r));
    office_ok && role_ok
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    #[test]
    fn the_window_is_open_from_publication_until_expiry() {
        assert_eq!(check_window(at(1), Some(at(1))), Err(WindowError));
        assert_eq!(check_window(at(1), None), Ok(()));
        assert!(!is_live(at(1), None, false, at(0)));
        assert!(is_live(at(1), Some(at(2)), false, at(1)));
        assert!(!is_live(at(1), Some(at(2)), false, at(2)));
        assert!(!is_live(at(1), None, true, at(1)));
    }

    #[test]
    fn an_audience_reaches_its_offices_and_roles() {
        use AudienceRole::*;
        let lao = vec!["LAO".to_owned()];
        assert!(reaches(&[], &[], None, &[Admin]));
        assert!(reaches(&lao, &[], Some("LAO"), &[Staff]));
        assert!(!reaches(&lao, &[], Some("SFO"), &[Staff]));
        assert!(!reaches(&lao, &[], None, &[Admin]));
        assert!(reaches(&[], &[Admin], None, &[Admin]));
        assert!(!reaches(&[], &[Admin], Some("LAO"), &[Staff]));
        assert!(!reaches(&lao, &[Staff], Some("LAO"), &[Admin]));
    }
}
