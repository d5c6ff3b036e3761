//! Every failure is an RFC 9457 problem with the right status, code and request id.

use reqwest::Method;

use crate::support::{TestApp, assert_problem};

#[actix_web::test]
async fn an_unknown_route_is_a_not_found_problem() {
    let app = TestApp::spawn().await;
    assert_problem(&app.get("/api/v1/no-such-thing").await, 404, "not_found");
}

#[actix_web::test]
async fn an_undeclared_method_on_a_known_path_is_405_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::DELETE, "/api/v1/locations"),
        (Method::POST, "/healthz"),
        (Method::PUT, "/docs/"),
    ] {
        let response = app.send(app.request(method, path)).await;
        assert_problem(&response, 405, "method_not_allowed");
        assert_eq!(response.header("allow"), "GET", "{path}");
    }
}

#[actix_web::test]
async fn the_clients_request_id_is_echoed_and_a_hostile_one_replaced() {
    let app = TestApp::spawn().await;
    let echoed = app
        .send(
            app.request(Method::GET, "/healthz")
                .header("x-request-id", "abc-123.X:y_z"),
        )
        .await;
    assert_eq!(echoed.header("x-request-id"), "abc-123.X:y_z");
    let replaced = app
        .send(
            app.request(Method::GET, "/healthz")
                .header("x-request-id", "bad id\twith spaces"),
        )
        .await;
    assert_ne!(replaced.header("x-request-id"), "bad id\twith spaces");
    assert_eq!(replaced.header("x-request-id").len(), 36, "a new UUID");
    let too_long = "a".repeat(129);
    let replaced = app
        .send(
            app.request(Method::GET, "/healthz")
                .header("x-request-id", &too_long),
        )
        .await;
    assert_ne!(replaced.header("x-request-id"), too_long);
}

#[actix_web::test]
async fn every_answer_carries_a_request_id_and_safe_headers() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/locations").await;
    assert!(!response.header("x-request-id").is_empty());
    assert_eq!(response.header("x-content-type-options"), "nosniff");
    assert_eq!(response.header("cache-control"), "no-store");
}

#[actix_web::test]
async fn an_internal_error_says_nothing_internal() {
    let app = TestApp::spawn().await;
    app.db
        .run(|conn| {
            use diesel::RunQueryDsl;
            let corrupt = diesel::sql_query(
                "INSERT INTO departments (code, name) VALUES ('not a code!', 'Broken')",
            );
            corrupt
                .execute(conn)
                .map(|_| ())
                .map_err(merit_api::error::ApiError::internal)
        })
        .await
        .expect("the corrupt row is stored");
    let response = app.get("/api/v1/departments").await;
    assert_problem(&response, 500, "internal_error");
    for secret in ["departments", "not a code", "invalid row", "diesel", "SQL"] {
        assert!(
            !response.text.contains(secret),
            "the body leaks {secret:?}: {}",
            response.text
        );
    }
}
