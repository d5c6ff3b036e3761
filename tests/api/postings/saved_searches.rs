//! Saved searches: CRUD, the per-person limit, names, ownership, and running them.

use figment::providers::Serialized;
use reqwest::Method;
use serde_json::json;

use super::{ids, open, with_dmv_employer};
use crate::support::{TestApp, assert_problem};

#[actix_web::test]
async fn a_saved_search_is_created_read_replaced_run_and_deleted() {
    let (app, employer) = with_dmv_employer().await;
    let sacramento = open(&app, &employer, json!({"county_code": "sacramento"})).await;
    open(&app, &employer, json!({"county_code": "fresno"})).await;
    let me = app.applicant("ana@example.org").await;

    let created = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Sacramento", "criteria": {"county": ["sacramento"]}}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        format!("/api/v1/me/saved-searches/{id}")
    );
    assert_eq!(created.body["criteria"]["county"], json!(["sacramento"]));

    let results = app
        .get_as(
            &me.token,
            &format!("/api/v1/me/saved-searches/{id}/results"),
        )
        .await;
    results.assert_status(200);
    assert_eq!(ids(&results.body), [sacramento]);
    assert_eq!(results.body["total"], 1);

    let replaced = app
        .send_json_as(
            &me.token,
            Method::PUT,
            &format!("/api/v1/me/saved-searches/{id}"),
            &json!({"name": "Fresno", "criteria": {"county": ["fresno"]}}),
        )
        .await;
    replaced.assert_status(200);
    assert_eq!(replaced.body["name"], "Fresno");
    let list = app.get_as(&me.token, "/api/v1/me/saved-searches").await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["name"], "Fresno");

    app.send(
        app.request(Method::DELETE, &format!("/api/v1/me/saved-searches/{id}"))
            .bearer_auth(&me.token),
    )
    .await
    .assert_status(204);
    assert_problem(
        &app.get_as(&me.token, &format!("/api/v1/me/saved-searches/{id}"))
            .await,
        404,
        "not_found",
    );
}

#[actix_web::test]
async fn another_persons_saved_search_is_not_found_for_every_operation() {
    let (app, _) = with_dmv_employer().await;
    let owner = app.applicant("owner@example.org").await;
    let other = app.applicant("other@example.org").await;
    let created = app
        .post_as(
            &owner.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Mine", "criteria": {}}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/me/saved-searches/{id}");
    assert_problem(&app.get_as(&other.token, &path).await, 404, "not_found");
    assert_problem(
        &app.get_as(&other.token, &format!("{path}/results")).await,
        404,
        "not_found",
    );
    let replace = app
        .send_json_as(
            &other.token,
            Method::PUT,
            &path,
            &json!({"name": "Stolen", "criteria": {}}),
        )
        .await;
    assert_problem(&replace, 404, "not_found");
    assert_problem(
        &app.send(app.request(Method::DELETE, &path).bearer_auth(&other.token))
            .await,
        404,
        "not_found",
    );
    assert_eq!(
        app.get_as(&other.token, "/api/v1/me/saved-searches")
            .await
            .body["items"],
        json!([])
    );
    assert_eq!(app.get_as(&owner.token, &path).await.body["name"], "Mine");
}

#[actix_web::test]
async fn saves_sent_at_once_never_pass_the_limit_together() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("saved_search_limit", 1))).await;
    let me = app.applicant("rush@example.org").await;
    let bodies = ["A", "B", "C", "D", "E", "F"].map(|name| json!({"name": name, "criteria": {}}));
    let saves = bodies
        .iter()
        .map(|body| app.post_as(&me.token, "/api/v1/me/saved-searches", body));
    let answers = futures_util::future::join_all(saves).await;
    let created = answers.iter().filter(|a| a.status == 201).count();
    assert_eq!(created, 1, "exactly one save fits");
    for refused in answers.iter().filter(|a| a.status != 201) {
        assert_problem(refused, 409, "saved_search_limit_reached");
    }
    let kept = app.get_as(&me.token, "/api/v1/me/saved-searches").await;
    assert_eq!(kept.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_person_keeps_at_most_the_configured_number_of_saved_searches() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("saved_search_limit", 2))).await;
    let me = app.applicant("ana@example.org").await;
    for name in ["One", "Two"] {
        app.post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": name, "criteria": {}}),
        )
        .await
        .assert_status(201);
    }
    let third = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Three", "criteria": {}}),
        )
        .await;
    assert_problem(&third, 409, "saved_search_limit_reached");
    assert_eq!(
        app.get_as(&me.token, "/api/v1/me/saved-searches")
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[actix_web::test]
async fn names_are_unique_per_person_and_criteria_are_checked() {
    let (app, _) = with_dmv_employer().await;
    let me = app.applicant("ana@example.org").await;
    app.post_as(
        &me.token,
        "/api/v1/me/saved-searches",
        &json!({"name": "Jobs", "criteria": {}}),
    )
    .await
    .assert_status(201);
    let again = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Jobs", "criteria": {}}),
        )
        .await;
    assert_problem(&again, 409, "saved_search_name_taken");
    let other = app.applicant("other@example.org").await;
    app.post_as(
        &other.token,
        "/api/v1/me/saved-searches",
        &json!({"name": "Jobs", "criteria": {}}),
    )
    .await
    .assert_status(201);
    let bad = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Bad", "criteria": {"salary_min_cents": 9, "salary_max_cents": 1}}),
        )
        .await;
    assert_problem(&bad, 422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["field"], "criteria.salary_min_cents");
    let unknown = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Bad", "criteria": {"colour": "blue"}}),
        )
        .await;
    assert_problem(&unknown, 422, "validation_failed");
    // A broken name and broken criteria are reported together, each at its own path.
    let both = app
        .post_as(
            &me.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Bad\u{7}", "criteria": {"salary_min_cents": 9, "salary_max_cents": 1}}),
        )
        .await;
    assert_problem(&both, 422, "validation_failed");
    let errors: Vec<(String, String)> = both.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("name".to_owned(), "control_character".to_owned()),
            (
                "criteria.salary_min_cents".to_owned(),
                "invalid_salary_range".to_owned()
            ),
        ]
    );
    for (name, code) in [("   ", "blank"), (&*"n".repeat(101), "too_long")] {
        let refused = app
            .post_as(
                &me.token,
                "/api/v1/me/saved-searches",
                &json!({"name": name, "criteria": {}}),
            )
            .await;
        assert_problem(&refused, 422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], "name");
        assert_eq!(refused.body["errors"][0]["code"], code);
    }
    // Only "Jobs" was stored; the name is kept trimmed.
    let mine = app.get_as(&me.token, "/api/v1/me/saved-searches").await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    assert_problem(
        &app.get("/api/v1/me/saved-searches").await,
        401,
        "unauthenticated",
    );
}

