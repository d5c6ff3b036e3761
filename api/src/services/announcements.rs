//! News and announcements: admins publish to every staff member and admin, or to chosen
//! offices and/or roles, for a window (`publish_at` to `expire_at`), and may change or withdraw
//! them; staff and admins read the ones addressed to them now, each with their own read state.
//!
//! Readers are whoever may use the staff workspace (`staff::scope`: staff of an office, admins);
//! an announcement that is not addressed to the reader, not yet published, expired or withdrawn
//! is 404 to them. Admins manage every announcement.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use merit_domain::{
    account::Role,
    announcement::{self as rules, AudienceRole},
    ids::{AnnouncementId, EntityId},
    reference::OfficeCode,
};
use merit_persistence::{
    DbConnection, Page, PageRequest,
    announcements::{self, Announcement, Reader},
    reference,
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code},
    services::{
        audit::{self, AuditKind},
        staff,
    },
};

/// What an admin publishes (or replaces on a change).
#[derive(Debug, Clone)]
pub struct AnnouncementDraft {
    /// The headline.
    pub title: String,
    /// The text.
    pub body: String,
    /// The offices (empty: every office).
    pub offices: Vec<OfficeCode>,
    /// The roles (empty: staff and admins).
    pub roles: Vec<AudienceRole>,
    /// Shown from (now when absent).
    pub publish_at: Option<DateTime<Utc>>,
    /// Shown until (for good when absent).
    pub expire_at: Option<DateTime<Utc>>,
}

/// Where an announcement stands at an instant, for admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnouncementState {
    /// Its publication is ahead.
    Scheduled,
    /// Shown now.
    Live,
    /// Past its expiry.
    Expired,
    /// Withdrawn by an admin.
    Withdrawn,
}

/// The state of `a` at `now`.
pub fn state(a: &Announcement, now: DateTime<Utc>) -> AnnouncementState {
    if a.withdrawn_at.is_some() {
        AnnouncementState::Withdrawn
    } else if rules::is_live(a.publish_at, a.expire_at, false, now) {
        AnnouncementState::Live
    } else if now < a.publish_at {
        AnnouncementState::Scheduled
    } else {
        AnnouncementState::Expired
    }
}

/// The latest announcements of a reader and how many they have not read.
#[derive(Debug, Clone)]
pub struct AnnouncementSummary {
    /// Shown now and not read.
    pub unread: i64,
    /// The latest few, with whether each was read.
    pub latest: Vec<(Announcement, bool)>,
}

fn not_found() -> ApiError {
    ApiError::not_found("announcement")
}

fn admin_only(user: &AuthUser) -> Result<(), ApiError> {
    if user.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            "Only admins publish and manage announcements.",
        ))
    }
}

/// The reader a caller is (403 for callers who are neither staff of an office nor admins).
pub fn reader(user: &AuthUser) -> Result<Reader, ApiError> {
    staff::scope(user)?;
    Ok(Reader {
        account_id: user.id(),
        office: user.account.office.as_ref().map(|o| o.as_str().to_owned()),
        roles: AudienceRole::ALL
            .iter()
            .filter(|r| match r {
                AudienceRole::Staff => user.has(Role::Staff),
                AudienceRole::Admin => user.has(Role::Admin),
            })
            .map(|r| r.as_str().to_owned())
            .collect(),
    })
}

/// The ETag of an announcement version.
pub fn etag(a: &Announcement) -> String {
    version_tag(a.version)
}

fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// Checks a draft against the data (known offices) and the window rule; returns the audience
/// as stored and the window.
#[allow(clippy::type_complexity)]
fn checked(
    conn: &mut DbConnection,
    draft: &AnnouncementDraft,
    now: DateTime<Utc>,
    keep_publish_at: Option<DateTime<Utc>>,
) -> Result<
    (
        Vec<String>,
        Vec<String>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    ),
    ApiError,
> {
    let mut offices: Vec<String> = Vec::new();
    for (i, office) in draft.offices.iter().enumerate() {
        if reference::find_office(conn, office.as_str())?.is_none() {
            return Err(ApiError::invalid(
                &format!("offices[{i}]"),
                "unknown_office",
                format!("There is no office {office}."),
            ));
        }
        offices.push(office.as_str().to_owned());
    }
    offices.sort();
    offices.dedup();
    let mut roles: Vec<String> = draft.roles.iter().map(|r| r.as_str().to_owned()).collect();
    roles.sort();
    roles.dedup();
    let publish_at = micros(draft.publish_at.or(keep_publish_at).unwrap_or(now));
    let expire_at = draft.expire_at.map(micros);
    rules::check_window(publish_at, expire_at).map_err(|_| {
        ApiError::invalid(
            "expire_at",
            "expires_before_publication",
            "An announcement expires after it is published.",
        )
    })?;
    Ok((offices, roles, publish_at, expire_at))
}

