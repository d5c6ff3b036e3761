//! Webhooks: admins manage an API client's endpoints; postings and applications write events
//! in the transaction of their cause; the worker records every attempt's outcome here.

use chrono::{DateTime, Utc};
use merit_domain::{
    api_client::{ClientScope, Permissions},
    application::ApplicationStatus,
    ids::{
        AccountId, ApiClientId, EntityId, WebhookAttemptId, WebhookDeliveryId, WebhookEndpointId,
        WebhookEventId,
    },
    posting::{Posting, Visibility},
    reference::DepartmentCode,
    webhook::{self, EventType, Outcome, ROTATION_OVERLAP},
};
use merit_persistence::{
    DbConnection, Page, PageRequest, accounts,
    applications::Application,
    webhooks::{self as repo, Attempt, Claimed, ClientFacts, Delivery, Endpoint},
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    error::{ApiError, Code},
    mail,
    services::audit::{self, AuditKind},
    webhooks::{
        Answer,
        payload::{
            WebhookApplicationData, WebhookApplicationEvent, WebhookApplicationEventType,
            WebhookPostingData, WebhookPostingEvent, WebhookPostingEventType,
        },
        signing,
    },
};

/// An endpoint as created or replaced (its address already checked).
#[derive(Debug, Clone)]
pub struct EndpointDraft {
    /// Where events go.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives (at least one).
    pub event_types: Vec<EventType>,
    /// Whether deliveries go out.
    pub enabled: bool,
}

fn client_not_found() -> ApiError {
    ApiError::not_found("API client")
}

fn endpoint_not_found() -> ApiError {
    ApiError::not_found("webhook endpoint")
}

fn client(conn: &mut DbConnection, id: ApiClientId) -> Result<ClientFacts, ApiError> {
    repo::find_client(conn, id)?.ok_or_else(client_not_found)
}

fn endpoint(
    conn: &mut DbConnection,
    client_id: ApiClientId,
    id: WebhookEndpointId,
) -> Result<Endpoint, ApiError> {
    client(conn, client_id)?;
    repo::find_endpoint(conn, client_id, id)?.ok_or_else(endpoint_not_found)
}

fn audit_endpoint(
    conn: &mut DbConnection,
    kind: AuditKind,
    actor: Option<AccountId>,
    e: &Endpoint,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        kind,
        actor,
        None,
        json!({
            "api_client_id": e.client_id.to_string(),
            "webhook_endpoint_id": e.id.to_string(),
            "event_types": repo::encode_event_types(&e.event_types),
            "enabled": e.enabled,
        }),
        now,
    )?;
    Ok(())
}

/// Adds an endpoint to a client, with a new signing secret; audited.
pub fn create(
    conn: &mut DbConnection,
    admin: &AuthUser,
    client_id: ApiClientId,
    draft: EndpointDraft,
    now: DateTime<Utc>,
) -> Result<Endpoint, ApiError> {
    let facts = client(conn, client_id)?;
    if facts.revoked_at.is_some() {
        return Err(ApiError::new(
            Code::WebhookClientRevoked,
            "The API client is revoked; its endpoints can no longer be added or changed.",
        ));
    }
    let e = Endpoint {
        id: WebhookEndpointId::from_uuid(uuid::Uuid::now_v7()),
        client_id,
        url: draft.url,
        description: draft.description,
        event_types: draft.event_types,
        enabled: draft.enabled,
        disabled_reason: (!draft.enabled).then(|| "manual".to_owned()),
        secret: signing::new_secret(),
        previous_secret: None,
        previous_secret_until: None,
        created_at: now,
        created_by: admin.id().to_string(),
        updated_at: now,
    };
    repo::insert_endpoint(conn, &e)?;
    audit_endpoint(
        conn,
        AuditKind::WebhookEndpointCreated,
        Some(admin.id()),
        &e,
        now,
    )?;
    Ok(e)
}

