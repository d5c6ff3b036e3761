//! Staff and employer accounts made by admins: the office convention for usernames, temporary
//! passwords, the forced change, expiry, admin resets, and who may reach the admin endpoints.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::{audit_events, change_password, field_errors, me, refresh, roles};
use crate::support::{PASSWORD, TestApp, TestUser, assert_problem, start_of_tests};

async fn create(
    app: &TestApp,
    admin: &TestUser,
    kind: &str,
    body: Value,
) -> crate::support::TestResponse {
    app.post_as(
        &admin.token,
        &format!("/api/v1/admin/{kind}-accounts"),
        &body,
    )
    .await
}

fn staff(first: &str, last: &str, office: &str) -> Value {
    json!({"first_name": first, "last_name": last, "office_code": office})
}

#[actix_web::test]
async fn an_admin_creates_laojdoe_then_laojdoe2_for_a_second_john_doe() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let first = create(&app, &admin, "staff", staff("John", "Doe", "LAO")).await;
    first.assert_status(201);
    assert_eq!(first.body["username"], "LAOJDOE");
    let id = first.body["id"].as_str().unwrap();
    assert_eq!(
        first.header("location"),
        format!("/api/v1/admin/accounts/{id}")
    );
    let temporary = first.body["temporary_password"].as_str().unwrap();
    assert_eq!(temporary.chars().count(), 16);
    assert_ne!(temporary, "Password1@");
    let expires: DateTime<Utc> = first.body["temporary_password_expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(expires, start_of_tests() + Duration::hours(72));

    let second = create(&app, &admin, "staff", staff("Jane", "Doe", "LAO")).await;
    assert_eq!(second.body["username"], "LAOJDOE2");
    assert_ne!(
        second.body["temporary_password"],
        first.body["temporary_password"]
    );
    let third = create(&app, &admin, "staff", staff("Jim", "Doe", "lao")).await;
    assert_eq!(third.body["username"], "LAOJDOE3");
    let elsewhere = create(&app, &admin, "staff", staff("John", "Doe", "SAC")).await;
    assert_eq!(elsewhere.body["username"], "SACJDOE");

    let account = app
        .get_as(&admin.token, &format!("/api/v1/admin/accounts/{id}"))
        .await;
    assert_eq!(account.body["office_code"], "LAO");
    assert_eq!(roles(&account.body), ["staff"]);
    assert_eq!(account.body["password_change_required"], true);
    let created = audit_events(
        &app,
        &admin,
        &format!("account_id={id}&kind=account_created"),
    )
    .await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["actor_account_id"], admin.id.as_str());
}

#[actix_web::test]
async fn accents_hyphens_spaces_and_apostrophes_are_folded_out_of_the_username() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let cases = [
        ("José", "Núñez-García", "LAOJNUNEZGARCIA"),
        ("Mary", "O'Brien", "LAOMOBRIEN"),
        ("Ana", "de la Cruz", "LAOADELACRUZ"),
        ("Émile", "Zoë Ångström", "LAOEZOEANGSTROM"),
    ];
    for (first, last, expected) in cases {
        let response = create(&app, &admin, "staff", staff(first, last, "LAO")).await;
        response.assert_status(201);
        assert_eq!(response.body["username"], expected, "{first} {last}");
    }
    let no_letters = create(&app, &admin, "staff", staff("John", "---", "LAO")).await;
    assert_problem(&no_letters, 422, "validation_failed");
}

#[actix_web::test]
async fn an_employer_account_takes_the_department_code_as_its_prefix() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let body = json!({"first_name": "Maria", "last_name": "López", "department_code": "DMV"});
    let created = create(&app, &admin, "employer", body).await;
    created.assert_status(201);
    assert_eq!(created.body["username"], "DMVMLOPEZ");
    let employer = app.employer("Chen", "Wu", "CDCR").await;
    let me = me(&app, &employer.token).await;
    assert_eq!(me.body["username"], "CDCRCWU");
    assert_eq!(me.body["department_code"], "CDCR");
    assert_eq!(roles(&me.body), ["employer"]);
}

#[actix_web::test]
async fn an_unknown_office_or_department_is_422_naming_the_field() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let office = create(&app, &admin, "staff", staff("John", "Doe", "ZZZ")).await;
    assert_problem(&office, 422, "validation_failed");
    assert_eq!(office.body["errors"][0]["field"], "office_code");
    assert_eq!(office.body["errors"][0]["code"], "unknown_office");
    let body = json!({"first_name": "Maria", "last_name": "Lopez", "department_code": "NOPE"});
    let department = create(&app, &admin, "employer", body).await;
    assert_problem(&department, 422, "validation_failed");
    assert_eq!(department.body["errors"][0]["code"], "unknown_department");
}

