//! The bodies Merit sends to webhook endpoints: thin Standard Webhooks payloads
//! `{type, timestamp, data}` whose `data` carries ids and public statuses only, never personal
//! data (a receiver that needs more asks the API, authorised and audited). The OpenAPI
//! document's `webhooks` section is built from these types.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::routes::{applications::ApplicationStatus, postings::PostingStatusName};

/// The type of a posting event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum WebhookPostingEventType {
    /// The posting opened for applications.
    #[serde(rename = "posting.published")]
    PostingPublished,
    /// The posting stopped taking applications.
    #[serde(rename = "posting.closed")]
    PostingClosed,
}

/// The type of an application event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum WebhookApplicationEventType {
    /// The application was submitted.
    #[serde(rename = "application.submitted")]
    ApplicationSubmitted,
    /// The application moved to another status.
    #[serde(rename = "application.status_changed")]
    ApplicationStatusChanged,
    /// The applicant withdrew the application.
    #[serde(rename = "application.withdrawn")]
    ApplicationWithdrawn,
}

/// What a posting event is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPostingData {
    /// The posting (read it with `GET /api/v1/postings/{id}`).
    #[schema(format = Uuid)]
    pub posting_id: String,
    /// The posting's department.
    pub department_code: String,
    /// The posting's status after the event.
    pub status: PostingStatusName,
}

/// What an application event is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookApplicationData {
    /// The application (read it with `GET /api/v1/applications/{id}`).
    #[schema(format = Uuid)]
    pub application_id: String,
    /// The posting applied to.
    #[schema(format = Uuid)]
    pub posting_id: String,
    /// The posting's department.
    pub department_code: String,
    /// The application's public status after the event.
    pub status: ApplicationStatus,
}

/// A posting event, as sent to an endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPostingEvent {
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: WebhookPostingEventType,
    /// When it happened (RFC 3339, UTC).
    pub timestamp: DateTime<Utc>,
    /// What it is about.
    pub data: WebhookPostingData,
}

/// An application event, as sent to an endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookApplicationEvent {
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: WebhookApplicationEventType,
    /// When it happened (RFC 3339, UTC).
    pub timestamp: DateTime<Utc>,
    /// What it is about.
    pub data: WebhookApplicationData,
}
