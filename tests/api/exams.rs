//! Exams: creation, hidden points, attempts scored at once, re-takes, eligibilities that expire,
//! eligible lists and the consideration preview for postings that require eligibility.

mod attempts;
mod catalogue;
mod eligible_list;
mod filing;
mod migration;
mod mine;

use chrono::Duration;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, assert_problem};

/// One question whose options are worth 0, 50, 70, 85, 90, 95 and 100 points: choosing option
/// `n` scores exactly those points.
fn exam_body(overrides: Value) -> Value {
    let mut body = json!({
        "classification_code": "5393",
        "title": "Associate Governmental Program Analyst (Training and Experience)",
        "description": "An online questionnaire about your analytical experience.",
        "list_duration_months": 24,
        "passing_score": 70,
        "retake_wait_days": 180,
        "questions": [{
            "text": "How many years of analytical experience do you have?",
            "options": [
                {"text": "None", "points": 0}, {"text": "Some", "points": 50}, {"text": "One year", "points": 70},
                {"text": "Two years", "points": 85}, {"text": "Three years", "points": 90},
                {"text": "Four years", "points": 95}, {"text": "Five or more", "points": 100}
            ]
        }]
    });
    if let (Some(base), Some(changes)) = (body.as_object_mut(), overrides.as_object()) {
        for (k, v) in changes {
            base.insert(k.clone(), v.clone());
        }
    }
    body
}

/// The option scoring `points`.
fn option_for(points: u32) -> &'static str {
    match points {
        0 => "a",
        50 => "b",
        70 => "c",
        85 => "d",
        90 => "e",
        95 => "f",
        _ => "g",
    }
}

async fn setup() -> (TestApp, TestUser, String) {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let created = app
        .post_as(&employer.token, "/api/v1/exams", &exam_body(json!({})))
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    (app, employer, id)
}

async fn take(
    app: &TestApp,
    user: &TestUser,
    exam: &str,
    points: u32,
) -> crate::support::TestResponse {
    let answers = json!({"answers": [{"question_id": "q1", "option_id": option_for(points)}]});
    app.post_as(
        &user.token,
        &format!("/api/v1/exams/{exam}/attempts"),
        &answers,
    )
    .await
}

/// Signs in again (access tokens last 15 minutes and tests move the clock by months).
async fn again(app: &TestApp, user: &TestUser) -> TestUser {
    app.signed_in(&user.login, &user.password).await
}

#[actix_web::test]
async fn employers_create_exams_and_applicants_never_see_option_points() {
    let (app, employer, id) = setup().await;
    let own = app
        .get_as(&employer.token, &format!("/api/v1/exams/{id}"))
        .await;
    assert_eq!(
        own.body["questions"][0]["options"][6],
        json!({"id": "g", "text": "Five or more", "points": 100})
    );
    let applicant = app.applicant("ana@example.org").await;
    for response in [
        app.get(&format!("/api/v1/exams/{id}")).await,
        app.get_as(&applicant.token, &format!("/api/v1/exams/{id}"))
            .await,
    ] {
        response.assert_status(200);
        assert_eq!(
            response.body["questions"][0]["options"][6],
            json!({"id": "g", "text": "Five or more"})
        );
        assert!(!response.text.contains("\"points\""));
    }
    let listed = app.get("/api/v1/exams").await;
    assert_eq!(listed.body["items"][0]["id"], id);
    assert!(!listed.text.contains("\"points\""));
    assert_problem(
        &app.post_as(&applicant.token, "/api/v1/exams", &exam_body(json!({})))
            .await,
        403,
        "forbidden",
    );
}

#[actix_web::test]
async fn exams_are_found_by_classification_text_and_whether_they_are_open() {
    let (app, employer, open) = setup().await;
    let closed = app.post_as(&employer.token, "/api/v1/exams", &exam_body(json!({"classification_code": "1139", "title": "Office Technician exam", "open": false}))).await;
    let closed = closed.body["id"].as_str().unwrap().to_owned();
    let ids = |body: &Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&app.get("/api/v1/exams").await.body), [open.as_str()]);
    assert_eq!(
        ids(&app.get("/api/v1/exams?open_now=false").await.body),
        [closed.clone(), open.clone()]
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/exams?open_now=false&classification=1139")
            .await
            .body),
        [closed]
    );
    assert_eq!(
        ids(&app.get("/api/v1/exams?q=analytical").await.body),
        [open]
    );
    assert_eq!(
        ids(&app.get("/api/v1/exams?q=nothing%20like%20this").await.body),
        Vec::<String>::new()
    );
}

