//! Readiness means ready: 503 until the search index is loaded (in the background, never by a
//! request), and the index's size and lag in `/metrics`.

use std::time::Duration;

use merit_api::{db::Db, startup, warmup};
use serde_json::json;

use crate::{
    service::server_of,
    support::{
        ADMIN_PASSWORD, TcpProxy, TestApp, TestDatabase, assert_problem, postgres_admin_url,
        test_settings,
    },
};

async fn ready_within(app: &TestApp, limit: Duration) -> u16 {
    let mut status = 0;
    for _ in 0..(limit.as_millis() / 100) {
        status = app.get("/readyz").await.status;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    status
}

#[actix_web::test]
async fn readiness_is_503_while_the_search_index_loads_then_200() {
    let database = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings(database.url(), data_dir.path());
    let db = merit_api::startup::open_database(&settings)
        .await
        .expect("the database opens");
    let mut hold = None;
    let app = TestApp::serve_prepared(settings, db, database, data_dir, |state| {
        hold = state.search.hold_first_load();
    });
    assert!(hold.is_some(), "the load had not started");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let pending = app.get("/readyz").await;
    assert_problem(&pending, 503, "not_ready");
    assert_eq!(pending.header("retry-after"), "5");
    assert!(
        pending.body["detail"]
            .as_str()
            .unwrap()
            .contains("search index")
    );
    app.get("/healthz").await.assert_status(200);
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.text.contains("merit_search_index_loaded 0"),
        "{}",
        metrics.text
    );

    drop(hold);
    assert_eq!(ready_within(&app, Duration::from_secs(10)).await, 200);
    assert_eq!(app.get("/readyz").await.body, json!({"status": "ready"}));
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.text.contains("merit_search_index_loaded 1"),
        "{}",
        metrics.text
    );
}

#[actix_web::test]
async fn metrics_show_the_search_index_size_and_lag() {
    let app = TestApp::spawn().await;
    let metrics = app.get("/metrics").await;
    metrics.assert_status(200);
    for line in [
        "# TYPE merit_search_index_lag_seconds gauge",
        "# TYPE merit_search_index_postings gauge",
        "merit_search_index_postings 0",
        "# TYPE merit_search_index_heap_bytes gauge",
        "merit_search_index_loaded 1",
    ] {
        assert!(
            metrics.text.contains(line),
            "missing {line}:\n{}",
            metrics.text
        );
    }
    let lag: f64 = metrics
        .text
        .lines()
        .find_map(|l| l.strip_prefix("merit_search_index_lag_seconds "))
        .expect("a lag sample")
        .parse()
        .expect("a number");
    assert!((0.0..5.0).contains(&lag), "lag {lag}");
    let empty = sample(&metrics.text, "merit_search_index_heap_bytes");

    app.with_reference_data().await;
    let employer = app.employer("Ada", "Poster", "DMV").await;
    crate::postings::open(&app, &employer, json!({"final_filing_date": "2099-04-30"})).await;
    let metrics = app.get("/metrics").await;
    assert_eq!(sample(&metrics.text, "merit_search_index_postings"), 1.0);
    let one = sample(&metrics.text, "merit_search_index_heap_bytes");
    assert!(
        one > empty,
        "an indexed posting takes room: {empty} -> {one}"
    );
}

/// The value of the unlabelled sample `name` in a Prometheus text exposition.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {name} sample:\n{text}"))
        .parse()
        .expect("a number")
}

#[actix_web::test]
async fn merit_starts_with_postgres_down_answers_503_and_serves_once_it_returns() {
    let Some(admin) = postgres_admin_url() else {
        eprintln!("SKIP: needs MERIT_TEST_POSTGRES_URL");
        return;
    };
    let database = TestDatabase::create();
    let proxy = TcpProxy::start(server_of(&admin)).await;
    proxy.cut();
    let through_proxy = database
        .url()
        .replacen(&server_of(&admin), &proxy.address.to_string(), 1);
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings(&through_proxy, data_dir.path());
    let db = Db::unmigrated(startup::open_pool(&settings).expect("a lazy pool"));
    let app = TestApp::serve(settings, db, database, data_dir);
    actix_web::rt::spawn(warmup::prepare(app.state.clone()));

    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.get("/healthz").await.assert_status(200);
    let ready = app.get("/readyz").await;
    assert_problem(&ready, 503, "not_ready");
    assert_eq!(ready.header("retry-after"), "5");
    let data = app.get("/api/v1/locations").await;
    assert_problem(&data, 503, "database_unavailable");
    assert_eq!(data.header("retry-after"), "5");

    proxy.restore();
    assert_eq!(ready_within(&app, Duration::from_secs(20)).await, 200);
    app.get("/api/v1/locations").await.assert_status(200);
    let admin = app.admin().await;
    app.get_as(&admin.token, "/api/v1/me")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_database_not_migrated_yet_answers_503_until_start_up_migrates_it() {
    let database = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings(database.url(), data_dir.path());
    let db = Db::unmigrated(startup::open_pool(&settings).expect("a lazy pool"));
    let app = TestApp::serve(settings, db, database, data_dir);

    let ready = app.get("/readyz").await;
    assert_problem(&ready, 503, "not_ready");
    assert!(
        ready.body["detail"].as_str().unwrap().contains("database"),
        "{}",
        ready.body
    );
    let data = app.get("/api/v1/locations").await;
    assert_problem(&data, 503, "database_unavailable");
    let sign_in = app.sign_in("admin", ADMIN_PASSWORD).await;
    assert_problem(&sign_in, 503, "database_unavailable");

    actix_web::rt::spawn(warmup::prepare(app.state.clone()));
    assert_eq!(ready_within(&app, Duration::from_secs(20)).await, 200);
    app.get("/api/v1/locations").await.assert_status(200);
    let admin = app.admin().await;
    app.get_as(&admin.token, "/api/v1/me")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn with_postgres_unreachable_at_start_merit_listens_and_keeps_answering_503() {
    let database = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings("postgres://merit@127.0.0.1:1/gone", data_dir.path());
    let db = Db::unmigrated(startup::open_pool(&settings).expect("a lazy pool"));
    let app = TestApp::serve(settings, db, database, data_dir);
    actix_web::rt::spawn(warmup::prepare(app.state.clone()));

    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.get("/healthz").await.assert_status(200);
    let ready = app.get("/readyz").await;
    assert_problem(&ready, 503, "not_ready");
    assert_eq!(ready.header("retry-after"), "5");
    let data = app.get("/api/v1/locations").await;
    assert_problem(&data, 503, "database_unavailable");
    assert_eq!(data.header("retry-after"), "5");
    assert!(!app.state.db.is_migrated(), "still retrying");
    app.get("/metrics").await.assert_status(200);
}
