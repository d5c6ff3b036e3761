//! Identity and access (issue 3) end to end, as a client would walk it: registration and
//! password rules, sign-in and lockout, rate limits, sessions, forged tokens, staff and employer
//! accounts, self-service recovery, employees and the roster, administration, reference data,
//! the first admin and the email outbox.

mod admin;
mod bootstrap;
mod current_password;
mod email_links;
mod employees;
mod forged_tokens;
mod outbox;
mod profile_merge;
mod rate_limits;
mod recovery;
mod reference_admin;
mod registration;
mod sessions;
mod sign_in;
mod staff;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser};

/// The audit events matching `query` (`kind=...&account_id=...`), newest first, as the admin
/// reads them.
pub async fn audit_events(app: &TestApp, admin: &TestUser, query: &str) -> Vec<Value> {
    let response = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/audit-events?limit=100&{query}"),
        )
        .await;
    response.assert_status(200);
    response.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The `kind` of each event, in the order given.
pub fn kinds(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `GET /me` with `token`.
pub async fn me(app: &TestApp, token: &str) -> TestResponse {
    app.get_as(token, "/api/v1/me").await
}

/// The role names of an account body.
pub fn roles(account: &Value) -> Vec<String> {
    account["roles"]
        .as_array()
        .map(|roles| {
            roles
                .iter()
                .map(|r| r.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The `(field, code)` pairs of a 422's `errors`.
pub fn field_errors(response: &TestResponse) -> Vec<(String, String)> {
    response.body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `PATCH /admin/accounts/{id}` as `admin`.
pub async fn patch_account(app: &TestApp, admin: &TestUser, id: &str, body: Value) -> TestResponse {
    app.send_json_as(
        &admin.token,
        Method::PATCH,
        &format!("/api/v1/admin/accounts/{id}"),
        &body,
    )
    .await
}

/// `PUT /me/password` with `token`.
pub async fn change_password(app: &TestApp, token: &str, current: &str, new: &str) -> TestResponse {
    app.send_json_as(
        token,
        Method::PUT,
        "/api/v1/me/password",
        &json!({"current_password": current, "new_password": new}),
    )
    .await
}

/// `POST /auth/refresh`.
pub async fn refresh(app: &TestApp, refresh_token: &str) -> TestResponse {
    app.post(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": refresh_token}),
    )
    .await
}

/// The body of a problem without its request id, to compare two answers byte for byte.
pub fn without_request_id(response: &TestResponse) -> String {
    let id = response.header("x-request-id").to_owned();
    assert!(!id.is_empty());
    response.text.replace(&id, "<request-id>")
}
