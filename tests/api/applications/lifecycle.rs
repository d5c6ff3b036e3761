//! Withdrawal, cancellation of a posting, filling, and the transition table over HTTP.

use serde_json::{Value, json};

use super::{applied, move_to, start, tag_of, timeline, world};
use crate::support::assert_problem;

#[actix_web::test]
async fn withdrawing_is_idempotent_and_closes_the_application() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let id = applied(app, applicant, &w.posting).await;
    let path = format!("/api/v1/applications/{id}/withdraw");
    let first = app
        .post_as(
            &applicant.token,
            &path,
            &json!({"note": "Took another job"}),
        )
        .await;
    first.assert_status(200);
    assert_eq!(first.body["status"], "withdrawn");
    assert_eq!(first.body["timeline"][1]["note"], "Took another job");
    let again = app
        .send(
            app.request(reqwest::Method::POST, &path)
                .bearer_auth(&applicant.token),
        )
        .await;
    again.assert_status(200);
    assert_eq!(again.body["version"], first.body["version"]);
    assert_eq!(
        timeline(app, applicant, &id).await[1],
        ("withdrawn".to_owned(), json!("they_declined"), true)
    );
    let tag = tag_of(app, &w.employer, &id).await;
    let moved = move_to(
        app,
        &w.employer,
        &id,
        json!({"status": "under_review"}),
        Some(&tag),
    )
    .await;
    assert_problem(&moved, 409, "application_final");
}

#[actix_web::test]
async fn drafts_are_deleted_not_withdrawn_and_hired_applications_stay() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let draft = start(app, applicant, &w.posting, &[]).await;
    let draft_id = draft.body["id"].as_str().unwrap();
    let path = format!("/api/v1/applications/{draft_id}/withdraw");
    assert_problem(
        &app.post_as(&applicant.token, &path, &json!({})).await,
        409,
        "application_not_submitted",
    );
    let id = applied(app, applicant, &w.posting).await;
    for step in ["eligible", "referred", "offer", "hired"] {
        let tag = tag_of(app, &w.employer, &id).await;
        move_to(app, &w.employer, &id, json!({"status": step}), Some(&tag))
            .await
            .assert_status(200);
    }
    let path = format!("/api/v1/applications/{id}/withdraw");
    assert_problem(
        &app.post_as(&applicant.token, &path, &json!({})).await,
        409,
        "already_hired",
    );
}

#[actix_web::test]
async fn cancelling_a_posting_cancels_its_open_applications_with_a_notice() {
    let w = world().await;
    let app = &w.app;
    let open_one = applied(app, &w.applicant, &w.posting).await;
    let other = app.applicant("ben@example.org").await;
    let closed_one = applied(app, &other, &w.posting).await;
    let tag = tag_of(app, &w.employer, &closed_one).await;
    let body = json!({"status": "not_selected", "reason": "we_declined"});
    move_to(app, &w.employer, &closed_one, body, Some(&tag))
        .await
        .assert_status(200);
    app.post_as(
        &w.employer.token,
        &format!("/api/v1/postings/{}/cancel", w.posting),
        &json!({}),
    )
    .await
    .assert_status(200);
    assert_eq!(
        timeline(app, &w.applicant, &open_one).await[1],
        ("cancelled".to_owned(), json!("process_ended"), true)
    );
    let untouched = timeline(app, &other, &closed_one).await;
    assert_eq!(untouched.len(), 2);
    assert_eq!(untouched[1].0, "not_selected");
    assert!(
        app.mail_to("ana@example.org")
            .await
            .iter()
            .any(|m| m.subject.contains("cancelled"))
    );
}

#[actix_web::test]
async fn a_posting_is_filled_only_when_every_application_is_final() {
    let w = world().await;
    let app = &w.app;
    let id = applied(app, &w.applicant, &w.posting).await;
    let fill = format!("/api/v1/postings/{}/fill", w.posting);
    assert_problem(
        &app.post_as(&w.employer.token, &fill, &json!({})).await,
        409,
        "posting_not_closed",
    );
    app.post_as(
        &w.employer.token,
        &format!("/api/v1/postings/{}/close", w.posting),
        &json!({}),
    )
    .await
    .assert_status(200);
    let refused = app.post_as(&w.employer.token, &fill, &json!({})).await;
    assert_problem(&refused, 409, "applications_not_final");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("1 application")
    );
    let tag = tag_of(app, &w.employer, &id).await;
    let body = json!({"status": "not_selected", "reason": "process_ended"});
    move_to(app, &w.employer, &id, body, Some(&tag))
        .await
        .assert_status(200);
    let filled = app.post_as(&w.employer.token, &fill, &json!({})).await;
    filled.assert_status(200);
    assert_eq!(filled.body["posting_id"], w.posting.as_str());
    assert_problem(
        &app.post_as(&w.employer.token, &fill, &json!({})).await,
        409,
        "already_filled",
    );
}

#[actix_web::test]
async fn every_illegal_move_is_refused_with_its_code() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let id = applied(app, &w.applicant, &w.posting).await;
    let tag = tag_of(app, employer, &id).await;
    let cases: [(Value, u16, &str); 6] = [
        (json!({"status": "offer"}), 409, "invalid_transition"),
        (json!({"status": "hired"}), 409, "invalid_transition"),
        (json!({"status": "withdrawn"}), 409, "invalid_transition"),
        (json!({"status": "not_selected"}), 422, "validation_failed"),
        (
            json!({"status": "under_review", "reason": "we_declined"}),
            422,
            "validation_failed",
        ),
        (
            json!({"status": "eligible", "stage": "Screen"}),
            422,
            "validation_failed",
        ),
    ];
    for (body, status, code) in cases {
        let response = move_to(app, employer, &id, body.clone(), Some(&tag)).await;
        assert_problem(&response, status, code);
    }
    let reason = move_to(
        app,
        employer,
        &id,
        json!({"status": "not_selected"}),
        Some(&tag),
    )
    .await;
    assert_eq!(reason.body["errors"][0]["code"], "reason_required");
    assert_problem(
        &move_to(app, employer, &id, json!({"status": "under_review"}), None).await,
        428,
        "precondition_required",
    );
    assert_problem(
        &move_to(
            app,
            employer,
            &id,
            json!({"status": "under_review"}),
            Some("\"99\""),
        )
        .await,
        412,
        "precondition_failed",
    );
    let body = json!({"status": "not_eligible", "reason": "we_declined"});
    move_to(app, employer, &id, body, Some(&tag))
        .await
        .assert_status(200);
    let tag = tag_of(app, employer, &id).await;
    assert_problem(
        &move_to(
            app,
            employer,
            &id,
            json!({"status": "eligible"}),
            Some(&tag),
        )
        .await,
        409,
        "application_final",
    );
    assert_eq!(timeline(app, &w.applicant, &id).await.len(), 2);
}
