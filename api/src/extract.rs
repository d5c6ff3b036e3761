//! Extractors whose failures are problem responses with the right status: a JSON body
//! (415 wrong type, 413 too large, 400 malformed, 422 wrong shape with the field's path) and a
//! query string (400 when it cannot be read); and the guard that refuses paths naming control
//! characters (404).

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    middleware::Next,
    web,
};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::error::{ApiError, Code, FieldError};

/// The largest JSON body accepted.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON request body.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + ToSchema + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_json(req);
        let body = read_body(req, payload, JSON_LIMIT);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType {
                    detail: "Send the body as JSON, with Content-Type: application/json.".into(),
                });
            }
            parse_json_body(&body.await?).map(Json)
        })
    }
}

/// A JSON request body that may be left out (no body at all); one that is sent must be JSON.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_json(req);
        let body = read_body(req, payload, JSON_LIMIT);
        Box::pin(async move {
            let body = body.await?;
            if body.trim_ascii().is_empty() || body.trim_ascii() == b"null" {
                return Ok(OptionalJson(None));
            }
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType {
                    detail: "Send the body as JSON, with Content-Type: application/json.".into(),
                });
            }
            parse_json(&body).map(|v| OptionalJson(Some(v)))
        })
    }
}

/// Reads a whole body of at most `limit` bytes: 413 as soon as it is known to be larger (from
/// `Content-Length`, or while reading), without reading the rest.
pub fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> impl Future<Output = Result<web::Bytes, ApiError>> + 'static {
    let declared_length = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut payload = payload.take();
    async move {
        if declared_length.is_some_and(|n| n > limit) {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| {
                ApiError::new(
                    Code::IncompleteBody,
                    "The body could not be read completely.",
                )
            })?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

/// Whether the request declares a JSON body (`application/json` or `application/*+json`).
pub fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
        }
        _ => false,
    }
}

/// Parses a request body of a documented type: like [`parse_json`], and every missing required
/// field is reported at once, each at its path with code `required` (see [`crate::required`]).
pub fn parse_json_body<T: DeserializeOwned + ToSchema>(body: &[u8]) -> Result<T, ApiError> {
    parse(body, |error| {
        if error.inner().is_data() {
            let path = error.path().to_string();
            let message = clean_serde_message(error.inner());
            if let Some(missing) = crate::required::missing_field_error::<T>(body, &path, &message)
            {
                return missing;
            }
        }
        json_error(error)
    })
}

/// Parses a body: syntax errors are 400; well-formed JSON of the wrong shape is 422 naming the
/// field; text containing NUL is 422 (no database stores it).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    parse(body, json_error)
}

fn parse<T: DeserializeOwned>(
    body: &[u8],
    on_error: impl FnOnce(serde_path_to_error::Error<serde_json::Error>) -> ApiError,
) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(on_error)?;
    de.end().map_err(|e| {
        ApiError::new(
            Code::MalformedJson,
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    // serde's derived structures also accept an array of their fields in order; every body of
    // this API is an object, so anything else is refused.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid(
            "body",
            "invalid",
            "The body must be a JSON object.",
        ));
    }
    if contains_nul_escape(body) {
        return Err(ApiError::invalid(
            "body",
            "nul_character",
            "Text must not contain the NUL character (\\u0000).",
        ));
    }
    Ok(value)
}

pub(crate) fn json_error(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    if inner.is_data() {
        let field = if path == "." { "body".to_owned() } else { path };
        ApiError::Validation {
            errors: vec![FieldError::new(
                field,
                "invalid",
                clean_serde_message(&inner),
            )],
        }
    } else {
        ApiError::new(
            Code::MalformedJson,
            format!("The body is not valid JSON: {inner}."),
        )
    }
}

/// serde's message without the " at line 1 column 9" suffix, which means nothing to a client
/// that knows the field's path.
fn clean_serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn contains_nul_escape(body: &[u8]) -> bool {
    body.windows(6)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && w[2..].iter().all(|&b| b == b'0'))
}

/// The `{id}` of a path, as a typed id. Ids are opaque: text that is not the canonical form of
/// this kind of id names nothing, so it is 404 like an id that names nothing, never 400 or 422.
#[derive(Debug, Clone, Copy)]
pub struct PathId<T>(pub T);

impl<T: merit_domain::ids::EntityId> FromRequest for PathId<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let text = req.match_info().get("id").unwrap_or_default();
        std::future::ready(path_id(text, "item").map(PathId))
    }
}

/// A path segment other than `{id}` as a typed id (a route naming two ids): as [`PathId`], text
/// that is not the canonical form names nothing, 404 naming `what`.
pub fn path_id<T: merit_domain::ids::EntityId>(text: &str, what: &str) -> Result<T, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(what))
}

