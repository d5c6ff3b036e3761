//! The demo case manager's case load and dashboard.

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

    // His dashboard is full: the demo was made at the real time, so read it then.
    app.clock.set(chrono::Utc::now());
    let chen = app
        .signed_in("LAOMCHEN", merit_api::demo::DEMO_PASSWORD)
        .await;
    let dashboard = app.get_as(&chen.token, "/api/v1/staff/dashboard").await;
    dashboard.assert_status(200);
    let widget = |kind: &str| {
        dashboard.body["widgets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["kind"] == kind)
            .cloned()
            .unwrap()
    };
    // Four appointments ahead (loaded once: the second load added none), three past.
    assert_eq!(widget("my_calendar")["calendar"]["upcoming"], 4);
    let calendar = app
        .get_as(&chen.token, "/api/v1/staff/appointments?limit=100")
        .await;
    assert_eq!(calendar.body["items"].as_array().unwrap().len(), 7);
    // Three live announcements (one of them for his office only); the expired one is not shown.
    assert_eq!(widget("latest_announcements")["announcements"]["unread"], 3);
    // Three letters from the office's template, each in its person's inbox.
    assert_eq!(
        widget("my_correspondence")["correspondence"]["created_this_month"],
        3
    );
    // Resources and labour-market links for every office and for his, an open survey for his
    // office that he has not answered.
    assert_eq!(widget("need_help")["resources"]["count"], 3);
    assert_eq!(
        widget("need_help")["resources"]["latest"][0]["kind"],
        "form"
    );
    assert_eq!(
        widget("labor_market_services")["labor_market_links"]["count"],
        2
    );
    assert_eq!(widget("surveys")["surveys"]["open"], 1);
    assert_eq!(widget("surveys")["surveys"]["unanswered"], 1);
    assert_eq!(
        widget("surveys")["surveys"]["latest"]["questions"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let santos = app
        .signed_in("maria.santos@example.org", merit_api::demo::DEMO_PASSWORD)
        .await;
    let inbox = app
        .get_as(&santos.token, "/api/v1/me/messages?kind=correspondence")
        .await;
    inbox.assert_status(200);
    assert_eq!(inbox.body["items"].as_array().unwrap().len(), 1);
}
