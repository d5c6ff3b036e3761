//! Readiness means ready: 503 until the search index is loaded (in the background, never by a
//! request), and the index's size and lag in `/metrics`.

use std::time::Duration;

use serde_json::json;

use crate::support::{TestApp, TestDatabase, assert_problem, test_settings};

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
}