/// A page of a client's endpoints.
pub fn list(
    conn: &mut DbConnection,
    client_id: ApiClientId,
    page: PageRequest<'_>,
) -> Result<Page<Endpoint>, ApiError> {
    client(conn, client_id)?;
    Ok(repo::list_endpoints(conn, client_id, page)?)
}

/// One endpoint of a client.
pub fn get(
    conn: &mut DbConnection,
    client_id: ApiClientId,
    id: WebhookEndpointId,
) -> Result<Endpoint, ApiError> {
    endpoint(conn, client_id, id)
}

/// Replaces an endpoint's address, description, event types and state; enabling it again
/// clears why it was disabled. Audited.
pub fn replace(
    conn: &mut DbConnection,
    admin: &AuthUser,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    draft: EndpointDraft,
    now: DateTime<Utc>,
) -> Result<Endpoint, ApiError> {
    let mut e = endpoint(conn, client_id, id)?;
    if client(conn, client_id)?.revoked_at.is_some() {
        return Err(ApiError::new(
            Code::WebhookClientRevoked,
            "The API client is revoked; its endpoints can no longer be added or changed.",
        ));
    }
    e.disabled_reason = match (draft.enabled, e.enabled) {
        (true, _) => None,
        (false, true) => Some("manual".to_owned()),
        (false, false) => e.disabled_reason.take(),
    };
    e.url = draft.url;
    e.description = draft.description;
    e.event_types = draft.event_types;
    e.enabled = draft.enabled;
    e.updated_at = now;
    repo::save_endpoint(conn, &e)?;
    audit_endpoint(
        conn,
        AuditKind::WebhookEndpointUpdated,
        Some(admin.id()),
        &e,
        now,
    )?;
    Ok(e)
}

/// Deletes an endpoint with its deliveries and log; audited.
pub fn delete(
    conn: &mut DbConnection,
    admin: &AuthUser,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let e = endpoint(conn, client_id, id)?;
    repo::delete_endpoint(conn, id)?;
    audit_endpoint(
        conn,
        AuditKind::WebhookEndpointDeleted,
        Some(admin.id()),
        &e,
        now,
    )
}

/// Gives an endpoint a new signing secret; the old one keeps signing beside it (two
/// signatures in `webhook-signature`) for [`ROTATION_OVERLAP`]. Audited.
pub fn rotate_secret(
    conn: &mut DbConnection,
    admin: &AuthUser,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    now: DateTime<Utc>,
) -> Result<Endpoint, ApiError> {
    let mut e = endpoint(conn, client_id, id)?;
    e.previous_secret = Some(std::mem::replace(&mut e.secret, signing::new_secret()));
    e.previous_secret_until = Some(now + ROTATION_OVERLAP);
    e.updated_at = now;
    repo::save_endpoint(conn, &e)?;
    audit_endpoint(
        conn,
        AuditKind::WebhookSecretRotated,
        Some(admin.id()),
        &e,
        now,
    )?;
    Ok(e)
}

/// A page of an endpoint's deliveries, newest first.
pub fn deliveries(
    conn: &mut DbConnection,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    page: PageRequest<'_>,
) -> Result<Page<Delivery>, ApiError> {
    endpoint(conn, client_id, id)?;
    Ok(repo::list_deliveries(conn, id, page)?)
}

/// A page of an endpoint's delivery log (every attempt), newest first.
pub fn attempts(
    conn: &mut DbConnection,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    page: PageRequest<'_>,
) -> Result<Page<Attempt>, ApiError> {
    endpoint(conn, client_id, id)?;
    Ok(repo::list_attempts(conn, id, page)?)
}

