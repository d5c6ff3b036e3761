//! Mail is never dropped silently: after its last attempt an email is failed, counted in
//! `/metrics`, listed for admins and queued again by them (audited), and then delivered.

use chrono::Duration;
use figment::providers::Serialized;
use merit_api::{
    clock::Clock,
    mail::{self, Message},
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{FakeSmtp, TestApp, assert_problem};

/// Queues one email for `to`.
async fn enqueue(app: &TestApp, to: &str) {
    let now = app.clock.now();
    let to = to.to_owned();
    app.db
        .write(move |conn| {
            let message = Message {
                kind: "test_notice",
                subject: "Hello there".into(),
                text: "A body that never reaches a log.".into(),
                html: "<p>A body that never reaches a log.</p>".into(),
            };
            Ok(mail::enqueue(conn, &to, message, now)?)
        })
        .await
        .unwrap();
}

/// The admins' list of outbox emails with `query`.
async fn outbox(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app
        .get_as(token, &format!("/api/v1/admin/outbox{query}"))
        .await;
    response.assert_status(200);
    response.body["items"].as_array().unwrap().clone()
}

/// How many outbox emails are failed, read from the database.
async fn failed_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use merit_persistence::schema::outbox_emails;
    app.db
        .read(|conn| {
            outbox_emails::table
                .filter(outbox_emails::failed_at.is_not_null())
                .count()
                .get_result(conn)
                .map_err(merit_api::error::ApiError::internal)
        })
        .await
        .unwrap()
}

/// Runs delivery passes an hour apart until the email is failed.
async fn fail_for_good(app: &TestApp) {
    for _ in 0..40 {
        mail::worker::deliver_due(&app.state).await.unwrap();
        if failed_count(app).await > 0 {
            return;
        }
        app.clock.advance(Duration::hours(1));
    }
    panic!("the email was never given up");
}