#[actix_web::test]
async fn a_pass_is_scored_at_once_and_grants_eligibility_for_the_list_duration() {
    let (app, _, id) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    let attempt = take(&app, &applicant, &id, 95).await;
    attempt.assert_status(201);
    assert_eq!(attempt.body["score"], 95);
    assert_eq!(attempt.body["passed"], true);
    assert_eq!(attempt.body["rank_band"], "95-100");
    assert_eq!(
        attempt.body["eligibility_expires_at"],
        "2028-03-02T09:30:00Z"
    );
    let eligibilities = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities")
        .await;
    assert_eq!(
        eligibilities.body["items"][0]["classification_code"],
        "5393"
    );
    assert_eq!(eligibilities.body["items"][0]["status"], "active");
    assert_eq!(eligibilities.body["items"][0]["days_left"], 731);
    assert_eq!(
        eligibilities.body["items"][0]["retake_allowed_from"],
        "2026-08-29T09:30:00Z"
    );
}

#[actix_web::test]
async fn a_fail_grants_nothing_and_the_retake_waits() {
    let (app, _, id) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    let attempt = take(&app, &applicant, &id, 50).await;
    assert_eq!(
        (
            attempt.body["passed"].clone(),
            attempt.body["rank_band"].clone()
        ),
        (json!(false), Value::Null)
    );
    assert_eq!(attempt.body["eligibility_expires_at"], Value::Null);
    assert_eq!(
        app.get_as(&applicant.token, "/api/v1/me/eligibilities")
            .await
            .body["items"],
        json!([])
    );
    let refused = take(&app, &applicant, &id, 100).await;
    assert_problem(&refused, 409, "retake_not_allowed_yet");
    assert_eq!(refused.body["retake_allowed_from"], "2026-08-29T09:30:00Z");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("2026-08-29T09:30:00Z")
    );
    app.clock.advance(Duration::days(180));
    let applicant = again(&app, &applicant).await;
    take(&app, &applicant, &id, 100).await.assert_status(201);
    let results = app
        .get_as(&applicant.token, "/api/v1/me/exam-results")
        .await;
    let scores: Vec<u64> = results.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_u64().unwrap())
        .collect();
    assert_eq!(scores, [100, 50]);
}

#[actix_web::test]
async fn eligibility_becomes_expiring_soon_then_expired_and_a_retake_renews_it() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    // A wait longer than the list: only the expiry lets the person back in.
    let body = exam_body(json!({"list_duration_months": 12, "retake_wait_days": 500}));
    let id = app
        .post_as(&employer.token, "/api/v1/exams", &body)
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let applicant = app.applicant("ana@example.org").await;
    take(&app, &applicant, &id, 85).await.assert_status(201);

    app.clock.advance(Duration::days(365 - 60));
    let applicant = again(&app, &applicant).await;
    let soon = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities")
        .await;
    assert_eq!(soon.body["items"][0]["status"], "expiring_soon");
    assert_eq!(soon.body["items"][0]["days_left"], 60);
    let refused = take(&app, &applicant, &id, 100).await;
    assert_problem(&refused, 409, "retake_not_allowed_yet");
    assert_eq!(
        refused.body["retake_allowed_from"], soon.body["items"][0]["expires_at"],
        "the wait outlasts the list: a re-take is allowed when the eligibility expires"
    );
    assert_eq!(refused.body["retake_allowed_from"], "2027-03-02T09:30:00Z");

    app.clock.advance(Duration::days(60));
    let applicant = again(&app, &applicant).await;
    let expired = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities")
        .await;
    assert_eq!(expired.body["items"][0]["status"], "expired");
    assert_eq!(expired.body["items"][0]["days_left"], 0);
    assert_eq!(expired.body["items"][0]["retake_allowed_from"], Value::Null);
    let renewed = take(&app, &applicant, &id, 100).await;
    renewed.assert_status(201);
    let now = app
        .get_as(&applicant.token, "/api/v1/me/eligibilities")
        .await;
    assert_eq!(now.body["items"][0]["status"], "active");
    assert_eq!(now.body["items"][0]["score"], 100);
}

