//! The staff workspace: cases, services and placements, quick search, report indicators, and
//! who may do what (staff of the office, staff of another office, admin, employer, applicant,
//! anonymous) on every endpoint.

mod announcements;
mod appointments;
mod cases;
mod correspondence;
mod dashboard;
mod demo;
mod records;
mod reports;
mod resources;
mod roles;
mod surveys;

use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser};

/// Two staff members of LAO, one of SFO, and two job seekers.
pub struct World {
    pub app: TestApp,
    pub chen: TestUser,
    pub lee: TestUser,
    pub sfo: TestUser,
    pub ana: TestUser,
    pub ben: TestUser,
}

pub async fn world() -> World {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let chen = app.staff("Marcus", "Chen", "LAO").await;
    let lee = app.staff("Dana", "Lee", "LAO").await;
    let sfo = app.staff("Sam", "Ortiz", "SFO").await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    World {
        app,
        chen,
        lee,
        sfo,
        ana,
        ben,
    }
}

/// Opens an individual's case as `staff`; returns the answer.
pub async fn open_individual(app: &TestApp, staff: &TestUser, person: &str) -> TestResponse {
    app.post_as(
        &staff.token,
        "/api/v1/staff/cases",
        &json!({"kind": "individual", "person_id": person}),
    )
    .await
}

/// Opens an individual's case as `staff` and returns its id.
pub async fn case_for(app: &TestApp, staff: &TestUser, person: &str) -> String {
    let response = open_individual(app, staff, person).await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

/// Opens an employer's case as `staff`; returns the answer.
pub async fn open_employer(app: &TestApp, staff: &TestUser, employer: Value) -> TestResponse {
    app.post_as(
        &staff.token,
        "/api/v1/staff/cases",
        &json!({"kind": "employer", "employer": employer}),
    )
    .await
}

/// The ids of a page's items.
pub fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The audit events of `kind`, as the admin reads them.
pub async fn audit(app: &TestApp, kind: &str) -> Vec<Value> {
    let admin = app.admin().await;
    let response = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/audit-events?kind={kind}&limit=100"),
        )
        .await;
    response.assert_status(200);
    response.body["items"].as_array().unwrap().clone()
}
