//! Who may do what: applicant, other applicant, employee, employer of the department, employer
//! of another department, staff, admin and anonymous, for every application endpoint.

use reqwest::Method;
use serde_json::{Value, json};

use super::{applied, start, tag_of, world};
use crate::support::{TestApp, TestResponse};

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> TestResponse {
    let mut request = app.request(method, path);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    app.send(request).await
}

#[actix_web::test]
async fn each_role_gets_exactly_its_answer_from_each_endpoint() {
    let w = world().await;
    let app = &w.app;
    let id = applied(app, &w.applicant, &w.posting).await;
    let other = app.applicant("ben@example.org").await;
    let draft = start(app, &other, &w.posting, &[]).await;
    let draft_id = draft.body["id"].as_str().unwrap().to_owned();
    let employee = app.employee("3001", "CDCR").await;
    let outsider = app.employer("Olga", "Other", "CDCR").await;
    let staff = app.staff("Sam", "Staff", "LAO").await;
    let admin = app.admin().await;
    let roles: [(&str, Option<&str>); 8] = [
        ("applicant", Some(&w.applicant.token)),
        ("other applicant", Some(&other.token)),
        ("employee", Some(&employee.token)),
        ("employer", Some(&w.employer.token)),
        ("other employer", Some(&outsider.token)),
        ("staff", Some(&staff.token)),
        ("admin", Some(&admin.token)),
        ("anonymous", None),
    ];
    let app_path = format!("/api/v1/applications/{id}");
    let mine = format!("/api/v1/me/applications/{id}");
    let list = format!("/api/v1/postings/{}/applications", w.posting);
    let draft_path = format!("/api/v1/applications/{draft_id}");
    let stages = "/api/v1/departments/DMV/application-stages".to_owned();
    let patch = json!({"document_ids": []});
    // (method, path, body, expected per role in the order above)
    let cells: Vec<(Method, String, Option<Value>, [u16; 8])> = vec![
        (
            Method::GET,
            app_path.clone(),
            None,
            [200, 404, 404, 200, 404, 404, 200, 401],
        ),
        (
            Method::GET,
            mine,
            None,
            [200, 404, 404, 404, 404, 404, 404, 401],
        ),
        (
            Method::GET,
            list,
            None,
            [403, 403, 403, 200, 404, 403, 200, 401],
        ),
        (
            Method::GET,
            draft_path.clone(),
            None,
            [404, 200, 404, 404, 404, 404, 404, 401],
        ),
        (
            Method::PATCH,
            draft_path.clone(),
            Some(patch),
            [404, 200, 404, 404, 404, 404, 404, 401],
        ),
        (
            Method::GET,
            stages,
            None,
            [403, 403, 403, 200, 404, 403, 200, 401],
        ),
        (
            Method::GET,
            "/api/v1/me/applications".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
    ];
    for (method, path, body, expected) in cells {
        for ((role, token), status) in roles.iter().zip(expected) {
            let response = call(app, *token, method.clone(), &path, body.as_ref()).await;
            assert_eq!(
                response.status, status,
                "{role} {method} {path}: {}",
                response.text
            );
        }
    }
    let created = [403, 201, 201, 403, 403, 403, 403, 401];
    for ((role, token), status) in roles.iter().zip(created) {
        let body = json!({"posting_id": w.posting});
        let response = call(
            app,
            *token,
            Method::POST,
            "/api/v1/applications",
            Some(&body),
        )
        .await;
        let status = if *role == "applicant" { 409 } else { status };
        assert_eq!(response.status, status, "{role} creates: {}", response.text);
    }
    let moves = [403, 403, 403, 200, 404, 403, 200, 401];
    let steps = ["under_review", "eligible"];
    let mut step = 0;
    for ((role, token), status) in roles.iter().zip(moves) {
        let tag = tag_of(app, &w.employer, &id).await;
        let body = json!({"status": steps[step.min(1)]});
        let response = app
            .send({
                let mut r = app
                    .request(Method::POST, &format!("{app_path}/status"))
                    .header("if-match", tag)
                    .json(&body);
                if let Some(token) = token {
                    r = r.bearer_auth(token);
                }
                r
            })
            .await;
        assert_eq!(response.status, status, "{role} moves: {}", response.text);
        if status == 200 {
            step += 1;
        }
    }
    let withdraw = [200, 404, 404, 404, 404, 404, 404, 401];
    for ((role, token), status) in roles.iter().zip(withdraw).rev() {
        let path = format!("{app_path}/withdraw");
        let response = call(app, *token, Method::POST, &path, None).await;
        assert_eq!(
            response.status, status,
            "{role} withdraws: {}",
            response.text
        );
    }
    let deletes = [404, 204, 404, 404, 404, 404, 404, 401];
    for ((role, token), status) in roles.iter().zip(deletes).rev() {
        let response = call(app, *token, Method::DELETE, &draft_path, None).await;
        assert_eq!(response.status, status, "{role} deletes: {}", response.text);
    }
}
