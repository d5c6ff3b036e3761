//! The email outbox for admins: emails and where they stand, and failed ones queued again.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use merit_domain::ids::OutboxEmailId;
use merit_persistence::outbox::OutboxEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Admin,
    error::ApiError,
    extract::{PathId, Query},
    openapi::{Conflict, Forbidden, NotFound},
    paging::{PageResponse, Paging},
    routes::terms::api_enum,
    services::outbox as service,
    state::AppState,
};

api_enum!(
    /// Where an email stands.
    OutboxStatus => merit_persistence::outbox::OutboxStatus {
        /// Waiting for its next attempt (or being delivered).
        Queued,
        /// Delivered.
        Sent,
        /// Given up after its last attempt (8, over about four hours); may be queued again.
        Failed,
    }
);

/// Filters of the outbox.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Emails in this state only.
    pub status: Option<OutboxStatus>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// An email in the outbox (its body is not shown).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct OutboxEmailResponse {
    /// Opaque id (also the email's `Message-ID`).
    pub id: String,
    /// Which email it is: `verify_email`, `reset_password`, `application_status`,
    /// `email_changed`, ...
    #[schema(example = "application_status")]
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// Where it stands.
    pub status: OutboxStatus,
    /// Delivery attempts since it was (last) queued.
    #[schema(minimum = 0)]
    pub attempts: i32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the next attempt is due (meaningful while queued).
    pub next_attempt_at: DateTime<Utc>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was given up.
    pub failed_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (the mail server's answer).
    pub last_error: Option<String>,
}

impl From<OutboxEntry> for OutboxEmailResponse {
    fn from(e: OutboxEntry) -> Self {
        OutboxEmailResponse {
            id: e.id.to_string(),
            kind: e.kind,
            to: e.to,
            subject: e.subject,
            status: e.status.into(),
            attempts: e.attempts,
            created_at: e.created_at,
            next_attempt_at: e.next_attempt_at,
            sent_at: e.sent_at,
            failed_at: e.failed_at,
            last_error: e.last_error,
        }
    }
}

/// List outbox emails
///
/// Every email Merit wrote, newest first; `status=failed` lists those given up after their last
/// attempt, which `POST /api/v1/admin/outbox/{id}/retry` queues again.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(OutboxQuery),
    responses((status = 200, description = "A page of emails.", body = PageResponse<OutboxEmailResponse>), (status = 403, response = Forbidden))
)]
#[get("/admin/outbox")]
pub async fn list_outbox_emails(
    state: web::Data<AppState>,
    _admin: Admin,
    Query(query): Query<OutboxQuery>,
) -> Result<web::Json<PageResponse<OutboxEmailResponse>>, ApiError> {
    let paging = Paging::parse("outbox", query.limit, query.cursor.as_deref())?;
    let status = query.status.map(Into::into);
    paging
        .read(
            &state.db,
            move |conn, page| service::list(conn, status, page),
            |e| e.id,
            OutboxEmailResponse::from,
        )
        .await
}

/// Queue a failed email again
///
/// A failed email is queued again, due at once, its attempts counted afresh; the change is
/// audited (`outbox_email_requeued`). 409 `outbox_email_not_failed` for one queued or sent.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The email's id.")),
    responses(
        (status = 200, description = "Queued again.", body = OutboxEmailResponse),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
#[post("/admin/outbox/{id}/retry")]
pub async fn retry_outbox_email(
    state: web::Data<AppState>,
    Admin(admin): Admin,
    PathId(id): PathId<OutboxEmailId>,
) -> Result<web::Json<OutboxEmailResponse>, ApiError> {
    let now = state.clock.now();
    let entry = state
        .db
        .write(move |conn| service::requeue(conn, &admin, id, now))
        .await?;
    state.wake_mailer();
    Ok(web::Json(entry.into()))
}