#[actix_web::test]
async fn an_email_given_up_is_failed_counted_listed_queued_again_and_then_delivered() {
    let smtp = FakeSmtp::start().await;
    smtp.refuse_recipients(true);
    let url = smtp.url.clone();
    let app = TestApp::spawn_with(move |f| f.merge(Serialized::default("smtp_url", url))).await;
    let admin = app.admin().await;
    enqueue(&app, "lost@example.org").await;
    let queued = outbox(&app, &admin.token, "?status=queued").await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["kind"], "test_notice");
    assert!(
        outbox(&app, &admin.token, "?status=failed")
            .await
            .is_empty()
    );

    fail_for_good(&app).await;
    // The clock moved on by hours: sign in again.
    let admin = app.admin().await;
    let failed = outbox(&app, &admin.token, "?status=failed").await[0].clone();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["attempts"], 8);
    assert_eq!(failed["to"], "lost@example.org");
    assert_eq!(failed["subject"], "Hello there");
    assert!(failed["failed_at"].is_string());
    assert!(failed["last_error"].as_str().unwrap().contains("451"));
    assert!(failed.get("text").is_none(), "bodies are not listed");
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.text.contains("merit_mail_failed_total 1"),
        "{}",
        metrics.text
    );
    // Given up means given up: no more attempts, however long we wait.
    app.clock.advance(Duration::days(2));
    mail::worker::deliver_due(&app.state).await.unwrap();
    let admin = app.admin().await;
    assert_eq!(
        outbox(&app, &admin.token, "?status=failed").await[0]["attempts"],
        8
    );
    assert!(smtp.received().is_empty());

    smtp.refuse_recipients(false);
    let id = failed["id"].as_str().unwrap().to_owned();
    let retry = format!("/api/v1/admin/outbox/{id}/retry");
    let requeued = app.post_as(&admin.token, &retry, &json!({})).await;
    requeued.assert_status(200);
    assert_eq!(requeued.body["status"], "queued");
    assert_eq!(requeued.body["attempts"], 0);
    assert_eq!(requeued.body["failed_at"], Value::Null);
    let events = app
        .get_as(
            &admin.token,
            "/api/v1/admin/audit-events?kind=outbox_email_requeued",
        )
        .await;
    let events = events.body["items"].as_array().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_account_id"], admin.id.as_str());
    assert_eq!(events[0]["details"]["outbox_email_id"], id.as_str());
    assert_eq!(events[0]["details"]["kind"], "test_notice");

    for _ in 0..200 {
        mail::worker::deliver_due(&app.state).await.unwrap();
        if smtp.received().len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(smtp.received().len(), 1, "delivered once after the retry");
    // The app's own worker may be the one that sent it: its mark may land a moment later.
    let mut sent = Vec::new();
    for _ in 0..200 {
        sent = outbox(&app, &admin.token, "?status=sent").await;
        if !sent.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["id"], id.as_str());
    assert_eq!(sent[0]["attempts"], 1);
    assert!(
        outbox(&app, &admin.token, "?status=failed")
            .await
            .is_empty()
    );

    // Only a failed email can be queued again.
    let again = app.post_as(&admin.token, &retry, &json!({})).await;
    assert_problem(&again, 409, "outbox_email_not_failed");
    assert_eq!(
        app.get_as(
            &admin.token,
            "/api/v1/admin/audit-events?kind=outbox_email_requeued"
        )
        .await
        .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[actix_web::test]
async fn a_permanent_refusal_fails_the_email_at_once_without_retries() {
    let smtp = FakeSmtp::start().await;
    smtp.reject_recipients(true);
    let url = smtp.url.clone();
    let app = TestApp::spawn_with(move |f| f.merge(Serialized::default("smtp_url", url))).await;
    let admin = app.admin().await;
    enqueue(&app, "nobody@example.org").await;

    mail::worker::deliver_due(&app.state).await.unwrap();
    assert_eq!(failed_count(&app).await, 1, "a 550 is not retried");
    let failed = outbox(&app, &admin.token, "?status=failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["to"], "nobody@example.org");
    assert_eq!(failed[0]["attempts"], 1);
    assert!(failed[0]["last_error"].as_str().unwrap().contains("550"));
    assert!(
        app.get("/metrics")
            .await
            .text
            .contains("merit_mail_failed_total 1")
    );
    // Nothing more is attempted later; an admin may still queue it again once fixed.
    app.clock.advance(Duration::hours(2));
    mail::worker::deliver_due(&app.state).await.unwrap();
    let admin = app.admin().await;
    assert_eq!(
        outbox(&app, &admin.token, "?status=failed").await[0]["attempts"],
        1
    );
    assert!(smtp.received().is_empty());
}

#[actix_web::test]
async fn a_queued_email_cannot_be_retried_and_unknown_ones_are_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dir = app.state.settings.mail_dir();
    // Break delivery so the email stays queued.
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a folder").unwrap();
    enqueue(&app, "someone@example.org").await;
    let id = outbox(&app, &admin.token, "").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let queued = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/outbox/{id}/retry"),
            &json!({}),
        )
        .await;
    assert_problem(&queued, 409, "outbox_email_not_failed");
    for unknown in ["01938f4e-7c1a-7b2e-9c3d-4e5f60718293", "not-an-id"] {
        let response = app
            .post_as(
                &admin.token,
                &format!("/api/v1/admin/outbox/{unknown}/retry"),
                &json!({}),
            )
            .await;
        assert_problem(&response, 404, "not_found");
    }
    let bad = app
        .get_as(&admin.token, "/api/v1/admin/outbox?status=lost")
        .await;
    assert_problem(&bad, 422, "validation_failed");
}

#[actix_web::test]
async fn only_admins_list_and_retry_outbox_emails() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    enqueue(&app, "someone@example.org").await;
    let id = outbox(&app, &admin.token, "").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let retry = format!("/api/v1/admin/outbox/{id}/retry");
    let applicant = app.applicant("ana@example.org").await;
    let staff = app.staff("Sam", "Staff", "LAO").await;
    let employer = app.employer("Eve", "Employer", "DMV").await;
    let employee = app.employee("00246810", "DMV").await;
    for user in [&applicant, &staff, &employer, &employee] {
        let list = app.get_as(&user.token, "/api/v1/admin/outbox").await;
        assert_problem(&list, 403, "forbidden");
        let retried = app
            .send(app.request(Method::POST, &retry).bearer_auth(&user.token))
            .await;
        assert_problem(&retried, 403, "forbidden");
    }
    assert_problem(
        &app.get("/api/v1/admin/outbox").await,
        401,
        "unauthenticated",
    );
    let anonymous = app.send(app.request(Method::POST, &retry)).await;
    assert_problem(&anonymous, 401, "unauthenticated");
    assert!(!outbox(&app, &admin.token, "").await.is_empty());
}
