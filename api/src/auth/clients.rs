//! Machine clients as callers: which operations their permissions open, their per-client rate
//! limit with the IETF `RateLimit-Policy` / `RateLimit` headers, and the audit of their writes.
//!
//! A client's access token names its service account (`sub`) and the client (`client_id`).
//! The account is an employer of the client's department, so every existing use case treats the
//! client as that department's employer. What a client may call is narrower than what an
//! employer may: [`CLIENT_OPERATIONS`] lists every operation open to clients with the permission
//! it needs; any other operation answers 403 `insufficient_scope` (deny by default).

use std::{num::NonZeroU32, time::Duration};

use actix_web::{
    HttpMessage, HttpRequest,
    body::BoxBody,
    dev::ServiceResponse,
    http::{
        Method,
        header::{HeaderName, HeaderValue},
    },
    web,
};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
};
use merit_domain::{
    api_client::{Permission, Permissions},
    ids::{AccountId, ApiClientId},
    reference::DepartmentCode,
};

use serde_json::json;

use crate::{
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
    state::AppState,
};

/// The machine client behind a request.
#[derive(Debug, Clone)]
pub struct ClientCaller {
    /// The client.
    pub id: ApiClientId,
    /// What the token grants: its scope, narrowed to the client's permissions now.
    pub permissions: Permissions,
    /// The client's department (`None`: state-wide).
    pub department: Option<DepartmentCode>,
}

/// Every operation open to machine clients (method, route pattern) and the permission it needs.
/// An operation missing here is refused to every client (403 `insufficient_scope`).
pub const CLIENT_OPERATIONS: &[(&str, &str, Permission)] = &[
    ("GET", "/api/v1/postings", Permission::PostingsRead),
    ("GET", "/api/v1/postings/{id}", Permission::PostingsRead),
    (
        "GET",
        "/api/v1/departments/{code}/postings",
        Permission::PostingsRead,
    ),
    ("POST", "/api/v1/postings", Permission::PostingsWrite),
    ("PATCH", "/api/v1/postings/{id}", Permission::PostingsWrite),
    (
        "POST",
        "/api/v1/postings/{id}/publish",
        Permission::PostingsWrite,
    ),
    (
        "POST",
        "/api/v1/postings/{id}/close",
        Permission::PostingsWrite,
    ),
    (
        "POST",
        "/api/v1/postings/{id}/cancel",
        Permission::PostingsWrite,
    ),
    (
        "GET",
        "/api/v1/postings/{id}/applications",
        Permission::ApplicationsRead,
    ),
    (
        "GET",
        "/api/v1/applications/{id}",
        Permission::ApplicationsRead,
    ),
    (
        "GET",
        "/api/v1/applications/{id}/documents/{document_id}/content",
        Permission::ApplicationsRead,
    ),
    (
        "GET",
        "/api/v1/departments/{code}/application-stages",
        Permission::ApplicationsRead,
    ),
    (
        "POST",
        "/api/v1/applications/{id}/status",
        Permission::ApplicationsWrite,
    ),
    (
        "POST",
        "/api/v1/application-status-changes",
        Permission::ApplicationsWrite,
    ),
    (
        "POST",
        "/api/v1/postings/{id}/fill",
        Permission::ApplicationsWrite,
    ),
    (
        "GET",
        "/api/v1/webhook-endpoints",
        Permission::WebhooksManage,
    ),
    (
        "POST",
        "/api/v1/webhook-endpoints",
        Permission::WebhooksManage,
    ),
    (
        "GET",
        "/api/v1/webhook-endpoints/{endpoint_id}",
        Permission::WebhooksManage,
    ),
    (
        "PUT",
        "/api/v1/webhook-endpoints/{endpoint_id}",
        Permission::WebhooksManage,
    ),
    (
        "DELETE",
        "/api/v1/webhook-endpoints/{endpoint_id}",
        Permission::WebhooksManage,
    ),
    (
        "POST",
        "/api/v1/webhook-endpoints/{endpoint_id}/secret-rotations",
        Permission::WebhooksManage,
    ),
    (
        "GET",
        "/api/v1/webhook-endpoints/{endpoint_id}/deliveries",
        Permission::WebhooksManage,
    ),
    (
        "GET",
        "/api/v1/webhook-endpoints/{endpoint_id}/attempts",
        Permission::WebhooksManage,
    ),
    (
        "POST",
        "/api/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
        Permission::WebhooksManage,
    ),
];

/// The permission a client needs for `method` on the route `pattern`; `None` when the
/// operation is not open to clients.
pub fn permission_for(method: &Method, pattern: &str) -> Option<Permission> {
    let method = if *method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    CLIENT_OPERATIONS
        .iter()
        .find(|(m, p, _)| *m == method && *p == pattern)
        .map(|(_, _, permission)| *permission)
}

