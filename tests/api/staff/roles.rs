//! Who may do what: staff of the case's office, staff of another office, admin, employer,
//! applicant and anonymous, for every staff endpoint. Staff of another office get 404 for a
//! case (ids cannot be probed) and see nothing of it in lists; people who are neither staff
//! nor admin get 403; anonymous callers 401.

use reqwest::Method;
use serde_json::{Value, json};

use super::{case_for, ids, world};
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
    let case = case_for(app, &w.chen, &w.ana.id).await;
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    let admin = app.admin().await;
    let roles: [(&str, Option<&str>); 6] = [
        ("staff of the office", Some(&w.lee.token)),
        ("staff of another office", Some(&w.sfo.token)),
        ("admin", Some(&admin.token)),
        ("employer", Some(&employer.token)),
        ("applicant", Some(&w.ana.token)),
        ("anonymous", None),
    ];
    let case_path = format!("/api/v1/staff/cases/{case}");
    let today = crate::support::start_of_tests().date_naive().to_string();
    let cells: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::POST,
            "/api/v1/staff/cases".into(),
            Some(
                json!({"kind": "employer", "employer": {"name": "Matrix Co"}, "assigned_staff_id": w.chen.id}),
            ),
            // Staff of SFO cannot give a case to LAO's staff; the admin finds it open already.
            [201, 422, 409, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/staff/cases?scope=all".into(),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            case_path.clone(),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{case_path}/assignment"),
            Some(json!({"assigned_staff_id": w.chen.id})),
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{case_path}/status"),
            Some(json!({"status": "inactive"})),
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{case_path}/activities"),
            Some(json!({"code": "follow_up", "provided_on": today})),
            [201, 404, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{case_path}/activities"),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{case_path}/placements"),
            Some(
                json!({"employer_name": "Acme", "job_title": "Clerk", "start_date": today, "hourly_wage_cents": 2000}),
            ),
            [201, 404, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{case_path}/placements"),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/staff/quick-search/individuals?q=ana".into(),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/staff/quick-search/employers?q=matrix".into(),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("/api/v1/staff/report-indicators?from={today}&to={today}&office_code=LAO"),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cells {
        for ((role, token), want) in roles.iter().zip(expected) {
            let got = call(app, *token, method.clone(), path, body.as_ref()).await;
            if got.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: {} (wanted {want}) {}",
                    got.status, got.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // What another office's staff member sent was not stored, and they see nothing of LAO's.
    let activities = app
        .get_as(&w.chen.token, &format!("{case_path}/activities"))
        .await;
    assert_eq!(ids(&activities.body).len(), 2);
    let placements = app
        .get_as(&w.chen.token, &format!("{case_path}/placements"))
        .await;
    assert_eq!(ids(&placements.body).len(), 2);
    for path in [
        "/api/v1/staff/cases?scope=all",
        "/api/v1/staff/quick-search/individuals?q=ana",
        "/api/v1/staff/quick-search/employers?q=matrix",
    ] {
        let seen = app.get_as(&w.sfo.token, path).await;
        assert!(ids(&seen.body).is_empty(), "{path}");
    }
    let by_lao_staff = app
        .get_as(
            &w.sfo.token,
            &format!("/api/v1/staff/cases?assigned_staff_id={}", w.chen.id),
        )
        .await;
    assert!(ids(&by_lao_staff.body).is_empty());
}

#[actix_web::test]
async fn who_may_not_use_the_workspace_is_refused_before_their_input_is_judged() {
    let w = world().await;
    let app = &w.app;
    let bad_body = json!({"kind": "nobody", "extra": true});
    let refused = app
        .post_as(&w.ana.token, "/api/v1/staff/cases", &bad_body)
        .await;
    crate::support::assert_problem(&refused, 403, "forbidden");
    let bad_query = app
        .get_as(&w.ana.token, "/api/v1/staff/report-indicators?from=nope")
        .await;
    crate::support::assert_problem(&bad_query, 403, "forbidden");
    let anonymous = app
        .post(
            "/api/v1/staff/cases/01938f4e-7c1a-7b2e-9c3d-4e5f60718293/status",
            &bad_body,
        )
        .await;
    crate::support::assert_problem(&anonymous, 401, "unauthenticated");
    // Staff get the validation error.
    let judged = app
        .post_as(&w.chen.token, "/api/v1/staff/cases", &bad_body)
        .await;
    crate::support::assert_problem(&judged, 422, "validation_failed");
}

#[actix_web::test]
async fn each_role_gets_exactly_its_answer_from_resources_links_and_surveys() {
    let w = world().await;
    let app = &w.app;
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    let admin = app.admin().await;
    let roles: [(&str, Option<&str>); 6] = [
        ("staff of the office", Some(&w.lee.token)),
        ("staff of another office", Some(&w.sfo.token)),
        ("admin", Some(&admin.token)),
        ("employer", Some(&employer.token)),
        ("applicant", Some(&w.ana.token)),
        ("anonymous", None),
    ];
    let resource_body = json!({"title": "LAO guide", "url": "https://r.example.gov", "kind": "guide", "offices": ["LAO"]});
    let link_body =
        json!({"title": "LAO LMI", "url": "https://lmi.example.gov", "offices": ["LAO"]});
    let closes = (crate::support::start_of_tests() + chrono::Duration::days(2)).to_rfc3339();
    let survey_body = json!({"title": "Pulse", "closes_at": closes, "offices": ["LAO"], "questions": [{"prompt": "Rate", "kind": "rating"}]});
    let made = |path: &'static str, body: Value| {
        let admin = admin.token.clone();
        async move {
            let made = app.post_as(&admin, path, &body).await;
            made.assert_status(201);
            made.body["id"].as_str().unwrap().to_owned()
        }
    };
    let resource = made("/api/v1/staff/resources", resource_body.clone()).await;
    let link = made("/api/v1/staff/labor-market-links", link_body.clone()).await;
    let survey = made("/api/v1/staff/surveys", survey_body.clone()).await;
    let resource_path = format!("/api/v1/staff/resources/{resource}");
    let link_path = format!("/api/v1/staff/labor-market-links/{link}");
    let survey_path = format!("/api/v1/staff/surveys/{survey}");
    let admin_only = [403, 403, 200, 403, 403, 401];
    let readers = [200, 200, 200, 403, 403, 401];
    let office_readers = [200, 404, 200, 403, 403, 401];
    let cells: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::POST,
            "/api/v1/staff/resources".into(),
            Some(resource_body.clone()),
            [403, 403, 201, 403, 403, 401],
        ),
        (Method::GET, "/api/v1/staff/resources".into(), None, readers),
        (Method::GET, resource_path.clone(), None, office_readers),
        (
            Method::PUT,
            resource_path.clone(),
            Some(resource_body),
            admin_only,
        ),
        (
            Method::POST,
            "/api/v1/staff/labor-market-links".into(),
            Some(link_body.clone()),
            [403, 403, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/staff/labor-market-links".into(),
            None,
            readers,
        ),
        (Method::GET, link_path.clone(), None, office_readers),
        (Method::PUT, link_path.clone(), Some(link_body), admin_only),
        (
            Method::POST,
            "/api/v1/staff/surveys".into(),
            Some(survey_body),
            [403, 403, 201, 403, 403, 401],
        ),
        (Method::GET, "/api/v1/staff/surveys".into(), None, readers),
        (Method::GET, survey_path.clone(), None, office_readers),
        (
            Method::POST,
            format!("{survey_path}/responses"),
            Some(json!({"answers": [{"rating": 4}]})),
            [204, 404, 204, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{survey_path}/results"),
            None,
            admin_only,
        ),
        (
            Method::DELETE,
            resource_path.clone(),
            None,
            [403, 403, 204, 403, 403, 401],
        ),
        (
            Method::DELETE,
            link_path.clone(),
            None,
            [403, 403, 204, 403, 403, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cells {
        for ((role, token), want) in roles.iter().zip(expected) {
            let got = call(app, *token, method.clone(), path, body.as_ref()).await;
            if got.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: {} (wanted {want}) {}",
                    got.status, got.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // What the refused sent was not stored: one resource and one link (the admin's second),
    // two answers (Lee's and the admin's).
    let resources = app.get_as(&admin.token, "/api/v1/staff/resources").await;
    assert_eq!(ids(&resources.body).len(), 1);
    let links = app
        .get_as(&admin.token, "/api/v1/staff/labor-market-links")
        .await;
    assert_eq!(ids(&links.body).len(), 1);
    let results = app
        .get_as(&admin.token, &format!("{survey_path}/results"))
        .await;
    assert_eq!(results.body["responses"], 2);
    let all = app
        .get_as(&admin.token, "/api/v1/staff/surveys?scope=all")
        .await;
    assert_eq!(ids(&all.body).len(), 2);
}
