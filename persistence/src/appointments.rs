//! Appointments on staff members' calendars.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    dsl::{case_when, count},
    prelude::*,
};
use merit_domain::{
    appointment::AppointmentStatus,
    ids::{AccountId, AppointmentId, CaseId},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::appointments,
    time::{naive, utc},
};

fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "appointments",
        reason: format!("{what}: {value}"),
    }
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    /// Its id.
    pub id: AppointmentId,
    /// The office of its staff member when it was made.
    pub office_code: String,
    /// Whose calendar it is on.
    pub staff_id: AccountId,
    /// The case it is about, if any.
    pub case_id: Option<CaseId>,
    /// What it is.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Where it takes place.
    pub location: Option<String>,
    /// Its video meeting link.
    pub video_url: Option<String>,
    /// Where it stands.
    pub status: AppointmentStatus,
    /// Who made it.
    pub created_by: AccountId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the ETag).
    pub version: i64,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = appointments)]
struct AppointmentRow {
    id: String,
    office_code: String,
    staff_id: String,
    case_id: Option<String>,
    title: String,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    location: Option<String>,
    video_url: Option<String>,
    status: String,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&Appointment> for AppointmentRow {
    fn from(a: &Appointment) -> Self {
        AppointmentRow {
            id: a.id.to_string(),
            office_code: a.office_code.clone(),
            staff_id: a.staff_id.to_string(),
            case_id: a.case_id.map(|c| c.to_string()),
            title: a.title.clone(),
            starts_at: naive(a.starts_at),
            ends_at: naive(a.ends_at),
            location: a.location.clone(),
            video_url: a.video_url.clone(),
            status: a.status.as_str().to_owned(),
            created_by: a.created_by.to_string(),
            created_at: naive(a.created_at),
            updated_at: naive(a.updated_at),
            version: a.version,
        }
    }
}

impl TryFrom<AppointmentRow> for Appointment {
    type Error = RepoError;

