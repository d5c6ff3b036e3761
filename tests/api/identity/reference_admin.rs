//! Admins add reference data: departments, classifications, locations and offices.

use serde_json::json;

use super::field_errors;
use crate::support::{TestApp, assert_problem};

#[actix_web::test]
async fn an_admin_adds_each_kind_of_reference_data_with_201_and_a_location() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let cases = [
        (
            "departments",
            json!({"code": "cdph2", "name": "Public Health Annex"}),
            json!({"code": "CDPH2", "name": "Public Health Annex"}),
        ),
        (
            "classifications",
            json!({"code": "1139", "title": "Office Technician (Typing)"}),
            json!({"code": "1139", "title": "Office Technician (Typing)"}),
        ),
        (
            "locations",
            json!({"code": "out-of-state", "name": "Out of State", "fips": "99999"}),
            json!({"code": "out-of-state", "name": "Out of State", "fips": "99999"}),
        ),
        (
            "offices",
            json!({"code": "oak", "name": "Oakland Job Center", "county_code": "alameda"}),
            json!({"code": "OAK", "name": "Oakland Job Center", "county_code": "alameda"}),
        ),
    ];
    for (list, body, expected) in cases {
        let created = app
            .post_as(&admin.token, &format!("/api/v1/{list}"), &body)
            .await;
        created.assert_status(201);
        assert_eq!(created.body, expected, "{list}");
        let code = expected["code"].as_str().unwrap();
        let location = created.header("location").to_owned();
        assert_eq!(location, format!("/api/v1/{list}?code={code}"));
        let listed = app.get(&location).await;
        listed.assert_status(200);
        assert_eq!(listed.body["items"], json!([expected]), "{list}");
    }
}

#[actix_web::test]
async fn a_duplicate_code_is_409_already_exists() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let duplicates = [
        ("departments", json!({"code": "dmv", "name": "Another DMV"})),
        (
            "locations",
            json!({"code": "alameda", "name": "Alameda again", "fips": "06001"}),
        ),
        (
            "offices",
            json!({"code": "LAO", "name": "Another LA office", "county_code": "los-angeles"}),
        ),
    ];
    for (list, body) in duplicates {
        let response = app
            .post_as(&admin.token, &format!("/api/v1/{list}"), &body)
            .await;
        assert_problem(&response, 409, "already_exists");
    }
    app.post_as(
        &admin.token,
        "/api/v1/classifications",
        &json!({"code": "9999", "title": "Test"}),
    )
    .await
    .assert_status(201);
    let again = app
        .post_as(
            &admin.token,
            "/api/v1/classifications",
            &json!({"code": "9999", "title": "Test again"}),
        )
        .await;
    assert_problem(&again, 409, "already_exists");
}

#[actix_web::test]
async fn an_office_in_an_unknown_county_is_422_unknown_county() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .post_as(
            &admin.token,
            "/api/v1/offices",
            &json!({"code": "NOW", "name": "Nowhere", "county_code": "atlantis"}),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(
        field_errors(&response),
        [("county_code".to_owned(), "unknown_county".to_owned())]
    );
    let listed = app.get("/api/v1/offices?code=NOW").await;
    assert_eq!(listed.body["items"], json!([]));
}

#[actix_web::test]
async fn invalid_reference_data_lists_every_bad_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = app
        .post_as(
            &admin.token,
            "/api/v1/locations",
            &json!({"code": "no spaces!", "name": "", "fips": "6001"}),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    let mut fields: Vec<String> = field_errors(&response)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    fields.sort();
    assert_eq!(fields, ["code", "fips", "name"]);
}
