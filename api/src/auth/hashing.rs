//! Password hashing with argon2id (OWASP parameters: m=19456 KiB, t=2, p=1) on a bounded pool.
//!
//! At most one hash per core runs at a time, on tokio's blocking threads, never on an actix
//! worker; at most `queue` wait behind them. When the queue is full the request is answered
//! 503 with `Retry-After` at once, instead of piling up until every request times out.

use std::sync::{Arc, LazyLock};

use argon2::{Argon2, Params, PasswordHash, PasswordHasher as _, PasswordVerifier as _};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The bounded hashing pool; cheap to clone.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
}

/// The outcome of checking a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Wrong password (or no real hash to check against).
    No,
    /// Right password; `rehash` holds a new hash when the stored one used outdated parameters.
    Yes {
        /// The upgraded hash to store, if any.
        rehash: Option<String>,
    },
}

/// A hash of a password nobody knows, checked when an account does not exist so that the
/// answer takes as long as for a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password_with_salt(b"not a password anyone has", b"merit-dummy-salt")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

impl PasswordHasher {
    /// A pool running `parallel` hashes at once with `queue` more waiting.
    pub fn new(parallel: usize, queue: usize) -> Self {
        let parallel = parallel.max(1);
        PasswordHasher {
            running: Arc::new(Semaphore::new(parallel)),
            admitted: Arc::new(Semaphore::new(parallel + queue)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(_admitted) = self.admitted.clone().try_acquire_owned() else {
            return Err(ApiError::Unavailable {
                code: "busy",
                detail: "Too many sign-ins at once. Try again in a moment.".into(),
                retry_after: 1,
            });
        };
        let _running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)
    }

    /// Hashes a new password with the current parameters.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|e| ApiError::internal(anyhow::anyhow!("argon2: {e}")))
    }

    /// Checks `password` against `stored`; with no stored hash, checks a dummy one (and answers
    /// no) so that unknown accounts cost the same time as known ones.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verified, ApiError> {
        let real = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        self.run(move || {
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok();
            if !(matches && real) {
                return Verified::No;
            }
            let rehash = outdated(&hash)
                .then(|| {
                    Argon2::default()
                        .hash_password(password.as_bytes())
                        .map(|h| h.to_string())
                        .ok()
                })
                .flatten();
            Verified::Yes { rehash }
        })
        .await
    }
}

/// Whether a stored hash uses another algorithm or other parameters than the current ones.
pub fn outdated(stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return true;
    };
    let current = Params::default();
    let same_params = Params::try_from(&hash).is_ok_and(|p| {
        p.m_cost() == current.m_cost()
            && p.t_cost() == current.t_cost()
            && p.p_cost() == current.p_cost()
    });
    hash.algorithm.as_str() != "argon2id" || !same_params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_argon2id_with_the_owasp_parameters() {
        let hash = Argon2::default()
            .hash_password(b"Tulip.Harbor7")
            .unwrap()
            .to_string();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!outdated(&hash));
    }

    #[test]
    fn a_hash_with_weaker_parameters_is_outdated() {
        let weak = Argon2::from(Params::new(4096, 1, 1, None).unwrap());
        let hash = weak.hash_password(b"Tulip.Harbor7").unwrap().to_string();
        assert!(outdated(&hash));
    }

    #[actix_web::test]
    async fn a_full_queue_answers_busy_at_once() {
        let hasher = PasswordHasher::new(1, 0);
        let slow = hasher.clone();
        let first = tokio::spawn(async move { slow.hash("Tulip.Harbor7".into()).await });
        tokio::task::yield_now().await;
        let second = hasher.hash("Tulip.Harbor7".into()).await;
        assert_eq!(second.unwrap_err().code(), "busy");
        assert!(first.await.unwrap().is_ok());
    }

    #[actix_web::test]
    async fn an_unknown_account_is_checked_against_a_dummy_and_refused() {
        let hasher = PasswordHasher::new(1, 4);
        assert_eq!(
            hasher
                .verify("not a password anyone has".into(), None)
                .await
                .unwrap(),
            Verified::No
        );
    }
}
