//! Machine clients: admins create, list, rotate and revoke an integrator's OAuth 2.0 client;
//! the client exchanges its credentials for a short-lived access token (client-credentials
//! grant, RFC 6749 §4.4).
//!
//! Each client is backed by a service account: role employer, the client's department (none
//! for a state-wide client), no username, email or password, so it cannot sign in. Use cases
//! see it as an ordinary employer and the audit log names it as actor. Secrets are 256 random
//! bits (`msk_` + base64url), stored as SHA-256 hashes: a fast hash suffices for a secret with
//! that much entropy (nothing to guess), as for refresh tokens, and keeps the token endpoint
//! cheap. Rotation adds a new secret and gives the others an expiry, so both work meanwhile.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use merit_domain::{
    account::{PersonName, Role},
    api_client::Permissions,
    ids::{AccountId, ApiClientId, EntityId},
    reference::DepartmentCode,
};
use merit_persistence::{
    DbConnection, Page, PageRequest, accounts,
    api_clients::{self, ApiClient, ClientSecret},
    reference,
};
use serde_json::json;

use crate::{
    auth::{
        AuthUser,
        tokens::{ACCESS_TTL, TokenKeys, random_token, token_hash},
    },
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// The prefix of client secrets (lets secret scanners recognise a leaked one).
pub const SECRET_PREFIX: &str = "msk_";
/// How long the previous secrets keep working after a rotation, unless the admin says.
pub const DEFAULT_OVERLAP: TimeDelta = TimeDelta::hours(24);
/// The longest overlap an admin may give.
pub const MAX_OVERLAP: TimeDelta = TimeDelta::days(30);

/// What an admin creates.
#[derive(Debug, Clone)]
pub struct ClientDraft {
    /// The integrator's name for the client.
    pub name: String,
    /// Its department; `None` for state-wide.
    pub department: Option<DepartmentCode>,
    /// Its permissions (not empty).
    pub permissions: Permissions,
}

/// A client with the secrets that work now.
#[derive(Debug, Clone)]
pub struct ClientView {
    /// The client.
    pub client: ApiClient,
    /// Its working secrets (never the secrets themselves).
    pub secrets: Vec<ClientSecret>,
}

fn not_found() -> ApiError {
    ApiError::not_found("API client")
}

fn admin_only(user: &AuthUser) -> Result<(), ApiError> {
    if user.has(Role::Admin) && user.client.is_none() {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::Forbidden,
            "Only admins manage API clients.",
        ))
    }
}

fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", random_token())
}

fn view(
    conn: &mut DbConnection,
    client: ApiClient,
    now: DateTime<Utc>,
) -> Result<ClientView, ApiError> {
    let secrets = if client.revoked_at.is_some() {
        Vec::new()
    } else {
        api_clients::live_secrets(conn, client.id, now)?
    };
    Ok(ClientView { client, secrets })
}

/// Creates a client and its service account (admins). Returns the client and its secret,
/// which is shown this once.
pub fn create(
    conn: &mut DbConnection,
    user: &AuthUser,
    draft: ClientDraft,
    now: DateTime<Utc>,
) -> Result<(ClientView, String), ApiError> {
    admin_only(user)?;
    let now = micros(now);
    if let Some(code) = &draft.department
        && reference::find_department(conn, code.as_str())?.is_none()
    {
        return Err(ApiError::invalid(
            "department_code",
            "unknown_department",
            format!("No department has the code {code}."),
        ));
    }
    let account_id = AccountId::from_uuid(uuid::Uuid::now_v7());
    let first = PersonName::parse("API client").map_err(ApiError::internal)?;
    let last = PersonName::parse(&draft.name)
        .map_err(|_| ApiError::invalid("name", "invalid_name", "The name is not a valid name."))?;
    accounts::insert(
        conn,
        &accounts::NewAccount {
            id: account_id,
            username: None,
            email: None,
            employee_id: None,
            first_name: &first,
            last_name: &last,
            password_hash: None,
            temporary_password_expires_at: None,
            department: draft.department.as_ref(),
            office: None,
            roles: &[Role::Employer],
        },
        now,
    )?;
    let client = ApiClient {
        id: ApiClientId::from_uuid(uuid::Uuid::now_v7()),
        name: draft.name,
        department: draft.department.map(|d| d.as_str().to_owned()),
        permissions: draft.permissions.to_string(),
        account_id,
        created_at: now,
        created_by: user.id(),
        updated_at: now,
        revoked_at: None,
        revoked_by: None,
    };
    api_clients::insert(conn, &client)?;
    let secret = new_secret();
    api_clients::insert_secret(
        conn,
        client.id,
        &uuid::Uuid::now_v7().to_string(),
        &token_hash(&secret),
        now,
    )?;
    audit::record(
        conn,
        AuditKind::ApiClientCreated,
        Some(user.id()),
        Some(account_id),
        json!({
            "client_id": client.id.to_string(),
            "department_code": client.department,
            "permissions": client.permissions,
        }),
        now,
    )?;
    Ok((view(conn, client, now)?, secret))
}

