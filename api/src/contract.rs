//! Rules every operation of a kind follows, stated in the document here once rather than in
//! each handler's annotation, so none can be forgotten:
//!
//! - a header parameter is a string, never null;
//! - a path parameter never holds a control character (the middleware answers 404,
//!   [`crate::extract::refuse_control_characters_in_path`]);
//! - a `cursor` is what [`crate::paging::encode_cursor`] makes: base64url without padding;
//! - an operation that can answer 304 honours `If-None-Match` and its 200 carries an `ETag`;
//! - an operation that can answer 412 honours `If-Match` and its 200 carries the new `ETag`.
//!
//! and two rules of request bodies: a list whose items the server takes each at most once is
//! `uniqueItems`, and a body that takes exactly one of two fields is a `oneOf` of two shapes.

use utoipa::openapi::{
    self, HeaderBuilder, RefOr, Required,
    path::{Operation, Parameter, ParameterBuilder, ParameterIn},
    schema::{ObjectBuilder, OneOf, Ref, Schema, SchemaType, Type},
};

/// What a path parameter may hold.
const PATH_PATTERN: &str = r"^[^\u0000-\u001F\u007F]+$";

/// What a cursor may hold.
const CURSOR_PATTERN: &str = "^[A-Za-z0-9_-]*$";

/// Request lists whose items the server takes each at most once (422 `duplicate` or
/// `duplicate_widget` at the repeated item): `uniqueItems` in the schema, so a generated client
/// or a fuzzer knows before sending. (schema, property)
const UNIQUE_LISTS: [(&str, &str); 6] = [
    ("DashboardWidgetsRequest", "widgets"),
    ("WebhookEndpointRequest", "event_types"),
    ("BulkStatusChangeRequest", "application_ids"),
    ("CreateApplicationRequest", "document_ids"),
    ("ApplicationPatchRequest", "document_ids"),
    ("SurveyAnswerValue", "choices"),
];

