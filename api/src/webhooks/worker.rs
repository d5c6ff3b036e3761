//! The webhook worker: claims due deliveries, signs and sends them, records each attempt.
//!
//! At least once: a delivery is marked only after its answer, so an instance that stops in
//! between leaves it claimed until the lease ends, and it is sent again (with the same
//! `webhook-id`, which receivers use to drop the repeat).

use std::time::Duration;

use chrono::TimeDelta;
use merit_persistence::webhooks::{self, Claimed};

use super::{Outgoing, TIMEOUT, signing};
use crate::{error::ApiError, services, state::AppState};

/// How many deliveries one claim takes.
const BATCH: i64 = 5;
/// How long a claim holds before another worker may take the delivery over.
const LEASE: TimeDelta = TimeDelta::minutes(3);

const _: () = assert!(
    BATCH * TIMEOUT.as_secs() as i64 * 2 <= LEASE.num_seconds(),
    "a claimed batch must be sent well within its lease"
);

/// Sends every due delivery once, a claimed batch at a time; returns how many were delivered.
pub async fn deliver_due(state: &AppState) -> Result<usize, ApiError> {
    let mut delivered = 0;
    loop {
        let now = state.clock.now();
        let claimed = state
            .db
            .write(move |conn| Ok(webhooks::claim_due(conn, now, now + LEASE, BATCH)?))
            .await?;
        if claimed.is_empty() {
            return Ok(delivered);
        }
        let sends = claimed.into_iter().map(|c| deliver_one(state, c));
        for sent in futures_util::future::join_all(sends).await {
            delivered += usize::from(sent?);
        }
    }
}

/// Signs and sends one claimed delivery and records the attempt; whether it was delivered.
async fn deliver_one(state: &AppState, claimed: Claimed) -> Result<bool, ApiError> {
    let attempted_at = state.clock.now();
    let timestamp = attempted_at.timestamp();
    let id = claimed.event_id.to_string();
    let secrets = signing::signing_secrets(
        &claimed.secret,
        claimed.previous_secret.as_deref(),
        claimed.previous_secret_until,
        attempted_at,
    );
    let signature = signing::signature_header(&secrets, &id, timestamp, &claimed.payload);
    let answer = state
        .webhook_sender
        .send(&Outgoing {
            url: &claimed.url,
            id: &id,
            timestamp,
            signature: &signature,
            body: &claimed.payload,
        })
        .await;
    let delivered = matches!(answer.status, Some(200..=299));
    if !delivered {
        // Ids and the status only: the address and the answer are in the delivery log.
        tracing::warn!(
            webhook.delivery_id = %claimed.id,
            webhook.endpoint_id = %claimed.endpoint_id,
            attempts = claimed.attempts,
            status = answer.status,
            "webhook delivery failed"
        );
    }
    let now = state.clock.now();
    let jitter: f64 = rand::random();
    let disabled = state
        .db
        .write(move |conn| {
            services::webhooks::record_attempt(conn, &claimed, &answer, attempted_at, now, jitter)
                .map(|disabled| (disabled, claimed.endpoint_id))
        })
        .await?;
    if let (true, endpoint) = disabled {
        tracing::error!(webhook.endpoint_id = %endpoint, "webhook endpoint disabled");
        state.wake_mailer();
    }
    Ok(delivered)
}

/// Runs passes forever: at once when woken by a new event, otherwise every `interval`.
pub async fn run(state: AppState, interval: Duration) {
    loop {
        if !state.db.is_migrated() {
            // Start-up is still reaching the database (see `warmup`).
        } else if let Err(error) = deliver_due(&state).await {
            tracing::warn!(error = %error, "webhook pass failed");
        }
        let _ = tokio::time::timeout(interval, state.webhook_signal.notified()).await;
    }
}
