//! Integrators: machine clients (OAuth 2.0 client credentials), their permissions, audit and
//! rate limit.

mod clients;
mod posting_sync;
mod sync;

use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser};

/// A machine client as created: its id, secret and service account.
#[derive(Debug, Clone)]
pub struct TestClient {
    /// The `client_id`.
    pub id: String,
    /// The secret shown at creation.
    pub secret: String,
    /// The service account it acts as.
    pub account_id: String,
}

/// Creates a client of `department` (`None`: state-wide) with `permissions`, as `admin`.
pub async fn create_client(
    app: &TestApp,
    admin: &TestUser,
    department: Option<&str>,
    permissions: &[&str],
) -> TestClient {
    let response = app
        .post_as(
            &admin.token,
            "/api/v1/admin/api-clients",
            &json!({"name": "Acme ATS", "department_code": department, "permissions": permissions}),
        )
        .await;
    response.assert_status(201);
    TestClient {
        id: response.body["client_id"].as_str().unwrap().to_owned(),
        secret: response.body["client_secret"].as_str().unwrap().to_owned(),
        account_id: response.body["client"]["account_id"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

/// `POST /auth/token` with HTTP Basic credentials and a form body of `params`.
pub async fn token_request(
    app: &TestApp,
    id: &str,
    secret: &str,
    params: &[(&str, &str)],
) -> TestResponse {
    let body = serde_urlencoded::to_string(params).unwrap();
    app.send(
        app.request(Method::POST, "/api/v1/auth/token")
            .basic_auth(id, Some(secret))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body),
    )
    .await
}

/// An access token of `client` for `scope` (all its permissions when `None`).
pub async fn client_token(app: &TestApp, client: &TestClient, scope: Option<&str>) -> String {
    let mut params = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        params.push(("scope", scope));
    }
    let response = token_request(app, &client.id, &client.secret, &params).await;
    response.assert_status(200);
    response.body["access_token"].as_str().unwrap().to_owned()
}

/// Checks an OAuth error answer (RFC 6749 §5.2).
#[track_caller]
pub fn assert_oauth_error(response: &TestResponse, status: u16, error: &str) {
    assert_eq!(response.status, status, "body: {}", response.text);
    assert_eq!(response.header("content-type"), "application/json");
    assert_eq!(response.body["error"], error, "body: {}", response.text);
    assert!(
        response.body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
}

/// The audit events of `kind`.
pub async fn events(app: &TestApp, admin: &TestUser, kind: &str) -> Vec<Value> {
    let response = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/audit-events?limit=100&kind={kind}"),
        )
        .await;
    response.assert_status(200);
    response.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}