/// 403 `insufficient_scope` unless `client` may call the operation `req` was routed to.
pub fn check_operation(req: &HttpRequest, client: &ClientCaller) -> Result<(), ApiError> {
    let pattern = req.match_pattern().unwrap_or_default();
    match permission_for(req.method(), &pattern) {
        Some(needed) if client.permissions.allows(needed) => Ok(()),
        Some(needed) => Err(ApiError::new(
            Code::InsufficientScope,
            format!("This needs the {needed} permission, which the access token does not grant."),
        )),
        None => Err(ApiError::new(
            Code::InsufficientScope,
            "Machine clients cannot use this operation.",
        )),
    }
}

type ClientLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// The per-client request limit (in-process, like the other limits: each instance counts for
/// itself).
pub struct ClientRateLimit {
    limiter: ClientLimiter,
    per_minute: u32,
}

impl std::fmt::Debug for ClientRateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRateLimit")
            .field("per_minute", &self.per_minute)
            .finish_non_exhaustive()
    }
}

/// Where a client stands against its limit, for the response headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    /// The quota per window.
    pub quota: u32,
    /// The window in seconds.
    pub window: u64,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the quota is whole again.
    pub reset: u64,
}

const WINDOW: u64 = 60;

impl ClientRateLimit {
    /// A limit of `per_minute` requests per client and minute (at least 1).
    pub fn new(per_minute: u32) -> Self {
        let count = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let period = Duration::from_secs(WINDOW) / count.get();
        let quota = Quota::with_period(period)
            .map_or_else(|| Quota::per_second(count), |q| q.allow_burst(count));
        ClientRateLimit {
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            per_minute: count.get(),
        }
    }

    fn reset_after(&self, remaining: u32) -> u64 {
        let used = u64::from(self.per_minute.saturating_sub(remaining));
        (used * WINDOW).div_ceil(u64::from(self.per_minute))
    }

    /// Counts one request of `client`: its state, or 429 with `Retry-After` (and the state, with
    /// nothing left) over the limit.
    pub fn check(&self, client: ApiClientId) -> (RateState, Result<(), ApiError>) {
        match self.limiter.check_key(&client.to_string()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let state = RateState {
                    quota: self.per_minute,
                    window: WINDOW,
                    remaining,
                    reset: self.reset_after(remaining),
                };
                (state, Ok(()))
            }
            Err(not_until) => {
                let wait = not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    .max(1);
                let state = RateState {
                    quota: self.per_minute,
                    window: WINDOW,
                    remaining: 0,
                    reset: self.reset_after(0),
                };
                (state, Err(ApiError::TooManyRequests { retry_after: wait }))
            }
        }
    }

    /// Forgets clients whose limit has fully recovered.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// The headers of draft-ietf-httpapi-ratelimit-headers for `state`.
pub fn rate_headers(state: RateState) -> [(HeaderName, HeaderValue); 2] {
    let policy = format!("\"default\";q={};w={}", state.quota, state.window);
    let current = format!("\"default\";r={};t={}", state.remaining, state.reset);
    [
        (
            HeaderName::from_static("ratelimit-policy"),
            HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("")),
        ),
        (
            HeaderName::from_static("ratelimit"),
            HeaderValue::from_str(&current).unwrap_or(HeaderValue::from_static("")),
        ),
    ]
}

/// Remembers on the request that a client (acting as `account`) made it and where it stands
/// against its limit.
pub fn note(req: &HttpRequest, client: &ClientCaller, account: AccountId, state: RateState) {
    let mut extensions = req.extensions_mut();
    extensions.insert(client.clone());
    extensions.insert(ClientAccount(account));
    extensions.insert(state);
}

/// Records a client's successful write (any method but GET and HEAD) in the audit log, with
/// the client's service account as actor and the client, operation and status as details.
/// Reads are not audited (they change nothing); a failed write changed nothing either.
pub async fn audit_write(response: &ServiceResponse<BoxBody>, client: &ClientCaller) {
    let req = response.request();
    let method = req.method().clone();
    if method == Method::GET || method == Method::HEAD || !response.status().is_success() {
        return;
    }
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return;
    };
    let Some(actor) = req.extensions().get::<ClientAccount>().map(|a| a.0) else {
        return;
    };
    let details = json!({
        "client_id": client.id.to_string(),
        "method": method.as_str(),
        "operation": req.match_pattern().unwrap_or_default(),
        "path": req.path(),
        "status": response.status().as_u16(),
    });
    let now = state.clock.now();
    let written = state
        .db
        .write(move |conn| {
            audit::record(
                conn,
                AuditKind::ApiClientRequest,
                Some(actor),
                None,
                details,
                now,
            )
            .map_err(ApiError::from)
        })
        .await;
    if let Err(error) = written {
        tracing::error!(%error, "could not audit a machine client's write");
    }
}

/// The service account of the client behind a request.
#[derive(Debug, Clone)]
pub struct ClientAccount(pub AccountId);
