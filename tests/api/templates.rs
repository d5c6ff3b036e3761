//! Application templates (STD 678): CRUD, validation with field paths, the default, the limit,
//! versions, and ownership.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

const TEMPLATES: &str = "/api/v1/me/templates";

fn std_678(name: &str) -> Value {
    json!({
        "name": name,
        "is_default": false,
        "position_sought": {"title": "Staff Services Analyst", "classification_code": "5157"},
        "education": [{
            "school": "California State University, Sacramento",
            "location": "Sacramento, CA",
            "degree": "B.A.",
            "major": "Public Administration",
            "units": {"completed": 124, "kind": "semester"},
            "start_date": "2016-08-22",
            "end_date": "2020-05-15"
        }],
        "work_experience": [{
            "employer": "Sacramento Food Bank",
            "address": "3333 3rd Ave, Sacramento, CA 95817",
            "supervisor_name": "Pat Lee",
            "supervisor_phone": "(916) 555-0199",
            "title": "Program Assistant",
            "start_date": "2020-06-01",
            "end_date": null,
            "hours_per_week": 40,
            "salary": {"amount_cents": 420000, "per": "month"},
            "duties": "Scheduled volunteers.\nKept the donor records.",
            "reason_for_leaving": null
        }],
        "licences": [{"name": "Class C Driver License", "issuer": "California DMV", "number": "D1234567", "issued_on": "2018-01-10", "expires_on": "2028-01-10"}],
        "languages": [{"language": "Spanish", "speaks": true, "reads": true, "writes": false}],
        "answers": {"eligible_to_work_in_us": true, "veterans_preference": false}
    })
}

async fn create(app: &TestApp, user: &TestUser, body: &Value) -> TestResponse {
    app.post_as(&user.token, TEMPLATES, body).await
}

async fn created(app: &TestApp, user: &TestUser, name: &str) -> String {
    let response = create(app, user, &std_678(name)).await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

fn path(id: &str) -> String {
    format!("{TEMPLATES}/{id}")
}

async fn replace(
    app: &TestApp,
    user: &TestUser,
    id: &str,
    etag: Option<&str>,
    body: &Value,
) -> TestResponse {
    let mut request = app
        .request(Method::PUT, &path(id))
        .bearer_auth(&user.token)
        .json(body);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    app.send(request).await
}

async fn delete(app: &TestApp, user: &TestUser, id: &str, etag: Option<&str>) -> TestResponse {
    let mut request = app
        .request(Method::DELETE, &path(id))
        .bearer_auth(&user.token);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    app.send(request).await
}

#[actix_web::test]
async fn a_created_template_reads_back_whole_from_its_location() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let response = create(&app, &jane, &std_678("Analyst positions")).await;
    response.assert_status(201);
    let location = response.header("location").to_owned();
    assert_eq!(location, path(response.body["id"].as_str().unwrap()));
    assert_eq!(response.header("etag"), "\"1\"");
    let read = app.get_as(&jane.token, &location).await;
    read.assert_status(200);
    assert_eq!(read.body, response.body);
    let mut expected = std_678("Analyst positions");
    for (key, value) in expected.as_object_mut().unwrap() {
        if key == "answers" {
            for question in [
                "current_state_employee",
                "former_state_employee",
                "valid_driver_licence",
                "willing_to_travel",
                "willing_to_relocate",
            ] {
                value[question] = Value::Null;
            }
        }
        assert_eq!(&read.body[key], value, "{key}");
    }
    assert_eq!(read.body["version"], 1);
    let unchanged = app
        .send(
            app.request(Method::GET, &location)
                .bearer_auth(&jane.token)
                .header("If-None-Match", "\"1\""),
        )
        .await;
    unchanged.assert_status(304);
}

