//! The contract says what the server does: public operations need no credentials, missing
//! fields are named where they are missing, free text refuses control characters at the
//! field's path, and the schema states those rules the way the server applies them.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    identity::field_errors,
    support::{TestApp, assert_problem},
};

fn document() -> Value {
    serde_json::to_value(merit_api::openapi::document()).expect("serialises")
}

/// Asserts a 422 naming exactly `fields`, in order, each with `code`.
fn assert_fields(response: &crate::support::TestResponse, code: &str, fields: &[&str]) {
    assert_problem(response, 422, "validation_failed");
    let expected: Vec<(String, String)> = fields
        .iter()
        .map(|field| ((*field).to_owned(), code.to_owned()))
        .collect();
    assert_eq!(field_errors(response), expected);
}

async fn create_template(app: &TestApp, token: &str, body: Value) -> crate::support::TestResponse {
    app.send_json_as(token, Method::POST, "/api/v1/me/templates", &body)
        .await
}

#[test]
fn an_operation_either_requires_a_bearer_token_or_states_no_security_at_all() {
    let document = document();
    assert!(document.get("security").is_none(), "no global requirement");
    let mut public = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            match operation.get("security") {
                None => public.push(format!("{method} {path}")),
                Some(requirements) => assert!(
                    requirements
                        .as_array()
                        .is_some_and(|r| r.iter().any(|r| r.get("bearer").is_some())),
                    "{method} {path}: {requirements}"
                ),
            }
        }
    }
    for expected in [
        "post /api/v1/auth/login",
        "post /api/v1/accounts",
        "get /api/v1/departments",
        "get /healthz",
    ] {
        assert!(public.contains(&expected.to_owned()), "{expected}");
    }
}

#[actix_web::test]
async fn public_operations_answer_a_client_without_a_token() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    app.get("/healthz").await.assert_status(200);
    app.get("/api/v1/departments").await.assert_status(200);
    app.get("/api/v1/postings").await.assert_status(200);
    app.get("/api/v1/privacy-agreement")
        .await
        .assert_status(200);
    app.register("jane@example.org").await.assert_status(202);
    app.sign_in("admin", crate::support::ADMIN_PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn every_missing_required_field_is_reported_at_its_own_path_at_once() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/accounts", &json!({"email": "jane@example.org"}))
        .await;
    assert_fields(
        &response,
        "required",
        &["password", "first_name", "last_name"],
    );
    let jane = app.applicant("jane@example.org").await;
    let body = json!({"education": [{"degree": "B.A."}], "licences": [{}]});
    let response = create_template(&app, &jane.token, body).await;
    let missing = ["name", "education[0].school", "licences[0].name"];
    assert_fields(&response, "required", &missing);
}

#[actix_web::test]
async fn a_control_character_in_free_text_is_422_at_the_fields_path() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let body = json!({
        "name": "Analyst\tpositions",
        "education": [{"school": "Sac State\u{1b}"}],
        "work_experience": [{
            "employer": "DMV", "title": "Technician", "start_date": "2020-01-01",
            "duties": "Filing\r\nPhones\u{7}"
        }],
    });
    let response = create_template(&app, &jane.token, body).await;
    let refused = ["name", "education[0].school", "work_experience[0].duties"];
    assert_fields(&response, "control_character", &refused);
    let response = app
        .post(
            "/api/v1/accounts",
            &json!({"email": "joe@example.org", "password": "Tulip.Harbor7",
                "first_name": "\u{85}Joe", "last_name": "Doe"}),
        )
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(response.body["errors"][0]["field"], "first_name");
}

#[actix_web::test]
async fn a_value_the_schema_refuses_is_refused_even_where_the_server_would_not_need_it() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let profile = app.get_as(&jane.token, "/api/v1/me/profile").await;
    let body = json!({"first_name": "Jane", "last_name": "Doe", "email": "jane@example.org",
        "current_password": ""});
    let response = app
        .send(
            app.request(Method::PUT, "/api/v1/me/profile")
                .bearer_auth(&jane.token)
                .header("If-Match", profile.header("etag"))
                .json(&body),
        )
        .await;
    assert_fields(&response, "length", &["current_password"]);
}

#[actix_web::test]
async fn a_list_longer_than_its_schemas_max_items_is_refused_even_when_repeats_would_merge() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let kinds = vec!["other"; 8];
    let body = crate::postings::posting_body(json!({"required_documents": kinds}));
    let response = app
        .post_as(&employer.token, "/api/v1/postings", &body)
        .await;
    assert_fields(&response, "too_many", &["required_documents"]);
}

#[test]
fn the_schema_states_the_rules_the_server_applies() {
    let document = document();
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["Line100"]["pattern"],
        merit_domain::text::LINE_PATTERN
    );
    assert_eq!(schemas["Line100"]["maxLength"], 100);
    assert_eq!(
        schemas["Paragraphs4000"]["pattern"],
        merit_domain::text::PARAGRAPHS_PATTERN
    );
    assert_eq!(
        schemas["ProfileRequest"]["properties"]["first_name"]["$ref"],
        "#/components/schemas/Line100"
    );
    assert_eq!(schemas["EmailAddressValue"]["format"], "email");
    assert_eq!(schemas["NewPasswordValue"]["minLength"], 8);
    assert_eq!(schemas["NewPasswordValue"]["maxLength"], 20);
    assert_eq!(schemas["TokenType"]["enum"], json!(["Bearer"]));
    assert!(
        schemas["AuditKindName"]["enum"]
            .as_array()
            .is_some_and(|kinds| kinds.contains(&json!("sign_in_failed")))
    );
    assert_eq!(
        schemas["PageResponse_TemplateResponse"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/TemplateResponse"
    );
    let download = &document["paths"]["/api/v1/me/documents/{id}/content"]["get"]["responses"]["200"]
        ["content"];
    assert_eq!(
        download.as_object().map(|c| c.keys().collect::<Vec<_>>()),
        Some(vec![&"application/octet-stream".to_owned()])
    );
}

/// The Rust types that derive `ToSchema` under `dir`, with the files that declare each name.
fn schema_types(
    dir: &std::path::Path,
    found: &mut std::collections::BTreeMap<String, Vec<String>>,
) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            schema_types(&path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        let mut deriving = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") {
                deriving = line.contains("ToSchema");
            } else if deriving && !line.starts_with("#[") && !line.starts_with("///") {
                let name = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
                    .and_then(|rest| {
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                    });
                if let Some(name) = name {
                    found
                        .entry(name.to_owned())
                        .or_default()
                        .push(path.display().to_string());
                }
                deriving = false;
            }
        }
    }
}

/// utoipa keys component schemas by the type's name: two types of one name make one schema,
/// and every operation of the other silently documents the wrong body (contact letters'
/// `AnswerRequest` once replaced exam attempts' answers).
#[test]
fn every_schema_name_belongs_to_one_type() {
    let mut found = std::collections::BTreeMap::new();
    schema_types(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src"),
        &mut found,
    );
    assert!(
        found.len() > 100,
        "the scan finds the API's types: {}",
        found.len()
    );
    let shared: Vec<_> = found.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(shared.is_empty(), "schema names declared twice: {shared:?}");
}
