//! Machine clients (`/api/v1/admin/api-clients`): admins create an integrator's OAuth 2.0
//! client (its secret shown once), list and read them, rotate the secret with an overlap and
//! revoke them.

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::{DateTime, Utc};
use merit_domain::{
    api_client::{self as domain, Permissions},
    ids::ApiClientId,
    reference::DepartmentCode,
};
use merit_persistence::api_clients::ClientSecret;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Admin,
    error::ApiError,
    extract::{Json, PathId, Query},
    openapi::{Conflict, NotFound},
    paging::{PageResponse, Paging},
    routes::{strings::DepartmentCodeValue, text::Line},
    services::api_clients::{self as service, ClientDraft, ClientView},
    state::AppState,
    validation::Fields,
};

/// A permission of a machine client; also the OAuth scope token that asks for it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum ApiClientPermission {
    /// Read the department's postings, drafts and internal ones included.
    #[serde(rename = "postings:read")]
    PostingsRead,
    /// Create, edit, publish, close and cancel the department's postings (grants
    /// `postings:read`).
    #[serde(rename = "postings:write")]
    PostingsWrite,
    /// Read applications to the department's postings.
    #[serde(rename = "applications:read")]
    ApplicationsRead,
    /// Work applications to the department's postings (grants `applications:read`).
    #[serde(rename = "applications:write")]
    ApplicationsWrite,
    /// Manage the client's webhook endpoints.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl From<ApiClientPermission> for domain::Permission {
    fn from(p: ApiClientPermission) -> Self {
        match p {
            ApiClientPermission::PostingsRead => domain::Permission::PostingsRead,
            ApiClientPermission::PostingsWrite => domain::Permission::PostingsWrite,
            ApiClientPermission::ApplicationsRead => domain::Permission::ApplicationsRead,
            ApiClientPermission::ApplicationsWrite => domain::Permission::ApplicationsWrite,
            ApiClientPermission::WebhooksManage => domain::Permission::WebhooksManage,
        }
    }
}

impl From<domain::Permission> for ApiClientPermission {
    fn from(p: domain::Permission) -> Self {
        match p {
            domain::Permission::PostingsRead => ApiClientPermission::PostingsRead,
            domain::Permission::PostingsWrite => ApiClientPermission::PostingsWrite,
            domain::Permission::ApplicationsRead => ApiClientPermission::ApplicationsRead,
            domain::Permission::ApplicationsWrite => ApiClientPermission::ApplicationsWrite,
            domain::Permission::WebhooksManage => ApiClientPermission::WebhooksManage,
        }
    }
}

/// A new machine client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientRequest {
    /// What the integration is called (shown to admins and in the audit log).
    pub name: Line<100>,
    /// The department it acts for; `null` or absent: state-wide (reads the public view of
    /// every department's postings; department-bound operations answer 403 `no_department`).
    #[serde(default)]
    pub department_code: Option<DepartmentCodeValue>,
    /// What it may do: one to five permissions.
    #[schema(min_items = 1, max_items = 5)]
    pub permissions: Vec<ApiClientPermission>,
}

/// A secret's lifetime (never the secret).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientSecretInfo {
    /// Opaque id.
    pub id: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working; `null` for the current secret.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A machine client (never its secret).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientResponse {
    /// The client's id: the OAuth `client_id`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its department; `null`: state-wide.
    pub department_code: Option<String>,
    /// What it may do.
    pub permissions: Vec<ApiClientPermission>,
    /// The service account it acts as (the actor of its audit events).
    pub account_id: String,
    /// The secrets that work now, oldest first (two during a rotation's overlap).
    pub secrets: Vec<ApiClientSecretInfo>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The admin who created it.
    pub created_by: String,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A machine client with a secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientCredentials {
    /// The client.
    pub client: ApiClientResponse,
    /// The OAuth `client_id` (the client's id).
    pub client_id: String,
    /// The new secret (`msk_` and 43 characters). It is shown only now; Merit keeps a hash.
    pub client_secret: String,
}

/// A rotation of a client's secret.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientRotation {
    /// Until when the secrets in use keep working: from now (ends them at once) up to 30
    /// days ahead (422 `out_of_range`); 24 hours from now when absent.
    #[serde(default)]
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
}

/// An API client list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApiClientListQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

impl ApiClientRequest {
    fn parse(self) -> Result<ClientDraft, ApiError> {
        let mut fields = Fields::new();
        let name = self.name.check(&mut fields, "name");
        let department = match &self.department_code {
            Some(code) => fields
                .check(
                    "department_code",
                    "invalid_code",
                    DepartmentCode::parse(code),
                )
                .map(Some),
            None => Some(None),
        };
        if self.permissions.is_empty() || self.permissions.len() > 5 {
            fields.push(
                "permissions",
                "invalid_permissions",
                "Give one to five permissions.",
            );
        }
        let permissions = Permissions::of(self.permissions.iter().map(|p| (*p).into()));
        let draft = match (name, department) {
            (Some(name), Some(department)) => Some(ClientDraft {
                name,
                department,
                permissions,
            }),
            _ => None,
        };
        fields.into_result(draft)
    }
}

