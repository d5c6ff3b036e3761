//! Accounts and their roles.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::{
    account::{
        Account, EmailAddress, EmployeeId, LoginFailures, LoginIdentifier, PersonName, Role,
        RoleSet, Username,
    },
    ids::AccountId,
    reference::{DepartmentCode, OfficeCode},
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    reference::like_prefix,
    schema::{account_roles, accounts},
    time::{naive, utc},
};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub(crate) struct AccountRow {
    id: String,
    username: Option<String>,
    email: Option<String>,
    employee_id: Option<String>,
    first_name: String,
    last_name: String,
    password_hash: Option<String>,
    temporary_password_expires_at: Option<NaiveDateTime>,
    email_verified_at: Option<NaiveDateTime>,
    department_code: Option<String>,
    office_code: Option<String>,
    disabled_at: Option<NaiveDateTime>,
    failed_login_count: i32,
    failed_login_window_start: Option<NaiveDateTime>,
    locked_until: Option<NaiveDateTime>,
    privacy_agreement_version: Option<String>,
    created_at: NaiveDateTime,
    merged_into: Option<String>,
}

fn bad(reason: impl ToString) -> RepoError {
    RepoError::InvalidRow {
        table: "accounts",
        reason: reason.to_string(),
    }
}

impl AccountRow {
    pub(crate) fn into_account(self, roles: RoleSet) -> RepoResult<(Account, Option<String>)> {
        let account = Account {
            id: AccountId::parse(&self.id).map_err(bad)?,
            username: self
                .username
                .as_deref()
                .map(Username::parse)
                .transpose()
                .map_err(bad)?,
            email: self
                .email
                .as_deref()
                .map(EmailAddress::parse)
                .transpose()
                .map_err(bad)?,
            employee_id: self
                .employee_id
                .as_deref()
                .map(EmployeeId::parse)
                .transpose()
                .map_err(bad)?,
            first_name: PersonName::parse(&self.first_name).map_err(bad)?,
            last_name: PersonName::parse(&self.last_name).map_err(bad)?,
            roles,
            department: self
                .department_code
                .as_deref()
                .map(DepartmentCode::parse)
                .transpose()
                .map_err(bad)?,
            office: self
                .office_code
                .as_deref()
                .map(OfficeCode::parse)
                .transpose()
                .map_err(bad)?,
            email_verified_at: self.email_verified_at.map(utc),
            temporary_password_expires_at: self.temporary_password_expires_at.map(utc),
            has_password: self.password_hash.is_some(),
            disabled: self.disabled_at.is_some(),
            failures: LoginFailures {
                count: u32::try_from(self.failed_login_count).unwrap_or(0),
                window_started_at: self.failed_login_window_start.map(utc),
                locked_until: self.locked_until.map(utc),
            },
            privacy_agreement_version: self.privacy_agreement_version,
            created_at: utc(self.created_at),
            merged_into: self
                .merged_into
                .as_deref()
                .map(AccountId::parse)
                .transpose()
                .map_err(bad)?,
        };
        Ok((account, self.password_hash))
    }
}

/// A new account to insert.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    /// Its id.
    pub id: AccountId,
    /// Sign-in name.
    pub username: Option<&'a Username>,
    /// Contact and sign-in address.
    pub email: Option<&'a EmailAddress>,
    /// Employee ID, for employees.
    pub employee_id: Option<&'a EmployeeId>,
    /// Given name.
    pub first_name: &'a PersonName,
    /// Family name.
    pub last_name: &'a PersonName,
    /// The password hash, if one is set now.
    pub password_hash: Option<&'a str>,
    /// When a temporary password stops working.
    pub temporary_password_expires_at: Option<DateTime<Utc>>,
    /// Employer's department.
    pub department: Option<&'a DepartmentCode>,
    /// Staff member's office.
    pub office: Option<&'a OfficeCode>,
    /// Roles to grant.
    pub roles: &'a [Role],
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct NewAccountRow<'a> {
    id: String,
    username: Option<&'a str>,
    username_key: Option<String>,
    email: Option<&'a str>,
    email_key: Option<String>,
    employee_id: Option<&'a str>,
    first_name: &'a str,
    last_name: &'a str,
    password_hash: Option<&'a str>,
    password_changed_at: Option<NaiveDateTime>,
    temporary_password_expires_at: Option<NaiveDateTime>,
    department_code: Option<&'a str>,
    office_code: Option<&'a str>,
    failed_login_count: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Inserts an account with its roles. A taken username, email or Employee ID is a `Conflict`
