//! A posting's list follows the eligible list: rank band, then score, then submission time.

use serde_json::json;

use super::{applied, world};

#[actix_web::test]
async fn the_list_orders_by_rank_band_then_score_then_submission() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let exam = json!({
        "classification_code": "5393",
        "title": "Associate Governmental Program Analyst (Training and Experience)",
        "description": "An online questionnaire about your analytical experience.",
        "list_duration_months": 24,
        "passing_score": 70,
        "retake_wait_days": 180,
        "questions": [{
            "text": "How many years of analytical experience do you have?",
            "options": [{"text": "None", "points": 0}, {"text": "One year", "points": 70},
                        {"text": "Five or more", "points": 100}]
        }]
    });
    let created = app.post_as(&employer.token, "/api/v1/exams", &exam).await;
    created.assert_status(201);
    let exam_id = created.body["id"].as_str().unwrap();
    let mut people = Vec::new();
    for (email, option) in [
        ("low@example.org", Some("b")),
        ("none@example.org", None),
        ("top@example.org", Some("c")),
    ] {
        let person = app.applicant(email).await;
        if let Some(option) = option {
            let answers = json!({"answers": [{"question_id": "q1", "option_id": option}]});
            let path = format!("/api/v1/exams/{exam_id}/attempts");
            app.post_as(&person.token, &path, &answers)
                .await
                .assert_status(201);
        }
        people.push(applied(app, &person, &w.posting).await);
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let list = app
        .get_as(
            &employer.token,
            &format!("/api/v1/postings/{}/applications", w.posting),
        )
        .await;
    let items = list.body["items"].as_array().unwrap();
    let order: Vec<_> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        [people[2].as_str(), people[0].as_str(), people[1].as_str()]
    );
    assert_eq!(items[0]["score"], 100);
    assert_eq!(items[1]["score"], 70);
    assert!(items[0]["rank_band"].as_i64().unwrap() <= items[1]["rank_band"].as_i64().unwrap());
    assert_eq!(items[2]["rank_band"], json!(null));
}
