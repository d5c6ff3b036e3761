//! Methods at the edge: `HEAD` is answered wherever `GET` is, and methods HTTP does not define
//! are bucketed so they cannot add label values to `/metrics`.

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
    web,
};

use crate::openapi::RouteTable;

/// The methods HTTP defines; any other is counted in the metrics as [`OTHER_METHOD`].
const KNOWN_METHODS: [Method; 9] = [
    Method::GET,
    Method::HEAD,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::OPTIONS,
    Method::CONNECT,
    Method::TRACE,
];

/// The method label of requests whose method HTTP does not define.
pub const OTHER_METHOD: &str = "other";

/// Sits just outside the metrics middleware: a request with a method HTTP does not define gets
/// the method `other`, so made-up methods cannot add label values (and series) to `/metrics`.
/// No route takes such a method, so the answer is the same 405 (or 404) either way.
pub async fn bucket_unknown_methods(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !KNOWN_METHODS.contains(req.method())
        && let Ok(other) = Method::from_bytes(OTHER_METHOD.as_bytes())
    {
        req.head_mut().method = other;
    }
    next.call(req).await
}

/// A `HEAD` request to a path that takes `GET` is served as that `GET`: same status and
/// headers (`Content-Length` included); the HTTP layer, which saw `HEAD`, leaves the body out.
/// Elsewhere `HEAD` is 405 with `Allow`, like any method the path does not take.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let takes_get = *req.method() == Method::HEAD
        && req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|routes| routes.allowed(req.path()))
            .is_some_and(|methods| methods.contains(&Method::GET));
    if takes_get {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
