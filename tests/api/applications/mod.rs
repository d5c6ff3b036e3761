//! Applications: the whole journey with its timeline, withdrawal, cancellation and filling,
//! the transition table over HTTP, department stages and bulk moves, idempotent submission,
//! the filing deadline, and who may do what.

mod department;
mod idempotency;
mod inputs;
mod journey;
mod lifecycle;
mod ranking;
mod roles;
mod submission;

use reqwest::{
    Method,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::{
    postings::{open, with_dmv_employer},
    support::{TestApp, TestResponse, TestUser},
};

/// A small real PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// An app with a DMV employer, an open DMV posting needing a résumé, and a verified applicant.
pub struct World {
    pub app: TestApp,
    pub employer: TestUser,
    pub applicant: TestUser,
    pub posting: String,
}

/// The usual world.
pub async fn world() -> World {
    let (app, employer) = with_dmv_employer().await;
    let posting = open(&app, &employer, json!({})).await;
    let applicant = app.applicant("ana@example.org").await;
    World {
        app,
        employer,
        applicant,
        posting,
    }
}

/// Uploads a résumé for `user`; returns its id.
pub async fn upload_resume(app: &TestApp, user: &TestUser) -> String {
    let part = Part::bytes(pdf()).file_name("resume.pdf");
    let form = Form::new()
        .text("kind", "resume")
        .text("title", "My résumé")
        .part("file", part);
    let response = app
        .send(
            app.request(Method::POST, "/api/v1/me/documents")
                .bearer_auth(&user.token)
                .multipart(form),
        )
        .await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

/// Starts a draft with `documents`; returns the answer.
pub async fn start(
    app: &TestApp,
    user: &TestUser,
    posting: &str,
    documents: &[&str],
) -> TestResponse {
    app.post_as(
        &user.token,
        "/api/v1/applications",
        &json!({"posting_id": posting, "document_ids": documents}),
    )
    .await
}

/// Submits with an optional Idempotency-Key.
pub async fn submit(app: &TestApp, user: &TestUser, id: &str, key: Option<&str>) -> TestResponse {
    let mut request = app
        .request(Method::POST, &format!("/api/v1/applications/{id}/submit"))
        .bearer_auth(&user.token);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    app.send(request).await
}

/// A submitted application of `user` with a résumé; returns its id.
pub async fn applied(app: &TestApp, user: &TestUser, posting: &str) -> String {
    let resume = upload_resume(app, user).await;
    let draft = start(app, user, posting, &[&resume]).await;
    draft.assert_status(201);
    let id = draft.body["id"].as_str().unwrap().to_owned();
    submit(app, user, &id, None).await.assert_status(201);
    id
}

/// `POST /applications/{id}/status` with `body` and `If-Match: tag` (none when `None`).
pub async fn move_to(
    app: &TestApp,
    user: &TestUser,
    id: &str,
    body: Value,
    tag: Option<&str>,
) -> TestResponse {
    let mut request = app
        .request(Method::POST, &format!("/api/v1/applications/{id}/status"))
        .bearer_auth(&user.token)
        .json(&body);
    if let Some(tag) = tag {
        request = request.header("if-match", tag);
    }
    app.send(request).await
}

/// The current ETag of an application, as its department reads it.
pub async fn tag_of(app: &TestApp, user: &TestUser, id: &str) -> String {
    let response = app
        .get_as(&user.token, &format!("/api/v1/applications/{id}"))
        .await;
    response.assert_status(200);
    response.header("etag").to_owned()
}

/// The applicant's timeline: (status, reason, notice_sent) per transition.
pub async fn timeline(app: &TestApp, user: &TestUser, id: &str) -> Vec<(String, Value, bool)> {
    let response = app
        .get_as(&user.token, &format!("/api/v1/me/applications/{id}"))
        .await;
    response.assert_status(200);
    response.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["status"].as_str().unwrap().to_owned(),
                e["reason"].clone(),
                e["notice_sent"].as_bool().unwrap(),
            )
        })
        .collect()
}
