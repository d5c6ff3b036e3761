//! Forgotten passwords and usernames: links by email for applicants and employees, the
//! service-desk notice for staff, and answers that never tell whether an account exists.

use chrono::Duration;
use figment::providers::Serialized;
use serde_json::json;

use super::{audit_events, kinds, me, refresh};
use crate::support::{Mail, PASSWORD, TestApp, assert_problem};

const NEW_PASSWORD: &str = "Lantern.Quay58";

async fn ask_reset(app: &TestApp, email: &str) -> crate::support::TestResponse {
    app.post("/api/v1/auth/password-resets", &json!({"email": email}))
        .await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> crate::support::TestResponse {
    app.post(
        "/api/v1/auth/password-resets/confirm",
        &json!({"token": token, "new_password": password}),
    )
    .await
}

#[actix_web::test]
async fn an_applicant_resets_the_password_with_the_emailed_link_once() {
    let app = TestApp::spawn().await;
    let user = app.applicant("forgot@example.org").await;
    let other = app.signed_in("forgot@example.org", PASSWORD).await;
    ask_reset(&app, "Forgot@Example.org")
        .await
        .assert_status(202);
    let mail = app.mail_to("forgot@example.org").await;
    let last = mail.last().unwrap();
    assert!(
        app.mailbox()
            .await
            .iter()
            .all(|m| !m.to.contains("Forgot@Example.org")),
        "the link goes to the address on file, not to the text typed"
    );
    assert_eq!(last.subject, "Reset your password");
    assert!(
        last.text
            .contains("https://careers.example.gov/reset-password?token=")
    );
    let token = last.token().unwrap();

    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
    for session in [&user, &other] {
        assert_problem(&me(&app, &session.token).await, 401, "session_ended");
        assert_problem(
            &refresh(&app, &session.refresh_token).await,
            401,
            "invalid_refresh_token",
        );
    }
    assert_problem(
        &app.sign_in("forgot@example.org", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    app.sign_in("forgot@example.org", NEW_PASSWORD)
        .await
        .assert_status(200);
    assert_problem(
        &confirm(&app, &token, "Another.Pass77").await,
        400,
        "invalid_token",
    );
    let admin = app.admin().await;
    let events = audit_events(&app, &admin, &format!("account_id={}", user.id)).await;
    let kinds = kinds(&events);
    assert!(kinds.contains(&"password_reset_requested".to_owned()));
    assert!(kinds.contains(&"password_reset".to_owned()));
}

#[actix_web::test]
async fn a_reset_link_expires_after_30_minutes() {
    let app = TestApp::spawn().await;
    app.applicant("slow@example.org").await;
    ask_reset(&app, "slow@example.org").await.assert_status(202);
    let token = app.last_token_to("slow@example.org").await;
    app.clock.advance(Duration::minutes(30));
    assert_problem(
        &confirm(&app, &token, NEW_PASSWORD).await,
        400,
        "invalid_token",
    );
    app.sign_in("slow@example.org", PASSWORD)
        .await
        .assert_status(200);

    ask_reset(&app, "slow@example.org").await.assert_status(202);
    let token = app.last_token_to("slow@example.org").await;
    app.clock
        .advance(Duration::minutes(30) - Duration::seconds(1));
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
}

#[actix_web::test]
async fn a_newer_reset_link_replaces_the_older_one() {
    let app = TestApp::spawn().await;
    app.applicant("twice@example.org").await;
    ask_reset(&app, "twice@example.org")
        .await
        .assert_status(202);
    let first = app.last_token_to("twice@example.org").await;
    ask_reset(&app, "twice@example.org")
        .await
        .assert_status(202);
    let second = app.last_token_to("twice@example.org").await;
    assert_ne!(first, second);
    assert_problem(
        &confirm(&app, &first, NEW_PASSWORD).await,
        400,
        "invalid_token",
    );
    confirm(&app, &second, NEW_PASSWORD)
        .await
        .assert_status(204);
}

#[actix_web::test]
async fn a_weak_new_password_is_422_and_leaves_the_link_usable() {
    let app = TestApp::spawn().await;
    app.applicant("weak@example.org").await;
    ask_reset(&app, "weak@example.org").await.assert_status(202);
    let token = app.last_token_to("weak@example.org").await;
    let weak = confirm(&app, &token, "Password1@").await;
    assert_problem(&weak, 422, "validation_failed");
    assert_eq!(weak.body["errors"][0]["field"], "new_password");
    assert_eq!(weak.body["errors"][0]["code"], "password_too_common");
    let own_name = confirm(&app, &token, "Weak.Weak.7").await;
    assert_problem(&own_name, 422, "validation_failed");
    assert_eq!(
        own_name.body["errors"][0]["code"],
        "password_contains_username"
    );
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
}

#[actix_web::test]
async fn a_reset_gets_a_locked_out_person_back_in() {
    let app = TestApp::spawn_with(|f| f.merge(Serialized::default("lockout_threshold", 2))).await;
    app.applicant("locked@example.org").await;
    for _ in 0..2 {
        app.sign_in("locked@example.org", "Wrong.Guess42").await;
    }
    ask_reset(&app, "locked@example.org")
        .await
        .assert_status(202);
    let token = app.last_token_to("locked@example.org").await;
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
    app.sign_in("locked@example.org", NEW_PASSWORD)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn staff_get_the_service_desk_email_without_a_link_and_the_same_answer_as_strangers() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let body = json!({"first_name": "Stan", "last_name": "Desk", "office_code": "LAO", "email": "stan.desk@edd.ca.gov"});
    app.post_as(&admin.token, "/api/v1/admin/staff-accounts", &body)
        .await
        .assert_status(201);
    let before = app.mailbox().await.len();

    let staff_answer = ask_reset(&app, "stan.desk@edd.ca.gov").await;
    let stranger_answer = ask_reset(&app, "nobody@example.org").await;
    staff_answer.assert_status(202);
    stranger_answer.assert_status(202);
    assert_eq!(staff_answer.text, stranger_answer.text);

    let mailbox = app.mailbox().await;
    assert_eq!(
        mailbox.len(),
        before + 1,
        "one email, to the staff member only"
    );
    let notice: &Mail = mailbox.last().unwrap();
    assert!(notice.to.contains("stan.desk@edd.ca.gov"));
    assert_eq!(notice.subject, "Password help for staff accounts");
    assert!(notice.text.contains("Contact the service desk"));
    assert_eq!(notice.token(), None);
    assert!(!notice.text.contains("http"));

    // The username reminder behaves the same way.
    let staff_reminder = app
        .post(
            "/api/v1/auth/username-reminders",
            &json!({"email": "stan.desk@edd.ca.gov"}),
        )
        .await;
    let stranger_reminder = app
        .post(
            "/api/v1/auth/username-reminders",
            &json!({"email": "nobody@example.org"}),
        )
        .await;
    staff_reminder.assert_status(202);
    assert_eq!(staff_reminder.text, stranger_reminder.text);
    let mailbox = app.mailbox().await;
    assert_eq!(mailbox.len(), before + 2);
    assert_eq!(
        mailbox.last().unwrap().subject,
        "Password help for staff accounts"
    );
}

#[actix_web::test]
async fn the_username_reminder_names_how_an_applicant_signs_in() {
    let app = TestApp::spawn().await;
    app.post(
        "/api/v1/accounts",
        &json!({"email": "remind@example.org", "username": "rem.ind", "password": PASSWORD,
                "first_name": "Remy", "last_name": "Ind"}),
    )
    .await
    .assert_status(202);
    app.post(
        "/api/v1/auth/username-reminders",
        &json!({"email": "REMIND@example.org"}),
    )
    .await
    .assert_status(202);
    let mail = app.mail_to("remind@example.org").await;
    let reminder = mail.last().unwrap();
    assert_eq!(reminder.subject, "Your username");
    assert!(reminder.text.contains("rem.ind"), "{}", reminder.text);
    assert_eq!(reminder.token(), None);
}

#[actix_web::test]
async fn a_malformed_address_is_422_and_an_unknown_one_sends_nothing() {
    let app = TestApp::spawn().await;
    assert_problem(
        &ask_reset(&app, "not-an-address").await,
        422,
        "validation_failed",
    );
    ask_reset(&app, "ghost@example.org")
        .await
        .assert_status(202);
    app.post(
        "/api/v1/auth/username-reminders",
        &json!({"email": "ghost@example.org"}),
    )
    .await
    .assert_status(202);
    assert!(app.mailbox().await.is_empty());
}

#[actix_web::test]
async fn a_disabled_account_gets_no_reset_link() {
    let app = TestApp::spawn().await;
    let user = app.applicant("banned@example.org").await;
    let admin = app.admin().await;
    super::patch_account(&app, &admin, &user.id, json!({"disabled": true}))
        .await
        .assert_status(200);
    let before = app.mail_to("banned@example.org").await.len();
    ask_reset(&app, "banned@example.org")
        .await
        .assert_status(202);
    assert_eq!(app.mail_to("banned@example.org").await.len(), before);
}

#[actix_web::test]
async fn employers_and_employees_reset_by_email_too() {
    let app = TestApp::spawn().await;
    app.with_reference_data().await;
    let admin = app.admin().await;
    let body = json!({"first_name": "Eva", "last_name": "Hire", "department_code": "DMV", "email": "eva.hire@dmv.ca.gov"});
    let created = app
        .post_as(&admin.token, "/api/v1/admin/employer-accounts", &body)
        .await;
    let username = created.body["username"].as_str().unwrap().to_owned();
    ask_reset(&app, "eva.hire@dmv.ca.gov")
        .await
        .assert_status(202);
    let token = app.last_token_to("eva.hire@dmv.ca.gov").await;
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
    let login = app.sign_in(&username, NEW_PASSWORD).await;
    login.assert_status(200);
    assert_eq!(login.body["password_change_required"], false);

    let employee = app.employee("00135790", "CDCR").await;
    ask_reset(&app, "e00135790@cdcr.ca.gov")
        .await
        .assert_status(202);
    let token = app.last_token_to("e00135790@cdcr.ca.gov").await;
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(204);
    assert_problem(&me(&app, &employee.token).await, 401, "session_ended");
    app.sign_in("00135790", NEW_PASSWORD)
        .await
        .assert_status(200);
}
