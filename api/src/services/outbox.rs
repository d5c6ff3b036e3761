//! The email outbox as admins see it: every email and where it stands, and failed ones queued
//! again.

use chrono::{DateTime, Utc};
use merit_domain::ids::OutboxEmailId;
use merit_persistence::{
    DbConnection, Page, PageRequest,
    outbox::{self, OutboxEntry, OutboxStatus},
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
};

/// A page of outbox emails, newest first, optionally of one status.
pub fn list(
    conn: &mut DbConnection,
    status: Option<OutboxStatus>,
    page: PageRequest<'_>,
) -> Result<Page<OutboxEntry>, ApiError> {
    Ok(outbox::list(conn, status, page)?)
}

/// Queues a failed email again (due now, attempts reset) and audits it; 409
/// `outbox_email_not_failed` when it is queued or sent.
pub fn requeue(
    conn: &mut DbConnection,
    admin: &AuthUser,
    id: OutboxEmailId,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, ApiError> {
    let entry = outbox::find(conn, id)?.ok_or_else(|| ApiError::not_found("email"))?;
    if !outbox::requeue_failed(conn, id, now)? {
        let status = match entry.status {
            OutboxStatus::Sent => "was delivered",
            _ => "is still queued",
        };
        return Err(ApiError::new(
            Code::OutboxEmailNotFailed,
            format!("Only a failed email can be queued again; this one {status}."),
        ));
    }
    audit::record(
        conn,
        AuditKind::OutboxEmailRequeued,
        Some(admin.id()),
        None,
        json!({ "outbox_email_id": id.to_string(), "kind": entry.kind, "attempts": entry.attempts }),
        now,
    )?;
    outbox::find(conn, id)?.ok_or_else(|| ApiError::not_found("email"))
}
