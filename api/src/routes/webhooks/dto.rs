//! Shapes of webhook endpoints, their deliveries and the delivery log.

use chrono::{DateTime, Utc};
use merit_domain::webhook::EventType;
use merit_persistence::webhooks::{Attempt, Delivery, DeliveryStatus, Endpoint};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::ApiError,
    routes::{terms::api_enum, text::Line},
    services::webhooks::EndpointDraft,
    validation::Fields,
    webhooks::check_url,
};

/// An event type an endpoint can receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum WebhookEventTypeName {
    /// A posting opened for applications.
    #[serde(rename = "posting.published")]
    PostingPublished,
    /// An open posting stopped taking applications (closed or cancelled).
    #[serde(rename = "posting.closed")]
    PostingClosed,
    /// An application was submitted.
    #[serde(rename = "application.submitted")]
    ApplicationSubmitted,
    /// A submitted application moved to another status.
    #[serde(rename = "application.status_changed")]
    ApplicationStatusChanged,
    /// The applicant withdrew an application.
    #[serde(rename = "application.withdrawn")]
    ApplicationWithdrawn,
}

impl From<WebhookEventTypeName> for EventType {
    fn from(value: WebhookEventTypeName) -> Self {
        match value {
            WebhookEventTypeName::PostingPublished => EventType::PostingPublished,
            WebhookEventTypeName::PostingClosed => EventType::PostingClosed,
            WebhookEventTypeName::ApplicationSubmitted => EventType::ApplicationSubmitted,
            WebhookEventTypeName::ApplicationStatusChanged => EventType::ApplicationStatusChanged,
            WebhookEventTypeName::ApplicationWithdrawn => EventType::ApplicationWithdrawn,
        }
    }
}

impl From<EventType> for WebhookEventTypeName {
    fn from(value: EventType) -> Self {
        match value {
            EventType::PostingPublished => WebhookEventTypeName::PostingPublished,
            EventType::PostingClosed => WebhookEventTypeName::PostingClosed,
            EventType::ApplicationSubmitted => WebhookEventTypeName::ApplicationSubmitted,
            EventType::ApplicationStatusChanged => WebhookEventTypeName::ApplicationStatusChanged,
            EventType::ApplicationWithdrawn => WebhookEventTypeName::ApplicationWithdrawn,
        }
    }
}

/// Why an endpoint is disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookDisabledReason {
    /// An admin disabled it.
    Manual,
    /// The receiver answered 410 Gone.
    Gone,
    /// A delivery was given up after its last attempt (about three days of failures).
    Failing,
}

fn yes() -> bool {
    true
}

/// A webhook endpoint as created or replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpointRequest {
    /// Where events are sent: an absolute `https` URL of a public host (422 `https_required`,
    /// `private_address` or `invalid_url` at `url` otherwise; a server may allow `http` and
    /// internal hosts for development with `MERIT_WEBHOOKS_ALLOW_PRIVATE`). Redirects are never
    /// followed.
    #[schema(
        max_length = 2000,
        pattern = "^[hH][tT][tT][pP][sS]?://[^\\s#]+$",
        example = "https://hr.example.com/merit/webhooks"
    )]
    pub url: String,
    /// What the endpoint is for.
    #[serde(default)]
    pub description: Option<Line<200>>,
    /// The event types it receives, each at most once (422 `duplicate` at `event_types[i]`).
    #[schema(min_items = 1, max_items = 5)]
    pub event_types: Vec<WebhookEventTypeName>,
    /// Whether events are delivered (true when absent). Setting it true again enables an
    /// endpoint Merit disabled.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub enabled: bool,
}

impl WebhookEndpointRequest {
    /// The checked draft; `allow_private` is `MERIT_WEBHOOKS_ALLOW_PRIVATE`.
    pub fn parse(self, allow_private: bool) -> Result<EndpointDraft, ApiError> {
        let mut fields = Fields::new();
        let url = match check_url(&self.url, allow_private) {
            Ok(_) => Some(self.url.clone()),
            Err(refusal) => {
                fields.push("url", refusal.code, refusal.message);
                None
            }
        };
        let description =
            Line::check_optional(self.description.as_ref(), &mut fields, "description");
        let mut event_types: Vec<EventType> = Vec::new();
        if self.event_types.is_empty() {
            fields.push("event_types", "required", "name at least one event type");
        }
        if self.event_types.len() > 5 {
            fields.push("event_types", "too_many", "at most 5 event types");
        }
        for (i, t) in self.event_types.iter().enumerate() {
            let t = EventType::from(*t);
            if event_types.contains(&t) {
                fields.push(
                    &format!("event_types[{i}]"),
                    "duplicate",
                    format!("{} is listed twice", t.as_str()),
                );
            } else {
                event_types.push(t);
            }
        }
        let draft = url.map(|url| EndpointDraft {
            url,
            description,
            event_types,
            enabled: self.enabled,
        });
        fields.into_result(draft)
    }
}

