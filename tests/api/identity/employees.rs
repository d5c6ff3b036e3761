//! State employees: the roster import (JSON and CSV, all or nothing), the privacy agreement,
//! activation by Employee ID, and losing the employee role at separation.

use reqwest::Method;
use serde_json::{Value, json};

use super::{audit_events, field_errors, me, roles};
use crate::support::{PASSWORD, TestApp, TestResponse, TestUser, assert_problem};

fn row(id: &str, last: &str, department: &str, status: &str) -> Value {
    json!({
        "employee_id": id, "first_name": "Erin", "last_name": last,
        "department_code": department,
        "business_email": format!("{}@{}.ca.gov", last.to_lowercase(), department.to_lowercase()),
        "status": status,
    })
}

async fn import(app: &TestApp, admin: &TestUser, rows: Vec<Value>) -> TestResponse {
    app.send_json_as(
        &admin.token,
        Method::PUT,
        "/api/v1/admin/employee-roster",
        &json!({"employees": rows}),
    )
    .await
}

async fn import_csv(app: &TestApp, admin: &TestUser, csv: &str) -> TestResponse {
    app.send(
        app.request(Method::PUT, "/api/v1/admin/employee-roster")
            .bearer_auth(&admin.token)
            .header("content-type", "text/csv")
            .body(csv.to_owned()),
    )
    .await
}

fn counts(response: &TestResponse) -> [u64; 5] {
    ["created", "updated", "separated", "unchanged", "total"]
        .map(|name| response.body[name].as_u64().expect(name))
}

async fn activate(app: &TestApp, employee_id: &str, version: &str) -> TestResponse {
    app.post(
        "/api/v1/auth/employee-activations",
        &json!({"employee_id": employee_id, "privacy_agreement_version": version}),
    )
    .await
}

async fn setup() -> (TestApp, TestUser) {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    (app, admin)
}

#[actix_web::test]
async fn a_json_roster_import_counts_created_updated_separated_and_unchanged() {
    let (app, admin) = setup().await;
    let first = import(
        &app,
        &admin,
        vec![
            row("1001", "Avila", "DMV", "active"),
            row("1002", "Baker", "DMV", "active"),
            row("1003", "Chu", "CDCR", "active"),
            row("1004", "Diaz", "CDCR", "active"),
        ],
    )
    .await;
    first.assert_status(200);
    assert_eq!(counts(&first), [4, 0, 0, 0, 4]);

    // 1001 unchanged, 1002 moves department, 1003 separated in the file, 1004 missing,
    // 1005 new, 1006 new but already separated.
    let second = import(
        &app,
        &admin,
        vec![
            row("1001", "Avila", "DMV", "active"),
            row("1002", "Baker", "CDCR", "active"),
            row("1003", "Chu", "CDCR", "separated"),
            row("1005", "Evans", "DMV", "active"),
            row("1006", "Ford", "DMV", "separated"),
        ],
    )
    .await;
    second.assert_status(200);
    assert_eq!(counts(&second), [1, 1, 3, 1, 5]);

    let third = import(
        &app,
        &admin,
        vec![
            row("1001", "Avila", "DMV", "active"),
            row("1002", "Baker", "CDCR", "active"),
            row("1003", "Chu", "CDCR", "separated"),
            row("1005", "Evans", "DMV", "active"),
            row("1006", "Ford", "DMV", "separated"),
        ],
    )
    .await;
    assert_eq!(
        counts(&third),
        [0, 0, 0, 5, 5],
        "importing the same file again changes nothing"
    );
    let events = audit_events(&app, &admin, "kind=roster_imported").await;
    assert_eq!(events.len(), 3);
    assert_eq!(events[1]["details"]["separated"], 3);
    assert_eq!(events[1]["actor_account_id"], admin.id.as_str());
}

#[actix_web::test]
async fn a_csv_roster_imports_like_json_in_any_column_order() {
    let (app, admin) = setup().await;
    let csv = "status,employee_id,first_name,last_name,department_code,business_email\n\
               active,2001,Gail,Hart,DMV,gail.hart@dmv.ca.gov\n\
               active, 2002 ,Ivan,Jones,CDCR,ivan.jones@cdcr.ca.gov\n\
               separated,2003,Kim,Lee,DMV,kim.lee@dmv.ca.gov\n";
    let response = import_csv(&app, &admin, csv).await;
    response.assert_status(200);
    assert_eq!(counts(&response), [2, 0, 1, 0, 3]);
    activate(&app, "2002", "2026-01").await.assert_status(202);
    assert_eq!(app.mail_to("ivan.jones@cdcr.ca.gov").await.len(), 1);
}

