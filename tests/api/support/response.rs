//! A read answer and assertions over problem responses.

use reqwest::header::HeaderMap;
use serde_json::Value;

/// A whole answer: status, headers and body (parsed as JSON when it is JSON).
#[derive(Debug)]
pub struct TestResponse {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as JSON, or `Null` when it is not JSON.
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl TestResponse {
    /// Reads an answer.
    pub async fn read(response: reqwest::Response) -> TestResponse {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
        }
    }

    /// A header's value as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Fails unless the status is `expected`, showing the body.
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status, expected,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
}

/// Checks that `response` is an RFC 9457 problem with `status` and `code`, carrying the request
/// id of its `X-Request-Id` header.
#[track_caller]
pub fn assert_problem(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(
        response.status, status,
        "unexpected status; body: {}",
        response.text
    );
    assert_eq!(response.header("content-type"), "application/problem+json");
    let body = &response.body;
    assert_eq!(
        body["code"], code,
        "unexpected code; body: {}",
        response.text
    );
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:merit:problem:{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    let request_id = response.header("x-request-id");
    assert!(!request_id.is_empty(), "no X-Request-Id header");
    assert_eq!(body["request_id"], request_id);
}