/// Publishes an announcement (admins).
pub fn publish(
    conn: &mut DbConnection,
    user: &AuthUser,
    draft: AnnouncementDraft,
    now: DateTime<Utc>,
) -> Result<Announcement, ApiError> {
    admin_only(user)?;
    let (offices, roles, publish_at, expire_at) = checked(conn, &draft, now, None)?;
    let announcement = Announcement {
        id: AnnouncementId::from_uuid(uuid::Uuid::now_v7()),
        title: draft.title,
        body: draft.body,
        offices,
        roles,
        publish_at,
        expire_at,
        withdrawn_at: None,
        created_by: user.id(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    announcements::insert(conn, &announcement)?;
    audit::record(
        conn,
        AuditKind::AnnouncementPublished,
        Some(user.id()),
        None,
        json!({
            "announcement_id": announcement.id.to_string(),
            "offices": announcement.offices,
            "roles": announcement.roles,
        }),
        now,
    )?;
    Ok(announcement)
}

fn managed(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AnnouncementId,
) -> Result<Announcement, ApiError> {
    admin_only(user)?;
    announcements::find(conn, id)?.ok_or_else(not_found)
}

fn save(conn: &mut DbConnection, a: &mut Announcement, now: DateTime<Utc>) -> Result<(), ApiError> {
    let read_version = a.version;
    a.version += 1;
    a.updated_at = now;
    if announcements::update(conn, a, read_version)? {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// Replaces an announcement's text, audience and window (admins); a withdrawn one is 409
/// `announcement_withdrawn`.
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AnnouncementId,
    draft: AnnouncementDraft,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<(Announcement, bool), ApiError> {
    let mut a = managed(conn, user, id)?;
    if_match.check(&etag(&a))?;
    if a.withdrawn_at.is_some() {
        return Err(ApiError::new(
            Code::AnnouncementWithdrawn,
            "The announcement was withdrawn; publish a new one.",
        ));
    }
    let (offices, roles, publish_at, expire_at) = checked(conn, &draft, now, Some(a.publish_at))?;
    let before = a.clone();
    a.title = draft.title;
    a.body = draft.body;
    a.offices = offices;
    a.roles = roles;
    a.publish_at = publish_at;
    a.expire_at = expire_at;
    let read = announcements::was_read(conn, id, user.id())?;
    if a == before {
        return Ok((a, read));
    }
    save(conn, &mut a, now)?;
    audit::record(
        conn,
        AuditKind::AnnouncementUpdated,
        Some(user.id()),
        None,
        json!({"announcement_id": a.id.to_string(), "offices": a.offices, "roles": a.roles}),
        now,
    )?;
    Ok((a, read))
}

/// Withdraws an announcement (admins): nobody is shown it any more. Again changes nothing.
pub fn withdraw(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AnnouncementId,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<(Announcement, bool), ApiError> {
    let mut a = managed(conn, user, id)?;
    if_match.check(&etag(&a))?;
    let read = announcements::was_read(conn, id, user.id())?;
    if a.withdrawn_at.is_some() {
        return Ok((a, read));
    }
    a.withdrawn_at = Some(now);
    save(conn, &mut a, now)?;
    audit::record(
        conn,
        AuditKind::AnnouncementWithdrawn,
        Some(user.id()),
        None,
        json!({"announcement_id": a.id.to_string()}),
        now,
    )?;
    Ok((a, read))
}

/// A page of every announcement, newest publication first (admins).
pub fn list_all(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
) -> Result<Page<(Announcement, bool)>, ApiError> {
    admin_only(user)?;
    let found = announcements::all(conn, page)?;
    Ok(announcements::with_read_state(conn, user.id(), found)?)
}

/// A page of the announcements shown to the caller now, newest first, with their read state.
pub fn list_current(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<(Announcement, bool)>, ApiError> {
    let reader = reader(user)?;
    Ok(announcements::current(conn, &reader, now, page)?)
}

/// One announcement: any for admins; for others one shown to them now. With whether the
/// caller read it.
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> Result<(Announcement, bool), ApiError> {
    let reader = reader(user)?;
    let a = announcements::find(conn, id)?.ok_or_else(not_found)?;
    if !user.has(Role::Admin) && !announcements::is_current_for(conn, &reader, id, now)? {
        return Err(not_found());
    }
    let read = announcements::was_read(conn, id, user.id())?;
    Ok((a, read))
}

/// Marks an announcement shown to the caller now as read by them (again changes nothing).
pub fn mark_read(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let reader = reader(user)?;
    if !announcements::is_current_for(conn, &reader, id, now)? {
        return Err(not_found());
    }
    announcements::mark_read(conn, id, user.id(), now)?;
    Ok(())
}

/// The caller's unread count and latest `latest` announcements.
pub fn summary(
    conn: &mut DbConnection,
    user: &AuthUser,
    latest: u32,
    now: DateTime<Utc>,
) -> Result<AnnouncementSummary, ApiError> {
    let reader = reader(user)?;
    let unread = announcements::unread_count(conn, &reader, now)?;
    let latest = match merit_domain::paging::PageLimit::parse(u64::from(latest)) {
        Ok(limit) => {
            announcements::current(conn, &reader, now, PageRequest { after: None, limit })?.items
        }
        Err(_) => Vec::new(),
    };
    Ok(AnnouncementSummary { unread, latest })
}
