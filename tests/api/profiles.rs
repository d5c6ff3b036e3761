//! The profile: contact details, supervisors, conditions of employment, ETag/If-Match, email
//! changes, and the export of everything Merit holds about a person.

use merit_api::clock::Clock;
use merit_domain::{
    reference::{CountyCode, DepartmentCode},
    terms::{PostingTerms, Shift, Tenure, TimeBase},
};
use merit_persistence::profiles;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, TestResponse, TestUser, assert_problem};

const PROFILE: &str = "/api/v1/me/profile";

fn full_profile() -> Value {
    json!({
        "first_name": "Jane",
        "last_name": "Applicant",
        "email": "jane@example.org",
        "phone": "(916) 555-0100",
        "mailing_address": {
            "line1": "1500 Capitol Ave",
            "line2": "Apt 4",
            "city": "Sacramento",
            "state": "CA",
            "postal_code": "95814-2719"
        },
        "supervisors": [
            {"name": "Pat Lee", "title": "Office Manager", "phone": "916-555-0199", "email": "pat.lee@example.org", "employer": "Sacramento Food Bank"},
            {"name": "Sam Ortiz"}
        ],
        "conditions": {
            "tenures": ["permanent", "limited_term"],
            "time_bases": ["full_time"],
            "counties": ["Sacramento", "yolo", "sacramento"],
            "departments": ["dmv"],
            "shifts": ["day", "evening"],
            "accepts_contact": true
        }
    })
}

async fn read(app: &TestApp, user: &TestUser) -> TestResponse {
    let response = app.get_as(&user.token, PROFILE).await;
    response.assert_status(200);
    response
}

async fn put(app: &TestApp, user: &TestUser, etag: Option<&str>, body: &Value) -> TestResponse {
    let mut request = app
        .request(Method::PUT, PROFILE)
        .bearer_auth(&user.token)
        .json(body);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    app.send(request).await
}

async fn person(app: &TestApp, email: &str) -> TestUser {
    app.applicant(email).await
}

#[actix_web::test]
async fn a_new_person_reads_an_empty_profile_with_their_account_names_and_an_etag() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let response = read(&app, &jane).await;
    assert!(response.header("etag").starts_with('"'));
    assert_eq!(response.body["first_name"], "Jane");
    assert_eq!(response.body["email"], "jane@example.org");
    assert_eq!(response.body["email_verified"], true);
    assert_eq!(response.body["supervisors"], json!([]));
    assert_eq!(response.body["conditions"]["accepts_contact"], false);
    assert_eq!(response.body["updated_at"], Value::Null);
}

#[actix_web::test]
async fn a_profile_saved_with_its_etag_reads_back_the_same_under_a_new_etag() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let first = read(&app, &jane).await;
    let saved = put(&app, &jane, Some(first.header("etag")), &full_profile()).await;
    saved.assert_status(200);
    assert_ne!(saved.header("etag"), first.header("etag"));
    let again = read(&app, &jane).await;
    assert_eq!(again.header("etag"), saved.header("etag"));
    assert_eq!(again.body, saved.body);
    assert_eq!(again.body["phone"], "(916) 555-0100");
    let unchanged = app
        .send(
            app.request(Method::GET, PROFILE)
                .bearer_auth(&jane.token)
                .header("If-None-Match", saved.header("etag")),
        )
        .await;
    unchanged.assert_status(304);
    assert_eq!(unchanged.text, "");
    let outdated = app
        .send(
            app.request(Method::GET, PROFILE)
                .bearer_auth(&jane.token)
                .header("If-None-Match", first.header("etag")),
        )
        .await;
    outdated.assert_status(200);
    assert_eq!(again.body["mailing_address"]["postal_code"], "95814-2719");
    assert_eq!(again.body["supervisors"][1]["name"], "Sam Ortiz");
    assert_eq!(again.body["supervisors"][1]["email"], Value::Null);
    assert_eq!(
        again.body["updated_at"],
        json!(
            app.clock
                .now()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        )
    );
}

