//! "May I apply, and will I be considered?"

use chrono::Duration;
use serde_json::{Value, json};

use super::{open, with_dmv_employer};
use crate::support::{TestApp, assert_problem};

async fn preview(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app
        .get_as(token, &format!("/api/v1/postings/{id}/eligibility"))
        .await;
    response.assert_status(200);
    response.body
}

fn codes(body: &Value) -> Vec<&str> {
    body["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_verified_applicant_may_apply_to_an_open_public_posting_and_is_considered() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({})).await;
    let applicant = app.applicant("ana@example.org").await;
    let body = preview(&app, &applicant.token, &id).await;
    assert_eq!(
        body,
        json!({"posting_id": id, "may_apply": true, "considered": true, "reasons": []})
    );
}

#[actix_web::test]
async fn an_unverified_applicant_is_told_to_confirm_the_email_first() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({})).await;
    app.register("new@example.org").await.assert_status(202);
    let unverified = app.signed_in("new@example.org", "Tulip.Harbor7").await;
    let body = preview(&app, &unverified.token, &id).await;
    assert_eq!(body["may_apply"], false);
    assert_eq!(codes(&body), ["email_not_verified"]);
}

#[actix_web::test]
async fn a_posting_that_requires_list_eligibility_answers_eligibility_required_without_it() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({"eligibility_required": true})).await;
    let applicant = app.applicant("ana@example.org").await;
    let body = preview(&app, &applicant.token, &id).await;
    assert_eq!(
        (body["may_apply"].clone(), body["considered"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(codes(&body), ["eligibility_required"]);
    assert_eq!(body["reasons"][0]["blocks_applying"], true);
}

#[actix_web::test]
async fn an_employee_of_another_department_may_apply_to_an_internal_posting_but_is_not_considered()
{
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({"visibility": "internal_only"})).await;
    let outsider = app.employee("2001", "CDCR").await;
    let body = preview(&app, &outsider.token, &id).await;
    assert_eq!(body["may_apply"], true);
    assert_eq!(body["considered"], false);
    assert_eq!(codes(&body), ["internal_only_other_department"]);
    assert_eq!(body["reasons"][0]["blocks_applying"], false);
    let insider = app.employee("1001", "DMV").await;
    let body = preview(&app, &insider.token, &id).await;
    assert_eq!(
        (body["may_apply"].clone(), body["considered"].clone()),
        (json!(true), json!(true))
    );
}

#[actix_web::test]
async fn a_posting_past_its_filing_date_answers_filing_closed() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({"final_filing_date": "2026-03-05"})).await;
    app.applicant("ana@example.org").await;
    app.clock.advance(Duration::days(5));
    let applicant = app.signed_in("ana@example.org", "Tulip.Harbor7").await;
    let body = preview(&app, &applicant.token, &id).await;
    assert_eq!(body["may_apply"], false);
    assert_eq!(codes(&body), ["filing_closed"]);
}

#[actix_web::test]
async fn staff_accounts_are_not_applicants() {
    let (app, employer) = with_dmv_employer().await;
    let id = open(&app, &employer, json!({})).await;
    let staff = app.staff("John", "Doe", "LAO").await;
    let body = preview(&app, &staff.token, &id).await;
    assert!(codes(&body).contains(&"not_an_applicant"));
    assert_eq!(body["may_apply"], false);
}

#[actix_web::test]
async fn the_preview_needs_a_signed_in_person_who_can_see_the_posting() {
    let (app, employer) = with_dmv_employer().await;
    let internal = open(&app, &employer, json!({"visibility": "internal_only"})).await;
    assert_problem(
        &app.get(&format!("/api/v1/postings/{internal}/eligibility"))
            .await,
        401,
        "unauthenticated",
    );
    let applicant = app.applicant("ana@example.org").await;
    let hidden = app
        .get_as(
            &applicant.token,
            &format!("/api/v1/postings/{internal}/eligibility"),
        )
        .await;
    assert_problem(&hidden, 404, "not_found");
}
