//! Forgotten passwords and usernames. Every request is answered the same whether or not an
//! account exists; staff and admins get a notice to call the service desk instead of a link.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::account::{Account, EmailAddress, LoginIdentifier, RosterStatus};
use merit_persistence::{
    DbConnection, accounts, roster, sessions,
    tokens::{self as one_time, TokenPurpose},
};
use serde_json::json;

use crate::{
    auth::tokens,
    error::{ApiError, Code},
    mail::{self, templates},
    services::audit::{self, AuditKind},
    settings::FrontendPage,
    state::AppState,
    validation::{Fields, password_errors},
};

/// How long a password reset link works.
pub const RESET_TTL: TimeDelta = TimeDelta::minutes(30);

/// The accounts reachable at an address, each with the address on file to write to: the
/// account's own email, or for employees the roster's business email. Disabled accounts get
/// nothing.
///
/// The message goes to the stored address, never to the text the requester typed: addresses
/// are matched ignoring case, but a mail system may treat `Ann@x` and `ann@x` as two mailboxes.
fn accounts_at(
    conn: &mut DbConnection,
    email: &EmailAddress,
) -> Result<Vec<(Account, EmailAddress)>, ApiError> {
    let mut found: Vec<(Account, EmailAddress)> = accounts::find_by_email_key(conn, &email.key())?
        .into_iter()
        .filter_map(|a| a.email.clone().map(|own| (a, own)))
        .collect();
    for entry in roster::find_by_business_email(conn, &email.key())? {
        if entry.status != RosterStatus::Active {
            continue;
        }
        let login = LoginIdentifier::EmployeeId(entry.employee_id);
        if let Some((account, _)) = accounts::find_for_login(conn, &login)?
            && !found.iter().any(|(a, _)| a.id == account.id)
        {
            found.push((account, entry.business_email));
        }
    }
    found.retain(|(a, _)| !a.disabled);
    Ok(found)
}

/// Emails a reset link (or the service-desk notice) to every account at `email`.
pub fn request_reset(
    conn: &mut DbConnection,
    state: &AppState,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for (account, to) in accounts_at(conn, email)? {
        let name = account.first_name.as_str();
        let message = if account.roles.self_service_reset() {
            let token = tokens::random_token();
            one_time::issue(
                conn,
                &tokens::token_hash(&token),
                account.id,
                TokenPurpose::PasswordReset,
                &to.key(),
                now,
                now + RESET_TTL,
            )?;
            templates::reset_password(name, &state.link(FrontendPage::ResetPassword, &token))
        } else {
            templates::contact_service_desk(name)
        };
        mail::enqueue(conn, to.as_str(), message, now)?;
        let details = json!({"link_sent": account.roles.self_service_reset()});
        audit::record(
            conn,
            AuditKind::PasswordResetRequested,
            None,
            Some(account.id),
            details,
            now,
        )?;
    }
    Ok(())
}

/// Emails the names each account at `email` signs in with.
pub fn remind_username(
    conn: &mut DbConnection,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for (account, to) in accounts_at(conn, email)? {
        let name = account.first_name.as_str();
        let message = if account.roles.self_service_reset() {
            let mut names = Vec::new();
            if let Some(username) = &account.username {
                names.push(format!("the username {username}"));
            }
            if let Some(employee_id) = &account.employee_id {
                names.push(format!("your Employee ID {employee_id}"));
            }
            if let Some(own) = &account.email {
                names.push(format!("the email address {own}"));
            }
            templates::username_reminder(name, &names.join(", or "))
        } else {
            templates::contact_service_desk(name)
        };
        mail::enqueue(conn, to.as_str(), message, now)?;
    }
    Ok(())
}

fn invalid_token() -> ApiError {
    ApiError::new(
        Code::InvalidToken,
        "This link is not valid: it was already used, it expired, or a newer one was sent.",
    )
}

const PURPOSES: [TokenPurpose; 2] = [TokenPurpose::PasswordReset, TokenPurpose::SetPassword];

/// Sets a new password with a reset (or first-password) link. The link works once; every
/// session ends; a lock is lifted; the address the link went to counts as verified.
pub async fn confirm_reset(
    state: &AppState,
    token: String,
    new_password: String,
) -> Result<(), ApiError> {
    let hash = tokens::token_hash(&token);
    let now = state.clock.now();
    let peek_hash = hash.clone();
    let account = state
        .db
        .read(move |conn| {
            let Some((found, purpose)) = one_time::peek(conn, &peek_hash, &PURPOSES, now)? else {
                return Ok(None);
            };
            let account = accounts::find(conn, found.account_id)?;
            Ok(account.filter(|a| {
                !a.disabled
                    && (purpose == TokenPurpose::SetPassword || a.roles.self_service_reset())
            }))
        })
        .await?
        .ok_or_else(invalid_token)?;
    let mut fields = Fields::new();
    if let Err(broken) = state
        .password_policy()
        .check(&new_password, &account.identifiers())
    {
        password_errors(&mut fields, "new_password", &broken);
    }
    fields.finish()?;
    let password_hash = state.hasher.hash(new_password).await?;
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            let (found, purpose) = one_time::consume(conn, &hash, &PURPOSES, now)?.ok_or_else(invalid_token)?;
            accounts::set_password(conn, found.account_id, &password_hash, None, now)?;
            if account.email.as_ref().is_some_and(|e| e.key() == found.sent_to) {
                accounts::mark_email_verified(conn, found.account_id, now)?;
            }
            let ended = sessions::revoke_all(conn, found.account_id, None, "password_reset", now)?;
            let details = json!({"first_password": purpose == TokenPurpose::SetPassword, "sessions_ended": ended});
            audit::record(conn, AuditKind::PasswordReset, None, Some(found.account_id), details, now)?;
            Ok(())
        })
        .await
}
