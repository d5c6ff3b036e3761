//! A machine client with `webhooks:manage` manages its own endpoints (never another client's)
//! through the same use cases as the admin routes.

use serde_json::json;

use super::{Receiver, app, filing_open, wait_recorded};
use crate::{
    integrators::{client_token, create_client, events},
    postings::open,
    support::assert_problem,
};

const OWN: &str = "/api/v1/webhook-endpoints";

#[actix_web::test]
async fn a_client_manages_its_own_endpoints_and_no_one_elses() {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let mine = create_client(
        &app,
        &admin,
        Some("DMV"),
        &["postings:read", "webhooks:manage"],
    )
    .await;
    let theirs = create_client(&app, &admin, Some("DMV"), &["webhooks:manage"]).await;
    let token = client_token(&app, &mine, None).await;
    let other = client_token(&app, &theirs, None).await;
    let receiver = Receiver::start(&[]);

    let created = app
        .post_as(
            &token,
            OWN,
            &json!({"url": receiver.url, "event_types": ["posting.published"]}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["endpoint"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created.header("location"), format!("{OWN}/{id}"));
    assert!(
        created.body["secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    let created_events = events(&app, &admin, "webhook_endpoint_created").await;
    assert_eq!(
        created_events[0]["actor_account_id"],
        mine.account_id.as_str()
    );

    // Its list holds it; the other client's holds nothing; the admin sees it under the client.
    let list = app.get_as(&token, OWN).await;
    list.assert_status(200);
    assert_eq!(list.body["items"][0]["id"], id.as_str());
    let list = app.get_as(&other, OWN).await;
    list.assert_status(200);
    assert_eq!(list.body["items"], json!([]));
    let admin_list = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/api-clients/{}/webhook-endpoints", mine.id),
        )
        .await;
    assert_eq!(admin_list.body["items"][0]["id"], id.as_str());

    // Another client reaches none of it.
    let path = format!("{OWN}/{id}");
    assert_problem(&app.get_as(&other, &path).await, 404, "not_found");
    let body = json!({"url": receiver.url, "event_types": ["posting.closed"], "enabled": true});
    assert_problem(
        &app.send_json_as(&other, reqwest::Method::PUT, &path, &body)
            .await,
        404,
        "not_found",
    );
    assert_problem(
        &app.post_as(&other, &format!("{path}/secret-rotations"), &json!({}))
            .await,
        404,
        "not_found",
    );
    assert_problem(
        &app.get_as(&other, &format!("{path}/deliveries")).await,
        404,
        "not_found",
    );
    let deleted = app
        .send(
            app.request(reqwest::Method::DELETE, &path)
                .bearer_auth(&other),
        )
        .await;
    assert_problem(&deleted, 404, "not_found");

    // Its own deliveries, log and redelivery.
    open(&app, &employer, filing_open(&app)).await;
    receiver.wait_for(&[&app], 1).await;
    wait_recorded(&app, 1).await;
    let deliveries = app.get_as(&token, &format!("{path}/deliveries")).await;
    deliveries.assert_status(200);
    let delivery = deliveries.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempts = app.get_as(&token, &format!("{path}/attempts")).await;
    attempts.assert_status(200);
    assert_eq!(attempts.body["items"].as_array().unwrap().len(), 1);
    assert_problem(
        &app.post_as(
            &other,
            &format!("{path}/deliveries/{delivery}/redeliver"),
            &json!({}),
        )
        .await,
        404,
        "not_found",
    );
    app.post_as(
        &token,
        &format!("{path}/deliveries/{delivery}/redeliver"),
        &json!({}),
    )
    .await
    .assert_status(202);

    // Replace, rotate, delete.
    let replaced = app
        .send_json_as(&token, reqwest::Method::PUT, &path, &body)
        .await;
    replaced.assert_status(200);
    assert_eq!(replaced.body["event_types"], json!(["posting.closed"]));
    let rotated = app
        .post_as(&token, &format!("{path}/secret-rotations"), &json!({}))
        .await;
    rotated.assert_status(201);
    assert_ne!(rotated.body["secret"], created.body["secret"]);
    let deleted = app
        .send(
            app.request(reqwest::Method::DELETE, &path)
                .bearer_auth(&token),
        )
        .await;
    deleted.assert_status(204);
    assert_problem(&app.get_as(&token, &path).await, 404, "not_found");
}

#[actix_web::test]
async fn only_clients_with_webhooks_manage_may_manage_their_endpoints() {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let reader = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let token = client_token(&app, &reader, None).await;
    let body = json!({"url": "https://hooks.example.com/in", "event_types": ["posting.published"]});
    assert_problem(
        &app.post_as(&token, OWN, &body).await,
        403,
        "insufficient_scope",
    );
    assert_problem(&app.get_as(&token, OWN).await, 403, "insufficient_scope");
    // A token whose scope leaves the permission out cannot either.
    let manager = create_client(
        &app,
        &admin,
        Some("DMV"),
        &["postings:read", "webhooks:manage"],
    )
    .await;
    let narrow = client_token(&app, &manager, Some("postings:read")).await;
    assert_problem(&app.get_as(&narrow, OWN).await, 403, "insufficient_scope");
    // People (employers, admins) are not clients.
    assert_problem(
        &app.post_as(&employer.token, OWN, &body).await,
        403,
        "forbidden",
    );
    assert_problem(&app.get_as(&admin.token, OWN).await, 403, "forbidden");
}
