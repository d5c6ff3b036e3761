//! Announcements: admins publish to everyone or to offices and/or roles for a window, change
//! and withdraw them; staff and admins read what is addressed to them now, with read state.

use reqwest::Method;
use serde_json::{Value, json};

use super::{audit, ids, world};
use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

const ANNOUNCEMENTS: &str = "/api/v1/announcements";

async fn publish(app: &TestApp, admin: &TestUser, body: &Value) -> String {
    let response = app.post_as(&admin.token, ANNOUNCEMENTS, body).await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

async fn put(
    app: &TestApp,
    token: &str,
    id: &str,
    etag: Option<&str>,
    body: &Value,
) -> TestResponse {
    let mut request = app
        .request(Method::PUT, &format!("{ANNOUNCEMENTS}/{id}"))
        .bearer_auth(token)
        .json(body);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    app.send(request).await
}

fn news(title: &str) -> Value {
    json!({"title": title, "body": "Read this.\nTwice."})
}

#[actix_web::test]
async fn an_announcement_to_everyone_reaches_all_staff_with_their_own_read_state() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let response = app
        .post_as(&admin.token, ANNOUNCEMENTS, &news("Office closed Monday"))
        .await;
    response.assert_status(201);
    let id = response.body["id"].as_str().unwrap().to_owned();
    assert_eq!(response.header("location"), format!("{ANNOUNCEMENTS}/{id}"));
    assert_eq!(response.body["state"], "live");
    assert_eq!(response.body["offices"], json!([]));
    assert_eq!(response.body["body"], "Read this.\nTwice.");

    for staff in [&w.chen, &w.lee, &w.sfo] {
        let list = app.get_as(&staff.token, ANNOUNCEMENTS).await;
        list.assert_status(200);
        assert_eq!(ids(&list.body), vec![id.clone()]);
        assert_eq!(list.body["items"][0]["read"], false);
    }
    let read = app
        .post_as(
            &w.chen.token,
            &format!("{ANNOUNCEMENTS}/{id}/read"),
            &json!({}),
        )
        .await;
    read.assert_status(204);
    app.post_as(
        &w.chen.token,
        &format!("{ANNOUNCEMENTS}/{id}/read"),
        &json!({}),
    )
    .await
    .assert_status(204);
    let chens = app.get_as(&w.chen.token, ANNOUNCEMENTS).await;
    assert_eq!(chens.body["items"][0]["read"], true);
    let one = app
        .get_as(&w.chen.token, &format!("{ANNOUNCEMENTS}/{id}"))
        .await;
    assert_eq!(one.body["read"], true);
    let lees = app.get_as(&w.lee.token, ANNOUNCEMENTS).await;
    assert_eq!(lees.body["items"][0]["read"], false);
    // Job seekers are not its audience.
    assert_problem(
        &app.get_as(&w.ana.token, ANNOUNCEMENTS).await,
        403,
        "forbidden",
    );

    let events = audit(app, "announcement_published").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["announcement_id"], id.as_str());
}

