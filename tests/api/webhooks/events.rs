//! Every event type from its cause, verified by the independent implementation; who receives
//! what.

use std::{collections::BTreeSet, time::Duration};

use serde_json::json;

use super::{ALL_TYPES, Receiver, api_client, app, endpoint, filing_open, verify};
use crate::{
    applications::{applied, move_to, tag_of},
    postings::open,
};

#[actix_web::test]
async fn every_event_type_reaches_the_department_client_signed_and_thin() {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let robot = app.employer("Hr", "System", "DMV").await;
    let client = api_client(
        &app,
        &admin,
        &robot,
        Some("DMV"),
        "postings:read applications:read",
    )
    .await;
    let receiver = Receiver::start(&[]);
    let (_, secret) = endpoint(&app, &admin, &client, &receiver.url, &ALL_TYPES).await;
    // Another department's client with every permission, and a state-wide client that may
    // read postings only: neither may hear of DMV's applications.
    let other_robot = app.employer("Other", "System", "CHP").await;
    let other = api_client(
        &app,
        &admin,
        &other_robot,
        Some("CHP"),
        "postings:read applications:read",
    )
    .await;
    let other_receiver = Receiver::start(&[]);
    endpoint(&app, &admin, &other, &other_receiver.url, &ALL_TYPES).await;
    let state_robot = app.employer("State", "Warehouse", "CDCR").await;
    let state_wide = api_client(
        &app,
        &admin,
        &state_robot,
        None,
        "postings:read applications:read",
    )
    .await;
    let state_receiver = Receiver::start(&[]);
    endpoint(&app, &admin, &state_wide, &state_receiver.url, &ALL_TYPES).await;

    let posting = open(&app, &employer, filing_open(&app)).await;
    let applicant = app.applicant("ana@example.org").await;
    let application = applied(&app, &applicant, &posting).await;
    let tag = tag_of(&app, &employer, &application).await;
    move_to(
        &app,
        &employer,
        &application,
        json!({"status": "under_review"}),
        Some(&tag),
    )
    .await
    .assert_status(200);
    app.post_as(
        &applicant.token,
        &format!("/api/v1/applications/{application}/withdraw"),
        &json!({}),
    )
    .await
    .assert_status(200);
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{posting}/close"),
        &json!({}),
    )
    .await
    .assert_status(200);

    let received = receiver.wait_for(&[&app], 5).await;
    let types: BTreeSet<String> = received.iter().map(|r| r.event_type()).collect();
    assert_eq!(types, ALL_TYPES.iter().map(|t| t.to_string()).collect());
    let ids: BTreeSet<&str> = received.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(ids.len(), 5, "each event has its own webhook-id");
    for r in &received {
        verify(&secret, r);
        assert_eq!(r.header("content-type"), "application/json");
        let body = r.json();
        assert_eq!(body["data"]["posting_id"], posting.as_str());
        assert_eq!(body["data"]["department_code"], "DMV");
        assert!(
            !r.body.contains("ana@example.org"),
            "no personal data: {}",
            r.body
        );
        assert!(!r.body.contains("Jane"), "no personal data: {}", r.body);
        match body["type"].as_str().unwrap() {
            "posting.published" => assert_eq!(body["data"]["status"], "open"),
            "posting.closed" => assert_eq!(body["data"]["status"], "closed"),
            "application.submitted" => {
                assert_eq!(body["data"]["application_id"], application.as_str());
            }
            "application.status_changed" => assert_eq!(body["data"]["status"], "under_review"),
            "application.withdrawn" => assert_eq!(body["data"]["status"], "withdrawn"),
            other => panic!("unexpected type {other}"),
        }
    }

    let state_received = state_receiver.wait_for(&[&app], 2).await;
    let state_types: BTreeSet<String> = state_received.iter().map(|r| r.event_type()).collect();
    assert_eq!(
        state_types,
        ["posting.closed", "posting.published"]
            .iter()
            .map(|t| t.to_string())
            .collect(),
        "a state-wide client hears of public postings only, never applications"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        other_receiver.received().is_empty(),
        "another department's client got {:?}",
        other_receiver.received()
    );
    assert_eq!(receiver.received().len(), 5, "no event twice");
    assert_eq!(state_receiver.received().len(), 2);
}

#[actix_web::test]
async fn only_subscribed_types_and_readable_postings_are_sent() {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let robot = app.employer("Hr", "System", "DMV").await;
    let client = api_client(&app, &admin, &robot, Some("DMV"), "postings:read").await;
    let receiver = Receiver::start(&[]);
    endpoint(
        &app,
        &admin,
        &client,
        &receiver.url,
        &["posting.closed", "application.submitted"],
    )
    .await;
    let state_robot = app.employer("State", "Warehouse", "CDCR").await;
    let state_wide = api_client(&app, &admin, &state_robot, None, "postings:read").await;
    let state_receiver = Receiver::start(&[]);
    endpoint(
        &app,
        &admin,
        &state_wide,
        &state_receiver.url,
        &["posting.published"],
    )
    .await;

    // An internal-only posting: the state-wide client reads the public view only.
    let mut internal = filing_open(&app);
    internal["visibility"] = json!("internal_only");
    open(&app, &employer, internal).await;
    let posting = open(&app, &employer, filing_open(&app)).await;
    let applicant = app.applicant("ana@example.org").await;
    applied(&app, &applicant, &posting).await;
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{posting}/close"),
        &json!({}),
    )
    .await
    .assert_status(200);

    let received = receiver.wait_for(&[&app], 1).await;
    let state_received = state_receiver.wait_for(&[&app], 1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = if receiver.received().len() > received.len() {
        receiver.received()
    } else {
        received
    };
    assert_eq!(
        received.iter().map(|r| r.event_type()).collect::<Vec<_>>(),
        ["posting.closed"],
        "not subscribed to publications; no applications:read for submissions"
    );
    assert_eq!(state_receiver.received().len(), state_received.len());
    assert_eq!(state_received.len(), 1);
    assert_eq!(
        state_received[0].json()["data"]["posting_id"],
        posting.as_str()
    );
}
