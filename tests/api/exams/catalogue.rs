//! Creating exams: what a list duration may be.

use serde_json::{Value, json};

use super::{exam_body, setup};
use crate::support::assert_problem;

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
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