#[actix_web::test]
async fn replacing_the_profile_without_if_match_is_428_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let response = put(&app, &jane, None, &full_profile()).await;
    assert_problem(&response, 428, "precondition_required");
    assert_eq!(read(&app, &jane).await.body["phone"], Value::Null);
}

#[actix_web::test]
async fn a_save_based_on_a_stale_etag_is_412_and_the_newer_save_stays() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let tab_one = read(&app, &jane).await.header("etag").to_owned();
    let tab_two = tab_one.clone();
    put(&app, &jane, Some(&tab_one), &full_profile())
        .await
        .assert_status(200);
    let mut other = full_profile();
    other["phone"] = json!("916 555 0111");
    let stale = put(&app, &jane, Some(&tab_two), &other).await;
    assert_problem(&stale, 412, "precondition_failed");
    assert_eq!(read(&app, &jane).await.body["phone"], "(916) 555-0100");
    let weak = put(&app, &jane, Some(&format!("W/{tab_one}")), &other).await;
    assert_problem(&weak, 412, "precondition_failed");
}

#[actix_web::test]
async fn every_invalid_field_is_reported_at_once_with_its_path() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let mut body = full_profile();
    body["first_name"] = json!("   ");
    body["phone"] = json!("call me");
    body["mailing_address"]["postal_code"] = json!("9581");
    body["mailing_address"]["state"] = json!("ZZ");
    body["supervisors"][1]["email"] = json!("not-an-address");
    // Malformed, unknown and known codes: the unknown ones (which only the database can tell)
    // are reported with the rest, each under its own index.
    body["conditions"]["counties"] = json!(["los angeles", "atlantis", "yolo"]);
    body["conditions"]["departments"] = json!(["dmv", "NOPE"]);
    let response = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&response, 422, "validation_failed");
    let mut fields: Vec<(String, String)> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("conditions.counties[0]", "invalid_code"),
            ("conditions.counties[1]", "unknown_county"),
            ("conditions.departments[1]", "unknown_department"),
            ("first_name", "blank"),
            ("mailing_address.postal_code", "invalid_postal_code"),
            ("mailing_address.state", "invalid_state"),
            ("phone", "invalid_phone"),
            ("supervisors[1].email", "invalid_email"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert_eq!(read(&app, &jane).await.body["phone"], Value::Null);
}

#[actix_web::test]
async fn too_many_supervisors_and_privileged_fields_are_refused() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let mut body = full_profile();
    body["supervisors"] = json!(vec![json!({"name": "Pat"}); 11]);
    let response = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["field"], "supervisors");
    assert_eq!(response.body["errors"][0]["code"], "too_many");
    let mut body = full_profile();
    body["roles"] = json!(["admin"]);
    assert_problem(
        &put(&app, &jane, Some(&etag), &body).await,
        422,
        "validation_failed",
    );
}

#[actix_web::test]
async fn an_unknown_county_or_department_is_refused_by_name() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let mut body = full_profile();
    body["conditions"]["counties"] = json!(["atlantis"]);
    body["conditions"]["departments"] = json!(["NOPE"]);
    let response = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&response, 422, "validation_failed");
    let errors: Vec<(&str, &str)> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("conditions.counties[0]", "unknown_county"),
            ("conditions.departments[0]", "unknown_department")
        ]
    );
    assert_eq!(read(&app, &jane).await.body["updated_at"], Value::Null);
}

