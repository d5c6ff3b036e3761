//! Departments' own stages, in their order.

use diesel::prelude::*;
use merit_domain::{
    application::{ApplicationStatus, Stage},
    reference::DepartmentCode,
};

use super::bad;
use crate::{DbConnection, error::RepoResult, schema::department_stages as s};

/// A department's stages, in order (empty when it configured none).
pub fn of(conn: &mut DbConnection, department: &DepartmentCode) -> RepoResult<Vec<Stage>> {
    let rows: Vec<(String, String, bool)> = s::table
        .filter(s::department_code.eq(department.as_str()))
        .order(s::position.asc())
        .select((s::name, s::status, s::notify))
        .load(conn)?;
    rows.into_iter()
        .map(|(name, status, notify)| {
            Ok(Stage {
                name,
                status: ApplicationStatus::parse(&status)
                    .ok_or_else(|| bad("department_stages", "a status"))?,
                notify,
            })
        })
        .collect()
}

/// Replaces a department's stages.
pub fn replace(
    conn: &mut DbConnection,
    department: &DepartmentCode,
    stages: &[Stage],
) -> RepoResult<()> {
    diesel::delete(s::table.filter(s::department_code.eq(department.as_str()))).execute(conn)?;
    for (position, stage) in stages.iter().enumerate() {
        diesel::insert_into(s::table)
            .values((
                s::department_code.eq(department.as_str()),
                s::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                s::name.eq(&stage.name),
                s::name_key.eq(stage.name.to_lowercase()),
                s::status.eq(stage.status.as_str()),
                s::notify.eq(stage.notify),
            ))
            .execute(conn)?;
    }
    Ok(())
}
