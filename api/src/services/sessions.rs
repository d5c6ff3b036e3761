//! Signing in, refreshing and signing out.
//!
//! Sign-in reads the account, checks the password on the hashing pool, then records the
//! outcome: a failure is committed (counters, lock, audit) even though the answer is 401. An
//! unknown account, a wrong password, a locked or a disabled account all get the same answer
//! after the same hash and the same wait: the slow-down counts failures per sign-in name
//! ([`crate::auth::slowdown`]), not per account, and every failure waits at least
//! [`FAILED_SIGN_IN_FLOOR`] while a known account's failure is counted, so neither the delays
//! nor the counting tell which names exist.

use chrono::{DateTime, TimeDelta, Utc};
use merit_domain::{
    account::{Account, LoginFailures, LoginIdentifier},
    ids::{AccountId, EntityId, SessionId},
};
use merit_persistence::{DbConnection, RepoResult, accounts, sessions};
use serde_json::json;

use crate::{
    auth::{
        hashing::Verified,
        tokens::{self, ACCESS_TTL, TokenKeys},
    },
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
    state::AppState,
};

/// How long a session lasts at most, however often it is refreshed.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(30);
/// How long a refresh token works if unused.
pub const REFRESH_IDLE: TimeDelta = TimeDelta::hours(24);

/// What a successful sign-in or refresh hands out.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    /// The JWT access token.
    pub access_token: String,
    /// The opaque refresh token (used once).
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Whether the session may do nothing but change the password.
    pub password_change_required: bool,
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        Code::InvalidCredentials,
        "The sign-in name or the password is wrong.",
    )
}

