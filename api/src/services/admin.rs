//! What admins do to accounts: create staff and employer accounts with temporary passwords,
//! find accounts, change roles, disable, reset and unlock.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::{
        Account, EmailAddress, LoginFailures, PersonName, Role, RoleSet, UsernameError,
        prefixed_username, temporary_password,
    },
    ids::{AccountId, EntityId},
    reference::{DepartmentCode, OfficeCode},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, RepoError, accounts, api_clients, audit as audit_log,
    reference, sessions,
};
use serde_json::json;

use crate::{
    auth::{AuthUser, tokens},
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
    state::AppState,
};

/// How long a temporary password works.
pub const TEMPORARY_PASSWORD_TTL: TimeDelta = TimeDelta::hours(72);

/// Where a new staff or employer account belongs.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A staff member of a workforce office.
    Office(OfficeCode),
    /// Hiring staff of a department.
    Department(DepartmentCode),
}

/// A checked request for a staff or employer account.
#[derive(Debug, Clone)]
pub struct NewPrefixedAccount {
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// Contact address, optional.
    pub email: Option<EmailAddress>,
    /// The office or department.
    pub binding: Binding,
}

/// A temporary password, shown once.
#[derive(Debug, Clone)]
pub struct TemporaryPassword {
    /// The password.
    pub password: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

fn new_temporary_password(now: DateTime<Utc>) -> TemporaryPassword {
    TemporaryPassword {
        password: temporary_password(&tokens::random_bytes(32)),
        expires_at: now + TEMPORARY_PASSWORD_TTL,
    }
}

fn unknown(field: &str, what: &str, code: &str) -> ApiError {
    ApiError::invalid(
        field,
        &format!("unknown_{what}"),
        format!("No {what} has the code {code}."),
    )
}

/// Creates a staff or employer account named by the office (or department) convention, with a
/// temporary password that must be changed at the first sign-in.
pub async fn create_prefixed(
    state: &AppState,
    admin: &AuthUser,
    new: NewPrefixedAccount,
) -> Result<(Account, TemporaryPassword), ApiError> {
    let now = state.clock.now();
    let temporary = new_temporary_password(now);
    let hash = state.hasher.hash(temporary.password.clone()).await?;
    let admin_id = admin.id();
    let expires_at = temporary.expires_at;
    let account = state
        .db
        .write(move |conn| {
            let (prefix, role, department, office) = match &new.binding {
                Binding::Office(code) => {
                    reference::find_office(conn, code.as_str())?
                        .ok_or_else(|| unknown("office_code", "office", code.as_str()))?;
                    (code.as_str().to_owned(), Role::Staff, None, Some(code))
                }
                Binding::Department(code) => {
                    reference::find_department(conn, code.as_str())?
                        .ok_or_else(|| unknown("department_code", "department", code.as_str()))?;
                    (code.as_str().to_owned(), Role::Employer, Some(code), None)
                }
            };
            let mut lookup_error = None;
            let username =
                prefixed_username(&prefix, &new.first_name, &new.last_name, |candidate| {
                    accounts::username_taken(conn, candidate).unwrap_or_else(|e| {
                        lookup_error = Some(e);
                        true
                    })
                });
            if let Some(error) = lookup_error {
                return Err(error.into());
            }
            let username = username.map_err(|e| {
                let field = match e {
                    UsernameError::NoLetters(which) => format!("{which}_name"),
                    _ => "last_name".to_owned(),
                };
                ApiError::invalid(&field, "no_username", e.to_string())
            })?;
            let id = AccountId::from_uuid(uuid::Uuid::now_v7());
            let row = accounts::NewAccount {
                id,
                username: Some(&username),
                email: new.email.as_ref(),
                employee_id: None,
                first_name: &new.first_name,
                last_name: &new.last_name,
                password_hash: Some(&hash),
                temporary_password_expires_at: Some(expires_at),
                department,
                office,
                roles: &[role],
            };
            accounts::insert(conn, &row, now).map_err(|e| match e {
                RepoError::Conflict { constraint } if constraint == "accounts_email_key" => {
                    ApiError::new(Code::EmailTaken, "Another account has this email address.")
                }
                other => other.into(),
            })?;
            audit::record(
                conn,
                AuditKind::AccountCreated,
                Some(admin_id),
                Some(id),
                json!({"roles": [role.as_str()]}),
                now,
            )?;
            audit::record(
                conn,
                AuditKind::TemporaryPasswordIssued,
                Some(admin_id),
                Some(id),
                json!({}),
                now,
            )?;
            accounts::find(conn, id)?.ok_or_else(|| ApiError::not_found("account"))
        })
        .await?;
    Ok((account, temporary))
}

fn not_yourself(admin: &AuthUser, id: AccountId, what: &str) -> Result<(), ApiError> {
    if admin.id() == id {
        return Err(ApiError::new(
            Code::CannotChangeOwnAccess,
            format!("Admins cannot {what} their own account; another admin must."),
        ));
    }
    Ok(())
}

/// Gives an account a new temporary password and ends its sessions.
pub async fn reset_password(
    state: &AppState,
    admin: &AuthUser,
    id: AccountId,
) -> Result<TemporaryPassword, ApiError> {
    not_yourself(admin, id, "reset the password of")?;
    let now = state.clock.now();
    let temporary = new_temporary_password(now);
    let hash = state.hasher.hash(temporary.password.clone()).await?;
    let (admin_id, expires_at) = (admin.id(), temporary.expires_at);
    state
        .db
        .write(move |conn| {
            get_account(conn, id)?;
            accounts::set_password(conn, id, &hash, Some(expires_at), now)?;
            sessions::revoke_all(conn, id, None, "password_reset_by_admin", now)?;
            audit::record(
                conn,
                AuditKind::TemporaryPasswordIssued,
                Some(admin_id),
                Some(id),
                json!({}),
                now,
            )?;
            Ok(())
        })
        .await?;
    Ok(temporary)
}

/// A page of the accounts matching `filter`.
pub fn search_accounts(
    conn: &mut DbConnection,
    filter: &accounts::AccountFilter,
    page: PageRequest<'_>,
) -> Result<Page<Account>, ApiError> {
    Ok(accounts::search(conn, filter, page)?)
}

/// A page of the audit events matching `filter`.
pub fn audit_events(
    conn: &mut DbConnection,
    filter: &audit_log::AuditFilter,
    page: PageRequest<'_>,
) -> Result<Page<audit_log::AuditEvent>, ApiError> {
    Ok(audit_log::list(conn, filter, page)?)
}

/// One account, or 404. A machine client's service account is 404 too: it is managed through
/// its client (`/admin/api-clients`), which decides its roles and department, and revoking the
/// client is how it is disabled.
pub fn get_account(conn: &mut DbConnection, id: AccountId) -> Result<Account, ApiError> {
    let account = accounts::find(conn, id)?.ok_or_else(|| ApiError::not_found("account"))?;
    if api_clients::is_service_account(conn, id)? {
        return Err(ApiError::not_found("account"));
    }
    Ok(account)
}

/// Lifts a lock and clears failed sign-ins.
pub fn unlock(
    conn: &mut DbConnection,
    admin: &AuthUser,
    id: AccountId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    get_account(conn, id)?;
    accounts::set_failures(conn, id, &LoginFailures::default())?;
    audit::record(
        conn,
        AuditKind::AccountUnlocked,
        Some(admin.id()),
        Some(id),
        json!({}),
        now,
    )?;
    Ok(())
}

/// The changes an admin asks for; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct AccountPatch {
    /// The new set of roles (the employee role follows the roster and cannot be set here).
    pub roles: Option<Vec<Role>>,
    /// Disable (`true`) or re-enable (`false`).
    pub disabled: Option<bool>,
    /// The department for the employer role: `None` keeps it, `Some(None)` unbinds it.
    pub department: Option<Option<DepartmentCode>>,
    /// The office for the staff role: `None` keeps it, `Some(None)` unbinds it.
    pub office: Option<Option<OfficeCode>>,
}

