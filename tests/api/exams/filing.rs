//! The final filing day ends at midnight in the filing zone (California), not in UTC: the list's
//! `open_now` filter and the attempt rule agree to the instant.

use chrono::{NaiveDate, TimeDelta};
use merit_domain::posting::filing_closes_at;
use serde_json::{Value, json};

use super::{exam_body, take};
use crate::support::{TestApp, assert_problem};

fn ids(body: &Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn an_exam_is_listed_and_takes_attempts_until_its_final_day_ends_in_california() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let body = exam_body(json!({"final_filing_date": "2026-03-02"}));
    let created = app.post_as(&employer.token, "/api/v1/exams", &body).await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let closes = filing_closes_at(day);

    // 16:00 in California on the final day (midnight UTC), and its last second.
    for (n, instant) in [closes - TimeDelta::hours(8), closes - TimeDelta::seconds(1)]
        .into_iter()
        .enumerate()
    {
        assert!(instant.date_naive() > day, "in UTC the final day is over");
        app.clock.set(instant);
        let listed = app.get("/api/v1/exams").await;
        assert_eq!(ids(&listed.body), [id.as_str()], "listed at {instant}");
        assert_eq!(listed.body["items"][0]["accepting_attempts"], true);
        let person = app.applicant(&format!("early{n}@example.org")).await;
        take(&app, &person, &id, 95).await.assert_status(201);
    }

    app.clock.set(closes);
    let listed = app.get("/api/v1/exams").await;
    assert_eq!(ids(&listed.body), Vec::<&str>::new());
    let all = app.get("/api/v1/exams?open_now=false").await;
    assert_eq!(ids(&all.body), [id.as_str()]);
    assert_eq!(all.body["items"][0]["accepting_attempts"], false);
    let late = app.applicant("late@example.org").await;
    assert_problem(&take(&app, &late, &id, 95).await, 409, "exam_closed");
    assert_eq!(
        app.get_as(&late.token, "/api/v1/me/exam-results")
            .await
            .body["items"],
        json!([])
    );
}
