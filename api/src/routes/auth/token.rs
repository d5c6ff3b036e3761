//! `POST /api/v1/auth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4).
//!
//! The one operation whose errors are not problem details: OAuth client libraries read the
//! RFC 6749 §5.2 body (`application/json` with `error` and `error_description`), so that is
//! what this endpoint answers, with 401 and `WWW-Authenticate: Basic` for `invalid_client`.

use actix_web::{
    HttpMessage, HttpRequest, HttpResponse,
    http::{StatusCode, header},
    post, web,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::ApiError,
    extract::read_body,
    services::api_clients::{self as service, GrantError},
    state::AppState,
};

/// The largest token request accepted.
const TOKEN_REQUEST_LIMIT: usize = 8 * 1024;

/// A token request (RFC 6749 §4.4.2), as `application/x-www-form-urlencoded` (the standard) or
/// JSON. The client authenticates with HTTP Basic (`client_id:client_secret`, preferred) or
/// with `client_id` and `client_secret` here, not both. Unknown parameters are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClientCredentialsRequest {
    /// Must be `client_credentials` (400 `unsupported_grant_type` otherwise).
    #[schema(
        max_length = 64,
        example = "client_credentials",
        pattern = "^client_credentials$"
    )]
    pub grant_type: String,
    /// The permissions wanted, space-separated (e.g. `postings:read applications:read`): a
    /// subset of the client's (400 `invalid_scope` otherwise); all of them when absent.
    #[schema(
        max_length = 200,
        pattern = "^(postings:read|postings:write|applications:read|applications:write|webhooks:manage)( +(postings:read|postings:write|applications:read|applications:write|webhooks:manage))*$"
    )]
    pub scope: Option<String>,
    /// The client's id, when not sent by HTTP Basic.
    #[schema(max_length = 64)]
    pub client_id: Option<String>,
    /// The client's secret, when not sent by HTTP Basic.
    #[schema(max_length = 128)]
    pub client_secret: Option<String>,
}

/// An access token (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientTokenResponse {
    /// The access token: send it as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until it expires (900). There is no refresh token: ask for a new one.
    pub expires_in: i64,
    /// The permissions it grants, space-separated.
    pub scope: String,
}

/// An OAuth error code (RFC 6749 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// A parameter is missing, repeated or malformed, or the body is not a form or JSON.
    InvalidRequest,
    /// Unknown client, wrong or expired secret, or a revoked client (401).
    InvalidClient,
    /// Not used by this grant; listed for OAuth libraries.
    InvalidGrant,
    /// The client may not use this grant.
    UnauthorizedClient,
    /// `grant_type` is not `client_credentials`.
    UnsupportedGrantType,
    /// The scope names an unknown permission or one the client lacks.
    InvalidScope,
}

/// An OAuth error (RFC 6749 §5.2): the token endpoint's errors are not problem details, since
/// OAuth client libraries read this shape.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuthError {
    /// The error code.
    pub error: OAuthErrorCode,
    /// What went wrong, for the developer.
    pub error_description: String,
}

/// A refused token request: its error code and description.
#[derive(Debug)]
struct Refusal(OAuthErrorCode, String);

impl Refusal {
    fn invalid_request(description: impl Into<String>) -> Self {
        Refusal(OAuthErrorCode::InvalidRequest, description.into())
    }

    fn invalid_client(description: impl Into<String>) -> Self {
        Refusal(OAuthErrorCode::InvalidClient, description.into())
    }

    /// The RFC 6749 §5.2 answer: 401 with `WWW-Authenticate` for `invalid_client`, else 400.
    fn response(self) -> HttpResponse {
        let Refusal(code, description) = self;
        let status = if code == OAuthErrorCode::InvalidClient {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        let mut response = HttpResponse::build(status);
        response
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"));
        if code == OAuthErrorCode::InvalidClient {
            response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"merit\""));
        }
        response.json(OAuthError {
            error: code,
            error_description: description,
        })
    }
}

/// Decodes one half of an HTTP Basic credential: RFC 6749 §2.3.1 form-encodes each.
fn form_decoded(part: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={part}"))
        .ok()
        .and_then(|mut pairs| pairs.pop())
        .map(|(_, value)| value)
}

/// The credentials of an `Authorization: Basic` header: `None` without one, or with another
/// scheme. A `Bearer` header (an HTTP client that attaches its last access token to every
/// request) is not a client authentication method (RFC 6749 §2.3): it is ignored, and the
/// client authenticates with the body's `client_id` and `client_secret`, or not at all.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, Refusal> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let unreadable = || {
        Refusal::invalid_client("The Authorization header is not HTTP Basic client credentials.")
    };
    let value = value.to_str().map_err(|_| unreadable())?;
    let (scheme, encoded) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(unreadable)?;
    let (id, secret) = decoded.split_once(':').ok_or_else(unreadable)?;
    match (form_decoded(id), form_decoded(secret)) {
        (Some(id), Some(secret)) => Ok(Some((id, secret))),
        _ => Err(unreadable()),
    }
}

