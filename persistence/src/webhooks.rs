//! Webhooks: API clients' endpoints, events written with their cause (an outbox), one delivery
//! per endpoint and event, and the log of every attempt.
//!
//! A worker claims due deliveries for a lease (`claimed_until`): on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so several Merit instances never claim the same delivery, and on
//! SQLite inside the writer lock (as the email outbox does).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Text, Timestamp},
};
use merit_domain::{
    ids::{
        ApiClientId, EntityId, WebhookAttemptId, WebhookDeliveryId, WebhookEndpointId,
        WebhookEventId,
    },
    webhook::EventType,
};

use crate::{
    DbConnection,
    error::{RepoError, RepoResult},
    paging::{Page, PageRequest},
    schema::{
        api_clients, webhook_attempts, webhook_deliveries, webhook_endpoints, webhook_events,
    },
    time::{naive, utc},
};

fn parse_id<T: EntityId>(text: &str) -> RepoResult<T> {
    let uuid = merit_domain::ids::parse_uuid(text).map_err(|_| RepoError::InvalidRow {
        table: "webhooks",
        reason: format!("not an id: {text:?}"),
    })?;
    Ok(T::from_uuid(uuid))
}

/// Space-separated wire names in canonical order.
pub fn encode_event_types(types: &[EventType]) -> String {
    let mut sorted = types.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_event_types(text: &str) -> RepoResult<Vec<EventType>> {
    text.split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| {
            EventType::parse(t).ok_or_else(|| RepoError::InvalidRow {
                table: "webhook_endpoints",
                reason: format!("unknown event type {t:?}"),
            })
        })
        .collect()
}

/// An API client as webhooks need it: where it acts and what it may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFacts {
    /// The client.
    pub id: ApiClientId,
    /// Its name.
    pub name: String,
    /// Its department; `None` for a state-wide client.
    pub department_code: Option<String>,
    /// Its permissions, space-separated scope tokens.
    pub permissions: String,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The admin who created it (told when one of its endpoints is disabled).
    pub created_by: String,
}

type ClientColumns = (
    String,
    String,
    Option<String>,
    String,
    Option<NaiveDateTime>,
    String,
);

fn client(row: ClientColumns) -> RepoResult<ClientFacts> {
    let (id, name, department_code, permissions, revoked_at, created_by) = row;
    Ok(ClientFacts {
        id: parse_id(&id)?,
        name,
        department_code,
        permissions,
        revoked_at: revoked_at.map(utc),
        created_by,
    })
}

/// An API client.
pub fn find_client(conn: &mut DbConnection, id: ApiClientId) -> RepoResult<Option<ClientFacts>> {
    let row: Option<ClientColumns> = api_clients::table
        .find(id.to_string())
        .select((
            api_clients::id,
            api_clients::name,
            api_clients::department_code,
            api_clients::permissions,
            api_clients::revoked_at,
            api_clients::created_by,
        ))
        .first(conn)
        .optional()?;
    row.map(client).transpose()
}

/// A webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Its id.
    pub id: WebhookEndpointId,
    /// The client it belongs to.
    pub client_id: ApiClientId,
    /// Where events are sent.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives, in canonical order.
    pub event_types: Vec<EventType>,
    /// Whether deliveries go out.
    pub enabled: bool,
    /// Why it is disabled (`manual`, `gone`, `failing`).
    pub disabled_reason: Option<String>,
    /// The signing secret (`whsec_...`).
    pub secret: String,
    /// The secret before the last rotation.
    pub previous_secret: Option<String>,
    /// Until when the previous secret signs too.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: String,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
}

type EndpointColumns = (
    String,
    String,
    String,
    Option<String>,
    String,
    bool,
    Option<String>,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
    String,
    NaiveDateTime,
);

