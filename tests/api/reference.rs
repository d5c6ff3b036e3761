//! Reference lists: counties from the migration, paging, filters and the demo data.

use serde_json::Value;

use crate::support::{TestApp, assert_problem};

fn codes(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn with_demo_data() -> TestApp {
    let app = TestApp::spawn().await;
    merit_api::demo::load_reference(&app.db)
        .await
        .expect("the demo data loads");
    app
}

#[actix_web::test]
async fn all_58_california_counties_are_listed_alphabetically_on_one_page_of_100() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/locations?limit=100").await;
    response.assert_status(200);
    let codes = codes(&response.body);
    assert_eq!(codes.len(), 58);
    assert_eq!(codes.first().map(String::as_str), Some("alameda"));
    assert_eq!(codes.last().map(String::as_str), Some("yuba"));
    assert_eq!(response.body["next_cursor"], Value::Null);
    assert_eq!(
        response.body["items"][18],
        serde_json::json!({"code": "los-angeles", "name": "Los Angeles", "fips": "06037"})
    );
}

#[actix_web::test]
async fn a_list_without_a_limit_gives_twenty_items_and_a_cursor() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/locations").await;
    response.assert_status(200);
    assert_eq!(codes(&response.body).len(), 20);
    assert!(response.body["next_cursor"].is_string());
}

#[actix_web::test]
async fn following_cursors_visits_every_item_once_in_order() {
    let app = TestApp::spawn().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/locations?limit=7".to_owned();
    loop {
        let response = app.get(&path).await;
        response.assert_status(200);
        seen.extend(codes(&response.body));
        match response.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/locations?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen.len(), 58);
    assert_eq!(seen, sorted);
}

#[actix_web::test]
async fn a_last_page_that_is_exactly_full_has_no_next_cursor() {
    let app = TestApp::spawn().await;
    let first = app.get("/api/v1/locations?limit=29").await;
    let cursor = first.body["next_cursor"].as_str().expect("a second page");
    let last = app
        .get(&format!("/api/v1/locations?limit=29&cursor={cursor}"))
        .await;
    last.assert_status(200);
    assert_eq!(codes(&last.body).len(), 29);
    assert_eq!(last.body["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn an_empty_list_has_no_items_and_no_cursor() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/departments").await;
    response.assert_status(200);
    assert_eq!(
        response.body,
        serde_json::json!({"items": [], "next_cursor": null})
    );
}

#[actix_web::test]
async fn a_name_prefix_matches_regardless_of_letter_case() {
    let app = TestApp::spawn().await;
    let response = app
        .get("/api/v1/locations?name_prefix=SAN%20&limit=100")
        .await;
    response.assert_status(200);
    assert_eq!(
        codes(&response.body),
        [
            "san-benito",
            "san-bernardino",
            "san-diego",
            "san-francisco",
            "san-joaquin",
            "san-luis-obispo",
            "san-mateo"
        ]
    );
}

#[actix_web::test]
async fn like_wildcards_in_a_name_prefix_match_only_themselves() {
    let app = TestApp::spawn().await;
    for prefix in ["%25", "_", "%5C"] {
        let response = app
            .get(&format!("/api/v1/locations?name_prefix={prefix}"))
            .await;
        response.assert_status(200);
        assert_eq!(
            codes(&response.body),
            Vec::<String>::new(),
            "prefix {prefix}"
        );
    }
}

#[actix_web::test]
async fn a_code_filter_finds_the_item_in_any_letter_case() {
    let app = with_demo_data().await;
    let county = app.get("/api/v1/locations?code=LOS-ANGELES").await;
    assert_eq!(codes(&county.body), ["los-angeles"]);
    let department = app.get("/api/v1/departments?code=dmv").await;
    assert_eq!(
        department.body["items"][0]["name"],
        "Department of Motor Vehicles"
    );
}

#[actix_web::test]
async fn the_demo_data_lists_real_departments_classifications_and_offices() {
    let app = with_demo_data().await;
    let analysts = app
        .get("/api/v1/classifications?name_prefix=associate%20gov")
        .await;
    assert_eq!(
        analysts.body["items"],
        serde_json::json!([{"code": "5393", "title": "Associate Governmental Program Analyst"}])
    );
    let office = app.get("/api/v1/offices?code=LAO").await;
    assert_eq!(office.body["items"][0]["county_code"], "los-angeles");
    let departments = app.get("/api/v1/departments?limit=100").await;
    assert!(codes(&departments.body).len() >= 30);
}

#[actix_web::test]
async fn loading_the_demo_data_twice_adds_nothing_the_second_time() {
    let app = with_demo_data().await;
    let before = app.get("/api/v1/departments?limit=100").await;
    merit_api::demo::load_reference(&app.db)
        .await
        .expect("the demo data loads again");
    let after = app.get("/api/v1/departments?limit=100").await;
    assert_eq!(before.body, after.body);
}

#[actix_web::test]
async fn a_limit_above_one_hundred_is_a_validation_error_naming_limit() {
    let app = TestApp::spawn().await;
    for limit in ["101", "0", "100000000000"] {
        let response = app.get(&format!("/api/v1/locations?limit={limit}")).await;
        assert_problem(&response, 422, "validation_failed");
        assert_eq!(response.body["errors"][0]["field"], "limit");
        assert_eq!(response.body["errors"][0]["code"], "out_of_range");
    }
}

#[actix_web::test]
async fn every_invalid_parameter_is_reported_at_once() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(101);
    let response = app
        .get(&format!("/api/v1/departments?limit=500&name_prefix={long}"))
        .await;
    assert_problem(&response, 422, "validation_failed");
    let fields: Vec<&str> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["name_prefix", "limit"]);
}

