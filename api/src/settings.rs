//! Typed configuration: defaults, then an optional TOML file, then `MERIT_*` environment
//! variables (the environment wins). Built once in `main` and passed down; never a global.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use chrono::TimeDelta;
use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use merit_domain::{
    account::{LockoutPolicy, PasswordPolicy, PasswordPreset},
    profile::DocumentQuota,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};

mod frontend;

use crate::search::FollowSettings;

pub use frontend::FrontendPage;

/// Every setting Merit reads. Secrets are [`SecretString`]s: their `Debug` output is redacted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://...` (may hold a password, hence secret).
    pub database_url: SecretString,
    /// Most database connections open at once.
    pub database_pool_size: u32,
    /// Address and port to serve on.
    pub listen: SocketAddr,
    /// Root of the document store and the mail folder.
    pub data_dir: PathBuf,
    /// Where emails are written as `.eml` files when no SMTP server is set.
    #[serde(default)]
    pub mail_dir: Option<PathBuf>,
    /// SMTP server for real delivery (may hold credentials).
    #[serde(default)]
    pub smtp_url: Option<SecretString>,
    /// Password of the first admin when none exists.
    #[serde(default)]
    pub bootstrap_admin_password: Option<SecretString>,
    /// Token signing key; generated and kept in the data dir when unset.
    #[serde(default)]
    pub jwt_secret: Option<SecretString>,
    /// A previous signing key, still accepted until its tokens expire (key rotation).
    #[serde(default)]
    pub jwt_previous_secret: Option<SecretString>,
    /// `caljobs` or `nist`.
    pub password_policy: PasswordPolicyPreset,
    /// The frontend's address, used to build the links in emails.
    pub public_url: String,
    /// The frontend page that confirms an email address (`?token=` is appended).
    pub verify_email_path: String,
    /// The frontend page that sets a new password after a reset (`?token=` is appended).
    pub reset_password_path: String,
    /// The frontend page where an activated employee sets a first password (`?token=`).
    pub set_password_path: String,
    /// The frontend's sign-in help page.
    pub forgot_password_path: String,
    /// The sender of Merit's emails.
    pub mail_from: String,
    /// Sign-in attempts per client and minute.
    pub login_rate_per_minute: u32,
    /// Requests per machine client (OAuth client credentials) and minute.
    pub api_client_rate_per_minute: u32,
    /// Registrations per client and hour.
    pub registration_rate_per_hour: u32,
    /// Password resets, username reminders, activations and re-sent email confirmations per
    /// client and minute.
    pub recovery_rate_per_minute: u32,
    /// Password resets, username reminders and re-sent email confirmations per email address
    /// and hour.
    pub recovery_rate_per_address_per_hour: u32,
    /// Failed sign-ins that lock an account.
    pub lockout_threshold: u32,
    /// The window, in minutes, those failures are counted in.
    pub lockout_window_minutes: u32,
    /// How long, in minutes, a lock lasts.
    pub lockout_minutes: u32,
    /// Password hashes allowed to wait for a core before sign-ins are answered 503.
    pub hashing_queue: usize,
    /// Take the client address from the last `X-Forwarded-For` hop (only behind one proxy that
    /// appends it).
    pub trust_forwarded_for: bool,
    /// Saved searches a person may keep.
    pub saved_search_limit: u32,
    /// Let webhook endpoints use `http` and loopback, private or link-local addresses
    /// (development and tests only: in production a webhook URL could otherwise reach internal
    /// services).
    pub webhooks_allow_private: bool,
    /// `human` (default) or `json` log lines.
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `merit_api=debug,info`.
    pub log_filter: String,
    /// HTTP worker threads; the number of cores when unset.
    #[serde(default)]
    pub workers: Option<usize>,
    /// Seconds a request body may take to arrive once its headers are read (0: no limit).
    pub body_timeout_seconds: u64,
    /// Connections one client address may hold open at once (0: no cap).
    pub connections_per_client: u32,
    /// Milliseconds between two reads of the posting change log when nothing wakes the search
    /// index: the fallback to PostgreSQL notifications, and SQLite's only way to learn of other
    /// instances' changes.
    pub search_poll_interval_ms: u64,
    /// Seconds an instance may stay silent before its position no longer holds back the pruning
    /// of the posting change log (it reloads its whole index when it returns).
    pub search_instance_grace_seconds: u64,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <this token>`.
    #[serde(default)]
    pub metrics_token: Option<SecretString>,
    /// The `Content-Security-Policy` of API answers (empty: none).
    pub content_security_policy: String,
    /// The `Content-Security-Policy` of the docs UI under `/docs` (empty: none).
    pub docs_content_security_policy: String,
    /// `Strict-Transport-Security: max-age=` this many seconds on every answer (0: not sent).
    pub hsts_max_age_seconds: u64,
    /// Browser origins allowed to call the API (CORS), comma-separated in the environment.
    #[serde(default, deserialize_with = "list_or_csv")]
    pub cors_origins: Vec<String>,
    /// The largest document a person may upload, in bytes.
    pub documents_max_bytes: u64,
    /// The most documents one person keeps.
    pub documents_quota_files: u64,
    /// The most bytes one person's documents take together.
    pub documents_quota_bytes: u64,
    /// Keep documents in this S3 (or S3-compatible) bucket instead of the data dir.
    #[serde(default)]
    pub documents_s3_bucket: Option<String>,
    /// The S3-compatible endpoint (MinIO, Ceph, ...); AWS itself when unset.
    #[serde(default)]
    pub documents_s3_endpoint: Option<String>,
    /// The bucket's region.
    #[serde(default)]
    pub documents_s3_region: Option<String>,
    /// The access key id; the usual AWS sources (environment, instance role) when unset.
    #[serde(default)]
    pub documents_s3_access_key_id: Option<SecretString>,
    /// The secret access key.
    #[serde(default)]
    pub documents_s3_secret_access_key: Option<SecretString>,
}

/// The password policy presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PasswordPolicyPreset {
    /// 8 to 20 characters with upper, lower, digit and special (the CalJOBS rule).
    Caljobs,
    /// NIST SP 800-63B: 8 to 128 code points, no composition rules.
    Nist,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The defaults: each works on a fresh machine with nothing installed.
#[derive(Debug, Serialize)]
struct Defaults {
    database_url: &'static str,
    database_pool_size: u32,
    listen: &'static str,
    data_dir: &'static str,
    password_policy: PasswordPolicyPreset,
    public_url: &'static str,
    verify_email_path: &'static str,
    reset_password_path: &'static str,
    set_password_path: &'static str,
    forgot_password_path: &'static str,
    mail_from: &'static str,
    login_rate_per_minute: u32,
    api_client_rate_per_minute: u32,
    registration_rate_per_hour: u32,
    recovery_rate_per_minute: u32,
    recovery_rate_per_address_per_hour: u32,
    lockout_threshold: u32,
    lockout_window_minutes: u32,
    lockout_minutes: u32,
    hashing_queue: usize,
    trust_forwarded_for: bool,
    saved_search_limit: u32,
    webhooks_allow_private: bool,
    log_format: LogFormat,
    log_filter: &'static str,
    body_timeout_seconds: u64,
    connections_per_client: u32,
    search_poll_interval_ms: u64,
    search_instance_grace_seconds: u64,
    content_security_policy: &'static str,
    docs_content_security_policy: &'static str,
    hsts_max_age_seconds: u64,
    documents_max_bytes: u64,
    documents_quota_files: u64,
    documents_quota_bytes: u64,
}

const DEFAULTS: Defaults = Defaults {
    database_url: "sqlite://merit.db",
    database_pool_size: 10,
    listen: "127.0.0.1:8080",
    data_dir: "./data",
    password_policy: PasswordPolicyPreset::Caljobs,
    public_url: "http://127.0.0.1:8080",
    verify_email_path: "/verify-email",
    reset_password_path: "/reset-password",
    set_password_path: "/set-password",
    forgot_password_path: "/forgot-password",
    mail_from: "Merit <no-reply@merit.localhost>",
    login_rate_per_minute: 30,
    api_client_rate_per_minute: 600,
    registration_rate_per_hour: 20,
    recovery_rate_per_minute: 10,
    recovery_rate_per_address_per_hour: 5,
    lockout_threshold: 10,
    lockout_window_minutes: 15,
    lockout_minutes: 15,
    hashing_queue: 32,
    trust_forwarded_for: false,
    saved_search_limit: 25,
    webhooks_allow_private: false,
    log_format: LogFormat::Human,
    log_filter: "info",
    body_timeout_seconds: 60,
    connections_per_client: 128,
    search_poll_interval_ms: 1000,
    search_instance_grace_seconds: 300,
    content_security_policy: "default-src 'none'; frame-ancestors 'none'",
    docs_content_security_policy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    hsts_max_age_seconds: 0,
    documents_max_bytes: 10 * 1024 * 1024,
    documents_quota_files: 50,
    documents_quota_bytes: 100 * 1024 * 1024,
};

/// Environment variables that start with `MERIT_` but are not settings.
const NOT_SETTINGS: &[&str] = &["config", "test_postgres_url"];

impl Settings {
    /// Loads the settings: defaults, then `config_file` if given, then the environment.
    pub fn load(config_file: Option<&Path>) -> Result<Settings, Box<figment::Error>> {
        Self::figment(config_file)
            .merge(Self::environment())
            .extract()
            .map_err(Box::new)
    }

    /// The defaults and the optional file, without the environment (tests start from this).
    pub fn figment(config_file: Option<&Path>) -> Figment {
        let figment = Figment::from(Serialized::defaults(DEFAULTS));
        match config_file {
            Some(path) => figment.merge(Toml::file_exact(path)),
            None => figment,
        }
    }

    fn environment() -> Env {
        Env::prefixed("MERIT_").ignore(NOT_SETTINGS)
    }

    /// The mail folder: `mail_dir`, or `mail` under the data dir.
    pub fn mail_dir(&self) -> PathBuf {
        self.mail_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("mail"))
    }

    /// Where documents are kept when no S3 bucket is set: `documents` under the data dir.
    pub fn documents_dir(&self) -> PathBuf {
        self.data_dir.join("documents")
    }

    /// The per-person document quota in force.
    pub fn document_quota(&self) -> DocumentQuota {
        DocumentQuota {
            max_files: self.documents_quota_files,
            max_bytes: self.documents_quota_bytes,
        }
    }

    /// The password policy in force.
    pub fn password_policy(&self) -> PasswordPolicy {
        PasswordPolicy::preset(match self.password_policy {
            PasswordPolicyPreset::Caljobs => PasswordPreset::Caljobs,
            PasswordPolicyPreset::Nist => PasswordPreset::Nist,
        })
    }

    /// The lockout policy in force.
    pub fn lockout_policy(&self) -> LockoutPolicy {
        LockoutPolicy {
            threshold: self.lockout_threshold.max(1),
            window: TimeDelta::minutes(i64::from(self.lockout_window_minutes)),
            lock_for: TimeDelta::minutes(i64::from(self.lockout_minutes)),
        }
    }

    /// How the search index follows the change log: polling every `search_poll_interval_ms`
    /// (at least 10 ms), a heartbeat every fifth of the grace period (1 s to 60 s).
    pub fn search_follow(&self) -> FollowSettings {
        let grace = Duration::from_secs(self.search_instance_grace_seconds.max(1));
        FollowSettings {
            poll_interval: Duration::from_millis(self.search_poll_interval_ms.max(10)),
            heartbeat_interval: (grace / 5).clamp(Duration::from_secs(1), Duration::from_secs(60)),
            grace,
        }
    }

    /// The database URL with any password replaced, safe to print.
    pub fn database_url_redacted(&self) -> String {
        redact_url(self.database_url.expose_secret())
    }
}

/// Replaces the password of a `scheme://user:password@host` URL with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

