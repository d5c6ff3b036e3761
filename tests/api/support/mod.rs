//! The test harness: [`TestApp`], its database, the captured mailbox, factories and response
//! helpers.

mod database;
mod factories;
mod mail;
mod proxy;
mod response;
mod smtp;

use std::{net::TcpListener, sync::Arc, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
use figment::{Figment, providers::Serialized};
use merit_api::{
    clock::ManualClock,
    services::bootstrap,
    settings::Settings,
    startup::{self, Application},
    state::AppState,
};
use reqwest::Method;
use serde_json::Value;
use tempfile::TempDir;

pub use database::{TestDatabase, postgres_admin_url};
pub use factories::{ADMIN_PASSWORD, PASSWORD, TestUser};
pub use mail::Mail;
pub use proxy::TcpProxy;
pub use response::{TestResponse, assert_problem};
pub use smtp::FakeSmtp;

/// The instant every test starts at, unless it moves the clock.
pub fn start_of_tests() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

/// A running Merit on a fresh database, with a clock the test controls.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The app's clock.
    pub clock: ManualClock,
    /// The app's state, to run background work (mail delivery) on demand.
    pub state: AppState,
    /// The app's database handle, to arrange data the API cannot.
    pub db: merit_api::db::Db,
    /// The app's data dir (documents, mail), removed with the app.
    _data_dir: TempDir,
    /// The database, dropped with the app.
    _database: TestDatabase,
    client: reqwest::Client,
}

/// Settings for a test app over `database_url`, with data under `data_dir`.
pub fn test_figment(database_url: &str, data_dir: &std::path::Path) -> Figment {
    Settings::figment(None)
        .merge(Serialized::default("database_url", database_url))
        .merge(Serialized::default("data_dir", data_dir))
        .merge(Serialized::default("listen", "127.0.0.1:0"))
        .merge(Serialized::default("workers", 1))
        .merge(Serialized::default("database_pool_size", 4))
        .merge(Serialized::default(
            "bootstrap_admin_password",
            ADMIN_PASSWORD,
        ))
        .merge(Serialized::default(
            "public_url",
            "https://careers.example.gov",
        ))
}

/// Settings for a test app over `database_url`, with data under `data_dir`.
pub fn test_settings(database_url: &str, data_dir: &std::path::Path) -> Settings {
    test_figment(database_url, data_dir)
        .extract()
        .expect("test settings are valid")
}

impl TestApp {
    /// Starts an app on a fresh database of the backend under test.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|figment| figment).await
    }

    /// Starts an app whose settings `adjust` changes (lower rate limits, another policy, ...).
    pub async fn spawn_with(adjust: impl FnOnce(Figment) -> Figment) -> TestApp {
        let database = TestDatabase::create();
        let data_dir = tempfile::tempdir().expect("a temporary data dir");
        let settings: Settings = adjust(test_figment(database.url(), data_dir.path()))
            .extract()
            .expect("test settings are valid");
        let db = startup::open_database(&settings)
            .await
            .expect("the test database opens and migrates");
        let app = Self::serve(settings, db, database, data_dir);
        app.wait_for_search_index().await;
        bootstrap::ensure_admin(&app.state)
            .await
            .expect("the first admin is created");
        app
    }

    /// Starts another instance over this app's database, as a second Merit process would: its
    /// own data dir, clock, pool and search index; `adjust` changes its settings. Declare it
    /// after this app so that it is dropped first (this app drops the database).
    pub async fn spawn_beside(&self, adjust: impl FnOnce(Figment) -> Figment) -> TestApp {
        let database = TestDatabase::shared(self._database.url());
        let data_dir = tempfile::tempdir().expect("a temporary data dir");
        let settings: Settings = adjust(test_figment(database.url(), data_dir.path()))
            .extract()
            .expect("test settings are valid");
        let db = startup::open_database(&settings)
            .await
            .expect("the shared database opens");
        let app = Self::serve(settings, db, database, data_dir);
        app.wait_for_search_index().await;
        app
    }

    /// Starts an app over an already built database handle (for tests that break the database).
    pub fn serve(
        settings: Settings,
        db: merit_api::db::Db,
        database: TestDatabase,
        data_dir: TempDir,
    ) -> TestApp {
        Self::serve_prepared(settings, db, database, data_dir, |_| {})
    }

    /// Like [`TestApp::serve`], letting `prepare` see the state before the server starts (to
    /// hold the search index's first load, say).
    pub fn serve_prepared(
        settings: Settings,
        db: merit_api::db::Db,
        database: TestDatabase,
        data_dir: TempDir,
        prepare: impl FnOnce(&AppState),
    ) -> TestApp {
        let clock = ManualClock::new(start_of_tests());
        let state = startup::app_state(settings, Arc::new(clock.clone()), db.clone())
            .expect("the app state builds");
        // A database handed in migrated is taken as prepared (the harness makes the admin);
        // one that is not waits for `warmup::prepare`, as `merit serve` does.
        if db.is_migrated() {
            state.mark_prepared();
        }
        prepare(&state);
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let app = Application::build(state.clone(), listener).expect("the app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        TestApp {
            address,
            clock,
            state,
            db,
            _data_dir: data_dir,
            _database: database,
            client,
        }
    }

    /// Waits (up to 10 s) until the search index's first load, which runs in the background
    /// from start-up, is done.
    pub async fn wait_for_search_index(&self) {
        for _ in 0..200 {
            if self.state.search.is_loaded() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the search index did not load within 10 s");
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request builder for `method path`.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> TestResponse {
        TestResponse::read(request.send().await.expect("the request is answered")).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(self.request(Method::GET, path)).await
    }

    /// `GET path` with an access token.
    pub async fn get_as(&self, token: &str, path: &str) -> TestResponse {
        self.send(self.request(Method::GET, path).bearer_auth(token))
            .await
    }

    /// `method path` with a JSON body, anonymously.
    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        self.send(self.request(method, path).json(body)).await
    }

    /// `method path` with a JSON body and an access token.
    pub async fn send_json_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: &Value,
    ) -> TestResponse {
        self.send(self.request(method, path).bearer_auth(token).json(body))
            .await
    }

    /// `POST path` with a JSON body, anonymously.
    pub async fn post(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::POST, path, body).await
    }

    /// `POST path` with a JSON body and an access token.
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> TestResponse {
        self.send_json_as(token, Method::POST, path, body).await
    }
}
