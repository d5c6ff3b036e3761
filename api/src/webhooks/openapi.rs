//! The OpenAPI 3.1 `webhooks` section: one `POST` per event type, with the three Standard
//! Webhooks headers and the payload schema, all generated from the Rust payload types.

use merit_domain::webhook::EventType;
use utoipa::{
    ToSchema,
    openapi::{
        self, ContentBuilder, Ref, Required, ResponseBuilder,
        path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn},
        request_body::RequestBodyBuilder,
        schema::{ObjectBuilder, Type},
    },
};

use super::payload::{WebhookApplicationEvent, WebhookPostingEvent};

fn header(name: &str, description: &str, schema: ObjectBuilder) -> openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn add_schema<T: ToSchema>(api: &mut openapi::OpenApi) -> String {
    let components = api.components.get_or_insert_with(Default::default);
    let name = T::name().into_owned();
    components.schemas.insert(name.clone(), T::schema());
    let mut nested = Vec::new();
    T::schemas(&mut nested);
    for (nested_name, schema) in nested {
        components.schemas.entry(nested_name).or_insert(schema);
    }
    name
}

fn summary(event: EventType) -> &'static str {
    match event {
        EventType::PostingPublished => "A posting opened for applications",
        EventType::PostingClosed => {
            "An open posting stopped taking applications (closed or cancelled)"
        }
        EventType::ApplicationSubmitted => "An application was submitted",
        EventType::ApplicationStatusChanged => "A submitted application moved to another status",
        EventType::ApplicationWithdrawn => "The applicant withdrew an application",
    }
}

/// Adds the `webhooks` section to the document.
pub fn add_webhooks(api: &mut openapi::OpenApi) {
    let posting = add_schema::<WebhookPostingEvent>(api);
    let application = add_schema::<WebhookApplicationEvent>(api);
    let mut webhooks = openapi::Paths::new();
    for event in EventType::ALL {
        let schema = if event.is_about_applications() {
            &application
        } else {
            &posting
        };
        let body = RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(schema.as_str())))
                    .build(),
            )
            .build();
        let operation = OperationBuilder::new()
            .tag("webhooks")
            .operation_id(Some(format!("webhook_{}", event.as_str().replace('.', "_"))))
            .summary(Some(summary(event)))
            .description(Some(
                "Sent by `POST` to each enabled endpoint that subscribed to this type and whose API \
                 client may read the subject. Verify the signature over the exact body before \
                 parsing it (Standard Webhooks v1; see docs/WEBHOOKS.md), and answer 2xx quickly: \
                 anything else (3xx included: redirects are not followed) is retried with the same \
                 `webhook-id` after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (±10 %), \
                 then the endpoint is disabled; 410 Gone disables it at once. Timeout 15 s.",
            ))
            .parameter(header(
                "webhook-id",
                "The event's id: the same on every retry and redelivery, so use it to drop repeats.",
                ObjectBuilder::new().schema_type(Type::String).format(Some(openapi::SchemaFormat::KnownFormat(openapi::KnownFormat::Uuid))),
            ))
            .parameter(header(
                "webhook-timestamp",
                "When this attempt was sent, in Unix seconds; refuse messages far from your clock (the libraries allow 5 minutes).",
                ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[0-9]+$")),
            ))
            .parameter(header(
                "webhook-signature",
                "Space-separated signatures `v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\">` keyed by the endpoint's secret (the base64 after `whsec_`); two during the 24 hours after a secret rotation. Accept the message when any one matches.",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^v1,[A-Za-z0-9+/]{43}=( v1,[A-Za-z0-9+/]{43}=)*$")),
            ))
            .request_body(Some(body))
            .response(
                "200",
                ResponseBuilder::new().description("Received (any 2xx status counts as delivered)."),
            )
            .response(
                "410",
                ResponseBuilder::new().description("Gone: Merit disables the endpoint and sends it nothing more."),
            )
            .build();
        webhooks.add_path_operation(event.as_str(), vec![HttpMethod::Post], operation);
    }
    api.webhooks = Some(webhooks);
}