/// naming `accounts_username_key`, `accounts_email_key` or `accounts_employee_id_key`.
pub fn insert(conn: &mut DbConnection, new: &NewAccount<'_>, now: DateTime<Utc>) -> RepoResult<()> {
    let row = NewAccountRow {
        id: new.id.to_string(),
        username: new.username.map(Username::as_str),
        username_key: new.username.map(Username::key),
        email: new.email.map(EmailAddress::as_str),
        email_key: new.email.map(EmailAddress::key),
        employee_id: new.employee_id.map(EmployeeId::as_str),
        first_name: new.first_name.as_str(),
        last_name: new.last_name.as_str(),
        password_hash: new.password_hash,
        password_changed_at: new.password_hash.map(|_| naive(now)),
        temporary_password_expires_at: new.temporary_password_expires_at.map(naive),
        department_code: new.department.map(DepartmentCode::as_str),
        office_code: new.office.map(OfficeCode::as_str),
        failed_login_count: 0,
        created_at: naive(now),
        updated_at: naive(now),
    };
    diesel::insert_into(accounts::table)
        .values(&row)
        .execute(conn)?;
    set_roles(conn, new.id, new.roles)
}

/// Replaces an account's roles.
pub fn set_roles(conn: &mut DbConnection, account_id: AccountId, roles: &[Role]) -> RepoResult<()> {
    diesel::delete(
        account_roles::table.filter(account_roles::account_id.eq(account_id.to_string())),
    )
    .execute(conn)?;
    for role in RoleSet::new(roles.iter().copied()).iter() {
        diesel::insert_into(account_roles::table)
            .values((
                account_roles::account_id.eq(account_id.to_string()),
                account_roles::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds or removes one role.
pub fn grant_role(
    conn: &mut DbConnection,
    account_id: AccountId,
    role: Role,
    granted: bool,
) -> RepoResult<()> {
    let existing = roles_of(conn, account_id)?;
    let roles: Vec<Role> = existing
        .iter()
        .filter(|r| *r != role)
        .chain(granted.then_some(role))
        .collect();
    set_roles(conn, account_id, &roles)
}

fn roles_of(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<RoleSet> {
    let names: Vec<String> = account_roles::table
        .filter(account_roles::account_id.eq(account_id.to_string()))
        .select(account_roles::role)
        .load(conn)?;
    parse_roles(&names)
}

/// The role set stored as `names`.
pub(crate) fn parse_roles(names: &[String]) -> RepoResult<RoleSet> {
    let roles = names
        .iter()
        .map(|n| n.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    Ok(RoleSet::new(roles))
}

fn with_roles(
    conn: &mut DbConnection,
    row: Option<AccountRow>,
) -> RepoResult<Option<(Account, Option<String>)>> {
    row.map(|row| {
        let roles = roles_of(conn, parse_id("accounts", &row.id)?)?;
        row.into_account(roles)
    })
    .transpose()
}

/// An account by id.
pub fn find(conn: &mut DbConnection, id: AccountId) -> RepoResult<Option<Account>> {
    let row = accounts::table
        .find(id.to_string())
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?;
    Ok(with_roles(conn, row)?.map(|(account, _)| account))
}

/// An account and its password hash, by what a person signs in with.
pub fn find_for_login(
    conn: &mut DbConnection,
    login: &LoginIdentifier,
) -> RepoResult<Option<(Account, Option<String>)>> {
    let query = accounts::table.select(AccountRow::as_select()).into_boxed();
    let query = match login {
        LoginIdentifier::Email(key) => query.filter(accounts::email_key.eq(key.clone())),
        LoginIdentifier::Username(key) => query.filter(accounts::username_key.eq(key.clone())),
        LoginIdentifier::EmployeeId(id) => {
            query.filter(accounts::employee_id.eq(id.as_str().to_owned()))
        }
    };
    let row = query.first(conn).optional()?;
    with_roles(conn, row)
}

/// An account and its password hash, by id.
pub fn find_with_hash(
    conn: &mut DbConnection,
    id: AccountId,
) -> RepoResult<Option<(Account, Option<String>)>> {
    let row = accounts::table
        .find(id.to_string())
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?;
    with_roles(conn, row)
}

/// Whether a username is taken, ignoring letter case.
pub fn username_taken(conn: &mut DbConnection, username: &str) -> RepoResult<bool> {
    let key = username.to_ascii_lowercase();
    Ok(diesel::select(diesel::dsl::exists(
        accounts::table.filter(accounts::username_key.eq(key)),
    ))
    .get_result(conn)?)
}

/// Whether any account holds `role`.
pub fn any_with_role(conn: &mut DbConnection, role: Role) -> RepoResult<bool> {
    let query = account_roles::table.filter(account_roles::role.eq(role.as_str()));
    Ok(diesel::select(diesel::dsl::exists(query)).get_result(conn)?)
}

/// Sets a new password hash. `temporary_until` marks it temporary (it must be changed before
/// anything else, and stops working then). Clears failed sign-ins and any lock.
pub fn set_password(
    conn: &mut DbConnection,
    id: AccountId,
    hash: &str,
    temporary_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    let changed = diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::password_hash.eq(hash),
            accounts::password_changed_at.eq(naive(now)),
            accounts::temporary_password_expires_at.eq(temporary_until.map(naive)),
            accounts::failed_login_count.eq(0),
            accounts::failed_login_window_start.eq(None::<NaiveDateTime>),
            accounts::locked_until.eq(None::<NaiveDateTime>),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    if changed == 0 {
        Err(RepoError::NotFound)
    } else {
        Ok(())
    }
}

/// Replaces the hash only (an upgrade to current parameters), keeping everything else.
pub fn upgrade_hash(conn: &mut DbConnection, id: AccountId, hash: &str) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set(accounts::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// Stores the failed sign-in counters.
pub fn set_failures(
    conn: &mut DbConnection,
    id: AccountId,
    failures: &LoginFailures,
) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::failed_login_count.eq(i32::try_from(failures.count).unwrap_or(i32::MAX)),
            accounts::failed_login_window_start.eq(failures.window_started_at.map(naive)),
            accounts::locked_until.eq(failures.locked_until.map(naive)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The failed sign-in counters of an account, read under a lock so that concurrent failures
/// are counted one after the other instead of overwriting each other: on PostgreSQL a no-op
/// update takes the row lock first (and the read that follows sees what the previous holder
/// committed); on SQLite the write transaction already holds the database's lock. Call inside a
/// write transaction. `None` when the account does not exist.
pub fn failures_for_update(
    conn: &mut DbConnection,
    id: AccountId,
) -> RepoResult<Option<LoginFailures>> {
    let locked = diesel::update(accounts::table.find(id.to_string()))
        .set(accounts::failed_login_count.eq(accounts::failed_login_count))
        .execute(conn)?;
    if locked == 0 {
        return Ok(None);
    }
    let (count, window_start, locked_until): (i32, Option<NaiveDateTime>, Option<NaiveDateTime>) =
        accounts::table
            .find(id.to_string())
            .select((
                accounts::failed_login_count,
                accounts::failed_login_window_start,
                accounts::locked_until,
            ))
            .first(conn)?;
    Ok(Some(LoginFailures {
        count: u32::try_from(count).unwrap_or(0),
        window_started_at: window_start.map(utc),
        locked_until: locked_until.map(utc),
    }))
}

/// Marks the email address as verified.
pub fn mark_email_verified(
    conn: &mut DbConnection,
    id: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::email_verified_at.eq(naive(now)),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Disables or re-enables an account.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: AccountId,
    disabled: bool,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::disabled_at.eq(disabled.then(|| naive(now))),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Binds an account to a department (employers) and an office (staff).
pub fn set_bindings(
    conn: &mut DbConnection,
    id: AccountId,
    department: Option<&DepartmentCode>,
    office: Option<&OfficeCode>,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::department_code.eq(department.map(|d| d.as_str().to_owned())),
            accounts::office_code.eq(office.map(|o| o.as_str().to_owned())),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the privacy agreement an employee accepted.
pub fn accept_privacy_agreement(
    conn: &mut DbConnection,
    id: AccountId,
    version: &str,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(accounts::table.find(id.to_string()))
        .set((
            accounts::privacy_agreement_version.eq(version),
            accounts::privacy_agreement_accepted_at.eq(naive(now)),
            accounts::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The accounts whose address (or, for employees, roster business address) is `email_key`.
pub fn find_by_email_key(conn: &mut DbConnection, email_key: &str) -> RepoResult<Vec<Account>> {
    let rows: Vec<AccountRow> = accounts::table
        .filter(accounts::email_key.eq(email_key))
        .select(AccountRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| with_roles(conn, Some(row)).map(|a| a.map(|(a, _)| a)))
        .filter_map(Result::transpose)
        .collect()
}

/// Filters of the admin account search.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Prefix of the username, email, first or last name, ignoring case.
    pub text: Option<String>,
    /// Only accounts holding this role.
    pub role: Option<Role>,
    /// Only disabled (`true`) or enabled (`false`) accounts.
    pub disabled: Option<bool>,
}

/// Accounts matching `filter`, newest first (ids are time-ordered), after `page.after`.
pub fn search(
    conn: &mut DbConnection,
    filter: &AccountFilter,
    page: PageRequest<'_>,
) -> RepoResult<Page<Account>> {
    // Machine clients' service accounts are managed through their clients, not listed here.
    let service_accounts =
        crate::schema::api_clients::table.select(crate::schema::api_clients::account_id);
    let mut query = accounts::table
        .filter(diesel::dsl::not(accounts::id.eq_any(service_accounts)))
        .select(AccountRow::as_select())
        .into_boxed();
    if let Some(text) = &filter.text {
        let pattern = like_prefix(text);
        query = query.filter(
            crate::reference::lower(accounts::first_name)
                .like(pattern.clone())
                .escape('\\')
                .or(crate::reference::lower(accounts::last_name)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(accounts::username_key.like(pattern.clone()).escape('\\'))
                .or(accounts::email_key.like(pattern).escape('\\')),
        );
    }
    if let Some(role) = filter.role {
        let holders = account_roles::table
            .filter(account_roles::role.eq(role.as_str()))
            .select(account_roles::account_id);
        query = query.filter(accounts::id.eq_any(holders));
    }
    match filter.disabled {
        Some(true) => query = query.filter(accounts::disabled_at.is_not_null()),
        Some(false) => query = query.filter(accounts::disabled_at.is_null()),
        None => {}
    }
    if let Some(after) = page.after {
        query = query.filter(accounts::id.lt(after.to_owned()));
    }
    let rows: Vec<AccountRow> = query
        .order(accounts::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some((account, _)) = with_roles(conn, Some(row))? {
            items.push(account);
        }
    }
    Ok(Page::from_overfetch(items, page.limit))
}
