//! The configurable security headers (Content-Security-Policy for the API and the docs UI,
//! Strict-Transport-Security) and the metrics token.

use figment::providers::Serialized;
use merit_api::{clock::SystemClock, db::Db, startup};
use std::sync::Arc;

use crate::support::{TestApp, TestDatabase, assert_problem, test_figment};

const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
const METRICS_TOKEN: &str = "scrape-me-with-this-token-0123456789";

#[actix_web::test]
async fn by_default_api_answers_forbid_everything_the_docs_load_from_here_and_hsts_is_off() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/locations", "/api/v1/no-such-thing", "/healthz"] {
        let response = app.get(path).await;
        assert_eq!(
            response.header("content-security-policy"),
            API_POLICY,
            "{path}"
        );
        assert_eq!(response.header("strict-transport-security"), "", "{path}");
        assert_eq!(response.header("x-frame-options"), "DENY", "{path}");
    }
    let docs = app.get("/docs/").await;
    docs.assert_status(200);
    let policy = docs.header("content-security-policy");
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        !policy.contains("script-src"),
        "no inline scripts allowed: {policy}"
    );
}

#[actix_web::test]
async fn the_policies_and_hsts_follow_the_settings() {
    let app = TestApp::spawn_with(|figment| {
        figment
            .merge(Serialized::default(
                "content_security_policy",
                "default-src 'none'; sandbox",
            ))
            .merge(Serialized::default("docs_content_security_policy", ""))
            .merge(Serialized::default("hsts_max_age_seconds", 31_536_000))
    })
    .await;
    let api = app.get("/api/v1/locations").await;
    assert_eq!(
        api.header("content-security-policy"),
        "default-src 'none'; sandbox"
    );
    assert_eq!(api.header("strict-transport-security"), "max-age=31536000");
    let docs = app.get("/docs/").await;
    assert_eq!(docs.header("content-security-policy"), "");
    assert_eq!(docs.header("strict-transport-security"), "max-age=31536000");
}

#[actix_web::test]
async fn a_policy_that_is_no_header_value_or_a_short_metrics_token_stops_merit_at_start() {
    let database = TestDatabase::create();
    let data_dir = tempfile::tempdir().expect("a data dir");
    for (key, value) in [
        ("content_security_policy", "default-src\n'none'"),
        ("metrics_token", "short"),
    ] {
        let settings = test_figment(database.url(), data_dir.path())
            .merge(Serialized::default(key, value))
            .extract()
            .expect("the settings read");
        let db = Db::new(startup::open_pool(&settings).expect("a pool"));
        let refused = startup::app_state(settings, Arc::new(SystemClock), db);
        assert!(refused.is_err(), "{key} = {value:?} was accepted");
    }
}

#[actix_web::test]
async fn with_a_metrics_token_metrics_answer_only_requests_that_carry_it() {
    let app = TestApp::spawn_with(|figment| {
        figment.merge(Serialized::default("metrics_token", METRICS_TOKEN))
    })
    .await;
    let anonymous = app.get("/metrics").await;
    assert_problem(&anonymous, 401, "unauthenticated");
    assert_eq!(anonymous.header("www-authenticate"), "Bearer");
    assert!(!anonymous.text.contains("merit_"), "{}", anonymous.text);
    let admin = app.admin().await;
    for wrong in [admin.token.as_str(), "scrape-me-with-this-token-012345678"] {
        assert_problem(&app.get_as(wrong, "/metrics").await, 401, "unauthenticated");
    }
    let basic = app
        .send(
            app.request(reqwest::Method::GET, "/metrics")
                .basic_auth("metrics", Some(METRICS_TOKEN)),
        )
        .await;
    assert_problem(&basic, 401, "unauthenticated");

    let scraped = app.get_as(METRICS_TOKEN, "/metrics").await;
    scraped.assert_status(200);
    assert!(scraped.text.contains("merit_search_index_loaded 1"));
    app.get("/healthz").await.assert_status(200);
    app.get("/readyz").await.assert_status(200);
}

#[actix_web::test]
async fn without_a_metrics_token_metrics_are_open() {
    let app = TestApp::spawn().await;
    app.get("/metrics").await.assert_status(200);
}
