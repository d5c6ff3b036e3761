//! The demo case manager's case load.

use super::ids;
use crate::support::TestApp;

#[actix_web::test]
async fn the_demo_case_manager_has_a_case_load_with_services_and_placements_loaded_once() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    for _ in 0..2 {
        merit_api::demo::load_applicants(&app.db, &app.state.documents)
            .await
            .expect("the demo people load");
    }
    let chen = app
        .signed_in("LAOMCHEN", merit_api::demo::DEMO_PASSWORD)
        .await;
    let cases = app
        .get_as(&chen.token, "/api/v1/staff/cases?limit=100")
        .await;
    cases.assert_status(200);
    let items = cases.body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        16,
        "3 demo applicants, 9 office job seekers, 4 employers"
    );
    let count = |field: &str, value: &str| items.iter().filter(|c| c[field] == value).count();
    assert_eq!(count("kind", "employer"), 4);
    assert_eq!(count("status", "closed"), 2);
    assert_eq!(count("status", "inactive"), 2);
    let employers = app
        .get_as(
            &chen.token,
            "/api/v1/staff/quick-search/employers?q=harborview",
        )
        .await;
    assert_eq!(ids(&employers.body).len(), 1);
    let people = app
        .get_as(
            &chen.token,
            "/api/v1/staff/quick-search/individuals?q=santos",
        )
        .await;
    assert_eq!(ids(&people.body).len(), 1);
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(365);
    let report = app
        .get_as(
            &chen.token,
            &format!("/api/v1/staff/report-indicators?from={from}&to={today}"),
        )
        .await;
    report.assert_status(200);
    assert_eq!(report.body["totals"]["placements"], 4);
    assert_eq!(report.body["totals"]["cases_opened"], 16);
    assert_eq!(report.body["totals"]["cases_closed"], 2);
    let services: i64 = report.body["totals"]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_i64().unwrap())
        .sum();
    assert!(services >= 40, "{services} services");
}
