//! News and announcements for staff, their audiences (offices, roles) and read state.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{dsl::count_star, prelude::*};
use merit_domain::ids::{AccountId, AnnouncementId};

use crate::{
    DbConnection, audience,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::{announcement_offices, announcement_reads, announcement_roles, announcements},
    time::{naive, utc},
};

fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "announcements",
        reason: format!("{what}: {value}"),
    }
}

/// An announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// Its id.
    pub id: AnnouncementId,
    /// The headline.
    pub title: String,
    /// The text.
    pub body: String,
    /// The offices it is for (empty: every office).
    pub offices: Vec<String>,
    /// The roles it is for (empty: every staff member and admin).
    pub roles: Vec<String>,
    /// When it is shown from.
    pub publish_at: DateTime<Utc>,
    /// When it stops being shown.
    pub expire_at: Option<DateTime<Utc>>,
    /// When an admin withdrew it.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Who published it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the ETag).
    pub version: i64,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = announcements)]
struct AnnouncementRow {
    id: String,
    title: String,
    body: String,
    all_offices: bool,
    all_roles: bool,
    publish_at: NaiveDateTime,
    expire_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Announcement> for AnnouncementRow {
    fn from(a: &Announcement) -> Self {
        AnnouncementRow {
            id: a.id.to_string(),
            title: a.title.clone(),
            body: a.body.clone(),
            all_offices: a.offices.is_empty(),
            all_roles: a.roles.is_empty(),
            publish_at: naive(a.publish_at),
            expire_at: a.expire_at.map(naive),
            withdrawn_at: a.withdrawn_at.map(naive),
            created_by: a.created_by.to_string(),
            created_at: naive(a.created_at),
            updated_at: naive(a.updated_at),
            version: a.version,
        }
    }
}

/// Reads the audiences of `rows` (two queries) and builds the announcements.
fn load(conn: &mut DbConnection, rows: Vec<AnnouncementRow>) -> RepoResult<Vec<Announcement>> {
    // Not looked up at all when every announcement is for everyone (a dashboard's common case).
    let by_office = audience::limited(&rows, |r| r.all_offices, |r| &r.id);
    let by_role = audience::limited(&rows, |r| r.all_roles, |r| &r.id);
    let offices: Vec<(String, String)> = if by_office.is_empty() {
        Vec::new()
    } else {
        announcement_offices::table
            .filter(announcement_offices::announcement_id.eq_any(by_office))
            .order(announcement_offices::office_code.asc())
            .select((
                announcement_offices::announcement_id,
                announcement_offices::office_code,
            ))
            .load(conn)?
    };
    let roles: Vec<(String, String)> = if by_role.is_empty() {
        Vec::new()
    } else {
        announcement_roles::table
            .filter(announcement_roles::announcement_id.eq_any(by_role))
            .order(announcement_roles::role.asc())
            .select((
                announcement_roles::announcement_id,
                announcement_roles::role,
            ))
            .load(conn)?
    };
    rows.into_iter()
        .map(|row| {
            Ok(Announcement {
                offices: audience::listed_for(&offices, &row.id),
                roles: audience::listed_for(&roles, &row.id),
                id: row
                    .id
                    .parse()
                    .map_err(|_| corrupt("announcement id", &row.id))?,
                title: row.title,
                body: row.body,
                publish_at: utc(row.publish_at),
                expire_at: row.expire_at.map(utc),
                withdrawn_at: row.withdrawn_at.map(utc),
                created_by: row
                    .created_by
                    .parse()
                    .map_err(|_| corrupt("announcement author", &row.created_by))?,
                created_at: utc(row.created_at),
                updated_at: utc(row.updated_at),
                version: row.version,
            })
        })
        .collect()
}

fn write_audience(conn: &mut DbConnection, a: &Announcement) -> RepoResult<()> {
    let id = a.id.to_string();
    diesel::delete(
        announcement_offices::table.filter(announcement_offices::announcement_id.eq(&id)),
    )
    .execute(conn)?;
    diesel::delete(announcement_roles::table.filter(announcement_roles::announcement_id.eq(&id)))
        .execute(conn)?;
    for office in &a.offices {
        diesel::insert_into(announcement_offices::table)
            .values((
                announcement_offices::announcement_id.eq(&id),
                announcement_offices::office_code.eq(office),
            ))
            .execute(conn)?;
    }
    for role in &a.roles {
        diesel::insert_into(announcement_roles::table)
            .values((
                announcement_roles::announcement_id.eq(&id),
                announcement_roles::role.eq(role),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores a new announcement with its audience.
pub fn insert(conn: &mut DbConnection, a: &Announcement) -> RepoResult<()> {
    diesel::insert_into(announcements::table)
        .values(AnnouncementRow::from(a))
        .execute(conn)?;
    write_audience(conn, a)
}

/// Saves an announcement (and its audience) if it is still at `read_version`; `false` when it
/// changed in between.
pub fn update(conn: &mut DbConnection, a: &Announcement, read_version: i64) -> RepoResult<bool> {
    let row = AnnouncementRow::from(a);
    let changed = diesel::update(
        announcements::table
            .find(&row.id)
            .filter(announcements::version.eq(read_version)),
    )
    .set((
        announcements::title.eq(&row.title),
        announcements::body.eq(&row.body),
        announcements::all_offices.eq(row.all_offices),
        announcements::all_roles.eq(row.all_roles),
        announcements::publish_at.eq(row.publish_at),
        announcements::expire_at.eq(row.expire_at),
        announcements::withdrawn_at.eq(row.withdrawn_at),
        announcements::updated_at.eq(row.updated_at),
        announcements::version.eq(row.version),
    ))
    .execute(conn)?;
    if changed == 1 {
        write_audience(conn, a)?;
    }
    Ok(changed == 1)
}

/// One announcement.
pub fn find(conn: &mut DbConnection, id: AnnouncementId) -> RepoResult<Option<Announcement>> {
    let row = announcements::table
        .find(id.to_string())
        .select(AnnouncementRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => load(conn, vec![row])?.pop(),
        None => None,
    })
}

/// Who is reading: their office and roles (those an announcement can name).
#[derive(Debug, Clone)]
pub struct Reader {
    /// The account.
    pub account_id: AccountId,
    /// Their office, if any.
    pub office: Option<String>,
    /// Their roles among those announcements name.
    pub roles: Vec<String>,
}

/// The keyset key of an announcement in a list, newest first: the publication instant in
/// microseconds since the epoch, then the id.
pub fn list_key(a: &Announcement) -> String {
    format!("{}_{}", a.publish_at.timestamp_micros(), a.id)
}

/// Whether `key` is a key [`list_key`] could have made.
pub fn is_list_key(key: &str) -> bool {
    parse_key(key).is_some_and(|(_, id)| id.parse::<AnnouncementId>().is_ok())
}

fn parse_key(key: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, id) = key.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    Some((naive(at), id.to_owned()))
}

type Boxed<'a> = announcements::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// The announcements shown to `reader` at `now`: published, not expired, not withdrawn, for
/// every office or theirs, and every role or one of theirs.
fn current_for<'a>(reader: &Reader, now: DateTime<Utc>) -> Boxed<'a> {
    let now = naive(now);
    let mut query = announcements::table
        .filter(announcements::publish_at.le(now))
        .filter(
            announcements::expire_at
                .is_null()
                .or(announcements::expire_at.gt(now)),
        )
        .filter(announcements::withdrawn_at.is_null())
        .into_boxed();
    let for_office = announcement_offices::table
        .filter(announcement_offices::office_code.eq(reader.office.clone().unwrap_or_default()))
        .select(announcement_offices::announcement_id);
    query = query.filter(
        announcements::all_offices
            .eq(true)
            .or(announcements::id.eq_any(for_office)),
    );
    let for_roles = announcement_roles::table
        .filter(announcement_roles::role.eq_any(reader.roles.clone()))
        .select(announcement_roles::announcement_id);
    query.filter(
        announcements::all_roles
            .eq(true)
            .or(announcements::id.eq_any(for_roles)),
    )
}

/// A page of the announcements shown to `reader` now, newest publication first, with whether
/// the reader has read each.
pub fn current(
    conn: &mut DbConnection,
    reader: &Reader,
    now: DateTime<Utc>,
    page: PageRequest<'_>,
) -> RepoResult<Page<(Announcement, bool)>> {
    let mut query = current_for(reader, now).select(AnnouncementRow::as_select());
    if let Some(after) = page.after {
        let (at, id) = parse_key(after).ok_or_else(|| corrupt("cursor", after))?;
        query = query.filter(
            announcements::publish_at
                .lt(at)
                .or(announcements::publish_at
                    .eq(at)
                    .and(announcements::id.lt(id))),
        );
    }
    let rows = query
        .order((announcements::publish_at.desc(), announcements::id.desc()))
        .limit(page.fetch())
        .load(conn)?;
    let page = Page::from_overfetch(load(conn, rows)?, page.limit);
    with_read_state(conn, reader.account_id, page)
}

/// Pairs each announcement of a page with whether `account` has read it (one query).
pub fn with_read_state(
    conn: &mut DbConnection,
    account: AccountId,
    page: Page<Announcement>,
) -> RepoResult<Page<(Announcement, bool)>> {
    let ids: Vec<String> = page.items.iter().map(|a| a.id.to_string()).collect();
    let read: Vec<String> = announcement_reads::table
        .filter(announcement_reads::account_id.eq(account.to_string()))
        .filter(announcement_reads::announcement_id.eq_any(ids))
        .select(announcement_reads::announcement_id)
        .load(conn)?;
    Ok(page.map(|a| {
        let seen = read.contains(&a.id.to_string());
        (a, seen)
    }))
}

/// How many announcements are shown to `reader` now that they have not read.
pub fn unread_count(
    conn: &mut DbConnection,
    reader: &Reader,
    now: DateTime<Utc>,
) -> RepoResult<i64> {
    let read = announcement_reads::table
        .filter(announcement_reads::account_id.eq(reader.account_id.to_string()))
        .select(announcement_reads::announcement_id);
    Ok(current_for(reader, now)
        .filter(diesel::dsl::not(announcements::id.eq_any(read)))
        .select(count_star())
        .first(conn)?)
}

/// Whether announcement `id` is shown to `reader` now.
pub fn is_current_for(
    conn: &mut DbConnection,
    reader: &Reader,
    id: AnnouncementId,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let found: i64 = current_for(reader, now)
        .filter(announcements::id.eq(id.to_string()))
        .select(count_star())
        .first(conn)?;
    Ok(found > 0)
}

/// Whether `account` has read `id`.
pub fn was_read(
    conn: &mut DbConnection,
    id: AnnouncementId,
    account: AccountId,
) -> RepoResult<bool> {
    let seen: i64 = announcement_reads::table
        .filter(announcement_reads::account_id.eq(account.to_string()))
        .filter(announcement_reads::announcement_id.eq(id.to_string()))
        .select(count_star())
        .first(conn)?;
    Ok(seen > 0)
}

/// Records that `account` read `id` (once; again changes nothing). `true` when newly read.
pub fn mark_read(
    conn: &mut DbConnection,
    id: AnnouncementId,
    account: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let id = id.to_string();
    let seen: i64 = announcement_reads::table
        .filter(announcement_reads::account_id.eq(account.to_string()))
        .filter(announcement_reads::announcement_id.eq(&id))
        .select(count_star())
        .first(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    diesel::insert_into(announcement_reads::table)
        .values((
            announcement_reads::announcement_id.eq(&id),
            announcement_reads::account_id.eq(account.to_string()),
            announcement_reads::read_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A page of every announcement (admins), newest publication first.
pub fn all(conn: &mut DbConnection, page: PageRequest<'_>) -> RepoResult<Page<Announcement>> {
    let mut query = announcements::table
        .select(AnnouncementRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        let (at, id) = parse_key(after).ok_or_else(|| corrupt("cursor", after))?;
        query = query.filter(
            announcements::publish_at
                .lt(at)
                .or(announcements::publish_at
                    .eq(at)
                    .and(announcements::id.lt(id))),
        );
    }
    let rows = query
        .order((announcements::publish_at.desc(), announcements::id.desc()))
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(conn, rows)?, page.limit))
}