#[actix_web::test]
async fn an_empty_roster_is_refused_rather_than_separating_everyone() {
    let (app, admin) = setup().await;
    import(&app, &admin, vec![row("3001", "Ng", "DMV", "active")])
        .await
        .assert_status(200);
    let json = import(&app, &admin, vec![]).await;
    assert_problem(&json, 422, "validation_failed");
    assert_eq!(json.body["errors"][0]["field"], "employees");
    assert_eq!(json.body["errors"][0]["code"], "empty_roster");
    let csv = import_csv(
        &app,
        &admin,
        "employee_id,first_name,last_name,department_code,business_email,status\n",
    )
    .await;
    assert_problem(&csv, 422, "validation_failed");
    assert_eq!(csv.body["errors"][0]["code"], "empty_roster");
    // The employee is still active: an activation sends the set-password link.
    activate(&app, "3001", "2026-01").await.assert_status(202);
    assert_eq!(app.mail_to("ng@dmv.ca.gov").await.len(), 1);
}

#[actix_web::test]
async fn a_roster_with_bad_rows_lists_each_and_imports_nothing() {
    let (app, admin) = setup().await;
    let mut bad_email = row("3004", "Nash", "DMV", "active");
    bad_email["business_email"] = json!("not-an-address");
    let rows = vec![
        row("3001", "Kane", "DMV", "active"),
        row("12", "Lowe", "DMV", "active"),
        json!({"employee_id": "3003", "first_name": "Lou", "last_name": " ", "department_code": "DMV",
               "business_email": "lou@dmv.ca.gov", "status": "active"}),
        bad_email,
        row("3001", "Moss", "DMV", "active"),
    ];
    let response = import(&app, &admin, rows).await;
    assert_problem(&response, 422, "validation_failed");
    let errors = field_errors(&response);
    let expected = [
        ("employees[1].employee_id", "invalid_employee_id"),
        ("employees[2].last_name", "invalid_name"),
        ("employees[3].business_email", "invalid_email"),
        ("employees[4].employee_id", "duplicate_employee_id"),
    ];
    assert_eq!(
        errors,
        expected.map(|(f, c)| (f.to_owned(), c.to_owned())).to_vec()
    );

    // Nothing was imported: the good row is new on the next import, and cannot activate before.
    activate(&app, "3001", "2026-01").await.assert_status(202);
    assert!(app.mailbox().await.is_empty());
    let good = import(&app, &admin, vec![row("3001", "Kane", "DMV", "active")]).await;
    assert_eq!(counts(&good), [1, 0, 0, 0, 1]);
}

#[actix_web::test]
async fn an_unknown_department_rejects_the_whole_roster() {
    let (app, admin) = setup().await;
    let response = import(
        &app,
        &admin,
        vec![
            row("4001", "Park", "DMV", "active"),
            row("4002", "Quinn", "NOSUCH", "active"),
        ],
    )
    .await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(
        field_errors(&response),
        [(
            "employees[1].department_code".to_owned(),
            "unknown_department".to_owned()
        )]
    );
    let retry = import(&app, &admin, vec![row("4001", "Park", "DMV", "active")]).await;
    assert_eq!(counts(&retry), [1, 0, 0, 0, 1], "the good row was not kept");
}

#[actix_web::test]
async fn a_csv_with_bad_rows_or_headers_is_refused_whole() {
    let (app, admin) = setup().await;
    let csv = "employee_id,first_name,last_name,department_code,business_email,status\n\
               5001,Rae,Sato,DMV,rae.sato@dmv.ca.gov,active\n\
               5002,Tom,Udo,DMV,tom.udo@dmv.ca.gov,retired\n\
               x,Val,Wong,DMV,val@dmv.ca.gov,active\n";
    let response = import_csv(&app, &admin, csv).await;
    assert_problem(&response, 422, "validation_failed");
    let fields: Vec<String> = field_errors(&response)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["rows[1]"]);
    let bad_id = "employee_id,first_name,last_name,department_code,business_email,status\n\
                  x,Val,Wong,DMV,val@dmv.ca.gov,active\n";
    let response = import_csv(&app, &admin, bad_id).await;
    assert_eq!(
        field_errors(&response),
        [(
            "rows[0].employee_id".to_owned(),
            "invalid_employee_id".to_owned()
        )]
    );
    let wrong_header = import_csv(&app, &admin, "id,name\n1,2\n").await;
    assert_problem(&wrong_header, 400, "malformed_csv");
    let text = app
        .send(
            app.request(Method::PUT, "/api/v1/admin/employee-roster")
                .bearer_auth(&admin.token)
                .header("content-type", "text/plain")
                .body("5001"),
        )
        .await;
    assert_problem(&text, 415, "unsupported_media_type");
    let good = import(&app, &admin, vec![row("5001", "Sato", "DMV", "active")]).await;
    assert_eq!(
        counts(&good),
        [1, 0, 0, 0, 1],
        "nothing was imported before"
    );
}

#[actix_web::test]
async fn the_privacy_agreement_is_public_with_its_version_and_text() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/privacy-agreement").await;
    response.assert_status(200);
    assert_eq!(response.body["version"], "2026-01");
    assert_eq!(response.body["effective_date"], "2026-01-01");
    assert!(
        response.body["text"]
            .as_str()
            .unwrap()
            .contains("Employee ID")
    );
}

