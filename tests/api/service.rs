//! Liveness, readiness (down and back), metrics and the offline docs.

use std::time::Duration;

use merit_persistence::{PoolOptions, db};
use reqwest::Method;

use crate::support::{
    TcpProxy, TestApp, TestDatabase, assert_problem, postgres_admin_url, test_settings,
};

#[actix_web::test]
async fn liveness_and_readiness_are_ok_with_a_database() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/healthz").await.body,
        serde_json::json!({"status": "ok"})
    );
    assert_eq!(
        app.get("/readyz").await.body,
        serde_json::json!({"status": "ready"})
    );
}

fn unreachable_db() -> merit_api::db::Db {
    let options = PoolOptions {
        max_size: 2,
        connection_timeout: Duration::from_millis(500),
    };
    merit_api::db::Db::new(
        db::build_pool("postgres://merit@127.0.0.1:1/gone", options).expect("a lazy pool"),
    )
}

#[actix_web::test]
async fn without_a_database_readiness_is_503_with_retry_after_while_liveness_stays_200() {
    let database = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings(database.url(), data_dir.path());
    let app = TestApp::serve(settings, unreachable_db(), database, data_dir);
    let ready = app.get("/readyz").await;
    assert_problem(&ready, 503, "not_ready");
    assert_eq!(ready.header("retry-after"), "5");
    app.get("/healthz").await.assert_status(200);
    let data = app.get("/api/v1/locations").await;
    assert_problem(&data, 503, "database_unavailable");
    assert_eq!(data.header("retry-after"), "5");
}

/// `postgres://user@host:port/db` → `host:port`.
pub(crate) fn server_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_owned()
}

#[actix_web::test]
async fn readiness_comes_back_by_itself_when_postgres_returns() {
    let Some(admin) = postgres_admin_url() else {
        eprintln!("SKIP: needs MERIT_TEST_POSTGRES_URL");
        return;
    };
    let database = TestDatabase::create();
    let proxy = TcpProxy::start(server_of(&admin)).await;
    let through_proxy = database
        .url()
        .replacen(&server_of(&admin), &proxy.address.to_string(), 1);
    let data_dir = tempfile::tempdir().expect("a data dir");
    let settings = test_settings(&through_proxy, data_dir.path());
    let db = merit_api::startup::open_database(&settings)
        .await
        .expect("migrates through the proxy");
    let app = TestApp::serve(settings, db, database, data_dir);
    app.wait_for_search_index().await;
    app.get("/readyz").await.assert_status(200);

    proxy.cut();
    assert_problem(&app.get("/readyz").await, 503, "not_ready");

    proxy.restore();
    let mut status = 0;
    for _ in 0..20 {
        status = app.get("/readyz").await.status;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(status, 200, "readiness did not recover");
    app.get("/api/v1/locations").await.assert_status(200);
}

#[actix_web::test]
async fn metrics_count_requests_by_route_method_and_status() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/locations").await.assert_status(200);
    app.get("/api/v1/locations?limit=0")
        .await
        .assert_status(422);
    let metrics = app.get("/metrics").await;
    metrics.assert_status(200);
    assert!(metrics.header("content-type").starts_with("text/plain"));
    for line in [
        r#"merit_http_requests_total{endpoint="/api/v1/locations",method="GET",status="200"} 1"#,
        r#"merit_http_requests_total{endpoint="/api/v1/locations",method="GET",status="422"} 1"#,
        r#"merit_http_requests_duration_seconds_bucket{endpoint="/api/v1/locations",method="GET",status="200",le="0.005"}"#,
    ] {
        assert!(metrics.text.contains(line), "missing {line}");
    }
}

#[actix_web::test]
async fn the_docs_load_entirely_from_this_server() {
    let app = TestApp::spawn().await;
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), "/docs/");
    let page = app.get("/docs/").await;
    page.assert_status(200);
    assert!(page.text.contains("swagger-ui"));
    let initializer = app.get("/docs/swagger-initializer.js").await;
    initializer.assert_status(200);
    assert!(initializer.text.contains("/api/v1/openapi.json"));
    for text in [&page.text, &initializer.text] {
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "an external reference: {text}"
        );
    }
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui-standalone-preset.js",
    ] {
        app.get(&format!("/docs/{asset}")).await.assert_status(200);
    }
}

#[actix_web::test]
async fn the_served_document_is_openapi_3_1_and_equals_the_generated_one() {
    let app = TestApp::spawn().await;
    let served = app.get("/api/v1/openapi.json").await;
    served.assert_status(200);
    assert_eq!(served.body["openapi"], "3.1.0");
    let generated = serde_json::to_value(merit_api::openapi::document()).expect("serialises");
    assert_eq!(served.body, generated);
    let head = app
        .send(app.request(Method::POST, "/api/v1/openapi.json"))
        .await;
    assert_problem(&head, 405, "method_not_allowed");
}

#[actix_web::test]
async fn a_read_sees_one_snapshot_though_another_writer_commits_in_the_middle() {
    use diesel::prelude::*;
    use merit_persistence::{DbConnection, schema::departments};
    use secrecy::ExposeSecret;

    let app = TestApp::spawn().await;
    let url = app.state.settings.database_url.expose_secret().to_owned();
    let (before, after) = app
        .db
        .read(move |conn| {
            let count = |c: &mut DbConnection| {
                departments::table
                    .count()
                    .get_result::<i64>(c)
                    .map_err(merit_api::error::ApiError::internal)
            };
            let before = count(conn)?;
            let mut other = merit_persistence::db::establish(&url).unwrap();
            diesel::insert_into(departments::table)
                .values((departments::code.eq("ZZTEST"), departments::name.eq("Test")))
                .execute(&mut other)
                .unwrap();
            Ok((before, count(conn)?))
        })
        .await
        .unwrap();
    assert_eq!(before, after, "the insert committed meanwhile is not seen");
}
