//! Delivery channels, as the SPEC rules them: an `in_app` alert's match is a message in the
//! inbox and nothing in the outbox, instant or digest; with the person's `job_alert` email
//! preference off, an `email` alert's match still reaches the inbox but no alert email is
//! written to the outbox.

use chrono::{TimeZone, Utc};
use diesel::prelude::*;
use merit_persistence::schema::outbox_emails;
use serde_json::{Value, json};

use super::{alert, alert_messages, run_worker};
use crate::{
    postings::{open, with_dmv_employer},
    support::{TestApp, TestUser},
};

/// The job-alert emails (instant or digest) written to the outbox for `address`, sent or not.
async fn alert_emails_in_outbox(app: &TestApp, address: &str) -> i64 {
    let address = address.to_owned();
    app.db
        .read(move |conn| {
            outbox_emails::table
                .filter(outbox_emails::to_address.eq(address))
                .filter(outbox_emails::kind.eq_any(["job_alert", "job_alert_digest"]))
                .count()
                .get_result(conn)
                .map_err(merit_api::error::ApiError::internal)
        })
        .await
        .expect("the outbox is readable")
}

fn job_alert_email_off() -> Value {
    json!({"application_status": true, "account": true, "job_alert": false, "contact_letter": true, "correspondence": true})
}

/// Monday 2026-03-02 09:30 UTC (the test clock's start) to Tuesday 00:00:01, when Monday's
/// daily digests are due; signs everyone in again (access tokens expire as the clock moves).
async fn next_day(app: &TestApp, users: &[&TestUser]) -> Vec<TestUser> {
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 1).unwrap());
    let mut again = Vec::new();
    for user in users {
        again.push(app.signed_in(&user.login, &user.password).await);
    }
    again
}

#[actix_web::test]
async fn an_in_app_alert_writes_the_inbox_message_and_nothing_to_the_outbox() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    alert(&app, &ana, json!({}), "in_app", "instant").await;
    alert(&app, &ben, json!({}), "in_app", "daily").await;
    // Carol's email alert shows the pass does write alert email when it should.
    let carol = app.applicant("carol@example.org").await;
    alert(&app, &carol, json!({}), "email", "instant").await;

    let posting = open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    let users = next_day(&app, &[&ana, &ben]).await;
    run_worker(&app).await;

    for (user, address) in users.iter().zip(["ana@example.org", "ben@example.org"]) {
        let messages = alert_messages(&app, user).await;
        assert_eq!(messages.len(), 1, "{address}: {messages:#?}");
        assert!(
            messages[0]["body"].as_str().unwrap().contains(&posting),
            "{messages:#?}"
        );
        assert_eq!(messages[0]["emailed"], false);
        assert_eq!(
            alert_emails_in_outbox(&app, address).await,
            0,
            "{address}: the in-app channel writes no email"
        );
    }
    assert_eq!(alert_emails_in_outbox(&app, "carol@example.org").await, 1);
}

#[actix_web::test]
async fn with_job_alert_email_off_the_inbox_gets_the_alert_and_the_outbox_nothing() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    alert(&app, &ana, json!({}), "email", "instant").await;
    alert(&app, &ben, json!({}), "email", "daily").await;
    for user in [&ana, &ben] {
        crate::messages::set_preferences(&app, user, job_alert_email_off())
            .await
            .assert_status(200);
    }

    let posting = open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    let users = next_day(&app, &[&ana, &ben]).await;
    run_worker(&app).await;

    for (user, address) in users.iter().zip(["ana@example.org", "ben@example.org"]) {
        let messages = alert_messages(&app, user).await;
        assert_eq!(messages.len(), 1, "{address}: the inbox gets it");
        assert!(messages[0]["body"].as_str().unwrap().contains(&posting));
        assert_eq!(messages[0]["emailed"], false, "{address}: {messages:#?}");
        assert_eq!(
            alert_emails_in_outbox(&app, address).await,
            0,
            "{address}: no alert email while job-alert email is off"
        );
    }
}