#[actix_web::test]
async fn an_employee_activates_sets_a_password_from_the_business_email_and_signs_in_with_the_id() {
    let (app, admin) = setup().await;
    import(
        &app,
        &admin,
        vec![row("00456789", "Reyes", "DMV", "active")],
    )
    .await
    .assert_status(200);
    let answer = activate(&app, "00456789", "2026-01").await;
    answer.assert_status(202);
    let mail = app.mail_to("reyes@dmv.ca.gov").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0]
            .text
            .contains("https://careers.example.gov/set-password?token=")
    );
    let token = mail[0].token().unwrap();
    assert_problem(
        &app.sign_in("00456789", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let confirmed = app
        .post(
            "/api/v1/auth/password-resets/confirm",
            &json!({"token": token, "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(
        confirmed.status, 204,
        "token {token:?} from {:?}: {}",
        mail[0].text, confirmed.text
    );
    let employee = app.signed_in("00456789", PASSWORD).await;
    let me = me(&app, &employee.token).await;
    assert_eq!(me.body["employee_id"], "00456789");
    let roles = roles(&me.body);
    assert!(roles.contains(&"employee".to_owned()), "{roles:?}");
    assert!(roles.contains(&"applicant".to_owned()), "{roles:?}");

    let events = audit_events(&app, &admin, &format!("account_id={}", employee.id)).await;
    let activated = events
        .iter()
        .find(|e| e["kind"] == "employee_activated")
        .unwrap();
    assert_eq!(activated["details"]["privacy_agreement_version"], "2026-01");
    assert_problem(
        &app.post(
            "/api/v1/auth/password-resets/confirm",
            &json!({"token": token, "new_password": "Other.Pass77"}),
        )
        .await,
        400,
        "invalid_token",
    );
}

#[actix_web::test]
async fn an_outdated_privacy_agreement_version_is_422() {
    let (app, admin) = setup().await;
    import(&app, &admin, vec![row("6001", "Vance", "DMV", "active")])
        .await
        .assert_status(200);
    let response = activate(&app, "6001", "2025-01").await;
    assert_problem(&response, 422, "validation_failed");
    assert_eq!(
        field_errors(&response),
        [(
            "privacy_agreement_version".to_owned(),
            "privacy_agreement_outdated".to_owned()
        )]
    );
    assert!(app.mailbox().await.is_empty());
}

#[actix_web::test]
async fn an_unknown_or_separated_employee_id_gets_the_same_202_and_no_email() {
    let (app, admin) = setup().await;
    import(
        &app,
        &admin,
        vec![
            row("7001", "Ward", "DMV", "active"),
            row("7002", "Xu", "DMV", "separated"),
        ],
    )
    .await
    .assert_status(200);
    let known = activate(&app, "7001", "2026-01").await;
    let unknown = activate(&app, "7999", "2026-01").await;
    let separated = activate(&app, "7002", "2026-01").await;
    for answer in [&known, &unknown, &separated] {
        answer.assert_status(202);
        assert_eq!(answer.text, known.text);
    }
    let mailbox = app.mailbox().await;
    assert_eq!(mailbox.len(), 1);
    assert!(mailbox[0].to.contains("ward@dmv.ca.gov"));
    assert_problem(
        &activate(&app, "12ab", "2026-01").await,
        422,
        "validation_failed",
    );
}

#[actix_web::test]
async fn a_separated_employee_loses_the_employee_role_at_once() {
    let (app, admin) = setup().await;
    let employee = app.employee("00888888", "DMV").await;
    assert!(roles(&me(&app, &employee.token).await.body).contains(&"employee".to_owned()));
    let separation = import(
        &app,
        &admin,
        vec![row("00999999", "Young", "DMV", "active")],
    )
    .await;
    assert_eq!(counts(&separation), [1, 0, 1, 0, 1]);
    let after = me(&app, &employee.token).await;
    after.assert_status(200);
    assert_eq!(roles(&after.body), ["applicant"]);
    let account = app
        .get_as(
            &admin.token,
            &format!("/api/v1/admin/accounts/{}", employee.id),
        )
        .await;
    assert_eq!(roles(&account.body), ["applicant"]);

    // Back on the roster, the role comes back with the next import.
    let rehired = import(
        &app,
        &admin,
        vec![
            row("00999999", "Young", "DMV", "active"),
            json!({"employee_id": "00888888", "first_name": "Erin", "last_name": "Employee",
                   "department_code": "DMV", "business_email": "e00888888@dmv.ca.gov", "status": "active"}),
        ],
    )
    .await;
    assert_eq!(counts(&rehired), [0, 1, 0, 1, 2]);
    assert!(roles(&me(&app, &employee.token).await.body).contains(&"employee".to_owned()));
}