/// A query string.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Parses a query string: an unknown or repeated parameter, or NUL, is 400; a value of the
/// wrong type is 422 naming the parameter.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if query.to_ascii_lowercase().contains("%00") {
        return Err(ApiError::new(
            Code::InvalidQuery,
            "Query parameters must not contain the NUL character.",
        ));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let reason = e.into_inner().to_string();
        // An unknown or repeated parameter makes the request itself unreadable (400); a known
        // parameter with a value of the wrong type or outside its enumeration is invalid (422).
        if reason.starts_with("unknown field")
            || reason.starts_with("duplicate field")
            || path == "."
        {
            ApiError::new(
                Code::InvalidQuery,
                format!("The query string is invalid: {reason}."),
            )
        } else {
            ApiError::invalid(
                &path,
                "invalid",
                format!("Query parameter {path} is invalid: {reason}."),
            )
        }
    })
}

/// Parses a query string into two structures: `B` gets the parameters named in `b_keys`, `A`
/// all the others (serde's `flatten` cannot mix numbers into a query structure).
pub fn parse_query_parts<A: DeserializeOwned, B: DeserializeOwned>(
    query: &str,
    b_keys: &[&str],
) -> Result<(A, B), ApiError> {
    let mut a = form_urlencoded::Serializer::new(String::new());
    let mut b = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let target = if b_keys.contains(&key.as_ref()) {
            &mut b
        } else {
            &mut a
        };
        target.append_pair(&key, &value);
    }
    Ok((parse_query(&a.finish())?, parse_query(&b.finish())?))
}

/// Answers 404 for a path that percent-encodes a control character (`%00` to `%1F`, `%7F`) in
/// place of handing it to a handler: no id or code holds one, and PostgreSQL cannot even
/// compare text holding NUL, so a lookup would fail instead of finding nothing.
pub async fn refuse_control_characters_in_path(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if encodes_control_character(req.path()) {
        let response = ApiError::not_found("resource").error_response();
        return Ok(req.into_response(response));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

fn encodes_control_character(path: &str) -> bool {
    path.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1], w[2].to_ascii_lowercase()),
                (b'0' | b'1', b'0'..=b'9' | b'a'..=b'f') | (b'7', b'f')
            )
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        limit: u32,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        first: String,
        second: String,
    }

    #[test]
    fn every_missing_field_is_required_at_its_path() {
        let ApiError::Validation { errors } =
            parse_json_body::<Body>(br#"{"inner":{"second":"x"}}"#).unwrap_err()
        else {
            panic!("expected a validation error")
        };
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", "required"),
                ("limit", "required"),
                ("inner.first", "required")
            ]
        );
    }

    #[test]
    fn a_syntax_error_is_a_bad_request() {
        let error = parse_json::<Body>(b"{\"name\": ").unwrap_err();
        assert_eq!(error.code(), "malformed_json");
    }

    #[test]
    fn a_wrong_type_is_a_validation_error_naming_the_field() {
        let ApiError::Validation { errors } =
            parse_json::<Body>(br#"{"name":"x","limit":"ten"}"#).unwrap_err()
        else {
            panic!("expected a validation error")
        };
        assert_eq!(errors[0].field, "limit");
    }

    #[test]
    fn an_unknown_field_is_a_validation_error() {
        let error = parse_json::<Body>(br#"{"name":"x","limit":1,"role":"admin"}"#).unwrap_err();
        assert_eq!(error.code(), "validation_failed");
    }

    #[test]
    fn an_escaped_nul_is_refused() {
        let error = parse_json::<Body>(br#"{"name":"a\u0000b","limit":1}"#).unwrap_err();
        assert_eq!(error.code(), "validation_failed");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_a_validation_error_and_an_unknown_parameter_a_bad_request() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Params {
            limit: Option<u32>,
        }
        assert_eq!(
            parse_query::<Params>("limit=ten").unwrap_err().code(),
            "validation_failed"
        );
        assert_eq!(
            parse_query::<Params>("limt=10").unwrap_err().code(),
            "invalid_query"
        );
        assert_eq!(
            parse_query::<Params>("limit=1&limit=2").unwrap_err().code(),
            "invalid_query"
        );
    }

    #[test]
    fn a_nul_in_the_query_is_a_bad_request() {
        let error =
            parse_query::<std::collections::HashMap<String, String>>("q=a%00b").unwrap_err();
        assert_eq!(error.code(), "invalid_query");
    }

    #[test]
    fn encoded_control_characters_are_spotted_in_any_letter_case() {
        for path in ["/a/%00", "/a/x%1Fy", "/a/%7f", "/a/%0a", "/a/%0D"] {
            assert!(encodes_control_character(path), "{path}");
        }
        for path in ["/a/%20", "/a/%C3%A9", "/a/%2F", "/a/100%", "/a/%7e", "/a/%"] {
            assert!(!encodes_control_character(path), "{path}");
        }
    }
}
