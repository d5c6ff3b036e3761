//! Machine clients: the admin API, the client-credentials grant (scope, expiry, rotation,
//! revocation), the permission matrix, the audit and the per-client rate limit.

use chrono::Duration;
use figment::providers::Serialized;
use reqwest::{Method, header};
use serde_json::json;

use super::{assert_oauth_error, client_token, create_client, events, token_request};
use crate::{
    postings::{draft, posting_body},
    support::{TestApp, assert_problem},
};

async fn app_with_admin() -> (TestApp, crate::support::TestUser) {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    (app, admin)
}

const GRANT: &[(&str, &str)] = &[("grant_type", "client_credentials")];

#[actix_web::test]
async fn an_admin_creates_a_client_whose_secret_is_shown_once_and_stored_hashed() {
    let (app, admin) = app_with_admin().await;
    let created = app
        .post_as(
            &admin.token,
            "/api/v1/admin/api-clients",
            &json!({"name": "Acme ATS", "department_code": "dmv",
                    "permissions": ["applications:read", "postings:write"]}),
        )
        .await;
    created.assert_status(201);
    let secret = created.body["client_secret"].as_str().unwrap();
    assert!(
        secret.starts_with("msk_") && secret.len() >= 4 + 43,
        "{secret}"
    );
    let id = created.body["client_id"].as_str().unwrap();
    assert_eq!(created.body["client"]["id"], id);
    assert_eq!(created.body["client"]["department_code"], "DMV");
    assert_eq!(
        created.body["client"]["permissions"],
        json!(["postings:write", "applications:read"])
    );
    assert_eq!(
        created.header("location"),
        format!("/api/v1/admin/api-clients/{id}")
    );

    let read = app
        .get_as(&admin.token, &format!("/api/v1/admin/api-clients/{id}"))
        .await;
    read.assert_status(200);
    assert!(!read.text.contains(secret), "the secret was shown again");
    assert_eq!(read.body["secrets"].as_array().unwrap().len(), 1);
    assert_eq!(read.body["secrets"][0]["expires_at"], json!(null));
    let list = app
        .get_as(&admin.token, "/api/v1/admin/api-clients?limit=10")
        .await;
    list.assert_status(200);
    assert_eq!(list.body["items"][0]["id"], id);
    assert!(!list.text.contains(secret));
    // Only its hash is stored.
    let stored: Vec<String> = app
        .db
        .read(|conn| {
            use diesel::prelude::*;
            use merit_persistence::schema::api_client_secrets;
            Ok(api_client_secrets::table
                .select(api_client_secrets::secret_hash)
                .load::<String>(conn)
                .map_err(merit_persistence::RepoError::from)?)
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&secret[4..]));
}

#[actix_web::test]
async fn creating_a_client_is_for_admins_with_valid_input() {
    let (app, admin) = app_with_admin().await;
    let employer = app.employer("Maria", "Lopez", "DMV").await;
    let body = json!({"name": "Acme", "department_code": "DMV", "permissions": ["postings:read"]});
    let refused = app
        .post_as(&employer.token, "/api/v1/admin/api-clients", &body)
        .await;
    assert_problem(&refused, 403, "forbidden");
    let unknown = app
        .post_as(
            &admin.token,
            "/api/v1/admin/api-clients",
            &json!({"name": "Acme", "department_code": "NOPE", "permissions": ["postings:read"]}),
        )
        .await;
    assert_problem(&unknown, 422, "validation_failed");
    assert_eq!(unknown.body["errors"][0]["field"], "department_code");
    let empty = app
        .post_as(
            &admin.token,
            "/api/v1/admin/api-clients",
            &json!({"name": "", "permissions": []}),
        )
        .await;
    assert_problem(&empty, 422, "validation_failed");
    assert_eq!(empty.body["errors"].as_array().unwrap().len(), 2);
    let bad_permission = app
        .post_as(
            &admin.token,
            "/api/v1/admin/api-clients",
            &json!({"name": "Acme", "permissions": ["admin"]}),
        )
        .await;
    assert_eq!(bad_permission.status, 422, "{}", bad_permission.text);
    let list = app.get_as(&admin.token, "/api/v1/admin/api-clients").await;
    assert_eq!(list.body["items"], json!([]), "nothing was created");
}