    fn try_from(row: AppointmentRow) -> RepoResult<Appointment> {
        Ok(Appointment {
            id: row
                .id
                .parse()
                .map_err(|_| corrupt("appointment id", &row.id))?,
            office_code: row.office_code,
            staff_id: parse_id("appointments", &row.staff_id)?,
            case_id: row
                .case_id
                .map(|c| c.parse().map_err(|_| corrupt("case id", &c)))
                .transpose()?,
            title: row.title,
            starts_at: utc(row.starts_at),
            ends_at: utc(row.ends_at),
            location: row.location,
            video_url: row.video_url,
            status: AppointmentStatus::parse(&row.status)
                .ok_or_else(|| corrupt("status", &row.status))?,
            created_by: parse_id("appointments", &row.created_by)?,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            version: row.version,
        })
    }
}

fn load(rows: Vec<AppointmentRow>) -> RepoResult<Vec<Appointment>> {
    rows.into_iter().map(Appointment::try_from).collect()
}

/// Stores a new appointment.
pub fn insert(conn: &mut DbConnection, appointment: &Appointment) -> RepoResult<()> {
    diesel::insert_into(appointments::table)
        .values(AppointmentRow::from(appointment))
        .execute(conn)?;
    Ok(())
}

/// Saves every changeable field of an appointment if it is still at `read_version`; `false`
/// when it changed in between.
pub fn update(
    conn: &mut DbConnection,
    appointment: &Appointment,
    read_version: i64,
) -> RepoResult<bool> {
    let row = AppointmentRow::from(appointment);
    let changed = diesel::update(
        appointments::table
            .find(&row.id)
            .filter(appointments::version.eq(read_version)),
    )
    .set((
        appointments::staff_id.eq(&row.staff_id),
        appointments::case_id.eq(&row.case_id),
        appointments::title.eq(&row.title),
        appointments::starts_at.eq(row.starts_at),
        appointments::ends_at.eq(row.ends_at),
        appointments::location.eq(&row.location),
        appointments::video_url.eq(&row.video_url),
        appointments::status.eq(&row.status),
        appointments::updated_at.eq(row.updated_at),
        appointments::version.eq(row.version),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One appointment.
pub fn find(conn: &mut DbConnection, id: AppointmentId) -> RepoResult<Option<Appointment>> {
    appointments::table
        .find(id.to_string())
        .select(AppointmentRow::as_select())
        .first(conn)
        .optional()?
        .map(Appointment::try_from)
        .transpose()
}

/// The first (earliest) appointment of `staff` that holds time within `[starts_at, ends_at)`,
/// other than `except`.
pub fn first_conflict(
    conn: &mut DbConnection,
    staff: AccountId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<AppointmentId>,
) -> RepoResult<Option<Appointment>> {
    let mut query = appointments::table
        .filter(appointments::staff_id.eq(staff.to_string()))
        .filter(appointments::status.ne(AppointmentStatus::Cancelled.as_str()))
        .filter(appointments::starts_at.lt(naive(ends_at)))
        .filter(appointments::ends_at.gt(naive(starts_at)))
        .select(AppointmentRow::as_select())
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(appointments::id.ne(except.to_string()));
    }
    query
        .order((appointments::starts_at.asc(), appointments::id.asc()))
        .first(conn)
        .optional()?
        .map(Appointment::try_from)
        .transpose()
}

/// Filters of an appointment list. `office: None` means every office.
#[derive(Debug, Clone, Default)]
pub struct AppointmentFilter {
    /// Only this office's appointments.
    pub office: Option<String>,
    /// Only this staff member's.
    pub staff_id: Option<AccountId>,
    /// Only those about this case.
    pub case_id: Option<CaseId>,
    /// Only those still going on at or after this instant (`ends_at > from`).
    pub from: Option<DateTime<Utc>>,
    /// Only those starting before this instant (`starts_at < to`).
    pub to: Option<DateTime<Utc>>,
    /// Only those with this status.
    pub status: Option<AppointmentStatus>,
}

/// The keyset key of an appointment in a list by start: the start in microseconds since the
/// epoch, then the id.
pub fn list_key(appointment: &Appointment) -> String {
    format!(
        "{}_{}",
        appointment.starts_at.timestamp_micros(),
        appointment.id
    )
}

/// Whether `key` is a key [`list_key`] could have made (a cursor's key is checked before use).
pub fn is_list_key(key: &str) -> bool {
    parse_key(key).is_some_and(|(_, id)| id.parse::<AppointmentId>().is_ok())
}

fn parse_key(key: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, id) = key.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    Some((naive(at), id.to_owned()))
}

/// A page of appointments, earliest start first (ties by id).
pub fn list(
    conn: &mut DbConnection,
    filter: &AppointmentFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Appointment>> {
    let mut query = appointments::table
        .select(AppointmentRow::as_select())
        .into_boxed();
    if let Some(office) = &filter.office {
        query = query.filter(appointments::office_code.eq(office.clone()));
    }
    if let Some(staff) = &filter.staff_id {
        query = query.filter(appointments::staff_id.eq(staff.to_string()));
    }
    if let Some(case) = filter.case_id {
        query = query.filter(appointments::case_id.eq(case.to_string()));
    }
    if let Some(from) = filter.from {
        query = query.filter(appointments::ends_at.gt(naive(from)));
    }
    if let Some(to) = filter.to {
        query = query.filter(appointments::starts_at.lt(naive(to)));
    }
    if let Some(status) = filter.status {
        query = query.filter(appointments::status.eq(status.as_str()));
    }
    if let Some(after) = page.after {
        let (at, id) = parse_key(after).ok_or_else(|| corrupt("cursor", after))?;
        query = query.filter(
            appointments::starts_at
                .gt(at)
                .or(appointments::starts_at.eq(at).and(appointments::id.gt(id))),
        );
    }
    let rows = query
        .order((appointments::starts_at.asc(), appointments::id.asc()))
        .limit(page.fetch())
        .load(conn)?;
    Ok(Page::from_overfetch(load(rows)?, page.limit))
}

/// How many scheduled appointments of `staff` start at or after `now`, and how many of those
/// still ahead (not yet ended) were made at or after `new_since`.
pub fn counts(
    conn: &mut DbConnection,
    staff: AccountId,
    now: DateTime<Utc>,
    new_since: DateTime<Utc>,
) -> RepoResult<(i64, i64)> {
    // One statement over the scheduled appointments not over yet (an upcoming one starts at or
    // after `now`, so it ends after it), each count a `CASE` that is NULL for the others; the
    // index `appointments_staff_open_idx` holds every column read.
    let (upcoming, new) = appointments::table
        .filter(appointments::staff_id.eq(staff.to_string()))
        .filter(appointments::status.eq(AppointmentStatus::Scheduled.as_str()))
        .filter(appointments::ends_at.gt(naive(now)))
        .select((
            count(case_when(
                appointments::starts_at.ge(naive(now)),
                appointments::starts_at,
            )),
            count(case_when(
                appointments::created_at.ge(naive(new_since)),
                appointments::starts_at,
            )),
        ))
        .first(conn)?;
    Ok((upcoming, new))
}

/// The next `n` scheduled appointments of `staff` starting at or after `now`.
pub fn next(
    conn: &mut DbConnection,
    staff: AccountId,
    now: DateTime<Utc>,
    n: i64,
) -> RepoResult<Vec<Appointment>> {
    load(
        appointments::table
            .filter(appointments::staff_id.eq(staff.to_string()))
            .filter(appointments::status.eq(AppointmentStatus::Scheduled.as_str()))
            .filter(appointments::starts_at.ge(naive(now)))
            .order((appointments::starts_at.asc(), appointments::id.asc()))
            .limit(n)
            .select(AppointmentRow::as_select())
            .load(conn)?,
    )
}
