//! The outbox worker: claims due emails, delivers them, retries failures with back-off.

use std::time::Duration;

use chrono::TimeDelta;
use merit_domain::ids::OutboxEmailId;
use merit_persistence::outbox::{self, Claimed};
use prometheus::IntCounter;

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
                .write(move |conn| Ok(outbox::mark_sent(conn, id, now)?))
                .await?;
            Ok(true)
        }
        Err(error) => {
            // The kind only: a server's reply may quote the recipient's address, and addresses
            // never go to the logs. The whole reply is kept with the row, beside the address.
            tracing::warn!(outbox.id = %id, attempts, error.kind = error.kind(), "email delivery failed");
            let reason = error.to_string();
            // A permanent refusal (5xx) would be refused again: failed at once, not retried.
            let give_up = attempts >= MAX_ATTEMPTS || error.is_permanent();
            state
                .db
                .write(move |conn| {
                    if give_up {
                        Ok(outbox::mark_failed(conn, id, now, &reason)?)
                    } else {
                        Ok(outbox::mark_retry(
                            conn,
                            id,
                            now + backoff(attempts),
                            &reason,
                        )?)
                    }
                })
                .await?;
            if give_up {
                given_up(&state.mail_failed, id, &kind, attempts, error.kind());
            }
            Ok(false)
        }
    }
}

/// Records an email given up after its last attempt. Never dropped silently: counted
/// (`merit_mail_failed_total`) and logged once as an error with its id and kind (never its
/// address or body); admins list it and may queue it again.
fn given_up(counter: &IntCounter, id: OutboxEmailId, kind: &str, attempts: i32, error_kind: &str) {
    counter.inc();
    tracing::error!(
        outbox.id = %id,
        outbox.kind = %kind,
        attempts,
        error.kind = error_kind,
        "email given up after its last attempt"
    );
}

/// Runs passes forever: at once when woken by a new email, otherwise every `interval`.
pub async fn run(state: AppState, interval: Duration) {
    loop {
        if !state.db.is_migrated() {
            // Start-up is still reaching the database (see `warmup`).
        } else if let Err(error) = deliver_due(&state).await {
            tracing::warn!(error = %error, "outbox pass failed");
        }
        let _ = tokio::time::timeout(interval, state.mail_signal.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer into a shared buffer, to read what was logged.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("the buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    const OUTBOX_ID: &str = "01938f4e-7c1a-7b2e-9c3d-4e5f60718293";

    #[test]
    fn an_email_given_up_is_counted_and_logged_once_as_an_error_with_its_id_and_kind() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let counter = IntCounter::new("given_up", "test").expect("a counter");
        tracing::subscriber::with_default(subscriber, || {
            given_up(
                &counter,
                OutboxEmailId::parse(OUTBOX_ID).expect("an id"),
                "application_status",
                8,
                "smtp_transient",
            );
        });
        let logged =
            String::from_utf8(captured.0.lock().expect("the buffer").clone()).expect("UTF-8 logs");
        assert_eq!(logged.lines().count(), 1, "{logged}");
        assert!(logged.contains("ERROR"), "{logged}");
        assert!(
            logged.contains(&format!("outbox.id={OUTBOX_ID}")),
            "{logged}"
        );
        assert!(
            logged.contains("outbox.kind=application_status"),
            "{logged}"
        );
        assert!(logged.contains("smtp_transient"), "{logged}");
        assert_eq!(counter.get(), 1);
    }

    #[test]
    fn retries_back_off_from_thirty_seconds_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(7), TimeDelta::seconds(1920));
        assert_eq!(backoff(8), TimeDelta::seconds(3600));
    }
}