#[actix_web::test]
async fn offices_roles_and_the_window_decide_who_sees_an_announcement_and_when() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let lao = publish(
        app,
        &admin,
        &json!({"title": "LAO only", "body": "x", "offices": ["lao"]}),
    )
    .await;
    let admins = publish(
        app,
        &admin,
        &json!({"title": "Admins only", "body": "x", "roles": ["admin"]}),
    )
    .await;
    let lao_staff = publish(
        app,
        &admin,
        &json!({"title": "LAO staff", "body": "x", "offices": ["LAO"], "roles": ["staff"]}),
    )
    .await;
    let later = publish(
        app,
        &admin,
        &json!({"title": "Tomorrow", "body": "x", "publish_at": "2026-03-03T09:00:00Z"}),
    )
    .await;
    let brief = publish(
        app,
        &admin,
        &json!({"title": "Until noon", "body": "x", "expire_at": "2026-03-02T12:00:00Z"}),
    )
    .await;

    let lee = app.get_as(&w.lee.token, ANNOUNCEMENTS).await;
    assert_eq!(
        ids(&lee.body),
        vec![brief.clone(), lao_staff.clone(), lao.clone()]
    );
    let sfo = app.get_as(&w.sfo.token, ANNOUNCEMENTS).await;
    assert_eq!(ids(&sfo.body), vec![brief.clone()]);
    let mine = app.get_as(&admin.token, ANNOUNCEMENTS).await;
    assert_eq!(ids(&mine.body), vec![brief.clone(), admins.clone()]);
    // Not addressed to them: 404 to read or mark, and nothing is stored.
    for id in [&lao, &admins, &later] {
        assert_problem(
            &app.get_as(&w.sfo.token, &format!("{ANNOUNCEMENTS}/{id}"))
                .await,
            404,
            "not_found",
        );
        let mark = app
            .post_as(
                &w.sfo.token,
                &format!("{ANNOUNCEMENTS}/{id}/read"),
                &json!({}),
            )
            .await;
        assert_problem(&mark, 404, "not_found");
    }
    // Admins manage every one, with its state.
    let all = app
        .get_as(&admin.token, &format!("{ANNOUNCEMENTS}?scope=all"))
        .await;
    all.assert_status(200);
    assert_eq!(
        ids(&all.body),
        vec![
            later.clone(),
            brief.clone(),
            lao_staff.clone(),
            admins.clone(),
            lao.clone()
        ]
    );
    assert_eq!(all.body["items"][0]["state"], "scheduled");
    assert_problem(
        &app.get_as(&w.lee.token, &format!("{ANNOUNCEMENTS}?scope=all"))
            .await,
        403,
        "forbidden",
    );

    // A day on: the brief one expired, tomorrow's is out.
    app.clock.advance(chrono::Duration::hours(24));
    let lee = app.signed_in(&w.lee.login, &w.lee.password).await;
    let admin = app.admin().await;
    let now = app.get_as(&lee.token, ANNOUNCEMENTS).await;
    assert_eq!(
        ids(&now.body),
        vec![later.clone(), lao_staff.clone(), lao.clone()]
    );
    // Withdrawn: gone for everyone.
    let withdrawn = app
        .post_as(
            &admin.token,
            &format!("{ANNOUNCEMENTS}/{lao}/withdraw"),
            &json!({}),
        )
        .await;
    withdrawn.assert_status(200);
    assert_eq!(withdrawn.body["state"], "withdrawn");
    let now = app.get_as(&lee.token, ANNOUNCEMENTS).await;
    assert_eq!(ids(&now.body), vec![later.clone(), lao_staff.clone()]);
    let all = app
        .get_as(&admin.token, &format!("{ANNOUNCEMENTS}?scope=all"))
        .await;
    let states: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["live", "expired", "live", "live", "withdrawn"]);
    assert_eq!(audit(app, "announcement_withdrawn").await.len(), 1);
}

#[actix_web::test]
async fn only_admins_publish_and_bad_announcements_are_refused() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    assert_problem(
        &app.post_as(&w.chen.token, ANNOUNCEMENTS, &news("Mine"))
            .await,
        403,
        "forbidden",
    );
    let cases = [
        (
            json!({"title": "x", "body": "x", "publish_at": "2026-03-05T00:00:00Z", "expire_at": "2026-03-04T00:00:00Z"}),
            "expire_at",
            "expires_before_publication",
        ),
        (
            json!({"title": "x", "body": "x", "offices": ["ZZZ"]}),
            "offices[0]",
            "unknown_office",
        ),
        (
            json!({"title": "x", "body": "x", "offices": ["L4"]}),
            "offices[0]",
            "invalid_code",
        ),
        (json!({"title": " ", "body": "x"}), "title", "blank"),
    ];
    for (body, field, code) in cases {
        let refused = app.post_as(&admin.token, ANNOUNCEMENTS, &body).await;
        assert_problem(&refused, 422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], field, "{body}");
        assert_eq!(refused.body["errors"][0]["code"], code, "{body}");
    }
    let bad_role = app
        .post_as(
            &admin.token,
            ANNOUNCEMENTS,
            &json!({"title": "x", "body": "x", "roles": ["applicant"]}),
        )
        .await;
    assert_problem(&bad_role, 422, "validation_failed");
    let all = app
        .get_as(&admin.token, &format!("{ANNOUNCEMENTS}?scope=all"))
        .await;
    assert!(ids(&all.body).is_empty());

    // Changes take the current version; a withdrawn one cannot change.
    let id = publish(app, &admin, &news("First")).await;
    let read = app
        .get_as(&admin.token, &format!("{ANNOUNCEMENTS}/{id}"))
        .await;
    let etag = read.header("etag").to_owned();
    let changed = put(
        app,
        &admin.token,
        &id,
        Some(&etag),
        &json!({"title": "Second", "body": "y", "offices": ["SFO"]}),
    )
    .await;
    changed.assert_status(200);
    assert_eq!(changed.body["offices"], json!(["SFO"]));
    assert_eq!(changed.body["version"], 2);
    let stale = put(app, &admin.token, &id, Some(&etag), &news("Third")).await;
    assert_problem(&stale, 412, "precondition_failed");
    assert_problem(
        &put(app, &w.chen.token, &id, None, &news("Staff's")).await,
        403,
        "forbidden",
    );
    let lao = app.get_as(&w.chen.token, ANNOUNCEMENTS).await;
    assert!(ids(&lao.body).is_empty());
    app.post_as(
        &admin.token,
        &format!("{ANNOUNCEMENTS}/{id}/withdraw"),
        &json!({}),
    )
    .await
    .assert_status(200);
    let again = app
        .post_as(
            &admin.token,
            &format!("{ANNOUNCEMENTS}/{id}/withdraw"),
            &json!({}),
        )
        .await;
    again.assert_status(200);
    assert_eq!(again.body["version"], 3);
    assert_problem(
        &put(app, &admin.token, &id, None, &news("Back")).await,
        409,
        "announcement_withdrawn",
    );
    assert_eq!(audit(app, "announcement_updated").await.len(), 1);
}