#[actix_web::test]
async fn a_limit_that_is_not_a_whole_number_is_a_validation_error_naming_limit() {
    let app = TestApp::spawn().await;
    for limit in ["abc", "-1", "1.5"] {
        let response = app.get(&format!("/api/v1/locations?limit={limit}")).await;
        assert_problem(&response, 422, "validation_failed");
        assert_eq!(response.body["errors"][0]["field"], "limit");
    }
}

#[actix_web::test]
async fn a_made_up_cursor_is_a_bad_request() {
    let app = TestApp::spawn().await;
    assert_problem(
        &app.get("/api/v1/locations?cursor=not-a-cursor").await,
        400,
        "invalid_cursor",
    );
}

#[actix_web::test]
async fn a_cursor_from_another_list_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let locations = app.get("/api/v1/locations?limit=1").await;
    let cursor = locations.body["next_cursor"].as_str().expect("a cursor");
    assert_problem(
        &app.get(&format!("/api/v1/offices?cursor={cursor}")).await,
        400,
        "invalid_cursor",
    );
}

#[actix_web::test]
async fn an_unknown_or_repeated_query_parameter_is_a_bad_request() {
    let app = TestApp::spawn().await;
    assert_problem(
        &app.get("/api/v1/locations?limt=5").await,
        400,
        "invalid_query",
    );
    assert_problem(
        &app.get("/api/v1/locations?limit=5&limit=6").await,
        400,
        "invalid_query",
    );
    assert_problem(
        &app.get("/api/v1/locations?name_prefix=a%00b").await,
        400,
        "invalid_query",
    );
}

#[actix_web::test]
async fn the_full_demo_data_loads_once_with_postings_and_exams() {
    let app = TestApp::spawn().await;
    merit_api::demo::load(&app.db)
        .await
        .expect("the demo data loads");
    // Data written behind the API's back reaches the index at its next refresh.
    app.state.search.refresh(&app.db).await.unwrap();
    let postings = app.get("/api/v1/postings?limit=1").await;
    let total = postings.body["total"].as_u64().unwrap();
    assert!(total > 1_000, "demo postings are searchable: {total}");
    let exams = app.get("/api/v1/exams?limit=100").await;
    assert_eq!(exams.body["items"].as_array().unwrap().len(), 5);
    merit_api::demo::load(&app.db)
        .await
        .expect("the demo data loads again");
    app.state.search.refresh(&app.db).await.unwrap();
    assert_eq!(
        app.get("/api/v1/postings?limit=1").await.body["total"]
            .as_u64()
            .unwrap(),
        total
    );
    assert_eq!(
        app.get("/api/v1/exams?limit=100").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[actix_web::test]
async fn the_demo_data_has_an_employer_a_staff_member_and_an_employee_who_sign_in_once_loaded() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    for _ in 0..2 {
        merit_api::demo::load_applicants(&app.db, &app.state.documents)
            .await
            .expect("the demo people load");
    }
    let password = merit_api::demo::DEMO_PASSWORD;
    let expected = [
        (
            "DMVEGARCIA",
            serde_json::json!(["employer"]),
            "department_code",
            "DMV",
        ),
        (
            "LAOMCHEN",
            serde_json::json!(["staff"]),
            "office_code",
            "LAO",
        ),
        (
            "00481516",
            serde_json::json!(["applicant", "employee"]),
            "employee_id",
            "00481516",
        ),
    ];
    for (login, roles, field, value) in expected {
        let person = app.signed_in(login, password).await;
        let me = app.get_as(&person.token, "/api/v1/me").await;
        me.assert_status(200);
        assert_eq!(me.body["roles"], roles, "{login}");
        assert_eq!(me.body[field], value, "{login}");
        assert_eq!(me.body["password_change_required"], false, "{login}");
    }
    let employer = app.signed_in("DMVEGARCIA", password).await;
    app.get_as(&employer.token, "/api/v1/departments/DMV/postings")
        .await
        .assert_status(200);
}
