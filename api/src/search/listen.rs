//! PostgreSQL `LISTEN/NOTIFY`: other instances' posting changes wake the index at once.
//!
//! A posting write sends `NOTIFY merit_posting_changes` in its transaction, so the notification
//! is delivered when (and only if) the write commits. Each instance keeps one connection of its
//! own (outside the pool, named `merit-search-listener` in `pg_stat_activity`) listening on that
//! channel, on a thread of its own that looks for notifications every [`POLL`], and wakes
//! [`SearchService::follow`], which reads the change log as usual. A notification carries
//! nothing: the log stays the one source of truth, and polling stays the fallback.
//!
//! When the connection drops (the server restarts, a proxy cuts it, an administrator ends it),
//! the thread logs it and reconnects with a back-off from [`FIRST_RETRY`] doubling to
//! [`LAST_RETRY`]; once listening again it wakes the index, which then reads whatever it missed.
//! The thread ends when the search service is dropped.

use std::{
    sync::{Arc, Weak},
    thread,
    time::{Duration, Instant},
};

use merit_persistence::{RepoError, change_log::ChangeListener};

use super::SearchService;

/// How often the listening thread looks for notifications that arrived.
pub const POLL: Duration = Duration::from_millis(5);

/// How often the listening connection is checked with a query (a connection dropped without a
/// word shows up only when something is sent).
const PING_EVERY: Duration = Duration::from_secs(5);

/// The first wait before reconnecting.
pub const FIRST_RETRY: Duration = Duration::from_millis(100);

/// The longest wait between reconnection attempts.
pub const LAST_RETRY: Duration = Duration::from_secs(30);

/// The name the listening connection shows in `pg_stat_activity.application_name`.
pub const APPLICATION_NAME: &str = "merit-search-listener";

/// Starts the listening thread for the PostgreSQL database at `url`.
pub fn spawn(url: &str, service: &Arc<SearchService>) -> std::io::Result<()> {
    let url = with_application_name(url);
    let service = Arc::downgrade(service);
    thread::Builder::new()
        .name("merit-search-listen".into())
        .spawn(move || run(&url, &service))
        .map(|_| ())
}

/// `url` with `application_name` set (unless it sets one already).
fn with_application_name(url: &str) -> String {
    if url.contains("application_name=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&application_name={APPLICATION_NAME}")
    } else {
        format!("{url}?application_name={APPLICATION_NAME}")
    }
}

fn run(url: &str, service: &Weak<SearchService>) {
    let mut retry = FIRST_RETRY;
    let mut failures: u32 = 0;
    while service.strong_count() > 0 {
        match ChangeListener::connect(url) {
            Err(error) => {
                failures = failures.saturating_add(1);
                tracing::warn!(
                    %error,
                    failures,
                    retry_in_ms = u64::try_from(retry.as_millis()).unwrap_or(u64::MAX),
                    "cannot listen for posting changes; search follows other instances by polling until it can"
                );
                thread::sleep(retry);
                retry = (retry * 2).min(LAST_RETRY);
            }
            Ok(mut listener) => {
                tracing::info!(after_failures = failures, "listening for posting changes");
                retry = FIRST_RETRY;
                failures = 0;
                let Some(lost) = listen(&mut listener, service) else {
                    return;
                };
                if let Some(alive) = service.upgrade() {
                    alive.set_listening(false);
                }
                tracing::warn!(
                    error = %lost,
                    "lost the connection listening for posting changes; reconnecting"
                );
            }
        }
    }
}

/// Wakes the index for every batch of notifications until the connection fails (returns the
/// error) or the service is gone (returns `None`).
fn listen(listener: &mut ChangeListener, service: &Weak<SearchService>) -> Option<RepoError> {
    {
        let alive = service.upgrade()?;
        alive.set_listening(true);
        // Whatever changed while nobody listened is in the log: read it now.
        alive.wake();
    }
    let mut pinged = Instant::now();
    loop {
        let mut result = listener.received();
        if let Ok(before) = result
            && pinged.elapsed() >= PING_EVERY
        {
            pinged = Instant::now();
            result = listener
                .ping()
                .and_then(|()| listener.received())
                .map(|after| before + after);
        }
        let alive = service.upgrade()?;
        match result {
            Ok(0) => {}
            Ok(_) => alive.wake(),
            Err(error) => return Some(error),
        }
        drop(alive);
        thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listening_connection_is_named() {
        assert_eq!(
            with_application_name("postgres://db/merit"),
            "postgres://db/merit?application_name=merit-search-listener"
        );
        assert_eq!(
            with_application_name("postgres://db/merit?sslmode=disable"),
            "postgres://db/merit?sslmode=disable&application_name=merit-search-listener"
        );
        assert_eq!(
            with_application_name("postgres://db/merit?application_name=x"),
            "postgres://db/merit?application_name=x"
        );
    }
}
