//! Building and running the server: the same code serves `merit` and the tests.

use std::{net::TcpListener, sync::Arc};

use tokio::sync::Notify;

use actix_cors::Cors;
use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer,
    dev::Server,
    http::header,
    middleware::{self, Condition, DefaultHeaders},
    web,
};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use anyhow::Context;
use merit_persistence::{DbPool, PoolOptions, db};
use prometheus::Registry;
use secrecy::ExposeSecret;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::{
    alerts::{self, AlertService},
    auth::{
        self,
        hashing::PasswordHasher,
        limits::RateLimits,
        slowdown::SignInSlowdown,
        tokens::{self, TokenKeys},
    },
    clock::Clock,
    connections::{self, ConnectionCap},
    db::Db,
    error::ApiError,
    extract,
    headers::{self, SecurityHeaders},
    mail::{self, delivery::Mailer},
    methods,
    openapi::{self, RouteTable},
    routes,
    search::{self, SearchService},
    services::alerts::UnsubscribeLinks,
    settings::Settings,
    state::AppState,
    storage::DocumentStore,
    sweeper, telemetry, warmup,
};

/// How often each instance sweeps crash leftovers (see `sweeper`).
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

/// The shortest `MERIT_METRICS_TOKEN` accepted.
const MIN_METRICS_TOKEN_BYTES: usize = 16;

/// How often the outbox worker looks for due emails when nothing wakes it.
const MAIL_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// How often the job alert worker looks for opened postings and due digests when nothing
/// wakes it.
const ALERT_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);
/// How often the webhook worker looks for due deliveries when nothing wakes it (retries come
/// due without a wake-up).
const WEBHOOK_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// Opens the pool without connecting: a database that is down is not an error here.
pub fn open_pool(settings: &Settings) -> anyhow::Result<DbPool> {
    let options = PoolOptions {
        max_size: settings.database_pool_size,
        ..PoolOptions::default()
    };
    db::build_pool(settings.database_url.expose_secret(), options).with_context(|| {
        format!(
            "cannot open the database at {}",
            settings.database_url_redacted()
        )
    })
}

/// Opens the pool and applies pending migrations (fails if the database is unreachable).
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::unmigrated(open_pool(settings)?);
    let applied = warmup::migrate(&db).await.with_context(|| {
        format!(
            "cannot migrate the database at {}",
            settings.database_url_redacted()
        )
    })?;
    tracing::info!(applied, backend = ?db::Backend::of_url(settings.database_url.expose_secret()), "database ready");
    Ok(db)
}

