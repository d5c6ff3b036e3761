//! The one error type at the edge: every failure becomes an RFC 9457 problem response.
//!
//! Every problem has a stable [`Code`] that clients program against; its row in [`codes`] gives
//! the status and title, and the registry in `docs/API-DESIGN.md` is checked against that table
//! by a test. Most problems are [`ApiError::new`]`(code, detail)`; the variants below that are
//! not are the ones that carry more than a detail. Internal errors log their cause once, here,
//! and tell the client nothing internal.

mod codes;

use std::fmt;

use actix_web::{
    HttpResponse, ResponseError,
    http::{Method, StatusCode, header},
};
use chrono::{DateTime, SecondsFormat, Utc};
use merit_persistence::RepoError;
use serde::Serialize;
use utoipa::ToSchema;

pub use codes::Code;

use crate::telemetry::current_request_id;

/// One invalid field of a request (422).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct FieldError {
    /// Where the value was: a body path such as `work_experience[0].end_date`, or a query
    /// parameter name.
    pub field: String,
    /// A stable, machine-readable reason such as `out_of_range` or `too_long`.
    pub code: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl FieldError {
    /// A field error with the given reason.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem detail, the body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct Problem {
    /// A URI naming the kind of problem: `urn:merit:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:merit:problem:validation_failed")]
    pub problem_type: String,
    /// A short summary of the kind of problem.
    #[schema(example = "Validation failed")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What happened and what to do about it.
    #[schema(example = "1 field is invalid.")]
    pub detail: String,
    /// The stable code of this kind of problem.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// Each invalid field (on 422 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
    /// The request's id, also in the `X-Request-Id` header; quote it when reporting a problem.
    pub request_id: String,
    /// On `retake_not_allowed_yet` only: the first instant the exam may be taken again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2026-08-29T09:30:00Z")]
    pub retake_allowed_from: Option<DateTime<Utc>>,
}

