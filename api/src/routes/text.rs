//! Free text in bodies: one schema type per kind of text and limit (`Line100`,
//! `Paragraphs4000`, ...), whose `pattern` and `maxLength` come from the same rule and limit
//! the server checks ([`merit_domain::text`]), so the two cannot say different things.
//!
//! A field typed `Line<100>` is deserialized as any string; the rule is checked by
//! [`Line::check`] when the request is converted, so every broken field is reported at once
//! (`blank`, `too_long`, `control_character`) at its own path.

use std::{borrow::Cow, ops::Deref};

use serde::{Deserialize, Serialize};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        RefOr,
        schema::{ObjectBuilder, Schema, Type},
    },
};

use crate::validation::Fields;

/// Defines a free-text type checked by `$check` and stated by `$pattern`.
macro_rules! free_text {
    ($(#[$doc:meta])* $name:ident, $pattern:path, $check:path, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name<const MAX: usize>(pub String);

        impl<const MAX: usize> $name<MAX> {
            /// The text, trimmed, or `None` with its error recorded under `field`.
            pub fn check(&self, fields: &mut Fields, field: &str) -> Option<String> {
                crate::validation::text(fields, field, $check(&self.0, MAX))
            }

            /// Like [`Self::check`] for an optional field.
            pub fn check_optional(
                text: Option<&Self>,
                fields: &mut Fields,
                field: &str,
            ) -> Option<String> {
                text.and_then(|text| text.check(fields, field))
            }
        }

        impl<const MAX: usize> From<String> for $name<MAX> {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl<const MAX: usize> Deref for $name<MAX> {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl<const MAX: usize> PartialSchema for $name<MAX> {
            fn schema() -> RefOr<Schema> {
                text_schema($pattern, MAX, $what)
            }
        }

        impl<const MAX: usize> ToSchema for $name<MAX> {
            fn name() -> Cow<'static, str> {
                Cow::Owned(format!("{}{MAX}", stringify!($name)))
            }
        }
    };
}

free_text!(
    /// One line of free text (a name, a title) of at most `MAX` characters.
    Line,
    merit_domain::text::LINE_PATTERN,
    merit_domain::text::line,
    "One line of free text: no control characters (no tabs or line breaks), not blank; surrounding white space is trimmed. At most"
);

free_text!(
    /// Paragraphs of free text (line breaks and tabs allowed) of at most `MAX` characters.
    Paragraphs,
    merit_domain::text::PARAGRAPHS_PATTERN,
    merit_domain::text::paragraphs,
    "Paragraphs of free text: line breaks and tabs allowed, no other control characters, not blank; surrounding white space is trimmed. At most"
);

fn text_schema(pattern: &str, max: usize, what: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!(
            "{what} {max} characters, counted as sent. Refused with 422 `blank`, `too_long` or `control_character` at the field's path."
        )))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .into()
}