/// Sends an event of a delivery again: a new delivery of the same event (the same
/// `webhook-id`, so a receiver can tell the repeat), due now. The endpoint must be enabled
/// (409 `webhook_endpoint_disabled`). Audited.
pub fn redeliver(
    conn: &mut DbConnection,
    admin: &AuthUser,
    client_id: ApiClientId,
    id: WebhookEndpointId,
    delivery_id: WebhookDeliveryId,
    now: DateTime<Utc>,
) -> Result<Delivery, ApiError> {
    let e = endpoint(conn, client_id, id)?;
    let original = repo::find_delivery(conn, id, delivery_id)?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    if !e.enabled {
        return Err(ApiError::new(
            Code::WebhookEndpointDisabled,
            "The endpoint is disabled; enable it first (PUT with enabled: true).",
        ));
    }
    let new_id = WebhookDeliveryId::from_uuid(uuid::Uuid::now_v7());
    repo::insert_delivery(conn, new_id, id, original.event_id, now)?;
    audit::record(
        conn,
        AuditKind::WebhookRedeliveryRequested,
        Some(admin.id()),
        None,
        json!({
            "api_client_id": client_id.to_string(),
            "webhook_endpoint_id": id.to_string(),
            "webhook_event_id": original.event_id.to_string(),
            "delivery_id": new_id.to_string(),
        }),
        now,
    )?;
    repo::find_delivery(conn, id, new_id)?.ok_or_else(|| ApiError::not_found("delivery"))
}

/// The endpoints that receive an event of `event` about a posting of `department`.
fn recipients(
    conn: &mut DbConnection,
    event: EventType,
    department: &DepartmentCode,
    internal_only: bool,
) -> Result<Vec<WebhookEndpointId>, ApiError> {
    let mut found = Vec::new();
    for s in repo::subscribers(conn)? {
        if !s.event_types.contains(&event) {
            continue;
        }
        let scope = match s.department_code.as_deref() {
            None => ClientScope::StateWide,
            Some(code) => match DepartmentCode::parse(code) {
                Ok(code) => ClientScope::Department(code),
                Err(_) => continue,
            },
        };
        let Ok(permissions) = Permissions::parse(&s.permissions) else {
            continue;
        };
        if webhook::may_receive(&scope, &permissions, event, department, internal_only) {
            found.push(s.endpoint_id);
        }
    }
    Ok(found)
}

/// Writes an event and one delivery per endpoint that receives it; nothing when none does.
fn emit(
    conn: &mut DbConnection,
    event: EventType,
    posting: &Posting,
    payload: impl FnOnce() -> Result<String, serde_json::Error>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let internal_only = posting.visibility == Visibility::InternalOnly;
    let endpoints = recipients(conn, event, &posting.department, internal_only)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let body = payload().map_err(|e| ApiError::internal(anyhow::Error::new(e)))?;
    let event_id = WebhookEventId::from_uuid(uuid::Uuid::now_v7());
    repo::insert_event(conn, event_id, event, &body, now)?;
    for endpoint in endpoints {
        let id = WebhookDeliveryId::from_uuid(uuid::Uuid::now_v7());
        repo::insert_delivery(conn, id, endpoint, event_id, now)?;
    }
    Ok(())
}

/// Writes a posting event (`posting.published`, `posting.closed`) in the caller's transaction.
pub fn posting_event(
    conn: &mut DbConnection,
    posting: &Posting,
    event_type: WebhookPostingEventType,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let event = match event_type {
        WebhookPostingEventType::PostingPublished => EventType::PostingPublished,
        WebhookPostingEventType::PostingClosed => EventType::PostingClosed,
    };
    emit(
        conn,
        event,
        posting,
        || {
            serde_json::to_string(&WebhookPostingEvent {
                event_type,
                timestamp: now,
                data: WebhookPostingData {
                    posting_id: posting.id.to_string(),
                    department_code: posting.department.as_str().to_owned(),
                    status: posting.status.into(),
                },
            })
        },
        now,
    )
}

