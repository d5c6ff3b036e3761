//! `PATCH` is a JSON Merge Patch (RFC 7396) everywhere: postings, the profile and accounts.
//! Left out is unchanged, `null` clears what may be empty and is 422 `required` for the rest,
//! objects merge, and `If-Match` guards the version the patch is based on.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    postings::{draft, posting_body, with_dmv_employer},
    support::{TestApp, TestResponse, TestUser, assert_problem},
};

const MERGE_PATCH: &str = "application/merge-patch+json";

async fn merge_patch(
    app: &TestApp,
    user: &TestUser,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> TestResponse {
    let mut request = app
        .request(Method::PATCH, path)
        .bearer_auth(&user.token)
        .header("content-type", MERGE_PATCH)
        .body(body.to_string());
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    app.send(request).await
}

fn fields_and_codes(problem: &TestResponse) -> Vec<(String, String)> {
    problem.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap().to_owned();
            (text("field"), text("code"))
        })
        .collect()
}

#[actix_web::test]
async fn a_posting_patch_changes_only_the_members_it_names() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({"eligibility_required": true})).await;
    let path = format!("/api/v1/postings/{id}");
    let changed = merge_patch(
        &app,
        &employer,
        &path,
        Some("\"1\""),
        &json!({"title": "Staff Services Analyst", "required_documents": null}),
    )
    .await;
    changed.assert_status(200);
    assert_eq!(changed.header("etag"), "\"2\"");
    let expected = posting_body(json!({
        "title": "Staff Services Analyst",
        "required_documents": [],
        "eligibility_required": true
    }));
    for (member, value) in expected.as_object().unwrap() {
        assert_eq!(&changed.body[member], value, "{member}");
    }
    // Plain JSON is accepted too; a stale version is refused before the patch is looked at.
    let stale = app
        .send(
            app.request(Method::PATCH, &path)
                .bearer_auth(&employer.token)
                .header("if-match", "\"1\"")
                .json(&json!({"title": null})),
        )
        .await;
    assert_problem(&stale, 412, "precondition_failed");
    let json_patch = app
        .send_json_as(
            &employer.token,
            Method::PATCH,
            &path,
            &json!({"shift": "night"}),
        )
        .await;
    json_patch.assert_status(200);
    assert_eq!(json_patch.body["shift"], "night");
    assert_eq!(json_patch.body["title"], "Staff Services Analyst");
}

