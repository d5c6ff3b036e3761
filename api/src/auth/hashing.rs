//! Password hashing with argon2id (OWASP parameters: m=19456 KiB, t=2, p=1) on a bounded pool.
//!
//! Hashes run on a pool of their own: one thread per core, never an actix worker nor a tokio
//! blocking thread (those carry the database work), at most `queue` more waiting. When the
//! queue is full the request is answered 503 with `Retry-After` at once, instead of piling up
//! until every request times out.
//!
//! The pool's threads run under the idle scheduling policy (`SCHED_IDLE` on Linux), below the
//! rest of the server, so a sign-in storm takes the CPU that is spare and yields it to request
//! handling the moment that wants it: searches and reads stay fast while argon2id keeps every
//! idle core busy. With nothing else to do, such a thread runs at full speed, so sign-in
//! throughput does not change.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, LazyLock, Mutex};

use argon2::{Argon2, Params, PasswordHash, PasswordHasher as _, PasswordVerifier as _};
use thread_priority::ThreadPriority;
use tokio::sync::{Semaphore, oneshot};

use crate::error::{ApiError, Code};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The bounded hashing pool; cheap to clone. Its threads end when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    jobs: SyncSender<Job>,
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
        // Admission is bounded by the semaphore; the channel only needs room for what it admits.
        let (jobs, receiver) = mpsc::sync_channel::<Job>(parallel + queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..parallel {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("merit-hash-{index}"))
                .spawn(move || hashing_thread(&receiver));
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a password-hashing thread");
            }
        }
        PasswordHasher {
            jobs,
            admitted: Arc::new(Semaphore::new(parallel + queue)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(admitted) = self.admitted.clone().try_acquire_owned() else {
            return Err(ApiError::Unavailable {
                code: Code::Busy,
                detail: "Too many sign-ins at once. Try again in a moment.".into(),
                retry_after: 1,
            });
        };
        let (done, outcome) = oneshot::channel();
        let job: Job = Box::new(move || {
            let result = work();
            drop(admitted);
            // The caller may have gone away (client disconnected); nothing to tell then.
            let _ = done.send(result);
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal(anyhow::anyhow!("the hashing pool has stopped")))?;
        outcome
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("a hashing job was lost")))
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
        self.run(move || {
            // The dummy is made (once) here on the pool, never on the caller's worker.
            let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
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

/// Puts the calling thread below request handling. On Linux that is `SCHED_IDLE`: a request
/// thread that wakes up takes the core from it at once (a thread at nice 19 could keep it until
/// its time slice ends, a few milliseconds of a read's latency). Elsewhere, the lowest priority
/// of the normal policy.
fn lower_own_priority() {
    #[cfg(target_os = "linux")]
    let lowered = thread_priority::unix::set_thread_priority_and_policy(
        thread_priority::unix::thread_native_id(),
        ThreadPriority::Min,
        thread_priority::unix::ThreadSchedulePolicy::Normal(
            thread_priority::unix::NormalThreadSchedulePolicy::Idle,
        ),
    );
    #[cfg(not(target_os = "linux"))]
    let lowered = thread_priority::set_current_thread_priority(ThreadPriority::Min);
    if let Err(error) = lowered {
        tracing::warn!(?error, "password hashing runs at normal priority");
    }
}

/// One hashing thread: lowers its own priority, then runs jobs until the pool is dropped.
fn hashing_thread(receiver: &Mutex<Receiver<Job>>) {
    lower_own_priority();
    loop {
        // Hold the lock only to take a job, never while running one.
        let next = match receiver.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
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

    #[cfg(target_os = "linux")]
    #[actix_web::test]
    async fn hashes_run_under_the_idle_policy_below_requests() {
        /// The calling thread's scheduling policy (field 41 of its stat line; 5 is SCHED_IDLE).
        fn policy() -> i64 {
            let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
            // Fields after the command name (which ends in ')') start at field 3.
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            after.split(' ').nth(41 - 3).unwrap().parse().unwrap()
        }
        let hasher = PasswordHasher::new(1, 0);
        assert_eq!(
            hasher.run(policy).await.unwrap(),
            5,
            "SCHED_IDLE on the pool"
        );
        assert_eq!(policy(), 0, "SCHED_OTHER for the caller");
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