#[actix_web::test]
async fn conditions_of_employment_round_trip_normalised_and_decide_which_postings_fit() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let saved = put(&app, &jane, Some(&etag), &full_profile()).await;
    saved.assert_status(200);
    assert_eq!(
        saved.body["conditions"],
        json!({
            "tenures": ["permanent", "limited_term"],
            "time_bases": ["full_time"],
            "counties": ["sacramento", "yolo"],
            "departments": ["DMV"],
            "shifts": ["day", "evening"],
            "accepts_contact": true
        })
    );
    let id = jane.id.clone();
    let stored = app
        .db
        .read(move |conn| Ok(profiles::find(conn, id.parse().expect("an id"))?))
        .await
        .unwrap()
        .expect("a stored profile");
    let conditions = stored.profile.conditions;
    let terms = |county: &str, department: &str, tenure, time_base, shift| PostingTerms {
        county: CountyCode::parse(county).unwrap(),
        department: DepartmentCode::parse(department).unwrap(),
        tenure,
        time_base,
        shift,
    };
    let fitting = terms(
        "yolo",
        "DMV",
        Tenure::Permanent,
        TimeBase::FullTime,
        Shift::Day,
    );
    assert!(conditions.fits(&fitting));
    assert!(conditions.welcomes_letter_about(&fitting));
    for other in [
        terms(
            "fresno",
            "DMV",
            Tenure::Permanent,
            TimeBase::FullTime,
            Shift::Day,
        ),
        terms(
            "yolo",
            "CHP",
            Tenure::Permanent,
            TimeBase::FullTime,
            Shift::Day,
        ),
        terms(
            "yolo",
            "DMV",
            Tenure::Temporary,
            TimeBase::FullTime,
            Shift::Day,
        ),
        terms(
            "yolo",
            "DMV",
            Tenure::Permanent,
            TimeBase::PartTime,
            Shift::Day,
        ),
        terms(
            "yolo",
            "DMV",
            Tenure::Permanent,
            TimeBase::FullTime,
            Shift::Night,
        ),
    ] {
        assert!(!conditions.fits(&other), "{other}");
    }
}

#[actix_web::test]
async fn changing_the_email_needs_the_right_current_password() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let mut body =
        json!({"first_name": "Jane", "last_name": "Applicant", "email": "jane.new@example.org"});
    let missing = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&missing, 422, "validation_failed");
    assert_eq!(
        missing.body["errors"][0]["code"],
        "current_password_required"
    );
    body["current_password"] = json!("Wrong.Password1");
    let wrong = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&wrong, 422, "validation_failed");
    assert_eq!(wrong.body["errors"][0]["code"], "incorrect_password");
    assert_eq!(read(&app, &jane).await.body["email"], "jane@example.org");
}

#[actix_web::test]
async fn a_new_email_is_unverified_until_its_link_is_used_and_the_old_address_is_told() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let body = json!({
        "first_name": "Janet", "last_name": "Applicant",
        "email": "Janet.New@example.org", "current_password": jane.password
    });
    let saved = put(&app, &jane, Some(&etag), &body).await;
    saved.assert_status(200);
    assert_eq!(saved.body["email"], "Janet.New@example.org");
    assert_eq!(saved.body["email_verified"], false);
    assert_eq!(saved.body["first_name"], "Janet");
    let notice = app.mail_to("jane@example.org").await;
    assert!(
        notice
            .iter()
            .any(|m| m.subject == "Your email address was changed")
    );
    let token = app.last_token_to("Janet.New@example.org").await;
    app.post(
        "/api/v1/auth/email-verifications/confirm",
        &json!({"token": token}),
    )
    .await
    .assert_status(204);
    assert_eq!(read(&app, &jane).await.body["email_verified"], true);
    app.sign_in("jane@example.org", &jane.password)
        .await
        .assert_status(401);
    app.signed_in("janet.new@example.org", &jane.password).await;
    let admin = app.admin().await;
    let events = app
        .get_as(
            &admin.token,
            &format!(
                "/api/v1/admin/audit-events?kind=email_changed&account_id={}",
                jane.id
            ),
        )
        .await;
    assert_eq!(events.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn an_email_address_of_another_account_is_409_email_taken() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    person(&app, "taken@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let body = json!({
        "first_name": "Jane", "last_name": "Applicant",
        "email": "TAKEN@example.org", "current_password": jane.password
    });
    assert_problem(
        &put(&app, &jane, Some(&etag), &body).await,
        409,
        "email_taken",
    );
    assert_eq!(read(&app, &jane).await.body["email"], "jane@example.org");
}

#[actix_web::test]
async fn an_account_with_an_email_address_cannot_drop_it() {
    let app = TestApp::spawn().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let body = json!({"first_name": "Jane", "last_name": "Applicant", "email": null});
    let response = put(&app, &jane, Some(&etag), &body).await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["code"], "email_required");
}