#[allow(
    clippy::type_complexity,
    reason = "a tuple of diesel columns, spelled once"
)]
const ENDPOINT_COLUMNS: (
    webhook_endpoints::id,
    webhook_endpoints::client_id,
    webhook_endpoints::url,
    webhook_endpoints::description,
    webhook_endpoints::event_types,
    webhook_endpoints::enabled,
    webhook_endpoints::disabled_reason,
    webhook_endpoints::secret,
    webhook_endpoints::previous_secret,
    webhook_endpoints::previous_secret_until,
    webhook_endpoints::created_at,
    webhook_endpoints::created_by,
    webhook_endpoints::updated_at,
) = (
    webhook_endpoints::id,
    webhook_endpoints::client_id,
    webhook_endpoints::url,
    webhook_endpoints::description,
    webhook_endpoints::event_types,
    webhook_endpoints::enabled,
    webhook_endpoints::disabled_reason,
    webhook_endpoints::secret,
    webhook_endpoints::previous_secret,
    webhook_endpoints::previous_secret_until,
    webhook_endpoints::created_at,
    webhook_endpoints::created_by,
    webhook_endpoints::updated_at,
);

fn endpoint(row: EndpointColumns) -> RepoResult<Endpoint> {
    let (
        id,
        client_id,
        url,
        description,
        event_types,
        enabled,
        disabled_reason,
        secret,
        previous_secret,
        previous_secret_until,
        created_at,
        created_by,
        updated_at,
    ) = row;
    Ok(Endpoint {
        id: parse_id(&id)?,
        client_id: parse_id(&client_id)?,
        url,
        description,
        event_types: decode_event_types(&event_types)?,
        enabled,
        disabled_reason,
        secret,
        previous_secret,
        previous_secret_until: previous_secret_until.map(utc),
        created_at: utc(created_at),
        created_by,
        updated_at: utc(updated_at),
    })
}

