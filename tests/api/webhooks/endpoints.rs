//! Managing endpoints: admins only, per client, the address rules (SSRF), validation, and the
//! secret shown once.

use reqwest::Method;
use serde_json::json;

use super::{ALL_TYPES, Receiver, api_client, app, endpoint};
use crate::support::{TestApp, assert_problem};

fn endpoints_path(client: &str) -> String {
    format!("/api/v1/admin/api-clients/{client}/webhook-endpoints")
}

#[actix_web::test]
async fn internal_and_plain_addresses_are_refused_by_default() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let robot = app.employer("Hr", "System", "DMV").await;
    let client = api_client(&app, &admin, &robot, Some("DMV"), "postings:read").await;
    for (url, code) in [
        ("http://hooks.example.com/in", "https_required"),
        ("https://127.0.0.1:8443/in", "private_address"),
        (
            "https://169.254.169.254/latest/meta-data/",
            "private_address",
        ),
        ("https://[::1]/in", "private_address"),
        ("https://10.1.2.3/in", "private_address"),
        ("https://localhost/in", "private_address"),
        ("file:///etc/passwd", "https_required"),
        ("https://user:secret@hooks.example.com/in", "invalid_url"),
        ("not a url", "invalid_url"),
    ] {
        let refused = app
            .post_as(
                &admin.token,
                &endpoints_path(&client),
                &json!({"url": url, "event_types": ["posting.published"]}),
            )
            .await;
        assert_problem(&refused, 422, "validation_failed");
        assert_eq!(refused.body["errors"][0]["field"], "url", "{url}");
        assert_eq!(refused.body["errors"][0]["code"], code, "{url}");
    }
    let list = app.get_as(&admin.token, &endpoints_path(&client)).await;
    list.assert_status(200);
    assert_eq!(list.body["items"], json!([]), "nothing was stored");
    let accepted = app
        .post_as(
            &admin.token,
            &endpoints_path(&client),
            &json!({"url": "https://hooks.example.com/merit", "event_types": ["posting.published"]}),
        )
        .await;
    accepted.assert_status(201);
}

#[actix_web::test]
async fn endpoints_are_managed_by_admins_per_client() {
    let app = app().await;
    let admin = app.admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let robot = app.employer("Hr", "System", "DMV").await;
    let client = api_client(&app, &admin, &robot, Some("DMV"), "postings:read").await;
    let other_robot = app.employer("Other", "System", "CHP").await;
    let other = api_client(&app, &admin, &other_robot, Some("CHP"), "postings:read").await;
    let receiver = Receiver::start(&[]);
    let (id, secret) = endpoint(&app, &admin, &client, &receiver.url, &ALL_TYPES).await;
    assert!(
        secret.starts_with("whsec_") && secret.len() == 50,
        "{secret}"
    );

    let read = app
        .get_as(&admin.token, &format!("{}/{id}", endpoints_path(&client)))
        .await;
    read.assert_status(200);
    assert_eq!(read.body["url"], receiver.url.as_str());
    assert_eq!(read.body["enabled"], true);
    assert_eq!(read.body["event_types"].as_array().unwrap().len(), 5);
    assert!(
        read.body.get("secret").is_none(),
        "the secret is shown once"
    );

    // Another client's path names nothing; neither does a malformed id.
    let foreign = app
        .get_as(&admin.token, &format!("{}/{id}", endpoints_path(&other)))
        .await;
    assert_problem(&foreign, 404, "not_found");
    let unknown = app
        .get_as(
            &admin.token,
            &endpoints_path(&uuid::Uuid::now_v7().to_string()),
        )
        .await;
    assert_problem(&unknown, 404, "not_found");
    let malformed = app.get_as(&admin.token, &endpoints_path("nope")).await;
    assert_problem(&malformed, 404, "not_found");

    // Not an admin: 403, and nothing changes.
    let forbidden = app.get_as(&employer.token, &endpoints_path(&client)).await;
    assert_problem(&forbidden, 403, "forbidden");
    let forbidden = app
        .post_as(
            &employer.token,
            &endpoints_path(&client),
            &json!({"url": receiver.url, "event_types": ["posting.published"]}),
        )
        .await;
    assert_problem(&forbidden, 403, "forbidden");

    // Validation reports every field at once.
    let invalid = app
        .post_as(
            &admin.token,
            &endpoints_path(&client),
            &json!({"url": "ftp://x", "event_types": ["posting.published", "posting.published"], "description": " "}),
        )
        .await;
    assert_problem(&invalid, 422, "validation_failed");
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["url", "description", "event_types[1]"]);
    let unknown_type = app
        .post_as(
            &admin.token,
            &endpoints_path(&client),
            &json!({"url": receiver.url, "event_types": ["posting.deleted"]}),
        )
        .await;
    assert_problem(&unknown_type, 422, "validation_failed");

    // Replace, then delete; both audited.
    let replaced = app
        .send_json_as(
            &admin.token,
            Method::PUT,
            &format!("{}/{id}", endpoints_path(&client)),
            &json!({"url": receiver.url, "event_types": ["posting.closed"], "enabled": false}),
        )
        .await;
    replaced.assert_status(200);
    assert_eq!(replaced.body["enabled"], false);
    assert_eq!(replaced.body["disabled_reason"], "manual");
    assert_eq!(replaced.body["event_types"], json!(["posting.closed"]));
    assert_eq!(replaced.body["description"], json!(null));
    let deleted = app
        .send(
            app.request(Method::DELETE, &format!("{}/{id}", endpoints_path(&client)))
                .bearer_auth(&admin.token),
        )
        .await;
    deleted.assert_status(204);
    let gone = app
        .get_as(&admin.token, &format!("{}/{id}", endpoints_path(&client)))
        .await;
    assert_problem(&gone, 404, "not_found");
    let audit = app
        .get_as(&admin.token, "/api/v1/admin/audit-events?limit=100")
        .await;
    let kinds: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|k| k.starts_with("webhook_"))
        .collect();
    assert_eq!(
        kinds,
        [
            "webhook_endpoint_deleted",
            "webhook_endpoint_updated",
            "webhook_endpoint_created"
        ]
    );
}
