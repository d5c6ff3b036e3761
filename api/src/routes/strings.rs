//! String schema types for values the server checks by a fixed rule (codes, contact details)
//! or takes from a closed set (event kinds, rank bands): one definition each, referenced by
//! every body and parameter that carries such a value, so the rule is stated once.
//!
//! They deserialize as any string (the rule is checked when the request is converted, so every
//! bad field is reported at once) and dereference to `str`.

use merit_domain::{
    account::{PasswordPolicy, PasswordPreset, SPECIAL_CHARACTERS},
    profile::US_STATES,
};
use serde::{Deserialize, Serialize};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        RefOr,
        schema::{ObjectBuilder, Schema, Type},
    },
};

use crate::{routes::exams::band_label, services::audit::AuditKind};

/// Defines a string schema type for values the server checks by a fixed rule.
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $description:expr, |$builder:ident| $build:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let $builder = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description));
                $build.into()
            }
        }

        impl ToSchema for $name {}
    };
}

string_schema!(
    /// The id of something Merit holds, in a request body.
    IdValue,
    "An id as Merit gave it out: a UUID in its canonical lower-case form. Anything else is \
     refused with 422 `invalid_id`; an id that names nothing of yours is 404 or 422 as the \
     operation says.",
    |b| b
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Uuid
        )))
        .pattern(Some(merit_domain::ids::ID_PATTERN))
        .examples(["0192f0c4-5b7e-7d1a-9c3e-2f4a6b8c0d1e"])
);
string_schema!(
    /// A USPS state code.
    StateCode,
    "A USPS state, territory or military mail code, upper case.",
    |b| b.enum_values(Some(US_STATES.iter().copied())).examples(["CA"])
);
string_schema!(
    /// A county code.
    CountyCodeValue,
    "A county's code from `GET /api/v1/locations`: 2 to 32 letters and hyphens, any letter case.",
    |b| b.pattern(Some("^[A-Za-z-]{2,32}$")).examples(["sacramento"])
);
string_schema!(
    /// A department code.
    DepartmentCodeValue,
    "A department's code from `GET /api/v1/departments`: 2 to 12 letters and digits, any letter case.",
    |b| b.pattern(Some("^[A-Za-z0-9]{2,12}$")).examples(["DMV"])
);
string_schema!(
    /// A classification (class) code.
    ClassificationCodeValue,
    "A classification's class code from `GET /api/v1/classifications`: 1 to 8 letters and digits, any letter case.",
    |b| b.pattern(Some("^[A-Za-z0-9]{1,8}$")).examples(["1139"])
);
string_schema!(
    /// An office code.
    OfficeCodeValue,
    "An office's code from `GET /api/v1/offices`: 2 to 6 letters, any letter case.",
    |b| b.pattern(Some("^[A-Za-z]{2,6}$")).examples(["LAO"])
);
string_schema!(
    /// An email address someone types into a form (`merit_domain::profile::contact_email`).
    EmailAddressValue,
    "An email address as RFC 5321 has it, without quoting or address literals: a local part of 1 to 64 letters, digits, dots and ``!#$%&'*+/=?^_`{|}~-`` (no leading, trailing or double dot), `@`, and a domain of two or more labels of letters, digits and inner hyphens (an international domain in its `xn--` form); at most 254 characters. Refused with 422 `invalid_email`.",
    |b| b
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Email
        )))
        .max_length(Some(254))
        .pattern(Some(merit_domain::profile::EMAIL_PATTERN))
        .examples(["jane.doe@example.org"])
);
string_schema!(
    /// A phone number.
    PhoneNumberValue,
    "A phone number: 7 to 20 digits, with spaces and `+ - ( ) . x` allowed; at most 30 characters. Refused with 422 `invalid_phone`.",
    |b| b
        .max_length(Some(30))
        .pattern(Some(r"^[-+(). xX]*([0-9][-+(). xX]*){7,20}$"))
        .examples(["(916) 555-0100"])
);
string_schema!(
    /// An `https://` link (`merit_domain::text::web_link`).
    WebLinkValue,
    "An `https://` link: a host of letters, digits, dots and hyphens, an optional port, then a path, query and fragment of the characters RFC 3986 allows there (letters, digits, `-._~!$&()*+,;=:@/?`, and `%` before two hex digits; no spaces, quotes, brackets, braces or backslashes); at most 2000 characters. Refused with 422 `invalid_link`.",
    |b| b
        .format(Some(utoipa::openapi::SchemaFormat::Custom("uri".into())))
        .max_length(Some(merit_domain::text::WEB_LINK_MAX))
        .pattern(Some(merit_domain::text::WEB_LINK_PATTERN))
        .examples(["https://meet.example.org/caljobs-123"])
);
string_schema!(
    /// An opaque token Merit made: a refresh token, or the `token` of an emailed link.
    OpaqueTokenValue,
    "An opaque token as Merit gave it out: base64url characters (a made-up one is simply not \
     found).",
    |b| b
        .min_length(Some(1))
        .max_length(Some(256))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
);
string_schema!(
    /// The kind of an audit event.
    AuditKindName,
    "The kind of a security event in the audit log.",
    |b| b
        .enum_values(Some(AuditKind::ALL.map(AuditKind::as_str)))
        .examples(["sign_in_failed"])
);
string_schema!(
    /// A rank band's label.
    RankBandName,
    "The rank band of a score: bands of five points from `95-100` down to `70-74`, then `below 70`.",
    |b| b.enum_values(Some((1..=7).map(band_label))).examples(["95-100"])
);
string_schema!(
    /// A new password.
    NewPasswordValue,
    "A new password, checked against the configured password policy; every rule it breaks is \
     reported (422 `password_too_short`, `password_too_long`, `password_missing_uppercase`, \
     `password_missing_lowercase`, `password_missing_digit`, `password_missing_special`, \
     `password_contains_username`, `password_too_common`). This schema states the default \
     policy, `caljobs`: 8 to 20 characters with an upper-case letter, a lower-case letter, a \
     digit and one of `! @ # $ % ^ * . _` (the server also counts non-ASCII upper- and \
     lower-case letters). A server configured with `MERIT_PASSWORD_POLICY=nist` asks instead \
     for 8 to 128 characters (code points) and no composition. Under both it must not contain \
     the username or the email's local part, nor be one of the 10,000 most common passwords.",
    |b| {
        let policy = PasswordPolicy::preset(PasswordPreset::Caljobs);
        b.min_length(Some(policy.min_length()))
            .max_length(Some(policy.max_length()))
            .pattern(Some(password_pattern(&policy)))
            .examples(["Tulip.Harbor7"])
    }
);

/// The composition rule of `policy` as a pattern (NUL is refused in every JSON body).
fn password_pattern(policy: &PasswordPolicy) -> String {
    let any = r"[^\u0000]";
    let classes = if policy.asks_for_composition() {
        ["A-Z", "a-z", "0-9", SPECIAL_CHARACTERS]
            .map(|class| format!("(?={any}*[{class}])"))
            .concat()
    } else {
        String::new()
    };
    format!("^{classes}{any}*$")
}
