//! Correspondence: templates with merge fields (unknown ones refused), letters from them to a
//! case's person (inbox and email), the office's and my lists, counts created, and who may do
//! what (staff of another office 404, employers and applicants 403, anonymous 401).

use serde_json::{Value, json};

use super::{audit, case_for, ids, open_employer, world};
use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

const TEMPLATES: &str = "/api/v1/staff/correspondence/templates";
const LETTERS: &str = "/api/v1/staff/correspondence";

fn template(name: &str) -> Value {
    json!({
        "name": name,
        "subject": "Your appointment, {{first_name}}",
        "body": "Dear {{first_name}} {{ last_name }},\n\nPlease bring your résumé (case {{case_id}}).\n\n{{staff_name}}, {{office_name}}"
    })
}

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> TestResponse {
    app.post_as(&user.token, TEMPLATES, body).await
}

async fn send(app: &TestApp, user: &TestUser, case: &str, template: &str) -> TestResponse {
    app.post_as(
        &user.token,
        LETTERS,
        &json!({"case_id": case, "template_id": template}),
    )
    .await
}

#[actix_web::test]
async fn a_letter_from_a_template_reaches_the_cases_person_with_its_fields_merged() {
    let w = world().await;
    let app = &w.app;
    let created = create(app, &w.chen, &template("Appointment")).await;
    created.assert_status(201);
    assert_eq!(created.body["office_code"], "LAO");
    let tpl = created.body["id"].as_str().unwrap().to_owned();
    let case = case_for(app, &w.chen, &w.ana.id).await;

    let sent = send(app, &w.lee, &case, &tpl).await;
    sent.assert_status(201);
    assert_eq!(sent.body["subject"], "Your appointment, Jane");
    let body = sent.body["body"].as_str().unwrap();
    assert!(body.starts_with("Dear Jane "), "{body}");
    assert!(body.contains(&format!("(case {case})")), "{body}");
    assert!(body.contains("Dana Lee, Los Angeles"), "{body}");
    assert!(!body.contains("{{"), "{body}");
    assert_eq!(sent.body["staff_id"], w.lee.id);
    assert_eq!(sent.body["account_id"], w.ana.id);

    // In Ana's inbox and by email.
    let inbox = app
        .get_as(&w.ana.token, "/api/v1/me/messages?kind=correspondence")
        .await;
    let items = inbox.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], sent.body["message_id"]);
    assert_eq!(items[0]["subject"], "Your appointment, Jane");
    assert_eq!(items[0]["emailed"], true);
    let mail: Vec<_> = app
        .mail_to("ana@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject == "Your appointment, Jane")
        .collect();
    assert_eq!(mail.len(), 1);
    assert!(mail[0].text.contains("Please bring your résumé"));

    // Mine and the office's; the counts agree.
    send(app, &w.chen, &case, &tpl).await.assert_status(201);
    let office = app.get_as(&w.chen.token, LETTERS).await;
    assert_eq!(ids(&office.body).len(), 2);
    let mine = app
        .get_as(&w.chen.token, &format!("{LETTERS}?mine=true"))
        .await;
    assert_eq!(ids(&mine.body).len(), 1);
    let counts = app
        .get_as(
            &w.chen.token,
            &format!("{LETTERS}/counts?from=2026-03-02&to=2026-03-02"),
        )
        .await;
    counts.assert_status(200);
    assert_eq!(counts.body["created"], 2);
    assert_eq!(counts.body["staff"].as_array().unwrap().len(), 2);
    let tomorrow = app
        .get_as(&w.chen.token, &format!("{LETTERS}/counts?from=2026-03-03"))
        .await;
    assert_eq!(tomorrow.body["created"], 0);
    let mine_count = app
        .get_as(&w.lee.token, &format!("{LETTERS}/counts?mine=true"))
        .await;
    assert_eq!(
        mine_count.body,
        json!({"created": 1, "staff": [{"staff_id": w.lee.id, "created": 1}]})
    );
    // The dashboard's use case counts per staff member and half-open period.
    let created = |staff: &str, from: &str, to: &str| {
        let staff: merit_domain::ids::AccountId = staff.parse().unwrap();
        let (from, to) = (crate::letters::at(from), crate::letters::at(to));
        app.db.read(move |conn| {
            merit_api::services::staff::correspondence::created_count(conn, staff, from, to)
        })
    };
    assert_eq!(
        created(&w.lee.id, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        created(
            &w.lee.id,
            "2026-03-02T09:30:00.000001Z",
            "2026-03-03T00:00:00Z"
        )
        .await
        .unwrap(),
        0
    );
    assert_eq!(
        created(&w.sfo.id, "2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z")
            .await
            .unwrap(),
        0
    );
    // Another office sees none of it.
    assert!(ids(&app.get_as(&w.sfo.token, LETTERS).await.body).is_empty());
    assert_eq!(audit(app, "correspondence_sent").await.len(), 2);
    assert_eq!(audit(app, "letter_template_created").await.len(), 1);
}

#[actix_web::test]
async fn unknown_merge_fields_are_refused_when_the_template_is_written() {
    let w = world().await;
    let app = &w.app;
    let bad = create(
        app,
        &w.chen,
        &json!({"name": "Bad", "subject": "Hi {{nickname}}", "body": "Dear {{first_name"}),
    )
    .await;
    assert_problem(&bad, 422, "validation_failed");
    let errors: Vec<(String, String)> = bad.body["errors"]
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
    assert_eq!(
        errors,
        [
            ("subject".to_owned(), "unknown_merge_field".to_owned()),
            ("body".to_owned(), "unknown_merge_field".to_owned())
        ]
    );
    assert!(ids(&app.get_as(&w.chen.token, TEMPLATES).await.body).is_empty());
    create(app, &w.chen, &template("Appointment"))
        .await
        .assert_status(201);
    assert_problem(
        &create(app, &w.lee, &template("APPOINTMENT")).await,
        409,
        "template_name_taken",
    );
    // Staff write for their own office; admins name one.
    let elsewhere = create(
        app,
        &w.chen,
        &json!({"office_code": "SFO", "name": "X", "subject": "S", "body": "B"}),
    )
    .await;
    assert_problem(&elsewhere, 422, "validation_failed");
    assert_eq!(elsewhere.body["errors"][0]["code"], "unknown_office");
    let admin = app.admin().await;
    let unnamed = create(app, &admin, &template("Admin's")).await;
    assert_eq!(unnamed.body["errors"][0]["code"], "required");
    let mut named = template("Admin's");
    named["office_code"] = json!("SFO");
    let sfo = create(app, &admin, &named).await;
    sfo.assert_status(201);
    assert_eq!(sfo.body["office_code"], "SFO");
    assert_eq!(
        ids(&app.get_as(&w.chen.token, TEMPLATES).await.body).len(),
        1
    );
    assert_eq!(
        ids(&app.get_as(&admin.token, TEMPLATES).await.body).len(),
        2
    );
}

#[actix_web::test]
async fn letters_go_only_to_cases_and_templates_of_the_callers_office() {
    let w = world().await;
    let app = &w.app;
    let lao = create(app, &w.chen, &template("LAO letter")).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sfo = create(app, &w.sfo, &template("SFO letter")).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case = case_for(app, &w.chen, &w.ana.id).await;
    // Staff of another office: the case does not exist for them.
    assert_problem(&send(app, &w.sfo, &case, &sfo).await, 404, "not_found");
    // A template of another office is not one the case can use.
    let foreign = send(app, &w.chen, &case, &sfo).await;
    assert_problem(&foreign, 422, "validation_failed");
    assert_eq!(foreign.body["errors"][0]["code"], "unknown_template");
    // An employer's case has no person to write to.
    let employer_case = open_employer(app, &w.chen, json!({"name": "Acme"})).await;
    let employer_case = employer_case.body["id"].as_str().unwrap().to_owned();
    assert_problem(
        &send(app, &w.chen, &employer_case, &lao).await,
        409,
        "not_an_individual_case",
    );
    let malformed = app
        .post_as(
            &w.chen.token,
            LETTERS,
            &json!({"case_id": "nope", "template_id": lao}),
        )
        .await;
    assert_eq!(malformed.body["errors"][0]["code"], "invalid_id");
    // Neither staff nor admin: 403; anonymous: 401.
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    for outsider in [&employer, &w.ana] {
        assert_problem(&send(app, outsider, &case, &lao).await, 403, "forbidden");
        assert_problem(
            &app.get_as(&outsider.token, LETTERS).await,
            403,
            "forbidden",
        );
        assert_problem(
            &app.get_as(&outsider.token, TEMPLATES).await,
            403,
            "forbidden",
        );
        assert_problem(
            &create(app, outsider, &template("X")).await,
            403,
            "forbidden",
        );
    }
    assert_problem(&app.get(LETTERS).await, 401, "unauthenticated");
    // Nothing was delivered by any refused call.
    let inbox = app
        .get_as(&w.ana.token, "/api/v1/me/messages?kind=correspondence")
        .await;
    assert_eq!(inbox.body["items"], json!([]));
    // An admin may write for any office's case.
    let admin = app.admin().await;
    send(app, &admin, &case, &lao).await.assert_status(201);
    // A closed case takes no more letters.
    let tag = app
        .get_as(&w.chen.token, &format!("/api/v1/staff/cases/{case}"))
        .await
        .header("etag")
        .to_owned();
    app.send(
        app.request(
            reqwest::Method::POST,
            &format!("/api/v1/staff/cases/{case}/status"),
        )
        .bearer_auth(&w.chen.token)
        .header("if-match", tag)
        .json(&json!({"status": "closed", "reason": "employed"})),
    )
    .await
    .assert_status(200);
    assert_problem(&send(app, &w.chen, &case, &lao).await, 409, "case_closed");
}