#[actix_web::test]
async fn the_profile_and_the_export_need_a_signed_in_person() {
    let app = TestApp::spawn().await;
    assert_problem(&app.get(PROFILE).await, 401, "unauthenticated");
    assert_problem(&app.get("/api/v1/me/export").await, 401, "unauthenticated");
}

#[actix_web::test]
async fn a_person_sees_only_their_own_profile_and_export() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    let saved = put(&app, &jane, Some(&etag), &full_profile()).await;
    saved.assert_status(200);
    let janes_etag = saved.header("etag").to_owned();
    let other = person(&app, "other@example.org").await;
    let theirs = read(&app, &other).await;
    assert_eq!(theirs.body["email"], "other@example.org");
    assert_eq!(theirs.body["phone"], Value::Null);
    let mut body = full_profile();
    body["email"] = json!("other@example.org");
    // The profile is always the caller's own: another person's version tag does not match it.
    let stolen = put(&app, &other, Some(&janes_etag), &body).await;
    assert_problem(&stolen, 412, "precondition_failed");
    assert_eq!(read(&app, &jane).await.header("etag"), janes_etag);
    let export = app.get_as(&other.token, "/api/v1/me/export").await;
    export.assert_status(200);
    assert_eq!(export.body["account"]["id"], json!(other.id));
    assert_eq!(export.body["profile"]["phone"], Value::Null);
}

#[actix_web::test]
async fn the_export_holds_everything_merit_keeps_about_the_person_and_nothing_of_anyone_else() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = person(&app, "jane@example.org").await;
    let etag = read(&app, &jane).await.header("etag").to_owned();
    put(&app, &jane, Some(&etag), &full_profile())
        .await
        .assert_status(200);
    app.post_as(
        &jane.token,
        "/api/v1/me/templates",
        &json!({"name": "Analyst", "is_default": true}),
    )
    .await
    .assert_status(201);
    let form = reqwest::multipart::Form::new()
        .text("kind", "resume")
        .text("title", "CV")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"Jane Applicant\nAnalyst\n".to_vec())
                .file_name("cv.txt"),
        );
    app.send(
        app.request(Method::POST, "/api/v1/me/documents")
            .bearer_auth(&jane.token)
            .multipart(form),
    )
    .await
    .assert_status(201);
    app.post_as(
        &jane.token,
        "/api/v1/me/saved-searches",
        &json!({"name": "Sacramento", "criteria": {"county": ["sacramento"]}}),
    )
    .await
    .assert_status(201);
    let exam = one_question_exam(&app).await;
    let attempt = app
        .post_as(
            &jane.token,
            &format!("/api/v1/exams/{exam}/attempts"),
            &json!({"answers": [{"question_id": "q1", "option_id": "b"}]}),
        )
        .await;
    attempt.assert_status(201);

    let export = app.get_as(&jane.token, "/api/v1/me/export").await;
    export.assert_status(200);
    let body = &export.body;
    assert_eq!(body["account"]["email"], "jane@example.org");
    assert_eq!(body["profile"]["supervisors"][0]["name"], "Pat Lee");
    assert_eq!(body["templates"][0]["name"], "Analyst");
    assert_eq!(body["documents"][0]["file_name"], "cv.txt");
    assert_eq!(body["documents"][0]["media_type"], "text/plain");
    assert!(body["exported_at"].is_string());
    assert_eq!(body["saved_searches"][0]["name"], "Sacramento");
    assert_eq!(
        body["saved_searches"][0]["criteria"]["county"],
        json!(["sacramento"])
    );
    let result = &body["exam_results"][0];
    assert_eq!(result["id"], attempt.body["id"]);
    assert_eq!(result["exam_id"], json!(exam));
    assert_eq!(result["score"], 90);
    assert_eq!(result["passed"], true);
    assert_eq!(result["rank_band"], "90-94");
    assert_eq!(result["taken_at"], attempt.body["taken_at"]);
    assert_eq!(
        result["answers"],
        json!([{"question_id": "q1", "option_id": "b"}])
    );
    let eligibility = &body["eligibilities"][0];
    assert_eq!(eligibility["attempt_id"], attempt.body["id"]);
    assert_eq!(eligibility["classification_code"], "5393");
    assert_eq!(eligibility["status"], "active");
    assert_eq!(eligibility["rank_band"], "90-94");
    assert_eq!(
        eligibility["expires_at"],
        attempt.body["eligibility_expires_at"]
    );

    // Jane signed in once (the factory) and again, then signed out of the second session.
    let second = app.signed_in("jane@example.org", PASSWORD).await;
    app.send(
        app.request(Method::POST, "/api/v1/auth/logout")
            .bearer_auth(&second.token),
    )
    .await
    .assert_status(204);
    let body = &app.get_as(&jane.token, "/api/v1/me/export").await.body;
    let sessions = body["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions.iter().filter(|s| s["ended_at"].is_null()).count(),
        1
    );
    let ended = sessions.iter().find(|s| !s["ended_at"].is_null()).unwrap();
    assert_eq!(ended["end_reason"], "signed_out");

    // None of it is in anyone else's export.
    let other = person(&app, "other@example.org").await;
    let theirs = app.get_as(&other.token, "/api/v1/me/export").await;
    theirs.assert_status(200);
    for list in [
        "templates",
        "documents",
        "saved_searches",
        "exam_results",
        "eligibilities",
    ] {
        assert_eq!(theirs.body[list], json!([]), "{list}");
    }
}

