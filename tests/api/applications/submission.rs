//! Submission checks: documents, one application per posting, the filing deadline instant,
//! internal-only postings of another department, and list eligibility.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

use super::{applied, start, submit, timeline, upload_resume, world};
use crate::{
    postings::{open, with_dmv_employer},
    support::{PASSWORD, assert_problem},
};

#[actix_web::test]
async fn the_required_documents_must_be_attached() {
    let w = world().await;
    let draft = start(&w.app, &w.applicant, &w.posting, &[]).await;
    let id = draft.body["id"].as_str().unwrap();
    let refused = submit(&w.app, &w.applicant, id, None).await;
    assert_problem(&refused, 409, "documents_missing");
    assert!(refused.body["detail"].as_str().unwrap().contains("resume"));
    let someone_elses = upload_resume(&w.app, &w.app.applicant("ben@example.org").await).await;
    let foreign = start(&w.app, &w.applicant, &w.posting, &[&someone_elses]).await;
    assert_eq!(foreign.body["errors"][0]["code"], "unknown_document");
}

#[actix_web::test]
async fn one_person_applies_once_to_a_posting() {
    let w = world().await;
    let resume = upload_resume(&w.app, &w.applicant).await;
    let first = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let second = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let (a, b) = (
        first.body["id"].as_str().unwrap(),
        second.body["id"].as_str().unwrap(),
    );
    submit(&w.app, &w.applicant, a, None)
        .await
        .assert_status(201);
    assert_problem(
        &submit(&w.app, &w.applicant, b, None).await,
        409,
        "already_applied",
    );
    assert_problem(
        &start(&w.app, &w.applicant, &w.posting, &[]).await,
        409,
        "already_applied",
    );
    assert_problem(
        &submit(&w.app, &w.applicant, a, None).await,
        409,
        "application_not_draft",
    );
}

#[actix_web::test]
async fn a_submission_at_the_filing_deadline_instant_is_refused_and_just_before_accepted() {
    let (app, employer) = with_dmv_employer().await;
    let posting = open(&app, &employer, json!({"final_filing_date": "2026-03-02"})).await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    let mut drafts = Vec::new();
    for person in [&ana, &ben] {
        let resume = upload_resume(&app, person).await;
        let draft = start(&app, person, &posting, &[&resume]).await;
        drafts.push(draft.body["id"].as_str().unwrap().to_owned());
    }
    let closes = Utc.with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap();
    app.clock.set(closes - Duration::microseconds(1));
    let ana = app.signed_in("ana@example.org", PASSWORD).await;
    submit(&app, &ana, &drafts[0], None)
        .await
        .assert_status(201);
    app.clock.set(closes);
    let ben = app.signed_in("ben@example.org", PASSWORD).await;
    assert_problem(
        &submit(&app, &ben, &drafts[1], None).await,
        409,
        "filing_closed",
    );
    assert_problem(
        &start(&app, &ben, &posting, &[]).await,
        409,
        "filing_closed",
    );
}

#[actix_web::test]
async fn an_employee_of_another_department_is_accepted_but_not_considered() {
    let (app, employer) = with_dmv_employer().await;
    let posting = open(
        &app,
        &employer,
        json!({"visibility": "internal_only", "required_documents": []}),
    )
    .await;
    let outsider = app.employee("2001", "CDCR").await;
    let draft = start(&app, &outsider, &posting, &[]).await;
    let id = draft.body["id"].as_str().unwrap();
    let submitted = submit(&app, &outsider, id, None).await;
    submitted.assert_status(201);
    assert_eq!(submitted.body["status"], "not_considered");
    assert_eq!(
        timeline(&app, &outsider, id).await,
        [(
            "not_considered".to_owned(),
            json!("internal_only_other_department"),
            true
        )]
    );
    let insider = app.employee("1001", "DMV").await;
    let id = applied(&app, &insider, &posting).await;
    assert_eq!(timeline(&app, &insider, &id).await[0].0, "received");
}

#[actix_web::test]
async fn a_posting_that_requires_eligibility_refuses_a_person_without_it() {
    let (app, employer) = with_dmv_employer().await;
    let posting = open(
        &app,
        &employer,
        json!({"eligibility_required": true, "required_documents": []}),
    )
    .await;
    let applicant = app.applicant("ana@example.org").await;
    let draft = start(&app, &applicant, &posting, &[]).await;
    let id = draft.body["id"].as_str().unwrap();
    assert_problem(
        &submit(&app, &applicant, id, None).await,
        409,
        "eligibility_required",
    );
}
