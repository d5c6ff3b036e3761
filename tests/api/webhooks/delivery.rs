//! Delivery: retries with the same webhook-id until the receiver recovers, 3xx and 5xx as
//! failures, 410 disables, giving up after the last attempt, redelivery, secret rotation, and
//! two instances on one database delivering each event once.

use std::{collections::BTreeMap, time::Duration};

use chrono::TimeDelta;
use reqwest::Method;
use serde_json::json;

use super::{
    Receiver, advance, api_client, app, endpoint, filing_open, signed_with, verify, wait_recorded,
};
use crate::{
    postings::open,
    support::{TestApp, TestUser, assert_problem},
};

/// An app with a DMV employer and a DMV client reading postings; returns the client too.
async fn setup() -> (TestApp, TestUser, TestUser, String) {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let robot = app.employer("Hr", "System", "DMV").await;
    let client = api_client(&app, &admin, &robot, Some("DMV"), "postings:read").await;
    (app, admin, employer, client)
}

fn endpoint_path(client: &str, endpoint: &str) -> String {
    format!("/api/v1/admin/api-clients/{client}/webhook-endpoints/{endpoint}")
}

#[actix_web::test]
async fn a_receiver_that_fails_then_recovers_gets_the_event_with_one_webhook_id() {
    let (app, admin, employer, client) = setup().await;
    // A redirect (never followed), a server error, an unavailable answer, then success.
    let receiver = Receiver::start(&[302, 500, 503]);
    let (id, secret) = endpoint(&app, &admin, &client, &receiver.url, &["posting.published"]).await;
    let posting = open(&app, &employer, filing_open(&app)).await;

    let first = receiver.wait_for(&[&app], 1).await;
    verify(&secret, &first[0]);
    wait_recorded(&app, 1).await;
    // Nothing is retried before its time.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.received().len(), 1);
    advance(&app, TimeDelta::seconds(6)).await;
    receiver.wait_for(&[&app], 2).await;
    wait_recorded(&app, 2).await;
    advance(&app, TimeDelta::minutes(6)).await;
    receiver.wait_for(&[&app], 3).await;
    wait_recorded(&app, 3).await;
    advance(&app, TimeDelta::minutes(34)).await;
    let all = receiver.wait_for(&[&app], 4).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        receiver.received().len(),
        4,
        "delivered once it answered 2xx"
    );

    let webhook_id = first[0].header("webhook-id");
    for r in &all {
        assert_eq!(
            r.header("webhook-id"),
            webhook_id,
            "retries carry the same webhook-id"
        );
        assert_eq!(r.body, first[0].body, "the same bytes");
        assert!(signed_with(&secret, r), "every attempt is signed: {r:?}");
        assert_eq!(r.json()["data"]["posting_id"], posting.as_str());
    }
    // The clock moved past the access tokens' 15 minutes.
    let admin = app.signed_in(&admin.login, &admin.password).await;
    let stamps: Vec<i64> = all
        .iter()
        .map(|r| r.header("webhook-timestamp").parse().unwrap())
        .collect();
    assert!(
        stamps.windows(2).all(|w| w[0] < w[1]),
        "each attempt is stamped when sent: {stamps:?}"
    );

    let log = app
        .get_as(
            &admin.token,
            &format!("{}/attempts", endpoint_path(&client, &id)),
        )
        .await;
    log.assert_status(200);
    let statuses: Vec<i64> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["response_status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 503, 500, 302], "newest first");
    assert_eq!(log.body["items"][1]["response_body"], "answered 503");
    assert_eq!(log.body["items"][0]["attempt"], 4);
    let deliveries = app
        .get_as(
            &admin.token,
            &format!("{}/deliveries", endpoint_path(&client, &id)),
        )
        .await;
    deliveries.assert_status(200);
    assert_eq!(deliveries.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(deliveries.body["items"][0]["status"], "delivered");
    assert_eq!(deliveries.body["items"][0]["attempts"], 4);
    assert_eq!(deliveries.body["items"][0]["event_id"], webhook_id);
}

#[actix_web::test]
async fn gone_disables_the_endpoint_and_redelivery_waits_until_it_is_enabled() {
    let (app, admin, employer, client) = setup().await;
    let receiver = Receiver::start(&[410]);
    let (id, secret) = endpoint(&app, &admin, &client, &receiver.url, &["posting.published"]).await;
    open(&app, &employer, filing_open(&app)).await;
    let first = receiver.wait_for(&[&app], 1).await;

    let path = endpoint_path(&client, &id);
    let mut disabled = false;
    for _ in 0..100 {
        let e = app.get_as(&admin.token, &path).await;
        if e.body["enabled"] == false {
            assert_eq!(e.body["disabled_reason"], "gone");
            disabled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(disabled, "410 disables the endpoint");
    let audit = app
        .get_as(
            &admin.token,
            "/api/v1/admin/audit-events?kind=webhook_endpoint_disabled",
        )
        .await;
    audit.assert_status(200);
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1);

    // A disabled endpoint gets nothing new, however long one waits.
    open(&app, &employer, filing_open(&app)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.received().len(), 1);

    let deliveries = app
        .get_as(&admin.token, &format!("{path}/deliveries"))
        .await;
    assert_eq!(deliveries.body["items"][0]["status"], "failed");
    let delivery = deliveries.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let redeliver = format!("{path}/deliveries/{delivery}/redeliver");
    let refused = app.post_as(&admin.token, &redeliver, &json!({})).await;
    assert_problem(&refused, 409, "webhook_endpoint_disabled");

    let enabled = app
        .send_json_as(
            &admin.token,
            Method::PUT,
            &path,
            &json!({"url": receiver.url, "event_types": ["posting.published"], "enabled": true}),
        )
        .await;
    enabled.assert_status(200);
    assert_eq!(enabled.body["disabled_reason"], json!(null));
    let queued = app.post_as(&admin.token, &redeliver, &json!({})).await;
    queued.assert_status(202);
    assert_eq!(queued.body["status"], "pending");
    let again = receiver.wait_for(&[&app], 2).await;
    assert_eq!(
        again[1].header("webhook-id"),
        first[0].header("webhook-id"),
        "a redelivery keeps the webhook-id"
    );
    verify(&secret, &again[1]);
}

#[actix_web::test]
async fn a_delivery_failing_for_three_days_is_given_up_and_its_endpoint_disabled() {
    let (app, admin, employer, client) = setup().await;
    let receiver = Receiver::start(&[500; 10]);
    let (id, _) = endpoint(&app, &admin, &client, &receiver.url, &["posting.published"]).await;
    open(&app, &employer, filing_open(&app)).await;
    receiver.wait_for(&[&app], 1).await;
    wait_recorded(&app, 1).await;
    let waits = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];
    for (n, wait) in waits.iter().enumerate() {
        // The schedule with 10 % of jitter: a little more than the wait is always enough.
        advance(&app, TimeDelta::seconds(wait + wait / 10 + 1)).await;
        receiver.wait_for(&[&app], n + 2).await;
        wait_recorded(&app, i64::try_from(n).unwrap() + 2).await;
    }
    let admin = app.signed_in(&admin.login, &admin.password).await;
    let path = endpoint_path(&client, &id);
    let mut reason = json!(null);
    for _ in 0..100 {
        reason = app.get_as(&admin.token, &path).await.body["disabled_reason"].clone();
        if reason != json!(null) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(reason, "failing");
    advance(&app, TimeDelta::days(2)).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.received().len(), 10, "ten attempts, then no more");
    let admin = app.signed_in(&admin.login, &admin.password).await;
    let deliveries = app
        .get_as(&admin.token, &format!("{path}/deliveries"))
        .await;
    assert_eq!(deliveries.body["items"][0]["status"], "failed");
    assert_eq!(deliveries.body["items"][0]["attempts"], 10);
}

#[actix_web::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let (app, admin, employer, client) = setup().await;
    let receiver = Receiver::start(&[]);
    let (id, old) = endpoint(&app, &admin, &client, &receiver.url, &["posting.published"]).await;
    let rotated = app
        .post_as(
            &admin.token,
            &format!("{}/secret-rotations", endpoint_path(&client, &id)),
            &json!({}),
        )
        .await;
    rotated.assert_status(201);
    let new = rotated.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(new.starts_with("whsec_"));
    assert!(rotated.body["endpoint"]["previous_secret_expires_at"].is_string());

    open(&app, &employer, filing_open(&app)).await;
    let first = receiver.wait_for(&[&app], 1).await;
    assert_eq!(first[0].header("webhook-signature").split(' ').count(), 2);
    // Either secret verifies on its own: a receiver can switch at any time in the overlap.
    verify(&old, &first[0]);
    verify(&new, &first[0]);

    advance(&app, TimeDelta::hours(25)).await;
    let employer = app.signed_in(&employer.login, &employer.password).await;
    open(&app, &employer, filing_open(&app)).await;
    let after = receiver.wait_for(&[&app], 2).await;
    assert_eq!(after[1].header("webhook-signature").split(' ').count(), 1);
    assert!(signed_with(&new, &after[1]));
    assert!(
        !signed_with(&old, &after[1]),
        "the old secret stops after the overlap"
    );
}

