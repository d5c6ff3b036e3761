//! Links admins keep for staff: resources (guides, training videos, forms) and labour-market
//! links, each for every office or for listed offices. One table, told apart by shelf.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{dsl::count_star, prelude::*};
use merit_domain::ids::{AccountId, StaffLinkId};

use crate::{
    DbConnection, audience,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::{staff_link_offices, staff_links},
    time::{naive, utc},
};

/// The shelf of resources ("Need Help or More Information").
pub const RESOURCES: &str = "resource";
/// The shelf of labour-market links ("Labor Market Services").
pub const LABOR_MARKET: &str = "labor_market";

/// A link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLink {
    /// Its id.
    pub id: StaffLinkId,
    /// [`RESOURCES`] or [`LABOR_MARKET`].
    pub shelf: String,
    /// The title.
    pub title: String,
    /// The `https://` address.
    pub url: String,
    /// A resource's kind (`guide`, `training_video`, `form`, `other`).
    pub kind: Option<String>,
    /// A labour-market link's region.
    pub region: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// Who added it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the ETag).
    pub version: i64,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_links)]
struct LinkRow {
    id: String,
    shelf: String,
    title: String,
    url: String,
    kind: Option<String>,
    region: Option<String>,
    description: Option<String>,
    all_offices: bool,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&StaffLink> for LinkRow {
    fn from(l: &StaffLink) -> Self {
        LinkRow {
            id: l.id.to_string(),
            shelf: l.shelf.clone(),
            title: l.title.clone(),
            url: l.url.clone(),
            kind: l.kind.clone(),
            region: l.region.clone(),
            description: l.description.clone(),
            all_offices: l.offices.is_empty(),
            created_by: l.created_by.to_string(),
            created_at: naive(l.created_at),
            updated_at: naive(l.updated_at),
            version: l.version,
        }
    }
}

fn load(conn: &mut DbConnection, rows: Vec<LinkRow>) -> RepoResult<Vec<StaffLink>> {
    let ids = audience::limited(&rows, |r| r.all_offices, |r| &r.id);
    let offices: Vec<(String, String)> = if ids.is_empty() {
        Vec::new()
    } else {
        staff_link_offices::table
            .filter(staff_link_offices::link_id.eq_any(ids))
            .order(staff_link_offices::office_code.asc())
            .select((staff_link_offices::link_id, staff_link_offices::office_code))
            .load(conn)?
    };
    rows.into_iter()
        .map(|row| {
            Ok(StaffLink {
                offices: audience::listed_for(&offices, &row.id),
                id: parse_id("staff_links", &row.id)?,
                shelf: row.shelf,
                title: row.title,
                url: row.url,
                kind: row.kind,
                region: row.region,
                description: row.description,
                created_by: parse_id("staff_links", &row.created_by)?,
                created_at: utc(row.created_at),
                updated_at: utc(row.updated_at),
                version: row.version,
            })
        })
        .collect()
}

fn write_offices(conn: &mut DbConnection, link: &StaffLink) -> RepoResult<()> {
    let id = link.id.to_string();
    diesel::delete(staff_link_offices::table.filter(staff_link_offices::link_id.eq(&id)))
        .execute(conn)?;
    for office in &link.offices {
        diesel::insert_into(staff_link_offices::table)
            .values((
                staff_link_offices::link_id.eq(&id),
                staff_link_offices::office_code.eq(office),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores a new link with its offices.
pub fn insert(conn: &mut DbConnection, link: &StaffLink) -> RepoResult<()> {
    diesel::insert_into(staff_links::table)
        .values(LinkRow::from(link))
        .execute(conn)?;
    write_offices(conn, link)
}

/// Saves a link (and its offices) if it is still at `read_version`; `false` when it changed in
/// between.
pub fn update(conn: &mut DbConnection, link: &StaffLink, read_version: i64) -> RepoResult<bool> {
    let row = LinkRow::from(link);
    let changed = diesel::update(
        staff_links::table
            .find(&row.id)
            .filter(staff_links::version.eq(read_version)),
    )
    .set((
        staff_links::title.eq(&row.title),
        staff_links::url.eq(&row.url),
        staff_links::kind.eq(&row.kind),
        staff_links::region.eq(&row.region),
        staff_links::description.eq(&row.description),
        staff_links::all_offices.eq(row.all_offices),
        staff_links::updated_at.eq(row.updated_at),
        staff_links::version.eq(row.version),
    ))
    .execute(conn)?;
    if changed == 1 {
        write_offices(conn, link)?;
    }
    Ok(changed == 1)
}

/// Deletes a link and its offices; `false` when there was none.
pub fn delete(conn: &mut DbConnection, id: StaffLinkId) -> RepoResult<bool> {
    let id = id.to_string();
    diesel::delete(staff_link_offices::table.filter(staff_link_offices::link_id.eq(&id)))
        .execute(conn)?;
    Ok(diesel::delete(staff_links::table.find(id)).execute(conn)? == 1)
}

/// One link of `shelf`.
pub fn find(
    conn: &mut DbConnection,
    shelf: &str,
    id: StaffLinkId,
) -> RepoResult<Option<StaffLink>> {
    let row = staff_links::table
        .find(id.to_string())
        .filter(staff_links::shelf.eq(shelf))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => load(conn, vec![row])?.pop(),
        None => None,
    })
}

type Boxed<'a> = staff_links::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// The links of `shelf` for a reader of `office` (`None`: every link, for admins who see all).
fn for_office<'a>(shelf: &str, office: Option<Option<&str>>) -> Boxed<'a> {
    let query = staff_links::table
        .filter(staff_links::shelf.eq(shelf.to_owned()))
        .into_boxed();
    match office {
        None => query,
        Some(office) => {
            let listed = staff_link_offices::table
                .filter(staff_link_offices::office_code.eq(office.unwrap_or_default().to_owned()))
                .select(staff_link_offices::link_id);
            query.filter(
                staff_links::all_offices
                    .eq(true)
                    .or(staff_links::id.eq_any(listed)),
            )
        }
    }
}

/// Whether `key` is a key a list gave out (a link id).
pub fn is_list_key(key: &str) -> bool {
    merit_domain::ids::parse_uuid(key).is_ok()
}

/// A page of the links of `shelf`, newest first: those for a reader of `office` (every office's
/// links, and those listing theirs), or every link when `office` is `None`.
pub fn list(
    conn: &mut DbConnection,
    shelf: &str,
    office: Option<Option<&str>>,
    page: PageRequest<'_>,
) -> RepoResult<Page<StaffLink>> {
    let mut query = for_office(shelf, office).select(LinkRow::as_select());
    if let Some(after) = page.after {
        if !is_list_key(after) {
            return Err(RepoError::InvalidRow {
                table: "staff_links",
                reason: format!("cursor: {after}"),
            });
        }
        query = query.filter(staff_links::id.lt(after.to_owned()));
    }
    let rows = query
        .order(staff_links::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(conn, rows)?, page.limit))
}

/// How many links of `shelf` a reader of `office` sees, and the newest `latest` of them.
pub fn summary(
    conn: &mut DbConnection,
    shelf: &str,
    office: Option<&str>,
    latest: i64,
) -> RepoResult<(i64, Vec<StaffLink>)> {
    let count: i64 = for_office(shelf, Some(office))
        .select(count_star())
        .first(conn)?;
    let rows = for_office(shelf, Some(office))
        .select(LinkRow::as_select())
        .order(staff_links::id.desc())
        .limit(latest)
        .load(conn)?;
    Ok((count, load(conn, rows)?))
}
