//! Sessions (one per sign-in) and their rotating refresh tokens.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use merit_domain::{
    account::Account,
    ids::{AccountId, SessionId},
};

use crate::{
    DbConnection,
    accounts::{AccountRow, parse_roles},
    error::{RepoError, RepoResult, parse_id},
    roster::{RosterEntry, RosterRow},
    schema::{account_roles, accounts, employee_roster, refresh_tokens, sessions},
    time::{naive, utc},
};

/// A sign-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its id (the `sid` claim of access tokens).
    pub id: SessionId,
    /// Whose it is.
    pub account_id: AccountId,
    /// Its absolute end.
    pub expires_at: DateTime<Utc>,
    /// When it was ended, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    /// Whether the session can still be used at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: String,
    account_id: String,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl TryFrom<SessionRow> for Session {
    type Error = RepoError;

    fn try_from(row: SessionRow) -> RepoResult<Self> {
        let bad = |e: merit_domain::ids::InvalidId| RepoError::InvalidRow {
            table: "sessions",
            reason: e.to_string(),
        };
        Ok(Session {
            id: SessionId::parse(&row.id).map_err(bad)?,
            account_id: AccountId::parse(&row.account_id).map_err(bad)?,
            expires_at: utc(row.expires_at),
            revoked_at: row.revoked_at.map(utc),
        })
    }
}

/// Starts a session.
pub fn create(
    conn: &mut DbConnection,
    id: SessionId,
    account_id: AccountId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id.to_string()),
            sessions::account_id.eq(account_id.to_string()),
            sessions::created_at.eq(naive(now)),
            sessions::last_used_at.eq(naive(now)),
            sessions::expires_at.eq(naive(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A session by id.
pub fn find(conn: &mut DbConnection, id: SessionId) -> RepoResult<Option<Session>> {
    sessions::table
        .find(id.to_string())
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .map(Session::try_from)
        .transpose()
}

/// A session as its owner's data export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// When it began (the sign-in).
    pub created_at: DateTime<Utc>,
    /// When it was last used to refresh.
    pub last_used_at: DateTime<Utc>,
    /// Its absolute end.
    pub expires_at: DateTime<Utc>,
    /// When it was ended, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was ended (`signed_out`, `password_changed`, ...).
    pub revoked_reason: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionRecordRow {
    created_at: NaiveDateTime,
    last_used_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revoked_reason: Option<String>,
}

/// Every session of an account, newest first.
pub fn history(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<Vec<SessionRecord>> {
    let rows: Vec<SessionRecordRow> = sessions::table
        .filter(sessions::account_id.eq(account_id.to_string()))
        .select(SessionRecordRow::as_select())
        .order((sessions::created_at.desc(), sessions::id.desc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| SessionRecord {
            created_at: utc(r.created_at),
            last_used_at: utc(r.last_used_at),
            expires_at: utc(r.expires_at),
            revoked_at: r.revoked_at.map(utc),
            revoked_reason: r.revoked_reason,
        })
        .collect())
}

/// A session with its account, and the account's roster entry if it has an Employee ID.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session.
    pub session: Session,
    /// Whose it is.
    pub account: Account,
    /// The roster entry behind the account's Employee ID, whatever its status.
    pub employee: Option<RosterEntry>,
}

/// Session `id` of account `account_id`, with the account, its roles and its roster entry, in
/// one round trip: every authenticated request starts here.
pub fn signed_in(
    conn: &mut DbConnection,
    id: SessionId,
    account_id: AccountId,
) -> RepoResult<Option<SignedIn>> {
    // One row per role (at least one, the join being a left join), the rest repeated.
    let rows: Vec<(SessionRow, AccountRow, Option<String>, Option<RosterRow>)> = sessions::table
        .inner_join(accounts::table.on(accounts::id.eq(sessions::account_id)))
        .left_join(account_roles::table.on(account_roles::account_id.eq(accounts::id)))
        .left_join(
            employee_roster::table.on(employee_roster::employee_id
                .nullable()
                .eq(accounts::employee_id)),
        )
        .filter(sessions::id.eq(id.to_string()))
        .filter(sessions::account_id.eq(account_id.to_string()))
        .select((
            SessionRow::as_select(),
            AccountRow::as_select(),
            account_roles::role.nullable(),
            Option::<RosterRow>::as_select(),
        ))
        .load(conn)?;
    let roles: Vec<String> = rows
        .iter()
        .filter_map(|(_, _, role, _)| role.clone())
        .collect();
    let Some((session, account, _, roster)) = rows.into_iter().next() else {
        return Ok(None);
    };
    let (account, _) = account.into_account(parse_roles(&roles)?)?;
    Ok(Some(SignedIn {
        session: Session::try_from(session)?,
        account,
        employee: roster.map(RosterEntry::try_from).transpose()?,
    }))
}

/// Ends one session.
pub fn revoke(
    conn: &mut DbConnection,
    id: SessionId,
    reason: &str,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        sessions::table
            .find(id.to_string())
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(naive(now)),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of an account except `keep`; returns how many ended.
pub fn revoke_all(
    conn: &mut DbConnection,
    account_id: AccountId,
    keep: Option<SessionId>,
    reason: &str,
    now: DateTime<Utc>,
) -> RepoResult<usize> {
    let live = sessions::table
        .filter(sessions::account_id.eq(account_id.to_string()))
        .filter(sessions::revoked_at.is_null());
    let ended = match keep {
        Some(keep) => diesel::update(live.filter(sessions::id.ne(keep.to_string())))
            .set((
                sessions::revoked_at.eq(naive(now)),
                sessions::revoked_reason.eq(reason),
            ))
            .execute(conn)?,
        None => diesel::update(live)
            .set((
                sessions::revoked_at.eq(naive(now)),
                sessions::revoked_reason.eq(reason),
            ))
            .execute(conn)?,
    };
    Ok(ended)
}

/// Stores a refresh token (its hash) for a session.
pub fn add_refresh_token(
    conn: &mut DbConnection,
    session_id: SessionId,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session_id.to_string()),
            refresh_tokens::created_at.eq(naive(now)),
            refresh_tokens::expires_at.eq(naive(expires_at)),
        ))
        .execute(conn)?;
    diesel::update(sessions::table.find(session_id.to_string()))
        .set(sessions::last_used_at.eq(naive(now)))
        .execute(conn)?;
    Ok(())
}

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// The session it belongs to.
    pub session_id: SessionId,
    /// When it stops working if unused.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged, if it was (a second use is reuse).
    pub used_at: Option<DateTime<Utc>>,
}

/// Finds a refresh token by its hash.
pub fn find_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> RepoResult<Option<RefreshToken>> {
    let row: Option<(String, NaiveDateTime, Option<NaiveDateTime>)> = refresh_tokens::table
        .find(token_hash)
        .select((
            refresh_tokens::session_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(session_id, expires_at, used_at)| {
        Ok(RefreshToken {
            session_id: parse_id("refresh_tokens", &session_id)?,
            expires_at: utc(expires_at),
            used_at: used_at.map(utc),
        })
    })
    .transpose()
}

/// Marks a refresh token used, unless it already was; true when this call used it. Two
/// concurrent exchanges of one token cannot both succeed.
pub fn use_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let changed = diesel::update(
        refresh_tokens::table
            .find(token_hash)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(naive(now)))
    .execute(conn)?;
    Ok(changed == 1)
}
