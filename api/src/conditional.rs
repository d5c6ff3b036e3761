//! Conditional requests (RFC 9110): `ETag` with `If-None-Match` on reads (304), and
//! `If-Match` on writes (412 when stale).

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The strong entity tag of a version number.
pub fn version_tag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`, if the header is present. A tag that names no version of
/// ours cannot match anything: 412.
pub fn if_match_version(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::PreconditionFailed)?
        .trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::PreconditionFailed)
}

fn none_match(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == tag)
        })
}

/// Answers `body` as JSON with a strong `ETag` (a hash of the bytes), or 304 when the client's
/// `If-None-Match` already names it. Responses vary by signed-in viewer, so they are private.
pub fn json_with_etag<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let tag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..12]));
    respond(req, tag, Some(bytes))
}

/// Answers `body` as JSON with the given tag, or 304.
pub fn json_with_tag<T: Serialize>(
    req: &HttpRequest,
    tag: String,
    body: &T,
) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    respond(req, tag, Some(bytes))
}

fn respond(
    req: &HttpRequest,
    tag: String,
    bytes: Option<Vec<u8>>,
) -> Result<HttpResponse, ApiError> {
    let mut response = if none_match(req, &tag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((
            header::ETAG,
            HeaderValue::from_str(&tag).map_err(ApiError::internal)?,
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::VARY, "Authorization"));
    if none_match(req, &tag) {
        return Ok(response.finish());
    }
    Ok(response
        .content_type("application/json")
        .body(bytes.unwrap_or_default()))
}
