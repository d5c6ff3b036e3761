//! The inbox: messages written with their cause, paging, read state, archive, unread count and
//! ownership.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};

use super::{application_mail, messages, patch, unread};
use crate::{
    applications::{applied, move_to, tag_of, world},
    support::assert_problem,
};

#[actix_web::test]
async fn every_application_notice_is_a_message_written_with_its_email() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    assert!(messages(app, ana, "").await.is_empty());
    let id = applied(app, ana, &w.posting).await;
    let inbox = messages(app, ana, "").await;
    assert_eq!(inbox.len(), 1);
    let received = &inbox[0];
    assert_eq!(received["kind"], "application_status");
    assert_eq!(received["subject"], "Your application: received");
    assert!(
        received["body"]
            .as_str()
            .unwrap()
            .contains("is now: received"),
        "{received}"
    );
    assert_eq!(received["application_id"], id.as_str());
    assert_eq!(received["posting_id"], w.posting.as_str());
    assert_eq!(received["emailed"], true);
    assert_eq!(received["read_at"], Value::Null);
    assert_eq!(received["archived_at"], Value::Null);
    assert_eq!(unread(app, ana).await, 1);

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
    app.post_as(
        &ana.token,
        &format!("/api/v1/applications/{id}/withdraw"),
        &json!({}),
    )
    .await
    .assert_status(200);
    let subjects: Vec<_> = messages(app, ana, "")
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        subjects,
        [
            "Your application: withdrawn",
            "Your application: under review",
            "Your application: received"
        ]
    );
    assert_eq!(unread(app, ana).await, 3);
    assert_eq!(application_mail(app, "ana@example.org").await, 3);
    // The employer who moved it got no message.
    assert!(messages(app, &w.employer, "").await.is_empty());
}

#[actix_web::test]
async fn a_stage_without_notice_writes_no_message_and_a_cancellation_does() {
    let w = world().await;
    let (app, employer) = (&w.app, &w.employer);
    let stages =
        json!({"stages": [{"name": "Phone screen", "status": "under_review", "notify": false}]});
    app.send_json_as(
        &employer.token,
        Method::PUT,
        "/api/v1/departments/DMV/application-stages",
        &stages,
    )
    .await
    .assert_status(200);
    let id = applied(app, &w.applicant, &w.posting).await;
    let tag = tag_of(app, employer, &id).await;
    move_to(
        app,
        employer,
        &id,
        json!({"stage": "Phone screen"}),
        Some(&tag),
    )
    .await
    .assert_status(200);
    assert_eq!(messages(app, &w.applicant, "").await.len(), 1);

    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{}/cancel", w.posting),
        &json!({}),
    )
    .await
    .assert_status(200);
    let inbox = messages(app, &w.applicant, "").await;
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0]["subject"], "Your application: cancelled");
    assert_eq!(inbox[0]["application_id"], id.as_str());
}

#[actix_web::test]
async fn the_inbox_pages_newest_first_without_gaps_or_repeats() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    let id = applied(app, ana, &w.posting).await;
    for step in ["under_review", "eligible", "referred", "interview"] {
        let tag = tag_of(app, &w.employer, &id).await;
        move_to(app, &w.employer, &id, json!({"status": step}), Some(&tag))
            .await
            .assert_status(200);
    }
    let all = messages(app, ana, "?limit=100").await;
    assert_eq!(all.len(), 5);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".to_owned(),
        };
        let page = app
            .get_as(&ana.token, &format!("/api/v1/me/messages{query}"))
            .await;
        page.assert_status(200);
        pages += 1;
        seen.extend(page.body["items"].as_array().unwrap().iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, all);
    assert_eq!(all[0]["subject"], "Your application: interview");
    assert_eq!(all[4]["subject"], "Your application: received");
    let ids: Vec<_> = all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "newest first");

    let foreign = app
        .get_as(&ana.token, "/api/v1/me/messages?cursor=bm9wZQ")
        .await;
    assert_problem(&foreign, 400, "invalid_cursor");
    let too_many = app
        .get_as(&ana.token, "/api/v1/me/messages?limit=500")
        .await;
    assert_problem(&too_many, 422, "validation_failed");
    let bad_kind = app
        .get_as(&ana.token, "/api/v1/me/messages?kind=newsletter")
        .await;
    assert_problem(&bad_kind, 422, "validation_failed");
}