#[actix_web::test]
async fn the_client_credentials_grant() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(
        &app,
        &admin,
        Some("DMV"),
        &["postings:read", "applications:read"],
    )
    .await;

    let good = token_request(&app, &client.id, &client.secret, GRANT).await;
    good.assert_status(200);
    assert_eq!(good.body["token_type"], "Bearer");
    assert_eq!(good.body["expires_in"], 900);
    assert_eq!(good.body["scope"], "postings:read applications:read");
    assert_eq!(good.header("cache-control"), "no-store");
    assert!(good.body.get("refresh_token").is_none());

    // Credentials in the body, as a form and as JSON.
    let form = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_str()),
    ])
    .unwrap();
    let in_body = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    in_body.assert_status(200);
    let as_json = app
        .post(
            "/api/v1/auth/token",
            &json!({"grant_type": "client_credentials", "client_id": client.id,
                    "client_secret": client.secret, "scope": "postings:read"}),
        )
        .await;
    as_json.assert_status(200);
    assert_eq!(as_json.body["scope"], "postings:read");

    let wrong = token_request(&app, &client.id, "msk_wrong", GRANT).await;
    assert_oauth_error(&wrong, 401, "invalid_client");
    assert!(wrong.header("www-authenticate").starts_with("Basic"));
    let unknown = token_request(
        &app,
        "01938f4e-7c1a-7b2e-9c3d-4e5f60718293",
        &client.secret,
        GRANT,
    )
    .await;
    assert_oauth_error(&unknown, 401, "invalid_client");
    let anonymous = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_oauth_error(&anonymous, 401, "invalid_client");

    let grant_type = token_request(
        &app,
        &client.id,
        &client.secret,
        &[("grant_type", "password")],
    )
    .await;
    assert_oauth_error(&grant_type, 400, "unsupported_grant_type");
    let subset = token_request(
        &app,
        &client.id,
        &client.secret,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "applications:read"),
        ],
    )
    .await;
    subset.assert_status(200);
    assert_eq!(subset.body["scope"], "applications:read");
    for beyond in ["postings:write", "postings:read admin"] {
        let refused = token_request(
            &app,
            &client.id,
            &client.secret,
            &[("grant_type", "client_credentials"), ("scope", beyond)],
        )
        .await;
        assert_oauth_error(&refused, 400, "invalid_scope");
    }
    let both = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .basic_auth(&client.id, Some(&client.secret))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(format!(
                    "grant_type=client_credentials&client_secret={}",
                    client.secret
                )),
        )
        .await;
    assert_oauth_error(&both, 400, "invalid_request");
    let repeated = token_request(
        &app,
        &client.id,
        &client.secret,
        &[
            ("grant_type", "client_credentials"),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    assert_oauth_error(&repeated, 400, "invalid_request");
    let long_scope = "postings:read ".repeat(20);
    let too_long = token_request(
        &app,
        &client.id,
        &client.secret,
        &[("grant_type", "client_credentials"), ("scope", &long_scope)],
    )
    .await;
    assert_oauth_error(&too_long, 400, "invalid_request");

    // Every issued token is audited with the client's service account as actor.
    let issued = events(&app, &admin, "api_client_token_issued").await;
    assert_eq!(issued.len(), 4);
    assert!(
        issued
            .iter()
            .all(|e| e["actor_account_id"] == client.account_id.as_str()
                && e["details"]["client_id"] == client.id.as_str())
    );
}

#[actix_web::test]
async fn a_client_token_expires_after_fifteen_minutes() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let token = client_token(&app, &client, None).await;
    app.get_as(&token, "/api/v1/postings")
        .await
        .assert_status(200);
    app.clock.advance(Duration::minutes(14));
    app.get_as(&token, "/api/v1/postings")
        .await
        .assert_status(200);
    app.clock.advance(Duration::minutes(2));
    let expired = app.get_as(&token, "/api/v1/postings").await;
    assert_problem(&expired, 401, "token_expired");
    // A new one works.
    let fresh = client_token(&app, &client, None).await;
    app.get_as(&fresh, "/api/v1/postings")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn rotation_keeps_the_old_secret_working_until_its_expiry() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let rotations = format!("/api/v1/admin/api-clients/{}/secret-rotations", client.id);

    let too_long = app
        .post_as(
            &admin.token,
            &rotations,
            &json!({"previous_secret_expires_at": "2026-05-01T00:00:00Z"}),
        )
        .await;
    assert_problem(&too_long, 422, "validation_failed");

    let rotated = app.post_as(&admin.token, &rotations, &json!({})).await;
    rotated.assert_status(200);
    let new_secret = rotated.body["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, client.secret);
    let secrets = rotated.body["client"]["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0]["expires_at"], "2026-03-03T09:30:00Z");
    assert_eq!(secrets[1]["expires_at"], json!(null));

    // Both work during the overlap.
    token_request(&app, &client.id, &client.secret, GRANT)
        .await
        .assert_status(200);
    token_request(&app, &client.id, &new_secret, GRANT)
        .await
        .assert_status(200);
    app.clock.advance(Duration::hours(24));
    let old = token_request(&app, &client.id, &client.secret, GRANT).await;
    assert_oauth_error(&old, 401, "invalid_client");
    token_request(&app, &client.id, &new_secret, GRANT)
        .await
        .assert_status(200);
    // (The admin's own access token expired meanwhile.)
    let admin = app.admin().await;
    let read = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/api-clients/{}", client.id),
        )
        .await;
    assert_eq!(read.body["secrets"].as_array().unwrap().len(), 1);
    assert_eq!(
        events(&app, &admin, "api_client_secret_rotated")
            .await
            .len(),
        1
    );
}

#[actix_web::test]
async fn a_revoked_client_loses_its_tokens_at_the_next_request() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let token = client_token(&app, &client, None).await;
    app.get_as(&token, "/api/v1/postings")
        .await
        .assert_status(200);

    let revoked = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/api-clients/{}/revoke", client.id),
            &json!({}),
        )
        .await;
    revoked.assert_status(200);
    assert!(revoked.body["revoked_at"].is_string());
    assert_eq!(revoked.body["secrets"], json!([]));

    let in_hand = app.get_as(&token, "/api/v1/postings").await;
    assert_problem(&in_hand, 401, "session_ended");
    let again = token_request(&app, &client.id, &client.secret, GRANT).await;
    assert_oauth_error(&again, 401, "invalid_client");
    let rotate = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/api-clients/{}/secret-rotations", client.id),
            &json!({}),
        )
        .await;
    assert_problem(&rotate, 409, "api_client_revoked");
    let audited = events(&app, &admin, "api_client_revoked").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["actor_account_id"], admin.id.as_str());
    assert_eq!(audited[0]["subject_account_id"], client.account_id.as_str());
}