/// Request bodies that take exactly one of two fields (422 `required` at the first when
/// neither is given, `not_allowed` at the second when both are), deserialized as one struct
/// with both optional so that every error keeps its own path. The schema says the rule: a
/// `oneOf` of two closed shapes, each with one of the two fields (required, not null) and
/// without the other. (schema, [(field, the name of the shape with it, its description); 2])
type OneOfTwo = (
    &'static str,
    [(&'static str, &'static str, &'static str); 2],
);
const EXACTLY_ONE_OF: [OneOfTwo; 1] = [(
    "AlertRequest",
    [
        (
            "criteria",
            "AlertFromCriteria",
            "Create a job alert watching the given criteria.",
        ),
        (
            "saved_search_id",
            "AlertFromSavedSearch",
            "Create a job alert watching a copy of one of your saved searches' criteria.",
        ),
    ],
)];

/// Applies the rules to every operation of `api`.
pub fn state_common_rules(api: &mut openapi::OpenApi) {
    for operation in crate::openapi::operations_mut(api) {
        for parameter in operation.parameters.iter_mut().flatten() {
            if let RefOr::T(parameter) = parameter {
                constrain(parameter);
            }
        }
        conditional_headers(operation);
    }
    unique_lists(api);
    exactly_one_of(api);
}

/// Replaces each of [`EXACTLY_ONE_OF`] by a `oneOf` of its two shapes, added as schemas of
/// their own (generated clients name them).
fn exactly_one_of(api: &mut openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for (schema, shapes) in EXACTLY_ONE_OF {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get(schema).cloned() else {
            panic!("the contract names a schema that does not exist: {schema}");
        };
        let mut one_of = OneOf::new();
        one_of.description.clone_from(&object.description);
        for (i, (field, name, description)) in shapes.iter().enumerate() {
            let mut shape = object.clone();
            let other = shapes[1 - i].0;
            assert!(
                shape.properties.shift_remove(other).is_some(),
                "{schema}.{other} does not exist"
            );
            let Some(property) = shape.properties.get_mut(*field) else {
                panic!("{schema}.{field} does not exist");
            };
            // An `Option` is `oneOf: [T, null]`: the shape holds the `T`.
            if let RefOr::T(Schema::OneOf(nullable)) = property {
                let not_null = nullable.items.iter().find(|item| !is_null(item)).cloned();
                if let Some(not_null) = not_null {
                    *property = not_null;
                }
            }
            shape.required.retain(|r| r != field && r != other);
            shape.required.insert(0, (*field).to_owned());
            shape.description = Some((*description).to_owned());
            components
                .schemas
                .insert((*name).to_owned(), RefOr::T(Schema::Object(shape)));
            one_of.items.push(RefOr::Ref(Ref::from_schema_name(*name)));
        }
        components
            .schemas
            .insert(schema.to_owned(), RefOr::T(Schema::OneOf(one_of)));
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(
        schema,
        RefOr::T(Schema::Object(object)) if object.schema_type == Type::Null.into()
    )
}

/// Marks [`UNIQUE_LISTS`] `uniqueItems: true` (a list that is also nullable is a `oneOf` of
/// the array and `null`).
fn unique_lists(api: &mut openapi::OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for (schema, property) in UNIQUE_LISTS {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
            panic!("the contract names a schema that does not exist: {schema}");
        };
        let marked = match object.properties.get_mut(property) {
            Some(RefOr::T(Schema::Array(array))) => {
                array.unique_items = true;
                true
            }
            Some(RefOr::T(Schema::OneOf(one_of))) => {
                let mut marked = false;
                for item in &mut one_of.items {
                    if let RefOr::T(Schema::Array(array)) = item {
                        array.unique_items = true;
                        marked = true;
                    }
                }
                marked
            }
            _ => false,
        };
        assert!(marked, "{schema}.{property} is not a list");
    }
}

fn constrain(parameter: &mut Parameter) {
    if parameter.parameter_in == ParameterIn::Header
        && let Some(RefOr::T(Schema::Object(object))) = &mut parameter.schema
    {
        // A header is text or absent, never null. (An `If-Match` header's syntax, `*` or
        // entity tags in quotes, is in its description: a `pattern` on a header sends
        // schemathesis's coverage phase to values it cannot check.)
        object.schema_type = SchemaType::Type(Type::String);
        return;
    }
    let pattern = match (&parameter.parameter_in, parameter.name.as_str()) {
        (ParameterIn::Path, _) => PATH_PATTERN,
        (ParameterIn::Query, "cursor") => CURSOR_PATTERN,
        _ => return,
    };
    if let Some(RefOr::T(Schema::Object(object))) = &mut parameter.schema
        && object.pattern.is_none()
    {
        object.pattern = Some(pattern.to_owned());
    }
}

fn conditional_headers(operation: &mut Operation) {
    let responses = &operation.responses.responses;
    let (reads, writes) = (responses.contains_key("304"), responses.contains_key("412"));
    if reads {
        add_header_parameter(
            operation,
            "If-None-Match",
            "The `ETag` of a copy the client holds: 304 without a body when it is still current.",
        );
    }
    if writes {
        add_header_parameter(
            operation,
            "If-Match",
            "The `ETag` of the version the change is based on: 412 when it is no longer current.",
        );
    }
    if (reads || writes)
        && let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200")
    {
        ok.headers.entry("ETag".to_owned()).or_insert_with(|| {
            RefOr::T(
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .description(Some(
                        "The version of what is answered (a strong entity tag), for \
                         `If-None-Match` and `If-Match`.",
                    ))
                    .build(),
            )
        });
    }
}

fn add_header_parameter(operation: &mut Operation, name: &str, description: &str) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    if parameters.iter().any(|p| match p {
        RefOr::T(p) => p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case(name),
        RefOr::Ref(_) => false,
    }) {
        return;
    }
    parameters.push(RefOr::T(
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build(),
    ));
}
