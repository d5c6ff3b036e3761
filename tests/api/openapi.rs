//! `openapi.yaml` is generated from the code; this fails when the committed file drifts. And the
//! document's promises hold: what it says an operation answers, it answers.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml")
}

#[test]
fn the_committed_openapi_yaml_matches_the_code() {
    let generated = merit_api::openapi::yaml();
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("openapi.yaml is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `UPDATE_OPENAPI=1 cargo nextest run openapi` (or `cargo run -- openapi > openapi.yaml`) and commit it"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_a_tag_and_problem_errors() {
    let document = serde_json::to_value(merit_api::openapi::document()).expect("serialises");
    let paths = document["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let at = format!("{method} {path}");
            assert!(operation["operationId"].is_string(), "{at}: no operationId");
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no summary"
            );
            assert!(
                operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{at}: no tag"
            );
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{at}: no {status}");
            }
            for (status, response) in responses
                .iter()
                .filter(|(s, _)| s.starts_with('4') || s.starts_with('5'))
            {
                // The one exception: the OAuth token endpoint answers its errors in the RFC 6749
                // §5.2 shape that OAuth client libraries read.
                if path == "/api/v1/auth/token" && (status == "400" || status == "401") {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/OAuthError",
                        "{at} {status}: not an OAuth error"
                    );
                    continue;
                }
                let reference = response["$ref"].as_str().unwrap_or_default();
                assert!(
                    reference.starts_with("#/components/responses/"),
                    "{at} {status}: not a problem response"
                );
            }
        }
    }
    let problem: &Value = &document["components"]["responses"]["BadRequest"]["content"]["application/problem+json"]
        ["schema"];
    assert_eq!(problem["$ref"], "#/components/schemas/Problem");
}

#[actix_web::test]
async fn every_operation_that_takes_a_token_refuses_a_temporary_password_session_with_403() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let (_, username, temporary) = app
        .create_prefixed(
            "employer",
            json!({"first_name": "Tess", "last_name": "Porary", "department_code": "DMV"}),
        )
        .await;
    let session = app.signed_in(&username, &temporary).await;
    let document = serde_json::to_value(merit_api::openapi::document()).expect("serialises");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            let operation_id = operation["operationId"].as_str().unwrap_or_default();
            if !secured || ["change_password", "log_out"].contains(&operation_id) {
                continue;
            }
            assert!(
                operation["responses"]["403"].is_object(),
                "{method} {path} does not declare 403"
            );
            let concrete = path
                .split('/')
                .map(|s| if s.starts_with('{') { "x" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut request = app
                .request(method.clone(), &concrete)
                .bearer_auth(&session.token);
            if [Method::POST, Method::PUT, Method::PATCH].contains(&method) {
                request = request.json(&json!({}));
            }
            let response = app.send(request).await;
            if response.status != 403 || response.body["code"] != "password_change_required" {
                wrong.push(format!("{method} {path}: {}", response.text));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(checked > 30, "only {checked} operations checked");
}

#[test]
fn the_route_table_knows_which_operations_take_a_token() {
    use actix_web::http::Method;
    let table = merit_api::openapi::RouteTable::from_document(&merit_api::openapi::document());
    for (method, path, expected) in [
        (Method::GET, "/api/v1/locations", false),
        (Method::POST, "/api/v1/auth/login", false),
        (Method::GET, "/healthz", false),
        (Method::GET, "/docs/index.html", false),
        (Method::GET, "/api/v1/no-such-thing", false),
        (Method::GET, "/api/v1/postings", true),
        (Method::GET, "/api/v1/postings/0192-abc", true),
        (Method::PUT, "/api/v1/me/profile", true),
        (Method::POST, "/api/v1/departments", true),
        (Method::GET, "/api/v1/departments", false),
    ] {
        assert_eq!(
            table.takes_token(&method, path),
            expected,
            "{method} {path}"
        );
    }
}
