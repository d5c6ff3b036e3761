//! Job alerts: CRUD and ownership, instant alerts (once per alert and posting, with why),
//! the visibility rule, daily and weekly digests with a fixed clock, two instances on one
//! database without duplicates, and RFC 8058 one-click unsubscribe.

mod channels;
mod crud;
mod delivery;
mod unsubscribe;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser};

/// `POST /me/alerts`.
pub async fn create(app: &TestApp, user: &TestUser, body: Value) -> TestResponse {
    app.post_as(&user.token, "/api/v1/me/alerts", &body).await
}

/// Creates an alert with `criteria`; returns its id.
pub async fn alert(
    app: &TestApp,
    user: &TestUser,
    criteria: Value,
    channel: &str,
    frequency: &str,
) -> String {
    let response = create(
        app,
        user,
        json!({"criteria": criteria, "channel": channel, "frequency": frequency}),
    )
    .await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

/// `PUT /me/alerts/{id}`.
pub async fn replace(app: &TestApp, user: &TestUser, id: &str, body: Value) -> TestResponse {
    app.send_json_as(
        &user.token,
        Method::PUT,
        &format!("/api/v1/me/alerts/{id}"),
        &body,
    )
    .await
}

/// Runs the alert worker on `app` (matching, then due digests) until no opened posting waits:
/// the app's own background worker may hold one in a transaction not yet committed.
pub async fn run_worker(app: &TestApp) {
    use merit_api::alerts::worker;
    for _ in 0..500 {
        worker::run_once(&app.state)
            .await
            .expect("the alert pass runs");
        if worker::queued(&app.state)
            .await
            .expect("the queue is readable")
            == 0
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("opened postings still wait to be matched");
}

/// The caller's job-alert messages, newest first.
pub async fn alert_messages(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let response = app
        .get_as(&user.token, "/api/v1/me/messages?kind=job_alert&limit=100")
        .await;
    response.assert_status(200);
    response.body["items"].as_array().unwrap().clone()
}
