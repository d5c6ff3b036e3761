//! Getting ready to serve, in the background: `merit serve` listens at once, while the database
//! is reached (retried until it answers, one log line per attempt, with backoff) and migrated,
//! and the first admin is made. Until then use cases answer 503 `database_unavailable` (while
//! not migrated) and `/readyz` 503 `not_ready` (until the first admin exists too, so a client
//! that waits for readiness can sign in as that admin).

use std::time::Duration;

use actix_web::web;
use anyhow::Context;
use merit_persistence::db;
use secrecy::{ExposeSecret, SecretString};

use crate::{db::Db, services::bootstrap, state::AppState};

/// How long one attempt waits for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The first wait between attempts; it doubles up to [`MAX_RETRY_WAIT`].
const FIRST_RETRY_WAIT: Duration = Duration::from_millis(500);

/// The longest wait between attempts.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// The wait after the attempt that failed `attempt` times in a row: 0.5 s doubling to 5 s.
pub fn retry_wait(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    (FIRST_RETRY_WAIT * 2u32.pow(doublings)).min(MAX_RETRY_WAIT)
}

/// One attempt through the pool: connects, applies pending migrations and marks `db` migrated.
/// For commands that stop when the database is down (`merit migrate`, `merit demo`).
pub async fn migrate(db: &Db) -> anyhow::Result<usize> {
    let pool = db.pool().clone();
    let applied = web::block(move || -> anyhow::Result<usize> {
        let mut conn = pool
            .get_timeout(CONNECT_TIMEOUT)
            .context("cannot connect")?;
        Ok(db::run_migrations(&mut conn)?)
    })
    .await??;
    db.mark_migrated();
    Ok(applied)
}

/// One attempt on a connection of its own (one connect, so one log line when it fails, rather
/// than the pool's retries within its timeout): applies pending migrations.
async fn migrate_once(url: SecretString) -> anyhow::Result<usize> {
    web::block(move || -> anyhow::Result<usize> {
        let mut conn = db::establish(url.expose_secret()).context("cannot connect")?;
        Ok(db::run_migrations(&mut conn)?)
    })
    .await?
}

/// Retries until the database at `url` answers and is migrated, logging each failed attempt and
/// waiting longer after each (0.5 s doubling to 5 s), then marks `db` migrated. Returns at once
/// when `db` already is.
pub async fn migrate_until_done(db: &Db, url: &SecretString, redacted: &str) {
    let mut attempt: u32 = 1;
    while !db.is_migrated() {
        match migrate_once(url.clone()).await {
            Ok(applied) => {
                db.mark_migrated();
                tracing::info!(applied, attempt, database = redacted, "database ready");
            }
            Err(error) => {
                let wait = retry_wait(attempt);
                tracing::warn!(
                    attempt,
                    database = redacted,
                    error = format!("{error:#}"),
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "database not reachable yet; answering 503 and retrying"
                );
                tokio::time::sleep(wait).await;
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

/// Reaches and migrates the database, then makes the first admin if none exists (printing a
/// generated password once on stderr), retrying that too should the database go away again.
pub async fn prepare(state: AppState) {
    let redacted = state.settings.database_url_redacted();
    migrate_until_done(&state.db, &state.settings.database_url, &redacted).await;
    let mut attempt: u32 = 1;
    loop {
        match bootstrap::ensure_admin(&state).await {
            Ok(Some(password)) => {
                let shown = format!(
                    "\nmerit: created the first admin account.\n  username: {}\n  password: {password}\n  (shown once; sign in and keep it safe)\n\n",
                    bootstrap::ADMIN_USERNAME
                );
                let _ = std::io::Write::write_all(&mut std::io::stderr(), shown.as_bytes());
                state.mark_prepared();
                return;
            }
            Ok(None) => {
                state.mark_prepared();
                return;
            }
            Err(error) => {
                let wait = retry_wait(attempt);
                tracing::warn!(
                    attempt,
                    error = format!("{error:#}"),
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "cannot make the first admin yet; retrying"
                );
                tokio::time::sleep(wait).await;
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_back_off_from_half_a_second_to_five() {
        assert_eq!(retry_wait(1), Duration::from_millis(500));
        assert_eq!(retry_wait(2), Duration::from_secs(1));
        assert_eq!(retry_wait(4), Duration::from_secs(4));
        assert_eq!(retry_wait(5), Duration::from_secs(5));
        assert_eq!(retry_wait(u32::MAX), Duration::from_secs(5));
    }
}
