//! State employees: the privacy agreement, activating an Employee ID, and the roster import.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::{EmployeeId, LoginIdentifier, Role, RosterStatus},
    ids::{AccountId, EntityId},
};
use merit_persistence::{
    DbConnection, accounts, reference, roster,
    roster::RosterEntry,
    tokens::{self as one_time, TokenPurpose},
};
use serde_json::json;

use crate::{
    auth::tokens,
    error::{ApiError, FieldError},
    mail::{self, templates},
    services::audit::{self, AuditKind},
    settings::FrontendPage,
    state::AppState,
};

/// The privacy agreement employees accept before activating their Employee ID.
#[derive(Debug, Clone, Copy)]
pub struct PrivacyAgreement {
    /// Its version; activation must name it.
    pub version: &'static str,
    /// When it took effect.
    pub effective_date: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// The agreement in force.
pub const PRIVACY_AGREEMENT: PrivacyAgreement = PrivacyAgreement {
    version: "2026-01",
    effective_date: "2026-01-01",
    text: "The employee career section uses your Employee ID to identify you as a State employee. \
        Merit stores your Employee ID, your name, your department and your business email address as \
        they appear in the employee roster, and records when you accepted this agreement. It uses them \
        only to show you postings open to State employees, to consider your applications as an internal \
        candidate, and to send you messages about your account and your applications. Hiring departments \
        see your employee status on applications you submit. You may ask the service desk for a copy of \
        everything Merit holds about you.",
};

/// How long a set-password link for a newly activated employee works.
pub const SET_PASSWORD_TTL: TimeDelta = TimeDelta::hours(24);

/// Activates an Employee ID: records the accepted agreement, makes the account if needed, and
/// emails a set-password link to the roster's business address. Does nothing, silently, for an
/// ID that is not on the active roster.
pub fn activate(
    conn: &mut DbConnection,
    state: &AppState,
    employee_id: &EmployeeId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(entry) =
        roster::find(conn, employee_id.as_str())?.filter(|e| e.status == RosterStatus::Active)
    else {
        return Ok(());
    };
    let login = LoginIdentifier::EmployeeId(employee_id.clone());
    let account = match accounts::find_for_login(conn, &login)? {
        Some((account, _)) => {
            accounts::grant_role(conn, account.id, Role::Employee, true)?;
            account
        }
        None => {
            let id = AccountId::from_uuid(uuid::Uuid::now_v7());
            let new = accounts::NewAccount {
                id,
                username: None,
                email: None,
                employee_id: Some(employee_id),
                first_name: &entry.first_name,
                last_name: &entry.last_name,
                password_hash: None,
                temporary_password_expires_at: None,
                department: None,
                office: None,
                roles: &[Role::Applicant, Role::Employee],
            };
            accounts::insert(conn, &new, now)?;
            audit::record(
                conn,
                AuditKind::AccountCreated,
                None,
                Some(id),
                json!({"roles": ["applicant", "employee"]}),
                now,
            )?;
            accounts::find(conn, id)?.ok_or_else(|| ApiError::not_found("account"))?
        }
    };
    if account.disabled {
        return Ok(());
    }
    accounts::accept_privacy_agreement(conn, account.id, PRIVACY_AGREEMENT.version, now)?;
    let token = tokens::random_token();
    let business = entry.business_email;
    one_time::issue(
        conn,
        &tokens::token_hash(&token),
        account.id,
        TokenPurpose::SetPassword,
        &business.key(),
        now,
        now + SET_PASSWORD_TTL,
    )?;
    let message = templates::set_password(
        entry.first_name.as_str(),
        &state.link(FrontendPage::SetPassword, &token),
    );
    mail::enqueue(conn, business.as_str(), message, now)?;
    let details = json!({"privacy_agreement_version": PRIVACY_AGREEMENT.version});
    audit::record(
        conn,
        AuditKind::EmployeeActivated,
        Some(account.id),
        Some(account.id),
        details,
        now,
    )?;
    Ok(())
}

/// What a roster import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New employees.
    pub created: usize,
    /// Employees whose details changed (and who stay active).
    pub updated: usize,
    /// Employees who became separated: marked so in the file, or absent from it.
    pub separated: usize,
    /// Employees unchanged.
    pub unchanged: usize,
}

/// Replaces the roster with `entries` (already checked row by row) in one transaction. Rows whose
/// department does not exist are rejected, and then nothing is imported. Employees missing from
/// the file are separated; accounts of separated employees lose the employee role at once.
pub fn import_roster(
    conn: &mut DbConnection,
    admin_id: AccountId,
    entries: Vec<(String, RosterEntry)>,
    now: DateTime<Utc>,
) -> Result<ImportCounts, ApiError> {
    let mut errors = Vec::new();
    let mut known_departments = HashSet::new();
    for (field, entry) in &entries {
        let code = entry.department.as_str();
        if !known_departments.contains(code) {
            if reference::find_department(conn, code)?.is_none() {
                errors.push(FieldError::new(
                    format!("{field}.department_code"),
                    "unknown_department",
                    format!("No department has the code {code}."),
                ));
                continue;
            }
            known_departments.insert(code.to_owned());
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let existing: HashMap<String, RosterEntry> = roster::all(conn)?
        .into_iter()
        .map(|e| (e.employee_id.as_str().to_owned(), e))
        .collect();
    let mut counts = ImportCounts::default();
    let mut seen = HashSet::new();
    for (_, entry) in &entries {
        let id = entry.employee_id.as_str().to_owned();
        let before = existing.get(&id);
        match before {
            None if entry.status == RosterStatus::Separated => counts.separated += 1,
            None => counts.created += 1,
            Some(old) if old == entry => counts.unchanged += 1,
            Some(old)
                if old.status == RosterStatus::Active
                    && entry.status == RosterStatus::Separated =>
            {
                counts.separated += 1
            }
            Some(_) => counts.updated += 1,
        }
        if before != Some(entry) {
            roster::save(conn, entry, before.is_some(), now)?;
        }
        sync_employee_role(
            conn,
            &entry.employee_id,
            entry.status == RosterStatus::Active,
        )?;
        seen.insert(id);
    }
    for old in existing
        .values()
        .filter(|e| !seen.contains(e.employee_id.as_str()) && e.status == RosterStatus::Active)
    {
        let separated = RosterEntry {
            status: RosterStatus::Separated,
            ..old.clone()
        };
        roster::save(conn, &separated, true, now)?;
        sync_employee_role(conn, &old.employee_id, false)?;
        counts.separated += 1;
    }
    let details = json!({"created": counts.created, "updated": counts.updated, "separated": counts.separated, "unchanged": counts.unchanged});
    audit::record(
        conn,
        AuditKind::RosterImported,
        Some(admin_id),
        None,
        details,
        now,
    )?;
    Ok(counts)
}

fn sync_employee_role(
    conn: &mut DbConnection,
    employee_id: &EmployeeId,
    active: bool,
) -> Result<(), ApiError> {
    let login = LoginIdentifier::EmployeeId(employee_id.clone());
    if let Some((account, _)) = accounts::find_for_login(conn, &login)?
        && account.roles.has(Role::Employee) != active
    {
        accounts::grant_role(conn, account.id, Role::Employee, active)?;
    }
    Ok(())
}
