//! Conditional requests (RFC 9110 §13): `ETag` on reads of things that can race, `If-Match` on
//! their updates, so two tabs cannot silently overwrite each other.
//!
//! Entity tags are strong and compared strongly: a weak tag (`W/"..."`) never matches.

use std::future::{Ready, ready};

use actix_web::{
    FromRequest, HttpRequest, HttpResponse,
    dev::Payload,
    http::header::{self, HeaderValue},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, Code};

/// The `If-Match` header of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// No header was sent.
    Absent,
    /// `If-Match: *`: any current version.
    Any,
    /// The strong entity tags listed, quotes included (unreadable entries are left out, so
    /// they match nothing).
    Tags(Vec<String>),
}

/// Whether `item` is an entity tag: `"..."` or `W/"..."` of visible ASCII without quotes.
fn is_entity_tag(item: &str) -> bool {
    let quoted = item.strip_prefix("W/").unwrap_or(item);
    quoted.len() >= 2
        && quoted.starts_with('"')
        && quoted.ends_with('"')
        && quoted[1..quoted.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"')
}

/// 400 `malformed_header` for a conditional header that cannot be read.
fn malformed(name: &str) -> ApiError {
    ApiError::new(
        Code::MalformedHeader,
        format!(
            "The {name} header cannot be read: send * or a list of entity tags in quotes, as the ETag header gave them."
        ),
    )
}

impl IfMatch {
    /// Parses the header's values (RFC 9110 §13.1.1): `*`, or a comma-separated list of entity
    /// tags. Anything else is 400 `malformed_header`; a weak tag is readable but never matches.
    pub fn parse<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Result<IfMatch, ApiError> {
        let mut tags = Vec::new();
        let mut seen = false;
        let mut any = false;
        let mut items = 0;
        for value in values {
            seen = true;
            let value = value.ok_or_else(|| malformed("If-Match"))?;
            for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                items += 1;
                if item == "*" {
                    any = true;
                } else if is_entity_tag(item) {
                    if !item.starts_with("W/") {
                        tags.push(item.to_owned());
                    }
                } else {
                    return Err(malformed("If-Match"));
                }
            }
        }
        if seen && items == 0 {
            return Err(malformed("If-Match"));
        }
        Ok(match (seen, any) {
            (false, _) => IfMatch::Absent,
            (true, true) => IfMatch::Any,
            (true, false) => IfMatch::Tags(tags),
        })
    }

    /// 428 when the header is absent: the update must say which version it is based on.
    pub fn required(self) -> Result<IfMatch, ApiError> {
        match self {
            IfMatch::Absent => Err(ApiError::PreconditionRequired),
            other => Ok(other),
        }
    }

    /// 412 unless the header is absent, `*`, or lists `current` (a quoted tag).
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        self.check_any(&[current])
    }

    /// 412 unless the header is absent, `*`, or lists one of `current`: the tags the current
    /// version may have been served with.
    pub fn check_any(&self, current: &[&str]) -> Result<(), ApiError> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(()),
            IfMatch::Tags(tags) if tags.iter().any(|t| current.contains(&t.as_str())) => Ok(()),
            IfMatch::Tags(_) => Err(ApiError::PreconditionFailed),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values = req
            .headers()
            .get_all(header::IF_MATCH)
            .map(|v| v.to_str().ok());
        ready(IfMatch::parse(values))
    }
}

/// Whether `If-None-Match` of `req` names `current` (or is `*`): the client's copy is current,
/// so a read can answer 304 without a body. Weak comparison, as RFC 9110 says for this header.
pub fn not_modified(req: &HttpRequest, current: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(current))
}

/// A strong entity tag for an opaque version string: the value in quotes.
pub fn entity_tag(version: &str) -> String {
    format!("\"{version}\"")
}

/// The strong entity tag of a version number.
pub fn version_tag(version: i64) -> String {
    entity_tag(&version.to_string())
}

/// Answers `body` as JSON with a strong `ETag` (a hash of the bytes), or 304 when the client's
/// `If-None-Match` already names it. Such answers vary by signed-in viewer, so they are private.
pub fn json_with_etag<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let tag = entity_tag(&hex::encode(&Sha256::digest(&bytes)[..12]));
    Ok(respond(req, &tag, bytes))
}

/// Answers `body` as JSON with the given tag, or 304 when `If-None-Match` names it.
pub fn json_with_tag<T: Serialize>(
    req: &HttpRequest,
    tag: &str,
    body: &T,
) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    Ok(respond(req, tag, bytes))
}

fn respond(req: &HttpRequest, tag: &str, bytes: Vec<u8>) -> HttpResponse {
    let unchanged = not_modified(req, tag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    if let Ok(value) = HeaderValue::from_str(tag) {
        response.insert_header((header::ETAG, value));
    }
    response
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((header::VARY, "Authorization"));
    if unchanged {
        response.finish()
    } else {
        response.content_type("application/json").body(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> Result<IfMatch, ApiError> {
        IfMatch::parse([Some(value)].into_iter())
    }

    #[test]
    fn a_listed_tag_matches_and_others_do_not() {
        let header = parse("\"3\", \"4\"").unwrap();
        assert!(header.check("\"4\"").is_ok());
        assert_eq!(
            header.check("\"5\"").unwrap_err().code(),
            "precondition_failed"
        );
    }

    #[test]
    fn a_weak_tag_never_matches() {
        let header = parse("W/\"4\"").unwrap();
        assert!(header.check("\"4\"").is_err());
    }

    #[test]
    fn an_unreadable_header_is_a_bad_request() {
        for value in [
            "4", "garbage", "\"4", "\"a\"b\"", "W/4", "\"4\" x", "", " , ",
        ] {
            assert_eq!(
                parse(value).unwrap_err().code(),
                "malformed_header",
                "{value}"
            );
        }
        assert_eq!(
            IfMatch::parse([None].into_iter()).unwrap_err().code(),
            "malformed_header"
        );
        assert_eq!(
            parse(" , \"4\" ,").unwrap(),
            IfMatch::Tags(vec!["\"4\"".into()])
        );
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let req = actix_web::test::TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "W/\"7\", \"8\""))
            .to_http_request();
        assert!(not_modified(&req, "\"7\""));
        assert!(not_modified(&req, "\"8\""));
        assert!(!not_modified(&req, "\"9\""));
    }

    #[test]
    fn a_star_matches_any_version_and_absence_is_required() {
        assert!(parse("*").unwrap().check("\"9\"").is_ok());
        assert_eq!(
            IfMatch::parse(std::iter::empty())
                .unwrap()
                .required()
                .unwrap_err()
                .code(),
            "precondition_required"
        );
    }
}
