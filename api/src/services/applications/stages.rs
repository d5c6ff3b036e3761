//! A department's own stages, kept by its employers (and admins).

use merit_domain::{
    account::Role,
    application::{Stage, StageSet},
    reference::DepartmentCode,
};
use merit_persistence::{DbConnection, applications};

use super::department::require_department_role;
use crate::{auth::AuthUser, error::ApiError};

/// The department's stages, for its employers and admins (404 for other departments).
pub fn stages(
    conn: &mut DbConnection,
    user: &AuthUser,
    department: &DepartmentCode,
) -> Result<Vec<Stage>, ApiError> {
    own_department(user, department)?;
    Ok(applications::stages::of(conn, department)?)
}

fn own_department(user: &AuthUser, department: &DepartmentCode) -> Result<(), ApiError> {
    require_department_role(user)?;
    if user.has(Role::Admin) || user.account.department.as_ref() == Some(department) {
        Ok(())
    } else {
        Err(ApiError::not_found("department"))
    }
}

/// Replaces the department's stages.
pub fn replace_stages(
    conn: &mut DbConnection,
    user: &AuthUser,
    department: &DepartmentCode,
    set: StageSet,
) -> Result<Vec<Stage>, ApiError> {
    own_department(user, department)?;
    if merit_persistence::reference::find_department(conn, department.as_str())?.is_none() {
        return Err(ApiError::not_found("department"));
    }
    applications::stages::replace(conn, department, set.stages())?;
    Ok(set.stages().to_vec())
}
