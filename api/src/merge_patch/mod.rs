//! JSON Merge Patch (RFC 7396), the meaning of every `PATCH` in this API.
//!
//! A patch is a JSON object: a member left out leaves its field unchanged, a member set to
//! `null` clears an optional field (to null, or to its empty default), and an object member is
//! merged into the current object the same way; arrays and other values replace. The patch is
//! applied to the current resource, written in the shape of its whole-replace request, and the
//! result is checked exactly like that request: so every rule of the full request holds, and a
//! `null` for a field the request requires is 422 `required` at the field's path.
//!
//! The request body may be sent as `application/merge-patch+json` or `application/json`.

mod schema;

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};
use utoipa::{
    PartialSchema,
    openapi::{RefOr, schema::Schema},
};

pub use schema::add_patch_schemas;

use crate::{
    error::ApiError,
    extract::{JSON_LIMIT, json_error, parse_json, read_body},
};

/// The media type of a merge patch.
pub const MEDIA_TYPE: &str = "application/merge-patch+json";

/// A merge patch request body (a JSON object).
#[derive(Debug, Clone)]
pub struct MergePatch(pub Map<String, Value>);

fn is_merge_patch_or_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => {
            let essence = mime.essence_str();
            essence == MEDIA_TYPE || essence == "application/json"
        }
        _ => false,
    }
}

impl FromRequest for MergePatch {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_merge_patch_or_json(req);
        let body = read_body(req, payload, JSON_LIMIT);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType {
                    detail: format!(
                        "Send the patch as a JSON Merge Patch, with Content-Type: {MEDIA_TYPE} (or application/json)."
                    ),
                });
            }
            parse_json(&body.await?).map(MergePatch)
        })
    }
}

/// Merges `patch` into `target` as RFC 7396 says.
pub fn merge(target: &mut Value, patch: Value) {
    let Value::Object(members) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(fields) = target {
        for (name, value) in members {
            if value.is_null() {
                fields.remove(&name);
            } else {
                merge(fields.entry(name).or_insert(Value::Null), value);
            }
        }
    }
}

/// For a merge patch member `Option<Option<T>>` with `#[serde(default)]`: absent is `None`,
/// `null` is `Some(None)`, a value is `Some(Some(value))`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// 422 `required` for a merge patch member that is `null` but cannot be cleared.
pub fn not_null<T>(field: &str, member: Option<Option<T>>) -> Result<Option<T>, ApiError> {
    match member {
        Some(None) => Err(ApiError::invalid(
            field,
            "required",
            format!("{field} cannot be null: leave it out to keep it."),
        )),
        Some(Some(value)) => Ok(Some(value)),
        None => Ok(None),
    }
}

/// The names of the properties of `T`'s object schema.
fn property_names<T: PartialSchema>() -> Vec<String> {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

impl MergePatch {
    /// Applies the patch to `current` (a response of the resource; only the members `T`
    /// declares are kept) and reads the result as a whole-replace request `T`.
    pub fn apply<T: DeserializeOwned + PartialSchema>(
        self,
        current: &impl Serialize,
    ) -> Result<T, ApiError> {
        let mut target = serde_json::to_value(current).map_err(ApiError::internal)?;
        if let Value::Object(fields) = &mut target {
            let names = property_names::<T>();
            fields.retain(|name, value| names.contains(name) && !value.is_null());
        }
        merge(&mut target, Value::Object(self.0));
        read_merged(target)
    }
}

impl MergePatch {
    /// Reads the patch itself as `T`, for a patch type that says per member what is absent and
    /// what is `null` (see [`present`]).
    pub fn read<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        read_merged(Value::Object(self.0))
    }
}

/// Reads a merged document: a field the request requires that the patch removed is 422
/// `required` at its path; any other problem is reported like a request body's.
fn read_merged<T: DeserializeOwned>(merged: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(merged).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name.to_owned());
        match missing {
            Some(name) => {
                let field = if path == "." {
                    name
                } else {
                    format!("{path}.{name}")
                };
                let detail = format!("{field} is required: it cannot be set to null.");
                ApiError::invalid(&field, "required", detail)
            }
            None => json_error(error),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rfc_7396_examples_merge_as_the_rfc_says() {
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (mut target, patch, expected) in cases {
            merge(&mut target, patch);
            assert_eq!(target, expected);
        }
    }
}
