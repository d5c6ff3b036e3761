//! Registration, the password policy, and email verification.

use chrono::Duration;
use figment::providers::Serialized;
use serde_json::{Value, json};

use super::{field_errors, me};
use crate::support::{TestApp, assert_problem};

async fn register(app: &TestApp, body: Value) -> crate::support::TestResponse {
    app.post("/api/v1/accounts", &body).await
}

fn applicant(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password, "first_name": "Ada", "last_name": "Quill"})
}

/// The single password error of a 422, failing if there are others.
async fn only_password_error(app: &TestApp, body: Value) -> String {
    let response = register(app, body).await;
    assert_problem(&response, 422, "validation_failed");
    let errors = field_errors(&response);
    assert_eq!(errors.len(), 1, "exactly one rule fails: {}", response.text);
    assert_eq!(errors[0].0, "password");
    errors[0].1.clone()
}

#[actix_web::test]
async fn a_new_address_and_an_already_registered_one_get_the_same_202() {
    let app = TestApp::spawn().await;
    let first = register(&app, applicant("ada@example.org", "Quokka.Ride7")).await;
    first.assert_status(202);
    let again = register(&app, applicant("ADA@example.org", "Other.Pass9")).await;
    again.assert_status(202);
    assert_eq!(first.text, again.text, "the same body either way");

    let mail = app.mail_to("ada@example.org").await;
    let subjects: Vec<&str> = mail.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["Confirm your email address", "You already have an account"]
    );
    assert!(
        mail[1].token().is_none(),
        "no verification link the second time"
    );
    assert!(
        app.mailbox().await.iter().all(|m| !m.to.contains("ADA@")),
        "the notice goes to the address on file, not to the text typed"
    );

    let admin = app.admin().await;
    let found = app
        .get_as(&admin.token, "/api/v1/admin/accounts?q=ada@")
        .await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
    app.sign_in("ada@example.org", "Quokka.Ride7")
        .await
        .assert_status(200);
    app.sign_in("ada@example.org", "Other.Pass9")
        .await
        .assert_status(401);
}

#[actix_web::test]
async fn each_caljobs_password_rule_is_refused_with_its_own_code() {
    let app = TestApp::spawn().await;
    let cases = [
        ("Qk7!ab", "password_too_short"),
        ("Quokka.Ride.Mesa.777x", "password_too_long"),
        ("quokka.ride7", "password_missing_uppercase"),
        ("QUOKKA.RIDE7", "password_missing_lowercase"),
        ("Quokka.Ride", "password_missing_digit"),
        ("QuokkaRide7", "password_missing_special"),
        ("Password1@", "password_too_common"),
    ];
    for (n, (password, code)) in cases.into_iter().enumerate() {
        let body = applicant(&format!("rules{n}@example.org"), password);
        assert_eq!(only_password_error(&app, body).await, code, "{password}");
    }
    let with_username = json!({
        "email": "rules-u@example.org", "username": "quokkarider", "password": "Quokkarider7!",
        "first_name": "Ada", "last_name": "Quill",
    });
    assert_eq!(
        only_password_error(&app, with_username).await,
        "password_contains_username"
    );
    let with_email_name = applicant("brightmesa@example.org", "BrightMesa7!");
    assert_eq!(
        only_password_error(&app, with_email_name).await,
        "password_contains_username"
    );
    assert!(
        app.mailbox().await.is_empty(),
        "no account was made, no email sent"
    );
}

#[actix_web::test]
async fn a_rejected_registration_lists_every_failed_rule_and_field_at_once() {
    let app = TestApp::spawn().await;
    let response = register(
        &app,
        json!({"email": "not-an-address", "password": "password", "first_name": "", "last_name": "Quill"}),
    )
    .await;
    assert_problem(&response, 422, "validation_failed");
    let mut errors = field_errors(&response);
    errors.sort();
    let expected: Vec<(String, String)> = [
        ("email", "invalid_email"),
        ("first_name", "invalid_name"),
        ("password", "password_missing_digit"),
        ("password", "password_missing_special"),
        ("password", "password_missing_uppercase"),
        ("password", "password_too_common"),
    ]
    .into_iter()
    .map(|(f, c)| (f.to_owned(), c.to_owned()))
    .collect();
    assert_eq!(errors, expected);
    assert_eq!(response.body["detail"], "6 fields are invalid.");
}

