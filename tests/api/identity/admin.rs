//! Account administration: search, roles and bindings, disabling, the admin's own access, and
//! the audit log with its filters.

use chrono::Duration;
use serde_json::{Value, json};

use super::{audit_events, field_errors, kinds, me, patch_account, roles};
use crate::support::{TestApp, TestUser, assert_problem, start_of_tests};

async fn setup() -> (TestApp, TestUser) {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    (app, admin)
}

fn usernames(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[actix_web::test]
async fn accounts_are_found_by_text_role_and_status_page_by_page() {
    let (app, admin) = setup().await;
    for (first, last) in [
        ("John", "Doe"),
        ("Jane", "Doe"),
        ("Jim", "Doe"),
        ("Kai", "Ono"),
    ] {
        app.create_prefixed(
            "staff",
            json!({"first_name": first, "last_name": last, "office_code": "LAO"}),
        )
        .await;
    }
    let applicant = app.applicant("jdoe.fan@example.org").await;

    let doe = app
        .get_as(&admin.token, "/api/v1/admin/accounts?q=laojd")
        .await;
    doe.assert_status(200);
    assert_eq!(
        usernames(&doe.body),
        ["LAOJDOE3", "LAOJDOE2", "LAOJDOE"],
        "newest first"
    );
    let by_name = app
        .get_as(&admin.token, "/api/v1/admin/accounts?q=ONO")
        .await;
    assert_eq!(usernames(&by_name.body), ["LAOKONO"]);
    let by_email = app
        .get_as(&admin.token, "/api/v1/admin/accounts?q=JDOE.fan@")
        .await;
    assert_eq!(by_email.body["items"][0]["id"], applicant.id.as_str());

    let staff = app
        .get_as(&admin.token, "/api/v1/admin/accounts?role=staff")
        .await;
    assert_eq!(staff.body["items"].as_array().unwrap().len(), 4);
    let admins = app
        .get_as(&admin.token, "/api/v1/admin/accounts?role=admin")
        .await;
    assert_eq!(usernames(&admins.body), ["admin"]);

    patch_account(&app, &admin, &applicant.id, json!({"disabled": true}))
        .await
        .assert_status(200);
    let disabled = app
        .get_as(&admin.token, "/api/v1/admin/accounts?disabled=true")
        .await;
    assert_eq!(disabled.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(disabled.body["items"][0]["id"], applicant.id.as_str());
    let enabled = app
        .get_as(
            &admin.token,
            "/api/v1/admin/accounts?disabled=false&role=staff&q=laoj",
        )
        .await;
    assert_eq!(enabled.body["items"].as_array().unwrap().len(), 3);

    let mut seen = Vec::new();
    let mut path = "/api/v1/admin/accounts?role=staff&limit=3".to_owned();
    loop {
        let page = app.get_as(&admin.token, &path).await;
        page.assert_status(200);
        seen.extend(usernames(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/api/v1/admin/accounts?role=staff&limit=3&cursor={cursor}")
            }
            None => break,
        }
    }
    assert_eq!(seen, ["LAOKONO", "LAOJDOE3", "LAOJDOE2", "LAOJDOE"]);

    assert_problem(
        &app.get_as(&admin.token, "/api/v1/admin/accounts?role=root")
            .await,
        422,
        "validation_failed",
    );
    assert_problem(
        &app.get_as(&admin.token, "/api/v1/admin/accounts?limit=101")
            .await,
        422,
        "validation_failed",
    );
    assert_problem(
        &app.get_as(&admin.token, "/api/v1/admin/accounts/no-such-id")
            .await,
        404,
        "not_found",
    );
}

#[actix_web::test]
async fn roles_need_their_binding_employer_a_department_and_staff_an_office() {
    let (app, admin) = setup().await;
    let user = app.applicant("promote@example.org").await;
    let employer = patch_account(
        &app,
        &admin,
        &user.id,
        json!({"roles": ["applicant", "employer"]}),
    )
    .await;
    assert_problem(&employer, 422, "validation_failed");
    assert_eq!(
        field_errors(&employer),
        [("department_code".to_owned(), "required".to_owned())]
    );
    let staff = patch_account(&app, &admin, &user.id, json!({"roles": ["staff"]})).await;
    assert_eq!(
        field_errors(&staff),
        [("office_code".to_owned(), "required".to_owned())]
    );
    let unknown = patch_account(
        &app,
        &admin,
        &user.id,
        json!({"roles": ["employer"], "department_code": "NOPE"}),
    )
    .await;
    assert_eq!(
        field_errors(&unknown),
        [(
            "department_code".to_owned(),
            "unknown_department".to_owned()
        )]
    );

    let promoted = patch_account(
        &app,
        &admin,
        &user.id,
        json!({"roles": ["applicant", "employer"], "department_code": "dmv"}),
    )
    .await;
    promoted.assert_status(200);
    assert_eq!(roles(&promoted.body), ["applicant", "employer"]);
    assert_eq!(promoted.body["department_code"], "DMV");
    // The change shows on the person's next request, with the same token.
    let own = me(&app, &user.token).await;
    assert_eq!(roles(&own.body), ["applicant", "employer"]);
    let changed = audit_events(
        &app,
        &admin,
        &format!("account_id={}&kind=roles_changed", user.id),
    )
    .await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        changed[0]["details"]["roles"],
        json!(["applicant", "employer"])
    );
    assert_eq!(changed[0]["actor_account_id"], admin.id.as_str());

    let demoted = patch_account(&app, &admin, &user.id, json!({"roles": ["applicant"]})).await;
    assert_eq!(roles(&demoted.body), ["applicant"]);
    app.get_as(&user.token, "/api/v1/me")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn the_employee_role_follows_the_roster_and_cannot_be_set_by_an_admin() {
    let (app, admin) = setup().await;
    let applicant = app.applicant("wannabe@example.org").await;
    let grant = patch_account(
        &app,
        &admin,
        &applicant.id,
        json!({"roles": ["applicant", "employee"]}),
    )
    .await;
    assert_problem(&grant, 422, "validation_failed");
    assert_eq!(
        field_errors(&grant),
        [("roles".to_owned(), "role_managed_by_roster".to_owned())]
    );
    let employee = app.employee("00246810", "DMV").await;
    let strip = patch_account(&app, &admin, &employee.id, json!({"roles": ["applicant"]})).await;
    assert_eq!(
        field_errors(&strip),
        [("roles".to_owned(), "role_managed_by_roster".to_owned())]
    );
    let keep = patch_account(
        &app,
        &admin,
        &employee.id,
        json!({"roles": ["applicant", "employee", "staff"], "office_code": "SAC"}),
    )
    .await;
    keep.assert_status(200);
    assert_eq!(roles(&keep.body), ["applicant", "employee", "staff"]);
}

#[actix_web::test]
async fn an_admin_cannot_remove_their_own_admin_role_or_disable_themselves() {
    let (app, admin) = setup().await;
    for body in [
        json!({"roles": ["applicant"]}),
        json!({"disabled": true}),
        json!({"roles": []}),
    ] {
        let response = patch_account(&app, &admin, &admin.id, body).await;
        assert_problem(&response, 409, "cannot_change_own_access");
    }
    me(&app, &admin.token).await.assert_status(200);
    // Another admin can.
    let deputy = app.staff("Dee", "Puty", "LAO").await;
    patch_account(
        &app,
        &admin,
        &deputy.id,
        json!({"roles": ["staff", "admin"]}),
    )
    .await
    .assert_status(200);
    let response = patch_account(
        &app,
        &deputy,
        &admin.id,
        json!({"roles": ["staff"], "office_code": "LAO"}),
    )
    .await;
    response.assert_status(200);
    assert_eq!(roles(&response.body), ["staff"]);
    assert_problem(
        &app.get_as(&admin.token, "/api/v1/admin/accounts").await,
        403,
        "forbidden",
    );
}

#[actix_web::test]
async fn patching_an_unknown_account_is_404_and_a_bad_body_is_422() {
    let (app, admin) = setup().await;
    assert_problem(
        &patch_account(&app, &admin, "no-such-id", json!({"disabled": true})).await,
        404,
        "not_found",
    );
    assert_problem(
        &app.post_as(
            &admin.token,
            "/api/v1/admin/accounts/no-such-id/unlock",
            &json!({}),
        )
        .await,
        404,
        "not_found",
    );
    let user = app.applicant("patchy@example.org").await;
    // Another spelling of a real id (upper case) names no account: 404, and nothing changes.
    let shouted = user.id.to_uppercase();
    assert_problem(
        &patch_account(&app, &admin, &shouted, json!({"disabled": true})).await,
        404,
        "not_found",
    );
    assert_problem(
        &app.get_as(&admin.token, &format!("/api/v1/admin/accounts/{shouted}"))
            .await,
        404,
        "not_found",
    );
    let stored = app
        .get_as(&admin.token, &format!("/api/v1/admin/accounts/{}", user.id))
        .await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.body["disabled"], false);
    let bad_role = patch_account(&app, &admin, &user.id, json!({"roles": ["root"]})).await;
    assert_problem(&bad_role, 422, "validation_failed");
    let privileged = patch_account(&app, &admin, &user.id, json!({"password_hash": "x"})).await;
    assert_problem(&privileged, 422, "validation_failed");
}

#[actix_web::test]
async fn the_audit_log_filters_by_account_kind_and_time() {
    let (app, admin) = setup().await;
    let early = app.applicant("early@example.org").await;
    app.clock.advance(Duration::hours(2));
    let late = app.applicant("late@example.org").await;
    let _ = app.sign_in("late@example.org", "Wrong.Guess42").await;
    let admin = app.signed_in(&admin.login, &admin.password).await;

    let for_early = audit_events(&app, &admin, &format!("account_id={}", early.id)).await;
    assert!(!for_early.is_empty());
    assert!(
        for_early
            .iter()
            .all(|e| e["subject_account_id"] == early.id.as_str()
                || e["actor_account_id"] == early.id.as_str())
    );
    let mut early_kinds = kinds(&for_early);
    early_kinds.reverse();
    assert_eq!(
        early_kinds,
        ["account_created", "email_verified", "sign_in"]
    );

    let sign_ins = audit_events(&app, &admin, "kind=sign_in").await;
    assert!(sign_ins.iter().all(|e| e["kind"] == "sign_in"));
    assert!(
        sign_ins
            .iter()
            .any(|e| e["subject_account_id"] == late.id.as_str())
    );

    let cutoff =
        (start_of_tests() + Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let after = audit_events(&app, &admin, &format!("since={cutoff}")).await;
    assert!(
        after
            .iter()
            .all(|e| e["occurred_at"].as_str().unwrap() >= cutoff.as_str())
    );
    assert!(
        after
            .iter()
            .any(|e| e["subject_account_id"] == late.id.as_str())
    );
    assert!(
        !after
            .iter()
            .any(|e| e["subject_account_id"] == early.id.as_str())
    );
    let before = audit_events(&app, &admin, &format!("until={cutoff}")).await;
    assert!(
        before
            .iter()
            .any(|e| e["subject_account_id"] == early.id.as_str())
    );
    assert!(
        !before
            .iter()
            .any(|e| e["subject_account_id"] == late.id.as_str())
    );
    let failed_late = audit_events(
        &app,
        &admin,
        &format!("account_id={}&kind=sign_in_failed&since={cutoff}", late.id),
    )
    .await;
    assert_eq!(failed_late.len(), 1);
    assert_eq!(failed_late[0]["details"]["failures"], 1);

    let page = app
        .get_as(&admin.token, "/api/v1/admin/audit-events?limit=2")
        .await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let next = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/audit-events?limit=2&cursor={cursor}"),
        )
        .await;
    next.assert_status(200);
    assert_ne!(next.body["items"][0]["id"], page.body["items"][0]["id"]);
}

#[actix_web::test]
async fn an_unknown_audit_kind_is_422_naming_kind() {
    let (app, admin) = setup().await;
    let response = app
        .get_as(&admin.token, "/api/v1/admin/audit-events?kind=coffee_break")
        .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(
        field_errors(&response),
        [("kind".to_owned(), "unknown_kind".to_owned())]
    );
    assert_problem(
        &app.get_as(&admin.token, "/api/v1/admin/audit-events?since=yesterday")
            .await,
        422,
        "validation_failed",
    );
}
