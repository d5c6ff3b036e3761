//! `/me/alerts`: create (from criteria or a saved search), list, read, replace, delete; another
//! person's alert is 404; bad input is 422 and stores nothing.

use reqwest::Method;
use serde_json::json;

use super::{alert, create, replace};
use crate::{identity::field_errors, postings::with_dmv_employer, support::assert_problem};

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect()
}

#[actix_web::test]
async fn a_new_alert_takes_criteria_or_a_saved_search_exactly_one_and_refusals_store_nothing() {
    let (app, _) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let saved = app
        .post_as(
            &ana.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Fresno", "criteria": {"county": ["fresno"]}}),
        )
        .await;
    saved.assert_status(201);
    let saved_id = saved.body["id"].as_str().unwrap().to_owned();

    let both = create(
        &app,
        &ana,
        json!({"criteria": {"q": "analyst"}, "saved_search_id": saved_id, "channel": "email", "frequency": "daily"}),
    )
    .await;
    assert_problem(&both, 422, "validation_failed");
    assert_eq!(
        field_errors(&both),
        pairs(&[("saved_search_id", "not_allowed")])
    );
    for neither in [
        json!({"channel": "email", "frequency": "daily"}),
        json!({"criteria": null, "saved_search_id": null, "channel": "email", "frequency": "daily"}),
    ] {
        let response = create(&app, &ana, neither).await;
        assert_problem(&response, 422, "validation_failed");
        assert_eq!(field_errors(&response), pairs(&[("criteria", "required")]));
    }
    // Missing required fields are all named at once, each at its own path.
    let bare = create(&app, &ana, json!({"criteria": {}})).await;
    assert_problem(&bare, 422, "validation_failed");
    assert_eq!(
        field_errors(&bare),
        pairs(&[("channel", "required"), ("frequency", "required")])
    );
    let list = app.get_as(&ana.token, "/api/v1/me/alerts").await;
    assert_eq!(list.body["items"], json!([]), "nothing was stored");

    let from_criteria = create(
        &app,
        &ana,
        json!({"criteria": {"q": "analyst"}, "channel": "email", "frequency": "daily"}),
    )
    .await;
    from_criteria.assert_status(201);
    assert_eq!(from_criteria.body["criteria"]["q"], "analyst");
    assert_eq!(from_criteria.body["saved_search_id"], json!(null));
    let from_saved = create(
        &app,
        &ana,
        json!({"saved_search_id": saved_id, "channel": "in_app", "frequency": "weekly"}),
    )
    .await;
    from_saved.assert_status(201);
    assert_eq!(from_saved.body["saved_search_id"], saved_id.as_str());
    assert_eq!(from_saved.body["criteria"], saved.body["criteria"]);
    let list = app.get_as(&ana.token, "/api/v1/me/alerts").await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
}

#[test]
fn the_schema_of_a_new_alert_says_exactly_one_of_criteria_and_saved_search_id() {
    let document = serde_json::to_value(merit_api::openapi::document()).expect("serialises");
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["AlertRequest"]["oneOf"],
        json!([
            {"$ref": "#/components/schemas/AlertFromCriteria"},
            {"$ref": "#/components/schemas/AlertFromSavedSearch"}
        ])
    );
    for (shape, field, other) in [
        ("AlertFromCriteria", "criteria", "saved_search_id"),
        ("AlertFromSavedSearch", "saved_search_id", "criteria"),
    ] {
        let shape = &schemas[shape];
        assert_eq!(
            shape["required"],
            json!([field, "channel", "frequency"]),
            "{shape}"
        );
        assert_eq!(shape["additionalProperties"], json!(false));
        assert!(shape["properties"].get(other).is_none(), "{shape}");
        assert!(
            shape["properties"][field].get("oneOf").is_none(),
            "not null: {shape}"
        );
    }
    let body = &document["paths"]["/api/v1/me/alerts"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/AlertRequest");
}