#[actix_web::test]
async fn a_name_without_letters_is_422_at_that_name_and_makes_no_account() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    for (first, last, field) in [("0", "Doe", "first_name"), ("John", "42 -", "last_name")] {
        let response = create(&app, &admin, "staff", staff(first, last, "LAO")).await;
        assert_problem(&response, 422, "validation_failed");
        assert_eq!(
            field_errors(&response),
            [(field.to_owned(), "no_username".to_owned())],
            "{first} {last}"
        );
    }
    let found = app
        .get_as(&admin.token, "/api/v1/admin/accounts?role=staff&q=Doe")
        .await;
    found.assert_status(200);
    assert_eq!(found.body["items"], json!([]));
}

#[actix_web::test]
async fn a_temporary_password_session_can_only_change_the_password_or_sign_out() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let (_, username, temporary) = app
        .create_prefixed("staff", staff("Rita", "Moreno", "SAC"))
        .await;
    let login = app.sign_in(&username, &temporary).await;
    login.assert_status(200);
    assert_eq!(login.body["password_change_required"], true);
    let token = login.body["access_token"].as_str().unwrap();

    let blocked = [
        (Method::GET, "/api/v1/me", None),
        (
            Method::POST,
            "/api/v1/me/email-verifications",
            Some(json!({})),
        ),
        (Method::GET, "/api/v1/admin/accounts", None),
        (
            Method::POST,
            "/api/v1/departments",
            Some(json!({"code": "XYZ", "name": "X"})),
        ),
    ];
    for (method, path, body) in blocked {
        let mut request = app.request(method.clone(), path).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = app.send(request).await;
        assert_problem(&response, 403, "password_change_required");
    }
    // A weak new password is refused, and the session stays restricted.
    assert_problem(
        &change_password(&app, token, &temporary, "weak").await,
        422,
        "validation_failed",
    );
    change_password(&app, token, &temporary, PASSWORD)
        .await
        .assert_status(204);
    let now = me(&app, token).await;
    now.assert_status(200);
    assert_eq!(now.body["password_change_required"], false);
    let again = app.sign_in(&username, PASSWORD).await;
    again.assert_status(200);
    assert_eq!(again.body["password_change_required"], false);
    assert_problem(
        &app.sign_in(&username, &temporary).await,
        401,
        "invalid_credentials",
    );
}

#[actix_web::test]
async fn a_temporary_password_session_may_sign_out() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let (_, username, temporary) = app
        .create_prefixed("staff", staff("Omar", "Haddad", "LAO"))
        .await;
    let login = app.sign_in(&username, &temporary).await;
    let token = login.body["access_token"].as_str().unwrap();
    app.post_as(token, "/api/v1/auth/logout", &json!({}))
        .await
        .assert_status(204);
    assert_problem(
        &change_password(&app, token, &temporary, PASSWORD).await,
        401,
        "session_ended",
    );
}

#[actix_web::test]
async fn a_temporary_password_expires_after_72_hours() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let (_, username, temporary) = app
        .create_prefixed("staff", staff("Tess", "Late", "LAO"))
        .await;
    app.clock
        .advance(Duration::hours(72) - Duration::seconds(1));
    let before = app.sign_in(&username, &temporary).await;
    before.assert_status(200);
    app.clock.advance(Duration::seconds(1));
    assert_problem(
        &app.sign_in(&username, &temporary).await,
        401,
        "temporary_password_expired",
    );
    assert_problem(
        &refresh(&app, before.body["refresh_token"].as_str().unwrap()).await,
        401,
        "invalid_refresh_token",
    );
    // The service desk issues a new one.
    let admin = app.admin().await;
    let account = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/accounts?q={username}"),
        )
        .await;
    let id = account.body["items"][0]["id"].as_str().unwrap();
    let reset = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/accounts/{id}/password-reset"),
            &json!({}),
        )
        .await;
    reset.assert_status(200);
    let fresh = reset.body["temporary_password"].as_str().unwrap();
    let login = app.sign_in(&username, fresh).await;
    login.assert_status(200);
    assert_eq!(login.body["password_change_required"], true);
}

