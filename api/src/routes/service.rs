//! Liveness, readiness and metrics.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use secrecy::ExposeSecret;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{
    error::{ApiError, Code},
    openapi::Unauthorized,
    state::AppState,
};

/// The body of health answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct HealthResponse {
    /// `ok` for liveness, `ready` for readiness.
    pub status: HealthStatus,
}

/// What a health answer says.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The process is up.
    Ok,
    /// The process is up and its database answers.
    Ready,
}

/// Liveness
///
/// 200 while the process runs, whatever the state of the database (a restart would not help).
#[utoipa::path(tag = "service", responses((status = 200, description = "The process is up.", body = HealthResponse)))]
#[get("/healthz")]
pub async fn get_healthz() -> web::Json<HealthResponse> {
    web::Json(HealthResponse {
        status: HealthStatus::Ok,
    })
}

/// How long readiness waits for a database connection.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// Readiness
///
/// 200 when the database answers, its migrations are applied, the first admin exists and the
/// search index is loaded;
/// 503 `not_ready` with `Retry-After` until then (at start, while Merit is still reaching the
/// database). It recovers by itself when the database comes back.
#[utoipa::path(tag = "service", responses((status = 200, description = "Ready to serve.", body = HealthResponse)))]
#[get("/readyz")]
pub async fn get_readyz(state: web::Data<AppState>) -> Result<web::Json<HealthResponse>, ApiError> {
    if !state.db.is_migrated() || !state.is_prepared() {
        return Err(ApiError::Unavailable {
            code: Code::NotReady,
            detail: "The database has not been reached and migrated, or the first admin made, yet."
                .into(),
            retry_after: 5,
        });
    }
    if !state.search.is_loaded() {
        return Err(ApiError::Unavailable {
            code: Code::NotReady,
            detail: "The search index is still loading.".into(),
            retry_after: 5,
        });
    }
    let pool = state.db.pool().clone();
    let reachable = web::block(move || {
        pool.get_timeout(READINESS_TIMEOUT)
            .ok()
            .is_some_and(|mut conn| merit_persistence::db::ping(&mut conn).is_ok())
    })
    .await
    .map_err(ApiError::internal)?;
    if reachable {
        Ok(web::Json(HealthResponse {
            status: HealthStatus::Ready,
        }))
    } else {
        Err(ApiError::Unavailable {
            code: Code::NotReady,
            detail: "The database cannot be reached.".into(),
            retry_after: 5,
        })
    }
}

/// Metrics
///
/// Prometheus text format: request counts and latency histograms by route, method and status,
/// and the search index's size and lag. When `MERIT_METRICS_TOKEN` is set, only requests with
/// `Authorization: Bearer <that token>` are answered; others get 401 `unauthenticated`.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Prometheus metrics.", content_type = "text/plain; version=0.0.4", body = String),
        (status = 401, response = Unauthorized),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = &state.settings.metrics_token {
        check_metrics_token(&req, token.expose_secret())?;
    }
    state.search.observe_metrics();
    let text = prometheus::TextEncoder::new()
        .encode_to_string(&state.metrics.gather())
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}

/// Whether `req` carries `Authorization: Bearer <expected>`. The digests are compared, so the
/// time taken says nothing about how much of the token was right.
fn check_metrics_token(req: &HttpRequest, expected: &str) -> Result<(), ApiError> {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match given {
        Some(token) if Sha256::digest(token) == Sha256::digest(expected.trim()) => Ok(()),
        _ => Err(ApiError::new(
            Code::Unauthenticated,
            "Send Authorization: Bearer <the metrics token>.",
        )),
    }
}