/// Adds a refresh token to `session_id` and signs an access token for it.
fn issue(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    account: &Account,
    session_id: SessionId,
    session_end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> RepoResult<IssuedTokens> {
    let refresh_token = tokens::random_token();
    let expires = (now + REFRESH_IDLE).min(session_end);
    sessions::add_refresh_token(
        conn,
        session_id,
        &tokens::token_hash(&refresh_token),
        now,
        expires,
    )?;
    Ok(IssuedTokens {
        access_token: keys.issue(account.id, session_id, now),
        refresh_token,
        expires_in: ACCESS_TTL.num_seconds(),
        password_change_required: account.password_change_required(),
    })
}

/// Starts a new session for `account`.
pub fn start_session(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    account: &Account,
    now: DateTime<Utc>,
) -> RepoResult<IssuedTokens> {
    let session_id = SessionId::from_uuid(uuid::Uuid::now_v7());
    let end = now + SESSION_LIFETIME;
    sessions::create(conn, session_id, account.id, now, end)?;
    issue(conn, keys, account, session_id, end, now)
}

/// Signs in with a username, email or Employee ID and a password.
pub async fn login(
    state: &AppState,
    login: &str,
    password: String,
) -> Result<IssuedTokens, ApiError> {
    let identifier = LoginIdentifier::parse(login);
    let found = match identifier {
        Some(identifier) => {
            state
                .db
                .read(move |conn| Ok(accounts::find_for_login(conn, &identifier)?))
                .await?
        }
        None => None,
    };
    let now = state.clock.now();
    // A merged account's password is still checked: with the right one, its owner is told the
    // account was merged (and nothing else); a wrong one is refused like any other.
    let usable = found.as_ref().is_some_and(|(a, _)| {
        (!a.disabled || a.merged_into.is_some()) && !a.failures.is_locked(now)
    });
    let stored_hash = found
        .as_ref()
        .filter(|_| usable)
        .and_then(|(_, hash)| hash.clone());
    let verified = state.hasher.verify(password, stored_hash).await?;
    match (found, verified) {
        (Some((account, _)), Verified::Yes { .. }) if usable && account.merged_into.is_some() => {
            state.sign_in_slowdown.succeeded(login);
            Err(ApiError::new(
                Code::AccountMerged,
                "This account was merged into another account and is closed. Sign in with the \
                 account it was merged into.",
            ))
        }
        (Some((account, _)), Verified::Yes { rehash }) if usable => {
            match succeed(state, account, rehash, now).await? {
                Some(tokens) => {
                    state.sign_in_slowdown.succeeded(login);
                    Ok(tokens)
                }
                // Locked by a guess of the same burst while this password was being checked.
                None => Err(refuse(state, login, None, now).await),
            }
        }
        (Some((account, _)), Verified::No) if usable => {
            Err(refuse(state, login, Some(account), now).await)
        }
        _ => Err(refuse(state, login, None, now).await),
    }
}

/// The least time a failed sign-in takes after its password check, so that counting a failure
/// against an account (a database write) does not make known names answer later than unknown
/// ones.
const FAILED_SIGN_IN_FLOOR: std::time::Duration = std::time::Duration::from_millis(100);

/// Answers a failed sign-in as `login`: counts it against `account` if there is one, and
/// answers after the name's slow-down (at least [`FAILED_SIGN_IN_FLOOR`]) either way, the count
/// being written meanwhile. Only a database failure while counting answers otherwise.
async fn refuse(
    state: &AppState,
    login: &str,
    account: Option<Account>,
    now: DateTime<Utc>,
) -> ApiError {
    let wait = state
        .sign_in_slowdown
        .failed(login, now)
        .max(FAILED_SIGN_IN_FLOOR);
    let count = async {
        match account {
            Some(account) => record_failure(state, account, AuditKind::SignInFailed, now).await,
            None => Ok(()),
        }
    };
    let (counted, ()) = futures_util::join!(count, actix_web::rt::time::sleep(wait));
    counted.err().unwrap_or_else(invalid_credentials)
}

/// Counts a wrong password against `account`, locking it at the policy's threshold; the
/// failure (as `kind`) and any lock are audited. Commits even though the caller answers 401.
pub(crate) async fn record_failure(
    state: &AppState,
    account: Account,
    kind: AuditKind,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let policy = state.lockout_policy();
    if account.disabled || account.failures.is_locked(now) {
        return Ok(());
    }
    let id = account.id;
    state
        .db
        .write(move |conn| {
            // Count from the stored counters, read under a lock, not from the copy read before
            // hashing: concurrent failures would otherwise each write "one more" over the same
            // count, and a burst of guesses would never reach the lock.
            let Some(current) = accounts::failures_for_update(conn, id)? else {
                return Ok(());
            };
            if current.is_locked(now) {
                return Ok(());
            }
            let (failures, locked) = current.after_failure(&policy, now);
            accounts::set_failures(conn, id, &failures)?;
            // A locking failure resets the stored count; the event says how many led to it.
            let counted = if locked {
                policy.threshold
            } else {
                failures.count
            };
            audit::record(
                conn,
                kind,
                None,
                Some(id),
                json!({"failures": counted}),
                now,
            )?;
            if locked {
                let until = failures.locked_until.map(|t| t.to_rfc3339());
                audit::record(
                    conn,
                    AuditKind::AccountLocked,
                    None,
                    Some(id),
                    json!({"locked_until": until}),
                    now,
                )?;
            }
            Ok(())
        })
        .await
}

/// Starts a session after a right password; `None` when the account was locked meanwhile (the
/// lock is read again under the account's row lock, so no guess of a burst gets past it).
async fn succeed(
    state: &AppState,
    account: Account,
    rehash: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<IssuedTokens>, ApiError> {
    if account.temporary_password_expired(now) {
        return Err(ApiError::new(
            Code::TemporaryPasswordExpired,
            "This temporary password has expired. Ask the service desk for a new one.",
        ));
    }
    let keys = state.tokens.clone();
    state
        .db
        .write(move |conn| {
            let current = accounts::failures_for_update(conn, account.id)?;
            if current.is_none_or(|f| f.is_locked(now)) {
                return Ok(None);
            }
            if let Some(hash) = rehash {
                accounts::upgrade_hash(conn, account.id, &hash)?;
            }
            accounts::set_failures(conn, account.id, &LoginFailures::default())?;
            audit::record(
                conn,
                AuditKind::SignIn,
                Some(account.id),
                Some(account.id),
                json!({}),
                now,
            )?;
            Ok(Some(start_session(conn, &keys, &account, now)?))
        })
        .await
}

/// The result of presenting a refresh token.
#[derive(Debug)]
pub enum Refreshed {
    /// A new pair in the same session.
    Rotated(IssuedTokens),
    /// Unknown, expired, or its session or account is gone.
    Refused,
    /// Already used: the whole session was ended.
    Reused,
}

/// Exchanges a refresh token for a new pair. Call in a write transaction, and commit even when
/// the answer is a refusal (a reuse ends the session).
pub fn refresh(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<Refreshed, ApiError> {
    let hash = tokens::token_hash(refresh_token);
    let Some(token) = sessions::find_refresh_token(conn, &hash)? else {
        return Ok(Refreshed::Refused);
    };
    let Some(session) = sessions::find(conn, token.session_id)? else {
        return Ok(Refreshed::Refused);
    };
    if token.used_at.is_some() || !sessions::use_refresh_token(conn, &hash, now)? {
        if session.revoked_at.is_none() {
            sessions::revoke(conn, session.id, "refresh_token_reuse", now)?;
            let details = json!({"session_id": session.id.to_string()});
            audit::record(
                conn,
                AuditKind::RefreshTokenReused,
                None,
                Some(session.account_id),
                details,
                now,
            )?;
        }
        return Ok(Refreshed::Reused);
    }
    if now >= token.expires_at || !session.is_live(now) {
        return Ok(Refreshed::Refused);
    }
    let Some(account) = accounts::find(conn, session.account_id)?.filter(|a| !a.disabled) else {
        return Ok(Refreshed::Refused);
    };
    if account.temporary_password_expired(now) {
        return Ok(Refreshed::Refused);
    }
    Ok(Refreshed::Rotated(issue(
        conn,
        keys,
        &account,
        session.id,
        session.expires_at,
        now,
    )?))
}

/// Ends the caller's session.
pub fn logout(
    conn: &mut DbConnection,
    account_id: AccountId,
    session_id: Option<SessionId>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(session_id) = session_id else {
        // A machine client's token has no session to end.
        return Ok(());
    };
    sessions::revoke(conn, session_id, "signed_out", now)?;
    audit::record(
        conn,
        AuditKind::SignedOut,
        Some(account_id),
        Some(account_id),
        json!({"session_id": session_id.to_string()}),
        now,
    )?;
    Ok(())
}
