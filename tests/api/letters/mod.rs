//! Contact letters: who gets one (eligible list, accepts contact, conditions that fit, the
//! department's filter, certifiable), once per person and posting; `respond_by` by California
//! business days; answers and the filing-date rule; waivers of appointment and the third that
//! ends certification; and who may do what.

mod roles;
mod rules;
mod sending;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    postings::open,
    support::{TestApp, TestResponse, TestUser},
};

/// An exam for class 5393 whose one question's options are worth 70, 85, 90, 95 or 100 points.
fn exam_body() -> Value {
    json!({
        "classification_code": "5393",
        "title": "Associate Governmental Program Analyst (Training and Experience)",
        "description": "An online questionnaire about your analytical experience.",
        "list_duration_months": 24,
        "passing_score": 70,
        "retake_wait_days": 180,
        "questions": [{
            "text": "How many years of analytical experience do you have?",
            "options": [
                {"text": "One year", "points": 70}, {"text": "Two years", "points": 85},
                {"text": "Three years", "points": 90}, {"text": "Four years", "points": 95},
                {"text": "Five or more", "points": 100}
            ]
        }]
    })
}

fn option_for(points: u32) -> &'static str {
    match points {
        70 => "a",
        85 => "b",
        90 => "c",
        95 => "d",
        _ => "e",
    }
}

/// An app with a DMV employer, an exam for 5393 and an open DMV posting for it in Sacramento.
pub struct World {
    pub app: TestApp,
    pub employer: TestUser,
    pub exam: String,
    pub posting: String,
}

pub async fn world() -> World {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let created = app
        .post_as(&employer.token, "/api/v1/exams", &exam_body())
        .await;
    created.assert_status(201);
    let exam = created.body["id"].as_str().unwrap().to_owned();
    let posting = open(&app, &employer, json!({})).await;
    World {
        app,
        employer,
        exam,
        posting,
    }
}

/// A person with these conditions of employment who passed the exam with `points`.
pub async fn eligible(w: &World, name: &str, points: u32, conditions: Value) -> TestUser {
    let app = &w.app;
    let email = format!("{name}@example.org");
    let person = app.applicant(&email).await;
    let current = app.get_as(&person.token, "/api/v1/me/profile").await;
    let tag = current.header("etag").to_owned();
    let body = json!({"first_name": name, "last_name": "Eligible", "email": email, "supervisors": [], "conditions": conditions});
    app.send(
        app.request(Method::PUT, "/api/v1/me/profile")
            .bearer_auth(&person.token)
            .header("if-match", tag)
            .json(&body),
    )
    .await
    .assert_status(200);
    let answers = json!({"answers": [{"question_id": "q1", "option_id": option_for(points)}]});
    app.post_as(
        &person.token,
        &format!("/api/v1/exams/{}/attempts", w.exam),
        &answers,
    )
    .await
    .assert_status(201);
    person
}

/// Accepts contact letters, anything else open.
pub fn welcoming() -> Value {
    json!({"accepts_contact": true})
}

pub async fn send(app: &TestApp, user: &TestUser, posting: &str, body: Value) -> TestResponse {
    app.post_as(
        &user.token,
        &format!("/api/v1/postings/{posting}/contact-letters"),
        &body,
    )
    .await
}

/// The department's list of a posting's letters (first page of 100).
pub async fn letters(app: &TestApp, user: &TestUser, posting: &str) -> Vec<Value> {
    let list = app
        .get_as(
            &user.token,
            &format!("/api/v1/postings/{posting}/contact-letters?limit=100"),
        )
        .await;
    list.assert_status(200);
    list.body["items"].as_array().unwrap().clone()
}

/// The caller's own letters.
pub async fn mine(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let list = app.get_as(&user.token, "/api/v1/me/contact-letters").await;
    list.assert_status(200);
    list.body["items"].as_array().unwrap().clone()
}

pub async fn answer(app: &TestApp, user: &TestUser, letter: &str, answer: &str) -> TestResponse {
    app.post_as(
        &user.token,
        &format!("/api/v1/me/contact-letters/{letter}/response"),
        &json!({"answer": answer}),
    )
    .await
}

/// Signs in again (access tokens last 15 minutes and tests move the clock by days).
pub async fn again(app: &TestApp, user: &TestUser) -> TestUser {
    app.signed_in(&user.login, &user.password).await
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The state of `account`'s letter in a department list.
pub fn state_of(letters: &[Value], account: &str) -> String {
    letters
        .iter()
        .find(|l| l["account_id"] == account)
        .map(|l| l["state"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}
