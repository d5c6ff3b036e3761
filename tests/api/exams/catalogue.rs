//! Creating exams (who may, what a list duration may be) and paging through the exam list.

use serde_json::{Value, json};

use super::{exam_body, setup};
use crate::support::{TestApp, assert_problem};

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn admins_create_exams_and_applicants_cannot() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let body = exam_body(json!({"classification_code": "1139", "title": "Office Technician exam"}));
    let created = app.post_as(&admin.token, "/api/v1/exams", &body).await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/exams/{id}"));
    let stored = app
        .get_as(&admin.token, &format!("/api/v1/exams/{id}"))
        .await;
    stored.assert_status(200);
    assert_eq!(stored.body["classification_code"], "1139");
    assert_eq!(stored.body["title"], "Office Technician exam");
    assert_eq!(stored.body["questions"][0]["options"][6]["points"], 100);

    let applicant = app.applicant("ana@example.org").await;
    let refused = app.post_as(&applicant.token, "/api/v1/exams", &body).await;
    assert_problem(&refused, 403, "forbidden");
    let all = app.get("/api/v1/exams?open_now=false").await;
    assert_eq!(ids(&all.body), [id], "the applicant's exam was not stored");
}

#[actix_web::test]
async fn a_list_lasts_12_or_24_months_and_the_contract_says_exactly_that() {
    let (app, employer, _) = setup().await;
    for months in [12, 24] {
        let body = exam_body(json!({"list_duration_months": months}));
        let created = app.post_as(&employer.token, "/api/v1/exams", &body).await;
        created.assert_status(201);
        assert_eq!(created.body["list_duration_months"], months);
    }
    for months in [0, 11, 13, 18, 23, 25, 36] {
        let body = exam_body(json!({"list_duration_months": months}));
        let refused = app.post_as(&employer.token, "/api/v1/exams", &body).await;
        assert_problem(&refused, 422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], "list_duration_months");
        assert_eq!(refused.body["errors"][0]["code"], "invalid_list_duration");
    }
    let all = app.get("/api/v1/exams?open_now=false&limit=100").await;
    assert_eq!(ids(&all.body).len(), 3, "only the valid exams were stored");

    let document = app.get("/api/v1/openapi.json").await.body;
    let schemas = &document["components"]["schemas"];
    for schema in ["NewExamRequest", "ExamResponse"] {
        let field = &schemas[schema]["properties"]["list_duration_months"];
        assert_eq!(field["type"], "integer", "{schema}");
        assert_eq!(field["enum"], json!([12, 24]), "{schema}");
        assert_eq!(field.get("minimum"), None, "{schema}: no range");
    }
}

#[actix_web::test]
async fn whole_numbers_written_with_a_decimal_point_are_the_same_numbers_and_fractions_are_not() {
    let (app, employer, _) = setup().await;
    let body = exam_body(
        json!({"list_duration_months": 24.0, "passing_score": 75.0, "retake_wait_days": 90.0}),
    );
    let created = app.post_as(&employer.token, "/api/v1/exams", &body).await;
    created.assert_status(201);
    assert_eq!(created.body["list_duration_months"], 24);
    assert_eq!(created.body["passing_score"], 75);
    assert_eq!(created.body["retake_wait_days"], 90);
    let fraction = exam_body(json!({"passing_score": 70.5}));
    let refused = app
        .post_as(&employer.token, "/api/v1/exams", &fraction)
        .await;
    assert_problem(&refused, 422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["field"], "passing_score");
}

#[actix_web::test]
async fn the_exam_list_pages_through_every_exam_once() {
    let (app, employer, first) = setup().await;
    let mut created = vec![first];
    for n in 0..6 {
        let open = n % 3 != 0;
        let body = exam_body(json!({"title": format!("Exam number {n}"), "open": open}));
        let response = app.post_as(&employer.token, "/api/v1/exams", &body).await;
        response.assert_status(201);
        created.push(response.body["id"].as_str().unwrap().to_owned());
    }
    let open_ids = |body: &Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["open"] == true)
            .count()
    };
    for (filter, expected) in [("open_now=false", 7), ("open_now=true", 5)] {
        let whole = app.get(&format!("/api/v1/exams?{filter}&limit=100")).await;
        assert_eq!(ids(&whole.body).len(), expected);
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = app
                .get(&format!("/api/v1/exams?{filter}&limit=3{after}"))
                .await;
            page.assert_status(200);
            assert!(ids(&page.body).len() <= 3);
            if filter == "open_now=true" {
                assert_eq!(open_ids(&page.body), ids(&page.body).len());
            }
            seen.extend(ids(&page.body));
            pages += 1;
            cursor = page.body["next_cursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(
            seen,
            ids(&whole.body),
            "{filter}: every exam once, in order"
        );
        assert_eq!(pages, expected.div_ceil(3), "{filter}");
    }
    let mut all: Vec<String> = ids(&app.get("/api/v1/exams?open_now=false&limit=100").await.body);
    all.sort();
    created.sort();
    assert_eq!(all, created);
}