/// A webhook endpoint (its secret is shown only when made or rotated).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpointResponse {
    /// Opaque id.
    pub id: String,
    /// The API client it belongs to.
    pub api_client_id: String,
    /// Where events are sent.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives.
    pub event_types: Vec<WebhookEventTypeName>,
    /// Whether events are delivered.
    pub enabled: bool,
    /// Why it is disabled (null while enabled).
    pub disabled_reason: Option<WebhookDisabledReason>,
    /// Until when the secret before the last rotation still signs beside the current one.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Endpoint> for WebhookEndpointResponse {
    fn from(e: Endpoint) -> Self {
        let disabled_reason = match e.disabled_reason.as_deref() {
            None => None,
            Some("gone") => Some(WebhookDisabledReason::Gone),
            Some("failing") => Some(WebhookDisabledReason::Failing),
            Some(_) => Some(WebhookDisabledReason::Manual),
        };
        WebhookEndpointResponse {
            id: e.id.to_string(),
            api_client_id: e.client_id.to_string(),
            url: e.url,
            description: e.description,
            event_types: e.event_types.into_iter().map(Into::into).collect(),
            enabled: e.enabled,
            disabled_reason,
            previous_secret_expires_at: e.previous_secret_until,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An endpoint with its signing secret: shown when the endpoint is made and when the secret is
/// rotated, never again.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpointWithSecretResponse {
    /// The endpoint.
    pub endpoint: WebhookEndpointResponse,
    /// The signing secret, `whsec_` and the base64 of 32 random bytes: verify each delivery's
    /// `webhook-signature` with it (Standard Webhooks `v1`, HMAC-SHA256).
    #[schema(
        pattern = "^whsec_[A-Za-z0-9+/]{43}=$",
        example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq="
    )]
    pub secret: String,
}

api_enum!(
    /// Where a delivery stands.
    WebhookDeliveryStatus => DeliveryStatus {
        /// Waiting for its next attempt (or being sent).
        Pending,
        /// The endpoint answered 2xx.
        Delivered,
        /// Given up: after its last attempt (about three days), or at a 410.
        Failed,
    }
);

/// One event's delivery to an endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookDeliveryResponse {
    /// Opaque id.
    pub id: String,
    /// The event: the `webhook-id` header of every attempt (and of a redelivery).
    pub event_id: String,
    /// The event's type.
    pub event_type: WebhookEventTypeName,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// Attempts so far.
    #[schema(minimum = 0)]
    pub attempts: i32,
    /// When the next attempt is due (meaningful while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the endpoint took it.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it was given up.
    pub failed_at: Option<DateTime<Utc>>,
}

impl From<Delivery> for WebhookDeliveryResponse {
    fn from(d: Delivery) -> Self {
        WebhookDeliveryResponse {
            id: d.id.to_string(),
            event_id: d.event_id.to_string(),
            event_type: EventType::parse(&d.event_type)
                .map(Into::into)
                .unwrap_or(WebhookEventTypeName::PostingPublished),
            status: d.status.into(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
            failed_at: d.failed_at,
        }
    }
}

/// One attempt at a delivery: the endpoint's delivery log.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookAttemptResponse {
    /// Opaque id.
    pub id: String,
    /// The delivery it was an attempt at.
    pub delivery_id: String,
    /// Which attempt of the delivery (1 to 10).
    #[schema(minimum = 1)]
    pub attempt: i32,
    /// When it was made.
    pub attempted_at: DateTime<Utc>,
    /// The answer's HTTP status; null when there was none (refused, timed out, an address
    /// not allowed).
    pub response_status: Option<i32>,
    /// How long the answer took, in milliseconds.
    #[schema(minimum = 0)]
    pub latency_ms: i64,
    /// The answer's first 1 KiB.
    pub response_body: Option<String>,
    /// Why there was no answer.
    pub error: Option<String>,
}

impl From<Attempt> for WebhookAttemptResponse {
    fn from(a: Attempt) -> Self {
        WebhookAttemptResponse {
            id: a.id.to_string(),
            delivery_id: a.delivery_id.to_string(),
            attempt: a.attempt,
            attempted_at: a.attempted_at,
            response_status: a.response_status,
            latency_ms: a.latency_ms,
            response_body: a.response_body,
            error: a.error,
        }
    }
}

/// A page of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WebhookPageQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
