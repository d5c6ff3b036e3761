//! Postings: lifecycle, department isolation, the visibility matrix, search (filters, orders,
//! relevance, paging, hostile input, ETags), the consideration preview and saved searches.

mod consideration;
mod lifecycle;
mod saved_searches;
mod search;
mod visibility;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, TestUser};

/// A valid posting body for classification 5393 in Sacramento, changed by `overrides`.
pub fn posting_body(overrides: Value) -> Value {
    let mut body = json!({
        "classification_code": "5393",
        "title": "Associate Governmental Program Analyst",
        "duties": "Performs analytical work on program policy, budgets and legislation.",
        "county_code": "sacramento",
        "tenure": "permanent",
        "time_base": "full_time",
        "shift": "day",
        "salary_min_cents": 573_200,
        "salary_max_cents": 717_600,
        "final_filing_date": "2026-04-30",
        "required_documents": ["resume"],
        "eligibility_required": false,
        "visibility": "public"
    });
    if let (Some(base), Some(changes)) = (body.as_object_mut(), overrides.as_object()) {
        for (key, value) in changes {
            base.insert(key.clone(), value.clone());
        }
    }
    body
}

/// Creates a draft as `employer`; returns its id.
pub async fn draft(app: &TestApp, employer: &TestUser, overrides: Value) -> String {
    let response = app
        .post_as(
            &employer.token,
            "/api/v1/postings",
            &posting_body(overrides),
        )
        .await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

/// Creates and publishes a posting as `employer`; returns its id.
pub async fn open(app: &TestApp, employer: &TestUser, overrides: Value) -> String {
    let id = draft(app, employer, overrides).await;
    app.post_as(
        &employer.token,
        &format!("/api/v1/postings/{id}/publish"),
        &json!({}),
    )
    .await
    .assert_status(200);
    id
}

/// The ids of a search's items.
pub fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Searches with `query` (a query string without `?`), as `token` when given.
pub async fn search(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let path = format!("/api/v1/postings?{query}");
    let response = match token {
        Some(token) => app.get_as(token, &path).await,
        None => app.get(&path).await,
    };
    response.assert_status(200);
    response.body
}

/// An app with reference data and a signed-in employer of DMV.
pub async fn with_dmv_employer() -> (TestApp, TestUser) {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    (app, employer)
}

/// `PATCH /postings/{id}` with a full body and an optional `If-Match`.
pub async fn patch(
    app: &TestApp,
    employer: &TestUser,
    id: &str,
    overrides: Value,
    if_match: Option<&str>,
) -> crate::support::TestResponse {
    let mut request = app
        .request(Method::PATCH, &format!("/api/v1/postings/{id}"))
        .bearer_auth(&employer.token)
        .json(&posting_body(overrides));
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    app.send(request).await
}
