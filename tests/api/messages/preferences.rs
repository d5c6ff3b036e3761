//! Notification preferences: which kinds also go by email, and what that does to the outbox.

use serde_json::{Value, json};

use super::{application_mail, messages, set_preferences};
use crate::{
    applications::{applied, move_to, tag_of, world},
    support::assert_problem,
};

const PREFERENCES: &str = "/api/v1/me/notification-preferences";

#[actix_web::test]
async fn every_kind_goes_by_email_until_turned_off_and_account_notices_cannot_be() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    let read = app.get_as(&ana.token, PREFERENCES).await;
    read.assert_status(200);
    assert_eq!(
        read.body,
        json!({
            "email": {"application_status": true, "account": true, "job_alert": true, "contact_letter": true, "correspondence": true},
            "always_emailed": ["account"]
        })
    );

    let refused = set_preferences(
        app,
        ana,
        json!({"application_status": false, "account": false}),
    )
    .await;
    assert_problem(&refused, 422, "validation_failed");
    assert_eq!(refused.body["errors"][0]["field"], "email.account");
    assert_eq!(refused.body["errors"][0]["code"], "always_emailed");
    assert_eq!(
        app.get_as(&ana.token, PREFERENCES).await.body,
        read.body,
        "nothing was stored"
    );

    let missing = set_preferences(app, ana, json!({"application_status": false})).await;
    assert_problem(&missing, 422, "validation_failed");
    assert_eq!(missing.body["errors"][0]["field"], "email.account");
    assert_eq!(missing.body["errors"][0]["code"], "required");
    let unknown = set_preferences(
        app,
        ana,
        json!({"application_status": true, "account": true, "newsletter": true}),
    )
    .await;
    assert_problem(&unknown, 422, "validation_failed");

    let saved = set_preferences(
        app,
        ana,
        json!({"application_status": false, "account": true}),
    )
    .await;
    saved.assert_status(200);
    assert_eq!(
        saved.body["email"],
        json!({"application_status": false, "account": true, "job_alert": true, "contact_letter": true, "correspondence": true}),
        "contact letters left out stay emailed"
    );
    assert_eq!(app.get_as(&ana.token, PREFERENCES).await.body, saved.body);
    // Another person's preferences are their own.
    let ben = app.applicant("ben@example.org").await;
    assert_eq!(
        app.get_as(&ben.token, PREFERENCES).await.body["email"]["application_status"],
        true
    );
    assert_problem(&app.get(PREFERENCES).await, 401, "unauthenticated");
}

#[actix_web::test]
async fn a_kind_turned_off_still_reaches_the_inbox_but_writes_no_email() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    set_preferences(
        app,
        ana,
        json!({"application_status": false, "account": true}),
    )
    .await
    .assert_status(200);
    let id = applied(app, ana, &w.posting).await;
    let inbox = messages(app, ana, "").await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["emailed"], false);
    assert_eq!(application_mail(app, "ana@example.org").await, 0);

    // Turned on again: the next notice goes by email too.
    set_preferences(
        app,
        ana,
        json!({"application_status": true, "account": true}),
    )
    .await
    .assert_status(200);
    let tag = tag_of(app, &w.employer, &id).await;
    move_to(
        app,
        &w.employer,
        &id,
        json!({"status": "under_review"}),
        Some(&tag),
    )
    .await
    .assert_status(200);
    let inbox = messages(app, ana, "").await;
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0]["emailed"], true);
    assert_eq!(inbox[1]["emailed"], false);
    assert_eq!(application_mail(app, "ana@example.org").await, 1);
    // The timeline says a notice was sent both times (the inbox always gets it).
    let mine = app
        .get_as(&ana.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    let sent: Vec<Value> = mine.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["notice_sent"].clone())
        .collect();
    assert_eq!(sent, [json!(true), json!(true)]);
}
