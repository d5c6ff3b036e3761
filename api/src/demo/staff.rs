//! Demo accounts for the roles that are not applicants: an employer of the DMV, a case manager
//! of the Los Angeles office and a DMV employee on the roster, each with the demo password (not
//! a temporary one), so a frontend team can sign in as every role at once. Each is made once.

use chrono::{DateTime, Utc};
use merit_domain::{
    account::{
        EmailAddress, EmployeeId, LoginIdentifier, PersonName, Role, RosterStatus, Username,
    },
    ids::{AccountId, EntityId},
    reference::{DepartmentCode, OfficeCode},
};
use merit_persistence::{DbConnection, accounts, roster, roster::RosterEntry};

use super::profiles::DEMO_PASSWORD;
use crate::{
    auth::hashing::PasswordHasher, db::Db, error::ApiError, services::employees::PRIVACY_AGREEMENT,
};

/// Who a demo account is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Hiring staff of a department, signing in with a username.
    Employer { department: &'static str },
    /// A case manager of an office, signing in with a username.
    Staff { office: &'static str },
    /// A State employee on the roster, signing in with the Employee ID.
    Employee {
        department: &'static str,
        business_email: &'static str,
    },
}

#[derive(Debug)]
struct DemoAccount {
    /// The username, or the Employee ID for an employee.
    login: &'static str,
    first: &'static str,
    last: &'static str,
    kind: Kind,
}

/// The demo accounts (listed in the README).
const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        login: "DMVEGARCIA",
        first: "Elena",
        last: "Garcia",
        kind: Kind::Employer { department: "DMV" },
    },
    DemoAccount {
        login: "LAOMCHEN",
        first: "Marcus",
        last: "Chen",
        kind: Kind::Staff { office: "LAO" },
    },
    DemoAccount {
        login: "00481516",
        first: "Priya",
        last: "Raman",
        kind: Kind::Employee {
            department: "DMV",
            business_email: "priya.raman@dmv.ca.gov",
        },
    },
];

fn bad(error: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo accounts: {error}"))
}

/// Adds the demo employer, staff member and employee that are missing; returns how many.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let hasher = PasswordHasher::new(1, 4);
    let mut added = 0;
    for account in ACCOUNTS {
        let login = LoginIdentifier::parse(account.login).ok_or_else(|| bad(account.login))?;
        if db
            .read(move |conn| Ok(accounts::find_for_login(conn, &login)?))
            .await?
            .is_some()
        {
            continue;
        }
        let hash = hasher.hash(DEMO_PASSWORD.to_owned()).await?;
        db.write(move |conn| add(conn, account, &hash, now)).await?;
        added += 1;
    }
    Ok(added)
}

fn add(
    conn: &mut DbConnection,
    account: &DemoAccount,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = AccountId::from_uuid(uuid::Uuid::now_v7());
    let first = PersonName::parse(account.first).map_err(bad)?;
    let last = PersonName::parse(account.last).map_err(bad)?;
    let (mut username, mut employee_id, mut department, mut office) = (None, None, None, None);
    let roles: &[Role] = match account.kind {
        Kind::Employer { department: code } => {
            username = Some(Username::parse(account.login).map_err(bad)?);
            department = Some(DepartmentCode::parse(code).map_err(bad)?);
            &[Role::Employer]
        }
        Kind::Staff { office: code } => {
            username = Some(Username::parse(account.login).map_err(bad)?);
            office = Some(OfficeCode::parse(code).map_err(bad)?);
            &[Role::Staff]
        }
        Kind::Employee {
            department: code,
            business_email,
        } => {
            let entry = RosterEntry {
                employee_id: EmployeeId::parse(account.login).map_err(bad)?,
                first_name: first.clone(),
                last_name: last.clone(),
                department: DepartmentCode::parse(code).map_err(bad)?,
                business_email: EmailAddress::parse(business_email).map_err(bad)?,
                status: RosterStatus::Active,
            };
            let exists = roster::find(conn, entry.employee_id.as_str())?.is_some();
            roster::save(conn, &entry, exists, now)?;
            employee_id = Some(entry.employee_id);
            &[Role::Applicant, Role::Employee]
        }
    };
    accounts::insert(
        conn,
        &accounts::NewAccount {
            id,
            username: username.as_ref(),
            email: None,
            employee_id: employee_id.as_ref(),
            first_name: &first,
            last_name: &last,
            password_hash: Some(hash),
            temporary_password_expires_at: None,
            department: department.as_ref(),
            office: office.as_ref(),
            roles,
        },
        now,
    )?;
    if employee_id.is_some() {
        accounts::accept_privacy_agreement(conn, id, PRIVACY_AGREEMENT.version, now)?;
    }
    Ok(())
}
