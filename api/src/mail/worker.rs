//! The outbox worker: claims due emails, delivers them, retries failures with back-off.

use std::time::Duration;

use chrono::TimeDelta;
use merit_persistence::outbox::{self, Claimed};

use super::delivery;
use crate::{error::ApiError, state::AppState};

/// How many emails one claim takes. The lease must outlast sending all of them one after
/// another at the SMTP timeout each, or another instance could take over and send one twice.
const BATCH: i64 = 5;
/// How long a claim holds before another worker may take the email over.
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// After this many attempts an email is given up.
const MAX_ATTEMPTS: i32 = 8;

const _: () = assert!(
    BATCH * delivery::SMTP_TIMEOUT.as_secs() as i64 * 2 <= LEASE.num_seconds(),
    "a claimed batch must be sent well within its lease"
);

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    TimeDelta::seconds((30i64 << exponent).min(3600))
}

/// Delivers every due email once, a claimed batch at a time; returns how many were delivered.
pub async fn deliver_due(state: &AppState) -> Result<usize, ApiError> {
    let mut delivered = 0;
    loop {
        let now = state.clock.now();
        let claimed = state
            .db
            .write(move |conn| Ok(outbox::claim_due(conn, now, now + LEASE, BATCH)?))
            .await?;
        if claimed.is_empty() {
            return Ok(delivered);
        }
        for email in claimed {
            delivered += usize::from(deliver_one(state, email).await?);
        }
    }
}

/// Sends one claimed email and records the outcome; whether it was delivered.
async fn deliver_one(state: &AppState, email: Claimed) -> Result<bool, ApiError> {
    let outcome = state
        .mailer
        .deliver(&state.settings.mail_from, &email)
        .await;
    let now = state.clock.now();
    let id = email.id;
    let kind = email.kind;
    let attempts = email.attempts;
    match outcome {
        Ok(()) => {
            state
                .db
                .write(move |conn| Ok(outbox::mark_sent(conn, &id, now)?))
                .await?;
            Ok(true)
        }
        Err(error) => {
            // The kind only: a server's reply may quote the recipient's address, and addresses
            // never go to the logs. The whole reply is kept with the row, beside the address.
            tracing::warn!(outbox.id = %id, attempts, error.kind = error.kind(), "email delivery failed");
            let reason = error.to_string();
            let give_up = attempts >= MAX_ATTEMPTS;
            let failed_id = id.clone();
            state
                .db
                .write(move |conn| {
                    if give_up {
                        Ok(outbox::mark_failed(conn, &id, now, &reason)?)
                    } else {
                        Ok(outbox::mark_retry(
                            conn,
                            &id,
                            now + backoff(attempts),
                            &reason,
                        )?)
                    }
                })
                .await?;
            if give_up {
                // Never dropped silently: counted, logged once as an error, and listed for
                // admins, who can queue it again.
                state.mail_failed.inc();
                tracing::error!(
                    outbox.id = %failed_id,
                    outbox.kind = %kind,
                    attempts,
                    error.kind = error.kind(),
                    "email given up after its last attempt"
                );
            }
            Ok(false)
        }
    }
}

/// Runs passes forever: at once when woken by a new email, otherwise every `interval`.
pub async fn run(state: AppState, interval: Duration) {
    loop {
        if let Err(error) = deliver_due(&state).await {
            tracing::warn!(error = %error, "outbox pass failed");
        }
        let _ = tokio::time::timeout(interval, state.mail_signal.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(7), TimeDelta::seconds(1920));
        assert_eq!(backoff(8), TimeDelta::seconds(3600));
    }
}