fn list_or_csv<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrCsv {
        List(Vec<String>),
        Csv(String),
    }
    Ok(match ListOrCsv::deserialize(deserializer)? {
        ListOrCsv::List(items) => items,
        ListOrCsv::Csv(text) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_serve_sqlite_on_localhost() {
        let settings: Settings = Settings::figment(None).extract().unwrap();
        assert_eq!(settings.database_url.expose_secret(), "sqlite://merit.db");
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.mail_dir(), PathBuf::from("./data/mail"));
        assert_eq!(settings.password_policy, PasswordPolicyPreset::Caljobs);
    }

    #[test]
    fn a_password_in_the_database_url_is_never_shown() {
        assert_eq!(
            redact_url("postgres://merit:s3cret@db:5432/merit"),
            "postgres://merit:***@db:5432/merit"
        );
        assert_eq!(redact_url("sqlite://merit.db"), "sqlite://merit.db");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let settings: Settings = Settings::figment(None)
            .merge(Serialized::default("jwt_secret", "do-not-print-me"))
            .extract()
            .unwrap();
        assert!(!format!("{settings:?}").contains("do-not-print-me"));
    }

    #[test]
    fn the_search_index_polls_and_beats_within_bounds() {
        let follow = |poll: u64, grace: u64| {
            let settings: Settings = Settings::figment(None)
                .merge(Serialized::default("search_poll_interval_ms", poll))
                .merge(Serialized::default("search_instance_grace_seconds", grace))
                .extract()
                .unwrap();
            settings.search_follow()
        };
        let defaults = follow(1000, 300);
        assert_eq!(defaults.poll_interval, Duration::from_secs(1));
        assert_eq!(defaults.heartbeat_interval, Duration::from_secs(60));
        assert_eq!(defaults.grace, Duration::from_secs(300));
        let short = follow(0, 2);
        assert_eq!(short.poll_interval, Duration::from_millis(10));
        assert_eq!(short.heartbeat_interval, Duration::from_secs(1));
        assert_eq!(follow(1000, 20).heartbeat_interval, Duration::from_secs(4));
        assert_eq!(
            follow(1000, 86_400).heartbeat_interval,
            Duration::from_secs(60)
        );
    }

    #[test]
    fn cors_origins_read_as_a_comma_separated_list() {
        let settings: Settings = Settings::figment(None)
            .merge(Serialized::default(
                "cors_origins",
                "https://a.example, https://b.example",
            ))
            .extract()
            .unwrap();
        assert_eq!(
            settings.cors_origins,
            ["https://a.example", "https://b.example"]
        );
    }
}