#[actix_web::test]
async fn templates_are_listed_oldest_first_with_paging() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    for name in ["One", "Two", "Three"] {
        created(&app, &jane, name).await;
    }
    let first = app
        .get_as(&jane.token, &format!("{TEMPLATES}?limit=2"))
        .await;
    first.assert_status(200);
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&first.body), ["One", "Two"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(&jane.token, &format!("{TEMPLATES}?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(names(&rest.body), ["Three"]);
    assert_eq!(rest.body["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn every_invalid_field_of_a_template_is_reported_with_its_path() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mut body = std_678("Bad");
    body["name"] = json!("");
    body["education"][0]["end_date"] = json!("2015-01-01");
    body["work_experience"][0]["employer"] = json!(" ");
    body["work_experience"][0]["supervisor_phone"] = json!("12");
    body["work_experience"][0]["hours_per_week"] = json!(0);
    body["work_experience"][0]["duties"] = json!("a".repeat(4001));
    body["licences"][0]["expires_on"] = json!("2017-01-01");
    body["languages"] = json!([{"language": "Spanish"}, {"language": "\u{7}"}]);
    let response = create(&app, &jane, &body).await;
    assert_problem(&response, 422, "validation_failed");
    let mut errors: Vec<(String, String)> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("education[0].end_date", "dates_out_of_order"),
            ("languages[1].language", "control_character"),
            ("licences[0].expires_on", "dates_out_of_order"),
            ("name", "blank"),
            ("work_experience[0].duties", "too_long"),
            ("work_experience[0].employer", "blank"),
            ("work_experience[0].hours_per_week", "out_of_range"),
            ("work_experience[0].supervisor_phone", "invalid_phone"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    let list = app.get_as(&jane.token, TEMPLATES).await;
    assert_eq!(list.body["items"], json!([]));
}

#[actix_web::test]
async fn missing_required_fields_and_oversized_lists_are_refused() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mut body = std_678("Bad");
    body.as_object_mut().unwrap().remove("name");
    for field in ["start_date", "title"] {
        body["work_experience"][0]
            .as_object_mut()
            .unwrap()
            .remove(field);
    }
    let missing = create(&app, &jane, &body).await;
    assert_problem(&missing, 422, "validation_failed");
    assert_eq!(
        missing.body["errors"],
        json!([
            {"field": "name", "code": "required", "message": "name is required."},
            {"field": "work_experience[0].title", "code": "required", "message": "work_experience[0].title is required."},
            {"field": "work_experience[0].start_date", "code": "required", "message": "work_experience[0].start_date is required."},
        ])
    );
    let mut body = std_678("Bad");
    body["education"] = json!(vec![json!({"school": "A"}); 11]);
    let too_many = create(&app, &jane, &body).await;
    assert_problem(&too_many, 422, "validation_failed");
    assert_eq!(too_many.body["errors"][0]["field"], "education");
    assert_eq!(too_many.body["errors"][0]["code"], "too_many");
}

#[actix_web::test]
async fn making_a_template_the_default_unsets_the_previous_default() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mut body = std_678("First");
    body["is_default"] = json!(true);
    let first = create(&app, &jane, &body).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body = std_678("Second");
    body["is_default"] = json!(true);
    let second = create(&app, &jane, &body).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get_as(&jane.token, &path(&first)).await.body["is_default"],
        false
    );
    assert_eq!(
        app.get_as(&jane.token, &path(&second)).await.body["is_default"],
        true
    );
    let mut body = std_678("First");
    body["is_default"] = json!(true);
    replace(&app, &jane, &first, None, &body)
        .await
        .assert_status(200);
    assert_eq!(
        app.get_as(&jane.token, &path(&first)).await.body["is_default"],
        true
    );
    assert_eq!(
        app.get_as(&jane.token, &path(&second)).await.body["is_default"],
        false
    );
}

#[actix_web::test]
async fn a_person_keeps_at_most_twenty_templates() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    for i in 0..20 {
        created(&app, &jane, &format!("Template {i}")).await;
    }
    let response = create(&app, &jane, &std_678("One too many")).await;
    assert_problem(&response, 409, "template_limit_reached");
    let list = app
        .get_as(&jane.token, &format!("{TEMPLATES}?limit=100"))
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 20);
}

#[actix_web::test]
async fn template_names_are_unique_per_person_ignoring_case() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let other = app.applicant("other@example.org").await;
    created(&app, &jane, "Analyst").await;
    let taken = create(&app, &jane, &std_678("ANALYST")).await;
    assert_problem(&taken, 409, "template_name_taken");
    created(&app, &other, "Analyst").await;
}

#[actix_web::test]
async fn a_replace_based_on_a_stale_version_is_412_and_a_current_one_bumps_the_version() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let id = created(&app, &jane, "Analyst").await;
    let mut body = std_678("Analyst");
    body["languages"] = json!([]);
    let saved = replace(&app, &jane, &id, Some("\"1\""), &body).await;
    saved.assert_status(200);
    assert_eq!(saved.header("etag"), "\"2\"");
    assert_eq!(saved.body["version"], 2);
    assert_eq!(saved.body["languages"], json!([]));
    let stale = replace(&app, &jane, &id, Some("\"1\""), &std_678("Analyst")).await;
    assert_problem(&stale, 412, "precondition_failed");
    assert_problem(
        &delete(&app, &jane, &id, Some("\"1\"")).await,
        412,
        "precondition_failed",
    );
    assert_eq!(
        app.get_as(&jane.token, &path(&id)).await.body["languages"],
        json!([])
    );
}

#[actix_web::test]
async fn a_deleted_template_is_gone() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let id = created(&app, &jane, "Analyst").await;
    delete(&app, &jane, &id, Some("\"1\""))
        .await
        .assert_status(204);
    assert_problem(&app.get_as(&jane.token, &path(&id)).await, 404, "not_found");
    assert_problem(&delete(&app, &jane, &id, None).await, 404, "not_found");
}

#[actix_web::test]
async fn another_persons_template_is_404_for_every_operation_and_stays_unchanged() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mallory = app.applicant("mallory@example.org").await;
    let id = created(&app, &jane, "Analyst").await;
    assert_problem(
        &app.get_as(&mallory.token, &path(&id)).await,
        404,
        "not_found",
    );
    assert_problem(
        &replace(&app, &mallory, &id, None, &std_678("Mine now")).await,
        404,
        "not_found",
    );
    assert_problem(&delete(&app, &mallory, &id, None).await, 404, "not_found");
    let list = app.get_as(&mallory.token, TEMPLATES).await;
    assert_eq!(list.body["items"], json!([]));
    let read = app.get_as(&jane.token, &path(&id)).await;
    assert_eq!(read.body["name"], "Analyst");
    assert_eq!(read.body["version"], 1);
}

#[actix_web::test]
async fn a_template_id_that_is_not_a_canonical_uuid_is_not_found() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let id = created(&app, &jane, "Analyst").await;
    for bad in ["x".to_owned(), id.to_uppercase(), format!("urn:uuid:{id}")] {
        assert_problem(
            &app.get_as(&jane.token, &path(&bad)).await,
            404,
            "not_found",
        );
        assert_problem(
            &replace(&app, &jane, &bad, None, &std_678("Other")).await,
            404,
            "not_found",
        );
        assert_problem(&delete(&app, &jane, &bad, None).await, 404, "not_found");
    }
    app.get_as(&jane.token, &path(&id)).await.assert_status(200);
}
