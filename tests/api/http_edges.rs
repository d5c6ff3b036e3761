//! The edges of HTTP: `HEAD` wherever `GET` is, made-up methods kept out of the metrics'
//! labels, and malformed headers answered with problems.

use reqwest::Method;
use serde_json::json;

use crate::support::{TestApp, assert_problem};

#[actix_web::test]
async fn head_answers_like_get_without_a_body_and_is_in_allow() {
    let app = TestApp::spawn().await;
    let user = app.applicant("jane@example.org").await;
    for (path, token) in [
        ("/api/v1/locations", None),
        ("/healthz", None),
        ("/api/v1/me/profile", Some(&user.token)),
        ("/api/v1/me/exam-results?limit=5", Some(&user.token)),
    ] {
        let with_token = |method: Method| {
            let request = app.request(method, path);
            match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            }
        };
        let get = app.send(with_token(Method::GET)).await;
        let head = app.send(with_token(Method::HEAD)).await;
        head.assert_status(get.status);
        assert_eq!(head.text, "", "{path}");
        for name in ["content-type", "content-length", "etag", "cache-control"] {
            assert_eq!(head.header(name), get.header(name), "{name} of {path}");
        }
    }
    let anonymous = app
        .send(app.request(Method::HEAD, "/api/v1/me/profile"))
        .await;
    anonymous.assert_status(401);
    assert_eq!(anonymous.text, "");
    let not_get = app
        .send(app.request(Method::HEAD, "/api/v1/auth/login"))
        .await;
    not_get.assert_status(405);
    assert_eq!(not_get.header("allow"), "POST");
    let unknown = app.send(app.request(Method::HEAD, "/api/v1/nothing")).await;
    unknown.assert_status(404);
}

#[actix_web::test]
async fn a_made_up_method_is_counted_as_other_and_adds_no_label() {
    let app = TestApp::spawn().await;
    let foo = Method::from_bytes(b"FOO").unwrap();
    let refused = app
        .send(app.request(foo.clone(), "/api/v1/locations"))
        .await;
    assert_problem(&refused, 405, "method_not_allowed");
    assert_eq!(refused.header("allow"), "GET, HEAD, POST");
    assert_problem(
        &app.send(app.request(foo, "/api/v1/nothing")).await,
        404,
        "not_found",
    );
    let metrics = app.get("/metrics").await.text;
    assert!(!metrics.contains("FOO"), "{metrics}");
    assert!(metrics.contains(
        r#"merit_http_requests_total{endpoint="/api/v1/locations",method="other",status="405"} 1"#
    ));
}

#[actix_web::test]
async fn malformed_headers_are_answered_with_problems() {
    let app = TestApp::spawn().await;
    let user = app.applicant("jane@example.org").await;
    let body = json!({"first_name": "Jane", "last_name": "Doe", "email": "jane@example.org"});
    for if_match in ["garbage", "\"unterminated", "W/7", "\"1\" trailing"] {
        let response = app
            .send(
                app.request(Method::PUT, "/api/v1/me/profile")
                    .bearer_auth(&user.token)
                    .header("if-match", if_match)
                    .json(&body),
            )
            .await;
        assert_problem(&response, 400, "malformed_header");
    }
    let weak = app
        .send(
            app.request(Method::PUT, "/api/v1/me/profile")
                .bearer_auth(&user.token)
                .header("if-match", "W/\"1\"")
                .json(&body),
        )
        .await;
    assert_problem(&weak, 412, "precondition_failed");
    for authorization in [
        "garbage",
        "Bearer",
        "Basic YWRtaW46YWRtaW4=",
        "Bearer a.b.c",
    ] {
        let response = app
            .send(
                app.request(Method::GET, "/api/v1/me")
                    .header("authorization", authorization),
            )
            .await;
        assert_problem(&response, 401, "unauthenticated");
    }
    for content_type in [";;;garbage", "application/json; charset=\"x", "text/plain"] {
        let response = app
            .send(
                app.request(Method::POST, "/api/v1/auth/login")
                    .header("content-type", content_type)
                    .body(r#"{"login": "a", "password": "b"}"#),
            )
            .await;
        assert_problem(&response, 415, "unsupported_media_type");
    }
}
