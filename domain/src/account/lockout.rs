//! Failed sign-ins: slowing down, then locking an account for a while.

use chrono::{DateTime, TimeDelta, Utc};

/// When an account locks and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures within `window` that lock the account.
    pub threshold: u32,
    /// The window failures are counted in.
    pub window: TimeDelta,
    /// How long the lock lasts.
    pub lock_for: TimeDelta,
}

impl Default for LockoutPolicy {
    /// 10 failures in 15 minutes lock the account for 15 minutes.
    fn default() -> Self {
        LockoutPolicy {
            threshold: 10,
            window: TimeDelta::minutes(15),
            lock_for: TimeDelta::minutes(15),
        }
    }
}

/// An account's recent failed sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    /// Failures counted in the current window.
    pub count: u32,
    /// When the current window began (at its first failure).
    pub window_started_at: Option<DateTime<Utc>>,
    /// Until when the account is locked.
    pub locked_until: Option<DateTime<Utc>>,
}

impl LoginFailures {
    /// Whether sign-in is refused at `now`.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// The state after one more failure at `now`, and whether this failure locked the account.
    pub fn after_failure(
        &self,
        policy: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> (LoginFailures, bool) {
        let in_window = self
            .window_started_at
            .is_some_and(|start| now < start + policy.window);
        let (count, started) = if in_window {
            (self.count + 1, self.window_started_at)
        } else {
            (1, Some(now))
        };
        if count >= policy.threshold && !self.is_locked(now) {
            let locked = LoginFailures {
                count: 0,
                window_started_at: None,
                locked_until: Some(now + policy.lock_for),
            };
            (locked, true)
        } else {
            (
                LoginFailures {
                    count,
                    window_started_at: started,
                    locked_until: self.locked_until,
                },
                false,
            )
        }
    }

    /// How long to wait before answering a failed attempt: nothing for the first three, then
    /// doubling from a quarter of a second up to four seconds, so guessing slows down well
    /// before the lock.
    pub fn delay(&self) -> std::time::Duration {
        let millis = match self.count {
            0..=3 => 0,
            n => (250u64 << (n - 4).min(4)).min(4_000),
        };
        std::time::Duration::from_millis(millis)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + TimeDelta::minutes(minute)
    }

    fn fail_times(times: &[i64]) -> (LoginFailures, bool) {
        let policy = LockoutPolicy::default();
        times
            .iter()
            .fold((LoginFailures::default(), false), |(state, _), t| {
                state.after_failure(&policy, at(*t))
            })
    }

    #[test]
    fn the_tenth_failure_within_fifteen_minutes_locks_for_fifteen_minutes() {
        let (state, locked) = fail_times(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert!(locked);
        assert!(state.is_locked(at(9)));
        assert!(state.is_locked(at(23)));
        assert!(!state.is_locked(at(24)));
    }

    #[test]
    fn nine_failures_do_not_lock() {
        let (state, locked) = fail_times(&[0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(!locked);
        assert!(!state.is_locked(at(8)));
        assert_eq!(state.count, 9);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let (state, locked) = fail_times(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 15]);
        assert!(!locked);
        assert_eq!(state.count, 1);
    }

    #[test]
    fn answers_slow_down_after_three_failures() {
        let with = |count| {
            LoginFailures {
                count,
                ..LoginFailures::default()
            }
            .delay()
            .as_millis()
        };
        assert_eq!(with(3), 0);
        assert_eq!(with(4), 250);
        assert_eq!(with(5), 500);
        assert_eq!(with(9), 4_000);
    }
}
