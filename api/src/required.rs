//! Every required field a JSON body leaves out, found by walking the body's own schema (the
//! one the OpenAPI document publishes), so a 422 names each missing field at its path at once
//! instead of serde's first one.

use std::collections::HashMap;

use crate::error::{ApiError, FieldError};
use serde_json::Value;
use utoipa::{
    ToSchema,
    openapi::{
        RefOr,
        schema::{ArrayItems, Schema},
    },
};

/// The paths (`first_name`, `mailing_address.city`, `education[0].school`) of the required
/// fields missing from `body`, as described by `T`'s schema.
pub fn missing_fields<T: ToSchema>(body: &Value) -> Vec<String> {
    let mut components = Vec::new();
    T::schemas(&mut components);
    let walker = Walker {
        components: components.into_iter().collect(),
    };
    let mut missing = Vec::new();
    walker.walk(&T::schema(), body, "", &mut missing);
    missing
}

struct Walker {
    components: HashMap<String, RefOr<Schema>>,
}

impl Walker {
    fn walk(&self, schema: &RefOr<Schema>, value: &Value, path: &str, missing: &mut Vec<String>) {
        match schema {
            RefOr::Ref(reference) => {
                let name = reference
                    .ref_location
                    .rsplit('/')
                    .next()
                    .unwrap_or_default();
                if let Some(schema) = self.components.get(name) {
                    self.walk(schema, value, path, missing);
                }
            }
            RefOr::T(Schema::Object(object)) => {
                let Value::Object(fields) = value else { return };
                for name in &object.required {
                    if !fields.contains_key(name) {
                        missing.push(join(path, name));
                    }
                }
                for (name, property) in &object.properties {
                    if let Some(field) = fields.get(name) {
                        self.walk(property, field, &join(path, name), missing);
                    }
                }
            }
            RefOr::T(Schema::Array(array)) => {
                let (ArrayItems::RefOrSchema(items), Value::Array(values)) = (&array.items, value)
                else {
                    return;
                };
                for (i, item) in values.iter().enumerate() {
                    self.walk(items, item, &format!("{path}[{i}]"), missing);
                }
            }
            // `Option<Struct>` is `oneOf: [null, $ref]`: walk the one alternative that is not
            // null; a real choice between shapes cannot say which fields are required.
            RefOr::T(Schema::OneOf(one_of)) => {
                let shapes: Vec<_> = one_of.items.iter().filter(|s| !is_null(s)).collect();
                if let [shape] = shapes.as_slice() {
                    self.walk(shape, value, path, missing);
                }
            }
            RefOr::T(Schema::AllOf(all_of)) => {
                for schema in &all_of.items {
                    self.walk(schema, value, path, missing);
                }
            }
            RefOr::T(_) => {}
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(
        schema,
        RefOr::T(Schema::Object(object))
            if object.schema_type == utoipa::openapi::schema::Type::Null.into()
    )
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The field named by serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
}

/// For serde's "missing field" error (`message`, in the object at `path`): 422 `required` for
/// every required field the body leaves out, where serde stops at the first.
pub fn missing_field_error<T: ToSchema>(
    body: &[u8],
    path: &str,
    message: &str,
) -> Option<ApiError> {
    let first = missing_field(message)?;
    let mut missing = serde_json::from_slice(body)
        .map(|value| missing_fields::<T>(&value))
        .unwrap_or_default();
    if missing.is_empty() {
        missing.push(if path == "." {
            first.to_owned()
        } else {
            format!("{path}.{first}")
        });
    }
    Some(ApiError::Validation {
        errors: missing
            .into_iter()
            .map(|field| {
                let message = format!("{field} is required.");
                FieldError::new(field, "required", message)
            })
            .collect(),
    })
}
