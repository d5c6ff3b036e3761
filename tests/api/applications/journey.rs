//! The whole journey: draft, attach, submit, and every step to hired, with the timeline
//! checked at each step and the emails sent.

use reqwest::Method;
use serde_json::{Value, json};

use super::{move_to, start, submit, timeline, upload_resume, world};

#[actix_web::test]
async fn an_application_goes_from_draft_to_hired_and_the_applicant_sees_every_step() {
    let w = world().await;
    let (app, applicant, employer) = (&w.app, &w.applicant, &w.employer);
    let draft = start(app, applicant, &w.posting, &[]).await;
    draft.assert_status(201);
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(draft.body["timeline"], json!([]));
    let id = draft.body["id"].as_str().unwrap().to_owned();
    let mine = app
        .get_as(&applicant.token, "/api/v1/me/applications")
        .await;
    assert_eq!(mine.body["items"][0]["status"], "draft");

    let resume = upload_resume(app, applicant).await;
    let patched = app
        .send(
            app.request(Method::PATCH, &format!("/api/v1/applications/{id}"))
                .bearer_auth(&applicant.token)
                .header("content-type", "application/merge-patch+json")
                .header("if-match", draft.header("etag"))
                .body(json!({"document_ids": [resume]}).to_string()),
        )
        .await;
    patched.assert_status(200);
    assert_eq!(patched.body["document_ids"], json!([resume]));
    assert_eq!(patched.body["version"], 2);

    let submitted = submit(app, applicant, &id, None).await;
    submitted.assert_status(201);
    assert_eq!(submitted.body["status"], "received");
    assert_eq!(submitted.body["documents"][0]["id"], resume.as_str());
    assert_eq!(submitted.body["snapshot"]["profile"]["first_name"], "Jane");
    assert_eq!(
        timeline(app, applicant, &id).await,
        [("received".to_owned(), Value::Null, true)]
    );

    let list = app
        .get_as(
            &employer.token,
            &format!("/api/v1/postings/{}/applications", w.posting),
        )
        .await;
    list.assert_status(200);
    assert_eq!(list.body["items"][0]["id"], id.as_str());
    assert_eq!(list.body["items"][0]["last_name"], "Applicant");
    assert_eq!(list.body["items"][0]["email"], "ana@example.org");

    let mut tag = submitted.header("etag").to_owned();
    let steps = [
        "under_review",
        "eligible",
        "referred",
        "interview",
        "offer",
        "hired",
    ];
    for (i, step) in steps.iter().enumerate() {
        let moved = move_to(app, employer, &id, json!({"status": step}), Some(&tag)).await;
        moved.assert_status(200);
        assert_eq!(moved.body["status"], *step);
        tag = moved.header("etag").to_owned();
        let seen = timeline(app, applicant, &id).await;
        assert_eq!(seen.len(), i + 2);
        assert_eq!(seen[i + 1], ((*step).to_owned(), Value::Null, true));
    }
    let mine = app
        .get_as(&applicant.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    assert_eq!(mine.body["status"], "hired");
    assert_eq!(mine.body["timeline"][1]["actor_id"], Value::Null);
    let mails = app.mail_to("ana@example.org").await;
    let notices: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Your application"))
        .collect();
    assert_eq!(notices.len(), 7);
    assert!(notices[6].subject.contains("hired"));
}
