//! What applications take from a request: ids in paths and bodies, free text, conditional reads.

use reqwest::Method;
use serde_json::json;

use super::{applied, move_to, start, tag_of, world};
use crate::{identity::field_errors, support::assert_problem};

#[actix_web::test]
async fn an_application_id_that_is_not_a_canonical_uuid_names_nothing() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let id = applied(app, applicant, &w.posting).await;
    for other in [id.to_uppercase(), format!("{{{id}}}"), "draft-1".to_owned()] {
        for path in [
            format!("/api/v1/applications/{other}"),
            format!("/api/v1/me/applications/{other}"),
        ] {
            assert_problem(&app.get_as(&applicant.token, &path).await, 404, "not_found");
        }
        let withdraw = app
            .post_as(
                &applicant.token,
                &format!("/api/v1/applications/{other}/withdraw"),
                &json!({}),
            )
            .await;
        assert_problem(&withdraw, 404, "not_found");
    }
    let mine = app
        .get_as(&applicant.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    assert_eq!(mine.body["status"], "received");
}

#[actix_web::test]
async fn ids_in_a_draft_are_checked_each_at_its_path_and_nothing_is_stored() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let good = w.posting.clone();
    let response = app
        .post_as(
            &applicant.token,
            "/api/v1/applications",
            &json!({
                "posting_id": good.to_uppercase(),
                "template_id": "",
                "document_ids": [good, "not-an-id"],
            }),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(
        field_errors(&response),
        [
            ("posting_id".to_owned(), "invalid_id".to_owned()),
            ("template_id".to_owned(), "invalid_id".to_owned()),
            ("document_ids[1]".to_owned(), "invalid_id".to_owned()),
        ]
    );
    let list = app
        .get_as(&applicant.token, "/api/v1/me/applications")
        .await;
    list.assert_status(200);
    assert_eq!(list.body["items"], json!([]));
}

#[actix_web::test]
async fn notes_and_stage_names_follow_the_free_text_rules_and_a_refused_move_changes_nothing() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let id = applied(app, applicant, &w.posting).await;
    let blank = app
        .post_as(
            &applicant.token,
            &format!("/api/v1/applications/{id}/withdraw"),
            &json!({"note": "   "}),
        )
        .await;
    assert_problem(&blank, 422, "validation_failed");
    assert_eq!(
        field_errors(&blank),
        [("note".to_owned(), "blank".to_owned())]
    );
    let tag = tag_of(app, &w.employer, &id).await;
    let control = move_to(
        app,
        &w.employer,
        &id,
        json!({"status": "under_review", "note": "bell\u{7}"}),
        Some(&tag),
    )
    .await;
    assert_eq!(
        field_errors(&control),
        [("note".to_owned(), "control_character".to_owned())]
    );
    let stage = move_to(app, &w.employer, &id, json!({"stage": "   "}), Some(&tag)).await;
    assert_eq!(
        field_errors(&stage),
        [("stage".to_owned(), "blank".to_owned())]
    );
    let long = move_to(
        app,
        &w.employer,
        &id,
        json!({"stage": "x".repeat(61)}),
        Some(&tag),
    )
    .await;
    assert_eq!(
        field_errors(&long),
        [("stage".to_owned(), "too_long".to_owned())]
    );
    // Nothing moved: the version and the applicant's status are as before.
    assert_eq!(tag_of(app, &w.employer, &id).await, tag);
    let mine = app
        .get_as(&applicant.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    assert_eq!(mine.body["status"], "received");
    let kept = move_to(
        app,
        &w.employer,
        &id,
        json!({"status": "under_review", "note": "  Line one\n\tline two  "}),
        Some(&tag),
    )
    .await;
    kept.assert_status(200);
    let read = app
        .get_as(&w.employer.token, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(read.body["timeline"][1]["note"], "Line one\n\tline two");
}

#[actix_web::test]
async fn the_applicants_copy_answers_304_while_unchanged() {
    let w = world().await;
    let (app, applicant) = (&w.app, &w.applicant);
    let resume = super::upload_resume(app, applicant).await;
    let draft = start(app, applicant, &w.posting, &[&resume]).await;
    let id = draft.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/me/applications/{id}");
    let first = app.get_as(&applicant.token, &path).await;
    first.assert_status(200);
    let tag = first.header("etag").to_owned();
    let again = app
        .send(
            app.request(Method::GET, &path)
                .bearer_auth(&applicant.token)
                .header("if-none-match", &tag),
        )
        .await;
    again.assert_status(304);
    super::submit(app, applicant, &id, None)
        .await
        .assert_status(201);
    let changed = app
        .send(
            app.request(Method::GET, &path)
                .bearer_auth(&applicant.token)
                .header("if-none-match", &tag),
        )
        .await;
    changed.assert_status(200);
    assert_ne!(changed.header("etag"), tag);
}
