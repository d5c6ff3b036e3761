//! Links admins keep for staff: resources (guides, training videos, forms: "Need Help or More
//! Information") and labour-market links ("Labor Market Services"). Admins add, change and
//! remove them and list every one; staff read those for every office and those listing their
//! own (`merit_domain::resource::reaches`); anything else is 404 to them.

use chrono::{DateTime, Utc};
use merit_domain::{
    account::Role,
    ids::{EntityId, StaffLinkId},
    reference::OfficeCode,
    resource,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, reference,
    staff_links::{self, LABOR_MARKET, RESOURCES, StaffLink},
};
use serde_json::json;

use super::scope;
use crate::{
    auth::AuthUser,
    conditional::{IfMatch, version_tag},
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// Which list a link is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    /// Staff resources.
    Resources,
    /// Labour-market links.
    LaborMarket,
}

impl Shelf {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Shelf::Resources => RESOURCES,
            Shelf::LaborMarket => LABOR_MARKET,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Shelf::Resources => "staff resource",
            Shelf::LaborMarket => "labor-market link",
        }
    }
}

/// What an admin adds (or replaces on a change).
#[derive(Debug, Clone)]
pub struct LinkDraft {
    /// The title.
    pub title: String,
    /// The `https://` address.
    pub url: String,
    /// A resource's kind (resources only).
    pub kind: Option<resource::ResourceKind>,
    /// A labour-market link's region (labour-market links only).
    pub region: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<OfficeCode>,
}

/// The ETag of a link version.
pub fn etag(link: &StaffLink) -> String {
    version_tag(link.version)
}

fn admin_only(user: &AuthUser, shelf: Shelf) -> Result<(), ApiError> {
    scope(user)?;
    if user.has(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            format!("Only admins manage the {}s.", shelf.what()),
        ))
    }
}

fn office_codes(conn: &mut DbConnection, offices: &[OfficeCode]) -> Result<Vec<String>, ApiError> {
    let mut codes = Vec::new();
    for (i, office) in offices.iter().enumerate() {
        if reference::find_office(conn, office.as_str())?.is_none() {
            return Err(ApiError::invalid(
                &format!("offices[{i}]"),
                "unknown_office",
                format!("There is no office {office}."),
            ));
        }
        codes.push(office.as_str().to_owned());
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}

fn not_found(shelf: Shelf) -> ApiError {
    ApiError::not_found(shelf.what())
}

/// Adds a link (admins).
pub fn add(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    draft: LinkDraft,
    now: DateTime<Utc>,
) -> Result<StaffLink, ApiError> {
    admin_only(user, shelf)?;
    let link = StaffLink {
        id: StaffLinkId::from_uuid(uuid::Uuid::now_v7()),
        shelf: shelf.as_str().to_owned(),
        offices: office_codes(conn, &draft.offices)?,
        title: draft.title,
        url: draft.url,
        kind: draft.kind.map(|k| k.as_str().to_owned()),
        region: draft.region,
        description: draft.description,
        created_by: user.id(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    staff_links::insert(conn, &link)?;
    audit::record(
        conn,
        AuditKind::StaffLinkAdded,
        Some(user.id()),
        None,
        json!({"shelf": link.shelf, "link_id": link.id.to_string(), "offices": link.offices}),
        now,
    )?;
    Ok(link)
}

/// Replaces a link's fields (admins).
pub fn update(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    id: StaffLinkId,
    draft: LinkDraft,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<StaffLink, ApiError> {
    admin_only(user, shelf)?;
    let mut link = staff_links::find(conn, shelf.as_str(), id)?.ok_or_else(|| not_found(shelf))?;
    if_match.check(&etag(&link))?;
    let before = link.clone();
    link.offices = office_codes(conn, &draft.offices)?;
    link.title = draft.title;
    link.url = draft.url;
    link.kind = draft.kind.map(|k| k.as_str().to_owned());
    link.region = draft.region;
    link.description = draft.description;
    if link == before {
        return Ok(link);
    }
    let read_version = link.version;
    link.version += 1;
    link.updated_at = now;
    if !staff_links::update(conn, &link, read_version)? {
        return Err(ApiError::PreconditionFailed);
    }
    audit::record(
        conn,
        AuditKind::StaffLinkUpdated,
        Some(user.id()),
        None,
        json!({"shelf": link.shelf, "link_id": link.id.to_string(), "offices": link.offices}),
        now,
    )?;
    Ok(link)
}

/// Removes a link (admins).
pub fn remove(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    id: StaffLinkId,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    admin_only(user, shelf)?;
    let link = staff_links::find(conn, shelf.as_str(), id)?.ok_or_else(|| not_found(shelf))?;
    if_match.check(&etag(&link))?;
    staff_links::delete(conn, id)?;
    audit::record(
        conn,
        AuditKind::StaffLinkRemoved,
        Some(user.id()),
        None,
        json!({"shelf": link.shelf, "link_id": link.id.to_string()}),
        now,
    )?;
    Ok(())
}

fn reader_office(user: &AuthUser) -> Option<&str> {
    user.account.office.as_ref().map(|o| o.as_str())
}

/// One link: any for admins; for staff one for every office or theirs (404 otherwise).
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    id: StaffLinkId,
) -> Result<StaffLink, ApiError> {
    scope(user)?;
    let link = staff_links::find(conn, shelf.as_str(), id)?.ok_or_else(|| not_found(shelf))?;
    if !user.has(Role::Admin) && !resource::reaches(&link.offices, reader_office(user)) {
        return Err(not_found(shelf));
    }
    Ok(link)
}

/// A page of links, newest first: every one for admins, those for their office for staff.
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    page: PageRequest<'_>,
) -> Result<Page<StaffLink>, ApiError> {
    scope(user)?;
    let office = if user.has(Role::Admin) {
        None
    } else {
        Some(reader_office(user))
    };
    Ok(staff_links::list(conn, shelf.as_str(), office, page)?)
}

/// For the dashboard: how many links of `shelf` are for the caller's office (every office's
/// and those listing it), and the newest `latest`.
pub fn summary(
    conn: &mut DbConnection,
    user: &AuthUser,
    shelf: Shelf,
    latest: i64,
) -> Result<(i64, Vec<StaffLink>), ApiError> {
    scope(user)?;
    Ok(staff_links::summary(
        conn,
        shelf.as_str(),
        reader_office(user),
        latest,
    )?)
}