#[actix_web::test]
async fn the_nist_preset_accepts_a_passphrase_and_64_characters_and_refuses_seven() {
    let app =
        TestApp::spawn_with(|f| f.merge(Serialized::default("password_policy", "nist"))).await;
    register(
        &app,
        applicant("phrase@example.org", "correct horse battery staple"),
    )
    .await
    .assert_status(202);
    let long = "a quiet orchard under northern lights, 64 characters or so......";
    assert_eq!(long.chars().count(), 64);
    register(&app, applicant("long@example.org", long))
        .await
        .assert_status(202);
    assert_eq!(
        only_password_error(&app, applicant("short@example.org", "abcdefg")).await,
        "password_too_short"
    );
    assert_eq!(
        only_password_error(&app, applicant("common@example.org", "password1")).await,
        "password_too_common"
    );
    app.sign_in("phrase@example.org", "correct horse battery staple")
        .await
        .assert_status(200);
    app.sign_in("long@example.org", long)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_password_is_never_truncated_or_changed() {
    let app = TestApp::spawn().await;
    let password = "Quokka.Ride.Mesa.777";
    assert_eq!(password.len(), 20);
    register(&app, applicant("exact@example.org", password))
        .await
        .assert_status(202);
    let first_19 = &password[..19];
    assert_problem(
        &app.sign_in("exact@example.org", first_19).await,
        401,
        "invalid_credentials",
    );
    assert_problem(
        &app.sign_in("exact@example.org", &format!("{password}!"))
            .await,
        401,
        "invalid_credentials",
    );
    assert_problem(
        &app.sign_in("exact@example.org", &password.to_lowercase())
            .await,
        401,
        "invalid_credentials",
    );
    assert_problem(
        &app.sign_in("exact@example.org", &format!(" {password}"))
            .await,
        401,
        "invalid_credentials",
    );
    app.sign_in("exact@example.org", password)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_taken_username_is_409_username_taken_in_any_letter_case() {
    let app = TestApp::spawn().await;
    let mut body = applicant("first@example.org", "Quokka.Ride7");
    body["username"] = json!("ada.quill");
    register(&app, body).await.assert_status(202);
    let mut clash = applicant("second@example.org", "Quokka.Ride7");
    clash["username"] = json!("Ada.Quill");
    assert_problem(&register(&app, clash).await, 409, "username_taken");
    app.sign_in("ADA.QUILL", "Quokka.Ride7")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn the_verification_link_works_once_and_me_then_shows_the_address_verified() {
    let app = TestApp::spawn().await;
    app.register("vera@example.org").await.assert_status(202);
    let user = app
        .signed_in("vera@example.org", crate::support::PASSWORD)
        .await;
    assert_eq!(me(&app, &user.token).await.body["email_verified"], false);

    let token = app.last_token_to("vera@example.org").await;
    let confirm = json!({"token": token});
    app.post("/api/v1/auth/email-verifications/confirm", &confirm)
        .await
        .assert_status(204);
    assert_eq!(me(&app, &user.token).await.body["email_verified"], true);
    assert_problem(
        &app.post("/api/v1/auth/email-verifications/confirm", &confirm)
            .await,
        400,
        "invalid_token",
    );
}

#[actix_web::test]
async fn a_verification_link_expires_after_24_hours() {
    let app = TestApp::spawn().await;
    app.register("late@example.org").await.assert_status(202);
    let token = app.last_token_to("late@example.org").await;
    app.clock.advance(Duration::hours(24));
    assert_problem(
        &app.post(
            "/api/v1/auth/email-verifications/confirm",
            &json!({"token": token}),
        )
        .await,
        400,
        "invalid_token",
    );
    let user = app
        .signed_in("late@example.org", crate::support::PASSWORD)
        .await;
    assert_eq!(me(&app, &user.token).await.body["email_verified"], false);
}

#[actix_web::test]
async fn a_verification_link_still_works_just_before_24_hours() {
    let app = TestApp::spawn().await;
    app.register("prompt@example.org").await.assert_status(202);
    let token = app.last_token_to("prompt@example.org").await;
    app.clock
        .advance(Duration::hours(24) - Duration::seconds(1));
    app.post(
        "/api/v1/auth/email-verifications/confirm",
        &json!({"token": token}),
    )
    .await
    .assert_status(204);
}

#[actix_web::test]
async fn a_wrong_verification_token_is_400_invalid_token() {
    let app = TestApp::spawn().await;
    app.register("wrong@example.org").await.assert_status(202);
    let real = app.last_token_to("wrong@example.org").await;
    for token in ["nonsense", &format!("{real}x"), &real[1..]] {
        assert_problem(
            &app.post(
                "/api/v1/auth/email-verifications/confirm",
                &json!({"token": token}),
            )
            .await,
            400,
            "invalid_token",
        );
    }
}

#[actix_web::test]
async fn a_resent_verification_link_replaces_the_earlier_one() {
    let app = TestApp::spawn().await;
    app.register("again@example.org").await.assert_status(202);
    let first = app.last_token_to("again@example.org").await;
    let user = app
        .signed_in("again@example.org", crate::support::PASSWORD)
        .await;
    app.post_as(&user.token, "/api/v1/me/email-verifications", &json!({}))
        .await
        .assert_status(202);
    let second = app.last_token_to("again@example.org").await;
    assert_ne!(first, second);
    assert_problem(
        &app.post(
            "/api/v1/auth/email-verifications/confirm",
            &json!({"token": first}),
        )
        .await,
        400,
        "invalid_token",
    );
    app.post(
        "/api/v1/auth/email-verifications/confirm",
        &json!({"token": second}),
    )
    .await
    .assert_status(204);
    assert_problem(
        &app.post_as(&user.token, "/api/v1/me/email-verifications", &json!({}))
            .await,
        409,
        "already_verified",
    );
}