/// A page of every client, oldest first (admins).
pub fn list(
    conn: &mut DbConnection,
    user: &AuthUser,
    page: PageRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Page<ClientView>, ApiError> {
    admin_only(user)?;
    let found = api_clients::all(conn, page)?;
    let mut items = Vec::with_capacity(found.items.len());
    for client in found.items {
        items.push(view(conn, client, now)?);
    }
    Ok(Page {
        items,
        has_more: found.has_more,
    })
}

/// One client (admins).
pub fn get(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApiClientId,
    now: DateTime<Utc>,
) -> Result<ClientView, ApiError> {
    admin_only(user)?;
    let client = api_clients::find(conn, id)?.ok_or_else(not_found)?;
    view(conn, client, now)
}

/// Gives a client a new secret (admins); its other secrets keep working until
/// `previous_expires_at` (default: [`DEFAULT_OVERLAP`] from now; at most [`MAX_OVERLAP`]; now
/// ends them at once). A revoked client is 409 `api_client_revoked`.
pub fn rotate(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApiClientId,
    previous_expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(ClientView, String), ApiError> {
    admin_only(user)?;
    let now = micros(now);
    let client = api_clients::find(conn, id)?.ok_or_else(not_found)?;
    if client.revoked_at.is_some() {
        return Err(ApiError::new(
            Code::ApiClientRevoked,
            "The client was revoked; create a new one.",
        ));
    }
    let until = micros(previous_expires_at.unwrap_or(now + DEFAULT_OVERLAP));
    if until < now || until > now + MAX_OVERLAP {
        return Err(ApiError::invalid(
            "previous_secret_expires_at",
            "out_of_range",
            "The previous secrets may keep working from now up to 30 days.",
        ));
    }
    api_clients::expire_secrets(conn, id, until)?;
    let secret = new_secret();
    api_clients::insert_secret(
        conn,
        id,
        &uuid::Uuid::now_v7().to_string(),
        &token_hash(&secret),
        now,
    )?;
    audit::record(
        conn,
        AuditKind::ApiClientSecretRotated,
        Some(user.id()),
        Some(client.account_id),
        json!({
            "client_id": id.to_string(),
            "previous_secret_expires_at": until.to_rfc3339(),
        }),
        now,
    )?;
    Ok((view(conn, client, now)?, secret))
}

/// Revokes a client (admins): its secrets stop working and so do its tokens, at their next
/// request; its service account is disabled. Again changes nothing.
pub fn revoke(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: ApiClientId,
    now: DateTime<Utc>,
) -> Result<ClientView, ApiError> {
    admin_only(user)?;
    let now = micros(now);
    let client = api_clients::find(conn, id)?.ok_or_else(not_found)?;
    if client.revoked_at.is_some() {
        return view(conn, client, now);
    }
    api_clients::revoke(conn, id, user.id(), now)?;
    accounts::set_disabled(conn, client.account_id, true, now)?;
    audit::record(
        conn,
        AuditKind::ApiClientRevoked,
        Some(user.id()),
        Some(client.account_id),
        json!({"client_id": id.to_string()}),
        now,
    )?;
    let client = api_clients::find(conn, id)?.ok_or_else(not_found)?;
    view(conn, client, now)
}

/// Why a token request was refused (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantError {
    /// Unknown client, wrong or expired secret, or a revoked client.
    InvalidClient,
    /// The requested scope names an unknown permission or one the client lacks.
    InvalidScope(String),
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The token.
    pub access_token: String,
    /// Seconds it lives.
    pub expires_in: i64,
    /// The permissions it grants.
    pub scope: Permissions,
}

/// The client-credentials grant: checks the client's id and secret and the requested scope
/// (by default every permission of the client), and issues an access token.
pub fn grant(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    client_id: &str,
    secret: &str,
    scope: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<Grant, GrantError>, ApiError> {
    let Ok(id) = client_id.parse::<ApiClientId>() else {
        return Ok(Err(GrantError::InvalidClient));
    };
    let Some(client) = api_clients::find(conn, id)? else {
        return Ok(Err(GrantError::InvalidClient));
    };
    if client.revoked_at.is_some() {
        return Ok(Err(GrantError::InvalidClient));
    }
    let presented = token_hash(secret);
    let known = api_clients::live_secret_hashes(conn, id, now)?;
    // Hashes of 256-bit secrets: comparing them leaks nothing usable, but compare in constant
    // time anyway.
    let matches = known.iter().fold(false, |found, hash| {
        found | constant_time_eq(hash.as_bytes(), presented.as_bytes())
    });
    if !matches {
        return Ok(Err(GrantError::InvalidClient));
    }
    let granted = Permissions::parse(&client.permissions).unwrap_or_default();
    let scope = match scope {
        None => granted.clone(),
        Some(asked) => match Permissions::parse(asked) {
            Ok(asked) if asked.is_empty() => granted.clone(),
            Ok(asked) if asked.is_granted_by(&granted) => asked,
            Ok(_) => {
                return Ok(Err(GrantError::InvalidScope(
                    "The scope asks for a permission the client does not hold.".into(),
                )));
            }
            Err(unknown) => {
                return Ok(Err(GrantError::InvalidScope(format!(
                    "The scope names an unknown permission ({}).",
                    unknown.0
                ))));
            }
        },
    };
    let access_token =
        keys.issue_for_client(client.account_id, &id.to_string(), &scope.to_string(), now);
    audit::record(
        conn,
        AuditKind::ApiClientTokenIssued,
        Some(client.account_id),
        None,
        json!({"client_id": id.to_string(), "scope": scope.to_string()}),
        now,
    )?;
    Ok(Ok(Grant {
        access_token,
        expires_in: ACCESS_TTL.num_seconds(),
        scope,
    }))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