#[actix_web::test]
async fn lists_page_newest_first() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let mut made = Vec::new();
    for i in 0..3 {
        app.clock.advance(chrono::Duration::seconds(1));
        made.push(publish(app, &admin, &news(&format!("News {i}"))).await);
    }
    let first = app
        .get_as(&w.chen.token, &format!("{ANNOUNCEMENTS}?limit=2"))
        .await;
    assert_eq!(ids(&first.body), vec![made[2].clone(), made[1].clone()]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(
            &w.chen.token,
            &format!("{ANNOUNCEMENTS}?limit=2&cursor={cursor}"),
        )
        .await;
    assert_eq!(ids(&second.body), vec![made[0].clone()]);
    assert!(second.body["next_cursor"].is_null());
    // A cursor of the current list is not one of the list of all.
    let foreign = app
        .get_as(
            &admin.token,
            &format!("{ANNOUNCEMENTS}?scope=all&cursor={cursor}"),
        )
        .await;
    assert_problem(&foreign, 400, "invalid_cursor");
}

#[actix_web::test]
async fn each_role_gets_exactly_its_answer_from_each_announcement_endpoint() {
    let w = world().await;
    let app = &w.app;
    let admin = app.admin().await;
    let id = publish(
        app,
        &admin,
        &json!({"title": "LAO", "body": "x", "offices": ["LAO"]}),
    )
    .await;
    let employer = app.employer("Elena", "Garcia", "DMV").await;
    let roles: [(&str, Option<&str>); 6] = [
        ("staff of the office", Some(&w.lee.token)),
        ("staff of another office", Some(&w.sfo.token)),
        ("admin", Some(&admin.token)),
        ("employer", Some(&employer.token)),
        ("applicant", Some(&w.ana.token)),
        ("anonymous", None),
    ];
    let path = format!("{ANNOUNCEMENTS}/{id}");
    let cells: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::POST,
            ANNOUNCEMENTS.into(),
            Some(news("New")),
            [403, 403, 201, 403, 403, 401],
        ),
        (
            Method::GET,
            ANNOUNCEMENTS.into(),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            Method::GET,
            format!("{ANNOUNCEMENTS}?scope=all"),
            None,
            [403, 403, 200, 403, 403, 401],
        ),
        // Addressed to LAO: the admin manages it but is not its audience.
        (
            Method::GET,
            path.clone(),
            None,
            [200, 404, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{path}/read"),
            None,
            [204, 404, 404, 403, 403, 401],
        ),
        (
            Method::PUT,
            path.clone(),
            Some(json!({"title": "LAO!", "body": "x", "offices": ["LAO"]})),
            [403, 403, 200, 403, 403, 401],
        ),
        (
            Method::POST,
            format!("{path}/withdraw"),
            None,
            [403, 403, 200, 403, 403, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cells {
        for ((role, token), want) in roles.iter().zip(expected) {
            let mut request = app.request(method.clone(), path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let got = app.send(request).await;
            if got.status != *want {
                failures.push(format!(
                    "{method} {path} as {role}: {} (wanted {want}) {}",
                    got.status, got.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(audit(app, "announcement_published").await.len(), 2);
    assert_eq!(audit(app, "announcement_updated").await.len(), 1);
}