/// Everything that can go wrong in a request, by the kind of answer it deserves.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A problem that is fully described by its code and a detail (its status is the code's).
    #[error("{detail}")]
    Problem {
        /// Stable code.
        code: Code,
        /// Explanation.
        detail: String,
    },
    /// Nothing here, or nothing the caller may see (never revealing which).
    #[error("{detail}")]
    NotFound {
        /// Explanation.
        detail: String,
    },
    /// The path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed {
        /// The methods the path accepts.
        allow: Vec<Method>,
    },
    /// A re-take of an exam before its waiting period ends (409); the problem carries the
    /// instant as the `retake_allowed_from` member.
    #[error("the exam cannot be taken again yet")]
    RetakeNotAllowedYet {
        /// The first instant a re-take is allowed.
        allowed_from: DateTime<Utc>,
    },
    /// `If-Match` did not match the current version.
    #[error("the resource changed since it was read")]
    PreconditionFailed,
    /// An update that can race came without `If-Match`.
    #[error("If-Match is required")]
    PreconditionRequired,
    /// The body is larger than allowed.
    #[error("body too large")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body's content type is not accepted here.
    #[error("{detail}")]
    UnsupportedMediaType {
        /// Explanation.
        detail: String,
    },
    /// An uploaded file's content is not an accepted type, or disagrees with its name or
    /// declared type.
    #[error("{detail}")]
    UnsupportedDocumentType {
        /// Explanation.
        detail: String,
    },
    /// Well-formed input with invalid values.
    #[error("validation failed")]
    Validation {
        /// Each invalid field.
        errors: Vec<FieldError>,
    },
    /// A rate limit was hit.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// A dependency (the database, the hashing pool) cannot serve now; retrying later may work.
    #[error("{detail}")]
    Unavailable {
        /// Stable code (one with status 503).
        code: Code,
        /// Explanation.
        detail: String,
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// A bug or an unexpected failure; its cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// A problem with `code` (its status and title come from the code's row).
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        ApiError::Problem {
            code,
            detail: detail.into(),
        }
    }

    /// A 404 for `what` (never saying whether it exists for someone else).
    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound {
            detail: format!("No {what} was found here."),
        }
    }

    /// A 422 with a single invalid field.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation {
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    /// Wraps an unexpected failure.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(error.into())
    }

    /// The database could not be reached.
    pub fn database_unavailable() -> Self {
        ApiError::Unavailable {
            code: Code::DatabaseUnavailable,
            detail: "The database is unavailable. Try again in a few seconds.".into(),
            retry_after: 5,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> Code {
        match self {
            ApiError::Problem { code, .. } | ApiError::Unavailable { code, .. } => *code,
            ApiError::NotFound { .. } => Code::NotFound,
            ApiError::MethodNotAllowed { .. } => Code::MethodNotAllowed,
            ApiError::RetakeNotAllowedYet { .. } => Code::RetakeNotAllowedYet,
            ApiError::PreconditionFailed => Code::PreconditionFailed,
            ApiError::PreconditionRequired => Code::PreconditionRequired,
            ApiError::UnsupportedDocumentType { .. } => Code::UnsupportedDocumentType,
            ApiError::PayloadTooLarge { .. } => Code::PayloadTooLarge,
            ApiError::UnsupportedMediaType { .. } => Code::UnsupportedMediaType,
            ApiError::Validation { .. } => Code::ValidationFailed,
            ApiError::TooManyRequests { .. } => Code::TooManyRequests,
            ApiError::Internal(_) => Code::InternalError,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::MethodNotAllowed { allow } => {
                format!("This path accepts only {}.", join_methods(allow))
            }
            ApiError::RetakeNotAllowedYet { allowed_from } => format!(
                "You can take this exam again from {}.",
                rfc3339(*allowed_from)
            ),
            ApiError::PreconditionFailed => {
                "The resource changed since you read it. Read it again, then retry with its new ETag.".into()
            }
            ApiError::PreconditionRequired => {
                "Send If-Match with the ETag from your last read, so that you do not overwrite a change made elsewhere.".into()
            }
            ApiError::PayloadTooLarge { limit } => format!("The body is larger than the {limit} bytes allowed."),
            ApiError::Validation { errors } => match errors.len() {
                1 => "1 field is invalid.".into(),
                n => format!("{n} fields are invalid."),
            },
            ApiError::TooManyRequests { retry_after } => {
                format!("Too many requests. Try again in {retry_after} seconds.")
            }
            ApiError::Internal(_) => {
                "Something went wrong on our side. It has been logged; quote the request id if you report it.".into()
            }
            other => other.to_string(),
        }
    }

    fn to_problem(&self) -> Problem {
        let errors = match self {
            ApiError::Validation { errors } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("urn:merit:problem:{}", self.code()),
            title: self.code().title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code().as_str().to_owned(),
            errors,
            request_id: current_request_id().unwrap_or_default(),
            retake_allowed_from: match self {
                ApiError::RetakeNotAllowedYet { allowed_from } => Some(*allowed_from),
                _ => None,
            },
        }
    }
}

/// An instant as the API writes it everywhere: RFC 3339 in UTC with `Z`.
fn rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn join_methods(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Logs an error with its whole chain of causes, once.
struct Chain<'a>(&'a anyhow::Error);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        for cause in self.0.chain().skip(1) {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = %Chain(cause), "internal error"),
            ApiError::Unavailable { code, detail, .. } => {
                tracing::warn!(code = code.as_str(), detail, "unavailable")
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, join_methods(allow)));
            }
            ApiError::TooManyRequests { retry_after }
            | ApiError::Unavailable { retry_after, .. } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ if self.status_code() == StatusCode::UNAUTHORIZED => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        match serde_json::to_vec(&self.to_problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

impl From<RepoError> for ApiError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::NotFound => ApiError::not_found("such item"),
            RepoError::Conflict { constraint } => {
                tracing::info!(constraint, "unique constraint refused a write");
                ApiError::new(Code::Conflict, "This would duplicate an existing item.")
            }
            RepoError::MissingReference => ApiError::new(
                Code::MissingReference,
                "An item this refers to does not exist.",
            ),
            RepoError::Contended => ApiError::Unavailable {
                code: Code::Busy,
                detail: "The database is busy. Try again in a moment.".into(),
                retry_after: 1,
            },
            RepoError::Unavailable(_) => ApiError::database_unavailable(),
            other => ApiError::internal(other),
        }
    }
}
