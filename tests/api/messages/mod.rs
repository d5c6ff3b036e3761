//! The inbox: every notice is a message written with its cause (application notices, account
//! notices), paged, read, archived and counted, and nobody else's; notification preferences
//! and their effect on the outbox; failed mail listed for admins and queued again.

mod failed_mail;
mod inbox;
mod preferences;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser};

/// `GET /me/messages` with `query` (e.g. `?read=false`); asserts 200.
pub async fn messages(app: &TestApp, user: &TestUser, query: &str) -> Vec<Value> {
    let response = app
        .get_as(&user.token, &format!("/api/v1/me/messages{query}"))
        .await;
    response.assert_status(200);
    response.body["items"].as_array().unwrap().clone()
}

/// The unread count.
pub async fn unread(app: &TestApp, user: &TestUser) -> i64 {
    let response = app
        .get_as(&user.token, "/api/v1/me/messages/unread-count")
        .await;
    response.assert_status(200);
    response.body["unread"].as_i64().unwrap()
}

/// `PATCH /me/messages/{id}` with a merge patch.
pub async fn patch(app: &TestApp, user: &TestUser, id: &str, body: &Value) -> TestResponse {
    app.send(
        app.request(Method::PATCH, &format!("/api/v1/me/messages/{id}"))
            .bearer_auth(&user.token)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string()),
    )
    .await
}

/// Emails about applications delivered to `address`.
pub async fn application_mail(app: &TestApp, address: &str) -> usize {
    app.mail_to(address)
        .await
        .iter()
        .filter(|m| m.subject.starts_with("Your application"))
        .count()
}

/// `PUT /me/notification-preferences`.
pub async fn set_preferences(app: &TestApp, user: &TestUser, email: Value) -> TestResponse {
    app.send_json_as(
        &user.token,
        Method::PUT,
        "/api/v1/me/notification-preferences",
        &json!({ "email": email }),
    )
    .await
}
