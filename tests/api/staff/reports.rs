//! Report indicators, computed from the records.

use serde_json::{Value, json};

use super::{case_for, world};
use crate::support::{TestApp, TestUser, assert_problem};

fn today() -> String {
    crate::support::start_of_tests().date_naive().to_string()
}

fn count(indicators: &Value, code: &str) -> i64 {
    indicators["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .unwrap()["count"]
        .as_i64()
        .unwrap()
}

fn row<'a>(body: &'a Value, staff: &TestUser) -> &'a Value {
    body["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["staff"]["id"] == staff.id.as_str())
        .map(|r| &r["indicators"])
        .unwrap()
}

async fn record(app: &TestApp, staff: &TestUser, case: &str, code: &str, on: &str) {
    app.post_as(
        &staff.token,
        &format!("/api/v1/staff/cases/{case}/activities"),
        &json!({"code": code, "provided_on": on}),
    )
    .await
    .assert_status(201);
}

#[actix_web::test]
async fn indicators_count_the_offices_work_per_staff_member_over_the_period() {
    let w = world().await;
    let app = &w.app;
    let today = today();
    let ana = case_for(app, &w.chen, &w.ana.id).await;
    let ben = case_for(app, &w.lee, &w.ben.id).await;
    let sfo = case_for(app, &w.sfo, &w.ana.id).await;
    record(app, &w.chen, &ana, "orientation", &today).await;
    record(app, &w.chen, &ana, "workshop", &today).await;
    record(app, &w.chen, &ana, "workshop", "2025-06-15").await;
    record(app, &w.lee, &ben, "job_referral", &today).await;
    record(app, &w.sfo, &sfo, "workshop", &today).await;
    app.post_as(
        &w.chen.token,
        &format!("/api/v1/staff/cases/{ana}/placements"),
        &json!({"employer_name": "Acme", "job_title": "Clerk", "start_date": today, "hourly_wage_cents": 2000}),
    )
    .await
    .assert_status(201);
    app.post_as(
        &w.lee.token,
        &format!("/api/v1/staff/cases/{ben}/status"),
        &json!({"status": "closed", "reason": "employed"}),
    )
    .await
    .assert_status(200);

    let path = format!("/api/v1/staff/report-indicators?from={today}&to={today}");
    let report = app.get_as(&w.chen.token, &path).await;
    report.assert_status(200);
    let body = &report.body;
    assert_eq!(body["office_code"], "LAO");
    assert_eq!(body["totals"]["placements"], 1);
    assert_eq!(body["totals"]["cases_opened"], 2);
    assert_eq!(body["totals"]["cases_closed"], 1);
    assert_eq!(count(&body["totals"], "workshop"), 1);
    assert_eq!(count(&body["totals"], "orientation"), 1);
    assert_eq!(count(&body["totals"], "job_referral"), 1);
    assert_eq!(count(&body["totals"], "follow_up"), 0);
    assert_eq!(body["totals"]["activities"].as_array().unwrap().len(), 8);
    let chen = row(body, &w.chen);
    assert_eq!(chen["placements"], 1);
    assert_eq!(count(chen, "workshop"), 1);
    assert_eq!(chen["cases_closed"], 0);
    let lee = row(body, &w.lee);
    assert_eq!(lee["cases_closed"], 1);
    assert_eq!(count(lee, "job_referral"), 1);
    assert_eq!(body["staff"].as_array().unwrap().len(), 2);

    // A longer period takes the older workshop in; one staff member narrows it.
    let year = app
        .get_as(
            &w.chen.token,
            &format!(
                "/api/v1/staff/report-indicators?from=2025-06-01&to={today}&staff_id={}",
                w.chen.id
            ),
        )
        .await;
    year.assert_status(200);
    assert_eq!(count(&year.body["totals"], "workshop"), 2);
    assert_eq!(year.body["staff"].as_array().unwrap().len(), 1);
    assert_eq!(year.body["totals"]["cases_closed"], 0);

    // An admin names the office.
    let admin = app.admin().await;
    let sfo_report = app
        .get_as(
            &admin.token,
            &format!("/api/v1/staff/report-indicators?from={today}&to={today}&office_code=SFO"),
        )
        .await;
    sfo_report.assert_status(200);
    assert_eq!(count(&sfo_report.body["totals"], "workshop"), 1);
    assert_eq!(sfo_report.body["totals"]["placements"], 0);
}

#[actix_web::test]
async fn report_days_are_the_offices_days_in_pacific_time() {
    use chrono::{TimeZone, Utc};
    let w = world().await;
    let app = &w.app;
    // 05:00 UTC on 3 March is 21:00 on 2 March in Los Angeles (PST, UTC-8).
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 3, 5, 0, 0).unwrap());
    let chen = app.signed_in(&w.chen.login, &w.chen.password).await;
    case_for(app, &chen, &w.ana.id).await;
    let opened_on = |day: &'static str| {
        let token = chen.token.clone();
        async move {
            let report = app
                .get_as(
                    &token,
                    &format!("/api/v1/staff/report-indicators?from={day}&to={day}"),
                )
                .await;
            report.assert_status(200);
            report.body["totals"]["cases_opened"].as_i64().unwrap()
        }
    };
    assert_eq!(opened_on("2026-03-02").await, 1, "the evening of 2 March");
    assert_eq!(opened_on("2026-03-03").await, 0, "not the next UTC day");
}

#[actix_web::test]
async fn a_report_refuses_bad_periods_and_other_offices() {
    let w = world().await;
    let app = &w.app;
    let get = |q: &str| format!("/api/v1/staff/report-indicators?{q}");
    let reversed = app
        .get_as(&w.chen.token, &get("from=2026-02-01&to=2026-01-01"))
        .await;
    assert_problem(&reversed, 422, "validation_failed");
    assert_eq!(reversed.body["errors"][0]["code"], "dates_out_of_order");
    let long = app
        .get_as(&w.chen.token, &get("from=2024-01-01&to=2026-01-01"))
        .await;
    assert_eq!(long.body["errors"][0]["code"], "out_of_range");
    // A missing parameter cannot be read, like an unknown one.
    let missing = app.get_as(&w.chen.token, &get("from=2026-01-01")).await;
    assert_problem(&missing, 400, "invalid_query");
    let bad_date = app
        .get_as(&w.chen.token, &get("from=2026-02-30&to=2026-03-01"))
        .await;
    assert!(matches!(bad_date.status, 400 | 422), "{}", bad_date.body);
    let other = app
        .get_as(
            &w.chen.token,
            &get("from=2026-01-01&to=2026-01-31&office_code=SFO"),
        )
        .await;
    assert_problem(&other, 404, "not_found");
    let outsider = app
        .get_as(
            &w.chen.token,
            &get(&format!(
                "from=2026-01-01&to=2026-01-31&staff_id={}",
                w.sfo.id
            )),
        )
        .await;
    assert_eq!(outsider.body["errors"][0]["code"], "unknown_staff");
    let admin = app.admin().await;
    let no_office = app
        .get_as(&admin.token, &get("from=2026-01-01&to=2026-01-31"))
        .await;
    assert_eq!(no_office.body["errors"][0]["field"], "office_code");
}
