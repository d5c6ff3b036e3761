//! Registration, email verification and password changes.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::{Account, EmailAddress, LoginIdentifier, PersonName, Role, Username},
    ids::{AccountId, EntityId},
};
use merit_persistence::{
    DbConnection, RepoError, accounts, sessions,
    tokens::{self as one_time, TokenPurpose},
};
use serde_json::json;

use crate::{
    auth::{AuthUser, hashing::Verified, tokens},
    error::{ApiError, Code},
    mail::{self, templates},
    services::{
        audit::{self, AuditKind},
        sessions::record_failure,
    },
    settings::FrontendPage,
    state::AppState,
    validation::{Fields, password_errors},
};

/// How long an email verification link works.
pub const VERIFICATION_TTL: TimeDelta = TimeDelta::hours(24);

/// A checked registration.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Sign-in and contact address.
    pub email: EmailAddress,
    /// Optional username.
    pub username: Option<Username>,
    /// Given name.
    pub first_name: PersonName,
    /// Family name.
    pub last_name: PersonName,
    /// The chosen password (already checked against the policy).
    pub password: String,
}

/// Sends a verification link for `account`'s address (the earlier link stops working).
pub fn send_verification(
    conn: &mut DbConnection,
    state: &AppState,
    account: &Account,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let token = tokens::random_token();
    let hash = tokens::token_hash(&token);
    one_time::issue(
        conn,
        &hash,
        account.id,
        TokenPurpose::EmailVerification,
        &email.key(),
        now,
        now + VERIFICATION_TTL,
    )?;
    let message = templates::verify_email(
        account.first_name.as_str(),
        &state.link(FrontendPage::VerifyEmail, &token),
    );
    Ok(mail::enqueue(conn, email.as_str(), message, now)?)
}

/// Registers an applicant. An address that already has an account gets an email saying so
/// instead, and the answer is the same, so registration does not reveal who has an account.
pub async fn register(state: &AppState, registration: Registration) -> Result<(), ApiError> {
    let hash = state.hasher.hash(registration.password.clone()).await?;
    let now = state.clock.now();
    let worker = state.clone();
    state
        .db
        .write(move |conn| {
            let email_key = LoginIdentifier::Email(registration.email.key());
            if let Some((existing, _)) = accounts::find_for_login(conn, &email_key)? {
                let message = templates::already_registered(
                    existing.first_name.as_str(),
                    &worker.page(FrontendPage::ForgotPassword),
                );
                // To the address on file, not the one typed (they match only ignoring case).
                let to = existing.email.as_ref().unwrap_or(&registration.email);
                return Ok(mail::enqueue(conn, to.as_str(), message, now)?);
            }
            let id = AccountId::from_uuid(uuid::Uuid::now_v7());
            let new = accounts::NewAccount {
                id,
                username: registration.username.as_ref(),
                email: Some(&registration.email),
                employee_id: None,
                first_name: &registration.first_name,
                last_name: &registration.last_name,
                password_hash: Some(&hash),
                temporary_password_expires_at: None,
                department: None,
                office: None,
                roles: &[Role::Applicant],
            };
            accounts::insert(conn, &new, now).map_err(|e| match e {
                RepoError::Conflict { constraint } if constraint == "accounts_username_key" => {
                    ApiError::new(
                        Code::UsernameTaken,
                        "This username is taken. Choose another.",
                    )
                }
                other => other.into(),
            })?;
            let account =
                accounts::find(conn, id)?.ok_or_else(|| ApiError::not_found("account"))?;
            audit::record(
                conn,
                AuditKind::AccountCreated,
                Some(id),
                Some(id),
                json!({"roles": ["applicant"]}),
                now,
            )?;
            send_verification(conn, &worker, &account, &registration.email, now)
        })
        .await?;
    state.wake_mailer();
    Ok(())
}

fn invalid_token() -> ApiError {
    ApiError::new(
        Code::InvalidToken,
        "This link is not valid: it was already used, it expired, or a newer one was sent.",
    )
}

