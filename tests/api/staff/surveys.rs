//! Surveys: admins make them, staff of the addressed offices answer each once while open,
//! answers are checked against the questions, admins read results without names.

use chrono::Duration;
use serde_json::{Value, json};

use super::{audit, ids, world};
use crate::support::{TestApp, assert_problem, start_of_tests};

const SURVEYS: &str = "/api/v1/staff/surveys";

fn survey(offices: Value) -> Value {
    // Closes soon, so a test can see it close without its tokens expiring.
    let closes = (start_of_tests() + Duration::minutes(2)).to_rfc3339();
    json!({
        "title": "Office tools",
        "description": "Tell us how the tools work for you.",
        "closes_at": closes,
        "offices": offices,
        "questions": [
            {"prompt": "Which office do you work in most?", "kind": "single_choice", "options": ["Front desk", "Back office"]},
            {"prompt": "Which tools do you use?", "kind": "multiple_choice", "options": ["Quick search", "Calendar", "Letters"], "required": false},
            {"prompt": "How useful is the dashboard?", "kind": "rating"},
            {"prompt": "What should change?", "kind": "free_text", "required": false}
        ]
    })
}

async fn make(app: &TestApp, token: &str, body: &Value) -> String {
    let made = app.post_as(token, SURVEYS, body).await;
    made.assert_status(201);
    made.body["id"].as_str().unwrap().to_owned()
}

fn errors(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn staff_answer_a_survey_once_and_admins_see_results_without_names() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let id = make(app, &admin.token, &survey(json!(["LAO"]))).await;
    let responses = format!("{SURVEYS}/{id}/responses");

    // LAO's staff see it, unanswered; SFO's do not.
    let listed = app.get_as(&w.chen.token, SURVEYS).await;
    listed.assert_status(200);
    assert_eq!(ids(&listed.body), vec![id.clone()]);
    assert_eq!(listed.body["items"][0]["answered"], false);
    assert_eq!(listed.body["items"][0]["state"], "open");
    assert_eq!(listed.body["items"][0]["questions"][2]["kind"], "rating");
    assert!(ids(&app.get_as(&w.sfo.token, SURVEYS).await.body).is_empty());
    let sfo_answer = app
        .post_as(
            &w.sfo.token,
            &responses,
            &json!({"answers": [{}, {}, {}, {}]}),
        )
        .await;
    assert_problem(&sfo_answer, 404, "not_found");

    // Every wrong answer at its own path, nothing stored.
    let wrong = app
        .post_as(
            &w.chen.token,
            &responses,
            &json!({"answers": [{"choice": 5}, {"choices": [1, 1]}, {"rating": 9, "text": "x"}, {"rating": 3}]}),
        )
        .await;
    assert_problem(&wrong, 422, "validation_failed");
    assert_eq!(
        errors(&wrong.body),
        vec![
            ("answers[0].choice".into(), "unknown_option".into()),
            ("answers[1].choices[1]".into(), "duplicate_option".into()),
            ("answers[2].text".into(), "not_for_question".into()),
            ("answers[3].rating".into(), "not_for_question".into()),
        ]
    );
    let missing = app
        .post_as(
            &w.chen.token,
            &responses,
            &json!({"answers": [{}, {}, {}, {}]}),
        )
        .await;
    assert_eq!(
        errors(&missing.body),
        vec![
            ("answers[0]".into(), "answer_required".into()),
            ("answers[2]".into(), "answer_required".into()),
        ]
    );
    let short = app
        .post_as(
            &w.chen.token,
            &responses,
            &json!({"answers": [{"choice": 0}]}),
        )
        .await;
    assert_eq!(
        errors(&short.body),
        vec![("answers".into(), "answer_count".into())]
    );

    // Chen and Lee answer; a second answer is refused.
    let chens = json!({"answers": [{"choice": 0}, {"choices": [0, 2]}, {"rating": 4}, {"text": "More filters, please."}]});
    app.post_as(&w.chen.token, &responses, &chens)
        .await
        .assert_status(204);
    let again = app.post_as(&w.chen.token, &responses, &chens).await;
    assert_problem(&again, 409, "survey_already_answered");
    let lees = json!({"answers": [{"choice": 1}, {}, {"rating": 5}, {}]});
    app.post_as(&w.lee.token, &responses, &lees)
        .await
        .assert_status(204);
    let seen = app.get_as(&w.chen.token, &format!("{SURVEYS}/{id}")).await;
    assert_eq!(seen.body["answered"], true);

    // Results: counts, the average, texts, the response count, no names.
    let results_path = format!("{SURVEYS}/{id}/results");
    assert_problem(
        &app.get_as(&w.chen.token, &results_path).await,
        403,
        "forbidden",
    );
    let results = app.get_as(&admin.token, &results_path).await;
    results.assert_status(200);
    assert_eq!(results.body["responses"], 2);
    let q = &results.body["questions"];
    assert_eq!(
        q[0]["option_counts"],
        json!([{"option": "Front desk", "count": 1}, {"option": "Back office", "count": 1}])
    );
    assert_eq!(
        q[1]["option_counts"],
        json!([{"option": "Quick search", "count": 1}, {"option": "Calendar", "count": 0}, {"option": "Letters", "count": 1}])
    );
    assert_eq!(q[2]["rating_counts"], json!([0, 0, 0, 1, 1]));
    assert_eq!(q[2]["average_rating"], 4.5);
    assert_eq!(q[3]["text_answers"], json!(["More filters, please."]));
    let text = results.body.to_string();
    assert!(!text.contains(&w.chen.id) && !text.contains(&w.lee.id));
    assert_eq!(audit(app, "survey_answered").await.len(), 2);
    assert_eq!(audit(app, "survey_created").await.len(), 1);

    // Once closed, it is refused and no longer listed as open.
    app.clock.advance(Duration::minutes(3));
    let sfo_lao = app
        .post_as(
            &w.sfo.token,
            &responses,
            &json!({"answers": [{}, {}, {}, {}]}),
        )
        .await;
    assert_problem(&sfo_lao, 404, "not_found");
    let late = app
        .post_as(
            &admin.token,
            &responses,
            &json!({"answers": [{"choice": 0}, {}, {"rating": 1}, {}]}),
        )
        .await;
    assert_problem(&late, 409, "survey_closed");
    assert!(ids(&app.get_as(&w.chen.token, SURVEYS).await.body).is_empty());
    let all = app
        .get_as(&admin.token, &format!("{SURVEYS}?scope=all"))
        .await;
    assert_eq!(all.body["items"][0]["state"], "closed");
    let after = app.get_as(&admin.token, &results_path).await;
    assert_eq!(after.body["responses"], 2);
}