#[actix_web::test]
async fn saved_criteria_keep_every_value_of_a_filter_and_internal_only() {
    let (app, employer) = with_dmv_employer().await;
    let fresno = open(&app, &employer, json!({"county_code": "fresno"})).await;
    let kern = open(&app, &employer, json!({"county_code": "kern"})).await;
    open(&app, &employer, json!({"county_code": "sacramento"})).await;
    let internal = open(
        &app,
        &employer,
        json!({"county_code": "kern", "visibility": "internal_only"}),
    )
    .await;
    let employee = app.employee("1001", "DMV").await;
    let criteria =
        json!({"county": ["fresno", "kern"], "tenure": ["permanent"], "internal_only": false});
    let saved = app
        .post_as(
            &employee.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Valley", "criteria": criteria}),
        )
        .await;
    saved.assert_status(201);
    assert_eq!(saved.body["criteria"]["county"], json!(["fresno", "kern"]));
    assert_eq!(saved.body["criteria"]["tenure"], json!(["permanent"]));
    let id = saved.body["id"].as_str().unwrap().to_owned();
    let results = app
        .get_as(
            &employee.token,
            &format!("/api/v1/me/saved-searches/{id}/results"),
        )
        .await;
    let mut found = ids(&results.body);
    found.sort();
    let mut expected = vec![fresno, kern, internal.clone()];
    expected.sort();
    assert_eq!(found, expected);

    let only_internal = app
        .post_as(
            &employee.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Internal", "criteria": {"internal_only": true}}),
        )
        .await;
    assert_eq!(only_internal.body["criteria"]["internal_only"], true);
    let id = only_internal.body["id"].as_str().unwrap();
    let results = app
        .get_as(
            &employee.token,
            &format!("/api/v1/me/saved-searches/{id}/results"),
        )
        .await;
    assert_eq!(ids(&results.body), [internal]);
}

#[actix_web::test]
async fn a_search_saved_by_the_first_release_is_read_as_version_one() {
    let (app, employer) = with_dmv_employer().await;
    let sacramento = open(&app, &employer, json!({"county_code": "sacramento"})).await;
    open(&app, &employer, json!({"county_code": "fresno"})).await;
    let me = app.applicant("old@example.org").await;
    let (owner, id) = (me.id.clone(), uuid::Uuid::now_v7().to_string());
    let row_id = id.clone();
    app.db
        .write(move |conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "INSERT INTO saved_searches (id, account_id, name, criteria, created_at, updated_at) \
                 VALUES ('{row_id}', '{owner}', 'Old', '{{\"county\":\"sacramento\",\"q\":null,\"sort\":\"newest\"}}', \
                 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ))
            .execute(conn)
            .map(|_| ())
            .map_err(merit_api::error::ApiError::internal)
        })
        .await
        .expect("the old row is stored");
    let read = app
        .get_as(&me.token, &format!("/api/v1/me/saved-searches/{id}"))
        .await;
    read.assert_status(200);
    assert_eq!(read.body["criteria"]["county"], json!(["sacramento"]));
    assert_eq!(read.body["criteria"]["sort"], "newest");
    let results = app
        .get_as(
            &me.token,
            &format!("/api/v1/me/saved-searches/{id}/results"),
        )
        .await;
    assert_eq!(ids(&results.body), [sacramento]);
}

#[actix_web::test]
async fn a_saved_search_id_that_is_not_a_canonical_uuid_is_not_found() {
    let app = TestApp::spawn().await;
    let me = app.applicant("ana@example.org").await;
    for bad in ["x", "{0190a000-0000-7000-8000-000000000000}"] {
        for path in [
            format!("/api/v1/me/saved-searches/{bad}"),
            format!("/api/v1/me/saved-searches/{bad}/results"),
        ] {
            assert_problem(&app.get_as(&me.token, &path).await, 404, "not_found");
        }
    }
}
