//! The department's side: stages with and without notice, bulk moves all or none, the list's
//! order and filter, and submitted documents that outlive their deletion.

use reqwest::Method;
use serde_json::json;

use super::{applied, move_to, pdf, tag_of, timeline, world};
use crate::support::assert_problem;

#[actix_web::test]
async fn a_stage_maps_to_its_public_status_and_may_send_no_notice() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let stages = json!({"stages": [
        {"name": "Phone screen", "status": "under_review", "notify": false},
        {"name": "Panel", "status": "interview"}
    ]});
    let path = "/api/v1/departments/DMV/application-stages";
    let saved = app
        .send_json_as(&employer.token, Method::PUT, path, &stages)
        .await;
    saved.assert_status(200);
    assert_eq!(saved.body["stages"][1]["notify"], true);
    let read = app.get_as(&employer.token, path).await;
    assert_eq!(read.body, saved.body);
    let bad = json!({"stages": [{"name": "Gone", "status": "withdrawn"}]});
    let refused = app
        .send_json_as(&employer.token, Method::PUT, path, &bad)
        .await;
    assert_problem(&refused, 422, "validation_failed");
    let other = app.employer("Olga", "Other", "CDCR").await;
    assert_problem(&app.get_as(&other.token, path).await, 404, "not_found");

    let id = applied(app, &w.applicant, &w.posting).await;
    let tag = tag_of(app, employer, &id).await;
    let moved = move_to(
        app,
        employer,
        &id,
        json!({"stage": "phone screen"}),
        Some(&tag),
    )
    .await;
    moved.assert_status(200);
    assert_eq!(moved.body["stage"], "Phone screen");
    assert_eq!(moved.body["status"], "under_review");
    assert_eq!(
        timeline(app, &w.applicant, &id).await[1],
        ("under_review".to_owned(), json!(null), false)
    );
    let mine = app
        .get_as(&w.applicant.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    assert_eq!(mine.body["stage"], json!(null));
    assert_eq!(mine.body["timeline"][1]["actor_id"], json!(null));
    // The department sees who made each move: the applicant submitted, the employer moved it.
    let seen = app
        .get_as(&employer.token, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(
        seen.body["timeline"][0]["actor_id"],
        w.applicant.id.as_str()
    );
    assert_eq!(seen.body["timeline"][1]["actor_id"], employer.id.as_str());
    let tag = moved.header("etag").to_owned();
    let unknown = move_to(app, employer, &id, json!({"stage": "Coffee"}), Some(&tag)).await;
    assert_eq!(unknown.body["errors"][0]["code"], "unknown_stage");
}

#[actix_web::test]
async fn a_bulk_move_changes_every_application_or_none() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let mut ids = Vec::new();
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        let person = app.applicant(email).await;
        ids.push(applied(app, &person, &w.posting).await);
    }
    let path = "/api/v1/application-status-changes";
    let body =
        json!({"application_ids": [ids[0]], "status": "not_eligible", "reason": "we_declined"});
    app.post_as(&employer.token, path, &body)
        .await
        .assert_status(200);
    let all = json!({"application_ids": ids, "status": "under_review"});
    let refused = app.post_as(&employer.token, path, &all).await;
    assert_problem(&refused, 409, "application_final");
    assert!(refused.body["detail"].as_str().unwrap().contains(&ids[0]));
    let list = format!(
        "/api/v1/postings/{}/applications?status=under_review",
        w.posting
    );
    let under_review = app.get_as(&employer.token, &list).await;
    assert_eq!(under_review.body["items"], json!([]));
    let rest = json!({"application_ids": [ids[1], ids[2]], "status": "under_review"});
    let moved = app.post_as(&employer.token, path, &rest).await;
    moved.assert_status(200);
    assert_eq!(moved.body["items"].as_array().unwrap().len(), 2);
    let under_review = app.get_as(&employer.token, &list).await;
    let listed: Vec<_> = under_review.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, [ids[1].clone(), ids[2].clone()]);
    let twice = json!({"application_ids": [ids[1], ids[1]], "status": "eligible"});
    assert_problem(
        &app.post_as(&employer.token, path, &twice).await,
        422,
        "validation_failed",
    );
}

#[actix_web::test]
async fn the_list_pages_in_submission_order_when_nobody_is_ranked() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let mut ids = Vec::new();
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        let person = app.applicant(email).await;
        ids.push(applied(app, &person, &w.posting).await);
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let base = format!("/api/v1/postings/{}/applications?limit=2", w.posting);
    let first = app.get_as(&employer.token, &base).await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(&employer.token, &format!("{base}&cursor={cursor}"))
        .await;
    assert_eq!(first.body["items"][0]["id"], ids[0].as_str());
    assert_eq!(first.body["items"][1]["id"], ids[1].as_str());
    assert_eq!(second.body["items"][0]["id"], ids[2].as_str());
    assert_eq!(second.body["next_cursor"], json!(null));
    assert_eq!(first.body["items"][0]["rank_band"], json!(null));
    assert_eq!(first.body["items"][0]["conditions_fit"], true);
}

#[actix_web::test]
async fn a_submitted_document_stays_readable_after_its_owner_deletes_it() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let id = applied(app, applicant, &w.posting).await;
    let read = app
        .get_as(&w.employer.token, &format!("/api/v1/applications/{id}"))
        .await;
    let document = read.body["documents"][0]["id"].as_str().unwrap().to_owned();
    app.send(
        app.request(Method::DELETE, &format!("/api/v1/me/documents/{document}"))
            .bearer_auth(&applicant.token),
    )
    .await
    .assert_status(204);
    let content = format!("/api/v1/applications/{id}/documents/{document}/content");
    let download = app.get_as(&w.employer.token, &content).await;
    download.assert_status(200);
    assert_eq!(download.text.as_bytes(), pdf().as_slice());
    let other = app.employer("Olga", "Other", "CDCR").await;
    assert_problem(&app.get_as(&other.token, &content).await, 404, "not_found");
}
