//! The test harness: [`TestApp`], its database, and response helpers.

mod database;
mod proxy;
mod response;

use std::{net::TcpListener, sync::Arc, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
use figment::providers::Serialized;
use merit_api::{
    clock::ManualClock,
    settings::Settings,
    startup::{self, Application},
};
pub use response::{TestResponse, assert_problem};
use tempfile::TempDir;

pub use database::{TestDatabase, postgres_admin_url};
pub use proxy::TcpProxy;

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
    #[expect(dead_code, reason = "the identity tests move it")]
    pub clock: ManualClock,
    /// The app's data dir (documents, mail), removed with the app.
    _data_dir: TempDir,
    /// The database, dropped with the app.
    _database: TestDatabase,
    /// The app's database handle, to arrange data the API cannot.
    pub db: merit_api::db::Db,
    client: reqwest::Client,
}

/// Settings for a test app over `database_url`, with data under `data_dir`.
pub fn test_settings(database_url: &str, data_dir: &std::path::Path) -> Settings {
    Settings::figment(None)
        .merge(Serialized::default("database_url", database_url))
        .merge(Serialized::default("data_dir", data_dir))
        .merge(Serialized::default("listen", "127.0.0.1:0"))
        .merge(Serialized::default("workers", 1))
        .merge(Serialized::default("database_pool_size", 4))
        .extract()
        .expect("test settings are valid")
}

impl TestApp {
    /// Starts an app on a fresh database of the backend under test.
    pub async fn spawn() -> TestApp {
        let database = TestDatabase::create();
        let data_dir = tempfile::tempdir().expect("a temporary data dir");
        let settings = test_settings(database.url(), data_dir.path());
        let db = startup::open_database(&settings)
            .await
            .expect("the test database opens and migrates");
        Self::serve(settings, db, database, data_dir)
    }

    /// Starts an app over an already built database handle (for tests that break the database).
    pub fn serve(
        settings: Settings,
        db: merit_api::db::Db,
        database: TestDatabase,
        data_dir: TempDir,
    ) -> TestApp {
        let clock = ManualClock::new(start_of_tests());
        let state = startup::app_state(settings, Arc::new(clock.clone()), db.clone());
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let app = Application::build(state, listener).expect("the app builds");
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
            _data_dir: data_dir,
            _database: database,
            db,
            client,
        }
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request builder for `method path`.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> TestResponse {
        TestResponse::read(request.send().await.expect("the request is answered")).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(self.request(reqwest::Method::GET, path)).await
    }
}
