//! Machine clients (OAuth 2.0 client credentials) and their hashed secrets.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use merit_domain::ids::{AccountId, ApiClientId};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult, parse_id},
    paging::{Page, PageRequest},
    schema::{api_client_secrets, api_clients},
    time::{naive, utc},
};

fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::InvalidRow {
        table: "api_clients",
        reason: format!("{what}: {value}"),
    }
}

/// A machine client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    /// Its id (the OAuth `client_id`).
    pub id: ApiClientId,
    /// What the admin called it.
    pub name: String,
    /// Its department; `None` for a state-wide client.
    pub department: Option<String>,
    /// Its permissions as a canonical scope string.
    pub permissions: String,
    /// The service account it acts as.
    pub account_id: AccountId,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The admin who created it.
    pub created_by: AccountId,
    /// The last change.
    pub updated_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The admin who revoked it.
    pub revoked_by: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
struct ClientRow {
    id: String,
    name: String,
    department_code: Option<String>,
    permissions: String,
    account_id: String,
    created_at: NaiveDateTime,
    created_by: String,
    updated_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revoked_by: Option<String>,
}

impl From<&ApiClient> for ClientRow {
    fn from(c: &ApiClient) -> Self {
        ClientRow {
            id: c.id.to_string(),
            name: c.name.clone(),
            department_code: c.department.clone(),
            permissions: c.permissions.clone(),
            account_id: c.account_id.to_string(),
            created_at: naive(c.created_at),
            created_by: c.created_by.to_string(),
            updated_at: naive(c.updated_at),
            revoked_at: c.revoked_at.map(naive),
            revoked_by: c.revoked_by.clone(),
        }
    }
}

impl TryFrom<ClientRow> for ApiClient {
    type Error = RepoError;

    fn try_from(row: ClientRow) -> RepoResult<Self> {
        Ok(ApiClient {
            id: row.id.parse().map_err(|_| corrupt("id", &row.id))?,
            name: row.name,
            department: row.department_code,
            permissions: row.permissions,
            account_id: parse_id("api_clients", &row.account_id)?,
            created_at: utc(row.created_at),
            created_by: parse_id("api_clients", &row.created_by)?,
            updated_at: utc(row.updated_at),
            revoked_at: row.revoked_at.map(utc),
            revoked_by: row.revoked_by,
        })
    }
}

/// A secret of a client (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSecret {
    /// Its id.
    pub id: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working; `None` for the current secret.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores a new client.
pub fn insert(conn: &mut DbConnection, client: &ApiClient) -> RepoResult<()> {
    diesel::insert_into(api_clients::table)
        .values(ClientRow::from(client))
        .execute(conn)?;
    Ok(())
}

/// Stores a new current secret (its SHA-256 hash) of `client`.
pub fn insert_secret(
    conn: &mut DbConnection,
    client: ApiClientId,
    id: &str,
    secret_hash: &str,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(api_client_secrets::table)
        .values((
            api_client_secrets::id.eq(id),
            api_client_secrets::client_id.eq(client.to_string()),
            api_client_secrets::secret_hash.eq(secret_hash),
            api_client_secrets::created_at.eq(naive(now)),
            api_client_secrets::expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Makes every secret of `client` that works past `at` stop working at `at` (rotation: the
/// secrets in use keep working until then).
pub fn expire_secrets(
    conn: &mut DbConnection,
    client: ApiClientId,
    at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(
        api_client_secrets::table
            .filter(api_client_secrets::client_id.eq(client.to_string()))
            .filter(
                api_client_secrets::expires_at
                    .is_null()
                    .or(api_client_secrets::expires_at.gt(naive(at))),
            ),
    )
    .set(api_client_secrets::expires_at.eq(Some(naive(at))))
    .execute(conn)?;
    Ok(())
}

/// The secrets of `client` that work at `now`, oldest first.
pub fn live_secrets(
    conn: &mut DbConnection,
    client: ApiClientId,
    now: DateTime<Utc>,
) -> RepoResult<Vec<ClientSecret>> {
    let rows: Vec<(String, NaiveDateTime, Option<NaiveDateTime>)> = api_client_secrets::table
        .filter(api_client_secrets::client_id.eq(client.to_string()))
        .filter(
            api_client_secrets::expires_at
                .is_null()
                .or(api_client_secrets::expires_at.gt(naive(now))),
        )
        .order((
            api_client_secrets::created_at.asc(),
            api_client_secrets::id.asc(),
        ))
        .select((
            api_client_secrets::id,
            api_client_secrets::created_at,
            api_client_secrets::expires_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, created_at, expires_at)| ClientSecret {
            id,
            created_at: utc(created_at),
            expires_at: expires_at.map(utc),
        })
        .collect())
}

/// The hashes of the secrets of `client` that work at `now`.
pub fn live_secret_hashes(
    conn: &mut DbConnection,
    client: ApiClientId,
    now: DateTime<Utc>,
) -> RepoResult<Vec<String>> {
    Ok(api_client_secrets::table
        .filter(api_client_secrets::client_id.eq(client.to_string()))
        .filter(
            api_client_secrets::expires_at
                .is_null()
                .or(api_client_secrets::expires_at.gt(naive(now))),
        )
        .select(api_client_secrets::secret_hash)
        .load(conn)?)
}

/// Whether an account is a machine client's service account.
pub fn is_service_account(conn: &mut DbConnection, account_id: AccountId) -> RepoResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        api_clients::table.filter(api_clients::account_id.eq(account_id.to_string())),
    ))
    .get_result(conn)?)
}

/// One client.
pub fn find(conn: &mut DbConnection, id: ApiClientId) -> RepoResult<Option<ApiClient>> {
    api_clients::table
        .find(id.to_string())
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .map(ApiClient::try_from)
        .transpose()
}

/// Marks a client revoked.
pub fn revoke(
    conn: &mut DbConnection,
    id: ApiClientId,
    by: AccountId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(api_clients::table.find(id.to_string()))
        .set((
            api_clients::revoked_at.eq(Some(naive(now))),
            api_clients::revoked_by.eq(Some(by.to_string())),
            api_clients::updated_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The sort key of a client in the list (creation, then id).
pub fn list_key(c: &ApiClient) -> String {
    format!("{}_{}", c.created_at.timestamp_micros(), c.id)
}

/// Whether `key` is a key [`list_key`] could have made.
pub fn is_list_key(key: &str) -> bool {
    parse_key(key).is_some_and(|(_, id)| id.parse::<ApiClientId>().is_ok())
}

fn parse_key(key: &str) -> Option<(NaiveDateTime, String)> {
    let (micros, id) = key.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    Some((naive(at), id.to_owned()))
}

/// A page of every client, oldest first.
pub fn all(conn: &mut DbConnection, page: PageRequest<'_>) -> RepoResult<Page<ApiClient>> {
    let mut query = api_clients::table
        .select(ClientRow::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        let (at, id) = parse_key(after).ok_or_else(|| corrupt("cursor", after))?;
        query = query.filter(
            api_clients::created_at
                .gt(at)
                .or(api_clients::created_at.eq(at).and(api_clients::id.gt(id))),
        );
    }
    let rows = query
        .order((api_clients::created_at.asc(), api_clients::id.asc()))
        .limit(page.fetch())
        .load(conn)?;
    let clients = rows
        .into_iter()
        .map(ApiClient::try_from)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(clients, page.limit))
}
