//! Webhooks: every event type from its cause, signed and verified with an independent
//! implementation (the `standardwebhooks` crate), retries against a receiver that fails then
//! recovers, 410, secret rotation with two signatures, who receives what, the address rules,
//! admin-only management, and two instances on one database delivering each event once.

mod delivery;
mod endpoints;
mod events;
mod own;

use std::{
    collections::VecDeque,
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use merit_persistence::schema::api_clients;
use serde_json::{Value, json};
use standardwebhooks::Webhook;

use crate::support::{TestApp, TestUser};

/// What a receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// The headers, as the `http` crate's map (what `standardwebhooks` reads).
    pub headers: http::HeaderMap,
    /// The exact body.
    pub body: String,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// The event type.
    pub fn event_type(&self) -> String {
        self.json()["type"].as_str().unwrap_or_default().to_owned()
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    /// Statuses to answer, in order; 200 once they run out.
    script: Mutex<VecDeque<u16>>,
}

/// A webhook receiver on 127.0.0.1 that records every request and answers scripted statuses.
pub struct Receiver {
    /// Its address, `http://127.0.0.1:PORT/hook`.
    pub url: String,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let mut headers = http::HeaderMap::new();
    for (name, value) in request.headers() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_str().as_bytes()),
            http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    shared.received.lock().unwrap().push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let status = shared.script.lock().unwrap().pop_front().unwrap_or(200);
    let mut answer = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
    if (300..400).contains(&status) {
        answer.insert_header(("location", "http://127.0.0.1:9/elsewhere"));
    }
    answer.body(format!("answered {status}"))
}

impl Receiver {
    /// Starts a receiver that answers `script` in order, then 200.
    pub fn start(script: &[u16]) -> Receiver {
        let shared = Arc::new(Shared::default());
        shared.script.lock().unwrap().extend(script.iter().copied());
        let data = web::Data::from(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            shared,
            handle,
        }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits (up to 20 s, waking `apps`' workers) until `count` requests have arrived.
    pub async fn wait_for(&self, apps: &[&TestApp], count: usize) -> Vec<Received> {
        for _ in 0..400 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            for app in apps {
                app.state.wake_webhooks();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver got {} requests, expected {count}",
            self.received().len()
        );
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// An app that lets webhooks reach 127.0.0.1 over http, with reference data, its clock at the
/// real time (receivers check `webhook-timestamp` against their own clock).
pub async fn app() -> TestApp {
    let app = TestApp::spawn_with(|f| {
        f.merge(figment::providers::Serialized::default(
            "webhooks_allow_private",
            true,
        ))
    })
    .await;
    app.clock.set(Utc::now());
    app.with_reference_data().await;
    app
}

/// A posting body whose final filing date is 60 days after the app's clock.
pub fn filing_open(app: &TestApp) -> Value {
    use merit_api::clock::Clock;
    let date = (app.clock.now() + TimeDelta::days(60)).date_naive();
    json!({"final_filing_date": date.to_string()})
}

/// Makes an API client directly in the database (managing clients is another branch's API):
/// `department` `None` for state-wide, `permissions` space-separated; returns its id.
pub async fn api_client(
    app: &TestApp,
    admin: &TestUser,
    service_account: &TestUser,
    department: Option<&str>,
    permissions: &str,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let (row_id, admin_id, account_id) = (id.clone(), admin.id.clone(), service_account.id.clone());
    let department = department.map(str::to_owned);
    let permissions = permissions.to_owned();
    app.db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            diesel::insert_into(api_clients::table)
                .values((
                    api_clients::id.eq(&row_id),
                    api_clients::name.eq("HR system"),
                    api_clients::department_code.eq(&department),
                    api_clients::permissions.eq(&permissions),
                    api_clients::account_id.eq(&account_id),
                    api_clients::created_at.eq(now),
                    api_clients::created_by.eq(&admin_id),
                    api_clients::updated_at.eq(now),
                ))
                .execute(conn)
                .map_err(|e| merit_api::error::ApiError::internal(anyhow::anyhow!(e)))?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// `POST /admin/api-clients/{client}/webhook-endpoints`; returns (endpoint id, secret).
pub async fn endpoint(
    app: &TestApp,
    admin: &TestUser,
    client: &str,
    url: &str,
    types: &[&str],
) -> (String, String) {
    let response = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/api-clients/{client}/webhook-endpoints"),
            &json!({"url": url, "event_types": types, "description": "HR system"}),
        )
        .await;
    response.assert_status(201);
    (
        response.body["endpoint"]["id"].as_str().unwrap().to_owned(),
        response.body["secret"].as_str().unwrap().to_owned(),
    )
}

/// Every event type.
pub const ALL_TYPES: [&str; 5] = [
    "posting.published",
    "posting.closed",
    "application.submitted",
    "application.status_changed",
    "application.withdrawn",
];

/// Verifies a delivery with the independent implementation, timestamp tolerance included.
pub fn verify(secret: &str, received: &Received) {
    Webhook::new(secret)
        .unwrap()
        .verify(received.body.as_bytes(), &received.headers)
        .unwrap_or_else(|e| panic!("the signature does not verify: {e} ({received:?})"));
}

/// Whether one of a delivery's signatures is the independent implementation's signature with
/// `secret` (for deliveries whose timestamp the test's moved clock put outside the tolerance).
pub fn signed_with(secret: &str, received: &Received) -> bool {
    let timestamp: i64 = received.header("webhook-timestamp").parse().unwrap();
    let expected = Webhook::new(secret)
        .unwrap()
        .sign(
            received.header("webhook-id"),
            timestamp,
            received.body.as_bytes(),
        )
        .unwrap();
    received
        .header("webhook-signature")
        .split(' ')
        .any(|s| s == expected)
}

/// Moves the app's clock and lets its worker look at once.
pub async fn advance(app: &TestApp, by: TimeDelta) {
    app.clock.advance(by);
    app.state.wake_webhooks();
}

/// Waits (up to 20 s) until the app has recorded `count` attempts in the delivery log: a
/// receiver sees a request before the worker records its outcome, and moving the clock in
/// between would date the next attempt from the moved clock.
pub async fn wait_recorded(app: &TestApp, count: i64) {
    use merit_persistence::schema::webhook_attempts;
    for _ in 0..400 {
        let recorded = app
            .db
            .read(|conn| {
                webhook_attempts::table
                    .count()
                    .get_result::<i64>(conn)
                    .map_err(|e| merit_api::error::ApiError::internal(anyhow::anyhow!(e)))
            })
            .await
            .unwrap();
        if recorded >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("fewer than {count} attempts were recorded");
}
