//! Incremental sync of postings (`GET /postings?updated_since=`): read from the database in the
//! order of last change with a stable keyset, every status the caller may read, nothing
//! skipped when postings share an instant, changes listed once settled.

use chrono::Duration;
use serde_json::{Value, json};

use super::{client_token, create_client};
use crate::{
    postings::{draft, open, with_dmv_employer},
    support::{TestApp, assert_problem},
};

const SINCE: &str = "2026-03-02T09:00:00Z";

async fn changes(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let path = format!("/api/v1/postings?{query}");
    let response = match token {
        Some(token) => app.get_as(token, &path).await,
        None => app.get(&path).await,
    };
    response.assert_status(200);
    assert!(response.body.get("total").is_none(), "not a search answer");
    response.body
}

/// Every page from `query` on, following `next_cursor`: (id, status) in order.
async fn all_pages(app: &TestApp, token: Option<&str>, query: &str) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = match &cursor {
            Some(c) => changes(app, token, &format!("{query}&cursor={c}")).await,
            None => changes(app, token, query).await,
        };
        for item in page["items"].as_array().unwrap() {
            seen.push((
                item["id"].as_str().unwrap().to_owned(),
                item["status"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
}

fn ids(seen: &[(String, String)]) -> Vec<String> {
    seen.iter().map(|(id, _)| id.clone()).collect()
}

#[actix_web::test]
async fn a_mirror_follows_postings_without_gaps_at_one_instant() {
    let (app, employer) = with_dmv_employer().await;
    let admin = app.admin().await;
    let dmv_client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let state_client = create_client(&app, &admin, None, &["postings:read"]).await;
    let dmv = client_token(&app, &dmv_client, None).await;
    let state_wide = client_token(&app, &state_client, None).await;
    // The test clock stands still: every posting below changes at one instant.
    let mut public = vec![
        open(&app, &employer, json!({})).await,
        open(&app, &employer, json!({})).await,
    ];
    public.sort();
    let internal = open(&app, &employer, json!({"visibility": "internal_only"})).await;
    let drafted = draft(&app, &employer, json!({})).await;
    let mut everything = vec![
        public[0].clone(),
        public[1].clone(),
        internal.clone(),
        drafted,
    ];
    everything.sort();
    let query = format!("updated_since={SINCE}&limit=1");

    // Changes younger than the settle window are not listed yet.
    assert_eq!(changes(&app, Some(&dmv), &query).await["items"], json!([]));
    app.clock.advance(Duration::seconds(31));

    // The department's client sees all its postings, drafts and internal ones, one per page in
    // (updated_at, id) order: a cursor inside one instant skips nothing.
    let seen = all_pages(&app, Some(&dmv), &query).await;
    assert_eq!(ids(&seen), everything);
    // The department's employer sees the same.
    assert_eq!(
        ids(&all_pages(&app, Some(&employer.token), &query).await),
        everything
    );
    // The public and a state-wide client: what anyone may read, no drafts, no internal ones.
    assert_eq!(ids(&all_pages(&app, None, &query).await), public);
    assert_eq!(
        ids(&all_pages(&app, Some(&state_wide), &query).await),
        public
    );

    // A change after the mirror read to the end: a posting closes. From the greatest
    // `updated_at` seen, it comes again later with its new status, also to the public (a mirror
    // must learn that it closed).
    let last = changes(
        &app,
        Some(&dmv),
        &format!("updated_since={SINCE}&limit=100"),
    )
    .await;
    let last_seen = last["items"].as_array().unwrap().last().unwrap()["updated_at"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Duration::seconds(5));
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{}/close", public[0]),
        &json!({}),
    )
    .await
    .assert_status(200);
    let since_last = format!("updated_since={}&limit=100", last_seen.replace('+', "%2B"));
    // Not yet settled: only the earlier changes (at `last_seen`) come again.
    assert!(
        !all_pages(&app, None, &since_last)
            .await
            .contains(&(public[0].clone(), "closed".to_owned()))
    );
    app.clock.advance(Duration::seconds(31));
    let later = all_pages(&app, None, &since_last).await;
    assert_eq!(
        later.last().unwrap(),
        &(public[0].clone(), "closed".to_owned())
    );
    let later = all_pages(&app, Some(&dmv), &since_last).await;
    assert_eq!(
        later.last().unwrap(),
        &(public[0].clone(), "closed".to_owned())
    );

    // The search filters apply; another department's filter finds nothing.
    let filtered = changes(
        &app,
        Some(&dmv),
        &format!("updated_since={SINCE}&limit=100&department=CDCR"),
    )
    .await;
    assert_eq!(filtered["items"], json!([]));
    let internal_only = changes(
        &app,
        Some(&dmv),
        &format!("updated_since={SINCE}&limit=100&internal_only=true"),
    )
    .await;
    assert_eq!(internal_only["items"][0]["id"], internal.as_str());
    assert_eq!(internal_only["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn keywords_order_and_foreign_cursors_do_not_combine_with_updated_since() {
    let (app, employer) = with_dmv_employer().await;
    open(&app, &employer, json!({})).await;
    open(&app, &employer, json!({})).await;
    let refused = app
        .get(&format!(
            "/api/v1/postings?updated_since={SINCE}&q=analyst&sort=newest"
        ))
        .await;
    assert_problem(&refused, 422, "validation_failed");
    let fields: Vec<(&str, &str)> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("q", "not_with_updated_since"),
            ("sort", "not_with_updated_since")
        ]
    );

    // A search cursor is not a sync cursor, and the other way round.
    app.wait_for_search_index().await;
    let searched = crate::postings::search(&app, None, "limit=1").await;
    let search_cursor = searched["next_cursor"].as_str().unwrap();
    let wrong = app
        .get(&format!(
            "/api/v1/postings?updated_since={SINCE}&cursor={search_cursor}"
        ))
        .await;
    assert_problem(&wrong, 400, "invalid_cursor");
    app.clock.advance(Duration::seconds(31));
    let synced = changes(&app, None, &format!("updated_since={SINCE}&limit=1")).await;
    let sync_cursor = synced["next_cursor"].as_str().unwrap();
    let wrong = app
        .get(&format!("/api/v1/postings?limit=1&cursor={sync_cursor}"))
        .await;
    assert_eq!(wrong.status, 400, "{}", wrong.text);
}
