//! Every failure is an RFC 9457 problem with the right status, code and request id.

use reqwest::Method;
use serde_json::json;

use crate::support::{TestApp, TestResponse, assert_problem};

#[actix_web::test]
async fn an_unknown_route_is_a_not_found_problem() {
    let app = TestApp::spawn().await;
    assert_problem(&app.get("/api/v1/no-such-thing").await, 404, "not_found");
}

#[actix_web::test]
async fn an_undeclared_method_on_a_known_path_is_405_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/locations", "GET, HEAD, POST"),
        (Method::POST, "/healthz", "GET, HEAD"),
        (Method::PUT, "/docs/", "GET, HEAD"),
        (Method::GET, "/api/v1/auth/login", "POST"),
    ] {
        let response = app.send(app.request(method, path)).await;
        assert_problem(&response, 405, "method_not_allowed");
        assert_eq!(response.header("allow"), allow, "{path}");
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
        .write(|conn| {
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

/// Sends `body` as the raw body of `POST /auth/login` with `content_type`.
async fn login_with(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> TestResponse {
    app.send(
        app.request(Method::POST, "/api/v1/auth/login")
            .header("content-type", content_type)
            .body(body),
    )
    .await
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_400_malformed_json() {
    let app = TestApp::spawn().await;
    for body in [
        "{\"login\": ",
        "not json",
        "",
        "{\"login\": \"a\", \"password\": \"b\"} trailing",
    ] {
        let response = login_with(&app, "application/json", body).await;
        assert_problem(&response, 400, "malformed_json");
    }
}

#[actix_web::test]
async fn a_body_of_another_content_type_is_415() {
    let app = TestApp::spawn().await;
    let body = r#"{"login": "admin", "password": "x"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "text/xml",
    ] {
        let response = login_with(&app, content_type, body).await;
        assert_problem(&response, 415, "unsupported_media_type");
    }
    let none = app
        .send(app.request(Method::POST, "/api/v1/auth/login").body(body))
        .await;
    assert_problem(&none, 415, "unsupported_media_type");
    let suffixed = login_with(&app, "application/merit+json; charset=utf-8", body).await;
    assert_problem(&suffixed, 401, "invalid_credentials");
}

#[actix_web::test]
async fn a_body_over_64_kib_is_413_payload_too_large() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat(64 * 1024);
    let body = format!(r#"{{"login": "admin", "password": "{padding}"}}"#);
    let response = login_with(&app, "application/json", body).await;
    assert_problem(&response, 413, "payload_too_large");
    let admin = app.admin().await;
    let huge = format!(r#"{{"code": "BIG", "name": "{padding}"}}"#);
    let response = app
        .send(
            app.request(Method::POST, "/api/v1/departments")
                .bearer_auth(&admin.token)
                .header("content-type", "application/json")
                .body(huge),
        )
        .await;
    assert_problem(&response, 413, "payload_too_large");
}

#[actix_web::test]
async fn an_unknown_field_or_a_wrong_type_is_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"login": "admin", "password": "x", "role": "admin"}),
            "role",
            "invalid",
        ),
        (json!({"login": 42, "password": "x"}), "login", "invalid"),
        (json!({"login": "admin"}), "password", "required"),
        (json!("admin"), "body", "invalid"),
    ];
    for (body, field, code) in cases {
        let response = app.post("/api/v1/auth/login", &body).await;
        assert_problem(&response, 422, "validation_failed");
        assert_eq!(response.body["errors"][0]["field"], field, "{body}");
        assert_eq!(response.body["errors"][0]["code"], code, "{body}");
    }
    let admin = app.admin().await;
    let nested = app
        .send_json_as(
            &admin.token,
            Method::PUT,
            "/api/v1/admin/employee-roster",
            &json!({"employees": [{"employee_id": "1234", "first_name": "A", "last_name": "B",
                "department_code": "DMV", "business_email": "a@b.gov", "status": "retired"}]}),
        )
        .await;
    assert_problem(&nested, 422, "validation_failed");
    assert_eq!(nested.body["errors"][0]["field"], "employees[0].status");
}

#[actix_web::test]
async fn a_json_array_in_place_of_an_object_is_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/auth/login",
            &serde_json::json!(["admin", "Sequoia.Gate-2026"]),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["field"], "body");
}

#[actix_web::test]
async fn a_path_naming_a_control_character_is_404_on_every_backend() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for path in [
        "/api/v1/postings/%00",
        "/api/v1/postings/abc%00def/eligibility",
        "/api/v1/exams/%0A",
        "/api/v1/admin/accounts/%1f",
        "/api/v1/classifications/%7F/eligible-list",
        "/api/v1/me/templates/%00",
    ] {
        let response = app.get_as(&admin.token, path).await;
        assert_problem(&response, 404, "not_found");
    }
}

#[actix_web::test]
async fn a_cursor_holding_a_control_character_is_a_bad_request() {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let app = TestApp::spawn().await;
    for key in ["\0", "alameda\0", "\u{7}"] {
        let cursor = URL_SAFE_NO_PAD.encode(format!("locations\n{key}"));
        let response = app.get(&format!("/api/v1/locations?cursor={cursor}")).await;
        assert_problem(&response, 400, "invalid_cursor");
    }
}