fn secret_info(s: ClientSecret) -> ApiClientSecretInfo {
    ApiClientSecretInfo {
        id: s.id,
        created_at: s.created_at,
        expires_at: s.expires_at,
    }
}

impl From<ClientView> for ApiClientResponse {
    fn from(v: ClientView) -> Self {
        let c = v.client;
        ApiClientResponse {
            id: c.id.to_string(),
            name: c.name,
            department_code: c.department,
            permissions: Permissions::parse(&c.permissions)
                .unwrap_or_default()
                .iter()
                .map(Into::into)
                .collect(),
            account_id: c.account_id.to_string(),
            secrets: v.secrets.into_iter().map(secret_info).collect(),
            created_at: c.created_at,
            created_by: c.created_by.to_string(),
            revoked_at: c.revoked_at,
        }
    }
}

fn credentials(view: ClientView, secret: String) -> ApiClientCredentials {
    ApiClientCredentials {
        client_id: view.client.id.to_string(),
        client: view.into(),
        client_secret: secret,
    }
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Create an API client
///
/// Admins only. A machine client for an integrator: a department (or state-wide) and
/// permissions. The answer carries the client secret, shown this once (Merit keeps only a
/// hash); the client exchanges it at `POST /api/v1/auth/token` for access tokens.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = ApiClientRequest,
    responses(
        (status = 201, description = "The client and its secret.", body = ApiClientCredentials, headers(
            ("Location" = String, description = "The client's URL."),
        )),
    )
)]
#[post("/admin/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    Admin(user): Admin,
    Json(body): Json<ApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.parse()?;
    let now = state.clock.now();
    let (view, secret) = state
        .db
        .write(move |conn| service::create(conn, &user, draft, now))
        .await?;
    let location = format!("/api/v1/admin/api-clients/{}", view.client.id);
    Ok(no_store(
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(credentials(view, secret)),
    ))
}

/// List API clients
///
/// Admins only. Every machine client, oldest first, revoked ones included; never a secret.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ApiClientListQuery),
    responses((status = 200, description = "A page of clients.", body = PageResponse<ApiClientResponse>))
)]
#[get("/admin/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    Admin(user): Admin,
    Query(query): Query<ApiClientListQuery>,
) -> Result<web::Json<PageResponse<ApiClientResponse>>, ApiError> {
    let paging = Paging::parse("api-clients", query.limit, query.cursor.as_deref())?
        .keyed(merit_persistence::api_clients::is_list_key)?;
    let now = state.clock.now();
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, &user, page, now),
            |v| merit_persistence::api_clients::list_key(&v.client),
            ApiClientResponse::from,
        )
        .await
}

/// Read an API client
///
/// Admins only. Never the secret.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's id.")),
    responses(
        (status = 200, description = "The client.", body = ApiClientResponse),
        (status = 404, response = NotFound),
    )
)]
#[get("/admin/api-clients/{id}")]
pub async fn get_api_client(
    state: web::Data<AppState>,
    Admin(user): Admin,
    PathId(id): PathId<ApiClientId>,
) -> Result<web::Json<ApiClientResponse>, ApiError> {
    let now = state.clock.now();
    let view = state
        .db
        .read(move |conn| service::get(conn, &user, id, now))
        .await?;
    Ok(web::Json(view.into()))
}

/// Rotate an API client's secret
///
/// Admins only. Makes a new secret (shown this once) and lets the secrets in use keep working
/// until `previous_secret_expires_at` (24 hours by default), so the integrator can switch
/// without downtime. A revoked client is 409 `api_client_revoked`.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's id.")),
    request_body = ApiClientRotation,
    responses(
        (status = 200, description = "The client and its new secret.", body = ApiClientCredentials),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/api-clients/{id}/secret-rotations")]
pub async fn rotate_api_client_secret(
    state: web::Data<AppState>,
    Admin(user): Admin,
    PathId(id): PathId<ApiClientId>,
    Json(body): Json<ApiClientRotation>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let until = body.previous_secret_expires_at;
    let (view, secret) = state
        .db
        .write(move |conn| service::rotate(conn, &user, id, until, now))
        .await?;
    Ok(no_store(HttpResponse::Ok().json(credentials(view, secret))))
}

/// Revoke an API client
///
/// Admins only. Its secrets stop working, and so do the access tokens it holds, at their next
/// request. Revoking again changes nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The client's id.")),
    responses(
        (status = 200, description = "The revoked client.", body = ApiClientResponse),
        (status = 404, response = NotFound),
    )
)]
#[post("/admin/api-clients/{id}/revoke")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    Admin(user): Admin,
    PathId(id): PathId<ApiClientId>,
) -> Result<web::Json<ApiClientResponse>, ApiError> {
    let now = state.clock.now();
    let view = state
        .db
        .write(move |conn| service::revoke(conn, &user, id, now))
        .await?;
    Ok(web::Json(view.into()))
}
