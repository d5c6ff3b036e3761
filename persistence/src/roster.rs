//! The employee roster imported by admins.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    account::{EmailAddress, EmployeeId, PersonName, RosterStatus},
    reference::DepartmentCode,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    schema::employee_roster,
    time::naive,
};

/// One employee on the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// The Employee ID.
    pub employee_id: EmployeeId,
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// The department employing them.
    pub department: DepartmentCode,
    /// Where set-password links go.
    pub business_email: EmailAddress,
    /// Active or separated.
    pub status: RosterStatus,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = employee_roster)]
pub(crate) struct RosterRow {
    employee_id: String,
    first_name: String,
    last_name: String,
    department_code: String,
    business_email: String,
    status: String,
}

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "employee_roster",
        reason: reason.to_string(),
    }
}

impl TryFrom<RosterRow> for RosterEntry {
    type Error = RepoError;
    fn try_from(row: RosterRow) -> RepoResult<Self> {
        Ok(RosterEntry {
            employee_id: EmployeeId::parse(&row.employee_id).map_err(bad)?,
            first_name: PersonName::parse(&row.first_name).map_err(bad)?,
            last_name: PersonName::parse(&row.last_name).map_err(bad)?,
            department: DepartmentCode::parse(&row.department_code).map_err(bad)?,
            business_email: EmailAddress::parse(&row.business_email).map_err(bad)?,
            status: RosterStatus::parse(&row.status).ok_or_else(|| bad(&row.status))?,
        })
    }
}

/// An employee by Employee ID.
pub fn find(conn: &mut DbConnection, employee_id: &str) -> RepoResult<Option<RosterEntry>> {
    employee_roster::table
        .find(employee_id)
        .select(RosterRow::as_select())
        .first(conn)
        .optional()?
        .map(RosterEntry::try_from)
        .transpose()
}

/// The whole roster.
pub fn all(conn: &mut DbConnection) -> RepoResult<Vec<RosterEntry>> {
    let rows: Vec<RosterRow> = employee_roster::table
        .select(RosterRow::as_select())
        .load(conn)?;
    rows.into_iter().map(RosterEntry::try_from).collect()
}

/// Employees whose business address is `email_key`.
pub fn find_by_business_email(
    conn: &mut DbConnection,
    email_key: &str,
) -> RepoResult<Vec<RosterEntry>> {
    let rows: Vec<RosterRow> = employee_roster::table
        .filter(employee_roster::business_email_key.eq(email_key))
        .select(RosterRow::as_select())
        .load(conn)?;
    rows.into_iter().map(RosterEntry::try_from).collect()
}

/// Inserts or replaces an employee.
pub fn save(
    conn: &mut DbConnection,
    entry: &RosterEntry,
    exists: bool,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let values = (
        employee_roster::first_name.eq(entry.first_name.as_str()),
        employee_roster::last_name.eq(entry.last_name.as_str()),
        employee_roster::department_code.eq(entry.department.as_str()),
        employee_roster::business_email.eq(entry.business_email.as_str()),
        employee_roster::business_email_key.eq(entry.business_email.key()),
        employee_roster::status.eq(entry.status.as_str()),
        employee_roster::updated_at.eq(naive(now)),
    );
    if exists {
        diesel::update(employee_roster::table.find(entry.employee_id.as_str()))
            .set(values)
            .execute(conn)?;
    } else {
        diesel::insert_into(employee_roster::table)
            .values((
                employee_roster::employee_id.eq(entry.employee_id.as_str()),
                values,
            ))
            .execute(conn)?;
    }
    Ok(())
}
