//! Emails link to documented frontend pages: `MERIT_PUBLIC_URL` + a configurable path, with the
//! single-use token as `?token=`. The links are read from the mail folder, as a person would.

use figment::providers::Serialized;
use merit_domain::account::RosterStatus;
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

async fn last_link_to(app: &TestApp, address: &str) -> String {
    let mails = app.mail_to(address).await;
    let mail = mails.last().expect("an email was sent");
    mail.link().expect("the email has a link").to_owned()
}

#[actix_web::test]
async fn by_default_links_go_to_the_documented_pages_under_the_public_url() {
    let app = TestApp::spawn().await;
    app.register("jane@example.org").await.assert_status(202);
    let link = last_link_to(&app, "jane@example.org").await;
    let token = link
        .strip_prefix("https://careers.example.gov/verify-email?token=")
        .unwrap_or_else(|| panic!("unexpected link {link}"));
    app.post(
        "/api/v1/auth/email-verifications/confirm",
        &json!({"token": token}),
    )
    .await
    .assert_status(204);
    app.post(
        "/api/v1/auth/password-resets",
        &json!({"email": "jane@example.org"}),
    )
    .await
    .assert_status(202);
    let reset = last_link_to(&app, "jane@example.org").await;
    assert!(
        reset.starts_with("https://careers.example.gov/reset-password?token="),
        "{reset}"
    );
}

#[actix_web::test]
async fn the_public_url_and_every_page_path_are_configurable() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default(
            "public_url",
            "https://jobs.example.gov/portal/",
        ))
        .merge(Serialized::default("verify_email_path", "/account/confirm"))
        .merge(Serialized::default(
            "reset_password_path",
            "/account/new-password",
        ))
        .merge(Serialized::default(
            "set_password_path",
            "/employees/activate",
        ))
        .merge(Serialized::default("forgot_password_path", "/help/sign-in"))
    })
    .await;
    app.with_reference_data().await;
    let base = "https://jobs.example.gov/portal";

    app.register("jane@example.org").await.assert_status(202);
    let confirm = last_link_to(&app, "jane@example.org").await;
    assert!(
        confirm.starts_with(&format!("{base}/account/confirm?token=")),
        "{confirm}"
    );
    app.register("jane@example.org").await.assert_status(202);
    let help = last_link_to(&app, "jane@example.org").await;
    assert_eq!(help, format!("{base}/help/sign-in"));
    app.post(
        "/api/v1/auth/password-resets",
        &json!({"email": "jane@example.org"}),
    )
    .await
    .assert_status(202);
    let reset = last_link_to(&app, "jane@example.org").await;
    assert!(
        reset.starts_with(&format!("{base}/account/new-password?token=")),
        "{reset}"
    );

    let email = "e1001@dmv.ca.gov";
    app.put_on_roster("1001", "DMV", email, RosterStatus::Active)
        .await;
    app.post(
        "/api/v1/auth/employee-activations",
        &json!({"employee_id": "1001", "privacy_agreement_version": "2026-01"}),
    )
    .await
    .assert_status(202);
    let activation = last_link_to(&app, email).await;
    let token = activation
        .strip_prefix(&format!("{base}/employees/activate?token="))
        .unwrap_or_else(|| panic!("unexpected link {activation}"));
    app.post(
        "/api/v1/auth/password-resets/confirm",
        &json!({"token": token, "new_password": PASSWORD}),
    )
    .await
    .assert_status(204);
}