/// Changes roles, bindings and the disabled flag. Disabling ends every session.
pub fn update(
    conn: &mut DbConnection,
    admin: &AuthUser,
    id: AccountId,
    patch: AccountPatch,
    now: DateTime<Utc>,
) -> Result<Account, ApiError> {
    let account = get_account(conn, id)?;
    if patch.disabled == Some(false) && account.merged_into.is_some() {
        return Err(ApiError::new(
            Code::AlreadyMerged,
            "This account was merged into another account; it stays closed.",
        ));
    }
    if let Some(Some(department)) = &patch.department {
        reference::find_department(conn, department.as_str())?
            .ok_or_else(|| unknown("department_code", "department", department.as_str()))?;
    }
    if let Some(Some(office)) = &patch.office {
        reference::find_office(conn, office.as_str())?
            .ok_or_else(|| unknown("office_code", "office", office.as_str()))?;
    }
    let roles = patch
        .roles
        .clone()
        .map_or_else(|| account.roles.clone(), RoleSet::new);
    if roles.has(Role::Employee) != account.roles.has(Role::Employee) {
        return Err(ApiError::invalid(
            "roles",
            "role_managed_by_roster",
            "The employee role follows the employee roster.",
        ));
    }
    let department = patch
        .department
        .clone()
        .unwrap_or_else(|| account.department.clone());
    let office = patch
        .office
        .clone()
        .unwrap_or_else(|| account.office.clone());
    if roles.has(Role::Employer) && department.is_none() {
        return Err(ApiError::invalid(
            "department_code",
            "required",
            "An employer needs a department.",
        ));
    }
    if roles.has(Role::Staff) && office.is_none() {
        return Err(ApiError::invalid(
            "office_code",
            "required",
            "A staff member needs an office.",
        ));
    }
    if (!roles.has(Role::Admin) || patch.disabled == Some(true)) && account.roles.has(Role::Admin) {
        not_yourself(admin, id, "remove the admin role from, or disable,")?;
    }
    let actor = admin.id();
    if roles != account.roles || department != account.department || office != account.office {
        accounts::set_roles(conn, id, &roles.iter().collect::<Vec<_>>())?;
        accounts::set_bindings(conn, id, department.as_ref(), office.as_ref(), now)?;
        let names: Vec<&str> = roles.iter().map(Role::as_str).collect();
        let details = json!({"roles": names, "department_code": department.as_ref().map(|d| d.as_str()), "office_code": office.as_ref().map(|o| o.as_str())});
        audit::record(
            conn,
            AuditKind::RolesChanged,
            Some(actor),
            Some(id),
            details,
            now,
        )?;
    }
    match patch.disabled {
        Some(true) if !account.disabled => {
            accounts::set_disabled(conn, id, true, now)?;
            sessions::revoke_all(conn, id, None, "account_disabled", now)?;
            audit::record(
                conn,
                AuditKind::AccountDisabled,
                Some(actor),
                Some(id),
                json!({}),
                now,
            )?;
        }
        Some(false) if account.disabled => {
            accounts::set_disabled(conn, id, false, now)?;
            audit::record(
                conn,
                AuditKind::AccountEnabled,
                Some(actor),
                Some(id),
                json!({}),
                now,
            )?;
        }
        _ => {}
    }
    accounts::find(conn, id)?.ok_or_else(|| ApiError::not_found("account"))
}
