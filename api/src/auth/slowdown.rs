//! The slow-down of failed sign-ins, counted per sign-in name whether or not an account has it.
//!
//! The lockout counts failures per account, in the database. The slow-down must not: if only
//! known accounts slowed down, a few wrong guesses would tell which names exist (ASVS 2.2.1,
//! SPEC "never reveal whether an account exists, in wording or timing"). So it counts failed
//! answers per name here, in memory, for unknown names, wrong passwords, disabled and locked
//! accounts alike, with the same window and delays as the lockout rule. Behind a load balancer
//! each instance counts for itself; the shared lock in the database still caps the guesses.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use chrono::{DateTime, Utc};
use merit_domain::account::{LockoutPolicy, LoginFailures};

use super::tokens::{random_token, token_hash};

/// Failed sign-ins per name, kept under a hash of the name keyed with a secret of this process,
/// so the map holds no email address, nor anything a list of addresses could be hashed to match.
pub struct SignInSlowdown {
    policy: LockoutPolicy,
    secret: String,
    failures: Mutex<HashMap<String, LoginFailures>>,
}

impl std::fmt::Debug for SignInSlowdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInSlowdown").finish_non_exhaustive()
    }
}

impl SignInSlowdown {
    /// Counts in the lockout policy's window, without ever locking (the database does that).
    pub fn new(policy: LockoutPolicy) -> Self {
        SignInSlowdown {
            policy: LockoutPolicy {
                threshold: u32::MAX,
                ..policy
            },
            secret: random_token(),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn key(&self, login: &str) -> String {
        token_hash(&format!("{}\n{}", self.secret, login.trim().to_lowercase()))
    }

    /// Counts one failed sign-in as `login` at `now`; returns how long to wait before answering.
    pub fn failed(&self, login: &str, now: DateTime<Utc>) -> Duration {
        let Ok(mut failures) = self.failures.lock() else {
            return Duration::ZERO;
        };
        let entry = failures.entry(self.key(login)).or_default();
        let (next, _) = entry.after_failure(&self.policy, now);
        *entry = next;
        next.delay()
    }

    /// Forgets the failures of `login` after a successful sign-in.
    pub fn succeeded(&self, login: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&self.key(login));
        }
    }

    /// Forgets names whose window has passed, so the map does not grow with every name tried.
    pub fn forget_idle(&self, now: DateTime<Utc>) {
        if let Ok(mut failures) = self.failures.lock() {
            let window = self.policy.window;
            failures.retain(|_, f| {
                f.window_started_at
                    .is_some_and(|start| now < start + window)
            });
            failures.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + TimeDelta::minutes(minute)
    }

    #[test]
    fn the_fourth_failure_of_a_name_waits_and_the_letter_case_does_not_matter() {
        let slowdown = SignInSlowdown::new(LockoutPolicy::default());
        for login in [
            "Nobody@Example.org",
            "nobody@example.org ",
            "NOBODY@example.org",
        ] {
            assert_eq!(slowdown.failed(login, at(0)), Duration::ZERO);
        }
        assert_eq!(
            slowdown.failed("nobody@example.org", at(1)),
            Duration::from_millis(250)
        );
        assert_eq!(slowdown.failed("someone-else", at(1)), Duration::ZERO);
    }

    #[test]
    fn the_delay_keeps_growing_past_the_lockout_threshold_up_to_its_cap() {
        let slowdown = SignInSlowdown::new(LockoutPolicy::default());
        let delays: Vec<u128> = (0..12)
            .map(|_| slowdown.failed("target", at(0)).as_millis())
            .collect();
        assert_eq!(&delays[..8], &[0, 0, 0, 250, 500, 1000, 2000, 4000]);
        assert!(delays[8..].iter().all(|d| *d == 4000), "{delays:?}");
    }

    #[test]
    fn a_success_or_the_end_of_the_window_starts_the_count_again() {
        let slowdown = SignInSlowdown::new(LockoutPolicy::default());
        for _ in 0..3 {
            slowdown.failed("jane", at(0));
        }
        slowdown.succeeded("JANE");
        assert_eq!(slowdown.failed("jane", at(0)), Duration::ZERO);
        for _ in 0..3 {
            slowdown.failed("jane", at(0));
        }
        slowdown.forget_idle(at(15));
        assert_eq!(slowdown.failed("jane", at(15)), Duration::ZERO);
    }
}
