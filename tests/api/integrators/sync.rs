//! Incremental sync of a posting's applications (`updated_since`): ordered by last change with
//! a stable keyset, withdrawn applications included, changes listed once settled, nothing
//! skipped across pages.

use chrono::Duration;
use serde_json::{Value, json};

use super::{client_token, create_client};
use crate::{
    applications::{applied, world},
    support::{TestApp, assert_problem},
};

const SINCE: &str = "2026-03-02T09:30:00Z";

async fn changes(app: &TestApp, token: &str, posting: &str, query: &str) -> Value {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/postings/{posting}/applications?{query}"),
        )
        .await;
    response.assert_status(200);
    response.body
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_mirror_follows_a_postings_applications_without_gaps() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let client = create_client(app, &admin, Some("DMV"), &["applications:read"]).await;
    let own = applied(app, &w.applicant, &w.posting).await;
    let mut applications = vec![own.clone()];
    for email in ["ben@example.org", "cy@example.org"] {
        let person = app.applicant(email).await;
        applications.push(applied(app, &person, &w.posting).await);
    }
    applications.sort();
    let token = client_token(app, &client, None).await;
    let first_query = format!("updated_since={SINCE}&limit=2");

    // Changes younger than the settle window are not listed yet.
    let fresh = changes(app, &token, &w.posting, &first_query).await;
    assert_eq!(fresh["items"], json!([]));

    app.clock.advance(Duration::seconds(31));
    let page_one = changes(app, &token, &w.posting, &first_query).await;
    assert_eq!(ids(&page_one), applications[..2]);
    let cursor = page_one["next_cursor"].as_str().unwrap().to_owned();

    // A change made after the first page was read: the first application is withdrawn.
    let withdrawn = app
        .post_as(
            &w.applicant.token,
            &format!("/api/v1/applications/{own}/withdraw"),
            &json!({}),
        )
        .await;
    withdrawn.assert_status(200);

    let page_two = changes(
        app,
        &token,
        &w.posting,
        &format!("updated_since={SINCE}&limit=2&cursor={cursor}"),
    )
    .await;
    // The third is there; the withdrawal is still settling; nothing was skipped.
    let mut seen = ids(&page_one);
    seen.extend(ids(&page_two));
    seen.sort();
    seen.dedup();
    assert_eq!(seen, applications);
    assert!(page_two["next_cursor"].is_null());

    // Later, from the last change seen, the withdrawal comes, last, in the list.
    app.clock.advance(Duration::seconds(31));
    let last_seen = page_two["items"][0]["updated_at"].as_str().unwrap();
    let later = changes(
        app,
        &token,
        &w.posting,
        &format!("updated_since={last_seen}&limit=10"),
    )
    .await;
    let items = later["items"].as_array().unwrap();
    let last = items.last().unwrap();
    assert_eq!(last["status"], "withdrawn");
    assert_eq!(last["id"], own.as_str());
    let order: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["updated_at"].as_str().unwrap(), i["id"].as_str().unwrap()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "ordered by (updated_at, id)");

    // The department's own list still works as before, and a cursor of one list is refused
    // by the other.
    let default = changes(app, &w.employer.token, &w.posting, "limit=2").await;
    assert_eq!(default["items"].as_array().unwrap().len(), 2);
    let wrong = app
        .get_as(
            &token,
            &format!(
                "/api/v1/postings/{}/applications?updated_since={SINCE}&cursor={}",
                w.posting,
                default["next_cursor"].as_str().unwrap()
            ),
        )
        .await;
    assert_problem(&wrong, 400, "invalid_cursor");
}

#[actix_web::test]
async fn a_client_without_applications_read_cannot_sync_applications() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let client = create_client(app, &admin, Some("DMV"), &["postings:read"]).await;
    let token = client_token(app, &client, None).await;
    let refused = app
        .get_as(
            &token,
            &format!(
                "/api/v1/postings/{}/applications?updated_since={SINCE}",
                w.posting
            ),
        )
        .await;
    assert_problem(&refused, 403, "insufficient_scope");
}