/// An open exam for classification 5393 made by a DMV employer: one question whose options
/// `a`, `b` and `c` score 0, 90 and 100 (pass mark 70).
async fn one_question_exam(app: &TestApp) -> String {
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let created = app
        .post_as(
            &employer.token,
            "/api/v1/exams",
            &json!({
                "classification_code": "5393",
                "title": "Associate Governmental Program Analyst",
                "description": "A short questionnaire.",
                "list_duration_months": 12,
                "passing_score": 70,
                "retake_wait_days": 90,
                "questions": [{
                    "text": "How many years of analytical experience do you have?",
                    "options": [
                        {"text": "None", "points": 0},
                        {"text": "Three", "points": 90},
                        {"text": "Five", "points": 100}
                    ]
                }]
            }),
        )
        .await;
    created.assert_status(201);
    created.body["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn demo_applicants_have_a_profile_templates_and_documents_and_load_only_once() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    for _ in 0..2 {
        merit_api::demo::load_applicants(&app.db, &app.state.documents)
            .await
            .expect("the demo applicants load");
    }
    let maria = app
        .signed_in("maria.santos@example.org", merit_api::demo::DEMO_PASSWORD)
        .await;
    let profile = read(&app, &maria).await;
    assert_eq!(profile.body["email_verified"], true);
    assert_eq!(
        profile.body["conditions"]["counties"],
        json!(["sacramento"])
    );
    let templates = app.get_as(&maria.token, "/api/v1/me/templates").await;
    let items = templates.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|t| t["is_default"] == true).count(), 1);
    let documents = app.get_as(&maria.token, "/api/v1/me/documents").await;
    let items = documents.body["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    let stored = std::fs::read_dir(app.state.settings.documents_dir())
        .unwrap()
        .flat_map(|shard| std::fs::read_dir(shard.unwrap().path()).unwrap())
        .count();
    assert_eq!(stored, 6, "two documents for each of three applicants");
    // The demo files pass Merit's own content checks.
    for item in items {
        let id = item["id"].as_str().unwrap();
        let bytes = app
            .request(Method::GET, &format!("/api/v1/me/documents/{id}/content"))
            .bearer_auth(&maria.token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let name = item["file_name"].as_str().unwrap().to_owned();
        let form = reqwest::multipart::Form::new()
            .text("kind", "other")
            .text("title", "Copy")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name),
            );
        let copy = app
            .send(
                app.request(Method::POST, "/api/v1/me/documents")
                    .bearer_auth(&maria.token)
                    .multipart(form),
            )
            .await;
        copy.assert_status(201);
        assert_eq!(copy.body["sha256"], item["sha256"]);
    }
}