/// Writes an application event in the caller's transaction: `application.submitted` for a
/// submission, `application.withdrawn` for a withdrawal, `application.status_changed` for any
/// other move.
pub fn application_event(
    conn: &mut DbConnection,
    application: &Application,
    posting: &Posting,
    submitted: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let (event, event_type) = if submitted {
        (
            EventType::ApplicationSubmitted,
            WebhookApplicationEventType::ApplicationSubmitted,
        )
    } else if application.status == ApplicationStatus::Withdrawn {
        (
            EventType::ApplicationWithdrawn,
            WebhookApplicationEventType::ApplicationWithdrawn,
        )
    } else {
        (
            EventType::ApplicationStatusChanged,
            WebhookApplicationEventType::ApplicationStatusChanged,
        )
    };
    emit(
        conn,
        event,
        posting,
        || {
            serde_json::to_string(&WebhookApplicationEvent {
                event_type,
                timestamp: now,
                data: WebhookApplicationData {
                    application_id: application.id.to_string(),
                    posting_id: posting.id.to_string(),
                    department_code: posting.department.as_str().to_owned(),
                    status: application.status.into(),
                },
            })
        },
        now,
    )
}

/// Records one attempt's outcome: delivered; retried after the schedule's next wait (`jitter`
/// is a random draw in `[0, 1)`); or, at a 410 or after the last attempt, given up with the
/// endpoint disabled, audited and its client's creator told by email. Whether the endpoint was
/// disabled.
pub fn record_attempt(
    conn: &mut DbConnection,
    claimed: &Claimed,
    answer: &Answer,
    attempted_at: DateTime<Utc>,
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<bool, ApiError> {
    repo::insert_attempt(
        conn,
        &Attempt {
            id: WebhookAttemptId::from_uuid(uuid::Uuid::now_v7()),
            delivery_id: claimed.id,
            endpoint_id: claimed.endpoint_id,
            attempt: claimed.attempts,
            attempted_at,
            response_status: answer.status.map(i32::from),
            latency_ms: answer.latency_ms,
            response_body: answer.body.clone(),
            error: answer.error.clone(),
        },
    )?;
    let attempts = u32::try_from(claimed.attempts).unwrap_or(0);
    let reason = match webhook::outcome(answer.status) {
        Outcome::Delivered => {
            repo::mark_delivered(conn, claimed.id, now)?;
            return Ok(false);
        }
        Outcome::Failed => match webhook::retry_delay(attempts, jitter) {
            Some(wait) => {
                repo::mark_retry(conn, claimed.id, now + wait)?;
                return Ok(false);
            }
            None => "failing",
        },
        Outcome::Gone => "gone",
    };
    repo::mark_failed(conn, claimed.id, now)?;
    if !repo::disable_endpoint(conn, claimed.endpoint_id, reason, now)? {
        return Ok(false);
    }
    endpoint_disabled(conn, claimed, reason, now)?;
    Ok(true)
}

/// Audits a disabled endpoint and emails the admin who created its client.
fn endpoint_disabled(
    conn: &mut DbConnection,
    claimed: &Claimed,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some((client_id, url)) = repo::endpoint_owner(conn, claimed.endpoint_id)? else {
        return Ok(());
    };
    audit::record(
        conn,
        AuditKind::WebhookEndpointDisabled,
        None,
        None,
        json!({
            "api_client_id": client_id.to_string(),
            "webhook_endpoint_id": claimed.endpoint_id.to_string(),
            "reason": reason,
            "attempts": claimed.attempts,
        }),
        now,
    )?;
    let Some(facts) = repo::find_client(conn, client_id)? else {
        return Ok(());
    };
    let Ok(created_by) = AccountId::parse(&facts.created_by) else {
        return Ok(());
    };
    let Some(owner) = accounts::find(conn, created_by)? else {
        return Ok(());
    };
    let Some(email) = owner.email.as_ref() else {
        return Ok(());
    };
    let why = match reason {
        "gone" => "the receiver answered 410 Gone".to_owned(),
        _ => format!(
            "a delivery failed {} times over about three days",
            claimed.attempts
        ),
    };
    let message = mail::templates::webhook_endpoint_disabled(
        owner.first_name.as_str(),
        &facts.name,
        &url,
        &why,
    );
    mail::enqueue(conn, email.as_str(), message, now)?;
    Ok(())
}
