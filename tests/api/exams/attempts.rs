//! Attempts: one at a time per person, and answers checked before anything is stored.

use futures_util::future::join_all;
use serde_json::json;

use super::{setup, take};
use crate::support::assert_problem;

#[actix_web::test]
async fn concurrent_attempts_by_one_person_record_only_one() {
    let (app, _, id) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    let path = format!("/api/v1/exams/{id}/attempts");
    let answers = json!({"answers": [{"question_id": "q1", "option_id": "g"}]});
    let answered = join_all((0..6).map(|_| app.post_as(&applicant.token, &path, &answers))).await;
    let created = answered.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 1, "one attempt is taken, the others wait for it");
    for refused in answered.iter().filter(|r| r.status != 201) {
        assert_problem(refused, 409, "retake_not_allowed_yet");
    }
    let results = app
        .get_as(&applicant.token, "/api/v1/me/exam-results")
        .await;
    assert_eq!(results.body["items"].as_array().unwrap().len(), 1);
    let eligibilities = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities")
        .await;
    assert_eq!(eligibilities.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn an_attempt_answering_a_question_twice_is_refused_and_stores_nothing() {
    let (app, _, id) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    let twice = json!({"answers": [
        {"question_id": "q1", "option_id": "g"},
        {"question_id": "q1", "option_id": "a"}
    ]});
    let refused = app
        .post_as(
            &applicant.token,
            &format!("/api/v1/exams/{id}/attempts"),
            &twice,
        )
        .await;
    assert_problem(&refused, 422, "validation_failed");
    let errors = refused.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["field"], "answers");
    assert_eq!(errors[0]["code"], "duplicate_answer");
    for path in ["/api/v1/me/exam-results", "/api/v1/me/eligibilities"] {
        assert_eq!(
            app.get_as(&applicant.token, path).await.body["items"],
            json!([])
        );
    }
    // Nothing was recorded, so no re-take wait applies.
    take(&app, &applicant, &id, 100).await.assert_status(201);
}
