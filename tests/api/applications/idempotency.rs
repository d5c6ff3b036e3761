//! Idempotent submission: a replay answers the first answer, a reused key is refused, and
//! concurrent submissions with one key make one application.

use serde_json::json;

use super::{start, submit, timeline, upload_resume, world};
use crate::support::assert_problem;

#[actix_web::test]
async fn the_same_key_replays_the_first_answer() {
    let w = world().await;
    let resume = upload_resume(&w.app, &w.applicant).await;
    let draft = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let id = draft.body["id"].as_str().unwrap();
    let key = "5f0c8a52-6a8e-4b7e-9d38-1f1f6f5d2a10";
    let first = submit(&w.app, &w.applicant, id, Some(key)).await;
    first.assert_status(201);
    assert_eq!(first.header("idempotency-replayed"), "");
    let replay = submit(&w.app, &w.applicant, id, Some(&format!("\"{key}\""))).await;
    replay.assert_status(201);
    assert_eq!(replay.header("idempotency-replayed"), "true");
    assert_eq!(replay.text, first.text);
    assert_eq!(replay.header("location"), first.header("location"));
    assert_eq!(timeline(&w.app, &w.applicant, id).await.len(), 1);
}

#[actix_web::test]
async fn a_key_used_for_another_application_is_refused() {
    let w = world().await;
    let resume = upload_resume(&w.app, &w.applicant).await;
    let draft = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let id = draft.body["id"].as_str().unwrap();
    submit(&w.app, &w.applicant, id, Some("key-1"))
        .await
        .assert_status(201);
    let other = crate::postings::open(&w.app, &w.employer, json!({})).await;
    let second = start(&w.app, &w.applicant, &other, &[&resume]).await;
    let second_id = second.body["id"].as_str().unwrap();
    assert_problem(
        &submit(&w.app, &w.applicant, second_id, Some("key-1")).await,
        422,
        "idempotency_key_reused",
    );
    assert_problem(
        &submit(&w.app, &w.applicant, second_id, Some("bad key")).await,
        400,
        "invalid_idempotency_key",
    );
    submit(&w.app, &w.applicant, second_id, Some("key-2"))
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn two_concurrent_submissions_with_one_key_make_one_application() {
    let w = world().await;
    let resume = upload_resume(&w.app, &w.applicant).await;
    let draft = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let id = draft.body["id"].as_str().unwrap();
    let key = "0d4a9a36-6a4c-4f3e-8a0e-d7a3b2c1e0f9";
    let (a, b) = tokio::join!(
        submit(&w.app, &w.applicant, id, Some(key)),
        submit(&w.app, &w.applicant, id, Some(key))
    );
    a.assert_status(201);
    b.assert_status(201);
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(a.text, b.text);
    let replays = [&a, &b]
        .iter()
        .filter(|r| r.header("idempotency-replayed") == "true")
        .count();
    assert_eq!(replays, 1);
    assert_eq!(timeline(&w.app, &w.applicant, id).await.len(), 1);
    let mine = w
        .app
        .get_as(&w.applicant.token, "/api/v1/me/applications")
        .await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_key_is_forgotten_after_24_hours() {
    let w = world().await;
    let resume = upload_resume(&w.app, &w.applicant).await;
    let draft = start(&w.app, &w.applicant, &w.posting, &[&resume]).await;
    let id = draft.body["id"].as_str().unwrap();
    submit(&w.app, &w.applicant, id, Some("day-key"))
        .await
        .assert_status(201);
    w.app.clock.advance(chrono::Duration::hours(23));
    let applicant = w
        .app
        .signed_in(&w.applicant.login, &w.applicant.password)
        .await;
    let replay = submit(&w.app, &applicant, id, Some("day-key")).await;
    assert_eq!(replay.header("idempotency-replayed"), "true");
    w.app.clock.advance(chrono::Duration::hours(2));
    let applicant = w
        .app
        .signed_in(&w.applicant.login, &w.applicant.password)
        .await;
    assert_problem(
        &submit(&w.app, &applicant, id, Some("day-key")).await,
        409,
        "application_not_draft",
    );
}