#[actix_web::test]
async fn an_admin_password_reset_issues_a_new_temporary_password_and_ends_sessions() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let (id, username, temporary) = app
        .create_prefixed("staff", staff("Nia", "Cole", "SAC"))
        .await;
    let person = app.settle_temporary(&username, &temporary).await;
    let admin = app.admin().await;
    let reset = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/accounts/{id}/password-reset"),
            &json!({}),
        )
        .await;
    reset.assert_status(200);
    let fresh = reset.body["temporary_password"].as_str().unwrap();
    assert_ne!(fresh, temporary);
    assert_problem(&me(&app, &person.token).await, 401, "session_ended");
    assert_problem(
        &refresh(&app, &person.refresh_token).await,
        401,
        "invalid_refresh_token",
    );
    assert_problem(
        &app.sign_in(&username, PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let settled = app.settle_temporary(&username, fresh).await;
    me(&app, &settled.token).await.assert_status(200);
    let issued = audit_events(
        &app,
        &admin,
        &format!("account_id={id}&kind=temporary_password_issued"),
    )
    .await;
    assert_eq!(issued.len(), 2, "at creation and at the reset");

    let own = app
        .post_as(
            &admin.token,
            &format!("/api/v1/admin/accounts/{}/password-reset", admin.id),
            &json!({}),
        )
        .await;
    assert_problem(&own, 409, "cannot_change_own_access");
    let unknown = app
        .post_as(
            &admin.token,
            "/api/v1/admin/accounts/no-such-account/password-reset",
            &json!({}),
        )
        .await;
    assert_problem(&unknown, 404, "not_found");
}

/// Every admin-only endpoint, with a body it would accept from an admin.
fn admin_endpoints(some_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let post = |path: &str, body: Value| (Method::POST, path.to_owned(), Some(body));
    vec![
        post("/api/v1/admin/staff-accounts", staff("John", "Doe", "LAO")),
        post(
            "/api/v1/admin/employer-accounts",
            json!({"first_name": "A", "last_name": "B", "department_code": "DMV"}),
        ),
        (Method::GET, "/api/v1/admin/accounts".into(), None),
        (
            Method::GET,
            format!("/api/v1/admin/accounts/{some_id}"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/accounts/{some_id}"),
            Some(json!({"disabled": true})),
        ),
        post(
            &format!("/api/v1/admin/accounts/{some_id}/password-reset"),
            json!({}),
        ),
        post(
            &format!("/api/v1/admin/accounts/{some_id}/unlock"),
            json!({}),
        ),
        (
            Method::PUT,
            "/api/v1/admin/employee-roster".into(),
            Some(json!({"employees": []})),
        ),
        (Method::GET, "/api/v1/admin/audit-events".into(), None),
        post(
            "/api/v1/departments",
            json!({"code": "NEWD", "name": "New"}),
        ),
        post(
            "/api/v1/classifications",
            json!({"code": "9999", "title": "New"}),
        ),
        post(
            "/api/v1/locations",
            json!({"code": "atlantis", "name": "Atlantis", "fips": "06999"}),
        ),
        post(
            "/api/v1/offices",
            json!({"code": "NEWO", "name": "New", "county_code": "alameda"}),
        ),
    ]
}

#[actix_web::test]
async fn non_admins_get_403_and_anonymous_callers_401_on_every_admin_endpoint() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let applicant = app.applicant("curious@example.org").await;
    let staff = app.staff("Sam", "Staff", "LAO").await;
    let employer = app.employer("Emma", "Employer", "DMV").await;
    let employee = app.employee("00777777", "DMV").await;
    let target = applicant.id.clone();
    for (method, path, body) in admin_endpoints(&target) {
        for (who, token) in [
            ("applicant", Some(&applicant.token)),
            ("staff", Some(&staff.token)),
            ("employer", Some(&employer.token)),
            ("employee", Some(&employee.token)),
            ("anonymous", None),
        ] {
            let mut request = app.request(method.clone(), &path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = app.send(request).await;
            let (status, code) = if token.is_some() {
                (403, "forbidden")
            } else {
                (401, "unauthenticated")
            };
            assert_eq!(
                response.status, status,
                "{who} {method} {path}: {}",
                response.text
            );
            assert_problem(&response, status, code);
        }
    }
    // Nothing was changed by any of them.
    me(&app, &applicant.token).await.assert_status(200);
    let admin = app.admin().await;
    let accounts = app
        .get_as(&admin.token, "/api/v1/admin/accounts?q=laojdoe")
        .await;
    assert_eq!(accounts.body["items"], json!([]));
}