#[actix_web::test]
async fn a_survey_is_made_only_by_admins_from_valid_questions() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let by_staff = app
        .post_as(&w.chen.token, SURVEYS, &survey(json!([])))
        .await;
    assert_problem(&by_staff, 403, "forbidden");
    let mut bad = survey(json!([]));
    bad["questions"] = json!([
        {"prompt": "Pick", "kind": "single_choice", "options": ["Yes", "yes"]},
        {"prompt": " ", "kind": "rating", "options": ["1"]},
        {"prompt": "Many", "kind": "multiple_choice", "options": ["only"]}
    ]);
    let refused = app.post_as(&admin.token, SURVEYS, &bad).await;
    assert_problem(&refused, 422, "validation_failed");
    assert_eq!(
        errors(&refused.body),
        vec![("questions[1].prompt".into(), "blank".into())]
    );
    bad["questions"][1]["prompt"] = json!("Rate");
    let refused = app.post_as(&admin.token, SURVEYS, &bad).await;
    assert_eq!(
        errors(&refused.body),
        vec![
            ("questions[0].options[1]".into(), "duplicate_option".into()),
            ("questions[1].options".into(), "not_for_question".into()),
            ("questions[2].options".into(), "option_count".into()),
        ]
    );
    let mut backwards = survey(json!([]));
    backwards["closes_at"] = json!(start_of_tests().to_rfc3339());
    let refused = app.post_as(&admin.token, SURVEYS, &backwards).await;
    assert_eq!(
        errors(&refused.body),
        vec![("closes_at".into(), "closes_before_opening".into())]
    );
    let mut none = survey(json!([]));
    none["questions"] = json!([]);
    let refused = app.post_as(&admin.token, SURVEYS, &none).await;
    assert_eq!(
        errors(&refused.body),
        vec![("questions".into(), "required".into())]
    );
    let all = app
        .get_as(&admin.token, &format!("{SURVEYS}?scope=all"))
        .await;
    assert!(ids(&all.body).is_empty());
    assert_problem(
        &app.get_as(&w.chen.token, &format!("{SURVEYS}?scope=all"))
            .await,
        403,
        "forbidden",
    );

    // One that opens tomorrow is not shown to staff yet.
    let mut later = survey(json!([]));
    later["opens_at"] = json!((start_of_tests() + Duration::days(1)).to_rfc3339());
    later["closes_at"] = json!((start_of_tests() + Duration::days(2)).to_rfc3339());
    let id = make(app, &admin.token, &later).await;
    assert!(ids(&app.get_as(&w.chen.token, SURVEYS).await.body).is_empty());
    assert_problem(
        &app.get_as(&w.chen.token, &format!("{SURVEYS}/{id}")).await,
        404,
        "not_found",
    );
    let scheduled = app.get_as(&admin.token, &format!("{SURVEYS}/{id}")).await;
    assert_eq!(scheduled.body["state"], "scheduled");
}
