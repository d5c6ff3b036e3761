//! Logs and request ids.
//!
//! Every request gets an id (the client's `X-Request-Id` when it is sensible, a new UUIDv7
//! otherwise), a `tracing` span carrying it, one log line when it ends, and the id back in the
//! `X-Request-Id` response header and in every problem body. Spans hold ids, routes and
//! statuses, never query strings, bodies, names, emails, tokens or passwords: see
//! `docs/LOGGING.md`.

use std::time::Instant;

use actix_web::{
    HttpMessage,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    error::InternalError,
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
};
use tracing::{Instrument, field::Empty};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::settings::LogFormat;

/// The request id header.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The request id, also stored in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Accepts a client's id when it is 1 to 128 visible characters from a safe set, so it can be
/// logged and echoed without escaping; otherwise makes a new one.
fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
}

/// The outermost middleware: request id, span, the final log line, and errors that escaped the
/// inner layers rendered as problem responses while the request id is still known.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = request_id_of(&req);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        route = req.match_pattern().as_deref().unwrap_or("unmatched"),
        status = Empty,
        latency_ms = Empty,
        account.id = Empty,
    );
    let started = Instant::now();
    let served = REQUEST_ID.scope(request_id.clone(), async move {
        match next.call(req).await {
            Ok(response) => Ok(response.map_into_boxed_body()),
            // An inner middleware refused the request: render its error here, while the request
            // id is known, and hand actix the finished response.
            Err(error) => Err((
                error.as_response_error().error_response(),
                error.to_string(),
            )),
        }
    });
    let mut outcome = served.instrument(span.clone()).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err((response, _)) => response.status(),
    };
    span.record("status", status.as_u16());
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    span.in_scope(|| match status.as_u16() {
        500.. => tracing::error!("request failed"),
        _ => tracing::info!("request served"),
    });
    let headers = match &mut outcome {
        Ok(response) => response.headers_mut(),
        Err((response, _)) => response.headers_mut(),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
    outcome.map_err(|(response, cause)| InternalError::from_response(cause, response).into())
}

/// Installs the global log subscriber: human lines or JSON, filtered by `filter`
/// (`RUST_LOG` overrides it when set).
pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let registry = tracing_subscriber::registry().with(filter);
    let installed = match format {
        LogFormat::Human => registry.with(fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
    };
    // A second call (tests build several apps in one process) keeps the first subscriber.
    drop(installed);
}