/// The request's parameters from a form or JSON body; each at most once.
fn parameters(req: &HttpRequest, body: &[u8]) -> Result<ClientCredentialsRequest, Refusal> {
    let mime = req.mime_type().ok().flatten();
    let essence = mime.as_ref().map(|m| m.essence_str().to_owned());
    match essence.as_deref() {
        Some("application/x-www-form-urlencoded") => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|_| Refusal::invalid_request("The body is not a readable form."))?;
            let known = ["grant_type", "scope", "client_id", "client_secret"];
            let mut seen: Vec<&str> = Vec::new();
            for (name, _) in &pairs {
                if let Some(k) = known.iter().find(|k| **k == name) {
                    if seen.contains(k) {
                        return Err(Refusal::invalid_request(format!(
                            "The parameter {k} is repeated."
                        )));
                    }
                    seen.push(k);
                }
            }
            let get = |wanted: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| name == wanted)
                    .map(|(_, v)| v.clone())
            };
            Ok(ClientCredentialsRequest {
                grant_type: get("grant_type")
                    .ok_or_else(|| Refusal::invalid_request("grant_type is missing."))?,
                scope: get("scope"),
                client_id: get("client_id"),
                client_secret: get("client_secret"),
            })
        }
        Some("application/json") => serde_json::from_slice(body).map_err(|_| {
            Refusal::invalid_request(
                "The body is not a token request (grant_type is required; every parameter is a string).",
            )
        }),
        _ => Err(Refusal::invalid_request(
            "Send the parameters as application/x-www-form-urlencoded (or application/json).",
        )),
    }
}

/// Checks a token request: the grant type, the parameters' lengths and the one way the client
/// authenticated. Returns the client's id and secret and the scope asked for.
fn checked(req: &HttpRequest, body: &[u8]) -> Result<(String, String, Option<String>), Refusal> {
    let params = parameters(req, body)?;
    let too_long = [
        ("grant_type", Some(&params.grant_type), 64),
        ("scope", params.scope.as_ref(), 200),
        ("client_id", params.client_id.as_ref(), 64),
        ("client_secret", params.client_secret.as_ref(), 128),
    ]
    .into_iter()
    .find(|(_, value, max)| value.is_some_and(|v| v.chars().count() > *max));
    if let Some((name, _, max)) = too_long {
        return Err(Refusal::invalid_request(format!(
            "{name} has more than {max} characters."
        )));
    }
    if params.grant_type != "client_credentials" {
        return Err(Refusal(
            OAuthErrorCode::UnsupportedGrantType,
            "Only grant_type=client_credentials is supported.".into(),
        ));
    }
    match (
        basic_credentials(req)?,
        params.client_id,
        params.client_secret,
    ) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(Refusal::invalid_request(
            "Authenticate the client one way: HTTP Basic or body parameters, not both.",
        )),
        (Some((id, secret)), None, None) => Ok((id, secret, params.scope)),
        (None, Some(id), Some(secret)) => Ok((id, secret, params.scope)),
        _ => Err(Refusal::invalid_client(
            "Authenticate the client with HTTP Basic (client_id:client_secret).",
        )),
    }
}

/// Get an access token (client credentials)
///
/// OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for machine clients an admin created.
/// Authenticate with HTTP Basic (`client_id:client_secret`) or with `client_id` and
/// `client_secret` in the body. The token lives 15 minutes (no refresh token: ask again) and
/// grants `scope` (default: every permission of the client). Errors follow RFC 6749 §5.2
/// (`application/json` with `error` and `error_description`), not problem details.
#[utoipa::path(
    tag = "auth",
    request_body(content(
        (ClientCredentialsRequest = "application/x-www-form-urlencoded"),
        (ClientCredentialsRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "An access token.", body = ClientTokenResponse),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`.", body = OAuthError),
        (status = 401, description = "`invalid_client`.", body = OAuthError, headers(
            ("WWW-Authenticate" = String, description = "`Basic realm=\"merit\"`."),
        )),
    )
)]
#[post("/auth/token")]
pub async fn issue_client_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(&req, &mut payload.into_inner(), TOKEN_REQUEST_LIMIT).await?;
    let (client_id, secret, scope) = match checked(&req, &body) {
        Ok(checked) => checked,
        Err(refusal) => return Ok(refusal.response()),
    };
    let now = state.clock.now();
    let keys = state.tokens.clone();
    let outcome = state
        .db
        .write(move |conn| service::grant(conn, &keys, &client_id, &secret, scope.as_deref(), now))
        .await?;
    Ok(match outcome {
        Ok(grant) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(ClientTokenResponse {
                access_token: grant.access_token,
                token_type: "Bearer".into(),
                expires_in: grant.expires_in,
                scope: grant.scope.to_string(),
            }),
        Err(GrantError::InvalidClient) => Refusal::invalid_client(
            "The client is unknown, revoked, or its secret is wrong or expired.",
        )
        .response(),
        Err(GrantError::InvalidScope(why)) => Refusal(OAuthErrorCode::InvalidScope, why).response(),
    })
}