#[actix_web::test]
async fn messages_are_marked_read_and_unread_archived_and_counted() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    let id = applied(app, ana, &w.posting).await;
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
    let (newer, older) = (
        inbox[0]["id"].as_str().unwrap().to_owned(),
        inbox[1]["id"].as_str().unwrap().to_owned(),
    );
    assert_eq!(unread(app, ana).await, 2);

    let read = patch(app, ana, &older, &json!({"read": true})).await;
    read.assert_status(200);
    let read_at = read.body["read_at"].as_str().unwrap().to_owned();
    assert_eq!(read_at, "2026-03-02T09:30:00Z");
    assert_eq!(unread(app, ana).await, 1);
    let only_read = messages(app, ana, "?read=true").await;
    assert_eq!(only_read.len(), 1);
    assert_eq!(only_read[0]["id"], older.as_str());
    let only_unread = messages(app, ana, "?read=false").await;
    assert_eq!(only_unread.len(), 1);
    assert_eq!(only_unread[0]["id"], newer.as_str());

    // Marking read again keeps the first instant; an empty patch changes nothing.
    app.clock.advance(Duration::minutes(5));
    let again = patch(app, ana, &older, &json!({"read": true})).await;
    assert_eq!(again.body["read_at"], read_at.as_str());
    let same = patch(app, ana, &older, &json!({})).await;
    same.assert_status(200);
    assert_eq!(same.body, again.body);
    let got = app
        .get_as(&ana.token, &format!("/api/v1/me/messages/{older}"))
        .await;
    got.assert_status(200);
    assert_eq!(got.body, again.body);

    let unread_again = patch(app, ana, &older, &json!({"read": false})).await;
    assert_eq!(unread_again.body["read_at"], Value::Null);
    assert_eq!(unread(app, ana).await, 2);

    let archived = patch(app, ana, &newer, &json!({"archived": true})).await;
    archived.assert_status(200);
    assert_eq!(archived.body["archived_at"], "2026-03-02T09:35:00Z");
    assert_eq!(archived.body["read_at"], Value::Null);
    assert_eq!(
        unread(app, ana).await,
        1,
        "archived messages are not counted"
    );
    let inbox = messages(app, ana, "").await;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["id"], older.as_str());
    let archive = messages(app, ana, "?archived=true").await;
    assert_eq!(archive.len(), 1);
    assert_eq!(archive[0]["id"], newer.as_str());
    assert_eq!(
        messages(app, ana, "?archived=true&kind=account")
            .await
            .len(),
        0
    );
    assert_eq!(
        messages(
            app,
            ana,
            "?archived=true&kind=application_status&read=false"
        )
        .await
        .len(),
        1
    );
    let back = patch(app, ana, &newer, &json!({"archived": false, "read": true})).await;
    assert_eq!(back.body["archived_at"], Value::Null);
    assert_eq!(back.body["read_at"], "2026-03-02T09:35:00Z");
    assert_eq!(messages(app, ana, "").await.len(), 2);
    assert_eq!(unread(app, ana).await, 1);

    let null = patch(app, ana, &newer, &json!({"read": null})).await;
    assert_problem(&null, 422, "validation_failed");
    assert_eq!(null.body["errors"][0]["field"], "read");
    assert_eq!(null.body["errors"][0]["code"], "required");
    let unknown = patch(app, ana, &newer, &json!({"subject": "Mine now"})).await;
    assert_problem(&unknown, 422, "validation_failed");
    let wrong_type = patch(app, ana, &newer, &json!({"archived": "yes"})).await;
    assert_problem(&wrong_type, 422, "validation_failed");
    assert_eq!(messages(app, ana, "").await.len(), 2, "nothing changed");
}