#[actix_web::test]
async fn what_a_client_may_do_follows_its_permissions_and_department() {
    let (app, admin) = app_with_admin().await;
    let edd = app.employer("Ana", "Reyes", "EDD").await;
    let edd_posting = draft(&app, &edd, json!({})).await;
    let reader = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let writer = create_client(&app, &admin, Some("DMV"), &["postings:write"]).await;
    let state_wide = create_client(&app, &admin, None, &["postings:write"]).await;
    let reader_token = client_token(&app, &reader, None).await;
    let writer_token = client_token(&app, &writer, None).await;

    // No postings:write: 403, and nothing is created.
    let refused = app
        .post_as(&reader_token, "/api/v1/postings", &posting_body(json!({})))
        .await;
    assert_problem(&refused, 403, "insufficient_scope");
    // Operations not open to clients at all.
    assert_problem(
        &app.get_as(&writer_token, "/api/v1/me").await,
        403,
        "insufficient_scope",
    );
    assert_problem(
        &app.get_as(&writer_token, "/api/v1/admin/api-clients").await,
        403,
        "insufficient_scope",
    );

    // postings:write creates and publishes the department's postings.
    let created = app
        .post_as(&writer_token, "/api/v1/postings", &posting_body(json!({})))
        .await;
    created.assert_status(201);
    assert_eq!(created.body["department_code"], "DMV");
    let id = created.body["id"].as_str().unwrap().to_owned();
    // postings:read sees the department's draft; a public reader does not.
    app.get_as(&reader_token, &format!("/api/v1/postings/{id}"))
        .await
        .assert_status(200);
    assert_eq!(app.get(&format!("/api/v1/postings/{id}")).await.status, 404);
    app.post_as(
        &writer_token,
        &format!("/api/v1/postings/{id}/publish"),
        &json!({}),
    )
    .await
    .assert_status(200);

    // Another department's posting is not there for it.
    let other = app
        .post_as(
            &writer_token,
            &format!("/api/v1/postings/{edd_posting}/publish"),
            &json!({}),
        )
        .await;
    assert_problem(&other, 404, "not_found");
    assert_eq!(
        app.get_as(&reader_token, &format!("/api/v1/postings/{edd_posting}"))
            .await
            .status,
        404
    );

    // A token narrowed to postings:read cannot write, though its client could.
    let narrowed = client_token(&app, &writer, Some("postings:read")).await;
    let refused = app
        .post_as(&narrowed, "/api/v1/postings", &posting_body(json!({})))
        .await;
    assert_problem(&refused, 403, "insufficient_scope");

    // A state-wide client names no department, so it cannot write postings.
    let state_wide_token = client_token(&app, &state_wide, None).await;
    let refused = app
        .post_as(
            &state_wide_token,
            "/api/v1/postings",
            &posting_body(json!({})),
        )
        .await;
    assert_problem(&refused, 403, "no_department");

    // The writes were audited with the client as actor; the refusals were not.
    let writes = events(&app, &admin, "api_client_request").await;
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(
        writes
            .iter()
            .all(|e| e["actor_account_id"] == writer.account_id.as_str()
                && e["details"]["client_id"] == writer.id.as_str())
    );
    let operations: Vec<&str> = writes
        .iter()
        .filter_map(|e| e["details"]["operation"].as_str())
        .collect();
    assert!(operations.contains(&"/api/v1/postings"));
    assert!(operations.contains(&"/api/v1/postings/{id}/publish"));
    let created = events(&app, &admin, "api_client_created").await;
    assert_eq!(created.len(), 3);
}