#[actix_web::test]
async fn a_closed_exam_and_bad_answers_are_refused_and_nothing_is_recorded() {
    let (app, employer, open) = setup().await;
    let closed = app
        .post_as(
            &employer.token,
            "/api/v1/exams",
            &exam_body(json!({"open": false})),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let applicant = app.applicant("ana@example.org").await;
    let refused = take(&app, &applicant, &closed, 100).await;
    assert_problem(&refused, 409, "exam_closed");
    assert_eq!(refused.body.get("retake_allowed_from"), None);
    let bad = app
        .post_as(&applicant.token, &format!("/api/v1/exams/{open}/attempts"), &json!({"answers": [{"question_id": "q1", "option_id": "z"}, {"question_id": "q9", "option_id": "a"}]}))
        .await;
    assert_problem(&bad, 422, "validation_failed");
    let codes: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_option", "unknown_question"]);
    let empty = app
        .post_as(
            &applicant.token,
            &format!("/api/v1/exams/{open}/attempts"),
            &json!({"answers": []}),
        )
        .await;
    assert_eq!(empty.body["errors"][0]["code"], "unanswered_question");
    assert_eq!(
        app.get_as(&applicant.token, "/api/v1/me/exam-results")
            .await
            .body["items"],
        json!([])
    );
    let expired_filing = app
        .post_as(
            &employer.token,
            "/api/v1/exams",
            &exam_body(json!({"final_filing_date": "2026-03-01"})),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_problem(
        &take(&app, &applicant, &expired_filing, 100).await,
        409,
        "exam_closed",
    );
}

#[actix_web::test]
async fn the_eligible_list_ranks_by_band_then_score_once_per_person_for_employers_only() {
    let (app, _, id) = setup().await;
    let mut people = Vec::new();
    for (name, points) in [("a", 85), ("b", 100), ("c", 95), ("d", 50), ("e", 90)] {
        let person = app.applicant(&format!("{name}@example.org")).await;
        take(&app, &person, &id, points).await.assert_status(201);
        people.push((name, person));
    }
    let cdcr = app.employer("Sam", "Ortiz", "CDCR").await;
    let list = app
        .get_as(&cdcr.token, "/api/v1/classifications/5393/eligible-list")
        .await;
    list.assert_status(200);
    let emails: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        [
            "b@example.org",
            "c@example.org",
            "e@example.org",
            "a@example.org"
        ]
    );
    assert_eq!(list.body["items"][0]["rank_band"], "95-100");
    assert!(
        !list.text.contains("score") && !list.text.contains("answers"),
        "employers see no scores or answers"
    );

    let page = app
        .get_as(
            &cdcr.token,
            "/api/v1/classifications/5393/eligible-list?limit=3",
        )
        .await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 3);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &cdcr.token,
            &format!("/api/v1/classifications/5393/eligible-list?limit=3&cursor={cursor}"),
        )
        .await;
    assert_eq!(rest.body["items"][0]["email"], "a@example.org");
    assert_eq!(rest.body["next_cursor"], Value::Null);

    let applicant = &people[0].1;
    assert_problem(
        &app.get_as(
            &applicant.token,
            "/api/v1/classifications/5393/eligible-list",
        )
        .await,
        403,
        "forbidden",
    );
    assert_problem(
        &app.get_as(&cdcr.token, "/api/v1/classifications/ZZZZ/eligible-list")
            .await,
        404,
        "not_found",
    );

    app.clock.advance(Duration::days(2 * 366));
    let cdcr = again(&app, &cdcr).await;
    let expired = app
        .get_as(&cdcr.token, "/api/v1/classifications/5393/eligible-list")
        .await;
    assert_eq!(
        expired.body["items"],
        json!([]),
        "expired eligibility leaves the list"
    );
}

#[actix_web::test]
async fn the_consideration_preview_follows_the_viewers_eligibility() {
    let (app, employer, exam) = setup().await;
    let posting = app
        .post_as(
            &employer.token,
            "/api/v1/postings",
            &crate::postings::posting_body(
                json!({"eligibility_required": true, "final_filing_date": "2029-12-31"}),
            ),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{posting}/publish"),
        &json!({}),
    )
    .await
    .assert_status(200);
    let applicant = app.applicant("ana@example.org").await;
    let preview = |token: String| {
        let app = &app;
        let path = format!("/api/v1/postings/{posting}/eligibility");
        async move { app.get_as(&token, &path).await.body }
    };
    let none = preview(applicant.token.clone()).await;
    assert_eq!(none["reasons"][0]["code"], "eligibility_required");
    take(&app, &applicant, &exam, 90).await.assert_status(201);
    let active = preview(applicant.token.clone()).await;
    assert_eq!(
        (
            active["may_apply"].clone(),
            active["considered"].clone(),
            active["reasons"].clone()
        ),
        (json!(true), json!(true), json!([]))
    );
    app.clock.advance(Duration::days(2 * 366));
    let applicant = again(&app, &applicant).await;
    let expired = preview(applicant.token.clone()).await;
    assert_eq!(expired["reasons"][0]["code"], "eligibility_expired");
    assert_eq!(expired["may_apply"], false);
}

