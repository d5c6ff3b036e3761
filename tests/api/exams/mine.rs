//! A person's exam results and eligibilities are paged lists like every other.

use serde_json::{Value, json};

use super::{exam_body, setup, take};
use crate::support::assert_problem;

fn codes(body: &Value, field: &str) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn results_and_eligibilities_come_a_page_at_a_time_with_a_cursor() {
    let (app, employer, first) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    let mut exams = vec![first];
    for code in ["1139", "5157"] {
        let created = app
            .post_as(
                &employer.token,
                "/api/v1/exams",
                &exam_body(json!({"classification_code": code})),
            )
            .await;
        exams.push(created.body["id"].as_str().unwrap().to_owned());
    }
    for (i, exam) in exams.iter().enumerate() {
        app.clock.advance(chrono::Duration::minutes(1));
        take(&app, &applicant, exam, [95, 85, 100][i])
            .await
            .assert_status(201);
    }

    let first_page = app
        .get_as(&applicant.token, "/api/v1/me/exam-results?limit=2")
        .await;
    first_page.assert_status(200);
    assert_eq!(
        codes(&first_page.body, "exam_id"),
        [exams[2].clone(), exams[1].clone()]
    );
    let cursor = first_page.body["next_cursor"].as_str().unwrap().to_owned();
    let second_page = app
        .get_as(
            &applicant.token,
            &format!("/api/v1/me/exam-results?limit=2&cursor={cursor}"),
        )
        .await;
    assert_eq!(codes(&second_page.body, "exam_id"), [exams[0].clone()]);
    assert_eq!(second_page.body["next_cursor"], Value::Null);

    let eligibilities = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities?limit=2")
        .await;
    assert_eq!(
        codes(&eligibilities.body, "classification_code"),
        ["1139", "5157"]
    );
    let next = eligibilities.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &applicant.token,
            &format!("/api/v1/me/eligibilities?cursor={next}"),
        )
        .await;
    assert_eq!(codes(&rest.body, "classification_code"), ["5393"]);
    assert_eq!(rest.body["next_cursor"], Value::Null);

    // A cursor of one list is refused by the other.
    let foreign = app
        .get_as(
            &applicant.token,
            &format!("/api/v1/me/exam-results?cursor={next}"),
        )
        .await;
    assert_problem(&foreign, 400, "invalid_cursor");
}

#[actix_web::test]
async fn the_lists_refuse_unknown_parameters_and_bad_limits() {
    let (app, _, _) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    for path in ["/api/v1/me/exam-results", "/api/v1/me/eligibilities"] {
        let unknown = app
            .get_as(&applicant.token, &format!("{path}?sort=score"))
            .await;
        assert_problem(&unknown, 400, "invalid_query");
        let too_many = app
            .get_as(&applicant.token, &format!("{path}?limit=101"))
            .await;
        assert_problem(&too_many, 422, "validation_failed");
        assert_eq!(too_many.body["errors"][0]["field"], "limit");
        let garbage = app
            .get_as(&applicant.token, &format!("{path}?cursor=%25%25"))
            .await;
        assert_problem(&garbage, 400, "invalid_cursor");
    }
}