#[actix_web::test]
async fn alerts_are_created_read_replaced_and_deleted_by_their_owner_only() {
    let (app, _) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;

    let created = create(
        &app,
        &ana,
        json!({
            "criteria": {"q": "analyst", "county": ["sacramento"], "classification": ["5393"]},
            "channel": "email",
            "frequency": "instant"
        }),
    )
    .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location"),
        format!("/api/v1/me/alerts/{id}")
    );
    assert_eq!(created.body["channel"], "email");
    assert_eq!(created.body["frequency"], "instant");
    assert_eq!(created.body["active"], true);
    assert_eq!(created.body["criteria"]["q"], "analyst");
    assert_eq!(created.body["criteria"]["county"], json!(["sacramento"]));
    assert_eq!(created.body["saved_search_id"], json!(null));

    let read = app
        .get_as(&ana.token, &format!("/api/v1/me/alerts/{id}"))
        .await;
    read.assert_status(200);
    assert_eq!(read.body, created.body);

    // From a saved search: its criteria are copied.
    let saved = app
        .post_as(
            &ana.token,
            "/api/v1/me/saved-searches",
            &json!({"name": "Fresno", "criteria": {"county": ["fresno"], "tenure": ["permanent"]}}),
        )
        .await;
    saved.assert_status(201);
    let saved_id = saved.body["id"].as_str().unwrap().to_owned();
    let copied = create(
        &app,
        &ana,
        json!({"saved_search_id": saved_id, "channel": "in_app", "frequency": "weekly"}),
    )
    .await;
    copied.assert_status(201);
    assert_eq!(copied.body["saved_search_id"], saved_id.as_str());
    assert_eq!(copied.body["criteria"], saved.body["criteria"]);

    // Someone else's saved search cannot be copied.
    let foreign = create(
        &app,
        &ben,
        json!({"saved_search_id": saved_id, "channel": "in_app", "frequency": "daily"}),
    )
    .await;
    assert_problem(&foreign, 422, "validation_failed");
    assert_eq!(foreign.body["errors"][0]["field"], "saved_search_id");

    let list = app.get_as(&ana.token, "/api/v1/me/alerts").await;
    list.assert_status(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    let bens = app.get_as(&ben.token, "/api/v1/me/alerts").await;
    assert!(bens.body["items"].as_array().unwrap().is_empty());

    // Another person's alert is 404 for every operation, and stays as it was.
    let path = format!("/api/v1/me/alerts/{id}");
    assert_problem(&app.get_as(&ben.token, &path).await, 404, "not_found");
    let body = json!({"criteria": {}, "channel": "in_app", "frequency": "daily", "active": false});
    assert_problem(
        &replace(&app, &ben, &id, body.clone()).await,
        404,
        "not_found",
    );
    let delete = app
        .send(app.request(Method::DELETE, &path).bearer_auth(&ben.token))
        .await;
    assert_problem(&delete, 404, "not_found");
    assert_eq!(app.get_as(&ana.token, &path).await.body, created.body);

    let replaced = replace(&app, &ana, &id, body).await;
    replaced.assert_status(200);
    assert_eq!(replaced.body["channel"], "in_app");
    assert_eq!(replaced.body["frequency"], "daily");
    assert_eq!(replaced.body["active"], false);
    assert_eq!(replaced.body["criteria"]["q"], json!(null));

    let deleted = app
        .send(app.request(Method::DELETE, &path).bearer_auth(&ana.token))
        .await;
    deleted.assert_status(204);
    assert_problem(&app.get_as(&ana.token, &path).await, 404, "not_found");
    assert_problem(
        &app.get_as(&ana.token, "/api/v1/me/alerts/nope").await,
        404,
        "not_found",
    );
}

#[actix_web::test]
async fn an_alert_needs_exactly_one_source_of_criteria_and_known_values() {
    let (app, _) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let neither = create(
        &app,
        &ana,
        json!({"channel": "email", "frequency": "daily"}),
    )
    .await;
    assert_problem(&neither, 422, "validation_failed");
    assert_eq!(neither.body["errors"][0]["field"], "criteria");
    let both = create(
        &app,
        &ana,
        json!({
            "criteria": {},
            "saved_search_id": "0192f0c4-5b7e-7d1a-9c3e-2f4a6b8c0d1e",
            "channel": "email",
            "frequency": "daily"
        }),
    )
    .await;
    assert_problem(&both, 422, "validation_failed");
    let bad_id = create(
        &app,
        &ana,
        json!({"saved_search_id": "x", "channel": "email", "frequency": "daily"}),
    )
    .await;
    assert_problem(&bad_id, 422, "validation_failed");
    assert_eq!(bad_id.body["errors"][0]["code"], "invalid_id");
    let bad_frequency = create(
        &app,
        &ana,
        json!({"criteria": {}, "channel": "email", "frequency": "hourly"}),
    )
    .await;
    assert_eq!(bad_frequency.status, 422);
    let bad_criteria = create(
        &app,
        &ana,
        json!({"criteria": {"salary_min_cents": 10, "salary_max_cents": 5}, "channel": "email", "frequency": "daily"}),
    )
    .await;
    assert_problem(&bad_criteria, 422, "validation_failed");
    assert!(
        bad_criteria.body["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("criteria.")
    );
    let list = app.get_as(&ana.token, "/api/v1/me/alerts").await;
    assert!(
        list.body["items"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );

    // At most 25 per person.
    for _ in 0..25 {
        alert(&app, &ana, json!({}), "in_app", "daily").await;
    }
    let over = create(
        &app,
        &ana,
        json!({"criteria": {}, "channel": "in_app", "frequency": "daily"}),
    )
    .await;
    assert_problem(&over, 409, "alert_limit_reached");
}
