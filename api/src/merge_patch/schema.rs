//! The schemas of merge patches, derived from the whole-replace request schemas so the two
//! cannot drift: `XPatch` is `X` with no required member, `null` allowed wherever `X` does not
//! require the member (null clears it), and nested objects patched the same way.

use serde_json::Value;
use utoipa::openapi::{
    OpenApi, Ref, RefOr,
    schema::{Components, ObjectBuilder, OneOf, Schema, SchemaType, Type},
};

use super::MEDIA_TYPE;

/// Points the body of every `PATCH` at the merge patch schema of its request schema, adding
/// those schemas to the components. A request schema named `*PatchRequest` is written as a
/// patch already and is left as it is.
pub fn add_patch_schemas(api: &mut OpenApi) {
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for item in api.paths.paths.values_mut() {
        let Some(RefOr::T(body)) = item
            .patch
            .as_mut()
            .and_then(|operation| operation.request_body.as_mut())
        else {
            continue;
        };
        for (media_type, content) in &mut body.content {
            if media_type != MEDIA_TYPE && media_type != "application/json" {
                continue;
            }
            let written_as_patch = matches!(
                &content,
                RefOr::T(c) if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("PatchRequest"))
            );
            if !written_as_patch
                && let RefOr::T(content) = content
                && let Some(schema) = content.schema.take()
            {
                content.schema = Some(patched(components, schema));
            }
        }
    }
}

fn component_name(reference: &Ref) -> Option<&str> {
    reference.ref_location.strip_prefix("#/components/schemas/")
}

/// `schema` with references to object components replaced by their patch schemas.
fn patched(components: &mut Components, schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::Ref(mut reference) => {
            if let Some(patch) = component_name(&reference)
                .map(str::to_owned)
                .and_then(|name| patch_component(components, &name))
            {
                reference.ref_location = format!("#/components/schemas/{patch}");
            }
            RefOr::Ref(reference)
        }
        RefOr::T(Schema::OneOf(mut one_of)) => {
            one_of.items = one_of
                .items
                .into_iter()
                .map(|item| patched(components, item))
                .collect();
            RefOr::T(Schema::OneOf(one_of))
        }
        other => other,
    }
}

/// Adds `<name>Patch` for the object component `name` (once) and answers its name.
fn patch_component(components: &mut Components, name: &str) -> Option<String> {
    let patch_name = format!("{name}Patch");
    if components.schemas.contains_key(&patch_name) {
        return Some(patch_name);
    }
    let Some(RefOr::T(Schema::Object(mut object))) = components.schemas.get(name).cloned() else {
        return None;
    };
    if object.schema_type != SchemaType::Type(Type::Object) {
        return None;
    }
    let required = std::mem::take(&mut object.required);
    let properties = std::mem::take(&mut object.properties);
    for (member, schema) in properties {
        let schema = patched(components, schema);
        let schema = if required.contains(&member) {
            schema
        } else {
            nullable(schema)
        };
        object.properties.insert(member, schema);
    }
    object.description = Some(format!(
        "A JSON Merge Patch (RFC 7396) of `{name}`: members left out stay unchanged, objects \
         are merged, `null` clears a member `{name}` does not require."
    ));
    components
        .schemas
        .insert(patch_name.clone(), RefOr::T(Schema::Object(object)));
    Some(patch_name)
}

fn with_null(schema_type: &mut SchemaType) {
    match schema_type {
        SchemaType::Type(Type::Null) | SchemaType::AnyValue => {}
        SchemaType::Type(single) => {
            *schema_type = SchemaType::Array(vec![single.clone(), Type::Null])
        }
        SchemaType::Array(types) if !types.contains(&Type::Null) => types.push(Type::Null),
        SchemaType::Array(_) => {}
    }
}

fn null_schema() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new().schema_type(Type::Null).build(),
    ))
}

fn admits_null(schema: &RefOr<Schema>) -> bool {
    match schema {
        RefOr::T(Schema::Object(object)) => match &object.schema_type {
            SchemaType::Type(Type::Null) | SchemaType::AnyValue => true,
            SchemaType::Array(types) => types.contains(&Type::Null),
            SchemaType::Type(_) => false,
        },
        _ => false,
    }
}

/// `schema`, also admitting `null`.
fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut object)) => {
            with_null(&mut object.schema_type);
            if let Some(values) = object.enum_values.as_mut()
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            RefOr::T(Schema::Object(object))
        }
        RefOr::T(Schema::Array(mut array)) => {
            with_null(&mut array.schema_type);
            RefOr::T(Schema::Array(array))
        }
        RefOr::T(Schema::OneOf(mut one_of)) => {
            if !one_of.items.iter().any(admits_null) {
                one_of.items.push(null_schema());
            }
            RefOr::T(Schema::OneOf(one_of))
        }
        other => {
            let mut one_of = OneOf::new();
            one_of.items = vec![other, null_schema()];
            RefOr::T(Schema::OneOf(one_of))
        }
    }
}
