//! Collecting every invalid field of a request, so a 422 lists them all at once.

use std::fmt::Display;

use crate::error::{ApiError, FieldError};

/// An id from a body or query field (canonical text only), or its 422 `invalid_id` recorded.
pub fn id<T: std::str::FromStr>(fields: &mut Fields, field: &str, text: &str) -> Option<T> {
    let parsed = text.parse().ok();
    if parsed.is_none() {
        fields.push(field, "invalid_id", "This is not a valid id.");
    }
    parsed
}

/// Like [`id`] for an optional field: `Some(None)` when absent, `None` when invalid.
pub fn optional_id<T: std::str::FromStr>(
    fields: &mut Fields,
    field: &str,
    text: Option<&str>,
) -> Option<Option<T>> {
    match text {
        None => Some(None),
        Some(text) => id(fields, field, text).map(Some),
    }
}

/// Every id of a list field, each checked at `field[i]`.
pub fn ids<T: std::str::FromStr>(fields: &mut Fields, field: &str, texts: &[&str]) -> Vec<T> {
    texts
        .iter()
        .enumerate()
        .filter_map(|(i, text)| id(fields, &format!("{field}[{i}]"), text))
        .collect()
}

/// An accumulator of field errors.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// No errors yet.
    pub fn new() -> Self {
        Fields::default()
    }

    /// Keeps the value of `parsed`, or records its error under `field` with `code`.
    pub fn check<T, E: Display>(
        &mut self,
        field: &str,
        code: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors
                    .push(FieldError::new(field, code, error.to_string()));
                None
            }
        }
    }

    /// Like [`Fields::check`] for an optional input.
    pub fn check_optional<T, E: Display>(
        &mut self,
        field: &str,
        code: &str,
        parsed: Option<Result<T, E>>,
    ) -> Option<T> {
        parsed.and_then(|p| self.check(field, code, p))
    }

    /// Records an error.
    pub fn push(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Takes a nested value's check: its value, or `None` with its field errors recorded
    /// under `prefix` (`criteria.salary_min_cents`). Any other error is passed on.
    pub fn nested<T>(
        &mut self,
        prefix: &str,
        checked: Result<T, ApiError>,
    ) -> Result<Option<T>, ApiError> {
        match checked {
            Ok(value) => Ok(Some(value)),
            Err(ApiError::Validation { errors }) => {
                self.errors.extend(errors.into_iter().map(|mut error| {
                    error.field = format!("{prefix}.{}", error.field);
                    error
                }));
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Whether nothing failed so far.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// A 422 listing every error, or `Ok` when there were none.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation {
                errors: self.errors,
            })
        }
    }

    /// Returns the value when every check passed (each `Some`), the 422 otherwise.
    pub fn into_result<T>(self, value: Option<T>) -> Result<T, ApiError> {
        match (self.errors.is_empty(), value) {
            (true, Some(value)) => Ok(value),
            (_, _) if !self.errors.is_empty() => Err(ApiError::Validation {
                errors: self.errors,
            }),
            _ => Err(ApiError::internal(anyhow::anyhow!(
                "a check failed without an error"
            ))),
        }
    }
}

/// Adds a password policy's failures under `field`, one error per broken rule.
pub fn password_errors(
    fields: &mut Fields,
    field: &str,
    broken: &[merit_domain::account::PasswordRule],
) {
    for rule in broken {
        fields.push(field, rule.code(), rule.to_string());
    }
}

/// Records a free-text check's error under `field` (see [`crate::routes::text`]).
pub(crate) fn text(
    fields: &mut Fields,
    field: &str,
    checked: Result<String, merit_domain::text::TextError>,
) -> Option<String> {
    match checked {
        Ok(text) => Some(text),
        Err(error) => {
            fields.push(field, error.code(), format!("{field} {error}."));
            None
        }
    }
}

/// Records `too_many` under `field` when a list holds more than `max` items.
pub fn at_most<T>(fields: &mut Fields, field: &str, items: &[T], max: usize) -> bool {
    let ok = items.len() <= max;
    if !ok {
        fields.push(
            field,
            "too_many",
            format!("{field} holds at most {max} items, got {}.", items.len()),
        );
    }
    ok
}