/// Stores a new endpoint.
pub fn insert_endpoint(conn: &mut DbConnection, e: &Endpoint) -> RepoResult<()> {
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::id.eq(e.id.to_string()),
            webhook_endpoints::client_id.eq(e.client_id.to_string()),
            webhook_endpoints::url.eq(&e.url),
            webhook_endpoints::description.eq(&e.description),
            webhook_endpoints::event_types.eq(encode_event_types(&e.event_types)),
            webhook_endpoints::enabled.eq(e.enabled),
            webhook_endpoints::disabled_reason.eq(&e.disabled_reason),
            webhook_endpoints::secret.eq(&e.secret),
            webhook_endpoints::previous_secret.eq(&e.previous_secret),
            webhook_endpoints::previous_secret_until.eq(e.previous_secret_until.map(naive)),
            webhook_endpoints::created_at.eq(naive(e.created_at)),
            webhook_endpoints::created_by.eq(&e.created_by),
            webhook_endpoints::updated_at.eq(naive(e.updated_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Saves an endpoint's changeable fields (address, description, types, state, secrets).
pub fn save_endpoint(conn: &mut DbConnection, e: &Endpoint) -> RepoResult<()> {
    diesel::update(webhook_endpoints::table.find(e.id.to_string()))
        .set((
            webhook_endpoints::url.eq(&e.url),
            webhook_endpoints::description.eq(&e.description),
            webhook_endpoints::event_types.eq(encode_event_types(&e.event_types)),
            webhook_endpoints::enabled.eq(e.enabled),
            webhook_endpoints::disabled_reason.eq(&e.disabled_reason),
            webhook_endpoints::secret.eq(&e.secret),
            webhook_endpoints::previous_secret.eq(&e.previous_secret),
            webhook_endpoints::previous_secret_until.eq(e.previous_secret_until.map(naive)),
            webhook_endpoints::updated_at.eq(naive(e.updated_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// One endpoint of one client.
pub fn find_endpoint(
    conn: &mut DbConnection,
    client: ApiClientId,
    id: WebhookEndpointId,
) -> RepoResult<Option<Endpoint>> {
    let row: Option<EndpointColumns> = webhook_endpoints::table
        .find(id.to_string())
        .filter(webhook_endpoints::client_id.eq(client.to_string()))
        .select(ENDPOINT_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(endpoint).transpose()
}

/// A page of a client's endpoints, oldest first; the key is the id.
pub fn list_endpoints(
    conn: &mut DbConnection,
    client: ApiClientId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Endpoint>> {
    let mut query = webhook_endpoints::table
        .filter(webhook_endpoints::client_id.eq(client.to_string()))
        .select(ENDPOINT_COLUMNS)
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(webhook_endpoints::id.gt(after.to_owned()));
    }
    let rows: Vec<EndpointColumns> = query
        .order(webhook_endpoints::id.asc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(endpoint)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// Deletes an endpoint with its deliveries and their log.
pub fn delete_endpoint(conn: &mut DbConnection, id: WebhookEndpointId) -> RepoResult<()> {
    let id = id.to_string();
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::endpoint_id.eq(&id)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::endpoint_id.eq(&id)))
        .execute(conn)?;
    diesel::delete(webhook_endpoints::table.find(&id)).execute(conn)?;
    Ok(())
}

/// Disables an endpoint for `reason`; `false` when it was disabled already.
pub fn disable_endpoint(
    conn: &mut DbConnection,
    id: WebhookEndpointId,
    reason: &str,
    now: DateTime<Utc>,
) -> RepoResult<bool> {
    let changed = diesel::update(
        webhook_endpoints::table
            .find(id.to_string())
            .filter(webhook_endpoints::enabled.eq(true)),
    )
    .set((
        webhook_endpoints::enabled.eq(false),
        webhook_endpoints::disabled_reason.eq(reason),
        webhook_endpoints::updated_at.eq(naive(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// An enabled endpoint of a client that is not revoked: a candidate to receive an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// The endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// The event types it receives.
    pub event_types: Vec<EventType>,
    /// Its client's department; `None`: state-wide.
    pub department_code: Option<String>,
    /// Its client's permissions, space-separated scope tokens.
    pub permissions: String,
}

/// Every enabled endpoint of a client not revoked.
pub fn subscribers(conn: &mut DbConnection) -> RepoResult<Vec<Subscriber>> {
    let rows: Vec<(String, String, Option<String>, String)> = webhook_endpoints::table
        .inner_join(api_clients::table)
        .filter(webhook_endpoints::enabled.eq(true))
        .filter(api_clients::revoked_at.is_null())
        .select((
            webhook_endpoints::id,
            webhook_endpoints::event_types,
            api_clients::department_code,
            api_clients::permissions,
        ))
        .order(webhook_endpoints::id.asc())
        .load(conn)?;
    rows.into_iter()
        .map(|(id, types, department_code, permissions)| {
            Ok(Subscriber {
                endpoint_id: parse_id(&id)?,
                event_types: decode_event_types(&types)?,
                department_code,
                permissions,
            })
        })
        .collect()
}

/// Stores an event: its id (the `webhook-id`), type and the exact payload to send.
pub fn insert_event(
    conn: &mut DbConnection,
    id: WebhookEventId,
    event_type: EventType,
    payload: &str,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(webhook_events::table)
        .values((
            webhook_events::id.eq(id.to_string()),
            webhook_events::event_type.eq(event_type.as_str()),
            webhook_events::payload.eq(payload),
            webhook_events::created_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Queues a delivery of an event to an endpoint, due at `now`.
pub fn insert_delivery(
    conn: &mut DbConnection,
    id: WebhookDeliveryId,
    endpoint: WebhookEndpointId,
    event: WebhookEventId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(id.to_string()),
            webhook_deliveries::endpoint_id.eq(endpoint.to_string()),
            webhook_deliveries::event_id.eq(event.to_string()),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(naive(now)),
            webhook_deliveries::created_at.eq(naive(now)),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    endpoint_id: String,
    #[diesel(sql_type = Text)]
    event_id: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// A claimed delivery with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The delivery.
    pub id: WebhookDeliveryId,
    /// Its endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// Its event (the `webhook-id`).
    pub event_id: WebhookEventId,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// Where to send it.
    pub url: String,
    /// The current secret.
    pub secret: String,
    /// The previous secret while it still signs.
    pub previous_secret: Option<String>,
    /// Until when the previous secret signs.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// The exact body.
    pub payload: String,
}

const CLAIM: &str = "UPDATE webhook_deliveries SET claimed_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL \
    AND failed_at IS NULL AND next_attempt_at <= $2 \
    AND (claimed_until IS NULL OR claimed_until < $2) \
    AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled) \
    ORDER BY next_attempt_at LIMIT $3";

/// Claims up to `limit` due deliveries of enabled endpoints until `lease_until`. Call inside a
/// write transaction.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> RepoResult<Vec<Claimed>> {
    let sql = match conn {
        DbConnection::Postgresql(_) => {
            format!("{CLAIM} FOR UPDATE SKIP LOCKED) RETURNING id, endpoint_id, event_id, attempts")
        }
        DbConnection::Sqlite(_) => {
            format!("{CLAIM}) RETURNING id, endpoint_id, event_id, attempts")
        }
    };
    let rows: Vec<ClaimedRow> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(naive(lease_until))
        .bind::<Timestamp, _>(naive(now))
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let (url, secret, previous_secret, previous_secret_until): (
            String,
            String,
            Option<String>,
            Option<NaiveDateTime>,
        ) = webhook_endpoints::table
            .find(&row.endpoint_id)
            .select((
                webhook_endpoints::url,
                webhook_endpoints::secret,
                webhook_endpoints::previous_secret,
                webhook_endpoints::previous_secret_until,
            ))
            .first(conn)?;
        let payload: String = webhook_events::table
            .find(&row.event_id)
            .select(webhook_events::payload)
            .first(conn)?;
        claimed.push(Claimed {
            id: parse_id(&row.id)?,
            endpoint_id: parse_id(&row.endpoint_id)?,
            event_id: parse_id(&row.event_id)?,
            attempts: row.attempts,
            url,
            secret,
            previous_secret,
            previous_secret_until: previous_secret_until.map(utc),
            payload,
        });
    }
    Ok(claimed)
}

/// One attempt's outcome, for the delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Its id.
    pub id: WebhookAttemptId,
    /// The delivery.
    pub delivery_id: WebhookDeliveryId,
    /// The endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// Which attempt of the delivery (1-based).
    pub attempt: i32,
    /// When it was made.
    pub attempted_at: DateTime<Utc>,
    /// The answer's status; `None`: no answer.
    pub response_status: Option<i32>,
    /// How long the answer took, in milliseconds.
    pub latency_ms: i64,
    /// The answer's first 1 KiB.
    pub response_body: Option<String>,
    /// Why there was no usable answer.
    pub error: Option<String>,
}

/// Appends an attempt to the log.
pub fn insert_attempt(conn: &mut DbConnection, a: &Attempt) -> RepoResult<()> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::id.eq(a.id.to_string()),
            webhook_attempts::delivery_id.eq(a.delivery_id.to_string()),
            webhook_attempts::endpoint_id.eq(a.endpoint_id.to_string()),
            webhook_attempts::attempt.eq(a.attempt),
            webhook_attempts::attempted_at.eq(naive(a.attempted_at)),
            webhook_attempts::response_status.eq(a.response_status),
            webhook_attempts::latency_ms.eq(a.latency_ms),
            webhook_attempts::response_body.eq(&a.response_body),
            webhook_attempts::error.eq(&a.error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks a delivery delivered.
pub fn mark_delivered(
    conn: &mut DbConnection,
    id: WebhookDeliveryId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(webhook_deliveries::table.find(id.to_string()))
        .set((
            webhook_deliveries::delivered_at.eq(naive(now)),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Schedules another attempt.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: WebhookDeliveryId,
    next_attempt_at: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(webhook_deliveries::table.find(id.to_string()))
        .set((
            webhook_deliveries::next_attempt_at.eq(naive(next_attempt_at)),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives a delivery up.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: WebhookDeliveryId,
    now: DateTime<Utc>,
) -> RepoResult<()> {
    diesel::update(webhook_deliveries::table.find(id.to_string()))
        .set((
            webhook_deliveries::failed_at.eq(naive(now)),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or being sent).
    Pending,
    /// Answered 2xx.
    Delivered,
    /// Given up (after its last attempt, or at a 410).
    Failed,
}

/// A delivery as admins see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Its id.
    pub id: WebhookDeliveryId,
    /// Its endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// Its event (the `webhook-id`).
    pub event_id: WebhookEventId,
    /// The event's type (its wire name).
    pub event_type: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it was given up.
    pub failed_at: Option<DateTime<Utc>>,
}

type DeliveryColumns = (
    String,
    String,
    String,
    String,
    i32,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn delivery(row: DeliveryColumns) -> RepoResult<Delivery> {
    let (id, endpoint_id, event_id, event_type, attempts, next, created, delivered, failed) = row;
    let status = match (delivered, failed) {
        (Some(_), _) => DeliveryStatus::Delivered,
        (None, Some(_)) => DeliveryStatus::Failed,
        (None, None) => DeliveryStatus::Pending,
    };
    Ok(Delivery {
        id: parse_id(&id)?,
        endpoint_id: parse_id(&endpoint_id)?,
        event_id: parse_id(&event_id)?,
        event_type,
        status,
        attempts,
        next_attempt_at: utc(next),
        created_at: utc(created),
        delivered_at: delivered.map(utc),
        failed_at: failed.map(utc),
    })
}

macro_rules! delivery_query {
    () => {
        webhook_deliveries::table
            .inner_join(webhook_events::table)
            .select((
                webhook_deliveries::id,
                webhook_deliveries::endpoint_id,
                webhook_deliveries::event_id,
                webhook_events::event_type,
                webhook_deliveries::attempts,
                webhook_deliveries::next_attempt_at,
                webhook_deliveries::created_at,
                webhook_deliveries::delivered_at,
                webhook_deliveries::failed_at,
            ))
    };
}

/// One delivery of an endpoint.
pub fn find_delivery(
    conn: &mut DbConnection,
    endpoint: WebhookEndpointId,
    id: WebhookDeliveryId,
) -> RepoResult<Option<Delivery>> {
    let row: Option<DeliveryColumns> = delivery_query!()
        .filter(webhook_deliveries::id.eq(id.to_string()))
        .filter(webhook_deliveries::endpoint_id.eq(endpoint.to_string()))
        .first(conn)
        .optional()?;
    row.map(delivery).transpose()
}

/// A page of an endpoint's deliveries, newest first; the key is the (time-ordered) id.
pub fn list_deliveries(
    conn: &mut DbConnection,
    endpoint: WebhookEndpointId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Delivery>> {
    let mut query = delivery_query!()
        .filter(webhook_deliveries::endpoint_id.eq(endpoint.to_string()))
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(webhook_deliveries::id.lt(after.to_owned()));
    }
    let rows: Vec<DeliveryColumns> = query
        .order(webhook_deliveries::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(delivery)
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

type AttemptColumns = (
    String,
    String,
    String,
    i32,
    NaiveDateTime,
    Option<i32>,
    i64,
    Option<String>,
    Option<String>,
);

/// A page of an endpoint's attempts (its delivery log), newest first; the key is the id.
pub fn list_attempts(
    conn: &mut DbConnection,
    endpoint: WebhookEndpointId,
    page: PageRequest<'_>,
) -> RepoResult<Page<Attempt>> {
    let mut query = webhook_attempts::table
        .filter(webhook_attempts::endpoint_id.eq(endpoint.to_string()))
        .select((
            webhook_attempts::id,
            webhook_attempts::delivery_id,
            webhook_attempts::endpoint_id,
            webhook_attempts::attempt,
            webhook_attempts::attempted_at,
            webhook_attempts::response_status,
            webhook_attempts::latency_ms,
            webhook_attempts::response_body,
            webhook_attempts::error,
        ))
        .into_boxed();
    if let Some(after) = page.after {
        query = query.filter(webhook_attempts::id.lt(after.to_owned()));
    }
    let rows: Vec<AttemptColumns> = query
        .order(webhook_attempts::id.desc())
        .limit(page.fetch())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(
            |(id, delivery, endpoint, attempt, at, status, latency, body, error)| {
                Ok(Attempt {
                    id: parse_id(&id)?,
                    delivery_id: parse_id(&delivery)?,
                    endpoint_id: parse_id(&endpoint)?,
                    attempt,
                    attempted_at: utc(at),
                    response_status: status,
                    latency_ms: latency,
                    response_body: body,
                    error,
                })
            },
        )
        .collect::<RepoResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit))
}

/// The client and address of an endpoint.
pub fn endpoint_owner(
    conn: &mut DbConnection,
    id: WebhookEndpointId,
) -> RepoResult<Option<(ApiClientId, String)>> {
    let row: Option<(String, String)> = webhook_endpoints::table
        .find(id.to_string())
        .select((webhook_endpoints::client_id, webhook_endpoints::url))
        .first(conn)
        .optional()?;
    row.map(|(client, url)| Ok((parse_id(&client)?, url)))
        .transpose()
}