/// The state handlers share. Reads or creates the token signing key; call inside the runtime.
pub fn app_state(settings: Settings, clock: Arc<dyn Clock>, db: Db) -> anyhow::Result<AppState> {
    settings.check_frontend().map_err(anyhow::Error::msg)?;
    SecurityHeaders::from_settings(&settings)?;
    if let Some(token) = &settings.metrics_token {
        anyhow::ensure!(
            token.expose_secret().trim().len() >= MIN_METRICS_TOKEN_BYTES,
            "MERIT_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_BYTES} characters"
        );
    }
    let secret = TokenKeys::load_or_create_secret(settings.jwt_secret.as_ref(), &settings.data_dir)
        .with_context(|| {
            format!(
                "cannot keep the token signing key in {}",
                settings.data_dir.display()
            )
        })?;
    if let Some(previous) = &settings.jwt_previous_secret {
        tokens::check_strength(previous).context("MERIT_JWT_PREVIOUS_SECRET is too weak")?;
    }
    let tokens = TokenKeys::new(&secret, settings.jwt_previous_secret.as_ref());
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let metrics = Registry::new();
    let search = SearchService::new();
    search
        .register_metrics(&metrics)
        .context("cannot register the search index's metrics")?;
    let mail_failed = prometheus::IntCounter::new(
        "merit_mail_failed_total",
        "Emails given up after their last delivery attempt (listed under GET /api/v1/admin/outbox?status=failed).",
    )?;
    metrics.register(Box::new(mail_failed.clone()))?;
    Ok(AppState {
        db,
        clock,
        metrics,
        mail_failed,
        tokens: Arc::new(tokens),
        hasher: PasswordHasher::new(cores, settings.hashing_queue),
        limits: Arc::new(RateLimits::new(&settings)),
        sign_in_slowdown: Arc::new(SignInSlowdown::new(settings.lockout_policy())),
        current_password_slowdown: Arc::new(SignInSlowdown::new(settings.lockout_policy())),
        mailer: Arc::new(Mailer::from_settings(&settings)?),
        mail_signal: Arc::new(Notify::new()),
        search: Arc::new(search),
        documents: DocumentStore::from_settings(&settings)?,
        alerts: Arc::new(AlertService::new()),
        alert_signal: Arc::new(Notify::new()),
        webhook_sender: crate::webhooks::Sender::new(settings.webhooks_allow_private)
            .context("cannot build the webhook HTTP client")?,
        webhook_signal: Arc::new(Notify::new()),
        prepared: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        unsubscribe: UnsubscribeLinks::new(&settings.public_url, secret.expose_secret().as_bytes()),
        settings: Arc::new(settings),
    })
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Binds `listener` and builds the server over `state`.
    pub fn build(state: AppState, listener: TcpListener) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let metrics = PrometheusMetricsBuilder::new("merit")
            .registry(state.metrics.clone())
            .mask_unmatched_patterns("unmatched")
            .exclude_regex("^/docs")
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the metrics middleware: {e}"))?;
        let document = openapi::document();
        let routes = web::Data::new(RouteTable::from_document(&document));
        let workers = state
            .settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        actix_web::rt::spawn(mail::worker::run(state.clone(), MAIL_POLL_INTERVAL));
        actix_web::rt::spawn(state.search.clone().follow(
            state.db.clone(),
            state.clock.clone(),
            state.settings.search_follow(),
        ));
        let database_url = state.settings.database_url.expose_secret();
        if db::Backend::of_url(database_url) == db::Backend::Postgres {
            search::listen::spawn(database_url, &state.search)
                .context("cannot start the thread that listens for posting changes")?;
        }
        actix_web::rt::spawn(sweeper::run(state.clone(), SWEEP_INTERVAL));
        actix_web::rt::spawn(alerts::worker::run(state.clone(), ALERT_POLL_INTERVAL));
        actix_web::rt::spawn(crate::webhooks::worker::run(
            state.clone(),
            WEBHOOK_POLL_INTERVAL,
        ));
        let forgetful = state.clone();
        actix_web::rt::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                forgetful.limits.forget_idle();
                forgetful
                    .sign_in_slowdown
                    .forget_idle(forgetful.clock.now());
            }
        });
        let security = web::Data::new(SecurityHeaders::from_settings(&state.settings)?);
        let cap = ConnectionCap::new(state.settings.connections_per_client);
        let data = web::Data::new(state);
        let server = HttpServer::new(move || {
            app(
                data.clone(),
                routes.clone(),
                security.clone(),
                metrics.clone(),
                document.clone(),
            )
        })
        .on_connect(move |connection, extensions| cap.on_connect(connection, extensions))
        .workers(workers)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    /// The port the server listens on (useful when bound to port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is asked to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .allowed_header("idempotency-key")
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
        ])
        .expose_headers(["x-request-id"])
        .max_age(3600)
}

fn app(
    state: web::Data<AppState>,
    routes: web::Data<RouteTable>,
    security: web::Data<SecurityHeaders>,
    metrics: PrometheusMetrics,
    document: utoipa::openapi::OpenApi,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let cors_enabled = !state.settings.cors_origins.is_empty();
    let cors = cors(&state.settings.cors_origins);
    // The document and the docs UI come first: the `/api/v1` scope would otherwise claim
    // `/api/v1/openapi.json` and answer it from its own default service.
    let docs = SwaggerUi::new("/docs/{_:.*}")
        .url("/api/v1/openapi.json", document)
        .config(
            Config::default()
                .validator_url("none")
                .try_it_out_enabled(true)
                .persist_authorization(true),
        );
    let (app, _) = App::new()
        .service(docs)
        .into_utoipa_app()
        .configure(routes::configure)
        .split_for_parts();
    app.app_data(state)
        .app_data(routes)
        .app_data(security)
        .route("/docs", web::get().to(redirect_to_docs))
        .default_service(web::to(fallback))
        .wrap(Condition::new(cors_enabled, cors))
        .wrap(
            DefaultHeaders::new()
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::X_FRAME_OPTIONS, "DENY"))
                .add((header::REFERRER_POLICY, "no-referrer"))
                .add((header::CACHE_CONTROL, "no-store")),
        )
        .wrap(middleware::from_fn(headers::add_security_headers))
        .wrap(middleware::Compress::default())
        .wrap(middleware::from_fn(auth::authenticate_first))
        .wrap(middleware::from_fn(
            extract::refuse_control_characters_in_path,
        ))
        .wrap(middleware::from_fn(methods::head_as_get))
        .wrap(metrics)
        .wrap(middleware::from_fn(methods::bucket_unknown_methods))
        .wrap(middleware::from_fn(connections::cut_slow_bodies))
        .wrap(middleware::from_fn(telemetry::observe))
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Unknown paths are 404; known paths with another method are 405 with `Allow`.
async fn fallback(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    Err(match routes.allowed(req.path()) {
        Some(methods) => ApiError::MethodNotAllowed {
            allow: methods.to_vec(),
        },
        None => ApiError::not_found("route"),
    })
}
