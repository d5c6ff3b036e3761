//! Single-use tokens sent by email: verify an address, reset or set a password.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::AccountId;

use crate::{
    DbConnection,
    error::{RepoResult, parse_id},
    schema::one_time_tokens,
    time::{naive, utc},
};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Proves the account's email address.
    EmailVerification,
    /// Resets a forgotten password.
    PasswordReset,
    /// Sets the first password of an activated employee.
    SetPassword,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::EmailVerification => "email_verification",
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::SetPassword => "set_password",
        }
    }
}

/// A stored, still unused token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeToken {
    /// Whose it is.
    pub account_id: AccountId,
    /// The address the link was sent to.
    pub sent_to: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Stores a new token and invalidates the account's earlier unused ones of the same purpose,
/// so only the latest link works.
pub fn issue(
    conn: &mut DbConnection,
    token_hash: &str,
    account_id: AccountId,
    purpose: TokenPurpose,
    sent_to: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::account_id.eq(account_id.to_string()))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(naive(now)))
    .execute(conn)?;
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::token_hash.eq(token_hash),
            one_time_tokens::account_id.eq(account_id.to_string()),
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::sent_to.eq(sent_to),
            one_time_tokens::created_at.eq(naive(now)),
            one_time_tokens::expires_at.eq(naive(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A token that exists for one of `purposes`, is unused and has not expired at `now`, without
/// using it.
pub fn peek(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[TokenPurpose],
    now: DateTime<Utc>,
) -> RepoResult<Option<(OneTimeToken, TokenPurpose)>> {
    let names: Vec<&str> = purposes.iter().map(|p| p.as_str()).collect();
    let row: Option<(String, String, String, NaiveDateTime)> = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq_any(names))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(naive(now)))
        .select((
            one_time_tokens::account_id,
            one_time_tokens::purpose,
            one_time_tokens::sent_to,
            one_time_tokens::expires_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(account_id, purpose, sent_to, expires_at)| {
        let purpose = purposes
            .iter()
            .copied()
            .find(|p| p.as_str() == purpose)
            .unwrap_or(TokenPurpose::PasswordReset);
        Ok((
            OneTimeToken {
                account_id: parse_id("one_time_tokens", &account_id)?,
                sent_to,
                expires_at: utc(expires_at),
            },
            purpose,
        ))
    })
    .transpose()
}

/// Uses a token: returns it when it exists for one of `purposes`, is unused and has not
/// expired at `now`, and marks it used in the same statement so it works only once.
pub fn consume(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[TokenPurpose],
    now: DateTime<Utc>,
) -> RepoResult<Option<(OneTimeToken, TokenPurpose)>> {
    let Some(found) = peek(conn, token_hash, purposes, now)? else {
        return Ok(None);
    };
    let used = diesel::update(
        one_time_tokens::table
            .find(token_hash)
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(naive(now)))
    .execute(conn)?;
    Ok((used == 1).then_some(found))
}
