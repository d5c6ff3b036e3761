//! Services and placements recorded on cases.

use serde_json::json;

use super::{audit, case_for, ids, open_employer, world};
use crate::support::assert_problem;

fn today() -> String {
    crate::support::start_of_tests().date_naive().to_string()
}

#[actix_web::test]
async fn services_are_recorded_with_their_day_and_staff_member_and_listed_newest_first() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{case}/activities");
    let first = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"code": "orientation", "provided_on": today()}),
        )
        .await;
    first.assert_status(201);
    assert_eq!(first.body["code"], "orientation");
    assert_eq!(first.body["staff_id"], w.chen.id.as_str());
    assert_eq!(first.body["recorded_by"], w.chen.id.as_str());
    let second = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"code": "resume_assistance", "provided_on": today(), "staff_id": w.lee.id, "note": "Reworked the summary."}),
        )
        .await;
    second.assert_status(201);
    assert_eq!(second.body["staff_id"], w.lee.id.as_str());
    assert_eq!(second.body["note"], "Reworked the summary.");
    let list = app.get_as(&w.lee.token, &path).await;
    list.assert_status(200);
    assert_eq!(
        ids(&list.body),
        vec![
            second.body["id"].as_str().unwrap().to_owned(),
            first.body["id"].as_str().unwrap().to_owned()
        ]
    );
    let page = app.get_as(&w.lee.token, &format!("{path}?limit=1")).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    assert!(page.body["next_cursor"].is_string());
    assert_eq!(audit(app, "case_activity_recorded").await.len(), 2);
}

#[actix_web::test]
async fn a_bad_service_is_refused_and_not_stored() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{case}/activities");
    let unknown = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"code": "lunch", "provided_on": today()}),
        )
        .await;
    assert_problem(&unknown, 422, "validation_failed");
    let future = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"code": "workshop", "provided_on": "2999-01-01"}),
        )
        .await;
    assert_problem(&future, 422, "validation_failed");
    assert_eq!(future.body["errors"][0]["code"], "in_future");
    let outsider = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"code": "workshop", "provided_on": today(), "staff_id": w.sfo.id}),
        )
        .await;
    assert_eq!(outsider.body["errors"][0]["code"], "unknown_staff");
    let list = app.get_as(&w.chen.token, &path).await;
    assert!(ids(&list.body).is_empty());
}

#[actix_web::test]
async fn placements_are_recorded_on_individuals_cases_with_a_posting_or_a_title() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let path = format!("/api/v1/staff/cases/{case}/placements");
    let placed = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"employer_name": "Harbor Freight", "job_title": "Warehouse Associate",
                    "start_date": "2026-03-02", "hourly_wage_cents": 2250}),
        )
        .await;
    placed.assert_status(201);
    assert_eq!(placed.body["job_title"], "Warehouse Associate");
    assert_eq!(placed.body["hourly_wage_cents"], 2250);
    assert_eq!(placed.body["staff_id"], w.chen.id.as_str());
    let untitled = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"employer_name": "Harbor Freight", "start_date": "2026-03-02", "hourly_wage_cents": 2250}),
        )
        .await;
    assert_problem(&untitled, 422, "validation_failed");
    assert_eq!(untitled.body["errors"][0]["field"], "job_title");
    let unknown_posting = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"employer_name": "DMV", "posting_id": "01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
                    "start_date": "2026-03-02", "hourly_wage_cents": 2250}),
        )
        .await;
    assert_eq!(unknown_posting.body["errors"][0]["code"], "unknown_posting");
    let wage = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"employer_name": "X", "job_title": "Y", "start_date": "2026-03-02", "hourly_wage_cents": 0}),
        )
        .await;
    assert_eq!(wage.body["errors"][0]["field"], "hourly_wage_cents");
    let fraction = app
        .post_as(
            &w.chen.token,
            &path,
            &json!({"employer_name": "X", "job_title": "Y", "start_date": "2026-03-02", "hourly_wage_cents": 12.5}),
        )
        .await;
    assert_problem(&fraction, 422, "validation_failed");
    let list = app.get_as(&w.lee.token, &path).await;
    assert_eq!(
        ids(&list.body),
        vec![placed.body["id"].as_str().unwrap().to_owned()]
    );
    let employer = open_employer(app, &w.chen, json!({"name": "Acme"})).await;
    let employer_case = employer.body["id"].as_str().unwrap();
    let on_employer = app
        .post_as(
            &w.chen.token,
            &format!("/api/v1/staff/cases/{employer_case}/placements"),
            &json!({"employer_name": "Acme", "job_title": "Clerk", "start_date": "2026-03-02", "hourly_wage_cents": 2000}),
        )
        .await;
    assert_problem(&on_employer, 409, "not_an_individual_case");
    assert_eq!(audit(app, "case_placement_recorded").await.len(), 1);
}

#[actix_web::test]
async fn a_placement_from_a_posting_takes_its_title() {
    let (app, employer) = crate::postings::with_dmv_employer().await;
    let posting = crate::postings::open(&app, &employer, json!({})).await;
    let chen = app.staff("Marcus", "Chen", "LAO").await;
    let ana = app.applicant("ana@example.org").await;
    let case = case_for(&app, &chen, &ana.id).await;
    let placed = app
        .post_as(
            &chen.token,
            &format!("/api/v1/staff/cases/{case}/placements"),
            &json!({"employer_name": "Department of Motor Vehicles", "posting_id": posting,
                    "start_date": "2026-04-01", "hourly_wage_cents": 3100}),
        )
        .await;
    placed.assert_status(201);
    assert_eq!(placed.body["posting_id"], posting.as_str());
    let read = app
        .get_as(&chen.token, &format!("/api/v1/postings/{posting}"))
        .await;
    assert_eq!(placed.body["job_title"], read.body["title"]);
}

#[actix_web::test]
async fn nothing_is_recorded_on_a_closed_case() {
    let w = world().await;
    let app = &w.app;
    let case = case_for(app, &w.chen, &w.ana.id).await;
    app.post_as(
        &w.chen.token,
        &format!("/api/v1/staff/cases/{case}/status"),
        &json!({"status": "closed", "reason": "no_contact"}),
    )
    .await
    .assert_status(200);
    let activity = app
        .post_as(
            &w.chen.token,
            &format!("/api/v1/staff/cases/{case}/activities"),
            &json!({"code": "follow_up", "provided_on": today()}),
        )
        .await;
    assert_problem(&activity, 409, "case_closed");
    let placement = app
        .post_as(
            &w.chen.token,
            &format!("/api/v1/staff/cases/{case}/placements"),
            &json!({"employer_name": "X", "job_title": "Y", "start_date": "2026-03-02", "hourly_wage_cents": 2000}),
        )
        .await;
    assert_problem(&placement, 409, "case_closed");
}