/// Verifies an address with the token from the link.
pub fn confirm_email(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let hash = tokens::token_hash(token);
    let (found, _) = one_time::consume(conn, &hash, &[TokenPurpose::EmailVerification], now)?
        .ok_or_else(invalid_token)?;
    let account = accounts::find(conn, found.account_id)?.ok_or_else(invalid_token)?;
    if account.email.as_ref().map(EmailAddress::key).as_deref() != Some(found.sent_to.as_str()) {
        return Err(invalid_token());
    }
    accounts::mark_email_verified(conn, account.id, now)?;
    audit::record(
        conn,
        AuditKind::EmailVerified,
        Some(account.id),
        Some(account.id),
        json!({}),
        now,
    )?;
    Ok(())
}

/// Sends a new verification link to the caller's address.
pub fn resend_verification(
    conn: &mut DbConnection,
    state: &AppState,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let account = &user.account;
    let Some(email) = &account.email else {
        return Err(ApiError::new(
            Code::NoEmail,
            "This account has no email address to verify.",
        ));
    };
    if account.email_verified_at.is_some() {
        return Err(ApiError::new(
            Code::AlreadyVerified,
            "This email address is already verified.",
        ));
    }
    send_verification(conn, state, account, email, now)
}

/// Checks the caller's `current_password` before a change that needs it (422
/// `incorrect_password` when wrong). Someone holding a session must not guess it faster than a
/// sign-in could: a wrong one counts towards the lockout, is audited and slowed down exactly as
/// a failed sign-in is, and while the account is locked no password is checked at all (429 until
/// the lock ends).
pub async fn check_current_password(
    state: &AppState,
    user: &AuthUser,
    password: String,
) -> Result<(), ApiError> {
    let id = user.account.id;
    let (account, stored) = state
        .db
        .read(move |conn| Ok(accounts::find_with_hash(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let now = state.clock.now();
    refuse_while_locked(&account, now)?;
    let key = account.id;
    match state.hasher.verify(password, stored).await? {
        Verified::Yes { .. } => {
            // A wrong guess of the same burst may have locked the account while this one was
            // being checked.
            let id = account.id;
            if let Some(current) = state
                .db
                .read(move |conn| Ok(accounts::find(conn, id)?))
                .await?
            {
                refuse_while_locked(&current, now)?;
            }
            state.current_password_slowdown.succeeded(&key.to_string());
            Ok(())
        }
        // The sign-in's own failure path: counted towards the lockout and audited, then the
        // same slow-down, counted per account.
        Verified::No => {
            record_failure(state, account, AuditKind::CurrentPasswordFailed, now).await?;
            let wait = state
                .current_password_slowdown
                .failed(&key.to_string(), now);
            actix_web::rt::time::sleep(wait).await;
            Err(ApiError::invalid(
                "current_password",
                "incorrect_password",
                "The current password is wrong.",
            ))
        }
    }
}

/// 429 until the lock ends, with `Retry-After` in whole seconds rounded up.
fn refuse_while_locked(account: &Account, now: DateTime<Utc>) -> Result<(), ApiError> {
    match account.failures.locked_until {
        Some(until) if account.failures.is_locked(now) => {
            let millis = (until - now).num_milliseconds().max(1);
            Err(ApiError::TooManyRequests {
                retry_after: u64::try_from((millis + 999) / 1000).unwrap_or(1),
            })
        }
        _ => Ok(()),
    }
}

/// Changes the caller's password after checking the current one. Every other session ends; a
/// temporary password stops being temporary.
pub async fn change_password(
    state: &AppState,
    user: &AuthUser,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    let mut fields = Fields::new();
    if let Err(broken) = state
        .password_policy()
        .check(&new, &user.account.identifiers())
    {
        password_errors(&mut fields, "new_password", &broken);
    }
    if new == current {
        fields.push(
            "new_password",
            "password_unchanged",
            "Choose a password different from the current one.",
        );
    }
    fields.finish()?;
    check_current_password(state, user, current).await?;
    let hash = state.hasher.hash(new).await?;
    let now = state.clock.now();
    let (id, session) = (user.account.id, user.session_id);
    state
        .db
        .write(move |conn| {
            accounts::set_password(conn, id, &hash, None, now)?;
            let ended = sessions::revoke_all(conn, id, session, "password_changed", now)?;
            audit::record(
                conn,
                AuditKind::PasswordChanged,
                Some(id),
                Some(id),
                json!({"sessions_ended": ended}),
                now,
            )?;
            Ok(())
        })
        .await
}
