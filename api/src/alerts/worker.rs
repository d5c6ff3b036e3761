//! The alert worker: matches opened postings against the alerts and sends due digests. Safe to
//! run on several instances at once: each queued posting is claimed by one transaction
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and the unique keys on matches and digests make a
//! repeat change nothing.

use std::time::Duration;

use merit_persistence::alerts::DigestKey;

use crate::{error::ApiError, services::alerts, state::AppState};

/// How many digests one pass looks up at a time (each is sent in its own transaction).
pub const DIGEST_BATCH: i64 = 200;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Queued postings matched.
    pub postings: usize,
    /// Digests sent.
    pub digests: usize,
}

/// Matches every queued posting, a claimed batch per transaction; returns how many.
pub async fn match_queued(state: &AppState) -> Result<usize, ApiError> {
    let mut matched = 0;
    loop {
        let now = state.clock.now();
        let (service, links) = (state.alerts.clone(), state.unsubscribe.clone());
        let done = state
            .db
            .write(move |conn| {
                service.refresh(conn)?;
                let index = service.read();
                alerts::match_queued(conn, &index, &links, now)
            })
            .await?;
        if done == 0 {
            return Ok(matched);
        }
        matched += done;
        state.wake_mailer();
    }
}

/// Sends every digest due now, one transaction each; returns how many were sent. The due
/// digests are walked in key order, a batch after the last key at a time (a digest that falls
/// due during the pass goes in the next pass).
pub async fn send_digests(state: &AppState) -> Result<usize, ApiError> {
    let mut sent = 0;
    let now = state.clock.now();
    let mut after: Option<DigestKey> = None;
    loop {
        let from = after.take();
        let due = state
            .db
            .read(move |conn| alerts::due_digests(conn, now, from.as_ref(), DIGEST_BATCH))
            .await?;
        let Some(last) = due.last() else {
            return Ok(sent);
        };
        after = Some(last.clone());
        for key in due {
            let links = state.unsubscribe.clone();
            let delivered = state
                .db
                .write(move |conn| alerts::deliver_digest(conn, &links, &key, now))
                .await?;
            sent += usize::from(delivered);
        }
        state.wake_mailer();
    }
}

/// How many opened postings wait to be matched (committed, not yet matched).
pub async fn queued(state: &AppState) -> Result<i64, ApiError> {
    state
        .db
        .read(|conn| Ok(merit_persistence::alerts::queued_count(conn)?))
        .await
}

/// One pass: match what is queued, then send what is due.
pub async fn run_once(state: &AppState) -> Result<Pass, ApiError> {
    let postings = match_queued(state).await?;
    let digests = send_digests(state).await?;
    Ok(Pass { postings, digests })
}

/// Runs passes forever: at once when woken by a published posting, otherwise every `interval`.
pub async fn run(state: AppState, interval: Duration) {
    loop {
        if !state.db.is_migrated() {
            // Start-up is still reaching the database (see `warmup`).
        } else if let Err(error) = run_once(&state).await {
            tracing::warn!(error = %error, "job alert pass failed");
        }
        let _ = tokio::time::timeout(interval, state.alert_signal.notified()).await;
    }
}