async fn set_conditions(app: &TestApp, user: &TestUser, email: &str, conditions: Value) {
    let current = app.get_as(&user.token, "/api/v1/me/profile").await;
    let tag = current.header("etag").to_owned();
    let body = json!({"first_name": "Jane", "last_name": "Applicant", "email": email, "supervisors": [], "conditions": conditions});
    let saved = app
        .send(
            app.request(reqwest::Method::PUT, "/api/v1/me/profile")
                .bearer_auth(&user.token)
                .header("if-match", tag)
                .json(&body),
        )
        .await;
    saved.assert_status(200);
}

#[actix_web::test]
async fn the_eligible_list_is_narrowed_by_conditions_of_employment() {
    let (app, _, id) = setup().await;
    let people = [
        ("any", 100, json!({"accepts_contact": true})),
        (
            "sac",
            95,
            json!({"counties": ["sacramento"], "tenures": ["permanent"], "accepts_contact": true}),
        ),
        (
            "fresno",
            90,
            json!({"counties": ["fresno"], "time_bases": ["part_time"], "accepts_contact": true}),
        ),
        (
            "quiet",
            85,
            json!({"counties": ["sacramento"], "accepts_contact": false}),
        ),
    ];
    for (name, points, conditions) in people {
        let email = format!("{name}@example.org");
        let person = app.applicant(&email).await;
        set_conditions(&app, &person, &email, conditions).await;
        take(&app, &person, &id, points).await.assert_status(201);
    }
    let admin = app.admin().await;
    let emails = |body: &Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["email"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let list = |query: &str| {
        let (app, token) = (&app, admin.token.clone());
        let path = format!("/api/v1/classifications/5393/eligible-list?{query}");
        async move { app.get_as(&token, &path).await.body }
    };
    assert_eq!(
        emails(&list("").await),
        [
            "any@example.org",
            "sac@example.org",
            "fresno@example.org",
            "quiet@example.org"
        ]
    );
    assert_eq!(
        emails(&list("county=sacramento").await),
        ["any@example.org", "sac@example.org", "quiet@example.org"]
    );
    assert_eq!(
        emails(&list("county=sacramento&accepts_contact=true").await),
        ["any@example.org", "sac@example.org"]
    );
    assert_eq!(
        emails(&list("tenure=temporary").await),
        ["any@example.org", "fresno@example.org", "quiet@example.org"]
    );
    assert_eq!(
        emails(&list("time_base=full_time").await),
        ["any@example.org", "sac@example.org", "quiet@example.org"]
    );
    let first = list("county=sacramento&limit=2").await;
    assert_eq!(emails(&first), ["any@example.org", "sac@example.org"]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(
        emails(&list(&format!("county=sacramento&limit=2&cursor={cursor}")).await),
        ["quiet@example.org"]
    );
}

#[actix_web::test]
async fn the_demo_applicants_have_active_expiring_expired_and_failed_results() {
    let app = TestApp::spawn().await;
    app.clock.set(chrono::Utc::now());
    merit_api::demo::load_with(&app.db, 0).await.unwrap();
    merit_api::demo::load_applicants(&app.db, &app.state.documents)
        .await
        .unwrap();
    let maria = app
        .signed_in("maria.santos@example.org", "Poppy.Meadow42")
        .await;
    let statuses = app.get_as(&maria.token, "/api/v1/me/eligibilities").await;
    let by_class = |body: &Value, code: &str| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["classification_code"] == code)
            .map(|e| e["status"].clone())
    };
    assert_eq!(by_class(&statuses.body, "5393"), Some(json!("active")));
    assert_eq!(
        by_class(&statuses.body, "1139"),
        Some(json!("expiring_soon"))
    );
    let david = app
        .signed_in("david.nguyen@example.org", "Poppy.Meadow42")
        .await;
    let his = app.get_as(&david.token, "/api/v1/me/eligibilities").await;
    assert_eq!(by_class(&his.body, "5157"), Some(json!("expired")));
    let results = app.get_as(&david.token, "/api/v1/me/exam-results").await;
    assert!(
        results.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["passed"] == false)
    );
    merit_api::demo::load_applicants(&app.db, &app.state.documents)
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&david.token, "/api/v1/me/exam-results")
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "loading twice adds nothing"
    );
}

#[actix_web::test]
async fn an_exam_id_that_is_not_a_canonical_uuid_is_not_found() {
    let (app, _, id) = setup().await;
    let applicant = app.applicant("ana@example.org").await;
    for bad in ["demo-exam-5393".to_owned(), id.to_uppercase()] {
        assert_problem(
            &app.get(&format!("/api/v1/exams/{bad}")).await,
            404,
            "not_found",
        );
        assert_problem(&take(&app, &applicant, &bad, 10).await, 404, "not_found");
    }
    app.get(&format!("/api/v1/exams/{id}"))
        .await
        .assert_status(200);
}