#[actix_web::test]
async fn another_persons_message_is_404_for_every_operation() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    applied(app, ana, &w.posting).await;
    let message = messages(app, ana, "").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.admin().await;
    for other in [&w.employer, &app.applicant("ben@example.org").await, &admin] {
        let path = format!("/api/v1/me/messages/{message}");
        assert_problem(&app.get_as(&other.token, &path).await, 404, "not_found");
        let patched = patch(app, other, &message, &json!({"read": true})).await;
        assert_problem(&patched, 404, "not_found");
        let archived = patch(app, other, &message, &json!({"archived": true})).await;
        assert_problem(&archived, 404, "not_found");
        assert!(messages(app, other, "").await.is_empty());
        assert!(messages(app, other, "?archived=true").await.is_empty());
        assert_eq!(unread(app, other).await, 0);
    }
    // Untouched by all of that.
    let mine = app
        .get_as(&ana.token, &format!("/api/v1/me/messages/{message}"))
        .await;
    assert_eq!(mine.body["read_at"], Value::Null);
    assert_eq!(mine.body["archived_at"], Value::Null);
    // Ids that are not ids, or name nothing, are 404 too; signed out is 401.
    for id in [
        "nope",
        &message.to_uppercase(),
        "01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
    ] {
        let path = format!("/api/v1/me/messages/{id}");
        assert_problem(&app.get_as(&ana.token, &path).await, 404, "not_found");
        assert_problem(
            &patch(app, ana, id, &json!({"read": true})).await,
            404,
            "not_found",
        );
    }
    assert_problem(
        &app.get("/api/v1/me/messages").await,
        401,
        "unauthenticated",
    );
    assert_problem(
        &app.get("/api/v1/me/messages/unread-count").await,
        401,
        "unauthenticated",
    );
}

#[actix_web::test]
async fn an_email_change_is_an_account_message_and_the_export_holds_every_message() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    applied(app, ana, &w.posting).await;
    let profile = app.get_as(&ana.token, "/api/v1/me/profile").await;
    let body = json!({
        "first_name": profile.body["first_name"], "last_name": profile.body["last_name"],
        "email": "ana.new@example.org", "current_password": ana.password
    });
    app.send(
        app.request(Method::PUT, "/api/v1/me/profile")
            .bearer_auth(&ana.token)
            .header("if-match", profile.header("etag"))
            .json(&body),
    )
    .await
    .assert_status(200);
    let account = messages(app, ana, "?kind=account").await;
    assert_eq!(account.len(), 1);
    assert_eq!(account[0]["subject"], "Your email address was changed");
    assert_eq!(account[0]["emailed"], true);
    assert_eq!(account[0]["application_id"], Value::Null);
    assert!(
        app.mail_to("ana@example.org")
            .await
            .iter()
            .any(|m| m.subject == "Your email address was changed"),
        "the previous address is told"
    );
    assert_eq!(
        messages(app, ana, "?kind=application_status").await.len(),
        1
    );

    let export = app.get_as(&ana.token, "/api/v1/me/export").await;
    export.assert_status(200);
    let exported = export.body["messages"].as_array().unwrap();
    assert_eq!(exported.len(), 2);
    assert_eq!(exported[0]["kind"], "account");
    assert_eq!(exported[1]["kind"], "application_status");
    assert_eq!(
        export.body["notification_preferences"]["email"],
        json!({"application_status": true, "account": true, "job_alert": true, "contact_letter": true, "correspondence": true})
    );
}

#[actix_web::test]
async fn concurrent_changes_of_read_and_archived_are_both_kept() {
    let w = world().await;
    let (app, ana) = (&w.app, &w.applicant);
    applied(app, ana, &w.posting).await;
    let id = messages(app, ana, "").await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for round in 0..5 {
        let on = round % 2 == 0;
        let (read_patch, archive_patch) = (json!({"read": on}), json!({"archived": on}));
        let (read, archived) = tokio::join!(
            patch(app, ana, &id, &read_patch),
            patch(app, ana, &id, &archive_patch)
        );
        read.assert_status(200);
        archived.assert_status(200);
        let now = app
            .get_as(&ana.token, &format!("/api/v1/me/messages/{id}"))
            .await;
        assert_eq!(now.body["read_at"].is_string(), on, "round {round}");
        assert_eq!(now.body["archived_at"].is_string(), on, "round {round}");
    }
}