#[actix_web::test]
async fn two_instances_on_one_database_deliver_each_event_once() {
    let (app, admin, employer, client) = setup().await;
    let twin = app
        .spawn_beside(|f| {
            f.merge(figment::providers::Serialized::default(
                "webhooks_allow_private",
                true,
            ))
        })
        .await;
    twin.clock.set(merit_api::clock::Clock::now(&app.clock));
    let receiver = Receiver::start(&[]);
    endpoint(&app, &admin, &client, &receiver.url, &["posting.published"]).await;
    let mut postings = Vec::new();
    for _ in 0..12 {
        postings.push(open(&app, &employer, filing_open(&app)).await);
        twin.state.wake_webhooks();
    }
    let received = receiver.wait_for(&[&app, &twin], 12).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = if receiver.received().len() > received.len() {
        receiver.received()
    } else {
        received
    };
    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for r in &received {
        *per_id.entry(r.header("webhook-id").to_owned()).or_default() += 1;
    }
    assert_eq!(per_id.len(), 12);
    assert!(
        per_id.values().all(|&n| n == 1),
        "an event delivered twice: {per_id:?}"
    );
    let mut got: Vec<String> = received
        .iter()
        .map(|r| r.json()["data"]["posting_id"].as_str().unwrap().to_owned())
        .collect();
    got.sort();
    postings.sort();
    assert_eq!(got, postings);
}