#[actix_web::test]
async fn a_client_cannot_sign_in_as_its_service_account() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    for login in [client.id.as_str(), client.account_id.as_str()] {
        let response = app.sign_in(login, &client.secret).await;
        assert_eq!(response.status, 401, "{}", response.text);
    }
}

#[actix_web::test]
async fn each_client_has_a_rate_limit_shown_in_ratelimit_headers() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("api_client_rate_per_minute", 3)))
            .await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let one = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let two = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let token = client_token(&app, &one, None).await;
    for left in [2, 1, 0] {
        let response = app.get_as(&token, "/api/v1/postings").await;
        response.assert_status(200);
        assert_eq!(response.header("ratelimit-policy"), "\"default\";q=3;w=60");
        let current = response.header("ratelimit");
        assert!(
            current.starts_with(&format!("\"default\";r={left};t=")),
            "{current}"
        );
    }
    let over = app.get_as(&token, "/api/v1/postings").await;
    assert_problem(&over, 429, "too_many_requests");
    assert!(over.header("retry-after").parse::<u64>().unwrap() >= 1);
    assert!(over.header("ratelimit").starts_with("\"default\";r=0;t="));
    // Another client has its own limit; people are not limited this way.
    let other = client_token(&app, &two, None).await;
    app.get_as(&other, "/api/v1/postings")
        .await
        .assert_status(200);
    let person = app.get_as(&admin.token, "/api/v1/postings").await;
    person.assert_status(200);
    assert_eq!(person.header("ratelimit"), "");
}

#[actix_web::test]
async fn a_bearer_header_on_a_token_request_is_ignored() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let old = client_token(&app, &client, None).await;
    // An HTTP client that sends its last access token on every request, with the credentials
    // in the body: the Bearer header is no client authentication (RFC 6749 §2.3) and is ignored.
    let form = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_str()),
    ])
    .unwrap();
    let renewed = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .bearer_auth(&old)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    renewed.assert_status(200);
    // Even an expired or made-up Bearer token changes nothing.
    let form = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_str()),
    ])
    .unwrap();
    let made_up = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .bearer_auth("not-a-token")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form),
        )
        .await;
    made_up.assert_status(200);
    // Without credentials in the body it is still an unauthenticated client.
    let bare = app
        .send(
            app.request(Method::POST, "/api/v1/auth/token")
                .bearer_auth(&old)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_oauth_error(&bare, 401, "invalid_client");
}

#[actix_web::test]
async fn service_accounts_are_hidden_from_the_admin_account_list() {
    let (app, admin) = app_with_admin().await;
    let client = create_client(&app, &admin, Some("DMV"), &["postings:read"]).await;
    let list = app
        .get_as(&admin.token, "/api/v1/admin/accounts?limit=100")
        .await;
    list.assert_status(200);
    assert!(
        !list.text.contains(&client.account_id),
        "the service account is listed: {}",
        list.text
    );
    let path = format!("/api/v1/admin/accounts/{}", client.account_id);
    assert_problem(&app.get_as(&admin.token, &path).await, 404, "not_found");
    let patched = app
        .send(
            app.request(Method::PATCH, &path)
                .bearer_auth(&admin.token)
                .json(&json!({"roles": ["admin"]})),
        )
        .await;
    assert_problem(&patched, 404, "not_found");
    assert_problem(
        &app.post_as(&admin.token, &format!("{path}/password-reset"), &json!({}))
            .await,
        404,
        "not_found",
    );
    assert_problem(
        &app.post_as(&admin.token, &format!("{path}/unlock"), &json!({}))
            .await,
        404,
        "not_found",
    );
    // The client still works, with the powers its record gives.
    let token = client_token(&app, &client, None).await;
    app.get_as(&token, "/api/v1/postings")
        .await
        .assert_status(200);
}