#[actix_web::test]
async fn a_posting_patch_refuses_null_for_required_members_and_checks_the_result() {
    let (app, employer) = with_dmv_employer().await;
    let id = draft(&app, &employer, json!({})).await;
    let path = format!("/api/v1/postings/{id}");
    let cleared = merge_patch(&app, &employer, &path, None, &json!({"title": null})).await;
    assert_problem(&cleared, 422, "validation_failed");
    assert_eq!(
        fields_and_codes(&cleared),
        [("title".to_owned(), "required".to_owned())]
    );
    let inverted = merge_patch(
        &app,
        &employer,
        &path,
        None,
        &json!({"salary_min_cents": 900_000}),
    )
    .await;
    assert_problem(&inverted, 422, "validation_failed");
    assert_eq!(inverted.body["errors"][0]["code"], "invalid_salary_range");
    let unknown = merge_patch(&app, &employer, &path, None, &json!({"status": "open"})).await;
    assert_problem(&unknown, 422, "validation_failed");
    let json_patch = app
        .send(
            app.request(Method::PATCH, &path)
                .bearer_auth(&employer.token)
                .header("content-type", "application/json-patch+json")
                .body(r#"[{"op": "replace", "path": "/title", "value": "x"}]"#),
        )
        .await;
    assert_problem(&json_patch, 415, "unsupported_media_type");
    let unchanged = app.get_as(&employer.token, &path).await;
    assert_eq!(unchanged.body["version"], 1);
}

#[actix_web::test]
async fn a_profile_patch_merges_objects_replaces_arrays_and_needs_if_match() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let jane = app.applicant("jane@example.org").await;
    let path = "/api/v1/me/profile";
    let etag = app
        .get_as(&jane.token, path)
        .await
        .header("etag")
        .to_owned();
    let body = json!({"phone": "(916) 555-0100", "conditions": {"counties": ["yolo"]}});
    assert_problem(
        &merge_patch(&app, &jane, path, None, &body).await,
        428,
        "precondition_required",
    );
    let first = merge_patch(&app, &jane, path, Some(&etag), &body).await;
    first.assert_status(200);
    assert_eq!(first.body["first_name"], "Jane");
    assert_eq!(first.body["email"], "jane@example.org");
    assert_eq!(first.body["phone"], "(916) 555-0100");
    assert_eq!(first.body["conditions"]["counties"], json!(["yolo"]));
    let etag = first.header("etag").to_owned();
    let address = json!({"line1": "1500 Capitol Ave", "city": "Sacramento", "state": "CA", "postal_code": "95814"});
    let second = merge_patch(
        &app,
        &jane,
        path,
        Some(&etag),
        &json!({
            "mailing_address": address,
            "conditions": {"accepts_contact": true},
            "supervisors": [{"name": "Pat Lee"}],
            "phone": null
        }),
    )
    .await;
    second.assert_status(200);
    assert_eq!(second.body["phone"], Value::Null);
    assert_eq!(second.body["conditions"]["counties"], json!(["yolo"]));
    assert_eq!(second.body["conditions"]["accepts_contact"], true);
    assert_eq!(second.body["supervisors"][0]["name"], "Pat Lee");
    let etag = second.header("etag").to_owned();
    assert_problem(
        &merge_patch(&app, &jane, path, Some(first.header("etag")), &json!({})).await,
        412,
        "precondition_failed",
    );
    let third = merge_patch(
        &app,
        &jane,
        path,
        Some(&etag),
        &json!({"mailing_address": {"city": "Davis", "line2": "Unit 2"}}),
    )
    .await;
    third.assert_status(200);
    assert_eq!(third.body["mailing_address"]["city"], "Davis");
    assert_eq!(third.body["mailing_address"]["line1"], "1500 Capitol Ave");
    assert_eq!(third.body["mailing_address"]["line2"], "Unit 2");
    assert_eq!(
        app.get_as(&jane.token, path).await.body,
        third.body,
        "what was answered is what was stored"
    );
}

#[actix_web::test]
async fn a_profile_patch_refuses_null_names_and_nested_required_members_at_their_path() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let path = "/api/v1/me/profile";
    let etag = app
        .get_as(&jane.token, path)
        .await
        .header("etag")
        .to_owned();
    let no_name = merge_patch(&app, &jane, path, Some(&etag), &json!({"last_name": null})).await;
    assert_problem(&no_name, 422, "validation_failed");
    assert_eq!(
        fields_and_codes(&no_name),
        [("last_name".to_owned(), "required".to_owned())]
    );
    let partial = merge_patch(
        &app,
        &jane,
        path,
        Some(&etag),
        &json!({"mailing_address": {"city": "Davis"}}),
    )
    .await;
    assert_problem(&partial, 422, "validation_failed");
    assert_eq!(partial.body["errors"][0]["field"], "mailing_address.line1");
    assert_eq!(partial.body["errors"][0]["code"], "required");
    let unchanged = app.get_as(&jane.token, path).await;
    assert_eq!(unchanged.header("etag"), etag);
}

#[actix_web::test]
async fn an_account_patch_unbinds_with_null_and_refuses_null_roles() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let path = format!("/api/v1/admin/accounts/{}", employer.id);
    let null_roles = merge_patch(&app, &admin, &path, None, &json!({"roles": null})).await;
    assert_problem(&null_roles, 422, "validation_failed");
    assert_eq!(
        fields_and_codes(&null_roles),
        [("roles".to_owned(), "required".to_owned())]
    );
    let still_employer =
        merge_patch(&app, &admin, &path, None, &json!({"department_code": null})).await;
    assert_problem(&still_employer, 422, "validation_failed");
    assert_eq!(still_employer.body["errors"][0]["field"], "department_code");
    let unbound = merge_patch(
        &app,
        &admin,
        &path,
        None,
        &json!({"roles": ["applicant"], "department_code": null}),
    )
    .await;
    unbound.assert_status(200);
    assert_eq!(unbound.body["department_code"], Value::Null);
    assert_eq!(unbound.body["roles"], json!(["applicant"]));
}
