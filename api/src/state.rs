//! What every handler can reach: the database, the clock, the settings and the security and
//! mail machinery built from them.

use std::sync::Arc;

use merit_domain::account::{LockoutPolicy, PasswordPolicy};
use prometheus::Registry;
use tokio::sync::Notify;

use crate::{
    alerts::AlertService,
    auth::{
        hashing::PasswordHasher, limits::RateLimits, slowdown::SignInSlowdown, tokens::TokenKeys,
    },
    clock::Clock,
    db::Db,
    mail::delivery::Mailer,
    search::SearchService,
    services::alerts::UnsubscribeLinks,
    settings::{FrontendPage, Settings},
    storage::DocumentStore,
};

/// Shared, cheaply cloned application state (`web::Data<AppState>`).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The clock; handlers read `now` once and pass it down.
    pub clock: Arc<dyn Clock>,
    /// The settings Merit started with.
    pub settings: Arc<Settings>,
    /// The metrics registry served at `/metrics`.
    pub metrics: Registry,
    /// Access-token keys.
    pub tokens: Arc<TokenKeys>,
    /// The bounded password-hashing pool.
    pub hasher: PasswordHasher,
    /// Rate limits.
    pub limits: Arc<RateLimits>,
    /// The slow-down of failed sign-ins, per sign-in name.
    pub sign_in_slowdown: Arc<SignInSlowdown>,
    /// The same for wrong current passwords in signed-in sessions, per account.
    pub current_password_slowdown: Arc<SignInSlowdown>,
    /// Where emails go.
    pub mailer: Arc<Mailer>,
    /// Emails given up after their last attempt, counted (`merit_mail_failed_total`).
    pub mail_failed: prometheus::IntCounter,
    /// Wakes the outbox worker when an email was queued.
    pub mail_signal: Arc<Notify>,
    /// The posting search index.
    pub search: Arc<SearchService>,
    /// Where documents' bytes are kept.
    pub documents: DocumentStore,
    /// The job alert matching index.
    pub alerts: Arc<AlertService>,
    /// Wakes the job alert worker when a posting opened.
    pub alert_signal: Arc<Notify>,
    /// Sends webhooks.
    pub webhook_sender: crate::webhooks::Sender,
    /// Wakes the webhook worker when an event was written.
    pub webhook_signal: Arc<Notify>,
    /// Signs and checks alert emails' one-click unsubscribe links.
    pub unsubscribe: UnsubscribeLinks,
    /// Set once start-up has migrated the database and made the first admin
    /// ([`crate::warmup::prepare`]); `/readyz` is 503 until then.
    pub prepared: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Whether start-up is done: the database migrated and the first admin made.
    pub fn is_prepared(&self) -> bool {
        self.prepared.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Records that start-up is done.
    pub fn mark_prepared(&self) {
        self.prepared
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// The password policy in force.
    pub fn password_policy(&self) -> PasswordPolicy {
        self.settings.password_policy()
    }

    /// The lockout policy in force.
    pub fn lockout_policy(&self) -> LockoutPolicy {
        self.settings.lockout_policy()
    }

    /// Tells the outbox worker that an email is waiting.
    pub fn wake_mailer(&self) {
        self.mail_signal.notify_one();
    }

    /// Tells the webhook worker that an event is waiting.
    pub fn wake_webhooks(&self) {
        self.webhook_signal.notify_one();
    }

    /// Tells the job alert worker that a posting opened.
    pub fn wake_alerts(&self) {
        self.alert_signal.notify_one();
    }

    /// The address of a page of the frontend (see [`FrontendPage`]).
    pub fn page(&self, page: FrontendPage) -> String {
        self.settings.page_url(page)
    }

    /// A link into the frontend carrying a single-use token: the page's address + `?token=...`.
    pub fn link(&self, page: FrontendPage, token: &str) -> String {
        self.settings.page_link(page, token)
    }
}
