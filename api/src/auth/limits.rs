//! Per-client and per-address rate limits on sign-in, registration and recovery.
//!
//! In-process (governor): each Merit instance counts for itself, so behind a load balancer of
//! `n` instances a client gets at most `n` times the rate. The per-account lockout, which
//! matters most, is in the database and shared.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use actix_web::HttpRequest;
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::{error::ApiError, settings::Settings};

/// The limited actions.
#[derive(Debug, Clone, Copy)]
pub enum Limited {
    /// `POST /auth/login`, per client.
    Login,
    /// Registration, per client.
    Registration,
    /// Password resets, username reminders, employee activations and re-sent email
    /// confirmations, per client.
    Recovery,
    /// Password resets, username reminders and re-sent email confirmations, per email address.
    RecoveryAddress,
}

/// The rate limiters.
pub struct RateLimits {
    login: DefaultKeyedRateLimiter<String>,
    registration: DefaultKeyedRateLimiter<String>,
    recovery: DefaultKeyedRateLimiter<String>,
    recovery_address: DefaultKeyedRateLimiter<String>,
    /// Requests per machine client.
    pub clients: super::clients::ClientRateLimit,
    trust_forwarded_for: bool,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

fn per(count: u32, period: Duration) -> DefaultKeyedRateLimiter<String> {
    let count = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    let quota = Quota::with_period(period / count.get())
        .map_or_else(|| Quota::per_second(count), |q| q.allow_burst(count));
    RateLimiter::keyed(quota)
}

impl RateLimits {
    /// Limiters with the configured rates.
    pub fn new(settings: &Settings) -> Self {
        RateLimits {
            login: per(settings.login_rate_per_minute, Duration::from_secs(60)),
            registration: per(
                settings.registration_rate_per_hour,
                Duration::from_secs(3600),
            ),
            recovery: per(settings.recovery_rate_per_minute, Duration::from_secs(60)),
            recovery_address: per(
                settings.recovery_rate_per_address_per_hour,
                Duration::from_secs(3600),
            ),
            clients: super::clients::ClientRateLimit::new(settings.api_client_rate_per_minute),
            trust_forwarded_for: settings.trust_forwarded_for,
        }
    }

    /// The client's address: the peer, or, behind a trusted proxy, the last `X-Forwarded-For`
    /// hop: the one that proxy appended. Earlier hops are whatever the client sent, so keying on
    /// them would let a client pick a fresh address for every request.
    pub fn client(&self, req: &HttpRequest) -> String {
        let forwarded = self
            .trust_forwarded_for
            .then(|| req.headers().get_all("x-forwarded-for").last())
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        forwarded
            .or_else(|| req.peer_addr().map(|a| a.ip()))
            .map_or_else(|| "unknown".into(), |ip| ip.to_string())
    }

    /// Forgets clients and addresses whose limits have fully recovered, so the maps do not grow
    /// with every address ever seen.
    pub fn forget_idle(&self) {
        for limiter in [
            &self.login,
            &self.registration,
            &self.recovery,
            &self.recovery_address,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.clients.forget_idle();
    }

    /// Counts one `action` for `key`; 429 with `Retry-After` when over the limit.
    pub fn check(&self, action: Limited, key: &str) -> Result<(), ApiError> {
        let limiter = match action {
            Limited::Login => &self.login,
            Limited::Registration => &self.registration,
            Limited::Recovery => &self.recovery,
            Limited::RecoveryAddress => &self.recovery_address,
        };
        limiter.check_key(&key.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyRequests {
                retry_after: wait.as_secs().max(1),
            }
        })
    }
}
